//! Property tests of the decision layer against naive set-based oracles: the compiled-bitset
//! ACDF equals the set ACDF; dominance is a partial order; the conservative join is the least
//! upper bound and equals the naive join; XML write → read → validate is the identity.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::collections::BTreeSet;

use crossguard::label::{
    decide, dominates, explain, join_with, read_label_xml, validate, write_label_xml, Access,
    JoinRule, LabelKind, LabelMetadata, Strictness, Timestamp, ValidClearance, ValidLabel,
};
use crossguard::policy::{CategoryType, Policy, PolicySet};
use proptest::prelude::*;

/// Tags of the generated policy: (tag-set name, SPIF tag attributes, 4774 type, size). `R`
/// spans two 64-bit words.
const TAGS: [(&str, &str, CategoryType, usize); 4] = [
    (
        "R",
        r#"tagType="restrictive""#,
        CategoryType::Restrictive,
        70,
    ),
    (
        "P",
        r#"tagType="enumerated" enumType="permissive""#,
        CategoryType::Permissive,
        10,
    ),
    ("Q", r#"tagType="permissive""#, CategoryType::Permissive, 5),
    ("I", r#"tagType="tagType7""#, CategoryType::Informative, 4),
];
const CLASSES: usize = 5;

fn spif() -> String {
    let mut s = String::from(
        r#"<spif:SPIF xmlns:spif="http://www.xmlspif.org/spif" schemaVersion="2.1" creationDate="20250101000000Z" originatorDN="CN=t" keyIdentifier="00" privilegeId="1.3.26.0.4774.5.24.1" rbacId="1.3.26.0.4774.5.24.1"><spif:securityPolicyId name="PROP" id="1.3.6.1.4.1.99999.1"/><spif:securityClassifications>"#,
    );
    for c in 0..CLASSES {
        s.push_str(&format!(
            r#"<spif:securityClassification name="C{c}" lacv="{c}" hierarchy="{c}"/>"#
        ));
    }
    s.push_str("</spif:securityClassifications><spif:securityCategoryTagSets>");
    for (i, (name, attrs, _, n)) in TAGS.iter().enumerate() {
        s.push_str(&format!(
            r#"<spif:securityCategoryTagSet name="{name}" id="1.3.6.1.4.1.99999.1.{i}"><spif:securityCategoryTag name="{name}" {attrs}>"#
        ));
        for v in 0..*n {
            s.push_str(&format!(
                r#"<spif:tagCategory name="{name}{v}" lacv="{}"/>"#,
                v + 1
            ));
        }
        s.push_str("</spif:securityCategoryTag></spif:securityCategoryTagSet>");
    }
    s.push_str("</spif:securityCategoryTagSets></spif:SPIF>");
    s
}

fn policies() -> PolicySet {
    let mut set = PolicySet::new();
    set.insert(Policy::from_spif(spif().as_bytes()).unwrap())
        .unwrap();
    set
}

/// The naive model: a classification index and one set per tag.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Model {
    class: usize,
    sets: [BTreeSet<usize>; 4],
}

fn model() -> impl Strategy<Value = Model> {
    let set = |n: usize| proptest::collection::btree_set(0..n, 0..4);
    (0..CLASSES, set(70), set(10), set(5), set(4)).prop_map(|(class, r, p, q, i)| Model {
        class,
        sets: [r, p, q, i],
    })
}

#[derive(Clone, Debug)]
struct ClearanceModel {
    classes: BTreeSet<usize>,
    sets: [BTreeSet<usize>; 3],
}

fn clearance_model() -> impl Strategy<Value = ClearanceModel> {
    let set = |n: usize, k: usize| proptest::collection::btree_set(0..n, 0..k);
    (set(CLASSES, 5), set(70, 40), set(10, 8), set(5, 4)).prop_map(|(classes, r, p, q)| {
        ClearanceModel {
            classes,
            sets: [r, p, q],
        }
    })
}

fn label_xml(m: &Model) -> String {
    let mut s = format!(
        r#"<l:originatorConfidentialityLabel xmlns:l="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0" ReviewDateTime="2035-01-01T00:00:00Z"><l:ConfidentialityInformation><l:PolicyIdentifier>PROP</l:PolicyIdentifier><l:Classification>C{}</l:Classification>"#,
        m.class
    );
    for (t, (name, _, kind, _)) in TAGS.iter().enumerate() {
        if m.sets[t].is_empty() {
            continue;
        }
        s.push_str(&format!(r#"<l:Category Type="{kind}" TagName="{name}">"#));
        for v in &m.sets[t] {
            s.push_str(&format!("<l:GenericValue>{name}{v}</l:GenericValue>"));
        }
        s.push_str("</l:Category>");
    }
    s.push_str("</l:ConfidentialityInformation><l:CreationDateTime>2025-01-01T00:00:00Z</l:CreationDateTime></l:originatorConfidentialityLabel>");
    s
}

fn at() -> Timestamp {
    Timestamp(1_800_000_000)
}

fn compile<'p>(policies: &'p PolicySet, m: &Model) -> ValidLabel<'p> {
    let xml = label_xml(m);
    let read = read_label_xml(xml.as_bytes(), Strictness::Strict).unwrap();
    validate(policies, &read.label.body.information, at(), read.warnings).unwrap()
}

fn compile_clearance<'p>(policies: &'p PolicySet, c: &ClearanceModel) -> ValidClearance<'p> {
    let policy = policies.find("PROP").unwrap();
    let classes = c
        .classes
        .iter()
        .map(|i| policy.classification_by_name(&format!("C{i}")).unwrap());
    let mut ids = Vec::new();
    for (t, (name, _, kind, _)) in TAGS.iter().take(3).enumerate() {
        let set = policy.tag_set_by_name(name).unwrap();
        for v in &c.sets[t] {
            ids.push(
                policy
                    .category_by_name(set, *kind, &format!("{name}{v}"))
                    .unwrap(),
            );
        }
    }
    ValidClearance::from_parts(policy, classes, ids)
}

fn naive_acdf(l: &Model, c: &ClearanceModel) -> bool {
    c.classes.contains(&l.class)
        && l.sets[0].is_subset(&c.sets[0])
        && (l.sets[1].is_empty() || !l.sets[1].is_disjoint(&c.sets[1]))
        && (l.sets[2].is_empty() || !l.sets[2].is_disjoint(&c.sets[2]))
}

fn naive_dominates(a: &Model, b: &Model) -> bool {
    a.class >= b.class
        && a.sets[0].is_superset(&b.sets[0])
        && (1..3).all(|t| {
            b.sets[t].is_empty() || (!a.sets[t].is_empty() && a.sets[t].is_subset(&b.sets[t]))
        })
}

/// The conservative join, naively; `None` when a permissive intersection is empty.
fn naive_join(labels: &[Model]) -> Option<Model> {
    let mut out = labels[0].clone();
    for l in &labels[1..] {
        out.class = out.class.max(l.class);
        out.sets[0] = out.sets[0].union(&l.sets[0]).copied().collect();
        out.sets[3] = out.sets[3].union(&l.sets[3]).copied().collect();
    }
    for t in 1..3 {
        let carriers: Vec<&BTreeSet<usize>> = labels
            .iter()
            .map(|l| &l.sets[t])
            .filter(|s| !s.is_empty())
            .collect();
        out.sets[t] = match carriers.split_first() {
            None => BTreeSet::new(),
            Some((first, rest)) => rest.iter().fold((*first).clone(), |acc, s| {
                acc.intersection(s).copied().collect()
            }),
        };
        if !carriers.is_empty() && out.sets[t].is_empty() {
            return None;
        }
    }
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn compiled_acdf_equals_the_set_oracle(l in model(), c in clearance_model()) {
        let policies = policies();
        let label = compile(&policies, &l);
        let clearance = compile_clearance(&policies, &c);
        let expected = if naive_acdf(&l, &c) { Access::Granted } else { Access::Denied };
        prop_assert_eq!(decide(&label, &clearance), expected);
        let decision = explain(&label, &clearance);
        prop_assert_eq!(decision.access, expected);
        prop_assert_eq!(decision.reasons.is_empty(), expected == Access::Granted);
    }

    #[test]
    fn dominance_equals_the_oracle_and_is_a_partial_order(a in model(), b in model(), c in model()) {
        let policies = policies();
        let (la, lb, lc) = (compile(&policies, &a), compile(&policies, &b), compile(&policies, &c));
        prop_assert_eq!(dominates(&la, &lb), naive_dominates(&a, &b));
        prop_assert!(dominates(&la, &la));
        if dominates(&la, &lb) && dominates(&lb, &la) {
            // Antisymmetric up to informative tags, which dominance ignores.
            prop_assert_eq!(a.class, b.class);
            prop_assert_eq!(&a.sets[..3], &b.sets[..3]);
        }
        if dominates(&la, &lb) && dominates(&lb, &lc) {
            prop_assert!(dominates(&la, &lc));
        }
    }

    #[test]
    fn conservative_join_is_the_least_upper_bound(
        labels in proptest::collection::vec(model(), 1..4),
        candidate in model(),
    ) {
        let policies = policies();
        let compiled: Vec<ValidLabel<'_>> = labels.iter().map(|m| compile(&policies, m)).collect();
        let joined = join_with(&compiled, JoinRule::Conservative, at());
        match naive_join(&labels) {
            None => prop_assert!(joined.is_err()),
            Some(expected) => {
                let joined = joined.unwrap();
                prop_assert_eq!(&joined, &compile(&policies, &expected));
                for l in &compiled {
                    prop_assert!(dominates(&joined, l));
                }
                // Least: any upper bound of the inputs dominates the join.
                let bound = compile(&policies, &candidate);
                if compiled.iter().all(|l| dominates(&bound, l)) {
                    prop_assert!(dominates(&bound, &joined));
                }
            }
        }
    }

    #[test]
    fn xml_write_read_validate_is_the_identity(m in model()) {
        let policies = policies();
        let label = compile(&policies, &m);
        let metadata = LabelMetadata {
            kind: LabelKind::Alternative,
            id: None,
            review: at(),
            originator: None,
            creation: at(),
        };
        let xml = write_label_xml(&label, &metadata);
        let read = read_label_xml(xml.as_bytes(), Strictness::Strict).unwrap();
        prop_assert_eq!(read.label.kind, LabelKind::Alternative);
        let again = validate(&policies, &read.label.body.information, at(), read.warnings).unwrap();
        prop_assert_eq!(again, label);
    }
}
