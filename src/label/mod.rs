//! Confidentiality labels and clearances: read, validate, decide, join, map, mark, write.
//!
//! The path of a label:
//! 1. **read** — [`read_label_xml`] turns STANAG 4774 XML into a [`Label`] that borrows the
//!    input ([`Strictness::Strict`] by default; [`Strictness::Lenient`] accepts the published
//!    deviations and reports each as a [`LabelWarning`]);
//! 2. **validate** — [`validate`] checks it against its policy (every rule of standards.md
//!    §3.5) and compiles it to a [`ValidLabel`]: a classification id plus category bits;
//! 3. **decide** — [`decide`] (the ACDF) against a [`ValidClearance`] compiled from a 4774 XML
//!    clearance ([`compile_clearance`]) or an X.509 Clearance attribute; [`explain`] gives
//!    the reasons; [`dominates`] and [`join`] are the lattice operations;
//! 4. **render** — [`render_marking`] for any marking code and language;
//! 5. **write** — [`write_label_xml`].
//!
//! ```
//! use crossguard::label::{read_label_xml, validate, render_marking, Strictness, Timestamp};
//! use crossguard::policy::{MarkingCode, PolicySet};
//! let policies = PolicySet::embedded()?;
//! let read = read_label_xml(include_bytes!("../../tests/data/label/top-secret.xml"), Strictness::Strict)?;
//! let label = validate(&policies, &read.label.body.information, Timestamp::now(), read.warnings)?;
//! assert_eq!(render_marking(&label, MarkingCode::PageTopBottom, "en"), "COSMIC TOP SECRET");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod access;
mod clearance;
mod datetime;
mod error;
mod ess_convert;
mod mapping;
mod marking;
mod model;
mod valid;
mod xml_read;
mod xml_write;

#[cfg(feature = "x509")]
pub mod certificate;
pub mod clearance_der;
pub mod ess;
pub mod security_category;

pub use access::{
    category_names, decide, dominates, explain, join, join_with, Access, Decision, Denial,
    JoinError, JoinRule,
};
pub use clearance::{compile_clearance, compile_clearance_der, InvalidClearance, ValidClearance};
pub use datetime::Timestamp;
pub use error::{LabelError, LabelErrorKind, LabelLimit};
pub use ess_convert::{decode_ess_label, encode_ess_label, syntax_of, EssEncodeError};
pub use mapping::{map_classification, map_label, Mapped, MappingError};
pub use marking::{marking_color, render_marking};
pub use model::{
    ClearanceXml, ConfidentialityInformation, Label, LabelBody, LabelCategory, LabelKind,
    LabelWarning, OriginatorId, PolicyIdentifier, Strictness, Succession, ORIGINATOR_ID_TYPES,
};
pub(crate) use valid::revalidate;
pub use valid::{
    category_display, resolve_policy, validate, validate_under, Invalid, InvalidLabel, ValidLabel,
};
pub use xml_read::{
    is_clearance_xml, read_clearance_xml, read_label_xml, ReadLabel, CLEARANCE_NAMESPACE,
    LABEL_NAMESPACE,
};
pub use xml_write::{write_label_xml, LabelMetadata, LABEL_PREFIX};
