//! The validator: a resumable state machine over chunks of bytes.
//!
//! Every byte is looked at once, in order; the state between two chunks is this struct, so a
//! document of any size is validated in memory bounded by the limits (the open containers, the
//! member names of the objects still open, and one string or number that spans chunks).
//! Tokens are handed to a [`Visitor`] as they complete, borrowing from the chunk when the token
//! lies within it (zero-copy) and from the validator's carry buffer when it spans chunks.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;

use super::error::{JsonError, JsonErrorKind, JsonLimit};
use super::number;
use crate::limits::JsonLimits;
use crate::swar;

/// One token of a document, in document order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// `{`.
    StartObject,
    /// `}`.
    EndObject,
    /// `[`.
    StartArray,
    /// `]`.
    EndArray,
    /// A member name.
    Name(JsonStr<'a>),
    /// A string value.
    String(JsonStr<'a>),
    /// A number, as written (valid under RFC 8259 and the I-JSON rules).
    Number(JsonNumber<'a>),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// A number as written: ASCII, valid under RFC 8259 and the I-JSON rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonNumber<'a>(&'a [u8]);

impl<'a> JsonNumber<'a> {
    /// The number's text.
    pub fn as_str(&self) -> &'a str {
        // Never the default: a number's bytes are ASCII.
        core::str::from_utf8(self.0).unwrap_or_default()
    }

    /// The number's text as bytes ([`JsonNumber::as_str`] without the check that makes it
    /// `&str`).
    pub(crate) fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// Whether it is written without a fraction or an exponent (an integer, whatever its
    /// size).
    pub fn is_written_integer(&self) -> bool {
        !self.0.iter().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// Its value as the nearest double (exact for integers within ±(2^53-1)).
    pub fn to_f64(&self) -> f64 {
        if let Some(value) = exact_f64(self.0) {
            return value;
        }
        self.as_str().parse().unwrap_or(f64::NAN)
    }
}

/// Powers of ten that are exact doubles.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A number of at most 15 digits whose decimal exponent (after moving the point) is within
/// ±22, computed rather than parsed: its digits and the power of ten are exact doubles, so one
/// multiplication or division, rounded once, gives the nearest double — what parsing gives
/// (Clinger's fast path). `None` for any other number, which is parsed.
fn exact_f64(lexeme: &[u8]) -> Option<f64> {
    let (negative, rest) = match lexeme.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, lexeme),
    };
    let mut mantissa = 0u64;
    let mut digits = 0u32;
    let mut scale = 0i32;
    let mut point = false;
    let mut i = 0usize;
    while let Some(&b) = rest.get(i) {
        match b {
            b'0'..=b'9' => {
                if digits >= 15 {
                    return None;
                }
                mantissa = mantissa
                    .wrapping_mul(10)
                    .wrapping_add(u64::from(b.wrapping_sub(b'0')));
                digits = digits.wrapping_add(1);
                if point {
                    scale = scale.wrapping_sub(1);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i = i.saturating_add(1);
    }
    if digits == 0 {
        return None;
    }
    let mut exponent = 0i32;
    if let Some(b'e' | b'E') = rest.get(i) {
        i = i.saturating_add(1);
        let negative_exponent = rest.get(i) == Some(&b'-');
        if let Some(b'+' | b'-') = rest.get(i) {
            i = i.saturating_add(1);
        }
        let mut count = 0u32;
        while let Some(&d @ b'0'..=b'9') = rest.get(i) {
            if count >= 4 {
                return None;
            }
            exponent = exponent
                .wrapping_mul(10)
                .wrapping_add(i32::from(d.wrapping_sub(b'0')));
            count = count.wrapping_add(1);
            i = i.saturating_add(1);
        }
        if count == 0 {
            return None;
        }
        if negative_exponent {
            exponent = exponent.wrapping_neg();
        }
    }
    if i != rest.len() {
        return None;
    }
    // Below 10^15 < 2^50: both halves are exact, and so is their sum.
    let high = u32::try_from(mantissa >> 32).ok()?;
    let low = u32::try_from(mantissa & 0xFFFF_FFFF).ok()?;
    let magnitude = f64::from(high) * 4_294_967_296.0 + f64::from(low);
    let e10 = exponent.wrapping_add(scale);
    let power = *EXACT_POWERS_OF_TEN.get(usize::try_from(e10.unsigned_abs()).ok()?)?;
    let value = if e10 >= 0 {
        magnitude * power
    } else {
        magnitude / power
    };
    Some(if negative { -value } else { value })
}

/// A string as written between its quotes: valid UTF-8 with valid escapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonStr<'a> {
    /// Validated UTF-8 (checked byte by byte as it was read); turned into `&str` on demand, so
    /// a visitor that does not look at a string pays nothing for it.
    raw: &'a [u8],
    escaped: bool,
}

impl<'a> JsonStr<'a> {
    /// The text between the quotes, escapes as written.
    pub fn raw(&self) -> &'a str {
        // Never the default: the bytes were validated as UTF-8 while read.
        core::str::from_utf8(self.raw).unwrap_or_default()
    }

    /// The text between the quotes, escapes as written, as bytes: [`JsonStr::raw`] without
    /// the check that makes it `&str` (for callers that compare or copy bytes).
    pub(crate) fn raw_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// Whether it holds a backslash escape (then [`JsonStr::value`] copies).
    pub fn has_escapes(&self) -> bool {
        self.escaped
    }

    /// The string's value as UTF-8 bytes (no second UTF-8 check: the validator checked it as
    /// it read): borrowed when there is no escape, else rebuilt in `scratch`, which is reused
    /// rather than allocated for each string.
    pub fn value_in<'s>(&self, scratch: &'s mut Vec<u8>) -> &'s [u8]
    where
        'a: 's,
    {
        if !self.escaped {
            return self.raw;
        }
        scratch.clear();
        self.append_value(scratch);
        scratch
    }

    /// Appends the string's value as UTF-8 bytes to `out`.
    pub(crate) fn append_value(&self, out: &mut Vec<u8>) {
        if self.escaped {
            unescape_into(self.raw, out);
        } else {
            out.extend_from_slice(self.raw);
        }
    }

    /// The string's value: borrowed when there is no escape, rebuilt otherwise.
    pub fn value(&self) -> Cow<'a, str> {
        if !self.escaped {
            return Cow::Borrowed(self.raw());
        }
        let mut out = Vec::with_capacity(self.raw.len());
        unescape_into(self.raw, &mut out);
        match String::from_utf8(out) {
            Ok(s) => Cow::Owned(s),
            // Not reachable for a validated string; the raw text is the safe answer.
            Err(_) => Cow::Borrowed(self.raw()),
        }
    }
}

/// Receives tokens as the validator completes them.
pub trait Visitor {
    /// Whether string values are wanted. When `false`, a string value that spans chunks is
    /// not kept, and its token is delivered with an empty [`JsonStr`] (member names are always
    /// kept, to find duplicates). Every token is delivered either way.
    fn wants_strings(&self) -> bool {
        true
    }

    /// One token, at `offset` (the byte offset of its first byte). Lent, not given: a
    /// visitor that hands it on (to a schema, say) passes the same reference, where a token
    /// given by value was copied whole from where the validator had just written it field by
    /// field (a load the store buffer cannot serve, stalled on every token).
    fn token(&mut self, token: &Token<'_>, offset: u64);
}

/// A visitor that ignores every token (plain validation).
#[derive(Clone, Copy, Debug, Default)]
pub struct Ignore;

impl Visitor for Ignore {
    fn wants_strings(&self) -> bool {
        false
    }
    fn token(&mut self, _: &Token<'_>, _: u64) {}
}

/// What a validated document held.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsonStats {
    /// Bytes read.
    pub bytes: u64,
    /// Values (scalars, arrays and objects; member names not counted).
    pub values: u64,
    /// Deepest nesting reached.
    pub max_depth: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Before the top-level value.
    Start,
    /// A value is needed.
    Value,
    /// After `[`: a value or `]`.
    ArrayFirst,
    /// After `{`: a name or `}`.
    ObjectFirst,
    /// After `,` in an object: a name.
    Name,
    /// After a name: `:`.
    Colon,
    /// After a value: `,` or the container's end (or the end of input at the top).
    AfterValue,
    /// After the top-level value: only whitespace.
    Done,
    /// Inside a string.
    Str,
    /// Inside a number.
    Num,
    /// Inside `true`, `false` or `null`.
    Lit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escape {
    None,
    Backslash,
    /// `\u` and `digits` hex digits of `value`; `high` is a pending high surrogate.
    Hex {
        digits: u8,
        value: u32,
        high: Option<u32>,
    },
    /// After a high surrogate escape: its low pair's `\` must follow.
    PairBackslash(u32),
    /// After a high surrogate escape and `\`: `u` must follow.
    PairU(u32),
}

/// A multi-byte UTF-8 sequence in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Utf8 {
    /// Continuation bytes still needed.
    need: u8,
    /// Range of the next byte (narrower for the first continuation of E0, ED, F0, F4).
    lower: u8,
    upper: u8,
    code_point: u32,
    /// Offset of the lead byte in the document (where a noncharacter is reported).
    lead_at: u64,
}

#[derive(Clone, Debug)]
struct Frame {
    object: bool,
    /// Members (objects) or elements (arrays) started so far.
    count: usize,
    /// Index in `names` of this object's first name.
    names_start: usize,
    /// What the held names counted when this container opened (restored when it closes).
    held_start: usize,
    /// Built once an object has many members: name hash → index of the latest name with it.
    index: Option<HashMap<u64, usize>>,
    /// The object's names as a two-bit Bloom filter over their prefix and length: a name whose
    /// bits are not all set is new without comparing it with any other.
    seen: u128,
}

#[derive(Clone, Copy, Debug)]
struct NameEntry {
    start: usize,
    len: usize,
    /// The first eight bytes (zero-padded): most distinct names differ there, so a scan
    /// compares one integer before any bytes.
    prefix: u64,
    hash: u64,
    /// Index + 1 of the previous name of the same object with the same hash (0: none).
    previous: usize,
}

/// Where a value read whole is: an object member's value, an array element, or either (or
/// the top-level value).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Member,
    Element,
    Any,
}

/// How a pointer writes the innermost container's segment.
#[derive(Clone, Copy)]
enum Innermost<'n> {
    /// Its current element or member.
    Current,
    /// The next one, about to start: an array's next index; none for an object.
    Next,
    /// This member name.
    Name(&'n [u8]),
}

/// Objects with more members than this find duplicates through a hash index.
const LINEAR_MEMBERS: usize = 24;

/// What each held name costs against `max_name_bytes` beyond its length: its entry, so that
/// many short names are bounded too.
pub(crate) const NAME_OVERHEAD: usize = 8;

impl NameEntry {
    /// The name's (unescaped) bytes: from the entry for up to eight bytes, else the arena.
    fn bytes<'s>(&self, arena: &'s [u8], inline: &'s mut [u8; 8]) -> &'s [u8] {
        if self.len <= 8 {
            *inline = self.prefix.to_le_bytes();
            return inline.get(..self.len).unwrap_or_default();
        }
        arena
            .get(self.start..self.start.saturating_add(self.len))
            .unwrap_or_default()
    }
}

/// A streaming validator of one JSON document (RFC 8259, and I-JSON, RFC 7493).
///
/// ```
/// use crossguard::json::{JsonValidator, JsonErrorKind};
/// let mut v = JsonValidator::new(Default::default());
/// v.feed(br#"{"a": [1, 2"#)?;
/// v.feed(br#", 3], "b": "x"}"#)?;
/// assert_eq!(v.finish()?.values, 6);
///
/// let mut v = JsonValidator::new(Default::default());
/// let err = v.feed(br#"{"a": 1, "a": 2}"#).unwrap_err();
/// assert_eq!(err.code(), "duplicate-name");
/// assert_eq!((err.offset(), err.pointer()), (9, "/a"));
/// # Ok::<(), crossguard::json::JsonError>(())
/// ```
#[derive(Clone, Debug)]
pub struct JsonValidator {
    limits: JsonLimits,
    /// The members an object may have for a new name to be recorded without comparison:
    /// fewer than [`LINEAR_MEMBERS`] (no index yet) and than the member limit.
    fast_members: usize,
    state: State,
    frames: Vec<Frame>,
    names: Vec<NameEntry>,
    /// Bytes of the held names longer than eight bytes (shorter ones live in their entry).
    arena: Vec<u8>,
    /// What the held names count against `max_name_bytes`: length + [`NAME_OVERHEAD`] each.
    held: usize,
    hasher: RandomState,
    /// Bytes before the current chunk.
    base: u64,
    line: u64,
    /// Offset of the current line's first byte.
    line_start: u64,
    /// Characters of the current line in chunks before the current one.
    column_base: u64,
    /// The column of the token in progress, once it began in an earlier chunk.
    token_column: u64,
    after_cr: bool,
    /// The token in progress: its first byte's offset, and whether its bytes are kept.
    token_start: u64,
    keep: bool,
    /// Bytes of a token that began in an earlier chunk (kept tokens only).
    carry: Vec<u8>,
    /// The current string: a name?, escaped?, raw length so far, escape and UTF-8 state.
    name: bool,
    escaped: bool,
    raw_len: usize,
    escape: Escape,
    utf8: Option<Utf8>,
    literal: &'static [u8],
    matched: usize,
    values: u64,
    max_depth: usize,
    failed: Option<JsonError>,
}

impl JsonValidator {
    /// A validator for one document under `limits`.
    pub fn new(limits: JsonLimits) -> Self {
        Self {
            limits,
            fast_members: limits.max_members.min(LINEAR_MEMBERS.saturating_sub(1)),
            state: State::Start,
            frames: Vec::new(),
            names: Vec::new(),
            arena: Vec::new(),
            held: 0,
            hasher: RandomState::new(),
            base: 0,
            line: 1,
            line_start: 0,
            column_base: 0,
            token_column: 1,
            after_cr: false,
            token_start: 0,
            keep: false,
            carry: Vec::new(),
            name: false,
            escaped: false,
            raw_len: 0,
            escape: Escape::None,
            utf8: None,
            literal: b"",
            matched: 0,
            values: 0,
            max_depth: 0,
            failed: None,
        }
    }

    /// Reads the next chunk. After an error, every call returns that error.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), JsonError> {
        self.feed_with(chunk, &mut Ignore)
    }

    /// Reads the next chunk, handing completed tokens to `visitor`.
    pub fn feed_with<V: Visitor + ?Sized>(
        &mut self,
        chunk: &[u8],
        visitor: &mut V,
    ) -> Result<(), JsonError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let result = self.run(chunk, visitor);
        if let Err(e) = &result {
            self.failed = Some(e.clone());
        }
        result
    }

    /// Ends the document: the top-level value must be complete.
    pub fn finish(&mut self) -> Result<JsonStats, JsonError> {
        self.finish_with(&mut Ignore)
    }

    /// [`JsonValidator::finish`], handing a final number token to `visitor`.
    pub fn finish_with<V: Visitor + ?Sized>(
        &mut self,
        visitor: &mut V,
    ) -> Result<JsonStats, JsonError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let result = self.end(visitor);
        if let Err(e) = &result {
            self.failed = Some(e.clone());
        }
        result
    }

    fn end<V: Visitor + ?Sized>(&mut self, visitor: &mut V) -> Result<JsonStats, JsonError> {
        let at = self.base;
        if self.state == State::Num {
            let carry = core::mem::take(&mut self.carry);
            self.number_done(&carry, visitor, &[])?;
            self.carry = carry;
            self.carry.clear();
        }
        let expected = match self.state {
            State::Done => {
                return Ok(JsonStats {
                    bytes: self.base,
                    values: self.values,
                    max_depth: self.max_depth,
                })
            }
            State::Start | State::Value => "a value",
            State::ArrayFirst => "a value or ']'",
            State::ObjectFirst => "a member name or '}'",
            State::Name => "a member name",
            State::Colon => "':'",
            State::AfterValue => "',' or the end of the container",
            State::Str => "the end of the string",
            State::Num => "the rest of the number",
            State::Lit => "the rest of the literal",
        };
        Err(self.error_at(JsonErrorKind::UnexpectedEof { expected }, at, &[]))
    }

    /// The error of exceeding `limit`, at `at`.
    #[cold]
    fn limit_error(&self, limit: JsonLimit, at: u64, chunk: &[u8]) -> JsonError {
        let l = &self.limits;
        let as_u64 = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        let max = match limit {
            JsonLimit::InputBytes => l.max_input_bytes,
            JsonLimit::Depth => as_u64(l.max_depth),
            JsonLimit::StringBytes => as_u64(l.max_string_bytes),
            JsonLimit::NumberBytes => as_u64(l.max_number_bytes),
            JsonLimit::Members => as_u64(l.max_members),
            JsonLimit::NameBytes => as_u64(l.max_name_bytes),
        };
        self.error_at(JsonErrorKind::LimitExceeded { limit, max }, at, chunk)
    }

    /// The error `kind` at absolute offset `at`, which is in `chunk` (or at its end).
    #[cold]
    fn error_at(&self, kind: JsonErrorKind, at: u64, chunk: &[u8]) -> JsonError {
        let (line, _) = self.line_at(at, chunk);
        let column = self.column_at(at, chunk);
        JsonError::new(kind, at, line, column, self.pointer())
    }

    /// The error `kind` at the first byte of a UTF-8 sequence that ends in `chunk`, at
    /// absolute offset `lead`, which may be in an earlier chunk.
    #[cold]
    fn error_at_lead(&self, kind: JsonErrorKind, lead: u64, chunk: &[u8]) -> JsonError {
        if lead >= self.base {
            return self.error_at(kind, lead, chunk);
        }
        // The lead is the last character counted on the line before this chunk (a sequence
        // holds no line break, and its continuation bytes count as no character).
        let (line, _) = self.line_at(self.base, chunk);
        JsonError::new(kind, lead, line, self.column_base, self.pointer())
    }

    /// The line of absolute offset `at` (in `chunk`, at its end, or before it) and the offset
    /// of that line's first byte. Lines are counted here, not as whitespace is skipped: every
    /// line break before a fault is whitespace (strings refuse raw control characters; numbers
    /// and literals hold none), so counting the chunk's breaks up to `at` is exact.
    fn line_at(&self, at: u64, chunk: &[u8]) -> (u64, u64) {
        let relative = usize::try_from(at.saturating_sub(self.base)).unwrap_or(usize::MAX);
        let before = chunk.get(..relative).unwrap_or(chunk);
        let (lines, last, _) = count_breaks(before, self.after_cr);
        let start = last.map_or(self.line_start, |p| self.abs(p));
        (self.line.saturating_add(lines), start)
    }

    /// The 1-based column of absolute offset `at` on the current line (`at` in `chunk`, or a
    /// token start before it, whose column was kept).
    fn column_at(&self, at: u64, chunk: &[u8]) -> u64 {
        let chars = |bytes: &[u8]| u64::try_from(swar::count_chars(bytes)).unwrap_or(0);
        let relative = |o: u64| usize::try_from(o.saturating_sub(self.base)).unwrap_or(usize::MAX);
        if at < self.base {
            // Only a token's start lies before the chunk: its column was kept.
            return self.token_column;
        }
        let (_, line_start) = self.line_at(at, chunk);
        let column = if line_start >= self.base {
            let from = relative(line_start);
            let to = relative(at);
            chars(chunk.get(from..to).unwrap_or_default())
        } else {
            self.column_base
                .saturating_add(chars(chunk.get(..relative(at)).unwrap_or_default()))
        };
        column.saturating_add(1)
    }

    /// The JSON Pointer of the value being read. Where the next element or member is about to
    /// start (after `[`, `{` or `,`), the innermost array's segment is the next index and the
    /// innermost object has none yet (a name is not known until read, as inside a name).
    fn pointer(&self) -> String {
        let innermost = match self.state {
            State::Str if self.name => Innermost::Next,
            State::Name | State::ObjectFirst | State::ArrayFirst => Innermost::Next,
            // After `:` the member's name is known; after `,` in an array, the next element.
            State::Value if self.frames.last().is_some_and(|f| !f.object) => Innermost::Next,
            _ => Innermost::Current,
        };
        self.pointer_with(innermost)
    }

    /// The pointer, with the innermost container's segment as `innermost` says.
    fn pointer_with(&self, innermost: Innermost<'_>) -> String {
        let mut out = String::new();
        let last = self.frames.len().saturating_sub(1);
        for (depth, frame) in self.frames.iter().enumerate() {
            let here = if depth == last {
                innermost
            } else {
                Innermost::Current
            };
            if !frame.object {
                let index = match here {
                    Innermost::Next => Some(frame.count),
                    _ => frame.count.checked_sub(1),
                };
                if let Some(index) = index {
                    out.push('/');
                    out.push_str(&index.to_string());
                }
                continue;
            }
            let end = self.frame_names_end(depth);
            let mut inline = [0u8; 8];
            let recorded = self
                .names
                .get(end.saturating_sub(1))
                .filter(|_| end > frame.names_start)
                .map(|e| e.bytes(&self.arena, &mut inline));
            let name = match here {
                Innermost::Current => recorded,
                Innermost::Next => None,
                Innermost::Name(n) => Some(n),
            };
            let Some(name) = name else { continue };
            out.push('/');
            let name = String::from_utf8_lossy(name);
            for c in crate::xml::excerpt(&name).chars() {
                match c {
                    '~' => out.push_str("~0"),
                    '/' => out.push_str("~1"),
                    c => out.push(c),
                }
            }
        }
        out
    }

    /// One past the index of the last name of the object at `depth`.
    fn frame_names_end(&self, depth: usize) -> usize {
        self.frames
            .get(depth.saturating_add(1))
            .map_or(self.names.len(), |f| f.names_start)
    }

    /// Reads `chunk` up to the input limit; past it, the limit's error (at the limit's offset,
    /// after everything before it was read, so that whole and chunked reading agree).
    fn run<V: Visitor + ?Sized>(&mut self, chunk: &[u8], visitor: &mut V) -> Result<(), JsonError> {
        let room = self.limits.max_input_bytes.saturating_sub(self.base);
        let allowed = usize::try_from(room).map_or(chunk.len(), |r| r.min(chunk.len()));
        let (head, over) = chunk.split_at(allowed);
        self.read(head, visitor)?;
        if over.is_empty() {
            return Ok(());
        }
        let at = self.base;
        Err(self.limit_error(JsonLimit::InputBytes, at, &[]))
    }

    fn read<V: Visitor + ?Sized>(
        &mut self,
        chunk: &[u8],
        visitor: &mut V,
    ) -> Result<(), JsonError> {
        let mut i = 0usize;
        // A token that began in an earlier chunk continues at the start of this one.
        let mut token_begin = 0usize;
        while i < chunk.len() {
            match self.state {
                State::Str => {
                    let done = self.string(chunk, &mut i)?;
                    if let Some(end) = done {
                        self.string_done(chunk, token_begin, end, visitor)?;
                        i = end.saturating_add(1);
                    }
                    continue;
                }
                State::Num => {
                    let run = chunk
                        .get(i..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|&&b| number::is_number_byte(b))
                        .count();
                    let end = i.saturating_add(run);
                    if end >= chunk.len() {
                        i = end;
                        continue;
                    }
                    let tail = chunk.get(token_begin..end).unwrap_or_default();
                    if self.carry.is_empty() {
                        self.number_done(tail, visitor, chunk)?;
                    } else {
                        let mut carry = core::mem::take(&mut self.carry);
                        carry.extend_from_slice(tail);
                        let result = self.number_done(&carry, visitor, chunk);
                        carry.clear();
                        self.carry = carry;
                        result?;
                    }
                    i = end;
                    continue;
                }
                State::Lit => {
                    let b = chunk.get(i).copied().unwrap_or(0);
                    if self.literal.get(self.matched) != Some(&b) {
                        let at = self.abs(i);
                        return Err(self.error_at(JsonErrorKind::InvalidLiteral, at, chunk));
                    }
                    self.matched = self.matched.saturating_add(1);
                    i = i.saturating_add(1);
                    if self.matched == self.literal.len() {
                        let token = match self.literal {
                            b"true" => Token::Bool(true),
                            b"false" => Token::Bool(false),
                            _ => Token::Null,
                        };
                        visitor.token(&token, self.token_start);
                        self.after_value();
                    }
                    continue;
                }
                _ => {}
            }
            // Structural state: whole tokens first, grammar-directed; then what that leaves (a
            // token running past the chunk, a fault) byte by byte, which names any fault.
            i = self.fast(chunk, i, visitor)?;
            i = Self::skip_whitespace(chunk, i);
            let Some(&b) = chunk.get(i) else { break };
            let at = self.abs(i);
            match self.state {
                State::Start | State::Value | State::ArrayFirst => {
                    if b == b']' && self.state == State::ArrayFirst {
                        self.close(false, at, chunk, visitor)?;
                    } else {
                        if self.state == State::Start && at == 0 && b == 0xEF {
                            return Err(self.error_at(JsonErrorKind::ByteOrderMark, at, chunk));
                        }
                        self.begin_value(b, at, chunk, visitor)?;
                        // A string's content starts after its quote; a number's lexeme at
                        // its first byte.
                        token_begin = if self.state == State::Str {
                            i.saturating_add(1)
                        } else {
                            i
                        };
                    }
                }
                State::ObjectFirst | State::Name => match b {
                    b'"' => {
                        self.begin_string(true, at, chunk)?;
                        token_begin = i.saturating_add(1);
                    }
                    b'}' if self.state == State::ObjectFirst => {
                        self.close(true, at, chunk, visitor)?;
                    }
                    _ => {
                        let expected = if self.state == State::Name {
                            "a member name"
                        } else {
                            "a member name or '}'"
                        };
                        return Err(self.unexpected(b, expected, at, chunk));
                    }
                },
                State::Colon => {
                    if b != b':' {
                        return Err(self.unexpected(b, "':'", at, chunk));
                    }
                    self.state = State::Value;
                }
                State::AfterValue => {
                    let object = self.frames.last().map(|f| f.object);
                    match (object, b) {
                        (Some(true), b',') => self.state = State::Name,
                        (Some(false), b',') => self.state = State::Value,
                        (Some(true), b'}') => self.close(true, at, chunk, visitor)?,
                        (Some(false), b']') => self.close(false, at, chunk, visitor)?,
                        (Some(true), _) => return Err(self.unexpected(b, "',' or '}'", at, chunk)),
                        _ => return Err(self.unexpected(b, "',' or ']'", at, chunk)),
                    }
                }
                State::Done => {
                    return Err(self.error_at(JsonErrorKind::TrailingContent, at, chunk));
                }
                State::Str | State::Num | State::Lit => {}
            }
            i = i.wrapping_add(1);
        }
        self.end_of_chunk(chunk, token_begin)
    }

    /// Indices here advance with `wrapping_add`: each is at most the chunk's length plus eight
    /// (a slice's length is at most `isize::MAX`), so none can wrap, and the saturating form
    /// would cost a compare at every step of the hottest loop.
    ///
    /// Reads whole tokens from `i` in a structural state, following the grammar from one token
    /// to the next (a member's name, `:` and value; then `,` or the container's end) instead of
    /// the byte-by-byte machine's steps. It stops, at a token boundary with the state as that
    /// machine would have it, before a token that does not lie whole in `chunk` and before
    /// anything it does not settle (every fault, except those the shared steps name).
    #[inline]
    fn fast<V: Visitor + ?Sized>(
        &mut self,
        chunk: &[u8],
        mut i: usize,
        visitor: &mut V,
    ) -> Result<usize, JsonError> {
        loop {
            i = Self::skip_whitespace(chunk, i);
            let Some(&b) = chunk.get(i) else {
                return Ok(i);
            };
            match self.state {
                State::AfterValue => {
                    let object = self.frames.last().is_some_and(|f| f.object);
                    match (object, b) {
                        (true, b',') => self.state = State::Name,
                        (false, b',') => self.state = State::Value,
                        (true, b'}') | (false, b']') => {
                            let at = self.abs(i);
                            self.close(object, at, chunk, visitor)?;
                        }
                        _ => return Ok(i),
                    }
                    i = i.wrapping_add(1);
                }
                State::ObjectFirst | State::Name => {
                    if b == b'}' && self.state == State::ObjectFirst {
                        let at = self.abs(i);
                        self.close(true, at, chunk, visitor)?;
                        i = i.wrapping_add(1);
                        continue;
                    }
                    // The members of this object, one after another, while each is a name,
                    // `:` and a scalar value; a container value goes on in the outer loop.
                    loop {
                        let Some(next) = self.whole_name(chunk, i, visitor)? else {
                            return Ok(i);
                        };
                        i = Self::skip_whitespace(chunk, next);
                        if chunk.get(i) != Some(&b':') {
                            return Ok(i);
                        }
                        self.state = State::Value;
                        i = Self::skip_whitespace(chunk, i.wrapping_add(1));
                        let Some(&b) = chunk.get(i) else {
                            return Ok(i);
                        };
                        let Some(next) = self.whole_value(b, chunk, i, visitor, Place::Member)?
                        else {
                            return Ok(i);
                        };
                        match self.comma(chunk, next, State::Name) {
                            Ok(after) => i = after,
                            Err(at) => {
                                i = at;
                                break;
                            }
                        }
                    }
                }
                State::Colon => {
                    if b != b':' {
                        return Ok(i);
                    }
                    self.state = State::Value;
                    i = i.wrapping_add(1);
                }
                State::Value | State::ArrayFirst => {
                    if b == b']' && self.state == State::ArrayFirst {
                        let at = self.abs(i);
                        self.close(false, at, chunk, visitor)?;
                        i = i.wrapping_add(1);
                        continue;
                    }
                    let in_array = self.frames.last().is_some_and(|f| !f.object);
                    if !in_array {
                        // The top-level value, or a member's value after a `:` that ended a
                        // chunk.
                        let Some(next) = self.whole_value(b, chunk, i, visitor, Place::Any)? else {
                            return Ok(i);
                        };
                        i = next;
                        continue;
                    }
                    // The elements of this array, one after another, while each is a scalar;
                    // a container element goes on in the outer loop.
                    let mut b = b;
                    loop {
                        let Some(next) = self.whole_value(b, chunk, i, visitor, Place::Element)?
                        else {
                            return Ok(i);
                        };
                        match self.comma(chunk, next, State::Value) {
                            Ok(after) => i = after,
                            Err(at) => {
                                i = at;
                                break;
                            }
                        }
                        let Some(&next) = chunk.get(i) else {
                            return Ok(i);
                        };
                        b = next;
                    }
                }
                _ => return Ok(i),
            }
        }
    }

    /// After a scalar value read whole ending at `i`: the `,` that continues its container
    /// (the state becomes `next`), and the index of the next token; `Err` with the index of
    /// whatever else comes (a container's end, the chunk's end, a fault), the state unchanged.
    #[inline(always)]
    fn comma(&mut self, chunk: &[u8], i: usize, next: State) -> Result<usize, usize> {
        let i = Self::skip_whitespace(chunk, i);
        if self.state != State::AfterValue || chunk.get(i) != Some(&b',') {
            return Err(i);
        }
        self.state = next;
        Ok(Self::skip_whitespace(chunk, i.wrapping_add(1)))
    }

    /// A value starting with `b` at `i` when it lies whole in `chunk` (a container: its opening
    /// byte): read, and the index after it; `None`, untouched, otherwise.
    #[inline(always)]
    fn whole_value<V: Visitor + ?Sized>(
        &mut self,
        b: u8,
        chunk: &[u8],
        i: usize,
        visitor: &mut V,
        place: Place,
    ) -> Result<Option<usize>, JsonError> {
        let at = self.abs(i);
        match b {
            b'"' => {
                let Some((end, escaped)) = self.whole_string(chunk, i) else {
                    return Ok(None);
                };
                let raw = chunk.get(i.wrapping_add(1)..end).unwrap_or_default();
                self.scalar(place);
                visitor.token(&Token::String(JsonStr { raw, escaped }), at);
                self.scalar_done(place);
                Ok(Some(end.wrapping_add(1)))
            }
            b'-' | b'0'..=b'9' => {
                let rest = chunk.get(i..).unwrap_or_default();
                if let Some(run) = number::plain_len(rest) {
                    let lexeme = rest.get(..run).unwrap_or_default();
                    if run <= self.limits.max_number_bytes {
                        self.scalar(place);
                        visitor.token(&Token::Number(JsonNumber(lexeme)), at);
                        self.scalar_done(place);
                        return Ok(Some(i.wrapping_add(run)));
                    }
                }
                let run = rest
                    .iter()
                    .take_while(|&&b| number::is_number_byte(b))
                    .count();
                let lexeme = rest.get(..run).unwrap_or_default();
                // A number running to the chunk's end may go on; a faulty one is named by
                // the byte-by-byte path.
                if run >= rest.len()
                    || run > self.limits.max_number_bytes
                    || number::check(lexeme).is_err()
                {
                    return Ok(None);
                }
                self.scalar(place);
                visitor.token(&Token::Number(JsonNumber(lexeme)), at);
                self.scalar_done(place);
                Ok(Some(i.wrapping_add(run)))
            }
            b't' | b'f' | b'n' => {
                // Compared as fixed-size arrays: no call to a general comparison.
                let rest = chunk.get(i..).unwrap_or_default();
                let (len, token) = match b {
                    b't' if rest.first_chunk::<4>() == Some(b"true") => (4, Token::Bool(true)),
                    b'f' if rest.first_chunk::<5>() == Some(b"false") => (5, Token::Bool(false)),
                    b'n' if rest.first_chunk::<4>() == Some(b"null") => (4, Token::Null),
                    _ => return Ok(None),
                };
                self.scalar(place);
                visitor.token(&token, at);
                self.scalar_done(place);
                Ok(Some(i.wrapping_add(len)))
            }
            b'{' | b'[' => {
                self.begin_value(b, at, chunk, visitor)?;
                Ok(Some(i.wrapping_add(1)))
            }
            _ => Ok(None),
        }
    }

    /// The index of the closing quote of the string whose opening quote is at `i`, and whether
    /// it holds an escape, when it lies whole and valid in `chunk` within the string limit.
    #[inline]
    fn whole_string(&self, chunk: &[u8], i: usize) -> Option<(usize, bool)> {
        if chunk.get(i) != Some(&b'"') {
            return None;
        }
        let from = i.wrapping_add(1);
        let rest = chunk.get(from..).unwrap_or_default();
        let run = plain_run(rest);
        let (run, escaped) = if rest.get(run) == Some(&b'"') {
            (run, false)
        } else {
            checked_string(rest, run)?
        };
        if run > self.limits.max_string_bytes {
            return None;
        }
        Some((from.wrapping_add(run), escaped))
    }

    /// A member name whose opening quote is at `i` when it lies whole in `chunk`: recorded,
    /// delivered, and the index after its closing quote; `None`, untouched, otherwise.
    #[inline]
    fn whole_name<V: Visitor + ?Sized>(
        &mut self,
        chunk: &[u8],
        i: usize,
        visitor: &mut V,
    ) -> Result<Option<usize>, JsonError> {
        if chunk.get(i) != Some(&b'"') {
            return Ok(None);
        }
        let at = self.abs(i);
        let from = i.wrapping_add(1);
        // A plain name of up to eight bytes is read from one word, which is also its prefix;
        // any other name is found by the whole-string check.
        let short = chunk
            .get(from..from.wrapping_add(8))
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .and_then(|word| {
                let word = u64::from_le_bytes(word);
                let len = usize::try_from(string_stops(word).trailing_zeros() / 8).unwrap_or(8);
                let end = from.wrapping_add(len);
                // Within the string limit too (a longer name is refused by the general way).
                (chunk.get(end) == Some(&b'"') && len <= self.limits.max_string_bytes).then(|| {
                    let bits = u32::try_from(len.saturating_mul(8)).unwrap_or(64);
                    let mask = 1u64
                        .checked_shl(bits)
                        .map_or(u64::MAX, |b| b.wrapping_sub(1));
                    (end, word & mask)
                })
            });
        let (end, escaped, prefix) = match short {
            Some((end, prefix)) => (end, false, Some(prefix)),
            None => {
                let Some((end, escaped)) = self.whole_string(chunk, i) else {
                    return Ok(None);
                };
                (end, escaped, None)
            }
        };
        let raw = chunk.get(from..end).unwrap_or_default();
        // Recorded at once when the filter shows it new; every other name, and every fault,
        // the general way (which names the fault), once.
        if escaped || !self.new_name(raw, prefix.unwrap_or_else(|| swar::prefix_word(raw))) {
            self.begin_string(true, at, chunk)?;
            self.escaped = escaped;
            self.add_name(raw, chunk)?;
        }
        visitor.token(&Token::Name(JsonStr { raw, escaped }), at);
        self.state = State::Colon;
        Ok(Some(end.wrapping_add(1)))
    }

    /// Records the unescaped name `raw` (whose first eight bytes are `prefix`) when it settles
    /// without comparison: in a small object whose filter shows it new, within the member and
    /// name limits. `false`, untouched, otherwise.
    #[inline(always)]
    fn new_name(&mut self, raw: &[u8], prefix: u64) -> bool {
        let len = raw.len();
        let held = self.held.saturating_add(len.saturating_add(NAME_OVERHEAD));
        let Some(frame) = self.frames.last_mut() else {
            return false;
        };
        // An object's count is its number of names: below `fast_members`, it is small (no
        // index) and within the member limit.
        if held > self.limits.max_name_bytes || frame.count >= self.fast_members {
            return false;
        }
        let bits = bloom_bits(prefix, len);
        if frame.seen & bits == bits {
            return false;
        }
        frame.seen |= bits;
        frame.count = frame.count.saturating_add(1);
        self.held = held;
        let start = self.arena.len();
        if len > 8 {
            self.arena.extend_from_slice(raw);
        }
        self.names.push(NameEntry {
            start,
            len,
            prefix,
            hash: 0,
            previous: 0,
        });
        true
    }

    /// Keeps what a token in progress needs from this chunk, and the column of the line.
    fn end_of_chunk(&mut self, chunk: &[u8], token_begin: usize) -> Result<(), JsonError> {
        let end = self.abs(chunk.len());
        match self.state {
            State::Str if self.keep => {
                let tail = chunk.get(token_begin..).unwrap_or_default();
                self.carry.extend_from_slice(tail);
            }
            State::Num => {
                let tail = chunk.get(token_begin..).unwrap_or_default();
                if self.carry.len().saturating_add(tail.len()) > self.limits.max_number_bytes {
                    let at = self.token_start;
                    return Err(self.limit_error(JsonLimit::NumberBytes, at, chunk));
                }
                self.carry.extend_from_slice(tail);
            }
            _ => {}
        }
        let chars = |bytes: &[u8]| u64::try_from(swar::count_chars(bytes)).unwrap_or(0);
        if matches!(self.state, State::Str | State::Num | State::Lit)
            && self.token_start >= self.base
        {
            // The token continues in the next chunk; errors may point at its start.
            self.token_column = self.column_at(self.token_start, chunk);
        }
        let (lines, last, after_cr) = count_breaks(chunk, self.after_cr);
        self.line = self.line.saturating_add(lines);
        if let Some(p) = last {
            self.line_start = self.abs(p);
        }
        self.after_cr = after_cr;
        if self.line_start >= self.base {
            let from = usize::try_from(self.line_start.saturating_sub(self.base)).unwrap_or(0);
            self.column_base = chars(chunk.get(from..).unwrap_or_default());
        } else {
            self.column_base = self.column_base.saturating_add(chars(chunk));
        }
        self.base = end;
        Ok(())
    }

    fn abs(&self, i: usize) -> u64 {
        self.base
            .saturating_add(u64::try_from(i).unwrap_or(u64::MAX))
    }

    #[cold]
    fn unexpected(&self, found: u8, expected: &'static str, at: u64, chunk: &[u8]) -> JsonError {
        self.error_at(JsonErrorKind::Unexpected { found, expected }, at, chunk)
    }

    /// Skips JSON whitespace from `i`; returns the first other index (lines are counted once
    /// per chunk, see [`JsonValidator::line_at`]).
    #[inline(always)]
    fn skip_whitespace(chunk: &[u8], mut i: usize) -> usize {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = chunk.get(i) {
            i = i.wrapping_add(1);
        }
        i
    }

    /// Counts a scalar value read whole, where it is (known where the call is inlined).
    #[inline(always)]
    fn scalar(&mut self, place: Place) {
        match place {
            // The member was counted with its name. Cannot wrap: fewer values than bytes.
            Place::Member => self.values = self.values.wrapping_add(1),
            Place::Element => {
                self.values = self.values.wrapping_add(1);
                if let Some(frame) = self.frames.last_mut() {
                    frame.count = frame.count.saturating_add(1);
                }
            }
            Place::Any => self.count_value(),
        }
    }

    /// The state after a scalar read whole.
    #[inline(always)]
    fn scalar_done(&mut self, place: Place) {
        match place {
            Place::Member | Place::Element => self.state = State::AfterValue,
            Place::Any => self.after_value(),
        }
    }

    /// Counts a new value in its container.
    fn count_value(&mut self) {
        self.values = self.values.saturating_add(1);
        if let Some(frame) = self.frames.last_mut() {
            if !frame.object {
                frame.count = frame.count.saturating_add(1);
            }
        }
    }

    fn begin_value<V: Visitor + ?Sized>(
        &mut self,
        b: u8,
        at: u64,
        chunk: &[u8],
        visitor: &mut V,
    ) -> Result<(), JsonError> {
        match b {
            b'{' | b'[' => {
                self.count_value();
                let object = b == b'{';
                if self.frames.len() >= self.limits.max_depth {
                    return Err(self.limit_error(JsonLimit::Depth, at, chunk));
                }
                self.frames.push(Frame {
                    object,
                    count: 0,
                    names_start: self.names.len(),
                    held_start: self.held,
                    index: None,
                    seen: 0,
                });
                self.max_depth = self.max_depth.max(self.frames.len());
                visitor.token(
                    &if object {
                        Token::StartObject
                    } else {
                        Token::StartArray
                    },
                    at,
                );
                self.state = if object {
                    State::ObjectFirst
                } else {
                    State::ArrayFirst
                };
            }
            b'"' => {
                self.count_value();
                self.begin_string(false, at, chunk)?;
                self.keep = visitor.wants_strings();
            }
            b'-' | b'0'..=b'9' => {
                self.count_value();
                self.state = State::Num;
                self.token_start = at;
                self.carry.clear();
            }
            b't' | b'f' | b'n' => {
                self.count_value();
                self.literal = match b {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                self.matched = 1;
                self.token_start = at;
                self.state = State::Lit;
            }
            _ => return Err(self.unexpected(b, "a value", at, chunk)),
        }
        Ok(())
    }

    fn begin_string(&mut self, name: bool, at: u64, chunk: &[u8]) -> Result<(), JsonError> {
        if name {
            let members = self.frames.last().map_or(0, |f| f.count);
            if members >= self.limits.max_members {
                return Err(self.limit_error(JsonLimit::Members, at, chunk));
            }
            if let Some(frame) = self.frames.last_mut() {
                frame.count = frame.count.saturating_add(1);
            }
        }
        self.state = State::Str;
        self.name = name;
        self.keep = name;
        self.escaped = false;
        self.raw_len = 0;
        self.escape = Escape::None;
        self.utf8 = None;
        self.token_start = at;
        self.carry.clear();
        Ok(())
    }

    fn close<V: Visitor + ?Sized>(
        &mut self,
        object: bool,
        at: u64,
        chunk: &[u8],
        visitor: &mut V,
    ) -> Result<(), JsonError> {
        match self.frames.last() {
            Some(f) if f.object == object => {}
            _ => {
                return Err(self.unexpected(if object { b'}' } else { b']' }, "a value", at, chunk))
            }
        }
        if let Some(frame) = self.frames.pop() {
            if frame.object {
                let start = self
                    .names
                    .get(frame.names_start)
                    .map_or(self.arena.len(), |e| e.start);
                self.held = frame.held_start;
                self.names.truncate(frame.names_start);
                self.arena.truncate(start);
            }
        }
        visitor.token(
            &if object {
                Token::EndObject
            } else {
                Token::EndArray
            },
            at,
        );
        self.after_value();
        Ok(())
    }

    fn after_value(&mut self) {
        self.state = if self.frames.is_empty() {
            State::Done
        } else {
            State::AfterValue
        };
    }

    /// Scans string content from `*i`; returns the index of the closing quote when found
    /// (`*i` is then unspecified), or `None` at the end of the chunk (`*i` = its length).
    #[inline]
    fn string(&mut self, chunk: &[u8], i: &mut usize) -> Result<Option<usize>, JsonError> {
        let start = *i;
        let mut j = start;
        let result = loop {
            // Fast path: plain ASCII, no quote, no backslash, no control.
            if self.escape == Escape::None && self.utf8.is_none() {
                j = j.saturating_add(plain_run(chunk.get(j..).unwrap_or_default()));
            }
            // The limit is checked as bytes are read, not only where scanning stops, so that a
            // fault past the limit is never reported instead of it (whole and chunked agree).
            if self.raw_len.saturating_add(j.saturating_sub(start)) > self.limits.max_string_bytes {
                let at = self.token_start;
                return Err(self.limit_error(JsonLimit::StringBytes, at, chunk));
            }
            let Some(&b) = chunk.get(j) else {
                break None;
            };
            let at = self.abs(j);
            if let Some(mut u) = self.utf8 {
                if b < u.lower || b > u.upper {
                    return Err(self.error_at(JsonErrorKind::InvalidUtf8, at, chunk));
                }
                u.code_point = (u.code_point << 6) | u32::from(b & 0x3F);
                u.need = u.need.saturating_sub(1);
                u.lower = 0x80;
                u.upper = 0xBF;
                if u.need == 0 {
                    self.utf8 = None;
                    if is_noncharacter(u.code_point) {
                        // At the character's first byte, like an invalid sequence's.
                        return Err(self.error_at_lead(
                            JsonErrorKind::Noncharacter {
                                code_point: u.code_point,
                            },
                            u.lead_at,
                            chunk,
                        ));
                    }
                } else {
                    self.utf8 = Some(u);
                }
                j = j.saturating_add(1);
                continue;
            }
            match self.escape {
                Escape::None => match b {
                    b'"' => break Some(j),
                    b'\\' => {
                        self.escape = Escape::Backslash;
                        self.escaped = true;
                    }
                    0x00..=0x1F => {
                        return Err(self.error_at(
                            JsonErrorKind::ControlInString {
                                code_point: u32::from(b),
                            },
                            at,
                            chunk,
                        ))
                    }
                    0x80..=0xFF => match utf8_lead(b, at) {
                        Some(u) => self.utf8 = Some(u),
                        None => return Err(self.error_at(JsonErrorKind::InvalidUtf8, at, chunk)),
                    },
                    _ => {}
                },
                Escape::Backslash => {
                    self.escape = match b {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Escape::None,
                        b'u' => Escape::Hex {
                            digits: 0,
                            value: 0,
                            high: None,
                        },
                        _ => return Err(self.error_at(JsonErrorKind::InvalidEscape, at, chunk)),
                    };
                }
                Escape::Hex {
                    digits,
                    value,
                    high,
                } => {
                    let Some(d) = char::from(b).to_digit(16) else {
                        return Err(self.error_at(JsonErrorKind::InvalidEscape, at, chunk));
                    };
                    let value = (value << 4) | d;
                    let digits = digits.saturating_add(1);
                    if digits < 4 {
                        self.escape = Escape::Hex {
                            digits,
                            value,
                            high,
                        };
                    } else {
                        self.escape = self.code_unit(value, high, at, chunk)?;
                    }
                }
                Escape::PairBackslash(high) => {
                    if b != b'\\' {
                        return Err(self.error_at(
                            JsonErrorKind::UnpairedSurrogate { code_unit: high },
                            at,
                            chunk,
                        ));
                    }
                    self.escape = Escape::PairU(high);
                }
                Escape::PairU(high) => {
                    if b != b'u' {
                        return Err(self.error_at(
                            JsonErrorKind::UnpairedSurrogate { code_unit: high },
                            at,
                            chunk,
                        ));
                    }
                    self.escape = Escape::Hex {
                        digits: 0,
                        value: 0,
                        high: Some(high),
                    };
                }
            }
            j = j.saturating_add(1);
        };
        let scanned = result.unwrap_or(chunk.len()).saturating_sub(start);
        self.raw_len = self.raw_len.saturating_add(scanned);
        if self.raw_len > self.limits.max_string_bytes {
            let at = self.token_start;
            return Err(self.limit_error(JsonLimit::StringBytes, at, chunk));
        }
        *i = result.unwrap_or(chunk.len());
        Ok(result)
    }

    /// The escape state after `\uXXXX` = `value` (`high`: a pending high surrogate).
    fn code_unit(
        &self,
        value: u32,
        high: Option<u32>,
        at: u64,
        chunk: &[u8],
    ) -> Result<Escape, JsonError> {
        let unpaired =
            |code_unit| self.error_at(JsonErrorKind::UnpairedSurrogate { code_unit }, at, chunk);
        match (high, value) {
            (None, 0xD800..=0xDBFF) => Ok(Escape::PairBackslash(value)),
            (None, 0xDC00..=0xDFFF) => Err(unpaired(value)),
            (None, v) if is_noncharacter(v) => {
                Err(self.error_at(JsonErrorKind::Noncharacter { code_point: v }, at, chunk))
            }
            (None, _) => Ok(Escape::None),
            (Some(h), 0xDC00..=0xDFFF) => {
                let code_point = surrogate_pair(h, value);
                if is_noncharacter(code_point) {
                    return Err(self.error_at(
                        JsonErrorKind::Noncharacter { code_point },
                        at,
                        chunk,
                    ));
                }
                Ok(Escape::None)
            }
            (Some(h), _) => Err(unpaired(h)),
        }
    }

    /// A string ended at `end` (its closing quote) in `chunk`; its content began at `begin`
    /// in this chunk, or in an earlier one (then its start is in `carry`).
    fn string_done<V: Visitor + ?Sized>(
        &mut self,
        chunk: &[u8],
        begin: usize,
        end: usize,
        visitor: &mut V,
    ) -> Result<(), JsonError> {
        let spans = self.token_start < self.base;
        let tail = chunk
            .get(if spans { 0 } else { begin }..end)
            .unwrap_or_default();
        let keep = self.keep;
        let name = self.name;
        let mut carry = core::mem::take(&mut self.carry);
        let raw: &[u8] = if spans && keep {
            carry.extend_from_slice(tail);
            &carry
        } else {
            tail
        };
        let result = if name || keep || !spans {
            self.deliver_string(raw, chunk, visitor)
        } else {
            // Not kept: the token is still delivered (so that counts and positions hold),
            // without its content.
            visitor.token(
                &Token::String(JsonStr {
                    raw: b"",
                    escaped: false,
                }),
                self.token_start,
            );
            Ok(())
        };
        carry.clear();
        self.carry = carry;
        result?;
        if name {
            self.state = State::Colon;
        } else {
            self.after_value();
        }
        Ok(())
    }

    fn deliver_string<V: Visitor + ?Sized>(
        &mut self,
        raw: &[u8],
        chunk: &[u8],
        visitor: &mut V,
    ) -> Result<(), JsonError> {
        // Validated byte by byte above: UTF-8, escapes complete.
        let s = JsonStr {
            raw,
            escaped: self.escaped,
        };
        if self.name {
            self.add_name(raw, chunk)?;
            visitor.token(&Token::Name(s), self.token_start);
        } else {
            visitor.token(&Token::String(s), self.token_start);
        }
        Ok(())
    }

    /// Records a member name of the innermost object; a repeated name is an error.
    fn add_name(&mut self, raw: &[u8], chunk: &[u8]) -> Result<(), JsonError> {
        let start = self.arena.len();
        // The name's value: borrowed when unescaped, else unescaped into the arena (and taken
        // back out below if it fits in the entry).
        let new: &[u8] = if self.escaped {
            unescape_into(raw, &mut self.arena);
            self.arena.get(start..).unwrap_or_default()
        } else {
            raw
        };
        let len = new.len();
        let prefix = swar::prefix_word(new);
        self.held = self.held.saturating_add(len.saturating_add(NAME_OVERHEAD));
        if self.held > self.limits.max_name_bytes {
            let at = self.token_start;
            return Err(self.limit_error(JsonLimit::NameBytes, at, chunk));
        }
        let Some(frame) = self.frames.last() else {
            return Ok(());
        };
        let first = frame.names_start;
        let same = |e: &NameEntry| {
            e.prefix == prefix
                && e.len == len
                && (len <= 8 || self.arena.get(e.start..e.start.saturating_add(e.len)) == Some(new))
        };
        let members = self.names.len().saturating_sub(first);
        let bits = bloom_bits(prefix, len);
        let (duplicate, hash) = if members < LINEAR_MEMBERS && frame.index.is_none() {
            let found = frame.seen & bits == bits
                && self.names.get(first..).unwrap_or_default().iter().any(same);
            (found, 0)
        } else {
            let hash = self.hasher.hash_one(new);
            let mut found = false;
            let mut next = frame.index.as_ref().and_then(|m| m.get(&hash)).copied();
            while let Some(i) = next {
                let Some(e) = self.names.get(i) else { break };
                if same(e) {
                    found = true;
                    break;
                }
                next = e.previous.checked_sub(1);
            }
            (found, hash)
        };
        if duplicate {
            let name = String::from_utf8_lossy(new);
            let kind = JsonErrorKind::DuplicateName {
                name: crate::xml::excerpt(&name),
            };
            let at = self.token_start;
            let mut error = self.error_at(kind, at, chunk);
            error.set_pointer(self.pointer_with(Innermost::Name(new)));
            return Err(error);
        }
        if self.escaped {
            if len <= 8 {
                self.arena.truncate(start);
            }
        } else if len > 8 {
            self.arena.extend_from_slice(raw);
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.seen |= bits;
        }
        let index = self.names.len();
        self.names.push(NameEntry {
            start,
            len,
            prefix,
            hash,
            previous: 0,
        });
        self.index_name(index);
        Ok(())
    }

    /// Keeps the innermost object's hash index up to date (built when it grows large).
    fn index_name(&mut self, index: usize) {
        let hasher = self.hasher.clone();
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let members = index.saturating_sub(frame.names_start).saturating_add(1);
        if frame.index.is_none() && members < LINEAR_MEMBERS {
            return;
        }
        let map = frame
            .index
            .get_or_insert_with(|| HashMap::with_capacity(LINEAR_MEMBERS.saturating_mul(2)));
        let from = if map.is_empty() {
            frame.names_start
        } else {
            index
        };
        for i in from..=index {
            let Some(entry) = self.names.get(i) else {
                break;
            };
            let hash = if i == index && entry.hash != 0 {
                entry.hash
            } else {
                let mut inline = [0u8; 8];
                hasher.hash_one(entry.bytes(&self.arena, &mut inline))
            };
            let previous = map.insert(hash, i).map_or(0, |p| p.saturating_add(1));
            if let Some(e) = self.names.get_mut(i) {
                e.hash = hash;
                e.previous = previous;
            }
        }
    }

    fn number_done<V: Visitor + ?Sized>(
        &mut self,
        lexeme: &[u8],
        visitor: &mut V,
        chunk: &[u8],
    ) -> Result<(), JsonError> {
        let at = self.token_start;
        if lexeme.len() > self.limits.max_number_bytes {
            return Err(self.limit_error(JsonLimit::NumberBytes, at, chunk));
        }
        number::check(lexeme).map_err(|kind| self.error_at(kind, at, chunk))?;

        visitor.token(&Token::Number(JsonNumber(lexeme)), at);
        self.after_value();
        Ok(())
    }
}

/// The line breaks in `bytes` (CR LF, CR or LF; `after_cr`: the byte before them was CR):
/// how many, one past the last one's index, and whether `bytes` ends in CR.
fn count_breaks(bytes: &[u8], after_cr: bool) -> (u64, Option<usize>, bool) {
    if memchr::memchr(b'\r', bytes).is_none() {
        // Line feeds only (the usual case): counted in one pass the compiler vectorises, not
        // one search per line.
        let feeds = swar::count_bytes(bytes, |b| b == b'\n');
        // A line feed first, after a CR that ended the previous chunk, ends that CR's line.
        let joined = usize::from(after_cr && bytes.first() == Some(&b'\n'));
        let lines = u64::try_from(feeds.saturating_sub(joined)).unwrap_or(u64::MAX);
        let last = memchr::memrchr(b'\n', bytes).map(|p| p.saturating_add(1));
        return (lines, last, after_cr && bytes.is_empty());
    }
    let mut lines = 0u64;
    let mut last = None;
    for p in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let lf_after_cr = bytes.get(p) == Some(&b'\n')
            && p.checked_sub(1)
                .map_or(after_cr, |q| bytes.get(q) == Some(&b'\r'));
        if !lf_after_cr {
            lines = lines.saturating_add(1);
        }
        last = Some(p.saturating_add(1));
    }
    let ends_cr = bytes.last().map_or(after_cr, |&b| b == b'\r');
    (lines, last, ends_cr)
}

/// A name's two bits in its object's [`Frame::seen`] filter, from its prefix and length.
#[inline]
fn bloom_bits(prefix: u64, len: usize) -> u128 {
    let mixed =
        (prefix ^ u64::try_from(len).unwrap_or(u64::MAX)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // One bit in each half: shifts of a u64 (a u128 shift by a variable costs several steps).
    let low = 1u64.wrapping_shl(u32::try_from(mixed >> 58).unwrap_or(0));
    let high = 1u64.wrapping_shl(u32::try_from((mixed >> 52) & 63).unwrap_or(0));
    u128::from(low) | (u128::from(high) << 64)
}

/// The number of leading bytes of `bytes` that are printable ASCII other than `"` and `\`.
#[inline]
fn plain_run(bytes: &[u8]) -> usize {
    // Not `swar::run_until`: JSON strings are short and most runs end in their first word,
    // where its `chunks_exact` set-up costs more than the test; text runs are long, where that
    // iterator is the faster (measured both ways: this loop there made text validation 10 %
    // slower, the iterator here cost 10 M instructions per 300 validations of 64 KiB).
    let mut n = 0usize;
    while let Some(word) = bytes.get(n..).and_then(<[u8]>::first_chunk::<8>) {
        let stops = string_stops(u64::from_le_bytes(*word));
        if stops != 0 {
            return n.saturating_add(usize::try_from(stops.trailing_zeros() / 8).unwrap_or(0));
        }
        n = n.saturating_add(8);
    }
    n.saturating_add(
        bytes
            .get(n..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| (0x20..0x80).contains(&b) && b != b'"' && b != b'\\')
            .count(),
    )
}

/// The high bit of each lane of `word` that ends a plain run of string content: a control
/// byte, a byte above 0x7F, `"` or `\`. One test on the low seven bits of every lane (none of
/// the sums carries out of its lane) instead of one per kind of byte.
#[inline(always)]
fn string_stops(word: u64) -> u64 {
    use crate::swar::{HIGHS, LOWS, ONES};
    let low = word & LOWS;
    // Bit 7 of a lane is set by each sum when its low seven bits are at least 0x20, are not
    // `"`, are not `\`.
    let printable = low.wrapping_add(ONES.wrapping_mul(0x60));
    let not_quote = (low ^ ONES.wrapping_mul(u64::from(b'"'))).wrapping_add(LOWS);
    let not_backslash = (low ^ ONES.wrapping_mul(u64::from(b'\\'))).wrapping_add(LOWS);
    (word | !(printable & not_quote & not_backslash)) & HIGHS
}

/// String content that is complete and valid in `rest` (its first `from` bytes plain ASCII):
/// the index of its closing quote, and whether it holds an escape. `None` when it runs past
/// `rest` or has a fault: the byte-by-byte path then reads it from its start and names the
/// fault, so this path decides nothing but the common case.
fn checked_string(rest: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    let mut j = from;
    loop {
        j = j.checked_add(plain_run(rest.get(j..)?))?;
        match *rest.get(j)? {
            b'"' => return Some((j, escaped)),
            b'\\' => {
                escaped = true;
                match *rest.get(j.checked_add(1)?)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                        j = j.checked_add(2)?
                    }
                    b'u' => {
                        let unit = hex4(rest, j.checked_add(2)?)?;
                        j = j.checked_add(6)?;
                        match unit {
                            0xD800..=0xDBFF => {
                                if rest.get(j..j.checked_add(2)?)? != b"\\u" {
                                    return None;
                                }
                                let low = hex4(rest, j.checked_add(2)?)?;
                                if !(0xDC00..=0xDFFF).contains(&low)
                                    || is_noncharacter(surrogate_pair(unit, low))
                                {
                                    return None;
                                }
                                j = j.checked_add(6)?;
                            }
                            0xDC00..=0xDFFF => return None,
                            unit if is_noncharacter(unit) => return None,
                            _ => {}
                        }
                    }
                    _ => return None,
                }
            }
            lead @ 0x80..=0xFF => {
                // One character, decoded in place (a two-byte one is never a noncharacter).
                let (need, lower, upper, bits) = swar::utf8_lead(lead)?;
                let first = *rest.get(j.checked_add(1)?)?;
                if !(lower..=upper).contains(&first) {
                    return None;
                }
                let mut code_point = (u32::from(bits) << 6) | u32::from(first & 0x3F);
                for k in 2..=usize::from(need) {
                    let next = *rest.get(j.checked_add(k)?)?;
                    if next & 0xC0 != 0x80 {
                        return None;
                    }
                    code_point = (code_point << 6) | u32::from(next & 0x3F);
                }
                if need > 1 && is_noncharacter(code_point) {
                    return None;
                }
                j = j.checked_add(usize::from(need))?.checked_add(1)?;
            }
            _ => return None,
        }
    }
}

/// The state after UTF-8 lead byte `b`, or `None` for a byte that cannot lead a sequence.
fn utf8_lead(b: u8, lead_at: u64) -> Option<Utf8> {
    let (need, lower, upper, bits) = swar::utf8_lead(b)?;
    Some(Utf8 {
        need,
        lower,
        upper,
        code_point: u32::from(bits),
        lead_at,
    })
}

/// The code point of a high and a low surrogate (each already in its range).
pub(crate) fn surrogate_pair(high: u32, low: u32) -> u32 {
    let high = high.wrapping_sub(0xD800) & 0x3FF;
    let low = low.wrapping_sub(0xDC00) & 0x3FF;
    0x10000u32.wrapping_add(high << 10).wrapping_add(low)
}

/// U+FDD0..U+FDEF and the last two code points of every plane.
fn is_noncharacter(code_point: u32) -> bool {
    (0xFDD0..=0xFDEF).contains(&code_point) || code_point & 0xFFFE == 0xFFFE
}

/// Appends the value of validated string content `raw` to `out`.
pub(crate) fn unescape_into(raw: &[u8], out: &mut Vec<u8>) {
    // The value is never longer than the text as written.
    out.reserve(raw.len());
    let mut i = 0usize;
    while let Some(rest) = raw.get(i..).filter(|r| !r.is_empty()) {
        let run = memchr::memchr(b'\\', rest).unwrap_or(rest.len());
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        i = i.saturating_add(run);
        if i >= raw.len() {
            break;
        }
        let escape = raw.get(i.saturating_add(1)).copied().unwrap_or(b'\\');
        i = i.saturating_add(2);
        let simple = match escape {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(0x08),
            b'f' => Some(0x0C),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            continue;
        }
        let Some(unit) = hex4(raw, i) else { break };
        i = i.saturating_add(4);
        let code_point = if (0xD800..0xDC00).contains(&unit) {
            // The validator guarantees `\uDC00..\uDFFF` follows.
            let low = hex4(raw, i.saturating_add(2)).unwrap_or(0xDC00);
            i = i.saturating_add(6);
            surrogate_pair(unit, low)
        } else {
            unit
        };
        let c = char::from_u32(code_point).unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

/// The four hexadecimal digits at `at` in `bytes`, as a number (`None`: not four digits).
pub(crate) fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    hex_digits(bytes, at, 4)
}

/// The value of the `n` (at most 8) hexadecimal digits at `at`, if they are all there.
pub(crate) fn hex_digits(bytes: &[u8], at: usize, n: usize) -> Option<u32> {
    bytes
        .get(at..at.checked_add(n.min(8))?)?
        .iter()
        .try_fold(0u32, |v, &d| Some((v << 4) | char::from(d).to_digit(16)?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    /// The computed value of a short integer is the parsed one, bit for bit (sign of zero too).
    #[test]
    fn short_integers_convert_like_parsing() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut texts: Vec<String> = ["0", "-0", "1", "-1", "999999999999999", "-999999999999999"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = usize::try_from(x % 17).unwrap() + 1;
            let n = x % 10u64.pow(u32::try_from(digits.min(16)).unwrap());
            let sign = if x & 1 == 0 { "-" } else { "" };
            texts.push(format!("{sign}{n}"));
        }
        for text in texts {
            let expected: f64 = text.parse().unwrap();
            let got = JsonNumber(text.as_bytes()).to_f64();
            assert_eq!(got.to_bits(), expected.to_bits(), "{text}");
        }
    }

    /// The stop mask of plain string content is exact: every byte value in every lane, with
    /// every other lane plain or another stop.
    #[test]
    fn string_stops_are_exact() {
        let stops = |b: u8| !(0x20..0x80).contains(&b) || b == b'"' || b == b'\\';
        for b in 0..=255u8 {
            for lane in 0..8 {
                for fill in [b'a', b'~', b' ', b'"', 0x80, 0x1F] {
                    let mut bytes = [fill; 8];
                    bytes[lane] = b;
                    let mask = string_stops(u64::from_le_bytes(bytes));
                    for (k, &c) in bytes.iter().enumerate() {
                        let high = mask >> (k * 8 + 7) & 1 == 1;
                        assert_eq!(high, stops(c), "byte {c:#04x} in lane {k} of {bytes:02x?}");
                        assert_eq!(mask >> (k * 8) & 0x7F, 0, "only high bits are set");
                    }
                }
            }
        }
    }

    /// Line breaks are counted as a naive reading counts them: CR LF, CR or LF; a LF first
    /// after a chunk that ended in CR joins that CR. Inputs with and without CR, long enough
    /// for several counting blocks.
    #[test]
    fn line_breaks_are_counted_exactly() {
        let naive = |bytes: &[u8], after_cr: bool| {
            let mut lines = 0u64;
            let mut last = None;
            let mut previous_cr = after_cr;
            for (p, &b) in bytes.iter().enumerate() {
                if b == b'\r' || (b == b'\n' && !previous_cr) {
                    lines += 1;
                }
                if b == b'\r' || b == b'\n' {
                    last = Some(p + 1);
                }
                previous_cr = b == b'\r';
            }
            (lines, last, previous_cr)
        };
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for round in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = usize::try_from(x % 700).unwrap();
            let alphabet: &[u8] = if round % 2 == 0 { b"a\n" } else { b"a\n\r" };
            let bytes: Vec<u8> = (0..len)
                .map(|k| {
                    let r = x.rotate_left(u32::try_from(k % 64).unwrap())
                        ^ (u64::try_from(k).unwrap() * 31);
                    alphabet[usize::try_from(r % u64::try_from(alphabet.len()).unwrap()).unwrap()]
                })
                .collect();
            for after_cr in [false, true] {
                assert_eq!(
                    count_breaks(&bytes, after_cr),
                    naive(&bytes, after_cr),
                    "{bytes:?} after CR {after_cr}"
                );
            }
        }
    }

    /// Decimals and exponents computed on the fast path are the parsed values, bit for bit;
    /// and numbers off it are parsed.
    #[test]
    fn decimals_convert_like_parsing() {
        let mut x = 0x853C_49E6_748F_EA9Bu64;
        let mut texts: Vec<String> = [
            "0.0",
            "-0.0",
            "0e0",
            "-0e-5",
            "1e22",
            "1e23",
            "1e-22",
            "1e-23",
            "0.1",
            "-0.3",
            "123456789012345",
            "1234567890123456",
            "9007199254740993",
            "1.5e308",
            "4.9e-324",
            "12.5E+3",
            "0.000001",
            "1e0001",
            "45.1234",
            "-123.4567",
            "123.4e1",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = usize::try_from(x % 18).unwrap() + 1;
            let n = x % 10u64.pow(u32::try_from(digits).unwrap());
            let mut text = n.to_string();
            let point = usize::try_from((x >> 20) % 20).unwrap();
            if point > 0 && point < text.len() {
                text.insert(point, '.');
            }
            let sign = if x & 1 == 0 { "-" } else { "" };
            let exponent = match (x >> 30) % 4 {
                0 => String::new(),
                1 => format!("e{}", (x >> 40) % 30),
                2 => format!("e-{}", (x >> 40) % 30),
                _ => format!("E+{}", (x >> 40) % 400),
            };
            texts.push(format!("{sign}{text}{exponent}"));
        }
        for text in texts {
            let expected: f64 = text.parse().unwrap();
            let got = JsonNumber(text.as_bytes()).to_f64();
            assert_eq!(got.to_bits(), expected.to_bits(), "{text}");
        }
    }

    /// `value_in` and `append_value` give `value` as bytes, escaped or not.
    #[test]
    fn value_bytes_are_the_value() {
        for raw in [
            r"plain",
            r#"tab\tand \u00e9 \ud83d\ude00 \/ \\ \""#,
            "caf\u{e9}",
        ] {
            let s = JsonStr {
                raw: raw.as_bytes(),
                escaped: raw.contains('\\'),
            };
            let mut appended = b"before".to_vec();
            s.append_value(&mut appended);
            assert_eq!(&appended[6..], s.value().as_bytes(), "{raw}");
            let mut scratch = b"left over".to_vec();
            assert_eq!(s.value_in(&mut scratch), s.value().as_bytes(), "{raw}");
        }
    }
}
