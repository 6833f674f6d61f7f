//! Strict DER (X.690 Distinguished Encoding Rules) reading and writing, zero-copy.
//!
//! (Work in progress: being written.)
