//! Issue 17, item 7: test suites run as the project runs them. pytest's configuration
//! (testpaths, addopts, a configuration in a subfolder) decides what runs and from where; the
//! test image gets the project's tree (bounded by .dockerignore) without the package's sources;
//! a `tests.py` unittest module is run, by Django's own runner for a site without pytest-django;
//! the env file the suite loads is passed at run time only; an empty suite says so.

use std::path::Path;

use dockwright::secrets::excluded;

use crate::test::Test;

const PACKAGED: &str = "[project]\nname = \"acme\"\nversion = \"0.1.0\"\ndependencies = []\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n";

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The JSON-array CMD of `Dockerfile.test`.
fn test_cmd(root: &Path) -> Vec<String> {
    let text = read(root, "Dockerfile.test");
    let line = text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("CMD "))
        .expect("a CMD line");
    serde_json::from_str(line).unwrap()
}

fn init(test: Test) -> (Test, String) {
    let test = test.args(["init", "proj", "--yes", "--python", "3.11"]);
    let out = test.run();
    out.expect_code(0);
    let said = out.stdout();
    (test, said)
}

#[test]
fn suites_a_pytest_config_in_a_subfolder_runs_from_there_with_its_addopts_plugins() {
    let (test, said) = init(Test::new().fixture("ledger-svc", "proj"));
    let root = test.path().join("proj");
    let dockerfile = read(&root, "Dockerfile.test");
    assert!(
        dockerfile.contains("\nWORKDIR /app/svc\n"),
        "no WORKDIR /app/svc:\n{dockerfile}"
    );
    // testpaths is the configuration's: pytest gets no paths.
    assert_eq!(
        test_cmd(&root),
        ["pytest", "--cov=ledger", "--cov-report=term-missing"]
    );
    // addopts says -n 2: pytest-xdist is installed with the test tools.
    assert!(
        dockerfile.contains("pytest pytest-cov pytest-xdist"),
        "pytest-xdist not installed:\n{dockerfile}"
    );
    assert!(
        said.contains("tests: pytest --cov=ledger --cov-report=term-missing in /app/svc"),
        "{said}"
    );
}

#[test]
fn suites_the_test_image_gets_the_tree_but_not_the_package_sources() {
    let (test, _) = init(Test::new().fixture("ledger-svc", "proj"));
    let root = test.path().join("proj");
    let dockerfile = read(&root, "Dockerfile.test");
    // scripts/, samples/ and svc/ come with the tree, bounded by .dockerignore; src/ goes.
    assert!(
        dockerfile.contains("COPY --chown=1000:1000 . ./\n"),
        "the tree is not copied:\n{dockerfile}"
    );
    assert!(
        dockerfile.contains("RUN rm -rf src\n"),
        "the sources stay:\n{dockerfile}"
    );
    let ignore: Vec<String> = read(&root, ".dockerignore")
        .lines()
        .map(str::to_string)
        .collect();
    for kept in ["scripts/load_csv.py", "samples/march.csv", "svc/pytest.ini"] {
        assert!(!excluded(&ignore, kept), "{kept} left out of the context");
    }
    // The runtime image copies no tree: only the package over the stand-in.
    let runtime = read(&root, "Dockerfile");
    assert!(!runtime.contains("COPY . "), "{runtime}");
    assert!(!runtime.contains("scripts"), "{runtime}");
}

#[test]
fn suites_testpaths_and_addopts_of_every_config_file_are_left_to_pytest() {
    for (file, text) in [
        (
            "pytest.ini",
            "[pytest]\ntestpaths = src/tests\naddopts = --timeout=30\n",
        ),
        (
            "setup.cfg",
            "[metadata]\nname = acme\n[tool:pytest]\ntestpaths = src/tests\naddopts = --timeout=30\n",
        ),
        (
            "tox.ini",
            "[tox]\nenvlist = py311\n[pytest]\ntestpaths = src/tests\naddopts = --timeout=30\n",
        ),
    ] {
        let (test, _) = init(
            Test::new()
                .file("proj/pyproject.toml", PACKAGED)
                .file("proj/src/acme/__init__.py", "")
                .file("proj/tests/test_acme.py", "def test_a():\n    pass\n")
                .file(&format!("proj/{file}"), text),
        );
        let root = test.path().join("proj");
        let cmd = test_cmd(&root);
        assert!(
            !cmd.iter().any(|w| w.contains("tests")),
            "{file}: paths passed over testpaths: {cmd:?}"
        );
        let dockerfile = read(&root, "Dockerfile.test");
        assert!(
            dockerfile.contains("pytest-timeout"),
            "{file}: --timeout needs pytest-timeout:\n{dockerfile}"
        );
    }
    let pyproject = format!(
        "{PACKAGED}\n[tool.pytest.ini_options]\ntestpaths = [\"src/tests\"]\naddopts = \"-p xdist --timeout 5\"\n"
    );
    let (test, _) = init(
        Test::new()
            .file("proj/pyproject.toml", &pyproject)
            .file("proj/src/acme/__init__.py", "")
            .file("proj/tests/test_acme.py", "def test_a():\n    pass\n"),
    );
    let dockerfile = read(&test.path().join("proj"), "Dockerfile.test");
    assert!(
        dockerfile.contains("pytest pytest-cov pytest-timeout pytest-xdist"),
        "{dockerfile}"
    );
}

#[test]
fn suites_a_django_site_without_pytest_django_runs_manage_py_test() {
    let (test, said) = init(Test::new().fixture("django-notes", "proj"));
    let root = test.path().join("proj");
    let cmd = test_cmd(&root);
    assert_eq!(cmd[..2], ["sh", "-c"], "{cmd:?}");
    assert!(
        cmd[2].contains("python -m coverage run --source=. manage.py test"),
        "{cmd:?}"
    );
    let dockerfile = read(&root, "Dockerfile.test");
    for line in [
        "ENV DJANGO_SETTINGS_MODULE=notes_site.settings\n",
        "ENV DJANGO_SECRET_KEY=tests-only-not-a-secret\n",
    ] {
        assert!(dockerfile.contains(line), "{line} not in\n{dockerfile}");
    }
    // The throw-away key is the test image's only: the runtime image has none.
    assert!(!read(&root, "Dockerfile").contains("tests-only"));
    assert!(said.contains("Django's own runner"), "{said}");
}

#[test]
fn suites_a_tests_py_unittest_module_is_named_to_pytest() {
    let (test, _) = init(
        Test::new()
            .file("proj/pyproject.toml", PACKAGED)
            .file("proj/src/acme/__init__.py", "")
            .file("proj/tests/test_acme.py", "def test_a():\n    pass\n")
            .file(
                "proj/checks/tests.py",
                "import unittest\n\nclass T(unittest.TestCase):\n    def test_x(self):\n        pass\n",
            ),
    );
    assert_eq!(
        test_cmd(&test.path().join("proj")),
        [
            "pytest",
            "--cov=acme",
            "--cov-report=term-missing",
            "tests",
            "checks/tests.py"
        ]
    );
}

#[test]
fn suites_the_env_file_the_suite_loads_is_passed_at_run_time_only() {
    let (test, said) = init(Test::new().fixture("django-notes", "proj"));
    let root = test.path().join("proj");
    let justfile = read(&root, "justfile");
    assert!(
        justfile.contains("docker run --rm --env-file .env.test {{NAME}}:test"),
        "{justfile}"
    );
    for file in ["Dockerfile", "Dockerfile.test"] {
        assert!(!read(&root, file).contains(".env.test"), "{file}");
    }
    let ignore: Vec<String> = read(&root, ".dockerignore")
        .lines()
        .map(str::to_string)
        .collect();
    assert!(excluded(&ignore, ".env.test"), "sent to the build");
    assert!(said.contains(".env.test passed with --env-file"), "{said}");
    // pytest-dotenv's env_files, relative to where pytest runs.
    let (test, _) = init(
        Test::new()
            .file("proj/pyproject.toml", PACKAGED)
            .file("proj/src/acme/__init__.py", "")
            .file("proj/tests/test_acme.py", "def test_a():\n    pass\n")
            .file("proj/pytest.ini", "[pytest]\nenv_files =\n    ci.env\n")
            .file("proj/ci.env", "A=1\n"),
    );
    let justfile = read(&test.path().join("proj"), "justfile");
    assert!(justfile.contains("--env-file ci.env "), "{justfile}");
}

#[test]
fn suites_an_empty_suite_says_so_in_init_and_docker_test() {
    let (test, said) = init(
        Test::new()
            .file("proj/pyproject.toml", PACKAGED)
            .file("proj/src/acme/__init__.py", ""),
    );
    assert!(said.contains("tests: none found"), "{said}");
    // `just docker-test` with a stand-in `docker`: builds succeed, the run exits 5 as pytest
    // does when it collects nothing; the recipe fails with a sentence, not a bare 5.
    let root = test.path().join("proj");
    let bin = test.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let docker = bin.join("docker");
    std::fs::write(
        &docker,
        "#!/bin/sh\nif [ \"$1\" = run ]; then exit 5; fi\nexit 0\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let Ok(out) = std::process::Command::new("just")
        .arg("docker-test")
        .current_dir(&root)
        .env("PATH", path)
        .output()
    else {
        assert!(std::env::var("CI").is_err(), "just is not installed");
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("docker-test found no tests in acme:test"),
        "{stderr}"
    );
}
