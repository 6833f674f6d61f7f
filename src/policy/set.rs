//! A set of compiled policies, looked up by name or identifier.

use super::error::{PolicyError, PolicyErrorKind};
use super::{Oid, Policy, ValueCase};

/// The policies a guard or a command knows, each unique by name and identifier.
///
/// ```
/// use crossguard::policy::PolicySet;
/// let set = PolicySet::embedded()?;
/// assert!(set.find("XLAND").is_some());
/// assert!(set.find("urn:oid:2.25.126012349812034871230498712304987123").is_some());
/// # Ok::<(), crossguard::policy::PolicyError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct PolicySet {
    policies: Vec<Policy>,
}

impl PolicySet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The embedded default policies ([`super::embedded`]).
    pub fn embedded() -> Result<Self, PolicyError> {
        let mut set = Self::new();
        for spif in super::embedded::ALL {
            set.insert(Policy::from_spif(spif)?)?;
        }
        Ok(set)
    }

    /// Adds a policy; a second policy with the same name or identifier is an error.
    pub fn insert(&mut self, policy: Policy) -> Result<(), PolicyError> {
        let clash = self
            .policies
            .iter()
            .find(|p| p.id == policy.id || p.name == policy.name);
        if let Some(existing) = clash {
            let (what, value) = if existing.id == policy.id {
                ("policy identifier", policy.id.to_string())
            } else {
                ("policy name", policy.name.to_string())
            };
            return Err(PolicyError::at_start(PolicyErrorKind::Duplicate {
                what,
                value: crate::xml::excerpt(&value),
            }));
        }
        self.policies.push(policy);
        Ok(())
    }

    /// The policy at `index` in insertion order.
    pub fn get(&self, index: usize) -> Option<&Policy> {
        self.policies.get(index)
    }

    /// The insertion index of the policy [`Self::find`] would return.
    pub fn position(&self, name_or_oid: &str) -> Option<usize> {
        let found = self.find(name_or_oid)?;
        self.policies.iter().position(|p| core::ptr::eq(p, found))
    }

    /// The policies in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Policy> {
        self.policies.iter()
    }

    /// Number of policies.
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// The policy with this identifier.
    pub fn by_id(&self, id: &Oid) -> Option<&Policy> {
        self.policies.iter().find(|p| p.id == *id)
    }

    /// The policy whose `urn:oid:` URI is exactly this.
    pub fn by_uri(&self, uri: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| &*p.uri == uri)
    }

    /// The policy with this name: exact match first, then a case-insensitive match for
    /// policies whose values are case-insensitive (NATO, PUBLIC).
    pub fn by_name(&self, name: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| &*p.name == name).or_else(|| {
            self.policies.iter().find(|p| {
                p.value_case == ValueCase::Insensitive && p.value_case.equal(&p.name, name)
            })
        })
    }

    /// A policy by name, dotted OID or `urn:oid:` URI (what a user types).
    pub fn find(&self, name_or_oid: &str) -> Option<&Policy> {
        let dotted = name_or_oid.strip_prefix("urn:oid:").unwrap_or(name_or_oid);
        Oid::from_dotted(dotted)
            .ok()
            .and_then(|id| self.by_id(&id))
            .or_else(|| self.by_name(name_or_oid))
    }
}
