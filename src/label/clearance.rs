//! Clearances compiled against a policy: a set of classifications and category bits.
//!
//! A clearance is an explicit set of classifications (not a ceiling: it may have gaps) plus
//! the category values held (standards.md §1.5, §5.1). Sources: the 4774 XML
//! `ConfidentialityClearance` ([`compile_clearance`]) and the X.509 `Clearance` attribute
//! ([`super::compile_clearance_der`]). Every value must exist in the policy; an unknown value
//! makes the clearance invalid rather than silently ignored.

use core::fmt;
use std::borrow::Cow;

use super::model::ClearanceXml;
use super::valid::{resolve_policy, Invalid};
use crate::policy::{CategoryType, ClassificationId, Policy, PolicySet};

/// A clearance under one policy, ready for [`super::decide`].
#[derive(Clone, Debug)]
pub struct ValidClearance<'p> {
    pub(crate) policy: &'p Policy,
    /// Bit `i` = classification id `i` is cleared.
    pub(crate) classes: u64,
    /// Owned when compiled, borrowed when a long-lived holder (the guard) lends its words.
    pub(crate) categories: Cow<'p, [u64]>,
}

/// Why a clearance could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidClearance {
    /// Every reason.
    pub reasons: Vec<Invalid>,
}

impl fmt::Display for InvalidClearance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid clearance: ")?;
        for (i, r) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidClearance {}

impl<'p> ValidClearance<'p> {
    /// Builds a clearance from ids (for callers that compute clearances, and tests).
    pub fn from_parts(
        policy: &'p Policy,
        classifications: impl IntoIterator<Item = ClassificationId>,
        categories: impl IntoIterator<Item = crate::policy::CategoryId>,
    ) -> Self {
        let mut classes = 0u64;
        for c in classifications {
            classes |= 1u64.checked_shl(u32::from(c.0)).unwrap_or(0);
        }
        let mut words = vec![0u64; policy.label_words()].into_boxed_slice();
        for id in categories {
            if let Some((w, b)) = policy.category_bit(id) {
                if let Some(word) = words.get_mut(w) {
                    *word |= 1u64.checked_shl(b).unwrap_or(0);
                }
            }
        }
        Self {
            policy,
            classes,
            categories: Cow::Owned(words.into_vec()),
        }
    }

    /// A clearance over `policy` whose category words (in the policy's layout, as returned by
    /// [`Self::category_words`]) are lent by the caller: no allocation, for holders that keep
    /// compiled clearances and decide many times. `None` if `words` does not fit the layout.
    pub fn borrowing(policy: &'p Policy, classes: u64, words: &'p [u64]) -> Option<Self> {
        (words.len() == policy.label_words()).then_some(Self {
            policy,
            classes,
            categories: Cow::Borrowed(words),
        })
    }

    /// The cleared classifications as a bit set (bit `i` = classification id `i`).
    pub fn class_bits(&self) -> u64 {
        self.classes
    }

    /// The policy.
    pub fn policy(&self) -> &'p Policy {
        self.policy
    }

    /// The cleared classifications, ascending.
    pub fn classifications(&self) -> impl Iterator<Item = ClassificationId> + '_ {
        (0..64u8)
            .filter(move |i| self.classes & 1u64.checked_shl(u32::from(*i)).unwrap_or(0) != 0)
            .map(ClassificationId)
    }

    /// The category values held, in policy order.
    pub fn category_ids(&self) -> impl Iterator<Item = crate::policy::CategoryId> + '_ {
        super::valid::ids_in_mask(self.policy, &self.categories)
    }

    /// The category bits (policy layout).
    pub fn category_words(&self) -> &[u64] {
        &self.categories
    }
}

/// Compiles a 4774 XML clearance against the policy its `PolicyIdentifier` names.
pub fn compile_clearance<'p>(
    policies: &'p PolicySet,
    clearance: &ClearanceXml<'_>,
) -> Result<ValidClearance<'p>, InvalidClearance> {
    let policy = resolve_policy(policies, &clearance.policy)
        .map_err(|r| InvalidClearance { reasons: vec![r] })?;
    let mut reasons = Vec::new();
    let mut classes = 0u64;
    for name in &clearance.classifications {
        match policy.classification_by_name(name) {
            Some(id) => classes |= 1u64.checked_shl(u32::from(id.0)).unwrap_or(0),
            None => reasons.push(Invalid::UnknownClassification(crate::xml::excerpt(name))),
        }
    }
    let mut words = vec![0u64; policy.label_words()].into_boxed_slice();
    for category in &clearance.categories {
        let Some(set) = policy.tag_set_by_name(&category.tag_name) else {
            reasons.push(Invalid::UnknownTagSet(crate::xml::excerpt(
                &category.tag_name,
            )));
            continue;
        };
        let set_name = policy.tag_set(set).map_or("", |s| &s.name);
        if category.kind == CategoryType::Informative
            || !policy
                .tags_of(set)
                .any(|(_, t)| t.kind.category_type() == category.kind)
        {
            reasons.push(Invalid::WrongCategoryType {
                tag_set: set_name.into(),
                kind: category.kind,
            });
            continue;
        }
        for value in &category.values {
            match policy
                .category_by_name(set, category.kind, value)
                .and_then(|id| policy.category_bit(id))
            {
                Some((w, b)) => {
                    if let Some(word) = words.get_mut(w) {
                        *word |= 1u64.checked_shl(b).unwrap_or(0);
                    }
                }
                None => reasons.push(Invalid::UnknownCategoryValue {
                    tag_set: set_name.into(),
                    value: crate::xml::excerpt(value),
                }),
            }
        }
    }
    if !reasons.is_empty() {
        return Err(InvalidClearance { reasons });
    }
    Ok(ValidClearance {
        policy,
        classes,
        categories: Cow::Owned(words.into_vec()),
    })
}

impl PartialEq for ValidClearance<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.policy.same_as(other.policy)
            && self.classes == other.classes
            && self.categories == other.categories
    }
}

impl Eq for ValidClearance<'_> {}

/// Compiles an X.509 `Clearance` (RFC 5755 or RFC 3281 form) against the policy its
/// `policyId` names: `classList` bits are classification lacvs, categories are read as in ESS
/// labels.
pub fn compile_clearance_der<'p>(
    policies: &'p PolicySet,
    clearance: &super::clearance_der::ClearanceDer<'_>,
) -> Result<ValidClearance<'p>, InvalidClearance> {
    let policy_id = clearance.policy().to_oid();
    let policy = policies.by_id(&policy_id).ok_or_else(|| InvalidClearance {
        reasons: vec![Invalid::UnknownPolicy {
            name: Box::from(""),
            uri: Some(format!("urn:oid:{policy_id}").into_boxed_str()),
        }],
    })?;
    let mut reasons = Vec::new();
    let mut classes = 0u64;
    for value in clearance.class_list().iter() {
        match policy.classification_by_lacv(u32::from(value)) {
            Some(id) => classes |= 1u64.checked_shl(u32::from(id.0)).unwrap_or(0),
            None => reasons.push(Invalid::UnknownClassificationValue(u32::from(value))),
        }
    }
    let categories = super::ess_convert::categories_to_words(
        policy,
        clearance.categories(),
        &mut reasons,
        super::ess_convert::CategoryUse::Clearance,
    );
    if !reasons.is_empty() {
        return Err(InvalidClearance { reasons });
    }
    Ok(ValidClearance {
        policy,
        classes,
        categories: Cow::Owned(categories.into_vec()),
    })
}
