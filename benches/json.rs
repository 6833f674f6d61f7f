//! JSON validation against what a user would otherwise use, on the same bytes in the same run.
//!
//! Input: [`inputs::json_records`] — track-like records in one array (nested objects, arrays,
//! escaped and non-ASCII strings, numbers of every form), 64 KiB and 16 MiB.
//! - `json/validate_64k`: `crossguard::json::validate` (RFC 8259 + I-JSON: UTF-8, escapes,
//!   surrogates, noncharacters, duplicate names, number ranges), against
//!   `serde_json::from_slice::<IgnoredAny>` (syntax only, no duplicate or range checks) and
//!   `serde_json::Value` (builds the tree).
//! - `json/validate_16m`: the same on 16 MiB, plus crossguard streaming in 64 KiB chunks.
//! - `json/shape_{ints,floats,strings,objects}_64k`: [`inputs::json_shape`], one kind of token
//!   at a time (integers, decimals, short strings, small objects), against `IgnoredAny`.
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

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crossguard::json::{validate, JsonValidator};
use crossguard::limits::JsonLimits;
use serde::de::IgnoredAny;

fn group(c: &mut Criterion, name: &str, input: &[u8], streaming: bool) {
    let limits = JsonLimits {
        max_input_bytes: u64::MAX,
        ..JsonLimits::default()
    };
    assert!(validate(input, limits).is_ok());
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.bench_function("crossguard", |b| {
        b.iter(|| black_box(validate(black_box(input), limits).unwrap().values))
    });
    if streaming {
        g.bench_function("crossguard_stream_64k", |b| {
            b.iter(|| {
                let mut v = JsonValidator::new(limits);
                for chunk in black_box(input).chunks(64 * 1024) {
                    v.feed(chunk).unwrap();
                }
                black_box(v.finish().unwrap().values)
            })
        });
    }
    g.bench_function("serde_json_ignored_any", |b| {
        b.iter(|| black_box(serde_json::from_slice::<IgnoredAny>(black_box(input)).unwrap()))
    });
    g.bench_function("serde_json_value", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(input))
                    .unwrap()
                    .is_array(),
            )
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    group(
        c,
        "json/validate_64k",
        &inputs::json_records(64 * 1024),
        false,
    );
    group(
        c,
        "json/validate_16m",
        &inputs::json_records(16 << 20),
        true,
    );
    // One kind of token at a time, against `IgnoredAny` only.
    let limits = JsonLimits {
        max_input_bytes: u64::MAX,
        ..JsonLimits::default()
    };
    for shape in ["ints", "floats", "strings", "objects"] {
        let input = inputs::json_shape(shape, 64 * 1024);
        assert!(validate(&input, limits).is_ok());
        let mut g = c.benchmark_group(format!("json/shape_{shape}_64k"));
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function("crossguard", |b| {
            b.iter(|| black_box(validate(black_box(&input), limits).unwrap().values))
        });
        g.bench_function("serde_json_ignored_any", |b| {
            b.iter(|| black_box(serde_json::from_slice::<IgnoredAny>(black_box(&input)).unwrap()))
        });
        g.finish();
    }
}

criterion_group!(json, benches);
criterion_main!(json);
