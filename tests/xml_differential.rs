//! Differential test against roxmltree on generated DTD-free documents, valid and mutated:
//! both accept or both reject, and when both accept they see the same tree.
//!
//! Justified differences (inputs where crossguard is deliberately stricter or roxmltree
//! deviates), excluded by `known_difference` below:
//! - roxmltree takes `&str`, so it never sees a byte-order mark or invalid UTF-8; the test
//!   feeds it the text after the BOM, and only UTF-8 inputs.
//! - Where crossguard rejects and roxmltree accepts, the difference is justified only for these
//!   error kinds (`justified_strictness`), each a rule roxmltree does not enforce:
//!   - `unsupported-encoding`, `unsupported-version`: roxmltree ignores the encoding name and
//!     accepts `1.x` versions; crossguard takes UTF-8/US-ASCII and `1.0` only, by policy;
//!   - `empty-prefixed-namespace`: `xmlns:p=""` is forbidden by Namespaces in XML 1.0 (only
//!     1.1 allows undeclaring a prefix);
//!   - `malformed-xml-declaration`: roxmltree checks the XML declaration loosely (seen: it
//!     accepts `version=".0"` and `<?xml< version='1.0'?>`); crossguard applies productions
//!     23–26 and 80–81 exactly;
//!   - `misplaced-xml-declaration`: `<?xml ...?>` anywhere but at the start is a PI whose
//!     target production 17 excludes;
//!   - `invalid-qualified-name` for a name with a leading colon (`<a :b='1'/>`): Namespaces in
//!     XML 1.0 §3 (roxmltree rejects the other malformed QNames);
//!   - `invalid-name` for a PI target with a colon (Namespaces in XML 1.0 §7);
//!   - `reserved-pi-target`: production 17 excludes every case variant of `xml` as a target;
//!   - `unexpected` after a PI target: production 16 requires whitespace between the target
//!     and the data (`<?p#i?>` is not well-formed).
//!   The reverse (roxmltree rejects, crossguard accepts) is never excused.
//! - roxmltree does not apply end-of-line handling (XML 1.0 §2.11) to comments and processing
//!   instructions; the comparison normalises its CR and CR LF there to LF, as the spec says.
//! - roxmltree does not normalise a literal CR in text when a reference follows it
//!   (`\r&#13;`); where the input has a literal CR, text is compared with CR folded to LF.
//! - roxmltree's tree does not keep whitespace-only text outside the root (neither do we) and
//!   trims nothing else; both keep CDATA merged into text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

mod common;

use common::{crossguard_shape, document_strategy, roxmltree_shape, serialize};
use crossguard::xml::{Document, XmlError, XmlErrorKind};
use proptest::prelude::*;

/// Where crossguard rejects and roxmltree accepts for a documented reason (module docs).
fn justified_strictness(error: &XmlError, text: &str) -> Option<&'static str> {
    let at_fault = text.as_bytes().get(error.offset()..).unwrap_or_default();
    match error.kind() {
        XmlErrorKind::InvalidQualifiedName if at_fault.first() == Some(&b':') => {
            Some("Namespaces in XML 1.0 section 3: a QName does not start with a colon")
        }
        XmlErrorKind::MalformedXmlDeclaration { .. } => {
            Some("roxmltree does not check productions 23-26 and 80-81 fully")
        }
        XmlErrorKind::MisplacedXmlDeclaration => {
            Some("production 17 excludes 'xml' as a PI target")
        }
        XmlErrorKind::InvalidName {
            context: "processing-instruction target",
        } if at_fault
            .iter()
            .take_while(|&&b| b != b'?' && !b.is_ascii_whitespace())
            .any(|&b| b == b':') =>
        {
            Some("Namespaces in XML 1.0 section 7: PI targets contain no colon")
        }
        XmlErrorKind::UnsupportedEncoding { .. } => Some("roxmltree ignores the declared encoding"),
        XmlErrorKind::UnsupportedVersion { .. } => Some("roxmltree accepts XML 1.x versions"),
        XmlErrorKind::EmptyPrefixedNamespace { .. } => Some("Namespaces 1.0 forbids xmlns:p=\"\""),
        XmlErrorKind::ReservedPiTarget => {
            Some("production 17 excludes every case variant of 'xml'")
        }
        XmlErrorKind::Unexpected { expected }
            if expected.contains("processing-instruction target") =>
        {
            Some("production 16 requires whitespace between the PI target and its data")
        }
        _ => None,
    }
}

fn compare(bytes: &[u8]) -> Result<(), TestCaseError> {
    let ours = Document::parse(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        prop_assert!(ours.is_err(), "accepted invalid UTF-8");
        return Ok(());
    };
    let theirs = roxmltree::Document::parse_with_options(
        text.strip_prefix('\u{feff}').unwrap_or(text),
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..roxmltree::ParsingOptions::default()
        },
    );
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            let (ours, theirs) = (crossguard_shape(a), roxmltree_shape(b));
            if ours != theirs && text.contains('\r') {
                // roxmltree leaves a literal CR unnormalised when a reference follows it in
                // text (`\r&#13;` gives it "\r\r"; XML 1.0 section 2.11 gives "\n\r"). Compare
                // with CR folded to LF on both sides: every other difference still fails.
                let fold = |shape: Vec<String>| {
                    shape
                        .into_iter()
                        .map(|s| s.replace("\\r", "\\n"))
                        .collect::<Vec<_>>()
                };
                prop_assert_eq!(fold(ours), fold(theirs), "{:?}", text);
            } else {
                prop_assert_eq!(ours, theirs, "{:?}", text);
            }
        }
        (Err(_), Err(_)) => {}
        (Err(e), Ok(_)) if justified_strictness(e, text).is_some() => {}
        (a, b) => prop_assert!(
            false,
            "disagreement on {:?}: crossguard {:?}, roxmltree {:?}",
            text,
            a.as_ref().err(),
            b.as_ref().err()
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn agrees_with_roxmltree_on_generated_documents(model in document_strategy(), seed in any::<u64>()) {
        compare(&serialize(&model, seed))?;
    }

    #[test]
    fn agrees_with_roxmltree_on_mutated_documents(
        model in document_strategy(),
        seed in any::<u64>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..3, any::<u8>()), 1..3),
    ) {
        let mut bytes = serialize(&model, seed);
        for (at, op, byte) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            let special = b"<>&;:/=\"'?!-[]x \r\n#"[usize::from(byte) % 19];
            match op {
                0 => { bytes.remove(i); }
                1 => bytes.insert(i, special),
                _ => bytes[i] = special,
            }
        }
        compare(&bytes)?;
    }
}

/// Hand-picked cases in areas where XML parsers commonly differ.
#[test]
fn agrees_on_edge_cases() {
    let cases: &[&str] = &[
        "<a/>",
        "<a>]]></a>",
        "<a>]]&gt;</a>",
        "<a b='<'/>",
        "<a>&#0;</a>",
        "<a>&#x10FFFF;</a>",
        "<a xmlns:p=''/>",
        "<a xmlns:xml='http://www.w3.org/XML/1998/namespace'/>",
        "<a xmlns:xmlns='http://www.w3.org/2000/xmlns/'/>",
        "<a xmlns:p='urn:u' xmlns:q='urn:u' p:x='1' q:x='2'/>",
        "<?xml version='1.0'?><a/>",
        " <?xml version='1.0'?><a/>",
        "<a><?xml version='1.0'?></a>",
        "<a><?XML x?></a>",
        "<!-- a -- b --><a/>",
        "<a><!-- a ---></a>",
        "<a:b:c xmlns:a='u'/>",
        "<a/><b/>",
        "<a/>x",
        "<a></a >",
        "<a></ a>",
        "<a b='1'c='2'/>",
        "<a>&amp</a>",
        "<\u{b7}a/>",
        "<a\u{b7}/>",
        "<?pi?><a/>",
        "<a><?p:i?></a>",
        "<a :b='1'/>",
        "<:a/>",
    ];
    for case in cases {
        compare(case.as_bytes()).unwrap_or_else(|e| panic!("{case:?}: {e}"));
    }
}
