//! The XML declaration, XML 1.0 §2.8 and §4.3.3.
//!
//! ```text
//! [23] XMLDecl      ::= '<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>'
//! [24] VersionInfo  ::= S 'version' Eq ("'" VersionNum "'" | '"' VersionNum '"')
//! [25] Eq           ::= S? '=' S?
//! [26] VersionNum   ::= '1.' [0-9]+
//! [80] EncodingDecl ::= S 'encoding' Eq ('"' EncName '"' | "'" EncName "'" )
//! [81] EncName      ::= [A-Za-z] ([A-Za-z0-9._] | '-')*
//! [32] SDDecl       ::= S 'standalone' Eq (("'" ('yes' | 'no') "'") | ('"' ('yes' | 'no') '"'))
//! ```
//!
//! Only version `1.0` is accepted, and only the encodings `UTF-8` and `US-ASCII` (names compared
//! case-insensitively, as §4.3.3 requires); anything else is refused with its own error.

use nom::bytes::complete::{tag, take_while};
use nom::character::complete::{multispace0, multispace1};
use nom::IResult;

use super::error::{excerpt, XmlErrorKind};

/// The declared encoding, after the check that it is one we accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeclaredEncoding {
    /// `UTF-8` (in any letter case).
    Utf8,
    /// `US-ASCII` (in any letter case): every byte of the document must then be ASCII.
    UsAscii,
}

/// A parsed XML declaration. Fields borrow the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Declaration<'input> {
    /// The version number as written (always `1.0` once accepted).
    pub version: &'input str,
    /// The encoding name as written, when declared.
    pub encoding: Option<&'input str>,
    /// The encoding it names, when declared.
    pub declared_encoding: Option<DeclaredEncoding>,
    /// The standalone document declaration, when present.
    pub standalone: Option<bool>,
}

type Failure = (XmlErrorKind, usize);

/// Parses an XML declaration at the start of `input`; returns it and the bytes consumed.
///
/// Errors carry the offset within `input` where the fault lies.
pub(crate) fn parse_declaration(input: &[u8]) -> Result<(Declaration<'_>, usize), Failure> {
    let at = |rest: &[u8]| input.len().saturating_sub(rest.len());
    let malformed = |expected: &'static str, rest: &[u8]| {
        (XmlErrorKind::MalformedXmlDeclaration { expected }, at(rest))
    };

    let (rest, _) =
        nom_step(tag(&b"<?xml"[..])(input)).ok_or_else(|| malformed("'<?xml'", input))?;
    let (rest, _) = nom_step(multispace1(rest))
        .ok_or_else(|| malformed("whitespace before 'version'", rest))?;
    let (rest, _) =
        nom_step(tag(&b"version"[..])(rest)).ok_or_else(|| malformed("'version'", rest))?;
    let (rest, version) =
        eq_and_quoted(rest).ok_or_else(|| malformed("'=' and a quoted version number", rest))?;
    let version_at = at(rest).saturating_sub(version.len()).saturating_sub(1);
    let version = utf8(version).ok_or_else(|| malformed("version number", rest))?;
    if !is_version_num(version) {
        return Err((
            XmlErrorKind::MalformedXmlDeclaration {
                expected: "version number '1.0'",
            },
            version_at,
        ));
    }
    if version != "1.0" {
        return Err((
            XmlErrorKind::UnsupportedVersion {
                declared: excerpt(version),
            },
            version_at,
        ));
    }

    let mut declaration = Declaration {
        version,
        encoding: None,
        declared_encoding: None,
        standalone: None,
    };
    let (mut rest, mut spaced) = spaces(rest);
    if spaced && rest.starts_with(b"encoding") {
        let after_keyword = rest.get(b"encoding".len()..).unwrap_or_default();
        let (after, name) = eq_and_quoted(after_keyword)
            .ok_or_else(|| malformed("'=' and a quoted encoding name", after_keyword))?;
        let name_at = at(after).saturating_sub(name.len()).saturating_sub(1);
        let name = utf8(name).filter(|n| is_enc_name(n)).ok_or((
            XmlErrorKind::MalformedXmlDeclaration {
                expected: "encoding name ([A-Za-z][A-Za-z0-9._-]*)",
            },
            name_at,
        ))?;
        let encoding = if name.eq_ignore_ascii_case("UTF-8") {
            DeclaredEncoding::Utf8
        } else if name.eq_ignore_ascii_case("US-ASCII") {
            DeclaredEncoding::UsAscii
        } else {
            return Err((
                XmlErrorKind::UnsupportedEncoding {
                    declared: excerpt(name),
                },
                name_at,
            ));
        };
        declaration.encoding = Some(name);
        declaration.declared_encoding = Some(encoding);
        (rest, spaced) = spaces(after);
    }
    if spaced && rest.starts_with(b"standalone") {
        let after_keyword = rest.get(b"standalone".len()..).unwrap_or_default();
        let (after, value) = eq_and_quoted(after_keyword)
            .ok_or_else(|| malformed("'=' and a quoted 'yes' or 'no'", after_keyword))?;
        declaration.standalone = Some(match value {
            b"yes" => true,
            b"no" => false,
            _ => return Err(malformed("standalone 'yes' or 'no'", after)),
        });
        (rest, _) = spaces(after);
    }
    let (rest, _) = nom_step(tag(&b"?>"[..])(rest)).ok_or_else(|| {
        if rest.is_empty() {
            (
                XmlErrorKind::UnexpectedEof {
                    expected: "XML declaration",
                },
                at(rest),
            )
        } else {
            malformed(
                "'?>' (attributes in the order version, encoding, standalone)",
                rest,
            )
        }
    })?;
    Ok((declaration, at(rest)))
}

fn nom_step<I, O>(result: IResult<I, O>) -> Option<(I, O)> {
    result.ok()
}

fn spaces(input: &[u8]) -> (&[u8], bool) {
    match multispace0::<_, nom::error::Error<&[u8]>>(input) {
        Ok((rest, taken)) => (rest, !taken.is_empty()),
        Err(_) => (input, false),
    }
}

/// `Eq` followed by a single- or double-quoted value without the quote character.
fn eq_and_quoted(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (rest, _) = spaces(input);
    let (rest, _) = nom_step(tag(&b"="[..])(rest))?;
    let (rest, _) = spaces(rest);
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let body = rest.get(1..)?;
    let (after, value) = nom_step(take_while(|b| b != quote)(body))?;
    let after = after.strip_prefix(&[quote][..])?;
    Some((after, value))
}

fn utf8(bytes: &[u8]) -> Option<&str> {
    core::str::from_utf8(bytes).ok()
}

fn is_version_num(v: &str) -> bool {
    v.strip_prefix("1.")
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

fn is_enc_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> (Declaration<'_>, usize) {
        match parse_declaration(input.as_bytes()) {
            Ok(v) => v,
            Err(e) => panic!("{input:?} rejected: {e:?}"),
        }
    }

    fn err(input: &str) -> Failure {
        match parse_declaration(input.as_bytes()) {
            Ok(v) => panic!("{input:?} accepted: {v:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn full_declaration() {
        let (d, used) = ok("<?xml version='1.0' encoding=\"utf-8\" standalone='yes' ?><a/>");
        assert_eq!(
            d,
            Declaration {
                version: "1.0",
                encoding: Some("utf-8"),
                declared_encoding: Some(DeclaredEncoding::Utf8),
                standalone: Some(true)
            }
        );
        assert_eq!(used, 56);
    }

    #[test]
    fn minimal_and_spaced_eq() {
        let (d, used) = ok("<?xml version = \"1.0\"?>");
        assert_eq!(d.version, "1.0");
        assert_eq!(d.encoding, None);
        assert_eq!(used, 23);
        let (d, _) = ok("<?xml\tversion=\"1.0\"\nencoding='US-ASCII'?>");
        assert_eq!(d.declared_encoding, Some(DeclaredEncoding::UsAscii));
    }

    #[test]
    fn rejections() {
        assert_eq!(
            err("<?xml version=\"1.1\"?>"),
            (
                XmlErrorKind::UnsupportedVersion {
                    declared: "1.1".into()
                },
                15
            )
        );
        assert!(matches!(
            err("<?xml version=\"2.0\"?>").0,
            XmlErrorKind::MalformedXmlDeclaration { .. }
        ));
        assert_eq!(
            err("<?xml version='1.0' encoding='ISO-8859-1'?>"),
            (
                XmlErrorKind::UnsupportedEncoding {
                    declared: "ISO-8859-1".into()
                },
                30
            )
        );
        assert!(matches!(
            err("<?xml encoding='UTF-8' version='1.0'?>").0,
            XmlErrorKind::MalformedXmlDeclaration { .. }
        ));
        assert!(matches!(
            err("<?xml version='1.0' standalone='yes' encoding='UTF-8'?>").0,
            XmlErrorKind::MalformedXmlDeclaration { .. }
        ));
        assert!(matches!(
            err("<?xml version='1.0'encoding='UTF-8'?>").0,
            XmlErrorKind::MalformedXmlDeclaration { .. }
        ));
        assert!(matches!(
            err("<?xml version='1.0' standalone='maybe'?>").0,
            XmlErrorKind::MalformedXmlDeclaration { .. }
        ));
        assert!(matches!(
            err("<?xml version=\"1.0'?>").0,
            XmlErrorKind::MalformedXmlDeclaration { .. }
        ));
        assert!(matches!(
            err("<?xml version='1.0' encoding='8bit'?>").0,
            XmlErrorKind::MalformedXmlDeclaration { .. }
        ));
        assert_eq!(
            err("<?xml version='1.0'").0,
            XmlErrorKind::UnexpectedEof {
                expected: "XML declaration"
            }
        );
    }
}
