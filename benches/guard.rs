//! The guard: decisions per second on the embedded laptop configuration.
//!
//! Each iteration decides one transfer: a 1 KiB object with the 4774 label
//! `tests/data/guard/labels/restricted-nato.xml` (1 007 bytes) from `mission-restricted` to
//! `nato-secret`, released. Groups:
//! - `guard/decide` — `Guard::check_at` auditing to a `MemorySink` (records chained with
//!   HMAC-SHA256 in memory, no I/O; drained every 10 000 decisions); `Guard::assess_at`, the
//!   same stages without the audit record (no digests, no MAC); against the floors
//!   `label_only` (read + validate + ACDF of the same label, what the label stage and the
//!   access stage cost without the guard) and `roxmltree_parse` (what a user would otherwise
//!   parse the label with, no validation at all).
//! - `guard/audited` — the same decisions auditing to a JSON Lines file with
//!   `Durability::Batch { records: 1000, millis: 100 }` (checkpoint every 1000 records), the
//!   file rotated every 200 000 decisions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crossguard::audit::{AuditKey, Durability, JsonlSink, MemorySink, SinkOptions};
use crossguard::guard::{Guard, GuardConfig, LabelInput, Transfer, Verdict};
use crossguard::label::{
    decide, read_label_xml, validate, Access, Strictness, Timestamp, ValidClearance,
};

const LABEL: &[u8] = include_bytes!("../tests/data/guard/labels/restricted-nato.xml");
const AT: Timestamp = Timestamp(1_800_000_000);

fn transfer(object: &Bytes, label: &Bytes) -> Transfer {
    Transfer::new("mission-restricted", "nato-secret", object.clone())
        .with_label(LabelInput::Bytes(label.clone()))
        .with_type("text/plain")
        .with_id("bench")
}

/// The embedded configuration without content inspectors: the issue-4 goal counts decisions
/// without content inspection (measured apart in `crossguard_assess_inspected`).
fn uninspected() -> GuardConfig {
    let text = crossguard::guard::EMBEDDED_CONFIG
        .replace(", inspect = [\"true-type\", \"format\"], true_types = [\"text\", \"json\", \"xml\"]", "")
        .replace(", inspect = [\"true-type\", \"format\"], true_types = [\"text\", \"xml\"]", "")
        .replace("content = { inspect = [\"true-type\", \"format\"], true_types = [\"text\", \"json\", \"xml\", \"label-4774\"] }\n", "");
    assert!(
        !text.contains("inspect ="),
        "the embedded configuration changed"
    );
    GuardConfig::from_toml(&text, Path::new(".")).unwrap()
}

fn decide_group(c: &mut Criterion) {
    let config = uninspected();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 1000).unwrap());
    let guard = Guard::build(&config, sink.clone()).unwrap();
    let object = Bytes::from(vec![b'x'; 1024]);
    let label = Bytes::from_static(LABEL);
    assert!(guard.check_at(transfer(&object, &label), AT).is_release());

    let mut g = c.benchmark_group("guard/decide");
    g.throughput(Throughput::Elements(1));
    let mut n = 0u32;
    g.bench_function("crossguard_memory_audit", |b| {
        b.iter(|| {
            n += 1;
            if n % 10_000 == 0 {
                sink.drain().unwrap();
            }
            match guard.check_at(transfer(&object, &label), AT) {
                Verdict::Release(r) => black_box(r.audit_seq),
                Verdict::Deny(d) => panic!("{d}"),
            }
        })
    });
    // The same decision without its audit record (no digests, no MAC, no record): what the
    // pipeline itself costs, for the decisions-per-second goal.
    assert!(guard.assess_at(&transfer(&object, &label), AT).passes());
    g.bench_function("crossguard_assess", |b| {
        b.iter(|| black_box(guard.assess_at(&transfer(&object, &label), AT).passes()))
    });
    // The same with the embedded flow's inspectors (true type + strict text validation of the
    // 1 KiB object).
    let inspected = Guard::build(
        &GuardConfig::embedded(Path::new(".")).unwrap(),
        Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 1000).unwrap()),
    )
    .unwrap();
    assert!(inspected.assess_at(&transfer(&object, &label), AT).passes());
    g.bench_function("crossguard_assess_inspected", |b| {
        b.iter(|| black_box(inspected.assess_at(&transfer(&object, &label), AT).passes()))
    });
    let policies = guard.policies();
    let nato = &guard.domains()[0];
    let policy = policies.get(nato.policy).unwrap();
    let clearance = ValidClearance::borrowing(policy, nato.classes, &nato.categories).unwrap();
    g.bench_function("label_only", |b| {
        b.iter(|| {
            let read = read_label_xml(black_box(LABEL), Strictness::Strict).unwrap();
            let label =
                validate(policies, &read.label.body.information, AT, read.warnings).unwrap();
            black_box(decide(&label, &clearance) == Access::Granted)
        })
    });
    g.bench_function("roxmltree_parse", |b| {
        b.iter(|| {
            let text = std::str::from_utf8(black_box(LABEL)).unwrap();
            black_box(
                roxmltree::Document::parse(text)
                    .unwrap()
                    .descendants()
                    .count(),
            )
        })
    });
    g.finish();
}

fn audited_group(c: &mut Criterion) {
    let config = uninspected();
    let dir = tempfile::tempdir().unwrap();
    let key = AuditKey::generate().unwrap();
    let options = SinkOptions {
        durability: Durability::Batch {
            records: 1000,
            millis: 100,
        },
        checkpoint_every: 1000,
    };
    let open = |i: u32| {
        let sink = Arc::new(
            JsonlSink::open(
                &dir.path().join(format!("audit-{i}.jsonl")),
                key.clone(),
                options,
            )
            .unwrap(),
        );
        let guard = Guard::build(&config, sink.clone()).unwrap();
        (guard, sink)
    };
    let object = Bytes::from(vec![b'x'; 1024]);
    let label = Bytes::from_static(LABEL);
    let mut g = c.benchmark_group("guard/audited");
    g.throughput(Throughput::Elements(1));
    let (mut guard, mut sink) = open(0);
    let mut n = 0u32;
    g.bench_function("crossguard_jsonl_batch", |b| {
        b.iter(|| {
            n += 1;
            if n % 200_000 == 0 {
                let file = sink.path().to_path_buf();
                (guard, sink) = open(n);
                let _ = std::fs::remove_file(file);
            }
            black_box(guard.check_at(transfer(&object, &label), AT).is_release())
        })
    });
    g.finish();
}

criterion_group!(benches, decide_group, audited_group);
criterion_main!(benches);
