//! Arbitrary bytes through the pull reader and the tree: never a panic, and both agree.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::xml_reader(data));
