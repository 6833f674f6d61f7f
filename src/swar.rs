//! Byte-level helpers shared by the scanners (XML input check, JSON strings, text): SWAR tests
//! on eight bytes at a time, exact per lane (no borrow crosses a lane), and the UTF-8 lead
//! byte table.

pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;
pub(crate) const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of each lane of `word` that equals `byte`, exactly.
#[inline]
pub(crate) fn lanes_equal(word: u64, byte: u8) -> u64 {
    let y = word ^ ONES.wrapping_mul(u64::from(byte));
    // A lane is non-zero iff its low seven bits carry into bit 7 or bit 7 is already set.
    !(((y & LOWS).wrapping_add(LOWS)) | y) & HIGHS
}

/// The high bit of each lane below 0x20, exactly: bit 7 clear and the low seven bits plus
/// 0x60 do not reach bit 7.
#[inline]
pub(crate) fn below_space(word: u64) -> u64 {
    !((word & LOWS).wrapping_add(ONES.wrapping_mul(0x60)) | word) & HIGHS
}

/// The number of leading bytes of `bytes` for which `stop` (a per-lane mask of eight bytes,
/// high bit set where a byte stops the run) is clear; the tail shorter than a word is tested
/// with `keep`.
#[inline]
pub(crate) fn run_until(
    bytes: &[u8],
    stop: impl Fn(u64) -> u64,
    keep: impl Fn(u8) -> bool,
) -> usize {
    let mut n = 0usize;
    let mut words = bytes.chunks_exact(8);
    for word in words.by_ref() {
        let w = <[u8; 8]>::try_from(word).map_or(u64::MAX, u64::from_le_bytes);
        let mask = stop(w);
        if mask != 0 {
            let lane = usize::try_from(mask.trailing_zeros() / 8).unwrap_or(0);
            return n.saturating_add(lane);
        }
        n = n.saturating_add(8);
    }
    n.saturating_add(words.remainder().iter().take_while(|&&b| keep(b)).count())
}

/// The first eight bytes of `bytes` as a little-endian word, zero-padded when shorter: a
/// shorter run is read as two overlapping loads (two 4-byte words, or first, middle and last
/// byte) and assembled in a register, without a byte loop and without storing bytes to read
/// them back as a word (which stalls store-to-load forwarding).
#[inline]
pub(crate) fn prefix_word(bytes: &[u8]) -> u64 {
    if let Some(first) = bytes.first_chunk::<8>() {
        return u64::from_le_bytes(*first);
    }
    let len = bytes.len();
    let byte = |i: usize| u64::from(bytes.get(i).copied().unwrap_or(0));
    let shift = |lanes: usize| u32::try_from(lanes.saturating_mul(8)).unwrap_or(0);
    if let (Some(low), Some(high)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        // Four to seven bytes: the last four overlap the first four.
        let low = u64::from(u32::from_le_bytes(*low));
        let high = u64::from(u32::from_le_bytes(*high));
        return low | high.wrapping_shl(shift(len.saturating_sub(4)));
    }
    if len == 0 {
        return 0;
    }
    // One to three bytes: the first, the middle and the last (repeated when they coincide).
    let last = len.saturating_sub(1);
    let middle = len / 2;
    byte(0) | byte(middle).wrapping_shl(shift(middle)) | byte(last).wrapping_shl(shift(last))
}

/// The number of bytes of `bytes` for which `counted` holds: byte-wide sums over blocks of
/// 255 bytes, which the compiler vectorises (a count per byte into a `usize` does not).
#[inline]
pub(crate) fn count_bytes(bytes: &[u8], counted: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            let n = block
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(counted(b))));
            usize::from(n)
        })
        .sum()
}

/// The characters of valid UTF-8 `bytes`: the bytes that are not continuation bytes.
#[inline]
pub(crate) fn count_chars(bytes: &[u8]) -> usize {
    count_bytes(bytes, |b| b & 0xC0 != 0x80)
}

/// RFC 3629, table 3-7 of Unicode: for a lead byte, the continuation bytes still needed, the
/// range of the next byte (narrower after E0, ED, F0, F4: no overlong forms, no surrogates,
/// nothing above U+10FFFF), and the lead's payload bits; `None` for a byte that cannot lead.
#[inline]
pub(crate) fn utf8_lead(b: u8) -> Option<(u8, u8, u8, u8)> {
    Some(match b {
        0xC2..=0xDF => (1, 0x80, 0xBF, b & 0x1F),
        0xE0 => (2, 0xA0, 0xBF, b & 0x0F),
        0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80, 0xBF, b & 0x0F),
        0xED => (2, 0x80, 0x9F, b & 0x0F),
        0xF0 => (3, 0x90, 0xBF, b & 0x07),
        0xF1..=0xF3 => (3, 0x80, 0xBF, b & 0x07),
        0xF4 => (3, 0x80, 0x8F, b & 0x07),
        _ => return None,
    })
}

/// Appends `bytes` to `out`, those of up to 16 bytes (characters, mostly one to four) without
/// a copy call for a length known only at run time, which costs more than such a copy: 16
/// bytes reserved, the bytes written one by one, the rest cut.
#[inline]
pub(crate) fn append_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    const ROOM: usize = 16;
    if bytes.len() > ROOM {
        out.extend_from_slice(bytes);
        return;
    }
    let at = out.len();
    out.extend_from_slice(&[0u8; ROOM]);
    if let Some(target) = out.get_mut(at..) {
        for (d, &b) in target.iter_mut().zip(bytes) {
            *d = b;
        }
    }
    out.truncate(at.saturating_add(bytes.len()));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// Appending short and long byte strings after any contents gives what
    /// `extend_from_slice` gives: every length either side of the 16 bytes written in place.
    #[test]
    fn appended_bytes_are_the_bytes() {
        let source: Vec<u8> = (0..64u8)
            .map(|b| b.wrapping_mul(37).wrapping_add(1))
            .collect();
        for before in 0..20usize {
            for len in 0..=40usize {
                for from in [0usize, 3, 17] {
                    let bytes = &source[from..from + len];
                    let mut out: Vec<u8> = (0..before)
                        .map(|b| u8::try_from(b).unwrap() ^ 0xA5)
                        .collect();
                    let mut expected = out.clone();
                    expected.extend_from_slice(bytes);
                    append_bytes(&mut out, bytes);
                    assert_eq!(out, expected, "{before} {len} {from}");
                }
            }
        }
    }

    /// Counting in blocks counts what a plain filter counts, across block boundaries.
    #[test]
    fn byte_counts_are_exact() {
        for len in [0usize, 1, 254, 255, 256, 510, 1000] {
            let bytes: Vec<u8> = (0..len)
                .map(|i| u8::try_from(i * 131 % 256).unwrap())
                .collect();
            let want = bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
            assert_eq!(count_chars(&bytes), want, "length {len}");
            let all = vec![b'\n'; len];
            assert_eq!(count_bytes(&all, |b| b == b'\n'), len);
        }
    }

    /// The prefix word is the first eight bytes, zero-padded, for every length.
    #[test]
    fn prefix_words_are_the_padded_first_bytes() {
        let bytes: Vec<u8> = (1..=12u8).map(|b| b.wrapping_mul(37)).collect();
        for len in 0..=12 {
            let name = &bytes[..len];
            let mut padded = [0u8; 8];
            let n = len.min(8);
            padded[..n].copy_from_slice(&name[..n]);
            assert_eq!(
                prefix_word(name),
                u64::from_le_bytes(padded),
                "length {len}"
            );
        }
    }

    /// The lead table accepts exactly what `str::from_utf8` accepts, for every two-, three- and
    /// four-byte sequence built from the boundary bytes.
    #[test]
    fn the_lead_table_agrees_with_std() {
        let edges = [0x00u8, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF];
        for lead in 0x80..=0xFFu8 {
            for &a in &edges {
                for &b in &edges {
                    for &c in &edges {
                        let seq = [lead, a, b, c];
                        let mine = utf8_lead(lead).is_some_and(|(need, lower, upper, _)| {
                            let need = usize::from(need);
                            (lower..=upper).contains(&seq[1])
                                && seq[2..=need].iter().all(|x| (0x80..=0xBF).contains(x))
                        });
                        let need = utf8_lead(lead).map_or(1, |(n, ..)| usize::from(n));
                        let std = std::str::from_utf8(&seq[..=need]).is_ok();
                        assert_eq!(mine, std, "{seq:02X?}");
                    }
                }
            }
        }
    }
}
