//! Named limits on everything that input can make large.
//!
//! Every limit here is a named constant (the safe default) and a field of a configuration
//! struct, and exceeding it produces its own error variant that names the limit, so an
//! operator can tell "the document is malformed" from "the document is bigger than we allow".
//! Nothing input-controlled is allocated before the limit that bounds it has been checked.

/// Largest XML document accepted, in bytes (64 MiB).
pub const MAX_XML_INPUT_BYTES: usize = 64 * 1024 * 1024;
/// Deepest element nesting accepted (the root element is depth 1).
pub const MAX_XML_DEPTH: usize = 256;
/// Most attributes (namespace declarations included) on one element.
pub const MAX_XML_ATTRIBUTES: usize = 256;
/// Longest name (element, attribute, prefix, PI target or entity), in bytes, prefix included.
pub const MAX_XML_NAME_BYTES: usize = 1024;
/// Most namespace declarations in scope at once (the built-in `xml` binding not counted).
pub const MAX_XML_NAMESPACE_DECLARATIONS: usize = 256;
/// Most nodes in one document: elements, text runs, CDATA sections, comments and processing
/// instructions, counted as the reader reports them.
pub const MAX_XML_NODES: usize = 8 * 1024 * 1024;

/// Most bytes of input an error carries in one string field (a name, a namespace, a declared
/// encoding); longer values are cut at a character boundary and end in `…`, so that an error
/// never copies an attacker's megabytes. Not configurable: it bounds diagnostics, not input.
pub const MAX_ERROR_EXCERPT_BYTES: usize = 256;

/// The limits applied while reading one XML document.
///
/// [`XmlLimits::default`] gives the named constants above. A field can be raised for a known
/// large input (a bulk feed) or lowered for a small one (a label); each is checked before the
/// corresponding work is done.
///
/// ```
/// use crossguard::limits::XmlLimits;
/// let label_limits = XmlLimits { max_input_bytes: 64 * 1024, max_depth: 16, ..XmlLimits::default() };
/// assert_eq!(label_limits.max_attributes, crossguard::limits::MAX_XML_ATTRIBUTES);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct XmlLimits {
    /// See [`MAX_XML_INPUT_BYTES`].
    pub max_input_bytes: usize,
    /// See [`MAX_XML_DEPTH`].
    pub max_depth: usize,
    /// See [`MAX_XML_ATTRIBUTES`].
    pub max_attributes: usize,
    /// See [`MAX_XML_NAME_BYTES`].
    pub max_name_bytes: usize,
    /// See [`MAX_XML_NAMESPACE_DECLARATIONS`].
    pub max_namespace_declarations: usize,
    /// See [`MAX_XML_NODES`].
    pub max_nodes: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        Self {
            max_input_bytes: MAX_XML_INPUT_BYTES,
            max_depth: MAX_XML_DEPTH,
            max_attributes: MAX_XML_ATTRIBUTES,
            max_name_bytes: MAX_XML_NAME_BYTES,
            max_namespace_declarations: MAX_XML_NAMESPACE_DECLARATIONS,
            max_nodes: MAX_XML_NODES,
        }
    }
}
