//! The reader fed in chunks: a document of any size read in memory bounded by the limits.
//!
//! [`XmlStream`] runs the same grammar code as [`Reader`] over a window: the bytes left over
//! from the previous chunk (at most one incomplete construct) followed by the new chunk.
//! Between chunks it keeps only what the grammar needs from the past, copied out of the
//! window: the open elements' names, the namespace declarations in scope, the node count, the
//! phase, and the line and column of the window's first byte. Offsets, lines and columns in
//! events and errors are those of the whole document.
//!
//! What is held, and what bounds it:
//! - a tag, a processing instruction or the XML declaration is parsed whole, so a chunk that
//!   ends inside one is kept until the rest arrives: at most
//!   [`XmlLimits::max_markup_bytes`] (the [`Reader`] refuses longer markup too);
//! - character data, CDATA sections and comments are handed on in pieces cut at chunk
//!   boundaries ([`Text::is_continuation`](super::Text::is_continuation)); a piece never ends
//!   inside a UTF-8 sequence, a reference, a CR LF pair or a possible closing delimiter, so at
//!   most [`REFERENCE_LOOKAHEAD`] bytes of text are kept;
//! - names and namespace declarations in scope: bounded by `max_depth`, `max_name_bytes`,
//!   `max_namespace_declarations` and `max_markup_bytes`.
//!
//! Same verdict as the [`Reader`], whatever the chunking. The [`Reader`] checks the whole
//! input (size, encoding, characters) before it reads any markup, so an invalid byte near the
//! end of a document outranks a grammar error near its start. A stream cannot look ahead:
//! after a grammar error it stops parsing but goes on checking the input, and
//! [`XmlStream::finish`] reports the error the [`Reader`] would have reported. Only a document
//! larger than `max_input_bytes` is refused by [`XmlStream::feed`] itself, where the limit is
//! crossed. Events handed on before an error are provisional: a document is accepted only when
//! [`XmlStream::finish`] says so.

use core::ops::{ControlFlow, Range};
use std::collections::HashMap;

use memchr::{memchr3, memmem};

use super::chars::is_space;
use super::declaration::DeclaredEncoding;
use super::error::{XmlError, XmlErrorKind};
use super::input::{check_chars, looks_like_utf16_or_utf32, UTF8_BOM};
use super::namespace::{NamespaceId, Scopes};
use super::reader::{Event, OpenElement, Phase, QName, Reader, Step, Text};
use super::reference::{literal_content, parse_reference, text_content, REFERENCE_LOOKAHEAD};
use crate::limits::XmlLimits;

/// A chunk-fed XML validator and event source with the [`Reader`]'s semantics.
///
/// The [`NamespaceId`]s in its events are valid within one event only (the namespace table is
/// rebuilt for each chunk): compare namespace names across events.
///
/// ```
/// use core::ops::ControlFlow;
/// use crossguard::limits::XmlLimits;
/// use crossguard::xml::{Event, XmlStream};
///
/// let document = b"<r a='1'>some long text &amp; more</r>";
/// let mut stream = XmlStream::new(XmlLimits::default());
/// let mut text = String::new();
/// let mut visit = |event: Event<'_, '_>| {
///     if let Event::Text(piece) = event {
///         text.push_str(piece.content()); // a piece: a chunk may end inside a text
///     }
///     ControlFlow::Continue(())
/// };
/// for chunk in document.chunks(7) {
///     stream.feed_with(chunk, &mut visit)?;
/// }
/// // The last events may come only with the end of the input.
/// let stats = stream.finish_with(&mut visit)?;
/// assert_eq!(text, "some long text & more");
/// assert_eq!(stats.nodes, 2);
/// # Ok::<(), crossguard::xml::XmlError>(())
/// ```
#[derive(Debug)]
pub struct XmlStream {
    limits: XmlLimits,
    /// Bytes kept from earlier chunks; `carry[0]` is at `base` in the document.
    carry: Vec<u8>,
    base: usize,
    /// Line and column of `base`.
    position: Position,
    /// Bytes fed so far.
    fed: usize,
    /// The first bytes have been examined (UTF-16 detection, byte-order mark).
    started: bool,
    bom: bool,
    /// Offset of the first byte after the byte-order mark.
    start: usize,
    /// Bytes before this offset are valid UTF-8 made of `Char`s.
    checked: usize,
    /// The declaration named US-ASCII: every later byte must be ASCII.
    ascii_only: bool,
    /// A carriage return was seen (else end-of-line handling is a no-op, as in the reader).
    seen_cr: bool,
    /// The grammar is being read (not after an error, the end, or a request to stop).
    parsing: bool,
    /// Offset of the next byte the grammar reads.
    pos: usize,
    phase: Phase,
    nodes: usize,
    saved: Saved,
    run: Option<Run>,
    /// The grammar waits for the window to reach this offset (so that a long construct
    /// arriving in small chunks is not re-read once per chunk).
    resume_at: usize,
    stop: Stop,
    /// The error to report, with its rank (lower outranks higher).
    error: Option<(Rank, XmlError)>,
}

/// What a finished stream read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct XmlStats {
    /// Nodes, counted as the [`Reader`] counts them (a text run is one node, however many
    /// pieces it arrived in).
    pub nodes: usize,
    /// Bytes fed.
    pub bytes: usize,
}

/// Which error the [`Reader`] reports first: the whole-input checks in their order, then the
/// US-ASCII check of the declaration (which scans the whole input), then the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    InputTooLarge,
    Utf16,
    InvalidUtf8,
    IllegalChar,
    NonAscii,
    Grammar,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// Events are wanted.
    No,
    /// The visitor asked to stop: the node under way is read to its end, silently.
    Requested,
}

/// Content being handed on in pieces.
#[derive(Clone, Copy, Debug)]
struct Run {
    kind: RunKind,
    /// Offset of the node (the text's first byte, the `<!--` or `<![CDATA[`).
    node: usize,
    /// Line and column of `node`, noted once the window moves past it.
    node_position: Option<(usize, usize)>,
    /// A piece has been handed on.
    emitted: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunKind {
    Text,
    Comment,
    CData,
}

/// What the grammar did with the window.
enum Progress {
    Continue,
    Wait,
}

/// A grammar error: placed in the window (offset relative to it), or already placed.
enum Fault {
    Window(XmlError),
    Placed(XmlError),
}

impl From<XmlError> for Fault {
    fn from(error: XmlError) -> Self {
        Self::Window(error)
    }
}

impl XmlStream {
    /// A stream with these limits. `max_input_bytes` bounds the whole document; raise it (up
    /// to `usize::MAX`) to stream documents larger than any buffer.
    pub fn new(limits: XmlLimits) -> Self {
        Self {
            limits,
            carry: Vec::new(),
            base: 0,
            position: Position::START,
            fed: 0,
            started: false,
            bom: false,
            start: 0,
            checked: 0,
            ascii_only: false,
            seen_cr: false,
            parsing: true,
            pos: 0,
            phase: Phase::Prolog,
            nodes: 0,
            saved: Saved::default(),
            run: None,
            resume_at: 0,
            stop: Stop::No,
            error: None,
        }
    }

    /// Feeds the next chunk, discarding events.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), XmlError> {
        self.feed_with(chunk, &mut |_| ControlFlow::Continue(()))
    }

    /// Feeds the next chunk; `visit` receives the events it completes, in document order.
    ///
    /// When `visit` returns `Break`, the node under way is still read to its end (without
    /// events) and the grammar then stops: the rest of the document is only checked for size
    /// and encoding, as a [`Reader`] whose caller stops pulling events would have done.
    ///
    /// Fails only when the document grows beyond `max_input_bytes` (every later call fails
    /// the same way); every other error is reported by [`Self::finish`].
    pub fn feed_with<F>(&mut self, chunk: &[u8], visit: &mut F) -> Result<(), XmlError>
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        if let Some((Rank::InputTooLarge, error)) = &self.error {
            return Err(error.clone());
        }
        let before = self.fed;
        self.fed = self.fed.saturating_add(chunk.len());
        let limit = self.limits.max_input_bytes;
        if self.fed > limit {
            let within = chunk.get(..limit.saturating_sub(before)).unwrap_or(chunk);
            let mut at = self.position;
            at.advance(&self.carry);
            at.advance(within);
            let error = XmlError::new(XmlErrorKind::InputTooLarge { limit }, &[], 0, "".into())
                .placed(limit, at.line_and_column());
            self.error = Some((Rank::InputTooLarge, error.clone()));
            self.carry = Vec::new();
            self.parsing = false;
            return Err(error);
        }
        if self.carry.is_empty() {
            let keep = self.process(chunk, false, visit);
            let dropped = self.keep(chunk, keep);
            self.carry
                .extend_from_slice(chunk.get(dropped..).unwrap_or_default());
        } else {
            let mut data = core::mem::take(&mut self.carry);
            data.extend_from_slice(chunk);
            let keep = self.process(&data, false, visit);
            let dropped = self.keep(&data, keep);
            data.drain(..dropped);
            self.carry = data;
        }
        Ok(())
    }

    /// Ends the document: the verdict the [`Reader`] gives on the whole input.
    pub fn finish(self) -> Result<XmlStats, XmlError> {
        self.finish_with(&mut |_| ControlFlow::Continue(()))
    }

    /// Ends the document, handing the last events to `visit`.
    pub fn finish_with<F>(mut self, visit: &mut F) -> Result<XmlStats, XmlError>
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        if self.error.is_none() || self.checking_input() {
            let data = core::mem::take(&mut self.carry);
            self.process(&data, true, visit);
        }
        if let Some((_, error)) = self.error {
            return Err(error);
        }
        if self.parsing && self.phase != Phase::Finished {
            // The grammar always reaches an end or an error on the last window; fail closed.
            let error = XmlError::new(
                XmlErrorKind::UnexpectedEof {
                    expected: "document",
                },
                &[],
                0,
                "".into(),
            );
            return Err(error);
        }
        Ok(XmlStats {
            nodes: self.nodes,
            bytes: self.fed,
        })
    }

    /// Whether the document is already known to be rejected (the final error, reported by
    /// [`Self::finish`], may still change to one that the [`Reader`] would report first).
    pub fn is_rejected(&self) -> bool {
        self.error.is_some()
    }

    /// Bytes held between chunks (the unfinished construct at the end of the last chunk).
    pub fn carried_bytes(&self) -> usize {
        self.carry.len()
    }

    /// Nodes counted so far.
    pub fn node_count(&self) -> usize {
        self.nodes
    }

    fn checking_input(&self) -> bool {
        self.error
            .as_ref()
            .is_none_or(|(rank, _)| *rank > Rank::InvalidUtf8)
    }

    fn set_error(&mut self, rank: Rank, error: XmlError) {
        if self.error.as_ref().is_none_or(|(r, _)| rank < *r) {
            self.error = Some((rank, error));
        }
        self.parsing = false;
    }

    /// Moves the window's start to `keep` (the first byte still needed); returns how many
    /// bytes of `data` (the window) are no longer needed.
    fn keep(&mut self, data: &[u8], keep: usize) -> usize {
        let dropped = keep.saturating_sub(self.base).min(data.len());
        self.position
            .advance(data.get(..dropped).unwrap_or_default());
        self.base = self.base.saturating_add(dropped);
        dropped
    }

    /// An error found by the input checks, at document offset `at` (within `data`).
    fn input_error(&self, data: &[u8], kind: XmlErrorKind, at: usize) -> XmlError {
        let mut position = self.position;
        position.advance(data.get(..at.saturating_sub(self.base)).unwrap_or_default());
        XmlError::new(kind, &[], 0, "".into()).placed(at, position.line_and_column())
    }

    /// Checks and reads `data` (the window: `data[0]` is at `base`); returns the offset of
    /// the first byte to keep.
    fn process<F>(&mut self, data: &[u8], at_end: bool, visit: &mut F) -> usize
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        let end = self.base.saturating_add(data.len());
        if !self.started {
            if self.fed < 4 && !at_end {
                return self.base;
            }
            self.started = true;
            if looks_like_utf16_or_utf32(data) {
                let error = self.input_error(data, XmlErrorKind::Utf16Unsupported, 0);
                self.set_error(Rank::Utf16, error);
            }
            self.bom = data.starts_with(UTF8_BOM);
            self.start = if self.bom { UTF8_BOM.len() } else { 0 };
            self.pos = self.start;
        }
        if !self.checking_input() {
            self.checked = end;
            return end;
        }
        let fresh_from = self.checked.saturating_sub(self.base);
        let fresh = data.get(fresh_from..).unwrap_or_default();
        let valid = match core::str::from_utf8(fresh) {
            Ok(_) => fresh.len(),
            Err(e) => {
                if e.error_len().is_some() || at_end {
                    let at = self.checked.saturating_add(e.valid_up_to());
                    let error = self.input_error(data, XmlErrorKind::InvalidUtf8, at);
                    self.set_error(Rank::InvalidUtf8, error);
                }
                e.valid_up_to()
            }
        };
        let fresh = fresh.get(..valid).unwrap_or_default();
        if self
            .error
            .as_ref()
            .is_none_or(|(r, _)| *r > Rank::IllegalChar)
        {
            match check_chars(fresh, 0) {
                Ok(cr) => self.seen_cr |= cr,
                Err((kind, at)) => {
                    let error = self.input_error(data, kind, self.checked.saturating_add(at));
                    self.set_error(Rank::IllegalChar, error);
                }
            }
        }
        if self.ascii_only && self.error.as_ref().is_none_or(|(r, _)| *r > Rank::NonAscii) {
            if let Some(i) = fresh.iter().position(|b| !b.is_ascii()) {
                let at = self.checked.saturating_add(i);
                let error = self.input_error(data, XmlErrorKind::NonAsciiInAsciiDocument, at);
                self.set_error(Rank::NonAscii, error);
            }
        }
        self.checked = self.checked.saturating_add(valid);
        if self.parsing && (at_end || self.checked >= self.resume_at) {
            let window = data
                .get(..self.checked.saturating_sub(self.base))
                .unwrap_or_default();
            self.grammar(window, at_end, visit);
        }
        if self.parsing {
            self.pos.min(self.checked)
        } else {
            self.checked
        }
    }

    /// Runs the grammar over `window` (valid text starting at `base`).
    fn grammar<F>(&mut self, window: &[u8], at_end: bool, visit: &mut F)
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        let Ok(text) = core::str::from_utf8(window) else {
            return;
        };
        let base = self.base;
        let saved = core::mem::take(&mut self.saved);
        let (scopes, open) = saved.restore();
        let start = self.start.checked_sub(base).unwrap_or(usize::MAX);
        let mut reader = Reader::resume(
            window,
            text,
            base,
            start,
            self.limits,
            self.phase,
            self.nodes,
            scopes,
            open,
            self.seen_cr,
        );
        reader.pos = self.pos.saturating_sub(base);
        let outcome = self.drive(&mut reader, at_end, visit);
        self.phase = reader.phase;
        self.nodes = reader.nodes;
        self.pos = base.saturating_add(reader.pos);
        self.saved = Saved::capture(&reader);
        match outcome {
            Ok(()) => {
                if self.stop == Stop::Requested && self.run.is_none() {
                    self.parsing = false;
                }
                if self.phase == Phase::Finished {
                    self.parsing = false;
                }
                let held = window.len().saturating_sub(reader.pos);
                self.resume_at = self.checked.saturating_add(held.max(1));
                if let Some(run) = &mut self.run {
                    if run.node_position.is_none() {
                        let mut at = self.position;
                        at.advance(
                            window
                                .get(..run.node.saturating_sub(base))
                                .unwrap_or_default(),
                        );
                        run.node_position = Some(at.line_and_column());
                    }
                }
            }
            Err(Fault::Placed(error)) => self.set_error(Rank::Grammar, error),
            Err(Fault::Window(error)) => {
                let offset = error.offset();
                let mut at = self.position;
                at.advance(window.get(..offset).unwrap_or(window));
                let error = error.placed(base.saturating_add(offset), at.line_and_column());
                let rank = if matches!(error.kind(), XmlErrorKind::NonAsciiInAsciiDocument) {
                    Rank::NonAscii
                } else {
                    Rank::Grammar
                };
                self.set_error(rank, error);
            }
        }
    }

    /// Reads constructs from the window until it runs out, an error, or the end.
    fn drive<F>(
        &mut self,
        reader: &mut Reader<'_>,
        at_end: bool,
        visit: &mut F,
    ) -> Result<(), Fault>
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        loop {
            if reader.pending_end.is_some() {
                if let Some(step) = reader.step()? {
                    self.emit(reader, step, visit);
                }
                continue;
            }
            let progress = match self.run {
                Some(run) if run.kind == RunKind::Text => {
                    self.text_piece(reader, run, at_end, visit)?
                }
                Some(run) => self.literal_piece(reader, run, at_end, visit)?,
                None => {
                    if self.stop == Stop::Requested {
                        return Ok(());
                    }
                    self.construct(reader, at_end, visit)?
                }
            };
            if let Progress::Wait = progress {
                return Ok(());
            }
        }
    }

    /// Starts the construct at the reader's position.
    fn construct<F>(
        &mut self,
        reader: &mut Reader<'_>,
        at_end: bool,
        visit: &mut F,
    ) -> Result<Progress, Fault>
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        let window = reader.bytes;
        match reader.phase {
            Phase::Finished => return Ok(Progress::Wait),
            Phase::Prolog | Phase::Epilog => {
                let spaces = window
                    .get(reader.pos..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&b| is_space(b))
                    .count();
                reader.pos = reader.pos.saturating_add(spaces);
            }
            Phase::Content | Phase::Unchecked => {}
        }
        let rest = window.get(reader.pos..).unwrap_or_default();
        match rest.first() {
            None if !at_end => Ok(Progress::Wait),
            None => self.whole_step(reader, false, at_end, visit),
            Some(b'<') => self.markup(reader, at_end, visit),
            Some(_) if reader.phase == Phase::Content => {
                self.run = Some(Run {
                    kind: RunKind::Text,
                    node: reader.base.saturating_add(reader.pos),
                    node_position: None,
                    emitted: false,
                });
                Ok(Progress::Continue)
            }
            Some(_) => self.whole_step(reader, false, at_end, visit),
        }
    }

    /// Markup at the reader's position (a `<`).
    fn markup<F>(
        &mut self,
        reader: &mut Reader<'_>,
        at_end: bool,
        visit: &mut F,
    ) -> Result<Progress, Fault>
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        let rest = reader.bytes.get(reader.pos..).unwrap_or_default();
        let node = reader.base.saturating_add(reader.pos);
        let run = |kind| Run {
            kind,
            node,
            node_position: None,
            emitted: false,
        };
        match rest.get(1) {
            None if !at_end => Ok(Progress::Wait),
            None => self.whole_step(reader, false, at_end, visit),
            Some(b'!') => {
                if rest.starts_with(b"<!--") {
                    self.run = Some(run(RunKind::Comment));
                    reader.pos = reader.pos.saturating_add(4);
                    Ok(Progress::Continue)
                } else if rest.starts_with(b"<![CDATA[") && reader.phase == Phase::Content {
                    self.run = Some(run(RunKind::CData));
                    reader.pos = reader.pos.saturating_add(9);
                    Ok(Progress::Continue)
                } else if !at_end
                    && (b"<!--".starts_with(rest)
                        || b"<![CDATA[".starts_with(rest)
                        || b"<!DOCTYPE".starts_with(rest))
                {
                    Ok(Progress::Wait)
                } else {
                    self.whole_step(reader, false, at_end, visit)
                }
            }
            Some(b'?') => self.whole_step(reader, true, at_end, visit),
            Some(b'/') => {
                let held_whole = reader.phase == Phase::Content;
                self.whole_step(reader, held_whole, at_end, visit)
            }
            Some(_) => {
                let held_whole = reader.phase != Phase::Epilog;
                self.whole_step(reader, held_whole, at_end, visit)
            }
        }
    }

    /// One step of the reader. For markup read whole (`held_whole`), an error that may come
    /// from the window ending inside the markup means "wait for more"; the reader's state is
    /// then put back as it was.
    fn whole_step<F>(
        &mut self,
        reader: &mut Reader<'_>,
        held_whole: bool,
        at_end: bool,
        visit: &mut F,
    ) -> Result<Progress, Fault>
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        let offset = reader.pos;
        let mark = reader.scopes.mark();
        match reader.step() {
            Ok(Some(step)) => {
                if let Step::Declaration(declaration) = &step {
                    if declaration.declared_encoding == Some(DeclaredEncoding::UsAscii) {
                        if self.bom {
                            return Err(self.non_ascii_at_start(reader));
                        }
                        self.ascii_only = true;
                    }
                }
                self.emit(reader, step, visit);
                Ok(Progress::Continue)
            }
            Ok(None) => Ok(Progress::Wait),
            Err(error) => {
                if self.bom && matches!(error.kind(), XmlErrorKind::NonAsciiInAsciiDocument) {
                    return Err(self.non_ascii_at_start(reader));
                }
                let genuine = !held_whole
                    || at_end
                    || matches!(error.kind(), XmlErrorKind::MarkupTooLong { .. })
                    || reader.markup_within_limit(offset) == Some(true);
                if genuine {
                    Err(Fault::Window(error))
                } else {
                    reader.pos = offset;
                    reader.scopes.truncate(mark);
                    Ok(Progress::Wait)
                }
            }
        }
    }

    /// The byte-order mark is the first non-ASCII byte of a document declared US-ASCII.
    fn non_ascii_at_start(&self, reader: &Reader<'_>) -> Fault {
        let error = reader.fail(XmlErrorKind::NonAsciiInAsciiDocument, 0);
        Fault::Placed(error.placed(0, (1, 1)))
    }

    /// Hands an event to the visitor (unless it asked to stop).
    fn emit<F>(&mut self, reader: &mut Reader<'_>, step: Step<'_>, visit: &mut F)
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        if self.stop != Stop::No {
            return;
        }
        if let Step::Start { .. } = step {
            let base = reader.base;
            for attribute in &mut reader.attributes {
                attribute.offset = attribute.offset.saturating_add(base);
                attribute.value_offset = attribute.value_offset.saturating_add(base);
            }
        }
        // The reader's step borrows the window, the dressed event the reader as well.
        let step: Step<'_> = step;
        if visit(reader.dress(step)).is_break() {
            self.stop = Stop::Requested;
        }
    }

    /// Hands a piece of content to the visitor.
    fn emit_piece<F>(&mut self, kind: RunKind, piece: Text<'_>, visit: &mut F)
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        if self.stop != Stop::No {
            return;
        }
        let event = match kind {
            RunKind::Text => Event::Text(piece),
            RunKind::Comment => Event::Comment(piece),
            RunKind::CData => Event::CData(piece),
        };
        if visit(event).is_break() {
            self.stop = Stop::Requested;
        }
    }

    /// Counts the run's node, as the reader does when the run is complete.
    fn count_run(&self, reader: &mut Reader<'_>, run: Run) -> Result<(), Fault> {
        let limit = self.limits.max_nodes;
        if reader.nodes < limit {
            reader.nodes = reader.nodes.saturating_add(1);
            return Ok(());
        }
        let kind = XmlErrorKind::TooManyNodes { limit };
        match run.node.checked_sub(reader.base) {
            Some(rel) => Err(Fault::Window(reader.fail(kind, rel))),
            None => {
                let error = reader.fail(kind, 0);
                let at = run.node_position.unwrap_or((1, 1));
                Err(Fault::Placed(error.placed(run.node, at)))
            }
        }
    }

    /// The next piece of character data (production 14 with references, as the reader's
    /// `char_data` reads it), up to a `<` or to a safe cut before the window's end.
    fn text_piece<F>(
        &mut self,
        reader: &mut Reader<'_>,
        mut run: Run,
        at_end: bool,
        visit: &mut F,
    ) -> Result<Progress, Fault>
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        let window = reader.bytes;
        let len = window.len();
        let start = reader.pos;
        let mut at = start;
        let (mut cut, complete) = loop {
            let rest = window.get(at..).unwrap_or_default();
            let Some(found) = memchr3(b'<', b'&', b']', rest) else {
                if at_end {
                    let name = reader.open.last().map_or("", |e| e.name.raw);
                    let kind = XmlErrorKind::UnclosedElement { name: name.into() };
                    return Err(Fault::Window(reader.fail(kind, len)));
                }
                break (len, false);
            };
            at = at.saturating_add(found);
            match window.get(at) {
                Some(b'&') => {
                    if !at_end && len.saturating_sub(at) < REFERENCE_LOOKAHEAD {
                        break (at, false);
                    }
                    let (_, used) = parse_reference(window.get(at..).unwrap_or_default())
                        .map_err(|k| reader.fail(k, at))?;
                    at = at.saturating_add(used);
                }
                Some(b']') => {
                    let tail = window.get(at..).unwrap_or_default();
                    if tail.starts_with(b"]]>") {
                        return Err(Fault::Window(reader.fail(XmlErrorKind::CdataEndInText, at)));
                    }
                    if !at_end && b"]]>".starts_with(tail) {
                        break (at, false);
                    }
                    at = at.saturating_add(1);
                }
                _ => break (at, true),
            }
        };
        if !complete && cut > start && window.get(cut.saturating_sub(1)) == Some(&b'\r') {
            cut = cut.saturating_sub(1);
        }
        if complete {
            self.count_run(reader, run)?;
        }
        if cut > start {
            let raw = reader
                .text
                .get(start..cut)
                .ok_or_else(|| reader.fail(XmlErrorKind::InvalidUtf8, start))?;
            let content =
                text_content(raw).map_err(|(k, rel)| reader.fail(k, start.saturating_add(rel)))?;
            let piece = Text {
                content,
                raw,
                offset: reader.base.saturating_add(start),
                continued: run.emitted,
            };
            run.emitted = true;
            self.emit_piece(RunKind::Text, piece, visit);
        }
        reader.pos = cut;
        self.finish_run(run, complete)
    }

    /// The next piece of a comment (production 15) or CDATA section (18–21).
    fn literal_piece<F>(
        &mut self,
        reader: &mut Reader<'_>,
        mut run: Run,
        at_end: bool,
        visit: &mut F,
    ) -> Result<Progress, Fault>
    where
        F: FnMut(Event<'_, '_>) -> ControlFlow<()>,
    {
        let window = reader.bytes;
        let len = window.len();
        let start = reader.pos;
        let body = window.get(start..).unwrap_or_default();
        let (expected, closer): (&'static str, &[u8]) = match run.kind {
            RunKind::Comment => ("comment", b"--"),
            _ => ("CDATA section", b"]]>"),
        };
        let eof = |reader: &Reader<'_>| {
            Fault::Window(reader.fail(XmlErrorKind::UnexpectedEof { expected }, len))
        };
        // (end of the content, end of the construct) once complete; else the safe cut.
        let (mut cut, after) = match memmem::find(body, closer) {
            Some(found) => {
                let found = start.saturating_add(found);
                if run.kind == RunKind::Comment {
                    match window.get(found.saturating_add(2)) {
                        Some(b'>') => (found, Some(found.saturating_add(3))),
                        Some(_) => {
                            return Err(Fault::Window(
                                reader.fail(XmlErrorKind::DoubleHyphenInComment, found),
                            ))
                        }
                        None if at_end => return Err(eof(reader)),
                        None => (found, None),
                    }
                } else {
                    (found, Some(found.saturating_add(3)))
                }
            }
            None if at_end => return Err(eof(reader)),
            None => {
                // Keep a possible start of the closing delimiter.
                let partial = (1..closer.len())
                    .rev()
                    .find(|&n| {
                        body.len() >= n && body.ends_with(closer.get(..n).unwrap_or_default())
                    })
                    .unwrap_or(0);
                (len.saturating_sub(partial), None)
            }
        };
        let complete = after.is_some();
        if !complete && cut > start && window.get(cut.saturating_sub(1)) == Some(&b'\r') {
            cut = cut.saturating_sub(1);
        }
        if complete {
            self.count_run(reader, run)?;
        }
        if cut > start || (complete && !run.emitted) {
            let raw = reader
                .text
                .get(start..cut)
                .ok_or_else(|| reader.fail(XmlErrorKind::InvalidUtf8, start))?;
            let piece = Text {
                content: literal_content(raw),
                raw,
                offset: reader.base.saturating_add(start),
                continued: run.emitted,
            };
            run.emitted = true;
            self.emit_piece(run.kind, piece, visit);
        }
        reader.pos = after.unwrap_or(cut);
        self.finish_run(run, complete)
    }

    fn finish_run(&mut self, run: Run, complete: bool) -> Result<Progress, Fault> {
        if complete {
            self.run = None;
            Ok(Progress::Continue)
        } else {
            self.run = Some(run);
            Ok(Progress::Wait)
        }
    }
}

/// Line and column of a byte, advanced over the bytes before it (as
/// [`line_and_column`](super::line_and_column) counts them).
#[derive(Clone, Copy, Debug)]
struct Position {
    line: usize,
    /// Characters since the start of the line.
    chars: usize,
    /// The last byte passed was a CR (a LF right after it does not start another line).
    after_cr: bool,
}

impl Position {
    const START: Self = Self {
        line: 1,
        chars: 0,
        after_cr: false,
    };

    fn advance(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else {
            return;
        };
        let mut line_start = None;
        let mut previous_cr = self.after_cr;
        let mut scanned = 0usize;
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if at > scanned {
                previous_cr = false;
            }
            let b = bytes.get(at).copied().unwrap_or(b'\n');
            if !(b == b'\n' && previous_cr) {
                self.line = self.line.saturating_add(1);
            }
            previous_cr = b == b'\r';
            scanned = at.saturating_add(1);
            line_start = Some(scanned);
        }
        let tail = bytes.get(line_start.unwrap_or(0)..).unwrap_or_default();
        let chars = tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        self.chars = match line_start {
            Some(_) => chars,
            None => self.chars.saturating_add(chars),
        };
        self.after_cr = last == b'\r';
    }

    fn line_and_column(self) -> (usize, usize) {
        (self.line, self.chars.saturating_add(1))
    }
}

/// The grammar state a stream keeps between windows, copied out of the last window: open
/// elements and namespace bindings in scope, their names in one buffer.
#[derive(Debug, Default)]
struct Saved {
    names: String,
    open: Vec<SavedOpen>,
    bindings: Vec<(Range<usize>, Option<Range<usize>>)>,
}

#[derive(Clone, Debug)]
struct SavedOpen {
    name: Range<usize>,
    prefix_len: usize,
    namespace: Option<Range<usize>>,
    mark: usize,
}

impl Saved {
    fn capture(reader: &Reader<'_>) -> Self {
        let mut saved = Self::default();
        // Each namespace name once, found by its interned id (not by comparing names, which
        // would cost the square of the bindings in scope at every chunk).
        let mut namespaces: HashMap<NamespaceId, Range<usize>> = HashMap::new();
        let table = &reader.scopes.table;
        let mut store = |names: &mut String, id: NamespaceId| -> Range<usize> {
            namespaces
                .entry(id)
                .or_insert_with(|| push(names, table.name(id)))
                .clone()
        };
        for binding in reader.scopes.bindings() {
            let prefix = push(&mut saved.names, binding.prefix);
            let namespace = binding.namespace.map(|id| store(&mut saved.names, id));
            saved.bindings.push((prefix, namespace));
        }
        for element in &reader.open {
            let name = push(&mut saved.names, element.name.raw);
            let namespace = element.namespace.map(|id| store(&mut saved.names, id));
            saved.open.push(SavedOpen {
                name,
                prefix_len: element.name.prefix_len,
                namespace,
                mark: element.mark,
            });
        }
        saved
    }

    fn restore(&self) -> (Scopes<'_>, Vec<OpenElement<'_>>) {
        let text = |range: &Range<usize>| self.names.get(range.clone()).unwrap_or_default();
        let mut scopes = Scopes::new();
        for (prefix, namespace) in &self.bindings {
            scopes.restore(text(prefix), namespace.as_ref().map(text));
        }
        let open = self
            .open
            .iter()
            .map(|element| OpenElement {
                name: QName {
                    raw: text(&element.name),
                    prefix_len: element.prefix_len,
                },
                namespace: element
                    .namespace
                    .as_ref()
                    .and_then(|range| scopes.intern(text(range))),
                mark: element.mark,
            })
            .collect();
        (scopes, open)
    }
}

fn push(names: &mut String, name: &str) -> Range<usize> {
    let from = names.len();
    names.push_str(name);
    from..names.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The events of a document as strings (text pieces joined), or the error with its place.
    fn streamed(
        input: &[u8],
        chunk: usize,
    ) -> Result<(usize, String), (String, usize, usize, usize)> {
        let mut stream = XmlStream::new(XmlLimits::default());
        let mut text = String::new();
        let mut visit = |event: Event<'_, '_>| {
            if let Event::Text(t) = event {
                text.push_str(t.content());
            }
            ControlFlow::Continue(())
        };
        let fail = |e: XmlError| (e.kind().code().to_owned(), e.offset(), e.line(), e.column());
        for piece in input.chunks(chunk.max(1)) {
            stream.feed_with(piece, &mut visit).map_err(fail)?;
        }
        let stats = stream.finish_with(&mut visit).map_err(fail)?;
        Ok((stats.nodes, text))
    }

    fn whole(input: &[u8]) -> Result<(usize, String), (String, usize, usize, usize)> {
        let mut reader = Reader::new(input);
        let mut text = String::new();
        loop {
            match reader.next_event() {
                Ok(None) => return Ok((reader.node_count(), text)),
                Ok(Some(Event::Text(t))) => text.push_str(t.content()),
                Ok(Some(_)) => {}
                Err(e) => {
                    return Err((e.kind().code().to_owned(), e.offset(), e.line(), e.column()))
                }
            }
        }
    }

    #[test]
    fn agrees_with_the_reader_at_every_chunk_size() {
        let cases: &[&[u8]] = &[
            b"<a x='1' y=\"&lt;\">t&amp;t\r\nu<!--c-->v<![CDATA[w]]></a>",
            b"\xEF\xBB\xBF<?xml version='1.0' encoding='US-ASCII'?><a/>",
            b"<?xml version='1.0' encoding='US-ASCII'?><a>\xC3\xA9</a>",
            b"<a>]]></a>",
            b"<a><!-- -- --></a>",
            b"<a>\n<b></c></a>",
            b"<a>text",
            b"<a>x</a>\xFF<b>",
            b"<r><p:a xmlns:p='urn:p'><p:b/></p:a><p:c/></r>",
            b"",
            b"<a>&#x10FFFF;&#00000000000000000000000000000000000000000000000000000000000000065;</a>",
            b"<a/>\x01",
            b"<!-- a --><?pi x?><a/><!-- b -->  ",
        ];
        for case in cases {
            let expected = whole(case);
            for chunk in 1..=case.len().max(1) {
                assert_eq!(
                    streamed(case, chunk),
                    expected,
                    "{:?} in chunks of {chunk}",
                    String::from_utf8_lossy(case)
                );
            }
        }
    }

    #[test]
    fn positions_match_line_and_column() {
        let input = "ab\ncd\r\nef\rg\u{e9}h\r".as_bytes();
        for split in 0..=input.len() {
            for offset in split..=input.len() {
                let mut p = Position::START;
                p.advance(&input[..split]);
                p.advance(&input[split..offset]);
                assert_eq!(
                    p.line_and_column(),
                    super::super::line_and_column(input, offset)
                );
            }
        }
    }
}
