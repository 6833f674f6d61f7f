//! Errors of the audit layer: keys, sinks and verification, each with the line and byte
//! offset of the log entry at fault when there is one.

use core::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::error::Fault;

/// A limit of [`crate::limits`] that an audit key, record or log exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuditLimit {
    /// [`crate::limits::MAX_AUDIT_LINE_BYTES`].
    LineBytes,
    /// [`crate::limits::MAX_AUDIT_KEY_FILE_BYTES`].
    KeyFileBytes,
    /// [`crate::limits::MAX_AUDIT_KEY_BYTES`].
    KeyBytes,
}

impl AuditLimit {
    /// The limit's value.
    pub fn max(self) -> usize {
        match self {
            Self::LineBytes => crate::limits::MAX_AUDIT_LINE_BYTES,
            Self::KeyFileBytes => crate::limits::MAX_AUDIT_KEY_FILE_BYTES,
            Self::KeyBytes => crate::limits::MAX_AUDIT_KEY_BYTES,
        }
    }

    /// The constant's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::LineBytes => "MAX_AUDIT_LINE_BYTES",
            Self::KeyFileBytes => "MAX_AUDIT_KEY_FILE_BYTES",
            Self::KeyBytes => "MAX_AUDIT_KEY_BYTES",
        }
    }
}

/// What went wrong.
///
/// The first group is what verification finds in a log (see `docs/audit.md` for which
/// tampering produces which kind); then limits, keys, caller misuse and the environment.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditErrorKind {
    /// The entry's MAC does not match its bytes and the chain before it: the line was
    /// altered, or a line before it was altered, removed or inserted.
    BadMac,
    /// An `open` entry names a key id other than the verifying key's: the log was written
    /// with a different key (or the `open` entry was altered).
    WrongKey {
        /// The key id written in the log (as found, cut to a short excerpt).
        log_key_id: Box<str>,
        /// The id of the key given to the verifier.
        key_id: Box<str>,
    },
    /// A sequence number skips ahead: entries are missing (deleted) before this line.
    SeqGap {
        /// The sequence number the chain needs here.
        expected: u64,
        /// The one found.
        found: u64,
    },
    /// A sequence number goes back or an entry was moved: the lines were reordered.
    SeqOutOfOrder {
        /// The sequence number the chain needs here.
        expected: u64,
        /// The one found.
        found: u64,
    },
    /// The entry repeats the sequence number of the entry before it (a duplicated line).
    SeqDuplicate {
        /// The repeated sequence number.
        seq: u64,
    },
    /// The line is not an entry: not JSON, a missing or unexpected field, a value of the
    /// wrong form, or no `,"mac":"<64 hex>"}` at its end.
    MalformedEntry {
        /// What is wrong (cut to [`crate::limits::MAX_ERROR_EXCERPT_BYTES`]).
        detail: Box<str>,
    },
    /// An `open` entry declares a format version this crate does not read.
    UnsupportedVersion {
        /// The declared version.
        version: u64,
    },
    /// The last line has no line break: the log was cut in the middle of a line (or a write
    /// was interrupted).
    TruncatedLine,
    /// The log holds no entry at all.
    Empty,
    /// The first entry is not an `open` entry.
    MissingOpen,
    /// An entry other than `open` follows a `close` entry.
    EntryAfterClose {
        /// The kind of the entry found (`record`, `checkpoint` or `close`).
        kind: &'static str,
    },
    /// The last entry is not `close`: the log was truncated at a line boundary, or it is a
    /// live log still being written (verify it with `allow_unsealed` and an external anchor).
    Unsealed {
        /// The sequence number of the last entry.
        last_seq: u64,
        /// The sequence number of the last checkpoint, if any.
        last_checkpoint_seq: Option<u64>,
    },
    /// A checkpoint or close entry states a record count or head that the chain does not have.
    CheckpointMismatch {
        /// `records` or `head`.
        field: &'static str,
    },
    /// An `open` entry after the first names a different log id.
    LogIdChanged,
    /// The log's final MAC differs from the head the caller kept elsewhere.
    HeadMismatch {
        /// The final MAC of the log, hex.
        found: Box<str>,
    },
    /// The entry at the anchor's sequence number has a different MAC than the anchor.
    AnchorMismatch {
        /// The anchor's sequence number.
        seq: u64,
    },
    /// The log ends before the anchor's sequence number: it was truncated.
    AnchorMissing {
        /// The anchor's sequence number.
        seq: u64,
        /// The last sequence number in the log, if any.
        last_seq: Option<u64>,
    },
    /// A named limit was exceeded.
    LimitExceeded(AuditLimit),
    /// Key material shorter than [`crate::limits::MIN_AUDIT_KEY_BYTES`].
    KeyTooShort {
        /// Bytes of material found.
        length: usize,
    },
    /// A key file of hex digits whose count is odd or outside 64..=1024.
    KeyHexLength {
        /// Hex digits found.
        digits: usize,
    },
    /// A key file of printable text that is not hex: a passphrase or a mistyped hex key is
    /// refused rather than used as raw key material.
    KeyNotHex,
    /// A head or anchor given as hex is not 64 hex digits.
    InvalidHeadHex,
    /// The sink was closed; it accepts no more entries.
    Closed,
    /// An earlier failure (of the kind given) left the sink's log in an unknown state; it
    /// refuses all further entries (fail closed).
    SinkFailed {
        /// What failed first.
        first: Box<AuditErrorKind>,
    },
    /// A record could not be serialized.
    Serialize {
        /// The serializer's message (cut to [`crate::limits::MAX_ERROR_EXCERPT_BYTES`]).
        detail: Box<str>,
    },
    /// 2^64 entries were written; the sequence number cannot go on.
    SequenceExhausted,
    /// An I/O operation failed (the error's source holds the operating system's error).
    Io {
        /// What was being done, e.g. `write the log`.
        operation: &'static str,
    },
    /// The system random number generator failed.
    Random,
    /// A thread panicked while holding the sink's lock; the log's state is unknown.
    LockPoisoned,
}

impl AuditErrorKind {
    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match self {
            Self::BadMac
            | Self::SeqGap { .. }
            | Self::SeqOutOfOrder { .. }
            | Self::SeqDuplicate { .. }
            | Self::MalformedEntry { .. }
            | Self::TruncatedLine
            | Self::Empty
            | Self::MissingOpen
            | Self::EntryAfterClose { .. }
            | Self::Unsealed { .. }
            | Self::CheckpointMismatch { .. }
            | Self::LogIdChanged
            | Self::HeadMismatch { .. }
            | Self::AnchorMismatch { .. }
            | Self::AnchorMissing { .. }
            | Self::KeyTooShort { .. }
            | Self::KeyHexLength { .. }
            | Self::KeyNotHex
            | Self::InvalidHeadHex => Fault::Malformed,
            Self::UnsupportedVersion { .. } => Fault::Forbidden,
            Self::LimitExceeded(_) => Fault::LimitExceeded,
            Self::WrongKey { .. } | Self::Closed | Self::Serialize { .. } => Fault::Misuse,
            Self::SinkFailed { first } => first.fault(),
            Self::SequenceExhausted | Self::Io { .. } | Self::Random | Self::LockPoisoned => {
                Fault::Environment
            }
        }
    }
}

impl fmt::Display for AuditErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadMac => f.write_str(
                "MAC mismatch: this line, or the chain before it, was altered \
                 (a line changed, removed or inserted)",
            ),
            Self::WrongKey { log_key_id, key_id } => write!(
                f,
                "wrong key: the log was written with key id {log_key_id}, the key given has id \
                 {key_id} (or the open entry was altered)"
            ),
            Self::SeqGap { expected, found } => write!(
                f,
                "sequence gap: expected seq {expected}, found {found} (entries deleted)"
            ),
            Self::SeqOutOfOrder { expected, found } => write!(
                f,
                "sequence out of order: expected seq {expected}, found {found} (entries reordered)"
            ),
            Self::SeqDuplicate { seq } => {
                write!(f, "duplicate entry: seq {seq} repeats the entry before it")
            }
            Self::MalformedEntry { detail } => write!(f, "malformed entry: {detail}"),
            Self::UnsupportedVersion { version } => {
                write!(f, "unsupported audit log format version {version}")
            }
            Self::TruncatedLine => f.write_str(
                "the last line has no line break: the log was truncated mid-line \
                 (or a write was interrupted)",
            ),
            Self::Empty => f.write_str("the log holds no entries"),
            Self::MissingOpen => f.write_str("the log does not start with an open entry"),
            Self::EntryAfterClose { kind } => write!(
                f,
                "a {kind} entry follows the close entry (only open may follow close)"
            ),
            Self::Unsealed {
                last_seq,
                last_checkpoint_seq,
            } => {
                write!(
                    f,
                    "the log is not sealed: its last entry (seq {last_seq}) is not close; either \
                     it was truncated at a line boundary or it is a live log still being written"
                )?;
                match last_checkpoint_seq {
                    Some(seq) => write!(f, "; last checkpoint at seq {seq}"),
                    None => f.write_str("; no checkpoint"),
                }
            }
            Self::CheckpointMismatch { field } => write!(
                f,
                "the entry's {field:?} does not match the chain before it"
            ),
            Self::LogIdChanged => {
                f.write_str("an open entry names a different log id than the first")
            }
            Self::HeadMismatch { found } => write!(
                f,
                "the log's final MAC {found} differs from the expected head (truncated or replaced)"
            ),
            Self::AnchorMismatch { seq } => write!(
                f,
                "the entry at seq {seq} has a different MAC than the anchor (log replaced)"
            ),
            Self::AnchorMissing { seq, last_seq } => {
                write!(f, "the log ends before the anchor at seq {seq} (truncated)")?;
                match last_seq {
                    Some(last) => write!(f, "; last entry is seq {last}"),
                    None => Ok(()),
                }
            }
            Self::LimitExceeded(limit) => write!(
                f,
                "limit exceeded: {} ({} bytes)",
                limit.name(),
                limit.max()
            ),
            Self::KeyTooShort { length } => write!(
                f,
                "audit key too short: {length} bytes, at least {} needed",
                crate::limits::MIN_AUDIT_KEY_BYTES
            ),
            Self::KeyHexLength { digits } => write!(
                f,
                "hex audit key has {digits} digits; an even count in 64..=1024 is needed"
            ),
            Self::KeyNotHex => f.write_str(
                "the key file is text but not hex: write 64..=1024 hex digits \
                 (a passphrase is not key material)",
            ),
            Self::InvalidHeadHex => f.write_str("a head must be 64 hex digits"),
            Self::Closed => f.write_str("the audit sink is closed"),
            Self::SinkFailed { first } => write!(
                f,
                "the audit sink failed earlier and refuses further entries (fail closed); \
                 first failure: {first}"
            ),
            Self::Serialize { detail } => write!(f, "cannot serialize the record: {detail}"),
            Self::SequenceExhausted => f.write_str("sequence numbers exhausted"),
            Self::Io { operation } => write!(f, "cannot {operation}"),
            Self::Random => f.write_str("the system random number generator failed"),
            Self::LockPoisoned => {
                f.write_str("the audit sink's lock is poisoned (a thread panicked while writing)")
            }
        }
    }
}

/// An audit error: what went wrong, and where (the log or key file, the 1-based line and
/// the byte offset of the line's start) when that is known.
///
/// One pointer wide (the details are boxed), so that the `Result`s of the append path stay
/// small.
#[derive(Clone, Debug)]
pub struct AuditError {
    inner: Box<Inner>,
}

#[derive(Clone, Debug)]
struct Inner {
    kind: AuditErrorKind,
    line: Option<u64>,
    offset: Option<u64>,
    path: Option<Arc<Path>>,
    context: Option<&'static str>,
    source: Option<Arc<std::io::Error>>,
    written_seq: Option<u64>,
}

impl AuditError {
    /// An error with no position.
    pub(crate) fn new(kind: AuditErrorKind) -> Self {
        Self::from_inner(Inner {
            kind,
            line: None,
            offset: None,
            path: None,
            context: None,
            source: None,
            written_seq: None,
        })
    }

    fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Box::new(inner),
        }
    }

    /// An error at a line of a log.
    pub(crate) fn at(kind: AuditErrorKind, line: u64, offset: u64) -> Self {
        let mut error = Self::new(kind);
        error.inner.line = Some(line);
        error.inner.offset = Some(offset);
        error
    }

    /// An I/O error while doing `operation` (also for sinks written outside this crate).
    pub fn io(operation: &'static str, error: std::io::Error) -> Self {
        let mut e = Self::new(AuditErrorKind::Io { operation });
        e.inner.source = Some(Arc::new(error));
        e
    }

    /// The same error, naming the file it concerns (kept if one is already named).
    pub(crate) fn with_path(mut self, path: &Arc<Path>) -> Self {
        if self.inner.path.is_none() {
            self.inner.path = Some(Arc::clone(path));
        }
        self
    }

    /// The same error, saying what was being attempted.
    pub(crate) fn with_context(mut self, context: &'static str) -> Self {
        self.inner.context = Some(context);
        self
    }

    /// The error that makes a failed sink refuse everything after it.
    pub(crate) fn sink_failed(first: &Self) -> Self {
        let first = &first.inner;
        Self::from_inner(Inner {
            kind: AuditErrorKind::SinkFailed {
                first: Box::new(first.kind.clone()),
            },
            line: None,
            offset: None,
            path: first.path.clone(),
            context: None,
            source: first.source.clone(),
            written_seq: None,
        })
    }

    /// The same error, saying that the record's entry was written whole with sequence
    /// number `seq` before the failure (e.g. the line was written, then the fsync that
    /// should have made it durable failed). A sink written outside this crate uses it in the
    /// same case, so that the guard can name the entry it must declare void.
    pub fn with_written_seq(mut self, seq: u64) -> Self {
        self.inner.written_seq = Some(seq);
        self
    }

    /// When the record's entry was written before the failure: its sequence number. The
    /// entry is in the log, but the append failed, so the decision it records did not take
    /// effect (a guard denies the transfer); whether the entry survives a crash is unknown.
    pub fn written_seq(&self) -> Option<u64> {
        self.inner.written_seq
    }

    /// What went wrong.
    pub fn kind(&self) -> &AuditErrorKind {
        &self.inner.kind
    }

    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        self.inner.kind.fault()
    }

    /// The 1-based line of the log entry at fault, if the error concerns one.
    pub fn line(&self) -> Option<u64> {
        self.inner.line
    }

    /// The byte offset of the start of that line in the log.
    pub fn offset(&self) -> Option<u64> {
        self.inner.offset
    }

    /// The file concerned, if any.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(context) = self.inner.context {
            write!(f, "{context}: ")?;
        }
        if let Some(path) = &self.inner.path {
            write!(f, "{}: ", path.display())?;
        }
        if let (Some(line), Some(offset)) = (self.inner.line, self.inner.offset) {
            write!(f, "line {line} (byte {offset}): ")?;
        }
        write!(f, "{}", self.inner.kind)?;
        if let Some(source) = &self.inner.source {
            write!(f, ": {source}")?;
        }
        if let Some(seq) = self.inner.written_seq {
            write!(f, " (after the record's entry seq {seq} was written)")?;
        }
        Ok(())
    }
}

/// Equal when the kind, the position, the file and the context are: the underlying
/// `std::io::Error` (not comparable) is summarised by the kind's operation.
impl PartialEq for AuditError {
    fn eq(&self, other: &Self) -> bool {
        self.inner.kind == other.inner.kind
            && self.inner.line == other.inner.line
            && self.inner.offset == other.inner.offset
            && self.inner.path == other.inner.path
            && self.inner.context == other.inner.context
            && self.inner.written_seq == other.inner.written_seq
    }
}

impl Eq for AuditError {}

impl std::error::Error for AuditError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.source {
            Some(e) => Some(&**e),
            None => None,
        }
    }
}

/// `text` cut to [`crate::limits::MAX_ERROR_EXCERPT_BYTES`] at a character boundary.
pub(crate) fn excerpt(text: &str) -> Box<str> {
    let max = crate::limits::MAX_ERROR_EXCERPT_BYTES;
    if text.len() <= max {
        return text.into();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    let mut cut = String::with_capacity(end.saturating_add(3));
    cut.push_str(text.get(..end).unwrap_or_default());
    cut.push('…');
    cut.into_boxed_str()
}
