//! How far a piece of markup reaches: the bytes the reader may read to parse a start tag, an
//! end tag, a processing instruction or the XML declaration (productions 40, 42, 44, 16, 23).
//!
//! The reader reads such markup whole. [`markup_extent`] finds, without parsing, a byte at
//! which the reader is certain to stop: the closing `>` (outside quoted values where the
//! grammar has them), or a `<`, which can never occur inside markup. Everything the reader
//! decides about the markup — accept it or reject it, and where — depends only on the bytes
//! before that point. Two uses follow:
//!
//! - [`XmlLimits::max_markup_bytes`](crate::limits::XmlLimits::max_markup_bytes): markup
//!   whose extent is not within the limit is refused at its start, by the whole-buffer reader
//!   and the stream alike;
//! - the stream ([`super::XmlStream`]) knows that a parse of markup cut short by the end of a
//!   chunk failed only for want of bytes, and waits for the next chunk.

use memchr::{memchr2, memmem};

/// The kinds of markup the reader holds whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Markup {
    /// `<name ...>` or `<name .../>`: quoted attribute values may hold `>`.
    StartTag,
    /// `</name>`.
    EndTag,
    /// `<?target data?>`: the data may hold quotes, which mean nothing.
    ProcessingInstruction,
    /// `<?xml version='1.0' ...?>` at the start of a document: quoted values may hold `?>`.
    Declaration,
}

/// Length of the markup at the start of `bytes` (which starts with `<`) up to and including
/// the byte where the reader stops reading it; `None` when `bytes` ends first.
pub(crate) fn markup_extent(kind: Markup, bytes: &[u8]) -> Option<usize> {
    match kind {
        // The reader stops at a `<` inside an attribute value (an error)...
        Markup::StartTag => quoted_extent(bytes, true, |rest| {
            rest.first().filter(|&&b| b == b'>').map(|_| 1)
        }),
        // ...but reads a quoted declaration value to its closing quote.
        Markup::Declaration => {
            quoted_extent(bytes, false, |rest| rest.starts_with(b"?>").then_some(2))
        }
        Markup::EndTag => {
            let body = bytes.get(1..)?;
            memchr2(b'>', b'<', body).map(|i| i.saturating_add(2))
        }
        Markup::ProcessingInstruction => {
            let body = bytes.get(2..)?;
            let end = memmem::find(body, b"?>").map(|i| i.saturating_add(4));
            let lt = body
                .iter()
                .position(|&b| b == b'<')
                .map(|i| i.saturating_add(3));
            // A `<` in the data is data: only the `?>` ends a processing instruction. But the
            // target is a name, and a `<` ends it (the reader stops there with an error).
            match (end, lt) {
                (Some(end), _) => Some(end),
                (None, Some(lt)) if !target_continues_to(body, lt.saturating_sub(3)) => Some(lt),
                _ => None,
            }
        }
    }
}

/// Whether the processing-instruction target (and the whitespace after it) runs without a
/// break up to `at`, so that a `<` there is the first byte after the target, where the reader
/// stops. Otherwise the `<` lies in the data, which only `?>` ends.
fn target_continues_to(body: &[u8], at: usize) -> bool {
    body.get(..at)
        .unwrap_or_default()
        .iter()
        .any(|&b| super::chars::is_space(b))
}

/// The extent of markup whose quoted values may hold its closing delimiter: the first `<`
/// outside quotes (or anywhere, when `lt_in_quotes_stops`), or the first place outside
/// quotes where `closes` matches (its length is added).
fn quoted_extent(
    bytes: &[u8],
    lt_in_quotes_stops: bool,
    closes: impl Fn(&[u8]) -> Option<usize>,
) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        if b == b'<' && (quote.is_none() || lt_in_quotes_stops) {
            return Some(i.saturating_add(1));
        }
        match quote {
            Some(q) if q == b => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None => {
                if let Some(len) = closes(bytes.get(i..).unwrap_or_default()) {
                    return Some(i.saturating_add(len));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_tags_end_at_the_first_gt_outside_quotes_or_at_any_lt() {
        let e = |s: &str| markup_extent(Markup::StartTag, s.as_bytes());
        assert_eq!(e("<a x='>'>rest"), Some(9));
        assert_eq!(e("<a/>"), Some(4));
        assert_eq!(e("<a x='<'>"), Some(7));
        assert_eq!(e("<a x=\"'\">"), Some(9));
        assert_eq!(e("<a x='1'"), None);
    }

    #[test]
    fn end_tags_pis_and_declarations() {
        assert_eq!(markup_extent(Markup::EndTag, b"</a >x"), Some(5));
        assert_eq!(markup_extent(Markup::EndTag, b"</a"), None);
        let pi = |s: &str| markup_extent(Markup::ProcessingInstruction, s.as_bytes());
        assert_eq!(pi("<?p a'b?>"), Some(9));
        assert_eq!(pi("<?p <a"), None, "a '<' in the data does not end it");
        assert_eq!(pi("<?p<a"), Some(4), "a '<' right after the target ends it");
        assert_eq!(pi("<?"), None);
        let d = |s: &str| markup_extent(Markup::Declaration, s.as_bytes());
        assert_eq!(d("<?xml version='?>'?>"), Some(20));
        assert_eq!(d("<?xml version='1.0'"), None);
        assert_eq!(d("<?xml version='1.0<?>'<"), Some(23));
    }
}
