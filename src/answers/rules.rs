//! The defaults and rules of the answers table: what each answer falls back on, and what a
//! valid value is. Every source (flag, answers file, detection, default, wizard) goes through
//! the same rule; a broken rule names the value, the rule and an example.

use super::value::AnswerValue;
use super::value::ContainerCommand;
use super::{
    normalize_name, package_from_name, Earlier, Layers, Raw, DEFAULT_ARCHES, DEFAULT_PORT,
};
use crate::model::{Ci, DeployTarget, HealthCheck, Installer, Kind, Origin};
use crate::shell;

/// Python versions dockwright knows how to containerise (minor versions of 3).
pub const PYTHON_MINORS: std::ops::RangeInclusive<u8> = 9..=14;

/// What an answer falls back on when no layer gives it.
pub enum Fallback {
    /// This value, from this origin (a default, or something derived from the project).
    Value(Raw, Origin),
    /// An answer this default derives from did not resolve; its problem is listed already.
    Missing,
    /// There is no default: the answer must be given.
    Required { rule: String, example: String },
}

impl Fallback {
    /// A plain built-in default.
    pub fn fixed(value: &str) -> Fallback {
        Fallback::Value(Raw::Text(value.into()), Origin::Default(String::new()))
    }

    /// A plain built-in default list.
    pub fn fixed_list(values: &[&str]) -> Fallback {
        Fallback::Value(
            Raw::List(values.iter().map(|s| s.to_string()).collect()),
            Origin::Default(String::new()),
        )
    }
}

/// One broken rule, before it is attached to its answer and origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub value: String,
    pub rule: String,
    pub example: String,
}

pub(super) fn broken(value: impl Into<String>, rule: impl Into<String>, example: &str) -> Broken {
    Broken {
        value: value.into(),
        rule: rule.into(),
        example: example.into(),
    }
}

/// A value checked against its rule: every problem with it, or the typed value.
pub type Checked<T> = Result<T, Vec<Broken>>;
/// A single-text rule: the typed value, or (rule, example).
pub type Rule<T> = Result<T, (String, String)>;

/// Applies a single-text rule to a raw value.
pub fn text<T>(raw: &Raw, rule: fn(&str) -> Rule<T>) -> Checked<T> {
    let s = match raw {
        Raw::Text(s) => s.clone(),
        Raw::List(items) | Raw::Argv(items) => items.join(","),
    };
    rule(&s).map_err(|(r, example)| vec![broken(s, r, &example)])
}

/// The items of a list answer, trimmed: each value (a flag may be repeated, a file gives an
/// array) split at commas. Empty items are kept; each rule decides what they mean.
pub(super) fn items(raw: &Raw) -> Vec<String> {
    let values = match raw {
        Raw::Text(s) => std::slice::from_ref(s),
        Raw::List(v) | Raw::Argv(v) => v.as_slice(),
    };
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|i| i.trim().to_string())
        .collect()
}

/// Whether the answers so far describe a server listening on a port: `web`, or `mcp` over HTTP.
pub fn listens(p: &dyn Earlier) -> bool {
    let mcp_over_http = p.transport().is_some_and(|t| t.value.serves_http());
    match p.kind().map(|k| k.value) {
        Some(Kind::Web) => true,
        Some(Kind::Mcp) => mcp_over_http,
        _ => false,
    }
}

// --- defaults -------------------------------------------------------------------------------

pub fn default_name(layers: &Layers, _: &dyn Earlier) -> Fallback {
    let fallback = layers.fallback_name.as_deref().unwrap_or("app");
    Fallback::Value(
        Raw::Text(fallback.into()),
        Origin::Default("the target directory's name".into()),
    )
}

pub fn default_package(_: &Layers, p: &dyn Earlier) -> Fallback {
    match p.name() {
        Some(n) => Fallback::Value(
            Raw::Text(package_from_name(&n.value)),
            Origin::Default("derived from the name".into()),
        ),
        None => Fallback::Missing,
    }
}

pub fn default_ports(_: &Layers, p: &dyn Earlier) -> Fallback {
    match p.kind() {
        Some(k) if k.value != Kind::Mcp || p.transport().is_some() => {
            let ports = if listens(p) {
                vec![DEFAULT_PORT.to_string()]
            } else {
                Vec::new()
            };
            let why = match p.transport().filter(|_| k.value == Kind::Mcp) {
                Some(t) => format!("for kind {} over {}", k.value, t.value.as_str()),
                None => format!("for kind {}", k.value),
            };
            Fallback::Value(Raw::List(ports), Origin::Default(why))
        }
        _ => Fallback::Missing,
    }
}

/// The command a fresh project of this kind runs.
pub fn kind_command(kind: Kind, name: &str, package: &str) -> Vec<String> {
    match kind {
        Kind::Web | Kind::Mcp | Kind::Cli => vec![normalize_name(name)],
        Kind::Library => vec![
            "python".into(),
            "-c".into(),
            format!(
                "import importlib.metadata, {package}; print({:?}, importlib.metadata.version({:?}))",
                normalize_name(name),
                name
            ),
        ],
    }
}

pub fn default_base_image(_: &Layers, p: &dyn Earlier) -> Fallback {
    match p.python() {
        Some(py) => Fallback::Value(
            Raw::Text(format!("python:{}.{}-slim", py.value.0, py.value.1)),
            Origin::Default("for the Python version".into()),
        ),
        None => Fallback::Missing,
    }
}

// --- rules ----------------------------------------------------------------------------------

/// PEP 508 distribution name: letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit.
pub fn name(s: &str) -> Rule<String> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-'))
        && s.starts_with(|ch: char| ch.is_ascii_alphanumeric())
        && s.ends_with(|ch: char| ch.is_ascii_alphanumeric());
    if ok {
        Ok(s.to_string())
    } else {
        let rule = "must be a Python distribution name: ASCII letters, digits, `.`, `_` or `-`, starting and ending with a letter or digit (it also names the Docker image)";
        match slug(s, '-') {
            Some(fixed) => Err((format!("{rule}; did you mean `{fixed}`?"), fixed)),
            None => Err((rule.into(), "my-app".into())),
        }
    }
}

/// A valid name made of a bad one: lowercase ASCII letters and digits, every other run of
/// characters one `sep` (`Bad Name!` → `bad-name`); `None` when nothing is left.
pub fn slug(s: &str, sep: char) -> Option<String> {
    let mut out = String::new();
    let mut pending = false;
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push(sep);
            }
            pending = false;
            out.push(ch.to_ascii_lowercase());
        } else {
            pending = true;
        }
        if out.len() >= 100 {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The choice closest to `s` by edit distance, when it is close enough to be a typo.
pub fn closest<'a>(s: &str, choices: &[&'a str]) -> Option<&'a str> {
    let s = s.to_ascii_lowercase();
    choices
        .iter()
        .map(|c| (distance(&s, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance between two short strings.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The rule of a fixed list of choices, with a "did you mean" for a near miss.
fn choice<T>(s: &str, choices: &[&str], parse: fn(&str) -> Option<T>) -> Rule<T> {
    parse(s).ok_or_else(|| {
        let listed: Vec<String> = choices.iter().map(|c| format!("`{c}`")).collect();
        let rule = format!("must be one of {}", listed.join(", "));
        match closest(s, choices) {
            Some(near) => (format!("{rule}; did you mean `{near}`?"), near.to_string()),
            None => (rule, choices[0].to_string()),
        }
    })
}

const PY_KEYWORDS: &[&str] = &[
    "false", "none", "true", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The import package: a lowercase identifier, or a dotted import path of them for a
/// namespace package (`pdm.backend`: `src/pdm/backend/`, no `src/pdm/__init__.py`). The first
/// part must not be a standard-library module (the package would shadow it), no part a dunder.
pub fn package(s: &str) -> Rule<String> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts
        .iter()
        .enumerate()
        .any(|(i, p)| (i == 0 && crate::safety::shadows_stdlib(p)) || is_dunder(p))
    {
        return Err((
            "must not be the name of a Python standard-library module (or a dunder name): the package would shadow it".into(),
            "my_app".into(),
        ));
    }
    if s.len() <= 100 && parts.iter().all(|p| identifier(p)) {
        return Ok(s.to_string());
    }
    let rule = "must be a lowercase Python import name of at most 100 characters: an identifier (letters, digits, `_`; not a keyword), or identifiers joined by `.` for a namespace package (`pdm.backend`)";
    // A dotted value keeps its dots: each part is made an identifier on its own.
    let fixed = if s.contains('.') {
        let parts: Vec<String> = s.split('.').filter_map(|p| slug(p, '_')).collect();
        (!parts.is_empty()).then(|| parts.join("."))
    } else {
        slug(s, '_')
    };
    match fixed.filter(|f| f != s && package(f).is_ok()) {
        Some(fixed) => Err((format!("{rule}; did you mean `{fixed}`?"), fixed)),
        None => Err((rule.into(), "my_app".into())),
    }
}

/// The package answer: [`package`], and a dotted one only for `init` (the package `new`
/// writes is a regular one, `src/<package>/`).
pub fn package_answer(raw: &Raw, layers: &Layers) -> Checked<String> {
    let value = text(raw, package)?;
    if value.contains('.') && !layers.retrofit {
        let example = value.replace('.', "_");
        return Err(vec![broken(
            value,
            "is a namespace package, which `dockwright init` retrofits; `new` writes a regular package: give an identifier without `.`",
            &example,
        )]);
    }
    Ok(value)
}

/// One part of an import name: a lowercase identifier that is not a keyword.
fn identifier(s: &str) -> bool {
    s.starts_with(|ch: char| ch.is_ascii_lowercase() || ch == '_')
        && s.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        && !PY_KEYWORDS.contains(&s)
}

fn is_dunder(s: &str) -> bool {
    s.starts_with("__") && s.ends_with("__")
}

pub fn python(s: &str) -> Rule<(u8, u8)> {
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
            super::DEFAULT_PYTHON.into(),
        )
    })
}

pub fn kind(s: &str) -> Rule<Kind> {
    choice(s, Kind::NAMES, Kind::parse)
}

pub fn ports(raw: &Raw, p: &dyn Earlier, _: &Layers) -> Checked<Vec<u16>> {
    let mut problems = Vec::new();
    let mut ports = Vec::new();
    for item in items(raw).iter().map(String::as_str) {
        match item.parse::<u16>() {
            Ok(port) if port > 0 && !ports.contains(&port) => ports.push(port),
            Ok(port) if port > 0 => problems.push(broken(
                item,
                "is given twice; each port may appear once",
                "8000",
            )),
            _ => problems.push(broken(item, "must be a TCP port from 1 to 65535", "8000")),
        }
    }
    if ports.is_empty() && problems.is_empty() {
        if let Some(k) = p.kind().filter(|_| listens(p)) {
            problems.push(broken(
                "",
                format!("kind `{}` serves HTTP and needs at least one port", k.value),
                "8000",
            ));
        }
    }
    if problems.is_empty() {
        Ok(ports)
    } else {
        Err(problems)
    }
}

pub fn command(raw: &Raw, _: &dyn Earlier, _: &Layers) -> Checked<ContainerCommand> {
    let (argv, shown) = match raw {
        Raw::Argv(v) | Raw::List(v) => (Some(v.clone()), v.join(" ")),
        Raw::Text(l) => (shell::split(l), l.clone()),
    };
    if let Some(bad) = crate::safety::forbidden_char(&shown) {
        return Err(vec![broken(
            shown,
            format!("{} (found {bad})", crate::safety::NO_CONTROL_RULE),
            "uvicorn my_app.app:app --host 0.0.0.0 --port 8000",
        )]);
    }
    match argv {
        Some(v) if !v.is_empty() && !v[0].trim().is_empty() => Ok(ContainerCommand::new(v)),
        _ => Err(vec![broken(
            shown,
            "must be a non-empty command with balanced quotes; it becomes the exec-form CMD",
            "uvicorn my_app.app:app --host 0.0.0.0 --port 8000",
        )]),
    }
}

/// Architectures `docker buildx` can target with the official Python images.
pub const ARCHES: &[&str] = &[
    "amd64", "arm64", "arm/v7", "arm/v6", "386", "ppc64le", "s390x", "riscv64",
];

pub fn arches(raw: &Raw, _: &dyn Earlier, _: &Layers) -> Checked<Vec<String>> {
    let mut problems = Vec::new();
    let mut arches: Vec<String> = Vec::new();
    for item in items(raw).iter().map(String::as_str) {
        let bare = item.strip_prefix("linux/").unwrap_or(item);
        if !ARCHES.contains(&bare) {
            let all = ARCHES
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            problems.push(broken(item, format!("must be one of {all}"), "amd64,arm64"));
        } else if !arches.iter().any(|a| a == bare) {
            arches.push(bare.to_string());
        }
    }
    if arches.is_empty() && problems.is_empty() {
        problems.push(broken(
            "",
            "needs at least one architecture",
            &DEFAULT_ARCHES.join(","),
        ));
    }
    if problems.is_empty() {
        Ok(arches)
    } else {
        Err(problems)
    }
}

/// `build:NAME` / `run:NAME` items, NAME a Debian package name (lowercase letters, digits,
/// `+`, `-`, `.`, starting with a letter or digit): a word in an `apt-get install` line.
pub fn system_packages(raw: &Raw, _: &dyn Earlier, _: &Layers) -> Checked<Vec<String>> {
    let mut problems = Vec::new();
    let mut packages: Vec<String> = Vec::new();
    for item in items(raw)
        .iter()
        .map(String::as_str)
        .filter(|i| !i.is_empty())
    {
        let ok = item.split_once(':').is_some_and(|(stage, name)| {
            matches!(stage, "build" | "run")
                && name.len() >= 2
                && name.len() <= 100
                && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && name.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '+' | '-' | '.')
                })
        });
        if !ok {
            problems.push(broken(
                item,
                "must be `build:NAME` (build stages) or `run:NAME` (runtime), NAME a Debian package name (lowercase letters, digits, `+`, `-`, `.`)",
                "build:libpq-dev,run:libpq5",
            ));
        } else if !packages.iter().any(|p| p == item) {
            packages.push(item.to_string());
        }
    }
    if problems.is_empty() {
        Ok(packages)
    } else {
        Err(problems)
    }
}

pub fn uid(s: &str) -> Rule<u32> {
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

/// A Docker image reference by the OCI grammar: `[registry[:port]/]path[:tag][@algorithm:digest]`.
pub fn base_image(s: &str) -> Rule<String> {
    if crate::safety::is_image_reference(s) {
        Ok(s.to_string())
    } else {
        Err(("must be a Docker image reference `[registry[:port]/]path[:tag][@algorithm:digest]` (OCI grammar: lowercase path, no spaces or control characters, a sha256 digest is 64 lowercase hex digits)".into(), "python:3.12-slim".into()))
    }
}

pub fn installer(s: &str) -> Rule<Installer> {
    choice(s, Installer::NAMES, Installer::parse)
}

pub fn coverage(s: &str) -> Rule<u8> {
    match s.parse::<u8>() {
        Ok(v) if v <= 100 => Ok(v),
        _ => Err((
            "must be a whole percentage from 0 to 100".into(),
            "85".into(),
        )),
    }
}

/// A URL path of letters, digits, `/`, `-`, `_`, `.`, `~`; or `none`: no health route, any
/// HTTP answer below 500 at `/` passes.
pub fn health_path(s: &str) -> Rule<HealthCheck> {
    if s == HealthCheck::NONE {
        return Ok(HealthCheck::AnyAnswer);
    }
    let ok = s.starts_with('/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~'));
    if ok {
        Ok(HealthCheck::Path(s.to_string()))
    } else {
        Err((
            "must be a URL path starting with `/` made of letters, digits, `/`, `-`, `_`, `.`, `~`, or `none` (no health endpoint: any HTTP answer below 500 passes)"
                .into(),
            "/health".into(),
        ))
    }
}

pub fn ci(s: &str) -> Rule<Ci> {
    choice(s, Ci::NAMES, Ci::parse)
}

/// `kubernetes` and/or `swarm`, comma-separated or repeated; `none` or nothing for none. Only
/// for a long-running HTTP service (web, MCP over HTTP): a CLI or a library runs once, a stdio
/// MCP server is launched by its client, so neither has a Deployment or a service to schedule.
pub fn deploy(raw: &Raw, p: &dyn Earlier, _: &Layers) -> Checked<Vec<DeployTarget>> {
    let mut problems = Vec::new();
    let mut targets: Vec<DeployTarget> = Vec::new();
    for item in items(raw)
        .iter()
        .map(String::as_str)
        .filter(|i| !i.is_empty() && *i != "none")
    {
        match DeployTarget::parse(item) {
            None => problems.push(broken(
                item,
                "must be `kubernetes` or `swarm` (comma-separated for both), or `none`",
                "kubernetes,swarm",
            )),
            Some(t) if !targets.contains(&t) => targets.push(t),
            Some(_) => {}
        }
    }
    // One order whatever order they were given in: the record is deterministic.
    targets.sort();
    let kind = p.kind().map(|k| k.value);
    let over_http = p.transport().is_some_and(|t| t.value.serves_http());
    let serves = match kind {
        Some(crate::model::Kind::Mcp) => over_http,
        Some(k) => k.serves_http(),
        None => true,
    };
    if !serves && problems.is_empty() && !targets.is_empty() {
        problems.push(broken(
            targets.show(),
            "needs a long-running HTTP service (kind web, or mcp over streamable-http): a cli or library container runs once and a stdio MCP server is started by its client, so there is no service to deploy (run it with `docker run`, or a Job of your own)",
            "none",
        ));
    }
    if problems.is_empty() {
        Ok(targets)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_images() {
        for ok in [
            "python:3.12-slim",
            "ghcr.io/org/py:3.12",
            "localhost:5000/py",
            "python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(base_image(ok).is_ok(), "{ok}");
        }
        for bad in ["Python:3", "python:", "a b", "python:3.12-slim@md5"] {
            assert!(base_image(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn system_package_items() {
        let p = ();
        let ok = system_packages(
            &Raw::Text("build:libpq-dev, run:libpq5,build:libpq-dev".into()),
            &p,
            &Layers::default(),
        );
        assert_eq!(ok.ok().unwrap(), ["build:libpq-dev", "run:libpq5"]);
        for bad in [
            "libpq-dev",
            "test:x",
            "run:Bad",
            "run:a;rm",
            "build:-x",
            "run:",
        ] {
            assert!(
                system_packages(&Raw::Text(bad.into()), &p, &Layers::default()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_command_carries_the_server_its_program_is() {
        let server = |line: &str| {
            command(&Raw::Text(line.into()), &(), &Layers::default())
                .unwrap()
                .server
        };
        use crate::model::Server;
        assert_eq!(
            server("gunicorn --bind 0.0.0.0:8000 app:app"),
            Some(Server::Gunicorn)
        );
        assert_eq!(server("uvicorn app:app --port 8000"), Some(Server::Uvicorn));
        for none in [
            "python -m gunicorn app:app",
            "gunicorn-x app",
            "my-app serve",
        ] {
            assert_eq!(server(none), None, "{none}");
        }
    }

    #[test]
    fn python_versions() {
        assert_eq!(python("3.9").unwrap(), (3, 9));
        assert_eq!(python("3.14").unwrap(), (3, 14));
        for bad in ["3.8", "3.15", "2.7", "3", "3.12.1", "three"] {
            assert!(python(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn near_misses_get_a_suggestion_and_far_ones_do_not() {
        assert_eq!(closest("webb", Kind::NAMES), Some("web"));
        assert_eq!(closest("WEB", Kind::NAMES), Some("web"));
        assert_eq!(closest("libary", Kind::NAMES), Some("library"));
        assert_eq!(closest("pipp", Installer::NAMES), Some("pip"));
        assert_eq!(closest("database", Kind::NAMES), None);
        assert_eq!(closest("x", Installer::NAMES), None);
        let (rule, example) = kind("webb").unwrap_err();
        assert!(rule.ends_with("; did you mean `web`?"), "{rule}");
        assert_eq!(example, "web");
        assert_eq!(slug("Bad Name!", '-').as_deref(), Some("bad-name"));
        assert_eq!(slug("  My__App 2 ", '_').as_deref(), Some("my_app_2"));
        assert_eq!(slug("!!!", '-'), None);
        let (rule, example) = name("Bad Name!").unwrap_err();
        assert!(rule.contains("did you mean `bad-name`?"), "{rule}");
        assert!(name(&example).is_ok());
        let (rule, _) = package("My-App").unwrap_err();
        assert!(rule.contains("did you mean `my_app`?"), "{rule}");
    }

    #[test]
    fn packages_may_be_dotted_namespace_packages() {
        for ok in [
            "my_app",
            "pdm.backend",
            "jaraco.functools",
            "a.b.c",
            "_private.x2",
        ] {
            assert_eq!(package(ok).as_deref(), Ok(ok));
        }
        for (bad, fix) in [
            ("pdm..backend", Some("pdm.backend")),
            (".pdm.backend", Some("pdm.backend")),
            ("pdm.backend.", Some("pdm.backend")),
            ("Pdm.Backend", Some("pdm.backend")),
            ("pdm.back-end", Some("pdm.back_end")),
            ("pdm.class", None),
            ("pdm.2x", None),
            ("pdm/backend", Some("pdm_backend")),
        ] {
            let (rule, example) = package(bad).unwrap_err();
            assert!(rule.contains("joined by `.`"), "{bad}: {rule}");
            match fix {
                Some(fix) => {
                    assert!(
                        rule.ends_with(&format!("did you mean `{fix}`?")),
                        "{bad}: {rule}"
                    );
                    assert_eq!(example, fix);
                }
                None => assert!(!rule.contains("did you mean"), "{bad}: {rule}"),
            }
        }
        // The first part must not shadow the standard library; no part may be a dunder.
        for bad in ["email.extra", "os.path", "pdm.__init__", "__main__.x"] {
            let (rule, _) = package(bad).unwrap_err();
            assert!(rule.contains("standard-library"), "{bad}: {rule}");
        }
        assert!(package("mypkg.email").is_ok());
        assert!(package(&format!("a.{}", "b".repeat(99))).is_err());

        // `init` retrofits a namespace package; `new` writes a regular one.
        let raw = Raw::Text("pdm.backend".into());
        let init = Layers {
            retrofit: true,
            ..Layers::default()
        };
        assert_eq!(package_answer(&raw, &init), Ok("pdm.backend".into()));
        let refused = package_answer(&raw, &Layers::default()).unwrap_err();
        assert_eq!(refused[0].value, "pdm.backend");
        assert_eq!(refused[0].example, "pdm_backend");
        assert!(
            refused[0].rule.contains("dockwright init"),
            "{:?}",
            refused[0]
        );
        assert!(package_answer(&Raw::Text("my_app".into()), &Layers::default()).is_ok());
    }
}
