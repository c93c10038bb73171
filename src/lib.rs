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
use cli::{AnswerFlags, Cli, Command, RunFlags};
use error::{Error, Result};
use facts::Facts;
use inputs::{detected, layers, read_answers};
use model::RECORD_FILE;
use plan::Base;
use render::Scope;
use rerun::{merge_base, PreviousRun};

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
    mut prompter: Option<&mut dyn wizard::Prompter>,
) -> Result<()> {
    // `update` and `check` need the record `init` wrote; `check` writes nothing.
    let (mut needs_record, mut checking) = (false, false);
    let (target, flags, run, scope) = match cli.command {
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
        Command::New { path, answers, run } => {
            if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
                return Err(Error::Project {
                    path: path.clone(),
                    reason: format!(
                        "it exists and is not a directory; `new` creates a project directory: choose another path, e.g. `dockwright new {}-app`",
                        safety::shown_path(&path)
                    ),
                });
            }
            (path, answers, run, Scope::Project)
        }
        Command::Init { path, answers, run } => {
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
            (path, answers, run, Scope::Artifacts)
        }
        Command::Update { path, answers, run } => {
            needs_record = true;
            (path, answers, run, Scope::Artifacts)
        }
        Command::Check { path } => {
            (needs_record, checking) = (true, true);
            let run = RunFlags {
                yes: true,
                dry_run: true,
                json: false,
                force: false,
                diff: false,
                conflict: cli::ConflictStyle::Inline,
                blueprints: None,
            };
            (path, AnswerFlags::default(), run, Scope::Artifacts)
        }
    };
    if needs_record && !target.join(RECORD_FILE).is_file() {
        return Err(Error::Project {
            path: target.join(RECORD_FILE),
            reason: "it does not exist (or is not a file); `update` and `check` work from the answers and files `dockwright init` recorded there: run `dockwright init` first".into(),
        });
    }
    prompter = prompter.filter(|_| !needs_record);
    // The blueprints of the user's own: `--blueprints`, else the source the record names.
    let recorded = match (&run.blueprints, scope) {
        (None, Scope::Artifacts) => recorded_blueprints(&target),
        _ => None,
    };
    let flag_source = match (&run.blueprints, &recorded) {
        (Some(spec), _) => Some(overrides::Flag::Given(spec)),
        (None, Some(spec)) => Some(overrides::Flag::Recorded(spec)),
        (None, None) => None,
    };
    let overrides = overrides::Overrides::load(&target, flag_source)?;
    let may_write = |p: &Path| render::may_write(p) || overrides.may_write(p);
    // A run killed during its renames is finished first, so nothing reads a half-renamed project.
    if !run.dry_run {
        if let Some(notice) = output::recover(&target, &may_write)? {
            eprintln!("warning: {notice}");
        }
    }
    // `init` reads the project's record (only when it stays inside the project): its answers,
    // unless `--answers` names another file, and its hashes, the merge base.
    let record_path = target.join(RECORD_FILE);
    let record = match scope {
        Scope::Artifacts if record_path.is_file() => {
            fsread::resolve_inside(&target, &record_path)
                .map_err(|e| e.into_error(&record_path))?;
            Some(read_answers(&record_path, &flags.partial)?)
        }
        _ => None,
    };
    let mut layers = layers(&target, &flags, record.as_ref())?;
    layers.org = overrides::defaults::load(&target, &overrides)?;
    let detection = match scope {
        Scope::Project => None,
        Scope::Artifacts => Some(detected(&target, &mut layers)?),
    };
    if flags.answers_file.is_none() && record.is_some() {
        answers::forget_derived(&mut layers);
    }
    let answers = match prompter.as_deref_mut() {
        Some(p) => wizard::ask(&layers, p)?,
        None => answers::resolve(&layers)?,
    };
    let layout = match &detection {
        None => Facts::new_project().with_new_stub(&answers.package.value),
        Some(d) => d.facts.for_package(&target, &answers.package.value),
    };
    let code = context::code_install(&answers, &layout);
    let test_run = context::test_run(&answers, &layout);
    let tests = report::test_note(&test_run, &layout.suite);
    let mut rendered = render_all_with(&answers, layout, scope, &overrides)?;
    let mut base = Base::default();
    let mut earlier: Option<PreviousRun> = None;
    if let Some(d) = &detection {
        justfile::import_into_user_justfile(&target, d.facts.has_user_justfile(), &mut rendered)?;
        if let Some(record) = record {
            earlier = PreviousRun::of(&target, &layers, d, &record.answers, &answers);
            base = merge_base(&target, &layers, d, record, &rendered)?;
        }
    }
    if checking {
        return check(&target, rendered, &base, out);
    }
    if run.dry_run && !run.json {
        let _ = out.write_all(report::summary(&answers).as_bytes());
    }
    let contradicted = |path: &Path| {
        earlier
            .as_ref()
            .map(|e| e.contradicted(path))
            .unwrap_or_default()
    };
    let written = apply(
        &target,
        rendered,
        &base,
        &run,
        &answers,
        out,
        prompter,
        &contradicted,
    )?;
    // How the container serves, with origins, after what `init` wrote (a run that writes
    // nothing says only that; `--dry-run` lists every answer with its origin above).
    if written && detection.is_some() && !run.json {
        let _ = out.write_all(report::serving_notes(&answers).as_bytes());
    }
    // A base image whose Python version nothing here can read.
    if (written || run.dry_run) && !run.json {
        let note = report::base_image_note(&answers, layers.requires_python.as_ref());
        let _ = out.write_all(note.as_bytes());
    }
    // A Django site: the settings, what collectstatic assumed, the migration command.
    if (written || run.dry_run) && !run.json {
        if let Some(site) = detection.as_ref().and_then(|d| d.facts.django.as_ref()) {
            let _ = out.write_all(report::django_note(site).as_bytes());
        }
    }
    // A wheel that compiles C code: said after the plan, or with the dry run's.
    if (written || run.dry_run) && !run.json {
        if let Some(why) = detection
            .as_ref()
            .and_then(|d| d.facts.needs_compiler.as_ref())
        {
            let _ = out.write_all(report::compiler_note(why).as_bytes());
        }
    }
    // Blueprints of the user's own (a project's folder is a file the repository ships).
    if (written || run.dry_run) && !run.json {
        let _ = out.write_all(overrides.note().as_bytes());
    }
    // How the image gets the code, and why: said by `init` (a new project's is always the copy).
    if (written || run.dry_run) && !run.json && detection.is_some() {
        let _ = out.write_all(report::code_note(&code).as_bytes());
    }
    // How the test image runs the suite, or that there is none: said by `init`.
    if (written || run.dry_run) && !run.json && detection.is_some() {
        let _ = out.write_all(tests.as_bytes());
    }
    // What to run next: `init` ends with it as `new` does.
    if written && !run.json {
        if let Some(d) = &detection {
            let next = report::init_next_step(
                &target,
                &answers,
                test_run.has_tests,
                d.facts.django.is_some(),
            );
            let _ = out.write_all(next.as_bytes());
        }
    }
    if written && scope == Scope::Project && !run.json {
        let _ = out.write_all(report::next_steps(&target, &answers).as_bytes());
    }
    Ok(())
}

#[cfg(test)]
mod layering;
