//! coglet: the Rust core of cog.
//!
//! The pure-Rust API lives here; `python.rs` exposes it to CPython as the extension module
//! `coglet._coglet`, built against the stable ABI (abi3, Python 3.10+) without pyo3.

/// The crate version (semver), the single source of truth being `crates/Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A friendly greeting; an empty or blank name greets the world.
pub fn greeting(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        "Hello, world!".to_string()
    } else {
        format!("Hello, {name}!")
    }
}

/// Adds two integers, `None` on overflow.
pub fn checked_add(a: i64, b: i64) -> Option<i64> {
    a.checked_add(b)
}

/// Whether a semver version carries a pre-release suffix (`0.17.0-alpha3`).
pub fn is_prerelease(version: &str) -> bool {
    let core = version.split('+').next().unwrap_or_default();
    core.contains('-')
}

// The extension module entry point references C-API symbols that only the interpreter
// provides, so it is left out of unit-test binaries (which are not loaded by Python).
#[cfg(not(test))]
mod python;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_the_workspace_version() {
        assert_eq!(VERSION, env!("CARGO_PKG_VERSION"));
        assert_eq!(VERSION.split('.').count(), 3);
    }

    #[test]
    fn greets_by_name() {
        assert_eq!(greeting("cog"), "Hello, cog!");
        assert_eq!(greeting("  Ada "), "Hello, Ada!");
    }

    #[test]
    fn greets_the_world_without_a_name() {
        assert_eq!(greeting(""), "Hello, world!");
        assert_eq!(greeting("   "), "Hello, world!");
    }

    #[test]
    fn adds_and_detects_overflow() {
        assert_eq!(checked_add(2, 40), Some(42));
        assert_eq!(checked_add(-5, 5), Some(0));
        assert_eq!(checked_add(i64::MAX, 1), None);
        assert_eq!(checked_add(i64::MIN, -1), None);
    }

    #[test]
    fn detects_prereleases() {
        assert!(!is_prerelease("0.17.0"));
        assert!(is_prerelease("0.17.0-alpha3"));
        assert!(is_prerelease("0.17.0-rc1+build5"));
        assert!(!is_prerelease("0.17.0+build5"));
    }
}
