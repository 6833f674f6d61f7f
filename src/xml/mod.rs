//! The strict, zero-copy XML core.
//!
//! Every label, policy and binding crossguard reads is XML, so this is the first code that
//! untrusted bytes reach. It accepts exactly the documents that are well-formed under XML 1.0
//! (Fifth Edition) and namespace-well-formed under Namespaces in XML 1.0, **without** a document
//! type declaration, in UTF-8 (optionally with a byte-order mark) or declared US-ASCII. It
//! refuses everything else with an [`XmlError`] naming the rule, the byte offset, the line and
//! column, and the open elements. See `docs/xml.md` for the full list and the reasons.
//!
//! Four ways in:
//! - [`Reader`]: a pull parser yielding [`Event`]s that borrow the input (allocation-free per
//!   element once warm);
//! - [`XmlStream`]: the same parser fed in chunks, for documents of any size in bounded
//!   memory; it accepts exactly what the [`Reader`] accepts and rejects the rest with the same
//!   error at the same position, whatever the chunking;
//! - [`Document`]: a read-only tree built from the reader, for label and policy code;
//! - [`canonical`] / [`write_canonical`]: Exclusive XML Canonicalization 1.0 of a tree, so that
//!   signatures can digest canonical bytes and `parse → write → parse` is the identity.
//!
//! All sizes are bounded by [`XmlLimits`](crate::limits::XmlLimits).

mod canonical;
mod chars;
mod declaration;
mod error;
mod extent;
mod input;
mod namespace;
mod reader;
mod reference;
mod stream;
mod tree;

pub use canonical::{
    canonical, canonical_within, write_canonical, write_canonical_subtree, Comments,
};
pub use declaration::{Declaration, DeclaredEncoding};
pub(crate) use error::excerpt;
pub use error::{line_and_column, ReservedNamespaceRule, XmlError, XmlErrorKind};
pub use namespace::{Binding, NamespaceId, NamespaceTable, XMLNS_NAMESPACE, XML_NAMESPACE};
pub use reader::{Attribute, EndTag, Event, ProcessingInstruction, QName, Reader, StartTag, Text};
pub use stream::{XmlStats, XmlStream};
pub use tree::{Document, Node, NodeAttribute, NodeType, Siblings};
