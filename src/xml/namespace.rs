//! Namespaces in XML 1.0 (Third Edition): declarations, scope, resolution, reserved names.
//!
//! ```text
//! [NS 1] NSAttName      ::= PrefixedAttName | DefaultAttName
//! [NS 2] PrefixedAttName ::= 'xmlns:' NCName
//! [NS 3] DefaultAttName ::= 'xmlns'
//! [NS 7] QName          ::= PrefixedName | UnprefixedName
//! ```
//!
//! Every distinct namespace name in a document is interned once and identified by a
//! [`NamespaceId`], so that comparing expanded names is comparing integers.

use std::borrow::Cow;
use std::collections::HashMap;
use std::num::NonZeroU32;

use super::error::{ReservedNamespaceRule, XmlErrorKind};

/// The namespace bound to the `xml` prefix by definition.
pub const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of namespace declarations; it may never be declared.
pub const XMLNS_NAMESPACE: &str = "http://www.w3.org/2000/xmlns/";

/// A namespace name interned in one document ([`NamespaceTable`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NamespaceId(NonZeroU32);

impl NamespaceId {
    /// The id of [`XML_NAMESPACE`], present in every table.
    pub const XML: Self = Self(NonZeroU32::MIN);

    /// Position in the table (ids are stored plus one, so `Option<NamespaceId>` is 4 bytes).
    fn index(self) -> usize {
        usize::try_from(self.0.get().saturating_sub(1)).unwrap_or(usize::MAX)
    }
}

/// The namespace names met in one document, each stored once.
///
/// Most documents use a handful of namespaces, so names are found by a linear scan until
/// there are more than eight of them; only then is a hash index built (a document
/// can declare a new namespace on every element, and a scan would make that quadratic).
#[derive(Clone, Debug, Default)]
pub struct NamespaceTable<'input> {
    /// Every name except the built-in XML namespace, which has id 1 and is not stored.
    names: Vec<Cow<'input, str>>,
    index: Option<HashMap<Cow<'input, str>, NamespaceId>>,
}

/// Table size above which lookups go through a hash index.
const HASHED_ABOVE: usize = 8;

impl<'input> NamespaceTable<'input> {
    /// The namespace name of `id`.
    ///
    /// Ids come from this table; an id from another table yields the empty string rather
    /// than a panic.
    pub fn name(&self, id: NamespaceId) -> &str {
        match id.index().checked_sub(1) {
            None => XML_NAMESPACE,
            Some(i) => self.names.get(i).map_or("", |n| n.as_ref()),
        }
    }

    /// The id of a namespace name, if the document used it.
    pub fn id(&self, name: &str) -> Option<NamespaceId> {
        if name == XML_NAMESPACE {
            return Some(NamespaceId::XML);
        }
        if let Some(index) = &self.index {
            return index.get(name).copied();
        }
        let i = self.names.iter().position(|n| n.as_ref() == name)?;
        Self::id_at(i)
    }

    /// How many distinct namespace names (the built-in `xml` one included).
    pub fn len(&self) -> usize {
        self.names.len().saturating_add(1)
    }

    /// Never true: the `xml` namespace is always present.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The id of the name stored at `names[i]` (ids start at 1 for the XML namespace).
    fn id_at(i: usize) -> Option<NamespaceId> {
        let raw = u32::try_from(i.checked_add(2)?).ok()?;
        Some(NamespaceId(NonZeroU32::new(raw)?))
    }

    fn intern(&mut self, name: Cow<'input, str>) -> Option<NamespaceId> {
        if let Some(id) = self.id(&name) {
            return Some(id);
        }
        let id = Self::id_at(self.names.len())?;
        if let Some(index) = &mut self.index {
            index.insert(name.clone(), id);
        } else if self.names.len() >= HASHED_ABOVE {
            let mut index: HashMap<Cow<'input, str>, NamespaceId> =
                HashMap::with_capacity(self.names.len().saturating_mul(2));
            for (i, existing) in self.names.iter().enumerate() {
                index.insert(existing.clone(), Self::id_at(i)?);
            }
            index.insert(name.clone(), id);
            self.index = Some(index);
        }
        self.names.push(name);
        Some(id)
    }
}

/// One in-scope declaration: `prefix` ("" for the default namespace) bound to `namespace`
/// (`None` after `xmlns=""`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding<'input> {
    /// The declared prefix, or `""` for the default namespace.
    pub prefix: &'input str,
    /// The namespace bound, or `None` when `xmlns=""` undeclares the default.
    pub namespace: Option<NamespaceId>,
}

/// The stack of in-scope declarations.
#[derive(Clone, Debug)]
pub(crate) struct Scopes<'input> {
    pub(crate) table: NamespaceTable<'input>,
    bindings: Vec<Binding<'input>>,
}

/// Result of resolving a prefix.
pub(crate) enum Resolved {
    Namespace(Option<NamespaceId>),
    Undeclared,
}

impl<'input> Scopes<'input> {
    /// No binding on the stack: the built-in `xml` binding is implied by [`Self::resolve`]
    /// (so that a reader allocates nothing for it).
    pub(crate) fn new() -> Self {
        Self {
            table: NamespaceTable::default(),
            bindings: Vec::new(),
        }
    }

    /// Number of bindings on the stack (a scope mark).
    pub(crate) fn mark(&self) -> usize {
        self.bindings.len()
    }

    /// Drops the bindings declared after `mark`.
    pub(crate) fn truncate(&mut self, mark: usize) {
        self.bindings.truncate(mark);
    }

    /// Declarations made since `mark`.
    pub(crate) fn since(&self, mark: usize) -> &[Binding<'input>] {
        self.bindings.get(mark..).unwrap_or_default()
    }

    /// Every binding in scope, outermost first.
    pub(crate) fn bindings(&self) -> &[Binding<'input>] {
        &self.bindings
    }

    /// Pushes a binding a stream kept from an earlier window (already checked then).
    pub(crate) fn restore(&mut self, prefix: &'input str, namespace: Option<&'input str>) {
        let namespace = namespace.and_then(|name| self.intern(name));
        self.bindings.push(Binding { prefix, namespace });
    }

    /// The id of a namespace name, interned if new.
    pub(crate) fn intern(&mut self, name: &'input str) -> Option<NamespaceId> {
        self.table.intern(Cow::Borrowed(name))
    }

    /// Number of user declarations in scope (the built-in `xml` binding is not on the stack).
    pub(crate) fn declared(&self) -> usize {
        self.bindings.len()
    }

    /// Applies the Namespaces §3 rules to `xmlns[:prefix]="value"` and pushes the binding.
    ///
    /// `mark` is the scope mark taken at the start of the current element, to detect a
    /// prefix declared twice on one element.
    pub(crate) fn declare(
        &mut self,
        prefix: &'input str,
        value: Cow<'input, str>,
        mark: usize,
    ) -> Result<(), XmlErrorKind> {
        use ReservedNamespaceRule as Rule;
        if self.since(mark).iter().any(|b| b.prefix == prefix) {
            let name = if prefix.is_empty() {
                "xmlns".into()
            } else {
                format!("xmlns:{prefix}").into_boxed_str()
            };
            return Err(XmlErrorKind::DuplicateAttribute { name });
        }
        let reserved = |rule| Err(XmlErrorKind::ReservedNamespace { rule });
        match (prefix, value.as_ref()) {
            ("xmlns", _) => return reserved(Rule::XmlnsPrefixDeclared),
            ("xml", XML_NAMESPACE) => {}
            ("xml", _) => return reserved(Rule::XmlPrefixRebound),
            (_, XML_NAMESPACE) => return reserved(Rule::XmlNamespaceMisbound),
            (_, XMLNS_NAMESPACE) => return reserved(Rule::XmlnsNamespaceBound),
            ("", "") => {}
            (_, "") => {
                return Err(XmlErrorKind::EmptyPrefixedNamespace {
                    prefix: prefix.into(),
                })
            }
            _ => {}
        }
        let namespace =
            if value.is_empty() {
                None
            } else {
                Some(self.table.intern(value).ok_or(
                    XmlErrorKind::TooManyNamespaceDeclarations {
                        limit: u32::MAX.try_into().unwrap_or(usize::MAX),
                    },
                )?)
            };
        self.bindings.push(Binding { prefix, namespace });
        Ok(())
    }

    /// Resolves a prefix (`""` for the default namespace) against the bindings in scope.
    pub(crate) fn resolve(&self, prefix: &str) -> Resolved {
        // The default namespace is looked up by emptiness: comparing two empty `&str`s still
        // calls `memcmp`, which profiled at half the reader's time on default-namespace input.
        let found = if prefix.is_empty() {
            self.bindings.iter().rev().find(|b| b.prefix.is_empty())
        } else {
            self.bindings
                .iter()
                .rev()
                .find(|b| same_short(b.prefix, prefix))
        };
        match found {
            Some(b) => Resolved::Namespace(b.namespace),
            None if prefix.is_empty() => Resolved::Namespace(None),
            // The built-in binding (a declaration of `xml` to its own name is pushed like any
            // other and found above; any other value is refused by `declare`).
            None if prefix == "xml" => Resolved::Namespace(Some(NamespaceId::XML)),
            None => Resolved::Undeclared,
        }
    }
}

/// String equality for short names without a call to `memcmp` (prefixes are a few bytes;
/// the call and its set-up cost more than the comparison).
fn same_short(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_resolve_innermost_first() {
        let mut s = Scopes::new();
        let outer = s.mark();
        s.declare("", "urn:a".into(), outer).unwrap();
        s.declare("p", "urn:b".into(), outer).unwrap();
        let inner = s.mark();
        s.declare("p", "urn:a".into(), inner).unwrap();
        s.declare("", "".into(), inner).unwrap();
        let a = s.table.id("urn:a").unwrap();
        assert!(matches!(s.resolve("p"), Resolved::Namespace(Some(id)) if id == a));
        assert!(matches!(s.resolve(""), Resolved::Namespace(None)));
        assert!(matches!(
            s.resolve("xml"),
            Resolved::Namespace(Some(NamespaceId::XML))
        ));
        assert!(matches!(s.resolve("q"), Resolved::Undeclared));
        s.truncate(inner);
        assert!(matches!(s.resolve(""), Resolved::Namespace(Some(id)) if id == a));
        assert_eq!(s.table.len(), 3, "urn:a interned once");
        assert_eq!(s.declared(), 2);
    }

    #[test]
    fn table_switches_to_a_hash_index_without_changing_ids() {
        let mut table = NamespaceTable::default();
        let names: Vec<String> = (0..40).map(|i| format!("urn:n{i}")).collect();
        let ids: Vec<NamespaceId> = names
            .iter()
            .map(|n| table.intern(Cow::Owned(n.clone())).unwrap())
            .collect();
        assert!(table.index.is_some());
        for (name, id) in names.iter().zip(&ids) {
            assert_eq!(table.id(name), Some(*id));
            assert_eq!(table.name(*id), name);
            assert_eq!(
                table.intern(Cow::Borrowed(name.as_str())),
                Some(*id),
                "interned once"
            );
        }
        assert_eq!(table.len(), 41);
        assert_eq!(table.id(XML_NAMESPACE), Some(NamespaceId::XML));
        assert_eq!(
            table.intern(Cow::Borrowed(XML_NAMESPACE)),
            Some(NamespaceId::XML)
        );
        assert_eq!(table.name(NamespaceId::XML), XML_NAMESPACE);
        assert_eq!(table.id("urn:absent"), None);
    }

    #[test]
    fn reserved_rules() {
        let mut s = Scopes::new();
        let m = s.mark();
        let rule = |r| Err(XmlErrorKind::ReservedNamespace { rule: r });
        assert_eq!(
            s.declare("xmlns", "urn:x".into(), m),
            rule(ReservedNamespaceRule::XmlnsPrefixDeclared)
        );
        assert_eq!(
            s.declare("xml", "urn:x".into(), m),
            rule(ReservedNamespaceRule::XmlPrefixRebound)
        );
        assert_eq!(
            s.declare("x", XML_NAMESPACE.into(), m),
            rule(ReservedNamespaceRule::XmlNamespaceMisbound)
        );
        assert_eq!(
            s.declare("", XML_NAMESPACE.into(), m),
            rule(ReservedNamespaceRule::XmlNamespaceMisbound)
        );
        assert_eq!(
            s.declare("x", XMLNS_NAMESPACE.into(), m),
            rule(ReservedNamespaceRule::XmlnsNamespaceBound)
        );
        assert_eq!(
            s.declare("x", "".into(), m),
            Err(XmlErrorKind::EmptyPrefixedNamespace { prefix: "x".into() })
        );
        assert_eq!(s.declare("xml", XML_NAMESPACE.into(), m), Ok(()));
        assert_eq!(
            s.declare("xml", XML_NAMESPACE.into(), m),
            Err(XmlErrorKind::DuplicateAttribute {
                name: "xmlns:xml".into()
            })
        );
    }
}
