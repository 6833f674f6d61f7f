//! The worked examples of `shared/standards.md`, verbatim: the §3.8 example SPIF with its
//! intended behaviours, and the §1.9 example label with its marking.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crossguard::label::{
    map_label, read_label_xml, render_marking, validate, Strictness, Timestamp, ValidLabel,
};
use crossguard::policy::{MarkingCode, Policy, PolicySet};

fn now() -> Timestamp {
    Timestamp::parse_xs_datetime("2026-11-28T00:00:00Z").unwrap()
}

fn policies() -> PolicySet {
    let mut set = PolicySet::new();
    for path in [
        "tests/data/standards/spif-3.8.xml",
        "tests/data/policy/xland.xml",
    ] {
        set.insert(Policy::from_spif(&std::fs::read(path).unwrap()).unwrap())
            .unwrap();
    }
    set
}

/// (`Type`, `TagName`, values) of one `Category`.
type Cat<'a> = (&'a str, &'a str, &'a [&'a str]);

fn label(class: &str, categories: &[Cat<'_>]) -> String {
    let mut cats = String::new();
    for (kind, tag, values) in categories {
        cats.push_str(&format!(r#"<l:Category Type="{kind}" TagName="{tag}">"#));
        for v in *values {
            cats.push_str(&format!("<l:GenericValue>{v}</l:GenericValue>"));
        }
        cats.push_str("</l:Category>");
    }
    format!(
        r#"<l:originatorConfidentialityLabel xmlns:l="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0" ReviewDateTime="2035-01-01T00:00:00Z"><l:ConfidentialityInformation><l:PolicyIdentifier>NATO</l:PolicyIdentifier><l:Classification>{class}</l:Classification>{cats}</l:ConfidentialityInformation><l:CreationDateTime>2025-01-01T12:00:00Z</l:CreationDateTime></l:originatorConfidentialityLabel>"#
    )
}

fn check<'p>(set: &'p PolicySet, xml: &str) -> Result<ValidLabel<'p>, Vec<String>> {
    let read = read_label_xml(xml.as_bytes(), Strictness::Strict).unwrap();
    validate(set, &read.label.body.information, now(), read.warnings)
        .map_err(|e| e.reasons.iter().map(|r| r.code().to_owned()).collect())
}

const AS: &str = "Additional Sensitivity";
const REL: &str = "Releasable To";

#[test]
fn the_3_8_rules_reject_what_the_example_says() {
    let set = policies();
    let cases: [(&str, Vec<Cat<'_>>, &str); 4] = [
        (
            "RESTRICTED",
            vec![("RESTRICTIVE", AS, &["ATOMAL"])],
            "excluded-class",
        ),
        (
            "SECRET",
            vec![("PERMISSIVE", REL, &["AUS"])],
            "required-category",
        ),
        (
            "SECRET",
            vec![
                ("RESTRICTIVE", AS, &["ATOMAL"]),
                ("PERMISSIVE", REL, &["NATO", "SWE"]),
            ],
            "excluded-category",
        ),
        (
            "SECRET",
            vec![("INFORMATIVE", "Administrative", &["STAFF"])],
            "required-class",
        ),
    ];
    for (class, categories, code) in cases {
        let errors = check(&set, &label(class, &categories)).unwrap_err();
        assert_eq!(errors, [code], "{class} {categories:?}");
    }
    // The same labels made right are valid.
    check(
        &set,
        &label("CONFIDENTIAL", &[("RESTRICTIVE", AS, &["ATOMAL"])]),
    )
    .unwrap();
    check(
        &set,
        &label("SECRET", &[("PERMISSIVE", REL, &["NATO", "AUS"])]),
    )
    .unwrap();
    check(
        &set,
        &label(
            "UNCLASSIFIED",
            &[("INFORMATIVE", "Administrative", &["STAFF"])],
        ),
    )
    .unwrap();
}

#[test]
fn the_3_8_markings_render_as_the_example_says() {
    let set = policies();
    let top = check(&set, &label("TOP SECRET", &[])).unwrap();
    assert_eq!(
        render_marking(&top, MarkingCode::PageTopBottom, "en"),
        "COSMIC TOP SECRET"
    );
    let rel = check(
        &set,
        &label("SECRET", &[("PERMISSIVE", REL, &["NATO", "AUS"])]),
    )
    .unwrap();
    assert_eq!(
        render_marking(&rel, MarkingCode::PageTopBottom, "en"),
        "NATO SECRET Releasable to Australia"
    );
    assert_eq!(
        render_marking(&rel, MarkingCode::PageTopBottom, "fr"),
        "NATO SECRET Communicable a Australia"
    );
    // The default-language phrase serves French when there is no French one.
    // Administrative qualifiers are for pageTop only in the example.
    let staff = check(
        &set,
        &label(
            "UNCLASSIFIED",
            &[("INFORMATIVE", "Administrative", &["STAFF"])],
        ),
    )
    .unwrap();
    assert_eq!(
        render_marking(&staff, MarkingCode::PageTop, "en"),
        "NATO UNCLASSIFIED - STAFF"
    );
}

#[test]
fn the_1_9_label_renders_its_marking() {
    let set = policies();
    let bytes = std::fs::read("tests/data/standards/label-1.9.xml").unwrap();
    let read = read_label_xml(&bytes, Strictness::Strict).unwrap();
    let label = validate(&set, &read.label.body.information, now(), read.warnings).unwrap();
    assert_eq!(
        render_marking(&label, MarkingCode::PageTopBottom, "en"),
        "NATO SECRET CRYPTO Releasable to Australia"
    );
}

#[test]
fn confidential_maps_to_xland_lacv_30_both_ways() {
    let set = policies();
    let nato = set.find("NATO").unwrap();
    let xland = set.find("XLAND").unwrap();
    let confidential = check(&set, &label("CONFIDENTIAL", &[])).unwrap();
    let there = map_label(&confidential, xland, now()).unwrap();
    let class = xland.classification(there.label.classification()).unwrap();
    assert_eq!((class.lacv, &*class.name), (30, "XLAND CONFIDENTIAL"));
    let back = map_label(&there.label, nato, now()).unwrap();
    assert_eq!(back.label, confidential);
}
