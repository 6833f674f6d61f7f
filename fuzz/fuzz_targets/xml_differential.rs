//! crossguard against roxmltree: both accept or both reject (with the justified differences
//! listed in tests/common/differential.rs), and accepted documents give the same tree.
#![no_main]

#[path = "../../tests/common/differential.rs"]
mod differential;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(disagreement) = differential::compare(data) {
        panic!("{disagreement}");
    }
});
