//! A read-only tree borrowed from the input, built from the [`Reader`]'s events.
//!
//! Nodes live in one vector in document order; each records its parent and the index just
//! past its subtree, so children are found by skipping subtrees and nothing is linked by
//! pointer. Text is one node per maximal run of character data (adjacent text and CDATA
//! sections merge, as in the XPath data model that canonicalisation works on); empty runs are
//! not nodes. Whitespace outside the root element and the XML declaration are not nodes.

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
    nodes: Vec<NodeData<'input>>,
    attributes: Vec<Attribute<'input>>,
    namespaces: NamespaceTable<'input>,
    root: usize,
    declaration: Option<Declaration<'input>>,
}

#[derive(Clone, Debug)]
struct NodeData<'input> {
    kind: NodeKind<'input>,
    parent: Option<u32>,
    /// Index just past this node's subtree.
    end: u32,
}

#[derive(Clone, Debug)]
enum NodeKind<'input> {
    Element {
        name: QName<'input>,
        namespace: Option<NamespaceId>,
        attributes: (u32, u32),
    },
    Text(Cow<'input, str>),
    Comment(Cow<'input, str>),
    ProcessingInstruction {
        target: &'input str,
        data: Cow<'input, str>,
    },
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

impl<'input> Document<'input> {
    /// Parses a document with the default [`XmlLimits`].
    pub fn parse(input: &'input [u8]) -> Result<Self, XmlError> {
        Self::parse_with_limits(input, XmlLimits::default())
    }

    /// Parses a document with explicit limits.
    pub fn parse_with_limits(input: &'input [u8], limits: XmlLimits) -> Result<Self, XmlError> {
        let mut reader = Reader::with_limits(input, limits);
        let mut builder = Builder {
            nodes: Vec::new(),
            attributes: Vec::new(),
            open: Vec::new(),
            root: None,
        };
        let mut declaration = None;
        while let Some(event) = reader.next_event()? {
            let offset = reader_offset(&event);
            let pushed = match event {
                Event::Declaration(d) => {
                    declaration = Some(d);
                    Ok(())
                }
                Event::StartTag(tag) => {
                    builder.start(tag.name(), tag.namespace_id(), tag.attributes())
                }
                Event::EndTag(_) => builder.end(),
                Event::Text(text) | Event::CData(text) => builder.text(text.into_content()),
                Event::Comment(text) => builder.leaf(NodeKind::Comment(text.into_content())),
                Event::ProcessingInstruction(pi) => builder.leaf(NodeKind::ProcessingInstruction {
                    target: pi.target(),
                    data: pi.into_data(),
                }),
            };
            if pushed.is_err() {
                let tree_capacity = usize::try_from(u32::MAX).unwrap_or(usize::MAX);
                let limit = limits.max_nodes.min(tree_capacity);
                return Err(XmlError::new(
                    XmlErrorKind::TooManyNodes { limit },
                    input,
                    offset,
                    Box::from(""),
                ));
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
            nodes: builder.nodes,
            attributes: builder.attributes,
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

    fn data(&self, id: usize) -> Option<&NodeData<'input>> {
        self.nodes.get(id)
    }
}

fn reader_offset(event: &Event<'_, '_>) -> usize {
    match event {
        Event::StartTag(t) => t.offset(),
        Event::EndTag(t) => t.offset(),
        Event::Text(t) | Event::CData(t) | Event::Comment(t) => t.offset(),
        Event::ProcessingInstruction(p) => p.offset(),
        _ => 0,
    }
}

/// The tree under construction. Its methods fail only when an index outgrows `u32`.
struct Builder<'input> {
    nodes: Vec<NodeData<'input>>,
    attributes: Vec<Attribute<'input>>,
    open: Vec<u32>,
    root: Option<usize>,
}

struct Overflow;

fn index(n: usize) -> Result<u32, Overflow> {
    u32::try_from(n).map_err(|_| Overflow)
}

impl<'input> Builder<'input> {
    fn push(&mut self, kind: NodeKind<'input>) -> Result<usize, Overflow> {
        let id = self.nodes.len();
        let end = index(id.checked_add(1).ok_or(Overflow)?)?;
        self.nodes.push(NodeData {
            kind,
            parent: self.open.last().copied(),
            end,
        });
        Ok(id)
    }

    fn start(
        &mut self,
        name: QName<'input>,
        namespace: Option<NamespaceId>,
        attributes: &[Attribute<'input>],
    ) -> Result<(), Overflow> {
        let first = index(self.attributes.len())?;
        self.attributes.extend_from_slice(attributes);
        let last = index(self.attributes.len())?;
        let id = self.push(NodeKind::Element {
            name,
            namespace,
            attributes: (first, last),
        })?;
        if self.open.is_empty() {
            self.root = Some(id);
        }
        self.open.push(index(id)?);
        Ok(())
    }

    fn end(&mut self) -> Result<(), Overflow> {
        let end = index(self.nodes.len())?;
        if let Some(node) = self
            .open
            .pop()
            .and_then(|id| self.nodes.get_mut(usize::try_from(id).ok()?))
        {
            node.end = end;
        }
        Ok(())
    }

    fn text(&mut self, content: Cow<'input, str>) -> Result<(), Overflow> {
        if content.is_empty() {
            return Ok(());
        }
        let parent = self.open.last().copied();
        if let Some(NodeData {
            kind: NodeKind::Text(previous),
            parent: previous_parent,
            ..
        }) = self.nodes.last_mut()
        {
            if *previous_parent == parent {
                previous.to_mut().push_str(&content);
                return Ok(());
            }
        }
        self.push(NodeKind::Text(content)).map(|_| ())
    }

    fn leaf(&mut self, kind: NodeKind<'input>) -> Result<(), Overflow> {
        self.push(kind).map(|_| ())
    }
}

impl<'doc, 'input> Node<'doc, 'input> {
    fn data(&self) -> Option<&'doc NodeData<'input>> {
        self.doc.data(self.id)
    }

    /// The document this node belongs to.
    pub fn document(&self) -> &'doc Document<'input> {
        self.doc
    }

    /// What this node is.
    pub fn node_type(&self) -> NodeType {
        match self.data().map(|d| &d.kind) {
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
        match self.data().map(|d| &d.kind) {
            Some(NodeKind::Element { name, .. }) => Some(*name),
            _ => None,
        }
    }

    /// The element's local name.
    pub fn local_name(&self) -> Option<&'input str> {
        self.name().map(|n| n.local())
    }

    /// The element's namespace id.
    pub fn namespace_id(&self) -> Option<NamespaceId> {
        match self.data().map(|d| &d.kind) {
            Some(NodeKind::Element { namespace, .. }) => *namespace,
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
    pub fn attributes(&self) -> &'doc [Attribute<'input>] {
        match self.data().map(|d| &d.kind) {
            Some(NodeKind::Element {
                attributes: (first, last),
                ..
            }) => {
                let range =
                    usize::try_from(*first).unwrap_or(0)..usize::try_from(*last).unwrap_or(0);
                self.doc.attributes.get(range).unwrap_or_default()
            }
            _ => &[],
        }
    }

    /// The value of the attribute with this expanded name.
    pub fn attribute(&self, namespace: Option<&str>, local: &str) -> Option<&'doc str> {
        self.attributes()
            .iter()
            .find(|a| {
                a.name().local() == local
                    && a.namespace_id().map(|id| self.doc.namespaces.name(id)) == namespace
            })
            .map(|a| a.value())
    }

    /// The namespace name of one of this element's attributes.
    pub fn attribute_namespace(&self, attribute: &Attribute<'input>) -> Option<&'doc str> {
        attribute
            .namespace_id()
            .map(|id| self.doc.namespaces.name(id))
    }

    /// For a text node its content; for an element the content of its first child if that is
    /// text; for a comment its content; for a PI its data.
    pub fn text(&self) -> Option<&'doc str> {
        match self.data().map(|d| &d.kind) {
            Some(NodeKind::Text(t) | NodeKind::Comment(t)) => Some(t),
            Some(NodeKind::ProcessingInstruction { data, .. }) => Some(data),
            Some(NodeKind::Element { .. }) => self
                .children()
                .next()
                .filter(|c| c.node_type() == NodeType::Text)
                .and_then(|c| c.text()),
            None => None,
        }
    }

    /// A processing instruction's target.
    pub fn pi_target(&self) -> Option<&'input str> {
        match self.data().map(|d| &d.kind) {
            Some(NodeKind::ProcessingInstruction { target, .. }) => Some(target),
            _ => None,
        }
    }

    /// The parent element (top-level nodes have none).
    pub fn parent(&self) -> Option<Node<'doc, 'input>> {
        let parent = self.data()?.parent?;
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

impl core::fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.data().map(|d| &d.kind) {
            Some(NodeKind::Element { name, .. }) => write!(f, "Element({})", name.as_str()),
            Some(NodeKind::Text(t)) => write!(f, "Text({t:?})"),
            Some(NodeKind::Comment(t)) => write!(f, "Comment({t:?})"),
            Some(NodeKind::ProcessingInstruction { target, data }) => {
                write!(f, "Pi({target} {data:?})")
            }
            None => f.write_str("Detached"),
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
    let same_shape = da.parent == db.parent && da.end == db.end;
    same_shape
        && match (&da.kind, &db.kind) {
            (NodeKind::Element { name: na, .. }, NodeKind::Element { name: nb, .. }) => {
                na.as_str() == nb.as_str()
                    && a.namespace() == b.namespace()
                    && sorted_attributes(a) == sorted_attributes(b)
            }
            (NodeKind::Text(x), NodeKind::Text(y))
            | (NodeKind::Comment(x), NodeKind::Comment(y)) => x == y,
            (
                NodeKind::ProcessingInstruction {
                    target: tx,
                    data: dx,
                },
                NodeKind::ProcessingInstruction {
                    target: ty,
                    data: dy,
                },
            ) => tx == ty && dx == dy,
            _ => false,
        }
}

/// An element's attributes as `(namespace, local, name as written, value)`, in canonical order.
pub(crate) fn sorted_attributes<'doc>(
    node: Node<'doc, '_>,
) -> Vec<(&'doc str, &'doc str, &'doc str, &'doc str)> {
    let mut all: Vec<_> = node
        .attributes()
        .iter()
        .map(|a| {
            (
                node.attribute_namespace(a).unwrap_or(""),
                a.name().local(),
                a.name().as_str(),
                a.value(),
            )
        })
        .collect();
    all.sort_by(|x, y| match x.0.cmp(y.0) {
        Ordering::Equal => x.1.cmp(y.1),
        other => other,
    });
    all
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
        let input = b"<r><a>plain</a><b>a&amp;b</b></r>";
        let doc = Document::parse(input).unwrap();
        let texts: Vec<_> = doc
            .descendants()
            .filter_map(|n| match &doc.data(n.id()).unwrap().kind {
                NodeKind::Text(Cow::Borrowed(_)) => Some("borrowed"),
                NodeKind::Text(Cow::Owned(_)) => Some("owned"),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["borrowed", "owned"]);
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
