//! A pattern and a text: the schema's bit-parallel matcher never panics and answers as regex-lite does.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::schema_pattern(data));
