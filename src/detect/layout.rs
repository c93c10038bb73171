//! Where the packages are: `src/<package>/` or `<package>/` at the root, regular packages or
//! the portions of namespace packages (`src/pdm/backend/__init__.py` without
//! `src/pdm/__init__.py`: the package is `pdm.backend`).

use std::path::{Path, PathBuf};

use crate::answers::{package_from_name, Field, Raw};
use crate::model::package_dir;

use super::{identifier, read, Detection};

/// Directories that hold no import package of the project, wherever they are.
const NOT_PACKAGES: &[&str] = &["tests", "test", "docs", "scripts", "examples", "benchmarks"];

/// Directories never searched for namespace portions: installed or built trees.
const NOT_NAMESPACES: &[&str] = &[
    "build",
    "dist",
    "node_modules",
    "site_packages",
    "venv",
    "__pycache__",
];

/// Entries looked at per directory (a hostile tree stays cheap to walk).
const ENTRIES_MAX: usize = 1000;

/// How deep a namespace goes above its package (`a.b.c.pkg` at most).
const NAMESPACE_DEPTH: usize = 3;

/// A package found under a directory.
struct Found {
    /// The dotted import name (`pdm.backend`).
    name: String,
    /// It is the portion of a namespace package.
    namespace: bool,
    /// The namespace is marked as one by a legacy `__init__.py` (pkg_resources or pkgutil).
    declared: bool,
}

/// Packages under `src/` or the root, and which layout they imply.
pub(super) fn detect_layout(target: &Path, name: Option<&str>, d: &mut Detection) {
    let wanted = name.map(package_from_name);
    let named = |f: &Found| wanted.as_deref() == Some(f.name.replace('.', "_").as_str());
    let find = |dir: PathBuf, src: bool| -> Vec<Found> {
        let mut found = Vec::new();
        packages_in(target, &dir, "", 0, false, &mut found);
        // Under `src/` a directory without `__init__.py` that holds packages is a namespace.
        // At the root such directories are common for other reasons (`build/lib/…`, data
        // trees), so there a namespace portion must be named like the project (`jaraco.functools`,
        // `sphinxcontrib-applehelp`) or declared by a legacy namespace `__init__.py`.
        found.retain(|f| src || !f.namespace || f.declared || named(f));
        found
    };
    let (src_layout, found) = match find(target.join("src"), true) {
        p if !p.is_empty() => (Some(true), p),
        _ => match find(target.to_path_buf(), false) {
            p if !p.is_empty() => (Some(false), p),
            _ => (None, Vec::new()),
        },
    };
    // The package named like the project first, then regular packages, each sorted.
    let mut found = found;
    found.sort_by(|a, b| (!named(a), a.namespace, &a.name).cmp(&(!named(b), b.namespace, &b.name)));
    let packages: Vec<String> = found.into_iter().map(|f| f.name).collect();
    if let Some(first) = packages.first() {
        d.answers.insert(Field::Package, Raw::Text(first.clone()));
        let place = if src_layout == Some(true) {
            format!("src/{}/", package_dir(first))
        } else {
            format!("{}/", package_dir(first))
        };
        d.origins.insert(Field::Package, place);
    }
    d.facts.src_layout = src_layout;
    d.facts.packages = packages;
}

/// The packages in `dir` (whose import prefix is `prefix`): a directory with a regular
/// `__init__.py` is one; a directory without one, or with a legacy namespace `__init__.py`,
/// is a namespace whose packages are looked for inside, `NAMESPACE_DEPTH` levels at most.
fn packages_in(
    target: &Path,
    dir: &Path,
    prefix: &str,
    depth: usize,
    declared: bool,
    out: &mut Vec<Found>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<(String, PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .map(|e| {
            let real_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (
                e.file_name().to_string_lossy().into_owned(),
                e.path(),
                real_dir,
            )
        })
        .filter(|(n, _, _)| !NOT_PACKAGES.contains(&n.as_str()) && !n.starts_with('.'))
        .collect();
    entries.sort();
    entries.truncate(ENTRIES_MAX);
    for (name, path, real_dir) in entries {
        let init = path.join("__init__.py");
        let legacy = init.is_file() && legacy_namespace(target, &path);
        if init.is_file() && !legacy {
            out.push(Found {
                name: format!("{prefix}{name}"),
                namespace: depth > 0,
                declared,
            });
        } else if real_dir
            && depth < NAMESPACE_DEPTH
            && identifier(&name)
            && !NOT_NAMESPACES.contains(&name.as_str())
        {
            packages_in(
                target,
                &path,
                &format!("{prefix}{name}."),
                depth + 1,
                declared || legacy,
                out,
            );
        }
    }
}

/// `dir/__init__.py` only declares a namespace the pre-PEP 420 way
/// (`__import__('pkg_resources').declare_namespace(__name__)`, or pkgutil's `extend_path`)
/// and the directory has no module of its own beside it (`zope/` of `zope.interface`).
fn legacy_namespace(target: &Path, dir: &Path) -> bool {
    let Ok(text) = read(target, &dir.join("__init__.py")) else {
        return false;
    };
    let declares = text.contains("declare_namespace(") || text.contains("extend_path(");
    let modules = std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(|e| e.ok()).any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.ends_with(".py") && n != "__init__.py"
        })
    });
    declares && !modules
}

/// The package the build configuration names, when it does: `[tool.hatch.build.targets.wheel]
/// packages` (`["src/foo"]`), `[tool.setuptools] packages` with `package-dir` (`{"" = "src"}`)
/// or `[tool.setuptools.packages.find] where`, Poetry's `packages` (`[{include = "foo", from =
/// "src"}]`). It goes first (the import package, and where the code is read from), since it is
/// what the wheel contains whatever the project's name. Only `src/<pkg>` or `<pkg>` at the root,
/// existing directories, dotted identifiers: anything else is left to the directory walk.
pub(super) fn prefer_declared(target: &Path, doc: &toml::Table, d: &mut Detection) {
    let Some((package, src, key)) = declared_package(doc) else {
        return;
    };
    let root = if src {
        target.join("src")
    } else {
        target.to_path_buf()
    };
    if !package.split('.').all(identifier) || !root.join(package_dir(&package)).is_dir() {
        return;
    }
    d.facts.packages.retain(|p| *p != package);
    d.facts.packages.insert(0, package.clone());
    d.facts.src_layout = Some(src);
    d.answers.insert(Field::Package, Raw::Text(package.clone()));
    let place = if src {
        format!("src/{}/", package_dir(&package))
    } else {
        format!("{}/", package_dir(&package))
    };
    d.origins.insert(
        Field::Package,
        format!("{place}, named by pyproject.toml {key}"),
    );
}

/// The first top-level package the build configuration names: (dotted name, under `src/`, key).
fn declared_package(doc: &toml::Table) -> Option<(String, bool, &'static str)> {
    let tool = doc.get("tool")?;
    let strs = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    };
    // hatch: paths, `src/foo` or `foo`.
    let hatch = strs(
        tool.get("hatch")
            .and_then(|h| h.get("build"))
            .and_then(|b| b.get("targets"))
            .and_then(|t| t.get("wheel"))
            .and_then(|w| w.get("packages")),
    );
    if let Some(path) = hatch.first() {
        let path = path.trim_start_matches("./").trim_end_matches('/');
        let (src, dir) = match path.strip_prefix("src/") {
            Some(dir) => (true, dir),
            None => (false, path),
        };
        return Some((
            dir.replace('/', "."),
            src,
            "[tool.hatch.build.targets.wheel] packages",
        ));
    }
    // setuptools: import names, their directory from `package-dir` (`"" = "src"`).
    if let Some(st) = tool.get("setuptools") {
        let base = st
            .get("package-dir")
            .and_then(|p| p.get(""))
            .and_then(|v| v.as_str())
            .map(|b| b.trim_start_matches("./").trim_end_matches('/'));
        let names = strs(st.get("packages"));
        let top = names.iter().min_by_key(|n| n.matches('.').count());
        if let Some(top) = top {
            return match base {
                None | Some("") | Some(".") => {
                    Some((top.clone(), false, "[tool.setuptools] packages"))
                }
                Some("src") => Some((
                    top.clone(),
                    true,
                    "[tool.setuptools] packages and package-dir",
                )),
                Some(_) => None,
            };
        }
        let find_where = strs(
            st.get("packages")
                .and_then(|p| p.get("find"))
                .and_then(|f| f.get("where")),
        );
        let include = strs(
            st.get("packages")
                .and_then(|p| p.get("find"))
                .and_then(|f| f.get("include")),
        );
        if find_where.first().map(|w| w.trim_end_matches('/')) == Some("src") {
            if let Some(name) = include
                .iter()
                .map(|i| i.trim_end_matches('*').trim_end_matches('.'))
                .find(|i| !i.is_empty())
            {
                return Some((name.to_string(), true, "[tool.setuptools.packages.find]"));
            }
        }
    }
    // Poetry: `{ include = "foo", from = "src" }`.
    let poetry = tool
        .get("poetry")
        .and_then(|p| p.get("packages"))
        .and_then(|p| p.as_array())?;
    poetry.iter().find_map(|p| {
        let include = p.get("include")?.as_str()?.trim_end_matches('/');
        let from = p.get("from").and_then(|f| f.as_str()).unwrap_or("");
        let src = match from.trim_start_matches("./").trim_end_matches('/') {
            "src" => true,
            "" | "." => false,
            _ => return None,
        };
        Some((include.replace('/', "."), src, "[tool.poetry] packages"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The package detection finds in a tree of `files` for the project `name`, and the
    /// layout it implies.
    fn detected(files: &[(&str, &str)], name: &str) -> (Option<String>, Option<bool>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut d = Detection::default();
        detect_layout(dir.path(), Some(name), &mut d);
        let package = match d.answers.get(&Field::Package) {
            Some(Raw::Text(p)) => Some(p.clone()),
            _ => None,
        };
        assert_eq!(
            package.is_some(),
            d.origins.contains_key(&Field::Package),
            "an answer without its origin, or the reverse"
        );
        (package, d.facts.src_layout)
    }

    #[test]
    fn the_package_the_build_configuration_names_comes_first() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path();
        for p in ["src/api", "src/worker/jobs"] {
            std::fs::create_dir_all(t.join(p)).unwrap();
            std::fs::write(t.join(p).join("__init__.py"), "").unwrap();
        }
        let package = |pyproject: &str| {
            let doc: toml::Table = toml::from_str(pyproject).unwrap();
            let mut d = Detection::default();
            detect_layout(t, Some("my-service"), &mut d);
            prefer_declared(t, &doc, &mut d);
            (
                d.answers.get(&Field::Package).cloned(),
                d.origins.get(&Field::Package).cloned().unwrap_or_default(),
                d.facts.packages.first().cloned(),
            )
        };
        let text = |s: &str| Some(Raw::Text(s.into()));
        // Without a declaration: the first package by name, `api`.
        assert_eq!(package("").0, text("api"));
        let (p, why, first) =
            package("[tool.hatch.build.targets.wheel]\npackages = [\"src/worker\"]\n");
        assert_eq!((p, first.as_deref()), (text("worker"), Some("worker")));
        assert_eq!(
            why,
            "src/worker/, named by pyproject.toml [tool.hatch.build.targets.wheel] packages"
        );
        let (p, why, _) = package("[tool.setuptools]\npackages = [\"worker.jobs\", \"worker\"]\npackage-dir = {\"\" = \"src\"}\n");
        assert_eq!(p, text("worker"));
        assert!(
            why.ends_with("[tool.setuptools] packages and package-dir"),
            "{why}"
        );
        let (p, _, _) =
            package("[tool.poetry]\npackages = [{ include = \"worker\", from = \"src\" }]\n");
        assert_eq!(p, text("worker"));
        // A path outside the layouts, or one that does not exist, is not used.
        for hostile in [
            "[tool.hatch.build.targets.wheel]\npackages = [\"../../etc\"]\n",
            "[tool.hatch.build.targets.wheel]\npackages = [\"src/missing\"]\n",
            "[tool.poetry]\npackages = [{ include = \"worker\", from = \"lib\" }]\n",
        ] {
            assert_eq!(package(hostile).0, text("api"), "{hostile}");
        }
    }

    #[test]
    fn namespace_packages_under_src() {
        // pdm-backend: src/pdm/backend/__init__.py, no src/pdm/__init__.py.
        let pdm = [
            ("src/pdm/backend/__init__.py", ""),
            ("src/pdm/backend/_vendor/packaging/__init__.py", ""),
            ("tests/pdm/backend/__init__.py", ""),
        ];
        assert_eq!(
            detected(&pdm, "pdm-backend"),
            (Some("pdm.backend".into()), Some(true))
        );
        // Under src/ the portion need not be named like the project.
        assert_eq!(
            detected(&pdm, "something-else"),
            (Some("pdm.backend".into()), Some(true))
        );
        // zope.interface: a legacy namespace (pkg_resources) with an `__init__.py` of its own.
        let zope = [
            (
                "src/zope/__init__.py",
                "__import__('pkg_resources').declare_namespace(__name__)\n",
            ),
            ("src/zope/interface/__init__.py", ""),
        ];
        assert_eq!(
            detected(&zope, "zope.interface"),
            (Some("zope.interface".into()), Some(true))
        );
        // An `__init__.py` that extends its path but has modules beside it is a package.
        let regular = [
            (
                "src/tool/__init__.py",
                "from pkgutil import extend_path\n__path__ = extend_path(__path__, __name__)\n",
            ),
            ("src/tool/cli.py", ""),
            ("src/tool/sub/__init__.py", ""),
        ];
        assert_eq!(
            detected(&regular, "tool"),
            (Some("tool".into()), Some(true))
        );
        // A regular package wins over a namespace portion when neither is named like the project.
        let both = [
            ("src/zeta/__init__.py", ""),
            ("src/acme/wordcount/__init__.py", ""),
        ];
        assert_eq!(detected(&both, "other"), (Some("zeta".into()), Some(true)));
        assert_eq!(
            detected(&both, "acme-wordcount"),
            (Some("acme.wordcount".into()), Some(true))
        );
    }

    #[test]
    fn namespace_packages_at_the_root_are_named_like_the_project() {
        // jaraco.functools and sphinxcontrib-applehelp: flat PEP 420 namespaces.
        let jaraco = [
            ("jaraco/functools/__init__.py", ""),
            ("docs/conf.py", ""),
            ("tests/__init__.py", ""),
        ];
        assert_eq!(
            detected(&jaraco, "jaraco.functools"),
            (Some("jaraco.functools".into()), Some(false))
        );
        let sphinx = [("sphinxcontrib/applehelp/__init__.py", "")];
        assert_eq!(
            detected(&sphinx, "sphinxcontrib-applehelp"),
            (Some("sphinxcontrib.applehelp".into()), Some(false))
        );
        // At the root, package-holding directories without `__init__.py` are not namespaces
        // unless named like the project: build trees, data, tools.
        let other = [
            ("build/lib/mylib/__init__.py", ""),
            ("tools/release/__init__.py", ""),
            ("jaraco/functools/__init__.py", ""),
        ];
        assert_eq!(detected(&other, "mylib"), (None, None));
        // A legacy namespace declares itself; its name does not matter.
        let legacy = [
            (
                "zope/__init__.py",
                "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n",
            ),
            ("zope/event/__init__.py", ""),
        ];
        assert_eq!(
            detected(&legacy, "something"),
            (Some("zope.event".into()), Some(false))
        );
        // Regular packages are found as before.
        let flat = [("notes/__init__.py", ""), ("tests/__init__.py", "")];
        assert_eq!(
            detected(&flat, "notes"),
            (Some("notes".into()), Some(false))
        );
    }
}
