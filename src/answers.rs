//! `Answers`: the one typed, validated set of answers a run renders from.
//!
//! Answers arrive in layers — flags, an answers file, detection, defaults — as raw text
//! ([`Partial`]). [`resolve`] merges them (flag > answers file > detected > default), remembers
//! where each value came from ([`Origin`]) and validates every value through the same rules
//! whatever its source, listing every problem at once.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};

/// Python versions dockwright knows how to containerise (minor versions of 3).
pub const PYTHON_MINORS: std::ops::RangeInclusive<u8> = 9..=14;
/// The Python version used when nothing else says which.
pub const DEFAULT_PYTHON: &str = "3.12";
/// Architectures `docker buildx` can target with the official Python images.
pub const ARCHES: &[&str] = &[
    "amd64", "arm64", "arm/v7", "arm/v6", "386", "ppc64le", "s390x", "riscv64",
];
/// Default architectures: the two that cover servers, laptops and Apple Silicon.
pub const DEFAULT_ARCHES: &[&str] = &["amd64", "arm64"];
/// Default numeric user the containers run as.
pub const DEFAULT_UID: u32 = 1000;
/// Default minimum coverage for `Dockerfile.test`.
pub const DEFAULT_COVERAGE: u8 = 85;
/// Default health path for HTTP kinds.
pub const DEFAULT_HEALTH_PATH: &str = "/health";
/// Default app port for HTTP kinds.
pub const DEFAULT_PORT: u16 = 8000;

/// What the project is; decides the skeleton, the health check and the default command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An HTTP service (ASGI app served by uvicorn).
    Web,
    /// An MCP server over streamable HTTP.
    Mcp,
    /// A command-line program.
    Cli,
    /// An importable library (the container just proves it imports).
    Library,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Web, Kind::Mcp, Kind::Cli, Kind::Library];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Web => "web",
            Kind::Mcp => "mcp",
            Kind::Cli => "cli",
            Kind::Library => "library",
        }
    }

    /// Whether the container is a long-running HTTP server (health check over HTTP).
    pub fn serves_http(self) -> bool {
        matches!(self, Kind::Web | Kind::Mcp)
    }

    fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How dependencies and the project are installed in the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Installer {
    Pip,
    Uv,
}

impl Installer {
    pub fn as_str(self) -> &'static str {
        match self {
            Installer::Pip => "pip",
            Installer::Uv => "uv",
        }
    }
}

/// Where an answer came from; shown next to defaults and in `--dry-run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag,
    /// The `--answers` file (or `.dockwright.toml`).
    AnswersFile(PathBuf),
    /// Read from the project; the text says from what, e.g. `requires-python >=3.10`.
    Detected(String),
    /// A built-in default; the text says what it was derived from, if anything.
    Default(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag => f.write_str("from flag"),
            Origin::AnswersFile(p) => write!(f, "from {}", p.display()),
            Origin::Detected(why) => write!(f, "from {why}"),
            Origin::Default(why) if why.is_empty() => f.write_str("default"),
            Origin::Default(why) => write!(f, "default, {why}"),
        }
    }
}

/// A value with the place it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

/// The container command, as a shell-like line (flags) or an exact argument list (files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RawCommand {
    Line(String),
    Argv(Vec<String>),
}

/// One layer of unvalidated answers, all as the user wrote them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Partial {
    pub name: Option<String>,
    pub package: Option<String>,
    pub python: Option<String>,
    pub kind: Option<String>,
    pub ports: Option<Vec<String>>,
    pub command: Option<RawCommand>,
    pub arch: Option<Vec<String>>,
    pub uid: Option<String>,
    pub base_image: Option<String>,
    pub installer: Option<String>,
    pub coverage_min: Option<String>,
    pub health_path: Option<String>,
}

/// The validated answers every later step works from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    /// Distribution name (PEP 508), e.g. `my-app`.
    pub name: Sourced<String>,
    /// Import package, e.g. `my_app`.
    pub package: Sourced<String>,
    /// Python minor version, e.g. `(3, 12)`.
    pub python: Sourced<(u8, u8)>,
    pub kind: Sourced<Kind>,
    /// Published ports; the first is the app port. Empty for kinds that serve nothing.
    pub ports: Sourced<Vec<u16>>,
    /// The exec-form command the container runs.
    pub command: Sourced<Vec<String>>,
    /// Target architectures, e.g. `amd64`, `arm/v7`.
    pub arch: Sourced<Vec<String>>,
    pub uid: Sourced<u32>,
    pub base_image: Sourced<String>,
    pub installer: Sourced<Installer>,
    pub coverage_min: Sourced<u8>,
    /// HTTP path of the health endpoint (HTTP kinds only use it).
    pub health_path: Sourced<String>,
}

impl Answers {
    /// The Docker image name: the PEP 503 normalised distribution name, always a valid repository.
    pub fn image(&self) -> String {
        normalize_name(&self.name.value)
    }

    /// The answers back as a file layer, the shape `.dockwright.toml` stores.
    pub fn to_file(&self) -> FileAnswers {
        FileAnswers {
            name: Some(self.name.value.clone()),
            package: Some(self.package.value.clone()),
            python: Some(format!("{}.{}", self.python.value.0, self.python.value.1)),
            kind: Some(self.kind.value.as_str().to_string()),
            ports: Some(self.ports.value.clone()),
            command: Some(RawCommand::Argv(self.command.value.clone())),
            arch: Some(self.arch.value.clone()),
            uid: Some(self.uid.value),
            base_image: Some(self.base_image.value.clone()),
            installer: Some(self.installer.value.as_str().to_string()),
            coverage_min: Some(self.coverage_min.value),
            health_path: Some(self.health_path.value.clone()),
        }
    }
}

/// The name of the file that records the answers in a generated project.
pub const RECORD_FILE: &str = ".dockwright.toml";

/// `.dockwright.toml`: the answers that produced the files, so the same run can be repeated.
pub fn record(answers: &Answers) -> String {
    let doc = AnswersDocument {
        dockwright_version: Some(env!("CARGO_PKG_VERSION").to_string()),
        answers: answers.to_file(),
    };
    let body = toml::to_string(&doc).expect("answers always serialise to TOML");
    format!("# The answers that produced this project's Docker files.\n# Re-create the files with `dockwright init --yes`; change an answer with its flag.\n{body}")
}

/// The `[answers]` table of an answers file or `.dockwright.toml`, in natural TOML types.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileAnswers {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub python: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<u16>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<RawCommand>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage_min: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_path: Option<String>,
}

impl FileAnswers {
    fn into_partial(self) -> Partial {
        Partial {
            name: self.name,
            package: self.package,
            python: self.python,
            kind: self.kind,
            ports: self.ports.map(|ps| ps.iter().map(u16::to_string).collect()),
            command: self.command,
            arch: self.arch,
            uid: self.uid.map(|u| u.to_string()),
            base_image: self.base_image,
            installer: self.installer,
            coverage_min: self.coverage_min.map(|c| c.to_string()),
            health_path: self.health_path,
        }
    }
}

/// The whole answers file: the dockwright version that wrote it and the answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersDocument {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dockwright_version: Option<String>,
    #[serde(default)]
    pub answers: FileAnswers,
}

/// Reads an answers file (`.dockwright.toml` format) into a layer.
pub fn read_answers_file(path: &Path) -> Result<Partial> {
    let text = crate::fsread::read_named(path, crate::fsread::FILE_MAX).map_err(|e| {
        Error::AnswersFile {
            path: path.to_path_buf(),
            reason: e.reason(),
        }
    })?;
    let hint = "expected the `.dockwright.toml` format: an `[answers]` table with keys such as `name = \"demo\"`, `ports = [8000]`";
    let fail = |problems: Vec<String>| Error::AnswersFile {
        path: path.to_path_buf(),
        reason: format!("{}; {hint}", problems.join("; ")),
    };
    match toml::from_str::<AnswersDocument>(&text) {
        Ok(doc) => Ok(doc.answers.into_partial()),
        // Every broken key is listed, not only the first: each key is checked on its own.
        Err(whole) => Err(fail(crate::safety::answers_file_problems(&text, whole))),
    }
}

/// The sources of answers, highest precedence first.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    pub flags: Partial,
    pub file: Option<(PathBuf, Partial)>,
    pub detected: Partial,
    /// Why each detected value was detected, keyed by field; shown as its origin.
    pub detected_origin: std::collections::BTreeMap<&'static str, String>,
    /// Name to fall back on when nothing names the project (the target directory's name).
    pub fallback_name: Option<String>,
    /// Set when detection found no way to know the command (the reason); then a command must be
    /// given, there is no default.
    pub command_unknown: Option<String>,
}

impl Layers {
    /// The first layer that answers `field`, with its origin.
    fn pick<T: Clone>(
        &self,
        field: &'static str,
        get: impl Fn(&Partial) -> &Option<T>,
    ) -> Option<(T, Origin)> {
        if let Some(v) = get(&self.flags) {
            return Some((v.clone(), Origin::Flag));
        }
        if let Some((path, file)) = &self.file {
            if let Some(v) = get(file) {
                return Some((v.clone(), Origin::AnswersFile(path.clone())));
            }
        }
        if let Some(v) = get(&self.detected) {
            let why = self
                .detected_origin
                .get(field)
                .cloned()
                .unwrap_or_else(|| "the project".to_string());
            return Some((v.clone(), Origin::Detected(why)));
        }
        None
    }
}

/// Collects problems while resolving so that all of them are reported together.
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(
        &mut self,
        field: &'static str,
        value: impl Into<String>,
        rule: impl Into<String>,
        example: impl Into<String>,
    ) {
        self.problems.push(Problem {
            field,
            value: value.into(),
            rule: rule.into(),
            example: example.into(),
        });
    }

    /// Validates one raw value; `None` when it broke its rule (the problem is recorded).
    fn check<T>(
        &mut self,
        field: &'static str,
        raw: Option<(String, Origin)>,
        default: impl FnOnce() -> Option<(String, Origin)>,
        parse: impl FnOnce(&str) -> std::result::Result<T, (String, String)>,
    ) -> Option<Sourced<T>> {
        let (raw, origin) = raw.or_else(default)?;
        match parse(&raw) {
            Ok(value) => Some(Sourced { value, origin }),
            Err((rule, example)) => {
                let rule = match &origin {
                    Origin::Flag => rule,
                    other => format!("{rule}; the value came {other}"),
                };
                self.fail(field, raw, rule, example);
                None
            }
        }
    }
}

fn default(value: impl Into<String>, why: impl Into<String>) -> Option<(String, Origin)> {
    Some((value.into(), Origin::Default(why.into())))
}

/// Resolves every answer it can and lists every problem.
pub fn preview(layers: &Layers) -> (Preview, Vec<Problem>) {
    let mut c = Checker {
        problems: Vec::new(),
    };

    let name = c.check(
        "--name",
        layers.pick("name", |p| &p.name),
        || {
            let fallback = layers.fallback_name.as_deref().unwrap_or("app");
            default(fallback, "the target directory's name")
        },
        parse_name,
    );
    let package = c.check(
        "--package",
        layers.pick("package", |p| &p.package),
        || {
            name.as_ref().map(|n| {
                (
                    package_from_name(&n.value),
                    Origin::Default("derived from the name".into()),
                )
            })
        },
        parse_package,
    );
    let python = c.check(
        "--python",
        layers.pick("python", |p| &p.python),
        || default(DEFAULT_PYTHON, ""),
        parse_python,
    );
    let kind = c.check(
        "--kind",
        layers.pick("kind", |p| &p.kind),
        || default("web", ""),
        |s| {
            Kind::parse(s).ok_or_else(|| {
                (
                    "must be one of `web`, `mcp`, `cli`, `library`".into(),
                    "web".into(),
                )
            })
        },
    );

    let ports = match layers.pick("ports", |p| &p.ports) {
        Some((raw, origin)) => parse_ports(&mut c, &raw, kind.as_ref().map(|k| k.value))
            .map(|value| Sourced { value, origin }),
        None => kind.as_ref().map(|k| Sourced {
            value: if k.value.serves_http() {
                vec![DEFAULT_PORT]
            } else {
                Vec::new()
            },
            origin: Origin::Default(format!("for kind {}", k.value)),
        }),
    };

    let command = match layers.pick("command", |p| &p.command) {
        Some((raw, origin)) => parse_command(&mut c, &raw).map(|value| {
            // A detected framework command names the app port as a placeholder.
            let port = ports
                .as_ref()
                .and_then(|p| p.value.first())
                .unwrap_or(&DEFAULT_PORT)
                .to_string();
            let value = value
                .into_iter()
                .map(|w| w.replace(crate::detect::PORT_PLACEHOLDER, &port))
                .collect();
            Sourced { value, origin }
        }),
        None if layers.command_unknown.is_some()
            && kind.as_ref().is_some_and(|k| k.value != Kind::Library) =>
        {
            let why = layers.command_unknown.as_deref().unwrap_or_default();
            c.fail(
                "--command",
                "",
                format!("cannot be detected ({why}); pass what the container runs"),
                "python -m my_app",
            );
            None
        }
        None => match (&name, &package, &kind) {
            (Some(n), Some(p), Some(k)) => Some(Sourced {
                value: default_command(k.value, &n.value, &p.value),
                origin: Origin::Default(format!("for kind {}", k.value)),
            }),
            _ => None,
        },
    };

    let arch = match layers.pick("arch", |p| &p.arch) {
        Some((raw, origin)) => parse_arches(&mut c, &raw).map(|value| Sourced { value, origin }),
        None => Some(Sourced {
            value: DEFAULT_ARCHES.iter().map(|s| s.to_string()).collect(),
            origin: Origin::Default(String::new()),
        }),
    };

    let uid = c.check(
        "--uid",
        layers.pick("uid", |p| &p.uid),
        || default(DEFAULT_UID.to_string(), ""),
        parse_uid,
    );
    let base_image = c.check(
        "--base-image",
        layers.pick("base_image", |p| &p.base_image),
        || {
            python.as_ref().map(|py| {
                (
                    format!("python:{}.{}-slim", py.value.0, py.value.1),
                    Origin::Default("for the Python version".into()),
                )
            })
        },
        parse_base_image,
    );
    let installer = c.check(
        "--installer",
        layers.pick("installer", |p| &p.installer),
        || default("pip", ""),
        |s| match s {
            "pip" => Ok(Installer::Pip),
            "uv" => Ok(Installer::Uv),
            _ => Err(("must be `pip` or `uv`".into(), "pip".into())),
        },
    );
    let coverage_min = c.check(
        "--coverage-min",
        layers.pick("coverage_min", |p| &p.coverage_min),
        || default(DEFAULT_COVERAGE.to_string(), ""),
        |s| match s.parse::<u8>() {
            Ok(v) if v <= 100 => Ok(v),
            _ => Err((
                "must be a whole percentage from 0 to 100".into(),
                "85".into(),
            )),
        },
    );
    let health_path = c.check(
        "--health-path",
        layers.pick("health_path", |p| &p.health_path),
        || default(DEFAULT_HEALTH_PATH, ""),
        parse_health_path,
    );

    (
        Preview {
            name,
            package,
            python,
            kind,
            ports,
            command,
            arch,
            uid,
            base_image,
            installer,
            coverage_min,
            health_path,
        },
        c.problems,
    )
}

/// Merges the layers, fills defaults and validates everything; all problems are listed at once.
pub fn resolve(layers: &Layers) -> Result<Answers> {
    let (p, problems) = preview(layers);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    match p {
        Preview {
            name: Some(name),
            package: Some(package),
            python: Some(python),
            kind: Some(kind),
            ports: Some(ports),
            command: Some(command),
            arch: Some(arch),
            uid: Some(uid),
            base_image: Some(base_image),
            installer: Some(installer),
            coverage_min: Some(coverage_min),
            health_path: Some(health_path),
        } => Ok(Answers {
            name,
            package,
            python,
            kind,
            ports,
            command,
            arch,
            uid,
            base_image,
            installer,
            coverage_min,
            health_path,
        }),
        // Every `None` above comes with a recorded problem; this is unreachable in practice.
        _ => Err(Error::Invalid(Vec::new())),
    }
}

impl From<&Answers> for Preview {
    fn from(a: &Answers) -> Preview {
        Preview {
            name: Some(a.name.clone()),
            package: Some(a.package.clone()),
            python: Some(a.python.clone()),
            kind: Some(a.kind.clone()),
            ports: Some(a.ports.clone()),
            command: Some(a.command.clone()),
            arch: Some(a.arch.clone()),
            uid: Some(a.uid.clone()),
            base_image: Some(a.base_image.clone()),
            installer: Some(a.installer.clone()),
            coverage_min: Some(a.coverage_min.clone()),
            health_path: Some(a.health_path.clone()),
        }
    }
}

/// Every answer that resolved, even when others did not: the wizard's defaults.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    pub name: Option<Sourced<String>>,
    pub package: Option<Sourced<String>>,
    pub python: Option<Sourced<(u8, u8)>>,
    pub kind: Option<Sourced<Kind>>,
    pub ports: Option<Sourced<Vec<u16>>>,
    pub command: Option<Sourced<Vec<String>>>,
    pub arch: Option<Sourced<Vec<String>>>,
    pub uid: Option<Sourced<u32>>,
    pub base_image: Option<Sourced<String>>,
    pub installer: Option<Sourced<Installer>>,
    pub coverage_min: Option<Sourced<u8>>,
    pub health_path: Option<Sourced<String>>,
}

type Rule<T> = std::result::Result<T, (String, String)>;

/// PEP 508 distribution name: letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit.
fn parse_name(s: &str) -> Rule<String> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-'))
        && s.starts_with(|ch: char| ch.is_ascii_alphanumeric())
        && s.ends_with(|ch: char| ch.is_ascii_alphanumeric());
    if ok {
        Ok(s.to_string())
    } else {
        Err((
            "must be a Python distribution name: ASCII letters, digits, `.`, `_` or `-`, starting and ending with a letter or digit (it also names the Docker image)".into(),
            "my-app".into(),
        ))
    }
}

/// PEP 503 normalisation: lowercase, runs of `-_.` become one `-`; always a valid Docker repository name.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(ch.to_ascii_lowercase());
        }
    }
    out
}

/// The import package a distribution name suggests: `My-App.core` → `my_app_core`.
pub fn package_from_name(name: &str) -> String {
    normalize_name(name).replace('-', "_")
}

const PY_KEYWORDS: &[&str] = &[
    "false", "none", "true", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn parse_package(s: &str) -> Rule<String> {
    if crate::safety::shadows_stdlib(s) {
        return Err((
            "must not be the name of a Python standard-library module (or a dunder name): the package would shadow it".into(),
            "my_app".into(),
        ));
    }
    let ok = s.len() <= 100
        && s.starts_with(|ch: char| ch.is_ascii_lowercase() || ch == '_')
        && s.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        && !PY_KEYWORDS.contains(&s);
    if ok {
        Ok(s.to_string())
    } else {
        Err((
            "must be a lowercase Python identifier of at most 100 characters (letters, digits, `_`; not a keyword)".into(),
            "my_app".into(),
        ))
    }
}

fn parse_python(s: &str) -> Rule<(u8, u8)> {
    let parsed = s
        .split_once('.')
        .and_then(|(major, minor)| Some((major.parse::<u8>().ok()?, minor.parse::<u8>().ok()?)))
        .filter(|(major, minor)| *major == 3 && PYTHON_MINORS.contains(minor) && !s.contains('+'));
    parsed.ok_or_else(|| {
        (
            format!(
                "must be a supported Python version, 3.{} to 3.{}, as MAJOR.MINOR",
                PYTHON_MINORS.start(),
                PYTHON_MINORS.end()
            ),
            DEFAULT_PYTHON.into(),
        )
    })
}

fn parse_ports(c: &mut Checker, raw: &[String], kind: Option<Kind>) -> Option<Vec<u16>> {
    let before = c.problems.len();
    let mut ports = Vec::new();
    for item in raw.iter().flat_map(|r| r.split(',')).map(str::trim) {
        match item.parse::<u16>() {
            Ok(p) if p > 0 && !ports.contains(&p) => ports.push(p),
            Ok(p) if p > 0 => c.fail(
                "--port",
                item,
                "is given twice; each port may appear once",
                "8000",
            ),
            _ => c.fail("--port", item, "must be a TCP port from 1 to 65535", "8000"),
        }
    }
    if ports.is_empty() && c.problems.len() == before {
        if let Some(k) = kind.filter(|k| k.serves_http()) {
            c.fail(
                "--port",
                "",
                format!("kind `{k}` serves HTTP and needs at least one port"),
                "8000",
            );
        }
    }
    (c.problems.len() == before).then_some(ports)
}

fn parse_command(c: &mut Checker, raw: &RawCommand) -> Option<Vec<String>> {
    let (argv, shown) = match raw {
        RawCommand::Argv(v) => (Some(v.clone()), v.join(" ")),
        RawCommand::Line(l) => (split_command(l), l.clone()),
    };
    if let Some(bad) = crate::safety::forbidden_char(&shown) {
        c.fail(
            "--command",
            shown,
            format!("{} (found {bad})", crate::safety::NO_CONTROL_RULE),
            "uvicorn my_app.app:app --host 0.0.0.0 --port 8000",
        );
        return None;
    }
    match argv {
        Some(v) if !v.is_empty() && !v[0].trim().is_empty() => Some(v),
        _ => {
            c.fail(
                "--command",
                shown,
                "must be a non-empty command with balanced quotes; it becomes the exec-form CMD",
                "uvicorn my_app.app:app --host 0.0.0.0 --port 8000",
            );
            None
        }
    }
}

/// Splits a command line the way a POSIX shell would for plain words, quotes and backslashes.
/// Returns `None` for an unbalanced quote. No expansion is done: the result is an exec-form CMD.
pub fn split_command(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => word.push(other),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            esc @ ('"' | '\\' | '$' | '`') => word.push(esc),
                            other => {
                                word.push('\\');
                                word.push(other);
                            }
                        },
                        other => word.push(other),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// The command a fresh project of this kind runs.
pub fn default_command(kind: Kind, name: &str, package: &str) -> Vec<String> {
    match kind {
        Kind::Web | Kind::Mcp | Kind::Cli => vec![normalize_name(name)],
        Kind::Library => vec![
            "python".into(),
            "-c".into(),
            format!("import {package}; print({package}.__name__, {package}.__version__)"),
        ],
    }
}

fn parse_arches(c: &mut Checker, raw: &[String]) -> Option<Vec<String>> {
    let before = c.problems.len();
    let mut arches: Vec<String> = Vec::new();
    for item in raw.iter().flat_map(|r| r.split(',')).map(str::trim) {
        let bare = item.strip_prefix("linux/").unwrap_or(item);
        if !ARCHES.contains(&bare) {
            c.fail(
                "--arch",
                item,
                format!(
                    "must be one of {}",
                    ARCHES
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "amd64,arm64",
            );
        } else if !arches.iter().any(|a| a == bare) {
            arches.push(bare.to_string());
        }
    }
    if arches.is_empty() && c.problems.len() == before {
        c.fail(
            "--arch",
            "",
            "needs at least one architecture",
            "amd64,arm64",
        );
    }
    (c.problems.len() == before).then_some(arches)
}

fn parse_uid(s: &str) -> Rule<u32> {
    match s.parse::<u32>() {
        Ok(0) => Err((
            "must not be 0: the image must not run as root; pick a numeric UID from 1 to 65535"
                .into(),
            "1000".into(),
        )),
        Ok(u) if u <= 65535 => Ok(u),
        _ => Err((
            "must be a numeric UID from 1 to 65535".into(),
            "1000".into(),
        )),
    }
}

/// A Docker image reference: `[registry[:port]/]path[:tag][@digest]`, path lowercase.
fn parse_base_image(s: &str) -> Rule<String> {
    if crate::safety::is_image_reference(s) {
        Ok(s.to_string())
    } else {
        Err(("must be a Docker image reference `[registry[:port]/]path[:tag][@algorithm:digest]` (OCI grammar: lowercase path, no spaces or control characters, a sha256 digest is 64 lowercase hex digits)".into(), "python:3.12-slim".into()))
    }
}

fn parse_health_path(s: &str) -> Rule<String> {
    let ok = s.starts_with('/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~'));
    if ok {
        Ok(s.to_string())
    } else {
        Err((
            "must be a URL path starting with `/` made of letters, digits, `/`, `-`, `_`, `.`, `~`"
                .into(),
            "/health".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(f: impl FnOnce(&mut Partial)) -> Layers {
        let mut layers = Layers::default();
        f(&mut layers.flags);
        layers
    }

    #[test]
    fn defaults_fill_everything_from_a_name() {
        let a = resolve(&flags(|p| p.name = Some("My.Cool_App".into()))).unwrap();
        assert_eq!(a.package.value, "my_cool_app");
        assert_eq!(a.image(), "my-cool-app");
        assert_eq!(a.python.value, (3, 12));
        assert_eq!(a.ports.value, vec![8000]);
        assert_eq!(a.command.value, vec!["my-cool-app"]);
        assert_eq!(a.base_image.value, "python:3.12-slim");
        assert_eq!(a.arch.value, vec!["amd64", "arm64"]);
        assert!(matches!(a.package.origin, Origin::Default(_)));
        assert_eq!(a.name.origin, Origin::Flag);
    }

    #[test]
    fn every_problem_is_listed() {
        let err = resolve(&flags(|p| {
            p.name = Some("My App!".into());
            p.python = Some("2.7".into());
            p.ports = Some(vec!["70000".into()]);
            p.arch = Some(vec!["sparc".into()]);
            p.uid = Some("0".into());
            p.coverage_min = Some("101".into());
        }))
        .unwrap_err();
        let Error::Invalid(problems) = err else {
            panic!("{err}")
        };
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "--name",
                "--python",
                "--port",
                "--arch",
                "--uid",
                "--coverage-min"
            ]
        );
    }

    #[test]
    fn flag_beats_file_beats_detected() {
        let mut layers = flags(|p| p.python = Some("3.13".into()));
        layers.file = Some((
            PathBuf::from("a.toml"),
            Partial {
                python: Some("3.10".into()),
                kind: Some("cli".into()),
                ..Default::default()
            },
        ));
        layers.detected = Partial {
            kind: Some("mcp".into()),
            uid: Some("2000".into()),
            ..Default::default()
        };
        layers
            .detected_origin
            .insert("uid", "Dockerfile USER".into());
        let a = resolve(&layers).unwrap();
        assert_eq!(a.python.value, (3, 13));
        assert_eq!(a.kind.value, Kind::Cli);
        assert_eq!(a.uid.value, 2000);
        assert_eq!(a.uid.origin.to_string(), "from Dockerfile USER");
        assert_eq!(a.ports.value, Vec::<u16>::new());
    }

    #[test]
    fn command_lines_split_like_a_shell() {
        assert_eq!(
            split_command(r#"python -c "print('a b')" x\ y"#).unwrap(),
            ["python", "-c", "print('a b')", "x y"]
        );
        assert_eq!(split_command("a 'b"), None);
        assert_eq!(split_command("  ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn base_images() {
        for ok in [
            "python:3.12-slim",
            "ghcr.io/org/py:3.12",
            "localhost:5000/py",
            "python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(parse_base_image(ok).is_ok(), "{ok}");
        }
        for bad in ["Python:3", "python:", "a b", "python:3.12-slim@md5"] {
            assert!(parse_base_image(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn python_versions() {
        assert_eq!(parse_python("3.9").unwrap(), (3, 9));
        assert_eq!(parse_python("3.14").unwrap(), (3, 14));
        for bad in ["3.8", "3.15", "2.7", "3", "3.12.1", "three"] {
            assert!(parse_python(bad).is_err(), "{bad}");
        }
    }
}
