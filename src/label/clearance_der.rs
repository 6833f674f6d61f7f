//! X.509 `Clearance` (RFC 5755 §4.4.6, RFC 5912 `PKIXAttributeCertificate-2009`; the legacy
//! RFC 3281 §4.4.6 form) and the X.501 `Attribute` that carries it (standards.md §5), in DER.
//!
//! ```text
//! -- RFC 5755 / RFC 5912, attribute id-at-clearance = 2.5.4.55
//! Clearance ::= SEQUENCE {
//!   policyId            OBJECT IDENTIFIER,
//!   classList           ClassList DEFAULT {unclassified},
//!   securityCategories  SET OF SecurityCategory OPTIONAL }
//! -- RFC 3281 (IMPLICIT TAGS), attribute 2.5.1.5.55
//! Clearance ::= SEQUENCE {
//!   policyId            [0] OBJECT IDENTIFIER,
//!   classList           [1] ClassList DEFAULT {unclassified},
//!   securityCategories  [2] SET OF SecurityCategory OPTIONAL }
//! ClassList ::= BIT STRING { unmarked(0), unclassified(1), restricted(2), confidential(3),
//!                            secret(4), topSecret(5) }
//! Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF Clearance }   -- X.501
//! ```
//!
//! The decoder tells the two forms apart by the first tag inside the SEQUENCE (`06` current,
//! `80` legacy) whatever the attribute type says, and records it ([`ClearanceForm`]). The
//! encoders emit the current form (RFC 3281's arc was an error) unless asked otherwise
//! ([`ClearanceDer::encode_in`]).
//!
//! Strictness, beyond DER itself:
//! - `classList` is a named-bit BIT STRING, so DER drops trailing zero bits and omits the
//!   value when it equals the DEFAULT {unclassified}; both are enforced. Absent, it means
//!   {unclassified} ([`ClassList::default`]). Bits above 256 (the largest ESS classification)
//!   are refused.
//! - an empty `securityCategories` SET is refused (omit it), as is a repeated category; at
//!   most [`MAX_SECURITY_CATEGORIES`](crate::limits::MAX_SECURITY_CATEGORIES) categories; the attribute holds 1 to
//!   [`MAX_CLEARANCES_PER_ATTRIBUTE`] values, in DER order, without repeats.
//!
//! ```
//! use crossguard::der::Oid;
//! use crossguard::label::clearance_der::{ClassList, ClearanceDer, ClearanceInput};
//! let policy = Oid::from_dotted("1.3.26.1.3.1")?;
//! let classes = ClassList::from_classifications([1, 2, 3, 4])?;
//! let clearance = ClearanceDer::new(policy.as_oid_ref()).with_class_list(classes);
//! let der = clearance.encode();
//! let read = ClearanceInput::decode(&der)?;
//! assert_eq!(read.clearances(), [clearance]);
//! assert!(read.clearances()[0].class_list().contains(ClassList::SECRET));
//! # Ok::<(), crossguard::der::DerError>(())
//! ```

use core::fmt;

use super::security_category::{self, Encoding, SecurityCategory};
use crate::der::{DerError, DerErrorKind, DerRule, Form, OidRef, Reader, Tag, Tlv, Writer};
use crate::limits::{MAX_CLEARANCES_PER_ATTRIBUTE, MAX_DER_INPUT_BYTES};

/// `id-at-clearance`, 2.5.4.55 (RFC 5755, X.501).
pub const ID_AT_CLEARANCE: OidRef<'static> = OidRef::from_static_content(&[0x55, 0x04, 0x37]);

/// The RFC 3281 clearance attribute type, 2.5.1.5.55 (an erroneous arc kept for
/// compatibility).
pub const ID_AT_CLEARANCE_RFC3281: OidRef<'static> =
    OidRef::from_static_content(&[0x55, 0x01, 0x05, 0x37]);

const LEGACY_POLICY: Tag = Tag::context(0, Form::Primitive);
const LEGACY_CLASS_LIST: Tag = Tag::context(1, Form::Primitive);
const LEGACY_CATEGORIES: Tag = Tag::context(2, Form::Constructed);

/// The largest classification a ClassList can name (ESS `ub-integer-options`).
const MAX_CLASSIFICATION: u16 = 256;
/// Words of the ClassList bit set: 5 × 64 bits cover 0..=256.
const CLASS_WORDS: usize = 5;

/// Which definition of Clearance an encoding follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClearanceForm {
    /// RFC 5755 / RFC 5912: untagged fields; attribute type 2.5.4.55.
    Current,
    /// RFC 3281: fields tagged `[0]`, `[1]`, `[2]`; attribute type 2.5.1.5.55.
    Legacy,
}

/// The `classList` of a Clearance: the set of classifications the holder is cleared for
/// (a set, not a ceiling). [`ClassList::default`] is the ASN.1 DEFAULT {unclassified}.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClassList {
    bits: [u64; CLASS_WORDS],
}

impl ClassList {
    /// `unmarked(0)`.
    pub const UNMARKED: u16 = 0;
    /// `unclassified(1)`.
    pub const UNCLASSIFIED: u16 = 1;
    /// `restricted(2)`.
    pub const RESTRICTED: u16 = 2;
    /// `confidential(3)`.
    pub const CONFIDENTIAL: u16 = 3;
    /// `secret(4)`.
    pub const SECRET: u16 = 4;
    /// `topSecret(5)`.
    pub const TOP_SECRET: u16 = 5;

    /// No classification at all (an empty BIT STRING on the wire).
    pub const fn empty() -> Self {
        Self {
            bits: [0; CLASS_WORDS],
        }
    }

    /// The set of `classifications`, each at most 256.
    pub fn from_classifications(
        classifications: impl IntoIterator<Item = u16>,
    ) -> Result<Self, DerError> {
        let mut list = Self::empty();
        for c in classifications {
            if !list.insert(c) {
                return Err(DerError::new(
                    DerErrorKind::BitOutOfRange {
                        max: u32::from(MAX_CLASSIFICATION),
                    },
                    0,
                )
                .within("classList"));
            }
        }
        Ok(list)
    }

    /// Adds a classification; `false` (and no change) if it is above 256.
    fn insert(&mut self, classification: u16) -> bool {
        if classification > MAX_CLASSIFICATION {
            return false;
        }
        let (word, bit) = (usize::from(classification / 64), classification % 64);
        match self.bits.get_mut(word) {
            Some(w) => {
                *w |= 1u64 << bit;
                true
            }
            None => false,
        }
    }

    /// Whether `classification` is in the set.
    pub fn contains(&self, classification: u16) -> bool {
        let (word, bit) = (usize::from(classification / 64), classification % 64);
        self.bits.get(word).is_some_and(|w| w & (1u64 << bit) != 0)
    }

    /// The classifications, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        (0..=MAX_CLASSIFICATION).filter(|&c| self.contains(c))
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|&w| w == 0)
    }

    /// Whether the set is exactly the DEFAULT {unclassified} (and so omitted in DER).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    fn bit_numbers(&self) -> Vec<u32> {
        self.iter().map(u32::from).collect()
    }
}

impl Default for ClassList {
    /// {unclassified}, the ASN.1 DEFAULT.
    fn default() -> Self {
        let mut list = Self::empty();
        list.insert(Self::UNCLASSIFIED);
        list
    }
}

impl fmt::Debug for ClassList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// One Clearance value, borrowing the DER it was read from.
///
/// Built only by decoding or by [`ClearanceDer::new`] and the `with_` methods, so every value
/// encodes to DER that decodes back to it (with [`ClearanceForm::Current`], unless encoded
/// with [`ClearanceDer::encode_in`]). Categories are held in DER order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClearanceDer<'a> {
    form: ClearanceForm,
    policy: OidRef<'a>,
    class_list: ClassList,
    categories: Vec<SecurityCategory<'a>>,
}

impl<'a> ClearanceDer<'a> {
    /// A clearance under `policy`, current form, DEFAULT class list, no categories.
    pub fn new(policy: OidRef<'a>) -> Self {
        Self {
            form: ClearanceForm::Current,
            policy,
            class_list: ClassList::default(),
            categories: Vec::new(),
        }
    }

    /// Sets the class list.
    #[must_use]
    pub fn with_class_list(mut self, class_list: ClassList) -> Self {
        self.class_list = class_list;
        self
    }

    /// Adds a category (kept in DER order); a repeated category, more than
    /// [`MAX_SECURITY_CATEGORIES`](crate::limits::MAX_SECURITY_CATEGORIES), or a clearance whose encoding would exceed
    /// [`MAX_DER_INPUT_BYTES`] (so that decoding would refuse it) are refused.
    pub fn with_category(mut self, category: SecurityCategory<'a>) -> Result<Self, DerError> {
        let error = |kind| {
            DerError::new(kind, 0)
                .within("securityCategories")
                .within("Clearance")
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

    /// Which definition the value was read in ([`ClearanceForm::Current`] when built).
    pub fn form(&self) -> ClearanceForm {
        self.form
    }

    /// `policyId`.
    pub fn policy(&self) -> OidRef<'a> {
        self.policy
    }

    /// `classList` ({unclassified} when absent on the wire).
    pub fn class_list(&self) -> &ClassList {
        &self.class_list
    }

    /// `securityCategories`, in DER order; empty when absent.
    pub fn categories(&self) -> &[SecurityCategory<'a>] {
        &self.categories
    }

    /// Decodes one DER Clearance (either form) that is the whole of `input`.
    pub fn decode(input: &'a [u8]) -> Result<Self, DerError> {
        let tlv = whole_input(input, "Clearance")?;
        Self::decode_tlv(tlv).map(|(c, _)| c)
    }

    /// The DER encoding in the current (RFC 5755) form.
    pub fn encode(&self) -> Vec<u8> {
        self.encode_in(ClearanceForm::Current)
    }

    /// The DER encoding in the given form.
    pub fn encode_in(&self, form: ClearanceForm) -> Vec<u8> {
        let mut w = Writer::new();
        self.write(form, &mut w);
        w.into_bytes()
    }

    fn write(&self, form: ClearanceForm, w: &mut Writer) {
        let (policy_tag, class_tag, categories_tag) = match form {
            ClearanceForm::Current => (Tag::OBJECT_IDENTIFIER, Tag::BIT_STRING, Tag::SET),
            ClearanceForm::Legacy => (LEGACY_POLICY, LEGACY_CLASS_LIST, LEGACY_CATEGORIES),
        };
        w.constructed(Tag::SEQUENCE, |w| {
            w.tlv(policy_tag, self.policy.content());
            if !self.class_list.is_default() {
                w.bit_string(class_tag, &self.class_list.bit_numbers());
            }
            if !self.categories.is_empty() {
                security_category::write_set(&self.categories, categories_tag, w);
            }
        });
    }

    /// Decodes a Clearance SEQUENCE (errors are prefixed with `Clearance`), telling whether
    /// it was in the canonical (current-form, re-encodes identically) encoding.
    pub(crate) fn decode_tlv(tlv: Tlv<'a>) -> Result<(Self, Encoding), DerError> {
        Self::decode_fields(tlv).map_err(|e| e.within("Clearance"))
    }

    fn decode_fields(tlv: Tlv<'a>) -> Result<(Self, Encoding), DerError> {
        if tlv.tag() != Tag::SEQUENCE {
            return Err(DerError::new(
                DerErrorKind::UnexpectedTag {
                    expected: "SEQUENCE (Clearance)",
                    found: tlv.tag(),
                },
                tlv.offset(),
            ));
        }
        let mut fields = tlv.contents()?;
        let (form, class_tag, categories_tag) = match fields.peek_tag()? {
            Some(Tag::OBJECT_IDENTIFIER) => (ClearanceForm::Current, Tag::BIT_STRING, Tag::SET),
            Some(LEGACY_POLICY) => (ClearanceForm::Legacy, LEGACY_CLASS_LIST, LEGACY_CATEGORIES),
            Some(found) => {
                return Err(DerError::new(
                    DerErrorKind::UnexpectedTag {
                        expected: "policyId (OBJECT IDENTIFIER, or [0] in the RFC 3281 form)",
                        found,
                    },
                    fields.offset(),
                ))
            }
            None => {
                return Err(DerError::new(
                    DerErrorKind::MissingComponent {
                        component: "policyId",
                    },
                    fields.offset(),
                ))
            }
        };
        let policy = fields
            .read()
            .and_then(|t| t.as_oid())
            .map_err(|e| e.within("policyId"))?;
        let class_list = match fields.read_optional(class_tag)? {
            Some(t) => decode_class_list(t).map_err(|e| e.within("classList"))?,
            None => ClassList::default(),
        };
        let (categories, mut encoding) = match fields.read_optional(categories_tag)? {
            Some(t) => {
                let (categories, encoding) =
                    security_category::decode_set(t, "securityCategories")?;
                if categories.is_empty() {
                    return Err(DerError::new(DerErrorKind::EmptyOptionalSet, t.offset())
                        .within("securityCategories"));
                }
                (categories, encoding)
            }
            None => (Vec::new(), Encoding::Canonical),
        };
        fields.finish("Clearance")?;
        if form == ClearanceForm::Legacy {
            encoding = Encoding::Tolerated;
        }
        Ok((
            Self {
                form,
                policy,
                class_list,
                categories,
            },
            encoding,
        ))
    }
}

fn decode_class_list(tlv: Tlv<'_>) -> Result<ClassList, DerError> {
    let bits = tlv.as_bit_string()?;
    let at = |kind| DerError::new(kind, tlv.value_offset());
    if bits.has_trailing_zero_bits() {
        return Err(at(DerErrorKind::NotDer {
            rule: DerRule::TrailingZeroBits,
        }));
    }
    // Minimal, so the last bit is set: the length bounds the highest classification.
    let highest = usize::from(MAX_CLASSIFICATION);
    if bits.bit_len() > highest.saturating_add(1) {
        return Err(at(DerErrorKind::BitOutOfRange {
            max: u32::from(MAX_CLASSIFICATION),
        }));
    }
    let mut list = ClassList::empty();
    for bit in bits.set_bits() {
        list.insert(u16::try_from(bit).unwrap_or(u16::MAX));
    }
    if list.is_default() {
        return Err(at(DerErrorKind::NotDer {
            rule: DerRule::DefaultValueEncoded,
        }));
    }
    Ok(list)
}

/// An X.501 `Attribute` of type clearance: one Clearance value per policy.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClearanceAttribute<'a> {
    attribute_type: ClearanceForm,
    values: Vec<ClearanceDer<'a>>,
}

impl<'a> ClearanceAttribute<'a> {
    /// An attribute of type 2.5.4.55 holding `values` (1 to
    /// [`MAX_CLEARANCES_PER_ATTRIBUTE`], no two equal, encoding within
    /// [`MAX_DER_INPUT_BYTES`]), kept in DER order.
    pub fn new(values: Vec<ClearanceDer<'a>>) -> Result<Self, DerError> {
        let mut attribute = Self {
            attribute_type: ClearanceForm::Current,
            values,
        };
        attribute
            .check_and_sort(0)
            .map_err(|e| e.within("Attribute"))?;
        Ok(attribute)
    }

    /// Whether the type was 2.5.4.55 ([`ClearanceForm::Current`]) or 2.5.1.5.55.
    pub fn attribute_type(&self) -> ClearanceForm {
        self.attribute_type
    }

    /// The Clearance values, in DER order of their current-form encodings.
    pub fn values(&self) -> &[ClearanceDer<'a>] {
        &self.values
    }

    /// Decodes a DER clearance `Attribute` that is the whole of `input`.
    pub fn decode(input: &'a [u8]) -> Result<Self, DerError> {
        let tlv = whole_input(input, "Attribute")?;
        Self::decode_tlv(tlv).map(|(a, _)| a)
    }

    /// The DER encoding: type 2.5.4.55, values in the current form.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.constructed(Tag::SEQUENCE, |w| {
            w.oid(ID_AT_CLEARANCE);
            w.set_of(
                Tag::SET,
                self.values.iter().map(ClearanceDer::encode).collect(),
            );
        });
        w.into_bytes()
    }

    /// Decodes an Attribute SEQUENCE (errors are prefixed with `Attribute`), telling whether
    /// it was in the canonical encoding.
    pub(crate) fn decode_tlv(tlv: Tlv<'a>) -> Result<(Self, Encoding), DerError> {
        Self::decode_fields(tlv).map_err(|e| e.within("Attribute"))
    }

    fn decode_fields(tlv: Tlv<'a>) -> Result<(Self, Encoding), DerError> {
        if tlv.tag() != Tag::SEQUENCE {
            return Err(DerError::new(
                DerErrorKind::UnexpectedTag {
                    expected: "SEQUENCE (Attribute)",
                    found: tlv.tag(),
                },
                tlv.offset(),
            ));
        }
        let mut fields = tlv.contents()?;
        let type_tlv = fields
            .read_expected(Tag::OBJECT_IDENTIFIER, "type OBJECT IDENTIFIER")
            .map_err(|e| e.within("type"))?;
        let attribute_type = clearance_attribute_form(type_tlv.as_oid()?).ok_or_else(|| {
            DerError::new(
                DerErrorKind::UnexpectedAttributeType {
                    expected: "2.5.4.55 (clearance) or 2.5.1.5.55",
                },
                type_tlv.offset(),
            )
            .within("type")
        })?;
        let set = fields.read_expected(Tag::SET, "values SET OF Clearance")?;
        fields.finish("Attribute")?;
        let mut values = Vec::new();
        let mut encoding = match attribute_type {
            ClearanceForm::Current => Encoding::Canonical,
            ClearanceForm::Legacy => Encoding::Tolerated,
        };
        for (index, element) in set.set_of().map_err(|e| e.within("values"))?.enumerate() {
            let element = element.map_err(|e| e.within_element("values", index))?;
            if index >= MAX_CLEARANCES_PER_ATTRIBUTE {
                return Err(DerError::new(
                    DerErrorKind::TooManyClearances {
                        limit: MAX_CLEARANCES_PER_ATTRIBUTE,
                    },
                    element.offset(),
                )
                .within("values"));
            }
            let (value, how) =
                ClearanceDer::decode_tlv(element).map_err(|e| e.within_element("values", index))?;
            encoding = encoding.and(how);
            values.push(value);
        }
        let mut attribute = Self {
            attribute_type,
            values,
        };
        attribute.check_and_sort(set.offset())?;
        Ok((attribute, encoding))
    }

    /// Enforces 1..=MAX values, DER order of the canonical encodings (legacy or
    /// primitive-wrapped values may sort differently on the wire) and no repeats.
    fn check_and_sort(&mut self, offset: usize) -> Result<(), DerError> {
        let count = self.values.len();
        if count == 0 {
            return Err(DerError::new(
                DerErrorKind::SizeConstraint {
                    min: 1,
                    max: MAX_CLEARANCES_PER_ATTRIBUTE,
                    found: 0,
                },
                offset,
            )
            .within("values"));
        }
        if count > MAX_CLEARANCES_PER_ATTRIBUTE {
            return Err(DerError::new(
                DerErrorKind::TooManyClearances {
                    limit: MAX_CLEARANCES_PER_ATTRIBUTE,
                },
                offset,
            )
            .within("values"));
        }
        self.values.sort_by_cached_key(ClearanceDer::encode);
        let encodings: Vec<Vec<u8>> = self.values.iter().map(ClearanceDer::encode).collect();
        if encodings.windows(2).any(|pair| pair.first() == pair.get(1)) {
            return Err(DerError::new(DerErrorKind::DuplicateElement, offset).within("values"));
        }
        // What this crate writes, it must be able to read back (a decoded attribute is within
        // the limit already).
        if self.encode().len() > MAX_DER_INPUT_BYTES {
            return Err(DerError::new(
                DerErrorKind::InputTooLarge {
                    limit: MAX_DER_INPUT_BYTES,
                },
                offset,
            )
            .within("values"));
        }
        Ok(())
    }
}

/// The clearance attribute form named by an attribute type, if it is one.
pub(crate) fn clearance_attribute_form(attribute_type: OidRef<'_>) -> Option<ClearanceForm> {
    if attribute_type == ID_AT_CLEARANCE {
        Some(ClearanceForm::Current)
    } else if attribute_type == ID_AT_CLEARANCE_RFC3281 {
        Some(ClearanceForm::Legacy)
    } else {
        None
    }
}

/// Either a bare Clearance or a clearance Attribute, as read by [`ClearanceInput::decode`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClearanceInput<'a> {
    /// A bare `Clearance`.
    Clearance(ClearanceDer<'a>),
    /// An X.501 `Attribute` of type 2.5.4.55 or 2.5.1.5.55.
    Attribute(ClearanceAttribute<'a>),
}

impl<'a> ClearanceInput<'a> {
    /// Decodes either a bare Clearance (either form) or a clearance Attribute that is the whole
    /// of `input`.
    ///
    /// Both are SEQUENCEs that may start with an OBJECT IDENTIFIER; the input is read as an
    /// Attribute when that OID is 2.5.4.55 or 2.5.1.5.55 and a SET follows it (a Clearance
    /// whose *policy* was the clearance attribute type would be meaningless).
    pub fn decode(input: &'a [u8]) -> Result<Self, DerError> {
        Self::decode_noting_encoding(input).map(|(read, _)| read)
    }

    /// [`ClearanceInput::decode`], also telling whether the input was in the canonical
    /// encoding (and so equals [`ClearanceInput::encode`] of the result).
    pub(crate) fn decode_noting_encoding(input: &'a [u8]) -> Result<(Self, Encoding), DerError> {
        let tlv = whole_input(input, "Clearance or Attribute")?;
        if looks_like_attribute(tlv) {
            ClearanceAttribute::decode_tlv(tlv).map(|(a, e)| (Self::Attribute(a), e))
        } else {
            ClearanceDer::decode_tlv(tlv).map(|(c, e)| (Self::Clearance(c), e))
        }
    }

    /// The same values as the encoder writes them: current form and attribute type.
    pub(crate) fn in_current_form(&self) -> Self {
        let current = |c: &ClearanceDer<'a>| ClearanceDer {
            form: ClearanceForm::Current,
            ..c.clone()
        };
        match self {
            Self::Clearance(c) => Self::Clearance(current(c)),
            Self::Attribute(a) => Self::Attribute(ClearanceAttribute {
                attribute_type: ClearanceForm::Current,
                values: a.values.iter().map(current).collect(),
            }),
        }
    }

    /// The Clearance values: one for a bare Clearance, all of an Attribute's.
    pub fn clearances(&self) -> &[ClearanceDer<'a>] {
        match self {
            Self::Clearance(c) => core::slice::from_ref(c),
            Self::Attribute(a) => &a.values,
        }
    }

    /// The DER encoding (current form).
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Self::Clearance(c) => c.encode(),
            Self::Attribute(a) => a.encode(),
        }
    }
}

fn looks_like_attribute(tlv: Tlv<'_>) -> bool {
    if tlv.tag() != Tag::SEQUENCE {
        return false;
    }
    let Ok(mut fields) = tlv.contents() else {
        return false;
    };
    let is_clearance_type = fields
        .read_optional(Tag::OBJECT_IDENTIFIER)
        .ok()
        .flatten()
        .and_then(|t| t.as_oid().ok())
        .and_then(clearance_attribute_form)
        .is_some();
    is_clearance_type && fields.peek_tag().ok().flatten() == Some(Tag::SET)
}

/// Reads the single TLV that must make up `input`, under the DER input limit.
fn whole_input<'a>(input: &'a [u8], structure: &'static str) -> Result<Tlv<'a>, DerError> {
    if input.len() > MAX_DER_INPUT_BYTES {
        return Err(DerError::new(
            DerErrorKind::InputTooLarge {
                limit: MAX_DER_INPUT_BYTES,
            },
            0,
        ));
    }
    let mut reader = Reader::new(input);
    let tlv = reader.read().map_err(|e| e.within(structure))?;
    reader.finish(structure).map_err(|e| e.within(structure))?;
    Ok(tlv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::Oid;
    use crate::error::Fault;
    use crate::label::security_category::{CategorySyntax, TagCategory};

    fn oid(s: &str) -> Oid {
        Oid::from_dotted(s).unwrap()
    }

    #[test]
    fn constants_match_their_dotted_form() {
        assert_eq!(ID_AT_CLEARANCE, oid("2.5.4.55"));
        assert_eq!(ID_AT_CLEARANCE_RFC3281, oid("2.5.1.5.55"));
    }

    #[test]
    fn class_list_default_and_bits() {
        let d = ClassList::default();
        assert!(d.contains(1) && !d.contains(0) && !d.contains(2));
        assert_eq!(d.iter().collect::<Vec<_>>(), [1]);
        assert!(d.is_default());
        assert!(ClassList::empty().is_empty());
        let all = ClassList::from_classifications([0, 256]).unwrap();
        assert_eq!(all.iter().collect::<Vec<_>>(), [0, 256]);
        assert!(ClassList::from_classifications([257]).is_err());
        assert_eq!(
            format!("{:?}", ClassList::from_classifications([2, 4]).unwrap()),
            "{2, 4}"
        );
    }

    /// standards.md §5.1: `03 02 05 e0` = {unmarked, unclassified, restricted}.
    #[test]
    fn current_form_vector() {
        let der = [
            0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x37, 0x03, 0x02, 0x05, 0xe0,
        ];
        let c = ClearanceDer::decode(&der).unwrap();
        assert_eq!(c.form(), ClearanceForm::Current);
        assert_eq!(c.policy(), oid("2.5.4.55"));
        assert_eq!(c.class_list().iter().collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(c.encode(), der);
        let legacy = c.encode_in(ClearanceForm::Legacy);
        assert_eq!(
            legacy,
            [0x30, 0x09, 0x80, 0x03, 0x55, 0x04, 0x37, 0x81, 0x02, 0x05, 0xe0]
        );
        let back = ClearanceDer::decode(&legacy).unwrap();
        assert_eq!(back.form(), ClearanceForm::Legacy);
        assert_eq!(back.encode(), der);
    }

    #[test]
    fn absent_class_list_is_the_default_and_encoding_it_is_not_der() {
        let c = ClearanceDer::decode(&[0x30, 0x03, 0x06, 0x01, 0x29]).unwrap();
        assert!(c.class_list().is_default());
        let e = ClearanceDer::decode(&[0x30, 0x07, 0x06, 0x01, 0x29, 0x03, 0x02, 0x06, 0x40])
            .unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::NotDer {
                rule: DerRule::DefaultValueEncoded
            }
        );
        assert_eq!(e.path().to_string(), "Clearance.classList");
        assert_eq!(e.offset(), 7);
        let e = ClearanceDer::decode(&[0x30, 0x07, 0x06, 0x01, 0x29, 0x03, 0x02, 0x00, 0xe0])
            .unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::NotDer {
                rule: DerRule::TrailingZeroBits
            }
        );
        // The empty class list is meaningful and distinct from the default.
        let c = ClearanceDer::decode(&[0x30, 0x06, 0x06, 0x01, 0x29, 0x03, 0x01, 0x00]).unwrap();
        assert!(c.class_list().is_empty());
        assert_eq!(c.encode(), [0x30, 0x06, 0x06, 0x01, 0x29, 0x03, 0x01, 0x00]);
    }

    #[test]
    fn class_list_bits_above_256_are_refused() {
        let mut der = vec![0x30, 0x27, 0x06, 0x01, 0x29, 0x03, 0x22, 0x07];
        der.extend([0u8; 32]);
        der.push(0x80); // bit 256
        assert!(ClearanceDer::decode(&der)
            .unwrap()
            .class_list()
            .contains(256));
        let mut der = vec![0x30, 0x27, 0x06, 0x01, 0x29, 0x03, 0x22, 0x06];
        der.extend([0u8; 32]);
        der.push(0x40); // bit 257
        assert_eq!(
            ClearanceDer::decode(&der).unwrap_err().kind(),
            &DerErrorKind::BitOutOfRange { max: 256 }
        );
    }

    #[test]
    fn attribute_and_entry_point() {
        let policy = oid("1.3.26.1.3.1");
        let tag_set = oid("1.3.26.1.4.2");
        let clearance = ClearanceDer::new(policy.as_oid_ref())
            .with_class_list(ClassList::from_classifications([1, 2, 3, 4]).unwrap())
            .with_category(SecurityCategory::Tag(
                TagCategory::new(
                    CategorySyntax::EnumeratedPermissive,
                    tag_set.as_oid_ref(),
                    [36, 1001],
                )
                .unwrap(),
            ))
            .unwrap();
        let other_policy = oid("1.3.26.1.3.2");
        let second = ClearanceDer::new(other_policy.as_oid_ref());
        let attribute = ClearanceAttribute::new(vec![clearance.clone(), second.clone()]).unwrap();
        let der = attribute.encode();
        assert_eq!(&der[..7], [0x30, der[1], 0x06, 0x03, 0x55, 0x04, 0x37]);
        let read = ClearanceInput::decode(&der).unwrap();
        assert!(matches!(read, ClearanceInput::Attribute(_)));
        assert_eq!(read.clearances().len(), 2);
        assert!(read.clearances().contains(&clearance));
        assert_eq!(read.encode(), der);
        let bare_der = clearance.encode();
        let bare = ClearanceInput::decode(&bare_der).unwrap();
        assert_eq!(bare, ClearanceInput::Clearance(clearance.clone()));
        assert!(ClearanceAttribute::new(vec![]).is_err());
        assert_eq!(
            ClearanceAttribute::new(vec![second.clone(), second])
                .unwrap_err()
                .kind(),
            &DerErrorKind::DuplicateElement
        );
    }

    #[test]
    fn legacy_attribute_type_is_read_and_rewritten_current() {
        let legacy_value = [0x30, 0x05, 0x80, 0x03, 0x55, 0x04, 0x37];
        let mut der = vec![0x30, 0x10, 0x06, 0x04, 0x55, 0x01, 0x05, 0x37, 0x31, 0x07];
        der.extend(legacy_value);
        der[1] = u8::try_from(der.len() - 2).unwrap();
        let a = ClearanceAttribute::decode(&der).unwrap();
        assert_eq!(a.attribute_type(), ClearanceForm::Legacy);
        assert_eq!(a.values()[0].form(), ClearanceForm::Legacy);
        let current = a.encode();
        let again = ClearanceAttribute::decode(&current).unwrap();
        assert_eq!(again.attribute_type(), ClearanceForm::Current);
        assert_eq!(again.values()[0].policy(), a.values()[0].policy());
    }

    #[test]
    fn attribute_errors() {
        // Attribute of another type.
        let der = [0x30, 0x07, 0x06, 0x03, 0x55, 0x04, 0x03, 0x31, 0x00];
        let e = ClearanceAttribute::decode(&der).unwrap_err();
        assert!(matches!(
            e.kind(),
            DerErrorKind::UnexpectedAttributeType { .. }
        ));
        assert_eq!(e.path().to_string(), "Attribute.type");
        // Empty values.
        let der = [0x30, 0x07, 0x06, 0x03, 0x55, 0x04, 0x37, 0x31, 0x00];
        let e = ClearanceAttribute::decode(&der).unwrap_err();
        assert!(matches!(
            e.kind(),
            DerErrorKind::SizeConstraint { found: 0, .. }
        ));
        // Too many values.
        let mut values = Vec::new();
        for i in 0..=MAX_CLEARANCES_PER_ATTRIBUTE {
            let p = oid(&format!("1.2.{i}"));
            values.push(ClearanceDer::new(p.as_oid_ref()).encode());
        }
        let mut w = Writer::new();
        w.constructed(Tag::SEQUENCE, |w| {
            w.oid(ID_AT_CLEARANCE);
            w.set_of(Tag::SET, values);
        });
        let der = w.into_bytes();
        let e = ClearanceAttribute::decode(&der).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::TooManyClearances {
                limit: MAX_CLEARANCES_PER_ATTRIBUTE
            }
        );
        assert_eq!(e.fault(), Fault::LimitExceeded);
        // A value error names its index.
        let der = [
            0x30, 0x0c, 0x06, 0x03, 0x55, 0x04, 0x37, 0x31, 0x05, 0x30, 0x03, 0x02, 0x01, 0x01,
        ];
        let e = ClearanceAttribute::decode(&der).unwrap_err();
        assert_eq!(e.path().to_string(), "Attribute.values[0].Clearance");
        assert!(matches!(e.kind(), DerErrorKind::UnexpectedTag { .. }));
    }

    #[test]
    fn clearance_errors() {
        let e = ClearanceDer::decode(&[0x30, 0x05, 0x06, 0x01, 0x29, 0x31, 0x00]).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::EmptyOptionalSet);
        assert_eq!(e.path().to_string(), "Clearance.securityCategories");
        let e = ClearanceDer::decode(&[0x30, 0x00]).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::MissingComponent {
                component: "policyId"
            }
        );
        // Components out of order: SET before BIT STRING.
        let e = ClearanceDer::decode(&[
            0x30, 0x09, 0x06, 0x01, 0x29, 0x31, 0x00, 0x03, 0x02, 0x05, 0xe0,
        ])
        .unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::EmptyOptionalSet);
        let e = ClearanceDer::decode(&[0x30, 0x07, 0x06, 0x01, 0x29, 0x03, 0x01, 0x00, 0x05])
            .unwrap_err();
        assert_eq!((e.kind(), e.offset()), (&DerErrorKind::UnexpectedEnd, 9));
        let e = ClearanceDer::decode(&[0x30, 0x05, 0x06, 0x01, 0x29, 0x05, 0x00]).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::TrailingData { after: "Clearance" });
        assert_eq!(e.offset(), 5);
    }
}
