//! The forbidden-words matcher against its naive reference: the module's rules applied
//! character by character to the whole normalised text, with a map from each normalised
//! character back to the input bytes that produced it.
//!
//! **Input format** (shared with `tests/words.rs`, which builds inputs in it): if the data holds
//! a NUL byte, what precedes the first NUL is the header and what follows it the text. The
//! header's first byte seeds the chunkings; the rest is the phrase list, phrases separated by
//! 0x01, a phrase that begins with 0x02 being spaced (the marker removed); bytes that are not
//! UTF-8 are read as U+FFFD. Without a NUL, the whole data is the text, searched for
//! [`DEFAULT_PHRASES`]. In the text, 0x1E separates segments for one more run that ends a
//! segment there (the separators are not fed).

use crate::inspect::words::{
    fold_char, normalize, Phrase, WordMatch, WordMatcher, WordsError, MAX_PHRASE_BYTES,
    MAX_WORD_MATCHES,
};

/// Phrases searched when the input has no header: multi-word, spaced, non-alphanumeric at
/// either end, expanding (`ß`), and one that matches inside compatibility expansions (`..` in
/// `…`).
const DEFAULT_PHRASES: &[(&str, bool)] = &[
    ("top secret", false),
    ("secret", false),
    ("secret", true),
    ("(ns)", false),
    ("nato  secret", false),
    ("noforn", true),
    ("strasse", false),
    ("..", false),
    ("a b", true),
    ("é", false),
];

/// Most phrases read from a header.
const MAX_FUZZ_PHRASES: usize = 8;

/// Arbitrary bytes as a phrase list and a text: never a panic; the matcher's compile errors
/// are the ones the phrases deserve; streamed in several chunkings (and in segments at 0x1E),
/// the matches are the naive reference's, in its order; `find_all` agrees; stopping after `k`
/// matches reports exactly the first `k`.
pub fn words(data: &[u8]) {
    let (seed, owned, text) = match data.iter().position(|&b| b == 0) {
        Some(nul) => {
            let head = data.get(..nul).unwrap_or_default();
            let text = data.get(nul.saturating_add(1)..).unwrap_or_default();
            let seed = head.first().copied().unwrap_or(0);
            let phrases: Vec<(String, bool)> = head
                .get(1..)
                .unwrap_or_default()
                .split(|&b| b == 1)
                .filter(|p| !p.is_empty())
                .take(MAX_FUZZ_PHRASES)
                .map(|p| match p.split_first() {
                    Some((2, rest)) => (String::from_utf8_lossy(rest).into_owned(), true),
                    _ => (String::from_utf8_lossy(p).into_owned(), false),
                })
                .collect();
            (seed, phrases, text)
        }
        None => (
            0,
            DEFAULT_PHRASES
                .iter()
                .map(|&(t, s)| (t.to_owned(), s))
                .collect(),
            data,
        ),
    };
    let all: Vec<Phrase<'_>> = owned
        .iter()
        .map(|(text, spaced)| Phrase {
            text,
            spaced: *spaced,
        })
        .collect();
    let usable = check_compile(&all);
    let phrases: Vec<Phrase<'_>> = usable.iter().filter_map(|&i| all.get(i).copied()).collect();
    let Ok(matcher) = WordMatcher::new(&phrases) else {
        panic!("the phrases left after removing the bad ones do not compile: {phrases:?}");
    };

    let expected = naive_matches(&phrases, &[text]);
    for (name, cuts, round) in chunkings(text.len(), seed) {
        let got = streamed(&matcher, &[text], &cuts, round);
        if got != expected {
            panic!(
                "{name} chunking {cuts:?}, rounds {round:?}, differs:\n got {got:?}\nwant {expected:?}\nphrases {phrases:?}\ntext {:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    let found = matcher.find_all(text);
    let cap = expected.len().min(MAX_WORD_MATCHES);
    if found.matches.as_slice() != expected.get(..cap).unwrap_or_default()
        || found.truncated != (expected.len() > MAX_WORD_MATCHES)
    {
        panic!("find_all differs from the streamed matches");
    }

    // The matcher combined with itself finds every match twice, once per list.
    if expected.len().saturating_mul(2) <= MAX_WORD_MATCHES {
        let Ok(twice) = WordMatcher::combined(&[&matcher, &matcher]) else {
            panic!("a matcher does not combine with itself");
        };
        let mut doubled: Vec<WordMatch> = expected
            .iter()
            .flat_map(|&m| {
                [
                    m,
                    WordMatch {
                        phrase: m.phrase.saturating_add(matcher.len()),
                        ..m
                    },
                ]
            })
            .collect();
        doubled.sort_by_key(|m| (m.end, m.phrase, m.start));
        if twice.find_all(text).matches != doubled {
            panic!("the matcher combined with itself differs");
        }
    }

    // Stopping: the callback refuses after `k` matches.
    let k = expected.len() / 2;
    if k > 0 {
        let mut seen = Vec::new();
        let mut scanner = matcher.scanner_with_rounds(usize::from(seed).saturating_add(1));
        let mut take = |m| {
            seen.push(m);
            seen.len() < k
        };
        for piece in text.chunks(7) {
            scanner.feed(piece, &mut take);
        }
        scanner.finish(&mut take);
        if seen.as_slice() != expected.get(..k).unwrap_or_default() {
            panic!("stopping after {k} matches reported {seen:?}");
        }
    }

    // Segments at 0x1E.
    if text.contains(&0x1E) {
        let segments: Vec<&[u8]> = text.split(|&b| b == 0x1E).collect();
        let expected = naive_matches(&phrases, &segments);
        let fed: usize = segments.iter().map(|s| s.len()).sum();
        for (name, cuts, round) in chunkings(fed, seed) {
            let got = streamed(&matcher, &segments, &cuts, round);
            if got != expected {
                panic!("segmented, {name} chunking {cuts:?}, rounds {round:?}, differs:\n got {got:?}\nwant {expected:?}");
            }
        }
    }
}

/// Checks that `phrases` compile exactly when the reference says they should, with the error
/// it names; returns the indices of the phrases that remain once every phrase that is too long,
/// normalises to nothing or repeats an earlier one is removed.
fn check_compile(phrases: &[Phrase<'_>]) -> Vec<usize> {
    let mut usable = Vec::new();
    let mut keys: Vec<(String, bool, usize)> = Vec::new();
    let mut first_error: Option<WordsError> = None;
    for (index, phrase) in phrases.iter().enumerate() {
        let normal = normalize(phrase.text);
        let key = phrase_key(phrase);
        let error = if phrase.text.len() > MAX_PHRASE_BYTES {
            Some(WordsError::PhraseTooLong {
                index,
                bytes: phrase.text.len(),
                max: MAX_PHRASE_BYTES,
            })
        } else if normal.len() > MAX_PHRASE_BYTES {
            Some(WordsError::PhraseTooLong {
                index,
                bytes: normal.len(),
                max: MAX_PHRASE_BYTES,
            })
        } else if key.is_empty() {
            Some(WordsError::EmptyPhrase { index })
        } else if let Some(&(_, _, first)) = keys
            .iter()
            .find(|(k, spaced, _)| *k == key && *spaced == phrase.spaced)
        {
            Some(WordsError::DuplicatePhrase {
                first,
                second: index,
            })
        } else {
            None
        };
        match error {
            Some(e) => {
                if first_error.is_none() {
                    first_error = Some(e);
                }
            }
            None => {
                keys.push((key, phrase.spaced, index));
                usable.push(index);
            }
        }
    }
    let got = WordMatcher::new(phrases).err();
    if got != first_error {
        panic!("compiling {phrases:?}: {got:?}, the reference says {first_error:?}");
    }
    usable
}

/// What a phrase is matched as: its normalised text, or for a spaced phrase its word
/// characters.
fn phrase_key(phrase: &Phrase<'_>) -> String {
    let normal = normalize(phrase.text);
    if phrase.spaced {
        normal.chars().filter(|c| c.is_alphanumeric()).collect()
    } else {
        normal
    }
}

/// A normalised character and the input range `[start, end)` of the character that produced
/// it.
type Placed = (char, u64, u64);

/// The normalised characters of one segment whose first byte is at `base`, each mapped back:
/// decoded as `from_utf8_lossy` does (one U+FFFD per maximal invalid subpart), each character
/// folded on its own, whitespace runs collapsed to one space (attributed to the first).
fn normalised(segment: &[u8], base: u64) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::new();
    let mut after_space = false;
    let mut push = |c: char, start: u64, end: u64, out: &mut Vec<Placed>| {
        fold_char(c, &mut |d| {
            if d.is_whitespace() {
                if !after_space {
                    out.push((' ', start, end));
                }
                after_space = true;
            } else {
                out.push((d, start, end));
                after_space = false;
            }
        });
    };
    let mut at = base;
    let width = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    for chunk in segment.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            let start = at.saturating_add(width(i));
            push(
                c,
                start,
                start.saturating_add(width(c.len_utf8())),
                &mut out,
            );
        }
        at = at.saturating_add(width(chunk.valid().len()));
        if !chunk.invalid().is_empty() {
            let end = at.saturating_add(width(chunk.invalid().len()));
            push('\u{FFFD}', at, end, &mut out);
            at = end;
        }
    }
    out
}

/// The reference: every match of `phrases` in `segments` (consecutive pieces of the input,
/// each its own segment), by position, in reporting order, each once.
pub(super) fn naive_matches(phrases: &[Phrase<'_>], segments: &[&[u8]]) -> Vec<WordMatch> {
    let word = |c: Option<&Placed>| c.is_some_and(|&(c, _, _)| c.is_alphanumeric());
    // A plain phrase's boundaries: characters of scripts without spaces do not join words,
    // nor Hangul and another script.
    let joins = |c: Option<&Placed>, edge: char| {
        c.is_some_and(|&(c, _, _)| crate::inspect::words::same_word(c, edge))
    };
    let keys: Vec<(Vec<char>, bool)> = phrases
        .iter()
        .map(|p| (phrase_key(p).chars().collect(), p.spaced))
        .collect();
    let strings: Vec<String> = keys.iter().map(|(k, _)| k.iter().collect()).collect();
    let mut out = Vec::new();
    let mut base = 0u64;
    for segment in segments {
        let text = normalised(segment, base);
        base = base.saturating_add(u64::try_from(segment.len()).unwrap_or(u64::MAX));
        // Positions of the word characters, for spaced phrases.
        let letters: Vec<usize> = text
            .iter()
            .enumerate()
            .filter(|(_, c)| c.0.is_alphanumeric())
            .map(|(i, _)| i)
            .collect();
        // A plain phrase can match only where its characters follow one another: phrases
        // that do not are passed over (the markings oracle searches many phrases).
        let chars: String = text.iter().map(|c| c.0).collect();
        for (phrase, (key, spaced)) in keys.iter().enumerate() {
            let (Some(&first), Some(&last)) = (key.first(), key.last()) else {
                continue;
            };
            if !*spaced
                && strings
                    .get(phrase)
                    .is_some_and(|k| !chars.contains(k.as_str()))
            {
                continue;
            }
            if *spaced {
                for window in letters.windows(key.len()) {
                    let same = window
                        .iter()
                        .zip(key)
                        .all(|(&i, &k)| text.get(i).is_some_and(|c| c.0 == k));
                    let (Some(&s), Some(&e)) = (window.first(), window.last()) else {
                        continue;
                    };
                    let before = s.checked_sub(1).and_then(|i| text.get(i));
                    let after = text.get(e.saturating_add(1));
                    if same && !word(before) && !word(after) {
                        if let (Some(a), Some(b)) = (text.get(s), text.get(e)) {
                            out.push(WordMatch {
                                phrase,
                                start: a.1,
                                end: b.2,
                            });
                        }
                    }
                }
            } else {
                for (s, window) in text.windows(key.len()).enumerate() {
                    let same = window.iter().zip(key).all(|(c, &k)| c.0 == k);
                    let e = s.saturating_add(key.len());
                    let before = s.checked_sub(1).and_then(|i| text.get(i));
                    let after = text.get(e);
                    let start_ok =
                        !crate::inspect::words::joins_words(first) || !joins(before, first);
                    let end_ok = !crate::inspect::words::joins_words(last) || !joins(after, last);
                    if same && start_ok && end_ok {
                        if let (Some(a), Some(b)) = (window.first(), window.last()) {
                            out.push(WordMatch {
                                phrase,
                                start: a.1,
                                end: b.2,
                            });
                        }
                    }
                }
            }
        }
    }
    out.sort_by_key(|m| (m.end, m.phrase, m.start));
    out.dedup();
    out
}

/// Chunkings of `len` bytes, as cut points, each with the round size to scan with (`None`:
/// the default): whole, in thirds, byte by byte (short texts) and two pseudo-random ones
/// from `seed`; small rounds make short texts go through the carrying between rounds.
fn chunkings(len: usize, seed: u8) -> Vec<(&'static str, Vec<usize>, Option<usize>)> {
    let mut out = vec![
        ("whole", Vec::new(), None),
        ("whole", Vec::new(), Some(1)),
        ("whole", Vec::new(), Some(5)),
        ("thirds", vec![len / 3, len.saturating_mul(2) / 3], Some(64)),
    ];
    if len <= 300 {
        out.push(("bytes", (1..len).collect(), None));
        out.push(("bytes", (1..len).collect(), Some(2)));
    }
    for (name, salt, round) in [("random", 0u64, 3), ("random2", 0x9E37_79B9, 17)] {
        let mut state = u64::from(seed) ^ salt ^ 0x2545_F491_4F6C_DD1D;
        let mut cuts = Vec::new();
        let mut at = 0usize;
        loop {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let step = usize::try_from((state >> 33) % 40)
                .unwrap_or(1)
                .saturating_add(1);
            at = at.saturating_add(step);
            if at >= len {
                break;
            }
            cuts.push(at);
        }
        out.push((name, cuts, Some(round)));
    }
    out
}

/// The matches of `matcher` over `segments` fed one after another, cut at `cuts` (offsets in
/// the bytes fed, separators excluded), each segment ended, the scanner finished.
fn streamed(
    matcher: &WordMatcher,
    segments: &[&[u8]],
    cuts: &[usize],
    round: Option<usize>,
) -> Vec<WordMatch> {
    let mut got = Vec::new();
    let mut take = |m| {
        got.push(m);
        true
    };
    let mut scanner = match round {
        Some(round) => matcher.scanner_with_rounds(round),
        None => matcher.scanner(),
    };
    let mut base = 0usize;
    let count = segments.len();
    for (n, segment) in segments.iter().enumerate() {
        let end = base.saturating_add(segment.len());
        let mut at = base;
        for &cut in cuts.iter().filter(|&&c| c > base && c < end) {
            scanner.feed(
                segment
                    .get(at.saturating_sub(base)..cut.saturating_sub(base))
                    .unwrap_or_default(),
                &mut take,
            );
            at = cut;
        }
        scanner.feed(
            segment.get(at.saturating_sub(base)..).unwrap_or_default(),
            &mut take,
        );
        if n.saturating_add(1) < count {
            scanner.end_segment(&mut take);
        }
        base = end;
    }
    scanner.finish(&mut take);
    got
}
