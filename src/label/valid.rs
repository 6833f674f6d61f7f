//! Validation of a label against its policy, and the compiled form decisions use.
//!
//! Rules: every rule of standards.md §3.5 — the label's policy, classification, privacy mark,
//! tag sets, types and values exist in the SPIF (names per the policy's case rule);
//! `excludedClass`, `requiredClass`, `requiredCategory` (on the classification and on each
//! category), `excludedCategory`, `singleSelection` / `maxSelection` / `minSelection`, privacy
//! mark selection limits, and the `notBefore` / `notAfter` windows of the SPIF and its
//! categories. Obsolete values are accepted with a warning (they are "acceptable when reading
//! old labels"). Every failure is one [`Invalid`] reason; validation reports all of them.

use core::fmt;

use super::datetime::Timestamp;
use super::model::{ConfidentialityInformation, LabelCategory, LabelWarning, PolicyIdentifier};
use crate::policy::{
    CategoryId, CategoryType, ClassificationId, Operation, Policy, PolicySet, TagId,
};

/// A label that passed validation: a classification id and category bits under one policy.
///
/// Only [`validate`] (and the operations that re-validate their result: join, mapping, ESS
/// decoding) make one, so holding a `ValidLabel` means the label is valid under its policy.
///
/// Equality compares the security content (policy identity, classification, privacy mark,
/// categories), not the warnings.
#[derive(Clone, Debug)]
pub struct ValidLabel<'p> {
    pub(crate) policy: &'p Policy,
    pub(crate) classification: ClassificationId,
    pub(crate) privacy_mark: Option<u16>,
    pub(crate) categories: Box<[u64]>,
    pub(crate) warnings: Vec<LabelWarning>,
}

/// Why a label is not valid under its policy.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Invalid {
    /// No known policy has this name / identifier.
    UnknownPolicy {
        /// The `PolicyIdentifier` text.
        name: Box<str>,
        /// The `@URI`, if any.
        uri: Option<Box<str>>,
    },
    /// `PolicyIdentifier/@URI` is not `urn:oid:` + the identifier of the named policy.
    PolicyUriMismatch {
        /// The URI.
        uri: Box<str>,
        /// The policy the name designates.
        policy: Box<str>,
    },
    /// The classification is not in the policy.
    UnknownClassification(Box<str>),
    /// The privacy mark is not in the policy.
    UnknownPrivacyMark(Box<str>),
    /// The policy has no tag set with this name.
    UnknownTagSet(Box<str>),
    /// `Category/@URI` is not `urn:oid:` + the tag set's identifier.
    TagSetUriMismatch {
        /// The tag set.
        tag_set: Box<str>,
        /// The URI.
        uri: Box<str>,
    },
    /// The tag set has no tag of this type.
    WrongCategoryType {
        /// The tag set.
        tag_set: Box<str>,
        /// The type written.
        kind: CategoryType,
    },
    /// Two `Category` elements for the same tag set and type.
    DuplicateCategory(Box<str>),
    /// A `Category` without values.
    EmptyCategory(Box<str>),
    /// A value not in the tag set (for the type written).
    UnknownCategoryValue {
        /// The tag set.
        tag_set: Box<str>,
        /// The value.
        value: Box<str>,
    },
    /// The same value twice in one category.
    DuplicateValue {
        /// The tag set.
        tag_set: Box<str>,
        /// The value.
        value: Box<str>,
    },
    /// `excludedClass`: the category may not be used with the classification.
    ExcludedClass {
        /// The category.
        category: Box<str>,
        /// The classification.
        classification: Box<str>,
    },
    /// `requiredClass`: the category may only be used with another classification.
    RequiredClass {
        /// The category.
        category: Box<str>,
        /// The classification it requires.
        required: Box<str>,
    },
    /// A `requiredCategory` does not hold.
    RequiredCategory {
        /// Whose rule: a classification or category name.
        owner: Box<str>,
        /// The operation.
        operation: Operation,
        /// The candidate categories (names, `tag set: value`).
        members: Vec<Box<str>>,
        /// How many the label carries.
        present: u32,
    },
    /// An `excludedCategory` is present together with the category that excludes it.
    ExcludedCategory {
        /// The category whose rule it is.
        category: Box<str>,
        /// The excluded category present (`tag set: value`).
        excluded: Box<str>,
    },
    /// `singleSelection` / `maxSelection` exceeded, or `minSelection` not reached.
    Selection {
        /// The tag set.
        tag_set: Box<str>,
        /// Values present.
        count: u32,
        /// The bound broken, as text (`at most 1`, `at least 2`).
        bound: Box<str>,
    },
    /// The privacy-mark selection limits of the policy are broken.
    PrivacyMarkSelection {
        /// The bound broken.
        bound: Box<str>,
    },
    /// Outside a `notBefore` / `notAfter` window (of the SPIF or a category).
    OutsideValidity {
        /// What (the policy or `tag set: value`).
        what: Box<str>,
        /// The window edge broken, as written.
        edge: Box<str>,
    },
    /// A binary label without a classification (4774 labels need one).
    MissingClassification,
    /// A binary classification value the policy does not define.
    UnknownClassificationValue(u32),
    /// A binary category whose type is not one of the ACP-145(A) syntaxes.
    UnsupportedCategoryType(Box<str>),
    /// A binary category for a tag set the policy does not define.
    UnknownTagSetId(Box<str>),
    /// A binary category whose syntax does not match the tag set's kind in the policy.
    SyntaxMismatch {
        /// The tag set.
        tag_set: Box<str>,
    },
    /// A binary category value (lacv) the tag set does not define.
    UnknownCategoryLacv {
        /// The tag set.
        tag_set: Box<str>,
        /// The lacv.
        lacv: u32,
    },
    /// A lacv that two categories of the tag share (a SPIF quirk): refused as ambiguous.
    AmbiguousLacv {
        /// The tag set.
        tag_set: Box<str>,
        /// The lacv.
        lacv: u32,
    },
    /// A validity date in the SPIF could not be read, so the window cannot be checked.
    UnreadableValidity {
        /// What.
        what: Box<str>,
        /// The value.
        value: Box<str>,
    },
}

impl Invalid {
    /// A short stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownPolicy { .. } => "unknown-policy",
            Self::PolicyUriMismatch { .. } => "policy-uri-mismatch",
            Self::UnknownClassification(_) => "unknown-classification",
            Self::UnknownPrivacyMark(_) => "unknown-privacy-mark",
            Self::UnknownTagSet(_) => "unknown-tag-set",
            Self::TagSetUriMismatch { .. } => "tag-set-uri-mismatch",
            Self::WrongCategoryType { .. } => "wrong-category-type",
            Self::DuplicateCategory(_) => "duplicate-category",
            Self::EmptyCategory(_) => "empty-category",
            Self::UnknownCategoryValue { .. } => "unknown-category-value",
            Self::DuplicateValue { .. } => "duplicate-value",
            Self::ExcludedClass { .. } => "excluded-class",
            Self::RequiredClass { .. } => "required-class",
            Self::RequiredCategory { .. } => "required-category",
            Self::ExcludedCategory { .. } => "excluded-category",
            Self::Selection { .. } => "selection",
            Self::PrivacyMarkSelection { .. } => "privacy-mark-selection",
            Self::OutsideValidity { .. } => "outside-validity",
            Self::UnreadableValidity { .. } => "unreadable-validity",
            Self::MissingClassification => "missing-classification",
            Self::UnknownClassificationValue(_) => "unknown-classification-value",
            Self::UnsupportedCategoryType(_) => "unsupported-category-type",
            Self::UnknownTagSetId(_) => "unknown-tag-set-id",
            Self::SyntaxMismatch { .. } => "syntax-mismatch",
            Self::UnknownCategoryLacv { .. } => "unknown-category-lacv",
            Self::AmbiguousLacv { .. } => "ambiguous-lacv",
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownPolicy { name, uri } => match uri {
                Some(uri) => write!(f, "no known policy is {name:?} ({uri})"),
                None => write!(f, "no known policy is {name:?}"),
            },
            Self::PolicyUriMismatch { uri, policy } => {
                write!(
                    f,
                    "PolicyIdentifier URI {uri} is not the identifier of policy {policy:?}"
                )
            }
            Self::UnknownClassification(c) => {
                write!(f, "classification {c:?} is not in the policy")
            }
            Self::UnknownPrivacyMark(p) => write!(f, "privacy mark {p:?} is not in the policy"),
            Self::UnknownTagSet(t) => write!(f, "tag set {t:?} is not in the policy"),
            Self::TagSetUriMismatch { tag_set, uri } => {
                write!(
                    f,
                    "Category URI {uri} is not the identifier of tag set {tag_set:?}"
                )
            }
            Self::WrongCategoryType { tag_set, kind } => {
                write!(f, "tag set {tag_set:?} has no {kind} categories")
            }
            Self::DuplicateCategory(t) => {
                write!(f, "tag set {t:?} appears in two Category elements")
            }
            Self::EmptyCategory(t) => write!(f, "Category {t:?} has no value"),
            Self::UnknownCategoryValue { tag_set, value } => {
                write!(f, "{value:?} is not a value of tag set {tag_set:?}")
            }
            Self::DuplicateValue { tag_set, value } => {
                write!(f, "{value:?} appears twice in tag set {tag_set:?}")
            }
            Self::ExcludedClass {
                category,
                classification,
            } => write!(f, "{category} may not be used with {classification}"),
            Self::RequiredClass { category, required } => {
                write!(f, "{category} may only be used with {required}")
            }
            Self::RequiredCategory {
                owner,
                operation,
                members,
                present,
            } => write!(
                f,
                "{owner} requires {} of [{}] ({present} present)",
                match operation {
                    Operation::OnlyOne => "exactly one",
                    Operation::OneOrMore => "at least one",
                    Operation::All => "all",
                },
                members.join(", ")
            ),
            Self::ExcludedCategory { category, excluded } => {
                write!(f, "{category} may not be used with {excluded}")
            }
            Self::Selection {
                tag_set,
                count,
                bound,
            } => write!(
                f,
                "tag set {tag_set:?} allows {bound} values ({count} present)"
            ),
            Self::PrivacyMarkSelection { bound } => write!(f, "privacy marks: {bound}"),
            Self::OutsideValidity { what, edge } => {
                write!(f, "{what} is outside its validity ({edge})")
            }
            Self::MissingClassification => f.write_str("the label has no classification"),
            Self::UnknownClassificationValue(v) => {
                write!(f, "classification value {v} is not in the policy")
            }
            Self::UnsupportedCategoryType(oid) => {
                write!(
                    f,
                    "security category type {oid} is not an ACP-145(A) syntax"
                )
            }
            Self::UnknownTagSetId(oid) => write!(f, "tag set {oid} is not in the policy"),
            Self::SyntaxMismatch { tag_set } => write!(
                f,
                "the category syntax does not match the kind of tag set {tag_set:?}"
            ),
            Self::UnknownCategoryLacv { tag_set, lacv } => {
                write!(f, "value {lacv} is not in tag set {tag_set:?}")
            }
            Self::AmbiguousLacv { tag_set, lacv } => write!(
                f,
                "value {lacv} names two categories of tag set {tag_set:?}; refused as ambiguous"
            ),
            Self::UnreadableValidity { what, value } => {
                write!(f, "validity date {value:?} of {what} cannot be read")
            }
        }
    }
}

/// All reasons a label is invalid (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidLabel {
    /// The reasons, in rule order.
    pub reasons: Vec<Invalid>,
    /// Warnings gathered before validation failed.
    pub warnings: Vec<LabelWarning>,
}

impl fmt::Display for InvalidLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid label: ")?;
        for (i, r) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidLabel {}

/// Finds the policy a `PolicyIdentifier` designates: by `urn:oid:` URI if present (then the
/// name must match that policy), else by name.
pub fn resolve_policy<'p>(
    policies: &'p PolicySet,
    identifier: &PolicyIdentifier<'_>,
) -> Result<&'p Policy, Invalid> {
    let unknown = || Invalid::UnknownPolicy {
        name: crate::xml::excerpt(&identifier.name),
        uri: identifier.uri.as_deref().map(crate::xml::excerpt),
    };
    match identifier.uri.as_deref() {
        Some(uri) => {
            let policy = policies.by_uri(uri);
            match policy {
                Some(p) if p.value_case().equal(p.name(), &identifier.name) => Ok(p),
                Some(p) => Err(Invalid::PolicyUriMismatch {
                    uri: crate::xml::excerpt(uri),
                    policy: p.name().into(),
                }),
                None => match policies.by_name(&identifier.name) {
                    Some(p) => Err(Invalid::PolicyUriMismatch {
                        uri: crate::xml::excerpt(uri),
                        policy: p.name().into(),
                    }),
                    None => Err(unknown()),
                },
            }
        }
        None => policies.by_name(&identifier.name).ok_or_else(unknown),
    }
}

/// Validates the content of a label against its policy (found in `policies`) at time `at`.
///
/// `warnings` are those of reading; obsolete values add to them ([`super::Label::review_warning`]
/// says whether the review date has passed).
pub fn validate<'p>(
    policies: &'p PolicySet,
    information: &ConfidentialityInformation<'_>,
    at: Timestamp,
    warnings: Vec<LabelWarning>,
) -> Result<ValidLabel<'p>, InvalidLabel> {
    let policy = match resolve_policy(policies, &information.policy) {
        Ok(p) => p,
        Err(reason) => {
            return Err(InvalidLabel {
                reasons: vec![reason],
                warnings,
            })
        }
    };
    validate_under(policy, information, at, warnings)
}

/// Validates against a given policy (the `PolicyIdentifier` must still designate it).
pub fn validate_under<'p>(
    policy: &'p Policy,
    information: &ConfidentialityInformation<'_>,
    at: Timestamp,
    mut warnings: Vec<LabelWarning>,
) -> Result<ValidLabel<'p>, InvalidLabel> {
    let mut reasons = Vec::new();
    if !policy
        .value_case()
        .equal(policy.name(), &information.policy.name)
    {
        reasons.push(Invalid::UnknownPolicy {
            name: crate::xml::excerpt(&information.policy.name),
            uri: information.policy.uri.as_deref().map(crate::xml::excerpt),
        });
    }
    if let Some(uri) = information.policy.uri.as_deref() {
        if uri != policy.uri() {
            reasons.push(Invalid::PolicyUriMismatch {
                uri: crate::xml::excerpt(uri),
                policy: policy.name().into(),
            });
        }
    }
    let classification = policy.classification_by_name(&information.classification);
    if classification.is_none() {
        reasons.push(Invalid::UnknownClassification(crate::xml::excerpt(
            &information.classification,
        )));
    }
    let privacy_mark = match information.privacy_mark.as_deref() {
        None => None,
        Some(name) => match policy.privacy_mark_by_name(name) {
            Some(i) => u16::try_from(i).ok(),
            None => {
                reasons.push(Invalid::UnknownPrivacyMark(crate::xml::excerpt(name)));
                None
            }
        },
    };
    let mut words = vec![0u64; policy.label_words()].into_boxed_slice();
    let mut seen = SeenCategories::default();
    for category in &information.categories {
        compile_category(policy, category, &mut words, &mut seen, &mut reasons);
    }
    let Some(classification) = classification else {
        return Err(InvalidLabel { reasons, warnings });
    };
    let compiled = ValidLabel {
        policy,
        classification,
        privacy_mark,
        categories: words,
        warnings: Vec::new(),
    };
    if reasons.is_empty() {
        check_rules(&compiled, at, &mut reasons, &mut warnings);
    }
    if !reasons.is_empty() {
        return Err(InvalidLabel { reasons, warnings });
    }
    Ok(ValidLabel {
        warnings,
        ..compiled
    })
}

/// The (tag set, category type) pairs a label has used: a bit per pair, on the stack (tag set
/// ids are below 256).
#[derive(Default)]
struct SeenCategories([[u64; 4]; 3]);

impl SeenCategories {
    /// Marks the pair; `false` if it was already marked.
    fn insert(&mut self, set: usize, kind: CategoryType) -> bool {
        let row = match kind {
            CategoryType::Restrictive => 0,
            CategoryType::Permissive => 1,
            CategoryType::Informative => 2,
        };
        let set = set.min(255);
        let Some(word) = self.0.get_mut(row).and_then(|r| r.get_mut(set / 64)) else {
            return false;
        };
        let bit = 1u64 << (set % 64);
        let fresh = *word & bit == 0;
        *word |= bit;
        fresh
    }
}

fn compile_category(
    policy: &Policy,
    category: &LabelCategory<'_>,
    words: &mut [u64],
    seen: &mut SeenCategories,
    reasons: &mut Vec<Invalid>,
) {
    let excerpt = crate::xml::excerpt;
    let Some(set) = policy.tag_set_by_name(&category.tag_name) else {
        reasons.push(Invalid::UnknownTagSet(excerpt(&category.tag_name)));
        return;
    };
    let set_name = policy.tag_set(set).map_or("", |s| &s.name);
    if let Some(uri) = category.uri.as_deref() {
        if policy.tag_set(set).map(|s| &*s.uri) != Some(uri) {
            reasons.push(Invalid::TagSetUriMismatch {
                tag_set: set_name.into(),
                uri: excerpt(uri),
            });
        }
    }
    if !policy
        .tags_of(set)
        .any(|(_, t)| t.kind.category_type() == category.kind)
    {
        reasons.push(Invalid::WrongCategoryType {
            tag_set: set_name.into(),
            kind: category.kind,
        });
        return;
    }
    if !seen.insert(set.index(), category.kind) {
        reasons.push(Invalid::DuplicateCategory(set_name.into()));
    }
    if category.values.is_empty() {
        reasons.push(Invalid::EmptyCategory(set_name.into()));
    }
    for value in &category.values {
        let Some(id) = policy.category_by_name(set, category.kind, value) else {
            reasons.push(Invalid::UnknownCategoryValue {
                tag_set: set_name.into(),
                value: excerpt(value),
            });
            continue;
        };
        let Some((word, bit)) = policy.category_bit(id) else {
            continue;
        };
        let mask = 1u64.checked_shl(bit).unwrap_or(0);
        match words.get_mut(word) {
            Some(w) if *w & mask != 0 => reasons.push(Invalid::DuplicateValue {
                tag_set: set_name.into(),
                value: excerpt(value),
            }),
            Some(w) => *w |= mask,
            None => {}
        }
    }
}

/// A category as `tag set: value`.
pub fn category_display(policy: &Policy, id: CategoryId) -> Box<str> {
    let Some(category) = policy.category(id) else {
        return Box::from("?");
    };
    let set = policy
        .tag(category.tag)
        .and_then(|t| policy.tag_set(t.tag_set))
        .map_or("?", |s| &s.name);
    format!("{set}: {}", category.name).into_boxed_str()
}

fn check_rules(
    label: &ValidLabel<'_>,
    at: Timestamp,
    reasons: &mut Vec<Invalid>,
    warnings: &mut Vec<LabelWarning>,
) {
    let policy = label.policy;
    let words = &label.categories[..];
    let Some(class) = policy.classification(label.classification) else {
        return;
    };
    let class_bit = 1u64
        .checked_shl(u32::from(label.classification.0))
        .unwrap_or(0);
    let members = |ids: &[CategoryId]| ids.iter().map(|i| category_display(policy, *i)).collect();
    if class.obsolete {
        warnings.push(LabelWarning::Obsolete {
            name: class.name.clone(),
        });
    }
    for rule in &class.required {
        if !rule.holds(words) {
            reasons.push(Invalid::RequiredCategory {
                owner: class.name.clone(),
                operation: rule.operation,
                members: members(&rule.member_ids),
                present: rule.members.count_in(words),
            });
        }
    }
    check_window(policy.name(), policy.validity(), at, reasons);
    for id in label.category_ids() {
        let Some(category) = policy.category(id) else {
            continue;
        };
        let display = || category_display(policy, id);
        if category.obsolete {
            warnings.push(LabelWarning::Obsolete { name: display() });
        }
        if category.excluded_classes & class_bit != 0 {
            reasons.push(Invalid::ExcludedClass {
                category: display(),
                classification: class.name.clone(),
            });
        }
        if let Some(required) = category.required_class {
            if required != label.classification {
                reasons.push(Invalid::RequiredClass {
                    category: display(),
                    required: policy
                        .classification(required)
                        .map_or_else(|| Box::from("?"), |c| c.name.clone()),
                });
            }
        }
        for rule in &category.required {
            if !rule.holds(words) {
                reasons.push(Invalid::RequiredCategory {
                    owner: display(),
                    operation: rule.operation,
                    members: members(&rule.member_ids),
                    present: rule.members.count_in(words),
                });
            }
        }
        for excluded in &category.excluded {
            // The common case, no excluded value present, settled word by word.
            let overlap = excluded.words().iter().zip(words).any(|(e, w)| e & w != 0);
            if !overlap {
                continue;
            }
            for other in ids_in_mask(policy, excluded.words()) {
                if label.has(other) {
                    reasons.push(Invalid::ExcludedCategory {
                        category: display(),
                        excluded: category_display(policy, other),
                    });
                }
            }
        }
        if category.not_before.is_some() || category.not_after.is_some() {
            check_window(
                &display(),
                (
                    category.not_before.as_deref(),
                    category.not_after.as_deref(),
                ),
                at,
                reasons,
            );
        }
    }
    for (index, tag) in policy.tags().iter().enumerate() {
        let count = label
            .tag_words(TagId(u8::try_from(index).unwrap_or(u8::MAX)))
            .iter()
            .map(|w| w.count_ones())
            .sum::<u32>();
        if count == 0 {
            continue;
        }
        let set = policy.tag_set(tag.tag_set).map_or("?", |s| &s.name);
        let mut bound = None;
        if tag.single_selection && count > 1 {
            bound = Some("at most 1".to_owned());
        }
        if let Some(max) = tag.max_selection.filter(|m| count > *m) {
            bound = Some(format!("at most {max}"));
        }
        if let Some(min) = tag.min_selection.filter(|m| count < *m) {
            bound = Some(format!("at least {min}"));
        }
        if let Some(bound) = bound {
            reasons.push(Invalid::Selection {
                tag_set: set.into(),
                count,
                bound: bound.into_boxed_str(),
            });
        }
    }
    let marks = u32::from(label.privacy_mark.is_some());
    let (min, max) = policy.privacy_selection;
    if let Some(min) = min.filter(|m| marks < *m) {
        reasons.push(Invalid::PrivacyMarkSelection {
            bound: format!("at least {min} required").into_boxed_str(),
        });
    }
    if let Some(max) = max.filter(|m| marks > *m) {
        reasons.push(Invalid::PrivacyMarkSelection {
            bound: format!("at most {max} allowed").into_boxed_str(),
        });
    }
    if let Some(mark) = label
        .privacy_mark
        .and_then(|i| policy.privacy_marks().get(usize::from(i)))
    {
        if mark.obsolete {
            warnings.push(LabelWarning::Obsolete {
                name: mark.name.clone(),
            });
        }
    }
}

fn check_window(
    what: &str,
    (not_before, not_after): (Option<&str>, Option<&str>),
    at: Timestamp,
    reasons: &mut Vec<Invalid>,
) {
    for (edge, after) in [(not_before, false), (not_after, true)] {
        let Some(edge) = edge else { continue };
        match Timestamp::parse_spif_time(edge) {
            None => reasons.push(Invalid::UnreadableValidity {
                what: what.into(),
                value: crate::xml::excerpt(edge),
            }),
            Some(t) if (after && at > t) || (!after && at < t) => {
                reasons.push(Invalid::OutsideValidity {
                    what: what.into(),
                    edge: format!("{} {edge}", if after { "notAfter" } else { "notBefore" })
                        .into_boxed_str(),
                });
            }
            Some(_) => {}
        }
    }
}

/// The category ids whose bits are set in `words` (policy layout), in policy order.
pub(crate) fn ids_in_mask<'a>(
    policy: &'a Policy,
    words: &'a [u64],
) -> impl Iterator<Item = CategoryId> + 'a {
    // Visits set bits only (a word at a time), not every category of the policy: a label
    // carries a handful of values out of possibly hundreds.
    policy.tags().iter().flat_map(move |tag| {
        let start = usize::from(tag.word_offset);
        let end = start.saturating_add(usize::from(tag.word_count));
        let tag_words = words.get(start..end).unwrap_or_default();
        let first = tag.categories.start;
        let last = tag.categories.end;
        tag_words.iter().enumerate().flat_map(move |(index, word)| {
            let base = u16::try_from(index).unwrap_or(u16::MAX).saturating_mul(64);
            SetBits(*word).filter_map(move |bit| {
                let id = first
                    .checked_add(base)?
                    .checked_add(u16::try_from(bit).ok()?)?;
                (id < last).then_some(CategoryId(id))
            })
        })
    })
}

/// The positions of the set bits of a word, ascending.
struct SetBits(u64);

impl Iterator for SetBits {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.0 == 0 {
            return None;
        }
        let bit = self.0.trailing_zeros();
        self.0 &= self.0.wrapping_sub(1);
        Some(bit)
    }
}

impl<'p> ValidLabel<'p> {
    /// The policy.
    pub fn policy(&self) -> &'p Policy {
        self.policy
    }

    /// The classification.
    pub fn classification(&self) -> ClassificationId {
        self.classification
    }

    /// The privacy mark's index in [`Policy::privacy_marks`].
    pub fn privacy_mark(&self) -> Option<usize> {
        self.privacy_mark.map(usize::from)
    }

    /// The category bits (policy layout).
    pub fn category_words(&self) -> &[u64] {
        &self.categories
    }

    /// The bits of one tag.
    pub fn tag_words(&self, tag: TagId) -> &[u64] {
        let Some(t) = self.policy.tag(tag) else {
            return &[];
        };
        let start = usize::from(t.word_offset);
        let end = start.saturating_add(usize::from(t.word_count));
        self.categories.get(start..end).unwrap_or_default()
    }

    /// Whether the label carries a category.
    pub fn has(&self, id: CategoryId) -> bool {
        self.policy
            .category_bit(id)
            .and_then(|(w, b)| self.categories.get(w).map(|word| word & (1u64 << b) != 0))
            .unwrap_or(false)
    }

    /// The categories carried, in policy order.
    pub fn category_ids(&self) -> impl Iterator<Item = CategoryId> + '_ {
        ids_in_mask(self.policy, &self.categories)
    }

    /// Warnings from reading and validation.
    pub fn warnings(&self) -> &[LabelWarning] {
        &self.warnings
    }
}

/// Re-runs the policy rules on a label built by an operation (join, mapping), rule 9 of
/// ADatP-4774.1 §4.4.
pub(crate) fn revalidate(
    label: ValidLabel<'_>,
    at: Timestamp,
) -> Result<ValidLabel<'_>, Vec<Invalid>> {
    let mut reasons = Vec::new();
    let mut warnings = Vec::new();
    check_rules(&label, at, &mut reasons, &mut warnings);
    if reasons.is_empty() {
        Ok(ValidLabel { warnings, ..label })
    } else {
        Err(reasons)
    }
}

impl PartialEq for ValidLabel<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.policy.same_as(other.policy)
            && self.classification == other.classification
            && self.privacy_mark == other.privacy_mark
            && self.categories == other.categories
    }
}

impl Eq for ValidLabel<'_> {}
