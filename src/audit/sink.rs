//! Where audit records go: the [`AuditSink`] trait and the options of file sinks.

use super::{AuditError, AuditRecord};

/// Records written between two checkpoints by default.
pub const DEFAULT_CHECKPOINT_EVERY: u32 = 1000;

/// A destination for audit records.
///
/// `append` returns only after the record's line has been handed to its destination (for a
/// file: written with `write(2)`), so a guard that returns a release after `append` succeeded
/// never releases an object whose record was not written. Whether the line is also on stable
/// storage is the sink's durability policy ([`Durability`] for [`super::JsonlSink`]).
pub trait AuditSink: Send + Sync {
    /// Appends `record`; returns the sequence number of its entry.
    fn append(&self, record: &AuditRecord) -> Result<u64, AuditError>;

    /// Writes a checkpoint (if records were written since the last checkpoint or open entry)
    /// and makes everything written so far durable.
    fn sync(&self) -> Result<(), AuditError>;
}

/// When a file sink forces its writes to stable storage (`fsync`, as `File::sync_data`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// After every record, before `append` returns: a returned sequence number is on disk.
    /// The slowest policy; the default.
    EveryRecord,
    /// When `records` records are unsynced, or when an append finds the oldest unsynced
    /// record older than `millis` milliseconds, whichever comes first; a checkpoint is written
    /// before each such sync. The time bound is checked on append (no thread is started):
    /// an embedder that needs it while idle calls [`AuditSink::sync`] from a timer.
    Batch {
        /// Most unsynced records (0 counts as 1).
        records: u32,
        /// Most milliseconds a record stays unsynced, checked on each append.
        millis: u64,
    },
    /// Never, except on [`AuditSink::sync`] and close: the operating system decides. A crash
    /// of the machine (not of the process) can lose recent records.
    OsBuffered,
}

/// Options of a file sink.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SinkOptions {
    /// When to fsync.
    pub durability: Durability,
    /// Write a checkpoint after this many records (0: only at syncs and close).
    pub checkpoint_every: u32,
}

impl Default for SinkOptions {
    /// [`Durability::EveryRecord`], a checkpoint every [`DEFAULT_CHECKPOINT_EVERY`] records.
    fn default() -> Self {
        Self {
            durability: Durability::EveryRecord,
            checkpoint_every: DEFAULT_CHECKPOINT_EVERY,
        }
    }
}
