//! The audit log on real files: a sealed log verifies; every kind of tampering is detected at
//! the right line with the right error; reopening continues the chain; a log that does not
//! verify is never appended to; the chain MACs equal an independent recomputation with ring
//! (the naive oracle); flipping any bit of a sealed log is detected. Also replays (and, with
//! `CROSSGUARD_WRITE_SEEDS=1`, regenerates) the `audit_verify` fuzz seeds.
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
use std::sync::{Arc, OnceLock};

use crossguard::audit::{
    parse_head_hex, rfc3339_from_unix_millis, sha256_hex, verify, verify_file, Anchor, AuditError,
    AuditErrorKind, AuditKey, AuditLimit, AuditRecord, AuditSink, Durability, JsonlSink,
    LabelAudit, MemorySink, ObjectAudit, PolicyAudit, SinkOptions, Verdict, VerifyOptions,
    VerifySummary,
};
use crossguard::Fault;
use proptest::prelude::*;
use ring::hmac;

/// The key material of most tests.
const MATERIAL: [u8; 32] = [0x42; 32];
/// The key the `audit_verify` fuzz target verifies with.
const FUZZ_MATERIAL: &[u8; 32] = crossguard::fuzzing::AUDIT_FUZZ_KEY;

fn key() -> AuditKey {
    AuditKey::from_bytes(&MATERIAL).unwrap()
}

fn strict() -> VerifyOptions {
    VerifyOptions::default()
}

fn unsealed() -> VerifyOptions {
    VerifyOptions {
        allow_unsealed: true,
        ..VerifyOptions::default()
    }
}

/// A representative record with every field filled; every third is a denial.
fn record(i: usize) -> AuditRecord {
    let deny = i % 3 == 0;
    AuditRecord {
        time: rfc3339_from_unix_millis(1_795_859_875_000 + i as u64),
        transfer_id: format!("transfer-{i:04}"),
        from: "secret-domain".into(),
        to: "mission-domain".into(),
        verdict: if deny {
            Verdict::Deny
        } else {
            Verdict::Release
        },
        stage: deny.then(|| "content".to_owned()),
        failure: i % 6 == 0,
        reasons: if deny {
            vec![
                "forbidden word \"alpha\"".into(),
                "marking exceeds label".into(),
            ]
        } else {
            Vec::new()
        },
        label: Some(LabelAudit {
            format: "4774-xml".into(),
            policy: "1.3.26.1.3.1".into(),
            classification: "RESTRICTED".into(),
            marking: "NATO RESTRICTED".into(),
            digest: sha256_hex(format!("label {i}").as_bytes()),
        }),
        destination_label: Some("MISSION RESTRICTED".into()),
        object: ObjectAudit {
            sha256: sha256_hex(format!("object {i}").as_bytes()),
            size: 1000 + i as u64,
            declared_type: Some("application/pdf".into()),
            rebuilt: None,
        },
        policies: vec![PolicyAudit {
            name: "NATO".into(),
            oid: "1.3.26.1.3.1".into(),
            version: "2".into(),
            fingerprint: sha256_hex(b"spif"),
        }],
    }
}

/// Writes a sealed log of `records` records (checkpoint every 5) at `path`.
fn write_log(path: &Path, records: usize) {
    let options = SinkOptions {
        durability: Durability::Batch {
            records: 1000,
            millis: 60_000,
        },
        checkpoint_every: 5,
    };
    let sink = JsonlSink::open(path, key(), options).unwrap();
    for i in 0..records {
        assert_eq!(sink.append(&record(i)).unwrap(), (1 + i + i / 5) as u64);
    }
    sink.close().unwrap();
}

/// A sealed log of 20 records in a fresh directory: (dir, path, bytes).
fn sealed_log() -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    write_log(&path, 20);
    let bytes = fs::read(&path).unwrap();
    (dir, path, bytes)
}

/// The lines of a log, each with its line break.
fn split(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    lines.concat()
}

/// Verifies in memory and from a file; both must agree (same kind, line and offset).
fn check(bytes: &[u8], options: VerifyOptions) -> Result<VerifySummary, AuditError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    fs::write(&path, bytes).unwrap();
    let from_file = verify_file(&path, &key(), options);
    let in_memory = verify(bytes, &key(), options);
    match (&in_memory, &from_file) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => {
            assert_eq!(a.kind(), b.kind());
            assert_eq!((a.line(), a.offset()), (b.line(), b.offset()));
            assert_eq!(b.path(), Some(path.as_path()));
        }
        _ => panic!("memory {in_memory:?} and file {from_file:?} disagree"),
    }
    in_memory
}

fn error(bytes: &[u8], options: VerifyOptions) -> AuditError {
    match check(bytes, options) {
        Ok(summary) => panic!("verified: {summary:?}"),
        Err(e) => e,
    }
}

/// Replaces the only occurrence of `from` in `line` by `to`.
fn replace_once(line: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = std::str::from_utf8(line).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from} in {text}");
    text.replacen(from, to, 1).into_bytes()
}

// ---------------------------------------------------------------------------------------------
// An independent implementation of the chain (the naive oracle): ring's HMAC over the exact
// line bytes, as docs/audit.md specifies it.
// ---------------------------------------------------------------------------------------------

fn record_key(material: &[u8]) -> hmac::Key {
    let master = hmac::Key::new(hmac::HMAC_SHA256, material);
    let derived = hmac::sign(&master, b"crossguard audit record key v1");
    hmac::Key::new(hmac::HMAC_SHA256, derived.as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Recomputes every line's MAC from scratch; returns them (hex) after checking each against
/// the line.
fn reference_macs(material: &[u8], log: &[u8]) -> Vec<String> {
    let key = record_key(material);
    let mut previous = vec![0u8; 32];
    let mut macs = Vec::new();
    for (i, line) in log.split_inclusive(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\n").expect("line break");
        let cut = line.len() - 74;
        assert_eq!(&line[cut..cut + 8], b",\"mac\":\"");
        assert_eq!(&line[line.len() - 2..], b"\"}");
        let mut data = previous.clone();
        data.extend_from_slice(&line[..cut]);
        let tag = hmac::sign(&key, &data);
        assert_eq!(
            hex(tag.as_ref()).as_bytes(),
            &line[cut + 8..cut + 72],
            "line {}",
            i + 1
        );
        let value: serde_json::Value = serde_json::from_slice(line).unwrap();
        assert_eq!(value["seq"], i as u64);
        previous = tag.as_ref().to_vec();
        macs.push(hex(tag.as_ref()));
    }
    macs
}

/// Signs `prefixes` as a chain with the reference implementation (to build well-MACed logs
/// that break other rules).
fn sign_chain(material: &[u8], prefixes: &[String]) -> Vec<u8> {
    let key = record_key(material);
    let mut previous = vec![0u8; 32];
    let mut out = Vec::new();
    for prefix in prefixes {
        let mut data = previous.clone();
        data.extend_from_slice(prefix.as_bytes());
        let tag = hmac::sign(&key, &data);
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(format!(",\"mac\":\"{}\"}}\n", hex(tag.as_ref())).as_bytes());
        previous = tag.as_ref().to_vec();
    }
    out
}

const TIME: &str = "2026-11-28T09:37:55.123Z";
const LOG_ID: &str = "00112233445566778899aabbccddeeff";

fn open_prefix(seq: u64, key_id: &str) -> String {
    format!(
        r#"{{"seq":{seq},"kind":"open","version":1,"log":"{LOG_ID}","key":"{key_id}","time":"{TIME}""#
    )
}

fn record_prefix(seq: u64) -> String {
    format!(
        r#"{{"seq":{seq},"kind":"record","record":{}"#,
        serde_json::to_string(&record(seq as usize)).unwrap()
    )
}

// ---------------------------------------------------------------------------------------------
// A good log
// ---------------------------------------------------------------------------------------------

#[test]
fn sealed_log_verifies() {
    let (_dir, path, bytes) = sealed_log();
    let summary = check(&bytes, strict()).unwrap();
    // open, 20 records, a checkpoint after every 5th record (the last one right before
    // close, so close needs no other), close.
    assert_eq!(summary.entries, 26);
    assert_eq!(summary.records, 20);
    assert_eq!(summary.checkpoints, 4);
    assert_eq!(summary.opens, 1);
    assert!(summary.sealed);
    assert_eq!(summary.last_seq, 25);
    assert_eq!(summary.last_checkpoint_seq, Some(24));
    assert_eq!(summary.log_id.len(), 32);
    let macs = reference_macs(&MATERIAL, &bytes);
    assert_eq!(summary.head_hex, macs[25]);
    assert_eq!(verify_file(&path, &key(), strict()).unwrap(), summary);

    // The records read back as written, in order; checkpoints name the head before them.
    let lines = split(&bytes);
    let mut records = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let value: serde_json::Value = serde_json::from_slice(line).unwrap();
        match value["kind"].as_str().unwrap() {
            "record" => records
                .push(serde_json::from_value::<AuditRecord>(value["record"].clone()).unwrap()),
            "checkpoint" => {
                assert_eq!(value["head"].as_str().unwrap(), macs[i - 1]);
                assert_eq!(value["records"], records.len() as u64);
            }
            "open" => {
                assert_eq!(i, 0);
                assert_eq!(value["key"].as_str().unwrap(), key().id_hex());
                assert_eq!(value["version"], 1);
            }
            "close" => assert_eq!(i, 25),
            other => panic!("{other}"),
        }
    }
    assert_eq!(records, (0..20).map(record).collect::<Vec<_>>());
}

#[test]
fn head_and_anchor_from_outside() {
    let (_dir, _path, bytes) = sealed_log();
    let summary = check(&bytes, strict()).unwrap();
    let head = parse_head_hex(&summary.head_hex).unwrap();
    let with_head = VerifyOptions {
        expect_head: Some(head),
        ..strict()
    };
    assert!(check(&bytes, with_head).is_ok());
    let mut other = head;
    other[0] ^= 1;
    let e = error(
        &bytes,
        VerifyOptions {
            expect_head: Some(other),
            ..strict()
        },
    );
    assert!(
        matches!(e.kind(), AuditErrorKind::HeadMismatch { .. }),
        "{e}"
    );

    // An anchor in the middle: found with its MAC; a wrong MAC or a log cut before it fails.
    let macs = reference_macs(&MATERIAL, &bytes);
    let anchor = Anchor {
        seq: 10,
        mac: parse_head_hex(&macs[10]).unwrap(),
    };
    let anchored = VerifyOptions {
        expect_anchor: Some(anchor),
        ..unsealed()
    };
    assert!(check(&bytes, anchored).is_ok());
    let lines = split(&bytes);
    let cut = join(&lines[..8]);
    assert!(
        check(&cut, unsealed()).is_ok(),
        "a live-looking prefix verifies alone"
    );
    let e = error(&cut, anchored);
    assert_eq!(
        e.kind(),
        &AuditErrorKind::AnchorMissing {
            seq: 10,
            last_seq: Some(7)
        }
    );
    let mut wrong = anchor;
    wrong.mac[31] ^= 0x80;
    let e = error(
        &bytes,
        VerifyOptions {
            expect_anchor: Some(wrong),
            ..strict()
        },
    );
    assert_eq!(e.kind(), &AuditErrorKind::AnchorMismatch { seq: 10 });
    assert_eq!(e.line(), Some(11));
    assert_eq!(
        parse_head_hex("xyz").unwrap_err().kind(),
        &AuditErrorKind::InvalidHeadHex
    );
    assert_eq!(
        parse_head_hex(&summary.head_hex.to_uppercase()).unwrap(),
        head
    );
}

// ---------------------------------------------------------------------------------------------
// Tampering
// ---------------------------------------------------------------------------------------------

#[test]
fn every_field_of_a_record_line_is_protected() {
    let (_dir, _path, bytes) = sealed_log();
    let lines = split(&bytes);
    // Record 3 (a denial with every field set) is seq 4 on line 5.
    let index = 4;
    let line = &lines[index];
    assert!(std::str::from_utf8(line)
        .unwrap()
        .contains("\"transfer_id\":\"transfer-0003\""));
    let digest = sha256_hex(b"label 3");
    let object = sha256_hex(b"object 3");
    let fingerprint = sha256_hex(b"spif");
    let flip_first = |s: &str| {
        let mut t = s.to_owned();
        let c = if s.starts_with('0') { "1" } else { "0" };
        t.replace_range(0..1, c);
        t
    };
    let cases: Vec<(&str, String, String)> = vec![
        (
            "time",
            TIME_OF_3.into(),
            TIME_OF_3.replace(".003Z", ".004Z"),
        ),
        (
            "transfer_id",
            "\"transfer-0003\"".into(),
            "\"transfer-0004\"".into(),
        ),
        (
            "from",
            "\"from\":\"secret-domain\"".into(),
            "\"from\":\"secret-domaim\"".into(),
        ),
        (
            "to",
            "\"to\":\"mission-domain\"".into(),
            "\"to\":\"secret-domain\"".into(),
        ),
        (
            "verdict",
            "\"verdict\":\"deny\"".into(),
            "\"verdict\":\"release\"".into(),
        ),
        (
            "stage",
            "\"stage\":\"content\"".into(),
            "\"stage\":null".into(),
        ),
        (
            "failure",
            "\"failure\":false".into(),
            "\"failure\":true".into(),
        ),
        (
            "reasons",
            "[\"forbidden word \\\"alpha\\\"\",\"marking exceeds label\"]".into(),
            "[\"marking exceeds label\"]".into(),
        ),
        ("label.format", "\"4774-xml\"".into(), "\"ess-der\"".into()),
        (
            "label.policy",
            "\"policy\":\"1.3.26.1.3.1\"".into(),
            "\"policy\":\"1.3.26.1.3.2\"".into(),
        ),
        (
            "label.classification",
            "\"RESTRICTED\"".into(),
            "\"UNCLASSIFIED\"".into(),
        ),
        (
            "label.marking",
            "\"NATO RESTRICTED\"".into(),
            "\"NATO UNCLASSIFIED\"".into(),
        ),
        ("label.digest", digest.clone(), flip_first(&digest)),
        (
            "destination_label",
            "\"MISSION RESTRICTED\"".into(),
            "\"MISSION UNCLASSIFIED\"".into(),
        ),
        ("object.sha256", object.clone(), flip_first(&object)),
        ("object.size", "\"size\":1003".into(), "\"size\":1".into()),
        (
            "object.declared_type",
            "\"application/pdf\"".into(),
            "\"text/plain\"".into(),
        ),
        (
            "policies.name",
            "\"name\":\"NATO\"".into(),
            "\"name\":\"XLAND\"".into(),
        ),
        (
            "policies.oid",
            "\"oid\":\"1.3.26.1.3.1\"".into(),
            "\"oid\":\"1.3.26.1.3.9\"".into(),
        ),
        (
            "policies.version",
            "\"version\":\"2\"".into(),
            "\"version\":\"3\"".into(),
        ),
        (
            "policies.fingerprint",
            fingerprint.clone(),
            flip_first(&fingerprint),
        ),
        ("whitespace", "{\"seq\":4,".into(), "{ \"seq\":4,".into()),
    ];
    for (field, from, to) in &cases {
        let mut tampered = lines.clone();
        tampered[index] = replace_once(line, from, to);
        // Still a well-formed entry: only the MAC can tell.
        let body = tampered[index].strip_suffix(b"\n").unwrap();
        let value: serde_json::Value = serde_json::from_slice(body).unwrap();
        serde_json::from_value::<AuditRecord>(value["record"].clone()).unwrap();
        let e = error(&join(&tampered), strict());
        assert_eq!(e.kind(), &AuditErrorKind::BadMac, "{field}: {e}");
        assert_eq!(e.line(), Some(5), "{field}");
        let offset: usize = lines[..index].iter().map(Vec::len).sum();
        assert_eq!(e.offset(), Some(offset as u64), "{field}");
        assert_eq!(e.fault(), Fault::Malformed);
    }

    // The members outside the record: seq, kind, mac.
    let mut tampered = lines.clone();
    tampered[index] = replace_once(line, "{\"seq\":4,", "{\"seq\":5,");
    let e = error(&join(&tampered), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::SeqGap {
            expected: 4,
            found: 5
        },
        "{e}"
    );
    assert_eq!(e.line(), Some(5));
    tampered[index] = replace_once(line, "{\"seq\":4,", "{\"seq\":3,");
    let e = error(&join(&tampered), strict());
    assert_eq!(e.kind(), &AuditErrorKind::SeqDuplicate { seq: 3 }, "{e}");
    tampered[index] = replace_once(line, "{\"seq\":4,", "{\"seq\":1,");
    let e = error(&join(&tampered), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::SeqOutOfOrder {
            expected: 4,
            found: 1
        }
    );
    tampered[index] = replace_once(line, "\"kind\":\"record\"", "\"kind\":\"checkpoint\"");
    let e = error(&join(&tampered), strict());
    assert!(
        matches!(e.kind(), AuditErrorKind::MalformedEntry { .. }),
        "{e}"
    );
    assert_eq!(e.line(), Some(5));
    let text = std::str::from_utf8(line).unwrap();
    let mac_at = text.rfind(",\"mac\":\"").unwrap() + 8;
    for (at, replacement) in [(mac_at, "f"), (mac_at + 63, "0"), (mac_at + 20, "A")] {
        let mut changed = line.clone();
        let new = if &text[at..=at] == replacement {
            "e"
        } else {
            replacement
        };
        changed[at] = new.as_bytes()[0];
        tampered[index] = changed;
        let e = error(&join(&tampered), strict());
        if new == "A" {
            // Upper case is not the writer's form: refused before the MAC.
            assert!(
                matches!(e.kind(), AuditErrorKind::MalformedEntry { .. }),
                "{e}"
            );
        } else {
            assert_eq!(e.kind(), &AuditErrorKind::BadMac, "{e}");
        }
        assert_eq!(e.line(), Some(5));
    }
}

/// The time member of record 3, as `record` writes it.
const TIME_OF_3: &str = "\"time\":\"2026-11-28T09:57:55.003Z\"";

#[test]
fn deleted_lines() {
    let (_dir, _path, bytes) = sealed_log();
    let lines = split(&bytes);
    let without = |i: usize| {
        let mut l = lines.clone();
        l.remove(i);
        join(&l)
    };
    // First: the log starts at seq 1.
    let e = error(&without(0), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::SeqGap {
            expected: 0,
            found: 1
        }
    );
    assert_eq!((e.line(), e.offset()), (Some(1), Some(0)));
    // Middle.
    let e = error(&without(12), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::SeqGap {
            expected: 12,
            found: 13
        }
    );
    assert_eq!(e.line(), Some(13));
    // Last (close): the log is unsealed, and says so with its last checkpoint.
    let e = error(&without(25), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::Unsealed {
            last_seq: 24,
            last_checkpoint_seq: Some(24)
        }
    );
    assert_eq!(e.line(), Some(25));
    let message = e.to_string();
    assert!(
        message.contains("truncated at a line boundary"),
        "{message}"
    );
    assert!(message.contains("live log"), "{message}");
    assert!(message.contains("last checkpoint at seq 24"), "{message}");
    // Accepted as live (the documented limit) unless the head was kept elsewhere.
    assert!(check(&without(25), unsealed()).is_ok());
    let head = parse_head_hex(&check(&bytes, strict()).unwrap().head_hex).unwrap();
    let e = error(
        &without(25),
        VerifyOptions {
            expect_head: Some(head),
            ..unsealed()
        },
    );
    assert!(matches!(e.kind(), AuditErrorKind::HeadMismatch { .. }));
    // Several in a row.
    let mut l = lines.clone();
    l.drain(5..9);
    let e = error(&join(&l), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::SeqGap {
            expected: 5,
            found: 9
        }
    );
}

#[test]
fn reordered_and_duplicated_lines() {
    let (_dir, _path, bytes) = sealed_log();
    let lines = split(&bytes);
    // Adjacent swap.
    let mut l = lines.clone();
    l.swap(7, 8);
    let e = error(&join(&l), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::SeqOutOfOrder {
            expected: 7,
            found: 8
        }
    );
    assert_eq!(e.line(), Some(8));
    // Distant swap: detected at the first moved line.
    let mut l = lines.clone();
    l.swap(3, 17);
    let e = error(&join(&l), strict());
    assert!(
        matches!(
            e.kind(),
            AuditErrorKind::SeqGap {
                expected: 3,
                found: 17
            }
        ),
        "{e}"
    );
    assert_eq!(e.line(), Some(4));
    // The open line moved after the first record.
    let mut l = lines.clone();
    l.swap(0, 1);
    let e = error(&join(&l), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::SeqOutOfOrder {
            expected: 0,
            found: 1
        }
    );
    // Duplicates: right after, and later.
    let mut l = lines.clone();
    l.insert(6, lines[5].clone());
    let e = error(&join(&l), strict());
    assert_eq!(e.kind(), &AuditErrorKind::SeqDuplicate { seq: 5 });
    assert_eq!(e.line(), Some(7));
    let mut l = lines.clone();
    l.insert(10, lines[5].clone());
    let e = error(&join(&l), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::SeqOutOfOrder {
            expected: 10,
            found: 5
        }
    );
    // The close line repeated at the end.
    let mut l = lines.clone();
    l.push(lines[25].clone());
    let e = error(&join(&l), strict());
    assert_eq!(e.kind(), &AuditErrorKind::SeqDuplicate { seq: 25 });
    assert_eq!(e.line(), Some(27));
}

#[test]
fn truncation_at_every_line_boundary_and_mid_line() {
    let (_dir, _path, bytes) = sealed_log();
    let lines = split(&bytes);
    let close_anchor = Anchor {
        seq: 25,
        mac: parse_head_hex(&check(&bytes, strict()).unwrap().head_hex).unwrap(),
    };
    for keep in 0..lines.len() {
        let cut = join(&lines[..keep]);
        let e = error(&cut, strict());
        if keep == 0 {
            assert_eq!(e.kind(), &AuditErrorKind::Empty);
            continue;
        }
        assert!(
            matches!(e.kind(), AuditErrorKind::Unsealed { last_seq, .. } if *last_seq == keep as u64 - 1),
            "{keep}: {e}"
        );
        assert_eq!(e.line(), Some(keep as u64));
        // As a live log it verifies; only the anchor kept elsewhere shows the cut.
        let summary = check(&cut, unsealed()).unwrap();
        assert_eq!(summary.entries, keep as u64);
        assert!(!summary.sealed);
        let e = error(
            &cut,
            VerifyOptions {
                expect_anchor: Some(close_anchor),
                ..unsealed()
            },
        );
        assert!(matches!(
            e.kind(),
            AuditErrorKind::AnchorMissing { seq: 25, .. }
        ));
    }
    // Mid-line, at several places of every line (never at its line break).
    for (i, line) in lines.iter().enumerate() {
        let start: usize = lines[..i].iter().map(Vec::len).sum();
        for within in [
            1,
            line.len() / 2,
            line.len() - 75,
            line.len() - 2,
            line.len() - 1,
        ] {
            let cut = &bytes[..start + within];
            let e = error(cut, unsealed());
            assert_eq!(
                e.kind(),
                &AuditErrorKind::TruncatedLine,
                "line {i} at {within}"
            );
            assert_eq!(
                (e.line(), e.offset()),
                (Some(i as u64 + 1), Some(start as u64))
            );
        }
    }
}

#[test]
fn wrong_key_is_told_apart_from_tampering() {
    let (_dir, _path, bytes) = sealed_log();
    let other = AuditKey::from_bytes(&[0x43; 32]).unwrap();
    let e = verify(&bytes, &other, strict()).unwrap_err();
    assert!(
        matches!(e.kind(), AuditErrorKind::WrongKey { log_key_id, key_id }
            if **log_key_id == key().id_hex() && **key_id == other.id_hex()),
        "{e}"
    );
    assert_eq!(e.line(), Some(1));
    assert_eq!(e.fault(), Fault::Misuse);
    assert!(e.to_string().contains("wrong key"));
}

#[test]
fn forged_and_foreign_lines_are_refused() {
    let (_dir, _path, bytes) = sealed_log();
    let mut lines = split(&bytes);
    // A record appended after close with the next seq and a made-up MAC.
    let forged = replace_once(&lines[1], "{\"seq\":1,", "{\"seq\":26,");
    lines.push(forged);
    let e = error(&join(&lines), strict());
    assert_eq!(e.kind(), &AuditErrorKind::BadMac);
    assert_eq!(e.line(), Some(27));
    lines.pop();

    // A well-formed open entry (right key id) with a made-up MAC after close.
    let macs = reference_macs(&MATERIAL, &bytes);
    let open = format!(
        "{},\"mac\":\"{}\"}}\n",
        open_prefix(26, &key().id_hex()),
        macs[0]
    );
    lines.push(open.into_bytes());
    let e = error(&join(&lines), strict());
    assert_eq!(e.kind(), &AuditErrorKind::BadMac);
    lines.pop();

    // A whole chain written with another key, spliced in after close: the open names the
    // other key's id.
    let attacker = AuditKey::from_bytes(&[0x99; 32]).unwrap();
    let sink = MemorySink::new(attacker, 0).unwrap();
    sink.append(&record(0)).unwrap();
    sink.close().unwrap();
    let mut spliced = join(&lines);
    spliced.extend(sink.into_bytes().unwrap());
    let e = error(&spliced, strict());
    assert!(matches!(e.kind(), AuditErrorKind::WrongKey { .. }), "{e}");
    assert_eq!(e.line(), Some(27));

    // A line inserted in the middle with a correct seq renumbering after it is still a MAC
    // failure at the insertion.
    let mut l = split(&bytes);
    l.insert(5, replace_once(&lines[1], "{\"seq\":1,", "{\"seq\":5,"));
    let e = error(&join(&l), strict());
    assert_eq!(e.kind(), &AuditErrorKind::BadMac);
    assert_eq!(e.line(), Some(6));
}

#[test]
fn malformed_lines() {
    let (_dir, _path, bytes) = sealed_log();
    let lines = split(&bytes);
    for (name, bad) in [
        ("blank", b"\n".to_vec()),
        ("not json", b"hello world\n".to_vec()),
        ("crlf", {
            let mut l = lines[1].clone();
            l.insert(l.len() - 1, b'\r');
            l
        }),
        ("nul", b"\0\n".to_vec()),
        ("invalid utf-8", {
            let mut l = lines[1].clone();
            l[20] = 0xff;
            l
        }),
    ] {
        let mut l = lines.clone();
        l[1] = bad;
        let e = error(&join(&l), strict());
        assert!(
            matches!(
                e.kind(),
                AuditErrorKind::MalformedEntry { .. } | AuditErrorKind::BadMac
            ),
            "{name}: {e}"
        );
        assert_eq!(e.line(), Some(2), "{name}");
    }
    // A line over the limit, in the middle and at the end without a line break.
    let mut long = vec![b'x'; crossguard::limits::MAX_AUDIT_LINE_BYTES + 10];
    let mut l = lines.clone();
    long.push(b'\n');
    l.insert(2, long.clone());
    let e = error(&join(&l), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::LimitExceeded(AuditLimit::LineBytes)
    );
    assert_eq!(e.line(), Some(3));
    assert_eq!(e.fault(), Fault::LimitExceeded);
    long.pop();
    let mut l = lines.clone();
    l.push(long);
    let e = error(&join(&l), strict());
    assert_eq!(
        e.kind(),
        &AuditErrorKind::LimitExceeded(AuditLimit::LineBytes)
    );
    assert_eq!(e.line(), Some(27));
    // The message names the limit and the line.
    let message = e.to_string();
    assert!(
        message.contains("MAX_AUDIT_LINE_BYTES") && message.contains("line 27"),
        "{message}"
    );
}

/// Logs with correct MACs (made with the reference signer and the key) that break the
/// format's other rules.
#[test]
fn well_maced_logs_that_break_the_rules() {
    let id = key().id_hex();
    let checkpoint = |seq: u64, records: u64, head: &str| {
        format!(
            r#"{{"seq":{seq},"kind":"checkpoint","records":{records},"head":"{head}","time":"{TIME}""#
        )
    };
    let close = |seq: u64, records: u64| {
        format!(r#"{{"seq":{seq},"kind":"close","records":{records},"time":"{TIME}""#)
    };
    let kind_of = |prefixes: &[String], options: VerifyOptions| {
        let log = sign_chain(&MATERIAL, prefixes);
        let e = error(&log, options);
        (e.kind().clone(), e.line())
    };
    // The reference signer agrees with the sink: a well-formed chain verifies.
    let good = vec![open_prefix(0, &id), record_prefix(1), close(2, 1)];
    assert!(check(&sign_chain(&MATERIAL, &good), strict()).is_ok());

    assert_eq!(
        kind_of(&[record_prefix(0), close(1, 1)], strict()),
        (AuditErrorKind::MissingOpen, Some(1))
    );
    assert_eq!(
        kind_of(
            &[open_prefix(0, &id), close(1, 0), record_prefix(2)],
            unsealed()
        ),
        (AuditErrorKind::EntryAfterClose { kind: "record" }, Some(3))
    );
    assert_eq!(
        kind_of(&[open_prefix(0, &id), close(1, 0), close(2, 0)], unsealed()),
        (AuditErrorKind::EntryAfterClose { kind: "close" }, Some(3))
    );
    assert_eq!(
        kind_of(
            &[open_prefix(0, &id), record_prefix(1), close(2, 5)],
            strict()
        ),
        (
            AuditErrorKind::CheckpointMismatch { field: "records" },
            Some(3)
        )
    );
    let zero = "0".repeat(64);
    assert_eq!(
        kind_of(
            &[open_prefix(0, &id), checkpoint(1, 0, &zero), close(2, 0)],
            strict()
        ),
        (
            AuditErrorKind::CheckpointMismatch { field: "head" },
            Some(2)
        )
    );
    let other_log = open_prefix(2, &id).replace(LOG_ID, &"f".repeat(32));
    assert_eq!(
        kind_of(&[open_prefix(0, &id), close(1, 0), other_log], strict()),
        (AuditErrorKind::LogIdChanged, Some(3))
    );
    let v2 = open_prefix(0, &id).replace("\"version\":1", "\"version\":2");
    assert_eq!(
        kind_of(&[v2], strict()),
        (AuditErrorKind::UnsupportedVersion { version: 2 }, Some(1))
    );
    // Members a kind does not have, or lacks.
    for (prefix, what) in [
        (format!("{},\"records\":0", open_prefix(0, &id)), "records"),
        (
            open_prefix(0, &id).replace(",\"time\":\"2026-11-28T09:37:55.123Z\"", ""),
            "time",
        ),
        (
            open_prefix(0, &id).replace(TIME, "2026-11-28T09:37:55Z"),
            "time",
        ),
        (format!("{},\"extra\":true", open_prefix(0, &id)), "extra"),
        (format!("{},\"seq\":0", open_prefix(0, &id)), "seq"),
        (open_prefix(0, &id).replace(LOG_ID, "xyz"), "log"),
    ] {
        let (kind, line) = kind_of(&[prefix.clone(), close(1, 0)], strict());
        assert!(
            matches!(&kind, AuditErrorKind::MalformedEntry { detail } if detail.contains(what)),
            "{prefix}: {kind:?}"
        );
        assert_eq!(line, Some(1));
    }
    // An unknown member inside the record.
    let record_extra = record_prefix(1).replacen("{\"time\"", "{\"extra\":1,\"time\"", 1);
    let (kind, _) = kind_of(&[open_prefix(0, &id), record_extra, close(2, 1)], strict());
    assert!(
        matches!(kind, AuditErrorKind::MalformedEntry { .. }),
        "{kind:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Sinks
// ---------------------------------------------------------------------------------------------

#[test]
fn reopen_continues_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let options = SinkOptions {
        durability: Durability::OsBuffered,
        checkpoint_every: 0,
    };
    let sink = JsonlSink::open(&path, key(), options).unwrap();
    for i in 0..5 {
        sink.append(&record(i)).unwrap();
    }
    sink.close().unwrap();
    let first = verify_file(&path, &key(), strict()).unwrap();
    assert_eq!((first.entries, first.records, first.opens), (8, 5, 1));

    // Reopened and dropped without close (a crash after the last write): unsealed.
    let sink = JsonlSink::open(&path, key(), options).unwrap();
    assert_eq!(sink.append(&record(5)).unwrap(), 9);
    let live_anchor = sink.anchor().unwrap();
    assert_eq!(live_anchor.seq, 9);
    drop(sink);
    let e = verify_file(&path, &key(), strict()).unwrap_err();
    assert!(
        matches!(e.kind(), AuditErrorKind::Unsealed { last_seq: 9, .. }),
        "{e}"
    );
    let live = verify_file(&path, &key(), unsealed()).unwrap();
    assert_eq!(live.head_hex, live_anchor.mac_hex());

    // Reopened again: continues after the unsealed end.
    let sink = JsonlSink::open(&path, key(), options).unwrap();
    assert_eq!(sink.append(&record(6)).unwrap(), 11);
    sink.sync().unwrap();
    let end = sink.close().unwrap();
    let summary = verify_file(
        &path,
        &key(),
        VerifyOptions {
            expect_anchor: Some(live_anchor),
            expect_head: Some(end.mac),
            ..strict()
        },
    )
    .unwrap();
    assert_eq!(summary.opens, 3);
    assert_eq!(summary.records, 7);
    assert!(summary.sealed);
    assert_eq!(summary.last_seq, end.seq);
    assert_eq!(
        summary.log_id, first.log_id,
        "the log id survives reopening"
    );
    reference_macs(&MATERIAL, &fs::read(&path).unwrap());
}

#[test]
fn a_log_that_does_not_verify_is_never_appended_to() {
    let (_dir, path, bytes) = sealed_log();
    let lines = split(&bytes);
    let tampered_line = replace_once(&lines[9], "transfer-0007", "transfer-0070");
    let cases: Vec<(&str, Vec<u8>, AuditErrorKind, Option<u64>)> = vec![
        (
            "modified",
            {
                let mut l = lines.clone();
                l[9] = tampered_line;
                join(&l)
            },
            AuditErrorKind::BadMac,
            Some(10),
        ),
        (
            "mid-line truncation",
            bytes[..bytes.len() - 10].to_vec(),
            AuditErrorKind::TruncatedLine,
            Some(26),
        ),
        (
            "deleted line",
            {
                let mut l = lines.clone();
                l.remove(3);
                join(&l)
            },
            AuditErrorKind::SeqGap {
                expected: 3,
                found: 4,
            },
            Some(4),
        ),
    ];
    for (name, content, kind, line) in cases {
        fs::write(&path, &content).unwrap();
        let e = JsonlSink::open(&path, key(), SinkOptions::default()).unwrap_err();
        assert_eq!(e.kind(), &kind, "{name}: {e}");
        assert_eq!(e.line(), line, "{name}");
        assert_eq!(e.path(), Some(path.as_path()));
        let message = e.to_string();
        assert!(message.starts_with("refusing to append"), "{message}");
        assert!(
            message.contains(&format!("line {}", line.unwrap())),
            "{message}"
        );
        assert_eq!(
            fs::read(&path).unwrap(),
            content,
            "{name}: the file was changed"
        );
    }
    // The wrong key is refused too.
    fs::write(&path, &bytes).unwrap();
    let other = AuditKey::from_bytes(&[0x43; 32]).unwrap();
    let e = JsonlSink::open(&path, other, SinkOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), AuditErrorKind::WrongKey { .. }));
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn checkpoints_follow_the_durability_policy() {
    let dir = tempfile::tempdir().unwrap();
    let kinds = |path: &Path| -> Vec<String> {
        split(&fs::read(path).unwrap())
            .iter()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_slice(l).unwrap();
                v["kind"].as_str().unwrap()[..2].to_owned()
            })
            .collect()
    };
    // Batch of 3: a checkpoint before each batch sync.
    let path = dir.path().join("batch.jsonl");
    let sink = JsonlSink::open(
        &path,
        key(),
        SinkOptions {
            durability: Durability::Batch {
                records: 3,
                millis: 3_600_000,
            },
            checkpoint_every: 0,
        },
    )
    .unwrap();
    for i in 0..7 {
        sink.append(&record(i)).unwrap();
    }
    sink.close().unwrap();
    assert_eq!(
        kinds(&path).join(" "),
        "op re re re ch re re re ch re ch cl"
    );
    // Every record synced: no checkpoint per sync; one every 2 records by count.
    let path = dir.path().join("every.jsonl");
    let sink = JsonlSink::open(
        &path,
        key(),
        SinkOptions {
            durability: Durability::EveryRecord,
            checkpoint_every: 2,
        },
    )
    .unwrap();
    for i in 0..3 {
        sink.append(&record(i)).unwrap();
    }
    sink.sync().unwrap();
    sink.sync().unwrap(); // nothing new: no second checkpoint
    sink.close().unwrap();
    assert_eq!(kinds(&path).join(" "), "op re re ch re ch cl");
    // A zero time bound syncs (and checkpoints) at every append.
    let path = dir.path().join("zero.jsonl");
    let sink = JsonlSink::open(
        &path,
        key(),
        SinkOptions {
            durability: Durability::Batch {
                records: 0,
                millis: 0,
            },
            checkpoint_every: 0,
        },
    )
    .unwrap();
    sink.append(&record(0)).unwrap();
    sink.close().unwrap();
    assert_eq!(kinds(&path).join(" "), "op re ch cl");
    for name in ["batch.jsonl", "every.jsonl", "zero.jsonl"] {
        let log = fs::read(dir.path().join(name)).unwrap();
        check(&log, strict()).unwrap();
        reference_macs(&MATERIAL, &log);
    }
}

#[test]
fn a_record_too_large_is_refused_and_the_sink_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let sink = JsonlSink::open(&path, key(), SinkOptions::default()).unwrap();
    sink.append(&record(0)).unwrap();
    let mut huge = record(1);
    huge.reasons = vec!["x".repeat(crossguard::limits::MAX_AUDIT_LINE_BYTES)];
    let e = sink.append(&huge).unwrap_err();
    assert_eq!(
        e.kind(),
        &AuditErrorKind::LimitExceeded(AuditLimit::LineBytes)
    );
    assert_eq!(e.fault(), Fault::LimitExceeded);
    // The largest record that fits is written and verifies.
    let overhead = {
        let mut r = record(1);
        r.reasons = vec![String::new()];
        let mem = MemorySink::new(key(), 0).unwrap();
        mem.drain().unwrap();
        mem.append(&r).unwrap();
        mem.drain().unwrap().len()
    };
    let mut largest = record(1);
    largest.reasons = vec!["y".repeat(crossguard::limits::MAX_AUDIT_LINE_BYTES - overhead)];
    assert_eq!(sink.append(&largest).unwrap(), 2);
    largest.reasons[0].push('y');
    assert!(sink.append(&largest).is_err());
    assert_eq!(sink.append(&record(3)).unwrap(), 3);
    sink.close().unwrap();
    let summary = verify_file(&path, &key(), strict()).unwrap();
    assert_eq!(summary.records, 3);
}

#[test]
fn concurrent_appends_form_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let sink = Arc::new(
        JsonlSink::open(
            &path,
            key(),
            SinkOptions {
                durability: Durability::Batch {
                    records: 16,
                    millis: 5,
                },
                checkpoint_every: 10,
            },
        )
        .unwrap(),
    );
    let memory = Arc::new(MemorySink::new(key(), 7).unwrap());
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let sink: Arc<dyn AuditSink> = sink.clone();
            let memory: Arc<dyn AuditSink> = memory.clone();
            std::thread::spawn(move || {
                let mut seqs = Vec::new();
                for i in 0..100 {
                    seqs.push(sink.append(&record(t * 100 + i)).unwrap());
                    memory.append(&record(t * 100 + i)).unwrap();
                }
                seqs
            })
        })
        .collect();
    let mut seqs: Vec<u64> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), 200);
    Arc::try_unwrap(sink).unwrap().close().unwrap();
    let summary = verify_file(&path, &key(), strict()).unwrap();
    assert_eq!(summary.records, 200);
    let memory = Arc::try_unwrap(memory).unwrap();
    memory.close().unwrap();
    assert_eq!(
        check(&memory.into_bytes().unwrap(), strict())
            .unwrap()
            .records,
        200
    );
}

#[test]
fn memory_sink_drains_and_closes() {
    let sink = MemorySink::new(key(), 2).unwrap();
    let mut log = sink.drain().unwrap();
    for i in 0..5 {
        sink.append(&record(i)).unwrap();
        if i == 2 {
            log.extend(sink.drain().unwrap());
        }
    }
    sink.sync().unwrap();
    let lines = sink.lines().unwrap();
    assert!(lines.iter().all(|l| !l.ends_with('\n')));
    assert!(lines.last().unwrap().contains("\"kind\":\"checkpoint\""));
    let anchor = sink.anchor().unwrap();
    let end = sink.close().unwrap();
    assert_eq!(end.seq, anchor.seq + 1, "close right after a checkpoint");
    assert_eq!(
        sink.append(&record(9)).unwrap_err().kind(),
        &AuditErrorKind::Closed
    );
    assert_eq!(sink.sync().unwrap_err().kind(), &AuditErrorKind::Closed);
    assert_eq!(sink.close().unwrap_err().kind(), &AuditErrorKind::Closed);
    log.extend(sink.into_bytes().unwrap());
    let summary = check(&log, strict()).unwrap();
    assert_eq!(summary.records, 5);
    assert_eq!(summary.head_hex, end.mac_hex());
    reference_macs(&MATERIAL, &log);
}

#[test]
fn io_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/audit.jsonl");
    let e = JsonlSink::open(&missing, key(), SinkOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), AuditErrorKind::Io { .. }));
    assert_eq!(e.path(), Some(missing.as_path()));
    assert_eq!(e.fault(), Fault::Environment);
    assert!(std::error::Error::source(&e).is_some());
    assert!(e.to_string().contains("no/such/dir"), "{e}");
    let e = verify_file(&missing, &key(), strict()).unwrap_err();
    assert!(matches!(e.kind(), AuditErrorKind::Io { .. }));
    assert_eq!(e.path(), Some(missing.as_path()));
    #[cfg(target_os = "linux")]
    {
        // A device that refuses every write: opening (which writes the open entry) fails.
        let full = Path::new("/dev/full");
        if full.exists() {
            let e = JsonlSink::open(
                full,
                key(),
                SinkOptions {
                    durability: Durability::OsBuffered,
                    checkpoint_every: 0,
                },
            )
            .unwrap_err();
            assert!(
                matches!(e.kind(), AuditErrorKind::Io { operation } if *operation == "write the log"),
                "{e}"
            );
        }
    }
}

#[test]
fn empty_file_starts_a_new_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    fs::write(&path, b"").unwrap();
    let e = verify_file(&path, &key(), unsealed()).unwrap_err();
    assert_eq!(e.kind(), &AuditErrorKind::Empty);
    let sink = JsonlSink::open(&path, key(), SinkOptions::default()).unwrap();
    sink.close().unwrap();
    assert!(verify_file(&path, &key(), strict()).unwrap().sealed);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let created = dir.path().join("created.jsonl");
        JsonlSink::open(&created, key(), SinkOptions::default())
            .unwrap()
            .close()
            .unwrap();
        let mode = fs::metadata(&created).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

#[test]
fn key_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.key");
    let generated = AuditKey::generate().unwrap();
    generated.write_new(&path).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.len(), 65);
    assert!(text.ends_with('\n'));
    let loaded = AuditKey::from_file(&path).unwrap();
    assert_eq!(loaded.id(), generated.id());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // Never overwrites.
    let e = generated.write_new(&path).unwrap_err();
    assert!(matches!(e.kind(), AuditErrorKind::Io { .. }));
    assert_eq!(e.path(), Some(path.as_path()));
    assert_eq!(AuditKey::from_file(&path).unwrap().id(), generated.id());

    // Raw bytes, hex in capitals, and the errors.
    let raw = dir.path().join("raw.key");
    fs::write(&raw, [0xa5; 40]).unwrap();
    assert_eq!(
        AuditKey::from_file(&raw).unwrap().id(),
        AuditKey::from_bytes(&[0xa5; 40]).unwrap().id()
    );
    let upper = dir.path().join("upper.key");
    fs::write(&upper, "A5".repeat(40)).unwrap();
    assert_eq!(
        AuditKey::from_file(&upper).unwrap().id(),
        AuditKey::from_bytes(&[0xa5; 40]).unwrap().id()
    );
    let kind = |content: &[u8]| {
        let p = dir.path().join("bad.key");
        fs::write(&p, content).unwrap();
        let e = AuditKey::from_file(&p).unwrap_err();
        assert_eq!(e.path(), Some(p.as_path()));
        e.kind().clone()
    };
    assert_eq!(
        kind(&vec![
            0xa5;
            crossguard::limits::MAX_AUDIT_KEY_FILE_BYTES + 1
        ]),
        AuditErrorKind::LimitExceeded(AuditLimit::KeyFileBytes)
    );
    assert_eq!(
        kind(&[0xa5; 600]),
        AuditErrorKind::LimitExceeded(AuditLimit::KeyBytes)
    );
    assert_eq!(
        kind(&[0xa5; 16]),
        AuditErrorKind::KeyTooShort { length: 16 }
    );
    assert_eq!(kind(b"00ff\n"), AuditErrorKind::KeyHexLength { digits: 4 });
    assert_eq!(
        kind(b"this is my long and memorable audit passphrase!\n"),
        AuditErrorKind::KeyNotHex
    );
    assert!(matches!(
        AuditKey::from_file(&dir.path().join("missing.key"))
            .unwrap_err()
            .kind(),
        AuditErrorKind::Io { .. }
    ));
    // Debug shows the id only.
    let debug = format!("{loaded:?}");
    assert!(debug.contains(&loaded.id_hex()));
    assert!(!debug.contains(text.trim()));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// A small sealed log (3 records, a checkpoint every 2), made once.
fn small_sealed_log() -> &'static [u8] {
    static LOG: OnceLock<Vec<u8>> = OnceLock::new();
    LOG.get_or_init(|| {
        let sink = MemorySink::new(key(), 2).unwrap();
        for i in 0..3 {
            sink.append(&record(i)).unwrap();
        }
        sink.close().unwrap();
        sink.into_bytes().unwrap()
    })
}

/// Every single-bit flip of a sealed log fails verification, exhaustively on a small log.
#[test]
fn every_bit_flip_of_a_small_log_is_detected() {
    let log = small_sealed_log();
    assert!(verify(log, &key(), strict()).is_ok());
    let mut copy = log.to_vec();
    for at in 0..copy.len() {
        for bit in 0..8 {
            copy[at] ^= 1 << bit;
            let lenient = VerifyOptions {
                allow_unsealed: true,
                ..strict()
            };
            assert!(
                verify(&copy, &key(), lenient).is_err(),
                "flip of bit {bit} at byte {at} not detected"
            );
            copy[at] ^= 1 << bit;
        }
    }
}

fn arbitrary_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter)
}

prop_compose! {
    fn arbitrary_record()(
        time in arbitrary_text(),
        transfer_id in arbitrary_text(),
        from in arbitrary_text(),
        to in arbitrary_text(),
        deny in any::<bool>(),
        stage in prop::option::of(arbitrary_text()),
        failure in any::<bool>(),
        reasons in prop::collection::vec(arbitrary_text(), 0..3),
        label in prop::option::of((arbitrary_text(), arbitrary_text(), arbitrary_text(), arbitrary_text())),
        destination_label in prop::option::of(arbitrary_text()),
        size in any::<u64>(),
        declared_type in prop::option::of(arbitrary_text()),
        policies in prop::collection::vec((arbitrary_text(), arbitrary_text()), 0..3),
    ) -> AuditRecord {
        AuditRecord {
            time,
            transfer_id,
            from,
            to,
            verdict: if deny { Verdict::Deny } else { Verdict::Release },
            stage,
            failure,
            reasons,
            label: label.map(|(format, policy, classification, marking)| LabelAudit {
                format,
                policy,
                classification,
                marking,
                digest: String::new(),
            }),
            destination_label,
            object: ObjectAudit { sha256: sha256_hex(&size.to_le_bytes()), size, declared_type, rebuilt: None },
            policies: policies
                .into_iter()
                .map(|(name, oid)| PolicyAudit {
                    name,
                    oid,
                    version: "1".into(),
                    fingerprint: String::new(),
                })
                .collect(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Flipping any single bit of any byte of a sealed 20-record log is detected.
    #[test]
    fn any_bit_flip_is_detected(position in any::<prop::sample::Index>(), bit in 0u8..8) {
        static LOG: OnceLock<Vec<u8>> = OnceLock::new();
        let log = LOG.get_or_init(|| {
            let sink = MemorySink::new(key(), 5).unwrap();
            for i in 0..20 {
                sink.append(&record(i)).unwrap();
            }
            sink.close().unwrap();
            sink.into_bytes().unwrap()
        });
        let mut copy = log.clone();
        let at = position.index(copy.len());
        copy[at] ^= 1 << bit;
        prop_assert!(verify(&copy, &key(), unsealed()).is_err(), "bit {} of byte {}", bit, at);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The sink's chain equals an independent recomputation with ring's HMAC over the lines,
    /// for arbitrary record contents (escapes, control characters, non-ASCII), any checkpoint
    /// interval and syncs; and the verifier reads back exactly the records written.
    #[test]
    fn chain_equals_the_reference(
        records in prop::collection::vec(arbitrary_record(), 0..12),
        checkpoint_every in 0u32..4,
        sync_after in prop::collection::vec(any::<bool>(), 12),
        material in prop::collection::vec(any::<u8>(), 32..80),
    ) {
        let key = AuditKey::from_bytes(&material).unwrap();
        let sink = MemorySink::new(key.clone(), checkpoint_every).unwrap();
        for (r, sync) in records.iter().zip(&sync_after) {
            sink.append(r).unwrap();
            if *sync {
                sink.sync().unwrap();
            }
        }
        let end = sink.close().unwrap();
        let log = sink.into_bytes().unwrap();
        let macs = reference_macs(&material, &log);
        prop_assert_eq!(macs.last().unwrap(), &end.mac_hex());
        let summary = verify(&log, &key, VerifyOptions::default()).unwrap();
        prop_assert_eq!(summary.records, records.len() as u64);
        prop_assert_eq!(summary.entries, macs.len() as u64);
        prop_assert_eq!(&summary.head_hex, macs.last().unwrap());
        let read: Vec<AuditRecord> = split(&log)
            .iter()
            .filter_map(|l| {
                let v: serde_json::Value = serde_json::from_slice(l).unwrap();
                (v["kind"] == "record").then(|| serde_json::from_value(v["record"].clone()).unwrap())
            })
            .collect();
        prop_assert_eq!(read, records);
    }
}

// ---------------------------------------------------------------------------------------------
// Fuzz seeds
// ---------------------------------------------------------------------------------------------

fn fuzz_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/audit_verify")
}

/// With `CROSSGUARD_WRITE_SEEDS=1`, rewrites the fuzz seeds (a sealed log, a reopened live
/// log); always checks that the committed seeds verify with the fuzz key, and replays the
/// whole corpus through the fuzz oracle.
#[test]
fn fuzz_seeds_verify_and_corpus_replays() {
    let dir = fuzz_corpus();
    let key = AuditKey::from_bytes(FUZZ_MATERIAL).unwrap();
    if std::env::var_os("CROSSGUARD_WRITE_SEEDS").is_some() {
        fs::create_dir_all(&dir).unwrap();
        let sink = MemorySink::new(key.clone(), 2).unwrap();
        for i in 0..3 {
            sink.append(&record(i)).unwrap();
        }
        sink.close().unwrap();
        fs::write(dir.join("sealed.jsonl"), sink.into_bytes().unwrap()).unwrap();
        let sink = MemorySink::new(key.clone(), 0).unwrap();
        sink.append(&record(3)).unwrap();
        sink.close().unwrap();
        let mut reopened = sink.into_bytes().unwrap();
        let scratch = tempfile::tempdir().unwrap();
        let path = scratch.path().join("reopened.jsonl");
        fs::write(&path, &reopened).unwrap();
        let options = SinkOptions {
            durability: Durability::OsBuffered,
            checkpoint_every: 0,
        };
        let sink = JsonlSink::open(&path, key.clone(), options).unwrap();
        sink.append(&record(4)).unwrap();
        drop(sink);
        reopened = fs::read(&path).unwrap();
        fs::write(dir.join("reopened-live.jsonl"), reopened).unwrap();
    }
    let sealed = fs::read(dir.join("sealed.jsonl")).unwrap();
    assert!(
        verify(&sealed, &key, VerifyOptions::default())
            .unwrap()
            .sealed
    );
    let live = fs::read(dir.join("reopened-live.jsonl")).unwrap();
    assert_eq!(verify(&live, &key, unsealed()).unwrap().opens, 2);
    let mut replayed = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| crossguard::fuzzing::audit_verify(&data));
        assert!(
            outcome.is_ok(),
            "audit_verify oracle failed on {}",
            path.display()
        );
        replayed += 1;
    }
    assert!(replayed >= 2);
}

/// The example in `docs/audit.md` (the first `jsonl` block) is a real log: it verifies with the
/// documented key (bytes 0x00..=0x1f) as a live log of three entries, and the reference
/// recomputation agrees.
#[test]
fn docs_example_verifies() {
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/audit.md")).unwrap();
    let start = doc.find("```jsonl\n").unwrap() + "```jsonl\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let example = &doc.as_bytes()[start..end];
    let material: Vec<u8> = (0u8..32).collect();
    let key = AuditKey::from_bytes(&material).unwrap();
    let summary = verify(example, &key, unsealed()).unwrap();
    assert_eq!(
        (summary.entries, summary.records, summary.checkpoints),
        (3, 1, 1)
    );
    assert_eq!(key.id_hex(), "4ff6b0817851b53e");
    reference_macs(&material, example);
    let e = verify(example, &key, strict()).unwrap_err();
    assert!(matches!(
        e.kind(),
        AuditErrorKind::Unsealed {
            last_seq: 2,
            last_checkpoint_seq: Some(2)
        }
    ));
}
