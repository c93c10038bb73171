//! dockwright: renders a production-grade Docker setup for a Python project.
//!
//! Data flows one way: `cli` → `answers` ← `detect` → `context` → `render` (in memory, from the
//! `catalogue`) → `plan` → `output`. Shared types live in the leaf modules `model` and `shell`.
//! See `docs/architecture.md`; the `modules_import_only_downstream` test keeps it true.

pub mod answers;
pub mod catalogue;
pub mod cli;
pub mod context;
pub mod detect;
pub mod embedded;
pub mod error;
pub mod facts;
pub mod fsread;
pub mod journal;
pub mod justfile;
pub mod merge;
pub mod model;
pub mod output;
pub mod overrides;
pub mod plan;
pub mod render;
pub mod report;
pub mod safety;
pub mod secrets;
pub mod shell;
pub mod store;
pub mod wizard;

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use answers::file::AnswersFile;
use answers::{Answers, Layers};
use cli::{AnswerFlags, Cli, Command, RunFlags};
use context::RenderContext;
use error::{Error, Result};
use facts::Facts;
use model::{Rendered, RECORD_FILE, USER_JUSTFILES};
use plan::{Base, Plan};
use render::Scope;

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

/// What dockwright wrote last time, from the project's record: the hash of every file it
/// wrote; for a record without hashes, what its answers render to today.
fn merge_base(
    target: &Path,
    layers: &Layers,
    detection: &detect::Detection,
    record: AnswersFile,
    rendered: &Rendered,
) -> Result<Base> {
    let mut base = Base {
        consumed: [PathBuf::from(RECORD_FILE)].into(),
        ..Base::default()
    };
    if !record.files.is_empty() {
        base.hashes = record.files;
        // The base of each file: the store's copy; else, for a record written before the store
        // (or a store not committed), today's render of the recorded answers when it is exactly
        // what was written. Either only when its hash is the recorded one.
        base.texts = store::load(target, &base.hashes, rendered.keys());
        if rendered
            .keys()
            .any(|p| base.hashes.contains_key(p) && !base.texts.contains_key(p))
        {
            let recorded = Layers {
                flags: answers::Partial::default(),
                typed: Default::default(),
                file: Some((target.join(RECORD_FILE), record.answers)),
                ..layers.clone()
            };
            if let Ok(old) = answers::resolve(&recorded) {
                let layout = detection.facts.for_package(target, &old.package.value);
                let again = render_all(&old, layout, Scope::Artifacts)?;
                for (path, text) in store::verified(&base.hashes, &again) {
                    base.texts.entry(path).or_insert(text);
                }
            }
        }
        return Ok(base);
    }
    let recorded = Layers {
        flags: answers::Partial::default(),
        file: Some((target.join(RECORD_FILE), record.answers)),
        ..layers.clone()
    };
    if let Ok(old) = answers::resolve(&recorded) {
        let layout = detection.facts.for_package(target, &old.package.value);
        base.pristine = render_all(&old, layout, Scope::Artifacts)?;
    }
    Ok(base)
}

/// Everything a run would write, in memory: the blueprints plus `.dockwright.toml`, which
/// records the answers and the hash of every artifact, and the base store (`store`): each
/// artifact as rendered, under `.dockwright/base/`, the next update's merge base.
pub fn render_all(answers: &Answers, layout: Facts, scope: Scope) -> Result<Rendered> {
    render_all_with(answers, layout, scope, &overrides::Overrides::none())
}

/// [`render_all`] with blueprints of the user's own; the record names them (`[blueprints]`).
pub fn render_all_with(
    answers: &Answers,
    layout: Facts,
    scope: Scope,
    overrides: &overrides::Overrides,
) -> Result<Rendered> {
    let ctx = RenderContext::new(answers, layout);
    let renders = render::render_with(&ctx, scope, overrides)?;
    let owned: BTreeMap<PathBuf, String> = renders
        .files
        .iter()
        .filter(|(path, _)| renders.owned.contains(*path))
        .map(|(p, c)| (p.clone(), c.clone()))
        .collect();
    let mut rendered = renders.files;
    let mut record = answers::record(answers, &owned);
    record.push_str(&overrides.record_section());
    rendered.insert(PathBuf::from(RECORD_FILE), record);
    rendered.extend(store::entries(&owned));
    Ok(rendered)
}

/// The flag source of blueprints the project's record names (`[blueprints] flag`), read only
/// when the record stays inside the project; the source is checked like `--blueprints`.
fn recorded_blueprints(target: &Path) -> Option<String> {
    let path = target.join(RECORD_FILE);
    fsread::resolve_inside(target, &path).ok()?;
    let record = answers::read_answers_file(&path).ok()?;
    overrides::recorded_flag(record.blueprints.as_ref())
}

/// `dockwright blueprints list | show | eject | context`.
fn blueprints_command(
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

/// Reads the project into the detected layer; a project without `pyproject.toml` is refused
/// with what is supported and what to do, rather than guessed at.
fn detected(target: &Path, layers: &mut Layers) -> Result<detect::Detection> {
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
fn layers(target: &Path, flags: &AnswerFlags, record: Option<&AnswersFile>) -> Result<Layers> {
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
fn read_answers(path: &Path, flags: &answers::Partial) -> Result<AnswersFile> {
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

/// The answers of the previous run (from the record) and what they rendered, to name the
/// answers a file the user keeps contradicts: an answer whose change alone changes that file.
/// Re-rendering is exact where parsing the kept file (`ARG PYTHON_VERSION=`) would cover one
/// answer of one file: the record says what the kept file was generated with, and each changed
/// answer is tried alone on top of it.
struct PreviousRun {
    target: PathBuf,
    layers: Layers,
    facts: Facts,
    old_files: Rendered,
    /// The answers that changed: field, old shown value, new shown value.
    changed: Vec<(answers::Field, String, String)>,
}

impl PreviousRun {
    fn of(
        target: &Path,
        layers: &Layers,
        detection: &detect::Detection,
        recorded: &answers::Partial,
        now: &Answers,
    ) -> Option<PreviousRun> {
        let layers = Layers {
            flags: answers::Partial::default(),
            typed: Default::default(),
            file: Some((target.join(RECORD_FILE), recorded.clone())),
            ..layers.clone()
        };
        let old = answers::resolve(&layers).ok()?;
        let (was, is) = (old.preview(), now.preview());
        let changed: Vec<_> = answers::Field::ALL
            .iter()
            .filter_map(|f| {
                let (a, _) = was.shown(*f)?;
                let (b, _) = is.shown(*f)?;
                (a != b).then_some((*f, a, b))
            })
            .collect();
        if changed.is_empty() {
            return None;
        }
        let facts = detection.facts.clone();
        let layout = facts.for_package(target, &old.package.value);
        let old_files = render_all(&old, layout, Scope::Artifacts).ok()?;
        Some(PreviousRun {
            target: target.to_path_buf(),
            layers,
            facts,
            old_files,
            changed,
        })
    }

    /// The changed answers that, each alone, change the file at `path`.
    fn contradicted(&self, path: &Path) -> Vec<String> {
        let Some(before) = self.old_files.get(path) else {
            return Vec::new();
        };
        self.changed
            .iter()
            .filter(|(field, _, now)| {
                let mut one = self.layers.clone();
                one.flags
                    .insert(*field, field.spec().shape.from_text(vec![now.clone()]));
                let Ok(a) = answers::resolve(&one) else {
                    // Not valid alone (it moves with another answer): it changed all the same.
                    return true;
                };
                let layout = self.facts.for_package(&self.target, &a.package.value);
                render_all(&a, layout, Scope::Artifacts)
                    .map(|files| files.get(path) != Some(before))
                    .unwrap_or(true)
            })
            .map(|(field, was, now)| {
                format!("{} {} (now {})", field.spec().key, show(was), show(now))
            })
            .collect()
    }
}

/// An answer's value in a warning: shown escaped and cut, `(none)` when empty.
fn show(value: &str) -> String {
    if value.is_empty() {
        "(none)".into()
    } else {
        safety::shown(value)
    }
}

/// Plans and writes (or, with `--dry-run`, only shows); returns whether files were written.
/// A dry run exits as the real run would: conflicts are an error (exit 3) after the plan.
#[allow(clippy::too_many_arguments)]
fn apply(
    target: &Path,
    rendered: Rendered,
    base: &Base,
    run: &RunFlags,
    answers: &Answers,
    out: &mut dyn Write,
    prompter: Option<&mut dyn wizard::Prompter>,
    contradicted: wizard::Contradicted,
) -> Result<bool> {
    let mut plan = Plan::build(
        target,
        rendered,
        run.force,
        &USER_JUSTFILES.map(PathBuf::from),
        base,
    )?
    .merge_edits(base, run.conflict == cli::ConflictStyle::Rej)?;
    if let Some(p) = prompter.filter(|_| !run.dry_run && !run.json) {
        // The wizard shows the plan, lets each conflicting file be overwritten, kept or
        // diffed, and writes only after a yes.
        for line in report::describe(&plan, report::Mode::Plan).lines().skip(1) {
            p.say(line);
        }
        wizard::resolve_conflicts(&mut plan, p, contradicted)?;
        if plan.conflicts().is_empty() && !p.confirm("Write these files?", true)? {
            let _ = writeln!(out, "nothing written");
            return Ok(false);
        }
        let plan = plan.with_backups(base)?;
        output::write(&plan)?;
        let _ = out.write_all(report::describe(&plan, report::Mode::Done).as_bytes());
        return unmerged(&plan, true);
    }
    let plan = plan.with_backups(base)?;
    if run.json {
        let written = !run.dry_run && plan.conflicts().is_empty();
        if written {
            output::write(&plan)?;
        }
        let mut json = report::json(answers, &plan, written);
        let conflicts = plan.conflicts();
        let result = if conflicts.is_empty() {
            match unmerged(&plan, written) {
                Ok(_) => Ok(written),
                Err(err) => {
                    report::add_error(&mut json, &err);
                    Err(err)
                }
            }
        } else {
            // One object: the plan, with the error it ends in.
            let err = error::Error::Conflicts(conflicts);
            report::add_error(&mut json, &err);
            Err(err)
        };
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return result;
    }
    if run.dry_run {
        let _ = out.write_all(report::describe(&plan, report::Mode::DryRun).as_bytes());
        if run.diff {
            let _ = out.write_all(report::diff(&plan).as_bytes());
        }
        return match plan.conflicts() {
            c if c.is_empty() => unmerged(&plan, false).map(|_| false),
            c => Err(error::Error::Conflicts(c)),
        };
    }
    output::write(&plan)?;
    let _ = out.write_all(report::describe(&plan, report::Mode::Wrote).as_bytes());
    unmerged(&plan, true)
}

/// After a plan is written (or shown): exit 3 naming each file whose merge conflicts.
fn unmerged(plan: &Plan, written: bool) -> Result<bool> {
    match plan.unmerged() {
        u if u.is_empty() => Ok(true),
        paths => Err(Error::Unmerged { paths, written }),
    }
}

/// `check`: the plan `update` would make, compared and never written. A file is current when
/// it is what this run renders, or holds edits of the user's that merge with it to the same
/// text; anything else (missing, out of date, an update still to merge, a conflict, unresolved
/// markers) is listed with its diff (exit 1). The record and the base store are bookkeeping.
fn check(target: &Path, rendered: Rendered, base: &Base, out: &mut dyn Write) -> Result<()> {
    let plan = Plan::build(
        target,
        rendered,
        false,
        &USER_JUSTFILES.map(PathBuf::from),
        base,
    )?
    .merge_edits(base, false)?;
    let stale: Vec<PathBuf> = plan
        .entries
        .iter()
        .filter(|e| e.path != Path::new(RECORD_FILE) && !store::is_store_path(&e.path))
        .filter(|e| e.action != plan::Action::Unchanged || merge::has_conflict_markers(&e.contents))
        .map(|e| e.path.clone())
        .collect();
    let _ = out.write_all(report::check(&plan, &stale).as_bytes());
    if stale.is_empty() {
        Ok(())
    } else {
        Err(Error::Stale(stale))
    }
}

#[cfg(test)]
mod layering;
