//! The real `crossguard` binary on real files: output lines, JSON, exit codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/xml")
        .join(rel)
}

fn crossguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crossguard"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout_lines(out: &Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn valid_files_exit_zero_with_one_ok_line_each() {
    let a = data("valid/stanag-4774-label.xml");
    let b = data("valid/minimal.xml");
    let out = crossguard(&[
        "validate",
        "--format",
        "xml",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        stdout_lines(&out),
        [
            format!("{}: ok", a.display()),
            format!("{}: ok", b.display())
        ]
    );
}

#[test]
fn a_rejected_file_exits_one_and_names_reason_and_position() {
    let good = data("valid/minimal.xml");
    let bad = data("invalid/doctype-forbidden/billion-laughs.xml");
    let out = crossguard(&[
        "validate",
        "--format",
        "xml",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout_lines(&out),
        [
            format!("{}: ok", good.display()),
            format!("{}: rejected: document type declarations (<!DOCTYPE) are forbidden at line 1, column 22", bad.display()),
        ]
    );
    let nested = data("invalid/mismatched-end-tag/crossed.xml");
    let out = crossguard(&["validate", "--format", "xml", nested.to_str().unwrap()]);
    assert_eq!(
        stdout_lines(&out),
        [format!("{}: rejected: end tag '</a>' does not match open element '<b>' at line 1, column 7 in /a/b", nested.display())]
    );
}

#[test]
fn json_output_is_one_object_per_file() {
    let good = data("valid/minimal.xml");
    let bad = data("invalid/undeclared-prefix/out-of-scope.xml");
    let out = crossguard(&[
        "validate",
        "--json",
        "--format",
        "xml",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
        "/nonexistent/file.xml",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unreadable file makes it an I/O error"
    );
    let objects: Vec<serde_json::Value> = stdout_lines(&out)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 3, "every file is reported, none dropped");
    assert_eq!(objects[0]["valid"], true);
    assert_eq!(objects[0]["nodes"], 1);
    assert_eq!(objects[1]["valid"], false);
    let error = &objects[1]["error"];
    assert_eq!(error["code"], "undeclared-prefix");
    assert_eq!(error["fault"], "malformed input");
    assert_eq!(
        (
            error["line"].as_u64(),
            error["column"].as_u64(),
            error["offset"].as_u64()
        ),
        (Some(1), Some(24), Some(23))
    );
    assert_eq!(error["element_path"], "/r");
    assert_eq!(objects[2]["file"], "/nonexistent/file.xml");
    assert!(objects[2]["io_error"]
        .as_str()
        .unwrap()
        .contains("No such file"));
}

#[test]
fn limits_can_be_tightened_from_the_command_line() {
    let label = data("valid/stanag-4774-label.xml");
    let out = crossguard(&[
        "validate",
        "--json",
        "--format",
        "xml",
        "--max-input-bytes",
        "100",
        label.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout_lines(&out)[0]).unwrap();
    assert_eq!(v["error"]["code"], "input-too-large");
    let out = crossguard(&[
        "validate",
        "--json",
        "--format",
        "xml",
        "--max-depth",
        "2",
        label.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout_lines(&out)[0]).unwrap();
    assert_eq!(v["error"]["code"], "depth-limit-exceeded");
    assert_eq!(
        v["error"]["element_path"],
        "/slab:originatorConfidentialityLabel/slab:ConfidentialityInformation"
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crossguard"))
        .args(["validate", "--format", "xml", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"<a>&bogus;</a>")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_lines(&out), ["-: rejected: undefined entity '&bogus;' (only amp, lt, gt, apos, quot exist) at line 1, column 4 in /a"]);
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(
        crossguard(&["validate", "file.xml"]).status.code(),
        Some(2),
        "missing --format"
    );
    assert_eq!(
        crossguard(&["validate", "--format", "yaml", "file.xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        crossguard(&["validate", "--format", "xml"]).status.code(),
        Some(2),
        "no files"
    );
    assert_eq!(crossguard(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(crossguard(&["--help"]).status.code(), Some(0));
}

fn json_data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/json")
        .join(rel)
}

#[test]
fn json_files_are_validated_with_the_place_of_each_fault() {
    let dir = tempfile::tempdir().unwrap();
    let good = json_data("valid/surrogate-pair-escape.json");
    let bad = dir.path().join("dup.json");
    std::fs::write(&bad, "{\n  \"a\": {\"b\": 1,\n  \"b\": 2}}").unwrap();
    let out = crossguard(&[
        "validate",
        "--format",
        "json",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        stdout_lines(&out),
        [
            format!("{}: ok", good.display()),
            format!(
                "{}: rejected: duplicate member name \"b\" at line 3, column 3 in /a/b",
                bad.display()
            )
        ]
    );
    let out = crossguard(&[
        "validate",
        "--format",
        "json",
        "--json",
        bad.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "json");
    assert_eq!(v["error"]["code"], "duplicate-name");
    assert_eq!(v["error"]["pointer"], "/a/b");
    assert_eq!(v["error"]["offset"], 20);
}

#[test]
fn a_large_json_file_is_streamed_within_its_limits() {
    // 24 MiB of records: refused under the default 16 MiB limit at exactly that offset, and
    // accepted with a raised limit (read in chunks, never whole).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.json");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    file.write_all(b"[").unwrap();
    let record = br#"{"id": 12345, "name": "track", "pos": [51.5, -0.12], "ok": true},"#;
    for _ in 0..(24 << 20) / record.len() {
        file.write_all(record).unwrap();
    }
    file.write_all(b"null]").unwrap();
    drop(file);
    let out = crossguard(&[
        "validate",
        "--format",
        "json",
        "--json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "input-too-large");
    assert_eq!(v["error"]["offset"], 16 << 20);
    let out = crossguard(&[
        "validate",
        "--format",
        "json",
        "--max-input-bytes",
        "100000000",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn text_files_are_validated_in_chunks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/text");
    let good = root.join("valid/plain.txt");
    let bad = root.join("invalid/bidi-control/trojan-source.txt");
    let out = crossguard(&[
        "validate",
        "--format",
        "text",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let lines = stdout_lines(&out);
    assert_eq!(lines[0], format!("{}: ok", good.display()));
    assert!(
        lines[1].starts_with(&format!(
            "{}: rejected: bidirectional control U+202E",
            bad.display()
        )) && lines[1].ends_with("at line 1, column 25"),
        "{}",
        lines[1]
    );
    let out = crossguard(&[
        "validate",
        "--format",
        "text",
        "--json",
        bad.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "bidi-control");
    assert_eq!(v["error"]["offset"], 24);
}

/// `validate --format xml` of standard input, as JSON.
fn validate_xml_stdin(input: &[u8], extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crossguard"))
        .args(["validate", "--json", "--format", "xml"])
        .args(extra)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // The tool may stop reading early (a refused size): a broken pipe is fine.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

/// A document of many 64 KiB chunks is validated in chunks, with the whole-buffer reader's
/// node count, error and position, and a size limit refused where it is crossed.
#[test]
fn large_xml_files_are_validated_in_chunks() {
    let record = "<record id='7'>\n  <name>Alpha &amp; Bravo</name>\n</record>\n";
    let records = 40_000; // about 2.3 MiB: 36 chunks of 64 KiB
    let good = format!("<records>\n{}</records>\n", record.repeat(records));
    let (code, v) = validate_xml_stdin(good.as_bytes(), &[]);
    assert_eq!(code, Some(0), "{v}");
    let nodes = crossguard::xml::Reader::new(good.as_bytes())
        .validate()
        .unwrap();
    assert_eq!(v["nodes"], u64::try_from(nodes).unwrap());
    // The root, a line break, and six nodes per record.
    assert_eq!(nodes, 240_002);

    // A fault near the end, after a grammar-neutral megabyte, is placed as the reader places it.
    let bad = good.replace("</records>", "<records>");
    let expected = crossguard::xml::Reader::new(bad.as_bytes())
        .validate()
        .unwrap_err();
    let (code, v) = validate_xml_stdin(bad.as_bytes(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(v["error"]["code"], "unclosed-element");
    let place = |n: usize| serde_json::Value::from(u64::try_from(n).unwrap());
    assert_eq!(v["error"]["offset"], place(expected.offset()));
    assert_eq!(v["error"]["line"], place(expected.line()));
    assert_eq!(v["error"]["column"], place(expected.column()));

    // The size limit trips at its value, wherever the chunk boundaries fall.
    let (code, v) = validate_xml_stdin(good.as_bytes(), &["--max-input-bytes", "1000000"]);
    assert_eq!(code, Some(1));
    assert_eq!(v["error"]["code"], "input-too-large");
    assert_eq!(v["error"]["offset"], 1_000_000);
}
