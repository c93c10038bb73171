//! Writes a plan: all files or none. Every new content goes to a temporary file next to its
//! destination first; only when all of them are written are they renamed into place.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::plan::{Action, Plan};

/// Writes every `create`, `overwrite` and `update` entry of `plan`, or nothing at all.
///
/// Refuses (exit 3, nothing written) when the plan has conflicts.
pub fn write(plan: &Plan) -> Result<()> {
    let conflicts = plan.conflicts();
    if !conflicts.is_empty() {
        return Err(Error::Conflicts(conflicts));
    }
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<(PathBuf, PathBuf, Action)> = Vec::new();

    let result = (|| {
        for entry in plan.entries.iter().filter(|e| {
            matches!(
                e.action,
                Action::Create | Action::Overwrite | Action::Update
            )
        }) {
            let dest = plan.target.join(&entry.path);
            let parent = dest.parent().unwrap_or(&plan.target).to_path_buf();
            create_dirs(&parent, &mut created_dirs)?;
            let tmp = temp_path(&dest);
            // Staged first so that a half-written temporary file is cleaned up too.
            staged.push((tmp.clone(), dest, entry.action));
            write_file(&tmp, entry.contents.as_bytes())?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        cleanup(&staged, 0, &created_dirs);
        return Err(e);
    }

    for (i, (tmp, dest, _)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, dest) {
            cleanup(&staged, i, &created_dirs);
            return Err(Error::io("cannot move into place", dest, e));
        }
    }
    Ok(())
}

/// Creates `dir` and its missing parents, remembering which ones were new (for rollback).
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        // An empty path is the current directory of a relative target: it exists.
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    for d in missing.into_iter().rev() {
        std::fs::create_dir(&d).map_err(|e| Error::io("cannot create directory", &d, e))?;
        created.push(d);
    }
    Ok(())
}

fn temp_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.dockwright-{}.tmp", std::process::id()))
}

/// Writes a temporary file. No fsync: the guarantee is against a failed or interrupted run
/// (every file or none is renamed into place), not against power loss, and an fsync per file
/// would cost more than the whole render (tens of milliseconds on a busy disk).
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::File::create(path).map_err(|e| Error::io("cannot create", path, e))?;
    f.write_all(bytes)
        .map_err(|e| Error::io("cannot write", path, e))
}

/// Undoes a failed write: removes temporaries not yet renamed, files created by the renames
/// already done, and the directories this run created (overwritten files cannot be restored
/// once renamed, which is why the renames come last and are the only step that can leave a trace).
fn cleanup(staged: &[(PathBuf, PathBuf, Action)], renamed: usize, created_dirs: &[PathBuf]) {
    for (i, (tmp, dest, action)) in staged.iter().enumerate() {
        if i < renamed {
            if *action == Action::Create {
                let _ = std::fs::remove_file(dest);
            }
        } else {
            let _ = std::fs::remove_file(tmp);
        }
    }
    for d in created_dirs.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
}

/// The plan as text, one line per file: `  create     Dockerfile`.
pub fn describe(plan: &Plan, dry_run: bool) -> String {
    let mut out = String::new();
    let header = if dry_run {
        "plan (dry run, nothing written)"
    } else {
        "wrote"
    };
    out.push_str(&format!("{header} for {}:\n", plan.target.display()));
    for e in &plan.entries {
        let note = match e.action {
            Action::Conflict => "  (differs; --force overwrites)",
            _ => "",
        };
        out.push_str(&format!(
            "  {:<10} {}{note}\n",
            e.action.to_string(),
            e.path.display()
        ));
    }
    let updates = plan.count(Action::Update);
    let updated = if updates > 0 {
        format!(", {updates} to update")
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{} to create, {} unchanged{updated}, {} to overwrite, {} in conflict\n",
        plan.count(Action::Create),
        plan.count(Action::Unchanged),
        plan.count(Action::Overwrite),
        plan.count(Action::Conflict)
    ));
    out
}

/// Unified diffs of every file the plan would change (`--dry-run --diff`).
pub fn diff(plan: &Plan) -> String {
    let mut out = String::new();
    for e in plan
        .entries
        .iter()
        .filter(|e| e.action != Action::Unchanged)
    {
        let old = e.existing.as_deref().unwrap_or("");
        let path = e.path.display().to_string();
        let (from, to) = match e.action {
            Action::Create => ("/dev/null".to_string(), format!("b/{path}")),
            _ => (format!("a/{path}"), format!("b/{path}")),
        };
        let text = similar::TextDiff::from_lines(old, e.contents.as_str());
        out.push_str(
            &text
                .unified_diff()
                .context_radius(3)
                .header(&from, &to)
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rendered;

    fn rendered(files: &[(&str, &str)]) -> Rendered {
        files
            .iter()
            .map(|(p, c)| (PathBuf::from(p), c.to_string()))
            .collect()
    }

    #[test]
    fn conflicts_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b"), "mine").unwrap();
        let plan = Plan::new(
            dir.path(),
            rendered(&[("a/x", "1"), ("b", "theirs")]),
            false,
        )
        .unwrap();
        assert!(matches!(write(&plan), Err(Error::Conflicts(_))));
        assert!(!dir.path().join("a").exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn writes_everything_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let plan = Plan::new(dir.path(), rendered(&[("a/b/x", "1"), ("y", "2")]), false).unwrap();
        write(&plan).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a/b/x")).unwrap(),
            "1"
        );
        let names: Vec<_> = walkdir::WalkDir::new(dir.path())
            .into_iter()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn a_failed_write_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("d")).unwrap();
        // A directory squatting on the temporary file's name makes that write fail, even as root.
        std::fs::create_dir(temp_path(&dir.path().join("d/y"))).unwrap();
        let plan = Plan::new(dir.path(), rendered(&[("a/x", "1"), ("d/y", "2")]), false).unwrap();
        assert!(matches!(write(&plan), Err(Error::Io { .. })));
        assert!(
            !dir.path().join("a").exists(),
            "the directory created for a/x is removed again"
        );
        assert!(!dir.path().join("d/y").exists());
    }
}
