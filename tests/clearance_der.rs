//! X.509 Clearance attributes in DER (RFC 5755 / RFC 3281) and in certificates: the published
//! pyasn1-modules vectors, real certificates generated with rcgen (also the committed fixtures
//! in tests/data/clearance/), property tests against a deliberately naive encoder (the fuzz
//! corpus is replayed by tests/fuzz_corpus.rs).
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
use crossguard::label::clearance_der::{
    ClassList, ClearanceAttribute, ClearanceDer, ClearanceForm, ClearanceInput, ID_AT_CLEARANCE,
};
use crossguard::label::security_category::{CategorySyntax, SecurityCategory, TagCategory};

const UUID_POLICY: &str = "2.25.126012349812034871230498712304987123";
const WHIRLPOOL: &str = "1.2.840.113549.1.9.16.7.3";
const WHIRLPOOL_CATEGORIES: &str = "1.2.840.113549.1.9.16.7.4";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/clearance")
}

fn data(name: &str) -> Vec<u8> {
    fs::read(data_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn oid(dotted: &str) -> Oid {
    Oid::from_dotted(dotted).unwrap()
}

/// The DER of `SEQUENCE { UTF8String... }` (the RFC 3114 Whirlpool category value).
fn utf8_sequence(strings: &[&str]) -> Vec<u8> {
    let mut w = crossguard::der::Writer::new();
    w.constructed(crossguard::der::Tag::SEQUENCE, |w| {
        strings.iter().for_each(|s| w.utf8_string(s))
    });
    w.into_bytes()
}

/// The Clearance attribute of the fixtures and the generated certificates: policy
/// 2.25.126012349812034871230498712304987123, classList {unclassified, restricted,
/// confidential, secret}, Releasable To {36, 1001} (enumerated permissive) under tag set
/// 2.25.126012349812034871230498712304987123.2.
fn secret_nato_aus_attribute() -> Vec<u8> {
    let policy = oid(UUID_POLICY);
    let tag_set = oid(&format!("{UUID_POLICY}.2"));
    let clearance = ClearanceDer::new(policy.as_oid_ref())
        .with_class_list(
            ClassList::from_classifications([
                ClassList::UNCLASSIFIED,
                ClassList::RESTRICTED,
                ClassList::CONFIDENTIAL,
                ClassList::SECRET,
            ])
            .unwrap(),
        )
        .with_category(SecurityCategory::Tag(
            TagCategory::new(
                CategorySyntax::EnumeratedPermissive,
                tag_set.as_oid_ref(),
                [36, 1001],
            )
            .unwrap(),
        ))
        .unwrap();
    ClearanceAttribute::new(vec![clearance]).unwrap().encode()
}

/// Asserts that `clearance` is the one in [`secret_nato_aus_attribute`].
fn assert_secret_nato_aus(clearance: &ClearanceDer<'_>) {
    assert_eq!(clearance.form(), ClearanceForm::Current);
    assert_eq!(clearance.policy().to_string(), UUID_POLICY);
    assert_eq!(
        clearance.class_list().iter().collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    let [SecurityCategory::Tag(category)] = clearance.categories() else {
        panic!("{:?}", clearance.categories())
    };
    assert_eq!(category.syntax(), CategorySyntax::EnumeratedPermissive);
    assert_eq!(category.tag_name().to_string(), format!("{UUID_POLICY}.2"));
    assert_eq!(category.values(), [36, 1001]);
}

// ---------------------------------------------------------------------------------------------
// Published vectors (pyasn1-modules 0.4.1; tests/data/clearance/README.md)
// ---------------------------------------------------------------------------------------------

fn assert_whirlpool_clearance(clearance: &ClearanceDer<'_>) {
    assert_eq!(clearance.form(), ClearanceForm::Current);
    assert_eq!(clearance.policy(), oid(WHIRLPOOL));
    // 03 02 05 e0: {unmarked, unclassified, restricted}
    assert_eq!(clearance.class_list().iter().collect::<Vec<_>>(), [0, 1, 2]);
    let [SecurityCategory::Other(category)] = clearance.categories() else {
        panic!("{:?}", clearance.categories())
    };
    assert_eq!(category.type_oid(), oid(WHIRLPOOL_CATEGORIES));
    assert_eq!(
        category.value(),
        utf8_sequence(&["HUMAN RESOURCES USE ONLY"])
    );
}

/// The pyasn1 vectors wrap `value [1]` as primitive `81`; crossguard writes `A1`.
fn with_explicit_value_tag(mut der: Vec<u8>, at: usize) -> Vec<u8> {
    assert_eq!(der[at], 0x81, "expected the primitive [1] at byte {at}");
    der[at] = 0xa1;
    der
}

#[test]
fn rfc5755_clearance_attribute_vector() {
    let der = data("rfc5755-cert-whirlpool-clearance-attribute.der");
    let read = ClearanceInput::decode(&der).unwrap();
    let ClearanceInput::Attribute(attribute) = &read else {
        panic!("{read:?}")
    };
    assert_eq!(attribute.attribute_type(), ClearanceForm::Current);
    assert_eq!(attribute.values().len(), 1);
    assert_whirlpool_clearance(&attribute.values()[0]);
    assert_eq!(read.encode(), with_explicit_value_tag(der, 0x2d));
}

#[test]
fn rfc5913_clearance_constraint_vectors() {
    let first = data("rfc5913-clearance-constraint-0.der");
    let c = ClearanceDer::decode(&first).unwrap();
    assert_eq!(c.policy(), oid(WHIRLPOOL));
    assert_eq!(c.class_list().iter().collect::<Vec<_>>(), [0, 1, 2]);
    let [SecurityCategory::Other(category)] = c.categories() else {
        panic!("{:?}", c.categories())
    };
    assert_eq!(category.type_oid(), oid(WHIRLPOOL_CATEGORIES));
    assert_eq!(
        category.value(),
        utf8_sequence(&["LAW DEPARTMENT USE ONLY", "HUMAN RESOURCES USE ONLY"])
    );
    assert_eq!(c.encode(), with_explicit_value_tag(first, 0x24));
    for (file, policy, classes) in [
        (
            "rfc5913-clearance-constraint-1.der",
            "1.2.840.113549.1.9.16.7.2",
            &[0u16, 1, 2, 3][..],
        ),
        (
            "rfc5913-clearance-constraint-2.der",
            "1.2.840.113549.1.9.16.7.1",
            &[0, 1, 2],
        ),
    ] {
        let der = data(file);
        let c = ClearanceDer::decode(&der).unwrap();
        assert_eq!(c.policy(), oid(policy), "{file}");
        assert_eq!(c.class_list().iter().collect::<Vec<_>>(), classes, "{file}");
        assert!(c.categories().is_empty());
        assert_eq!(c.encode(), der, "{file}");
    }
}

#[test]
fn legacy_form_round_trips_to_current() {
    let der = data("rfc5913-clearance-constraint-1.der");
    let current = ClearanceDer::decode(&der).unwrap();
    let legacy = current.encode_in(ClearanceForm::Legacy);
    assert_eq!(&legacy[..4], [0x30, 0x11, 0x80, 0x0b]);
    let read = ClearanceDer::decode(&legacy).unwrap();
    assert_eq!(read.form(), ClearanceForm::Legacy);
    assert_eq!(read.policy(), current.policy());
    assert_eq!(read.encode(), der);
}

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

#[cfg(feature = "x509")]
mod certificates {
    use super::*;
    use crossguard::der::{Tag, Writer};
    use crossguard::label::certificate::{certificate_der, CertificateClearances};
    use rcgen::{
        BasicConstraints, CertificateParams, CustomExtension, DnType, IsCa, Issuer, KeyPair,
        KeyUsagePurpose, SerialNumber,
    };

    /// An Ed25519 key from a fixed seed (PKCS#8 v1): Ed25519 signatures are deterministic, so
    /// the generated certificates are byte-for-byte reproducible.
    fn test_key(seed: u8) -> KeyPair {
        let mut pkcs8 = vec![
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20,
        ];
        pkcs8.extend((0..32u8).map(|i| i.wrapping_mul(31).wrapping_add(seed)));
        KeyPair::try_from(pkcs8.as_slice()).unwrap()
    }

    fn subject_directory_attributes(attributes: &[&[u8]]) -> Vec<u8> {
        let mut w = Writer::new();
        w.constructed(Tag::SEQUENCE, |w| attributes.iter().for_each(|a| w.raw(a)));
        w.into_bytes()
    }

    /// A directory attribute that is not a clearance: `role` (2.5.4.72) with a UTF8String.
    fn role_attribute() -> Vec<u8> {
        let mut w = Writer::new();
        w.constructed(Tag::SEQUENCE, |w| {
            w.oid(oid("2.5.4.72").as_oid_ref());
            w.constructed(Tag::SET, |w| w.utf8_string("watch officer"));
        });
        w.into_bytes()
    }

    /// A CA and a leaf signed by it; the leaf carries `extension` as subjectDirectoryAttributes
    /// when given. Returns (CA PEM, leaf DER, leaf PEM).
    fn generate(common_name: &str, extension: Option<Vec<u8>>) -> (String, Vec<u8>, String) {
        let ca_key = test_key(1);
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.distinguished_name
            .push(DnType::OrganizationName, "crossguard tests");
        ca.distinguished_name
            .push(DnType::CommonName, "crossguard test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign];
        ca.serial_number = Some(SerialNumber::from(1u64));
        let ca_certificate = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, &ca_key);

        let leaf_key = test_key(2);
        let mut leaf = CertificateParams::new(Vec::<String>::new()).unwrap();
        leaf.distinguished_name
            .push(DnType::OrganizationName, "crossguard tests");
        leaf.distinguished_name
            .push(DnType::CommonName, common_name);
        leaf.serial_number = Some(SerialNumber::from(2u64));
        if let Some(value) = extension {
            leaf.custom_extensions
                .push(CustomExtension::from_oid_content(&[2, 5, 29, 9], value));
        }
        let certificate = leaf.signed_by(&leaf_key, &issuer).unwrap();
        (
            ca_certificate.pem(),
            certificate.der().to_vec(),
            certificate.pem(),
        )
    }

    fn cleared_certificate() -> (String, Vec<u8>, String) {
        let attribute = secret_nato_aus_attribute();
        generate(
            "Alice Example (SECRET, Releasable To NATO and AUS)",
            Some(subject_directory_attributes(&[
                &role_attribute(),
                &attribute,
            ])),
        )
    }

    struct TempFile(PathBuf);

    impl TempFile {
        fn new(name: &str, bytes: &[u8]) -> Self {
            let path = std::env::temp_dir().join(format!(
                "crossguard-{}-{:?}-{name}",
                std::process::id(),
                std::thread::current().id()
            ));
            fs::write(&path, bytes).unwrap();
            Self(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = fs::remove_file(&self.0);
        }
    }

    #[test]
    fn generated_certificate_from_der_and_pem_files() {
        let (_, der, pem) = cleared_certificate();
        let der_file = TempFile::new("leaf.der", &der);
        let pem_file = TempFile::new("leaf.pem", pem.as_bytes());
        for file in [&der_file, &pem_file] {
            let bytes = fs::read(&file.0).unwrap();
            let certificate = certificate_der(&bytes).unwrap();
            assert_eq!(*certificate, der[..]);
            let found = CertificateClearances::from_der(&certificate).unwrap();
            assert_eq!(found.clearances().len(), 1);
            assert_secret_nato_aus(&found.clearances()[0]);
            assert!(
                found
                    .subject()
                    .contains("CN=Alice Example (SECRET, Releasable To NATO and AUS)"),
                "{}",
                found.subject()
            );
            assert!(found.subject().contains("O=crossguard tests"));
        }
    }

    #[test]
    fn certificate_without_the_extension_or_without_a_clearance() {
        let (_, der, _) = generate("No Clearance", None);
        let e = CertificateClearances::from_der(&der).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::NoSubjectDirectoryAttributes);
        assert_eq!(e.fault(), Fault::Forbidden);
        let (_, der, _) = generate(
            "Role Only",
            Some(subject_directory_attributes(&[&role_attribute()])),
        );
        let e = CertificateClearances::from_der(&der).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::NoClearanceAttribute);
    }

    #[test]
    fn broken_clearance_in_a_certificate_names_its_path_and_offset() {
        // A classList that encodes the DEFAULT {unclassified}: not DER.
        let mut w = Writer::new();
        w.constructed(Tag::SEQUENCE, |w| {
            w.oid(ID_AT_CLEARANCE);
            w.constructed(Tag::SET, |w| {
                w.constructed(Tag::SEQUENCE, |w| {
                    w.oid(oid(UUID_POLICY).as_oid_ref());
                    w.bit_string(Tag::BIT_STRING, &[1]);
                })
            });
        });
        let attribute = w.into_bytes();
        let (_, der, _) = generate("Broken", Some(subject_directory_attributes(&[&attribute])));
        let e = CertificateClearances::from_der(&der).unwrap_err();
        assert_eq!(
            e.kind(),
            &DerErrorKind::NotDer {
                rule: DerRule::DefaultValueEncoded
            }
        );
        assert_eq!(
            e.path().to_string(),
            "subjectDirectoryAttributes[0].Attribute.values[0].Clearance.classList"
        );
        // The offset is absolute in the certificate: it points at the BIT STRING content.
        assert_eq!(
            &der[e.offset() - 2..e.offset() + 2],
            [0x03, 0x02, 0x06, 0x40]
        );
    }

    #[test]
    fn truncated_and_trailing_certificates_are_refused() {
        let (_, der, pem) = cleared_certificate();
        let e = CertificateClearances::from_der(&der[..der.len() - 1]).unwrap_err();
        assert!(matches!(e.kind(), DerErrorKind::Certificate { .. }), "{e}");
        let mut longer = der.clone();
        longer.push(0);
        assert!(matches!(
            CertificateClearances::from_der(&longer).unwrap_err().kind(),
            DerErrorKind::Certificate { .. }
        ));
        let two = format!("{pem}{pem}");
        assert!(matches!(
            certificate_der(two.as_bytes()).unwrap_err().kind(),
            DerErrorKind::Pem { .. }
        ));
    }

    #[test]
    fn rfc5755_certificate_vector() {
        for file in ["rfc5755-cert-whirlpool.der", "rfc5755-cert-whirlpool.pem"] {
            let bytes = data(file);
            let der = certificate_der(&bytes).unwrap();
            let found = CertificateClearances::from_der(&der).unwrap();
            assert_eq!(found.clearances().len(), 1, "{file}");
            assert_whirlpool_clearance(&found.clearances()[0]);
            assert!(found.subject().contains("CN=Fred"), "{}", found.subject());
        }
    }

    /// The committed fixtures (also used by the CLI tests) are exactly what this generator
    /// makes. Regenerate with `CROSSGUARD_REGENERATE_FIXTURES=1 cargo test --test clearance_der`.
    #[test]
    fn fixtures_match_their_generator() {
        let (_, _, cleared_pem) = cleared_certificate();
        let (_, _, plain_pem) = generate("Bob Example (no clearance)", None);
        let fixtures = [
            ("clearance-secret-nato-aus.der", secret_nato_aus_attribute()),
            ("cert-secret-nato-aus.pem", cleared_pem.into_bytes()),
            ("cert-no-clearance.pem", plain_pem.into_bytes()),
        ];
        for (name, bytes) in &fixtures {
            let path = data_dir().join(name);
            if std::env::var_os("CROSSGUARD_REGENERATE_FIXTURES").is_some() {
                fs::write(&path, bytes).unwrap();
            }
            assert_eq!(
                &fs::read(&path).unwrap(),
                bytes,
                "{name} differs from its generator; regenerate with CROSSGUARD_REGENERATE_FIXTURES=1"
            );
        }
    }

    #[test]
    fn fixtures_decode_to_their_documented_values() {
        let attribute = data("clearance-secret-nato-aus.der");
        let read = ClearanceInput::decode(&attribute).unwrap();
        assert!(matches!(read, ClearanceInput::Attribute(_)));
        assert_secret_nato_aus(&read.clearances()[0]);
        assert_eq!(read.encode(), attribute);

        let pem = data("cert-secret-nato-aus.pem");
        let der = certificate_der(&pem).unwrap();
        let found = CertificateClearances::from_der(&der).unwrap();
        assert_secret_nato_aus(&found.clearances()[0]);

        let pem = data("cert-no-clearance.pem");
        let der = certificate_der(&pem).unwrap();
        assert_eq!(
            CertificateClearances::from_der(&der).unwrap_err().kind(),
            &DerErrorKind::NoSubjectDirectoryAttributes
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Properties against a naive reference encoder
// ---------------------------------------------------------------------------------------------

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// What a clearance holds, as plain data.
    #[derive(Clone, Debug)]
    struct Model {
        policy: Vec<u64>,
        classes: Option<Vec<u16>>,
        categories: Vec<(CategorySyntax, Vec<u64>, Vec<u32>)>,
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

    /// Clearances of at most 5 categories whose values are at most `max_value` (bit maps of
    /// up to 8 KiB each when it is `MAX_LACV`).
    fn model_with(max_value: u32) -> impl Strategy<Value = Model> {
        let category = (
            prop::sample::select(CategorySyntax::ALL.to_vec()),
            arcs(),
            prop::collection::btree_set(0u32..=max_value, 0..12),
        )
            .prop_map(|(s, a, v)| (s, a, v.into_iter().collect()));
        (
            arcs(),
            prop::option::of(prop::collection::btree_set(0u16..=256, 0..6)),
            prop::collection::vec(category, 0..5),
        )
            .prop_map(|(policy, classes, categories)| Model {
                policy,
                classes: classes.map(|c| c.into_iter().collect()),
                categories,
            })
    }

    fn model() -> impl Strategy<Value = Model> {
        model_with(65_535)
    }

    // --- the naive encoder: lengths by hand, SET OF sorted by a plain sort of encodings ---

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

    fn naive_integer(v: u32) -> Vec<u8> {
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

    fn naive_set_of(tag: u8, mut elements: Vec<Vec<u8>>) -> Vec<u8> {
        elements.sort();
        naive_tlv(tag, &elements.concat())
    }

    fn naive_category(syntax: CategorySyntax, tag_name: &[u64], values: &[u32]) -> Vec<u8> {
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
            _ => naive_set_of(0x31, values.iter().map(|&v| naive_integer(v)).collect()),
        };
        let inner = naive_tlv(
            0x30,
            &[naive_tlv(0x06, &naive_oid(tag_name)), field].concat(),
        );
        naive_tlv(
            0x30,
            &[
                naive_tlv(
                    0x80,
                    &naive_oid(&[2, 16, 840, 1, 101, 2, 1, 8, 3, type_arc]),
                ),
                naive_tlv(0xa1, &inner),
            ]
            .concat(),
        )
    }

    fn naive_clearance(m: &Model) -> Vec<u8> {
        let mut content = naive_tlv(0x06, &naive_oid(&m.policy));
        if let Some(classes) = &m.classes {
            if classes != &[1] {
                let bits: Vec<u32> = classes.iter().map(|&c| u32::from(c)).collect();
                content.extend(naive_tlv(0x03, &naive_bits(&bits)));
            }
        }
        let mut categories: Vec<Vec<u8>> = m
            .categories
            .iter()
            .map(|(s, t, v)| naive_category(*s, t, v))
            .collect();
        categories.sort();
        categories.dedup();
        if !categories.is_empty() {
            content.extend(naive_set_of(0x31, categories));
        }
        naive_tlv(0x30, &content)
    }

    /// Builds the crate's value from the model (the same categories, duplicates skipped).
    fn build<'a>(m: &Model, oids: &'a [Oid]) -> ClearanceDer<'a> {
        let mut clearance = ClearanceDer::new(oids[0].as_oid_ref());
        if let Some(classes) = &m.classes {
            clearance = clearance
                .with_class_list(ClassList::from_classifications(classes.iter().copied()).unwrap());
        }
        for (i, (syntax, _, values)) in m.categories.iter().enumerate() {
            let category = SecurityCategory::Tag(
                TagCategory::new(*syntax, oids[i + 1].as_oid_ref(), values.iter().copied())
                    .unwrap(),
            );
            match clearance.clone().with_category(category) {
                Ok(c) => clearance = c,
                Err(e) => assert!(
                    matches!(
                        e.kind(),
                        DerErrorKind::DuplicateElement | DerErrorKind::InputTooLarge { .. }
                    ),
                    "{e}"
                ),
            }
        }
        clearance
    }

    fn model_oids(m: &Model) -> Vec<Oid> {
        std::iter::once(&m.policy)
            .chain(m.categories.iter().map(|(_, t, _)| t))
            .map(|arcs| oid(&dotted(arcs)))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Encoding equals the naive encoder; decoding gives the value back; re-encoding is
        /// byte-identical; the legacy form decodes to the same value.
        #[test]
        fn clearance_round_trip_against_naive_encoder(m in model()) {
            let oids = model_oids(&m);
            let clearance = build(&m, &oids);
            let der = clearance.encode();
            prop_assert_eq!(&der, &naive_clearance(&m));
            let read = ClearanceDer::decode(&der).unwrap();
            prop_assert_eq!(&read, &clearance);
            prop_assert_eq!(read.encode(), der.clone());
            let legacy_der = clearance.encode_in(ClearanceForm::Legacy);
            let legacy = ClearanceDer::decode(&legacy_der).unwrap();
            prop_assert_eq!(legacy.form(), ClearanceForm::Legacy);
            prop_assert_eq!(legacy.encode(), der);
        }

        /// An attribute of several clearances: values sorted as a naive sort of encodings.
        #[test]
        fn attribute_values_sorted_like_naive_sort(models in prop::collection::vec(model_with(4_095), 1..5)) {
            let oids: Vec<Vec<Oid>> = models.iter().map(model_oids).collect();
            let mut values: Vec<ClearanceDer<'_>> = Vec::new();
            for (m, o) in models.iter().zip(&oids) {
                let c = build(m, o);
                if !values.contains(&c) {
                    values.push(c);
                }
            }
            let mut naive: Vec<Vec<u8>> = values.iter().map(ClearanceDer::encode).collect();
            naive.sort();
            let expected = naive_tlv(0x30, &[naive_tlv(0x06, &[0x55, 0x04, 0x37]), naive_set_of(0x31, naive)].concat());
            let attribute = match ClearanceAttribute::new(values.clone()) {
                Ok(a) => a,
                Err(e) => {
                    // Refused only because the decoder would refuse the encoding
                    // (regression: tests/clearance_der.proptest-regressions).
                    prop_assert_eq!(e.kind(), &DerErrorKind::InputTooLarge { limit: 65_536 });
                    prop_assert!(expected.len() > 65_536);
                    return Ok(());
                }
            };
            let der = attribute.encode();
            prop_assert_eq!(&der, &expected);
            let read = ClearanceInput::decode(&der).unwrap();
            prop_assert_eq!(read.clearances(), attribute.values());
            prop_assert_eq!(read.encode(), der);
        }

        /// Arbitrary bytes never panic, and whatever decodes satisfies the fuzz oracle.
        #[test]
        fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            crossguard::fuzzing::clearance_der(&bytes);
        }

        /// Mutations of valid encodings (the likeliest near-misses) satisfy the fuzz oracle.
        #[test]
        fn mutated_encodings(m in model(), edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4), cut in any::<usize>()) {
            let oids = model_oids(&m);
            let mut der = build(&m, &oids).encode();
            for (at, byte) in edits {
                let at = at % der.len();
                der[at] = byte;
            }
            crossguard::fuzzing::clearance_der(&der);
            der.truncate(cut % (der.len() + 1));
            crossguard::fuzzing::clearance_der(&der);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strictness and errors
// ---------------------------------------------------------------------------------------------

/// Regression (property-test find): values could be built whose encoding the decoder then
/// refused as over `MAX_DER_INPUT_BYTES`. Construction now refuses them instead.
#[test]
fn constructors_refuse_what_the_decoder_would_refuse() {
    use crossguard::limits::{MAX_DER_INPUT_BYTES, MAX_LACV};
    let tag_sets: Vec<Oid> = (0..12).map(|i| oid(&format!("1.2.{i}"))).collect();
    let big = |i: usize| {
        SecurityCategory::Tag(
            TagCategory::new(
                CategorySyntax::PermissiveBitMap,
                tag_sets[i].as_oid_ref(),
                [MAX_LACV],
            )
            .unwrap(),
        )
    };
    let policy = oid("1.1");
    let mut clearance = ClearanceDer::new(policy.as_oid_ref());
    let mut refused = None;
    for i in 0..12 {
        match clearance.clone().with_category(big(i)) {
            Ok(c) => clearance = c,
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let e = refused.expect("eight 8 KiB bit maps exceed 64 KiB");
    assert_eq!(
        e.kind(),
        &DerErrorKind::InputTooLarge {
            limit: MAX_DER_INPUT_BYTES
        }
    );
    assert_eq!(e.fault(), Fault::LimitExceeded);
    let der = clearance.encode();
    assert!(der.len() <= MAX_DER_INPUT_BYTES);
    assert_eq!(ClearanceDer::decode(&der).unwrap(), clearance);
    let other_policy = oid("1.2");
    let second = ClearanceDer::new(other_policy.as_oid_ref())
        .with_category(big(0))
        .unwrap();
    let e = ClearanceAttribute::new(vec![clearance, second]).unwrap_err();
    assert_eq!(
        e.kind(),
        &DerErrorKind::InputTooLarge {
            limit: MAX_DER_INPUT_BYTES
        }
    );
}

#[test]
fn non_der_class_lists_are_refused_with_the_rule() {
    for (der, rule) in [
        (
            &[0x30, 0x07, 0x06, 0x01, 0x29, 0x03, 0x02, 0x06, 0x40][..],
            DerRule::DefaultValueEncoded,
        ),
        (
            &[0x30, 0x07, 0x06, 0x01, 0x29, 0x03, 0x02, 0x04, 0xe0],
            DerRule::TrailingZeroBits,
        ),
        (
            &[0x30, 0x07, 0x06, 0x01, 0x29, 0x03, 0x02, 0x05, 0xe1],
            DerRule::UnusedBitsNotZero,
        ),
        (
            &[0x30, 0x80, 0x06, 0x01, 0x29, 0x00, 0x00],
            DerRule::IndefiniteLength,
        ),
    ] {
        let e = ClearanceDer::decode(der).unwrap_err();
        assert_eq!(e.kind(), &DerErrorKind::NotDer { rule }, "{der:02x?}");
        assert_eq!(e.fault(), Fault::Forbidden);
    }
}

#[test]
fn error_display_names_structure_field_and_byte() {
    let der = [0x30, 0x07, 0x06, 0x01, 0x29, 0x03, 0x02, 0x09, 0x40];
    assert_eq!(
        ClearanceDer::decode(&der).unwrap_err().to_string(),
        "Clearance.classList: BIT STRING has 9 unused bits at byte 7"
    );
}

// ---------------------------------------------------------------------------------------------
// Corpus replay
// ---------------------------------------------------------------------------------------------
