//! Whether a plain copy of the package directory is exactly what the backend puts in the
//! wheel: no option that adds, drops or moves files, no symlink, and for setuptools no file
//! other than modules.

use std::path::Path;

use super::tool;

/// Why a plain copy of `code` would not be exactly what `backend` puts in the wheel, if it
/// would not be.
pub(super) fn overlay_refusal(
    target: &Path,
    doc: &toml::Table,
    backend: &str,
    code: &str,
) -> Option<String> {
    let tool = |path: &[&str]| tool(doc, path);
    // Options that add, drop or move files of the wheel.
    let wheel_options: &[(&[&str], &[&str])] = &[
        (&["hatch", "build", "targets", "wheel"], &["packages"]),
        (&["hatch", "build"], &["targets", "hooks", "dev-mode-dirs"]),
        (&["pdm", "build"], &["package-dir"]),
        (&["setuptools"], &["packages", "package-dir"]),
        (&["flit"], &[]),
        (&["uv", "build-backend"], &["module-root", "module-name"]),
        (&["poetry"], &["name", "version", "description", "authors"]),
    ];
    for (path, allowed) in wheel_options {
        if let Some(table) = tool(path).and_then(|t| t.as_table()) {
            if let Some(key) = table.keys().find(|k| !allowed.contains(&k.as_str())) {
                return Some(format!(
                    "[tool.{}] {} changes what the wheel holds",
                    path.join("."),
                    crate::safety::shown(key)
                ));
            }
        }
    }
    if let Some(packages) = tool(&["hatch", "build", "targets", "wheel", "packages"]) {
        let listed: Vec<&str> = packages
            .as_array()
            .map(|a| a.iter().filter_map(|p| p.as_str()).collect())
            .unwrap_or_default();
        if listed != [code] {
            return Some(
                "[tool.hatch.build.targets.wheel] packages names other directories".into(),
            );
        }
    }
    let mut files = Vec::new();
    if !walk(&target.join(code), "", &mut files) {
        return Some(format!("{code} holds a symlink or more than 2000 files"));
    }
    // setuptools ships only modules unless told otherwise (package-data, MANIFEST.in).
    if backend == "setuptools.build_meta" {
        if let Some(f) = files.iter().find(|f| !f.ends_with(".py")) {
            return Some(format!(
                "setuptools may leave {code}/{} out of the wheel",
                crate::safety::shown(f)
            ));
        }
    }
    None
}

/// The files below `dir` (relative, without caches), `false` on a symlink or too many files.
fn walk(dir: &Path, prefix: &str, files: &mut Vec<String>) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(kind) = e.file_type() else {
            return false;
        };
        let rel = format!("{prefix}{name}");
        if name == "__pycache__" || name.ends_with(".pyc") {
            continue;
        }
        if kind.is_symlink() || files.len() > 2000 {
            return false;
        }
        if kind.is_dir() {
            if !walk(&e.path(), &format!("{rel}/"), files) {
                return false;
            }
        } else {
            files.push(rel);
        }
    }
    true
}
