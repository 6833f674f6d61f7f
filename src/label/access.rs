//! The access control decision function (ACDF), dominance and join.
//!
//! ACDF (ADatP-4774 §1.5 rules, standards.md §1.5): label and clearance under one policy; the
//! label's classification is in the clearance's set; for every restrictive tag the label's
//! values are a subset of the clearance's; for every permissive tag present in the label at
//! least one value is held; informative tags are ignored. On compiled forms this is a handful
//! of word operations ([`decide`]); [`explain`] gives every reason for a denial.
//!
//! Dominance and join follow standards.md §7.2. The join of labels under a policy with a
//! mandatory owner tag ([`Policy::owner_tag`], like NATO `Context`) applies the ADatP-4774.1
//! §4.4 rules (permissive tags missing from any input are dropped); for every other policy the
//! conservative join keeps every permissive tag present in any input, with the intersection of
//! the inputs that carry it. An empty intersection has no upper bound that is a valid label and
//! is a [`JoinError`] — a policy decision, never a silent widening.

use core::fmt;

use super::clearance::ValidClearance;
use super::valid::{category_display, ids_in_mask, ValidLabel};
use crate::policy::{CategoryType, ClassificationId, Policy, TagId};

/// The outcome of an access decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// The clearance may see the label.
    Granted,
    /// It may not.
    Denied,
}

/// Why access was denied.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Denial {
    /// Label and clearance are under different policies (map the label first).
    PolicyMismatch {
        /// The label's policy.
        label: Box<str>,
        /// The clearance's policy.
        clearance: Box<str>,
    },
    /// The classification is not in the clearance's list.
    Classification(Box<str>),
    /// Restrictive values the clearance does not hold.
    Restrictive {
        /// The tag set.
        tag_set: Box<str>,
        /// The values missing from the clearance.
        missing: Vec<Box<str>>,
    },
    /// A permissive tag none of whose values the clearance holds.
    Permissive {
        /// The tag set.
        tag_set: Box<str>,
    },
}

impl Denial {
    /// A short stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PolicyMismatch { .. } => "policy-mismatch",
            Self::Classification(_) => "classification-not-cleared",
            Self::Restrictive { .. } => "restrictive-not-held",
            Self::Permissive { .. } => "permissive-none-held",
        }
    }
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PolicyMismatch { label, clearance } => write!(
                f,
                "the label is under policy {label:?}, the clearance under {clearance:?}"
            ),
            Self::Classification(c) => write!(f, "classification {c} is not in the clearance"),
            Self::Restrictive { tag_set, missing } => write!(
                f,
                "restrictive {tag_set}: the clearance lacks {}",
                missing.join(", ")
            ),
            Self::Permissive { tag_set } => write!(
                f,
                "permissive {tag_set}: the clearance holds none of the label's values"
            ),
        }
    }
}

/// A decision with its reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Granted or denied.
    pub access: Access,
    /// Every reason for a denial (empty when granted).
    pub reasons: Vec<Denial>,
}

fn same_policy(a: &Policy, b: &Policy) -> bool {
    a.same_as(b)
}

fn class_bit(id: ClassificationId) -> u64 {
    1u64.checked_shl(u32::from(id.0)).unwrap_or(0)
}

/// The words of one tag in a policy-layout word slice.
fn tag_slice<'w>(policy: &Policy, words: &'w [u64], tag: TagId) -> &'w [u64] {
    let Some(t) = policy.tag(tag) else {
        return &[];
    };
    let start = usize::from(t.word_offset);
    words
        .get(start..start.saturating_add(usize::from(t.word_count)))
        .unwrap_or_default()
}

fn tag_ids(policy: &Policy) -> impl Iterator<Item = (TagId, CategoryType)> + '_ {
    policy.tags().iter().enumerate().map(|(i, t)| {
        (
            TagId(u8::try_from(i).unwrap_or(u8::MAX)),
            t.kind.category_type(),
        )
    })
}

/// The ACDF on compiled forms: no allocation, a few word operations per tag.
///
/// ```
/// use crossguard::label::{decide, Access, Strictness, read_label_xml, validate, read_clearance_xml, compile_clearance, Timestamp};
/// use crossguard::policy::PolicySet;
/// let policies = PolicySet::embedded()?;
/// let label = read_label_xml(include_bytes!("../../tests/data/label/secret-rel-aus.xml"), Strictness::Strict)?;
/// let label = validate(&policies, &label.label.body.information, Timestamp::now(), label.warnings)?;
/// let uk = read_clearance_xml(include_bytes!("../../tests/data/clearance-xml/uk-like.xml"))?;
/// let uk = compile_clearance(&policies, &uk)?;
/// assert_eq!(decide(&label, &uk), Access::Granted); // NATO is in both release lists
/// let samoa = read_clearance_xml(include_bytes!("../../tests/data/clearance-xml/samoa-like.xml"))?;
/// let samoa = compile_clearance(&policies, &samoa)?;
/// assert_eq!(decide(&label, &samoa), Access::Denied); // SECRET is not in Samoa's list
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decide(label: &ValidLabel<'_>, clearance: &ValidClearance<'_>) -> Access {
    let policy = label.policy;
    if !same_policy(policy, clearance.policy) {
        return Access::Denied;
    }
    if clearance.classes & class_bit(label.classification) == 0 {
        return Access::Denied;
    }
    let lw = &*label.categories;
    let cw = &*clearance.categories;
    for tag in policy.tags() {
        let start = usize::from(tag.word_offset);
        let end = start.saturating_add(usize::from(tag.word_count));
        let (Some(l), Some(c)) = (lw.get(start..end), cw.get(start..end)) else {
            return Access::Denied;
        };
        match tag.kind.category_type() {
            CategoryType::Restrictive => {
                if l.iter().zip(c).any(|(l, c)| l & !c != 0) {
                    return Access::Denied;
                }
            }
            CategoryType::Permissive => {
                let present = l.iter().any(|w| *w != 0);
                if present && !l.iter().zip(c).any(|(l, c)| l & c != 0) {
                    return Access::Denied;
                }
            }
            CategoryType::Informative => {}
        }
    }
    Access::Granted
}

/// The ACDF with every reason for a denial.
pub fn explain(label: &ValidLabel<'_>, clearance: &ValidClearance<'_>) -> Decision {
    let policy = label.policy;
    let mut reasons = Vec::new();
    if !same_policy(policy, clearance.policy) {
        reasons.push(Denial::PolicyMismatch {
            label: policy.name().into(),
            clearance: clearance.policy.name().into(),
        });
        return Decision {
            access: Access::Denied,
            reasons,
        };
    }
    if clearance.classes & class_bit(label.classification) == 0 {
        let name = policy
            .classification(label.classification)
            .map_or_else(|| Box::from("?"), |c| c.name.clone());
        reasons.push(Denial::Classification(name));
    }
    for (tag, kind) in tag_ids(policy) {
        let l = tag_slice(policy, &label.categories, tag);
        let c = tag_slice(policy, &clearance.categories, tag);
        let set = policy
            .tag(tag)
            .and_then(|t| policy.tag_set(t.tag_set))
            .map_or_else(|| Box::from("?"), |s| s.name.clone());
        match kind {
            CategoryType::Restrictive => {
                let missing: Vec<u64> = l.iter().zip(c).map(|(l, c)| l & !c).collect();
                if missing.iter().any(|w| *w != 0) {
                    let mut full = vec![0u64; policy.label_words()];
                    if let Some(t) = policy.tag(tag) {
                        let start = usize::from(t.word_offset);
                        for (i, w) in missing.iter().enumerate() {
                            if let Some(slot) = full.get_mut(start.saturating_add(i)) {
                                *slot = *w;
                            }
                        }
                    }
                    let missing = ids_in_mask(policy, &full)
                        .filter_map(|id| policy.category(id).map(|c| c.name.clone()))
                        .collect();
                    reasons.push(Denial::Restrictive {
                        tag_set: set,
                        missing,
                    });
                }
            }
            CategoryType::Permissive => {
                let present = l.iter().any(|w| *w != 0);
                if present && !l.iter().zip(c).any(|(l, c)| l & c != 0) {
                    reasons.push(Denial::Permissive { tag_set: set });
                }
            }
            CategoryType::Informative => {}
        }
    }
    Decision {
        access: if reasons.is_empty() {
            Access::Granted
        } else {
            Access::Denied
        },
        reasons,
    }
}

/// Whether `a` dominates `b` (standards.md §7.2): `a` is at least as sensitive. Labels under
/// different policies are incomparable (`false`).
pub fn dominates(a: &ValidLabel<'_>, b: &ValidLabel<'_>) -> bool {
    let policy = a.policy;
    if !same_policy(policy, b.policy) || a.classification < b.classification {
        return false;
    }
    tag_ids(policy).all(|(tag, kind)| {
        let x = tag_slice(policy, &a.categories, tag);
        let y = tag_slice(policy, &b.categories, tag);
        match kind {
            CategoryType::Restrictive => x.iter().zip(y).all(|(x, y)| y & !x == 0),
            CategoryType::Permissive => {
                let y_present = y.iter().any(|w| *w != 0);
                !y_present
                    || (x.iter().any(|w| *w != 0) && x.iter().zip(y).all(|(x, y)| x & !y == 0))
            }
            CategoryType::Informative => true,
        }
    })
}

/// Why labels have no join.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JoinError {
    /// No labels were given.
    Empty,
    /// The labels are under different policies (map them first, ADatP-4774.1 §4.4 rule 1).
    PolicyMismatch,
    /// The permissive values of a tag have an empty intersection: no valid label dominates
    /// all inputs. A policy decision (or the system-high label) is needed.
    Unsatisfiable {
        /// The tag set.
        tag_set: Box<str>,
    },
    /// The joined label breaks a rule of the policy (rule 9).
    Invalid(Vec<super::valid::Invalid>),
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("no labels to join"),
            Self::PolicyMismatch => f.write_str("the labels are under different policies"),
            Self::Unsatisfiable { tag_set } => write!(
                f,
                "permissive tag set {tag_set:?} has no value common to all labels: a policy \
                 decision is needed"
            ),
            Self::Invalid(reasons) => {
                f.write_str("the joined label is not valid: ")?;
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

impl std::error::Error for JoinError {}

/// Which rules a join follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JoinRule {
    /// ADatP-4774.1 §4.4 rules 3–9: permissive tags missing from an input, or whose
    /// intersection is empty, are dropped — except the owner tag, whose empty intersection is
    /// an error. Only for policies with an owner tag; for others it falls back to
    /// [`JoinRule::Conservative`].
    OwnerTag,
    /// Every permissive tag present in any input is kept with the intersection of the inputs
    /// that carry it; an empty intersection is an error. The result is the least upper bound
    /// under [`dominates`].
    Conservative,
}

impl JoinRule {
    /// The rule crossguard uses for a policy: [`JoinRule::OwnerTag`] when it has an owner tag.
    pub fn for_policy(policy: &Policy) -> Self {
        if policy.owner_tag().is_some() {
            Self::OwnerTag
        } else {
            Self::Conservative
        }
    }
}

/// The least upper bound of labels (the label of an aggregate) under the policy's
/// [`JoinRule`], re-validated against the policy at `at`.
pub fn join<'p>(
    labels: &[ValidLabel<'p>],
    at: super::Timestamp,
) -> Result<ValidLabel<'p>, JoinError> {
    let rule = labels
        .first()
        .map_or(JoinRule::Conservative, |l| JoinRule::for_policy(l.policy));
    join_with(labels, rule, at)
}

/// [`join`] with an explicit rule. See `docs/labels.md` (Dominance and join).
pub fn join_with<'p>(
    labels: &[ValidLabel<'p>],
    rule: JoinRule,
    at: super::Timestamp,
) -> Result<ValidLabel<'p>, JoinError> {
    let (first, rest) = labels.split_first().ok_or(JoinError::Empty)?;
    let policy = first.policy;
    if rest.iter().any(|l| !same_policy(policy, l.policy)) {
        return Err(JoinError::PolicyMismatch);
    }
    let owner = match rule {
        JoinRule::OwnerTag => policy.owner_tag(),
        JoinRule::Conservative => None,
    };
    let mut words = first.categories.clone();
    let mut classification = first.classification;
    let mut privacy_mark = first.privacy_mark;
    for label in rest {
        classification = classification.max(label.classification);
        if privacy_mark.is_none() {
            privacy_mark = label.privacy_mark;
        }
    }
    // The owner tag's joined values (owner-tag rule only): the intersection over all labels.
    let owner_words: Option<Vec<u64>> = owner.map(|o| {
        let mut acc = vec![u64::MAX; tag_slice(policy, &first.categories, o).len()];
        for l in labels {
            let w = tag_slice(policy, &l.categories, o);
            acc.iter_mut().zip(w).for_each(|(a, x)| *a &= x);
        }
        acc
    });
    for (tag, kind) in tag_ids(policy) {
        let Some(t) = policy.tag(tag) else { continue };
        let start = usize::from(t.word_offset);
        let end = start.saturating_add(usize::from(t.word_count));
        let Some(acc) = words.get_mut(start..end) else {
            continue;
        };
        let set_name = || {
            policy
                .tag_set(t.tag_set)
                .map_or_else(|| Box::from("?"), |s| s.name.clone())
        };
        match kind {
            // Restrictive: union. Informative: union (rule 8).
            CategoryType::Restrictive | CategoryType::Informative => {
                for label in rest {
                    let other = tag_slice(policy, &label.categories, tag);
                    acc.iter_mut().zip(other).for_each(|(a, o)| *a |= o);
                }
            }
            CategoryType::Permissive => {
                let all = labels.iter().map(|l| tag_slice(policy, &l.categories, tag));
                let carriers: Vec<&[u64]> = all.filter(|w| w.iter().any(|x| *x != 0)).collect();
                let every_label_carries = carriers.len() == labels.len();
                // A4774.1 rules 5–6 drop a permissive tag that some label lacks or whose
                // intersection is empty. That is sound only for a release tag anchored in the
                // owner tag (every value requires an owner value such as NATO `Releasable`)
                // once the joined owner tag no longer holds any anchor: then only readers
                // cleared for the owner value itself are granted. A narrowing tag (`Only`) or
                // an anchor that survives keeps the conservative treatment.
                let droppable = owner.is_some()
                    && owner != Some(tag)
                    && owner_words
                        .as_ref()
                        .is_some_and(|o| anchored_and_cut(policy, tag, o));
                if droppable && !every_label_carries {
                    acc.iter_mut().for_each(|a| *a = 0);
                    continue;
                }
                if carriers.is_empty() {
                    continue;
                }
                acc.iter_mut().for_each(|a| *a = u64::MAX);
                for w in &carriers {
                    acc.iter_mut().zip(w.iter()).for_each(|(a, o)| *a &= o);
                }
                if acc.iter().all(|a| *a == 0) {
                    if droppable {
                        continue;
                    }
                    return Err(JoinError::Unsatisfiable {
                        tag_set: set_name(),
                    });
                }
            }
        }
    }
    let joined = ValidLabel {
        policy,
        classification,
        privacy_mark,
        categories: words,
        warnings: Vec::new(),
    };
    super::valid::revalidate(joined, at).map_err(JoinError::Invalid)
}

/// Whether every value of `tag` requires a value of the owner tag (its "anchors", like NATO
/// `Releasable`) and `owner_words` (the joined owner tag) holds none of them.
fn anchored_and_cut(policy: &Policy, tag: TagId, owner_words: &[u64]) -> bool {
    let (Some(owner), Some(t)) = (policy.owner_tag(), policy.tag(tag)) else {
        return false;
    };
    let owner_start = policy.tag(owner).map_or(0, |o| usize::from(o.word_offset));
    let mut any = false;
    for c in t.categories.clone() {
        let Some(category) = policy.category(crate::policy::CategoryId(c)) else {
            return false;
        };
        let anchors: Vec<&crate::policy::RequiredCategory> = category
            .required
            .iter()
            .filter(|r| {
                !r.member_ids.is_empty()
                    && r.member_ids
                        .iter()
                        .all(|m| policy.category(*m).is_some_and(|mc| mc.tag == owner))
            })
            .collect();
        if anchors.is_empty() {
            return false;
        }
        for rule in anchors {
            let words = rule.members.words();
            let held = owner_words.iter().enumerate().any(|(i, w)| {
                words
                    .get(owner_start.saturating_add(i))
                    .is_some_and(|m| m & w != 0)
            });
            if held {
                return false;
            }
        }
        any = true;
    }
    any
}

/// `tag set: value` of every category a label carries (for displays and tests).
pub fn category_names(label: &ValidLabel<'_>) -> Vec<Box<str>> {
    label
        .category_ids()
        .map(|id| category_display(label.policy, id))
        .collect()
}
