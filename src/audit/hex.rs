//! Lowercase hex for MACs, digests, key ids and key files.

const DIGITS: [u8; 16] = *b"0123456789abcdef";

/// The lowercase hex digit of the low four bits of `nibble`.
fn digit(nibble: u8) -> u8 {
    DIGITS
        .get(usize::from(nibble & 0x0f))
        .copied()
        .unwrap_or(b'0')
}

/// `bytes` as lowercase hex, appended to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut Vec<u8>) {
    out.reserve(bytes.len().saturating_mul(2));
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(*b));
    }
}

/// `bytes` as a lowercase hex string.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        out.push(char::from(digit(b >> 4)));
        out.push(char::from(digit(*b)));
    }
    out
}

/// A 32-byte MAC or digest as 64 lowercase hex digits, on the stack.
pub(crate) fn encode_32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        if let [high, low] = pair {
            *high = digit(b >> 4);
            *low = digit(*b);
        }
    }
    out
}

/// The value of one hex digit; `uppercase` also accepts `A`–`F`.
fn value(c: u8, uppercase: bool) -> Option<u8> {
    match c {
        b'0'..=b'9' => c.checked_sub(b'0'),
        b'a'..=b'f' => c.checked_sub(b'a' - 10),
        b'A'..=b'F' if uppercase => c.checked_sub(b'A' - 10),
        _ => None,
    }
}

/// Decodes hex of even length into `out`; `uppercase` also accepts `A`–`F`.
pub(crate) fn decode_into(hex: &[u8], uppercase: bool, out: &mut Vec<u8>) -> Option<()> {
    if hex.len() % 2 != 0 {
        return None;
    }
    out.reserve(hex.len() / 2);
    for pair in hex.chunks_exact(2) {
        let [high, low] = pair else { return None };
        let high = value(*high, uppercase)?;
        let low = value(*low, uppercase)?;
        out.push(high << 4 | low);
    }
    Some(())
}

/// Exactly `N` bytes from `2N` lowercase hex digits.
pub(crate) fn decode_array<const N: usize>(hex: &[u8]) -> Option<[u8; N]> {
    if hex.len() != N.checked_mul(2)? {
        return None;
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let [high, low] = pair else { return None };
        *byte = value(*high, false)? << 4 | value(*low, false)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let bytes: Vec<u8> = (0..=255).collect();
        let text = encode(&bytes);
        assert_eq!(text.len(), 512);
        assert!(text.starts_with("000102") && text.ends_with("fdfeff"));
        let mut back = Vec::new();
        assert_eq!(decode_into(text.as_bytes(), false, &mut back), Some(()));
        assert_eq!(back, bytes);
        let mut upper = Vec::new();
        assert_eq!(decode_into(b"ABcd", true, &mut upper), Some(()));
        assert_eq!(upper, [0xab, 0xcd]);
        assert_eq!(decode_into(b"ABcd", false, &mut Vec::new()), None);
        assert_eq!(decode_into(b"abc", true, &mut Vec::new()), None);
        let mac = [0x5a; 32];
        assert_eq!(&encode_32(&mac)[..], "5a".repeat(32).as_bytes());
        assert_eq!(decode_array::<32>(&encode_32(&mac)), Some(mac));
        assert_eq!(decode_array::<2>(b"0g00"), None);
        assert_eq!(decode_array::<2>(b"000"), None);
        let mut out = Vec::new();
        encode_into(&[0x01, 0xef], &mut out);
        assert_eq!(out, b"01ef");
    }
}
