//! How the container serves, as answers: the MCP transport, the server dockwright adds when the
//! project does not declare it, and the health path (the command is `command.rs`'s). Their
//! defaults read detection; their rules, like every rule, name the value, the rule and an example.

use super::check::{broken, items, Checked, Fallback};
use super::names::name;
use super::raw::Raw;
use super::{Earlier, Layers};
use crate::model::{DetectedCommand, HealthCheck, Kind, Origin, Server, Transport};

/// The transport an MCP server's code passes to `run()` is detected; without one, an existing
/// server uses the SDK's default (stdio) and `new`'s skeleton serves streamable HTTP.
pub fn default_transport(layers: &Layers, p: &dyn Earlier) -> Fallback {
    match p.kind().map(|k| k.value) {
        Some(Kind::Mcp) if layers.retrofit => Fallback::Value(
            Raw::Text("stdio".into()),
            Origin::Default("the MCP SDK's default; the code passes no transport= to run()".into()),
        ),
        Some(Kind::Mcp) => Fallback::Value(
            Raw::Text("streamable-http".into()),
            Origin::Default("the transport of the new project's server".into()),
        ),
        Some(k) => Fallback::Value(
            Raw::Text("none".into()),
            Origin::Default(format!("kind {k} is not an MCP server")),
        ),
        None => Fallback::Missing,
    }
}

pub fn transport(raw: &Raw, p: &dyn Earlier, layers: &Layers) -> Checked<Transport> {
    let s = match raw {
        Raw::Text(s) => s.clone(),
        Raw::List(v) | Raw::Argv(v) => v.join(","),
    };
    let mcp = p.kind().is_some_and(|k| k.value == Kind::Mcp);
    match Transport::parse(&s) {
        Some(Transport::None) if mcp => Err(vec![broken(
            s,
            "an MCP server needs a transport: `stdio`, `streamable-http` or `sse`",
            "stdio",
        )]),
        // The MCP server `new` writes speaks stdio and streamable HTTP; an SSE server is one
        // that exists already (`init` serves its `sse_app`).
        Some(Transport::Sse) if mcp && !layers.retrofit => Err(vec![broken(
            s,
            "is for an existing SSE server (`dockwright init`): the server `new` writes speaks `stdio` or `streamable-http`",
            "streamable-http",
        )]),
        Some(t) if mcp || t == Transport::None => Ok(t),
        Some(_) => Err(vec![broken(
            s,
            "only kind `mcp` has a transport; leave it out (or `none`) for other kinds",
            "none",
        )]),
        None => Err(vec![broken(
            s,
            "must be one of `stdio`, `streamable-http`, `sse`",
            "stdio",
        )]),
    }
}

/// How a project provides a production server's distribution (read by `init`'s detection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provision {
    /// Installed with the project's own dependencies (why): nothing to add.
    Declared(String),
    /// Pinned by a lock or requirements file but perhaps not installed with the runtime
    /// dependencies: added at exactly that version.
    Locked { pin: String, why: String },
}

/// The server requirement the image must add for the command, and why; `None` when the
/// command starts no production server or the project installs it. A detected framework app
/// follows what detection read of it; any other command that starts gunicorn or uvicorn
/// (typed, recorded, a `Procfile` line) needs its server too, or the image cannot start.
pub fn needed_server(layers: &Layers, p: &dyn Earlier) -> Option<(String, String)> {
    let command = p.command()?;
    let server = command.value.server?;
    if let Some((DetectedCommand::Framework(app), _)) = &layers.detected_command {
        // By distribution: aiohttp's gunicorn worker is gunicorn too.
        if matches!(command.origin, Origin::Detected(_))
            && server.distribution() == app.server.distribution()
        {
            if app.server_declared {
                return None;
            }
            if let Some((pin, why)) = &layers.locked_server {
                return Some((pin.clone(), format!("{why}: installed as locked")));
            }
            return Some((
                app.server.pinned().to_string(),
                format!("the project does not declare {}", app.server.distribution()),
            ));
        }
    }
    let dist = server.distribution();
    match layers.servers_provided.get(dist) {
        Some(Provision::Declared(_)) => None,
        Some(Provision::Locked { pin, why }) => {
            Some((pin.clone(), format!("{why}: installed as locked")))
        }
        // The web skeleton `new` writes declares uvicorn (blueprints/skeleton/web/partials/kind.j2).
        None if !layers.retrofit
            && server == Server::Uvicorn
            && p.kind().is_some_and(|k| k.value == Kind::Web) =>
        {
            None
        }
        None => Some((
            server.pinned().to_string(),
            format!("the command starts {dist}, which the project does not declare"),
        )),
    }
}

/// The server the command needs and the project does not install: pinned and added to the
/// image. Nothing otherwise.
pub fn default_server(layers: &Layers, p: &dyn Earlier) -> Fallback {
    if p.command().is_none() {
        return Fallback::Missing;
    }
    match needed_server(layers, p) {
        Some((pin, why)) => Fallback::Value(Raw::List(vec![pin]), Origin::Default(why)),
        None => Fallback::Value(Raw::List(Vec::new()), Origin::Default("none needed".into())),
    }
}

pub fn server(raw: &Raw, _: &dyn Earlier, _: &Layers) -> Checked<Vec<String>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for item in items(raw).iter().map(String::as_str) {
        if item.is_empty() {
            continue;
        }
        let pinned = item.split_once("==").is_some_and(|(dist, version)| {
            name(dist).is_ok()
                && !version.is_empty()
                && version
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '-'))
        });
        if pinned {
            out.push(item.to_string());
        } else {
            problems.push(broken(
                item,
                "must be a pinned requirement `NAME==VERSION` (it is installed into the image)",
                "gunicorn==23.0.0",
            ));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A health route the code declares is detected; an existing MCP server over HTTP is checked at
/// its endpoint; an existing web app without a health route gets `none` (any HTTP answer below 500
/// passes); a new project has `/health`.
pub fn default_health_path(layers: &Layers, p: &dyn Earlier) -> Fallback {
    // An existing MCP server is checked at its endpoint; `new`'s skeleton has a /health route.
    let transport = p.transport().map(|t| t.value).filter(|_| layers.retrofit);
    match transport {
        Some(Transport::StreamableHttp) => {
            return Fallback::Value(
                Raw::Text("/mcp".into()),
                Origin::Default(
                    "the streamable-HTTP endpoint, checked with an MCP initialize request".into(),
                ),
            )
        }
        Some(Transport::Sse) => {
            return Fallback::Value(
                Raw::Text("/sse".into()),
                Origin::Default("the SSE endpoint, checked for its first event".into()),
            )
        }
        _ => {}
    }
    if layers.no_health_route {
        return Fallback::Value(
            Raw::Text(HealthCheck::NONE.into()),
            Origin::Default(NO_HEALTH_ROUTE_WHY.into()),
        );
    }
    Fallback::fixed("/health")
}

/// Why `none` was chosen, and what to do about it (shown as the origin, and by `init`).
pub const NO_HEALTH_ROUTE_WHY: &str = "no health route found in the code: the check only proves the server answers HTTP (any status below 500 at /); add a route that answers 200 (e.g. GET /health) and run again with --health-path /health";

#[cfg(test)]
mod tests {
    use super::super::{resolve, AnswersError, Field, Layers};
    use super::*;

    fn layers(flags: &[(Field, &str)]) -> Layers {
        Layers {
            flags: flags
                .iter()
                .map(|(f, v)| (*f, Raw::Text(v.to_string())))
                .collect(),
            ..Layers::default()
        }
    }

    #[test]
    fn the_transport_decides_ports_health_and_its_own_validity() {
        let mut l = layers(&[(Field::Kind, "mcp"), (Field::Command, "srv")]);
        l.retrofit = true;
        let a = resolve(&l).unwrap();
        assert_eq!(a.transport.value, Transport::Stdio);
        assert!(a.ports.value.is_empty());
        let mut l = layers(&[(Field::Kind, "mcp"), (Field::Transport, "sse")]);
        // `new` writes no SSE server: refused by the rule, so the wizard refuses it inline too.
        let Err(AnswersError::Invalid(problems)) = resolve(&l) else {
            panic!("sse accepted for a new project")
        };
        assert_eq!(problems[0].field, Field::Transport, "{problems:?}");
        l.retrofit = true;
        let a = resolve(&l).unwrap();
        assert_eq!(
            (a.ports.value.as_slice(), a.health_path.value.as_str()),
            (&[8000][..], "/sse")
        );
        // Only an MCP server has one; an MCP server needs one; names are closed.
        for (kind, t, rule) in [
            ("web", "stdio", "only kind `mcp` has a transport"),
            ("mcp", "none", "an MCP server needs a transport"),
            (
                "mcp",
                "websocket",
                "must be one of `stdio`, `streamable-http`, `sse`",
            ),
        ] {
            let Err(super::super::AnswersError::Invalid(problems)) =
                resolve(&layers(&[(Field::Kind, kind), (Field::Transport, t)]))
            else {
                panic!("{kind} {t} accepted");
            };
            assert_eq!(problems[0].field, Field::Transport);
            assert!(problems[0].rule.starts_with(rule), "{:?}", problems[0]);
        }
    }

    #[test]
    fn server_requirements_must_be_pinned() {
        let p = ();
        let raw = |s: &str| Raw::List(vec![s.to_string()]);
        assert_eq!(
            server(&raw("gunicorn==23.0.0"), &p, &Layers::default()).unwrap(),
            ["gunicorn==23.0.0"]
        );
        for bad in [
            "gunicorn",
            "gunicorn>=23",
            "x==1 ; rm -rf /",
            "--index-url==http://x",
        ] {
            assert!(server(&raw(bad), &p, &Layers::default()).is_err(), "{bad}");
        }
    }

    #[test]
    fn without_a_health_route_the_check_accepts_any_answer_below_500() {
        let mut l = layers(&[(Field::Kind, "web"), (Field::Command, "srv")]);
        l.no_health_route = true;
        let a = resolve(&l).unwrap();
        assert_eq!(a.health_path.value, HealthCheck::AnyAnswer);
        assert!(a
            .health_path
            .origin
            .to_string()
            .contains("--health-path /health"));
        l.flags.insert(Field::HealthPath, Raw::Text("/ping".into()));
        assert_eq!(
            resolve(&l).unwrap().health_path.value,
            HealthCheck::Path("/ping".into())
        );
    }
}
