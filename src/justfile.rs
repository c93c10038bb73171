//! A project that already has a justfile keeps it: the recipes go to `docker.just` and the
//! user's justfile gains exactly one `import 'docker.just'` line (once; re-runs add nothing).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Rendered, DOCKER_JUST, USER_JUSTFILES};

/// Adds the user's justfile, with the import line appended, to `rendered` (when it needs it).
/// `has_justfile`: the user has a justfile of their own (not one dockwright wrote).
pub fn import_into_user_justfile(
    target: &Path,
    has_justfile: bool,
    rendered: &mut Rendered,
) -> Result<()> {
    if !has_justfile {
        return Ok(());
    }
    let Some(name) = USER_JUSTFILES
        .into_iter()
        .find(|n| target.join(n).is_file())
    else {
        return Ok(());
    };
    let path = target.join(name);
    let existing = crate::fsread::read_in(target, &path, crate::fsread::FILE_MAX)
        .map_err(|e| e.into_error(&path))?;
    if let Some(recipes) = rendered.get(Path::new(DOCKER_JUST)) {
        let clashes = clashing_recipes(&existing, recipes);
        if !clashes.is_empty() {
            return Err(Error::Project {
                path,
                reason: format!(
                    "it already defines {}, which docker.just would define too (just refuses duplicate recipes); rename yours, then run dockwright again",
                    clashes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    if has_import(&existing) {
        return Ok(());
    }
    let mut updated = existing.clone();
    if !updated.is_empty() && !updated.ends_with('\n') {
        updated.push('\n');
    }
    updated.push_str(&format!("import '{DOCKER_JUST}'"));
    updated.push('\n');
    rendered.insert(PathBuf::from(name), updated);
    Ok(())
}

fn has_import(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l.starts_with("import") && l.contains(DOCKER_JUST)
    })
}

/// Recipe names that start a line (`name …:`) in both files.
fn clashing_recipes(user: &str, ours: &str) -> Vec<String> {
    let ours = recipe_names(ours);
    recipe_names(user)
        .into_iter()
        .filter(|n| ours.contains(n))
        .collect()
}

fn recipe_names(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '[']) && !l.contains(":="))
        .filter_map(|l| l.split_once(':').map(|(head, _)| head))
        .filter_map(|head| head.trim_start_matches('@').split_whitespace().next())
        .filter(|n| {
            n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !n.is_empty()
        })
        .filter(|n| !matches!(*n, "set" | "import" | "mod" | "alias" | "export"))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipe_names_are_found() {
        let text = "set shell := [\"bash\"]\nx := \"1\"\n# c\nbuild:\n    cargo build\n@test arg=\"1\": build\n    echo\n[private]\nhelper:\n";
        assert_eq!(recipe_names(text), ["build", "test", "helper"]);
    }

    #[test]
    fn import_is_detected() {
        assert!(has_import("a:\n\nimport 'docker.just'\n"));
        assert!(has_import("import \"docker.just\"\n"));
        assert!(!has_import("a:\n  echo docker.just\n"));
    }
}
