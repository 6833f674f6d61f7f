//! The conformance corpus under `tests/data/xml`: every valid file is accepted (by the reader
//! and the tree, and survives canonical round trip), every invalid file is rejected with the
//! error kind its directory names, and every error kind has a directory.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crossguard::limits::XmlLimits;
use crossguard::xml::{canonical, Comments, Document, Reader};

/// The limits stated in tests/data/xml/README.md.
const CORPUS_LIMITS: XmlLimits = XmlLimits {
    max_input_bytes: 65_536,
    max_depth: 64,
    max_attributes: 64,
    max_name_bytes: 256,
    max_namespace_declarations: 32,
    max_nodes: 1_000,
    max_markup_bytes: crossguard::limits::MAX_XML_MARKUP_BYTES,
};

/// Every `XmlErrorKind::code()`; the corpus must have a directory for each.
const ALL_CODES: &[&str] = &[
    "invalid-utf8",
    "illegal-char",
    "non-ascii-in-ascii-document",
    "unexpected-eof",
    "unexpected",
    "invalid-name",
    "invalid-qualified-name",
    "duplicate-attribute",
    "duplicate-expanded-attribute",
    "lt-in-attribute-value",
    "cdata-end-in-text",
    "undefined-entity",
    "malformed-reference",
    "invalid-char-reference",
    "mismatched-end-tag",
    "unmatched-end-tag",
    "unclosed-element",
    "missing-root",
    "multiple-roots",
    "text-outside-root",
    "misplaced-xml-declaration",
    "malformed-xml-declaration",
    "double-hyphen-in-comment",
    "reserved-pi-target",
    "undeclared-prefix",
    "empty-prefixed-namespace",
    "reserved-namespace",
    "doctype-forbidden",
    "utf16-unsupported",
    "unsupported-encoding",
    "unsupported-version",
    "input-too-large",
    "depth-limit-exceeded",
    "too-many-attributes",
    "name-too-long",
    "too-many-namespace-declarations",
    "too-many-nodes",
];

fn corpus(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/xml")
        .join(sub)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    all.sort();
    all
}

#[test]
fn valid_documents_are_accepted_and_round_trip() {
    let valid = files(&corpus("valid"));
    assert!(valid.len() >= 30, "corpus went missing: {}", valid.len());
    for path in valid {
        let bytes = fs::read(&path).unwrap();
        let nodes = Reader::with_limits(&bytes, CORPUS_LIMITS)
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc = Document::parse_with_limits(&bytes, CORPUS_LIMITS).unwrap();
        assert!(
            nodes >= doc.node_count(),
            "{}: the tree merges text runs, never adds nodes",
            path.display()
        );
        let c14n = canonical(&doc, Comments::Keep);
        let again = Document::parse(&c14n)
            .unwrap_or_else(|e| panic!("{}: canonical output rejected: {e}", path.display()));
        assert_eq!(
            again,
            doc,
            "{}: round trip changed the tree",
            path.display()
        );
        assert_eq!(
            canonical(&again, Comments::Keep),
            c14n,
            "{}: canonical form not a fixed point",
            path.display()
        );
    }
}

#[test]
fn invalid_documents_are_rejected_with_their_kind() {
    let mut seen = BTreeSet::new();
    let mut cases = 0;
    for dir in fs::read_dir(corpus("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
    {
        let code = dir.file_name().unwrap().to_str().unwrap().to_owned();
        for path in files(&dir) {
            let bytes = fs::read(&path).unwrap();
            let err = match Reader::with_limits(&bytes, CORPUS_LIMITS).validate() {
                Ok(n) => panic!("{}: accepted ({n} nodes), expected {code}", path.display()),
                Err(e) => e,
            };
            assert_eq!(err.kind().code(), code, "{}: {err}", path.display());
            assert!(
                err.offset() <= bytes.len(),
                "{}: offset past the end",
                path.display()
            );
            assert!(err.line() >= 1 && err.column() >= 1);
            let tree_err = Document::parse_with_limits(&bytes, CORPUS_LIMITS).unwrap_err();
            assert_eq!(
                tree_err,
                err,
                "{}: the tree reports what the reader reports",
                path.display()
            );
            cases += 1;
        }
        seen.insert(code);
    }
    let expected: BTreeSet<String> = ALL_CODES.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        seen, expected,
        "every error kind has a corpus directory, and only those"
    );
    assert!(cases >= 120, "corpus went missing: {cases}");
}

#[test]
fn limit_cases_pass_under_the_default_limits_where_below_them() {
    // The corpus limit cases are far below the defaults: the defaults accept them.
    for code in [
        "depth-limit-exceeded",
        "too-many-attributes",
        "name-too-long",
        "too-many-namespace-declarations",
        "too-many-nodes",
        "input-too-large",
    ] {
        for path in files(&corpus(&format!("invalid/{code}"))) {
            let bytes = fs::read(&path).unwrap();
            Reader::new(&bytes)
                .validate()
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

#[test]
fn error_positions_point_at_the_fault() {
    let cases: &[(&str, &str, usize, usize, &str)] = &[
        // (file, code, line, column, element path)
        (
            "invalid/mismatched-end-tag/crossed.xml",
            "mismatched-end-tag",
            1,
            7,
            "/a/b",
        ),
        (
            "invalid/doctype-forbidden/after-comment.xml",
            "doctype-forbidden",
            1,
            9,
            "",
        ),
        (
            "invalid/illegal-char/nul-in-text.xml",
            "illegal-char",
            1,
            4,
            "",
        ),
        (
            "invalid/duplicate-attribute/plain.xml",
            "duplicate-attribute",
            1,
            10,
            "",
        ),
        (
            "invalid/undeclared-prefix/out-of-scope.xml",
            "undeclared-prefix",
            1,
            24,
            "/r",
        ),
    ];
    for &(file, code, line, column, path) in cases {
        let bytes = fs::read(corpus(file)).unwrap();
        let err = Reader::with_limits(&bytes, CORPUS_LIMITS)
            .validate()
            .unwrap_err();
        assert_eq!(
            (
                err.kind().code(),
                err.line(),
                err.column(),
                err.element_path()
            ),
            (code, line, column, path),
            "{file}"
        );
    }
}
