//! Character classes of XML 1.0 (Fifth Edition) §2.2–§2.3 and Namespaces in XML 1.0 §3.
//!
//! ```text
//! [2]  Char          ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
//! [3]  S             ::= (#x20 | #x9 | #xD | #xA)+
//! [4]  NameStartChar ::= ":" | [A-Z] | "_" | [a-z] | [#xC0-#xD6] | [#xD8-#xF6] | [#xF8-#x2FF]
//!                      | [#x370-#x37D] | [#x37F-#x1FFF] | [#x200C-#x200D] | [#x2070-#x218F]
//!                      | [#x2C00-#x2FEF] | [#x3001-#xD7FF] | [#xF900-#xFDCF] | [#xFDF0-#xFFFD]
//!                      | [#x10000-#xEFFFF]
//! [4a] NameChar      ::= NameStartChar | "-" | "." | [0-9] | #xB7 | [#x0300-#x036F] | [#x203F-#x2040]
//! [NS 4] NCName      ::= Name - (Char* ':' Char*)
//! ```
//!
//! The hot paths work on bytes: ASCII is classified by one table lookup, and only non-ASCII
//! bytes decode a scalar value (the input is already known to be valid UTF-8).

/// `Char` (production 2): may this scalar value appear in an XML 1.0 document?
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `S` (production 3) for one byte.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// `NameStartChar` (production 4) without the colon: the first character of an `NCName`.
pub(crate) fn is_ncname_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// `NameChar` (production 4a) without the colon.
pub(crate) fn is_ncname_char(c: char) -> bool {
    is_ncname_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Byte classes for ASCII, one table lookup per byte on the hot path.
const NAME_START: u8 = 1;
const NAME: u8 = 2;

#[expect(
    clippy::as_conversions,
    clippy::indexing_slicing,
    reason = "const evaluation over 0..128: `i as u8` is lossless and `table[i]` in bounds"
)]
static ASCII_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        let start = b.is_ascii_alphabetic() || b == b'_';
        let name = start || b.is_ascii_digit() || b == b'-' || b == b'.';
        table[i] = if start {
            NAME_START | NAME
        } else if name {
            NAME
        } else {
            0
        };
        i += 1;
    }
    table
};

fn ascii_class(b: u8) -> u8 {
    ASCII_CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

/// Length in bytes of the longest `NCName` at the start of `input` (0 when there is none).
///
/// `input` must be valid UTF-8 from its first byte (it is a suffix of a validated document
/// cut at an ASCII delimiter). Stops at the first byte that cannot continue the name, which
/// includes `:`. Runs of ASCII name characters take one table lookup per byte.
pub(crate) fn ncname_len(input: &[u8]) -> usize {
    let mut i = match input.first() {
        None => return 0,
        Some(&b) if b < 0x80 => {
            if ascii_class(b) & NAME_START == 0 {
                return 0;
            }
            1
        }
        Some(_) => match decode_scalar(input) {
            Some((c, len)) if is_ncname_start_char(c) => len,
            _ => return 0,
        },
    };
    loop {
        while let Some(&b) = input.get(i) {
            if b >= 0x80 || ascii_class(b) & NAME == 0 {
                break;
            }
            i = i.saturating_add(1);
        }
        match input.get(i) {
            Some(&b) if b >= 0x80 => match decode_scalar(input.get(i..).unwrap_or_default()) {
                Some((c, len)) if is_ncname_char(c) => i = i.saturating_add(len),
                _ => return i,
            },
            _ => return i,
        }
    }
}

/// Decodes the scalar value at the start of `bytes` (valid UTF-8 assumed, checked anyway).
pub(crate) fn decode_scalar(bytes: &[u8]) -> Option<(char, usize)> {
    let first = *bytes.first()?;
    let len = match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    let s = core::str::from_utf8(bytes.get(..len)?).ok()?;
    let c = s.chars().next()?;
    Some((c, len))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn char_production_boundaries() {
        for c in [
            '\u{9}',
            '\u{A}',
            '\u{D}',
            ' ',
            '\u{D7FF}',
            '\u{E000}',
            '\u{FFFD}',
            '\u{10000}',
            '\u{10FFFF}',
        ] {
            assert!(is_xml_char(c), "{c:?} is a Char");
        }
        for c in [
            '\u{0}', '\u{8}', '\u{B}', '\u{C}', '\u{1F}', '\u{FFFE}', '\u{FFFF}',
        ] {
            assert!(!is_xml_char(c), "{c:?} is not a Char");
        }
    }

    #[test]
    fn ascii_table_agrees_with_the_productions() {
        for b in 0u8..128 {
            let c = char::from(b);
            assert_eq!(
                ascii_class(b) & NAME_START != 0,
                is_ncname_start_char(c),
                "start {b}"
            );
            assert_eq!(ascii_class(b) & NAME != 0, is_ncname_char(c), "name {b}");
        }
    }

    /// The naive reference: decode every character.
    fn naive_ncname_len(s: &str) -> usize {
        let mut len = 0;
        for (i, c) in s.chars().enumerate() {
            let ok = if i == 0 {
                is_ncname_start_char(c)
            } else {
                is_ncname_char(c)
            };
            if !ok {
                break;
            }
            len += c.len_utf8();
        }
        len
    }

    proptest::proptest! {
        #[test]
        fn ncname_len_equals_naive(s in "[a-zA-Z0-9_.:\\-\u{B7}\u{C0}-\u{2FF}\u{300}\u{37E}\u{2040}\u{3001}\u{D7}\u{F7} <>=\u{10000}\u{F0000}]{0,12}") {
            proptest::prop_assert_eq!(ncname_len(s.as_bytes()), naive_ncname_len(&s));
        }
    }

    #[test]
    fn ncname_lengths() {
        assert_eq!(ncname_len(b"abc def"), 3);
        assert_eq!(ncname_len(b"a:b"), 1);
        assert_eq!(ncname_len(b"-a"), 0);
        assert_eq!(ncname_len(b"1a"), 0);
        assert_eq!(ncname_len(b"_x.y-z9>"), 7);
        assert_eq!(ncname_len("\u{C0}\u{B7}\u{300}=".as_bytes()), 6);
        assert_eq!(
            ncname_len("\u{B7}a".as_bytes()),
            0,
            "U+00B7 may not start a name"
        );
        assert_eq!(
            ncname_len("a\u{D7}".as_bytes()),
            1,
            "U+00D7 is not a name character"
        );
        assert_eq!(ncname_len("x\u{203F}".as_bytes()), 4);
        assert_eq!(ncname_len(b""), 0);
    }
}
