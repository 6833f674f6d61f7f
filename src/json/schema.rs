//! A JSON Schema subset, compiled once and evaluated while streaming a document's tokens,
//! without building a tree of the document.
//!
//! The vocabulary is a strict selection of JSON Schema (draft 2020-12 validation keywords):
//! - `type` (a name or an array of distinct names: `null`, `boolean`, `object`, `array`,
//!   `number`, `integer`, `string`; `integer` is a number with a zero fractional part);
//! - objects: `properties`, `required`, `additionalProperties` (a boolean or a schema);
//! - arrays: `items` (one schema for every element), `minItems`, `maxItems`;
//! - strings: `minLength`, `maxLength` (in Unicode code points), `pattern` (searched
//!   unanchored by [`regex_lite`], with ECMA-262's `.`, `\s` and `\S`; inline flags and POSIX
//!   classes refused: see `docs/json.md`);
//! - numbers: `minimum`, `maximum` (inclusive, compared as doubles);
//! - any value: `enum`, `const` (scalar values only: see below);
//! - the boolean schemas `true` and `false`, and the annotations `$schema`, `$id`, `title`,
//!   `description`, `$comment`, `examples`, `default`, which are accepted and ignored.
//!
//! **Fail closed.** Any other keyword (`$ref`, `allOf`, `format`, a misspelt `minLenght`…) is a
//! compile error ([`SchemaErrorKind::UnknownKeyword`]): a schema that relies on a keyword this
//! module does not evaluate must not silently pass documents it was written to refuse. So are
//! keyword values JSON Schema forbids (`minLength: -1`, `required: [1]`, `type: "float"`, a
//! name twice in `required`, a pattern that does not compile), and two forms JSON Schema allows
//! but this module does not evaluate: `items` as an array of schemas (the draft 4–2019 tuple
//! form, [`SchemaErrorKind::ItemsArray`]) and an object or array inside `enum` or `const`
//! ([`SchemaErrorKind::StructuredEnumValue`]: comparing them would need a buffered copy of the
//! document's value). `enum` and `const` compare `null`, booleans, numbers (numerically, as
//! doubles: `1`, `1.0` and `1e0` are equal) and strings (after unescaping).
//!
//! A schema is read with the strict validator (so it is I-JSON itself) into a compact form:
//! a table of nodes, sorted member tables, literals and compiled patterns. Everything is
//! bounded by a named limit with its own code: [`MAX_SCHEMA_BYTES`], [`MAX_SCHEMA_DEPTH`],
//! [`MAX_SCHEMA_JSON_DEPTH`], [`MAX_SCHEMA_NODES`], [`MAX_SCHEMA_ENUM_VALUES`],
//! [`MAX_SCHEMA_PATTERN_BYTES`], [`MAX_SCHEMA_PATTERNS`], and regex-lite's own program size
//! and nesting limits ([`MAX_SCHEMA_PATTERN_PROGRAM_BYTES`], [`MAX_SCHEMA_PATTERN_NESTING`]).
//!
//! A [`SchemaValidator`] is a [`Visitor`]: it keeps one frame per open container (its schema
//! node, the required members seen as a bitset, the element count, the current member name),
//! so its memory is bounded by the document's [`JsonLimits`]; a subtree whose schema accepts
//! anything is skipped by counting brackets. It reports the first violation in document order
//! and ignores every later token. A violation carries its code, a message naming what was
//! expected and what was found, the JSON Pointer of the offending value in the document, and
//! a byte offset (see [`Violation`]); the pointer is built only when a violation is reported.
//!
//! ```
//! use crossguard::json::schema::{Schema, SchemaFailure, SchemaValidator};
//! use crossguard::json::JsonValidator;
//! use crossguard::limits::JsonLimits;
//! let schema = Schema::compile(br#"{
//!     "type": "object",
//!     "properties": {
//!         "id": {"type": "integer", "minimum": 1},
//!         "tags": {"items": {"type": "string", "maxLength": 8}}
//!     },
//!     "required": ["id"],
//!     "additionalProperties": false
//! }"#)?;
//! schema.validate(br#"{"id": 7, "tags": ["a"]}"#, JsonLimits::default())?;
//!
//! let found = schema.validate(br#"{"id": 7, "tags": ["a", 2]}"#, JsonLimits::default());
//! let Err(SchemaFailure::Violation(v)) = found else { panic!("{found:?}") };
//! assert_eq!((v.code(), v.pointer(), v.offset()), ("type-mismatch", "/tags/1", 24));
//! assert_eq!(v.to_string(), "expected string, found integer at /tags/1 (byte 24)");
//!
//! // Streaming: chunks of any size, split anywhere.
//! let mut json = JsonValidator::new(JsonLimits::default());
//! let mut check = SchemaValidator::new(&schema);
//! check.feed(&mut json, br#"{"id": 7, "ex"#)?;
//! let found = check.feed(&mut json, br#"tra": 1}"#);
//! let Err(SchemaFailure::Violation(v)) = found else { panic!("{found:?}") };
//! assert_eq!((v.code(), v.pointer(), v.offset()), ("additional-property", "/extra", 10));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use regex_lite::{Regex, RegexBuilder};

use super::pattern::SimplePattern;

use super::{JsonError, JsonErrorKind, JsonLimit, JsonStats, JsonStr, JsonValidator};
use super::{Token, Visitor};
use crate::error::Fault;
use crate::limits::JsonLimits;
use crate::xml::excerpt;

/// Largest schema accepted, in bytes (1 MiB).
pub const MAX_SCHEMA_BYTES: usize = 1024 * 1024;
/// Deepest nesting of subschemas (`properties`, `additionalProperties`, `items`) below the
/// root schema, which is at depth 0.
pub const MAX_SCHEMA_DEPTH: usize = 32;
/// Deepest JSON nesting of a schema document: two levels per subschema (`properties`, then the
/// member), the root object, and one array (`enum`, `type`, `required`) at the deepest level,
/// i.e. `2 * MAX_SCHEMA_DEPTH + 3`. Annotation values (`default`, `examples`) count too.
pub const MAX_SCHEMA_JSON_DEPTH: usize = 67;
/// Most subschemas in one schema, the root and boolean schemas included.
pub const MAX_SCHEMA_NODES: usize = 4096;
/// Most values in one `enum`.
pub const MAX_SCHEMA_ENUM_VALUES: usize = 1024;
/// Longest `pattern`, in bytes (UTF-8, after unescaping).
pub const MAX_SCHEMA_PATTERN_BYTES: usize = 1024;
/// Most `pattern` keywords in one schema (each compiled pattern holds up to
/// [`MAX_SCHEMA_PATTERN_PROGRAM_BYTES`]).
pub const MAX_SCHEMA_PATTERNS: usize = 128;
/// regex-lite's size limit for one compiled pattern, in bytes: bounds its memory and the cost
/// of a search (O(program × text), never backtracking). `a{1000}{1000}` is short but large;
/// a literal of [`MAX_SCHEMA_PATTERN_BYTES`] needs about 33 KiB, `[a-z]{1000}` 40 KiB.
pub const MAX_SCHEMA_PATTERN_PROGRAM_BYTES: usize = 64 * 1024;
/// regex-lite's nesting limit for one pattern (groups, repetitions, alternations).
pub const MAX_SCHEMA_PATTERN_NESTING: u32 = 32;

/// Bytes fed at a time by [`Schema::validate`], so that it stops soon after a violation.
const VALIDATE_CHUNK_BYTES: usize = 64 * 1024;

/// The node that accepts every value (`true`, `{}` and any schema without an effect).
const ANY: u32 = 0;
/// The node that refuses every value (`false`).
const NEVER: u32 = 1;

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/// A JSON Schema type name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// An object.
    Object,
    /// An array.
    Array,
    /// Any number.
    Number,
    /// A number with a zero fractional part (`1`, `1.0`, `1e2`).
    Integer,
    /// A string.
    String,
}

impl JsonType {
    const ALL: [Self; 7] = [
        Self::Null,
        Self::Boolean,
        Self::Object,
        Self::Array,
        Self::Number,
        Self::Integer,
        Self::String,
    ];

    /// Its name in a schema.
    pub fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Boolean => "boolean",
            Self::Object => "object",
            Self::Array => "array",
            Self::Number => "number",
            Self::Integer => "integer",
            Self::String => "string",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    fn bit(self) -> u8 {
        match self {
            Self::Null => 1,
            Self::Boolean => 2,
            Self::Object => 4,
            Self::Array => 8,
            Self::Number => 16,
            Self::Integer => 32,
            Self::String => 64,
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The types a `type` keyword allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TypeSet(u8);

impl TypeSet {
    const ALL: Self = Self(0x7F);

    /// Whether `t` is named (an integer is also a number: see [`TypeSet::accepts_number`]).
    pub fn contains(self, t: JsonType) -> bool {
        self.0 & t.bit() != 0
    }

    /// Whether a number is accepted: any if `number` is named, integral ones if `integer` is.
    pub fn accepts_number(self, integral: bool) -> bool {
        self.contains(JsonType::Number) || (integral && self.contains(JsonType::Integer))
    }

    fn with(self, t: JsonType) -> Self {
        Self(self.0 | t.bit())
    }
}

impl fmt::Display for TypeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = JsonType::ALL
            .into_iter()
            .filter(|&t| self.contains(t))
            .map(JsonType::name)
            .collect();
        match names.split_last() {
            None => f.write_str("nothing"),
            Some((last, [])) => f.write_str(last),
            Some((last, rest)) => write!(f, "{} or {last}", rest.join(", ")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Compile errors
// ---------------------------------------------------------------------------------------------

/// Why a schema does not compile.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaErrorKind {
    /// The schema is not I-JSON (the validator's error, its offset and pointer).
    Json(JsonError),
    /// The schema is longer than [`MAX_SCHEMA_BYTES`].
    TooLarge {
        /// The limit.
        max: usize,
    },
    /// Subschemas nest deeper than [`MAX_SCHEMA_DEPTH`].
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// The schema document nests deeper than [`MAX_SCHEMA_JSON_DEPTH`].
    JsonTooDeep {
        /// The limit.
        max: usize,
    },
    /// More subschemas than [`MAX_SCHEMA_NODES`].
    TooManyNodes {
        /// The limit.
        max: usize,
    },
    /// An `enum` with more values than [`MAX_SCHEMA_ENUM_VALUES`].
    TooManyEnumValues {
        /// The limit.
        max: usize,
    },
    /// A `pattern` longer than [`MAX_SCHEMA_PATTERN_BYTES`].
    PatternTooLong {
        /// The limit.
        max: usize,
    },
    /// More `pattern` keywords than [`MAX_SCHEMA_PATTERNS`].
    TooManyPatterns {
        /// The limit.
        max: usize,
    },
    /// A pattern beyond regex-lite's size or nesting limit
    /// ([`MAX_SCHEMA_PATTERN_PROGRAM_BYTES`], [`MAX_SCHEMA_PATTERN_NESTING`]).
    PatternTooComplex {
        /// regex-lite's reason.
        reason: Box<str>,
    },
    /// A pattern regex-lite does not accept (bad syntax, or a feature it lacks such as
    /// `\p{..}` classes, look-around or back-references).
    InvalidPattern {
        /// regex-lite's reason.
        reason: Box<str>,
    },
    /// A subschema that is neither an object nor a boolean.
    NotASchema,
    /// A keyword this module does not evaluate (fail closed).
    UnknownKeyword {
        /// The keyword (cut to [`crate::limits::MAX_ERROR_EXCERPT_BYTES`]).
        keyword: Box<str>,
    },
    /// A keyword's value of the wrong type or range.
    InvalidKeywordValue {
        /// The keyword.
        keyword: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// A `type` name that is not one of the seven.
    UnknownType {
        /// The name (cut).
        name: Box<str>,
    },
    /// A type named twice in a `type` array.
    DuplicateType {
        /// The name.
        name: &'static str,
    },
    /// A name listed twice in `required` (compared after unescaping).
    DuplicateRequired {
        /// The name (cut).
        name: Box<str>,
    },
    /// An object or array inside `enum` or `const` (not supported: refused, not ignored).
    StructuredEnumValue {
        /// `enum` or `const`.
        keyword: &'static str,
    },
    /// `items` as an array of schemas (the tuple form; not supported).
    ItemsArray,
}

impl SchemaErrorKind {
    /// A stable kebab-case code, one per kind.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json(_) => "schema-json",
            Self::TooLarge { .. } => "schema-too-large",
            Self::TooDeep { .. } => "schema-too-deep",
            Self::JsonTooDeep { .. } => "schema-json-too-deep",
            Self::TooManyNodes { .. } => "too-many-schema-nodes",
            Self::TooManyEnumValues { .. } => "too-many-enum-values",
            Self::PatternTooLong { .. } => "pattern-too-long",
            Self::TooManyPatterns { .. } => "too-many-patterns",
            Self::PatternTooComplex { .. } => "pattern-too-complex",
            Self::InvalidPattern { .. } => "invalid-pattern",
            Self::NotASchema => "not-a-schema",
            Self::UnknownKeyword { .. } => "unknown-keyword",
            Self::InvalidKeywordValue { .. } => "invalid-keyword-value",
            Self::UnknownType { .. } => "unknown-type",
            Self::DuplicateType { .. } => "duplicate-type",
            Self::DuplicateRequired { .. } => "duplicate-required",
            Self::StructuredEnumValue { .. } => "structured-enum-value",
            Self::ItemsArray => "unsupported-items-array",
        }
    }

    /// Who is at fault: the schema is malformed, exceeds a limit, or uses something this
    /// module does not evaluate (forbidden).
    pub fn fault(&self) -> Fault {
        match self {
            Self::Json(e) => e.fault(),
            Self::TooLarge { .. }
            | Self::TooDeep { .. }
            | Self::JsonTooDeep { .. }
            | Self::TooManyNodes { .. }
            | Self::TooManyEnumValues { .. }
            | Self::PatternTooLong { .. }
            | Self::TooManyPatterns { .. }
            | Self::PatternTooComplex { .. } => Fault::LimitExceeded,
            Self::UnknownKeyword { .. }
            | Self::StructuredEnumValue { .. }
            | Self::ItemsArray
            | Self::InvalidPattern { .. } => Fault::Forbidden,
            Self::NotASchema
            | Self::InvalidKeywordValue { .. }
            | Self::UnknownType { .. }
            | Self::DuplicateType { .. }
            | Self::DuplicateRequired { .. } => Fault::Malformed,
        }
    }
}

impl fmt::Display for SchemaErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => write!(f, "the schema is not I-JSON: {}", e.kind()),
            Self::TooLarge { max } => {
                write!(f, "limit exceeded: MAX_SCHEMA_BYTES ({max})")
            }
            Self::TooDeep { max } => {
                write!(
                    f,
                    "limit exceeded: MAX_SCHEMA_DEPTH ({max} nested subschemas)"
                )
            }
            Self::JsonTooDeep { max } => {
                write!(f, "limit exceeded: MAX_SCHEMA_JSON_DEPTH ({max})")
            }
            Self::TooManyNodes { max } => {
                write!(f, "limit exceeded: MAX_SCHEMA_NODES ({max} subschemas)")
            }
            Self::TooManyEnumValues { max } => {
                write!(f, "limit exceeded: MAX_SCHEMA_ENUM_VALUES ({max})")
            }
            Self::PatternTooLong { max } => {
                write!(f, "limit exceeded: MAX_SCHEMA_PATTERN_BYTES ({max})")
            }
            Self::TooManyPatterns { max } => {
                write!(f, "limit exceeded: MAX_SCHEMA_PATTERNS ({max})")
            }
            Self::PatternTooComplex { reason } => write!(
                f,
                "pattern too complex (MAX_SCHEMA_PATTERN_PROGRAM_BYTES, \
                 MAX_SCHEMA_PATTERN_NESTING): {reason}"
            ),
            Self::InvalidPattern { reason } => {
                write!(f, "pattern is not a regex-lite expression: {reason}")
            }
            Self::NotASchema => f.write_str("a schema must be an object or a boolean"),
            Self::UnknownKeyword { keyword } => write!(
                f,
                "keyword {keyword:?} is not supported (refused rather than ignored)"
            ),
            Self::InvalidKeywordValue { keyword, expected } => {
                write!(f, "{keyword} must be {expected}")
            }
            Self::UnknownType { name } => write!(
                f,
                "unknown type {name:?}, expected null, boolean, object, array, number, \
                 integer or string"
            ),
            Self::DuplicateType { name } => write!(f, "type {name:?} named twice"),
            Self::DuplicateRequired { name } => {
                write!(f, "{name:?} listed twice in required")
            }
            Self::StructuredEnumValue { keyword } => write!(
                f,
                "{keyword} values must be null, booleans, numbers or strings \
                 (objects and arrays are not supported)"
            ),
            Self::ItemsArray => f.write_str(
                "items must be one schema (the array form, one schema per position, \
                 is not supported)",
            ),
        }
    }
}

/// A schema that does not compile: why, the JSON Pointer in the schema of the offending
/// keyword or value, and its byte offset in the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError(Box<SchemaErrorInner>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct SchemaErrorInner {
    kind: SchemaErrorKind,
    pointer: String,
    offset: u64,
}

impl SchemaError {
    fn new(kind: SchemaErrorKind, pointer: String, offset: u64) -> Self {
        Self(Box::new(SchemaErrorInner {
            kind,
            pointer,
            offset,
        }))
    }

    /// What was wrong.
    pub fn kind(&self) -> &SchemaErrorKind {
        &self.0.kind
    }

    /// The stable code of the kind.
    pub fn code(&self) -> &'static str {
        self.0.kind.code()
    }

    /// What was wrong, without the position (the [`fmt::Display`] form adds it).
    pub fn message(&self) -> String {
        self.0.kind.to_string()
    }

    /// JSON Pointer, in the schema, of the offending keyword (`/properties/a/minLength`) or
    /// element (`/required/2`); `""` for the schema itself.
    pub fn pointer(&self) -> &str {
        &self.0.pointer
    }

    /// Byte offset in the schema: of the keyword's name for an unknown keyword, else of the
    /// offending value.
    pub fn offset(&self) -> u64 {
        self.0.offset
    }

    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        self.0.kind.fault()
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "schema: {} (byte {}", self.0.kind, self.0.offset)?;
        if !self.0.pointer.is_empty() {
            write!(f, ", at {}", self.0.pointer)?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for SchemaError {}

// ---------------------------------------------------------------------------------------------
// Violations
// ---------------------------------------------------------------------------------------------

/// How a document breaks the schema.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// The schema here is `false`: no value is allowed.
    FalseSchema,
    /// A value of a type `type` does not name.
    TypeMismatch {
        /// The allowed types.
        expected: TypeSet,
        /// The value's type (`integer` for a number with a zero fractional part).
        found: JsonType,
    },
    /// An object without a member `required` names.
    RequiredMissing {
        /// The first missing name, in `required` order (cut).
        name: Box<str>,
    },
    /// A member that `properties` does not name, where `additionalProperties` is `false`.
    AdditionalProperty {
        /// The member's name (cut).
        name: Box<str>,
    },
    /// A value equal to none of `enum`'s.
    EnumMismatch {
        /// The allowed values, as JSON (cut).
        expected: Box<str>,
        /// The value found (cut; `an object` or `an array` for containers).
        found: Box<str>,
    },
    /// A value other than `const`'s.
    ConstMismatch {
        /// The required value, as JSON (cut).
        expected: Box<str>,
        /// The value found (cut).
        found: Box<str>,
    },
    /// A string shorter than `minLength` code points.
    MinLength {
        /// The minimum.
        min: u64,
        /// The string's length in code points.
        found: u64,
    },
    /// A string longer than `maxLength` code points.
    MaxLength {
        /// The maximum.
        max: u64,
        /// The string's length in code points.
        found: u64,
    },
    /// A string in which `pattern` finds no match.
    PatternMismatch {
        /// The pattern.
        pattern: Box<str>,
        /// The string (cut).
        found: Box<str>,
    },
    /// A number below `minimum`.
    Minimum {
        /// The minimum.
        min: f64,
        /// The number as written.
        found: Box<str>,
    },
    /// A number above `maximum`.
    Maximum {
        /// The maximum.
        max: f64,
        /// The number as written.
        found: Box<str>,
    },
    /// An array with fewer elements than `minItems`.
    MinItems {
        /// The minimum.
        min: u64,
        /// The number of elements.
        found: u64,
    },
    /// An array with more elements than `maxItems` (reported at the first one too many).
    MaxItems {
        /// The maximum.
        max: u64,
    },
    /// [`SchemaValidator::finish`] was called inside a container: the caller did not finish
    /// the JSON document first.
    Incomplete,
}

impl ViolationKind {
    /// A stable kebab-case code, one per kind.
    pub fn code(&self) -> &'static str {
        match self {
            Self::FalseSchema => "false-schema",
            Self::TypeMismatch { .. } => "type-mismatch",
            Self::RequiredMissing { .. } => "required-missing",
            Self::AdditionalProperty { .. } => "additional-property",
            Self::EnumMismatch { .. } => "enum-mismatch",
            Self::ConstMismatch { .. } => "const-mismatch",
            Self::MinLength { .. } => "min-length",
            Self::MaxLength { .. } => "max-length",
            Self::PatternMismatch { .. } => "pattern-mismatch",
            Self::Minimum { .. } => "minimum",
            Self::Maximum { .. } => "maximum",
            Self::MinItems { .. } => "min-items",
            Self::MaxItems { .. } => "max-items",
            Self::Incomplete => "incomplete-document",
        }
    }
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FalseSchema => f.write_str("no value is allowed here (the schema is false)"),
            Self::TypeMismatch { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            Self::RequiredMissing { name } => {
                write!(f, "expected a member {name:?}, found an object without it")
            }
            Self::AdditionalProperty { name } => write!(
                f,
                "found a member {name:?}, which the schema's properties do not name \
                 (additionalProperties is false)"
            ),
            Self::EnumMismatch { expected, found } => {
                write!(f, "expected one of {expected}, found {found}")
            }
            Self::ConstMismatch { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            Self::MinLength { min, found } => write!(
                f,
                "expected a string of at least {min} characters, found {found}"
            ),
            Self::MaxLength { max, found } => write!(
                f,
                "expected a string of at most {max} characters, found {found}"
            ),
            Self::PatternMismatch { pattern, found } => {
                write!(f, "expected a string matching {pattern:?}, found {found}")
            }
            Self::Minimum { min, found } => {
                write!(f, "expected at least {}, found {found}", Number(*min))
            }
            Self::Maximum { max, found } => {
                write!(f, "expected at most {}, found {found}", Number(*max))
            }
            Self::MinItems { min, found } => {
                write!(f, "expected at least {min} elements, found {found}")
            }
            Self::MaxItems { max } => {
                write!(f, "expected at most {max} elements, found more")
            }
            Self::Incomplete => f.write_str("the document ended inside a container"),
        }
    }
}

/// A document's first violation of a schema: its kind, the JSON Pointer (RFC 6901) of the
/// offending value in the document, and a byte offset.
///
/// The offset is where the violation became certain: the first byte of the offending value
/// for rules on one value (`type`, `enum`, `const`, lengths, `pattern`, `minimum`, `maximum`,
/// a `false` schema); the member's name for `additionalProperties: false` (the pointer names
/// the member); the first element too many for `maxItems`; the closing bracket for `required`
/// and `minItems` (the pointer names the container). The pointer's names are unescaped and
/// written whole, `~` as `~0` and `/` as `~1`.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation(Box<ViolationInner>);

#[derive(Clone, Debug, PartialEq)]
struct ViolationInner {
    kind: ViolationKind,
    pointer: String,
    offset: u64,
}

impl Violation {
    fn new(kind: ViolationKind, pointer: String, offset: u64) -> Self {
        Self(Box::new(ViolationInner {
            kind,
            pointer,
            offset,
        }))
    }

    /// What rule was broken.
    pub fn kind(&self) -> &ViolationKind {
        &self.0.kind
    }

    /// The stable code of the kind.
    pub fn code(&self) -> &'static str {
        self.0.kind.code()
    }

    /// What was expected and what was found, without the position (the [`fmt::Display`]
    /// form adds it).
    pub fn message(&self) -> String {
        self.0.kind.to_string()
    }

    /// JSON Pointer of the offending value in the document (`""` for the document itself).
    pub fn pointer(&self) -> &str {
        &self.0.pointer
    }

    /// Byte offset in the document (see [`Violation`] for which byte).
    pub fn offset(&self) -> u64 {
        self.0.offset
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.kind)?;
        if !self.0.pointer.is_empty() {
            write!(f, " at {}", self.0.pointer)?;
        }
        write!(f, " (byte {})", self.0.offset)
    }
}

impl std::error::Error for Violation {}

/// Why a document fails validation against a schema: it is not valid JSON, or it breaks the
/// schema. Both deny; the first is malformed input, the second forbidden content.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SchemaFailure {
    /// The document is not I-JSON (or exceeds a [`JsonLimits`] limit).
    Json(JsonError),
    /// The document breaks the schema.
    Violation(Violation),
}

impl SchemaFailure {
    /// The code: the JSON error's or the violation's.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json(e) => e.code(),
            Self::Violation(v) => v.code(),
        }
    }

    /// The JSON Pointer in the document.
    pub fn pointer(&self) -> &str {
        match self {
            Self::Json(e) => e.pointer(),
            Self::Violation(v) => v.pointer(),
        }
    }

    /// The byte offset in the document.
    pub fn offset(&self) -> u64 {
        match self {
            Self::Json(e) => e.offset(),
            Self::Violation(v) => v.offset(),
        }
    }

    /// Who is at fault: the JSON error's fault, or [`Fault::Forbidden`] for a violation.
    pub fn fault(&self) -> Fault {
        match self {
            Self::Json(e) => e.fault(),
            Self::Violation(_) => Fault::Forbidden,
        }
    }
}

impl From<JsonError> for SchemaFailure {
    fn from(e: JsonError) -> Self {
        Self::Json(e)
    }
}

impl From<Violation> for SchemaFailure {
    fn from(v: Violation) -> Self {
        Self::Violation(v)
    }
}

impl fmt::Display for SchemaFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => e.fmt(f),
            Self::Violation(v) => write!(f, "schema violation: {v}"),
        }
    }
}

impl std::error::Error for SchemaFailure {}

// ---------------------------------------------------------------------------------------------
// The compiled schema
// ---------------------------------------------------------------------------------------------

/// A compiled schema: immutable, shareable between threads, evaluated by [`Schema::validate`]
/// or a [`SchemaValidator`].
#[derive(Clone, Debug)]
pub struct Schema {
    /// Index [`ANY`] accepts everything, [`NEVER`] nothing; the rest in post-order.
    nodes: Vec<Node>,
    root: u32,
    /// Each node's members (`properties` and `required` names), sorted by name.
    members: Vec<Member>,
    /// Each node's required members, in `required` order, as indices into `members`; the
    /// position in this run is the member's bit.
    required: Vec<u32>,
    literals: Vec<Literal>,
    patterns: Vec<Pattern>,
}

/// A half-open range of indices into one of the schema's tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn range(self) -> core::ops::Range<usize> {
        usize::try_from(self.start).unwrap_or(usize::MAX)
            ..usize::try_from(self.end).unwrap_or(usize::MAX)
    }

    fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }
}

#[derive(Clone, Debug)]
struct Node {
    types: TypeSet,
    /// Which of the rules below are present, settled once compiled ([`Node::settle`]): read
    /// first, so that a value with no rule of its kind costs one test.
    rules: u8,
    members: Span,
    required: Span,
    /// Node for members `properties` does not name ([`NEVER`]: `additionalProperties: false`).
    additional: u32,
    items: u32,
    constant: Option<u32>,
    enumeration: Option<Span>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<u32>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
}

impl Node {
    fn any() -> Self {
        Self {
            types: TypeSet::ALL,
            rules: 0,
            members: Span::default(),
            required: Span::default(),
            additional: ANY,
            items: ANY,
            constant: None,
            enumeration: None,
            min_length: None,
            max_length: None,
            pattern: None,
            minimum: None,
            maximum: None,
            min_items: None,
            max_items: None,
        }
    }

    /// Records which rules are present in [`Node::rules`].
    fn settle(&mut self) {
        let literals = self.constant.is_some() || self.enumeration.is_some();
        let bounds = self.minimum.is_some() || self.maximum.is_some();
        let flag = |present: bool, rule: u8| if present { rule } else { 0 };
        self.rules = flag(literals, RULE_LITERALS)
            | flag(self.reads_strings(), RULE_STRINGS)
            | flag(literals || bounds, RULE_NUMBERS);
    }

    /// Whether a string's value matters here (beyond its being a string).
    fn reads_strings(&self) -> bool {
        self.constant.is_some()
            || self.enumeration.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.pattern.is_some()
    }

    /// Whether the token of a string value matters here.
    fn sees_strings(&self) -> bool {
        !self.types.contains(JsonType::String) || self.reads_strings()
    }

    /// Whether an array's elements are counted (for `minItems` and `maxItems`).
    fn counts_items(&self) -> bool {
        self.min_items.is_some() || self.max_items.is_some()
    }
}

#[derive(Clone, Debug)]
struct Member {
    name: Box<str>,
    /// Its length and first eight bytes: compared before the name.
    key: NameKey,
    /// Its `properties` schema, if named there.
    node: Option<u32>,
    /// Its bit among the node's required members, if required.
    bit: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    String(Box<str>),
}

#[derive(Clone, Debug)]
struct Pattern {
    source: Box<str>,
    regex: Regex,
    /// The same pattern as a bit-parallel matcher, when it is in that matcher's subset.
    simple: Option<SimplePattern>,
}

/// A scalar of the document, as the rules compare it.
#[derive(Clone, Copy)]
enum Scalar<'v> {
    Null,
    Bool(bool),
    Number(f64),
    /// Unescaped, valid UTF-8.
    String(&'v [u8]),
    /// An object or an array: equal to no literal.
    Container,
}

impl Literal {
    fn matches(&self, value: Scalar<'_>) -> bool {
        match (self, value) {
            (Self::Null, Scalar::Null) => true,
            (Self::Bool(a), Scalar::Bool(b)) => *a == b,
            (Self::Number(a), Scalar::Number(b)) => *a == b,
            (Self::String(a), Scalar::String(b)) => a.as_bytes() == b,
            _ => false,
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => Number(*n).fmt(f),
            Self::String(s) => write!(f, "{s:?}"),
        }
    }
}

/// A double written as a person would: integers without a fraction, others shortest.
struct Number(f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.fract() == 0.0 && self.0.abs() < 1e16 {
            write!(f, "{:.0}", self.0)
        } else {
            write!(f, "{:?}", self.0)
        }
    }
}

impl Schema {
    /// Compiles a schema (see the [module documentation](self) for what is accepted).
    pub fn compile(bytes: &[u8]) -> Result<Self, SchemaError> {
        if bytes.len() > MAX_SCHEMA_BYTES {
            let at = u64::try_from(MAX_SCHEMA_BYTES).unwrap_or(u64::MAX);
            return Err(SchemaError::new(
                SchemaErrorKind::TooLarge {
                    max: MAX_SCHEMA_BYTES,
                },
                String::new(),
                at,
            ));
        }
        let limits = JsonLimits {
            max_input_bytes: u64::try_from(MAX_SCHEMA_BYTES).unwrap_or(u64::MAX),
            max_depth: MAX_SCHEMA_JSON_DEPTH,
            ..JsonLimits::default()
        };
        let mut tree = TreeBuilder::default();
        super::validate_with(bytes, limits, &mut tree).map_err(schema_json_error)?;
        let Some(root) = tree.done else {
            // Not reachable: a valid document has a top-level value.
            return Err(SchemaError::new(
                SchemaErrorKind::NotASchema,
                String::new(),
                0,
            ));
        };
        let mut compiler = Compiler::default();
        let mut path = Vec::new();
        let root = compiler.schema(&root, &mut path, 0)?;
        Ok(Self {
            nodes: compiler.nodes,
            root,
            members: compiler.members,
            required: compiler.required,
            literals: compiler.literals,
            patterns: compiler.patterns,
        })
    }

    /// Validates a whole document under `limits`: the first violation in document order, or
    /// the document's JSON error (a violation found before a JSON error wins: it is earlier
    /// in the document). Stops reading soon after a violation.
    pub fn validate(&self, doc: &[u8], limits: JsonLimits) -> Result<(), SchemaFailure> {
        let mut json = JsonValidator::new(limits);
        let mut check = SchemaValidator::new(self);
        for chunk in doc.chunks(VALIDATE_CHUNK_BYTES) {
            check.feed(&mut json, chunk)?;
        }
        check.end(&mut json).map(|_| ())
    }

    fn node(&self, id: u32) -> Option<&Node> {
        self.nodes.get(usize::try_from(id).ok()?)
    }

    /// Whether a string token matters to the value checked by node `id`.
    fn sees_strings(&self, id: u32) -> bool {
        match id {
            ANY => false,
            NEVER => true,
            _ => self.node(id).is_none_or(Node::sees_strings),
        }
    }

    fn literal(&self, index: u32) -> Option<&Literal> {
        self.literals.get(usize::try_from(index).ok()?)
    }

    fn pattern(&self, index: u32) -> Option<&Pattern> {
        self.patterns.get(usize::try_from(index).ok()?)
    }

    /// The index in `members` of `node`'s member `name`, tried first at `hint` (the member
    /// that followed the previous one last time: documents tend to write an object's members
    /// in one order, and then the first try finds it).
    fn member(&self, node: &Node, name: &[u8], hint: u32) -> Option<(u32, &Member)> {
        // Keys first: a name of up to eight bytes is equal to a member when its key is.
        let key = NameKey::of(name);
        let is = |m: &&Member| m.key == key && (name.len() <= 8 || m.name.as_bytes() == name);
        let span = node.members;
        if (span.start..span.end).contains(&hint) {
            if let Some(m) = self.members.get(usize::try_from(hint).ok()?).filter(is) {
                return Some((hint, m));
            }
        }
        let members = self.members.get(span.range())?;
        let at = if members.len() <= LINEAR_MEMBER_LOOKUP {
            members.iter().position(|m| is(&m))?
        } else {
            members
                .binary_search_by(|m| m.name.as_bytes().cmp(name))
                .ok()?
        };
        let member = members.get(at)?;
        Some((span.start.checked_add(u32::try_from(at).ok()?)?, member))
    }

    /// The name of the required member with `bit` of `node`.
    fn required_name(&self, node: &Node, bit: usize) -> Option<&str> {
        let index = *self.required.get(node.required.range())?.get(bit)?;
        let member = self.members.get(usize::try_from(index).ok()?)?;
        Some(&member.name)
    }
}

/// Nodes with at most this many members find a name (not found at its hint) by comparing keys
/// in order; larger ones by binary search.
const LINEAR_MEMBER_LOOKUP: usize = 16;

/// A name's length and first eight bytes (zero-padded): equal keys mean equal names up to
/// eight bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct NameKey {
    len: usize,
    prefix: u64,
}

impl NameKey {
    fn of(name: &[u8]) -> Self {
        Self {
            len: name.len(),
            prefix: crate::swar::prefix_word(name),
        }
    }
}

/// The schema reader's JSON errors: its depth and size limits get their own codes.
fn schema_json_error(e: JsonError) -> SchemaError {
    let kind = match e.kind() {
        JsonErrorKind::LimitExceeded {
            limit: JsonLimit::Depth,
            ..
        } => SchemaErrorKind::JsonTooDeep {
            max: MAX_SCHEMA_JSON_DEPTH,
        },
        JsonErrorKind::LimitExceeded {
            limit: JsonLimit::InputBytes,
            ..
        } => SchemaErrorKind::TooLarge {
            max: MAX_SCHEMA_BYTES,
        },
        _ => {
            let (pointer, offset) = (e.pointer().to_owned(), e.offset());
            return SchemaError::new(SchemaErrorKind::Json(e), pointer, offset);
        }
    };
    SchemaError::new(kind, e.pointer().to_owned(), e.offset())
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/// Evaluates one document against a [`Schema`] as its tokens stream past: a [`Visitor`] for
/// [`JsonValidator::feed_with`] and [`JsonValidator::finish_with`], then
/// [`SchemaValidator::finish`]; or, simpler, [`SchemaValidator::feed`] and
/// [`SchemaValidator::end`], which drive the JSON validator and stop at the first violation.
///
/// It asks for string values ([`Visitor::wants_strings`]) only where a string matters: under
/// a rule on strings, where strings are not allowed, or in an array whose elements count
/// (the JSON validator drops the token of a string that spans chunks when not asked).
#[derive(Clone, Debug)]
pub struct SchemaValidator<'s> {
    schema: &'s Schema,
    frames: Vec<Frame>,
    /// The open objects' required-member bitsets, one run of words per object frame.
    seen: Vec<u64>,
    /// The open objects' current member names (unescaped), one after the other, for those
    /// the node does not list (a listed one is kept as its index, [`Frame::member`]).
    names: Vec<u8>,
    /// Where an escaped string value or name is unescaped to be checked (reused).
    scratch: Vec<u8>,
    /// For each member (by index in the schema's members), the listed member that followed
    /// it in its object last time; then, for each node, the listed member that came first
    /// (names the node does not list are passed over): where a name is looked for first
    /// ([`NO_MEMBER`]: not seen yet). Empty for a schema without members or with more than
    /// [`MAX_MEMBER_HINTS`] slots (then no name has a hint).
    follow: Vec<u32>,
    /// Depth inside a container whose schema accepts anything (its tokens are ignored).
    skip: usize,
    /// Whether the top-level value has begun.
    started: bool,
    violation: Option<Violation>,
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    node: u32,
    object: bool,
    /// Elements begun (arrays).
    count: u64,
    /// The node of the current member's value (objects).
    child: u32,
    /// Start of this object's bitset in `seen`.
    seen_at: usize,
    /// Start of this object's current member name in `names` (kept there only when it is
    /// not one of the node's members).
    name_at: usize,
    /// The current member, by index in the schema's members ([`NO_MEMBER`]: none, or a name
    /// the node does not list, kept in `names`).
    member: u32,
    /// The slot of `follow` that gives the next name's first guess.
    hint_slot: u32,
}

/// [`Node::rules`]: `const` or `enum`.
const RULE_LITERALS: u8 = 1;
/// [`Node::rules`]: a rule that reads a string's value ([`Node::reads_strings`]).
const RULE_STRINGS: u8 = 2;
/// [`Node::rules`]: a rule that needs a number's value (a literal or a bound).
const RULE_NUMBERS: u8 = 4;

/// Most slots of [`SchemaValidator::follow`] (members and nodes of the schema), 64 KiB
/// allocated and filled per document: a schema with more looks every name up without a hint.
const MAX_MEMBER_HINTS: usize = 16 * 1024;

/// No member: in [`Frame::member`] and in [`SchemaValidator::follow`].
const NO_MEMBER: u32 = u32::MAX;

impl<'s> SchemaValidator<'s> {
    /// A validator of one document against `schema`.
    pub fn new(schema: &'s Schema) -> Self {
        Self {
            schema,
            frames: Vec::new(),
            seen: Vec::new(),
            names: Vec::new(),
            scratch: Vec::new(),
            follow: {
                // Per document, so bounded: a larger schema looks names up without hints.
                let slots = schema.members.len().saturating_add(schema.nodes.len());
                if schema.members.is_empty() || slots > MAX_MEMBER_HINTS {
                    Vec::new()
                } else {
                    vec![NO_MEMBER; slots]
                }
            },
            skip: 0,
            started: false,
            violation: None,
        }
    }

    /// The first violation, once found (later tokens are ignored).
    pub fn violation(&self) -> Option<&Violation> {
        self.violation.as_ref()
    }

    /// Ends the evaluation, after [`JsonValidator::finish_with`] accepted the document: the
    /// first violation, if any.
    pub fn finish(self) -> Result<(), Violation> {
        if let Some(v) = self.violation {
            return Err(v);
        }
        if !self.frames.is_empty() || self.skip > 0 {
            return Err(Violation::new(
                ViolationKind::Incomplete,
                self.pointer(self.frames.len()),
                0,
            ));
        }
        Ok(())
    }

    /// Feeds `chunk` to `json` with this validator as its visitor: the violation once there
    /// is one (nothing more is read), else the JSON error, if any.
    pub fn feed(&mut self, json: &mut JsonValidator, chunk: &[u8]) -> Result<(), SchemaFailure> {
        if let Some(v) = &self.violation {
            return Err(v.clone().into());
        }
        let fed = json.feed_with(chunk, self);
        if let Some(v) = &self.violation {
            return Err(v.clone().into());
        }
        fed.map_err(SchemaFailure::Json)
    }

    /// Ends the document ([`JsonValidator::finish_with`], then [`SchemaValidator::finish`]).
    pub fn end(mut self, json: &mut JsonValidator) -> Result<JsonStats, SchemaFailure> {
        if let Some(v) = self.violation {
            return Err(v.into());
        }
        let stats = json.finish_with(&mut self);
        if let Some(v) = self.violation {
            return Err(v.into());
        }
        let stats = stats?;
        self.finish()?;
        Ok(stats)
    }

    /// The JSON Pointer of the value at the first `depth` frames: each object's current
    /// member, each array's current element.
    #[cold]
    fn pointer(&self, depth: usize) -> String {
        let mut out = String::new();
        let frames = self.frames.get(..depth).unwrap_or(&self.frames);
        for (i, frame) in frames.iter().enumerate() {
            if !frame.object {
                if let Some(index) = frame.count.checked_sub(1) {
                    out.push('/');
                    out.push_str(&index.to_string());
                }
                continue;
            }
            let member = usize::try_from(frame.member).ok();
            let name = match member.and_then(|m| self.schema.members.get(m)) {
                Some(member) => member.name.as_bytes(),
                None => {
                    let end = self
                        .frames
                        .get(i.saturating_add(1))
                        .map_or(self.names.len(), |f| f.name_at);
                    self.names.get(frame.name_at..end).unwrap_or_default()
                }
            };
            let name = String::from_utf8_lossy(name);
            out.push('/');
            for c in name.chars() {
                match c {
                    '~' => out.push_str("~0"),
                    '/' => out.push_str("~1"),
                    c => out.push(c),
                }
            }
        }
        out
    }

    #[cold]
    fn report(&mut self, kind: ViolationKind, offset: u64, depth: usize) {
        let pointer = self.pointer(depth);
        self.violation = Some(Violation::new(kind, pointer, offset));
    }

    /// The node the value starting now must satisfy (`None`: none, or a violation found).
    fn next_node(&mut self, offset: u64) -> Option<u32> {
        let schema = self.schema;
        let depth = self.frames.len();
        let Some(frame) = self.frames.last_mut() else {
            if self.started {
                return None;
            }
            self.started = true;
            return Some(schema.root);
        };
        if frame.object {
            return Some(frame.child);
        }
        frame.count = frame.count.saturating_add(1);
        let count = frame.count;
        let Some(node) = schema.node(frame.node) else {
            // Not reachable (frames hold compiled nodes); fail closed.
            return Some(NEVER);
        };
        if let Some(max) = node.max_items.filter(|&max| count > max) {
            self.report(
                ViolationKind::MaxItems { max },
                offset,
                depth.saturating_sub(1),
            );
            return None;
        }
        Some(node.items)
    }

    #[inline(never)]
    fn value(&mut self, token: &Token<'_>, offset: u64) {
        let Some(id) = self.next_node(offset) else {
            return;
        };
        let container = matches!(token, Token::StartObject | Token::StartArray);
        if id == ANY {
            if container {
                self.skip = 1;
            }
            return;
        }
        let schema = self.schema;
        let found = match schema.node(id).filter(|_| id != NEVER) {
            Some(node) => check(schema, node, token, &mut self.scratch),
            None => Some(ViolationKind::FalseSchema),
        };
        if let Some(kind) = found {
            let depth = self.frames.len();
            self.report(kind, offset, depth);
            return;
        }
        let object = match token {
            Token::StartObject => true,
            Token::StartArray => false,
            _ => return,
        };
        let seen_at = self.seen.len();
        if object {
            let bits = schema.node(id).map_or(0, |n| n.required.len());
            let words = usize::try_from(bits.div_ceil(64)).unwrap_or(0);
            self.seen.resize(seen_at.saturating_add(words), 0);
        }
        self.frames.push(Frame {
            node: id,
            object,
            count: 0,
            child: ANY,
            seen_at,
            name_at: self.names.len(),
            member: NO_MEMBER,
            hint_slot: u32::try_from(schema.members.len())
                .unwrap_or(NO_MEMBER)
                .saturating_add(id),
        });
    }

    #[inline(never)]
    fn name(&mut self, name: JsonStr<'_>, offset: u64) {
        let schema = self.schema;
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        self.names.truncate(frame.name_at);
        let value = name.value_in(&mut self.scratch);
        let node = schema.node(frame.node);
        let hint_slot = usize::try_from(frame.hint_slot).unwrap_or(usize::MAX);
        let hint = self.follow.get(hint_slot).copied().unwrap_or(NO_MEMBER);
        let found = node.and_then(|n| schema.member(n, value, hint));
        // A member's name is the schema's, for a pointer; any other is kept.
        let member = match found {
            Some((index, member)) => {
                if let Some(slot) = self.follow.get_mut(hint_slot) {
                    *slot = index;
                }
                frame.hint_slot = index;
                frame.member = index;
                Some(member)
            }
            None => {
                frame.member = NO_MEMBER;
                self.names.extend_from_slice(value);
                None
            }
        };
        let additional = node.map_or(NEVER, |n| n.additional);
        let child = member.and_then(|m| m.node);
        frame.child = child.unwrap_or(additional);
        if let Some(bit) = member.and_then(|m| m.bit) {
            let word = usize::try_from(bit >> 6).unwrap_or(usize::MAX);
            if let Some(w) = self.seen.get_mut(frame.seen_at.saturating_add(word)) {
                *w |= 1u64.checked_shl(bit & 63).unwrap_or(0);
            }
        }
        if child.is_none() && additional == NEVER {
            let kind = ViolationKind::AdditionalProperty {
                name: excerpt(&String::from_utf8_lossy(value)),
            };
            let depth = self.frames.len();
            self.report(kind, offset, depth);
        }
    }

    #[inline(never)]
    fn end_container(&mut self, offset: u64) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let schema = self.schema;
        let found = schema.node(frame.node).map_or(
            // Not reachable (frames hold compiled nodes); fail closed.
            Some(ViolationKind::FalseSchema),
            |node| {
                if frame.object {
                    let bits = self.seen.get(frame.seen_at..).unwrap_or_default();
                    first_missing(bits, node.required.len()).map(|bit| {
                        let name = schema.required_name(node, bit).unwrap_or_default();
                        ViolationKind::RequiredMissing {
                            name: excerpt(name),
                        }
                    })
                } else {
                    node.min_items.filter(|&min| frame.count < min).map(|min| {
                        ViolationKind::MinItems {
                            min,
                            found: frame.count,
                        }
                    })
                }
            },
        );
        self.seen.truncate(frame.seen_at);
        self.names.truncate(frame.name_at);
        if let Some(kind) = found {
            let depth = self.frames.len();
            self.report(kind, offset, depth);
        }
    }
}

impl Visitor for SchemaValidator<'_> {
    fn wants_strings(&self) -> bool {
        if self.violation.is_some() || self.skip > 0 {
            return false;
        }
        let schema = self.schema;
        match self.frames.last() {
            None => !self.started && schema.sees_strings(schema.root),
            Some(f) if f.object => schema.sees_strings(f.child),
            // An element is counted for its index in pointers and for `minItems`/`maxItems`.
            Some(f) => schema
                .node(f.node)
                .is_none_or(|n| n.items != ANY || n.counts_items()),
        }
    }

    // Inlined where the JSON validator calls it, which knows the token's kind: each call is
    // then a direct call of the one handler it needs, a function smaller than all three.
    #[inline]
    fn token(&mut self, token: &Token<'_>, offset: u64) {
        if self.violation.is_some() {
            return;
        }
        if self.skip > 0 {
            match token {
                Token::StartObject | Token::StartArray => self.skip = self.skip.saturating_add(1),
                Token::EndObject | Token::EndArray => self.skip = self.skip.saturating_sub(1),
                _ => {}
            }
            return;
        }
        match token {
            Token::Name(name) => self.name(*name, offset),
            Token::EndObject | Token::EndArray => self.end_container(offset),
            _ => self.value(token, offset),
        }
    }
}

/// The index of the first clear bit among the first `bits` of `words`.
fn first_missing(words: &[u64], bits: u32) -> Option<usize> {
    let bits = usize::try_from(bits).unwrap_or(0);
    (0..bits).find(|&bit| {
        let word = words.get(bit >> 6).copied().unwrap_or(0);
        let mask = 1u64
            .checked_shl(u32::try_from(bit & 63).unwrap_or(0))
            .unwrap_or(0);
        word & mask == 0
    })
}

/// The rules of `node` on the value starting with `token`, in a fixed order: `type`, `const`,
/// `enum`, then `minLength`, `maxLength`, `pattern` (strings) or `minimum`, `maximum`
/// (numbers). Container rules are checked as the container's contents stream past.
fn check(
    schema: &Schema,
    node: &Node,
    token: &Token<'_>,
    scratch: &mut Vec<u8>,
) -> Option<ViolationKind> {
    let mismatch = |found| {
        Some(ViolationKind::TypeMismatch {
            expected: node.types,
            found,
        })
    };
    match *token {
        Token::String(s) => {
            if !node.types.contains(JsonType::String) {
                return mismatch(JsonType::String);
            }
            if node.rules & RULE_STRINGS == 0 {
                return None;
            }
            let value = s.value_in(scratch);
            check_literals(schema, node, Scalar::String(value), || {
                format!("{:?}", excerpt(&String::from_utf8_lossy(value))).into()
            })
            .or_else(|| check_string(schema, node, value))
        }
        Token::Number(n) => {
            // A lexeme without a fraction or an exponent is an integer; only a bound, a
            // literal, or `integer` asked of a number written otherwise needs its value.
            let written_integer = n.is_written_integer();
            let needs_value = node.rules & RULE_NUMBERS != 0
                || !(written_integer || node.types.contains(JsonType::Number));
            if !needs_value {
                if !node.types.accepts_number(written_integer) {
                    return mismatch(if written_integer {
                        JsonType::Integer
                    } else {
                        JsonType::Number
                    });
                }
                return None;
            }
            let value = n.to_f64();
            // Whether it is integral matters only where numbers that are not are refused
            // (`fract` is a call to `trunc` on the baseline x86-64 target).
            let integral =
                written_integer || (!node.types.contains(JsonType::Number) && value.fract() == 0.0);
            if !node.types.accepts_number(integral) {
                return mismatch(if integral {
                    JsonType::Integer
                } else {
                    JsonType::Number
                });
            }
            let text = || excerpt(n.as_str());
            check_literals(schema, node, Scalar::Number(value), text).or_else(|| {
                if let Some(min) = node.minimum.filter(|&min| value < min) {
                    return Some(ViolationKind::Minimum { min, found: text() });
                }
                node.maximum
                    .filter(|&max| value > max)
                    .map(|max| ViolationKind::Maximum { max, found: text() })
            })
        }
        Token::Bool(b) => {
            if !node.types.contains(JsonType::Boolean) {
                return mismatch(JsonType::Boolean);
            }
            check_literals(schema, node, Scalar::Bool(b), || b.to_string().into())
        }
        Token::Null => {
            if !node.types.contains(JsonType::Null) {
                return mismatch(JsonType::Null);
            }
            check_literals(schema, node, Scalar::Null, || "null".into())
        }
        Token::StartObject => {
            if !node.types.contains(JsonType::Object) {
                return mismatch(JsonType::Object);
            }
            check_literals(schema, node, Scalar::Container, || "an object".into())
        }
        Token::StartArray => {
            if !node.types.contains(JsonType::Array) {
                return mismatch(JsonType::Array);
            }
            check_literals(schema, node, Scalar::Container, || "an array".into())
        }
        Token::Name(_) | Token::EndObject | Token::EndArray => None,
    }
}

/// `const`, then `enum`.
fn check_literals(
    schema: &Schema,
    node: &Node,
    value: Scalar<'_>,
    found: impl Fn() -> Box<str>,
) -> Option<ViolationKind> {
    if node.rules & RULE_LITERALS == 0 {
        return None;
    }
    if let Some(literal) = node.constant.and_then(|i| schema.literal(i)) {
        if !literal.matches(value) {
            return Some(ViolationKind::ConstMismatch {
                expected: excerpt(&literal.to_string()),
                found: found(),
            });
        }
    }
    let values = schema.literals.get(node.enumeration?.range())?;
    if values.iter().any(|l| l.matches(value)) {
        return None;
    }
    let list: Vec<String> = values.iter().map(Literal::to_string).collect();
    Some(ViolationKind::EnumMismatch {
        expected: excerpt(&format!("[{}]", list.join(", "))),
        found: found(),
    })
}

/// `minLength`, `maxLength`, `pattern`.
fn check_string(schema: &Schema, node: &Node, value: &[u8]) -> Option<ViolationKind> {
    if node.min_length.is_some() || node.max_length.is_some() {
        // Code points of valid UTF-8: the bytes that are not continuation bytes.
        let characters = crate::swar::count_chars(value);
        let length = u64::try_from(characters).unwrap_or(u64::MAX);
        if let Some(min) = node.min_length.filter(|&min| length < min) {
            return Some(ViolationKind::MinLength { min, found: length });
        }
        if let Some(max) = node.max_length.filter(|&max| length > max) {
            return Some(ViolationKind::MaxLength { max, found: length });
        }
    }
    let pattern = schema.pattern(node.pattern?)?;
    let matched = match &pattern.simple {
        Some(simple) => simple.is_match(value),
        // Valid UTF-8 (the validator checked it); were it not, no match: fail closed.
        None => core::str::from_utf8(value).is_ok_and(|text| pattern.regex.is_match(text)),
    };
    if matched {
        return None;
    }
    Some(ViolationKind::PatternMismatch {
        pattern: pattern.source.clone(),
        found: format!("{:?}", excerpt(&String::from_utf8_lossy(value))).into(),
    })
}

// ---------------------------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------------------------

/// The schema document as a tree (schemas are small and read once), with offsets.
#[derive(Debug)]
struct Raw {
    offset: u64,
    value: RawValue,
}

#[derive(Debug)]
enum RawValue {
    Null,
    Bool(bool),
    Number(f64),
    String(Box<str>),
    Array(Vec<Raw>),
    Object(Vec<RawMember>),
}

#[derive(Debug)]
struct RawMember {
    name: Box<str>,
    offset: u64,
    value: Raw,
}

/// Builds the [`Raw`] tree from the validator's tokens.
#[derive(Debug, Default)]
struct TreeBuilder {
    stack: Vec<Open>,
    done: Option<Raw>,
}

#[derive(Debug)]
enum Open {
    Array(u64, Vec<Raw>),
    Object(u64, Vec<RawMember>, Option<(Box<str>, u64)>),
}

impl TreeBuilder {
    fn put(&mut self, value: Raw) {
        match self.stack.last_mut() {
            None => self.done = Some(value),
            Some(Open::Array(_, items)) => items.push(value),
            Some(Open::Object(_, members, name)) => {
                if let Some((name, offset)) = name.take() {
                    members.push(RawMember {
                        name,
                        offset,
                        value,
                    });
                }
            }
        }
    }
}

impl Visitor for TreeBuilder {
    fn token(&mut self, token: &Token<'_>, offset: u64) {
        let value = match *token {
            Token::StartObject => {
                self.stack.push(Open::Object(offset, Vec::new(), None));
                return;
            }
            Token::StartArray => {
                self.stack.push(Open::Array(offset, Vec::new()));
                return;
            }
            Token::Name(s) => {
                if let Some(Open::Object(_, _, name)) = self.stack.last_mut() {
                    *name = Some((s.value().into(), offset));
                }
                return;
            }
            Token::EndObject | Token::EndArray => match self.stack.pop() {
                Some(Open::Array(at, items)) => Raw {
                    offset: at,
                    value: RawValue::Array(items),
                },
                Some(Open::Object(at, members, _)) => Raw {
                    offset: at,
                    value: RawValue::Object(members),
                },
                None => return,
            },
            Token::String(s) => Raw {
                offset,
                value: RawValue::String(s.value().into()),
            },
            Token::Number(n) => Raw {
                offset,
                value: RawValue::Number(n.to_f64()),
            },
            Token::Bool(b) => Raw {
                offset,
                value: RawValue::Bool(b),
            },
            Token::Null => Raw {
                offset,
                value: RawValue::Null,
            },
        };
        self.put(value);
    }
}

/// A segment of a pointer into the schema.
#[derive(Clone, Copy)]
enum Segment<'t> {
    Name(&'t str),
    Index(usize),
}

fn schema_pointer(path: &[Segment<'_>]) -> String {
    let mut out = String::new();
    for segment in path {
        out.push('/');
        match segment {
            Segment::Index(i) => out.push_str(&i.to_string()),
            Segment::Name(name) => {
                for c in name.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
    out
}

/// The compiled tables under construction.
#[derive(Debug)]
struct Compiler {
    nodes: Vec<Node>,
    members: Vec<Member>,
    required: Vec<u32>,
    literals: Vec<Literal>,
    patterns: Vec<Pattern>,
    /// Subschemas seen (boolean ones and those without effect included).
    subschemas: usize,
}

impl Default for Compiler {
    fn default() -> Self {
        // `ANY` and `NEVER` (the latter's fields are never read).
        Self {
            nodes: vec![Node::any(), Node::any()],
            members: Vec::new(),
            required: Vec::new(),
            literals: Vec::new(),
            patterns: Vec::new(),
            subschemas: 0,
        }
    }
}

/// The keywords accepted and ignored.
const ANNOTATIONS: [&str; 7] = [
    "$schema",
    "$id",
    "title",
    "description",
    "$comment",
    "examples",
    "default",
];

/// A table index (every table is bounded by the schema's size, far below `u32::MAX`).
fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A non-negative integer (`3`, `3.0`, `3e0`), saturated at `u64::MAX`.
fn count(value: f64) -> Option<u64> {
    if value.is_nan() || value < 0.0 || value.fract() != 0.0 {
        return None;
    }
    let bits = value.to_bits();
    let exponent = i64::try_from((bits >> 52) & 0x7FF).unwrap_or(0);
    if exponent == 0 {
        // Zero (a subnormal has a fraction).
        return Some(0);
    }
    let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    // value = mantissa × 2^(exponent - 1075)
    let shift = exponent.checked_sub(1075)?;
    if shift >= 0 {
        if shift > 11 {
            return Some(u64::MAX);
        }
        return mantissa.checked_shl(u32::try_from(shift).ok()?);
    }
    mantissa.checked_shr(u32::try_from(shift.checked_neg()?).ok()?)
}

/// A compile error at `path` (the keyword or element) and `offset`.
fn fail(kind: SchemaErrorKind, path: &[Segment<'_>], offset: u64) -> SchemaError {
    SchemaError::new(kind, schema_pointer(path), offset)
}

fn invalid(
    keyword: &'static str,
    expected: &'static str,
    path: &[Segment<'_>],
    offset: u64,
) -> SchemaError {
    fail(
        SchemaErrorKind::InvalidKeywordValue { keyword, expected },
        path,
        offset,
    )
}

/// One object schema's keywords, as read.
struct Keywords<'t> {
    node: Node,
    properties: Vec<(&'t str, u32)>,
    required: Vec<&'t str>,
}

impl Compiler {
    /// Compiles the subschema `raw` at `path` and nesting `depth`: its node id.
    fn schema<'t>(
        &mut self,
        raw: &'t Raw,
        path: &mut Vec<Segment<'t>>,
        depth: usize,
    ) -> Result<u32, SchemaError> {
        self.subschemas = self.subschemas.saturating_add(1);
        if self.subschemas > MAX_SCHEMA_NODES {
            let kind = SchemaErrorKind::TooManyNodes {
                max: MAX_SCHEMA_NODES,
            };
            return Err(fail(kind, path, raw.offset));
        }
        if depth > MAX_SCHEMA_DEPTH {
            let kind = SchemaErrorKind::TooDeep {
                max: MAX_SCHEMA_DEPTH,
            };
            return Err(fail(kind, path, raw.offset));
        }
        let members = match &raw.value {
            RawValue::Bool(true) => return Ok(ANY),
            RawValue::Bool(false) => return Ok(NEVER),
            RawValue::Object(members) => members,
            _ => return Err(fail(SchemaErrorKind::NotASchema, path, raw.offset)),
        };
        let mut keywords = Keywords {
            node: Node::any(),
            properties: Vec::new(),
            required: Vec::new(),
        };
        for member in members {
            path.push(Segment::Name(&member.name));
            let result = self.keyword(member, &mut keywords, path, depth);
            path.pop();
            result?;
        }
        Ok(self.finish_node(keywords))
    }

    fn keyword<'t>(
        &mut self,
        member: &'t RawMember,
        keywords: &mut Keywords<'t>,
        path: &mut Vec<Segment<'t>>,
        depth: usize,
    ) -> Result<(), SchemaError> {
        let value = &member.value;
        let at = value.offset;
        let node = &mut keywords.node;
        let child = depth.saturating_add(1);
        match &*member.name {
            "type" => node.types = self.types(value, path)?,
            "properties" => {
                let RawValue::Object(properties) = &value.value else {
                    return Err(invalid("properties", "an object of schemas", path, at));
                };
                for property in properties {
                    path.push(Segment::Name(&property.name));
                    let id = self.schema(&property.value, path, child);
                    path.pop();
                    keywords.properties.push((&property.name, id?));
                }
            }
            "required" => keywords.required = required(value, path)?,
            "additionalProperties" => node.additional = self.schema(value, path, child)?,
            "items" => {
                if matches!(value.value, RawValue::Array(_)) {
                    return Err(fail(SchemaErrorKind::ItemsArray, path, at));
                }
                node.items = self.schema(value, path, child)?;
            }
            "enum" => {
                let RawValue::Array(values) = &value.value else {
                    return Err(invalid("enum", "a non-empty array", path, at));
                };
                if values.is_empty() {
                    return Err(invalid("enum", "a non-empty array", path, at));
                }
                if values.len() > MAX_SCHEMA_ENUM_VALUES {
                    let kind = SchemaErrorKind::TooManyEnumValues {
                        max: MAX_SCHEMA_ENUM_VALUES,
                    };
                    return Err(fail(kind, path, at));
                }
                let start = index(self.literals.len());
                for (i, v) in values.iter().enumerate() {
                    path.push(Segment::Index(i));
                    let literal = literal("enum", v, path);
                    path.pop();
                    self.literals.push(literal?);
                }
                let end = index(self.literals.len());
                node.enumeration = Some(Span { start, end });
            }
            "const" => {
                let literal = literal("const", value, path)?;
                node.constant = Some(index(self.literals.len()));
                self.literals.push(literal);
            }
            "minLength" => node.min_length = Some(non_negative("minLength", value, path)?),
            "maxLength" => node.max_length = Some(non_negative("maxLength", value, path)?),
            "minItems" => node.min_items = Some(non_negative("minItems", value, path)?),
            "maxItems" => node.max_items = Some(non_negative("maxItems", value, path)?),
            "minimum" => node.minimum = Some(number("minimum", value, path)?),
            "maximum" => node.maximum = Some(number("maximum", value, path)?),
            "pattern" => {
                let pattern = self.pattern(value, path)?;
                node.pattern = Some(index(self.patterns.len()));
                self.patterns.push(pattern);
            }
            name if ANNOTATIONS.contains(&name) => {}
            name => {
                let kind = SchemaErrorKind::UnknownKeyword {
                    keyword: excerpt(name),
                };
                return Err(fail(kind, path, member.offset));
            }
        }
        Ok(())
    }

    fn types(&self, value: &Raw, path: &mut Vec<Segment<'_>>) -> Result<TypeSet, SchemaError> {
        const EXPECTED: &str = "a type name or a non-empty array of distinct type names";
        let name = |raw: &Raw, path: &[Segment<'_>]| match &raw.value {
            RawValue::String(s) => JsonType::from_name(s).ok_or_else(|| {
                let kind = SchemaErrorKind::UnknownType { name: excerpt(s) };
                fail(kind, path, raw.offset)
            }),
            _ => Err(invalid("type", EXPECTED, path, raw.offset)),
        };
        let items = match &value.value {
            RawValue::Array(items) if !items.is_empty() => items,
            RawValue::String(_) => return Ok(TypeSet(0).with(name(value, path)?)),
            _ => return Err(invalid("type", EXPECTED, path, value.offset)),
        };
        let mut set = TypeSet(0);
        for (i, item) in items.iter().enumerate() {
            path.push(Segment::Index(i));
            let t = name(item, path).and_then(|t| {
                if set.contains(t) {
                    let kind = SchemaErrorKind::DuplicateType { name: t.name() };
                    return Err(fail(kind, path, item.offset));
                }
                Ok(t)
            });
            path.pop();
            set = set.with(t?);
        }
        Ok(set)
    }

    fn pattern(&self, value: &Raw, path: &[Segment<'_>]) -> Result<Pattern, SchemaError> {
        let at = value.offset;
        let RawValue::String(source) = &value.value else {
            return Err(invalid("pattern", "a string", path, at));
        };
        if source.len() > MAX_SCHEMA_PATTERN_BYTES {
            let kind = SchemaErrorKind::PatternTooLong {
                max: MAX_SCHEMA_PATTERN_BYTES,
            };
            return Err(fail(kind, path, at));
        }
        if self.patterns.len() >= MAX_SCHEMA_PATTERNS {
            let kind = SchemaErrorKind::TooManyPatterns {
                max: MAX_SCHEMA_PATTERNS,
            };
            return Err(fail(kind, path, at));
        }
        // ECMA-262's reading of `.` and `\s`, as JSON Schema says, for regex-lite.
        let rewritten = super::pattern::ecma_pattern(source).map_err(|reason| {
            let reason = format!("{reason} (patterns are ECMA-262)").into();
            fail(SchemaErrorKind::InvalidPattern { reason }, path, at)
        })?;
        let regex = pattern_builder(&rewritten).build().map_err(|e| {
            let reason: Box<str> = e.to_string().into();
            // regex-lite's errors are messages only; its limits are recognised by their
            // wording (a reworded limit is still refused, as `invalid-pattern`).
            let kind = if reason.contains("size limit")
                || reason.contains("nesting")
                || reason.contains("too many states")
            {
                SchemaErrorKind::PatternTooComplex { reason }
            } else {
                SchemaErrorKind::InvalidPattern { reason }
            };
            fail(kind, path, at)
        })?;
        Ok(Pattern {
            simple: SimplePattern::compile(source),
            source: source.clone(),
            regex,
        })
    }

    /// Adds the node of an object schema, or returns [`ANY`] for one without effect (so
    /// that the values it governs are skipped).
    fn finish_node(&mut self, keywords: Keywords<'_>) -> u32 {
        let Keywords {
            mut node,
            properties,
            required,
        } = keywords;
        let effect = node.types != TypeSet::ALL
            || node.reads_strings()
            || node.minimum.is_some()
            || node.maximum.is_some()
            || node.counts_items()
            || node.items != ANY
            || node.additional != ANY
            || !required.is_empty()
            || properties.iter().any(|&(_, id)| id != ANY);
        if !effect {
            return ANY;
        }
        let mut members: Vec<Member> = properties
            .iter()
            .map(|&(name, id)| Member {
                name: name.into(),
                key: NameKey::of(name.as_bytes()),
                node: Some(id),
                bit: None,
            })
            .collect();
        members.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        let named = members.len();
        for (bit, &name) in required.iter().enumerate() {
            let bit = Some(index(bit));
            let found = members
                .get(..named)
                .unwrap_or_default()
                .binary_search_by(|m| (*m.name).cmp(name));
            match found.ok().and_then(|i| members.get_mut(i)) {
                Some(m) => m.bit = bit,
                None => members.push(Member {
                    name: name.into(),
                    key: NameKey::of(name.as_bytes()),
                    node: None,
                    bit,
                }),
            }
        }
        members.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        let base = self.members.len();
        let start = index(self.required.len());
        for &name in &required {
            let at = members
                .binary_search_by(|m| (*m.name).cmp(name))
                .unwrap_or(0);
            self.required.push(index(base.saturating_add(at)));
        }
        node.required = Span {
            start,
            end: index(self.required.len()),
        };
        node.members = Span {
            start: index(base),
            end: index(base.saturating_add(members.len())),
        };
        self.members.extend(members);
        node.settle();
        self.nodes.push(node);
        index(self.nodes.len().saturating_sub(1))
    }
}

/// regex-lite with the named limits.
fn pattern_builder(source: &str) -> RegexBuilder {
    let mut builder = RegexBuilder::new(source);
    builder
        .size_limit(MAX_SCHEMA_PATTERN_PROGRAM_BYTES)
        .nest_limit(MAX_SCHEMA_PATTERN_NESTING);
    builder
}

/// `required`: an array of distinct strings.
fn required<'t>(value: &'t Raw, path: &mut Vec<Segment<'t>>) -> Result<Vec<&'t str>, SchemaError> {
    const EXPECTED: &str = "an array of distinct strings";
    let RawValue::Array(items) = &value.value else {
        return Err(invalid("required", EXPECTED, path, value.offset));
    };
    let mut names: Vec<&str> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        path.push(Segment::Index(i));
        let result = match &item.value {
            RawValue::String(s) if names.contains(&&**s) => {
                let kind = SchemaErrorKind::DuplicateRequired { name: excerpt(s) };
                Err(fail(kind, path, item.offset))
            }
            RawValue::String(s) => Ok(&**s),
            _ => Err(invalid("required", EXPECTED, path, item.offset)),
        };
        path.pop();
        names.push(result?);
    }
    Ok(names)
}

/// An `enum` or `const` value.
fn literal(
    keyword: &'static str,
    value: &Raw,
    path: &[Segment<'_>],
) -> Result<Literal, SchemaError> {
    Ok(match &value.value {
        RawValue::Null => Literal::Null,
        RawValue::Bool(b) => Literal::Bool(*b),
        RawValue::Number(n) => Literal::Number(*n),
        RawValue::String(s) => Literal::String(s.clone()),
        RawValue::Array(_) | RawValue::Object(_) => {
            let kind = SchemaErrorKind::StructuredEnumValue { keyword };
            return Err(fail(kind, path, value.offset));
        }
    })
}

fn non_negative(
    keyword: &'static str,
    value: &Raw,
    path: &[Segment<'_>],
) -> Result<u64, SchemaError> {
    match value.value {
        RawValue::Number(n) => count(n),
        _ => None,
    }
    .ok_or_else(|| invalid(keyword, "a non-negative integer", path, value.offset))
}

fn number(keyword: &'static str, value: &Raw, path: &[Segment<'_>]) -> Result<f64, SchemaError> {
    match value.value {
        RawValue::Number(n) => Ok(n),
        _ => Err(invalid(keyword, "a number", path, value.offset)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(schema: &str, doc: &str) -> Option<(&'static str, String, u64)> {
        let schema = Schema::compile(schema.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        match schema.validate(doc.as_bytes(), JsonLimits::default()) {
            Ok(()) => None,
            Err(SchemaFailure::Violation(v)) => {
                Some((v.code(), v.pointer().to_owned(), v.offset()))
            }
            Err(e) => panic!("{e}"),
        }
    }

    /// The table of hints is allocated per document only for a schema with members and
    /// within [`MAX_MEMBER_HINTS`] slots; larger ones go without (`tests/json_schema.rs`
    /// checks their verdicts).
    #[test]
    fn hints_are_bounded_per_document() {
        let with = |required: usize| {
            let names: Vec<String> = (0..required).map(|k| format!("\"r{k}\"")).collect();
            let text = format!(r#"{{"required": [{}]}}"#, names.join(", "));
            let schema = Schema::compile(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
            SchemaValidator::new(&schema).follow.len()
        };
        assert_eq!(with(0), 0);
        // Three nodes: any, never and the root.
        assert_eq!(with(10), 13);
        assert_eq!(with(MAX_MEMBER_HINTS - 3), MAX_MEMBER_HINTS);
        assert_eq!(with(MAX_MEMBER_HINTS - 2), 0);
        let scalar = Schema::compile(br#"{"type": "string"}"#).unwrap_or_else(|e| panic!("{e}"));
        assert!(SchemaValidator::new(&scalar).follow.is_empty());
    }

    #[test]
    fn counts_are_read_exactly() {
        assert_eq!(count(0.0), Some(0));
        assert_eq!(count(-0.0), Some(0));
        assert_eq!(count(1.0), Some(1));
        assert_eq!(count(3e3), Some(3000));
        assert_eq!(count(9007199254740991.0), Some(9007199254740991));
        assert_eq!(count(1e300), Some(u64::MAX));
        assert_eq!(count(1.5), None);
        assert_eq!(count(-1.0), None);
        assert_eq!(count(f64::NAN), None);
    }

    #[test]
    fn json_depth_bound_follows_the_schema_depth() {
        assert_eq!(
            MAX_SCHEMA_JSON_DEPTH,
            MAX_SCHEMA_DEPTH.saturating_mul(2).saturating_add(3)
        );
    }

    #[test]
    fn codes_are_unique() {
        let kinds = [
            ViolationKind::FalseSchema,
            ViolationKind::TypeMismatch {
                expected: TypeSet::ALL,
                found: JsonType::Null,
            },
            ViolationKind::RequiredMissing { name: "".into() },
            ViolationKind::AdditionalProperty { name: "".into() },
            ViolationKind::EnumMismatch {
                expected: "".into(),
                found: "".into(),
            },
            ViolationKind::ConstMismatch {
                expected: "".into(),
                found: "".into(),
            },
            ViolationKind::MinLength { min: 0, found: 0 },
            ViolationKind::MaxLength { max: 0, found: 0 },
            ViolationKind::PatternMismatch {
                pattern: "".into(),
                found: "".into(),
            },
            ViolationKind::Minimum {
                min: 0.0,
                found: "".into(),
            },
            ViolationKind::Maximum {
                max: 0.0,
                found: "".into(),
            },
            ViolationKind::MinItems { min: 0, found: 0 },
            ViolationKind::MaxItems { max: 0 },
            ViolationKind::Incomplete,
        ];
        let mut codes: Vec<_> = kinds.iter().map(ViolationKind::code).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }

    #[test]
    fn first_violation_with_pointer_and_offset() {
        let schema = r#"{"properties": {"a/b": {"items": {"type": "integer"}}}}"#;
        assert_eq!(
            violation(schema, r#"{"a/b": [1, 2.5]}"#),
            Some(("type-mismatch", "/a~1b/1".to_owned(), 12))
        );
        assert_eq!(violation(schema, r#"{"a/b": [1, 2.0], "c": {}}"#), None);
        let required = r#"{"required": ["x", "y"]}"#;
        assert_eq!(
            violation(required, r#"{"y": 1}"#),
            Some(("required-missing", String::new(), 7))
        );
    }

    #[test]
    fn type_sets_read_well() {
        let set = TypeSet(0).with(JsonType::String).with(JsonType::Null);
        assert_eq!(set.to_string(), "null or string");
        assert_eq!(TypeSet(0).with(JsonType::Array).to_string(), "array");
        assert!(!set.accepts_number(true));
        assert!(TypeSet(0).with(JsonType::Integer).accepts_number(true));
        assert!(!TypeSet(0).with(JsonType::Integer).accepts_number(false));
    }
}
