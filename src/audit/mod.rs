//! Tamper-evident audit records (being written).
