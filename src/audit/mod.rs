//! Tamper-evident audit: the record of every transfer decision, written to a hash chain
//! keyed with HMAC-SHA256 and verified line by line.
//!
//! ## The log
//! A log is [JSON Lines](https://jsonlines.org/): one entry per line, each ending with its
//! MAC. `seq` counts entries from 0 across the whole file; `kind` is one of
//! - `open` — first line of a log and first line after every reopen: `version` (1), `log`
//!   (the log id, 16 random bytes in hex, the same in every `open` of a file), `key` (the key
//!   id, see [`AuditKey`]) and `time`;
//! - `record` — one [`AuditRecord`] under `record`;
//! - `checkpoint` — every N records, at every batch fsync and explicit sync, and before
//!   `close` (these three only if records were written since the last checkpoint or `open`):
//!   `records` (count of records so far in the file), `head` (the MAC of the previous entry)
//!   and `time`;
//! - `close` — written when a sink is closed: `records` and `time`; it seals the log.
//!
//! A line is `<prefix>,"mac":"<64 hex>"}` where `<prefix>` is the rest of the JSON object,
//! and `mac_i = HMAC-SHA256(K_rec, mac_{i-1} || prefix_i)` with `mac_{-1}` 32 zero bytes.
//! The MAC covers the exact bytes of the line, so verification needs no JSON
//! canonicalisation.
//!
//! ## What verification detects
//! With the log and the key alone, [`verify`] detects any change to a line (bad MAC), a
//! deleted line (sequence gap), reordered or duplicated lines, a line inserted without the key,
//! a log cut in the middle of a line, a log whose first line is gone, the wrong key (key id
//! mismatch), and — unless [`VerifyOptions::allow_unsealed`] — a log cut back to any line
//! boundary before its `close`. What it cannot detect alone: a *live* (unsealed) log cut
//! back to a line boundary looks like a log that simply has fewer entries. Detecting that
//! needs an external anchor — the head or a checkpoint kept somewhere the writer cannot
//! change ([`VerifyOptions::expect_anchor`], [`VerifyOptions::expect_head`]). Whoever holds
//! the key can rewrite the whole log; keep the key away from those whose actions are audited.
//!
//! ## Write and verify
//! ```
//! use crossguard::audit::*;
//! let key = AuditKey::generate()?;
//! let sink = MemorySink::new(key.clone(), DEFAULT_CHECKPOINT_EVERY)?;
//! let record = AuditRecord {
//!     time: now_rfc3339(),
//!     transfer_id: "t-1".into(),
//!     from: "mission".into(),
//!     to: "internet".into(),
//!     verdict: Verdict::Deny,
//!     stage: Some("flow".into()),
//!     failure: false,
//!     reasons: vec!["no flow from mission to internet".into()],
//!     label: None,
//!     destination_label: None,
//!     object: ObjectAudit { sha256: sha256_hex(b"hello"), size: 5, declared_type: None, rebuilt: None },
//!     policies: vec![],
//! };
//! assert_eq!(sink.append(&record)?, 1); // seq 0 is the open entry
//! sink.close()?;
//! let summary = verify(&sink.into_bytes()?, &key, VerifyOptions::default())?;
//! assert_eq!((summary.records, summary.sealed), (1, true));
//! # Ok::<(), crossguard::audit::AuditError>(())
//! ```
//!
//! See `docs/audit.md` for the format with an example, key handling and durability.

mod chain;
mod error;
mod hex;
mod jsonl;
mod key;
mod memory;
mod record;
mod sink;
mod time;
mod verify;

pub use error::{AuditError, AuditErrorKind, AuditLimit};
pub use jsonl::JsonlSink;
pub use key::AuditKey;
pub use memory::MemorySink;
pub use record::{
    sha256_hex, AuditRecord, LabelAudit, ObjectAudit, PolicyAudit, RebuiltAudit, Verdict,
};
pub use sink::{AuditSink, Durability, SinkOptions, DEFAULT_CHECKPOINT_EVERY};
pub use time::{now_rfc3339, rfc3339_from_unix_millis};
pub use verify::{parse_head_hex, verify, verify_file, Anchor, VerifyOptions, VerifySummary};
