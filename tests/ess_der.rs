//! ESS security labels (RFC 2634) in DER: the vectors of tests/data/ess/ (standards.md §4.4,
//! XEP-0258, pyasn1-modules RFC 3114), strictness and error reporting, property tests against a
//! deliberately naive encoder (the fuzz corpus is replayed by
//! tests/fuzz_corpus.rs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use std::fs;
use std::path::{Path, PathBuf};

use crossguard::der::{DerErrorKind, DerRule, Oid};
use crossguard::error::Fault;
use crossguard::label::ess::{EssLabel, PrivacyMark, PrivacyMarkKind};
use crossguard::label::security_category::{
    CategorySyntax, OtherCategory, SecurityCategory, TagCategory,
};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ess")
}

fn data(name: &str) -> Vec<u8> {
    fs::read(data_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn oid(dotted: &str) -> Oid {
    Oid::from_dotted(dotted).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Vectors
// ---------------------------------------------------------------------------------------------

#[test]
fn standards_example_nato_secret_releasable_to_nato_and_aus() {
    let der = data("nato-secret-releasable-nato-aus.der");
    let label = EssLabel::decode(&der).unwrap();
    let (policy, tag_set) = (oid("1.3.26.1.3.1"), oid("1.3.26.1.4.2"));
    let expected = EssLabel::new(policy.as_oid_ref())
        .with_classification(4)
        .unwrap()
        .with_category(SecurityCategory::Tag(
            TagCategory::new(
                CategorySyntax::EnumeratedPermissive,
                tag_set.as_oid_ref(),
                [36, 1001],
            )
            .unwrap(),
        ))
        .unwrap();
    assert_eq!(label, expected);
    assert_eq!(label.policy().to_string(), "1.3.26.1.3.1");
    assert_eq!(label.classification(), Some(4));
    assert_eq!(label.privacy_mark(), None);
    assert_eq!(label.encode(), der);
    assert_eq!(expected.encode(), der);
}

#[test]
fn xep_0258_examples() {
    let der = data("xep0258-policy-1.1-class-4.der");
    let label = EssLabel::decode(&der).unwrap();
    let policy = oid("1.1");
    assert_eq!(
        label,
        EssLabel::new(policy.as_oid_ref())
            .with_classification(4)
            .unwrap()
    );
    assert_eq!(label.encode(), der);

    let der = data("xep0258-policy-1.1-only.der");
    let label = EssLabel::decode(&der).unwrap();
    assert_eq!(label, EssLabel::new(policy.as_oid_ref()));
    assert_eq!(label.classification(), None);
    assert!(label.categories().is_empty());
    assert_eq!(label.encode(), der);

    let der = data("xep0258-aqua-no-policy.der");
    let e = EssLabel::decode(&der).unwrap_err();
    assert_eq!(e.kind(), &DerErrorKind::NoSecurityPolicyIdentifier);
    assert_eq!(e.fault(), Fault::Forbidden);
    assert_eq!(
        e.to_string(),
        "ESSSecurityLabel: no security-policy-identifier (the X.411/X.841 form is refused: \
         a label cannot be interpreted without its policy) at byte 0"
    );
}

#[test]
fn rfc3114_whirlpool_label_with_primitive_category_value() {
    let der = data("rfc3114-whirlpool-label.der");
    let label = EssLabel::decode(&der).unwrap();
    assert_eq!(label.policy(), oid("1.2.840.113549.1.9.16.7.3"));
    assert_eq!(label.classification(), Some(8));
    let mark = label.privacy_mark().unwrap();
    assert_eq!(
        (mark.kind(), mark.as_str()),
        (PrivacyMarkKind::Printable, "Boagus Privacy Mark")
    );
    let [SecurityCategory::Other(category)] = label.categories() else {
        panic!("{:?}", label.categories())
    };
    assert_eq!(category.type_oid(), oid("1.2.840.113549.1.9.16.7.4"));
    let mut value = vec![0x30, 0x1a, 0x0c, 0x18];
    value.extend(b"HUMAN RESOURCES USE ONLY");
    assert_eq!(category.value(), value);
    // Re-encoded with the value in an explicit [1] (A1) instead of the vector's 81.
    let mut expected = der.clone();
    assert_eq!(expected[35], 0x81);
    expected[35] = 0xa1;
    assert_eq!(label.encode(), expected);
    assert_eq!(EssLabel::decode(&expected).unwrap(), label);
}

// ---------------------------------------------------------------------------------------------
// Strictness and errors
// ---------------------------------------------------------------------------------------------

/// `SET { OID 1.1, SET { SecurityCategory { restrictiveBitMap, {1.1, <bits>} } } }`.
fn label_with_bit_map(bits: &[u8]) -> Vec<u8> {
    let mut inner = vec![0x30, 0, 0x06, 0x01, 0x29, 0x03, bits.len() as u8];
    inner.extend(bits);
    inner[1] = (inner.len() - 2) as u8;
    let mut category = vec![
        0x30, 0, 0x80, 0x0a, 0x60, 0x86, 0x48, 0x01, 0x65, 0x02, 0x01, 0x08, 0x03, 0x00,
    ];
    category.extend([0xa1, inner.len() as u8]);
    category.extend(inner);
    category[1] = (category.len() - 2) as u8;
    let mut label = vec![0x31, 0, 0x06, 0x01, 0x29, 0x31, category.len() as u8];
    label.extend(category);
    label[1] = (label.len() - 2) as u8;
    label
}

#[test]
fn errors_name_structure_field_and_byte() {
    let e = EssLabel::decode(&label_with_bit_map(&[0x09, 0x80])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "ESSSecurityLabel.security-categories[0].value.RestrictiveTag.attributeFlags: \
         BIT STRING has 9 unused bits at byte 30"
    );
    assert_eq!(e.fault(), Fault::Malformed);
    let e = EssLabel::decode(&label_with_bit_map(&[0x06, 0x81])).unwrap_err();
    assert_eq!(
        e.kind(),
        &DerErrorKind::NotDer {
            rule: DerRule::UnusedBitsNotZero
        }
    );
    assert_eq!(e.offset(), 31);
    let der = label_with_bit_map(&[0x06, 0x80]);
    let ok = EssLabel::decode(&der).unwrap();
    let [SecurityCategory::Tag(t)] = ok.categories() else {
        panic!()
    };
    assert_eq!(t.values(), [0]);
}

#[test]
fn ber_that_is_not_der_is_refused_with_the_rule() {
    for (der, rule) in [
        (
            &[0x31, 0x80, 0x06, 0x01, 0x29, 0x00, 0x00][..],
            DerRule::IndefiniteLength,
        ),
        (
            &[0x31, 0x81, 0x03, 0x06, 0x01, 0x29],
            DerRule::NonMinimalLength,
        ),
        (
            &[0x31, 0x07, 0x02, 0x02, 0x00, 0x04, 0x06, 0x01, 0x29],
            DerRule::NonMinimalInteger,
        ),
        (
            &[0x31, 0x06, 0x06, 0x01, 0x29, 0x02, 0x01, 0x04],
            DerRule::SetComponentsUnsorted,
        ),
    ] {
        let e = EssLabel::decode(der).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::NotDer { rule }, "{der:02x?}");
        assert_eq!(e.fault(), Fault::Forbidden);
    }
}

#[test]
fn trailing_bytes_name_the_structure() {
    let mut der = data("xep0258-policy-1.1-only.der");
    der.push(0);
    let e = EssLabel::decode(&der).unwrap_err();
    assert_eq!(
        e.kind(),
        &DerErrorKind::TrailingData {
            after: "ESSSecurityLabel"
        }
    );
    assert_eq!(e.offset(), 5);
}

#[test]
fn other_category_types_are_kept_by_name() {
    let type_oid = oid("1.3.6.1.4.1.99999.1");
    let value = [0x0c, 0x03, b'a', b'b', b'c'];
    let policy = oid("1.1");
    let label = EssLabel::new(policy.as_oid_ref())
        .with_category(SecurityCategory::Other(
            OtherCategory::new(type_oid.as_oid_ref(), &value).unwrap(),
        ))
        .unwrap();
    let der = label.encode();
    let read = EssLabel::decode(&der).unwrap();
    assert_eq!(read, label);
    assert_eq!(read.categories()[0].type_oid(), type_oid);
}

// ---------------------------------------------------------------------------------------------
// Properties against a naive reference encoder
// ---------------------------------------------------------------------------------------------

mod properties {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum CategoryModel {
        Tag(CategorySyntax, Vec<u64>, Vec<u32>),
        /// A type under 1.3.6.1.4.1 with a UTF8String value.
        Other(Vec<u64>, String),
    }

    #[derive(Clone, Debug)]
    struct Model {
        policy: Vec<u64>,
        classification: Option<u16>,
        mark: Option<(PrivacyMarkKind, String)>,
        categories: Vec<CategoryModel>,
    }

    fn dotted(arcs: &[u64]) -> String {
        arcs.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }

    fn arcs() -> impl Strategy<Value = Vec<u64>> {
        (
            0u64..=2,
            0u64..=39,
            prop::collection::vec(any::<u64>(), 0..4),
        )
            .prop_map(|(a, b, rest)| {
                let mut arcs = vec![a, b];
                arcs.extend(rest);
                arcs
            })
    }

    fn category() -> impl Strategy<Value = CategoryModel> {
        prop_oneof![
            3 => (
                prop::sample::select(CategorySyntax::ALL.to_vec()),
                arcs(),
                prop::collection::btree_set(0u32..=65_535, 0..16),
            )
                .prop_map(|(s, a, v)| CategoryModel::Tag(s, a, v.into_iter().collect())),
            1 => (prop::collection::vec(any::<u64>(), 0..3), "\\PC{0,20}")
                .prop_map(|(tail, text)| {
                    let mut arcs = vec![1, 3, 6, 1, 4, 1];
                    arcs.extend(tail);
                    CategoryModel::Other(arcs, text)
                }),
        ]
    }

    fn model() -> impl Strategy<Value = Model> {
        let mark = prop_oneof![
            "[A-Za-z0-9 '()+,./:=?-]{1,128}".prop_map(|s| (PrivacyMarkKind::Printable, s)),
            "\\PC{1,60}".prop_map(|s| (PrivacyMarkKind::Utf8, s)),
        ];
        (
            arcs(),
            prop::option::of(0u16..=256),
            prop::option::of(mark),
            prop::collection::vec(category(), 0..6),
        )
            .prop_map(|(policy, classification, mark, categories)| Model {
                policy,
                classification,
                mark,
                categories,
            })
    }

    // --- the naive encoder: fixed component order, SET OF sorted by a plain sort ---

    fn naive_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = content.len();
        if len < 128 {
            out.push(len as u8);
        } else {
            let bytes: Vec<u8> = len
                .to_be_bytes()
                .into_iter()
                .skip_while(|&b| b == 0)
                .collect();
            out.push(0x80 | bytes.len() as u8);
            out.extend(bytes);
        }
        out.extend_from_slice(content);
        out
    }

    fn naive_oid(arcs: &[u64]) -> Vec<u8> {
        let mut subidentifiers = vec![arcs[0] as u128 * 40 + arcs[1] as u128];
        subidentifiers.extend(arcs[2..].iter().map(|&a| a as u128));
        let mut out = Vec::new();
        for mut s in subidentifiers {
            let mut groups = vec![(s & 0x7f) as u8];
            s >>= 7;
            while s > 0 {
                groups.push((s & 0x7f) as u8 | 0x80);
                s >>= 7;
            }
            groups.reverse();
            out.extend(groups);
        }
        out
    }

    fn naive_integer(v: u64) -> Vec<u8> {
        let mut bytes: Vec<u8> = v
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        if bytes.is_empty() || bytes[0] & 0x80 != 0 {
            bytes.insert(0, 0);
        }
        naive_tlv(0x02, &bytes)
    }

    fn naive_bits(values: &[u32]) -> Vec<u8> {
        let Some(&max) = values.iter().max() else {
            return vec![0];
        };
        let mut bytes = vec![0u8; max as usize / 8 + 1];
        for &v in values {
            bytes[v as usize / 8] |= 0x80 >> (v % 8);
        }
        let mut out = vec![7 - (max % 8) as u8];
        out.extend(bytes);
        out
    }

    fn naive_set_of(mut elements: Vec<Vec<u8>>) -> Vec<u8> {
        elements.sort();
        naive_tlv(0x31, &elements.concat())
    }

    fn naive_category(c: &CategoryModel) -> Vec<u8> {
        let (type_arcs, value) = match c {
            CategoryModel::Other(arcs, text) => (arcs.clone(), naive_tlv(0x0c, text.as_bytes())),
            CategoryModel::Tag(syntax, tag_name, values) => {
                let type_arc = match syntax {
                    CategorySyntax::RestrictiveBitMap => 0,
                    CategorySyntax::EnumeratedPermissive => 1,
                    CategorySyntax::PermissiveBitMap => 2,
                    CategorySyntax::InformativeBitSet | CategorySyntax::InformativeAttributes => 3,
                    CategorySyntax::EnumeratedRestrictive => 4,
                };
                let field = match syntax {
                    CategorySyntax::RestrictiveBitMap
                    | CategorySyntax::PermissiveBitMap
                    | CategorySyntax::InformativeBitSet => naive_tlv(0x03, &naive_bits(values)),
                    _ => naive_set_of(
                        values
                            .iter()
                            .map(|&v| naive_integer(u64::from(v)))
                            .collect(),
                    ),
                };
                (
                    vec![2, 16, 840, 1, 101, 2, 1, 8, 3, type_arc],
                    naive_tlv(
                        0x30,
                        &[naive_tlv(0x06, &naive_oid(tag_name)), field].concat(),
                    ),
                )
            }
        };
        naive_tlv(
            0x30,
            &[
                naive_tlv(0x80, &naive_oid(&type_arcs)),
                naive_tlv(0xa1, &value),
            ]
            .concat(),
        )
    }

    fn naive_label(m: &Model) -> Vec<u8> {
        let mut content = Vec::new();
        if let Some(c) = m.classification {
            content.extend(naive_integer(u64::from(c)));
        }
        content.extend(naive_tlv(0x06, &naive_oid(&m.policy)));
        if let Some((PrivacyMarkKind::Utf8, text)) = &m.mark {
            content.extend(naive_tlv(0x0c, text.as_bytes()));
        }
        let mut categories: Vec<Vec<u8>> = m.categories.iter().map(naive_category).collect();
        categories.sort();
        categories.dedup();
        if !categories.is_empty() {
            content.extend(naive_set_of(categories));
        }
        if let Some((PrivacyMarkKind::Printable, text)) = &m.mark {
            content.extend(naive_tlv(0x13, text.as_bytes()));
        }
        naive_tlv(0x31, &content)
    }

    /// The OIDs and opaque values a model's label borrows.
    struct Owned {
        oids: Vec<Oid>,
        values: Vec<Vec<u8>>,
    }

    fn owned(m: &Model) -> Owned {
        let mut oids = vec![oid(&dotted(&m.policy))];
        let mut values = Vec::new();
        for c in &m.categories {
            match c {
                CategoryModel::Tag(_, arcs, _) => oids.push(oid(&dotted(arcs))),
                CategoryModel::Other(arcs, text) => {
                    oids.push(oid(&dotted(arcs)));
                    values.push(naive_tlv(0x0c, text.as_bytes()));
                }
            }
        }
        Owned { oids, values }
    }

    fn build<'a>(m: &'a Model, o: &'a Owned) -> EssLabel<'a> {
        let mut label = EssLabel::new(o.oids[0].as_oid_ref());
        if let Some(c) = m.classification {
            label = label.with_classification(c).unwrap();
        }
        if let Some((kind, text)) = &m.mark {
            let mark = match kind {
                PrivacyMarkKind::Printable => PrivacyMark::printable(text),
                PrivacyMarkKind::Utf8 => PrivacyMark::utf8(text),
            };
            label = label.with_privacy_mark(mark.unwrap());
        }
        let mut values = o.values.iter();
        for (i, c) in m.categories.iter().enumerate() {
            let category = match c {
                CategoryModel::Tag(syntax, _, v) => SecurityCategory::Tag(
                    TagCategory::new(*syntax, o.oids[i + 1].as_oid_ref(), v.iter().copied())
                        .unwrap(),
                ),
                CategoryModel::Other(..) => SecurityCategory::Other(
                    OtherCategory::new(o.oids[i + 1].as_oid_ref(), values.next().unwrap()).unwrap(),
                ),
            };
            match label.clone().with_category(category) {
                Ok(l) => label = l,
                Err(e) => assert_eq!(e.kind(), &DerErrorKind::DuplicateElement),
            }
        }
        label
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any label encodes as the naive encoder does (components in tag order, categories
        /// sorted by a plain sort of their encodings), decodes back to the same label, and
        /// re-encodes byte-identically.
        #[test]
        fn label_round_trip_against_naive_encoder(m in model()) {
            let o = owned(&m);
            let label = build(&m, &o);
            let der = label.encode();
            prop_assert_eq!(&der, &naive_label(&m));
            let read = EssLabel::decode(&der).unwrap();
            prop_assert_eq!(&read, &label);
            prop_assert_eq!(read.encode(), der);
        }

        /// Arbitrary bytes never panic, and whatever decodes satisfies the fuzz oracle.
        #[test]
        fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            crossguard::fuzzing::label_ess(&bytes);
        }

        /// Mutations of valid encodings (the likeliest near-misses) satisfy the fuzz oracle.
        #[test]
        fn mutated_encodings(
            m in model(),
            edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
            cut in any::<usize>(),
        ) {
            let o = owned(&m);
            let mut der = build(&m, &o).encode();
            for (at, byte) in edits {
                let at = at % der.len();
                der[at] = byte;
            }
            crossguard::fuzzing::label_ess(&der);
            der.truncate(cut % (der.len() + 1));
            crossguard::fuzzing::label_ess(&der);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Corpus replay
// ---------------------------------------------------------------------------------------------
