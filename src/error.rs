//! The shared error vocabulary.
//!
//! Each layer has one public error type ([`crate::xml::XmlError`] for the XML core); [`Error`]
//! wraps them for callers that compose layers. Every error can say who is at fault
//! ([`Fault`]), which is what a guard needs to tell a policy rejection from a broken filter.

use core::fmt;

use crate::audit::AuditError;
use crate::der::DerError;
use crate::guard::ConfigError;
use crate::label::LabelError;
use crate::policy::PolicyError;
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
    /// The DER layer rejected an ESS label, a clearance or a certificate.
    Der(DerError),
    /// A SPIF could not be compiled.
    Policy(PolicyError),
    /// A 4774 XML label or clearance could not be read.
    Label(LabelError),
    /// A guard configuration could not become a guard.
    Config(ConfigError),
    /// An audit log could not be written, or failed verification.
    Audit(AuditError),
}

impl Error {
    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match self {
            Self::Xml(e) => e.fault(),
            Self::Der(e) => e.fault(),
            Self::Policy(e) => e.fault(),
            Self::Label(e) => e.fault(),
            Self::Config(e) => e.fault(),
            Self::Audit(e) => e.fault(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Xml(e) => write!(f, "XML: {e}"),
            Self::Der(e) => write!(f, "DER: {e}"),
            Self::Policy(e) => write!(f, "{e}"),
            Self::Label(e) => write!(f, "{e}"),
            Self::Config(e) => write!(f, "configuration: {e}"),
            Self::Audit(e) => write!(f, "audit: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Xml(e) => Some(e),
            Self::Der(e) => Some(e),
            Self::Policy(e) => Some(e),
            Self::Label(e) => Some(e),
            Self::Config(e) => Some(e),
            Self::Audit(e) => Some(e),
        }
    }
}

impl From<XmlError> for Error {
    fn from(e: XmlError) -> Self {
        Self::Xml(e)
    }
}

impl From<DerError> for Error {
    fn from(e: DerError) -> Self {
        Self::Der(e)
    }
}

impl From<PolicyError> for Error {
    fn from(e: PolicyError) -> Self {
        Self::Policy(e)
    }
}

impl From<LabelError> for Error {
    fn from(e: LabelError) -> Self {
        Self::Label(e)
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}

impl From<AuditError> for Error {
    fn from(e: AuditError) -> Self {
        Self::Audit(e)
    }
}
