//! Arbitrary text and word lists: the streaming word matcher agrees with the naive normalise-then-search oracle.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::words(data));
