//! dockwright: renders a production-grade Docker setup for a Python project.
//!
//! Data flows one way: `cli` → `answers` ← `detect` → `context` → `render` (in memory, from the
//! `catalogue`) → `plan` → `output`. Shared types live in the leaf modules `model` and `shell`.
//! See `docs/architecture.md`; the `modules_import_only_downstream` test keeps it true.
//!
//! This file is the entry: `run` and `run_with` glue the steps of a run, each in its own module:
//! `inputs` (the answer layers and the detected project), `rerun` (what a previous run left),
//! `artifacts` (everything a run writes, in memory), `apply` (the plan written, shown or
//! checked) and `blueprints` (the `blueprints` subcommand).

pub mod answers;
mod apply;
mod artifacts;
mod blueprints;
pub mod catalogue;
pub mod cli;
pub mod context;
pub mod detect;
pub mod embedded;
pub mod error;
pub mod facts;
pub mod fsread;
mod inputs;
pub mod journal;
pub mod justfile;
pub mod merge;
pub mod model;
pub mod output;
pub mod overrides;
pub mod plan;
pub mod random;
pub mod render;
pub mod report;
mod rerun;
pub mod safety;
pub mod secrets;
pub mod shell;
pub mod store;
pub mod wizard;

use std::io::{IsTerminal, Write};
use std::path::Path;

use apply::{apply, check};
pub use artifacts::{render_all, render_all_with};
use blueprints::{blueprints_command, recorded_blueprints};
use cli::{Cli, Command};
use error::Result;
use inputs::{finish_interrupted_run, Inputs, Job};
use render::Scope;
use rerun::previous_run;

/// Runs one command line; the report goes to `out`. Prompts on the terminal only when stdin is
/// a terminal and `--yes` is absent.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let interactive = match &cli.command {
        Command::New { run, .. } | Command::Init { run, .. } => !run.yes && !run.json,
        // `update` and `check` never ask: they take the recorded answers.
        Command::Update { .. }
        | Command::Check { .. }
        | Command::Completions { .. }
        | Command::Blueprints { .. } => false,
    };
    if interactive && std::io::stdin().is_terminal() {
        let mut terminal = wizard::Terminal::new();
        run_with(cli, out, Some(&mut terminal))
    } else {
        run_with(cli, out, None)
    }
}

/// Runs one command line with an optional prompter (the wizard asks through it; `None` never prompts).
pub fn run_with(
    cli: Cli,
    out: &mut dyn Write,
    prompter: Option<&mut dyn wizard::Prompter>,
) -> Result<()> {
    let job = match cli.command {
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "dockwright", out);
            return Ok(());
        }
        Command::Blueprints {
            action,
            project,
            blueprints,
        } => return blueprints_command(action, &project, blueprints.as_deref(), out),
        Command::New { path, answers, run } => Job::new_project(path, answers, run)?,
        Command::Init { path, answers, run } => Job::init(path, answers, run)?,
        Command::Update { path, answers, run } => Job::update(path, answers, run)?,
        Command::Check { path } => Job::check(path)?,
    };
    // `update` and `check` never ask: they take the recorded answers.
    let mut prompter = prompter.filter(|_| !job.needs_record);
    let overrides = own_blueprints(&job)?;
    finish_interrupted_run(&job, &overrides)?;
    let Inputs {
        record,
        layers,
        detection,
    } = inputs::read(&job, &overrides)?;
    let answers = match prompter.as_deref_mut() {
        Some(p) => wizard::ask(&layers, p)?,
        None => answers::resolve(&layers)?,
    };
    let layout = inputs::layout(detection.as_ref(), &job.target, &answers.package.value);
    let after = report::AfterRun::new(
        &job.target,
        &answers,
        &layout,
        detection.as_ref().map(|d| &d.facts),
        layers.requires_python.as_ref(),
        overrides.note(),
    );
    let mut rendered = render_all_with(&answers, layout, job.scope, &overrides)?;
    if let Some(d) = &detection {
        justfile::import_into_user_justfile(
            &job.target,
            d.facts.has_user_justfile(),
            &mut rendered,
        )?;
    }
    let (base, earlier) = previous_run(
        &job.target,
        &layers,
        detection.as_ref(),
        record,
        &answers,
        &rendered,
    )?;
    if job.checking {
        return check(&job.target, rendered, &base, out);
    }
    let contradicted = |path: &Path| {
        earlier
            .as_ref()
            .map(|e| e.contradicted(path))
            .unwrap_or_default()
    };
    let written = apply(
        &job.target,
        rendered,
        &base,
        &job.run,
        &answers,
        out,
        prompter,
        &contradicted,
    )?;
    if !job.run.json {
        let _ = out.write_all(after.text(written, job.run.dry_run).as_bytes());
    }
    Ok(())
}

/// The blueprints of the user's own: `--blueprints`, else (for `init`, `update` and `check`)
/// the source the record names.
fn own_blueprints(job: &Job) -> Result<overrides::Overrides> {
    let recorded = match (&job.run.blueprints, job.scope) {
        (None, Scope::Artifacts) => recorded_blueprints(&job.target),
        _ => None,
    };
    let flag_source = match (&job.run.blueprints, &recorded) {
        (Some(spec), _) => Some(overrides::Flag::Given(spec)),
        (None, Some(spec)) => Some(overrides::Flag::Recorded(spec)),
        (None, None) => None,
    };
    overrides::Overrides::load(&job.target, flag_source)
}

#[cfg(test)]
mod layering;
