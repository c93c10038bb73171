//! Whether the project already provides the production server dockwright would add: a declared
//! extra that brings it (`fastapi[standard]` → uvicorn), the runtime dependencies `uv.lock`
//! resolves (followed from the project through every dependency and extra), or a version a lock
//! or a requirements file pins. A locked server is installed as locked, never pinned over: the
//! pin dockwright keeps for an undeclared server is only for a project that says nothing of it.

use std::collections::BTreeSet;
use std::path::Path;

use crate::fsread;
use crate::model::Server;

use super::metadata::requirement_name;
use super::{read, Lock};

/// What the project says of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Provided {
    /// Installed with the project's own dependencies: nothing to add.
    Declared(String),
    /// Pinned by a lock or requirements file (`uvicorn==0.49.0`) but perhaps not installed with
    /// the runtime dependencies (a dev group): added at exactly that version.
    Locked { pin: String, why: String },
}

/// Extras of a framework that bring a server: (distribution, extra, server).
const EXTRAS: &[(&str, &str, Server)] = &[
    ("fastapi", "standard", Server::Uvicorn),
    ("fastapi", "standard-no-fastapi-cloud-cli", Server::Uvicorn),
    ("fastapi", "all", Server::Uvicorn),
    ("litestar", "standard", Server::Uvicorn),
    ("litestar", "uvicorn", Server::Uvicorn),
];

/// How the project provides `server`, from its requirements (PEP 508 strings), its lock, and
/// its `requirements*.txt` files.
pub(super) fn provided(
    target: &Path,
    requirements: &[String],
    lock: Option<Lock>,
    requirement_files: &[String],
    server: Server,
) -> Option<Provided> {
    let dist = server.distribution();
    for req in requirements {
        let name = requirement_name(req);
        if let Some((_, extra, _)) = extras(req).iter().find_map(|x| {
            EXTRAS
                .iter()
                .find(|(d, e, s)| *d == name && e == x && *s == server)
        }) {
            return Some(Provided::Declared(format!(
                "the dependency {name}[{extra}] brings {dist}"
            )));
        }
    }
    let text = lock.and_then(|l| {
        fsread::read_in(target, &target.join(l.file()), fsread::PYPROJECT_MAX)
            .ok()
            .map(|t| (l, t))
    });
    if let Some((lock, text)) = &text {
        let doc: Option<toml::Table> = toml::from_str(text).ok();
        if let Some(doc) = &doc {
            if *lock == Lock::Uv && uv_runtime(doc).contains(dist) {
                return Some(Provided::Declared(format!(
                    "uv.lock installs {dist} with the runtime dependencies"
                )));
            }
            if let Some(version) = locked_version(doc, dist) {
                return Some(Provided::Locked {
                    pin: format!("{dist}=={version}"),
                    why: format!("{} pins {dist} {version}", lock.file()),
                });
            }
        }
    }
    for file in requirement_files {
        let Ok(text) = read(target, &target.join(file)) else {
            continue;
        };
        let pinned = text.lines().find_map(|l| {
            let l = l.split('#').next().unwrap_or("").trim();
            let (left, version) = l.split_once("==")?;
            let version = version.split([';', ' ', '\\']).next()?.trim();
            (requirement_name(left.trim()) == dist && version_ok(version))
                .then(|| version.to_string())
        });
        if let Some(version) = pinned {
            return Some(Provided::Locked {
                pin: format!("{dist}=={version}"),
                why: format!("{} pins {dist} {version}", crate::safety::shown(file)),
            });
        }
    }
    None
}

/// The extras of a PEP 508 requirement (`fastapi[standard]>=0.115` → `standard`), normalised.
fn extras(req: &str) -> Vec<String> {
    let Some((_, rest)) = req.split_once('[') else {
        return Vec::new();
    };
    let Some((list, _)) = rest.split_once(']') else {
        return Vec::new();
    };
    list.split(',')
        .map(|e| crate::answers::normalize_name(e.trim()))
        .collect()
}

/// A version as a requirement pin can carry it (`0.49.0`, `1.0.0rc1`, `2.0+local`).
fn version_ok(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 64
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '-'))
}

/// The version of `dist` a lock's `[[package]]` tables pin (uv, Poetry, PDM, PEP 751 alike).
fn locked_version(doc: &toml::Table, dist: &str) -> Option<String> {
    let packages = doc
        .get("package")
        .or_else(|| doc.get("packages"))?
        .as_array()?;
    packages.iter().find_map(|p| {
        let name = p.get("name")?.as_str()?;
        let version = p.get("version")?.as_str()?;
        (crate::answers::normalize_name(name) == dist && version_ok(version))
            .then(|| version.to_string())
    })
}

/// The distributions `uv sync --no-dev` installs: from the project's own package (source
/// `editable`/`virtual` `.`) through every dependency, with the extras each edge asks for.
/// Markers are not evaluated: a server behind a marker counts as installed.
fn uv_runtime(doc: &toml::Table) -> BTreeSet<String> {
    let Some(packages) = doc.get("package").and_then(|p| p.as_array()) else {
        return BTreeSet::new();
    };
    let find = |name: &str| {
        packages
            .iter()
            .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(name))
    };
    let root = packages.iter().find(|p| {
        p.get("source").and_then(|s| s.as_table()).is_some_and(|s| {
            ["editable", "virtual"]
                .iter()
                .any(|k| s.get(*k).and_then(|v| v.as_str()) == Some("."))
        })
    });
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<(String, Vec<String>)> = Vec::new();
    let edges = |p: &toml::Value, extras: &[String]| {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        let mut lists: Vec<&toml::Value> = p.get("dependencies").into_iter().collect();
        for extra in extras {
            lists.extend(
                p.get("optional-dependencies")
                    .and_then(|o| o.get(extra.as_str())),
            );
        }
        for dep in lists.iter().filter_map(|l| l.as_array()).flatten() {
            let Some(name) = dep.get("name").and_then(|n| n.as_str()) else {
                continue;
            };
            let extra = dep
                .get("extra")
                .and_then(|e| e.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            out.push((name.to_string(), extra));
        }
        out
    };
    if let Some(root) = root {
        todo.extend(edges(root, &[]));
    }
    let mut visited: BTreeSet<(String, Vec<String>)> = BTreeSet::new();
    while let Some((name, extras)) = todo.pop() {
        if visited.len() > 10_000 || !visited.insert((name.clone(), extras.clone())) {
            continue;
        }
        seen.insert(crate::answers::normalize_name(&name));
        if let Some(p) = find(&name) {
            todo.extend(edges(p, &extras));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    const UV_LOCK: &str = r#"
version = 1
requires-python = ">=3.11"

[[package]]
name = "shop"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "fastapi", extra = ["standard"] }]

[package.dev-dependencies]
dev = [{ name = "gunicorn" }]

[[package]]
name = "fastapi"
version = "0.115.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "starlette" }]

[package.optional-dependencies]
standard = [{ name = "uvicorn", extra = ["standard"] }]

[[package]]
name = "starlette"
version = "0.41.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "uvicorn"
version = "0.49.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "gunicorn"
version = "23.1.0"
source = { registry = "https://pypi.org/simple" }
"#;

    #[test]
    fn a_locked_or_extra_provided_server_is_never_pinned_over() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path();
        std::fs::write(t.join("uv.lock"), UV_LOCK).unwrap();
        // The lock installs uvicorn through fastapi's `standard` extra.
        assert_eq!(
            provided(t, &["fastapi".into()], Some(Lock::Uv), &[], Server::Uvicorn),
            Some(Provided::Declared(
                "uv.lock installs uvicorn with the runtime dependencies".into()
            ))
        );
        // gunicorn is locked for development only: added, at the locked version.
        assert_eq!(
            provided(t, &[], Some(Lock::Uv), &[], Server::Gunicorn),
            Some(Provided::Locked {
                pin: "gunicorn==23.1.0".into(),
                why: "uv.lock pins gunicorn 23.1.0".into()
            })
        );
        // Without a lock, the declared extra says it.
        assert_eq!(
            provided(
                t,
                &["FastAPI[Standard]>=0.115".into()],
                None,
                &[],
                Server::Uvicorn
            ),
            Some(Provided::Declared(
                "the dependency fastapi[standard] brings uvicorn".into()
            ))
        );
        std::fs::write(
            t.join("requirements.txt"),
            "fastapi==0.115.0\nuvicorn[standard]==0.49.0 ; python_version >= '3.9'\n",
        )
        .unwrap();
        assert_eq!(
            provided(t, &[], None, &["requirements.txt".into()], Server::Uvicorn),
            Some(Provided::Locked {
                pin: "uvicorn==0.49.0".into(),
                why: "requirements.txt pins uvicorn 0.49.0".into()
            })
        );
        // A hostile version is not a pin.
        std::fs::write(t.join("requirements.txt"), "uvicorn==0.49$(curl x)\n").unwrap();
        std::fs::write(
            t.join("poetry.lock"),
            "[[package]]\nname = \"uvicorn\"\nversion = \"0.49 && curl x\"\n",
        )
        .unwrap();
        assert_eq!(
            provided(
                t,
                &[],
                Some(Lock::Poetry),
                &["requirements.txt".into()],
                Server::Uvicorn
            ),
            None
        );
    }
}
