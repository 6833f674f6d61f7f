//! The schema's bit-parallel pattern matcher against regex-lite (on the pattern rewritten to
//! ECMA-262's reading, as the schema compiles it).

use crate::json::pattern::SimplePattern;

/// A pattern and a text, split at the first `0xFF` byte (without one, the input is both):
/// compiling the pattern never panics; when it is in the matcher's subset and regex-lite
/// compiles it, both answer the same on the text, and on every prefix and suffix of it cut at
/// a character boundary (so anchors meet texts of every length).
pub fn schema_pattern(data: &[u8]) {
    let (source, text) = match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (
            data.get(..at).unwrap_or_default(),
            data.get(at.saturating_add(1)..).unwrap_or_default(),
        ),
        None => (data, data),
    };
    let Ok(source) = core::str::from_utf8(source) else {
        return;
    };
    let simple = SimplePattern::compile(source);
    let Some(simple) = simple else {
        return;
    };
    let Ok(rewritten) = crate::json::pattern::ecma_pattern(source) else {
        return;
    };
    let Ok(reference) = regex_lite::Regex::new(&rewritten) else {
        return;
    };
    let text = String::from_utf8_lossy(text);
    let mut cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    cuts.push(text.len());
    for &cut in cuts.iter().take(64) {
        for piece in [text.get(..cut), text.get(cut..)].into_iter().flatten() {
            let ours = simple.is_match(piece.as_bytes());
            let theirs = reference.is_match(piece);
            if ours != theirs {
                panic!("pattern {source:?} on {piece:?}: ours {ours}, regex-lite {theirs}");
            }
        }
    }
}
