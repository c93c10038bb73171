//! Where the packages are: `src/<package>/` or `<package>/` at the root.

use std::path::{Path, PathBuf};

use crate::answers::{package_from_name, Field, Raw};

use super::Detection;

/// Packages under `src/` or the root, and which layout they imply.
pub(super) fn detect_layout(target: &Path, name: Option<&str>, d: &mut Detection) {
    let find = |dir: PathBuf| -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut found: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("__init__.py").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                !matches!(
                    n.as_str(),
                    "tests" | "test" | "docs" | "scripts" | "examples" | "benchmarks"
                ) && !n.starts_with('.')
            })
            .collect();
        found.sort();
        found
    };
    let (src_layout, mut packages) = match find(target.join("src")) {
        p if !p.is_empty() => (Some(true), p),
        _ => match find(target.to_path_buf()) {
            p if !p.is_empty() => (Some(false), p),
            _ => (None, Vec::new()),
        },
    };
    // Prefer the package named like the project.
    if let Some(wanted) = name.map(package_from_name) {
        if let Some(i) = packages.iter().position(|p| *p == wanted) {
            let p = packages.remove(i);
            packages.insert(0, p);
        }
    }
    if let Some(first) = packages.first() {
        d.answers.insert(Field::Package, Raw::Text(first.clone()));
        let place = if src_layout == Some(true) {
            format!("src/{first}/")
        } else {
            format!("{first}/")
        };
        d.origins.insert(Field::Package, place);
    }
    d.facts.src_layout = src_layout;
    d.facts.packages = packages;
}
