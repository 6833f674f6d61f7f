//! Arbitrary text as a guard configuration: never a panic; a guard that builds releases only
//! along its configured flows.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::guard_config(data));
