//! XML parsing throughput: crossguard's pull reader and tree against quick-xml and roxmltree.
//!
//! Three deterministic inputs (see `inputs.rs`), one criterion group each — `xml/label`
//! (~1 KiB STANAG 4774 label), `xml/spif` (~100 KiB SPIF-like policy) and `xml/tracks`
//! (~20 MiB track feed) — with throughput in input bytes. Every function in a group parses the
//! whole input from `&[u8]` and computes the same [`Counts`]: elements, attributes (namespace
//! declarations excluded), bytes of attribute values after reference expansion, and bytes of
//! character data inside the root element after reference expansion (CDATA included, comments
//! and processing instructions excluded). The result goes through `black_box`.
//!
//! - `crossguard_reader`: [`crossguard::xml::Reader`] event loop; reads every attribute value
//!   and every text/CDATA content. Always checks full well-formedness, UTF-8 and namespaces.
//! - `stream_64k`: [`crossguard::xml::XmlStream`] fed the input in 64 KiB chunks (as the CLI
//!   and a guard read a large object), counting the same from its events; text arrives in
//!   pieces at chunk boundaries, whose lengths add up to the reader's.
//! - `crossguard_tree`: [`crossguard::xml::Document::parse_with_limits`], then a walk over
//!   `descendants()`.
//! - `quick_xml_reader`: `quick_xml::Reader` over `&[u8]` with `read_event` (borrowing), end-name
//!   checks on, attribute checks on, `unescape_value()` for every attribute and `unescape()` for
//!   every text event. No namespace processing. quick-xml is not a well-formedness checker
//!   (it does not check name characters, UTF-8 of names, text outside the root, …), so it does
//!   less work than the others; it is here because it is what a user reaching for speed picks.
//! - `quick_xml_ns_reader`: the same with `quick_xml::NsReader::read_resolved_event`, also
//!   resolving every prefixed attribute name and refusing unbound prefixes, so that namespace
//!   processing is compared with ours.
//! - `roxmltree`: UTF-8 check of the input (`str::from_utf8`, which roxmltree needs), then
//!   `roxmltree::Document::parse_with_options` (DTDs refused) and a walk over `descendants()`.
//!
//! Before each group the counts of every function are compared: elements, attributes and
//! attribute-value bytes must agree; text bytes are printed if they differ.
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
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use crossguard::limits::XmlLimits;
use crossguard::xml::{Document, Event, NodeType, Reader, XmlStream};
use quick_xml::events::{BytesStart, Event as QuickEvent};
use quick_xml::name::ResolveResult;

/// What every benchmarked function computes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    elements: usize,
    /// Attributes other than namespace declarations.
    attributes: usize,
    /// Bytes of attribute values after reference expansion.
    attribute_value_bytes: usize,
    /// Bytes of character data and CDATA inside the root element after reference expansion.
    text_bytes: usize,
}

/// Limits large enough for the 20 MiB input (about 1.2 million nodes).
fn limits() -> XmlLimits {
    XmlLimits {
        max_input_bytes: 64 << 20,
        max_nodes: 16 << 20,
        ..XmlLimits::default()
    }
}

fn crossguard_reader(input: &[u8]) -> Counts {
    let mut counts = Counts::default();
    let mut reader = Reader::with_limits(input, limits());
    while let Some(event) = reader
        .next_event()
        .expect("crossguard reader: well-formed input")
    {
        match event {
            Event::StartTag(tag) => {
                counts.elements += 1;
                for attribute in tag.attributes() {
                    counts.attributes += 1;
                    counts.attribute_value_bytes += attribute.value().len();
                }
            }
            Event::Text(text) | Event::CData(text) => counts.text_bytes += text.content().len(),
            _ => {}
        }
    }
    counts
}

fn stream_64k(input: &[u8]) -> Counts {
    let mut counts = Counts::default();
    let mut stream = XmlStream::new(limits());
    let mut visit = |event: Event<'_, '_>| {
        match event {
            Event::StartTag(tag) => {
                counts.elements += 1;
                for attribute in tag.attributes() {
                    counts.attributes += 1;
                    counts.attribute_value_bytes += attribute.value().len();
                }
            }
            Event::Text(text) | Event::CData(text) => counts.text_bytes += text.content().len(),
            _ => {}
        }
        std::ops::ControlFlow::Continue(())
    };
    for chunk in input.chunks(64 * 1024) {
        stream
            .feed_with(chunk, &mut visit)
            .expect("crossguard stream: within the limits");
    }
    stream
        .finish_with(&mut visit)
        .expect("crossguard stream: well-formed input");
    counts
}

fn crossguard_tree(input: &[u8]) -> Counts {
    let mut counts = Counts::default();
    let doc =
        Document::parse_with_limits(input, limits()).expect("crossguard tree: well-formed input");
    for node in doc.descendants() {
        match node.node_type() {
            NodeType::Element => {
                counts.elements += 1;
                for attribute in node.attributes() {
                    counts.attributes += 1;
                    counts.attribute_value_bytes += attribute.value().len();
                }
            }
            NodeType::Text => counts.text_bytes += node.text().map_or(0, str::len),
            _ => {}
        }
    }
    counts
}

/// Counts one quick-xml start or empty tag; namespace declarations are skipped so that the
/// attribute count matches crossguard and roxmltree, which report them separately.
fn quick_xml_start(
    tag: &BytesStart<'_>,
    counts: &mut Counts,
    mut resolve: impl FnMut(quick_xml::name::QName<'_>),
) {
    counts.elements += 1;
    for attribute in tag.attributes().with_checks(true) {
        let attribute = attribute.expect("quick-xml: well-formed attribute");
        if attribute.key.as_namespace_binding().is_some() {
            continue;
        }
        if attribute.key.prefix().is_some() {
            resolve(attribute.key);
        }
        counts.attributes += 1;
        counts.attribute_value_bytes += attribute
            .unescape_value()
            .expect("quick-xml: attribute value")
            .len();
    }
}

fn quick_xml_reader(input: &[u8]) -> Counts {
    let mut counts = Counts::default();
    let mut reader = quick_xml::Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    // quick-xml reports whitespace around the root element as text; count only what is inside.
    let mut depth = 0_usize;
    loop {
        match reader.read_event().expect("quick-xml: well-formed input") {
            QuickEvent::Start(tag) => {
                depth += 1;
                quick_xml_start(&tag, &mut counts, |_| {});
            }
            QuickEvent::Empty(tag) => quick_xml_start(&tag, &mut counts, |_| {}),
            QuickEvent::End(_) => depth -= 1,
            QuickEvent::Text(text) if depth > 0 => {
                counts.text_bytes += text.unescape().expect("quick-xml: text").len()
            }
            QuickEvent::CData(data) => counts.text_bytes += data.len(),
            QuickEvent::Eof => break,
            _ => {}
        }
    }
    counts
}

fn quick_xml_ns_reader(input: &[u8]) -> Counts {
    let mut counts = Counts::default();
    let mut reader = quick_xml::NsReader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut depth = 0_usize;
    loop {
        let (namespace, event) = reader
            .read_resolved_event()
            .expect("quick-xml ns: well-formed input");
        // NsReader reports an undeclared prefix as `Unknown` rather than failing; a strict
        // caller (like crossguard, which refuses it) has to check.
        assert!(
            !matches!(namespace, ResolveResult::Unknown(_)),
            "quick-xml ns: unbound element prefix"
        );
        black_box(&namespace);
        match event {
            QuickEvent::Start(tag) => {
                depth += 1;
                quick_xml_start(&tag, &mut counts, |name| {
                    let (namespace, _) = reader.resolve_attribute(name);
                    assert!(
                        !matches!(namespace, ResolveResult::Unknown(_)),
                        "quick-xml ns: unbound attribute prefix"
                    );
                    black_box(&namespace);
                });
            }
            QuickEvent::Empty(tag) => quick_xml_start(&tag, &mut counts, |name| {
                let (namespace, _) = reader.resolve_attribute(name);
                assert!(
                    !matches!(namespace, ResolveResult::Unknown(_)),
                    "quick-xml ns: unbound attribute prefix"
                );
                black_box(&namespace);
            }),
            QuickEvent::End(_) => depth -= 1,
            QuickEvent::Text(text) if depth > 0 => {
                counts.text_bytes += text.unescape().expect("quick-xml ns: text").len()
            }
            QuickEvent::CData(data) => counts.text_bytes += data.len(),
            QuickEvent::Eof => break,
            _ => {}
        }
    }
    counts
}

fn roxmltree(input: &[u8]) -> Counts {
    let mut counts = Counts::default();
    let text = std::str::from_utf8(input).expect("roxmltree: UTF-8 input");
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .expect("roxmltree: well-formed input");
    for node in doc.descendants() {
        if node.is_element() {
            counts.elements += 1;
            for attribute in node.attributes() {
                counts.attributes += 1;
                counts.attribute_value_bytes += attribute.value().len();
            }
        } else if node.is_text() {
            counts.text_bytes += node.text().map_or(0, str::len);
        }
    }
    counts
}

/// A benchmarked function: parse the whole input, return what it counted.
type Parse = fn(&[u8]) -> Counts;

/// Every function of every group, in the order criterion reports them.
const FUNCTIONS: [(&str, Parse); 6] = [
    ("crossguard_reader", crossguard_reader),
    ("stream_64k", stream_64k),
    ("crossguard_tree", crossguard_tree),
    ("quick_xml_reader", quick_xml_reader),
    ("quick_xml_ns_reader", quick_xml_ns_reader),
    ("roxmltree", roxmltree),
];

/// Runs every function once and checks that they computed the same thing.
fn check_counts(group: &str, input: &[u8]) {
    let reference = crossguard_reader(input);
    println!("{group}: {} bytes, {reference:?}", input.len());
    for (name, function) in FUNCTIONS {
        let counts = function(input);
        assert_eq!(
            (counts.elements, counts.attributes, counts.attribute_value_bytes),
            (reference.elements, reference.attributes, reference.attribute_value_bytes),
            "{group}: {name} disagrees with crossguard_reader on elements, attributes or attribute-value bytes"
        );
        // Text is compared loosely: parsers may legitimately differ on what text they report
        // (e.g. whitespace outside the root, or CDATA merged with adjacent text); print it.
        if counts.text_bytes != reference.text_bytes {
            println!(
                "{group}: {name} reports {} text bytes, crossguard_reader {}",
                counts.text_bytes, reference.text_bytes
            );
        }
    }
}

fn bench_group(c: &mut Criterion, group_name: &str, input: &[u8], bulk: bool) {
    check_counts(group_name, input);
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Bytes(input.len() as u64));
    if bulk {
        // One iteration takes tens of milliseconds: few flat samples keep the run short.
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4));
    } else {
        group
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
    }
    for (name, function) in FUNCTIONS {
        group.bench_function(name, |b| b.iter(|| black_box(function(black_box(input)))));
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let label = inputs::label();
    let spif = inputs::spif();
    let tracks = inputs::tracks();
    for (name, input) in [("label", &label), ("spif", &spif), ("tracks", &tracks)] {
        let doc = Document::parse_with_limits(input, limits())
            .unwrap_or_else(|e| panic!("{name}: crossguard refuses the input: {e}"));
        let text = std::str::from_utf8(input).unwrap();
        roxmltree::Document::parse(text)
            .unwrap_or_else(|e| panic!("{name}: roxmltree refuses the input: {e}"));
        println!(
            "input {name}: {} bytes ({:.1} KiB), {} nodes",
            input.len(),
            input.len() as f64 / 1024.0,
            doc.node_count()
        );
    }
    bench_group(c, "xml/label", &label, false);
    bench_group(c, "xml/spif", &spif, false);
    bench_group(c, "xml/tracks", &tracks, true);
}

criterion_group!(xml, benches);
criterion_main!(xml);
