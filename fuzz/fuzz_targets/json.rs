//! Arbitrary bytes through the JSON validator: never a panic, and chunked reading equals whole reading.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::json(data));
