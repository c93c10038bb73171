//! The added artifacts: own blueprints that name no built-in one, where each is written and in
//! which syntax, and which paths a run with them may write.

use std::path::{Path, PathBuf};

use super::{embedded_name, is_partial, refused, Overrides};
use crate::catalogue::Syntax;
use crate::error::Result;
use crate::model::RECORD_FILE;
use crate::safety::shown;

/// An added artifact: a blueprint that names no built-in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// Its name (path in its folder), also its template name.
    pub name: String,
    /// Where it is written: its name without `.j2`.
    pub output: PathBuf,
    pub syntax: Syntax,
}

/// The syntax of an added blueprint: a workflow under `.github/workflows/` is `Actions`, a
/// `justfile.j2` or `*.just.j2` is `Just`, anything else `Jinja`.
pub fn added_syntax(name: &str) -> Syntax {
    let file = name.rsplit('/').next().unwrap_or(name);
    if name.starts_with(".github/workflows/") {
        Syntax::Actions
    } else if matches!(file, "justfile.j2" | "Justfile.j2") || file.ends_with(".just.j2") {
        Syntax::Just
    } else {
        Syntax::Jinja
    }
}

impl Overrides {
    /// The added artifacts: own blueprints that name no built-in one and are not partials.
    /// Each is written at its name without `.j2`, owned like a built-in artifact; a name that
    /// would land on the record or inside `.dockwright/` or `.git/` is refused.
    pub fn added(&self) -> Result<Vec<Added>> {
        let mut out = Vec::new();
        for name in self.files.keys() {
            if embedded_name(name).is_some() || is_partial(name) {
                continue;
            }
            let output = &name[..name.len() - ".j2".len()];
            let reserved = output == RECORD_FILE
                || output.starts_with(".dockwright/")
                || output.starts_with(".git/")
                || output.is_empty();
            if reserved {
                return Err(refused(
                    self.shown_path(name).unwrap_or_default(),
                    format!(
                        "an added blueprint is written at its name without `.j2`, and `{}` is dockwright's or git's own; rename the blueprint",
                        shown(output)
                    ),
                ));
            }
            out.push(Added {
                name: name.clone(),
                output: PathBuf::from(output),
                syntax: added_syntax(name),
            });
        }
        Ok(out)
    }

    /// Whether a run with these blueprints may write `rel` (a rename journal is rolled forward
    /// only for such paths): the output of an added artifact, its backup, its copy in the base
    /// store, or its `FILE.rej`.
    pub fn may_write(&self, rel: &Path) -> bool {
        let Some(rel) = rel.to_str().map(crate::model::stored_for) else {
            return false;
        };
        let rej = rel.strip_suffix(".rej").map(Path::new);
        self.added()
            .map(|a| {
                a.iter()
                    .any(|a| a.output == Path::new(rel) || Some(a.output.as_path()) == rej)
            })
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overrides::OwnFile;

    #[test]
    fn a_journal_may_name_an_added_file_its_backup_base_copy_and_rej() {
        let mut own = Overrides::default();
        own.files.insert(
            "ops/info.txt.j2".into(),
            OwnFile {
                source: 0,
                text: String::new(),
            },
        );
        for ok in [
            "ops/info.txt",
            ".dockwright/backup/ops/info.txt",
            ".dockwright/base/ops/info.txt",
            "ops/info.txt.rej",
        ] {
            assert!(own.may_write(Path::new(ok)), "{ok}");
        }
        for no in ["ops/other.txt", ".dockwright/base/ops/other.txt", ".env"] {
            assert!(!own.may_write(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn added_blueprints_take_a_syntax_from_their_name() {
        assert_eq!(
            added_syntax(".github/workflows/lint.yml.j2"),
            Syntax::Actions
        );
        assert_eq!(added_syntax("ops/release.just.j2"), Syntax::Just);
        assert_eq!(added_syntax("Makefile.j2"), Syntax::Jinja);
    }
}
