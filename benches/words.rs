//! Forbidden-word scanning against raw aho-corasick over the same bytes, in one run.
//!
//! Phrases: [`PHRASES`], 32 markings and forbidden terms, 16 of them multi-word.
//!
//! Inputs (generated here, deterministic):
//! - `english_4m`: 4 MiB of English-like prose (a fixed-seed pick from 196 common words,
//!   capitals, punctuation, LF and CR LF line ends, some double spaces), with a phrase every
//!   12–20 KiB (plain, upper case or split by a line break) and near misses (`secretary`);
//! - `cyrillic_french_1m`: 1 MiB of Russian and French words (accents), mostly non-ASCII;
//! - `reports_4m`: 4 MiB of [`inputs::text_reports`], situation reports in ASCII with a word
//!   in four holding an accent, the euro sign, CJK or an emoji (text in which the scanner
//!   switches between ASCII and other characters every few words). No phrase occurs in it: it
//!   measures the reading, which every object pays.
//!
//! Functions, per input:
//! - `aho_corasick_raw`: what a user would otherwise run — `AhoCorasick` with
//!   `ascii_case_insensitive(true)` over the raw bytes, counting `find_iter` matches
//!   (non-overlapping, no word boundaries, no normalisation: it misses every disguised form);
//! - `crossguard_find_all`: [`WordMatcher::find_all`] on the whole buffer (normalisation,
//!   boundaries, overlapping matches, original offsets);
//! - `crossguard_stream_64k`: the same through a `WordScanner` fed 64 KiB chunks.
//!
//! `english_4m_spaced` runs the same with the 12 single-word phrases also spaced (matched
//! with separators between their letters): the cost of the second, letters-only pass.
//! `english_4m_many` runs it with 104 more phrases (`operation alfa`, `project bravo`,
//! `charlie directive`, `delta annex`, …: 136 in all), more than one pass of the packed
//! searcher takes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    missing_docs
)]

mod inputs;

use std::hint::black_box;

use aho_corasick::AhoCorasick;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crossguard::inspect::words::{Phrase, WordMatcher};

/// The phrases: classification markings, caveats and a few forbidden terms.
const PHRASES: &[&str] = &[
    "top secret",
    "secret",
    "confidential",
    "restricted",
    "nato secret",
    "nato confidential",
    "nato restricted",
    "cosmic top secret",
    "focal point",
    "noforn",
    "orcon",
    "eyes only",
    "releasable to",
    "not releasable",
    "diffusion restreinte",
    "confidentiel defense",
    "secret defense",
    "tres secret",
    "codeword",
    "limdis",
    "exdis",
    "sigint",
    "humint",
    "proprietary",
    "internal use only",
    "do not forward",
    "for official use only",
    "(ns)",
    "(nc)",
    "(nr)",
    "(cts)",
    "operation",
];

/// A fixed-seed linear congruential generator (the high bits).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % bound
    }
}

const ENGLISH: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "he",
    "for",
    "it",
    "with",
    "as",
    "his",
    "on",
    "be",
    "at",
    "by",
    "I",
    "this",
    "had",
    "not",
    "are",
    "but",
    "from",
    "or",
    "have",
    "an",
    "they",
    "which",
    "one",
    "you",
    "were",
    "her",
    "all",
    "she",
    "there",
    "would",
    "their",
    "we",
    "him",
    "been",
    "has",
    "when",
    "who",
    "will",
    "more",
    "no",
    "if",
    "out",
    "so",
    "said",
    "what",
    "up",
    "its",
    "about",
    "into",
    "than",
    "them",
    "can",
    "only",
    "other",
    "new",
    "some",
    "could",
    "time",
    "these",
    "two",
    "may",
    "then",
    "do",
    "first",
    "any",
    "my",
    "now",
    "such",
    "like",
    "our",
    "over",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
    "unit",
    "reports",
    "movement",
    "north",
    "river",
    "crossing",
    "grid",
    "contact",
    "supply",
    "convoy",
    "delayed",
    "weather",
    "clear",
    "status",
    "secretary",
    "topic",
    "national",
    "restore",
    "conference",
    "natural",
    "point",
    "focal",
    "release",
    "official",
    "forward",
    "internal",
    "defense",
    "operational",
    "cosmic",
    "sigma",
    "human",
    "proper",
    "limit",
    "exit",
    "code",
    "word",
    "eyes",
    "only",
    "top",
    "operations",
    "confident",
    "restrict",
    "treasury",
    "tress",
    "orchestra",
    "nation",
    "signal",
];

fn english(target: usize) -> Vec<u8> {
    let mut rng = Lcg(0x6A09_E667_F3BC_C908);
    let mut out = String::with_capacity(target + 64);
    let mut line = 0usize;
    let mut next_phrase = 8192usize;
    while out.len() < target {
        if out.len() >= next_phrase {
            let phrase = PHRASES[rng.below(PHRASES.len())];
            match rng.below(3) {
                0 => out.push_str(phrase),
                1 => out.push_str(&phrase.to_uppercase()),
                _ => out.push_str(&phrase.replacen(' ', "\n", 1)),
            }
            out.push(' ');
            next_phrase += 12 * 1024 + rng.below(8 * 1024);
        }
        let word = ENGLISH[rng.below(ENGLISH.len())];
        if rng.below(16) == 0 {
            let mut chars = word.chars();
            let first = chars.next().unwrap();
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        } else {
            out.push_str(word);
        }
        line += word.len() + 1;
        match rng.below(24) {
            0 => out.push_str(", "),
            1 => out.push_str(". "),
            2 => out.push_str("  "),
            _ if line > 72 => {
                out.push_str(if rng.below(4) == 0 { "\r\n" } else { "\n" });
                line = 0;
            }
            _ => out.push(' '),
        }
    }
    out.into_bytes()
}

const CYRILLIC_FRENCH: &[&str] = &[
    "отчёт",
    "движение",
    "колонна",
    "север",
    "реки",
    "переправа",
    "погода",
    "ясно",
    "связь",
    "снабжение",
    "задержка",
    "штаб",
    "приказ",
    "совершенно",
    "секретно",
    "для",
    "служебного",
    "пользования",
    "état",
    "préfecture",
    "sécurité",
    "défense",
    "réunion",
    "été",
    "très",
    "déjà",
    "où",
    "français",
    "élève",
    "côte",
    "forêt",
    "garçon",
    "noël",
    "œuvre",
    "à",
    "le",
    "la",
    "les",
    "des",
    "et",
    "de",
    "un",
    "une",
    "rapport",
    "colonne",
    "météo",
    "ясный",
];

fn cyrillic_french(target: usize) -> Vec<u8> {
    let mut rng = Lcg(0xBB67_AE85_84CA_A73B);
    let mut out = String::with_capacity(target + 64);
    let mut next_phrase = 8192usize;
    while out.len() < target {
        if out.len() >= next_phrase {
            out.push_str(["TRÈS SECRET ", "Diffusion Restreinte ", "(NS) "][rng.below(3)]);
            next_phrase += 12 * 1024 + rng.below(8 * 1024);
        }
        out.push_str(CYRILLIC_FRENCH[rng.below(CYRILLIC_FRENCH.len())]);
        out.push_str(if rng.below(12) == 0 { ".\n" } else { " " });
    }
    out.into_bytes()
}

fn group(c: &mut Criterion, name: &str, input: &[u8], phrases: &[Phrase<'_>]) {
    let matcher = WordMatcher::new(phrases).unwrap();
    let raw = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(PHRASES)
        .unwrap();
    let found = matcher.find_all(input);
    assert!(!found.truncated);
    let streamed = |input: &[u8]| {
        let mut count = 0usize;
        let mut scanner = matcher.scanner();
        let mut take = |_| {
            count += 1;
            true
        };
        for chunk in input.chunks(64 * 1024) {
            scanner.feed(chunk, &mut take);
        }
        scanner.finish(&mut take);
        count
    };
    assert_eq!(streamed(input), found.matches.len());
    eprintln!(
        "{name}: {} bytes, {} crossguard matches, {} raw aho-corasick matches",
        input.len(),
        found.matches.len(),
        raw.find_iter(input).count()
    );
    let mut g = c.benchmark_group(format!("words/{name}"));
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.sample_size(20);
    g.bench_function("aho_corasick_raw", |b| {
        b.iter(|| black_box(raw.find_iter(black_box(input)).count()))
    });
    g.bench_function("crossguard_find_all", |b| {
        b.iter(|| black_box(matcher.find_all(black_box(input)).matches.len()))
    });
    g.bench_function("crossguard_stream_64k", |b| {
        b.iter(|| black_box(streamed(black_box(input))))
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let plain: Vec<Phrase<'_>> = PHRASES.iter().map(|p| Phrase::plain(p)).collect();
    let english = english(4 << 20);
    group(c, "english_4m", &english, &plain);
    let mut with_spaced = plain.clone();
    with_spaced.extend(
        PHRASES
            .iter()
            .filter(|p| !p.contains(' ') && !p.starts_with('('))
            .map(|p| Phrase::spaced(p)),
    );
    group(c, "english_4m_spaced", &english, &with_spaced);
    // 136 phrases: more than one packed searcher takes (64), so the pieces are searched in
    // three passes.
    let many: Vec<String> = CODEWORDS
        .iter()
        .flat_map(|w| {
            [
                format!("operation {w}"),
                format!("project {w}"),
                format!("{w} directive"),
                format!("{w} annex"),
            ]
        })
        .collect();
    let mut with_many = plain.clone();
    with_many.extend(many.iter().map(|p| Phrase::plain(p)));
    group(c, "english_4m_many", &english, &with_many);
    let other = cyrillic_french(1 << 20);
    group(c, "cyrillic_french_1m", &other, &plain);
    let reports = inputs::text_reports(4 << 20);
    group(c, "reports_4m", &reports, &plain);
}

/// Code words for `english_4m_many`'s phrases.
const CODEWORDS: [&str; 26] = [
    "alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
    "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
];

criterion_group!(words, benches);
criterion_main!(words);
