//! Where the packages are: `src/<package>/` or `<package>/` at the root, regular packages or
//! the portions of namespace packages (`src/pdm/backend/__init__.py` without
//! `src/pdm/__init__.py`: the package is `pdm.backend`).

use std::path::{Path, PathBuf};

use crate::answers::{package_from_name, Field, Raw};
use crate::model::package_dir;

use super::{read, Detection};

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

/// A directory name that can be part of an import name.
fn identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
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
