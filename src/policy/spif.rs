//! Compiling an Open XML SPIF document into a [`Policy`].
//!
//! Grammar: the Open XML SPIF 2.1 schema (namespace `http://www.xmlspif.org/spif`), and the
//! 2.0 and 1.0 subsets, as summarised in standards.md §3.2. Child order is the schema's strict
//! sequence; unknown elements and attributes are errors (only `SPIF` itself takes foreign
//! attributes, and only `extensions` takes foreign content). After the structure, the
//! A4774.1 §3.4 consistency checks run: unique names, lacvs, hierarchies, colours and
//! identifiers, and every reference (`excludedClass`, `requiredClass`, `tagSetRef` + `lacv`,
//! `policyRef`) resolves.
//!
//! Two passes: the first reads the tree into raw records that borrow the document, the second
//! sorts classifications by `hierarchy`, lays out category bits and resolves references.

use super::equivalence::{
    Applied, EquivalentCategory, EquivalentClassification, EquivalentPolicy, EquivalentTagSet,
};
use super::error::PolicyWarningKind;
use super::error::{element_path, PolicyError, PolicyErrorKind, PolicyLimit, PolicyWarning};
use super::marking::{MarkingCode, MarkingCodes, MarkingData, MarkingQualifier, Markings};
use super::marking::{Qualifier, QualifierKind};
use super::model::{
    Category, CategoryId, Classification, ClassificationId, Lacv, PrivacyMark, Tag, TagId, TagKind,
    TagSet, TagSetId,
};
use super::rules::{CategoryMask, Operation, RequiredCategory};
use super::{DefaultPolicy, Oid, Policy, SchemaVersion};
use crate::limits::{
    XmlLimits, MAX_POLICY_CATEGORIES, MAX_POLICY_CLASSIFICATIONS, MAX_POLICY_RULES,
    MAX_POLICY_RULE_MEMBERS, MAX_POLICY_TAGS, MAX_SPIF_INPUT_BYTES,
};
use crate::xml::{excerpt, line_and_column, Document, Node, NodeType, XML_NAMESPACE};

/// The Open XML SPIF namespace.
pub const SPIF_NAMESPACE: &str = "http://www.xmlspif.org/spif";

type Result<T> = core::result::Result<T, PolicyError>;

/// Compiles a SPIF document.
pub(super) fn compile(input: &[u8]) -> Result<Policy> {
    if input.len() > MAX_SPIF_INPUT_BYTES {
        return Err(PolicyError::at_start(PolicyErrorKind::LimitExceeded(
            PolicyLimit::InputBytes,
        )));
    }
    let limits = XmlLimits {
        max_input_bytes: MAX_SPIF_INPUT_BYTES,
        ..XmlLimits::default()
    };
    let document = Document::parse_with_limits(input, limits)
        .map_err(|e| PolicyError::at_start(PolicyErrorKind::Xml(e)))?;
    let mut compiler = Compiler {
        input,
        rules: 0,
        rule_members: core::cell::Cell::new(0),
        policy_names: std::collections::HashMap::new(),
        warnings: Vec::new(),
    };
    let raw = compiler.read(document.root())?;
    compiler.resolve(raw)
}

struct Compiler<'a> {
    input: &'a [u8],
    rules: usize,
    /// Compiled rule storage so far (ids + mask words), see `MAX_POLICY_RULE_MEMBERS`.
    rule_members: core::cell::Cell<usize>,
    /// Equivalent policies by name, for `policyRef`.
    policy_names: std::collections::HashMap<Box<str>, usize>,
    warnings: Vec<PolicyWarning>,
}

#[derive(Clone, Copy)]
enum Occurs {
    One,
    Optional,
    Many,
    OneOrMore,
}

impl Occurs {
    fn min(self) -> usize {
        match self {
            Self::One | Self::OneOrMore => 1,
            Self::Optional | Self::Many => 0,
        }
    }

    fn max(self) -> usize {
        match self {
            Self::One | Self::Optional => 1,
            Self::Many | Self::OneOrMore => usize::MAX,
        }
    }
}

type Spec = [(&'static str, Occurs)];

// ---- raw records (first pass) ----------------------------------------------------------------

struct RawSelector<'d, 'i> {
    node: Node<'d, 'i>,
    tag_set: &'d str,
    tag_type: Option<&'d str>,
    enum_type: Option<&'d str>,
    /// `None` for `all="true"`.
    lacv: Option<Lacv>,
}

struct RawRequired<'d, 'i> {
    operation: Operation,
    groups: Vec<RawSelector<'d, 'i>>,
}

struct RawEquivalentClassification<'d, 'i> {
    node: Node<'d, 'i>,
    policy_ref: &'d str,
    lacv: u32,
    applied: Applied,
    required: Vec<RawRequired<'d, 'i>>,
}

struct RawClassification<'d, 'i> {
    node: Node<'d, 'i>,
    name: &'d str,
    lacv: u32,
    hierarchy: i64,
    color: Option<&'d str>,
    obsolete: bool,
    equivalents: Vec<RawEquivalentClassification<'d, 'i>>,
    markings: Markings,
    required: Vec<RawRequired<'d, 'i>>,
}

struct RawEquivalentCategory<'d, 'i> {
    node: Node<'d, 'i>,
    policy_ref: &'d str,
    tag_set_id: Option<Oid>,
    tag_type: Option<&'d str>,
    enum_type: Option<&'d str>,
    lacv: Option<u32>,
    applied: Applied,
    discard: bool,
}

struct RawCategory<'d, 'i> {
    node: Node<'d, 'i>,
    name: &'d str,
    lacv: Lacv,
    obsolete: bool,
    required_class: Option<&'d str>,
    excluded_classes: Vec<(Node<'d, 'i>, &'d str)>,
    required: Vec<RawRequired<'d, 'i>>,
    excluded: Vec<RawSelector<'d, 'i>>,
    equivalents: Vec<RawEquivalentCategory<'d, 'i>>,
    markings: Markings,
    not_before: Option<&'d str>,
    not_after: Option<&'d str>,
}

struct RawTag<'d, 'i> {
    node: Node<'d, 'i>,
    name: Option<&'d str>,
    kind: TagKind,
    single_selection: bool,
    max_selection: Option<u32>,
    min_selection: Option<u32>,
    categories: Vec<RawCategory<'d, 'i>>,
    markings: Markings,
}

struct RawEquivalentTagSet<'d, 'i> {
    node: Node<'d, 'i>,
    policy_ref: &'d str,
    name: Option<&'d str>,
    id: Option<Oid>,
}

struct RawTagSet<'d, 'i> {
    node: Node<'d, 'i>,
    name: &'d str,
    id: Oid,
    tags: Vec<RawTag<'d, 'i>>,
    equivalents: Vec<RawEquivalentTagSet<'d, 'i>>,
}

struct RawEquivalentPolicy<'d, 'i> {
    node: Node<'d, 'i>,
    name: &'d str,
    id: Oid,
    required: Vec<RawRequired<'d, 'i>>,
}

struct RawPrivacyMark<'d, 'i> {
    node: Node<'d, 'i>,
    name: &'d str,
    obsolete: bool,
    markings: Markings,
}

struct RawPolicy<'d, 'i> {
    header: Header,
    default_policy: Option<DefaultPolicy>,
    name: Box<str>,
    id: Oid,
    classifications: Vec<RawClassification<'d, 'i>>,
    classification_markings: Markings,
    tag_sets: Vec<RawTagSet<'d, 'i>>,
    privacy_marks: Vec<RawPrivacyMark<'d, 'i>>,
    privacy_selection: (Option<u32>, Option<u32>),
    privacy_markings: Markings,
    equivalent_policies: Vec<RawEquivalentPolicy<'d, 'i>>,
    markings: Markings,
}

struct Header {
    schema_version: SchemaVersion,
    version: i64,
    creation_date: Box<str>,
    originator_dn: Box<str>,
    key_identifier: Option<Box<str>>,
    privilege_id: Oid,
    rbac_id: Option<Oid>,
    not_before: Option<Box<str>>,
    not_after: Option<Box<str>>,
}

// ---- first pass ------------------------------------------------------------------------------

impl<'a> Compiler<'a> {
    fn error(&self, kind: PolicyErrorKind, node: Node<'_, '_>) -> PolicyError {
        PolicyError::at(kind, self.input, node)
    }

    fn count_rule(&mut self, node: Node<'_, '_>) -> Result<()> {
        self.rules = self.rules.saturating_add(1);
        if self.rules > MAX_POLICY_RULES {
            return Err(self.error(PolicyErrorKind::LimitExceeded(PolicyLimit::Rules), node));
        }
        Ok(())
    }

    /// The element children of `parent`, matched against a schema sequence: returns each
    /// child with the index of its spec entry. Whitespace text, comments and PIs are skipped.
    fn sequence<'d, 'i>(
        &self,
        parent: Node<'d, 'i>,
        spec: &Spec,
    ) -> Result<Vec<(usize, Node<'d, 'i>)>> {
        let mut out = Vec::new();
        let mut pos = 0usize;
        let mut count = 0usize;
        for child in parent.children() {
            match child.node_type() {
                NodeType::Text => {
                    if !child.text().unwrap_or("").bytes().all(is_xml_space) {
                        return Err(self.error(PolicyErrorKind::UnexpectedText, parent));
                    }
                    continue;
                }
                NodeType::Element => {}
                _ => continue,
            }
            let unexpected = || {
                self.error(
                    PolicyErrorKind::UnexpectedElement {
                        found: expanded_name(child),
                    },
                    child,
                )
            };
            if child.namespace() != Some(SPIF_NAMESPACE) {
                return Err(unexpected());
            }
            let local = child.local_name().unwrap_or("");
            loop {
                let Some((name, occurs)) = spec.get(pos) else {
                    return Err(unexpected());
                };
                if *name == local {
                    if count >= occurs.max() {
                        return Err(unexpected());
                    }
                    count = count.saturating_add(1);
                    out.push((pos, child));
                    break;
                }
                if count < occurs.min() {
                    // The required element comes later in the document: this one is out of
                    // order. Otherwise the required one is missing.
                    let later = parent.child_elements().skip_while(|c| c.id() != child.id());
                    let comes_later = later
                        .filter(|c| c.namespace() == Some(SPIF_NAMESPACE))
                        .any(|c| c.local_name() == Some(name));
                    if comes_later || !spec.iter().skip(pos).any(|(n, _)| *n == local) {
                        return Err(unexpected());
                    }
                    return Err(self.error(PolicyErrorKind::MissingElement(name), child));
                }
                pos = pos.saturating_add(1);
                count = 0;
            }
        }
        for (name, occurs) in spec.iter().skip(pos) {
            if count < occurs.min() {
                return Err(self.error(PolicyErrorKind::MissingElement(name), parent));
            }
            count = 0;
        }
        Ok(out)
    }

    /// Checks that every attribute of `node` is allowed: unqualified ones must be listed,
    /// `xml:lang` only where `lang` is true, others only where `foreign` is true.
    fn check_attributes(
        &self,
        node: Node<'_, '_>,
        allowed: &[&str],
        lang: bool,
        foreign: bool,
    ) -> Result<()> {
        for attribute in node.attributes() {
            let local = attribute.name().local();
            let ok = match attribute.namespace() {
                None => allowed.contains(&local),
                Some(XML_NAMESPACE) => (lang && local == "lang") || foreign,
                Some(_) => foreign,
            };
            if !ok {
                return Err(self.error(
                    PolicyErrorKind::UnexpectedAttribute(attribute.name().as_str().into()),
                    node,
                ));
            }
        }
        Ok(())
    }

    fn required<'d>(&self, node: Node<'d, '_>, name: &'static str) -> Result<&'d str> {
        node.attribute(None, name)
            .ok_or_else(|| self.error(PolicyErrorKind::MissingAttribute(name), node))
    }

    fn invalid(
        &self,
        node: Node<'_, '_>,
        attribute: &'static str,
        value: &str,
        expected: &'static str,
    ) -> PolicyError {
        self.error(
            PolicyErrorKind::InvalidValue {
                attribute,
                value: excerpt(value),
                expected,
            },
            node,
        )
    }

    fn boolean(&self, node: Node<'_, '_>, name: &'static str) -> Result<bool> {
        match node.attribute(None, name).map(trim_xml_space) {
            None | Some("false" | "0") => Ok(false),
            Some("true" | "1") => Ok(true),
            Some(v) => Err(self.invalid(node, name, v, "an xs:boolean")),
        }
    }

    fn integer(&self, node: Node<'_, '_>, name: &'static str, value: &str) -> Result<i64> {
        parse_integer(value).ok_or_else(|| self.invalid(node, name, value, "an xs:integer"))
    }

    fn unsigned(&self, node: Node<'_, '_>, name: &'static str, value: &str) -> Result<u32> {
        parse_integer(value)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| self.invalid(node, name, value, "an integer from 0 to 4294967295"))
    }

    fn optional_unsigned(&self, node: Node<'_, '_>, name: &'static str) -> Result<Option<u32>> {
        node.attribute(None, name)
            .map(|v| self.unsigned(node, name, v))
            .transpose()
    }

    fn oid(&self, node: Node<'_, '_>, name: &'static str, value: &str) -> Result<Oid> {
        Oid::from_dotted(trim_xml_space(value))
            .map_err(|_| self.invalid(node, name, value, "a dotted object identifier"))
    }

    fn read<'d, 'i>(&mut self, root: Node<'d, 'i>) -> Result<RawPolicy<'d, 'i>> {
        if !root.has_name(Some(SPIF_NAMESPACE), "SPIF") {
            return Err(self.error(
                PolicyErrorKind::NotASpif {
                    found: expanded_name(root),
                },
                root,
            ));
        }
        let header = self.header(root)?;
        let children = self.sequence(
            root,
            &[
                ("defaultSecurityPolicyId", Occurs::Optional),
                ("securityPolicyId", Occurs::One),
                ("updateInfo", Occurs::Optional),
                ("securityClassifications", Occurs::One),
                ("securityCategoryTagSets", Occurs::Optional),
                ("privacyMarks", Occurs::Optional),
                ("equivalentPolicies", Occurs::Optional),
                ("markingData", Occurs::Many),
                ("markingQualifier", Occurs::Many),
                ("extensions", Occurs::Optional),
            ],
        )?;
        let mut raw = RawPolicy {
            header,
            default_policy: None,
            name: Box::from(""),
            id: Oid::from_dotted("0.0").map_err(|_| self.invalid(root, "id", "0.0", "an OID"))?,
            classifications: Vec::new(),
            classification_markings: Markings::default(),
            tag_sets: Vec::new(),
            privacy_marks: Vec::new(),
            privacy_selection: (None, None),
            privacy_markings: Markings::default(),
            equivalent_policies: Vec::new(),
            markings: Markings::default(),
        };
        for (index, child) in children {
            match index {
                0 => raw.default_policy = Some(self.default_policy(child)?),
                1 => {
                    self.check_attributes(child, &["name", "id"], false, false)?;
                    self.sequence(child, &[])?;
                    raw.name = self.required(child, "name")?.into();
                    raw.id = self.oid(child, "id", self.required(child, "id")?)?;
                }
                2 => {}
                3 => self.classifications(child, &mut raw)?,
                4 => {
                    self.check_attributes(child, &[], false, false)?;
                    for (_, set) in
                        self.sequence(child, &[("securityCategoryTagSet", Occurs::OneOrMore)])?
                    {
                        let set = self.tag_set(set)?;
                        raw.tag_sets.push(set);
                    }
                }
                5 => self.privacy_marks(child, &mut raw)?,
                6 => {
                    self.check_attributes(child, &[], false, false)?;
                    for (_, p) in
                        self.sequence(child, &[("equivalentPolicy", Occurs::OneOrMore)])?
                    {
                        let p = self.equivalent_policy(p)?;
                        raw.equivalent_policies.push(p);
                    }
                }
                7 => raw.markings.data.push(self.marking_data(child)?),
                8 => raw.markings.qualifiers.push(self.marking_qualifier(child)?),
                _ => {} // extensions: foreign content, lax
            }
        }
        Ok(raw)
    }

    fn header(&self, root: Node<'_, '_>) -> Result<Header> {
        self.check_attributes(
            root,
            &[
                "schemaVersion",
                "version",
                "creationDate",
                "originatorDN",
                "keyIdentifier",
                "privilegeId",
                "rbacId",
                "userRefURI",
                "docRefURI",
                "notBefore",
                "notAfter",
            ],
            true,
            true,
        )?;
        let version_text = self.required(root, "schemaVersion")?;
        let schema_version = match trim_xml_space(version_text) {
            "1.0" => SchemaVersion::V1_0,
            "2.0" => SchemaVersion::V2_0,
            "2.1" => SchemaVersion::V2_1,
            other => {
                return Err(self.error(
                    PolicyErrorKind::UnsupportedSchemaVersion(excerpt(other)),
                    root,
                ))
            }
        };
        let version = match root.attribute(None, "version") {
            Some(v) => self.integer(root, "version", v)?,
            None => 1,
        };
        let v2 = schema_version != SchemaVersion::V1_0;
        let key_identifier = match root.attribute(None, "keyIdentifier") {
            Some(k) => Some(k.into()),
            None if v2 => {
                return Err(self.error(PolicyErrorKind::MissingAttribute("keyIdentifier"), root))
            }
            None => None,
        };
        let rbac_id = match root.attribute(None, "rbacId") {
            Some(r) => Some(self.oid(root, "rbacId", r)?),
            None if v2 => return Err(self.error(PolicyErrorKind::MissingAttribute("rbacId"), root)),
            None => None,
        };
        Ok(Header {
            schema_version,
            version,
            creation_date: self.required(root, "creationDate")?.into(),
            originator_dn: self.required(root, "originatorDN")?.into(),
            key_identifier,
            privilege_id: self.oid(root, "privilegeId", self.required(root, "privilegeId")?)?,
            rbac_id,
            not_before: root.attribute(None, "notBefore").map(Into::into),
            not_after: root.attribute(None, "notAfter").map(Into::into),
        })
    }

    fn default_policy(&mut self, node: Node<'_, '_>) -> Result<DefaultPolicy> {
        self.check_attributes(node, &["name", "id"], false, false)?;
        let mut markings = Markings::default();
        self.markings_only(node, &mut markings)?;
        Ok(DefaultPolicy {
            name: node.attribute(None, "name").map(Into::into),
            id: node
                .attribute(None, "id")
                .map(|id| self.oid(node, "id", id))
                .transpose()?,
            markings,
        })
    }

    /// Reads an element whose only children are `markingData*, markingQualifier*`.
    fn markings_only(&mut self, node: Node<'_, '_>, markings: &mut Markings) -> Result<()> {
        for (index, child) in self.sequence(
            node,
            &[
                ("markingData", Occurs::Many),
                ("markingQualifier", Occurs::Many),
            ],
        )? {
            if index == 0 {
                markings.data.push(self.marking_data(child)?);
            } else {
                markings.qualifiers.push(self.marking_qualifier(child)?);
            }
        }
        Ok(())
    }

    fn marking_data(&mut self, node: Node<'_, '_>) -> Result<MarkingData> {
        self.count_rule(node)?;
        self.check_attributes(node, &["phrase"], true, false)?;
        let mut codes = MarkingCodes::default();
        for (_, code) in self.sequence(node, &[("code", Occurs::OneOrMore)])? {
            self.check_attributes(code, &[], false, false)?;
            let text = text_content(code);
            let parsed = MarkingCode::from_name(trim_xml_space(&text))
                .ok_or_else(|| self.invalid(code, "text()", &text, "a SPIF 2.1 marking code"))?;
            codes.insert(parsed);
        }
        Ok(MarkingData {
            phrase: node.attribute(None, "phrase").map(Into::into),
            language: node.attribute(Some(XML_NAMESPACE), "lang").map(Into::into),
            codes,
        })
    }

    fn marking_qualifier(&mut self, node: Node<'_, '_>) -> Result<MarkingQualifier> {
        self.count_rule(node)?;
        self.check_attributes(node, &["markingCode"], false, false)?;
        let code =
            match node.attribute(None, "markingCode") {
                Some(c) => Some(MarkingCode::from_name(trim_xml_space(c)).ok_or_else(|| {
                    self.invalid(node, "markingCode", c, "a SPIF 2.1 marking code")
                })?),
                None => None,
            };
        let mut qualifiers = Vec::new();
        for (_, q) in self.sequence(node, &[("qualifier", Occurs::OneOrMore)])? {
            self.count_rule(q)?;
            self.check_attributes(q, &["markingQualifier", "qualifierCode"], true, false)?;
            self.sequence(q, &[])?;
            let kind_text = self.required(q, "qualifierCode")?;
            let kind = QualifierKind::from_name(trim_xml_space(kind_text)).ok_or_else(|| {
                self.invalid(q, "qualifierCode", kind_text, "prefix, suffix or separator")
            })?;
            qualifiers.push(Qualifier {
                text: self.required(q, "markingQualifier")?.into(),
                kind,
                language: q.attribute(Some(XML_NAMESPACE), "lang").map(Into::into),
            });
        }
        Ok(MarkingQualifier { code, qualifiers })
    }

    fn classifications<'d, 'i>(
        &mut self,
        node: Node<'d, 'i>,
        raw: &mut RawPolicy<'d, 'i>,
    ) -> Result<()> {
        self.check_attributes(node, &["name"], false, false)?;
        for (index, child) in self.sequence(
            node,
            &[
                ("securityClassification", Occurs::OneOrMore),
                ("markingData", Occurs::Many),
                ("markingQualifier", Occurs::Many),
            ],
        )? {
            match index {
                0 => {
                    if raw.classifications.len() >= MAX_POLICY_CLASSIFICATIONS {
                        return Err(self.error(
                            PolicyErrorKind::LimitExceeded(PolicyLimit::Classifications),
                            child,
                        ));
                    }
                    let c = self.classification(child)?;
                    raw.classifications.push(c);
                }
                1 => raw
                    .classification_markings
                    .data
                    .push(self.marking_data(child)?),
                _ => raw
                    .classification_markings
                    .qualifiers
                    .push(self.marking_qualifier(child)?),
            }
        }
        Ok(())
    }

    fn classification<'d, 'i>(&mut self, node: Node<'d, 'i>) -> Result<RawClassification<'d, 'i>> {
        self.check_attributes(
            node,
            &["name", "lacv", "hierarchy", "color", "obsolete"],
            false,
            false,
        )?;
        let mut c = RawClassification {
            node,
            name: self.required(node, "name")?,
            lacv: self.unsigned(node, "lacv", self.required(node, "lacv")?)?,
            hierarchy: self.integer(node, "hierarchy", self.required(node, "hierarchy")?)?,
            color: node.attribute(None, "color"),
            obsolete: self.boolean(node, "obsolete")?,
            equivalents: Vec::new(),
            markings: Markings::default(),
            required: Vec::new(),
        };
        if let Some(color) = c.color {
            if !is_color(color) {
                return Err(self.invalid(node, "color", color, "a W3C colour name or #RRGGBB"));
            }
        }
        for (index, child) in self.sequence(
            node,
            &[
                ("equivalentClassification", Occurs::Many),
                ("markingData", Occurs::Many),
                ("markingQualifier", Occurs::Many),
                ("requiredCategory", Occurs::Many),
            ],
        )? {
            match index {
                0 => {
                    self.count_rule(child)?;
                    self.check_attributes(child, &["policyRef", "lacv", "applied"], false, false)?;
                    let mut required = Vec::new();
                    for (_, r) in self.sequence(child, &[("requiredCategory", Occurs::Many)])? {
                        required.push(self.required_category(r)?);
                    }
                    c.equivalents.push(RawEquivalentClassification {
                        node: child,
                        policy_ref: self.required(child, "policyRef")?,
                        lacv: self.unsigned(child, "lacv", self.required(child, "lacv")?)?,
                        applied: self.applied(child)?,
                        required,
                    });
                }
                1 => c.markings.data.push(self.marking_data(child)?),
                2 => c.markings.qualifiers.push(self.marking_qualifier(child)?),
                _ => c.required.push(self.required_category(child)?),
            }
        }
        Ok(c)
    }

    fn applied(&self, node: Node<'_, '_>) -> Result<Applied> {
        let text = self.required(node, "applied")?;
        Applied::from_name(trim_xml_space(text))
            .ok_or_else(|| self.invalid(node, "applied", text, "encrypt, decrypt or both"))
    }

    fn required_category<'d, 'i>(&mut self, node: Node<'d, 'i>) -> Result<RawRequired<'d, 'i>> {
        self.count_rule(node)?;
        self.check_attributes(node, &["operation"], false, false)?;
        let text = self.required(node, "operation")?;
        let operation = Operation::from_name(trim_xml_space(text))
            .ok_or_else(|| self.invalid(node, "operation", text, "onlyOne, oneOrMore or all"))?;
        let mut groups = Vec::new();
        for (_, group) in self.sequence(node, &[("categoryGroup", Occurs::OneOrMore)])? {
            groups.push(self.selector(group)?);
        }
        Ok(RawRequired { operation, groups })
    }

    /// `categoryGroup` or `excludedCategory` (type `optionalCategoryData`).
    fn selector<'d, 'i>(&mut self, node: Node<'d, 'i>) -> Result<RawSelector<'d, 'i>> {
        self.count_rule(node)?;
        self.check_attributes(
            node,
            &["tagSetRef", "tagType", "enumType", "lacv", "all"],
            false,
            false,
        )?;
        self.sequence(node, &[])?;
        let all = self.boolean(node, "all")?;
        let lacv = match (node.attribute(None, "lacv"), all) {
            (Some(l), false) => Some(self.category_lacv(node, l)?),
            (None, true) => None,
            (Some(l), true) => {
                return Err(self.invalid(node, "lacv", l, "absent when all=\"true\""))
            }
            (None, false) => {
                return Err(self.error(PolicyErrorKind::MissingAttribute("lacv"), node))
            }
        };
        Ok(RawSelector {
            node,
            tag_set: self.required(node, "tagSetRef")?,
            tag_type: node.attribute(None, "tagType").map(trim_xml_space),
            enum_type: node.attribute(None, "enumType").map(trim_xml_space),
            lacv,
        })
    }

    fn category_lacv(&self, node: Node<'_, '_>, value: &str) -> Result<Lacv> {
        let trimmed = trim_xml_space(value);
        if trimmed.is_empty() {
            return Err(self.invalid(node, "lacv", value, "an integer or a non-empty string"));
        }
        match parse_integer(trimmed) {
            Some(v) => u32::try_from(v)
                .map(Lacv::Integer)
                .map_err(|_| self.invalid(node, "lacv", value, "an integer from 0 to 4294967295")),
            None => Ok(Lacv::Text(trimmed.into())),
        }
    }

    fn tag_set<'d, 'i>(&mut self, node: Node<'d, 'i>) -> Result<RawTagSet<'d, 'i>> {
        self.check_attributes(node, &["name", "id"], false, false)?;
        let mut set = RawTagSet {
            node,
            name: self.required(node, "name")?,
            id: self.oid(node, "id", self.required(node, "id")?)?,
            tags: Vec::new(),
            equivalents: Vec::new(),
        };
        for (index, child) in self.sequence(
            node,
            &[
                ("securityCategoryTag", Occurs::OneOrMore),
                ("equivalentSecurityCategoryTagSet", Occurs::Many),
            ],
        )? {
            if index == 0 {
                let tag = self.tag(child)?;
                set.tags.push(tag);
            } else {
                self.count_rule(child)?;
                self.check_attributes(child, &["policyRef", "name", "id"], false, false)?;
                for (_, r) in self.sequence(child, &[("requiredCategory", Occurs::Many)])? {
                    // Read for well-formedness; mapping uses tag-level equivalences.
                    self.required_category(r)?;
                }
                set.equivalents.push(RawEquivalentTagSet {
                    node: child,
                    policy_ref: self.required(child, "policyRef")?,
                    name: child.attribute(None, "name"),
                    id: child
                        .attribute(None, "id")
                        .map(|id| self.oid(child, "id", id))
                        .transpose()?,
                });
            }
        }
        Ok(set)
    }

    fn tag<'d, 'i>(&mut self, node: Node<'d, 'i>) -> Result<RawTag<'d, 'i>> {
        self.check_attributes(
            node,
            &[
                "name",
                "tagType",
                "enumType",
                "tag7Encoding",
                "singleSelection",
                "maxSelection",
                "minSelection",
            ],
            false,
            false,
        )?;
        let tag_type = self.required(node, "tagType")?;
        let enum_type = node.attribute(None, "enumType");
        let tag7 = node.attribute(None, "tag7Encoding");
        let kind = TagKind::from_spif(
            trim_xml_space(tag_type),
            enum_type.map(trim_xml_space),
            tag7.map(trim_xml_space),
        )
        .map_err(|attribute| match attribute {
            "enumType" => match enum_type {
                Some(v) => self.invalid(node, "enumType", v, "restrictive or permissive"),
                None => self.error(PolicyErrorKind::MissingAttribute("enumType"), node),
            },
            "tag7Encoding" => self.invalid(
                node,
                "tag7Encoding",
                tag7.unwrap_or(""),
                "bitSetAttributes or securityAttributes",
            ),
            _ => self.invalid(
                node,
                "tagType",
                tag_type,
                "restrictive, permissive, enumerated or tagType7",
            ),
        })?;
        let mut tag = RawTag {
            node,
            name: node.attribute(None, "name"),
            kind,
            single_selection: self.boolean(node, "singleSelection")?,
            max_selection: self.optional_unsigned(node, "maxSelection")?,
            min_selection: self.optional_unsigned(node, "minSelection")?,
            categories: Vec::new(),
            markings: Markings::default(),
        };
        for (index, child) in self.sequence(
            node,
            &[
                ("tagCategory", Occurs::Many),
                ("markingQualifier", Occurs::Many),
            ],
        )? {
            if index == 0 {
                let category = self.category(child)?;
                tag.categories.push(category);
            } else {
                tag.markings.qualifiers.push(self.marking_qualifier(child)?);
            }
        }
        Ok(tag)
    }

    fn category<'d, 'i>(&mut self, node: Node<'d, 'i>) -> Result<RawCategory<'d, 'i>> {
        self.check_attributes(
            node,
            &[
                "name",
                "lacv",
                "userInput",
                "requiredClass",
                "obsolete",
                "dateFormat",
                "notBefore",
                "notAfter",
            ],
            false,
            false,
        )?;
        let mut category = RawCategory {
            node,
            name: self.required(node, "name")?,
            lacv: self.category_lacv(node, self.required(node, "lacv")?)?,
            obsolete: self.boolean(node, "obsolete")?,
            required_class: node.attribute(None, "requiredClass"),
            excluded_classes: Vec::new(),
            required: Vec::new(),
            excluded: Vec::new(),
            equivalents: Vec::new(),
            markings: Markings::default(),
            not_before: node.attribute(None, "notBefore"),
            not_after: node.attribute(None, "notAfter"),
        };
        if let Some(input) = node.attribute(None, "userInput") {
            if !matches!(trim_xml_space(input), "string" | "integer" | "date") {
                return Err(self.invalid(node, "userInput", input, "string, integer or date"));
            }
        }
        for (index, child) in self.sequence(
            node,
            &[
                ("equivalentSecCategoryTag", Occurs::Many),
                ("markingData", Occurs::Many),
                ("markingQualifier", Occurs::Many),
                ("excludedClass", Occurs::Many),
                ("requiredCategory", Occurs::Many),
                ("excludedCategory", Occurs::Many),
            ],
        )? {
            match index {
                0 => {
                    let equivalent = self.equivalent_category(child)?;
                    category.equivalents.push(equivalent);
                }
                1 => category.markings.data.push(self.marking_data(child)?),
                2 => category
                    .markings
                    .qualifiers
                    .push(self.marking_qualifier(child)?),
                3 => {
                    self.count_rule(child)?;
                    self.check_attributes(child, &[], false, false)?;
                    let name = child.text().unwrap_or("");
                    category.excluded_classes.push((child, name));
                }
                4 => {
                    let r = self.required_category(child)?;
                    category.required.push(r);
                }
                _ => {
                    let s = self.selector(child)?;
                    category.excluded.push(s);
                }
            }
        }
        Ok(category)
    }

    fn equivalent_category<'d, 'i>(
        &mut self,
        node: Node<'d, 'i>,
    ) -> Result<RawEquivalentCategory<'d, 'i>> {
        self.count_rule(node)?;
        self.check_attributes(
            node,
            &[
                "policyRef",
                "tagSetId",
                "tagType",
                "enumType",
                "lacv",
                "applied",
                "action",
            ],
            false,
            false,
        )?;
        self.sequence(node, &[])?;
        let discard = match node.attribute(None, "action").map(trim_xml_space) {
            None => false,
            Some("discard") => true,
            Some(other) => return Err(self.invalid(node, "action", other, "discard")),
        };
        let lacv = self.optional_unsigned(node, "lacv")?;
        if lacv.is_none() && !discard {
            return Err(self.error(PolicyErrorKind::MissingAttribute("lacv"), node));
        }
        let applied = match node.attribute(None, "applied") {
            Some(_) => self.applied(node)?,
            None => Applied::Both,
        };
        Ok(RawEquivalentCategory {
            node,
            policy_ref: self.required(node, "policyRef")?,
            tag_set_id: node
                .attribute(None, "tagSetId")
                .map(|id| self.oid(node, "tagSetId", id))
                .transpose()?,
            tag_type: node.attribute(None, "tagType").map(trim_xml_space),
            enum_type: node.attribute(None, "enumType").map(trim_xml_space),
            lacv,
            applied,
            discard,
        })
    }

    fn privacy_marks<'d, 'i>(
        &mut self,
        node: Node<'d, 'i>,
        raw: &mut RawPolicy<'d, 'i>,
    ) -> Result<()> {
        self.check_attributes(node, &["maxSelection", "minSelection"], false, false)?;
        raw.privacy_selection = (
            self.optional_unsigned(node, "minSelection")?,
            self.optional_unsigned(node, "maxSelection")?,
        );
        for (index, child) in self.sequence(
            node,
            &[
                ("privacyMark", Occurs::OneOrMore),
                ("markingData", Occurs::Many),
                ("markingQualifier", Occurs::Many),
            ],
        )? {
            match index {
                0 => {
                    self.count_rule(child)?;
                    self.check_attributes(child, &["name", "obsolete"], false, false)?;
                    let mut markings = Markings::default();
                    self.markings_only(child, &mut markings)?;
                    raw.privacy_marks.push(RawPrivacyMark {
                        node: child,
                        name: self.required(child, "name")?,
                        obsolete: self.boolean(child, "obsolete")?,
                        markings,
                    });
                }
                1 => raw.privacy_markings.data.push(self.marking_data(child)?),
                _ => raw
                    .privacy_markings
                    .qualifiers
                    .push(self.marking_qualifier(child)?),
            }
        }
        Ok(())
    }

    fn equivalent_policy<'d, 'i>(
        &mut self,
        node: Node<'d, 'i>,
    ) -> Result<RawEquivalentPolicy<'d, 'i>> {
        self.count_rule(node)?;
        self.check_attributes(
            node,
            &["name", "id", "userRefURI", "docRefURI"],
            false,
            false,
        )?;
        let mut required = Vec::new();
        for (_, r) in self.sequence(node, &[("requiredCategory", Occurs::Many)])? {
            required.push(self.required_category(r)?);
        }
        Ok(RawEquivalentPolicy {
            node,
            name: self.required(node, "name")?,
            id: self.oid(node, "id", self.required(node, "id")?)?,
            required,
        })
    }
}

// ---- second pass -----------------------------------------------------------------------------

impl Compiler<'_> {
    fn resolve(mut self, raw: RawPolicy<'_, '_>) -> Result<Policy> {
        let mut raw = raw;
        // Classifications in hierarchy order; uniqueness of name, lacv, hierarchy, colour.
        raw.classifications.sort_by_key(|c| c.hierarchy);
        let value_case = super::value_case_for(&raw.name, &raw.id);
        for (i, c) in raw.classifications.iter().enumerate() {
            for earlier in raw.classifications.iter().take(i) {
                let duplicate = if value_case.equal(earlier.name, c.name) {
                    Some(("classification name", c.name.to_owned()))
                } else if earlier.lacv == c.lacv {
                    Some(("classification lacv", c.lacv.to_string()))
                } else if earlier.hierarchy == c.hierarchy {
                    Some(("classification hierarchy", c.hierarchy.to_string()))
                } else if c.color.is_some() && earlier.color == c.color {
                    Some(("classification color", c.color.unwrap_or("").to_owned()))
                } else {
                    None
                };
                if let Some((what, value)) = duplicate {
                    return Err(self.error(
                        PolicyErrorKind::Duplicate {
                            what,
                            value: excerpt(&value),
                        },
                        c.node,
                    ));
                }
            }
        }
        // Tag sets, tags and categories: dense ids and the bit layout.
        let mut tag_sets = Vec::new();
        let mut tags = Vec::new();
        let mut categories: Vec<Category> = Vec::new();
        let mut word_offset = 0usize;
        for (set_index, set) in raw.tag_sets.iter().enumerate() {
            for earlier in raw.tag_sets.iter().take(set_index) {
                if value_case.equal(earlier.name, set.name) {
                    return Err(self.duplicate("tag set name", set.name, set.node));
                }
                if earlier.id == set.id {
                    return Err(self.duplicate("tag set id", &set.id.to_string(), set.node));
                }
            }
            let set_id = TagSetId(small_index(set_index));
            let first_tag = tags.len();
            for tag in &set.tags {
                if tags.len() >= MAX_POLICY_TAGS {
                    return Err(
                        self.error(PolicyErrorKind::LimitExceeded(PolicyLimit::Tags), tag.node)
                    );
                }
                let first_category = categories.len();
                let count = tag.categories.len();
                if first_category.saturating_add(count) > MAX_POLICY_CATEGORIES {
                    return Err(self.error(
                        PolicyErrorKind::LimitExceeded(PolicyLimit::Categories),
                        tag.node,
                    ));
                }
                let words = count.div_ceil(64);
                let tag_id = TagId(small_index(tags.len()));
                for (bit, c) in tag.categories.iter().enumerate() {
                    categories.push(Category {
                        name: c.name.into(),
                        lacv: c.lacv.clone(),
                        tag: tag_id,
                        bit: wide_index(bit),
                        obsolete: c.obsolete,
                        required_class: None,
                        excluded_classes: 0,
                        required: Vec::new(),
                        excluded: Vec::new(),
                        equivalents: Vec::new(),
                        markings: c.markings.clone(),
                        not_before: c.not_before.map(Into::into),
                        not_after: c.not_after.map(Into::into),
                    });
                }
                tags.push(Tag {
                    name: tag.name.map(Into::into),
                    tag_set: set_id,
                    kind: tag.kind,
                    categories: wide_index(first_category)..wide_index(categories.len()),
                    word_offset: wide_index(word_offset),
                    word_count: wide_index(words),
                    single_selection: tag.single_selection,
                    max_selection: tag.max_selection,
                    min_selection: tag.min_selection,
                    markings: tag.markings.clone(),
                });
                word_offset = word_offset.saturating_add(words);
            }
            tag_sets.push(TagSet {
                name: set.name.into(),
                uri: format!("urn:oid:{}", set.id).into_boxed_str(),
                id: set.id.clone(),
                tags: small_index(first_tag)..small_index(tags.len()),
                equivalents: Vec::new(),
            });
        }
        let words = word_offset;
        let mut policy = Policy {
            fingerprint: fnv1a(self.input),
            name: core::mem::take(&mut raw.name),
            uri: format!("urn:oid:{}", raw.id).into_boxed_str(),
            id: raw.id.clone(),
            schema_version: raw.header.schema_version,
            version: raw.header.version,
            creation_date: core::mem::take(&mut raw.header.creation_date),
            originator_dn: core::mem::take(&mut raw.header.originator_dn),
            key_identifier: raw.header.key_identifier.take(),
            privilege_id: raw.header.privilege_id.clone(),
            rbac_id: raw.header.rbac_id.take(),
            not_before: raw.header.not_before.take(),
            not_after: raw.header.not_after.take(),
            default_policy: raw.default_policy.take(),
            value_case: super::ValueCase::Sensitive,
            classifications: Vec::new(),
            classification_markings: core::mem::take(&mut raw.classification_markings),
            tag_sets,
            tags,
            categories,
            words,
            privacy_marks: Vec::new(),
            privacy_selection: raw.privacy_selection,
            privacy_markings: core::mem::take(&mut raw.privacy_markings),
            equivalent_policies: Vec::new(),
            markings: core::mem::take(&mut raw.markings),
            owner_tag: None,
            warnings: Vec::new(),
            category_index: Vec::new(),
        };
        policy.value_case = super::value_case_for(&policy.name, &policy.id);
        // Uniqueness inside tags: names (what labels say) must not be ambiguous; lacvs should
        // not be, and are tolerated with a warning (NATO v88 quirk).
        self.check_category_names(&raw, &policy)?;
        // Equivalent policies first: `policyRef` resolves against them.
        let mut ids = std::collections::HashSet::new();
        for (i, p) in raw.equivalent_policies.iter().enumerate() {
            if self.policy_names.insert(p.name.into(), i).is_some() {
                return Err(self.duplicate("equivalent policy name", p.name, p.node));
            }
            if !ids.insert(&p.id) {
                return Err(self.duplicate("equivalent policy id", &p.id.to_string(), p.node));
            }
        }
        for p in &raw.equivalent_policies {
            let required = self.resolve_required_list(&policy, &p.required)?;
            policy.equivalent_policies.push(EquivalentPolicy {
                name: p.name.into(),
                id: p.id.clone(),
                required,
            });
        }
        // Classifications (ids are their sorted positions).
        for c in &raw.classifications {
            let mut equivalents = Vec::new();
            for e in &c.equivalents {
                equivalents.push(EquivalentClassification {
                    policy: self.policy_ref(e.policy_ref, e.node)?,
                    lacv: e.lacv,
                    applied: e.applied,
                    required: self.resolve_required_list(&policy, &e.required)?,
                });
            }
            let required = self.resolve_required_list(&policy, &c.required)?;
            policy.classifications.push(Classification {
                name: c.name.into(),
                lacv: c.lacv,
                hierarchy: c.hierarchy,
                color: c.color.map(Into::into),
                obsolete: c.obsolete,
                equivalents,
                markings: c.markings.clone(),
                required,
            });
        }
        // Category rules.
        let mut category_index = 0usize;
        for set in &raw.tag_sets {
            for tag in &set.tags {
                for c in &tag.categories {
                    let required_class = c
                        .required_class
                        .map(|name| self.classification_ref(&policy, "requiredClass", name, c.node))
                        .transpose()?;
                    let mut excluded_classes = 0u64;
                    for (node, name) in &c.excluded_classes {
                        let id = self.classification_ref(&policy, "excludedClass", name, *node)?;
                        excluded_classes |= 1u64.checked_shl(u32::from(id.0)).unwrap_or(0);
                    }
                    let required = self.resolve_required_list(&policy, &c.required)?;
                    let mut excluded = Vec::new();
                    for s in &c.excluded {
                        excluded.push(self.resolve_selector(&policy, s)?.0);
                    }
                    let mut equivalents = Vec::new();
                    for e in &c.equivalents {
                        equivalents.push(EquivalentCategory {
                            policy: self.policy_ref(e.policy_ref, e.node)?,
                            tag_set_id: e.tag_set_id.clone(),
                            tag_type: e.tag_type.map(Into::into),
                            enum_type: e.enum_type.map(Into::into),
                            lacv: e.lacv,
                            applied: e.applied,
                            discard: e.discard,
                        });
                    }
                    if let Some(category) = policy.categories.get_mut(category_index) {
                        category.required_class = required_class;
                        category.excluded_classes = excluded_classes;
                        category.required = required;
                        category.excluded = excluded;
                        category.equivalents = equivalents;
                    }
                    category_index = category_index.saturating_add(1);
                }
            }
        }
        for (set_index, set) in raw.tag_sets.iter().enumerate() {
            let mut equivalents = Vec::new();
            for e in &set.equivalents {
                equivalents.push(EquivalentTagSet {
                    policy: self.policy_ref(e.policy_ref, e.node)?,
                    name: e.name.map(Into::into),
                    id: e.id.clone(),
                });
            }
            if let Some(target) = policy.tag_sets.get_mut(set_index) {
                target.equivalents = equivalents;
            }
        }
        let mut marks = std::collections::HashSet::new();
        for p in &raw.privacy_marks {
            if !marks.insert(policy.value_case.fold(p.name)) {
                return Err(self.duplicate("privacy mark", p.name, p.node));
            }
            policy.privacy_marks.push(PrivacyMark {
                name: p.name.into(),
                obsolete: p.obsolete,
                markings: p.markings.clone(),
            });
        }
        policy.owner_tag = super::find_owner_tag(&policy);
        policy.category_index = super::build_category_index(&policy);
        policy.warnings = core::mem::take(&mut self.warnings);
        Ok(policy)
    }

    fn duplicate(&self, what: &'static str, value: &str, node: Node<'_, '_>) -> PolicyError {
        self.error(
            PolicyErrorKind::Duplicate {
                what,
                value: excerpt(value),
            },
            node,
        )
    }

    fn check_category_names(&mut self, raw: &RawPolicy<'_, '_>, policy: &Policy) -> Result<()> {
        use std::collections::HashSet;
        for set in &raw.tag_sets {
            let mut names: HashSet<(super::CategoryType, Box<str>)> = HashSet::new();
            for tag in &set.tags {
                let mut lacvs: HashSet<&Lacv> = HashSet::new();
                for c in &tag.categories {
                    let key = (tag.kind.category_type(), policy.value_case.fold(c.name));
                    if !names.insert(key) {
                        return Err(self.duplicate("category name in a tag set", c.name, c.node));
                    }
                    if !lacvs.insert(&c.lacv) {
                        let (line, _) = line_and_column(self.input, c.node.offset().unwrap_or(0));
                        self.warnings.push(PolicyWarning {
                            kind: PolicyWarningKind::DuplicateLacv {
                                lacv: excerpt(&c.lacv.to_string()),
                            },
                            path: element_path(c.node).into_boxed_str(),
                            line,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn policy_ref(&self, name: &str, node: Node<'_, '_>) -> Result<usize> {
        self.policy_names.get(name).copied().ok_or_else(|| {
            self.error(
                PolicyErrorKind::Unresolved {
                    what: "policyRef",
                    value: excerpt(name),
                },
                node,
            )
        })
    }

    fn classification_ref(
        &self,
        policy: &Policy,
        what: &'static str,
        name: &str,
        node: Node<'_, '_>,
    ) -> Result<ClassificationId> {
        let name = trim_xml_space(name);
        policy
            .classification_names()
            .position(|n| n == name)
            .map(|i| ClassificationId(small_index(i)))
            .ok_or_else(|| {
                self.error(
                    PolicyErrorKind::Unresolved {
                        what,
                        value: excerpt(name),
                    },
                    node,
                )
            })
    }

    fn resolve_required_list(
        &self,
        policy: &Policy,
        raw: &[RawRequired<'_, '_>],
    ) -> Result<Vec<RequiredCategory>> {
        raw.iter()
            .map(|r| self.resolve_required(policy, r))
            .collect()
    }

    fn resolve_required(
        &self,
        policy: &Policy,
        raw: &RawRequired<'_, '_>,
    ) -> Result<RequiredCategory> {
        let mut members = CategoryMask::empty(policy.words);
        let mut ids = Vec::new();
        for group in &raw.groups {
            let (mask, group_ids) = self.resolve_selector(policy, group)?;
            for (m, g) in members.words.iter_mut().zip(mask.words.iter()) {
                *m |= g;
            }
            ids.extend(group_ids);
        }
        ids.sort_unstable();
        ids.dedup();
        self.spend_rule_members(ids.len(), raw.groups.first().map(|g| g.node))?;
        Ok(RequiredCategory {
            operation: raw.operation,
            members,
            member_ids: ids.into_boxed_slice(),
        })
    }

    /// The categories a selector designates: every category of the matching tags (`all`),
    /// or every category with the lacv in each matching tag.
    /// Charges compiled rule storage (`ids` plus one mask) against
    /// `MAX_POLICY_RULE_MEMBERS`, before the mask is allocated.
    fn spend_rule_members(&self, ids: usize, node: Option<Node<'_, '_>>) -> Result<()> {
        let total = self.rule_members.get().saturating_add(ids);
        self.rule_members.set(total);
        if total > MAX_POLICY_RULE_MEMBERS {
            let kind = PolicyErrorKind::LimitExceeded(PolicyLimit::RuleMembers);
            return Err(match node {
                Some(n) => self.error(kind, n),
                None => PolicyError::at_start(kind),
            });
        }
        Ok(())
    }

    fn resolve_selector(
        &self,
        policy: &Policy,
        s: &RawSelector<'_, '_>,
    ) -> Result<(CategoryMask, Vec<CategoryId>)> {
        self.spend_rule_members(policy.words, Some(s.node))?;
        let unresolved = |what: &'static str, value: String| {
            self.error(
                PolicyErrorKind::Unresolved {
                    what,
                    value: excerpt(&value),
                },
                s.node,
            )
        };
        let set = policy
            .tag_sets
            .iter()
            .find(|t| &*t.name == s.tag_set)
            .ok_or_else(|| unresolved("tagSetRef", s.tag_set.to_owned()))?;
        let mut mask = CategoryMask::empty(policy.words);
        let mut ids = Vec::new();
        for tag_index in set.tags.clone() {
            let Some(tag) = policy.tags.get(usize::from(tag_index)) else {
                continue;
            };
            if !tag.kind.matches_selector(s.tag_type, s.enum_type) {
                continue;
            }
            let in_tag = tag.categories.clone().filter_map(|c| {
                let category = policy.categories.get(usize::from(c))?;
                Some((CategoryId(c), category))
            });
            for (id, category) in in_tag {
                // A lacv designates every category of the tag that has it: with the repeated-lacv
                // quirk that is both, the safe reading for exclusions.
                let selected = match &s.lacv {
                    None => true,
                    Some(lacv) => *lacv == category.lacv,
                };
                if selected {
                    mask.set(
                        usize::from(tag.word_offset).saturating_add(usize::from(category.bit / 64)),
                        u32::from(category.bit % 64),
                    );
                    ids.push(id);
                }
            }
        }
        if ids.is_empty() {
            let value = match &s.lacv {
                Some(l) => format!("{} lacv {l}", s.tag_set),
                None => format!("{} (all)", s.tag_set),
            };
            return Err(unresolved("category selector", value));
        }
        Ok((mask, ids))
    }
}

// ---- small helpers ---------------------------------------------------------------------------

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

pub(crate) fn trim_xml_space(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r'])
}

/// xs:integer: optional sign, at least one digit, nothing else.
pub(crate) fn parse_integer(s: &str) -> Option<i64> {
    let s = trim_xml_space(s);
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn text_content(node: Node<'_, '_>) -> String {
    node.children()
        .filter(|c| c.node_type() == NodeType::Text)
        .filter_map(|c| c.text())
        .collect()
}

fn expanded_name(node: Node<'_, '_>) -> Box<str> {
    let local = node.local_name().unwrap_or("");
    let name = match node.namespace() {
        Some(ns) => format!("{{{ns}}}{local}"),
        None => local.to_owned(),
    };
    excerpt(&name)
}

/// The W3C colour keywords of the SPIF 2.1 `color` type (with its `fuschia` spelling) or
/// `#RRGGBB`.
fn is_color(value: &str) -> bool {
    const NAMES: [&str; 18] = [
        "aqua", "black", "blue", "fuchsia", "fuschia", "gray", "green", "lime", "maroon", "navy",
        "olive", "purple", "red", "silver", "teal", "white", "yellow", "orange",
    ];
    let value = trim_xml_space(value);
    if let Some(hex) = value.strip_prefix('#') {
        return hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(value))
}

/// Indices below the 64-entry limits fit a `u8`; saturate otherwise (never reached: the limits
/// are checked before).
fn small_index(i: usize) -> u8 {
    u8::try_from(i).unwrap_or(u8::MAX)
}

fn wide_index(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// FNV-1a, 64-bit.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
