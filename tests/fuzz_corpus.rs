//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) and the XML test data through
//! the same oracles the fuzz targets use, so that every input a fuzzer once found interesting
//! stays a regression test in plain `cargo test`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .file_name()
                .is_some_and(|n| n != ".gitkeep" && n != "README.md" && n != "generate.py")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn replay(target: &str, oracle: impl Fn(&[u8])) -> usize {
    replay_with(target, &["tests/data/xml"], oracle)
}

/// Replays the target's corpus and the given test-data directories.
fn replay_with(target: &str, data: &[&str], oracle: impl Fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = inputs(&root.join("fuzz/corpus").join(target));
    for dir in data {
        files.extend(inputs(&root.join(dir)));
    }
    for path in &files {
        let data = fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| oracle(&data)));
        assert!(
            outcome.is_ok(),
            "{target} oracle failed on {}",
            path.display()
        );
    }
    files.len()
}

#[test]
fn xml_reader_corpus() {
    assert!(replay("xml_reader", crossguard::fuzzing::xml_reader) > 150);
}

#[test]
fn xml_roundtrip_corpus() {
    assert!(replay("xml_roundtrip", crossguard::fuzzing::xml_roundtrip) > 150);
}

#[test]
fn xml_differential_corpus() {
    let n = replay("xml_differential", |data| {
        if let Err(e) = common::differential::compare(data) {
            panic!("{e}");
        }
    });
    assert!(n > 150);
}

#[test]
fn spif_corpus() {
    let n = replay_with(
        "spif",
        &["tests/data/policy", "tests/data/xml"],
        crossguard::fuzzing::spif,
    );
    assert!(n > 40, "{n}");
}

#[test]
fn label_xml_corpus() {
    let n = replay_with(
        "label_xml",
        &["tests/data/label", "tests/data/clearance-xml"],
        crossguard::fuzzing::label_xml,
    );
    assert!(n > 50, "{n}");
}

#[test]
fn label_ess_corpus() {
    let n = replay_with(
        "label_ess",
        &["tests/data/ess"],
        crossguard::fuzzing::label_ess,
    );
    assert!(n > 100, "{n}");
}

#[test]
fn clearance_der_corpus() {
    let n = replay_with(
        "clearance_der",
        &["tests/data/clearance"],
        crossguard::fuzzing::clearance_der,
    );
    assert!(n > 100, "{n}");
}

#[test]
fn guard_config_corpus() {
    let n = replay_with(
        "guard_config",
        &["tests/data/guard"],
        crossguard::fuzzing::guard_config,
    );
    assert!(n > 0, "{n}");
}

#[test]
fn guard_check_corpus() {
    let n = replay_with(
        "guard_check",
        &["tests/data/guard/labels", "tests/data/label"],
        crossguard::fuzzing::guard_check,
    );
    assert!(n > 20, "{n}");
}

#[test]
fn guard_content_corpus() {
    let n = replay_with(
        "guard_content",
        &[
            "tests/data/guard/objects",
            "tests/data/json",
            "tests/data/text",
        ],
        crossguard::fuzzing::guard_content,
    );
    assert!(n > 100, "{n}");
}

#[test]
fn guard_markings_corpus() {
    let n = replay_with("guard_markings", &[], crossguard::fuzzing::guard_markings);
    assert!(n >= 6, "{n}");
}

#[test]
fn json_corpus() {
    let n = replay_with("json", &["tests/data/json"], |data| {
        crossguard::fuzzing::json(data);
        crossguard::fuzzing::json_canonical(data);
    });
    assert!(n > 200, "{n}");
}

#[test]
fn json_schema_corpus() {
    let n = replay_with(
        "json_schema",
        &["tests/data/json_schema"],
        crossguard::fuzzing::json_schema,
    );
    assert!(n > 10, "{n}");
}

#[test]
fn schema_pattern_corpus() {
    let n = replay_with("schema_pattern", &[], crossguard::fuzzing::schema_pattern);
    assert!(n > 10, "{n}");
}

#[test]
fn words_corpus() {
    let n = replay_with(
        "words",
        &["tests/data/words", "tests/data/text"],
        crossguard::fuzzing::words,
    );
    assert!(n > 10, "{n}");
}

#[test]
fn json_differential_corpus() {
    let n = replay_with(
        "json_differential",
        &["tests/data/json"],
        crossguard::fuzzing::json_differential,
    );
    assert!(n > 200, "{n}");
}

#[test]
fn inspect_text_corpus() {
    let n = replay_with(
        "inspect_text",
        &["tests/data/text", "tests/data/guard/objects"],
        crossguard::fuzzing::inspect_text,
    );
    assert!(n >= 10, "{n}");
}
