//! A JSON Schema subset, compiled once and evaluated while streaming tokens (being written).
