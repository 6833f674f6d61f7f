//! Fuzz oracle for [`crate::json::canonical`].

use serde_json::Value;

use super::ValueBuilder;
use crate::json::canonical::canonicalize;
use crate::json::{validate_with, JsonError, Token, Visitor};
use crate::limits::JsonLimits;

/// Arbitrary bytes through RFC 8785 canonicalisation, under the default limits (depth below
/// serde_json's recursion limit) and small ones: never a panic; what the validator refuses,
/// canonicalisation refuses with the same error; what it accepts is canonicalised (or refused
/// for a number whose canonical spelling the validator refuses, checked here), and the output
/// is accepted, holds the same value (numbers compared as doubles), has every object's names
/// in UTF-16 order, and is its own canonical form.
pub fn json_canonical(data: &[u8]) {
    let small = super::small_json_limits();
    for limits in [
        JsonLimits {
            max_depth: 100,
            ..JsonLimits::default()
        },
        small,
    ] {
        check(data, limits);
    }
}

fn check(data: &[u8], limits: JsonLimits) {
    let mut original = ValueBuilder {
        doubles: true,
        ..ValueBuilder::default()
    };
    let validated = validate_with(data, limits, &mut original);
    let canonical = canonicalize(data, limits);
    let output = match (validated, canonical) {
        (Err(v), Err(c)) if v == c => return,
        (Err(v), c) => panic!("the validator refuses ({v}) but canonicalize gives {c:?}"),
        (Ok(_), Err(c)) => {
            if !unsafe_integer_at(data, &c) {
                panic!("canonicalize refuses what the validator accepts: {c}");
            }
            return;
        }
        (Ok(_), Ok(output)) => output,
    };
    // The output may be longer than the input and spell numbers longer (`9e15`): the limits
    // that do not grow are kept.
    let relaxed = JsonLimits {
        max_input_bytes: u64::MAX,
        max_number_bytes: limits.max_number_bytes.max(32),
        ..limits
    };
    let mut again = ValueBuilder {
        doubles: true,
        ..ValueBuilder::default()
    };
    let mut order = NameOrder::default();
    if let Err(e) = validate_with(&output, relaxed, &mut again) {
        panic!(
            "canonical output refused: {e}\n{}",
            String::from_utf8_lossy(&output)
        );
    }
    if original.done != again.done {
        panic!(
            "canonicalisation changed the value:\n{:?}\n{:?}",
            original.done, again.done
        );
    }
    if let Err(e) = serde_json::from_slice::<Value>(&output) {
        panic!("serde_json refuses canonical output: {e}");
    }
    let _ = validate_with(&output, relaxed, &mut order);
    if let Some(names) = order.unsorted {
        panic!("members out of UTF-16 order: {names:?}");
    }
    match canonicalize(&output, relaxed) {
        Ok(second) if second == output => {}
        second => panic!(
            "canonical form is not a fixed point:\n{}\n{second:?}",
            String::from_utf8_lossy(&output)
        ),
    }
}

/// Whether `error` is the documented refusal: integer-out-of-range at a number the validator
/// accepted whose magnitude is in [2^53, 10^21) (its canonical form is an integer literal).
fn unsafe_integer_at(data: &[u8], error: &JsonError) -> bool {
    let at = usize::try_from(error.offset()).unwrap_or(usize::MAX);
    let lexeme: Vec<u8> = data
        .get(at..)
        .unwrap_or_default()
        .iter()
        .copied()
        .take_while(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        .collect();
    let value: Option<f64> = core::str::from_utf8(&lexeme)
        .ok()
        .and_then(|s| s.parse().ok());
    error.code() == "integer-out-of-range"
        && value.is_some_and(|v| (9_007_199_254_740_992.0..1e21).contains(&v.abs()))
}

/// Finds the first object whose member names are not in strictly increasing UTF-16 order.
#[derive(Debug, Default)]
struct NameOrder {
    /// Per open container: the previous name (objects with a name read), else `None`.
    stack: Vec<Option<Vec<u16>>>,
    unsorted: Option<(String, String)>,
}

impl Visitor for NameOrder {
    fn token(&mut self, token: &Token<'_>, _: u64) {
        match *token {
            Token::StartObject | Token::StartArray => self.stack.push(None),
            Token::EndObject | Token::EndArray => {
                self.stack.pop();
            }
            Token::Name(s) => {
                let name: Vec<u16> = s.value().encode_utf16().collect();
                if let Some(previous) = self.stack.last_mut() {
                    if let Some(before) = previous.as_ref().filter(|before| **before >= name) {
                        if self.unsorted.is_none() {
                            self.unsorted = Some((
                                String::from_utf16_lossy(before),
                                String::from_utf16_lossy(&name),
                            ));
                        }
                    }
                    *previous = Some(name);
                }
            }
            _ => {}
        }
    }
}
