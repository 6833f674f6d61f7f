//! The pull reader: XML 1.0 (Fifth Edition) and Namespaces in XML 1.0 for documents without a
//! document type declaration.
//!
//! ```text
//! [1]  document  ::= prolog element Misc*
//! [22] prolog    ::= XMLDecl? Misc* (doctypedecl Misc*)?      -- doctypedecl is refused
//! [27] Misc      ::= Comment | PI | S
//! [39] element   ::= EmptyElemTag | STag content ETag
//! [40] STag      ::= '<' Name (S Attribute)* S? '>'
//! [41] Attribute ::= Name Eq AttValue
//! [42] ETag      ::= '</' Name S? '>'
//! [43] content   ::= CharData? ((element | Reference | CDSect | PI | Comment) CharData?)*
//! [44] EmptyElemTag ::= '<' Name (S Attribute)* S? '/>'
//! ```
//!
//! Events borrow the input; text and attribute values are [`Cow::Borrowed`] unless a
//! reference or end-of-line/attribute normalisation required a rebuilt string. Start-tag
//! events also borrow the reader (their attribute list lives in a buffer the reader reuses),
//! so the reader allocates nothing per element in the steady state.

use std::borrow::Cow;

use memchr::{memchr, memchr3, memmem};

use super::chars::{is_space, ncname_len};
use super::declaration::{parse_declaration, Declaration, DeclaredEncoding};
use super::error::{excerpt, ReservedNamespaceRule, XmlError, XmlErrorKind};
use super::extent::{markup_extent, Markup};
use super::input;
use super::namespace::{Binding, NamespaceId, NamespaceTable, Resolved, Scopes};
use super::reference::{attribute_value, literal_content, parse_reference, text_content};
use crate::limits::XmlLimits;

/// Above this many attributes the uniqueness checks sort instead of comparing all pairs.
const PAIRWISE_UNIQUENESS_MAX: usize = 16;

/// A pull parser over one complete document held in memory.
///
/// ```
/// use crossguard::xml::{Event, Reader};
/// let mut reader = Reader::new(b"<a xmlns='urn:x' n='1'>hi &amp; bye</a>");
/// let mut seen = Vec::new();
/// while let Some(event) = reader.next_event()? {
///     match event {
///         Event::StartTag(tag) => seen.push(format!("<{} in {:?}>", tag.name().local(), tag.namespace())),
///         Event::Text(text) => seen.push(text.content().to_owned()),
///         Event::EndTag(tag) => seen.push(format!("</{}>", tag.name().local())),
///         _ => {}
///     }
/// }
/// assert_eq!(seen, ["<a in Some(\"urn:x\")>", "hi & bye", "</a>"]);
/// # Ok::<(), crossguard::xml::XmlError>(())
/// ```
#[derive(Debug)]
pub struct Reader<'input> {
    pub(super) bytes: &'input [u8],
    pub(super) text: &'input str,
    pub(super) pos: usize,
    pub(super) start: usize,
    pub(super) has_cr: bool,
    pub(super) limits: XmlLimits,
    pub(super) phase: Phase,
    pub(super) open: Vec<OpenElement<'input>>,
    pub(super) scopes: Scopes<'input>,
    pub(super) attributes: Vec<Attribute<'input>>,
    pub(super) nodes: usize,
    /// Offset of an empty-element tag whose end event is still to be reported.
    pub(super) pending_end: Option<usize>,
    failed: Option<XmlError>,
    scratch: Vec<usize>,
    /// Offset in the document of `bytes[0]`: 0, except in a window of a
    /// [`XmlStream`](super::XmlStream), whose events carry document offsets.
    pub(super) base: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    Unchecked,
    Prolog,
    Content,
    Epilog,
    Finished,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct OpenElement<'input> {
    pub(super) name: QName<'input>,
    pub(super) namespace: Option<NamespaceId>,
    pub(super) mark: usize,
}

/// One step of the reader, before it is dressed as an [`Event`] borrowing the reader.
pub(super) enum Step<'input> {
    Declaration(Declaration<'input>),
    Start {
        name: QName<'input>,
        namespace: Option<NamespaceId>,
        mark: usize,
        empty: bool,
        offset: usize,
    },
    End {
        name: QName<'input>,
        namespace: Option<NamespaceId>,
        offset: usize,
    },
    Text(Text<'input>),
    CData(Text<'input>),
    Comment(Text<'input>),
    ProcessingInstruction(ProcessingInstruction<'input>),
}

/// What the reader reports.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'r, 'input> {
    /// The XML declaration (only ever first).
    Declaration(Declaration<'input>),
    /// A start tag, or an empty-element tag (then an [`Event::EndTag`] follows at once).
    StartTag(StartTag<'r, 'input>),
    /// An end tag.
    EndTag(EndTag<'r, 'input>),
    /// A maximal run of character data between markup, references resolved (from an
    /// [`XmlStream`](super::XmlStream): a piece of one, see [`Text::is_continuation`]).
    Text(Text<'input>),
    /// A CDATA section's content (or, streamed, a piece of it).
    CData(Text<'input>),
    /// A comment's content (or, streamed, a piece of it).
    Comment(Text<'input>),
    /// A processing instruction.
    ProcessingInstruction(ProcessingInstruction<'input>),
}

/// A qualified name as written: `prefix:local` or `local`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QName<'input> {
    pub(super) raw: &'input str,
    pub(super) prefix_len: usize,
}

impl<'input> QName<'input> {
    /// Reassembles a name the reader produced (used by the tree, which stores spans).
    pub(crate) fn from_parts(raw: &'input str, prefix_len: usize) -> Self {
        let prefix_len = if raw.as_bytes().get(prefix_len) == Some(&b':') {
            prefix_len
        } else {
            0
        };
        Self { raw, prefix_len }
    }

    pub(crate) fn prefix_len(&self) -> usize {
        self.prefix_len
    }

    /// The name as written, prefix included.
    pub fn as_str(&self) -> &'input str {
        self.raw
    }

    /// The prefix, if any.
    pub fn prefix(&self) -> Option<&'input str> {
        if self.prefix_len == 0 {
            None
        } else {
            self.raw.get(..self.prefix_len)
        }
    }

    /// The local part.
    pub fn local(&self) -> &'input str {
        if self.prefix_len == 0 {
            self.raw
        } else {
            self.raw
                .get(self.prefix_len.saturating_add(1)..)
                .unwrap_or(self.raw)
        }
    }
}

/// An attribute of a start tag (namespace declarations are reported separately).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute<'input> {
    name: QName<'input>,
    namespace: Option<NamespaceId>,
    value: Cow<'input, str>,
    raw_value: &'input str,
    pub(super) offset: usize,
    pub(super) value_offset: usize,
}

impl<'input> Attribute<'input> {
    /// The name as written.
    pub fn name(&self) -> QName<'input> {
        self.name
    }

    /// The namespace the prefix resolves to (unprefixed attributes have none).
    pub fn namespace_id(&self) -> Option<NamespaceId> {
        self.namespace
    }

    /// The normalised value.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The normalised value, borrowed from the input when no rebuild was needed.
    pub fn value_cow(&self) -> &Cow<'input, str> {
        &self.value
    }

    /// The value exactly as written between the quotes.
    pub fn raw_value(&self) -> &'input str {
        self.raw_value
    }

    /// Byte offset of the attribute's name.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Byte offset of the value's first byte (just after the opening quote).
    pub fn value_offset(&self) -> usize {
        self.value_offset
    }
}

/// A start tag: its name, namespace, attributes and the declarations it makes.
#[derive(Clone, Copy, Debug)]
pub struct StartTag<'r, 'input> {
    name: QName<'input>,
    namespace: Option<NamespaceId>,
    attributes: &'r [Attribute<'input>],
    declarations: &'r [Binding<'input>],
    namespaces: &'r NamespaceTable<'input>,
    empty: bool,
    offset: usize,
}

impl<'r, 'input> StartTag<'r, 'input> {
    /// The element name as written.
    pub fn name(&self) -> QName<'input> {
        self.name
    }

    /// The element's namespace name.
    pub fn namespace(&self) -> Option<&'r str> {
        self.namespace.map(|id| self.namespaces.name(id))
    }

    /// The element's namespace id.
    pub fn namespace_id(&self) -> Option<NamespaceId> {
        self.namespace
    }

    /// The attributes in document order, namespace declarations excluded.
    pub fn attributes(&self) -> &'r [Attribute<'input>] {
        self.attributes
    }

    /// The attribute with this expanded name.
    pub fn attribute(&self, namespace: Option<&str>, local: &str) -> Option<&'r Attribute<'input>> {
        self.attributes.iter().find(|a| {
            a.name.local() == local && a.namespace.map(|id| self.namespaces.name(id)) == namespace
        })
    }

    /// The namespace name of one of this tag's attributes.
    pub fn attribute_namespace(&self, attribute: &Attribute<'input>) -> Option<&'r str> {
        attribute.namespace.map(|id| self.namespaces.name(id))
    }

    /// The namespace declarations made on this tag.
    pub fn namespace_declarations(&self) -> &'r [Binding<'input>] {
        self.declarations
    }

    /// The document's namespace table, to resolve ids.
    pub fn namespaces(&self) -> &'r NamespaceTable<'input> {
        self.namespaces
    }

    /// Whether this was an empty-element tag (`<a/>`).
    pub fn is_empty_element(&self) -> bool {
        self.empty
    }

    /// Byte offset of the `<`.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// An end tag (also reported after an empty-element tag).
#[derive(Clone, Copy, Debug)]
pub struct EndTag<'r, 'input> {
    name: QName<'input>,
    namespace: Option<NamespaceId>,
    namespaces: &'r NamespaceTable<'input>,
    offset: usize,
}

impl<'r, 'input> EndTag<'r, 'input> {
    /// The element name as written.
    pub fn name(&self) -> QName<'input> {
        self.name
    }

    /// The element's namespace name.
    pub fn namespace(&self) -> Option<&'r str> {
        self.namespace.map(|id| self.namespaces.name(id))
    }

    /// The element's namespace id.
    pub fn namespace_id(&self) -> Option<NamespaceId> {
        self.namespace
    }

    /// Byte offset of the end tag (of the empty-element tag for `<a/>`).
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// Character data, CDATA or comment content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text<'input> {
    pub(super) content: Cow<'input, str>,
    pub(super) raw: &'input str,
    pub(super) offset: usize,
    pub(super) continued: bool,
}

impl<'input> Text<'input> {
    /// The content as the application sees it.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// The content, borrowed from the input when no rebuild was needed.
    pub fn into_content(self) -> Cow<'input, str> {
        self.content
    }

    /// The content exactly as written.
    pub fn raw(&self) -> &'input str {
        self.raw
    }

    /// Byte offset where the content starts.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Whether this piece continues the previous event's text, CDATA section or comment.
    ///
    /// Always false from a [`Reader`], which reports each whole. An
    /// [`XmlStream`](super::XmlStream) hands long content on in pieces cut at chunk
    /// boundaries; the first piece of each run is not a continuation, the following ones are.
    pub fn is_continuation(&self) -> bool {
        self.continued
    }
}

/// A processing instruction `<?target data?>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessingInstruction<'input> {
    target: &'input str,
    data: Cow<'input, str>,
    pub(super) offset: usize,
}

impl<'input> ProcessingInstruction<'input> {
    /// The target name.
    pub fn target(&self) -> &'input str {
        self.target
    }

    /// The data after the target and its separating whitespace (may be empty).
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The data, borrowed from the input when no rebuild was needed.
    pub fn into_data(self) -> Cow<'input, str> {
        self.data
    }

    /// Byte offset of the `<?`.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<'input> Reader<'input> {
    /// A reader with the default [`XmlLimits`].
    pub fn new(input: &'input [u8]) -> Self {
        Self::with_limits(input, XmlLimits::default())
    }

    /// A reader with explicit limits.
    pub fn with_limits(input: &'input [u8], limits: XmlLimits) -> Self {
        Self {
            bytes: input,
            text: "",
            pos: 0,
            start: 0,
            has_cr: false,
            limits,
            phase: Phase::Unchecked,
            open: Vec::new(),
            scopes: Scopes::new(),
            attributes: Vec::new(),
            nodes: 0,
            pending_end: None,
            failed: None,
            scratch: Vec::new(),
            base: 0,
        }
    }

    /// A reader over one window of a streamed document, resuming from the state a stream
    /// kept: `bytes[0]` is at `base` in the document, `start` is in the window.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn resume(
        bytes: &'input [u8],
        text: &'input str,
        base: usize,
        start: usize,
        limits: XmlLimits,
        phase: Phase,
        nodes: usize,
        scopes: Scopes<'input>,
        open: Vec<OpenElement<'input>>,
        has_cr: bool,
    ) -> Self {
        Self {
            bytes,
            text,
            pos: 0,
            start,
            has_cr,
            limits,
            phase,
            open,
            scopes,
            attributes: Vec::new(),
            nodes,
            pending_end: None,
            failed: None,
            scratch: Vec::new(),
            base,
        }
    }

    /// The next event; `Ok(None)` once the document has been read completely and found
    /// well-formed. After an error, every further call returns the same error.
    #[inline(always)]
    pub fn next_event(&mut self) -> Result<Option<Event<'_, 'input>>, XmlError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        match self.step() {
            Ok(Some(step)) => Ok(Some(self.dress(step))),
            Ok(None) => Ok(None),
            Err(error) => Err(self.remember_error(error)),
        }
    }

    /// Keeps the first error, so that every later call reports it again.
    #[cold]
    fn remember_error(&mut self, error: XmlError) -> XmlError {
        self.failed = Some(error.clone());
        error
    }

    /// Reads to the end, checking well-formedness; returns the number of nodes.
    pub fn validate(mut self) -> Result<usize, XmlError> {
        while self.next_event()?.is_some() {}
        Ok(self.nodes)
    }

    /// Number of open elements.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// Byte offset of the next unread byte.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Nodes reported so far (elements, text runs, CDATA sections, comments, PIs).
    pub fn node_count(&self) -> usize {
        self.nodes
    }

    /// The namespace names met so far.
    pub fn namespaces(&self) -> &NamespaceTable<'input> {
        &self.scopes.table
    }

    /// Runs the whole-input checks (once) and returns the input as text.
    pub(crate) fn checked_source(&mut self) -> Result<&'input str, XmlError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if self.phase == Phase::Unchecked {
            if let Err(error) = self.check_input() {
                return Err(self.remember_error(error));
            }
        }
        Ok(self.text)
    }

    fn check_input(&mut self) -> Result<(), XmlError> {
        let (text, checked) = input::check(self.bytes, self.limits.max_input_bytes)
            .map_err(|(kind, at)| self.fail(kind, at))?;
        self.text = text;
        self.start = checked.start;
        self.has_cr = checked.has_cr;
        self.pos = checked.start;
        self.phase = Phase::Prolog;
        Ok(())
    }

    pub(crate) fn into_namespaces(self) -> NamespaceTable<'input> {
        self.scopes.table
    }

    #[inline(always)]
    pub(super) fn dress(&self, step: Step<'input>) -> Event<'_, 'input> {
        match step {
            Step::Declaration(d) => Event::Declaration(d),
            Step::Start {
                name,
                namespace,
                mark,
                empty,
                offset,
            } => Event::StartTag(StartTag {
                name,
                namespace,
                attributes: &self.attributes,
                declarations: self.scopes.since(mark),
                namespaces: &self.scopes.table,
                empty,
                offset: offset.saturating_add(self.base),
            }),
            Step::End {
                name,
                namespace,
                offset,
            } => Event::EndTag(EndTag {
                name,
                namespace,
                namespaces: &self.scopes.table,
                offset: offset.saturating_add(self.base),
            }),
            Step::Text(t) => Event::Text(t),
            Step::CData(t) => Event::CData(t),
            Step::Comment(t) => Event::Comment(t),
            Step::ProcessingInstruction(mut p) => {
                p.offset = p.offset.saturating_add(self.base);
                Event::ProcessingInstruction(p)
            }
        }
    }

    /// Builds an error (with the element path); cold, so the parsing paths stay small.
    #[cold]
    #[inline(never)]
    pub(super) fn fail(&self, kind: XmlErrorKind, offset: usize) -> XmlError {
        let mut path = String::new();
        for element in &self.open {
            path.push('/');
            path.push_str(element.name.raw);
        }
        XmlError::new(kind, self.bytes, offset, path.into_boxed_str())
    }

    fn slice(&self, from: usize, to: usize) -> Result<&'input str, XmlError> {
        self.text
            .get(from..to)
            .ok_or_else(|| self.fail(XmlErrorKind::InvalidUtf8, from))
    }

    fn rest(&self) -> &'input [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    pub(super) fn count_node(&mut self, offset: usize) -> Result<(), XmlError> {
        if self.nodes >= self.limits.max_nodes {
            return Err(self.fail(
                XmlErrorKind::TooManyNodes {
                    limit: self.limits.max_nodes,
                },
                offset,
            ));
        }
        self.nodes = self.nodes.saturating_add(1);
        Ok(())
    }

    fn skip_space(&mut self) -> bool {
        let skipped = self.rest().iter().take_while(|&&b| is_space(b)).count();
        self.pos = self.pos.saturating_add(skipped);
        skipped > 0
    }

    #[inline(always)]
    pub(super) fn step(&mut self) -> Result<Option<Step<'input>>, XmlError> {
        if self.phase == Phase::Unchecked {
            self.check_input()?;
        }
        if let Some(offset) = self.pending_end.take() {
            return self.close_element(offset).map(Some);
        }
        match self.phase {
            Phase::Finished => Ok(None),
            // Unreachable (the check above leaves `Prolog`), but never "finished": a reader
            // that has read nothing has found no root.
            Phase::Unchecked => Err(self.fail(XmlErrorKind::MissingRoot, self.pos)),
            Phase::Content => match self.bytes.get(self.pos) {
                None => {
                    let name = self.open.last().map_or("", |e| e.name.raw);
                    Err(self.fail(
                        XmlErrorKind::UnclosedElement { name: name.into() },
                        self.pos,
                    ))
                }
                Some(b'<') => self.markup().map(Some),
                Some(_) => self.char_data().map(Some),
            },
            Phase::Prolog | Phase::Epilog => {
                self.skip_space();
                match self.bytes.get(self.pos) {
                    None if self.phase == Phase::Prolog => {
                        Err(self.fail(XmlErrorKind::MissingRoot, self.pos))
                    }
                    None => {
                        self.phase = Phase::Finished;
                        Ok(None)
                    }
                    Some(b'<') => self.markup().map(Some),
                    Some(_) => Err(self.fail(XmlErrorKind::TextOutsideRoot, self.pos)),
                }
            }
        }
    }

    #[inline(always)]
    fn markup(&mut self) -> Result<Step<'input>, XmlError> {
        let rest = self.rest();
        match rest.get(1) {
            Some(b'?') => {
                let offset = self.pos;
                self.processing_instruction()
                    .map_err(|error| self.markup_error(offset, error))
            }
            Some(b'!') => {
                if rest.starts_with(b"<!--") {
                    self.comment()
                } else if rest.starts_with(b"<![CDATA[") {
                    if self.phase != Phase::Content {
                        return Err(self.fail(XmlErrorKind::TextOutsideRoot, self.pos));
                    }
                    self.cdata()
                } else if rest.starts_with(b"<!DOCTYPE") {
                    Err(self.fail(XmlErrorKind::DoctypeForbidden, self.pos))
                } else if b"<!--".starts_with(rest)
                    || b"<![CDATA[".starts_with(rest)
                    || b"<!DOCTYPE".starts_with(rest)
                {
                    Err(self.fail(
                        XmlErrorKind::UnexpectedEof { expected: "markup" },
                        self.bytes.len(),
                    ))
                } else {
                    Err(self.fail(
                        XmlErrorKind::Unexpected {
                            expected: "'<!--' or '<![CDATA[' after '<!'",
                        },
                        self.pos,
                    ))
                }
            }
            Some(b'/') if self.phase == Phase::Content => {
                let offset = self.pos;
                self.end_tag()
                    .map_err(|error| self.markup_error(offset, error))
            }
            Some(b'/') => Err(self.fail(XmlErrorKind::UnmatchedEndTag, self.pos)),
            None => Err(self.fail(
                XmlErrorKind::UnexpectedEof { expected: "markup" },
                self.bytes.len(),
            )),
            Some(_) if self.phase == Phase::Epilog => {
                Err(self.fail(XmlErrorKind::MultipleRoots, self.pos))
            }
            Some(_) => {
                let offset = self.pos;
                self.start_tag()
                    .map_err(|error| self.markup_error(offset, error))
            }
        }
    }

    /// Markup read whole (a tag, a PI, the declaration) that parsed but reached beyond
    /// `max_markup_bytes`: refused at its `<`. (Parsed markup ends where its extent does, so
    /// this is the rule of [`Self::markup_error`] for it.)
    #[cold]
    #[inline(never)]
    fn markup_too_long(&self, offset: usize) -> XmlError {
        let limit = self.limits.max_markup_bytes;
        self.fail(XmlErrorKind::MarkupTooLong { limit }, offset)
    }

    /// The markup at `offset` failed to parse with `error`; it is refused with
    /// `MarkupTooLong` instead when its extent is not within `max_markup_bytes` and the input
    /// goes on beyond them. This rule, unlike the parse's own outcome, does not depend on
    /// where a stream's chunks end.
    #[cold]
    #[inline(never)]
    fn markup_error(&self, offset: usize, error: XmlError) -> XmlError {
        if self.markup_within_limit(offset) == Some(false) {
            return self.markup_too_long(offset);
        }
        error
    }

    /// For the markup at `offset`: `Some(true)` when its extent lies within
    /// `max_markup_bytes`, `Some(false)` when it does not and the bytes go on beyond the
    /// limit, `None` when the bytes end first.
    pub(super) fn markup_within_limit(&self, offset: usize) -> Option<bool> {
        let limit = self.limits.max_markup_bytes;
        let rest = self.bytes.get(offset..).unwrap_or_default();
        let region = rest.get(..limit).unwrap_or(rest);
        if markup_extent(self.markup_kind(offset), region).is_some() {
            Some(true)
        } else if rest.len() > limit {
            Some(false)
        } else {
            None
        }
    }

    /// Which markup starts at `offset`.
    fn markup_kind(&self, offset: usize) -> Markup {
        let rest = self.bytes.get(offset..).unwrap_or_default();
        match rest.get(1) {
            Some(b'/') => Markup::EndTag,
            Some(b'?') => {
                let target = rest.get(2..).unwrap_or_default();
                if offset == self.start
                    && self.phase == Phase::Prolog
                    && target.starts_with(b"xml")
                    && ncname_len(target) == 3
                {
                    Markup::Declaration
                } else {
                    Markup::ProcessingInstruction
                }
            }
            _ => Markup::StartTag,
        }
    }

    /// Reads a `QName` at `at`; returns it and the offset after it.
    fn qname(&self, at: usize, context: &'static str) -> Result<(QName<'input>, usize), XmlError> {
        let rest = self.bytes.get(at..).unwrap_or_default();
        let first = ncname_len(rest);
        if first == 0 {
            let kind = match rest.first() {
                Some(b':') => XmlErrorKind::InvalidQualifiedName,
                None => XmlErrorKind::UnexpectedEof { expected: context },
                Some(_) => XmlErrorKind::InvalidName { context },
            };
            return Err(self.fail(kind, at));
        }
        let (len, prefix_len) = if rest.get(first) == Some(&b':') {
            let local_start = first.saturating_add(1);
            let second = ncname_len(rest.get(local_start..).unwrap_or_default());
            let end = local_start.saturating_add(second);
            if second == 0 || rest.get(end) == Some(&b':') {
                return Err(self.fail(XmlErrorKind::InvalidQualifiedName, at));
            }
            (end, first)
        } else {
            (first, 0)
        };
        if len > self.limits.max_name_bytes {
            return Err(self.fail(
                XmlErrorKind::NameTooLong {
                    limit: self.limits.max_name_bytes,
                },
                at,
            ));
        }
        let end = at.saturating_add(len);
        Ok((
            QName {
                raw: self.slice(at, end)?,
                prefix_len,
            },
            end,
        ))
    }

    fn start_tag(&mut self) -> Result<Step<'input>, XmlError> {
        let offset = self.pos;
        let (name, after_name) = self.qname(offset.saturating_add(1), "element")?;
        let reserved = match name.prefix() {
            Some("xmlns") => Some(ReservedNamespaceRule::XmlnsPrefixOnElement),
            Some("xml") => Some(ReservedNamespaceRule::XmlPrefixOnElement),
            _ => None,
        };
        if let Some(rule) = reserved {
            return Err(self.fail(XmlErrorKind::ReservedNamespace { rule }, offset));
        }
        self.pos = after_name;
        self.attributes.clear();
        let mark = self.scopes.mark();
        let empty = loop {
            let spaced = self.skip_space();
            match self.bytes.get(self.pos) {
                None => {
                    return Err(self.fail(
                        XmlErrorKind::UnexpectedEof {
                            expected: "start tag",
                        },
                        self.pos,
                    ))
                }
                Some(b'>') => {
                    self.pos = self.pos.saturating_add(1);
                    break false;
                }
                Some(b'/') => {
                    if self.bytes.get(self.pos.saturating_add(1)) != Some(&b'>') {
                        return Err(self.fail(
                            XmlErrorKind::Unexpected {
                                expected: "'>' after '/' in an empty-element tag",
                            },
                            self.pos,
                        ));
                    }
                    self.pos = self.pos.saturating_add(2);
                    break true;
                }
                Some(_) if !spaced => {
                    return Err(self.fail(
                        XmlErrorKind::Unexpected {
                            expected: "whitespace, '>' or '/>' after a name or value",
                        },
                        self.pos,
                    ));
                }
                Some(_) => self.attribute(mark)?,
            }
        };
        if self.pos.saturating_sub(offset) > self.limits.max_markup_bytes {
            return Err(self.markup_too_long(offset));
        }
        self.finish_start_tag(name, mark, empty, offset)
    }

    /// One `Attribute` (production 41) at `self.pos`, stored or declared.
    fn attribute(&mut self, mark: usize) -> Result<(), XmlError> {
        let offset = self.pos;
        let count = self
            .attributes
            .len()
            .saturating_add(self.scopes.since(mark).len());
        if count >= self.limits.max_attributes {
            return Err(self.fail(
                XmlErrorKind::TooManyAttributes {
                    limit: self.limits.max_attributes,
                },
                offset,
            ));
        }
        let (name, after_name) = self.qname(offset, "attribute")?;
        self.pos = after_name;
        self.skip_space();
        if self.bytes.get(self.pos) != Some(&b'=') {
            return Err(self.fail(
                XmlErrorKind::Unexpected {
                    expected: "'=' after the attribute name",
                },
                self.pos,
            ));
        }
        self.pos = self.pos.saturating_add(1);
        self.skip_space();
        let quote = match self.bytes.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => q,
            None => {
                return Err(self.fail(
                    XmlErrorKind::UnexpectedEof {
                        expected: "attribute value",
                    },
                    self.pos,
                ))
            }
            Some(_) => {
                return Err(self.fail(
                    XmlErrorKind::Unexpected {
                        expected: "a quoted attribute value",
                    },
                    self.pos,
                ))
            }
        };
        let value_start = self.pos.saturating_add(1);
        let mut at = value_start;
        let mut has_reference = false;
        let value_end = loop {
            let rest = self.bytes.get(at..).unwrap_or_default();
            let Some(found) = memchr3(quote, b'<', b'&', rest) else {
                return Err(self.fail(
                    XmlErrorKind::UnexpectedEof {
                        expected: "attribute value",
                    },
                    self.bytes.len(),
                ));
            };
            at = at.saturating_add(found);
            match self.bytes.get(at) {
                Some(b'<') => return Err(self.fail(XmlErrorKind::LtInAttributeValue, at)),
                Some(b'&') => {
                    let (_, used) = parse_reference(self.bytes.get(at..).unwrap_or_default())
                        .map_err(|k| self.fail(k, at))?;
                    has_reference = true;
                    at = at.saturating_add(used);
                }
                _ => break at,
            }
        };
        self.pos = value_end.saturating_add(1);
        let raw_value = self.slice(value_start, value_end)?;
        let value = if has_reference
            || raw_value
                .bytes()
                .any(|b| matches!(b, b'\t' | b'\n' | b'\r'))
        {
            attribute_value(raw_value)
                .map_err(|(k, rel)| self.fail(k, value_start.saturating_add(rel)))?
        } else {
            Cow::Borrowed(raw_value)
        };

        let declared_prefix = match (name.prefix(), name.local()) {
            (None, "xmlns") => Some(""),
            (Some("xmlns"), local) => Some(local),
            _ => None,
        };
        if let Some(prefix) = declared_prefix {
            if value.len() > crate::limits::MAX_XML_NAMESPACE_NAME_BYTES {
                return Err(self.fail(
                    XmlErrorKind::NamespaceNameTooLong {
                        limit: crate::limits::MAX_XML_NAMESPACE_NAME_BYTES,
                    },
                    offset,
                ));
            }
            self.scopes
                .declare(prefix, value, mark)
                .map_err(|k| self.fail(k, offset))?;
            if self.scopes.declared() > self.limits.max_namespace_declarations {
                return Err(self.fail(
                    XmlErrorKind::TooManyNamespaceDeclarations {
                        limit: self.limits.max_namespace_declarations,
                    },
                    offset,
                ));
            }
        } else {
            self.attributes.push(Attribute {
                name,
                namespace: None,
                value,
                raw_value,
                offset,
                value_offset: value_start,
            });
        }
        Ok(())
    }

    fn finish_start_tag(
        &mut self,
        name: QName<'input>,
        mark: usize,
        empty: bool,
        offset: usize,
    ) -> Result<Step<'input>, XmlError> {
        if self.open.len() >= self.limits.max_depth {
            return Err(self.fail(
                XmlErrorKind::DepthLimitExceeded {
                    limit: self.limits.max_depth,
                },
                offset,
            ));
        }
        let namespace = self.resolve(name.prefix(), offset)?;
        let mut any_prefixed = false;
        for i in 0..self.attributes.len() {
            let Some(attribute) = self.attributes.get(i) else {
                break;
            };
            if let Some(prefix) = attribute.name.prefix() {
                let namespace = self.resolve(Some(prefix), attribute.offset)?;
                if let Some(attribute) = self.attributes.get_mut(i) {
                    attribute.namespace = namespace;
                }
                any_prefixed = true;
            }
        }
        self.check_unique_attributes(any_prefixed)?;
        self.count_node(offset)?;
        self.open.push(OpenElement {
            name,
            namespace,
            mark,
        });
        self.phase = Phase::Content;
        self.pending_end = empty.then_some(offset);
        Ok(Step::Start {
            name,
            namespace,
            mark,
            empty,
            offset,
        })
    }

    fn resolve(
        &self,
        prefix: Option<&str>,
        offset: usize,
    ) -> Result<Option<NamespaceId>, XmlError> {
        match self.scopes.resolve(prefix.unwrap_or("")) {
            Resolved::Namespace(namespace) => Ok(namespace),
            Resolved::Undeclared => Err(self.fail(
                XmlErrorKind::UndeclaredPrefix {
                    prefix: prefix.unwrap_or("").into(),
                },
                offset,
            )),
        }
    }

    /// Attribute uniqueness (WFC: Unique Att Spec) and its namespace form (Namespaces §6.3).
    fn check_unique_attributes(&mut self, any_prefixed: bool) -> Result<(), XmlError> {
        let attributes = &self.attributes;
        if attributes.len() < 2 {
            return Ok(());
        }
        if let Some(i) = find_duplicate(attributes, &mut self.scratch, |_| true, |a| a.name.raw) {
            let attribute = attributes.get(i);
            let name = attribute.map_or("", |a| a.name.raw);
            return Err(self.fail(
                XmlErrorKind::DuplicateAttribute { name: name.into() },
                attribute.map_or(self.pos, |a| a.offset),
            ));
        }
        if any_prefixed {
            if let Some(i) = find_duplicate(
                attributes,
                &mut self.scratch,
                |a| a.namespace.is_some(),
                |a| (a.namespace, a.name.local()),
            ) {
                let attribute = attributes.get(i);
                let local = attribute.map_or("", |a| a.name.local());
                let namespace = attribute
                    .and_then(|a| a.namespace)
                    .map_or("", |id| self.scopes.table.name(id));
                return Err(self.fail(
                    XmlErrorKind::DuplicateExpandedAttribute {
                        local: excerpt(local),
                        namespace: excerpt(namespace),
                    },
                    attribute.map_or(self.pos, |a| a.offset),
                ));
            }
        }
        Ok(())
    }

    fn end_tag(&mut self) -> Result<Step<'input>, XmlError> {
        let offset = self.pos;
        let name_start = offset.saturating_add(2);
        // Fast path: the bytes name the open element and end there (at `>` or whitespace), so
        // the `Name` token is that element's name, already checked at its start tag.
        if let Some(open) = self.open.last() {
            let expected = open.name.raw.as_bytes();
            let after = self.bytes.get(name_start..).unwrap_or_default();
            if after.starts_with(expected)
                && after
                    .get(expected.len())
                    .is_some_and(|&b| b == b'>' || is_space(b))
            {
                self.pos = name_start.saturating_add(expected.len());
                self.skip_space();
                if self.bytes.get(self.pos) == Some(&b'>') {
                    self.pos = self.pos.saturating_add(1);
                    if self.pos.saturating_sub(offset) > self.limits.max_markup_bytes {
                        return Err(self.markup_too_long(offset));
                    }
                    return self.close_element(offset);
                }
                self.pos = offset;
            }
        }
        let (name, after_name) = self.qname(name_start, "end tag")?;
        self.pos = after_name;
        self.skip_space();
        match self.bytes.get(self.pos) {
            Some(b'>') => self.pos = self.pos.saturating_add(1),
            None => {
                return Err(self.fail(
                    XmlErrorKind::UnexpectedEof {
                        expected: "end tag",
                    },
                    self.pos,
                ))
            }
            Some(_) => {
                return Err(self.fail(
                    XmlErrorKind::Unexpected {
                        expected: "'>' to close the end tag",
                    },
                    self.pos,
                ))
            }
        }
        match self.open.last() {
            Some(open) if open.name.raw == name.raw => {}
            Some(open) => {
                let kind = XmlErrorKind::MismatchedEndTag {
                    expected: open.name.raw.into(),
                    found: name.raw.into(),
                };
                return Err(self.fail(kind, offset));
            }
            None => return Err(self.fail(XmlErrorKind::UnmatchedEndTag, offset)),
        }
        if self.pos.saturating_sub(offset) > self.limits.max_markup_bytes {
            return Err(self.markup_too_long(offset));
        }
        self.close_element(offset)
    }

    fn close_element(&mut self, offset: usize) -> Result<Step<'input>, XmlError> {
        let Some(open) = self.open.pop() else {
            return Err(self.fail(XmlErrorKind::UnmatchedEndTag, offset));
        };
        self.scopes.truncate(open.mark);
        if self.open.is_empty() {
            self.phase = Phase::Epilog;
        }
        Ok(Step::End {
            name: open.name,
            namespace: open.namespace,
            offset,
        })
    }

    /// `CharData` and references up to the next `<` (productions 14, 66–68).
    fn char_data(&mut self) -> Result<Step<'input>, XmlError> {
        let start = self.pos;
        let mut at = start;
        let mut has_reference = false;
        let end = loop {
            let rest = self.bytes.get(at..).unwrap_or_default();
            let Some(found) = find_text_end(rest) else {
                let name = self.open.last().map_or("", |e| e.name.raw);
                return Err(self.fail(
                    XmlErrorKind::UnclosedElement { name: name.into() },
                    self.bytes.len(),
                ));
            };
            at = at.saturating_add(found);
            match self.bytes.get(at) {
                Some(b'&') => {
                    let (_, used) = parse_reference(self.bytes.get(at..).unwrap_or_default())
                        .map_err(|k| self.fail(k, at))?;
                    has_reference = true;
                    at = at.saturating_add(used);
                }
                Some(b']') => {
                    if self.bytes.get(at..).unwrap_or_default().starts_with(b"]]>") {
                        return Err(self.fail(XmlErrorKind::CdataEndInText, at));
                    }
                    at = at.saturating_add(1);
                }
                _ => break at,
            }
        };
        self.pos = end;
        let raw = self.slice(start, end)?;
        let content = if has_reference || (self.has_cr && memchr(b'\r', raw.as_bytes()).is_some()) {
            text_content(raw).map_err(|(k, rel)| self.fail(k, start.saturating_add(rel)))?
        } else {
            Cow::Borrowed(raw)
        };
        self.count_node(start)?;
        Ok(Step::Text(Text {
            content,
            raw,
            offset: start,
            continued: false,
        }))
    }

    /// `Comment` (production 15).
    fn comment(&mut self) -> Result<Step<'input>, XmlError> {
        let offset = self.pos;
        let body_start = offset.saturating_add(4);
        let body = self.bytes.get(body_start..).unwrap_or_default();
        let Some(dashes) = memmem::find(body, b"--") else {
            return Err(self.fail(
                XmlErrorKind::UnexpectedEof {
                    expected: "comment",
                },
                self.bytes.len(),
            ));
        };
        let body_end = body_start.saturating_add(dashes);
        match body.get(dashes.saturating_add(2)) {
            Some(b'>') => {}
            None => {
                return Err(self.fail(
                    XmlErrorKind::UnexpectedEof {
                        expected: "comment",
                    },
                    self.bytes.len(),
                ))
            }
            Some(_) => return Err(self.fail(XmlErrorKind::DoubleHyphenInComment, body_end)),
        }
        self.literal_text(offset, body_start, body_end, b"-->".len())
            .map(Step::Comment)
    }

    /// `CDSect` (productions 18–21).
    fn cdata(&mut self) -> Result<Step<'input>, XmlError> {
        let offset = self.pos;
        let body_start = offset.saturating_add(b"<![CDATA[".len());
        let body = self.bytes.get(body_start..).unwrap_or_default();
        let Some(close) = memmem::find(body, b"]]>") else {
            return Err(self.fail(
                XmlErrorKind::UnexpectedEof {
                    expected: "CDATA section",
                },
                self.bytes.len(),
            ));
        };
        let body_end = body_start.saturating_add(close);
        self.literal_text(offset, body_start, body_end, b"]]>".len())
            .map(Step::CData)
    }

    /// `PI` (productions 16–17), or the XML declaration when it opens the document.
    fn processing_instruction(&mut self) -> Result<Step<'input>, XmlError> {
        let offset = self.pos;
        let target_start = offset.saturating_add(2);
        let rest = self.bytes.get(target_start..).unwrap_or_default();
        let len = ncname_len(rest);
        let context = "processing-instruction target";
        if len == 0 {
            let kind = if rest.is_empty() {
                XmlErrorKind::UnexpectedEof { expected: context }
            } else {
                XmlErrorKind::InvalidName { context }
            };
            return Err(self.fail(kind, target_start));
        }
        if rest.get(len) == Some(&b':') {
            return Err(self.fail(XmlErrorKind::InvalidName { context }, target_start));
        }
        if len > self.limits.max_name_bytes {
            return Err(self.fail(
                XmlErrorKind::NameTooLong {
                    limit: self.limits.max_name_bytes,
                },
                target_start,
            ));
        }
        let target_end = target_start.saturating_add(len);
        let target = self.slice(target_start, target_end)?;
        if target.eq_ignore_ascii_case("xml") {
            return if target != "xml" {
                Err(self.fail(XmlErrorKind::ReservedPiTarget, target_start))
            } else if offset == self.start && self.phase == Phase::Prolog {
                self.declaration()
            } else {
                Err(self.fail(XmlErrorKind::MisplacedXmlDeclaration, offset))
            };
        }
        let after = rest.get(len..).unwrap_or_default();
        let (data_start, data_end) = if after.starts_with(b"?>") {
            (target_end, target_end)
        } else if after.first().is_some_and(|&b| is_space(b)) {
            self.pos = target_end;
            self.skip_space();
            let data_start = self.pos;
            let Some(close) = memmem::find(self.rest(), b"?>") else {
                return Err(self.fail(
                    XmlErrorKind::UnexpectedEof {
                        expected: "processing instruction",
                    },
                    self.bytes.len(),
                ));
            };
            (data_start, data_start.saturating_add(close))
        } else if after.is_empty() {
            return Err(self.fail(
                XmlErrorKind::UnexpectedEof {
                    expected: "processing instruction",
                },
                self.bytes.len(),
            ));
        } else {
            return Err(self.fail(
                XmlErrorKind::Unexpected {
                    expected: "whitespace or '?>' after the processing-instruction target",
                },
                target_end,
            ));
        };
        let raw = self.slice(data_start, data_end)?;
        self.pos = data_end.saturating_add(2);
        if self.pos.saturating_sub(offset) > self.limits.max_markup_bytes {
            return Err(self.markup_too_long(offset));
        }
        self.count_node(offset)?;
        Ok(Step::ProcessingInstruction(ProcessingInstruction {
            target,
            data: self.literal(raw),
            offset,
        }))
    }

    fn declaration(&mut self) -> Result<Step<'input>, XmlError> {
        let offset = self.pos;
        let (declaration, used) = parse_declaration(self.rest())
            .map_err(|(k, rel)| self.fail(k, offset.saturating_add(rel)))?;
        if used > self.limits.max_markup_bytes {
            return Err(self.markup_too_long(offset));
        }
        if declaration.declared_encoding == Some(DeclaredEncoding::UsAscii) {
            if let Some(non_ascii) = self.bytes.iter().position(|b| !b.is_ascii()) {
                return Err(self.fail(XmlErrorKind::NonAsciiInAsciiDocument, non_ascii));
            }
        }
        self.pos = offset.saturating_add(used);
        Ok(Step::Declaration(declaration))
    }

    /// The content of a comment or CDATA section between `body_start` and `body_end`, counted
    /// as a node; the cursor moves past the closing delimiter.
    fn literal_text(
        &mut self,
        offset: usize,
        body_start: usize,
        body_end: usize,
        closer: usize,
    ) -> Result<Text<'input>, XmlError> {
        let raw = self.slice(body_start, body_end)?;
        self.pos = body_end.saturating_add(closer);
        self.count_node(offset)?;
        Ok(Text {
            content: self.literal(raw),
            raw,
            offset: body_start,
            continued: false,
        })
    }

    fn literal(&self, raw: &'input str) -> Cow<'input, str> {
        if self.has_cr {
            literal_content(raw)
        } else {
            Cow::Borrowed(raw)
        }
    }
}

/// The first `<`, `&` or `]` in `rest`. Text runs in structured documents are mostly short
/// (indentation, a value): the first sixteen bytes are scanned directly, and `memchr3` (whose
/// vector setup costs more than such a run) takes over beyond them.
#[inline]
fn find_text_end(rest: &[u8]) -> Option<usize> {
    const SHORT: usize = 16;
    let head = rest.get(..SHORT).unwrap_or(rest);
    if let Some(i) = head.iter().position(|&b| matches!(b, b'<' | b'&' | b']')) {
        return Some(i);
    }
    let tail = rest.get(head.len()..).unwrap_or_default();
    memchr3(b'<', b'&', b']', tail).map(|i| i.saturating_add(head.len()))
}

/// Index of the first item (in document order) whose key equals an earlier item's key,
/// among the items `include` selects. Pairwise for a few items, sorted for many.
fn find_duplicate<'a, T, K: Ord + 'a>(
    items: &'a [T],
    scratch: &mut Vec<usize>,
    include: impl Fn(&T) -> bool,
    key: impl Fn(&'a T) -> K,
) -> Option<usize> {
    if items.len() <= PAIRWISE_UNIQUENESS_MAX {
        for (i, item) in items.iter().enumerate().filter(|(_, item)| include(item)) {
            let k = key(item);
            if items
                .get(..i)
                .unwrap_or_default()
                .iter()
                .filter(|other| include(other))
                .any(|other| key(other) == k)
            {
                return Some(i);
            }
        }
        return None;
    }
    scratch.clear();
    scratch.extend(
        items
            .iter()
            .enumerate()
            .filter(|(_, item)| include(item))
            .map(|(i, _)| i),
    );
    scratch.sort_by(|&a, &b| match (items.get(a), items.get(b)) {
        (Some(x), Some(y)) => key(x).cmp(&key(y)).then(a.cmp(&b)),
        _ => a.cmp(&b),
    });
    scratch
        .windows(2)
        .filter_map(|pair| match pair {
            [a, b] => match (items.get(*a), items.get(*b)) {
                (Some(x), Some(y)) if key(x) == key(y) => Some(*b),
                _ => None,
            },
            _ => None,
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event as a compact string, or the error code.
    fn events(input: &str) -> Result<Vec<String>, &'static str> {
        let mut reader = Reader::new(input.as_bytes());
        let mut out = Vec::new();
        loop {
            match reader.next_event() {
                Ok(None) => return Ok(out),
                Ok(Some(event)) => out.push(match event {
                    Event::Declaration(d) => {
                        format!("decl {} {:?} {:?}", d.version, d.encoding, d.standalone)
                    }
                    Event::StartTag(t) => {
                        let attributes: Vec<String> = t
                            .attributes()
                            .iter()
                            .map(|a| {
                                format!(
                                    "{}{{{}}}={:?}",
                                    a.name().as_str(),
                                    t.attribute_namespace(a).unwrap_or(""),
                                    a.value()
                                )
                            })
                            .collect();
                        let empty = if t.is_empty_element() { "/" } else { "" };
                        format!(
                            "<{}{{{}}} {}{empty}>",
                            t.name().as_str(),
                            t.namespace().unwrap_or(""),
                            attributes.join(" ")
                        )
                    }
                    Event::EndTag(t) => format!(
                        "</{}{{{}}}>",
                        t.name().as_str(),
                        t.namespace().unwrap_or("")
                    ),
                    Event::Text(t) => format!("text {:?}", t.content()),
                    Event::CData(t) => format!("cdata {:?}", t.content()),
                    Event::Comment(t) => format!("comment {:?}", t.content()),
                    Event::ProcessingInstruction(p) => format!("pi {} {:?}", p.target(), p.data()),
                }),
                Err(e) => return Err(e.kind().code()),
            }
        }
    }

    fn ok(input: &str) -> Vec<String> {
        events(input).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    #[test]
    fn start_end_and_empty_element_tags() {
        // [40] STag, [42] ETag, [44] EmptyElemTag
        assert_eq!(ok("<a  x='1'\n></a\t>"), ["<a{} x{}=\"1\">", "</a{}>"]);
        assert_eq!(ok("<a/>"), ["<a{} />", "</a{}>"]);
        assert_eq!(events("<a x='1'/ >"), Err("unexpected"));
        assert_eq!(events("<a></b>"), Err("mismatched-end-tag"));
    }

    /// The end-tag fast path (the open name followed by `>` or whitespace) and every way out
    /// of it: a longer name, a prefix of the name, junk after the name, the end of input.
    #[test]
    fn end_tag_matching_edges() {
        assert_eq!(ok("<p:a xmlns:p='urn:p'></p:a \r\n>").len(), 2);
        assert_eq!(ok("<ab><a></a></ab>").len(), 4);
        assert_eq!(events("<a></ab>"), Err("mismatched-end-tag"));
        assert_eq!(events("<ab></a>"), Err("mismatched-end-tag"));
        assert_eq!(events("<a></a\u{e9}>"), Err("mismatched-end-tag"));
        assert_eq!(events("<a></a x>"), Err("unexpected"));
        assert_eq!(events("<a></a "), Err("unexpected-eof"));
        assert_eq!(events("<a></a"), Err("unexpected-eof"));
        assert_eq!(
            events("<p:a xmlns:p='urn:p'></p:a:b>"),
            Err("invalid-qualified-name")
        );
    }

    #[test]
    fn attributes_and_values() {
        // [41] Attribute, [10] AttValue, §3.3.3 normalisation
        assert_eq!(
            ok("<a x = \"a'b\" y='a\"b'/>")[0],
            "<a{} x{}=\"a'b\" y{}=\"a\\\"b\"/>"
        );
        assert_eq!(ok("<a x='&#x20;&amp;\t\r\n.'/>")[0], "<a{} x{}=\" &  .\"/>");
        assert_eq!(events("<a x='1' x='2'/>"), Err("duplicate-attribute"));
        assert_eq!(events("<a x=1/>"), Err("unexpected"));
        assert_eq!(events("<a x='<'/>"), Err("lt-in-attribute-value"));
    }

    #[test]
    fn character_data_and_references() {
        // [14] CharData, [66] CharRef, [68] EntityRef, §2.11
        assert_eq!(
            ok("<a>x &lt; y\r\nz ]] &#x5D;]></a>")[1],
            "text \"x < y\\nz ]] ]]>\""
        );
        assert_eq!(events("<a>]]></a>"), Err("cdata-end-in-text"));
        assert_eq!(events("<a>&unknown;</a>"), Err("undefined-entity"));
    }

    #[test]
    fn cdata_comments_and_processing_instructions() {
        // [18] CDSect, [15] Comment, [16] PI
        assert_eq!(ok("<a><![CDATA[<&]]]]></a>")[1], "cdata \"<&]]\"");
        assert_eq!(ok("<a><!-- x - y --></a>")[1], "comment \" x - y \"");
        assert_eq!(ok("<a><?go  now ?></a>")[1], "pi go \"now \"");
        assert_eq!(ok("<a><?go?></a>")[1], "pi go \"\"");
        assert_eq!(
            events("<a><!-- -- --></a>"),
            Err("double-hyphen-in-comment")
        );
        assert_eq!(events("<a><?XmL?></a>"), Err("reserved-pi-target"));
    }

    #[test]
    fn prolog_and_epilog() {
        // [1] document, [22] prolog, [27] Misc, [23] XMLDecl
        assert_eq!(
            ok("<?xml version='1.0' standalone='no'?>\n<!--c--><?p?><r/> <!--d-->"),
            [
                "decl 1.0 None Some(false)",
                "comment \"c\"",
                "pi p \"\"",
                "<r{} />",
                "</r{}>",
                "comment \"d\""
            ]
        );
        assert_eq!(events("<r/><r/>"), Err("multiple-roots"));
        assert_eq!(events("<!--c-->"), Err("missing-root"));
        assert_eq!(events("<r/>x"), Err("text-outside-root"));
        assert_eq!(
            events("<!--c--><?xml version='1.0'?><r/>"),
            Err("misplaced-xml-declaration")
        );
        assert_eq!(events("<!DOCTYPE r><r/>"), Err("doctype-forbidden"));
    }

    #[test]
    fn namespaces_resolve_by_scope() {
        // Namespaces in XML 1.0 §5 and §6
        assert_eq!(
            ok("<p:a xmlns:p='urn:p' xmlns='urn:d'><b p:x='1' y='2'><c xmlns=''/></b></p:a>"),
            [
                "<p:a{urn:p} >",
                "<b{urn:d} p:x{urn:p}=\"1\" y{}=\"2\">",
                "<c{} />",
                "</c{}>",
                "</b{urn:d}>",
                "</p:a{urn:p}>"
            ]
        );
        assert_eq!(
            ok("<a xml:lang='en'/>")[0],
            "<a{} xml:lang{http://www.w3.org/XML/1998/namespace}=\"en\"/>"
        );
        assert_eq!(
            events("<a><p:b xmlns:p='urn:p'/><p:c/></a>"),
            Err("undeclared-prefix")
        );
        assert_eq!(
            events("<a xmlns:p='u' xmlns:q='u' p:x='' q:x=''/>"),
            Err("duplicate-expanded-attribute")
        );
    }

    #[test]
    fn declarations_are_reported_on_their_tag() {
        let mut reader = Reader::new(b"<a xmlns='urn:d' xmlns:p='urn:p' p:k='v'/>");
        let Ok(Some(Event::StartTag(tag))) = reader.next_event() else {
            panic!("no start tag")
        };
        let declared: Vec<(&str, Option<&str>)> = tag
            .namespace_declarations()
            .iter()
            .map(|b| (b.prefix, b.namespace.map(|id| tag.namespaces().name(id))))
            .collect();
        assert_eq!(declared, [("", Some("urn:d")), ("p", Some("urn:p"))]);
        assert_eq!(
            tag.attribute(Some("urn:p"), "k").map(Attribute::value),
            Some("v")
        );
        assert_eq!(tag.attribute(None, "k"), None);
    }

    #[test]
    fn many_attributes_use_the_sorted_uniqueness_check() {
        let many: String = (0..40).map(|i| format!(" a{i}='{i}'")).collect();
        assert_eq!(events(&format!("<a{many}/>")).map(|e| e.len()), Ok(2));
        assert_eq!(
            events(&format!("<a{many} a39='again'/>")),
            Err("duplicate-attribute")
        );
        let prefixed: String = (0..40).map(|i| format!(" p:a{i}='{i}'")).collect();
        assert_eq!(
            events(&format!("<a xmlns:p='u' xmlns:q='u'{prefixed} q:a17=''/>")),
            Err("duplicate-expanded-attribute")
        );
    }

    #[test]
    fn text_is_borrowed_when_nothing_changes_it() {
        let input = b"<a k='v'>plain</a>";
        let mut reader = Reader::new(input);
        let Ok(Some(Event::StartTag(tag))) = reader.next_event() else {
            panic!()
        };
        assert!(matches!(
            tag.attributes()[0].value_cow(),
            Cow::Borrowed("v")
        ));
        let Ok(Some(Event::Text(text))) = reader.next_event() else {
            panic!()
        };
        assert!(matches!(text.into_content(), Cow::Borrowed("plain")));
    }
}
