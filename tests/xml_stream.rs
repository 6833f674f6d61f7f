//! The streaming reader (`XmlStream`) against the whole-buffer `Reader`, the oracle:
//! - every XML file under `tests/data`, cut in two at every position and fed byte by byte,
//!   gives the same events, node count, or error (code, offset, line, column, path);
//! - generated and mutated documents under random chunkings do too;
//! - each new limit (`max_markup_bytes`, `MAX_XML_REFERENCE_BYTES`) trips with its own code,
//!   at the same place in both;
//! - a 64 MiB+ document streams with a bounded carry.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

mod common;

use core::ops::ControlFlow;
use std::fs;
use std::path::{Path, PathBuf};

use common::{document_strategy, edits_strategy, mutate, serialize};
use crossguard::fuzzing::xml_stream::{streamed_outcome, whole_outcome, Outcome};
use crossguard::limits::{self, XmlLimits};
use crossguard::xml::{Event, Reader, XmlStream};
use proptest::prelude::*;

/// The limits of tests/data/xml/README.md (so that the limit samples trip), markup included.
fn corpus_limits() -> XmlLimits {
    XmlLimits {
        max_input_bytes: 65_536,
        max_depth: 64,
        max_attributes: 64,
        max_name_bytes: 256,
        max_namespace_declarations: 32,
        max_nodes: 1_000,
        max_markup_bytes: limits::MAX_XML_MARKUP_BYTES,
    }
}

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            xml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let mut paths = Vec::new();
    xml_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data"),
        &mut paths,
    );
    paths.sort();
    assert!(paths.len() >= 200, "corpus went missing: {}", paths.len());
    paths
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Split positions for one file: all of them, except in files above 16 KiB (one, the
/// `input-too-large` sample), where the first and last 2 KiB are cut at every position and
/// the middle at every 97th.
fn split_points(len: usize) -> Vec<usize> {
    if len <= 16 * 1024 {
        return (0..=len).collect();
    }
    (0..=len)
        .filter(|&i| i <= 2048 || i + 2048 >= len || i % 97 == 0)
        .collect()
}

#[test]
fn every_corpus_file_agrees_split_anywhere_and_byte_by_byte() {
    let mut accepted = 0;
    let mut rejected = 0;
    for (path, bytes) in corpus() {
        let limits = corpus_limits();
        let whole = whole_outcome(&bytes, limits);
        match whole {
            Outcome::Accepted(..) => accepted += 1,
            Outcome::Rejected(..) => rejected += 1,
        }
        for split in split_points(bytes.len()) {
            let streamed = streamed_outcome(&bytes, limits, &[split]);
            assert_eq!(streamed, whole, "{} split at {split}", path.display());
        }
        let every: Vec<usize> = (1..bytes.len()).collect();
        assert_eq!(
            streamed_outcome(&bytes, limits, &every),
            whole,
            "{} byte by byte",
            path.display()
        );
    }
    assert!(
        accepted >= 100 && rejected >= 40,
        "{accepted} accepted, {rejected} rejected"
    );
}

fn chunking() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0usize..4096, 0..24)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_agree_under_any_chunking(model in document_strategy(), seed in any::<u64>(), cuts in chunking()) {
        let bytes = serialize(&model, seed);
        let cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
        let whole = whole_outcome(&bytes, XmlLimits::default());
        prop_assert!(matches!(whole, Outcome::Accepted(..)));
        prop_assert_eq!(streamed_outcome(&bytes, XmlLimits::default(), &cuts), whole);
    }

    #[test]
    fn mutated_documents_agree_under_any_chunking(model in document_strategy(), seed in any::<u64>(), edits in edits_strategy(4), cuts in chunking()) {
        let bytes = mutate(serialize(&model, seed), &edits);
        let cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
        let small = XmlLimits { max_markup_bytes: 24, max_nodes: 12, max_depth: 4, ..XmlLimits::default() };
        for limits in [XmlLimits::default(), small] {
            prop_assert_eq!(streamed_outcome(&bytes, limits, &cuts), whole_outcome(&bytes, limits), "{:?} cut at {:?}", String::from_utf8_lossy(&bytes), cuts);
        }
    }

    #[test]
    fn arbitrary_bytes_agree_under_any_chunking(bytes in proptest::collection::vec(prop_oneof![Just(b'<'), Just(b'>'), Just(b'&'), Just(b']'), Just(b'-'), Just(b'\r'), Just(b'?'), Just(b'\''), any::<u8>()], 0..96), cuts in chunking()) {
        let cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
        prop_assert_eq!(streamed_outcome(&bytes, XmlLimits::default(), &cuts), whole_outcome(&bytes, XmlLimits::default()));
        crossguard::fuzzing::xml_stream::xml_stream(&bytes);
    }
}

fn code(outcome: &Outcome) -> Option<(&'static str, usize)> {
    match outcome {
        Outcome::Rejected(code, offset, ..) => Some((code, *offset)),
        Outcome::Accepted(..) => None,
    }
}

/// Both readers on one document, every chunking in `cuts`; returns the common outcome.
fn agreed(bytes: &[u8], limits: XmlLimits) -> Outcome {
    let whole = whole_outcome(bytes, limits);
    for step in [1, 2, 3, 7, 64, 4096] {
        let cuts: Vec<usize> = (1..bytes.len()).filter(|c| c % step == 0).collect();
        assert_eq!(
            streamed_outcome(bytes, limits, &cuts),
            whole,
            "chunks of {step}"
        );
    }
    whole
}

#[test]
fn markup_longer_than_the_limit_is_refused_at_its_start() {
    let limits = XmlLimits {
        max_markup_bytes: 32,
        ..XmlLimits::default()
    };
    // 32 bytes from `<` to `>` inclusive: accepted; 33: refused, the tag at offset 3.
    let tag = |len: usize| format!("<r><a v='{}'/></r>", "x".repeat(len - 9)).into_bytes();
    assert_eq!(code(&agreed(&tag(32), limits)), None);
    assert_eq!(
        code(&agreed(&tag(33), limits)),
        Some(("markup-too-long", 3))
    );
    // A processing instruction, an end tag and the declaration are held whole too.
    let pi = format!("<r><?p {}?></r>", "d".repeat(40)).into_bytes();
    assert_eq!(code(&agreed(&pi, limits)), Some(("markup-too-long", 3)));
    let end = format!("<r></r{}>", " ".repeat(40)).into_bytes();
    assert_eq!(code(&agreed(&end, limits)), Some(("markup-too-long", 3)));
    let declaration = format!("<?xml version='1.0'{}?><r/>", " ".repeat(40)).into_bytes();
    assert_eq!(
        code(&agreed(&declaration, limits)),
        Some(("markup-too-long", 0))
    );
    // Text, comments and CDATA sections are not markup: any length streams.
    let long = format!("<r>{0}<!--{0}--><![CDATA[{0}]]></r>", "t".repeat(100)).into_bytes();
    assert_eq!(code(&agreed(&long, limits)), None);
    // An unterminated tag at the very end is cut short, not too long.
    assert_eq!(
        code(&agreed(b"<r><a v='xx", limits)),
        Some(("unexpected-eof", 11))
    );
    assert_eq!(
        limits::MAX_XML_MARKUP_BYTES,
        XmlLimits::default().max_markup_bytes
    );
}

#[test]
fn references_longer_than_the_limit_are_refused() {
    let limit = limits::MAX_XML_REFERENCE_BYTES;
    // `&#` + digits + `;`: leading zeros are allowed up to the limit.
    let reference = |digits: usize| format!("<r a='&#{0:0>digits$};'>&#{0:0>digits$};</r>", 65);
    let fits = reference(limit - 3);
    assert_eq!(code(&agreed(fits.as_bytes(), XmlLimits::default())), None);
    let long = reference(limit - 2);
    assert_eq!(
        code(&agreed(long.as_bytes(), XmlLimits::default())),
        Some(("reference-too-long", 6))
    );
    let in_text = format!("<r>&{};</r>", "n".repeat(limit));
    assert_eq!(
        code(&agreed(in_text.as_bytes(), XmlLimits::default())),
        Some(("reference-too-long", 3))
    );
}

#[test]
fn namespace_names_longer_than_the_limit_are_refused() {
    let limit = limits::MAX_XML_NAMESPACE_NAME_BYTES;
    let declaring = |len: usize| format!("<r><p:e xmlns:p='urn:{}'/></r>", "u".repeat(len - 4));
    assert_eq!(
        code(&agreed(declaring(limit).as_bytes(), XmlLimits::default())),
        None
    );
    assert_eq!(
        code(&agreed(
            declaring(limit + 1).as_bytes(),
            XmlLimits::default()
        )),
        Some(("namespace-name-too-long", 8))
    );
    // The default namespace too, and the limit holds after normalisation (a reference counts
    // as the character it stands for).
    let default = format!("<r xmlns='urn:{}&#65;'/>", "u".repeat(limit - 4));
    assert_eq!(
        code(&agreed(default.as_bytes(), XmlLimits::default())),
        Some(("namespace-name-too-long", 3))
    );
}

/// What a stream re-establishes at each chunk is bounded: the most bindings in scope, each
/// with the longest name, under a long text fed in small chunks, reads like the whole (a
/// review found this quadratic before names were kept by their interned id).
#[test]
fn many_long_bindings_in_scope_stream_like_the_whole() {
    let limit = limits::MAX_XML_NAMESPACE_NAME_BYTES;
    let mut doc = String::new();
    for i in 0..limits::MAX_XML_NAMESPACE_DECLARATIONS {
        doc.push_str(&format!(
            "<e xmlns:p{i}='urn:{}{i:08}'>",
            "u".repeat(limit - 12)
        ));
    }
    doc.push_str(&"text ".repeat(64 * 1024));
    for _ in 0..limits::MAX_XML_NAMESPACE_DECLARATIONS {
        doc.push_str("</e>");
    }
    let bytes = doc.as_bytes();
    let whole = whole_outcome(bytes, XmlLimits::default());
    assert!(matches!(whole, Outcome::Accepted(..)), "{whole:?}");
    let cuts: Vec<usize> = (1..bytes.len() / 4096).map(|k| k * 4096).collect();
    assert_eq!(streamed_outcome(bytes, XmlLimits::default(), &cuts), whole);
}

#[test]
fn errors_keep_the_readers_precedence() {
    // The whole-input checks outrank an earlier grammar error, whatever the chunking.
    assert_eq!(
        code(&agreed(b"<a></b>\xFF", XmlLimits::default())),
        Some(("invalid-utf8", 7))
    );
    assert_eq!(
        code(&agreed(b"<a></b>\x01\xFF", XmlLimits::default())),
        Some(("invalid-utf8", 8))
    );
    assert_eq!(
        code(&agreed(b"<a></b>\x01", XmlLimits::default())),
        Some(("illegal-char", 7))
    );
    assert_eq!(
        code(&agreed(
            b"<?xml version='1.0' encoding='us-ascii'?><a></b>\xC3\xA9",
            XmlLimits::default()
        )),
        Some(("non-ascii-in-ascii-document", 48))
    );
    let small = XmlLimits {
        max_input_bytes: 8,
        ..XmlLimits::default()
    };
    assert_eq!(
        code(&agreed(b"<a>\n\xFF</b></a>", small)),
        Some(("input-too-large", 8))
    );
}

#[test]
fn too_large_input_is_refused_by_feed_where_the_limit_is_crossed() {
    let limits = XmlLimits {
        max_input_bytes: 10,
        ..XmlLimits::default()
    };
    let mut stream = XmlStream::new(limits);
    stream.feed(b"<a>\n12").unwrap();
    let error = stream.feed(b"34567").unwrap_err();
    assert_eq!(
        (
            error.kind().code(),
            error.offset(),
            error.line(),
            error.column()
        ),
        ("input-too-large", 10, 2, 7)
    );
    assert_eq!(stream.feed(b"").unwrap_err(), error);
    assert_eq!(stream.finish().unwrap_err(), error);
}

#[test]
fn a_visitor_that_breaks_ends_the_grammar_but_not_the_input_checks() {
    // The reader's caller stops pulling after the first event: a later grammar error is
    // never read, a bad byte anywhere still is.
    let first_only = |bytes: &[u8]| {
        let mut stream = XmlStream::new(XmlLimits::default());
        let mut seen = 0;
        let mut visit = |_: Event<'_, '_>| {
            seen += 1;
            ControlFlow::Break(())
        };
        for chunk in bytes.chunks(3) {
            stream.feed_with(chunk, &mut visit).unwrap();
        }
        let result = stream
            .finish_with(&mut visit)
            .map(|_| ())
            .map_err(|e| e.kind().code());
        (seen, result)
    };
    let reader_first_only = |bytes: &[u8]| {
        let mut reader = Reader::new(bytes);
        reader.next_event().map(|_| ()).map_err(|e| e.kind().code())
    };
    for doc in [&b"<a>text</b>"[..], b"<a>text</a>\xFF", b"<a x='1' x='2'>"] {
        // (The stream may hand on an event before it meets the bad byte: events are
        // provisional until `finish`.)
        let (seen, result) = first_only(doc);
        assert!(seen <= 1);
        assert_eq!(result, reader_first_only(doc), "{doc:?}");
    }
    // A text run is read to its end before the grammar stops, as the reader reads it whole.
    let (seen, result) = first_only(b"<a><b/>long text ]]> more</a>");
    assert_eq!((seen, result), (1, Ok(())));
    let mut reader = Reader::new(b"<a>long text ]]> more</a>");
    reader.next_event().unwrap();
    assert!(reader.next_event().is_err());
    let mut stream = XmlStream::new(XmlLimits::default());
    let mut events = 0;
    let mut visit = |_: Event<'_, '_>| {
        events += 1;
        if events == 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    for chunk in b"<a>long text ]]> more</a>".chunks(5) {
        stream.feed_with(chunk, &mut visit).unwrap();
    }
    assert_eq!(
        stream.finish_with(&mut visit).unwrap_err().kind().code(),
        "cdata-end-in-text"
    );
}

/// 64 MiB and more of records inside one root, generated chunk by chunk: accepted, every
/// record counted, and the stream never holds more than one chunk's worth of carry.
#[test]
fn a_64_mib_document_streams_with_a_bounded_carry() {
    let record = b"<record id='42' kind=\"track\">\n  <name>Alpha &amp; Bravo</name>\n  <!-- note -->\n  <value><![CDATA[1 < 2]]></value>\n</record>\n";
    let chunk_bytes = 64 * 1024;
    let target = 64 * 1024 * 1024 + 1;
    let limits = XmlLimits {
        max_input_bytes: usize::MAX,
        max_nodes: usize::MAX,
        ..XmlLimits::default()
    };
    let mut stream = XmlStream::new(limits);
    let mut buffer: Vec<u8> = b"<?xml version='1.0'?>\n<records>\n".to_vec();
    let mut records = 0usize;
    let mut fed = 0usize;
    let mut most_carried = 0;
    while fed < target {
        while buffer.len() < chunk_bytes {
            buffer.extend_from_slice(record);
            records += 1;
        }
        stream.feed(&buffer[..chunk_bytes]).unwrap();
        fed += chunk_bytes;
        buffer.drain(..chunk_bytes);
        most_carried = most_carried.max(stream.carried_bytes());
    }
    buffer.extend_from_slice(b"</records>\n");
    stream.feed(&buffer).unwrap();
    let stats = stream.finish().unwrap();
    // Per record: record, name, text, comment, value, CDATA, and five whitespace runs.
    assert_eq!(stats.nodes, 1 + records * 11 + 1);
    assert!(stats.bytes > 64 * 1024 * 1024);
    assert!(most_carried <= record.len(), "carried {most_carried} bytes");
}

/// The fuzz target's committed corpus and the XML test data through its oracle (the first
/// byte of each file chooses the chunking), as `tests/fuzz_corpus.rs` does for the others.
#[test]
fn fuzz_corpus_replays() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for entry in fs::read_dir(root.join("fuzz/corpus/xml_stream")).unwrap() {
        paths.push(entry.unwrap().path());
    }
    assert!(paths.len() >= 5);
    xml_files(&root.join("tests/data/xml"), &mut paths);
    for path in paths {
        let bytes = fs::read(&path).unwrap();
        let outcome =
            std::panic::catch_unwind(|| crossguard::fuzzing::xml_stream::xml_stream(&bytes));
        assert!(outcome.is_ok(), "{}", path.display());
    }
}
