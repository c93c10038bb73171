//! dockwright: renders a production-grade Docker setup for a Python project.
//!
//! Data flows one way: `cli` → `answers` (merged, validated) ← `detect` → `context` →
//! `render` (in memory) → `plan` → `output`. See `docs/architecture.md`.

pub mod answers;
pub mod cli;
pub mod context;
pub mod detect;
pub mod error;
pub mod fsread;
pub mod justfile;
pub mod output;
pub mod plan;
pub mod render;
pub mod safety;
pub mod wizard;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use answers::{Answers, Layers, RECORD_FILE};
use cli::{AnswerFlags, Cli, Command, RunFlags};
use context::{Layout, RenderContext};
use error::{Error, Result};
use plan::Plan;
use render::{Rendered, Scope};

/// Runs one command line; the report goes to `out`. Prompts on the terminal only when stdin is
/// a terminal and `--yes` is absent.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let (Command::New { run, .. } | Command::Init { run, .. }) = &cli.command;
    if !run.yes && std::io::stdin().is_terminal() {
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
    let (target, flags, run, scope) = match cli.command {
        Command::New { path, answers, run } => {
            if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
                return Err(Error::Project {
                    path: path.clone(),
                    reason: format!(
                        "it exists and is not a directory; `new` creates a project directory: choose another path, e.g. `dockwright new {}-app`",
                        path.display()
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
                        path.display()
                    ),
                    hint: format!(
                        "create the project with `dockwright new {}`",
                        path.display()
                    ),
                });
            }
            (path, answers, run, Scope::Artifacts)
        }
    };
    // A run killed during its renames is finished first, so nothing reads a half-renamed project.
    if !run.dry_run {
        output::recover(&target)?;
    }
    let mut layers = layers(&target, &flags, scope)?;
    let detection = match scope {
        Scope::Project => None,
        Scope::Artifacts => Some(detected(&target, &mut layers)?),
    };
    let answers = match prompter.as_deref_mut() {
        Some(p) => wizard::ask(&layers, p)?,
        None => answers::resolve(&layers)?,
    };
    let layout = match &detection {
        None => Layout::default(),
        Some(d) => d.facts.layout(&target, &answers.package.value),
    };
    let mut rendered = render_all(&answers, layout, scope)?;
    let mut pristine = Rendered::new();
    if let Some(d) = &detection {
        justfile::import_into_user_justfile(&target, &d.facts, &mut rendered)?;
        pristine = recorded_render(&target, &layers, d)?;
    }
    if run.dry_run {
        let _ = out.write_all(wizard::summary(&answers).as_bytes());
    }
    apply(&target, rendered, &pristine, &run, out, prompter)
}

/// What the project's `.dockwright.toml` answers render to: the files as dockwright last wrote
/// them. Files still identical to these may be re-generated with changed answers without
/// `--force`. Empty when there is no record or it no longer resolves.
fn recorded_render(
    target: &Path,
    layers: &Layers,
    detection: &detect::Detection,
) -> Result<Rendered> {
    let record = target.join(RECORD_FILE);
    let Some((path, file)) = &layers.file else {
        return Ok(Rendered::new());
    };
    if *path != record {
        return Ok(Rendered::new());
    }
    let recorded = Layers {
        flags: answers::Partial::default(),
        file: Some((path.clone(), file.clone())),
        ..layers.clone()
    };
    let Ok(old) = answers::resolve(&recorded) else {
        return Ok(Rendered::new());
    };
    let layout = detection.facts.layout(target, &old.package.value);
    render_all(&old, layout, Scope::Artifacts)
}

/// Everything a run would write, in memory: the blueprints plus `.dockwright.toml`.
pub fn render_all(answers: &Answers, layout: Layout, scope: Scope) -> Result<Rendered> {
    let ctx = RenderContext::new(answers, layout);
    let mut rendered = render::render(&ctx, scope)?;
    rendered.insert(PathBuf::from(RECORD_FILE), answers::record(answers));
    Ok(rendered)
}

/// Reads the project into the detected layer; a project without `pyproject.toml` is refused
/// with what is supported and what to do, rather than guessed at.
fn detected(target: &Path, layers: &mut Layers) -> Result<detect::Detection> {
    let detection = detect::detect(target)?;
    if !detection.facts.has_pyproject {
        let mut found: Vec<String> = ["setup.py", "setup.cfg", "Pipfile"]
            .iter()
            .filter(|f| target.join(f).is_file())
            .map(|f| f.to_string())
            .collect();
        found.extend(detection.facts.requirements.iter().cloned());
        let found = if found.is_empty() {
            "no Python project files".to_string()
        } else {
            found.join(", ")
        };
        return Err(Error::Project {
            path: target.join("pyproject.toml"),
            reason: format!(
                "it does not exist (found {found}). dockwright builds a wheel from a `pyproject.toml` with a PEP 621 `[project]` table or Poetry's `[tool.poetry]`; add one (even a minimal `[project]` with `name`, `version`, `dependencies` and a `[build-system]`), then run `dockwright init` again. To start from scratch instead, use `dockwright new`"
            ),
        });
    }
    layers.detected = detection.answers.clone();
    layers.detected_origin = detection.origins.clone();
    layers.command_unknown = detection.command_unknown.clone();
    Ok(detection)
}

/// Collects the answer layers: flags, then `--answers` (or the project's `.dockwright.toml`).
fn layers(target: &Path, flags: &AnswerFlags, scope: Scope) -> Result<Layers> {
    let mut layers = Layers {
        flags: flags.to_partial(),
        fallback_name: dir_name(target),
        ..Layers::default()
    };
    let record = target.join(RECORD_FILE);
    let file = match &flags.answers_file {
        Some(path) => Some(path.clone()),
        None if scope == Scope::Artifacts && record.is_file() => Some(record),
        None => None,
    };
    if let Some(path) = file {
        // The project's own record is read only when it stays inside the project.
        if flags.answers_file.is_none() {
            fsread::resolve_inside(target, &path).map_err(|e| e.into_error(&path))?;
        }
        let partial = match answers::read_answers_file(&path) {
            Ok(partial) => partial,
            // A broken answers file must not hide the flags' problems: both are listed.
            Err(Error::AnswersFile { path, reason }) => {
                let flags_only = Layers {
                    flags: layers.flags.clone(),
                    fallback_name: layers.fallback_name.clone(),
                    ..Layers::default()
                };
                let mut problems = answers::preview(&flags_only).1;
                if problems.is_empty() {
                    return Err(Error::AnswersFile { path, reason });
                }
                problems.insert(
                    0,
                    error::Problem {
                        field: "--answers",
                        value: path.display().to_string(),
                        rule: format!("cannot be read: {reason}"),
                        example: "answers.toml with [answers] name = \"demo\"".into(),
                    },
                );
                return Err(Error::Invalid(problems));
            }
            Err(e) => return Err(e),
        };
        layers.file = Some((path, partial));
    }
    Ok(layers)
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

fn apply(
    target: &Path,
    rendered: Rendered,
    pristine: &Rendered,
    run: &RunFlags,
    out: &mut dyn Write,
    prompter: Option<&mut dyn wizard::Prompter>,
) -> Result<()> {
    let plan = Plan::build(
        target,
        rendered,
        run.force,
        &justfile::USER_JUSTFILES.map(PathBuf::from),
        pristine,
    )?;
    if run.dry_run {
        let _ = out.write_all(output::describe(&plan, true).as_bytes());
        if run.diff {
            let _ = out.write_all(output::diff(&plan).as_bytes());
        }
        return Ok(());
    }
    if let Some(p) = prompter {
        // The wizard shows the plan and writes only after a yes.
        for line in output::describe(&plan, true).lines().skip(1) {
            p.say(line);
        }
        if plan.conflicts().is_empty() && !p.confirm("Write these files?", true)? {
            let _ = writeln!(out, "nothing written");
            return Ok(());
        }
    }
    let report = output::describe(&plan, false);
    output::write(&plan)?;
    let _ = out.write_all(report.as_bytes());
    Ok(())
}
