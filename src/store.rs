//! The base store: every generated file as dockwright rendered it, kept under
//! `.dockwright/base/<path>` and written in the same all-or-nothing run as the files, so that
//! `update` can merge a file the user edited offline and without the old binary (why a store
//! and not the project's git objects: docs/update.md). A store comes with the repository, so
//! it is untrusted input: only the paths this run renders are looked up (never a name the
//! record or the store lists), each through the bounded reader that keeps symlinks inside the
//! project, and a text is a base only when its sha256 is the one `.dockwright.toml` recorded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::answers::file::hash;
use crate::model::{Rendered, BASE_DIR};

/// The largest base read (bytes): a generated file is a few kilobytes.
pub const BASE_MAX: u64 = crate::fsread::FILE_MAX;

/// The store's entries for `owned` (the artifacts whose hash the record keeps).
pub fn entries(owned: &Rendered) -> Rendered {
    owned
        .iter()
        .map(|(path, text)| (Path::new(BASE_DIR).join(path), text.clone()))
        .collect()
}

/// Whether `path` is one of the store's own files.
pub fn is_store_path(path: &Path) -> bool {
    path.starts_with(BASE_DIR)
}

/// The verified bases under `target` for the files in `wanted`: each store file whose hash is
/// the one `recorded` for its path. A missing, unreadable, oversized, non-UTF-8 or altered
/// store file gives no base (that file then falls back to `--force`).
pub fn load<'a>(
    target: &Path,
    recorded: &BTreeMap<PathBuf, String>,
    wanted: impl Iterator<Item = &'a PathBuf>,
) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for path in wanted {
        let Some(expected) = recorded.get(path) else {
            continue;
        };
        let full = target.join(BASE_DIR).join(path);
        if let Ok(text) = crate::fsread::read_in(target, &full, BASE_MAX) {
            if hash(&text) == *expected {
                out.insert(path.clone(), text);
            }
        }
    }
    out
}

/// The texts of `candidates` whose hash is the one `recorded` (a re-render of the recorded
/// answers is a base exactly when it reproduces what was written).
pub fn verified(
    recorded: &BTreeMap<PathBuf, String>,
    candidates: &Rendered,
) -> BTreeMap<PathBuf, String> {
    candidates
        .iter()
        .filter(|(path, text)| recorded.get(*path).is_some_and(|h| *h == hash(text)))
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_store_file_with_the_recorded_hash_is_a_base() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join(BASE_DIR);
        std::fs::create_dir_all(&store).unwrap();
        std::fs::write(store.join("Dockerfile"), "FROM a\n").unwrap();
        std::fs::write(store.join("compose.yaml"), "tampered\n").unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "FROM a\n").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), store.join("justfile")).unwrap();
        let recorded: BTreeMap<PathBuf, String> = [
            ("Dockerfile", "FROM a\n"),
            ("compose.yaml", "services: {}\n"),
            ("justfile", "FROM a\n"),
            ("missing", "x"),
        ]
        .into_iter()
        .map(|(p, t)| (PathBuf::from(p), hash(t)))
        .collect();
        let got = load(dir.path(), &recorded, recorded.keys());
        assert_eq!(got.keys().collect::<Vec<_>>(), [Path::new("Dockerfile")]);
        let rendered: Rendered = [(PathBuf::from("compose.yaml"), "services: {}\n".into())].into();
        assert_eq!(verified(&recorded, &rendered), rendered);
        assert!(is_store_path(Path::new(".dockwright/base/Dockerfile")));
        assert!(!is_store_path(Path::new(".dockwright/backup/Dockerfile")));
    }
}
