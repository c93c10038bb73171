//! Framework apps in the project's code, found by reading (never importing) its modules:
//! module-level apps and application factories of Flask, FastAPI, Starlette, Litestar and
//! Quart; health routes; the MCP transport; Flask's instance folder.

use std::path::{Path, PathBuf};

use crate::model::{package_dir, DetectedApp, Server, Transport};

use super::{identifier, read};

/// Constructors of app objects, and what serves them. Every ASGI framework (Quart, Starlette,
/// Litestar, Sanic in its ASGI mode, Falcon's `asgi.App`) runs under uvicorn: never the
/// framework's `app.run()` development server, never a WSGI server.
const APPS: &[(&str, Server)] = &[
    ("Flask(", Server::Gunicorn),
    ("FastAPI(", Server::Uvicorn),
    ("Starlette(", Server::Uvicorn),
    ("Litestar(", Server::Uvicorn),
    ("Quart(", Server::Uvicorn),
    ("Sanic(", Server::Uvicorn),
    ("falcon.asgi.App(", Server::Uvicorn),
    ("asgi.App(", Server::Uvicorn),
    ("falcon.App(", Server::Gunicorn),
    ("falcon.API(", Server::Gunicorn),
    ("web.Application(", Server::AiohttpGunicorn),
    ("aiohttp.web.Application(", Server::AiohttpGunicorn),
];
/// Names an application factory conventionally has.
const FACTORIES: &[&str] = &[
    "create_app",
    "make_app",
    "get_app",
    "build_app",
    "app_factory",
    "get_application",
    "create_application",
    "make_application",
];
/// Last path segments of a health endpoint, in order of preference.
pub(super) const HEALTH: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "livez",
    "readyz",
    "ping",
    "status",
];

/// A Python module of the project, read once.
pub(super) struct Module {
    /// Path relative to the project, for origins (`src/notes/__init__.py`).
    pub rel: String,
    /// Dotted import name (`notes`, `notes.app`).
    pub name: String,
    pub text: String,
}

/// The modules of `package` (under `src/` or the root), plus root-level `*.py` of a flat
/// project, at most four levels deep, sorted by path.
pub(super) fn modules(target: &Path, package: Option<&str>, src_layout: bool) -> Vec<Module> {
    let root = if src_layout {
        target.join("src")
    } else {
        target.to_path_buf()
    };
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(package) = package {
        files.extend(
            walkdir::WalkDir::new(root.join(package_dir(package)))
                .max_depth(4)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "py")),
        );
    }
    if let Ok(entries) = std::fs::read_dir(&root) {
        files.extend(
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "py"))
                .filter(|p| !p.ends_with("setup.py") && !p.ends_with("manage.py")),
        );
    }
    files.sort();
    files
        .into_iter()
        .take(500)
        .filter_map(|file| {
            let text = read(target, &file).ok()?;
            Some(Module {
                rel: file
                    .strip_prefix(target)
                    .unwrap_or(&file)
                    .display()
                    .to_string(),
                name: module_name(&root, &file)?,
                text,
            })
        })
        .collect()
}

/// The constructor a call starts with (`Flask(__name__)`, `falcon.asgi.App()`), and its server.
fn constructor(call: &str) -> Option<(&'static str, Server)> {
    APPS.iter()
        .find(|(c, _)| call.starts_with(c))
        .map(|(c, s)| (c.trim_end_matches('('), *s))
}

/// The factory a module-level call names (`create_app(`, `factory.create_app(`), if it is one.
fn factory_call(call: &str) -> Option<&'static str> {
    let callee = call.split('(').next()?.trim();
    let last = callee.rsplit('.').next()?;
    (call.contains('(') && callee.split('.').all(identifier))
        .then(|| FACTORIES.iter().find(|f| **f == last).copied())
        .flatten()
}

/// Module-level assignments `var = call…` of a module (`app: Flask = Flask(…)` included).
fn assignments(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        // Only a module-level assignment is an attribute `module:var` can name; an indented one
        // (`app = Flask(__name__)` inside `create_app()`) is a function's local.
        .filter(|l| !l.starts_with(char::is_whitespace))
        .filter_map(|line| {
            let (var, call) = line.split_once('=')?;
            if call.starts_with('=') {
                return None; // `x == y`
            }
            let var = var.split(':').next().unwrap_or(var).trim();
            identifier(var).then_some((var, call.trim_start()))
        })
}

/// The factory `name` defined in a module that constructs an app (`def name(` or `async def
/// name(`): the module, the server of that app, and whether the factory is a coroutine function.
fn factory_def<'a>(modules: &'a [Module], name: &str) -> Option<(&'a Module, Server, bool)> {
    modules.iter().find_map(|m| {
        let (_, server) = APPS.iter().find(|(c, _)| m.text.contains(c))?;
        let is_async = m.text.lines().find_map(|l| {
            let (is_async, rest) = match l.strip_prefix("async def ") {
                Some(rest) => (true, rest),
                None => (false, l.strip_prefix("def ")?),
            };
            (rest.split('(').next() == Some(name)).then_some(is_async)
        })?;
        Some((m, *server, is_async))
    })
}

/// A framework app, in this order: a module-level app object (`app = Flask(__name__)`), an app
/// object built by a factory call at module level (`app = create_app()`, `application =
/// get_application()`), else an application factory itself (`def create_app():` in a module
/// that constructs an app), with the production server for it and the reason.
pub(super) fn framework_app(modules: &[Module], deps: &[String]) -> Option<(DetectedApp, String)> {
    // The app at `module:target` under `server`.
    let app = |module: &str, target: &str, server: Server, factory: bool| DetectedApp {
        server,
        target: format!("{module}:{target}"),
        factory,
        server_declared: deps.iter().any(|d| d == server.distribution()),
    };
    for m in modules {
        for (var, call) in assignments(&m.text) {
            if let Some((ctor, server)) = constructor(call) {
                return Some((
                    app(&m.name, var, server, false),
                    format!("the {ctor} app `{var}` in {}", m.rel),
                ));
            }
        }
    }
    for m in modules {
        for (var, call) in assignments(&m.text) {
            let Some(name) = factory_call(call) else {
                continue;
            };
            // The object is built once, when the module is imported: served as it is.
            let Some((_, server, _)) = factory_def(modules, name) else {
                continue;
            };
            return Some((
                app(&m.name, var, server, false),
                format!("the app `{var} = {name}(…)` in {}", m.rel),
            ));
        }
    }
    for name in FACTORIES {
        let Some((m, server, is_async)) = factory_def(modules, name) else {
            continue;
        };
        let ctor = APPS
            .iter()
            .find(|(c, s)| *s == server && m.text.contains(c))
            .map_or("framework", |(c, _)| c.trim_end_matches('('));
        // aiohttp's worker awaits a coroutine function itself: named, not called.
        let called = !(is_async && server == Server::AiohttpGunicorn);
        return Some((
            app(&m.name, name, server, called),
            format!("the {ctor} application factory `{name}()` in {}", m.rel),
        ));
    }
    None
}

/// A health route the code declares (`@app.get("/healthz")`, `@bp.route("/ping")`,
/// `path("health/", …)`, `Route("/status", …)`): the path and where it was found.
pub(super) fn health_route(modules: &[Module]) -> Option<(String, String)> {
    let mut found: Vec<(usize, String, String)> = Vec::new();
    let code: Vec<super::routes::Module> = modules
        .iter()
        .map(|m| super::routes::Module {
            name: &m.name,
            text: &m.text,
        })
        .collect();
    for m in modules {
        for line in m.text.lines() {
            let l = line.trim_start();
            let routes = [
                ".get(",
                ".route(",
                ".api_route(",
                "path(",
                "Route(",
                "@get(",
                ".head(",
            ];
            let Some(at) = routes
                .iter()
                .filter_map(|r| l.find(r).map(|i| i + r.len()))
                .min()
            else {
                continue;
            };
            let Some(path) = first_string(&l[at..]) else {
                continue;
            };
            let path = if path.starts_with('/') {
                path
            } else {
                format!("/{path}")
            };
            // Served under its router's and blueprint's prefixes; unknown ones: not used.
            let here = super::routes::Module {
                name: &m.name,
                text: &m.text,
            };
            let Some(path) = super::routes::served_path(&code, &here, l, &path) else {
                continue;
            };
            if crate::answers::rules::health_path(&path).is_err() {
                continue;
            }
            let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if let Some(rank) = HEALTH.iter().position(|h| *h == last) {
                found.push((
                    rank,
                    path.clone(),
                    format!("the route `{path}` in {}", m.rel),
                ));
            }
        }
    }
    found.sort_by_key(|(rank, path, _)| (*rank, path.len()));
    found.into_iter().next().map(|(_, p, why)| (p, why))
}

/// The first string literal at the start of `s` (`"…"` or `'…'`), without escapes.
fn first_string(s: &str) -> Option<String> {
    let s = s.trim_start();
    let quote = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &s[1..];
    let end = body.find(quote)?;
    let lit = &body[..end];
    (!lit.contains('\\')).then(|| lit.to_string())
}

/// The MCP transport the code passes to `run()` (`mcp.run(transport="streamable-http")`).
pub(super) fn mcp_transport(modules: &[Module]) -> Option<(Transport, String)> {
    for m in modules {
        for line in m.text.lines() {
            let Some(at) = line.find("transport=") else {
                continue;
            };
            let Some(value) = first_string(&line[at + "transport=".len()..]) else {
                continue;
            };
            let t = match value.as_str() {
                "stdio" => Transport::Stdio,
                "streamable-http" | "http" | "streamable_http" => Transport::StreamableHttp,
                "sse" => Transport::Sse,
                _ => continue,
            };
            return Some((t, format!("transport=\"{}\" in {}", t.as_str(), m.rel)));
        }
    }
    None
}

/// A module-level MCP SDK server object (`mcp = FastMCP("notes")`): `module:var` and where.
/// Over HTTP it is served by uvicorn through its ASGI app (`var.streamable_http_app()`), since
/// `run()` binds 127.0.0.1 unless the code says otherwise.
pub(super) fn mcp_app(modules: &[Module]) -> Option<(String, String)> {
    for m in modules {
        for line in m
            .text
            .lines()
            .filter(|l| !l.starts_with(char::is_whitespace))
        {
            let Some((var, call)) = line.split_once('=') else {
                continue;
            };
            let var = var.split(':').next().unwrap_or(var).trim();
            if identifier(var) && call.trim_start().starts_with("FastMCP(") {
                return Some((
                    format!("{}:{var}", m.name),
                    format!("the FastMCP server `{var}` in {}", m.rel),
                ));
            }
        }
    }
    None
}

/// The module whose Flask app uses an instance folder (`instance_relative_config=True`,
/// `app.instance_path`): Flask names the folder `<module>-instance` under the venv's `var/`.
pub(super) fn flask_instance(modules: &[Module]) -> Option<String> {
    modules
        .iter()
        .find(|m| {
            m.text.contains("Flask(__name__")
                && (m.text.contains("instance_relative_config=True")
                    || m.text.contains("instance_path"))
        })
        .map(|m| m.name.clone())
}

fn module_name(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?.with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "__init__") {
        parts.pop();
    }
    parts
        .iter()
        .all(|p| identifier(p))
        .then(|| parts.join("."))
        .filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests_support {
    pub(super) use super::super::project;
    use super::*;

    pub fn app(files: &[(&str, &str)], deps: &[&str]) -> Option<(DetectedApp, String)> {
        let dir = project(files);
        let deps: Vec<String> = deps.iter().map(|d| d.to_string()).collect();
        framework_app(&modules(dir.path(), Some("svc"), true), &deps)
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;
    use super::*;

    #[test]
    fn module_level_apps_win_over_factories() {
        let init = "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n";
        let (a, why) = app(&[("src/svc/__init__.py", init)], &["flask"]).unwrap();
        assert_eq!(a.target, "svc:create_app");
        assert!(a.factory && a.server == Server::Gunicorn && !a.server_declared);
        assert_eq!(
            why,
            "the Flask application factory `create_app()` in src/svc/__init__.py"
        );
        assert_eq!(a.command(8000)[5], "svc:create_app()");
        let wsgi = "from flask import Flask\n\napplication = Flask(__name__)\n";
        let (a, why) = app(
            &[("src/svc/__init__.py", init), ("src/svc/wsgi.py", wsgi)],
            &["flask", "gunicorn"],
        )
        .unwrap();
        assert_eq!(
            (a.target.as_str(), a.factory),
            ("svc.wsgi:application", false)
        );
        assert!(a.server_declared);
        assert_eq!(why, "the Flask app `application` in src/svc/wsgi.py");
    }

    #[test]
    fn asgi_apps_and_factories_run_under_uvicorn() {
        for ctor in ["FastAPI", "Starlette", "Litestar"] {
            let text = format!("def make_app():\n    return {ctor}(routes=[])\n");
            let (a, _) = app(&[("src/svc/main.py", &text)], &[]).unwrap();
            assert_eq!(a.server, Server::Uvicorn);
            assert_eq!(
                a.command(9000),
                [
                    "uvicorn",
                    "svc.main:make_app",
                    "--factory",
                    "--host",
                    "0.0.0.0",
                    "--port",
                    "9000",
                    "--proxy-headers"
                ]
            );
            let text = format!("api: {ctor} = {ctor}()\n");
            let (a, _) = app(&[("src/svc/main.py", &text)], &[]).unwrap();
            assert_eq!(a.target, "svc.main:api");
        }
        assert_eq!(app(&[("src/svc/main.py", "x = 1\n")], &[]), None);
    }

    #[test]
    fn health_routes_and_transports_are_read_from_the_code() {
        let dir = project(&[
            (
                "src/svc/api.py",
                "@router.get(\"/api/v1/items\")\n@app.get('/healthz')\ndef h(): ...\n",
            ),
            (
                "src/svc/urls.py",
                "urlpatterns = [path(\"ping/\", views.ping)]\n",
            ),
            (
                "src/svc/server.py",
                "mcp.run(transport=\"streamable-http\")\n",
            ),
        ]);
        let m = modules(dir.path(), Some("svc"), true);
        assert_eq!(
            health_route(&m),
            Some((
                "/healthz".into(),
                "the route `/healthz` in src/svc/api.py".into()
            ))
        );
        assert_eq!(mcp_transport(&m).unwrap().0, Transport::StreamableHttp);
        let none = project(&[("src/svc/api.py", "@app.get(\"/\")\n")]);
        assert_eq!(health_route(&modules(none.path(), Some("svc"), true)), None);
    }
}

#[cfg(test)]
mod issue17 {
    use super::tests_support::*;
    use super::*;

    #[test]
    fn an_app_built_by_a_factory_call_is_served_as_the_object() {
        let init = "from quart import Quart\n\n\ndef create_app():\n    app = Quart(__name__)\n    return app\n";
        let asgi = "from svc import create_app\n\napp = create_app()\n\nif __name__ == '__main__':\n    app.run(debug=True)\n";
        let (a, why) = app(
            &[("src/svc/__init__.py", init), ("src/svc/asgi.py", asgi)],
            &["quart"],
        )
        .unwrap();
        assert_eq!((a.target.as_str(), a.factory), ("svc.asgi:app", false));
        assert_eq!(a.server, Server::Uvicorn);
        assert_eq!(why, "the app `app = create_app(…)` in src/svc/asgi.py");
        assert_eq!(
            a.command(8000),
            [
                "uvicorn",
                "svc.asgi:app",
                "--host",
                "0.0.0.0",
                "--port",
                "8000",
                "--proxy-headers"
            ]
        );
        // `application = get_application()`, the factory qualified by its module.
        let main = "from fastapi import FastAPI\n\ndef get_application() -> FastAPI:\n    return FastAPI()\n\napplication = factory.get_application()\n";
        let (a, _) = app(&[("src/svc/main.py", main)], &[]).unwrap();
        assert_eq!(
            (a.target.as_str(), a.factory),
            ("svc.main:application", false)
        );
        // A call to something that is not a factory is not an app; the factory form is used
        // only without a module-level object.
        let other = "from flask import Flask\n\ndef build_app():\n    return Flask(__name__)\n\nconfig = load_config()\n";
        let (a, why) = app(&[("src/svc/main.py", other)], &[]).unwrap();
        assert_eq!((a.target.as_str(), a.factory), ("svc.main:build_app", true));
        assert_eq!(
            why,
            "the Flask application factory `build_app()` in src/svc/main.py"
        );
    }

    #[test]
    fn every_asgi_framework_runs_under_uvicorn_and_wsgi_under_gunicorn() {
        for (text, server) in [
            ("app = Quart(__name__)\n", Server::Uvicorn),
            ("app = Sanic(\"svc\")\n", Server::Uvicorn),
            (
                "import falcon.asgi\napp = falcon.asgi.App()\n",
                Server::Uvicorn,
            ),
            (
                "from falcon import asgi\napp = asgi.App()\n",
                Server::Uvicorn,
            ),
            ("import falcon\napp = falcon.App()\n", Server::Gunicorn),
        ] {
            let (a, _) = app(&[("src/svc/main.py", text)], &[]).unwrap();
            assert_eq!(
                (a.server, a.target.as_str()),
                (server, "svc.main:app"),
                "{text}"
            );
        }
    }

    #[test]
    fn aiohttp_runs_under_gunicorns_aiohttp_worker() {
        let (a, why) = app(
            &[(
                "src/svc/main.py",
                "from aiohttp import web\n\napp = web.Application()\n",
            )],
            &["aiohttp", "gunicorn"],
        )
        .unwrap();
        assert!(a.server_declared);
        assert_eq!(why, "the web.Application app `app` in src/svc/main.py");
        assert_eq!(
            a.command(8080),
            [
                "gunicorn",
                "--bind",
                "0.0.0.0:8080",
                "--worker-class",
                "aiohttp.GunicornWebWorker",
                "--access-logfile",
                "-",
                "svc.main:app"
            ]
        );
        // A factory is called once; an async one is handed to the worker, which awaits it.
        let sync = "from aiohttp import web\n\ndef make_app():\n    return web.Application()\n";
        let (a, _) = app(&[("src/svc/main.py", sync)], &[]).unwrap();
        assert_eq!(a.command(8080).last().unwrap(), "svc.main:make_app()");
        let coro =
            "from aiohttp import web\n\nasync def create_app():\n    return web.Application()\n";
        let (a, _) = app(&[("src/svc/main.py", coro)], &[]).unwrap();
        assert_eq!(a.server, Server::AiohttpGunicorn);
        assert_eq!(a.command(8080).last().unwrap(), "svc.main:create_app");
        assert!(!a.server_declared);
    }
}
