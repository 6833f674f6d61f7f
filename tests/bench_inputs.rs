//! The benchmark input generators (`benches/inputs.rs`) are deterministic, sized as documented,
//! and produce documents both crossguard and roxmltree accept.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../benches/inputs.rs"]
mod inputs;

#[test]
fn every_input_is_well_formed() {
    let big = crossguard::limits::XmlLimits {
        max_input_bytes: 64 << 20,
        ..Default::default()
    };
    for (name, input) in [
        ("label", inputs::label()),
        ("spif", inputs::spif()),
        ("tracks", inputs::tracks()),
    ] {
        let doc = crossguard::xml::Document::parse_with_limits(&input, big)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = std::str::from_utf8(&input).unwrap();
        let other =
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: roxmltree: {e}"));
        let elements = other.descendants().filter(|n| n.is_element()).count();
        assert_eq!(
            doc.descendants().filter(|n| n.is_element()).count(),
            elements,
            "{name}"
        );
    }
}

#[test]
fn json_shapes_are_valid_and_sized() {
    for shape in ["ints", "floats", "strings", "objects"] {
        let input = inputs::json_shape(shape, 64 * 1024);
        assert!(
            (64 * 1024..64 * 1024 + 256).contains(&input.len()),
            "{shape}"
        );
        crossguard::json::validate(&input, crossguard::limits::JsonLimits::default())
            .unwrap_or_else(|e| panic!("{shape}: {e}"));
        serde_json::from_slice::<serde_json::Value>(&input).unwrap();
        assert_eq!(
            input,
            inputs::json_shape(shape, 64 * 1024),
            "{shape}: deterministic"
        );
    }
}

#[test]
fn json_records_are_valid_and_sized() {
    for target in [64 * 1024, 1 << 20] {
        let input = inputs::json_records(target);
        assert!(input.len() >= target && input.len() < target + 1024);
        let stats = crossguard::json::validate(&input, crossguard::limits::JsonLimits::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let theirs: serde_json::Value = serde_json::from_slice(&input).unwrap();
        assert!(stats.values > 100);
        assert_eq!(
            theirs.as_array().map(Vec::len),
            Some(
                inputs::json_records(target)
                    .iter()
                    .filter(|&&b| b == b'{')
                    .count()
                    / 2
            )
        );
    }
}

#[test]
fn text_reports_are_valid_text() {
    let input = inputs::text_reports(1 << 20);
    assert!(input.len() >= 1 << 20 && input.len() < (1 << 20) + 1024);
    let limits = crossguard::limits::TextLimits::default();
    let stats = crossguard::inspect::text::validate_text(&input, limits).unwrap();
    assert!(stats.lines > 1000);
    assert!(!input.is_ascii());
}
