//! SPIF compilation: every test-data policy loads (or fails for its named reason), the
//! compiled model matches the file, and the quirks of standards.md §3.9 are tolerated.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::Path;

use crossguard::policy::{
    CategoryType, LacvMatch, MarkingCode, Policy, PolicyErrorKind, PolicyLimit, PolicySet,
    SchemaVersion, TagKind, ValueCase,
};

fn load(name: &str) -> Policy {
    let path = Path::new("tests/data/policy").join(name);
    let bytes = std::fs::read(&path).unwrap();
    Policy::from_spif(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_valid_test_spif_compiles() {
    for name in [
        "nato-demo.xml",
        "xland.xml",
        "nato-v79-like.xml",
        "nato-v88-like.xml",
        "public-like.xml",
        "schema-2.0.xml",
        "schema-1.0.xml",
        "all-marking-codes.xml",
        "nato-sized.xml",
        "small.xml",
    ] {
        let policy = load(name);
        assert!(!policy.classifications().is_empty(), "{name}");
    }
}

#[test]
fn nato_demo_compiles_to_the_documented_model() {
    let p = load("nato-demo.xml");
    assert_eq!(p.name(), "NATO");
    assert_eq!(
        p.id().to_string(),
        "2.25.126012349812034871230498712304987123"
    );
    assert_eq!(p.schema_version(), SchemaVersion::V2_1);
    assert_eq!(p.privilege_id().to_string(), "1.3.26.0.4774.5.24.1");
    assert_eq!(p.value_case(), ValueCase::Insensitive);
    let names: Vec<&str> = p.classifications().iter().map(|c| &*c.name).collect();
    assert_eq!(
        names,
        [
            "UNCLASSIFIED",
            "RESTRICTED",
            "CONFIDENTIAL",
            "SECRET",
            "TOP SECRET"
        ]
    );
    let sets: Vec<&str> = p.tag_sets().iter().map(|s| &*s.name).collect();
    assert_eq!(
        sets,
        [
            "Additional Sensitivity",
            "Releasable To",
            "Only",
            "Administrative",
            "Context"
        ]
    );
    let kinds: Vec<TagKind> = p.tags().iter().map(|t| t.kind).collect();
    assert_eq!(kinds[0], TagKind::Restrictive);
    assert_eq!(kinds[1], TagKind::EnumeratedPermissive);
    assert_eq!(kinds[2], TagKind::Permissive);
    assert_eq!(kinds[3].category_type(), CategoryType::Informative);
    assert_eq!(kinds[4], TagKind::Permissive);
    // Context is the owner tag: every classification requires exactly one context value.
    assert_eq!(p.owner_tag().map(|t| t.index()), Some(4));
    let rel = p.tag_set_by_name("releasable to").unwrap();
    let aus = p
        .category_by_name(rel, CategoryType::Permissive, "aus")
        .unwrap();
    let aus = p.category(aus).unwrap();
    assert_eq!(aus.lacv.integer(), Some(36));
    assert_eq!(
        aus.markings.phrase(MarkingCode::PageTop, "fr"),
        Some("Australie")
    );
    assert_eq!(aus.required.len(), 1);
    assert_eq!(
        p.category_by_name(rel, CategoryType::Restrictive, "AUS"),
        None
    );
    let ts = p.classification_by_name("Top Secret").unwrap();
    assert_eq!(
        p.classification(ts).unwrap().markings.replace_policy("en"),
        Some("COSMIC")
    );
    assert_eq!(p.equivalent_policies().len(), 1);
    assert_eq!(&*p.equivalent_policies()[0].name, "XLAND");
    assert_eq!(p.privacy_marks().len(), 1);
    assert!(p.warnings().is_empty());
    // 4 + 17 + 6 + 5 + 6 categories, one word each.
    assert_eq!(p.label_words(), 5);
}

#[test]
fn both_privilege_id_conventions_and_leading_zero_lacvs_load() {
    let v79 = load("nato-v79-like.xml");
    assert_eq!(v79.privilege_id().to_string(), "2.16.840.1.101.2.1.8.3");
    let secret = v79.classification_by_name("SECRET").unwrap();
    assert_eq!(v79.classification(secret).unwrap().lacv, 4);
    let v88 = load("nato-v88-like.xml");
    assert_eq!(v88.privilege_id().to_string(), "1.3.26.0.4774.5.24.1");
    assert!(v88.default_policy().is_some());
}

#[test]
fn a_repeated_lacv_in_one_tag_is_a_warning_and_ambiguous_in_binary() {
    let v88 = load("nato-v88-like.xml");
    assert_eq!(v88.warnings().len(), 1, "{:?}", v88.warnings());
    assert!(v88.warnings()[0].to_string().contains("1001"));
    let context = v88.tag_set_by_name("Context").unwrap();
    let (tag, _) = v88.tags_of(context).next().unwrap();
    assert_eq!(v88.category_by_lacv(tag, 1001), LacvMatch::Ambiguous);
    assert_eq!(v88.category_by_lacv(tag, 424_242), LacvMatch::None);
}

#[test]
fn every_marking_code_is_accepted() {
    let p = load("all-marking-codes.xml");
    let mut seen = std::collections::BTreeSet::new();
    let everything = p
        .classifications()
        .iter()
        .map(|c| &c.markings)
        .chain(p.categories().iter().map(|c| &c.markings))
        .chain(p.privacy_marks().iter().map(|m| &m.markings))
        .chain([
            p.markings(),
            p.classification_markings(),
            p.privacy_markings(),
        ]);
    for markings in everything {
        for data in &markings.data {
            seen.extend(data.codes.iter());
        }
    }
    assert_eq!(seen.len(), 16, "{seen:?}");
}

#[test]
fn old_schema_subsets_load() {
    assert_eq!(load("schema-1.0.xml").schema_version(), SchemaVersion::V1_0);
    assert_eq!(load("schema-2.0.xml").schema_version(), SchemaVersion::V2_0);
}

#[test]
fn each_invalid_spif_fails_for_its_named_reason() {
    let expected: &[(&str, &str)] = &[
        ("bad-lacv", "invalid-value"),
        ("bad-oid", "invalid-value"),
        ("bad-tag-type", "invalid-value"),
        ("category-group-both-lacv-and-all", "invalid-value"),
        ("duplicate-classification-lacv", "duplicate"),
        ("duplicate-classification-name", "duplicate"),
        ("duplicate-hierarchy", "duplicate"),
        ("duplicate-tag-set-id", "duplicate"),
        ("duplicate-tag-set-name", "duplicate"),
        ("empty-classifications", "missing-element"),
        ("enumerated-without-enumType", "missing-attribute"),
        ("missing-required-attribute", "missing-attribute"),
        ("out-of-order-children", "unexpected-element"),
        ("unknown-marking-code", "invalid-value"),
        ("unknown-schema-version", "unsupported-schema-version"),
        ("unresolved-category-lacv", "unresolved-reference"),
        ("unresolved-excluded-class", "unresolved-reference"),
        ("unresolved-policy-ref", "unresolved-reference"),
        ("unresolved-required-class", "unresolved-reference"),
        ("unresolved-tag-set-ref", "unresolved-reference"),
        ("wrong-namespace", "not-a-spif"),
        ("wrong-root", "not-a-spif"),
    ];
    let dir = Path::new("tests/data/policy/invalid");
    let files = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "xml")
        })
        .count();
    assert_eq!(
        files,
        expected.len(),
        "every invalid SPIF has an expectation"
    );
    for (name, code) in expected {
        let bytes = std::fs::read(dir.join(format!("{name}.xml"))).unwrap();
        let err = Policy::from_spif(&bytes).expect_err(name);
        assert_eq!(err.code(), *code, "{name}: {err}");
        assert!(err.line() >= 1);
        if !matches!(err.kind(), PolicyErrorKind::NotASpif { .. }) {
            assert!(
                err.element_path().starts_with("/SPIF"),
                "{name}: {}",
                err.element_path()
            );
        }
    }
}

#[test]
fn errors_name_the_element_path_and_position() {
    let bytes = std::fs::read("tests/data/policy/invalid/unresolved-excluded-class.xml").unwrap();
    let err = Policy::from_spif(&bytes).unwrap_err();
    assert!(
        err.element_path().contains("tagCategory[@name="),
        "{}",
        err.element_path()
    );
    assert!(
        err.element_path().ends_with("/excludedClass"),
        "{}",
        err.element_path()
    );
    let text = String::from_utf8(bytes).unwrap();
    let line_of_offset = text[..err.offset()].matches('\n').count() + 1;
    assert_eq!(err.line(), line_of_offset);
    assert!(text[err.offset()..].starts_with("<spif:excludedClass"));
    assert!(err.to_string().contains("LOWEST"), "{err}");
}

#[test]
fn oversized_input_is_its_own_limit_error() {
    let big = vec![b' '; crossguard::limits::MAX_SPIF_INPUT_BYTES + 1];
    let err = Policy::from_spif(&big).unwrap_err();
    assert_eq!(
        err.kind(),
        &PolicyErrorKind::LimitExceeded(PolicyLimit::InputBytes)
    );
}

#[test]
fn too_many_classifications_trip_the_named_limit() {
    let mut spif = String::from(
        r#"<spif:SPIF xmlns:spif="http://www.xmlspif.org/spif" schemaVersion="2.1" creationDate="2025" originatorDN="CN=x" keyIdentifier="00" privilegeId="1.2" rbacId="1.2"><spif:securityPolicyId name="P" id="1.2.3"/><spif:securityClassifications>"#,
    );
    for i in 0..=crossguard::limits::MAX_POLICY_CLASSIFICATIONS {
        spif.push_str(&format!(
            r#"<spif:securityClassification name="C{i}" lacv="{i}" hierarchy="{i}"/>"#
        ));
    }
    spif.push_str("</spif:securityClassifications></spif:SPIF>");
    let err = Policy::from_spif(spif.as_bytes()).unwrap_err();
    assert_eq!(
        err.kind(),
        &PolicyErrorKind::LimitExceeded(PolicyLimit::Classifications)
    );
}

#[test]
fn classifications_are_ordered_by_hierarchy_not_by_lacv() {
    // The UK demo SPIF of spiffing: OFFICIAL lacv 10 / hierarchy 0, SECRET 4/1, TOP SECRET 5/2.
    let spif = r#"<spif:SPIF xmlns:spif="http://www.xmlspif.org/spif" schemaVersion="2.1" creationDate="2025" originatorDN="CN=x" keyIdentifier="00" privilegeId="1.2" rbacId="1.2"><spif:securityPolicyId name="UK" id="1.2.3"/><spif:securityClassifications><spif:securityClassification name="TOP SECRET" lacv="5" hierarchy="2"/><spif:securityClassification name="OFFICIAL" lacv="10" hierarchy="0"/><spif:securityClassification name="SECRET" lacv="4" hierarchy="1"/></spif:securityClassifications></spif:SPIF>"#;
    let p = Policy::from_spif(spif.as_bytes()).unwrap();
    let names: Vec<&str> = p.classifications().iter().map(|c| &*c.name).collect();
    assert_eq!(names, ["OFFICIAL", "SECRET", "TOP SECRET"]);
    assert_eq!(p.classification_by_lacv(10).unwrap().index(), 0);
    assert_eq!(p.value_case(), ValueCase::Sensitive);
    assert_eq!(p.classification_by_name("secret"), None);
    assert_eq!(p.owner_tag(), None);
}

#[test]
fn unknown_attributes_and_foreign_elements_are_refused_outside_extensions() {
    let base = std::fs::read_to_string("tests/data/policy/small.xml").unwrap();
    let with_attribute = base.replacen(
        "<spif:securityClassification ",
        "<spif:securityClassification bogus=\"1\" ",
        1,
    );
    let err = Policy::from_spif(with_attribute.as_bytes()).unwrap_err();
    assert_eq!(err.code(), "unexpected-attribute", "{err}");
    let with_element = base.replacen(
        "</spif:securityClassifications>",
        "<x:y xmlns:x=\"urn:x\"/></spif:securityClassifications>",
        1,
    );
    let err = Policy::from_spif(with_element.as_bytes()).unwrap_err();
    assert_eq!(err.code(), "unexpected-element", "{err}");
}

#[test]
fn embedded_set_finds_policies_by_name_oid_and_uri() {
    let set = PolicySet::embedded().unwrap();
    assert_eq!(set.len(), 2);
    assert_eq!(set.find("nato").unwrap().name(), "NATO");
    assert_eq!(set.find("XLAND").unwrap().name(), "XLAND");
    assert_eq!(
        set.find("xland").map(|p| p.name()),
        None,
        "XLAND values are case-sensitive"
    );
    assert_eq!(
        set.find("2.25.126012349812034871230498712304987124")
            .unwrap()
            .name(),
        "XLAND"
    );
    let mut dup = set.clone();
    assert_eq!(
        dup.insert(load("nato-v79-like.xml")).unwrap_err().code(),
        "duplicate"
    );
}
