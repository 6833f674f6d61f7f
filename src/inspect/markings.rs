//! Classification markings written inside an object's content, found from the policies'
//! own marking phrases and compared with the object's label.
//!
//! A document labelled NATO RESTRICTED whose text says "NATO SECRET" is mislabelled, or hides
//! a more sensitive passage: the guard refuses it (`marking-above-label`). The phrases come
//! from every policy the guard knows (its SPIFs), so national markings are found too and
//! compared through the policies' equivalences.
//!
//! For each classification of each policy, the phrases are:
//! - each **policy word** followed by each **classification phrase**: the policy words are the
//!   policy's name, the classification's `replacePolicy` phrases (`COSMIC`) and every
//!   category's (`NATO/EAPC`), unless the SPIF hides the policy word (`noMarkingDisplay`); the
//!   classification phrases are its name and its display phrases in every language (`SECRET`,
//!   `DIFFUSION RESTREINTE`), unless it is shown without a name (`suppressClassName`);
//! - a display phrase alone when it already begins with a policy word (`XLAND SECRET`);
//! - each **portion mark** in parentheses (`(NS)`, `(CTS)`).
//!
//! A bare classification word ("secret") is deliberately not a phrase: it is ordinary English,
//! and a policy's markings always carry their policy word. Matching uses the
//! [`words`](super::words) normalisation (case, NFKD, accents, confusable letters, invisible
//! characters), so `Nato Secret`, `ＮＡＴＯ ＳＥＣＲＥＴ` and `NATO  SECRET` are found.
//!
//! **Comparison** (the safe reading): a marking under the label's own policy is above the
//! label when its classification's hierarchy is higher. A marking under another policy is
//! compared through every equivalence stated between the two classifications, in either
//! policy and either direction (`applied` is not consulted: a marking is a claim about the
//! content, not a label being mapped), taking the highest; with no equivalence it cannot be
//! compared, and the object is refused (`marking-not-comparable`). A phrase shared by several
//! classifications (two policies both writing `SECRET` under one name) counts as the highest.

use super::words::{Phrase, WordMatcher, WordsError};
use crate::policy::{ClassificationId, MarkingCode, Policy, PolicySet};

/// What a marking phrase means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meaning {
    /// The policy's index in the guard's [`PolicySet`].
    pub policy: usize,
    /// The classification under that policy.
    pub classification: ClassificationId,
}

/// The marking phrases of a set of policies, compiled once.
#[derive(Clone, Debug)]
pub struct MarkingPhrases {
    matcher: WordMatcher,
    /// Per phrase of the matcher: the phrase as built and every meaning it has.
    phrases: Vec<(Box<str>, Vec<Meaning>)>,
}

/// How a found marking compares with the label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// At or below the label's classification.
    Within,
    /// Above it: the classification it means (under the label's policy).
    Above(ClassificationId),
    /// Under a policy with no equivalence to the label's classification.
    NotComparable,
}

impl MarkingPhrases {
    /// The phrases of every policy in `policies`.
    pub fn new(policies: &PolicySet) -> Result<Self, WordsError> {
        let mut phrases: Vec<(Box<str>, String, Vec<Meaning>)> = Vec::new();
        for (p, policy) in policies.iter().enumerate() {
            for (c, class) in policy.classifications().iter().enumerate() {
                let meaning = Meaning {
                    policy: p,
                    classification: ClassificationId(u8::try_from(c).unwrap_or(u8::MAX)),
                };
                for text in class_phrases(policy, class) {
                    let key = super::words::normalize(&text);
                    if key.is_empty() {
                        continue;
                    }
                    match phrases.iter_mut().find(|(_, k, _)| *k == key) {
                        Some((_, _, meanings)) if meanings.contains(&meaning) => {}
                        Some((_, _, meanings)) => meanings.push(meaning.clone()),
                        None => phrases.push((text.into_boxed_str(), key, vec![meaning.clone()])),
                    }
                }
            }
        }
        let list: Vec<Phrase<'_>> = phrases
            .iter()
            .map(|(text, _, _)| Phrase {
                text,
                spaced: false,
            })
            .collect();
        let matcher = WordMatcher::new(&list)?;
        Ok(Self {
            matcher,
            phrases: phrases
                .into_iter()
                .map(|(text, _, meanings)| (text, meanings))
                .collect(),
        })
    }

    /// The matcher over every phrase.
    pub fn matcher(&self) -> &WordMatcher {
        &self.matcher
    }

    /// Phrase `index` as built, and what it means.
    pub fn phrase(&self, index: usize) -> Option<(&str, &[Meaning])> {
        self.phrases
            .get(index)
            .map(|(text, meanings)| (&**text, meanings.as_slice()))
    }

    /// Every phrase, in matcher order.
    pub fn phrases(&self) -> impl Iterator<Item = &str> {
        self.phrases.iter().map(|(t, _)| &**t)
    }

    /// How phrase `index` compares with a label under `label_policy` at `label_class`
    /// (`policies` is the set this was built from).
    pub fn compare(
        &self,
        policies: &PolicySet,
        index: usize,
        label_policy: &Policy,
        label_class: ClassificationId,
    ) -> Comparison {
        let Some((_, meanings)) = self.phrase(index) else {
            return Comparison::NotComparable;
        };
        let Some(label_level) = label_policy
            .classification(label_class)
            .map(|c| c.hierarchy)
        else {
            return Comparison::NotComparable;
        };
        let mut highest: Option<(i64, ClassificationId)> = None;
        for m in meanings {
            let Some(policy) = policies.get(m.policy) else {
                return Comparison::NotComparable;
            };
            let Some(mapped) = equivalent(policy, m.classification, label_policy) else {
                return Comparison::NotComparable;
            };
            let Some(level) = label_policy.classification(mapped).map(|c| c.hierarchy) else {
                return Comparison::NotComparable;
            };
            if highest.is_none_or(|(h, _)| level > h) {
                highest = Some((level, mapped));
            }
        }
        match highest {
            Some((level, class)) if level > label_level => Comparison::Above(class),
            Some(_) => Comparison::Within,
            None => Comparison::NotComparable,
        }
    }
}

/// The highest classification of `target` that `class` of `policy` is stated equivalent to.
fn equivalent(
    policy: &Policy,
    class: ClassificationId,
    target: &Policy,
) -> Option<ClassificationId> {
    if policy.same_as(target) {
        return Some(class);
    }
    let source = policy.classification(class)?;
    let level =
        |id: &ClassificationId| target.classification(*id).map_or(i64::MIN, |c| c.hierarchy);
    // Stated in `policy`: this classification is equivalent to `target`'s lacv.
    let forward = source.equivalents.iter().filter_map(|e| {
        let foreign = policy.equivalent_policies().get(e.policy)?;
        (foreign.id == *target.id())
            .then(|| target.classification_by_lacv(e.lacv))
            .flatten()
    });
    // Stated in `target`: one of its classifications is equivalent to this one.
    let backward = target
        .classifications()
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.equivalents.iter().any(|e| {
                target
                    .equivalent_policies()
                    .get(e.policy)
                    .is_some_and(|foreign| foreign.id == *policy.id())
                    && e.lacv == source.lacv
            })
        })
        .map(|(i, _)| ClassificationId(u8::try_from(i).unwrap_or(u8::MAX)));
    forward.chain(backward).max_by_key(level)
}

/// The `replacePolicy` phrases of an item, in any language.
fn replacing(m: &crate::policy::Markings) -> impl Iterator<Item = &str> {
    m.data
        .iter()
        .filter(|d| d.codes.contains(MarkingCode::ReplacePolicy))
        .filter_map(|d| d.phrase.as_deref())
}

/// The marking phrases of one classification (see the module docs).
fn class_phrases(policy: &Policy, class: &crate::policy::Classification) -> Vec<String> {
    let mut out = Vec::new();
    let flags = [
        MarkingCode::PortionMarking,
        MarkingCode::ReplacePolicy,
        MarkingCode::NoMarkingDisplay,
        MarkingCode::NoNameDisplay,
        MarkingCode::SuppressClassName,
    ];
    let displayed: Vec<&str> = class
        .markings
        .data
        .iter()
        .filter(|d| !d.codes.iter().any(|c| flags.contains(&c)))
        .filter_map(|d| d.phrase.as_deref())
        .collect();
    let policy_hidden = policy.markings().has_flag(MarkingCode::NoMarkingDisplay);
    let mut words: Vec<&str> = Vec::new();
    if !policy_hidden {
        words.push(policy.name());
        words.extend(replacing(&class.markings));
        for category in policy.categories() {
            words.extend(replacing(&category.markings));
        }
    }
    let suppressed = class.markings.has_flag(MarkingCode::SuppressClassName)
        || class.markings.has_flag(MarkingCode::NoMarkingDisplay);
    if !suppressed {
        let names = core::iter::once(&*class.name).chain(displayed.iter().copied());
        for name in names {
            if words.is_empty() {
                out.push(name.to_owned());
            }
            for word in &words {
                out.push(format!("{word} {name}"));
                let starts_with_word = name
                    .get(..word.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(word))
                    && name
                        .get(word.len()..)
                        .is_some_and(|rest| rest.starts_with(' '));
                if starts_with_word {
                    out.push(name.to_owned());
                }
            }
        }
    }
    for d in &class.markings.data {
        if d.codes.contains(MarkingCode::PortionMarking) {
            if let Some(p) = d.phrase.as_deref() {
                out.push(format!("({p})"));
            }
        }
    }
    out
}
