//! The writing side of the chain, shared by every sink: builds each entry's line into a
//! caller's buffer and advances the chain state only once the line is complete.
//!
//! A line is `<prefix>,"mac":"<64 hex>"}\n` where `<prefix>` is a JSON object without its
//! closing brace and `mac = HMAC-SHA256(K_rec, previous mac || prefix)`.

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

use super::error::{excerpt, AuditError, AuditErrorKind, AuditLimit};
use super::{hex, now_rfc3339, AuditKey, AuditRecord};
use crate::limits::MAX_AUDIT_LINE_BYTES;

/// The format version written in `open` entries.
pub(crate) const FORMAT_VERSION: u64 = 1;
/// The chain value before the first entry.
pub(crate) const INITIAL_HEAD: [u8; 32] = [0; 32];
/// Bytes after the prefix: `,"mac":"`, 64 hex digits, `"}`.
pub(crate) const MAC_SUFFIX_BYTES: usize = MAC_FIELD.len() + 64 + 2;
/// What separates the prefix from the MAC.
pub(crate) const MAC_FIELD: &[u8] = b",\"mac\":\"";

/// The chain MAC of `prefix` after `head`.
pub(crate) fn chain_mac(key: &AuditKey, head: &[u8; 32], prefix: &[u8]) -> [u8; 32] {
    let mut context = hmac::Context::with_key(key.record_key());
    context.update(head);
    context.update(prefix);
    let tag = context.sign();
    let mut mac = [0u8; 32];
    for (out, byte) in mac.iter_mut().zip(tag.as_ref()) {
        *out = *byte;
    }
    mac
}

/// The kind of an entry (its `"kind"` member).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum EntryKind {
    Open,
    Record,
    Checkpoint,
    Close,
}

impl EntryKind {
    /// The `"kind"` value.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Record => "record",
            Self::Checkpoint => "checkpoint",
            Self::Close => "close",
        }
    }
}

/// Where an existing log left off (from its verification).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Resume {
    pub(crate) next_seq: u64,
    pub(crate) head: [u8; 32],
    pub(crate) records: u64,
    pub(crate) log_id: [u8; 16],
}

/// The chain state of one log.
pub(crate) struct Chain {
    key: AuditKey,
    log_id: [u8; 16],
    next_seq: u64,
    head: [u8; 32],
    records: u64,
    records_since_checkpoint: u64,
    last: Option<EntryKind>,
}

impl Chain {
    /// A fresh log (a random log id), or the continuation of `resume`.
    pub(crate) fn new(key: AuditKey, resume: Option<Resume>) -> Result<Self, AuditError> {
        let (log_id, next_seq, head, records) = match resume {
            Some(r) => (r.log_id, r.next_seq, r.head, r.records),
            None => {
                let mut log_id = [0u8; 16];
                SystemRandom::new()
                    .fill(&mut log_id)
                    .map_err(|_| AuditError::new(AuditErrorKind::Random))?;
                (log_id, 0, INITIAL_HEAD, 0)
            }
        };
        Ok(Self {
            key,
            log_id,
            next_seq,
            head,
            records,
            records_since_checkpoint: 0,
            last: None,
        })
    }

    /// The sequence number of the last entry and its MAC (`None` before the first entry).
    pub(crate) fn anchor(&self) -> Option<(u64, [u8; 32])> {
        self.next_seq.checked_sub(1).map(|seq| (seq, self.head))
    }

    /// Whether a record was written after the last checkpoint or open entry, that is,
    /// whether a checkpoint now would say anything new.
    pub(crate) fn records_since_anchor(&self) -> bool {
        self.last == Some(EntryKind::Record)
    }

    /// Whether `every` records have been written since the last checkpoint (`every == 0`:
    /// never by count).
    pub(crate) fn checkpoint_due(&self, every: u32) -> bool {
        every != 0 && self.records_since_checkpoint >= u64::from(every)
    }

    /// Appends an `open` entry to `out`.
    pub(crate) fn open(&mut self, out: &mut Vec<u8>) -> Result<u64, AuditError> {
        self.entry(out, EntryKind::Open, |chain, out| {
            out.extend_from_slice(b",\"version\":");
            json(out, &FORMAT_VERSION)?;
            out.extend_from_slice(b",\"log\":\"");
            hex::encode_into(&chain.log_id, out);
            out.extend_from_slice(b"\",\"key\":\"");
            hex::encode_into(&chain.key.id(), out);
            out.extend_from_slice(b"\",\"time\":");
            json(out, &now_rfc3339())
        })
    }

    /// Appends a `record` entry to `out`; returns its sequence number.
    pub(crate) fn record(
        &mut self,
        record: &AuditRecord,
        out: &mut Vec<u8>,
    ) -> Result<u64, AuditError> {
        self.entry(out, EntryKind::Record, |_, out| {
            out.extend_from_slice(b",\"record\":");
            json(out, record)
        })
    }

    /// Appends a `checkpoint` entry to `out`.
    pub(crate) fn checkpoint(&mut self, out: &mut Vec<u8>) -> Result<u64, AuditError> {
        self.entry(out, EntryKind::Checkpoint, |chain, out| {
            out.extend_from_slice(b",\"records\":");
            json(out, &chain.records)?;
            out.extend_from_slice(b",\"head\":\"");
            out.extend_from_slice(&hex::encode_32(&chain.head));
            out.extend_from_slice(b"\",\"time\":");
            json(out, &now_rfc3339())
        })
    }

    /// Appends a `close` entry to `out`.
    pub(crate) fn close(&mut self, out: &mut Vec<u8>) -> Result<u64, AuditError> {
        self.entry(out, EntryKind::Close, |chain, out| {
            out.extend_from_slice(b",\"records\":");
            json(out, &chain.records)?;
            out.extend_from_slice(b",\"time\":");
            json(out, &now_rfc3339())
        })
    }

    /// Appends one entry: `{"seq":N,"kind":"<kind>"`, the members `body` writes, the MAC.
    /// On error nothing is left in `out` and the chain is unchanged.
    fn entry(
        &mut self,
        out: &mut Vec<u8>,
        kind: EntryKind,
        body: impl FnOnce(&Self, &mut Vec<u8>) -> Result<(), AuditError>,
    ) -> Result<u64, AuditError> {
        let start = out.len();
        out.extend_from_slice(b"{\"seq\":");
        let built = json(out, &self.next_seq).and_then(|()| {
            out.extend_from_slice(b",\"kind\":\"");
            out.extend_from_slice(kind.name().as_bytes());
            out.push(b'"');
            body(self, out)
        });
        if let Err(e) = built {
            out.truncate(start);
            return Err(e);
        }
        self.seal(out, start, kind)
    }

    /// Ends the entry that starts at `start` with its MAC and a line break, and advances the
    /// chain. On error the entry is removed from `out` and the chain is unchanged.
    fn seal(
        &mut self,
        out: &mut Vec<u8>,
        start: usize,
        kind: EntryKind,
    ) -> Result<u64, AuditError> {
        let fail = |out: &mut Vec<u8>, kind: AuditErrorKind| {
            out.truncate(start);
            Err(AuditError::new(kind))
        };
        let Some(prefix) = out.get(start..) else {
            return fail(
                out,
                AuditErrorKind::Serialize {
                    detail: "entry start beyond the buffer".into(),
                },
            );
        };
        let line_bytes = prefix.len().saturating_add(MAC_SUFFIX_BYTES + 1);
        if line_bytes > MAX_AUDIT_LINE_BYTES {
            return fail(out, AuditErrorKind::LimitExceeded(AuditLimit::LineBytes));
        }
        let Some(next_seq) = self.next_seq.checked_add(1) else {
            return fail(out, AuditErrorKind::SequenceExhausted);
        };
        let mac = chain_mac(&self.key, &self.head, prefix);
        out.extend_from_slice(MAC_FIELD);
        out.extend_from_slice(&hex::encode_32(&mac));
        out.extend_from_slice(b"\"}\n");
        let seq = self.next_seq;
        self.next_seq = next_seq;
        self.head = mac;
        self.last = Some(kind);
        match kind {
            EntryKind::Record => {
                self.records = self.records.saturating_add(1);
                self.records_since_checkpoint = self.records_since_checkpoint.saturating_add(1);
            }
            EntryKind::Checkpoint | EntryKind::Close => self.records_since_checkpoint = 0,
            EntryKind::Open => {}
        }
        Ok(seq)
    }
}

/// `value` as JSON, appended to `out`.
fn json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), AuditError> {
    serde_json::to_writer(out, value).map_err(|e| {
        AuditError::new(AuditErrorKind::Serialize {
            detail: excerpt(&e.to_string()),
        })
    })
}
