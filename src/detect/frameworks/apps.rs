//! Framework app objects and application factories (Flask, FastAPI, Starlette, Litestar,
//! Quart, Sanic, Falcon, aiohttp), each with the production server that runs it; and the Flask
//! app's instance folder.

use crate::detect::identifier;
use crate::model::{DetectedApp, Server};

use super::code::Module;

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
pub(in crate::detect) fn framework_app(
    modules: &[Module],
    deps: &[String],
) -> Option<(DetectedApp, String)> {
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

/// The module whose Flask app uses an instance folder (`instance_relative_config=True`,
/// `app.instance_path`): Flask names the folder `<module>-instance` under the venv's `var/`.
pub(in crate::detect) fn flask_instance(modules: &[Module]) -> Option<String> {
    modules
        .iter()
        .find(|m| {
            m.text.contains("Flask(__name__")
                && (m.text.contains("instance_relative_config=True")
                    || m.text.contains("instance_path"))
        })
        .map(|m| m.name.clone())
}

#[cfg(test)]
mod tests_support {
    use super::*;
    pub(super) use crate::detect::frameworks::modules;
    pub(super) use crate::detect::project;

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
