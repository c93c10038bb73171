//! pytest's configuration: the file pytest would read (at the root, or in the one subfolder
//! that has one), the settings dockwright uses from it, and how its `python_files` patterns
//! match.

use std::path::Path;

use crate::safety::is_safe_relative_path;

use super::super::read;
use super::super::testing::ini_value;
use super::walk::{MAX_ENTRIES, SKIP_DIRS};

/// pytest's configuration files in the order pytest itself looks for them in one directory,
/// with the section that makes the file count (`None`: the file counts even when empty).
const CONFIGS: &[(&str, Option<&str>)] = &[
    ("pytest.ini", None),
    (".pytest.ini", None),
    ("pyproject.toml", Some("tool.pytest.ini_options")),
    ("tox.ini", Some("pytest")),
    ("setup.cfg", Some("tool:pytest")),
];

/// pytest's default `python_files`.
pub(super) const DEFAULT_PYTHON_FILES: &str = "test_*.py *_test.py";

/// pytest's settings, read from one configuration file.
#[derive(Default)]
pub(super) struct Config {
    pub(super) file: String,
    pub(super) testpaths: Option<String>,
    pub(super) addopts: Option<String>,
    pub(super) python_files: Option<String>,
    pub(super) env_files: Option<String>,
}

/// The pytest configuration in `dir`, the first pytest would use.
pub(super) fn config_in(target: &Path, dir: &Path, doc: Option<&toml::Table>) -> Option<Config> {
    for (file, section) in CONFIGS {
        let path = dir.join(file);
        if *file == "pyproject.toml" {
            let parsed;
            let table = match doc.filter(|_| dir == target) {
                Some(t) => t,
                None => {
                    let Some(t) = read(target, &path)
                        .ok()
                        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
                    else {
                        continue;
                    };
                    parsed = t;
                    &parsed
                }
            };
            let Some(options) = table
                .get("tool")
                .and_then(|t| t.get("pytest"))
                .and_then(|p| p.get("ini_options"))
            else {
                continue;
            };
            let value = |key: &str| {
                options.get(key).map(|v| match v {
                    toml::Value::Array(a) => a
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            };
            return Some(Config {
                file: file.to_string(),
                testpaths: value("testpaths"),
                addopts: value("addopts"),
                python_files: value("python_files"),
                env_files: value("env_files"),
            });
        }
        let Ok(text) = read(target, &path) else {
            continue;
        };
        // pytest.ini counts even without its [pytest] section; the others only with theirs.
        let always = section.is_none();
        let section = section.unwrap_or("pytest");
        let has_section = text.lines().any(|l| {
            l.trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
                == section
        });
        if !has_section && !always {
            continue;
        }
        let value = |key: &str| ini_value(&text, section, key);
        return Some(Config {
            file: file.to_string(),
            testpaths: value("testpaths"),
            addopts: value("addopts"),
            python_files: value("python_files"),
            env_files: value("env_files"),
        });
    }
    None
}

/// The one subfolder (a direct child of the root) that holds a pytest configuration, when the
/// root has none; none when two do (which one runs is the project's choice, not a guess).
pub(super) fn config_in_subfolder(target: &Path) -> Option<(String, Config)> {
    let mut found: Vec<(String, Config)> = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(target)
        .ok()?
        .flatten()
        .take(MAX_ENTRIES)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.') && !SKIP_DIRS.contains(&n.as_str()))
        .filter(|n| is_safe_relative_path(n))
        .collect();
    names.sort();
    for name in names {
        if let Some(config) = config_in(target, &target.join(&name), None) {
            found.push((name, config));
        }
    }
    if found.len() == 1 {
        found.pop()
    } else {
        None
    }
}

/// `*` and `?` globbing of a file name, as `python_files` patterns are matched.
pub(super) fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    p.len() <= 100 && go(&p, &n)
}

#[cfg(test)]
mod tests {
    use super::super::super::project;
    use super::super::detect_suite;
    use super::glob_match;

    #[test]
    fn python_files_patterns_glob() {
        assert!(glob_match("test*.py", "tests.py"));
        assert!(glob_match("tests.py", "tests.py"));
        assert!(!glob_match("test_*.py", "tests.py"));
        assert!(!glob_match("*_test.py", "tests.py"));
    }

    #[test]
    fn a_config_in_the_only_subfolder_that_has_one_is_where_the_tests_run() {
        let dir = project(&[
            (
                "svc/pytest.ini",
                "[pytest]\ntestpaths = tests\naddopts = -p xdist -n 2\n",
            ),
            ("svc/tests/test_a.py", ""),
            ("docs/conf.py", ""),
        ]);
        let suite = detect_suite(dir.path(), None);
        assert_eq!(suite.workdir.as_deref(), Some("svc"));
        assert_eq!(suite.config.as_deref(), Some("svc/pytest.ini"));
        assert!(suite.testpaths);
        assert_eq!(suite.dirs, ["tests"]);
        assert_eq!(suite.plugins, ["pytest-xdist"]);
        // Two subfolders with a configuration: no guess.
        let two = project(&[("a/pytest.ini", "[pytest]\n"), ("b/tox.ini", "[pytest]\n")]);
        assert_eq!(detect_suite(two.path(), None).workdir, None);
        // A root configuration wins, from any of pytest's files.
        for (file, text) in [
            ("setup.cfg", "[tool:pytest]\ntestpaths = src/tests\n"),
            ("tox.ini", "[tox]\n[pytest]\ntestpaths = src/tests\n"),
            ("pytest.ini", "[pytest]\ntestpaths = src/tests\n"),
        ] {
            let root = project(&[(file, text), ("svc/pytest.ini", "[pytest]\n")]);
            let suite = detect_suite(root.path(), None);
            assert_eq!(suite.workdir, None, "{file}");
            assert!(suite.testpaths, "{file}");
            assert_eq!(suite.config.as_deref(), Some(file));
        }
        // A setup.cfg without the section is no configuration.
        let plain = project(&[("setup.cfg", "[metadata]\nname = x\n")]);
        assert_eq!(detect_suite(plain.path(), None).config, None);
    }

    #[test]
    fn pyproject_ini_options_are_read() {
        let doc: toml::Table = toml::from_str(
            "[tool.pytest.ini_options]\ntestpaths = [\"src/tests\"]\naddopts = [\"--timeout=5\"]\n",
        )
        .unwrap();
        let dir = project(&[("pyproject.toml", "")]);
        let suite = detect_suite(dir.path(), Some(&doc));
        assert!(suite.testpaths);
        assert_eq!(suite.plugins, ["pytest-timeout"]);
        assert_eq!(suite.config.as_deref(), Some("pyproject.toml"));
    }
}
