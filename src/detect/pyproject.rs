//! What `pyproject.toml` (read by `metadata`) says of the project itself: its name (or where
//! setuptools or the directory keeps it), version, description, readme, build backend, whether
//! its dependencies are static, whether it is an application tree run from /app, its Python
//! constraint, and the extra or dependency group its tests install. A value that reaches a
//! generated file is checked first (exit 2).

use std::path::Path;

use crate::answers::{Field, Raw};
use crate::error::Result;

use super::legacy::legacy_name;
use super::metadata::{mentions_pytest, Metadata};
use super::{highest_minor, refused, requirements, secret_rule, Detection, Lock};

/// The distribution name and why. A pyproject.toml that only names the build system
/// (setuptools with setup.cfg metadata) leaves the name where setuptools keeps it; an
/// application without one (`app_requirements`) is named after its directory.
pub(super) fn name(
    target: &Path,
    meta: &Metadata,
    app_requirements: bool,
) -> Option<(String, String)> {
    match &meta.name {
        Some(name) => Some((name.clone(), format!("pyproject.toml {}", meta.table))),
        None if app_requirements => {
            requirements::directory_name(target).map(|n| (n, "the directory's name".to_string()))
        }
        None => legacy_name(target).map(|(n, why)| (n, why.to_string())),
    }
}

/// The version, description, readme (a safe path the secret patterns leave in), backend,
/// whether the dependencies are static, and the `requires-python` constraint with the highest
/// Python it allows.
pub(super) fn describe(
    pyproject_path: &Path,
    doc: &toml::Table,
    meta: &Metadata,
    d: &mut Detection,
) -> Result<()> {
    d.facts.version = meta.version.clone();
    d.facts.description = meta.description.clone();
    if let Some(readme) = &meta.readme {
        // The Dockerfiles `COPY` it and .dockerignore names it: a path, never structure.
        if !crate::safety::is_safe_relative_path(readme) {
            return Err(refused(
                pyproject_path,
                &format!("{} readme", meta.table),
                readme,
                crate::safety::RELATIVE_PATH_RULE,
                "README.md",
            ));
        }
        // The build reads it (the wheel's METADATA; /app without a build system) and
        // .dockerignore re-includes it: a path the secret patterns exclude is never one.
        if let Some(pattern) = crate::secrets::secret_pattern(readme) {
            return Err(refused(
                pyproject_path,
                &format!("{} readme", meta.table),
                readme,
                &secret_rule(pattern),
                "README.md",
            ));
        }
        d.facts.readme = Some(readme.clone());
    }
    d.facts.backend = meta.backend.clone();
    d.facts.poetry_dependencies = meta.poetry_dependencies;
    d.facts.static_dependencies = meta.poetry_dependencies
        || doc
            .get("project")
            .and_then(|p| p.as_table())
            .is_some_and(|p| {
                !p.get("dynamic")
                    .and_then(|v| v.as_array())
                    .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("dependencies")))
            });
    if let Some(spec) = &meta.requires_python {
        d.facts.requires_python =
            Some((spec.clone(), format!("pyproject.toml {}", meta.python_key)));
        if let Some(minor) = highest_minor(spec) {
            d.answers
                .insert(Field::Python, Raw::Text(format!("3.{minor}")));
            d.origins
                .insert(Field::Python, format!("{} {spec}", meta.python_key));
        }
    }
    Ok(())
}

/// A PEP 621 project without a build system whose code runs from /app as it is: static
/// dependencies, no setup.py or setup.cfg, no console script, and an entry point (`main.py`,
/// `manage.py`, a UI script: `ui`) or a `uv.lock`.
pub(super) fn is_app_tree(
    target: &Path,
    doc: &toml::Table,
    meta: &Metadata,
    ui: bool,
    d: &Detection,
) -> bool {
    !doc.contains_key("build-system")
        && !meta.poetry_dependencies
        && doc.get("project").is_some_and(|p| p.is_table())
        && d.facts.static_dependencies
        && !target.join("setup.py").exists()
        && !target.join("setup.cfg").exists()
        && meta.scripts.is_empty()
        // Without these, PEP 517's setuptools fallback still builds a wheel of the package.
        && (target.join("main.py").is_file()
            || target.join("manage.py").is_file()
            || ui
            || d.facts.lock == Some(Lock::Uv))
}

/// Test tools: an extra or a dependency group that mentions pytest.
pub(super) fn test_tools(pyproject_path: &Path, meta: &Metadata, d: &mut Detection) -> Result<()> {
    d.facts.test_extra = meta
        .extras
        .iter()
        .find(|(_, reqs)| mentions_pytest(reqs))
        .map(|(n, _)| n.clone());
    d.facts.test_group = meta
        .groups
        .iter()
        .find(|(_, reqs)| mentions_pytest(reqs))
        .map(|(n, _)| n.clone());
    // Pasted into Python strings and shell words in Dockerfile.test: a name, never code.
    for (what, name) in [
        ("[project.optional-dependencies] extra", &d.facts.test_extra),
        ("dependency group", &d.facts.test_group),
    ] {
        if let Some(name) = name
            .as_deref()
            .filter(|n| !crate::safety::is_valid_extra_name(n))
        {
            return Err(refused(
                pyproject_path,
                what,
                name,
                crate::safety::EXTRA_NAME_RULE,
                "dev",
            ));
        }
    }
    Ok(())
}
