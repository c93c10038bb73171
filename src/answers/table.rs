//! The one table of answers. Each row is one question of PRODUCT.md: its key in
//! `.dockwright.toml`, its flag, the wizard's prompt and choices, how its raw text is shaped,
//! whether it is recorded, its default and its rule. The flags (`cli`), the answers-file
//! format and the record (`file`), the resolution with origins (`resolve`), the `--dry-run`
//! summary and the wizard loop are all derived from it.
//!
//! Adding an answer: one row here (with its `default` and `parse` functions in `rules.rs`),
//! its value in `RenderContext`, its use in the blueprints, and tests. The macro makes the
//! `Field` enum, its `Spec`, the typed `Answers` and the partial `Preview` from the rows.

use super::rules::{self, Fallback};
use super::serving;
use super::value::ContainerCommand;
use super::{Raw, Shape};
use crate::model::{Ci, DeployTarget, HealthCheck, Installer, Kind, Sourced, Transport};

/// How the wizard decides whether to ask a question at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Always, unless a flag or the answers file settled it.
    Always,
    /// Only when the kind chosen before serves HTTP.
    WhenServingHttp,
    /// Only when the kind chosen before is `mcp`.
    WhenMcp,
    /// For `new`, and for `init` on a project that keeps GitHub workflows (`.github/workflows/`).
    WhenGithubWorkflows,
    /// Never: derived from the other answers, or a rarely needed expert answer (a flag or the
    /// answers file may still set it).
    Never,
}

/// Everything about an answer that is not its value.
#[derive(Debug)]
pub struct Spec {
    /// Key in `.dockwright.toml`'s `[answers]` table (and the clap argument id).
    pub key: &'static str,
    /// The long flag, without `--`.
    pub flag: &'static str,
    /// Placeholder in `--help`.
    pub value_name: &'static str,
    /// One line of `--help`.
    pub help: &'static str,
    /// The wizard's question.
    pub prompt: &'static str,
    /// Fixed choices (the wizard offers a list), or none (free text).
    pub choices: &'static [&'static str],
    /// How the raw value is written on the command line, in the answers file and in the record.
    pub shape: Shape,
    /// When the wizard asks it.
    pub ask: Ask,
    /// When `.dockwright.toml` records it.
    pub recorded: Record,
}

/// When an answer is recorded in `.dockwright.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Always, whatever its origin.
    Always,
    /// Only when it was given (a flag, a wizard reply, the answers file). Otherwise it is
    /// derived from other answers or from the project (the package of the name, the ports of
    /// the kind, the command of the kind or the project's scripts, the base image of the Python
    /// version) and is derived again on a re-run, so it keeps following them
    /// (`init --python 3.11` after a 3.14 run changes the base image too).
    WhenGiven,
}

impl Record {
    /// Whether a value of this origin is recorded.
    pub fn keeps(self, origin: &crate::model::Origin) -> bool {
        match self {
            Record::Always => true,
            Record::WhenGiven => matches!(
                origin,
                crate::model::Origin::Flag | crate::model::Origin::AnswersFile(_)
            ),
        }
    }
}

macro_rules! answer_table {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident $field:ident: $ty:ty {
            key: $key:literal,
            flag: $flag:literal,
            value_name: $value_name:literal,
            help: $help:literal,
            prompt: $prompt:literal,
            choices: $choices:expr,
            shape: $shape:ident,
            ask: $ask:ident,
            recorded: $recorded:ident,
            default: $default:expr,
            parse: $parse:expr,
        }
    )*) => {
        /// One answer; the order is the order of the table, in which answers resolve (a default
        /// may depend on the answers above it) and the wizard asks.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Field { $($variant),* }

        impl Field {
            /// Every answer, in table order.
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            /// The row of this answer.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $(Field::$variant => &Spec {
                        key: $key,
                        flag: $flag,
                        value_name: $value_name,
                        help: $help,
                        prompt: $prompt,
                        choices: $choices,
                        shape: Shape::$shape,
                        ask: Ask::$ask,
                        recorded: Record::$recorded,
                    },)*
                }
            }
        }

        /// The validated answers every later step works from, each with its origin.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Answers {
            $($(#[doc = $doc])* pub $field: crate::model::Sourced<$ty>,)*
        }

        /// Every answer that resolved, even when others did not: the wizard's defaults.
        #[derive(Debug, Clone, Default)]
        pub struct Preview {
            $(pub $field: Option<crate::model::Sourced<$ty>>,)*
        }

        impl Preview {
            /// Resolves the answers in table order; each row's default sees the rows above it.
            pub(super) fn resolve(r: &mut super::Resolver) -> Preview {
                let mut p = Preview::default();
                $(
                    {
                        let default: fn(&super::Layers, &Preview) -> Fallback = |l, p| ($default)(l, p);
                        let parse: fn(&Raw, &Preview, &super::Layers) -> rules::Checked<$ty> =
                            |raw, p, l| ($parse)(raw, p, l);
                        p.$field = r.answer(Field::$variant, &p, default, parse);
                    }
                )*
                p
            }

            /// All answers, when every one resolved.
            pub fn complete(self) -> Option<Answers> {
                Some(Answers { $($field: self.$field?,)* })
            }

            /// The current value of `field` as text, with its origin, if it resolved.
            pub fn shown(&self, field: Field) -> Option<(String, crate::model::Origin)> {
                use super::value::AnswerValue;
                match field {
                    $(Field::$variant => self.$field.as_ref().map(|s| (s.value.show(), s.origin.clone())),)*
                }
            }
        }

        impl Answers {
            /// The answers as a complete preview (every field set).
            pub fn preview(&self) -> Preview {
                Preview { $($field: Some(self.$field.clone()),)* }
            }

            /// The value of `field` in natural TOML types (`--json` shows it as JSON).
            pub fn value_toml(&self, field: Field) -> toml::Value {
                use super::value::AnswerValue;
                match field {
                    $(Field::$variant => self.$field.value.to_toml(),)*
                }
            }

            /// Each recorded answer as the TOML value `.dockwright.toml` stores, in table order;
            /// an answer that means none is left out (an absent key means none).
            pub fn recorded(&self) -> Vec<(Field, toml::Value)> {
                use super::value::AnswerValue;
                let mut out = Vec::new();
                $(if Record::$recorded.keeps(&self.$field.origin) && !self.$field.value.means_none() {
                    out.push((Field::$variant, self.$field.value.to_toml()));
                })*
                out
            }
        }
    };
}

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
        default: rules::default_name,
        parse: |raw, _, _| rules::text(raw, rules::name),
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
        default: rules::default_package,
        parse: |raw, _, layers| rules::package_answer(raw, layers),
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
        parse: |raw, _, _| rules::text(raw, rules::python),
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
        parse: |raw, _, _| rules::text(raw, rules::kind),
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
        default: serving::default_command,
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
        parse: |raw, _, _| rules::text(raw, rules::uid),
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
        parse: |raw, _, _| rules::text(raw, rules::base_image),
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
        parse: |raw, _, _| rules::text(raw, rules::installer),
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
        parse: |raw, _, _| rules::text(raw, rules::coverage),
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
        parse: |raw, _, _| rules::text(raw, rules::health_path),
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
        parse: |raw, _, _| rules::text(raw, rules::ci),
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
