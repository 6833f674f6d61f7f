//! An arbitrary schema and document: compiling never panics, and streaming evaluation agrees with the reference.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::json_schema(data));
