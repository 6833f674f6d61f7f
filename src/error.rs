//! The shared error vocabulary.
//!
//! Each layer has one public error type ([`crate::xml::XmlError`] for the XML core); [`Error`]
//! wraps them for callers that compose layers. Every error can say who is at fault
//! ([`Fault`]), which is what a guard needs to tell a policy rejection from a broken filter.

use core::fmt;

use crate::xml::XmlError;

/// Who is at fault for an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// The input does not follow its grammar.
    Malformed,
    /// The input is well-formed but uses something this crate never accepts (a DTD, UTF-16).
    Forbidden,
    /// The input exceeds a named limit from [`crate::limits`].
    LimitExceeded,
    /// The caller used the API wrongly.
    Misuse,
    /// The environment failed (I/O, resources).
    Environment,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Malformed => "malformed input",
            Self::Forbidden => "forbidden input",
            Self::LimitExceeded => "limit exceeded",
            Self::Misuse => "caller misuse",
            Self::Environment => "environment failure",
        })
    }
}

/// Any error of this crate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The XML core rejected a document.
    Xml(XmlError),
}

impl Error {
    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match self {
            Self::Xml(e) => e.fault(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Xml(e) => write!(f, "XML: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Xml(e) => Some(e),
        }
    }
}

impl From<XmlError> for Error {
    fn from(e: XmlError) -> Self {
        Self::Xml(e)
    }
}
