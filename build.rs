//! include_dir embeds `blueprints/` at compile time but cannot tell cargo about files
//! added later; this makes any change under `blueprints/` rebuild the crate.
fn main() {
    println!("cargo:rerun-if-changed=blueprints");
}
