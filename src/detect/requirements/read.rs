//! One requirements file and what it includes (`-r`, `-c`), read as pip reads it, never run:
//! each include inside the project under a path the Dockerfiles may `COPY`, a bounded depth,
//! each file once; editable and local-path lines refused.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::{Error, Result};
use crate::fsread;

use super::super::metadata::requirement_name;
use super::indexes::{check_index, INDEX_FIX};
use super::lines::logical_lines;

/// How deep `-r` includes nest, and how many files they reach.
const DEPTH_MAX: usize = 8;
const FILES_MAX: usize = 64;

/// What one requirements file and its includes hold.
#[derive(Debug, Default)]
pub(super) struct Read {
    /// Every file read, the named one first (project-relative, safe paths).
    pub(super) files: Vec<String>,
    /// The requirement names (PEP 503 normalised), constraints aside.
    pub(super) names: Vec<String>,
    /// Requirement lines, and how many of them carry `--hash`.
    pub(super) lines: usize,
    pub(super) hashed: usize,
    /// Plain https package indexes named by `--index-url`/`--extra-index-url`.
    pub(super) indexes: Vec<String>,
}

/// Reads `file` and what it includes.
pub(super) fn read_tree(target: &Path, file: &str) -> Result<Read> {
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

#[cfg(test)]
mod tests {
    use super::super::tests::{found, refused};
    use super::*;

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
