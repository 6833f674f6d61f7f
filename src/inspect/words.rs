//! Forbidden words and phrases (being written).
