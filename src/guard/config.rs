//! The guard's TOML configuration: policies, domains, flows, limits and audit
//! (`docs/configuration.md`).
//!
//! Parsing ([`GuardConfig::from_toml`]) checks the shape: unknown keys, wrong types and missing
//! fields are errors with the line and column. Building a guard from it
//! ([`super::Guard::build`]) checks the meaning: names resolve, clearances and default labels
//! are valid under their policies, and each flow's kind agrees with the clearances.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::ConfigError;
use crate::limits::MAX_CONFIG_BYTES;

/// The embedded default configuration: a multi-domain laptop on the embedded policies.
pub const EMBEDDED_CONFIG: &str = include_str!("../../tests/data/guard/laptop.toml");

/// A parsed (not yet checked) guard configuration.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GuardConfig {
    /// Guard-wide settings.
    #[serde(default)]
    pub guard: GuardSection,
    /// The audit trail.
    pub audit: Option<AuditSection>,
    /// The domains.
    #[serde(rename = "domain", default)]
    pub domains: Vec<DomainConfig>,
    /// The flows.
    #[serde(rename = "flow", default)]
    pub flows: Vec<FlowConfig>,
    /// Directory that relative paths are resolved against (the configuration file's directory;
    /// the working directory for the embedded configuration).
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// `[guard]`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GuardSection {
    /// A name for audit records and output.
    #[serde(default = "default_guard_name")]
    pub name: String,
    /// Whether the embedded policies (the NATO-like demo and XLAND) are loaded.
    #[serde(default = "yes")]
    pub embedded_policies: bool,
    /// Further SPIF files.
    #[serde(default)]
    pub policies: Vec<PathBuf>,
    /// Largest object on any flow, in bytes.
    #[serde(default = "default_max_object_bytes")]
    pub max_object_bytes: usize,
    /// Largest label, in bytes.
    #[serde(default = "default_max_label_bytes")]
    pub max_label_bytes: usize,
}

impl Default for GuardSection {
    fn default() -> Self {
        Self {
            name: default_guard_name(),
            embedded_policies: true,
            policies: Vec::new(),
            max_object_bytes: default_max_object_bytes(),
            max_label_bytes: default_max_label_bytes(),
        }
    }
}

/// `[audit]`: where the JSON Lines audit trail goes.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AuditSection {
    /// The log file.
    pub file: PathBuf,
    /// The HMAC key file.
    pub key_file: PathBuf,
    /// `every-record`, `batch` or `os-buffered`.
    #[serde(default = "default_durability")]
    pub durability: String,
    /// Batch size for `batch`.
    #[serde(default = "default_batch_records")]
    pub batch_records: u32,
    /// Batch interval for `batch`, in milliseconds.
    #[serde(default = "default_batch_millis")]
    pub batch_millis: u64,
    /// Records between checkpoints.
    #[serde(default = "default_batch_records")]
    pub checkpoint_every: u32,
}

impl AuditSection {
    /// The file sink options these settings describe; an unknown `durability` is an error.
    pub fn sink_options(&self) -> Result<crate::audit::SinkOptions, ConfigError> {
        use crate::audit::Durability;
        let durability = match self.durability.as_str() {
            "every-record" => Durability::EveryRecord,
            "batch" => Durability::Batch {
                records: self.batch_records,
                millis: self.batch_millis,
            },
            "os-buffered" => Durability::OsBuffered,
            other => {
                return Err(ConfigError::invalid(
                    "[audit]",
                    "unknown-durability",
                    format!("durability = {other:?} is not every-record, batch or os-buffered"),
                ))
            }
        };
        Ok(crate::audit::SinkOptions {
            durability,
            checkpoint_every: self.checkpoint_every,
        })
    }
}

/// `[[domain]]`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DomainConfig {
    /// Unique name.
    pub name: String,
    /// Policy name or OID.
    pub policy: String,
    /// The interface clearance.
    pub clearance: ClearanceConfig,
    /// `[[domain.also]]`: the interface's clearances under other policies whose labels the
    /// domain takes natively.
    #[serde(default)]
    pub also: Vec<AlsoConfig>,
}

/// `[[domain.also]]`: a clearance under another policy.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AlsoConfig {
    /// Policy name or OID (not the domain's own).
    pub policy: String,
    /// Cleared classification names, under that policy.
    pub classifications: Vec<String>,
    /// Category values held, under that policy.
    #[serde(default)]
    pub categories: Vec<CategoryConfig>,
}

/// A clearance written in the configuration.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ClearanceConfig {
    /// Cleared classification names.
    pub classifications: Vec<String>,
    /// Category values held.
    #[serde(default)]
    pub categories: Vec<CategoryConfig>,
}

/// Values of one tag set, as in a 4774 `Category` element.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    /// The tag set's name (`TagName`).
    pub tag_set: String,
    /// `restrictive`, `permissive` or `informative`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The values.
    pub values: Vec<String>,
}

/// A label written in the configuration (a flow's default label).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LabelConfig {
    /// Classification name.
    pub classification: String,
    /// Categories.
    #[serde(default)]
    pub categories: Vec<CategoryConfig>,
}

/// `[[flow]]`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FlowConfig {
    /// Source domain.
    pub from: String,
    /// Destination domain.
    pub to: String,
    /// `import`, `release` or `peer`.
    pub kind: String,
    /// Accepted label encodings (`4774-xml`, `ess-der`); default both.
    #[serde(default = "default_label_formats")]
    pub labels: Vec<String>,
    /// `deny` (default) or `default` (then `default_label` is required).
    #[serde(default = "default_unlabelled")]
    pub unlabelled: String,
    /// The label for unlabelled objects, under the source domain's policy.
    pub default_label: Option<LabelConfig>,
    /// Content rules.
    #[serde(default)]
    pub content: ContentConfig,
    /// Release conditions (required on release flows, refused elsewhere).
    pub release: Option<ReleaseConfig>,
}

/// `[flow.content]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ContentConfig {
    /// Largest object on this flow (at most the guard's `max_object_bytes`).
    pub max_bytes: Option<usize>,
    /// Declared types accepted.
    pub types: Option<Vec<String>>,
    /// Inspectors, in order: `true-type`, `format`, then any of `schema`, `words`,
    /// `markings`, and `cdr` last (see `docs/inspection.md`).
    #[serde(default)]
    pub inspect: Vec<String>,
    /// True types the `true-type` inspector accepts (`text`, `json`, `xml`, `label-4774`, …).
    pub true_types: Option<Vec<String>>,
    /// Allowlists the `format` inspector applies to XML objects.
    pub xml: Option<XmlContentConfig>,
    /// The JSON Schema (subset, `docs/json.md`) that JSON objects must satisfy, as JSON text;
    /// required by the `schema` inspector.
    pub schema: Option<String>,
    /// The forbidden words and phrases; required by the `words` inspector.
    pub words: Option<WordsConfig>,
}

/// `[flow.content.xml]`: what an XML object may contain.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct XmlContentConfig {
    /// Namespace names allowed on elements and attributes (`""` allows elements in no
    /// namespace; attributes in no namespace are always allowed).
    pub namespaces: Option<Vec<String>>,
    /// Elements allowed, as expanded names: `{namespace}local`, or `local` in no namespace.
    pub elements: Option<Vec<String>>,
}

/// `[flow.content.words]`: forbidden words and phrases (`docs/words.md`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WordsConfig {
    /// Phrases matched as written (after normalisation), on word boundaries.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Phrases also matched with separators inserted between their letters (`s.e.c.r.e.t`).
    #[serde(default)]
    pub spaced: Vec<String>,
}

/// `[flow.release]`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReleaseConfig {
    /// Most sensitive classification released.
    pub max_classification: String,
    /// Values every released label must carry.
    #[serde(default)]
    pub required_values: Vec<CategoryConfig>,
    /// Must be `accept` until signed label bindings exist.
    pub unsigned_labels: Option<String>,
}

fn default_guard_name() -> String {
    "crossguard".to_owned()
}
fn yes() -> bool {
    true
}
fn default_max_object_bytes() -> usize {
    crate::limits::DEFAULT_MAX_OBJECT_BYTES
}
fn default_max_label_bytes() -> usize {
    crate::limits::MAX_LABEL_XML_BYTES
}
fn default_durability() -> String {
    "batch".to_owned()
}
fn default_batch_records() -> u32 {
    1000
}
fn default_batch_millis() -> u64 {
    100
}
fn default_label_formats() -> Vec<String> {
    vec!["4774-xml".to_owned(), "ess-der".to_owned()]
}
fn default_unlabelled() -> String {
    "deny".to_owned()
}

impl GuardConfig {
    /// Parses a configuration; relative paths will resolve against `base_dir`.
    pub fn from_toml(text: &str, base_dir: &Path) -> Result<Self, ConfigError> {
        if text.len() > MAX_CONFIG_BYTES {
            return Err(ConfigError::TooLarge {
                limit: MAX_CONFIG_BYTES,
            });
        }
        let mut config: Self = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            message: e.message().to_owned(),
            line_column: e.span().map(|span| line_column(text, span.start)),
        })?;
        config.base_dir = base_dir.to_path_buf();
        Ok(config)
    }

    /// Reads and parses a configuration file (relative paths resolve against its directory).
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let bytes = super::read_bounded(path, MAX_CONFIG_BYTES).map_err(|e| match e {
            super::ReadError::TooLarge => ConfigError::TooLarge {
                limit: MAX_CONFIG_BYTES,
            },
            super::ReadError::Io(message) => ConfigError::Io {
                path: path.display().to_string(),
                message,
            },
        })?;
        let text = String::from_utf8(bytes).map_err(|e| ConfigError::Syntax {
            message: format!(
                "not UTF-8 (first bad byte at {})",
                e.utf8_error().valid_up_to()
            ),
            line_column: None,
        })?;
        let base = path.parent().unwrap_or_else(|| Path::new("."));
        Self::from_toml(&text, base)
    }

    /// The embedded default configuration (relative paths resolve against `base_dir`).
    pub fn embedded(base_dir: &Path) -> Result<Self, ConfigError> {
        Self::from_toml(EMBEDDED_CONFIG, base_dir)
    }

    /// A path of the configuration, resolved against its base directory.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count().saturating_add(1);
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count())
        .saturating_add(1);
    (line, column)
}
