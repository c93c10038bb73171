//! `RenderContext`: everything a blueprint may use.
//!
//! These fields are load-bearing: blueprints reference them by name, the snapshot tests pin
//! what they render to, and `docs/blueprints.md` lists them. Add a field here (documented)
//! before using it in a blueprint; undefined names fail the render (strict undefined).
//!
//! `derive.rs` makes each field from the answers and the project's facts (`RenderContext::new`);
//! `code.rs` how the image gets the code; `health.rs` the Python of the `HEALTHCHECK`;
//! `suite.rs` the test image's runner; `watch.rs` `docker-watch`'s sync rules; `fields.rs` the
//! field list read from the doc comments here (`docs/context.md`).

mod code;
mod derive;
pub mod fields;
mod health;
mod suite;
mod watch;

pub use code::code_install;
pub use suite::TestRun;
pub use watch::{Watch, WatchSync};

use serde::Serialize;

use crate::answers::Answers;
use crate::facts::{Facts, StubBuild, Workspace};

/// The uv the images install with `--installer uv`, pinned so a rebuild installs the same uv.
pub const UV_VERSION: &str = "0.13.9";
/// The pipenv whose exporter (`pipenv requirements`) turns a `Pipfile.lock` into the
/// requirements pip installs, pinned; it lives in a venv of the dependency stage that never ships.
pub const PIPENV_VERSION: &str = "2026.10.3";
/// `tomli`, with which the build helper reads TOML before Python 3.11 (tomllib from 3.11).
pub const TOMLI_REQUIREMENT: &str = "tomli==2.2.1; python_version < '3.11'";

/// The blueprints' interface. Every field is used by at least one blueprint.
#[derive(Debug, Clone, Serialize)]
pub struct RenderContext {
    /// Version of dockwright that rendered the files, e.g. `0.1.0`.
    pub dockwright_version: &'static str,
    /// Distribution name as given (PEP 508), e.g. `My-App`.
    pub name: String,
    /// Docker image repository: the normalised name, e.g. `my-app`.
    pub image: String,
    /// The name of the Kubernetes objects (namespace, Deployment, Service, container, the
    /// `app.kubernetes.io/name` label): the image name as a DNS-1035 label, `app-123` for `123`,
    /// shortened with a hash past 63 characters (`safety::kubernetes_name`).
    pub kube_name: String,
    /// The Swarm stack's name and its service's: the image name, shortened with a hash past 29
    /// characters so that `<stack>_<service>-net` fits Swarm's 63 (`safety::swarm_name`).
    pub swarm_name: String,
    /// Import package, e.g. `my_app`, or a dotted namespace package, e.g. `pdm.backend`.
    pub package: String,
    /// Where the package lives below `src/` (or the root) and `site-packages`: `my_app`,
    /// `pdm/backend`.
    pub package_dir: String,
    /// Console script the skeleton declares: the normalised name, e.g. `my-app`.
    pub script: String,
    /// Python `MAJOR.MINOR`, e.g. `3.12`.
    pub python_version: String,
    /// `web`, `mcp`, `cli` or `library`: for prose and for naming the kind's own blueprints
    /// (`kinds/<kind>/…`); decide with the booleans below, never by comparing this string.
    pub kind: &'static str,
    /// What the kind is, in words: `web service`, `MCP server`, `command-line tool`, `Python library`.
    pub kind_noun: &'static str,
    /// The kind is `web`.
    pub is_web: bool,
    /// The kind is `mcp`.
    pub is_mcp: bool,
    /// The kind is `cli`.
    pub is_cli: bool,
    /// The kind is `library`.
    pub is_library: bool,
    /// `true` for kinds that run an HTTP server (`web`, `mcp`): HTTP health check, restart policy.
    pub serves_http: bool,
    /// Published ports; may be empty for `cli` and `library`.
    pub ports: Vec<u16>,
    /// The first port, where the app listens; `none` when there are no ports.
    pub app_port: Option<u16>,
    /// The container command as a JSON array, ready for exec-form `CMD` and compose `command:`.
    pub command_json: String,
    /// The container command as one shell-quoted line, for prose and `docker run` examples.
    pub command_line: String,
    /// Architectures, e.g. `["amd64", "arm64"]`.
    pub arches: Vec<String>,
    /// Buildx platforms joined by commas, e.g. `linux/amd64,linux/arm64`.
    pub platforms: String,
    /// Numeric UID (and GID) the runtime image runs as; never 0.
    pub uid: u32,
    /// Default of the Dockerfiles' `BASE_IMAGE` argument; references `${PYTHON_VERSION}` when it
    /// is the official slim image, so `--build-arg PYTHON_VERSION=…` alone switches versions.
    pub base_image_arg: String,
    /// The base image as it resolves for the chosen Python version, e.g. `python:3.12-slim`.
    pub base_image: String,
    /// `pip` or `uv`.
    pub installer: &'static str,
    /// The installer is uv: dependencies come from `uv.lock`.
    pub uses_uv: bool,
    /// The uv version the images install (pinned, so a rebuild next month installs the same
    /// uv), e.g. `0.13.9`.
    pub uv_version: &'static str,
    /// The dependencies are Poetry's `[tool.poetry.dependencies]` (read through poetry-core).
    pub poetry_dependencies: bool,
    /// `base_image_arg` is the official slim image of `${PYTHON_VERSION}`, so the Python version
    /// alone picks the base image.
    pub base_image_follows_python: bool,
    /// Minimum coverage percentage `Dockerfile.test` enforces; 0 means no gate.
    pub coverage_min: u8,
    /// `coverage_min` is above 0: `pytest --cov-fail-under` is passed.
    pub coverage_gate: bool,
    /// The project has tests the test image can run (`layout.test_paths` or tests inside the
    /// package).
    pub has_tests: bool,
    /// `Dockerfile.test`'s command as a JSON array: pytest with coverage of the package (and
    /// the gate), `--pyargs` for tests inside the package; without tests, a message saying so
    /// (exit 5, as pytest does when it collects nothing).
    pub test_command_json: String,
    /// The subfolder with the project's only pytest configuration, e.g. `svc`: the test image
    /// runs the suite from `/app/svc`, as `cd svc && pytest` does.
    pub test_workdir: Option<String>,
    /// Directories of the project tree the test image leaves out of `/app` (the package's
    /// sources, where the tests import the installed package); empty for an app tree.
    pub test_tree_removes: Vec<String>,
    /// The suite runs under Django's own runner (`manage.py test`): a Django site whose
    /// requirements never name pytest-django.
    pub django_test_runner: bool,
    /// The env file the suite loads (relative to the project): `just docker-test` passes it
    /// with `docker run --env-file`; never copied into an image.
    pub test_env_file: Option<String>,
    /// PyPI names of the pytest plugins the project's `addopts` needs (pytest-cov aside).
    pub test_plugins: Vec<String>,
    /// The variable the Django settings read the secret key from: the test image sets a
    /// throw-away value.
    pub test_secret_key_var: Option<String>,
    /// What the test image of a project without tests prints.
    pub no_tests_message: &'static str,
    /// The project's pytest configuration file (relative to the project), if any.
    pub test_config: Option<String>,
    /// Path of the HTTP health endpoint, e.g. `/health`.
    pub health_path: String,
    /// Health check command as a JSON array (exec form, no curl): a stdlib HTTP GET of the
    /// health path for HTTP kinds, an import of the package otherwise.
    pub healthcheck_json: String,
    /// Same command for compose: `["CMD", …]`.
    pub healthcheck_compose_json: String,
    /// The MCP transport (`stdio`, `streamable-http`, `sse`), `none` for other kinds.
    pub transport: &'static str,
    /// An MCP server over stdio: no port, no health check, `ENTRYPOINT` so that
    /// `docker run -i --rm IMAGE` is what an MCP client launches.
    pub is_stdio: bool,
    /// An MCP server over server-sent events (health check: the first event of the stream).
    pub is_sse: bool,
    /// The command is the `ENTRYPOINT` (a CLI, a stdio MCP server): arguments of `docker run
    /// IMAGE ARGS` go to it.
    pub uses_entrypoint: bool,
    /// The image has a `HEALTHCHECK` (every kind but a stdio MCP server).
    pub has_healthcheck: bool,
    /// The health check speaks MCP: an `initialize` to the streamable-HTTP endpoint, or the
    /// first event of the SSE stream (the health path is the MCP endpoint).
    pub health_speaks_mcp: bool,
    /// The health check accepts any HTTP answer below 500 at `/`: no health route was found.
    pub health_any_status: bool,
    /// Pinned server requirements dockwright installs into the image (the `server` answer).
    pub server_requirements: Vec<String>,
    /// A web app run by gunicorn or uvicorn: workers come from `WEB_CONCURRENCY`.
    pub uses_web_concurrency: bool,
    /// The directory Flask's instance folder resolves to in the image, created for the app's
    /// user, e.g. `/opt/venv/var/notes-instance`.
    pub flask_instance_dir: Option<String>,
    /// With pip: the lock file whose `name == version` pins constrain the install (`poetry.lock`,
    /// `pdm.lock`, `pylock.toml`, or `uv.lock` when pip was chosen), so the image has the locked
    /// versions, not the newest ones.
    pub lock_constraints: Option<String>,
    /// The secret deny-list every generated ignore file ends with, one `.dockerignore` line
    /// each (`**/.env*`, `!**/.env.example`, `**/.ssh`, …): `crate::secrets::SECRET_PATTERNS`,
    /// the list detection checks readme and workspace member paths against.
    pub secret_patterns: &'static [&'static str],
    /// Debian packages the compiling stages install (`--system-packages build:NAME`).
    pub build_packages: Vec<String>,
    /// Debian packages the runtime (and test) image installs (`--system-packages run:NAME`).
    pub run_packages: Vec<String>,
    /// `--ci github`: `.github/workflows/docker.yml` is written.
    pub ci_github: bool,
    /// `--deploy kubernetes`: the kustomize base `deploy/kubernetes/` is written.
    pub deploy_kubernetes: bool,
    /// `--deploy swarm`: the stack file `deploy/swarm/stack.yml` is written.
    pub deploy_swarm: bool,
    /// With uv, the uv workspace the project is a member of (`layout.workspace`): the build
    /// context is its root, the deps stage installs its `uv.lock` for this member, and the
    /// builder builds the wheels of the members it depends on too. `None` with pip (the
    /// project is then built on its own, from its own directory).
    pub workspace: Option<Workspace>,
    /// The build context relative to the project: `.`, or the workspace root (`../..`).
    pub build_context: String,
    /// What prefixes a project file's path in the build context: empty, or the member's
    /// directory with a slash (`packages/api/`).
    pub member_prefix: String,
    /// The dependency layer built from the metadata files and an empty stand-in package, the
    /// code copied last (`stub.overlay`) or installed as the real wheel (`partials/stub.Dockerfile.j2`;
    /// with pip and no overlay, the dependencies from `pyproject.toml` beside a `wheel` stage);
    /// `None`: the PEP 517 builder (dynamic metadata, `setup.py`, compiled code, a lock pip
    /// takes as constraints, hashed requirements, a uv workspace member).
    pub stub: Option<StubBuild>,
    /// A `stub` build with pip and no overlay: the `build` stage installs the dependencies
    /// `pyproject.toml` names while a `wheel` stage builds and installs the project's wheel, in
    /// parallel; the runtime copies the wheel stage's `/opt/venv` over the dependencies.
    pub wheel_stage: bool,
    /// The Dockerfiles copy and run the build helper, `docker/dockwright_build.py`
    /// (`catalogue::BUILD_HELPER`, written only then): the PEP 517 builder (`tools`, `wheel`),
    /// or a dependency layer read from `pyproject.toml`, a lock or through poetry-core.
    pub build_helper: bool,
    /// Where the build helper is written: `docker/dockwright_build.py`.
    pub build_helper_path: &'static str,
    /// The pipenv the dependency stage exports a `Pipfile.lock` with (`PIPENV_VERSION`).
    pub pipenv_version: &'static str,
    /// Python before 3.11: the build helper reads TOML with `tomli`, installed first.
    pub needs_tomli: bool,
    /// The `tomli` the Dockerfiles install before Python 3.11 (the helper names it too).
    pub tomli_requirement: &'static str,
    /// Facts about the project's files (`Facts`), settled for the package.
    pub layout: Facts,
    /// A Django site's migration command (`layout.django.migrate`) as a JSON array for the
    /// compose `migrate` service, and as a shell line for the docs; empty without Django.
    pub django_migrate_json: String,
    /// The same migration command as a shell line, for the docs; empty without Django.
    pub django_migrate_line: String,
    /// Source directory copied into the builder: `src` or the package directory.
    pub source_dir: String,
    /// The lowest Python a new project's skeleton runs on, its `requires-python` floor
    /// (`3.9`): every skeleton is standard library plus uvicorn, pytest and hatchling, all of
    /// which support 3.9, so the Python answer is only the image's version, and `init --python`
    /// may move the image to any supported version without touching `pyproject.toml`.
    pub skeleton_python_floor: String,
    /// `just docker-watch` (`compose.watch.yaml`): the sync rules and the server's reloader
    /// (`context/watch.rs`); `None` for the kinds that do not serve, where the recipe says why.
    /// Its presence also gives the Dockerfile its `CODE_OWNER` argument.
    pub watch: Option<Watch>,
}

/// How the test image runs the project's suite (`Dockerfile.test`'s command and what it needs).
pub fn test_run(answers: &Answers, layout: &Facts) -> TestRun {
    suite::test_run(layout, &answers.package.value, answers.coverage_min.value)
}
