//! A build system that is a token: its wheel would leave out the top-level module the command
//! imports, so the project runs as an app tree.

use std::path::Path;

use super::tool;

/// Why a project whose `pyproject.toml` names a build system must run as an app tree all the
/// same: the command imports `module` (`app` of `app:app`), a top-level `module.py` beside the
/// packages that the backend would leave out of the wheel (setuptools and hatchling ship the
/// packages they find, flit and uv_build the module named like the project), so the wheel's
/// install would fail to import it. `None` when the wheel holds it.
pub fn token_build(
    target: &Path,
    doc: &toml::Table,
    packages: &[String],
    module: &str,
) -> Option<String> {
    if !doc.contains_key("build-system") || module.contains('.') {
        return None;
    }
    let file = format!("{module}.py");
    if !target.join(&file).is_file() || packages.iter().any(|p| p.split('.').next() == Some(module))
    {
        return None;
    }
    let listed = |path: &[&str]| {
        tool(doc, path).and_then(|v| v.as_array()).is_some_and(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .any(|x| x.trim_start_matches('/') == file || x == module)
        })
    };
    let named = |path: &[&str]| tool(doc, path).and_then(|v| v.as_str()) == Some(module);
    let project_name = doc
        .get("project")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(|n| n.replace('-', "_").to_lowercase());
    let backend = doc
        .get("build-system")
        .and_then(|b| b.get("build-backend"))
        .and_then(|b| b.as_str())
        .unwrap_or_default();
    let force_included = tool(
        doc,
        &["hatch", "build", "targets", "wheel", "force-include"],
    )
    .and_then(|t| t.as_table())
    .is_some_and(|t| t.keys().any(|k| *k == file));
    let ships = listed(&["setuptools", "py-modules"])
        || listed(&["hatch", "build", "targets", "wheel", "include"])
        || listed(&["hatch", "build", "targets", "wheel", "only-include"])
        || listed(&["hatch", "build", "include"])
        || force_included
        || named(&["flit", "module", "name"])
        || named(&["uv", "build-backend", "module-name"])
        || (matches!(backend, "flit_core.buildapi" | "uv_build")
            && project_name.as_deref() == Some(module));
    if ships {
        return None;
    }
    // The other top-level modules it imports, which the wheel would leave out too.
    let text = crate::fsread::read_in(target, &target.join(&file), crate::fsread::FILE_MAX)
        .unwrap_or_default();
    let mut beside: Vec<String> = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let imported = match words.as_slice() {
            ["import", m, ..] | ["from", m, "import", ..] => m.trim_end_matches(','),
            _ => continue,
        };
        let top = imported.split('.').next().unwrap_or_default();
        let f = format!("{top}.py");
        if top != module
            && !beside.contains(&f)
            && top.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && target.join(&f).is_file()
        {
            beside.push(f);
        }
    }
    let also = if beside.is_empty() {
        String::new()
    } else {
        format!(" or {}", beside.join(", "))
    };
    Some(format!(
        "the build system is a token; its wheel would leave out {file}{also}, which the command imports"
    ))
}
