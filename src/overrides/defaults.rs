//! Org-wide defaults for answers: `defaults.toml` in a `--blueprints` folder, the project's
//! `.dockwright/defaults.toml` and the user's `~/.config/dockwright/defaults.toml`, highest
//! first. Each is read exactly as an answers file (`[answers]`, the same keys, types and rules;
//! an unknown key is refused with the list of keys) and holds nothing else. They sit below
//! detection: flag > answers file (or the record) > detected > defaults.toml > built-in default
//! (see `docs/overrides.md`).

use std::path::{Path, PathBuf};

use super::{config_dir, Overrides, SourceKind};
use crate::answers::{read_answers_file, Partial};
use crate::error::{Error, Result};

/// The file's name in each place.
pub const DEFAULTS_FILE: &str = "defaults.toml";

/// The defaults files that exist, highest first, each as a layer of answers.
pub fn load(target: &Path, overrides: &Overrides) -> Result<Vec<(PathBuf, Partial)>> {
    let mut places: Vec<PathBuf> = overrides
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Flag)
        .map(|s| s.dir.join(DEFAULTS_FILE))
        .collect();
    let project = target.join(".dockwright").join(DEFAULTS_FILE);
    if std::fs::symlink_metadata(&project).is_ok() {
        crate::fsread::resolve_inside(target, &project).map_err(|e| e.into_error(&project))?;
        places.push(project);
    }
    places.extend(config_dir().map(|c| c.join(DEFAULTS_FILE)));
    let mut out = Vec::new();
    for path in places {
        if std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        let file = read_answers_file(&path)?;
        if !file.files.is_empty() || file.blueprints.is_some() {
            return Err(Error::AnswersFile {
                path,
                reason: "a defaults file holds only an `[answers]` table; move `[files]` and `[blueprints]` out of it".into(),
            });
        }
        out.push((path, file.answers));
    }
    Ok(out)
}
