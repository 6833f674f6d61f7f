//! Verification of an audit log: every line's MAC, the chain, the sequence numbers, the
//! structure (open first, close last, nothing but open after close), checkpoints, and
//! optionally an external anchor.
//!
//! The log is attacker-controlled input: lines are bounded by
//! [`crate::limits::MAX_AUDIT_LINE_BYTES`], files are read line by line, and every failure is
//! an [`AuditError`] with the 1-based line number and the byte offset of the line.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::chain::{
    chain_mac, EntryKind, FORMAT_VERSION, INITIAL_HEAD, MAC_FIELD, MAC_SUFFIX_BYTES,
};
use super::error::{excerpt, AuditError, AuditErrorKind, AuditLimit};
use super::time::is_rfc3339_millis;
use super::{hex, AuditKey, AuditRecord};
use crate::limits::MAX_AUDIT_LINE_BYTES;

/// A point of the chain kept outside the log: an entry's sequence number and MAC.
///
/// Exported regularly (from [`super::JsonlSink::anchor`], a checkpoint's `head`, or the
/// summary of a verification) to a place the log's writer cannot change, it lets a later
/// verification detect that the log was cut back to before it, which the log alone cannot
/// show for a live log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Anchor {
    /// The entry's sequence number.
    pub seq: u64,
    /// The entry's MAC.
    pub mac: [u8; 32],
}

impl Anchor {
    /// The MAC as 64 lowercase hex digits, as written in the log.
    pub fn mac_hex(&self) -> String {
        hex::encode(&self.mac)
    }
}

/// A MAC (a head) from 64 hex digits, either case.
pub fn parse_head_hex(text: &str) -> Result<[u8; 32], AuditError> {
    let lower = text.to_ascii_lowercase();
    hex::decode_array::<32>(lower.trim().as_bytes())
        .ok_or_else(|| AuditError::new(AuditErrorKind::InvalidHeadHex))
}

/// What [`verify`] requires beyond the log being intact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Accept a log whose last entry is not `close`: a live log, or one whose writer
    /// crashed. Such a log may also have been truncated at a line boundary, which only an
    /// anchor can rule out.
    pub allow_unsealed: bool,
    /// The log's final MAC must be this (kept elsewhere when the log was sealed).
    pub expect_head: Option<[u8; 32]>,
    /// The entry at this sequence number must exist and have this MAC (kept elsewhere while
    /// the log was live; the log may have grown since).
    pub expect_anchor: Option<Anchor>,
}

/// What a verified log holds.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifySummary {
    /// Entries (lines) of every kind.
    pub entries: u64,
    /// `record` entries.
    pub records: u64,
    /// `checkpoint` entries.
    pub checkpoints: u64,
    /// `open` entries (1 plus the number of times the log was reopened).
    pub opens: u64,
    /// Whether the last entry is `close`.
    pub sealed: bool,
    /// The last entry's sequence number.
    pub last_seq: u64,
    /// The last entry's MAC, hex: the anchor to keep elsewhere.
    pub head_hex: String,
    /// The log id (32 hex digits) of the `open` entries.
    pub log_id: String,
    /// The sequence number of the last checkpoint, if any.
    pub last_checkpoint_seq: Option<u64>,
}

/// Verifies a whole log held in memory.
///
/// ```
/// use crossguard::audit::{verify, AuditErrorKind, AuditKey, MemorySink, VerifyOptions};
/// let key = AuditKey::generate()?;
/// let sink = MemorySink::new(key.clone(), 0)?;
/// sink.close()?;
/// let mut log = sink.into_bytes()?;
/// assert!(verify(&log, &key, VerifyOptions::default()).is_ok());
/// log[20] ^= 1; // inside the first line
/// let err = verify(&log, &key, VerifyOptions::default()).unwrap_err();
/// assert_eq!(err.line(), Some(1));
/// # Ok::<(), crossguard::audit::AuditError>(())
/// ```
pub fn verify(
    bytes: &[u8],
    key: &AuditKey,
    options: VerifyOptions,
) -> Result<VerifySummary, AuditError> {
    let mut verifier = Verifier::new(key, &options);
    let mut rest = bytes;
    let mut number = 0u64;
    let mut offset = 0u64;
    while !rest.is_empty() {
        number = number.saturating_add(1);
        let window = rest.get(..MAX_AUDIT_LINE_BYTES).unwrap_or(rest);
        let Some(end) = memchr::memchr(b'\n', window) else {
            let kind = if rest.len() >= MAX_AUDIT_LINE_BYTES {
                AuditErrorKind::LimitExceeded(AuditLimit::LineBytes)
            } else {
                AuditErrorKind::TruncatedLine
            };
            return Err(verifier.pending_or(AuditError::at(kind, number, offset)));
        };
        let (line, after) = rest.split_at_checked(end).unwrap_or((rest, &[]));
        verifier.feed(line, number, offset)?;
        rest = after.get(1..).unwrap_or_default();
        offset = offset.saturating_add(u64::try_from(end).unwrap_or(u64::MAX).saturating_add(1));
    }
    verifier.finish().map(|(summary, _)| summary)
}

/// Verifies the log at `path`, reading it line by line (memory is bounded by
/// [`crate::limits::MAX_AUDIT_LINE_BYTES`], not by the size of the log).
pub fn verify_file(
    path: &Path,
    key: &AuditKey,
    options: VerifyOptions,
) -> Result<VerifySummary, AuditError> {
    let path_ref: Arc<Path> = Arc::from(path);
    File::open(path)
        .map_err(|e| AuditError::io("open the log", e))
        .and_then(|file| verify_reader(BufReader::new(file), key, &options))
        .map(|(summary, _)| summary)
        .map_err(|e| e.with_path(&path_ref))
}

/// Where a verified log ends, for a sink that continues it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tail {
    pub(crate) next_seq: u64,
    pub(crate) head: [u8; 32],
    pub(crate) records: u64,
    pub(crate) log_id: [u8; 16],
}

/// Verifies a log read line by line from `reader`.
pub(crate) fn verify_reader<R: BufRead>(
    mut reader: R,
    key: &AuditKey,
    options: &VerifyOptions,
) -> Result<(VerifySummary, Tail), AuditError> {
    let mut verifier = Verifier::new(key, options);
    let mut line = Vec::new();
    let mut number = 0u64;
    let mut offset = 0u64;
    let max = u64::try_from(MAX_AUDIT_LINE_BYTES).unwrap_or(u64::MAX);
    loop {
        line.clear();
        let read = (&mut reader)
            .take(max)
            .read_until(b'\n', &mut line)
            .map_err(|e| AuditError::io("read the log", e))?;
        if read == 0 {
            break;
        }
        number = number.saturating_add(1);
        if line.pop() != Some(b'\n') {
            let kind = if read >= MAX_AUDIT_LINE_BYTES {
                AuditErrorKind::LimitExceeded(AuditLimit::LineBytes)
            } else {
                AuditErrorKind::TruncatedLine
            };
            return Err(verifier.pending_or(AuditError::at(kind, number, offset)));
        }
        verifier.feed(&line, number, offset)?;
        offset = offset.saturating_add(u64::try_from(read).unwrap_or(u64::MAX));
    }
    verifier.finish()
}

/// One entry as read. Fields that a kind does not use must be absent (checked after
/// parsing, by [`check_members`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    seq: u64,
    kind: EntryKind,
    version: Option<u64>,
    log: Option<String>,
    key: Option<String>,
    time: Option<String>,
    record: Option<AuditRecord>,
    records: Option<u64>,
    head: Option<String>,
    mac: String,
}

/// A line split into its parsed entry, the bytes its MAC covers, and its MAC.
struct Line<'line> {
    entry: Entry,
    prefix: &'line [u8],
    mac: [u8; 32],
}

fn malformed(detail: impl Into<Box<str>>) -> AuditErrorKind {
    AuditErrorKind::MalformedEntry {
        detail: detail.into(),
    }
}

/// Parses one line (without its line break).
fn parse_line(line: &[u8]) -> Result<Line<'_>, AuditErrorKind> {
    const SUFFIX_FORM: &str = "the line does not end with ,\"mac\":\"<64 lowercase hex digits>\"}";
    let prefix_len = line
        .len()
        .checked_sub(MAC_SUFFIX_BYTES)
        .ok_or_else(|| malformed(SUFFIX_FORM))?;
    let (prefix, suffix) = line
        .split_at_checked(prefix_len)
        .ok_or_else(|| malformed(SUFFIX_FORM))?;
    let mac_hex = suffix
        .strip_prefix(MAC_FIELD)
        .and_then(|rest| rest.strip_suffix(b"\"}"))
        .ok_or_else(|| malformed(SUFFIX_FORM))?;
    let mac = hex::decode_array::<32>(mac_hex).ok_or_else(|| malformed(SUFFIX_FORM))?;
    let entry: Entry =
        serde_json::from_slice(line).map_err(|e| malformed(excerpt(&e.to_string())))?;
    if entry.mac.as_bytes() != mac_hex {
        return Err(malformed("the mac member is not the end of the line"));
    }
    check_members(&entry)?;
    Ok(Line { entry, prefix, mac })
}

/// Each kind has exactly its members.
fn check_members(entry: &Entry) -> Result<(), AuditErrorKind> {
    let present = [
        ("version", entry.version.is_some()),
        ("log", entry.log.is_some()),
        ("key", entry.key.is_some()),
        ("time", entry.time.is_some()),
        ("record", entry.record.is_some()),
        ("records", entry.records.is_some()),
        ("head", entry.head.is_some()),
    ];
    let required: &[&str] = match entry.kind {
        EntryKind::Open => &["version", "log", "key", "time"],
        EntryKind::Record => &["record"],
        EntryKind::Checkpoint => &["records", "head", "time"],
        EntryKind::Close => &["records", "time"],
    };
    let kind = entry.kind.name();
    for (name, is_present) in present {
        match (required.contains(&name), is_present) {
            (true, false) => return Err(malformed(format!("{kind} entry without {name:?}"))),
            (false, true) => return Err(malformed(format!("{name:?} in a {kind} entry"))),
            _ => {}
        }
    }
    if let Some(time) = &entry.time {
        if !is_rfc3339_millis(time) {
            return Err(malformed("time is not YYYY-MM-DDThh:mm:ss.mmmZ"));
        }
    }
    Ok(())
}

/// A sequence number that skipped ahead; whether it was a deletion or a reordering is
/// decided by the next line.
struct PendingGap {
    expected: u64,
    found: u64,
    number: u64,
    offset: u64,
}

impl PendingGap {
    fn resolve(&self, next_seq: Option<u64>) -> AuditError {
        let kind = if next_seq == Some(self.expected) {
            AuditErrorKind::SeqOutOfOrder {
                expected: self.expected,
                found: self.found,
            }
        } else {
            AuditErrorKind::SeqGap {
                expected: self.expected,
                found: self.found,
            }
        };
        AuditError::at(kind, self.number, self.offset)
    }
}

/// The verification state after each line.
struct Verifier<'run> {
    key: &'run AuditKey,
    key_id: String,
    options: &'run VerifyOptions,
    next_seq: u64,
    head: [u8; 32],
    entries: u64,
    records: u64,
    checkpoints: u64,
    opens: u64,
    /// The last entry accepted: its kind, seq, line number and offset.
    last: Option<(EntryKind, u64, u64, u64)>,
    log_id: Option<[u8; 16]>,
    last_checkpoint_seq: Option<u64>,
    anchor_seen: bool,
    pending_gap: Option<PendingGap>,
}

impl<'run> Verifier<'run> {
    fn new(key: &'run AuditKey, options: &'run VerifyOptions) -> Self {
        Self {
            key,
            key_id: key.id_hex(),
            options,
            next_seq: 0,
            head: INITIAL_HEAD,
            entries: 0,
            records: 0,
            checkpoints: 0,
            opens: 0,
            last: None,
            log_id: None,
            last_checkpoint_seq: None,
            anchor_seen: false,
            pending_gap: None,
        }
    }

    /// The error of an earlier line if one is pending, else `error`.
    fn pending_or(&mut self, error: AuditError) -> AuditError {
        match self.pending_gap.take() {
            Some(gap) => gap.resolve(None),
            None => error,
        }
    }

    /// Checks one line (without its line break).
    fn feed(&mut self, line: &[u8], number: u64, offset: u64) -> Result<(), AuditError> {
        if let Some(gap) = self.pending_gap.take() {
            let next_seq = parse_line(line).ok().map(|l| l.entry.seq);
            return Err(gap.resolve(next_seq));
        }
        self.check(line, number, offset)
            .map_err(|kind| AuditError::at(kind, number, offset))
    }

    fn check(&mut self, line: &[u8], number: u64, offset: u64) -> Result<(), AuditErrorKind> {
        let Line { entry, prefix, mac } = parse_line(line)?;
        if entry.kind == EntryKind::Open {
            // Before the MAC: with another key every MAC fails, and this says why.
            if let Some(version) = entry.version.filter(|v| *v != FORMAT_VERSION) {
                return Err(AuditErrorKind::UnsupportedVersion { version });
            }
            let log_key_id = entry.key.as_deref().unwrap_or_default();
            if log_key_id != self.key_id {
                return Err(AuditErrorKind::WrongKey {
                    log_key_id: excerpt(log_key_id),
                    key_id: self.key_id.as_str().into(),
                });
            }
        }
        if entry.seq != self.next_seq {
            let previous = self.last.map(|(_, seq, _, _)| seq);
            if entry.seq > self.next_seq {
                // Deleted, or moved here from later: the next line tells.
                self.pending_gap = Some(PendingGap {
                    expected: self.next_seq,
                    found: entry.seq,
                    number,
                    offset,
                });
                return Ok(());
            }
            if previous == Some(entry.seq) {
                return Err(AuditErrorKind::SeqDuplicate { seq: entry.seq });
            }
            return Err(AuditErrorKind::SeqOutOfOrder {
                expected: self.next_seq,
                found: entry.seq,
            });
        }
        if !macs_equal(&chain_mac(self.key, &self.head, prefix), &mac) {
            return Err(AuditErrorKind::BadMac);
        }
        // The line is authentic and in its place; now its meaning.
        match (self.last.map(|(kind, _, _, _)| kind), entry.kind) {
            (None, kind) if kind != EntryKind::Open => return Err(AuditErrorKind::MissingOpen),
            (Some(EntryKind::Close), kind) if kind != EntryKind::Open => {
                return Err(AuditErrorKind::EntryAfterClose { kind: kind.name() });
            }
            _ => {}
        }
        match entry.kind {
            EntryKind::Open => {
                let log_id = entry
                    .log
                    .as_deref()
                    .and_then(|l| hex::decode_array::<16>(l.as_bytes()))
                    .ok_or_else(|| malformed("log is not 32 lowercase hex digits"))?;
                match self.log_id {
                    None => self.log_id = Some(log_id),
                    Some(first) if first != log_id => return Err(AuditErrorKind::LogIdChanged),
                    Some(_) => {}
                }
                self.opens = self.opens.saturating_add(1);
            }
            EntryKind::Record => self.records = self.records.saturating_add(1),
            EntryKind::Checkpoint | EntryKind::Close => {
                if entry.records != Some(self.records) {
                    return Err(AuditErrorKind::CheckpointMismatch { field: "records" });
                }
                if entry.kind == EntryKind::Checkpoint {
                    let head = entry
                        .head
                        .as_deref()
                        .and_then(|h| hex::decode_array::<32>(h.as_bytes()));
                    if head != Some(self.head) {
                        return Err(AuditErrorKind::CheckpointMismatch { field: "head" });
                    }
                    self.checkpoints = self.checkpoints.saturating_add(1);
                    self.last_checkpoint_seq = Some(entry.seq);
                }
            }
        }
        if let Some(anchor) = &self.options.expect_anchor {
            if anchor.seq == entry.seq {
                if !macs_equal(&anchor.mac, &mac) {
                    return Err(AuditErrorKind::AnchorMismatch { seq: anchor.seq });
                }
                self.anchor_seen = true;
            }
        }
        self.head = mac;
        self.next_seq = entry
            .seq
            .checked_add(1)
            .ok_or(AuditErrorKind::SequenceExhausted)?;
        self.entries = self.entries.saturating_add(1);
        self.last = Some((entry.kind, entry.seq, number, offset));
        Ok(())
    }

    /// Checks the end of the log.
    fn finish(mut self) -> Result<(VerifySummary, Tail), AuditError> {
        if let Some(gap) = self.pending_gap.take() {
            return Err(gap.resolve(None));
        }
        let Some((last_kind, last_seq, last_line, last_offset)) = self.last else {
            return Err(AuditError::new(AuditErrorKind::Empty));
        };
        let sealed = last_kind == EntryKind::Close;
        if !sealed && !self.options.allow_unsealed {
            let kind = AuditErrorKind::Unsealed {
                last_seq,
                last_checkpoint_seq: self.last_checkpoint_seq,
            };
            return Err(AuditError::at(kind, last_line, last_offset));
        }
        if let Some(anchor) = &self.options.expect_anchor {
            if !self.anchor_seen {
                return Err(AuditError::new(AuditErrorKind::AnchorMissing {
                    seq: anchor.seq,
                    last_seq: Some(last_seq),
                }));
            }
        }
        let head_hex = hex::encode(&self.head);
        if let Some(expected) = &self.options.expect_head {
            if !macs_equal(expected, &self.head) {
                return Err(AuditError::new(AuditErrorKind::HeadMismatch {
                    found: head_hex.into(),
                }));
            }
        }
        let log_id = self.log_id.unwrap_or_default();
        let summary = VerifySummary {
            entries: self.entries,
            records: self.records,
            checkpoints: self.checkpoints,
            opens: self.opens,
            sealed,
            last_seq,
            head_hex,
            log_id: hex::encode(&log_id),
            last_checkpoint_seq: self.last_checkpoint_seq,
        };
        let tail = Tail {
            next_seq: self.next_seq,
            head: self.head,
            records: self.records,
            log_id,
        };
        Ok((summary, tail))
    }
}

/// Compares two MACs without stopping at the first difference.
fn macs_equal(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    core::hint::black_box(difference) == 0
}
