//! A project that is a member of a uv workspace: the `uv.lock` is at the workspace root, a
//! directory above the project whose `pyproject.toml` has `[tool.uv.workspace]` and whose
//! `members` globs (minus `exclude`) match the project's path.
//!
//! The walk up is bounded: at most [`MAX_LEVELS`] directories, never past a directory with
//! `.git` (the repository's root) or the filesystem root. Files above the project are read
//! only as regular files, never through a symlink (`fsread::read_regular`), within the usual
//! caps. Every path that reaches a generated file is checked with
//! `safety::is_safe_relative_path`; the root is written as `..` components only.

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::answers::{normalize_name, Field, Raw};
use crate::error::Result;
use crate::facts::Workspace;
use crate::fsread;
use crate::safety::{is_safe_relative_path, is_valid_extra_name, RELATIVE_PATH_RULE};

use super::{refused, Detection};

/// How many directories above the project are looked at.
const MAX_LEVELS: usize = 8;

/// Finds the workspace the project at `target` belongs to (when it has no lock of its own);
/// the installer becomes uv, as for a project with its own `uv.lock`.
pub(super) fn detect_workspace(target: &Path, d: &mut Detection) -> Result<()> {
    let Some((root, member)) = find_root(target) else {
        return Ok(());
    };
    let pyproject = target.join("pyproject.toml");
    if !is_safe_relative_path(&member) {
        return Err(refused(
            &pyproject,
            "the project's path in its uv workspace",
            &member,
            RELATIVE_PATH_RULE,
            "packages/api",
        ));
    }
    // The member's own name, as uv selects it with `--package`.
    let name = fsread::read_in(target, &pyproject, fsread::PYPROJECT_MAX)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .and_then(|doc| {
            doc.get("project")?
                .get("name")?
                .as_str()
                .map(normalize_name)
        });
    let Some(package) = name else {
        return Ok(());
    };
    if !is_valid_extra_name(&package) {
        return Err(refused(
            &pyproject,
            "[project] name",
            &package,
            "must be a valid distribution name: ASCII letters and digits, with `.`, `_` or `-` inside",
            "acme-api",
        ));
    }
    let lock = fsread::read_regular(&root.join("uv.lock"), fsread::PYPROJECT_MAX)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .unwrap_or_default();
    let dependencies = member_dependencies(&lock, &package);
    if let Some(bad) = dependencies.iter().find(|p| !is_safe_relative_path(p)) {
        return Err(refused(
            &pyproject,
            "a workspace member's path in the workspace's uv.lock",
            bad,
            RELATIVE_PATH_RULE,
            "packages/lib",
        ));
    }
    let levels = Path::new(&member).components().count();
    let root_rel = vec![".."; levels].join("/");
    d.answers.insert(Field::Installer, Raw::Text("uv".into()));
    d.origins.insert(
        Field::Installer,
        format!("uv.lock of the uv workspace at {root_rel}"),
    );
    d.facts.workspace = Some(Workspace {
        root: root_rel,
        member,
        package,
        dependencies: dependencies.into_iter().collect(),
    });
    Ok(())
}

/// The nearest directory above `target` whose `pyproject.toml` declares a uv workspace that
/// has the project as a member and a `uv.lock` beside it, and the project's path from there.
fn find_root(target: &Path) -> Option<(PathBuf, String)> {
    let target = std::fs::canonicalize(target).ok()?;
    if target.join(".git").exists() {
        return None;
    }
    for dir in target.ancestors().skip(1).take(MAX_LEVELS) {
        let text = fsread::read_regular(&dir.join("pyproject.toml"), fsread::PYPROJECT_MAX);
        if let Some(workspace) = text
            .ok()
            .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
            .and_then(|doc| doc.get("tool")?.get("uv")?.get("workspace").cloned())
        {
            // uv's nearest workspace is the one: a project it does not list is no member.
            let member = relative(&target, dir)?;
            let globs = |key: &str| -> Vec<String> {
                workspace
                    .get(key)
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|g| g.as_str())
                            .map(|g| g.trim_start_matches("./").trim_end_matches('/').into())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let listed = globs("members").iter().any(|g| glob_match(g, &member))
                && !globs("exclude").iter().any(|g| glob_match(g, &member));
            let locked = std::fs::symlink_metadata(dir.join("uv.lock")).is_ok_and(|m| m.is_file());
            return (listed && locked).then(|| (dir.to_path_buf(), member));
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// `target` relative to its ancestor `root`, with `/` separators; `None` when a component is
/// not UTF-8.
fn relative(target: &Path, root: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = target
        .strip_prefix(root)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

/// Whether `path` matches the glob `pattern`, component by component: `*` and `?` within a
/// component, `**` for any number of components (the globs uv's `members` and `exclude` use).
fn glob_match(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    let path: Vec<&str> = path.split('/').collect();
    match_parts(&pattern, &path)
}

fn match_parts(pattern: &[&str], path: &[&str]) -> bool {
    match (pattern.first(), path.first()) {
        (None, None) => true,
        (Some(&"**"), _) => {
            match_parts(&pattern[1..], path)
                || (!path.is_empty() && match_parts(pattern, &path[1..]))
        }
        (Some(p), Some(s)) => {
            match_component(p.as_bytes(), s.as_bytes()) && match_parts(&pattern[1..], &path[1..])
        }
        _ => false,
    }
}

fn match_component(pattern: &[u8], name: &[u8]) -> bool {
    match (pattern.first(), name.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            match_component(&pattern[1..], name)
                || (!name.is_empty() && match_component(pattern, &name[1..]))
        }
        (Some(b'?'), Some(_)) => match_component(&pattern[1..], &name[1..]),
        (Some(p), Some(n)) => p == n && match_component(&pattern[1..], &name[1..]),
        _ => false,
    }
}

/// The directories of the workspace members `package` needs at run time, per `uv.lock`: the
/// packages reached through `dependencies` (not extras or groups) whose source is a directory
/// of the workspace (`editable` or `directory`).
fn member_dependencies(lock: &toml::Table, package: &str) -> BTreeSet<String> {
    let packages: Vec<&toml::Table> = lock
        .get("package")
        .and_then(|p| p.as_array())
        .map(|a| a.iter().filter_map(|p| p.as_table()).collect())
        .unwrap_or_default();
    let name_of = |p: &toml::Table| p.get("name").and_then(|n| n.as_str()).map(normalize_name);
    let mut seen = BTreeSet::from([package.to_string()]);
    let mut queue = VecDeque::from([package.to_string()]);
    let mut dirs = BTreeSet::new();
    while let Some(current) = queue.pop_front() {
        for entry in packages
            .iter()
            .filter(|p| name_of(p).as_deref() == Some(&current))
        {
            if current != package {
                let source = entry.get("source").and_then(|s| s.as_table());
                if let Some(dir) = source
                    .and_then(|s| s.get("editable").or_else(|| s.get("directory")))
                    .and_then(|d| d.as_str())
                {
                    dirs.insert(dir.to_string());
                }
            }
            let deps = entry.get("dependencies").and_then(|d| d.as_array());
            for dep in deps.into_iter().flatten() {
                if let Some(name) = dep.get("name").and_then(|n| n.as_str()).map(normalize_name) {
                    if seen.insert(name.clone()) {
                        queue.push_back(name);
                    }
                }
            }
        }
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_by_component() {
        assert!(glob_match("packages/*", "packages/api"));
        assert!(!glob_match("packages/*", "packages/api/sub"));
        assert!(!glob_match("packages/*", "libs/api"));
        assert!(glob_match("**/api", "a/b/api"));
        assert!(glob_match("libs/a?i", "libs/api"));
        assert!(glob_match("api", "api"));
    }

    #[test]
    fn lock_graph_gives_the_members_a_package_needs() {
        let lock: toml::Table = toml::from_str(
            r#"
[[package]]
name = "acme-api"
source = { editable = "packages/api" }
dependencies = [{ name = "acme-lib" }, { name = "click" }]
[[package]]
name = "acme_lib"
source = { editable = "packages/lib" }
dependencies = [{ name = "acme-core" }]
[[package]]
name = "acme-core"
source = { directory = "packages/core" }
[[package]]
name = "acme-other"
source = { editable = "packages/other" }
[[package]]
name = "click"
source = { registry = "https://pypi.org/simple" }
"#,
        )
        .unwrap();
        assert_eq!(
            member_dependencies(&lock, "acme-api")
                .into_iter()
                .collect::<Vec<_>>(),
            ["packages/core", "packages/lib"]
        );
    }
}
