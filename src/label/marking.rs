//! Display markings: a label rendered as text for a marking code and a language.
//!
//! The algorithm (standards.md §3.6, §7.1; the de-facto reference is spiffing's, extended to
//! all sixteen codes):
//! 1. the **policy word**: the `replacePolicy` phrase of a category the label carries (first
//!    in policy order, e.g. `NATO/EAPC` from a `Context` value), else of the classification
//!    (`COSMIC` for TOP SECRET), else the policy name — unless the SPIF-level marking data
//!    says `noMarkingDisplay`;
//! 2. the **classification** phrase for the code and language (its name when there is none),
//!    unless the classification is marked `suppressClassName` or `noMarkingDisplay`;
//! 3. for each tag in policy order, the values carried that are displayed (not
//!    `noMarkingDisplay`, not a `replacePolicy` value), each as its phrase or name, in policy
//!    order, joined by the tag's separator (default `/`) between the tag's prefix and suffix;
//! 4. the privacy mark, when displayed;
//! 5. the parts joined by the SPIF-level separator (default one space); empty parts skipped.
//!
//! `portionMarking` is different by nature: the classification's portion phrase (e.g. `NS`)
//! followed by the portion phrases of the values that have one, with no policy word.

use super::valid::ValidLabel;
use crate::policy::{MarkingCode, Markings, Policy, QualifierKind};

/// Renders a label's display marking.
///
/// ```
/// use crossguard::label::{read_label_xml, render_marking, validate, Strictness, Timestamp};
/// use crossguard::policy::{MarkingCode, PolicySet};
/// let policies = PolicySet::embedded()?;
/// let read = read_label_xml(include_bytes!("../../tests/data/label/table17-4.xml"), Strictness::Strict)?;
/// let label = validate(&policies, &read.label.body.information, Timestamp::now(), read.warnings)?;
/// assert_eq!(
///     render_marking(&label, MarkingCode::PageTopBottom, "en"),
///     "NATO RESTRICTED Releasable to Japan, Switzerland, Ukraine"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render_marking(label: &ValidLabel<'_>, code: MarkingCode, language: &str) -> String {
    let policy = label.policy;
    if code == MarkingCode::PortionMarking {
        return portion_marking(label, language);
    }
    let hidden = |m: &Markings| m.has_flag(MarkingCode::NoMarkingDisplay);
    let mut parts: Vec<String> = Vec::new();
    let class = policy.classification(label.classification);
    // The category whose phrase replaces the policy word is shown there and nowhere else; a
    // second such category (never in a valid NATO label) is listed with its tag.
    let word_category = label.category_ids().find(|id| {
        policy
            .category(*id)
            .is_some_and(|c| c.markings.replace_policy(language).is_some())
    });
    if !hidden(policy.markings()) {
        let category_word = word_category
            .and_then(|id| policy.category(id))
            .and_then(|c| c.markings.replace_policy(language));
        let class_word = class.and_then(|c| c.markings.replace_policy(language));
        let word = category_word.or(class_word).unwrap_or(policy.name());
        parts.push(word.to_owned());
    }
    if let Some(class) = class {
        let suppressed =
            class.markings.has_flag(MarkingCode::SuppressClassName) || hidden(&class.markings);
        if !suppressed {
            let phrase = class.markings.phrase(code, language).unwrap_or(&class.name);
            parts.push(phrase.to_owned());
        }
    }
    for (index, tag) in policy.tags().iter().enumerate() {
        let tag_id = crate::policy::TagId(u8::try_from(index).unwrap_or(u8::MAX));
        let values: Vec<&str> = label
            .category_ids()
            .filter(|id| Some(*id) != word_category || hidden(policy.markings()))
            .filter_map(|id| policy.category(id))
            .filter(|c| c.tag == tag_id)
            .filter(|c| !hidden(&c.markings))
            .map(|c| c.markings.phrase(code, language).unwrap_or(&c.name))
            .collect();
        if values.is_empty() {
            continue;
        }
        let q = |kind| tag.markings.qualifier(code, kind, language);
        let mut part = String::new();
        part.push_str(q(QualifierKind::Prefix).unwrap_or(""));
        part.push_str(&values.join(q(QualifierKind::Separator).unwrap_or("/")));
        part.push_str(q(QualifierKind::Suffix).unwrap_or(""));
        parts.push(part);
    }
    if let Some(mark) = label
        .privacy_mark()
        .and_then(|i| policy.privacy_marks().get(i))
    {
        if !hidden(&mark.markings) {
            parts.push(
                mark.markings
                    .phrase(code, language)
                    .unwrap_or(&mark.name)
                    .to_owned(),
            );
        }
    }
    let separator = policy
        .markings()
        .qualifier(code, QualifierKind::Separator, language)
        .unwrap_or(" ");
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    parts.join(separator)
}

fn portion_marking(label: &ValidLabel<'_>, language: &str) -> String {
    let policy: &Policy = label.policy;
    let code = MarkingCode::PortionMarking;
    let mut parts = Vec::new();
    if let Some(class) = policy.classification(label.classification) {
        parts.push(class.markings.phrase(code, language).unwrap_or(&class.name));
    }
    for id in label.category_ids() {
        if let Some(phrase) = policy
            .category(id)
            .and_then(|c| c.markings.phrase(code, language))
        {
            parts.push(phrase);
        }
    }
    parts.join(" ")
}

/// The colour of the label's classification (`@color`), if the SPIF gives one.
pub fn marking_color<'p>(label: &ValidLabel<'p>) -> Option<&'p str> {
    label
        .policy
        .classification(label.classification)
        .and_then(|c| c.color.as_deref())
}
