//! Arbitrary bytes through the streaming reader, cut into chunks chosen by the first byte:
//! the same events, node count or error (code, offset, line, column) as the whole-buffer
//! reader.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::xml_stream::xml_stream(data));
