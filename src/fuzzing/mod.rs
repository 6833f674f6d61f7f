//! Entry points for the fuzz targets in `fuzz/`. Unstable: not part of the public API.
//!
//! Each function exercises one public entry point on arbitrary bytes and checks the
//! invariants that must hold for every input; a violated invariant panics, which is how a
//! fuzzer reports it. They are library code only so that the fuzz crate and the corpus-replay
//! test share one definition.
#![allow(
    clippy::panic,
    clippy::expect_used,
    reason = "a fuzz oracle reports a broken invariant by panicking"
)]

use crate::xml::{canonical, Comments, Document, Reader};

/// The reader on arbitrary bytes: never panics; on success the tree agrees with it.
pub fn xml_reader(data: &[u8]) {
    let streamed = Reader::new(data).validate();
    let tree = Document::parse(data);
    match (&streamed, &tree) {
        (Ok(_), Ok(_)) => {}
        (Err(a), Err(b)) if a == b => {}
        _ => panic!(
            "reader and tree disagree: {streamed:?} vs {:?}",
            tree.as_ref().map(Document::node_count)
        ),
    }
}

/// Parse → canonical → parse is the identity on the tree, and canonical form is a fixed point.
pub fn xml_roundtrip(data: &[u8]) {
    let Ok(doc) = Document::parse(data) else {
        return;
    };
    for comments in [Comments::Keep, Comments::Strip, Comments::StripAll] {
        let first = canonical(&doc, comments);
        let reparsed = match Document::parse(&first) {
            Ok(d) => d,
            Err(e) => panic!(
                "canonical output rejected: {e}\n{}",
                String::from_utf8_lossy(&first)
            ),
        };
        if comments == Comments::Keep && reparsed != doc {
            panic!(
                "round trip changed the tree:\n{}",
                String::from_utf8_lossy(&first)
            );
        }
        let second = canonical(&reparsed, comments);
        if first != second {
            panic!(
                "canonical form is not idempotent:\n{}\n{}",
                String::from_utf8_lossy(&first),
                String::from_utf8_lossy(&second)
            );
        }
    }
}

/// ESS labels: a decoded label re-encodes to DER that decodes to the same label, encoding is a
/// fixed point, and an input in the canonical encoding re-encodes to itself byte for byte (so
/// the decoder accepts no second encoding of a value, beyond the documented tolerances).
pub fn label_ess(data: &[u8]) {
    use crate::label::ess::EssLabel;
    use crate::label::security_category::Encoding;
    let Ok((label, encoding)) = EssLabel::decode_noting_encoding(data) else {
        return;
    };
    let first = label.encode();
    if encoding == Encoding::Canonical && first != data {
        panic!("canonical input re-encoded differently:\n{data:02x?}\n{first:02x?}");
    }
    let again = match EssLabel::decode(&first) {
        Ok(l) => l,
        Err(e) => panic!("re-encoding rejected: {e}\n{first:02x?}"),
    };
    if again != label {
        panic!("round trip changed the label:\n{label:?}\n{again:?}");
    }
    if again.encode() != first {
        panic!("encoding is not a fixed point:\n{first:02x?}");
    }
}

/// Clearances (bare or in an Attribute): as [`label_ess`], with the RFC 3281 form rewritten to
/// the current one by the encoder, and each value also surviving the legacy encoder.
pub fn clearance_der(data: &[u8]) {
    use crate::label::clearance_der::{ClearanceDer, ClearanceForm, ClearanceInput};
    use crate::label::security_category::Encoding;
    let Ok((read, encoding)) = ClearanceInput::decode_noting_encoding(data) else {
        return;
    };
    let first = read.encode();
    if encoding == Encoding::Canonical && first != data {
        panic!("canonical input re-encoded differently:\n{data:02x?}\n{first:02x?}");
    }
    let again = match ClearanceInput::decode(&first) {
        Ok(r) => r,
        Err(e) => panic!("re-encoding rejected: {e}\n{first:02x?}"),
    };
    let expected = read.in_current_form();
    if again != expected {
        panic!("round trip changed the clearances:\n{expected:?}\n{again:?}");
    }
    if again.encode() != first {
        panic!("encoding is not a fixed point:\n{first:02x?}");
    }
    for clearance in again.clearances() {
        let legacy = clearance.encode_in(ClearanceForm::Legacy);
        match ClearanceDer::decode(&legacy) {
            Ok(back)
                if back.form() == ClearanceForm::Legacy && back.encode() == clearance.encode() => {}
            other => panic!("legacy form does not round-trip: {other:?}\n{legacy:02x?}"),
        }
    }
}

/// The embedded policies, compiled once per process.
fn embedded_policies() -> Option<&'static crate::policy::PolicySet> {
    static POLICIES: std::sync::OnceLock<Option<crate::policy::PolicySet>> =
        std::sync::OnceLock::new();
    POLICIES
        .get_or_init(|| crate::policy::PolicySet::embedded().ok())
        .as_ref()
}

/// Arbitrary bytes as a SPIF: never a panic; a compiled policy answers its own lookups
/// consistently (every classification and category is found by its name and lacv).
pub fn spif(data: &[u8]) {
    use crate::policy::{LacvMatch, Policy};
    let Ok(policy) = Policy::from_spif(data) else {
        return;
    };
    for (i, c) in policy.classifications().iter().enumerate() {
        let found = policy.classification_by_name(&c.name).map(|id| id.index());
        if found != Some(i) {
            panic!(
                "classification {:?} is not found by its name: {found:?}",
                c.name
            );
        }
        if policy.classification_by_lacv(c.lacv).map(|id| id.index()) != Some(i) {
            panic!("classification {:?} is not found by its lacv", c.name);
        }
    }
    let mut previous = None;
    for (i, c) in policy.categories().iter().enumerate() {
        let tag = policy.tag(c.tag).expect("category tag exists");
        let id = policy
            .category_by_name(tag.tag_set, tag.kind.category_type(), &c.name)
            .expect("category found by name");
        if id.index() != i {
            panic!("category {:?} resolves to another category", c.name);
        }
        if let Some(lacv) = c.lacv.integer() {
            match policy.category_by_lacv(c.tag, lacv) {
                LacvMatch::None => panic!("category {:?} is not found by its lacv", c.name),
                LacvMatch::One(found) if found.index() != i => {
                    panic!("lacv of {:?} names another category", c.name)
                }
                _ => {}
            }
        }
        let bit = policy.category_bit(id).expect("category has a bit");
        if previous.is_some_and(|p| p >= bit) {
            panic!("category bits are not in policy order");
        }
        previous = Some(bit);
    }
}

/// Arbitrary bytes as a 4774 XML label (strict and lenient) or clearance, under the embedded
/// policies: never a panic; a valid label survives XML write → read → validate and ESS
/// encode → decode unchanged, renders every marking code, and its decision against a valid
/// clearance equals the decision `explain` gives.
pub fn label_xml(data: &[u8]) {
    use crate::label::ess::EssLabel;
    use crate::label::{
        compile_clearance, decide, decode_ess_label, encode_ess_label, explain, read_clearance_xml,
        read_label_xml, render_marking, validate, write_label_xml, LabelKind, LabelMetadata,
        Strictness, Timestamp,
    };
    use crate::policy::MarkingCode;
    let Some(policies) = embedded_policies() else {
        panic!("the embedded policies do not compile");
    };
    let at = Timestamp(1_800_000_000);
    if let Ok(clearance) = read_clearance_xml(data) {
        if let Ok(clearance) = compile_clearance(policies, &clearance) {
            for file in [
                &include_bytes!("../../tests/data/label/example-1.9.xml")[..],
                &include_bytes!("../../tests/data/label/table17-6.xml")[..],
            ] {
                let read = read_label_xml(file, Strictness::Strict).expect("sample label reads");
                let label = validate(policies, &read.label.body.information, at, read.warnings)
                    .expect("sample label is valid");
                if decide(&label, &clearance) != explain(&label, &clearance).access {
                    panic!("decide and explain disagree");
                }
            }
        }
        return;
    }
    for strictness in [Strictness::Strict, Strictness::Lenient] {
        let Ok(read) = read_label_xml(data, strictness) else {
            continue;
        };
        let Ok(label) = validate(policies, &read.label.body.information, at, read.warnings) else {
            continue;
        };
        for code in MarkingCode::ALL {
            let _ = render_marking(&label, code, "en");
            let _ = render_marking(&label, code, "fr");
        }
        let metadata = LabelMetadata {
            kind: LabelKind::Alternative,
            id: Some("f"),
            review: at,
            originator: None,
            creation: at,
        };
        let xml = write_label_xml(&label, &metadata);
        let again = read_label_xml(xml.as_bytes(), Strictness::Strict)
            .unwrap_or_else(|e| panic!("written label does not read: {e}\n{xml}"));
        let again = validate(policies, &again.label.body.information, at, again.warnings)
            .unwrap_or_else(|e| panic!("written label is invalid: {e}\n{xml}"));
        if again != label {
            panic!("XML round trip changed the label\n{xml}");
        }
        if let Ok(der) = encode_ess_label(&label) {
            let ess = EssLabel::decode(&der).unwrap_or_else(|e| panic!("ESS does not decode: {e}"));
            match decode_ess_label(policies, &ess, at) {
                Ok(back) if back == label => {}
                other => panic!("ESS round trip changed the label: {other:?}"),
            }
        }
    }
}

/// The laptop guard of the embedded configuration, auditing to memory under a fixed key.
fn laptop_guard() -> Option<&'static (
    crate::guard::Guard,
    std::sync::Arc<crate::audit::MemorySink>,
)> {
    static GUARD: std::sync::OnceLock<
        Option<(
            crate::guard::Guard,
            std::sync::Arc<crate::audit::MemorySink>,
        )>,
    > = std::sync::OnceLock::new();
    GUARD
        .get_or_init(|| {
            let config = crate::guard::GuardConfig::embedded(std::path::Path::new(".")).ok()?;
            let key = crate::audit::AuditKey::from_bytes(&[7; 32]).ok()?;
            let sink = std::sync::Arc::new(crate::audit::MemorySink::new(key, 0).ok()?);
            let guard = crate::guard::Guard::build(&config, sink.clone()).ok()?;
            Some((guard, sink))
        })
        .as_ref()
}

/// Arbitrary text as a guard configuration: never a panic; a configuration that builds
/// yields a guard that decides a fixed transfer on each of its flows without panicking, and
/// releases only along configured flows.
pub fn guard_config(data: &[u8]) {
    use crate::guard::{Guard, GuardConfig, LabelInput, Transfer};
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = GuardConfig::from_toml(text, std::path::Path::new("/nonexistent")) else {
        return;
    };
    let Ok(key) = crate::audit::AuditKey::from_bytes(&[7; 32]) else {
        panic!("a fixed key is refused");
    };
    let Ok(sink) = crate::audit::MemorySink::new(key, 0) else {
        panic!("the memory sink does not open");
    };
    let Ok(guard) = Guard::build(&config, std::sync::Arc::new(sink)) else {
        return;
    };
    let label = include_bytes!("../../tests/data/guard/labels/restricted-nato.xml");
    let names: Vec<&str> = guard.domains().iter().map(|d| d.name.as_ref()).collect();
    for from in &names {
        for to in &names {
            for input in [
                LabelInput::None,
                LabelInput::Bytes(bytes::Bytes::from_static(label)),
            ] {
                let t = Transfer::new(from, to, &b"object"[..]).with_label(input);
                let released = guard.check(t).is_release();
                let configured = guard.flows().iter().any(|f| {
                    guard.domains().get(f.from).map(|d| d.name.as_ref()) == Some(*from)
                        && guard.domains().get(f.to).map(|d| d.name.as_ref()) == Some(*to)
                });
                if released && !configured {
                    panic!("released along an unconfigured edge {from} -> {to}");
                }
            }
        }
    }
}

/// Arbitrary object bytes through the content checks of a flow of the embedded laptop guard
/// (the first byte chooses the flow and the declared type; the object carries a NATO
/// RESTRICTED label): never a panic, every check named, and an object that passes every check
/// of a flow with the format inspector holds no character the text rules forbid, raw (the
/// format inspector applies them to text, to JSON strings and to XML content and names); when
/// the markings check passes, the naive reading finds no marking above the label.
pub fn guard_content(data: &[u8]) {
    use crate::guard::{LabelInput, Transfer};
    let Some((guard, _)) = laptop_guard() else {
        panic!("the embedded guard does not build");
    };
    let Some((&selector, object)) = data.split_first() else {
        return;
    };
    let flows = guard.flows();
    let Some(flow) = flows.get(
        usize::from(selector & 0x0F)
            .checked_rem(flows.len().max(1))
            .unwrap_or(0),
    ) else {
        return;
    };
    let (Some(from), Some(to)) = (guard.domains().get(flow.from), guard.domains().get(flow.to))
    else {
        return;
    };
    let declared = match selector >> 4 {
        0..=7 => None,
        8 | 9 => Some("text/plain"),
        10 | 11 => Some("application/json"),
        _ => Some("application/xml"),
    };
    let label = include_bytes!("../../tests/data/guard/labels/restricted-nato.xml");
    let mut transfer = Transfer::new(&from.name, &to.name, bytes::Bytes::copy_from_slice(object))
        .with_label(LabelInput::Bytes(bytes::Bytes::from_static(label)));
    if let Some(declared) = declared {
        transfer = transfer.with_type(declared);
    }
    let Ok(checks) = guard.inspect_content(&transfer) else {
        panic!("a configured flow has no content checks");
    };
    if checks.iter().any(|c| c.name.is_empty()) {
        panic!("a check without a name");
    }
    // A flow that inspects markings passed none above the label (the label is RESTRICTED),
    // and one with forbidden words, none of them.
    let takes_json = flow
        .content
        .true_types
        .contains(&crate::inspect::detect::TrueType::Json);
    markings::check_content(object, &checks, takes_json, flow.content.words.as_deref());
    let passed = checks.iter().all(|c| c.outcome.is_ok());
    let formatted = checks.iter().any(|c| c.name == "format");
    if passed && formatted {
        if let Some((at, kind)) = crate::inspect::text::first_forbidden(object) {
            panic!("passed an object holding {kind} at byte {at}");
        }
        // Escapes too: every string serde_json decodes from an object that passed a flow that
        // takes JSON (elsewhere, a bare JSON scalar such as `"\f"` is text, read as written).
        let json = flow
            .content
            .true_types
            .contains(&crate::inspect::detect::TrueType::Json);
        if let Some(value) = json
            .then(|| serde_json::from_slice::<serde_json::Value>(object).ok())
            .flatten()
        {
            let mut strings = vec![&value];
            while let Some(v) = strings.pop() {
                match v {
                    serde_json::Value::String(s) => {
                        if let Some((_, kind)) = crate::inspect::text::first_forbidden(s.as_bytes())
                        {
                            panic!("passed a JSON string holding {kind}: {s:?}");
                        }
                    }
                    serde_json::Value::Array(a) => strings.extend(a),
                    serde_json::Value::Object(o) => {
                        for (name, v) in o {
                            if let Some((_, kind)) =
                                crate::inspect::text::first_forbidden(name.as_bytes())
                            {
                                panic!("passed a JSON name holding {kind}: {name:?}");
                            }
                            strings.push(v);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Arbitrary label bytes (and a declared-type choice) through the fixed laptop guard on every
/// edge: never a panic, and a release only for a label that reads, validates and is granted
/// by the destination clearance.
pub fn guard_check(data: &[u8]) {
    use crate::guard::{LabelInput, Transfer, Verdict};
    use crate::label::{decide, read_label_xml, validate, Access, Strictness, Timestamp};
    let Some((guard, sink)) = laptop_guard() else {
        panic!("the embedded guard does not build");
    };
    let Some((&selector, label)) = data.split_first() else {
        return;
    };
    let domains = guard.domains();
    let count = domains.len().max(1);
    let from = usize::from(selector & 0x0F).checked_rem(count).unwrap_or(0);
    let to = usize::from(selector >> 4).checked_rem(count).unwrap_or(0);
    let (Some(source), Some(destination)) = (domains.get(from), domains.get(to)) else {
        return;
    };
    let at = Timestamp(1_800_000_000);
    let input = if label.is_empty() {
        LabelInput::None
    } else {
        LabelInput::Bytes(bytes::Bytes::copy_from_slice(label))
    };
    let t = Transfer::new(&source.name, &destination.name, &b"object"[..])
        .with_label(input)
        .with_type("text/plain");
    let verdict = guard.check_at(t, at);
    // Keep memory bounded: the sink's lines are dropped after each input.
    let _ = sink.drain();
    let Verdict::Release(_) = verdict else {
        return;
    };
    if label.is_empty() {
        return; // the flow's default label, checked when the guard was built
    }
    let Some(policies) = embedded_policies() else {
        panic!("the embedded policies do not compile");
    };
    if label.first() == Some(&0x31) {
        let Ok(ess) = crate::label::ess::EssLabel::decode(label) else {
            panic!("released an ESS label that does not decode");
        };
        if crate::label::decode_ess_label(policies, &ess, at).is_err() {
            panic!("released an invalid ESS label");
        }
        return;
    }
    let Ok(read) = read_label_xml(label, Strictness::Strict) else {
        panic!("released a label that does not read");
    };
    let Ok(valid) = validate(policies, &read.label.body.information, at, Vec::new()) else {
        panic!("released an invalid label");
    };
    let Some(policy) = policies.get(destination.policy) else {
        panic!("destination policy missing");
    };
    if !valid.policy().same_as(policy) {
        return; // mapped: the guard's mapping decided under the destination policy
    }
    let Some(clearance) = crate::label::ValidClearance::borrowing(
        policy,
        destination.classes,
        &destination.categories,
    ) else {
        panic!("destination clearance does not fit its policy");
    };
    if decide(&valid, &clearance) != Access::Granted {
        panic!("released a label the destination clearance does not grant");
    }
}

/// The key the `audit_verify` target verifies with (the committed seeds are made with it).
pub const AUDIT_FUZZ_KEY: &[u8; 32] = b"crossguard fuzz audit key 32 b!!";

/// Arbitrary bytes as an audit log, verified with [`AUDIT_FUZZ_KEY`]: never a panic; a log
/// that verifies strictly also verifies when unsealed logs are allowed, with the same summary,
/// and is sealed.
pub fn audit_verify(data: &[u8]) {
    use crate::audit::{verify, AuditKey, VerifyOptions};
    static KEY: std::sync::OnceLock<Option<AuditKey>> = std::sync::OnceLock::new();
    let Some(key) = KEY
        .get_or_init(|| AuditKey::from_bytes(AUDIT_FUZZ_KEY).ok())
        .as_ref()
    else {
        panic!("the fixed fuzz key is refused");
    };
    let strict = verify(data, key, VerifyOptions::default());
    let lenient = verify(
        data,
        key,
        VerifyOptions {
            allow_unsealed: true,
            ..VerifyOptions::default()
        },
    );
    if let Ok(summary) = &strict {
        if !summary.sealed {
            panic!("a strictly verified log is not sealed");
        }
        if lenient.as_ref().ok() != Some(summary) {
            panic!("strict and lenient verification disagree");
        }
    }
}

/// Rebuilds a `serde_json::Value` from JSON tokens (numbers through serde_json's own number
/// parser, so both sides of a comparison read numbers alike). Shared by the differential
/// target and the tests.
#[derive(Debug, Default)]
pub struct ValueBuilder {
    stack: Vec<(serde_json::Value, Option<String>)>,
    name: Option<String>,
    /// The finished top-level value.
    pub done: Option<serde_json::Value>,
    /// Numbers as the double they denote (Rust's correctly rounded parser, `-0` as `0`), so
    /// that two spellings of one double compare equal; else as serde_json reads the lexeme.
    pub doubles: bool,
}

impl ValueBuilder {
    fn put(&mut self, v: serde_json::Value) {
        use serde_json::Value;
        match self.stack.last_mut() {
            None => self.done = Some(v),
            Some((Value::Array(a), _)) => a.push(v),
            Some((Value::Object(o), _)) => {
                o.insert(self.name.take().unwrap_or_default(), v);
            }
            Some(_) => {}
        }
    }
}

impl crate::json::Visitor for ValueBuilder {
    fn token(&mut self, token: &crate::json::Token<'_>, _: u64) {
        use crate::json::Token;
        use serde_json::{Map, Value};
        match *token {
            Token::StartObject => self
                .stack
                .push((Value::Object(Map::new()), self.name.take())),
            Token::StartArray => self
                .stack
                .push((Value::Array(Vec::new()), self.name.take())),
            Token::EndObject | Token::EndArray => {
                if let Some((v, name)) = self.stack.pop() {
                    self.name = name;
                    self.put(v);
                }
            }
            Token::Name(s) => self.name = Some(s.value().into_owned()),
            Token::String(s) => self.put(Value::String(s.value().into_owned())),
            Token::Number(n) if self.doubles => {
                let value = n.to_f64();
                // `-0` and `0` are one value here: canonical form drops the sign of zero.
                let value = if value == 0.0 { 0.0 } else { value };
                match serde_json::Number::from_f64(value) {
                    Some(number) => self.put(Value::Number(number)),
                    None => panic!("a validated number that is not finite: {}", n.as_str()),
                }
            }
            Token::Number(n) => match serde_json::from_str(n.as_str()) {
                Ok(v) => self.put(v),
                Err(e) => panic!(
                    "a validated number serde_json cannot read: {}: {e}",
                    n.as_str()
                ),
            },
            Token::Bool(b) => self.put(Value::Bool(b)),
            Token::Null => self.put(Value::Null),
        }
    }
}

/// Every token as text with its offset, for comparing two readings of one document.
#[derive(Debug, Default)]
pub struct TokenRecorder(pub Vec<(String, u64)>);

impl crate::json::Visitor for TokenRecorder {
    fn token(&mut self, token: &crate::json::Token<'_>, offset: u64) {
        use crate::json::Token;
        let text = match *token {
            Token::Name(s) => format!("name {}", s.value()),
            Token::String(s) => format!("string {}", s.value()),
            other => format!("{other:?}"),
        };
        self.0.push((text, offset));
    }
}

/// Arbitrary bytes as JSON: never a panic, and the same result and tokens whether read whole,
/// in two chunks at three split points, or (for short inputs) byte by byte.
pub fn json(data: &[u8]) {
    use crate::limits::JsonLimits;
    // The defaults, and small limits that inputs run into (a limit must trip at the same
    // place however the input is cut).
    let small = small_json_limits();
    for limits in [
        JsonLimits {
            max_depth: 64,
            ..JsonLimits::default()
        },
        small,
    ] {
        json_chunked(data, limits);
    }
}

fn json_chunked(data: &[u8], limits: crate::limits::JsonLimits) {
    use crate::json::{validate_with, JsonValidator};
    let mut whole = TokenRecorder::default();
    let expected = validate_with(data, limits, &mut whole);
    let len = data.len();
    let mut splits: Vec<Vec<usize>> = [len / 3, len / 2, len.saturating_mul(2) / 3]
        .iter()
        .map(|&p| vec![p])
        .collect();
    if len <= 512 {
        splits.push((1..len).collect());
    }
    for cuts in splits {
        let mut recorder = TokenRecorder::default();
        let mut v = JsonValidator::new(limits);
        let mut at = 0usize;
        let mut result = Ok(());
        for &p in cuts.iter().chain(core::iter::once(&len)) {
            result = v.feed_with(data.get(at..p).unwrap_or_default(), &mut recorder);
            if result.is_err() {
                break;
            }
            at = p;
        }
        let got = result.and_then(|()| v.finish_with(&mut recorder));
        if got != expected || recorder.0 != whole.0 {
            panic!("chunked reading at {cuts:?} differs: {got:?} vs {expected:?}");
        }
    }
}

/// Arbitrary bytes through crossguard and serde_json: what crossguard accepts, serde_json
/// reads to the value crossguard's tokens rebuild; what serde_json accepts and crossguard
/// refuses, it refuses for an I-JSON rule or a limit (rules serde_json does not apply).
pub fn json_differential(data: &[u8]) {
    use crate::json::validate_with;
    use crate::limits::JsonLimits;
    // Below serde_json's recursion limit (128), so depth never separates the two.
    let limits = JsonLimits {
        max_depth: 100,
        ..JsonLimits::default()
    };
    let mut ours = ValueBuilder::default();
    let result = validate_with(data, limits, &mut ours);
    let theirs = serde_json::from_slice::<serde_json::Value>(data);
    match (&result, &theirs) {
        (Ok(_), Ok(value)) => {
            if ours.done.as_ref() != Some(value) {
                panic!("values differ: {:?} vs {value:?}", ours.done);
            }
        }
        (Ok(_), Err(e)) => panic!("crossguard accepts what serde_json refuses: {e}"),
        (Err(e), Ok(_)) => {
            let excused = matches!(
                e.code(),
                "duplicate-name"
                    | "noncharacter"
                    | "integer-out-of-range"
                    | "number-too-precise"
                    | "number-out-of-range"
                    | "names-too-large"
                    | "string-too-long"
                    | "number-too-long"
                    | "too-many-members"
                    | "input-too-large"
            );
            if !excused {
                panic!("crossguard refuses what serde_json accepts: {e}");
            }
        }
        (Err(_), Err(_)) => {}
    }
}

/// Arbitrary bytes as text (the first byte sets the line limit): never a panic; whole and
/// chunked reading agree; an accepted text is UTF-8 whose characters obey the rules, checked
/// independently here.
pub fn inspect_text(data: &[u8]) {
    use crate::inspect::text::{is_bidi_control, is_tag_character, validate_text, TextValidator};
    use crate::limits::TextLimits;
    let Some((&line, text)) = data.split_first() else {
        return;
    };
    let limits = TextLimits {
        max_input_bytes: 4096,
        max_line_bytes: u64::from(line).saturating_add(1),
    };
    // True-type detection reads the same bytes: never a panic; text it calls text is UTF-8
    // without NUL up to a possibly cut last character.
    if crate::inspect::detect::detect(text) == crate::inspect::detect::TrueType::Text
        && (text.contains(&0)
            || core::str::from_utf8(text.get(..8192).unwrap_or(text))
                .err()
                .is_some_and(|e| e.error_len().is_some() || text.len() <= 8192))
    {
        panic!("detected as text: bytes that are not text");
    }
    let whole = validate_text(text, limits);
    let len = text.len();
    let mut splits: Vec<Vec<usize>> = [len / 3, len / 2].iter().map(|&p| vec![p]).collect();
    if len <= 512 {
        splits.push((1..len).collect());
    }
    for cuts in splits {
        let mut v = TextValidator::new(limits);
        let mut at = 0usize;
        let mut result = Ok(());
        for &p in cuts.iter().chain(core::iter::once(&len)) {
            result = v.feed(text.get(at..p).unwrap_or_default());
            if result.is_err() {
                break;
            }
            at = p;
        }
        let got = result.and_then(|()| v.finish());
        if got != whole {
            panic!("chunked reading at {cuts:?} differs: {got:?} vs {whole:?}");
        }
    }
    if whole.is_ok() {
        let Ok(s) = core::str::from_utf8(text) else {
            panic!("accepted text that is not UTF-8");
        };
        let bad = s.chars().any(|c| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || is_bidi_control(u32::from(c))
                || is_tag_character(u32::from(c))
        });
        let longest = s.split(['\n', '\r']).map(str::len).max().unwrap_or(0);
        if bad || u64::try_from(longest).unwrap_or(u64::MAX) > limits.max_line_bytes {
            panic!("accepted text that breaks a rule");
        }
    }
}

mod json_canonical;
mod json_schema;
mod markings;
mod schema_pattern;
mod words;
pub mod xml_stream;

pub use json_canonical::json_canonical;
pub use json_schema::{
    json_schema, reference_compiles, reference_violation, run_chunked, schema_json_limits, Instance,
};
pub use markings::{check_markings, check_words, guard_markings, guard_markings_object};
pub use schema_pattern::schema_pattern;
pub use words::words;

/// Small JSON limits that fuzz inputs run into (a limit must trip at the same place however the
/// input is cut, and every consumer must report it as the validator does).
fn small_json_limits() -> crate::limits::JsonLimits {
    crate::limits::JsonLimits {
        max_input_bytes: 4096,
        max_depth: 4,
        // Below a word, so that names read eight bytes at a time meet the limit too.
        max_string_bytes: 7,
        max_number_bytes: 8,
        max_members: 4,
        max_name_bytes: 64,
    }
}
