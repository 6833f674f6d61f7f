//! The text inspector against a naive reference (decode the whole text with `str::from_utf8`,
//! then walk its characters), whole and at every chunking.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use crossguard::inspect::text::{validate_text, TextLimits, TextValidator};
use proptest::prelude::*;

type Outcome = Result<(u64, u64), (String, u64, u64, u64)>;

/// The reference: the rules applied to decoded characters, in byte order.
fn naive(bytes: &[u8], limits: TextLimits) -> Outcome {
    let cut = bytes.len().min(limits.max_input_bytes as usize);
    let prefix = &bytes[..cut];
    let (text, bad) = match std::str::from_utf8(prefix) {
        Ok(t) => (t, None),
        Err(e) => {
            let text = std::str::from_utf8(&prefix[..e.valid_up_to()]).unwrap();
            // A sequence cut by the input limit (more bytes beyond it) is not an error yet.
            let truncated_by_limit = e.error_len().is_none() && cut < bytes.len();
            (text, (!truncated_by_limit).then_some(e.valid_up_to()))
        }
    };
    let (mut line, mut col, mut line_start, mut after_cr) = (1u64, 1u64, 0usize, false);
    for (off, c) in text.char_indices() {
        let cp = c as u32;
        let fail = |code: &str, at: usize, line: u64, col: u64| {
            Err((code.to_owned(), at as u64, line, col))
        };
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            return fail("control-character", off, line, col);
        }
        if (0x202A..=0x202E).contains(&cp) || (0x2066..=0x2069).contains(&cp) {
            return fail("bidi-control", off, line, col);
        }
        if c == '\n' || c == '\r' {
            if !(c == '\n' && after_cr) {
                line += 1;
            }
            after_cr = c == '\r';
            line_start = off + 1;
            col = 1;
            continue;
        }
        after_cr = false;
        if (off + c.len_utf8() - line_start) as u64 > limits.max_line_bytes {
            return fail("line-too-long", line_start, line, 1);
        }
        col += 1;
    }
    if let Some(at) = bad {
        return Err(("invalid-utf8".to_owned(), at as u64, line, col));
    }
    if cut < bytes.len() {
        return Err(("input-too-large".to_owned(), cut as u64, line, col));
    }
    let open = (cut > line_start) as u64;
    Ok((line - 1 + open, text.chars().count() as u64))
}

fn streamed(bytes: &[u8], cuts: &[usize], limits: TextLimits) -> Outcome {
    let mut v = TextValidator::new(limits);
    let mut points: Vec<usize> = cuts.iter().map(|&c| c.min(bytes.len())).collect();
    points.sort_unstable();
    points.push(bytes.len());
    let mut at = 0;
    let shape = |e: crossguard::inspect::text::TextError| {
        (e.code().to_owned(), e.offset(), e.line(), e.column())
    };
    for p in points {
        v.feed(&bytes[at..p]).map_err(shape)?;
        at = p;
    }
    v.finish().map(|s| (s.lines, s.chars)).map_err(shape)
}

const LIMITS: TextLimits = TextLimits {
    max_input_bytes: 200,
    max_line_bytes: 12,
};

const SAMPLES: &[&[u8]] = &[
    b"plain text\nsecond line\r\nthird\rfourth",
    "caf\u{e9} \u{20ac}5 \u{1F600}\ttab\n".as_bytes(),
    "access \u{202E}nimda\u{202C}".as_bytes(),
    "isolate \u{2066}x\u{2069}".as_bytes(),
    "c1 \u{85} next line".as_bytes(),
    b"nul \x00 byte",
    b"del \x7f",
    b"esc \x1b[31m",
    b"bad \xff byte",
    b"overlong \xc0\xaf",
    b"surrogate \xed\xa0\x80",
    b"cut \xe2\x82",
    b"abcd\xe2\x82\x41",
    b"exactly twelv\nthirteen byte",
    "line of twelve \u{e9}\u{e9}".as_bytes(),
    b"",
    b"\r\n\r\n\n\r",
];

#[test]
fn samples_agree_with_the_reference_at_every_split() {
    for sample in SAMPLES {
        let expected = naive(sample, LIMITS);
        let whole = validate_text(sample, LIMITS)
            .map(|s| (s.lines, s.chars))
            .map_err(|e| (e.code().to_owned(), e.offset(), e.line(), e.column()));
        assert_eq!(whole, expected, "{:?}", String::from_utf8_lossy(sample));
        for cut in 0..=sample.len() {
            assert_eq!(
                streamed(sample, &[cut], LIMITS),
                expected,
                "{:?} at {cut}",
                String::from_utf8_lossy(sample)
            );
        }
        let every: Vec<usize> = (0..=sample.len()).collect();
        assert_eq!(streamed(sample, &every, LIMITS), expected);
    }
}

#[test]
fn the_rules_name_what_they_refuse() {
    let code = |s: &[u8]| {
        validate_text(s, TextLimits::default())
            .map(|_| ())
            .map_err(|e| e.code())
    };
    assert_eq!(code(b"ok\tfine\r\n"), Ok(()));
    assert_eq!(
        code("\u{200F}marks are fine\u{200E}\u{61C}".as_bytes()),
        Ok(())
    );
    for bidi in [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}',
    ] {
        assert_eq!(
            code(format!("a{bidi}b").as_bytes()),
            Err("bidi-control"),
            "{bidi:?}"
        );
    }
    for c in (0u32..0x20).chain([0x7F]).chain(0x80..0xA0) {
        if matches!(c, 0x09 | 0x0A | 0x0D) {
            continue;
        }
        let c = char::from_u32(c).unwrap();
        assert_eq!(
            code(format!("a{c}b").as_bytes()),
            Err("control-character"),
            "{c:?}"
        );
    }
    assert_eq!(code(b"a\xf5b"), Err("invalid-utf8"));
    let long = "x".repeat(70_000);
    assert_eq!(code(long.as_bytes()), Err("line-too-long"));
    let mut v = TextValidator::new(TextLimits {
        max_input_bytes: 10,
        max_line_bytes: 100,
    });
    v.feed(b"0123456789").unwrap();
    assert_eq!(
        v.feed(b"x").map_err(|e| (e.code(), e.offset())),
        Err(("input-too-large", 10))
    );
}

/// Pieces whose combinations reach every rule and every boundary case.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[a-z ]{0,9}".prop_map(String::into_bytes),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\t".to_vec()),
        Just("\u{e9}".as_bytes().to_vec()),
        Just("\u{20ac}".as_bytes().to_vec()),
        Just("\u{1F600}".as_bytes().to_vec()),
        Just("\u{202E}".as_bytes().to_vec()),
        Just("\u{2069}".as_bytes().to_vec()),
        Just("\u{85}".as_bytes().to_vec()),
        Just(b"\x00".to_vec()),
        Just(b"\x7f".to_vec()),
        Just(b"\xff".to_vec()),
        Just(b"\xe2\x82".to_vec()),
        Just(b"\xed\xa0\x80".to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn streaming_equals_the_reference(
        pieces in proptest::collection::vec(piece(), 0..40),
        cuts in proptest::collection::vec(any::<usize>(), 0..5),
        line in 1u64..30,
        input in 1u64..300,
    ) {
        let bytes: Vec<u8> = pieces.concat();
        let limits = TextLimits { max_input_bytes: input, max_line_bytes: line };
        let cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        prop_assert_eq!(streamed(&bytes, &cuts, limits), naive(&bytes, limits));
    }
}

#[test]
fn the_sample_files_are_judged_by_their_directory() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/text");
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("valid")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            validate_text(&bytes, TextLimits::default()).is_ok(),
            "{}",
            path.display()
        );
        checked += 1;
    }
    for dir in std::fs::read_dir(root.join("invalid")).unwrap() {
        let dir = dir.unwrap().path();
        let code = dir.file_name().unwrap().to_str().unwrap().to_owned();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let e = validate_text(&bytes, TextLimits::default()).unwrap_err();
            assert_eq!(e.code(), code, "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 10);
}
