//! Whole content inspection, as the guard runs it, against what a user would otherwise run on
//! the same bytes in the same run.
//!
//! `inspect/json_64k` — [`inputs::json_records`], 64 KiB of track records:
//! - `validate_only`: the strict JSON validator alone (the `format` inspector);
//! - `full_inspection`: `Guard::inspect_content` on a flow running true type, format, a schema
//!   of the records, 4 forbidden phrases and the markings of the embedded policies (the label
//!   is read too: NATO RESTRICTED, and every record says "NATO RESTRICTED");
//! - `full_inspection_cdr`: the same plus the RFC 8785 rebuild;
//! - `serde_ignored_any` / `serde_value`: serde_json reading the same bytes, no rule checked;
//! - `serde_then_aho_corasick`: what a user would otherwise run for the words and markings
//!   inspectors: serde_json's `IgnoredAny`, then a raw ASCII-case-insensitive aho-corasick
//!   over the whole document for the same phrases and markings (no schema, no I-JSON rule, no
//!   normalisation, escapes unread, matches across markup);
//! - `aho_corasick_only`: that aho-corasick alone, the floor for any inspection that scans
//!   the bytes with it.
//!
//! `inspect/text_100m` — 100 MiB of [`inputs::text_reports`] (a 1 MiB block, fed 100 times in
//! 64 KiB chunks, as a stream is read):
//! - `crossguard_stream`: the text validator and one scanner for the forbidden words and the
//!   markings ([`WordMatcher::combined`], as the guard reads a flow running both), each fed
//!   every chunk;
//! - `from_utf8_then_aho_corasick`: `str::from_utf8` and a raw ASCII-case-insensitive
//!   aho-corasick over the same phrases and markings, per chunk (no normalisation, no chunk
//!   carry, no rule about characters).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    missing_docs
)]

mod inputs;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crossguard::audit::{AuditKey, MemorySink};
use crossguard::guard::{Guard, GuardConfig, LabelInput, Transfer};
use crossguard::inspect::markings::MarkingPhrases;
use crossguard::inspect::text::TextValidator;
use crossguard::inspect::words::{Phrase, WordMatcher};
use crossguard::limits::{JsonLimits, TextLimits};
use crossguard::policy::PolicySet;

const PHRASES: [&str; 4] = ["EYES ONLY", "NOT RELEASABLE", "ORCON", "NOFORN"];

const SCHEMA: &str = r#"{
  "type": "array",
  "items": {
    "type": "object",
    "required": ["id", "callsign", "position", "classification"],
    "additionalProperties": false,
    "properties": {
      "id": { "type": "integer", "minimum": 0 },
      "callsign": { "type": "string", "pattern": "^[A-Z]+-[0-9]{3}$" },
      "position": {
        "type": "object",
        "required": ["lat", "lon"],
        "properties": {
          "lat": { "type": "number", "minimum": -90, "maximum": 90 },
          "lon": { "type": "number", "minimum": -180, "maximum": 180 },
          "alt": { "type": "integer" }
        }
      },
      "speed": { "type": "number" },
      "heading": { "type": "integer", "minimum": 0, "maximum": 359 },
      "tags": { "type": "array", "maxItems": 8, "items": { "type": "string" } },
      "classification": { "enum": ["NATO UNCLASSIFIED", "NATO RESTRICTED"] },
      "remarks": { "type": "string", "maxLength": 256 },
      "valid": { "type": "boolean" },
      "updated": { "type": "null" }
    }
  }
}"#;

fn guard(cdr: bool) -> Guard {
    let line = "content = { inspect = [\"true-type\", \"format\", \"markings\"], true_types = [\"text\", \"json\", \"xml\", \"label-4774\"] }";
    let mut text = crossguard::guard::EMBEDDED_CONFIG.to_owned();
    assert!(text.contains(line));
    let phrases = PHRASES.map(|p| format!("{p:?}")).join(", ");
    let content = format!(
        "[flow.content]\ninspect = [\"true-type\", \"format\", \"schema\", \"words\", \"markings\"{}]\n\
         true_types = [\"json\"]\nwords = {{ phrases = [{phrases}] }}\nschema = '''{SCHEMA}'''",
        if cdr { ", \"cdr\"" } else { "" }
    );
    text = text.replacen(line, &content, 1);
    let config = GuardConfig::from_toml(&text, Path::new(".")).unwrap();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 10).unwrap());
    Guard::build(&config, sink).unwrap()
}

/// The markings of the embedded policies, and a raw ASCII-case-insensitive aho-corasick over
/// [`PHRASES`] and those markings (what a user would otherwise search with).
fn markings_and_raw_search() -> (MarkingPhrases, AhoCorasick) {
    let policies = PolicySet::embedded().unwrap();
    let markings = MarkingPhrases::new(&policies).unwrap();
    let raw = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(PHRASES.iter().copied().chain(markings.phrases()))
        .unwrap();
    (markings, raw)
}

fn json(c: &mut Criterion) {
    let input = Bytes::from(inputs::json_records(64 * 1024));
    let label = Bytes::from_static(include_bytes!(
        "../tests/data/guard/labels/restricted-nato.xml"
    ));
    let transfer = Transfer::new("mission-restricted", "nato-secret", input.clone())
        .with_label(LabelInput::Bytes(label))
        .with_type("application/json");
    let plain = guard(false);
    let rebuilding = guard(true);
    let (_, raw) = markings_and_raw_search();
    for g in [&plain, &rebuilding] {
        let checks = g.inspect_content(&transfer).unwrap();
        assert!(checks.iter().all(|c| c.outcome.is_ok()), "{checks:?}");
    }
    let mut g = c.benchmark_group("inspect/json_64k");
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.bench_function("validate_only", |b| {
        b.iter(|| crossguard::json::validate(black_box(&input), JsonLimits::default()).unwrap())
    });
    g.bench_function("full_inspection", |b| {
        b.iter(|| black_box(plain.inspect_content(black_box(&transfer)).unwrap()))
    });
    g.bench_function("full_inspection_cdr", |b| {
        b.iter(|| black_box(rebuilding.inspect_content(black_box(&transfer)).unwrap()))
    });
    g.bench_function("serde_ignored_any", |b| {
        b.iter(|| {
            serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&input)).unwrap();
        })
    });
    g.bench_function("serde_value", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(&input)).unwrap())
        })
    });
    g.bench_function("serde_then_aho_corasick", |b| {
        b.iter(|| {
            serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&input)).unwrap();
            black_box(raw.find_iter(black_box(&input[..])).count())
        })
    });
    g.bench_function("aho_corasick_only", |b| {
        b.iter(|| black_box(raw.find_iter(black_box(&input[..])).count()))
    });
    g.finish();
}

fn text(c: &mut Criterion) {
    const BLOCKS: usize = 100;
    let block = {
        let mut b = inputs::text_reports(1 << 20);
        b.truncate(1 << 20);
        // End on a character boundary and a line end, so the blocks join as text.
        while b.last().is_some_and(|&x| x != b'\n') {
            b.pop();
        }
        b
    };
    let total = (block.len() * BLOCKS) as u64;
    let words = WordMatcher::new(&PHRASES.map(|text| Phrase {
        text,
        spaced: text == "NOFORN",
    }))
    .unwrap();
    let (markings, raw) = markings_and_raw_search();
    let both = WordMatcher::combined(&[&words, markings.matcher()]).unwrap();
    let limits = TextLimits {
        max_input_bytes: u64::MAX,
        ..TextLimits::default()
    };
    let mut g = c.benchmark_group("inspect/text_100m");
    g.throughput(Throughput::Bytes(total));
    g.sample_size(10);
    g.bench_function("crossguard_stream", |b| {
        b.iter(|| {
            let mut text = TextValidator::new(limits);
            let mut scanner = both.scanner();
            let mut found = 0usize;
            for _ in 0..BLOCKS {
                for chunk in black_box(&block).chunks(64 * 1024) {
                    text.feed(chunk).unwrap();
                    scanner.feed(chunk, &mut |_| {
                        found += 1;
                        true
                    });
                }
            }
            scanner.finish(&mut |_| true);
            black_box((text.finish().unwrap().lines, found))
        })
    });
    g.bench_function("from_utf8_then_aho_corasick", |b| {
        b.iter(|| {
            let mut found = 0usize;
            for _ in 0..BLOCKS {
                for chunk in black_box(&block).chunks(64 * 1024) {
                    // Chunks may split a character: validate what is whole, as a reader would.
                    let valid = match std::str::from_utf8(chunk) {
                        Ok(s) => s.len(),
                        Err(e) => e.valid_up_to(),
                    };
                    found += raw.find_iter(&chunk[..valid]).count();
                }
            }
            black_box(found)
        })
    });
    g.finish();
}

criterion_group!(benches, json, text);
criterion_main!(benches);
