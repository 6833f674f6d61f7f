//! The conformance corpus under `tests/data/json`: every valid file is accepted, every invalid
//! file is refused with the code its directory names (whole, byte by byte, and in 7-byte
//! chunks alike), and every error code has a directory.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crossguard::json::{validate, JsonError, JsonValidator};
use crossguard::limits::JsonLimits;

/// The limits stated in tests/data/json/README.md.
const CORPUS_LIMITS: JsonLimits = JsonLimits {
    max_input_bytes: 65_536,
    max_depth: 16,
    max_string_bytes: 1024,
    max_number_bytes: 64,
    max_members: 32,
    max_name_bytes: 2048,
};

/// Every `JsonErrorKind::code()`.
const ALL_CODES: &[&str] = &[
    "invalid-utf8",
    "byte-order-mark",
    "unexpected-eof",
    "unexpected",
    "trailing-content",
    "invalid-literal",
    "control-in-string",
    "invalid-escape",
    "unpaired-surrogate",
    "noncharacter",
    "invalid-number",
    "number-out-of-range",
    "integer-out-of-range",
    "number-too-precise",
    "duplicate-name",
    "input-too-large",
    "depth-limit-exceeded",
    "string-too-long",
    "number-too-long",
    "too-many-members",
    "names-too-large",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/json")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn chunked(bytes: &[u8], size: usize) -> Result<u64, JsonError> {
    let mut v = JsonValidator::new(CORPUS_LIMITS);
    for chunk in bytes.chunks(size) {
        v.feed(chunk)?;
    }
    v.finish().map(|s| s.values)
}

#[test]
fn valid_files_are_accepted() {
    let valid = files(&root().join("valid"));
    assert!(valid.len() >= 40, "{}", valid.len());
    for path in valid {
        let bytes = fs::read(&path).unwrap();
        let whole = validate(&bytes, CORPUS_LIMITS)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .values;
        for size in [1, 7] {
            assert_eq!(chunked(&bytes, size), Ok(whole), "{}", path.display());
        }
    }
}

#[test]
fn invalid_files_are_refused_with_their_code() {
    let mut seen = BTreeSet::new();
    for dir in fs::read_dir(root().join("invalid")).unwrap() {
        let dir = dir.unwrap().path();
        let code = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let cases = files(&dir);
        assert!(!cases.is_empty(), "{code}: no files");
        for path in cases {
            let bytes = fs::read(&path).unwrap();
            let e = validate(&bytes, CORPUS_LIMITS)
                .map_or_else(|e| e, |_| panic!("{} accepted", path.display()));
            assert_eq!(e.code(), code, "{}: {e}", path.display());
            for size in [1, 7] {
                assert_eq!(chunked(&bytes, size), Err(e.clone()), "{}", path.display());
            }
        }
        seen.insert(code);
    }
    let all: BTreeSet<String> = ALL_CODES.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(seen, all, "a directory per error code");
}
