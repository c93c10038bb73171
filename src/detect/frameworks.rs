//! A framework app in the project's code, found by reading (never importing) its modules.

use std::path::{Path, PathBuf};

use crate::model::{DetectedApp, Server};

use super::read;

/// A framework app at module level, and the server for it, when no console script exists.
pub(super) fn framework_app(
    target: &Path,
    package: &str,
    src_layout: bool,
    deps: &[String],
) -> Option<(DetectedApp, String)> {
    let root = if src_layout {
        target.join("src")
    } else {
        target.to_path_buf()
    };
    let has = |d: &str| deps.iter().any(|x| x == d);
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join(package))
        .max_depth(3)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for file in files {
        let Ok(text) = read(target, &file) else {
            continue;
        };
        let module = module_name(&root, &file)?;
        for line in text.lines() {
            // Only a module-level assignment is an attribute `module:var` can name; an indented
            // one (`app = Flask(__name__)` inside `create_app()`) is a function's local.
            if line.starts_with(char::is_whitespace) {
                continue;
            }
            let Some((var, call)) = line.split_once('=') else {
                continue;
            };
            let var = var.trim();
            if !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || var.is_empty() {
                continue;
            }
            let call = call.trim_start();
            let target_app = format!("{module}:{var}");
            let rel = file
                .strip_prefix(target)
                .unwrap_or(&file)
                .display()
                .to_string();
            let why = format!("the app `{var}` in {rel}");
            let server = if call.starts_with("Flask(") {
                if has("gunicorn") {
                    Server::Gunicorn
                } else {
                    Server::FlaskRun
                }
            } else if ["FastAPI(", "Starlette(", "Litestar(", "Quart("]
                .iter()
                .any(|c| call.starts_with(c))
            {
                Server::Uvicorn
            } else {
                continue;
            };
            let app = DetectedApp {
                server,
                target: target_app,
            };
            return Some((app, why));
        }
    }
    None
}

fn module_name(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?.with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let parts: Vec<&str> = match parts.last().map(String::as_str) {
        Some("__init__") => parts[..parts.len() - 1]
            .iter()
            .map(String::as_str)
            .collect(),
        _ => parts.iter().map(String::as_str).collect(),
    };
    Some(parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_apps_are_module_level_assignments_only() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("src/svc");
        std::fs::create_dir_all(&pkg).unwrap();
        let deps = ["flask".to_string()];
        // An app factory: `app` is a local of create_app(), so `svc:app` would not import.
        std::fs::write(
            pkg.join("__init__.py"),
            "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n",
        )
        .unwrap();
        assert_eq!(framework_app(dir.path(), "svc", true, &deps), None);
        // A module-level app further down the package is found.
        std::fs::write(
            pkg.join("wsgi.py"),
            "from flask import Flask\n\napplication = Flask(__name__)\n",
        )
        .unwrap();
        let (app, why) = framework_app(dir.path(), "svc", true, &deps).unwrap();
        assert_eq!(
            app,
            DetectedApp {
                server: Server::FlaskRun,
                target: "svc.wsgi:application".into()
            }
        );
        assert_eq!(why, "the app `application` in src/svc/wsgi.py");
    }
}
