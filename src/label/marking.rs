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
    let separator = policy
        .markings()
        .qualifier(code, QualifierKind::Separator, language)
        .unwrap_or(" ");
    // Parts are appended to one string, `separator` between them, empty parts skipped.
    let mut out = String::with_capacity(64);
    let begin = |out: &mut String| {
        let before = out.len();
        if !out.is_empty() {
            out.push_str(separator);
        }
        (before, out.len())
    };
    let end = |out: &mut String, (before, after): (usize, usize)| {
        if out.len() == after {
            out.truncate(before);
        }
    };
    let part = |out: &mut String, text: &str| {
        let at = begin(out);
        out.push_str(text);
        end(out, at);
    };
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
        part(&mut out, word);
    }
    if let Some(class) = class {
        let suppressed =
            class.markings.has_flag(MarkingCode::SuppressClassName) || hidden(&class.markings);
        if !suppressed {
            part(
                &mut out,
                class.markings.phrase(code, language).unwrap_or(&class.name),
            );
        }
    }
    for (index, tag) in policy.tags().iter().enumerate() {
        let tag_id = crate::policy::TagId(u8::try_from(index).unwrap_or(u8::MAX));
        let mut values = label
            .category_ids()
            .filter(|id| Some(*id) != word_category || hidden(policy.markings()))
            .filter_map(|id| policy.category(id))
            .filter(|c| c.tag == tag_id)
            .filter(|c| !hidden(&c.markings))
            .map(|c| c.markings.phrase(code, language).unwrap_or(&c.name))
            .peekable();
        if values.peek().is_none() {
            continue;
        }
        let q = |kind| tag.markings.qualifier(code, kind, language);
        let (prefix, between, suffix) = (
            q(QualifierKind::Prefix).unwrap_or(""),
            q(QualifierKind::Separator).unwrap_or("/"),
            q(QualifierKind::Suffix).unwrap_or(""),
        );
        // The tag's part: prefix, values joined by the tag's separator, suffix.
        let at = begin(&mut out);
        out.push_str(prefix);
        for (i, v) in values.enumerate() {
            if i > 0 {
                out.push_str(between);
            }
            out.push_str(v);
        }
        out.push_str(suffix);
        end(&mut out, at);
    }
    if let Some(mark) = label
        .privacy_mark()
        .and_then(|i| policy.privacy_marks().get(i))
    {
        if !hidden(&mark.markings) {
            part(
                &mut out,
                mark.markings.phrase(code, language).unwrap_or(&mark.name),
            );
        }
    }
    out
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::policy::{CategoryId, ClassificationId, PolicySet};

    /// The straightforward form of steps 1–5 (a part per string, then join), which the
    /// single-buffer renderer must equal.
    fn reference(label: &ValidLabel<'_>, code: MarkingCode, language: &str) -> String {
        let policy = label.policy;
        let hidden = |m: &Markings| m.has_flag(MarkingCode::NoMarkingDisplay);
        let mut parts: Vec<String> = Vec::new();
        let class = policy.classification(label.classification);
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
            parts.push(
                category_word
                    .or(class_word)
                    .unwrap_or(policy.name())
                    .to_owned(),
            );
        }
        if let Some(class) = class {
            if !(class.markings.has_flag(MarkingCode::SuppressClassName) || hidden(&class.markings))
            {
                parts.push(
                    class
                        .markings
                        .phrase(code, language)
                        .unwrap_or(&class.name)
                        .to_owned(),
                );
            }
        }
        for (index, tag) in policy.tags().iter().enumerate() {
            let tag_id = crate::policy::TagId(u8::try_from(index).unwrap());
            let values: Vec<&str> = label
                .category_ids()
                .filter(|id| Some(*id) != word_category || hidden(policy.markings()))
                .filter_map(|id| policy.category(id))
                .filter(|c| c.tag == tag_id && !hidden(&c.markings))
                .map(|c| c.markings.phrase(code, language).unwrap_or(&c.name))
                .collect();
            if values.is_empty() {
                continue;
            }
            let q = |kind| tag.markings.qualifier(code, kind, language);
            parts.push(format!(
                "{}{}{}",
                q(QualifierKind::Prefix).unwrap_or(""),
                values.join(q(QualifierKind::Separator).unwrap_or("/")),
                q(QualifierKind::Suffix).unwrap_or("")
            ));
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

    /// Every classification, with no category, each category alone and each adjacent pair,
    /// with and without a privacy mark, for every code and two languages, on the embedded
    /// policies and the SPIF that exercises every marking code and qualifier.
    #[test]
    fn equals_the_reference_rendering() {
        let mut policies: Vec<Policy> = PolicySet::embedded().unwrap().iter().cloned().collect();
        policies.push(
            Policy::from_spif(include_bytes!(
                "../../tests/data/policy/all-marking-codes.xml"
            ))
            .unwrap(),
        );
        let mut compared = 0usize;
        for policy in &policies {
            let words = policy.label_words();
            let ids: Vec<u16> = (0..policy.categories().len())
                .map(|i| u16::try_from(i).unwrap())
                .collect();
            let mut sets: Vec<Vec<u16>> = vec![Vec::new()];
            sets.extend(ids.iter().map(|&i| vec![i]));
            sets.extend(ids.windows(2).map(<[u16]>::to_vec));
            let marks = policy.privacy_marks().len();
            for class in 0..policy.classifications().len() {
                for set in &sets {
                    let mut categories = vec![0u64; words].into_boxed_slice();
                    for &id in set {
                        let (w, b) = policy.category_bit(CategoryId(id)).unwrap();
                        categories[w] |= 1u64 << b;
                    }
                    for privacy_mark in [None, (marks > 0).then_some(0u16)] {
                        let label = ValidLabel {
                            policy,
                            classification: ClassificationId(u8::try_from(class).unwrap()),
                            privacy_mark,
                            categories: categories.clone(),
                            warnings: Vec::new(),
                        };
                        for code in MarkingCode::ALL {
                            if code == MarkingCode::PortionMarking {
                                continue;
                            }
                            for language in ["en", "fr"] {
                                assert_eq!(
                                    render_marking(&label, code, language),
                                    reference(&label, code, language),
                                    "{} class {class} categories {set:?} {code:?} {language}",
                                    policy.name()
                                );
                                compared += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }
}
