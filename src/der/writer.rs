//! A DER writer (X.690 §8 and §10–11) into a `Vec<u8>`.
//!
//! Lengths are computed (definite, fewest octets), INTEGERs are minimal, named-bit BIT STRINGs
//! drop trailing zero bits, SET OF elements are sorted by their encodings (§11.6) and SET
//! components by their tags (§10.3). The writer cannot fail: the values handed to it are
//! already valid (an [`OidRef`] is validated, strings are `&str`), and each caller that could
//! give it something invalid checks first.
//!
//! ```
//! use crossguard::der::{Tag, Writer};
//! let mut w = Writer::new();
//! w.set_of(Tag::SET, vec![Writer::integer_encoding(1001), Writer::integer_encoding(36)]);
//! assert_eq!(w.into_bytes(), [0x31, 0x07, 0x02, 0x01, 0x24, 0x02, 0x02, 0x03, 0xe9]);
//! ```

use super::oid::OidRef;
use super::reader::{Class, Reader, Tag};

/// Builds a DER encoding.
#[derive(Clone, Debug, Default)]
pub struct Writer {
    out: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The bytes written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.out
    }

    /// A TLV with the given content octets.
    pub fn tlv(&mut self, tag: Tag, content: &[u8]) {
        write_tag(tag, &mut self.out);
        write_length(content.len(), &mut self.out);
        self.out.extend_from_slice(content);
    }

    /// A TLV whose content is written by `build`.
    pub fn constructed(&mut self, tag: Tag, build: impl FnOnce(&mut Writer)) {
        let mut inner = Writer::new();
        build(&mut inner);
        self.tlv(tag, &inner.out);
    }

    /// An already-encoded TLV (or several), copied as given.
    pub fn raw(&mut self, encoded: &[u8]) {
        self.out.extend_from_slice(encoded);
    }

    /// A non-negative INTEGER.
    pub fn integer(&mut self, value: u64) {
        self.tlv(Tag::INTEGER, &integer_content(value));
    }

    /// An OBJECT IDENTIFIER with the universal tag.
    pub fn oid(&mut self, oid: OidRef<'_>) {
        self.tlv(Tag::OBJECT_IDENTIFIER, oid.content());
    }

    /// A BIT STRING (under `tag`) whose set bits are `bits`, in the fewest octets: the last
    /// octet holds the highest set bit, trailing zero bits are dropped and unused bits are zero
    /// (X.690 §11.2). Duplicates are harmless.
    pub fn bit_string(&mut self, tag: Tag, bits: &[u32]) {
        self.tlv(tag, &bit_string_content(bits));
    }

    /// A UTF8String.
    pub fn utf8_string(&mut self, value: &str) {
        self.tlv(Tag::UTF8_STRING, value.as_bytes());
    }

    /// A PrintableString. The caller guarantees the character set.
    pub fn printable_string(&mut self, value: &str) {
        self.tlv(Tag::PRINTABLE_STRING, value.as_bytes());
    }

    /// A SET OF (under `tag`) holding the complete encodings `elements`, sorted ascending
    /// (X.690 §11.6).
    pub fn set_of(&mut self, tag: Tag, mut elements: Vec<Vec<u8>>) {
        elements.sort();
        self.tlv(tag, &elements.concat());
    }

    /// A SET (under `tag`) holding the complete encodings `components`, sorted by their tags
    /// (X.690 §10.3: class, then number — not by encoding, which would put PrintableString
    /// (0x13) before SET (0x31)).
    pub fn set(&mut self, tag: Tag, mut components: Vec<Vec<u8>>) {
        components.sort_by_key(|c| {
            Reader::new(c)
                .peek_tag()
                .ok()
                .flatten()
                .map(|t| (t.class(), t.number()))
                .unwrap_or((Class::Private, u32::MAX))
        });
        self.tlv(tag, &components.concat());
    }

    /// The encoding of one INTEGER, for [`Writer::set_of`].
    pub fn integer_encoding(value: u64) -> Vec<u8> {
        let mut w = Writer::new();
        w.integer(value);
        w.into_bytes()
    }
}

fn write_tag(tag: Tag, out: &mut Vec<u8>) {
    let class_bits: u8 = match tag.class() {
        Class::Universal => 0x00,
        Class::Application => 0x40,
        Class::ContextSpecific => 0x80,
        Class::Private => 0xc0,
    };
    let form_bit: u8 = if tag.is_constructed() { 0x20 } else { 0x00 };
    match u8::try_from(tag.number()) {
        Ok(n) if n < 0x1f => out.push(class_bits | form_bit | n),
        _ => {
            out.push(class_bits | form_bit | 0x1f);
            base128(u64::from(tag.number()), out);
        }
    }
}

/// Minimal base-128, most significant group first, continuation bits on all but the last.
fn base128(value: u64, out: &mut Vec<u8>) {
    let mut groups = [0u8; 10];
    let mut count = 0usize;
    let mut v = value;
    loop {
        if let Some(slot) = groups.get_mut(count) {
            *slot = u8::try_from(v & 0x7f).unwrap_or(0);
        }
        count = count.saturating_add(1);
        v = v.checked_shr(7).unwrap_or(0);
        if v == 0 {
            break;
        }
    }
    for i in (0..count).rev() {
        let g = groups.get(i).copied().unwrap_or(0);
        out.push(if i == 0 { g } else { g | 0x80 });
    }
}

fn write_length(length: usize, out: &mut Vec<u8>) {
    match u8::try_from(length) {
        Ok(short) if short < 0x80 => out.push(short),
        _ => {
            let bytes = length.to_be_bytes();
            let first = bytes.iter().position(|&b| b != 0).unwrap_or(0);
            let significant = bytes.get(first..).unwrap_or_default();
            out.push(0x80 | u8::try_from(significant.len()).unwrap_or(0));
            out.extend_from_slice(significant);
        }
    }
}

fn integer_content(value: u64) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let first = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    let digits = bytes.get(first..).unwrap_or_default();
    let mut out = Vec::with_capacity(digits.len().saturating_add(1));
    if digits.first().is_some_and(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(digits);
    out
}

fn bit_string_content(bits: &[u32]) -> Vec<u8> {
    let Some(&highest) = bits.iter().max() else {
        return vec![0];
    };
    let octets = usize::try_from(highest / 8).map_or(0, |n| n.saturating_add(1));
    let unused = 7u8.saturating_sub(u8::try_from(highest % 8).unwrap_or(0));
    let mut out = vec![0u8; octets.saturating_add(1)];
    if let Some(first) = out.first_mut() {
        *first = unused;
    }
    for &bit in bits {
        let index = usize::try_from(bit / 8).map_or(0, |n| n.saturating_add(1));
        let mask = 0x80u8 >> (bit % 8);
        if let Some(octet) = out.get_mut(index) {
            *octet |= mask;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::der::reader::Form;
    use crate::der::Oid;

    fn tlv(tag: Tag, content: &[u8]) -> Vec<u8> {
        let mut w = Writer::new();
        w.tlv(tag, content);
        w.into_bytes()
    }

    #[test]
    fn lengths_are_minimal() {
        assert_eq!(tlv(Tag::OCTET_STRING, &[])[..], [0x04, 0x00]);
        assert_eq!(tlv(Tag::OCTET_STRING, &[0; 127])[..2], [0x04, 0x7f]);
        assert_eq!(tlv(Tag::OCTET_STRING, &[0; 128])[..3], [0x04, 0x81, 0x80]);
        assert_eq!(
            tlv(Tag::OCTET_STRING, &[0; 256])[..4],
            [0x04, 0x82, 0x01, 0x00]
        );
        for n in [0usize, 1, 127, 128, 255, 256, 65_535, 65_536] {
            let enc = tlv(Tag::OCTET_STRING, &vec![7; n]);
            let read = Reader::new(&enc).read().unwrap();
            assert_eq!(read.value().len(), n);
        }
    }

    #[test]
    fn high_tag_numbers_round_trip() {
        for n in [0u32, 30, 31, 127, 128, 16_383, 16_384, u32::MAX] {
            let tag = Tag::context(n, Form::Constructed);
            let enc = tlv(tag, &[]);
            assert_eq!(Reader::new(&enc).read().unwrap().tag(), tag, "{n}");
        }
    }

    #[test]
    fn integers_are_minimal() {
        for (v, enc) in [
            (0u64, &[0x02, 0x01, 0x00][..]),
            (127, &[0x02, 0x01, 0x7f]),
            (128, &[0x02, 0x02, 0x00, 0x80]),
            (256, &[0x02, 0x02, 0x01, 0x00]),
            (1001, &[0x02, 0x02, 0x03, 0xe9]),
        ] {
            assert_eq!(Writer::integer_encoding(v), enc);
        }
        let max = Writer::integer_encoding(u64::MAX);
        let read = Reader::new(&max).read().unwrap();
        assert_eq!(read.as_integer().unwrap().to_u64(), Some(u64::MAX));
    }

    #[test]
    fn bit_strings_are_minimal() {
        let bits = |b: &[u32]| {
            let mut w = Writer::new();
            w.bit_string(Tag::BIT_STRING, b);
            w.into_bytes()
        };
        assert_eq!(bits(&[]), [0x03, 0x01, 0x00]);
        assert_eq!(bits(&[0, 1, 2]), [0x03, 0x02, 0x05, 0xe0]);
        assert_eq!(bits(&[1]), [0x03, 0x02, 0x06, 0x40]);
        assert_eq!(bits(&[7]), [0x03, 0x02, 0x00, 0x01]);
        assert_eq!(bits(&[8]), [0x03, 0x03, 0x07, 0x00, 0x80]);
        assert_eq!(bits(&[2, 2]), [0x03, 0x02, 0x05, 0x20]);
    }

    #[test]
    fn set_sorts_by_tag_not_by_encoding() {
        let mut w = Writer::new();
        let printable = tlv(Tag::PRINTABLE_STRING, b"x");
        let set = tlv(Tag::SET, &[]);
        let mut int = Vec::new();
        int.extend(Writer::integer_encoding(4));
        let mut oid = Writer::new();
        oid.oid(Oid::from_dotted("1.1").unwrap().as_oid_ref());
        w.set(
            Tag::SET,
            vec![
                printable.clone(),
                set.clone(),
                oid.as_bytes().to_vec(),
                int.clone(),
            ],
        );
        let expected = [int, oid.into_bytes(), set, printable].concat();
        assert_eq!(w.into_bytes()[2..], expected[..]);
    }
}
