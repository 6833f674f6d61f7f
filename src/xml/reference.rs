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

/// Parses the reference at the start of `input` (which begins with `&`).
///
/// Returns the character it stands for and the bytes consumed.
pub(crate) fn parse_reference(input: &[u8]) -> Result<(char, usize), XmlErrorKind> {
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
