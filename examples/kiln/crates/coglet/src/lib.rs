//! coglet of the kiln example: one function, so that every Rust job has something to do.

/// The answer the Python tests ask coglet for.
pub fn answer() -> u32 {
    42
}

#[cfg(test)]
mod tests {
    #[test]
    fn answers() {
        assert_eq!(super::answer(), 42);
    }
}
