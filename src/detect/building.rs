//! What the wheel build needs beyond Python: a C compiler (extensions) and the version from git
//! (hatch-vcs, setuptools-scm).

use std::path::Path;

use super::{read, Detection};

/// Build requirements that compile C/C++ code.
const COMPILING: &[&str] = &[
    "cython",
    "cffi",
    "pybind11",
    "scikit-build",
    "scikit-build-core",
    "meson-python",
    "nanobind",
];
/// Build requirements that take the version from git.
const SCM: &[&str] = &["hatch-vcs", "setuptools-scm", "setuptools_scm"];

/// `[build-system].requires` of `doc` as normalised names.
fn build_requires(doc: Option<&toml::Table>) -> Vec<String> {
    doc.and_then(|d| d.get("build-system"))
        .and_then(|b| b.get("requires"))
        .and_then(|r| r.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .map(|r| {
                    r.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                        .next()
                        .unwrap_or_default()
                        .to_ascii_lowercase()
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn detect_building(target: &Path, doc: Option<&toml::Table>, d: &mut Detection) {
    let requires = build_requires(doc);
    d.facts.scm_version = requires.iter().any(|r| SCM.contains(&r.as_str()))
        || read(target, &target.join("setup.py"))
            .is_ok_and(|t| t.contains("use_scm_version") || t.contains("setuptools_scm"));
    let setup_py = read(target, &target.join("setup.py")).unwrap_or_default();
    d.facts.needs_compiler =
        if let Some(r) = requires.iter().find(|r| COMPILING.contains(&r.as_str())) {
            Some(format!("[build-system] requires {r}"))
        } else if setup_py.contains("ext_modules") || setup_py.contains("Extension(") {
            Some("setup.py declares ext_modules".into())
        } else {
            find_sources(target, 0).map(|f| format!("C sources such as {f}"))
        };
}

/// A `.c`, `.cpp` or `.pyx` file at most three directories deep (skipping hidden, virtualenv
/// and build directories), relative to the project.
fn find_sources(dir: &Path, depth: usize) -> Option<String> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut dirs = Vec::new();
    for e in entries.filter_map(|e| e.ok()).take(500) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            if depth < 3
                && !name.starts_with('.')
                && !matches!(
                    name.as_str(),
                    "venv" | "build" | "dist" | "node_modules" | "docs" | "__pycache__"
                )
            {
                dirs.push((e.path(), name));
            }
        } else if kind.is_file()
            && [".c", ".cpp", ".cc", ".pyx"]
                .iter()
                .any(|x| name.ends_with(x))
        {
            return Some(name);
        }
    }
    dirs.sort();
    dirs.into_iter()
        .find_map(|(p, n)| find_sources(&p, depth + 1).map(|f| format!("{n}/{f}")))
}
