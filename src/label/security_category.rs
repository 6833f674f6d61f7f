//! `SecurityCategory` (RFC 2634 §5.4.8, RFC 5755 §4.4.6, RFC 5912) and the five category value
//! syntaxes of ACP-145(A) Annex C (standards.md §4.2).
//!
//! ```text
//! SecurityCategory ::= SEQUENCE {
//!   type  [0] IMPLICIT OBJECT IDENTIFIER,
//!   value [1] EXPLICIT ANY DEFINED BY type }
//!
//! -- id-commonSecurityCategoriesSyntaxes = 2.16.840.1.101.2.1.8.3
//! RestrictiveTag  ::= SEQUENCE { tagName OBJECT IDENTIFIER, attributeFlags BIT STRING }     -- .0
//! EnumeratedTag   ::= SEQUENCE { tagName OBJECT IDENTIFIER,
//!                                attributeList SET OF SecurityAttribute }                 -- .1, .4
//! PermissiveTag   ::= SEQUENCE { tagName OBJECT IDENTIFIER, attributeFlags BIT STRING }     -- .2
//! InformativeTag  ::= SEQUENCE { tagName OBJECT IDENTIFIER, field FreeFormField }          -- .3
//! FreeFormField   ::= CHOICE { bitSetAttributes BIT STRING,
//!                              securityAttributes SET OF SecurityAttribute }
//! SecurityAttribute ::= INTEGER (0..MAX)
//! ```
//!
//! A category of one of the five syntaxes is read into a [`TagCategory`]: the syntax, the tag
//! set (`tagName`, a SPIF `securityCategoryTagSet/@id`) and its values (bit numbers or
//! `SecurityAttribute` integers, both SPIF `lacv`s) sorted ascending, each at most
//! [`MAX_LACV`], at most [`MAX_CATEGORY_VALUES`] of them. Any other category type is kept
//! opaque as an [`OtherCategory`] (its value checked to be one well-formed DER value), so that a
//! guard can refuse it by name rather than misread it.
//!
//! Wire details:
//! - `value [1]` is accepted both constructed (`A1 len <TLV>`, the correct EXPLICIT encoding)
//!   and primitive (`81 len <TLV>`, seen in the pyasn1-modules vectors); either way it must hold
//!   exactly one complete TLV. The encoder emits `A1`.
//! - `attributeFlags` / `bitSetAttributes` are plain BIT STRINGs (no named bits), so DER allows
//!   trailing zero bits there and the decoder accepts them; the encoder writes the fewest
//!   octets (trailing zero bits dropped, unused bits zero).
//! - A SET OF SecurityAttribute must ascend strictly (DER order, which for non-negative
//!   INTEGERs is numeric order); a repeated value is refused.
//!
//! ```
//! use crossguard::der::Oid;
//! use crossguard::label::security_category::{CategorySyntax, SecurityCategory, TagCategory};
//! let tag_set = Oid::from_dotted("1.3.26.1.4.2")?;
//! let category = TagCategory::new(CategorySyntax::EnumeratedPermissive, tag_set.as_oid_ref(), [1001, 36])?;
//! assert_eq!(category.values(), [36, 1001]);
//! let der = SecurityCategory::Tag(category.clone()).encode();
//! assert_eq!(SecurityCategory::decode(&der)?, SecurityCategory::Tag(category));
//! # Ok::<(), crossguard::der::DerError>(())
//! ```

use crate::der::{DerError, DerErrorKind, Form, OidRef, Reader, Tag, Tlv, Writer};
use crate::limits::{MAX_CATEGORY_VALUES, MAX_DER_INPUT_BYTES, MAX_LACV, MAX_SECURITY_CATEGORIES};

/// `id-commonSecurityCategoriesSyntaxes`, 2.16.840.1.101.2.1.8.3 (ACP-145(A)).
pub const ACP145_SYNTAXES_ARC: OidRef<'static> =
    OidRef::from_static_content(&[0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03]);

const TYPE_TAG: Tag = Tag::context(0, Form::Primitive);
const VALUE_TAG: Tag = Tag::context(1, Form::Constructed);
const VALUE_TAG_PRIMITIVE: Tag = Tag::context(1, Form::Primitive);

/// How a category's values combine in an access decision (the SPIF `tagType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CategoryKind {
    /// The clearance must hold every value of the label.
    Restrictive,
    /// The clearance must hold at least one value of the label.
    Permissive,
    /// Not used in the access decision.
    Informative,
}

/// One of the ACP-145(A) category value syntaxes, with the `FreeFormField` alternative of the
/// informative syntax made explicit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CategorySyntax {
    /// `restrictiveBitMap` (…8.3.0): `RestrictiveTag`, values as a bit string.
    RestrictiveBitMap,
    /// `enumeratedPermissiveAttributes` (…8.3.1): `EnumeratedTag`, values as integers.
    EnumeratedPermissive,
    /// `permissiveBitMap` (…8.3.2): `PermissiveTag`, values as a bit string.
    PermissiveBitMap,
    /// `informativeAttributes` (…8.3.3) with `bitSetAttributes`.
    InformativeBitSet,
    /// `informativeAttributes` (…8.3.3) with `securityAttributes`.
    InformativeAttributes,
    /// `enumeratedRestrictiveAttributes` (…8.3.4): `EnumeratedTag`, values as integers.
    EnumeratedRestrictive,
}

/// How a syntax carries its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueForm {
    /// A BIT STRING whose set bits are the values.
    BitString,
    /// A SET OF INTEGER.
    IntegerSet,
}

impl CategorySyntax {
    /// Every syntax.
    pub const ALL: [Self; 6] = [
        Self::RestrictiveBitMap,
        Self::EnumeratedPermissive,
        Self::PermissiveBitMap,
        Self::InformativeBitSet,
        Self::InformativeAttributes,
        Self::EnumeratedRestrictive,
    ];

    /// The `SecurityCategory.type` identifying the syntax.
    pub fn type_oid(self) -> OidRef<'static> {
        const fn arc(last: u8) -> OidRef<'static> {
            OidRef::from_static_content(match last {
                0 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x00],
                1 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x01],
                2 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x02],
                3 => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x03],
                _ => &[0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x04],
            })
        }
        match self {
            Self::RestrictiveBitMap => arc(0),
            Self::EnumeratedPermissive => arc(1),
            Self::PermissiveBitMap => arc(2),
            Self::InformativeBitSet | Self::InformativeAttributes => arc(3),
            Self::EnumeratedRestrictive => arc(4),
        }
    }

    /// How values combine in an access decision.
    pub fn kind(self) -> CategoryKind {
        match self {
            Self::RestrictiveBitMap | Self::EnumeratedRestrictive => CategoryKind::Restrictive,
            Self::EnumeratedPermissive | Self::PermissiveBitMap => CategoryKind::Permissive,
            Self::InformativeBitSet | Self::InformativeAttributes => CategoryKind::Informative,
        }
    }

    /// How the values are carried.
    pub fn value_form(self) -> ValueForm {
        match self {
            Self::RestrictiveBitMap | Self::PermissiveBitMap | Self::InformativeBitSet => {
                ValueForm::BitString
            }
            Self::EnumeratedPermissive
            | Self::EnumeratedRestrictive
            | Self::InformativeAttributes => ValueForm::IntegerSet,
        }
    }

    /// The ASN.1 type name of the value, for error paths.
    fn value_type_name(self) -> &'static str {
        match self {
            Self::RestrictiveBitMap => "RestrictiveTag",
            Self::PermissiveBitMap => "PermissiveTag",
            Self::EnumeratedPermissive | Self::EnumeratedRestrictive => "EnumeratedTag",
            Self::InformativeBitSet | Self::InformativeAttributes => "InformativeTag",
        }
    }
}

/// The syntax family named by a category type, before the informative CHOICE is read.
#[derive(Clone, Copy)]
enum Family {
    Restrictive,
    EnumeratedPermissive,
    Permissive,
    Informative,
    EnumeratedRestrictive,
}

fn family(type_oid: OidRef<'_>) -> Option<Family> {
    if !type_oid.is_under(ACP145_SYNTAXES_ARC)
        || type_oid.content().len() != ACP145_SYNTAXES_ARC.content().len().saturating_add(1)
    {
        return None;
    }
    match type_oid.content().last() {
        Some(0) => Some(Family::Restrictive),
        Some(1) => Some(Family::EnumeratedPermissive),
        Some(2) => Some(Family::Permissive),
        Some(3) => Some(Family::Informative),
        Some(4) => Some(Family::EnumeratedRestrictive),
        _ => None,
    }
}

/// A category in one of the ACP-145(A) syntaxes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TagCategory<'a> {
    syntax: CategorySyntax,
    tag_name: OidRef<'a>,
    values: Vec<u32>,
}

impl<'a> TagCategory<'a> {
    /// A category of `syntax` for the tag set `tag_name`; `values` are sorted and deduplicated.
    /// Each must be at most [`MAX_LACV`], and there may be at most [`MAX_CATEGORY_VALUES`].
    pub fn new(
        syntax: CategorySyntax,
        tag_name: OidRef<'a>,
        values: impl IntoIterator<Item = u32>,
    ) -> Result<Self, DerError> {
        let mut sorted = Vec::new();
        for v in values {
            if v > MAX_LACV {
                return Err(DerError::new(
                    DerErrorKind::CategoryValueTooLarge { limit: MAX_LACV },
                    0,
                ));
            }
            sorted.push(v);
        }
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() > MAX_CATEGORY_VALUES {
            return Err(DerError::new(
                DerErrorKind::TooManyCategoryValues {
                    limit: MAX_CATEGORY_VALUES,
                },
                0,
            ));
        }
        Ok(Self {
            syntax,
            tag_name,
            values: sorted,
        })
    }

    /// The syntax.
    pub fn syntax(&self) -> CategorySyntax {
        self.syntax
    }

    /// The tag set (`tagName`).
    pub fn tag_name(&self) -> OidRef<'a> {
        self.tag_name
    }

    /// The values (bit numbers or `SecurityAttribute`s), ascending and unique.
    pub fn values(&self) -> &[u32] {
        &self.values
    }

    /// Whether `value` is among the values.
    pub fn contains(&self, value: u32) -> bool {
        self.values.binary_search(&value).is_ok()
    }
}

/// A category of a type crossguard does not interpret: its type and its value, one complete
/// DER value (the content of `value [1]`), kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OtherCategory<'a> {
    type_oid: OidRef<'a>,
    value: &'a [u8],
}

impl<'a> OtherCategory<'a> {
    /// A category of type `type_oid` holding `value`, which must be exactly one well-formed
    /// DER value. The five ACP-145 types are refused ([`DerErrorKind::KnownCategoryType`]):
    /// build a [`TagCategory`] for them.
    pub fn new(type_oid: OidRef<'a>, value: &'a [u8]) -> Result<Self, DerError> {
        if family(type_oid).is_some() {
            return Err(DerError::new(DerErrorKind::KnownCategoryType, 0));
        }
        let mut reader = Reader::new(value);
        let tlv = reader.read()?;
        reader.finish("SecurityCategory.value")?;
        tlv.validate_structure()?;
        Ok(Self { type_oid, value })
    }

    /// The category type.
    pub fn type_oid(&self) -> OidRef<'a> {
        self.type_oid
    }

    /// The value: one complete DER value (tag, length, content).
    pub fn value(&self) -> &'a [u8] {
        self.value
    }
}

/// A security category of an ESS label or a clearance.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SecurityCategory<'a> {
    /// One of the ACP-145(A) syntaxes.
    Tag(TagCategory<'a>),
    /// Any other type, kept opaque.
    Other(OtherCategory<'a>),
}

/// Whether a decoded value was in the one encoding crossguard writes, or in a form the decoder
/// tolerates (a category `value` in a primitive `[1]`, trailing zero bits in a plain bit map).
/// A value read from a canonical encoding re-encodes to the same bytes; the fuzz oracles check
/// exactly that.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Byte-identical to the encoder's output.
    Canonical,
    /// Accepted, but re-encoding changes the bytes.
    Tolerated,
}

impl Encoding {
    /// `Tolerated` if either is.
    pub(crate) fn and(self, other: Self) -> Self {
        if self == Self::Canonical {
            other
        } else {
            Self::Tolerated
        }
    }
}

impl<'a> SecurityCategory<'a> {
    /// Decodes one `SecurityCategory` that is the whole of `input`.
    pub fn decode(input: &'a [u8]) -> Result<Self, DerError> {
        if input.len() > MAX_DER_INPUT_BYTES {
            return Err(DerError::new(
                DerErrorKind::InputTooLarge {
                    limit: MAX_DER_INPUT_BYTES,
                },
                0,
            ));
        }
        let mut reader = Reader::new(input);
        let tlv = reader.read().map_err(|e| e.within("SecurityCategory"))?;
        reader
            .finish("SecurityCategory")
            .map_err(|e| e.within("SecurityCategory"))?;
        decode_element(tlv)
            .map(|(c, _)| c)
            .map_err(|e| e.within("SecurityCategory"))
    }

    /// The category type (`SecurityCategory.type`).
    pub fn type_oid(&self) -> OidRef<'a> {
        match self {
            Self::Tag(t) => t.syntax.type_oid(),
            Self::Other(o) => o.type_oid,
        }
    }

    /// The DER encoding (`value` wrapped in `A1`).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.write(&mut w);
        w.into_bytes()
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.constructed(Tag::SEQUENCE, |w| {
            w.tlv(TYPE_TAG, self.type_oid().content());
            w.constructed(VALUE_TAG, |w| match self {
                Self::Other(o) => w.raw(o.value),
                Self::Tag(t) => w.constructed(Tag::SEQUENCE, |w| {
                    w.oid(t.tag_name);
                    match t.syntax.value_form() {
                        ValueForm::BitString => w.bit_string(Tag::BIT_STRING, &t.values),
                        ValueForm::IntegerSet => w.set_of(
                            Tag::SET,
                            t.values
                                .iter()
                                .map(|&v| Writer::integer_encoding(u64::from(v)))
                                .collect(),
                        ),
                    }
                }),
            });
        });
    }
}

/// Decodes the elements of a `SET OF SecurityCategory` (at most
/// [`MAX_SECURITY_CATEGORIES`], strictly ascending), naming `field` in errors. The result is in
/// the order of the canonical encodings, which is the wire order unless some category was in a
/// tolerated form. An empty set gives an empty vector: callers apply their own size rule.
pub(crate) fn decode_set<'a>(
    set: Tlv<'a>,
    field: &'static str,
) -> Result<(Vec<SecurityCategory<'a>>, Encoding), DerError> {
    let mut categories = Vec::new();
    let mut encoding = Encoding::Canonical;
    for (index, element) in set.set_of().map_err(|e| e.within(field))?.enumerate() {
        let element = element.map_err(|e| e.within_element(field, index))?;
        if index >= MAX_SECURITY_CATEGORIES {
            return Err(DerError::new(
                DerErrorKind::TooManySecurityCategories {
                    limit: MAX_SECURITY_CATEGORIES,
                },
                element.offset(),
            )
            .within(field));
        }
        let (category, how) =
            decode_element(element).map_err(|e| e.within_element(field, index))?;
        encoding = encoding.and(how);
        categories.push(category);
    }
    if encoding == Encoding::Tolerated {
        categories.sort_by_cached_key(SecurityCategory::encode);
        // Two values that differ only in a tolerated detail are the same category.
        if categories
            .windows(2)
            .any(|pair| pair.first() == pair.get(1))
        {
            return Err(DerError::new(DerErrorKind::DuplicateElement, set.offset()).within(field));
        }
    }
    Ok((categories, encoding))
}

/// Writes a `SET OF SecurityCategory` under `tag`.
/// Inserts `category` into `categories` kept in DER SET OF order; a duplicate, or one more
/// than [`MAX_SECURITY_CATEGORIES`], is refused. Shared by ESS labels and clearances, whose
/// builders then check that the whole encoding stays readable.
pub(crate) fn insert_sorted<'a>(
    categories: &mut Vec<SecurityCategory<'a>>,
    category: SecurityCategory<'a>,
) -> Result<(), DerErrorKind> {
    if categories.len() >= MAX_SECURITY_CATEGORIES {
        return Err(DerErrorKind::TooManySecurityCategories {
            limit: MAX_SECURITY_CATEGORIES,
        });
    }
    let encoding = category.encode();
    match categories.binary_search_by(|c| c.encode().cmp(&encoding)) {
        Ok(_) => Err(DerErrorKind::DuplicateElement),
        Err(at) => {
            categories.insert(at, category);
            Ok(())
        }
    }
}

pub(crate) fn write_set(categories: &[SecurityCategory<'_>], tag: Tag, w: &mut Writer) {
    w.set_of(
        tag,
        categories.iter().map(SecurityCategory::encode).collect(),
    );
}

/// Decodes one `SecurityCategory` TLV (errors name fields inside it).
pub(crate) fn decode_element(tlv: Tlv<'_>) -> Result<(SecurityCategory<'_>, Encoding), DerError> {
    if tlv.tag() != Tag::SEQUENCE {
        return Err(DerError::new(
            DerErrorKind::UnexpectedTag {
                expected: "SEQUENCE (SecurityCategory)",
                found: tlv.tag(),
            },
            tlv.offset(),
        ));
    }
    let mut fields = tlv.contents()?;
    let type_oid = fields
        .read_expected(TYPE_TAG, "type [0] OBJECT IDENTIFIER")
        .and_then(|t| t.as_oid())
        .map_err(|e| e.within("type"))?;
    let value_offset = fields.offset();
    if fields.is_empty() {
        return Err(DerError::new(
            DerErrorKind::MissingComponent {
                component: "value [1]",
            },
            value_offset,
        ));
    }
    let wrapper = fields.read()?;
    match wrapper.tag() {
        VALUE_TAG | VALUE_TAG_PRIMITIVE => {}
        found => {
            return Err(DerError::new(
                DerErrorKind::UnexpectedTag {
                    expected: "value [1]",
                    found,
                },
                value_offset,
            ))
        }
    }
    fields.finish("SecurityCategory")?;
    let mut inside = wrapper.contents().map_err(|e| e.within("value"))?;
    if inside.is_empty() {
        return Err(DerError::new(
            DerErrorKind::MissingComponent {
                component: "the value inside [1]",
            },
            inside.offset(),
        )
        .within("value"));
    }
    let value = inside.read().map_err(|e| e.within("value"))?;
    inside
        .finish("SecurityCategory.value")
        .map_err(|e| e.within("value"))?;
    let category = match family(type_oid) {
        None => {
            value.validate_structure().map_err(|e| e.within("value"))?;
            SecurityCategory::Other(OtherCategory {
                type_oid,
                value: value.encoded(),
            })
        }
        Some(family) => SecurityCategory::Tag(decode_tag_value(family, value)?),
    };
    // Re-encoding is the exact test: it covers the wrapping and the bit-map length alike.
    let encoding = if category.encode() == tlv.encoded() {
        Encoding::Canonical
    } else {
        Encoding::Tolerated
    };
    Ok((category, encoding))
}

fn decode_tag_value(family: Family, value: Tlv<'_>) -> Result<TagCategory<'_>, DerError> {
    let provisional = match family {
        Family::Restrictive => CategorySyntax::RestrictiveBitMap,
        Family::EnumeratedPermissive => CategorySyntax::EnumeratedPermissive,
        Family::Permissive => CategorySyntax::PermissiveBitMap,
        Family::Informative => CategorySyntax::InformativeBitSet,
        Family::EnumeratedRestrictive => CategorySyntax::EnumeratedRestrictive,
    };
    let name = provisional.value_type_name();
    let within = |e: DerError| e.within(name).within("value");
    if value.tag() != Tag::SEQUENCE {
        return Err(within(DerError::new(
            DerErrorKind::UnexpectedTag {
                expected: "SEQUENCE",
                found: value.tag(),
            },
            value.offset(),
        )));
    }
    let mut fields = value.contents().map_err(within)?;
    let tag_name = fields
        .read_expected(Tag::OBJECT_IDENTIFIER, "tagName OBJECT IDENTIFIER")
        .and_then(|t| t.as_oid())
        .map_err(|e| within(e.within("tagName")))?;
    let (syntax, field, expected_tag, expected) = match family {
        Family::Restrictive | Family::Permissive => (
            provisional,
            "attributeFlags",
            Some(Tag::BIT_STRING),
            "attributeFlags BIT STRING",
        ),
        Family::EnumeratedPermissive | Family::EnumeratedRestrictive => (
            provisional,
            "attributeList",
            Some(Tag::SET),
            "attributeList SET OF SecurityAttribute",
        ),
        Family::Informative => match fields.peek_tag().map_err(within)? {
            Some(Tag::SET) => (
                CategorySyntax::InformativeAttributes,
                "field.securityAttributes",
                None,
                "",
            ),
            _ => (
                CategorySyntax::InformativeBitSet,
                "field.bitSetAttributes",
                None,
                "",
            ),
        },
    };
    let tlv = match expected_tag {
        Some(tag) => fields.read_expected(tag, expected),
        None => match fields.peek_tag() {
            Ok(Some(Tag::SET | Tag::BIT_STRING)) => fields.read(),
            Ok(Some(found)) => Err(DerError::new(
                DerErrorKind::UnexpectedTag {
                    expected: "field (BIT STRING or SET OF SecurityAttribute)",
                    found,
                },
                fields.offset(),
            )),
            Ok(None) => Err(DerError::new(
                DerErrorKind::MissingComponent {
                    component: "field FreeFormField",
                },
                fields.offset(),
            )),
            Err(e) => Err(e),
        },
    }
    .map_err(within)?;
    let values = match syntax.value_form() {
        ValueForm::BitString => bit_values(tlv).map_err(|e| e.within(field)),
        ValueForm::IntegerSet => integer_values(tlv, field),
    }
    .map_err(within)?;
    fields.finish(name).map_err(within)?;
    Ok(TagCategory {
        syntax,
        tag_name,
        values,
    })
}

fn bit_values(tlv: Tlv<'_>) -> Result<Vec<u32>, DerError> {
    let bits = tlv.as_bit_string()?;
    let longest = usize::try_from(MAX_LACV).map_or(usize::MAX, |m| m.saturating_add(1));
    if bits.bit_len() > longest {
        return Err(DerError::new(
            DerErrorKind::CategoryValueTooLarge { limit: MAX_LACV },
            tlv.value_offset(),
        ));
    }
    if bits.count_ones() > MAX_CATEGORY_VALUES {
        return Err(DerError::new(
            DerErrorKind::TooManyCategoryValues {
                limit: MAX_CATEGORY_VALUES,
            },
            tlv.value_offset(),
        ));
    }
    let mut values = Vec::with_capacity(bits.count_ones());
    for bit in bits.set_bits() {
        // bit < bit_len ≤ MAX_LACV + 1, so it fits in u32.
        values.push(u32::try_from(bit).unwrap_or(MAX_LACV));
    }
    Ok(values)
}

fn integer_values(tlv: Tlv<'_>, field: &'static str) -> Result<Vec<u32>, DerError> {
    let mut values = Vec::new();
    for (index, element) in tlv.set_of().map_err(|e| e.within(field))?.enumerate() {
        let element = element.map_err(|e| e.within_element(field, index))?;
        let at = |kind| DerError::new(kind, element.offset());
        if index >= MAX_CATEGORY_VALUES {
            return Err(at(DerErrorKind::TooManyCategoryValues {
                limit: MAX_CATEGORY_VALUES,
            })
            .within(field));
        }
        let value = (|| {
            if element.tag() != Tag::INTEGER {
                return Err(at(DerErrorKind::UnexpectedTag {
                    expected: "INTEGER (SecurityAttribute)",
                    found: element.tag(),
                }));
            }
            let integer = element.as_integer()?;
            if integer.is_negative() {
                return Err(at(DerErrorKind::IntegerOutOfRange {
                    min: 0,
                    max: u64::MAX,
                }));
            }
            integer
                .to_u64()
                .and_then(|v| u32::try_from(v).ok())
                .filter(|&v| v <= MAX_LACV)
                .ok_or_else(|| at(DerErrorKind::CategoryValueTooLarge { limit: MAX_LACV }))
        })()
        .map_err(|e| e.within_element(field, index))?;
        values.push(value);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::{DerRule, Oid};

    fn oid(s: &str) -> Oid {
        Oid::from_dotted(s).unwrap()
    }

    #[test]
    fn constants_match_their_dotted_form() {
        assert_eq!(ACP145_SYNTAXES_ARC, oid("2.16.840.1.101.2.1.8.3"));
        for (syntax, dotted) in [
            (
                CategorySyntax::RestrictiveBitMap,
                "2.16.840.1.101.2.1.8.3.0",
            ),
            (
                CategorySyntax::EnumeratedPermissive,
                "2.16.840.1.101.2.1.8.3.1",
            ),
            (CategorySyntax::PermissiveBitMap, "2.16.840.1.101.2.1.8.3.2"),
            (
                CategorySyntax::InformativeBitSet,
                "2.16.840.1.101.2.1.8.3.3",
            ),
            (
                CategorySyntax::InformativeAttributes,
                "2.16.840.1.101.2.1.8.3.3",
            ),
            (
                CategorySyntax::EnumeratedRestrictive,
                "2.16.840.1.101.2.1.8.3.4",
            ),
        ] {
            assert_eq!(syntax.type_oid(), oid(dotted));
            OidRef::from_der_content(syntax.type_oid().content()).unwrap();
        }
    }

    /// The category of the standards.md §4.4 label.
    const NATO_AUS: &[u8] = &[
        0x30, 0x20, 0x80, 0x0a, 0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x01, 0xa1,
        0x12, 0x30, 0x10, 0x06, 0x05, 0x2b, 0x1a, 0x01, 0x04, 0x02, 0x31, 0x07, 0x02, 0x01, 0x24,
        0x02, 0x02, 0x03, 0xe9,
    ];

    #[test]
    fn enumerated_permissive_vector() {
        let c = SecurityCategory::decode(NATO_AUS).unwrap();
        let SecurityCategory::Tag(t) = &c else {
            panic!("{c:?}")
        };
        assert_eq!(t.syntax(), CategorySyntax::EnumeratedPermissive);
        assert_eq!(t.syntax().kind(), CategoryKind::Permissive);
        assert_eq!(t.tag_name(), oid("1.3.26.1.4.2"));
        assert_eq!(t.values(), [36, 1001]);
        assert!(t.contains(1001) && !t.contains(37));
        assert_eq!(c.encode(), NATO_AUS);
    }

    #[test]
    fn primitive_wrapping_is_accepted_and_rewritten_explicit() {
        let mut primitive = NATO_AUS.to_vec();
        primitive[14] = 0x81;
        let c = SecurityCategory::decode(&primitive).unwrap();
        assert_eq!(c, SecurityCategory::decode(NATO_AUS).unwrap());
        assert_eq!(c.encode(), NATO_AUS);
    }

    fn category(syntax_last_arc: u8, value: &[u8]) -> Vec<u8> {
        let mut w = Writer::new();
        w.constructed(Tag::SEQUENCE, |w| {
            w.tlv(
                TYPE_TAG,
                &[
                    0x60,
                    0x86,
                    0x48,
                    0x01,
                    0x65,
                    0x02,
                    0x01,
                    0x08,
                    0x03,
                    syntax_last_arc,
                ],
            );
            w.constructed(VALUE_TAG, |w| {
                w.constructed(Tag::SEQUENCE, |w| {
                    w.tlv(Tag::OBJECT_IDENTIFIER, &[0x2b, 0x1a, 0x01, 0x04, 0x01]);
                    w.raw(value);
                })
            });
        });
        w.into_bytes()
    }

    #[test]
    fn bit_maps_and_informative_choice() {
        for (arc, value, syntax, values) in [
            (
                0u8,
                &[0x03, 0x02, 0x05, 0xe0][..],
                CategorySyntax::RestrictiveBitMap,
                &[0u32, 1, 2][..],
            ),
            (
                2,
                &[0x03, 0x03, 0x07, 0x00, 0x80],
                CategorySyntax::PermissiveBitMap,
                &[8],
            ),
            (
                3,
                &[0x03, 0x02, 0x06, 0x40],
                CategorySyntax::InformativeBitSet,
                &[1],
            ),
            (
                3,
                &[0x31, 0x03, 0x02, 0x01, 0x07],
                CategorySyntax::InformativeAttributes,
                &[7],
            ),
            (4, &[0x31, 0x00], CategorySyntax::EnumeratedRestrictive, &[]),
            (
                0,
                &[0x03, 0x01, 0x00],
                CategorySyntax::RestrictiveBitMap,
                &[],
            ),
        ] {
            let der = category(arc, value);
            let c = SecurityCategory::decode(&der).unwrap();
            let SecurityCategory::Tag(t) = &c else {
                panic!("{c:?}")
            };
            assert_eq!((t.syntax(), t.values()), (syntax, values));
            assert_eq!(c.encode(), der, "{syntax:?}");
        }
    }

    #[test]
    fn trailing_zero_bits_in_a_plain_bit_map_are_accepted_and_dropped() {
        let der = category(0, &[0x03, 0x03, 0x00, 0x80, 0x00]);
        let c = SecurityCategory::decode(&der).unwrap();
        assert_eq!(c.encode(), category(0, &[0x03, 0x02, 0x07, 0x80]));
    }

    #[test]
    fn errors_name_the_field_and_offset() {
        let e = SecurityCategory::decode(&category(0, &[0x03, 0x02, 0x09, 0x80])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "SecurityCategory.value.RestrictiveTag.attributeFlags: BIT STRING has 9 unused bits at byte 27"
        );
        let e = SecurityCategory::decode(&category(
            1,
            &[0x31, 0x06, 0x02, 0x01, 0x24, 0x02, 0x01, 0x05],
        ))
        .unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::NotDer {
                rule: DerRule::SetOfUnsorted
            }
        );
        assert_eq!(
            e.path().to_string(),
            "SecurityCategory.value.EnumeratedTag.attributeList[1]"
        );
        let e =
            SecurityCategory::decode(&category(1, &[0x31, 0x03, 0x02, 0x01, 0xff])).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::IntegerOutOfRange {
                min: 0,
                max: u64::MAX
            }
        );
        assert_eq!(
            e.path().to_string(),
            "SecurityCategory.value.EnumeratedTag.attributeList[0]"
        );
    }

    #[test]
    fn limits() {
        // 65536 is above MAX_LACV.
        let e = SecurityCategory::decode(&category(1, &[0x31, 0x05, 0x02, 0x03, 0x01, 0x00, 0x00]))
            .unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::CategoryValueTooLarge { limit: MAX_LACV }
        );
        // A bit map of MAX_LACV + 2 bits.
        let mut bits = vec![0x03, 0x82, 0x20, 0x02, 0x06];
        bits.extend(vec![0u8; 8192]);
        bits.push(0x40);
        let e = SecurityCategory::decode(&category(0, &bits)).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::CategoryValueTooLarge { limit: MAX_LACV }
        );
        // MAX_CATEGORY_VALUES + 1 bits set.
        let mut bits = vec![0x03, 0x81, 0x82, 0x00];
        bits.extend(vec![0xffu8; 129]);
        let e = SecurityCategory::decode(&category(2, &bits)).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::TooManyCategoryValues {
                limit: MAX_CATEGORY_VALUES
            }
        );
        assert!(TagCategory::new(
            CategorySyntax::PermissiveBitMap,
            oid("1.1").as_oid_ref(),
            [MAX_LACV + 1]
        )
        .is_err());
        assert!(TagCategory::new(
            CategorySyntax::PermissiveBitMap,
            oid("1.1").as_oid_ref(),
            0..=1024
        )
        .is_err());
        assert!(TagCategory::new(
            CategorySyntax::PermissiveBitMap,
            oid("1.1").as_oid_ref(),
            0..1024
        )
        .is_ok());
    }

    #[test]
    fn other_types_are_kept_opaque_but_well_formed() {
        // RFC 3114 Whirlpool categories: SEQUENCE OF UTF8String under 1.2.840.113549.1.9.16.7.4.
        let der = [
            0x30, 0x15, 0x80, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x07,
            0x04, 0xa1, 0x06, 0x30, 0x04, 0x0c, 0x02, 0x48, 0x52,
        ];
        let c = SecurityCategory::decode(&der).unwrap();
        let SecurityCategory::Other(o) = &c else {
            panic!("{c:?}")
        };
        assert_eq!(o.type_oid(), oid("1.2.840.113549.1.9.16.7.4"));
        assert_eq!(o.value(), &der[17..]);
        assert_eq!(c.encode(), der);
        assert_eq!(
            OtherCategory::new(CategorySyntax::PermissiveBitMap.type_oid(), &[0x05, 0x00])
                .unwrap_err()
                .kind(),
            &DerErrorKind::KnownCategoryType
        );
        assert!(OtherCategory::new(o.type_oid(), &[0x05, 0x00, 0x05]).is_err());
        // Two TLVs inside [1] are refused.
        let mut two = der.to_vec();
        two[1] += 2;
        two[16] += 2;
        two.extend([0x05, 0x00]);
        let e = SecurityCategory::decode(&two).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::TrailingData {
                after: "SecurityCategory.value"
            }
        );
    }

    #[test]
    fn missing_and_unexpected_components() {
        let e = SecurityCategory::decode(&[0x30, 0x03, 0x80, 0x01, 0x29]).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::MissingComponent {
                component: "value [1]"
            }
        );
        let e = SecurityCategory::decode(&[0x30, 0x05, 0x80, 0x01, 0x29, 0xa2, 0x00]).unwrap_err();
        assert!(matches!(
            e.kind(),
            DerErrorKind::UnexpectedTag {
                expected: "value [1]",
                ..
            }
        ));
        let e = SecurityCategory::decode(&[0x30, 0x03, 0x06, 0x01, 0x29]).unwrap_err();
        assert_eq!(e.path().to_string(), "SecurityCategory.type");
        let e = SecurityCategory::decode(&[0x30, 0x05, 0x80, 0x01, 0x29, 0xa1, 0x00]).unwrap_err();
        assert_eq!(e.path().to_string(), "SecurityCategory.value");
    }
}
