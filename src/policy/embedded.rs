//! The embedded default policies: test data with a private OID arc, never real NATO files.
//!
//! - [`NATO_DEMO_SPIF`]: a NATO-like demo policy (`NATO`, `2.25.126012349812034871230498712304987123`)
//!   extending the example of standards.md §3.8 with a mandatory permissive `Context` tag set
//!   and an `Only` tag set;
//! - [`XLAND_SPIF`]: a national policy (`XLAND`, `2.25.126012349812034871230498712304987124`)
//!   with equivalences to and from the demo NATO policy.
//!
//! The command-line tool uses them when no `--policy` is given. The files are
//! `tests/data/policy/nato-demo.xml` and `tests/data/policy/xland.xml`.

/// The NATO-like demo SPIF.
pub const NATO_DEMO_SPIF: &[u8] = include_bytes!("../../tests/data/policy/nato-demo.xml");

/// The XLAND national SPIF.
pub const XLAND_SPIF: &[u8] = include_bytes!("../../tests/data/policy/xland.xml");

/// Every embedded SPIF.
pub const ALL: [&[u8]; 2] = [NATO_DEMO_SPIF, XLAND_SPIF];
