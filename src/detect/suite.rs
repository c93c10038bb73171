//! How the project runs its own test suite: where its pytest configuration is (the root, or
//! the one subfolder that has it: the tests run from there), whether it sets `testpaths`, the
//! plugins its `addopts` needs, `tests.py` modules pytest would not collect, Django's own runner
//! (no pytest-django anywhere), the env file the suite loads and the settings' secret-key
//! variable. Works with or without `pyproject.toml`.

use std::path::Path;

use crate::facts::Suite;
use crate::safety::is_safe_relative_path;

use super::read;
use super::testing::ini_value;

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
const DEFAULT_PYTHON_FILES: &str = "test_*.py *_test.py";

/// Options of `addopts` and the plugin (PyPI name) that defines each; `-p NAME` is matched
/// against the plugin's module names in [`PLUGIN_MODULES`].
const PLUGIN_OPTIONS: &[(&str, &str)] = &[
    ("-n", "pytest-xdist"),
    ("--numprocesses", "pytest-xdist"),
    ("--dist", "pytest-xdist"),
    ("--maxprocesses", "pytest-xdist"),
    ("--timeout", "pytest-timeout"),
    ("--reruns", "pytest-rerunfailures"),
    ("--reruns-delay", "pytest-rerunfailures"),
    ("--benchmark-", "pytest-benchmark"),
    ("--randomly-", "pytest-randomly"),
    ("--ds", "pytest-django"),
    ("--dc", "pytest-django"),
    ("--reuse-db", "pytest-django"),
    ("--create-db", "pytest-django"),
    ("--nomigrations", "pytest-django"),
    ("--no-migrations", "pytest-django"),
    ("--asyncio-mode", "pytest-asyncio"),
    ("--html", "pytest-html"),
    ("--mypy", "pytest-mypy"),
    ("--hypothesis-", "hypothesis"),
];

/// `-p MODULE` names of plugins and their PyPI names.
const PLUGIN_MODULES: &[(&str, &str)] = &[
    ("xdist", "pytest-xdist"),
    ("xdist.plugin", "pytest-xdist"),
    ("pytest_timeout", "pytest-timeout"),
    ("pytest_rerunfailures", "pytest-rerunfailures"),
    ("pytest_benchmark", "pytest-benchmark"),
    ("randomly", "pytest-randomly"),
    ("pytest_randomly", "pytest-randomly"),
    ("pytest_django", "pytest-django"),
    ("pytest_asyncio", "pytest-asyncio"),
    ("anyio", "anyio"),
    ("pytest_mock", "pytest-mock"),
    ("pytest_dotenv", "pytest-dotenv"),
];

/// Env files whose name says the test suite reads them.
const TEST_ENV_FILES: &[&str] = &[".env.test", ".env.testing", ".env.tests", "test.env"];

/// Env files a suite reads when its settings or `conftest.py` name them.
const NAMED_ENV_FILES: &[&str] = &[".env.example", ".env.sample", ".env.ci", ".env.dist"];

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

/// Directories the walk for test modules never enters.
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "venv",
    "env",
    "site-packages",
    "__pycache__",
    "build",
    "dist",
];

/// How deep the walk for test modules and settings goes, and how many entries it reads.
const MAX_DEPTH: usize = 4;
const MAX_ENTRIES: usize = 5000;

/// pytest's settings, read from one configuration file.
#[derive(Default)]
struct Config {
    file: String,
    testpaths: Option<String>,
    addopts: Option<String>,
    python_files: Option<String>,
    env_files: Option<String>,
}

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

/// The pytest configuration in `dir`, the first pytest would use.
fn config_in(target: &Path, dir: &Path, doc: Option<&toml::Table>) -> Option<Config> {
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
fn config_in_subfolder(target: &Path) -> Option<(String, Config)> {
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

/// The plugins `addopts` needs, by PyPI name, sorted; pytest-cov is always installed.
fn plugins(addopts: &str) -> Vec<String> {
    let words = crate::shell::split(addopts).unwrap_or_default();
    let mut found: Vec<String> = Vec::new();
    let mut words = words.iter().peekable();
    while let Some(word) = words.next() {
        let module = if word == "-p" {
            words.next().map(String::as_str)
        } else {
            word.strip_prefix("-p").filter(|m| !m.starts_with('-'))
        };
        if let Some(module) = module {
            if let Some((_, name)) = PLUGIN_MODULES.iter().find(|(m, _)| *m == module) {
                found.push(name.to_string());
            }
            continue;
        }
        let option = word.split('=').next().unwrap_or_default();
        let short = option.starts_with("-n") && !option.starts_with("--");
        for (flag, name) in PLUGIN_OPTIONS {
            let hit = if flag.ends_with('-') {
                option.starts_with(flag)
            } else if *flag == "-n" {
                short
            } else {
                option == *flag
            };
            if hit {
                found.push(name.to_string());
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// What the walk of the tree found (paths relative to the project, `/`-separated, sorted).
#[derive(Default)]
struct Walk {
    test_modules: Vec<String>,
    settings: Vec<String>,
    conftests: Vec<String>,
    requirement_files: Vec<String>,
}

/// A bounded walk (depth, entries; no symbolic links, no hidden or virtual-environment
/// directories) for test modules, Django settings, `conftest.py` and requirements files.
fn walk(target: &Path) -> Walk {
    let mut found = Walk::default();
    let mut queue: Vec<(std::path::PathBuf, String, usize)> =
        vec![(target.to_path_buf(), String::new(), 0)];
    let mut seen = 0;
    while let Some((dir, rel, depth)) = queue.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_ENTRIES {
                break;
            }
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if kind.is_dir() {
                if depth + 1 < MAX_DEPTH
                    && !name.starts_with('.')
                    && !SKIP_DIRS.contains(&name.as_str())
                    && !name.ends_with(".egg-info")
                {
                    queue.push((entry.path(), path, depth + 1));
                }
                continue;
            }
            if !kind.is_file() || !name.ends_with(".py") && !name.ends_with(".txt") {
                continue;
            }
            if name == "tests.py"
                || (name.starts_with("test_") || name.ends_with("_test.py"))
                    && name.ends_with(".py")
            {
                found.test_modules.push(path);
            } else if name == "conftest.py" && depth <= 1 {
                found.conftests.push(path);
            } else if name.ends_with(".py")
                && (name.starts_with("settings") || rel.rsplit('/').next() == Some("settings"))
            {
                found.settings.push(path);
            } else if name.ends_with(".txt") && rel.rsplit('/').next() == Some("requirements") {
                found.requirement_files.push(path);
            }
        }
    }
    found.test_modules.sort();
    found.settings.sort();
    found.conftests.sort();
    found.requirement_files.sort();
    found
}

/// `*` and `?` globbing of a file name, as `python_files` patterns are matched.
fn glob_match(pattern: &str, name: &str) -> bool {
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

/// The env file the suite loads, relative to the project: `env_files` of the configuration
/// (pytest-dotenv, relative to where pytest runs), else a file whose name says it is for tests,
/// else one the settings or `conftest.py` name.
fn env_file(
    target: &Path,
    prefix: &str,
    config: Option<&Config>,
    readers: &[String],
) -> Option<String> {
    let exists = |rel: &str| {
        is_safe_relative_path(rel)
            && std::fs::symlink_metadata(target.join(rel)).is_ok_and(|m| m.is_file())
    };
    let configured = config.and_then(|c| c.env_files.clone()).unwrap_or_default();
    let named = configured
        .split_whitespace()
        .map(|f| format!("{prefix}{f}"))
        .find(|f| exists(f));
    named
        .or_else(|| {
            TEST_ENV_FILES
                .iter()
                .flat_map(|f| [format!("{prefix}{f}"), f.to_string()])
                .find(|f| exists(f))
        })
        .or_else(|| {
            NAMED_ENV_FILES
                .iter()
                .filter(|f| readers.iter().any(|text| text.contains(*f)))
                .flat_map(|f| [format!("{prefix}{f}"), f.to_string()])
                .find(|f| exists(f))
        })
}

/// The environment variable a Django settings file reads `SECRET_KEY` from
/// (`SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]`, `env("SECRET_KEY")`, `os.getenv(...)`).
fn secret_key_var(settings: &str) -> Option<String> {
    settings.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("SECRET_KEY")?.trim_start();
        let rest = rest.strip_prefix('=')?;
        if !["environ", "getenv", "env(", "config("]
            .iter()
            .any(|r| rest.contains(r))
        {
            return None;
        }
        let start = rest.find(['"', '\''])?;
        let quote = rest[start..].chars().next()?;
        let inner = &rest[start + 1..];
        let name = &inner[..inner.find(quote)?];
        let valid = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        valid.then(|| name.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::super::project;
    use super::{detect_suite, from_app_dir, glob_match, plugins, secret_key_var};

    #[test]
    fn addopts_plugins_are_named_by_their_pypi_names() {
        assert_eq!(
            plugins("-p xdist -n 2 --cov=app --timeout=30 -p no:cacheprovider"),
            ["pytest-timeout", "pytest-xdist"]
        );
        assert_eq!(
            plugins("-nauto --reuse-db"),
            ["pytest-django", "pytest-xdist"]
        );
        assert!(plugins("-q --strict-markers --no-header").is_empty());
    }

    #[test]
    fn python_files_patterns_glob() {
        assert!(glob_match("test*.py", "tests.py"));
        assert!(glob_match("tests.py", "tests.py"));
        assert!(!glob_match("test_*.py", "tests.py"));
        assert!(!glob_match("*_test.py", "tests.py"));
    }

    #[test]
    fn secret_key_variables() {
        assert_eq!(
            secret_key_var("SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n").as_deref(),
            Some("DJANGO_SECRET_KEY")
        );
        assert_eq!(
            secret_key_var("SECRET_KEY = env('SECRET_KEY', default='x')").as_deref(),
            Some("SECRET_KEY")
        );
        assert_eq!(secret_key_var("SECRET_KEY = 'django-insecure-abc'"), None);
        assert_eq!(secret_key_var("SECRET_KEY = os.environ['a b; rm']"), None);
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
