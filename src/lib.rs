//! # crossguard
//!
//! The decision core of a cross-domain guard: for every object that tries to cross from one
//! security domain to another, decide whether it may, and record why. This release holds:
//! - [`guard`]: the guard built from a TOML configuration ([`guard::GuardConfig`]) and its
//!   fixed pipeline flow → label → access → content → verdict → audit ([`guard::Guard::check`]);
//! - [`flow`]: domains with interface clearances and the directed one-way flows between them;
//! - [`audit`]: audit records in an HMAC-SHA256 chain with checkpoints, sinks, and
//!   verification that finds modified, deleted, reordered and truncated records;
//! - [`policy`]: security policies compiled from Open XML SPIF files (2.1, 2.0, 1.0);
//! - [`label`]: STANAG 4774 XML labels and clearances, ESS (RFC 2634) labels, X.509 Clearance
//!   attributes and certificates, validation against the policy, the access decision (ACDF),
//!   dominance and join, equivalence mapping, display markings;
//! - [`der`] and [`xml`]: the strict, bounded, zero-copy parsers underneath (XML 1.0 +
//!   Namespaces with a canonical writer; DER);
//! - the named limits ([`limits`]) and error vocabulary ([`error`]) shared by all layers.
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
//!
//! ## Decide whether a clearance may see a label
//! ```
//! use crossguard::label::{compile_clearance, decide, read_clearance_xml, read_label_xml};
//! use crossguard::label::{render_marking, validate, Access, Strictness, Timestamp};
//! use crossguard::policy::{MarkingCode, PolicySet};
//! let policies = PolicySet::embedded()?; // the NATO-like demo and XLAND test policies
//! let read = read_label_xml(include_bytes!("../tests/data/label/table17-4.xml"), Strictness::Strict)?;
//! let label = validate(&policies, &read.label.body.information, Timestamp::now(), read.warnings)?;
//! assert_eq!(
//!     render_marking(&label, MarkingCode::PageTopBottom, "en"),
//!     "NATO RESTRICTED Releasable to Japan, Switzerland, Ukraine"
//! );
//! let samoa = read_clearance_xml(include_bytes!("../tests/data/clearance-xml/samoa-like.xml"))?;
//! let samoa = compile_clearance(&policies, &samoa)?;
//! assert_eq!(decide(&label, &samoa), Access::Denied); // Samoa is not in "Releasable To"
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod audit;
pub mod der;
pub mod error;
pub mod flow;
pub mod guard;
pub mod inspect;
pub mod json;
pub mod label;
pub mod limits;
pub mod policy;
mod swar;
pub mod xml;

#[doc(hidden)]
pub mod fuzzing;

pub use error::{Error, Fault};
