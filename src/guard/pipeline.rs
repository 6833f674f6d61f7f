//! The decision pipeline: flow → label → access → content → verdict → audit, in this order,
//! each stage once.

use core::fmt;

use bytes::Bytes;

use super::{Guard, LabelInput, Transfer};
use crate::audit::{
    sha256_hex, AuditRecord, LabelAudit, ObjectAudit, PolicyAudit, RebuiltAudit,
    Verdict as AuditVerdict,
};
use crate::flow::{Domain, Flow, FlowKind, LabelFormat};
use crate::label::{
    decide, decode_ess_label, explain, map_label, read_label_xml, render_marking, revalidate,
    validate, write_label_xml, Access, LabelKind, LabelMetadata, Strictness, Timestamp,
    ValidClearance, ValidLabel,
};
use crate::policy::{CategoryType, MarkingCode, Policy};

/// The stages, in pipeline order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// A configured edge from → to.
    Flow,
    /// Parse, validate and express the label.
    Label,
    /// Source clearance, destination ACDF, release rule.
    Access,
    /// Size and declared type.
    Content,
    /// Writing the audit record.
    Audit,
}

impl Stage {
    /// The stage's name in output and audit records.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Flow => "flow",
            Self::Label => "label",
            Self::Access => "access",
            Self::Content => "content",
            Self::Audit => "audit",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason for a denial: a stable code and words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// Stable kebab-case code (`no-flow`, `label-invalid`, `above-source-clearance`, …).
    pub code: &'static str,
    /// What was wrong.
    pub message: String,
}

impl Reason {
    pub(super) fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// The object may cross.
#[derive(Clone, Debug)]
pub struct Release {
    /// The transfer's identifier.
    pub id: String,
    /// The object: as given (not copied), or, when the flow rebuilds objects (its `cdr`
    /// inspector), the rebuilt object.
    pub object: Bytes,
    /// How the object was rebuilt (`json-rfc8785`, `xml-c14n-stripped`, `text-nfc-lf`), or
    /// `None` when it crosses as given.
    pub cdr: Option<&'static str>,
    /// The originator label as received (4774 XML or ESS DER bytes), or, for an unlabelled
    /// object given the flow's default label, that label written as 4774 XML.
    pub originator_label: Bytes,
    /// The originator label's encoding.
    pub originator_format: LabelFormat,
    /// When the label is under another policy than the destination's own: the label under the
    /// destination's policy, as a 4774 `alternativeConfidentialityLabel`, if the mapping keeps
    /// every restriction (otherwise none, and a warning says why).
    pub alternative_label: Option<String>,
    /// The marking of the label the destination decided on: under its own policy, or under
    /// the label's policy when the destination states a clearance there (`[[domain.also]]`).
    pub marking: String,
    /// Warnings about the label (e.g. its review date has passed).
    pub warnings: Vec<String>,
    /// Sequence number of the audit entry that recorded the decision.
    pub audit_seq: u64,
}

/// The object may not cross.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deny {
    /// The transfer's identifier.
    pub id: String,
    /// The stage that denied.
    pub stage: Stage,
    /// `true` when the guard failed (a filter failure: an internal or audit error), `false`
    /// for a policy rejection.
    pub failure: bool,
    /// Every reason.
    pub reasons: Vec<Reason>,
    /// Sequence number of the audit entry that recorded this denial, or `None` if it could
    /// not be written (then a reason says why).
    pub audit_seq: Option<u64>,
    /// When the record of a release was written as an entry but the append then failed
    /// (its fsync failed): that entry's sequence number. The entry says "release", but
    /// nothing was released; it is void, and a reason says so.
    pub void_audit_seq: Option<u64>,
}

impl fmt::Display for Deny {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.failure {
            "filter failure"
        } else {
            "denied"
        };
        write!(f, "{what} at the {} stage: ", self.stage)?;
        for (i, r) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

/// The decision.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// Release to the destination.
    Release(Release),
    /// Refused.
    Deny(Deny),
}

impl Verdict {
    /// Whether the object may cross.
    pub fn is_release(&self) -> bool {
        matches!(self, Self::Release(_))
    }
}

/// A stage's refusal before it is audited.
pub(super) struct Refusal {
    pub(super) stage: Stage,
    pub(super) failure: bool,
    pub(super) reasons: Vec<Reason>,
}

pub(super) fn refuse(stage: Stage, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        stage,
        failure: false,
        reasons: vec![Reason::new(code, message)],
    }
}

/// How one end of the flow sees the label: the label it decides on and the clearance it
/// decides against.
struct End<'g> {
    /// The label mapped to the domain's own policy, when the domain states no clearance under
    /// the label's policy (`None`: decided on the label as received).
    mapped: Option<ValidLabel<'g>>,
    /// The domain's clearance under the policy of the label it decides on.
    clearance: ValidClearance<'g>,
    /// Whether that policy is the domain's own (not one of its `also` policies).
    own_policy: bool,
}

/// What the label stage produced.
struct Labels<'g> {
    /// As received (or the flow's default label), under its own policy.
    received: ValidLabel<'g>,
    source: End<'g>,
    destination: End<'g>,
    format: LabelFormat,
    /// The bytes to attach as originator label.
    originator: Bytes,
    received_format: &'static str,
    warnings: Vec<String>,
}

impl<'g> Labels<'g> {
    /// The label the source domain decides on.
    fn source(&self) -> &ValidLabel<'g> {
        self.source.mapped.as_ref().unwrap_or(&self.received)
    }

    /// The label the destination domain decides on.
    fn destination(&self) -> &ValidLabel<'g> {
        self.destination.mapped.as_ref().unwrap_or(&self.received)
    }
}

/// Everything the audit record needs, gathered as the stages run (only when `audited`).
#[derive(Default)]
struct Facts {
    audited: bool,
    label: Option<LabelAudit>,
    destination_marking: Option<String>,
    policies: Vec<PolicyAudit>,
}

/// What [`Guard::assess`](super::Guard::assess) finds: what [`Guard::check`](super::Guard::check)
/// would decide, with nothing released and nothing audited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assessment {
    /// Every stage passes: `check` would release the object, provided its audit record is
    /// written.
    Pass {
        /// The marking of the label the destination would decide on.
        marking: String,
        /// Warnings about the label.
        warnings: Vec<String>,
    },
    /// A stage refuses (or fails).
    Refuse {
        /// The stage.
        stage: Stage,
        /// `true` for a filter failure, `false` for a policy rejection.
        failure: bool,
        /// Every reason.
        reasons: Vec<Reason>,
    },
}

impl Assessment {
    /// Whether every stage passes.
    pub fn passes(&self) -> bool {
        matches!(self, Self::Pass { .. })
    }
}

pub(super) fn assess(guard: &Guard, transfer: &Transfer, at: Timestamp) -> Assessment {
    match decide_transfer(guard, transfer, at, &mut Facts::default()) {
        Ok(release) => Assessment::Pass {
            marking: release.marking,
            warnings: release.warnings,
        },
        Err(r) => Assessment::Refuse {
            stage: r.stage,
            failure: r.failure,
            reasons: r.reasons,
        },
    }
}

pub(super) fn run(guard: &Guard, transfer: Transfer, at: Timestamp) -> Verdict {
    let mut facts = Facts {
        audited: true,
        ..Facts::default()
    };
    let outcome = decide_transfer(guard, &transfer, at, &mut facts);
    let (verdict, stage, failure, reasons) = match &outcome {
        Ok(_) => (AuditVerdict::Release, None, false, Vec::new()),
        Err(r) => (
            AuditVerdict::Deny,
            Some(r.stage.as_str().to_owned()),
            r.failure,
            r.reasons.iter().map(ToString::to_string).collect(),
        ),
    };
    // Fields the sender controls enter the record cut to a bounded excerpt, so that no input
    // can make the record too large to be written (which would deny everything after it).
    let record = AuditRecord {
        time: crate::audit::now_rfc3339(),
        transfer_id: crate::xml::excerpt(&transfer.id).into(),
        from: crate::xml::excerpt(&transfer.from).into(),
        to: crate::xml::excerpt(&transfer.to).into(),
        verdict,
        stage,
        failure,
        reasons,
        label: facts.label,
        destination_label: facts.destination_marking,
        object: ObjectAudit {
            sha256: sha256_hex(&transfer.object),
            size: u64::try_from(transfer.object.len()).unwrap_or(u64::MAX),
            declared_type: transfer
                .declared_type
                .as_deref()
                .map(|t| crate::xml::excerpt(t).into()),
            rebuilt: outcome
                .as_ref()
                .ok()
                .and_then(|r| Some((r.cdr?, &r.object)))
                .map(|(method, object)| RebuiltAudit {
                    method: method.to_owned(),
                    sha256: sha256_hex(object),
                    size: u64::try_from(object.len()).unwrap_or(u64::MAX),
                }),
        },
        policies: facts.policies,
    };
    let written = guard.audit.append(&record);
    match (outcome, written) {
        (Ok(mut release), Ok(seq)) => {
            release.audit_seq = seq;
            release.id = transfer.id;
            Verdict::Release(release)
        }
        (Ok(_), Err(e)) => {
            let void = e.written_seq();
            let message = match void {
                Some(seq) => format!(
                    "the audit record was written as entry {seq} but the append failed \
                     ({e}), so nothing is released: entry {seq} records a release that did \
                     not happen and is void"
                ),
                None => {
                    format!("the audit record could not be written, so nothing is released ({e})")
                }
            };
            Verdict::Deny(Deny {
                id: transfer.id,
                stage: Stage::Audit,
                failure: true,
                reasons: vec![Reason::new("audit-failed", message)],
                audit_seq: None,
                void_audit_seq: void,
            })
        }
        (Err(r), Ok(seq)) => Verdict::Deny(Deny {
            id: transfer.id,
            stage: r.stage,
            failure: r.failure,
            reasons: r.reasons,
            audit_seq: Some(seq),
            void_audit_seq: None,
        }),
        (Err(mut r), Err(e)) => {
            let message = match e.written_seq() {
                Some(seq) => format!(
                    "the audit record of this denial was written as entry {seq}, but the \
                     append failed: {e}"
                ),
                None => format!("the audit record of this denial could not be written: {e}"),
            };
            r.reasons.push(Reason::new("audit-failed", message));
            Verdict::Deny(Deny {
                id: transfer.id,
                stage: r.stage,
                failure: r.failure,
                reasons: r.reasons,
                audit_seq: e.written_seq(),
                void_audit_seq: None,
            })
        }
    }
}

/// A policy's identity for audit records (computed once per policy when the guard is built).
pub(super) fn policy_audit(policy: &Policy) -> PolicyAudit {
    PolicyAudit {
        name: policy.name().to_owned(),
        oid: policy.id().to_string(),
        version: policy.version().to_string(),
        fingerprint: format!("{:016x}", policy.fingerprint()),
    }
}

fn decide_transfer(
    guard: &Guard,
    transfer: &Transfer,
    at: Timestamp,
    facts: &mut Facts,
) -> Result<Release, Refusal> {
    // 1. flow
    let limit = crate::limits::MAX_TRANSFER_FIELD_BYTES;
    let too_long = [
        ("transfer id", transfer.id.len()),
        (
            "declared type",
            transfer.declared_type.as_ref().map_or(0, String::len),
        ),
    ];
    if let Some((field, len)) = too_long.iter().find(|(_, len)| *len > limit) {
        return Err(refuse(
            Stage::Flow,
            "transfer-field-too-long",
            format!("the {field} is {len} bytes, over MAX_TRANSFER_FIELD_BYTES ({limit})"),
        ));
    }
    let unknown = |name: &str| {
        refuse(
            Stage::Flow,
            "unknown-domain",
            format!("no domain is named {:?}", crate::xml::excerpt(name)),
        )
    };
    let (from, source) = guard
        .domain(&transfer.from)
        .ok_or_else(|| unknown(&transfer.from))?;
    let (to, destination) = guard
        .domain(&transfer.to)
        .ok_or_else(|| unknown(&transfer.to))?;
    let flow = guard
        .flow_index
        .get(&(from, to))
        .and_then(|&i| guard.flows.get(i))
        .ok_or_else(|| {
            refuse(
                Stage::Flow,
                "no-flow",
                format!(
                    "no flow is configured from {} to {}",
                    source.name, destination.name
                ),
            )
        })?;
    let (Some(source_policy), Some(destination_policy)) =
        (guard.policy_of(source), guard.policy_of(destination))
    else {
        return Err(failure(Stage::Flow, "a domain's policy is missing"));
    };
    if facts.audited {
        let audit_identity = |domain: &Domain| guard.policy_audit.get(domain.policy).cloned();
        facts.policies.extend(audit_identity(source));
        if !destination_policy.same_as(source_policy) {
            facts.policies.extend(audit_identity(destination));
        }
    }

    // 2. label
    if let (true, LabelInput::Bytes(bytes)) = (facts.audited, &transfer.label) {
        // Recorded before parsing, so that a refused label leaves a trace of what was tried.
        facts.label = Some(LabelAudit {
            format: LabelFormat::detect(bytes).as_str().to_owned(),
            policy: String::new(),
            classification: String::new(),
            marking: String::new(),
            digest: sha256_hex(bytes),
        });
    }
    let labels = label_stage(
        guard,
        flow,
        source,
        source_policy,
        destination,
        transfer,
        at,
    )?;
    let received_policy = labels.received.policy();
    let received_marking = render_marking(&labels.received, MarkingCode::PageTopBottom, "en");
    if facts.audited {
        facts.label = Some(LabelAudit {
            format: labels.received_format.to_owned(),
            policy: guard
                .policy_index(received_policy)
                .and_then(|i| guard.policy_audit.get(i))
                .map_or_else(|| received_policy.id().to_string(), |p| p.oid.clone()),
            classification: received_policy
                .classification(labels.received.classification())
                .map(|c| c.name.to_string())
                .unwrap_or_default(),
            marking: received_marking.clone(),
            digest: facts.label.take().map(|l| l.digest).unwrap_or_default(),
        });
    }
    // When the destination decides on the label as received, one rendering serves both.
    let marking = match &labels.destination.mapped {
        Some(mapped) => render_marking(mapped, MarkingCode::PageTopBottom, "en"),
        None => received_marking,
    };
    if facts.audited {
        facts.destination_marking = Some(marking.clone());
    }

    // 3. access
    access_stage(flow, source, destination, &labels)?;

    // 4. content
    let rebuilt = super::content::content_stage(
        guard,
        flow,
        &transfer.object,
        transfer.declared_type.as_deref(),
        &labels.received,
        super::content::label_text(&transfer.label),
    )?;

    // 5. verdict: the label under the destination's own policy goes beside the originator
    // label when the destination decided on a mapped label, or natively under one of its
    // `also` policies and the mapping to its own keeps every restriction.
    let mut warnings = labels.warnings;
    let under_own_policy = match (labels.destination.mapped, labels.destination.own_policy) {
        (Some(mapped), _) => Some(mapped),
        (None, true) => None,
        (None, false) => match map_lossless(&labels.received, destination_policy, at) {
            Ok(mapped) => Some(mapped),
            Err((_, why)) => {
                warnings.push(format!(
                    "no alternative label under {}: {why}; {} takes the label under {}",
                    destination_policy.name(),
                    destination.name,
                    received_policy.name()
                ));
                None
            }
        },
    };
    let alternative_label = under_own_policy.map(|label| {
        write_label_xml(
            &label,
            &LabelMetadata {
                kind: LabelKind::Alternative,
                id: None,
                review: review_after(at),
                originator: None,
                creation: at,
            },
        )
    });
    Ok(Release {
        // Filled in by `run`, which owns the transfer (an assessment needs none).
        id: String::new(),
        cdr: rebuilt.as_ref().map(|r| r.method),
        object: rebuilt.map_or_else(|| transfer.object.clone(), |r| r.object),
        originator_label: labels.originator,
        originator_format: labels.format,
        alternative_label,
        marking,
        warnings,
        audit_seq: 0,
    })
}

/// The review date the guard writes on labels it makes: one year after creation.
fn review_after(at: Timestamp) -> Timestamp {
    Timestamp(at.0.saturating_add(365 * 86_400))
}

pub(super) fn failure(stage: Stage, message: impl Into<String>) -> Refusal {
    Refusal {
        stage,
        failure: true,
        reasons: vec![Reason::new("internal", message)],
    }
}

/// The label as received (or the flow's default label), validated: for tooling that needs
/// the label without a decision. `Err` names why there is none.
pub(super) fn received_label<'g>(
    guard: &'g Guard,
    flow: &Flow,
    transfer: &Transfer,
    at: Timestamp,
) -> Result<ValidLabel<'g>, String> {
    let domain = |i: usize| guard.domains.get(i);
    let (Some(source), Some(destination)) = (domain(flow.from), domain(flow.to)) else {
        return Err("the flow's domains are missing".to_owned());
    };
    let Some(source_policy) = guard.policy_of(source) else {
        return Err("the source domain's policy is missing".to_owned());
    };
    label_stage(
        guard,
        flow,
        source,
        source_policy,
        destination,
        transfer,
        at,
    )
    .map(|labels| labels.received)
    .map_err(|r| {
        r.reasons
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

fn label_stage<'g>(
    guard: &'g Guard,
    flow: &Flow,
    source: &'g Domain,
    source_policy: &'g Policy,
    destination: &'g Domain,
    transfer: &Transfer,
    at: Timestamp,
) -> Result<Labels<'g>, Refusal> {
    let reject = |code, message: String| refuse(Stage::Label, code, message);
    let (label, format, originator, received_format, warnings) = match &transfer.label {
        LabelInput::None => {
            let Some(default) = &flow.default_label else {
                return Err(reject(
                    "unlabelled",
                    "the object has no label and this flow denies unlabelled objects".to_owned(),
                ));
            };
            // Valid when the guard was built; validity is time-dependent, so check it again.
            let label = revalidate(
                ValidLabel {
                    policy: source_policy,
                    classification: default.classification,
                    privacy_mark: None,
                    categories: default.categories.clone(),
                    warnings: Vec::new(),
                },
                at,
            )
            .map_err(|reasons| {
                let why: Vec<String> = reasons.iter().map(ToString::to_string).collect();
                reject(
                    "default-label-invalid",
                    format!(
                        "the flow's default label is no longer valid: {}",
                        why.join("; ")
                    ),
                )
            })?;
            let xml = write_label_xml(
                &label,
                &LabelMetadata {
                    kind: LabelKind::Originator,
                    id: None,
                    review: review_after(at),
                    originator: None,
                    creation: at,
                },
            );
            let warning = format!(
                "unlabelled object given the flow's default label {}",
                default.marking
            );
            (
                label,
                LabelFormat::Xml4774,
                Bytes::from(xml.into_bytes()),
                "default",
                vec![warning],
            )
        }
        LabelInput::Bytes(bytes) => {
            if bytes.len() > guard.max_label_bytes {
                return Err(reject(
                    "label-too-large",
                    format!(
                        "the label is {} bytes, over the guard's max_label_bytes ({})",
                        bytes.len(),
                        guard.max_label_bytes
                    ),
                ));
            }
            let format = LabelFormat::detect(bytes);
            if !flow.label_formats.contains(&format) {
                return Err(reject(
                    "label-format-refused",
                    format!("this flow does not accept {} labels", format.as_str()),
                ));
            }
            let (label, warnings) = parse_label(guard, bytes, format, at)?;
            (label, format, bytes.clone(), format.as_str(), warnings)
        }
    };
    // A release is decided on the label the sender's own policy gives it: a label under a
    // foreign policy would reach the release rule only through a mapping, which can add the
    // very values the rule requires.
    if flow.kind == FlowKind::Release && !label.policy().same_as(source_policy) {
        return Err(reject(
            "release-foreign-policy",
            format!(
                "a release from {} needs a label under its policy {}, not {}",
                source.name,
                source_policy.name(),
                label.policy().name()
            ),
        ));
    }
    let received_policy = guard.policy_index(label.policy());
    let source_end = end(guard, &label, received_policy, source, "source", at)?;
    let destination_end = end(
        guard,
        &label,
        received_policy,
        destination,
        "destination",
        at,
    )?;
    Ok(Labels {
        received: label,
        source: source_end,
        destination: destination_end,
        format,
        originator,
        received_format,
        warnings,
    })
}

/// How `domain` decides on `label`: natively when it states a clearance under the label's
/// policy (its own or an `also` one), otherwise on the label mapped to its own policy — and
/// only if that mapping keeps every restriction.
fn end<'g>(
    guard: &'g Guard,
    label: &ValidLabel<'g>,
    label_policy: Option<usize>,
    domain: &'g Domain,
    role: &str,
    at: Timestamp,
) -> Result<End<'g>, Refusal> {
    let no_clearance = || {
        failure(
            Stage::Label,
            format!("{}'s clearance does not fit its policy", domain.name),
        )
    };
    if let Some(policy) = label_policy.filter(|&p| domain.clearance_under(p).is_some()) {
        return Ok(End {
            mapped: None,
            clearance: guard
                .clearance_under(domain, policy)
                .ok_or_else(no_clearance)?,
            own_policy: policy == domain.policy,
        });
    }
    let target = guard.policy_of(domain).ok_or_else(no_clearance)?;
    let mapped = map_lossless(label, target, at).map_err(|(code, why)| {
        refuse(
            Stage::Label,
            code,
            format!(
                "the {} label cannot be expressed under the {role} domain {}'s policy {}: {why}",
                label.policy().name(),
                domain.name,
                target.name()
            ),
        )
    })?;
    Ok(End {
        mapped: Some(mapped),
        clearance: guard
            .clearance_under(domain, domain.policy)
            .ok_or_else(no_clearance)?,
        own_policy: true,
    })
}

/// `label` mapped to `target`, refused when the mapping fails or discards a restrictive or
/// permissive value: a discarded restriction is a check the target can no longer make, so
/// the mapped label would be wider than the original.
fn map_lossless<'g>(
    label: &ValidLabel<'_>,
    target: &'g Policy,
    at: Timestamp,
) -> Result<ValidLabel<'g>, (&'static str, String)> {
    let mapped = map_label(label, target, at).map_err(|e| ("label-not-mappable", e.to_string()))?;
    let policy = label.policy();
    let dropped: Vec<String> = mapped
        .discarded_ids
        .iter()
        .filter(|&&id| {
            policy
                .category(id)
                .and_then(|c| policy.tag(c.tag))
                .is_none_or(|t| t.kind.category_type() != CategoryType::Informative)
        })
        .map(|&id| crate::label::category_display(policy, id).into_string())
        .collect();
    if dropped.is_empty() {
        return Ok(mapped.label);
    }
    Err((
        "mapping-drops-restriction",
        format!(
            "the mapping would discard {}, a restriction {} cannot express, so the label would \
             be wider there",
            dropped.join(", "),
            target.name()
        ),
    ))
}

fn parse_label<'g>(
    guard: &'g Guard,
    bytes: &[u8],
    format: LabelFormat,
    at: Timestamp,
) -> Result<(ValidLabel<'g>, Vec<String>), Refusal> {
    let invalid = |code, message: String| refuse(Stage::Label, code, message);
    match format {
        LabelFormat::Xml4774 => {
            let mut read = read_label_xml(bytes, Strictness::Strict)
                .map_err(|e| invalid("label-malformed", e.to_string()))?;
            // The label is released as received: it meets the text rules as XML content does
            // (a bidirectional control in a comment would travel with the object).
            super::content::xml_characters(bytes)
                .map_err(|why| invalid("forbidden-character", why))?;
            // The object's own label: an alternative label without its originator, or the
            // label of a metadata set, is not the authoritative label of an object.
            if !matches!(read.label.kind, LabelKind::Originator | LabelKind::Legacy) {
                return Err(invalid(
                    "label-kind-refused",
                    format!(
                        "a {} is not an object's originator label",
                        read.label.kind.element_name()
                    ),
                ));
            }
            if let Some(w) = read.label.review_warning(at) {
                read.warnings.push(w);
            }
            let label = validate(
                &guard.policies,
                &read.label.body.information,
                at,
                read.warnings,
            )
            .map_err(|e| invalid("label-invalid", e.to_string()))?;
            let warnings = label.warnings().iter().map(ToString::to_string).collect();
            Ok((label, warnings))
        }
        LabelFormat::EssDer => {
            let ess = crate::label::ess::EssLabel::decode(bytes)
                .map_err(|e| invalid("label-malformed", e.to_string()))?;
            let label = decode_ess_label(&guard.policies, &ess, at)
                .map_err(|e| invalid("label-invalid", e.to_string()))?;
            let warnings = label.warnings().iter().map(ToString::to_string).collect();
            Ok((label, warnings))
        }
    }
}

fn access_stage(
    flow: &Flow,
    source: &Domain,
    destination: &Domain,
    labels: &Labels<'_>,
) -> Result<(), Refusal> {
    // The ACDF against the source first (a domain cannot emit what it may not hold), then
    // against the destination; `decide` is the fast path, `explain` runs only on a denial.
    let checks = [
        (
            labels.source(),
            &labels.source.clearance,
            "above-source-clearance",
            source,
            ", so it cannot be its sender",
        ),
        (
            labels.destination(),
            &labels.destination.clearance,
            "above-destination-clearance",
            destination,
            "",
        ),
    ];
    for (label, clearance, code, domain, consequence) in checks {
        if decide(label, clearance) != Access::Granted {
            let message = format!("{} is not cleared for this label{consequence}", domain.name);
            let mut reasons = vec![Reason::new(code, message)];
            reasons.extend(
                explain(label, clearance)
                    .reasons
                    .iter()
                    .map(|d| Reason::new(d.code(), d.to_string())),
            );
            return Err(Refusal {
                stage: Stage::Access,
                failure: false,
                reasons,
            });
        }
    }
    if flow.kind == FlowKind::Release {
        let Some(rule) = &flow.release else {
            return Err(failure(Stage::Access, "a release flow without its rule"));
        };
        let policy = labels.source().policy();
        let hierarchy = |id| policy.classification(id).map(|c| c.hierarchy);
        let mut reasons = Vec::new();
        match (
            hierarchy(labels.source().classification()),
            hierarchy(rule.max_classification),
        ) {
            (Some(label), Some(max)) if label <= max => {}
            _ => reasons.push(Reason::new(
                "release-above-maximum",
                format!(
                    "this flow releases nothing above {}",
                    policy
                        .classification(rule.max_classification)
                        .map_or("?", |c| &c.name)
                ),
            )),
        }
        for &id in &rule.required_values {
            if !labels.source().has(id) {
                reasons.push(Reason::new(
                    "release-marking-missing",
                    format!(
                        "a released label must carry {}",
                        crate::label::category_display(policy, id)
                    ),
                ));
            }
        }
        if !reasons.is_empty() {
            return Err(Refusal {
                stage: Stage::Access,
                failure: false,
                reasons,
            });
        }
    }
    Ok(())
}
