//! What a run reads before it answers: the command's project and flags (`Job`), a run killed
//! during its renames finished first, the answer layers (the flags, then `--answers` or the
//! project's record, then `defaults.toml`), and for `init` the project itself, read into the
//! detected layer. A project dockwright cannot read is refused here, with what is supported
//! and what to do.

use std::path::{Path, PathBuf};

use crate::answers::file::AnswersFile;
use crate::answers::{self, Layers};
use crate::cli::{self, AnswerFlags, RunFlags};
use crate::detect;
use crate::error::{Error, Result};
use crate::facts::Facts;
use crate::fsread;
use crate::model::RECORD_FILE;
use crate::output;
use crate::overrides::{self, Overrides};
use crate::render::{self, Scope};
use crate::safety;

/// One run of `new`, `init`, `update` or `check`: the project, the flags and what the command
/// asks of the run.
pub(crate) struct Job {
    pub(crate) target: PathBuf,
    pub(crate) flags: AnswerFlags,
    pub(crate) run: RunFlags,
    pub(crate) scope: Scope,
    /// `update` and `check` need the record `init` wrote (and never ask).
    pub(crate) needs_record: bool,
    /// `check` writes nothing.
    pub(crate) checking: bool,
}

impl Job {
    /// `new PATH`: refused when the path exists and is not a directory.
    pub(crate) fn new_project(path: PathBuf, flags: AnswerFlags, run: RunFlags) -> Result<Job> {
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
            return Err(Error::Project {
                path: path.clone(),
                reason: format!(
                    "it exists and is not a directory; `new` creates a project directory: choose another path, e.g. `dockwright new {}-app`",
                    safety::shown_path(&path)
                ),
            });
        }
        Ok(Job::of(path, flags, run, Scope::Project))
    }

    /// `init PATH`: refused unless the path is an existing directory.
    pub(crate) fn init(path: PathBuf, flags: AnswerFlags, run: RunFlags) -> Result<Job> {
        if !path.is_dir() {
            return Err(Error::Unsupported {
                what: format!(
                    "`{}` is not an existing directory, so `init`",
                    safety::shown_path(&path)
                ),
                hint: format!(
                    "create the project with `dockwright new {}`",
                    safety::shown_path(&path)
                ),
            });
        }
        Ok(Job::of(path, flags, run, Scope::Artifacts))
    }

    /// `update PATH`: `init` again from the record, which must exist.
    pub(crate) fn update(path: PathBuf, flags: AnswerFlags, run: RunFlags) -> Result<Job> {
        Job {
            needs_record: true,
            ..Job::of(path, flags, run, Scope::Artifacts)
        }
        .with_record()
    }

    /// `check PATH`: `update` as a dry run that never asks and writes nothing.
    pub(crate) fn check(path: PathBuf) -> Result<Job> {
        let run = RunFlags {
            yes: true,
            dry_run: true,
            json: false,
            force: false,
            diff: false,
            conflict: cli::ConflictStyle::Inline,
            blueprints: None,
        };
        Job {
            needs_record: true,
            checking: true,
            ..Job::of(path, AnswerFlags::default(), run, Scope::Artifacts)
        }
        .with_record()
    }

    fn of(target: PathBuf, flags: AnswerFlags, run: RunFlags, scope: Scope) -> Job {
        Job {
            target,
            flags,
            run,
            scope,
            needs_record: false,
            checking: false,
        }
    }

    /// `update` and `check` work from the record `init` wrote: refused without one.
    fn with_record(self) -> Result<Job> {
        if !self.target.join(RECORD_FILE).is_file() {
            return Err(Error::Project {
                path: self.target.join(RECORD_FILE),
                reason: "it does not exist (or is not a file); `update` and `check` work from the answers and files `dockwright init` recorded there: run `dockwright init` first".into(),
            });
        }
        Ok(self)
    }
}

/// A run killed during its renames is finished first, so nothing reads a half-renamed project
/// (a dry run leaves it as it is).
pub(crate) fn finish_interrupted_run(job: &Job, overrides: &Overrides) -> Result<()> {
    let may_write = |p: &Path| render::may_write(p) || overrides.may_write(p);
    if !job.run.dry_run {
        if let Some(notice) = output::recover(&job.target, &may_write)? {
            eprintln!("warning: {notice}");
        }
    }
    Ok(())
}

/// What a run answers from: the record it read, the answer layers and, for `init`, the
/// project as detected.
pub(crate) struct Inputs {
    /// The project's record (`init`, `update`, `check`), when there is one.
    pub(crate) record: Option<AnswersFile>,
    pub(crate) layers: Layers,
    /// The project read by `init` (`None` for `new`).
    pub(crate) detection: Option<detect::Detection>,
}

/// Reads what a run answers from. `init` reads the project's record (only when it stays
/// inside the project): its answers, unless `--answers` names another file, and its hashes,
/// the merge base. The answers the record derived are derived again (`forget_derived`).
pub(crate) fn read(job: &Job, overrides: &Overrides) -> Result<Inputs> {
    let record_path = job.target.join(RECORD_FILE);
    let record = match job.scope {
        Scope::Artifacts if record_path.is_file() => {
            fsread::resolve_inside(&job.target, &record_path)
                .map_err(|e| e.into_error(&record_path))?;
            Some(read_answers(&record_path, &job.flags.partial)?)
        }
        _ => None,
    };
    let mut layers = layers(&job.target, &job.flags, record.as_ref())?;
    layers.org = overrides::defaults::load(&job.target, overrides)?;
    let detection = match job.scope {
        Scope::Project => None,
        Scope::Artifacts => Some(detected(&job.target, &mut layers)?),
    };
    if job.flags.answers_file.is_none() && record.is_some() {
        answers::forget_derived(&mut layers);
    }
    Ok(Inputs {
        record,
        layers,
        detection,
    })
}

/// The project's facts for the answered package: a new project's stub, or what `init`
/// detected with the source layout settled.
pub(crate) fn layout(detection: Option<&detect::Detection>, target: &Path, package: &str) -> Facts {
    match detection {
        None => Facts::new_project().with_new_stub(package),
        Some(d) => d.facts.for_package(target, package),
    }
}

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
