//! `ESSSecurityLabel` (RFC 2634 §5.4.8 "Security Label", as updated by RFC 5035; standards.md
//! §4.1), in DER.
//!
//! ```text
//! ESSSecurityLabel ::= SET {
//!   security-policy-identifier SecurityPolicyIdentifier,            -- OBJECT IDENTIFIER
//!   security-classification    SecurityClassification OPTIONAL,     -- INTEGER (0..256)
//!   privacy-mark               ESSPrivacyMark OPTIONAL,
//!   security-categories        SecurityCategories OPTIONAL }
//! ESSPrivacyMark ::= CHOICE {
//!   pString    PrintableString (SIZE (1..ub-privacy-mark-length)),  -- ub = 128
//!   utf8String UTF8String (SIZE (1..MAX)) }
//! SecurityCategories ::= SET SIZE (1..ub-security-categories) OF SecurityCategory  -- ub = 64
//! ```
//!
//! Strictness:
//! - The policy is mandatory, as in RFC 2634. The X.411 `MessageSecurityLabel` / X.841 form,
//!   where every component is optional, is refused when the policy is absent
//!   ([`DerErrorKind::NoSecurityPolicyIdentifier`]): a guard cannot interpret a classification
//!   or a category without the policy that defines it.
//! - DER only: the SET components must appear in tag order — INTEGER (2), OBJECT IDENTIFIER
//!   (6), UTF8String (12), SET (17), PrintableString (19) — and the categories in ascending
//!   order of their encodings; an unsorted SET or SET OF is refused as non-DER, a repeated
//!   category as a duplicate. (The one tolerated mis-encoding is a category `value` wrapped in a
//!   primitive `[1]`, see [`super::security_category`].)
//! - PrintableString marks are checked against the PrintableString character set and
//!   `SIZE (1..128)`, UTF8String marks for UTF-8 and non-emptiness; both are bounded by
//!   [`MAX_PRIVACY_MARK_BYTES`]. At most [`MAX_SECURITY_CATEGORIES`] categories.
//!
//! ```
//! use crossguard::label::ess::EssLabel;
//! use crossguard::label::security_category::SecurityCategory;
//! // standards.md §4.4: NATO SECRET, Releasable To {NATO, AUS}.
//! let der = [
//!     0x31, 0x2e, 0x02, 0x01, 0x04, 0x06, 0x05, 0x2b, 0x1a, 0x01, 0x03, 0x01, 0x31, 0x22, 0x30,
//!     0x20, 0x80, 0x0a, 0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x01, 0xa1, 0x12,
//!     0x30, 0x10, 0x06, 0x05, 0x2b, 0x1a, 0x01, 0x04, 0x02, 0x31, 0x07, 0x02, 0x01, 0x24, 0x02,
//!     0x02, 0x03, 0xe9,
//! ];
//! let label = EssLabel::decode(&der)?;
//! assert_eq!(label.policy().to_string(), "1.3.26.1.3.1");
//! assert_eq!(label.classification(), Some(4));
//! let SecurityCategory::Tag(releasable) = &label.categories()[0] else { unreachable!() };
//! assert_eq!(releasable.values(), [36, 1001]);
//! assert_eq!(label.encode(), der);
//! # Ok::<(), crossguard::der::DerError>(())
//! ```

use super::security_category::{self, Encoding, SecurityCategory};
use crate::der::{is_printable, DerError, DerErrorKind, DerRule, OidRef, Reader, Tag, Tlv, Writer};
use crate::limits::{MAX_DER_INPUT_BYTES, MAX_PRIVACY_MARK_BYTES, MAX_SECURITY_CATEGORIES};

/// `id-aa-securityLabel`, 1.2.840.113549.1.9.16.2.2: the CMS signed attribute carrying an
/// `ESSSecurityLabel`.
pub const ID_AA_SECURITY_LABEL: OidRef<'static> = OidRef::from_static_content(&[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x02,
]);

/// The largest `security-classification` (`ub-integer-options`).
pub const MAX_CLASSIFICATION: u16 = 256;

/// The longest PrintableString privacy mark, in characters (`ub-privacy-mark-length`).
pub const MAX_PRINTABLE_PRIVACY_MARK_CHARS: usize = 128;

const STRUCTURE: &str = "ESSSecurityLabel";

/// Which alternative of `ESSPrivacyMark` a mark uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrivacyMarkKind {
    /// `pString PrintableString`.
    Printable,
    /// `utf8String UTF8String`.
    Utf8,
}

/// An `ESSPrivacyMark`: checked text and the alternative it is encoded as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PrivacyMark<'a> {
    kind: PrivacyMarkKind,
    text: &'a str,
}

impl<'a> PrivacyMark<'a> {
    /// A PrintableString mark: 1 to 128 characters from the PrintableString set.
    pub fn printable(text: &'a str) -> Result<Self, DerError> {
        check_mark_size(text)?;
        if let Some(i) = text.bytes().position(|b| !is_printable(b)) {
            let byte = text.as_bytes().get(i).copied().unwrap_or(0);
            return Err(DerError::new(
                DerErrorKind::InvalidPrintableString { byte },
                i,
            ));
        }
        if text.len() > MAX_PRINTABLE_PRIVACY_MARK_CHARS {
            return Err(DerError::new(
                DerErrorKind::SizeConstraint {
                    min: 1,
                    max: MAX_PRINTABLE_PRIVACY_MARK_CHARS,
                    found: text.len(),
                },
                0,
            ));
        }
        Ok(Self {
            kind: PrivacyMarkKind::Printable,
            text,
        })
    }

    /// A UTF8String mark: non-empty, at most [`MAX_PRIVACY_MARK_BYTES`] bytes.
    pub fn utf8(text: &'a str) -> Result<Self, DerError> {
        check_mark_size(text)?;
        Ok(Self {
            kind: PrivacyMarkKind::Utf8,
            text,
        })
    }

    /// The alternative.
    pub fn kind(&self) -> PrivacyMarkKind {
        self.kind
    }

    /// The text.
    pub fn as_str(&self) -> &'a str {
        self.text
    }
}

fn check_mark_size(text: &str) -> Result<(), DerError> {
    if text.len() > MAX_PRIVACY_MARK_BYTES {
        return Err(DerError::new(
            DerErrorKind::PrivacyMarkTooLong {
                limit: MAX_PRIVACY_MARK_BYTES,
            },
            0,
        ));
    }
    if text.is_empty() {
        return Err(DerError::new(
            DerErrorKind::SizeConstraint {
                min: 1,
                max: MAX_PRIVACY_MARK_BYTES,
                found: 0,
            },
            0,
        ));
    }
    Ok(())
}

/// An RFC 2634 `ESSSecurityLabel`, borrowing the DER it was read from.
///
/// Built only by [`EssLabel::decode`] or by [`EssLabel::new`] and the `with_` methods, so
/// that every value encodes to DER that decodes back to it. The categories are held in DER
/// order (ascending encodings).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EssLabel<'a> {
    policy: OidRef<'a>,
    classification: Option<u16>,
    privacy_mark: Option<PrivacyMark<'a>>,
    categories: Vec<SecurityCategory<'a>>,
}

impl<'a> EssLabel<'a> {
    /// A label under `policy` with nothing else.
    pub fn new(policy: OidRef<'a>) -> Self {
        Self {
            policy,
            classification: None,
            privacy_mark: None,
            categories: Vec::new(),
        }
    }

    /// Sets the classification (at most [`MAX_CLASSIFICATION`]).
    pub fn with_classification(mut self, classification: u16) -> Result<Self, DerError> {
        if classification > MAX_CLASSIFICATION {
            return Err(DerError::new(
                DerErrorKind::IntegerOutOfRange {
                    min: 0,
                    max: u64::from(MAX_CLASSIFICATION),
                },
                0,
            )
            .within("security-classification")
            .within(STRUCTURE));
        }
        self.classification = Some(classification);
        Ok(self)
    }

    /// Sets the privacy mark.
    #[must_use]
    pub fn with_privacy_mark(mut self, mark: PrivacyMark<'a>) -> Self {
        self.privacy_mark = Some(mark);
        self
    }

    /// Adds a category (kept in DER order); a repeated category, more than
    /// [`MAX_SECURITY_CATEGORIES`], or a label whose encoding would exceed
    /// [`MAX_DER_INPUT_BYTES`] (so that [`EssLabel::decode`] would refuse it) are refused.
    pub fn with_category(mut self, category: SecurityCategory<'a>) -> Result<Self, DerError> {
        let error = |kind| {
            DerError::new(kind, 0)
                .within("security-categories")
                .within(STRUCTURE)
        };
        security_category::insert_sorted(&mut self.categories, category).map_err(error)?;
        // What this crate writes, it must be able to read back.
        if self.encode().len() > MAX_DER_INPUT_BYTES {
            return Err(error(DerErrorKind::InputTooLarge {
                limit: MAX_DER_INPUT_BYTES,
            }));
        }
        Ok(self)
    }

    /// `security-policy-identifier`.
    pub fn policy(&self) -> OidRef<'a> {
        self.policy
    }

    /// `security-classification`, if present (0..=256; the meaning comes from the policy).
    pub fn classification(&self) -> Option<u16> {
        self.classification
    }

    /// `privacy-mark`, if present.
    pub fn privacy_mark(&self) -> Option<PrivacyMark<'a>> {
        self.privacy_mark
    }

    /// `security-categories`, in DER order; empty when absent.
    pub fn categories(&self) -> &[SecurityCategory<'a>] {
        &self.categories
    }

    /// Decodes a DER `ESSSecurityLabel` that is the whole of `input` (see the module
    /// documentation for what is refused).
    pub fn decode(input: &'a [u8]) -> Result<Self, DerError> {
        Self::decode_noting_encoding(input).map(|(label, _)| label)
    }

    /// [`EssLabel::decode`], also telling whether the input was in the canonical encoding
    /// (and so equals [`EssLabel::encode`] of the result).
    pub(crate) fn decode_noting_encoding(input: &'a [u8]) -> Result<(Self, Encoding), DerError> {
        if input.len() > MAX_DER_INPUT_BYTES {
            return Err(DerError::new(
                DerErrorKind::InputTooLarge {
                    limit: MAX_DER_INPUT_BYTES,
                },
                0,
            ));
        }
        let mut reader = Reader::new(input);
        let set = reader
            .read_expected(Tag::SET, "SET (ESSSecurityLabel)")
            .map_err(|e| e.within(STRUCTURE))?;
        reader.finish(STRUCTURE).map_err(|e| e.within(STRUCTURE))?;
        Self::decode_set(set).map_err(|e| e.within(STRUCTURE))
    }

    fn decode_set(set: Tlv<'a>) -> Result<(Self, Encoding), DerError> {
        let mut policy = None;
        let mut classification = None;
        let mut privacy_mark = None;
        let mut categories = Vec::new();
        let mut encoding = Encoding::Canonical;
        // Position in tag order of the last component read.
        let mut last: Option<Component> = None;
        for component in set.contents()? {
            let tlv = component?;
            let which = Component::of(tlv.tag()).ok_or_else(|| {
                DerError::new(
                    DerErrorKind::UnexpectedTag {
                        expected: "INTEGER, OBJECT IDENTIFIER, UTF8String, SET or PrintableString",
                        found: tlv.tag(),
                    },
                    tlv.offset(),
                )
            })?;
            if let Some(previous) = last {
                if previous == which || (previous.is_privacy_mark() && which.is_privacy_mark()) {
                    return Err(DerError::new(
                        DerErrorKind::DuplicateComponent {
                            component: which.name(),
                        },
                        tlv.offset(),
                    ));
                }
                if previous > which {
                    return Err(DerError::new(
                        DerErrorKind::NotDer {
                            rule: DerRule::SetComponentsUnsorted,
                        },
                        tlv.offset(),
                    ));
                }
            }
            last = Some(which);
            let field = |e: DerError| e.within(which.name());
            match which {
                Component::Classification => {
                    let value = tlv
                        .as_integer()
                        .and_then(|i| {
                            i.to_u64_in(0, u64::from(MAX_CLASSIFICATION), tlv.value_offset())
                        })
                        .map_err(field)?;
                    classification = u16::try_from(value).ok();
                }
                Component::Policy => policy = Some(tlv.as_oid().map_err(field)?),
                Component::Utf8Mark | Component::PrintableMark => {
                    privacy_mark = Some(decode_mark(tlv, which).map_err(field)?);
                }
                Component::Categories => {
                    (categories, encoding) = security_category::decode_set(tlv, which.name())?;
                    if categories.is_empty() {
                        return Err(field(DerError::new(
                            DerErrorKind::SizeConstraint {
                                min: 1,
                                max: MAX_SECURITY_CATEGORIES,
                                found: 0,
                            },
                            tlv.offset(),
                        )));
                    }
                }
            }
        }
        let policy = policy
            .ok_or_else(|| DerError::new(DerErrorKind::NoSecurityPolicyIdentifier, set.offset()))?;
        Ok((
            Self {
                policy,
                classification,
                privacy_mark,
                categories,
            },
            encoding,
        ))
    }

    /// The DER encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut components = Vec::with_capacity(4);
        if let Some(c) = self.classification {
            components.push(Writer::integer_encoding(u64::from(c)));
        }
        let mut w = Writer::new();
        w.oid(self.policy);
        components.push(w.into_bytes());
        if let Some(mark) = self.privacy_mark {
            let mut w = Writer::new();
            match mark.kind {
                PrivacyMarkKind::Printable => w.printable_string(mark.text),
                PrivacyMarkKind::Utf8 => w.utf8_string(mark.text),
            }
            components.push(w.into_bytes());
        }
        if !self.categories.is_empty() {
            let mut w = Writer::new();
            security_category::write_set(&self.categories, Tag::SET, &mut w);
            components.push(w.into_bytes());
        }
        let mut w = Writer::new();
        w.set(Tag::SET, components);
        w.into_bytes()
    }
}

fn decode_mark<'a>(tlv: Tlv<'a>, which: Component) -> Result<PrivacyMark<'a>, DerError> {
    check_mark_size_bytes(tlv)?;
    let (kind, text) = if which == Component::PrintableMark {
        let text = tlv.as_printable_str()?;
        if text.len() > MAX_PRINTABLE_PRIVACY_MARK_CHARS {
            return Err(DerError::new(
                DerErrorKind::SizeConstraint {
                    min: 1,
                    max: MAX_PRINTABLE_PRIVACY_MARK_CHARS,
                    found: text.len(),
                },
                tlv.value_offset(),
            ));
        }
        (PrivacyMarkKind::Printable, text)
    } else {
        (PrivacyMarkKind::Utf8, tlv.as_utf8_str()?)
    };
    Ok(PrivacyMark { kind, text })
}

fn check_mark_size_bytes(tlv: Tlv<'_>) -> Result<(), DerError> {
    let len = tlv.value().len();
    if len > MAX_PRIVACY_MARK_BYTES {
        return Err(DerError::new(
            DerErrorKind::PrivacyMarkTooLong {
                limit: MAX_PRIVACY_MARK_BYTES,
            },
            tlv.offset(),
        ));
    }
    if len == 0 {
        return Err(DerError::new(
            DerErrorKind::SizeConstraint {
                min: 1,
                max: MAX_PRIVACY_MARK_BYTES,
                found: 0,
            },
            tlv.offset(),
        ));
    }
    Ok(())
}

/// The components of the SET, in DER (tag) order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Component {
    Classification,
    Policy,
    Utf8Mark,
    Categories,
    PrintableMark,
}

impl Component {
    fn of(tag: Tag) -> Option<Self> {
        Some(match tag {
            Tag::INTEGER => Self::Classification,
            Tag::OBJECT_IDENTIFIER => Self::Policy,
            Tag::UTF8_STRING => Self::Utf8Mark,
            Tag::SET => Self::Categories,
            Tag::PRINTABLE_STRING => Self::PrintableMark,
            _ => return None,
        })
    }

    fn is_privacy_mark(self) -> bool {
        matches!(self, Self::Utf8Mark | Self::PrintableMark)
    }

    fn name(self) -> &'static str {
        match self {
            Self::Classification => "security-classification",
            Self::Policy => "security-policy-identifier",
            Self::Utf8Mark | Self::PrintableMark => "privacy-mark",
            Self::Categories => "security-categories",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::Oid;
    use crate::error::Fault;
    use crate::label::security_category::{CategorySyntax, TagCategory};

    const NATO_SECRET_AUS: &[u8] = &[
        0x31, 0x2e, 0x02, 0x01, 0x04, 0x06, 0x05, 0x2b, 0x1a, 0x01, 0x03, 0x01, 0x31, 0x22, 0x30,
        0x20, 0x80, 0x0a, 0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x01, 0xa1, 0x12,
        0x30, 0x10, 0x06, 0x05, 0x2b, 0x1a, 0x01, 0x04, 0x02, 0x31, 0x07, 0x02, 0x01, 0x24, 0x02,
        0x02, 0x03, 0xe9,
    ];

    fn oid(s: &str) -> Oid {
        Oid::from_dotted(s).unwrap()
    }

    #[test]
    fn id_aa_security_label_constant() {
        assert_eq!(ID_AA_SECURITY_LABEL, oid("1.2.840.113549.1.9.16.2.2"));
    }

    #[test]
    fn standards_vector_decodes_whole_and_re_encodes() {
        let label = EssLabel::decode(NATO_SECRET_AUS).unwrap();
        let policy = oid("1.3.26.1.3.1");
        let tag_set = oid("1.3.26.1.4.2");
        let expected = EssLabel::new(policy.as_oid_ref())
            .with_classification(4)
            .unwrap()
            .with_category(SecurityCategory::Tag(
                TagCategory::new(
                    CategorySyntax::EnumeratedPermissive,
                    tag_set.as_oid_ref(),
                    [1001, 36],
                )
                .unwrap(),
            ))
            .unwrap();
        assert_eq!(label, expected);
        assert_eq!(label.privacy_mark(), None);
        assert_eq!(label.encode(), NATO_SECRET_AUS);
        assert_eq!(expected.encode(), NATO_SECRET_AUS);
    }

    #[test]
    fn xep_0258_vectors() {
        let label = EssLabel::decode(&[0x31, 0x06, 0x02, 0x01, 0x04, 0x06, 0x01, 0x29]).unwrap();
        assert_eq!(
            (label.policy(), label.classification()),
            (oid("1.1").as_oid_ref(), Some(4))
        );
        let label = EssLabel::decode(&[0x31, 0x03, 0x06, 0x01, 0x29]).unwrap();
        assert_eq!(label.classification(), None);
        let aqua = b"\x31\x15\x02\x02\x00\xfd\x0c\x0fAqua (obsolete)";
        let e = EssLabel::decode(aqua).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::NoSecurityPolicyIdentifier);
        assert_eq!(e.fault(), Fault::Forbidden);
        assert!(
            e.to_string().contains("no security-policy-identifier"),
            "{e}"
        );
    }

    #[test]
    fn privacy_marks() {
        let policy = oid("1.1");
        for mark in [
            PrivacyMark::printable("Boagus Privacy Mark").unwrap(),
            PrivacyMark::utf8("Très secret").unwrap(),
        ] {
            let label = EssLabel::new(policy.as_oid_ref()).with_privacy_mark(mark);
            let der = label.encode();
            assert_eq!(EssLabel::decode(&der).unwrap(), label);
        }
        assert!(PrivacyMark::printable("a*b").is_err());
        assert!(PrivacyMark::printable("").is_err());
        assert!(PrivacyMark::printable(&"x".repeat(129)).is_err());
        assert!(PrivacyMark::printable(&"x".repeat(128)).is_ok());
        assert_eq!(
            PrivacyMark::utf8(&"é".repeat(257)).unwrap_err().kind(),
            &DerErrorKind::PrivacyMarkTooLong {
                limit: MAX_PRIVACY_MARK_BYTES
            }
        );
        let bad = b"\x31\x08\x06\x01\x29\x13\x03a*b";
        let e = EssLabel::decode(bad).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::InvalidPrintableString { byte: b'*' }
        );
        assert_eq!(e.offset(), 8);
        assert_eq!(e.path().to_string(), "ESSSecurityLabel.privacy-mark");
        let both = b"\x31\x09\x06\x01\x29\x0c\x01a\x13\x01b";
        assert_eq!(
            EssLabel::decode(both).unwrap_err().kind(),
            &DerErrorKind::DuplicateComponent {
                component: "privacy-mark"
            }
        );
        let empty = b"\x31\x05\x06\x01\x29\x0c\x00";
        assert!(matches!(
            EssLabel::decode(empty).unwrap_err().kind(),
            DerErrorKind::SizeConstraint { found: 0, .. }
        ));
    }

    #[test]
    fn set_components_must_be_in_tag_order() {
        let unsorted = [0x31, 0x06, 0x06, 0x01, 0x29, 0x02, 0x01, 0x04];
        let e = EssLabel::decode(&unsorted).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::NotDer {
                rule: DerRule::SetComponentsUnsorted
            }
        );
        assert_eq!(e.offset(), 5);
        let twice = [0x31, 0x06, 0x06, 0x01, 0x29, 0x06, 0x01, 0x2a];
        assert!(matches!(
            EssLabel::decode(&twice).unwrap_err().kind(),
            DerErrorKind::DuplicateComponent { .. }
        ));
    }

    #[test]
    fn classification_range_and_strict_integer() {
        let label = |class: &[u8]| {
            let mut der = vec![
                0x31,
                u8::try_from(5 + class.len()).unwrap(),
                0x02,
                u8::try_from(class.len()).unwrap(),
            ];
            der.extend_from_slice(class);
            der.extend([0x06, 0x01, 0x29]);
            EssLabel::decode(&der).map(|l| l.classification())
        };
        assert_eq!(label(&[0x01, 0x00]).unwrap(), Some(256));
        assert_eq!(label(&[0x00]).unwrap(), Some(0));
        assert_eq!(
            label(&[0x01, 0x01]).unwrap_err().kind(),
            &DerErrorKind::IntegerOutOfRange { min: 0, max: 256 }
        );
        assert!(label(&[0xff]).is_err());
        assert!(label(&[0x00, 0x04]).is_err());
        assert!(EssLabel::new(oid("1.1").as_oid_ref())
            .with_classification(257)
            .is_err());
    }

    #[test]
    fn structure_errors() {
        let e = EssLabel::decode(&[0x30, 0x03, 0x06, 0x01, 0x29]).unwrap_err();
        assert!(matches!(e.kind(), DerErrorKind::UnexpectedTag { .. }));
        let e = EssLabel::decode(&[0x31, 0x03, 0x06, 0x01, 0x29, 0x00]).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::TrailingData { after: STRUCTURE });
        assert_eq!(
            e.to_string(),
            "ESSSecurityLabel: trailing bytes after ESSSecurityLabel at byte 5"
        );
        let e = EssLabel::decode(&[0x31, 0x05, 0x06, 0x01, 0x29, 0x31, 0x00]).unwrap_err();
        assert!(matches!(
            e.kind(),
            DerErrorKind::SizeConstraint {
                min: 1,
                max: 64,
                found: 0
            }
        ));
        let e = EssLabel::decode(&[0x31, 0x03, 0x06, 0x01, 0x80]).unwrap_err();
        assert_eq!(
            e.path().to_string(),
            "ESSSecurityLabel.security-policy-identifier"
        );
        let big = vec![0u8; MAX_DER_INPUT_BYTES + 1];
        assert_eq!(
            EssLabel::decode(&big).unwrap_err().fault(),
            Fault::LimitExceeded
        );
    }

    #[test]
    fn with_category_refuses_a_label_the_decoder_would_refuse() {
        let tag_sets: Vec<Oid> = (0..12).map(|i| oid(&format!("1.2.{i}"))).collect();
        let policy = oid("1.1");
        let mut label = EssLabel::new(policy.as_oid_ref());
        let mut refused = None;
        for tag_set in &tag_sets {
            let big = SecurityCategory::Tag(
                TagCategory::new(
                    CategorySyntax::RestrictiveBitMap,
                    tag_set.as_oid_ref(),
                    [crate::limits::MAX_LACV],
                )
                .unwrap(),
            );
            match label.clone().with_category(big) {
                Ok(l) => label = l,
                Err(e) => {
                    refused = Some(e);
                    break;
                }
            }
        }
        assert_eq!(
            refused.unwrap().kind(),
            &DerErrorKind::InputTooLarge {
                limit: MAX_DER_INPUT_BYTES
            }
        );
        assert_eq!(EssLabel::decode(&label.encode()).unwrap(), label);
    }

    #[test]
    fn unsorted_and_duplicate_categories() {
        let tag_set = oid("1.3.26.1.4.2");
        let category = |v: u32| {
            SecurityCategory::Tag(
                TagCategory::new(
                    CategorySyntax::EnumeratedPermissive,
                    tag_set.as_oid_ref(),
                    [v],
                )
                .unwrap(),
            )
        };
        let a = category(1).encode();
        let b = category(2).encode();
        let with = |elements: &[&[u8]]| {
            let mut w = Writer::new();
            w.constructed(Tag::SET, |w| {
                w.oid(oid("1.1").as_oid_ref());
                w.constructed(Tag::SET, |w| elements.iter().for_each(|e| w.raw(e)));
            });
            w.into_bytes()
        };
        assert_eq!(
            EssLabel::decode(&with(&[&a, &b]))
                .unwrap()
                .categories()
                .len(),
            2
        );
        let e = EssLabel::decode(&with(&[&b, &a])).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::NotDer {
                rule: DerRule::SetOfUnsorted
            }
        );
        assert_eq!(
            e.path().to_string(),
            "ESSSecurityLabel.security-categories[1]"
        );
        let e = EssLabel::decode(&with(&[&a, &a])).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::DuplicateElement);
        // The same category once explicit and once primitive-wrapped is still a duplicate.
        let mut a_primitive = a.clone();
        a_primitive[14] = 0x81;
        let e = EssLabel::decode(&with(&[&a_primitive, &a])).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::DuplicateElement);
        // A primitive-wrapped category sorts by its canonical encoding once decoded.
        let mut b_primitive = b.clone();
        b_primitive[14] = 0x81;
        let der = with(&[&b_primitive, &a]);
        let label = EssLabel::decode(&der).unwrap();
        assert_eq!(label.categories(), [category(1), category(2)]);
        assert_eq!(EssLabel::decode(&label.encode()).unwrap(), label);
        let policy = oid("1.1");
        let label = EssLabel::new(policy.as_oid_ref())
            .with_category(category(1))
            .unwrap();
        assert_eq!(
            label.with_category(category(1)).unwrap_err().kind(),
            &DerErrorKind::DuplicateElement
        );
    }
}
