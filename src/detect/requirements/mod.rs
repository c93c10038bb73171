//! Applications without `pyproject.toml`: the requirements files (`requirements.txt`, a
//! `requirements/` folder, `requirements-dev.txt`…), `Pipfile` + `Pipfile.lock`, or a bare tree
//! with `main.py`/`app.py`/`manage.py`/`wsgi.py`. Nothing is built: the dependencies go to
//! /opt/venv and the tree to /app (the app-tree runtime).
//!
//! The requirement files are read here, never run: `-r`/`-c` includes are followed (inside the
//! project, each path one the Dockerfiles may `COPY`, a bounded depth, each file once),
//! `--hash` pins decide `--require-hashes`, an https `--index-url` is honoured and said, one
//! with credentials is refused (it would be baked into a layer), and editable or local-path
//! lines are refused: nothing installs the project itself.
//!
//! `mod.rs` finds the application (the files at the root or in the folder it runs from) and
//! says why; `read` reads one requirements file with its includes, `lines` splits it as pip
//! does, `indexes` checks the package indexes it names, `hashes` decides pip's hash-checking
//! mode and `pipfile` reads a `Pipfile` with its lock.

mod hashes;
mod indexes;
mod lines;
mod pipfile;
mod read;

use std::path::Path;

use crate::error::Result;
use crate::facts::AppRequirements;

use hashes::hash_mode;
use pipfile::pipfile_app;
use read::{read_tree, Read};

/// The file the image installs, the first found.
const RUNTIME: &[&str] = &[
    "requirements.txt",
    "requirements/production.txt",
    "requirements/prod.txt",
    "requirements/base.txt",
    "requirements/common.txt",
];
/// The file the test image adds, the first found: test files before development ones.
const TESTS: &[&str] = &[
    "requirements/test.txt",
    "requirements/tests.txt",
    "requirements/testing.txt",
    "requirements/dev.txt",
    "requirements/development.txt",
    "requirements/local.txt",
    "requirements-test.txt",
    "requirements-tests.txt",
    "requirements-dev.txt",
    "requirements_test.txt",
    "requirements_dev.txt",
    "test-requirements.txt",
    "dev-requirements.txt",
];
/// Entry modules of an application tree without any dependency file.
pub(super) const ENTRIES: &[&str] = &["main.py", "app.py", "manage.py", "wsgi.py"];
/// Folders an application keeps its code (and often its requirements) in and runs from, as
/// `cd src && uvicorn main:app` does: its modules import each other as top-level modules
/// (`from routers import items`), which works only with the folder as the working directory.
const APP_DIRS: &[&str] = &["src"];
/// Entry modules that make such a folder the application's (Django's `manage.py` is read at
/// the root only).
const DIR_ENTRIES: &[&str] = &["main.py", "app.py", "wsgi.py", "asgi.py"];

/// The application the tree at `target` is, when it has no `pyproject.toml`, `setup.py` or
/// `setup.cfg`: its dependency files, and the requirement names they declare (for the kind and
/// the server); `None` when nothing marks an application.
pub(super) fn detect_app(target: &Path) -> Result<Option<(AppRequirements, Vec<String>)>> {
    let app_dir = app_dir(target);
    let found = detect_files(target, app_dir.as_ref().map(|(dir, _)| dir.as_str()))?;
    Ok(match (found, app_dir) {
        (Some((mut app, names)), Some((dir, why))) => {
            app.why.push_str(&format!("; {why}"));
            app.app_dir = Some(dir);
            Some((app, names))
        }
        (found, _) => found,
    })
}

/// The folder the application runs from when it is not the root (`src`), and why: the root
/// holds no entry module, the folder holds one and is no package of its own (a `src/__init__.py`
/// makes `src` a package imported from the root). A real directory, never a symlink.
fn app_dir(target: &Path) -> Option<(String, String)> {
    if ENTRIES.iter().any(|f| target.join(f).is_file()) {
        return None;
    }
    APP_DIRS.iter().find_map(|dir| {
        let path = target.join(dir);
        let real_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !real_dir || path.join("__init__.py").exists() {
            return None;
        }
        let entry = DIR_ENTRIES.iter().find(|f| {
            std::fs::symlink_metadata(path.join(f)).is_ok_and(|m| m.is_file())
        })?;
        Some((
            dir.to_string(),
            format!(
                "the app runs from {dir}/ ({dir}/{entry}, no entry module at the root: its modules import each other from there)"
            ),
        ))
    })
}

/// The dependency files of the tree at `target`: at the root first, then in the folder the
/// application runs from (`src/requirements.txt`).
fn detect_files(
    target: &Path,
    app_dir: Option<&str>,
) -> Result<Option<(AppRequirements, Vec<String>)>> {
    let pipfile = target.join("Pipfile").is_file();
    // Each list at the root, then inside the app's folder.
    let candidates = |list: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = list.iter().map(|f| f.to_string()).collect();
        if let Some(dir) = app_dir {
            all.extend(list.iter().map(|f| format!("{dir}/{f}")));
        }
        all
    };
    let runtime = candidates(RUNTIME)
        .into_iter()
        .find(|f| target.join(f).is_file());
    if pipfile && runtime.is_none() {
        return pipfile_app(target).map(Some);
    }
    let Some(runtime) = runtime else {
        let entries = candidates(ENTRIES);
        if let Some(entry) = entries.iter().find(|f| target.join(f).is_file()) {
            return Ok(Some((
                AppRequirements {
                    why: format!("no dependency file, only {entry}: the venv holds no packages"),
                    ..AppRequirements::default()
                },
                Vec::new(),
            )));
        }
        return Ok(None);
    };
    let runtime = runtime.as_str();
    let run = read_tree(target, runtime)?;
    let test_file = candidates(TESTS)
        .into_iter()
        .find(|f| target.join(f).is_file() && *f != runtime);
    let test_file = test_file.as_deref();
    let test = test_file.map(|f| read_tree(target, f)).transpose()?;
    let mut why = format!("dependencies from {runtime}{}", includes(&run));
    if let Some(index) = run.indexes.first() {
        why.push_str(&format!("; packages from the index {index}"));
    }
    let hashes = hash_mode(target, runtime, &run)?;
    let test_hashes = match (&test, test_file) {
        (Some(t), Some(f)) => hash_mode(target, f, t)?,
        _ => false,
    };
    if let (Some(t), Some(f)) = (&test, test_file) {
        why.push_str(&format!("; tests add {f}{}", includes(t)));
    }
    let test_files: Vec<String> = test
        .as_ref()
        .map(|t| {
            t.files
                .iter()
                .filter(|f| !run.files.contains(f))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut indexes = run.indexes.clone();
    for i in test.iter().flat_map(|t| &t.indexes) {
        if !indexes.contains(i) {
            indexes.push(i.clone());
        }
    }
    let mut names = run.names.clone();
    // The server the tests' file declares is not one the image has.
    names.dedup();
    Ok(Some((
        AppRequirements {
            file: Some(runtime.to_string()),
            files: run.files,
            test_file: test_file.map(|f| f.to_string()),
            test_files,
            hashes,
            test_hashes,
            pipfile: false,
            indexes,
            why,
            app_dir: None,
        },
        names,
    )))
}

/// The project's name when nothing declares one: its directory's name, PEP 503 normalised
/// (`My Shop_App` → `my-shop-app`); `None` when no letter or digit is left.
pub(super) fn directory_name(target: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(target).ok()?;
    let raw = dir.file_name()?.to_string_lossy().to_lowercase();
    let mut name = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_string();
    (!name.is_empty()).then_some(name)
}

/// ` (includes a.txt, b.txt)` for the files a requirements file pulls in.
fn includes(read: &Read) -> String {
    if read.files.len() < 2 {
        return String::new();
    }
    format!(" (includes {})", read.files[1..].join(", "))
}

#[cfg(test)]
mod tests {
    use super::super::project as tree;
    use super::*;

    pub(super) fn found(files: &[(&str, &str)]) -> Result<Option<(AppRequirements, Vec<String>)>> {
        let dir = tree(files);
        detect_app(dir.path())
    }

    pub(super) fn refused(files: &[(&str, &str)]) -> String {
        found(files).unwrap_err().to_string()
    }

    #[test]
    fn bare_trees_and_non_apps() {
        let (app, names) = found(&[("app.py", "print(1)\n")]).unwrap().unwrap();
        assert!(app.file.is_none() && names.is_empty());
        assert!(found(&[("notes.txt", "")]).unwrap().is_none());
    }

    #[test]
    fn an_app_under_src_is_run_from_there_with_its_requirements() {
        let (app, names) = found(&[
            ("src/requirements.txt", "fastapi==0.115.4\nuvicorn\n"),
            ("src/requirements-dev.txt", "-r requirements.txt\npytest\n"),
            ("src/main.py", "from routers import items\n"),
            ("src/routers/__init__.py", ""),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(app.file.as_deref(), Some("src/requirements.txt"));
        assert_eq!(app.files, ["src/requirements.txt"]);
        assert_eq!(app.test_file.as_deref(), Some("src/requirements-dev.txt"));
        assert_eq!(app.test_files, ["src/requirements-dev.txt"]);
        assert_eq!(app.app_dir.as_deref(), Some("src"));
        assert_eq!(names, ["fastapi", "uvicorn"]);
        assert!(
            app.why.ends_with("; the app runs from src/ (src/main.py, no entry module at the root: its modules import each other from there)"),
            "{}",
            app.why
        );
        // A root requirements.txt that includes the folder's: the root file, the app in src/.
        let (app, _) = found(&[
            ("requirements.txt", "-r src/requirements.txt\n"),
            ("src/requirements.txt", "fastapi\n"),
            ("src/app.py", ""),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(app.files, ["requirements.txt", "src/requirements.txt"]);
        assert_eq!(app.app_dir.as_deref(), Some("src"));
        // No dependency file at all: the bare tree in src/ still runs from there.
        let (app, _) = found(&[("src/main.py", "")]).unwrap().unwrap();
        assert!(app.file.is_none(), "{app:?}");
        assert_eq!(app.app_dir.as_deref(), Some("src"));
        assert!(app.why.contains("only src/main.py"), "{}", app.why);
    }

    #[test]
    fn src_is_no_app_folder_beside_a_root_entry_or_as_a_package() {
        // An entry module at the root: the app runs from the root, src/'s file is not read.
        let (app, _) = found(&[
            ("requirements.txt", "flask\n"),
            ("app.py", ""),
            ("src/main.py", ""),
            ("src/requirements.txt", "django\n"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(app.files, ["requirements.txt"]);
        assert!(app.app_dir.is_none());
        // src/__init__.py: src is a package imported from the root.
        let (app, _) = found(&[
            ("requirements.txt", "fastapi\n"),
            ("src/__init__.py", ""),
            ("src/main.py", ""),
        ])
        .unwrap()
        .unwrap();
        assert!(app.app_dir.is_none());
        // No entry module in src/: nothing marks it (and no dependency file at the root).
        assert!(
            found(&[("src/requirements.txt", "fastapi\n"), ("src/util.py", "")])
                .unwrap()
                .is_none()
        );
        // A src that is a symbolic link is never the app's folder.
        let outside = tree(&[("main.py", ""), ("requirements.txt", "fastapi\n")]);
        let dir = tree(&[]);
        std::os::unix::fs::symlink(outside.path(), dir.path().join("src")).unwrap();
        assert!(detect_app(dir.path()).unwrap().is_none());
    }
}
