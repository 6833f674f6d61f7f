//! `crossguard policy show SPIF`

use std::path::PathBuf;

use crossguard::policy::Policy;
use serde_json::{json, Value};

use super::common::read_bounded;
use super::Outcome;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Compile a SPIF and print a summary of the policy.
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// The SPIF file (`-` reads standard input).
    #[arg(value_name = "SPIF")]
    spif: PathBuf,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(command: &Command) -> Outcome {
    match command {
        Command::Show(args) => show(args),
    }
}

fn show(args: &ShowArgs) -> Outcome {
    let name = args.spif.display().to_string();
    let bytes = match read_bounded(&args.spif, crossguard::limits::MAX_SPIF_INPUT_BYTES) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{name}: {e}");
            return Outcome::Error;
        }
    };
    match Policy::from_spif(&bytes) {
        Ok(policy) => {
            if args.json {
                out!("{}", summary_json(&name, &policy));
            } else {
                print_summary(&name, &policy);
            }
            Outcome::Valid
        }
        Err(e) => {
            if args.json {
                let error = json!({
                    "code": e.code(), "message": e.kind().to_string(), "element_path": e.element_path(),
                    "offset": e.offset(), "line": e.line(), "column": e.column(),
                });
                out!(
                    "{}",
                    json!({ "file": name, "valid": false, "errors": [error], "warnings": [] })
                );
            } else {
                out!("{name}: invalid: {e}");
            }
            Outcome::Rejected
        }
    }
}

fn tag_kind_name(policy: &Policy, tag: &crossguard::policy::Tag) -> String {
    let _ = policy;
    match tag.kind {
        crossguard::policy::TagKind::Restrictive => "restrictive".into(),
        crossguard::policy::TagKind::Permissive => "permissive".into(),
        crossguard::policy::TagKind::EnumeratedRestrictive => "enumerated restrictive".into(),
        crossguard::policy::TagKind::EnumeratedPermissive => "enumerated permissive".into(),
        crossguard::policy::TagKind::Informative(_) => "tagType7 (informative)".into(),
    }
}

fn print_summary(name: &str, p: &Policy) {
    out!("{name}: valid");
    out!("  policy: {} ({})", p.name(), p.id());
    out!(
        "  SPIF version {}, schema {}, created {}, privilegeId {}",
        p.version(),
        p.schema_version().as_str(),
        p.creation_date(),
        p.privilege_id()
    );
    out!("  classifications (ascending hierarchy):");
    for c in p.classifications() {
        let obsolete = if c.obsolete { " (obsolete)" } else { "" };
        out!(
            "    {} lacv {} hierarchy {}{obsolete}",
            c.name,
            c.lacv,
            c.hierarchy
        );
    }
    for set in p.tag_sets() {
        out!("  tag set {} ({}):", set.name, set.id);
        for (_, tag) in p
            .tags()
            .iter()
            .enumerate()
            .filter(|(_, t)| p.tag_set(t.tag_set).is_some_and(|s| s.id == set.id))
        {
            let count = tag.categories.len();
            out!(
                "    {} {}, {count} values",
                tag.kind.category_type(),
                tag_kind_name(p, tag)
            );
        }
    }
    if !p.privacy_marks().is_empty() {
        let marks: Vec<&str> = p.privacy_marks().iter().map(|m| &*m.name).collect();
        out!("  privacy marks: {}", marks.join(", "));
    }
    for e in p.equivalent_policies() {
        out!("  equivalent policy: {} ({})", e.name, e.id);
    }
    match p
        .owner_tag()
        .and_then(|t| p.tag(t))
        .and_then(|t| p.tag_set(t.tag_set))
    {
        Some(set) => out!("  owner tag: {} (joins follow ADatP-4774.1 §4.4)", set.name),
        None => out!("  owner tag: none (joins are conservative)"),
    }
    for w in p.warnings() {
        out!("  warning: {w}");
    }
}

fn summary_json(name: &str, p: &Policy) -> Value {
    let classifications: Vec<Value> = p
        .classifications()
        .iter()
        .map(|c| json!({ "name": c.name, "lacv": c.lacv, "hierarchy": c.hierarchy, "obsolete": c.obsolete }))
        .collect();
    let tag_sets: Vec<Value> = p
        .tag_sets()
        .iter()
        .map(|s| {
            let tags: Vec<Value> = s
                .tags
                .clone()
                .filter_map(|t| p.tags().get(usize::from(t)))
                .map(|t| {
                    json!({
                        "type": t.kind.category_type().as_str(),
                        "kind": tag_kind_name(p, t),
                        "values": t.categories.clone().filter_map(|c| p.categories().get(usize::from(c))).map(|c| c.name.to_string()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({ "name": s.name, "id": s.id.to_string(), "tags": tags })
        })
        .collect();
    json!({
        "file": name,
        "valid": true,
        "policy": { "name": p.name(), "id": p.id().to_string(), "version": p.version(), "schema_version": p.schema_version().as_str() },
        "privilege_id": p.privilege_id().to_string(),
        "classifications": classifications,
        "tag_sets": tag_sets,
        "privacy_marks": p.privacy_marks().iter().map(|m| m.name.to_string()).collect::<Vec<_>>(),
        "equivalent_policies": p.equivalent_policies().iter().map(|e| json!({"name": e.name, "id": e.id.to_string()})).collect::<Vec<_>>(),
        "warnings": p.warnings().iter().map(|w| json!({"code": "duplicate-lacv", "message": w.to_string()})).collect::<Vec<_>>(),
        "errors": [],
    })
}
