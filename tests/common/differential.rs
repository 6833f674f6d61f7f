//! The differential oracle against roxmltree, shared by `tests/xml_differential.rs` and the
//! `xml_differential` fuzz target (which includes this file by path).
//!
//! Both parsers must accept or both reject; when both accept, they must see the same tree.
//! Justified differences:
//! - roxmltree takes `&str`, so it never sees invalid UTF-8 (crossguard must reject those
//!   inputs). It strips one leading byte-order mark itself, as crossguard does; a second one
//!   is text outside the root for both (a fuzz find: the oracle used to strip one first).
//! - Where crossguard rejects and roxmltree accepts, the difference is justified only for a
//!   limit crossguard imposes (`Fault::LimitExceeded`: name length, depth, …; roxmltree has
//!   other limits or none) and for these error kinds (`justified_strictness`), each a rule
//!   roxmltree does not enforce:
//!   - `unsupported-encoding`, `unsupported-version`: roxmltree ignores the encoding name and
//!     accepts `1.x` versions; crossguard takes UTF-8/US-ASCII and `1.0` only, by policy;
//!   - `malformed-xml-declaration`: roxmltree checks the XML declaration loosely (seen: it
//!     accepts `version=".0"` and `<?xml< version='1.0'?>`); crossguard applies productions
//!     23–26 and 80–81 exactly;
//!   - `misplaced-xml-declaration`: `<?xml ...?>` anywhere but at the start is a PI whose
//!     target production 17 excludes;
//!   - `reserved-pi-target`: production 17 excludes every case variant of `xml` as a target;
//!   - `unexpected` after a PI target: production 16 requires whitespace between the target
//!     and the data (`<?p#i?>` is not well-formed);
//!   - `invalid-name` for a PI target with a colon (Namespaces in XML 1.0 §7);
//!   - `invalid-qualified-name` for a name with a leading colon (`<a :b='1'/>`): Namespaces in
//!     XML 1.0 §3 (roxmltree rejects the other malformed QNames);
//!   - `non-ascii-in-ascii-document`: roxmltree ignores the declared encoding;
//!   - `invalid-char-reference` to a surrogate or beyond U+10FFFF (production 2; roxmltree
//!     rejects `&#0;` and the other non-characters);
//!   - `undeclared-prefix` on an attribute named `p:xmlns`: an ordinary attribute whose prefix
//!     must be declared (roxmltree takes it for a declaration);
//!   - `duplicate-attribute` for a namespace declaration repeated on one element
//!     (`xmlns="u" xmlns="u"`), or an attribute `p:xmlns` repeated (`xml:xmlns="u"
//!     xml:xmlns="u"`, which roxmltree takes for two default declarations; a fuzz find): the
//!     unique-attribute-specification constraint covers them;
//!   - `reserved-namespace` for `xmlns:xmlns="…"` with any value (roxmltree rejects only the
//!     xmlns namespace itself as the value; Namespaces in XML 1.0 §3 forbids declaring the
//!     prefix at all; found by the `xml_differential` fuzz target);
//!   - `empty-prefixed-namespace`: `xmlns:p=""` is forbidden by Namespaces in XML 1.0 (only
//!     1.1 allows undeclaring a prefix).
//!
//!   The reverse (roxmltree rejects, crossguard accepts) is never excused.
//! - Inputs crossguard rejects for a limit are not given to roxmltree at all: it parses
//!   nesting recursively and overflowed the 2 MiB stack of a test thread on a corpus input
//!   nested ~800 deep (crossguard's reader is iterative and stops at `max_depth`).
//! - roxmltree takes an attribute named `p:xmlns` (including `xml:xmlns`) for a default
//!   namespace declaration; crossguard reads it as the ordinary attribute it is, so documents
//!   with one are not compared (a fuzz find, `<a xml:xmlns="hns/"/>`).
//! - roxmltree takes an XML declaration written `<?xml` + tab/CR/LF for a processing
//!   instruction named `xml`; the comparison drops it (crossguard accepts only the declaration
//!   there and rejects `xml` PIs everywhere else, so nothing else is hidden).
//! - roxmltree makes an empty text node of an empty CDATA section that follows an element;
//!   crossguard's tree, like the XPath data model, has no empty text nodes, so those are
//!   skipped (a fuzz find).
//! - roxmltree does not apply end-of-line handling (XML 1.0 §2.11) to comments and processing
//!   instructions; its CR and CR LF there are normalised to LF before comparing.
//! - roxmltree does not normalise a literal CR in text when a reference follows it
//!   (`\r&#13;` gives it "\r\r"; §2.11 gives "\n\r"); where the input has a literal CR, text
//!   is compared with CR folded to LF on both sides. Every other difference still fails.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use crossguard::xml::{Document, NodeType, ReservedNamespaceRule, XmlError, XmlErrorKind};
use crossguard::Fault;

/// Where crossguard rejects and roxmltree accepts for a documented reason (module docs).
pub fn justified_strictness(error: &XmlError, text: &str) -> Option<&'static str> {
    let at_fault = text.as_bytes().get(error.offset()..).unwrap_or_default();
    if error.fault() == Fault::LimitExceeded {
        return Some("crossguard's named limits (name length, depth, attributes, ...) are its own");
    }
    match error.kind() {
        XmlErrorKind::UnsupportedEncoding { .. } => Some("roxmltree ignores the declared encoding"),
        XmlErrorKind::UnsupportedVersion { .. } => Some("roxmltree accepts XML 1.x versions"),
        XmlErrorKind::MalformedXmlDeclaration { .. } => {
            Some("roxmltree does not check productions 23-26 and 80-81 fully")
        }
        XmlErrorKind::MisplacedXmlDeclaration => {
            Some("production 17 excludes 'xml' as a PI target")
        }
        XmlErrorKind::ReservedPiTarget => {
            Some("production 17 excludes every case variant of 'xml'")
        }
        XmlErrorKind::Unexpected { expected }
            if expected.contains("processing-instruction target") =>
        {
            Some("production 16 requires whitespace between the PI target and its data")
        }
        XmlErrorKind::InvalidName {
            context: "processing-instruction target",
        } if at_fault
            .iter()
            .take_while(|&&b| b != b'?' && !b.is_ascii_whitespace())
            .any(|&b| b == b':') =>
        {
            Some("Namespaces in XML 1.0 section 7: PI targets contain no colon")
        }
        XmlErrorKind::InvalidQualifiedName if at_fault.first() == Some(&b':') => {
            Some("Namespaces in XML 1.0 section 3: a QName does not start with a colon")
        }
        XmlErrorKind::DuplicateAttribute { name } if name.starts_with("xmlns") => {
            Some("unique attribute specification applies to namespace declarations too")
        }
        XmlErrorKind::DuplicateAttribute { name } if name.ends_with(":xmlns") => {
            Some("unique attribute specification applies to p:xmlns, which roxmltree takes for a declaration")
        }
        XmlErrorKind::NonAsciiInAsciiDocument => Some("roxmltree ignores the declared encoding"),
        XmlErrorKind::InvalidCharReference if char_reference_beyond_scalar_values(at_fault) => {
            Some("production 2: surrogates and values above U+10FFFF are not characters")
        }
        XmlErrorKind::UndeclaredPrefix { prefix } if at_fault.starts_with(format!("{prefix}:xmlns").as_bytes()) => {
            Some("Namespaces in XML 1.0 section 5: p:xmlns is an ordinary attribute and p must be declared")
        }
        XmlErrorKind::ReservedNamespace { rule: ReservedNamespaceRule::XmlnsPrefixDeclared } => {
            Some("Namespaces in XML 1.0 section 3: the xmlns prefix must not be declared, whatever the value")
        }
        XmlErrorKind::EmptyPrefixedNamespace { .. } => Some("Namespaces 1.0 forbids xmlns:p=\"\""),
        _ => None,
    }
}

/// `&#xD800;`-`&#xDFFF;` or above `&#x10FFFF;` (roxmltree rejects the other non-characters).
fn char_reference_beyond_scalar_values(reference: &[u8]) -> bool {
    let text = std::str::from_utf8(reference).unwrap_or("");
    let Some(end) = text.find(';') else {
        return false;
    };
    let body = &text[..end];
    let value = if let Some(hex) = body.strip_prefix("&#x") {
        u64::from_str_radix(hex, 16).ok()
    } else {
        body.strip_prefix("&#").and_then(|d| d.parse::<u64>().ok())
    };
    value.is_none_or(|v| (0xD800..=0xDFFF).contains(&v) || v > 0x10FFFF)
}

/// Runs both parsers on `bytes`; `Err` describes a disagreement.
pub fn compare(bytes: &[u8]) -> Result<(), String> {
    let ours = Document::parse(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return match ours {
            Ok(_) => Err("crossguard accepted invalid UTF-8".to_owned()),
            Err(_) => Ok(()),
        };
    };
    if let Err(e) = &ours {
        if e.fault() == Fault::LimitExceeded {
            // Justified (see `justified_strictness`), and roxmltree is not asked: it parses
            // nesting recursively and overflows a 2 MiB test-thread stack on inputs deeper
            // than crossguard's depth limit (a corpus-replay find).
            return Ok(());
        }
    }
    let theirs = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..roxmltree::ParsingOptions::default()
        },
    );
    match (&ours, &theirs) {
        (Ok(a), _) if has_prefixed_xmlns_attribute(a) => {
            // Justified: an attribute `p:xmlns` (also `xml:xmlns`) is an ordinary attribute in
            // p's namespace (Namespaces in XML 1.0 §3 reserves only the `xmlns` *prefix*);
            // roxmltree 0.20 takes it for a default namespace declaration (a fuzz find:
            // `<a xml:xmlns="hns/"/>`). Its tree cannot be compared.
            Ok(())
        }
        (Ok(a), Ok(b)) => {
            let (mut ours, mut theirs) = (crossguard_shape(a), roxmltree_shape(b));
            if ours != theirs && text.contains('\r') {
                let fold = |shape: Vec<String>| {
                    shape
                        .into_iter()
                        .map(|s| s.replace("\\r", "\\n"))
                        .collect::<Vec<_>>()
                };
                (ours, theirs) = (fold(ours), fold(theirs));
            }
            if ours == theirs {
                Ok(())
            } else {
                Err(format!(
                    "trees differ on {text:?}:\ncrossguard {ours:?}\nroxmltree  {theirs:?}"
                ))
            }
        }
        (Err(_), Err(_)) => Ok(()),
        (Err(e), Ok(_)) if justified_strictness(e, text).is_some() => Ok(()),
        (a, b) => Err(format!(
            "disagreement on {text:?}: crossguard {:?}, roxmltree {:?}",
            a.as_ref().err(),
            b.as_ref().err()
        )),
    }
}

/// Whether any element has an attribute with a prefix and the local name `xmlns`.
fn has_prefixed_xmlns_attribute(doc: &Document<'_>) -> bool {
    doc.descendants().any(|node| {
        node.attributes()
            .any(|a| a.name().local() == "xmlns" && a.name().prefix().is_some())
    })
}

/// XML 1.0 §2.11 end-of-line handling, which roxmltree 0.20 applies to text and attribute
/// values but not to comments and processing instructions.
fn end_of_line(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Depth with the root element at 1 (roxmltree's `ancestors` includes the node itself and
/// the document root).
fn depth(node: roxmltree::Node<'_, '_>) -> usize {
    node.ancestors().count() - 1
}

/// A comparable rendering of a roxmltree tree (elements, attributes, text, comments, PIs).
pub fn roxmltree_shape(doc: &roxmltree::Document<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for node in doc.root().descendants().skip(1) {
        out.push(match node.node_type() {
            roxmltree::NodeType::Element => {
                let mut attrs: Vec<String> = node
                    .attributes()
                    .map(|a| {
                        format!(
                            "{{{}}}{}={:?}",
                            a.namespace().unwrap_or(""),
                            a.name(),
                            a.value()
                        )
                    })
                    .collect();
                attrs.sort();
                format!(
                    "E{} {{{}}}{} {attrs:?}",
                    depth(node),
                    node.tag_name().namespace().unwrap_or(""),
                    node.tag_name().name()
                )
            }
            // An empty CDATA section (`<![CDATA[]]>`) after an element is an empty text node in
            // roxmltree; the XPath data model (and crossguard's tree) has no empty text nodes.
            roxmltree::NodeType::Text if node.text().unwrap_or("").is_empty() => continue,
            roxmltree::NodeType::Text => {
                format!("T{} {:?}", depth(node), node.text().unwrap_or(""))
            }
            roxmltree::NodeType::Comment => format!(
                "C{} {:?}",
                depth(node),
                end_of_line(node.text().unwrap_or(""))
            ),
            // roxmltree recognises the XML declaration only when a space follows `<?xml`; with
            // a tab, CR or LF (also `S` in production 24) it reports a PI named `xml`. Such a
            // PI can only be that declaration: crossguard rejects every other one.
            roxmltree::NodeType::PI if node.pi().unwrap().target == "xml" => continue,
            roxmltree::NodeType::PI => {
                let pi = node.pi().unwrap();
                format!(
                    "P{} {} {:?}",
                    depth(node),
                    pi.target,
                    end_of_line(pi.value.unwrap_or(""))
                )
            }
            roxmltree::NodeType::Root => String::new(),
        });
    }
    out
}

/// The same rendering of a crossguard tree.
pub fn crossguard_shape(doc: &Document<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for node in doc.descendants() {
        let depth = std::iter::successors(Some(node), |n| n.parent()).count();
        out.push(match node.node_type() {
            NodeType::Element => {
                let mut attrs: Vec<String> = node
                    .attributes()
                    .map(|a| {
                        format!(
                            "{{{}}}{}={:?}",
                            a.namespace().unwrap_or(""),
                            a.name().local(),
                            a.value()
                        )
                    })
                    .collect();
                attrs.sort();
                format!(
                    "E{depth} {{{}}}{} {attrs:?}",
                    node.namespace().unwrap_or(""),
                    node.local_name().unwrap_or("")
                )
            }
            NodeType::Text => format!("T{depth} {:?}", node.text().unwrap_or("")),
            NodeType::Comment => format!("C{depth} {:?}", node.text().unwrap_or("")),
            NodeType::ProcessingInstruction => format!(
                "P{depth} {} {:?}",
                node.pi_target().unwrap_or(""),
                node.text().unwrap_or("")
            ),
            _ => String::new(),
        });
    }
    out
}
