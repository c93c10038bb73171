//! Reads the target project (the only module besides `output` that touches the disk for input).
//!
//! For now: the layout facts the blueprints need. Reading `pyproject.toml` into detected
//! answers comes with the retrofit work.

use std::path::Path;

use crate::context::Layout;

/// Readme names a Python project commonly declares, in the order they are preferred.
const READMES: &[&str] = &["README.md", "README.rst", "README.txt", "README"];

/// Layout of an existing project: src vs flat, which readme exists.
pub fn layout(target: &Path, package: &str) -> Layout {
    let src_layout = target.join("src").is_dir() || !target.join(package).is_dir();
    let readme = READMES
        .iter()
        .find(|r| target.join(r).is_file())
        .map(|r| r.to_string());
    Layout {
        src_layout,
        readme,
        just_file: "justfile".into(),
    }
}
