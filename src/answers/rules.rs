//! The rules of the answers that are not names nor how the container serves: Python, kind,
//! ports, command, architectures, system packages, UID, base image, installer, coverage,
//! health path, CI and deployment; with the defaults of ports and base image. Every source
//! (flag, answers file, detection, default, wizard) goes through the same rule; a broken rule
//! names the value, the rule and an example.

use super::check::{broken, choice, items, Checked, Fallback, Rule};
use super::raw::Raw;
use super::value::{AnswerValue, ContainerCommand};
use super::{Earlier, Layers, DEFAULT_ARCHES, DEFAULT_PORT};
use crate::model::{Ci, DeployTarget, HealthCheck, Installer, Kind, Origin};
use crate::shell;

/// Python versions dockwright knows how to containerise (minor versions of 3).
pub const PYTHON_MINORS: std::ops::RangeInclusive<u8> = 9..=14;

/// Whether the answers so far describe a server listening on a port: `web`, or `mcp` over HTTP.
pub fn listens(p: &dyn Earlier) -> bool {
    let mcp_over_http = p.transport().is_some_and(|t| t.value.serves_http());
    match p.kind().map(|k| k.value) {
        Some(Kind::Web) => true,
        Some(Kind::Mcp) => mcp_over_http,
        _ => false,
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

pub fn default_base_image(_: &Layers, p: &dyn Earlier) -> Fallback {
    match p.python() {
        Some(py) => Fallback::Value(
            Raw::Text(format!("python:{}.{}-slim", py.value.0, py.value.1)),
            Origin::Default("for the Python version".into()),
        ),
        None => Fallback::Missing,
    }
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
}
