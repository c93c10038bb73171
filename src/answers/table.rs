//! The one table of answers. Each row is one question of PRODUCT.md: its key in
//! `.dockwright.toml`, its flag, the wizard's prompt and choices, how its raw text is shaped,
//! whether it is recorded, its default and its rule. The flags (`cli`), the answers-file
//! format and the record (`file`), the resolution with origins (`resolve`), the `--dry-run`
//! summary and the wizard loop are all derived from it.
//!
//! Adding an answer: one row here (with its `default` and `parse` functions in `rules.rs`),
//! its value in `RenderContext`, its use in the blueprints, and tests. The macro makes the
//! `Field` enum, its `Spec`, the typed `Answers` and the partial `Preview` from the rows.

use super::check::{self, Fallback};
use super::command;
use super::names;
use super::raw::{Raw, Shape};
use super::rules;
use super::serving;
use super::spec::{answer_table, Ask, Record, Spec};
use super::value::ContainerCommand;
use crate::model::{Ci, DeployTarget, HealthCheck, Installer, Kind, Sourced, Transport};

answer_table! {
    /// Distribution name (PEP 508), e.g. `my-app`.
    Name name: String {
        key: "name",
        flag: "name",
        value_name: "NAME",
        help: "Project (distribution) name; also names the image [default: the directory name]",
        prompt: "Project name",
        choices: &[],
        shape: Text,
        ask: Always,
        recorded: Always,
        default: names::default_name,
        parse: |raw, _, _| check::text(raw, names::name),
    }
    /// Import package, e.g. `my_app`, or `pdm.backend` for a namespace package (`init`).
    Package package: String {
        key: "package",
        flag: "package",
        value_name: "PACKAGE",
        help: "Import package, dotted for a namespace package (pdm.backend) [default: the name with `-` as `_`]",
        prompt: "Import package",
        choices: &[],
        shape: Text,
        ask: Always,
        recorded: WhenGiven,
        default: names::default_package,
        parse: |raw, _, layers| names::package_answer(raw, layers),
    }
    /// Python minor version, e.g. `(3, 12)`.
    Python python: (u8, u8) {
        key: "python",
        flag: "python",
        value_name: "X.Y",
        help: "Python version, 3.9 to 3.14 [default: the highest requires-python allows, else 3.12]",
        prompt: "Python version (3.9-3.14)",
        choices: &[],
        shape: Text,
        ask: Always,
        recorded: Always,
        default: |_, _| Fallback::fixed(super::DEFAULT_PYTHON),
        parse: |raw, _, _| check::text(raw, rules::python),
    }
    /// What the project is.
    Kind kind: Kind {
        key: "kind",
        flag: "kind",
        value_name: "KIND",
        help: "Project kind: web, mcp, cli or library [default: from dependencies and scripts, else web]",
        prompt: "Kind",
        choices: Kind::NAMES,
        shape: Text,
        ask: Always,
        recorded: Always,
        default: |_, _| Fallback::fixed("web"),
        parse: |raw, _, _| check::text(raw, rules::kind),
    }
    /// How an MCP server talks to its client; `none` for the other kinds.
    Transport transport: Transport {
        key: "transport",
        flag: "transport",
        value_name: "TRANSPORT",
        help: "MCP transport: stdio, streamable-http or sse [default: from the code, else stdio; streamable-http for new]",
        prompt: "MCP transport",
        choices: &["stdio", "streamable-http", "sse"],
        shape: Text,
        ask: WhenMcp,
        recorded: Always,
        default: serving::default_transport,
        parse: serving::transport,
    }
    /// Published ports; the first is the app port. Empty for kinds that serve nothing.
    Ports ports: Vec<u16> {
        key: "ports",
        flag: "port",
        value_name: "PORT",
        help: "Port to publish; repeat for more; the first is the app port [default: EXPOSE of an existing Dockerfile, else 8000 for web and MCP over HTTP, none otherwise]",
        prompt: "Ports (comma-separated; the first is the app port)",
        choices: &[],
        shape: Integers,
        ask: Always,
        recorded: WhenGiven,
        default: rules::default_ports,
        parse: rules::ports,
    }
    /// The exec-form command the container runs.
    Command command: ContainerCommand {
        key: "command",
        flag: "command",
        value_name: "COMMAND",
        help: "Command the container runs, as a shell-like line [default: the console script; a Procfile web: line; a detected framework app under gunicorn (WSGI) or uvicorn (ASGI); an import check for libraries]",
        prompt: "Command the container runs",
        choices: &[],
        shape: Command,
        ask: Always,
        recorded: WhenGiven,
        default: command::default_command,
        parse: rules::command,
    }
    /// Pinned server requirements dockwright adds to the image, because the project serves a
    /// framework app without declaring the server (`gunicorn==23.0.0`); empty otherwise.
    Server server: Vec<String> {
        key: "server",
        flag: "server",
        value_name: "REQ,...",
        help: "Pinned server requirements added to the image, comma-separated [default: the detected app's server when the project does not declare it]",
        prompt: "Server requirements added to the image (comma-separated, may be empty)",
        choices: &[],
        shape: Texts,
        ask: Never,
        recorded: Always,
        default: serving::default_server,
        parse: serving::server,
    }
    /// Target architectures, e.g. `amd64`, `arm/v7`.
    Arch arch: Vec<String> {
        key: "arch",
        flag: "arch",
        value_name: "ARCH,...",
        help: "Target architectures, comma-separated [default: amd64,arm64]",
        prompt: "Architectures (comma-separated)",
        choices: &[],
        shape: Texts,
        ask: Always,
        recorded: Always,
        default: |_, _| Fallback::fixed_list(super::DEFAULT_ARCHES),
        parse: rules::arches,
    }
    /// Numeric UID (and GID) the images run as; never 0.
    Uid uid: u32 {
        key: "uid",
        flag: "uid",
        value_name: "UID",
        help: "Numeric user the image runs as, not 0 [default: 1000]",
        prompt: "Numeric user ID the image runs as",
        choices: &[],
        shape: Integer,
        ask: Always,
        recorded: Always,
        default: |_, _| Fallback::fixed("1000"),
        parse: |raw, _, _| check::text(raw, rules::uid),
    }
    /// Base image of every stage.
    BaseImage base_image: String {
        key: "base_image",
        flag: "base-image",
        value_name: "IMAGE",
        help: "Base image [default: python:<python>-slim]",
        prompt: "Base image",
        choices: &[],
        shape: Text,
        ask: Always,
        recorded: WhenGiven,
        default: rules::default_base_image,
        parse: |raw, _, _| check::text(raw, rules::base_image),
    }
    /// How dependencies are installed.
    Installer installer: Installer {
        key: "installer",
        flag: "installer",
        value_name: "INSTALLER",
        help: "Installer used in the image: pip or uv (uv installs exactly uv.lock) [default: uv with uv.lock, else pip]",
        prompt: "Installer",
        choices: Installer::NAMES,
        shape: Text,
        ask: Always,
        recorded: Always,
        default: |_, _| Fallback::fixed("pip"),
        parse: |raw, _, _| check::text(raw, rules::installer),
    }
    /// Minimum coverage percentage `Dockerfile.test` enforces.
    CoverageMin coverage_min: u8 {
        key: "coverage_min",
        flag: "coverage-min",
        value_name: "PERCENT",
        help: "Minimum test coverage percent for Dockerfile.test [default: 85]",
        prompt: "Minimum test coverage (%)",
        choices: &[],
        shape: Integer,
        ask: Always,
        recorded: Always,
        default: |_, _| Fallback::fixed("85"),
        parse: |raw, _, _| check::text(raw, rules::coverage),
    }
    /// What the HTTP health check asks: a path that answers 2xx, or (`none`) any answer below
    /// 500 at `/` (HTTP kinds only use it).
    HealthPath health_path: HealthCheck {
        key: "health_path",
        flag: "health-path",
        value_name: "PATH",
        help: "HTTP path of the health endpoint (must answer 2xx), or none: any HTTP answer below 500 at / passes [default: a health route found in the code; /mcp or /sse for an existing MCP server over HTTP; /health for new; else none]",
        prompt: "Health check path",
        choices: &[],
        shape: Text,
        ask: WhenServingHttp,
        recorded: Always,
        default: serving::default_health_path,
        parse: |raw, _, _| check::text(raw, rules::health_path),
    }
    /// Debian packages: `build:NAME` for the stages that compile (e.g. `libpq-dev`), `run:NAME`
    /// for the runtime (e.g. `libpq5`).
    SystemPackages system_packages: Vec<String> {
        key: "system_packages",
        flag: "system-packages",
        value_name: "build:PKG,run:PKG,...",
        help: "Debian packages for the build stages (build:NAME) and the runtime (run:NAME), comma-separated [default: none]",
        prompt: "Debian packages (build:NAME,run:NAME)",
        choices: &[],
        shape: Texts,
        ask: Never,
        recorded: WhenGiven,
        default: |_, _| Fallback::fixed_list(&[]),
        parse: rules::system_packages,
    }
    /// The CI workflow written: `github` (`.github/workflows/docker.yml`) or none.
    Ci ci: Ci {
        key: "ci",
        flag: "ci",
        value_name: "CI",
        help: "CI workflow to write: github (.github/workflows/docker.yml) or none [default: none]",
        prompt: "CI workflow (github or none)",
        choices: Ci::NAMES,
        shape: Text,
        ask: WhenGithubWorkflows,
        recorded: WhenGiven,
        default: |_, _| Fallback::fixed("none"),
        parse: |raw, _, _| check::text(raw, rules::ci),
    }
    /// Cluster deployment files written: `kubernetes` (`deploy/kubernetes/`), `swarm`
    /// (`deploy/swarm/stack.yml`); empty for none.
    Deploy deploy: Vec<DeployTarget> {
        key: "deploy",
        flag: "deploy",
        value_name: "TARGET,...",
        help: "Cluster deployment files to write, comma-separated: kubernetes (deploy/kubernetes/), swarm (deploy/swarm/stack.yml) [default: none]",
        prompt: "Deployment targets (comma-separated: kubernetes, swarm; empty for none)",
        choices: &[],
        shape: Texts,
        ask: WhenServingHttp,
        recorded: WhenGiven,
        default: |_, _| Fallback::fixed_list(&[]),
        parse: rules::deploy,
    }
}

impl super::Earlier for Preview {
    fn name(&self) -> Option<&Sourced<String>> {
        self.name.as_ref()
    }
    fn package(&self) -> Option<&Sourced<String>> {
        self.package.as_ref()
    }
    fn python(&self) -> Option<&Sourced<(u8, u8)>> {
        self.python.as_ref()
    }
    fn kind(&self) -> Option<&Sourced<Kind>> {
        self.kind.as_ref()
    }
    fn transport(&self) -> Option<&Sourced<Transport>> {
        self.transport.as_ref()
    }
    fn ports(&self) -> Option<&Sourced<Vec<u16>>> {
        self.ports.as_ref()
    }
    fn command(&self) -> Option<&Sourced<ContainerCommand>> {
        self.command.as_ref()
    }
}
