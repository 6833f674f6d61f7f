//! Errors of SPIF compilation. Each names the element path and the position of the element
//! at fault.

use core::fmt;

use crate::error::Fault;
use crate::xml::{line_and_column, Node, XmlError};

/// Why a SPIF could not be compiled into a [`Policy`](super::Policy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    kind: PolicyErrorKind,
    path: Box<str>,
    offset: usize,
    line: usize,
    column: usize,
}

/// A limit of [`crate::limits`] that a SPIF exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyLimit {
    /// [`crate::limits::MAX_SPIF_INPUT_BYTES`].
    InputBytes,
    /// [`crate::limits::MAX_POLICY_CLASSIFICATIONS`].
    Classifications,
    /// [`crate::limits::MAX_POLICY_TAGS`].
    Tags,
    /// [`crate::limits::MAX_POLICY_CATEGORIES`].
    Categories,
    /// [`crate::limits::MAX_POLICY_RULES`].
    Rules,
    /// [`crate::limits::MAX_POLICY_RULE_MEMBERS`].
    RuleMembers,
}

impl PolicyLimit {
    /// The constant's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::InputBytes => "MAX_SPIF_INPUT_BYTES",
            Self::Classifications => "MAX_POLICY_CLASSIFICATIONS",
            Self::Tags => "MAX_POLICY_TAGS",
            Self::Categories => "MAX_POLICY_CATEGORIES",
            Self::Rules => "MAX_POLICY_RULES",
            Self::RuleMembers => "MAX_POLICY_RULE_MEMBERS",
        }
    }
}

/// What was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// The document is not well-formed XML (the XML error has its own position).
    Xml(XmlError),
    /// The root element is not `SPIF` in the `http://www.xmlspif.org/spif` namespace.
    NotASpif {
        /// The root's namespace and local name as `{ns}local`.
        found: Box<str>,
    },
    /// `schemaVersion` is not 1.0, 2.0 or 2.1.
    UnsupportedSchemaVersion(Box<str>),
    /// An element that the schema does not allow here, or not in this order.
    UnexpectedElement {
        /// `{ns}local` of the element.
        found: Box<str>,
    },
    /// A required element is missing.
    MissingElement(&'static str),
    /// Character data where the schema allows only elements.
    UnexpectedText,
    /// An attribute the schema does not define on this element.
    UnexpectedAttribute(Box<str>),
    /// A required attribute is missing.
    MissingAttribute(&'static str),
    /// An attribute or text value does not have the required form.
    InvalidValue {
        /// The attribute (or `text()`).
        attribute: &'static str,
        /// The value (cut to [`crate::limits::MAX_ERROR_EXCERPT_BYTES`]).
        value: Box<str>,
        /// What was expected.
        expected: &'static str,
    },
    /// A value that must be unique in the policy appears twice (A4774.1 §3.4, schema keys).
    Duplicate {
        /// What is duplicated (e.g. `classification hierarchy`).
        what: &'static str,
        /// The repeated value.
        value: Box<str>,
    },
    /// A reference that names nothing in the policy.
    Unresolved {
        /// What kind of reference (e.g. `excludedClass`).
        what: &'static str,
        /// The reference as written.
        value: Box<str>,
    },
    /// A named limit was exceeded.
    LimitExceeded(PolicyLimit),
}

impl PolicyError {
    pub(crate) fn at(kind: PolicyErrorKind, input: &[u8], node: Node<'_, '_>) -> Self {
        let offset = node.offset().unwrap_or(0);
        let (line, column) = line_and_column(input, offset);
        Self {
            kind,
            path: element_path(node).into_boxed_str(),
            offset,
            line,
            column,
        }
    }

    pub(crate) fn at_start(kind: PolicyErrorKind) -> Self {
        Self {
            kind,
            path: Box::from(""),
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> &PolicyErrorKind {
        &self.kind
    }

    /// The element path, e.g.
    /// `/SPIF/securityClassifications/securityClassification[@name='SECRET']`.
    pub fn element_path(&self) -> &str {
        &self.path
    }

    /// Byte offset of the element at fault.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// 1-based line of the element at fault.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column of the element at fault.
    pub fn column(&self) -> usize {
        self.column
    }

    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match &self.kind {
            PolicyErrorKind::Xml(e) => e.fault(),
            PolicyErrorKind::LimitExceeded(_) => Fault::LimitExceeded,
            PolicyErrorKind::UnsupportedSchemaVersion(_) => Fault::Forbidden,
            _ => Fault::Malformed,
        }
    }

    /// A short stable code for the kind, for JSON output and tests.
    pub fn code(&self) -> &'static str {
        match &self.kind {
            PolicyErrorKind::Xml(e) => e.kind().code(),
            PolicyErrorKind::NotASpif { .. } => "not-a-spif",
            PolicyErrorKind::UnsupportedSchemaVersion(_) => "unsupported-schema-version",
            PolicyErrorKind::UnexpectedElement { .. } => "unexpected-element",
            PolicyErrorKind::MissingElement(_) => "missing-element",
            PolicyErrorKind::UnexpectedText => "unexpected-text",
            PolicyErrorKind::UnexpectedAttribute(_) => "unexpected-attribute",
            PolicyErrorKind::MissingAttribute(_) => "missing-attribute",
            PolicyErrorKind::InvalidValue { .. } => "invalid-value",
            PolicyErrorKind::Duplicate { .. } => "duplicate",
            PolicyErrorKind::Unresolved { .. } => "unresolved-reference",
            PolicyErrorKind::LimitExceeded(_) => "limit-exceeded",
        }
    }
}

/// `/a/b[@name='x']/c`: local names from the root down, with the `name` attribute where the
/// element has one.
pub(crate) fn element_path(node: Node<'_, '_>) -> String {
    let mut steps = Vec::new();
    let mut current = Some(node);
    while let Some(n) = current {
        if n.is_element() {
            steps.push(n);
        }
        current = n.parent();
    }
    let mut path = String::new();
    for n in steps.iter().rev() {
        path.push('/');
        path.push_str(n.local_name().unwrap_or(""));
        if let Some(name) = n.attribute(None, "name") {
            path.push_str("[@name='");
            path.push_str(&crate::xml::excerpt(name));
            path.push_str("']");
        }
    }
    path
}

impl fmt::Display for PolicyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Xml(e) => write!(f, "{e}"),
            Self::NotASpif { found } => write!(
                f,
                "the root element is {found}, not SPIF in the http://www.xmlspif.org/spif namespace"
            ),
            Self::UnsupportedSchemaVersion(v) => {
                write!(f, "schemaVersion {v:?} is not supported (1.0, 2.0 or 2.1)")
            }
            Self::UnexpectedElement { found } => {
                write!(
                    f,
                    "element {found} is not allowed here (unknown or out of schema order)"
                )
            }
            Self::MissingElement(name) => write!(f, "required element {name} is missing"),
            Self::UnexpectedText => f.write_str("character data is not allowed here"),
            Self::UnexpectedAttribute(name) => write!(f, "attribute {name} is not allowed here"),
            Self::MissingAttribute(name) => write!(f, "required attribute {name} is missing"),
            Self::InvalidValue {
                attribute,
                value,
                expected,
            } => write!(f, "{attribute}={value:?} is not {expected}"),
            Self::Duplicate { what, value } => write!(f, "duplicate {what} {value:?}"),
            Self::Unresolved { what, value } => {
                write!(f, "{what} {value:?} does not name anything in the policy")
            }
            Self::LimitExceeded(limit) => write!(f, "the policy exceeds {}", limit.name()),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let PolicyErrorKind::Xml(e) = &self.kind {
            return write!(f, "SPIF: {e}");
        }
        write!(
            f,
            "SPIF: {} at {} (line {}, column {}, byte {})",
            self.kind, self.path, self.line, self.column, self.offset
        )
    }
}

impl std::error::Error for PolicyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            PolicyErrorKind::Xml(e) => Some(e),
            _ => None,
        }
    }
}

/// Something a policy loader tolerated but a reviewer should know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyWarning {
    /// What it is.
    pub kind: PolicyWarningKind,
    /// Element path.
    pub path: Box<str>,
    /// 1-based line.
    pub line: usize,
}

/// What a loader tolerated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyWarningKind {
    /// Two categories of one tag share a lacv (the NATO v88 SPIF does this in `Context`);
    /// binary labels carrying that lacv are refused as ambiguous.
    DuplicateLacv {
        /// The lacv.
        lacv: Box<str>,
    },
}

impl fmt::Display for PolicyWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            PolicyWarningKind::DuplicateLacv { lacv } => write!(
                f,
                "lacv {lacv} is used by two categories of one tag at {} (line {}); binary labels \
                 with it are refused as ambiguous",
                self.path, self.line
            ),
        }
    }
}
