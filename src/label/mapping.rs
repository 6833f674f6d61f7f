//! Equivalence mapping: a label under one policy expressed under another, as an
//! `alternativeConfidentialityLabel` (ADatP-4774.1 §4.2 rules 1–5, standards.md §1.7, §3.7).
//!
//! Both SPIFs may declare the equivalence: the source's entries apply when they are for
//! export (`applied` = `encrypt` or `both`), the target's when they are for import (`decrypt`
//! or `both`). When both give an answer they must agree, else the mapping fails
//! ([`MappingError::Conflict`]) — two authorities disagreeing is a policy decision, not ours.
//!
//! - The classification maps by foreign lacv.
//! - Each category maps by (foreign tag-set identifier, kind, lacv); a source entry with
//!   `action="discard"` drops the value (reported in [`Mapped::discarded`]); a value with no
//!   entry fails the mapping.
//! - Then the target's requirements are added: the `requiredCategory` of the target's
//!   `equivalentPolicy` for the source, of the target classification's `equivalentClassification`
//!   for the source, and of each mapped category — where a requirement names its categories
//!   unambiguously (operation `all`, or a single candidate); anything else must already hold.
//!   Additions are reported in [`Mapped::added`].
//! - The result is re-validated against the target policy.
//!
//! The originator label is never modified (rule 1): mapping returns a new label.

use core::fmt;

use super::datetime::Timestamp;
use super::valid::{category_display, revalidate, Invalid, ValidLabel};
use crate::policy::{CategoryId, ClassificationId, LacvMatch, Operation, Policy};

/// A mapped label and what the mapping changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapped<'p> {
    /// The label under the target policy.
    pub label: ValidLabel<'p>,
    /// Source values dropped by `action="discard"` (`tag set: value`).
    pub discarded: Vec<Box<str>>,
    /// The same values as source-policy ids, for callers that must know their type (a
    /// discarded restrictive or permissive value removes a check at the target).
    pub discarded_ids: Vec<CategoryId>,
    /// Target values added to satisfy requirements (`tag set: value`).
    pub added: Vec<Box<str>>,
}

/// Why a label cannot be mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MappingError {
    /// Neither policy declares the other as an equivalent policy.
    NoEquivalence {
        /// Source policy.
        from: Box<str>,
        /// Target policy.
        to: Box<str>,
    },
    /// No equivalent of the classification.
    NoClassificationEquivalent(Box<str>),
    /// No equivalent of a category value.
    NoCategoryEquivalent(Box<str>),
    /// The two SPIFs (or two entries) give different equivalents.
    Conflict(Box<str>),
    /// An equivalence names a foreign value that the target policy does not have.
    Unresolved(Box<str>),
    /// A requirement of the target cannot be satisfied by adding categories.
    Unsatisfiable(Box<str>),
    /// An equivalence would change a value's type (restrictive, permissive, informative).
    TypeChange(Box<str>),
    /// The mapped label is not valid under the target policy.
    Invalid(Vec<Invalid>),
}

impl MappingError {
    /// A short stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoEquivalence { .. } => "no-equivalence",
            Self::NoClassificationEquivalent(_) => "no-classification-equivalent",
            Self::NoCategoryEquivalent(_) => "no-category-equivalent",
            Self::Conflict(_) => "equivalence-conflict",
            Self::Unresolved(_) => "unresolved-equivalent",
            Self::Unsatisfiable(_) => "unsatisfiable-requirement",
            Self::TypeChange(_) => "equivalence-changes-type",
            Self::Invalid(_) => "mapped-label-invalid",
        }
    }
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoEquivalence { from, to } => {
                write!(f, "policies {from:?} and {to:?} declare no equivalence")
            }
            Self::NoClassificationEquivalent(c) => {
                write!(f, "classification {c} has no equivalent")
            }
            Self::NoCategoryEquivalent(c) => write!(f, "{c} has no equivalent"),
            Self::Conflict(what) => write!(f, "conflicting equivalents for {what}"),
            Self::Unresolved(what) => write!(f, "equivalent of {what} is not in the target policy"),
            Self::Unsatisfiable(what) => write!(f, "requirement of {what} cannot be satisfied"),
            Self::TypeChange(what) => write!(
                f,
                "the equivalent of {what} has another type (restrictive, permissive, informative)"
            ),
            Self::Invalid(reasons) => {
                f.write_str("the mapped label is not valid: ")?;
                for (i, r) in reasons.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{r}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for MappingError {}

/// Maps a label to `target` (see `docs/labels.md`, Equivalence mapping).
pub fn map_label<'p>(
    label: &ValidLabel<'_>,
    target: &'p Policy,
    at: Timestamp,
) -> Result<Mapped<'p>, MappingError> {
    let source = label.policy;
    if source.id() == target.id() && !source.same_as(target) {
        return Err(MappingError::Conflict(
            format!("two different SPIFs with identifier {}", source.id()).into_boxed_str(),
        ));
    }
    if source.same_as(target) {
        return Ok(Mapped {
            label: ValidLabel {
                policy: target,
                classification: label.classification,
                privacy_mark: label.privacy_mark,
                categories: label.categories.clone(),
                warnings: label.warnings.clone(),
            },
            discarded: Vec::new(),
            discarded_ids: Vec::new(),
            added: Vec::new(),
        });
    }
    let in_source = source.equivalent_policy(target.id()).map(|(i, _)| i);
    let in_target = target.equivalent_policy(source.id());
    if in_source.is_none() && in_target.is_none() {
        return Err(MappingError::NoEquivalence {
            from: source.name().into(),
            to: target.name().into(),
        });
    }
    let classification = classification_equivalent(
        source,
        label.classification,
        target,
        in_source,
        in_target.map(|(i, _)| i),
    )?;
    let mut words = vec![0u64; target.label_words()].into_boxed_slice();
    let mut discarded = Vec::new();
    let mut discarded_ids = Vec::new();
    for id in label.category_ids() {
        match map_category(source, id, target, in_source, in_target.map(|(i, _)| i))? {
            Some(mapped) => set(target, &mut words, mapped),
            None => {
                discarded.push(category_display(source, id));
                discarded_ids.push(id);
            }
        }
    }
    let mut added = Vec::new();
    let mut rules: Vec<(&crate::policy::RequiredCategory, Box<str>)> = Vec::new();
    if let Some((index, equivalent)) = in_target {
        rules.extend(
            equivalent
                .required
                .iter()
                .map(|r| (r, equivalent.name.clone())),
        );
        if let Some(class) = target.classification(classification) {
            for e in class.equivalents.iter().filter(|e| e.policy == index) {
                rules.extend(e.required.iter().map(|r| (r, class.name.clone())));
            }
        }
    }
    // Fixpoint: requirements of added categories may require more (bounded by the number of
    // categories, each added at most once).
    for _round in 0..=target.categories().len() {
        let mut changed = false;
        let mut current: Vec<(&crate::policy::RequiredCategory, Box<str>)> = rules.clone();
        for id in super::valid::ids_in_mask(target, &words) {
            if let Some(c) = target.category(id) {
                current.extend(c.required.iter().map(|r| (r, c.name.clone())));
            }
        }
        for (rule, owner) in current {
            if rule.holds(&words) {
                continue;
            }
            let candidates: Vec<CategoryId> = rule.member_ids.to_vec();
            let to_add: Vec<CategoryId> = match (rule.operation, candidates.as_slice()) {
                (Operation::All, _) => candidates.clone(),
                (_, [single]) => vec![*single],
                _ => return Err(MappingError::Unsatisfiable(owner)),
            };
            // Adding a value may only narrow: a restrictive or informative value, a value of
            // the owner tag (e.g. NATO Context, whose values anchor the release tags), or the
            // first values of a permissive tag the label does not carry yet. Widening a
            // permissive tag the label carries would grant more than the source label did.
            let before = words.clone();
            if to_add.iter().any(|id| !may_add(target, &before, *id)) {
                return Err(MappingError::Unsatisfiable(owner));
            }
            for id in to_add {
                if !has(target, &words, id) {
                    set(target, &mut words, id);
                    added.push(category_display(target, id));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let privacy_mark = label
        .privacy_mark()
        .and_then(|i| source.privacy_marks().get(i))
        .and_then(|m| target.privacy_mark_by_name(&m.name))
        .and_then(|i| u16::try_from(i).ok());
    let mapped = ValidLabel {
        policy: target,
        classification,
        privacy_mark,
        categories: words,
        warnings: Vec::new(),
    };
    let label = revalidate(mapped, at).map_err(MappingError::Invalid)?;
    Ok(Mapped {
        label,
        discarded,
        discarded_ids,
        added,
    })
}

fn set(policy: &Policy, words: &mut [u64], id: CategoryId) {
    if let Some((w, b)) = policy.category_bit(id) {
        if let Some(word) = words.get_mut(w) {
            *word |= 1u64.checked_shl(b).unwrap_or(0);
        }
    }
}

fn may_add(policy: &Policy, words: &[u64], id: CategoryId) -> bool {
    use crate::policy::CategoryType;
    let Some(tag_id) = policy.category(id).map(|c| c.tag) else {
        return false;
    };
    let Some(tag) = policy.tag(tag_id) else {
        return false;
    };
    if tag.kind.category_type() != CategoryType::Permissive || policy.owner_tag() == Some(tag_id) {
        return true;
    }
    let start = usize::from(tag.word_offset);
    let end = start.saturating_add(usize::from(tag.word_count));
    words
        .get(start..end)
        .is_some_and(|w| w.iter().all(|x| *x == 0))
}

fn has(policy: &Policy, words: &[u64], id: CategoryId) -> bool {
    policy
        .category_bit(id)
        .and_then(|(w, b)| {
            words
                .get(w)
                .map(|word| word & 1u64.checked_shl(b).unwrap_or(0) != 0)
        })
        .unwrap_or(false)
}

/// Agrees two optional answers: both present must be equal.
fn agree<T: PartialEq>(
    a: Option<T>,
    b: Option<T>,
    what: impl FnOnce() -> Box<str>,
) -> Result<Option<T>, MappingError> {
    match (a, b) {
        (Some(x), Some(y)) if x != y => Err(MappingError::Conflict(what())),
        (Some(x), _) => Ok(Some(x)),
        (None, y) => Ok(y),
    }
}

/// The equivalent under `target` of classification `id` of `source` (rules of [`map_label`]:
/// both SPIFs' equivalences are consulted and must agree).
pub fn map_classification(
    source: &Policy,
    id: ClassificationId,
    target: &Policy,
) -> Result<ClassificationId, MappingError> {
    if source.same_as(target) {
        return Ok(id);
    }
    let in_source = source.equivalent_policy(target.id()).map(|(i, _)| i);
    let in_target = target.equivalent_policy(source.id()).map(|(i, _)| i);
    if in_source.is_none() && in_target.is_none() {
        return Err(MappingError::NoEquivalence {
            from: source.name().into(),
            to: target.name().into(),
        });
    }
    classification_equivalent(source, id, target, in_source, in_target)
}

fn classification_equivalent(
    source: &Policy,
    id: ClassificationId,
    target: &Policy,
    in_source: Option<usize>,
    in_target: Option<usize>,
) -> Result<ClassificationId, MappingError> {
    let class = source
        .classification(id)
        .ok_or_else(|| MappingError::NoClassificationEquivalent(Box::from("?")))?;
    let name = || class.name.clone();
    let mut from_source = None;
    if let Some(index) = in_source {
        for e in class
            .equivalents
            .iter()
            .filter(|e| e.policy == index && e.applied.on_export())
        {
            let mapped = target.classification_by_lacv(e.lacv).ok_or_else(|| {
                MappingError::Unresolved(format!("{} (lacv {})", class.name, e.lacv).into())
            })?;
            from_source = agree(from_source, Some(mapped), name)?;
        }
    }
    let mut from_target = None;
    if let Some(index) = in_target {
        for (i, c) in target.classifications().iter().enumerate() {
            let matches = c
                .equivalents
                .iter()
                .any(|e| e.policy == index && e.applied.on_import() && e.lacv == class.lacv);
            if matches {
                let id = ClassificationId(u8::try_from(i).unwrap_or(u8::MAX));
                from_target = agree(from_target, Some(id), name)?;
            }
        }
    }
    agree(from_source, from_target, name)?
        .ok_or_else(|| MappingError::NoClassificationEquivalent(name()))
}

/// `Ok(None)` = discarded.
fn map_category(
    source: &Policy,
    id: CategoryId,
    target: &Policy,
    in_source: Option<usize>,
    in_target: Option<usize>,
) -> Result<Option<CategoryId>, MappingError> {
    let display = || category_display(source, id);
    let category = source
        .category(id)
        .ok_or_else(|| MappingError::NoCategoryEquivalent(display()))?;
    let source_tag = source
        .tag(category.tag)
        .ok_or_else(|| MappingError::NoCategoryEquivalent(display()))?;
    let source_set = source
        .tag_set(source_tag.tag_set)
        .ok_or_else(|| MappingError::NoCategoryEquivalent(display()))?;
    let mut discard = false;
    let mut from_source = None;
    if let Some(index) = in_source {
        for e in category
            .equivalents
            .iter()
            .filter(|e| e.policy == index && e.applied.on_export())
        {
            if e.discard {
                discard = true;
                continue;
            }
            let set = e
                .tag_set_id
                .as_ref()
                .and_then(|set_id| target.tag_set_by_id(set_id))
                .ok_or_else(|| MappingError::Unresolved(display()))?;
            let lacv = e.lacv.ok_or_else(|| MappingError::Unresolved(display()))?;
            let mut found = None;
            for (tag, t) in target.tags_of(set) {
                if !t
                    .kind
                    .matches_selector(e.tag_type.as_deref(), e.enum_type.as_deref())
                {
                    continue;
                }
                match target.category_by_lacv(tag, lacv) {
                    LacvMatch::One(c) => found = agree(found, Some(c), display)?,
                    LacvMatch::Ambiguous => return Err(MappingError::Conflict(display())),
                    LacvMatch::None => {}
                }
            }
            let found = found.ok_or_else(|| MappingError::Unresolved(display()))?;
            from_source = agree(from_source, Some(found), display)?;
        }
    }
    let mut from_target = None;
    if let (Some(index), Some(lacv)) = (in_target, category.lacv.integer()) {
        for (i, c) in target.categories().iter().enumerate() {
            let matches = c.equivalents.iter().any(|e| {
                e.policy == index
                    && e.applied.on_import()
                    && !e.discard
                    && e.lacv == Some(lacv)
                    && e.tag_set_id.as_ref() == Some(&source_set.id)
                    && source_tag
                        .kind
                        .matches_selector(e.tag_type.as_deref(), e.enum_type.as_deref())
            });
            if matches {
                let found = CategoryId(u16::try_from(i).unwrap_or(u16::MAX));
                from_target = agree(from_target, Some(found), display)?;
            }
        }
    }
    match agree(from_source, from_target, display)? {
        Some(c) => {
            // An equivalence never changes how a value takes part in access decisions: a
            // restrictive value mapped to an informative one would silently lose its check.
            let kind = target
                .category(c)
                .and_then(|t| target.tag(t.tag))
                .map(|t| t.kind.category_type());
            if kind != Some(source_tag.kind.category_type()) {
                return Err(MappingError::TypeChange(display()));
            }
            Ok(Some(c))
        }
        None if discard => Ok(None),
        None => Err(MappingError::NoCategoryEquivalent(display())),
    }
}
