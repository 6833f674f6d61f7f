//! What the policy, label, clearance and access commands share: loading policies, reading
//! bounded files, detecting label formats, and reporting.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crossguard::flow::LabelFormat;
use crossguard::label::clearance_der::{ClearanceDer, ClearanceInput};
use crossguard::label::ess::EssLabel;
use crossguard::label::{
    compile_clearance, compile_clearance_der, decode_ess_label, read_clearance_xml, read_label_xml,
    validate, LabelKind, LabelWarning, Strictness, Timestamp, ValidClearance, ValidLabel,
};
use crossguard::policy::{Policy, PolicySet};
use serde_json::{json, Value};

/// `--policy FILE` (repeatable).
#[derive(Debug, clap::Args)]
pub(crate) struct PolicyArgs {
    /// A SPIF to load (repeat for several); without it the embedded policies are used.
    #[arg(long = "policy", value_name = "SPIF")]
    pub(crate) policies: Vec<PathBuf>,
}

/// A failure to report: a stable code and a message.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    pub(crate) code: String,
    pub(crate) message: String,
}

impl Problem {
    pub(crate) fn new(code: &str, message: impl ToString) -> Self {
        Self {
            code: code.to_owned(),
            message: message.to_string(),
        }
    }

    pub(crate) fn json(&self) -> Value {
        json!({ "code": self.code, "message": self.message })
    }
}

/// Reads at most `limit + 1` bytes, so an oversized file is refused by the parser's own
/// limit check without being read whole. `-` is standard input.
pub(crate) fn read_bounded(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin().lock().take(cap).read_to_end(&mut bytes)?;
    } else {
        File::open(path)?.take(cap).read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Largest label file read (XML or DER).
pub(crate) const LABEL_FILE_LIMIT: usize =
    if crossguard::limits::MAX_LABEL_XML_BYTES > crossguard::limits::MAX_DER_INPUT_BYTES {
        crossguard::limits::MAX_LABEL_XML_BYTES
    } else {
        crossguard::limits::MAX_DER_INPUT_BYTES
    };

/// [`load_policies`], reporting a failure on standard error as the command's outcome.
pub(crate) fn policies_or_report(args: &PolicyArgs) -> Result<PolicySet, super::Outcome> {
    load_policies(args).map_err(|e| {
        eprintln!("error: {e}");
        super::Outcome::Error
    })
}

/// The policies named by `--policy`, or the embedded ones.
pub(crate) fn load_policies(args: &PolicyArgs) -> Result<PolicySet, String> {
    if args.policies.is_empty() {
        return PolicySet::embedded().map_err(|e| format!("embedded policies: {e}"));
    }
    let mut set = PolicySet::new();
    for path in &args.policies {
        let policy = load_policy(path)?;
        set.insert(policy)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(set)
}

pub(crate) fn load_policy(path: &Path) -> Result<Policy, String> {
    let bytes = read_bounded(path, crossguard::limits::MAX_SPIF_INPUT_BYTES)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Policy::from_spif(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// A label read and validated, or every problem found.
pub(crate) struct Loaded<'p> {
    pub(crate) format: LabelFormat,
    pub(crate) kind: Option<LabelKind>,
    pub(crate) result: Result<ValidLabel<'p>, Vec<Problem>>,
    pub(crate) warnings: Vec<LabelWarning>,
}

pub(crate) fn load_label<'p>(
    policies: &'p PolicySet,
    bytes: &[u8],
    strictness: Strictness,
    at: Timestamp,
) -> Loaded<'p> {
    let format = LabelFormat::detect(bytes);
    match format {
        LabelFormat::Xml4774 => match read_label_xml(bytes, strictness) {
            Err(e) => Loaded {
                format,
                kind: None,
                result: Err(vec![Problem::new(e.code(), &e)]),
                warnings: Vec::new(),
            },
            Ok(mut read) => {
                let kind = Some(read.label.kind);
                if let Some(w) = read.label.review_warning(at) {
                    read.warnings.push(w);
                }
                let warnings = read.warnings.clone();
                match validate(policies, &read.label.body.information, at, read.warnings) {
                    Ok(label) => Loaded {
                        format,
                        kind,
                        warnings: label.warnings().to_vec(),
                        result: Ok(label),
                    },
                    Err(invalid) => Loaded {
                        format,
                        kind,
                        result: Err(invalid
                            .reasons
                            .iter()
                            .map(|r| Problem::new(r.code(), r))
                            .collect()),
                        warnings: if invalid.warnings.is_empty() {
                            warnings
                        } else {
                            invalid.warnings
                        },
                    },
                }
            }
        },
        LabelFormat::EssDer => {
            if bytes.len() > crossguard::limits::MAX_DER_INPUT_BYTES {
                return Loaded {
                    format,
                    kind: None,
                    result: Err(vec![Problem::new(
                        "limit-exceeded",
                        "the label exceeds MAX_DER_INPUT_BYTES",
                    )]),
                    warnings: Vec::new(),
                };
            }
            match EssLabel::decode(bytes) {
                Err(e) => Loaded {
                    format,
                    kind: None,
                    result: Err(vec![Problem::new("der", &e)]),
                    warnings: Vec::new(),
                },
                Ok(ess) => match decode_ess_label(policies, &ess, at) {
                    Ok(label) => Loaded {
                        format,
                        kind: None,
                        warnings: label.warnings().to_vec(),
                        result: Ok(label),
                    },
                    Err(invalid) => Loaded {
                        format,
                        kind: None,
                        result: Err(invalid
                            .reasons
                            .iter()
                            .map(|r| Problem::new(r.code(), r))
                            .collect()),
                        warnings: invalid.warnings,
                    },
                },
            }
        }
    }
}

pub(crate) fn warnings_json(warnings: &[LabelWarning]) -> Value {
    Value::Array(
        warnings
            .iter()
            .map(|w| json!({ "code": w.code(), "message": w.to_string() }))
            .collect(),
    )
}

pub(crate) fn problems_json(problems: &[Problem]) -> Value {
    Value::Array(problems.iter().map(Problem::json).collect())
}

/// A clearance file read and compiled: one clearance per policy it carries.
pub(crate) struct LoadedClearance<'p> {
    /// `4774-xml`, `der-clearance` or `certificate`.
    pub(crate) source: &'static str,
    /// The certificate subject, when read from a certificate.
    pub(crate) subject: Option<String>,
    pub(crate) result: Result<Vec<ValidClearance<'p>>, Vec<Problem>>,
}

fn compile_der_clearances<'p>(
    policies: &'p PolicySet,
    clearances: &[ClearanceDer<'_>],
) -> Result<Vec<ValidClearance<'p>>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for c in clearances {
        match compile_clearance_der(policies, c) {
            Ok(v) => out.push(v),
            Err(e) => problems.extend(e.reasons.iter().map(|r| Problem::new(r.code(), r))),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Reads a 4774 XML clearance, a DER Clearance or clearance Attribute, or a DER/PEM
/// certificate carrying clearances, told apart by content.
pub(crate) fn load_clearance<'p>(policies: &'p PolicySet, bytes: &[u8]) -> LoadedClearance<'p> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let pem = memchr::memmem::find(bytes, b"-----BEGIN CERTIFICATE-----").is_some();
    if pem || (first == Some(0x30) && ClearanceInput::decode(bytes).is_err()) {
        return load_certificate(policies, bytes);
    }
    if first == Some(0x30) {
        let result = match ClearanceInput::decode(bytes) {
            Ok(input) => compile_der_clearances(policies, input.clearances()),
            Err(e) => Err(vec![Problem::new("der", &e)]),
        };
        return LoadedClearance {
            source: "der-clearance",
            subject: None,
            result,
        };
    }
    let result = match read_clearance_xml(bytes) {
        Ok(c) => compile_clearance(policies, &c)
            .map(|c| vec![c])
            .map_err(|e| {
                e.reasons
                    .iter()
                    .map(|r| Problem::new(r.code(), r))
                    .collect()
            }),
        Err(e) => Err(vec![Problem::new(e.code(), &e)]),
    };
    LoadedClearance {
        source: "4774-xml",
        subject: None,
        result,
    }
}

#[cfg(feature = "x509")]
fn load_certificate<'p>(policies: &'p PolicySet, bytes: &[u8]) -> LoadedClearance<'p> {
    use crossguard::label::certificate::{certificate_der, CertificateClearances};
    let der = match certificate_der(bytes) {
        Ok(der) => der,
        Err(e) => {
            return LoadedClearance {
                source: "certificate",
                subject: None,
                result: Err(vec![Problem::new("certificate", &e)]),
            }
        }
    };
    match CertificateClearances::from_der(&der) {
        Ok(found) => LoadedClearance {
            source: "certificate",
            subject: Some(found.subject().to_owned()),
            result: compile_der_clearances(policies, found.clearances()),
        },
        Err(e) => LoadedClearance {
            source: "certificate",
            subject: None,
            result: Err(vec![Problem::new("certificate", &e)]),
        },
    }
}

#[cfg(not(feature = "x509"))]
fn load_certificate<'p>(_: &'p PolicySet, _: &[u8]) -> LoadedClearance<'p> {
    LoadedClearance {
        source: "certificate",
        subject: None,
        result: Err(vec![Problem::new(
            "unsupported",
            "certificates need the x509 feature of crossguard",
        )]),
    }
}
