//! The syntactic label model: what a STANAG 4774 label says, borrowed from its input.
//!
//! Values are `Cow<'input, str>`: borrowed from the document unless a character reference had
//! to be resolved. Nothing here has been checked against a policy; [`super::validate`] does
//! that and produces a [`super::ValidLabel`].

use std::borrow::Cow;

use crate::policy::CategoryType;

/// Which root element a label was read from (ADatP-4774 §1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabelKind {
    /// `originatorConfidentialityLabel`: the originator's label; never overwritten.
    Originator,
    /// `alternativeConfidentialityLabel`: an equivalent label under another policy.
    Alternative,
    /// `metadataConfidentialityLabel`: the label of a metadata set.
    Metadata,
    /// `ConfidentialityLabel`: the legacy name, kept for backwards compatibility.
    Legacy,
}

impl LabelKind {
    /// The root element's local name.
    pub fn element_name(self) -> &'static str {
        match self {
            Self::Originator => "originatorConfidentialityLabel",
            Self::Alternative => "alternativeConfidentialityLabel",
            Self::Metadata => "metadataConfidentialityLabel",
            Self::Legacy => "ConfidentialityLabel",
        }
    }

    pub(crate) fn from_element_name(name: &str) -> Option<Self> {
        [
            Self::Originator,
            Self::Alternative,
            Self::Metadata,
            Self::Legacy,
        ]
        .into_iter()
        .find(|k| k.element_name() == name)
    }
}

/// How strictly a label is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Strictness {
    /// The schema and the ADatP-4774 prose, exactly.
    #[default]
    Strict,
    /// Also the real-world deviations of standards.md §1.10, each reported as a
    /// [`LabelWarning`]: missing `CreationDateTime`, missing `ReviewDateTime`, case variants
    /// of `Type`, `tagName` / `type` attribute spellings, `Classification/@URI`.
    Lenient,
}

/// `PolicyIdentifier`: the policy's name and, optionally, `urn:oid:<policy OID>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyIdentifier<'input> {
    /// The text (the SPIF `securityPolicyId/@name`).
    pub name: Cow<'input, str>,
    /// `@URI`.
    pub uri: Option<Cow<'input, str>>,
}

/// One `Category` element: a tag set and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelCategory<'input> {
    /// `@Type`.
    pub kind: CategoryType,
    /// `@TagName` (the tag set's name).
    pub tag_name: Cow<'input, str>,
    /// `@URI` (`urn:oid:<tag-set OID>`).
    pub uri: Option<Cow<'input, str>>,
    /// The `GenericValue`s in document order.
    pub values: Vec<Cow<'input, str>>,
}

/// `ConfidentialityInformation`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfidentialityInformation<'input> {
    /// `PolicyIdentifier`.
    pub policy: PolicyIdentifier<'input>,
    /// `Classification`.
    pub classification: Cow<'input, str>,
    /// `PrivacyMark`.
    pub privacy_mark: Option<Cow<'input, str>>,
    /// `Category` elements in document order.
    pub categories: Vec<LabelCategory<'input>>,
}

/// `OriginatorID` and its `@IDType`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginatorId<'input> {
    /// `@IDType` (`rfc822Name`, `dNSName`, …).
    pub id_type: Cow<'input, str>,
    /// The identifier.
    pub value: Cow<'input, str>,
}

/// The `IDType` values of ADatP-4774 Table 9.
pub const ORIGINATOR_ID_TYPES: [&str; 8] = [
    "rfc822Name",
    "dNSName",
    "directoryName",
    "uniformResourceIdentifier",
    "iPAddress",
    "x400Address",
    "userPrincipalName",
    "jID",
];

/// Everything of a label except the root's attributes (`ConfidentialityLabelBaseType`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelBody<'input> {
    /// `ConfidentialityInformation`.
    pub information: ConfidentialityInformation<'input>,
    /// `OriginatorID`.
    pub originator_id: Option<OriginatorId<'input>>,
    /// `CreationDateTime` (absent only in lenient reading).
    pub creation: Option<Cow<'input, str>>,
    /// `SuccessionHandling`.
    pub succession: Option<Box<Succession<'input>>>,
}

/// `SuccessionHandling`: the label to use from a date on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Succession<'input> {
    /// `SuccessionDateTime`.
    pub date: Cow<'input, str>,
    /// `SuccessorConfidentialityLabel`.
    pub successor: LabelBody<'input>,
}

/// A STANAG 4774 confidentiality label as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label<'input> {
    /// The root element.
    pub kind: LabelKind,
    /// `@Id`.
    pub id: Option<Cow<'input, str>>,
    /// `@ReviewDateTime`.
    pub review: Option<Cow<'input, str>>,
    /// The content.
    pub body: LabelBody<'input>,
}

impl<'input> Label<'input> {
    /// The body that applies at `at` (ADatP-4774.1 §4.3): the successor label once the
    /// `ReviewDateTime` has passed, or — without a `ReviewDateTime` — once the
    /// `SuccessionDateTime` has passed; otherwise the label's own body. Dates that do not read
    /// keep the label's own body (the reader has already refused them in a read label).
    ///
    /// A guard still treats succession as a policy decision (standards.md §7.3); this only
    /// says which body the label itself designates.
    pub fn effective_body(&self, at: super::Timestamp) -> &LabelBody<'input> {
        let Some(succession) = self.body.succession.as_deref() else {
            return &self.body;
        };
        let passed =
            |value: &str| super::Timestamp::parse_xs_datetime(value).is_some_and(|t| t <= at);
        let due = match self.review.as_deref() {
            Some(review) => passed(review),
            None => passed(&succession.date),
        };
        if due {
            &succession.successor
        } else {
            &self.body
        }
    }

    /// [`LabelWarning::ReviewDatePassed`] when the `ReviewDateTime` is before `at` (the label
    /// stays valid, ADatP-4774 §4.3).
    pub fn review_warning(&self, at: super::Timestamp) -> Option<LabelWarning> {
        let review = super::Timestamp::parse_xs_datetime(self.review.as_deref()?)?;
        (review < at).then_some(LabelWarning::ReviewDatePassed)
    }
}

/// A STANAG 4774 `ConfidentialityClearance` as written (ADatP-4774 App 2, standards.md §1.8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearanceXml<'input> {
    /// `PolicyIdentifier`.
    pub policy: PolicyIdentifier<'input>,
    /// `ClassificationList/Classification`s.
    pub classifications: Vec<Cow<'input, str>>,
    /// `Category` elements.
    pub categories: Vec<LabelCategory<'input>>,
}

/// A deviation tolerated by [`Strictness::Lenient`], or a fact a reviewer should know.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LabelWarning {
    /// No `CreationDateTime` (the schema requires it).
    MissingCreationDateTime,
    /// Neither `ReviewDateTime` nor `SuccessionHandling` (the prose requires one).
    MissingReviewDateTime,
    /// `Type` written in another case (e.g. `Permissive`).
    TypeCase {
        /// As written.
        found: Box<str>,
    },
    /// An attribute spelt `tagName` or `type` instead of `TagName` / `Type`.
    AttributeSpelling {
        /// As written.
        found: &'static str,
    },
    /// `Classification/@URI`, which the prose forbids.
    ClassificationUri,
    /// An obsolete classification, category or privacy mark: readable, not for new labels.
    Obsolete {
        /// Its name.
        name: Box<str>,
    },
    /// The `ReviewDateTime` has passed; the label stays valid (ADatP-4774 §4.3).
    ReviewDatePassed,
    /// Elements or attributes from other namespaces were present and ignored (not trusted).
    ExtensionsIgnored,
}

impl core::fmt::Display for LabelWarning {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::MissingCreationDateTime => f.write_str("CreationDateTime is missing"),
            Self::MissingReviewDateTime => {
                f.write_str("neither ReviewDateTime nor SuccessionHandling is present")
            }
            Self::TypeCase { found } => write!(f, "Type {found:?} is not upper-case"),
            Self::AttributeSpelling { found } => {
                write!(f, "attribute spelt {found:?} instead of the schema form")
            }
            Self::ClassificationUri => f.write_str("Classification/@URI must not be used"),
            Self::Obsolete { name } => write!(f, "{name:?} is obsolete"),
            Self::ReviewDatePassed => f.write_str("the ReviewDateTime has passed"),
            Self::ExtensionsIgnored => {
                f.write_str("foreign-namespace extensions were present and ignored")
            }
        }
    }
}

impl LabelWarning {
    /// A short stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingCreationDateTime => "missing-creation-datetime",
            Self::MissingReviewDateTime => "missing-review-datetime",
            Self::TypeCase { .. } => "type-case",
            Self::AttributeSpelling { .. } => "attribute-spelling",
            Self::ClassificationUri => "classification-uri",
            Self::Obsolete { .. } => "obsolete",
            Self::ReviewDatePassed => "review-date-passed",
            Self::ExtensionsIgnored => "extensions-ignored",
        }
    }
}
