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
/// Longest piece of markup that must be read whole, in bytes: a start or end tag with its
/// attributes, a processing instruction, the XML declaration — measured from its `<` to the
/// byte that ends it (1 MiB). Character data, CDATA sections and comments are not markup in
/// this sense: a streaming reader hands them on in pieces, so they may be of any length.
///
/// The whole-buffer [`Reader`](crate::xml::Reader) applies the same limit, so that it and the
/// streaming [`XmlStream`](crate::xml::XmlStream) accept exactly the same documents; it is
/// what bounds the memory a stream holds between two chunks.
pub const MAX_XML_MARKUP_BYTES: usize = 1024 * 1024;
/// Longest character or entity reference, in bytes from `&` to `;` (64). The longest useful
/// one is `&#x10FFFF;` (10 bytes); only leading zeros make a reference longer. A fixed
/// constant (not an [`XmlLimits`] field): it is a property of the grammar crossguard accepts,
/// and it bounds the partial reference a streaming reader carries between two chunks.
pub const MAX_XML_REFERENCE_BYTES: usize = 64;
/// Longest namespace name (the value of an `xmlns` or `xmlns:p` attribute), in bytes after
/// attribute-value normalisation (2 048). Namespace names are URIs of a few dozen bytes; the
/// bound keeps what a streaming reader re-establishes at each chunk (the bindings in scope,
/// at most [`MAX_XML_NAMESPACE_DECLARATIONS`] of them) within 512 KiB, so that a document
/// cannot make each chunk cost far more than its own bytes. Both readers apply it.
pub const MAX_XML_NAMESPACE_NAME_BYTES: usize = 2048;

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
    /// See [`MAX_XML_MARKUP_BYTES`].
    pub max_markup_bytes: usize,
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
            max_markup_bytes: MAX_XML_MARKUP_BYTES,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON (content inspection)
// ---------------------------------------------------------------------------------------------

/// Largest JSON document accepted, in bytes (16 MiB, the guard's default object limit). A
/// streaming validator is given a larger limit for bulk feeds; it never holds the document.
pub const MAX_JSON_INPUT_BYTES: u64 = 16 * 1024 * 1024;
/// Deepest nesting of arrays and objects accepted (the outermost container is depth 1).
pub const MAX_JSON_DEPTH: usize = 128;
/// Longest string (member name or value), in bytes as written (escapes counted as written).
pub const MAX_JSON_STRING_BYTES: usize = 1024 * 1024;
/// Longest number, in bytes as written.
pub const MAX_JSON_NUMBER_BYTES: usize = 64;
/// Most members in one object.
pub const MAX_JSON_MEMBERS: usize = 65_536;
/// Most bytes of member names held at once to find duplicates: the names of every object
/// still open, each counted as its unescaped length plus 8 (its bookkeeping, so that many
/// short names are bounded too). Bounds the memory of duplicate detection, which must remember
/// names.
pub const MAX_JSON_NAME_BYTES: usize = 4 * 1024 * 1024;

/// The limits applied while validating one JSON document.
///
/// ```
/// use crossguard::limits::JsonLimits;
/// let feed = JsonLimits { max_input_bytes: u64::MAX, ..JsonLimits::default() };
/// assert_eq!(feed.max_depth, crossguard::limits::MAX_JSON_DEPTH);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonLimits {
    /// See [`MAX_JSON_INPUT_BYTES`].
    pub max_input_bytes: u64,
    /// See [`MAX_JSON_DEPTH`].
    pub max_depth: usize,
    /// See [`MAX_JSON_STRING_BYTES`].
    pub max_string_bytes: usize,
    /// See [`MAX_JSON_NUMBER_BYTES`].
    pub max_number_bytes: usize,
    /// See [`MAX_JSON_MEMBERS`].
    pub max_members: usize,
    /// See [`MAX_JSON_NAME_BYTES`].
    pub max_name_bytes: usize,
}

impl Default for JsonLimits {
    fn default() -> Self {
        Self {
            max_input_bytes: MAX_JSON_INPUT_BYTES,
            max_depth: MAX_JSON_DEPTH,
            max_string_bytes: MAX_JSON_STRING_BYTES,
            max_number_bytes: MAX_JSON_NUMBER_BYTES,
            max_members: MAX_JSON_MEMBERS,
            max_name_bytes: MAX_JSON_NAME_BYTES,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Text (content inspection)
// ---------------------------------------------------------------------------------------------

/// Largest text accepted by default, in bytes (16 MiB); a stream sets its own.
pub const MAX_TEXT_INPUT_BYTES: u64 = 16 * 1024 * 1024;
/// Longest line accepted by default, in bytes, its line break not counted.
pub const MAX_TEXT_LINE_BYTES: u64 = 64 * 1024;

/// The limits of one text ([`crate::inspect::text`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextLimits {
    /// See [`MAX_TEXT_INPUT_BYTES`].
    pub max_input_bytes: u64,
    /// See [`MAX_TEXT_LINE_BYTES`].
    pub max_line_bytes: u64,
}

impl Default for TextLimits {
    fn default() -> Self {
        Self {
            max_input_bytes: MAX_TEXT_INPUT_BYTES,
            max_line_bytes: MAX_TEXT_LINE_BYTES,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The guard's words and markings inspectors
// ---------------------------------------------------------------------------------------------

/// Most matches a `words` or `markings` refusal of the guard lists (every one counts; the rest
/// are summarised by their number).
pub const MAX_REPORTED_MATCHES: usize = 8;

/// Most classification markings the guard's `markings` inspector examines in one object before
/// refusing it as unexaminable (`too-many-markings`): a document quoting markings thousands of
/// times is not one a guard should release unread. Different markings: one phrase found again
/// at one offset (a string written with escapes places every match at its start) counts once,
/// so that repeats cannot fill the places and leave a later marking unread.
pub const MAX_MARKINGS_EXAMINED: usize = 4096;

/// Most labels whose `words` and `markings` reading a guard keeps (per label bytes and flow):
/// a label is usually sent with many objects, and reading it costs about as much as a small
/// object's whole decision. The least recently added is dropped first; a label of more than
/// [`MAX_CACHED_LABEL_BYTES`] is read every time.
pub const MAX_CACHED_LABEL_SCANS: usize = 64;

/// Largest label kept by the cache of [`MAX_CACHED_LABEL_SCANS`] (so that it holds at most
/// 64 × 16 KiB of labels).
pub const MAX_CACHED_LABEL_BYTES: usize = 16 * 1024;

// ---------------------------------------------------------------------------------------------
// DER (ESS security labels, X.509 Clearance attributes, certificates)
// ---------------------------------------------------------------------------------------------

/// Largest DER label or clearance accepted, in bytes (64 KiB). ESS labels are tens of bytes.
pub const MAX_DER_INPUT_BYTES: usize = 64 * 1024;
/// Largest certificate accepted when extracting clearances, in bytes (64 KiB), PEM included.
pub const MAX_CERTIFICATE_BYTES: usize = 64 * 1024;
/// Deepest nesting of constructed DER values accepted. The deepest structure crossguard reads
/// (a category value inside a Clearance inside an attribute inside an extension) needs 8.
pub const MAX_DER_DEPTH: usize = 16;
/// Longest object identifier accepted, in content octets (RFC 5280 implementations commonly
/// accept 64-odd; the UUID arc `2.25.<128-bit>` needs 20).
pub const MAX_OID_BYTES: usize = 64;
/// Most security categories in one label or clearance (`ub-security-categories` of RFC 2634).
pub const MAX_SECURITY_CATEGORIES: usize = 64;
/// Most values (bits set or integers listed) in one security category.
pub const MAX_CATEGORY_VALUES: usize = 1024;
/// Largest category value (`lacv`) accepted: bit numbers and `SecurityAttribute` integers
/// above this are refused rather than expanded into huge bit strings.
pub const MAX_LACV: u32 = 65_535;
/// Longest privacy mark, in bytes (`ub-privacy-mark-length` is 128 characters for
/// PrintableString; the UTF8String form is bounded here at the same count of bytes × 4).
pub const MAX_PRIVACY_MARK_BYTES: usize = 512;
/// Most Clearance values in one attribute (one per policy).
pub const MAX_CLEARANCES_PER_ATTRIBUTE: usize = 16;

// ---------------------------------------------------------------------------------------------
// Security policies (Open XML SPIF)
// ---------------------------------------------------------------------------------------------

/// Largest SPIF document accepted, in bytes (4 MiB; the NATO SPIF is about 80 KiB).
pub const MAX_SPIF_INPUT_BYTES: usize = 4 * 1024 * 1024;
/// Most classifications in one policy (a compiled clearance holds them in one 64-bit word).
pub const MAX_POLICY_CLASSIFICATIONS: usize = 64;
/// Most security category tags (`securityCategoryTag`, across all tag sets) in one policy.
pub const MAX_POLICY_TAGS: usize = 64;
/// Most categories (`tagCategory`) in one policy, across all tags.
pub const MAX_POLICY_CATEGORIES: usize = 16 * 1024;
/// Most rules (`requiredCategory`, `excludedCategory`, `excludedClass`, equivalences and
/// marking entries) in one policy, counted together.
pub const MAX_POLICY_RULES: usize = 256 * 1024;
/// Most compiled rule storage in one policy: category ids listed by rules plus 64-bit mask
/// words, over all rules (a rule over a 16 Ki-category tag costs 16 Ki ids and 256 words, so
/// this bounds the memory a hostile SPIF can make a guard spend at about 32 MiB).
pub const MAX_POLICY_RULE_MEMBERS: usize = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// STANAG 4774 XML labels and clearances
// ---------------------------------------------------------------------------------------------

/// Largest 4774 XML label or clearance document accepted, in bytes (64 KiB).
pub const MAX_LABEL_XML_BYTES: usize = 64 * 1024;
/// Deepest element nesting accepted in a label document (extensions included).
pub const MAX_LABEL_XML_DEPTH: usize = 32;
/// Most `Category` elements in one label or clearance.
pub const MAX_LABEL_CATEGORIES: usize = MAX_SECURITY_CATEGORIES;

// ---------------------------------------------------------------------------------------------
// Audit log (src/audit/)
// ---------------------------------------------------------------------------------------------

/// Longest audit log line (one entry, its newline included), in bytes (1 MiB). A sink refuses
/// to write a longer entry (the record is too large: the caller must deny), and the verifier
/// refuses to read one, so a log file cannot make verification buffer more than this per line.
pub const MAX_AUDIT_LINE_BYTES: usize = 1024 * 1024;
/// Largest audit key file read, in bytes (4 KiB). A key file holds at most 1024 hex digits
/// and a line break, or [`MAX_AUDIT_KEY_BYTES`] raw bytes.
pub const MAX_AUDIT_KEY_FILE_BYTES: usize = 4 * 1024;
/// Fewest bytes of audit key material accepted (32: the HMAC-SHA256 output length).
pub const MIN_AUDIT_KEY_BYTES: usize = 32;
/// Most bytes of audit key material accepted (512, which is 1024 hex digits).
pub const MAX_AUDIT_KEY_BYTES: usize = 512;

// ---- guard ----

/// Largest guard configuration file (TOML), in bytes.
pub const MAX_CONFIG_BYTES: usize = 1024 * 1024;
/// The guard's default `max_object_bytes` when the configuration gives none (16 MiB).
pub const DEFAULT_MAX_OBJECT_BYTES: usize = 16 * 1024 * 1024;
/// Longest transfer identifier and declared type a guard accepts, in bytes; longer ones are
/// denied at the flow stage (they are copied into the audit record).
pub const MAX_TRANSFER_FIELD_BYTES: usize = 256;
/// Longest guard name, in bytes (it prefixes every generated transfer id, which must stay
/// within [`MAX_TRANSFER_FIELD_BYTES`]).
pub const MAX_GUARD_NAME_BYTES: usize = 64;
