//! The content stage (design step 4): size, declared type, then the flow's inspectors in
//! order — true type, format, and any of schema, words and markings, with content disarm and
//! reconstruction (CDR) last. Compiled once from `[flow.content]`; run on every object.

use core::fmt;
use std::sync::Arc;

use bytes::Bytes;

use super::pipeline::{failure, refuse, Reason, Refusal, Stage};
use super::{ContentConfig, Guard};
use crate::flow::{ContentRules, Flow, Inspector};
use crate::inspect::detect::{detect, TrueType};
use crate::inspect::markings::Comparison;
use crate::inspect::scan::{scan_object_lanes, Found, Lane, ScanError};
use crate::inspect::text::TextErrorKind;
use crate::inspect::words::{Phrase, WordMatcher};
use crate::json::schema::{Schema, SchemaFailure, SchemaValidator};
use crate::label::{read_label_xml, Strictness, ValidLabel};
use crate::limits::{MAX_MARKINGS_EXAMINED, MAX_REPORTED_MATCHES};

/// The true types a format inspector validates.
const INSPECTABLE: [TrueType; 4] = [
    TrueType::Text,
    TrueType::Json,
    TrueType::Xml,
    TrueType::Label4774,
];

/// Every true type a flow may name.
const KNOWN: [TrueType; 15] = [
    TrueType::Json,
    TrueType::Label4774,
    TrueType::Xml,
    TrueType::Text,
    TrueType::Pdf,
    TrueType::OfficeOpenXml,
    TrueType::Zip,
    TrueType::OleCompound,
    TrueType::Png,
    TrueType::Jpeg,
    TrueType::Gif,
    TrueType::Elf,
    TrueType::Pe,
    TrueType::MachO,
    TrueType::Script,
];

type ConfigFault = (&'static str, String);

/// Compiles `[flow.content]` (its size limit and declared types already resolved).
pub(super) fn compile_content(
    content: &ContentConfig,
    max_bytes: usize,
    types: Option<Vec<Box<str>>>,
) -> Result<ContentRules, ConfigFault> {
    let inspect = parse_inspect_list(&content.inspect)?;
    let has = |i: Inspector| inspect.contains(&i);
    let true_types = compile_true_types(content, has(Inspector::TrueType))?;
    check_inspect_order(&inspect)?;
    let allows = |t: TrueType| true_types.contains(&t);

    let (xml_namespaces, xml_elements) = match &content.xml {
        None => (None, None),
        Some(_) if !has(Inspector::Format) => {
            return Err((
                "xml-rules-without-format",
                "content.xml is applied by the format inspector: list it in content.inspect"
                    .to_owned(),
            ))
        }
        Some(_) if !allows(TrueType::Xml) && !allows(TrueType::Label4774) => {
            return Err((
                "xml-rules-without-xml",
                "content.xml is given but content.true_types allows no XML".to_owned(),
            ))
        }
        Some(xml) => {
            let boxed = |v: &Option<Vec<String>>| {
                v.as_ref()
                    .map(|l| l.iter().map(|s| s.clone().into_boxed_str()).collect())
            };
            if let Some(bad) = xml
                .elements
                .iter()
                .flatten()
                .find(|e| e.starts_with('{') && !e.contains('}'))
            {
                return Err((
                    "xml-element-name",
                    format!("content.xml.elements: {bad:?} opens a namespace with {{ but does not close it"),
                ));
            }
            (boxed(&xml.namespaces), boxed(&xml.elements))
        }
    };

    let schema = match (&content.schema, has(Inspector::Schema)) {
        (Some(text), true) => {
            if !allows(TrueType::Json) {
                return Err((
                    "schema-without-json",
                    "the schema inspector checks JSON objects, and content.true_types allows no json"
                        .to_owned(),
                ));
            }
            let schema = Schema::compile(text.as_bytes())
                .map_err(|e| ("schema-invalid", format!("content.schema: {e}")))?;
            Some(Arc::new(schema))
        }
        (None, true) => {
            return Err((
                "schema-missing",
                "the schema inspector needs content.schema".to_owned(),
            ))
        }
        (Some(_), false) => {
            return Err((
                "schema-without-inspector",
                "content.schema is given but content.inspect has no schema".to_owned(),
            ))
        }
        (None, false) => None,
    };

    let words = match (&content.words, has(Inspector::Words)) {
        (Some(w), true) => {
            let phrases: Vec<Phrase<'_>> = w
                .phrases
                .iter()
                .map(|text| Phrase {
                    text,
                    spaced: false,
                })
                .chain(w.spaced.iter().map(|text| Phrase { text, spaced: true }))
                .collect();
            if phrases.is_empty() {
                return Err(("words-empty", "content.words lists no phrase".to_owned()));
            }
            let matcher = WordMatcher::new(&phrases)
                .map_err(|e| ("words-invalid", format!("content.words: {e}")))?;
            Some(Arc::new(matcher))
        }
        (None, true) => {
            return Err((
                "words-missing",
                "the words inspector needs content.words".to_owned(),
            ))
        }
        (Some(_), false) => {
            return Err((
                "words-without-inspector",
                "content.words is given but content.inspect has no words".to_owned(),
            ))
        }
        (None, false) => None,
    };

    Ok(ContentRules {
        max_bytes,
        types,
        inspect,
        true_types,
        xml_namespaces,
        xml_elements,
        schema,
        words,
        words_and_markings: None,
    })
}

/// The `inspect` list: known names, no repeats.
fn parse_inspect_list(names: &[String]) -> Result<Vec<Inspector>, ConfigFault> {
    let mut inspect = Vec::new();
    for name in names {
        let inspector = Inspector::parse(name).ok_or_else(|| {
            (
                "unknown-inspector",
                format!(
                    "content.inspect: {name:?} is not one of true-type, format, schema, words, \
                     markings, cdr"
                ),
            )
        })?;
        if inspect.contains(&inspector) {
            return Err((
                "duplicate-inspector",
                format!("content.inspect names {name:?} twice"),
            ));
        }
        inspect.push(inspector);
    }
    Ok(inspect)
}

/// The `inspect` list's order: true-type then format first, cdr last.
fn check_inspect_order(inspect: &[Inspector]) -> Result<(), ConfigFault> {
    let has = |i: Inspector| inspect.contains(&i);
    // Detection reads only the head: without `format`, the rest of the object would pass
    // unread (text followed by an archive, say).
    if has(Inspector::TrueType) && !has(Inspector::Format) {
        return Err((
            "format-missing",
            "the true-type inspector judges an object's first 8 KiB only: list format after it, \
             so that the whole object is validated"
                .to_owned(),
        ));
    }
    if has(Inspector::Format) && !has(Inspector::TrueType) {
        return Err((
            "format-without-true-type",
            "the format inspector validates the detected type: list true-type before it".to_owned(),
        ));
    }
    if let Some(i) = inspect
        .iter()
        .find(|i| !matches!(i, Inspector::TrueType | Inspector::Format))
    {
        if !has(Inspector::Format) {
            return Err((
                "inspector-without-format",
                format!(
                    "the {} inspector reads the object in its detected type: list true-type and \
                     format before it",
                    i.as_str()
                ),
            ));
        }
    }
    match inspect {
        [] | [Inspector::TrueType, Inspector::Format, ..] => {}
        [Inspector::Format, ..] => {
            return Err((
                "format-before-true-type",
                "list true-type before format".to_owned(),
            ))
        }
        _ => {
            return Err((
                "inspector-order",
                "content.inspect must begin with true-type, format".to_owned(),
            ))
        }
    }
    if has(Inspector::Cdr) && inspect.last() != Some(&Inspector::Cdr) {
        return Err((
            "cdr-not-last",
            "cdr rebuilds the object released: list it last, so that every other inspector \
             judges the object as received"
                .to_owned(),
        ));
    }
    Ok(())
}

/// The `true_types` allowlist, exactly when `true-type` runs; only types a format inspector
/// validates.
fn compile_true_types(
    content: &ContentConfig,
    detects: bool,
) -> Result<Vec<TrueType>, ConfigFault> {
    let true_types = match (&content.true_types, detects) {
        (Some(names), true) if !names.is_empty() => names
            .iter()
            .map(|n| {
                KNOWN
                    .iter()
                    .copied()
                    .find(|t| t.as_str() == n)
                    .ok_or_else(|| {
                        (
                            "unknown-true-type",
                            format!("content.true_types: {n:?} is not a type crossguard detects"),
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?,
        (_, true) => {
            return Err((
                "true-types-missing",
                "the true-type inspector needs a non-empty content.true_types allowlist".to_owned(),
            ))
        }
        (Some(_), false) => {
            return Err((
                "true-types-without-inspector",
                "content.true_types is given but content.inspect has no true-type".to_owned(),
            ))
        }
        (None, false) => Vec::new(),
    };
    if let Some(t) = true_types.iter().find(|t| !INSPECTABLE.contains(t)) {
        return Err((
            "true-type-not-inspectable",
            format!(
                "content.true_types: {t} has no format inspector, so no object of it could \
                 pass (text, json, xml and label-4774 have one)"
            ),
        ));
    }
    Ok(true_types)
}

/// What a content check found when it passed (rendered as text only when shown).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The object's size, within the flow's limit.
    Size {
        /// Bytes.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The flow accepts any declared type (or none).
    AnyType,
    /// The declared type is on the flow's list.
    TypeListed,
    /// The true type, allowed and agreeing with the declared type.
    Detected(TrueType),
    /// The whole object is valid in this format (and within the flow's XML allowlists).
    Valid(TrueType),
    /// The inspector does not apply to objects of this type (a schema for a text).
    NotApplicable(TrueType),
    /// The JSON object satisfies the flow's schema.
    SchemaSatisfied,
    /// None of the flow's forbidden phrases occurs.
    NoForbiddenWords {
        /// How many phrases were searched for.
        phrases: usize,
    },
    /// Every classification marking in the content is at or below the label.
    MarkingsWithin {
        /// How many markings were found.
        found: usize,
    },
    /// The object was rebuilt; the rebuilt object is what crosses.
    Rebuilt {
        /// How (`json-rfc8785`, `xml-c14n-stripped`, `text-nfc-lf`).
        method: &'static str,
        /// Size of the rebuilt object.
        bytes: usize,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Size { bytes, limit } => write!(f, "{bytes} bytes, within {limit}"),
            Self::AnyType => f.write_str("any declared type accepted"),
            Self::TypeListed => f.write_str("declared type accepted"),
            Self::Detected(t) => write!(f, "{t}"),
            Self::Valid(t) => write!(f, "valid {t}"),
            Self::NotApplicable(t) => write!(f, "not applicable to {t}"),
            Self::SchemaSatisfied => f.write_str("satisfies the flow's schema"),
            Self::NoForbiddenWords { phrases } => {
                write!(f, "none of {phrases} forbidden phrases found")
            }
            Self::MarkingsWithin { found: 0 } => f.write_str("no classification marking found"),
            Self::MarkingsWithin { found } => {
                write!(f, "{found} classification markings, none above the label")
            }
            Self::Rebuilt { method, bytes } => write!(f, "rebuilt ({method}), {bytes} bytes"),
        }
    }
}

/// One check of the content stage and what it found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentCheck {
    /// `size`, `declared-type`, then the flow's inspectors (`true-type`, `format`, `schema`,
    /// `words`, `markings`, `cdr`).
    pub name: &'static str,
    /// What it found when it passed, or why it refused.
    pub outcome: Result<Finding, Reason>,
    /// The refusal is a filter failure (the check could not run), not a policy rejection.
    pub failure: bool,
}

/// The object rebuilt by the `cdr` inspector.
pub(super) struct Rebuilt {
    /// How.
    pub(super) method: &'static str,
    /// The rebuilt object.
    pub(super) object: Bytes,
}

/// The content stage of a decision: the rebuilt object when the flow's `cdr` rebuilt it.
pub(super) fn content_stage(
    guard: &Guard,
    flow: &Flow,
    object: &Bytes,
    declared: Option<&str>,
    label: &ValidLabel<'_>,
    label_text: Option<&[u8]>,
) -> Result<Option<Rebuilt>, Refusal> {
    let mut refusal = None;
    let rebuilt = run_content_checks(
        guard,
        flow,
        (object, label_text),
        declared,
        Ok(label),
        |_, outcome| match outcome {
            Ok(_) => true,
            Err(r) => {
                refusal = Some(r);
                false
            }
        },
    );
    refusal.map_or(Ok(rebuilt), Err)
}

/// What `words` and `markings` found in one label on one flow (kept by the guard).
pub(super) struct LabelScan {
    /// The flow, by its domains.
    flow: (usize, usize),
    label: Bytes,
    words: Vec<Found>,
    markings: Vec<Found>,
}

/// The `words` and `markings` reading of a label on `flow`: from the guard's cache when it read
/// the same bytes on the same flow lately, else read (and kept, when it read without error).
fn scan_label(guard: &Guard, flow: &Flow, text: &[u8]) -> Result<Scans, ScanError> {
    use crate::limits::{MAX_CACHED_LABEL_BYTES, MAX_CACHED_LABEL_SCANS};
    let key = (flow.from, flow.to);
    let found = |scan: &LabelScan| Scans {
        schema: None,
        characters: None,
        words: scan.words.clone(),
        markings: scan.markings.clone(),
        rebuilt: None,
    };
    // A poisoned lock (a panic elsewhere while it was held) only loses the cache.
    if let Ok(cache) = guard.label_scans.lock() {
        if let Some(hit) = cache
            .iter()
            .find(|s| s.flow == key && s.label.as_ref() == text)
        {
            return Ok(found(hit));
        }
    }
    let scans = scan_all(guard, flow, TrueType::Xml, text, false)?;
    if text.len() <= MAX_CACHED_LABEL_BYTES {
        if let Ok(mut cache) = guard.label_scans.lock() {
            if cache.len() >= MAX_CACHED_LABEL_SCANS {
                cache.remove(0);
            }
            cache.push(LabelScan {
                flow: key,
                label: Bytes::copy_from_slice(text),
                words: scans.words.clone(),
                markings: scans.markings.clone(),
            });
        }
    }
    Ok(scans)
}

/// The label received with an object, when it is 4774 XML (what the `words` and `markings`
/// inspectors read of it): it is released as received, its text with it.
pub(super) fn label_text(label: &super::LabelInput) -> Option<&[u8]> {
    match label {
        super::LabelInput::Bytes(bytes)
            if crate::flow::LabelFormat::detect(bytes) == crate::flow::LabelFormat::Xml4774 =>
        {
            Some(bytes)
        }
        _ => None,
    }
}

/// The content stage's checks in order, stopping after the first refusal (for tooling).
pub(super) fn content_checks(
    guard: &Guard,
    flow: &Flow,
    object: &Bytes,
    declared: Option<&str>,
    label: Result<&ValidLabel<'_>, &str>,
    label_text: Option<&[u8]>,
) -> Vec<ContentCheck> {
    let mut checks = Vec::new();
    let objects = (object, label_text);
    run_content_checks(guard, flow, objects, declared, label, |name, outcome| {
        let (outcome, failure) = match outcome {
            Ok(found) => (Ok(found), false),
            Err(r) => (
                Err(r
                    .reasons
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Reason::new("internal", "a refusal without a reason"))),
                r.failure,
            ),
        };
        let passed = outcome.is_ok();
        checks.push(ContentCheck {
            name,
            outcome,
            failure,
        });
        passed
    });
    checks
}

/// Runs the content checks in order, handing each outcome to `each`, which returns whether to
/// go on; the first refusal ends the run. Nothing is allocated for a check that passes
/// (except by `cdr`, whose output is the rebuilt object, returned).
///
/// `label_text` is the label released with the object when it is 4774 XML: the `words` and
/// `markings` inspectors read it too (its comments, privacy mark and other text cross with
/// the object).
fn run_content_checks(
    guard: &Guard,
    flow: &Flow,
    (object, label_text): (&Bytes, Option<&[u8]>),
    declared: Option<&str>,
    label: Result<&ValidLabel<'_>, &str>,
    mut each: impl FnMut(&'static str, Result<Finding, Refusal>) -> bool,
) -> Option<Rebuilt> {
    let limit = flow.content.max_bytes.min(guard.max_object_bytes);
    let size = if object.len() > limit {
        Err(refuse(
            Stage::Content,
            "object-too-large",
            format!(
                "the object is {} bytes, over this flow's limit of {limit}",
                object.len()
            ),
        ))
    } else {
        Ok(Finding::Size {
            bytes: object.len(),
            limit,
        })
    };
    if !each("size", size) {
        return None;
    }
    let declared_check = match (&flow.content.types, declared) {
        (None, _) => Ok(Finding::AnyType),
        (Some(_), None) => Err(refuse(
            Stage::Content,
            "type-missing",
            "this flow accepts only declared types, and none was declared",
        )),
        (Some(types), Some(t)) if !types.iter().any(|a| a.as_ref() == t) => Err(refuse(
            Stage::Content,
            "type-refused",
            format!("declared type {t:?} is not accepted on this flow"),
        )),
        (Some(_), Some(_)) => Ok(Finding::TypeListed),
    };
    if !each("declared-type", declared_check) {
        return None;
    }
    let mut detected = TrueType::Unknown;
    let mut rebuilt = None;
    // The schema, words and markings inspectors share one pass over the object (for JSON,
    // the format inspector's pass too), made when the first of them needs it.
    let mut scans: Option<Result<Scans, ScanError>> = None;
    // The same for the label released with the object, read as XML.
    let mut label_scans: Option<Result<Scans, ScanError>> = None;
    let mut in_label = |inspector: Inspector,
                        run: &dyn Fn(&Scans) -> Result<Finding, Refusal>|
     -> Result<(), Refusal> {
        let Some(text) = label_text else {
            return Ok(());
        };
        match label_scans.get_or_insert_with(|| scan_label(guard, flow, text)) {
            Err(e) => Err(failure(
                Stage::Content,
                format!(
                    "the {} inspector could not read the label: {e}",
                    inspector.as_str()
                ),
            )),
            Ok(found) => run(found).map(|_| ()).map_err(|mut refusal| {
                for reason in &mut refusal.reasons {
                    reason.message =
                        format!("in the label released with the object: {}", reason.message);
                }
                refusal
            }),
        }
    };
    let scanned = [Inspector::Schema, Inspector::Words, Inspector::Markings]
        .iter()
        .any(|i| flow.content.inspect.contains(i));
    for inspector in &flow.content.inspect {
        let outcome = match inspector {
            Inspector::TrueType => true_type(flow, object, declared).map(|t| {
                detected = t;
                Finding::Detected(t)
            }),
            Inspector::Format if detected == TrueType::Json && scanned => {
                let mut pass = scan_all(guard, flow, detected, object, true);
                let characters = pass.as_mut().ok().and_then(|p| p.characters.take());
                let outcome = match (&pass, characters) {
                    (Err(ScanError::Json(e)), _) => Err(refuse(
                        Stage::Content,
                        "format-invalid",
                        format!("the object is not valid {detected}: {e}"),
                    )),
                    (_, Some(refusal)) => Err(refusal),
                    _ => Ok(Finding::Valid(detected)),
                };
                scans = Some(pass);
                outcome
            }
            Inspector::Format => {
                format_check(flow, detected, object).map(|()| Finding::Valid(detected))
            }
            Inspector::Schema | Inspector::Words | Inspector::Markings => {
                match scans.get_or_insert_with(|| scan_all(guard, flow, detected, object, true)) {
                    Err(e) => Err(failure(
                        Stage::Content,
                        format!(
                            "the {} inspector could not read the object: {e}",
                            inspector.as_str()
                        ),
                    )),
                    Ok(found) => match inspector {
                        Inspector::Schema => schema_check(detected, object, found),
                        Inspector::Words => words_check(flow, found).and_then(|f| {
                            in_label(Inspector::Words, &|l| words_check(flow, l)).map(|()| f)
                        }),
                        _ => markings_check(guard, found, label).and_then(|f| {
                            in_label(Inspector::Markings, &|l| markings_check(guard, l, label))
                                .map(|()| f)
                        }),
                    },
                }
            }
            Inspector::Cdr => {
                let prebuilt = scans
                    .as_mut()
                    .and_then(|s| s.as_mut().ok())
                    .and_then(|s| s.rebuilt.take());
                cdr(guard, flow, detected, object, label, prebuilt)
            }
            .map(|r| {
                let found = Finding::Rebuilt {
                    method: r.method,
                    bytes: r.object.len(),
                };
                rebuilt = Some(r);
                found
            }),
        };
        if !each(inspector.as_str(), outcome) {
            return None;
        }
    }
    rebuilt
}

/// The `true-type` inspector: the type the bytes show, allowed on this flow and agreeing with
/// the declared type.
fn true_type(flow: &Flow, object: &[u8], declared: Option<&str>) -> Result<TrueType, Refusal> {
    let reject = |code, message: String| refuse(Stage::Content, code, message);
    let t = detect(object);
    if t == TrueType::Unknown {
        return Err(reject(
            "type-unknown",
            "the object's type cannot be recognised from its bytes".to_owned(),
        ));
    }
    if !flow.content.true_types.contains(&t) {
        return Err(reject(
            "type-not-allowed",
            format!("the object's bytes are {t}, which this flow does not accept"),
        ));
    }
    if let Some(declared) = declared {
        if !t.matches_declared(declared) {
            return Err(reject(
                "type-mismatch",
                format!(
                    "declared {:?}, but the object's bytes are {t}",
                    crate::xml::excerpt(declared)
                ),
            ));
        }
    }
    Ok(t)
}

fn json_limits() -> crate::limits::JsonLimits {
    crate::limits::JsonLimits {
        max_input_bytes: u64::MAX,
        ..crate::limits::JsonLimits::default()
    }
}

fn xml_limits() -> crate::limits::XmlLimits {
    crate::limits::XmlLimits {
        max_input_bytes: usize::MAX,
        ..crate::limits::XmlLimits::default()
    }
}

/// The `format` inspector: the whole object valid in its detected format, and an XML object
/// within the flow's namespace and element allowlists.
fn format_check(flow: &Flow, detected: TrueType, object: &[u8]) -> Result<(), Refusal> {
    let invalid = |t: TrueType, why: String| {
        refuse(
            Stage::Content,
            "format-invalid",
            format!("the object is not valid {t}: {why}"),
        )
    };
    match detected {
        TrueType::Unknown => Err(failure(
            Stage::Content,
            "format inspection without a detected type",
        )),
        TrueType::Json => {
            crate::json::validate(object, json_limits())
                .map_err(|e| invalid(detected, e.to_string()))?;
            json_character_refusal(object).map_or(Ok(()), Err)
        }
        TrueType::Label4774 => {
            crate::label::read_label_xml(object, Strictness::Strict)
                .map_err(|e| invalid(detected, e.to_string()))?;
            xml_rules(flow, object)
        }
        TrueType::Xml => xml_rules(flow, object),
        TrueType::Text => {
            // What a lenient JSON reader would start from, on a flow that takes JSON.
            let opening = flow
                .content
                .true_types
                .contains(&TrueType::Json)
                .then(|| json_opening(object))
                .flatten();
            // Invalid JSON is detected as text: on a flow that takes JSON, a text that opens
            // like a JSON object or array is refused, or a lenient consumer (comments, trailing
            // commas, a duplicate name after a comment) would read JSON that the JSON rules
            // never judged, and the text rebuild would keep it as written. (A flow with a
            // schema refuses it there, as `schema-not-json`.)
            if matches!(opening, Some('{' | '['))
                && !flow.content.inspect.contains(&Inspector::Schema)
            {
                return Err(refuse(
                    Stage::Content,
                    "json-as-text",
                    "the object opens like JSON but is not valid JSON, on a flow that takes \
                     JSON: a lenient reader would take it for JSON the JSON rules never judged",
                ));
            }
            // Several JSON values one after the other (`0\n{"a": 1}`, `"x" ["y"]`) are text
            // to true type, which reads one value, but JSON to a reader of JSON streams: the
            // JSON rules, the schema and the reading of strings never judged them.
            if opening.is_some() && JsonValues::of(object).stream() {
                return Err(refuse(
                    Stage::Content,
                    "json-as-text",
                    "the object is several JSON values one after the other, on a flow that \
                     takes JSON: a reader of JSON streams would take it for JSON the JSON rules \
                     never judged",
                ));
            }
            crate::inspect::text::validate_text(
                object,
                crate::limits::TextLimits {
                    max_input_bytes: u64::MAX,
                    ..crate::limits::TextLimits::default()
                },
            )
            .map_err(|e| invalid(detected, e.to_string()))?;
            // A bare JSON string (`"\u202e"`) is text, read as written; on a flow that takes
            // JSON, a consumer may decode it as JSON (leniently: after a comment or a byte
            // order mark, with a lone surrogate, one per line), so a text that opens like one
            // has its JSON escapes meet the rules too (its raw characters met them just now).
            // (JSON5's escapes and single quotes are decoded for `words` and `markings` only:
            // here they would refuse prose that opens with an apostrophe and names a path,
            // `C:\build`.)
            match (opening == Some('"'))
                .then(|| first_escaped(object))
                .flatten()
            {
                Some((at, kind)) => Err(forbidden_character(
                    "an escape",
                    u64::try_from(at).unwrap_or(u64::MAX),
                    &kind,
                )),
                None => Ok(()),
            }
        }
        other => Err(refuse(
            Stage::Content,
            "no-format-inspector",
            format!("there is no format inspector for {other}, so it cannot be validated"),
        )),
    }
}

/// The refusal of a character of structured content that the text rules forbid
/// ([`crate::inspect::text::forbidden_character`]): `what` is where it is, `at` the byte
/// offset.
fn forbidden_character(what: &str, at: u64, kind: &TextErrorKind) -> Refusal {
    refuse(
        Stage::Content,
        "forbidden-character",
        format!("{what} at byte {at} holds a {kind}"),
    )
}

/// The first character of valid JSON `document` that the text rules forbid, written as it is
/// or as an escape, with its byte offset (of the character, or of the escape's backslash).
///
/// Valid JSON holds characters only in strings, and no raw C0 control but tab, LF and CR
/// (those only as whitespace between tokens). So what is left to find, written, is DEL
/// (`7F`), the C1 controls (`C2 80`..`C2 9F`), the bidirectional controls
/// (`E2 80 AA`..`E2 80 AE`, `E2 81 A6`..`E2 81 A9`) and the tag characters
/// (`F3 A0 80 80`..`F3 A0 81 BF`): their first bytes are searched for (a few bytes per
/// document, not a call per string), each found decoded; and every escape (a backslash,
/// found the same way, which outside a string cannot occur): `\b`, `\f` and each `\u`, a
/// surrogate pair as one character.
fn first_forbidden_in_json(document: &[u8]) -> Option<(u64, TextErrorKind)> {
    let written = first_written(document);
    let escaped = first_escaped(document);
    let first = match (written, escaped) {
        (Some(w), Some(e)) => Some(if w.0 <= e.0 { w } else { e }),
        (w, e) => w.or(e),
    };
    first.map(|(at, kind)| (u64::try_from(at).unwrap_or(u64::MAX), kind))
}

/// [`first_forbidden_in_json`]'s characters written as they are, but DEL.
fn first_written(document: &[u8]) -> Option<(usize, TextErrorKind)> {
    let mut from = 0usize;
    loop {
        let i = memchr::memchr3(0xC2, 0xE2, 0xF3, document.get(from..)?)?;
        let at = from.saturating_add(i);
        let character = document.get(at..at.saturating_add(4).min(document.len()));
        if let Some((0, kind)) = character.and_then(crate::inspect::text::first_forbidden) {
            return Some((at, kind));
        }
        from = at.saturating_add(1);
    }
}

/// [`first_forbidden_in_json`]'s characters written as escapes, and DEL (found in the same
/// search). It reads any text: a backslash not followed by a well-formed escape is passed
/// over, so a malformed escape does not end the search.
fn first_escaped(document: &[u8]) -> Option<(usize, TextErrorKind)> {
    let hex = |at: usize| crate::json::hex4(document, at);
    let mut from = 0usize;
    loop {
        let at = from.saturating_add(memchr::memchr2(b'\\', 0x7F, document.get(from..)?)?);
        if document.get(at) == Some(&0x7F) {
            return Some((at, TextErrorKind::ControlCharacter { code_point: 0x7F }));
        }
        let (code_point, len) = match document.get(at.saturating_add(1)) {
            Some(b'b') => (Some(0x08), 2),
            Some(b'f') => (Some(0x0C), 2),
            Some(b'u') => {
                let Some(unit) = hex(at.saturating_add(2)) else {
                    from = at.saturating_add(2);
                    continue;
                };
                let pair = (0xD800..0xDC00).contains(&unit)
                    && document.get(at.saturating_add(6)..at.saturating_add(8)) == Some(b"\\u");
                match pair.then(|| hex(at.saturating_add(8))).flatten() {
                    Some(low) if (0xDC00..0xE000).contains(&low) => {
                        (Some(crate::json::surrogate_pair(unit, low)), 12)
                    }
                    _ => (Some(unit), 6),
                }
            }
            // `\"`, `\\`, `\/`, `\n`, `\r`, `\t`: allowed (and `\\` is skipped whole, so
            // that the `u` of `\\u` is not read as an escape).
            Some(_) => (None, 2),
            None => return None,
        };
        if let Some(kind) = code_point
            .and_then(char::from_u32)
            .and_then(crate::inspect::text::forbidden_character)
        {
            return Some((at, kind));
        }
        from = at.saturating_add(len);
    }
}

/// A text read as a lenient JSON consumer reads a bare JSON string: every JSON escape
/// decoded (`\u0053` is `S`, a surrogate pair one character, a lone surrogate U+FFFD), and
/// JSON5's too (`\x53`, `\v`, `\0`, a line continuation, any other character escaped
/// standing for itself: `\S`); the rest as written.
struct DecodedText {
    bytes: Vec<u8>,
    /// For each escape, where its character starts in `bytes` and where its backslash is in
    /// the text, then where the text after it starts in both (`(decoded, text)`): for the
    /// first [`MAX_ESCAPES_PLACED`] escapes.
    map: Vec<(usize, u64)>,
    /// Past those: from where in `bytes` every match is placed at one offset of the text
    /// (the backslash of the first escape not placed).
    coarse: Option<(usize, u64)>,
}

/// Most escapes of a decoded text whose offsets are kept (16 bytes each), so that the map is
/// bounded, not proportional to the object (a 16 MiB text of `\/` would need 128 MiB); a
/// match after them is placed at the first escape not kept.
const MAX_ESCAPES_PLACED: usize = 4096;

impl DecodedText {
    /// `None` when `text` has no escape (it reads as written).
    fn of(text: &[u8]) -> Option<Self> {
        let hex = |at: usize| crate::json::hex4(text, at);
        let mut bytes = Vec::new();
        let mut map = Vec::new();
        let mut coarse = None;
        // Where the text after the last escape decoded starts (`None`: no escape yet).
        let mut copied: Option<usize> = None;
        let mut from = 0usize;
        while let Some(found) = text
            .get(from..)
            .and_then(|rest| memchr::memchr(b'\\', rest))
        {
            let at = from.saturating_add(found);
            let (c, len) = match text.get(at.saturating_add(1)) {
                Some(b'"') => (Some('"'), 2),
                Some(b'\\') => (Some('\\'), 2),
                Some(b'/') => (Some('/'), 2),
                Some(b'b') => (Some('\u{8}'), 2),
                Some(b'f') => (Some('\u{C}'), 2),
                Some(b'n') => (Some('\n'), 2),
                Some(b'r') => (Some('\r'), 2),
                Some(b't') => (Some('\t'), 2),
                // JSON5's, and JavaScript's: `\v`, `\0`, `\xHH`.
                Some(b'v') => (Some('\u{B}'), 2),
                Some(b'0') => (Some('\0'), 2),
                Some(b'x') => match crate::json::hex_digits(text, at.saturating_add(2), 2) {
                    Some(b) => (char::from_u32(b), 4),
                    None => {
                        from = at.saturating_add(1);
                        continue;
                    }
                },
                Some(b'u') => match hex(at.saturating_add(2)) {
                    Some(unit) => {
                        let low = (0xD800..0xDC00)
                            .contains(&unit)
                            .then(|| {
                                let next = text.get(at.saturating_add(6)..at.saturating_add(8));
                                (next == Some(b"\\u"))
                                    .then(|| hex(at.saturating_add(8)))
                                    .flatten()
                            })
                            .flatten()
                            .filter(|low| (0xDC00..0xE000).contains(low));
                        match low {
                            Some(low) => (
                                Some(
                                    char::from_u32(crate::json::surrogate_pair(unit, low))
                                        .unwrap_or('\u{FFFD}'),
                                ),
                                12,
                            ),
                            None => (Some(char::from_u32(unit).unwrap_or('\u{FFFD}')), 6),
                        }
                    }
                    None => {
                        from = at.saturating_add(1);
                        continue;
                    }
                },
                // A line continuation (JSON5, JavaScript): the break is not in the string.
                Some(b'\n') => (None, 2),
                Some(b'\r') if text.get(at.saturating_add(2)) == Some(&b'\n') => (None, 3),
                Some(b'\r') => (None, 2),
                // Any other character stands for itself (JSON5's identity escape: `\S`), a
                // line or paragraph separator continuing the line.
                Some(_) => {
                    let next = text.get(at.saturating_add(1)..).unwrap_or_default();
                    let next = next.get(..4.min(next.len())).unwrap_or_default();
                    let c = match core::str::from_utf8(next) {
                        Ok(t) => t.chars().next(),
                        Err(e) => next
                            .get(..e.valid_up_to())
                            .and_then(|v| core::str::from_utf8(v).ok())
                            .and_then(|t| t.chars().next()),
                    };
                    match c {
                        Some(c @ ('\u{2028}' | '\u{2029}')) => {
                            (None, c.len_utf8().saturating_add(1))
                        }
                        Some(c) => (Some(c), c.len_utf8().saturating_add(1)),
                        None => {
                            from = at.saturating_add(1);
                            continue;
                        }
                    }
                }
                None => break,
            };
            if bytes.is_empty() {
                bytes.reserve(text.len());
            }
            // What is written since the last escape, then the escape's character.
            bytes.extend_from_slice(text.get(copied.unwrap_or(0)..at).unwrap_or_default());
            let placed = map.len() < MAX_ESCAPES_PLACED.saturating_mul(2);
            if placed {
                map.push((bytes.len(), u64::try_from(at).unwrap_or(u64::MAX)));
            } else if coarse.is_none() {
                coarse = Some((bytes.len(), u64::try_from(at).unwrap_or(u64::MAX)));
            }
            if let Some(c) = c {
                let mut utf8 = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
            let after = at.saturating_add(len);
            if placed {
                map.push((bytes.len(), u64::try_from(after).unwrap_or(u64::MAX)));
            }
            copied = Some(after);
            from = after;
        }
        bytes.extend_from_slice(text.get(copied?..).unwrap_or_default());
        Some(Self { bytes, map, coarse })
    }

    /// The text's offset of decoded offset `at`: inside an escape's character, its backslash.
    fn origin(&self, at: u64) -> u64 {
        let at = usize::try_from(at).unwrap_or(usize::MAX);
        if let Some((_, t)) = self.coarse.filter(|&(d, _)| at >= d) {
            return t;
        }
        let i = self.map.partition_point(|&(d, _)| d <= at);
        match i
            .checked_sub(1)
            .and_then(|i| self.map.get(i).map(|e| (i, e)))
        {
            // At or after an escape's end (odd entries) or at its start (even ones).
            Some((i, &(d, t))) if i % 2 == 1 => {
                t.saturating_add(u64::try_from(at.saturating_sub(d)).unwrap_or(u64::MAX))
            }
            Some((_, &(_, t))) => t,
            None => u64::try_from(at).unwrap_or(u64::MAX),
        }
    }
}

/// The refusal of the first forbidden character of valid JSON `object`, if it has one.
fn json_character_refusal(object: &[u8]) -> Option<Refusal> {
    first_forbidden_in_json(object).map(|(at, kind)| forbidden_character("a string", at, &kind))
}

/// The first character the text rules forbid in one XML event, as decoded: in character data,
/// a CDATA section, a comment, a processing instruction's target or data, an element or
/// attribute name (XML allows tag characters in names), an attribute value, a namespace
/// prefix declared (used or not) or a namespace name. Where (what holds it, at which byte
/// offset) and what.
fn event_characters(
    event: &crate::xml::Event<'_, '_>,
) -> Option<(&'static str, u64, TextErrorKind)> {
    use crate::xml::Event;
    let check = |what: &'static str, text: &str, offset: usize| {
        crate::inspect::text::first_forbidden(text.as_bytes())
            .map(|(_, kind)| (what, u64::try_from(offset).unwrap_or(u64::MAX), kind))
    };
    match event {
        Event::Text(t) => check("character data", t.content(), t.offset()),
        Event::CData(t) => check("a CDATA section", t.content(), t.offset()),
        Event::Comment(t) => check("a comment", t.content(), t.offset()),
        Event::ProcessingInstruction(pi) => {
            check("a processing instruction", pi.target(), pi.offset())
                .or_else(|| check("a processing instruction", pi.data(), pi.offset()))
        }
        Event::StartTag(tag) => check("an element name", tag.name().as_str(), tag.offset())
            .or_else(|| {
                tag.attributes().iter().find_map(|a| {
                    check("an attribute name", a.name().as_str(), a.offset())
                        .or_else(|| check("an attribute value", a.value(), a.value_offset()))
                })
            })
            .or_else(|| {
                tag.namespace_declarations().iter().find_map(|d| {
                    check("a namespace prefix", d.prefix, tag.offset()).or_else(|| {
                        d.namespace.and_then(|id| {
                            check("a namespace name", tag.namespaces().name(id), tag.offset())
                        })
                    })
                })
            }),
        _ => None,
    }
}

/// The text rules on XML `bytes` ([`event_characters`]), for a label read as received: why
/// not, when the first forbidden character is found, or when the XML reader refuses the bytes
/// (the label reader came first, so it should not; were it to, nothing is let through unread).
pub(super) fn xml_characters(bytes: &[u8]) -> Result<(), String> {
    let mut reader = crate::xml::Reader::with_limits(bytes, xml_limits());
    loop {
        match reader.next_event() {
            Ok(Some(event)) => {
                if let Some((what, at, kind)) = event_characters(&event) {
                    return Err(format!("{what} at byte {at} of the label holds a {kind}"));
                }
            }
            Ok(None) => return Ok(()),
            Err(e) => return Err(format!("the label cannot be read for its characters: {e}")),
        }
    }
}

/// Reads an XML object, refusing the first element or attribute outside the flow's
/// allowlists (`xml-namespace-not-allowed`, `xml-element-not-allowed`), and the first
/// character the text rules forbid in its character data, CDATA sections, element and
/// attribute names, attribute values, namespace names, comments and processing instructions,
/// as decoded (`forbidden-character`).
fn xml_rules(flow: &Flow, object: &[u8]) -> Result<(), Refusal> {
    let rules = &flow.content;
    let mut reader = crate::xml::Reader::with_limits(object, xml_limits());
    let namespace_allowed = |ns: Option<&str>| {
        rules
            .xml_namespaces
            .as_ref()
            .is_none_or(|list| list.iter().any(|n| **n == *ns.unwrap_or("")))
    };
    loop {
        let event = reader.next_event().map_err(|e| {
            refuse(
                Stage::Content,
                "format-invalid",
                format!("the object is not valid xml: {e}"),
            )
        })?;
        let Some(event) = event else {
            return Ok(());
        };
        if let Some((what, at, kind)) = event_characters(&event) {
            return Err(forbidden_character(what, at, &kind));
        }
        let crate::xml::Event::StartTag(tag) = event else {
            continue;
        };
        let ns = tag.namespace();
        let name = tag.name();
        if !namespace_allowed(ns) {
            return Err(refuse(
                Stage::Content,
                "xml-namespace-not-allowed",
                format!(
                    "element {} at byte {} is in namespace {:?}, which this flow does not allow",
                    name.as_str(),
                    tag.offset(),
                    crate::xml::excerpt(ns.unwrap_or(""))
                ),
            ));
        }
        for a in tag.attributes() {
            let ans = tag.attribute_namespace(a);
            if ans.is_some() && !namespace_allowed(ans) {
                return Err(refuse(
                    Stage::Content,
                    "xml-namespace-not-allowed",
                    format!(
                        "attribute {} at byte {} is in namespace {:?}, which this flow does not \
                         allow",
                        a.name().as_str(),
                        a.offset(),
                        crate::xml::excerpt(ans.unwrap_or(""))
                    ),
                ));
            }
        }
        if let Some(elements) = &rules.xml_elements {
            let local = name.local();
            let listed = elements.iter().any(|e| match (e.strip_prefix('{'), ns) {
                (Some(rest), Some(ns)) => rest
                    .split_once('}')
                    .is_some_and(|(n, l)| n == ns && l == local),
                (None, None) => **e == *local,
                _ => false,
            });
            if !listed {
                let expanded = ns.map_or_else(|| local.to_owned(), |ns| format!("{{{ns}}}{local}"));
                return Err(refuse(
                    Stage::Content,
                    "xml-element-not-allowed",
                    format!(
                        "element {} at byte {} ({}) is not on this flow's element list",
                        name.as_str(),
                        tag.offset(),
                        crate::xml::excerpt(&expanded)
                    ),
                ));
            }
        }
    }
}

/// What the schema, words and markings inspectors found, in one pass over the object.
struct Scans {
    /// The schema's verdict on a JSON object (`None`: no schema, or not JSON).
    schema: Option<Result<(), String>>,
    /// A JSON string holding a character the text rules forbid (the format inspector's).
    characters: Option<Refusal>,
    /// The forbidden phrases found (at most [`MAX_REPORTED_MATCHES`] + 1).
    words: Vec<Found>,
    /// The classification markings found (at most [`MAX_MARKINGS_EXAMINED`]).
    markings: Vec<Found>,
    /// A JSON object rebuilt for the `cdr` inspector in the same pass (`None`: not JSON, no
    /// `cdr`, or not the pass over the original).
    rebuilt: Option<Result<Vec<u8>, crate::json::JsonError>>,
}

/// The schema and the `cdr` inspector's builder, both visitors of one pass.
struct SchemaAndRebuild<'p, 's, 'i> {
    schema: Option<&'p mut SchemaValidator<'s>>,
    rebuild: &'p mut crate::json::canonical::Builder<'i>,
}

impl crate::json::Visitor for SchemaAndRebuild<'_, '_, '_> {
    fn wants_strings(&self) -> bool {
        // The builder keeps every string.
        true
    }

    #[inline]
    fn token(&mut self, token: &crate::json::Token<'_>, offset: u64) {
        if let Some(schema) = self.schema.as_deref_mut() {
            schema.token(token, offset);
        }
        self.rebuild.token(token, offset);
    }
}

/// One pass over the object for every scanning inspector of the flow (the schema, and for the
/// format inspector the characters of JSON, too when `with_schema`: not for the rebuilt
/// object, whose values and characters are the original's).
fn scan_all(
    guard: &Guard,
    flow: &Flow,
    detected: TrueType,
    object: &[u8],
    with_schema: bool,
) -> Result<Scans, ScanError> {
    let has = |i: Inspector| flow.content.inspect.contains(&i);
    let mut schema = flow
        .content
        .schema
        .as_deref()
        .filter(|_| with_schema && has(Inspector::Schema) && detected == TrueType::Json)
        .map(SchemaValidator::new);
    let words = flow
        .content
        .words
        .as_deref()
        .filter(|_| has(Inspector::Words));
    let markings = has(Inspector::Markings).then(|| guard.markings.matcher());
    let lane = |m: &WordMatcher, max: usize| Lane {
        phrases: m.len(),
        max,
    };
    let words_lane = words.map(|m| lane(m, MAX_REPORTED_MATCHES.saturating_add(1)));
    let markings_lane = markings.map(|m| lane(m, MAX_MARKINGS_EXAMINED));
    // One matcher per list, or, when the guard combined the two, one reading for both: the
    // lanes come back in the same order either way.
    let groups: Vec<(&WordMatcher, Vec<Lane>)> = match (
        flow.content.words_and_markings.as_deref(),
        words_lane,
        markings_lane,
    ) {
        (Some(both), Some(w), Some(m)) => vec![(both, vec![w, m])],
        _ => words
            .zip(words_lane)
            .into_iter()
            .chain(markings.zip(markings_lane))
            .map(|(m, l)| (m, vec![l]))
            .collect(),
    };
    // The object is rebuilt in this pass when the flow's `cdr` inspector will want it: one
    // reading of the original instead of two.
    let rebuild = with_schema && has(Inspector::Cdr) && detected == TrueType::Json;
    let (lanes, rebuilt) = if rebuild {
        let mut builder = crate::json::canonical::Builder::new(object);
        let mut both = SchemaAndRebuild {
            schema: schema.as_mut(),
            rebuild: &mut builder,
        };
        let lanes = scan_object_lanes(&groups, detected, object, Some(&mut both))?;
        let mut out = Vec::new();
        let rebuilt = builder.write_into(&mut out).map(|()| out);
        (lanes, Some(rebuilt))
    } else {
        let lanes = scan_object_lanes(&groups, detected, object, schema.as_mut())?;
        (lanes, None)
    };
    // On a flow that takes JSON, a text may be read as JSON by a lenient receiver (a bare
    // string, JSON5; several values are refused by `format`): it is read once more with its
    // escapes decoded (`"NATO \u0053ECRET"`, `'NATO \x53ECRET'`). A match found only there is
    // placed at the escape when it starts in one.
    let mut lanes = lanes;
    if detected == TrueType::Text && flow.content.true_types.contains(&TrueType::Json) {
        let maxes: Vec<usize> = groups
            .iter()
            .flat_map(|(_, l)| l.iter().map(|l| l.max))
            .collect();
        let mut merge = |bytes: &[u8], origin: &dyn Fn(u64) -> u64| -> Result<(), ScanError> {
            let again = scan_object_lanes(
                &groups,
                TrueType::Text,
                bytes,
                None::<&mut SchemaValidator<'_>>,
            )?;
            for ((found, more), &max) in lanes.iter_mut().zip(again).zip(&maxes) {
                found.extend(more.into_iter().map(|f| Found {
                    phrase: f.phrase,
                    offset: origin(f.offset),
                }));
                found.sort_unstable_by_key(|f| (f.offset, f.phrase));
                found.dedup();
                found.truncate(max);
            }
            Ok(())
        };
        if let Some(decoded) = DecodedText::of(object) {
            merge(&decoded.bytes, &|at| decoded.origin(at))?;
        }
    }
    let mut lanes = lanes.into_iter();
    // For JSON, this is also the format inspector's pass: the text rules on its strings, once
    // it is known to be valid.
    let characters = (with_schema && has(Inspector::Format) && detected == TrueType::Json)
        .then(|| json_character_refusal(object))
        .flatten();
    let words = if words.is_some() {
        lanes.next().unwrap_or_default()
    } else {
        Vec::new()
    };
    let markings = lanes.next().unwrap_or_default();
    Ok(Scans {
        schema: schema_verdict(schema),
        characters,
        words,
        markings,
        rebuilt,
    })
}

/// What the schema said of the object, once it has seen all of it.
fn schema_verdict(schema: Option<SchemaValidator<'_>>) -> Option<Result<(), String>> {
    schema.map(|v| {
        v.finish()
            .map_err(|v| SchemaFailure::Violation(v).to_string())
    })
}

/// Whether a text opens like a JSON object or array to a lenient consumer: its first
/// significant character ([`json_opening`]) is `{` or `[`.
fn opens_like_json(object: &[u8]) -> bool {
    matches!(json_opening(object), Some('{' | '['))
}

/// The first character of a text that a lenient JSON reader would start from: after
/// whitespace (Unicode White_Space, and the ASCII separators U+001C to U+001F that some
/// trim), byte order marks, zero-width spaces and word joiners, and comments (`//` and `#` to
/// the end of the line, `/* */`).
fn json_opening(object: &[u8]) -> Option<char> {
    json_start(object).map(|(_, c)| c)
}

/// [`json_opening`], with its byte offset.
fn json_start(object: &[u8]) -> Option<(usize, char)> {
    // Text reaching this check is valid UTF-8 (the format inspector came first); were it
    // not, its valid start is read (fail closed: a refusal is the cautious side here).
    let text = match core::str::from_utf8(object) {
        Ok(text) => text,
        Err(e) => core::str::from_utf8(object.get(..e.valid_up_to()).unwrap_or_default())
            .unwrap_or_default(),
    };
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '\u{1C}'..='\u{1F}' | '\u{FEFF}' | '\u{200B}' | '\u{2060}'
                )
        });
        if let Some(after) = rest.strip_prefix("//").or_else(|| rest.strip_prefix('#')) {
            rest = after
                .find(['\n', '\r', '\u{2028}', '\u{2029}'])
                .map_or("", |i| after.get(i..).unwrap_or_default());
        } else if let Some(after) = rest.strip_prefix("/*") {
            // An unclosed comment hides nothing after it.
            rest = after
                .find("*/")
                .map_or("", |i| after.get(i.saturating_add(2)..).unwrap_or_default());
        } else {
            let at = text.len().saturating_sub(rest.len());
            return rest.chars().next().map(|c| (at, c));
        }
    }
}

/// What a reader of JSON streams (NDJSON, `jq`, Python's `json` line by line, a JSON decoder
/// called in a loop) reads from a text, from where [`json_start`] says a lenient reader
/// starts, leniently: between values, any white space (U+2028, a no-break space), byte order
/// marks and comments; `NaN` and `Infinity` as numbers. It counts the values it reads (at most
/// [`MAX_STREAM_VALUES_READ`]), whether one is an object or an array, and whether they are
/// the whole text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct JsonValues {
    values: usize,
    structured: bool,
    whole: bool,
}

/// Most values [`JsonValues`] reads from a text (each is parsed as JSON, so that the work is
/// bounded by the text: values end where they end).
const MAX_STREAM_VALUES_READ: usize = 64;

impl JsonValues {
    fn of(object: &[u8]) -> Self {
        let mut out = Self {
            values: 0,
            structured: false,
            whole: false,
        };
        let mut at = 0usize;
        while out.values < MAX_STREAM_VALUES_READ {
            let rest = object.get(at..).unwrap_or_default();
            // What lies before the next value is usually short: read in a window first, so
            // that each value does not cost a reading of the rest of the text.
            let window = rest.get(..rest.len().min(4096)).unwrap_or(rest);
            let next = match json_start(window) {
                None if window.len() < rest.len() => json_start(rest),
                found => found,
            };
            let Some((skip, first)) = next else {
                out.whole = true;
                return out;
            };
            at = at.saturating_add(skip);
            let rest = object.get(at..).unwrap_or_default();
            // Python's and jq's extensions.
            if let Some(word) = [&b"NaN"[..], b"Infinity", b"-Infinity"]
                .into_iter()
                .find(|w| rest.starts_with(w))
            {
                out.values = out.values.saturating_add(1);
                at = at.saturating_add(word.len());
                continue;
            }
            let mut stream =
                serde_json::Deserializer::from_slice(rest).into_iter::<serde::de::IgnoredAny>();
            match stream.next() {
                Some(Ok(_)) => {}
                // A number is followed by what serde_json does not take for its end (U+2028):
                // its lexeme is the value.
                Some(Err(_)) if first == '-' || first.is_ascii_digit() => {
                    let len = rest
                        .iter()
                        .position(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                        .unwrap_or(rest.len());
                    let lexeme = rest.get(..len).unwrap_or_default();
                    if serde_json::from_slice::<serde::de::IgnoredAny>(lexeme).is_err() {
                        return out;
                    }
                    out.values = out.values.saturating_add(1);
                    at = at.saturating_add(len);
                    continue;
                }
                // (`IgnoredAny` is skipped without recursion, so depth is no error here: an
                // error is a value no reader takes.)
                _ => return out,
            }
            out.values = out.values.saturating_add(1);
            out.structured |= matches!(first, '{' | '[');
            at = at.saturating_add(stream.byte_offset());
        }
        out
    }

    /// Several values, not all of them scalars or not all of the text: what a reader of JSON
    /// streams reads as JSON (`0` then an object; `"NATO"` then `"SECRET"`), where prose that
    /// opens with a number and a quotation (`42 "The answer," said…`) is text.
    fn stream(self) -> bool {
        self.values >= 2 && (self.structured || self.whole)
    }

    /// One value, and nothing else.
    fn one(self) -> bool {
        self.values == 1 && self.whole
    }
}

/// The `schema` inspector.
fn schema_check(detected: TrueType, object: &[u8], scans: &Scans) -> Result<Finding, Refusal> {
    if detected == TrueType::Text {
        // Invalid JSON is detected as text: on a flow with a schema, a text that opens like a
        // JSON object or array is refused, or a lenient consumer (comments, trailing commas)
        // would read members the schema never saw.
        if opens_like_json(object) {
            return Err(refuse(
                Stage::Content,
                "schema-not-json",
                "the object opens like JSON but is not valid JSON, so the flow's schema cannot \
                 judge it",
            ));
        }
        // A bare JSON value (`0`, `"TVqQ…"`) is text to true type, but a JSON document to a
        // receiver on this flow, which the schema never judged.
        let values = JsonValues::of(object);
        if values.one() || values.stream() {
            return Err(refuse(
                Stage::Content,
                "schema-not-json",
                "the object is a bare JSON value (or several), which a receiver reads as JSON \
                 that the flow's schema never judged",
            ));
        }
    }
    if detected != TrueType::Json {
        return Ok(Finding::NotApplicable(detected));
    }
    match &scans.schema {
        Some(Ok(())) => Ok(Finding::SchemaSatisfied),
        Some(Err(why)) => Err(refuse(Stage::Content, "schema-violation", why.clone())),
        None => Err(failure(Stage::Content, "schema inspector without a schema")),
    }
}

/// Lists matches for a refusal: the first few, then how many more.
fn list_matches(found: &[Found], capped: bool, name: impl Fn(&Found) -> String) -> String {
    let mut out = String::new();
    for (i, f) in found.iter().take(MAX_REPORTED_MATCHES).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&name(f));
    }
    if let Some(more) = found
        .len()
        .checked_sub(MAX_REPORTED_MATCHES)
        .filter(|&n| n > 0)
    {
        if capped {
            out.push_str(" and more");
        } else {
            out.push_str(&format!(" and {more} more"));
        }
    }
    out
}

/// The `words` inspector.
fn words_check(flow: &Flow, scans: &Scans) -> Result<Finding, Refusal> {
    let Some(matcher) = &flow.content.words else {
        return Err(failure(Stage::Content, "words inspector without words"));
    };
    let found = &scans.words;
    if found.is_empty() {
        return Ok(Finding::NoForbiddenWords {
            phrases: matcher.len(),
        });
    }
    let list = list_matches(found, true, |f| {
        format!(
            "{:?} at byte {}",
            matcher.phrase(f.phrase).unwrap_or("?"),
            f.offset
        )
    });
    Err(refuse(
        Stage::Content,
        "forbidden-word",
        format!("the object contains forbidden phrases: {list}"),
    ))
}

/// The `markings` inspector.
fn markings_check(
    guard: &Guard,
    scans: &Scans,
    label: Result<&ValidLabel<'_>, &str>,
) -> Result<Finding, Refusal> {
    let label = label.map_err(|why| {
        failure(
            Stage::Content,
            format!("the markings inspector needs the object's valid label: {why}"),
        )
    })?;
    let phrases = &guard.markings;
    let found = &scans.markings;
    if found.len() >= MAX_MARKINGS_EXAMINED {
        return Err(refuse(
            Stage::Content,
            "too-many-markings",
            format!(
                "the object holds at least {MAX_MARKINGS_EXAMINED} classification markings \
                 (MAX_MARKINGS_EXAMINED); it is not examined further"
            ),
        ));
    }
    let policy = label.policy();
    let class_name = |id| {
        policy
            .classification(id)
            .map_or_else(|| "?".to_owned(), |c| c.name.to_string())
    };
    let phrase = |f: &Found| phrases.phrase(f.phrase).map_or("?", |(p, _)| p);
    let mut above = Vec::new();
    let mut incomparable = Vec::new();
    for f in found {
        match phrases.compare(&guard.policies, f.phrase, policy, label.classification()) {
            Comparison::Within => {}
            Comparison::Above(c) => above.push((*f, c)),
            Comparison::NotComparable => incomparable.push(*f),
        }
    }
    if !above.is_empty() {
        let list = list_matches(
            &above.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            false,
            |f| {
                let c = above
                    .iter()
                    .find(|(g, _)| g == f)
                    .map_or_else(String::new, |(_, c)| class_name(*c));
                format!(
                    "{:?} ({} {c}) at byte {}",
                    phrase(f),
                    policy.name(),
                    f.offset
                )
            },
        );
        return Err(refuse(
            Stage::Content,
            "marking-above-label",
            format!(
                "the content carries markings above its label ({} {}): {list}",
                policy.name(),
                class_name(label.classification())
            ),
        ));
    }
    if !incomparable.is_empty() {
        let list = list_matches(&incomparable, false, |f| {
            format!("{:?} at byte {}", phrase(f), f.offset)
        });
        return Err(refuse(
            Stage::Content,
            "marking-not-comparable",
            format!(
                "the content carries markings with no stated equivalent under {}: {list}",
                policy.name()
            ),
        ));
    }
    Ok(Finding::MarkingsWithin { found: found.len() })
}

/// The `cdr` inspector: the object rebuilt from its parsed form, and the rebuilt object read
/// again by the format inspector's reader (a rebuild that does not read back is a failure).
/// `prebuilt`: a JSON object's rebuild, made in the pass of the other inspectors.
fn cdr(
    guard: &Guard,
    flow: &Flow,
    detected: TrueType,
    object: &[u8],
    label: Result<&ValidLabel<'_>, &str>,
    prebuilt: Option<Result<Vec<u8>, crate::json::JsonError>>,
) -> Result<Rebuilt, Refusal> {
    let limit = flow.content.max_bytes.min(guard.max_object_bytes);
    let too_large = || {
        refuse(
            Stage::Content,
            "rebuilt-too-large",
            format!("the rebuilt object would be over this flow's limit of {limit} bytes"),
        )
    };
    let broken = |why: String| {
        failure(
            Stage::Content,
            format!("cdr could not rebuild the object: {why}"),
        )
    };
    let (method, bytes) = match detected {
        TrueType::Json => (
            "json-rfc8785",
            prebuilt
                .unwrap_or_else(|| crate::json::canonical::canonicalize(object, json_limits()))
                .map_err(|e| broken(e.to_string()))?,
        ),
        TrueType::Xml | TrueType::Label4774 => {
            let doc = crate::xml::Document::parse_with_limits(object, xml_limits())
                .map_err(|e| broken(e.to_string()))?;
            (
                "xml-c14n-stripped",
                crate::xml::canonical_within(&doc, crate::xml::Comments::StripAll, limit)
                    .ok_or_else(too_large)?,
            )
        }
        TrueType::Text => (
            "text-nfc-lf",
            crate::inspect::text::normalize_text(object).map_err(broken)?,
        ),
        other => return Err(broken(format!("no rebuild for {other}"))),
    };
    // The rebuild can join what the original kept apart (text around a removed comment): the
    // words and markings inspectors judge the rebuilt object too.
    let rescanned = [Inspector::Words, Inspector::Markings]
        .iter()
        .any(|i| flow.content.inspect.contains(i));
    let reread = match detected {
        // Read back below, by the rescan's pass: the same reader, with the same limits.
        TrueType::Json if rescanned => Ok(()),
        TrueType::Json => crate::json::validate(&bytes, json_limits())
            .map(|_| ())
            .map_err(|e| e.to_string()),
        TrueType::Label4774 => read_label_xml(&bytes, Strictness::Strict)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        TrueType::Xml => crate::xml::Reader::with_limits(&bytes, xml_limits())
            .validate()
            .map(|_| ())
            .map_err(|e| e.to_string()),
        _ => crate::inspect::text::validate_text(
            &bytes,
            crate::limits::TextLimits {
                max_input_bytes: u64::MAX,
                ..crate::limits::TextLimits::default()
            },
        )
        .map(|_| ())
        .map_err(|e| e.to_string()),
    };
    reread.map_err(|e| broken(format!("the rebuilt object does not read back: {e}")))?;
    if bytes.len() > limit {
        return Err(too_large());
    }
    if rescanned {
        let scans = scan_all(guard, flow, detected, &bytes, false)
            .map_err(|e| broken(format!("the rebuilt object does not read back: {e}")))?;
        let after = |mut r: Refusal| {
            for reason in &mut r.reasons {
                reason.message = format!("in the rebuilt object: {}", reason.message);
            }
            r
        };
        if flow.content.inspect.contains(&Inspector::Words) {
            words_check(flow, &scans).map_err(after)?;
        }
        if flow.content.inspect.contains(&Inspector::Markings) {
            markings_check(guard, &scans, label).map_err(after)?;
        }
    }
    Ok(Rebuilt {
        method,
        object: Bytes::from(bytes),
    })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing
    )]

    use super::*;
    use crate::guard::{GuardConfig, LabelInput, Transfer};

    fn guard() -> Guard {
        let config = GuardConfig::embedded(std::path::Path::new(".")).unwrap();
        let key = crate::audit::AuditKey::from_bytes(&[7; 32]).unwrap();
        let sink = std::sync::Arc::new(crate::audit::MemorySink::new(key, 0).unwrap());
        Guard::build(&config, sink).unwrap()
    }

    /// The release flow's verdict on a memo under `label`: the first refusal's code.
    fn verdict(guard: &Guard, flow: (&str, &str), label: &str) -> Option<&'static str> {
        let t = Transfer::new(flow.0, flow.1, Bytes::from_static(b"memo\n"))
            .with_type("text/plain")
            .with_label(LabelInput::Bytes(Bytes::from(label.to_owned())));
        let checks = guard.inspect_content(&t).unwrap();
        checks
            .into_iter()
            .find_map(|c| c.outcome.err().map(|r| r.code))
    }

    #[test]
    fn a_decoded_text_keeps_a_bounded_map() {
        // 100 000 escapes: the offsets of the first MAX_ESCAPES_PLACED are kept, the rest
        // placed at the first one not kept.
        let mut text = String::from("\"NATO \\u0053ECRET ");
        text.push_str(&"\\/".repeat(100_000));
        text.push_str(" NATO \\u0053ECRET\"");
        let decoded = DecodedText::of(text.as_bytes()).unwrap();
        assert_eq!(decoded.map.len(), 2 * MAX_ESCAPES_PLACED);
        assert!(decoded.bytes.len() < text.len());
        // The first S: its backslash; the last S: the first escape not kept.
        let first = decoded.bytes.iter().position(|&b| b == b'S').unwrap();
        assert_eq!(decoded.origin(u64::try_from(first).unwrap()), 6);
        let last = decoded.bytes.iter().rposition(|&b| b == b'S').unwrap();
        let cut = 18 + 2 * (MAX_ESCAPES_PLACED - 1);
        assert_eq!(
            decoded.origin(u64::try_from(last).unwrap()),
            u64::try_from(cut).unwrap()
        );
        assert_eq!(&text[cut..cut + 2], "\\/");
    }

    #[test]
    fn label_readings_are_kept_per_flow_and_bytes_and_bounded() {
        let guard = guard();
        let clean = include_str!("../../tests/data/guard/labels/restricted-releasable.xml");
        let with = |text: &str| {
            clean.replacen(
                "<slab:CreationDateTime>",
                &format!("<!-- {text} --><slab:CreationDateTime>"),
                1,
            )
        };
        let release = ("nato-secret", "mission-restricted");
        let import = ("mission-restricted", "nato-secret");
        let eyes = with("EYES ONLY");
        // Read on the import flow (no forbidden words) first: kept for that flow only.
        for _ in 0..2 {
            assert_eq!(verdict(&guard, import, &eyes), None);
            assert_eq!(verdict(&guard, release, &eyes), Some("forbidden-word"));
            assert_eq!(verdict(&guard, release, clean), None);
            assert_eq!(
                verdict(&guard, release, &with("NATO SECRET")),
                Some("marking-above-label")
            );
        }
        // Many labels: the cache keeps the latest, and every verdict is still the label's.
        for i in 0..(2 * crate::limits::MAX_CACHED_LABEL_SCANS) {
            assert_eq!(verdict(&guard, release, &with(&format!("note {i}"))), None);
            let cached = guard.label_scans.lock().unwrap().len();
            assert!(cached <= crate::limits::MAX_CACHED_LABEL_SCANS, "{cached}");
        }
        assert_eq!(
            guard.label_scans.lock().unwrap().len(),
            crate::limits::MAX_CACHED_LABEL_SCANS
        );
        assert_eq!(verdict(&guard, release, &eyes), Some("forbidden-word"));
        // A label over the size kept is read every time, and not kept.
        let large = with(&"x".repeat(crate::limits::MAX_CACHED_LABEL_BYTES));
        let before = guard.label_scans.lock().unwrap().len();
        assert_eq!(verdict(&guard, release, &large), None);
        assert!(guard
            .label_scans
            .lock()
            .unwrap()
            .iter()
            .all(|s| s.label.len() <= crate::limits::MAX_CACHED_LABEL_BYTES));
        assert_eq!(guard.label_scans.lock().unwrap().len(), before);
    }
}
