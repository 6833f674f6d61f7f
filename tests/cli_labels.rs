//! The real binary on the policy, label, clearance and access commands: outputs, JSON fields
//! and exit codes (0 valid / granted, 1 invalid / denied, 2 usage or I/O error).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn data(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
        .to_str()
        .unwrap()
        .to_owned()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crossguard"))
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let out = run(args);
    let text = String::from_utf8(out.stdout).unwrap();
    let value = serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text:?}"));
    (out.status.code(), value)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crossguard-cli-labels-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn policy_show_summarises_and_refuses_invalid_spifs() {
    let (code, v) = json(&["policy", "show", &data("policy/nato-demo.xml"), "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["valid"], true);
    assert_eq!(v["policy"]["name"], "NATO");
    assert_eq!(v["classifications"].as_array().unwrap().len(), 5);
    assert_eq!(v["tag_sets"][1]["tags"][0]["type"], "PERMISSIVE");
    let (code, v) = json(&[
        "policy",
        "show",
        &data("policy/invalid/duplicate-hierarchy.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(v["errors"][0]["code"], "duplicate");
    assert!(v["errors"][0]["line"].as_u64().unwrap() > 1);
    let out = run(&["policy", "show", "/nonexistent/spif.xml"]);
    assert_eq!(out.status.code(), Some(2));
    let text =
        String::from_utf8(run(&["policy", "show", &data("policy/nato-v88-like.xml")]).stdout)
            .unwrap();
    assert!(text.contains("warning: lacv 1001"), "{text}");
}

#[test]
fn label_show_prints_validity_marking_and_warnings() {
    let (code, v) = json(&["label", "show", &data("label/table17-1.xml"), "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["valid"], true);
    assert_eq!(
        v["marking"],
        "NATO UNCLASSIFIED Releasable to ISAF, KFOR, RESOLUTE SUPPORT"
    );
    assert_eq!(v["warnings"], serde_json::json!([]));
    assert_eq!(v["errors"], serde_json::json!([]));
    let (_, v) = json(&[
        "label",
        "show",
        &data("label/table17-1.xml"),
        "--lang",
        "fr",
        "--json",
    ]);
    assert_eq!(
        v["marking"],
        "NATO SANS CLASSIFICATION Communicable a ISAF, KFOR, RESOLUTE SUPPORT"
    );
    let (_, v) = json(&[
        "label",
        "show",
        &data("label/top-secret.xml"),
        "--code",
        "portionMarking",
        "--json",
    ]);
    assert_eq!(v["marking"], "CTS");
    let (code, v) = json(&[
        "label",
        "show",
        &data("label/invalid/atomal-restricted.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["code"], "excluded-class");
    let (code, _) = json(&[
        "label",
        "show",
        &data("label/lenient/type-case.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(1));
    let (code, v) = json(&[
        "label",
        "show",
        &data("label/lenient/type-case.xml"),
        "--lenient",
        "--json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(v["warnings"][0]["code"], "type-case");
    let out = run(&[
        "label",
        "show",
        &data("label/table17-1.xml"),
        "--code",
        "pageMiddle",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explicit_policies_replace_the_embedded_ones() {
    let (code, v) = json(&[
        "label",
        "show",
        &data("label/xland-secret.xml"),
        "--policy",
        &data("policy/xland.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(0), "{v}");
    // With only XLAND loaded, a NATO label names an unknown policy.
    let (code, v) = json(&[
        "label",
        "show",
        &data("label/table17-2.xml"),
        "--policy",
        &data("policy/xland.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(v["errors"][0]["code"], "unknown-policy");
}

#[test]
fn label_convert_round_trips_through_ess() {
    let der = temp("secret.der");
    let out = run(&[
        "label",
        "convert",
        &data("label/example-1.9.xml"),
        "--to",
        "ess",
        "--out",
        der.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read(&der).unwrap()[0], 0x31);
    let (code, v) = json(&["label", "show", der.to_str().unwrap(), "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["format"], "ess-der");
    assert_eq!(v["marking"], "NATO SECRET CRYPTO Releasable to Australia");
    let xml = temp("back.xml");
    let out = run(&[
        "label",
        "convert",
        der.to_str().unwrap(),
        "--to",
        "xml",
        "--out",
        xml.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let (code, v) = json(&["label", "show", xml.to_str().unwrap(), "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["marking"], "NATO SECRET CRYPTO Releasable to Australia");
    let (code, _) = json(&[
        "label",
        "convert",
        &data("label/invalid/staff-secret.xml"),
        "--to",
        "ess",
        "--json",
    ]);
    assert_eq!(code, Some(1));
}

#[test]
fn label_map_gives_the_alternative_label() {
    let (code, v) = json(&[
        "label",
        "map",
        &data("label/xland-secret.xml"),
        "--to",
        "NATO",
        "--json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(v["marking"], "NATO SECRET CRYPTO Releasable to Australia");
    assert_eq!(
        v["added"],
        serde_json::json!(["Context: NATO", "Context: Releasable"])
    );
    assert!(v["label"]
        .as_str()
        .unwrap()
        .contains("alternativeConfidentialityLabel"));
    let (code, v) = json(&[
        "label",
        "map",
        &data("label/top-secret.xml"),
        "--to",
        "urn:oid:2.25.126012349812034871230498712304987124",
        "--json",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(v["errors"][0]["code"], "no-classification-equivalent");
    let out = run(&[
        "label",
        "map",
        &data("label/top-secret.xml"),
        "--to",
        "YLAND",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn access_decides_with_reasons() {
    let (code, v) = json(&[
        "access",
        "--label",
        &data("label/table17-4.xml"),
        "--clearance",
        &data("clearance-xml/uk-like.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(v["granted"], true);
    assert_eq!(v["reasons"], serde_json::json!([]));
    let (code, v) = json(&[
        "access",
        "--label",
        &data("label/table17-4.xml"),
        "--clearance",
        &data("clearance-xml/samoa-like.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(v["granted"], false);
    assert_eq!(v["reasons"][0]["code"], "permissive-none-held");
    // An invalid label is a denial that says why (fail closed).
    let (code, v) = json(&[
        "access",
        "--label",
        &data("label/invalid/staff-secret.xml"),
        "--clearance",
        &data("clearance-xml/uk-like.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(
        (v["valid"].clone(), v["granted"].clone()),
        (false.into(), false.into())
    );
    assert_eq!(v["errors"][0]["code"], "label:required-class");
    // A label under XLAND is decided on its NATO equivalent against a NATO clearance.
    let (code, v) = json(&[
        "access",
        "--label",
        &data("label/xland-secret.xml"),
        "--clearance",
        &data("clearance-xml/uk-like.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        v["decided_on"],
        "NATO SECRET CRYPTO Releasable to Australia"
    );
    let (code, _) = json(&[
        "access",
        "--label",
        &data("label/xland-noforn.xml"),
        "--clearance",
        &data("clearance-xml/uk-like.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(1));
}

#[test]
fn clearance_show_reads_xml_clearances() {
    let (code, v) = json(&[
        "clearance",
        "show",
        &data("clearance-xml/samoa-like.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(v["source"], "4774-xml");
    assert_eq!(
        v["clearances"][0]["classifications"],
        serde_json::json!(["UNCLASSIFIED", "RESTRICTED"])
    );
    assert_eq!(
        v["clearances"][0]["categories"],
        serde_json::json!(["Releasable To: WSM", "Context: Releasable"])
    );
    let (code, v) = json(&[
        "clearance",
        "show",
        &data("clearance-xml/invalid/unknown-class.xml"),
        "--json",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(v["errors"][0]["code"], "unknown-classification");
}

#[test]
fn label_show_reports_every_file_and_exits_with_the_worst() {
    let out = run(&[
        "label",
        "show",
        &data("label/table17-2.xml"),
        &data("label/invalid/two-contexts.xml"),
        &data("label/top-secret.xml"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("table17-2.xml: valid"), "{text}");
    assert!(text.contains("two-contexts.xml: invalid"), "{text}");
    assert!(text.contains("  marking: COSMIC TOP SECRET"), "{text}");
    assert!(text.contains("error [required-category]"), "{text}");
}
