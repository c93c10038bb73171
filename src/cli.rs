//! Command-line parsing only (clap). Answers stay raw text here: validation lives in
//! `answers` so that every problem is reported together, whatever its source. The answer
//! flags are derived from the answers table, one per row.

use std::path::PathBuf;

use std::ffi::OsStr;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches, Args, Parser, Subcommand, ValueHint};

use crate::answers::{Field, Partial};
use crate::model::DeployTarget;

#[derive(Debug, Parser)]
#[command(name = "dockwright", version, about = "Give a Python project a production-grade Docker setup", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// `--json` was given: the run's outcome, an error too, is one JSON object on stdout.
    pub fn json(&self) -> bool {
        match &self.command {
            Command::New { run, .. } | Command::Init { run, .. } | Command::Update { run, .. } => {
                run.json
            }
            Command::Completions { .. } | Command::Check { .. } | Command::Blueprints { .. } => {
                false
            }
        }
    }
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
    /// Blueprints of your own: list them, show one, or eject a built-in one to start from
    Blueprints {
        #[command(subcommand)]
        action: BlueprintsAction,
        /// Project directory (its `.dockwright/blueprints/` is one of the sources)
        #[arg(long, global = true, default_value = ".", value_name = "DIR")]
        project: PathBuf,
        /// A folder of blueprints, or a git URL with a ref (`https://host/org/blueprints.git#v1`), above the project's and the user's
        #[arg(long, global = true, value_name = "DIR|URL#REF")]
        blueprints: Option<String>,
    },
    /// Bring the Docker setup up to date with this dockwright and the recorded answers: files you
    /// edited are merged three-way (your edits kept), conflicts marked (exit 3)
    Update {
        /// Project directory (with the `.dockwright.toml` that `init` wrote)
        #[arg(default_value = ".")]
        path: PathBuf,
        #[command(flatten)]
        answers: AnswerFlags,
        #[command(flatten)]
        run: RunFlags,
    },
    /// Check, writing nothing, that the generated files are what `update` would leave: exit 0 if
    /// so, 1 with a list and a diff if not (for CI and pre-commit)
    Check {
        /// Project directory (with the `.dockwright.toml` that `init` wrote)
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// Print a shell completion script: `dockwright completions bash > ~/.local/share/bash-completion/completions/dockwright`
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish
        shell: clap_complete::Shell,
    },
}

/// What `dockwright blueprints` does.
#[derive(Debug, Clone, Subcommand)]
pub enum BlueprintsAction {
    /// Every blueprint: its name, the file it writes, and its source (built-in, flag, project, user)
    List,
    /// Print the text of the blueprint NAME in effect (e.g. `Dockerfile.j2`)
    Show {
        /// The blueprint's name, as `list` prints it
        name: String,
    },
    /// Copy the built-in blueprint NAME to `.dockwright/blueprints/NAME` to start from (never overwrites)
    Eject {
        /// The blueprint's name, as `list` prints it
        name: String,
    },
    /// Print the fields a blueprint may use, from the code's doc comments (docs/context.md)
    Context,
}

/// How to run: prompting, planning, overwriting.
#[derive(Debug, Clone, Args)]
pub struct RunFlags {
    /// Never prompt: take flags, the answers file, detected values and defaults
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the plan (create / unchanged / update / overwrite / conflict) and write nothing; exits as the run would (3 on conflicts)
    #[arg(long)]
    pub dry_run: bool,
    /// Print the answers with their origins and the plan, or the error with its problems, as one JSON object on stdout (never prompts)
    #[arg(long)]
    pub json: bool,
    /// Overwrite files that differ from what dockwright would write; each edited file it replaces is kept in `.dockwright/backup/`
    #[arg(long)]
    pub force: bool,
    /// With --dry-run: print a unified diff of every file that would change
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
    /// A folder of blueprints of your own, or a git URL with a ref (`https://host/org/blueprints.git#v1`): they replace the built-in ones of the same name or add files
    #[arg(long, value_name = "DIR|URL#REF")]
    pub blueprints: Option<String>,
    /// How a merge of your edits with dockwright's that conflicts is written: `inline` (git-style
    /// markers in the file) or `rej` (the file untouched, dockwright's change in FILE.rej)
    #[arg(long, value_enum, default_value_t = ConflictStyle::Inline, value_name = "STYLE")]
    pub conflict: ConflictStyle,
}

/// `--conflict`: where a conflicting merge goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ConflictStyle {
    /// `<<<<<<< ours` … `>>>>>>> theirs` blocks in the file, as `git merge-file` writes them
    #[default]
    Inline,
    /// The file untouched; `FILE.rej` beside it holds dockwright's change as a unified diff
    Rej,
}

/// The answers of PRODUCT.md as given on the command line: one flag per row of the answers
/// table, plus `--answers FILE`.
#[derive(Debug, Clone, Default)]
pub struct AnswerFlags {
    /// The flags as the highest-precedence answers layer.
    pub partial: Partial,
    /// `--answers FILE`.
    pub answers_file: Option<PathBuf>,
}

const ANSWERS_FILE: &str = "answers_file";

impl Args for AnswerFlags {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        for field in Field::ALL {
            let spec = field.spec();
            let mut arg = Arg::new(spec.key)
                .long(spec.flag)
                .value_name(spec.value_name)
                .help(spec.help)
                .action(if spec.shape.repeatable() {
                    ArgAction::Append
                } else {
                    ArgAction::Set
                });
            if spec.shape == crate::answers::Shape::Command {
                arg = arg.allow_hyphen_values(true);
            }
            // Completion scripts offer a flag's fixed choices; any other answer is free text,
            // never a file name.
            let offered = offered(*field);
            arg = if offered.is_empty() {
                arg.value_hint(ValueHint::Other)
            } else {
                arg.value_parser(Offered(offered))
                    .hide_possible_values(true)
            };
            cmd = cmd.arg(arg);
        }
        cmd.arg(
            Arg::new(ANSWERS_FILE)
                .long("answers")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .value_hint(ValueHint::FilePath)
                .help("Answers file in the `.dockwright.toml` format (flags override it)"),
        )
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

/// The Python versions `--python` accepts, for completion (`rules::PYTHON_MINORS` as text).
const PYTHON_VERSIONS: &[&str] = &["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"];

/// The values a completion script offers for `field`'s flag: its fixed choices (the wizard's,
/// or the names a list answer takes); empty for free text.
pub fn offered(field: Field) -> &'static [&'static str] {
    match field {
        Field::Python => PYTHON_VERSIONS,
        Field::Arch => crate::answers::rules::ARCHES,
        Field::Deploy => DeployTarget::NAMES,
        other => other.spec().choices,
    }
}

/// Any text, as `StringValueParser`, that also names the values to complete: clap does not
/// refuse the others, so a wrong value is reported by the answers' rules with every other
/// problem (and a "did you mean"), not by clap alone.
#[derive(Clone)]
struct Offered(&'static [&'static str]);

impl TypedValueParser for Offered {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().map(|v| PossibleValue::new(*v))))
    }
}

impl clap::FromArgMatches for AnswerFlags {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut flags = AnswerFlags::default();
        flags.update_from_arg_matches(m)?;
        Ok(flags)
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        for field in Field::ALL {
            if let Some(values) = m.get_many::<String>(field.spec().key) {
                let values = values.cloned().collect();
                self.partial
                    .insert(*field, field.spec().shape.from_text(values));
            }
        }
        if let Some(path) = m.get_one::<PathBuf>(ANSWERS_FILE) {
            self.answers_file = Some(path.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Raw;

    #[test]
    fn python_versions_offered_are_the_supported_ones() {
        let supported: Vec<String> = crate::answers::rules::PYTHON_MINORS
            .map(|m| format!("3.{m}"))
            .collect();
        assert_eq!(PYTHON_VERSIONS, supported);
    }

    /// A value outside the offered ones still reaches the answers' rules (which list every
    /// problem and suggest the closest value), rather than being refused by clap.
    #[test]
    fn an_unoffered_value_is_parsed_for_the_rules_to_judge() {
        let cli = Cli::try_parse_from(["dockwright", "new", "p", "--kind", "webb"]).unwrap();
        let Command::New { answers, .. } = cli.command else {
            panic!()
        };
        assert_eq!(answers.partial[&Field::Kind], Raw::Text("webb".into()));
    }

    #[test]
    fn every_answer_has_its_flag() {
        let cli = Cli::try_parse_from([
            "dockwright",
            "new",
            "p",
            "--name",
            "x",
            "--port",
            "80",
            "--port",
            "81,82",
            "--command",
            "-v --flag",
            "--uid",
            "7",
            "--answers",
            "a.toml",
        ])
        .unwrap();
        let Command::New { answers, .. } = cli.command else {
            panic!()
        };
        assert_eq!(answers.partial[&Field::Name], Raw::Text("x".into()));
        assert_eq!(
            answers.partial[&Field::Ports],
            Raw::List(vec!["80".into(), "81".into(), "82".into()])
        );
        assert_eq!(
            answers.partial[&Field::Command],
            Raw::Text("-v --flag".into())
        );
        assert_eq!(answers.answers_file, Some(PathBuf::from("a.toml")));
        assert_eq!(answers.partial.len(), 4);
        use clap::CommandFactory;
        let mut cmd = Cli::command();
        let help = cmd
            .find_subcommand_mut("init")
            .unwrap()
            .render_help()
            .to_string();
        for field in Field::ALL {
            assert!(help.contains(&format!("--{}", field.spec().flag)), "{help}");
        }
    }
}
