//! Confidentiality labels and clearances.
//!
//! (Work in progress: being written.)
