//! Equivalences between policies: the SPIF elements a national ↔ NATO mapping reads.
//!
//! Grammar: SPIF 2.1 `equivalentPolicies/equivalentPolicy` (`@name`, `@id`,
//! `requiredCategory*`), `equivalentClassification` (`@policyRef`, `@lacv`, `@applied`,
//! `requiredCategory*`), `equivalentSecCategoryTag` (`@policyRef`, `@tagSetId`, `@tagType`,
//! `@enumType`, `@lacv`, `@applied`, `@action`) and `equivalentSecurityCategoryTagSet`
//! (`@policyRef`, `@name`, `@id`), standards.md §3.7.

use super::rules::RequiredCategory;
use super::Oid;

/// When an equivalence applies (`@applied`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Applied {
    /// At origination or export: mapping *from* the policy that declares it.
    Encrypt,
    /// At reception: mapping *into* the policy that declares it.
    Decrypt,
    /// Both directions.
    Both,
}

impl Applied {
    /// Parses the schema spelling.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "encrypt" => Some(Self::Encrypt),
            "decrypt" => Some(Self::Decrypt),
            "both" => Some(Self::Both),
            _ => None,
        }
    }

    /// Whether it applies when mapping out of the declaring policy.
    pub fn on_export(self) -> bool {
        matches!(self, Self::Encrypt | Self::Both)
    }

    /// Whether it applies when mapping into the declaring policy.
    pub fn on_import(self) -> bool {
        matches!(self, Self::Decrypt | Self::Both)
    }
}

/// An `equivalentPolicy`: a foreign policy this one maps to or from.
#[derive(Clone, Debug)]
pub struct EquivalentPolicy {
    /// The foreign policy's name (what `policyRef` attributes refer to).
    pub name: Box<str>,
    /// The foreign policy's identifier.
    pub id: Oid,
    /// Categories (of this policy) that a label mapped from the foreign policy into this one
    /// must carry; crossguard adds them when the requirement names them unambiguously.
    pub required: Vec<RequiredCategory>,
}

/// An `equivalentClassification`.
#[derive(Clone, Debug)]
pub struct EquivalentClassification {
    /// Index into the policy's equivalent policies.
    pub policy: usize,
    /// The foreign classification's lacv.
    pub lacv: u32,
    /// Direction.
    pub applied: Applied,
    /// Categories (of this policy) that a label mapped into this classification must carry.
    pub required: Vec<RequiredCategory>,
}

/// An `equivalentSecCategoryTag`.
#[derive(Clone, Debug)]
pub struct EquivalentCategory {
    /// Index into the policy's equivalent policies.
    pub policy: usize,
    /// The foreign tag set's identifier.
    pub tag_set_id: Option<Oid>,
    /// The foreign `tagType`, as written.
    pub tag_type: Option<Box<str>>,
    /// The foreign `enumType`, as written.
    pub enum_type: Option<Box<str>>,
    /// The foreign category's lacv; `None` with `discard`.
    pub lacv: Option<u32>,
    /// Direction.
    pub applied: Applied,
    /// `action="discard"`: the value may be dropped when mapping to that policy.
    pub discard: bool,
}

/// An `equivalentSecurityCategoryTagSet`.
#[derive(Clone, Debug)]
pub struct EquivalentTagSet {
    /// Index into the policy's equivalent policies.
    pub policy: usize,
    /// The foreign tag set's name.
    pub name: Option<Box<str>>,
    /// The foreign tag set's identifier.
    pub id: Option<Oid>,
}
