//! Runs a [`WordMatcher`] over what a person reads in an object: the whole of a text, the
//! string values and member names of a JSON document (unescaped), the character data,
//! attribute values, comments and processing instructions of an XML document (with
//! references resolved).
//!
//! Pieces are fed one after another with one space between them, so that markup cannot split a
//! phrase: `TOP <b>SECRET</b>`, `<a>TOP</a><b>SECRET</b>` and `["TOP", "SECRET"]` all read
//! "top secret". Each match is reported at the byte offset of the input where it starts: exact
//! within a text, and within a JSON string or XML text written without escapes or references;
//! otherwise the offset of the string or text that holds the match's start.

use std::collections::VecDeque;

use super::detect::TrueType;
use super::words::{WordMatch, WordMatcher};
use crate::json::{JsonValidator, Token, Visitor};
use crate::limits::{JsonLimits, XmlLimits};
use crate::xml::{Event, Reader};

/// Most pieces whose input offsets are remembered to place a match (older pieces are placed at
/// the oldest remembered one: only a match spanning more pieces than this is placed early).
pub const MAX_SCAN_PIECES_REMEMBERED: usize = 1024;

/// A phrase found in an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// Index of the phrase in its matcher.
    pub phrase: usize,
    /// Byte offset in the object where the match starts (see the module docs for JSON and XML).
    pub offset: u64,
}

/// Where each fed piece came from.
#[derive(Clone, Copy)]
struct Piece {
    /// Offset of the piece in the fed stream.
    fed: u64,
    /// Offset in the object of its first byte.
    origin: u64,
    /// Fed bytes map one to one onto the object's bytes (no escapes or references).
    exact: bool,
}

/// Feeds pieces to a scanner and places its matches in the object.
struct Feeder<'m> {
    scanner: super::words::WordScanner<'m>,
    fed: u64,
    pieces: VecDeque<Piece>,
    found: Vec<Found>,
    max: usize,
}

impl<'m> Feeder<'m> {
    fn new(matcher: &'m WordMatcher, max: usize) -> Self {
        Self {
            scanner: matcher.scanner(),
            fed: 0,
            pieces: VecDeque::new(),
            found: Vec::new(),
            max,
        }
    }

    fn full(&self) -> bool {
        self.found.len() >= self.max
    }

    /// Places a match reported by the scanner.
    fn place(pieces: &VecDeque<Piece>, m: &WordMatch) -> Found {
        let piece = pieces
            .iter()
            .rev()
            .find(|p| p.fed <= m.start)
            .or_else(|| pieces.front());
        let offset = match piece {
            Some(p) if p.exact => p.origin.saturating_add(m.start.saturating_sub(p.fed)),
            Some(p) => p.origin,
            None => m.start,
        };
        Found {
            phrase: m.phrase,
            offset,
        }
    }

    fn feed(&mut self, bytes: &[u8], origin: u64, exact: bool) {
        if self.full() || bytes.is_empty() {
            return;
        }
        if !self.pieces.is_empty() {
            self.push(b" ");
        }
        if self.pieces.len() >= MAX_SCAN_PIECES_REMEMBERED {
            self.pieces.pop_front();
        }
        self.pieces.push_back(Piece {
            fed: self.fed,
            origin,
            exact,
        });
        self.push(bytes);
    }

    fn push(&mut self, bytes: &[u8]) {
        let Self {
            scanner,
            pieces,
            found,
            max,
            ..
        } = self;
        scanner.feed(bytes, &mut |m| {
            found.push(Self::place(pieces, &m));
            found.len() < *max
        });
        self.fed = self
            .fed
            .saturating_add(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
    }

    fn finish(self) -> Vec<Found> {
        let Self {
            scanner,
            pieces,
            mut found,
            max,
            ..
        } = self;
        if found.len() < max {
            scanner.finish(&mut |m| {
                found.push(Self::place(&pieces, &m));
                found.len() < max
            });
        }
        found.sort_by_key(|f| (f.offset, f.phrase));
        found
    }
}

/// JSON strings (names and values) to the feeder.
struct JsonPieces<'f, 'm> {
    feeder: &'f mut Feeder<'m>,
}

impl Visitor for JsonPieces<'_, '_> {
    fn wants_strings(&self) -> bool {
        !self.feeder.full()
    }

    fn token(&mut self, token: Token<'_>, offset: u64) {
        if let Token::Name(s) | Token::String(s) = token {
            // The token's offset is its opening quote.
            let origin = offset.saturating_add(1);
            let exact = !s.has_escapes();
            let value = s.value();
            self.feeder.feed(value.as_bytes(), origin, exact);
        }
    }
}

/// Why an object could not be scanned (it is not valid in its type: the format inspector,
/// which runs first, normally refuses it before).
pub type ScanError = String;

/// Finds `matcher`'s phrases in what a person reads in `object`, of true type `t` (text,
/// JSON, XML or a 4774 label; any other type is an error). At most `max` matches, in order of
/// offset.
pub fn scan_object(
    matcher: &WordMatcher,
    t: TrueType,
    object: &[u8],
    max: usize,
) -> Result<Vec<Found>, ScanError> {
    let mut feeder = Feeder::new(matcher, max.max(1));
    match t {
        TrueType::Text => feeder.feed(object, 0, true),
        TrueType::Json => {
            let limits = JsonLimits {
                max_input_bytes: u64::MAX,
                ..JsonLimits::default()
            };
            let mut validator = JsonValidator::new(limits);
            let mut pieces = JsonPieces {
                feeder: &mut feeder,
            };
            validator
                .feed_with(object, &mut pieces)
                .and_then(|()| validator.finish_with(&mut pieces))
                .map_err(|e| e.to_string())?;
        }
        TrueType::Xml | TrueType::Label4774 => {
            let limits = XmlLimits {
                max_input_bytes: usize::MAX,
                ..XmlLimits::default()
            };
            let mut reader = Reader::with_limits(object, limits);
            while let Some(event) = reader.next_event().map_err(|e| e.to_string())? {
                if feeder.full() {
                    break;
                }
                let at = |o: usize| u64::try_from(o).unwrap_or(u64::MAX);
                match event {
                    Event::StartTag(tag) => {
                        for a in tag.attributes() {
                            let exact = a.value().len() == a.raw_value().len();
                            // The value starts after `name="`.
                            let origin = object
                                .get(a.offset()..)
                                .and_then(|rest| memchr::memchr2(b'"', b'\'', rest))
                                .map_or(a.offset(), |q| {
                                    a.offset().saturating_add(q).saturating_add(1)
                                });
                            feeder.feed(a.value().as_bytes(), at(origin), exact);
                        }
                    }
                    Event::Text(text) | Event::CData(text) | Event::Comment(text) => {
                        let exact = text.content().len() == text.raw().len();
                        feeder.feed(text.content().as_bytes(), at(text.offset()), exact);
                    }
                    Event::ProcessingInstruction(pi) => {
                        feeder.feed(pi.target().as_bytes(), at(pi.offset()), false);
                        feeder.feed(pi.data().as_bytes(), at(pi.offset()), false);
                    }
                    Event::Declaration(_) | Event::EndTag(_) => {}
                }
            }
        }
        other => return Err(format!("{other} has no reader for words")),
    }
    Ok(feeder.finish())
}
