//! Configuration errors: what is wrong and where.

use core::fmt;

/// A configuration that cannot become a guard.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The text exceeds `MAX_CONFIG_BYTES`.
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// Not valid TOML, or not the configuration's shape (unknown key, wrong type, missing
    /// field).
    Syntax {
        /// The parser's message.
        message: String,
        /// 1-based line and column, when known.
        line_column: Option<(usize, usize)>,
    },
    /// A file could not be read.
    Io {
        /// The path.
        path: String,
        /// The system's message.
        message: String,
    },
    /// Well-formed but wrong: an unknown name, a contradiction, a missing rule.
    Invalid {
        /// Where: `domain "nato-secret"`, `flow nato-secret -> mission-restricted`, …
        at: String,
        /// A stable code (`unknown-domain`, `kind-contradicts-clearances`, …).
        code: &'static str,
        /// What is wrong, in words.
        reason: String,
    },
}

impl ConfigError {
    /// Who is at fault: the configuration (`Misuse`), its size (`LimitExceeded`), or the
    /// file system (`Environment`).
    pub fn fault(&self) -> crate::error::Fault {
        use crate::error::Fault;
        match self {
            Self::TooLarge { .. } => Fault::LimitExceeded,
            Self::Io { .. } => Fault::Environment,
            Self::Syntax { .. } | Self::Invalid { .. } => Fault::Misuse,
        }
    }

    /// A stable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "config-too-large",
            Self::Syntax { .. } => "config-syntax",
            Self::Io { .. } => "config-io",
            Self::Invalid { code, .. } => code,
        }
    }

    pub(crate) fn invalid(
        at: impl Into<String>,
        code: &'static str,
        reason: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            at: at.into(),
            code,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { limit } => {
                write!(
                    f,
                    "the configuration exceeds MAX_CONFIG_BYTES ({limit} bytes)"
                )
            }
            Self::Syntax {
                message,
                line_column: Some((line, column)),
            } => write!(
                f,
                "configuration syntax at line {line}, column {column}: {message}"
            ),
            Self::Syntax { message, .. } => write!(f, "configuration syntax: {message}"),
            Self::Io { path, message } => write!(f, "{path}: {message}"),
            Self::Invalid { at, code, reason } => write!(f, "{at}: {reason} [{code}]"),
        }
    }
}

impl std::error::Error for ConfigError {}
