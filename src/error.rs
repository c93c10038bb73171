//! The one error type. Every message is lowercase, names the offending value and the way out.

use std::path::{Path, PathBuf};

use crate::answers::{AnswersError, Problem};
use crate::fsread::ReadError;
use crate::safety::shown_path;

/// Everything that can stop a run, grouped by the exit code the contract promises.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more answers broke a rule; every problem is listed, nothing was written (exit 2).
    #[error("invalid answers ({} problem{}):\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, format_problems(.0))]
    Invalid(Vec<Problem>),

    /// Files on disk differ from what would be written and `--force` was not given (exit 3).
    #[error("{} file{} already exist{} with different content; nothing was written:\n{}\nre-run with `--force` to overwrite, or `--dry-run` to see the plan", .0.len(), if .0.len() == 1 { "" } else { "s" }, if .0.len() == 1 { "s" } else { "" }, format_paths(.0))]
    Conflicts(Vec<PathBuf>),

    /// A merge of the user's edits with this run's files conflicts (exit 3); unless it was a
    /// dry run, the other files, and these with their conflicts marked, were written.
    #[error("{} file{} merge{} with conflicts ({}):\n{}\nresolve each `<<<<<<< ours` … `>>>>>>> theirs` block (for a `FILE.rej`: apply its change to FILE by hand and delete it), then run `dockwright check`; or `dockwright update --force` to take dockwright's files (yours are kept in .dockwright/backup/)", .paths.len(), if .paths.len() == 1 { "" } else { "s" }, if .paths.len() == 1 { "s" } else { "" }, if *.written { "written so; the other files were written too" } else { "dry run: nothing was written" }, format_paths(.paths))]
    Unmerged { paths: Vec<PathBuf>, written: bool },

    /// `check`: generated files differ from what `update` would write (exit 1).
    #[error("{} generated file{} not current:\n{}\nrun `dockwright update` to bring {} up to date (`dockwright update --dry-run --diff` shows the change; a file with conflict markers: resolve them by hand)", .0.len(), if .0.len() == 1 { " is" } else { "s are" }, format_paths(.0), if .0.len() == 1 { "it" } else { "them" })]
    Stale(Vec<PathBuf>),

    /// A feature the contract names but this version does not deliver yet (exit 2: the input is refused).
    #[error("{what} is not yet supported: {hint}")]
    Unsupported { what: String, hint: String },

    /// A path that would escape the target directory (a `..` or a symlink) (exit 2).
    #[error("refusing to write `{}`: it would escape the target directory `{}`", shown_path(.path), shown_path(.target))]
    Escape { path: PathBuf, target: PathBuf },

    /// The project's own files cannot be understood (exit 2).
    #[error("cannot use `{}`: {reason}", shown_path(.path))]
    Project { path: PathBuf, reason: String },

    /// The answers file could not be read or parsed (exit 2).
    #[error("cannot read answers file `{}`: {reason}", shown_path(.path))]
    AnswersFile { path: PathBuf, reason: String },

    /// The answers file could not be read and flags broke rules too: both are listed (exit 2).
    #[error("invalid answers ({} problems):\n  - --answers `{}`: cannot be read: {reason}\n{}", .problems.len() + 1, shown_path(.path), format_problems(.problems))]
    InvalidWithFile {
        path: PathBuf,
        reason: String,
        problems: Vec<Problem>,
    },

    /// Another dockwright run held the target's lock for longer than the wait (exit 1).
    #[error("another dockwright run is writing to `{}` and did not finish within {} s; nothing was written: wait for it to end, then run again", shown_path(.path), .waited.as_secs_f32())]
    Locked {
        path: PathBuf,
        waited: std::time::Duration,
    },

    /// Another run changed a file after this run planned (exit 1); nothing was written.
    #[error("`{}` in `{}` changed while this run waited for another dockwright run on the same directory; nothing was written: run again to plan from the new files", shown_path(.path), shown_path(.target))]
    Changed { path: PathBuf, target: PathBuf },

    /// The user pressed Ctrl-C at a prompt (exit 130, as a shell reports SIGINT).
    #[error("interrupted: nothing was written")]
    Interrupted,

    /// File system trouble while reading or writing (exit 1).
    #[error("{action} `{}`: {source}", shown_path(.path))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A blueprint of the user's own (`dockwright blueprints`) was refused or failed to render:
    /// its file (and line), nothing written (exit 2).
    #[error("{}{}: {reason}", shown_path(.path), .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Blueprint {
        path: PathBuf,
        line: Option<usize>,
        reason: String,
    },

    /// A blueprint failed to render: a bug in dockwright, not in the user's input (exit 1).
    #[error("blueprint error (a dockwright bug, please report it): {0:#}")]
    Template(#[from] minijinja::Error),
}

fn format_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn format_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("  - {}", shown_path(p)))
        .collect::<Vec<_>>()
        .join("\n")
}

impl ReadError {
    /// As the crate's error for `path`: a plain I/O failure exits 1, a refused file 2.
    pub fn into_error(self, path: &Path) -> Error {
        match self {
            ReadError::Io(e) => Error::io("cannot read", path, e),
            other => Error::Project {
                path: path.to_path_buf(),
                reason: other.reason(),
            },
        }
    }
}

impl From<AnswersError> for Error {
    fn from(e: AnswersError) -> Error {
        match e {
            AnswersError::Invalid(problems) => Error::Invalid(problems),
            AnswersError::File { path, reason } => Error::AnswersFile { path, reason },
        }
    }
}

impl Error {
    /// The process exit code for this error: 2 invalid input, 3 conflicts, 1 anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid(_)
            | Error::InvalidWithFile { .. }
            | Error::Unsupported { .. }
            | Error::Escape { .. }
            | Error::AnswersFile { .. }
            | Error::Project { .. }
            | Error::Blueprint { .. } => 2,
            Error::Conflicts(_) | Error::Unmerged { .. } => 3,
            Error::Interrupted => 130,
            Error::Io { .. }
            | Error::Template(_)
            | Error::Stale(_)
            | Error::Locked { .. }
            | Error::Changed { .. } => 1,
        }
    }

    /// Shorthand for an I/O error with the path it concerns.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
