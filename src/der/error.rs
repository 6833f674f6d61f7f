//! The DER layer's error: what was wrong, in which ASN.1 structure and field, at which byte.
//!
//! One error type serves the DER reader and writer ([`crate::der`]) and the binary wire forms
//! built on them (ESS security labels, X.509 Clearance attributes, clearances in certificates),
//! so that a caller handles one type for everything that arrives as DER.

use core::fmt;

use crate::error::Fault;

use super::reader::Tag;

/// Most path segments an error records (`Attribute.values[0].securityCategories[1].value…`).
/// The deepest path this crate builds has eight segments
/// (`subjectDirectoryAttributes[0].Attribute.values[0].Clearance.securityCategories[0].value.
/// EnumeratedTag.attributeList[1]`); a deeper one keeps its innermost segments and is shown
/// with a leading `…`.
const MAX_PATH_SEGMENTS: usize = 10;

/// A DER value was rejected: the kind of fault, where it is (byte offset into the input as
/// given) and which ASN.1 structure and field were being read.
///
/// ```
/// use crossguard::label::ess::EssLabel;
/// use crossguard::error::Fault;
/// // A SET holding only INTEGER 4 and a UTF8String: the X.411 form, without a policy.
/// let err = EssLabel::decode(b"\x31\x06\x02\x01\x04\x0c\x01a").unwrap_err();
/// assert_eq!(err.fault(), Fault::Forbidden);
/// assert_eq!(err.path().to_string(), "ESSSecurityLabel");
/// assert_eq!(err.offset(), 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerError(Box<Inner>);

/// Boxed so that `Result<_, DerError>` stays one pointer wide on the success path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    kind: DerErrorKind,
    offset: usize,
    path: ErrorPath,
}

impl DerError {
    /// An error of `kind` at byte `offset`, with an empty path (callers add context with
    /// [`DerError::within`] and [`DerError::within_element`] as it propagates outwards).
    pub(crate) fn new(kind: DerErrorKind, offset: usize) -> Self {
        Self(Box::new(Inner {
            kind,
            offset,
            path: ErrorPath::EMPTY,
        }))
    }

    /// Prefixes the path with the structure or field `name` (outermost last).
    #[must_use]
    pub(crate) fn within(mut self, name: &'static str) -> Self {
        self.0.path.push(Segment { name, index: None });
        self
    }

    /// Prefixes the path with element `index` of the `SET OF`/`SEQUENCE OF` field `name`.
    #[must_use]
    pub(crate) fn within_element(mut self, name: &'static str, index: usize) -> Self {
        self.0.path.push(Segment {
            name,
            index: Some(index),
        });
        self
    }

    /// What was wrong.
    pub fn kind(&self) -> &DerErrorKind {
        &self.0.kind
    }

    /// Byte offset of the fault in the input as given (for a certificate, in its DER form).
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// The ASN.1 structure and field being read, e.g.
    /// `ESSSecurityLabel.security-categories[1].value` (empty for errors outside any
    /// structure, such as an over-long input).
    pub fn path(&self) -> &ErrorPath {
        &self.0.path
    }

    /// Who is at fault: malformed input, forbidden input or an exceeded limit.
    pub fn fault(&self) -> Fault {
        self.0.kind.fault()
    }
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.path.is_empty() {
            write!(f, "{}: ", self.0.path)?;
        }
        write!(f, "{} at byte {}", self.0.kind, self.0.offset)
    }
}

impl std::error::Error for DerError {}

/// The ASN.1 structure and field an error was found in, outermost first when displayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorPath {
    /// Innermost first; `len` are valid.
    segments: [Segment; MAX_PATH_SEGMENTS],
    len: usize,
    truncated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    name: &'static str,
    index: Option<usize>,
}

impl ErrorPath {
    const EMPTY: Self = Self {
        segments: [Segment {
            name: "",
            index: None,
        }; MAX_PATH_SEGMENTS],
        len: 0,
        truncated: false,
    };

    fn push(&mut self, segment: Segment) {
        match self.segments.get_mut(self.len) {
            Some(slot) => {
                *slot = segment;
                self.len = self.len.saturating_add(1);
            }
            // The outermost context is lost; the display says so.
            None => self.truncated = true,
        }
    }

    /// Whether no structure was recorded.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The segments, outermost first: a structure or field name and, for an element of a
    /// `SET OF` or `SEQUENCE OF`, its index.
    pub fn segments(&self) -> impl Iterator<Item = (&'static str, Option<usize>)> + '_ {
        self.segments
            .get(..self.len)
            .unwrap_or_default()
            .iter()
            .rev()
            .map(|s| (s.name, s.index))
    }
}

impl fmt::Display for ErrorPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.truncated {
            f.write_str("…")?;
        }
        for (i, (name, index)) in self.segments().enumerate() {
            if i > 0 || self.truncated {
                f.write_str(".")?;
            }
            f.write_str(name)?;
            if let Some(index) = index {
                write!(f, "[{index}]")?;
            }
        }
        Ok(())
    }
}

/// Every way DER input (or a value given to an encoder) can be rejected.
///
/// [`DerErrorKind::fault`] groups them: [`Fault::Malformed`] for input that breaks the ASN.1
/// grammar, [`Fault::Forbidden`] for well-formed input that crossguard refuses (BER that is not
/// DER, a label without a policy), [`Fault::LimitExceeded`] for each named limit of
/// [`crate::limits`] (one variant per limit, naming it).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DerErrorKind {
    // ---- malformed: not what the grammar allows ----
    /// The input ends where a tag or length was expected.
    UnexpectedEnd,
    /// A length runs past the end of the enclosing value.
    LengthBeyondInput {
        /// The declared length.
        length: usize,
        /// The bytes that are left.
        available: usize,
    },
    /// A length field longer than any length that fits in memory.
    LengthTooLong,
    /// A value with a tag that the grammar does not allow here.
    UnexpectedTag {
        /// What the grammar allows, e.g. `OBJECT IDENTIFIER or [0]`.
        expected: &'static str,
        /// The tag found.
        found: Tag,
    },
    /// A mandatory component is absent.
    MissingComponent {
        /// The component's name in the ASN.1 definition.
        component: &'static str,
    },
    /// A component appears twice (a SET component or both alternatives of a CHOICE).
    DuplicateComponent {
        /// The component's name in the ASN.1 definition.
        component: &'static str,
    },
    /// Bytes after the end of a complete value.
    TrailingData {
        /// The structure that ended.
        after: &'static str,
    },
    /// An INTEGER with no content octets.
    EmptyInteger,
    /// An INTEGER outside the range its type allows.
    IntegerOutOfRange {
        /// The smallest value allowed.
        min: u64,
        /// The largest value allowed.
        max: u64,
    },
    /// An OBJECT IDENTIFIER whose content octets are not a valid encoding.
    InvalidOid {
        /// What is wrong.
        problem: OidProblem,
    },
    /// A dotted object identifier string (`1.2.840.113549`) that does not follow the syntax.
    InvalidDottedOid {
        /// What is wrong.
        problem: DottedOidProblem,
    },
    /// A BIT STRING whose content octets are not a valid encoding.
    InvalidBitString {
        /// What is wrong.
        problem: BitStringProblem,
    },
    /// A named bit above the largest the type allows (a ClassList bit above 256).
    BitOutOfRange {
        /// The largest bit allowed.
        max: u32,
    },
    /// A byte outside the PrintableString character set.
    InvalidPrintableString {
        /// The offending byte.
        byte: u8,
    },
    /// A UTF8String that is not UTF-8.
    InvalidUtf8,
    /// A value whose size breaks a `SIZE (min..max)` constraint of its type.
    SizeConstraint {
        /// The smallest size allowed.
        min: usize,
        /// The largest size allowed.
        max: usize,
        /// The size found.
        found: usize,
    },
    /// An X.501 Attribute of a type other than the one being read.
    UnexpectedAttributeType {
        /// The attribute types accepted here.
        expected: &'static str,
    },
    /// x509-parser refused the certificate.
    Certificate {
        /// What it reported.
        problem: CertificateProblem,
    },
    /// A PEM-armoured certificate could not be read.
    Pem {
        /// What is wrong.
        problem: PemProblem,
    },

    // ---- caller misuse ----
    /// An opaque category was built with one of the ACP-145 category types, which crossguard
    /// interprets: such a category must be built as a tag category instead.
    KnownCategoryType,

    // ---- forbidden: well-formed perhaps, but never accepted ----
    /// Valid BER that breaks a rule of DER (X.690 §10–11). crossguard reads DER only.
    NotDer {
        /// The DER rule broken.
        rule: DerRule,
    },
    /// An `ESSSecurityLabel` without `security-policy-identifier`: the X.411 / X.841 form.
    /// RFC 2634 makes the policy mandatory, and a guard cannot interpret a classification or a
    /// category without knowing the policy that defines it, so such labels are refused.
    NoSecurityPolicyIdentifier,
    /// A SET OF holds the same element twice. DER permits equal elements, but a label or
    /// clearance that repeats a category, a value or a clearance is refused as non-canonical.
    DuplicateElement,
    /// An OPTIONAL `SET OF` present but empty: crossguard requires it to be omitted, so that
    /// each value has one encoding.
    EmptyOptionalSet,
    /// A tag number above 2³²−1 in the high-tag-number form.
    TagNumberTooLarge,
    /// A certificate without the `subjectDirectoryAttributes` extension (2.5.29.9).
    NoSubjectDirectoryAttributes,
    /// A certificate whose `subjectDirectoryAttributes` holds no Clearance attribute
    /// (2.5.4.55 or 2.5.1.5.55).
    NoClearanceAttribute,

    // ---- resource limits (see `crate::limits`) ----
    /// The input is larger than `MAX_DER_INPUT_BYTES`.
    InputTooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// The certificate is larger than `MAX_CERTIFICATE_BYTES`.
    CertificateTooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// Constructed values nest deeper than `MAX_DER_DEPTH`.
    DepthLimitExceeded {
        /// The limit in force.
        limit: usize,
    },
    /// An object identifier longer than `MAX_OID_BYTES` content octets.
    OidTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// More than `MAX_SECURITY_CATEGORIES` categories in one label or clearance.
    TooManySecurityCategories {
        /// The limit in force.
        limit: usize,
    },
    /// More than `MAX_CATEGORY_VALUES` values in one category.
    TooManyCategoryValues {
        /// The limit in force.
        limit: usize,
    },
    /// A category value (bit number or `SecurityAttribute`) above `MAX_LACV`.
    CategoryValueTooLarge {
        /// The limit in force.
        limit: u32,
    },
    /// A privacy mark longer than `MAX_PRIVACY_MARK_BYTES`.
    PrivacyMarkTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// More than `MAX_CLEARANCES_PER_ATTRIBUTE` Clearance values in one attribute.
    TooManyClearances {
        /// The limit in force.
        limit: usize,
    },
}

impl DerErrorKind {
    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match self {
            Self::UnexpectedEnd
            | Self::LengthBeyondInput { .. }
            | Self::LengthTooLong
            | Self::UnexpectedTag { .. }
            | Self::MissingComponent { .. }
            | Self::DuplicateComponent { .. }
            | Self::TrailingData { .. }
            | Self::EmptyInteger
            | Self::IntegerOutOfRange { .. }
            | Self::InvalidOid { .. }
            | Self::InvalidDottedOid { .. }
            | Self::InvalidBitString { .. }
            | Self::BitOutOfRange { .. }
            | Self::InvalidPrintableString { .. }
            | Self::InvalidUtf8
            | Self::SizeConstraint { .. }
            | Self::UnexpectedAttributeType { .. }
            | Self::Certificate { .. }
            | Self::Pem { .. } => Fault::Malformed,
            Self::KnownCategoryType => Fault::Misuse,
            Self::NotDer { .. }
            | Self::NoSecurityPolicyIdentifier
            | Self::DuplicateElement
            | Self::EmptyOptionalSet
            | Self::TagNumberTooLarge
            | Self::NoSubjectDirectoryAttributes
            | Self::NoClearanceAttribute => Fault::Forbidden,
            Self::InputTooLarge { .. }
            | Self::CertificateTooLarge { .. }
            | Self::DepthLimitExceeded { .. }
            | Self::OidTooLong { .. }
            | Self::TooManySecurityCategories { .. }
            | Self::TooManyCategoryValues { .. }
            | Self::CategoryValueTooLarge { .. }
            | Self::PrivacyMarkTooLong { .. }
            | Self::TooManyClearances { .. } => Fault::LimitExceeded,
        }
    }
}

impl fmt::Display for DerErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnexpectedEnd => f.write_str("input ends where a tag or length was expected"),
            Self::LengthBeyondInput { length, available } => write!(
                f,
                "length {length} runs past the end of the enclosing value ({available} bytes left)"
            ),
            Self::LengthTooLong => f.write_str("length field too long"),
            Self::UnexpectedTag { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            Self::MissingComponent { component } => write!(f, "no {component}"),
            Self::DuplicateComponent { component } => write!(f, "{component} appears twice"),
            Self::TrailingData { after } => write!(f, "trailing bytes after {after}"),
            Self::EmptyInteger => f.write_str("INTEGER has no content octets"),
            Self::IntegerOutOfRange { min, max } => {
                write!(f, "INTEGER outside {min}..={max}")
            }
            Self::InvalidOid { problem } => write!(f, "OBJECT IDENTIFIER {problem}"),
            Self::InvalidDottedOid { problem } => {
                write!(f, "dotted object identifier {problem}")
            }
            Self::InvalidBitString { problem } => write!(f, "BIT STRING {problem}"),
            Self::BitOutOfRange { max } => write!(f, "named bit above {max}"),
            Self::InvalidPrintableString { byte } => {
                write!(f, "byte 0x{byte:02x} is not a PrintableString character")
            }
            Self::InvalidUtf8 => f.write_str("UTF8String is not UTF-8"),
            Self::SizeConstraint { min, max, found } => {
                write!(f, "size {found} outside SIZE ({min}..{max})")
            }
            Self::UnexpectedAttributeType { expected } => {
                write!(f, "attribute type is not {expected}")
            }
            Self::Certificate { problem } => write!(f, "certificate refused: {problem}"),
            Self::Pem { problem } => write!(f, "PEM certificate refused: {problem}"),
            Self::KnownCategoryType => {
                f.write_str("an opaque category cannot have an ACP-145 type (build a tag category)")
            }
            Self::NotDer { rule } => write!(f, "not DER: {rule}"),
            Self::NoSecurityPolicyIdentifier => f.write_str(
                "no security-policy-identifier (the X.411/X.841 form is refused: a label \
                 cannot be interpreted without its policy)",
            ),
            Self::DuplicateElement => f.write_str("SET OF holds the same element twice"),
            Self::EmptyOptionalSet => {
                f.write_str("empty OPTIONAL SET OF is present (it must be omitted)")
            }
            Self::TagNumberTooLarge => f.write_str("tag number above 2^32-1"),
            Self::NoSubjectDirectoryAttributes => {
                f.write_str("certificate has no subjectDirectoryAttributes extension (2.5.29.9)")
            }
            Self::NoClearanceAttribute => f.write_str(
                "subjectDirectoryAttributes holds no Clearance attribute (2.5.4.55 or 2.5.1.5.55)",
            ),
            Self::InputTooLarge { limit } => {
                write!(f, "input larger than {limit} bytes (MAX_DER_INPUT_BYTES)")
            }
            Self::CertificateTooLarge { limit } => {
                write!(
                    f,
                    "certificate larger than {limit} bytes (MAX_CERTIFICATE_BYTES)"
                )
            }
            Self::DepthLimitExceeded { limit } => {
                write!(f, "values nest deeper than {limit} (MAX_DER_DEPTH)")
            }
            Self::OidTooLong { limit } => {
                write!(
                    f,
                    "object identifier longer than {limit} bytes (MAX_OID_BYTES)"
                )
            }
            Self::TooManySecurityCategories { limit } => {
                write!(
                    f,
                    "more than {limit} security categories (MAX_SECURITY_CATEGORIES)"
                )
            }
            Self::TooManyCategoryValues { limit } => {
                write!(
                    f,
                    "more than {limit} values in one category (MAX_CATEGORY_VALUES)"
                )
            }
            Self::CategoryValueTooLarge { limit } => {
                write!(f, "category value above {limit} (MAX_LACV)")
            }
            Self::PrivacyMarkTooLong { limit } => {
                write!(
                    f,
                    "privacy mark longer than {limit} bytes (MAX_PRIVACY_MARK_BYTES)"
                )
            }
            Self::TooManyClearances { limit } => write!(
                f,
                "more than {limit} Clearance values in one attribute (MAX_CLEARANCES_PER_ATTRIBUTE)"
            ),
        }
    }
}

/// The rules of DER (X.690 §10–11) beyond BER that crossguard enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DerRule {
    /// §10.1: the definite form of length only.
    IndefiniteLength,
    /// §10.1: a length in the fewest octets (short form below 128).
    NonMinimalLength,
    /// §8.1.2.4: a tag number below 31 in the high-tag-number form, or a leading 0x80 octet.
    NonMinimalTag,
    /// §8.3.2: an INTEGER whose first nine bits are all zero or all one.
    NonMinimalInteger,
    /// §11.2.1: the unused bits of a BIT STRING are zero.
    UnusedBitsNotZero,
    /// §11.2.2: a BIT STRING with named bits has its trailing zero bits removed.
    TrailingZeroBits,
    /// §11.5: a component equal to its DEFAULT value is not encoded.
    DefaultValueEncoded,
    /// §11.6: the elements of a SET OF are in ascending order of their encodings.
    SetOfUnsorted,
    /// §10.3: the components of a SET are in ascending order of their tags.
    SetComponentsUnsorted,
    /// §10.2: string types (BIT STRING, OCTET STRING, character strings) are primitive.
    ConstructedString,
}

impl fmt::Display for DerRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::IndefiniteLength => "indefinite length",
            Self::NonMinimalLength => "length not in the fewest octets",
            Self::NonMinimalTag => "tag number not in the fewest octets",
            Self::NonMinimalInteger => "INTEGER not in the fewest octets",
            Self::UnusedBitsNotZero => "BIT STRING unused bits are not zero",
            Self::TrailingZeroBits => "named-bit BIT STRING has trailing zero bits",
            Self::DefaultValueEncoded => "component equal to its DEFAULT value is encoded",
            Self::SetOfUnsorted => "SET OF elements are not in ascending order",
            Self::SetComponentsUnsorted => "SET components are not in tag order",
            Self::ConstructedString => "string in the constructed form",
        })
    }
}

/// What is wrong with the content octets of an OBJECT IDENTIFIER.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OidProblem {
    /// No content octets.
    Empty,
    /// The last octet has its continuation bit set.
    Truncated,
    /// A subidentifier starts with the octet 0x80 (X.690 §8.19.2).
    NonMinimalSubidentifier,
}

impl fmt::Display for OidProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "has no content octets",
            Self::Truncated => "ends inside a subidentifier",
            Self::NonMinimalSubidentifier => "has a subidentifier with a leading 0x80 octet",
        })
    }
}

/// What is wrong with a dotted object identifier string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DottedOidProblem {
    /// Fewer than two arcs.
    TooFewArcs,
    /// An empty arc (`1..2`, a leading or trailing dot).
    EmptyArc,
    /// A character other than a decimal digit or a dot.
    NotADigit,
    /// An arc with a leading zero (`1.02`).
    LeadingZero,
    /// A first arc other than 0, 1 or 2.
    FirstArcAboveTwo,
    /// A second arc above 39 under the first arc 0 or 1.
    SecondArcAbove39,
}

impl fmt::Display for DottedOidProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TooFewArcs => "has fewer than two arcs",
            Self::EmptyArc => "has an empty arc",
            Self::NotADigit => "has a character other than a digit or a dot",
            Self::LeadingZero => "has an arc with a leading zero",
            Self::FirstArcAboveTwo => "has a first arc other than 0, 1 or 2",
            Self::SecondArcAbove39 => "has a second arc above 39 under 0 or 1",
        })
    }
}

/// What is wrong with the content octets of a BIT STRING.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BitStringProblem {
    /// No content octets (not even the unused-bits octet).
    Empty,
    /// The unused-bits octet is above 7.
    UnusedBitsAbove7 {
        /// Its value.
        unused: u8,
    },
    /// An empty bit string whose unused-bits octet is not 0.
    UnusedBitsInEmpty {
        /// Its value.
        unused: u8,
    },
}

impl fmt::Display for BitStringProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("has no content octets"),
            Self::UnusedBitsAbove7 { unused } => write!(f, "has {unused} unused bits"),
            Self::UnusedBitsInEmpty { unused } => {
                write!(f, "is empty but declares {unused} unused bits")
            }
        }
    }
}

/// Why x509-parser refused a certificate (its error, reduced to what a caller can act on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CertificateProblem {
    /// The version field.
    InvalidVersion,
    /// The serial number.
    InvalidSerial,
    /// An algorithm identifier.
    InvalidAlgorithmIdentifier,
    /// The issuer or subject name.
    InvalidName,
    /// The validity dates.
    InvalidDate,
    /// The subject public key info.
    InvalidPublicKeyInfo,
    /// A unique identifier.
    InvalidUniqueId,
    /// The extensions.
    InvalidExtensions,
    /// An extension appears twice.
    DuplicateExtensions,
    /// The signature value.
    InvalidSignature,
    /// The to-be-signed part as a whole.
    InvalidTbsCertificate,
    /// The outer structure, or its DER.
    InvalidStructure,
    /// Bytes after the certificate.
    TrailingData,
}

impl fmt::Display for CertificateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidVersion => "invalid version",
            Self::InvalidSerial => "invalid serial number",
            Self::InvalidAlgorithmIdentifier => "invalid algorithm identifier",
            Self::InvalidName => "invalid name",
            Self::InvalidDate => "invalid validity date",
            Self::InvalidPublicKeyInfo => "invalid subject public key info",
            Self::InvalidUniqueId => "invalid unique identifier",
            Self::InvalidExtensions => "invalid extensions",
            Self::DuplicateExtensions => "duplicate extensions",
            Self::InvalidSignature => "invalid signature value",
            Self::InvalidTbsCertificate => "invalid TBSCertificate",
            Self::InvalidStructure => "invalid certificate structure",
            Self::TrailingData => "trailing bytes after the certificate",
        })
    }
}

/// What is wrong with PEM armour around a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PemProblem {
    /// No `-----BEGIN …-----` line.
    MissingHeader,
    /// A malformed `-----BEGIN …-----` line.
    InvalidHeader,
    /// No `-----END …-----` line.
    Incomplete,
    /// The body is not base64.
    InvalidBase64,
    /// A block whose label is not `CERTIFICATE`.
    NotACertificate,
    /// Something other than whitespace after the first block (a second certificate).
    TrailingData,
    /// The PEM text is not UTF-8.
    NotUtf8,
}

impl fmt::Display for PemProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MissingHeader => "no -----BEGIN line",
            Self::InvalidHeader => "malformed -----BEGIN line",
            Self::Incomplete => "no -----END line",
            Self::InvalidBase64 => "body is not base64",
            Self::NotACertificate => "block is not a CERTIFICATE",
            Self::TrailingData => "more than one block",
            Self::NotUtf8 => "PEM text is not UTF-8",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_reads_outermost_first() {
        let e = DerError::new(
            DerErrorKind::InvalidBitString {
                problem: BitStringProblem::UnusedBitsAbove7 { unused: 9 },
            },
            23,
        )
        .within("value")
        .within_element("security-categories", 1)
        .within("ESSSecurityLabel");
        assert_eq!(
            e.to_string(),
            "ESSSecurityLabel.security-categories[1].value: BIT STRING has 9 unused bits at byte 23"
        );
        assert_eq!(e.fault(), Fault::Malformed);
        assert_eq!(
            e.path().segments().collect::<Vec<_>>(),
            [
                ("ESSSecurityLabel", None),
                ("security-categories", Some(1)),
                ("value", None)
            ]
        );
    }

    #[test]
    fn overlong_path_keeps_innermost_and_says_so() {
        let mut e = DerError::new(DerErrorKind::UnexpectedEnd, 0);
        for _ in 0..MAX_PATH_SEGMENTS {
            e = e.within("a");
        }
        e = e.within("outer");
        assert!(e.path().to_string().starts_with("….a.a"));
        assert!(!e.path().to_string().contains("outer"));
    }

    #[test]
    fn empty_path_is_not_shown() {
        let e = DerError::new(DerErrorKind::InputTooLarge { limit: 5 }, 0);
        assert_eq!(
            e.to_string(),
            "input larger than 5 bytes (MAX_DER_INPUT_BYTES) at byte 0"
        );
        assert_eq!(e.fault(), Fault::LimitExceeded);
    }
}
