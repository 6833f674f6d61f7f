//! STANAG 4774 labels against the embedded policies: reading (strict and lenient), validation
//! with a typed reason per rule, markings (ADatP-4774 Table 17), the ACDF worked examples of
//! standards.md §1.5, succession, and the XML writer round trip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::Path;

use crossguard::label::{
    compile_clearance, decide, explain, read_clearance_xml, read_label_xml, render_marking,
    validate, write_label_xml, Access, Denial, LabelErrorKind, LabelKind, LabelMetadata,
    LabelWarning, Strictness, Timestamp, ValidClearance, ValidLabel,
};
use crossguard::policy::{MarkingCode, PolicySet};

fn now() -> Timestamp {
    Timestamp::parse_xs_datetime("2026-11-28T00:00:00Z").unwrap()
}

fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(Path::new("tests/data").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn label<'p>(policies: &'p PolicySet, path: &str) -> ValidLabel<'p> {
    let input = bytes(path);
    let read = read_label_xml(&input, Strictness::Strict).unwrap_or_else(|e| panic!("{path}: {e}"));
    validate(policies, &read.label.body.information, now(), read.warnings)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn clearance<'p>(policies: &'p PolicySet, path: &str) -> ValidClearance<'p> {
    let input = bytes(path);
    let read = read_clearance_xml(&input).unwrap_or_else(|e| panic!("{path}: {e}"));
    compile_clearance(policies, &read).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn table_17_markings_render_in_their_standard_form() {
    let policies = PolicySet::embedded().unwrap();
    let cases = [
        (
            "table17-1.xml",
            "NATO UNCLASSIFIED Releasable to ISAF, KFOR, RESOLUTE SUPPORT",
            "NATO SANS CLASSIFICATION Communicable a ISAF, KFOR, RESOLUTE SUPPORT",
        ),
        (
            "table17-2.xml",
            "NATO UNCLASSIFIED",
            "NATO SANS CLASSIFICATION",
        ),
        (
            "table17-3.xml",
            "NATO UNCLASSIFIED \u{2013} STAFF",
            "NATO SANS CLASSIFICATION \u{2013} STAFF",
        ),
        (
            "table17-4.xml",
            "NATO RESTRICTED Releasable to Japan, Switzerland, Ukraine",
            "NATO DIFFUSION RESTREINTE Communicable a Japon, Suisse, Ukraine",
        ),
        (
            "table17-5.xml",
            "NATO/EAPC CONFIDENTIAL Releasable to ISAF",
            "NATO/EAPC CONFIDENTIEL Communicable a ISAF",
        ),
        (
            "table17-6.xml",
            "NATO/KFOR CONFIDENTIAL NATO, Ireland, Sweden, Ukraine Only",
            "NATO/KFOR CONFIDENTIEL NATO, Irlande, Suede, Ukraine Seulement",
        ),
    ];
    for (file, en, fr) in cases {
        let l = label(&policies, &format!("label/{file}"));
        assert_eq!(
            render_marking(&l, MarkingCode::PageTopBottom, "en"),
            en,
            "{file}"
        );
        assert_eq!(render_marking(&l, MarkingCode::PageTop, "fr"), fr, "{file}");
        assert!(l.warnings().is_empty(), "{file}: {:?}", l.warnings());
    }
}

#[test]
fn other_markings_of_the_intended_behaviours() {
    let policies = PolicySet::embedded().unwrap();
    let cases = [
        (
            "label/example-1.9.xml",
            "NATO SECRET CRYPTO Releasable to Australia",
        ),
        (
            "label/secret-rel-aus.xml",
            "NATO SECRET Releasable to Australia",
        ),
        ("label/top-secret.xml", "COSMIC TOP SECRET"),
        (
            "label/case-insensitive-values.xml",
            "NATO SECRET CRYPTO Releasable to Australia",
        ),
        ("label/privacy-clear.xml", "NATO RESTRICTED CLEAR"),
        (
            "label/xland-secret.xml",
            "XLAND SECRET CRYPTO REL TO NATO, Australia",
        ),
        (
            "label/extensions.xml",
            "NATO SECRET Releasable to Australia",
        ),
    ];
    for (file, expected) in cases {
        let l = label(&policies, file);
        assert_eq!(
            render_marking(&l, MarkingCode::PageTopBottom, "en"),
            expected,
            "{file}"
        );
    }
    let top = label(&policies, "label/top-secret.xml");
    assert_eq!(
        render_marking(&top, MarkingCode::PageBottom, "fr"),
        "COSMIC TRES SECRET"
    );
    assert_eq!(
        render_marking(&top, MarkingCode::PortionMarking, "en"),
        "CTS"
    );
}

#[test]
fn every_root_element_kind_reads() {
    let cases = [
        ("label/table17-2.xml", LabelKind::Originator),
        ("label/alternative.xml", LabelKind::Alternative),
        ("label/metadata.xml", LabelKind::Metadata),
        ("label/legacy-root.xml", LabelKind::Legacy),
    ];
    for (file, kind) in cases {
        let input = bytes(file);
        assert_eq!(
            read_label_xml(&input, Strictness::Strict)
                .unwrap()
                .label
                .kind,
            kind,
            "{file}"
        );
    }
}

#[test]
fn the_origin_id_succession_and_extensions_are_read() {
    let input = bytes("label/originator-id.xml");
    let read = read_label_xml(&input, Strictness::Strict).unwrap();
    let id = read.label.body.originator_id.unwrap();
    assert_eq!(
        (&*id.id_type, &*id.value),
        ("rfc822Name", "originator@example.org")
    );
    let input = bytes("label/succession.xml");
    let read = read_label_xml(&input, Strictness::Strict).unwrap();
    assert_eq!(read.label.review, None);
    let succession = read.label.body.succession.unwrap();
    assert_eq!(succession.date, "2030-01-01T00:00:00Z");
    assert_eq!(
        succession.successor.information.classification,
        "RESTRICTED"
    );
    let input = bytes("label/extensions.xml");
    let read = read_label_xml(&input, Strictness::Strict).unwrap();
    assert_eq!(read.warnings, [LabelWarning::ExtensionsIgnored]);
}

#[test]
fn lenient_samples_fail_strict_and_pass_lenient_with_warnings() {
    let policies = PolicySet::embedded().unwrap();
    let cases = [
        (
            "lowercase-attrs.xml",
            "unexpected-attribute",
            "attribute-spelling",
        ),
        ("type-case.xml", "invalid-value", "type-case"),
        (
            "no-creation.xml",
            "missing-element",
            "missing-creation-datetime",
        ),
    ];
    for (file, strict_code, warning) in cases {
        let input = bytes(&format!("label/lenient/{file}"));
        let err = read_label_xml(&input, Strictness::Strict).unwrap_err();
        assert_eq!(err.code(), strict_code, "{file}: {err}");
        let read = read_label_xml(&input, Strictness::Lenient).unwrap();
        assert!(
            read.warnings.iter().any(|w| w.code() == warning),
            "{file}: {:?}",
            read.warnings
        );
        let l = validate(
            &policies,
            &read.label.body.information,
            now(),
            read.warnings,
        )
        .unwrap();
        assert_eq!(
            render_marking(&l, MarkingCode::PageTopBottom, "en"),
            "NATO SECRET Releasable to Australia"
        );
        assert!(!l.warnings().is_empty());
    }
}

/// Each invalid label fails with exactly the reason its file name gives, as a read error or a
/// validation reason.
#[test]
fn each_invalid_label_fails_for_its_named_reason() {
    let policies = PolicySet::embedded().unwrap();
    let expected: &[(&str, &str)] = &[
        ("atomal-restricted", "excluded-class"),
        ("aus-without-releasable", "required-category"),
        ("swe-with-atomal", "excluded-category"),
        ("staff-secret", "required-class"),
        ("no-context", "required-category"),
        ("two-contexts", "required-category"),
        ("unknown-classification", "unknown-classification"),
        ("unknown-category-value", "unknown-category-value"),
        ("unknown-tag-name", "unknown-tag-set"),
        ("wrong-type", "wrong-category-type"),
        ("unknown-policy", "unknown-policy"),
        ("integer-value", "forbidden-value-element"),
        ("classification-uri", "classification-uri"),
        ("no-review-no-succession", "missing-review-or-succession"),
        ("wrong-order", "unexpected-element"),
        ("empty-category", "empty-category"),
        ("duplicate-category", "duplicate-category"),
        ("bad-datetime", "invalid-value"),
        ("privacy-mark-unknown", "unknown-privacy-mark"),
        ("wrong-namespace", "not-a-label"),
        ("trailing-garbage", "text-outside-root"),
    ];
    for (name, code) in expected {
        let input = bytes(&format!("label/invalid/{name}.xml"));
        let got = match read_label_xml(&input, Strictness::Strict) {
            Err(e) => vec![e.code().to_owned()],
            Ok(read) => match validate(
                &policies,
                &read.label.body.information,
                now(),
                read.warnings,
            ) {
                Ok(_) => panic!("{name} was accepted"),
                Err(e) => e.reasons.iter().map(|r| r.code().to_owned()).collect(),
            },
        };
        let mut got = got;
        got.dedup();
        assert_eq!(got, [code.to_string()], "{name}");
    }
    // The obsolete value is readable and valid, with a warning.
    let l = label(&policies, "label/invalid/obsolete-siop.xml");
    assert!(matches!(&l.warnings()[0], LabelWarning::Obsolete { name } if name.contains("SIOP")));
}

#[test]
fn read_errors_carry_position_and_element_path() {
    let input = bytes("label/invalid/integer-value.xml");
    let err = read_label_xml(&input, Strictness::Strict).unwrap_err();
    assert_eq!(
        err.kind(),
        &LabelErrorKind::ForbiddenValueElement("IntegerValue")
    );
    assert!(
        err.element_path()
            .ends_with("/ConfidentialityInformation/Category"),
        "{}",
        err.element_path()
    );
    let text = std::str::from_utf8(&input).unwrap();
    assert!(
        text[err.offset()..].starts_with("<slab:IntegerValue"),
        "{}",
        &text[err.offset()..]
    );
}

#[test]
fn access_worked_examples_of_standards_1_5_and_the_readme_table() {
    let policies = PolicySet::embedded().unwrap();
    let cases = [
        ("table17-4.xml", "uk-like.xml", Access::Granted),
        ("table17-4.xml", "samoa-like.xml", Access::Denied),
        (
            "table17-4.xml",
            "mission-restricted-interface.xml",
            Access::Granted,
        ),
        (
            "table17-4.xml",
            "nato-secret-interface.xml",
            Access::Granted,
        ),
        ("secret-rel-aus.xml", "uk-like.xml", Access::Granted),
        ("secret-rel-aus.xml", "samoa-like.xml", Access::Denied),
        ("example-1.9.xml", "uk-like.xml", Access::Granted),
        (
            "example-1.9.xml",
            "nato-secret-interface.xml",
            Access::Granted,
        ),
        (
            "example-1.9.xml",
            "mission-restricted-interface.xml",
            Access::Denied,
        ),
        (
            "top-secret.xml",
            "nato-secret-interface.xml",
            Access::Denied,
        ),
        ("top-secret.xml", "uk-like.xml", Access::Denied),
        ("restricted-nato.xml", "samoa-like.xml", Access::Denied),
        ("restricted-nato.xml", "gap-clearance.xml", Access::Denied),
        (
            "unclassified-nato.xml",
            "gap-clearance.xml",
            Access::Granted,
        ),
        ("unclassified-nato.xml", "samoa-like.xml", Access::Denied),
        ("table17-6.xml", "uk-like.xml", Access::Granted),
        (
            "table17-6.xml",
            "mission-restricted-interface.xml",
            Access::Denied,
        ),
        ("confidential-rel-xland.xml", "uk-like.xml", Access::Granted),
        ("xland-secret.xml", "xland-secret.xml", Access::Granted),
        ("xland-noforn.xml", "xland-secret.xml", Access::Denied),
    ];
    for (l, c, expected) in cases {
        let l_ = label(&policies, &format!("label/{l}"));
        let c_ = clearance(&policies, &format!("clearance-xml/{c}"));
        assert_eq!(decide(&l_, &c_), expected, "{l} vs {c}");
        let decision = explain(&l_, &c_);
        assert_eq!(decision.access, expected, "{l} vs {c}");
        assert_eq!(
            decision.reasons.is_empty(),
            expected == Access::Granted,
            "{l} vs {c}"
        );
    }
    // The reasons name the failing check.
    let l = label(&policies, "label/table17-4.xml");
    let samoa = clearance(&policies, "clearance-xml/samoa-like.xml");
    let reasons = explain(&l, &samoa).reasons;
    assert_eq!(
        reasons,
        [Denial::Permissive {
            tag_set: "Releasable To".into()
        }]
    );
    let restricted = label(&policies, "label/restricted-nato.xml");
    let reasons = explain(&restricted, &samoa).reasons;
    assert_eq!(
        reasons,
        [Denial::Permissive {
            tag_set: "Context".into()
        }]
    );
    let x = label(&policies, "label/xland-secret.xml");
    assert_eq!(explain(&x, &samoa).reasons[0].code(), "policy-mismatch");
}

#[test]
fn invalid_clearances_are_refused() {
    let policies = PolicySet::embedded().unwrap();
    let input = bytes("clearance-xml/invalid/unknown-class.xml");
    let read = read_clearance_xml(&input).unwrap();
    let err = compile_clearance(&policies, &read).unwrap_err();
    assert_eq!(err.reasons[0].code(), "unknown-classification");
    for file in ["wrong-root.xml", "no-classification-list.xml"] {
        let input = bytes(&format!("clearance-xml/invalid/{file}"));
        assert!(read_clearance_xml(&input).is_err(), "{file}");
    }
}

#[test]
fn written_labels_read_back_to_the_same_compiled_label() {
    let policies = PolicySet::embedded().unwrap();
    let dir = std::fs::read_dir("tests/data/label").unwrap();
    let mut count = 0;
    for entry in dir {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "xml") {
            continue;
        }
        let name = format!("label/{}", path.file_name().unwrap().to_str().unwrap());
        let original = label(&policies, &name);
        let metadata = LabelMetadata {
            kind: LabelKind::Originator,
            id: Some("x-1"),
            review: Timestamp::parse_xs_datetime("2035-01-01T00:00:00Z").unwrap(),
            originator: Some(("rfc822Name", "a&b@example.org")),
            creation: Timestamp::parse_xs_datetime("2025-01-01T12:00:00Z").unwrap(),
        };
        let xml = write_label_xml(&original, &metadata);
        let read = read_label_xml(xml.as_bytes(), Strictness::Strict)
            .unwrap_or_else(|e| panic!("{name}: {e}\n{xml}"));
        assert_eq!(read.warnings, []);
        assert_eq!(
            read.label.body.originator_id.as_ref().unwrap().value,
            "a&b@example.org"
        );
        let again = validate(
            &policies,
            &read.label.body.information,
            now(),
            read.warnings,
        )
        .unwrap();
        assert_eq!(again, original, "{name}");
        assert_eq!(
            write_label_xml(&again, &metadata),
            xml,
            "{name}: writer is deterministic"
        );
        count += 1;
    }
    assert!(count >= 20, "{count}");
}

#[test]
fn mapping_follows_the_equivalences_both_ways() {
    use crossguard::label::map_label;
    let policies = PolicySet::embedded().unwrap();
    let xland = policies.find("XLAND").unwrap();
    let nato = policies.find("NATO").unwrap();
    let to_xland = [
        ("table17-2.xml", Some("XLAND UNCLASSIFIED")),
        ("table17-3.xml", Some("XLAND UNCLASSIFIED")),
        ("table17-1.xml", None),
        ("table17-4.xml", None),
        ("table17-5.xml", None),
        ("table17-6.xml", None),
        (
            "example-1.9.xml",
            Some("XLAND SECRET CRYPTO REL TO NATO, Australia"),
        ),
        (
            "secret-rel-aus.xml",
            Some("XLAND SECRET REL TO NATO, Australia"),
        ),
        ("top-secret.xml", None),
        ("restricted-nato.xml", Some("XLAND RESTRICTED")),
        (
            "confidential-rel-xland.xml",
            Some("XLAND CONFIDENTIAL CRYPTO REL TO NATO, XLAND"),
        ),
    ];
    for (file, expected) in to_xland {
        let l = label(&policies, &format!("label/{file}"));
        let mapped = map_label(&l, xland, now());
        match expected {
            Some(marking) => {
                let mapped = mapped.unwrap_or_else(|e| panic!("{file}: {e}"));
                assert_eq!(
                    render_marking(&mapped.label, MarkingCode::PageTopBottom, "en"),
                    marking,
                    "{file}"
                );
                assert!(
                    mapped.discarded.iter().any(|d| d.starts_with("Context")),
                    "{file}"
                );
            }
            None => assert!(mapped.is_err(), "{file} must not map"),
        }
    }
    let top = label(&policies, "label/top-secret.xml");
    assert_eq!(
        map_label(&top, xland, now()).unwrap_err().code(),
        "no-classification-equivalent"
    );
    // Into NATO: Context NATO from the equivalent-policy requirement, Releasable from the
    // requirement of the mapped Releasable To values.
    let x = label(&policies, "label/xland-secret.xml");
    let mapped = map_label(&x, nato, now()).unwrap();
    assert_eq!(
        render_marking(&mapped.label, MarkingCode::PageTopBottom, "en"),
        "NATO SECRET CRYPTO Releasable to Australia"
    );
    let added: Vec<&str> = mapped.added.iter().map(|a| &**a).collect();
    assert_eq!(added, ["Context: NATO", "Context: Releasable"]);
    assert_eq!(mapped.label, label(&policies, "label/example-1.9.xml"));
    let noforn = label(&policies, "label/xland-noforn.xml");
    assert_eq!(
        map_label(&noforn, nato, now()).unwrap_err().code(),
        "no-category-equivalent"
    );
    // Round trip NATO → XLAND → NATO gives back the label.
    let original = label(&policies, "label/confidential-rel-xland.xml");
    let there = map_label(&original, xland, now()).unwrap();
    let back = map_label(&there.label, nato, now()).unwrap();
    assert_eq!(back.label, original);
}

#[test]
fn succession_applies_from_its_date_and_review_dates_warn() {
    let input = bytes("label/succession.xml");
    let read = read_label_xml(&input, Strictness::Strict).unwrap();
    let before = Timestamp::parse_xs_datetime("2029-12-31T23:59:59Z").unwrap();
    let after = Timestamp::parse_xs_datetime("2030-01-01T00:00:00Z").unwrap();
    let body = read.label.effective_body(before);
    assert_eq!(body.information.classification, "CONFIDENTIAL");
    let body = read.label.effective_body(after);
    assert_eq!(body.information.classification, "RESTRICTED");
    let policies = PolicySet::embedded().unwrap();
    let successor = validate(&policies, &body.information, after, vec![]).unwrap();
    assert_eq!(
        render_marking(&successor, MarkingCode::PageTopBottom, "en"),
        "NATO RESTRICTED"
    );
    // A label with a review date and no succession keeps its body; the passed date warns.
    let input = bytes("label/table17-2.xml");
    let read = read_label_xml(&input, Strictness::Strict).unwrap();
    let late = Timestamp::parse_xs_datetime("2040-01-01T00:00:00Z").unwrap();
    assert_eq!(read.label.effective_body(late), &read.label.body);
    assert_eq!(
        read.label.review_warning(late),
        Some(LabelWarning::ReviewDatePassed)
    );
    assert_eq!(read.label.review_warning(now()), None);
}

#[test]
fn label_limits_trip_with_their_own_errors() {
    use crossguard::label::LabelLimit;
    use crossguard::limits::{
        MAX_CATEGORY_VALUES, MAX_LABEL_CATEGORIES, MAX_POLICY_CLASSIFICATIONS,
    };
    let label = |categories: String| {
        format!(
            r#"<l:originatorConfidentialityLabel xmlns:l="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0" ReviewDateTime="2035-01-01T00:00:00Z"><l:ConfidentialityInformation><l:PolicyIdentifier>NATO</l:PolicyIdentifier><l:Classification>SECRET</l:Classification>{categories}</l:ConfidentialityInformation><l:CreationDateTime>2025-01-01T00:00:00Z</l:CreationDateTime></l:originatorConfidentialityLabel>"#
        )
    };
    let category = r#"<l:Category Type="PERMISSIVE" TagName="Context"><l:GenericValue>NATO</l:GenericValue></l:Category>"#;
    let at_limit = label(category.repeat(MAX_LABEL_CATEGORIES));
    assert!(read_label_xml(at_limit.as_bytes(), Strictness::Strict).is_ok());
    let over = label(category.repeat(MAX_LABEL_CATEGORIES + 1));
    let err = read_label_xml(over.as_bytes(), Strictness::Strict).unwrap_err();
    assert_eq!(
        err.kind(),
        &LabelErrorKind::LimitExceeded(LabelLimit::Categories)
    );
    let values = "<l:GenericValue>NATO</l:GenericValue>".repeat(MAX_CATEGORY_VALUES + 1);
    let over = label(format!(
        r#"<l:Category Type="PERMISSIVE" TagName="Context">{values}</l:Category>"#
    ));
    let err = read_label_xml(over.as_bytes(), Strictness::Strict).unwrap_err();
    assert_eq!(
        err.kind(),
        &LabelErrorKind::LimitExceeded(LabelLimit::CategoryValues)
    );
    let classes =
        "<l:Classification>SECRET</l:Classification>".repeat(MAX_POLICY_CLASSIFICATIONS + 1);
    let clearance = format!(
        r#"<c:ConfidentialityClearance xmlns:c="urn:nato:stanag:4774:confidentialityclearance:1:0" xmlns:l="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"><l:PolicyIdentifier>NATO</l:PolicyIdentifier><c:ClassificationList>{classes}</c:ClassificationList></c:ConfidentialityClearance>"#
    );
    let err = read_clearance_xml(clearance.as_bytes()).unwrap_err();
    assert_eq!(
        err.kind(),
        &LabelErrorKind::LimitExceeded(LabelLimit::Classifications)
    );
}
