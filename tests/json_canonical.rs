//! RFC 8785 canonical JSON (`crossguard::json::canonical`): the RFC's own examples (§3.2.2,
//! §3.2.3, every number of Appendix B), numbers against ryu-js (ECMAScript's
//! `Number.prototype.toString`), whole documents against a naive reference serialiser, the
//! value kept, the output a fixed point, member order by UTF-16 code units, the validator's
//! errors unchanged, and the fuzz oracle over the JSON corpus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use std::fs;
use std::path::{Path, PathBuf};

use crossguard::json::canonical::{canonicalize, write_canonical, write_number, NonFiniteNumber};
use crossguard::json::{validate, validate_with, JsonErrorKind, Token, Visitor};
use crossguard::limits::JsonLimits;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn canonical(input: &[u8]) -> String {
    String::from_utf8(canonicalize(input, JsonLimits::default()).unwrap()).unwrap()
}

fn number(value: f64) -> String {
    let mut out = Vec::new();
    write_number(value, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The RFC's examples
// ---------------------------------------------------------------------------------------------

/// RFC 8785 §3.2.2: whitespace, escapes, number spellings and member order.
#[test]
fn rfc_8785_section_3_2_2() {
    let input = br#"{
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"#;
    let expected = r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#;
    assert_eq!(canonical(input), expected);
    // §3.2.4: the UTF-8 bytes of the result, as the RFC lists them.
    let hex = "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c \
               73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a 5b 33 33 33 33 33 33 33 33 33 2e 33 \
               33 33 33 33 33 33 2c 31 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d \
               32 37 5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e \
               41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d";
    let bytes: Vec<u8> = hex
        .split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).unwrap())
        .collect();
    assert_eq!(canonical(input).as_bytes(), bytes);
}

/// RFC 8785 §3.2.3: names sorted as UTF-16 code units (U+1F600, a surrogate pair, before
/// U+FB33), and not by locale.
#[test]
fn rfc_8785_section_3_2_3() {
    let input = br#"{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}"#;
    let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\
                    \"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\
                    \"\u{1f600}\":\"Emoji: Grinning Face\",\
                    \"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}";
    assert_eq!(canonical(input), expected);

    let locale = "{\n  \"peach\": \"This sorting order\",\n  \"p\u{e9}ch\u{e9}\": \"is wrong according to French\",\n  \"p\u{ea}che\": \"but canonicalization MUST\",\n  \"sin\":   \"ignore locale\"\n}";
    let expected = "{\"peach\":\"This sorting order\",\"p\u{e9}ch\u{e9}\":\"is wrong according to French\",\"p\u{ea}che\":\"but canonicalization MUST\",\"sin\":\"ignore locale\"}";
    assert_eq!(canonical(locale.as_bytes()), expected);
}

/// RFC 8785 Appendix B: every IEEE 754 value of the table and its serialisation (NaN and
/// Infinity must be refused). Some are integers beyond 2^53 that the I-JSON validator refuses
/// as input: they are tested at the number level.
const APPENDIX_B: &[(u64, &str)] = &[
    (0x0000000000000000, "0"),
    (0x8000000000000000, "0"),
    (0x0000000000000001, "5e-324"),
    (0x8000000000000001, "-5e-324"),
    (0x7fefffffffffffff, "1.7976931348623157e+308"),
    (0xffefffffffffffff, "-1.7976931348623157e+308"),
    (0x4340000000000000, "9007199254740992"),
    (0xc340000000000000, "-9007199254740992"),
    (0x4430000000000000, "295147905179352830000"),
    (0x44b52d02c7e14af5, "9.999999999999997e+22"),
    (0x44b52d02c7e14af6, "1e+23"),
    (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
    (0x444b1ae4d6e2ef4e, "999999999999999700000"),
    (0x444b1ae4d6e2ef4f, "999999999999999900000"),
    (0x444b1ae4d6e2ef50, "1e+21"),
    (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
    (0x3eb0c6f7a0b5ed8d, "0.000001"),
    (0x41b3de4355555553, "333333333.3333332"),
    (0x41b3de4355555554, "333333333.33333325"),
    (0x41b3de4355555555, "333333333.3333333"),
    (0x41b3de4355555556, "333333333.3333334"),
    (0x41b3de4355555557, "333333333.33333343"),
    (0xbecbf647612f3696, "-0.0000033333333333333333"),
    (0x43143ff3c1cb0959, "1424953923781206.2"),
];

#[test]
fn rfc_8785_appendix_b() {
    for &(bits, expected) in APPENDIX_B {
        let value = f64::from_bits(bits);
        assert_eq!(number(value), expected, "{bits:016x}");
        assert_eq!(ryu_js::Buffer::new().format(value), expected, "{bits:016x}");
    }
    for bits in [
        0x7fffffffffffffff_u64,
        0x7ff0000000000000,
        0xfff0000000000000,
    ] {
        let mut out = Vec::new();
        assert!(matches!(
            write_number(f64::from_bits(bits), &mut out),
            Err(NonFiniteNumber { .. })
        ));
        assert!(out.is_empty());
    }
    // The values a document can hold come through whole documents too.
    for &(bits, expected) in APPENDIX_B {
        let value = f64::from_bits(bits);
        if (9_007_199_254_740_992.0..1e21).contains(&value.abs()) {
            continue;
        }
        let input = format!("[{value:e}]");
        assert_eq!(
            canonical(input.as_bytes()),
            format!("[{expected}]"),
            "{input}"
        );
    }
}

/// ECMAScript's notation thresholds: decimal for 10^-7 ≤ |x| < 10^21.
#[test]
fn notation_thresholds() {
    for (value, expected) in [
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (1e-6, "0.000001"),
        (-1.25e-6, "-0.00000125"),
        (123e18, "123000000000000000000"),
        (1.5, "1.5"),
        (-0.0, "0"),
        (100.0, "100"),
        (0.1, "0.1"),
        (1e300, "1e+300"),
        (-2.5e-300, "-2.5e-300"),
        (f64::MAX, "1.7976931348623157e+308"),
        (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
        // Found by the property tests: ties (exactly halfway between two 17-digit decimals)
        // take the even digit, where Rust's shortest `{:e}` rounds up.
        (1e15 + 0.25, "1000000000000000.2"),
        (7_500_138_275_137_514.0 / 8.0, "937517284392189.2"),
        (
            f64::from_bits(14_041_043_567_572_213_672),
            "-122298885714814.62",
        ),
    ] {
        assert_eq!(number(value), expected, "{value:e}");
        assert_eq!(ryu_js::Buffer::new().format(value), expected, "{value:e}");
    }
}

// ---------------------------------------------------------------------------------------------
// What is refused
// ---------------------------------------------------------------------------------------------

/// A magnitude in [2^53, 10^21) spelt with a fraction or an exponent passes the validator, but
/// its canonical form is an integer literal the validator refuses: canonicalisation refuses
/// it with the error the validator gives for that spelling in the same place.
#[test]
fn unsafe_integers_spelt_otherwise_are_refused() {
    for (input, canonical_spelling) in [
        ("1e20", "100000000000000000000"),
        ("[-9.007199254740992e15]", "[-9007199254740992]"),
        (
            "{\"a\": {\"b/~\": [0, 9007199254740993.0]}}",
            "{\"a\": {\"b/~\": [0, 9007199254740992]}}",
        ),
        (
            "\n [true,\r\n\t 9.99999999999999e20]",
            "\n [true,\r\n\t 999999999999999000000]",
        ),
    ] {
        validate(input.as_bytes(), JsonLimits::default()).unwrap();
        let ours = canonicalize(input.as_bytes(), JsonLimits::default()).unwrap_err();
        let theirs = validate(canonical_spelling.as_bytes(), JsonLimits::default()).unwrap_err();
        assert_eq!(ours, theirs, "{input}");
        assert_eq!(ours.kind(), &JsonErrorKind::IntegerOutOfRange);
    }
    // Just outside: 2^53 - 1 and 10^21.
    assert_eq!(canonical(b"9.007199254740991e15"), "9007199254740991");
    assert_eq!(canonical(b"-1e21"), "-1e+21");
}

/// A refused document leaves `out` as it was; an accepted one is appended.
#[test]
fn write_canonical_appends() {
    let mut out = b"x".to_vec();
    assert!(write_canonical(b"[1,", JsonLimits::default(), &mut out).is_err());
    assert!(write_canonical(b"[1e20]", JsonLimits::default(), &mut out).is_err());
    assert_eq!(out, b"x");
    write_canonical(b" [ 1.0 ] ", JsonLimits::default(), &mut out).unwrap();
    assert_eq!(out, b"x[1]");
}

/// Nesting at the depth limit is written without recursion; the validator's limit errors
/// come through.
#[test]
fn deep_nesting() {
    let limits = JsonLimits::default();
    let depth = limits.max_depth;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(canonical(arrays.as_bytes()), arrays);
    let objects = format!("{}0{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    assert_eq!(canonical(objects.as_bytes()), objects);
    let deeper = format!("[{arrays}]");
    let err = canonicalize(deeper.as_bytes(), limits).unwrap_err();
    assert_eq!(err, validate(deeper.as_bytes(), limits).unwrap_err());
    assert_eq!(err.code(), "depth-limit-exceeded");
}

/// A large object is sorted; names with escapes and without sort together.
#[test]
fn many_members() {
    let mut input = String::from("{");
    let mut names: Vec<String> = (0..2000)
        .map(|i| format!("n{}", (i * 7919) % 2000))
        .collect();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            input.push_str(", ");
        }
        // Every third name spelt with an escape.
        let spelt = if i % 3 == 0 {
            format!("\\u006e{}", &name[1..])
        } else {
            name.clone()
        };
        input.push_str(&format!("\"{spelt}\": {i}"));
    }
    input.push('}');
    let out = canonical(input.as_bytes());
    names.sort();
    let order: Vec<String> = serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    // serde_json's map is ordered by name too (code points = UTF-16 order for ASCII).
    assert_eq!(order, names);
    let listed: Vec<&str> = out
        .trim_matches(['{', '}'])
        .split(',')
        .map(|m| m.split(':').next().unwrap().trim_matches('"'))
        .collect();
    assert_eq!(listed, names);
}

// ---------------------------------------------------------------------------------------------
// A naive reference, and generated documents
// ---------------------------------------------------------------------------------------------

/// RFC 8785 written the obvious way, recursively, from a `serde_json::Value`: keys sorted by
/// `encode_utf16`, numbers by ryu-js.
fn reference(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(ryu_js::Buffer::new().format(n.as_f64().unwrap())),
        Value::String(s) => reference_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                reference(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut names: Vec<&String> = members.keys().collect();
            names.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, name) in names.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                reference_string(name, out);
                out.push(':');
                reference(&members[name], out);
            }
            out.push('}');
        }
    }
}

fn reference_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The same value: numbers compared as doubles (so `1.0` and `1`, `-0` and `0` are equal).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn is_noncharacter(c: char) -> bool {
    let c = c as u32;
    (0xFDD0..=0xFDEF).contains(&c) || c & 0xFFFE == 0xFFFE
}

/// Characters, with the interesting ones often: controls, the escaped ones, C1, U+2028, the
/// private use area that UTF-16 order puts after surrogate pairs, and supplementary ones.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        2 => prop::sample::select(vec![
            'a', 'b', 'Z', '0', '"', '\\', '/', '\u{0}', '\u{8}', '\t', '\n', '\u{c}', '\r',
            '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}', '\u{e9}', '\u{2028}', '\u{20ac}',
            '\u{e000}', '\u{fb33}', '\u{ff61}', '\u{fffd}', '\u{10000}', '\u{1f600}',
            '\u{10fffd}',
        ]),
    ]
    .prop_map(|c| if is_noncharacter(c) { 'x' } else { c })
}

fn any_string() -> impl Strategy<Value = String> {
    prop::collection::vec(any_char(), 0..6).prop_map(String::from_iter)
}

/// Whether a double can be in an accepted document with an accepted canonical form.
fn holdable(v: f64) -> bool {
    v.is_finite() && !(9_007_199_254_740_992.0..1e21).contains(&v.abs())
}

fn any_double() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        (-1_000_000i64..1_000_000).prop_map(|i| i as f64 / 1000.0),
        (-20i32..30).prop_map(|e| 10f64.powi(e)),
        Just(-0.0),
        Just(5e-324),
        Just(f64::MAX),
        Just(9_007_199_254_740_991.0),
    ]
    .prop_map(|v| if holdable(v) { v } else { 0.5 })
}

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any_double().prop_map(Value::from),
        (-(1i64 << 53) + 1..1i64 << 53).prop_map(Value::from),
        any_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((any_string(), inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Writes `value` with spellings chosen by `choices`: whitespace between tokens, literal or
/// escaped characters (short escapes, `\u` in either case, surrogate pairs), numbers as
/// integers, in exponent form with `E`, `e+`, extra zeros.
fn noisy(value: &Value, choices: &[u8], at: &mut usize, out: &mut String) {
    let pick = |at: &mut usize, n: u8| {
        let c = choices[*at % choices.len()];
        *at += 1;
        c % n
    };
    let ws = |out: &mut String, c: u8| {
        out.push_str(["", " ", "\n", "\r\n\t", "\r", "  "][c as usize]);
    };
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let v = n.as_f64().unwrap();
            let text = match pick(at, 5) {
                0 if v.fract() == 0.0 && v.abs() < 9e15 => format!("{}", v as i64),
                1 => format!("{v:E}"),
                2 => {
                    let e = format!("{v:e}");
                    let (m, x) = e.split_once('e').unwrap();
                    let m = if m.contains('.') {
                        format!("{m}00")
                    } else {
                        format!("{m}.000")
                    };
                    let x = if x.starts_with('-') {
                        x.to_owned()
                    } else {
                        format!("+{x}")
                    };
                    format!("{m}e{x}")
                }
                3 => format!("{v:?}"),
                _ => serde_json::to_string(&v).unwrap(),
            };
            out.push_str(&text);
        }
        Value::String(s) => {
            out.push('"');
            for c in s.chars() {
                let short = match c {
                    '"' => Some("\\\""),
                    '\\' => Some("\\\\"),
                    '/' => Some("\\/"),
                    '\u{8}' => Some("\\b"),
                    '\t' => Some("\\t"),
                    '\n' => Some("\\n"),
                    '\u{c}' => Some("\\f"),
                    '\r' => Some("\\r"),
                    _ => None,
                };
                let must_escape = (c as u32) < 0x20 || c == '"' || c == '\\';
                match pick(at, 3) {
                    0 if !must_escape => out.push(c),
                    1 if short.is_some() => out.push_str(short.unwrap()),
                    choice => {
                        let mut units = [0u16; 2];
                        for unit in c.encode_utf16(&mut units) {
                            if choice == 2 {
                                out.push_str(&format!("\\u{unit:04X}"));
                            } else {
                                out.push_str(&format!("\\u{unit:04x}"));
                            }
                        }
                    }
                }
            }
            out.push('"');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(out, pick(at, 6));
                noisy(item, choices, at, out);
                ws(out, pick(at, 6));
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            // Members in an order of their own.
            let mut list: Vec<(&String, &Value)> = members.iter().collect();
            let rotate = usize::from(pick(at, 8)) % list.len().max(1);
            list.rotate_left(rotate);
            if pick(at, 2) == 1 {
                list.reverse();
            }
            for (i, (name, item)) in list.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(out, pick(at, 6));
                noisy(&Value::String(name.clone()), choices, at, out);
                ws(out, pick(at, 6));
                out.push(':');
                ws(out, pick(at, 6));
                noisy(item, choices, at, out);
            }
            ws(out, pick(at, 6));
            out.push('}');
        }
    }
}

/// Collects each object's member names in document order.
#[derive(Default)]
struct Names {
    open: Vec<Option<Vec<String>>>,
    objects: Vec<Vec<String>>,
}

impl Visitor for Names {
    fn token(&mut self, token: &Token<'_>, _: u64) {
        match *token {
            Token::StartObject => self.open.push(Some(Vec::new())),
            Token::StartArray => self.open.push(None),
            Token::EndObject | Token::EndArray => {
                if let Some(Some(names)) = self.open.pop() {
                    self.objects.push(names);
                }
            }
            Token::Name(s) => {
                if let Some(Some(names)) = self.open.last_mut() {
                    names.push(s.value().into_owned());
                }
            }
            _ => {}
        }
    }
}

/// Canonical output of a document that holds `value`: the reference bytes, accepted by the
/// validator and serde_json with the same value, a fixed point, every object's names in
/// UTF-16 order.
fn check_document(value: &Value, input: &[u8]) -> Result<(), TestCaseError> {
    let limits = JsonLimits::default();
    let out = canonicalize(input, limits)
        .map_err(|e| TestCaseError::fail(format!("{e}: {}", String::from_utf8_lossy(input))))?;
    let mut expected = String::new();
    reference(value, &mut expected);
    prop_assert_eq!(String::from_utf8(out.clone()).unwrap(), expected);
    // The documented bound on growth.
    prop_assert!(out.len() <= 4 * input.len());

    let mut names = Names::default();
    validate_with(&out, limits, &mut names).unwrap();
    let reparsed: Value = serde_json::from_slice(&out).unwrap();
    prop_assert!(same(value, &reparsed), "{value:?} vs {reparsed:?}");
    prop_assert_eq!(canonicalize(&out, limits).unwrap(), out);
    for object in names.objects {
        let mut sorted = object.clone();
        sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        prop_assert_eq!(object, sorted);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Every finite double, as ECMAScript writes it (ryu-js), and back to the same double.
    #[test]
    fn numbers_are_ecmascript(bits in any::<u64>()) {
        let value = f64::from_bits(bits);
        prop_assume!(value.is_finite());
        let ours = number(value);
        let mut reference = ryu_js::Buffer::new();
        prop_assert_eq!(ours.as_str(), reference.format(value));
        let back: f64 = ours.parse().unwrap();
        prop_assert!(back == value, "{} reads back as {}", ours, back);
    }

    /// Ties: doubles exactly halfway between two shortest candidates (a fraction of a few bits
    /// on a 16-digit integer part, as Appendix B's 1424953923781206.25), where ECMAScript takes
    /// the even digit.
    #[test]
    fn numbers_on_ties(mantissa in (1u64 << 52)..(1u64 << 53), shift in 1i32..12, negative in any::<bool>()) {
        let value = mantissa as f64 / 2f64.powi(shift);
        let value = if negative { -value } else { value };
        let ours = number(value);
        let mut reference = ryu_js::Buffer::new();
        prop_assert_eq!(ours.as_str(), reference.format(value));
    }

    /// Around powers of ten and the notation thresholds, where digit choices are hardest.
    #[test]
    fn numbers_near_powers_of_ten(e in -330i32..310, ulps in -3i64..=3, negative in any::<bool>()) {
        let base = format!("1e{e}").parse::<f64>().unwrap();
        prop_assume!(base.is_finite() && base != 0.0);
        let value = f64::from_bits((base.to_bits() as i64 + ulps) as u64);
        let value = if negative { -value } else { value };
        prop_assume!(value.is_finite());
        let ours = number(value);
        let mut reference = ryu_js::Buffer::new();
        prop_assert_eq!(ours.as_str(), reference.format(value));
    }
}

/// A number as a person or a program might spell it: a sign, an integer part (`0` or up to 22
/// digits), a fraction of up to 22 digits (leading and trailing zeros likely), an exponent of
/// up to four digits in either case and with either sign.
fn any_spelling() -> impl Strategy<Value = String> {
    let digits = |max: usize| {
        prop::collection::vec(prop::sample::select(b"0000123456789".to_vec()), 0..=max)
    };
    (
        any::<bool>(),
        prop::option::of(digits(22)),
        prop::option::of(digits(22)),
        prop::option::of((
            prop::sample::select(vec!["e", "E", "e+", "e-", "E-"]),
            1u32..=4,
            any::<u16>(),
        )),
    )
        .prop_map(|(negative, int, fraction, exponent)| {
            let mut s = String::new();
            if negative {
                s.push('-');
            }
            match int.map(|d| {
                String::from_utf8(d)
                    .unwrap()
                    .trim_start_matches('0')
                    .to_owned()
            }) {
                Some(d) if !d.is_empty() => s.push_str(&d),
                _ => s.push('0'),
            }
            if let Some(f) = fraction.filter(|f| !f.is_empty()) {
                s.push('.');
                s.push_str(std::str::from_utf8(&f).unwrap());
            }
            if let Some((mark, width, value)) = exponent {
                let e = u32::from(value) % 10u32.pow(width);
                s.push_str(mark);
                s.push_str(&format!("{e:0width$}", width = width as usize));
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8192, ..ProptestConfig::default() })]

    /// Any spelling of a number is written as ECMAScript writes its double (ryu-js over the
    /// correctly rounded value): those of up to 15 significant digits from their own digits,
    /// the others through the double. What the validator or the rebuild refuses (beyond a
    /// double; an integer that a double does not hold exactly) is refused as they say.
    #[test]
    fn spellings_are_ecmascript(spelling in any_spelling()) {
        let input = format!("[{spelling}]");
        let value: f64 = spelling.parse().unwrap();
        let unsafe_integer = (9_007_199_254_740_992.0..1e21).contains(&value.abs());
        match canonicalize(input.as_bytes(), JsonLimits::default()) {
            Ok(out) => {
                prop_assert!(value.is_finite() && !unsafe_integer, "{} accepted", spelling);
                let mut reference = ryu_js::Buffer::new();
                let expected = format!("[{}]", reference.format(value));
                prop_assert_eq!(String::from_utf8(out).unwrap(), expected, "{}", spelling);
            }
            Err(e) => {
                prop_assert!(
                    !value.is_finite() || unsafe_integer || validate(input.as_bytes(), JsonLimits::default()).is_err(),
                    "{} refused: {}", spelling, e
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Generated documents written compact and pretty by serde_json.
    #[test]
    fn serde_json_documents(value in any_value()) {
        check_document(&value, &serde_json::to_vec(&value).unwrap())?;
        check_document(&value, &serde_json::to_vec_pretty(&value).unwrap())?;
    }

    /// The same documents with whitespace, escapes, number spellings and member order varied:
    /// one canonical form for all.
    #[test]
    fn spellings_do_not_survive(value in any_value(), choices in prop::collection::vec(any::<u8>(), 1..64)) {
        let mut input = String::new();
        noisy(&value, &choices, &mut 0, &mut input);
        check_document(&value, input.as_bytes())?;
    }

    /// Damaged documents: whatever the validator refuses, canonicalisation refuses with the
    /// same error; what it accepts is canonical on a second pass.
    #[test]
    fn errors_are_the_validators(
        value in any_value(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4),
    ) {
        let mut bytes = serde_json::to_vec(&value).unwrap();
        for (index, byte, kind) in edits {
            let at = index.index(bytes.len() + 1);
            match kind {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => bytes[at] = byte,
                _ if at < bytes.len() => { bytes.remove(at); }
                _ => bytes.push(byte),
            }
        }
        let limits = JsonLimits::default();
        match validate(&bytes, limits) {
            Err(e) => prop_assert_eq!(canonicalize(&bytes, limits).unwrap_err(), e),
            Ok(_) => match canonicalize(&bytes, limits) {
                Ok(out) => prop_assert_eq!(canonicalize(&out, limits).unwrap(), out),
                Err(e) => prop_assert_eq!(e.kind(), &JsonErrorKind::IntegerOutOfRange),
            },
        }
        crossguard::fuzzing::json_canonical(&bytes);
    }

    /// Arbitrary bytes: the fuzz oracle's invariants.
    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let limits = JsonLimits::default();
        if let Err(e) = validate(&bytes, limits) {
            prop_assert_eq!(canonicalize(&bytes, limits).unwrap_err(), e);
        }
        crossguard::fuzzing::json_canonical(&bytes);
    }

    /// Values in [2^53, 10^21) spelt with an exponent are refused where the validator would
    /// refuse their canonical spelling.
    #[test]
    fn unsafe_integers_are_refused(bits in 0x4340000000000000u64..0x444b1ae4d6e2ef50, negative in any::<bool>()) {
        let value = f64::from_bits(bits);
        let value = if negative { -value } else { value };
        let input = format!("[0, {value:e}]");
        let spelt = format!("[0, {}]", number(value));
        let limits = JsonLimits::default();
        validate(input.as_bytes(), limits).unwrap();
        prop_assert_eq!(
            canonicalize(input.as_bytes(), limits).unwrap_err(),
            validate(spelt.as_bytes(), limits).unwrap_err()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The corpus, through the fuzz oracle
// ---------------------------------------------------------------------------------------------

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            corpus_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Every file of `tests/data/json` (valid and invalid) through the `json_canonical` oracle,
/// and through `canonicalize` under the corpus limits: valid files are canonicalised (a fixed
/// point, the same value), or refused for a number whose canonical spelling the validator
/// refuses; invalid ones are refused with the validator's error.
#[test]
fn corpus_through_the_oracle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/json");
    let mut files = Vec::new();
    corpus_files(&root, &mut files);
    files.sort();
    assert!(files.len() >= 100, "{}", files.len());
    // The limits stated in tests/data/json/README.md.
    let limits = JsonLimits {
        max_input_bytes: 65_536,
        max_depth: 16,
        max_string_bytes: 1024,
        max_number_bytes: 64,
        max_members: 32,
        max_name_bytes: 2048,
    };
    let (mut valid, mut invalid, mut refused) = (0, 0, Vec::new());
    for path in files {
        let bytes = fs::read(&path).unwrap();
        crossguard::fuzzing::json_canonical(&bytes);
        match validate(&bytes, limits) {
            Ok(_) => match canonicalize(&bytes, limits) {
                Ok(out) => {
                    assert_eq!(
                        canonicalize(&out, limits).unwrap(),
                        out,
                        "{}",
                        path.display()
                    );
                    let theirs: Value = serde_json::from_slice(&bytes).unwrap();
                    let ours: Value = serde_json::from_slice(&out).unwrap();
                    assert!(same(&theirs, &ours), "{}", path.display());
                    valid += 1;
                }
                // The documented refusal (checked in detail by the oracle above).
                Err(e) if e.kind() == &JsonErrorKind::IntegerOutOfRange => {
                    refused.push(path.file_name().unwrap().to_string_lossy().into_owned());
                }
                Err(e) => panic!("{}: {e}", path.display()),
            },
            Err(e) => {
                assert_eq!(
                    canonicalize(&bytes, limits).unwrap_err(),
                    e,
                    "{}",
                    path.display()
                );
                invalid += 1;
            }
        }
    }
    assert!(
        valid >= 40 && invalid >= 40,
        "{valid} valid, {invalid} invalid"
    );
    // Valid files with a value in [2^53, 10^21) spelt with an exponent.
    assert_eq!(
        refused,
        [
            "number-17-significant-digits-with-zeros.json",
            "number-large-with-exponent.json"
        ]
    );
}
