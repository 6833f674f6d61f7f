//! References and the text transformations of XML 1.0 §2.11, §3.3.3 and §4.1.
//!
//! ```text
//! [66] CharRef   ::= '&#' [0-9]+ ';' | '&#x' [0-9a-fA-F]+ ';'
//! [68] EntityRef ::= '&' Name ';'
//! ```
//!
//! Without a DTD the only entities are `lt`, `gt`, `amp`, `apos` and `quot` (§4.6). A character
//! reference must name a character matching `Char`. Text and attribute values are returned
//! borrowed unless a reference, a carriage return (end-of-line handling, §2.11) or, in
//! attribute values, a literal tab or newline (attribute-value normalisation, §3.3.3) makes a
//! rebuilt copy necessary.

use std::borrow::Cow;

use nom::bytes::complete::{tag, take_while1};
use nom::IResult;

use super::chars::{is_xml_char, ncname_len};
use super::error::{excerpt, XmlErrorKind};
use crate::limits::MAX_XML_REFERENCE_BYTES;

/// Most bytes [`parse_reference`] reads from its `&`, whatever follows: the longest reference
/// allowed, and one character (up to four bytes) after it. A streaming reader holds this many
/// bytes (or the end of the input) before it parses a reference, so that a chunk boundary
/// never changes the outcome.
pub(crate) const REFERENCE_LOOKAHEAD: usize = MAX_XML_REFERENCE_BYTES + 4;

/// Parses the reference at the start of `input` (which begins with `&`).
///
/// Returns the character it stands for and the bytes consumed. A reference whose `&`, `#`,
/// `x` and digits or name run to [`MAX_XML_REFERENCE_BYTES`] bytes or more is refused
/// whatever follows, so the outcome depends on the first [`REFERENCE_LOOKAHEAD`] bytes only.
pub(crate) fn parse_reference(input: &[u8]) -> Result<(char, usize), XmlErrorKind> {
    // The common case first: a short reference read in full is within the limit (its span is
    // shorter than it). Anything else is measured, so that the outcome is the same function
    // of the first bytes either way.
    match parse_unlimited(input) {
        Ok((c, used)) if used <= MAX_XML_REFERENCE_BYTES => Ok((c, used)),
        _ if reference_span(input) >= MAX_XML_REFERENCE_BYTES => {
            Err(XmlErrorKind::ReferenceTooLong {
                limit: MAX_XML_REFERENCE_BYTES,
            })
        }
        other => other,
    }
}

/// [`parse_reference`] without the length limit.
fn parse_unlimited(input: &[u8]) -> Result<(char, usize), XmlErrorKind> {
    if let Ok((rest, c)) = char_reference(input) {
        return Ok((c?, input.len().saturating_sub(rest.len())));
    }
    if input.starts_with(b"&#") {
        return Err(XmlErrorKind::MalformedReference);
    }
    let name_bytes = input.get(1..).unwrap_or_default();
    let len = ncname_len(name_bytes);
    let (Some(name), Some(b';')) = (name_bytes.get(..len), name_bytes.get(len)) else {
        return Err(XmlErrorKind::MalformedReference);
    };
    let c = match name {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"apos" => '\'',
        b"quot" => '"',
        _ if len == 0 => return Err(XmlErrorKind::MalformedReference),
        _ => {
            let name = core::str::from_utf8(name).map_err(|_| XmlErrorKind::MalformedReference)?;
            return Err(XmlErrorKind::UndefinedEntity {
                name: excerpt(name),
            });
        }
    };
    Ok((c, len.saturating_add(2)))
}

/// Length of the `&`, `&#` or `&#x` and the name or digits after it, read within the first
/// [`REFERENCE_LOOKAHEAD`] bytes.
fn reference_span(input: &[u8]) -> usize {
    let window = input.get(..REFERENCE_LOOKAHEAD).unwrap_or(input);
    let run = |from: usize, take: fn(&u8) -> bool| {
        let rest = window.get(from..).unwrap_or_default();
        from.saturating_add(rest.iter().take_while(|b| take(b)).count())
    };
    if window.starts_with(b"&#x") {
        run(3, u8::is_ascii_hexdigit)
    } else if window.starts_with(b"&#") {
        run(2, u8::is_ascii_digit)
    } else {
        ncname_len(window.get(1..).unwrap_or_default()).saturating_add(1)
    }
}

/// `CharRef`; the inner result is the check of the value against `Char`.
fn char_reference(input: &[u8]) -> IResult<&[u8], Result<char, XmlErrorKind>> {
    let (rest, hex) = match tag::<_, _, nom::error::Error<&[u8]>>(&b"&#x"[..])(input) {
        Ok((rest, _)) => (rest, true),
        Err(_) => (tag(&b"&#"[..])(input)?.0, false),
    };
    let (rest, digits) = if hex {
        take_while1(|b: u8| b.is_ascii_hexdigit())(rest)?
    } else {
        take_while1(|b: u8| b.is_ascii_digit())(rest)?
    };
    let (rest, _) = tag(&b";"[..])(rest)?;
    let radix = if hex { 16 } else { 10 };
    let value = digits.iter().try_fold(0u32, |acc, &d| {
        let digit = char::from(d).to_digit(radix)?;
        acc.checked_mul(radix)?.checked_add(digit)
    });
    let c = value
        .and_then(char::from_u32)
        .filter(|&c| is_xml_char(c))
        .ok_or(XmlErrorKind::InvalidCharReference);
    Ok((rest, c))
}

/// Character data as the application sees it: references replaced, line ends normalised.
///
/// `raw` has already been checked by the reader; a reference that fails here is reported
/// rather than skipped (fail closed).
pub(crate) fn text_content(raw: &str) -> Result<Cow<'_, str>, (XmlErrorKind, usize)> {
    rebuild(raw, false)
}

/// An attribute value as the application sees it (CDATA normalisation of §3.3.3).
pub(crate) fn attribute_value(raw: &str) -> Result<Cow<'_, str>, (XmlErrorKind, usize)> {
    rebuild(raw, true)
}

/// Comment, processing-instruction and CDATA content: line ends normalised only.
pub(crate) fn literal_content(raw: &str) -> Cow<'_, str> {
    if !raw.as_bytes().contains(&b'\r') {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
}

fn rebuild(raw: &str, attribute: bool) -> Result<Cow<'_, str>, (XmlErrorKind, usize)> {
    let bytes = raw.as_bytes();
    let special = |b: u8| b == b'&' || b == b'\r' || (attribute && (b == b'\n' || b == b'\t'));
    let Some(first) = bytes.iter().position(|&b| special(b)) else {
        return Ok(Cow::Borrowed(raw));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(raw.get(..first).unwrap_or_default());
    let mut i = first;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'&' => {
                let (c, used) =
                    parse_reference(bytes.get(i..).unwrap_or_default()).map_err(|k| (k, i))?;
                out.push(c);
                i = i.saturating_add(used);
            }
            b'\r' => {
                out.push(if attribute { ' ' } else { '\n' });
                i = i.saturating_add(1);
                if bytes.get(i) == Some(&b'\n') {
                    i = i.saturating_add(1);
                }
            }
            b'\n' | b'\t' if attribute => {
                out.push(' ');
                i = i.saturating_add(1);
            }
            _ => {
                let end = bytes
                    .get(i..)
                    .and_then(|rest| rest.iter().position(|&b| special(b)))
                    .map_or(bytes.len(), |p| p.saturating_add(i));
                out.push_str(raw.get(i..end).ok_or((XmlErrorKind::InvalidUtf8, i))?);
                i = end;
            }
        }
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_references_are_refused_whatever_follows() {
        let too_long = Err(XmlErrorKind::ReferenceTooLong {
            limit: MAX_XML_REFERENCE_BYTES,
        });
        let zeros = |n: usize| format!("&#{}65;", "0".repeat(n));
        // `&#` + 59 zeros + `65` + `;` is 64 bytes (its span 63): the longest accepted.
        assert_eq!(parse_reference(zeros(59).as_bytes()), Ok(('A', 64)));
        assert_eq!(parse_reference(zeros(60).as_bytes()), too_long);
        let name = format!("&{}", "n".repeat(MAX_XML_REFERENCE_BYTES));
        assert_eq!(parse_reference(name.as_bytes()), too_long);
        assert_eq!(parse_reference(format!("{name};").as_bytes()), too_long);
        assert_eq!(
            parse_reference(format!("{name}\u{e9}x").as_bytes()),
            too_long
        );
    }

    #[test]
    fn predefined_and_character_references() {
        assert_eq!(parse_reference(b"&lt;x"), Ok(('<', 4)));
        assert_eq!(parse_reference(b"&quot;"), Ok(('"', 6)));
        assert_eq!(parse_reference(b"&#65;"), Ok(('A', 5)));
        assert_eq!(parse_reference(b"&#x1F600;"), Ok(('\u{1F600}', 9)));
        assert_eq!(parse_reference(b"&#x0000041;"), Ok(('A', 11)));
    }

    #[test]
    fn bad_references() {
        assert_eq!(
            parse_reference(b"&nbsp;"),
            Err(XmlErrorKind::UndefinedEntity {
                name: "nbsp".into()
            })
        );
        assert_eq!(
            parse_reference(b"&lt"),
            Err(XmlErrorKind::MalformedReference)
        );
        assert_eq!(
            parse_reference(b"& ;"),
            Err(XmlErrorKind::MalformedReference)
        );
        assert_eq!(
            parse_reference(b"&#;"),
            Err(XmlErrorKind::MalformedReference)
        );
        assert_eq!(
            parse_reference(b"&#x;"),
            Err(XmlErrorKind::MalformedReference)
        );
        assert_eq!(
            parse_reference(b"&#X41;"),
            Err(XmlErrorKind::MalformedReference)
        );
        assert_eq!(
            parse_reference(b"&#0;"),
            Err(XmlErrorKind::InvalidCharReference)
        );
        assert_eq!(
            parse_reference(b"&#xD800;"),
            Err(XmlErrorKind::InvalidCharReference)
        );
        assert_eq!(
            parse_reference(b"&#xFFFE;"),
            Err(XmlErrorKind::InvalidCharReference)
        );
        assert_eq!(
            parse_reference(b"&#x110000;"),
            Err(XmlErrorKind::InvalidCharReference)
        );
        assert_eq!(
            parse_reference(b"&#99999999999999999999;"),
            Err(XmlErrorKind::InvalidCharReference)
        );
    }

    #[test]
    fn text_is_borrowed_unless_rebuilt() {
        assert!(matches!(
            text_content("plain text"),
            Ok(Cow::Borrowed("plain text"))
        ));
        assert_eq!(
            text_content("a &amp; b\r\nc\rd").as_deref(),
            Ok("a & b\nc\nd")
        );
        assert_eq!(
            text_content("&#13;").as_deref(),
            Ok("\r"),
            "a referenced CR survives"
        );
    }

    #[test]
    fn attribute_values_are_normalised() {
        assert!(matches!(attribute_value("a b"), Ok(Cow::Borrowed("a b"))));
        assert_eq!(attribute_value("a\tb\nc\r\nd").as_deref(), Ok("a b c d"));
        assert_eq!(
            attribute_value("&#9;&#10;").as_deref(),
            Ok("\t\n"),
            "referenced whitespace survives"
        );
    }

    #[test]
    fn literal_content_normalises_line_ends() {
        assert!(matches!(literal_content("a\nb"), Cow::Borrowed(_)));
        assert_eq!(literal_content("a\r\nb\rc"), "a\nb\nc");
    }
}
