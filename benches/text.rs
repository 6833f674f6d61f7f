//! The text inspector against what a user would otherwise run, on the same bytes in one run.
//!
//! Input: [`inputs::text_reports`] — 16 MiB of situation reports, mostly ASCII with tabs, LF
//! and CR LF, some accents, CJK and emoji.
//! - `crossguard`: `validate_text` (UTF-8, controls, bidirectional controls, line length);
//! - `crossguard_stream_64k`: the same through `TextValidator` in 64 KiB chunks;
//! - `std_from_utf8`: UTF-8 validation alone (no rule about characters);
//! - `std_from_utf8_then_chars`: UTF-8 validation, then the same character rules over
//!   `chars()` (what a straightforward implementation does; no line limit).
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
use crossguard::inspect::text::{is_bidi_control, validate_text, TextValidator};
use crossguard::limits::TextLimits;

fn benches(c: &mut Criterion) {
    let input = inputs::text_reports(16 << 20);
    let limits = TextLimits {
        max_input_bytes: u64::MAX,
        ..TextLimits::default()
    };
    assert!(validate_text(&input, limits).is_ok());
    let mut g = c.benchmark_group("text/validate_16m");
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.sample_size(20);
    g.bench_function("crossguard", |b| {
        b.iter(|| black_box(validate_text(black_box(&input), limits).unwrap().lines))
    });
    g.bench_function("crossguard_stream_64k", |b| {
        b.iter(|| {
            let mut v = TextValidator::new(limits);
            for chunk in black_box(&input).chunks(64 * 1024) {
                v.feed(chunk).unwrap();
            }
            black_box(v.finish().unwrap().lines)
        })
    });
    g.bench_function("std_from_utf8", |b| {
        b.iter(|| black_box(std::str::from_utf8(black_box(&input)).unwrap().len()))
    });
    g.bench_function("std_from_utf8_then_chars", |b| {
        b.iter(|| {
            let s = std::str::from_utf8(black_box(&input)).unwrap();
            black_box(s.chars().any(|c| {
                (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                    || is_bidi_control(u32::from(c))
            }))
        })
    });
    g.finish();
}

criterion_group!(text, benches);
criterion_main!(text);
