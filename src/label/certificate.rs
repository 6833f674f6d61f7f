//! Clearances carried in X.509 public-key certificates: the `subjectDirectoryAttributes`
//! extension (RFC 5280 §4.2.1.8, OID 2.5.29.9; RFC 5755 §4.4.6 and RFC 5913 describe this use).
//!
//! ```text
//! SubjectDirectoryAttributes ::= SEQUENCE SIZE (1..MAX) OF Attribute
//! Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF AttributeValue }
//! ```
//!
//! The certificate itself is parsed by x509-parser (which does not decode this extension); the
//! raw extension value is then read with crossguard's strict DER reader. Every attribute of type
//! 2.5.4.55 or 2.5.1.5.55 is decoded as clearances ([`ClearanceAttribute`]); other attributes
//! are checked to be well-formed DER (a type, and a SET OF values in DER order) and skipped.
//! A second clearance attribute in one extension is refused (X.501 allows one attribute of a
//! type per entry). Error offsets count from the start of the DER certificate.
//!
//! ```
//! use crossguard::label::certificate::{certificate_der, CertificateClearances};
//! let pem = include_bytes!("../../tests/data/clearance/cert-secret-nato-aus.pem");
//! let der = certificate_der(pem)?; // PEM is decoded; DER is borrowed as it is
//! let found = CertificateClearances::from_der(&der)?;
//! assert_eq!(found.clearances().len(), 1);
//! assert!(found.subject().contains("CN="));
//! # Ok::<(), crossguard::der::DerError>(())
//! ```

use std::borrow::Cow;

use x509_parser::error::{PEMError, X509Error};

use super::clearance_der::{clearance_attribute_form, ClearanceAttribute, ClearanceDer};
use crate::der::{
    CertificateProblem, DerError, DerErrorKind, OidRef, PemProblem, Reader, Tag, Tlv,
};
use crate::limits::MAX_CERTIFICATE_BYTES;

/// `id-ce-subjectDirectoryAttributes`, 2.5.29.9.
pub const ID_CE_SUBJECT_DIRECTORY_ATTRIBUTES: OidRef<'static> =
    OidRef::from_static_content(&[0x55, 0x1d, 0x09]);

const EXTENSION: &str = "subjectDirectoryAttributes";

/// The DER form of a certificate given as DER (borrowed as is) or PEM (decoded: one
/// `CERTIFICATE` block, optionally preceded by explanatory text and followed by whitespace).
/// Either way the input may be at most [`MAX_CERTIFICATE_BYTES`].
pub fn certificate_der(input: &[u8]) -> Result<Cow<'_, [u8]>, DerError> {
    check_size(input)?;
    if input.first() == Some(&0x30) {
        return Ok(Cow::Borrowed(input));
    }
    let pem_error = |problem| DerError::new(DerErrorKind::Pem { problem }, 0);
    if core::str::from_utf8(input).is_err() {
        return Err(pem_error(PemProblem::NotUtf8));
    }
    let (rest, pem) = x509_parser::pem::parse_x509_pem(input).map_err(|e| {
        pem_error(match e {
            x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => match e {
                PEMError::Base64DecodeError => PemProblem::InvalidBase64,
                PEMError::IncompletePEM => PemProblem::Incomplete,
                PEMError::InvalidHeader => PemProblem::InvalidHeader,
                PEMError::MissingHeader => PemProblem::MissingHeader,
                PEMError::IOError(_) => PemProblem::NotUtf8,
            },
            x509_parser::nom::Err::Incomplete(_) => PemProblem::Incomplete,
        })
    })?;
    if pem.label != "CERTIFICATE" {
        return Err(pem_error(PemProblem::NotACertificate));
    }
    if !rest.iter().all(u8::is_ascii_whitespace) {
        return Err(pem_error(PemProblem::TrailingData));
    }
    Ok(Cow::Owned(pem.contents))
}

/// The clearances a certificate carries, and its subject for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateClearances<'a> {
    subject: String,
    clearances: Vec<ClearanceDer<'a>>,
}

impl<'a> CertificateClearances<'a> {
    /// Parses a DER certificate (use [`certificate_der`] first for PEM) and decodes every
    /// Clearance in its `subjectDirectoryAttributes` extension. A certificate without the
    /// extension ([`DerErrorKind::NoSubjectDirectoryAttributes`]) or without a clearance
    /// attribute in it ([`DerErrorKind::NoClearanceAttribute`]) is an error: it clears no one.
    pub fn from_der(der: &'a [u8]) -> Result<Self, DerError> {
        check_size(der)?;
        let certificate_error = |problem| DerError::new(DerErrorKind::Certificate { problem }, 0);
        let (rest, certificate) = x509_parser::parse_x509_certificate(der).map_err(|e| {
            certificate_error(match e {
                x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => {
                    problem_of(&e)
                }
                x509_parser::nom::Err::Incomplete(_) => CertificateProblem::InvalidStructure,
            })
        })?;
        if !rest.is_empty() {
            return Err(DerError::new(
                DerErrorKind::Certificate {
                    problem: CertificateProblem::TrailingData,
                },
                der.len().saturating_sub(rest.len()),
            ));
        }
        let extension = certificate
            .extensions()
            .iter()
            .find(|e| e.oid.as_bytes() == ID_CE_SUBJECT_DIRECTORY_ATTRIBUTES.content())
            .ok_or_else(|| DerError::new(DerErrorKind::NoSubjectDirectoryAttributes, 0))?;
        let base = extension
            .value
            .as_ptr()
            .addr()
            .saturating_sub(der.as_ptr().addr());
        let clearances = decode_extension(extension.value, base)?;
        Ok(Self {
            subject: certificate.subject().to_string(),
            clearances,
        })
    }

    /// The certificate subject, as x509-parser renders it (`CN=…, O=…`).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The clearances, in the order of the attribute's values (DER order).
    pub fn clearances(&self) -> &[ClearanceDer<'a>] {
        &self.clearances
    }
}

fn check_size(input: &[u8]) -> Result<(), DerError> {
    if input.len() > MAX_CERTIFICATE_BYTES {
        return Err(DerError::new(
            DerErrorKind::CertificateTooLarge {
                limit: MAX_CERTIFICATE_BYTES,
            },
            0,
        ));
    }
    Ok(())
}

/// Decodes the extension value (`SEQUENCE SIZE (1..MAX) OF Attribute`) found at `base`.
pub(crate) fn decode_extension(
    value: &[u8],
    base: usize,
) -> Result<Vec<ClearanceDer<'_>>, DerError> {
    let mut reader = Reader::at_offset(value, base);
    let sequence = reader
        .read_expected(Tag::SEQUENCE, "SEQUENCE OF Attribute")
        .map_err(|e| e.within(EXTENSION))?;
    reader.finish(EXTENSION).map_err(|e| e.within(EXTENSION))?;
    let mut clearances: Option<Vec<ClearanceDer<'_>>> = None;
    let mut count = 0usize;
    for (index, attribute) in sequence
        .contents()
        .map_err(|e| e.within(EXTENSION))?
        .enumerate()
    {
        let within = |e: DerError| e.within_element(EXTENSION, index);
        let attribute = attribute.map_err(within)?;
        count = count.saturating_add(1);
        if is_clearance_attribute(attribute) {
            if clearances.is_some() {
                return Err(within(DerError::new(
                    DerErrorKind::DuplicateComponent {
                        component: "clearance attribute",
                    },
                    attribute.offset(),
                )));
            }
            let (decoded, _) = ClearanceAttribute::decode_tlv(attribute).map_err(within)?;
            clearances = Some(decoded.values().to_vec());
        } else {
            validate_attribute(attribute).map_err(|e| within(e.within("Attribute")))?;
        }
    }
    if count == 0 {
        return Err(DerError::new(
            DerErrorKind::SizeConstraint {
                min: 1,
                max: usize::MAX,
                found: 0,
            },
            sequence.offset(),
        )
        .within(EXTENSION));
    }
    clearances.ok_or_else(|| DerError::new(DerErrorKind::NoClearanceAttribute, sequence.offset()))
}

fn is_clearance_attribute(attribute: Tlv<'_>) -> bool {
    attribute.tag() == Tag::SEQUENCE
        && attribute
            .contents()
            .ok()
            .and_then(|mut fields| fields.read_optional(Tag::OBJECT_IDENTIFIER).ok().flatten())
            .and_then(|t| t.as_oid().ok())
            .and_then(clearance_attribute_form)
            .is_some()
}

/// An attribute crossguard does not read: `SEQUENCE { OID, SET OF <well-formed DER> }`.
fn validate_attribute(attribute: Tlv<'_>) -> Result<(), DerError> {
    if attribute.tag() != Tag::SEQUENCE {
        return Err(DerError::new(
            DerErrorKind::UnexpectedTag {
                expected: "SEQUENCE (Attribute)",
                found: attribute.tag(),
            },
            attribute.offset(),
        ));
    }
    let mut fields = attribute.contents()?;
    fields
        .read_expected(Tag::OBJECT_IDENTIFIER, "type OBJECT IDENTIFIER")
        .and_then(|t| t.as_oid())
        .map_err(|e| e.within("type"))?;
    let values = fields.read_expected(Tag::SET, "values SET OF AttributeValue")?;
    fields.finish("Attribute")?;
    for (index, value) in values.set_of()?.enumerate() {
        value
            .and_then(|v| v.validate_structure())
            .map_err(|e| e.within_element("values", index))?;
    }
    Ok(())
}

fn problem_of(e: &X509Error) -> CertificateProblem {
    match e {
        X509Error::InvalidVersion => CertificateProblem::InvalidVersion,
        X509Error::InvalidSerial => CertificateProblem::InvalidSerial,
        X509Error::InvalidAlgorithmIdentifier => CertificateProblem::InvalidAlgorithmIdentifier,
        X509Error::InvalidX509Name => CertificateProblem::InvalidName,
        X509Error::InvalidDate => CertificateProblem::InvalidDate,
        X509Error::InvalidSPKI => CertificateProblem::InvalidPublicKeyInfo,
        X509Error::InvalidSubjectUID | X509Error::InvalidIssuerUID => {
            CertificateProblem::InvalidUniqueId
        }
        X509Error::InvalidExtensions => CertificateProblem::InvalidExtensions,
        X509Error::DuplicateExtensions => CertificateProblem::DuplicateExtensions,
        X509Error::InvalidSignatureValue => CertificateProblem::InvalidSignature,
        X509Error::InvalidTbsCertificate => CertificateProblem::InvalidTbsCertificate,
        _ => CertificateProblem::InvalidStructure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::{Oid, Writer};
    use crate::label::clearance_der::{ClearanceForm, ID_AT_CLEARANCE};

    #[test]
    fn constant_matches_its_dotted_form() {
        assert_eq!(
            ID_CE_SUBJECT_DIRECTORY_ATTRIBUTES,
            Oid::from_dotted("2.5.29.9").unwrap()
        );
    }

    fn attribute(type_oid: OidRef<'_>, value: &[u8]) -> Vec<u8> {
        let mut w = Writer::new();
        w.constructed(Tag::SEQUENCE, |w| {
            w.oid(type_oid);
            w.set_of(Tag::SET, vec![value.to_vec()]);
        });
        w.into_bytes()
    }

    fn extension(attributes: &[Vec<u8>]) -> Vec<u8> {
        let mut w = Writer::new();
        w.constructed(Tag::SEQUENCE, |w| attributes.iter().for_each(|a| w.raw(a)));
        w.into_bytes()
    }

    #[test]
    fn extension_with_other_attributes_and_a_clearance() {
        let policy = Oid::from_dotted("1.2.3").unwrap();
        let clearance = ClearanceDer::new(policy.as_oid_ref()).encode();
        let role = Oid::from_dotted("2.5.4.72").unwrap();
        let value = extension(&[
            attribute(role.as_oid_ref(), b"\x0c\x02hr"),
            attribute(ID_AT_CLEARANCE, &clearance),
        ]);
        let found = decode_extension(&value, 100).unwrap();
        assert_eq!(found, [ClearanceDer::new(policy.as_oid_ref())]);
        assert_eq!(found[0].form(), ClearanceForm::Current);
    }

    #[test]
    fn extension_errors() {
        let role = Oid::from_dotted("2.5.4.72").unwrap();
        let only_role = extension(&[attribute(role.as_oid_ref(), b"\x0c\x02hr")]);
        assert_eq!(
            decode_extension(&only_role, 0).unwrap_err().kind(),
            &DerErrorKind::NoClearanceAttribute
        );
        let empty = extension(&[]);
        assert!(matches!(
            decode_extension(&empty, 0).unwrap_err().kind(),
            DerErrorKind::SizeConstraint { .. }
        ));
        let policy = Oid::from_dotted("1.2.3").unwrap();
        let clearance = ClearanceDer::new(policy.as_oid_ref()).encode();
        let twice = extension(&[
            attribute(ID_AT_CLEARANCE, &clearance),
            attribute(ID_AT_CLEARANCE, &clearance),
        ]);
        let e = decode_extension(&twice, 10).unwrap_err();
        assert!(matches!(e.kind(), DerErrorKind::DuplicateComponent { .. }));
        assert_eq!(e.path().to_string(), "subjectDirectoryAttributes[1]");
        // Offsets count from `base`.
        let broken_role = extension(&[attribute(role.as_oid_ref(), b"\x0c\x05hr")]);
        let e = decode_extension(&broken_role, 1000).unwrap_err();
        assert!(e.offset() > 1000, "{e}");
        assert_eq!(
            e.path().to_string(),
            "subjectDirectoryAttributes[0].Attribute.values[0]"
        );
    }

    #[test]
    fn not_a_certificate() {
        let e = CertificateClearances::from_der(&[0x30, 0x00]).unwrap_err();
        assert!(matches!(e.kind(), DerErrorKind::Certificate { .. }));
        assert_eq!(
            certificate_der(b"hello").unwrap_err().kind(),
            &DerErrorKind::Pem {
                problem: PemProblem::MissingHeader
            }
        );
        assert_eq!(
            certificate_der(b"\xff\xfe").unwrap_err().kind(),
            &DerErrorKind::Pem {
                problem: PemProblem::NotUtf8
            }
        );
        let key = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            certificate_der(key).unwrap_err().kind(),
            &DerErrorKind::Pem {
                problem: PemProblem::NotACertificate
            }
        );
        let big = vec![0x30; MAX_CERTIFICATE_BYTES + 1];
        assert_eq!(
            certificate_der(&big).unwrap_err().kind(),
            &DerErrorKind::CertificateTooLarge {
                limit: MAX_CERTIFICATE_BYTES
            }
        );
    }
}
