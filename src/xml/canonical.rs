//! Canonical output: Exclusive XML Canonicalization 1.0 (W3C Recommendation, 18 July 2002),
//! applied to a whole [`Document`] or to one element's subtree.
//!
//! The rules, as they apply to a DTD-free, namespace-well-formed tree:
//! - UTF-8 output, no XML declaration, line ends already normalised to `#xA` by the parser;
//! - empty elements as start-end pairs (`<a></a>`); no whitespace inside tags beyond one space
//!   before each attribute;
//! - namespace declarations only where visibly utilised (the element's prefix, or the default
//!   namespace for an unprefixed element, and the prefixes of its attributes) and not already
//!   rendered by an output ancestor with the same value; `xmlns=""` when an unprefixed element
//!   leaves a default namespace that an ancestor rendered; the `xml` prefix is never declared;
//! - declarations sorted by prefix (default first), then attributes sorted by namespace name
//!   (none first) and local name;
//! - attribute values in double quotes with `&`, `<`, `"`, TAB, LF and CR escaped; text with
//!   `&`, `<`, `>` and CR escaped; CDATA sections replaced by their (escaped) content;
//! - comments kept or removed ([`Comments`]); processing instructions kept as `<?target data?>`;
//! - at the top level, each comment or PI before the root is followed by a LF and each one
//!   after the root is preceded by one.
//!
//! The `InclusiveNamespaces PrefixList` parameter is not supported (no prefix is rendered
//! unless visibly utilised). Parsing the output yields a [`Document`] equal to the input's.

use super::namespace::NamespaceId;
use super::tree::{sorted_attributes_into, Document, Node, NodeType, SortedAttribute};

/// Whether comments are part of the canonical form (the `#WithComments` variant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comments {
    /// `http://www.w3.org/2001/10/xml-exc-c14n#WithComments`.
    Keep,
    /// `http://www.w3.org/2001/10/xml-exc-c14n#` (the default in XML Signature).
    Strip,
    /// Comments and processing instructions both removed: not a W3C variant, but the
    /// rewrite of content disarm and reconstruction (CDR), which keeps only elements,
    /// attributes and character data.
    StripAll,
}

/// Writes the canonical form of the whole document to `out`.
///
/// ```
/// use crossguard::xml::{canonical, Comments, Document};
/// let doc = Document::parse(b"<?xml version='1.0'?><a   b='1' xmlns:unused='urn:u'\r\n a='&#x41;'><e/></a>")?;
/// assert_eq!(canonical(&doc, Comments::Strip), b"<a a=\"A\" b=\"1\"><e></e></a>");
/// # Ok::<(), crossguard::xml::XmlError>(())
/// ```
pub fn write_canonical(document: &Document<'_>, comments: Comments, out: &mut Vec<u8>) {
    write_document(document, comments, out, usize::MAX);
}

/// Writes the whole document, stopping (`false`) once `out` has grown past `limit`.
fn write_document(
    document: &Document<'_>,
    comments: Comments,
    out: &mut Vec<u8>,
    limit: usize,
) -> bool {
    let root = document.root().id();
    for node in document.top_level() {
        let before_root = node.id() < root;
        match node.node_type() {
            NodeType::Element => {
                if !write_subtree(node, comments, out, limit) {
                    return false;
                }
            }
            NodeType::Comment if comments != Comments::Keep => {}
            NodeType::ProcessingInstruction if comments == Comments::StripAll => {}
            _ => {
                if !before_root {
                    out.push(b'\n');
                }
                write_leaf(node, out);
                if before_root {
                    out.push(b'\n');
                }
            }
        }
        if out.len() > limit {
            return false;
        }
    }
    true
}

/// The canonical form of the whole document as a new buffer.
pub fn canonical(document: &Document<'_>, comments: Comments) -> Vec<u8> {
    let mut out = Vec::with_capacity(document.node_count().saturating_mul(16));
    write_canonical(document, comments, &mut out);
    out
}

/// Writes the canonical form of one element's subtree (an exclusive canonicalisation of a
/// document subset, as a signature reference to an element needs).
pub fn write_canonical_subtree(element: Node<'_, '_>, comments: Comments, out: &mut Vec<u8>) {
    if element.is_element() {
        write_subtree(element, comments, out, usize::MAX);
    } else {
        write_leaf(element, out);
    }
}

/// One rendered namespace declaration on the output-ancestor stack.
struct Rendered<'doc> {
    prefix: &'doc str,
    namespace: Option<NamespaceId>,
}

/// The canonical form of the whole document, or `None` as soon as it grows past `limit` bytes
/// (checked after each node, so the buffer never holds more than `limit` plus one start tag).
/// Exclusive canonicalisation repeats a namespace declaration on every element that uses it
/// where no output ancestor declared it, so the output of a hostile document can be far larger
/// than the document: a caller that rebuilds untrusted input bounds it here.
pub fn canonical_within(
    document: &Document<'_>,
    comments: Comments,
    limit: usize,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    write_document(document, comments, &mut out, limit).then_some(out)
}

/// Iterative, so that depth costs heap, never stack. `false` when the output passed `limit`.
fn write_subtree(top: Node<'_, '_>, comments: Comments, out: &mut Vec<u8>, limit: usize) -> bool {
    enum Work<'doc, 'input> {
        Open(Node<'doc, 'input>),
        Close(Node<'doc, 'input>, usize),
    }
    let mut rendered: Vec<Rendered<'_>> = Vec::new();
    let mut scratch = Scratch {
        needed: Vec::new(),
        attributes: Vec::new(),
    };
    let mut work = vec![Work::Open(top)];
    let mut children = Vec::new();
    while let Some(item) = work.pop() {
        match item {
            Work::Open(node) if node.is_element() => {
                let mark = rendered.len();
                start_tag(node, &mut rendered, &mut scratch, out);
                work.push(Work::Close(node, mark));
                children.clear();
                children.extend(node.children());
                work.extend(children.drain(..).rev().map(Work::Open));
            }
            Work::Open(node) => match node.node_type() {
                NodeType::Text => escape_text(node.text().unwrap_or(""), out),
                NodeType::Comment if comments != Comments::Keep => {}
                NodeType::ProcessingInstruction if comments == Comments::StripAll => {}
                _ => write_leaf(node, out),
            },
            Work::Close(node, mark) => {
                out.extend_from_slice(b"</");
                out.extend_from_slice(node.name().map_or("", |n| n.as_str()).as_bytes());
                out.push(b'>');
                rendered.truncate(mark);
            }
        }
        if out.len() > limit {
            return false;
        }
    }
    true
}

/// Buffers reused from element to element.
struct Scratch<'doc> {
    needed: Vec<(&'doc str, Option<NamespaceId>)>,
    attributes: Vec<SortedAttribute<'doc>>,
}

fn start_tag<'doc>(
    node: Node<'doc, '_>,
    rendered: &mut Vec<Rendered<'doc>>,
    scratch: &mut Scratch<'doc>,
    out: &mut Vec<u8>,
) {
    let Some(name) = node.name() else { return };
    out.push(b'<');
    out.extend_from_slice(name.as_str().as_bytes());

    // Visibly utilised prefixes with the namespace each must resolve to.
    let needed = &mut scratch.needed;
    needed.clear();
    needed.push((name.prefix().unwrap_or(""), node.namespace_id()));
    for attribute in node.attributes() {
        if let Some(prefix) = attribute.name().prefix() {
            needed.push((prefix, attribute.namespace_id()));
        }
    }
    needed.sort_unstable_by(|a, b| a.0.cmp(b.0));
    needed.dedup_by(|a, b| a.0 == b.0);
    let mark = rendered.len();
    for &(prefix, namespace) in needed.iter() {
        if prefix == "xml" {
            continue;
        }
        let in_scope = rendered
            .iter()
            .rev()
            .find(|r| r.prefix == prefix)
            .map(|r| r.namespace);
        let render = match in_scope {
            Some(current) => current != namespace,
            // Nothing rendered yet: an unprefixed element in no namespace needs no `xmlns=""`.
            None => namespace.is_some(),
        };
        if render {
            rendered.push(Rendered { prefix, namespace });
        }
    }
    let namespaces = node.document().namespaces();
    for declaration in rendered.get(mark..).unwrap_or_default() {
        if declaration.prefix.is_empty() {
            out.extend_from_slice(b" xmlns=\"");
        } else {
            out.extend_from_slice(b" xmlns:");
            out.extend_from_slice(declaration.prefix.as_bytes());
            out.extend_from_slice(b"=\"");
        }
        escape_attribute(
            declaration.namespace.map_or("", |id| namespaces.name(id)),
            out,
        );
        out.push(b'"');
    }
    sorted_attributes_into(node, &mut scratch.attributes);
    for &(_, _, qualified, value) in &scratch.attributes {
        out.push(b' ');
        out.extend_from_slice(qualified.as_bytes());
        out.extend_from_slice(b"=\"");
        escape_attribute(value, out);
        out.push(b'"');
    }
    out.push(b'>');
}

fn write_leaf(node: Node<'_, '_>, out: &mut Vec<u8>) {
    match node.node_type() {
        NodeType::Comment => {
            out.extend_from_slice(b"<!--");
            out.extend_from_slice(node.text().unwrap_or("").as_bytes());
            out.extend_from_slice(b"-->");
        }
        NodeType::ProcessingInstruction => {
            out.extend_from_slice(b"<?");
            out.extend_from_slice(node.pi_target().unwrap_or("").as_bytes());
            let data = node.text().unwrap_or("");
            if !data.is_empty() {
                out.push(b' ');
                out.extend_from_slice(data.as_bytes());
            }
            out.extend_from_slice(b"?>");
        }
        NodeType::Text => escape_text(node.text().unwrap_or(""), out),
        NodeType::Element => {}
    }
}

fn escape_text(text: &str, out: &mut Vec<u8>) {
    escape(text, out, |b| match b {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'>' => Some(b"&gt;"),
        b'\r' => Some(b"&#xD;"),
        _ => None,
    });
}

fn escape_attribute(value: &str, out: &mut Vec<u8>) {
    escape(value, out, |b| match b {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'"' => Some(b"&quot;"),
        b'\t' => Some(b"&#x9;"),
        b'\n' => Some(b"&#xA;"),
        b'\r' => Some(b"&#xD;"),
        _ => None,
    });
}

fn escape(text: &str, out: &mut Vec<u8>, replacement: impl Fn(u8) -> Option<&'static [u8]>) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(r) = replacement(b) {
            out.extend_from_slice(bytes.get(copied..i).unwrap_or_default());
            out.extend_from_slice(r);
            copied = i.saturating_add(1);
        }
    }
    out.extend_from_slice(bytes.get(copied..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(input: &str, comments: Comments) -> String {
        let doc = Document::parse(input.as_bytes()).unwrap();
        String::from_utf8(canonical(&doc, comments)).unwrap()
    }

    #[test]
    fn exclusive_namespace_rendering() {
        // The unused prefix disappears; each prefix is declared where first used.
        assert_eq!(
            c14n("<a:r xmlns:a='urn:a' xmlns:b='urn:b' xmlns:u='urn:u'><b:c a:x='1'/><b:d/></a:r>", Comments::Keep),
            "<a:r xmlns:a=\"urn:a\"><b:c xmlns:b=\"urn:b\" a:x=\"1\"></b:c><b:d xmlns:b=\"urn:b\"></b:d></a:r>"
        );
        // A default namespace left by a child needs xmlns="".
        assert_eq!(
            c14n("<r xmlns='urn:d'><c xmlns=''/></r>", Comments::Keep),
            "<r xmlns=\"urn:d\"><c xmlns=\"\"></c></r>"
        );
        // No default in force: nothing to undeclare.
        assert_eq!(
            c14n("<r><c xmlns=''/></r>", Comments::Keep),
            "<r><c></c></r>"
        );
        // xml: attributes need no declaration.
        assert_eq!(
            c14n("<r xml:lang='en'/>", Comments::Keep),
            "<r xml:lang=\"en\"></r>"
        );
    }

    #[test]
    fn attribute_order_and_escaping() {
        assert_eq!(
            c14n("<r xmlns:z='urn:a' xmlns:a='urn:z' z:b='1' a:a='2' c='&lt;&quot;&#9;&#10;&#13;&amp;>'/>", Comments::Keep),
            "<r xmlns:a=\"urn:z\" xmlns:z=\"urn:a\" c=\"&lt;&quot;&#x9;&#xA;&#xD;&amp;>\" z:b=\"1\" a:a=\"2\"></r>"
        );
        assert_eq!(
            c14n(
                "<r>a&amp;&lt;&gt;&#13;<![CDATA[<&]]>]]&gt;</r>",
                Comments::Keep
            ),
            "<r>a&amp;&lt;&gt;&#xD;&lt;&amp;]]&gt;</r>"
        );
    }

    #[test]
    fn top_level_and_comments() {
        let input =
            "<?xml version='1.0'?>\n<!--a-->\n<?pi  data ?>\n<r><!--in--><?p?></r>\n<!--z-->\n";
        assert_eq!(
            c14n(input, Comments::Keep),
            "<!--a-->\n<?pi data ?>\n<r><!--in--><?p?></r>\n<!--z-->"
        );
        assert_eq!(c14n(input, Comments::Strip), "<?pi data ?>\n<r><?p?></r>");
    }

    #[test]
    fn subtree_brings_the_namespaces_it_uses() {
        let doc =
            Document::parse(b"<a:r xmlns:a='urn:a' xmlns='urn:d'><s><a:t/></s></a:r>").unwrap();
        let s = doc.root().child_elements().next().unwrap();
        let mut out = Vec::new();
        write_canonical_subtree(s, Comments::Keep, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<s xmlns=\"urn:d\"><a:t xmlns:a=\"urn:a\"></a:t></s>"
        );
    }
}
