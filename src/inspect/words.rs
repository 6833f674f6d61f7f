//! Forbidden words and phrases: a matcher compiled once from a list of phrases and run over
//! text in chunks of any size, reporting every occurrence with its phrase and its byte offsets
//! in the original input — robust to the usual ways of disguising a word (case, full-width and
//! other compatibility forms, ligatures, look-alike letters of other scripts, invisible
//! characters, accents and stacked combining marks, extra whitespace, and, for phrases that ask
//! for it, separators between the letters).
//!
//! The matcher is generic: each phrase carries its index in the list it was compiled from, which
//! the caller maps to a meaning (a forbidden term, or the classification a marking such as
//! `NATO SECRET` or `(NS)` stands for).
//!
//! # Semantics
//!
//! **Normalisation** ([`normalize`]), the same for phrases and texts. Bytes are decoded as
//! UTF-8; each invalid sequence (a maximal subpart, as `String::from_utf8_lossy` counts them)
//! is one U+FFFD. Then each character is *folded*, on its own:
//! 1. a character of the confusables table (`confusables.rs`: Greek, Cyrillic, Armenian and
//!    other letters that look like a Latin letter, e.g. Cyrillic `а`, `ѕ`, `і`, Greek `ο`, `ν`)
//!    becomes that Latin letter, in lower case; otherwise
//! 2. its compatibility decomposition (NFKD: full-width forms, ligatures, super- and subscripts,
//!    circled and mathematical letters, accented letters into base letter and accent) is taken;
//!    default-ignorable code points (zero-width space and joiners, soft hyphen, BOM, variation
//!    selectors, tag characters: Unicode's `Default_Ignorable_Code_Point`) and combining marks
//!    (General Category `M`) are removed; each remaining character becomes its confusable
//!    letter, or else its lower case (`char::to_lowercase`, plus `ß`/`ẞ` → `ss`, final `ς` →
//!    `σ`, `ſ` → `s`), and the lower case in turn its confusable letter.
//!
//! Finally each run of whitespace (Unicode `White_Space`) becomes one space; [`normalize`] also
//! removes a space at either end (which changes no match). Because the fold needs no context,
//! text cut anywhere normalises to the same characters.
//!
//! This is NFKD, not NFKC, on purpose: NFKC would compose `s` + U+0301 into `ś`, so a combining
//! accent after a letter would defeat the match; decomposing and dropping every mark folds
//! accented letters to their base letter instead (`TRÈS SECRET` reads `tres secret`, as does
//! `TRES SECRET`). Every character that canonical reordering moves is a mark (tested), so the
//! per-character fold equals a whole-text NFKD followed by the same steps.
//!
//! A **word character** is one that is `char::is_alphanumeric` (after normalisation). A
//! **word** is a maximal run of word characters in the normalised text.
//!
//! **Plain phrase** `P` (normalised): it matches the normalised text at `[s, e)` when the text
//! there equals `P`, and, like regex `\b`, if `P` begins with a word character the character
//! before `s` is not one (or `s` is the start of the segment), and if `P` ends with a word
//! character the character at `e` is not one (or `e` is the end of the segment). So `secret`
//! does not match inside `secretary`, and `(ns)` needs no boundary at all.
//!
//! **Spaced phrase** ([`Phrase::spaced`]): only its word characters count, `Q`; it matches a
//! run of consecutive words whose concatenation is `Q` — that is, `Q` in the text with every
//! other character removed, starting at the start of a word and ending at the end of one. So
//! `s.e.c.r.e.t`, `S E C R E T`, `se-cret` and `secret` match the spaced phrase `secret`, and
//! `secretary` and `thesecret` do not (`s e c r e t a r y` does: `secret` followed by more
//! one-letter words).
//!
//! **Reported offsets** are byte offsets in what was fed to the scanner since it was made
//! (segments do not restart them): `start` is the first byte of the input character that
//! produced the first matched character, `end` one past the last byte of the input character
//! that produced the last. Matches are reported once each (a distinct phrase, start and end),
//! overlapping ones included (`cosmic top secret` also holds `top secret` and `secret`), in
//! order of `end`, then phrase index, then `start`.
//!
//! **Segments** ([`WordScanner::end_segment`]): the text of each segment is normalised and
//! matched on its own, as if it were the whole text; no match spans two segments, and a
//! segment's edges are word boundaries. An incomplete UTF-8 sequence at a segment's end is one
//! U+FFFD.
//!
//! The naive reference these rules are tested against, character by character on the whole
//! text, is `crate::fuzzing::words`.
//!
//! # Example
//!
//! ```
//! use crossguard::inspect::words::{Phrase, WordMatch, WordMatcher};
//! let matcher = WordMatcher::new(&[
//!     Phrase::plain("top secret"),
//!     Phrase::spaced("noforn"),
//! ])?;
//! // Full-width letters, a Cyrillic "е", two spaces, separators between letters.
//! let text = "ＴＯＰ  s\u{0435}cret, N.O.F.O.R.N — but not secretary".as_bytes();
//! let found = matcher.find_all(text);
//! assert!(!found.truncated);
//! assert_eq!(
//!     found.matches,
//!     [
//!         WordMatch { phrase: 0, start: 0, end: 18 },
//!         WordMatch { phrase: 1, start: 20, end: 31 },
//!     ]
//! );
//!
//! // The same, streamed in pieces, with the matches reported as they are known.
//! let mut scanner = matcher.scanner();
//! let mut seen = Vec::new();
//! for piece in text.chunks(5) {
//!     scanner.feed(piece, &mut |m| { seen.push(m); true });
//! }
//! scanner.finish(&mut |m| { seen.push(m); true });
//! assert_eq!(seen, found.matches);
//! # Ok::<(), crossguard::inspect::words::WordsError>(())
//! ```
//!
//! # Limits and cost
//!
//! A scanner holds the normalised text of the current round (at most some tens of KiB) and,
//! between rounds, the last [`MAX_PHRASE_BYTES`]-odd bytes of it: memory is bounded by the
//! longest phrase, never by the input. Matches are reported once the text after them is known,
//! at the latest by [`WordScanner::end_segment`] or [`WordScanner::finish`]. ASCII text is
//! lower-cased and copied in bulk and searched with the aho-corasick crate's prefiltered
//! leftmost search; spaced phrases cost a second pass over the word characters.

use core::fmt;
use std::collections::HashMap;

use aho_corasick::automaton::OverlappingState;
use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use crate::error::Fault;

#[path = "confusables.rs"]
mod confusables;

/// Most phrases in one matcher.
pub const MAX_WORD_PHRASES: usize = 4096;
/// Longest phrase, in bytes of UTF-8, both as written and once normalised.
pub const MAX_PHRASE_BYTES: usize = 256;
/// Most matches [`WordMatcher::find_all`] returns; beyond it the result says it was truncated.
pub const MAX_WORD_MATCHES: usize = 10_000;

/// Normalised bytes gathered before they are searched (and the older ones let go); also the
/// input bytes normalised at a time, between two checks of that size.
const ROUND_BYTES: usize = 16 * 1024;
/// Distinct positions where some phrase occurs (word boundaries aside) that a round looks at
/// one by one, per this many searched bytes, before one overlapping pass takes the rest.
const DENSE_CANDIDATES_PER: usize = 16;

/// A phrase to look for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phrase<'a> {
    /// The phrase as written; normalised like the text (see the module docs).
    pub text: &'a str,
    /// Also match with separators inserted between its letters (`s.e.c.r.e.t`): only its
    /// letters and digits count, see the module docs.
    pub spaced: bool,
}

impl<'a> Phrase<'a> {
    /// A phrase matched as written, on word boundaries.
    pub fn plain(text: &'a str) -> Self {
        Self {
            text,
            spaced: false,
        }
    }

    /// A phrase also matched with separators between its letters.
    pub fn spaced(text: &'a str) -> Self {
        Self { text, spaced: true }
    }
}

/// An occurrence of a phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WordMatch {
    /// Index of the phrase in the list the matcher was built from.
    pub phrase: usize,
    /// Byte offset of its first byte in the input fed (see the module docs).
    pub start: u64,
    /// Byte offset one past its last byte.
    pub end: u64,
}

/// What [`WordMatcher::find_all`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WordMatches {
    /// The matches, in reporting order, at most [`MAX_WORD_MATCHES`].
    pub matches: Vec<WordMatch>,
    /// There were more than [`MAX_WORD_MATCHES`].
    pub truncated: bool,
}

/// Why a phrase list does not compile.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WordsError {
    /// More than [`MAX_WORD_PHRASES`] phrases.
    TooManyPhrases {
        /// Phrases given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A phrase longer than [`MAX_PHRASE_BYTES`], as written or once normalised.
    PhraseTooLong {
        /// Its index.
        index: usize,
        /// Its length in bytes (as written, or normalised if that is what is too long).
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// A phrase that normalises to nothing (for a spaced phrase: to no letter or digit).
    EmptyPhrase {
        /// Its index.
        index: usize,
    },
    /// Two phrases of the same kind (plain, or spaced) that normalise to the same text (for
    /// spaced phrases: the same letters and digits).
    DuplicatePhrase {
        /// Index of the first.
        first: usize,
        /// Index of the second.
        second: usize,
    },
    /// The aho-corasick crate refused to build an automaton (not expected within the limits).
    AutomatonTooLarge,
}

impl WordsError {
    /// A stable code, one per kind.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooManyPhrases { .. } => "too-many-phrases",
            Self::PhraseTooLong { .. } => "phrase-too-long",
            Self::EmptyPhrase { .. } => "empty-phrase",
            Self::DuplicatePhrase { .. } => "duplicate-phrase",
            Self::AutomatonTooLarge => "automaton-too-large",
        }
    }

    /// Who is at fault: a limit, or the caller's phrase list.
    pub fn fault(&self) -> Fault {
        match self {
            Self::TooManyPhrases { .. } | Self::PhraseTooLong { .. } | Self::AutomatonTooLarge => {
                Fault::LimitExceeded
            }
            Self::EmptyPhrase { .. } | Self::DuplicatePhrase { .. } => Fault::Misuse,
        }
    }
}

impl fmt::Display for WordsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooManyPhrases { count, max } => {
                write!(f, "{count} phrases, more than {max}")
            }
            Self::PhraseTooLong { index, bytes, max } => {
                write!(f, "phrase {index} is {bytes} bytes long, more than {max}")
            }
            Self::EmptyPhrase { index } => write!(f, "phrase {index} normalises to nothing"),
            Self::DuplicatePhrase { first, second } => write!(
                f,
                "phrases {first} and {second} are the same once normalised"
            ),
            Self::AutomatonTooLarge => f.write_str("the phrase automaton could not be built"),
        }
    }
}

impl std::error::Error for WordsError {}

/// The normalised form of `text` (see the module docs), with no space at either end: what a
/// plain phrase is matched as.
///
/// ```
/// use crossguard::inspect::words::normalize;
/// assert_eq!(normalize(" ＮＡＴＯ\u{200B}  Ѕecret\n"), "nato secret");
/// assert_eq!(normalize("ﬁnal Straße"), "final strasse");
/// assert_eq!(normalize("Très   se\u{0301}cret"), "tres secret");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_space = true;
    for c in text.chars() {
        fold_char(c, &mut |d| {
            if d.is_whitespace() {
                if !after_space {
                    out.push(' ');
                    after_space = true;
                }
            } else {
                out.push(d);
                after_space = false;
            }
        });
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The fold of one character, before whitespace is collapsed (see the module docs): what
/// the naive reference builds the normalised text from.
pub(crate) fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    confusables::fold(c, emit);
}

/// A compiled list of phrases. Build once, scan many texts, share between threads.
#[derive(Clone)]
pub struct WordMatcher {
    /// Each phrase as written, and whether it is spaced.
    written: Vec<(Box<str>, bool)>,
    /// Plain phrases, matched on the normalised text.
    plain: Option<Automata>,
    /// Spaced phrases, matched on its word characters.
    spaced: Option<Automata>,
}

impl fmt::Debug for WordMatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WordMatcher")
            .field("phrases", &self.written.len())
            .field("plain", &self.plain.as_ref().map_or(0, |a| a.patterns.len()))
            .field(
                "spaced",
                &self.spaced.as_ref().map_or(0, |a| a.patterns.len()),
            )
            .finish_non_exhaustive()
    }
}

/// The automata for one kind of phrase.
#[derive(Clone)]
struct Automata {
    /// Leftmost-first: the next position where some pattern starts (prefiltered).
    next: AhoCorasick,
    /// Standard semantics, anchored and unanchored searches: every pattern at a position.
    every: AhoCorasick,
    /// Per pattern (in automaton order).
    patterns: Vec<Pattern>,
    /// Longest pattern, in bytes.
    longest: usize,
}

/// One pattern of an automaton.
#[derive(Clone, Copy, Debug)]
struct Pattern {
    /// Index of its phrase.
    phrase: usize,
    /// It begins with a word character.
    word_start: bool,
    /// It ends with a word character.
    word_end: bool,
}

impl Automata {
    fn build(keys: Vec<(String, usize)>) -> Result<Option<Self>, WordsError> {
        if keys.is_empty() {
            return Ok(None);
        }
        let patterns = keys
            .iter()
            .map(|(key, phrase)| Pattern {
                phrase: *phrase,
                word_start: key.chars().next().is_some_and(char::is_alphanumeric),
                word_end: key.chars().next_back().is_some_and(char::is_alphanumeric),
            })
            .collect();
        let longest = keys.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        let texts: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        let next = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&texts)
            .map_err(|_| WordsError::AutomatonTooLarge)?;
        let every = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Both)
            .build(&texts)
            .map_err(|_| WordsError::AutomatonTooLarge)?;
        // The searches the scanner runs can only fail for a configuration the automaton does
        // not support, never because of the haystack: try each kind once here, so that a
        // failure at scanning time is impossible rather than silently ignored.
        let supported = next.try_find(Input::new("")).is_ok()
            && every.try_find_overlapping_iter(Input::new("")).is_ok()
            && every
                .try_find_overlapping(
                    Input::new("").anchored(Anchored::Yes),
                    &mut OverlappingState::start(),
                )
                .is_ok();
        if !supported {
            return Err(WordsError::AutomatonTooLarge);
        }
        Ok(Some(Self {
            next,
            every,
            patterns,
            longest,
        }))
    }

    /// Calls `each(pattern, start, end)` for every occurrence of every pattern in `hay`,
    /// overlapping ones included, in no particular order.
    fn search(&self, hay: &[u8], mut each: impl FnMut(Pattern, usize, usize)) {
        let dense = (hay.len() / DENSE_CANDIDATES_PER).saturating_add(16);
        let mut candidates = 0usize;
        let mut at = 0usize;
        while at < hay.len() {
            if candidates > dense {
                // Phrases everywhere: one overlapping pass over the rest is cheaper than a
                // search per position. It reports every occurrence starting at `at` or later.
                if let Ok(all) = self
                    .every
                    .try_find_overlapping_iter(Input::new(hay).range(at..))
                {
                    for m in all {
                        if let Some(&p) = self.patterns.get(m.pattern().as_usize()) {
                            each(p, m.start(), m.end());
                        }
                    }
                }
                return;
            }
            // The leftmost occurrence of any pattern starting at `at` or later...
            let Ok(Some(next)) = self.next.try_find(Input::new(hay).range(at..)) else {
                return;
            };
            let start = next.start();
            // ...and every pattern starting there (a suffix pattern reported by the standard
            // automaton starts later, and is found from its own position).
            let here = Input::new(hay).range(start..).anchored(Anchored::Yes);
            let mut state = OverlappingState::start();
            while self
                .every
                .try_find_overlapping(here.clone(), &mut state)
                .is_ok()
            {
                let Some(m) = state.get_match() else {
                    break;
                };
                if m.start() == start {
                    if let Some(&p) = self.patterns.get(m.pattern().as_usize()) {
                        each(p, start, m.end());
                    }
                }
            }
            candidates = candidates.saturating_add(1);
            at = start.saturating_add(1);
        }
    }
}

impl WordMatcher {
    /// Compiles `phrases`; a phrase's index in the slice is the `phrase` of its matches.
    pub fn new(phrases: &[Phrase<'_>]) -> Result<Self, WordsError> {
        if phrases.len() > MAX_WORD_PHRASES {
            return Err(WordsError::TooManyPhrases {
                count: phrases.len(),
                max: MAX_WORD_PHRASES,
            });
        }
        let mut plain = Vec::new();
        let mut spaced = Vec::new();
        let mut seen: HashMap<(bool, String), usize> = HashMap::new();
        for (index, phrase) in phrases.iter().enumerate() {
            let too_long = |bytes| WordsError::PhraseTooLong {
                index,
                bytes,
                max: MAX_PHRASE_BYTES,
            };
            if phrase.text.len() > MAX_PHRASE_BYTES {
                return Err(too_long(phrase.text.len()));
            }
            let normal = normalize(phrase.text);
            if normal.len() > MAX_PHRASE_BYTES {
                return Err(too_long(normal.len()));
            }
            let key = if phrase.spaced {
                normal.chars().filter(|c| c.is_alphanumeric()).collect()
            } else {
                normal
            };
            if key.is_empty() {
                return Err(WordsError::EmptyPhrase { index });
            }
            if let Some(&first) = seen.get(&(phrase.spaced, key.clone())) {
                return Err(WordsError::DuplicatePhrase {
                    first,
                    second: index,
                });
            }
            seen.insert((phrase.spaced, key.clone()), index);
            if phrase.spaced {
                spaced.push((key, index));
            } else {
                plain.push((key, index));
            }
        }
        Ok(Self {
            written: phrases
                .iter()
                .map(|p| (Box::from(p.text), p.spaced))
                .collect(),
            plain: Automata::build(plain)?,
            spaced: Automata::build(spaced)?,
        })
    }

    /// Phrase `index` as written.
    pub fn phrase(&self, index: usize) -> Option<&str> {
        self.written.get(index).map(|(text, _)| &**text)
    }

    /// Whether phrase `index` is spaced.
    pub fn is_spaced(&self, index: usize) -> Option<bool> {
        self.written.get(index).map(|&(_, spaced)| spaced)
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.written.len()
    }

    /// Whether there are no phrases (a matcher that never matches).
    pub fn is_empty(&self) -> bool {
        self.written.is_empty()
    }

    /// A scanner for one text (one or more segments).
    pub fn scanner(&self) -> WordScanner<'_> {
        self.scanner_with_rounds(ROUND_BYTES)
    }

    /// A scanner that searches every `round` normalised bytes (at least one), normalising
    /// `round` input bytes at a time: the fuzz oracle makes rounds small so that short inputs
    /// go through the carrying from round to round.
    pub(crate) fn scanner_with_rounds(&self, round: usize) -> WordScanner<'_> {
        WordScanner {
            matcher: self,
            round: round.max(1),
            fed: 0,
            utf8: Pending::default(),
            text: Normalised::default(),
            letters: self.spaced.as_ref().map(|_| Letters::default()),
            after_space: false,
            last: None,
            reported: 0,
            unsearched: 0,
            stopped: false,
            found: Vec::new(),
        }
    }

    /// Every match in `text`, scanned as one segment, up to [`MAX_WORD_MATCHES`].
    pub fn find_all(&self, text: &[u8]) -> WordMatches {
        let mut out = WordMatches::default();
        let mut take = |m| {
            if out.matches.len() >= MAX_WORD_MATCHES {
                out.truncated = true;
                return false;
            }
            out.matches.push(m);
            true
        };
        let mut scanner = self.scanner();
        scanner.feed(text, &mut take);
        scanner.finish(&mut take);
        out
    }
}

/// Scans one text for a [`WordMatcher`]'s phrases, over chunks of any size.
///
/// Each call takes `on_match`, called with each match as soon as it is known, in the order of
/// the module docs; returning `false` stops the scanner (later calls do nothing).
#[derive(Debug)]
pub struct WordScanner<'m> {
    matcher: &'m WordMatcher,
    /// [`ROUND_BYTES`], except in the fuzz oracle.
    round: usize,
    /// Bytes fed so far: the offset of the next one.
    fed: u64,
    /// A UTF-8 sequence cut by the end of a chunk.
    utf8: Pending,
    /// The normalised text of this round, and what is kept of earlier rounds.
    text: Normalised,
    /// Its word characters, when there are spaced phrases.
    letters: Option<Letters>,
    /// The last normalised character is a space (collapse whitespace).
    after_space: bool,
    /// The last input character of this segment that produced normalised text.
    last: Option<Producer>,
    /// Every match ending at or before this offset has been reported.
    reported: u64,
    /// Normalised bytes added since the last round.
    unsearched: usize,
    /// `on_match` asked to stop.
    stopped: bool,
    /// Matches of the current round, before they are ordered.
    found: Vec<WordMatch>,
}

/// A UTF-8 sequence in progress (the same lead-byte table as the text inspector).
#[derive(Clone, Copy, Debug, Default)]
struct Pending {
    /// Continuation bytes still needed; 0 when no sequence is open.
    need: u8,
    /// Range of the next byte.
    lower: u8,
    upper: u8,
    code_point: u32,
    /// Offset of the lead byte.
    lead_at: u64,
}

/// The input character that produced the latest normalised text, and where its output
/// begins.
#[derive(Clone, Copy, Debug)]
struct Producer {
    /// Offset of its first byte.
    origin: u64,
    /// Length of the normalised text before it.
    text_at: usize,
    /// Length of the word characters before it.
    letters_at: usize,
}

/// Normalised text with the way back to input offsets.
#[derive(Clone, Debug, Default)]
struct Normalised {
    bytes: Vec<u8>,
    /// Sorted by `at`; the first is at 0 whenever `bytes` is not empty.
    spans: Vec<Span>,
}

/// Normalised bytes from `at` up to the next span come from input at `origin`: byte for byte
/// (`width == 0`), or all from one input character of `width` bytes.
#[derive(Clone, Copy, Debug)]
struct Span {
    at: usize,
    origin: u64,
    width: u64,
}

/// The word characters of the normalised text, and its words.
#[derive(Clone, Debug, Default)]
struct Letters {
    bytes: Vec<u8>,
    /// In order; `start` is `None` for a word whose beginning has been let go.
    words: Vec<Word>,
    /// The last word is still open (the last normalised character is a word character).
    in_word: bool,
}

/// A word: its word characters `[start, end)` and its input offsets.
#[derive(Clone, Copy, Debug)]
struct Word {
    start: Option<usize>,
    end: usize,
    origin_start: u64,
    origin_end: u64,
}

/// U+FFFD, for each invalid UTF-8 sequence.
const REPLACEMENT: char = '\u{FFFD}';

impl<'m> WordScanner<'m> {
    /// Reads the next chunk of the current segment.
    pub fn feed(&mut self, chunk: &[u8], on_match: &mut dyn FnMut(WordMatch) -> bool) {
        for slice in chunk.chunks(self.round) {
            if self.stopped {
                return;
            }
            self.normalise(slice);
            if self.unsearched >= self.round {
                self.round(false, on_match);
            }
        }
    }

    /// Ends the current segment: reports its remaining matches; what is fed next starts a
    /// new one.
    pub fn end_segment(&mut self, on_match: &mut dyn FnMut(WordMatch) -> bool) {
        if self.stopped {
            return;
        }
        if self.utf8.need > 0 {
            self.utf8.need = 0;
            self.push_char(REPLACEMENT, self.utf8.lead_at, self.fed);
        }
        self.round(true, on_match);
        self.text = Normalised::default();
        if let Some(letters) = &mut self.letters {
            *letters = Letters::default();
        }
        self.after_space = false;
        self.last = None;
        self.reported = self.fed;
        self.unsearched = 0;
    }

    /// Ends the text (and its last segment).
    pub fn finish(mut self, on_match: &mut dyn FnMut(WordMatch) -> bool) {
        self.end_segment(on_match);
    }

    /// Whether `on_match` asked to stop.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Bytes fed so far.
    pub fn fed(&self) -> u64 {
        self.fed
    }

    /// Normalises `bytes`, the next input.
    fn normalise(&mut self, bytes: &[u8]) {
        let base = self.fed;
        let at = |i: usize| base.saturating_add(u64::try_from(i).unwrap_or(u64::MAX));
        let mut i = 0usize;
        while let Some(&b) = bytes.get(i) {
            if self.utf8.need > 0 {
                let p = &mut self.utf8;
                if b < p.lower || b > p.upper {
                    // The maximal subpart so far is one U+FFFD; `b` starts afresh.
                    p.need = 0;
                    let lead = p.lead_at;
                    self.push_char(REPLACEMENT, lead, at(i));
                    continue;
                }
                p.code_point = (p.code_point << 6) | u32::from(b & 0x3F);
                p.need = p.need.saturating_sub(1);
                p.lower = 0x80;
                p.upper = 0xBF;
                i = i.saturating_add(1);
                if p.need == 0 {
                    let c = char::from_u32(p.code_point).unwrap_or(REPLACEMENT);
                    let lead = p.lead_at;
                    self.push_char(c, lead, at(i));
                }
                continue;
            }
            if b.is_ascii() {
                let rest = bytes.get(i..).unwrap_or_default();
                let run = verbatim_run(rest, self.after_space);
                if run > 0 {
                    self.push_verbatim(rest.get(..run).unwrap_or_default(), at(i));
                    i = i.saturating_add(run);
                    continue;
                }
                if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
                    if !self.after_space {
                        self.push_verbatim(b" ", at(i));
                    }
                } else {
                    self.push_verbatim(&[b], at(i));
                }
                i = i.saturating_add(1);
                continue;
            }
            match crate::swar::utf8_lead(b) {
                Some((need, lower, upper, bits)) => {
                    self.utf8 = Pending {
                        need,
                        lower,
                        upper,
                        code_point: u32::from(bits),
                        lead_at: at(i),
                    };
                }
                None => self.push_char(REPLACEMENT, at(i), at(i.saturating_add(1))),
            }
            i = i.saturating_add(1);
        }
        self.fed = at(bytes.len());
    }

    /// Appends ASCII that normalises byte for byte (to its lower case) and is not whitespace
    /// other than single spaces after non-space.
    fn push_verbatim(&mut self, source: &[u8], origin: u64) {
        let Some(&last) = source.last() else {
            return;
        };
        let text = &mut self.text;
        let text_at = text.bytes.len();
        text.identity(text_at, origin);
        text.bytes
            .extend(source.iter().map(u8::to_ascii_lowercase));
        let count = u64::try_from(source.len()).unwrap_or(u64::MAX);
        let letters_at = match &mut self.letters {
            Some(letters) => {
                letters.push_ascii(text.bytes.get(text_at..).unwrap_or_default(), origin)
            }
            None => 0,
        };
        self.last = Some(Producer {
            origin: origin.saturating_add(count.saturating_sub(1)),
            text_at: text.bytes.len().saturating_sub(1),
            letters_at,
        });
        self.after_space = last == b' ';
        self.unsearched = self.unsearched.saturating_add(source.len());
    }

    /// Appends the fold of the input character `c` at `[start, end)` (or of an invalid
    /// sequence, as U+FFFD).
    fn push_char(&mut self, c: char, start: u64, end: u64) {
        let Self {
            text,
            letters,
            after_space,
            ..
        } = self;
        let text_at = text.bytes.len();
        let letters_at = letters.as_ref().map_or(0, |l| l.bytes.len());
        let mut count = 0usize;
        let mut only = c;
        fold_char(c, &mut |d| {
            let d = if d.is_whitespace() {
                if *after_space {
                    return;
                }
                ' '
            } else {
                d
            };
            *after_space = d == ' ';
            let mut utf8 = [0u8; 4];
            text.bytes
                .extend_from_slice(d.encode_utf8(&mut utf8).as_bytes());
            if let Some(letters) = letters.as_mut() {
                letters.push_char(d, start, end);
            }
            count = count.saturating_add(1);
            only = d;
        });
        if count == 0 {
            return;
        }
        let width = end.saturating_sub(start);
        if count == 1 && u64::try_from(only.len_utf8()).ok() == Some(width) {
            // One character of the same length: byte for byte is exact.
            text.identity(text_at, start);
        } else {
            text.spans.push(Span {
                at: text_at,
                origin: start,
                width,
            });
        }
        self.unsearched = self
            .unsearched
            .saturating_add(text.bytes.len().saturating_sub(text_at));
        self.last = Some(Producer {
            origin: start,
            text_at,
            letters_at,
        });
    }

    /// Searches what has been normalised, reports the matches that are complete and ordered,
    /// and lets go of what no later match can need. At a segment's end, everything is
    /// complete.
    fn round(&mut self, segment_end: bool, on_match: &mut dyn FnMut(WordMatch) -> bool) {
        self.unsearched = 0;
        // Matches ending before the last producing character cannot change: the character
        // after them is known. Those ending in it wait for the next round, so that matches
        // with equal ends are reported together, in order.
        let threshold = match (segment_end, self.last) {
            (true, _) => u64::MAX,
            (false, Some(last)) => last.origin,
            (false, None) => return,
        };
        if threshold > self.reported {
            self.collect(threshold, segment_end);
            self.found.sort_unstable_by_key(|m| (m.end, m.phrase, m.start));
            self.found.dedup();
            for &m in &self.found {
                if !on_match(m) {
                    self.stopped = true;
                    break;
                }
            }
            self.found.clear();
            self.reported = threshold;
        }
        if !segment_end {
            self.let_go();
        }
    }

    /// Gathers into `found` the matches ending in `(reported, threshold]`.
    fn collect(&mut self, threshold: u64, segment_end: bool) {
        let Self {
            matcher,
            text,
            letters,
            reported,
            found,
            ..
        } = self;
        let wanted = |end: u64| end > *reported && end <= threshold;
        if let Some(automata) = &matcher.plain {
            automata.search(&text.bytes, |p, s, e| {
                let start = text.origin(s).0;
                let end = text.origin(e.saturating_sub(1)).1;
                if wanted(end)
                    && (!p.word_start || text.boundary_before(s))
                    && (!p.word_end || text.boundary_at(e, segment_end))
                {
                    found.push(WordMatch {
                        phrase: p.phrase,
                        start,
                        end,
                    });
                }
            });
        }
        if let (Some(automata), Some(letters)) = (&matcher.spaced, letters.as_ref()) {
            automata.search(&letters.bytes, |p, s, e| {
                if let Some((start, end)) = letters.whole_words(s, e, segment_end) {
                    if wanted(end) {
                        found.push(WordMatch {
                            phrase: p.phrase,
                            start,
                            end,
                        });
                    }
                }
            });
        }
    }

    /// Lets go of the normalised text no later match can reach: a later match ends in or
    /// after the last producing character's output, so it starts at most the longest phrase
    /// before it; one more character is kept for the boundary before it.
    fn let_go(&mut self) {
        let Some(last) = self.last.as_mut() else {
            return;
        };
        let longest = self.matcher.plain.as_ref().map_or(0, |a| a.longest);
        let keep = char_start(
            &self.text.bytes,
            last.text_at.saturating_sub(longest.saturating_add(4)),
        );
        self.text.drop_front(keep);
        last.text_at = last.text_at.saturating_sub(keep);
        if let (Some(letters), Some(spaced)) = (&mut self.letters, &self.matcher.spaced) {
            let keep = char_start(
                &letters.bytes,
                last.letters_at.saturating_sub(spaced.longest),
            );
            letters.drop_front(keep);
            last.letters_at = last.letters_at.saturating_sub(keep);
        }
    }
}

impl Normalised {
    /// Records that bytes from `at` come byte for byte from `origin` (extending the last
    /// span when it already says so).
    fn identity(&mut self, at: usize, origin: u64) {
        if let Some(last) = self.spans.last() {
            let offset = u64::try_from(at.saturating_sub(last.at)).unwrap_or(u64::MAX);
            if last.width == 0 && last.origin.saturating_add(offset) == origin {
                return;
            }
        }
        self.spans.push(Span {
            at,
            origin,
            width: 0,
        });
    }

    /// The input range of the character holding normalised byte `at`.
    fn origin(&self, at: usize) -> (u64, u64) {
        let i = self.spans.partition_point(|s| s.at <= at).saturating_sub(1);
        let Some(span) = self.spans.get(i) else {
            return (0, 0);
        };
        if span.width == 0 {
            let offset = u64::try_from(at.saturating_sub(span.at)).unwrap_or(u64::MAX);
            let origin = span.origin.saturating_add(offset);
            (origin, origin.saturating_add(1))
        } else {
            (span.origin, span.origin.saturating_add(span.width))
        }
    }

    /// The character before byte `at` (a character start) is not a word character.
    fn boundary_before(&self, at: usize) -> bool {
        if at == 0 {
            // The segment's start: letting go keeps at least one character before any match
            // still to come (`WordScanner::let_go`).
            return true;
        }
        let start = char_start(&self.bytes, at.saturating_sub(1));
        !decode(self.bytes.get(start..at).unwrap_or_default()).is_some_and(char::is_alphanumeric)
    }

    /// The character at byte `at` is not a word character (or the segment ends there).
    fn boundary_at(&self, at: usize, segment_end: bool) -> bool {
        let Some(&lead) = self.bytes.get(at) else {
            return segment_end;
        };
        let len = match lead {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let end = at.saturating_add(len).min(self.bytes.len());
        !decode(self.bytes.get(at..end).unwrap_or_default()).is_some_and(char::is_alphanumeric)
    }

    /// Lets go of the first `count` bytes (a character boundary).
    fn drop_front(&mut self, count: usize) {
        if count == 0 {
            return;
        }
        self.bytes.drain(..count.min(self.bytes.len()));
        let first = self
            .spans
            .partition_point(|s| s.at <= count)
            .saturating_sub(1);
        self.spans.drain(..first);
        if let Some(span) = self.spans.first_mut() {
            if span.width == 0 {
                let offset = u64::try_from(count.saturating_sub(span.at)).unwrap_or(u64::MAX);
                span.origin = span.origin.saturating_add(offset);
            }
            span.at = count;
        }
        for span in &mut self.spans {
            span.at = span.at.saturating_sub(count);
        }
    }
}

impl Letters {
    /// Appends the word characters of normalised ASCII `bytes` from input at `origin` (byte
    /// for byte); returns the length of the word characters before the last byte.
    fn push_ascii(&mut self, bytes: &[u8], origin: u64) -> usize {
        let mut before_last = self.bytes.len();
        let mut i = 0usize;
        while i < bytes.len() {
            let rest = bytes.get(i..).unwrap_or_default();
            let gap = rest.iter().take_while(|b| !b.is_ascii_alphanumeric()).count();
            if gap > 0 {
                self.in_word = false;
                i = i.saturating_add(gap);
                before_last = self.bytes.len();
                continue;
            }
            let run = rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            let at = |k: usize| origin.saturating_add(u64::try_from(k).unwrap_or(u64::MAX));
            if !self.in_word {
                self.words.push(Word {
                    start: Some(self.bytes.len()),
                    end: self.bytes.len(),
                    origin_start: at(i),
                    origin_end: at(i),
                });
                self.in_word = true;
            }
            before_last = self.bytes.len().saturating_add(run.saturating_sub(1));
            self.bytes.extend_from_slice(rest.get(..run).unwrap_or_default());
            i = i.saturating_add(run);
            if let Some(word) = self.words.last_mut() {
                word.end = self.bytes.len();
                word.origin_end = at(i);
            }
        }
        before_last
    }

    /// Appends normalised character `d`, produced by the input character at `[start, end)`.
    fn push_char(&mut self, d: char, start: u64, end: u64) {
        if !d.is_alphanumeric() {
            self.in_word = false;
            return;
        }
        if !self.in_word {
            self.words.push(Word {
                start: Some(self.bytes.len()),
                end: self.bytes.len(),
                origin_start: start,
                origin_end: end,
            });
            self.in_word = true;
        }
        let mut utf8 = [0u8; 4];
        self.bytes
            .extend_from_slice(d.encode_utf8(&mut utf8).as_bytes());
        if let Some(word) = self.words.last_mut() {
            word.end = self.bytes.len();
            word.origin_end = end;
        }
    }

    /// The input range of word characters `[s, e)` if they are whole words, the last one
    /// known to have ended.
    fn whole_words(&self, s: usize, e: usize, segment_end: bool) -> Option<(u64, u64)> {
        let first = self.words.get(self.words.partition_point(|w| w.end <= s))?;
        let i = self.words.partition_point(|w| w.end < e);
        let last = self.words.get(i)?;
        let open = self.in_word && i.saturating_add(1) == self.words.len();
        if first.start != Some(s) || last.end != e || (open && !segment_end) {
            return None;
        }
        Some((first.origin_start, last.origin_end))
    }

    /// Lets go of the first `count` bytes (a character boundary), and of the words ending
    /// there; a word cut in two keeps its end but no start.
    fn drop_front(&mut self, count: usize) {
        if count == 0 {
            return;
        }
        self.bytes.drain(..count.min(self.bytes.len()));
        let gone = self.words.partition_point(|w| w.end <= count);
        self.words.drain(..gone);
        for word in &mut self.words {
            word.start = word
                .start
                .and_then(|s| s.checked_sub(count));
            word.end = word.end.saturating_sub(count);
        }
    }
}

/// The start of the character holding byte `at` of UTF-8 `bytes` (`at` itself past the end).
fn char_start(bytes: &[u8], mut at: usize) -> usize {
    while at > 0 && bytes.get(at).is_some_and(|&b| (0x80..0xC0).contains(&b)) {
        at = at.saturating_sub(1);
    }
    at
}

/// The one character of `bytes`, if they are one.
fn decode(bytes: &[u8]) -> Option<char> {
    let s = core::str::from_utf8(bytes).ok()?;
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// Leading bytes of `bytes` that normalise byte for byte: ASCII from 0x20 up, except a space
/// after a space (or first, after a normalised space: `after_space`). Tabs, line breaks and
/// other controls end the run.
#[inline]
fn verbatim_run(bytes: &[u8], after_space: bool) -> usize {
    use crate::swar::{below_space, lanes_equal, HIGHS};
    let mut n = 0usize;
    // High bit of the lane before the first of the next word, when it is a space.
    let mut space_before: u64 = if after_space { 0x80 } else { 0 };
    let mut words = bytes.chunks_exact(8);
    for word in words.by_ref() {
        let w = <[u8; 8]>::try_from(word).map_or(u64::MAX, u64::from_le_bytes);
        let spaces = lanes_equal(w, b' ');
        let stop = (w & HIGHS) | below_space(w) | (spaces & ((spaces << 8) | space_before));
        if stop != 0 {
            let lane = usize::try_from(stop.trailing_zeros() / 8).unwrap_or(0);
            return n.saturating_add(lane);
        }
        space_before = spaces >> 56;
        n = n.saturating_add(8);
    }
    let mut after = space_before != 0;
    for &b in words.remainder() {
        if !(0x20..0x80).contains(&b) || (b == b' ' && after) {
            break;
        }
        after = b == b' ';
        n = n.saturating_add(1);
    }
    n
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_runs() {
        assert_eq!(verbatim_run(b"top secret", false), 10);
        assert_eq!(verbatim_run(b"top  secret", false), 4);
        assert_eq!(verbatim_run(b" top", true), 0);
        assert_eq!(verbatim_run(b" top", false), 4);
        assert_eq!(verbatim_run(b"abcdefg  xyz", false), 8);
        assert_eq!(verbatim_run(b"abcdefg\nxyz", false), 7);
        assert_eq!(verbatim_run(b"abcdefgh ijklmno pq", false), 19);
        assert_eq!(verbatim_run(b"abcdefg  ", false), 8);
        assert_eq!(verbatim_run(b"abcdefg \xC3\xA9", false), 8);
        assert_eq!(verbatim_run(b"abc\x7Fd", false), 5);
        for len in 0..24 {
            for at in 0..len {
                let mut v = vec![b'a'; len];
                v[at] = b' ';
                if at + 1 < len {
                    v[at + 1] = b' ';
                    assert_eq!(verbatim_run(&v, false), at + 1, "{len} {at}");
                }
            }
        }
    }

    #[test]
    fn limits_have_their_own_errors() {
        let long = "a".repeat(MAX_PHRASE_BYTES + 1);
        let cases: Vec<(Vec<Phrase<'_>>, &str)> = vec![
            (vec![Phrase::plain(&long)], "phrase-too-long"),
            (vec![Phrase::plain(" \u{200B} ")], "empty-phrase"),
            (vec![Phrase::spaced("(-)")], "empty-phrase"),
            (
                vec![Phrase::plain("Secret"), Phrase::plain("ＳＥＣＲＥＴ")],
                "duplicate-phrase",
            ),
            (
                vec![Phrase::spaced("top secret"), Phrase::spaced("top-secret")],
                "duplicate-phrase",
            ),
        ];
        for (phrases, code) in cases {
            assert_eq!(WordMatcher::new(&phrases).unwrap_err().code(), code);
        }
        let many = vec![Phrase::plain("x"); MAX_WORD_PHRASES + 1];
        assert_eq!(
            WordMatcher::new(&many).unwrap_err(),
            WordsError::TooManyPhrases {
                count: MAX_WORD_PHRASES + 1,
                max: MAX_WORD_PHRASES
            }
        );
        assert_eq!(
            WordMatcher::new(&[Phrase::plain("a"), Phrase::plain("b"), Phrase::plain("A")])
                .unwrap_err(),
            WordsError::DuplicatePhrase {
                first: 0,
                second: 2
            }
        );
        // A plain and a spaced phrase with the same text are different phrases.
        assert!(WordMatcher::new(&[Phrase::plain("secret"), Phrase::spaced("secret")]).is_ok());
    }
}
