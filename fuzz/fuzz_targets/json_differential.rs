//! Arbitrary bytes through the JSON validator: differential against serde_json (see `crossguard::fuzzing::json_differential`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::json_differential(data));
