//! The XML layer's error: what was wrong and where.

use core::fmt;

use crate::error::Fault;
use crate::limits::MAX_ERROR_EXCERPT_BYTES;

/// A document was rejected: the kind of fault and its position.
///
/// The position is a byte offset into the input as given (a byte-order mark included), and the
/// 1-based line and column (columns count Unicode scalar values; CR LF and lone CR end a line
/// as they do in XML). `element_path` names the open elements at the point of failure, e.g.
/// `/label/ConfidentialityInformation`, with prefixes as written (empty outside the root).
///
/// The error is one pointer wide (its fields live behind a box), so that `Result`s carrying it
/// through the reader's hot paths stay as small as the values they carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError(Box<Fields>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Fields {
    kind: XmlErrorKind,
    offset: usize,
    line: usize,
    column: usize,
    element_path: Box<str>,
}

impl XmlError {
    pub(crate) fn new(
        kind: XmlErrorKind,
        input: &[u8],
        offset: usize,
        element_path: Box<str>,
    ) -> Self {
        let (line, column) = line_and_column(input, offset);
        Self(Box::new(Fields {
            kind,
            offset,
            line,
            column,
            element_path,
        }))
    }

    /// The same error placed at `offset`, `line` and `column` of a whole input (a streaming
    /// reader builds errors over the window it holds, then places them in the document).
    pub(crate) fn placed(mut self, offset: usize, (line, column): (usize, usize)) -> Self {
        self.0.offset = offset;
        self.0.line = line;
        self.0.column = column;
        self
    }

    /// What was wrong.
    pub fn kind(&self) -> &XmlErrorKind {
        &self.0.kind
    }

    /// Byte offset of the fault in the input.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// 1-based line of the fault.
    pub fn line(&self) -> usize {
        self.0.line
    }

    /// 1-based column (in characters) of the fault.
    pub fn column(&self) -> usize {
        self.0.column
    }

    /// The open elements at the fault, as `/a/b/c`; empty outside the root element.
    pub fn element_path(&self) -> &str {
        &self.0.element_path
    }

    /// Who is at fault: malformed input, forbidden input or an exceeded limit.
    pub fn fault(&self) -> Fault {
        self.0.kind.fault()
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {} (byte {})",
            self.0.kind, self.0.line, self.0.column, self.0.offset
        )?;
        if !self.0.element_path.is_empty() {
            write!(f, " in {}", self.0.element_path)?;
        }
        Ok(())
    }
}

impl std::error::Error for XmlError {}

/// Every way an XML document can be rejected.
///
/// [`XmlErrorKind::code`] gives a stable kebab-case identifier for each variant (used by the
/// CLI's JSON output and the test corpus); [`XmlErrorKind::fault`] groups them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum XmlErrorKind {
    // ---- malformed input: not well-formed XML 1.0 / Namespaces 1.0 ----
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// A character outside the `Char` production (a C0 control, U+FFFE, U+FFFF).
    IllegalChar {
        /// The offending scalar value.
        code_point: u32,
    },
    /// The document declared `US-ASCII` but contains a non-ASCII byte.
    NonAsciiInAsciiDocument,
    /// The input ended inside a construct.
    UnexpectedEof {
        /// What was being read.
        expected: &'static str,
    },
    /// A byte that the grammar does not allow here.
    Unexpected {
        /// What the grammar required.
        expected: &'static str,
    },
    /// A name that does not match the `Name` production (or is empty).
    InvalidName {
        /// Which name: element, attribute, PI target, entity.
        context: &'static str,
    },
    /// A name with more than one colon, or an empty prefix or local part (Namespaces §3).
    InvalidQualifiedName,
    /// Two attributes with the same qualified name on one element.
    DuplicateAttribute {
        /// The attribute's name as written.
        name: Box<str>,
    },
    /// Two attributes with different prefixes bound to the same namespace and the same local name.
    DuplicateExpandedAttribute {
        /// The local name.
        local: Box<str>,
        /// The namespace both prefixes resolve to.
        namespace: Box<str>,
    },
    /// A `<` inside an attribute value.
    LtInAttributeValue,
    /// The sequence `]]>` in character data outside a CDATA section.
    CdataEndInText,
    /// An entity reference other than the five predefined ones.
    UndefinedEntity {
        /// The entity name.
        name: Box<str>,
    },
    /// An `&` that does not start a well-formed reference.
    MalformedReference,
    /// A character reference to a value outside the `Char` production.
    InvalidCharReference,
    /// An end tag whose name differs from the open element's.
    MismatchedEndTag {
        /// The open element's name.
        expected: Box<str>,
        /// The end tag's name.
        found: Box<str>,
    },
    /// An end tag with no open element.
    UnmatchedEndTag,
    /// The input ended with an element still open.
    UnclosedElement {
        /// The innermost open element.
        name: Box<str>,
    },
    /// The document has no root element.
    MissingRoot,
    /// A second top-level element.
    MultipleRoots,
    /// Character data (or a reference or CDATA section) outside the root element.
    TextOutsideRoot,
    /// An XML declaration anywhere but at the very start.
    MisplacedXmlDeclaration,
    /// An XML declaration that does not match production 23.
    MalformedXmlDeclaration {
        /// What the grammar required.
        expected: &'static str,
    },
    /// `--` inside a comment.
    DoubleHyphenInComment,
    /// A processing-instruction target that is a case variant of `xml`.
    ReservedPiTarget,
    /// A prefix with no namespace declaration in scope.
    UndeclaredPrefix {
        /// The prefix.
        prefix: Box<str>,
    },
    /// `xmlns:p=""`: Namespaces 1.0 forbids undeclaring a prefix.
    EmptyPrefixedNamespace {
        /// The prefix.
        prefix: Box<str>,
    },
    /// A declaration breaking the `xml`/`xmlns` reservations of Namespaces §3.
    ReservedNamespace {
        /// The rule broken.
        rule: ReservedNamespaceRule,
    },

    // ---- forbidden input: well-formed perhaps, but never accepted ----
    /// A document type declaration. DTDs, and with them entity expansion and external
    /// resources, are never processed.
    DoctypeForbidden,
    /// UTF-16 or UTF-32 input (by byte-order mark or by the pattern of `<?`).
    Utf16Unsupported,
    /// A declared encoding other than UTF-8 or US-ASCII.
    UnsupportedEncoding {
        /// The declared name.
        declared: Box<str>,
    },
    /// A declared version other than `1.0` (XML 1.1 included).
    UnsupportedVersion {
        /// The declared version.
        declared: Box<str>,
    },

    // ---- resource limits (see `crate::limits`) ----
    /// The input is larger than `max_input_bytes`.
    InputTooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// Elements nest deeper than `max_depth`.
    DepthLimitExceeded {
        /// The limit in force.
        limit: usize,
    },
    /// An element has more than `max_attributes` attributes.
    TooManyAttributes {
        /// The limit in force.
        limit: usize,
    },
    /// A name is longer than `max_name_bytes`.
    NameTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// A namespace name is longer than [`MAX_XML_NAMESPACE_NAME_BYTES`](crate::limits::MAX_XML_NAMESPACE_NAME_BYTES).
    NamespaceNameTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// More than `max_namespace_declarations` declarations are in scope.
    TooManyNamespaceDeclarations {
        /// The limit in force.
        limit: usize,
    },
    /// The document has more than `max_nodes` nodes.
    TooManyNodes {
        /// The limit in force.
        limit: usize,
    },
    /// A tag, processing instruction or XML declaration is not closed within
    /// `max_markup_bytes` of its start.
    MarkupTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// A character or entity reference longer than
    /// [`MAX_XML_REFERENCE_BYTES`](crate::limits::MAX_XML_REFERENCE_BYTES).
    ReferenceTooLong {
        /// The limit in force.
        limit: usize,
    },
}

/// The reserved-name rules of Namespaces in XML 1.0 §3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReservedNamespaceRule {
    /// The `xml` prefix may only be bound to `http://www.w3.org/XML/1998/namespace`.
    XmlPrefixRebound,
    /// `http://www.w3.org/XML/1998/namespace` may only be bound to the `xml` prefix.
    XmlNamespaceMisbound,
    /// The `xmlns` prefix must not be declared.
    XmlnsPrefixDeclared,
    /// `http://www.w3.org/2000/xmlns/` must not be bound to any prefix.
    XmlnsNamespaceBound,
    /// Element names must not have the prefix `xmlns`.
    XmlnsPrefixOnElement,
    /// Element names must not have the prefix `xml`: the XML namespace defines attributes only
    /// (`xml:lang`, `xml:space`, `xml:base`, `xml:id`), and no label or policy has such an
    /// element. A crossguard policy choice, shared with roxmltree.
    XmlPrefixOnElement,
}

impl XmlErrorKind {
    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        use XmlErrorKind as K;
        match self {
            K::DoctypeForbidden
            | K::Utf16Unsupported
            | K::UnsupportedEncoding { .. }
            | K::UnsupportedVersion { .. } => Fault::Forbidden,
            K::InputTooLarge { .. }
            | K::DepthLimitExceeded { .. }
            | K::TooManyAttributes { .. }
            | K::NameTooLong { .. }
            | K::TooManyNamespaceDeclarations { .. }
            | K::NamespaceNameTooLong { .. }
            | K::TooManyNodes { .. }
            | K::MarkupTooLong { .. }
            | K::ReferenceTooLong { .. } => Fault::LimitExceeded,
            _ => Fault::Malformed,
        }
    }

    /// A stable identifier for the variant, e.g. `doctype-forbidden`.
    pub fn code(&self) -> &'static str {
        use XmlErrorKind as K;
        match self {
            K::InvalidUtf8 => "invalid-utf8",
            K::IllegalChar { .. } => "illegal-char",
            K::NonAsciiInAsciiDocument => "non-ascii-in-ascii-document",
            K::UnexpectedEof { .. } => "unexpected-eof",
            K::Unexpected { .. } => "unexpected",
            K::InvalidName { .. } => "invalid-name",
            K::InvalidQualifiedName => "invalid-qualified-name",
            K::DuplicateAttribute { .. } => "duplicate-attribute",
            K::DuplicateExpandedAttribute { .. } => "duplicate-expanded-attribute",
            K::LtInAttributeValue => "lt-in-attribute-value",
            K::CdataEndInText => "cdata-end-in-text",
            K::UndefinedEntity { .. } => "undefined-entity",
            K::MalformedReference => "malformed-reference",
            K::InvalidCharReference => "invalid-char-reference",
            K::MismatchedEndTag { .. } => "mismatched-end-tag",
            K::UnmatchedEndTag => "unmatched-end-tag",
            K::UnclosedElement { .. } => "unclosed-element",
            K::MissingRoot => "missing-root",
            K::MultipleRoots => "multiple-roots",
            K::TextOutsideRoot => "text-outside-root",
            K::MisplacedXmlDeclaration => "misplaced-xml-declaration",
            K::MalformedXmlDeclaration { .. } => "malformed-xml-declaration",
            K::DoubleHyphenInComment => "double-hyphen-in-comment",
            K::ReservedPiTarget => "reserved-pi-target",
            K::UndeclaredPrefix { .. } => "undeclared-prefix",
            K::EmptyPrefixedNamespace { .. } => "empty-prefixed-namespace",
            K::ReservedNamespace { .. } => "reserved-namespace",
            K::DoctypeForbidden => "doctype-forbidden",
            K::Utf16Unsupported => "utf16-unsupported",
            K::UnsupportedEncoding { .. } => "unsupported-encoding",
            K::UnsupportedVersion { .. } => "unsupported-version",
            K::InputTooLarge { .. } => "input-too-large",
            K::DepthLimitExceeded { .. } => "depth-limit-exceeded",
            K::TooManyAttributes { .. } => "too-many-attributes",
            K::NameTooLong { .. } => "name-too-long",
            K::TooManyNamespaceDeclarations { .. } => "too-many-namespace-declarations",
            K::NamespaceNameTooLong { .. } => "namespace-name-too-long",
            K::TooManyNodes { .. } => "too-many-nodes",
            K::MarkupTooLong { .. } => "markup-too-long",
            K::ReferenceTooLong { .. } => "reference-too-long",
        }
    }
}

impl fmt::Display for XmlErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use XmlErrorKind as K;
        match self {
            K::InvalidUtf8 => f.write_str("input is not valid UTF-8"),
            K::IllegalChar { code_point } => {
                write!(f, "character U+{code_point:04X} is not allowed in XML 1.0")
            }
            K::NonAsciiInAsciiDocument => {
                f.write_str("non-ASCII byte in a document declared US-ASCII")
            }
            K::UnexpectedEof { expected } => write!(f, "input ended inside {expected}"),
            K::Unexpected { expected } => write!(f, "expected {expected}"),
            K::InvalidName { context } => write!(f, "invalid {context} name"),
            K::InvalidQualifiedName => {
                f.write_str("name is not a valid qualified name (prefix:local)")
            }
            K::DuplicateAttribute { name } => write!(f, "duplicate attribute '{name}'"),
            K::DuplicateExpandedAttribute { local, namespace } => {
                write!(
                    f,
                    "duplicate attribute '{local}' in namespace '{namespace}' under two prefixes"
                )
            }
            K::LtInAttributeValue => f.write_str("'<' is not allowed in an attribute value"),
            K::CdataEndInText => f.write_str("']]>' is not allowed in character data"),
            K::UndefinedEntity { name } => write!(
                f,
                "undefined entity '&{name};' (only amp, lt, gt, apos, quot exist)"
            ),
            K::MalformedReference => f.write_str("'&' does not start a well-formed reference"),
            K::InvalidCharReference => {
                f.write_str("character reference to a character not allowed in XML 1.0")
            }
            K::MismatchedEndTag { expected, found } => write!(
                f,
                "end tag '</{found}>' does not match open element '<{expected}>'"
            ),
            K::UnmatchedEndTag => f.write_str("end tag without an open element"),
            K::UnclosedElement { name } => {
                write!(f, "input ended with element '<{name}>' still open")
            }
            K::MissingRoot => f.write_str("document has no root element"),
            K::MultipleRoots => {
                f.write_str("a second top-level element (a document has exactly one root)")
            }
            K::TextOutsideRoot => f.write_str("character data outside the root element"),
            K::MisplacedXmlDeclaration => {
                f.write_str("XML declaration is allowed only at the very start of the document")
            }
            K::MalformedXmlDeclaration { expected } => {
                write!(f, "malformed XML declaration: expected {expected}")
            }
            K::DoubleHyphenInComment => f.write_str("'--' is not allowed inside a comment"),
            K::ReservedPiTarget => f.write_str("processing-instruction target 'xml' is reserved"),
            K::UndeclaredPrefix { prefix } => {
                write!(f, "namespace prefix '{prefix}' is not declared")
            }
            K::EmptyPrefixedNamespace { prefix } => {
                write!(f, "prefix '{prefix}' declared with an empty namespace name (not allowed in Namespaces 1.0)")
            }
            K::ReservedNamespace { rule } => fmt::Display::fmt(rule, f),
            K::DoctypeForbidden => {
                f.write_str("document type declarations (<!DOCTYPE) are forbidden")
            }
            K::Utf16Unsupported => f.write_str("UTF-16/UTF-32 input is not accepted (UTF-8 only)"),
            K::UnsupportedEncoding { declared } => write!(
                f,
                "declared encoding '{declared}' is not accepted (UTF-8 or US-ASCII only)"
            ),
            K::UnsupportedVersion { declared } => {
                write!(f, "XML version '{declared}' is not accepted (1.0 only)")
            }
            K::InputTooLarge { limit } => write!(f, "input larger than the limit of {limit} bytes"),
            K::DepthLimitExceeded { limit } => {
                write!(f, "elements nested deeper than the limit of {limit}")
            }
            K::TooManyAttributes { limit } => write!(
                f,
                "more attributes on one element than the limit of {limit}"
            ),
            K::NameTooLong { limit } => write!(f, "name longer than the limit of {limit} bytes"),
            K::NamespaceNameTooLong { limit } => {
                write!(f, "namespace name longer than the limit of {limit} bytes")
            }
            K::TooManyNamespaceDeclarations { limit } => {
                write!(
                    f,
                    "more namespace declarations in scope than the limit of {limit}"
                )
            }
            K::TooManyNodes { limit } => write!(f, "more nodes than the limit of {limit}"),
            K::MarkupTooLong { limit } => write!(
                f,
                "tag, processing instruction or declaration not closed within the limit of {limit} bytes"
            ),
            K::ReferenceTooLong { limit } => {
                write!(f, "reference longer than the limit of {limit} bytes")
            }
        }
    }
}

impl fmt::Display for ReservedNamespaceRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::XmlPrefixRebound => {
                "prefix 'xml' bound to a namespace other than http://www.w3.org/XML/1998/namespace"
            }
            Self::XmlNamespaceMisbound => {
                "namespace http://www.w3.org/XML/1998/namespace bound to a prefix other than 'xml'"
            }
            Self::XmlnsPrefixDeclared => "prefix 'xmlns' must not be declared",
            Self::XmlnsNamespaceBound => {
                "namespace http://www.w3.org/2000/xmlns/ must not be bound"
            }
            Self::XmlnsPrefixOnElement => "element names must not use the prefix 'xmlns'",
            Self::XmlPrefixOnElement => "element names must not use the prefix 'xml' (the XML namespace defines attributes only)",
        })
    }
}

/// `s`, or its first [`MAX_ERROR_EXCERPT_BYTES`] (at a character boundary) followed by `…`.
pub(crate) fn excerpt(s: &str) -> Box<str> {
    if s.len() <= MAX_ERROR_EXCERPT_BYTES {
        return s.into();
    }
    let mut cut = MAX_ERROR_EXCERPT_BYTES;
    while !s.is_char_boundary(cut) {
        cut = cut.saturating_sub(1);
    }
    format!("{}…", s.get(..cut).unwrap_or("")).into_boxed_str()
}

/// 1-based line and column of `offset`, counting CR LF, CR and LF as line ends and columns in
/// Unicode scalar values (a UTF-8 continuation byte does not advance the column).
///
/// Layers above the XML core use it to place their own errors (a policy rule, a label value)
/// at the same kind of position as [`XmlError`] does.
///
/// ```
/// assert_eq!(crossguard::xml::line_and_column(b"<a>\n  <b/>", 6), (2, 3));
/// ```
pub fn line_and_column(input: &[u8], offset: usize) -> (usize, usize) {
    let before = input.get(..offset).unwrap_or(input);
    let mut line = 1usize;
    let mut line_start = 0usize;
    for at in memchr::memchr2_iter(b'\n', b'\r', before) {
        let is_crlf_tail = at > 0
            && before.get(at.wrapping_sub(1)) == Some(&b'\r')
            && before.get(at) == Some(&b'\n');
        if !is_crlf_tail {
            line = line.saturating_add(1);
        }
        line_start = at.saturating_add(1);
    }
    let column = before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        .saturating_add(1);
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let input = "ab\ncd\r\nef\rg\u{e9}h".as_bytes();
        assert_eq!(line_and_column(input, 0), (1, 1));
        assert_eq!(line_and_column(input, 4), (2, 2));
        assert_eq!(line_and_column(input, 7), (3, 1));
        assert_eq!(line_and_column(input, 10), (4, 1));
        // after the two-byte 'é'
        assert_eq!(line_and_column(input, 13), (4, 3));
    }

    #[test]
    fn excerpts_are_bounded() {
        assert_eq!(&*excerpt("short"), "short");
        let long = "\u{e9}".repeat(1000);
        let cut = excerpt(&long);
        assert!(cut.len() <= MAX_ERROR_EXCERPT_BYTES + '…'.len_utf8());
        assert!(cut.ends_with('…') && cut.starts_with("\u{e9}\u{e9}"));
    }

    #[test]
    fn codes_are_unique() {
        let kinds = [
            XmlErrorKind::DoctypeForbidden,
            XmlErrorKind::MissingRoot,
            XmlErrorKind::TooManyNodes { limit: 1 },
            XmlErrorKind::InvalidUtf8,
        ];
        let mut codes: Vec<_> = kinds.iter().map(XmlErrorKind::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), kinds.len());
        assert_eq!(XmlErrorKind::DoctypeForbidden.fault(), Fault::Forbidden);
        assert_eq!(
            XmlErrorKind::TooManyNodes { limit: 1 }.fault(),
            Fault::LimitExceeded
        );
        assert_eq!(XmlErrorKind::MissingRoot.fault(), Fault::Malformed);
    }
}
