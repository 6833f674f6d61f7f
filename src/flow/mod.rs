//! Domains and the directed flows between them (design.md "One-way flow policy"; standards.md
//! §7.2, §7.3).
//!
//! A [`Domain`] is a security domain seen through its interface: a name, the policy its labels
//! are under, and the clearance of the interface (what the domain may hold). A [`Flow`] is one
//! directed edge `from → to` with its [`FlowKind`] and its requirements. Flows are never
//! implied: an edge `a → b` says nothing about `b → a`, and `a → b → c` says nothing about
//! `a → c`.
//!
//! The kind must agree with the clearances ([`compare_clearances`]): an `import` goes to a
//! domain whose clearance strictly dominates the source's (low → high, Bell–LaPadula write-up); a
//! `release` goes to a domain the source strictly dominates (high → low, only through a release
//! rule); a `peer` joins domains of equal clearance (same policy) or of equivalent
//! classifications under two policies. The guard checks this when it is built.
//!
//! These types hold compiled ids (indices into the guard's policies and domains); the guard
//! ([`crate::guard`]) builds them from its configuration and is the only place that composes
//! them with labels.

use core::fmt;

use crate::label::ValidClearance;
use crate::policy::{CategoryId, CategoryType, ClassificationId};

/// The direction of a flow relative to the clearances of its ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowKind {
    /// Low → high: the destination's clearance dominates the source's.
    Import,
    /// High → low: the source strictly dominates the destination; needs a [`ReleaseRule`].
    Release,
    /// Same level: equal clearances, or equivalent classifications under another policy.
    Peer,
}

impl FlowKind {
    /// The configuration spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::Release => "release",
            Self::Peer => "peer",
        }
    }
}

impl fmt::Display for FlowKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a transfer's label comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabelFormat {
    /// A STANAG 4774 XML label beside the object.
    Xml4774,
    /// An ESS (RFC 2634) DER label beside the object.
    EssDer,
}

impl LabelFormat {
    /// The configuration and audit spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Xml4774 => "4774-xml",
            Self::EssDer => "ess-der",
        }
    }

    /// Tells the two encodings apart by content: DER labels are a `SET` (`0x31`).
    pub fn detect(bytes: &[u8]) -> Self {
        if bytes.first() == Some(&0x31) {
            Self::EssDer
        } else {
            Self::Xml4774
        }
    }
}

/// A security domain: its name, its policy and its interface clearance.
#[derive(Clone, Debug)]
pub struct Domain {
    /// The domain's name (unique in a guard).
    pub name: Box<str>,
    /// Index of its policy in the guard's policy list.
    pub policy: usize,
    /// The interface clearance's classifications (bit `i` = classification id `i`).
    pub classes: u64,
    /// The interface clearance's category words, in the policy's layout.
    pub categories: Box<[u64]>,
    /// Clearances of the same interface under other policies whose labels the domain also
    /// takes natively (a national domain that also holds NATO-labelled material). A label
    /// under one of these policies is decided there, against this clearance, instead of
    /// through a mapping to the domain's own policy.
    pub also: Box<[PolicyClearance]>,
}

impl Domain {
    /// The domain's clearance under policy `policy` (an index into the guard's policies): its
    /// own, or one of [`Domain::also`]; `None` if it states none there.
    pub fn clearance_under(&self, policy: usize) -> Option<(u64, &[u64])> {
        if policy == self.policy {
            return Some((self.classes, &self.categories));
        }
        self.also
            .iter()
            .find(|c| c.policy == policy)
            .map(|c| (c.classes, &*c.categories))
    }
}

/// A domain's interface clearance under another policy than its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyClearance {
    /// Index of the policy in the guard's policy list.
    pub policy: usize,
    /// Classifications (bit `i` = classification id `i`).
    pub classes: u64,
    /// Category words, in that policy's layout.
    pub categories: Box<[u64]>,
}

/// Conditions a high → low flow adds to the access decision (standards.md §7.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseRule {
    /// The most sensitive classification this flow releases (under the source policy).
    pub max_classification: ClassificationId,
    /// Category values every released label must carry (an explicit releasability marking),
    /// under the source policy.
    pub required_values: Vec<CategoryId>,
    /// The configuration acknowledged that labels are not yet cryptographically bound to
    /// objects (STANAG 4778 bindings come later) and accepts unsigned labels on this flow.
    pub unsigned_labels_accepted: bool,
}

/// Content rules of a flow.
#[derive(Clone, Debug)]
pub struct ContentRules {
    /// Largest object, in bytes.
    pub max_bytes: usize,
    /// Declared types accepted (`None` = any; an object without a declared type is refused
    /// when a list is given).
    pub types: Option<Vec<Box<str>>>,
    /// The inspectors run on every object, in this order.
    pub inspect: Vec<Inspector>,
    /// True types the `true-type` inspector accepts.
    pub true_types: Vec<crate::inspect::detect::TrueType>,
    /// Namespace names allowed in XML objects (`None` = any).
    pub xml_namespaces: Option<Vec<Box<str>>>,
    /// Elements allowed in XML objects, as `{namespace}local` or `local` (`None` = any).
    pub xml_elements: Option<Vec<Box<str>>>,
    /// The schema JSON objects must satisfy (the `schema` inspector).
    pub schema: Option<std::sync::Arc<crate::json::schema::Schema>>,
    /// The forbidden words (the `words` inspector).
    pub words: Option<std::sync::Arc<crate::inspect::words::WordMatcher>>,
    /// The forbidden words and then the policies' marking phrases in one matcher, so that an
    /// object is read once for both inspectors: set when the guard is built, for a flow that
    /// runs both (`None` otherwise, and the two are read apart).
    pub words_and_markings: Option<std::sync::Arc<crate::inspect::words::WordMatcher>>,
}

/// A content inspector of a flow's `inspect` list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Inspector {
    /// Detect the type from the bytes: it must be in the flow's `true_types`, and match the
    /// declared type when one is given.
    TrueType,
    /// Validate the whole object strictly in its detected format: XML (and 4774 labels) with
    /// the XML reader and the flow's XML allowlists, JSON with the JSON validator, text with
    /// the text validator; any other type has no format inspector and is refused.
    Format,
    /// JSON objects must satisfy the flow's schema (other types pass: not applicable).
    Schema,
    /// No forbidden word or phrase in what a person reads in the object.
    Words,
    /// No classification marking in the content above the object's label.
    Markings,
    /// Content disarm and reconstruction: the object released is rebuilt from its parsed
    /// form (canonical JSON, canonical XML without comments and processing instructions,
    /// normalised text).
    Cdr,
}

impl Inspector {
    /// Every inspector. A flow lists `true-type` and `format` first, `cdr` last, and the
    /// others in any order between.
    pub const ALL: [Self; 6] = [
        Self::TrueType,
        Self::Format,
        Self::Schema,
        Self::Words,
        Self::Markings,
        Self::Cdr,
    ];

    /// The configuration spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TrueType => "true-type",
            Self::Format => "format",
            Self::Schema => "schema",
            Self::Words => "words",
            Self::Markings => "markings",
            Self::Cdr => "cdr",
        }
    }

    /// The inspector with this spelling.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == name)
    }
}

/// One directed edge and its requirements.
#[derive(Clone, Debug)]
pub struct Flow {
    /// Index of the source domain.
    pub from: usize,
    /// Index of the destination domain.
    pub to: usize,
    /// Its kind, checked against the clearances.
    pub kind: FlowKind,
    /// Label encodings accepted beside objects.
    pub label_formats: Vec<LabelFormat>,
    /// The label given to unlabelled objects (`None` = unlabelled objects are denied). Under
    /// the source domain's policy.
    pub default_label: Option<DefaultLabel>,
    /// Present exactly on release flows.
    pub release: Option<ReleaseRule>,
    /// Size and type rules.
    pub content: ContentRules,
}

/// A compiled default label: classification and category words under the source policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultLabel {
    /// The classification.
    pub classification: ClassificationId,
    /// Category words in the source policy's layout.
    pub categories: Box<[u64]>,
    /// Its display marking (page top/bottom, English), for audit and output.
    pub marking: Box<str>,
}

/// How two clearances under one policy compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClearanceOrder {
    /// Identical.
    Equal,
    /// The first strictly dominates the second (may hold everything it may, and more).
    Above,
    /// The second strictly dominates the first.
    Below,
    /// Neither dominates (or they are under different policies).
    Incomparable,
}

/// Compares two clearances: `a` dominates `b` when every label `b` may hold, `a` may hold too —
/// its classifications, its restrictive values and its permissive values are supersets of
/// `b`'s (informative values are ignored, as the ACDF ignores them).
pub fn compare_clearances(a: &ValidClearance<'_>, b: &ValidClearance<'_>) -> ClearanceOrder {
    let policy = a.policy();
    if !policy.same_as(b.policy()) {
        return ClearanceOrder::Incomparable;
    }
    let (mut a_has_more, mut b_has_more) = (
        a.class_bits() & !b.class_bits() != 0,
        b.class_bits() & !a.class_bits() != 0,
    );
    for tag in policy.tags() {
        if tag.kind.category_type() == CategoryType::Informative {
            continue;
        }
        let start = usize::from(tag.word_offset);
        let end = start.saturating_add(usize::from(tag.word_count));
        let (Some(x), Some(y)) = (
            a.category_words().get(start..end),
            b.category_words().get(start..end),
        ) else {
            return ClearanceOrder::Incomparable;
        };
        for (x, y) in x.iter().zip(y) {
            a_has_more |= x & !y != 0;
            b_has_more |= y & !x != 0;
        }
    }
    match (a_has_more, b_has_more) {
        (false, false) => ClearanceOrder::Equal,
        (true, false) => ClearanceOrder::Above,
        (false, true) => ClearanceOrder::Below,
        (true, true) => ClearanceOrder::Incomparable,
    }
}

/// Whether `kind` fits the order of the source clearance relative to the destination's.
pub fn kind_fits(kind: FlowKind, source_vs_destination: ClearanceOrder) -> bool {
    matches!(
        (kind, source_vs_destination),
        (FlowKind::Import, ClearanceOrder::Below)
            | (FlowKind::Release, ClearanceOrder::Above)
            | (FlowKind::Peer, ClearanceOrder::Equal)
    )
}
