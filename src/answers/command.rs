//! What the container runs, as an answer: the command's default from detection (a console
//! script, a framework app under its production server, a `Procfile` line made to listen on
//! every interface, a FastMCP app under uvicorn), else what a fresh project of the kind runs.

use super::check::Fallback;
use super::names::kind_command;
use super::raw::Raw;
use super::{Earlier, Layers, DEFAULT_PORT};
use crate::model::{DetectedApp, DetectedCommand, Kind, Origin, Server, Transport};

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
            return Fallback::Value(Raw::Argv(app.command(port)), Origin::Detected(why.clone()));
        }
        Some((DetectedCommand::Configured(words), why)) => {
            let port = port.to_string();
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
    use super::*;

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
