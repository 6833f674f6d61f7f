//! The guard: built once from configuration, then asked about every transfer.
//!
//! [`Guard::check`] runs the fixed pipeline of design.md, each stage exactly once and always in
//! this order: **flow** (a configured edge from → to) → **label** (parse strictly, validate
//! under its policy, express it under the source and destination policies; unlabelled objects
//! per the flow's rule) → **access** (the label within the source clearance; the ACDF against
//! the destination clearance; a release flow's rule) → **content** (size and declared type,
//! then the flow's inspectors: true type from the bytes, strict validation of its format) →
//! **verdict** → **audit**. A stage passes, rejects with reasons, or fails; a failure is a
//! denial reported as a filter failure ([`Deny::failure`]), never as a release. A [`Verdict::Release`] is returned only after its
//! audit record has been written; if the audit sink fails, the transfer is denied.
//!
//! ```
//! use crossguard::guard::{Guard, GuardConfig, LabelInput, Transfer, Verdict};
//! use crossguard::audit::{AuditKey, MemorySink};
//! use std::sync::Arc;
//!
//! let config = GuardConfig::embedded(std::path::Path::new("."))?;
//! let sink = Arc::new(MemorySink::new(AuditKey::generate()?, 1000)?);
//! let guard = Guard::build(&config, sink.clone())?;
//! let label = include_bytes!("../../tests/data/label/restricted-nato.xml");
//! let transfer = Transfer::new("mission-restricted", "nato-secret", &b"report"[..])
//!     .with_label(LabelInput::Bytes(label.to_vec().into()));
//! match guard.check(transfer) {
//!     Verdict::Release(release) => assert_eq!(&release.object[..], b"report"),
//!     Verdict::Deny(deny) => panic!("denied: {deny}"),
//! }
//! assert_eq!(sink.lines()?.len(), 2); // the log's `open` entry and this decision
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod config;
mod content;
mod error;
mod pipeline;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;

pub use config::{
    AlsoConfig, AuditSection, CategoryConfig, ClearanceConfig, ContentConfig, DomainConfig,
    FlowConfig, GuardConfig, GuardSection, LabelConfig, ReleaseConfig, WordsConfig,
    XmlContentConfig, EMBEDDED_CONFIG,
};
pub use content::{ContentCheck, Finding};
pub use error::ConfigError;
pub use pipeline::{Assessment, Deny, Reason, Release, Stage, Verdict};

use crate::audit::AuditSink;
use crate::flow::{
    compare_clearances, kind_fits, DefaultLabel, Domain, Flow, FlowKind, Inspector, LabelFormat,
    PolicyClearance, ReleaseRule,
};
use crate::label::{
    compile_clearance, render_marking, validate_under, ClearanceXml, ConfidentialityInformation,
    LabelCategory, PolicyIdentifier, Timestamp, ValidClearance,
};
use crate::policy::{CategoryType, ClassificationId, MarkingCode, Policy, PolicySet};

/// What accompanies an object as its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelInput {
    /// No label: the flow's default-label rule applies.
    None,
    /// Label bytes; 4774 XML or ESS DER, told apart by content.
    Bytes(Bytes),
}

/// One object asking to cross.
#[derive(Clone, Debug)]
pub struct Transfer {
    /// An identifier for the audit trail (the guard assigns one when empty).
    pub id: String,
    /// Source domain name.
    pub from: String,
    /// Destination domain name.
    pub to: String,
    /// The object (never copied by the guard).
    pub object: Bytes,
    /// Its label.
    pub label: LabelInput,
    /// The type the sender declares (e.g. a media type).
    pub declared_type: Option<String>,
}

impl Transfer {
    /// An unlabelled transfer of `object` from `from` to `to`.
    pub fn new(from: &str, to: &str, object: impl Into<Bytes>) -> Self {
        Self {
            id: String::new(),
            from: from.to_owned(),
            to: to.to_owned(),
            object: object.into(),
            label: LabelInput::None,
            declared_type: None,
        }
    }

    /// With a label.
    pub fn with_label(mut self, label: LabelInput) -> Self {
        self.label = label;
        self
    }

    /// With a declared type.
    pub fn with_type(mut self, declared_type: &str) -> Self {
        self.declared_type = Some(declared_type.to_owned());
        self
    }

    /// With an identifier.
    pub fn with_id(mut self, id: &str) -> Self {
        self.id = id.to_owned();
        self
    }
}

/// The guard. Immutable once built; `Send + Sync`, so one guard serves every thread.
pub struct Guard {
    name: String,
    policies: PolicySet,
    /// Each policy's identity for audit records, by policy index.
    policy_audit: Vec<crate::audit::PolicyAudit>,
    domains: Vec<Domain>,
    domain_index: HashMap<Box<str>, usize, Fnv>,
    flows: Vec<Flow>,
    flow_index: HashMap<(usize, usize), usize, Fnv>,
    max_object_bytes: usize,
    max_label_bytes: usize,
    /// The classification markings of every policy, for the `markings` inspector.
    markings: crate::inspect::markings::MarkingPhrases,
    audit: Arc<dyn AuditSink>,
    /// Random per guard instance, so that generated transfer ids do not repeat across runs.
    run_id: String,
    sequence: AtomicU64,
    /// What `words` and `markings` found in the labels read lately, by flow and label bytes
    /// ([`crate::limits::MAX_CACHED_LABEL_SCANS`]).
    label_scans: std::sync::Mutex<Vec<content::LabelScan>>,
}

impl core::fmt::Debug for Guard {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Guard")
            .field("name", &self.name)
            .field("domains", &self.domains.len())
            .field("flows", &self.flows.len())
            .finish_non_exhaustive()
    }
}

impl Guard {
    /// Builds a guard from a configuration, auditing to `audit`. Every name must resolve and
    /// every flow must agree with the clearances; the first problem is returned.
    pub fn build(config: &GuardConfig, audit: Arc<dyn AuditSink>) -> Result<Self, ConfigError> {
        let policies = load_policies(config)?;
        let section = &config.guard;
        if section.name.is_empty() || section.name.len() > crate::limits::MAX_GUARD_NAME_BYTES {
            return Err(ConfigError::invalid(
                "[guard]",
                "invalid-name",
                format!(
                    "name must be 1 to {} bytes (it prefixes every generated transfer id)",
                    crate::limits::MAX_GUARD_NAME_BYTES
                ),
            ));
        }
        if let Some(audit) = &config.audit {
            audit.sink_options()?;
        }
        if section.max_label_bytes > crate::limits::MAX_LABEL_XML_BYTES {
            return Err(ConfigError::invalid(
                "[guard]",
                "limit-too-large",
                format!(
                    "max_label_bytes {} exceeds MAX_LABEL_XML_BYTES ({})",
                    section.max_label_bytes,
                    crate::limits::MAX_LABEL_XML_BYTES
                ),
            ));
        }
        let mut domains = Vec::new();
        let mut domain_index = HashMap::with_hasher(Fnv);
        for d in &config.domains {
            let at = format!("domain {:?}", d.name);
            if d.name.is_empty() {
                return Err(ConfigError::invalid(
                    at,
                    "empty-name",
                    "a domain needs a name",
                ));
            }
            let policy_index = policies.position(&d.policy).ok_or_else(|| {
                ConfigError::invalid(
                    &at,
                    "unknown-policy",
                    format!("no loaded policy is named or identified {:?}", d.policy),
                )
            })?;
            let policy = policies.get(policy_index).ok_or_else(|| {
                ConfigError::invalid(&at, "unknown-policy", "policy index out of range")
            })?;
            let clearance = compile_config_clearance(&policies, policy, &d.clearance)
                .map_err(|reason| ConfigError::invalid(&at, "invalid-clearance", reason))?;
            let also = compile_also(&policies, policy_index, &clearance, &d.also)
                .map_err(|(code, reason)| ConfigError::invalid(&at, code, reason))?;
            let domain = Domain {
                name: d.name.clone().into_boxed_str(),
                policy: policy_index,
                classes: clearance.class_bits(),
                categories: clearance.category_words().to_vec().into_boxed_slice(),
                also,
            };
            if domain_index
                .insert(domain.name.clone(), domains.len())
                .is_some()
            {
                return Err(ConfigError::invalid(
                    at,
                    "duplicate-domain",
                    "two domains have this name",
                ));
            }
            domains.push(domain);
        }
        let mut flows = Vec::new();
        let mut flow_index = HashMap::with_hasher(Fnv);
        for f in &config.flows {
            let flow = build_flow(f, &policies, &domains, &domain_index, section)?;
            if flow_index
                .insert((flow.from, flow.to), flows.len())
                .is_some()
            {
                return Err(ConfigError::invalid(
                    format!("flow {} -> {}", f.from, f.to),
                    "duplicate-flow",
                    "this edge is configured twice",
                ));
            }
            flows.push(flow);
        }
        let markings = crate::inspect::markings::MarkingPhrases::new(&policies).map_err(|e| {
            ConfigError::invalid(
                "policies",
                "marking-phrases",
                format!("the policies' marking phrases do not compile: {e}"),
            )
        })?;
        for flow in &mut flows {
            let content = &mut flow.content;
            if content.inspect.contains(&crate::flow::Inspector::Markings) {
                // A flow that reads an object for words and markings reads it once. Should
                // the lists not compile together (more phrases than one matcher takes), they
                // are read apart, with the same result.
                content.words_and_markings = content.words.as_deref().and_then(|words| {
                    crate::inspect::words::WordMatcher::combined(&[words, markings.matcher()])
                        .ok()
                        .map(std::sync::Arc::new)
                });
            }
        }
        Ok(Self {
            markings,
            name: section.name.clone(),
            policy_audit: policies.iter().map(pipeline::policy_audit).collect(),
            policies,
            domains,
            domain_index,
            flows,
            flow_index,
            max_object_bytes: section.max_object_bytes,
            max_label_bytes: section.max_label_bytes,
            audit,
            run_id: run_id()?,
            sequence: AtomicU64::new(0),
            label_scans: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// The guard's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The policies it knows.
    pub fn policies(&self) -> &PolicySet {
        &self.policies
    }

    /// The domains, in configuration order.
    pub fn domains(&self) -> &[Domain] {
        &self.domains
    }

    /// The flows, in configuration order.
    pub fn flows(&self) -> &[Flow] {
        &self.flows
    }

    /// The audit sink.
    pub fn audit(&self) -> &Arc<dyn AuditSink> {
        &self.audit
    }

    /// Decides one transfer now.
    pub fn check(&self, transfer: Transfer) -> Verdict {
        self.check_at(transfer, Timestamp::now())
    }

    /// Decides one transfer as of `at` (label and policy validity are time-dependent).
    pub fn check_at(&self, mut transfer: Transfer, at: Timestamp) -> Verdict {
        if transfer.id.is_empty() {
            let n = self.sequence.fetch_add(1, Ordering::Relaxed);
            transfer.id = format!("{}-{}-{n}", self.name, self.run_id);
        }
        pipeline::run(self, transfer, at)
    }

    /// What [`Guard::check`] would decide about `transfer` now, without releasing or auditing
    /// anything: the same stages on the same code, minus the audit record.
    ///
    /// For previews and tooling (a file-drop dialog that shows whether an object may cross,
    /// `crossguard inspect`): an assessment moves nothing and leaves no trace in the audit
    /// trail, so a transfer must always go through [`Guard::check`]. Policy validity is
    /// time-dependent, so a `Pass` now says nothing about a later `check`.
    pub fn assess(&self, transfer: &Transfer) -> Assessment {
        self.assess_at(transfer, Timestamp::now())
    }

    /// [`Guard::assess`] as of `at`.
    pub fn assess_at(&self, transfer: &Transfer, at: Timestamp) -> Assessment {
        pipeline::assess(self, transfer, at)
    }

    /// The content stage alone, on the transfer's flow: each check in order (size, declared
    /// type, then the flow's inspectors) with what it found, stopping after the first refusal.
    /// For tooling (`crossguard inspect`); nothing is released or audited. The label is read
    /// only for the `markings` inspector (which refuses, as a failure, when it is not valid).
    /// `Err` when the flow does not exist.
    pub fn inspect_content(&self, transfer: &Transfer) -> Result<Vec<ContentCheck>, Reason> {
        let (from, to) = (&transfer.from, &transfer.to);
        let flow = self
            .domain(from)
            .zip(self.domain(to))
            .and_then(|((f, _), (t, _))| self.flow_index.get(&(f, t)))
            .and_then(|&i| self.flows.get(i))
            .ok_or_else(|| {
                Reason::new(
                    "no-flow",
                    format!(
                        "no flow is configured from {:?} to {:?}",
                        crate::xml::excerpt(from),
                        crate::xml::excerpt(to)
                    ),
                )
            })?;
        let label = if flow.content.inspect.contains(&Inspector::Markings) {
            pipeline::received_label(self, flow, transfer, Timestamp::now())
        } else {
            Err(String::from("not read"))
        };
        Ok(content::content_checks(
            self,
            flow,
            &transfer.object,
            transfer.declared_type.as_deref(),
            label.as_ref().map_err(String::as_str),
            content::label_text(&transfer.label),
        ))
    }

    fn domain(&self, name: &str) -> Option<(usize, &Domain)> {
        let i = *self.domain_index.get(name)?;
        self.domains.get(i).map(|d| (i, d))
    }

    /// The index of a policy of this guard (few policies: a scan by address).
    fn policy_index(&self, policy: &Policy) -> Option<usize> {
        self.policies.iter().position(|p| core::ptr::eq(p, policy))
    }

    fn policy_of(&self, domain: &Domain) -> Option<&Policy> {
        self.policies.get(domain.policy)
    }

    /// The domain's clearance under `policy` (its own or an `also` one), if it states one.
    fn clearance_under<'g>(
        &'g self,
        domain: &'g Domain,
        policy: usize,
    ) -> Option<ValidClearance<'g>> {
        let (classes, words) = domain.clearance_under(policy)?;
        ValidClearance::borrowing(self.policies.get(policy)?, classes, words)
    }
}

/// FNV-1a, for the guard's two name and edge tables. The tables are built from the
/// configuration and never grow from input; a sender chooses only the keys looked up, which
/// cannot degrade a table, so the flooding resistance of SipHash buys nothing here and a
/// decision saves its cost.
#[derive(Clone, Copy, Debug, Default)]
struct Fnv;

impl core::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

struct FnvHasher(u64);

impl core::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.write(&n.to_le_bytes());
    }
}

/// Eight random bytes, hex.
fn run_id() -> Result<String, ConfigError> {
    let mut bytes = [0u8; 8];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).map_err(|_| {
        ConfigError::invalid("guard", "no-randomness", "the system random source failed")
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn load_policies(config: &GuardConfig) -> Result<PolicySet, ConfigError> {
    let mut set = if config.guard.embedded_policies {
        PolicySet::embedded()
            .map_err(|e| ConfigError::invalid("embedded policies", "policy", e.to_string()))?
    } else {
        PolicySet::new()
    };
    for path in &config.guard.policies {
        let full = config.resolve(path);
        let at = format!("policy file {}", full.display());
        let bytes = read_bounded(&full, crate::limits::MAX_SPIF_INPUT_BYTES).map_err(|e| {
            ConfigError::Io {
                path: full.display().to_string(),
                message: match e {
                    ReadError::Io(message) => message,
                    ReadError::TooLarge => format!(
                        "larger than MAX_SPIF_INPUT_BYTES ({} bytes)",
                        crate::limits::MAX_SPIF_INPUT_BYTES
                    ),
                },
            }
        })?;
        let policy = Policy::from_spif(&bytes)
            .map_err(|e| ConfigError::invalid(&at, "policy", e.to_string()))?;
        set.insert(policy)
            .map_err(|e| ConfigError::invalid(&at, "duplicate-policy", e.to_string()))?;
    }
    Ok(set)
}

/// Why [`read_bounded`] failed.
pub(crate) enum ReadError {
    /// The file could not be read (the system's message).
    Io(String),
    /// The file is longer than the limit.
    TooLarge,
}

/// Reads at most `limit` bytes of a file; a longer file is [`ReadError::TooLarge`].
pub(crate) fn read_bounded(path: &std::path::Path, limit: usize) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let io = |e: std::io::Error| ReadError::Io(e.to_string());
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    file.take(cap).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

fn category_type(kind: &str) -> Result<CategoryType, String> {
    match kind {
        "restrictive" => Ok(CategoryType::Restrictive),
        "permissive" => Ok(CategoryType::Permissive),
        "informative" => Ok(CategoryType::Informative),
        other => Err(format!(
            "category type {other:?} is not restrictive, permissive or informative"
        )),
    }
}

fn label_categories(categories: &[CategoryConfig]) -> Result<Vec<LabelCategory<'_>>, String> {
    categories
        .iter()
        .map(|c| {
            Ok(LabelCategory {
                kind: category_type(&c.kind)?,
                tag_name: c.tag_set.as_str().into(),
                uri: None,
                values: c.values.iter().map(|v| v.as_str().into()).collect(),
            })
        })
        .collect()
}

fn policy_identifier(policy: &Policy) -> PolicyIdentifier<'_> {
    PolicyIdentifier {
        name: policy.name().into(),
        uri: Some(policy.uri().into()),
    }
}

fn compile_config_clearance<'p>(
    policies: &'p PolicySet,
    policy: &Policy,
    clearance: &ClearanceConfig,
) -> Result<ValidClearance<'p>, String> {
    let xml = ClearanceXml {
        policy: policy_identifier(policy),
        classifications: clearance
            .classifications
            .iter()
            .map(|c| c.as_str().into())
            .collect(),
        categories: label_categories(&clearance.categories)?,
    };
    compile_clearance(policies, &xml).map_err(|e| e.to_string())
}

/// Compiles a domain's `[[domain.also]]` clearances: each under a distinct policy other than
/// its own, valid there, and holding no classification whose equivalent under the domain's own
/// policy its own clearance lacks (a second policy must not raise the domain's level).
fn compile_also(
    policies: &PolicySet,
    own: usize,
    own_clearance: &ValidClearance<'_>,
    also: &[AlsoConfig],
) -> Result<Box<[PolicyClearance]>, (&'static str, String)> {
    let own_policy = own_clearance.policy();
    let mut out: Vec<PolicyClearance> = Vec::with_capacity(also.len());
    for a in also {
        let index = policies.position(&a.policy).ok_or_else(|| {
            (
                "unknown-policy",
                format!(
                    "[[domain.also]]: no loaded policy is named or identified {:?}",
                    a.policy
                ),
            )
        })?;
        if index == own || out.iter().any(|c| c.policy == index) {
            return Err((
                "duplicate-clearance",
                format!(
                    "[[domain.also]]: policy {:?} already has a clearance in this domain",
                    a.policy
                ),
            ));
        }
        let policy = policies
            .get(index)
            .ok_or(("unknown-policy", "policy index out of range".to_owned()))?;
        let clearance = compile_config_clearance(
            policies,
            policy,
            &ClearanceConfig {
                classifications: a.classifications.clone(),
                categories: a.categories.clone(),
            },
        )
        .map_err(|reason| {
            (
                "invalid-clearance",
                format!("[[domain.also]] {}: {reason}", policy.name()),
            )
        })?;
        for (id, class) in policy.classifications().iter().enumerate() {
            let bit = |id: u8| 1u64.checked_shl(u32::from(id)).unwrap_or(0);
            let Ok(id8) = u8::try_from(id) else { break };
            if clearance.class_bits() & bit(id8) == 0 {
                continue;
            }
            let within =
                crate::label::map_classification(policy, ClassificationId(id8), own_policy)
                    .is_ok_and(|mapped| own_clearance.class_bits() & bit(mapped.0) != 0);
            if !within {
                return Err((
                    "also-exceeds-clearance",
                    format!(
                        "[[domain.also]] {}: {} has no equivalent within the domain's own \
                         clearance under {}",
                        policy.name(),
                        class.name,
                        own_policy.name()
                    ),
                ));
            }
        }
        out.push(PolicyClearance {
            policy: index,
            classes: clearance.class_bits(),
            categories: clearance.category_words().to_vec().into_boxed_slice(),
        });
    }
    Ok(out.into_boxed_slice())
}

fn build_flow(
    f: &FlowConfig,
    policies: &PolicySet,
    domains: &[Domain],
    domain_index: &HashMap<Box<str>, usize, Fnv>,
    section: &GuardSection,
) -> Result<Flow, ConfigError> {
    let at = format!("flow {} -> {}", f.from, f.to);
    let find = |name: &str| {
        domain_index.get(name).copied().ok_or_else(|| {
            ConfigError::invalid(
                &at,
                "unknown-domain",
                format!("no domain is named {name:?}"),
            )
        })
    };
    let (from, to) = (find(&f.from)?, find(&f.to)?);
    if from == to {
        return Err(ConfigError::invalid(
            &at,
            "self-flow",
            "a flow must join two different domains",
        ));
    }
    let kind = match f.kind.as_str() {
        "import" => FlowKind::Import,
        "release" => FlowKind::Release,
        "peer" => FlowKind::Peer,
        other => {
            return Err(ConfigError::invalid(
                &at,
                "unknown-kind",
                format!("kind {other:?} is not import, release or peer"),
            ))
        }
    };
    let (Some(source), Some(destination)) = (domains.get(from), domains.get(to)) else {
        return Err(ConfigError::invalid(&at, "unknown-domain", "domain index"));
    };
    let (Some(source_policy), Some(destination_policy)) = (
        policies.get(source.policy),
        policies.get(destination.policy),
    ) else {
        return Err(ConfigError::invalid(&at, "unknown-policy", "policy index"));
    };
    check_kind(kind, source, source_policy, destination, destination_policy)
        .map_err(|reason| ConfigError::invalid(&at, "kind-contradicts-clearances", reason))?;

    let mut label_formats = Vec::new();
    for name in &f.labels {
        let format = match name.as_str() {
            "4774-xml" => LabelFormat::Xml4774,
            "ess-der" => LabelFormat::EssDer,
            other => {
                return Err(ConfigError::invalid(
                    &at,
                    "unknown-label-format",
                    format!("label format {other:?} is not 4774-xml or ess-der"),
                ))
            }
        };
        if !label_formats.contains(&format) {
            label_formats.push(format);
        }
    }

    let default_label = match (f.unlabelled.as_str(), &f.default_label) {
        ("deny", None) => None,
        ("deny", Some(_)) => {
            return Err(ConfigError::invalid(
                &at,
                "unused-default-label",
                "default_label is given but unlabelled = \"deny\"",
            ))
        }
        ("default", None) => {
            return Err(ConfigError::invalid(
                &at,
                "missing-default-label",
                "unlabelled = \"default\" needs a default_label",
            ))
        }
        ("default", Some(_)) if kind == FlowKind::Release => {
            return Err(ConfigError::invalid(
                &at,
                "default-label-on-release",
                "a release flow never labels objects itself: unlabelled objects are denied",
            ))
        }
        ("default", Some(_)) if !source_policy.same_as(destination_policy) => {
            return Err(ConfigError::invalid(
                &at,
                "default-label-across-policies",
                "a flow between two policies never labels objects itself: only a real label \
                 can be mapped and checked on both sides",
            ))
        }
        ("default", Some(label)) => Some(
            compile_default_label(label, source, source_policy)
                .map_err(|reason| ConfigError::invalid(&at, "invalid-default-label", reason))?,
        ),
        (other, _) => {
            return Err(ConfigError::invalid(
                &at,
                "unknown-unlabelled-rule",
                format!("unlabelled = {other:?} is not \"deny\" or \"default\""),
            ))
        }
    };

    let release = match (kind, &f.release) {
        (FlowKind::Release, None) => {
            return Err(ConfigError::invalid(
                &at,
                "missing-release-rule",
                "a release (high -> low) flow needs a [flow.release] rule",
            ))
        }
        (FlowKind::Release, Some(rule)) => Some(
            compile_release_rule(rule, source_policy, destination, destination_policy)
                .map_err(|(code, reason)| ConfigError::invalid(&at, code, reason))?,
        ),
        (_, Some(_)) => {
            return Err(ConfigError::invalid(
                &at,
                "release-rule-on-non-release",
                format!("a {kind} flow cannot carry a release rule"),
            ))
        }
        (_, None) => None,
    };

    let max_bytes = f.content.max_bytes.unwrap_or(section.max_object_bytes);
    if max_bytes > section.max_object_bytes {
        return Err(ConfigError::invalid(
            &at,
            "limit-too-large",
            format!(
                "content.max_bytes {max_bytes} exceeds the guard's max_object_bytes {}",
                section.max_object_bytes
            ),
        ));
    }
    let types = f
        .content
        .types
        .as_ref()
        .map(|t| t.iter().map(|s| s.clone().into_boxed_str()).collect());
    let content = content::compile_content(&f.content, max_bytes, types)
        .map_err(|(code, reason)| ConfigError::invalid(&at, code, reason))?;
    Ok(Flow {
        from,
        to,
        kind,
        label_formats,
        default_label,
        release,
        content,
    })
}

/// The kind must agree with the clearances; across policies, with the classifications'
/// equivalents.
fn check_kind(
    kind: FlowKind,
    source: &Domain,
    source_policy: &Policy,
    destination: &Domain,
    destination_policy: &Policy,
) -> Result<(), String> {
    let (Some(s), Some(d)) = (
        ValidClearance::borrowing(source_policy, source.classes, &source.categories),
        ValidClearance::borrowing(
            destination_policy,
            destination.classes,
            &destination.categories,
        ),
    ) else {
        return Err("a clearance does not fit its policy".to_owned());
    };
    if source_policy.same_as(destination_policy) {
        let order = compare_clearances(&s, &d);
        if kind_fits(kind, order) {
            return Ok(());
        }
        let relation = match order {
            crate::flow::ClearanceOrder::Equal => "equal to",
            crate::flow::ClearanceOrder::Above => "above",
            crate::flow::ClearanceOrder::Below => "below",
            crate::flow::ClearanceOrder::Incomparable => "incomparable with",
        };
        let fits = match order {
            crate::flow::ClearanceOrder::Equal => "peer",
            crate::flow::ClearanceOrder::Above => "release",
            crate::flow::ClearanceOrder::Below => "import",
            crate::flow::ClearanceOrder::Incomparable => "no kind",
        };
        return Err(format!(
            "the source clearance ({}) is {relation} the destination's ({}), so this is not an \
             {kind} flow (it would be: {fits})",
            source.name, destination.name
        ));
    }
    // Across policies: compare the highest classifications through the equivalences.
    let top = |domain: &Domain, policy: &Policy| {
        (0..64u8)
            .rev()
            .find(|i| domain.classes & (1u64 << i) != 0)
            .and_then(|i| policy.classifications().get(usize::from(i)))
            .map(|c| (c.name.clone(), c.hierarchy))
    };
    let (Some((s_name, _)), Some((_, d_hierarchy))) = (
        top(source, source_policy),
        top(destination, destination_policy),
    ) else {
        return Err("a clearance holds no classification".to_owned());
    };
    let mapped = source_policy
        .classification_by_name(&s_name)
        .and_then(|id| crate::label::map_classification(source_policy, id, destination_policy).ok())
        .and_then(|id| destination_policy.classification(id))
        .map(|c| c.hierarchy)
        .ok_or_else(|| {
            format!(
                "{s_name} of {} has no equivalent under {}, so no label can cross",
                source_policy.name(),
                destination_policy.name()
            )
        })?;
    let fits = match kind {
        FlowKind::Import => mapped < d_hierarchy,
        FlowKind::Release => mapped > d_hierarchy,
        FlowKind::Peer => mapped == d_hierarchy,
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "across {} and {}, the source's highest classification {s_name} maps to hierarchy \
             {mapped} against the destination's {d_hierarchy}, which is not an {kind} flow",
            source_policy.name(),
            destination_policy.name()
        ))
    }
}

fn compile_default_label(
    label: &LabelConfig,
    source: &Domain,
    policy: &Policy,
) -> Result<DefaultLabel, String> {
    let information = ConfidentialityInformation {
        policy: policy_identifier(policy),
        classification: label.classification.as_str().into(),
        privacy_mark: None,
        categories: label_categories(&label.categories)?,
    };
    let valid = validate_under(policy, &information, Timestamp::now(), Vec::new())
        .map_err(|e| e.to_string())?;
    let clearance = ValidClearance::borrowing(policy, source.classes, &source.categories)
        .ok_or("the source clearance does not fit its policy")?;
    if crate::label::decide(&valid, &clearance) != crate::label::Access::Granted {
        return Err(format!(
            "the default label is above what {} may hold",
            source.name
        ));
    }
    // An unlabelled object may be anything the source holds: its default label must be the
    // source's system high in classification and restrictive values (standards.md §7.3
    // reserves default labels for public ingest, where that is one level).
    let top = (0..64u8)
        .rev()
        .find(|i| source.classes & (1u64 << i) != 0)
        .map(ClassificationId);
    if top != Some(valid.classification()) {
        return Err(format!(
            "the default label's classification must be the highest {} is cleared for",
            source.name
        ));
    }
    for tag in policy.tags() {
        if tag.kind.category_type() != CategoryType::Restrictive {
            continue;
        }
        let start = usize::from(tag.word_offset);
        let end = start.saturating_add(usize::from(tag.word_count));
        let held = source.categories.get(start..end).unwrap_or_default();
        let carried = valid.category_words().get(start..end).unwrap_or_default();
        if held.iter().zip(carried).any(|(h, c)| h & !c != 0) {
            return Err(format!(
                "the default label must carry every restrictive value {} holds",
                source.name
            ));
        }
    }
    Ok(DefaultLabel {
        classification: valid.classification(),
        categories: valid.category_words().to_vec().into_boxed_slice(),
        marking: render_marking(&valid, MarkingCode::PageTopBottom, "en").into_boxed_str(),
    })
}

fn compile_release_rule(
    rule: &ReleaseConfig,
    source_policy: &Policy,
    destination: &Domain,
    destination_policy: &Policy,
) -> Result<ReleaseRule, (&'static str, String)> {
    let max = source_policy
        .classification_by_name(&rule.max_classification)
        .ok_or_else(|| {
            (
                "unknown-classification",
                format!(
                    "max_classification {:?} is not a classification of {}",
                    rule.max_classification,
                    source_policy.name()
                ),
            )
        })?;
    let in_destination = crate::label::map_classification(source_policy, max, destination_policy)
        .ok()
        .map(|id| id.index().min(63));
    if in_destination.is_none_or(|i| destination.classes & (1u64 << i) == 0) {
        return Err((
            "release-above-destination",
            format!(
                "max_classification {} is not in the clearance of {}",
                rule.max_classification, destination.name
            ),
        ));
    }
    let mut required_values = Vec::new();
    for c in &rule.required_values {
        if c.values.is_empty() {
            return Err((
                "invalid-release-rule",
                format!(
                    "required_values for {:?} lists no value, so it would require nothing",
                    c.tag_set
                ),
            ));
        }
        let kind = category_type(&c.kind).map_err(|e| ("invalid-release-rule", e))?;
        let set = source_policy.tag_set_by_name(&c.tag_set).ok_or_else(|| {
            (
                "invalid-release-rule",
                format!("no tag set {:?} in {}", c.tag_set, source_policy.name()),
            )
        })?;
        for v in &c.values {
            let id = source_policy
                .category_by_name(set, kind, v)
                .ok_or_else(|| {
                    (
                        "invalid-release-rule",
                        format!("no {} value {v:?} in tag set {:?}", c.kind, c.tag_set),
                    )
                })?;
            required_values.push(id);
        }
    }
    let unsigned_labels_accepted = match rule.unsigned_labels.as_deref() {
        Some("accept") => true,
        Some(other) => {
            return Err((
                "invalid-release-rule",
                format!("unsigned_labels = {other:?}: the only value is \"accept\""),
            ))
        }
        None => {
            return Err((
                "unsigned-labels-not-accepted",
                "labels are not yet cryptographically bound to objects (STANAG 4778 bindings \
                 are not implemented), so a release flow must state unsigned_labels = \
                 \"accept\" to release on an unsigned label"
                    .to_owned(),
            ))
        }
    };
    Ok(ReleaseRule {
        max_classification: max,
        required_values,
        unsigned_labels_accepted,
    })
}
