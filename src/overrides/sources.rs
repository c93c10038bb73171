//! Where the blueprints of the user's own come from, highest first: `--blueprints` (a folder,
//! or a git URL with `#REF` checked out by `git.rs`) or the source the record names, the
//! project's `.dockwright/blueprints/`, the user's config folder; and the record's
//! `[blueprints]` section, which names them for the next run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::git;
use super::{refused, Overrides};
use crate::error::Result;

/// The project's folder of blueprints, relative to the project.
pub const PROJECT_DIR: &str = ".dockwright/blueprints";

/// Where a folder of blueprints came from, highest precedence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    /// `--blueprints`, or the flag source the project's record names.
    Flag,
    /// The project's `.dockwright/blueprints/`.
    Project,
    /// The user's `~/.config/dockwright/blueprints/`.
    User,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Flag => "flag",
            SourceKind::Project => "project",
            SourceKind::User => "user",
        }
    }
}

/// One folder of blueprints in effect.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: SourceKind,
    /// The folder read (for a git source, its checkout in the cache).
    pub dir: PathBuf,
    /// How the folder is named in messages and the record (`.dockwright/blueprints`,
    /// `~/.config/dockwright/blueprints`, the flag as given).
    pub shown: String,
    /// The commit a git source resolved to.
    pub commit: Option<String>,
}

/// The folders of blueprints in effect, highest first: the flag source, the project's folder
/// (which must not lead out of the project), the user's.
pub(super) fn find(target: &Path, flag: Option<Flag<'_>>) -> Result<Vec<Source>> {
    let mut found: Vec<Source> = Vec::new();
    if let Some(flag) = flag {
        found.push(flag_source(flag, target)?);
    }
    let project = target.join(PROJECT_DIR);
    if std::fs::symlink_metadata(&project).is_ok() {
        // A project's folder must not lead out of the project (a symlinked `.dockwright`).
        crate::fsread::resolve_inside(target, &project)
            .map_err(|e| refused(PROJECT_DIR, e.reason()))?;
        if project.is_dir() {
            found.push(Source {
                kind: SourceKind::Project,
                dir: project,
                shown: PROJECT_DIR.to_string(),
                commit: None,
            });
        }
    }
    if let Some(user) = config_dir().map(|c| c.join("blueprints")) {
        if user.is_dir() {
            found.push(Source {
                kind: SourceKind::User,
                shown: tilde(&user),
                dir: user,
                commit: None,
            });
        }
    }
    Ok(found)
}

/// The user's config folder for dockwright: `$XDG_CONFIG_HOME/dockwright` (when absolute),
/// else `$HOME/.config/dockwright`.
pub fn config_dir() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config")
}

/// `$<var>/dockwright` when that variable holds an absolute path, else
/// `$HOME/<fallback>/dockwright` (the XDG base directory rule).
pub(crate) fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    let xdg = std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .map(|h| h.join(fallback))
    })?;
    Some(base.join("dockwright"))
}

/// A path under the home folder as `~/…`, for messages and the record.
fn tilde(path: &Path) -> String {
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if let Ok(rest) = path.strip_prefix(&home) {
            return format!("~/{}", rest.display());
        }
    }
    path.display().to_string()
}

impl Overrides {
    /// The record's `[blueprints]` section: the sources in effect, highest first, and the
    /// commit of a git source; empty without blueprints of the user's own.
    pub fn record_section(&self) -> String {
        if self.sources.is_empty() {
            return String::new();
        }
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = String::from(
            "\n# The blueprints of your own these files were rendered with, highest first\n\
             # (`dockwright blueprints list`); a later run reads `flag` when --blueprints is absent.\n\
             [blueprints]\n",
        );
        for source in &self.sources {
            out.push_str(&format!(
                "{} = {}\n",
                source.kind.as_str(),
                quote(&source.shown)
            ));
            if let Some(commit) = &source.commit {
                out.push_str(&format!("commit = {}\n", quote(commit)));
            }
        }
        out
    }
}

/// The flag source a record names (`[blueprints] flag = "…"`), when it names one.
pub fn recorded_flag(section: Option<&BTreeMap<String, String>>) -> Option<String> {
    section?.get("flag").cloned()
}

/// The flag source: as given on the command line (a relative path from the working folder),
/// or as the record names it (a relative path from the project, as it was recorded).
#[derive(Debug, Clone, Copy)]
pub enum Flag<'a> {
    Given(&'a str),
    Recorded(&'a str),
}

/// `--blueprints`: a local folder, or a git URL (or a local repository) with `#REF`. A local
/// path is recorded relative to the project, so the record works from any working folder and
/// for a teammate whose checkout has the folder at the same place.
fn flag_source(flag: Flag<'_>, target: &Path) -> Result<Source> {
    let (spec, recorded) = match flag {
        Flag::Given(s) => (s, false),
        Flag::Recorded(s) => (s, true),
    };
    let local = |path: &str| -> PathBuf {
        if recorded && Path::new(path).is_relative() {
            target.join(path)
        } else {
            PathBuf::from(path)
        }
    };
    match git::Remote::parse(spec)? {
        Some(mut remote) => {
            let mut shown = spec.to_string();
            if remote.is_local_path() {
                let path = local(&remote.url);
                shown = format!("{}#{}", relative_to(target, &path), remote.reference);
                remote.url = path.to_string_lossy().into_owned();
            }
            let (dir, commit) = remote.checkout()?;
            Ok(Source {
                kind: SourceKind::Flag,
                dir,
                shown,
                commit: Some(commit),
            })
        }
        None => {
            let dir = local(spec);
            if !dir.is_dir() {
                let whence = if recorded {
                    "; the project's `.dockwright.toml` names it under `[blueprints]`: give `--blueprints` to use another source"
                } else {
                    ""
                };
                return Err(refused(
                    spec,
                    format!("it is not a folder of blueprints; give a folder, or a git URL with a ref such as `https://example.com/org/blueprints.git#v1`{whence}"),
                ));
            }
            Ok(Source {
                kind: SourceKind::Flag,
                shown: relative_to(target, &dir),
                dir,
                commit: None,
            })
        }
    }
}

/// `path` relative to `target` (`../house-blueprints`), both resolved; the path as given when
/// either cannot be resolved.
fn relative_to(target: &Path, path: &Path) -> String {
    let (Ok(t), Ok(p)) = (std::fs::canonicalize(target), std::fs::canonicalize(path)) else {
        return path.display().to_string();
    };
    let common = t
        .components()
        .zip(p.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut rel = PathBuf::new();
    for _ in t.components().skip(common) {
        rel.push("..");
    }
    for c in p.components().skip(common) {
        rel.push(c);
    }
    if rel.as_os_str().is_empty() {
        ".".into()
    } else {
        rel.display().to_string()
    }
}
