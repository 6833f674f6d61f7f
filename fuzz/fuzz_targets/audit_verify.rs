//! Arbitrary bytes as an audit log, verified with a fixed key: never a panic; a log that
//! verifies strictly also verifies when unsealed logs are allowed, with the same summary, and
//! is sealed.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::audit_verify(data));
