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

/// ESS labels: a decoded label re-encodes to DER that decodes to the same label, encoding is a
/// fixed point, and an input in the canonical encoding re-encodes to itself byte for byte (so
/// the decoder accepts no second encoding of a value, beyond the documented tolerances).
pub fn label_ess(data: &[u8]) {
    use crate::label::ess::EssLabel;
    use crate::label::security_category::Encoding;
    let Ok((label, encoding)) = EssLabel::decode_noting_encoding(data) else {
        return;
    };
    let first = label.encode();
    if encoding == Encoding::Canonical && first != data {
        panic!("canonical input re-encoded differently:\n{data:02x?}\n{first:02x?}");
    }
    let again = match EssLabel::decode(&first) {
        Ok(l) => l,
        Err(e) => panic!("re-encoding rejected: {e}\n{first:02x?}"),
    };
    if again != label {
        panic!("round trip changed the label:\n{label:?}\n{again:?}");
    }
    if again.encode() != first {
        panic!("encoding is not a fixed point:\n{first:02x?}");
    }
}

/// Clearances (bare or in an Attribute): as [`label_ess`], with the RFC 3281 form rewritten to
/// the current one by the encoder, and each value also surviving the legacy encoder.
pub fn clearance_der(data: &[u8]) {
    use crate::label::clearance_der::{ClearanceDer, ClearanceForm, ClearanceInput};
    use crate::label::security_category::Encoding;
    let Ok((read, encoding)) = ClearanceInput::decode_noting_encoding(data) else {
        return;
    };
    let first = read.encode();
    if encoding == Encoding::Canonical && first != data {
        panic!("canonical input re-encoded differently:\n{data:02x?}\n{first:02x?}");
    }
    let again = match ClearanceInput::decode(&first) {
        Ok(r) => r,
        Err(e) => panic!("re-encoding rejected: {e}\n{first:02x?}"),
    };
    let expected = read.in_current_form();
    if again != expected {
        panic!("round trip changed the clearances:\n{expected:?}\n{again:?}");
    }
    if again.encode() != first {
        panic!("encoding is not a fixed point:\n{first:02x?}");
    }
    for clearance in again.clearances() {
        let legacy = clearance.encode_in(ClearanceForm::Legacy);
        match ClearanceDer::decode(&legacy) {
            Ok(back)
                if back.form() == ClearanceForm::Legacy && back.encode() == clearance.encode() => {}
            other => panic!("legacy form does not round-trip: {other:?}\n{legacy:02x?}"),
        }
    }
}
