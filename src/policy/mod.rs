//! Security policies compiled from Open XML SPIF files.
//!
//! (Work in progress: being written.)
