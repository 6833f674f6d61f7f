//! Reading STANAG 4774 XML labels and clearances with the pull reader, zero-copy.
//!
//! Grammar: the ADatP-4774 label schema `version="1.3"` (namespace
//! `urn:nato:stanag:4774:confidentialitymetadatalabel:1:0`) and clearance schema
//! `version="1.2"` (namespace `urn:nato:stanag:4774:confidentialityclearance:1:0`), plus the
//! normative prose rules of ADatP-4774 App 1 ch. 5 (standards.md §1.3, §1.4, §1.8). Element
//! order is the schemas' strict sequence. Elements from other namespaces are skipped where the
//! schema allows them (`##other`, lax) and reported as [`LabelWarning::ExtensionsIgnored`];
//! they are never trusted.

use std::borrow::Cow;

use super::datetime::Timestamp;
use super::error::{LabelError, LabelErrorKind, LabelLimit};
use super::model::{
    ClearanceXml, ConfidentialityInformation, Label, LabelBody, LabelCategory, LabelKind,
    LabelWarning, OriginatorId, PolicyIdentifier, Strictness, Succession, ORIGINATOR_ID_TYPES,
};
use crate::limits::{XmlLimits, MAX_LABEL_XML_BYTES, MAX_LABEL_XML_DEPTH};
use crate::policy::CategoryType;
use crate::xml::{excerpt, Event, NamespaceId, Reader, XML_NAMESPACE};

/// The 4774 label namespace.
pub const LABEL_NAMESPACE: &str = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0";
/// The 4774 clearance namespace.
pub const CLEARANCE_NAMESPACE: &str = "urn:nato:stanag:4774:confidentialityclearance:1:0";

/// Errors are boxed inside the reader so that every `Result` the descent moves stays small.
type Result<T> = core::result::Result<T, Box<LabelError>>;

/// A label and what lenient reading tolerated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadLabel<'input> {
    /// The label.
    pub label: Label<'input>,
    /// Deviations tolerated and facts worth reporting.
    pub warnings: Vec<LabelWarning>,
}

/// Reads a 4774 XML label (any of the four root elements).
///
/// ```
/// use crossguard::label::{read_label_xml, LabelKind, Strictness};
/// let xml = br#"<slab:originatorConfidentialityLabel
///     xmlns:slab="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
///     ReviewDateTime="2035-01-01T00:00:00Z">
///   <slab:ConfidentialityInformation>
///     <slab:PolicyIdentifier>NATO</slab:PolicyIdentifier>
///     <slab:Classification>SECRET</slab:Classification>
///   </slab:ConfidentialityInformation>
///   <slab:CreationDateTime>2025-01-01T12:00:00Z</slab:CreationDateTime>
/// </slab:originatorConfidentialityLabel>"#;
/// let read = read_label_xml(xml, Strictness::Strict)?;
/// assert_eq!(read.label.kind, LabelKind::Originator);
/// assert_eq!(read.label.body.information.classification, "SECRET");
/// # Ok::<(), crossguard::label::LabelError>(())
/// ```
pub fn read_label_xml(
    input: &[u8],
    strictness: Strictness,
) -> core::result::Result<ReadLabel<'_>, LabelError> {
    read_label(input, strictness).map_err(|e| *e)
}

fn read_label(input: &[u8], strictness: Strictness) -> Result<ReadLabel<'_>> {
    let mut parser = Parser::new(input, strictness)?;
    let root = parser.root()?;
    if root.ns != Ns::Label {
        return Err(parser.not_a_label(&root));
    }
    let kind = LabelKind::from_element_name(root.local)
        .filter(|k| *k != LabelKind::Legacy || root.local == "ConfidentialityLabel")
        .ok_or_else(|| parser.not_a_label(&root))?;
    let label = parser.label(kind, &root)?;
    parser.finish()?;
    Ok(ReadLabel {
        label,
        warnings: parser.warnings,
    })
}

/// Reads a 4774 XML `ConfidentialityClearance`.
pub fn read_clearance_xml(input: &[u8]) -> core::result::Result<ClearanceXml<'_>, LabelError> {
    read_clearance(input).map_err(|e| *e)
}

fn read_clearance(input: &[u8]) -> Result<ClearanceXml<'_>> {
    let mut parser = Parser::new(input, Strictness::Strict)?;
    let root = parser.root()?;
    if !(root.ns == Ns::Clearance && root.local == "ConfidentialityClearance") {
        return Err(parser.not_a_label(&root));
    }
    let clearance = parser.clearance(&root)?;
    parser.finish()?;
    Ok(clearance)
}

/// Whether a document's root element is a 4774 clearance (cheap sniff for format detection;
/// the full read decides).
pub fn is_clearance_xml(input: &[u8]) -> bool {
    let Ok(mut parser) = Parser::new(input, Strictness::Strict) else {
        return false;
    };
    parser
        .root()
        .is_ok_and(|r| r.ns == Ns::Clearance && r.local == "ConfidentialityClearance")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ns {
    Label,
    Clearance,
    Other,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AttrNs {
    None,
    /// Qualified with a 4774 namespace: every 4774 attribute is unqualified, so this is never
    /// a schema attribute, and it is not `##other` either.
    Own,
    Xml,
    Other,
}

struct Attr<'i> {
    ns: AttrNs,
    local: &'i str,
    qname: &'i str,
    value: Cow<'i, str>,
}

/// A start tag. Its attributes are `attrs[first..end]` of the parser's append-only attribute
/// list, so that items stay small (they are moved through the one-item look-ahead).
struct Start<'i> {
    ns: Ns,
    ns_id: Option<NamespaceId>,
    local: &'i str,
    first: u32,
    end: u32,
    empty: bool,
    offset: usize,
}

enum Item<'i> {
    Start(Start<'i>),
    End(usize),
    Text(Cow<'i, str>, usize),
    Eof,
}

struct Parser<'i> {
    input: &'i [u8],
    reader: Reader<'i>,
    strictness: Strictness,
    warnings: Vec<LabelWarning>,
    path: Vec<&'i str>,
    /// An item read ahead (one element of look-ahead).
    peeked: Option<Item<'i>>,
    /// The interned ids of the two 4774 namespaces once seen, so that later elements are
    /// classified by an integer comparison.
    label_ns: Option<NamespaceId>,
    clearance_ns: Option<NamespaceId>,
    /// Attributes of every start tag read so far (a label has a few dozen).
    attrs: Vec<Attr<'i>>,
}

impl<'i> Parser<'i> {
    fn new(input: &'i [u8], strictness: Strictness) -> Result<Self> {
        if input.len() > MAX_LABEL_XML_BYTES {
            return Err(Box::new(LabelError::new(
                LabelErrorKind::LimitExceeded(LabelLimit::InputBytes),
                input,
                0,
                String::new(),
            )));
        }
        let limits = XmlLimits {
            max_input_bytes: MAX_LABEL_XML_BYTES,
            max_depth: MAX_LABEL_XML_DEPTH,
            ..XmlLimits::default()
        };
        Ok(Self {
            input,
            reader: Reader::with_limits(input, limits),
            strictness,
            warnings: Vec::new(),
            // A label is four levels deep and has about eight attributes: sized once.
            path: Vec::with_capacity(8),
            peeked: None,
            label_ns: None,
            clearance_ns: None,
            attrs: Vec::with_capacity(16),
        })
    }

    fn path_string(&self) -> String {
        let mut s = String::new();
        for step in &self.path {
            s.push('/');
            s.push_str(step);
        }
        s
    }

    #[cold]
    fn error(&self, kind: LabelErrorKind, offset: usize) -> Box<LabelError> {
        Box::new(LabelError::new(
            kind,
            self.input,
            offset,
            self.path_string(),
        ))
    }

    /// Refuses a further item once `len` items reached `limit`.
    fn room(&self, len: usize, limit: LabelLimit, offset: usize) -> Result<()> {
        if len >= limit.max() {
            return Err(self.error(LabelErrorKind::LimitExceeded(limit), offset));
        }
        Ok(())
    }

    fn warn(&mut self, warning: LabelWarning) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// The next start, end or text item; comments, PIs and the declaration are skipped.
    fn raw_next(&mut self) -> Result<Item<'i>> {
        loop {
            let event = self
                .reader
                .next_event()
                .map_err(|e| Box::new(LabelError::from_xml(e)))?;
            let item = match event {
                None => Item::Eof,
                Some(Event::StartTag(tag)) => {
                    let namespace = tag.namespace();
                    let ns = match tag.namespace_id() {
                        None => Ns::None,
                        Some(id) if Some(id) == self.label_ns => Ns::Label,
                        Some(id) if Some(id) == self.clearance_ns => Ns::Clearance,
                        Some(id) => match namespace {
                            Some(LABEL_NAMESPACE) => {
                                self.label_ns = Some(id);
                                Ns::Label
                            }
                            Some(CLEARANCE_NAMESPACE) => {
                                self.clearance_ns = Some(id);
                                Ns::Clearance
                            }
                            _ => Ns::Other,
                        },
                    };
                    let first = u32::try_from(self.attrs.len()).unwrap_or(u32::MAX);
                    self.attrs.extend(tag.attributes().iter().map(|a| Attr {
                        ns: match tag.attribute_namespace(a) {
                            None => AttrNs::None,
                            Some(XML_NAMESPACE) => AttrNs::Xml,
                            Some(LABEL_NAMESPACE | CLEARANCE_NAMESPACE) => AttrNs::Own,
                            Some(_) => AttrNs::Other,
                        },
                        local: a.name().local(),
                        qname: a.name().as_str(),
                        value: a.value_cow().clone(),
                    }));
                    let end = u32::try_from(self.attrs.len()).unwrap_or(u32::MAX);
                    Item::Start(Start {
                        ns,
                        ns_id: tag.namespace_id(),
                        local: tag.name().local(),
                        first,
                        end,
                        empty: tag.is_empty_element(),
                        offset: tag.offset(),
                    })
                }
                Some(Event::EndTag(end)) => Item::End(end.offset()),
                Some(Event::Text(t) | Event::CData(t)) => {
                    let offset = t.offset();
                    Item::Text(t.into_content(), offset)
                }
                Some(_) => continue,
            };
            return Ok(item);
        }
    }

    fn next(&mut self) -> Result<Item<'i>> {
        match self.peeked.take() {
            Some(item) => Ok(item),
            None => self.raw_next(),
        }
    }

    /// The next start tag or end tag of element-only content; whitespace is skipped, other
    /// text is an error.
    fn next_element(&mut self) -> Result<Item<'i>> {
        loop {
            match self.next()? {
                Item::Text(t, offset) => {
                    if !t.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
                        return Err(self.error(LabelErrorKind::UnexpectedText, offset));
                    }
                }
                item => return Ok(item),
            }
        }
    }

    /// Peeks at the next element of element-only content.
    fn peek_element(&mut self) -> Result<&Item<'i>> {
        if self.peeked.is_none() {
            let item = self.next_element()?;
            self.peeked = Some(item);
        }
        match &self.peeked {
            Some(item) => Ok(item),
            None => Err(self.error(LabelErrorKind::UnexpectedText, 0)),
        }
    }

    fn root(&mut self) -> Result<Start<'i>> {
        match self.next_element()? {
            Item::Start(start) => Ok(start),
            _ => Err(self.error(LabelErrorKind::MissingElement("root element"), 0)),
        }
    }

    fn finish(&mut self) -> Result<()> {
        match self.next_element()? {
            Item::Eof => Ok(()),
            Item::Start(s) => Err(self.unexpected(&s)),
            Item::End(offset) | Item::Text(_, offset) => {
                Err(self.error(LabelErrorKind::UnexpectedText, offset))
            }
        }
    }

    fn expanded(&self, start: &Start<'_>) -> Box<str> {
        let ns = start
            .ns_id
            .map_or("", |id| self.reader.namespaces().name(id));
        if ns.is_empty() {
            excerpt(start.local)
        } else {
            excerpt(&format!("{{{ns}}}{}", start.local))
        }
    }

    #[cold]
    fn not_a_label(&self, start: &Start<'_>) -> Box<LabelError> {
        self.error(
            LabelErrorKind::NotALabel {
                found: self.expanded(start),
            },
            start.offset,
        )
    }

    #[cold]
    fn unexpected(&self, start: &Start<'_>) -> Box<LabelError> {
        self.error(
            LabelErrorKind::UnexpectedElement {
                found: self.expanded(start),
            },
            start.offset,
        )
    }

    fn enter(&mut self, start: &Start<'i>) {
        self.path.push(start.local);
    }

    fn leave(&mut self) {
        self.path.pop();
    }

    /// Skips the rest of an element whose start was just read (lax extension content).
    fn skip(&mut self, start: &Start<'i>) -> Result<()> {
        if start.empty {
            // The reader reports an end for empty elements too.
        }
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                Item::Start(_) => depth = depth.saturating_add(1),
                Item::End(_) => depth = depth.saturating_sub(1),
                Item::Text(..) => {}
                Item::Eof => return Err(self.error(LabelErrorKind::UnexpectedText, 0)),
            }
        }
        Ok(())
    }

    /// The text content of a simple element whose start was just read; ends after its end.
    fn text(&mut self, start: &Start<'i>) -> Result<Cow<'i, str>> {
        let mut value: Option<Cow<'i, str>> = None;
        loop {
            match self.next()? {
                Item::Text(t, _) => {
                    value = Some(match value {
                        None => t,
                        Some(v) => Cow::Owned(format!("{v}{t}")),
                    });
                }
                Item::End(_) => return Ok(value.unwrap_or(Cow::Borrowed(""))),
                Item::Start(s) => return Err(self.error(LabelErrorKind::UnexpectedText, s.offset)),
                Item::Eof => return Err(self.error(LabelErrorKind::UnexpectedText, start.offset)),
            }
        }
    }

    /// Checks attributes: unqualified ones must be in `allowed`; foreign-namespace ones are
    /// allowed where `foreign` and reported; `xml:*` are ignored like foreign ones.
    fn check_attributes(
        &mut self,
        start: &Start<'i>,
        allowed: &[&str],
        foreign: bool,
    ) -> Result<()> {
        let mut extensions = false;
        for a in self.attributes_of(start) {
            match a.ns {
                AttrNs::None if allowed.contains(&a.local) => {}
                AttrNs::Xml | AttrNs::Other if foreign => extensions = true,
                _ => {
                    return Err(self.error(
                        LabelErrorKind::UnexpectedAttribute(excerpt(a.qname)),
                        start.offset,
                    ))
                }
            }
        }
        if extensions {
            self.warn(LabelWarning::ExtensionsIgnored);
        }
        Ok(())
    }

    fn attributes_of(&self, start: &Start<'i>) -> &[Attr<'i>] {
        let range = usize::try_from(start.first).unwrap_or(usize::MAX)
            ..usize::try_from(start.end).unwrap_or(0);
        self.attrs.get(range).unwrap_or_default()
    }

    fn attribute(&self, start: &Start<'i>, name: &str) -> Option<Cow<'i, str>> {
        self.attributes_of(start)
            .iter()
            .find(|a| a.ns == AttrNs::None && a.local == name)
            .map(|a| a.value.clone())
    }

    fn datetime(&self, field: &'static str, value: &str, offset: usize) -> Result<()> {
        if Timestamp::parse_xs_datetime(value).is_none() {
            return Err(self.error(
                LabelErrorKind::InvalidValue {
                    field,
                    value: excerpt(value),
                    expected: "an xs:dateTime",
                },
                offset,
            ));
        }
        Ok(())
    }

    /// Expects a start tag in namespace `ns` called `local`.
    fn expect(&mut self, ns: Ns, local: &'static str, offset: usize) -> Result<Start<'i>> {
        match self.next_element()? {
            Item::Start(s) if s.ns == ns && s.local == local => Ok(s),
            Item::Start(s) => Err(self.unexpected(&s)),
            Item::End(o) => Err(self.error(LabelErrorKind::MissingElement(local), o)),
            _ => Err(self.error(LabelErrorKind::MissingElement(local), offset)),
        }
    }

    /// Whether the next element is `ns:local` (without consuming it).
    fn next_is(&mut self, ns: Ns, local: &str) -> Result<bool> {
        Ok(matches!(self.peek_element()?, Item::Start(s) if s.ns == ns && s.local == local))
    }

    /// Skips foreign-namespace siblings (lax `##other`) until an end tag or a 4774 element.
    fn skip_foreign(&mut self) -> Result<()> {
        loop {
            let foreign = matches!(self.peek_element()?, Item::Start(s) if s.ns == Ns::Other);
            if !foreign {
                return Ok(());
            }
            if let Item::Start(s) = self.next_element()? {
                self.warn(LabelWarning::ExtensionsIgnored);
                self.skip(&s)?;
            }
        }
    }

    fn expect_end(&mut self) -> Result<()> {
        match self.next_element()? {
            Item::End(_) => Ok(()),
            Item::Start(s) => Err(self.unexpected(&s)),
            _ => Err(self.error(LabelErrorKind::UnexpectedText, 0)),
        }
    }

    fn label(&mut self, kind: LabelKind, root: &Start<'i>) -> Result<Label<'i>> {
        self.enter(root);
        self.check_attributes(root, &["Id", "ReviewDateTime"], true)?;
        let review = self.attribute(root, "ReviewDateTime");
        if let Some(r) = &review {
            self.datetime("ReviewDateTime", r, root.offset)?;
        }
        let body = self.body(root)?;
        if review.is_none() && body.succession.is_none() {
            if self.strictness == Strictness::Strict {
                return Err(self.error(LabelErrorKind::MissingReviewOrSuccession, root.offset));
            }
            self.warn(LabelWarning::MissingReviewDateTime);
        }
        self.leave();
        Ok(Label {
            kind,
            id: self.attribute(root, "Id"),
            review,
            body,
        })
    }

    /// `ConfidentialityLabelBaseType` content, through the parent's end tag.
    fn body(&mut self, parent: &Start<'i>) -> Result<LabelBody<'i>> {
        let start = self.expect(Ns::Label, "ConfidentialityInformation", parent.offset)?;
        let information = self.information(&start)?;
        let mut originator_id = None;
        if self.next_is(Ns::Label, "OriginatorID")? {
            let start = self.expect(Ns::Label, "OriginatorID", parent.offset)?;
            self.enter(&start);
            self.check_attributes(&start, &["IDType"], false)?;
            let id_type = self.attribute(&start, "IDType").ok_or_else(|| {
                self.error(LabelErrorKind::MissingAttribute("IDType"), start.offset)
            })?;
            if !ORIGINATOR_ID_TYPES.contains(&id_type.as_ref()) {
                return Err(self.error(
                    LabelErrorKind::InvalidValue {
                        field: "IDType",
                        value: excerpt(&id_type),
                        expected: "an ADatP-4774 Table 9 identifier type",
                    },
                    start.offset,
                ));
            }
            let value = self.text(&start)?;
            self.leave();
            originator_id = Some(OriginatorId { id_type, value });
        }
        let mut creation = None;
        if self.next_is(Ns::Label, "CreationDateTime")? {
            let start = self.expect(Ns::Label, "CreationDateTime", parent.offset)?;
            self.enter(&start);
            self.check_attributes(&start, &[], false)?;
            let value = self.text(&start)?;
            self.datetime("CreationDateTime", &value, start.offset)?;
            self.leave();
            creation = Some(value);
        } else if self.strictness == Strictness::Strict {
            let offset = match self.peek_element()? {
                Item::Start(s) => s.offset,
                Item::End(o) | Item::Text(_, o) => *o,
                Item::Eof => 0,
            };
            return Err(self.error(LabelErrorKind::MissingElement("CreationDateTime"), offset));
        } else {
            self.warn(LabelWarning::MissingCreationDateTime);
        }
        let mut succession = None;
        if self.next_is(Ns::Label, "SuccessionHandling")? {
            let start = self.expect(Ns::Label, "SuccessionHandling", parent.offset)?;
            succession = Some(Box::new(self.succession(&start)?));
        }
        self.skip_foreign()?;
        self.expect_end()?;
        Ok(LabelBody {
            information,
            originator_id,
            creation,
            succession,
        })
    }

    fn succession(&mut self, start: &Start<'i>) -> Result<Succession<'i>> {
        self.enter(start);
        if self.path.len() > MAX_LABEL_XML_DEPTH {
            return Err(self.error(
                LabelErrorKind::LimitExceeded(LabelLimit::Depth),
                start.offset,
            ));
        }
        self.check_attributes(start, &[], false)?;
        let date_start = self.expect(Ns::Label, "SuccessionDateTime", start.offset)?;
        self.enter(&date_start);
        let date = self.text(&date_start)?;
        self.datetime("SuccessionDateTime", &date, date_start.offset)?;
        self.leave();
        let successor_start =
            self.expect(Ns::Label, "SuccessorConfidentialityLabel", start.offset)?;
        self.enter(&successor_start);
        self.check_attributes(&successor_start, &[], true)?;
        let successor = self.body(&successor_start)?;
        self.leave();
        // `any` element, any namespace, skip.
        loop {
            match self.next_element()? {
                Item::Start(s) => {
                    self.warn(LabelWarning::ExtensionsIgnored);
                    self.skip(&s)?;
                }
                Item::End(_) => break,
                _ => return Err(self.error(LabelErrorKind::UnexpectedText, start.offset)),
            }
        }
        self.leave();
        Ok(Succession { date, successor })
    }

    fn policy_identifier(&mut self, start: &Start<'i>) -> Result<PolicyIdentifier<'i>> {
        self.enter(start);
        self.check_attributes(start, &["URI"], true)?;
        let uri = self.attribute(start, "URI");
        let name = self.text(start)?;
        if name.trim().is_empty() {
            return Err(self.error(
                LabelErrorKind::InvalidValue {
                    field: "PolicyIdentifier",
                    value: excerpt(&name),
                    expected: "a non-empty token",
                },
                start.offset,
            ));
        }
        self.leave();
        Ok(PolicyIdentifier {
            name: collapse(name),
            uri,
        })
    }

    fn information(&mut self, start: &Start<'i>) -> Result<ConfidentialityInformation<'i>> {
        self.enter(start);
        self.check_attributes(start, &[], true)?;
        let policy_start = self.expect(Ns::Label, "PolicyIdentifier", start.offset)?;
        let policy = self.policy_identifier(&policy_start)?;
        let class_start = self.expect(Ns::Label, "Classification", start.offset)?;
        self.enter(&class_start);
        self.check_attributes(&class_start, &["URI"], true)?;
        if self.attribute(&class_start, "URI").is_some() {
            if self.strictness == Strictness::Strict {
                return Err(self.error(LabelErrorKind::ClassificationUri, class_start.offset));
            }
            self.warn(LabelWarning::ClassificationUri);
        }
        let classification = collapse(self.text(&class_start)?);
        if classification.is_empty() {
            return Err(self.error(
                LabelErrorKind::InvalidValue {
                    field: "Classification",
                    value: Box::from(""),
                    expected: "a non-empty token",
                },
                class_start.offset,
            ));
        }
        self.leave();
        let mut privacy_mark = None;
        if self.next_is(Ns::Label, "PrivacyMark")? {
            let s = self.expect(Ns::Label, "PrivacyMark", start.offset)?;
            self.enter(&s);
            self.check_attributes(&s, &[], true)?;
            privacy_mark = Some(self.text(&s)?);
            self.leave();
        }
        let mut categories = Vec::new();
        while self.next_is(Ns::Label, "Category")? {
            let s = self.expect(Ns::Label, "Category", start.offset)?;
            self.room(categories.len(), LabelLimit::Categories, s.offset)?;
            categories.push(self.category(&s)?);
        }
        self.skip_foreign()?;
        self.expect_end()?;
        self.leave();
        Ok(ConfidentialityInformation {
            policy,
            classification,
            privacy_mark,
            categories,
        })
    }

    fn category(&mut self, start: &Start<'i>) -> Result<LabelCategory<'i>> {
        self.enter(start);
        let lenient = self.strictness == Strictness::Lenient;
        let allowed: &[&str] = if lenient {
            &["Type", "TagName", "URI", "type", "tagName"]
        } else {
            &["Type", "TagName", "URI"]
        };
        self.check_attributes(start, allowed, true)?;
        let kind_text = self.spelt(start, "Type", "type")?;
        let kind = match CategoryType::from_label_name(&kind_text) {
            Some(k) => k,
            None => {
                let upper = kind_text.to_ascii_uppercase();
                match CategoryType::from_label_name(&upper) {
                    Some(k) if lenient => {
                        self.warn(LabelWarning::TypeCase {
                            found: excerpt(&kind_text),
                        });
                        k
                    }
                    _ => {
                        return Err(self.error(
                            LabelErrorKind::InvalidValue {
                                field: "Type",
                                value: excerpt(&kind_text),
                                expected: "RESTRICTIVE, PERMISSIVE or INFORMATIVE",
                            },
                            start.offset,
                        ))
                    }
                }
            }
        };
        let tag_name = self.spelt(start, "TagName", "tagName")?;
        let mut values = Vec::new();
        loop {
            match self.next_element()? {
                Item::Start(s) if s.ns == Ns::Label && s.local == "GenericValue" => {
                    self.room(values.len(), LabelLimit::CategoryValues, s.offset)?;
                    self.enter(&s);
                    self.check_attributes(&s, &[], false)?;
                    values.push(self.text(&s)?);
                    self.leave();
                }
                Item::Start(s) if s.ns == Ns::Label && s.local == "IntegerValue" => {
                    return Err(self.error(
                        LabelErrorKind::ForbiddenValueElement("IntegerValue"),
                        s.offset,
                    ))
                }
                Item::Start(s) if s.ns == Ns::Label && s.local == "BitStringValue" => {
                    return Err(self.error(
                        LabelErrorKind::ForbiddenValueElement("BitStringValue"),
                        s.offset,
                    ))
                }
                Item::Start(s) => return Err(self.unexpected(&s)),
                Item::End(_) => break,
                _ => return Err(self.error(LabelErrorKind::UnexpectedText, start.offset)),
            }
        }
        self.leave();
        Ok(LabelCategory {
            kind,
            tag_name,
            uri: self.attribute(start, "URI"),
            values,
        })
    }

    /// An attribute with its schema spelling, or (lenient) its published misspelling.
    fn spelt(
        &mut self,
        start: &Start<'i>,
        schema: &'static str,
        variant: &'static str,
    ) -> Result<Cow<'i, str>> {
        let proper = self.attribute(start, schema);
        let other = if self.strictness == Strictness::Lenient {
            self.attribute(start, variant)
        } else {
            None
        };
        match (proper, other) {
            (Some(v), None) => Ok(v),
            (None, Some(v)) => {
                self.warn(LabelWarning::AttributeSpelling { found: variant });
                Ok(v)
            }
            (Some(_), Some(_)) => Err(self.error(
                LabelErrorKind::UnexpectedAttribute(Box::from(variant)),
                start.offset,
            )),
            (None, None) => Err(self.error(LabelErrorKind::MissingAttribute(schema), start.offset)),
        }
    }

    fn clearance(&mut self, root: &Start<'i>) -> Result<ClearanceXml<'i>> {
        self.enter(root);
        self.check_attributes(root, &[], true)?;
        let policy_start = self.expect(Ns::Label, "PolicyIdentifier", root.offset)?;
        let policy = self.policy_identifier(&policy_start)?;
        let list = self.expect(Ns::Clearance, "ClassificationList", root.offset)?;
        self.enter(&list);
        self.check_attributes(&list, &[], true)?;
        let mut classifications = Vec::new();
        loop {
            match self.next_element()? {
                Item::Start(s) if s.ns == Ns::Label && s.local == "Classification" => {
                    self.room(classifications.len(), LabelLimit::Classifications, s.offset)?;
                    self.enter(&s);
                    self.check_attributes(&s, &[], true)?;
                    classifications.push(collapse(self.text(&s)?));
                    self.leave();
                }
                Item::Start(s)
                    if s.ns == Ns::Clearance
                        && s.local == "ConfidentialityClearanceExtensions"
                        && !classifications.is_empty() =>
                {
                    // At most one, after the classifications.
                    self.warn(LabelWarning::ExtensionsIgnored);
                    self.skip(&s)?;
                    self.expect_end()?;
                    break;
                }
                Item::Start(s) => return Err(self.unexpected(&s)),
                Item::End(_) => break,
                _ => return Err(self.error(LabelErrorKind::UnexpectedText, list.offset)),
            }
        }
        if classifications.is_empty() {
            return Err(self.error(
                LabelErrorKind::MissingElement("Classification"),
                list.offset,
            ));
        }
        self.leave();
        let mut categories = Vec::new();
        loop {
            match self.next_element()? {
                Item::Start(s) if s.ns == Ns::Label && s.local == "Category" => {
                    self.room(categories.len(), LabelLimit::Categories, s.offset)?;
                    categories.push(self.category(&s)?);
                }
                Item::Start(s)
                    if s.ns == Ns::Clearance && s.local == "ConfidentialityClearanceExtensions" =>
                {
                    self.warn(LabelWarning::ExtensionsIgnored);
                    self.skip(&s)?;
                    self.expect_end()?;
                    break;
                }
                Item::Start(s) => return Err(self.unexpected(&s)),
                Item::End(_) => break,
                _ => return Err(self.error(LabelErrorKind::UnexpectedText, root.offset)),
            }
        }
        self.leave();
        Ok(ClearanceXml {
            policy,
            classifications,
            categories,
        })
    }
}

/// `xs:token` value space: leading and trailing whitespace removed and inner runs collapsed
/// to one space; borrowed unless something had to change.
fn collapse(value: Cow<'_, str>) -> Cow<'_, str> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let needs_change = value.starts_with(is_space)
        || value.ends_with(is_space)
        || value.contains(['\t', '\n', '\r'])
        || value.contains("  ");
    if !needs_change {
        return value;
    }
    let collapsed = value
        .split(is_space)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Cow::Owned(collapsed)
}
