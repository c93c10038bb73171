//! The project's Python modules, read once as text: those of its package (under `src/` or the
//! root) and the root-level scripts, each with its dotted import name.

use std::path::{Path, PathBuf};

use crate::detect::{identifier, read};
use crate::model::package_dir;

/// A Python module of the project, read once.
pub(in crate::detect) struct Module {
    /// Path relative to the project, for origins (`src/notes/__init__.py`).
    pub rel: String,
    /// Dotted import name (`notes`, `notes.app`).
    pub name: String,
    pub text: String,
}

/// The modules of `package` (under `src/` or the root), plus root-level `*.py` of a flat
/// project, at most four levels deep, sorted by path.
pub(in crate::detect) fn modules(
    target: &Path,
    package: Option<&str>,
    src_layout: bool,
) -> Vec<Module> {
    let root = if src_layout {
        target.join("src")
    } else {
        target.to_path_buf()
    };
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(package) = package {
        files.extend(
            walkdir::WalkDir::new(root.join(package_dir(package)))
                .max_depth(4)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "py")),
        );
    }
    if let Ok(entries) = std::fs::read_dir(&root) {
        files.extend(
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "py"))
                .filter(|p| !p.ends_with("setup.py") && !p.ends_with("manage.py")),
        );
    }
    files.sort();
    files
        .into_iter()
        .take(500)
        .filter_map(|file| {
            let text = read(target, &file).ok()?;
            Some(Module {
                rel: file
                    .strip_prefix(target)
                    .unwrap_or(&file)
                    .display()
                    .to_string(),
                name: module_name(&root, &file)?,
                text,
            })
        })
        .collect()
}

fn module_name(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?.with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "__init__") {
        parts.pop();
    }
    parts
        .iter()
        .all(|p| identifier(p))
        .then(|| parts.join("."))
        .filter(|n| !n.is_empty())
}
