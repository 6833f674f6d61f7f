//! Entry points for the fuzz targets in `fuzz/`. Unstable: not part of the public API.
//!
//! Each function exercises one public entry point on arbitrary bytes and checks the
//! invariants that must hold for every input; a violated invariant panics, which is how a
//! fuzzer reports it. They are library code only so that the fuzz crate and the corpus-replay
//! test share one definition.
#![allow(
    clippy::panic,
    reason = "a fuzz oracle reports a broken invariant by panicking"
)]

use crate::xml::{canonical, Comments, Document, Reader};

/// The reader on arbitrary bytes: never panics; on success the tree agrees with it.
pub fn xml_reader(data: &[u8]) {
    let streamed = Reader::new(data).validate();
    let tree = Document::parse(data);
    match (&streamed, &tree) {
        (Ok(_), Ok(_)) => {}
        (Err(a), Err(b)) if a == b => {}
        _ => panic!(
            "reader and tree disagree: {streamed:?} vs {:?}",
            tree.as_ref().map(Document::node_count)
        ),
    }
}

/// Parse → canonical → parse is the identity on the tree, and canonical form is a fixed point.
pub fn xml_roundtrip(data: &[u8]) {
    let Ok(doc) = Document::parse(data) else {
        return;
    };
    for comments in [Comments::Keep, Comments::Strip] {
        let first = canonical(&doc, comments);
        let reparsed = match Document::parse(&first) {
            Ok(d) => d,
            Err(e) => panic!(
                "canonical output rejected: {e}\n{}",
                String::from_utf8_lossy(&first)
            ),
        };
        if comments == Comments::Keep && reparsed != doc {
            panic!(
                "round trip changed the tree:\n{}",
                String::from_utf8_lossy(&first)
            );
        }
        let second = canonical(&reparsed, comments);
        if first != second {
            panic!(
                "canonical form is not idempotent:\n{}\n{}",
                String::from_utf8_lossy(&first),
                String::from_utf8_lossy(&second)
            );
        }
    }
}
