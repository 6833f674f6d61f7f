//! Canonical JSON: RFC 8785, the JSON Canonicalization Scheme (JCS). The guard's content
//! disarm and reconstruction (CDR) for JSON: the released document is not the one received,
//! but one rebuilt from its parsed values, so nothing the parser did not turn into a value
//! reaches the other side.
//!
//! The input is validated by the strict validator ([`validate_with`]: RFC 8259 and I-JSON,
//! RFC 7493, under [`JsonLimits`]); a document it refuses is refused with its error,
//! unchanged. An accepted one is written again as RFC 8785 §3.2 says.
//!
//! What the rewrite removes:
//! - insignificant whitespace (§3.2.1): none is written, so spaces, tabs and line breaks
//!   between tokens carry nothing;
//! - escape spellings (§3.2.2.2): a string is written from its value, escaping only `"`, `\`
//!   and the controls below U+0020 (`\b \t \n \f \r`, the others as `\u00xx` in lowercase hex);
//!   `\/`, `\u0041`, `\u00E9`, `\uD83D\uDE00` become the characters themselves, written as
//!   UTF-8;
//! - number spellings (§3.2.2.3): a number is written from its value as ECMAScript's
//!   `Number.prototype.toString` writes that double ([`write_number`]): `1E30`, `4.50`,
//!   `0.2e-2`, `-0` become `1e+30`, `4.5`, `0.002`, `0`;
//! - member order (§3.2.3): the members of every object, at every depth, are sorted by their
//!   names compared as arrays of UTF-16 code units (so U+1F600 sorts before U+FB33), not by
//!   locale.
//!
//! What it keeps: the values. Every member name and string is the same Unicode text (no
//! normalisation is applied: `é` and `e` + U+0301 stay different, and characters that hide,
//! such as zero-width ones, U+2028 or the C1 controls, stay — inspecting what strings say is
//! another stage's work); every number is the same IEEE 754 double, except that the sign of
//! zero is dropped (`-0` is written `0`, as RFC 8785 requires); literals, array order and
//! nesting are unchanged.
//!
//! The RFC's caveats, and how they are met:
//! - Numbers are doubles (§3.2.2.3, and the I-JSON requirement of §3): a number with more
//!   precision or range than a double would be changed by the rewrite. The validator refuses
//!   such numbers (more than 17 significant digits, integers beyond ±(2^53−1), overflow and
//!   underflow), so for an accepted document the rewrite is lossless: the spelling changes,
//!   the double does not.
//! - One more refusal follows from it: a value of magnitude in [2^53, 10^21) spelt with a
//!   fraction or an exponent (`1e20`, `9007199254740993.0`) is accepted by the validator, but
//!   its canonical form is an integer literal (`100000000000000000000`) that the validator
//!   refuses (I-JSON's integer range). Released output must pass the guard's own validator, so
//!   [`canonicalize`] refuses such a number with [`JsonErrorKind::IntegerOutOfRange`], at its
//!   offset, line, column and pointer: the error the validator gives for the canonical
//!   spelling in the same place.
//! - NaN and the infinities cannot occur in JSON; [`write_number`] refuses them
//!   ([`NonFiniteNumber`]), as the RFC requires.
//!
//! Memory: the document is held once, as a compact arena of 16 bytes per value and per member
//! name: at most 8 bytes per input byte, plus 16, since each takes at least two bytes of input
//! but the last (vectors grow by doubling, so up to twice that is reserved). Add a copy of
//! each string whose input holds an escape: its value, never longer than its escaped
//! spelling, and 8 bytes. A string without escapes is not copied: the arena keeps its offset
//! in the input, and its input spelling, which has nothing to escape, is already canonical.
//! Writing sorts each object's member names in a scratch list of 24 bytes per member of the
//! objects being written. No recursion: the containers open while building and writing are
//! explicit stacks, at most `limits.max_depth` deep. The input itself is bounded by
//! `limits.max_input_bytes`. The output is at most four times the input (only numbers grow:
//! `9e15` is written `9000000000000000`); one number is at most 25 bytes, which can exceed a
//! small `max_number_bytes`.
//!
//! ```
//! use crossguard::json::canonical::canonicalize;
//! use crossguard::limits::JsonLimits;
//! // RFC 8785 §3.2.2.
//! let input = br#"{
//!   "numbers": [333333333.33333329, 1E30, 4.50,
//!               2e-3, 0.000000000000000000000000001],
//!   "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
//!   "literals": [null, true, false]
//! }"#;
//! let output = canonicalize(input, JsonLimits::default())?;
//! assert_eq!(
//!     output,
//!     r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
//!         .as_bytes(),
//! );
//!
//! let err = canonicalize(br#"{"big": 1e20}"#, JsonLimits::default()).unwrap_err();
//! assert_eq!((err.code(), err.pointer()), ("integer-out-of-range", "/big"));
//! # Ok::<(), crossguard::json::JsonError>(())
//! ```

use core::cmp::Ordering;
use core::fmt;

use super::error::{JsonError, JsonErrorKind};
use super::scan::unescape_into;
use super::{validate_with, Token, Visitor};
use crate::error::Fault;
use crate::limits::JsonLimits;

/// The canonical form (RFC 8785) of the JSON document `bytes`, which must pass
/// [`validate_with`] under `limits`.
///
/// Errors: the validator's error, unchanged, for a document it refuses; for an accepted one,
/// [`JsonErrorKind::IntegerOutOfRange`] at the first number whose canonical form the validator
/// would refuse (a magnitude in [2^53, 10^21) spelt with a fraction or an exponent; see the
/// [module documentation](self)).
pub fn canonicalize(bytes: &[u8], limits: JsonLimits) -> Result<Vec<u8>, JsonError> {
    let mut out = Vec::new();
    write_canonical(bytes, limits, &mut out)?;
    Ok(out)
}

/// [`canonicalize`], appending the canonical form to `out`. On error, `out` is unchanged.
pub fn write_canonical(
    bytes: &[u8],
    limits: JsonLimits,
    out: &mut Vec<u8>,
) -> Result<(), JsonError> {
    let mut builder = Builder::new(bytes);
    validate_with(bytes, limits, &mut builder)?;
    builder.write_into(out)
}

/// Appends `value` as ECMAScript's `Number.prototype.toString` writes it (ECMA-262
/// §6.1.6.1.20), which is RFC 8785 §3.2.2.3's serialisation of a number.
///
/// The digits are the fewest that read back as the same double; of several such, the closest
/// to it, and of two as close, the one ending in an even digit (RFC 8785 Appendix B:
/// `1424953923781206.2`); `-0` is `0`; the decimal notation is used when 10^-7 ≤ |value| < 10^21
/// (`0.000001`, `123.45`, `100000000000000000000`), the exponent notation otherwise, with a
/// sign always written (`1e-7`, `1e+21`, `1.5e+300`).
///
/// NaN and the infinities are refused: JSON has no spelling for them.
///
/// ```
/// use crossguard::json::canonical::write_number;
/// let mut out = Vec::new();
/// for value in [1e21, 1e-7, -0.0, 0.1 + 0.2, 1e20, 5e-324] {
///     write_number(value, &mut out)?;
///     out.push(b' ');
/// }
/// assert_eq!(out, b"1e+21 1e-7 0 0.30000000000000004 100000000000000000000 5e-324 ");
/// assert!(write_number(f64::NAN, &mut out).is_err());
/// # Ok::<(), crossguard::json::canonical::NonFiniteNumber>(())
/// ```
pub fn write_number(value: f64, out: &mut Vec<u8>) -> Result<(), NonFiniteNumber> {
    if !value.is_finite() {
        return Err(NonFiniteNumber);
    }
    write_finite(value, out);
    Ok(())
}

/// [`write_number`] was given NaN or an infinity, which JSON cannot hold (RFC 8785 §3.2.2.3
/// requires an error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NonFiniteNumber;

impl NonFiniteNumber {
    /// Who is at fault: the caller, who gave a value JSON has no spelling for.
    pub fn fault(&self) -> Fault {
        Fault::Misuse
    }
}

impl fmt::Display for NonFiniteNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NaN or an infinity, which JSON cannot hold")
    }
}

impl std::error::Error for NonFiniteNumber {}

/// The largest magnitude a double holds together with every smaller integer, plus one: 2^53.
/// From here up to [`DECIMAL_NOTATION_END`], the canonical form is an integer literal beyond
/// I-JSON's range.
const FIRST_UNSAFE_INTEGER: f64 = 9_007_199_254_740_992.0;
/// 10^21 (exact as a double): from here on, ECMAScript writes the exponent notation.
const DECIMAL_NOTATION_END: f64 = 1e21;

/// Bytes of the length that precedes each unescaped string in the text arena.
const LENGTH_BYTES: usize = core::mem::size_of::<usize>();

/// One value or member name of the document, in document order (a container before its
/// contents, a member's name before its value). 16 bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    /// A number's value (finite: the validator refuses the rest).
    Number(f64),
    /// A number written in the input at this offset (its first byte), whose canonical form
    /// may be read from its digits ([`write_lexeme`]).
    Lexeme(usize),
    /// A string or name written without escapes: the offset of its opening quote in the
    /// input. Its spelling is already canonical (the validator refused raw controls, and `"`
    /// and `\` cannot occur unescaped).
    Plain(usize),
    /// A string or name with escapes: the offset of its entry in the text arena (the value's
    /// length, [`LENGTH_BYTES`] little-endian bytes, then the value).
    Unescaped(usize),
    /// An array: the index one past its last descendant.
    Array {
        end: usize,
    },
    /// An object: the index one past its last descendant.
    Object {
        end: usize,
    },
}

/// The document as values: the arena, and the input its plain strings point into.
#[derive(Debug)]
struct Tree<'input> {
    input: &'input [u8],
    nodes: Vec<Node>,
    /// The values of the strings that had escapes (see [`Node::Unescaped`]).
    text: Vec<u8>,
}

/// A container being built.
#[derive(Clone, Copy, Debug)]
struct Open {
    node: usize,
    /// Elements started so far (arrays), for a pointer.
    elements: usize,
    /// The index of the latest member name (objects), for a pointer.
    name: Option<usize>,
}

/// Builds the [`Tree`] from the validator's tokens: a [`Visitor`] of the validator's pass over
/// `input` (its only chunk), then [`Builder::write_into`] once the validator accepted it. The
/// guard's `cdr` inspector builds in the pass its other inspectors make.
#[derive(Debug)]
pub(crate) struct Builder<'input> {
    tree: Tree<'input>,
    open: Vec<Open>,
    /// The first number whose canonical form the validator would refuse; nothing is built
    /// after it.
    refused: Option<JsonError>,
}

impl<'input> Builder<'input> {
    /// A builder for the validator's pass over `input`, read as one chunk.
    pub(crate) fn new(input: &'input [u8]) -> Self {
        Self {
            tree: Tree {
                input,
                nodes: Vec::new(),
                text: Vec::new(),
            },
            open: Vec::new(),
            refused: None,
        }
    }

    /// After a pass in which the validator accepted the whole input: appends its canonical
    /// form to `out`, or gives the first number whose canonical form the validator would
    /// refuse ([`canonicalize`]'s error), `out` unchanged.
    pub(crate) fn write_into(self, out: &mut Vec<u8>) -> Result<(), JsonError> {
        if let Some(error) = self.refused {
            return Err(error);
        }
        out.reserve(self.tree.input.len());
        self.tree.write(out);
        Ok(())
    }

    /// A value starts: counted in its array.
    fn element(&mut self) {
        if let Some(open) = self.open.last_mut() {
            open.elements = open.elements.saturating_add(1);
        }
    }

    fn start(&mut self, node: Node) {
        self.element();
        let index = self.tree.nodes.len();
        self.tree.nodes.push(node);
        self.open.push(Open {
            node: index,
            elements: 0,
            name: None,
        });
    }

    /// Where `bytes`, a token's text at `offset`, lies in the input: the validator hands
    /// tokens borrowed from the buffer it reads, so this is an identity test (O(1), not a
    /// comparison); `None` for bytes held elsewhere (then copied or kept as a value).
    fn in_input(&self, bytes: &[u8], offset: u64) -> Option<usize> {
        let start = usize::try_from(offset).ok()?;
        let held = self
            .tree
            .input
            .get(start..start.checked_add(bytes.len())?)?;
        core::ptr::eq(held.as_ptr(), bytes.as_ptr()).then_some(start)
    }

    fn end(&mut self) {
        let Some(open) = self.open.pop() else {
            return;
        };
        let after = self.tree.nodes.len();
        if let Some(Node::Array { end } | Node::Object { end }) = self.tree.nodes.get_mut(open.node)
        {
            *end = after;
        }
    }

    /// The node of a string or name token at `offset` (its opening quote).
    fn string(&mut self, s: super::JsonStr<'_>, offset: u64) -> Node {
        let raw = s.raw_bytes();
        if !s.has_escapes() {
            let quoted = offset.saturating_add(1);
            let input = self.tree.input;
            if let Some(from) = self.in_input(raw, quoted) {
                let start = from.saturating_sub(1);
                if input.get(start) == Some(&b'"')
                    && input.get(from.saturating_add(raw.len())) == Some(&b'"')
                {
                    return Node::Plain(start);
                }
            }
        }
        let text = &mut self.tree.text;
        let at = text.len();
        text.extend_from_slice(&[0; LENGTH_BYTES]);
        unescape_into(raw, text);
        let len = text.len().saturating_sub(at).saturating_sub(LENGTH_BYTES);
        if let Some(slot) = text
            .get_mut(at..)
            .and_then(<[u8]>::first_chunk_mut::<LENGTH_BYTES>)
        {
            *slot = len.to_le_bytes();
        }
        Node::Unescaped(at)
    }

    /// The error for a number at `offset` whose canonical form the validator would refuse:
    /// where the validator would put it.
    #[cold]
    fn refusal(&self, kind: JsonErrorKind, offset: u64) -> JsonError {
        let input = self.tree.input;
        let at = usize::try_from(offset).unwrap_or(input.len());
        let (line, column) = crate::xml::line_and_column(input, at);
        let as_u64 = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        JsonError::new(kind, offset, as_u64(line), as_u64(column), self.pointer())
    }

    /// The JSON Pointer of the value being read, as the validator writes it.
    fn pointer(&self) -> String {
        let mut out = String::new();
        for open in &self.open {
            if let Some(Node::Array { .. }) = self.tree.nodes.get(open.node) {
                if let Some(index) = open.elements.checked_sub(1) {
                    out.push('/');
                    out.push_str(&index.to_string());
                }
                continue;
            }
            let Some(name) = open.name.and_then(|n| self.tree.nodes.get(n)) else {
                continue;
            };
            out.push('/');
            let name = String::from_utf8_lossy(self.tree.text_of(*name));
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
}

impl Visitor for Builder<'_> {
    fn token(&mut self, token: &Token<'_>, offset: u64) {
        if self.refused.is_some() {
            return;
        }
        match *token {
            Token::StartObject => self.start(Node::Object { end: 0 }),
            Token::StartArray => self.start(Node::Array { end: 0 }),
            Token::EndObject | Token::EndArray => self.end(),
            Token::Name(s) => {
                let node = self.string(s, offset);
                let index = self.tree.nodes.len();
                if let Some(open) = self.open.last_mut() {
                    open.name = Some(index);
                }
                self.tree.nodes.push(node);
            }
            Token::String(s) => {
                self.element();
                let node = self.string(s, offset);
                self.tree.nodes.push(node);
            }
            Token::Number(n) => {
                self.element();
                let value = n.to_f64();
                let magnitude = value.abs();
                if (FIRST_UNSAFE_INTEGER..DECIMAL_NOTATION_END).contains(&magnitude) {
                    self.refused = Some(self.refusal(JsonErrorKind::IntegerOutOfRange, offset));
                } else if !value.is_finite() {
                    // Never: the validator refuses what a double cannot hold. Fail closed.
                    self.refused = Some(self.refusal(JsonErrorKind::NumberOutOfRange, offset));
                }
                let node = match self.in_input(n.as_bytes(), offset) {
                    Some(start) => Node::Lexeme(start),
                    None => Node::Number(value),
                };
                self.tree.nodes.push(node);
            }
            Token::Bool(b) => {
                self.element();
                self.tree.nodes.push(Node::Bool(b));
            }
            Token::Null => {
                self.element();
                self.tree.nodes.push(Node::Null);
            }
        }
    }
}

/// A container being written.
#[derive(Clone, Copy, Debug)]
enum Frame {
    /// Its next element's index, and one past its last descendant.
    Array {
        next: usize,
        end: usize,
        first: bool,
    },
    /// Its members are `members[from..to]`, sorted; `next` is the next to write.
    Object { from: usize, next: usize, to: usize },
}

impl<'input> Tree<'input> {
    /// Writes the document (the first node and what it contains) in canonical form.
    fn write(&self, out: &mut Vec<u8>) {
        let mut frames: Vec<Frame> = Vec::new();
        // The member names of the objects being written (a stack of sorted runs): each name's
        // value and its node's index.
        let mut members: Vec<(&[u8], usize)> = Vec::new();
        self.open_value(0, out, &mut frames, &mut members);
        while let Some(frame) = frames.last_mut() {
            let value = match frame {
                Frame::Array { next, end, first } => {
                    if *next >= *end {
                        out.push(b']');
                        frames.pop();
                        continue;
                    }
                    if !*first {
                        out.push(b',');
                    }
                    *first = false;
                    let at = *next;
                    *next = self.skip(at);
                    at
                }
                Frame::Object { from, next, to } => {
                    let member = members.get(*next).filter(|_| *next < *to).copied();
                    let Some((name, at)) = member else {
                        out.push(b'}');
                        members.truncate(*from);
                        frames.pop();
                        continue;
                    };
                    if *next != *from {
                        out.push(b',');
                    }
                    *next = next.saturating_add(1);
                    if let Some(node) = self.nodes.get(at) {
                        write_string(node, name, out);
                    }
                    out.push(b':');
                    at.saturating_add(1)
                }
            };
            self.open_value(value, out, &mut frames, &mut members);
        }
    }

    /// Writes the value at `index`, or opens it: a container's start is written and its frame
    /// pushed (an object's members are gathered and sorted first).
    fn open_value<'tree>(
        &'tree self,
        index: usize,
        out: &mut Vec<u8>,
        frames: &mut Vec<Frame>,
        members: &mut Vec<(&'tree [u8], usize)>,
    ) {
        let Some(&node) = self.nodes.get(index) else {
            return;
        };
        match node {
            Node::Null => out.extend_from_slice(b"null"),
            Node::Bool(true) => out.extend_from_slice(b"true"),
            Node::Bool(false) => out.extend_from_slice(b"false"),
            Node::Number(value) => write_finite(value, out),
            Node::Lexeme(at) => {
                let rest = self.input.get(at..).unwrap_or_default();
                let len = rest
                    .iter()
                    .take_while(|&&b| super::number::is_number_byte(b))
                    .count();
                write_lexeme(rest.get(..len).unwrap_or_default(), out);
            }
            Node::Plain(_) | Node::Unescaped(_) => write_string(&node, self.text_of(node), out),
            Node::Array { end } => {
                out.push(b'[');
                frames.push(Frame::Array {
                    next: index.saturating_add(1),
                    end,
                    first: true,
                });
            }
            Node::Object { end } => {
                out.push(b'{');
                let from = members.len();
                let mut at = index.saturating_add(1);
                while at < end {
                    if let Some(&name) = self.nodes.get(at) {
                        members.push((self.text_of(name), at));
                    }
                    at = self.skip(at.saturating_add(1));
                }
                if let Some(run) = members.get_mut(from..) {
                    // Names are unique (I-JSON): the order is total, an unstable sort exact.
                    run.sort_unstable_by(|a, b| utf16_order(a.0, b.0));
                }
                frames.push(Frame::Object {
                    from,
                    next: from,
                    to: members.len(),
                });
            }
        }
    }

    /// The index after the value at `index` and its descendants (always past `index`).
    fn skip(&self, index: usize) -> usize {
        let next = index.saturating_add(1);
        match self.nodes.get(index) {
            Some(Node::Array { end } | Node::Object { end }) => (*end).max(next),
            _ => next,
        }
    }

    /// The value of a string node (UTF-8): its input spelling when plain (no escapes, so the
    /// same bytes), its arena entry when unescaped; empty for other nodes.
    fn text_of(&self, node: Node) -> &[u8] {
        match node {
            Node::Plain(quote) => {
                let rest = self
                    .input
                    .get(quote.saturating_add(1)..)
                    .unwrap_or_default();
                // Without escapes, the first quote is the closing one.
                let len = memchr::memchr(b'"', rest).unwrap_or(rest.len());
                rest.get(..len).unwrap_or_default()
            }
            Node::Unescaped(at) => self
                .text
                .get(at..)
                .and_then(<[u8]>::split_first_chunk::<LENGTH_BYTES>)
                .and_then(|(len, value)| value.get(..usize::from_le_bytes(*len)))
                .unwrap_or_default(),
            _ => &[],
        }
    }
}

/// Writes string node `node`, whose value is `value`, per RFC 8785 §3.2.2.2.
fn write_string(node: &Node, value: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    if let Node::Plain(_) = node {
        // Its input spelling: nothing in it needs an escape.
        out.extend_from_slice(value);
    } else {
        write_escaped(value, out);
    }
    out.push(b'"');
}

/// Appends `value` (UTF-8) with the escapes of RFC 8785 §3.2.2.2: `\"`, `\\`, `\b \t \n \f
/// \r`, and `\u00xx` (lowercase hex) for the other controls below U+0020; every other
/// character as itself.
fn write_escaped(value: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut rest = value;
    loop {
        let run = rest
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
            .unwrap_or(rest.len());
        let (plain, tail) = rest.split_at_checked(run).unwrap_or((rest, &[]));
        out.extend_from_slice(plain);
        let Some((&b, tail)) = tail.split_first() else {
            return;
        };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                let high = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                let low = HEX.get(usize::from(b & 0x0F)).copied().unwrap_or(b'0');
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
            }
        }
        rest = tail;
    }
}

/// Orders two UTF-8 strings as their UTF-16 code unit arrays (RFC 8785 §3.2.3). This is the
/// byte (code point) order except where a character beyond U+FFFF (a surrogate pair,
/// D800..DBFF first) meets one in U+E000..U+FFFF: so the first differing characters decide.
fn utf16_order(a: &[u8], b: &[u8]) -> Ordering {
    let Some(differ) = a.iter().zip(b).position(|(x, y)| x != y) else {
        return a.len().cmp(&b.len());
    };
    // The character holding the first difference starts at the same place in both (the bytes
    // before are the same, and valid UTF-8).
    let lead = a
        .get(..=differ)
        .and_then(|head| head.iter().rposition(|&c| c & 0xC0 != 0x80))
        .unwrap_or(0);
    let (Some(&x), Some(&y)) = (a.get(lead), b.get(lead)) else {
        return a.get(lead..).cmp(&b.get(lead..));
    };
    // Unless one character is beyond U+FFFF (lead byte F0 or more) and the other in
    // U+E000..U+FFFF (lead EE or EF), the UTF-16 order is the code point order, which is the
    // order of the first differing bytes: no character is decoded.
    let beyond_meets_private = |p: u8, q: u8| p >= 0xF0 && (0xEE..=0xEF).contains(&q);
    if !beyond_meets_private(x, y) && !beyond_meets_private(y, x) {
        return a.get(differ).cmp(&b.get(differ));
    }
    match (char_at(a, lead), char_at(b, lead)) {
        (Some(x), Some(y)) => utf16_units(x).cmp(&utf16_units(y)),
        // Never for UTF-8; the byte order is a total order all the same.
        _ => a.get(lead..).cmp(&b.get(lead..)),
    }
}

/// The character that starts at byte `at` of UTF-8 `bytes`.
fn char_at(bytes: &[u8], at: usize) -> Option<char> {
    let tail = bytes.get(at..)?;
    let len = match tail.first()? {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    core::str::from_utf8(tail.get(..len)?).ok()?.chars().next()
}

/// A character's UTF-16 code units, padded with 0 (below every unit) for a single one.
fn utf16_units(c: char) -> [u16; 2] {
    let mut units = [0u16; 2];
    c.encode_utf16(&mut units);
    units
}

/// `magnitude` as an integer, when it is integral, at least 1 and below 2^53 (read from its
/// bits: the mantissa with the implicit one, shifted right by the fraction bits).
fn small_integer(magnitude: f64) -> Option<u64> {
    if !(1.0..FIRST_UNSAFE_INTEGER).contains(&magnitude) || magnitude.fract() != 0.0 {
        return None;
    }
    let bits = magnitude.to_bits();
    let exponent = (bits >> 52) & 0x7ff;
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    // 1 <= magnitude < 2^53: the unbiased exponent is 0..=52.
    let shift = 52u64.checked_sub(exponent.checked_sub(1023)?)?;
    mantissa.checked_shr(u32::try_from(shift).ok()?)
}

/// [`write_number`] for a finite value (a non-finite one is written as ECMAScript spells it:
/// `NaN`, `Infinity`, `-Infinity`; never called so).
fn write_finite(value: f64, out: &mut Vec<u8>) {
    if value.is_nan() {
        out.extend_from_slice(b"NaN");
        return;
    }
    if value == 0.0 {
        // Both zeros.
        out.push(b'0');
        return;
    }
    if value.is_sign_negative() {
        out.push(b'-');
    }
    if value.is_infinite() {
        out.extend_from_slice(b"Infinity");
        return;
    }
    // `{:e}` writes the fewest digits that read back as the same double, `d[.ddd]e[-]x`:
    // ECMAScript's k digits, and n - 1 as the exponent. Among the k-digit decimals that read
    // back, ECMAScript takes the closest, and the even one of two as close; `{:e}` breaks that
    // tie the other way (RFC 8785 Appendix B: 1424953923781206.25 is written
    // 1424953923781206.2). The correctly rounded k digits (`{:.*e}`, ties to even) are the
    // closest of all k-digit decimals: taken when they read back too.
    let magnitude = value.abs();
    if let Some(integer) = small_integer(magnitude) {
        // Below 2^53 an integral double is its integer, which ECMAScript writes in full.
        let mut digits = Scratch::default();
        out.extend_from_slice(digits.format(format_args!("{integer}")).as_bytes());
        return;
    }
    let mut first = Scratch::default();
    let shortest = first.format(format_args!("{magnitude:e}"));
    let k = shortest
        .split_once('e')
        .map_or(0, |(m, _)| m.bytes().filter(u8::is_ascii_digit).count());
    // Up to 15 digits, two decimals never read back as the same double, so the shortest is
    // the only k-digit candidate and no tie can arise: the exact (slow) formatting is needed
    // for 16 and 17 digits only.
    let mut second = Scratch::default();
    let closest = if k >= 16 {
        second.format(format_args!(
            "{magnitude:.precision$e}",
            precision = k.saturating_sub(1)
        ))
    } else {
        shortest
    };
    let text = if closest != shortest && closest.parse::<f64>().ok() == Some(magnitude) {
        closest
    } else {
        shortest
    };
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text, "0"));
    let mut buffer = [0u8; 24];
    let mut k = 0usize;
    for &d in mantissa.as_bytes().iter().filter(|d| d.is_ascii_digit()) {
        if let Some(slot) = buffer.get_mut(k) {
            *slot = d;
            k = k.saturating_add(1);
        }
    }
    // Never the default: `{:e}` writes a decimal exponent of at most three digits.
    let e: i32 = exponent.parse().unwrap_or(0);
    write_digits(
        buffer.get(..k).unwrap_or_default(),
        e.saturating_add(1),
        out,
    );
}

/// Writes the number `0.d1d2…dk × 10^n` (`digits`: ASCII, the first not 0) as ECMAScript's
/// Number::toString lays it out (its sign written before).
fn write_digits(digits: &[u8], n: i32, out: &mut Vec<u8>) {
    let k = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let zeros = |out: &mut Vec<u8>, count: i32| {
        let count = usize::try_from(count).unwrap_or(0);
        out.resize(out.len().saturating_add(count), b'0');
    };
    if (k..=21).contains(&n) {
        // An integer: the digits, then n - k zeros.
        out.extend_from_slice(digits);
        zeros(out, n.saturating_sub(k));
    } else if (1..=21).contains(&n) {
        // The point inside the digits.
        let point = usize::try_from(n).unwrap_or(0);
        let (int, frac) = digits.split_at_checked(point).unwrap_or((digits, &[]));
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    } else if (-5..=0).contains(&n) {
        // Down to 10^-7 excluded: `0.`, -n zeros, the digits.
        out.extend_from_slice(b"0.");
        zeros(out, n.saturating_neg());
        out.extend_from_slice(digits);
    } else {
        let (first, rest) = digits.split_first().unwrap_or((&b'0', &[]));
        out.push(*first);
        if !rest.is_empty() {
            out.push(b'.');
            out.extend_from_slice(rest);
        }
        out.push(b'e');
        let e = n.saturating_sub(1);
        out.push(if e < 0 { b'-' } else { b'+' });
        let mut scratch = Scratch::default();
        out.extend_from_slice(
            scratch
                .format(format_args!("{}", e.unsigned_abs()))
                .as_bytes(),
        );
    }
}

/// Most significant digits a number may have for [`write_lexeme`] to write it from its
/// digits: every decimal of at most 15 significant digits in the normal range reads back from
/// the nearest double unchanged (IEEE 754's DBL_DIG), so no two such decimals share a double,
/// and ECMAScript's fewest digits that read back are the decimal's own, trailing zeros
/// dropped. Longer spellings go through the double.
const LEXEME_DIGITS: usize = 15;

/// The decimal exponent of a number's first significant digit, both ways, within which
/// [`write_lexeme`] writes it from its digits: doubles are normal there (from 2.2e-308 to
/// 1.8e308), where [`LEXEME_DIGITS`] holds; beyond, and among subnormals, which hold fewer
/// digits, it goes through the double.
const LEXEME_EXPONENT: i32 = 307;

/// Writes a number as written (valid RFC 8259, finite) in canonical form: from its own digits
/// when it has at most [`LEXEME_DIGITS`] significant ones within [`LEXEME_EXPONENT`] (no
/// double formatted: what [`write_finite`] would write of its value), else through its value.
fn write_lexeme(lexeme: &[u8], out: &mut Vec<u8>) {
    match significant_digits(lexeme) {
        Some((negative, digits, len, n)) => {
            let digits = digits.get(..len).unwrap_or_default();
            if digits.is_empty() {
                // Both zeros.
                out.push(b'0');
                return;
            }
            if negative {
                out.push(b'-');
            }
            write_digits(digits, n, out);
        }
        None => {
            // Valid JSON is valid for `f64::from_str` too (correctly rounded, as the
            // validator's reading); never NaN.
            let value = core::str::from_utf8(lexeme)
                .ok()
                .and_then(|t| t.parse::<f64>().ok())
                .unwrap_or(f64::NAN);
            write_finite(value, out);
        }
    }
}

/// A number's sign, significant digits (none for zero; no leading or trailing zeros), their
/// count, and `n` with the value `0.digits × 10^n`; `None` when there are more than
/// [`LEXEME_DIGITS`] or the value lies beyond [`LEXEME_EXPONENT`].
fn significant_digits(lexeme: &[u8]) -> Option<(bool, [u8; LEXEME_DIGITS], usize, i32)> {
    let (negative, rest) = match lexeme.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, lexeme),
    };
    let mut digits = [0u8; LEXEME_DIGITS];
    let mut len = 0usize;
    // Zeros after a significant digit, written only if another significant digit follows.
    let mut zeros = 0usize;
    let mut n = 0i32;
    let mut fraction = false;
    let mut i = 0usize;
    while let Some(&b) = rest.get(i) {
        match b {
            b'.' => fraction = true,
            b'0' if len == 0 => {
                // A leading zero: before the point it is the lone `0` of the integer part;
                // after it, it moves the first significant digit one place down.
                if fraction {
                    n = n.checked_sub(1)?;
                }
            }
            b'0' => {
                zeros = zeros.checked_add(1)?;
                if !fraction {
                    n = n.checked_add(1)?;
                }
            }
            b'1'..=b'9' => {
                for _ in 0..zeros {
                    *digits.get_mut(len)? = b'0';
                    len = len.checked_add(1)?;
                }
                zeros = 0;
                *digits.get_mut(len)? = b;
                len = len.checked_add(1)?;
                if !fraction {
                    n = n.checked_add(1)?;
                }
            }
            _ => break,
        }
        i = i.checked_add(1)?;
    }
    if len == 0 {
        return Some((negative, digits, 0, 0));
    }
    if let Some(b'e' | b'E') = rest.get(i) {
        let exponent = rest.get(i.checked_add(1)?..)?;
        let (sign, magnitude) = match exponent.split_first() {
            Some((b'-', m)) => (-1i32, m),
            Some((b'+', m)) => (1, m),
            _ => (1, exponent),
        };
        // More than four digits is beyond any double either way (the caller falls back).
        if magnitude.is_empty() || magnitude.len() > 4 {
            return None;
        }
        let mut e = 0i32;
        for &d in magnitude {
            if !d.is_ascii_digit() {
                return None;
            }
            e = e
                .checked_mul(10)?
                .checked_add(i32::from(d.wrapping_sub(b'0')))?;
        }
        n = n.checked_add(sign.checked_mul(e)?)?;
    }
    let first = n.checked_sub(1)?;
    (first.abs() <= LEXEME_EXPONENT).then_some((negative, digits, len, n))
}

/// A stack buffer for `{:e}` (at most 24 bytes for a double).
#[derive(Default)]
struct Scratch {
    bytes: [u8; 32],
    len: usize,
    /// Where the text goes if it does not fit (never for a double).
    spill: String,
}

impl Scratch {
    /// Formats `args`, here or (if too long) in `spill`.
    fn format(&mut self, args: fmt::Arguments<'_>) -> &str {
        self.len = 0;
        if fmt::write(self, args).is_ok() {
            // Never the default: only `&str`s were written.
            return core::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default())
                .unwrap_or_default();
        }
        self.spill = std::fmt::format(args);
        &self.spill
    }
}

impl fmt::Write for Scratch {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        for (to, &from) in slot.iter_mut().zip(s.as_bytes()) {
            *to = from;
        }
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn canonical(input: &str) -> String {
        String::from_utf8(canonicalize(input.as_bytes(), JsonLimits::default()).unwrap()).unwrap()
    }

    #[test]
    fn nodes_are_sixteen_bytes() {
        assert_eq!(core::mem::size_of::<Node>(), 16);
    }

    #[test]
    fn whole_documents() {
        for (input, expected) in [
            ("0", "0"),
            ("-0", "0"),
            (" \"a\\/b\" ", "\"a/b\""),
            ("[]", "[]"),
            ("{}", "{}"),
            ("[[],{},[{}]]", "[[],{},[{}]]"),
            (
                "{\"b\": [1, {\"d\": 2, \"c\": 3}], \"a\": {}}",
                "{\"a\":{},\"b\":[1,{\"c\":3,\"d\":2}]}",
            ),
            ("\"\\u001F\\u007f\\u2028\"", "\"\\u001f\u{7f}\u{2028}\""),
            ("{\"\\u0062\": 1, \"a\": 2}", "{\"a\":2,\"b\":1}"),
            ("[1E2, 0.5e1, 1e-7, 1e-6]", "[100,5,1e-7,0.000001]"),
        ] {
            assert_eq!(canonical(input), expected, "{input}");
        }
    }

    #[test]
    fn utf16_order_is_the_reference_order() {
        let names = [
            "",
            "a",
            "ab",
            "b",
            "\u{7f}",
            "\u{80}",
            "\u{ff61}",
            "\u{1f600}",
            "\u{10ffff}",
            "\u{e000}",
            "\u{d7ff}",
        ];
        for a in names {
            for b in names {
                let reference = a.encode_utf16().cmp(b.encode_utf16());
                assert_eq!(
                    utf16_order(a.as_bytes(), b.as_bytes()),
                    reference,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    /// Random strings over characters either side of every boundary that matters (one, two,
    /// three and four bytes; U+D7FF, U+E000, U+FFFF, U+10000), many sharing a prefix, order as
    /// their UTF-16 code units do.
    #[test]
    fn utf16_order_is_the_reference_order_for_any_strings() {
        let pool = [
            'a',
            'b',
            '\u{7f}',
            '\u{80}',
            '\u{7ff}',
            '\u{800}',
            '\u{d7ff}',
            '\u{e000}',
            '\u{eeee}',
            '\u{ff61}',
            '\u{fffd}',
            '\u{ffff}',
            '\u{10000}',
            '\u{1f600}',
            '\u{10ffff}',
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(state >> 33).unwrap() % bound
        };
        let mut string = |prefix: &str| {
            let mut s = prefix.to_owned();
            for _ in 0..next(4) {
                s.push(pool[next(pool.len())]);
            }
            s
        };
        for _ in 0..20_000 {
            let prefix = string("");
            let (a, b) = (string(&prefix), string(&prefix));
            let reference = a.encode_utf16().cmp(b.encode_utf16());
            assert_eq!(
                utf16_order(a.as_bytes(), b.as_bytes()),
                reference,
                "{a:?} {b:?}"
            );
        }
    }

    /// Strings without escapes stay in the input (no copy); the others are unescaped once.
    #[test]
    fn plain_strings_are_not_copied() {
        let input = br#"{"plain": "text", "esc\u0061ped": ["a\nb", "", "\u00e9"]}"#;
        let mut builder = Builder::new(input);
        super::super::validate_with(input, JsonLimits::default(), &mut builder).unwrap();
        let strings: Vec<(Node, &[u8])> = builder
            .tree
            .nodes
            .iter()
            .filter(|n| matches!(n, Node::Plain(_) | Node::Unescaped(_)))
            .map(|&n| (n, builder.tree.text_of(n)))
            .collect();
        assert_eq!(
            strings,
            [
                (Node::Plain(1), &b"plain"[..]),
                (Node::Plain(10), b"text"),
                (Node::Unescaped(0), b"escaped"),
                (Node::Unescaped(15), b"a\nb"),
                (Node::Plain(43), b""),
                (Node::Unescaped(26), "\u{e9}".as_bytes()),
            ]
        );
        let mut out = Vec::new();
        builder.tree.write(&mut out);
        assert_eq!(
            out,
            r#"{"escaped":["a\nb","","é"],"plain":"text"}"#.as_bytes()
        );
    }

    #[test]
    fn refused_numbers_are_placed_as_the_validator_places_them() {
        let got = canonicalize(b"[1,\n {\"a~/b\": [true, 1e20]}]", JsonLimits::default());
        let expected = super::super::validate(
            b"[1,\n {\"a~/b\": [true, 100000000000000000000]}]",
            JsonLimits::default(),
        );
        assert_eq!(got.unwrap_err(), expected.unwrap_err());
    }
}
