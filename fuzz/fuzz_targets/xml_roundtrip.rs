//! Parse → canonical → parse is the identity on the tree; canonical form is a fixed point.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::xml_roundtrip(data));
