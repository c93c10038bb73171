//! How the test image runs the project's suite: the runner (pytest, or Django's own
//! `manage.py test` when the project does not use pytest-django), its arguments (none when the
//! project's configuration sets `testpaths`: it decides), where it runs from, and what the
//! tree copied into the test image leaves out (the package's sources, where the tests import
//! the installed package).

use crate::facts::Facts;
use crate::model::package_dir;

/// What `Dockerfile.test` and the `docker-test` recipe need to run the suite.
pub struct TestRun {
    pub command: Vec<String>,
    pub has_tests: bool,
    pub workdir: Option<String>,
    pub django_runner: bool,
    pub tree_removes: Vec<String>,
}

/// The message of a test image without tests; `just docker-test` shows it, then fails.
pub(super) const NO_TESTS: &str = "no tests: dockwright found no test modules (test_*.py, *_test.py, tests.py), no tests/ or test/ directory and no pytest testpaths; add tests/test_*.py, then run just docker-build-test again";

pub(super) fn test_run(layout: &Facts, package: &str, coverage_min: u8) -> TestRun {
    let suite = &layout.suite;
    // Where the tests import the installed package (the wheel, or the code over
    // site-packages), its sources stay out of the test image's /app: a copy there would be
    // imported instead (pytest puts the root on sys.path for a root conftest.py or a tests
    // package). Django's packages stay: the runtime image runs them from /app too.
    let tree_removes: Vec<String> = if layout.app_tree {
        Vec::new()
    } else if layout.src_layout == Some(true) {
        vec!["src".into()]
    } else {
        let mut dirs: Vec<String> = layout
            .packages
            .iter()
            .chain(std::iter::once(&package.to_string()))
            .filter_map(|p| package_dir(p).split('/').next().map(str::to_string))
            .filter(|d| crate::safety::is_safe_relative_path(d))
            .filter(|d| {
                !layout
                    .django
                    .as_ref()
                    .is_some_and(|s| s.packages.contains(d))
            })
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    };
    let removed = |path: &str| {
        tree_removes
            .iter()
            .any(|d| path.split('/').next() == Some(d.as_str()))
    };
    let unittest_modules: Vec<String> = suite
        .unittest_modules
        .iter()
        .filter(|m| suite.workdir.is_some() || !removed(m))
        .cloned()
        .collect();

    let django_runner = layout.django.is_some() && !suite.pytest_django;
    if django_runner {
        // Django's runner discovers test*.py from the working directory; coverage reads its
        // own settings (fail_under among them) as pytest-cov does.
        let mut report = "python -m coverage report --show-missing".to_string();
        if coverage_min > 0 {
            report.push_str(&format!(" --fail-under={coverage_min}"));
        }
        let has_tests = suite.has_test_modules;
        let command = if has_tests {
            vec![
                "sh".into(),
                "-c".into(),
                format!("python -m coverage run --source=. manage.py test && {report}"),
            ]
        } else {
            no_tests()
        };
        return TestRun {
            command,
            has_tests,
            workdir: suite.workdir.clone(),
            django_runner,
            tree_removes,
        };
    }

    // An application without a build system imports its modules from /app, as it runs
    // there: `python -m pytest` puts the working directory on sys.path; coverage measures
    // the tree it ships.
    let mut command: Vec<String> = if layout.app_tree {
        vec![
            "python".into(),
            "-m".into(),
            "pytest".into(),
            "--cov=.".into(),
        ]
    } else {
        vec!["pytest".into(), format!("--cov={package}")]
    };
    command.push("--cov-report=term-missing".into());
    if coverage_min > 0 {
        command.push(format!("--cov-fail-under={coverage_min}"));
    }
    // The paths pytest gets: none when the configuration sets testpaths (it decides); else
    // the test directories and the tests.py modules pytest would not collect by itself.
    let dirs: &[String] = if suite.workdir.is_some() {
        &suite.dirs
    } else {
        &layout.test_paths
    };
    let mut paths: Vec<String> = Vec::new();
    if layout.tests_in_package && suite.workdir.is_none() {
        command.extend(["--pyargs".to_string(), package.to_string()]);
    } else if !suite.testpaths {
        paths.extend(dirs.iter().cloned());
        if !unittest_modules.is_empty() {
            if paths.is_empty() && suite.has_pytest_modules {
                // Other test modules are collected from the working directory, as `pytest`
                // alone would.
                paths.push(".".into());
            }
            paths.extend(unittest_modules);
        }
    }
    command.extend(paths);
    let has_tests = layout.tests_in_package
        || !dirs.is_empty()
        || suite.has_test_modules
        || (suite.testpaths && !layout.test_paths.is_empty());
    if !has_tests {
        command = no_tests();
    }
    TestRun {
        command,
        has_tests,
        workdir: suite.workdir.clone(),
        django_runner,
        tree_removes,
    }
}

/// The command of a test image without tests: the message, and pytest's "no tests" code.
fn no_tests() -> Vec<String> {
    vec![
        "sh".into(),
        "-c".into(),
        format!("echo '{NO_TESTS}' >&2; exit 5"),
    ]
}
