//! `crossguard label show | convert | map`

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;
use crossguard::label::{
    encode_ess_label, map_label, render_marking, write_label_xml, LabelKind, LabelMetadata,
    Strictness, Timestamp, ValidLabel,
};
use crossguard::policy::{MarkingCode, PolicySet};
use serde_json::{json, Value};

use super::common::{
    load_label, policies_or_report, problems_json, read_bounded, warnings_json, Loaded, PolicyArgs,
    Problem, LABEL_FILE_LIMIT,
};
use super::Outcome;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Read a label (4774 XML or ESS DER, detected from content), validate it and print its
    /// marking.
    Show(ShowArgs),
    /// Write a valid label in the other encoding.
    Convert(ConvertArgs),
    /// Map a label to an equivalent policy and print the alternative label.
    Map(MapArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct LabelInput {
    /// The label file (`-` reads standard input).
    #[arg(value_name = "LABEL")]
    label: PathBuf,
    /// Accept the published deviations of 4774 XML labels, each reported as a warning.
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    policies: PolicyArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    #[command(flatten)]
    input: LabelInput,
    /// More label files, each reported on its own.
    #[arg(value_name = "LABEL")]
    more: Vec<PathBuf>,
    /// Marking language (`xml:lang` of the SPIF marking data).
    #[arg(long, default_value = "en")]
    lang: String,
    /// Marking code (e.g. pageTopBottom, portionMarking, subject).
    #[arg(long, default_value = "pageTopBottom", value_parser = parse_code)]
    code: MarkingCode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Encoding {
    /// STANAG 4774 XML.
    Xml,
    /// ESS security label, DER.
    Ess,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ConvertArgs {
    #[command(flatten)]
    input: LabelInput,
    /// The encoding to write.
    #[arg(long, value_enum)]
    to: Encoding,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct MapArgs {
    #[command(flatten)]
    input: LabelInput,
    /// The target policy, by name, dotted OID or `urn:oid:` URI.
    #[arg(long, value_name = "POLICY")]
    to: String,
    /// Marking language.
    #[arg(long, default_value = "en")]
    lang: String,
}

fn parse_code(s: &str) -> Result<MarkingCode, String> {
    MarkingCode::from_name(s).ok_or_else(|| {
        let all: Vec<&str> = MarkingCode::ALL.iter().map(|c| c.as_str()).collect();
        format!("unknown marking code {s:?}; one of {}", all.join(", "))
    })
}

pub(crate) fn run(command: &Command) -> Outcome {
    match command {
        Command::Show(args) => show(args),
        Command::Convert(args) => convert(args),
        Command::Map(args) => map(args),
    }
}

/// One year after `t`: the review date given to labels that come without one (ESS labels).
fn default_review(t: Timestamp) -> Timestamp {
    Timestamp(t.0.saturating_add(365 * 86_400))
}

fn with_label<F>(input: &LabelInput, body: F) -> Outcome
where
    F: FnOnce(&str, &PolicySet, &Loaded<'_>) -> Outcome,
{
    let policies = match policies_or_report(&input.policies) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    with_label_at(input, &policies, &input.label, body)
}

fn with_label_at<F>(
    input: &LabelInput,
    policies: &PolicySet,
    path: &std::path::Path,
    body: F,
) -> Outcome
where
    F: FnOnce(&str, &PolicySet, &Loaded<'_>) -> Outcome,
{
    let name = path.display().to_string();
    let bytes = match read_bounded(path, LABEL_FILE_LIMIT) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{name}: {e}");
            return Outcome::Error;
        }
    };
    let strictness = if input.lenient {
        Strictness::Lenient
    } else {
        Strictness::Strict
    };
    let loaded = load_label(policies, &bytes, strictness, Timestamp::now());
    body(&name, policies, &loaded)
}

fn print_invalid(name: &str, loaded: &Loaded<'_>, problems: &[Problem], json: bool) -> Outcome {
    if json {
        out!(
            "{}",
            json!({
                "file": name, "format": loaded.format.as_str(), "valid": false, "marking": Value::Null,
                "warnings": warnings_json(&loaded.warnings), "errors": problems_json(problems),
            })
        );
    } else {
        out!("{name}: invalid ({})", loaded.format.as_str());
        for p in problems {
            out!("  error [{}]: {}", p.code, p.message);
        }
        for w in &loaded.warnings {
            out!("  warning [{}]: {w}", w.code());
        }
    }
    Outcome::Rejected
}

fn describe(label: &ValidLabel<'_>) -> Value {
    let policy = label.policy();
    json!({
        "name": policy.name(),
        "id": policy.id().to_string(),
    })
}

fn show(args: &ShowArgs) -> Outcome {
    let policies = match policies_or_report(&args.input.policies) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    let mut outcome = Outcome::Valid;
    for path in core::iter::once(&args.input.label).chain(&args.more) {
        outcome = outcome.max(show_one(args, &policies, path));
    }
    outcome
}

fn show_one(args: &ShowArgs, policies: &PolicySet, path: &std::path::Path) -> Outcome {
    with_label_at(&args.input, policies, path, |name, _, loaded| {
        let label = match &loaded.result {
            Ok(l) => l,
            Err(problems) => return print_invalid(name, loaded, problems, args.input.json),
        };
        let marking = render_marking(label, args.code, &args.lang);
        let classification = label
            .policy()
            .classification(label.classification())
            .map_or("", |c| &c.name);
        if args.input.json {
            out!(
                "{}",
                json!({
                    "file": name, "format": loaded.format.as_str(), "valid": true,
                    "kind": loaded.kind.map(LabelKind::element_name),
                    "policy": describe(label), "classification": classification,
                    "categories": crossguard::label::category_names(label).iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                    "marking": marking, "code": args.code.as_str(), "lang": args.lang,
                    "warnings": warnings_json(label.warnings()), "errors": [],
                })
            );
        } else {
            let kind = loaded
                .kind
                .map_or(String::new(), |k| format!(", {}", k.element_name()));
            out!("{name}: valid ({}{kind})", loaded.format.as_str());
            out!(
                "  policy: {} ({})",
                label.policy().name(),
                label.policy().id()
            );
            out!("  marking: {marking}");
            for w in label.warnings() {
                out!("  warning [{}]: {w}", w.code());
            }
        }
        Outcome::Valid
    })
}

fn convert(args: &ConvertArgs) -> Outcome {
    with_label(&args.input, |name, _, loaded| {
        let label = match &loaded.result {
            Ok(l) => l,
            Err(problems) => return print_invalid(name, loaded, problems, args.input.json),
        };
        let bytes = match args.to {
            Encoding::Ess => match encode_ess_label(label) {
                Ok(b) => b,
                Err(e) => {
                    return print_invalid(
                        name,
                        loaded,
                        &[Problem::new("ess-encode", e)],
                        args.input.json,
                    )
                }
            },
            Encoding::Xml => {
                let now = Timestamp::now();
                let metadata = LabelMetadata {
                    kind: loaded.kind.unwrap_or(LabelKind::Originator),
                    id: None,
                    review: default_review(now),
                    originator: None,
                    creation: now,
                };
                write_label_xml(label, &metadata).into_bytes()
            }
        };
        let written = match &args.out {
            Some(path) => std::fs::write(path, &bytes),
            None => std::io::stdout().lock().write_all(&bytes),
        };
        if let Err(e) = written {
            eprintln!("error: {e}");
            return Outcome::Error;
        }
        if args.out.is_some() {
            eprintln!("{name}: written as {:?} ({} bytes)", args.to, bytes.len());
        }
        Outcome::Valid
    })
}

fn map(args: &MapArgs) -> Outcome {
    with_label(&args.input, |name, policies, loaded| {
        let Some(target) = policies.find(&args.to) else {
            eprintln!("error: no loaded policy is {:?}", args.to);
            return Outcome::Error;
        };
        let label = match &loaded.result {
            Ok(l) => l,
            Err(problems) => return print_invalid(name, loaded, problems, args.input.json),
        };
        let now = Timestamp::now();
        match map_label(label, target, now) {
            Ok(mapped) => {
                let metadata = LabelMetadata {
                    kind: LabelKind::Alternative,
                    id: None,
                    review: default_review(now),
                    originator: None,
                    creation: now,
                };
                let xml = write_label_xml(&mapped.label, &metadata);
                let marking = render_marking(&mapped.label, MarkingCode::PageTopBottom, &args.lang);
                if args.input.json {
                    out!(
                        "{}",
                        json!({
                            "file": name, "valid": true, "policy": describe(&mapped.label),
                            "marking": marking, "label": xml,
                            "discarded": mapped.discarded.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                            "added": mapped.added.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                            "warnings": warnings_json(mapped.label.warnings()), "errors": [],
                        })
                    );
                } else {
                    out!("{name}: mapped to {} ({})", target.name(), target.id());
                    out!("  marking: {marking}");
                    for d in &mapped.discarded {
                        out!("  discarded: {d}");
                    }
                    for a in &mapped.added {
                        out!("  added: {a}");
                    }
                    out!("{}", xml.trim_end());
                }
                Outcome::Valid
            }
            Err(e) => {
                let problem = Problem::new(e.code(), &e);
                if args.input.json {
                    out!(
                        "{}",
                        json!({ "file": name, "valid": false, "marking": Value::Null, "warnings": [], "errors": [problem.json()] })
                    );
                } else {
                    out!("{name}: cannot map to {}: {e}", target.name());
                }
                Outcome::Rejected
            }
        }
    })
}
