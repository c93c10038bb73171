//! How the image gets the project's own code: the dependency layer is built from the files
//! the wheel's metadata comes from plus an empty stand-in package (so it is re-used until
//! those files change), and the code then arrives either as a plain `COPY` over the installed
//! stand-in (`overlay`) or as the real wheel installed over it.
//!
//! A plain copy is only used where it is exactly what the wheel would install: a pure-Python
//! package whose metadata is all static, built by a backend that ships every file of the
//! package directory as it is, with no build hooks and no option that adds, drops or moves
//! files. Everything else gets the wheel; projects the stand-in cannot build at all (dynamic
//! metadata, `setup.py`, compiled code, locks pip cannot install as they are, workspaces) keep
//! the PEP 517 builder.
//!
//! `mod.rs` decides whether the stand-in build can be used; `overlay.rs` whether a plain copy is
//! exactly the wheel; `token.rs` whether a token build system would leave out the module the
//! command imports.

mod overlay;
mod token;

use std::path::Path;

use crate::facts::StubBuild;
use crate::model::package_dir;

use overlay::overlay_refusal;
pub(super) use token::token_build;

/// Backends that build a wheel from `pyproject.toml` and the package directory alone.
const BACKENDS: &[&str] = &[
    "hatchling.build",
    "flit_core.buildapi",
    "pdm.backend",
    "setuptools.build_meta",
    "uv_build",
    "poetry.core.masonry.api",
];

/// `[build-system].requires` if it is a non-empty list of plain requirements (no markers, URLs
/// or quotes: see [`crate::safety::is_plain_requirement`]), else `None`.
fn build_requires(system: Option<&toml::Table>) -> Option<Vec<String>> {
    let list = system?.get("requires")?.as_array()?;
    let requires: Vec<String> = list
        .iter()
        .map(|r| r.as_str().map(str::trim).map(String::from))
        .collect::<Option<_>>()?;
    (!requires.is_empty()
        && requires
            .iter()
            .all(|r| crate::safety::is_plain_requirement(r)))
    .then_some(requires)
}

/// The stub build for the project in `target` whose import package is `package`, or why it
/// cannot have one (`Err`, said by `init`).
pub fn stub_build(
    target: &Path,
    doc: &toml::Table,
    package: &str,
    src_layout: bool,
) -> Result<StubBuild, String> {
    let project = doc
        .get("project")
        .and_then(|p| p.as_table())
        .ok_or("no [project] table")?;
    if let Some(dynamic) = project.get("dynamic").and_then(|d| d.as_array()) {
        if !dynamic.is_empty() {
            return Err("[project] has dynamic fields, which need the sources".into());
        }
    }
    if project.get("version").and_then(|v| v.as_str()).is_none() {
        return Err("no static [project] version".into());
    }
    let system = doc.get("build-system").and_then(|b| b.as_table());
    let backend = system
        .and_then(|s| s.get("build-backend"))
        .and_then(|b| b.as_str())
        .unwrap_or_default();
    if !BACKENDS.contains(&backend) {
        return Err(format!(
            "build backend `{}` is not one dockwright knows to build from pyproject.toml alone",
            crate::safety::shown(if backend.is_empty() {
                "(none)"
            } else {
                backend
            })
        ));
    }
    if system.is_some_and(|s| s.contains_key("backend-path")) {
        return Err("[build-system] backend-path: an in-tree backend".into());
    }
    if target.join("setup.py").exists() {
        return Err("setup.py runs at build time".into());
    }
    let tool = |path: &[&str]| tool(doc, path);
    for hooks in [
        &["hatch", "build", "hooks"][..],
        &["hatch", "build", "targets", "wheel", "hooks"],
        &["hatch", "metadata", "hooks"],
        &["pdm", "build", "custom-hook"],
        &["pdm", "build", "run-setuptools"],
    ] {
        if tool(hooks).is_some() {
            return Err(format!("build hooks ([tool.{}])", hooks.join(".")));
        }
    }

    let dir = package_dir(package);
    let code = if src_layout {
        format!("src/{dir}")
    } else {
        dir.clone()
    };
    if !target.join(&code).is_dir() {
        return Err(format!("no package directory {code}"));
    }
    let mut files = vec!["pyproject.toml".to_string()];
    if let Some(license) = project.get("license") {
        if let Some(file) = license.get("file").and_then(|f| f.as_str()) {
            files.push(file.to_string());
        }
    }
    if let Some(list) = project.get("license-files").and_then(|l| l.as_array()) {
        for f in list {
            match f.as_str() {
                Some(f) if !f.contains(['*', '?', '[']) => files.push(f.to_string()),
                _ => return Err("license-files uses glob patterns".into()),
            }
        }
    }
    for f in &files {
        if !crate::safety::is_safe_relative_path(f) || !target.join(f).is_file() {
            return Err(format!(
                "metadata file `{}` is not a plain file in the project",
                crate::safety::shown(f)
            ));
        }
    }
    let overlay = overlay_refusal(target, doc, backend, &code);
    Ok(StubBuild {
        files,
        code,
        overlay: overlay.is_none(),
        why: overlay.unwrap_or_else(|| StubBuild::COPY_IS_THE_WHEEL.into()),
        build_requires: build_requires(system),
    })
}

/// `[tool.a.b…]` of `doc`.
fn tool<'a>(doc: &'a toml::Table, path: &[&str]) -> Option<&'a toml::Value> {
    let mut v = doc.get("tool")?;
    for p in path {
        v = v.get(p)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::stub_build;

    /// A project in a fresh temporary directory: `pyproject` and the files listed.
    fn project(pyproject: &str, files: &[&str]) -> std::path::PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dockwright-stub-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("pyproject.toml"), pyproject).unwrap();
        for f in files {
            let path = dir.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x = 1\n").unwrap();
        }
        dir
    }

    fn check(pyproject: &str, files: &[&str]) -> Result<super::StubBuild, String> {
        let dir = project(pyproject, files);
        let doc: toml::Table = toml::from_str(pyproject).unwrap();
        let result = stub_build(&dir, &doc, "demo", true);
        std::fs::remove_dir_all(&dir).unwrap();
        result
    }

    const HATCH: &str = "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"demo\"\nversion = \"1.0\"\n";
    const SETUPTOOLS: &str = "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n[project]\nname = \"demo\"\nversion = \"1.0\"\n";

    #[test]
    fn static_metadata_and_a_plain_package_are_copied() {
        let stub = check(HATCH, &["src/demo/__init__.py", "src/demo/data.json"]).unwrap();
        assert!(stub.overlay, "{}", stub.why);
        assert_eq!(stub.code, "src/demo");
        assert_eq!(stub.files, ["pyproject.toml"]);
        // setuptools ships modules only: a data file makes the copy differ from the wheel.
        let stub = check(SETUPTOOLS, &["src/demo/__init__.py", "src/demo/data.json"]).unwrap();
        assert!(!stub.overlay);
        assert!(stub.why.contains("data.json"), "{}", stub.why);
        assert!(
            check(SETUPTOOLS, &["src/demo/__init__.py"])
                .unwrap()
                .overlay
        );
    }

    #[test]
    fn plain_build_requirements_are_installed_once_others_keep_isolation() {
        let requires = |list: &str| {
            let toml = HATCH.replace("[\"hatchling\"]", list);
            check(&toml, &["src/demo/__init__.py"])
                .unwrap()
                .build_requires
        };
        assert_eq!(requires("[\"hatchling\"]"), Some(vec!["hatchling".into()]));
        assert_eq!(
            requires("[\"setuptools>=61,<80\", \"wheel\"]"),
            Some(vec!["setuptools>=61,<80".into(), "wheel".into()])
        );
        // Markers, URLs, shell characters or nothing at all: the backend's isolated build.
        for list in [
            "[\"hatchling; python_version > '3.8'\"]",
            "[\"hatchling @ https://example.com/h.whl\"]",
            "[\"hatchling$(touch x)\"]",
            "[]",
        ] {
            assert_eq!(requires(list), None, "{list}");
        }
    }

    #[test]
    fn what_needs_the_sources_gets_no_stand_in() {
        let dynamic = HATCH.replace("version = \"1.0\"\n", "dynamic = [\"version\"]\n");
        assert!(check(&dynamic, &["src/demo/__init__.py"])
            .unwrap_err()
            .contains("dynamic"));
        let hooks = format!("{HATCH}[tool.hatch.build.hooks.custom]\n");
        assert!(check(&hooks, &["src/demo/__init__.py"])
            .unwrap_err()
            .contains("hooks"));
        assert!(check(HATCH, &["src/demo/__init__.py", "setup.py"])
            .unwrap_err()
            .contains("setup.py"));
        let other = HATCH.replace("hatchling.build", "mesonpy");
        assert!(check(&other, &["src/demo/__init__.py"]).is_err());
        assert!(check(HATCH, &[]).unwrap_err().contains("src/demo"));
        // A wheel option that moves files: the wheel, not the copy.
        let moved = format!("{HATCH}[tool.hatch.build.targets.wheel]\nsources = [\"src\"]\n");
        assert!(!check(&moved, &["src/demo/__init__.py"]).unwrap().overlay);
    }

    #[test]
    fn licence_files_are_plain_files_of_the_project() {
        let licensed = HATCH.replace(
            "version = \"1.0\"\n",
            "version = \"1.0\"\nlicense = {file = \"LICENSE\"}\n",
        );
        let stub = check(&licensed, &["src/demo/__init__.py", "LICENSE"]).unwrap();
        assert_eq!(stub.files, ["pyproject.toml", "LICENSE"]);
        // A value that would add an instruction, or a path outside the project, is refused:
        // it never reaches the COPY line.
        for hostile in [
            "LICENSE\\nRUN curl x",
            "../../etc/passwd",
            "/etc/passwd",
            "LIC ENSE",
        ] {
            let doc = HATCH.replace(
                "version = \"1.0\"\n",
                &format!("version = \"1.0\"\nlicense = {{file = \"{hostile}\"}}\n"),
            );
            assert!(
                check(&doc, &["src/demo/__init__.py", "LICENSE"]).is_err(),
                "{hostile}"
            );
        }
        let globbed = HATCH.replace(
            "version = \"1.0\"\n",
            "version = \"1.0\"\nlicense-files = [\"LICEN[CS]E*\"]\n",
        );
        assert!(check(&globbed, &["src/demo/__init__.py"])
            .unwrap_err()
            .contains("glob"));
    }
}
