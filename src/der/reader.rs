//! A strict, zero-copy DER reader (X.690 §8 basic encoding, restricted by §10–11 to DER).
//!
//! [`Reader`] walks a sequence of tag-length-value triples ([`Tlv`]) over borrowed bytes.
//! Everything it returns borrows the input. It accepts:
//! - tags in the low-tag-number form, and the high-tag-number form for numbers ≥ 31 in the
//!   fewest octets and at most 2³²−1 ([`DerRule::NonMinimalTag`],
//!   [`DerErrorKind::TagNumberTooLarge`]);
//! - definite lengths in the fewest octets only ([`DerRule::IndefiniteLength`],
//!   [`DerRule::NonMinimalLength`]);
//! - constructed values nested at most [`MAX_DER_DEPTH`] deep, counted each time
//!   [`Tlv::contents`] opens one ([`DerErrorKind::DepthLimitExceeded`]).
//!
//! The primitive decoders on [`Tlv`] check DER content rules: minimal INTEGERs, valid
//! OBJECT IDENTIFIERs, BIT STRINGs with 0–7 zero unused bits, PrintableString and UTF-8
//! character sets. [`SetOf`] enforces the ascending order of SET OF elements.
//!
//! Every error carries the absolute byte offset in the input first given to [`Reader::new`].
//!
//! ```
//! use crossguard::der::{Reader, Tag};
//! // SEQUENCE { INTEGER 5, OBJECT IDENTIFIER 1.1 }
//! let mut reader = Reader::new(&[0x30, 0x06, 0x02, 0x01, 0x05, 0x06, 0x01, 0x29]);
//! let sequence = reader.read_expected(Tag::SEQUENCE, "SEQUENCE")?;
//! reader.finish("the example")?;
//! let mut fields = sequence.contents()?;
//! assert_eq!(fields.read_expected(Tag::INTEGER, "INTEGER")?.as_integer()?.to_u64(), Some(5));
//! assert_eq!(fields.read_expected(Tag::OBJECT_IDENTIFIER, "OID")?.as_oid()?.to_string(), "1.1");
//! fields.finish("SEQUENCE")?;
//! # Ok::<(), crossguard::der::DerError>(())
//! ```

use core::fmt;

use super::error::{BitStringProblem, DerError, DerErrorKind, DerRule};
use super::oid::OidRef;
use crate::limits::MAX_DER_DEPTH;

/// The class of a tag (X.680 §8.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Types defined in X.680 (INTEGER, SEQUENCE, …).
    Universal,
    /// Application-wide types.
    Application,
    /// Context-specific tags (`[0]`, `[1]`, …).
    ContextSpecific,
    /// Private-use tags.
    Private,
}

/// Whether a value's content is octets or further TLVs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Form {
    /// Content octets.
    Primitive,
    /// Content TLVs.
    Constructed,
}

/// A tag: class, form and number.
///
/// Ordering is the canonical order of X.690 §10.3 used for DER SET components: by class
/// (universal, application, context-specific, private), then number; form last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag {
    class: Class,
    number: u32,
    form: Form,
}

impl Tag {
    /// `INTEGER` (universal 2).
    pub const INTEGER: Self = Self::universal(2, Form::Primitive);
    /// `BIT STRING` (universal 3).
    pub const BIT_STRING: Self = Self::universal(3, Form::Primitive);
    /// `OCTET STRING` (universal 4).
    pub const OCTET_STRING: Self = Self::universal(4, Form::Primitive);
    /// `OBJECT IDENTIFIER` (universal 6).
    pub const OBJECT_IDENTIFIER: Self = Self::universal(6, Form::Primitive);
    /// `UTF8String` (universal 12).
    pub const UTF8_STRING: Self = Self::universal(12, Form::Primitive);
    /// `SEQUENCE` / `SEQUENCE OF` (universal 16, constructed).
    pub const SEQUENCE: Self = Self::universal(16, Form::Constructed);
    /// `SET` / `SET OF` (universal 17, constructed).
    pub const SET: Self = Self::universal(17, Form::Constructed);
    /// `PrintableString` (universal 19).
    pub const PRINTABLE_STRING: Self = Self::universal(19, Form::Primitive);

    /// Any tag.
    pub const fn new(class: Class, form: Form, number: u32) -> Self {
        Self {
            class,
            number,
            form,
        }
    }

    /// A universal tag.
    pub const fn universal(number: u32, form: Form) -> Self {
        Self::new(Class::Universal, form, number)
    }

    /// A context-specific tag `[number]`.
    pub const fn context(number: u32, form: Form) -> Self {
        Self::new(Class::ContextSpecific, form, number)
    }

    /// The class.
    pub fn class(&self) -> Class {
        self.class
    }

    /// The form.
    pub fn form(&self) -> Form {
        self.form
    }

    /// The number.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Whether the form is constructed.
    pub fn is_constructed(&self) -> bool {
        self.form == Form::Constructed
    }

    fn universal_name(number: u32) -> Option<&'static str> {
        Some(match number {
            1 => "BOOLEAN",
            2 => "INTEGER",
            3 => "BIT STRING",
            4 => "OCTET STRING",
            5 => "NULL",
            6 => "OBJECT IDENTIFIER",
            10 => "ENUMERATED",
            12 => "UTF8String",
            16 => "SEQUENCE",
            17 => "SET",
            19 => "PrintableString",
            22 => "IA5String",
            23 => "UTCTime",
            24 => "GeneralizedTime",
            _ => return None,
        })
    }

    /// The form universal types must use in DER, where X.690 fixes it.
    fn required_universal_form(number: u32) -> Option<(Form, bool)> {
        // (form, whether BER would allow the other form: true for string types)
        match number {
            1 | 2 | 5 | 6 | 9 | 10 | 13 | 14 => Some((Form::Primitive, false)),
            3 | 4 | 7 | 12 | 18..=22 | 25..=30 => Some((Form::Primitive, true)),
            16 | 17 => Some((Form::Constructed, false)),
            _ => None,
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let form = match self.form {
            Form::Primitive => "primitive",
            Form::Constructed => "constructed",
        };
        match self.class {
            Class::Universal => match Self::universal_name(self.number) {
                Some(name) => {
                    let usual = Self::required_universal_form(self.number).map(|(f, _)| f);
                    if usual.is_some_and(|u| u != self.form) {
                        write!(f, "{name} ({form})")
                    } else {
                        f.write_str(name)
                    }
                }
                None => write!(f, "[UNIVERSAL {}] {form}", self.number),
            },
            Class::Application => write!(f, "[APPLICATION {}] {form}", self.number),
            Class::ContextSpecific => write!(f, "[{}] {form}", self.number),
            Class::Private => write!(f, "[PRIVATE {}] {form}", self.number),
        }
    }
}

/// One DER tag-length-value, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    tag: Tag,
    value: &'a [u8],
    encoded: &'a [u8],
    offset: usize,
    value_offset: usize,
    level: usize,
}

impl<'a> Tlv<'a> {
    /// The tag.
    pub fn tag(&self) -> Tag {
        self.tag
    }

    /// The content octets.
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The whole encoding: tag, length and content octets.
    pub fn encoded(&self) -> &'a [u8] {
        self.encoded
    }

    /// Absolute byte offset of the first tag octet.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Absolute byte offset of the first content octet.
    pub fn value_offset(&self) -> usize {
        self.value_offset
    }

    /// A reader over the content octets, one nesting level deeper. Works for either form, so
    /// that a primitive `[1]` wrapping a TLV (a common mis-encoding of an EXPLICIT tag) can be
    /// opened too; callers check the tag.
    pub fn contents(&self) -> Result<Reader<'a>, DerError> {
        let level = self.level.saturating_add(1);
        if level > MAX_DER_DEPTH {
            return Err(DerError::new(
                DerErrorKind::DepthLimitExceeded {
                    limit: MAX_DER_DEPTH,
                },
                self.offset,
            ));
        }
        Ok(Reader {
            input: self.value,
            position: 0,
            base: self.value_offset,
            level,
        })
    }

    /// The elements of a SET OF, checked to be in strictly ascending DER order.
    pub fn set_of(&self) -> Result<SetOf<'a>, DerError> {
        Ok(SetOf {
            reader: self.contents()?,
            previous: None,
        })
    }

    /// The content octets as an INTEGER (X.690 §8.3), in the fewest octets.
    pub fn as_integer(&self) -> Result<IntegerRef<'a>, DerError> {
        let at = |kind| DerError::new(kind, self.value_offset);
        match self.value {
            [] => Err(at(DerErrorKind::EmptyInteger)),
            [0x00, next, ..] if next & 0x80 == 0 => Err(at(DerErrorKind::NotDer {
                rule: DerRule::NonMinimalInteger,
            })),
            [0xff, next, ..] if next & 0x80 != 0 => Err(at(DerErrorKind::NotDer {
                rule: DerRule::NonMinimalInteger,
            })),
            octets => Ok(IntegerRef { octets }),
        }
    }

    /// The content octets as an OBJECT IDENTIFIER.
    pub fn as_oid(&self) -> Result<OidRef<'a>, DerError> {
        OidRef::from_der_content(self.value).map_err(|e| self.shift(e))
    }

    /// The content octets as a BIT STRING (X.690 §8.6 and §11.2.1).
    pub fn as_bit_string(&self) -> Result<BitStringRef<'a>, DerError> {
        BitStringRef::from_der_content(self.value).map_err(|e| self.shift(e))
    }

    /// The content octets as a UTF8String.
    pub fn as_utf8_str(&self) -> Result<&'a str, DerError> {
        core::str::from_utf8(self.value).map_err(|e| {
            DerError::new(
                DerErrorKind::InvalidUtf8,
                self.value_offset.saturating_add(e.valid_up_to()),
            )
        })
    }

    /// The content octets as a PrintableString (X.680 §41.4: letters, digits, space and
    /// `'()+,-./:=?`).
    pub fn as_printable_str(&self) -> Result<&'a str, DerError> {
        if let Some(i) = self.value.iter().position(|&b| !is_printable(b)) {
            let byte = self.value.get(i).copied().unwrap_or(0);
            return Err(DerError::new(
                DerErrorKind::InvalidPrintableString { byte },
                self.value_offset.saturating_add(i),
            ));
        }
        core::str::from_utf8(self.value)
            .map_err(|_| DerError::new(DerErrorKind::InvalidUtf8, self.value_offset))
    }

    /// Checks that the value is well-formed DER throughout: every constructed value holds a
    /// sequence of complete TLVs, nested at most [`MAX_DER_DEPTH`] deep, and universal types
    /// use the form DER requires (strings primitive, SEQUENCE and SET constructed). Content
    /// octets of primitive values other than those forms are not interpreted. Used for values
    /// crossguard carries without understanding (unknown security categories).
    pub fn validate_structure(&self) -> Result<(), DerError> {
        if self.tag.class == Class::Universal {
            if let Some((form, ber_allows_other)) = Tag::required_universal_form(self.tag.number) {
                if form != self.tag.form {
                    let kind = if ber_allows_other {
                        DerErrorKind::NotDer {
                            rule: DerRule::ConstructedString,
                        }
                    } else {
                        DerErrorKind::UnexpectedTag {
                            expected: match form {
                                Form::Primitive => "the primitive form of this type",
                                Form::Constructed => "the constructed form of this type",
                            },
                            found: self.tag,
                        }
                    };
                    return Err(DerError::new(kind, self.offset));
                }
            }
        }
        if self.tag.is_constructed() {
            for child in self.contents()? {
                child?.validate_structure()?;
            }
        }
        Ok(())
    }

    fn shift(&self, e: DerError) -> DerError {
        DerError::new(
            e.kind().clone(),
            self.value_offset.saturating_add(e.offset()),
        )
    }
}

/// Whether `b` is in the PrintableString character set (X.680 §41.4).
pub(crate) fn is_printable(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b)
}

/// A reader over a sequence of TLVs.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    input: &'a [u8],
    position: usize,
    base: usize,
    level: usize,
}

impl<'a> Reader<'a> {
    /// A reader over a whole input (offsets count from its first byte).
    pub fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            position: 0,
            base: 0,
            level: 0,
        }
    }

    /// A reader over bytes that begin at byte `base` of some larger input (a value cut out of
    /// a certificate), so that error offsets count from the start of that input.
    pub fn at_offset(input: &'a [u8], base: usize) -> Self {
        Self {
            input,
            position: 0,
            base,
            level: 0,
        }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.position >= self.input.len()
    }

    /// Absolute offset of the next byte.
    pub fn offset(&self) -> usize {
        self.base.saturating_add(self.position)
    }

    /// The tag of the next TLV, or `None` at the end.
    pub fn peek_tag(&self) -> Result<Option<Tag>, DerError> {
        if self.is_empty() {
            return Ok(None);
        }
        self.clone().read().map(|tlv| Some(tlv.tag))
    }

    /// Reads the next TLV.
    pub fn read(&mut self) -> Result<Tlv<'a>, DerError> {
        let start = self.position;
        let rest = self.input.get(start..).unwrap_or_default();
        let (tag, tag_len) = parse_tag(rest).map_err(|(kind, at)| self.error(kind, start, at))?;
        let after_tag = rest.get(tag_len..).unwrap_or_default();
        let (length, length_len) = parse_length(after_tag)
            .map_err(|(kind, at)| self.error(kind, start, tag_len.saturating_add(at)))?;
        let header = tag_len.saturating_add(length_len);
        let available = rest.len().saturating_sub(header);
        if length > available {
            return Err(self.error(
                DerErrorKind::LengthBeyondInput { length, available },
                start,
                tag_len,
            ));
        }
        let total = header.saturating_add(length);
        let (encoded, value) = match (rest.get(..total), rest.get(header..total)) {
            (Some(e), Some(v)) => (e, v),
            _ => return Err(self.error(DerErrorKind::UnexpectedEnd, start, 0)),
        };
        self.position = start.saturating_add(total);
        let offset = self.base.saturating_add(start);
        Ok(Tlv {
            tag,
            value,
            encoded,
            offset,
            value_offset: offset.saturating_add(header),
            level: self.level,
        })
    }

    /// Reads the next TLV, which must have `tag`; `expected` names it in the error.
    pub fn read_expected(&mut self, tag: Tag, expected: &'static str) -> Result<Tlv<'a>, DerError> {
        let offset = self.offset();
        if self.is_empty() {
            return Err(DerError::new(
                DerErrorKind::MissingComponent {
                    component: expected,
                },
                offset,
            ));
        }
        let tlv = self.read()?;
        if tlv.tag != tag {
            return Err(DerError::new(
                DerErrorKind::UnexpectedTag {
                    expected,
                    found: tlv.tag,
                },
                offset,
            ));
        }
        Ok(tlv)
    }

    /// Reads the next TLV if it has `tag`.
    pub fn read_optional(&mut self, tag: Tag) -> Result<Option<Tlv<'a>>, DerError> {
        if self.peek_tag()? == Some(tag) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Succeeds when every byte has been read; otherwise a trailing-data error naming the
    /// structure that ended.
    pub fn finish(&self, after: &'static str) -> Result<(), DerError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DerError::new(
                DerErrorKind::TrailingData { after },
                self.offset(),
            ))
        }
    }

    fn error(&self, kind: DerErrorKind, start: usize, within: usize) -> DerError {
        DerError::new(kind, self.base.saturating_add(start).saturating_add(within))
    }
}

/// Reads TLVs to the end; stops after the first error.
impl<'a> Iterator for Reader<'a> {
    type Item = Result<Tlv<'a>, DerError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.is_empty() {
            return None;
        }
        let item = self.read();
        if item.is_err() {
            self.position = self.input.len();
        }
        Some(item)
    }
}

/// The elements of a SET OF, each strictly greater than the one before in DER order
/// (X.690 §11.6; equal elements are refused with [`DerErrorKind::DuplicateElement`]).
#[derive(Clone, Debug)]
pub struct SetOf<'a> {
    reader: Reader<'a>,
    previous: Option<&'a [u8]>,
}

impl<'a> Iterator for SetOf<'a> {
    type Item = Result<Tlv<'a>, DerError>;
    fn next(&mut self) -> Option<Self::Item> {
        let tlv = match self.reader.next()? {
            Ok(tlv) => tlv,
            Err(e) => return Some(Err(e)),
        };
        if let Some(previous) = self.previous {
            // Complete encodings of one SET OF are never proper prefixes of one another, so
            // slice order equals X.690's zero-padded comparison.
            let kind = match previous.cmp(tlv.encoded) {
                core::cmp::Ordering::Less => None,
                core::cmp::Ordering::Equal => Some(DerErrorKind::DuplicateElement),
                core::cmp::Ordering::Greater => Some(DerErrorKind::NotDer {
                    rule: DerRule::SetOfUnsorted,
                }),
            };
            if let Some(kind) = kind {
                self.reader.position = self.reader.input.len();
                return Some(Err(DerError::new(kind, tlv.offset)));
            }
        }
        self.previous = Some(tlv.encoded);
        Some(Ok(tlv))
    }
}

/// Returns (tag, octets used) or (error, offset within `input`).
fn parse_tag(input: &[u8]) -> Result<(Tag, usize), (DerErrorKind, usize)> {
    let &first = input.first().ok_or((DerErrorKind::UnexpectedEnd, 0))?;
    let class = match first >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::ContextSpecific,
        _ => Class::Private,
    };
    let form = if first & 0x20 == 0 {
        Form::Primitive
    } else {
        Form::Constructed
    };
    let low = first & 0x1f;
    if low != 0x1f {
        return Ok((Tag::new(class, form, u32::from(low)), 1));
    }
    // High-tag-number form: base-128, most significant group first.
    let mut number: u32 = 0;
    for (i, &b) in input.iter().enumerate().skip(1) {
        if i == 1 && b == 0x80 {
            return Err((
                DerErrorKind::NotDer {
                    rule: DerRule::NonMinimalTag,
                },
                1,
            ));
        }
        number = number
            .checked_mul(128)
            .and_then(|n| n.checked_add(u32::from(b & 0x7f)))
            .ok_or((DerErrorKind::TagNumberTooLarge, 1))?;
        if b & 0x80 == 0 {
            if number < 31 {
                return Err((
                    DerErrorKind::NotDer {
                        rule: DerRule::NonMinimalTag,
                    },
                    1,
                ));
            }
            return Ok((Tag::new(class, form, number), i.saturating_add(1)));
        }
    }
    Err((DerErrorKind::UnexpectedEnd, input.len()))
}

/// Returns (length, octets used) or (error, offset within `input`).
fn parse_length(input: &[u8]) -> Result<(usize, usize), (DerErrorKind, usize)> {
    let &first = input.first().ok_or((DerErrorKind::UnexpectedEnd, 0))?;
    if first < 0x80 {
        return Ok((usize::from(first), 1));
    }
    if first == 0x80 {
        return Err((
            DerErrorKind::NotDer {
                rule: DerRule::IndefiniteLength,
            },
            0,
        ));
    }
    let count = usize::from(first & 0x7f);
    if count > core::mem::size_of::<usize>() {
        return Err((DerErrorKind::LengthTooLong, 0));
    }
    let octets = input
        .get(1..=count)
        .ok_or((DerErrorKind::UnexpectedEnd, input.len()))?;
    if octets.first() == Some(&0) {
        return Err((
            DerErrorKind::NotDer {
                rule: DerRule::NonMinimalLength,
            },
            0,
        ));
    }
    let mut length: usize = 0;
    for &b in octets {
        length = length
            .checked_mul(256)
            .and_then(|l| l.checked_add(usize::from(b)))
            .ok_or((DerErrorKind::LengthTooLong, 0))?;
    }
    if length < 0x80 {
        return Err((
            DerErrorKind::NotDer {
                rule: DerRule::NonMinimalLength,
            },
            0,
        ));
    }
    Ok((length, count.saturating_add(1)))
}

/// The content octets of a DER INTEGER: non-empty, in the fewest octets, two's complement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntegerRef<'a> {
    octets: &'a [u8],
}

impl<'a> IntegerRef<'a> {
    /// The two's-complement content octets.
    pub fn octets(&self) -> &'a [u8] {
        self.octets
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.octets.first().is_some_and(|b| b & 0x80 != 0)
    }

    /// The value, if it is in `0..=u64::MAX`.
    pub fn to_u64(self) -> Option<u64> {
        if self.is_negative() {
            return None;
        }
        let digits = match self.octets {
            [0, rest @ ..] => rest,
            all => all,
        };
        if digits.len() > 8 {
            return None;
        }
        Some(digits.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b)))
    }

    /// The value as an unsigned integer in `min..=max`, or an
    /// [`DerErrorKind::IntegerOutOfRange`] error at `offset`.
    pub(crate) fn to_u64_in(self, min: u64, max: u64, offset: usize) -> Result<u64, DerError> {
        self.to_u64()
            .filter(|v| (min..=max).contains(v))
            .ok_or_else(|| DerError::new(DerErrorKind::IntegerOutOfRange { min, max }, offset))
    }
}

/// The content octets of a DER BIT STRING: an unused-bits octet in 0..=7 (0 when empty) and
/// the data octets, whose unused bits are zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BitStringRef<'a> {
    unused: u8,
    data: &'a [u8],
}

impl<'a> BitStringRef<'a> {
    /// Validates content octets (errors at offsets relative to `content`).
    pub fn from_der_content(content: &'a [u8]) -> Result<Self, DerError> {
        let invalid = |problem, at| DerError::new(DerErrorKind::InvalidBitString { problem }, at);
        let (&unused, data) = content
            .split_first()
            .ok_or_else(|| invalid(BitStringProblem::Empty, 0))?;
        if unused > 7 {
            return Err(invalid(BitStringProblem::UnusedBitsAbove7 { unused }, 0));
        }
        match data.last() {
            None if unused != 0 => {
                return Err(invalid(BitStringProblem::UnusedBitsInEmpty { unused }, 0))
            }
            Some(&last) if last & low_mask(unused) != 0 => {
                return Err(DerError::new(
                    DerErrorKind::NotDer {
                        rule: DerRule::UnusedBitsNotZero,
                    },
                    content.len().saturating_sub(1),
                ))
            }
            _ => {}
        }
        Ok(Self { unused, data })
    }

    /// The number of unused bits in the last data octet.
    pub fn unused_bits(&self) -> u8 {
        self.unused
    }

    /// The data octets (bit 0 is the most significant bit of the first octet).
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Number of bits.
    pub fn bit_len(&self) -> usize {
        self.data
            .len()
            .saturating_mul(8)
            .saturating_sub(usize::from(self.unused))
    }

    /// Number of bits set.
    pub fn count_ones(&self) -> usize {
        self.data
            .iter()
            .map(|b| usize::try_from(b.count_ones()).unwrap_or(8))
            .fold(0, usize::saturating_add)
    }

    /// Whether the last bit is zero (a named-bit BIT STRING in DER has none such, X.690
    /// §11.2.2). An empty bit string has no trailing zero bits.
    pub fn has_trailing_zero_bits(&self) -> bool {
        self.data
            .last()
            .is_some_and(|&last| last & (1u8 << self.unused) == 0)
    }

    /// The numbers of the bits that are set, ascending.
    pub fn set_bits(&self) -> impl Iterator<Item = usize> + 'a {
        self.data.iter().enumerate().flat_map(|(i, &byte)| {
            (0..8usize)
                .filter(move |bit| byte & (0x80u8 >> bit) != 0)
                .map(move |bit| i.saturating_mul(8).saturating_add(bit))
        })
    }
}

/// The low `n` bits of an octet (n ≤ 7).
fn low_mask(n: u8) -> u8 {
    u8::try_from((1u16 << n).saturating_sub(1)).unwrap_or(0xff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &[u8]) -> DerError {
        let mut r = Reader::new(input);
        r.read().unwrap_err()
    }

    #[test]
    fn reads_a_tlv_and_its_position() {
        let input = [0x30, 0x03, 0x02, 0x01, 0x05, 0xff];
        let mut r = Reader::new(&input);
        let seq = r.read().unwrap();
        assert_eq!(seq.tag(), Tag::SEQUENCE);
        assert_eq!(seq.value(), &[0x02, 0x01, 0x05]);
        assert_eq!(seq.encoded(), &input[..5]);
        assert_eq!((seq.offset(), seq.value_offset()), (0, 2));
        let e = r.finish("SEQUENCE").unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::TrailingData { after: "SEQUENCE" });
        assert_eq!(e.offset(), 5);
        let mut inner = seq.contents().unwrap();
        let int = inner.read_expected(Tag::INTEGER, "INTEGER").unwrap();
        assert_eq!(int.offset(), 2);
        assert_eq!(int.as_integer().unwrap().to_u64(), Some(5));
        assert!(inner.is_empty());
    }

    #[test]
    fn lengths_must_be_definite_and_minimal() {
        let not_der = |input: &[u8], rule| {
            let e = err(input);
            assert_eq!(e.kind(), &DerErrorKind::NotDer { rule }, "{input:02x?}");
        };
        not_der(&[0x30, 0x80, 0x00, 0x00], DerRule::IndefiniteLength);
        not_der(
            &[0x04, 0x81, 0x05, 1, 2, 3, 4, 5],
            DerRule::NonMinimalLength,
        );
        not_der(&[0x04, 0x82, 0x00, 0x80], DerRule::NonMinimalLength);
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([0u8; 128]);
        assert_eq!(Reader::new(&long).read().unwrap().value().len(), 128);
        assert_eq!(
            err(&[0x04, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1]).kind(),
            &DerErrorKind::LengthTooLong
        );
        assert_eq!(
            err(&[0x04, 0x05, 1, 2]).kind(),
            &DerErrorKind::LengthBeyondInput {
                length: 5,
                available: 2
            }
        );
        assert_eq!(err(&[0x04]).kind(), &DerErrorKind::UnexpectedEnd);
        assert_eq!(
            err(&[0x04, 0x82, 0x01]).kind(),
            &DerErrorKind::UnexpectedEnd
        );
        assert_eq!(err(&[]).kind(), &DerErrorKind::UnexpectedEnd);
    }

    #[test]
    fn high_tag_numbers() {
        let tlv = Reader::new(&[0x9f, 0x81, 0x00, 0x00]).read().unwrap();
        assert_eq!(tlv.tag(), Tag::context(128, Form::Primitive));
        assert_eq!(tlv.value_offset(), 4);
        let tlv = Reader::new(&[0x1f, 0x1f, 0x00]).read().unwrap();
        assert_eq!(tlv.tag(), Tag::universal(31, Form::Primitive));
        assert_eq!(
            err(&[0x1f, 0x1e, 0x00]).kind(),
            &DerErrorKind::NotDer {
                rule: DerRule::NonMinimalTag
            }
        );
        assert_eq!(
            err(&[0x1f, 0x80, 0x20, 0x00]).kind(),
            &DerErrorKind::NotDer {
                rule: DerRule::NonMinimalTag
            }
        );
        assert_eq!(
            err(&[0x1f, 0x90, 0x80, 0x80, 0x80, 0x00, 0x00]).kind(),
            &DerErrorKind::TagNumberTooLarge
        );
        assert_eq!(err(&[0x1f, 0x81]).kind(), &DerErrorKind::UnexpectedEnd);
    }

    #[test]
    fn integers_must_be_minimal() {
        let int = |v: &[u8]| {
            let mut enc = vec![0x02, u8::try_from(v.len()).unwrap()];
            enc.extend_from_slice(v);
            let tlv = Reader::new(&enc).read().unwrap();
            tlv.as_integer().map(|i| (i.is_negative(), i.to_u64()))
        };
        assert_eq!(int(&[0x00]).unwrap(), (false, Some(0)));
        assert_eq!(int(&[0x00, 0x80]).unwrap(), (false, Some(128)));
        assert_eq!(int(&[0x7f]).unwrap(), (false, Some(127)));
        assert_eq!(int(&[0xff]).unwrap(), (true, None));
        assert_eq!(
            int(&[0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).unwrap(),
            (false, Some(u64::MAX))
        );
        assert_eq!(int(&[0x01, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap(), (false, None));
        for bad in [&[0x00, 0x7f][..], &[0xff, 0x80]] {
            assert_eq!(
                int(bad).unwrap_err().kind(),
                &DerErrorKind::NotDer {
                    rule: DerRule::NonMinimalInteger
                }
            );
        }
        assert_eq!(int(&[]).unwrap_err().kind(), &DerErrorKind::EmptyInteger);
    }

    #[test]
    fn bit_strings() {
        fn bits(c: &[u8]) -> Result<BitStringRef<'_>, DerError> {
            BitStringRef::from_der_content(c)
        }
        let b = bits(&[0x05, 0xe0]).unwrap();
        assert_eq!(b.set_bits().collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(
            (b.bit_len(), b.count_ones(), b.has_trailing_zero_bits()),
            (3, 3, false)
        );
        assert!(bits(&[0x00, 0x80]).unwrap().has_trailing_zero_bits());
        assert!(!bits(&[0x00]).unwrap().has_trailing_zero_bits());
        assert_eq!(bits(&[0x00]).unwrap().bit_len(), 0);
        let problem = |c: &[u8]| bits(c).unwrap_err().kind().clone();
        assert_eq!(
            problem(&[]),
            DerErrorKind::InvalidBitString {
                problem: BitStringProblem::Empty
            }
        );
        assert_eq!(
            problem(&[0x09, 0x00]),
            DerErrorKind::InvalidBitString {
                problem: BitStringProblem::UnusedBitsAbove7 { unused: 9 }
            }
        );
        assert_eq!(
            problem(&[0x03]),
            DerErrorKind::InvalidBitString {
                problem: BitStringProblem::UnusedBitsInEmpty { unused: 3 }
            }
        );
        assert_eq!(
            problem(&[0x05, 0xe8]),
            DerErrorKind::NotDer {
                rule: DerRule::UnusedBitsNotZero
            }
        );
    }

    #[test]
    fn strings() {
        let tlv = |b: &'static [u8]| Reader::new(b).read().unwrap();
        assert_eq!(tlv(b"\x13\x03A-z").as_printable_str().unwrap(), "A-z");
        let e = tlv(b"\x13\x03A*z").as_printable_str().unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::InvalidPrintableString { byte: b'*' }
        );
        assert_eq!(e.offset(), 3);
        assert_eq!(tlv("\x0c\x02é".as_bytes()).as_utf8_str().unwrap(), "é");
        let e = tlv(b"\x0c\x02a\xff").as_utf8_str().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (&DerErrorKind::InvalidUtf8, 3));
    }

    #[test]
    fn depth_budget() {
        // MAX_DER_DEPTH + 1 nested SEQUENCEs around nothing.
        let mut enc = Vec::new();
        for _ in 0..=MAX_DER_DEPTH {
            let mut outer = vec![0x30, u8::try_from(enc.len()).unwrap()];
            outer.extend(enc);
            enc = outer;
        }
        let tlv = Reader::new(&enc).read().unwrap();
        assert_eq!(
            tlv.validate_structure().unwrap_err().kind(),
            &DerErrorKind::DepthLimitExceeded {
                limit: MAX_DER_DEPTH
            }
        );
        let fits = &enc[2..];
        Reader::new(fits)
            .read()
            .unwrap()
            .validate_structure()
            .unwrap();
    }

    #[test]
    fn structure_validation_checks_forms() {
        let tlv = |b: &'static [u8]| Reader::new(b).read().unwrap();
        assert_eq!(
            tlv(&[0x30, 0x04, 0x23, 0x02, 0x03, 0x00])
                .validate_structure()
                .unwrap_err()
                .kind(),
            &DerErrorKind::NotDer {
                rule: DerRule::ConstructedString
            }
        );
        assert!(matches!(
            tlv(&[0x10, 0x00]).validate_structure().unwrap_err().kind(),
            DerErrorKind::UnexpectedTag { .. }
        ));
        assert!(tlv(&[0x30, 0x05, 0xa0, 0x03, 0x02, 0x01, 0x01])
            .validate_structure()
            .is_ok());
        let e = tlv(&[0x30, 0x03, 0x02, 0x05, 0x00])
            .validate_structure()
            .unwrap_err();
        assert_eq!(e.offset(), 3);
    }

    #[test]
    fn set_of_order() {
        let collect = |b: &'static [u8]| {
            Reader::new(b)
                .read()
                .unwrap()
                .set_of()
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
        };
        assert_eq!(
            collect(&[0x31, 0x07, 0x02, 0x01, 0x24, 0x02, 0x02, 0x03, 0xe9])
                .unwrap()
                .len(),
            2
        );
        let e = collect(&[0x31, 0x07, 0x02, 0x02, 0x03, 0xe9, 0x02, 0x01, 0x24]).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (
                &DerErrorKind::NotDer {
                    rule: DerRule::SetOfUnsorted
                },
                6
            )
        );
        let e = collect(&[0x31, 0x06, 0x02, 0x01, 0x24, 0x02, 0x01, 0x24]).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::DuplicateElement);
    }

    #[test]
    fn tag_order_and_display() {
        assert!(Tag::INTEGER < Tag::OBJECT_IDENTIFIER);
        assert!(Tag::SET < Tag::PRINTABLE_STRING);
        assert!(Tag::PRINTABLE_STRING < Tag::context(0, Form::Primitive));
        assert_eq!(Tag::SEQUENCE.to_string(), "SEQUENCE");
        assert_eq!(
            Tag::universal(16, Form::Primitive).to_string(),
            "SEQUENCE (primitive)"
        );
        assert_eq!(
            Tag::context(1, Form::Constructed).to_string(),
            "[1] constructed"
        );
        assert_eq!(
            Tag::universal(31, Form::Primitive).to_string(),
            "[UNIVERSAL 31] primitive"
        );
    }
}
