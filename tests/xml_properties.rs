//! Property tests of the XML core against naive oracles:
//! - a generated tree, serialised with random (valid) spelling choices, parses back to itself;
//! - canonical form re-parses to an equal tree and is a fixed point;
//! - the reader never panics on arbitrary bytes or on mutated documents, and the tree always
//!   agrees with the reader;
//! - the default limits trip at exactly their documented values.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

mod common;

use common::{document_strategy, edits_strategy, matches_model, mutate, serialize};
use crossguard::limits::{self, XmlLimits};
use crossguard::xml::{canonical, Comments, Document, Reader, XmlErrorKind};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_trees_parse_back_to_themselves(model in document_strategy(), seed in any::<u64>()) {
        let bytes = serialize(&model, seed);
        let doc = match Document::parse(&bytes) {
            Ok(doc) => doc,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&bytes)))),
        };
        if let Err(diff) = matches_model(&doc, &model) {
            return Err(TestCaseError::fail(format!("{diff}\n{}", String::from_utf8_lossy(&bytes))));
        }
        prop_assert_eq!(Reader::new(&bytes).validate().is_ok(), true);
    }

    #[test]
    fn canonical_form_round_trips(model in document_strategy(), seed in any::<u64>()) {
        let bytes = serialize(&model, seed);
        let doc = Document::parse(&bytes).unwrap();
        let c14n = canonical(&doc, Comments::Keep);
        let again = Document::parse(&c14n).unwrap();
        prop_assert!(again == doc, "{}\n{}", String::from_utf8_lossy(&bytes), String::from_utf8_lossy(&c14n));
        prop_assert_eq!(canonical(&again, Comments::Keep), c14n.clone());
        // Two different spellings of one model have one canonical form.
        let other_bytes = serialize(&model, seed.wrapping_add(1));
        let other = Document::parse(&other_bytes).unwrap();
        prop_assert_eq!(canonical(&other, Comments::Keep), c14n);
        let stripped = canonical(&doc, Comments::Strip);
        prop_assert!(Document::parse(&stripped).is_ok());
    }

    #[test]
    fn reader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        crossguard::fuzzing::xml_reader(&bytes);
        crossguard::fuzzing::xml_roundtrip(&bytes);
    }

    #[test]
    fn reader_never_panics_on_mutated_documents(model in document_strategy(), seed in any::<u64>(), edits in edits_strategy(4)) {
        let bytes = mutate(serialize(&model, seed), &edits);
        crossguard::fuzzing::xml_reader(&bytes);
        crossguard::fuzzing::xml_roundtrip(&bytes);
    }
}

fn kind(input: &[u8], limits: XmlLimits) -> Option<XmlErrorKind> {
    Reader::with_limits(input, limits)
        .validate()
        .err()
        .map(|e| e.kind().clone())
}

#[test]
fn default_limits_trip_exactly_at_their_values() {
    let d = XmlLimits::default();
    let nest = |n: usize| format!("{}{}", "<d>".repeat(n), "</d>".repeat(n)).into_bytes();
    assert_eq!(kind(&nest(limits::MAX_XML_DEPTH), d), None);
    assert_eq!(
        kind(&nest(limits::MAX_XML_DEPTH + 1), d),
        Some(XmlErrorKind::DepthLimitExceeded {
            limit: limits::MAX_XML_DEPTH
        })
    );

    let attrs = |n: usize| {
        format!(
            "<a {}/>",
            (0..n)
                .map(|i| format!("a{i}='{i}'"))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes()
    };
    assert_eq!(kind(&attrs(limits::MAX_XML_ATTRIBUTES), d), None);
    assert_eq!(
        kind(&attrs(limits::MAX_XML_ATTRIBUTES + 1), d),
        Some(XmlErrorKind::TooManyAttributes {
            limit: limits::MAX_XML_ATTRIBUTES
        })
    );

    let name = |n: usize| format!("<{}/>", "n".repeat(n)).into_bytes();
    assert_eq!(kind(&name(limits::MAX_XML_NAME_BYTES), d), None);
    assert_eq!(
        kind(&name(limits::MAX_XML_NAME_BYTES + 1), d),
        Some(XmlErrorKind::NameTooLong {
            limit: limits::MAX_XML_NAME_BYTES
        })
    );

    let declarations = |n: usize| {
        let open: String = (0..n)
            .map(|i| format!("<e xmlns:p{i}='urn:{i}'>"))
            .collect();
        format!("{open}{}", "</e>".repeat(n)).into_bytes()
    };
    assert_eq!(
        kind(&declarations(limits::MAX_XML_NAMESPACE_DECLARATIONS), d),
        None
    );
    assert_eq!(
        kind(&declarations(limits::MAX_XML_NAMESPACE_DECLARATIONS + 1), d),
        Some(XmlErrorKind::TooManyNamespaceDeclarations {
            limit: limits::MAX_XML_NAMESPACE_DECLARATIONS
        })
    );

    // Node and size limits at their defaults would need tens of MiB: check them scaled down,
    // with the same code path, and check the defaults are what the docs say.
    assert_eq!(
        (limits::MAX_XML_NODES, limits::MAX_XML_INPUT_BYTES),
        (8 * 1024 * 1024, 64 * 1024 * 1024)
    );
    let small = XmlLimits {
        max_nodes: 10,
        max_input_bytes: 64,
        ..d
    };
    let children = |n: usize| format!("<a>{}</a>", "<b/>".repeat(n)).into_bytes();
    assert_eq!(kind(&children(9), small), None);
    assert_eq!(
        kind(&children(10), small),
        Some(XmlErrorKind::TooManyNodes { limit: 10 })
    );
    assert_eq!(
        kind(
            &children(8),
            XmlLimits {
                max_input_bytes: 39,
                ..small
            }
        ),
        None
    );
    assert_eq!(
        kind(
            &children(8),
            XmlLimits {
                max_input_bytes: 38,
                ..small
            }
        ),
        Some(XmlErrorKind::InputTooLarge { limit: 38 })
    );
}

#[test]
fn deep_nesting_costs_heap_not_stack() {
    // 100 000 levels in a 2 MiB test thread: the reader, the tree, equality and the canonical
    // writer are iterative, so only the raised limit stands between this and an error.
    let depth = 100_000;
    let input = format!("{}{}", "<d>".repeat(depth), "</d>".repeat(depth)).into_bytes();
    let limits = XmlLimits {
        max_depth: depth,
        ..XmlLimits::default()
    };
    let doc = Document::parse_with_limits(&input, limits).unwrap();
    assert_eq!(doc.node_count(), depth);
    let c14n = canonical(&doc, Comments::Keep);
    assert_eq!(c14n.len(), depth * "<d></d>".len());
    assert!(Document::parse_with_limits(&c14n, limits).unwrap() == doc);
    assert_eq!(
        kind(&input, XmlLimits::default()),
        Some(XmlErrorKind::DepthLimitExceeded {
            limit: limits::MAX_XML_DEPTH
        })
    );
}

#[test]
fn error_payloads_are_bounded() {
    // Long enough to need cutting, short enough for `max_markup_bytes` (1 MiB per tag); an
    // entity name this long is refused by `MAX_XML_REFERENCE_BYTES` before it is named.
    let huge = "e".repeat(1 << 18);
    // A namespace name at its limit (`MAX_XML_NAMESPACE_NAME_BYTES`), still far longer than an
    // excerpt.
    let long_ns = "e".repeat(limits::MAX_XML_NAMESPACE_NAME_BYTES - 4);
    let cases = [
        (format!("<a>&{huge};</a>"), "reference-too-long"),
        (format!("<a>&{};</a>", "e".repeat(60)), "undefined-entity"),
        (
            format!("<?xml version='1.0' encoding='{huge}'?><a/>"),
            "unsupported-encoding",
        ),
        (
            format!("<?xml version='1.{}'?><a/>", "0".repeat(1 << 18)),
            "unsupported-version",
        ),
        (
            format!("<a xmlns:p='urn:{long_ns}' xmlns:q='urn:{long_ns}' p:x='' q:x=''/>"),
            "duplicate-expanded-attribute",
        ),
        (
            format!("<a xmlns:p='urn:{huge}'/>"),
            "namespace-name-too-long",
        ),
    ];
    for (input, code) in cases {
        let err = Reader::new(input.as_bytes()).validate().unwrap_err();
        assert_eq!(err.kind().code(), code);
        let shown = err.to_string();
        assert!(
            shown.len() < 2 * limits::MAX_ERROR_EXCERPT_BYTES + 200,
            "{code}: {} bytes of message",
            shown.len()
        );
    }
}

#[test]
fn errors_are_sticky() {
    let mut reader = Reader::new(b"<a><b></a>");
    let mut first = None;
    for _ in 0..5 {
        match reader.next_event() {
            Ok(Some(_)) => {}
            Ok(None) => panic!("accepted"),
            Err(e) => {
                let again = reader.next_event().unwrap_err();
                assert_eq!(e, again);
                first = Some(e);
                break;
            }
        }
    }
    assert_eq!(first.unwrap().kind().code(), "mismatched-end-tag");
}
