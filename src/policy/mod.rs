//! Security policies compiled from Open XML SPIF files.
//!
//! A [`Policy`] is what a SPIF means, compiled once: classifications in `hierarchy` order with
//! dense [`ClassificationId`]s, tag sets → tags → categories with dense ids and a bit layout for
//! compiled labels, every validity rule of standards.md §3.5 as bit masks, marking data for all
//! sixteen marking codes in every language, privacy marks, and equivalences to other policies.
//! It is immutable and `Send + Sync`; labels and clearances borrow it.
//!
//! ```
//! use crossguard::policy::{embedded, Policy};
//! let policy = Policy::from_spif(embedded::NATO_DEMO_SPIF)?;
//! assert_eq!(policy.name(), "NATO");
//! let secret = policy.classification_by_name("secret").unwrap(); // NATO values ignore case
//! assert_eq!(policy.classification(secret).unwrap().name.as_ref(), "SECRET");
//! # Ok::<(), crossguard::policy::PolicyError>(())
//! ```
//!
//! Compilation is strict (schema order, known elements and attributes, typed values) and runs
//! the ADatP-4774.1 §3.4 consistency checks; errors carry the element path and position. The
//! NATO SPIF quirks of standards.md §3.9 load: both `privilegeId` conventions, lacvs with
//! leading zeros, and a repeated lacv inside one tag (a [`PolicyWarning`], binary labels with
//! that lacv are refused as ambiguous).

pub mod embedded;
mod equivalence;
mod error;
mod marking;
mod model;
mod rules;
mod set;
mod spif;

use core::cmp::Ordering;

pub use equivalence::{
    Applied, EquivalentCategory, EquivalentClassification, EquivalentPolicy, EquivalentTagSet,
};
pub use error::{PolicyError, PolicyErrorKind, PolicyLimit, PolicyWarning, PolicyWarningKind};
pub use marking::{
    MarkingCode, MarkingCodes, MarkingData, MarkingQualifier, Markings, Qualifier, QualifierKind,
};
pub use model::{
    Category, CategoryId, CategoryType, Classification, ClassificationId, Lacv, PrivacyMark, Tag,
    Tag7Encoding, TagId, TagKind, TagSet, TagSetId, ValueCase,
};
pub use rules::{CategoryMask, Operation, RequiredCategory};
pub use set::PolicySet;
pub use spif::SPIF_NAMESPACE;

/// Object identifiers as the policy stores them.
pub use crate::der::Oid;

/// The SPIF schema version a policy was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemaVersion {
    /// `1.0`.
    V1_0,
    /// `2.0`.
    V2_0,
    /// `2.1`.
    V2_1,
}

impl SchemaVersion {
    /// The schema spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1_0 => "1.0",
            Self::V2_0 => "2.0",
            Self::V2_1 => "2.1",
        }
    }
}

/// `defaultSecurityPolicyId`: the policy to assume for unlabelled data (A4774.1 §3.3.1).
#[derive(Clone, Debug)]
pub struct DefaultPolicy {
    /// Its name.
    pub name: Option<Box<str>>,
    /// Its identifier.
    pub id: Option<Oid>,
    /// Its marking data.
    pub markings: Markings,
}

/// A compiled security policy. See the [module documentation](self).
#[derive(Clone, Debug)]
pub struct Policy {
    pub(crate) name: Box<str>,
    /// FNV-1a of the SPIF bytes: two compilations are the same policy only if their sources
    /// are the same (the bit layout of labels depends on every byte of the SPIF).
    pub(crate) fingerprint: u64,
    pub(crate) uri: Box<str>,
    pub(crate) id: Oid,
    pub(crate) schema_version: SchemaVersion,
    pub(crate) version: i64,
    pub(crate) creation_date: Box<str>,
    pub(crate) originator_dn: Box<str>,
    pub(crate) key_identifier: Option<Box<str>>,
    pub(crate) privilege_id: Oid,
    pub(crate) rbac_id: Option<Oid>,
    pub(crate) not_before: Option<Box<str>>,
    pub(crate) not_after: Option<Box<str>>,
    pub(crate) default_policy: Option<DefaultPolicy>,
    pub(crate) value_case: ValueCase,
    pub(crate) classifications: Vec<Classification>,
    pub(crate) classification_markings: Markings,
    pub(crate) tag_sets: Vec<TagSet>,
    pub(crate) tags: Vec<Tag>,
    pub(crate) categories: Vec<Category>,
    pub(crate) words: usize,
    pub(crate) privacy_marks: Vec<PrivacyMark>,
    pub(crate) privacy_selection: (Option<u32>, Option<u32>),
    pub(crate) privacy_markings: Markings,
    pub(crate) equivalent_policies: Vec<EquivalentPolicy>,
    pub(crate) markings: Markings,
    pub(crate) owner_tag: Option<TagId>,
    pub(crate) warnings: Vec<PolicyWarning>,
    /// Per tag set: (folded name, category type, id), sorted by folded name then type.
    pub(crate) category_index: Vec<Vec<(Box<str>, CategoryType, CategoryId)>>,
}

/// The result of looking a category up by its binary value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LacvMatch {
    /// No category of the tag has this lacv.
    None,
    /// Exactly one.
    One(CategoryId),
    /// Several (a SPIF quirk): binary labels cannot say which, so they are refused.
    Ambiguous,
}

impl Policy {
    /// Compiles a SPIF document (at most [`crate::limits::MAX_SPIF_INPUT_BYTES`]).
    pub fn from_spif(input: &[u8]) -> Result<Self, PolicyError> {
        spif::compile(input)
    }

    /// `securityPolicyId/@name` — the 4774 `PolicyIdentifier`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `securityPolicyId/@id` — the ESS `security-policy-identifier`.
    pub fn id(&self) -> &Oid {
        &self.id
    }

    /// Whether `other` is this policy: the same object, or compiled from the same SPIF bytes.
    /// Two SPIFs with one identifier (a new version, a tampered copy) are different policies:
    /// a label compiled under one must not be decided against a clearance compiled under the
    /// other, since their bit layouts differ.
    pub fn same_as(&self, other: &Policy) -> bool {
        core::ptr::eq(self, other) || (self.fingerprint == other.fingerprint && self.id == other.id)
    }

    /// FNV-1a (64-bit) of the SPIF bytes this policy was compiled from.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// `urn:oid:` + the identifier: the 4774 `PolicyIdentifier/@URI`.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The SPIF `version`.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The SPIF `schemaVersion`.
    pub fn schema_version(&self) -> SchemaVersion {
        self.schema_version
    }

    /// `creationDate`, as written.
    pub fn creation_date(&self) -> &str {
        &self.creation_date
    }

    /// `originatorDN`.
    pub fn originator_dn(&self) -> &str {
        &self.originator_dn
    }

    /// `keyIdentifier` (required from schema 2.0 on).
    pub fn key_identifier(&self) -> Option<&str> {
        self.key_identifier.as_deref()
    }

    /// `privilegeId`: either convention (`2.16.840.1.101.2.1.8.3` or `1.3.26.0.4774.5.24.1`).
    pub fn privilege_id(&self) -> &Oid {
        &self.privilege_id
    }

    /// `rbacId` (required from schema 2.0 on).
    pub fn rbac_id(&self) -> Option<&Oid> {
        self.rbac_id.as_ref()
    }

    /// `notBefore` / `notAfter` of the SPIF, as written.
    pub fn validity(&self) -> (Option<&str>, Option<&str>) {
        (self.not_before.as_deref(), self.not_after.as_deref())
    }

    /// `defaultSecurityPolicyId`.
    pub fn default_policy(&self) -> Option<&DefaultPolicy> {
        self.default_policy.as_ref()
    }

    /// How label values are matched against names.
    pub fn value_case(&self) -> ValueCase {
        self.value_case
    }

    /// Classifications in ascending hierarchy order (index = [`ClassificationId`]).
    pub fn classifications(&self) -> &[Classification] {
        &self.classifications
    }

    /// One classification.
    pub fn classification(&self, id: ClassificationId) -> Option<&Classification> {
        self.classifications.get(id.index())
    }

    pub(crate) fn classification_names(&self) -> impl Iterator<Item = &str> {
        self.classifications.iter().map(|c| &*c.name)
    }

    /// The classification with this name (case per [`Self::value_case`]).
    pub fn classification_by_name(&self, name: &str) -> Option<ClassificationId> {
        let position = self
            .classifications
            .iter()
            .position(|c| self.value_case.equal(&c.name, name))?;
        Some(ClassificationId(u8::try_from(position).ok()?))
    }

    /// The classification with this lacv.
    pub fn classification_by_lacv(&self, lacv: u32) -> Option<ClassificationId> {
        let position = self.classifications.iter().position(|c| c.lacv == lacv)?;
        Some(ClassificationId(u8::try_from(position).ok()?))
    }

    /// Marking data of the `securityClassifications` container.
    pub fn classification_markings(&self) -> &Markings {
        &self.classification_markings
    }

    /// Tag sets in document order (index = [`TagSetId`]).
    pub fn tag_sets(&self) -> &[TagSet] {
        &self.tag_sets
    }

    /// One tag set.
    pub fn tag_set(&self, id: TagSetId) -> Option<&TagSet> {
        self.tag_sets.get(id.index())
    }

    /// The tag set with this name (case per [`Self::value_case`]).
    pub fn tag_set_by_name(&self, name: &str) -> Option<TagSetId> {
        let position = self
            .tag_sets
            .iter()
            .position(|t| self.value_case.equal(&t.name, name))?;
        Some(TagSetId(u8::try_from(position).ok()?))
    }

    /// The tag set with this identifier.
    pub fn tag_set_by_id(&self, id: &Oid) -> Option<TagSetId> {
        let position = self.tag_sets.iter().position(|t| t.id == *id)?;
        Some(TagSetId(u8::try_from(position).ok()?))
    }

    /// Tags in document order (index = [`TagId`]).
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// One tag.
    pub fn tag(&self, id: TagId) -> Option<&Tag> {
        self.tags.get(id.index())
    }

    /// The tags of a tag set.
    pub fn tags_of(&self, set: TagSetId) -> impl Iterator<Item = (TagId, &Tag)> + '_ {
        let range = self
            .tag_sets
            .get(set.index())
            .map_or(0..0, |s| s.tags.clone());
        range.filter_map(move |t| Some((TagId(t), self.tags.get(usize::from(t))?)))
    }

    /// Categories in document order (index = [`CategoryId`]).
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// One category.
    pub fn category(&self, id: CategoryId) -> Option<&Category> {
        self.categories.get(id.index())
    }

    /// The category called `name` among the tags of `set` whose 4774 type is `kind` (case per
    /// [`Self::value_case`]). Binary search over a precomputed index; no allocation.
    pub fn category_by_name(
        &self,
        set: TagSetId,
        kind: CategoryType,
        name: &str,
    ) -> Option<CategoryId> {
        let index = self.category_index.get(set.index())?;
        let case = self.value_case;
        let found = index
            .binary_search_by(|(key, t, _)| case.compare_folded(key, name).then(t.cmp(&kind)))
            .ok()?;
        index.get(found).map(|(_, _, id)| *id)
    }

    /// The category of `tag` with this integer lacv.
    pub fn category_by_lacv(&self, tag: TagId, lacv: u32) -> LacvMatch {
        let Some(t) = self.tags.get(tag.index()) else {
            return LacvMatch::None;
        };
        let mut found = LacvMatch::None;
        for id in t.categories.clone() {
            let Some(c) = self.categories.get(usize::from(id)) else {
                continue;
            };
            if c.lacv.integer() == Some(lacv) {
                if found != LacvMatch::None {
                    return LacvMatch::Ambiguous;
                }
                found = LacvMatch::One(CategoryId(id));
            }
        }
        found
    }

    /// Privacy marks in document order.
    pub fn privacy_marks(&self) -> &[PrivacyMark] {
        &self.privacy_marks
    }

    /// The index of the privacy mark with this name (case per [`Self::value_case`]).
    pub fn privacy_mark_by_name(&self, name: &str) -> Option<usize> {
        self.privacy_marks
            .iter()
            .position(|p| self.value_case.equal(&p.name, name))
    }

    /// Marking data of the `privacyMarks` container.
    pub fn privacy_markings(&self) -> &Markings {
        &self.privacy_markings
    }

    /// Policies this one declares equivalences with.
    pub fn equivalent_policies(&self) -> &[EquivalentPolicy] {
        &self.equivalent_policies
    }

    /// The equivalent-policy entry for the policy with this identifier.
    pub fn equivalent_policy(&self, id: &Oid) -> Option<(usize, &EquivalentPolicy)> {
        self.equivalent_policies
            .iter()
            .enumerate()
            .find(|(_, p)| p.id == *id)
    }

    /// SPIF-level marking data (e.g. a policy-wide separator, or `noMarkingDisplay` hiding
    /// the policy word).
    pub fn markings(&self) -> &Markings {
        &self.markings
    }

    /// The mandatory permissive "owner" tag, if the policy has one: a permissive tag that
    /// every classification requires (like NATO `Context`). Joins follow the A4774.1 rules
    /// only when it exists (standards.md §7.2).
    pub fn owner_tag(&self) -> Option<TagId> {
        self.owner_tag
    }

    /// What the loader tolerated.
    pub fn warnings(&self) -> &[PolicyWarning] {
        &self.warnings
    }

    /// Number of 64-bit words in a compiled label's category bits.
    pub fn label_words(&self) -> usize {
        self.words
    }

    /// The word and bit of a category in the compiled layout.
    pub fn category_bit(&self, id: CategoryId) -> Option<(usize, u32)> {
        let category = self.categories.get(id.index())?;
        let tag = self.tags.get(category.tag.index())?;
        Some((
            usize::from(tag.word_offset).saturating_add(usize::from(category.bit / 64)),
            u32::from(category.bit % 64),
        ))
    }
}

impl ValueCase {
    /// Whether two values are equal under this rule.
    pub fn equal(self, a: &str, b: &str) -> bool {
        match self {
            Self::Sensitive => a == b,
            // Equal lengths first: ASCII case folding keeps lengths, and most names compared
            // in a lookup differ in length.
            Self::Insensitive if a.len() == b.len() && a.is_ascii() && b.is_ascii() => {
                a.eq_ignore_ascii_case(b)
            }
            Self::Insensitive if a.is_ascii() && b.is_ascii() => false,
            Self::Insensitive => a
                .chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase)),
        }
    }

    /// The key a name is indexed under.
    pub(crate) fn fold(self, s: &str) -> Box<str> {
        match self {
            Self::Sensitive => s.into(),
            Self::Insensitive => s
                .chars()
                .flat_map(char::to_lowercase)
                .collect::<String>()
                .into(),
        }
    }

    /// Compares an indexed key with an input value folded on the fly.
    pub(crate) fn compare_folded(self, key: &str, input: &str) -> Ordering {
        match self {
            Self::Sensitive => key.cmp(input),
            // ASCII input: byte-wise lower-casing gives the same sequence as Unicode lower-casing.
            Self::Insensitive if input.is_ascii() => key
                .bytes()
                .cmp(input.bytes().map(|b| b.to_ascii_lowercase())),
            Self::Insensitive => key.chars().cmp(input.chars().flat_map(char::to_lowercase)),
        }
    }
}

/// ADatP-4774 p. 5-2: all values are case-insensitive for the NATO and PUBLIC policies.
pub(crate) fn value_case_for(name: &str, id: &Oid) -> ValueCase {
    const CASE_INSENSITIVE_IDS: [&str; 2] = ["1.3.26.1.3.1", "1.3.6.1.4.1.31778.12.2.1"];
    let by_name = name.eq_ignore_ascii_case("NATO") || name.eq_ignore_ascii_case("PUBLIC");
    let by_id = CASE_INSENSITIVE_IDS.iter().any(|d| id.to_string() == *d);
    if by_name || by_id {
        ValueCase::Insensitive
    } else {
        ValueCase::Sensitive
    }
}

/// A permissive tag that every classification requires through a `requiredCategory`
/// (`onlyOne` or `oneOrMore`) whose members all belong to that tag.
pub(crate) fn find_owner_tag(policy: &Policy) -> Option<TagId> {
    if policy.classifications.is_empty() {
        return None;
    }
    policy
        .tags
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind.category_type() == CategoryType::Permissive)
        .map(|(i, _)| TagId(u8::try_from(i).unwrap_or(u8::MAX)))
        .find(|tag| {
            policy.classifications.iter().all(|c| {
                c.required.iter().any(|r| {
                    matches!(r.operation, Operation::OnlyOne | Operation::OneOrMore)
                        && !r.member_ids.is_empty()
                        && r.member_ids.iter().all(|m| {
                            policy
                                .categories
                                .get(m.index())
                                .is_some_and(|c| c.tag == *tag)
                        })
                })
            })
        })
}

pub(crate) fn build_category_index(
    policy: &Policy,
) -> Vec<Vec<(Box<str>, CategoryType, CategoryId)>> {
    policy
        .tag_sets
        .iter()
        .map(|set| {
            let mut entries: Vec<(Box<str>, CategoryType, CategoryId)> = set
                .tags
                .clone()
                .filter_map(|t| policy.tags.get(usize::from(t)))
                .flat_map(|tag| {
                    tag.categories.clone().filter_map(move |c| {
                        let category = policy.categories.get(usize::from(c))?;
                        Some((
                            policy.value_case.fold(&category.name),
                            tag.kind.category_type(),
                            CategoryId(c),
                        ))
                    })
                })
                .collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            entries
        })
        .collect()
}
