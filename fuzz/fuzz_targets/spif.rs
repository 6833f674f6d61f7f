//! Arbitrary bytes as an Open XML SPIF: never a panic; a compiled policy answers its own
//! lookups consistently.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::spif(data));
