//! The JSON Schema subset: every keyword accepted and violated (code, document pointer and
//! offset), compile errors (code and schema pointer), the corpus under
//! `tests/data/json_schema`, and property tests against the naive reference evaluator of
//! `src/fuzzing/json_schema.rs` (same verdict, same first violation) and across chunkings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crossguard::fuzzing::{reference_compiles, reference_violation, run_chunked, Instance};
use crossguard::json::schema::{
    JsonType, Schema, SchemaErrorKind, SchemaFailure, SchemaValidator, ViolationKind,
    MAX_SCHEMA_BYTES, MAX_SCHEMA_DEPTH, MAX_SCHEMA_ENUM_VALUES, MAX_SCHEMA_NODES,
    MAX_SCHEMA_PATTERNS, MAX_SCHEMA_PATTERN_BYTES,
};
use crossguard::json::{JsonValidator, Token, Visitor};
use crossguard::limits::JsonLimits;
use proptest::prelude::*;
use serde_json::{json, Value};

type Found = Option<(&'static str, String, u64)>;

fn compile(schema: &str) -> Schema {
    Schema::compile(schema.as_bytes()).unwrap_or_else(|e| panic!("{schema}: {e}"))
}

/// The first violation, checked whole, byte by byte and against the reference.
fn check(schema: &str, doc: &str) -> Found {
    let compiled = compile(schema);
    let whole = compiled.validate(doc.as_bytes(), JsonLimits::default());
    let cuts: Vec<usize> = (1..doc.len()).collect();
    let bytewise = run_chunked(&compiled, doc.as_bytes(), JsonLimits::default(), &cuts);
    assert_eq!(bytewise, whole, "byte by byte: {schema} {doc}");
    let found = match whole {
        Ok(()) => None,
        Err(SchemaFailure::Violation(v)) => Some((v.code(), v.pointer().to_owned(), v.offset())),
        Err(e) => panic!("{doc}: {e}"),
    };
    let value: Value = serde_json::from_str(schema).unwrap();
    let instance: Instance = serde_json::from_str(doc).unwrap();
    let reference = reference_violation(&value, &instance);
    assert_eq!(
        found.as_ref().map(|(c, p, _)| (*c, p.clone())),
        reference,
        "reference: {schema} {doc}"
    );
    found
}

fn violation(code: &'static str, pointer: &str, offset: u64) -> Found {
    Some((code, pointer.to_owned(), offset))
}

fn compile_error(schema: &str) -> (&'static str, String, u64) {
    match Schema::compile(schema.as_bytes()) {
        Ok(_) => panic!("compiled: {schema}"),
        Err(e) => (e.code(), e.pointer().to_owned(), e.offset()),
    }
}

// ---------------------------------------------------------------------------------------------
// Keywords
// ---------------------------------------------------------------------------------------------

#[test]
fn boolean_schemas() {
    assert_eq!(check("true", r#"{"a": [1, {"b": null}]}"#), None);
    assert_eq!(check("{}", "3"), None);
    assert_eq!(check("false", "null"), violation("false-schema", "", 0));
    assert_eq!(check("false", " [1]"), violation("false-schema", "", 1));
    let schema = r#"{"properties": {"x": false}, "items": false}"#;
    assert_eq!(
        check(schema, r#"{"y": 1, "x": 2}"#),
        violation("false-schema", "/x", 14)
    );
    assert_eq!(check(schema, "[]"), None);
    assert_eq!(check(schema, "[[]]"), violation("false-schema", "/0", 1));
}

#[test]
fn type_keyword() {
    let cases: &[(&str, &str, Found)] = &[
        (r#"{"type": "null"}"#, "null", None),
        (
            r#"{"type": "null"}"#,
            "0",
            violation("type-mismatch", "", 0),
        ),
        (r#"{"type": "boolean"}"#, "false", None),
        (
            r#"{"type": "boolean"}"#,
            "\"true\"",
            violation("type-mismatch", "", 0),
        ),
        (r#"{"type": "object"}"#, "{}", None),
        (
            r#"{"type": "object"}"#,
            "[]",
            violation("type-mismatch", "", 0),
        ),
        (r#"{"type": "array"}"#, "[]", None),
        (
            r#"{"type": "array"}"#,
            "{}",
            violation("type-mismatch", "", 0),
        ),
        (r#"{"type": "number"}"#, "2.5", None),
        (r#"{"type": "number"}"#, "-1", None),
        (
            r#"{"type": "number"}"#,
            "null",
            violation("type-mismatch", "", 0),
        ),
        (r#"{"type": "integer"}"#, "3", None),
        (r#"{"type": "integer"}"#, "3.0", None),
        (r#"{"type": "integer"}"#, "1e2", None),
        (r#"{"type": "integer"}"#, "-0", None),
        (
            r#"{"type": "integer"}"#,
            "3.5",
            violation("type-mismatch", "", 0),
        ),
        (
            r#"{"type": "integer"}"#,
            "1e-1",
            violation("type-mismatch", "", 0),
        ),
        (r#"{"type": "string"}"#, "\"\"", None),
        (
            r#"{"type": "string"}"#,
            "1",
            violation("type-mismatch", "", 0),
        ),
        (r#"{"type": ["string", "null"]}"#, "null", None),
        (r#"{"type": ["string", "null"]}"#, "\"x\"", None),
        (
            r#"{"type": ["string", "null"]}"#,
            "true",
            violation("type-mismatch", "", 0),
        ),
        (
            r#"{"type": ["integer", "object"]}"#,
            "0.5",
            violation("type-mismatch", "", 0),
        ),
    ];
    for (schema, doc, expected) in cases {
        assert_eq!(&check(schema, doc), expected, "{schema} {doc}");
    }
}

#[test]
fn type_messages_name_expected_and_found() {
    let schema = compile(r#"{"type": ["integer", "null"]}"#);
    let Err(SchemaFailure::Violation(v)) = schema.validate(b"2.5", JsonLimits::default()) else {
        panic!()
    };
    assert_eq!(
        v.kind(),
        &ViolationKind::TypeMismatch {
            expected: compile_kind_types(),
            found: JsonType::Number
        }
    );
    assert_eq!(
        v.to_string(),
        "expected null or integer, found number (byte 0)"
    );
}

/// The `TypeSet` of `["integer", "null"]`, as the violation above reports it.
fn compile_kind_types() -> crossguard::json::schema::TypeSet {
    let schema = compile(r#"{"type": ["null", "integer"]}"#);
    let Err(SchemaFailure::Violation(v)) = schema.validate(b"true", JsonLimits::default()) else {
        panic!()
    };
    match v.kind() {
        ViolationKind::TypeMismatch { expected, found } => {
            assert_eq!(*found, JsonType::Boolean);
            assert!(expected.contains(JsonType::Integer) && expected.contains(JsonType::Null));
            assert!(!expected.contains(JsonType::Number));
            *expected
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn properties_and_additional_properties() {
    let schema = r#"{"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}"#;
    assert_eq!(check(schema, r#"{"a": "x", "b": 1, "c": [null]}"#), None);
    assert_eq!(
        check(schema, r#"{"a": 1}"#),
        violation("type-mismatch", "/a", 6)
    );
    assert_eq!(
        check(schema, r#"{"a": "x", "b": "y"}"#),
        violation("type-mismatch", "/b", 16)
    );
    // `properties` applies to objects only.
    assert_eq!(check(schema, r#"[{"a": 1}]"#), None);

    let closed = r#"{"properties": {"a": true}, "additionalProperties": false}"#;
    assert_eq!(check(closed, r#"{"a": 1}"#), None);
    assert_eq!(
        check(closed, r#"{"a": 1, "b": 2}"#),
        violation("additional-property", "/b", 9)
    );
    assert_eq!(
        check(closed, r#"{"a/b": 2}"#),
        violation("additional-property", "/a~1b", 1)
    );
    assert_eq!(
        check(closed, r#"{"~": 2}"#),
        violation("additional-property", "/~0", 1)
    );

    let typed = r#"{"properties": {"a": true}, "additionalProperties": {"type": "integer"}}"#;
    assert_eq!(check(typed, r#"{"a": "s", "z": 7}"#), None);
    assert_eq!(
        check(typed, r#"{"a": "s", "z": 7.5}"#),
        violation("type-mismatch", "/z", 16)
    );
    assert_eq!(
        check(r#"{"additionalProperties": true}"#, r#"{"z": 1}"#),
        None
    );
}

/// A name is looked for first where the previous object of the same schema had its next
/// member: objects written in one order, then in others, with names the schema does not
/// list between them; long names (compared whole) and names sharing their first eight bytes.
#[test]
fn members_are_found_in_any_order() {
    let schema = r#"{"items": {"properties": {
        "alpha": {"type": "integer"}, "bravo": {"type": "string"},
        "charlie-long-name": {"type": "null"}, "charlie-long-other": {"type": "boolean"}},
        "required": ["alpha", "charlie-long-other"]}}"#;
    let good =
        r#"{"alpha": 1, "bravo": "b", "charlie-long-name": null, "charlie-long-other": true}"#;
    let reordered =
        r#"{"charlie-long-other": false, "x": 0, "charlie-long-name": null, "alpha": 2}"#;
    assert_eq!(
        check(schema, &format!("[{good}, {good}, {reordered}, {good}]")),
        None
    );
    // The same member, in a new place, still gets its own schema (and below, a required one
    // missing after reordered objects is still missed).
    assert_eq!(
        check(schema, &format!("[{good}, {good}, {{\"bravo\": 1}}]")),
        violation("type-mismatch", "/2/bravo", 177)
    );
    assert_eq!(
        check(
            schema,
            &format!("[{good}, {{\"charlie-long-name\": true}}]")
        ),
        violation("type-mismatch", "/1/charlie-long-name", 106)
    );
    assert_eq!(
        check(
            schema,
            &format!("[{good}, {reordered}, {{\"alpha\": 0, \"charlie-long-names\": 1}}]")
        ),
        violation("required-missing", "/2", 198)
    );
    // An unlisted name between listed ones keeps the pointer right at every depth.
    let nested = r#"{"properties": {"a": {"additionalProperties": {"properties": {"b": {"type": "null"}}}}}}"#;
    assert_eq!(
        check(
            nested,
            r#"{"a": {"zz": {"b": null}, "yy": {"c": 0, "b": 1}}}"#
        ),
        violation("type-mismatch", "/a/yy/b", 46)
    );
}

/// A schema too large for the per-document table of hints (over 16 384 members and nodes:
/// its `required` names are members too) finds every name by search alone.
#[test]
fn large_schemas_find_names_without_hints() {
    let required: Vec<String> = (0..17_000).map(|k| format!("\"r{k}\"")).collect();
    let schema = format!(
        r#"{{"properties": {{"p0": true, "p5": {{"type": "integer"}}, "r7": {{"type": "null"}}}},
            "required": [{}]}}"#,
        required.join(", ")
    );
    assert_eq!(
        check(&schema, r#"{"p0": 1, "r16999": 0, "p5": "x"}"#),
        violation("type-mismatch", "/p5", 29)
    );
    assert_eq!(
        check(&schema, r#"{"r7": null, "r16999": 0, "r0": 1, "p5": 2}"#),
        violation("required-missing", "", 42)
    );
    assert_eq!(
        check(&schema, r#"{"r16999": 0, "r7": false}"#),
        violation("type-mismatch", "/r7", 20)
    );
}

#[test]
fn member_names_compare_after_unescaping() {
    let schema = r#"{"properties": {"a/b": {"type": "integer"}, "é": {"type": "integer"}}}"#;
    assert_eq!(
        check(schema, r#"{"a\/b": "x"}"#),
        violation("type-mismatch", "/a~1b", 9)
    );
    assert_eq!(
        check(schema, r#"{"\u00e9": "x"}"#),
        violation("type-mismatch", "/é", 11)
    );
    assert_eq!(check(schema, r#"{"\u0061/b": 1, "é": 2}"#), None);
    let escaped_in_schema = r#"{"properties": {"\u0061": {"type": "null"}}}"#;
    assert_eq!(
        check(escaped_in_schema, r#"{"a": 0}"#),
        violation("type-mismatch", "/a", 6)
    );
}

#[test]
fn required() {
    let schema = r#"{"required": ["a", "b"]}"#;
    assert_eq!(check(schema, r#"{"b": 1, "a": 2}"#), None);
    assert_eq!(
        check(schema, r#"{"b": 1}"#),
        violation("required-missing", "", 7)
    );
    assert_eq!(check(schema, "{}"), violation("required-missing", "", 1));
    assert_eq!(check(schema, "[]"), None);
    let nested = r#"{"items": {"required": ["x/y"]}}"#;
    assert_eq!(check(nested, r#"[{"x/y": 1}, {"x\/y": 1}]"#), None);
    assert_eq!(
        check(nested, r#"[{"x/y": 1}, {"y": {}}]"#),
        violation("required-missing", "/1", 21)
    );
    // The first missing name in `required` order, named in the message.
    let s = compile(r#"{"required": ["c", "b", "a"]}"#);
    let Err(SchemaFailure::Violation(v)) = s.validate(br#"{"c": 1}"#, JsonLimits::default()) else {
        panic!()
    };
    assert_eq!(
        v.kind(),
        &ViolationKind::RequiredMissing { name: "b".into() }
    );
    // More than 64 required names: the bitset spans words.
    let names: Vec<String> = (0..70).map(|i| format!("n{i}")).collect();
    let schema = json!({ "required": names }).to_string();
    let all: String = names
        .iter()
        .map(|n| format!("\"{n}\": 0"))
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(check(&schema, &format!("{{{all}}}")), None);
    let without_69 = all.replace(", \"n69\": 0", "");
    let doc = format!("{{{without_69}}}");
    assert_eq!(
        check(&schema, &doc),
        violation(
            "required-missing",
            "",
            u64::try_from(doc.len() - 1).unwrap()
        )
    );
    // A required name that `additionalProperties: false` does not allow.
    let closed = r#"{"required": ["a"], "additionalProperties": false}"#;
    assert_eq!(
        check(closed, r#"{"a": 1}"#),
        violation("additional-property", "/a", 1)
    );
}

#[test]
fn items_min_items_max_items() {
    let schema = r#"{"items": {"type": "integer"}, "minItems": 1, "maxItems": 2}"#;
    assert_eq!(check(schema, "[1]"), None);
    assert_eq!(check(schema, "[1, 2]"), None);
    assert_eq!(check(schema, "[]"), violation("min-items", "", 1));
    assert_eq!(check(schema, "[1, 2, 3]"), violation("max-items", "", 7));
    assert_eq!(
        check(schema, "[1, \"x\"]"),
        violation("type-mismatch", "/1", 4)
    );
    // max-items is found at the first element too many, before that element's rules.
    assert_eq!(
        check(schema, "[1, 2, \"x\"]"),
        violation("max-items", "", 7)
    );
    assert_eq!(
        check(r#"{"maxItems": 0}"#, "[[]]"),
        violation("max-items", "", 1)
    );
    // Nested arrays: pointers carry every index.
    let nested = r#"{"items": {"items": {"type": "string"}}}"#;
    assert_eq!(
        check(nested, r#"[[], ["a", "b"], ["c", 4]]"#),
        violation("type-mismatch", "/2/1", 23)
    );
    // Array keywords apply to arrays only.
    assert_eq!(check(schema, "\"x\""), None);
}

#[test]
fn enum_and_const() {
    let schema = r#"{"enum": [null, true, 2, "a\/b", "é"]}"#;
    for ok in ["null", "true", "2", "2.0", "2e0", "\"a/b\"", "\"\\u00e9\""] {
        assert_eq!(check(schema, ok), None, "{ok}");
    }
    for bad in ["false", "3", "\"a\"", "{}", "[]", "\"A/B\""] {
        assert_eq!(
            check(schema, bad),
            violation("enum-mismatch", "", 0),
            "{bad}"
        );
    }
    let c = r#"{"properties": {"v": {"const": 1.5}}}"#;
    assert_eq!(check(c, r#"{"v": 15e-1}"#), None);
    assert_eq!(
        check(c, r#"{"v": 1}"#),
        violation("const-mismatch", "/v", 6)
    );
    assert_eq!(
        check(c, r#"{"v": "1.5"}"#),
        violation("const-mismatch", "/v", 6)
    );
    assert_eq!(check(r#"{"const": null}"#, "null"), None);
    assert_eq!(
        check(r#"{"const": false}"#, "true"),
        violation("const-mismatch", "", 0)
    );
    assert_eq!(
        check(r#"{"const": "x"}"#, "[\"x\"]"),
        violation("const-mismatch", "", 0)
    );
    // const is checked before enum.
    let both = r#"{"const": 1, "enum": [2]}"#;
    assert_eq!(check(both, "2"), violation("const-mismatch", "", 0));
    assert_eq!(check(both, "1"), violation("enum-mismatch", "", 0));
    // The message names the values.
    let s = compile(r#"{"enum": ["a", 1]}"#);
    let Err(SchemaFailure::Violation(v)) = s.validate(b"\"b\"", JsonLimits::default()) else {
        panic!()
    };
    assert_eq!(
        v.to_string(),
        r#"expected one of ["a", 1], found "b" (byte 0)"#
    );
}

#[test]
fn string_lengths_count_code_points() {
    let schema = r#"{"minLength": 2, "maxLength": 3}"#;
    assert_eq!(check(schema, "\"ab\""), None);
    assert_eq!(check(schema, "\"ééé\""), None);
    assert_eq!(check(schema, "\"😀😀\""), None);
    assert_eq!(check(schema, "\"\\ud83d\\ude00\\u00e9\""), None);
    assert_eq!(check(schema, "\"a\""), violation("min-length", "", 0));
    assert_eq!(check(schema, "\"\\u0061\""), violation("min-length", "", 0));
    assert_eq!(check(schema, "\"abcd\""), violation("max-length", "", 0));
    assert_eq!(check(schema, "\"éééé\""), violation("max-length", "", 0));
    assert_eq!(check(schema, "[\"abcd\"]"), None);
    let s = compile(schema);
    let Err(SchemaFailure::Violation(v)) = s.validate("\"éééé\"".as_bytes(), JsonLimits::default())
    else {
        panic!()
    };
    assert_eq!(v.kind(), &ViolationKind::MaxLength { max: 3, found: 4 });
    assert_eq!(
        v.to_string(),
        "expected a string of at most 3 characters, found 4 (byte 0)"
    );
}

#[test]
fn pattern_is_an_unanchored_search() {
    let schema = r#"{"pattern": "b+c"}"#;
    assert_eq!(check(schema, "\"abbcd\""), None);
    assert_eq!(
        check(schema, "\"ac\""),
        violation("pattern-mismatch", "", 0)
    );
    let anchored = r#"{"properties": {"id": {"pattern": "^[A-Z]{2}-[0-9]{3}$"}}}"#;
    assert_eq!(check(anchored, r#"{"id": "AB-123"}"#), None);
    assert_eq!(
        check(anchored, r#"{"id": "AB-1234"}"#),
        violation("pattern-mismatch", "/id", 7)
    );
    // Matched against the unescaped value, over code points.
    assert_eq!(check(r#"{"pattern": "^é.$"}"#, "\"\\u00e9\\u00e8\""), None);
    assert_eq!(check(r#"{"pattern": "^\\d$"}"#, "\"7\""), None);
    assert_eq!(check(r#"{"pattern": "a"}"#, "7"), None);
}

/// Patterns read as ECMA-262 reads them (JSON Schema's regular expressions), where regex-lite
/// alone would let more through: `.` matches no line terminator (CR, U+2028, U+2029 as well as
/// LF), and `\s` / `\S` are ECMA's white space (NBSP, the Unicode spaces, U+FEFF), not
/// ASCII's (review of 2026-11-30: `^.*$` let a CR through, `^\S+$` a no-break space).
#[test]
fn patterns_read_as_ecma_262() {
    let one_line = r#"{"pattern": "^.*$"}"#;
    let no_blank = r#"{"pattern": "^\\S+$"}"#;
    let mismatch = violation("pattern-mismatch", "", 0);
    for text in ["a\\rb", "a\\nb", "a\\u2028b", "a\\u2029b"] {
        assert_eq!(check(one_line, &format!("\"{text}\"")), mismatch, "{text}");
    }
    assert_eq!(check(one_line, "\"a\\tb\\u0085\""), None);
    for text in ["a\\u00a0b", "a\\ufeffb", "a\\u3000b", "a\\u2009b", "a b"] {
        assert_eq!(check(no_blank, &format!("\"{text}\"")), mismatch, "{text}");
    }
    assert_eq!(check(no_blank, "\"a\\u200bb\""), None);
    let spaced = r#"{"pattern": "^a[\\s_]b$"}"#;
    for text in ["a b", "a_b", "a\\u00a0b", "a\\u2028b"] {
        assert_eq!(check(spaced, &format!("\"{text}\"")), None, "{text}");
    }
    assert_eq!(check(spaced, "\"a-b\""), mismatch);
}

#[test]
fn minimum_and_maximum_are_inclusive() {
    let schema = r#"{"minimum": -1.5, "maximum": 10}"#;
    for ok in ["-1.5", "0", "10", "10.0", "1e1", "\"100\""] {
        assert_eq!(check(schema, ok), None, "{ok}");
    }
    assert_eq!(check(schema, "-1.6"), violation("minimum", "", 0));
    assert_eq!(check(schema, "10.000001"), violation("maximum", "", 0));
    assert_eq!(check(schema, "[11]"), None);
    let s = compile(schema);
    let Err(SchemaFailure::Violation(v)) = s.validate(b"-2e0", JsonLimits::default()) else {
        panic!()
    };
    assert_eq!(v.to_string(), "expected at least -1.5, found -2e0 (byte 0)");
}

#[test]
fn annotations_are_ignored() {
    let schema = r#"{
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:example:x", "title": "T", "description": "D", "$comment": "C",
        "examples": [{"anything": ["goes", 1]}], "default": {"type": "not checked"},
        "type": "integer"
    }"#;
    assert_eq!(check(schema, "1"), None);
    assert_eq!(check(schema, "\"1\""), violation("type-mismatch", "", 0));
}

#[test]
fn the_first_violation_in_document_order_wins() {
    // A later member breaks an earlier-listed rule: the document order decides.
    let schema = r#"{"properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                     "required": ["z"]}"#;
    assert_eq!(
        check(schema, r#"{"b": 1, "a": 2}"#),
        violation("type-mismatch", "/b", 6)
    );
    assert_eq!(
        check(schema, r#"{"a": "x", "b": 2}"#),
        violation("type-mismatch", "/b", 16)
    );
    assert_eq!(
        check(schema, r#"{"a": "x"}"#),
        violation("required-missing", "", 9)
    );
    // A violation stops the evaluation: later JSON errors are not reached.
    let s = compile(r#"{"items": {"type": "integer"}}"#);
    let found = s.validate(b"[\"x\", oops", JsonLimits::default());
    assert_eq!(found.unwrap_err().code(), "type-mismatch");
    // A JSON error before any violation is the failure.
    let found = s.validate(b"[1, oops", JsonLimits::default());
    let Err(SchemaFailure::Json(e)) = found else {
        panic!("{found:?}")
    };
    assert_eq!((e.code(), e.offset()), ("unexpected", 4));
    // An incomplete document is a JSON error too.
    assert_eq!(
        s.validate(b"[1, 2", JsonLimits::default())
            .unwrap_err()
            .code(),
        "unexpected-eof"
    );
}

#[test]
fn pointers_escape_and_nest() {
    let schema =
        r#"{"additionalProperties": {"additionalProperties": {"items": {"type": "null"}}}}"#;
    assert_eq!(
        check(schema, r#"{"a~b": {"c/d": [null, 1]}}"#),
        violation("type-mismatch", "/a~0b/c~1d/1", 23)
    );
    assert_eq!(
        check(schema, r#"{"": {"": [0]}}"#),
        violation("type-mismatch", "///0", 11)
    );
    // Siblings before the offending member do not leak into the pointer.
    assert_eq!(
        check(
            schema,
            r#"{"x": {"long name": [], "y": {}}, "z": {"w": [null, null, 3]}}"#
        ),
        violation("type-mismatch", "/z/w/2", 58)
    );
}

// ---------------------------------------------------------------------------------------------
// Streaming
// ---------------------------------------------------------------------------------------------

/// Records whether strings were asked for, and forwards to the schema validator.
struct Asking<'s> {
    inner: SchemaValidator<'s>,
    asked: Vec<bool>,
}

impl Visitor for Asking<'_> {
    fn wants_strings(&self) -> bool {
        self.inner.wants_strings()
    }
    fn token(&mut self, token: &Token<'_>, offset: u64) {
        if matches!(token, Token::String(_)) {
            self.asked.push(self.inner.wants_strings());
        }
        self.inner.token(token, offset);
    }
}

#[test]
fn strings_are_asked_for_only_where_they_matter() {
    let asked = |schema: &str, doc: &str| {
        let schema = compile(schema);
        let mut v = Asking {
            inner: SchemaValidator::new(&schema),
            asked: Vec::new(),
        };
        crossguard::json::validate_with(doc.as_bytes(), JsonLimits::default(), &mut v).unwrap();
        assert!(v.inner.finish().is_ok());
        v.asked
    };
    // Nothing about strings: not asked.
    assert_eq!(
        asked(
            r#"{"properties": {"n": {"type": "integer"}}}"#,
            r#"{"s": "x"}"#
        ),
        [false]
    );
    assert_eq!(asked(r#"{"type": ["string", "null"]}"#, r#""x""#), [false]);
    // A rule on strings, or strings not allowed: asked.
    assert_eq!(asked(r#"{"maxLength": 3}"#, r#""x""#), [true]);
    assert_eq!(
        asked(
            r#"{"properties": {"s": {"type": "string", "pattern": "x"}}}"#,
            r#"{"s": "x"}"#
        ),
        [true]
    );
    // Elements of arrays under rules are counted (pointer indices): asked.
    assert_eq!(asked(r#"{"items": {"minimum": 1}}"#, r#"["x"]"#), [true]);
    // Inside a subtree that accepts anything: not asked.
    assert_eq!(
        asked(
            r#"{"properties": {"n": {"type": "null"}}}"#,
            r#"{"a": ["x", {"b": "y"}]}"#
        ),
        [false, false]
    );
}

#[test]
fn strings_spanning_chunks_keep_element_indices() {
    // The JSON validator drops the token of a string that spans chunks when strings are not
    // asked for: elements must still be counted right.
    let schema = compile(r#"{"items": {"type": ["string", "integer"]}}"#);
    let long = "x".repeat(100);
    let doc = format!(r#"["{long}", 1, 2.5]"#);
    for cut in [3, 50, 101] {
        let found = run_chunked(&schema, doc.as_bytes(), JsonLimits::default(), &[cut]);
        let Err(SchemaFailure::Violation(v)) = found else {
            panic!("{found:?}")
        };
        assert_eq!(
            (v.code(), v.pointer()),
            ("type-mismatch", "/2"),
            "cut {cut}"
        );
    }
    let counted = compile(r#"{"maxItems": 1}"#);
    let doc = format!(r#"[1, "{long}"]"#);
    let found = run_chunked(&counted, doc.as_bytes(), JsonLimits::default(), &[10]);
    assert_eq!(found.unwrap_err().code(), "max-items");
    // A top-level string spanning chunks against a schema refusing strings.
    let numbers = compile(r#"{"type": "number"}"#);
    let doc = format!(r#""{long}""#);
    let found = run_chunked(&numbers, doc.as_bytes(), JsonLimits::default(), &[10]);
    assert_eq!(found.unwrap_err().code(), "type-mismatch");
}

#[test]
fn streaming_api_stops_at_the_violation() {
    let schema = compile(r#"{"items": {"type": "integer"}}"#);
    let mut json = JsonValidator::new(JsonLimits::default());
    let mut check = SchemaValidator::new(&schema);
    check.feed(&mut json, b"[1, 2").unwrap();
    let found = check.feed(&mut json, b".5, 3");
    let Err(SchemaFailure::Violation(v)) = &found else {
        panic!("{found:?}")
    };
    assert_eq!(
        (v.code(), v.pointer(), v.offset()),
        ("type-mismatch", "/1", 4)
    );
    // Later chunks, even malformed ones, return the same violation.
    assert_eq!(check.feed(&mut json, b"}}}"), found);
    assert_eq!(check.end(&mut json).unwrap_err(), found.unwrap_err());

    let mut json = JsonValidator::new(JsonLimits::default());
    let mut check = SchemaValidator::new(&schema);
    check.feed(&mut json, b"[1, ").unwrap();
    check.feed(&mut json, b"2]").unwrap();
    assert_eq!(check.end(&mut json).unwrap().values, 3);

    // A top-level number is delivered by finish: the number's rules apply there.
    let max = compile(r#"{"maximum": 5}"#);
    let mut json = JsonValidator::new(JsonLimits::default());
    let mut check = SchemaValidator::new(&max);
    check.feed(&mut json, b"12").unwrap();
    assert_eq!(check.end(&mut json).unwrap_err().code(), "maximum");

    // finish() inside a container, without the JSON validator's finish: refused.
    let mut json = JsonValidator::new(JsonLimits::default());
    let mut check = SchemaValidator::new(&schema);
    json.feed_with(b"[1", &mut check).unwrap();
    assert_eq!(check.finish().unwrap_err().code(), "incomplete-document");
}

#[test]
fn document_limits_apply() {
    let schema = compile(r#"{"items": true}"#);
    let limits = JsonLimits {
        max_depth: 2,
        ..JsonLimits::default()
    };
    assert!(schema.validate(b"[[1]]", limits).is_ok());
    let found = schema.validate(b"[[[1]]]", limits).unwrap_err();
    assert_eq!(found.code(), "depth-limit-exceeded");
    let big = format!("[{}1]", "1, ".repeat(40_000));
    assert!(schema
        .validate(big.as_bytes(), JsonLimits::default())
        .is_ok());
}

// ---------------------------------------------------------------------------------------------
// Compile errors
// ---------------------------------------------------------------------------------------------

#[test]
fn compile_errors_name_the_keyword() {
    let cases: &[(&str, &str, &str, u64)] = &[
        (r#"{"allOf": []}"#, "unknown-keyword", "/allOf", 1),
        (r##"{"$ref": "#/x"}"##, "unknown-keyword", "/$ref", 1),
        (r#"{"format": "date"}"#, "unknown-keyword", "/format", 1),
        (
            r#"{"properties": {"a/b": {"minLenght": 1}}}"#,
            "unknown-keyword",
            "/properties/a~1b/minLenght",
            24,
        ),
        (r#"{"type": "float"}"#, "unknown-type", "/type", 9),
        (
            r#"{"type": ["string", "str"]}"#,
            "unknown-type",
            "/type/1",
            20,
        ),
        (
            r#"{"type": ["null", "null"]}"#,
            "duplicate-type",
            "/type/1",
            18,
        ),
        (r#"{"type": []}"#, "invalid-keyword-value", "/type", 9),
        (r#"{"type": 1}"#, "invalid-keyword-value", "/type", 9),
        (r#"{"type": [1]}"#, "invalid-keyword-value", "/type/0", 10),
        (
            r#"{"minLength": -1}"#,
            "invalid-keyword-value",
            "/minLength",
            14,
        ),
        (
            r#"{"maxLength": 1.5}"#,
            "invalid-keyword-value",
            "/maxLength",
            14,
        ),
        (
            r#"{"minItems": "1"}"#,
            "invalid-keyword-value",
            "/minItems",
            13,
        ),
        (
            r#"{"maxItems": null}"#,
            "invalid-keyword-value",
            "/maxItems",
            13,
        ),
        (
            r#"{"minimum": "0"}"#,
            "invalid-keyword-value",
            "/minimum",
            12,
        ),
        (
            r#"{"maximum": []}"#,
            "invalid-keyword-value",
            "/maximum",
            12,
        ),
        (
            r#"{"required": [1]}"#,
            "invalid-keyword-value",
            "/required/0",
            14,
        ),
        (
            r#"{"required": "a"}"#,
            "invalid-keyword-value",
            "/required",
            13,
        ),
        (
            r#"{"required": ["a", "b", "\u0061"]}"#,
            "duplicate-required",
            "/required/2",
            24,
        ),
        (
            r#"{"properties": []}"#,
            "invalid-keyword-value",
            "/properties",
            15,
        ),
        (
            r#"{"properties": {"a": 1}}"#,
            "not-a-schema",
            "/properties/a",
            21,
        ),
        (
            r#"{"additionalProperties": null}"#,
            "not-a-schema",
            "/additionalProperties",
            25,
        ),
        (
            r#"{"items": [true]}"#,
            "unsupported-items-array",
            "/items",
            10,
        ),
        (r#"{"items": "x"}"#, "not-a-schema", "/items", 10),
        (r#"{"enum": []}"#, "invalid-keyword-value", "/enum", 9),
        (r#"{"enum": 1}"#, "invalid-keyword-value", "/enum", 9),
        (
            r#"{"enum": [1, {"a": 1}]}"#,
            "structured-enum-value",
            "/enum/1",
            13,
        ),
        (r#"{"const": [1]}"#, "structured-enum-value", "/const", 10),
        (r#"{"pattern": "("}"#, "invalid-pattern", "/pattern", 12),
        // Not ECMA-262: inline flags, POSIX classes; `\S` in a class.
        (
            r#"{"pattern": "(?s)^.*$"}"#,
            "invalid-pattern",
            "/pattern",
            12,
        ),
        (
            r#"{"pattern": "[[:space:]]"}"#,
            "invalid-pattern",
            "/pattern",
            12,
        ),
        (r#"{"pattern": "[\\S]"}"#, "invalid-pattern", "/pattern", 12),
        (
            r#"{"pattern": "\\p{L}"}"#,
            "invalid-pattern",
            "/pattern",
            12,
        ),
        (r#"{"pattern": 1}"#, "invalid-keyword-value", "/pattern", 12),
        (
            r#"{"pattern": "a{1000}{1000}"}"#,
            "pattern-too-complex",
            "/pattern",
            12,
        ),
        ("[]", "not-a-schema", "", 0),
        ("1", "not-a-schema", "", 0),
        (r#"{"a": 1, "a": 2}"#, "schema-json", "/a", 9),
        (r#"{"type": "string",}"#, "schema-json", "", 18),
        ("", "schema-json", "", 0),
    ];
    for &(schema, code, pointer, offset) in cases {
        assert_eq!(
            compile_error(schema),
            (code, pointer.to_owned(), offset),
            "{schema}"
        );
        // The reference agrees that it does not compile (when it is JSON at all).
        if let Ok(value) = serde_json::from_str::<Value>(schema) {
            if code != "schema-json" {
                assert!(!reference_compiles(&value), "{schema}");
            }
        }
    }
}

#[test]
fn compile_error_messages() {
    let e = Schema::compile(br#"{"properties": {"x": {"not": {}}}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"schema: keyword "not" is not supported (refused rather than ignored) (byte 22, at /properties/x/not)"#
    );
    assert_eq!(e.fault(), crossguard::error::Fault::Forbidden);
    let e = Schema::compile(br#"{"type": "float"}"#).unwrap_err();
    assert!(matches!(e.kind(), SchemaErrorKind::UnknownType { name } if &**name == "float"));
    assert_eq!(e.fault(), crossguard::error::Fault::Malformed);
    let e = Schema::compile(br#"{"pattern": "(?=x)"}"#).unwrap_err();
    assert!(e.to_string().contains("regex-lite"), "{e}");
}

#[test]
fn compile_limits() {
    // Size.
    let padding = " ".repeat(MAX_SCHEMA_BYTES);
    let e = Schema::compile(format!("{{}}{padding}").as_bytes()).unwrap_err();
    assert_eq!(e.code(), "schema-too-large");
    assert_eq!(e.fault(), crossguard::error::Fault::LimitExceeded);
    assert!(Schema::compile(format!("{{}}{}", &padding[2..]).as_bytes()).is_ok());

    // Subschema depth: items nested MAX_SCHEMA_DEPTH deep compile, one more does not.
    let nested = |depth: usize| {
        let mut s = String::from("{\"type\": \"null\"}");
        for _ in 0..depth {
            s = format!("{{\"items\": {s}}}");
        }
        s
    };
    assert!(Schema::compile(nested(MAX_SCHEMA_DEPTH).as_bytes()).is_ok());
    let e = Schema::compile(nested(MAX_SCHEMA_DEPTH + 1).as_bytes()).unwrap_err();
    assert_eq!(e.code(), "schema-too-deep");
    assert_eq!(e.pointer(), "/items".repeat(MAX_SCHEMA_DEPTH + 1));
    // The deepest subschemas through `properties` still fit the JSON depth bound.
    let mut s = String::from(r#"{"enum": [1], "type": ["integer"], "required": ["a"]}"#);
    for _ in 0..MAX_SCHEMA_DEPTH {
        s = format!(r#"{{"properties": {{"p": {s}}}}}"#);
    }
    let deep = compile(&s);
    let doc = format!(
        "{}1{}",
        r#"{"p": "#.repeat(MAX_SCHEMA_DEPTH),
        "}".repeat(MAX_SCHEMA_DEPTH)
    );
    assert!(deep.validate(doc.as_bytes(), JsonLimits::default()).is_ok());
    // Deep JSON elsewhere (an annotation) is bounded by the JSON depth.
    let deep_default = format!(r#"{{"default": {}1{}}}"#, "[".repeat(80), "]".repeat(80));
    assert_eq!(compile_error(&deep_default).0, "schema-json-too-deep");

    // Nodes.
    let properties = |n: usize| {
        let members: Vec<String> = (0..n).map(|i| format!("\"p{i}\": true")).collect();
        format!("{{\"properties\": {{{}}}}}", members.join(", "))
    };
    assert!(Schema::compile(properties(MAX_SCHEMA_NODES - 1).as_bytes()).is_ok());
    let e = Schema::compile(properties(MAX_SCHEMA_NODES).as_bytes()).unwrap_err();
    assert_eq!(
        (e.code(), e.pointer()),
        (
            "too-many-schema-nodes",
            format!("/properties/p{}", MAX_SCHEMA_NODES - 1).as_str()
        )
    );

    // Enum values.
    let values = |n: usize| json!({ "enum": (0..n).collect::<Vec<_>>() }).to_string();
    assert!(Schema::compile(values(MAX_SCHEMA_ENUM_VALUES).as_bytes()).is_ok());
    assert_eq!(
        compile_error(&values(MAX_SCHEMA_ENUM_VALUES + 1)).0,
        "too-many-enum-values"
    );

    // Pattern length and count.
    let long = json!({ "pattern": "a".repeat(MAX_SCHEMA_PATTERN_BYTES) }).to_string();
    assert!(Schema::compile(long.as_bytes()).is_ok());
    let longer = json!({ "pattern": "a".repeat(MAX_SCHEMA_PATTERN_BYTES + 1) }).to_string();
    assert_eq!(
        compile_error(&longer),
        ("pattern-too-long", "/pattern".to_owned(), 11)
    );
    let patterns = |n: usize| {
        let members: Vec<String> = (0..n)
            .map(|i| format!("\"p{i}\": {{\"pattern\": \"x\"}}"))
            .collect();
        format!("{{\"properties\": {{{}}}}}", members.join(", "))
    };
    assert!(Schema::compile(patterns(MAX_SCHEMA_PATTERNS).as_bytes()).is_ok());
    let (code, pointer, _) = compile_error(&patterns(MAX_SCHEMA_PATTERNS + 1));
    assert_eq!(code, "too-many-patterns");
    assert_eq!(
        pointer,
        format!("/properties/p{MAX_SCHEMA_PATTERNS}/pattern")
    );
    // Nesting beyond regex-lite's nest limit.
    let nested_groups = format!("{}a{}", "(".repeat(40), ")".repeat(40));
    let e = compile_error(&json!({ "pattern": nested_groups }).to_string());
    assert_eq!(e.0, "pattern-too-complex");
}

// ---------------------------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------------------------

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Whole, byte by byte, in 7-byte chunks: one result, which is returned.
fn every_chunking(schema: &Schema, doc: &[u8]) -> Result<(), SchemaFailure> {
    let limits = JsonLimits::default();
    let whole = schema.validate(doc, limits);
    let bytewise: Vec<usize> = (1..doc.len()).collect();
    let sevens: Vec<usize> = (1..doc.len()).filter(|i| i % 7 == 0).collect();
    assert_eq!(run_chunked(schema, doc, limits, &bytewise), whole);
    assert_eq!(run_chunked(schema, doc, limits, &sevens), whole);
    whole
}

#[test]
fn corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/json_schema");
    let mut cases = 0;
    let (mut valid, mut invalid) = (0, 0);
    for case in fs::read_dir(&root).unwrap() {
        let dir = case.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        cases += 1;
        let schema_bytes = fs::read(dir.join("schema.json")).unwrap();
        let schema = Schema::compile(&schema_bytes).unwrap();
        let schema_value: Value = serde_json::from_slice(&schema_bytes).unwrap();
        for path in files(&dir.join("valid")) {
            let doc = fs::read(&path).unwrap();
            let found = every_chunking(&schema, &doc);
            assert!(found.is_ok(), "{}: {found:?}", path.display());
            let instance: Instance = serde_json::from_slice(&doc).unwrap();
            assert_eq!(reference_violation(&schema_value, &instance), None);
            valid += 1;
        }
        let expected: BTreeMap<String, Value> =
            serde_json::from_slice(&fs::read(dir.join("expected.json")).unwrap()).unwrap();
        let invalid_files = files(&dir.join("invalid"));
        assert_eq!(invalid_files.len(), expected.len(), "{}", dir.display());
        for path in invalid_files {
            let name = path.file_name().unwrap().to_str().unwrap();
            let want = &expected[name];
            let doc = fs::read(&path).unwrap();
            let Err(SchemaFailure::Violation(v)) = every_chunking(&schema, &doc) else {
                panic!("{}: not a violation", path.display());
            };
            assert_eq!(
                (v.code(), v.pointer(), v.offset()),
                (
                    want["code"].as_str().unwrap(),
                    want["pointer"].as_str().unwrap(),
                    want["offset"].as_u64().unwrap()
                ),
                "{}",
                path.display()
            );
            let instance: Instance = serde_json::from_slice(&doc).unwrap();
            assert_eq!(
                reference_violation(&schema_value, &instance),
                Some((v.code(), v.pointer().to_owned())),
                "{}",
                path.display()
            );
            invalid += 1;
        }
    }
    assert!(
        cases >= 3 && valid >= 6 && invalid >= 20,
        "{cases} {valid} {invalid}"
    );
}

#[test]
fn fuzz_corpus_replays() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/json_schema");
    let inputs = files(&dir);
    assert!(!inputs.is_empty());
    for path in inputs {
        crossguard::fuzzing::json_schema(&fs::read(&path).unwrap());
    }
}

// ---------------------------------------------------------------------------------------------
// Properties against the reference
// ---------------------------------------------------------------------------------------------

/// Member names (value, and a second way to write it).
const NAMES: [(&str, &str); 6] = [
    ("a", "\\u0061"),
    ("b", "b"),
    ("a/b", "a\\/b"),
    ("~c", "\\u007ec"),
    ("", ""),
    ("é", "\\u00e9"),
];
/// String values as written.
const STRINGS: [&str; 12] = [
    "",
    "a",
    "ab",
    "abc",
    "h\u{e9}llo",
    "\\u0061b",
    "x/y",
    "12345678",
    "A-1",
    "\\n",
    "\u{1F600}",
    "\\ud83d\\ude00",
];
const NUMBERS: [&str; 11] = [
    "0", "1", "-1", "2.5", "3", "10", "1e3", "-0.5", "100", "3.0", "1E1",
];
const PATTERNS: [&str; 7] = ["^a", "b", "^[a-z]+$", "\\d", "é", "^$", "x/y"];
const TYPES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "integer", "string",
];

/// A document as JSON text (names distinct per object, so always I-JSON).
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        any::<bool>().prop_map(|b| b.to_string()),
        prop::sample::select(NUMBERS.to_vec()).prop_map(str::to_owned),
        prop::sample::select(STRINGS.to_vec()).prop_map(|s| format!("\"{s}\"")),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            (
                prop::sample::subsequence((0..NAMES.len()).collect::<Vec<_>>(), 0..=4)
                    .prop_shuffle(),
                prop::collection::vec((inner, any::<bool>()), 4),
            )
                .prop_map(|(names, values)| {
                    let members: Vec<String> = names
                        .iter()
                        .zip(values)
                        .map(|(&n, (v, escaped))| {
                            let (plain, other) = NAMES[n];
                            format!("\"{}\": {v}", if escaped { other } else { plain })
                        })
                        .collect();
                    format!("{{{}}}", members.join(", "))
                }),
        ]
    })
}

fn scalar() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(1),
        json!(2.5),
        json!(3.0),
        json!("a"),
        json!("ab"),
        json!(""),
        json!("é"),
        json!("x/y"),
    ])
}

/// A schema in the subset (always compiles).
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => Just(json!(true)),
        1 => Just(json!(false)),
        1 => Just(json!({})),
        6 => scalar_rules(),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        (
            scalar_rules(),
            prop::option::weighted(
                0.5,
                prop::collection::vec((0..NAMES.len(), inner.clone()), 1..4),
            ),
            prop::option::weighted(
                0.3,
                prop::sample::subsequence((0..NAMES.len()).collect::<Vec<_>>(), 0..3)
                    .prop_shuffle(),
            ),
            prop::option::weighted(0.3, inner.clone()),
            prop::option::weighted(0.4, inner),
            prop::option::weighted(0.2, 0u64..3),
            prop::option::weighted(0.2, 0u64..4),
        )
            .prop_map(
                |(base, properties, required, additional, items, min_items, max_items)| {
                    let mut map = base.as_object().cloned().unwrap_or_default();
                    if let Some(p) = properties {
                        let p: serde_json::Map<String, Value> = p
                            .into_iter()
                            .map(|(n, s)| (NAMES[n].0.to_owned(), s))
                            .collect();
                        map.insert("properties".into(), Value::Object(p));
                    }
                    if let Some(r) = required {
                        let r: Vec<&str> = r.into_iter().map(|n| NAMES[n].0).collect();
                        map.insert("required".into(), json!(r));
                    }
                    if let Some(a) = additional {
                        map.insert("additionalProperties".into(), a);
                    }
                    if let Some(i) = items {
                        map.insert("items".into(), i);
                    }
                    if let Some(n) = min_items {
                        map.insert("minItems".into(), json!(n));
                    }
                    if let Some(n) = max_items {
                        map.insert("maxItems".into(), json!(n));
                    }
                    Value::Object(map)
                },
            )
    })
}

/// The keywords on scalars (and `type`), each present now and then.
fn scalar_rules() -> impl Strategy<Value = Value> {
    (
        prop::option::weighted(
            0.4,
            prop::sample::subsequence(TYPES.to_vec(), 1..4).prop_shuffle(),
        ),
        any::<bool>(),
        prop::option::weighted(0.1, scalar()),
        prop::option::weighted(0.15, prop::collection::vec(scalar(), 1..5)),
        prop::option::weighted(0.15, 0u64..4),
        prop::option::weighted(0.15, 0u64..6),
        prop::option::weighted(0.15, prop::sample::select(PATTERNS.to_vec())),
        prop::option::weighted(0.15, prop::sample::select(vec![-1.0, 0.0, 1.0, 2.5, 10.0])),
        prop::option::weighted(0.15, prop::sample::select(vec![-1.0, 0.0, 1.0, 2.5, 10.0])),
    )
        .prop_map(
            |(types, single, constant, values, min_len, max_len, pattern, min, max)| {
                let mut map = serde_json::Map::new();
                if let Some(t) = types {
                    let t = if single && t.len() == 1 {
                        json!(t[0])
                    } else {
                        json!(t)
                    };
                    map.insert("type".into(), t);
                }
                if let Some(c) = constant {
                    map.insert("const".into(), c);
                }
                if let Some(v) = values {
                    map.insert("enum".into(), json!(v));
                }
                if let Some(n) = min_len {
                    map.insert("minLength".into(), json!(n));
                }
                if let Some(n) = max_len {
                    map.insert("maxLength".into(), json!(n));
                }
                if let Some(p) = pattern {
                    map.insert("pattern".into(), json!(p));
                }
                if let Some(n) = min {
                    map.insert("minimum".into(), json!(n));
                }
                if let Some(n) = max {
                    map.insert("maximum".into(), json!(n));
                }
                Value::Object(map)
            },
        )
}

/// Cut points for a document of `len` bytes, from proptest's raw numbers.
fn cuts(raw: &[usize], len: usize) -> Vec<usize> {
    if len < 2 {
        return Vec::new();
    }
    let mut cuts: Vec<usize> = raw.iter().map(|r| 1 + r % (len - 1)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Streaming evaluation equals the reference: same verdict, same first violation's code
    /// and pointer; and random chunkings equal whole-buffer validation.
    #[test]
    fn streaming_equals_the_reference(
        schema in schema(),
        docs in prop::collection::vec(document(), 1..4),
        raw_cuts in prop::collection::vec(any::<usize>(), 0..8),
    ) {
        let text = schema.to_string();
        prop_assert!(reference_compiles(&schema), "{}", text);
        let compiled = Schema::compile(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"));
        for doc in docs {
            let whole = compiled.validate(doc.as_bytes(), JsonLimits::default());
            let instance: Instance = serde_json::from_str(&doc).unwrap();
            let expected = reference_violation(&schema, &instance);
            let got = match &whole {
                Ok(()) => None,
                Err(SchemaFailure::Violation(v)) => Some((v.code(), v.pointer().to_owned())),
                Err(e) => panic!("{doc}: {e}"),
            };
            prop_assert_eq!(&got, &expected, "schema {} doc {}", text, doc);
            let cuts = cuts(&raw_cuts, doc.len());
            let chunked = run_chunked(&compiled, doc.as_bytes(), JsonLimits::default(), &cuts);
            prop_assert_eq!(&chunked, &whole, "cuts {:?} doc {}", cuts, doc);
        }
    }

    /// Arbitrary mutations of valid schemas: compile accepts exactly what the reference
    /// accepts, and never panics.
    #[test]
    fn compile_agrees_with_the_reference(
        schema in schema(),
        at in any::<usize>(),
        byte in prop::sample::select(b"{}[]\",:-1aeE0 ".to_vec()),
        delete in any::<bool>(),
    ) {
        let mut bytes = schema.to_string().into_bytes();
        let i = at % (bytes.len() + 1);
        if delete && i < bytes.len() {
            bytes.remove(i);
        } else {
            bytes.insert(i, byte);
        }
        crossguard::fuzzing::json_schema(&bytes);
    }

    /// The fuzz oracle on a generated schema and document (split at 0xFF).
    #[test]
    fn oracle_holds(schema in schema(), doc in document()) {
        let mut data = schema.to_string().into_bytes();
        data.push(0xFF);
        data.extend_from_slice(doc.as_bytes());
        crossguard::fuzzing::json_schema(&data);
    }
}

#[test]
fn the_generators_reach_both_verdicts() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut accepted, mut refused) = (0, 0);
    let mut codes = std::collections::BTreeSet::new();
    for _ in 0..2000 {
        let s = schema().new_tree(&mut runner).unwrap().current();
        let d = document().new_tree(&mut runner).unwrap().current();
        let compiled = Schema::compile(s.to_string().as_bytes()).unwrap();
        match compiled.validate(d.as_bytes(), JsonLimits::default()) {
            Ok(()) => accepted += 1,
            Err(e) => {
                refused += 1;
                codes.insert(e.code());
            }
        }
    }
    assert!(accepted > 300 && refused > 300, "{accepted} {refused}");
    assert!(codes.len() >= 12, "{codes:?}");
}
