//! Command-line parsing only (clap derive). Answers stay raw text here: validation lives in
//! `answers` so that every problem is reported together, whatever its source.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::answers::{Partial, RawCommand};

#[derive(Debug, Parser)]
#[command(name = "dockwright", version, about = "Give a Python project a production-grade Docker setup", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create PATH with a runnable Python project and its Docker setup
    New {
        /// Directory to create (its name is the default project name)
        path: PathBuf,
        #[command(flatten)]
        answers: AnswerFlags,
        #[command(flatten)]
        run: RunFlags,
    },
    /// Add the Docker setup to an existing Python project
    Init {
        /// Project directory
        #[arg(default_value = ".")]
        path: PathBuf,
        #[command(flatten)]
        answers: AnswerFlags,
        #[command(flatten)]
        run: RunFlags,
    },
}

/// How to run: prompting, planning, overwriting.
#[derive(Debug, Clone, Args)]
pub struct RunFlags {
    /// Never prompt: take flags, the answers file, detected values and defaults
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the plan (create / unchanged / conflict / overwrite) and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite files that differ from what dockwright would write
    #[arg(long)]
    pub force: bool,
    /// With --dry-run: print a unified diff of every file that would change
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
}

/// The answers of PRODUCT.md, as text.
#[derive(Debug, Clone, Default, Args)]
pub struct AnswerFlags {
    /// Project (distribution) name; also names the image [default: the directory name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Import package [default: the name with `-` as `_`]
    #[arg(long, value_name = "PACKAGE")]
    pub package: Option<String>,
    /// Python version, 3.9 to 3.14 [default: 3.12]
    #[arg(long, value_name = "X.Y")]
    pub python: Option<String>,
    /// Project kind: web, mcp, cli or library [default: web]
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Port to publish; repeat for more; the first is the app port [default: 8000 for web and mcp]
    #[arg(long = "port", value_name = "PORT")]
    pub ports: Vec<String>,
    /// Command the container runs, as a shell-like line [default: the console script]
    #[arg(long, value_name = "COMMAND", allow_hyphen_values = true)]
    pub command: Option<String>,
    /// Target architectures, comma-separated [default: amd64,arm64]
    #[arg(long, value_name = "ARCH,...")]
    pub arch: Vec<String>,
    /// Numeric user the image runs as, not 0 [default: 1000]
    #[arg(long, value_name = "UID")]
    pub uid: Option<String>,
    /// Base image [default: python:<python>-slim]
    #[arg(long, value_name = "IMAGE")]
    pub base_image: Option<String>,
    /// Installer used in the image: pip (uv is planned) [default: pip]
    #[arg(long, value_name = "INSTALLER")]
    pub installer: Option<String>,
    /// Minimum test coverage percent for Dockerfile.test [default: 85]
    #[arg(long, value_name = "PERCENT")]
    pub coverage_min: Option<String>,
    /// HTTP path of the health endpoint [default: /health]
    #[arg(long, value_name = "PATH")]
    pub health_path: Option<String>,
    /// Answers file in the `.dockwright.toml` format (flags override it)
    #[arg(long = "answers", value_name = "FILE")]
    pub answers_file: Option<PathBuf>,
}

impl AnswerFlags {
    /// The flags as the highest-precedence answers layer.
    pub fn to_partial(&self) -> Partial {
        let list = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
        Partial {
            name: self.name.clone(),
            package: self.package.clone(),
            python: self.python.clone(),
            kind: self.kind.clone(),
            ports: list(&self.ports),
            command: self.command.clone().map(RawCommand::Line),
            arch: list(&self.arch),
            uid: self.uid.clone(),
            base_image: self.base_image.clone(),
            installer: self.installer.clone(),
            coverage_min: self.coverage_min.clone(),
            health_path: self.health_path.clone(),
        }
    }
}
