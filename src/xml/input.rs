//! Whole-input checks done once before any markup is read: size limit, encoding (UTF-8 only,
//! optional byte-order mark), and the `Char` production for every character (XML 1.0 §2.2:
//! a document is text, and all of its characters must match `Char`).
//!
//! Doing these once, with a word-at-a-time scan, means the grammar code afterwards can slice
//! `&str` at ASCII delimiters and never meets a control character or a non-character.

use super::error::XmlErrorKind;

/// What the checks learned about the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Checked {
    /// Offset of the first byte after the byte-order mark (0 or 3).
    pub(crate) start: usize,
    /// Whether any carriage return occurs (if not, end-of-line handling is a no-op).
    pub(crate) has_cr: bool,
}

pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Runs the checks; on failure returns the error and its byte offset.
pub(crate) fn check(
    bytes: &[u8],
    max_input_bytes: usize,
) -> Result<(&str, Checked), (XmlErrorKind, usize)> {
    if bytes.len() > max_input_bytes {
        return Err((
            XmlErrorKind::InputTooLarge {
                limit: max_input_bytes,
            },
            max_input_bytes,
        ));
    }
    if looks_like_utf16_or_utf32(bytes) {
        return Err((XmlErrorKind::Utf16Unsupported, 0));
    }
    let text =
        core::str::from_utf8(bytes).map_err(|e| (XmlErrorKind::InvalidUtf8, e.valid_up_to()))?;
    let start = if bytes.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    let has_cr = check_chars(bytes, start)?;
    Ok((text, Checked { start, has_cr }))
}

pub(crate) fn looks_like_utf16_or_utf32(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0xFE, 0xFF, ..]
            | [0xFF, 0xFE, ..]
            | [0x00, 0x00, 0xFE, 0xFF, ..]
            | [0x00, b'<', ..]
            | [b'<', 0x00, ..]
            | [0x00, 0x00, 0x00, b'<', ..]
    )
}

/// Finds any byte that starts a character outside `Char`, in valid UTF-8: the C0 controls other
/// than tab, LF and CR, and U+FFFE / U+FFFF (`EF BF BE` / `EF BF BF`). Surrogates cannot occur
/// in valid UTF-8. Returns whether a CR was seen.
///
/// Eight bytes at a time with per-lane exact masks (no borrow crosses a lane), so the line
/// breaks and tabs of pretty-printed documents stay on the fast path; only a word holding a
/// forbidden control or an `EF` lead byte is looked at byte by byte.
pub(crate) fn check_chars(bytes: &[u8], start: usize) -> Result<bool, (XmlErrorKind, usize)> {
    let body = bytes.get(start..).unwrap_or_default();
    let mut cr_seen = 0u64;
    let mut chunks = body.chunks_exact(8);
    let mut offset = start;
    for chunk in chunks.by_ref() {
        let word = <[u8; 8]>::try_from(chunk).map_or(u64::MAX, u64::from_le_bytes);
        // Most words are printable ASCII (0x20..=0x7F, all allowed): one test settles them.
        if (below_space(word) | (word & HIGHS)) == 0 {
            offset = offset.saturating_add(8);
            continue;
        }
        let (suspicious, cr) = classify(word);
        cr_seen |= cr;
        if suspicious != 0 {
            scan_slowly(bytes, chunk, offset)?;
        }
        offset = offset.saturating_add(8);
    }
    let tail = chunks.remainder();
    scan_slowly(bytes, tail, offset)?;
    Ok(cr_seen != 0 || tail.contains(&b'\r'))
}

use crate::swar::{below_space, lanes_equal, HIGHS};

/// For one little-endian word: the lanes that need a closer look (a forbidden control or an
/// `EF` lead byte), and the lanes holding a CR. Both exact per lane.
fn classify(word: u64) -> (u64, u64) {
    let cr = lanes_equal(word, b'\r');
    let allowed = lanes_equal(word, b'\t') | lanes_equal(word, b'\n') | cr;
    let suspicious = (below_space(word) & !allowed) | lanes_equal(word, 0xEF);
    (suspicious, cr)
}

/// The byte-by-byte check of `chunk`, which starts at `offset` in `bytes`.
#[cold]
fn scan_slowly(bytes: &[u8], chunk: &[u8], offset: usize) -> Result<(), (XmlErrorKind, usize)> {
    for (i, &b) in chunk.iter().enumerate() {
        let at = offset.saturating_add(i);
        match b {
            b'\t' | b'\n' | b'\r' => {}
            0x00..=0x1F => {
                return Err((
                    XmlErrorKind::IllegalChar {
                        code_point: u32::from(b),
                    },
                    at,
                ))
            }
            0xEF => {
                if let [0xBF, last @ (0xBE | 0xBF), ..] =
                    bytes.get(at.saturating_add(1)..).unwrap_or_default()
                {
                    let code_point = 0xFF00 | u32::from(*last & 0x3F) | 0xC0;
                    return Err((XmlErrorKind::IllegalChar { code_point }, at));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// The naive reference: decode every character and test it against `Char`.
    fn naive(text: &str) -> Result<bool, (XmlErrorKind, usize)> {
        let body_start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        for (at, c) in text.char_indices().filter(|&(at, _)| at >= body_start) {
            if !super::super::chars::is_xml_char(c) {
                return Err((
                    XmlErrorKind::IllegalChar {
                        code_point: u32::from(c),
                    },
                    at,
                ));
            }
        }
        Ok(text.contains('\r'))
    }

    #[test]
    fn agrees_with_naive_scan_on_tricky_inputs() {
        let cases = [
            "plain ascii text that is longer than one word",
            "tab\tnewline\ncr\r",
            "nul \u{0} here",
            "\u{FFFE} at start",
            "late \u{FFFF}",
            "\u{EFFF} and \u{FFFD} are fine, \u{F000} too",
            "\u{FEFF}<a/>",
            "escape \u{1B} control",
            "",
            "1234567\u{FFFF}",
        ];
        for case in cases {
            let expected = naive(case);
            let got = check(case.as_bytes(), usize::MAX).map(|(_, c)| c.has_cr);
            assert_eq!(got, expected, "{case:?}");
        }
    }

    #[test]
    fn encodings() {
        assert_eq!(
            check(b"\xFF\xFE<\0a\0", 100),
            Err((XmlErrorKind::Utf16Unsupported, 0))
        );
        assert_eq!(
            check(b"\0<\0?", 100),
            Err((XmlErrorKind::Utf16Unsupported, 0))
        );
        assert_eq!(
            check(b"<a>\xC3</a>", 100),
            Err((XmlErrorKind::InvalidUtf8, 3))
        );
        assert_eq!(check(b"\xEF\xBB\xBF<a/>", 100).map(|(_, c)| c.start), Ok(3));
        assert_eq!(
            check(b"<a/>", 3),
            Err((XmlErrorKind::InputTooLarge { limit: 3 }, 3))
        );
    }

    /// `classify` against a byte-by-byte reading of the same word.
    fn assert_lanes_exact(word: u64) {
        let (suspicious, cr) = classify(word);
        for (i, &b) in word.to_le_bytes().iter().enumerate() {
            let bit = 1u64 << (i * 8 + 7);
            let want = (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF;
            assert_eq!(
                suspicious & bit != 0,
                want,
                "word {word:#x} lane {i} byte {b:#x}"
            );
            assert_eq!(
                cr & bit != 0,
                b == b'\r',
                "word {word:#x} lane {i} byte {b:#x}"
            );
        }
        assert_eq!(suspicious & !HIGHS, 0);
        assert_eq!(cr & !HIGHS, 0);
    }

    /// Every byte value in every lane, beside neighbours chosen to provoke borrows and carries.
    #[test]
    fn lane_masks_are_exact_for_every_byte() {
        let neighbours = [
            0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x7F, 0x80, 0xEF, 0xF0, 0xFF,
        ];
        for fill in neighbours {
            for lane in 0..8 {
                for b in 0..=255u8 {
                    let mut lanes = [fill; 8];
                    lanes[lane] = b;
                    assert_lanes_exact(u64::from_le_bytes(lanes));
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn lane_masks_are_exact(word: u64) {
            assert_lanes_exact(word);
        }

        #[test]
        fn word_scan_equals_naive(s in "\\PC{0,40}|[\\x00-\\x20\u{FFFD}-\u{FFFF}a]{0,40}") {
            let got = check(s.as_bytes(), usize::MAX).map(|(_, c)| c.has_cr);
            proptest::prop_assert_eq!(got, naive(&s));
        }
    }
}
