//! The audit record of one transfer decision: who asked to move what from where to where,
//! under which label and policies, and what the guard decided and why.
//!
//! A record is written as the `"record"` member of a `record` entry of the log (see the
//! module documentation for the line format). Unknown fields are refused when reading.

use serde::{Deserialize, Serialize};

/// The decision recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The object was released to the destination.
    Release,
    /// The object was denied.
    Deny,
}

/// One transfer decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    /// When the decision was made: RFC 3339, UTC, milliseconds (see [`super::now_rfc3339`]).
    pub time: String,
    /// The caller's identifier of the transfer.
    pub transfer_id: String,
    /// The source domain.
    pub from: String,
    /// The destination domain.
    pub to: String,
    /// Released or denied.
    pub verdict: Verdict,
    /// The stage that denied (`flow`, `label`, `access`, `content` or `audit`); `None` for a
    /// release.
    pub stage: Option<String>,
    /// True when the denial is a filter failure (an error inside a stage: a bug, a resource
    /// limit) rather than a policy rejection. Both deny.
    pub failure: bool,
    /// Why, in the order the stages gave them (empty for a plain release).
    pub reasons: Vec<String>,
    /// The label the object arrived with, if one was read or defaulted.
    pub label: Option<LabelAudit>,
    /// The display marking of the label attached on the destination side, if released with
    /// one.
    pub destination_label: Option<String>,
    /// The object itself.
    pub object: ObjectAudit,
    /// The policies the decision used.
    pub policies: Vec<PolicyAudit>,
}

/// The source label of a transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelAudit {
    /// How it was carried: `4774-xml`, `ess-der`, `default` (the flow's default label), …
    pub format: String,
    /// The policy identifier (OID) it was read under.
    pub policy: String,
    /// The classification's name.
    pub classification: String,
    /// The label's display marking.
    pub marking: String,
    /// SHA-256 of the label bytes as received, lowercase hex ([`sha256_hex`]); empty for a
    /// default label.
    pub digest: String,
}

/// The object of a transfer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectAudit {
    /// SHA-256 of the object as received, lowercase hex ([`sha256_hex`]).
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// The type the sender declared (a media type or file name extension), if any.
    pub declared_type: Option<String>,
    /// When the flow rebuilt the object (content disarm and reconstruction) and released the
    /// rebuilt one: what was released. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rebuilt: Option<RebuiltAudit>,
}

/// The object a flow's `cdr` inspector rebuilt, which is what crossed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RebuiltAudit {
    /// How (`json-rfc8785`, `xml-c14n-stripped`, `text-nfc-lf`).
    pub method: String,
    /// SHA-256 of the rebuilt object, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// A policy a decision used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyAudit {
    /// The policy's name.
    pub name: String,
    /// Its identifier (OID).
    pub oid: String,
    /// Its version.
    pub version: String,
    /// A fingerprint of the policy as loaded (e.g. SHA-256 hex of the SPIF bytes).
    pub fingerprint: String,
}

/// SHA-256 of `bytes`, 64 lowercase hex digits.
///
/// ```
/// assert_eq!(
///     crossguard::audit::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    super::hex::encode(digest.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> AuditRecord {
        AuditRecord {
            time: "2026-11-28T09:37:55.123Z".into(),
            transfer_id: "t-1".into(),
            from: "secret".into(),
            to: "mission".into(),
            verdict: Verdict::Deny,
            stage: Some("content".into()),
            failure: false,
            reasons: vec!["forbidden word \"x\"".into()],
            label: Some(LabelAudit {
                format: "4774-xml".into(),
                policy: "1.3.26.1.3.1".into(),
                classification: "SECRET".into(),
                marking: "NATO SECRET".into(),
                digest: sha256_hex(b"<label/>"),
            }),
            destination_label: None,
            object: ObjectAudit {
                sha256: sha256_hex(b""),
                size: 0,
                declared_type: Some("text/plain".into()),
                rebuilt: None,
            },
            policies: vec![PolicyAudit {
                name: "NATO".into(),
                oid: "1.3.26.1.3.1".into(),
                version: "1".into(),
                fingerprint: "00".into(),
            }],
        }
    }

    #[test]
    fn serializes_in_field_order_and_reads_back() {
        let r = record();
        let json = serde_json::to_string(&r).unwrap();
        assert!(
            json.starts_with(r#"{"time":"2026-11-28T09:37:55.123Z","transfer_id":"t-1","from":"secret","to":"mission","verdict":"deny","stage":"content","failure":false,"reasons":["forbidden word \"x\""],"label":{"format":"4774-xml""#),
            "{json}"
        );
        assert!(json.ends_with(
            r#""policies":[{"name":"NATO","oid":"1.3.26.1.3.1","version":"1","fingerprint":"00"}]}"#
        ));
        assert_eq!(serde_json::from_str::<AuditRecord>(&json).unwrap(), r);
        let unknown = json.replacen('{', r#"{"extra":1,"#, 1);
        assert!(serde_json::from_str::<AuditRecord>(&unknown).is_err());
    }

    #[test]
    fn sha256_of_empty() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
