//! Forbidden-word scanning against raw aho-corasick over the same bytes (being written).
#![allow(missing_docs)]

fn main() {}
