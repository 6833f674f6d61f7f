//! True type: what an object is, from its first bytes, never from its name.
//!
//! Containers and binaries are recognised by their signatures so that a flow can deny them by
//! name: PDF, ZIP (and the Office Open XML documents inside ZIP), the OLE compound files of
//! legacy Office, PNG, JPEG, GIF, ELF, PE (`MZ`), Mach-O, and scripts (`#!`). Polyglots that a
//! lenient reader accepts are named too: `#!` after a byte order mark or blank lines is a
//! script, and `%PDF-` anywhere in the first 1024 bytes is a PDF (PDF readers accept junk
//! before the header). Structured text is recognised by reading it: JSON when the head reads as
//! JSON (the JSON validator, stopped at the head's end), XML when it starts with `<?`, `<!` (a
//! comment, a document type declaration) or an element, and a 4774 label when that XML's first
//! element is in the label namespace; otherwise UTF-8 text without NUL is text. Anything else
//! is [`TrueType::Unknown`], which a flow denies.
//!
//! Detection only names the type; the format's own inspector (the XML reader, the JSON and
//! text validators) then decides whether the whole object is valid.
//!
//! ```
//! use crossguard::inspect::detect::{detect, TrueType};
//! assert_eq!(detect(b"%PDF-1.7\n..."), TrueType::Pdf);
//! assert_eq!(detect(br#"{"id": 1}"#), TrueType::Json);
//! assert_eq!(detect(b"2026 annual report\n"), TrueType::Text);
//! assert_eq!(detect(b"\x7fELF\x02\x01"), TrueType::Elf);
//! assert!(TrueType::Json.matches_declared("application/json; charset=utf-8"));
//! assert!(!TrueType::Pdf.matches_declared("application/json"));
//! ```

use crate::json::JsonValidator;
use crate::limits::JsonLimits;

/// Bytes of an object's head that detection reads.
pub const DETECT_HEAD_BYTES: usize = 8 * 1024;

/// What an object is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrueType {
    /// JSON (RFC 8259).
    Json,
    /// A STANAG 4774 confidentiality label (XML whose first element is in its namespace).
    Label4774,
    /// XML.
    Xml,
    /// UTF-8 text.
    Text,
    /// PDF.
    Pdf,
    /// An Office Open XML document (a ZIP holding `[Content_Types].xml`).
    OfficeOpenXml,
    /// A ZIP archive.
    Zip,
    /// An OLE compound file (legacy Office documents).
    OleCompound,
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
    /// An ELF executable or library.
    Elf,
    /// A PE (Windows) executable or library.
    Pe,
    /// A Mach-O executable or library.
    MachO,
    /// A script with a `#!` interpreter line.
    Script,
    /// None of the above.
    Unknown,
}

impl TrueType {
    /// Its name in configuration and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Label4774 => "label-4774",
            Self::Xml => "xml",
            Self::Text => "text",
            Self::Pdf => "pdf",
            Self::OfficeOpenXml => "office-open-xml",
            Self::Zip => "zip",
            Self::OleCompound => "ole-compound",
            Self::Png => "png",
            Self::Jpeg => "jpeg",
            Self::Gif => "gif",
            Self::Elf => "elf",
            Self::Pe => "pe",
            Self::MachO => "mach-o",
            Self::Script => "script",
            Self::Unknown => "unknown",
        }
    }

    /// Whether a declared media type (parameters such as `; charset=` ignored, case-insensitive)
    /// names this type. Structured text also answers to `text/plain` only when it is text:
    /// JSON declared as `text/plain` is a mismatch (a consumer would not parse it as JSON).
    pub fn matches_declared(self, media_type: &str) -> bool {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let accepted: &[&str] = match self {
            Self::Json => &["application/json"],
            Self::Label4774 => &["application/xml", "text/xml", "application/stanag-4774+xml"],
            Self::Xml => &["application/xml", "text/xml"],
            Self::Text => &["text/plain"],
            Self::Pdf => &["application/pdf"],
            Self::OfficeOpenXml => &[
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ],
            Self::Zip => &["application/zip"],
            Self::OleCompound => &["application/msword", "application/vnd.ms-excel"],
            Self::Png => &["image/png"],
            Self::Jpeg => &["image/jpeg"],
            Self::Gif => &["image/gif"],
            Self::Elf | Self::Pe | Self::MachO => {
                &["application/octet-stream", "application/x-executable"]
            }
            Self::Script => &["text/x-shellscript", "application/x-sh"],
            Self::Unknown => &[],
        };
        accepted.contains(&essence.as_str())
    }
}

impl core::fmt::Display for TrueType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The true type of an object whose first bytes are `head` (at most [`DETECT_HEAD_BYTES`] are
/// read; pass the whole object when it is small, so that JSON is read to its end).
pub fn detect(head: &[u8]) -> TrueType {
    let whole = head.len() <= DETECT_HEAD_BYTES;
    let head = head.get(..DETECT_HEAD_BYTES).unwrap_or(head);
    if let Some(t) = signature(head) {
        return t;
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = body
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .unwrap_or(body.len());
    let trimmed = body.get(start..).unwrap_or_default();
    // Signatures a lenient reader still finds after a byte order mark or blank lines (`sh`
    // runs a script whatever comes first; a PDF header may follow junk).
    if trimmed.starts_with(b"#!") {
        return TrueType::Script;
    }
    // A header that starts within the window, read whole.
    let window = head
        .get(..PDF_HEADER_WINDOW.saturating_add(4))
        .unwrap_or(head);
    if memchr::memmem::find(window, b"%PDF-").is_some() {
        return TrueType::Pdf;
    }
    if trimmed.first() == Some(&b'<') && looks_like_xml(trimmed) {
        return if first_element_is_label(trimmed) {
            TrueType::Label4774
        } else {
            TrueType::Xml
        };
    }
    if reads_as_json(body, whole) {
        return TrueType::Json;
    }
    if is_text(head, whole) {
        return TrueType::Text;
    }
    TrueType::Unknown
}

/// File signatures (magic numbers) at offset 0.
fn signature(head: &[u8]) -> Option<TrueType> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    Some(if starts(b"%PDF-") {
        TrueType::Pdf
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") || starts(b"PK\x07\x08") {
        if memchr::memmem::find(head, b"[Content_Types].xml").is_some() {
            TrueType::OfficeOpenXml
        } else {
            TrueType::Zip
        }
    } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        TrueType::OleCompound
    } else if starts(b"\x89PNG\r\n\x1A\n") {
        TrueType::Png
    } else if starts(b"\xFF\xD8\xFF") {
        TrueType::Jpeg
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        TrueType::Gif
    } else if starts(b"\x7FELF") {
        TrueType::Elf
    } else if starts(b"MZ") {
        TrueType::Pe
    } else if starts(b"\xFE\xED\xFA\xCE")
        || starts(b"\xFE\xED\xFA\xCF")
        || starts(b"\xCE\xFA\xED\xFE")
        || starts(b"\xCF\xFA\xED\xFE")
        || starts(b"\xCA\xFE\xBA\xBE")
    {
        TrueType::MachO
    } else if starts(b"#!") {
        TrueType::Script
    } else {
        return None;
    })
}

/// `<?` (an XML declaration or any processing instruction), `<!` (a comment, a document type
/// declaration, a CDATA section) or `<` followed by a name start character: markup an XML
/// reader (or an HTML one) would read, so the XML rules judge it. Read as text, a document
/// type declaration first would carry entities past the XML inspector that forbids them.
fn looks_like_xml(trimmed: &[u8]) -> bool {
    match trimmed.get(1) {
        Some(b'?' | b'!') => true,
        Some(&b) => b.is_ascii_alphabetic() || b == b'_' || b >= 0x80,
        None => false,
    }
}

/// How far into an object a PDF reader looks for `%PDF-` (readers accept a header anywhere in
/// the first kilobyte, so junk before it makes a polyglot).
const PDF_HEADER_WINDOW: usize = 1024;

/// Whether the first start tag declares and uses the 4774 label namespace (a textual look at
/// the tag; the label reader validates it properly later).
fn first_element_is_label(trimmed: &[u8]) -> bool {
    let mut rest = trimmed;
    // Skip the declaration, comments and processing instructions before the first element.
    loop {
        let Some(lt) = memchr::memchr(b'<', rest) else {
            return false;
        };
        rest = rest.get(lt..).unwrap_or_default();
        let skip_to = |end: &[u8], rest: &[u8]| {
            memchr::memmem::find(rest, end).map(|i| i.saturating_add(end.len()))
        };
        let next = if rest.starts_with(b"<?") {
            skip_to(b"?>", rest)
        } else if rest.starts_with(b"<!--") {
            skip_to(b"-->", rest)
        } else {
            let end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
            return element_in_label_namespace(rest.get(1..end).unwrap_or_default());
        };
        match next {
            Some(n) => rest = rest.get(n..).unwrap_or_default(),
            None => return false,
        }
    }
}

/// Whether the start tag `tag` (its text between `<` and `>`) names an element in the 4774
/// label namespace: the element's prefix (or the default namespace) is declared on this tag to
/// the label namespace. A namespace declared on an outer element cannot apply: this is the
/// first element.
fn element_in_label_namespace(tag: &[u8]) -> bool {
    let name_end = tag
        .iter()
        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/'))
        .unwrap_or(tag.len());
    let name = tag.get(..name_end).unwrap_or_default();
    let declaration: Vec<u8> = match memchr::memchr(b':', name) {
        Some(colon) => [b"xmlns:", name.get(..colon).unwrap_or_default()].concat(),
        None => b"xmlns".to_vec(),
    };
    let mut attributes = tag.get(name_end..).unwrap_or_default();
    // Each `name = "value"` (or single-quoted) in turn.
    loop {
        let Some(eq) = memchr::memchr(b'=', attributes) else {
            return false;
        };
        let attribute = attributes.get(..eq).unwrap_or_default().trim_ascii();
        let after = attributes
            .get(eq.saturating_add(1)..)
            .unwrap_or_default()
            .trim_ascii_start();
        let Some((&quote, value_and_rest)) = after.split_first() else {
            return false;
        };
        if quote != b'"' && quote != b'\'' {
            return false;
        }
        let Some(close) = memchr::memchr(quote, value_and_rest) else {
            return false;
        };
        let value = value_and_rest.get(..close).unwrap_or_default();
        if attribute == declaration.as_slice() {
            return value == crate::label::LABEL_NAMESPACE.as_bytes();
        }
        attributes = value_and_rest
            .get(close.saturating_add(1)..)
            .unwrap_or_default();
    }
}

/// Whether `head` reads as JSON: an object or array without a syntax error up to its end (and,
/// for a whole object, at its end). JSON that breaks an I-JSON rule (a duplicate name, a number
/// out of range) or a limit is still JSON: the format inspector refuses it by name.
fn reads_as_json(head: &[u8], whole: bool) -> bool {
    let first = head
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    // A bare scalar (a number, a string, `true`…) is text to a reader; JSON objects and arrays
    // are what is exchanged as JSON (RFC 7493 §4.1).
    if !matches!(first, Some(b'{' | b'[')) {
        return false;
    }
    let mut v = JsonValidator::new(JsonLimits::default());
    let read = v.feed(head).and_then(|()| {
        if whole {
            v.finish().map(|_| ())
        } else {
            Ok(())
        }
    });
    read.map_or_else(|e| !e.kind().is_syntax(), |()| true)
}

/// Valid UTF-8 without NUL (a sequence cut by the end of a partial head is allowed).
fn is_text(head: &[u8], whole: bool) -> bool {
    if head.contains(&0) {
        return false;
    }
    match core::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => !whole && e.error_len().is_none(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_structure() {
        let cases: &[(&[u8], TrueType)] = &[
            (b"%PDF-1.4\n%\xE2\xE3\xCF\xD3", TrueType::Pdf),
            (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", TrueType::OfficeOpenXml),
            (b"PK\x03\x04\x14\x00\x00\x00data.txt", TrueType::Zip),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", TrueType::OleCompound),
            (b"\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR", TrueType::Png),
            (b"\xFF\xD8\xFF\xE0\x00\x10JFIF", TrueType::Jpeg),
            (b"GIF89a\x01\x00", TrueType::Gif),
            (b"\x7FELF\x02\x01\x01", TrueType::Elf),
            (b"MZ\x90\x00\x03", TrueType::Pe),
            (b"\xCF\xFA\xED\xFE\x07\x00", TrueType::MachO),
            (b"#!/bin/sh\nrm -rf /\n", TrueType::Script),
            (b"{\"a\": [1, 2]}", TrueType::Json),
            (b"  \n[1, 2, 3]\n", TrueType::Json),
            (b"[1, 2,", TrueType::Text),
            (b"{\"a\": 1} trailing", TrueType::Text),
            (b"{\"a\": 1, \"a\": 2}", TrueType::Json),
            (b"\xEF\xBB\xBF{\"a\": 1}", TrueType::Json),
            (b"[citation needed] text", TrueType::Text),
            (b"<?xml version=\"1.0\"?><doc/>", TrueType::Xml),
            (b"\xEF\xBB\xBF<doc>text</doc>", TrueType::Xml),
            (b"<!-- note --><s:originatorConfidentialityLabel xmlns:s=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\"/>", TrueType::Label4774),
            (b"<originatorConfidentialityLabel xmlns='urn:nato:stanag:4774:confidentialitymetadatalabel:1:0'/>", TrueType::Label4774),
            // Found in review: the namespace only in an attribute value, or bound to another
            // prefix than the element's, is not a label.
            (b"<doc note=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\"><secret/></doc>", TrueType::Xml),
            (b"<x:doc xmlns:s=\"urn:nato:stanag:4774:confidentialitymetadatalabel:1:0\" xmlns:x=\"urn:x\"/>", TrueType::Xml),
            (b"Plain report.\nSecond line.\n", TrueType::Text),
            (b"< 3 is less than four", TrueType::Text),
            (b"text with a \x00 NUL", TrueType::Unknown),
            (b"\xFF\xFE\x00\x00binary", TrueType::Unknown),
            (b"", TrueType::Text),
        ];
        for (bytes, expected) in cases {
            assert_eq!(
                detect(bytes),
                *expected,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn a_partial_head_is_judged_on_what_it_holds() {
        // A long JSON array whose head ends mid-value is still JSON.
        let mut big = b"[".to_vec();
        while big.len() < DETECT_HEAD_BYTES + 100 {
            big.extend_from_slice(b"{\"k\": \"\xC3\xA9t\xC3\xA9\"}, ");
        }
        assert_eq!(detect(&big), TrueType::Json);
        // Text whose head ends inside a character is still text.
        let mut text = vec![b'a'; DETECT_HEAD_BYTES - 1];
        text.extend_from_slice("\u{e9}\u{e9}".as_bytes());
        assert_eq!(detect(&text), TrueType::Text);
    }

    #[test]
    fn declared_types_match_by_essence() {
        assert!(TrueType::Text.matches_declared("TEXT/PLAIN; charset=utf-8"));
        assert!(TrueType::Label4774.matches_declared("application/xml"));
        assert!(!TrueType::Json.matches_declared("text/plain"));
        assert!(!TrueType::Unknown.matches_declared("application/octet-stream"));
    }
}
