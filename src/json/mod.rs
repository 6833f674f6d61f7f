//! Strict JSON: RFC 8259 and the I-JSON profile (RFC 7493), validated in one pass over chunks.
//!
//! What is refused, each with its own [`JsonErrorKind`] and the byte offset, line, column and
//! JSON Pointer of the fault:
//! - anything RFC 8259 forbids (trailing commas, single quotes, comments, `NaN`, leading
//!   zeros, unescaped control characters, bad escapes, content after the top-level value);
//! - bytes that are not UTF-8, and a byte order mark;
//! - the I-JSON rules: a member name repeated in one object (compared after unescaping),
//!   surrogate escapes without their pair, Unicode noncharacters, and numbers a double cannot
//!   hold (magnitude, integers beyond ±(2^53-1), more than 17 significant digits; see
//!   [`number`](self) for the reading taken);
//! - documents beyond the named limits of [`crate::limits::JsonLimits`].
//!
//! Any top-level value is accepted (RFC 8259 §2); RFC 7493 §4.1 only recommends an object or
//! an array, and a schema (issue 5's structural rules) can require one.
//!
//! [`JsonValidator`] reads a document in chunks of any size: its memory is bounded by the
//! limits (open containers, the member names of open objects, one string or number that spans
//! chunks), never by the document. [`validate`] reads a whole buffer. Both hand the tokens to a
//! [`Visitor`]: borrowed from the input when a token lies within one chunk (zero-copy), from
//! the validator's buffer when it spans chunks; strings are unescaped only when asked
//! ([`JsonStr::value`]).
//!
//! ```
//! use crossguard::json::{validate, JsonErrorKind};
//! use crossguard::limits::JsonLimits;
//! let stats = validate(br#"{"id": 7, "tags": ["a", "b"]}"#, JsonLimits::default())?;
//! assert_eq!((stats.values, stats.max_depth), (5, 2));
//! let err = validate(b"{\"n\": 1e400}", JsonLimits::default()).unwrap_err();
//! assert_eq!(err.kind(), &JsonErrorKind::NumberOutOfRange);
//! assert_eq!((err.line(), err.column(), err.pointer()), (1, 7, "/n"));
//! # Ok::<(), crossguard::json::JsonError>(())
//! ```

pub mod canonical;
mod error;
mod number;
pub(crate) mod pattern;
mod scan;
pub mod schema;

pub use error::{JsonError, JsonErrorKind, JsonLimit};
pub(crate) use scan::{hex4, hex_digits, surrogate_pair};
pub use scan::{Ignore, JsonNumber, JsonStats, JsonStr, JsonValidator, Token, Visitor};

use crate::limits::JsonLimits;

/// Validates a whole document.
pub fn validate(bytes: &[u8], limits: JsonLimits) -> Result<JsonStats, JsonError> {
    validate_with(bytes, limits, &mut Ignore)
}

/// Validates a whole document, handing its tokens (borrowed from `bytes`) to `visitor`.
pub fn validate_with<V: Visitor + ?Sized>(
    bytes: &[u8],
    limits: JsonLimits,
    visitor: &mut V,
) -> Result<JsonStats, JsonError> {
    let mut validator = JsonValidator::new(limits);
    validator.feed_with(bytes, visitor)?;
    validator.finish_with(visitor)
}
