//! A sink that keeps its lines in memory: for tests, benches, and embedders that ship the
//! lines elsewhere (a log collector, a write-once store) themselves.

use std::sync::{Mutex, MutexGuard};

use super::chain::Chain;
use super::error::{AuditError, AuditErrorKind};
use super::{Anchor, AuditKey, AuditRecord, AuditSink};

/// An audit sink that keeps the log's lines in memory.
///
/// The lines form the same chain a [`super::JsonlSink`] writes: concatenated (including
/// across [`MemorySink::drain`]s), they verify with [`super::verify`].
///
/// ```
/// use crossguard::audit::{verify, AuditKey, MemorySink, VerifyOptions};
/// let key = AuditKey::generate()?;
/// let sink = MemorySink::new(key.clone(), 100)?;
/// sink.close()?;
/// let summary = verify(&sink.into_bytes()?, &key, VerifyOptions::default())?;
/// assert!(summary.sealed);
/// assert_eq!(summary.entries, 2); // open, close
/// # Ok::<(), crossguard::audit::AuditError>(())
/// ```
pub struct MemorySink {
    inner: Mutex<MemoryInner>,
}

struct MemoryInner {
    chain: Chain,
    bytes: Vec<u8>,
    checkpoint_every: u32,
    closed: bool,
}

impl MemorySink {
    /// A new log (it starts with an `open` entry), with a checkpoint every
    /// `checkpoint_every` records (0: only at [`AuditSink::sync`] and close).
    pub fn new(key: AuditKey, checkpoint_every: u32) -> Result<Self, AuditError> {
        let mut chain = Chain::new(key, None)?;
        let mut bytes = Vec::new();
        chain.open(&mut bytes)?;
        Ok(Self {
            inner: Mutex::new(MemoryInner {
                chain,
                bytes,
                checkpoint_every,
                closed: false,
            }),
        })
    }

    /// The lines not yet drained, without their line breaks.
    pub fn lines(&self) -> Result<Vec<String>, AuditError> {
        let inner = self.lock()?;
        let text = core::str::from_utf8(&inner.bytes).map_err(|_| {
            AuditError::new(AuditErrorKind::Serialize {
                detail: "a line is not UTF-8".into(),
            })
        })?;
        Ok(text.lines().map(str::to_owned).collect())
    }

    /// Takes the lines written so far (each with its line break), leaving the sink empty;
    /// the chain goes on.
    pub fn drain(&self) -> Result<Vec<u8>, AuditError> {
        let mut inner = self.lock()?;
        Ok(core::mem::take(&mut inner.bytes))
    }

    /// The sequence number and MAC of the last entry: keep it elsewhere to detect truncation
    /// later ([`super::VerifyOptions::expect_anchor`]).
    pub fn anchor(&self) -> Result<Anchor, AuditError> {
        let inner = self.lock()?;
        Ok(anchor_of(&inner.chain))
    }

    /// Seals the log: a checkpoint (if records were written since the last) and a `close`
    /// entry. Appends after this fail with [`AuditErrorKind::Closed`].
    pub fn close(&self) -> Result<Anchor, AuditError> {
        let mut inner = self.lock()?;
        if inner.closed {
            return Err(AuditError::new(AuditErrorKind::Closed));
        }
        let MemoryInner { chain, bytes, .. } = &mut *inner;
        if chain.records_since_anchor() {
            chain.checkpoint(bytes)?;
        }
        chain.close(bytes)?;
        inner.closed = true;
        Ok(anchor_of(&inner.chain))
    }

    /// The lines not yet drained, each with its line break.
    pub fn into_bytes(self) -> Result<Vec<u8>, AuditError> {
        self.inner
            .into_inner()
            .map(|inner| inner.bytes)
            .map_err(|_| AuditError::new(AuditErrorKind::LockPoisoned))
    }

    fn lock(&self) -> Result<MutexGuard<'_, MemoryInner>, AuditError> {
        self.inner
            .lock()
            .map_err(|_| AuditError::new(AuditErrorKind::LockPoisoned))
    }
}

impl AuditSink for MemorySink {
    fn append(&self, record: &AuditRecord) -> Result<u64, AuditError> {
        let mut inner = self.lock()?;
        if inner.closed {
            return Err(AuditError::new(AuditErrorKind::Closed));
        }
        let every = inner.checkpoint_every;
        let MemoryInner { chain, bytes, .. } = &mut *inner;
        let seq = chain.record(record, bytes)?;
        if chain.checkpoint_due(every) {
            chain.checkpoint(bytes)?;
        }
        Ok(seq)
    }

    fn sync(&self) -> Result<(), AuditError> {
        let mut inner = self.lock()?;
        if inner.closed {
            return Err(AuditError::new(AuditErrorKind::Closed));
        }
        let MemoryInner { chain, bytes, .. } = &mut *inner;
        if chain.records_since_anchor() {
            chain.checkpoint(bytes)?;
        }
        Ok(())
    }
}

impl core::fmt::Debug for MemorySink {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemorySink").finish_non_exhaustive()
    }
}

/// The anchor of the chain's last entry (every sink has written at least its `open`).
pub(crate) fn anchor_of(chain: &Chain) -> Anchor {
    let (seq, mac) = chain.anchor().unwrap_or((0, super::chain::INITIAL_HEAD));
    Anchor { seq, mac }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::audit::{ObjectAudit, Verdict};

    /// A small record for unit tests.
    pub(crate) fn sample_record() -> AuditRecord {
        AuditRecord {
            time: "2026-11-28T09:37:55.123Z".into(),
            transfer_id: "t-1".into(),
            from: "a".into(),
            to: "b".into(),
            verdict: Verdict::Release,
            stage: None,
            failure: false,
            reasons: Vec::new(),
            label: None,
            destination_label: None,
            object: ObjectAudit {
                sha256: crate::audit::sha256_hex(b""),
                size: 0,
                declared_type: None,
                rebuilt: None,
            },
            policies: Vec::new(),
        }
    }

    #[test]
    fn a_poisoned_lock_is_an_error_not_a_panic() {
        let sink = MemorySink::new(AuditKey::from_bytes(&[1; 32]).unwrap(), 0).unwrap();
        let joined = std::thread::scope(|s| {
            s.spawn(|| {
                let _guard = sink.inner.lock();
                panic!("poisoning the lock on purpose");
            })
            .join()
        });
        assert!(joined.is_err());
        for error in [
            sink.append(&sample_record()).map(|_| ()).unwrap_err(),
            sink.sync().unwrap_err(),
            sink.lines().map(|_| ()).unwrap_err(),
            sink.close().map(|_| ()).unwrap_err(),
        ] {
            assert_eq!(error.kind(), &AuditErrorKind::LockPoisoned);
            assert_eq!(error.fault(), crate::Fault::Environment);
        }
        assert_eq!(
            sink.into_bytes().unwrap_err().kind(),
            &AuditErrorKind::LockPoisoned
        );
    }
}
