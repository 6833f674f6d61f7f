//! Errors of the JSON validator: what was wrong, and where (byte offset, line, column and the
//! JSON Pointer of the value being read).

use core::fmt;

use crate::error::Fault;

/// A limit of [`crate::limits::JsonLimits`] that a document exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonLimit {
    /// `max_input_bytes`.
    InputBytes,
    /// `max_depth`.
    Depth,
    /// `max_string_bytes`.
    StringBytes,
    /// `max_number_bytes`.
    NumberBytes,
    /// `max_members`.
    Members,
    /// `max_name_bytes`.
    NameBytes,
}

impl JsonLimit {
    /// The constant's name in [`crate::limits`].
    pub fn name(self) -> &'static str {
        match self {
            Self::InputBytes => "MAX_JSON_INPUT_BYTES",
            Self::Depth => "MAX_JSON_DEPTH",
            Self::StringBytes => "MAX_JSON_STRING_BYTES",
            Self::NumberBytes => "MAX_JSON_NUMBER_BYTES",
            Self::Members => "MAX_JSON_MEMBERS",
            Self::NameBytes => "MAX_JSON_NAME_BYTES",
        }
    }
}

/// What was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// Bytes that are not UTF-8 (RFC 8259 §8.1), inside a string.
    InvalidUtf8,
    /// The document starts with a byte order mark (RFC 8259 §8.1: must not be added).
    ByteOrderMark,
    /// The input ended inside a value or before one.
    UnexpectedEof {
        /// What was expected.
        expected: &'static str,
    },
    /// A byte that cannot come here.
    Unexpected {
        /// The byte found.
        found: u8,
        /// What was expected.
        expected: &'static str,
    },
    /// Something other than whitespace after the top-level value.
    TrailingContent,
    /// A misspelt `true`, `false` or `null`.
    InvalidLiteral,
    /// An unescaped control character (U+0000..U+001F) in a string.
    ControlInString {
        /// The control character.
        code_point: u32,
    },
    /// A backslash followed by something other than `" \ / b f n r t u`, or `\u` not
    /// followed by four hex digits.
    InvalidEscape,
    /// A surrogate escape without its pair, or a low surrogate first (I-JSON, RFC 7493 §2.1).
    UnpairedSurrogate {
        /// The surrogate code unit.
        code_unit: u32,
    },
    /// A Unicode noncharacter (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF), written or escaped (I-JSON,
    /// RFC 7493 §2.1).
    Noncharacter {
        /// The code point.
        code_point: u32,
    },
    /// A number that does not follow RFC 8259 §6 (leading zeros, a lone `-`, `1.`, `.5`, `1e`).
    InvalidNumber,
    /// A number beyond what an IEEE 754 double represents: it overflows to infinity, or a
    /// non-zero literal rounds to zero (I-JSON, RFC 7493 §2.2).
    NumberOutOfRange,
    /// An integer outside [-(2^53)+1, 2^53-1], where doubles no longer hold every integer
    /// (I-JSON, RFC 7493 §2.2).
    IntegerOutOfRange,
    /// A number with more than 17 significant digits: more precision than a double holds
    /// (I-JSON, RFC 7493 §2.2).
    NumberTooPrecise,
    /// A member name repeated in one object, compared after unescaping (I-JSON, RFC 7493
    /// §2.3).
    DuplicateName {
        /// The name (cut to [`crate::limits::MAX_ERROR_EXCERPT_BYTES`]).
        name: Box<str>,
    },
    /// A named limit was exceeded.
    LimitExceeded {
        /// Which.
        limit: JsonLimit,
        /// Its value.
        max: u64,
    },
}

impl JsonErrorKind {
    /// A stable kebab-case code, one per kind (the corpus directories are named by it).
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidUtf8 => "invalid-utf8",
            Self::ByteOrderMark => "byte-order-mark",
            Self::UnexpectedEof { .. } => "unexpected-eof",
            Self::Unexpected { .. } => "unexpected",
            Self::TrailingContent => "trailing-content",
            Self::InvalidLiteral => "invalid-literal",
            Self::ControlInString { .. } => "control-in-string",
            Self::InvalidEscape => "invalid-escape",
            Self::UnpairedSurrogate { .. } => "unpaired-surrogate",
            Self::Noncharacter { .. } => "noncharacter",
            Self::InvalidNumber => "invalid-number",
            Self::NumberOutOfRange => "number-out-of-range",
            Self::IntegerOutOfRange => "integer-out-of-range",
            Self::NumberTooPrecise => "number-too-precise",
            Self::DuplicateName { .. } => "duplicate-name",
            Self::LimitExceeded { limit, .. } => match limit {
                JsonLimit::InputBytes => "input-too-large",
                JsonLimit::Depth => "depth-limit-exceeded",
                JsonLimit::StringBytes => "string-too-long",
                JsonLimit::NumberBytes => "number-too-long",
                JsonLimit::Members => "too-many-members",
                JsonLimit::NameBytes => "names-too-large",
            },
        }
    }

    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match self {
            Self::LimitExceeded { .. } => Fault::LimitExceeded,
            _ => Fault::Malformed,
        }
    }

    /// Whether the input is not JSON at all at this point (a grammar or encoding fault), as
    /// opposed to JSON that breaks an I-JSON rule or a limit.
    pub fn is_syntax(&self) -> bool {
        matches!(
            self,
            Self::InvalidUtf8
                | Self::UnexpectedEof { .. }
                | Self::Unexpected { .. }
                | Self::TrailingContent
                | Self::InvalidLiteral
                | Self::ControlInString { .. }
                | Self::InvalidEscape
                | Self::InvalidNumber
        )
    }
}

impl fmt::Display for JsonErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUtf8 => f.write_str("invalid UTF-8 in a string"),
            Self::ByteOrderMark => f.write_str("a byte order mark (JSON must not start with one)"),
            Self::UnexpectedEof { expected } => {
                write!(f, "unexpected end of input, expected {expected}")
            }
            Self::Unexpected { found, expected } => {
                if found.is_ascii_graphic() {
                    write!(
                        f,
                        "unexpected '{}', expected {expected}",
                        char::from(*found)
                    )
                } else {
                    write!(f, "unexpected byte 0x{found:02X}, expected {expected}")
                }
            }
            Self::TrailingContent => f.write_str("content after the top-level value"),
            Self::InvalidLiteral => f.write_str("invalid literal (not true, false or null)"),
            Self::ControlInString { code_point } => write!(
                f,
                "unescaped control character U+{code_point:04X} in a string"
            ),
            Self::InvalidEscape => f.write_str("invalid escape sequence"),
            Self::UnpairedSurrogate { code_unit } => {
                write!(f, "unpaired surrogate \\u{code_unit:04X}")
            }
            Self::Noncharacter { code_point } => {
                write!(f, "Unicode noncharacter U+{code_point:04X}")
            }
            Self::InvalidNumber => f.write_str("malformed number"),
            Self::NumberOutOfRange => f.write_str("number out of the range of an IEEE 754 double"),
            Self::IntegerOutOfRange => {
                f.write_str("integer outside [-(2^53)+1, 2^53-1], not exact as a double")
            }
            Self::NumberTooPrecise => f.write_str("number with more than 17 significant digits"),
            Self::DuplicateName { name } => write!(f, "duplicate member name {name:?}"),
            Self::LimitExceeded { limit, max } => {
                write!(f, "limit exceeded: {} ({max})", limit.name())
            }
        }
    }
}

/// A JSON error: its kind, the byte offset of the offending byte, its 1-based line and column
/// (columns count Unicode scalar values; LF, CR LF and a lone CR end a line), and the JSON
/// Pointer (RFC 6901) of the value being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError(Box<Inner>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    kind: JsonErrorKind,
    offset: u64,
    line: u64,
    column: u64,
    pointer: String,
}

impl JsonError {
    pub(crate) fn new(
        kind: JsonErrorKind,
        offset: u64,
        line: u64,
        column: u64,
        pointer: String,
    ) -> Self {
        Self(Box::new(Inner {
            kind,
            offset,
            line,
            column,
            pointer,
        }))
    }

    pub(crate) fn set_pointer(&mut self, pointer: String) {
        self.0.pointer = pointer;
    }

    /// What was wrong.
    pub fn kind(&self) -> &JsonErrorKind {
        &self.0.kind
    }

    /// The stable code of the kind.
    pub fn code(&self) -> &'static str {
        self.0.kind.code()
    }

    /// Byte offset of the offending byte from the start of the document.
    pub fn offset(&self) -> u64 {
        self.0.offset
    }

    /// 1-based line.
    pub fn line(&self) -> u64 {
        self.0.line
    }

    /// 1-based column, in characters.
    pub fn column(&self) -> u64 {
        self.0.column
    }

    /// JSON Pointer of the value being read (`""` for the document itself).
    pub fn pointer(&self) -> &str {
        &self.0.pointer
    }

    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        self.0.kind.fault()
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {} (byte {})",
            self.0.kind, self.0.line, self.0.column, self.0.offset
        )?;
        if !self.0.pointer.is_empty() {
            write!(f, ", at {}", self.0.pointer)?;
        }
        Ok(())
    }
}

impl std::error::Error for JsonError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let limits = [
            JsonLimit::InputBytes,
            JsonLimit::Depth,
            JsonLimit::StringBytes,
            JsonLimit::NumberBytes,
            JsonLimit::Members,
            JsonLimit::NameBytes,
        ];
        let mut kinds = vec![
            JsonErrorKind::InvalidUtf8,
            JsonErrorKind::ByteOrderMark,
            JsonErrorKind::UnexpectedEof { expected: "" },
            JsonErrorKind::Unexpected {
                found: 0,
                expected: "",
            },
            JsonErrorKind::TrailingContent,
            JsonErrorKind::InvalidLiteral,
            JsonErrorKind::ControlInString { code_point: 0 },
            JsonErrorKind::InvalidEscape,
            JsonErrorKind::UnpairedSurrogate { code_unit: 0 },
            JsonErrorKind::Noncharacter { code_point: 0 },
            JsonErrorKind::InvalidNumber,
            JsonErrorKind::NumberOutOfRange,
            JsonErrorKind::IntegerOutOfRange,
            JsonErrorKind::NumberTooPrecise,
            JsonErrorKind::DuplicateName { name: "".into() },
        ];
        kinds.extend(
            limits
                .iter()
                .map(|&limit| JsonErrorKind::LimitExceeded { limit, max: 0 }),
        );
        let mut codes: Vec<_> = kinds.iter().map(JsonErrorKind::code).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }
}
