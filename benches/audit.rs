//! The audit layer: appending one representative record to each sink, against what a user
//! would otherwise write, and verifying a log.
//!
//! The record is a denial with every field set (two reasons, a 4774 label with its digest, a
//! destination marking, the object's digest, size and type, one policy): its `record` entry
//! line is 959 bytes. Throughput is in records (`Throughput::Elements(1)`).
//!
//! - `audit/append` — per record:
//!   - `serde_json_to_vec` — baseline: `serde_json::to_vec(&record)` alone (no MAC, no I/O);
//!   - `serde_json_write_file` — baseline: serde_json into a reused buffer, a line break, one
//!     `write(2)` to a file (no MAC, never synced): a plain JSON Lines logger;
//!   - `memory_sink` — `MemorySink::append` (entry, HMAC chain, checkpoint every 1000; the
//!     lines are drained every 4096 appends to bound memory);
//!   - `jsonl_batch` — `JsonlSink::append` to a file with `Durability::Batch { records: 1000,
//!     millis: 100 }`, checkpoint every 1000: one `write(2)` per record, one fsync and a
//!     checkpoint per 1000 records (or 100 ms) — the project goal is ≥ 200 000 records/s;
//!   - `jsonl_os_buffered` — the same with `Durability::OsBuffered` (never synced).
//! - `audit/append_fsync` — `JsonlSink::append` with `Durability::EveryRecord` (an fsync
//!   before each append returns), fewer samples: the disk's sync latency, not the code.
//! - `audit/verify` — `verify` of a sealed in-memory log of 10 000 such records (10 011
//!   entries, 9.6 MB), throughput in records.
//!
//! The file sinks are rotated (closed, removed, a new file started) every 200 000 records so
//! that a long run does not fill the disk; rotation costs well under 1 % of the time measured.
//! Files go to the system temporary directory (here on the same disk as the repository).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use std::fs::{File, OpenOptions};
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crossguard::audit::{
    sha256_hex, verify, AuditKey, AuditRecord, AuditSink, Durability, JsonlSink, LabelAudit,
    MemorySink, ObjectAudit, PolicyAudit, SinkOptions, Verdict, VerifyOptions,
};

/// Records written to one file before it is rotated.
const ROTATE_EVERY: u64 = 200_000;

fn record() -> AuditRecord {
    AuditRecord {
        time: "2026-11-28T09:37:55.123Z".into(),
        transfer_id: "3f2c9a1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f".into(),
        from: "nato-secret".into(),
        to: "mission-restricted".into(),
        verdict: Verdict::Deny,
        stage: Some("content".into()),
        failure: false,
        reasons: vec![
            "forbidden word \"EXERCISE ONLY\" at byte 1234".into(),
            "embedded marking NATO SECRET exceeds the label".into(),
        ],
        label: Some(LabelAudit {
            format: "4774-xml".into(),
            policy: "1.3.26.1.3.1".into(),
            classification: "RESTRICTED".into(),
            marking: "NATO RESTRICTED Releasable to Japan, Switzerland, Ukraine".into(),
            digest: sha256_hex(b"label"),
        }),
        destination_label: Some("MISSION RESTRICTED".into()),
        object: ObjectAudit {
            sha256: sha256_hex(b"object"),
            size: 48_213,
            declared_type: Some("application/pdf".into()),
            rebuilt: None,
        },
        policies: vec![PolicyAudit {
            name: "NATO".into(),
            oid: "1.3.26.1.3.1".into(),
            version: "2024-1".into(),
            fingerprint: sha256_hex(b"spif"),
        }],
    }
}

fn key() -> AuditKey {
    AuditKey::from_bytes(&[0x42; 32]).unwrap()
}

/// A JSON Lines sink that starts a new file every [`ROTATE_EVERY`] records.
struct RotatingSink {
    dir: PathBuf,
    options: SinkOptions,
    files: u64,
    written: u64,
    sink: Option<JsonlSink>,
}

impl RotatingSink {
    fn new(dir: &Path, options: SinkOptions) -> Self {
        let mut s = Self {
            dir: dir.to_path_buf(),
            options,
            files: 0,
            written: 0,
            sink: None,
        };
        s.rotate();
        s
    }

    fn path(&self) -> PathBuf {
        self.dir.join(format!("audit-{}.jsonl", self.files))
    }

    fn rotate(&mut self) {
        if let Some(sink) = self.sink.take() {
            sink.close().unwrap();
            std::fs::remove_file(self.path()).unwrap();
            self.files += 1;
        }
        self.sink = Some(JsonlSink::open(&self.path(), key(), self.options).unwrap());
    }

    fn append(&mut self, record: &AuditRecord) -> u64 {
        self.written += 1;
        if self.written % ROTATE_EVERY == 0 {
            self.rotate();
        }
        self.sink.as_ref().unwrap().append(record).unwrap()
    }
}

fn append(c: &mut Criterion) {
    let record = record();
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("audit/append");
    g.throughput(Throughput::Elements(1));

    g.bench_function("serde_json_to_vec", |b| {
        b.iter(|| black_box(serde_json::to_vec(black_box(&record)).unwrap()))
    });

    g.bench_function("serde_json_write_file", |b| {
        let path = dir.path().join("plain.jsonl");
        let open = || {
            OpenOptions::new()
                .create(true)
                .truncate(true)
                .write(true)
                .open(&path)
                .unwrap()
        };
        let mut file: File = open();
        let mut buffer = Vec::with_capacity(1024);
        let mut written = 0u64;
        b.iter(|| {
            written += 1;
            if written % ROTATE_EVERY == 0 {
                file = open();
            }
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&record)).unwrap();
            buffer.push(b'\n');
            file.write_all(&buffer).unwrap();
        });
    });

    g.bench_function("memory_sink", |b| {
        let sink = MemorySink::new(key(), 1000).unwrap();
        let mut written = 0u64;
        b.iter(|| {
            written += 1;
            if written % 4096 == 0 {
                black_box(sink.drain().unwrap());
            }
            black_box(sink.append(black_box(&record)).unwrap())
        });
    });

    for (name, durability) in [
        (
            "jsonl_batch",
            Durability::Batch {
                records: 1000,
                millis: 100,
            },
        ),
        ("jsonl_os_buffered", Durability::OsBuffered),
    ] {
        g.bench_function(name, |b| {
            let mut sink = RotatingSink::new(
                dir.path(),
                SinkOptions {
                    durability,
                    checkpoint_every: 1000,
                },
            );
            b.iter(|| black_box(sink.append(black_box(&record))));
        });
    }
    g.finish();

    let mut g = c.benchmark_group("audit/append_fsync");
    g.throughput(Throughput::Elements(1));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("jsonl_every_record", |b| {
        let mut sink = RotatingSink::new(
            dir.path(),
            SinkOptions {
                durability: Durability::EveryRecord,
                checkpoint_every: 1000,
            },
        );
        b.iter(|| black_box(sink.append(black_box(&record))));
    });
    g.finish();
}

fn verify_log(c: &mut Criterion) {
    let record = record();
    let sink = MemorySink::new(key(), 1000).unwrap();
    for _ in 0..10_000 {
        sink.append(&record).unwrap();
    }
    sink.close().unwrap();
    let log = sink.into_bytes().unwrap();
    let key = key();
    assert_eq!(
        verify(&log, &key, VerifyOptions::default())
            .unwrap()
            .records,
        10_000
    );
    let mut g = c.benchmark_group("audit/verify");
    g.throughput(Throughput::Elements(10_000));
    g.sample_size(20);
    g.bench_function("sealed_10000_records", |b| {
        b.iter(|| {
            black_box(
                verify(black_box(&log), &key, VerifyOptions::default())
                    .unwrap()
                    .records,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, append, verify_log);
criterion_main!(benches);
