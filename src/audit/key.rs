//! The audit key: secret material from which the record MAC key and the public key id are
//! derived.
//!
//! - `K_rec = HMAC-SHA256(K, "crossguard audit record key v1")` keys the chain MACs;
//! - `key id = HMAC-SHA256(K, "crossguard audit key id v1")[..8]`, written in hex in every
//!   `open` entry, lets a verifier say "wrong key" rather than "tampered".
//!
//! The material is held in [`Zeroizing`] buffers and wiped on drop. ring's precomputed HMAC
//! state (`ring::hmac::Key`, the inner and outer hash states of `K_rec`) is not wiped by us:
//! ring offers no way to, and it is derived material (an attacker who reads process memory
//! can also read the key while it is in use).

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use super::error::{AuditError, AuditErrorKind, AuditLimit};
use super::hex;
use crate::limits::{MAX_AUDIT_KEY_BYTES, MAX_AUDIT_KEY_FILE_BYTES, MIN_AUDIT_KEY_BYTES};

/// Bytes of material [`AuditKey::generate`] draws.
const GENERATED_KEY_BYTES: usize = 32;
/// The derivation input of the record MAC key.
const RECORD_KEY_LABEL: &[u8] = b"crossguard audit record key v1";
/// The derivation input of the key id.
const KEY_ID_LABEL: &[u8] = b"crossguard audit key id v1";
/// Fewest and most hex digits a hex key file holds.
const MIN_HEX_DIGITS: usize = MIN_AUDIT_KEY_BYTES * 2;
const MAX_HEX_DIGITS: usize = MAX_AUDIT_KEY_BYTES * 2;

/// A secret audit key (HMAC-SHA256). Its `Debug` shows only the public key id.
///
/// ```
/// use crossguard::audit::AuditKey;
/// let key = AuditKey::from_bytes(&[7u8; 32])?;
/// assert_eq!(key.id_hex().len(), 16);
/// assert!(!format!("{key:?}").contains("0707"));
/// # Ok::<(), crossguard::audit::AuditError>(())
/// ```
#[derive(Clone)]
pub struct AuditKey {
    material: Zeroizing<Vec<u8>>,
    record_key: hmac::Key,
    id: [u8; 8],
}

impl AuditKey {
    /// A key from raw material: at least [`MIN_AUDIT_KEY_BYTES`], at most
    /// [`MAX_AUDIT_KEY_BYTES`] bytes. The material should be uniformly random.
    pub fn from_bytes(material: &[u8]) -> Result<Self, AuditError> {
        if material.len() < MIN_AUDIT_KEY_BYTES {
            return Err(AuditError::new(AuditErrorKind::KeyTooShort {
                length: material.len(),
            }));
        }
        if material.len() > MAX_AUDIT_KEY_BYTES {
            return Err(AuditError::new(AuditErrorKind::LimitExceeded(
                AuditLimit::KeyBytes,
            )));
        }
        let master = hmac::Key::new(hmac::HMAC_SHA256, material);
        let mut record_key = Zeroizing::new([0u8; 32]);
        record_key.copy_from_slice(hmac::sign(&master, RECORD_KEY_LABEL).as_ref());
        let mut id = [0u8; 8];
        let id_tag = hmac::sign(&master, KEY_ID_LABEL);
        for (byte, tag) in id.iter_mut().zip(id_tag.as_ref()) {
            *byte = *tag;
        }
        Ok(Self {
            material: Zeroizing::new(material.to_vec()),
            record_key: hmac::Key::new(hmac::HMAC_SHA256, record_key.as_ref()),
            id,
        })
    }

    /// A key read from a file that holds either 64..=1024 hex digits (an even count, either
    /// case) with an optional trailing line break, or at least [`MIN_AUDIT_KEY_BYTES`] raw
    /// bytes. A file of printable text that is not hex is refused ([`AuditErrorKind::KeyNotHex`])
    /// so that a passphrase or a mistyped hex key is never used as raw material. The file may
    /// be at most [`MAX_AUDIT_KEY_FILE_BYTES`] long.
    pub fn from_file(path: &Path) -> Result<Self, AuditError> {
        let path_ref: Arc<Path> = Arc::from(path);
        let read = || -> Result<Self, AuditError> {
            let file = File::open(path).map_err(|e| AuditError::io("open the key file", e))?;
            // Room for one byte past the limit (to detect it) and one more, so that
            // `read_to_end` never reallocates and leaves a copy of the key behind.
            let limit = MAX_AUDIT_KEY_FILE_BYTES.saturating_add(1);
            let mut content = Zeroizing::new(Vec::with_capacity(limit.saturating_add(1)));
            file.take(u64::try_from(limit).unwrap_or(u64::MAX))
                .read_to_end(&mut content)
                .map_err(|e| AuditError::io("read the key file", e))?;
            if content.len() > MAX_AUDIT_KEY_FILE_BYTES {
                return Err(AuditError::new(AuditErrorKind::LimitExceeded(
                    AuditLimit::KeyFileBytes,
                )));
            }
            Self::from_file_content(&content)
        };
        read().map_err(|e| e.with_path(&path_ref))
    }

    /// Interprets the content of a key file (see [`AuditKey::from_file`]).
    fn from_file_content(content: &[u8]) -> Result<Self, AuditError> {
        let text = content
            .strip_suffix(b"\r\n")
            .or_else(|| content.strip_suffix(b"\n"))
            .unwrap_or(content);
        if !text.is_empty() && text.iter().all(u8::is_ascii_hexdigit) {
            if text.len() < MIN_HEX_DIGITS || text.len() > MAX_HEX_DIGITS || text.len() % 2 != 0 {
                return Err(AuditError::new(AuditErrorKind::KeyHexLength {
                    digits: text.len(),
                }));
            }
            let mut material = Zeroizing::new(Vec::with_capacity(text.len() / 2));
            hex::decode_into(text, true, &mut material).ok_or_else(|| {
                AuditError::new(AuditErrorKind::KeyHexLength { digits: text.len() })
            })?;
            return Self::from_bytes(&material);
        }
        if content
            .iter()
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        {
            return Err(AuditError::new(AuditErrorKind::KeyNotHex));
        }
        Self::from_bytes(content)
    }

    /// A new key of 32 bytes from the system's secure random number generator.
    pub fn generate() -> Result<Self, AuditError> {
        let mut material = Zeroizing::new([0u8; GENERATED_KEY_BYTES]);
        SystemRandom::new()
            .fill(material.as_mut())
            .map_err(|_| AuditError::new(AuditErrorKind::Random))?;
        Self::from_bytes(material.as_ref())
    }

    /// Writes the key as hex and a line break to a new file (never overwriting one), readable
    /// and writable by its owner only (mode 0600 on Unix), and syncs it to disk.
    pub fn write_new(&self, path: &Path) -> Result<(), AuditError> {
        let path_ref: Arc<Path> = Arc::from(path);
        let write = || -> Result<(), AuditError> {
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options
                .open(path)
                .map_err(|e| AuditError::io("create the key file", e))?;
            let mut text = Zeroizing::new(Vec::with_capacity(
                self.material.len().saturating_mul(2).saturating_add(1),
            ));
            hex::encode_into(&self.material, &mut text);
            text.push(b'\n');
            file.write_all(&text)
                .map_err(|e| AuditError::io("write the key file", e))?;
            file.sync_all()
                .map_err(|e| AuditError::io("sync the key file", e))
        };
        write().map_err(|e| e.with_path(&path_ref))
    }

    /// The public key id: the first 8 bytes of `HMAC-SHA256(K, "crossguard audit key id v1")`.
    pub fn id(&self) -> [u8; 8] {
        self.id
    }

    /// The key id as 16 lowercase hex digits, as written in `open` entries.
    pub fn id_hex(&self) -> String {
        hex::encode(&self.id)
    }

    /// The chain MAC key.
    pub(crate) fn record_key(&self) -> &hmac::Key {
        &self.record_key
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditKey")
            .field("id", &self.id_hex())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivations_are_hmac_of_the_labels() {
        let key = AuditKey::from_bytes(&[0x42; 32]).unwrap();
        let master = hmac::Key::new(hmac::HMAC_SHA256, &[0x42; 32]);
        let id = hmac::sign(&master, b"crossguard audit key id v1");
        assert_eq!(key.id(), id.as_ref()[..8]);
        let record = hmac::sign(&master, b"crossguard audit record key v1");
        let expected = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, record.as_ref()), b"x");
        assert_eq!(
            hmac::sign(key.record_key(), b"x").as_ref(),
            expected.as_ref()
        );
    }

    #[test]
    fn file_contents() {
        let hex64 = "ab".repeat(32);
        let a = AuditKey::from_file_content(hex64.as_bytes()).unwrap();
        let b = AuditKey::from_file_content(format!("{hex64}\n").as_bytes()).unwrap();
        let c = AuditKey::from_file_content(format!("{}\r\n", hex64.to_uppercase()).as_bytes())
            .unwrap();
        let raw = AuditKey::from_bytes(&[0xab; 32]).unwrap();
        assert_eq!(a.id(), raw.id());
        assert_eq!(b.id(), raw.id());
        assert_eq!(c.id(), raw.id());
        let kind = |content: &[u8]| {
            AuditKey::from_file_content(content)
                .map(|_| ())
                .unwrap_err()
                .kind()
                .clone()
        };
        assert_eq!(kind(b"abcd\n"), AuditErrorKind::KeyHexLength { digits: 4 });
        let odd = "a".repeat(65);
        assert_eq!(
            kind(odd.as_bytes()),
            AuditErrorKind::KeyHexLength { digits: 65 }
        );
        let long = "a".repeat(1026);
        assert_eq!(
            kind(long.as_bytes()),
            AuditErrorKind::KeyHexLength { digits: 1026 }
        );
        assert_eq!(
            kind(b"correct horse battery staple and more words to be long\n"),
            AuditErrorKind::KeyNotHex
        );
        assert_eq!(
            kind(format!("{hex64}g").as_bytes()),
            AuditErrorKind::KeyNotHex
        );
        assert_eq!(kind(b""), AuditErrorKind::KeyNotHex);
        assert_eq!(
            kind(&[0xff; 31]),
            AuditErrorKind::KeyTooShort { length: 31 }
        );
        assert_eq!(
            kind(&[0xff; 513]),
            AuditErrorKind::LimitExceeded(AuditLimit::KeyBytes)
        );
        assert!(AuditKey::from_file_content(&[0xff; 512]).is_ok());
        // The largest hex key.
        assert!(AuditKey::from_file_content("f".repeat(1024).as_bytes()).is_ok());
    }

    #[test]
    fn generated_keys_differ_and_debug_hides_material() {
        let a = AuditKey::generate().unwrap();
        let b = AuditKey::generate().unwrap();
        assert_ne!(a.id(), b.id());
        let debug = format!("{a:?}");
        assert!(debug.contains(&a.id_hex()));
        assert!(!debug.contains(&hex::encode(&a.material)));
    }
}
