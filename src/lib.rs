//! # crossguard
//!
//! The decision core of a cross-domain guard: for every object that tries to cross from one
//! security domain to another, decide whether it may, and record why. This release holds the
//! foundation every later layer stands on: a strict, bounded, zero-copy XML 1.0 + Namespaces
//! parser ([`xml`]), its canonical writer, and the named limits ([`limits`]) and error vocabulary
//! ([`error`]) shared by all layers.
//!
//! ## Security posture
//! - `#![forbid(unsafe_code)]`; library code denies `unwrap`, `expect`, `panic!`, unchecked
//!   indexing and unchecked arithmetic (see the lint table in `Cargo.toml`).
//! - Strict by default: a document is accepted only if it is well-formed; no DTDs, no external
//!   entities, no encodings other than UTF-8 (and declared US-ASCII), ever.
//! - Every size that input controls is bounded by a named limit with its own error.
//! - Every parser is fuzzed (`fuzz/`) and differentially tested against `roxmltree`.
//!
//! ## Validate a document
//! ```
//! use crossguard::xml::{Reader, XmlErrorKind};
//! assert_eq!(Reader::new(b"<a><b/></a>").validate()?, 2);
//! let err = Reader::new(b"<!DOCTYPE a [<!ENTITY x 'y'>]><a/>").validate().unwrap_err();
//! assert_eq!(err.kind(), &XmlErrorKind::DoctypeForbidden);
//! assert_eq!((err.line(), err.column()), (1, 1));
//! # Ok::<(), crossguard::xml::XmlError>(())
//! ```
//!
//! ## Read a tree and write its canonical form
//! ```
//! use crossguard::xml::{canonical, Comments, Document};
//! let input = br#"<s:label xmlns:s="urn:example:label"><s:class>SECRET</s:class></s:label>"#;
//! let doc = Document::parse(input)?;
//! let class = doc.root().child_elements().next().map(|e| e.text());
//! assert_eq!(class, Some(Some("SECRET")));
//! let bytes = canonical(&doc, Comments::Strip);
//! assert_eq!(Document::parse(&bytes)?, doc);
//! # Ok::<(), crossguard::xml::XmlError>(())
//! ```
#![forbid(unsafe_code)]

pub mod der;
pub mod error;
pub mod label;
pub mod limits;
pub mod policy;
pub mod xml;

#[doc(hidden)]
pub mod fuzzing;

pub use error::{Error, Fault};
