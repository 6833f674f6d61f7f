//! The guard on the embedded laptop configuration: the scenario matrix, configuration errors,
//! audit of every decision, and property tests of the release conditions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use crossguard::audit::{
    verify, AuditError, AuditKey, AuditRecord, AuditSink, MemorySink, VerifyOptions,
};
use crossguard::guard::{
    Assessment, ConfigError, Deny, Guard, GuardConfig, LabelInput, Stage, Transfer, Verdict,
};
use crossguard::label::{
    decide, read_label_xml, validate, Access, Strictness, Timestamp, ValidClearance,
};

const AT: Timestamp = Timestamp(1_800_000_000);

fn data(path: &str) -> Bytes {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path);
    Bytes::from(std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display())))
}

fn label(name: &str) -> LabelInput {
    LabelInput::Bytes(data(&format!("guard/labels/{name}.xml")))
}

fn laptop() -> (Guard, Arc<MemorySink>) {
    let config = GuardConfig::embedded(Path::new(".")).unwrap();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 100).unwrap());
    (Guard::build(&config, sink.clone()).unwrap(), sink)
}

fn denied(verdict: Verdict) -> Deny {
    match verdict {
        Verdict::Deny(d) => d,
        Verdict::Release(r) => panic!("released {}", r.id),
    }
}

fn codes(deny: &Deny) -> Vec<&'static str> {
    deny.reasons.iter().map(|r| r.code).collect()
}

fn object() -> Bytes {
    data("guard/objects/sitrep.txt")
}

#[test]
fn import_of_a_labelled_object_is_released_with_its_label_untouched() {
    let (guard, _) = laptop();
    let transfer = Transfer::new("mission-restricted", "nato-secret", object())
        .with_label(label("restricted-nato"));
    let Verdict::Release(release) = guard.check_at(transfer, AT) else {
        panic!("denied")
    };
    assert_eq!(release.object, object());
    assert_eq!(
        release.originator_label,
        data("guard/labels/restricted-nato.xml")
    );
    assert_eq!(release.alternative_label, None);
    assert_eq!(release.marking, "NATO RESTRICTED");
}

#[test]
fn import_denials_name_their_stage() {
    let (guard, _) = laptop();
    let above = denied(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(label("secret-nato")),
            AT,
        ),
    );
    assert_eq!(above.stage, Stage::Access);
    assert!(!above.failure);
    assert_eq!(codes(&above)[0], "above-source-clearance");

    let unlabelled = denied(guard.check_at(
        Transfer::new("mission-restricted", "nato-secret", object()),
        AT,
    ));
    assert_eq!(
        (unlabelled.stage, codes(&unlabelled)),
        (Stage::Label, vec!["unlabelled"])
    );

    let malformed = denied(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(LabelInput::Bytes(Bytes::from_static(b"<slab:label"))),
            AT,
        ),
    );
    assert_eq!(
        (malformed.stage, codes(&malformed)),
        (Stage::Label, vec!["label-malformed"])
    );

    let invalid = denied(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(LabelInput::Bytes(data("label/invalid/no-context.xml"))),
            AT,
        ),
    );
    assert_eq!(
        (invalid.stage, codes(&invalid)),
        (Stage::Label, vec!["label-invalid"])
    );
}

#[test]
fn unlabelled_public_material_gets_the_flows_default_label() {
    let (guard, _) = laptop();
    let bulletin = data("guard/objects/bulletin.xml");
    let Verdict::Release(release) = guard.check_at(
        Transfer::new("public-internet", "mission-restricted", bulletin),
        AT,
    ) else {
        panic!("denied")
    };
    assert_eq!(release.marking, "NATO UNCLASSIFIED");
    // The label the guard wrote reads back, validates, and says UNCLASSIFIED.
    let read = read_label_xml(&release.originator_label, Strictness::Strict).unwrap();
    let policies = guard.policies();
    let valid = validate(policies, &read.label.body.information, AT, read.warnings).unwrap();
    let name = &valid
        .policy()
        .classification(valid.classification())
        .unwrap()
        .name;
    assert_eq!(&**name, "UNCLASSIFIED");
    assert!(release.warnings.iter().any(|w| w.contains("default label")));
}

#[test]
fn the_release_flow_needs_its_rule_and_stricter_content() {
    let (guard, _) = laptop();
    let release = |label_name: &str, declared: Option<&str>, object: Bytes| {
        let mut t = Transfer::new("nato-secret", "mission-restricted", object)
            .with_label(label(label_name));
        if let Some(d) = declared {
            t = t.with_type(d);
        }
        guard.check_at(t, AT)
    };
    let text = data("guard/objects/release-summary.txt");
    assert!(release("restricted-releasable", Some("text/plain"), text.clone()).is_release());

    let unmarked = denied(release("restricted-nato", Some("text/plain"), text.clone()));
    assert_eq!(
        (unmarked.stage, codes(&unmarked)),
        (Stage::Access, vec!["release-marking-missing"])
    );

    let secret = denied(release("secret-nato", Some("text/plain"), text.clone()));
    assert_eq!(secret.stage, Stage::Access);
    assert_eq!(codes(&secret)[0], "above-destination-clearance");
    assert!(codes(&secret).contains(&"classification-not-cleared"));

    let france = denied(release(
        "restricted-rel-fra",
        Some("text/plain"),
        text.clone(),
    ));
    assert_eq!(
        codes(&france)[..2],
        ["above-destination-clearance", "permissive-none-held"]
    );

    let untyped = denied(release("restricted-releasable", None, text.clone()));
    assert_eq!(
        (untyped.stage, codes(&untyped)),
        (Stage::Content, vec!["type-missing"])
    );
    let pdf = denied(release(
        "restricted-releasable",
        Some("application/pdf"),
        text,
    ));
    assert_eq!(codes(&pdf), ["type-refused"]);
    let big = denied(release(
        "restricted-releasable",
        Some("text/plain"),
        Bytes::from(vec![b'a'; 1024 * 1024 + 1]),
    ));
    assert_eq!(
        (big.stage, codes(&big)),
        (Stage::Content, vec!["object-too-large"])
    );

    let unlabelled = denied(
        guard.check_at(
            Transfer::new(
                "nato-secret",
                "mission-restricted",
                data("guard/objects/annex.txt"),
            )
            .with_type("text/plain"),
            AT,
        ),
    );
    assert_eq!(codes(&unlabelled), ["unlabelled"]);

    let ess = denied(
        guard.check_at(
            Transfer::new(
                "nato-secret",
                "mission-restricted",
                data("guard/objects/annex.txt"),
            )
            .with_type("text/plain")
            .with_label(LabelInput::Bytes(data(
                "ess/nato-secret-releasable-nato-aus.der",
            ))),
            AT,
        ),
    );
    assert_eq!(
        (ess.stage, codes(&ess)),
        (Stage::Label, vec!["label-format-refused"])
    );
}

#[test]
fn no_flow_no_transfer_and_nothing_flows_back() {
    let (guard, _) = laptop();
    for (from, to) in [
        ("nato-secret", "public-internet"),
        ("mission-restricted", "public-internet"),
        ("nato-secret", "nato-secret"),
    ] {
        let d = denied(guard.check_at(
            Transfer::new(from, to, object()).with_label(label("unclassified-nato")),
            AT,
        ));
        assert_eq!(
            (d.stage, codes(&d)),
            (Stage::Flow, vec!["no-flow"]),
            "{from} -> {to}"
        );
    }
    let d = denied(guard.check_at(Transfer::new("moon", "nato-secret", object()), AT));
    assert_eq!(codes(&d), ["unknown-domain"]);
}

#[test]
fn sender_controlled_fields_are_bounded_and_still_audited() {
    let (guard, sink) = laptop();
    let huge = "x".repeat(2 * 1024 * 1024);
    let d = denied(guard.check_at(Transfer::new(&huge, "nato-secret", object()), AT));
    assert_eq!((d.stage, codes(&d)), (Stage::Flow, vec!["unknown-domain"]));
    assert!(
        d.audit_seq.is_some(),
        "the denial of a 2 MiB domain name is audited"
    );
    let long_id = "i".repeat(crossguard::limits::MAX_TRANSFER_FIELD_BYTES + 1);
    let d = denied(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(label("restricted-nato"))
                .with_id(&long_id),
            AT,
        ),
    );
    assert_eq!(codes(&d), ["transfer-field-too-long"]);
    assert!(d.audit_seq.is_some());
    let d = denied(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(label("restricted-nato"))
                .with_type(&huge),
            AT,
        ),
    );
    assert_eq!(codes(&d), ["transfer-field-too-long"]);
    assert!(sink.lines().unwrap().iter().all(|l| l.len() < 8 * 1024));
}

#[test]
fn an_ess_label_is_accepted_where_the_flow_allows_it() {
    let (guard, _) = laptop();
    let ess = |name: &str| LabelInput::Bytes(data(&format!("guard/labels/{name}.der")));
    let t = Transfer::new("mission-restricted", "nato-secret", object())
        .with_label(ess("restricted-nato"));
    let Verdict::Release(release) = guard.check_at(t, AT) else {
        panic!("denied")
    };
    assert_eq!(
        release.originator_format,
        crossguard::flow::LabelFormat::EssDer
    );
    assert_eq!(
        release.originator_label,
        data("guard/labels/restricted-nato.der")
    );
    // SECRET in DER: above the mission network, refused by the source check after the label
    // stage parsed and validated the DER.
    let d = denied(guard.check_at(
        Transfer::new("mission-restricted", "nato-secret", object()).with_label(ess("secret-nato")),
        AT,
    ));
    assert_eq!(
        (d.stage, codes(&d)[0]),
        (Stage::Access, "above-source-clearance")
    );
    // A DER label under a policy the guard does not know is invalid.
    let d = denied(guard.check_at(
        Transfer::new("mission-restricted", "nato-secret", object()).with_label(LabelInput::Bytes(
            data("ess/nato-secret-releasable-nato-aus.der"),
        )),
        AT,
    ));
    assert_eq!((d.stage, codes(&d)), (Stage::Label, vec!["label-invalid"]));
}

#[test]
fn every_decision_is_audited_and_the_log_verifies() {
    let key = AuditKey::generate().unwrap();
    let sink = Arc::new(MemorySink::new(key.clone(), 3).unwrap());
    let config = GuardConfig::embedded(Path::new(".")).unwrap();
    let guard = Guard::build(&config, sink.clone()).unwrap();
    let mut seqs = Vec::new();
    for (from, to, name) in [
        ("mission-restricted", "nato-secret", "restricted-nato"),
        ("mission-restricted", "nato-secret", "secret-nato"),
        ("nato-secret", "public-internet", "unclassified-nato"),
        ("nato-secret", "mission-restricted", "restricted-releasable"),
    ] {
        let t = Transfer::new(from, to, object())
            .with_label(label(name))
            .with_type("text/plain");
        seqs.push(match guard.check_at(t, AT) {
            Verdict::Release(r) => r.audit_seq,
            Verdict::Deny(d) => d.audit_seq.unwrap(),
        });
    }
    seqs.windows(2).for_each(|w| assert!(w[0] < w[1]));
    sink.close().unwrap();
    let bytes = sink.drain().unwrap();
    let summary = verify(&bytes, &key, VerifyOptions::default()).unwrap();
    assert_eq!(summary.records, 4);
    let text = String::from_utf8(bytes).unwrap();
    let records: Vec<AuditRecord> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("record").cloned())
        .map(|r| serde_json::from_value(r).unwrap())
        .collect();
    assert_eq!(records.len(), 4);
    assert_eq!(records[1].stage.as_deref(), Some("access"));
    assert_eq!(records[2].stage.as_deref(), Some("flow"));
    assert_eq!(records[3].stage, None);
    let label = records[0].label.as_ref().unwrap();
    assert_eq!(label.classification, "RESTRICTED");
    assert_eq!(
        label.digest,
        crossguard::audit::sha256_hex(&data("guard/labels/restricted-nato.xml"))
    );
    assert_eq!(
        records[0].object.sha256,
        crossguard::audit::sha256_hex(&object())
    );
    assert_eq!(records[0].policies[0].name, "NATO");
}

/// A sink whose storage has failed (a full disk, a revoked file): every append errors.
struct BrokenSink;

impl AuditSink for BrokenSink {
    fn append(&self, _: &AuditRecord) -> Result<u64, AuditError> {
        Err(AuditError::io("append", std::io::Error::other("disk full")))
    }
    fn sync(&self) -> Result<(), AuditError> {
        Ok(())
    }
}

#[test]
fn if_auditing_fails_nothing_is_released() {
    let config = GuardConfig::embedded(Path::new(".")).unwrap();
    let guard = Guard::build(&config, Arc::new(BrokenSink)).unwrap();
    let d = denied(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(label("restricted-nato")),
            AT,
        ),
    );
    assert_eq!(
        (d.stage, d.failure, codes(&d)),
        (Stage::Audit, true, vec!["audit-failed"])
    );
    assert_eq!(d.audit_seq, None);
    // A denial is still reported, with the audit failure added to its reasons.
    let d = denied(guard.check_at(Transfer::new("moon", "nato-secret", object()), AT));
    assert_eq!(
        (d.stage, codes(&d)),
        (Stage::Flow, vec!["unknown-domain", "audit-failed"])
    );
}

/// A sink that writes each entry (into memory) and then fails to make it durable, as a file
/// sink whose fsync fails after the write.
struct SyncFailsSink(MemorySink);

impl AuditSink for SyncFailsSink {
    fn append(&self, record: &AuditRecord) -> Result<u64, AuditError> {
        let seq = self.0.append(record)?;
        Err(
            AuditError::io("sync the log", std::io::Error::other("I/O error"))
                .with_written_seq(seq),
        )
    }
    fn sync(&self) -> Result<(), AuditError> {
        self.0.sync()
    }
}

#[test]
fn a_release_entry_written_but_not_durable_is_reported_void() {
    let config = GuardConfig::embedded(Path::new(".")).unwrap();
    let sink = Arc::new(SyncFailsSink(
        MemorySink::new(AuditKey::generate().unwrap(), 100).unwrap(),
    ));
    let guard = Guard::build(&config, sink.clone()).unwrap();
    let d = denied(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(label("restricted-nato")),
            AT,
        ),
    );
    assert_eq!(
        (d.stage, d.failure, codes(&d)),
        (Stage::Audit, true, vec!["audit-failed"])
    );
    let lines = sink.0.lines().unwrap();
    let entry: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    let seq = entry["seq"].as_u64().unwrap();
    // The entry written says "release"; the denial names it void and claims no entry of its own.
    assert_eq!(entry["record"]["verdict"], "release", "{entry}");
    assert_eq!((d.audit_seq, d.void_audit_seq), (None, Some(seq)));
    assert!(
        d.reasons[0].message.contains(&format!("entry {seq}")),
        "{d}"
    );
    // A denial whose entry was written but not made durable keeps that entry's number.
    let d = denied(guard.check_at(Transfer::new("moon", "nato-secret", object()), AT));
    assert_eq!(codes(&d), vec!["unknown-domain", "audit-failed"]);
    assert_eq!((d.audit_seq, d.void_audit_seq), (Some(seq + 1), None));
}

#[test]
fn content_inspection_checks_the_true_type_and_the_format() {
    let (guard, sink) = laptop();
    let send = |object: &[u8], declared: Option<&str>| {
        let mut t = Transfer::new(
            "mission-restricted",
            "nato-secret",
            Bytes::copy_from_slice(object),
        )
        .with_label(label("restricted-nato"));
        if let Some(d) = declared {
            t = t.with_type(d);
        }
        guard.check_at(t, AT)
    };
    // What passes: text, JSON, XML, each declared as itself or not at all.
    for (object, declared) in [
        (&b"plain report\n"[..], Some("text/plain")),
        (&b"{\"a\": [1, 2]}"[..], Some("application/json")),
        (
            &b"<report><line>ok</line></report>"[..],
            Some("application/xml"),
        ),
        (&b"undeclared text"[..], None),
    ] {
        assert!(
            send(object, declared).is_release(),
            "{:?}",
            String::from_utf8_lossy(object)
        );
    }
    let cases: [(&[u8], Option<&str>, &str); 7] = [
        (b"%PDF-1.7\n", Some("application/pdf"), "type-not-allowed"),
        (b"\x7fELF\x02\x01\x01", None, "type-not-allowed"),
        (b"\x00\x01binary", None, "type-unknown"),
        (b"{\"a\": 1}", Some("text/plain"), "type-mismatch"),
        (
            b"{\"a\": 1, \"a\": 2}",
            Some("application/json"),
            "format-invalid",
        ),
        (b"<a><b></a>", Some("application/xml"), "format-invalid"),
        (
            "ok \u{202E}dekcah\n".as_bytes(),
            Some("text/plain"),
            "format-invalid",
        ),
    ];
    for (object, declared, code) in cases {
        let d = denied(send(object, declared));
        assert_eq!(
            (d.stage, d.failure, codes(&d)),
            (Stage::Content, false, vec![code]),
            "{:?}",
            String::from_utf8_lossy(object)
        );
    }
    // The reason says where: the JSON duplicate's pointer, the text's line and column.
    let d = denied(send(b"{\"a\": 1,\n \"a\": 2}", Some("application/json")));
    assert!(
        d.reasons[0]
            .message
            .contains("duplicate member name \"a\" at line 2, column 2"),
        "{d}"
    );
    // Every decision, denials included, is audited.
    assert!(sink.lines().unwrap().len() > cases.len() + 4);
}

#[test]
fn inspector_configuration_errors_are_precise() {
    let flow = "labels = [\"4774-xml\", \"ess-der\"]\nunlabelled = \"deny\"\ncontent = { inspect = [\"true-type\", \"format\", \"markings\"], true_types = [\"text\", \"json\", \"xml\", \"label-4774\"] }";
    let cases: [(&str, &str); 8] = [
        (
            "content = { inspect = [\"true-type\", \"virus-scan\"], true_types = [\"text\"] }",
            "unknown-inspector",
        ),
        (
            "content = { inspect = [\"true-type\", \"true-type\"], true_types = [\"text\"] }",
            "duplicate-inspector",
        ),
        (
            "content = { inspect = [\"true-type\"], true_types = [\"exe\"] }",
            "unknown-true-type",
        ),
        (
            "content = { inspect = [\"true-type\"] }",
            "true-types-missing",
        ),
        (
            "content = { true_types = [\"text\"] }",
            "true-types-without-inspector",
        ),
        (
            "content = { inspect = [\"format\"] }",
            "format-without-true-type",
        ),
        // Found in review: detection alone reads the head only.
        (
            "content = { inspect = [\"true-type\"], true_types = [\"text\"] }",
            "format-missing",
        ),
        (
            "content = { inspect = [\"true-type\", \"format\"], true_types = [\"text\", \"pdf\"] }",
            "true-type-not-inspectable",
        ),
    ];
    for (content, code) in cases {
        let e = config_error(|text: &mut String| {
            let from = flow.lines().last().unwrap();
            assert!(text.contains(from));
            *text = text.replacen(from, content, 1);
        });
        assert_eq!(e.code(), code, "{e}");
        assert!(
            e.to_string()
                .contains("flow mission-restricted -> nato-secret"),
            "{e}"
        );
    }
}

/// An edit of the embedded configuration text.
type Edit = Box<dyn FnOnce(&mut String)>;

fn config_error(edit: impl FnOnce(&mut String)) -> ConfigError {
    let mut text = crossguard::guard::EMBEDDED_CONFIG.to_owned();
    edit(&mut text);
    let config = match GuardConfig::from_toml(&text, Path::new(".")) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 10).unwrap());
    match Guard::build(&config, sink) {
        Ok(_) => panic!("built"),
        Err(e) => e,
    }
}

fn replace(from: &'static str, to: &'static str) -> impl FnOnce(&mut String) {
    move |text: &mut String| {
        assert!(text.contains(from), "{from}");
        *text = text.replacen(from, to, 1);
    }
}

#[test]
fn configuration_errors_are_precise() {
    let cases: Vec<(Edit, &str, &str)> = vec![
        (
            Box::new(replace("kind = \"release\"", "kind = \"import\"")),
            "kind-contradicts-clearances",
            "flow nato-secret -> mission-restricted",
        ),
        (
            Box::new(replace(
                "kind = \"import\"\nunlabelled = \"default\"",
                "kind = \"release\"\nunlabelled = \"default\"",
            )),
            "kind-contradicts-clearances",
            "flow public-internet -> mission-restricted",
        ),
        (
            Box::new(replace("unsigned_labels = \"accept\"\n", "")),
            "unsigned-labels-not-accepted",
            "flow nato-secret -> mission-restricted",
        ),
        (
            Box::new(replace(
                "max_classification = \"RESTRICTED\"",
                "max_classification = \"SECRET\"",
            )),
            "release-above-destination",
            "mission-restricted",
        ),
        (
            Box::new(replace(
                "from = \"mission-restricted\"\nto = \"nato-secret\"",
                "from = \"mission-restricted\"\nto = \"nato-top-secret\"",
            )),
            "unknown-domain",
            "nato-top-secret",
        ),
        (
            Box::new(replace("policy = \"NATO\"", "policy = \"NOSUCH\"")),
            "unknown-policy",
            "nato-secret",
        ),
        (
            Box::new(replace("\"ATOMAL\", \"CRYPTO\"", "\"ATOMAL\", \"KRYPTO\"")),
            "invalid-clearance",
            "KRYPTO",
        ),
        (
            Box::new(replace(
                "name = \"public-internet\"",
                "name = \"nato-secret\"",
            )),
            "duplicate-domain",
            "nato-secret",
        ),
        (
            Box::new(replace(
                "default_label = { classification = \"UNCLASSIFIED\"",
                "default_label = { classification = \"RESTRICTED\"",
            )),
            "invalid-default-label",
            "above what public-internet may hold",
        ),
        (
            Box::new(|t: &mut String| {
                t.push_str("\n[[flow]]\nfrom = \"mission-restricted\"\nto = \"nato-secret\"\nkind = \"import\"\n")
            }),
            "duplicate-flow",
            "mission-restricted -> nato-secret",
        ),
        (
            Box::new(|t: &mut String| {
                t.push_str("\n[[flow]]\nfrom = \"mission-restricted\"\nto = \"public-internet\"\nkind = \"release\"\n")
            }),
            "missing-release-rule",
            "mission-restricted -> public-internet",
        ),
        (
            Box::new(replace(
                "unlabelled = \"deny\"\ncontent = { inspect",
                "unlabelled = \"default\"\ncontent = { inspect",
            )),
            "missing-default-label",
            "mission-restricted -> nato-secret",
        ),
        (
            Box::new(replace("max_bytes = 1048576", "max_bytes = 99999999999")),
            "limit-too-large",
            "max_object_bytes",
        ),
    ];
    for (edit, code, needle) in cases {
        let e = config_error(edit);
        assert_eq!(e.code(), code, "{e}");
        assert!(e.to_string().contains(needle), "{needle:?} not in {e}");
    }
}

#[test]
fn review_findings_are_closed() {
    let (guard, sink) = laptop();
    // An alternative label alone is not an object's label.
    let d = denied(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(LabelInput::Bytes(data("label/alternative.xml"))),
            AT,
        ),
    );
    assert_eq!(
        (d.stage, codes(&d)),
        (Stage::Label, vec!["label-kind-refused"])
    );
    // A release is decided on a label under the source's own policy, never on a mapping that
    // could add the required `Context: Releasable`.
    let d = denied(
        guard.check_at(
            Transfer::new("nato-secret", "mission-restricted", object())
                .with_type("text/plain")
                .with_label(LabelInput::Bytes(data("label/xland-secret.xml"))),
            AT,
        ),
    );
    assert_eq!(
        (d.stage, codes(&d)),
        (Stage::Label, vec!["release-foreign-policy"])
    );
    // A refused label still leaves its digest in the audit record.
    let garbage = Bytes::from_static(b"<not-a-label/>");
    let d = denied(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(LabelInput::Bytes(garbage.clone())),
            AT,
        ),
    );
    assert_eq!(d.stage, Stage::Label);
    let last = sink.lines().unwrap().pop().unwrap();
    assert!(
        last.contains(&crossguard::audit::sha256_hex(&garbage)),
        "{last}"
    );

    // Configuration: the default label is the source's system high; never across policies;
    // a required value list is never empty; names and durability are checked by the build.
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(replace(
                "labels = [\"4774-xml\", \"ess-der\"]\nunlabelled = \"deny\"",
                "labels = [\"4774-xml\", \"ess-der\"]\nunlabelled = \"default\"\ndefault_label = { classification = \"UNCLASSIFIED\", categories = [{ tag_set = \"Context\", type = \"permissive\", values = [\"NATO\"] }] }",
            )),
            "invalid-default-label",
        ),
        (
            Box::new(replace("values = [\"Releasable\"] }]\nunsigned", "values = [] }]\nunsigned")),
            "invalid-release-rule",
        ),
        (
            Box::new(replace("name = \"laptop\"", "name = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"")),
            "invalid-name",
        ),
        (
            Box::new(replace("durability = \"batch\"", "durability = \"sometimes\"")),
            "unknown-durability",
        ),
    ];
    for (edit, code) in cases {
        let e = config_error(edit);
        assert_eq!(e.code(), code, "{e}");
    }
    let across = format!(
        "{TWO_POLICIES}unlabelled = \"default\"\ndefault_label = {{ classification = \"SECRET\" }}\n"
    );
    let e = Guard::build(
        &GuardConfig::from_toml(&across, Path::new(".")).unwrap(),
        Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 10).unwrap()),
    )
    .unwrap_err();
    assert_eq!(e.code(), "default-label-across-policies", "{e}");
}

#[test]
fn configuration_syntax_errors_carry_the_position() {
    let e =
        GuardConfig::from_toml("[guard]\nname = \"x\"\nbogus = 1\n", Path::new(".")).unwrap_err();
    assert_eq!(e.code(), "config-syntax");
    assert!(e.to_string().contains("line 3"), "{e}");
    let e = GuardConfig::from_toml("[[flow]]\nfrom = \"a\"\n", Path::new(".")).unwrap_err();
    assert!(e.to_string().contains("missing field `to`"), "{e}");
    let huge = "#".repeat(crossguard::limits::MAX_CONFIG_BYTES + 1);
    assert_eq!(
        GuardConfig::from_toml(&huge, Path::new("."))
            .unwrap_err()
            .code(),
        "config-too-large"
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const DOMAINS: [&str; 4] = [
        "nato-secret",
        "mission-restricted",
        "public-internet",
        "moon",
    ];
    const LABELS: [&str; 5] = [
        "restricted-releasable",
        "restricted-nato",
        "secret-nato",
        "unclassified-nato",
        "restricted-rel-fra",
    ];

    fn oracle_allows(guard: &Guard, from: &str, to: &str, label_name: Option<&str>) -> bool {
        let Some(flow) = guard.flows().iter().find(|f| {
            guard.domains()[f.from].name.as_ref() == from
                && guard.domains()[f.to].name.as_ref() == to
        }) else {
            return false;
        };
        let destination = &guard.domains()[flow.to];
        let policy = guard.policies().get(destination.policy).unwrap();
        let clearance =
            ValidClearance::borrowing(policy, destination.classes, &destination.categories)
                .unwrap();
        match label_name {
            None => flow.default_label.is_some(),
            Some(name) => {
                let bytes = data(&format!("guard/labels/{name}.xml"));
                let read = read_label_xml(&bytes, Strictness::Strict).unwrap();
                let label = validate(
                    guard.policies(),
                    &read.label.body.information,
                    AT,
                    Vec::new(),
                )
                .unwrap();
                decide(&label, &clearance) == Access::Granted
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// No release unless a flow exists from → to and the ACDF against the destination
        /// clearance grants the label.
        #[test]
        fn release_implies_flow_and_destination_grant(
            from in 0..DOMAINS.len(),
            to in 0..DOMAINS.len(),
            label_index in proptest::option::of(0..LABELS.len()),
            typed in any::<bool>(),
        ) {
            let (guard, sink) = laptop();
            let label_name = label_index.map(|i| LABELS[i]);
            let mut t = Transfer::new(DOMAINS[from], DOMAINS[to], object());
            if let Some(name) = label_name {
                t = t.with_label(label(name));
            }
            if typed {
                t = t.with_type("text/plain");
            }
            // An assessment leaves no trace and agrees with the decision, reason for reason.
            let lines = sink.lines().unwrap().len();
            let assessment = guard.assess_at(&t, AT);
            prop_assert_eq!(sink.lines().unwrap().len(), lines);
            let verdict = guard.check_at(t, AT);
            match (&assessment, &verdict) {
                (Assessment::Pass { marking, warnings }, Verdict::Release(r)) => {
                    prop_assert_eq!(marking, &r.marking);
                    prop_assert_eq!(warnings, &r.warnings);
                }
                (Assessment::Refuse { stage, failure, reasons }, Verdict::Deny(d)) => {
                    prop_assert_eq!((stage, failure, reasons), (&d.stage, &d.failure, &d.reasons));
                }
                _ => prop_assert!(false, "{assessment:?} but {verdict:?}"),
            }
            if verdict.is_release() {
                prop_assert!(oracle_allows(&guard, DOMAINS[from], DOMAINS[to], label_name));
            }
        }

        /// Arbitrary label bytes never release through a broken audit, and never release an
        /// unparseable label.
        #[test]
        fn no_release_on_any_error(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let config = GuardConfig::embedded(Path::new(".")).unwrap();
            let guard = Guard::build(&config, Arc::new(BrokenSink)).unwrap();
            let t = Transfer::new("public-internet", "mission-restricted", object())
                .with_label(LabelInput::Bytes(Bytes::from(bytes.clone())));
            prop_assert!(!guard.check_at(t, AT).is_release());
            let (guard, _) = laptop();
            let t = Transfer::new("mission-restricted", "nato-secret", object())
                .with_label(LabelInput::Bytes(Bytes::from(bytes)));
            prop_assert!(!guard.check_at(t, AT).is_release());
        }
    }
}

const TWO_POLICIES: &str = r#"
[[domain]]
name = "nato-secret"
policy = "NATO"
[domain.clearance]
classifications = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"]
categories = [
  { tag_set = "Additional Sensitivity", type = "restrictive", values = ["CRYPTO"] },
  { tag_set = "Releasable To", type = "permissive", values = ["NATO", "XLD"] },
  { tag_set = "Context", type = "permissive", values = ["NATO", "Releasable"] },
]

[[domain]]
name = "xland-secret"
policy = "urn:oid:2.25.126012349812034871230498712304987124"
[domain.clearance]
classifications = ["XLAND UNCLASSIFIED", "XLAND RESTRICTED", "XLAND CONFIDENTIAL", "XLAND SECRET"]
categories = [
  { tag_set = "Handling", type = "restrictive", values = ["CRYPTO"] },
  { tag_set = "Releasable To", type = "permissive", values = ["NATO", "XLD"] },
]

[[flow]]
from = "nato-secret"
to = "xland-secret"
kind = "peer"

[[flow]]
from = "xland-secret"
to = "nato-secret"
kind = "peer"
"#;

/// `TWO_POLICIES` where each domain also states a clearance under the other's policy.
fn two_policies_with_also() -> String {
    let text = String::from_utf8(data("guard/coalition.toml").to_vec()).unwrap();
    assert_eq!(text.matches("\n[[domain.also]]\n").count(), 2);
    text
}

#[test]
fn a_domain_that_also_takes_another_policy_decides_natively() {
    let config = GuardConfig::from_toml(&two_policies_with_also(), Path::new(".")).unwrap();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 10).unwrap());
    let guard = Guard::build(&config, sink).unwrap();
    let send = |from: &str, to: &str, name: &str| {
        guard.check_at(
            Transfer::new(from, to, object()).with_label(LabelInput::Bytes(data(name))),
            AT,
        )
    };

    // NATO -> XLAND: refused through the lossy mapping (see the test above), released when
    // XLAND states a NATO clearance: decided under NATO, with Context checked natively. No
    // alternative label, because the XLAND form would drop Context; a warning says so.
    let Verdict::Release(r) = send(
        "nato-secret",
        "xland-secret",
        "guard/labels/secret-nato.xml",
    ) else {
        panic!("denied")
    };
    assert_eq!(r.alternative_label, None);
    assert!(r.marking.starts_with("NATO SECRET"), "{}", r.marking);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("no alternative label") && w.contains("Context")),
        "{:?}",
        r.warnings
    );

    // Natively means every restriction counts: XLAND holds no NATO CRYPTO.
    let d = denied(send(
        "nato-secret",
        "xland-secret",
        "label/confidential-rel-xland.xml",
    ));
    assert_eq!(d.stage, Stage::Access);
    assert_eq!(codes(&d)[0], "above-destination-clearance");
    assert!(d.to_string().contains("CRYPTO"), "{d}");

    // XLAND -> NATO, decided under XLAND; the lossless mapping to NATO goes beside it.
    let Verdict::Release(r) = send("xland-secret", "nato-secret", "label/xland-secret.xml") else {
        panic!("denied")
    };
    assert!(r.marking.starts_with("XLAND SECRET"), "{}", r.marking);
    let alternative = r.alternative_label.expect("an alternative label");
    let read = read_label_xml(alternative.as_bytes(), Strictness::Strict).unwrap();
    let valid = validate(
        guard.policies(),
        &read.label.body.information,
        AT,
        read.warnings,
    )
    .unwrap();
    assert_eq!(valid.policy().name(), "NATO");

    // The `also` clearance may not lift the domain above its own clearance, may not repeat a
    // policy, and must name a known one.
    let build = |text: String| {
        Guard::build(
            &GuardConfig::from_toml(&text, Path::new(".")).unwrap(),
            Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 10).unwrap()),
        )
        .map(|_| ())
        .unwrap_err()
    };
    let base = two_policies_with_also();
    let cases = [
        (
            base.replacen(
                "classifications = [\"UNCLASSIFIED\", \"RESTRICTED\", \"CONFIDENTIAL\", \"SECRET\"]\ncategories = [\n  { tag_set = \"Releasable To\", type = \"permissive\", values = [\"NATO\", \"XLD\"] },\n  { tag_set = \"Context\"",
                "classifications = [\"UNCLASSIFIED\", \"RESTRICTED\", \"CONFIDENTIAL\", \"SECRET\", \"TOP SECRET\"]\ncategories = [\n  { tag_set = \"Releasable To\", type = \"permissive\", values = [\"NATO\", \"XLD\"] },\n  { tag_set = \"Context\"",
                1,
            ),
            "also-exceeds-clearance",
            "TOP SECRET",
        ),
        (
            base.replacen("policy = \"NATO\"\nclassifications", "policy = \"urn:oid:2.25.126012349812034871230498712304987124\"\nclassifications", 1),
            "duplicate-clearance",
            "already has a clearance",
        ),
        (
            base.replacen("policy = \"NATO\"\nclassifications", "policy = \"ATLANTIS\"\nclassifications", 1),
            "unknown-policy",
            "ATLANTIS",
        ),
    ];
    for (text, code, words) in cases {
        assert_ne!(text, base, "{code}: the edit did not apply");
        let e = build(text);
        assert_eq!(e.code(), code, "{e}");
        assert!(e.to_string().contains(words), "{e}");
        assert!(e.to_string().contains("xland-secret"), "{e}");
    }
}

#[test]
fn a_peer_flow_across_policies_adds_the_alternative_label() {
    let config = GuardConfig::from_toml(TWO_POLICIES, Path::new(".")).unwrap();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 10).unwrap());
    let guard = Guard::build(&config, sink).unwrap();
    let original = data("label/xland-secret.xml");
    let t = Transfer::new("xland-secret", "nato-secret", object())
        .with_label(LabelInput::Bytes(original.clone()));
    let Verdict::Release(release) = guard.check_at(t, AT) else {
        panic!("denied")
    };
    // The originator label is kept byte for byte; the mapped one is added beside it.
    assert_eq!(release.originator_label, original);
    let alternative = release.alternative_label.expect("an alternative label");
    let read = read_label_xml(alternative.as_bytes(), Strictness::Strict).unwrap();
    assert_eq!(read.label.kind, crossguard::label::LabelKind::Alternative);
    let valid = validate(
        guard.policies(),
        &read.label.body.information,
        AT,
        read.warnings,
    )
    .unwrap();
    assert_eq!(valid.policy().name(), "NATO");
    assert_eq!(
        &*valid
            .policy()
            .classification(valid.classification())
            .unwrap()
            .name,
        "SECRET"
    );
    assert!(
        release.marking.starts_with("NATO SECRET"),
        "{}",
        release.marking
    );

    // NATO -> XLAND: the demo SPIF discards the permissive Context when mapping to XLAND, so
    // the mapped label would lose a release restriction; the guard refuses rather than widen
    // (this was a release of a NATO-only SECRET label before the review).
    for name in [
        "label/confidential-rel-xland.xml",
        "guard/labels/secret-nato.xml",
    ] {
        let d = denied(
            guard.check_at(
                Transfer::new("nato-secret", "xland-secret", object())
                    .with_label(LabelInput::Bytes(data(name))),
                AT,
            ),
        );
        assert_eq!(
            (d.stage, codes(&d)),
            (Stage::Label, vec!["mapping-drops-restriction"]),
            "{name}"
        );
        assert!(
            d.reasons[0].message.contains("Context"),
            "{}",
            d.reasons[0].message
        );
    }

    // The same edge as an import contradicts the equivalent classifications.
    let e = Guard::build(
        &GuardConfig::from_toml(
            &TWO_POLICIES.replace("kind = \"peer\"", "kind = \"import\""),
            Path::new("."),
        )
        .unwrap(),
        Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 10).unwrap()),
    )
    .unwrap_err();
    assert_eq!(e.code(), "kind-contradicts-clearances", "{e}");
}

#[test]
fn schema_words_markings_and_cdr_inspector_errors_are_precise() {
    let line = "content = { inspect = [\"true-type\", \"format\", \"markings\"], true_types = [\"text\", \"json\", \"xml\", \"label-4774\"] }";
    let inspect = |list: &str, extra: &str| {
        format!(
            "content = {{ inspect = [{list}], true_types = [\"text\", \"json\", \"xml\"]{extra} }}"
        )
    };
    let cases: Vec<(String, &str)> = vec![
        (inspect("\"true-type\", \"format\", \"schema\"", ""), "schema-missing"),
        (
            inspect("\"true-type\", \"format\"", ", schema = '{\"type\": \"object\"}'"),
            "schema-without-inspector",
        ),
        (
            inspect("\"true-type\", \"format\", \"schema\"", ", schema = '{\"type\": \"float\"}'"),
            "schema-invalid",
        ),
        (
            inspect("\"true-type\", \"format\", \"schema\"", ", schema = '{\"typo\": 1}'"),
            "schema-invalid",
        ),
        (
            "content = { inspect = [\"true-type\", \"format\", \"schema\"], true_types = [\"text\"], schema = '{}' }".to_owned(),
            "schema-without-json",
        ),
        (inspect("\"true-type\", \"format\", \"words\"", ""), "words-missing"),
        (
            inspect("\"true-type\", \"format\"", ", words = { phrases = [\"x\"] }"),
            "words-without-inspector",
        ),
        (
            inspect("\"true-type\", \"format\", \"words\"", ", words = { phrases = [] }"),
            "words-empty",
        ),
        (
            inspect(
                "\"true-type\", \"format\", \"words\"",
                ", words = { phrases = [\"Eyes Only\", \"EYES  ONLY\"] }",
            ),
            "words-invalid",
        ),
        ("content = { inspect = [\"markings\"] }".to_owned(), "inspector-without-format"),
        (inspect("\"true-type\", \"format\", \"cdr\", \"markings\"", ""), "cdr-not-last"),
        (inspect("\"true-type\", \"markings\", \"format\"", ""), "inspector-order"),
        (
            "content = { xml = { elements = [\"a\"] } }".to_owned(),
            "xml-rules-without-format",
        ),
        (
            "content = { inspect = [\"true-type\", \"format\"], true_types = [\"text\"], xml = { elements = [\"a\"] } }".to_owned(),
            "xml-rules-without-xml",
        ),
        (
            inspect("\"true-type\", \"format\"", ", xml = { elements = [\"{urn:x\"] }"),
            "xml-element-name",
        ),
    ];
    for (content, code) in cases {
        let e = config_error(|text: &mut String| {
            assert!(text.contains(line));
            *text = text.replacen(line, &content, 1);
        });
        assert_eq!(e.code(), code, "{content}: {e}");
    }
}

fn sample(name: &str) -> Bytes {
    data(&format!("guard/objects/{name}"))
}

fn release(verdict: Verdict) -> crossguard::guard::Release {
    match verdict {
        Verdict::Release(r) => r,
        Verdict::Deny(d) => panic!("denied: {d}"),
    }
}

#[test]
fn a_json_feed_is_checked_against_the_schema_and_released_rebuilt() {
    let (guard, sink) = laptop();
    let send = |object: Bytes| {
        guard.check_at(
            Transfer::new("public-internet", "nato-secret", object).with_type("application/json"),
            AT,
        )
    };
    let feed = sample("feed.json");
    let r = release(send(feed.clone()));
    let canonical = crossguard::json::canonical::canonicalize(&feed, Default::default()).unwrap();
    assert_eq!(r.cdr, Some("json-rfc8785"));
    assert_eq!(&r.object[..], &canonical[..]);
    assert_ne!(&r.object[..], &feed[..]);
    // The rebuilt feed: no whitespace, members sorted, escapes and `2.0` rewritten.
    let text = std::str::from_utf8(&r.object).unwrap();
    assert!(
        text.starts_with("{\"items\":[{\"id\":1,\"lang\":\"en\",\"text\":"),
        "{text}"
    );
    assert!(
        text.contains("\"id\":2,") && text.contains("négociations à Genève"),
        "{text}"
    );
    // The audit record says what crossed.
    let line = sink.lines().unwrap().pop().unwrap();
    let entry: serde_json::Value = serde_json::from_str(&line).unwrap();
    let record = &entry["record"];
    let rebuilt = &record["object"]["rebuilt"];
    assert_eq!(rebuilt["method"], "json-rfc8785");
    assert_eq!(rebuilt["sha256"], crossguard::audit::sha256_hex(&canonical));
    assert_eq!(rebuilt["size"], u64::try_from(canonical.len()).unwrap());
    assert_eq!(
        record["object"]["sha256"],
        crossguard::audit::sha256_hex(&feed)
    );

    // An extra member smuggled into an item: refused, at its pointer.
    let d = denied(send(sample("feed-attachment.json")));
    assert_eq!(
        (d.stage, codes(&d)),
        (Stage::Content, vec!["schema-violation"])
    );
    assert!(d.reasons[0].message.contains("/items/1/attachment"), "{d}");
    // Text on the same flow is not JSON: the schema does not apply, and the text is rebuilt.
    let r = release(
        guard.check_at(
            Transfer::new(
                "public-internet",
                "nato-secret",
                Bytes::from_static(b"line\r\nCafe\xcc\x81\r\n"),
            )
            .with_type("text/plain"),
            AT,
        ),
    );
    assert_eq!(
        (r.cdr, &r.object[..]),
        (Some("text-nfc-lf"), "line\nCafé\n".as_bytes())
    );
    // Without cdr on a flow, the object crosses as given (the same bytes, not a copy).
    let sitrep = object();
    let r = release(
        guard.check_at(
            Transfer::new("mission-restricted", "nato-secret", sitrep.clone())
                .with_label(label("restricted-nato")),
            AT,
        ),
    );
    assert_eq!((r.cdr, r.object.as_ptr()), (None, sitrep.as_ptr()));
}

/// The `cdr` inspector rebuilds JSON in the pass of the flow's other scanning inspectors when
/// there is one, else on its own: the same rebuilt bytes either way (those of
/// `canonicalize`), and the same refusal of a number the rebuild cannot spell.
#[test]
fn json_is_rebuilt_the_same_in_the_shared_pass_and_on_its_own() {
    let alone = "content = { max_bytes = 4194304, inspect = [\"true-type\", \"format\", \"cdr\"], true_types = [\"text\", \"json\", \"xml\"] }";
    let shared = "content = { max_bytes = 4194304, inspect = [\"true-type\", \"format\", \"markings\", \"cdr\"], true_types = [\"text\", \"json\", \"xml\"] }";
    let text = crossguard::guard::EMBEDDED_CONFIG.replacen(alone, shared, 1);
    assert_ne!(text, crossguard::guard::EMBEDDED_CONFIG);
    let config = GuardConfig::from_toml(&text, Path::new(".")).unwrap();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 100).unwrap());
    let with_markings = Guard::build(&config, sink).unwrap();
    let (on_its_own, _) = laptop();
    let send = |guard: &Guard, doc: &'static str| {
        guard.check_at(
            Transfer::new(
                "public-internet",
                "mission-restricted",
                Bytes::from_static(doc.as_bytes()),
            )
            .with_type("application/json"),
            AT,
        )
    };
    for doc in [
        r#"{"b": [1.50, 2e3, -0.0, 1E-7, 1.23456789012345e23, 0.1, 1234567890.1234567],
            "a": "caf\u00e9", "\u00e9": {"z": null, "y": true}, "\ud83d\ude00": 1, "\uff61": 2}"#,
        "[\"\\\"quoted\\\"\", 3.141592653589793, 1e300, -2.5e-300, 4.9e-324]",
    ] {
        let expected =
            crossguard::json::canonical::canonicalize(doc.as_bytes(), Default::default()).unwrap();
        for guard in [&with_markings, &on_its_own] {
            let r = release(send(guard, doc));
            assert_eq!(
                (r.cdr, &r.object[..]),
                (Some("json-rfc8785"), &expected[..]),
                "{doc}"
            );
        }
    }
    // 2^53 + 1 spelt with a fraction: its canonical spelling would be another number.
    let doc = "{\"list\": [1, 9007199254740993.0]}";
    let reasons: Vec<(Stage, Vec<&str>, String)> = [&with_markings, &on_its_own]
        .iter()
        .map(|guard| {
            let d = denied(send(guard, doc));
            (d.stage, codes(&d), d.reasons[0].message.clone())
        })
        .collect();
    assert_eq!(reasons[0], reasons[1]);
    assert_eq!(reasons[0].0, Stage::Content);
    assert!(reasons[0].2.contains("/list/1"), "{:?}", reasons[0]);
}

#[test]
fn forbidden_words_are_found_through_evasions() {
    let (guard, _) = laptop();
    let send = |text: &str| {
        guard.check_at(
            Transfer::new(
                "nato-secret",
                "mission-restricted",
                Bytes::from(text.to_owned()),
            )
            .with_label(label("restricted-releasable"))
            .with_type("text/plain"),
            AT,
        )
    };
    assert!(send("Release summary: the eyes of the world.\n").is_release());
    for (text, phrase) in [
        ("handling: EYES ONLY\n", "EYES ONLY"),
        ("handling: eyes\n   only\n", "EYES ONLY"),
        ("handling: ＥＹＥＳ ＯＮＬＹ\n", "EYES ONLY"),
        ("handling: ey\u{200B}es on\u{00AD}ly\n", "EYES ONLY"),
        // Cyrillic Е and О.
        ("handling: \u{0415}YES \u{041E}NLY\n", "EYES ONLY"),
        ("caveat: n-o-f-o-r-n\n", "NOFORN"),
        ("caveat: N O F O R N\n", "NOFORN"),
    ] {
        let d = denied(send(text));
        assert_eq!(
            (d.stage, codes(&d)),
            (Stage::Content, vec!["forbidden-word"]),
            "{text}"
        );
        assert!(d.reasons[0].message.contains(phrase), "{text}: {d}");
    }
    // The offset is the byte in the object where the phrase starts.
    let caveat = sample("release-caveat.txt");
    let d = denied(
        guard.check_at(
            Transfer::new("nato-secret", "mission-restricted", caveat.clone())
                .with_label(label("restricted-releasable"))
                .with_type("text/plain"),
            AT,
        ),
    );
    let at = std::str::from_utf8(&caveat)
        .unwrap()
        .find("N.O.F.O.R.N")
        .unwrap();
    assert!(
        d.reasons[0]
            .message
            .contains(&format!("\"NOFORN\" at byte {at}")),
        "{d}"
    );
    // Not inside a longer word, and a plain phrase is not matched letter-spaced.
    assert!(send("the orcontrol panel; E.Y.E.S O.N.L.Y\n").is_release());
}

#[test]
fn markings_above_the_label_are_found_in_text_json_and_xml() {
    let (guard, _) = laptop();
    let up = |object: &[u8]| {
        guard.check_at(
            Transfer::new(
                "mission-restricted",
                "nato-secret",
                Bytes::copy_from_slice(object),
            )
            .with_label(label("restricted-nato")),
            AT,
        )
    };
    // At or below the label: released.
    for ok in [
        &b"NATO RESTRICTED\nroute open\n"[..],
        b"NATO UNCLASSIFIED summary; a secret of success\n",
        b"{\"marking\": \"NATO RESTRICTED\"}",
        b"(NR) paragraph\n",
    ] {
        assert!(up(ok).is_release(), "{}", String::from_utf8_lossy(ok));
    }
    for above in [
        "NATO SECRET\nroute open\n",
        "para 3 (NS) reserve positions\n",
        "nato   secret, as written by hand\n",
        "ＮＡＴＯ ＳＥＣＲＥＴ\n",
        "N\u{0410}T\u{041E} S\u{0415}CR\u{0415}T\n",
        "COSMIC TOP SECRET\n",
        "XLAND SECRET\n",
        "{\"a\": [\"x\", \"NATO \\u0053ECRET\"]}",
        "{\"a\": [\"COSMIC TOP\", \"SECRET\"]}",
        "<r note=\"NATO SECRET\"/>",
        "<r><!-- NATO SECRET --></r>",
        "<r>NATO <b>SECRET</b></r>",
        "<r>NATO &#83;ECRET</r>",
    ] {
        let d = denied(up(above.as_bytes()));
        assert_eq!(
            (d.stage, codes(&d)),
            (Stage::Content, vec!["marking-above-label"]),
            "{above}"
        );
        assert!(d.reasons[0].message.contains("NATO RESTRICTED"), "{d}");
    }
    // A marking of a policy with no equivalence to the label's classification cannot be
    // compared: refused.
    let d = denied(up(b"XLAND TOP SECRET\n"));
    assert_eq!(codes(&d), vec!["marking-not-comparable"], "{d}");
    // The offset is where the marking starts.
    let d = denied(up(b"route open\n(NS) reserve\n"));
    assert!(
        d.reasons[0]
            .message
            .contains("\"(NS)\" (NATO SECRET) at byte 11"),
        "{d}"
    );
}

#[test]
fn cdr_drops_comments_and_processing_instructions_from_xml() {
    let (guard, _) = laptop();
    let xml = b"<?xml version=\"1.0\"?>\n<!-- hidden -->\n<notice b='2' a='1'><?app cmd?><t>clear &amp; calm</t></notice>\n";
    let r = release(
        guard.check_at(
            Transfer::new(
                "public-internet",
                "mission-restricted",
                Bytes::from_static(xml),
            )
            .with_type("application/xml"),
            AT,
        ),
    );
    assert_eq!(r.cdr, Some("xml-c14n-stripped"));
    assert_eq!(
        std::str::from_utf8(&r.object).unwrap(),
        "<notice a=\"1\" b=\"2\"><t>clear &amp; calm</t></notice>"
    );
}

#[test]
fn xml_allowlists_refuse_foreign_namespaces_and_elements() {
    let content = "content = { inspect = [\"true-type\", \"format\", \"markings\"], true_types = [\"text\", \"json\", \"xml\", \"label-4774\"] }";
    let mut text = crossguard::guard::EMBEDDED_CONFIG.to_owned();
    assert!(text.contains(content));
    text = text.replacen(
        content,
        "content = { inspect = [\"true-type\", \"format\"], true_types = [\"xml\"], xml = { namespaces = [\"\", \"urn:report\"], elements = [\"report\", \"{urn:report}line\"] } }",
        1,
    );
    let config = GuardConfig::from_toml(&text, Path::new(".")).unwrap();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 10).unwrap());
    let guard = Guard::build(&config, sink).unwrap();
    let up = |object: &'static [u8]| {
        guard.check_at(
            Transfer::new(
                "mission-restricted",
                "nato-secret",
                Bytes::from_static(object),
            )
            .with_label(label("restricted-nato")),
            AT,
        )
    };
    assert!(up(b"<report><r:line xmlns:r='urn:report'>ok</r:line></report>").is_release());
    for (object, code, needle) in [
        (
            &b"<report><x:line xmlns:x='urn:other'/></report>"[..],
            "xml-namespace-not-allowed",
            "urn:other",
        ),
        (
            b"<report><line>ok</line></report>",
            "xml-element-not-allowed",
            "element line at byte 8",
        ),
        (
            b"<report xmlns:x='urn:other' x:a='1'/>",
            "xml-namespace-not-allowed",
            "attribute x:a",
        ),
    ] {
        let d = denied(up(object));
        assert_eq!(codes(&d), vec![code], "{d}");
        assert!(d.reasons[0].message.contains(needle), "{d}");
    }
}

#[test]
fn inspect_content_reads_the_label_for_the_markings_inspector() {
    let (guard, sink) = laptop();
    let before = sink.lines().unwrap().len();
    let transfer = Transfer::new(
        "mission-restricted",
        "nato-secret",
        Bytes::from_static(b"(NS) reserve\n"),
    );
    // Without a label (and no default on this flow), the inspector cannot compare: a failure.
    let checks = guard.inspect_content(&transfer).unwrap();
    let last = checks.last().unwrap();
    assert_eq!((last.name, last.failure), ("markings", true));
    let checks = guard
        .inspect_content(&transfer.clone().with_label(label("restricted-nato")))
        .unwrap();
    let last = checks.last().unwrap();
    assert_eq!(
        (
            last.name,
            last.failure,
            last.outcome.as_ref().map_err(|r| r.code)
        ),
        ("markings", false, Err("marking-above-label"))
    );
    assert_eq!(
        sink.lines().unwrap().len(),
        before,
        "inspection audits nothing"
    );
}

#[test]
fn review_of_the_inspectors_is_closed() {
    let (guard, _) = laptop();
    let release = |xml: &str| {
        guard.check_at(
            Transfer::new(
                "nato-secret",
                "mission-restricted",
                Bytes::from(xml.to_owned()),
            )
            .with_label(label("restricted-releasable"))
            .with_type("application/xml"),
            AT,
        )
    };
    // A comment, a PI, a CDATA section or inline markup inside a word hid it (and the rebuild
    // without comments joined it again); element and attribute names were not read.
    for (xml, code) in [
        (
            "<memo><p>NATO SEC<!---->RET plan</p></memo>",
            "marking-above-label",
        ),
        ("<memo><p>(N<?x?>S) plan</p></memo>", "marking-above-label"),
        (
            "<memo><p>NATO SEC<b>RET</b> plan</p></memo>",
            "marking-above-label",
        ),
        ("<memo><p>OR<![CDATA[CON]]></p></memo>", "forbidden-word"),
        ("<handling><ORCON/></handling>", "forbidden-word"),
        ("<p ORCON=\"1\"/>", "forbidden-word"),
    ] {
        let d = denied(release(xml));
        assert_eq!(codes(&d), vec![code], "{xml}: {d}");
    }
    assert!(release("<memo><p>NATO RESTRICTED <b>plan</b></p></memo>").is_release());
    // The words refusal no longer invents a count it does not have.
    let d = denied(release(&format!("<m>{}</m>", "ORCON ".repeat(20))));
    assert!(d.reasons[0].message.ends_with(" and more"), "{d}");

    // A namespace declaration repeated on every element by the rebuild: bounded by the flow's
    // limit, refused, never built.
    // (The namespace name at its limit; 20 000 copies are 40 MB, over the 16 MiB limit.)
    let long = crossguard::limits::MAX_XML_NAMESPACE_NAME_BYTES - 4;
    let mut bomb = format!("<r xmlns:p=\"urn:{}\">", "a".repeat(long));
    bomb.push_str(&"<p:a/>".repeat(20_000));
    bomb.push_str("</r>");
    let d = denied(
        guard.check_at(
            Transfer::new("public-internet", "mission-restricted", Bytes::from(bomb))
                .with_type("application/xml"),
            AT,
        ),
    );
    assert_eq!(codes(&d), vec!["rebuilt-too-large"], "{d}");

    // Invalid JSON is detected as text; on a flow with a schema it is refused, not waved
    // through as "not applicable".
    let d = denied(guard.check_at(
        Transfer::new(
            "public-internet",
            "nato-secret",
            Bytes::from_static(b"{/* */\"source\":\"x\",\"items\":[],\"attachment\":\"TVqQ\"}"),
        ),
        AT,
    ));
    assert_eq!(codes(&d), vec!["schema-not-json"], "{d}");
}
