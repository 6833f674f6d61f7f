//! Arbitrary bytes as a DER Clearance or clearance Attribute: never a panic; decoded values
//! re-encode (current and legacy forms) to DER that decodes to the same values.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::clearance_der(data));
