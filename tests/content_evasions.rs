//! Regression tests for the findings of the review of content inspection as an attacker would
//! probe it (2026-11-29): each input crossed a flow of the embedded laptop configuration
//! before its fix. The guard is the real one, on the embedded configuration.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use crossguard::audit::{AuditKey, MemorySink};
use crossguard::guard::{Guard, GuardConfig, LabelInput, Transfer};
use crossguard::inspect::detect::{detect, TrueType};

fn data(path: &str) -> Vec<u8> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn laptop() -> Guard {
    let config = GuardConfig::embedded(Path::new(".")).unwrap();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 100).unwrap());
    Guard::build(&config, sink).unwrap()
}

/// The flow `from:to` inspects `object` (declared `declared`, labelled with
/// `guard/labels/{label}.xml`): the first check that refused, and its code, or `None` when
/// every check passed.
fn refusal(
    guard: &Guard,
    flow: (&str, &str),
    object: &[u8],
    declared: Option<&str>,
    label: Option<&str>,
) -> Option<(&'static str, &'static str, String)> {
    let mut transfer = Transfer::new(flow.0, flow.1, Bytes::copy_from_slice(object));
    if let Some(declared) = declared {
        transfer = transfer.with_type(declared);
    }
    if let Some(label) = label {
        let bytes = data(&format!("guard/labels/{label}.xml"));
        transfer = transfer.with_label(LabelInput::Bytes(Bytes::from(bytes)));
    }
    let checks = guard.inspect_content(&transfer).unwrap();
    checks.into_iter().find_map(|c| {
        c.outcome
            .err()
            .map(|reason| (c.name, reason.code, reason.message))
    })
}

/// The release flow (NATO SECRET to the mission network) with a NATO RESTRICTED label.
const RELEASE: (&str, &str) = ("nato-secret", "mission-restricted");
/// Unlabelled import from the internet, rebuilt (`cdr`).
const IMPORT: (&str, &str) = ("public-internet", "mission-restricted");
/// Import under a JSON schema.
const SCHEMA: (&str, &str) = ("public-internet", "nato-secret");

fn release(guard: &Guard, object: &[u8], declared: &str) -> Option<(&'static str, String)> {
    refusal(
        guard,
        RELEASE,
        object,
        Some(declared),
        Some("restricted-releasable"),
    )
    .map(|(_, code, message)| (code, message))
}

#[test]
fn markup_that_opens_with_a_doctype_or_any_instruction_is_xml() {
    for head in [
        &b"<!DOCTYPE r [<!ENTITY a \"NATO SE\"><!ENTITY b \"CRET\">]><r>&a;&b;</r>"[..],
        b"<!doctype html><html></html>",
        b"<?foo bar?><r/>",
        b"<![CDATA[x]]>",
        b"\xEF\xBB\xBF\n  <!DOCTYPE r><r/>",
    ] {
        assert_eq!(
            detect(head),
            TrueType::Xml,
            "{:?}",
            String::from_utf8_lossy(head)
        );
    }
    // Text that only starts with `<` stays text.
    assert_eq!(detect(b"< 5 items remain\n"), TrueType::Text);
    let guard = laptop();
    // Declared as text, the entities that would rebuild a marking are refused as XML.
    let split =
        b"<!DOCTYPE r [<!ENTITY a \"NATO SE\"><!ENTITY b \"CRET\">]>\n<r>Annex: &a;&b;</r>\n";
    let (code, message) = release(&guard, split, "text/plain").unwrap();
    assert_eq!(code, "type-mismatch", "{message}");
    // Undeclared, the XML rules refuse the document type declaration.
    let xxe = b"<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
    let (name, code, message) = refusal(&guard, IMPORT, xxe, None, None).unwrap();
    assert_eq!((name, code), ("format", "format-invalid"), "{message}");
    assert!(message.contains("DOCTYPE"), "{message}");
}

#[test]
fn polyglot_headers_a_lenient_reader_accepts_are_named() {
    assert_eq!(detect(b"\n%PDF-1.4\n1 0 obj\n"), TrueType::Pdf);
    assert_eq!(detect("\u{FEFF}%PDF-1.7\n".as_bytes()), TrueType::Pdf);
    let mut junk = vec![b'a'; 1000];
    junk.extend_from_slice(b"%PDF-1.7\n");
    assert_eq!(detect(&junk), TrueType::Pdf);
    // Past the first kilobyte a reader does not look.
    let mut edge = vec![b'a'; 1020];
    edge.extend_from_slice(b"%PDF-1.7\n");
    assert_eq!(
        detect(&edge),
        TrueType::Pdf,
        "a header starting in the window"
    );
    let mut late = vec![b'a'; 1100];
    late.extend_from_slice(b"%PDF-1.7\n");
    assert_eq!(detect(&late), TrueType::Text);
    assert_eq!(
        detect("\u{FEFF}#!/bin/sh\nid\n".as_bytes()),
        TrueType::Script
    );
    assert_eq!(detect(b"\n\n#!/bin/sh\nid\n"), TrueType::Script);
    let guard = laptop();
    let (name, code, _) = refusal(&guard, IMPORT, b"\n%PDF-1.4\n1 0 obj\n", None, None).unwrap();
    assert_eq!((name, code), ("true-type", "type-not-allowed"));
}

#[test]
fn text_that_a_lenient_consumer_reads_as_json_is_refused_under_a_schema() {
    let guard = laptop();
    let feed = data("guard/objects/feed-attachment.json");
    for prefix in [
        &b"// news feed\n"[..],
        b"/* feed */ ",
        "\u{A0}".as_bytes(),
        "\u{FEFF}\u{FEFF}".as_bytes(),
        "\u{2028}".as_bytes(),
        "\u{3000}/* a */\n// b\n".as_bytes(),
    ] {
        let object = [prefix, &feed].concat();
        let (name, code, message) = refusal(&guard, SCHEMA, &object, None, None).unwrap();
        assert_eq!(
            (name, code),
            ("schema", "schema-not-json"),
            "{prefix:?}: {message}"
        );
    }
    // Text that does not open like JSON is not the schema's to judge.
    let prose = [&b"Report: "[..], &feed].concat();
    assert_eq!(refusal(&guard, SCHEMA, &prose, None, None), None);
}

#[test]
fn text_that_opens_like_json_is_refused_on_a_flow_that_takes_json() {
    let guard = laptop();
    for object in [
        &b"{/* c */ \"role\": \"user\", \"role\": \"admin\"}"[..],
        b"{\"a\": 1, /* hidden payload */ \"b\": [1,2,],}",
        b"// feed\n[1, 2, 3,]",
        "\u{A0}{\"a\": 01}".as_bytes(),
    ] {
        let (name, code, message) = refusal(&guard, IMPORT, object, None, None)
            .unwrap_or_else(|| panic!("{:?} passed", String::from_utf8_lossy(object)));
        assert_eq!((name, code), ("format", "json-as-text"), "{message}");
    }
    // The cost, on a flow that takes JSON: a text that happens to open with a bracket.
    let (_, code, _) = refusal(&guard, IMPORT, b"[DRAFT] notes\n", None, None).unwrap();
    assert_eq!(code, "json-as-text");
    assert_eq!(
        refusal(&guard, IMPORT, b"Notes [DRAFT]\n", None, None),
        None
    );
    // Valid JSON is JSON, judged and rebuilt as such.
    assert_eq!(
        refusal(&guard, IMPORT, b"{\"a\": [1, 2]}", None, None),
        None
    );
}

#[test]
fn the_text_rules_apply_to_the_strings_of_json_and_the_character_data_of_xml() {
    let guard = laptop();
    let refused = |object: &str, declared: &str| {
        refusal(&guard, IMPORT, object.as_bytes(), Some(declared), None)
    };
    for (object, declared, needle) in [
        (r#"{"a": "if x \u202eadmin"}"#, "application/json", "U+202E"),
        ("{\"a\": \"raw \u{2066}\"}", "application/json", "U+2066"),
        (r#"{"a": "nul \u0000"}"#, "application/json", "U+0000"),
        (r#"{"a": "\u001b[31m red"}"#, "application/json", "U+001B"),
        (r#"{"\u202ename": 1}"#, "application/json", "at byte 2 "),
        ("{\"a\": \"c1 \u{9B}\"}", "application/json", "U+009B"),
        ("{\"a\": \"tag \u{E0041}\"}", "application/json", "U+E0041"),
        (
            r#"{"a": "tag \udb40\udc41"}"#,
            "application/json",
            "U+E0041",
        ),
        (
            r#"{"a": "x\by"}"#,
            "application/json",
            "at byte 8 holds a control character U+0008",
        ),
        (r#"{"a": "\f"}"#, "application/json", "U+000C"),
        (
            "{\"a\": \"del \u{7F}\"}",
            "application/json",
            "at byte 11 holds a control character U+007F",
        ),
        (
            r#"{"a": "\u009b[1m"}"#,
            "application/json",
            "at byte 7 holds a control character U+009B",
        ),
        ("<r>a &#x202E;admin</r>", "application/xml", "U+202E"),
        ("<r>raw \u{202D}</r>", "application/xml", "U+202D"),
        ("<r a='&#x2067;'/>", "application/xml", "attribute value"),
        ("<r><!-- \u{202E} --></r>", "application/xml", "comment"),
        ("<r><![CDATA[\u{85}]]></r>", "application/xml", "CDATA"),
        ("<r>&#x7F;</r>", "application/xml", "U+007F"),
        (
            "<r><?pi \u{202E}?></r>",
            "application/xml",
            "processing instruction",
        ),
        (
            "<r xmlns='urn:\u{202E}x'/>",
            "application/xml",
            "namespace name",
        ),
        ("<r\u{E0041}/>", "application/xml", "element name"),
        (
            "<r xmlns:p\u{E0041}='urn:x'/>",
            "application/xml",
            "namespace prefix",
        ),
        ("<r a\u{E0041}='1'/>", "application/xml", "attribute name"),
    ] {
        let (name, code, message) =
            refused(object, declared).unwrap_or_else(|| panic!("{object:?} passed"));
        assert_eq!(
            (name, code),
            ("format", "forbidden-character"),
            "{object:?}"
        );
        assert!(message.contains(needle), "{object:?}: {message}");
    }
    // On a flow whose words or markings read the JSON, the format inspector's rules run in
    // that one pass (found by the guard_content fuzz target: they were skipped there).
    let upward = ("mission-restricted", "nato-secret");
    for object in [
        "{\"a\":\"xe\u{202E}\"}",
        r#"{"a": "\u2066"}"#,
        r#"{"\u0007": 1}"#,
    ] {
        let (name, code, message) = refusal(
            &guard,
            upward,
            object.as_bytes(),
            None,
            Some("restricted-nato"),
        )
        .unwrap_or_else(|| panic!("{object:?} passed"));
        assert_eq!((name, code), ("format", "forbidden-character"), "{message}");
    }
    // A bare JSON string is text, but on a flow that takes JSON its escapes meet the rules
    // too (found by the guard_content fuzz target), also as a lenient reader takes it: a lone
    // surrogate, a byte order mark or a comment first, a comment after, one per line, a
    // malformed escape before (found in review).
    for object in [
        r#""\u202e admin""#,
        r#""\ud800\u202e""#,
        "\u{FEFF}\"\\u202e\"",
        r#"/* x */ "\u202e""#,
        r#"# x
"\u202e""#,
        r#""\u202e" // x"#,
        r#""\uZZZZ \u202e""#,
    ] {
        let (name, code, message) =
            refused(object, "text/plain").unwrap_or_else(|| panic!("{object:?} passed"));
        assert_eq!(
            (name, code),
            ("format", "forbidden-character"),
            "{object:?}: {message}"
        );
    }
    // Other texts are read as written: an escape in prose is a backslash and letters.
    assert_eq!(
        refused(r#"The regex \bword\b and \u202e, quoted."#, "text/plain"),
        None
    );
    // Tab, line feed and carriage return are allowed, escaped or not; an escaped backslash
    // before `u` is not an escape of `u`; other surrogate pairs are characters like any.
    for (object, declared) in [
        (
            r#"{"a": "\\u202e \\b \ud83d\ude00 \u00e9"}"#,
            "application/json",
        ),
        (
            "{\"a\": \"x\\ty\\r\\nz\", \"b\": \"\u{E9}t\u{E9}\"}",
            "application/json",
        ),
        ("<r a='1&#9;2'>x&#13;\ny\t\u{E9}</r>", "application/xml"),
    ] {
        assert_eq!(refused(object, declared), None, "{object:?}");
    }
}

#[test]
fn tag_characters_are_refused_in_text() {
    let guard = laptop();
    let hidden: String = "NATO SECRET"
        .chars()
        .map(|c| char::from_u32(0xE0000 + u32::from(c)).unwrap())
        .collect();
    let object = format!("hello{hidden}\n");
    let (code, message) = release(&guard, object.as_bytes(), "text/plain").unwrap();
    assert_eq!(code, "format-invalid", "{message}");
    assert!(message.contains("tag character U+E004E"), "{message}");
}

#[test]
fn markings_in_namespace_names_and_prefixes_are_found() {
    let guard = laptop();
    for object in [
        &b"<r xmlns=\"urn:x:NATO SECRET\"/>"[..],
        b"<p:r xmlns:p=\"urn:NATO SECRET\"/>",
        b"<r xmlns:p=\"urn:&#78;ATO SECRET\"/>",
    ] {
        let (code, message) = release(&guard, object, "application/xml").unwrap();
        assert_eq!(code, "marking-above-label", "{message}");
        assert!(message.contains("NATO SECRET"), "{message}");
    }
}

#[test]
fn blanks_that_are_not_white_space_still_separate_words() {
    let guard = laptop();
    for blank in ['\u{2800}', '\u{3164}', '\u{FFA0}', '\u{115F}', '\u{1160}'] {
        let object = format!("Annex: NATO{blank}SECRET\n");
        let (code, message) = release(&guard, object.as_bytes(), "text/plain")
            .unwrap_or_else(|| panic!("U+{:04X} passed", u32::from(blank)));
        assert_eq!(code, "marking-above-label", "{message}");
    }
}

#[test]
fn a_label_with_a_forbidden_character_is_refused() {
    use crossguard::guard::{Stage, Verdict};
    use crossguard::label::Timestamp;
    let guard = laptop();
    let mut label = data("guard/labels/restricted-nato.xml");
    let transfer = |label: Vec<u8>| {
        Transfer::new(
            "mission-restricted",
            "nato-secret",
            Bytes::from_static(b"situation normal\n"),
        )
        .with_label(LabelInput::Bytes(Bytes::from(label)))
    };
    let at = Timestamp(1_800_000_000);
    assert!(guard.check_at(transfer(label.clone()), at).is_release());
    // The label travels with the object as received: a bidirectional control in a comment
    // would reach whoever reads it (found in review).
    label.extend_from_slice("<!-- \u{202E} -->\n".as_bytes());
    let Verdict::Deny(deny) = guard.check_at(transfer(label), at) else {
        panic!("released");
    };
    let reason = &deny.reasons[0];
    assert_eq!(
        (deny.stage, reason.code),
        (Stage::Label, "forbidden-character"),
        "{deny}"
    );
    assert!(reason.message.contains("a comment at byte"), "{deny}");
}

/// Review of 2026-11-30: a marking repeated in an attribute value written with a reference (or
/// a line break, or in a comment) is placed at the value's start each time. Those repeats
/// filled the scan's 4 096 places for markings, so that every later marking was dropped
/// unread; merging the XML readings then kept one of the repeats, under the count at which
/// the guard refuses as too many. A "NATO SECRET" after them crossed the release flow.
/// Repeats now count once, so a marking after them is examined, and a lane filled with
/// different markings still refuses as too many.
#[test]
fn repeated_markings_at_one_place_do_not_hide_a_later_one() {
    let guard = laptop();
    let repeats = "(NU)".repeat(4096);
    let cases = [
        format!("<r a=\"&amp;{repeats}\" b=\"NATO SECRET\"/>"),
        format!("<r a=\"\r\n{repeats}\" b=\"NATO SECRET\"/>"),
        format!("<r a=\"&amp;{repeats}\"><!-- NATO SECRET --></r>"),
        format!("<r a=\"&amp;{repeats}\"><?note NATO SECRET?></r>"),
    ];
    for object in &cases {
        let found = release(&guard, object.as_bytes(), "application/xml");
        let (code, message) = found.unwrap_or_else(|| panic!("released: {}", &object[..40]));
        assert_eq!(code, "marking-above-label", "{message}");
        assert!(message.contains("NATO SECRET"), "{message}");
    }
    // Without the secret, the repeats of one marking at or below the label are one marking.
    let object = format!("<r a=\"&amp;{repeats}\"/>");
    assert_eq!(release(&guard, object.as_bytes(), "application/xml"), None);
    // The same in JSON: a string written with an escape, its matches placed at its start.
    let object = format!("[\"\\u0026{repeats}\", \"NATO SECRET\"]");
    let (_, code, message) = refusal(
        &guard,
        ("mission-restricted", "nato-secret"),
        object.as_bytes(),
        Some("application/json"),
        Some("restricted-nato"),
    )
    .unwrap();
    assert_eq!(code, "marking-above-label", "{message}");
    // 4 096 different markings still fill the scan: refused unread, whatever follows.
    let mut many = String::from("<r>");
    for i in 0..4096 {
        many.push_str(&format!("<p n=\"{i}\">(NU)</p>"));
    }
    many.push_str("<p>NATO SECRET</p></r>");
    let (code, _) = release(&guard, many.as_bytes(), "application/xml").unwrap();
    assert_eq!(code, "too-many-markings");
}

#[test]
fn a_bare_json_string_is_read_with_its_escapes_decoded_on_a_flow_that_takes_json() {
    // Found by the markings oracle's review (2026-11-30): true type calls a bare JSON string
    // text, and text was read as written, so `"NATO \u0053ECRET"` crossed a flow that takes
    // JSON, whose consumer may decode it as JSON and read NATO SECRET.
    let guard = laptop();
    let import = ("mission-restricted", "nato-secret");
    let cases = [
        (r#""NATO \u0053ECRET""#, 1),
        ("// note\n\"\\u004eATO SECRET\"", 9),
        (
            r#""\u004E\u0041\u0054\u004F\u0020\u0053\u0045\u0043\u0052\u0045\u0054""#,
            1,
        ),
        ("\"x\\\"(N\\u0053)\\\"\"", 4),
        (r#""\ud800 COSMIC TOP SECRE\u0054""#, 8),
        ("\"NATO\\nSECRET\"", 1),
    ];
    for (object, at) in cases {
        let (check, code, message) = refusal(
            &guard,
            import,
            object.as_bytes(),
            None,
            Some("restricted-nato"),
        )
        .unwrap_or_else(|| panic!("released {object}"));
        assert_eq!(
            (check, code),
            ("markings", "marking-above-label"),
            "{object}: {message}"
        );
        assert!(
            message.ends_with(&format!("at byte {at}")),
            "{object}: {message}"
        );
    }
    // Written without escapes, as before; a marking at the label passes decoded too.
    let (_, code, _) = refusal(
        &guard,
        import,
        b"\"NATO SECRET\"",
        None,
        Some("restricted-nato"),
    )
    .unwrap();
    assert_eq!(code, "marking-above-label");
    let within = br#""NATO \u0052ESTRICTED \\u0053ECRET""#;
    assert_eq!(
        refusal(&guard, import, within, None, Some("restricted-nato")),
        None
    );
    // On a flow that takes JSON, the escapes of any text are read decoded too (a lenient
    // reader of JSON values may start past what opens it); on a flow that takes no JSON, a
    // text is read as written: its consumer does not decode escapes.
    let (check, code, _) = refusal(
        &guard,
        import,
        br"x NATO \u0053ECRET",
        None,
        Some("restricted-nato"),
    )
    .unwrap();
    assert_eq!((check, code), ("markings", "marking-above-label"));
    assert_eq!(
        release(&guard, br#""NATO \u0053ECRET""#, "text/plain"),
        None
    );
    // Forbidden words, on a flow with both lists (the lanes keep their order).
    let line = "content = { inspect = [\"true-type\", \"format\", \"markings\"], true_types = [\"text\", \"json\", \"xml\", \"label-4774\"] }";
    let text = crossguard::guard::EMBEDDED_CONFIG.replacen(
        line,
        "content = { inspect = [\"true-type\", \"format\", \"words\", \"markings\"], true_types = [\"text\", \"json\"], words = { phrases = [\"EYES ONLY\"] } }",
        1,
    );
    assert_ne!(text, crossguard::guard::EMBEDDED_CONFIG);
    let config = GuardConfig::from_toml(&text, Path::new(".")).unwrap();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 100).unwrap());
    let guard = Guard::build(&config, sink).unwrap();
    let (check, code, message) = refusal(
        &guard,
        import,
        br#""EYES \u004FNLY""#,
        None,
        Some("restricted-nato"),
    )
    .unwrap();
    assert_eq!((check, code), ("words", "forbidden-word"), "{message}");
    let (check, code, _) = refusal(
        &guard,
        import,
        br#""NATO \u0053ECRET""#,
        None,
        Some("restricted-nato"),
    )
    .unwrap();
    assert_eq!((check, code), ("markings", "marking-above-label"));
}

#[test]
fn what_lenient_json_readers_decode_from_a_text_is_judged() {
    // Review of 2026-11-30 (after the bare-string fix): each crossed a flow that takes JSON.
    let guard = laptop();
    let import = ("mission-restricted", "nato-secret");
    let code = |object: &[u8]| {
        refusal(&guard, import, object, None, Some("restricted-nato"))
            .map(|(check, code, _)| (check, code))
    };
    // Several JSON values one after the other: text to true type, JSON to a reader of JSON
    // streams (NDJSON, jq), whatever the first value is.
    for object in [
        &b"0\n{\"a\":\"NATO \\u0053ECRET\"}\n"[..],
        b"1\n\"NATO \\u0053ECRET\"\n",
        b"null \"NATO \\u0053ECRET\"",
        b"\"NATO\"\n\"SECRET\"\n",
        b"\"one\"\n\"NATO\\tSECRE\\u0054\"",
        b"\"x\"\n\"\\u202e\"\n",
        b"\"x\" [\"NATO\",\"SECRET\"]",
        b"-1 \"\\u202e\"",
        b"\"x\"\n{\"role\":\"user\",\"role\":\"admin\"}",
        b"// note\n1 2",
        // Readers that serde_json does not match: NaN and Infinity (Python, jq), and white
        // space JSON does not allow between values (review of 2026-11-30, after the first fix).
        b"NaN\n{\"a\": \"NATO \\u0053ECRET\"}\n",
        b"Infinity\n{\"a\": \"NATO \\u0053ECRET\"}\n",
        "0\u{2028}{\"a\": \"NATO \\u0053ECRET\"}\n".as_bytes(),
        "0\u{A0}{\"a\": \"NATO \\u0053ECRET\"}\n".as_bytes(),
        b"NaN\n[\"NATO\",\"SECRET\"]",
    ] {
        assert_eq!(
            code(object),
            Some(("format", "json-as-text")),
            "{}",
            String::from_utf8_lossy(object)
        );
    }
    // A value nested deeper than serde_json reads into a tree is still a value.
    let deep = format!("0\n{}{}", "[".repeat(300), "]".repeat(300));
    assert_eq!(code(deep.as_bytes()), Some(("format", "json-as-text")));
    // JSON5's escapes and single-quoted strings, decoded as such a reader decodes them.
    for object in [
        &br#""NATO \x53ECRET""#[..],
        br#""NATO \SECRET""#,
        b"\"NATO SEC\\\nRET\"",
        b"\"NATO SEC\\\r\nRET\"",
        br#"'NATO \u0053ECRET'"#,
        br#"'COSMIC TOP SECRE\x54'"#,
    ] {
        assert_eq!(
            code(object),
            Some(("markings", "marking-above-label")),
            "{}",
            String::from_utf8_lossy(object)
        );
    }
    // The JSON escapes of a text that opens like a string meet the text rules (JSON5's are
    // read by words and markings only: prose opening with an apostrophe names paths).
    for object in [&br#""x\u001b[31m""#[..], br#""\b""#, br#""\u202e""#] {
        assert_eq!(
            code(object),
            Some(("format", "forbidden-character")),
            "{}",
            String::from_utf8_lossy(object)
        );
    }
    // Still text: one value, or prose that starts like one, or like a few (refused by the
    // first version of this rule).
    for object in [
        &b"2026"[..],
        b"\"NATO RESTRICTED\"",
        b"2026 was a year",
        br#""NATO \x5""#,
        b"42\n\"The answer,\" said Deep Thought.\n",
        b"2026\n\"Exercise\" report follows.\n",
        b"3 \"apples\" and 2 pears\n",
        b"'Tis done. The build is in C:\\build\\out.",
        b"'Quoted' text with path D:\\0data",
        b"# Notes\n\"Agreed\" was the word. Files in C:\\vendor\\lib.",
        b"He said \"NATO\" then \"SECRET\" in one breath",
    ] {
        assert_eq!(code(object), None, "{}", String::from_utf8_lossy(object));
    }
    // On a flow with a schema, a bare JSON value is JSON the schema never judged.
    let stream = b"NaN\n{\"source\":\"x\",\"items\":[],\"attachment\":\"TVqQ\"}";
    let found = refusal(&guard, SCHEMA, stream, None, None).map(|(c, code, _)| (c, code));
    assert_eq!(found, Some(("format", "json-as-text")));
    for object in [&b"0"[..], b"\"TVqQAAMAAAAEAAAA\"", b"  true\n"] {
        let found = refusal(&guard, SCHEMA, object, None, None).map(|(c, code, _)| (c, code));
        assert_eq!(
            found,
            Some(("schema", "schema-not-json")),
            "{}",
            String::from_utf8_lossy(object)
        );
    }
    assert_eq!(refusal(&guard, SCHEMA, b"a plain note", None, None), None);
}

#[test]
fn the_label_released_with_an_object_is_read_for_words_and_markings() {
    // Review of 2026-11-30: the 4774 label crosses as received, and its text was read by the
    // character rules only: a comment in it carried anything past `words` and `markings`.
    let guard = laptop();
    let clean = String::from_utf8(data("guard/labels/restricted-releasable.xml")).unwrap();
    let with = |text: &str| {
        clean.replacen(
            "<slab:CreationDateTime>",
            &format!("{text}<slab:CreationDateTime>"),
            1,
        )
    };
    let inspect = |label: &str| {
        let t = Transfer::new(RELEASE.0, RELEASE.1, Bytes::from_static(b"harmless memo\n"))
            .with_type("text/plain")
            .with_label(LabelInput::Bytes(Bytes::from(label.to_owned())));
        guard
            .inspect_content(&t)
            .unwrap()
            .into_iter()
            .find_map(|c| c.outcome.err().map(|r| (c.name, r.code, r.message)))
    };
    assert_eq!(inspect(&clean), None);
    let (check, code, message) = inspect(&with(
        "<!-- COSMIC TOP SECRET: the real text is in annex B -->",
    ))
    .unwrap();
    assert_eq!(
        (check, code),
        ("markings", "marking-above-label"),
        "{message}"
    );
    assert!(
        message.starts_with("in the label released with the object: "),
        "{message}"
    );
    let (check, code, _) = inspect(&with("<!-- N.O.F.O.R.N -->")).unwrap();
    assert_eq!((check, code), ("words", "forbidden-word"));
    // The whole decision refuses it too.
    let t = Transfer::new(RELEASE.0, RELEASE.1, Bytes::from_static(b"harmless memo\n"))
        .with_type("text/plain")
        .with_label(LabelInput::Bytes(Bytes::from(with("<!-- NATO SECRET -->"))));
    assert!(!guard.check(t).is_release());
    // A label's own marking is within it (NATO SECRET labels cross the import flow).
    let secret = data("guard/labels/secret-nato.xml");
    let t = Transfer::new(
        "mission-restricted",
        "nato-secret",
        Bytes::from_static(b"memo"),
    )
    .with_label(LabelInput::Bytes(Bytes::from(secret)));
    let checks = guard.inspect_content(&t).unwrap();
    assert!(checks.iter().all(|c| c.outcome.is_ok()), "{checks:?}");
}

#[test]
fn a_name_is_read_with_its_prefix() {
    // Review of 2026-11-30: names were read local part first, then the declared prefix
    // (`forn no`), so a spaced phrase split at the colon crossed.
    let guard = laptop();
    for object in [
        &b"<NO:FORN xmlns:NO=\"urn:x\">report</NO:FORN>"[..],
        b"<r xmlns:NO=\"urn:x\" NO:FORN=\"1\"/>",
    ] {
        let (code, message) = release(&guard, object, "application/xml")
            .unwrap_or_else(|| panic!("released {}", String::from_utf8_lossy(object)));
        assert_eq!(code, "forbidden-word", "{message}");
    }
    let (_, message) = release(
        &guard,
        b"<r><NO:FORN xmlns:NO=\"urn:x\"/></r>",
        "application/xml",
    )
    .unwrap();
    // Placed at the name as written.
    assert!(message.contains("\"NOFORN\" at byte 4"), "{message}");
}
