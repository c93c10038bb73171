//! `Facts`: what detection read from the project's files that is not a question to the user,
//! and what the blueprints branch on (they see it as `layout`). One type from detection to
//! rendering; `Facts::new_project` is the project `dockwright new` writes.

use std::path::Path;

use serde::Serialize;

use crate::model::{package_dir, COMPOSE_FILE, DOCKER_JUST, USER_JUSTFILES};

/// Project facts that are not questions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// The project has a `pyproject.toml` (otherwise `setup.py` / `setup.cfg` only: the
    /// dependencies are read from the built wheel).
    pub has_pyproject: bool,
    /// The version `pyproject.toml` declares (`[project]` or Poetry's), when static.
    pub version: Option<String>,
    /// The description `pyproject.toml` declares (`[project]` or Poetry's).
    pub description: Option<String>,
    /// The readme `pyproject.toml` declares; copied into the builder because the backend reads it.
    pub readme: Option<String>,
    /// The PEP 517 backend `[build-system]` names, when it is one dockwright knows.
    pub backend: Option<Backend>,
    /// The lock file at the root: uv installs `uv.lock` itself; with pip, every lock's pinned
    /// versions are constraints.
    pub lock: Option<Lock>,
    /// `requirements*.txt` files at the root, sorted.
    pub requirements: Vec<String>,
    /// The optional-dependencies extra that holds the test tools (`dev`, `test`, …).
    pub test_extra: Option<String>,
    /// The PEP 735 dependency group (or Poetry group) that holds the test tools.
    pub test_group: Option<String>,
    /// Sources live under `src/<package>` (`true`) or `<package>/` at the root (`false`);
    /// `None` until found, and settled against the resolved package by [`Facts::for_package`].
    pub src_layout: Option<bool>,
    /// The import packages found in the layout, the one the build configuration names first.
    pub packages: Vec<String>,
    /// Dependencies are declared in `[tool.poetry]`, not `[project]` (read through poetry-core).
    pub poetry_dependencies: bool,
    /// File that receives the just recipes: `justfile`, or `docker.just` when the user has a
    /// justfile of their own (not one dockwright wrote).
    pub just_file: String,
    /// The Compose file: `compose.yaml` (the Compose spec's preferred name), or the name of
    /// the project's existing `docker-compose.yml`/`docker-compose.yaml`, kept on `init`.
    pub compose_file: String,
    /// A Django site: `manage.py` and its packages go to `/app`, settings come from the
    /// environment, static files are collected at build time.
    pub django: Option<DjangoSite>,
    /// The module whose Flask app keeps an instance folder (`notes` → `/opt/venv/var/notes-instance`,
    /// created writable for the app's user).
    pub flask_instance: Option<String>,
    /// The UI framework whose script is the app (`streamlit`, `gradio`): it serves on its own
    /// port and health path; Gradio's address and port come from `GRADIO_SERVER_*`.
    pub ui: Option<String>,
    /// The project's `gunicorn.conf.py`, copied to `/app` where gunicorn reads it.
    pub gunicorn_conf: bool,
    /// A web framework app was found but no health route in its code: the health check can
    /// only prove the server answers HTTP.
    pub no_health_route: bool,
    /// Test directories (or files) at the root to copy into the test image: pytest `testpaths`,
    /// else `tests/` or `test/` (`tests` for a new project); safe relative paths.
    pub test_paths: Vec<String>,
    /// No tests at the root, but a `tests`/`test` package inside the package (they come with
    /// the wheel and run with `--pyargs`).
    pub tests_in_package: bool,
    /// Root files with pytest or coverage settings (`conftest.py`, `setup.cfg`, …), copied
    /// next to the tests.
    pub test_config: Vec<String>,
    /// Why the wheel needs a C compiler (`setup.py declares ext_modules`), if it does: the
    /// builder runs on the target platform with a compiler.
    pub needs_compiler: Option<String>,
    /// The version comes from git (hatch-vcs, setuptools-scm): `just docker-build` passes it
    /// as `SETUPTOOLS_SCM_PRETEND_VERSION`, since `.git` never reaches the build.
    pub scm_version: bool,
    /// A requirements file with the test tools (`requirements/tests.txt`, …), installed into
    /// the test image.
    pub test_requirements: Option<String>,
    /// The dependencies are listed statically in `pyproject.toml` (`[project]` without dynamic
    /// dependencies, or Poetry); otherwise they are read from the built wheel.
    pub static_dependencies: bool,
    /// `requires-python` (or Poetry's `python`) and where it is written.
    pub requires_python: Option<(String, String)>,
    /// An application without a build system (`pyproject.toml` with static `[project]`
    /// dependencies, no `[build-system]`, no `setup.py`/`setup.cfg`, no console script, and
    /// an application's mark: `main.py`, Django's `manage.py`, or a `uv.lock`, with which uv
    /// never installs such a project): no wheel is built, the source tree is copied into
    /// `/app` (read-only, owned by root) and runs from there.
    pub app_tree: bool,
    /// `requirements.txt` pins every dependency with its hashes: with pip, the dependencies
    /// are exactly it (`--require-hashes`), not resolved from `pyproject.toml`.
    pub hashed_requirements: Option<String>,
    /// The project is a member of a uv workspace whose root (above it) keeps the `uv.lock`:
    /// the images are built with the workspace root as the build context.
    pub workspace: Option<Workspace>,
    /// `DJANGO_SETTINGS_MODULE` of the project's pytest configuration (a dotted module path):
    /// the test image sets it over the production image's.
    pub django_test_settings: Option<String>,
    /// The dependency layer is built from the metadata files and an empty stand-in package
    /// (`detect/stub.rs`), for the package `stub_package`; `None`: the PEP 517 builder builds
    /// the wheel from the whole project. Whether the image uses it is decided by
    /// `context::code_install`.
    pub stub_build: Option<StubBuild>,
    /// Why there is no `stub_build`, in words, for `init`'s report.
    pub stub_refusal: Option<String>,
    /// The package detection built `stub_build` for.
    pub stub_package: Option<String>,
    /// An application without `pyproject.toml` (`detect/requirements.rs`): the requirements
    /// files or the Pipfile its venv is installed from; `app_tree` is set with it.
    pub app_requirements: Option<AppRequirements>,
    /// Why a project whose `pyproject.toml` names a build system runs as an app tree all the
    /// same (its wheel would not hold what the command imports), for `init`'s report.
    pub token_build: Option<String>,
    /// How the project runs its test suite (`detect/suite.rs`).
    pub suite: Suite,
}

/// How the project runs its own test suite, as its files say: where pytest's configuration
/// is (and so where pytest runs from), what it needs, which runner. Every path is checked with
/// `safety::is_safe_relative_path`, so it is pasted into Dockerfiles and recipes unquoted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Suite {
    /// The pytest configuration (`pytest.ini`, `pyproject.toml`, …) relative to the project,
    /// with its section, e.g. `svc/pytest.ini`; `None` when the project has none.
    pub config: Option<String>,
    /// The subfolder that holds the only pytest configuration (there is none at the root): the
    /// tests run from there, as `cd svc && pytest` does.
    pub workdir: Option<String>,
    /// The configuration sets `testpaths`: pytest gets no paths, the configuration decides.
    pub testpaths: bool,
    /// Test directories (`tests`, `test`) relative to `workdir` when it is set.
    pub dirs: Vec<String>,
    /// `tests.py` modules (relative to the working directory of the tests) that pytest's
    /// `python_files` would not collect: they are named to pytest (`pytest FILE` collects any
    /// file), as Django apps and unittest suites keep them. Only when `testpaths` is not set.
    pub unittest_modules: Vec<String>,
    /// Some test module (`test_*.py`, `*_test.py`, `tests.py`) is in the tree.
    pub has_test_modules: bool,
    /// Some test module pytest collects by its default names (`test_*.py`, `*_test.py`).
    pub has_pytest_modules: bool,
    /// PyPI names of the pytest plugins the configuration's `addopts` uses (`-n` → pytest-xdist),
    /// besides pytest-cov, which the test image always has.
    pub plugins: Vec<String>,
    /// A requirement, extra, group or `addopts` names pytest-django: Django's own runner is not
    /// used.
    pub pytest_django: bool,
    /// The env file the suite loads (pytest-dotenv's `env_files`, `.env.test`, or one the test
    /// settings or `conftest.py` name), relative to the project: passed with `docker run
    /// --env-file`, never copied into an image.
    pub env_file: Option<String>,
    /// The environment variable the Django settings read the secret key from (`SECRET_KEY`,
    /// `DJANGO_SECRET_KEY`): the test image sets a throw-away value.
    pub secret_key_var: Option<String>,
}

/// Where an application without `pyproject.toml` gets its dependencies. Every path is a safe
/// relative path (`safety::is_safe_relative_path`), so it is pasted into `COPY` lines as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AppRequirements {
    /// The requirements file the image installs (`requirements.txt`,
    /// `requirements/production.txt`); `None` for a Pipfile or a bare tree.
    pub file: Option<String>,
    /// Every file the dependency stage copies, at its path: `file` and what it includes with
    /// `-r`/`-c` (or `Pipfile` and `Pipfile.lock`).
    pub files: Vec<String>,
    /// The requirements file the test image adds (`requirements-dev.txt`, `requirements/test.txt`).
    pub test_file: Option<String>,
    /// The files the test image copies beyond `files` (`test_file` and its own includes).
    pub test_files: Vec<String>,
    /// Every requirement of `file` is pinned with `--hash`: pip installs it with `--require-hashes`.
    pub hashes: bool,
    /// The same for `test_file`.
    pub test_hashes: bool,
    /// `Pipfile` + `Pipfile.lock`: pipenv's exporter writes the lock as requirements at build time.
    pub pipfile: bool,
    /// Plain https package indexes the files name (`--index-url`), honoured by pip as written.
    pub indexes: Vec<String>,
    /// The folder under `/app` the application runs from (`src`), when its code is kept there
    /// and imports itself as top-level modules (`from routers import items`): the runtime's
    /// working directory, and the suite's when its tests are there too. A constant of
    /// `detect/requirements.rs`, never a name read from the project.
    pub app_dir: Option<String>,
    /// Which files decided, in words, for `init`'s report: `dependencies from
    /// requirements/production.txt (includes requirements/base.txt); tests add requirements/test.txt`.
    pub why: String,
}

/// The stand-in build: what the wheel's metadata comes from, and how the code follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StubBuild {
    /// Files the backend reads for the metadata (`pyproject.toml`, the readme, licence
    /// files), safe relative paths copied before the stand-in is built.
    pub files: Vec<String>,
    /// The package directory in the project, e.g. `src/shop` or `pdm/backend`.
    pub code: String,
    /// A plain copy of `code` over site-packages is exactly the wheel: the runtime copies it
    /// last, so a source change re-runs only that copy. Otherwise the wheel is built.
    pub overlay: bool,
    /// Why, in words, for `init`'s report.
    pub why: String,
    /// `[build-system].requires` when every entry is a plain requirement: the builder installs
    /// the backend once and builds the wheel without an isolated environment. `None`: the
    /// backend's usual isolated build.
    pub build_requires: Option<Vec<String>>,
}

impl StubBuild {
    /// Why the code is copied: the same words for `new` and for `init` on what `new` wrote, so
    /// a re-run renders the same files.
    pub const COPY_IS_THE_WHEEL: &'static str =
        "pure Python, static metadata, no build hooks: a copy of the package is exactly its wheel";
}

impl Facts {
    /// A new project's stand-in build: a hatchling project under `src/` with static metadata,
    /// whose code the runtime copies over the stand-in.
    pub fn with_new_stub(self, package: &str) -> Facts {
        Facts {
            stub_build: Some(StubBuild {
                files: vec!["pyproject.toml".into(), "README.md".into()],
                code: format!("src/{}", package_dir(package)),
                overlay: true,
                why: StubBuild::COPY_IS_THE_WHEEL.into(),
                build_requires: Some(vec!["hatchling".into()]),
            }),
            stub_package: Some(package.to_string()),
            ..self
        }
    }

    /// The project `dockwright new` writes.
    pub fn new_project() -> Facts {
        Facts {
            has_pyproject: true,
            readme: Some("README.md".into()),
            test_extra: Some("dev".into()),
            src_layout: Some(true),
            just_file: USER_JUSTFILES[0].into(),
            compose_file: COMPOSE_FILE.into(),
            test_paths: vec!["tests".into()],
            static_dependencies: true,
            // The skeleton's pyproject.toml sets testpaths = ["tests"], as `init` reads it.
            suite: Suite {
                config: Some("pyproject.toml".into()),
                testpaths: true,
                has_test_modules: true,
                has_pytest_modules: true,
                ..Suite::default()
            },
            ..Facts::default()
        }
    }

    /// The facts with the layout settled for the resolved package: where detection found no
    /// package, sources are under `src/` unless `<package>/` is at the root.
    pub fn for_package(&self, target: &Path, package: &str) -> Facts {
        let src_layout = self.src_layout.unwrap_or_else(|| {
            target.join("src").is_dir() || !target.join(package_dir(package)).is_dir()
        });
        Facts {
            src_layout: Some(src_layout),
            ..self.clone()
        }
    }

    /// The user has a justfile of their own: the recipes go to `docker.just`, imported by it.
    pub fn has_user_justfile(&self) -> bool {
        self.just_file == DOCKER_JUST
    }
}

/// Which build backend the project uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Hatchling,
    Setuptools,
    Poetry,
    Flit,
    Pdm,
    Other,
}

/// The lock file the project keeps, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lock {
    Uv,
    Poetry,
    Pdm,
    /// PEP 751 `pylock.toml`.
    Pylock,
}

impl Lock {
    /// The lock file's name at the project root.
    pub fn file(self) -> &'static str {
        match self {
            Lock::Uv => "uv.lock",
            Lock::Poetry => "poetry.lock",
            Lock::Pdm => "pdm.lock",
            Lock::Pylock => "pylock.toml",
        }
    }
}

/// A Django site, as read from `manage.py` and its settings module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DjangoSite {
    /// `mysite.settings`: the default of `DJANGO_SETTINGS_MODULE`.
    pub settings: String,
    /// The settings set `STATIC_ROOT`: `collectstatic` runs at build time.
    pub static_root: bool,
    /// The site package and its apps: directories with `__init__.py` next to `manage.py`, sorted.
    pub packages: Vec<String>,
    /// Why `settings` is the module the image runs with (which files named which module, and
    /// whether a settings package's production module was preferred), for `init`'s report.
    pub settings_why: String,
    /// Environment variables the settings read without a default (identifiers, sorted): the
    /// container needs them at run time (compose passes them, `.env.example` lists them).
    pub required_env: Vec<String>,
    /// `NAME=value` pairs (identifiers; values dockwright's own constants) set in the
    /// `collectstatic` step alone, so the settings import at build time: a throw-away value
    /// for each required variable, and `SECRET_KEY`. Never an `ENV`, never a real secret.
    pub build_env: Vec<(String, String)>,
    /// WhiteNoise is among the dependencies or named in the settings.
    pub whitenoise: bool,
    /// What `just docker-migrate` and the compose `migrate` service run (a Procfile `release:`
    /// line, else `python manage.py migrate --noinput`), as words.
    pub migrate: Vec<String>,
    /// Why that command, for `init`'s report.
    pub migrate_why: String,
}

/// A uv workspace the project is a member of, as detection found it. Every path is checked
/// with `safety::is_safe_relative_path` (or is made of `..` only), so it is pasted into
/// Dockerfiles, recipes and YAML without quoting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workspace {
    /// The workspace root relative to the project, e.g. `../..`: the build context.
    pub root: String,
    /// The project's directory relative to the root, e.g. `packages/api`.
    pub member: String,
    /// The project's distribution name as `uv.lock` spells it (normalised), for `--package`.
    pub package: String,
    /// The directories (relative to the root) of the workspace members the project depends
    /// on, directly or through each other, per `uv.lock`, sorted: their wheels are built too.
    pub dependencies: Vec<String>,
}
