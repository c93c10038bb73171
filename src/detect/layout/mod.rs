//! Where the packages are: `src/<package>/` or `<package>/` at the root, regular packages or
//! the portions of namespace packages (`src/pdm/backend/__init__.py` without
//! `src/pdm/__init__.py`: the package is `pdm.backend`).
//!
//! `walk.rs` finds the packages in a directory tree; `declared.rs` puts first the package the
//! build configuration names.

mod declared;
mod walk;

use std::path::{Path, PathBuf};

use crate::answers::{package_from_name, Field, Raw};
use crate::model::package_dir;

use super::Detection;
pub(super) use declared::prefer_declared;
use walk::{packages_in, Found};

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
