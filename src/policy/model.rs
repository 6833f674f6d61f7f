//! The compiled policy: immutable, dense integer ids, everything resolved.

use super::marking::Markings;
use super::rules::{CategoryMask, RequiredCategory};

/// Index of a classification in a [`Policy`](super::Policy), in ascending `hierarchy` order:
/// a larger id is a more sensitive classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassificationId(pub(crate) u8);

impl ClassificationId {
    /// The index.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// Index of a security category tag (`securityCategoryTag`) in a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagId(pub(crate) u8);

impl TagId {
    /// The index.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// Index of a tag set (`securityCategoryTagSet`) in a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagSetId(pub(crate) u8);

impl TagSetId {
    /// The index.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// Index of a category (`tagCategory`) in a policy, across all tags, in document order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CategoryId(pub(crate) u16);

impl CategoryId {
    /// The index.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A `lacv` ("label and cert value"): the value a category or classification takes in
/// binary labels and clearances. SPIF 2.1 allows integers or strings for categories; the
/// NATO SPIF writes integers with leading zeros (`004`), which read as integers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Lacv {
    /// An integer lacv (usable in ESS labels and X.509 clearances).
    Integer(u32),
    /// A string lacv (XML-only policies).
    Text(Box<str>),
}

impl Lacv {
    /// The integer value, if this is an integer lacv.
    pub fn integer(&self) -> Option<u32> {
        match self {
            Self::Integer(v) => Some(*v),
            Self::Text(_) => None,
        }
    }
}

impl core::fmt::Display for Lacv {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Integer(v) => write!(f, "{v}"),
            Self::Text(t) => f.write_str(t),
        }
    }
}

/// How category values of a tag take part in access decisions — the 4774 `Type` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CategoryType {
    /// Every label value must be held by the clearance.
    Restrictive,
    /// At least one label value must be held by the clearance.
    Permissive,
    /// Handling information; not used for access control.
    Informative,
}

impl CategoryType {
    /// The 4774 spelling (`RESTRICTIVE`, `PERMISSIVE`, `INFORMATIVE`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Restrictive => "RESTRICTIVE",
            Self::Permissive => "PERMISSIVE",
            Self::Informative => "INFORMATIVE",
        }
    }

    /// Parses the 4774 spelling exactly (the schema enumeration is case-sensitive).
    pub fn from_label_name(name: &str) -> Option<Self> {
        match name {
            "RESTRICTIVE" => Some(Self::Restrictive),
            "PERMISSIVE" => Some(Self::Permissive),
            "INFORMATIVE" => Some(Self::Informative),
            _ => None,
        }
    }
}

impl core::fmt::Display for CategoryType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an informative (`tagType7`) tag is encoded in binary labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag7Encoding {
    /// `bitSetAttributes`: a bit map of lacvs.
    BitSet,
    /// `securityAttributes`: a set of integer lacvs.
    Attributes,
}

/// The SPIF `tagType` (with `enumType` / `tag7Encoding`) of a tag — it fixes both the 4774
/// `Type` and the ACP-145 syntax of binary labels (standards.md §3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TagKind {
    /// `restrictive`: ACP-145 restrictiveBitMap.
    Restrictive,
    /// `permissive`: ACP-145 permissiveBitMap.
    Permissive,
    /// `enumerated` + `enumType="restrictive"`: enumeratedRestrictiveAttributes.
    EnumeratedRestrictive,
    /// `enumerated` + `enumType="permissive"`: enumeratedPermissiveAttributes.
    EnumeratedPermissive,
    /// `tagType7`: informativeAttributes with the given encoding (bit set when the SPIF does
    /// not say).
    Informative(Tag7Encoding),
}

impl TagKind {
    /// The 4774 category type.
    pub fn category_type(self) -> CategoryType {
        match self {
            Self::Restrictive | Self::EnumeratedRestrictive => CategoryType::Restrictive,
            Self::Permissive | Self::EnumeratedPermissive => CategoryType::Permissive,
            Self::Informative(_) => CategoryType::Informative,
        }
    }

    /// Parses SPIF `tagType` / `enumType` / `tag7Encoding` attribute values; `Err` names the
    /// attribute at fault.
    pub(crate) fn from_spif(
        tag_type: &str,
        enum_type: Option<&str>,
        tag7_encoding: Option<&str>,
    ) -> Result<Self, &'static str> {
        match tag_type {
            "restrictive" => Ok(Self::Restrictive),
            "permissive" => Ok(Self::Permissive),
            "enumerated" => match enum_type {
                Some("restrictive") => Ok(Self::EnumeratedRestrictive),
                Some("permissive") => Ok(Self::EnumeratedPermissive),
                _ => Err("enumType"),
            },
            "tagType7" => match tag7_encoding {
                None | Some("bitSetAttributes") => Ok(Self::Informative(Tag7Encoding::BitSet)),
                Some("securityAttributes") => Ok(Self::Informative(Tag7Encoding::Attributes)),
                Some(_) => Err("tag7Encoding"),
            },
            _ => Err("tagType"),
        }
    }

    /// Whether a `categoryGroup` / `excludedCategory` selector with these attribute values
    /// designates this kind (absent attributes match anything).
    pub(crate) fn matches_selector(self, tag_type: Option<&str>, enum_type: Option<&str>) -> bool {
        let (name, enumerated) = match self {
            Self::Restrictive => ("restrictive", None),
            Self::Permissive => ("permissive", None),
            Self::EnumeratedRestrictive => ("enumerated", Some("restrictive")),
            Self::EnumeratedPermissive => ("enumerated", Some("permissive")),
            Self::Informative(_) => ("tagType7", None),
        };
        tag_type.is_none_or(|t| t == name)
            && match (enum_type, enumerated) {
                (None, _) => true,
                (Some(e), Some(expected)) => e == expected,
                (Some(_), None) => false,
            }
    }
}

/// A classification (`securityClassification`).
#[derive(Clone, Debug)]
pub struct Classification {
    /// The name, as written in labels.
    pub name: Box<str>,
    /// The binary value.
    pub lacv: u32,
    /// The ordering value (bigger = more sensitive); unique within the policy.
    pub hierarchy: i64,
    /// `@color`, as written (a W3C colour name or `#RRGGBB`).
    pub color: Option<Box<str>>,
    /// Acceptable when reading old labels, not for new ones.
    pub obsolete: bool,
    /// `equivalentClassification` entries.
    pub equivalents: Vec<super::equivalence::EquivalentClassification>,
    /// Marking phrases and qualifiers.
    pub markings: Markings,
    /// Categories a label with this classification must carry.
    pub required: Vec<RequiredCategory>,
}

/// A tag set (`securityCategoryTagSet`): the unit named by a 4774 `TagName`.
#[derive(Clone, Debug)]
pub struct TagSet {
    /// The name (= 4774 `TagName`).
    pub name: Box<str>,
    /// The object identifier (ESS `tagName`, 4774 `Category/@URI` as `urn:oid:`).
    pub id: super::Oid,
    /// `urn:oid:` + the identifier, as written in 4774 labels.
    pub uri: Box<str>,
    /// The tags of this set, as a range of [`TagId`]s.
    pub tags: core::ops::Range<u8>,
    /// `equivalentSecurityCategoryTagSet` entries: (policy index, foreign name, foreign id).
    pub equivalents: Vec<super::equivalence::EquivalentTagSet>,
}

/// A tag (`securityCategoryTag`): categories of one kind within a tag set.
#[derive(Clone, Debug)]
pub struct Tag {
    /// The tag's name (informational; labels name the tag set).
    pub name: Option<Box<str>>,
    /// The tag set it belongs to.
    pub tag_set: TagSetId,
    /// Kind and encoding.
    pub kind: TagKind,
    /// The categories, as a range of [`CategoryId`]s; the category's bit in a compiled label is
    /// its offset in this range.
    pub categories: core::ops::Range<u16>,
    /// First word of this tag in a compiled label's bit words.
    pub word_offset: u16,
    /// Words this tag occupies.
    pub word_count: u16,
    /// `singleSelection`: at most one value.
    pub single_selection: bool,
    /// `maxSelection`.
    pub max_selection: Option<u32>,
    /// `minSelection` (applied when the tag is present in a label).
    pub min_selection: Option<u32>,
    /// Qualifiers (prefix, suffix, separator) for the tag's values.
    pub markings: Markings,
}

/// A category (`tagCategory`): one value of a tag.
#[derive(Clone, Debug)]
pub struct Category {
    /// The name, as written in labels (`GenericValue`).
    pub name: Box<str>,
    /// The binary value.
    pub lacv: Lacv,
    /// The tag it belongs to.
    pub tag: TagId,
    /// Its bit within the tag.
    pub bit: u16,
    /// Acceptable when reading old labels, not for new ones.
    pub obsolete: bool,
    /// `@requiredClass`: the only classification it may be used with.
    pub required_class: Option<ClassificationId>,
    /// `excludedClass`: classifications it may not be used with, as a bit mask of ids.
    pub excluded_classes: u64,
    /// Categories that must accompany it.
    pub required: Vec<RequiredCategory>,
    /// Categories it may not be used with.
    pub excluded: Vec<CategoryMask>,
    /// `equivalentSecCategoryTag` entries.
    pub equivalents: Vec<super::equivalence::EquivalentCategory>,
    /// Marking phrases and qualifiers.
    pub markings: Markings,
    /// `@notBefore`, as written.
    pub not_before: Option<Box<str>>,
    /// `@notAfter`, as written.
    pub not_after: Option<Box<str>>,
}

/// A privacy mark (`privacyMark`).
#[derive(Clone, Debug)]
pub struct PrivacyMark {
    /// The name, as written in labels.
    pub name: Box<str>,
    /// Acceptable when reading old labels, not for new ones.
    pub obsolete: bool,
    /// Marking phrases and qualifiers.
    pub markings: Markings,
}

/// How label values are compared with policy names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueCase {
    /// Exactly (the default for every policy).
    Sensitive,
    /// Ignoring case, as ADatP-4774 requires for the NATO and PUBLIC policies.
    Insensitive,
}
