//! Between the compiled label and the ESS security label (RFC 2634) with ACP-145(A)
//! categories, through the policy (standards.md §3.3, §4).
//!
//! Policy identifier = SPIF `securityPolicyId/@id`; classification = `lacv`; privacy mark =
//! the mark's name (PrintableString when it fits, else UTF8String); one category per tag the
//! label uses, of the syntax that the tag's SPIF `tagType` fixes, `tagName` = tag-set
//! identifier, values = category lacvs. Decoding reverses each step and then validates the
//! label against the policy like any other; anything the policy cannot interpret (an unknown
//! tag set, a foreign category type, a lacv two categories share) makes the label invalid.

use core::fmt;

use super::datetime::Timestamp;
use super::ess::{EssLabel, PrivacyMark};
use super::security_category::{CategorySyntax, SecurityCategory, TagCategory};
use super::valid::{revalidate, Invalid, InvalidLabel, ValidLabel};
use crate::der::DerError;
use crate::policy::{LacvMatch, Policy, PolicySet, Tag7Encoding, TagKind};

/// Why a label cannot be written as an ESS label.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EssEncodeError {
    /// The classification's lacv is above the ESS range (0..=256).
    ClassificationOutOfRange(u32),
    /// A category has a string lacv, which binary labels cannot carry.
    TextLacv(Box<str>),
    /// The DER layer refused a value (a limit).
    Der(DerError),
}

impl fmt::Display for EssEncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ClassificationOutOfRange(v) => {
                write!(
                    f,
                    "classification lacv {v} does not fit an ESS label (0..=256)"
                )
            }
            Self::TextLacv(c) => write!(f, "{c} has a string lacv; ESS needs integers"),
            Self::Der(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for EssEncodeError {}

/// The ACP-145(A) syntax of a tag kind.
pub fn syntax_of(kind: TagKind) -> CategorySyntax {
    match kind {
        TagKind::Restrictive => CategorySyntax::RestrictiveBitMap,
        TagKind::Permissive => CategorySyntax::PermissiveBitMap,
        TagKind::EnumeratedRestrictive => CategorySyntax::EnumeratedRestrictive,
        TagKind::EnumeratedPermissive => CategorySyntax::EnumeratedPermissive,
        TagKind::Informative(Tag7Encoding::BitSet) => CategorySyntax::InformativeBitSet,
        TagKind::Informative(Tag7Encoding::Attributes) => CategorySyntax::InformativeAttributes,
    }
}

/// Encodes a valid label as a DER `ESSSecurityLabel`.
pub fn encode_ess_label(label: &ValidLabel<'_>) -> Result<Vec<u8>, EssEncodeError> {
    let policy = label.policy;
    let class = policy
        .classification(label.classification)
        .map_or(u32::MAX, |c| c.lacv);
    let class16 =
        u16::try_from(class).map_err(|_| EssEncodeError::ClassificationOutOfRange(class))?;
    let mut ess = EssLabel::new(policy.id().as_oid_ref())
        .with_classification(class16)
        .map_err(|_| EssEncodeError::ClassificationOutOfRange(class))?;
    if let Some(mark) = label
        .privacy_mark()
        .and_then(|i| policy.privacy_marks().get(i))
    {
        let mark = PrivacyMark::printable(&mark.name)
            .or_else(|_| PrivacyMark::utf8(&mark.name))
            .map_err(EssEncodeError::Der)?;
        ess = ess.with_privacy_mark(mark);
    }
    for (index, tag) in policy.tags().iter().enumerate() {
        let tag_id = crate::policy::TagId(u8::try_from(index).unwrap_or(u8::MAX));
        let mut values = Vec::new();
        for id in label.category_ids() {
            let Some(c) = policy.category(id).filter(|c| c.tag == tag_id) else {
                continue;
            };
            let lacv = c.lacv.integer().ok_or_else(|| {
                EssEncodeError::TextLacv(super::valid::category_display(policy, id))
            })?;
            values.push(lacv);
        }
        if values.is_empty() {
            continue;
        }
        let Some(set) = policy.tag_set(tag.tag_set) else {
            continue;
        };
        let category = TagCategory::new(syntax_of(tag.kind), set.id.as_oid_ref(), values)
            .map_err(EssEncodeError::Der)?;
        ess = ess
            .with_category(SecurityCategory::Tag(category))
            .map_err(EssEncodeError::Der)?;
    }
    Ok(ess.encode())
}

/// Interprets a decoded ESS label under the policy its identifier names and validates it.
pub fn decode_ess_label<'p>(
    policies: &'p PolicySet,
    ess: &EssLabel<'_>,
    at: Timestamp,
) -> Result<ValidLabel<'p>, InvalidLabel> {
    let invalid = |reasons: Vec<Invalid>| InvalidLabel {
        reasons,
        warnings: Vec::new(),
    };
    let policy_id = ess.policy().to_oid();
    let policy = policies.by_id(&policy_id).ok_or_else(|| {
        invalid(vec![Invalid::UnknownPolicy {
            name: Box::from(""),
            uri: Some(format!("urn:oid:{policy_id}").into_boxed_str()),
        }])
    })?;
    interpret(policy, ess, at).map_err(invalid)
}

fn interpret<'p>(
    policy: &'p Policy,
    ess: &EssLabel<'_>,
    at: Timestamp,
) -> Result<ValidLabel<'p>, Vec<Invalid>> {
    let mut reasons = Vec::new();
    let classification = match ess.classification() {
        None => {
            reasons.push(Invalid::MissingClassification);
            None
        }
        Some(v) => {
            let found = policy.classification_by_lacv(u32::from(v));
            if found.is_none() {
                reasons.push(Invalid::UnknownClassificationValue(u32::from(v)));
            }
            found
        }
    };
    let privacy_mark = match ess.privacy_mark() {
        None => None,
        Some(mark) => match policy.privacy_mark_by_name(mark.as_str()) {
            Some(i) => u16::try_from(i).ok(),
            None => {
                reasons.push(Invalid::UnknownPrivacyMark(crate::xml::excerpt(
                    mark.as_str(),
                )));
                None
            }
        },
    };
    let words = categories_to_words(policy, ess.categories(), &mut reasons, CategoryUse::Label);
    let Some(classification) = classification else {
        return Err(reasons);
    };
    if !reasons.is_empty() {
        return Err(reasons);
    }
    revalidate(
        ValidLabel {
            policy,
            classification,
            privacy_mark,
            categories: words,
            warnings: Vec::new(),
        },
        at,
    )
}

/// What binary categories are read for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CategoryUse {
    /// A label: each tag at most once, never empty.
    Label,
    /// A clearance: the union of its entries.
    Clearance,
}

/// The category bits of binary categories under `policy`; what cannot be interpreted is a
/// reason. Shared by ESS labels and X.509 clearances.
///
/// For a label (`Use::Label`), a tag set named twice or a category without values is a reason,
/// as in XML (merging two entries, or an empty one, would impose less than a reader of each
/// entry expects); a clearance holds the union of its entries.
pub(crate) fn categories_to_words(
    policy: &Policy,
    categories: &[SecurityCategory<'_>],
    reasons: &mut Vec<Invalid>,
    use_: CategoryUse,
) -> Box<[u64]> {
    let mut words = vec![0u64; policy.label_words()].into_boxed_slice();
    let mut seen: Vec<crate::policy::TagId> = Vec::new();
    for category in categories {
        let tag_category = match category {
            SecurityCategory::Tag(t) => t,
            SecurityCategory::Other(o) => {
                reasons.push(Invalid::UnsupportedCategoryType(
                    o.type_oid().to_oid().to_string().into_boxed_str(),
                ));
                continue;
            }
        };
        let set_id = tag_category.tag_name().to_oid();
        let Some(set) = policy.tag_set_by_id(&set_id) else {
            reasons.push(Invalid::UnknownTagSetId(
                set_id.to_string().into_boxed_str(),
            ));
            continue;
        };
        let set_name: Box<str> = policy
            .tag_set(set)
            .map_or_else(|| Box::from("?"), |s| s.name.clone());
        let Some((tag, _)) = policy
            .tags_of(set)
            .find(|(_, t)| syntax_of(t.kind) == tag_category.syntax())
        else {
            reasons.push(Invalid::SyntaxMismatch { tag_set: set_name });
            continue;
        };
        if use_ == CategoryUse::Label {
            if seen.contains(&tag) {
                reasons.push(Invalid::DuplicateCategory(set_name.clone()));
            }
            if tag_category.values().is_empty() {
                reasons.push(Invalid::EmptyCategory(set_name.clone()));
            }
            seen.push(tag);
        }
        for &lacv in tag_category.values() {
            match policy.category_by_lacv(tag, lacv) {
                LacvMatch::One(id) => {
                    if let Some((w, b)) = policy.category_bit(id) {
                        if let Some(word) = words.get_mut(w) {
                            *word |= 1u64.checked_shl(b).unwrap_or(0);
                        }
                    }
                }
                LacvMatch::None => reasons.push(Invalid::UnknownCategoryLacv {
                    tag_set: set_name.clone(),
                    lacv,
                }),
                LacvMatch::Ambiguous => reasons.push(Invalid::AmbiguousLacv {
                    tag_set: set_name.clone(),
                    lacv,
                }),
            }
        }
    }
    words
}
