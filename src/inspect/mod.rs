//! Content inspection (issue 5): the checks the guard's content stage runs on an object after
//! its label and flow have passed — that it is what it claims to be and holds nothing it should
//! not.
//!
//! Built so far, each streaming (chunks of any size, state carried across boundaries, memory
//! bounded by named limits):
//! - [`text`]: UTF-8, control characters, bidirectional controls, line length;
//! - strict JSON: [`crate::json`] (RFC 8259 + I-JSON).
//!
//! To come (issue 5): true-type detection, per-flow inspector lists in the guard
//! configuration, JSON structural rules, forbidden words, embedded markings and canonical
//! rewriting (CDR).

pub mod detect;
pub mod markings;
pub mod scan;
pub mod text;
pub mod words;
