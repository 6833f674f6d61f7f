//! Strict DER (X.690 Distinguished Encoding Rules) reading and writing, zero-copy.
//!
//! The binary wire forms crossguard reads — ESS security labels (RFC 2634), X.509 Clearance
//! attributes (RFC 5755) and the certificates that carry them — are DER. This module is the
//! small, strict layer under them:
//!
//! - [`Reader`] / [`Tlv`]: tag-length-value walking over borrowed bytes, definite minimal
//!   lengths only, high tag numbers handled, a nesting budget of
//!   [`MAX_DER_DEPTH`](crate::limits::MAX_DER_DEPTH), and decoders for the primitive types
//!   (INTEGER, OBJECT IDENTIFIER, BIT STRING, UTF8String, PrintableString) that enforce the DER
//!   content rules; [`SetOf`] checks that SET OF elements ascend;
//! - [`Writer`]: the inverse, computing lengths and sorting SET OF elements and SET components;
//! - [`Oid`] / [`OidRef`]: object identifiers, owned and borrowed, with arbitrary-size arcs;
//! - [`DerError`]: the one error type of this layer and of the label wire forms above it.
//!
//! What is refused, and why, is listed on [`DerErrorKind`] and [`DerRule`]: crossguard reads
//! DER, not BER, so every encoding has exactly one accepted form.

mod error;
mod oid;
mod reader;
mod writer;

pub use error::{
    BitStringProblem, CertificateProblem, DerError, DerErrorKind, DerRule, DottedOidProblem,
    ErrorPath, OidProblem, PemProblem,
};
pub use oid::{Oid, OidRef};
pub(crate) use reader::is_printable;
pub use reader::{BitStringRef, Class, Form, IntegerRef, Reader, SetOf, Tag, Tlv};
pub use writer::Writer;
