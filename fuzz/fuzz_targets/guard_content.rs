//! Arbitrary objects through the content checks of the embedded laptop guard's flows: never a
//! panic, and nothing the text rules forbid in an object that passes the format inspector.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::guard_content(data));
