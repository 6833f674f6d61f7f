//! `crossguard inspect --flow FROM:TO FILE...`: the content stage of a flow on files, each
//! check's result printed; nothing is released or audited.

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use crossguard::audit::{AuditKey, MemorySink};
use crossguard::guard::{ContentCheck, Guard, LabelInput, Transfer};
use serde_json::json;

use super::common::read_bounded;
use super::guard::load_config;
use super::Outcome;

#[derive(Debug, clap::Args)]
pub(crate) struct InspectArgs {
    /// The flow, as `FROM:TO` domain names.
    #[arg(long, value_name = "FROM:TO")]
    flow: String,
    /// Files to inspect.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Guard configuration (TOML); the embedded laptop configuration when absent.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The objects' declared type (e.g. text/plain).
    #[arg(long = "type", value_name = "TYPE")]
    declared_type: Option<String>,
    /// The objects' label (4774 XML or ESS DER), which the markings inspector compares the
    /// content's markings with (without it, the flow's default label, if any).
    #[arg(long, value_name = "FILE")]
    label: Option<PathBuf>,
    /// Print one JSON object per file.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &InspectArgs) -> Outcome {
    match inspect(args) {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("crossguard inspect: {message}");
            Outcome::Error
        }
    }
}

fn inspect(args: &InspectArgs) -> Result<Outcome, String> {
    let (from, to) = args
        .flow
        .split_once(':')
        .ok_or_else(|| format!("--flow {:?}: expected FROM:TO", args.flow))?;
    let config = load_config(args.config.as_deref())?;
    // Nothing is audited: inspection decides no transfer. The guard still needs a sink.
    let key = AuditKey::generate().map_err(|e| e.to_string())?;
    let sink = MemorySink::new(key, 1000).map_err(|e| e.to_string())?;
    let guard = Guard::build(&config, Arc::new(sink)).map_err(|e| e.to_string())?;
    let label = match &args.label {
        Some(path) => LabelInput::Bytes(Bytes::from(
            read_bounded(path, config.guard.max_label_bytes.saturating_add(1))
                .map_err(|e| format!("{}: {e}", path.display()))?,
        )),
        None => LabelInput::None,
    };
    let mut outcome = Outcome::Valid;
    for file in &args.files {
        let object = read_bounded(file, config.guard.max_object_bytes.saturating_add(1))
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let mut transfer = Transfer::new(from, to, object).with_label(label.clone());
        transfer.declared_type.clone_from(&args.declared_type);
        let checks = guard
            .inspect_content(&transfer)
            .map_err(|r| r.to_string())?;
        let refused = checks.iter().any(|c| c.outcome.is_err());
        if refused {
            outcome = outcome.max(Outcome::Rejected);
        }
        if args.json {
            out!("{}", report_json(file, &checks));
        } else {
            report_text(file, refused, &checks);
        }
    }
    Ok(outcome)
}

fn report_text(file: &std::path::Path, refused: bool, checks: &[ContentCheck]) {
    let verdict = if refused { "refused" } else { "passed" };
    out!("{}: {verdict}", file.display());
    for c in checks {
        match &c.outcome {
            Ok(found) => out!("  {:<14} pass    {found}", c.name),
            Err(reason) => out!(
                "  {:<14} REFUSE  {} ({})",
                c.name,
                reason.message,
                reason.code
            ),
        }
    }
}

fn report_json(file: &std::path::Path, checks: &[ContentCheck]) -> serde_json::Value {
    let refused = checks.iter().any(|c| c.outcome.is_err());
    json!({
        "file": file.display().to_string(),
        "passed": !refused,
        "checks": checks.iter().map(|c| match &c.outcome {
            Ok(found) => json!({ "check": c.name, "passed": true, "found": found.to_string() }),
            Err(r) => json!({
                "check": c.name,
                "passed": false,
                "failure": c.failure,
                "code": r.code,
                "message": r.message,
            }),
        }).collect::<Vec<_>>(),
    })
}
