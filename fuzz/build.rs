//! Like the main crate's build.rs: the fuzz binaries link libtorch (through vaner's rust-bert
//! and tch), so point their rpath at the wheel's torch/lib; `make setup` writes the path.
use std::path::Path;

fn main() {
    let rpath_file = Path::new("../.libtorch/rpath");
    println!("cargo:rerun-if-changed={}", rpath_file.display());
    if let Ok(dir) = std::fs::read_to_string(rpath_file) {
        let dir = dir.trim();
        if !dir.is_empty() {
            println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
        }
    }
}
