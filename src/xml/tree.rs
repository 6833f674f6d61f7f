//! A read-only tree borrowed from the input, built from the [`Reader`]'s events.
//!
//! Nodes live in one vector in document order; each records its parent and the index just
//! past its subtree, so children are found by skipping subtrees and nothing is linked by
//! pointer. Text is one node per maximal run of character data (adjacent text and CDATA
//! sections merge, as in the XPath data model that canonicalisation works on); empty runs are
//! not nodes. Whitespace outside the root element and the XML declaration are not nodes.
//!
//! The layout is compact because a tree is as large as its document: names and borrowed
//! strings are `u32` spans of the input, rebuilt strings (references, normalisation) sit in a
//! side table, so a node takes 36 bytes and an attribute 28. A tree therefore holds documents
//! of at most `u32::MAX` bytes and nodes, whatever the limits say.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::declaration::Declaration;
use super::error::{XmlError, XmlErrorKind};
use super::namespace::{NamespaceId, NamespaceTable};
use super::reader::{Attribute, Event, QName, Reader};
use crate::limits::XmlLimits;

/// A parsed, well-formed document that borrows its input.
///
/// ```
/// use crossguard::xml::Document;
/// let doc = Document::parse(b"<p:a xmlns:p='urn:p' k='v'><b>text</b><!--c--></p:a>")?;
/// let root = doc.root();
/// assert_eq!(root.local_name(), Some("a"));
/// assert_eq!(root.namespace(), Some("urn:p"));
/// assert_eq!(root.attribute(None, "k"), Some("v"));
/// let b = root.child_elements().next().unwrap();
/// assert_eq!(b.text(), Some("text"));
/// # Ok::<(), crossguard::xml::XmlError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Document<'input> {
    source: &'input str,
    nodes: Vec<NodeData>,
    attributes: Vec<AttributeData>,
    owned: Vec<String>,
    namespaces: NamespaceTable<'input>,
    root: usize,
    declaration: Option<Declaration<'input>>,
}

/// A range of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// The spanned text (empty if the span does not fit `source`, which never happens for
    /// spans the builder made from that source).
    fn of(self, source: &str) -> &str {
        let start = usize::try_from(self.start).unwrap_or(usize::MAX);
        let end = start.saturating_add(usize::try_from(self.len).unwrap_or(usize::MAX));
        source.get(start..end).unwrap_or("")
    }
}

/// A string: a span of the input, or an entry of the document's table of rebuilt strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextRef {
    Input(Span),
    Owned(u32),
}

#[derive(Clone, Copy, Debug)]
struct NodeData {
    kind: NodeKind,
    /// `u32::MAX` for top-level nodes.
    parent: u32,
    /// Index just past this node's subtree.
    end: u32,
}

const NO_PARENT: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
enum NodeKind {
    Element {
        name: Span,
        prefix_len: u32,
        namespace: Option<NamespaceId>,
        first_attribute: u32,
        attribute_count: u32,
    },
    Text(TextRef),
    Comment(TextRef),
    ProcessingInstruction {
        target: Span,
        data: TextRef,
    },
}

#[derive(Clone, Copy, Debug)]
struct AttributeData {
    name: Span,
    prefix_len: u32,
    namespace: Option<NamespaceId>,
    value: TextRef,
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NodeType {
    /// An element.
    Element,
    /// A run of character data.
    Text,
    /// A comment.
    Comment,
    /// A processing instruction.
    ProcessingInstruction,
}

/// A handle on one node of a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'doc, 'input> {
    doc: &'doc Document<'input>,
    id: usize,
}

/// A handle on one attribute of an element in a [`Document`].
#[derive(Clone, Copy)]
pub struct NodeAttribute<'doc, 'input> {
    doc: &'doc Document<'input>,
    data: &'doc AttributeData,
}

/// Most bytes and nodes a tree can index with its `u32` spans.
#[expect(
    clippy::as_conversions,
    reason = "lossless: usize has at least 32 bits on every target std supports"
)]
const TREE_CAPACITY: usize = u32::MAX as usize;

impl<'input> Document<'input> {
    /// Parses a document with the default [`XmlLimits`].
    pub fn parse(input: &'input [u8]) -> Result<Self, XmlError> {
        Self::parse_with_limits(input, XmlLimits::default())
    }

    /// Parses a document with explicit limits (input size and node count are further capped
    /// at `u32::MAX`, the tree's index width).
    pub fn parse_with_limits(input: &'input [u8], limits: XmlLimits) -> Result<Self, XmlError> {
        let limits = XmlLimits {
            max_input_bytes: limits.max_input_bytes.min(TREE_CAPACITY),
            max_nodes: limits.max_nodes.min(TREE_CAPACITY.saturating_sub(1)),
            ..limits
        };
        let mut reader = Reader::with_limits(input, limits);
        let source = reader.checked_source()?;
        let mut builder = Builder::with_capacity_for(source, limits);
        let mut declaration = None;
        while let Some(event) = reader.next_event()? {
            match event {
                Event::Declaration(d) => declaration = Some(d),
                Event::StartTag(tag) => {
                    builder.start(tag.name(), tag.namespace_id(), tag.attributes())
                }
                Event::EndTag(_) => builder.end(),
                Event::Text(text) | Event::CData(text) => builder.text(text.into_content()),
                Event::Comment(text) => {
                    let text = builder.text_ref(text.into_content());
                    builder.push(NodeKind::Comment(text));
                }
                Event::ProcessingInstruction(pi) => {
                    let target = builder.span(pi.target());
                    let data = builder.text_ref(pi.into_data());
                    builder.push(NodeKind::ProcessingInstruction { target, data });
                }
            }
        }
        let Some(root) = builder.root else {
            return Err(XmlError::new(
                XmlErrorKind::MissingRoot,
                input,
                input.len(),
                Box::from(""),
            ));
        };
        Ok(Self {
            source: builder.source,
            nodes: builder.nodes,
            attributes: builder.attributes,
            owned: builder.owned,
            namespaces: reader.into_namespaces(),
            root,
            declaration,
        })
    }

    /// The root element.
    pub fn root(&self) -> Node<'_, 'input> {
        Node {
            doc: self,
            id: self.root,
        }
    }

    /// The top-level nodes: comments and processing instructions around the root, and the root.
    pub fn top_level(&self) -> Siblings<'_, 'input> {
        Siblings {
            doc: self,
            next: 0,
            end: self.nodes.len(),
        }
    }

    /// The XML declaration, if the document had one.
    pub fn declaration(&self) -> Option<&Declaration<'input>> {
        self.declaration.as_ref()
    }

    /// The namespace names used in the document.
    pub fn namespaces(&self) -> &NamespaceTable<'input> {
        &self.namespaces
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Every node in document order.
    pub fn descendants(&self) -> impl Iterator<Item = Node<'_, 'input>> + '_ {
        (0..self.nodes.len()).map(move |id| Node { doc: self, id })
    }

    fn data(&self, id: usize) -> Option<&NodeData> {
        self.nodes.get(id)
    }

    fn span(&self, span: Span) -> &'input str {
        span.of(self.source)
    }

    fn text(&self, text: TextRef) -> &str {
        match text {
            TextRef::Input(span) => self.span(span),
            TextRef::Owned(i) => usize::try_from(i)
                .ok()
                .and_then(|i| self.owned.get(i))
                .map_or("", String::as_str),
        }
    }

    fn qname(&self, name: Span, prefix_len: u32) -> QName<'input> {
        QName::from_parts(self.span(name), usize::try_from(prefix_len).unwrap_or(0))
    }
}

/// The tree under construction.
///
/// Index conversions cannot fail: the limits passed to the reader cap bytes and nodes at
/// `u32::MAX`, and attributes are bounded by nodes times the attribute limit — where a
/// conversion would still overflow, the value saturates, which only ever shortens a span
/// (the accessors then return fewer bytes, never someone else's).
struct Builder<'input> {
    source: &'input str,
    nodes: Vec<NodeData>,
    attributes: Vec<AttributeData>,
    owned: Vec<String>,
    open: Vec<u32>,
    root: Option<usize>,
}

fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'input> Builder<'input> {
    /// Reserves the vectors once, from a cheap count of `<` (an upper bound on the non-text
    /// nodes and a close estimate of all nodes in element-heavy documents) and of `=`, capped
    /// by the node limit. Only an input that passed the size limit is counted.
    fn with_capacity_for(source: &'input str, limits: XmlLimits) -> Self {
        let input = source.as_bytes();
        let nodes = memchr::memchr_iter(b'<', input)
            .count()
            .saturating_add(1)
            .min(limits.max_nodes);
        let attributes = memchr::memchr_iter(b'=', input)
            .count()
            .min(nodes.saturating_mul(2));
        Self {
            source,
            nodes: Vec::with_capacity(nodes),
            attributes: Vec::with_capacity(attributes),
            owned: Vec::new(),
            open: Vec::new(),
            root: None,
        }
    }

    /// The span of a slice of the input; `None` for a string that is not part of it.
    fn input_span(&self, s: &str) -> Option<Span> {
        let start = s.as_ptr().addr().checked_sub(self.source.as_ptr().addr())?;
        let end = start.checked_add(s.len())?;
        let same = self
            .source
            .get(start..end)
            .is_some_and(|slice| core::ptr::eq(slice.as_ptr(), s.as_ptr()));
        same.then(|| Span {
            start: index(start),
            len: index(s.len()),
        })
    }

    /// A span for a name (always a slice of the input); a foreign string gets an empty span.
    fn span(&self, s: &str) -> Span {
        self.input_span(s).unwrap_or(Span { start: 0, len: 0 })
    }

    fn text_ref(&mut self, text: Cow<'_, str>) -> TextRef {
        if let Cow::Borrowed(s) = &text {
            if let Some(span) = self.input_span(s) {
                return TextRef::Input(span);
            }
        }
        self.owned.push(text.into_owned());
        TextRef::Owned(index(self.owned.len().saturating_sub(1)))
    }

    fn push(&mut self, kind: NodeKind) -> usize {
        let id = self.nodes.len();
        let parent = self.open.last().copied().unwrap_or(NO_PARENT);
        self.nodes.push(NodeData {
            kind,
            parent,
            end: index(id.saturating_add(1)),
        });
        id
    }

    fn start(
        &mut self,
        name: QName<'input>,
        namespace: Option<NamespaceId>,
        attributes: &[Attribute<'input>],
    ) {
        let first_attribute = index(self.attributes.len());
        for attribute in attributes {
            // A rebuilt value lives in the reader's buffer, not the input: text_ref copies it.
            let value = self.text_ref(Cow::Borrowed(attribute.value()));
            self.attributes.push(AttributeData {
                name: self.span(attribute.name().as_str()),
                prefix_len: index(attribute.name().prefix_len()),
                namespace: attribute.namespace_id(),
                value,
            });
        }
        let kind = NodeKind::Element {
            name: self.span(name.as_str()),
            prefix_len: index(name.prefix_len()),
            namespace,
            first_attribute,
            attribute_count: index(attributes.len()),
        };
        let id = self.push(kind);
        if self.open.is_empty() {
            self.root = Some(id);
        }
        self.open.push(index(id));
    }

    fn end(&mut self) {
        let end = index(self.nodes.len());
        if let Some(node) = self
            .open
            .pop()
            .and_then(|id| self.nodes.get_mut(usize::try_from(id).ok()?))
        {
            node.end = end;
        }
    }

    fn text(&mut self, content: Cow<'_, str>) {
        if content.is_empty() {
            return;
        }
        let parent = self.open.last().copied().unwrap_or(NO_PARENT);
        if let Some(NodeData {
            kind: NodeKind::Text(previous),
            parent: previous_parent,
            ..
        }) = self.nodes.last().copied()
        {
            if previous_parent == parent {
                let merged = match previous {
                    TextRef::Owned(i) => {
                        if let Some(owned) =
                            usize::try_from(i).ok().and_then(|i| self.owned.get_mut(i))
                        {
                            owned.push_str(&content);
                        }
                        return;
                    }
                    TextRef::Input(span) => {
                        let mut merged = span.of(self.source).to_owned();
                        merged.push_str(&content);
                        self.text_ref(Cow::Owned(merged))
                    }
                };
                if let Some(NodeData {
                    kind: NodeKind::Text(text),
                    ..
                }) = self.nodes.last_mut()
                {
                    *text = merged;
                }
                return;
            }
        }
        let text = self.text_ref(content);
        self.push(NodeKind::Text(text));
    }
}

impl<'doc, 'input> Node<'doc, 'input> {
    fn data(&self) -> Option<&'doc NodeData> {
        self.doc.data(self.id)
    }

    fn kind(&self) -> Option<NodeKind> {
        self.data().map(|d| d.kind)
    }

    /// The document this node belongs to.
    pub fn document(&self) -> &'doc Document<'input> {
        self.doc
    }

    /// What this node is.
    pub fn node_type(&self) -> NodeType {
        match self.kind() {
            Some(NodeKind::Text(_)) => NodeType::Text,
            Some(NodeKind::Comment(_)) => NodeType::Comment,
            Some(NodeKind::ProcessingInstruction { .. }) => NodeType::ProcessingInstruction,
            Some(NodeKind::Element { .. }) | None => NodeType::Element,
        }
    }

    /// Whether this node is an element.
    pub fn is_element(&self) -> bool {
        self.node_type() == NodeType::Element
    }

    /// The element's name as written.
    pub fn name(&self) -> Option<QName<'input>> {
        match self.kind() {
            Some(NodeKind::Element {
                name, prefix_len, ..
            }) => Some(self.doc.qname(name, prefix_len)),
            _ => None,
        }
    }

    /// Byte offset in the input of an element's `<` (the start of its start tag); `None` for
    /// other nodes.
    pub fn offset(&self) -> Option<usize> {
        match self.kind()? {
            NodeKind::Element { name, .. } => usize::try_from(name.start).ok()?.checked_sub(1),
            _ => None,
        }
    }

    /// The element's local name.
    pub fn local_name(&self) -> Option<&'input str> {
        self.name().map(|n| n.local())
    }

    /// The element's namespace id.
    pub fn namespace_id(&self) -> Option<NamespaceId> {
        match self.kind() {
            Some(NodeKind::Element { namespace, .. }) => namespace,
            _ => None,
        }
    }

    /// The element's namespace name.
    pub fn namespace(&self) -> Option<&'doc str> {
        self.namespace_id().map(|id| self.doc.namespaces.name(id))
    }

    /// Is this an element with this namespace and local name?
    pub fn has_name(&self, namespace: Option<&str>, local: &str) -> bool {
        self.local_name() == Some(local) && self.namespace() == namespace
    }

    /// The element's attributes in document order (namespace declarations excluded).
    pub fn attributes(
        &self,
    ) -> impl ExactSizeIterator<Item = NodeAttribute<'doc, 'input>> + Clone + 'doc {
        let slice = match self.kind() {
            Some(NodeKind::Element {
                first_attribute,
                attribute_count,
                ..
            }) => {
                let first = usize::try_from(first_attribute).unwrap_or(usize::MAX);
                let end = first.saturating_add(usize::try_from(attribute_count).unwrap_or(0));
                self.doc.attributes.get(first..end).unwrap_or_default()
            }
            _ => &[],
        };
        let doc = self.doc;
        slice.iter().map(move |data| NodeAttribute { doc, data })
    }

    /// The value of the attribute with this expanded name.
    pub fn attribute(&self, namespace: Option<&str>, local: &str) -> Option<&'doc str> {
        self.attributes()
            .find(|a| a.name().local() == local && a.namespace() == namespace)
            .map(|a| a.value())
    }

    /// For a text node its content; for an element the content of its first child if that is
    /// text; for a comment its content; for a PI its data.
    pub fn text(&self) -> Option<&'doc str> {
        match self.kind()? {
            NodeKind::Text(t)
            | NodeKind::Comment(t)
            | NodeKind::ProcessingInstruction { data: t, .. } => Some(self.doc.text(t)),
            NodeKind::Element { .. } => self
                .children()
                .next()
                .filter(|c| c.node_type() == NodeType::Text)
                .and_then(|c| c.text()),
        }
    }

    /// A processing instruction's target.
    pub fn pi_target(&self) -> Option<&'input str> {
        match self.kind()? {
            NodeKind::ProcessingInstruction { target, .. } => Some(self.doc.span(target)),
            _ => None,
        }
    }

    /// The parent element (top-level nodes have none).
    pub fn parent(&self) -> Option<Node<'doc, 'input>> {
        let parent = self.data()?.parent;
        if parent == NO_PARENT {
            return None;
        }
        Some(Node {
            doc: self.doc,
            id: usize::try_from(parent).ok()?,
        })
    }

    /// The child nodes in document order.
    pub fn children(&self) -> Siblings<'doc, 'input> {
        let end = self
            .data()
            .map_or(0, |d| usize::try_from(d.end).unwrap_or(0));
        Siblings {
            doc: self.doc,
            next: self.id.saturating_add(1).min(end),
            end,
        }
    }

    /// The child elements in document order.
    pub fn child_elements(&self) -> impl Iterator<Item = Node<'doc, 'input>> {
        self.children().filter(Node::is_element)
    }

    /// Index of this node in document order.
    pub fn id(&self) -> usize {
        self.id
    }
}

impl<'doc, 'input> NodeAttribute<'doc, 'input> {
    /// The attribute's name as written.
    pub fn name(&self) -> QName<'input> {
        self.doc.qname(self.data.name, self.data.prefix_len)
    }

    /// The namespace its prefix resolves to (unprefixed attributes have none).
    pub fn namespace_id(&self) -> Option<NamespaceId> {
        self.data.namespace
    }

    /// The namespace name its prefix resolves to.
    pub fn namespace(&self) -> Option<&'doc str> {
        self.data.namespace.map(|id| self.doc.namespaces.name(id))
    }

    /// The normalised value.
    pub fn value(&self) -> &'doc str {
        self.doc.text(self.data.value)
    }
}

impl core::fmt::Debug for NodeAttribute<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}={:?}", self.name().as_str(), self.value())
    }
}

impl core::fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.node_type() {
            NodeType::Element => write!(f, "Element({})", self.name().map_or("", |n| n.as_str())),
            NodeType::Text => write!(f, "Text({:?})", self.text().unwrap_or("")),
            NodeType::Comment => write!(f, "Comment({:?})", self.text().unwrap_or("")),
            NodeType::ProcessingInstruction => write!(
                f,
                "Pi({} {:?})",
                self.pi_target().unwrap_or(""),
                self.text().unwrap_or("")
            ),
        }
    }
}

/// Iterator over sibling nodes.
#[derive(Clone)]
pub struct Siblings<'doc, 'input> {
    doc: &'doc Document<'input>,
    next: usize,
    end: usize,
}

impl<'doc, 'input> Iterator for Siblings<'doc, 'input> {
    type Item = Node<'doc, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        let data = self.doc.data(id)?;
        // A subtree always ends after its root; `max` keeps a corrupt index from looping.
        self.next = usize::try_from(data.end)
            .unwrap_or(self.end)
            .max(id.saturating_add(1));
        Some(Node { doc: self.doc, id })
    }
}

/// Structural equality: what canonicalisation preserves.
///
/// Two documents are equal when their top-level comments and processing instructions, and
/// their element trees, are equal: same prefixes, local names and namespace names; the same
/// attributes in any order; the same text runs, comments and processing instructions in the
/// same order. Namespace declarations, the XML declaration, attribute order, quoting and
/// escaping are not compared (canonical form rewrites them all).
impl PartialEq for Document<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.nodes.len() == other.nodes.len()
            && self
                .descendants()
                .zip(other.descendants())
                .all(|(a, b)| node_equal(a, b))
    }
}

impl Eq for Document<'_> {}

fn node_equal(a: Node<'_, '_>, b: Node<'_, '_>) -> bool {
    let (Some(da), Some(db)) = (a.data(), b.data()) else {
        return false;
    };
    da.parent == db.parent
        && da.end == db.end
        && a.node_type() == b.node_type()
        && match a.node_type() {
            NodeType::Element => {
                a.name().map(|n| n.as_str()) == b.name().map(|n| n.as_str())
                    && a.namespace() == b.namespace()
                    && sorted_attributes(a) == sorted_attributes(b)
            }
            NodeType::ProcessingInstruction => {
                a.pi_target() == b.pi_target() && a.text() == b.text()
            }
            NodeType::Text | NodeType::Comment => a.text() == b.text(),
        }
}

/// An element's attributes as `(namespace, local, name as written, value)`, in canonical order.
pub(crate) fn sorted_attributes<'doc>(node: Node<'doc, '_>) -> Vec<SortedAttribute<'doc>> {
    let mut all = Vec::new();
    sorted_attributes_into(node, &mut all);
    all
}

/// `(namespace, local, name as written, value)` of one attribute.
pub(crate) type SortedAttribute<'doc> = (&'doc str, &'doc str, &'doc str, &'doc str);

/// [`sorted_attributes`] into a reused buffer (the canonical writer calls it per element).
pub(crate) fn sorted_attributes_into<'doc>(
    node: Node<'doc, '_>,
    out: &mut Vec<SortedAttribute<'doc>>,
) {
    out.clear();
    out.extend(node.attributes().map(|a| {
        (
            a.namespace().unwrap_or(""),
            a.name().local(),
            a.name().as_str(),
            a.value(),
        )
    }));
    out.sort_by(|x, y| match x.0.cmp(y.0) {
        Ordering::Equal => x.1.cmp(y.1),
        other => other,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_and_navigation() {
        let doc = Document::parse(
            b"<?xml version='1.0'?><!--top--><r a='1'>x<![CDATA[<y>]]>z<e/><?p d?></r><?after?>",
        )
        .unwrap();
        let top: Vec<_> = doc.top_level().map(|n| n.node_type()).collect();
        assert_eq!(
            top,
            [
                NodeType::Comment,
                NodeType::Element,
                NodeType::ProcessingInstruction
            ]
        );
        let root = doc.root();
        let kids: Vec<_> = root.children().map(|n| format!("{n:?}")).collect();
        assert_eq!(kids, ["Text(\"x<y>z\")", "Element(e)", "Pi(p \"d\")"]);
        assert_eq!(root.text(), Some("x<y>z"));
        let e = root.child_elements().next().unwrap();
        assert_eq!(e.parent().map(|p| p.id()), Some(root.id()));
        assert_eq!(e.children().count(), 0);
        assert_eq!(doc.declaration().map(|d| d.version), Some("1.0"));
        assert!(doc.root().parent().is_none());
    }

    #[test]
    fn borrowed_unless_rebuilt() {
        let input = b"<r k='v' j='&amp;'><a>plain</a><b>a&amp;b</b><c>x<![CDATA[y]]>z</c></r>";
        let doc = Document::parse(input).unwrap();
        let texts: Vec<_> = doc
            .descendants()
            .filter_map(|n| match doc.data(n.id()).unwrap().kind {
                NodeKind::Text(TextRef::Input(_)) => Some("borrowed"),
                NodeKind::Text(TextRef::Owned(_)) => Some("owned"),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["borrowed", "owned", "owned"]);
        let values: Vec<_> = doc
            .root()
            .attributes()
            .map(|a| matches!(a.data.value, TextRef::Input(_)))
            .collect();
        assert_eq!(values, [true, false]);
        assert_eq!(
            doc.owned,
            ["&", "a&b", "xyz"].map(String::from),
            "merged text is rebuilt once"
        );
        assert_eq!(core::mem::size_of::<NodeData>(), 36);
        assert_eq!(core::mem::size_of::<AttributeData>(), 28);
    }

    #[test]
    fn equality_ignores_declarations_and_attribute_order() {
        let a = Document::parse(b"<p:r xmlns:p='urn:p' xmlns:q='urn:q' b='2' a='1'><p:c/></p:r>")
            .unwrap();
        let b = Document::parse(b"<?xml version='1.0'?><p:r a=\"1\" b='2' xmlns:p='urn:p'><p:c xmlns:p='urn:p'></p:c></p:r>").unwrap();
        let c = Document::parse(b"<p:r xmlns:p='urn:other' a='1' b='2'><p:c/></p:r>").unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
