//! Objects built of marking phrases, written in many ways, through the two flows of the
//! embedded laptop guard that inspect markings: never a panic, and an object whose markings
//! check passed holds, read naively, no marking above its NATO RESTRICTED label.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::guard_markings(data));
