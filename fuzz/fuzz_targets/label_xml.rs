//! Arbitrary bytes as a STANAG 4774 XML label or clearance under the embedded policies: never a
//! panic; valid labels survive the XML and ESS round trips and render every marking code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crossguard::fuzzing::label_xml(data));
