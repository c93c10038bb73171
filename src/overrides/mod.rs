//! Blueprints of your own: folders whose `.j2` files replace a built-in blueprint of the same
//! name or add an artifact, found (highest first) at `--blueprints DIR|URL#REF` (or the source
//! the project's record names), the project's `.dockwright/blueprints/` and the user's
//! `$XDG_CONFIG_HOME/dockwright/blueprints/`. A blueprint's name is its path under
//! `blueprints/` without the leading `python/` (`Dockerfile.j2`, `partials/builder.Dockerfile.j2`,
//! `github/docker.yml.j2`). Every folder is read as hostile input: regular files only, no
//! symlink leaving it, bounded counts and sizes; see `docs/overrides.md`.
//!
//! `sources.rs` finds the folders (the flag's, a git checkout through `git.rs`, the project's,
//! the user's) and writes the record's `[blueprints]`; `scan.rs` reads one folder, bounded;
//! `added.rs` names the added artifacts and what a run may write for them; `rendering.rs`
//! hands the templates to `render` and maps its errors to the user's file and line;
//! `defaults.rs` the `defaults.toml` layers; `command.rs` `blueprints list/show/eject`.

mod added;
pub mod command;
pub mod defaults;
mod git;
mod rendering;
mod scan;
mod sources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use added::{added_syntax, Added};
pub use rendering::{check_include, render_error};
pub use scan::{MAX_FILES, MAX_FILE_BYTES};
pub(crate) use sources::xdg_dir;
pub use sources::{config_dir, recorded_flag, Flag, Source, SourceKind, PROJECT_DIR};

/// One blueprint of the user's own.
#[derive(Debug, Clone)]
pub struct OwnFile {
    /// Index into `Overrides::sources`.
    pub source: usize,
    pub text: String,
}

/// The blueprints of the user's own in effect, by name; the highest source wins a name.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub sources: Vec<Source>,
    pub files: BTreeMap<String, OwnFile>,
}

/// A blueprint's user-facing name from its path under `blueprints/`.
pub fn name_of(embedded: &str) -> &str {
    embedded.strip_prefix("python/").unwrap_or(embedded)
}

/// The built-in blueprint a name replaces, by its path under `blueprints/`.
pub fn embedded_name(name: &str) -> Option<String> {
    let python = format!("python/{name}");
    if crate::embedded::text(&python).is_some() {
        Some(python)
    } else if crate::embedded::text(name).is_some() && !name.starts_with("python/") {
        Some(name.to_string())
    } else {
        None
    }
}

/// Whether an own file is only included by others (never written): under a `partials/` folder.
fn is_partial(name: &str) -> bool {
    name.starts_with("partials/") || name.contains("/partials/")
}

fn refused(path: impl Into<PathBuf>, reason: String) -> Error {
    Error::Blueprint {
        path: path.into(),
        line: None,
        reason,
    }
}

impl Overrides {
    /// Finds and reads every source. `flag` is `--blueprints` (or the record's flag source when
    /// the flag is absent); `target` the project (its folder need not exist, for `new`).
    pub fn load(target: &Path, flag: Option<Flag<'_>>) -> Result<Overrides> {
        let found = sources::find(target, flag)?;
        let mut out = Overrides::default();
        for (i, source) in found.iter().enumerate() {
            for (name, text) in scan::scan(source)? {
                out.files.entry(name).or_insert(OwnFile { source: i, text });
            }
        }
        out.sources = found;
        out.added()?;
        Ok(out)
    }

    /// No blueprints of the user's own.
    pub fn none() -> Overrides {
        Overrides::default()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Where the own blueprint `name` lives, as shown in messages
    /// (`.dockwright/blueprints/Dockerfile.j2`).
    pub fn shown_path(&self, name: &str) -> Option<PathBuf> {
        let file = self.files.get(name)?;
        Some(Path::new(&self.sources[file.source].shown).join(name))
    }

    /// What `init` says after its plan: each blueprint of the user's own in effect and where it
    /// came from, so files a repository ships that shape the generated ones are never silent.
    pub fn note(&self) -> String {
        if self.files.is_empty() {
            return String::new();
        }
        let mut out = String::from(
            "blueprints of your own (read them like code; `dockwright blueprints list`):
",
        );
        for name in self.files.keys() {
            let path = self.shown_path(name).unwrap_or_default();
            let what = if embedded_name(name).is_some() {
                "replaces the built-in one"
            } else if is_partial(name) {
                "a partial"
            } else {
                "an added file"
            };
            out.push_str(&format!("  {}  {what}\n", crate::safety::shown_path(&path)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_the_built_in_blueprints() {
        assert_eq!(name_of("python/Dockerfile.j2"), "Dockerfile.j2");
        assert_eq!(
            embedded_name("Dockerfile.j2").as_deref(),
            Some("python/Dockerfile.j2")
        );
        assert_eq!(
            embedded_name("partials/builder.Dockerfile.j2").as_deref(),
            Some("partials/builder.Dockerfile.j2")
        );
        assert_eq!(
            embedded_name("github/docker.yml.j2").as_deref(),
            Some("github/docker.yml.j2")
        );
        assert_eq!(embedded_name("Makefile.j2"), None);
        assert_eq!(embedded_name("python/Dockerfile.j2"), None);
    }
}
