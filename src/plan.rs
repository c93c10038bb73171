//! Compares rendered files with the disk: what would be created, left unchanged, overwritten,
//! or is in conflict. Reads only; writing is `output`'s job.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::answers::file::hash;
use crate::error::{Error, Result};
use crate::merge::{three_way, Merged};
use crate::model::{Rendered, BACKUP_DIR, BASE_DIR, RECORD_FILE};

/// The merge base: what dockwright wrote last time. A file on disk still exactly as dockwright
/// wrote it holds no edit of the user's, so it may be replaced without `--force`, also after an
/// upgrade changed the blueprints.
#[derive(Debug, Clone, Default)]
pub struct Base {
    /// `[files]` of `.dockwright.toml`: path → content hash as written.
    pub hashes: BTreeMap<PathBuf, String>,
    /// For a record without hashes (written by dockwright 0.1.0): the files its answers render
    /// to with today's blueprints.
    pub pristine: Rendered,
    /// Files that were read as input and so are replaced by what they produced (the record).
    pub consumed: BTreeSet<PathBuf>,
    /// The verified text of each file as dockwright rendered it last time (`store`): the base
    /// a file the user edited is merged from.
    pub texts: BTreeMap<PathBuf, String>,
}

impl Base {
    /// Whether `bytes` at `path` are exactly what dockwright wrote there.
    fn owns(&self, path: &Path, bytes: &[u8]) -> bool {
        if self.consumed.contains(path) || path.starts_with(BASE_DIR) {
            return true;
        }
        if let Some(recorded) = self.hashes.get(path) {
            return std::str::from_utf8(bytes).is_ok_and(|text| hash(text) == *recorded);
        }
        self.pristine
            .get(path)
            .is_some_and(|p| p.as_bytes() == bytes)
    }
}

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The file does not exist yet.
    Create,
    /// The file exists with exactly these bytes.
    Unchanged,
    /// The file differs and `--force` was given.
    Overwrite,
    /// The user's file keeps every byte and gains lines (the justfile's `import` line).
    Update,
    /// The file differs (or a directory is in the way) and `--force` was not given.
    Conflict,
    /// The user edited the file and the edit merges cleanly with what dockwright renders now.
    Merge,
    /// Written, but the merge conflicts: the file with conflict markers, or (`--conflict rej`)
    /// `FILE.rej` beside the untouched file. The run then exits 3.
    Unmerged,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Create => "create",
            Action::Unchanged => "unchanged",
            Action::Overwrite => "overwrite",
            Action::Update => "update",
            Action::Conflict => "conflict",
            Action::Merge => "merge",
            Action::Unmerged => "unmerged",
        })
    }
}

/// One file of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the target.
    pub path: PathBuf,
    pub action: Action,
    /// What would be written.
    pub contents: String,
    /// What is there now, when the file exists and differs.
    pub existing: Option<String>,
}

/// Every rendered file with its action, in path order.
#[derive(Debug, Clone)]
pub struct Plan {
    pub target: PathBuf,
    pub entries: Vec<Entry>,
}

impl Plan {
    /// Builds the plan for writing `rendered` under `target`.
    pub fn new(target: &Path, rendered: Rendered, force: bool) -> Result<Plan> {
        Plan::build(target, rendered, force, &[], &Base::default())
    }

    /// The general form. Files in `appendable` (the user's justfile) may grow without `--force`
    /// as long as the new contents keep every old byte as a prefix. `base` says what dockwright
    /// wrote last time; a file still exactly so may be replaced without `--force`, because no
    /// edit of the user's is lost.
    pub fn build(
        target: &Path,
        rendered: Rendered,
        force: bool,
        appendable: &[PathBuf],
        base: &Base,
    ) -> Result<Plan> {
        let mut entries = Vec::with_capacity(rendered.len());
        for (path, contents) in rendered {
            check_inside(target, &path)?;
            let full = target.join(&path);
            let (action, existing) = match std::fs::symlink_metadata(&full) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Action::Create, None),
                Err(e) => return Err(Error::io("cannot read", full, e)),
                Ok(meta) if meta.is_file() => {
                    let bytes = match crate::fsread::read_bytes_in(
                        target,
                        &full,
                        crate::fsread::PYPROJECT_MAX,
                    ) {
                        Ok(b) => b,
                        // Too large to compare (or to show in a diff): it differs.
                        Err(crate::fsread::ReadError::TooLarge(_)) => {
                            let action = if force {
                                Action::Overwrite
                            } else {
                                Action::Conflict
                            };
                            entries.push(Entry {
                                path,
                                action,
                                contents,
                                existing: None,
                            });
                            continue;
                        }
                        Err(e) => return Err(e.into_error(&full)),
                    };
                    let existing = Some(String::from_utf8_lossy(&bytes).into_owned());
                    if bytes == contents.as_bytes() {
                        (Action::Unchanged, None)
                    } else if appendable.contains(&path) && contents.as_bytes().starts_with(&bytes)
                    {
                        (Action::Update, existing)
                    } else if force || base.owns(&path, &bytes) {
                        (Action::Overwrite, existing)
                    } else {
                        (Action::Conflict, existing)
                    }
                }
                // A directory or a symlink where a file should go is never replaced silently.
                Ok(_) => (Action::Conflict, None),
            };
            entries.push(Entry {
                path,
                action,
                contents,
                existing,
            });
        }
        Ok(Plan {
            target: target.to_path_buf(),
            entries,
        })
    }

    /// Adds, for every file the plan overwrites, a copy of what is there now under
    /// `.dockwright/backup/` (same relative path), written in the same all-or-nothing run.
    /// A backup left by an earlier run is replaced.
    /// Files dockwright wrote and nobody edited since (`base`) need no copy.
    pub fn with_backups(mut self, base: &Base) -> Result<Plan> {
        let mut backups = Vec::new();
        for e in &self.entries {
            let (Action::Overwrite, Some(old)) = (e.action, &e.existing) else {
                continue;
            };
            // The record is dockwright's own, rewritten on every run: it needs no copy.
            if e.path == Path::new(RECORD_FILE) || base.owns(&e.path, old.as_bytes()) {
                continue;
            }
            let path = Path::new(BACKUP_DIR).join(&e.path);
            check_inside(&self.target, &path)?;
            let (action, existing) = match crate::fsread::read_in(
                &self.target,
                &self.target.join(&path),
                crate::fsread::PYPROJECT_MAX,
            ) {
                Ok(text) if text == *old => (Action::Unchanged, None),
                Ok(text) => (Action::Overwrite, Some(text)),
                Err(e) if e.is_not_found() => (Action::Create, None),
                Err(_) => (Action::Conflict, None),
            };
            backups.push(Entry {
                path,
                action,
                contents: old.clone(),
                existing,
            });
        }
        self.entries.extend(backups);
        self.entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(self)
    }

    /// Merges each file in conflict that the user edited, when `base` holds what dockwright
    /// rendered there last time: base, the file now (ours) and this run's render (theirs). A
    /// clean merge that changes nothing leaves the file unchanged, another is a `merge`; a
    /// conflicted one is `unmerged`, written with markers, or with `rej` left untouched and
    /// `FILE.rej` (the change dockwright could not apply, as a unified diff) written beside.
    /// A file with no base (an older record), or too large to merge, stays a conflict.
    pub fn merge_edits(mut self, base: &Base, rej: bool) -> Result<Plan> {
        let mut rejects = Vec::new();
        let mut kept = Vec::new();
        for (i, e) in self.entries.iter_mut().enumerate() {
            let (Action::Conflict, Some(ours), Some(old)) =
                (e.action, &e.existing, base.texts.get(&e.path))
            else {
                continue;
            };
            match three_way(old, ours, &e.contents) {
                None => {}
                Some(Merged::Clean(text)) if text == *ours => {
                    e.action = Action::Unchanged;
                    e.contents = text;
                    e.existing = None;
                }
                Some(Merged::Clean(text)) => {
                    e.action = Action::Merge;
                    e.contents = text;
                }
                Some(Merged::Conflicts(text)) if !rej => {
                    e.action = Action::Unmerged;
                    e.contents = text;
                }
                Some(Merged::Conflicts(_)) => {
                    let mut name = e.path.clone().into_os_string();
                    name.push(".rej");
                    let path = PathBuf::from(name);
                    let shown = e.path.display().to_string();
                    let patch = similar::TextDiff::from_lines(old.as_str(), e.contents.as_str())
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{shown}"), &format!("b/{shown}"))
                        .to_string();
                    rejects.push((path, patch));
                    kept.push(i);
                }
            }
        }
        for i in kept.into_iter().rev() {
            self.entries.remove(i);
        }
        for (path, patch) in rejects {
            check_inside(&self.target, &path)?;
            let existing = match crate::fsread::read_in(
                &self.target,
                &self.target.join(&path),
                crate::fsread::PYPROJECT_MAX,
            ) {
                Ok(text) => Some(text),
                Err(e) if e.is_not_found() => None,
                // Something that is not a readable file is in the way: never replaced.
                Err(_) => {
                    self.entries.push(Entry {
                        path,
                        action: Action::Conflict,
                        contents: patch,
                        existing: None,
                    });
                    continue;
                }
            };
            self.entries.push(Entry {
                path,
                action: Action::Unmerged,
                contents: patch,
                existing,
            });
        }
        self.entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(self)
    }

    /// The files written with conflicts (`FILE` or `FILE.rej`).
    pub fn unmerged(&self) -> Vec<PathBuf> {
        self.entries
            .iter()
            .filter(|e| e.action == Action::Unmerged)
            .map(|e| e.path.clone())
            .collect()
    }

    /// Whether the plan keeps a copy of `path` in `.dockwright/backup/`.
    pub fn backs_up(&self, path: &Path) -> bool {
        let copy = Path::new(BACKUP_DIR).join(path);
        self.entries.iter().any(|e| e.path == copy)
    }

    pub fn conflicts(&self) -> Vec<PathBuf> {
        self.entries
            .iter()
            .filter(|e| e.action == Action::Conflict)
            .map(|e| e.path.clone())
            .collect()
    }

    /// How many files get `action`; the base store's copies (`.dockwright/base/`) not counted.
    pub fn count(&self, action: Action) -> usize {
        self.entries
            .iter()
            .filter(|e| e.action == action && !e.path.starts_with(BASE_DIR))
            .count()
    }
}

/// Refuses paths with `..`, absolute parts, or an existing symlinked directory on the way:
/// anything that could make a write land outside `target`.
fn check_inside(target: &Path, rel: &Path) -> Result<()> {
    let escape = || Error::Escape {
        path: rel.to_path_buf(),
        target: target.to_path_buf(),
    };
    if rel.as_os_str().is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(escape());
    }
    let mut dir = target.to_path_buf();
    let parents: Vec<_> = rel.components().collect();
    for comp in &parents[..parents.len() - 1] {
        dir.push(comp);
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(escape());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_follow_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("same"), "a").unwrap();
        std::fs::write(dir.path().join("diff"), "old").unwrap();
        let rendered: Rendered = [("same", "a"), ("diff", "new"), ("new/file", "x")]
            .into_iter()
            .map(|(p, c)| (PathBuf::from(p), c.to_string()))
            .collect();
        let plan = Plan::new(dir.path(), rendered.clone(), false).unwrap();
        let actions: Vec<_> = plan
            .entries
            .iter()
            .map(|e| (e.path.to_str().unwrap(), e.action))
            .collect();
        assert_eq!(
            actions,
            [
                ("diff", Action::Conflict),
                ("new/file", Action::Create),
                ("same", Action::Unchanged)
            ]
        );
        let forced = Plan::new(dir.path(), rendered, true).unwrap();
        assert_eq!(forced.entries[0].action, Action::Overwrite);
    }

    #[test]
    fn escapes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x"] {
            let rendered: Rendered = [(PathBuf::from(bad), String::new())].into_iter().collect();
            assert!(
                matches!(
                    Plan::new(dir.path(), rendered, false),
                    Err(Error::Escape { .. })
                ),
                "{bad}"
            );
        }
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
            let rendered: Rendered = [(PathBuf::from("link/x"), String::new())]
                .into_iter()
                .collect();
            assert!(matches!(
                Plan::new(dir.path(), rendered, false),
                Err(Error::Escape { .. })
            ));
        }
    }
}
