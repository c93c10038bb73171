//! The walk that finds packages: regular packages, and the portions of namespace packages
//! (PEP 420 directories, or legacy `__init__.py` that only declare a namespace), bounded in
//! entries and depth.

use std::path::{Path, PathBuf};

use super::super::{identifier, read};

/// Directories that hold no import package of the project, wherever they are.
const NOT_PACKAGES: &[&str] = &["tests", "test", "docs", "scripts", "examples", "benchmarks"];

/// Directories never searched for namespace portions: installed or built trees.
const NOT_NAMESPACES: &[&str] = &[
    "build",
    "dist",
    "node_modules",
    "site_packages",
    "venv",
    "__pycache__",
];

/// Entries looked at per directory (a hostile tree stays cheap to walk).
const ENTRIES_MAX: usize = 1000;

/// How deep a namespace goes above its package (`a.b.c.pkg` at most).
const NAMESPACE_DEPTH: usize = 3;

/// A package found under a directory.
pub(super) struct Found {
    /// The dotted import name (`pdm.backend`).
    pub(super) name: String,
    /// It is the portion of a namespace package.
    pub(super) namespace: bool,
    /// The namespace is marked as one by a legacy `__init__.py` (pkg_resources or pkgutil).
    pub(super) declared: bool,
}

/// The packages in `dir` (whose import prefix is `prefix`): a directory with a regular
/// `__init__.py` is one; a directory without one, or with a legacy namespace `__init__.py`,
/// is a namespace whose packages are looked for inside, `NAMESPACE_DEPTH` levels at most.
pub(super) fn packages_in(
    target: &Path,
    dir: &Path,
    prefix: &str,
    depth: usize,
    declared: bool,
    out: &mut Vec<Found>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<(String, PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .map(|e| {
            let real_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (
                e.file_name().to_string_lossy().into_owned(),
                e.path(),
                real_dir,
            )
        })
        .filter(|(n, _, _)| !NOT_PACKAGES.contains(&n.as_str()) && !n.starts_with('.'))
        .collect();
    entries.sort();
    entries.truncate(ENTRIES_MAX);
    for (name, path, real_dir) in entries {
        let init = path.join("__init__.py");
        let legacy = init.is_file() && legacy_namespace(target, &path);
        if init.is_file() && !legacy {
            out.push(Found {
                name: format!("{prefix}{name}"),
                namespace: depth > 0,
                declared,
            });
        } else if real_dir
            && depth < NAMESPACE_DEPTH
            && identifier(&name)
            && !NOT_NAMESPACES.contains(&name.as_str())
        {
            packages_in(
                target,
                &path,
                &format!("{prefix}{name}."),
                depth + 1,
                declared || legacy,
                out,
            );
        }
    }
}

/// `dir/__init__.py` only declares a namespace the pre-PEP 420 way
/// (`__import__('pkg_resources').declare_namespace(__name__)`, or pkgutil's `extend_path`)
/// and the directory has no module of its own beside it (`zope/` of `zope.interface`).
fn legacy_namespace(target: &Path, dir: &Path) -> bool {
    let Ok(text) = read(target, &dir.join("__init__.py")) else {
        return false;
    };
    let declares = text.contains("declare_namespace(") || text.contains("extend_path(");
    let modules = std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(|e| e.ok()).any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.ends_with(".py") && n != "__init__.py"
        })
    });
    declares && !modules
}
