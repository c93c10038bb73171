//! Blueprints of your own: folders whose `.j2` files replace a built-in blueprint of the same
//! name or add an artifact, found (highest first) at `--blueprints DIR|URL#REF` (or the source
//! the project's record names), the project's `.dockwright/blueprints/` and the user's
//! `$XDG_CONFIG_HOME/dockwright/blueprints/`. A blueprint's name is its path under
//! `blueprints/` without the leading `python/` (`Dockerfile.j2`, `partials/builder.Dockerfile.j2`,
//! `github/docker.yml.j2`). Every folder is read as hostile input: regular files only, no
//! symlink leaving it, bounded counts and sizes; see `docs/overrides.md`.

pub mod command;
pub mod defaults;
mod git;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalogue::Syntax;
use crate::error::{Error, Result};
use crate::model::RECORD_FILE;
use crate::safety::{is_safe_relative_path, shown};

/// The project's folder of blueprints, relative to the project.
pub const PROJECT_DIR: &str = ".dockwright/blueprints";
/// The most `.j2` files one folder may hold.
pub const MAX_FILES: usize = 200;
/// The largest blueprint read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;
/// How deep a folder is walked.
const MAX_DEPTH: usize = 8;

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

/// One blueprint of the user's own.
#[derive(Debug, Clone)]
pub struct OwnFile {
    /// Index into `Overrides::sources`.
    pub source: usize,
    pub text: String,
}

/// An added artifact: a blueprint that names no built-in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// Its name (path in its folder), also its template name.
    pub name: String,
    /// Where it is written: its name without `.j2`.
    pub output: PathBuf,
    pub syntax: Syntax,
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
        let mut out = Overrides::default();
        for (i, source) in found.iter().enumerate() {
            for (name, text) in scan(source)? {
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

    /// The template texts that differ from the built-in ones, by template name: a replacement
    /// under its built-in path (`python/Dockerfile.j2`), an own file under its own name.
    pub fn templates(&self) -> Arc<BTreeMap<String, String>> {
        Arc::new(
            self.files
                .iter()
                .map(|(name, f)| {
                    let key = embedded_name(name).unwrap_or_else(|| name.clone());
                    (key, f.text.clone())
                })
                .collect(),
        )
    }

    /// The own blueprint behind a template name, when there is one.
    pub fn own_name(&self, template: &str) -> Option<&str> {
        let name = name_of(template);
        self.files
            .get_key_value(name)
            .filter(|(n, _)| embedded_name(n).as_deref() == Some(template) || *n == template)
            .map(|(n, _)| n.as_str())
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

/// The `.j2` files of a source by name: regular files within the folder (a symlink must stay
/// inside it), at most `MAX_FILES` of at most `MAX_FILE_BYTES` each, at most `MAX_DEPTH`
/// deep, `.git` skipped; every name a safe relative path.
fn scan(source: &Source) -> Result<Vec<(String, String)>> {
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

/// A render error as the user's: the own blueprint's file and line when the error is in one.
pub fn render_error(overrides: &Overrides, err: minijinja::Error) -> Error {
    if overrides.is_empty() {
        return Error::Template(err);
    }
    let template = err.name().unwrap_or_default().to_string();
    let path = match overrides.own_name(&template) {
        Some(name) => overrides.shown_path(name).unwrap_or_default(),
        // A built-in partial an own blueprint included: named as the built-in one.
        None => PathBuf::from(format!("(built-in) {}", name_of(&template))),
    };
    let mut reason = err.kind().to_string();
    if let Some(detail) = err.detail() {
        reason = format!("{reason}: {detail}");
    }
    Error::Blueprint {
        path,
        line: err.line(),
        reason: format!(
            "{}; nothing was written: fix the blueprint (the fields it may use are in docs/context.md), or delete it to use the built-in one",
            escaped(&reason)
        ),
    }
}

/// A render error's text as shown: control and invisible characters escaped as `shown` does,
/// cut after 400 characters (the error quotes names from the blueprint).
fn escaped(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 400 {
            out.push('…');
            break;
        }
        if crate::safety::is_forbidden_char(c) || c == '\\' {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// A template name an own blueprint may `include` or `import`: a safe relative path, so that
/// nothing outside the blueprints folders is read.
pub fn check_include(name: &str) -> std::result::Result<(), minijinja::Error> {
    if is_safe_relative_path(name) {
        Ok(())
    } else {
        Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!(
                "`{}` is not a blueprint name: an include or import names a file inside the blueprints folder (no `..`, no absolute path)",
                shown(name)
            ),
        ))
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

    #[test]
    fn includes_stay_inside() {
        assert!(check_include("partials/builder.Dockerfile.j2").is_ok());
        for bad in ["../x.j2", "/etc/passwd", "a/../../b", ""] {
            assert!(check_include(bad).is_err(), "{bad}");
        }
    }
}
