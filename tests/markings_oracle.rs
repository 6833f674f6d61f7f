//! The markings oracle of the `guard_content` and `guard_markings` fuzz targets: it fails a
//! passed markings check on an object that holds a marking above its label, however written;
//! the objects `guard_markings` builds are the shapes that hid markings before; and what it
//! builds goes through the embedded guard with the oracle holding.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use crossguard::audit::{AuditKey, MemorySink};
use crossguard::fuzzing::{check_markings, check_words, guard_markings, guard_markings_object};
use crossguard::guard::{ContentCheck, Finding, Guard, GuardConfig, LabelInput, Transfer};
use crossguard::inspect::detect::TrueType;
use crossguard::inspect::markings::MarkingPhrases;
use crossguard::inspect::words::{Phrase, WordMatcher};
use crossguard::policy::PolicySet;
use proptest::prelude::*;

/// The checks of an object detected as `detected` whose markings check passed.
fn passed(detected: TrueType) -> Vec<ContentCheck> {
    passed_as(detected, "markings", Finding::MarkingsWithin { found: 0 })
}

/// The checks of an object detected as `detected` whose check `name` found `finding`.
fn passed_as(detected: TrueType, name: &'static str, finding: Finding) -> Vec<ContentCheck> {
    vec![
        ContentCheck {
            name: "true-type",
            outcome: Ok(Finding::Detected(detected)),
            failure: false,
        },
        ContentCheck {
            name,
            outcome: Ok(finding),
            failure: false,
        },
    ]
}

fn oracle_fails(detected: TrueType, object: &str) -> bool {
    catch_unwind(AssertUnwindSafe(|| {
        check_markings(object.as_bytes(), &passed(detected), true);
    }))
    .is_err()
}

#[test]
fn the_oracle_fails_a_pass_over_a_marking_above_the_label() {
    let above = [
        (TrueType::Text, "status: NATO SECRET"),
        (TrueType::Text, "ｎａｔｏ ｓｅｃｒｅｔ"),
        (TrueType::Text, "report (NS) follows"),
        (TrueType::Json, r#"["x", {"cosmic top secret": null}]"#),
        (TrueType::Json, r#"["NATO \u0053ECRET"]"#),
        (TrueType::Json, r#"{"x": "NATO", "\u0053ECRET": 1}"#),
        (TrueType::Xml, r#"<r a="&amp;(NU)(NU)" b="NATO SECRET"/>"#),
        (TrueType::Xml, "<r><!-- NATO\r\nSECRET --></r>"),
        (TrueType::Xml, "<r><?p NATO SECRET?></r>"),
        (TrueType::Xml, "<r>NATO &#83;ECRET</r>"),
        (TrueType::Xml, "<r><![CDATA[NATO CONFIDENTIAL]]></r>"),
        (
            TrueType::Xml,
            "<r>NATO<!-- x --> <b>SEC</b><![CDATA[RET]]></r>",
        ),
    ];
    for (detected, object) in above {
        assert!(oracle_fails(detected, object), "{detected}: {object}");
    }
    let within = [
        (TrueType::Text, "status: NATO RESTRICTED (NU)"),
        (TrueType::Text, "a secretary's secret"),
        (
            TrueType::Json,
            r#"["NATO UNCLASSIFIED", {"NATO": 1, "x": "SECRET"}]"#,
        ),
        (TrueType::Xml, "<r a=\"NATO\">SECRET</r>"),
        (TrueType::Xml, "<NATO_SECRET/>"),
    ];
    for (detected, object) in within {
        assert!(!oracle_fails(detected, object), "{detected}: {object}");
    }
    // A bare JSON string, text to true type, is read decoded on a flow that takes JSON.
    let bare = r#""one" "NATO \u0053ECRET""#;
    assert!(oracle_fails(TrueType::Text, bare));
    let fails = catch_unwind(AssertUnwindSafe(|| {
        check_markings(bare.as_bytes(), &passed(TrueType::Text), false);
    }));
    assert!(fails.is_ok());
    // Not read when the markings check did not pass (the guard refused it).
    let label = include_bytes!("data/guard/labels/restricted-nato.xml");
    let t = Transfer::new("mission-restricted", "nato-secret", &b"NATO SECRET"[..])
        .with_label(LabelInput::Bytes(bytes::Bytes::from_static(label)));
    let checks = embedded_guard().inspect_content(&t).unwrap();
    assert!(checks
        .iter()
        .any(|c| c.name == "markings" && c.outcome.is_err()));
    check_markings(b"NATO SECRET", &checks, true);
}

/// The index of `phrase` among the embedded policies' marking phrases, as a data byte.
fn phrase_byte(phrase: &str) -> u8 {
    let phrases = MarkingPhrases::new(&PolicySet::embedded().unwrap()).unwrap();
    let all: Vec<&str> = phrases.phrases().collect();
    assert!(all.len() < 256, "{}", all.len());
    let i = all.iter().position(|p| *p == phrase).unwrap();
    u8::try_from(i).unwrap()
}

#[test]
fn the_generator_writes_the_shape_that_hid_a_marking() {
    let nu = phrase_byte("(NU)");
    let ns = phrase_byte("NATO SECRET");
    // XML, declared, on the release flow; a new attribute piece; "(NU)" after a plain '&';
    // that op repeated 4 096 times; then NATO SECRET.
    let data = [0b0000_1011, 0, 3, 1, nu, 0x22, 0, 0, 6, 12, 1, ns, 0x02, 0];
    let object = String::from_utf8(guard_markings_object(&data)).unwrap();
    let repeated = "&amp;(NU)".repeat(4097);
    assert_eq!(
        object,
        format!("<r><e a=\"{repeated}NATO SECRET\"/></r>"),
        "{}",
        &object[..200.min(object.len())]
    );
    // The markings check refuses it, and the oracle holds. (Before 948b976 the check passed
    // it, and this call panicked.)
    assert_eq!(markings_outcome(&embedded_guard(), &data), Some(false));
    guard_markings(&data);
    // The forms: JSON (escapes), text.
    let json = guard_markings_object(&[0, 1, ns, 0x05, 9, 0]);
    assert_eq!(
        std::str::from_utf8(&json).unwrap(),
        r#"["nato secr\u0065t"]"#
    );
    let text = guard_markings_object(&[4, 1, ns, 0x08, 4, 1]);
    assert_eq!(std::str::from_utf8(&text).unwrap(), "NATO\r\nSECRET");
    let bare = guard_markings_object(&[6, 1, ns, 0x05, 9, 0, 0, 0, 1, ns, 0, 0]);
    assert_eq!(
        std::str::from_utf8(&bare).unwrap(),
        "\"nato secr\\u0065t\"\n\"NATO SECRET\""
    );
}

fn embedded_guard() -> Guard {
    let config = GuardConfig::embedded(Path::new(".")).unwrap();
    let sink = Arc::new(MemorySink::new(AuditKey::generate().unwrap(), 0).unwrap());
    Guard::build(&config, sink).unwrap()
}

/// The markings check's outcome for what `data` builds.
fn markings_outcome(guard: &Guard, data: &[u8]) -> Option<bool> {
    let object = guard_markings_object(data);
    let (from, to) = if data.first().is_some_and(|h| h & 1 == 1) {
        ("nato-secret", "mission-restricted")
    } else {
        ("mission-restricted", "nato-secret")
    };
    let label = include_bytes!("data/guard/labels/restricted-nato.xml");
    let mut t = Transfer::new(from, to, object)
        .with_label(LabelInput::Bytes(bytes::Bytes::from_static(label)));
    let head = data.first().copied().unwrap_or(0);
    if head & 8 != 0 {
        t = t.with_type(match (head >> 1) & 3 {
            0 => "application/json",
            1 => "application/xml",
            _ => "text/plain",
        });
    }
    let checks = guard.inspect_content(&t).unwrap();
    checks
        .iter()
        .find(|c| c.name == "markings")
        .map(|c| c.outcome.is_ok())
}

#[test]
fn generated_objects_reach_the_markings_check_and_pass_or_fail_by_their_markings() {
    let guard = embedded_guard();
    let ns = phrase_byte("NATO SECRET");
    let nr = phrase_byte("NATO RESTRICTED");
    // Every form on both flows, declared or not (the release flow takes only declared text
    // and XML): a marking at the label
    // passes, one above it does not.
    for head in [0u8, 2, 4, 6, 8, 10, 12, 14, 11, 13, 15] {
        let within = [head, 1, nr, 0, 0, 5, 0, 1, nr, 1, 0];
        assert_eq!(markings_outcome(&guard, &within), Some(true), "{head}");
        let above = [head, 4, 0, 5, 0, 1, ns, 1, 0];
        assert_eq!(markings_outcome(&guard, &above), Some(false), "{head}");
    }
    // Undeclared, the release flow refuses before the markings check.
    assert_eq!(markings_outcome(&guard, &[3, 1, ns, 1, 0]), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// What the generator builds from any data goes through the guard with the oracle
    /// holding (the fuzz target, on proptest's inputs).
    #[test]
    fn the_oracle_holds_on_generated_objects(data in proptest::collection::vec(any::<u8>(), 0..160)) {
        guard_markings(&data);
    }
}

#[test]
fn the_release_flow_releases_generated_objects_rebuilt() {
    // The oracle's second half (what crosses, rebuilt) is reached: a generated object with a
    // marking at the label crosses the release flow, rebuilt, under the releasable label.
    let guard = embedded_guard();
    let nr = phrase_byte("NATO RESTRICTED");
    for head in [11u8, 13] {
        let data = [head, 4, 0, 5, 0, 1, nr, 1, 0, 0, 4, 5, 0];
        let object = guard_markings_object(&data);
        let label = include_bytes!("data/guard/labels/restricted-releasable.xml");
        let declared = if head == 11 {
            "application/xml"
        } else {
            "text/plain"
        };
        let t = Transfer::new("nato-secret", "mission-restricted", object)
            .with_label(LabelInput::Bytes(bytes::Bytes::from_static(label)))
            .with_type(declared);
        match guard.check_at(t, crossguard::label::Timestamp(1_800_000_000)) {
            crossguard::guard::Verdict::Release(r) => assert!(r.cdr.is_some(), "{head}"),
            crossguard::guard::Verdict::Deny(d) => panic!("{head}: {d:?}"),
        }
        guard_markings(&data);
    }
}

#[test]
fn the_words_oracle_fails_a_pass_over_a_forbidden_word() {
    let words = WordMatcher::new(&[Phrase::plain("EYES ONLY"), Phrase::spaced("NOFORN")]).unwrap();
    let checks = |detected| passed_as(detected, "words", Finding::NoForbiddenWords { phrases: 2 });
    let fails = |detected, object: &str| {
        catch_unwind(AssertUnwindSafe(|| {
            check_words(object.as_bytes(), &checks(detected), true, &words);
        }))
        .is_err()
    };
    for (detected, object) in [
        (TrueType::Text, "for your eyes\r\nonly"),
        (TrueType::Text, "N.O.F.O.R.N"),
        (TrueType::Json, r#"["x", "EYES", "\u004FNLY"]"#),
        (TrueType::Xml, "<r a=\"n o f o r n\"/>"),
        (TrueType::Text, r#""EYES \u004FNLY""#),
    ] {
        assert!(fails(detected, object), "{detected}: {object}");
    }
    for (detected, object) in [
        (TrueType::Text, "eyes-only? no: eyes, only"),
        (TrueType::Text, "NOFORNS"),
        (TrueType::Xml, "<EYES_ONLY/>"),
    ] {
        assert!(!fails(detected, object), "{detected}: {object}");
    }
}
