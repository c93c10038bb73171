//! A project that is a member of a uv workspace: the `uv.lock` is at the workspace root, a
//! directory above the project whose `pyproject.toml` has `[tool.uv.workspace]` and whose
//! `members` globs (minus `exclude`) match the project's path.
//!
//! The walk up is bounded: at most [`MAX_LEVELS`] directories, never past a directory with
//! `.git` (the repository's root) or the filesystem root. A root is used only inside the
//! project's git work tree (a `.git` at the root or above it, none between it and the project):
//! in a directory others write to (a shared `/tmp`) a planted `pyproject.toml` and `uv.lock`
//! would otherwise widen the build context to it; there is no flag to name a root outside a
//! work tree. Every member path the lock names must be a folder inside the root that its
//! `members` globs list (a hidden folder only where a glob spells the dot), with a
//! `pyproject.toml` whose name is the lock's, and no path the secret patterns exclude. Files above the project are read
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
use crate::secrets::secret_pattern;

use super::{refused, secret_rule, Detection};

/// How many directories above the project are looked at.
const MAX_LEVELS: usize = 8;

/// Finds the workspace the project at `target` belongs to (when it has no lock of its own);
/// the installer becomes uv, as for a project with its own `uv.lock`.
pub(super) fn detect_workspace(target: &Path, d: &mut Detection) -> Result<()> {
    let Some(root) = find_root(target) else {
        return Ok(());
    };
    let member = root.member.clone();
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
    if let Some(pattern) = secret_pattern(&member) {
        return Err(refused(
            &pyproject,
            "the project's path in its uv workspace",
            &member,
            &secret_rule(pattern),
            "packages/api",
        ));
    }
    // The member's own name, as uv selects it with `--package`.
    let name = fsread::read_in(target, &pyproject, fsread::PYPROJECT_MAX)
        .ok()
        .as_deref()
        .and_then(project_name);
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
    let lock = fsread::read_regular(&root.dir.join("uv.lock"), fsread::PYPROJECT_MAX)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .unwrap_or_default();
    let dependencies = member_dependencies(&lock, &package);
    for (dir, name) in &dependencies {
        check_lock_member(&root, dir, name).map_err(|(rule, example)| {
            refused(
                &pyproject,
                &format!(
                    "the path of workspace member `{name}` in the uv.lock of the uv workspace at {}",
                    root.dir.display()
                ),
                dir,
                &rule,
                example,
            )
        })?;
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
        dependencies: dependencies
            .into_iter()
            .map(|(dir, _)| dir)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    });
    Ok(())
}

/// A workspace root found above the project.
struct Root {
    /// Its canonical path.
    dir: PathBuf,
    /// The project's path from it.
    member: String,
    /// Its `members` and `exclude` globs, without `./` and trailing `/`.
    members: Vec<String>,
    exclude: Vec<String>,
}

impl Root {
    /// Whether uv counts the folder at `path` (from the root) as a member.
    fn lists(&self, path: &str) -> bool {
        self.members.iter().any(|g| glob_match(g, path))
            && !self.exclude.iter().any(|g| glob_match(g, path))
    }
}

/// `[project] name` of a `pyproject.toml`, normalised.
fn project_name(text: &str) -> Option<String> {
    let doc = toml::from_str::<toml::Table>(text).ok()?;
    doc.get("project")?
        .get("name")?
        .as_str()
        .map(normalize_name)
}

/// Checks one member path `dir` the lock gives for the package `name`: a safe relative path,
/// no secret, listed by the root's globs, a folder inside the root (no symlink out of it) with
/// a `pyproject.toml` named `name`. On failure: the rule broken and an example.
fn check_lock_member(
    root: &Root,
    dir: &str,
    name: &str,
) -> std::result::Result<(), (String, &'static str)> {
    const EXAMPLE: &str = "packages/lib";
    if !is_safe_relative_path(dir) {
        return Err((RELATIVE_PATH_RULE.to_string(), EXAMPLE));
    }
    if let Some(pattern) = secret_pattern(dir) {
        return Err((secret_rule(pattern), EXAMPLE));
    }
    if !root.lists(dir) {
        return Err((
            format!(
                "is not listed by the workspace's `members` globs {:?} (a hidden folder only where a glob names the dot): the lock does not match the workspace; run `uv lock` there",
                root.members
            ),
            EXAMPLE,
        ));
    }
    let folder = root.dir.join(dir);
    let inside = std::fs::canonicalize(&folder)
        .is_ok_and(|c| c.starts_with(&root.dir) && c != root.dir && c.is_dir());
    if !inside {
        return Err((
            "must be a folder inside the workspace root (not a symlink out of it)".into(),
            EXAMPLE,
        ));
    }
    let found = match fsread::read_in(&root.dir, &folder.join("pyproject.toml"), fsread::PYPROJECT_MAX) {
        Ok(text) => project_name(&text),
        Err(_) => {
            return Err((
                "must be a folder with a readable pyproject.toml: the lock does not match the workspace; run `uv lock` there".into(),
                EXAMPLE,
            ))
        }
    };
    if found.as_deref() != Some(name) {
        return Err((
            format!(
                "must hold the pyproject.toml of `{name}`, but its [project] name is {}: the lock does not match the workspace; run `uv lock` there",
                found.map_or("missing".to_string(), |f| format!("`{}`", crate::safety::shown(&f)))
            ),
            EXAMPLE,
        ));
    }
    Ok(())
}

/// The nearest directory above `target` whose `pyproject.toml` declares a uv workspace that
/// has the project as a member and a `uv.lock` beside it, inside the project's git work tree.
fn find_root(target: &Path) -> Option<Root> {
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
            let root = Root {
                dir: dir.to_path_buf(),
                member: relative(&target, dir)?,
                members: globs("members"),
                exclude: globs("exclude"),
            };
            let locked = std::fs::symlink_metadata(dir.join("uv.lock")).is_ok_and(|m| m.is_file());
            // No `.git` lies between the project and `dir` (the walk stops at one): a `.git`
            // at `dir` or above it makes both one work tree.
            let in_work_tree = dir.ancestors().any(|a| a.join(".git").exists());
            return (root.lists(&root.member) && locked && in_work_tree).then_some(root);
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
/// A hidden folder (`.gnupg`) matches only a component that spells its dot: stricter than uv,
/// so that `members = ["*"]` does not take in a home directory's dot-folders.
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
                || (path.first().is_some_and(|s| !s.starts_with('.'))
                    && match_parts(pattern, &path[1..]))
        }
        (Some(p), Some(s)) => {
            (!s.starts_with('.') || p.starts_with('.'))
                && match_component(p.as_bytes(), s.as_bytes())
                && match_parts(&pattern[1..], &path[1..])
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

/// The directories of the workspace members `package` needs at run time, per `uv.lock`, each
/// with the (normalised) package name the lock gives it: the packages reached through
/// `dependencies` (not extras or groups) whose source is a directory of the workspace
/// (`editable` or `directory`).
fn member_dependencies(lock: &toml::Table, package: &str) -> BTreeSet<(String, String)> {
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
                    dirs.insert((dir.to_string(), current.clone()));
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
        // A hidden folder only where the glob spells the dot.
        assert!(!glob_match("*", ".gnupg"));
        assert!(!glob_match("**/gh", ".config/gh"));
        assert!(glob_match(".config/*", ".config/gh"));
        assert!(glob_match("*", "Documents"));
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
            [
                ("packages/core".to_string(), "acme-core".to_string()),
                ("packages/lib".to_string(), "acme-lib".to_string())
            ]
        );
    }
}
