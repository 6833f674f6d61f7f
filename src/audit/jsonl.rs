//! The file sink: one JSON Lines log, appended to by one writer.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::chain::{Chain, Resume};
use super::error::{AuditError, AuditErrorKind};
use super::memory::anchor_of;
use super::verify::verify_reader;
use super::{Anchor, AuditKey, AuditRecord, AuditSink, Durability, SinkOptions, VerifyOptions};

/// An audit sink appending to a JSON Lines file.
///
/// Every append is one `write(2)` of the record's line (and of a checkpoint line, when one is
/// due) before it returns; fsync follows [`SinkOptions::durability`]. Any I/O error leaves
/// the file in an unknown state, so the sink then refuses every further append and sync
/// ([`AuditErrorKind::SinkFailed`]): the guard denies rather than releases unaudited.
///
/// One process may write a log at a time; the sink takes no file lock.
///
/// ```
/// use crossguard::audit::{verify_file, AuditKey, JsonlSink, SinkOptions, VerifyOptions};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("audit.jsonl");
/// let key = AuditKey::generate()?;
/// let sink = JsonlSink::open(&path, key.clone(), SinkOptions::default())?;
/// sink.close()?;
/// // Reopening verifies the log and continues its chain.
/// let sink = JsonlSink::open(&path, key.clone(), SinkOptions::default())?;
/// sink.close()?;
/// let summary = verify_file(&path, &key, VerifyOptions::default())?;
/// assert_eq!((summary.opens, summary.sealed), (2, true));
/// # Ok::<(), crossguard::audit::AuditError>(())
/// ```
pub struct JsonlSink {
    inner: Mutex<JsonlInner>,
    path: Arc<Path>,
}

struct JsonlInner {
    chain: Chain,
    file: File,
    buffer: Vec<u8>,
    options: SinkOptions,
    /// Records written since the last fsync, and when the oldest of them was written.
    unsynced: u32,
    oldest_unsynced: Option<Instant>,
    /// Anything written since the last fsync (records or other entries).
    dirty: bool,
    /// The first failure; once set, nothing more is written.
    failed: Option<AuditError>,
}

impl JsonlSink {
    /// Opens the log at `path` for appending, creating it (mode 0600 on Unix) if it does not
    /// exist.
    ///
    /// A non-empty existing log is verified with `key` first (unsealed logs are accepted: a
    /// crashed writer leaves one); if it does not verify, nothing is written and the error
    /// names the line at fault. Then the chain goes on with a new `open` entry, which is
    /// synced unless the durability is [`Durability::OsBuffered`].
    pub fn open(path: &Path, key: AuditKey, options: SinkOptions) -> Result<Self, AuditError> {
        let path_ref: Arc<Path> = Arc::from(path);
        Self::open_inner(path, key, options)
            .map(|inner| Self {
                inner: Mutex::new(inner),
                path: Arc::clone(&path_ref),
            })
            .map_err(|e| e.with_path(&path_ref))
    }

    fn open_inner(
        path: &Path,
        key: AuditKey,
        options: SinkOptions,
    ) -> Result<JsonlInner, AuditError> {
        let mut open = OpenOptions::new();
        open.read(true).append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            open.mode(0o600);
        }
        let file = open
            .open(path)
            .map_err(|e| AuditError::io("open the log", e))?;
        let length = file
            .metadata()
            .map_err(|e| AuditError::io("read the log's metadata", e))?
            .len();
        let resume = if length == 0 {
            if options.durability != Durability::OsBuffered {
                sync_parent_directory(path)?;
            }
            None
        } else {
            let verify_options = VerifyOptions {
                allow_unsealed: true,
                ..VerifyOptions::default()
            };
            let (_, tail) = verify_reader(BufReader::new(&file), &key, &verify_options)
                .map_err(|e| e.with_context("refusing to append to a log that does not verify"))?;
            Some(Resume {
                next_seq: tail.next_seq,
                head: tail.head,
                records: tail.records,
                log_id: tail.log_id,
            })
        };
        let mut inner = JsonlInner {
            chain: Chain::new(key, resume)?,
            file,
            buffer: Vec::with_capacity(4096),
            options,
            unsynced: 0,
            oldest_unsynced: None,
            dirty: false,
            failed: None,
        };
        inner.buffer.clear();
        inner.chain.open(&mut inner.buffer)?;
        inner.write_buffer()?;
        if options.durability != Durability::OsBuffered {
            inner.fsync()?;
        }
        Ok(inner)
    }

    /// Seals the log: a checkpoint (if records were written since the last), a `close`
    /// entry, and an fsync. Returns the anchor of the `close` entry (its seq and MAC), which
    /// can be kept elsewhere to detect a later truncation or replacement of the log.
    pub fn close(self) -> Result<Anchor, AuditError> {
        let path = Arc::clone(&self.path);
        let mut inner = self.lock()?;
        inner.close().map_err(|e| e.with_path(&path))
    }

    /// The sequence number and MAC of the last entry written.
    pub fn anchor(&self) -> Result<Anchor, AuditError> {
        let inner = self.lock()?;
        Ok(anchor_of(&inner.chain))
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> Result<MutexGuard<'_, JsonlInner>, AuditError> {
        self.inner
            .lock()
            .map_err(|_| AuditError::new(AuditErrorKind::LockPoisoned).with_path(&self.path))
    }
}

impl AuditSink for JsonlSink {
    fn append(&self, record: &AuditRecord) -> Result<u64, AuditError> {
        let mut inner = self.lock()?;
        inner.append(record).map_err(|e| e.with_path(&self.path))
    }

    fn sync(&self) -> Result<(), AuditError> {
        let mut inner = self.lock()?;
        inner.sync().map_err(|e| e.with_path(&self.path))
    }
}

impl Drop for JsonlSink {
    /// Best effort: make what was written durable (the log stays unsealed; only
    /// [`JsonlSink::close`] seals it).
    fn drop(&mut self) {
        if let Ok(inner) = self.inner.get_mut() {
            if inner.dirty && inner.failed.is_none() {
                let _ = inner.file.sync_data();
            }
        }
    }
}

impl core::fmt::Debug for JsonlSink {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JsonlSink")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl JsonlInner {
    fn append(&mut self, record: &AuditRecord) -> Result<u64, AuditError> {
        self.check_usable()?;
        self.buffer.clear();
        // A record that cannot be written (too large, unserializable) changes nothing: the
        // chain is unchanged and the sink stays usable. Everything after it must succeed.
        let seq = self.chain.record(record, &mut self.buffer)?;
        let result = self.after_record(seq);
        result.map(|()| seq).map_err(|e| self.fail(e))
    }

    /// Checkpoint, write and fsync as due after record `seq` was added to the buffer. An
    /// fsync failure after the write names `seq`: the entry is in the file, but its append
    /// failed, so its decision did not take effect.
    fn after_record(&mut self, seq: u64) -> Result<(), AuditError> {
        self.unsynced = self.unsynced.saturating_add(1);
        let now = match self.options.durability {
            Durability::Batch { .. } => Some(Instant::now()),
            Durability::EveryRecord | Durability::OsBuffered => None,
        };
        if self.oldest_unsynced.is_none() {
            self.oldest_unsynced = now;
        }
        let sync_now = match self.options.durability {
            Durability::EveryRecord => true,
            Durability::Batch { records, millis } => {
                let age = match (now, self.oldest_unsynced) {
                    (Some(now), Some(oldest)) => now.saturating_duration_since(oldest),
                    _ => Duration::ZERO,
                };
                self.unsynced >= records.max(1) || age >= Duration::from_millis(millis)
            }
            Durability::OsBuffered => false,
        };
        // Checkpoints come every `checkpoint_every` records and before each batch sync; not
        // before each per-record sync, which would double the log for nothing (each record's
        // MAC is already the head).
        let batch_sync = sync_now && matches!(self.options.durability, Durability::Batch { .. });
        if self.chain.checkpoint_due(self.options.checkpoint_every) || batch_sync {
            self.chain.checkpoint(&mut self.buffer)?;
        }
        self.write_buffer()?;
        if sync_now {
            self.fsync().map_err(|e| e.with_written_seq(seq))?;
        }
        Ok(())
    }

    fn sync(&mut self) -> Result<(), AuditError> {
        self.check_usable()?;
        self.buffer.clear();
        let result = self.checkpoint_and_fsync();
        result.map_err(|e| self.fail(e))
    }

    fn close(&mut self) -> Result<Anchor, AuditError> {
        self.check_usable()?;
        self.buffer.clear();
        let result = self.seal();
        result.map_err(|e| self.fail(e))
    }

    fn checkpoint_and_fsync(&mut self) -> Result<(), AuditError> {
        if self.chain.records_since_anchor() {
            self.chain.checkpoint(&mut self.buffer)?;
            self.write_buffer()?;
        }
        if self.dirty {
            self.fsync()?;
        }
        Ok(())
    }

    fn seal(&mut self) -> Result<Anchor, AuditError> {
        if self.chain.records_since_anchor() {
            self.chain.checkpoint(&mut self.buffer)?;
        }
        self.chain.close(&mut self.buffer)?;
        self.write_buffer()?;
        self.fsync()?;
        // Nothing may follow the close entry from this sink.
        self.failed = Some(AuditError::new(AuditErrorKind::Closed));
        Ok(anchor_of(&self.chain))
    }

    fn check_usable(&self) -> Result<(), AuditError> {
        match &self.failed {
            None => Ok(()),
            Some(first) if first.kind() == &AuditErrorKind::Closed => {
                Err(AuditError::new(AuditErrorKind::Closed))
            }
            Some(first) => Err(AuditError::sink_failed(first)),
        }
    }

    /// Records the first failure; the sink refuses everything after it.
    fn fail(&mut self, error: AuditError) -> AuditError {
        if self.failed.is_none() {
            self.failed = Some(error.clone());
        }
        error
    }

    /// One `write(2)` (retried by `write_all` on short writes) of the buffered lines.
    fn write_buffer(&mut self) -> Result<(), AuditError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        self.dirty = true;
        let result = self.file.write_all(&self.buffer);
        self.buffer.clear();
        result.map_err(|e| AuditError::io("write the log", e))
    }

    fn fsync(&mut self) -> Result<(), AuditError> {
        self.file
            .sync_data()
            .map_err(|e| AuditError::io("sync the log", e))?;
        self.unsynced = 0;
        self.oldest_unsynced = None;
        self.dirty = false;
        Ok(())
    }
}

/// Makes a newly created log's directory entry durable (Unix; elsewhere a no-op).
fn sync_parent_directory(path: &Path) -> Result<(), AuditError> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(parent)
            .and_then(|dir| dir.sync_all())
            .map_err(|e| AuditError::io("sync the log's directory", e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::memory::tests::sample_record;
    use crate::audit::verify_file;

    #[test]
    fn after_an_io_error_the_sink_fails_closed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let key = AuditKey::from_bytes(&[1; 32]).unwrap();
        let mut sink = JsonlSink::open(&path, key.clone(), SinkOptions::default()).unwrap();
        assert_eq!(sink.append(&sample_record()).unwrap(), 1);
        // From now on every write fails (the handle is read-only).
        sink.inner.get_mut().unwrap().file = File::open(&path).unwrap();
        let first = sink.append(&sample_record()).unwrap_err();
        assert!(
            matches!(first.kind(), AuditErrorKind::Io { operation } if *operation == "write the log"),
            "{first}"
        );
        assert_eq!(first.path(), Some(path.as_path()));
        assert!(first.to_string().contains("audit.jsonl"), "{first}");
        let expected = AuditErrorKind::SinkFailed {
            first: Box::new(first.kind().clone()),
        };
        // Even with a writable handle again, nothing more is written.
        sink.inner.get_mut().unwrap().file = OpenOptions::new().append(true).open(&path).unwrap();
        let before = std::fs::read(&path).unwrap();
        assert_eq!(sink.append(&sample_record()).unwrap_err().kind(), &expected);
        assert_eq!(sink.sync().unwrap_err().kind(), &expected);
        assert!(sink.anchor().is_ok());
        let closed = sink.close().unwrap_err();
        assert_eq!(closed.kind(), &expected);
        assert!(closed.to_string().contains("fail closed"), "{closed}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        // What was written before the failure still verifies (as an unsealed log).
        let options = VerifyOptions {
            allow_unsealed: true,
            ..VerifyOptions::default()
        };
        assert_eq!(verify_file(&path, &key, options).unwrap().records, 1);
    }

    #[test]
    fn after_close_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let key = AuditKey::from_bytes(&[1; 32]).unwrap();
        let mut sink = JsonlSink::open(&path, key, SinkOptions::default()).unwrap();
        let inner = sink.inner.get_mut().unwrap();
        inner.close().unwrap();
        assert_eq!(
            inner.append(&sample_record()).unwrap_err().kind(),
            &AuditErrorKind::Closed
        );
        assert_eq!(inner.sync().unwrap_err().kind(), &AuditErrorKind::Closed);
    }
}
