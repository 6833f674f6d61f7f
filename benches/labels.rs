//! The label layer: parse + validate + compile of a STANAG 4774 label, the access decision,
//! marking rendering, ESS encoding and SPIF compilation.
//!
//! Groups (inputs are test data files, embedded at compile time):
//! - `labels/parse_validate` — `tests/data/label/example-1.9.xml` (the standards.md §1.9
//!   label, 1.4 KiB): `read_label_xml` + `validate` to a `ValidLabel` (result: its
//!   classification), against the floors `xml_reader` (`Reader::validate`, events never
//!   materialised), `xml_reader_events` (every event materialised and its name, attributes
//!   and text touched), `xml_tree` (crossguard `Document::parse` of the same bytes) and
//!   `roxmltree` (what a user would otherwise parse the label with, no validation).
//! - `labels/acdf` — the same label against the UK-like clearance (granted) and the Samoa-like
//!   clearance (denied): `decide` on compiled forms, against `naive_sets`, the same ACDF over
//!   `BTreeSet<&str>` per tag (what a straightforward implementation does), and `explain`.
//! - `labels/marking` — `render_marking` page top/bottom in English for the label.
//! - `labels/ess` — `encode_ess_label` and `EssLabel::decode` + `decode_ess_label`.
//! - `labels/spif_compile` — `Policy::from_spif` of `tests/data/policy/nato-sized.xml`
//!   (81,620 bytes, 92 countries in two tag sets) against `roxmltree` parsing the same bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crossguard::label::ess::EssLabel;
use crossguard::label::{
    compile_clearance, decide, decode_ess_label, encode_ess_label, explain, read_clearance_xml,
    read_label_xml, render_marking, validate, Access, Strictness, Timestamp,
};
use crossguard::policy::{CategoryType, MarkingCode, Policy, PolicySet};
use crossguard::xml::Document;

const LABEL: &[u8] = include_bytes!("../tests/data/label/example-1.9.xml");
const UK: &[u8] = include_bytes!("../tests/data/clearance-xml/uk-like.xml");
const SAMOA: &[u8] = include_bytes!("../tests/data/clearance-xml/samoa-like.xml");
const NATO_SIZED: &[u8] = include_bytes!("../tests/data/policy/nato-sized.xml");

fn at() -> Timestamp {
    Timestamp(1_800_000_000)
}

/// The benchmark label, validated under the embedded policies.
fn demo_label(policies: &PolicySet) -> crossguard::label::ValidLabel<'_> {
    let read = read_label_xml(LABEL, Strictness::Strict).unwrap();
    validate(policies, &read.label.body.information, at(), read.warnings).unwrap()
}

fn parse_validate(c: &mut Criterion) {
    let policies = PolicySet::embedded().unwrap();
    let mut g = c.benchmark_group("labels/parse_validate");
    g.throughput(Throughput::Bytes(LABEL.len() as u64));
    g.bench_function("crossguard", |b| {
        b.iter(|| {
            let read = read_label_xml(black_box(LABEL), Strictness::Strict).unwrap();
            let label =
                validate(&policies, &read.label.body.information, at(), read.warnings).unwrap();
            black_box(label.classification())
        })
    });
    g.bench_function("crossguard_read_only", |b| {
        b.iter(|| {
            black_box(
                read_label_xml(black_box(LABEL), Strictness::Strict)
                    .unwrap()
                    .warnings
                    .len(),
            )
        })
    });
    g.bench_function("xml_reader", |b| {
        b.iter(|| {
            black_box(
                crossguard::xml::Reader::new(black_box(LABEL))
                    .validate()
                    .unwrap(),
            )
        })
    });
    g.bench_function("xml_reader_events", |b| {
        b.iter(|| {
            let mut reader = crossguard::xml::Reader::new(black_box(LABEL));
            let mut touched = 0usize;
            while let Some(event) = reader.next_event().unwrap() {
                match event {
                    crossguard::xml::Event::StartTag(tag) => {
                        touched += tag.name().local().len() + tag.attributes().len();
                    }
                    crossguard::xml::Event::Text(text) => touched += text.content().len(),
                    _ => {}
                }
            }
            black_box(touched)
        })
    });
    g.bench_function("xml_tree", |b| {
        b.iter(|| black_box(Document::parse(black_box(LABEL)).unwrap().node_count()))
    });
    g.bench_function("roxmltree", |b| {
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

/// A naive ACDF over name sets, the shape of a straightforward implementation.
struct NaiveLabel<'a> {
    class: &'a str,
    tags: BTreeMap<&'a str, (CategoryType, BTreeSet<&'a str>)>,
}

struct NaiveClearance<'a> {
    classes: BTreeSet<&'a str>,
    tags: BTreeMap<&'a str, BTreeSet<&'a str>>,
}

fn naive_decide(l: &NaiveLabel<'_>, c: &NaiveClearance<'_>) -> bool {
    if !c.classes.contains(l.class) {
        return false;
    }
    let empty = BTreeSet::new();
    l.tags.iter().all(|(tag, (kind, values))| {
        let held = c.tags.get(tag).unwrap_or(&empty);
        match kind {
            CategoryType::Restrictive => values.is_subset(held),
            CategoryType::Permissive => !values.is_disjoint(held),
            CategoryType::Informative => true,
        }
    })
}

fn acdf(c: &mut Criterion) {
    let policies = PolicySet::embedded().unwrap();
    let label = demo_label(&policies);
    let uk_xml = read_clearance_xml(UK).unwrap();
    let samoa_xml = read_clearance_xml(SAMOA).unwrap();
    let uk = compile_clearance(&policies, &uk_xml).unwrap();
    let samoa = compile_clearance(&policies, &samoa_xml).unwrap();
    assert_eq!(decide(&label, &uk), Access::Granted);
    assert_eq!(decide(&label, &samoa), Access::Denied);
    let read = read_label_xml(LABEL, Strictness::Strict).unwrap();
    let info = &read.label.body.information;
    let naive_label = NaiveLabel {
        class: &info.classification,
        tags: info
            .categories
            .iter()
            .map(|c| {
                (
                    &*c.tag_name,
                    (c.kind, c.values.iter().map(|v| &**v).collect()),
                )
            })
            .collect(),
    };
    let naive_clearance = |x: &'_ crossguard::label::ClearanceXml<'_>| -> (BTreeSet<String>, BTreeMap<String, BTreeSet<String>>) {
        (
            x.classifications.iter().map(|c| c.to_string()).collect(),
            x.categories
                .iter()
                .map(|c| (c.tag_name.to_string(), c.values.iter().map(|v| v.to_string()).collect()))
                .collect(),
        )
    };
    let (uk_classes, uk_tags) = naive_clearance(&uk_xml);
    let naive_uk = NaiveClearance {
        classes: uk_classes.iter().map(String::as_str).collect(),
        tags: uk_tags
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect()))
            .collect(),
    };
    assert!(naive_decide(&naive_label, &naive_uk));
    let mut g = c.benchmark_group("labels/acdf");
    g.bench_function("crossguard_granted", |b| {
        b.iter(|| black_box(decide(black_box(&label), black_box(&uk))))
    });
    g.bench_function("crossguard_denied", |b| {
        b.iter(|| black_box(decide(black_box(&label), black_box(&samoa))))
    });
    g.bench_function("naive_sets_granted", |b| {
        b.iter(|| black_box(naive_decide(black_box(&naive_label), black_box(&naive_uk))))
    });
    g.bench_function("explain_denied", |b| {
        b.iter(|| black_box(explain(black_box(&label), black_box(&samoa)).reasons.len()))
    });
    g.finish();
}

fn marking(c: &mut Criterion) {
    let policies = PolicySet::embedded().unwrap();
    let label = demo_label(&policies);
    assert_eq!(
        render_marking(&label, MarkingCode::PageTopBottom, "en"),
        "NATO SECRET CRYPTO Releasable to Australia"
    );
    let mut g = c.benchmark_group("labels/marking");
    g.bench_function("page_top_bottom_en", |b| {
        b.iter(|| {
            black_box(render_marking(
                black_box(&label),
                MarkingCode::PageTopBottom,
                "en",
            ))
        })
    });
    g.finish();
}

fn ess(c: &mut Criterion) {
    let policies = PolicySet::embedded().unwrap();
    let label = demo_label(&policies);
    let der = encode_ess_label(&label).unwrap();
    let mut g = c.benchmark_group("labels/ess");
    g.bench_function("encode", |b| {
        b.iter(|| black_box(encode_ess_label(black_box(&label)).unwrap()))
    });
    g.throughput(Throughput::Bytes(der.len() as u64));
    g.bench_function("decode_validate", |b| {
        b.iter(|| {
            let ess = EssLabel::decode(black_box(&der)).unwrap();
            black_box(
                decode_ess_label(&policies, &ess, at())
                    .unwrap()
                    .classification(),
            )
        })
    });
    g.finish();
}

fn spif_compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("labels/spif_compile");
    g.throughput(Throughput::Bytes(NATO_SIZED.len() as u64));
    g.bench_function("crossguard", |b| {
        b.iter(|| {
            black_box(
                Policy::from_spif(black_box(NATO_SIZED))
                    .unwrap()
                    .categories()
                    .len(),
            )
        })
    });
    g.bench_function("roxmltree_parse_only", |b| {
        b.iter(|| {
            let text = std::str::from_utf8(black_box(NATO_SIZED)).unwrap();
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

criterion_group!(benches, parse_validate, acdf, marking, ess, spif_compile);
criterion_main!(benches);
