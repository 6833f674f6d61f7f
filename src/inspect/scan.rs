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

use super::detect::TrueType;
use super::words::{WordMatch, WordMatcher, WordScanner};
use crate::json::{JsonValidator, Token, Visitor};
use crate::limits::{JsonLimits, XmlLimits};
use crate::xml::Event;

/// Most pieces whose input offsets are remembered to place a match (when there are this many,
/// the older half is forgotten, and a match in them is placed at the oldest remembered piece:
/// only a match spanning more than half this many pieces is placed late, after its start).
/// Pieces no later match can start in are forgotten after each batch, so the record holds
/// the pieces of the last batch and of the text the scanners keep, far fewer than this.
pub const MAX_SCAN_PIECES_REMEMBERED: usize = 32 * 1024;

/// Pieces are gathered (with their separating spaces) into a batch of about this many bytes
/// before the scanners read them: one scanner call per batch instead of two per JSON string.
const BATCH_BYTES: usize = 16 * 1024;

/// A phrase found in an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// Index of the phrase in its matcher.
    pub phrase: usize,
    /// Byte offset in the object where the match starts (see the module docs for JSON and XML).
    pub offset: u64,
}

/// Where each fed piece came from (16 bytes: one is recorded for every JSON string).
#[derive(Clone, Copy)]
struct Piece {
    /// Offset of the piece in the fed stream.
    fed: u64,
    /// Offset in the object of its first byte, with [`EXACT`] when the fed bytes map one to
    /// one onto the object's bytes (no escapes or references).
    origin: u64,
}

/// The bit of [`Piece::origin`] that says the piece is exact (no object reaches 2^63 bytes).
const EXACT: u64 = 1 << 63;

impl Piece {
    fn new(fed: u64, origin: u64, exact: bool) -> Self {
        Self {
            fed,
            origin: (origin & !EXACT) | if exact { EXACT } else { 0 },
        }
    }

    fn origin(self) -> u64 {
        self.origin & !EXACT
    }

    fn exact(self) -> bool {
        self.origin & EXACT != 0
    }
}

/// The phrases of one list in a matcher, and how many matches of them may be found: a
/// matcher [combined](WordMatcher::combined) from several lists scans a text once for all of
/// them, each list with its own most matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lane {
    /// Phrases in the list (the matcher's next so many).
    pub phrases: usize,
    /// Most matches kept (at least one), different ones: a phrase found again at the same
    /// offset (several matches in one string written with escapes, which are all placed at
    /// its start) is kept once, so that a lane cut at `max` holds `max` different matches.
    pub max: usize,
}

/// What one lane found.
struct LaneFound {
    /// Matches in finding order, repeats among them until [`LaneFound::settle`] drops them.
    found: Vec<Found>,
    max: usize,
    /// Its first phrase in the matcher, and one past its last.
    first: usize,
    end: usize,
    /// It holds `max` different matches: it takes no more.
    full: bool,
}

impl LaneFound {
    /// Sorts the matches by place and drops repeats (one phrase placed twice at one offset:
    /// several matches in a string written with escapes are all placed at its start); full
    /// once `max` different ones remain, cut to those. Repeats never fill a lane: a lane cut
    /// at `max` holds `max` different matches, so that a caller refusing at `max` (the
    /// guard's `too-many-markings`) refuses whatever was not kept.
    fn settle(&mut self) {
        self.found.sort_unstable_by_key(|f| (f.offset, f.phrase));
        self.found.dedup();
        if self.found.len() >= self.max {
            self.found.truncate(self.max);
            self.full = true;
        }
    }
}

/// One matcher's scan: its scanner and its lanes.
struct Group<'m> {
    scanner: WordScanner<'m>,
    lanes: Vec<LaneFound>,
    /// Every lane has found all it may.
    done: bool,
}

impl Group<'_> {
    /// Takes match `m` into its lane; whether a lane may still find.
    /// `hint`: the piece the last match was placed in (see [`place`]).
    fn take(lanes: &mut [LaneFound], pieces: &[Piece], m: &WordMatch, hint: &mut usize) -> bool {
        if let Some(lane) = lanes
            .iter_mut()
            .find(|l| (l.first..l.end).contains(&m.phrase))
        {
            if !lane.full {
                let mut found = place(pieces, m, hint);
                found.phrase = m.phrase.saturating_sub(lane.first);
                lane.found.push(found);
                // Repeats are dropped every `max` matches or so (the lane holds at most
                // twice `max`).
                if lane.found.len() >= lane.max.saturating_mul(2) {
                    lane.settle();
                }
            }
        }
        lanes.iter().any(|l| !l.full)
    }
}

/// Feeds pieces to one or more scanners in one pass, and places their matches in the object.
struct Feeder<'m> {
    groups: Vec<Group<'m>>,
    /// Bytes handed to the scanners so far.
    fed: u64,
    /// Bytes gathered for the next batch.
    pending: Vec<u8>,
    /// In feeding order: those of the batch being gathered, after those kept from before.
    pieces: Vec<Piece>,
    /// Pieces kept when the last batch was read (the rest were added since).
    kept: usize,
    /// Every scanner has found all it may (kept as the scanners find, asked for every piece).
    full: bool,
}

/// Places match `m` in the object: in the last piece starting at or before it (pieces are
/// in feeding order). That piece is looked for first at `hint` and the one after it (matches
/// come in order, mostly a few pieces apart), and `hint` is left at it.
fn place(pieces: &[Piece], m: &WordMatch, hint: &mut usize) -> Found {
    let holds = |i: usize| {
        pieces.get(i).is_some_and(|p| p.fed <= m.start)
            && pieces
                .get(i.saturating_add(1))
                .is_none_or(|p| p.fed > m.start)
    };
    let at = if holds(*hint) {
        *hint
    } else if holds(hint.saturating_add(1)) {
        hint.saturating_add(1)
    } else {
        pieces
            .partition_point(|p| p.fed <= m.start)
            .saturating_sub(1)
    };
    *hint = at;
    let piece = pieces.get(at).or_else(|| pieces.first());
    let offset = match piece {
        Some(&p) if p.exact() => p.origin().saturating_add(m.start.saturating_sub(p.fed)),
        Some(&p) => p.origin(),
        None => m.start,
    };
    Found {
        phrase: m.phrase,
        offset,
    }
}

fn len64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Each matcher as one lane.
fn single_lanes<'m>(matchers: &[(&'m WordMatcher, usize)]) -> Vec<(&'m WordMatcher, Vec<Lane>)> {
    matchers
        .iter()
        .map(|&(m, max)| {
            (
                m,
                vec![Lane {
                    phrases: m.len(),
                    max,
                }],
            )
        })
        .collect()
}

impl<'m> Feeder<'m> {
    fn new(groups: &[(&'m WordMatcher, Vec<Lane>)]) -> Self {
        let groups: Vec<Group<'m>> = groups
            .iter()
            .map(|(m, lanes)| {
                let mut first = 0usize;
                let lanes: Vec<LaneFound> = lanes
                    .iter()
                    .map(|lane| {
                        let end = first.saturating_add(lane.phrases);
                        let out = LaneFound {
                            found: Vec::new(),
                            max: lane.max.max(1),
                            first,
                            end,
                            full: false,
                        };
                        first = end;
                        out
                    })
                    .collect();
                Group {
                    scanner: m.scanner(),
                    done: lanes.is_empty(),
                    lanes,
                }
            })
            .collect();
        Self {
            full: groups.iter().all(|g| g.done),
            groups,
            fed: 0,
            pending: Vec::new(),
            pieces: Vec::new(),
            kept: 0,
        }
    }

    /// Every scanner has found all it may.
    fn full(&self) -> bool {
        self.full
    }

    #[inline(always)]
    fn feed(&mut self, bytes: &[u8], origin: u64, exact: bool) {
        self.feed_piece(bytes, origin, exact, true);
    }

    /// Feeds a piece after the previous one, with a space between them when `separate`.
    #[inline(always)]
    fn feed_piece(&mut self, bytes: &[u8], origin: u64, exact: bool, separate: bool) {
        if self.full() || bytes.is_empty() {
            return;
        }
        if separate && !self.pieces.is_empty() {
            self.pending.push(b' ');
        }
        if self.pieces.len() >= MAX_SCAN_PIECES_REMEMBERED {
            self.forget_older_half();
        }
        let fed = self.fed.saturating_add(len64(self.pending.len()));
        self.pieces.push(Piece::new(fed, origin, exact));
        if bytes.len() >= BATCH_BYTES {
            // A large piece (a text) is read in place, not copied.
            self.flush();
            self.scan(bytes);
            return;
        }
        self.pending.extend_from_slice(bytes);
        let recent = self.pieces.len().saturating_sub(self.kept);
        if self.pending.len() >= BATCH_BYTES || recent >= MAX_SCAN_PIECES_REMEMBERED / 2 {
            self.flush();
        }
    }

    /// Forgets the older half of the pieces remembered (reached only when the scanners keep
    /// text that far back: a phrase begun before thousands of pieces that hold no word
    /// character, such as zero-width spaces, which normalisation drops).
    #[cold]
    fn forget_older_half(&mut self) {
        let half = self.pieces.len() / 2;
        self.pieces.drain(..half);
        self.kept = self.kept.saturating_sub(half);
    }

    /// Hands the gathered batch to the scanners.
    #[inline(never)]
    fn flush(&mut self) {
        let pending = core::mem::take(&mut self.pending);
        self.scan(&pending);
        self.pending = pending;
        self.pending.clear();
    }

    fn scan(&mut self, bytes: &[u8]) {
        self.kept = self.pieces.len();
        if bytes.is_empty() {
            return;
        }
        let pieces = &self.pieces;
        for group in &mut self.groups {
            if group.done {
                continue;
            }
            let Group {
                scanner,
                lanes,
                done,
            } = group;
            let mut hint = 0usize;
            scanner.feed(bytes, &mut |m| {
                let more = Group::take(lanes, pieces, &m, &mut hint);
                *done = !more;
                more
            });
        }
        self.full = self.groups.iter().all(|g| g.done);
        self.fed = self.fed.saturating_add(len64(bytes.len()));
        // Forget the pieces no later match can start in: keep the last one starting at or
        // before the earliest start any scanner that may still find can report, and those
        // after it (a JSON document of 64 KiB is some 4 000 pieces; the record no longer
        // grows with them).
        let earliest = self
            .groups
            .iter()
            .filter(|g| !g.done)
            .map(|g| g.scanner.earliest_start())
            .min()
            .unwrap_or(self.fed);
        let before = self.pieces.partition_point(|p| p.fed <= earliest);
        self.pieces.drain(..before.saturating_sub(1));
        self.kept = self.pieces.len();
    }

    /// What each lane found, lane by lane, group by group.
    fn finish(mut self) -> Vec<Vec<Found>> {
        self.flush();
        let pieces = self.pieces;
        self.groups
            .into_iter()
            .flat_map(|group| {
                let Group {
                    scanner,
                    mut lanes,
                    done,
                } = group;
                if !done {
                    let mut hint = 0usize;
                    scanner.finish(&mut |m| Group::take(&mut lanes, &pieces, &m, &mut hint));
                }
                lanes.into_iter().map(|mut lane| {
                    lane.settle();
                    lane.found
                })
            })
            .collect()
    }
}

/// JSON strings (names and values) to the feeder, and every token to an optional second
/// visitor (a schema), in the same pass.
struct JsonPieces<'f, 'm, 'v, V: Visitor + ?Sized> {
    feeder: &'f mut Feeder<'m>,
    also: Option<&'v mut V>,
    /// Escaped strings are rebuilt here.
    scratch: Vec<u8>,
}

impl<V: Visitor + ?Sized> Visitor for JsonPieces<'_, '_, '_, V> {
    fn wants_strings(&self) -> bool {
        !self.feeder.full() || self.also.as_ref().is_some_and(|v| v.wants_strings())
    }

    // Inlined where the JSON validator calls it: the token is then built where it is read,
    // not stored field by field and copied whole (a stalled load on every token).
    #[inline(always)]
    fn token(&mut self, token: &Token<'_>, offset: u64) {
        if let (Token::Name(s) | Token::String(s), false) = (token, self.feeder.full()) {
            // The token's offset is its opening quote.
            let origin = offset.saturating_add(1);
            let exact = !s.has_escapes();
            self.feeder
                .feed(s.value_in(&mut self.scratch), origin, exact);
        }
        if let Some(v) = self.also.as_deref_mut() {
            v.token(token, offset);
        }
    }
}

/// Why an object could not be scanned: it is not valid in its type. For JSON, the validator's
/// error (the same the format inspector reports).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanError {
    /// The JSON document is not valid.
    Json(crate::json::JsonError),
    /// The XML document is not well-formed.
    Xml(crate::xml::XmlError),
    /// The type has no reader for words.
    Unreadable(TrueType),
}

impl core::fmt::Display for ScanError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Json(e) => write!(f, "{e}"),
            Self::Xml(e) => write!(f, "{e}"),
            Self::Unreadable(t) => write!(f, "{t} has no reader for words"),
        }
    }
}

/// Finds `matcher`'s phrases in what a person reads in `object`, of true type `t` (text,
/// JSON, XML or a 4774 label; any other type is an error). At most `max` different matches
/// (a phrase found twice at one offset counts once: see [`Lane::max`]), in order of offset.
pub fn scan_object(
    matcher: &WordMatcher,
    t: TrueType,
    object: &[u8],
    max: usize,
) -> Result<Vec<Found>, ScanError> {
    scan_object_with(&[(matcher, max)], t, object, None)
        .map(|mut lanes| lanes.pop().unwrap_or_default())
}

/// Runs several matchers (each with its own most matches) over what a person reads in
/// `object` in one pass, and, for JSON, hands every token to `also` in the same pass (a
/// schema). One list of matches per matcher, in order of offset.
pub fn scan_object_with(
    matchers: &[(&WordMatcher, usize)],
    t: TrueType,
    object: &[u8],
    also: Option<&mut dyn Visitor>,
) -> Result<Vec<Vec<Found>>, ScanError> {
    scan_object_lanes(&single_lanes(matchers), t, object, also)
}

/// [`scan_object_with`] for matchers whose phrases are split into [`Lane`]s (a matcher
/// [combined](WordMatcher::combined) from several lists, read once for all): one list of
/// matches per lane, lane by lane, matcher by matcher, each match numbered within its lane.
/// `also` may be a `dyn Visitor` or, to spare a call through a pointer per token, the
/// visitor's own type.
pub fn scan_object_lanes<V: Visitor + ?Sized>(
    matchers: &[(&WordMatcher, Vec<Lane>)],
    t: TrueType,
    object: &[u8],
    also: Option<&mut V>,
) -> Result<Vec<Vec<Found>>, ScanError> {
    if matches!(t, TrueType::Xml | TrueType::Label4774) {
        // Three views, each matched: every piece of content apart (character data,
        // attribute values, comments, PIs), the character data alone joined as a consumer
        // reads it (`SEC<!---->RET`, `SEC<![CDATA[RET]]>` and `SEC<b>RET</b>` read
        // `SECRET`, which the rebuild without comments would also write), and the element
        // and attribute names (apart from the content, so they never split a phrase). The
        // whole document is the stream's one chunk.
        return scan_xml_lanes(matchers, core::iter::once(object));
    }
    let mut feeder = Feeder::new(matchers);
    match t {
        TrueType::Text => feeder.feed(object, 0, true),
        TrueType::Json => {
            let limits = JsonLimits {
                max_input_bytes: u64::MAX,
                ..JsonLimits::default()
            };
            let mut validator = JsonValidator::new(limits);
            // Room for a batch (or for the whole document's strings, when smaller) at once,
            // not grown by doubling.
            feeder.pending.reserve(object.len().min(BATCH_BYTES));
            let mut pieces = JsonPieces {
                feeder: &mut feeder,
                also,
                scratch: Vec::new(),
            };
            validator
                .feed_with(object, &mut pieces)
                .and_then(|()| validator.finish_with(&mut pieces))
                .map_err(ScanError::Json)?;
        }
        other => return Err(ScanError::Unreadable(other)),
    }
    Ok(feeder.finish())
}

/// Finds each matcher's phrases in an XML document (or a 4774 label) that arrives in
/// `chunks`, in memory bounded by the XML limits whatever its size: the same matches, at the
/// same offsets, as [`scan_object_with`] on the whole document, however it is cut.
pub fn scan_xml_stream<'c>(
    matchers: &[(&WordMatcher, usize)],
    chunks: impl IntoIterator<Item = &'c [u8]>,
) -> Result<Vec<Vec<Found>>, ScanError> {
    scan_xml_lanes(&single_lanes(matchers), chunks)
}

/// [`scan_xml_stream`] for matchers split into [`Lane`]s, as [`scan_object_lanes`].
pub fn scan_xml_lanes<'c>(
    matchers: &[(&WordMatcher, Vec<Lane>)],
    chunks: impl IntoIterator<Item = &'c [u8]>,
) -> Result<Vec<Vec<Found>>, ScanError> {
    let mut apart = Feeder::new(matchers);
    let mut joined = Feeder::new(matchers);
    let mut names = Feeder::new(matchers);
    read_xml_chunks(chunks, &mut apart, &mut joined, &mut names)?;
    let maxima = matchers
        .iter()
        .flat_map(|(_, lanes)| lanes.iter().map(|l| l.max));
    Ok(apart
        .finish()
        .into_iter()
        .zip(joined.finish())
        .zip(names.finish())
        .zip(maxima)
        .map(|(((mut a, b), c), max)| {
            a.extend(b);
            a.extend(c);
            a.sort_by_key(|f| (f.offset, f.phrase));
            a.dedup();
            a.truncate(max.max(1));
            a
        })
        .collect())
}

/// Feeds an XML document that arrives in `chunks`, driven by the streaming reader: its pieces
/// of content to `apart` (each piece separated), its character data to `joined` (run
/// together) and its element and attribute names to `names`.
///
/// Content arrives in pieces (a long text is cut at chunk boundaries), so each piece is fed
/// in segments that place a match the same way however the document was cut: runs of bytes
/// written as they read (exact), and each reference or line end alone (placed at its first
/// byte). The first segment of a text, comment or CDATA section is separated from what came
/// before; the rest continue it.
fn read_xml_chunks<'c>(
    chunks: impl IntoIterator<Item = &'c [u8]>,
    apart: &mut Feeder<'_>,
    joined: &mut Feeder<'_>,
    names: &mut Feeder<'_>,
) -> Result<(), ScanError> {
    use core::ops::ControlFlow;

    let limits = XmlLimits {
        max_input_bytes: usize::MAX,
        ..XmlLimits::default()
    };
    let mut stream = crate::xml::XmlStream::new(limits);
    let at = |o: usize| u64::try_from(o).unwrap_or(u64::MAX);
    let mut visit = |event: Event<'_, '_>| {
        let piece = match &event {
            Event::Text(t) | Event::CData(t) | Event::Comment(t) => Some(t.is_continuation()),
            _ => None,
        };
        let character_data = matches!(event, Event::Text(_));
        // As a reader's caller stops pulling events: at a new event, not inside one.
        if piece != Some(true) && apart.full() && joined.full() && names.full() {
            return ControlFlow::Break(());
        }
        match event {
            Event::StartTag(tag) => {
                // A name is read as written, prefix and colon included (`<NO:FORN>` reads
                // `NO:FORN`, a spaced phrase); an element's name follows its `<`.
                let name = tag.name();
                let name_at = tag.offset().saturating_add(1);
                names.feed(name.as_str().as_bytes(), at(name_at), true);
                for a in tag.attributes() {
                    names.feed(a.name().as_str().as_bytes(), at(a.offset()), true);
                    let exact = a.value().len() == a.raw_value().len();
                    apart.feed(a.value().as_bytes(), at(a.value_offset()), exact);
                }
                // Namespace declarations are attributes too: the prefix declared is a name,
                // the namespace name a value (both placed at the tag: the reader keeps no
                // offset for them).
                for d in tag.namespace_declarations() {
                    names.feed(d.prefix.as_bytes(), at(tag.offset()), false);
                    if let Some(id) = d.namespace {
                        let namespace = tag.namespaces().name(id);
                        apart.feed(namespace.as_bytes(), at(tag.offset()), false);
                    }
                }
            }
            Event::Text(text) | Event::CData(text) => {
                // Character data resolves references; a CDATA section's `&` is an `&`.
                let references = character_data;
                let mut separate = !text.is_continuation();
                xml_segments(&text, references, |bytes, origin, exact| {
                    apart.feed_piece(bytes, origin, exact, separate);
                    joined.feed_piece(bytes, origin, exact, false);
                    separate = false;
                });
            }
            Event::Comment(text) => {
                let mut separate = !text.is_continuation();
                xml_segments(&text, false, |bytes, origin, exact| {
                    apart.feed_piece(bytes, origin, exact, separate);
                    separate = false;
                });
            }
            Event::ProcessingInstruction(pi) => {
                // The target follows the `<?`; the data, which may have been rebuilt (line
                // ends), is placed at the `<?`.
                let target_at = at(pi.offset().saturating_add(2));
                apart.feed(pi.target().as_bytes(), target_at, true);
                apart.feed(pi.data().as_bytes(), at(pi.offset()), false);
            }
            _ => {}
        }
        ControlFlow::Continue(())
    };
    for chunk in chunks {
        stream
            .feed_with(chunk, &mut visit)
            .map_err(ScanError::Xml)?;
    }
    stream.finish_with(&mut visit).map_err(ScanError::Xml)?;
    Ok(())
}

/// Cuts a piece of XML content into segments for the scanners: `each(bytes, origin, exact)`
/// for runs of bytes as written, and for each reference (when `references`: character data
/// resolves them, comments and CDATA sections do not) or line end (CR LF or CR, read as LF)
/// the character it reads as, placed at its first byte. Empty segments are skipped.
fn xml_segments(
    text: &crate::xml::Text<'_>,
    references: bool,
    mut each: impl FnMut(&[u8], u64, bool),
) {
    let raw = text.raw().as_bytes();
    let content = text.content().as_bytes();
    let origin = |i: usize| u64::try_from(text.offset().saturating_add(i)).unwrap_or(u64::MAX);
    if raw.len() == content.len() {
        if !content.is_empty() {
            each(content, origin(0), true);
        }
        return;
    }
    let special = |rest: &[u8]| {
        if references {
            memchr::memchr2(b'&', b'\r', rest)
        } else {
            memchr::memchr(b'\r', rest)
        }
    };
    let (mut i, mut k) = (0usize, 0usize);
    while i < raw.len() {
        let next =
            special(raw.get(i..).unwrap_or_default()).map_or(raw.len(), |n| i.saturating_add(n));
        let plain = next.saturating_sub(i);
        if plain > 0 {
            each(
                content.get(k..k.saturating_add(plain)).unwrap_or_default(),
                origin(i),
                true,
            );
            k = k.saturating_add(plain);
        }
        let (used, read) = match raw.get(next) {
            Some(b'&') => {
                let used = memchr::memchr(b';', raw.get(next..).unwrap_or_default())
                    .map_or(raw.len().saturating_sub(next), |n| n.saturating_add(1));
                let read = match content.get(k) {
                    Some(0xF0..=0xFF) => 4,
                    Some(0xE0..=0xEF) => 3,
                    Some(0xC0..=0xDF) => 2,
                    _ => 1,
                };
                (used, read)
            }
            Some(_) => (
                if raw.get(next.saturating_add(1)) == Some(&b'\n') {
                    2
                } else {
                    1
                },
                1,
            ),
            None => break,
        };
        each(
            content.get(k..k.saturating_add(read)).unwrap_or_default(),
            origin(next),
            false,
        );
        k = k.saturating_add(read);
        i = next.saturating_add(used);
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::*;
    use crate::inspect::words::Phrase;

    /// Pieces without a word character are forgotten too, with a spaced phrase (whose
    /// scanner keeps word characters, of which there are none).
    #[test]
    fn pieces_without_words_are_forgotten() {
        let spaced = WordMatcher::new(&[Phrase::spaced("noforn")]).unwrap();
        let mut feeder = Feeder::new(&single_lanes(&[(&spaced, 10)]));
        for k in 0..40_000u64 {
            feeder.feed(b"!", k * 4, true);
            assert!(feeder.pieces.len() < 20_000, "{k}: {}", feeder.pieces.len());
        }
        feeder.feed(b"n o f o r n", 200_000, true);
        assert_eq!(
            feeder.finish(),
            [vec![Found {
                phrase: 0,
                offset: 200_000
            }]]
        );
    }

    /// A spaced phrase begun before tens of thousands of pieces without a word character
    /// (zero-width spaces, which it may skip): the record of pieces stays within its most,
    /// forgetting its older half when full, and the match is still found, placed at the
    /// oldest piece remembered (as documented), not lost.
    #[test]
    fn a_match_begun_before_the_pieces_remembered_is_placed_at_the_oldest() {
        let spaced = WordMatcher::new(&[Phrase::spaced("noforn")]).unwrap();
        let mut feeder = Feeder::new(&single_lanes(&[(&spaced, 10)]));
        feeder.feed(b"n", 0, true);
        let mut most = 0;
        for k in 1..40_000u64 {
            feeder.feed("\u{200B}".as_bytes(), k * 4, true);
            most = most.max(feeder.pieces.len());
        }
        feeder.feed(b"oforn", 200_000, true);
        assert_eq!(most, MAX_SCAN_PIECES_REMEMBERED);
        // Pieces 0 to MAX/2 - 1 were forgotten once the record was full.
        let oldest = u64::try_from(MAX_SCAN_PIECES_REMEMBERED / 2).unwrap() * 4;
        assert_eq!(
            feeder.finish(),
            [vec![Found {
                phrase: 0,
                offset: oldest
            }]]
        );
    }

    /// A matcher combined from two, split into two lanes, finds in an object what the two
    /// find apart, each lane numbered from 0 and held to its own most matches (a phrase in
    /// both lists is found for each): text, JSON and XML, with and without caps.
    #[test]
    fn combined_lanes_find_what_the_matchers_find_apart() {
        let words = WordMatcher::new(&[
            Phrase::plain("top secret"),
            Phrase::spaced("noforn"),
            Phrase::plain("eyes only"),
        ])
        .unwrap();
        let marks = WordMatcher::new(&[
            Phrase::plain("secret"),
            Phrase::plain("top secret"),
            Phrase::plain("(ns)"),
        ])
        .unwrap();
        let both = WordMatcher::combined(&[&words, &marks]).unwrap();
        let objects: [(TrueType, &str); 3] = [
            (
                TrueType::Text,
                "TOP SECRET n.o.f.o.r.n (NS) eyes  only; secret, top\nsecret (ns) NOFORN",
            ),
            (
                TrueType::Json,
                r#"{"a": "TOP", "b": ["SECRET", "n.o", "forn"], "(NS)": "eyes only \u0053ECRET"}"#,
            ),
            (
                TrueType::Xml,
                "<r a='top secret'>n.o.f<b>o.r.n</b> (NS) <!-- eyes only --> SEC<i/>RET</r>",
            ),
        ];
        let mut total = 0;
        for (t, object) in objects {
            for (max_words, max_marks) in [(100, 100), (1, 2), (2, 1)] {
                let apart = scan_object_with(
                    &[(&words, max_words), (&marks, max_marks)],
                    t,
                    object.as_bytes(),
                    None,
                )
                .unwrap();
                let lanes = vec![
                    Lane {
                        phrases: words.len(),
                        max: max_words,
                    },
                    Lane {
                        phrases: marks.len(),
                        max: max_marks,
                    },
                ];
                let together = scan_object_lanes(
                    &[(&both, lanes)],
                    t,
                    object.as_bytes(),
                    None::<&mut dyn Visitor>,
                )
                .unwrap();
                assert_eq!(together, apart, "{t} {object} {max_words} {max_marks}");
                total += apart.iter().map(Vec::len).sum::<usize>();
            }
        }
        assert!(total > 30, "{total}");
    }

    /// Pieces forgotten after each batch change nothing: read as one batch per piece (every
    /// piece may be forgotten as soon as it was scanned) and as one batch in all, the same
    /// matches are found and placed, for plain and spaced phrases spread over pieces.
    #[test]
    fn forgetting_pieces_changes_no_placement() {
        let plain =
            WordMatcher::new(&[Phrase::plain("top secret"), Phrase::plain("eyes only")]).unwrap();
        let spaced = WordMatcher::new(&[Phrase::spaced("noforn")]).unwrap();
        let words = [
            "top",
            "secret",
            "n",
            "o.f",
            "o r",
            "n",
            "no",
            "forn",
            "x y",
            "eyes",
            "only",
            "é",
            "TOP SECRET",
            "n.o.f.o.r.n",
        ];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut totals = [0usize; 2];
        for _ in 0..200 {
            let mut pieces = Vec::new();
            for _ in 0..60 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                pieces.push(words[usize::try_from(x % 14).unwrap()]);
            }
            // A spaced phrase spread over four pieces, reaching back further than the plain
            // text a scanner keeps.
            let at = usize::try_from(x % 50).unwrap();
            pieces.splice(at..at, ["n", "o....f", "o....r", "n"]);
            let run = |flush_each: bool| {
                let mut feeder = Feeder::new(&single_lanes(&[(&plain, 1000), (&spaced, 1000)]));
                if flush_each {
                    // Scanners that search and let go of text every few bytes, so that
                    // pieces are forgotten as early as they can be.
                    for (group, m) in feeder.groups.iter_mut().zip([&plain, &spaced]) {
                        group.scanner = m.scanner_with_rounds(4);
                    }
                }
                let mut origin = 0u64;
                for (k, p) in pieces.iter().enumerate() {
                    // Every third piece is placed as escaped (at its start only).
                    feeder.feed(p.as_bytes(), origin, k % 3 != 0);
                    if flush_each {
                        feeder.flush();
                    }
                    origin += 100;
                }
                feeder.finish()
            };
            let apart = run(true);
            assert_eq!(apart, run(false), "{pieces:?}");
            for (total, lane) in totals.iter_mut().zip(&apart) {
                *total += lane.len();
            }
        }
        // Both kinds of phrase were found often enough for the comparison to mean something.
        assert!(totals.iter().all(|&t| t > 100), "{totals:?}");
    }
}
