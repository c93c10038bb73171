//! The `blueprints` subcommand (`list`, `show`, `eject`, `context`), and the blueprints source
//! the project's record names, which every run falls back on when `--blueprints` is absent.
//! The listings themselves are `overrides::command`'s; this file picks the source and prints.

use std::io::Write;
use std::path::Path;

use crate::answers;
use crate::cli;
use crate::context;
use crate::error::{Error, Result};
use crate::fsread;
use crate::model::RECORD_FILE;
use crate::overrides;
use crate::safety;

/// The flag source of blueprints the project's record names (`[blueprints] flag`), read only
/// when the record stays inside the project; the source is checked like `--blueprints`.
pub(crate) fn recorded_blueprints(target: &Path) -> Option<String> {
    let path = target.join(RECORD_FILE);
    fsread::resolve_inside(target, &path).ok()?;
    let record = answers::read_answers_file(&path).ok()?;
    overrides::recorded_flag(record.blueprints.as_ref())
}

/// `dockwright blueprints list | show | eject | context`.
pub(crate) fn blueprints_command(
    action: cli::BlueprintsAction,
    project: &Path,
    flag: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    use cli::BlueprintsAction;
    use overrides::command;
    let load = || match flag {
        Some(spec) => overrides::Overrides::load(project, Some(overrides::Flag::Given(spec))),
        None => {
            let recorded = recorded_blueprints(project);
            let source = recorded.as_deref().map(overrides::Flag::Recorded);
            overrides::Overrides::load(project, source)
        }
    };
    let text = match action {
        BlueprintsAction::List => command::list(&load()?),
        BlueprintsAction::Show { name } => command::show(&load()?, &name)?,
        BlueprintsAction::Eject { name } => {
            let written = command::eject(project, &name)?;
            format!(
                "wrote {}: edit it there; `dockwright init` renders it in place of the built-in one\n",
                safety::shown_path(&written)
            )
        }
        BlueprintsAction::Context => context::fields::markdown(),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("cannot write to", "stdout", e))
}
