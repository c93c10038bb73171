//! How the container serves, as answers: the MCP transport, the command (a console script, a
//! framework app under its production server, a Procfile line, a FastMCP app under uvicorn),
//! the server dockwright adds when the project does not declare it, and the health path. Their
//! defaults read detection; their rules, like every rule, name the value, the rule and an example.

use super::check::{broken, items, Checked, Fallback};
use super::names::{kind_command, name};
use super::raw::Raw;
use super::{Earlier, Layers, DEFAULT_PORT};
use crate::model::{DetectedApp, DetectedCommand, HealthCheck, Kind, Origin, Server, Transport};

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

/// A detected framework app whose project does not declare its server: the pinned server is
/// added to the image. Nothing otherwise.
pub fn default_server(layers: &Layers, p: &dyn Earlier) -> Fallback {
    let Some(command) = p.command() else {
        return Fallback::Missing;
    };
    match &layers.detected_command {
        Some((DetectedCommand::Framework(app), _))
            if !app.server_declared
                && matches!(command.origin, Origin::Detected(_))
                // By distribution: aiohttp's gunicorn worker is gunicorn too.
                && command.value.server.map(Server::distribution)
                    == Some(app.server.distribution()) =>
        {
            if let Some((pin, why)) = &layers.locked_server {
                return Fallback::Value(
                    Raw::List(vec![pin.clone()]),
                    Origin::Default(format!("{why}: installed as locked")),
                );
            }
            Fallback::Value(
                Raw::List(vec![app.server.pinned().to_string()]),
                Origin::Default(format!(
                    "the project does not declare {}",
                    app.server.distribution()
                )),
            )
        }
        _ => Fallback::Value(Raw::List(Vec::new()), Origin::Default("none needed".into())),
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

/// What detection found: a console script, or a framework app served on the app port; when
/// detection could not know the command, none (it must be given, except for a library);
/// otherwise the command a fresh project of the kind runs.
pub fn default_command(layers: &Layers, p: &dyn Earlier) -> Fallback {
    let port = p
        .ports()
        .and_then(|ports| ports.value.first().copied())
        .unwrap_or(DEFAULT_PORT);
    let transport = p.transport().map(|t| t.value);
    if let (Some((target, why)), Some(t)) = (&layers.mcp_app, transport) {
        if t.serves_http() {
            let method = if t == Transport::Sse {
                "sse_app"
            } else {
                "streamable_http_app"
            };
            let app = DetectedApp {
                server: Server::Uvicorn,
                target: format!("{target}.{method}"),
                factory: true,
                server_declared: true,
            };
            return Fallback::Value(
                Raw::Argv(app.command(port)),
                Origin::Detected(format!("{why}, its {} app under uvicorn", t.as_str())),
            );
        }
    }
    match &layers.detected_command {
        Some((DetectedCommand::Script(script), why)) => {
            return Fallback::Value(
                Raw::Argv(vec![script.clone()]),
                Origin::Detected(why.clone()),
            )
        }
        Some((DetectedCommand::Framework(app), why)) => {
            let port = p
                .ports()
                .and_then(|ports| ports.value.first().copied())
                .unwrap_or(DEFAULT_PORT);
            return Fallback::Value(Raw::Argv(app.command(port)), Origin::Detected(why.clone()));
        }
        Some((DetectedCommand::Configured(words), why)) => {
            let port = p
                .ports()
                .and_then(|ports| ports.value.first().copied())
                .unwrap_or(DEFAULT_PORT)
                .to_string();
            let words: Vec<String> = words
                .iter()
                .map(|w| w.replace("${PORT}", &port).replace("$PORT", &port))
                .collect();
            let (words, bound) = bind_every_interface(words, &port);
            let why = match bound {
                Some(added) => format!("{why}, plus {added}: as written it listens on 127.0.0.1"),
                None => why.clone(),
            };
            return Fallback::Value(Raw::Argv(words), Origin::Detected(why));
        }
        Some((DetectedCommand::Unknown(why), _))
            if p.kind().is_some_and(|k| k.value != Kind::Library) =>
        {
            return Fallback::Required {
                rule: format!("cannot be detected ({why}); pass what the container runs"),
                example: "python -m my_app".into(),
            };
        }
        Some((DetectedCommand::Unknown(_), _)) => {}
        None => {}
    }
    match (p.name(), p.package(), p.kind()) {
        (Some(n), Some(pkg), Some(k)) => Fallback::Value(
            Raw::Argv(kind_command(k.value, &n.value, &pkg.value)),
            Origin::Default(format!("for kind {}", k.value)),
        ),
        _ => Fallback::Missing,
    }
}

/// A configured line (a `Procfile` `web:`) that starts gunicorn, uvicorn or hypercorn
/// without saying where to listen binds 127.0.0.1 (gunicorn and hypercorn `127.0.0.1:8000`,
/// uvicorn `127.0.0.1`), which nothing outside the container reaches: Heroku's `$PORT`
/// convention makes gunicorn bind `0.0.0.0:$PORT`, and a container sets no `PORT`. The
/// missing options are added, on the app port; a loopback host the line names is replaced.
/// Returns the words and what was added (for the origin), or `None` when nothing changed.
fn bind_every_interface(mut words: Vec<String>, port: &str) -> (Vec<String>, Option<String>) {
    let program = match words.first().map(|w| w.rsplit('/').next().unwrap_or(w)) {
        Some(p) if p.starts_with("python") && words.get(1).map(String::as_str) == Some("-m") => {
            words.get(2).cloned().unwrap_or_default()
        }
        Some(p) => p.to_string(),
        None => return (words, None),
    };
    let loopback = |host: &str| matches!(host, "127.0.0.1" | "localhost" | "[::1]");
    // The value of an option given as `--opt VALUE`, `--opt=VALUE` or (short) `-oVALUE`.
    let position = |words: &[String], long: &str, short: Option<&str>| -> Option<usize> {
        words.iter().position(|w| {
            w == long
                || w.starts_with(&format!("{long}="))
                || short.is_some_and(|s| w == s || (w.starts_with(s) && !w.starts_with("--")))
        })
    };
    match program.as_str() {
        "gunicorn" | "hypercorn" => match position(&words, "--bind", Some("-b")) {
            None => {
                let added = format!("--bind 0.0.0.0:{port}");
                words.extend(["--bind".to_string(), format!("0.0.0.0:{port}")]);
                (words, Some(added))
            }
            Some(i) => {
                let (flag, value) = match words[i].split_once('=') {
                    Some((f, v)) => (Some(f.to_string()), v.to_string()),
                    None if words[i] == "--bind" || words[i] == "-b" => {
                        (None, words.get(i + 1).cloned().unwrap_or_default())
                    }
                    None => (Some("-b".into()), words[i][2..].to_string()),
                };
                match value.rsplit_once(':') {
                    Some((host, p)) if loopback(host) => {
                        let bind = format!("0.0.0.0:{p}");
                        match flag {
                            Some(f) if f == "-b" => words[i] = format!("-b{bind}"),
                            Some(f) => words[i] = format!("{f}={bind}"),
                            None => words[i + 1] = bind.clone(),
                        }
                        (words, Some(format!("--bind {bind}")))
                    }
                    _ => (words, None),
                }
            }
        },
        "uvicorn" => {
            let mut added = Vec::new();
            match position(&words, "--host", None) {
                None => {
                    words.extend(["--host".to_string(), "0.0.0.0".to_string()]);
                    added.push("--host 0.0.0.0".to_string());
                }
                Some(i)
                    if words[i] == "--host" && words.get(i + 1).is_some_and(|h| loopback(h)) =>
                {
                    words[i + 1] = "0.0.0.0".into();
                    added.push("--host 0.0.0.0".to_string());
                }
                Some(i) if words[i].strip_prefix("--host=").is_some_and(loopback) => {
                    words[i] = "--host=0.0.0.0".into();
                    added.push("--host 0.0.0.0".to_string());
                }
                Some(_) => {}
            }
            if !added.is_empty() && position(&words, "--port", None).is_none() {
                words.extend(["--port".to_string(), port.to_string()]);
                added.push(format!("--port {port}"));
            }
            let added = (!added.is_empty()).then(|| added.join(" "));
            (words, added)
        }
        _ => (words, None),
    }
}

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

    #[test]
    fn a_configured_server_line_listens_on_every_interface() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let bound = |s: &str| bind_every_interface(w(s), "8000");
        assert_eq!(
            bound("gunicorn config.wsgi:application").0,
            w("gunicorn config.wsgi:application --bind 0.0.0.0:8000")
        );
        assert_eq!(
            bound("gunicorn app:app -b 127.0.0.1:5000").0,
            w("gunicorn app:app -b 0.0.0.0:5000")
        );
        assert_eq!(
            bound("gunicorn app:app --bind=localhost:5000").0,
            w("gunicorn app:app --bind=0.0.0.0:5000")
        );
        assert_eq!(
            bound("gunicorn app:app -b127.0.0.1:9").0,
            w("gunicorn app:app -b0.0.0.0:9")
        );
        // Already on every interface, or a socket: left as written.
        for line in [
            "gunicorn app:app --bind 0.0.0.0:8000",
            "gunicorn app:app --bind unix:/tmp/s",
            "uvicorn main:app --host 0.0.0.0 --port 80",
            "python main.py",
        ] {
            assert_eq!(bound(line), (w(line), None), "{line}");
        }
        assert_eq!(
            bound("uvicorn main:app").0,
            w("uvicorn main:app --host 0.0.0.0 --port 8000")
        );
        assert_eq!(
            bound("uvicorn main:app --port 5000").0,
            w("uvicorn main:app --port 5000 --host 0.0.0.0")
        );
        assert_eq!(
            bound("python -m uvicorn main:app --host 127.0.0.1").0,
            w("python -m uvicorn main:app --host 0.0.0.0 --port 8000")
        );
    }
}
