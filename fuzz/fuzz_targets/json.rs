//! Arbitrary bytes through the JSON validator: never a panic, chunked reading equals whole
//! reading, and what is accepted canonicalises (RFC 8785) to an equal value, as a fixed point.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crossguard::fuzzing::json(data);
    crossguard::fuzzing::json_canonical(data);
});
