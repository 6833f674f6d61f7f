//! Arbitrary bytes through the text inspector: never a panic, chunked equals whole, and what
//! is accepted obeys the rules (see `crossguard::fuzzing::inspect_text`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::inspect_text(data));
