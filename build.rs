//! Points the binary's rpath at the real torch/lib folder of the wheel, so `vaner`
//! starts without LD_LIBRARY_PATH (cargo overrides that variable for its children).
use std::path::Path;

fn main() {
    let rpath_file = Path::new(".libtorch/rpath");
    println!("cargo:rerun-if-changed={}", rpath_file.display());
    if let Ok(dir) = std::fs::read_to_string(rpath_file) {
        let dir = dir.trim();
        if !dir.is_empty() {
            println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
        }
    }
}
