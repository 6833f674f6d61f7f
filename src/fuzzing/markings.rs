//! The `markings` inspector against a naive reading: an object whose markings check passed
//! holds, read naively, no classification marking above its label.
//!
//! The naive reading decodes the object as a consumer would — a text whole (and, on a flow
//! that takes JSON, the strings of the JSON values serde_json reads from it one after the
//! other: a bare JSON string is text to true type); every JSON member name and string value,
//! unescaped, by serde_json, and all of them joined in document order; XML character data, CDATA, comments,
//! processing instructions' data, attribute values and namespace names, references resolved,
//! by the whole-buffer XML reader, and the document's character data joined — and searches each piece on its own for every marking
//! phrase of the embedded policies with the words module's naive reference
//! ([`super::words::naive_matches`]). It shares with the guard the phrase list and the
//! comparison with the label ([`MarkingPhrases::compare`]), not the scanning: the pieces,
//! their unescaping, the chunked reading, the placing of matches and the caps of the scan are
//! the guard's alone. Each piece is one the guard reads too (the joined ones as its joined
//! readings, `docs/inspection.md`), so every marking the oracle finds above the label is one
//! the guard let through.
//!
//! Forbidden words are checked the same way ([`check_words`]): when a flow's `words` check
//! passed, the naive reading holds none of its phrases (spaced ones included).
//!
//! [`guard_markings`] builds its objects from the fuzz data: JSON, XML, text or bare JSON
//! strings, made of pieces (strings, names, text, elements, attributes, comments, processing instructions,
//! CDATA) that hold the policies' marking phrases and the release flow's forbidden words,
//! written in many ways (case, references and escapes, look-alike letters, full-width forms,
//! other white space, separators between letters), repeated up to 4 096
//! times, between filler words and raw bytes — the shapes that hid a marking before
//! (`tests/content_evasions.rs`).

use crate::guard::{ContentCheck, Finding, LabelInput, Transfer, Verdict};
use crate::inspect::detect::TrueType;
use crate::inspect::markings::{Comparison, MarkingPhrases};
use crate::inspect::words::{Phrase, WordMatcher};
use crate::label::{read_label_xml, validate, Strictness, Timestamp};
use crate::xml::{Event, Reader};

/// The label every object is inspected under (NATO RESTRICTED).
const LABEL: &[u8] = include_bytes!("../../tests/data/guard/labels/restricted-nato.xml");

/// NATO RESTRICTED too, releasable (what the release flow's rules ask for).
const RELEASABLE: &[u8] = include_bytes!("../../tests/data/guard/labels/restricted-releasable.xml");

/// Most bytes of a generated object (the naive reading is slow; the repeats reach 4 096).
const MAX_GENERATED_BYTES: usize = 96 * 1024;

/// Most times one repeat op writes its atoms again.
const MAX_REPEATS: usize = 4096;

/// The flow `from` -> `to` of the embedded laptop guard.
fn laptop_flow(from: &str, to: &str) -> Option<&'static crate::flow::Flow> {
    let (guard, _) = super::laptop_guard()?;
    let index = |name: &str| guard.domains().iter().position(|d| &*d.name == name);
    let (from, to) = (index(from)?, index(to)?);
    guard.flows().iter().find(|f| f.from == from && f.to == to)
}

/// The forbidden words of the laptop guard's release flow.
fn release_words() -> Option<&'static WordMatcher> {
    laptop_flow("nato-secret", "mission-restricted")?
        .content
        .words
        .as_deref()
}

/// The marking phrases of the embedded policies, built once.
fn phrases() -> &'static MarkingPhrases {
    static PHRASES: std::sync::OnceLock<Option<MarkingPhrases>> = std::sync::OnceLock::new();
    let built = PHRASES.get_or_init(|| {
        super::embedded_policies().and_then(|policies| MarkingPhrases::new(policies).ok())
    });
    let Some(phrases) = built.as_ref() else {
        panic!("the embedded policies' marking phrases do not build");
    };
    phrases
}

/// The checks of an object that `guard.inspect_content` ran, under the fuzz label (NATO
/// RESTRICTED, `tests/data/guard/labels/restricted-nato.xml`), on a flow that
/// takes JSON or not: when its `markings` check passed, the naive reading of `object` finds
/// no marking above the label (nor one that cannot be compared with it); otherwise it
/// panics, naming the marking.
pub fn check_markings(object: &[u8], checks: &[ContentCheck], takes_json: bool) {
    check_content(object, checks, takes_json, None);
}

/// The checks of an object that `guard.inspect_content` ran on a flow with forbidden
/// `words`, that takes JSON or not: when its `words` check passed, the naive reading of
/// `object` holds none of them; else it panics, naming the phrase.
pub fn check_words(object: &[u8], checks: &[ContentCheck], takes_json: bool, words: &WordMatcher) {
    let passed = checks
        .iter()
        .any(|c| c.name == "words" && c.outcome.is_ok());
    if let (true, Some(detected)) = (passed, detected(checks)) {
        let read = Reading {
            markings: false,
            words: Some(words),
        };
        read.judge(detected, object, takes_json, "the words check passed");
    }
}

/// Both of the above in one naive reading: what the object's checks passed.
pub(super) fn check_content(
    object: &[u8],
    checks: &[ContentCheck],
    takes_json: bool,
    words: Option<&WordMatcher>,
) {
    let passed = |name: &str| checks.iter().any(|c| c.name == name && c.outcome.is_ok());
    let read = Reading {
        markings: passed("markings"),
        words: words.filter(|_| passed("words")),
    };
    if let Some(detected) = detected(checks) {
        read.judge(detected, object, takes_json, "the checks passed");
    }
}

/// The true type the checks detected.
fn detected(checks: &[ContentCheck]) -> Option<TrueType> {
    checks.iter().find_map(|c| match c.outcome {
        Ok(Finding::Detected(t)) => Some(t),
        _ => None,
    })
}

/// What a naive reading looks for: markings above NATO RESTRICTED (the label of every fuzzed
/// object), forbidden words.
struct Reading<'w> {
    markings: bool,
    words: Option<&'w WordMatcher>,
}

impl Reading<'_> {
    /// The naive reading of `object`, read as `detected` on a flow that takes JSON or not,
    /// holds neither; else it panics, saying `what` happened to the object.
    fn judge(&self, detected: TrueType, object: &[u8], takes_json: bool, what: &str) {
        let markings = phrases();
        let mut list: Vec<Phrase<'_>> = if self.markings {
            markings
                .phrases()
                .map(|text| Phrase {
                    text,
                    spaced: false,
                })
                .collect()
        } else {
            Vec::new()
        };
        let marking_phrases = list.len();
        if let Some(words) = self.words {
            list.extend((0..words.len()).filter_map(|i| {
                Some(Phrase {
                    text: words.phrase(i)?,
                    spaced: words.is_spaced(i)?,
                })
            }));
        }
        if list.is_empty() {
            return;
        }
        let found = naive_found(detected, object, takes_json, &list);
        if found.is_empty() {
            return;
        }
        let (policies, label) = label();
        for found in found {
            let phrase = list.get(found.phrase).map_or("?", |p| p.text);
            let at = format!(
                "at bytes {}..{} of its naive reading",
                found.start, found.end
            );
            if found.phrase >= marking_phrases {
                panic!("{what} on a {detected} object that holds the forbidden {phrase:?} {at}");
            }
            let comparison = markings.compare(
                policies,
                found.phrase,
                label.policy(),
                label.classification(),
            );
            if comparison != Comparison::Within {
                panic!("{what} on a {detected} object that holds {phrase:?} ({comparison:?}) {at}");
            }
        }
    }
}

/// The embedded policies and [`LABEL`], valid.
fn label() -> (
    &'static crate::policy::PolicySet,
    crate::label::ValidLabel<'static>,
) {
    let Some(policies) = super::embedded_policies() else {
        panic!("the embedded policies do not compile");
    };
    let Ok(read) = read_label_xml(LABEL, Strictness::Strict) else {
        panic!("the fuzz label does not read");
    };
    let Ok(label) = validate(
        policies,
        &read.label.body.information,
        Timestamp(1_800_000_000),
        Vec::new(),
    ) else {
        panic!("the fuzz label is not valid");
    };
    (policies, label)
}

/// Every match of `list` in the naive reading of `object`, read as `detected` on a flow that
/// takes JSON or not.
fn naive_found(
    detected: TrueType,
    object: &[u8],
    takes_json: bool,
    list: &[Phrase<'_>],
) -> Vec<crate::inspect::words::WordMatch> {
    let Some(mut segments) = naive_segments(detected, object) else {
        return Vec::new();
    };
    if detected == TrueType::Text && takes_json {
        // A consumer of JSON may read the text as JSON values, one after the other (a bare
        // string, one per line): their strings, decoded, as far as serde_json reads them.
        let values = serde_json::Deserializer::from_slice(object).into_iter::<serde_json::Value>();
        for value in values.map_while(Result::ok) {
            segments.extend(json_strings(&value));
        }
    }
    let pieces: Vec<&[u8]> = segments.iter().map(Vec::as_slice).collect();
    super::words::naive_matches(list, &pieces)
}

/// The pieces a consumer of `object` reads, decoded (`None`: not read naively, e.g. JSON
/// nested deeper than serde_json goes).
fn naive_segments(detected: TrueType, object: &[u8]) -> Option<Vec<Vec<u8>>> {
    match detected {
        TrueType::Text => Some(vec![object.to_vec()]),
        TrueType::Json => {
            let value: serde_json::Value = serde_json::from_slice(object).ok()?;
            let mut out = json_strings(&value);
            // Every name and string in document order, a space between them, as a reader of
            // the whole document sees them (`["TOP", "SECRET"]`): one more piece. (serde_json
            // keeps no order of members; the tokens are crossguard's own, which the
            // `json_differential` target compares with serde_json's reading.)
            let mut joined = Joined(Vec::new());
            let mut json = crate::json::JsonValidator::new(crate::limits::JsonLimits::default());
            json.feed_with(object, &mut joined).ok()?;
            json.finish_with(&mut joined).ok()?;
            out.push(joined.0);
            Some(out)
        }
        TrueType::Xml | TrueType::Label4774 => {
            let mut reader = Reader::new(object);
            let mut out: Vec<Vec<u8>> = Vec::new();
            // The character data and CDATA of the whole document, joined as a consumer reads
            // it (`SEC<!---->RET`, `SEC<b>RET</b>`): one more piece.
            let mut joined: Vec<u8> = Vec::new();
            loop {
                let event = reader.next_event().ok()?;
                if let Some(Event::Text(t) | Event::CData(t)) = &event {
                    joined.extend_from_slice(t.content().as_bytes());
                }
                match event {
                    None => {
                        out.push(joined);
                        return Some(out);
                    }
                    Some(Event::StartTag(tag)) => {
                        for a in tag.attributes() {
                            out.push(a.value().as_bytes().to_vec());
                        }
                        for b in tag.namespace_declarations() {
                            if let Some(id) = b.namespace {
                                out.push(tag.namespaces().name(id).as_bytes().to_vec());
                            }
                        }
                    }
                    Some(Event::Text(t) | Event::CData(t) | Event::Comment(t)) => {
                        match out.last_mut().filter(|_| t.is_continuation()) {
                            Some(last) => last.extend_from_slice(t.content().as_bytes()),
                            None => out.push(t.content().as_bytes().to_vec()),
                        }
                    }
                    Some(Event::ProcessingInstruction(pi)) => {
                        out.push(pi.data().as_bytes().to_vec());
                    }
                    Some(_) => {}
                }
            }
        }
        _ => None,
    }
}

/// The strings of a JSON document, joined.
struct Joined(Vec<u8>);

impl crate::json::Visitor for Joined {
    fn token(&mut self, token: &crate::json::Token<'_>, _: u64) {
        if let crate::json::Token::String(s) | crate::json::Token::Name(s) = token {
            let mut scratch = Vec::new();
            self.0.extend_from_slice(s.value_in(&mut scratch));
            self.0.push(b' ');
        }
    }
}

/// Every member name and string of `value`.
fn json_strings(value: &serde_json::Value) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut pending = vec![value];
    while let Some(v) = pending.pop() {
        match v {
            serde_json::Value::String(s) => out.push(s.as_bytes().to_vec()),
            serde_json::Value::Array(a) => pending.extend(a),
            serde_json::Value::Object(o) => {
                for (name, v) in o {
                    out.push(name.as_bytes().to_vec());
                    pending.push(v);
                }
            }
            _ => {}
        }
    }
    out
}

/// The fuzz data, read a byte at a time (zero once it is used up).
struct Data<'a>(&'a [u8]);

impl Data<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn pick<T: Copy>(&mut self, from: &[T], or: T) -> T {
        let i = usize::from(self.byte())
            .checked_rem(from.len())
            .unwrap_or(0);
        from.get(i).copied().unwrap_or(or)
    }
}

/// How a character is written where the format has references or escapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spelling {
    /// As itself (escaped only where it must be).
    Plain,
    /// A hexadecimal reference (`&#x4E;`) or a `\u` escape.
    Hex,
    /// A decimal reference (`&#78;`) or JSON's short escape where there is one.
    Decimal,
}

#[derive(Clone, Debug)]
enum Atom {
    Char(char, Spelling),
    /// Written as they are, whatever the place (the object may then be invalid).
    Raw(Vec<u8>),
}

/// Where a piece goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// A JSON string, XML character data, a line of text.
    Text,
    /// A JSON member name, an XML namespace name.
    Name,
    /// Nested: a JSON array, an XML element.
    Element,
    /// An XML attribute value.
    Attribute,
    Comment,
    Pi,
    Cdata,
}

const PLACES: [Place; 7] = [
    Place::Text,
    Place::Name,
    Place::Element,
    Place::Attribute,
    Place::Comment,
    Place::Pi,
    Place::Cdata,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Json,
    Xml,
    Text,
    /// Bare JSON strings, one per line (true type calls it text).
    JsonText,
}

/// Words between the markings, some of them the markings' own words.
const FILLER: &[&str] = &[
    "track",
    "NATO",
    "SECRET",
    "TOP",
    "COSMIC",
    "RESTRICTED",
    "(",
    ")",
    "é",
    "ß",
    "&",
    "\"",
    "<",
    "-",
    "x",
    "0",
];

/// White space and separators put where a phrase has a space.
const SEPARATORS: &[&str] = &[
    " ", "  ", "\t", "\n", "\r\n", "\r", "\u{A0}", "\u{3000}", "\u{2028}", "\u{200B}", "_", "-",
];

/// Letters and their look-alikes (Cyrillic, Greek, small capitals, Latin with a stroke).
const LOOK_ALIKES: &[(char, char)] = &[
    ('A', 'А'),
    ('E', 'Е'),
    ('O', 'О'),
    ('C', 'С'),
    ('T', 'Т'),
    ('S', 'Ѕ'),
    ('I', 'І'),
    ('N', 'Ν'),
    ('O', 'Ο'),
    ('T', 'Τ'),
    ('E', 'Ε'),
    ('A', 'ᴀ'),
    ('O', 'Ø'),
    ('R', 'ʀ'),
    ('C', 'ᴄ'),
];

/// A full-width form of an ASCII graphic character.
fn full_width(c: char) -> char {
    match u32::from(c) {
        n @ 0x21..=0x7E => char::from_u32(n.saturating_add(0xFEE0)).unwrap_or(c),
        0x20 => '\u{3000}',
        _ => c,
    }
}

/// A marking phrase, written in the way `style` (and further data) says.
fn phrase_atoms(phrase: &str, style: u8, data: &mut Data<'_>) -> Vec<Atom> {
    let mut chars: Vec<char> = match style & 3 {
        0 => phrase.to_uppercase().chars().collect(),
        1 => phrase.to_lowercase().chars().collect(),
        2 => phrase.chars().collect(),
        _ => phrase
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let s: Vec<char> = if i % 2 == 0 {
                    c.to_lowercase().collect()
                } else {
                    c.to_uppercase().collect()
                };
                s
            })
            .collect(),
    };
    if style & 0x10 != 0 {
        let at = usize::from(data.byte())
            .checked_rem(chars.len().max(1))
            .unwrap_or(0);
        let pick = usize::from(data.byte());
        if let Some(slot) = chars.get_mut(at) {
            let letter = slot.to_ascii_uppercase();
            let options: Vec<char> = LOOK_ALIKES
                .iter()
                .filter(|(a, _)| *a == letter)
                .map(|&(_, b)| b)
                .collect();
            if let Some(&alike) = options.get(pick.checked_rem(options.len().max(1)).unwrap_or(0)) {
                *slot = alike;
            }
        }
    }
    if style & 0x40 != 0 {
        for c in &mut chars {
            *c = full_width(*c);
        }
    }
    let separator = (style & 8 != 0).then(|| data.pick(SEPARATORS, " "));
    let escaped = (style & 4 != 0).then(|| usize::from(data.byte()));
    let spelling = if data.byte() & 1 == 0 {
        Spelling::Hex
    } else {
        Spelling::Decimal
    };
    let mut out = Vec::new();
    if style & 0x20 != 0 {
        let how = data.pick(
            &[Spelling::Plain, Spelling::Hex, Spelling::Decimal],
            Spelling::Plain,
        );
        out.push(Atom::Char('&', how));
    }
    if style & 0x80 != 0 {
        out.push(Atom::Char('\r', Spelling::Plain));
        out.push(Atom::Char('\n', Spelling::Plain));
    }
    let at = escaped.map(|e| e.checked_rem(chars.len().max(1)).unwrap_or(0));
    // A one-word phrase has the separator put between its letters (`N.O.F.O.R.N`).
    let one_word = !chars.iter().any(|&c| c == ' ' || c == '\u{3000}');
    for (i, &c) in chars.iter().enumerate() {
        if let (Some(sep), true, true) = (separator, one_word, i > 0) {
            out.extend(sep.chars().map(|s| Atom::Char(s, Spelling::Plain)));
        }
        match separator {
            Some(sep) if c == ' ' || c == '\u{3000}' => {
                out.extend(sep.chars().map(|s| Atom::Char(s, Spelling::Plain)));
            }
            _ if at == Some(i) => out.push(Atom::Char(c, spelling)),
            _ => out.push(Atom::Char(c, Spelling::Plain)),
        }
    }
    out
}

/// The most bytes `atoms` take once written, in any form and place (and at least their
/// number).
fn cost(atoms: &[Atom]) -> usize {
    atoms
        .iter()
        .map(|atom| match atom {
            // `\uD83D\uDE00`; `&#x1F600;`.
            Atom::Char(_, Spelling::Hex | Spelling::Decimal) => 12,
            // `&quot;`, `\u001B`.
            Atom::Char(c, Spelling::Plain) if c.is_ascii_punctuation() || c.is_ascii_control() => 6,
            Atom::Char(c, Spelling::Plain) => c.len_utf8(),
            // At least one, so that the atoms are bounded too.
            Atom::Raw(raw) => raw.len().max(1),
        })
        .fold(0, usize::saturating_add)
}

/// One piece of the object.
struct Piece {
    place: Place,
    atoms: Vec<Atom>,
}

/// What the data builds: the object's form, and its pieces.
fn build(data: &mut Data<'_>, form: Form) -> Vec<Piece> {
    // The marking phrases, then the release flow's forbidden words.
    let mut texts: Vec<&str> = phrases().phrases().collect();
    if let Some(words) = release_words() {
        texts.extend((0..words.len()).filter_map(|i| words.phrase(i)));
    }
    let mut pieces = vec![Piece {
        place: Place::Text,
        atoms: Vec::new(),
    }];
    // The atoms the last op wrote, for a repeat: where they start in the current piece.
    let mut last_from = 0usize;
    // The written size, at most (an atom's longest spelling).
    let mut size = 0usize;
    while !data.0.is_empty() && size < MAX_GENERATED_BYTES {
        let op = data.byte();
        let Some(piece) = pieces.last_mut() else {
            break;
        };
        let before = piece.atoms.len();
        match op % 8 {
            0 => {
                let place = data.pick(&PLACES, Place::Text);
                let place = match (form, place) {
                    (Form::Text | Form::JsonText, _) => Place::Text,
                    (Form::Json, Place::Comment | Place::Pi | Place::Cdata | Place::Attribute) => {
                        Place::Text
                    }
                    (_, p) => p,
                };
                pieces.push(Piece {
                    place,
                    atoms: Vec::new(),
                });
                last_from = 0;
                continue;
            }
            1..=3 => {
                let phrase = data.pick(&texts, "NATO SECRET");
                let style = data.byte();
                piece.atoms.extend(phrase_atoms(phrase, style, data));
            }
            4 => {
                let word = data.pick(FILLER, "x");
                piece
                    .atoms
                    .extend(word.chars().map(|c| Atom::Char(c, Spelling::Plain)));
            }
            5 => {
                let sep = data.pick(SEPARATORS, " ");
                piece
                    .atoms
                    .extend(sep.chars().map(|c| Atom::Char(c, Spelling::Plain)));
            }
            6 => {
                // A quarter of the repeats are the most (a lane's places for markings).
                let b = data.byte();
                let count = if b >= 0xC0 {
                    MAX_REPEATS
                } else {
                    1usize.checked_shl(u32::from(b % 13)).unwrap_or(1)
                }
                .min(MAX_REPEATS);
                let again: Vec<Atom> = piece.atoms.get(last_from..).unwrap_or_default().to_vec();
                let each = cost(&again).max(1);
                let room = MAX_GENERATED_BYTES.saturating_sub(size);
                let count = count.min(room.checked_div(each).unwrap_or(0));
                for _ in 0..count {
                    piece.atoms.extend(again.iter().cloned());
                }
                size = size.saturating_add(each.saturating_mul(count));
                continue;
            }
            _ => {
                let b = data.byte();
                if b & 0x80 != 0 {
                    let n = usize::from(b & 7);
                    let raw: Vec<u8> = (0..n).map(|_| data.byte()).collect();
                    piece.atoms.push(Atom::Raw(raw));
                } else {
                    let c = char::from(b);
                    let spelling = if b & 1 == 0 {
                        Spelling::Hex
                    } else {
                        Spelling::Decimal
                    };
                    piece.atoms.push(Atom::Char(c, spelling));
                }
            }
        }
        last_from = before;
        size = size.saturating_add(cost(piece.atoms.get(before..).unwrap_or_default()));
    }
    pieces
}

/// Writes `c` inside a JSON string.
fn json_char(c: char, spelling: Spelling, out: &mut String) {
    let short = match c {
        '"' => Some("\\\""),
        '\\' => Some("\\\\"),
        '\n' => Some("\\n"),
        '\r' => Some("\\r"),
        '\t' => Some("\\t"),
        '/' if spelling == Spelling::Decimal => Some("\\/"),
        _ => None,
    };
    let escape = spelling == Spelling::Hex || (short.is_none() && spelling == Spelling::Decimal);
    if escape || (short.is_none() && u32::from(c) < 0x20) {
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            out.push_str(&format!("\\u{unit:04X}"));
        }
    } else if let Some(short) = short {
        out.push_str(short);
    } else {
        out.push(c);
    }
}

/// Writes `c` in XML character data (`attribute`: in a quoted attribute value).
fn xml_char(c: char, spelling: Spelling, attribute: bool, out: &mut String) {
    match (c, spelling) {
        (_, Spelling::Hex) => out.push_str(&format!("&#x{:X};", u32::from(c))),
        (_, Spelling::Decimal) => out.push_str(&format!("&#{};", u32::from(c))),
        ('&', _) => out.push_str("&amp;"),
        ('<', _) => out.push_str("&lt;"),
        ('"', _) if attribute => out.push_str("&quot;"),
        _ => out.push(c),
    }
}

/// The object the pieces make, written in `form`.
fn write(pieces: &[Piece], form: Form) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    let mut s = String::new();
    let atoms = |piece: &Piece,
                 s: &mut String,
                 out: &mut Vec<u8>,
                 each: &dyn Fn(char, Spelling, &mut String)| {
        for atom in &piece.atoms {
            match atom {
                Atom::Char(c, spelling) => each(*c, *spelling, s),
                Atom::Raw(raw) => {
                    out.extend_from_slice(s.as_bytes());
                    s.clear();
                    out.extend_from_slice(raw);
                }
            }
        }
    };
    match form {
        Form::Text => {
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    s.push('\n');
                }
                atoms(piece, &mut s, &mut out, &|c, _, s| s.push(c));
            }
        }
        Form::JsonText => {
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    s.push('\n');
                }
                s.push('"');
                atoms(piece, &mut s, &mut out, &|c, sp, s| json_char(c, sp, s));
                s.push('"');
            }
        }
        Form::Json => {
            s.push('[');
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                let (open, close) = match piece.place {
                    Place::Name => ("{\"", "\":null}"),
                    Place::Element => ("[\"", "\"]"),
                    _ => ("\"", "\""),
                };
                s.push_str(open);
                atoms(piece, &mut s, &mut out, &|c, sp, s| json_char(c, sp, s));
                s.push_str(close);
            }
            s.push(']');
        }
        Form::Xml => {
            s.push_str("<r>");
            for piece in pieces {
                let (open, close, attribute, references) = match piece.place {
                    Place::Text => ("", "", false, true),
                    Place::Element => ("<e>", "</e>", false, true),
                    Place::Attribute => ("<e a=\"", "\"/>", true, true),
                    Place::Name => ("<e xmlns:p=\"", "\"/>", true, true),
                    Place::Comment => ("<!--", "-->", false, false),
                    Place::Pi => ("<?p ", "?>", false, false),
                    Place::Cdata => ("<![CDATA[", "]]>", false, false),
                };
                s.push_str(open);
                if references {
                    atoms(piece, &mut s, &mut out, &|c, sp, s| {
                        xml_char(c, sp, attribute, s)
                    });
                } else {
                    atoms(piece, &mut s, &mut out, &|c, _, s| s.push(c));
                }
                s.push_str(close);
            }
            s.push_str("</r>");
        }
    }
    out.extend_from_slice(s.as_bytes());
    out
}

/// Objects built from the fuzz data (see the module) through the two flows of the embedded
/// laptop guard that inspect markings, under a NATO RESTRICTED label: never a panic; when
/// the `markings` check passes, no marking above the label in the naive reading; and on the
/// release flow, whose `cdr` rebuilds what crosses, none in an object released nor in the
/// rebuilt object that crosses.
///
/// **Input format:** the first byte chooses the flow (bit 0), the form (bits 1–2: JSON, XML,
/// text, bare JSON strings one per line) and whether the type is declared (bit 3); the rest is a list of ops, each a
/// byte and its arguments: a new piece, a marking phrase and how it is written, a filler
/// word, a separator, a repeat of the last op's atoms (up to 4 096 times), one character as
/// a reference or escape, or raw bytes.
pub fn guard_markings(data: &[u8]) {
    let (head, form, object) = generate(data);
    inspect_markings(head, form, &object);
}

/// The object [`guard_markings`] builds from `data` (for tests and for reading a crash).
pub fn guard_markings_object(data: &[u8]) -> Vec<u8> {
    generate(data).2
}

/// The head byte, the form and the object built from `data`.
fn generate(data: &[u8]) -> (u8, Form, Vec<u8>) {
    let mut data = Data(data);
    let head = data.byte();
    let form = match (head >> 1) & 3 {
        0 => Form::Json,
        1 => Form::Xml,
        2 => Form::Text,
        _ => Form::JsonText,
    };
    let pieces = build(&mut data, form);
    (head, form, write(&pieces, form))
}

/// Inspects `object` (written in `form`) on the flow `head` chooses, then checks the verdict
/// of its markings check against the naive reading; on the release flow, which rebuilds
/// what it releases, the whole decision too, and the released object.
fn inspect_markings(head: u8, form: Form, object: &[u8]) {
    let Some((guard, sink)) = super::laptop_guard() else {
        panic!("the embedded guard does not build");
    };
    let release = head & 1 == 1;
    let (from, to) = if release {
        ("nato-secret", "mission-restricted")
    } else {
        ("mission-restricted", "nato-secret")
    };
    let declared = (head & 8 != 0).then_some(match form {
        Form::Json => "application/json",
        Form::Xml => "application/xml",
        Form::Text | Form::JsonText => "text/plain",
    });
    let transfer = |label: &'static [u8]| {
        let t = Transfer::new(from, to, bytes::Bytes::copy_from_slice(object))
            .with_label(LabelInput::Bytes(bytes::Bytes::from_static(label)));
        match declared {
            Some(declared) => t.with_type(declared),
            None => t,
        }
    };
    let Ok(checks) = guard.inspect_content(&transfer(LABEL)) else {
        panic!("the flow {from} -> {to} is not configured");
    };
    // The import flow takes JSON; the release flow, text and XML, and has forbidden words.
    let words = if release {
        let Some(words) = release_words() else {
            panic!("the release flow has no forbidden words");
        };
        Some(words)
    } else {
        None
    };
    check_content(object, &checks, !release, words);
    if !release {
        return;
    }
    // Released under a NATO RESTRICTED label the release rules accept: neither the object
    // nor what crosses (rebuilt) holds a marking above it or a forbidden word.
    let verdict = guard.check_at(transfer(RELEASABLE), Timestamp(1_800_000_000));
    // Keep memory bounded: the sink's lines are dropped after each input.
    let _ = sink.drain();
    let Verdict::Release(released) = verdict else {
        return;
    };
    let read = Reading {
        markings: true,
        words,
    };
    let passed = |name: &str| checks.iter().any(|c| c.name == name && c.outcome.is_ok());
    if !(passed("markings") && passed("words")) {
        // Judged above when both passed (the label differs, not its classification).
        let Some(detected) = detected(&checks) else {
            panic!("released an object whose true type was not detected");
        };
        read.judge(detected, object, false, "the guard released");
    }
    let rebuilt = crate::inspect::detect::detect(&released.object);
    read.judge(
        rebuilt,
        &released.object,
        false,
        "the guard released, rebuilt,",
    );
}
