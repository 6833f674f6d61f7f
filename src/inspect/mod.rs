//! Content inspection (issue 5): the checks the guard's content stage runs on an object after
//! its label and flow have passed — that it is what it claims to be and holds nothing it should
//! not.
//!
//! Each inspector is a module here or in [`crate::json`]; the guard runs them per flow, in the
//! flow's order (`docs/inspection.md`):
//! - [`detect`]: the true type from the bytes;
//! - [`text`] and [`crate::json`]: strict formats, streaming (chunks of any size, state carried
//!   across boundaries, memory bounded by named limits); XML through [`crate::xml`];
//! - [`crate::json::schema`]: a JSON Schema subset evaluated on the streamed tokens;
//! - [`words`]: forbidden words and phrases, robust to the usual evasions;
//! - [`markings`]: classification markings in the content, compared with the label;
//! - [`scan`]: what a person reads in text, JSON and XML, fed to the matchers in one pass;
//! - CDR: [`crate::json::canonical`], [`crate::xml::canonical`], [`text::normalize_text`].

pub mod detect;
pub mod markings;
pub mod scan;
pub mod text;
pub mod words;
