//! Writing STANAG 4774 XML labels in schema order (standards.md §9 rule 2).
//!
//! The writer emits: the root with `Id` (optional) and `ReviewDateTime` (unless there is
//! `SuccessionHandling`), `ConfidentialityInformation` with `PolicyIdentifier` (text = policy
//! name, `URI` = `urn:oid:` + policy id), `Classification` (never a `URI`), `PrivacyMark`, one
//! `Category` per tag with `Type` upper-case, `TagName`, `URI` = `urn:oid:` + tag-set id and
//! one `GenericValue` per value name (never lacvs), then `OriginatorID` and `CreationDateTime`.
//! Text and attribute values are escaped; output is UTF-8 without a declaration.

use super::datetime::Timestamp;
use super::model::LabelKind;
use super::valid::ValidLabel;

/// What a written label says beyond its security content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelMetadata<'a> {
    /// The root element.
    pub kind: LabelKind,
    /// `@Id`.
    pub id: Option<&'a str>,
    /// `@ReviewDateTime`.
    pub review: Timestamp,
    /// `OriginatorID` as (`IDType`, value).
    pub originator: Option<(&'a str, &'a str)>,
    /// `CreationDateTime`.
    pub creation: Timestamp,
}

/// The namespace prefix the writer uses.
pub const LABEL_PREFIX: &str = "slab";

/// Writes a valid label as a 4774 XML document.
pub fn write_label_xml(label: &ValidLabel<'_>, metadata: &LabelMetadata<'_>) -> String {
    let policy = label.policy();
    let root = metadata.kind.element_name();
    let mut out = String::with_capacity(1024);
    out.push('<');
    out.push_str(LABEL_PREFIX);
    out.push(':');
    out.push_str(root);
    out.push_str(" xmlns:");
    out.push_str(LABEL_PREFIX);
    out.push_str("=\"");
    out.push_str(super::LABEL_NAMESPACE);
    out.push('"');
    if let Some(id) = metadata.id {
        attribute(&mut out, "Id", id);
    }
    attribute(&mut out, "ReviewDateTime", &metadata.review.to_string());
    out.push_str(">\n  ");
    open(&mut out, "ConfidentialityInformation", &[]);
    out.push_str("\n    ");
    let uri = format!("urn:oid:{}", policy.id());
    element(
        &mut out,
        "PolicyIdentifier",
        &[("URI", &uri)],
        policy.name(),
    );
    out.push_str("\n    ");
    let class = policy
        .classification(label.classification())
        .map_or("", |c| &c.name);
    element(&mut out, "Classification", &[], class);
    if let Some(mark) = label
        .privacy_mark()
        .and_then(|i| policy.privacy_marks().get(i))
    {
        out.push_str("\n    ");
        element(&mut out, "PrivacyMark", &[], &mark.name);
    }
    // One `Category` per tag set and type (a tag set may hold a restrictive and an enumerated
    // restrictive tag: their values go in one element, as readers expect).
    use crate::policy::CategoryType;
    for (set_index, set) in policy.tag_sets().iter().enumerate() {
        for kind in [
            CategoryType::Restrictive,
            CategoryType::Permissive,
            CategoryType::Informative,
        ] {
            let values: Vec<&str> = label
                .category_ids()
                .filter_map(|id| policy.category(id))
                .filter(|c| {
                    policy.tag(c.tag).is_some_and(|t| {
                        t.tag_set.index() == set_index && t.kind.category_type() == kind
                    })
                })
                .map(|c| &*c.name)
                .collect();
            if values.is_empty() {
                continue;
            }
            out.push_str("\n    ");
            open(
                &mut out,
                "Category",
                &[
                    ("Type", kind.as_str()),
                    ("TagName", &set.name),
                    ("URI", &set.uri),
                ],
            );
            for value in values {
                out.push_str("\n      ");
                element(&mut out, "GenericValue", &[], value);
            }
            out.push_str("\n    ");
            close(&mut out, "Category");
        }
    }
    out.push_str("\n  ");
    close(&mut out, "ConfidentialityInformation");
    if let Some((id_type, value)) = metadata.originator {
        out.push_str("\n  ");
        element(&mut out, "OriginatorID", &[("IDType", id_type)], value);
    }
    out.push_str("\n  ");
    element(
        &mut out,
        "CreationDateTime",
        &[],
        &metadata.creation.to_string(),
    );
    out.push('\n');
    close(&mut out, root);
    out.push('\n');
    out
}

fn attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape(out, value, true);
    out.push('"');
}

fn open(out: &mut String, name: &str, attributes: &[(&str, &str)]) {
    out.push('<');
    out.push_str(LABEL_PREFIX);
    out.push(':');
    out.push_str(name);
    for (n, v) in attributes {
        attribute(out, n, v);
    }
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(LABEL_PREFIX);
    out.push(':');
    out.push_str(name);
    out.push('>');
}

fn element(out: &mut String, name: &str, attributes: &[(&str, &str)], text: &str) {
    open(out, name, attributes);
    escape(out, text, false);
    close(out, name);
}

/// Escapes `&`, `<`, `>` (and in attributes `"`, tab, CR, LF, so that they survive attribute
/// normalisation).
fn escape(out: &mut String, s: &str, in_attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}
