//! How the project runs its own test suite: where its pytest configuration is (the root, or
//! the one subfolder that has it: the tests run from there), whether it sets `testpaths`, the
//! plugins its `addopts` needs, `tests.py` modules pytest would not collect, Django's own runner
//! (no pytest-django anywhere), the env file the suite loads and the settings' secret-key
//! variable. Works with or without `pyproject.toml`.
//!
//! `mod.rs` puts the suite together (and moves it into an app folder, `from_app_dir`);
//! `config` finds pytest's configuration and reads it, `plugins` names what `addopts` needs,
//! `walk` reads the tree for test modules, settings and fixtures, and `env` finds the env file
//! and the secret-key variable.

mod config;
mod env;
mod plugins;
mod walk;

use std::path::Path;

use crate::facts::Suite;
use crate::safety::is_safe_relative_path;

use super::read;
use config::{config_in, config_in_subfolder, glob_match, DEFAULT_PYTHON_FILES};
use env::{env_file, secret_key_var};
use plugins::plugins;
use walk::{walk, MAX_ENTRIES};

/// Files that declare the project's requirements (where pytest-django would be named).
const REQUIREMENT_FILES: &[&str] = &[
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "tox.ini",
    "Pipfile",
    "requirements.txt",
    "requirements-dev.txt",
    "requirements_dev.txt",
    "dev-requirements.txt",
];

/// Everything about the suite; `doc` is the parsed root `pyproject.toml`, if any.
pub(super) fn detect_suite(target: &Path, doc: Option<&toml::Table>) -> Suite {
    let mut suite = Suite::default();
    let (config, workdir) = match config_in(target, target, doc) {
        Some(c) => (Some(c), None),
        None => match config_in_subfolder(target) {
            Some((dir, c)) => (Some(c), Some(dir)),
            None => (None, None),
        },
    };
    let here = match &workdir {
        Some(dir) => target.join(dir),
        None => target.to_path_buf(),
    };
    let prefix = workdir
        .as_ref()
        .map(|w| format!("{w}/"))
        .unwrap_or_default();
    suite.config = config.as_ref().map(|c| format!("{prefix}{}", c.file));
    suite.testpaths = config.as_ref().is_some_and(|c| c.testpaths.is_some());
    suite.workdir = workdir.clone();
    if workdir.is_some() {
        suite.dirs = ["tests", "test"]
            .iter()
            .filter(|d| here.join(d).is_dir())
            .map(|d| d.to_string())
            .collect();
    }

    let addopts = config
        .as_ref()
        .and_then(|c| c.addopts.clone())
        .unwrap_or_default();
    suite.plugins = plugins(&addopts);

    let walk = walk(target);
    suite.has_test_modules = !walk.test_modules.is_empty();
    suite.has_pytest_modules = walk
        .test_modules
        .iter()
        .any(|m| m.rsplit('/').next() != Some("tests.py"));
    let patterns = config
        .as_ref()
        .and_then(|c| c.python_files.clone())
        .unwrap_or_else(|| DEFAULT_PYTHON_FILES.into());
    let collected = patterns
        .split_whitespace()
        .any(|p| glob_match(p, "tests.py"));
    if !suite.testpaths && !collected {
        suite.unittest_modules = walk
            .test_modules
            .iter()
            .filter(|m| m.rsplit('/').next() == Some("tests.py"))
            .filter_map(|m| m.strip_prefix(&prefix).map(str::to_string))
            .filter(|m| is_safe_relative_path(m))
            .take(20)
            .collect();
    }

    // A requirement line names it (comments aside: a note saying the project does not use it
    // is no requirement).
    let mentions = |text: &str| {
        text.lines()
            .map(|l| l.split('#').next().unwrap_or_default().to_ascii_lowercase())
            .any(|l| l.contains("pytest-django") || l.contains("pytest_django"))
    };
    let mut requirement_files: Vec<String> = REQUIREMENT_FILES
        .iter()
        .flat_map(|f| [f.to_string(), format!("{prefix}{f}")])
        .collect();
    requirement_files.extend(walk.requirement_files.iter().cloned());
    // Any other requirements file at the root (`requirements-test.txt`, `test-requirements.txt`).
    if let Ok(entries) = std::fs::read_dir(target) {
        requirement_files.extend(
            entries
                .flatten()
                .take(MAX_ENTRIES)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.contains("requirements") && n.ends_with(".txt")),
        );
    }
    suite.pytest_django = suite.plugins.iter().any(|p| p == "pytest-django")
        || requirement_files
            .iter()
            .any(|f| read(target, &target.join(f)).is_ok_and(|t| mentions(&t)));

    // What the suite reads: the settings and the root fixtures, where an env file is named.
    let readers: Vec<String> = walk
        .settings
        .iter()
        .chain(&walk.conftests)
        .filter_map(|f| read(target, &target.join(f)).ok())
        .collect();
    suite.env_file = env_file(target, &prefix, config.as_ref(), &readers);
    suite.secret_key_var = walk
        .settings
        .iter()
        .filter_map(|f| read(target, &target.join(f)).ok())
        .find_map(|text| secret_key_var(&text));
    suite
}

/// An application that runs from a folder (`src`, see `AppRequirements::app_dir`) whose tests
/// are there too (`src/tests/` importing `main`): without a pytest configuration the project
/// runs them as it runs the app, `cd src && python -m pytest`, so the suite runs from there.
/// A configuration decides for itself: one at the root (its `pythonpath = src` puts the folder
/// on `sys.path`, so pytest runs from the root), or the folder's own (already the workdir).
pub(super) fn from_app_dir(target: &Path, dir: &str, suite: &mut Suite) {
    if suite.config.is_some() || suite.workdir.is_some() || !is_safe_relative_path(dir) {
        return;
    }
    let here = target.join(dir);
    let dirs: Vec<String> = ["tests", "test"]
        .iter()
        .filter(|d| std::fs::symlink_metadata(here.join(d)).is_ok_and(|m| m.is_dir()))
        .map(|d| d.to_string())
        .collect();
    let prefix = format!("{dir}/");
    let inside = walk(target)
        .test_modules
        .iter()
        .any(|m| m.starts_with(&prefix));
    if dirs.is_empty() && !inside {
        return;
    }
    suite.workdir = Some(dir.to_string());
    suite.dirs = dirs;
    // tests.py modules are named from the new working directory; those outside it stay out.
    suite.unittest_modules = suite
        .unittest_modules
        .iter()
        .filter_map(|m| m.strip_prefix(&prefix).map(str::to_string))
        .collect();
}

#[cfg(test)]
mod tests {
    use super::super::project;
    use super::{detect_suite, from_app_dir};

    #[test]
    fn tests_py_modules_django_runner_env_file_and_secret_key() {
        let dir = project(&[
            ("manage.py", ""),
            ("notes/tests.py", "import unittest\n"),
            (
                "site/settings.py",
                "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n",
            ),
            (".env.test", "GREETING=hi\n"),
            ("requirements.txt", "django\n"),
        ]);
        let suite = detect_suite(dir.path(), None);
        assert_eq!(suite.unittest_modules, ["notes/tests.py"]);
        assert!(suite.has_test_modules);
        assert!(!suite.pytest_django);
        assert_eq!(suite.env_file.as_deref(), Some(".env.test"));
        assert_eq!(suite.secret_key_var.as_deref(), Some("DJANGO_SECRET_KEY"));
        // pytest-django in a requirements/ file, and python_files that collect tests.py.
        let noted = project(&[(
            "requirements.txt",
            "django  # no pytest-django: manage.py test\n",
        )]);
        assert!(!detect_suite(noted.path(), None).pytest_django);
        let test_file = project(&[
            ("manage.py", "import os\n"),
            ("requirements.txt", "django\n"),
            (
                "requirements-test.txt",
                "-r requirements.txt\npytest-django>=4.8\n",
            ),
        ]);
        assert!(detect_suite(test_file.path(), None).pytest_django);
        let dj = project(&[
            ("requirements/test.txt", "pytest-django==4.9\n"),
            (
                "pytest.ini",
                "[pytest]\npython_files = tests.py test_*.py\n",
            ),
            ("notes/tests.py", ""),
        ]);
        let suite = detect_suite(dj.path(), None);
        assert!(suite.pytest_django);
        assert!(suite.unittest_modules.is_empty());
        // .env.example only when the suite names it.
        let example = project(&[
            (".env.example", "A=1\n"),
            ("conftest.py", "load_dotenv('.env.example')\n"),
        ]);
        assert_eq!(
            detect_suite(example.path(), None).env_file.as_deref(),
            Some(".env.example")
        );
        let unnamed = project(&[(".env.example", "A=1\n"), ("conftest.py", "")]);
        assert_eq!(detect_suite(unnamed.path(), None).env_file, None);
    }

    #[test]
    fn an_app_folder_with_its_tests_runs_them_from_there_unless_a_config_decides() {
        let dir = project(&[
            ("src/main.py", ""),
            ("src/tests/test_items.py", "from main import app\n"),
            ("src/billing/tests.py", ""),
            ("tools/tests.py", ""),
        ]);
        let mut suite = detect_suite(dir.path(), None);
        assert_eq!(suite.workdir, None);
        from_app_dir(dir.path(), "src", &mut suite);
        assert_eq!(suite.workdir.as_deref(), Some("src"));
        assert_eq!(suite.dirs, ["tests"]);
        // tests.py modules are named from src/; one outside it is not the app's.
        assert_eq!(suite.unittest_modules, ["billing/tests.py"]);
        // Tests only at the root: they stay where they are.
        let dir = project(&[("src/main.py", ""), ("tests/test_x.py", "")]);
        let mut suite = detect_suite(dir.path(), None);
        from_app_dir(dir.path(), "src", &mut suite);
        assert_eq!(suite.workdir, None);
        // A root pytest.ini (`pythonpath = src`) decides: pytest runs from the root.
        let dir = project(&[
            ("pytest.ini", "[pytest]\npythonpath = src\n"),
            ("src/main.py", ""),
            ("src/tests/test_items.py", ""),
        ]);
        let mut suite = detect_suite(dir.path(), None);
        from_app_dir(dir.path(), "src", &mut suite);
        assert_eq!(suite.workdir, None);
        assert_eq!(suite.config.as_deref(), Some("pytest.ini"));
    }

    #[test]
    fn an_empty_tree_has_no_tests() {
        let dir = project(&[("main.py", "print(1)\n"), ("scripts/test.sh", "")]);
        let suite = detect_suite(dir.path(), None);
        assert!(!suite.has_test_modules);
        assert_eq!(suite.config, None);
    }
}
