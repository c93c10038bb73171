//! `dockwright blueprints list | show NAME | eject NAME`: the blueprints in effect, the text of
//! one, and a copy of a built-in one in the project's `.dockwright/blueprints/` to start from.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{embedded_name, is_partial, name_of, Overrides, PROJECT_DIR};
use crate::catalogue::{Output, Role, CATALOGUE};
use crate::error::{Error, Result};
use crate::safety::shown;

/// One row of `blueprints list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub output: String,
    pub source: String,
}

/// Every blueprint a run may use (the catalogue's artifacts and partials, then the added ones
/// and the own partials), with its output path and the source in effect.
pub fn rows(overrides: &Overrides) -> Vec<Row> {
    let source = |name: &str| match overrides.files.get(name) {
        Some(f) => overrides.sources[f.source].kind.as_str().to_string(),
        None => "built-in".to_string(),
    };
    let mut out = Vec::new();
    for entry in CATALOGUE {
        let output = match entry.role {
            Role::Artifact { output, .. } => match output {
                Output::Path(p) => p.to_string(),
                Output::JustFile => "justfile (docker.just beside a justfile of yours)".into(),
                Output::Compose => "compose.yaml (or the project's docker-compose.yml)".into(),
            },
            Role::Partial => "(partial)".into(),
            Role::Tree { .. } => continue,
        };
        let name = name_of(entry.blueprint);
        out.push(Row {
            name: name.to_string(),
            output,
            source: source(name),
        });
    }
    for name in overrides
        .files
        .keys()
        .filter(|n| embedded_name(n).is_none())
    {
        let output = if is_partial(name) {
            "(partial)".to_string()
        } else {
            name[..name.len() - ".j2".len()].to_string()
        };
        out.push(Row {
            name: name.clone(),
            output,
            source: source(name),
        });
    }
    out
}

/// `blueprints list`: a table, one blueprint a line.
pub fn list(overrides: &Overrides) -> String {
    let rows = rows(overrides);
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    let out_width = rows
        .iter()
        .map(|r| r.output.len().min(40))
        .max()
        .unwrap_or(6)
        .max(6);
    let mut text = format!("{:width$}  {:out_width$}  SOURCE\n", "NAME", "OUTPUT");
    for r in rows {
        text.push_str(&format!(
            "{:width$}  {:out_width$}  {}\n",
            shown(&r.name),
            r.output,
            r.source
        ));
    }
    for s in &overrides.sources {
        text.push_str(&format!("{}: {}", s.kind.as_str(), shown(&s.shown)));
        if let Some(c) = &s.commit {
            text.push_str(&format!(" (commit {c})"));
        }
        text.push('\n');
    }
    text
}

/// The name as the user may type it: `Dockerfile`, `Dockerfile.j2`, `python/Dockerfile.j2`.
fn normalized(name: &str) -> String {
    let name = name_of(name);
    if name.ends_with(".j2") {
        name.to_string()
    } else {
        format!("{name}.j2")
    }
}

fn unknown(name: &str) -> Error {
    Error::Blueprint {
        path: PathBuf::from(shown(name)),
        line: None,
        reason: "no blueprint has this name; `dockwright blueprints list` lists them (e.g. `Dockerfile.j2`)".into(),
    }
}

/// `blueprints show NAME`: the text in effect (the own one, else the built-in one).
pub fn show(overrides: &Overrides, name: &str) -> Result<String> {
    let name = normalized(name);
    if let Some(f) = overrides.files.get(&name) {
        return Ok(f.text.clone());
    }
    embedded_name(&name)
        .and_then(|e| crate::embedded::text(&e))
        .map(str::to_string)
        .ok_or_else(|| unknown(&name))
}

/// `blueprints eject NAME`: writes the built-in blueprint to `.dockwright/blueprints/NAME`,
/// never over an existing file (a new temporary, then a hard link, which fails on an existing
/// name), never through a symlink leading out of the project. Returns the path written.
pub fn eject(target: &Path, name: &str) -> Result<PathBuf> {
    let name = normalized(name);
    let text = embedded_name(&name)
        .and_then(|e| crate::embedded::text(&e))
        .ok_or_else(|| unknown(&name))?;
    let rel = Path::new(PROJECT_DIR).join(&name);
    let dest = target.join(&rel);
    if std::fs::symlink_metadata(&dest).is_ok() {
        return Err(Error::Blueprint {
            path: rel,
            line: None,
            reason: "it exists already and eject never overwrites; edit it, or delete it and eject again".into(),
        });
    }
    let parent = dest.parent().unwrap_or(target);
    std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    crate::fsread::resolve_inside(target, parent).map_err(|e| Error::Escape {
        path: match e {
            crate::fsread::ReadError::Outside(to) => to,
            _ => parent.to_path_buf(),
        },
        target: target.to_path_buf(),
    })?;
    let name = crate::random::hex(8).map_err(|e| Error::io("cannot name a file in", parent, e))?;
    let tmp = parent.join(format!(
        ".{}.{name}.tmp",
        dest.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("blueprint"),
    ));
    let written = (|| {
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::hard_link(&tmp, &dest)
    })();
    let _ = std::fs::remove_file(&tmp);
    written.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::Blueprint {
            path: rel.clone(),
            line: None,
            reason: "it exists already and eject never overwrites; edit it, or delete it and eject again".into(),
        },
        _ => Error::io("cannot write", &dest, e),
    })?;
    Ok(rel)
}
