//! The real `crossguard` binary: `demo`, `check` and `audit verify|keygen`, on real files in
//! scratch directories.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

fn crossguard_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crossguard"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_demo_runs_every_step_as_expected_and_catches_the_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let out = crossguard_in(dir.path(), &["demo", "--dir", "run"]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains("every step had the expected outcome"),
        "{stdout}"
    );
    assert_eq!(stdout.matches(" RELEASE ").count(), 5, "{stdout}");
    assert_eq!(stdout.matches(" DENY ").count(), 10, "{stdout}");
    assert!(stdout.contains("intact — 15 records"), "{stdout}");
    // The inspection steps: the rebuilt feed, the schema's pointer, the spaced caveat and the
    // hidden portion mark, each named.
    assert!(stdout.contains("rebuilt by json-rfc8785"), "{stdout}");
    assert!(stdout.contains("/items/1/attachment"), "{stdout}");
    assert!(stdout.contains("\"NOFORN\" at byte"), "{stdout}");
    assert!(stdout.contains("\"(NS)\" (NATO SECRET)"), "{stdout}");
    // Content inspection: the bidi control is named with its position; the PDF by its type.
    assert!(
        stdout.contains("bidirectional control U+202E") && stdout.contains("line 2, column 25"),
        "{stdout}"
    );
    assert!(stdout.contains("bytes are pdf"), "{stdout}");
    assert!(stdout.contains("detected — "), "{stdout}");
    // The kept log verifies with the kept key through the command too.
    let run = dir.path().join("run");
    let verify = crossguard_in(
        &run,
        &["audit", "verify", "audit.jsonl", "--key", "audit.key"],
    );
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    let tampered = crossguard_in(
        &run,
        &[
            "audit",
            "verify",
            "audit-tampered.jsonl",
            "--key",
            "audit.key",
            "--json",
        ],
    );
    assert_eq!(tampered.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&tampered.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert!(json["errors"][0]["line"].as_u64().unwrap() > 1);
}

#[test]
fn check_releases_denies_and_audits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Without a key the guard refuses to run at all (exit 2), and says how to make one.
    let sitrep = data("guard/objects/sitrep.txt");
    let restricted = data("guard/labels/restricted-nato.xml");
    let args = [
        "check",
        "--from",
        "mission-restricted",
        "--to",
        "nato-secret",
        path(&sitrep),
        "--label",
        path(&restricted),
        "--out",
        "released",
    ];
    let no_key = crossguard_in(d, &args);
    assert_eq!(no_key.status.code(), Some(2));
    assert!(
        text(&no_key.stderr).contains("crossguard audit keygen"),
        "{}",
        text(&no_key.stderr)
    );

    let keygen = crossguard_in(d, &["audit", "keygen", "audit.key"]);
    assert_eq!(keygen.status.code(), Some(0));
    // Never overwrites a key.
    assert_eq!(
        crossguard_in(d, &["audit", "keygen", "audit.key"])
            .status
            .code(),
        Some(2)
    );

    let released = crossguard_in(d, &args);
    assert_eq!(
        released.status.code(),
        Some(0),
        "{}",
        text(&released.stderr)
    );
    assert!(text(&released.stdout).contains("released"));
    assert_eq!(
        std::fs::read(d.join("released/sitrep.txt")).unwrap(),
        std::fs::read(&sitrep).unwrap()
    );
    assert_eq!(
        std::fs::read(d.join("released/sitrep.txt.label.xml")).unwrap(),
        std::fs::read(&restricted).unwrap()
    );

    // A second release into the same directory never overwrites (or follows a link at) a
    // released file: exit 2, after the decision was made and audited.
    let again = crossguard_in(d, &args);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again.stdout));
    assert!(
        text(&again.stderr).contains("sitrep.txt"),
        "{}",
        text(&again.stderr)
    );
    // The audit head is printed for keeping elsewhere.
    assert!(text(&again.stdout).contains("audit log sealed, head "));

    let secret = data("guard/labels/secret-nato.xml");
    let denied = crossguard_in(
        d,
        &[
            "check",
            "--from",
            "nato-secret",
            "--to",
            "mission-restricted",
            path(&sitrep),
            "--label",
            path(&secret),
            "--type",
            "text/plain",
            "--json",
        ],
    );
    assert_eq!(denied.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&denied.stdout).unwrap();
    assert_eq!(json["verdict"], "deny");
    assert_eq!(json["granted"], false);
    assert_eq!(json["stage"], "access");
    assert_eq!(json["reasons"][0]["code"], "above-destination-clearance");

    let unlabelled = crossguard_in(
        d,
        &[
            "check",
            "--from",
            "mission-restricted",
            "--to",
            "nato-secret",
            path(&sitrep),
            "--unlabelled",
        ],
    );
    assert_eq!(unlabelled.status.code(), Some(1));
    assert!(text(&unlabelled.stdout).contains("[unlabelled]"));

    // Four runs, four sealed segments: the log verifies, and names 4 records.
    let verify = crossguard_in(
        d,
        &[
            "audit",
            "verify",
            "audit.jsonl",
            "--key",
            "audit.key",
            "--json",
        ],
    );
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    let json: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(
        (json["records"].as_u64(), json["opens"].as_u64()),
        (Some(4), Some(4))
    );
    // Another key cannot judge the log: exit 2, not "tampered".
    let other = crossguard_in(d, &["audit", "keygen", "other.key"]);
    assert_eq!(other.status.code(), Some(0));
    let wrong = crossguard_in(d, &["audit", "verify", "audit.jsonl", "--key", "other.key"]);
    assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong.stdout));

    // Cut the last line off: the log is no longer sealed.
    let log = std::fs::read_to_string(d.join("audit.jsonl")).unwrap();
    let cut: String = log
        .lines()
        .take(log.lines().count() - 1)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(d.join("cut.jsonl"), cut).unwrap();
    let truncated = crossguard_in(d, &["audit", "verify", "cut.jsonl", "--key", "audit.key"]);
    assert_eq!(truncated.status.code(), Some(1));
    assert!(
        text(&truncated.stdout).contains("not sealed"),
        "{}",
        text(&truncated.stdout)
    );
}

#[test]
fn check_reports_configuration_errors_with_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config =
        crossguard::guard::EMBEDDED_CONFIG.replacen("kind = \"release\"", "kind = \"import\"", 1);
    std::fs::write(d.join("guard.toml"), config).unwrap();
    let sitrep = data("guard/objects/sitrep.txt");
    let args = [
        "check",
        "--config",
        "guard.toml",
        "--from",
        "a",
        "--to",
        "b",
        path(&sitrep),
        "--unlabelled",
        "--audit",
        "x.jsonl",
        "--key",
        "x.key",
    ];
    assert_eq!(crossguard_in(d, &args).status.code(), Some(2));
    // The key is checked first; make one and the configuration error shows.
    let keygen = crossguard_in(d, &["audit", "keygen", "x.key"]);
    assert_eq!(keygen.status.code(), Some(0));
    let out = crossguard_in(d, &args);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("kind-contradicts-clearances"), "{stderr}");
    assert!(
        stderr.contains("flow nato-secret -> mission-restricted"),
        "{stderr}"
    );
}

#[test]
fn inspect_prints_each_content_check() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/guard/objects");
    let good = objects.join("sitrep.txt");
    let pdf = objects.join("report.pdf");
    let restricted =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/guard/labels/restricted-nato.xml");
    let out = crossguard_in(
        dir.path(),
        &[
            "inspect",
            "--flow",
            "mission-restricted:nato-secret",
            "--type",
            "text/plain",
            "--label",
            path(&restricted),
            path(&good),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    for check in ["size", "declared-type", "true-type", "format", "markings"] {
        assert!(stdout.contains(&format!("  {check}")), "{stdout}");
    }
    assert!(
        stdout.contains("no classification marking found"),
        "{stdout}"
    );
    // The hidden portion mark, against the same label.
    let hidden = objects.join("release-hidden-marking.txt");
    let out = crossguard_in(
        dir.path(),
        &[
            "inspect",
            "--flow",
            "mission-restricted:nato-secret",
            "--label",
            path(&restricted),
            path(&hidden),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("marking-above-label"),
        "{}",
        text(&out.stdout)
    );
    let out = crossguard_in(
        dir.path(),
        &[
            "inspect",
            "--flow",
            "mission-restricted:nato-secret",
            "--json",
            path(&pdf),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["passed"], false);
    let last = v["checks"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["check"].as_str(), last["code"].as_str()),
        (Some("true-type"), Some("type-not-allowed"))
    );
    // Nothing was audited: no log was created in the working directory.
    assert!(!dir.path().join("audit.jsonl").exists());
    // An unknown flow is a usage error.
    let out = crossguard_in(dir.path(), &["inspect", "--flow", "a:b", path(&good)]);
    assert_eq!(out.status.code(), Some(2));
}
