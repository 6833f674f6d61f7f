//! `crossguard check` (one transfer through the guard) and the guard plumbing shared with
//! `crossguard demo`: configuration, audit sink, verdict output.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use crossguard::audit::{AuditKey, JsonlSink, MemorySink, SinkOptions};
use crossguard::guard::{Guard, GuardConfig, LabelInput, Transfer, Verdict};
use serde_json::{json, Value};

use super::common::{read_bounded, LABEL_FILE_LIMIT};
use super::Outcome;

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Source domain.
    #[arg(long, value_name = "DOMAIN")]
    from: String,
    /// Destination domain.
    #[arg(long, value_name = "DOMAIN")]
    to: String,
    /// The object.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Guard configuration (TOML); the embedded laptop configuration when absent.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The object's label (4774 XML or ESS DER).
    #[arg(
        long,
        value_name = "LABEL",
        conflicts_with = "unlabelled",
        required_unless_present = "unlabelled"
    )]
    label: Option<PathBuf>,
    /// The object has no label (the flow's default-label rule applies).
    #[arg(long)]
    unlabelled: bool,
    /// The object's declared type (e.g. text/plain).
    #[arg(long = "type", value_name = "TYPE")]
    declared_type: Option<String>,
    /// On release, write the object and its destination labels into this directory.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The audit log (overrides the configuration's `[audit] file`).
    #[arg(long, value_name = "FILE")]
    audit: Option<PathBuf>,
    /// The audit key file (overrides the configuration's `[audit] key_file`).
    #[arg(long, value_name = "KEYFILE")]
    key: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Loads the configuration named, or the embedded one (relative paths against the working
/// directory).
pub(crate) fn load_config(path: Option<&Path>) -> Result<GuardConfig, String> {
    match path {
        Some(p) => GuardConfig::from_file(p).map_err(|e| format!("{}: {e}", p.display())),
        None => GuardConfig::embedded(Path::new("."))
            .map_err(|e| format!("embedded configuration: {e}")),
    }
}

/// Opens the JSON Lines audit sink at `log` with the key in `key_file`, with the
/// configuration's durability settings.
pub(crate) fn open_sink(
    config: &GuardConfig,
    log: &Path,
    key_file: &Path,
) -> Result<JsonlSink, String> {
    let key = AuditKey::from_file(key_file).map_err(|e| {
        format!(
            "audit key: {e} (create one with `crossguard audit keygen {}`)",
            key_file.display()
        )
    })?;
    let options = sink_options(config)?;
    JsonlSink::open(log, key, options).map_err(|e| format!("audit log {}: {e}", log.display()))
}

fn sink_options(config: &GuardConfig) -> Result<SinkOptions, String> {
    config
        .audit
        .as_ref()
        .map_or(Ok(SinkOptions::default()), |a| {
            a.sink_options().map_err(|e| e.to_string())
        })
}

/// The verdict as one JSON object.
pub(crate) fn verdict_json(verdict: &Verdict) -> Value {
    match verdict {
        Verdict::Release(r) => json!({
            "id": r.id,
            "verdict": "release",
            "granted": true,
            "marking": r.marking,
            "label_format": r.originator_format.as_str(),
            "alternative_label": r.alternative_label.is_some(),
            "warnings": r.warnings,
            "reasons": [],
            "audit_seq": r.audit_seq,
        }),
        Verdict::Deny(d) => json!({
            "id": d.id,
            "verdict": "deny",
            "granted": false,
            "stage": d.stage.as_str(),
            "failure": d.failure,
            "reasons": d.reasons.iter().map(|r| json!({ "code": r.code, "message": r.message })).collect::<Vec<_>>(),
            "audit_seq": d.audit_seq,
            "void_audit_seq": d.void_audit_seq,
        }),
    }
}

pub(crate) fn run_check(args: &CheckArgs) -> Outcome {
    match check(args) {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("crossguard check: {message}");
            Outcome::Error
        }
    }
}

fn check(args: &CheckArgs) -> Result<Outcome, String> {
    let config = load_config(args.config.as_deref())?;
    let (log, key_file) =
        match (&args.audit, &args.key, &config.audit) {
            (Some(log), Some(key), _) => (log.clone(), key.clone()),
            (log, key, Some(section)) => (
                log.clone().unwrap_or_else(|| config.resolve(&section.file)),
                key.clone()
                    .unwrap_or_else(|| config.resolve(&section.key_file)),
            ),
            _ => return Err(
                "every decision is audited: give --audit FILE --key KEYFILE or an [audit] section"
                    .to_owned(),
            ),
        };
    // Everything that can fail before the decision fails before the log is touched: the
    // configuration is built once against a throwaway in-memory sink, and the inputs are read.
    let scratch = AuditKey::generate()
        .and_then(|key| MemorySink::new(key, 0))
        .map_err(|e| e.to_string())?;
    Guard::build(&config, Arc::new(scratch)).map_err(|e| e.to_string())?;
    let limit = config.guard.max_object_bytes;
    let object =
        read_bounded(&args.file, limit).map_err(|e| format!("{}: {e}", args.file.display()))?;
    if object.len() > limit {
        return Err(format!(
            "{}: larger than the guard's max_object_bytes ({limit})",
            args.file.display()
        ));
    }
    let label = match &args.label {
        Some(path) => {
            let bytes = read_bounded(path, LABEL_FILE_LIMIT)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            LabelInput::Bytes(Bytes::from(bytes))
        }
        None => LabelInput::None,
    };
    let mut transfer = Transfer::new(&args.from, &args.to, Bytes::from(object)).with_label(label);
    if let Some(t) = &args.declared_type {
        transfer = transfer.with_type(t);
    }

    let sink = Arc::new(open_sink(&config, &log, &key_file)?);
    let verdict = match Guard::build(&config, sink.clone()) {
        Ok(guard) => guard.check(transfer),
        Err(e) => {
            // Not expected after the dry build; the log is sealed all the same.
            let _ = Arc::try_unwrap(sink).map(JsonlSink::close);
            return Err(e.to_string());
        }
    };
    // Seal the log (a checkpoint, a `close` entry, fsync) before anything leaves: the next run
    // reopens it with a new `open` entry. The head is printed so that it can be kept elsewhere
    // (`audit verify --head`): cutting the log back to an earlier session's `close` is
    // detectable only against such an anchor.
    let closed = Arc::try_unwrap(sink)
        .map_err(|_| "the audit sink is still shared".to_owned())
        .and_then(|s| s.close().map_err(|e| e.to_string()));
    let head = closed.as_ref().ok().map(|anchor| anchor.mac_hex());
    if args.json {
        let mut json = verdict_json(&verdict);
        if let Some(object) = json.as_object_mut() {
            object.insert("audit_head".to_owned(), json!(head));
        }
        out!("{json}");
    } else {
        print_verdict(&args.file.display().to_string(), &verdict);
        if let Some(head) = &head {
            out!("  audit log sealed, head {head}");
        }
    }
    if let Err(e) = closed {
        eprintln!("crossguard check: closing the audit log failed, nothing is written out: {e}");
        return Ok(Outcome::Error);
    }
    if let (Verdict::Release(release), Some(dir)) = (&verdict, &args.out) {
        write_release(dir, &args.file, release)?;
    }
    Ok(match verdict {
        Verdict::Release(_) => Outcome::Valid,
        Verdict::Deny(_) => Outcome::Rejected,
    })
}

fn print_verdict(name: &str, verdict: &Verdict) {
    match verdict {
        Verdict::Release(r) => {
            out!("{name}: released ({}), audit entry {}", r.id, r.audit_seq);
            out!("  marking: {}", r.marking);
            if r.alternative_label.is_some() {
                out!("  alternative label added for the destination policy");
            }
            for w in &r.warnings {
                out!("  warning: {w}");
            }
        }
        Verdict::Deny(d) => {
            let what = if d.failure {
                "filter failure"
            } else {
                "denied"
            };
            out!("{name}: {what} at the {} stage ({})", d.stage, d.id);
            for r in &d.reasons {
                out!("  [{}] {}", r.code, r.message);
            }
            match d.audit_seq {
                Some(seq) => out!("  audit entry {seq}"),
                None => out!("  NOT AUDITED"),
            }
            if let Some(seq) = d.void_audit_seq {
                out!("  audit entry {seq} records a release that did not happen: it is void");
            }
        }
    }
}

/// Writes the released object and its labels into `dir`: labels first, then the object, each
/// with `create_new` (an existing file or symbolic link at the name is an error, never
/// overwritten or followed).
fn write_release(
    dir: &Path,
    file: &Path,
    release: &crossguard::guard::Release,
) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let name = file
        .file_name()
        .map_or_else(|| "object".into(), |n| n.to_string_lossy().into_owned());
    let write_new = |path: &Path, bytes: &[u8]| -> Result<(), String> {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
            .map_err(|e| io(path, e))
    };
    let extension = match release.originator_format {
        crossguard::flow::LabelFormat::Xml4774 => "label.xml",
        crossguard::flow::LabelFormat::EssDer => "label.der",
    };
    write_new(
        &dir.join(format!("{name}.{extension}")),
        &release.originator_label,
    )?;
    if let Some(alternative) = &release.alternative_label {
        write_new(
            &dir.join(format!("{name}.alternative-label.xml")),
            alternative.as_bytes(),
        )?;
    }
    write_new(&dir.join(&name), &release.object)
}
