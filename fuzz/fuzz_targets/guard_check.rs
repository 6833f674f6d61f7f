//! Arbitrary label bytes through the embedded laptop guard on every edge: never a panic, never
//! a release of a label that does not read, validate and pass the destination clearance.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::guard_check(data));
