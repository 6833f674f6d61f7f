//! The JSON Schema subset ([`crate::json::schema`]): its fuzz oracle, and the naive reference
//! evaluator the oracle and `tests/json_schema.rs` compare it with.
//!
//! The reference is deliberately simple: it reads the schema with serde_json into a
//! `serde_json::Value` and the document into an [`Instance`] tree, and walks both recursively,
//! allocating freely. The document is not read into a `serde_json::Value` because, without
//! serde_json's `preserve_order` feature, a `Value` keeps an object's members sorted by name,
//! and the first violation depends on their order in the document. The reference uses the
//! same regex engine and limits (there is one regex-lite), on the pattern rewritten to
//! ECMA-262's reading by the module's `json::pattern::ecma_pattern` (whose own tests check
//! that reading against ECMA's), nothing else of the module.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::json::schema::{
    Schema, SchemaFailure, SchemaValidator, MAX_SCHEMA_BYTES, MAX_SCHEMA_DEPTH,
    MAX_SCHEMA_ENUM_VALUES, MAX_SCHEMA_JSON_DEPTH, MAX_SCHEMA_NODES, MAX_SCHEMA_PATTERNS,
    MAX_SCHEMA_PATTERN_BYTES, MAX_SCHEMA_PATTERN_NESTING, MAX_SCHEMA_PATTERN_PROGRAM_BYTES,
};
use crate::json::JsonValidator;
use crate::limits::JsonLimits;

/// A JSON value with its object members in document order.
#[derive(Clone, Debug, PartialEq)]
pub enum Instance {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as the nearest double.
    Number(f64),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Instance>),
    /// An object's members, in document order.
    Object(Vec<(String, Instance)>),
}

impl<'de> Deserialize<'de> for Instance {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(InstanceVisitor)
    }
}

struct InstanceVisitor;

impl<'de> Visitor<'de> for InstanceVisitor {
    type Value = Instance;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Instance, E> {
        Ok(Instance::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Instance, E> {
        Ok(Instance::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Instance, E> {
        Ok(Instance::Number(v.to_string().parse().unwrap_or(f64::NAN)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Instance, E> {
        Ok(Instance::Number(v.to_string().parse().unwrap_or(f64::NAN)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Instance, E> {
        Ok(Instance::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Instance, E> {
        Ok(Instance::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Instance, E> {
        Ok(Instance::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Instance, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Instance::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Instance, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry()? {
            members.push(member);
        }
        Ok(Instance::Object(members))
    }
}

/// The JSON limits the schema module reads schemas under.
pub fn schema_json_limits() -> JsonLimits {
    JsonLimits {
        max_input_bytes: u64::try_from(MAX_SCHEMA_BYTES).unwrap_or(u64::MAX),
        max_depth: MAX_SCHEMA_JSON_DEPTH,
        ..JsonLimits::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The reference compiler: accept or refuse, nothing more.
// ---------------------------------------------------------------------------------------------

/// Whether the reference accepts a schema the strict validator read as I-JSON under
/// [`schema_json_limits`] (the caller checks that; `schema` is what serde_json read).
pub fn reference_compiles(schema: &Value) -> bool {
    let mut budget = Budget::default();
    accepts(schema, 0, &mut budget) && budget.nodes <= MAX_SCHEMA_NODES
}

#[derive(Default)]
struct Budget {
    nodes: usize,
    patterns: usize,
}

const TYPES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "integer", "string",
];

fn accepts(schema: &Value, depth: usize, budget: &mut Budget) -> bool {
    budget.nodes = budget.nodes.saturating_add(1);
    if depth > MAX_SCHEMA_DEPTH {
        return false;
    }
    let map = match schema {
        Value::Bool(_) => return true,
        Value::Object(map) => map,
        _ => return false,
    };
    let child = depth.saturating_add(1);
    map.iter().all(|(keyword, value)| match keyword.as_str() {
        "$schema" | "$id" | "title" | "description" | "$comment" | "examples" | "default" => true,
        "type" => match value {
            Value::String(s) => TYPES.contains(&s.as_str()),
            Value::Array(names) => {
                let mut seen: Vec<&str> = Vec::new();
                !names.is_empty()
                    && names.iter().all(|n| match n.as_str() {
                        Some(s) if TYPES.contains(&s) && !seen.contains(&s) => {
                            seen.push(s);
                            true
                        }
                        _ => false,
                    })
            }
            _ => false,
        },
        "properties" => value
            .as_object()
            .is_some_and(|p| p.values().all(|s| accepts(s, child, budget))),
        "required" => value.as_array().is_some_and(|names| {
            let mut seen: Vec<&str> = Vec::new();
            names.iter().all(|n| match n.as_str() {
                Some(s) if !seen.contains(&s) => {
                    seen.push(s);
                    true
                }
                _ => false,
            })
        }),
        "additionalProperties" => accepts(value, child, budget),
        "items" => !value.is_array() && accepts(value, child, budget),
        "enum" => value.as_array().is_some_and(|values| {
            !values.is_empty()
                && values.len() <= MAX_SCHEMA_ENUM_VALUES
                && values.iter().all(|v| !v.is_array() && !v.is_object())
        }),
        "const" => !value.is_array() && !value.is_object(),
        "minLength" | "maxLength" | "minItems" | "maxItems" => count(value).is_some(),
        "minimum" | "maximum" => value.is_number(),
        "pattern" => {
            budget.patterns = budget.patterns.saturating_add(1);
            value.as_str().is_some_and(|p| {
                p.len() <= MAX_SCHEMA_PATTERN_BYTES
                    && budget.patterns <= MAX_SCHEMA_PATTERNS
                    && regex(p).is_some()
            })
        }
        _ => false,
    })
}

fn regex(pattern: &str) -> Option<regex_lite::Regex> {
    let pattern = crate::json::pattern::ecma_pattern(pattern).ok()?;
    regex_lite::RegexBuilder::new(&pattern)
        .size_limit(MAX_SCHEMA_PATTERN_PROGRAM_BYTES)
        .nest_limit(MAX_SCHEMA_PATTERN_NESTING)
        .build()
        .ok()
}

/// A non-negative integer value, saturated at `u64::MAX`.
fn count(value: &Value) -> Option<u64> {
    let n = value.as_f64()?;
    if n < 0.0 || n.fract() != 0.0 {
        return None;
    }
    if n == 0.0 {
        // `-0` is zero (its `{:.0}` spelling, "-0", is not a `u64`).
        return Some(0);
    }
    Some(format!("{n:.0}").parse().unwrap_or(u64::MAX))
}

// ---------------------------------------------------------------------------------------------
// The reference evaluator
// ---------------------------------------------------------------------------------------------

/// The first violation of `schema` (a schema that compiles) by `doc`, in document order: its
/// code and JSON Pointer.
pub fn reference_violation(schema: &Value, doc: &Instance) -> Option<(&'static str, String)> {
    let mut path = Vec::new();
    evaluate(schema, doc, &mut path)
}

fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

fn evaluate(
    schema: &Value,
    doc: &Instance,
    path: &mut Vec<String>,
) -> Option<(&'static str, String)> {
    let here = |code: &'static str, path: &[String]| Some((code, pointer(path)));
    let map = match schema {
        Value::Bool(true) => return None,
        Value::Object(map) => map,
        _ => return here("false-schema", path),
    };
    if let Some(types) = map.get("type") {
        let names: Vec<&str> = match types {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.iter().any(|&n| is_of_type(n, doc)) {
            return here("type-mismatch", path);
        }
    }
    if let Some(constant) = map.get("const") {
        if !equal(constant, doc) {
            return here("const-mismatch", path);
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        if !values.iter().any(|v| equal(v, doc)) {
            return here("enum-mismatch", path);
        }
    }
    let limit = |keyword: &str| map.get(keyword).and_then(count);
    match doc {
        Instance::String(s) => {
            let length = u64::try_from(s.chars().count()).unwrap_or(u64::MAX);
            if limit("minLength").is_some_and(|min| length < min) {
                return here("min-length", path);
            }
            if limit("maxLength").is_some_and(|max| length > max) {
                return here("max-length", path);
            }
            if let Some(pattern) = map.get("pattern").and_then(Value::as_str) {
                if !regex(pattern).is_some_and(|r| r.is_match(s)) {
                    return here("pattern-mismatch", path);
                }
            }
        }
        Instance::Number(n) => {
            let bound = |keyword: &str| map.get(keyword).and_then(Value::as_f64);
            if bound("minimum").is_some_and(|min| *n < min) {
                return here("minimum", path);
            }
            if bound("maximum").is_some_and(|max| *n > max) {
                return here("maximum", path);
            }
        }
        Instance::Array(items) => {
            let items_schema = map.get("items").unwrap_or(&Value::Bool(true));
            for (i, item) in items.iter().enumerate() {
                if limit("maxItems") == u64::try_from(i).ok() {
                    return here("max-items", path);
                }
                path.push(i.to_string());
                let found = evaluate(items_schema, item, path);
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
            let length = u64::try_from(items.len()).unwrap_or(u64::MAX);
            if limit("minItems").is_some_and(|min| length < min) {
                return here("min-items", path);
            }
        }
        Instance::Object(members) => {
            let properties = map.get("properties").and_then(Value::as_object);
            for (name, value) in members {
                path.push(name.clone());
                let found = match properties.and_then(|p| p.get(name)) {
                    Some(s) => evaluate(s, value, path),
                    None => match map.get("additionalProperties") {
                        Some(Value::Bool(false)) => here("additional-property", path),
                        Some(s) => evaluate(s, value, path),
                        None => None,
                    },
                };
                path.pop();
                if found.is_some() {
                    return found;
                }
            }
            let required = map.get("required").and_then(Value::as_array);
            for name in required.into_iter().flatten().filter_map(Value::as_str) {
                if !members.iter().any(|(n, _)| n == name) {
                    return here("required-missing", path);
                }
            }
        }
        Instance::Null | Instance::Bool(_) => {}
    }
    None
}

fn is_of_type(name: &str, doc: &Instance) -> bool {
    matches!(
        (name, doc),
        ("null", Instance::Null)
            | ("boolean", Instance::Bool(_))
            | ("object", Instance::Object(_))
            | ("array", Instance::Array(_))
            | ("number", Instance::Number(_))
            | ("string", Instance::String(_))
    ) || (name == "integer" && matches!(doc, Instance::Number(n) if n.fract() == 0.0))
}

fn equal(literal: &Value, doc: &Instance) -> bool {
    match (literal, doc) {
        (Value::Null, Instance::Null) => true,
        (Value::Bool(a), Instance::Bool(b)) => a == b,
        (Value::Number(a), Instance::Number(b)) => a.as_f64() == Some(*b),
        (Value::String(a), Instance::String(b)) => a == b,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

/// A schema and a document, split at the first `0xFF` byte (which UTF-8 never holds; without
/// one, the input is both): compiling never panics and compiles what the reference compiles;
/// whole, chunked and byte-by-byte evaluation agree; on a valid document the result is the
/// reference's (accepted, or the same first violation's code and pointer).
pub fn json_schema(data: &[u8]) {
    let (schema_bytes, doc) = match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (
            data.get(..at).unwrap_or_default(),
            data.get(at.saturating_add(1)..).unwrap_or_default(),
        ),
        None => (data, data),
    };
    let compiled = Schema::compile(schema_bytes);
    let read = crate::json::validate(schema_bytes, schema_json_limits()).ok();
    let schema_value = read.map(|_| match serde_json::from_slice::<Value>(schema_bytes) {
        Ok(v) => v,
        Err(e) => panic!("serde_json refuses a schema crossguard reads: {e}"),
    });
    match (&compiled, &schema_value) {
        (Ok(_), None) => panic!("compiled a schema that is not I-JSON"),
        (_, Some(value)) => {
            if reference_compiles(value) != compiled.is_ok() {
                panic!("compile and reference disagree: {compiled:?}");
            }
        }
        (Err(_), None) => {}
    }
    let (Ok(schema), Some(schema_value)) = (compiled, schema_value) else {
        return;
    };
    let limits = JsonLimits {
        max_depth: 64,
        ..JsonLimits::default()
    };
    let whole = schema.validate(doc, limits);
    let len = doc.len();
    let mut splits: Vec<Vec<usize>> = [len / 3, len / 2, len.saturating_mul(2) / 3]
        .iter()
        .map(|&p| vec![p])
        .collect();
    if len <= 256 {
        splits.push((1..len).collect());
    }
    for cuts in &splits {
        let chunked = run_chunked(&schema, doc, limits, cuts);
        if chunked != whole {
            panic!("chunked at {cuts:?}: {chunked:?}, whole: {whole:?}");
        }
    }
    let plain = crate::json::validate(doc, limits);
    match (&whole, &plain) {
        (Err(SchemaFailure::Json(e)), Err(p)) if e == p => {}
        (Err(SchemaFailure::Json(e)), _) => panic!("a JSON error not the validator's: {e}"),
        (Ok(()), Err(p)) => panic!("accepted a document the validator refuses: {p}"),
        _ => {}
    }
    if plain.is_err() {
        return;
    }
    let instance = match serde_json::from_slice::<Instance>(doc) {
        Ok(i) => i,
        Err(e) => panic!("serde_json refuses a document crossguard reads: {e}"),
    };
    let expected = reference_violation(&schema_value, &instance);
    let got = match &whole {
        Ok(()) => None,
        Err(SchemaFailure::Violation(v)) => Some((v.code(), v.pointer().to_owned())),
        Err(e) => panic!("unexpected failure on a valid document: {e}"),
    };
    if got != expected {
        panic!("streaming {got:?} vs reference {expected:?}: {whole:?}");
    }
}

/// The document fed in pieces cut at `cuts`, through the visitor interface (the tokens of
/// strings that span pieces are dropped when not asked for).
pub fn run_chunked(
    schema: &Schema,
    doc: &[u8],
    limits: JsonLimits,
    cuts: &[usize],
) -> Result<(), SchemaFailure> {
    let mut json = JsonValidator::new(limits);
    let mut check = SchemaValidator::new(schema);
    let mut at = 0usize;
    for &p in cuts.iter().chain(core::iter::once(&doc.len())) {
        let piece = doc.get(at..p).unwrap_or_default();
        at = p;
        let fed = json.feed_with(piece, &mut check);
        if let Some(v) = check.violation() {
            return Err(v.clone().into());
        }
        fed?;
    }
    let end = json.finish_with(&mut check);
    if let Some(v) = check.violation() {
        return Err(v.clone().into());
    }
    end?;
    check.finish().map_err(SchemaFailure::from)
}
