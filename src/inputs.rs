//! What a run reads before it answers: the answer layers (the flags, then `--answers` or the
//! project's record), and for `init` the project itself, read into the detected layer. A
//! project dockwright cannot read is refused here, with what is supported and what to do.

use std::path::Path;

use crate::answers::file::AnswersFile;
use crate::answers::{self, Layers};
use crate::cli::AnswerFlags;
use crate::detect;
use crate::error::{Error, Result};
use crate::model::RECORD_FILE;
use crate::safety;

/// Reads the project into the detected layer; a project without `pyproject.toml` is refused
/// with what is supported and what to do, rather than guessed at.
pub(crate) fn detected(target: &Path, layers: &mut Layers) -> Result<detect::Detection> {
    let detection = detect::detect(target)?;
    let setup_project = ["setup.py", "setup.cfg"]
        .iter()
        .any(|f| target.join(f).is_file());
    if !detection.facts.has_pyproject
        && !setup_project
        && detection.facts.app_requirements.is_none()
    {
        let mut found: Vec<String> = ["setup.py", "setup.cfg", "Pipfile"]
            .iter()
            .filter(|f| target.join(f).is_file())
            .map(|f| f.to_string())
            .collect();
        // File names of the project: shown escaped and cut.
        found.extend(
            detection
                .facts
                .requirements
                .iter()
                .map(|r| safety::shown(r)),
        );
        let found = if found.is_empty() {
            "no Python project files".to_string()
        } else {
            found.join(", ")
        };
        return Err(Error::Project {
            path: target.join("pyproject.toml"),
            reason: format!(
                "it does not exist (found {found}). dockwright reads a `pyproject.toml` (PEP 621 `[project]` or Poetry's `[tool.poetry]`), a `setup.py` / `setup.cfg`, or an application's `requirements.txt`, `Pipfile` with its `Pipfile.lock`, or `main.py` / `app.py` / `manage.py` / `wsgi.py`; add one, then run `dockwright init` again. To start from scratch instead, use `dockwright new`"
            ),
        });
    }
    layers.detected = detection.answers.clone();
    layers.detected_origin = detection.origins.clone();
    layers.detected_command = detection.command.clone();
    layers.retrofit = true;
    layers.mcp_app = detection.mcp_app.clone();
    layers.no_health_route = detection.facts.no_health_route;
    layers.requires_python = detection.facts.requires_python.clone();
    layers.locked_server = detection.locked_server.clone();
    layers.servers_provided = detection.servers_provided.clone();
    // Only whether it is a directory (not a symlink); nothing in it is read.
    layers.github_workflows =
        std::fs::symlink_metadata(target.join(".github/workflows")).is_ok_and(|m| m.is_dir());
    Ok(detection)
}

/// Collects the answer layers: flags, then `--answers` (or the project's record).
pub(crate) fn layers(
    target: &Path,
    flags: &AnswerFlags,
    record: Option<&AnswersFile>,
) -> Result<Layers> {
    let mut layers = Layers {
        flags: flags.partial.clone(),
        fallback_name: dir_name(target),
        ..Layers::default()
    };
    match (&flags.answers_file, record) {
        (Some(path), _) => {
            let file = read_answers(path, &flags.partial)?;
            layers.file = Some((path.clone(), file.answers));
        }
        (None, Some(record)) => {
            layers.file = Some((target.join(RECORD_FILE), record.answers.clone()));
        }
        (None, None) => {}
    }
    Ok(layers)
}

/// Reads an answers file. When it cannot be read and the flags break rules too, every problem
/// is listed in one message: a broken file must not hide the flags' problems.
pub(crate) fn read_answers(path: &Path, flags: &answers::Partial) -> Result<AnswersFile> {
    match answers::read_answers_file(path) {
        Ok(file) => Ok(file),
        Err(answers::AnswersError::File { path, reason }) => {
            let flags_only = Layers {
                flags: flags.clone(),
                ..Layers::default()
            };
            let problems = answers::preview(&flags_only).1;
            if problems.is_empty() {
                Err(Error::AnswersFile { path, reason })
            } else {
                Err(Error::InvalidWithFile {
                    path,
                    reason,
                    problems,
                })
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// The directory's own name, even for `.`.
fn dir_name(target: &Path) -> Option<String> {
    let named = target.file_name().map(|n| n.to_string_lossy().into_owned());
    named.or_else(|| {
        std::fs::canonicalize(target)
            .ok()?
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    })
}
