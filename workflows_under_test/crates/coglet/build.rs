//! Link settings for the CPython extension module.
//!
//! Extension modules never link libpython: the interpreter that loads them provides the
//! C-API symbols.  Linux allows undefined symbols in shared objects by default; macOS
//! needs to be told to look them up at load time.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("macos") {
        println!("cargo:rustc-cdylib-link-arg=-undefined");
        println!("cargo:rustc-cdylib-link-arg=dynamic_lookup");
    }
}
