//! `crossguard demo`: a scripted multi-domain-laptop scenario on the embedded defaults.
//!
//! Every step is a real transfer through a real guard built from the embedded configuration,
//! audited to a real JSON Lines file under a fresh HMAC key; the demo then tampers with a copy
//! of the log and shows that verification finds it. Each step states the outcome the scenario
//! expects; the demo exits 1 if any differs, so it doubles as an end-to-end check.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use crossguard::audit::{verify_file, AuditKey, AuditSink, VerifyOptions};
use crossguard::guard::{Guard, LabelInput, Transfer, Verdict};

use super::guard::{load_config, open_sink};
use super::Outcome;

#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {
    /// Keep the audit log, key and released objects in this directory (default: a fresh
    /// temporary directory, removed afterwards).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

macro_rules! sample {
    ($path:literal) => {
        include_bytes!(concat!("../../tests/data/guard/", $path)).as_slice()
    };
}

struct Step {
    title: &'static str,
    from: &'static str,
    to: &'static str,
    object: (&'static str, &'static [u8]),
    label: Option<(&'static str, &'static [u8])>,
    declared_type: Option<&'static str>,
    /// `None` = released; `Some(code)` = denied with this first reason.
    expect: Option<&'static str>,
}

fn steps() -> Vec<Step> {
    let sitrep = ("sitrep.txt", sample!("objects/sitrep.txt"));
    let bulletin = ("bulletin.xml", sample!("objects/bulletin.xml"));
    let summary = (
        "release-summary.txt",
        sample!("objects/release-summary.txt"),
    );
    let annex = ("annex.txt", sample!("objects/annex.txt"));
    let restricted = ("restricted-nato.xml", sample!("labels/restricted-nato.xml"));
    let restricted_der = ("restricted-nato.der", sample!("labels/restricted-nato.der"));
    let releasable = (
        "restricted-releasable.xml",
        sample!("labels/restricted-releasable.xml"),
    );
    let secret = ("secret-nato.xml", sample!("labels/secret-nato.xml"));
    let trojan = ("trojan-source.txt", sample!("objects/trojan-source.txt"));
    let pdf = ("report.pdf", sample!("objects/report.pdf"));
    let feed = ("feed.json", sample!("objects/feed.json"));
    let attachment = (
        "feed-attachment.json",
        sample!("objects/feed-attachment.json"),
    );
    let caveat = ("release-caveat.txt", sample!("objects/release-caveat.txt"));
    let hidden = (
        "release-hidden-marking.txt",
        sample!("objects/release-hidden-marking.txt"),
    );
    vec![
        Step {
            title: "import, 4774 label",
            from: "mission-restricted",
            to: "nato-secret",
            object: sitrep,
            label: Some(restricted),
            declared_type: Some("text/plain"),
            expect: None,
        },
        Step {
            title: "import, ESS label",
            from: "mission-restricted",
            to: "nato-secret",
            object: sitrep,
            label: Some(restricted_der),
            declared_type: Some("text/plain"),
            expect: None,
        },
        Step {
            title: "import, unlabelled public data",
            from: "public-internet",
            to: "mission-restricted",
            object: bulletin,
            label: None,
            declared_type: Some("application/xml"),
            expect: None,
        },
        Step {
            title: "release under the release rule",
            from: "nato-secret",
            to: "mission-restricted",
            object: summary,
            label: Some(releasable),
            declared_type: Some("text/plain"),
            expect: None,
        },
        Step {
            title: "missing label",
            from: "mission-restricted",
            to: "nato-secret",
            object: sitrep,
            label: None,
            declared_type: Some("text/plain"),
            expect: Some("unlabelled"),
        },
        Step {
            title: "label above the destination",
            from: "nato-secret",
            to: "mission-restricted",
            object: annex,
            label: Some(secret),
            declared_type: Some("text/plain"),
            expect: Some("above-destination-clearance"),
        },
        Step {
            title: "label above the source",
            from: "mission-restricted",
            to: "nato-secret",
            object: annex,
            label: Some(secret),
            declared_type: Some("text/plain"),
            expect: Some("above-source-clearance"),
        },
        Step {
            title: "release without releasability",
            from: "nato-secret",
            to: "mission-restricted",
            object: summary,
            label: Some(restricted),
            declared_type: Some("text/plain"),
            expect: Some("release-marking-missing"),
        },
        Step {
            title: "text hiding code behind bidi controls",
            from: "mission-restricted",
            to: "nato-secret",
            object: trojan,
            label: Some(restricted),
            declared_type: Some("text/plain"),
            expect: Some("format-invalid"),
        },
        Step {
            title: "a PDF declared as JSON",
            from: "public-internet",
            to: "mission-restricted",
            object: pdf,
            label: None,
            declared_type: Some("application/json"),
            expect: Some("type-not-allowed"),
        },
        Step {
            title: "public JSON feed: schema checked, rebuilt canonically (CDR)",
            from: "public-internet",
            to: "nato-secret",
            object: feed,
            label: None,
            declared_type: Some("application/json"),
            expect: None,
        },
        Step {
            title: "public JSON feed smuggling an attachment past the schema",
            from: "public-internet",
            to: "nato-secret",
            object: attachment,
            label: None,
            declared_type: Some("application/json"),
            expect: Some("schema-violation"),
        },
        Step {
            title: "release carrying a letter-spaced NOFORN caveat",
            from: "nato-secret",
            to: "mission-restricted",
            object: caveat,
            label: Some(releasable),
            declared_type: Some("text/plain"),
            expect: Some("forbidden-word"),
        },
        Step {
            title: "release hiding a NATO SECRET paragraph (NS) under a RESTRICTED label",
            from: "nato-secret",
            to: "mission-restricted",
            object: hidden,
            label: Some(releasable),
            declared_type: Some("text/plain"),
            expect: Some("marking-above-label"),
        },
        Step {
            title: "unknown flow (nothing flows down to public)",
            from: "nato-secret",
            to: "public-internet",
            object: summary,
            label: Some(releasable),
            declared_type: Some("text/plain"),
            expect: Some("no-flow"),
        },
    ]
}

pub(crate) fn run(args: &DemoArgs) -> Outcome {
    let (dir, temporary) = match &args.dir {
        Some(d) => (d.clone(), false),
        None => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let name = format!("crossguard-demo-{}-{nanos}", std::process::id());
            (std::env::temp_dir().join(name), true)
        }
    };
    let result = demo(&dir);
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    match result {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("crossguard demo: {message}");
            Outcome::Error
        }
    }
}

fn demo(dir: &Path) -> Result<Outcome, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let key_file = dir.join("audit.key");
    let log = dir.join("audit.jsonl");
    if !key_file.exists() {
        AuditKey::generate()
            .and_then(|k| k.write_new(&key_file))
            .map_err(|e| format!("{}: {e}", key_file.display()))?;
    }
    let config = load_config(None)?;
    let sink = Arc::new(open_sink(&config, &log, &key_file)?);
    let guard = Guard::build(&config, sink.clone()).map_err(|e| e.to_string())?;

    out!(
        "crossguard demo — guard {:?} on the embedded multi-domain laptop configuration",
        guard.name()
    );
    out!(
        "domains: {}",
        guard
            .domains()
            .iter()
            .map(|d| d.name.as_ref())
            .collect::<Vec<_>>()
            .join(", ")
    );
    out!("audit log: {}", log.display());
    out!("");
    out!(
        "{:>2}  {:<38} {:<26} {:<8} {:<7} marking, or why not",
        "#",
        "transfer",
        "label",
        "verdict",
        "stage"
    );
    let mut mismatches = 0usize;
    for (i, step) in steps().iter().enumerate() {
        let mut transfer = Transfer::new(step.from, step.to, Bytes::from_static(step.object.1));
        if let Some((_, bytes)) = step.label {
            transfer = transfer.with_label(LabelInput::Bytes(Bytes::from_static(bytes)));
        }
        if let Some(t) = step.declared_type {
            transfer = transfer.with_type(t);
        }
        let verdict = guard.check(transfer);
        let (word, stage, detail, first_code) = match &verdict {
            Verdict::Release(r) => (
                "RELEASE",
                "-",
                match r.cdr {
                    Some(method) => format!(
                        "{}; rebuilt by {method}: {} -> {} bytes",
                        r.marking,
                        step.object.1.len(),
                        r.object.len()
                    ),
                    None => r.marking.clone(),
                },
                None,
            ),
            Verdict::Deny(d) => (
                "DENY",
                d.stage.as_str(),
                d.reasons
                    .iter()
                    .take(2)
                    .map(|r| r.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                d.reasons.first().map(|r| r.code),
            ),
        };
        let ok = first_code == step.expect;
        if !ok {
            mismatches = mismatches.saturating_add(1);
        }
        let route = format!("{} → {}", step.from, step.to);
        out!(
            "{:>2}  {:<38} {:<26} {:<8} {:<7} {}{}",
            i.saturating_add(1),
            route,
            step.label.map_or("(none)", |l| l.0),
            word,
            stage,
            detail,
            if ok {
                ""
            } else {
                "   <-- NOT THE EXPECTED OUTCOME"
            }
        );
        out!("    {} ({})", step.title, step.object.0);
    }
    sink.sync().map_err(|e| format!("audit sync: {e}"))?;
    drop(guard);
    let anchor = Arc::try_unwrap(sink)
        .map_err(|_| "the audit sink is still shared".to_owned())?
        .close()
        .map_err(|e| format!("closing the audit log: {e}"))?;

    out!("");
    let key = AuditKey::from_file(&key_file).map_err(|e| e.to_string())?;
    match verify_file(&log, &key, VerifyOptions::default()) {
        Ok(s) => out!(
            "audit verify {}: intact — {} records, {} checkpoint(s), sealed; head {}",
            log.display(),
            s.records,
            s.checkpoints,
            anchor.mac_hex()
        ),
        Err(e) => {
            out!("audit verify {}: NOT INTACT — {e}", log.display());
            mismatches = mismatches.saturating_add(1);
        }
    }
    // Tamper with a copy: turn the first denial into a release.
    let tampered = dir.join("audit-tampered.jsonl");
    let text = std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let forged = text.replacen("\"verdict\":\"deny\"", "\"verdict\":\"release\"", 1);
    std::fs::write(&tampered, &forged).map_err(|e| format!("{}: {e}", tampered.display()))?;
    match verify_file(&tampered, &key, VerifyOptions::default()) {
        Ok(_) => {
            out!(
                "audit verify {}: intact — THE TAMPERING WAS NOT DETECTED",
                tampered.display()
            );
            mismatches = mismatches.saturating_add(1);
        }
        Err(e) => out!(
            "audit verify {} (one denial rewritten as a release): detected — {e}",
            tampered.display()
        ),
    }
    out!("");
    if mismatches == 0 {
        out!("every step had the expected outcome");
        Ok(Outcome::Valid)
    } else {
        out!("{mismatches} step(s) did not have the expected outcome");
        Ok(Outcome::Rejected)
    }
}
