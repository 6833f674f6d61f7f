//! Arbitrary bytes as a DER ESS security label: never a panic; a decoded label re-encodes to DER
//! that decodes to the same label, and a canonical input re-encodes to itself.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::label_ess(data));
