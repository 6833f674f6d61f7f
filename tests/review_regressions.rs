//! Regression tests for the findings of the review of the policy and label layer (each was
//! a confirmed bug: the test failed before its fix).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use crossguard::der::Oid;
use crossguard::label::ess::EssLabel;
use crossguard::label::security_category::{CategorySyntax, SecurityCategory, TagCategory};
use crossguard::label::{
    category_names, compile_clearance, decide, decode_ess_label, dominates, join, map_label,
    read_clearance_xml, read_label_xml, validate, validate_under, write_label_xml, Access,
    LabelKind, LabelMetadata, Strictness, Timestamp, ValidClearance, ValidLabel,
};
use crossguard::policy::{Policy, PolicySet};

fn now() -> Timestamp {
    Timestamp::parse_xs_datetime("2026-11-28T00:00:00Z").unwrap()
}

fn spif(name: &str, id: &str, body: &str) -> String {
    format!(
        r#"<s:SPIF xmlns:s="http://www.xmlspif.org/spif" schemaVersion="2.1" creationDate="20250101000000Z"
 originatorDN="CN=x" keyIdentifier="00" privilegeId="1.2.3" rbacId="1.2.3">
<s:securityPolicyId name="{name}" id="{id}"/>
{body}
</s:SPIF>"#
    )
}

fn label_xml(policy: &str, class: &str, cats: &str) -> String {
    format!(
        r#"<l:originatorConfidentialityLabel xmlns:l="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0" ReviewDateTime="2035-01-01T00:00:00Z">
<l:ConfidentialityInformation><l:PolicyIdentifier>{policy}</l:PolicyIdentifier><l:Classification>{class}</l:Classification>{cats}</l:ConfidentialityInformation>
<l:CreationDateTime>2025-01-01T00:00:00Z</l:CreationDateTime></l:originatorConfidentialityLabel>"#
    )
}

fn clearance_xml(policy: &str, classes: &[&str], cats: &str) -> String {
    let cl: String = classes
        .iter()
        .map(|c| format!("<l:Classification>{c}</l:Classification>"))
        .collect();
    format!(
        r#"<c:ConfidentialityClearance xmlns:c="urn:nato:stanag:4774:confidentialityclearance:1:0" xmlns:l="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0">
<l:PolicyIdentifier>{policy}</l:PolicyIdentifier><c:ClassificationList>{cl}</c:ClassificationList>{cats}</c:ConfidentialityClearance>"#
    )
}

fn valid<'p>(set: &'p PolicySet, xml: &str) -> ValidLabel<'p> {
    let read = read_label_xml(xml.as_bytes(), Strictness::Strict).unwrap();
    validate(set, &read.label.body.information, now(), read.warnings).unwrap()
}

fn clear<'p>(set: &'p PolicySet, xml: &str) -> ValidClearance<'p> {
    let read = read_clearance_xml(xml.as_bytes()).unwrap();
    compile_clearance(set, &read).unwrap()
}

// ---- 1. mapping: import entries ignore the foreign tagType --------------------------------
#[test]
fn mapping_matches_the_foreign_tag_type_on_import() {
    let s = spif(
        "SRC",
        "2.25.1",
        r#"<s:securityClassifications>
  <s:securityClassification name="SECRET" lacv="4" hierarchy="4"><s:equivalentClassification policyRef="TGT" lacv="4" applied="both"/></s:securityClassification>
</s:securityClassifications>
<s:securityCategoryTagSets>
 <s:securityCategoryTagSet name="TS" id="2.25.1.1">
  <s:securityCategoryTag name="R" tagType="restrictive"><s:tagCategory name="EYESONLY" lacv="1"/></s:securityCategoryTag>
  <s:securityCategoryTag name="I" tagType="tagType7"><s:tagCategory name="NOTE" lacv="1"/></s:securityCategoryTag>
 </s:securityCategoryTagSet>
</s:securityCategoryTagSets>
<s:equivalentPolicies><s:equivalentPolicy name="TGT" id="2.25.2"/></s:equivalentPolicies>"#,
    );
    let t = spif(
        "TGT",
        "2.25.2",
        r#"<s:securityClassifications>
  <s:securityClassification name="SECRET" lacv="4" hierarchy="4"/>
</s:securityClassifications>
<s:securityCategoryTagSets>
 <s:securityCategoryTagSet name="Info" id="2.25.2.1">
  <s:securityCategoryTag tagType="tagType7"><s:tagCategory name="NOTE" lacv="1">
    <s:equivalentSecCategoryTag policyRef="SRC" tagSetId="2.25.1.1" tagType="tagType7" lacv="1" applied="decrypt"/>
  </s:tagCategory></s:securityCategoryTag>
 </s:securityCategoryTagSet>
</s:securityCategoryTagSets>
<s:equivalentPolicies><s:equivalentPolicy name="SRC" id="2.25.1"/></s:equivalentPolicies>"#,
    );
    let mut set = PolicySet::new();
    set.insert(Policy::from_spif(s.as_bytes()).unwrap())
        .unwrap();
    set.insert(Policy::from_spif(t.as_bytes()).unwrap())
        .unwrap();
    let l = valid(
        &set,
        &label_xml(
            "SRC",
            "SECRET",
            r#"<l:Category Type="RESTRICTIVE" TagName="TS"><l:GenericValue>EYESONLY</l:GenericValue></l:Category>"#,
        ),
    );
    let target = set.find("TGT").unwrap();
    // The target's entry is for the informative NOTE, not the restrictive EYESONLY.
    let err = map_label(&l, target, now()).unwrap_err();
    assert_eq!(err.code(), "no-category-equivalent", "{err}");
}

// ---- 2. mapping: discard of every value of the owner/permissive tag -----------------------
#[test]
fn a_narrowing_context_does_not_map_to_xland() {
    let set = PolicySet::embedded().unwrap();
    let l = valid(
        &set,
        &label_xml(
            "NATO",
            "CONFIDENTIAL",
            r#"<l:Category Type="PERMISSIVE" TagName="Context"><l:GenericValue>KFOR</l:GenericValue></l:Category>"#,
        ),
    );
    // A NATO clearance without KFOR in Context is denied.
    let nato_c = clear(
        &set,
        &clearance_xml(
            "NATO",
            &["CONFIDENTIAL"],
            r#"<l:Category Type="PERMISSIVE" TagName="Context"><l:GenericValue>NATO</l:GenericValue></l:Category>"#,
        ),
    );
    assert_eq!(decide(&l, &nato_c), Access::Denied);
    // KFOR narrows release; it has no XLAND equivalent, so the label does not map.
    let xland = set.find("XLAND").unwrap();
    let err = map_label(&l, xland, now()).unwrap_err();
    assert_eq!(err.code(), "no-category-equivalent", "{err}");
}

// ---- 3. ESS: duplicate tag set entries are merged; empty permissive accepted --------------
#[test]
fn ess_label_naming_a_tag_set_twice_is_invalid() {
    let set = PolicySet::embedded().unwrap();
    let nato = set.find("NATO").unwrap();
    let rel = Oid::from_dotted("2.25.126012349812034871230498712304987123.2").unwrap();
    let ctx = Oid::from_dotted("2.25.126012349812034871230498712304987123.4").unwrap();
    let c1 =
        TagCategory::new(CategorySyntax::EnumeratedPermissive, rel.as_oid_ref(), [36]).unwrap();
    let c2 = TagCategory::new(
        CategorySyntax::EnumeratedPermissive,
        rel.as_oid_ref(),
        [826],
    )
    .unwrap();
    let cx = TagCategory::new(
        CategorySyntax::PermissiveBitMap,
        ctx.as_oid_ref(),
        [1, 10000],
    )
    .unwrap();
    let ess = EssLabel::new(nato.id().as_oid_ref())
        .with_classification(4)
        .unwrap()
        .with_category(SecurityCategory::Tag(c1))
        .unwrap()
        .with_category(SecurityCategory::Tag(c2))
        .unwrap()
        .with_category(SecurityCategory::Tag(cx))
        .unwrap();
    let der = ess.encode();
    let decoded = EssLabel::decode(&der).unwrap();
    let err = decode_ess_label(&set, &decoded, now()).unwrap_err();
    assert!(
        err.reasons.iter().any(|r| r.code() == "duplicate-category"),
        "{err}"
    );
}

#[test]
fn ess_label_with_an_empty_category_is_invalid() {
    let set = PolicySet::embedded().unwrap();
    let nato = set.find("NATO").unwrap();
    let rel = Oid::from_dotted("2.25.126012349812034871230498712304987123.2").unwrap();
    let ctx = Oid::from_dotted("2.25.126012349812034871230498712304987123.4").unwrap();
    let c1 = TagCategory::new(CategorySyntax::EnumeratedPermissive, rel.as_oid_ref(), []).unwrap();
    let cx = TagCategory::new(CategorySyntax::PermissiveBitMap, ctx.as_oid_ref(), [1]).unwrap();
    let ess = EssLabel::new(nato.id().as_oid_ref())
        .with_classification(4)
        .unwrap()
        .with_category(SecurityCategory::Tag(c1))
        .unwrap()
        .with_category(SecurityCategory::Tag(cx))
        .unwrap();
    let der = ess.encode();
    let decoded = EssLabel::decode(&der).unwrap();
    let err = decode_ess_label(&set, &decoded, now()).unwrap_err();
    assert!(
        err.reasons.iter().any(|r| r.code() == "empty-category"),
        "{err}"
    );
}

// ---- 4. validate_under ignores PolicyIdentifier/@URI --------------------------------------
#[test]
fn validate_under_checks_the_policy_uri() {
    let set = PolicySet::embedded().unwrap();
    let nato = set.find("NATO").unwrap();
    let xml = r#"<l:originatorConfidentialityLabel xmlns:l="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0" ReviewDateTime="2035-01-01T00:00:00Z">
<l:ConfidentialityInformation><l:PolicyIdentifier URI="urn:oid:1.2.3.4.5">NATO</l:PolicyIdentifier><l:Classification>SECRET</l:Classification>
<l:Category Type="PERMISSIVE" TagName="Context"><l:GenericValue>NATO</l:GenericValue></l:Category></l:ConfidentialityInformation>
<l:CreationDateTime>2025-01-01T00:00:00Z</l:CreationDateTime></l:originatorConfidentialityLabel>"#;
    let read = read_label_xml(xml.as_bytes(), Strictness::Strict).unwrap();
    assert!(validate(&set, &read.label.body.information, now(), vec![]).is_err());
    let err = validate_under(nato, &read.label.body.information, now(), vec![]).unwrap_err();
    assert_eq!(err.reasons[0].code(), "policy-uri-mismatch");
}

// ---- 5. writer: two tags of one type in a tag set → output fails re-validation ------------
#[test]
fn writer_groups_two_tags_of_one_type() {
    let s = spif(
        "P",
        "2.25.9",
        r#"<s:securityClassifications><s:securityClassification name="S" lacv="4" hierarchy="4"/></s:securityClassifications>
<s:securityCategoryTagSets><s:securityCategoryTagSet name="TS" id="2.25.9.1">
 <s:securityCategoryTag tagType="restrictive"><s:tagCategory name="A" lacv="1"/></s:securityCategoryTag>
 <s:securityCategoryTag tagType="enumerated" enumType="restrictive"><s:tagCategory name="B" lacv="2"/></s:securityCategoryTag>
</s:securityCategoryTagSet></s:securityCategoryTagSets>"#,
    );
    let mut set = PolicySet::new();
    set.insert(Policy::from_spif(s.as_bytes()).unwrap())
        .unwrap();
    let l = valid(
        &set,
        &label_xml(
            "P",
            "S",
            r#"<l:Category Type="RESTRICTIVE" TagName="TS"><l:GenericValue>A</l:GenericValue><l:GenericValue>B</l:GenericValue></l:Category>"#,
        ),
    );
    let out = write_label_xml(
        &l,
        &LabelMetadata {
            kind: LabelKind::Originator,
            id: None,
            review: now(),
            originator: None,
            creation: now(),
        },
    );
    assert_eq!(out.matches("<slab:Category ").count(), 1, "{out}");
    let read = read_label_xml(out.as_bytes(), Strictness::Strict).unwrap();
    let again = validate(&set, &read.label.body.information, now(), vec![]).unwrap();
    assert_eq!(again, l);
}

// ---- 6. decide across two Policy objects with one id --------------------------------------
#[test]
fn two_spifs_with_one_identifier_are_different_policies() {
    let v1 = spif(
        "P",
        "2.25.7",
        r#"<s:securityClassifications><s:securityClassification name="S" lacv="4" hierarchy="4"/></s:securityClassifications>
<s:securityCategoryTagSets><s:securityCategoryTagSet name="TS" id="2.25.7.1">
 <s:securityCategoryTag tagType="restrictive"><s:tagCategory name="ATOMAL" lacv="1"/><s:tagCategory name="CRYPTO" lacv="2"/></s:securityCategoryTag>
</s:securityCategoryTagSet></s:securityCategoryTagSets>"#,
    );
    let v2 = v1.replace(
        r#"<s:tagCategory name="ATOMAL" lacv="1"/><s:tagCategory name="CRYPTO" lacv="2"/>"#,
        r#"<s:tagCategory name="CRYPTO" lacv="2"/><s:tagCategory name="ATOMAL" lacv="1"/>"#,
    );
    let mut a = PolicySet::new();
    a.insert(Policy::from_spif(v1.as_bytes()).unwrap()).unwrap();
    let mut b = PolicySet::new();
    b.insert(Policy::from_spif(v2.as_bytes()).unwrap()).unwrap();
    let l = valid(
        &a,
        &label_xml(
            "P",
            "S",
            r#"<l:Category Type="RESTRICTIVE" TagName="TS"><l:GenericValue>ATOMAL</l:GenericValue></l:Category>"#,
        ),
    );
    let c = clear(
        &b,
        &clearance_xml(
            "P",
            &["S"],
            r#"<l:Category Type="RESTRICTIVE" TagName="TS"><l:GenericValue>CRYPTO</l:GenericValue></l:Category>"#,
        ),
    );
    // Same identifier, different SPIF bytes: different policies, so no decision grants.
    assert_eq!(decide(&l, &c), Access::Denied);
    assert!(!a.find("P").unwrap().same_as(b.find("P").unwrap()));
    assert!(map_label(&l, b.find("P").unwrap(), now()).is_err());
}

// ---- 7. join: owner-tag rule drops the narrowing "Only" tag ------------------------------
#[test]
fn owner_tag_join_keeps_the_narrowing_only_tag() {
    let set = PolicySet::embedded().unwrap();
    let a = valid(
        &set,
        &label_xml(
            "NATO",
            "CONFIDENTIAL",
            r#"<l:Category Type="PERMISSIVE" TagName="Context"><l:GenericValue>KFOR</l:GenericValue></l:Category>"#,
        ),
    );
    let b = valid(
        &set,
        &std::fs::read_to_string("tests/data/label/table17-6.xml").unwrap(),
    );
    let c = clear(
        &set,
        &clearance_xml(
            "NATO",
            &["CONFIDENTIAL"],
            r#"<l:Category Type="PERMISSIVE" TagName="Only"><l:GenericValue>USA</l:GenericValue></l:Category>
<l:Category Type="PERMISSIVE" TagName="Context"><l:GenericValue>KFOR</l:GenericValue></l:Category>"#,
        ),
    );
    assert_eq!(decide(&a, &c), Access::Granted);
    assert_eq!(decide(&b, &c), Access::Denied);
    let j = join(&[a.clone(), b.clone()], now()).unwrap();
    assert!(dominates(&j, &b), "{:?}", category_names(&j));
    assert_eq!(decide(&j, &c), Access::Denied);
}

// ---- 8. XML reader strictness -------------------------------------------------------------
#[test]
fn clearance_extensions_only_once_at_the_end() {
    let xml = r#"<c:ConfidentialityClearance xmlns:c="urn:nato:stanag:4774:confidentialityclearance:1:0" xmlns:l="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0">
<l:PolicyIdentifier>NATO</l:PolicyIdentifier><c:ClassificationList><c:ConfidentialityClearanceExtensions/><l:Classification>SECRET</l:Classification><c:ConfidentialityClearanceExtensions/></c:ClassificationList></c:ConfidentialityClearance>"#;
    assert!(
        read_clearance_xml(xml.as_bytes()).is_err(),
        "extensions before Classification and twice"
    );
}

#[test]
fn attributes_qualified_with_the_label_namespace_are_refused() {
    let xml = r#"<l:originatorConfidentialityLabel xmlns:l="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0" ReviewDateTime="2035-01-01T00:00:00Z">
<l:ConfidentialityInformation><l:PolicyIdentifier l:URI="urn:oid:9.9">NATO</l:PolicyIdentifier><l:Classification l:URI="x">SECRET</l:Classification>
<l:Category Type="PERMISSIVE" TagName="Context" l:Type="RESTRICTIVE"><l:GenericValue>NATO</l:GenericValue></l:Category></l:ConfidentialityInformation>
<l:CreationDateTime>2025-01-01T00:00:00Z</l:CreationDateTime></l:originatorConfidentialityLabel>"#;
    let r = read_label_xml(xml.as_bytes(), Strictness::Strict);
    assert_eq!(r.unwrap_err().code(), "unexpected-attribute");
}

#[test]
fn many_privacy_marks_compile() {
    // 60 000 marks compiled in seconds before the hash-set check; the test only asserts the
    // result (timing is measured in benches, never asserted).
    let n: usize = 60_000;
    let marks: String = (0..n)
        .map(|i| format!("<s:privacyMark name=\"p{i}\"/>"))
        .collect();
    let s = spif(
        "P",
        "2.25.8",
        &format!(
            r#"<s:securityClassifications><s:securityClassification name="S" lacv="4" hierarchy="4"/></s:securityClassifications>
<s:privacyMarks>{marks}</s:privacyMarks>"#
        ),
    );
    let p = Policy::from_spif(s.as_bytes()).unwrap();
    assert_eq!(p.privacy_marks().len(), n);
}

#[test]
fn rule_storage_is_bounded() {
    // One tag with many categories, then many requiredCategory all="true" rules.
    let cats: String = (0..16000)
        .map(|i| format!("<s:tagCategory name=\"c{i}\" lacv=\"{i}\"/>"))
        .collect();
    let rule = r#"<s:requiredCategory operation="oneOrMore"><s:categoryGroup tagSetRef="T" all="1"/></s:requiredCategory>"#;
    let budget = 4 * 1024 * 1024 - cats.len() - 2000;
    let n = budget / rule.len();
    let rules: String = rule.repeat(n);
    let s = spif(
        "P",
        "2.25.6",
        &format!(
            r#"<s:securityClassifications><s:securityClassification name="S" lacv="4" hierarchy="4">{rules}</s:securityClassification></s:securityClassifications>
<s:securityCategoryTagSets><s:securityCategoryTagSet name="T" id="2.25.6.1"><s:securityCategoryTag tagType="permissive">{cats}</s:securityCategoryTag></s:securityCategoryTagSet></s:securityCategoryTagSets>"#
        ),
    );
    let err = Policy::from_spif(s.as_bytes()).unwrap_err();
    assert_eq!(
        err.kind(),
        &crossguard::policy::PolicyErrorKind::LimitExceeded(
            crossguard::policy::PolicyLimit::RuleMembers
        )
    );
}

#[test]
fn mapping_never_widens_a_permissive_tag() {
    let s = spif(
        "SRC",
        "2.25.11",
        r#"<s:securityClassifications>
  <s:securityClassification name="SECRET" lacv="4" hierarchy="4"><s:equivalentClassification policyRef="TGT" lacv="4" applied="both"/></s:securityClassification>
</s:securityClassifications>
<s:securityCategoryTagSets>
 <s:securityCategoryTagSet name="REL" id="2.25.11.1">
  <s:securityCategoryTag tagType="permissive"><s:tagCategory name="X" lacv="1">
    <s:equivalentSecCategoryTag policyRef="TGT" tagSetId="2.25.12.1" tagType="permissive" lacv="1" applied="both"/></s:tagCategory></s:securityCategoryTag>
 </s:securityCategoryTagSet>
</s:securityCategoryTagSets>
<s:equivalentPolicies><s:equivalentPolicy name="TGT" id="2.25.12"/></s:equivalentPolicies>"#,
    );
    let t = spif(
        "TGT",
        "2.25.12",
        r#"<s:securityClassifications>
  <s:securityClassification name="SECRET" lacv="4" hierarchy="4"/>
</s:securityClassifications>
<s:securityCategoryTagSets>
 <s:securityCategoryTagSet name="REL" id="2.25.12.1">
  <s:securityCategoryTag tagType="permissive">
   <s:tagCategory name="X" lacv="1"><s:requiredCategory operation="all"><s:categoryGroup tagSetRef="REL" lacv="2"/></s:requiredCategory></s:tagCategory>
   <s:tagCategory name="Y" lacv="2"/>
  </s:securityCategoryTag>
 </s:securityCategoryTagSet>
</s:securityCategoryTagSets>
<s:equivalentPolicies><s:equivalentPolicy name="SRC" id="2.25.11"/></s:equivalentPolicies>"#,
    );
    let mut set = PolicySet::new();
    set.insert(Policy::from_spif(s.as_bytes()).unwrap())
        .unwrap();
    set.insert(Policy::from_spif(t.as_bytes()).unwrap())
        .unwrap();
    let l = valid(
        &set,
        &label_xml(
            "SRC",
            "SECRET",
            r#"<l:Category Type="PERMISSIVE" TagName="REL"><l:GenericValue>X</l:GenericValue></l:Category>"#,
        ),
    );
    // Satisfying X's requirement would widen REL to {X, Y}: refused.
    let err = map_label(&l, set.find("TGT").unwrap(), now()).unwrap_err();
    assert_eq!(err.code(), "unsatisfiable-requirement", "{err}");
}

#[test]
fn case_insensitive_policies_refuse_case_duplicates() {
    let s = spif(
        "NATO",
        "2.25.13",
        r#"<s:securityClassifications>
  <s:securityClassification name="secret" lacv="3" hierarchy="3"/>
  <s:securityClassification name="SECRET" lacv="4" hierarchy="4"/>
</s:securityClassifications>"#,
    );
    let err = Policy::from_spif(s.as_bytes()).unwrap_err();
    assert_eq!(err.code(), "duplicate");
}
