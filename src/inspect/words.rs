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
//! Finally each run of whitespace (Unicode `White_Space`) becomes one space. [`normalize`] also
//! removes a space at either end: a phrase is matched without them, and for a text it changes
//! no match. Because the fold needs no context, text cut anywhere normalises to the same
//! characters.
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
//! does not match inside `secretary`, and `(ns)` needs no boundary at all. For these
//! boundaries, the characters of scripts written without spaces between words (Han, Kana,
//! Bopomofo, Yi, Thai, Lao, Tibetan, Myanmar, Khmer, the Tai scripts) are not word characters:
//! any of them may begin or end a word, so `机密` matches inside `这是机密文件`, and
//! `nato secret` inside `机密NATO SECRET文件`; and Hangul is in one word with Hangul only
//! (`nato secret` matches inside `NATO SECRET입니다`).
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
//! A scanner searches in rounds, every 16 KiB of input (sooner if it normalises to more), and
//! keeps of a round only what a later match can reach: the last [`MAX_PHRASE_BYTES`]-odd
//! bytes. Memory is bounded by the longest phrase and the round, never by the input. A match
//! is reported at the first round after the next character that produces normalised text —
//! usually within 16 KiB of input after it, at the latest by [`WordScanner::end_segment`] or
//! [`WordScanner::finish`] (input that normalises to nothing, like a run of zero-width spaces,
//! delays it further: whether the match ends on a word boundary is not known before).
//!
//! ASCII is mapped to its normalised form in bulk (lower case, whitespace as spaces; doubled
//! spaces found with `memchr::memmem` and removed). The normalised text is searched for one
//! piece of each phrase (up to eight bytes, where its bytes are least common in text: `fficial` of
//! `for official use only`, not `for `) with the aho-corasick crate's packed SIMD searcher, 64
//! pieces per pass, and each place a piece occurs is compared with the phrases it stands for; with
//! a phrase shorter than three bytes, or more than 512 phrases of a kind (eight passes), the
//! automaton's own prefilter on the phrases' first bytes is used instead, every phrase at each hit
//! enumerated with an anchored search (one overlapping pass instead, when hits are dense). Two-byte
//! characters (Latin-1 and Latin Extended, Greek, Cyrillic, Armenian, Hebrew, Arabic, combining
//! marks) whose fold is at most one short character, and the short ASCII runs between them (a block
//! ends at two 8-byte-aligned words of ASCII: every run of fewer than 16 bytes stays, none of 23 or
//! more within a block), are read 64 bytes at a time: each character at a bit of a mask of where
//! characters start, looked up by its first two bytes in one table of 65 536 pairs computed once
//! from the fold (its validity, its fold and its code before and after whitespace in one load), in
//! a loop whose only branch on a character is the rare stop before one the general path reads, and
//! which records the way back to input offsets as one code byte per character. Other characters are
//! folded one by one, through a small per-scanner cache. Spaced phrases are an automaton over their
//! letters (`spelled.rs`), fed the word characters only from a word whose first letters begin one
//! and for as long as a match could still begin at a word start read; the word starts of ASCII text
//! are found and tested 64 bytes at a time.
//!
//! A text read for several lists of phrases (forbidden words and classification markings) is
//! normalised and searched once by a matcher [combined](WordMatcher::combined) from them.

use core::fmt;
use std::collections::HashMap;

use aho_corasick::automaton::OverlappingState;
use aho_corasick::packed;
use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, Span as Range, StartKind};

use crate::error::Fault;

#[path = "confusables.rs"]
mod confusables;
#[path = "spelled.rs"]
mod spelled;

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
/// Longest piece of a pattern the packed prefilter looks for ([`Fingerprints`]); with a
/// pattern shorter than [`MIN_FINGERPRINT_BYTES`] the automaton's own prefilter is used
/// instead.
const FINGERPRINT_BYTES: usize = 8;
/// See [`FINGERPRINT_BYTES`].
const MIN_FINGERPRINT_BYTES: usize = 3;
/// Most patterns looked for by their pieces, [`PIECES_PER_SEARCHER`] per pass over the text
/// (measured: 448 phrases in seven passes took 10 ms on 4 MiB of English, the automaton's
/// prefilter 26 ms); an automaton of more uses its own prefilter.
const MAX_FINGERPRINTS: usize = 8 * PIECES_PER_SEARCHER;
/// Pieces one packed searcher takes.
const PIECES_PER_SEARCHER: usize = 64;
/// ASCII runs at least this long are normalised in bulk ([`WordScanner::push_ascii`]); shorter
/// ones, between non-ASCII characters, byte by byte.
const LONG_ASCII_RUN: usize = 8;
/// Bytes [`WordScanner::normalise_simple`] reads at a time (one bit each in a mask).
const SIMPLE_BLOCK: usize = 64;
/// A block of [`WordScanner::normalise_simple`] and the bytes after it that a character
/// begun in it may end in.
const SIMPLE_WINDOW: usize = SIMPLE_BLOCK.saturating_add(8);
/// Room for the normalised bytes of a block (at most two per character, the last written
/// whole): 256 and one, so that any offset of eight bits is in it with the byte after.
const SIMPLE_OUT: usize = 0x101;
/// Room for the codes of a block (one per character): 256, so that any offset of eight bits
/// is in it.
const SIMPLE_CODES: usize = 0x100;

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
    spaced: Option<spelled::Spelled>,
    /// Two spaces: where normalised ASCII collapses.
    double_space: memchr::memmem::Finder<'static>,
}

impl fmt::Debug for WordMatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WordMatcher")
            .field("phrases", &self.written.len())
            .field(
                "plain",
                &self.plain.as_ref().map_or(0, |a| a.patterns.len()),
            )
            .field(
                "spaced",
                &self.spaced.as_ref().map_or(0, spelled::Spelled::phrases),
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
    /// Per pattern, its bytes.
    keys: Vec<Box<[u8]>>,
    /// Longest pattern, in bytes.
    longest: usize,
    /// The prefilter on a rare piece of each pattern, when there is one.
    fingerprints: Option<Fingerprints>,
}

/// A prefilter that looks for one piece of each pattern ([`FINGERPRINT_BYTES`] long, or the
/// whole of a shorter pattern), chosen where the pattern's bytes are least common in text;
/// every occurrence of a pattern holds its piece at a known offset, and each place a piece
/// occurs is checked against the patterns it stands for.
///
/// Looking for the patterns' first bytes instead (as the automaton's own prefilter does)
/// stops at every `for ` of English text when a phrase is `for official use only`; `fficial`
/// is rare. The pieces are searched leftmost-first, longest first, restarted one byte after
/// each piece found: two pieces that occur at the same place are one the prefix of the other,
/// and the longer one found stands for the patterns of its prefixes too, so every place where
/// a piece occurs is checked for every pattern whose piece occurs there.
#[derive(Clone)]
struct Fingerprints {
    /// Searchers of up to [`PIECES_PER_SEARCHER`] pieces each (the packed searcher takes no
    /// more), each with, per piece (in searcher order), its range of `checks`.
    searchers: Vec<(packed::Searcher, Vec<(usize, usize)>)>,
    /// The patterns a piece stands for: pattern index, offset of the piece in it.
    checks: Vec<(usize, usize)>,
}

impl Fingerprints {
    fn build(keys: &[Box<[u8]>]) -> Option<Self> {
        if keys.iter().map(|k| k.len()).min()? < MIN_FINGERPRINT_BYTES
            || keys.len() > MAX_FINGERPRINTS
        {
            return None;
        }
        // The searcher tells pieces apart by their first few bytes, then compares the rest:
        // each pattern's piece starts where its next FILTERED bytes are least common (by the
        // sum of their commonness), and goes on as far as it can.
        const FILTERED: usize = 4;
        let mut pieces: Vec<(&[u8], usize, usize)> = keys
            .iter()
            .enumerate()
            .filter_map(|(pattern, key)| {
                let offset = key
                    .windows(key.len().min(FILTERED))
                    .enumerate()
                    .min_by_key(|(_, head)| head.iter().map(|&b| commonness(b)).sum::<u32>())?
                    .0;
                let piece = key.get(offset..)?;
                Some((
                    piece.get(..FINGERPRINT_BYTES).unwrap_or(piece),
                    pattern,
                    offset,
                ))
            })
            .collect();
        // Longest first: of two pieces at one place, the searcher reports the longer.
        pieces.sort_unstable_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        let mut distinct = Vec::new();
        let mut lists = Vec::new();
        let mut checks = Vec::with_capacity(pieces.len());
        for group in pieces.chunk_by(|a, b| a.0 == b.0) {
            let (piece, _, _) = *group.first()?;
            distinct.push(piece);
            let first = checks.len();
            // The patterns of this piece and of every piece that is a prefix of it (in the
            // same searcher or not: a piece in another searcher is also found by it, and the
            // scanner drops a match found twice).
            for &(other, pattern, offset) in &pieces {
                if piece.starts_with(other) {
                    checks.push((pattern, offset));
                }
            }
            lists.push((first, checks.len()));
        }
        // Fat Teddy (16 buckets) measured faster on English text than the default choice;
        // where it cannot be built, the default. Pieces stay longest first in each searcher.
        let build = |pieces: &[&[u8]], fat: Option<bool>| {
            packed::Config::new()
                .match_kind(packed::MatchKind::LeftmostFirst)
                .only_teddy_fat(fat)
                .builder()
                .extend(pieces)
                .build()
        };
        let searchers = distinct
            .chunks(PIECES_PER_SEARCHER)
            .zip(lists.chunks(PIECES_PER_SEARCHER))
            .map(|(pieces, lists)| {
                let searcher = build(pieces, Some(true)).or_else(|| build(pieces, None))?;
                Some((searcher, lists.to_vec()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self { searchers, checks })
    }
}

/// How common byte `b` is in text, roughly (higher is more common): the space, then English
/// letters by frequency, then the rest. Only the choice of pieces depends on it.
fn commonness(b: u8) -> u32 {
    const LETTERS: &[u8; 26] = b"etaoinshrdlcumwfgypbvkjxqz";
    match b {
        b' ' => 300,
        b'a'..=b'z' => LETTERS
            .iter()
            .position(|&l| l == b)
            .and_then(|p| u32::try_from(p).ok())
            .map_or(0, |p| 260u32.saturating_sub(p.saturating_mul(8))),
        b',' | b'.' => 120,
        0x80..=0xFF => 100,
        b'0'..=b'9' => 60,
        _ => 30,
    }
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
                word_start: key.chars().next().is_some_and(joins_words),
                word_end: key.chars().next_back().is_some_and(joins_words),
            })
            .collect();
        let longest = keys.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        let texts: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        let bytes: Vec<Box<[u8]>> = keys.iter().map(|(k, _)| Box::from(k.as_bytes())).collect();
        let fingerprints = Fingerprints::build(&bytes);
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
            keys: bytes,
            longest,
            fingerprints,
        }))
    }

    /// [`Self::search`] through the fingerprints: each searcher's pieces, one pass each.
    fn search_fingerprints(
        &self,
        prints: &Fingerprints,
        hay: &[u8],
        each: &mut impl FnMut(Pattern, usize, usize),
    ) {
        let dense = (hay.len() / DENSE_CANDIDATES_PER).saturating_add(16);
        for (searcher, lists) in &prints.searchers {
            let mut candidates = 0usize;
            let mut at = 0usize;
            while at < hay.len() {
                if candidates > dense {
                    // Pieces everywhere: one overlapping pass reports every occurrence of
                    // every pattern (those reported already are reported again; the scanner
                    // drops a match found twice).
                    if let Ok(all) = self.every.try_find_overlapping_iter(Input::new(hay)) {
                        for m in all {
                            if let Some(&p) = self.patterns.get(m.pattern().as_usize()) {
                                each(p, m.start(), m.end());
                            }
                        }
                    }
                    return;
                }
                let Some(found) = searcher.find_in(
                    hay,
                    Range {
                        start: at,
                        end: hay.len(),
                    },
                ) else {
                    break;
                };
                let piece = found.start();
                let (first, last) = lists
                    .get(found.pattern().as_usize())
                    .copied()
                    .unwrap_or_default();
                for &(index, offset) in prints.checks.get(first..last).unwrap_or_default() {
                    let (Some(key), Some(&p)) = (self.keys.get(index), self.patterns.get(index))
                    else {
                        continue;
                    };
                    let Some(start) = piece.checked_sub(offset) else {
                        continue;
                    };
                    let end = start.saturating_add(key.len());
                    if hay.get(start..end) == Some(&**key) {
                        each(p, start, end);
                    }
                }
                candidates = candidates.saturating_add(1);
                at = piece.saturating_add(1);
            }
        }
    }

    /// Calls `each(pattern, start, end)` for every occurrence of every pattern in `hay`,
    /// overlapping ones included, in no particular order.
    fn search(&self, hay: &[u8], mut each: impl FnMut(Pattern, usize, usize)) {
        if let Some(prints) = &self.fingerprints {
            return self.search_fingerprints(prints, hay, &mut each);
        }
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
        Self::compile(phrases, &[phrases.len()])
    }

    /// One matcher for the phrases of several, so that a text is normalised and searched
    /// once for all of them: the phrases of `parts[0]` first, then those of `parts[1]`, and
    /// so on (phrase `k` of `parts[j]` is phrase `k` plus the lengths of the parts before).
    /// A phrase may be in several parts (each occurrence is reported once per part); it is
    /// the same error as for [`WordMatcher::new`] if the parts hold more than
    /// [`MAX_WORD_PHRASES`] phrases between them.
    pub fn combined(parts: &[&WordMatcher]) -> Result<Self, WordsError> {
        let phrases: Vec<Phrase<'_>> = parts
            .iter()
            .flat_map(|m| {
                m.written.iter().map(|(text, spaced)| Phrase {
                    text,
                    spaced: *spaced,
                })
            })
            .collect();
        let sizes: Vec<usize> = parts.iter().map(|m| m.len()).collect();
        Self::compile(&phrases, &sizes)
    }

    /// Compiles `phrases`, taken as lists of `sizes` phrases one after another, in which
    /// phrases must differ only within a list.
    fn compile(phrases: &[Phrase<'_>], sizes: &[usize]) -> Result<Self, WordsError> {
        if phrases.len() > MAX_WORD_PHRASES {
            return Err(WordsError::TooManyPhrases {
                count: phrases.len(),
                max: MAX_WORD_PHRASES,
            });
        }
        let mut plain = Vec::new();
        let mut spaced = Vec::new();
        let mut seen: HashMap<(usize, bool, String), usize> = HashMap::new();
        let mut list = 0usize;
        let mut list_end = sizes.first().copied().unwrap_or(0);
        for (index, phrase) in phrases.iter().enumerate() {
            while index >= list_end && list < sizes.len() {
                list = list.saturating_add(1);
                list_end = list_end.saturating_add(sizes.get(list).copied().unwrap_or(0));
            }
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
            if let Some(&first) = seen.get(&(list, phrase.spaced, key.clone())) {
                return Err(WordsError::DuplicatePhrase {
                    first,
                    second: index,
                });
            }
            seen.insert((list, phrase.spaced, key.clone()), index);
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
            spaced: spelled::Spelled::build(&spaced)?,
            double_space: memchr::memmem::Finder::new(b"  ").into_owned(),
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
            walk: spelled::Walk::default(),
            after_space: false,
            last: None,
            reported: 0,
            unsearched: 0,
            unsearched_input: 0,
            stopped: false,
            found: Vec::new(),
            cache: FoldCache::default(),
            staying: Staying::default(),
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
    /// The scan for spaced phrases.
    walk: spelled::Walk,
    /// The last normalised character is a space (collapse whitespace).
    after_space: bool,
    /// The last input character of this segment that produced normalised text.
    last: Option<Producer>,
    /// Every match ending at or before this offset has been reported.
    reported: u64,
    /// Normalised bytes added since the last round.
    unsearched: usize,
    /// Input bytes fed since the last round (a round every so many, even when they normalise
    /// to little: the delay before a match is reported stays bounded).
    unsearched_input: usize,
    /// `on_match` asked to stop.
    stopped: bool,
    /// Matches of the current round, before they are ordered.
    found: Vec<WordMatch>,
    /// Folds of recent non-ASCII characters.
    cache: FoldCache,
    /// Recent characters of three or four bytes that stay themselves, by their bytes.
    staying: Staying,
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
}

/// Normalised text with the way back to input offsets.
#[derive(Clone, Debug, Default)]
struct Normalised {
    bytes: Vec<u8>,
    /// Sorted by `at`; the first is at 0 whenever `bytes` is not empty.
    spans: Vec<Span>,
    /// Per character of the spans that have them ([`Span::codes`]), what it took and made:
    /// `input bytes | normalised bytes << 2` ([`decode_code`]; the bits above are not read).
    codes: Vec<u8>,
}

/// Normalised bytes from `at` up to the next span: the first `out` come from the input at
/// `[origin, origin + width)` — from one character when `codes` is empty, else from the
/// characters that `codes` describe, one after the other — and the rest byte for byte from
/// input at `origin + width` on (a span that only says the latter has `out` and `width` 0).
#[derive(Clone, Copy, Debug)]
struct Span {
    at: usize,
    origin: u64,
    width: u64,
    out: usize,
    /// Range of [`Normalised::codes`].
    codes: (usize, usize),
}

/// What a code of [`Normalised::codes`] says: input bytes, normalised bytes.
#[inline]
fn decode_code(code: u8) -> (u64, usize) {
    (u64::from(code & 3), usize::from((code >> 2) & 3))
}

/// Folds of recent characters, by a hash of the character (allocated at the first non-ASCII
/// character): text in one script repeats few characters, and the fold is most of the cost
/// of a non-ASCII character.
#[derive(Clone, Default)]
struct FoldCache(Option<Box<[Folded; FOLD_CACHE_ENTRIES]>>);

/// The UTF-8 of characters of three or four bytes seen to be valid and to stay themselves
/// ([`WordScanner::identity_run`]), each as the little-endian word of its bytes (zero above
/// them; never 0, as a lead byte is not), direct-mapped: a character seen recently is known
/// from its bytes, neither decoded nor looked up in the [`FoldCache`] again.
#[derive(Clone, Debug, Default)]
struct Staying(Option<Box<[u32; STAYING_ENTRIES]>>);

/// Entries of a [`Staying`] (a power of two).
const STAYING_ENTRIES: usize = 256;

impl Staying {
    fn slot(key: u32) -> usize {
        usize::try_from(key.wrapping_mul(0x9E37_79B1) >> 24).unwrap_or(0) % STAYING_ENTRIES
    }

    /// `key` was inserted (and not replaced since).
    #[inline]
    fn holds(&self, key: u32) -> bool {
        self.0
            .as_ref()
            .and_then(|table| table.get(Self::slot(key)))
            .is_some_and(|&held| held == key)
    }

    fn insert(&mut self, key: u32) {
        let table = self.0.get_or_insert_with(|| Box::new([0; STAYING_ENTRIES]));
        if let Some(entry) = table.get_mut(Self::slot(key)) {
            *entry = key;
        }
    }
}

/// Entries of a [`FoldCache`].
const FOLD_CACHE_ENTRIES: usize = 512;

/// A character's fold, when it is at most three characters.
#[derive(Clone, Copy, Debug)]
struct Folded {
    /// The character folded; `u32::MAX` for an empty entry.
    key: u32,
    len: u8,
    chars: [char; 3],
    /// Bit `i`: `chars[i]` is whitespace.
    white: u8,
}

impl Folded {
    /// The fold of `c` is `c` itself, and not whitespace: it is copied as it is.
    fn is_itself(&self, c: char) -> bool {
        self.len == 1 && self.white == 0 && self.chars.first() == Some(&c)
    }
}

const EMPTY_FOLD: Folded = Folded {
    key: u32::MAX,
    len: 0,
    chars: ['\0'; 3],
    white: 0,
};

impl fmt::Debug for FoldCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "FoldCache(..)"
        } else {
            "FoldCache(empty)"
        })
    }
}

impl FoldCache {
    /// The fold of `c` (see [`fold_char`]), if it is at most three characters.
    fn fold(&mut self, c: char) -> Option<Folded> {
        let key = u32::from(c);
        let slot =
            usize::try_from(key.wrapping_mul(0x9E37_79B1) >> 23).unwrap_or(0) % FOLD_CACHE_ENTRIES;
        let table = self
            .0
            .get_or_insert_with(|| Box::new([EMPTY_FOLD; FOLD_CACHE_ENTRIES]));
        let entry = table.get_mut(slot)?;
        if entry.key == key {
            return Some(*entry);
        }
        let mut folded = Folded { key, ..EMPTY_FOLD };
        let mut fits = true;
        fold_char(c, &mut |d| {
            let i = usize::from(folded.len);
            match folded.chars.get_mut(i) {
                Some(slot) => {
                    *slot = d;
                    let bit = 1u8.wrapping_shl(u32::try_from(i).unwrap_or(0));
                    if d.is_whitespace() {
                        folded.white |= bit;
                    }
                    folded.len = folded.len.saturating_add(1);
                }
                None => fits = false,
            }
        });
        if !fits {
            return None;
        }
        *entry = folded;
        Some(folded)
    }
}

/// The character of three or four bytes that ends a run of [`WordScanner::identity_run`]
/// without staying itself: decoded, its length in bytes, and its fold.
#[derive(Clone, Copy)]
struct Ending {
    c: char,
    len: usize,
    folded: Option<Folded>,
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
            self.unsearched_input = self.unsearched_input.saturating_add(slice.len());
            if self.unsearched >= self.round || self.unsearched_input >= self.round {
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
        self.walk.clear();
        self.after_space = false;
        self.last = None;
        self.reported = self.fed;
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

    /// No match reported from now on starts before this input offset: a later match is found
    /// in the text this scanner keeps (its normalised text, its word starts, a UTF-8 sequence
    /// cut by the last chunk) or in text not yet fed.
    pub fn earliest_start(&self) -> u64 {
        let mut earliest = self.fed;
        if !self.text.bytes.is_empty() {
            earliest = earliest.min(self.text.origin(0).0);
        }
        if let Some(start) = self.walk.earliest(&self.text) {
            earliest = earliest.min(start);
        }
        if self.utf8.need > 0 {
            earliest = earliest.min(self.utf8.lead_at);
        }
        earliest
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
            if b.is_ascii() || b >= 0xE0 {
                let rest = bytes.get(i..).unwrap_or_default();
                let (run, wide, next) = self.identity_run(rest);
                if let Some(Ending { c, len, folded }) = next {
                    // The run, then the character of three or four bytes that ends it.
                    if run > 0 {
                        self.push_ascii(rest.get(..run).unwrap_or_default(), at(i), wide);
                    }
                    let start = i.saturating_add(run);
                    let end = start.saturating_add(len);
                    self.push_folded(c, folded, at(start), at(end));
                    i = end;
                    continue;
                }
                // A run with characters of three or four bytes that stay themselves, a long
                // run, one that ends the input (a short piece, such as a JSON string, wholly
                // ASCII), or one before a character of three or four bytes (which the two-byte
                // path would stop at at once) goes to the bulk path.
                if wide
                    || (run > 0
                        && (run >= LONG_ASCII_RUN
                            || rest.get(run).is_none_or(|&next| next >= 0xE0)))
                {
                    self.push_ascii(rest.get(..run).unwrap_or_default(), at(i), wide);
                    i = i.saturating_add(run);
                    continue;
                }
            }
            if let Some(entry) = isolated_short_pair(bytes.get(i..).unwrap_or_default()) {
                // One two-byte character between runs of ASCII (an accented letter in
                // Latin text): folded from the table, without a block of its own.
                let start = at(i);
                i = i.saturating_add(2);
                self.push_short(entry, start);
                continue;
            }
            if b.is_ascii() || (0xC2..=0xDF).contains(&b) {
                let stop = self.normalise_simple(bytes, i, base);
                if stop != i {
                    i = stop;
                    continue;
                }
            }
            // The whole sequence in this chunk, valid: one step.
            if let Some((c, len)) = whole_char(bytes.get(i..).unwrap_or_default()) {
                let end = i.saturating_add(len);
                self.push_char(c, at(i), at(end));
                i = end;
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

    /// Normalises, from `bytes[i]` on, what needs no per-character fold: ASCII and two-byte
    /// characters whose fold is at most one character of at most two bytes (looked up in
    /// [`pair_folds`]). Returns where it stopped: at the end, at a run of two words of eight
    /// ASCII bytes (for [`Self::push_ascii`]), or at a byte it leaves to the general path (`i`
    /// itself if it took nothing).
    ///
    /// The input is read in blocks of [`SIMPLE_BLOCK`] bytes. Where the characters of a block
    /// start is one bit mask (every byte but a continuation byte), so each character is read
    /// at a position of its own, not after the one before it; a block ends before a
    /// continuation byte that no lead byte takes ([`block_bits`]), so the characters read are
    /// back to back. Text that mixes scripts or accents changes at random from one kind of
    /// character to another, so the loop branches on a character only to stop before one that the
    /// general path reads ([`simple_block`]): each character's fold is written whole (two bytes)
    /// and the output advances by its length; the way back to input offsets is one code per
    /// character (its input and output lengths, [`Normalised::codes`]) and one span per block,
    /// gathered on the stack, then appended.
    fn normalise_simple(&mut self, bytes: &[u8], mut i: usize, base: u64) -> usize {
        let Self {
            text,
            after_space,
            last,
            unsearched,
            ..
        } = self;
        let Ok(pairs) = <&[u32; PAIRS]>::try_from(pair_folds()) else {
            return i;
        };
        let at = |i: usize| base.saturating_add(u64::try_from(i).unwrap_or(u64::MAX));
        let first = text.bytes.len();
        let mut space = *after_space;
        // The last character that produced normalised text: its input index and where its
        // output begins.
        let mut producer: Option<(usize, usize)> = None;
        let mut out = [0u8; SIMPLE_OUT];
        let mut codes = [0u8; SIMPLE_CODES];
        loop {
            let rest = bytes.get(i..).unwrap_or_default();
            let len = rest.len().min(SIMPLE_BLOCK);
            if len == 0 {
                break;
            }
            // The block and the bytes after it (a character may end there): read where they
            // are, or, at the end of the input, copied with zeros after them.
            let mut padded = [0u8; SIMPLE_WINDOW];
            let window = match rest.first_chunk::<SIMPLE_WINDOW>() {
                Some(window) => window,
                None => {
                    if let Some(to) = padded.get_mut(..rest.len()) {
                        to.copy_from_slice(rest);
                    }
                    &padded
                }
            };
            let bits = block_bits(window, len);
            let end = usize::try_from(bits.stops.trailing_zeros())
                .unwrap_or(SIMPLE_BLOCK)
                .min(len);
            let run = simple_block(
                window,
                !bits.continuation & low_bits(end),
                space,
                pairs,
                &mut out,
                &mut codes,
            );
            // Where the next character begins: at the one the block stopped before, or at the
            // end, or one byte after it when a two-byte character just before it ends there.
            let next = run.stopped.unwrap_or_else(|| {
                let last_lead = end
                    .checked_sub(1)
                    .and_then(|last| window.get(last))
                    .is_some_and(|&b| b & 0xE0 == 0xC0);
                let ends_after = last_lead && window.get(end).is_some_and(|&b| b & 0xC0 == 0x80);
                end.saturating_add(usize::from(ends_after))
            });
            let n = run.n;
            let o = run.o;
            space = run.space;
            let codes = codes.get(..n).unwrap_or_default();
            let made_bytes = out.get(..o).unwrap_or_default();
            // The last character that made something, from the end.
            let mut input = i.saturating_add(next);
            let mut made_after = o;
            let block_at = text.bytes.len();
            for &code in codes.iter().rev() {
                let (taken, made) = decode_code(code);
                input = input.saturating_sub(usize::try_from(taken).unwrap_or(0));
                made_after = made_after.saturating_sub(made);
                if made != 0 {
                    producer = Some((input, block_at.saturating_add(made_after)));
                    break;
                }
            }
            if n == 0 {
                break;
            }
            let from = text.codes.len();
            text.codes.extend_from_slice(codes);
            text.bytes.extend_from_slice(made_bytes);
            text.spans.push(Span {
                at: block_at,
                origin: at(i),
                width: u64::try_from(next).unwrap_or(u64::MAX),
                out: o,
                codes: (from, from.saturating_add(n)),
            });
            i = i.saturating_add(next);
            if run.stopped.is_some() || next < len {
                break;
            }
        }
        *after_space = space;
        if let Some((i, text_at)) = producer {
            *last = Some(Producer {
                origin: at(i),
                text_at,
            });
        }
        *unsearched = unsearched.saturating_add(text.bytes.len().saturating_sub(first));
        i
    }

    /// The length of the run at the start of `bytes` that normalises byte for byte: ASCII,
    /// and whole characters of three or four bytes whose fold is themselves and not
    /// whitespace (CJK, symbols, emoji: they are copied as they are); and whether it holds any
    /// such character. Text that mixes them with ASCII every few words is then one run for
    /// the bulk path, not a switch of path at each of them. When the run ends at a whole
    /// character of three or four bytes that does not stay, that character (decoded), its
    /// length and its fold come too, so that it is neither decoded nor looked up again.
    fn identity_run(&mut self, bytes: &[u8]) -> (usize, bool, Option<Ending>) {
        let mut run = ascii_run(bytes);
        let mut wide = false;
        while let Some(&lead @ 0xE0..=0xFF) = bytes.get(run) {
            let rest = bytes.get(run..).unwrap_or_default();
            // Known from its bytes when seen recently; else decoded and folded.
            let four = lead >= 0xF0;
            let key = rest
                .first_chunk::<4>()
                .map(|w| u32::from_le_bytes(*w) & if four { u32::MAX } else { 0x00FF_FFFF });
            let len = if key.is_some_and(|key| self.staying.holds(key)) {
                if four {
                    4
                } else {
                    3
                }
            } else {
                let Some((c, len)) = whole_char(rest) else {
                    break;
                };
                let folded = self.cache.fold(c);
                if !folded.is_some_and(|f| f.is_itself(c)) {
                    return (run, wide, Some(Ending { c, len, folded }));
                }
                if let Some(key) = key {
                    self.staying.insert(key);
                }
                len
            };
            wide = true;
            run = run.saturating_add(len);
            run = run.saturating_add(ascii_run(bytes.get(run..).unwrap_or_default()));
        }
        (run, wide, None)
    }

    /// Appends a run of ASCII (with characters of three or four bytes that stay themselves
    /// when `wide`: [`Self::identity_run`]): mapped byte for byte ([`normalise_ascii`]) in
    /// bulk, then each space that follows a space (the normalised character before the run
    /// included) removed, the pieces between removals moved down.
    fn push_ascii(&mut self, source: &[u8], origin: u64, wide: bool) {
        let text = &mut self.text;
        let start = text.bytes.len();
        // Room for whole words (below).
        let end = start.saturating_add(source.len());
        text.bytes.resize(end.saturating_add(8), 0);
        let target = text.bytes.get_mut(start..).unwrap_or_default();
        let doubles = if source.len() >= LONG_RUN_BYTES {
            // A long run: byte for byte (the compiler vectorises it); double spaces are then
            // searched for.
            for (out, &b) in target.iter_mut().zip(source) {
                *out = normalise_ascii(b);
            }
            u64::MAX
        } else {
            normalise_short_run(source, target, self.after_space)
        };
        // The room past `end` stays until the pieces are placed (cut below).
        let offset = |n: usize| {
            origin.saturating_add(u64::try_from(n.saturating_sub(start)).unwrap_or(u64::MAX))
        };
        let mut read = start;
        let mut write = start;
        let mut after_space = self.after_space;
        let mut last = None;
        loop {
            if after_space {
                while read < end && text.bytes.get(read) == Some(&b' ') {
                    read = read.saturating_add(1);
                }
            }
            if read >= end {
                break;
            }
            // The piece up to the next space followed by a space, that first space included.
            let rest = text.bytes.get(read..end).unwrap_or_default();
            let double = if doubles == 0 {
                None
            } else if rest.len() < 32 {
                rest.windows(2).position(|w| w == b"  ")
            } else {
                self.matcher.double_space.find(rest)
            };
            let piece_end = double.map_or(end, |k| read.saturating_add(k).saturating_add(1));
            let piece_origin = offset(read);
            text.identity(write, piece_origin);
            if write != read {
                text.bytes.copy_within(read..piece_end, write);
            }
            let length = piece_end.saturating_sub(read);
            let written = write.saturating_add(length);
            write = written;
            read = piece_end;
            after_space = text.bytes.get(write.saturating_sub(1)) == Some(&b' ');
            // The piece's last character: its last byte, or, when characters may have several,
            // the first of them.
            let last_at = if wide {
                char_start(&text.bytes, write.saturating_sub(1))
            } else {
                write.saturating_sub(1)
            };
            let back = write.saturating_sub(last_at);
            last = Some(Producer {
                origin: offset(piece_end.saturating_sub(back)),
                text_at: last_at,
            });
        }
        text.bytes.truncate(write);
        self.after_space = after_space;
        if last.is_some() {
            self.last = last;
        }
        self.unsearched = self.unsearched.saturating_add(write.saturating_sub(start));
    }

    /// Appends the fold of the two-byte input character at `start`, from its [`pair_folds`]
    /// entry (not [`PAIR_SLOW`]).
    fn push_short(&mut self, entry: u32, start: u64) {
        // Its code after whitespace or not, which says what it makes and whether whitespace
        // is before what comes next, as in [`simple_block`].
        let [plain, after_white, fold0, fold1] = entry.to_le_bytes();
        let code = if self.after_space { after_white } else { plain };
        self.after_space = code & PAIR_SPACE_AFTER != 0;
        let fold = [fold0, fold1];
        let Some(d) = fold
            .get(..usize::from((code >> 2) & 3))
            .filter(|d| !d.is_empty())
        else {
            return;
        };
        self.push_one(d, start, start.saturating_add(2));
    }

    /// Appends `d`, the one normalised character that the input character at `[start, end)`
    /// makes: byte for byte when as long as it, else as one span.
    fn push_one(&mut self, d: &[u8], start: u64, end: u64) {
        let text = &mut self.text;
        let text_at = text.bytes.len();
        crate::swar::append_bytes(&mut text.bytes, d);
        let width = end.saturating_sub(start);
        if u64::try_from(d.len()).ok() == Some(width) {
            text.identity(text_at, start);
        } else {
            text.produced(text_at, d.len(), start, width);
        }
        self.made(start, text_at);
    }

    /// Appends the fold of the input character `c` at `[start, end)` (or of an invalid
    /// sequence, as U+FFFD).
    #[inline]
    fn push_char(&mut self, c: char, start: u64, end: u64) {
        let folded = self.cache.fold(c);
        self.push_folded(c, folded, start, end);
    }

    /// [`Self::push_char`] with the character's fold already looked up (`None`: one too long
    /// for the cache, folded again here).
    fn push_folded(&mut self, c: char, folded: Option<Folded>, start: u64, end: u64) {
        if folded.is_some_and(|f| f.is_itself(c)) {
            // The character stays itself (a CJK ideograph, a symbol, an emoji), without the
            // general loop below.
            self.after_space = false;
            let mut utf8 = [0u8; 4];
            self.push_one(c.encode_utf8(&mut utf8).as_bytes(), start, end);
            return;
        }
        let Self {
            text, after_space, ..
        } = self;
        let text_at = text.bytes.len();
        let width = end.saturating_sub(start);
        let mut count = 0usize;
        let mut only = c;
        let mut emit = |d: char, white: bool| {
            let d = if white {
                if *after_space {
                    return;
                }
                ' '
            } else {
                d
            };
            *after_space = white;
            push_utf8(&mut text.bytes, d);
            count = count.saturating_add(1);
            only = d;
        };
        match folded {
            Some(folded) => {
                for (i, &d) in folded
                    .chars
                    .iter()
                    .enumerate()
                    .take(usize::from(folded.len))
                {
                    let bit = 1u8.wrapping_shl(u32::try_from(i).unwrap_or(0));
                    emit(d, folded.white & bit != 0);
                }
            }
            None => fold_char(c, &mut |d| emit(d, d.is_whitespace())),
        }
        if count == 0 {
            return;
        }
        if count == 1 && u64::try_from(only.len_utf8()).ok() == Some(width) {
            // One character of the same length: byte for byte is exact.
            text.identity(text_at, start);
        } else {
            let out = text.bytes.len().saturating_sub(text_at);
            text.produced(text_at, out, start, width);
        }
        self.made(start, text_at);
    }

    /// Records that the input character at `start` made the normalised text from `text_at`
    /// on: it is the last character that made something, and what it made is yet to be
    /// searched.
    fn made(&mut self, start: u64, text_at: usize) {
        self.unsearched = self
            .unsearched
            .saturating_add(self.text.bytes.len().saturating_sub(text_at));
        self.last = Some(Producer {
            origin: start,
            text_at,
        });
    }

    /// Searches what has been normalised, reports the matches that are complete and ordered,
    /// and lets go of what no later match can need. At a segment's end, everything is
    /// complete.
    fn round(&mut self, segment_end: bool, on_match: &mut dyn FnMut(WordMatch) -> bool) {
        self.unsearched = 0;
        self.unsearched_input = 0;
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
            self.found
                .sort_unstable_by_key(|m| (m.end, m.phrase, m.start));
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
            walk,
            last,
            reported,
            found,
            ..
        } = self;
        let wanted = |end: u64| end > *reported && end <= threshold;
        if let Some(automata) = &matcher.plain {
            let mut hint = 0usize;
            automata.search(&text.bytes, |p, s, e| {
                // The boundaries first: they are cheaper than the offsets, and a phrase
                // inside a longer word (`secretary`) fails them.
                if (!p.word_start || text.boundary(s, segment_end))
                    && (!p.word_end || text.boundary(e, segment_end))
                {
                    let end = text.origin_near(e.saturating_sub(1), &mut hint).1;
                    if wanted(end) {
                        found.push(WordMatch {
                            phrase: p.phrase,
                            start: text.origin_near(s, &mut hint).0,
                            end,
                        });
                    }
                }
            });
        }
        if let Some(spelled) = &matcher.spaced {
            // Up to the last producing character's output (the matches that end in it wait,
            // as above), or to the end of the segment.
            let limit = match (segment_end, *last) {
                (false, Some(last)) => last.text_at,
                _ => text.bytes.len(),
            };
            walk.run(
                spelled,
                text,
                limit,
                segment_end,
                &mut |phrase, start, end| {
                    if wanted(end) {
                        found.push(WordMatch { phrase, start, end });
                    }
                },
            );
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
        // The scan for spaced phrases keeps the word starts it still needs by their input
        // offsets, and has read at least this far (a round reads up to the last producer).
        let keep = if self.matcher.spaced.is_some() {
            self.walk.let_go(&self.text, keep)
        } else {
            keep
        };
        self.text.drop_front(keep);
        last.text_at = last.text_at.saturating_sub(keep);
    }
}

impl Normalised {
    /// Records that bytes from `at` (the end of the text) come byte for byte from `origin`
    /// (nothing to record when the last span already says so).
    fn identity(&mut self, at: usize, origin: u64) {
        if let Some(last) = self.spans.last() {
            if let Some(tail) = at.checked_sub(last.at.saturating_add(last.out)) {
                let offset = u64::try_from(tail).unwrap_or(u64::MAX);
                if last
                    .origin
                    .saturating_add(last.width)
                    .saturating_add(offset)
                    == origin
                {
                    return;
                }
            }
        }
        self.spans.push(Span {
            at,
            origin,
            width: 0,
            out: 0,
            codes: (0, 0),
        });
    }

    /// Records that the `out` bytes from `at` (the end of the text) come from the one input
    /// character at `[origin, origin + width)`.
    fn produced(&mut self, at: usize, out: usize, origin: u64, width: u64) {
        self.spans.push(Span {
            at,
            origin,
            width,
            out,
            codes: (0, 0),
        });
    }

    /// The input range of the character holding normalised byte `at`.
    fn origin(&self, at: usize) -> (u64, u64) {
        self.origin_near(at, &mut 0)
    }

    /// [`Normalised::origin`], its span looked for first at `hint` and the one after it, and
    /// `hint` left at the span found: the matches of a search come in order, mostly in one
    /// span or the next, so most need no search of the spans.
    fn origin_near(&self, at: usize, hint: &mut usize) -> (u64, u64) {
        let holds = |i: usize| {
            self.spans.get(i).is_some_and(|s| s.at <= at)
                && self
                    .spans
                    .get(i.saturating_add(1))
                    .is_none_or(|s| s.at > at)
        };
        let i = if holds(*hint) {
            *hint
        } else if holds(hint.saturating_add(1)) {
            hint.saturating_add(1)
        } else {
            self.spans.partition_point(|s| s.at <= at).saturating_sub(1)
        };
        *hint = i;
        let Some(span) = self.spans.get(i) else {
            return (0, 0);
        };
        let inside = at.saturating_sub(span.at);
        match inside.checked_sub(span.out) {
            None if span.codes.0 < span.codes.1 => {
                let mut done = 0usize;
                let mut origin = span.origin;
                for &code in self
                    .codes
                    .get(span.codes.0..span.codes.1)
                    .unwrap_or_default()
                {
                    let (taken, made) = decode_code(code);
                    done = done.saturating_add(made);
                    if inside < done {
                        return (origin, origin.saturating_add(taken));
                    }
                    origin = origin.saturating_add(taken);
                }
                (origin, origin)
            }
            None => (span.origin, span.origin.saturating_add(span.width)),
            Some(tail) => {
                let offset = u64::try_from(tail).unwrap_or(u64::MAX);
                let origin = span
                    .origin
                    .saturating_add(span.width)
                    .saturating_add(offset);
                (origin, origin.saturating_add(1))
            }
        }
    }

    /// A word boundary at byte `at` (a character start): the characters before and at `at`
    /// are not in one word ([`same_word`]). The segment's start is one; its end is one when
    /// `segment_end` (else the next character is not known yet).
    fn boundary(&self, at: usize, segment_end: bool) -> bool {
        if at == 0 {
            // The segment's start: letting go keeps at least one character before any match
            // still to come (`WordScanner::let_go`).
            return true;
        }
        let (Some(&before), Some(&next)) = (self.bytes.get(at.wrapping_sub(1)), self.bytes.get(at))
        else {
            return segment_end;
        };
        // Two ASCII characters (most checks): in one word when both are letters or digits.
        if before.is_ascii() && next.is_ascii() {
            return !(before.is_ascii_alphanumeric() && next.is_ascii_alphanumeric());
        }
        let start = char_start(&self.bytes, at.wrapping_sub(1));
        let before = self.bytes.get(start..at).and_then(decode);
        let next = if next.is_ascii() {
            Some(char::from(next))
        } else {
            self.bytes.get(at..).and_then(whole_char).map(|(c, _)| c)
        };
        !before
            .zip(next)
            .is_some_and(|(before, next)| same_word(before, next))
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
            let inside = count.saturating_sub(span.at);
            match inside.checked_sub(span.out) {
                // Inside the output of characters described by codes: from the first
                // character at `count` (a character boundary) on.
                None if span.codes.0 < span.codes.1 => {
                    let mut done = 0usize;
                    let mut first = span.codes.0;
                    for &code in self
                        .codes
                        .get(span.codes.0..span.codes.1)
                        .unwrap_or_default()
                    {
                        if done >= inside {
                            break;
                        }
                        let (taken, made) = decode_code(code);
                        done = done.saturating_add(made);
                        span.origin = span.origin.saturating_add(taken);
                        span.width = span.width.saturating_sub(taken);
                        first = first.saturating_add(1);
                    }
                    span.out = span.out.saturating_sub(done);
                    span.codes.0 = first;
                }
                // Inside the output of one character: the rest of it still comes from there.
                None => span.out = span.out.saturating_sub(inside),
                Some(tail) => {
                    let offset = u64::try_from(tail).unwrap_or(u64::MAX);
                    span.origin = span
                        .origin
                        .saturating_add(span.width)
                        .saturating_add(offset);
                    span.width = 0;
                    span.out = 0;
                    span.codes = (0, 0);
                }
            }
            span.at = count;
        }
        // The codes before the first span's are no longer needed.
        let gone = self
            .spans
            .iter()
            .find(|s| s.codes.0 < s.codes.1)
            .map_or(self.codes.len(), |s| s.codes.0);
        self.codes.drain(..gone.min(self.codes.len()));
        for span in &mut self.spans {
            if span.codes.0 < span.codes.1 {
                span.codes = (
                    span.codes.0.saturating_sub(gone),
                    span.codes.1.saturating_sub(gone),
                );
            }
        }
        for span in &mut self.spans {
            span.at = span.at.saturating_sub(count);
        }
    }
}

/// Whether `c` joins the word characters next to it into one word, for the boundaries of a
/// plain phrase: a word character (`char::is_alphanumeric`) not of a script written without
/// spaces between words — Han, Hiragana, Katakana, Bopomofo, Yi, Thai, Lao, Tibetan, Myanmar,
/// Khmer, Tai Le, New Tai Lue, Tai Tham, Tai Viet — where
/// any character may begin or end a word, so `机密` is found inside `这是机密文件` and
/// `NATO SECRET` inside `机密NATO SECRET文件`.
pub(crate) fn joins_words(c: char) -> bool {
    c.is_alphanumeric() && !written_without_spaces(c)
}

/// Whether neighbouring characters `a` then `b` are in one word, for the boundaries of a plain
/// phrase: both join words ([`joins_words`]), and not one of them Hangul and the other not —
/// Korean writes its particles against the word before them, a Latin one included, so
/// `NATO SECRET입니다` holds `nato secret`.
pub(crate) fn same_word(a: char, b: char) -> bool {
    joins_words(a) && joins_words(b) && is_hangul(a) == is_hangul(b)
}

/// Hangul syllables and jamo.
fn is_hangul(c: char) -> bool {
    matches!(
        u32::from(c),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF
    )
}

/// Characters of the scripts written without spaces between words (their blocks).
fn written_without_spaces(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0E00..=0x0FFF // Thai, Lao, Tibetan
            | 0x1000..=0x109F // Myanmar
            | 0x1780..=0x17FF // Khmer
            | 0x1950..=0x19DF // Tai Le, New Tai Lue
            | 0x1A20..=0x1AAF // Tai Tham
            | 0x2E80..=0x2FDF // CJK and Kangxi radicals
            | 0x3005..=0x3007 // ideographic iteration mark, closing mark, number zero
            | 0x3021..=0x3029 // Hangzhou numerals
            | 0x3038..=0x303C
            | 0x3040..=0x30FF // Hiragana, Katakana
            | 0x3100..=0x312F // Bopomofo
            | 0x31A0..=0x31BF // Bopomofo extended
            | 0x31F0..=0x31FF // Katakana phonetic extensions
            | 0x3400..=0x4DBF // CJK extension A
            | 0x4E00..=0x9FFF // CJK unified ideographs
            | 0xA000..=0xA4CF // Yi
            | 0xA9E0..=0xA9FF // Myanmar extended B
            | 0xAA60..=0xAADF // Myanmar extended A, Tai Viet
            | 0xF900..=0xFAFF // CJK compatibility ideographs
            | 0xFF66..=0xFF9F // half-width Katakana
            | 0x1AFF0..=0x1B16F // Kana extended, supplement
            | 0x20000..=0x323AF // CJK extensions B to H
    )
}

/// Appends `c` in UTF-8 (without a copy call: [`crate::swar::append_bytes`]).
#[inline]
fn push_utf8(bytes: &mut Vec<u8>, c: char) {
    let mut utf8 = [0u8; 4];
    crate::swar::append_bytes(bytes, c.encode_utf8(&mut utf8).as_bytes());
}

/// The start of the character holding byte `at` of UTF-8 `bytes` (`at` itself past the end).
fn char_start(bytes: &[u8], mut at: usize) -> usize {
    while at > 0 && bytes.get(at).is_some_and(|&b| (0x80..0xC0).contains(&b)) {
        at = at.saturating_sub(1);
    }
    at
}

/// The character of two to four bytes that `bytes` begins with, and its length, when it is
/// there whole and valid (RFC 3629).
#[inline]
fn whole_char(bytes: &[u8]) -> Option<(char, usize)> {
    let (&lead, tail) = bytes.split_first()?;
    let (need, lower, upper, bits) = crate::swar::utf8_lead(lead)?;
    let (&second, more) = tail.get(..usize::from(need))?.split_first()?;
    if !(lower..=upper).contains(&second) || !more.iter().all(|&b| (0x80..0xC0).contains(&b)) {
        return None;
    }
    let code_point = more.iter().fold(
        (u32::from(bits) << 6) | u32::from(second & 0x3F),
        |cp, &b| (cp << 6) | u32::from(b & 0x3F),
    );
    // Always a character: the lead's table admits no surrogate and nothing past U+10FFFF.
    let c = char::from_u32(code_point).unwrap_or(REPLACEMENT);
    Some((c, usize::from(need).saturating_add(1)))
}

/// The one character of `bytes`, if they are one.
fn decode(bytes: &[u8]) -> Option<char> {
    let s = core::str::from_utf8(bytes).ok()?;
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// The top bits of the eight bytes of `word` (the others clear) as the low eight bits, byte
/// `k`'s as bit `k`.
#[inline]
fn gather_high_bits(word: u64) -> u64 {
    (word >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// Per byte of `word` (eight normalised ASCII bytes: no upper-case letter, since
/// [`normalise_ascii`] lowered them), the top bit set if it is `is_ascii_alphanumeric` (a
/// digit or a lower-case letter), the other bits clear.
#[inline]
fn normalised_word_bytes(word: u64) -> u64 {
    ascii_bytes_in(word, b'0', b'9') | ascii_bytes_in(word, b'a', b'z')
}

/// Leading ASCII bytes of `bytes`: the first 32 eight at a time (runs between accented
/// letters are a few words long), then 32 at a time (a reduction the compiler vectorises),
/// then eight at a time again (the first byte with its top bit set is the lowest such bit),
/// the last few one by one.
#[inline]
fn ascii_run(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // From `n`, at most `most` words of eight: `Ok` past them when all are ASCII, else `Err`
    // with the run's end (the first byte with its top bit set is the lowest such bit).
    let words = |mut n: usize, most: usize| -> Result<usize, usize> {
        for _ in 0..most {
            let Some(eight) = bytes.get(n..).and_then(<[u8]>::first_chunk::<8>) else {
                let tail = bytes.get(n..).unwrap_or_default();
                return Err(n.saturating_add(tail.iter().take_while(|b| b.is_ascii()).count()));
            };
            let high = u64::from_le_bytes(*eight) & HIGH;
            if high != 0 {
                let first = usize::try_from(high.trailing_zeros() / 8).unwrap_or(0);
                return Err(n.saturating_add(first));
            }
            n = n.saturating_add(8);
        }
        Ok(n)
    };
    // Runs between other characters are mostly short: their first 32 bytes word by word.
    let mut n = match words(0, 4) {
        Ok(n) => n,
        Err(end) => return end,
    };
    for block in bytes.get(n..).unwrap_or_default().chunks_exact(32) {
        if block.iter().fold(0u8, |acc, &b| acc | b) >= 0x80 {
            break;
        }
        n = n.saturating_add(32);
    }
    // The run ends within the next 32 bytes (or with them): word by word to its end.
    words(n, usize::MAX).unwrap_or_else(|end| end)
}

/// The [`pair_folds`] entry of the two-byte character that `bytes` begins with when it is
/// valid, folds to at most one short character, and is followed by at least
/// [`LONG_ASCII_RUN`] ASCII bytes or by the end of `bytes`.
#[inline]
fn isolated_short_pair(bytes: &[u8]) -> Option<u32> {
    let (&[lead, next], rest) = bytes.split_first_chunk::<2>()?;
    if lead.is_ascii() {
        return None;
    }
    let followed = match rest.first_chunk::<LONG_ASCII_RUN>() {
        Some(after) => after.iter().all(u8::is_ascii),
        None => rest.is_empty(),
    };
    if !followed {
        return None;
    }
    // Not ASCII and not the general path's: a valid two-byte character.
    pair_folds()
        .get(usize::from(u16::from_be_bytes([lead, next])))
        .copied()
        .filter(|&entry| entry & 0xFF != PAIR_SLOW)
}

/// The bits below `n` (all 64 from 64 on).
#[inline]
fn low_bits(n: usize) -> u64 {
    1u64.checked_shl(u32::try_from(n).unwrap_or(u32::MAX))
        .map_or(u64::MAX, |bit| bit.wrapping_sub(1))
}

/// Of a block of [`WordScanner::normalise_simple`], bit `k` for byte `k`.
#[derive(Clone, Copy, Debug)]
struct BlockBits {
    /// Continuation bytes (`10xxxxxx`): every other byte begins a character.
    continuation: u64,
    /// Where the block must end, at the first: a continuation byte that no lead byte before
    /// it takes (invalid, for the general path), or the first of two words of eight ASCII
    /// bytes (a long run, for the bulk path). The characters before are whole and back to
    /// back.
    stops: u64,
}

/// The [`BlockBits`] of the first `len` bytes (at most [`SIMPLE_BLOCK`]) of `window`, eight at
/// a time. A stray continuation byte is rare, so it is only noted on the way and found
/// again when there is one.
#[inline]
fn block_bits(window: &[u8; SIMPLE_WINDOW], len: usize) -> BlockBits {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut continuation = 0u64;
    let mut stray = 0u64;
    let mut ascii_words = 0u32;
    // The top bit of the last byte of the word before, if it is a lead byte of two bytes.
    let mut carry = 0u64;
    for (k, eight) in window.chunks_exact(8).take(SIMPLE_BLOCK / 8).enumerate() {
        let word = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        let k = u32::try_from(k).unwrap_or(0);
        // Bits 6 and 5 of each byte moved up to bit 7 (no bit crosses a byte).
        let six = word.wrapping_shl(1);
        let high = word & HIGH;
        let follows = high & !six;
        let leads = high & six & !word.wrapping_shl(2);
        stray |= follows & !(leads.wrapping_shl(8) | carry);
        carry = leads >> 56;
        continuation |= gather_high_bits(follows).wrapping_shl(k.wrapping_mul(8));
        ascii_words |= u32::from(high == 0).wrapping_shl(k);
        // Two words of ASCII end the block: the words after them are not read.
        if ascii_words & (ascii_words >> 1) != 0 {
            break;
        }
    }
    // Whole words of the block only.
    ascii_words &= u32::try_from(low_bits(len / 8)).unwrap_or(0);
    let long_words = ascii_words & (ascii_words >> 1);
    let mut stops = 1u64
        .checked_shl(long_words.trailing_zeros().wrapping_mul(8))
        .unwrap_or(0);
    if stray != 0 {
        let mut after_lead = false;
        for (k, &b) in window.iter().take(SIMPLE_BLOCK).enumerate() {
            let follows = b & 0xC0 == 0x80;
            if follows && !after_lead {
                stops |= 1u64.wrapping_shl(u32::try_from(k).unwrap_or(0));
                break;
            }
            after_lead = b & 0xE0 == 0xC0;
        }
    }
    BlockBits {
        continuation,
        stops,
    }
}

/// What [`simple_block`] did.
#[derive(Clone, Copy, Debug)]
struct SimpleRun {
    /// Characters read (codes written).
    n: usize,
    /// Normalised bytes written.
    o: usize,
    /// Where the character that needs the general path begins, if one stopped it.
    stopped: Option<usize>,
    /// The last character read is whitespace, or made nothing after whitespace.
    space: bool,
}

/// Reads the characters that begin at the bits of `starts` in `window` (a block of
/// [`WordScanner::normalise_simple`], bit `k` for byte `k`), each looked up by its first two
/// bytes in `pairs` ([`pair_folds`]), writing the folds to `out` and a code per character to
/// `codes`; it stops before the first character the table leaves to the general path.
/// `space`: the character before the block is whitespace.
#[inline]
fn simple_block(
    window: &[u8; SIMPLE_WINDOW],
    mut starts: u64,
    space: bool,
    pairs: &[u32; PAIRS],
    out: &mut [u8; SIMPLE_OUT],
    codes: &mut [u8; SIMPLE_CODES],
) -> SimpleRun {
    // Eight bits, so that they index the arrays without a check (a block has at most 64
    // characters, which make at most two bytes each).
    let mut n = 0u8;
    let mut o = 0u8;
    let mut stopped = None;
    // How far the entry is shifted to read its code: by a byte after whitespace. Shifts,
    // not branches: ASCII, other characters and whitespace come at random.
    let mut shift = if space { 8u32 } else { 0 };
    let look = |starts: u64| {
        // At most 64, and the window has eight bytes more.
        let p = usize::try_from(starts.trailing_zeros()).unwrap_or(SIMPLE_BLOCK);
        let pair = window
            .get(p..p.wrapping_add(2))
            .and_then(|two| two.first_chunk::<2>())
            .map_or(0, |&two| u16::from_be_bytes(two));
        (
            p,
            pairs.get(usize::from(pair)).copied().unwrap_or(PAIR_SLOW),
        )
    };
    // The next character's entry is loaded a character ahead.
    let (mut p, mut entry) = look(starts);
    while starts != 0 {
        starts &= starts.wrapping_sub(1);
        let (next_p, next_entry) = look(starts);
        if entry & 0xFF == PAIR_SLOW {
            stopped = Some(p);
            break;
        }
        let [_, _, fold0, fold1] = entry.to_le_bytes();
        if let Some(slot) = out.get_mut(usize::from(o)..usize::from(o).wrapping_add(2)) {
            slot.copy_from_slice(&[fold0, fold1]);
        }
        let code = entry.wrapping_shr(shift);
        if let Some(slot) = codes.get_mut(usize::from(n)) {
            *slot = code.to_le_bytes()[0];
        }
        shift = (code >> 1) & 8;
        n = n.wrapping_add(1);
        o = o.wrapping_add(u8::try_from((code >> 2) & 3).unwrap_or(0));
        p = next_p;
        entry = next_entry;
    }
    SimpleRun {
        n: usize::from(n),
        o: usize::from(o),
        stopped,
        space: shift != 0,
    }
}

/// Entries of [`pair_folds`]: one per pair of bytes.
const PAIRS: usize = 0x1_0000;
/// The bit of a code of [`pair_folds`] set when whitespace is before what comes next: the
/// character is whitespace, or makes nothing after whitespace ([`decode_code`] ignores it).
const PAIR_SPACE_AFTER: u8 = 0x10;
/// A [`pair_folds`] entry for a character the general path reads: no code (a character
/// takes at least one byte).
const PAIR_SLOW: u32 = 0;

/// For each pair of bytes `b0 b1` (at `b0 << 8 | b1`), what a character that begins with `b0`
/// (followed by `b1`) normalises to when it is ASCII, or two bytes whose fold is at most one
/// character of at most two bytes ([`confusables::short_folds`]). In little-endian order:
/// its code ([`Normalised::codes`]: input bytes `|` normalised bytes `<< 2`, with
/// [`PAIR_SPACE_AFTER`]) when the character before is not whitespace, its code when it is
/// (whitespace after whitespace makes nothing), then the two bytes of the fold (written
/// whole). Any other pair (the character is longer, invalid, or folds to more) is
/// [`PAIR_SLOW`]. Computed once: the validity check, the decoding and the fold are one load.
fn pair_folds() -> &'static [u32] {
    static TABLE: std::sync::OnceLock<Box<[u32]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let folds = confusables::short_folds();
        (0..=u16::MAX)
            .map(|pair| {
                let [b0, b1] = pair.to_be_bytes();
                let (code_point, taken) = if b0.is_ascii() {
                    (usize::from(b0), 1u8)
                } else if (0xC2..=0xDF).contains(&b0) && b1 & 0xC0 == 0x80 {
                    ((usize::from(b0 & 0x1F) << 6) | usize::from(b1 & 0x3F), 2u8)
                } else {
                    return PAIR_SLOW;
                };
                match folds.get(code_point) {
                    Some(fold)
                        if fold.kind != confusables::FOLD2_SLOW
                            && usize::from(fold.len) <= fold.bytes.len() =>
                    {
                        let code = |made: u8, space_after: bool| {
                            taken | (made << 2) | if space_after { PAIR_SPACE_AFTER } else { 0 }
                        };
                        let (plain, after_white) = if fold.kind == confusables::FOLD2_WHITE {
                            (code(fold.len, true), code(0, true))
                        } else {
                            (code(fold.len, false), code(fold.len, fold.len == 0))
                        };
                        let [fold0, fold1] = fold.bytes;
                        u32::from_le_bytes([plain, after_white, fold0, fold1])
                    }
                    _ => PAIR_SLOW,
                }
            })
            .collect()
    })
}

/// ASCII runs at least this long are normalised byte for byte (vectorised by the compiler);
/// shorter ones eight bytes at a time ([`normalise_short_run`]).
const LONG_RUN_BYTES: usize = 64;

/// Writes the normalised `source` (ASCII) to the start of `target` (at least eight bytes
/// longer: the last word is written whole), eight bytes at a time
/// ([`normalise_ascii_word`]); nonzero when a space follows a space (`space_before`: the
/// character before `source` is one). Runs between accented letters are a few words long,
/// and most hold no double space, so need no search for one.
fn normalise_short_run(source: &[u8], target: &mut [u8], space_before: bool) -> u64 {
    let mut words = source.chunks_exact(8);
    let mut targets = target.chunks_exact_mut(8);
    let mut space_before = u64::from(space_before) << 7;
    let mut doubles = 0u64;
    for (eight, out) in words.by_ref().zip(targets.by_ref()) {
        let (word, spaces) =
            normalise_ascii_word(u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])));
        out.copy_from_slice(&word.to_le_bytes());
        doubles |= spaces & (spaces.wrapping_shl(8) | space_before);
        space_before = spaces >> 56;
    }
    // The last few bytes as one word padded with zeros (which stay zeros, not spaces): the
    // last eight bytes of the source shifted down, or, from a shorter source, its bytes one
    // by one.
    let tail = words.remainder().len();
    if tail > 0 {
        let gap = u32::try_from(8usize.saturating_sub(tail).saturating_mul(8)).unwrap_or(0);
        let padded = match source.last_chunk::<8>() {
            Some(last) => u64::from_le_bytes(*last).wrapping_shr(gap),
            None => source
                .iter()
                .rev()
                .fold(0u64, |word, &b| word.wrapping_shl(8) | u64::from(b)),
        };
        let (word, spaces) = normalise_ascii_word(padded);
        if let Some(out) = targets.next() {
            out.copy_from_slice(&word.to_le_bytes());
        }
        doubles |= spaces & (spaces.wrapping_shl(8) | space_before);
    }
    doubles
}

/// [`normalise_ascii`] of each of the eight bytes of `word`, and the spaces of the result
/// (the top bit of each such byte). A byte of a longer character (its top bit set) stays as
/// it is: the range checks read the low seven bits, and their results are cleared where the
/// top bit was set.
#[inline]
fn normalise_ascii_word(word: u64) -> (u64, u64) {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let ascii = !word & HIGH;
    let low = word & !HIGH;
    let upper = ascii_bytes_in(low, b'A', b'Z') & ascii;
    let white = (ascii_bytes_in(low, 0x09, 0x0D) | ascii_bytes_in(low, b' ', b' ')) & ascii;
    // An upper-case letter gains 0x20 (its top bit moved to bit 5); whitespace becomes a space.
    let lowered = word | upper.wrapping_shr(2);
    let white_bytes = white.wrapping_shr(7).wrapping_mul(0xFF);
    ((lowered & !white_bytes) | (SPACES & white_bytes), white)
}

/// Per byte of `word` (eight ASCII bytes), the top bit set if it lies in `low..=high`, the
/// other bits clear: no carry crosses bytes, since every byte and every sum stays below 0x100.
#[inline]
fn ascii_bytes_in(word: u64, low: u8, high: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let at_least = word.wrapping_add(ONES.wrapping_mul(u64::from(0x80u8.wrapping_sub(low))));
    let above = word.wrapping_add(ONES.wrapping_mul(u64::from(0x7Fu8.wrapping_sub(high))));
    at_least & !above & HIGH
}

/// ASCII `White_Space`: tab, LF, vertical tab, form feed, CR, space.
#[inline]
fn is_ascii_white(b: u8) -> bool {
    matches!(b, 0x09..=0x0D | b' ')
}

/// The normalised form of an ASCII byte: whitespace is a space, letters are lower case.
#[inline]
fn normalise_ascii(b: u8) -> u8 {
    if is_ascii_white(b) {
        b' '
    } else {
        b.to_ascii_lowercase()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    /// A spaced phrase matches across any amount of text without word characters (ASCII and
    /// not), yet the scanner keeps a bounded amount: only the one word start a match may still
    /// begin at, by its input offset, and its normalised text stays within a round or so; a
    /// text of words keeps no word start at all for long.
    #[test]
    fn the_record_of_words_stays_bounded() {
        let matcher =
            WordMatcher::new(&[Phrase::spaced("secret"), Phrase::plain("top secret")]).unwrap();
        let mut scanner = matcher.scanner();
        let mut found = Vec::new();
        let mut take = |m| {
            found.push(m);
            true
        };
        let filler = "., \u{2014}; ".repeat(100_000);
        let round = u64::try_from(ROUND_BYTES).unwrap();
        // A segment without word characters: nothing is kept that a match could start in,
        // so the scanner lets its caller forget the text it read.
        for piece in filler.as_bytes().chunks(4096) {
            scanner.feed(piece, &mut take);
            assert!(scanner.walk.starts_kept() == 0);
            assert!(scanner.fed() - scanner.earliest_start() < 2 * round);
            assert!(scanner.text.bytes.len() < 2 * ROUND_BYTES);
        }
        scanner.end_segment(&mut take);
        let base = scanner.fed();
        scanner.feed(b"x s", &mut take);
        for piece in filler.as_bytes().chunks(4096) {
            scanner.feed(piece, &mut take);
            assert!(scanner.walk.starts_kept() <= 1);
            assert!(scanner.text.bytes.len() < 2 * ROUND_BYTES);
            assert!(scanner.earliest_start() <= base + 2);
        }
        // The word start of `s` is kept, by its input offset: a match may still begin there;
        // the text before it is let go.
        assert_eq!(scanner.walk.starts_kept(), 1);
        assert_eq!(scanner.earliest_start(), base + 2);
        let end = base + 3 + u64::try_from(filler.len()).unwrap() + 5;
        scanner.feed(b"ecret y", &mut take);
        let words = "lorem ipsum dolor sit amet ".repeat(40_000);
        for piece in words.as_bytes().chunks(4096) {
            scanner.feed(piece, &mut take);
            assert!(scanner.walk.starts_kept() <= 1);
            assert!(scanner.text.bytes.len() < 2 * ROUND_BYTES);
            assert!(scanner.fed() - scanner.earliest_start() < 2 * round);
        }
        scanner.finish(&mut take);
        assert_eq!(
            found,
            [WordMatch {
                phrase: 0,
                start: base + 2,
                end
            }]
        );
    }

    #[test]
    fn ascii_runs() {
        for len in 0..140 {
            for at in 0..len {
                let mut v = vec![b'a'; len];
                v[at] = 0x80 | u8::try_from(at % 64).unwrap();
                assert_eq!(ascii_run(&v), at, "{len} {at}");
                v[at] = 0x7F;
                assert_eq!(ascii_run(&v), len, "{len} {at}");
            }
        }
        for b in 0..=0xFFu8 {
            let white = matches!(b, 0x09..=0x0D | 0x20);
            assert_eq!(
                white,
                char::from(b).is_whitespace() && b.is_ascii(),
                "{b:#x}"
            );
            assert_eq!(is_ascii_white(b), white);
            if b.is_ascii() {
                let n = normalise_ascii(b);
                assert_eq!(char::from(n).to_string(), normalize_fold(char::from(b)));
            }
        }
    }

    /// The word-byte mask of eight normalised ASCII bytes (no upper-case letter), for every
    /// such byte at every position among other bytes, equals `is_ascii_alphanumeric`.
    #[test]
    fn word_byte_masks() {
        for b in (0..0x80u8).filter(|b| !b.is_ascii_uppercase()) {
            for position in 0..8 {
                for other in [0u8, b' ', b'z', 0x7F, b'/', b':', b'@', b'['] {
                    let mut eight = [other; 8];
                    eight[position] = b;
                    let mask = gather_high_bits(normalised_word_bytes(u64::from_le_bytes(eight)));
                    for (k, &c) in eight.iter().enumerate() {
                        assert_eq!(mask >> k & 1 == 1, c.is_ascii_alphanumeric(), "{eight:?}");
                    }
                }
            }
        }
    }

    /// A character of three bytes that does not stay itself (full-width `Ｓ`, which folds to
    /// `s`) in the slot of the table of staying characters where one that stays (CJK) was
    /// put is folded all the same: an entry is known by all its bytes, not by its slot.
    /// The same with four-byte characters (an emoji that stays; a squared letter, which folds
    /// to a letter), and with two characters whose first bytes are the same (`℗` stays, `Ω`
    /// folds to `ω`; `🄎` stays, `🄰` folds to `a`): every byte of an entry counts. (`🄋`, a
    /// circled digit, folds to a space since the review of 2026-11-30.)
    #[test]
    fn staying_characters_are_known_by_all_their_bytes() {
        let key = |c: char| {
            let mut word = [0u8; 4];
            c.encode_utf8(&mut word);
            u32::from_le_bytes(word)
        };
        let colliding = |stays: core::ops::RangeInclusive<char>,
                         folds: core::ops::RangeInclusive<char>| {
            stays
                .flat_map(|k| folds.clone().map(move |f| (k, f)))
                .find(|&(k, f)| Staying::slot(key(k)) == Staying::slot(key(f)))
                .unwrap()
        };
        for (stays, folds) in [
            colliding('\u{4E00}'..='\u{9FA0}', '\u{FF21}'..='\u{FF3A}'),
            colliding('\u{1F300}'..='\u{1F5FF}', '\u{1F130}'..='\u{1F149}'),
            ('\u{2117}', '\u{2126}'),
            ('\u{1F10E}', '\u{1F130}'),
        ] {
            let phrase = normalize(&folds.to_string());
            assert_ne!(phrase, folds.to_string(), "{folds}");
            assert_eq!(normalize(&stays.to_string()), stays.to_string(), "{stays}");
            let matcher = WordMatcher::new(&[Phrase::plain(&phrase)]).unwrap();
            // The staying character first (put in the table), then the other, twice.
            let text = format!("x {stays} y {folds} {stays} {folds} z");
            let found = matcher.find_all(text.as_bytes());
            let starts: Vec<u64> = found.matches.iter().map(|m| m.start).collect();
            let expected: Vec<u64> = text
                .match_indices(folds)
                .map(|(at, _)| u64::try_from(at).unwrap())
                .collect();
            assert_eq!(starts, expected, "{text}");
        }
    }

    /// Every entry of the pair table says what the fold says of the character its two bytes
    /// begin (ASCII whatever byte follows, or a whole two-byte character), and every other pair
    /// (a continuation byte, a lead of a longer character, `C0`/`C1`, a lead without its
    /// continuation) goes to the general path.
    #[test]
    fn pair_entries_are_the_fold_of_their_character() {
        let pairs = pair_folds();
        assert_eq!(pairs.len(), PAIRS);
        for pair in 0..=u16::MAX {
            let [b0, b1] = pair.to_be_bytes();
            let entry = pairs[usize::from(pair)];
            let character = if b0.is_ascii() {
                Some((char::from(b0), 1u8))
            } else {
                std::str::from_utf8(&[b0, b1])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .map(|c| (c, 2u8))
            };
            let Some((c, taken)) = character else {
                assert_eq!(entry, PAIR_SLOW, "{b0:02X} {b1:02X}");
                continue;
            };
            let mut fold = Vec::new();
            fold_char(c, &mut |d| fold.push(d));
            let short = match fold.as_slice() {
                [] => true,
                [d] => d.len_utf8() <= 2,
                _ => false,
            };
            if !short {
                assert_eq!(entry, PAIR_SLOW, "{c:?}");
                continue;
            }
            let white = fold.first().is_some_and(|d| d.is_whitespace());
            let mut expected = [0u8; 4];
            let written = match fold.first() {
                Some(_) if white => " ".as_bytes(),
                Some(d) => d.encode_utf8(&mut expected).as_bytes(),
                None => &[],
            };
            let [plain, after_white, fold0, fold1] = entry.to_le_bytes();
            let made = u8::try_from(written.len()).unwrap();
            assert_eq!(&[fold0, fold1][..written.len()], written, "{c:?}");
            // Before anything but whitespace: it takes its bytes, makes its fold, and leaves
            // whitespace behind only if it is whitespace.
            assert_eq!(
                plain,
                taken | (made << 2) | if white { PAIR_SPACE_AFTER } else { 0 },
                "{c:?}"
            );
            // After whitespace: whitespace makes nothing, and whitespace stays behind after it
            // and after a character that makes nothing.
            let after_made = if white { 0 } else { made };
            let stays = white || made == 0;
            assert_eq!(
                after_white,
                taken | (after_made << 2) | if stays { PAIR_SPACE_AFTER } else { 0 },
                "{c:?}"
            );
            assert_eq!(decode_code(plain), (u64::from(taken), usize::from(made)));
        }
    }

    /// Eight bytes normalised at once equal each normalised alone, and the spaces
    /// reported are the spaces of the result: every byte at every position among neighbours
    /// at the edges of the ranges (the letters, the whitespace, zero padding, bytes of longer
    /// characters, which stay as they are).
    #[test]
    fn ascii_words_normalise_like_bytes() {
        for b in 0..=0xFFu8 {
            for position in 0..8 {
                for other in [
                    0u8, 0x08, 0x09, 0x0D, 0x0E, b' ', b'@', b'A', b'Z', b'[', b'`', b'a', b'z',
                    0x7F, 0x80, 0x89, 0xBF, 0xC1, 0xE5, 0xFF,
                ] {
                    let mut eight = [other; 8];
                    eight[position] = b;
                    let (word, spaces) = normalise_ascii_word(u64::from_le_bytes(eight));
                    let expected: Vec<u8> = eight.iter().map(|&c| normalise_ascii(c)).collect();
                    assert_eq!(word.to_le_bytes().to_vec(), expected, "{eight:?}");
                    for (k, &c) in expected.iter().enumerate() {
                        assert_eq!(spaces >> (8 * k + 7) & 1 == 1, c == b' ', "{eight:?}");
                    }
                    assert_eq!(spaces & !0x8080_8080_8080_8080, 0);
                }
            }
        }
    }

    /// The fold of one character, whitespace as a space (not collapsed or trimmed).
    fn normalize_fold(c: char) -> String {
        let mut out = String::new();
        fold_char(c, &mut |d| {
            out.push(if d.is_whitespace() { ' ' } else { d })
        });
        out
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
