//! ESS (RFC 2634) labels through the policy: the standards.md §4.4 vector interpreted and
//! re-encoded byte for byte, and 4774 XML → ESS → label round trips for every test label.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use crossguard::label::ess::EssLabel;
use crossguard::label::{
    decode_ess_label, encode_ess_label, read_label_xml, render_marking, validate, Strictness,
    Timestamp,
};
use crossguard::policy::{embedded, MarkingCode, Policy, PolicySet};

fn now() -> Timestamp {
    Timestamp::parse_xs_datetime("2026-11-28T00:00:00Z").unwrap()
}

/// The §4.4 vector: NATO (1.3.26.1.3.1) SECRET, Releasable To (1.3.26.1.4.2) {36, 1001}.
const VECTOR_4_4: [u8; 48] = [
    0x31, 0x2e, 0x02, 0x01, 0x04, 0x06, 0x05, 0x2b, 0x1a, 0x01, 0x03, 0x01, 0x31, 0x22, 0x30, 0x20,
    0x80, 0x0a, 0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x01, 0xa1, 0x12, 0x30, 0x10,
    0x06, 0x05, 0x2b, 0x1a, 0x01, 0x04, 0x02, 0x31, 0x07, 0x02, 0x01, 0x24, 0x02, 0x02, 0x03, 0xe9,
];

/// The demo policy moved onto the real NATO identifiers, without the Context requirements
/// (the §4.4 example carries no Context): enough to interpret the published vector.
fn policy_on_real_oids() -> PolicySet {
    let spif = std::str::from_utf8(embedded::NATO_DEMO_SPIF).unwrap();
    let arc = "2.25.126012349812034871230498712304987123";
    let mut spif = spif
        .replace(&format!("\"{arc}.2\""), "\"1.3.26.1.4.2\"")
        .replace(&format!("\"{arc}\""), "\"1.3.26.1.3.1\"");
    // Drop every requiredCategory (Context is mandatory in the demo policy).
    while let Some(start) = spif.find("<spif:requiredCategory") {
        let end = spif[start..].find("</spif:requiredCategory>").unwrap() + start;
        spif.replace_range(start..end + "</spif:requiredCategory>".len(), "");
    }
    let mut set = PolicySet::new();
    set.insert(Policy::from_spif(spif.as_bytes()).unwrap())
        .unwrap();
    set
}

#[test]
fn the_4_4_vector_is_interpreted_and_reencoded_byte_for_byte() {
    let policies = policy_on_real_oids();
    let ess = EssLabel::decode(&VECTOR_4_4).unwrap();
    let label = decode_ess_label(&policies, &ess, now()).unwrap();
    assert_eq!(
        render_marking(&label, MarkingCode::PageTopBottom, "en"),
        "NATO SECRET Releasable to Australia"
    );
    assert_eq!(encode_ess_label(&label).unwrap(), VECTOR_4_4);
}

#[test]
fn under_the_demo_policy_the_vector_names_an_unknown_policy() {
    let policies = PolicySet::embedded().unwrap();
    let ess = EssLabel::decode(&VECTOR_4_4).unwrap();
    let err = decode_ess_label(&policies, &ess, now()).unwrap_err();
    assert_eq!(err.reasons[0].code(), "unknown-policy");
}

#[test]
fn every_valid_xml_label_survives_xml_to_ess_to_label() {
    let policies = PolicySet::embedded().unwrap();
    let mut count = 0;
    for entry in std::fs::read_dir("tests/data/label").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "xml") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let read = read_label_xml(&bytes, Strictness::Strict).unwrap();
        let label = validate(
            &policies,
            &read.label.body.information,
            now(),
            read.warnings,
        )
        .unwrap();
        let der = encode_ess_label(&label).unwrap();
        let ess = EssLabel::decode(&der).unwrap();
        assert_eq!(
            ess.encode(),
            der,
            "{}: DER re-encodes identically",
            path.display()
        );
        let back = decode_ess_label(&policies, &ess, now()).unwrap();
        assert_eq!(back, label, "{}", path.display());
        count += 1;
    }
    assert!(count >= 20);
}

#[test]
fn binary_values_the_policy_cannot_interpret_are_reasons() {
    let policies = PolicySet::embedded().unwrap();
    let v88 =
        Policy::from_spif(&std::fs::read("tests/data/policy/nato-v88-like.xml").unwrap()).unwrap();
    // Classification 9 is not in the demo policy; a category on an unknown tag set.
    let demo = policies.find("NATO").unwrap();
    use crossguard::label::security_category::{CategorySyntax, SecurityCategory, TagCategory};
    let unknown_set = crossguard::der::Oid::from_dotted("1.2.3.4").unwrap();
    let ess = EssLabel::new(demo.id().as_oid_ref())
        .with_classification(9)
        .unwrap()
        .with_category(SecurityCategory::Tag(
            TagCategory::new(
                CategorySyntax::PermissiveBitMap,
                unknown_set.as_oid_ref(),
                [1],
            )
            .unwrap(),
        ))
        .unwrap();
    let codes: Vec<&str> = decode_ess_label(&policies, &ess, now())
        .unwrap_err()
        .reasons
        .iter()
        .map(|r| r.code())
        .collect();
    assert_eq!(
        codes,
        ["unknown-classification-value", "unknown-tag-set-id"]
    );
    // The v88 quirk: lacv 1001 names two Context categories.
    let mut set = PolicySet::new();
    let context = v88
        .tag_sets()
        .iter()
        .find(|s| &*s.name == "Context")
        .unwrap()
        .id
        .clone();
    let policy_id = v88.id().clone();
    let secret_lacv = v88
        .classification(v88.classification_by_name("SECRET").unwrap())
        .unwrap()
        .lacv;
    set.insert(v88).unwrap();
    let ess = EssLabel::new(policy_id.as_oid_ref())
        .with_classification(u16::try_from(secret_lacv).unwrap())
        .unwrap()
        .with_category(SecurityCategory::Tag(
            TagCategory::new(
                CategorySyntax::PermissiveBitMap,
                context.as_oid_ref(),
                [1001],
            )
            .unwrap(),
        ))
        .unwrap();
    let err = decode_ess_label(&set, &ess, now()).unwrap_err();
    assert!(
        err.reasons.iter().any(|r| r.code() == "ambiguous-lacv"),
        "{err}"
    );
}
