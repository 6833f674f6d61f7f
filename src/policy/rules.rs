//! Validity rules of a SPIF, compiled to bit masks over the compiled-label layout.
//!
//! Grammar: SPIF 2.1 `requiredCategory` (`@operation` onlyOne | oneOrMore | all,
//! `categoryGroup+`), `excludedCategory` and `categoryGroup` (type `optionalCategoryData`:
//! `@tagSetRef` (tag-set **name**), `@tagType`, `@enumType`, and `@lacv` or `@all`),
//! standards.md §3.5.

use super::model::CategoryId;

/// How many members of a `requiredCategory` group a label must carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Exactly one.
    OnlyOne,
    /// At least one.
    OneOrMore,
    /// All of them.
    All,
}

impl Operation {
    /// Parses the schema spelling.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "onlyOne" => Some(Self::OnlyOne),
            "oneOrMore" => Some(Self::OneOrMore),
            "all" => Some(Self::All),
            _ => None,
        }
    }

    /// The schema spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnlyOne => "onlyOne",
            Self::OneOrMore => "oneOrMore",
            Self::All => "all",
        }
    }

    /// Whether `present` members out of `members` satisfy the operation.
    pub fn holds(self, present: u32, members: u32) -> bool {
        match self {
            Self::OnlyOne => present == 1,
            Self::OneOrMore => present >= 1,
            Self::All => present == members,
        }
    }
}

/// A set of categories as bits in the compiled-label layout of its policy.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CategoryMask {
    pub(crate) words: Box<[u64]>,
}

impl CategoryMask {
    pub(crate) fn empty(words: usize) -> Self {
        Self {
            words: vec![0; words].into_boxed_slice(),
        }
    }

    pub(crate) fn set(&mut self, word: usize, bit: u32) {
        if let Some(w) = self.words.get_mut(word) {
            *w |= 1u64.checked_shl(bit).unwrap_or(0);
        }
    }

    /// The bit words.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Number of members.
    pub fn len(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    /// Whether the mask has no member.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// Number of members also set in `label_words`.
    pub fn count_in(&self, label_words: &[u64]) -> u32 {
        self.words
            .iter()
            .zip(label_words)
            .map(|(m, l)| (m & l).count_ones())
            .sum()
    }

    /// Whether any member is set in `label_words`.
    pub fn intersects(&self, label_words: &[u64]) -> bool {
        self.words.iter().zip(label_words).any(|(m, l)| m & l != 0)
    }
}

/// A compiled `requiredCategory`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequiredCategory {
    /// How many members are required.
    pub operation: Operation,
    /// The members (the union of the `categoryGroup`s).
    pub members: CategoryMask,
    /// The members as ids, in policy order (for explanations).
    pub member_ids: Box<[CategoryId]>,
}

impl RequiredCategory {
    /// Whether a label with these category words satisfies the rule.
    pub fn holds(&self, label_words: &[u64]) -> bool {
        self.operation
            .holds(self.members.count_in(label_words), self.members.len())
    }
}
