//! The package the build configuration names (hatch, setuptools, Poetry), put first.

use std::path::Path;

use crate::answers::{Field, Raw};
use crate::model::package_dir;

use super::super::{identifier, Detection};

/// The package the build configuration names, when it does: `[tool.hatch.build.targets.wheel]
/// packages` (`["src/foo"]`), `[tool.setuptools] packages` with `package-dir` (`{"" = "src"}`)
/// or `[tool.setuptools.packages.find] where`, Poetry's `packages` (`[{include = "foo", from =
/// "src"}]`). It goes first (the import package, and where the code is read from), since it is
/// what the wheel contains whatever the project's name. Only `src/<pkg>` or `<pkg>` at the root,
/// existing directories, dotted identifiers: anything else is left to the directory walk.
pub(in crate::detect) fn prefer_declared(target: &Path, doc: &toml::Table, d: &mut Detection) {
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
    use super::super::detect_layout;
    use super::*;

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
}
