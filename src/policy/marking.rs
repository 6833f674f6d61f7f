//! Marking data of a SPIF: the phrases and qualifiers a display marking is built from.
//!
//! Grammar: Open XML SPIF 2.1 `markingData` (`@phrase`, `@xml:lang`, `code+`) and
//! `markingQualifier` (`@markingCode`, `qualifier+` with `@markingQualifier`,
//! `@qualifierCode`, `@xml:lang`), standards.md §3.6. All sixteen marking codes of the 2.1
//! enumeration are accepted (published tools know nine).

use core::fmt;

/// Where or how a marking is shown (the 2.1 `markingCode` enumeration).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum MarkingCode {
    /// Top of each page.
    PageTop,
    /// Bottom of each page.
    PageBottom,
    /// Top and bottom of each page.
    PageTopBottom,
    /// Start of the document.
    DocumentStart,
    /// End of the document.
    DocumentEnd,
    /// Show the phrase instead of the value's name.
    NoNameDisplay,
    /// Show the value only at input time, never in a marking.
    NoMarkingDisplay,
    /// Do not show the classification.
    SuppressClassName,
    /// First line of a text.
    FirstLineOfText,
    /// Last line of a text.
    LastLineOfText,
    /// Message subject.
    Subject,
    /// Message header field.
    XHeader,
    /// Portion (paragraph) marking, e.g. `NS`.
    PortionMarking,
    /// Title of an input field.
    InputTitle,
    /// Watermark.
    WaterMark,
    /// The phrase replaces the policy word (`COSMIC`, `NATO/EAPC`).
    ReplacePolicy,
}

impl MarkingCode {
    /// Every code, in the order of the 2.1 schema enumeration.
    pub const ALL: [Self; 16] = [
        Self::PageTop,
        Self::PageBottom,
        Self::PageTopBottom,
        Self::DocumentStart,
        Self::DocumentEnd,
        Self::NoNameDisplay,
        Self::NoMarkingDisplay,
        Self::SuppressClassName,
        Self::FirstLineOfText,
        Self::LastLineOfText,
        Self::Subject,
        Self::XHeader,
        Self::PortionMarking,
        Self::InputTitle,
        Self::WaterMark,
        Self::ReplacePolicy,
    ];

    /// The schema spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PageTop => "pageTop",
            Self::PageBottom => "pageBottom",
            Self::PageTopBottom => "pageTopBottom",
            Self::DocumentStart => "documentStart",
            Self::DocumentEnd => "documentEnd",
            Self::NoNameDisplay => "noNameDisplay",
            Self::NoMarkingDisplay => "noMarkingDisplay",
            Self::SuppressClassName => "suppressClassName",
            Self::FirstLineOfText => "firstLineOfText",
            Self::LastLineOfText => "lastLineOfText",
            Self::Subject => "subject",
            Self::XHeader => "xHeader",
            Self::PortionMarking => "portionMarking",
            Self::InputTitle => "inputTitle",
            Self::WaterMark => "waterMark",
            Self::ReplacePolicy => "replacePolicy",
        }
    }

    /// Parses the schema spelling (case-sensitive, as the schema is).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    fn bit(self) -> u16 {
        let index = Self::ALL.iter().position(|c| *c == self).unwrap_or(0);
        1u16.checked_shl(u32::try_from(index).unwrap_or(0))
            .unwrap_or(0)
    }

    /// Whether marking data written for `self` applies when rendering for `requested`:
    /// the same code, or one of the page codes for the other (data for `pageTopBottom`
    /// serves `pageTop` and `pageBottom`, and data for either serves `pageTopBottom`).
    pub fn serves(self, requested: MarkingCode) -> bool {
        use MarkingCode::{PageBottom, PageTop, PageTopBottom};
        self == requested
            || matches!(
                (self, requested),
                (PageTopBottom, PageTop | PageBottom) | (PageTop | PageBottom, PageTopBottom)
            )
    }
}

impl fmt::Display for MarkingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of marking codes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MarkingCodes(u16);

impl MarkingCodes {
    /// Adds a code.
    pub fn insert(&mut self, code: MarkingCode) {
        self.0 |= code.bit();
    }

    /// Whether the set holds `code`.
    pub fn contains(self, code: MarkingCode) -> bool {
        self.0 & code.bit() != 0
    }

    /// Whether data with these codes serves a rendering for `requested` (see
    /// [`MarkingCode::serves`]).
    pub fn serves(self, requested: MarkingCode) -> bool {
        self.iter().any(|c| c.serves(requested))
    }

    /// The codes in schema order.
    pub fn iter(self) -> impl Iterator<Item = MarkingCode> {
        MarkingCode::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }
}

/// One `markingData` element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkingData {
    /// The phrase; absent means "the element's own name".
    pub phrase: Option<Box<str>>,
    /// `xml:lang`, absent for the default language.
    pub language: Option<Box<str>>,
    /// The codes this data is for.
    pub codes: MarkingCodes,
}

/// What a qualifier adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QualifierKind {
    /// Written before the values.
    Prefix,
    /// Written after the values.
    Suffix,
    /// Written between values.
    Separator,
}

impl QualifierKind {
    /// Parses the schema spelling.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "prefix" => Some(Self::Prefix),
            "suffix" => Some(Self::Suffix),
            "separator" => Some(Self::Separator),
            _ => None,
        }
    }
}

/// One `qualifier` of a `markingQualifier`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Qualifier {
    /// The text (`@markingQualifier`), kept exactly, spaces included.
    pub text: Box<str>,
    /// Prefix, suffix or separator.
    pub kind: QualifierKind,
    /// `xml:lang`, absent for the default language.
    pub language: Option<Box<str>>,
}

/// One `markingQualifier` element: qualifiers for one marking code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkingQualifier {
    /// The code the qualifiers apply to; absent means every code.
    pub code: Option<MarkingCode>,
    /// The qualifiers in document order.
    pub qualifiers: Vec<Qualifier>,
}

/// The marking data and qualifiers attached to one SPIF item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Markings {
    /// `markingData` elements in document order.
    pub data: Vec<MarkingData>,
    /// `markingQualifier` elements in document order.
    pub qualifiers: Vec<MarkingQualifier>,
}

/// How well a language tag matches the requested one: exact beats default.
fn language_rank(candidate: Option<&str>, requested: &str) -> Option<u8> {
    match candidate {
        Some(lang) if lang.eq_ignore_ascii_case(requested) => Some(2),
        Some(lang) if primary_subtag(lang).eq_ignore_ascii_case(primary_subtag(requested)) => {
            Some(1)
        }
        Some(_) => None,
        None => Some(0),
    }
}

fn primary_subtag(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

impl Markings {
    /// Whether any `markingData` (in any language) carries `code` — used for the flag codes
    /// (`noMarkingDisplay`, `noNameDisplay`, `suppressClassName`, `replacePolicy`).
    pub fn has_flag(&self, code: MarkingCode) -> bool {
        self.data.iter().any(|d| d.codes.contains(code))
    }

    /// The best phrase for `code` in `language`: data in that language (or its primary
    /// subtag) first, then data without a language. `None` if no data serves the code.
    pub fn phrase(&self, code: MarkingCode, language: &str) -> Option<&str> {
        self.data
            .iter()
            .filter(|d| d.codes.serves(code))
            .filter_map(|d| Some((language_rank(d.language.as_deref(), language)?, d)))
            .filter(|(_, d)| d.phrase.is_some())
            .max_by_key(|(rank, _)| *rank)
            .and_then(|(_, d)| d.phrase.as_deref())
    }

    /// The `replacePolicy` phrase, if this item replaces the policy word (any language).
    pub fn replace_policy(&self, language: &str) -> Option<&str> {
        self.phrase(MarkingCode::ReplacePolicy, language)
    }

    /// The qualifier of `kind` for `code` in `language` (language rules as [`Self::phrase`]).
    pub fn qualifier(
        &self,
        code: MarkingCode,
        kind: QualifierKind,
        language: &str,
    ) -> Option<&str> {
        self.qualifiers
            .iter()
            .filter(|q| q.code.is_none_or(|c| c.serves(code)))
            .flat_map(|q| q.qualifiers.iter())
            .filter(|q| q.kind == kind)
            .filter_map(|q| Some((language_rank(q.language.as_deref(), language)?, q)))
            .max_by_key(|(rank, _)| *rank)
            .map(|(_, q)| &*q.text)
    }

    /// Whether there is nothing here.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty() && self.qualifiers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_sixteen_codes_round_trip_their_names() {
        for code in MarkingCode::ALL {
            assert_eq!(MarkingCode::from_name(code.as_str()), Some(code));
        }
        let mut set = MarkingCodes::default();
        MarkingCode::ALL.iter().for_each(|c| set.insert(*c));
        assert_eq!(set.iter().count(), 16);
        assert_eq!(MarkingCode::from_name("PageTop"), None);
    }

    #[test]
    fn page_codes_serve_each_other_and_language_prefers_exact() {
        let mut codes = MarkingCodes::default();
        codes.insert(MarkingCode::PageTopBottom);
        let markings = Markings {
            data: vec![
                MarkingData {
                    phrase: Some("SANS".into()),
                    language: Some("fr".into()),
                    codes,
                },
                MarkingData {
                    phrase: Some("DEFAULT".into()),
                    language: None,
                    codes,
                },
            ],
            qualifiers: vec![],
        };
        assert_eq!(markings.phrase(MarkingCode::PageTop, "fr-CA"), Some("SANS"));
        assert_eq!(
            markings.phrase(MarkingCode::PageBottom, "en"),
            Some("DEFAULT")
        );
        assert_eq!(markings.phrase(MarkingCode::PortionMarking, "en"), None);
    }
}
