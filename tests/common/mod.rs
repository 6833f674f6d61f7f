//! Shared test support: a naive model of an XML tree, a proptest generator for it, a
//! deliberately simple serializer with randomised (but valid) spelling choices, and tree
//! comparisons against crossguard's `Document` and roxmltree's.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use std::collections::BTreeMap;

use crossguard::xml::{Document, Node, NodeType};

pub mod differential;
use proptest::prelude::*;

pub const NAMESPACES: &[&str] = &[
    "urn:a",
    "urn:b",
    "http://example.org/x?y=1&z=\"2\"",
    "urn:\u{e9}t\u{e9}",
];
pub const PREFIXES: &[&str] = &["p", "q", "ns1", "\u{e9}"];
pub const LOCALS: &[&str] = &[
    "a",
    "b",
    "label",
    "x-y",
    "_z",
    "c.d",
    "\u{65e5}\u{672c}",
    "a\u{300}",
];

/// A node of the naive model.
#[derive(Clone, Debug, PartialEq)]
pub enum MNode {
    Element(MElement),
    Text(String),
    Comment(String),
    Pi(String, String),
}

/// An element: prefix, local name, namespace, attributes `(prefix, namespace, local, value)`.
#[derive(Clone, Debug, PartialEq)]
pub struct MElement {
    pub prefix: Option<String>,
    pub local: String,
    pub namespace: Option<String>,
    pub attributes: Vec<(Option<String>, Option<String>, String, String)>,
    pub children: Vec<MNode>,
}

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-z <>&\"'\\]\\t\\n\\r\u{e9}\u{65e5}\u{1F600}]{0,12}").unwrap()
}

fn comment_strategy() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-z <>&?\\]\\n\u{e9}]{0,10}|[a-z]{1,3}(-[a-z ]{1,3}){0,3}")
        .unwrap()
}

fn pi_strategy() -> impl Strategy<Value = (String, String)> {
    (
        proptest::string::string_regex("(pi|target|x-ml|xmlx|a\u{e9})").unwrap(),
        proptest::string::string_regex("([a-z<>&\"?=][a-z <>&\"?=\\n]{0,8})?").unwrap(),
    )
        .prop_filter("PI data may not contain ?>", |(_, d)| !d.contains("?>"))
}

/// A raw element before namespace fix-up: (prefix index or none, namespace index or none,
/// local, attributes (prefix index or none, namespace index, local, value)).
type RawElement = (
    Option<usize>,
    Option<usize>,
    usize,
    Vec<(Option<usize>, usize, usize, String)>,
);

fn raw_element() -> impl Strategy<Value = RawElement> {
    (
        proptest::option::weighted(0.5, 0..PREFIXES.len()),
        proptest::option::weighted(0.7, 0..NAMESPACES.len()),
        0..LOCALS.len(),
        proptest::collection::vec(
            (
                proptest::option::weighted(0.4, 0..PREFIXES.len()),
                0..NAMESPACES.len(),
                0..LOCALS.len(),
                text_strategy(),
            ),
            0..5,
        ),
    )
}

fn build_element(raw: RawElement, children: Vec<MNode>) -> MElement {
    let (prefix, namespace, local, raw_attributes) = raw;
    // Prefixed elements must have a namespace.
    let namespace = match (prefix, namespace) {
        (Some(_), None) => Some(0),
        (_, n) => n,
    };
    let mut bound: BTreeMap<&str, &str> = BTreeMap::new();
    if let (Some(p), Some(n)) = (prefix, namespace) {
        bound.insert(PREFIXES[p], NAMESPACES[n]);
    }
    let mut attributes: Vec<(Option<String>, Option<String>, String, String)> = Vec::new();
    for (attr_prefix, attr_namespace, attr_local, value) in raw_attributes {
        let (p, n) = match attr_prefix {
            Some(p) => {
                let n = *bound
                    .entry(PREFIXES[p])
                    .or_insert(NAMESPACES[attr_namespace]);
                (Some(PREFIXES[p].to_owned()), Some(n.to_owned()))
            }
            None => (None, None),
        };
        let local = LOCALS[attr_local].to_owned();
        let clash = attributes.iter().any(|(op, on, ol, _)| {
            (*op == p && *ol == local) || (n.is_some() && *on == n && *ol == local)
        });
        if !clash {
            attributes.push((p, n, local, value));
        }
    }
    MElement {
        prefix: prefix.map(|p| PREFIXES[p].to_owned()),
        local: LOCALS[local].to_owned(),
        namespace: namespace.map(|n| NAMESPACES[n].to_owned()),
        attributes,
        children: normalize_children(children),
    }
}

/// Adjacent text merges and empty text disappears, as in the parsed tree.
pub fn normalize_children(children: Vec<MNode>) -> Vec<MNode> {
    let mut out: Vec<MNode> = Vec::new();
    for child in children {
        match (out.last_mut(), child) {
            (_, MNode::Text(t)) if t.is_empty() => {}
            (Some(MNode::Text(previous)), MNode::Text(t)) => previous.push_str(&t),
            (_, other) => out.push(other),
        }
    }
    out
}

/// A root element with up to a few levels of mixed content.
pub fn element_strategy() -> impl Strategy<Value = MElement> {
    let leaf = prop_oneof![
        4 => text_strategy().prop_map(MNode::Text),
        1 => comment_strategy().prop_map(MNode::Comment),
        1 => pi_strategy().prop_map(|(t, d)| MNode::Pi(t, d)),
        2 => raw_element().prop_map(|raw| MNode::Element(build_element(raw, Vec::new()))),
    ];
    let node = leaf.prop_recursive(4, 48, 6, |inner| {
        (raw_element(), proptest::collection::vec(inner, 0..6))
            .prop_map(|(raw, children)| MNode::Element(build_element(raw, children)))
    });
    (raw_element(), proptest::collection::vec(node, 0..6))
        .prop_map(|(raw, children)| build_element(raw, children))
}

/// A whole document: misc before, root, misc after.
#[derive(Clone, Debug)]
pub struct MDocument {
    pub before: Vec<MNode>,
    pub root: MElement,
    pub after: Vec<MNode>,
}

pub fn document_strategy() -> impl Strategy<Value = MDocument> {
    let misc = prop_oneof![
        comment_strategy().prop_map(MNode::Comment),
        pi_strategy().prop_map(|(t, d)| MNode::Pi(t, d))
    ];
    (
        proptest::collection::vec(misc.clone(), 0..3),
        element_strategy(),
        proptest::collection::vec(misc, 0..3),
    )
        .prop_map(|(before, root, after)| MDocument {
            before,
            root,
            after,
        })
}

/// One edit of a document: where, which operation, and a byte choosing the character.
pub type Edit = (prop::sample::Index, usize, u8);

/// Edits that break documents the way attackers and truncations do: delete a byte, insert or
/// overwrite one with a markup-significant character, or cut the tail in half.
pub fn edits_strategy(operations: usize) -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(
        (any::<prop::sample::Index>(), 0..operations, any::<u8>()),
        1..4,
    )
}

/// Applies the edits in order.
pub fn mutate(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for (at, op, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let i = at.index(bytes.len());
        let special = b"<>&;:/=\"'?!-[]x \r\n#"[usize::from(*byte) % 19];
        match op {
            0 => {
                bytes.remove(i);
            }
            1 => bytes.insert(i, special),
            2 => bytes[i] = special,
            _ => {
                let tail = bytes.split_off(i);
                bytes.extend_from_slice(&tail[..tail.len() / 2]);
            }
        }
    }
    bytes
}

/// A tiny deterministic generator for spelling choices.
pub struct Choices(u64);

impl Choices {
    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    pub fn pick(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Serializes the model as XML, choosing spellings at random: quote characters, extra
/// whitespace in tags, entity or character references or CDATA sections for special
/// characters, redundant namespace declarations, an XML declaration, a BOM.
pub fn serialize(doc: &MDocument, seed: u64) -> Vec<u8> {
    let mut c = Choices::new(seed);
    let mut out = String::new();
    if c.pick(4) == 0 {
        out.push('\u{feff}');
    }
    if c.pick(2) == 0 {
        out.push_str(
            [
                "<?xml version='1.0'?>",
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
                "<?xml version='1.0' standalone='no' ?>",
            ][c.pick(3) as usize],
        );
    }
    for m in &doc.before {
        write_misc(m, &mut out);
        out.push_str(["", "\n", " \r\n "][c.pick(3) as usize]);
    }
    let mut scope: Vec<(String, Option<String>)> = Vec::new();
    write_element(&doc.root, &mut scope, &mut c, &mut out);
    for m in &doc.after {
        out.push_str(["", "\n", "\t"][c.pick(3) as usize]);
        write_misc(m, &mut out);
    }
    out.into_bytes()
}

fn write_misc(node: &MNode, out: &mut String) {
    match node {
        MNode::Comment(t) => {
            out.push_str("<!--");
            out.push_str(t);
            out.push_str("-->");
        }
        MNode::Pi(target, data) => {
            out.push_str("<?");
            out.push_str(target);
            if !data.is_empty() {
                out.push(' ');
                out.push_str(data);
            }
            out.push_str("?>");
        }
        _ => unreachable!(),
    }
}

fn lookup<'s>(scope: &'s [(String, Option<String>)], prefix: &str) -> Option<&'s Option<String>> {
    scope
        .iter()
        .rev()
        .find(|(p, _)| p == prefix)
        .map(|(_, n)| n)
}

fn write_element(
    e: &MElement,
    scope: &mut Vec<(String, Option<String>)>,
    c: &mut Choices,
    out: &mut String,
) {
    let mark = scope.len();
    let mut declarations: Vec<(String, Option<String>)> = Vec::new();
    let element_prefix = e.prefix.clone().unwrap_or_default();
    let mut needed = vec![(element_prefix.clone(), e.namespace.clone())];
    for (p, n, _, _) in &e.attributes {
        if let Some(p) = p {
            needed.push((p.clone(), n.clone()));
        }
    }
    for (p, n) in needed {
        let current = lookup(scope, &p).cloned().flatten();
        let redundant = c.pick(5) == 0;
        if (current != n || redundant)
            && !declarations.iter().any(|(dp, _)| *dp == p)
            && !(p.is_empty() && n.is_none() && current.is_none() && !redundant)
        {
            declarations.push((p, n));
        }
    }
    out.push('<');
    let qname = match &e.prefix {
        Some(p) => format!("{p}:{}", e.local),
        None => e.local.clone(),
    };
    out.push_str(&qname);
    let mut items: Vec<String> = Vec::new();
    for (p, n) in &declarations {
        let name = if p.is_empty() {
            "xmlns".to_owned()
        } else {
            format!("xmlns:{p}")
        };
        items.push(attribute(&name, n.as_deref().unwrap_or(""), c));
        scope.push((p.clone(), n.clone()));
    }
    for (p, _, local, value) in &e.attributes {
        let name = match p {
            Some(p) => format!("{p}:{local}"),
            None => local.clone(),
        };
        items.push(attribute(&name, value, c));
    }
    // Attribute order is free.
    for i in (1..items.len()).rev() {
        items.swap(i, c.pick(i as u64 + 1) as usize);
    }
    for item in items {
        out.push_str([" ", "  ", "\n\t", "\r\n"][c.pick(4) as usize]);
        out.push_str(&item);
    }
    out.push_str(["", " ", "\n"][c.pick(3) as usize]);
    if e.children.is_empty() && c.pick(2) == 0 {
        out.push_str("/>");
    } else {
        out.push('>');
        for child in &e.children {
            match child {
                MNode::Element(inner) => write_element(inner, scope, c, out),
                MNode::Text(t) => write_text(t, c, out),
                other => write_misc(other, out),
            }
        }
        out.push_str("</");
        out.push_str(&qname);
        out.push_str([">", " >", "\n>"][c.pick(3) as usize]);
    }
    scope.truncate(mark);
}

fn attribute(name: &str, value: &str, c: &mut Choices) -> String {
    let quote = if c.pick(2) == 0 { '"' } else { '\'' };
    let mut s = format!("{name}{}{quote}", ["=", " = ", "=\n"][c.pick(3) as usize]);
    for ch in value.chars() {
        match ch {
            '&' => s.push_str(["&amp;", "&#38;", "&#x26;"][c.pick(3) as usize]),
            '<' => s.push_str(["&lt;", "&#60;"][c.pick(2) as usize]),
            '\t' => s.push_str("&#9;"),
            '\n' => s.push_str(["&#10;", "&#xA;"][c.pick(2) as usize]),
            '\r' => s.push_str("&#13;"),
            '"' if quote == '"' => s.push_str(["&quot;", "&#34;"][c.pick(2) as usize]),
            '\'' if quote == '\'' => s.push_str(["&apos;", "&#39;"][c.pick(2) as usize]),
            '>' if c.pick(2) == 0 => s.push_str("&gt;"),
            // Attribute-value normalisation turns each literal whitespace character (and CR LF
            // after end-of-line handling) into one space.
            ' ' => s.push_str([" ", "\t", "\n", "\r\n"][c.pick(4) as usize]),
            other if c.pick(8) == 0 => s.push_str(&format!("&#x{:X};", other as u32)),
            other => s.push(other),
        }
    }
    s.push(quote);
    s
}

fn write_text(text: &str, c: &mut Choices, out: &mut String) {
    let use_cdata = !text.contains("]]>") && !text.contains('\r') && c.pick(3) == 0;
    if use_cdata {
        // Split so that a CDATA section sits among plain text sometimes.
        out.push_str("<![CDATA[");
        out.push_str(text);
        out.push_str("]]>");
        return;
    }
    let mut previous = '\0';
    let mut brackets = 0;
    for ch in text.chars() {
        match ch {
            '&' => out.push_str(["&amp;", "&#38;"][c.pick(2) as usize]),
            '<' => out.push_str(["&lt;", "&#x3C;"][c.pick(2) as usize]),
            '>' if brackets >= 2 || c.pick(3) == 0 => out.push_str("&gt;"),
            '\r' => out.push_str(["&#13;", "&#xD;"][c.pick(2) as usize]),
            // End-of-line handling turns a literal CR LF into LF (a CR before is a reference).
            '\n' if previous != '\r' && c.pick(3) == 0 => out.push_str("\r\n"),
            '"' if c.pick(3) == 0 => out.push_str("&quot;"),
            other => out.push(other),
        }
        brackets = if ch == ']' { brackets + 1 } else { 0 };
        previous = ch;
    }
}

/// Does the parsed document match the model?
pub fn matches_model(doc: &Document<'_>, model: &MDocument) -> Result<(), String> {
    let top: Vec<Node<'_, '_>> = doc.top_level().collect();
    let expected_top: Vec<MNode> = model
        .before
        .iter()
        .cloned()
        .chain(std::iter::once(MNode::Element(model.root.clone())))
        .chain(model.after.iter().cloned())
        .collect();
    compare_nodes(&top, &expected_top, "")
}

fn compare_nodes(actual: &[Node<'_, '_>], expected: &[MNode], path: &str) -> Result<(), String> {
    if actual.len() != expected.len() {
        return Err(format!(
            "{path}: {} children, expected {}: {actual:?} vs {expected:?}",
            actual.len(),
            expected.len()
        ));
    }
    for (a, e) in actual.iter().zip(expected) {
        match (a.node_type(), e) {
            (NodeType::Text, MNode::Text(t)) | (NodeType::Comment, MNode::Comment(t)) => {
                if a.text() != Some(t.as_str()) {
                    return Err(format!("{path}: text {:?} expected {t:?}", a.text()));
                }
            }
            (NodeType::ProcessingInstruction, MNode::Pi(target, data)) => {
                if a.pi_target() != Some(target.as_str()) || a.text() != Some(data.as_str()) {
                    return Err(format!(
                        "{path}: PI {:?} {:?} expected {target:?} {data:?}",
                        a.pi_target(),
                        a.text()
                    ));
                }
            }
            (NodeType::Element, MNode::Element(m)) => {
                let name = a.name().unwrap();
                let here = format!("{path}/{}", name.as_str());
                if name.prefix() != m.prefix.as_deref()
                    || name.local() != m.local
                    || a.namespace() != m.namespace.as_deref()
                {
                    return Err(format!(
                        "{here}: name {:?} {:?} expected {m:?}",
                        name,
                        a.namespace()
                    ));
                }
                let mut got: Vec<_> = a
                    .attributes()
                    .map(|at| {
                        (
                            at.name().prefix().map(str::to_owned),
                            at.namespace().map(str::to_owned),
                            at.name().local().to_owned(),
                            at.value().to_owned(),
                        )
                    })
                    .collect();
                let mut want = m.attributes.clone();
                got.sort();
                want.sort();
                if got != want {
                    return Err(format!("{here}: attributes {got:?} expected {want:?}"));
                }
                let children: Vec<_> = a.children().collect();
                compare_nodes(&children, &m.children, &here)?;
            }
            (kind, e) => return Err(format!("{path}: {kind:?} expected {e:?}")),
        }
    }
    Ok(())
}
