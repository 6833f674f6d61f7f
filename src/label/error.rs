//! Errors of reading a 4774 XML label or clearance, each with its position and element path.

use core::fmt;

use crate::error::Fault;
use crate::xml::XmlError;

/// A limit of [`crate::limits`] that a label document exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LabelLimit {
    /// [`crate::limits::MAX_LABEL_XML_BYTES`].
    InputBytes,
    /// [`crate::limits::MAX_LABEL_XML_DEPTH`].
    Depth,
    /// [`crate::limits::MAX_LABEL_CATEGORIES`].
    Categories,
    /// [`crate::limits::MAX_CATEGORY_VALUES`].
    CategoryValues,
    /// [`crate::limits::MAX_POLICY_CLASSIFICATIONS`] (classifications listed in a clearance).
    Classifications,
}

impl LabelLimit {
    /// The limit's value.
    pub fn max(self) -> usize {
        match self {
            Self::InputBytes => crate::limits::MAX_LABEL_XML_BYTES,
            Self::Depth => crate::limits::MAX_LABEL_XML_DEPTH,
            Self::Categories => crate::limits::MAX_LABEL_CATEGORIES,
            Self::CategoryValues => crate::limits::MAX_CATEGORY_VALUES,
            Self::Classifications => crate::limits::MAX_POLICY_CLASSIFICATIONS,
        }
    }

    /// The constant's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::InputBytes => "MAX_LABEL_XML_BYTES",
            Self::Depth => "MAX_LABEL_XML_DEPTH",
            Self::Categories => "MAX_LABEL_CATEGORIES",
            Self::CategoryValues => "MAX_CATEGORY_VALUES",
            Self::Classifications => "MAX_POLICY_CLASSIFICATIONS",
        }
    }
}

/// What was wrong with a label document.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LabelErrorKind {
    /// Not well-formed XML (the XML error carries its own position).
    Xml(XmlError),
    /// A named limit was exceeded.
    LimitExceeded(LabelLimit),
    /// The root is not a 4774 label (or clearance) element in its namespace.
    NotALabel {
        /// `{ns}local` of the root.
        found: Box<str>,
    },
    /// An element not allowed here or out of schema order.
    UnexpectedElement {
        /// `{ns}local`.
        found: Box<str>,
    },
    /// A required element is missing.
    MissingElement(&'static str),
    /// Character data where only elements are allowed, or an element inside a text value.
    UnexpectedText,
    /// An attribute the schema does not define here.
    UnexpectedAttribute(Box<str>),
    /// A required attribute is missing.
    MissingAttribute(&'static str),
    /// A value of the wrong form.
    InvalidValue {
        /// The attribute or element.
        field: &'static str,
        /// The value (cut to [`crate::limits::MAX_ERROR_EXCERPT_BYTES`]).
        value: Box<str>,
        /// What was expected.
        expected: &'static str,
    },
    /// `IntegerValue` or `BitStringValue`: only `GenericValue` may carry values (ADatP-4774
    /// App 1-9).
    ForbiddenValueElement(&'static str),
    /// `Classification/@URI`, which ADatP-4774 Table 6 forbids (strict reading).
    ClassificationUri,
    /// Neither `ReviewDateTime` nor `SuccessionHandling` (strict reading of App 1-2).
    MissingReviewOrSuccession,
}

/// Why a label (or clearance) document could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelError {
    kind: LabelErrorKind,
    path: Box<str>,
    offset: usize,
    line: usize,
    column: usize,
}

impl LabelError {
    pub(crate) fn new(kind: LabelErrorKind, input: &[u8], offset: usize, path: String) -> Self {
        let (line, column) = crate::xml::line_and_column(input, offset);
        Self {
            kind,
            path: path.into_boxed_str(),
            offset,
            line,
            column,
        }
    }

    pub(crate) fn from_xml(error: XmlError) -> Self {
        Self {
            path: error.element_path().into(),
            offset: error.offset(),
            line: error.line(),
            column: error.column(),
            kind: LabelErrorKind::Xml(error),
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> &LabelErrorKind {
        &self.kind
    }

    /// The element path (`/originatorConfidentialityLabel/ConfidentialityInformation/…`).
    pub fn element_path(&self) -> &str {
        &self.path
    }

    /// Byte offset.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column.
    pub fn column(&self) -> usize {
        self.column
    }

    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match &self.kind {
            LabelErrorKind::Xml(e) => e.fault(),
            LabelErrorKind::LimitExceeded(_) => Fault::LimitExceeded,
            LabelErrorKind::ForbiddenValueElement(_) | LabelErrorKind::ClassificationUri => {
                Fault::Forbidden
            }
            _ => Fault::Malformed,
        }
    }

    /// A short stable code.
    pub fn code(&self) -> &'static str {
        match &self.kind {
            LabelErrorKind::Xml(e) => e.kind().code(),
            LabelErrorKind::LimitExceeded(_) => "limit-exceeded",
            LabelErrorKind::NotALabel { .. } => "not-a-label",
            LabelErrorKind::UnexpectedElement { .. } => "unexpected-element",
            LabelErrorKind::MissingElement(_) => "missing-element",
            LabelErrorKind::UnexpectedText => "unexpected-text",
            LabelErrorKind::UnexpectedAttribute(_) => "unexpected-attribute",
            LabelErrorKind::MissingAttribute(_) => "missing-attribute",
            LabelErrorKind::InvalidValue { .. } => "invalid-value",
            LabelErrorKind::ForbiddenValueElement(_) => "forbidden-value-element",
            LabelErrorKind::ClassificationUri => "classification-uri",
            LabelErrorKind::MissingReviewOrSuccession => "missing-review-or-succession",
        }
    }
}

impl fmt::Display for LabelErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Xml(e) => write!(f, "{e}"),
            Self::LimitExceeded(l) => write!(f, "the document exceeds {}", l.name()),
            Self::NotALabel { found } => write!(
                f,
                "the root element {found} is not a STANAG 4774 label or clearance"
            ),
            Self::UnexpectedElement { found } => {
                write!(
                    f,
                    "element {found} is not allowed here (unknown or out of schema order)"
                )
            }
            Self::MissingElement(name) => write!(f, "required element {name} is missing"),
            Self::UnexpectedText => f.write_str("unexpected character data or child element"),
            Self::UnexpectedAttribute(name) => write!(f, "attribute {name} is not allowed here"),
            Self::MissingAttribute(name) => write!(f, "required attribute {name} is missing"),
            Self::InvalidValue {
                field,
                value,
                expected,
            } => write!(f, "{field} {value:?} is not {expected}"),
            Self::ForbiddenValueElement(name) => {
                write!(
                    f,
                    "{name} must not be used; only GenericValue carries values"
                )
            }
            Self::ClassificationUri => f.write_str("Classification/@URI must not be used"),
            Self::MissingReviewOrSuccession => {
                f.write_str("a label needs ReviewDateTime or SuccessionHandling")
            }
        }
    }
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let LabelErrorKind::Xml(e) = &self.kind {
            return write!(f, "label: {e}");
        }
        write!(
            f,
            "label: {} at {} (line {}, column {}, byte {})",
            self.kind, self.path, self.line, self.column, self.offset
        )
    }
}

impl std::error::Error for LabelError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            LabelErrorKind::Xml(e) => Some(e),
            _ => None,
        }
    }
}
