//! Reading one folder of blueprints as hostile input: regular files within it, bounded in
//! number, size and depth, every name a safe relative path.

use std::path::Path;

use super::refused;
use super::sources::Source;
use crate::error::Result;
use crate::safety::is_safe_relative_path;

/// The most `.j2` files one folder may hold.
pub const MAX_FILES: usize = 200;
/// The largest blueprint read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;
/// How deep a folder is walked.
const MAX_DEPTH: usize = 8;

/// The `.j2` files of a source by name: regular files within the folder (a symlink must stay
/// inside it), at most `MAX_FILES` of at most `MAX_FILE_BYTES` each, at most `MAX_DEPTH`
/// deep, `.git` skipped; every name a safe relative path.
pub(super) fn scan(source: &Source) -> Result<Vec<(String, String)>> {
    let root = &source.dir;
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .max_depth(MAX_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git");
    for entry in walk {
        let entry = entry.map_err(|e| refused(&source.shown, e.to_string().to_lowercase()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let Some(name) = rel.to_str().map(|s| s.replace('\\', "/")) else {
            return Err(refused(
                Path::new(&source.shown).join(rel),
                "its name is not UTF-8; rename it".into(),
            ));
        };
        if !name.ends_with(".j2") {
            continue;
        }
        let shown_path = Path::new(&source.shown).join(&name);
        if !is_safe_relative_path(&name) {
            return Err(refused(
                shown_path,
                format!("a blueprint's name {}", crate::safety::RELATIVE_PATH_RULE),
            ));
        }
        if out.len() == MAX_FILES {
            return Err(refused(
                &source.shown,
                format!("it holds more than {MAX_FILES} blueprints; keep only the ones you change"),
            ));
        }
        let text = crate::fsread::read_in(root, entry.path(), MAX_FILE_BYTES).map_err(|e| {
            let reason = match e {
                crate::fsread::ReadError::Outside(to) => format!(
                    "it is a symlink to `{}`, outside the blueprints folder; a blueprint must live inside its folder",
                    crate::safety::shown_path(&to)
                ),
                crate::fsread::ReadError::TooLarge(_) => format!(
                    "it is larger than {} KiB, the most dockwright reads from a blueprint",
                    MAX_FILE_BYTES / 1024
                ),
                other => other.reason(),
            };
            refused(&shown_path, reason)
        })?;
        out.push((name, text));
    }
    Ok(out)
}
