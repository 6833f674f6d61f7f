//! `crossguard clearance show FILE` and `crossguard access --label L --clearance C`

use std::path::PathBuf;

use crossguard::label::{
    explain, map_label, render_marking, Access, Strictness, Timestamp, ValidClearance,
};
use crossguard::policy::MarkingCode;
use serde_json::{json, Value};

use super::common::{
    load_clearance, load_label, policies_or_report, problems_json, read_bounded, warnings_json,
    LoadedClearance, PolicyArgs, Problem, LABEL_FILE_LIMIT,
};
use super::Outcome;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum ClearanceCommand {
    /// Read a clearance: 4774 XML, a DER Clearance attribute, or a DER/PEM certificate
    /// carrying one in subjectDirectoryAttributes.
    Show(ClearanceArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct ClearanceArgs {
    /// The clearance file (`-` reads standard input).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    policies: PolicyArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct AccessArgs {
    /// The label (4774 XML or ESS DER).
    #[arg(long, value_name = "LABEL")]
    label: PathBuf,
    /// The clearance (4774 XML, DER Clearance, or certificate).
    #[arg(long, value_name = "FILE")]
    clearance: PathBuf,
    /// Accept the published deviations of 4774 XML labels, each reported as a warning.
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    policies: PolicyArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

const CLEARANCE_LIMIT: usize = crossguard::limits::MAX_CERTIFICATE_BYTES;

fn clearance_json(c: &ValidClearance<'_>) -> Value {
    let policy = c.policy();
    json!({
        "policy": { "name": policy.name(), "id": policy.id().to_string() },
        "classifications": c.classifications().filter_map(|id| policy.classification(id)).map(|x| x.name.to_string()).collect::<Vec<_>>(),
        "categories": c.category_ids().map(|id| crossguard::label::category_display(policy, id).to_string()).collect::<Vec<_>>(),
    })
}

pub(crate) fn run_clearance(command: &ClearanceCommand) -> Outcome {
    let ClearanceCommand::Show(args) = command;
    let name = args.file.display().to_string();
    let policies = match policies_or_report(&args.policies) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    let bytes = match read_bounded(&args.file, CLEARANCE_LIMIT) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{name}: {e}");
            return Outcome::Error;
        }
    };
    if bytes.len() > CLEARANCE_LIMIT {
        eprintln!("{name}: larger than MAX_CERTIFICATE_BYTES");
        return Outcome::Rejected;
    }
    let loaded = load_clearance(&policies, &bytes);
    match &loaded.result {
        Ok(clearances) => {
            if args.json {
                out!(
                    "{}",
                    json!({
                        "file": name, "source": loaded.source, "subject": loaded.subject, "valid": true,
                        "clearances": clearances.iter().map(clearance_json).collect::<Vec<_>>(),
                        "warnings": [], "errors": [],
                    })
                );
            } else {
                out!("{name}: valid ({})", loaded.source);
                if let Some(s) = &loaded.subject {
                    out!("  subject: {s}");
                }
                for c in clearances {
                    let v = clearance_json(c);
                    out!("  policy: {} ({})", c.policy().name(), c.policy().id());
                    out!("    classifications: {}", join(v.get("classifications")));
                    out!("    categories: {}", join(v.get("categories")));
                }
            }
            Outcome::Valid
        }
        Err(problems) => {
            report_problems(&name, loaded.source, problems, args.json);
            Outcome::Rejected
        }
    }
}

fn join(v: Option<&Value>) -> String {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn report_problems(name: &str, source: &str, problems: &[Problem], json: bool) {
    if json {
        out!(
            "{}",
            json!({ "file": name, "source": source, "valid": false, "warnings": [], "errors": problems_json(problems) })
        );
    } else {
        out!("{name}: invalid ({source})");
        for p in problems {
            out!("  error [{}]: {}", p.code, p.message);
        }
    }
}

pub(crate) fn run_access(args: &AccessArgs) -> Outcome {
    let policies = match policies_or_report(&args.policies) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    let (label_bytes, clearance_bytes) = match (
        read_bounded(&args.label, LABEL_FILE_LIMIT),
        read_bounded(&args.clearance, CLEARANCE_LIMIT),
    ) {
        (Ok(l), Ok(c)) => (l, c),
        (Err(e), _) => {
            eprintln!("{}: {e}", args.label.display());
            return Outcome::Error;
        }
        (_, Err(e)) => {
            eprintln!("{}: {e}", args.clearance.display());
            return Outcome::Error;
        }
    };
    let now = Timestamp::now();
    let strictness = if args.lenient {
        Strictness::Lenient
    } else {
        Strictness::Strict
    };
    let label = load_label(&policies, &label_bytes, strictness, now);
    let clearance: LoadedClearance<'_> = load_clearance(&policies, &clearance_bytes);
    // Fail closed: an invalid label or clearance is a denial that says why.
    let mut errors: Vec<Problem> = Vec::new();
    if let Err(p) = &label.result {
        errors.extend(
            p.iter()
                .map(|p| Problem::new(&format!("label:{}", p.code), &p.message)),
        );
    }
    if let Err(p) = &clearance.result {
        errors.extend(
            p.iter()
                .map(|p| Problem::new(&format!("clearance:{}", p.code), &p.message)),
        );
    }
    let (Ok(valid_label), Ok(clearances)) = (&label.result, &clearance.result) else {
        print_decision(args, false, None, &[], &label.warnings, &errors, None);
        return Outcome::Rejected;
    };
    let marking = render_marking(valid_label, MarkingCode::PageTopBottom, "en");
    // The clearance under the label's own policy; else the first clearance whose policy the
    // label maps to (the mapped label is what is decided, ADatP-4774.1 §4.2 rules 3–4).
    let same = clearances
        .iter()
        .find(|c| c.policy().id() == valid_label.policy().id());
    let decision = match same {
        Some(c) => Some((explain(valid_label, c), None)),
        None => clearances.iter().find_map(|c| {
            let mapped = map_label(valid_label, c.policy(), now).ok()?;
            let mut marking = render_marking(&mapped.label, MarkingCode::PageTopBottom, "en");
            if !mapped.discarded.is_empty() {
                let dropped: Vec<&str> = mapped.discarded.iter().map(|d| &**d).collect();
                marking = format!(
                    "{marking} (discarded by the equivalence: {})",
                    dropped.join(", ")
                );
            }
            Some((explain(&mapped.label, c), Some(marking)))
        }),
    };
    let Some((decision, mapped_marking)) = decision else {
        let names: Vec<&str> = clearances.iter().map(|c| c.policy().name()).collect();
        let reason = Problem::new(
            "policy-mismatch",
            format!(
                "the label is under {} and cannot be mapped to the clearance's policy ({})",
                valid_label.policy().name(),
                names.join(", ")
            ),
        );
        print_decision(
            args,
            false,
            Some(&marking),
            &[reason],
            valid_label.warnings(),
            &[],
            None,
        );
        return Outcome::Rejected;
    };
    let granted = decision.access == Access::Granted;
    let reasons: Vec<Problem> = decision
        .reasons
        .iter()
        .map(|r| Problem::new(r.code(), r))
        .collect();
    if let Some(m) = &mapped_marking {
        if !args.json {
            out!("decided on the equivalent label: {m}");
        }
    }
    print_decision(
        args,
        granted,
        Some(&marking),
        &reasons,
        valid_label.warnings(),
        &[],
        mapped_marking.as_deref(),
    );
    if granted {
        Outcome::Valid
    } else {
        Outcome::Rejected
    }
}

fn print_decision(
    args: &AccessArgs,
    granted: bool,
    marking: Option<&str>,
    reasons: &[Problem],
    warnings: &[crossguard::label::LabelWarning],
    errors: &[Problem],
    decided_on: Option<&str>,
) {
    if args.json {
        out!(
            "{}",
            json!({
                "label": args.label.display().to_string(),
                "clearance": args.clearance.display().to_string(),
                "valid": errors.is_empty(), "granted": granted, "marking": marking,
                "decided_on": decided_on,
                "reasons": problems_json(reasons), "warnings": warnings_json(warnings),
                "errors": problems_json(errors),
            })
        );
        return;
    }
    let verdict = if granted { "granted" } else { "denied" };
    match marking {
        Some(m) => out!("{verdict}: {m}"),
        None => out!("{verdict}"),
    }
    for r in reasons {
        out!("  reason [{}]: {}", r.code, r.message);
    }
    for e in errors {
        out!("  error [{}]: {}", e.code, e.message);
    }
    for w in warnings {
        out!("  warning [{}]: {w}", w.code());
    }
}
