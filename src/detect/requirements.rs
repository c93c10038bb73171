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

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::{Error, Result};
use crate::facts::AppRequirements;
use crate::fsread;

use super::metadata::requirement_name;

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
/// How deep `-r` includes nest, and how many files they reach.
const DEPTH_MAX: usize = 8;
const FILES_MAX: usize = 64;

/// What one requirements file and its includes hold.
#[derive(Debug, Default)]
struct Read {
    /// Every file read, the named one first (project-relative, safe paths).
    files: Vec<String>,
    /// The requirement names (PEP 503 normalised), constraints aside.
    names: Vec<String>,
    /// Requirement lines, and how many of them carry `--hash`.
    lines: usize,
    hashed: usize,
    /// Plain https package indexes named by `--index-url`/`--extra-index-url`.
    indexes: Vec<String>,
}

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

/// pip's hash-checking mode: on when every requirement line carries `--hash`; a file that
/// hashes only some would fail pip, so it is refused here with the fix.
fn hash_mode(target: &Path, file: &str, read: &Read) -> Result<bool> {
    if read.hashed == 0 {
        return Ok(false);
    }
    if read.hashed == read.lines {
        return Ok(true);
    }
    Err(Error::Project {
        path: target.join(file),
        reason: format!(
            "{} of its {} requirements (with the files it includes) carry `--hash` and the others do not, so pip refuses to install it; pin every requirement with its hashes (`pip-compile --generate-hashes`, `uv pip compile --generate-hashes`) or none, then run dockwright again",
            read.hashed, read.lines
        ),
    })
}

/// `Pipfile` with its `Pipfile.lock`: pipenv's exporter writes the lock as requirements at
/// build time; the names come from the Pipfile's `[packages]`.
fn pipfile_app(target: &Path) -> Result<(AppRequirements, Vec<String>)> {
    let path = target.join("Pipfile");
    if !target.join("Pipfile.lock").is_file() {
        return Err(Error::Project {
            path,
            reason: "it has no Pipfile.lock beside it: the image installs the locked versions with their hashes, never a fresh resolution; run `pipenv lock` and commit Pipfile.lock, then run dockwright again".into(),
        });
    }
    let text = fsread::read_in(target, &path, fsread::FILE_MAX).map_err(|e| e.into_error(&path))?;
    let doc: toml::Table = toml::from_str(&text).map_err(|e| Error::Project {
        path: path.clone(),
        reason: format!(
            "it is not valid TOML: {}",
            crate::safety::shown_lines(&e.to_string())
        ),
    })?;
    let names = doc
        .get("packages")
        .and_then(|p| p.as_table())
        .map(|t| t.keys().map(|k| requirement_name(k)).collect())
        .unwrap_or_default();
    let dev = doc
        .get("dev-packages")
        .and_then(|p| p.as_table())
        .is_some_and(|t| !t.is_empty());
    let why = if dev {
        "dependencies from Pipfile.lock [default]; tests add its [develop] packages"
    } else {
        "dependencies from Pipfile.lock [default]"
    };
    Ok((
        AppRequirements {
            files: vec!["Pipfile".into(), "Pipfile.lock".into()],
            hashes: true,
            test_hashes: true,
            pipfile: true,
            why: why.into(),
            ..AppRequirements::default()
        },
        names,
    ))
}

/// Reads `file` and what it includes.
fn read_tree(target: &Path, file: &str) -> Result<Read> {
    let mut read = Read::default();
    let mut seen = BTreeSet::new();
    read_file(target, file, 0, true, &mut seen, &mut read)?;
    Ok(read)
}

/// One requirements file; `requirements` is false for a constraints file (its names do not
/// make the app what it is).
fn read_file(
    target: &Path,
    file: &str,
    depth: usize,
    requirements: bool,
    seen: &mut BTreeSet<String>,
    read: &mut Read,
) -> Result<()> {
    // A cycle (`a.txt` includes `b.txt` includes `a.txt`) reads each file once.
    if !seen.insert(file.to_string()) {
        return Ok(());
    }
    let path = target.join(file);
    if depth > DEPTH_MAX || seen.len() > FILES_MAX {
        return Err(Error::Project {
            path,
            reason: format!(
                "its `-r`/`-c` includes nest deeper than {DEPTH_MAX} files or reach more than {FILES_MAX}; flatten them, then run dockwright again"
            ),
        });
    }
    let text = fsread::read_in(target, &path, fsread::FILE_MAX).map_err(|e| e.into_error(&path))?;
    read.files.push(file.to_string());
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    for (number, line) in logical_lines(&text) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = words.first().copied() else {
            continue;
        };
        let bad = |what: &str, fix: &str| Error::Project {
            path: path.clone(),
            reason: format!(
                "line {number} `{}` {what}; {fix}, then run dockwright again",
                crate::safety::shown(&line)
            ),
        };
        // `-r FILE`, `-rFILE`, `--requirement FILE`, `--requirement=FILE`, and the same for `-c`.
        let option = |short: &str, long: &str| -> Option<Option<String>> {
            let value = if first == short || first == long {
                words.get(1).map(|w| w.to_string())
            } else if let Some(v) = first.strip_prefix(&format!("{long}=")) {
                Some(v.to_string())
            } else if first.starts_with(short) && !first.starts_with("--") {
                Some(first[short.len()..].trim_start_matches('=').to_string())
            } else {
                return None;
            };
            Some(value)
        };
        if let Some(include) = option("-r", "--requirement") {
            let include = include.ok_or_else(|| bad("names no file", "complete it"))?;
            let rel = joined(dir, &include).ok_or_else(|| {
                bad(
                    &format!("includes a file outside the project or a path the Dockerfiles cannot copy ({})", crate::safety::RELATIVE_PATH_RULE),
                    "move the file into the project under a plain name",
                )
            })?;
            read_file(target, &rel, depth + 1, requirements, seen, read)?;
            continue;
        }
        if let Some(include) = option("-c", "--constraint") {
            let include = include.ok_or_else(|| bad("names no file", "complete it"))?;
            let rel = joined(dir, &include).ok_or_else(|| {
                bad(
                    &format!("names a constraints file outside the project or a path the Dockerfiles cannot copy ({})", crate::safety::RELATIVE_PATH_RULE),
                    "move the file into the project under a plain name",
                )
            })?;
            read_file(target, &rel, depth + 1, false, seen, read)?;
            continue;
        }
        if let Some(url) = option("-i", "--index-url")
            .or_else(|| option("--extra-index-url", "--extra-index-url"))
            .or_else(|| option("-f", "--find-links"))
        {
            let url = url.ok_or_else(|| bad("names no URL", "complete it"))?;
            check_index(&url).map_err(|why| bad(&why, INDEX_FIX))?;
            let index = first.starts_with("-i")
                || first.starts_with("--index")
                || first.starts_with("--extra");
            if index && !read.indexes.contains(&url) {
                read.indexes.push(url);
            }
            continue;
        }
        if first == "-e" || first.starts_with("--editable") || first.starts_with("-e") {
            return Err(bad(
                "is an editable install: the image installs no project of its own (the tree is copied into /app and imported from there)",
                "remove it (a local package is imported from /app) or name a released version",
            ));
        }
        if first.starts_with('-') {
            // Other pip options (`--pre`, `--prefer-binary`, `--no-binary :all:`, `--trusted-host`):
            // pip reads them from the file as the project meant.
            continue;
        }
        if is_local(first) || line.contains(" @ file:") || line.contains("@file:") {
            return Err(bad(
                "installs from a local path: the image installs no project of its own (the tree is copied into /app and imported from there)",
                "remove it (a local package is imported from /app) or name a released version",
            ));
        }
        if requirements {
            read.lines += 1;
            if words.iter().any(|w| w.starts_with("--hash")) {
                read.hashed += 1;
            }
            let name = requirement_name(first);
            if !name.is_empty() && !read.names.contains(&name) {
                read.names.push(name);
            }
        }
    }
    Ok(())
}

/// How to use a private index without baking it into the image.
const INDEX_FIX: &str = "keep credentials out of the files the image copies: drop the line and pass the index at build time as a BuildKit secret (`RUN --mount=type=secret,id=pip_index_url PIP_INDEX_URL=$(cat /run/secrets/pip_index_url) pip install …`) or put an https index without credentials here";

/// An index or find-links URL the Dockerfile may honour: https, no credentials, no environment
/// variable (pip expands `${VAR}` from the build's environment, where a secret would be baked
/// in), and only URL characters (it is said in a Dockerfile comment).
fn check_index(url: &str) -> std::result::Result<(), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("names a package index that is not https (pip would fetch code over an unauthenticated connection, or from a local path the image does not have)".into());
    };
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') || url.contains('$') {
        return Err("puts credentials (or an environment variable holding them) in the index URL, which would bake a secret into the image".into());
    }
    if !url
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~:/%?=&+".contains(c))
    {
        return Err(
            "names an index URL with characters dockwright does not copy into a Dockerfile".into(),
        );
    }
    Ok(())
}

/// A requirement that is a local path (`.`, `./pkg`, `../lib`, `/abs`, `file:…`, a wheel file).
fn is_local(first: &str) -> bool {
    first.starts_with('.')
        || first.starts_with('/')
        || first.starts_with("file:")
        || first.ends_with(".whl")
        || first.ends_with(".tar.gz")
        || first.ends_with(".zip")
}

/// `include` relative to the directory `dir` of the file that names it, as a project-relative
/// path the Dockerfiles may copy; `None` when it leaves the project or is not such a path.
fn joined(dir: &str, include: &str) -> Option<String> {
    if include.starts_with('/') || include.contains("://") {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in include.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let rel = parts.join("/");
    crate::safety::is_safe_relative_path(&rel).then_some(rel)
}

/// The lines of a requirements file as pip reads them: `\` continuations joined, comments
/// (`#` at the start or after whitespace) dropped, blank lines skipped; with the number of the
/// first physical line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        if current.is_empty() {
            start = i + 1;
        }
        let line = strip_comment(raw);
        if let Some(head) = line.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(line);
        let joined = current.trim().to_string();
        current.clear();
        if !joined.is_empty() {
            out.push((start, joined));
        }
    }
    let rest = current.trim();
    if !rest.is_empty() {
        out.push((start, rest.to_string()));
    }
    out
}

fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(at) => &line[..at],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::super::project as tree;
    use super::*;

    fn found(files: &[(&str, &str)]) -> Result<Option<(AppRequirements, Vec<String>)>> {
        let dir = tree(files);
        detect_app(dir.path())
    }

    fn refused(files: &[(&str, &str)]) -> String {
        found(files).unwrap_err().to_string()
    }

    #[test]
    fn includes_are_followed_relative_to_their_file() {
        let (app, names) = found(&[
            (
                "requirements/base.txt",
                "Flask==3.0.3  # the app\nSQLAlchemy==2.0.36\n",
            ),
            (
                "requirements/production.txt",
                "-r base.txt\n-c ../constraints.txt\ngunicorn==23.0.0 ; sys_platform != 'win32'\n",
            ),
            ("constraints.txt", "werkzeug<4\n"),
            ("requirements/test.txt", "-r base.txt\npytest==8.3.3\n"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(app.file.as_deref(), Some("requirements/production.txt"));
        assert_eq!(
            app.files,
            [
                "requirements/production.txt",
                "requirements/base.txt",
                "constraints.txt"
            ]
        );
        assert_eq!(app.test_file.as_deref(), Some("requirements/test.txt"));
        assert_eq!(app.test_files, ["requirements/test.txt"]);
        // Constraints do not declare what the app is.
        assert_eq!(names, ["flask", "sqlalchemy", "gunicorn"]);
        assert!(!app.hashes);
        assert_eq!(
            app.why,
            "dependencies from requirements/production.txt (includes requirements/base.txt, constraints.txt); tests add requirements/test.txt (includes requirements/base.txt)"
        );
    }

    #[test]
    fn a_cycle_reads_each_file_once_and_deep_nesting_is_refused() {
        let (app, names) = found(&[
            ("requirements.txt", "-r more.txt\nflask\n"),
            ("more.txt", "-r requirements.txt\nrequests\n"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(app.files, ["requirements.txt", "more.txt"]);
        assert_eq!(names, ["requests", "flask"]);
        let mut files: Vec<(String, String)> = (0..12)
            .map(|i| (format!("r{i}.txt"), format!("-r r{}.txt\n", i + 1)))
            .collect();
        files.push(("requirements.txt".into(), "-r r0.txt\n".into()));
        files.push(("r12.txt".into(), "flask\n".into()));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert!(refused(&refs).contains("nest deeper"), "{}", refused(&refs));
    }

    #[test]
    fn includes_outside_the_project_or_hostile_are_refused() {
        for include in [
            "../../etc/passwd",
            "/etc/passwd",
            "r$(id).txt",
            "x\\nRUN id",
        ] {
            let text = format!("-r {include}\nflask\n");
            let said = refused(&[("requirements.txt", &text)]);
            assert!(said.contains("line 1"), "{include}: {said}");
        }
        // A missing include names the file.
        let said = refused(&[("requirements.txt", "-r missing.txt\n")]);
        assert!(said.contains("missing.txt"), "{said}");
    }

    #[test]
    fn hashes_all_or_none() {
        let hashed = "flask==3.0.3 \\\n    --hash=sha256:aa\nwerkzeug==3.1.3 --hash=sha256:bb\n";
        let (app, _) = found(&[("requirements.txt", hashed)]).unwrap().unwrap();
        assert!(app.hashes);
        let mixed = format!("{hashed}requests\n");
        let said = refused(&[("requirements.txt", &mixed)]);
        assert!(said.contains("2 of its 3 requirements"), "{said}");
        assert!(said.contains("--generate-hashes"), "{said}");
    }

    #[test]
    fn indexes_https_honoured_credentials_refused() {
        let (app, _) = found(&[(
            "requirements.txt",
            "--index-url https://pypi.example.org/simple\nflask\n",
        )])
        .unwrap()
        .unwrap();
        assert_eq!(app.indexes, ["https://pypi.example.org/simple"]);
        assert!(app
            .why
            .contains("; packages from the index https://pypi.example.org/simple"));
        for line in [
            "--index-url https://user:token@pypi.example.org/simple",
            "--extra-index-url=https://${PIP_TOKEN}@pypi.example.org/simple",
            "-i http://pypi.example.org/simple",
        ] {
            let text = format!("{line}\nflask\n");
            let said = refused(&[("requirements.txt", &text)]);
            assert!(said.contains("line 1"), "{said}");
            assert!(said.contains("BuildKit secret"), "{said}");
        }
        // The refusal names the credential line, escaped, never raw.
        let said = refused(&[("requirements.txt", "flask\n-i https://u:p@x.org/simple\n")]);
        assert!(said.contains("line 2"), "{said}");
    }

    #[test]
    fn editable_and_local_lines_are_refused() {
        for line in [
            "-e .",
            "-e git+https://x/y.git#egg=y",
            "./libs/shared",
            "file:///tmp/x",
            "dist/x-1.0-py3-none-any.whl",
        ] {
            let text = format!("flask\n{line}\n");
            let said = refused(&[("requirements.txt", &text)]);
            assert!(
                said.contains("line 2") && said.contains("/app"),
                "{line}: {said}"
            );
        }
    }

    #[test]
    fn pipfile_needs_its_lock() {
        let said = refused(&[("Pipfile", "[packages]\nflask = \"*\"\n"), ("app.py", "")]);
        assert!(said.contains("pipenv lock"), "{said}");
        let (app, names) = found(&[
            (
                "Pipfile",
                "[packages]\nFlask = \"*\"\n[dev-packages]\npytest = \"*\"\n",
            ),
            ("Pipfile.lock", "{}"),
        ])
        .unwrap()
        .unwrap();
        assert!(app.pipfile && app.hashes);
        assert_eq!(names, ["flask"]);
        assert!(app.why.contains("[develop]"), "{}", app.why);
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

    #[test]
    fn joined_paths() {
        assert_eq!(
            joined("requirements", "base.txt").as_deref(),
            Some("requirements/base.txt")
        );
        assert_eq!(joined("requirements", "../c.txt").as_deref(), Some("c.txt"));
        assert_eq!(joined("", "../c.txt"), None);
        assert_eq!(joined("", "https://x/r.txt"), None);
    }
}
