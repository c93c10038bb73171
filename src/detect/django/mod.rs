//! A Django site, read as text (never imported): which settings module the image runs with,
//! WSGI or ASGI, what the settings need from the environment to import at build time
//! (`collectstatic`), and how migrations run (a `Procfile` `release:` line, else
//! `manage.py migrate`). Every value read here reaches a Dockerfile, compose or a message:
//! module paths are dotted Python identifiers, variable names identifiers, commands split like a
//! shell line without control characters; anything else is not used.

mod env;
mod migrate;
mod settings;

use std::path::Path;

use crate::facts::DjangoSite;
use crate::model::{DetectedApp, Server};

use super::{dotted, identifier, read};
use env::{required_env, THROW_AWAY};
use migrate::{release, MIGRATE};
use settings::{choose_settings, module_file, settings_default, settings_text};

/// Dependencies that mean the site is served over ASGI when it has an `asgi.py`.
const ASGI_DEPS: &[&str] = &["channels", "daphne", "uvicorn"];

/// The site next to `manage.py`: its settings, the app it serves (WSGI under gunicorn, ASGI
/// under uvicorn) and why, in words.
pub(super) fn site(target: &Path, deps: &[String]) -> Option<(DjangoSite, DetectedApp, String)> {
    let manage = read(target, &target.join("manage.py")).ok()?;
    let mut packages: Vec<String> = std::fs::read_dir(target)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("__init__.py").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| identifier(n))
        .collect();
    packages.sort();
    // `DJANGO_SETTINGS_MODULE` defaults, where Django's own files set them.
    let entry = |file: &str| {
        packages.iter().find_map(|p| {
            let text = read(target, &target.join(p).join(file)).ok()?;
            Some((p.clone(), format!("{p}/{file}"), settings_default(&text)))
        })
    };
    let wsgi = entry("wsgi.py");
    let asgi = entry("asgi.py");
    let mut defaults: Vec<(String, String)> = Vec::new();
    for (file, module) in [
        wsgi.as_ref()
            .and_then(|(_, f, m)| Some((f.clone(), m.clone()?))),
        asgi.as_ref()
            .and_then(|(_, f, m)| Some((f.clone(), m.clone()?))),
        settings_default(&manage).map(|m| ("manage.py".to_string(), m)),
    ]
    .into_iter()
    .flatten()
    {
        if module_file(target, &module).is_some() && !defaults.iter().any(|(_, m)| *m == module) {
            defaults.push((file, module));
        }
    }
    let (settings, settings_why) = choose_settings(target, &defaults)?;
    let text = settings_text(target, &settings);
    let setting = |key: &str| {
        text.lines()
            .filter(|l| l.starts_with(key))
            .filter_map(|l| quoted_after(&l[key.len()..]))
            .find(|v| dotted(v))
    };
    let site_package = wsgi
        .as_ref()
        .or(asgi.as_ref())
        .map(|(p, _, _)| p.clone())
        .unwrap_or_else(|| settings.split('.').next().unwrap_or_default().to_string());
    let declares = |names: &[&str]| deps.iter().any(|d| names.contains(&d.as_str()));
    let asgi_app = setting("ASGI_APPLICATION").map(|a| (a, "ASGI_APPLICATION".to_string()));
    let asgi_app = asgi_app.or_else(|| {
        let (p, file, _) = asgi.as_ref().filter(|_| declares(ASGI_DEPS))?;
        let dep = deps.iter().find(|d| ASGI_DEPS.contains(&d.as_str()))?;
        Some((
            format!("{p}.asgi.application"),
            format!("{file} and dependency {dep}"),
        ))
    });
    let (server, app, key) = match asgi_app {
        Some((app, why)) => (Server::Uvicorn, app, why),
        None => (
            Server::Gunicorn,
            setting("WSGI_APPLICATION").unwrap_or(format!("{site_package}.wsgi.application")),
            "WSGI_APPLICATION".to_string(),
        ),
    };
    let (module, attr) = app.rsplit_once('.')?;
    let default = || MIGRATE.iter().map(|w| w.to_string()).collect();
    let (migrate, migrate_why) = match release(target) {
        Some(Ok(words)) => (words, "the release: line of Procfile".to_string()),
        Some(Err(why)) => (default(), why),
        None => (
            default(),
            "Django's migrate; no Procfile release: line".to_string(),
        ),
    };
    let whitenoise = declares(&["whitenoise"]) || text.contains("whitenoise");
    let required = required_env(&text);
    let mut build_env = required.clone();
    if !build_env.iter().any(|(n, _)| n == "SECRET_KEY") {
        // Django refuses an empty SECRET_KEY; settings that read it with a default still get one.
        build_env.push(("SECRET_KEY".into(), THROW_AWAY.into()));
    }
    let facts = DjangoSite {
        static_root: text.lines().any(|l| l.starts_with("STATIC_ROOT")),
        settings: settings.clone(),
        settings_why,
        packages,
        required_env: required.into_iter().map(|(n, _)| n).collect(),
        build_env,
        whitenoise,
        migrate,
        migrate_why,
    };
    let found = DetectedApp {
        server,
        target: format!("{module}:{attr}"),
        factory: false,
        server_declared: deps.iter().any(|d| d == server.distribution()),
    };
    let why = format!("Django: {settings} → {key}");
    Some((facts, found, why))
}

/// The body of a string literal at the start of `s` (after spaces).
fn quoted_literal(s: &str) -> Option<String> {
    let s = s.trim_start();
    let quote = s.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let body = &s[1..];
    Some(body[..body.find(quote)?].to_string())
}

/// The body of the first quoted string in `s`.
pub(super) fn quoted_after(s: &str) -> Option<String> {
    let start = s.find(['"', '\''])?;
    let quote = s[start..].chars().next()?;
    let body = &s[start + 1..];
    Some(body[..body.find(quote)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::super::project;
    use super::*;

    #[test]
    fn asgi_sites_are_served_by_uvicorn() {
        let files = [
            (
                "manage.py",
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chat.settings')\n",
            ),
            ("chat/__init__.py", ""),
            (
                "chat/settings.py",
                "WSGI_APPLICATION = 'chat.wsgi.application'\n",
            ),
            ("chat/wsgi.py", ""),
            ("chat/asgi.py", ""),
        ];
        let dir = project(&files);
        // asgi.py alone is what startproject writes: WSGI under gunicorn.
        let (_, app, _) = site(dir.path(), &["django".into()]).unwrap();
        assert_eq!(app.server, Server::Gunicorn);
        for dep in ["channels", "daphne", "uvicorn"] {
            let (_, app, why) = site(dir.path(), &["django".into(), dep.into()]).unwrap();
            assert_eq!(
                (app.server, app.target.as_str()),
                (Server::Uvicorn, "chat.asgi:application")
            );
            assert_eq!(
                why,
                format!("Django: chat.settings → chat/asgi.py and dependency {dep}")
            );
            assert_eq!(app.server_declared, dep == "uvicorn");
        }
        // ASGI_APPLICATION in the settings, even with gunicorn declared.
        std::fs::write(
            dir.path().join("chat/settings.py"),
            "ASGI_APPLICATION = 'chat.routing.application'\n",
        )
        .unwrap();
        let (_, app, _) = site(dir.path(), &["gunicorn".into()]).unwrap();
        assert_eq!(
            (app.server, app.target.as_str()),
            (Server::Uvicorn, "chat.routing:application")
        );
    }
}
