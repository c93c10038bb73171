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
pub mod error;
pub mod facts;
pub mod fsread;
pub mod justfile;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod report;
pub mod safety;
pub mod shell;
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
        Command::Completions { .. } => false,
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
    let (target, flags, run, scope) = match cli.command {
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "dockwright", out);
            return Ok(());
        }
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
        None => Facts::new_project(),
        Some(d) => d.facts.for_package(&target, &answers.package.value),
    };
    let mut rendered = render_all(&answers, layout, scope)?;
    let mut base = Base::default();
    if let Some(d) = &detection {
        justfile::import_into_user_justfile(&target, d.facts.has_user_justfile(), &mut rendered)?;
        if let Some(record) = record {
            base = merge_base(&target, &layers, d, record)?;
        }
    }
    if run.dry_run && !run.json {
        let _ = out.write_all(report::summary(&answers).as_bytes());
    }
    let written = apply(&target, rendered, &base, &run, &answers, out, prompter)?;
    // How the container serves, with origins, after what `init` wrote (a run that writes
    // nothing says only that; `--dry-run` lists every answer with its origin above).
    if written && detection.is_some() && !run.json {
        let _ = out.write_all(report::serving_notes(&answers).as_bytes());
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
) -> Result<Base> {
    let mut base = Base {
        consumed: [PathBuf::from(RECORD_FILE)].into(),
        ..Base::default()
    };
    if !record.files.is_empty() {
        base.hashes = record.files;
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
/// records the answers and the hash of every artifact.
pub fn render_all(answers: &Answers, layout: Facts, scope: Scope) -> Result<Rendered> {
    let ctx = RenderContext::new(answers, layout);
    let renders = render::render(&ctx, scope)?;
    let owned: BTreeMap<PathBuf, String> = renders
        .files
        .iter()
        .filter(|(path, _)| renders.owned.contains(*path))
        .map(|(p, c)| (p.clone(), c.clone()))
        .collect();
    let mut rendered = renders.files;
    rendered.insert(PathBuf::from(RECORD_FILE), answers::record(answers, &owned));
    Ok(rendered)
}

/// Reads the project into the detected layer; a project without `pyproject.toml` is refused
/// with what is supported and what to do, rather than guessed at.
fn detected(target: &Path, layers: &mut Layers) -> Result<detect::Detection> {
    let detection = detect::detect(target)?;
    let setup_project = ["setup.py", "setup.cfg"]
        .iter()
        .any(|f| target.join(f).is_file());
    if !detection.facts.has_pyproject && !setup_project {
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
                "it does not exist (found {found}). dockwright builds a wheel from a `pyproject.toml` with a PEP 621 `[project]` table or Poetry's `[tool.poetry]`, or from a `setup.py` / `setup.cfg`; add one (even a minimal `[project]` with `name`, `version`, `dependencies` and a `[build-system]`), then run `dockwright init` again. To start from scratch instead, use `dockwright new`"
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

/// Plans and writes (or, with `--dry-run`, only shows); returns whether files were written.
/// A dry run exits as the real run would: conflicts are an error (exit 3) after the plan.
fn apply(
    target: &Path,
    rendered: Rendered,
    base: &Base,
    run: &RunFlags,
    answers: &Answers,
    out: &mut dyn Write,
    prompter: Option<&mut dyn wizard::Prompter>,
) -> Result<bool> {
    let mut plan = Plan::build(
        target,
        rendered,
        run.force,
        &USER_JUSTFILES.map(PathBuf::from),
        base,
    )?;
    if let Some(p) = prompter.filter(|_| !run.dry_run && !run.json) {
        // The wizard shows the plan, lets each conflicting file be overwritten, kept or
        // diffed, and writes only after a yes.
        for line in report::describe(&plan, report::Mode::Plan).lines().skip(1) {
            p.say(line);
        }
        wizard::resolve_conflicts(&mut plan, p)?;
        if plan.conflicts().is_empty() && !p.confirm("Write these files?", true)? {
            let _ = writeln!(out, "nothing written");
            return Ok(false);
        }
        let plan = plan.with_backups(base)?;
        output::write(&plan)?;
        let _ = out.write_all(report::describe(&plan, report::Mode::Done).as_bytes());
        return Ok(true);
    }
    let plan = plan.with_backups(base)?;
    if run.json {
        let written = !run.dry_run && plan.conflicts().is_empty();
        if written {
            output::write(&plan)?;
        }
        let json = report::json(answers, &plan, written);
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return match plan.conflicts() {
            c if c.is_empty() => Ok(written),
            c => Err(error::Error::Conflicts(c)),
        };
    }
    if run.dry_run {
        let _ = out.write_all(report::describe(&plan, report::Mode::DryRun).as_bytes());
        if run.diff {
            let _ = out.write_all(report::diff(&plan).as_bytes());
        }
        return match plan.conflicts() {
            c if c.is_empty() => Ok(false),
            c => Err(error::Error::Conflicts(c)),
        };
    }
    output::write(&plan)?;
    let _ = out.write_all(report::describe(&plan, report::Mode::Wrote).as_bytes());
    Ok(true)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// The modules in layers: a module may use only modules of an earlier layer, so data flows
    /// one way and no two modules import each other. `docs/architecture.md` draws the same.
    const LAYERS: &[&[&str]] = &[
        &["safety", "fsread"],
        &["model", "shell"],
        &["answers", "catalogue", "facts"],
        &["error"],
        &["cli", "detect", "context", "justfile", "plan"],
        &["render", "output", "report"],
        &["wizard"],
    ];

    fn layer(module: &str) -> usize {
        LAYERS
            .iter()
            .position(|l| l.contains(&module))
            .unwrap_or_else(|| panic!("module `{module}` is in no layer of LAYERS"))
    }

    /// `crate::x` paths used anywhere in `text`.
    fn uses(text: &str) -> Vec<String> {
        text.match_indices("crate::")
            .map(|(i, m)| {
                text[i + m.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect()
            })
            .collect()
    }

    /// The files of the same folder that `text` uses: `super::x` and `crate::folder::x` paths
    /// (also inside `{…}` groups) whose `x` is one of `siblings`. An item of the folder's
    /// `mod.rs` (`super::Layers`) is the folder's own glue, not a sibling.
    fn sibling_uses(text: &str, folder: &str, siblings: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let crate_path = format!("crate::{folder}::");
        for prefix in ["super::", crate_path.as_str()] {
            for (i, _) in text.match_indices(prefix) {
                if text[..i].ends_with("super::") {
                    continue;
                }
                let rest = &text[i + prefix.len()..];
                let names: Vec<String> = match rest.strip_prefix('{') {
                    // The top-level names of a group: `{rules::{self, X}, Raw}` → rules, Raw.
                    Some(group) => {
                        let (mut depth, mut names, mut at_start) = (0, Vec::new(), true);
                        let mut name = String::new();
                        for c in group.chars() {
                            match c {
                                '{' => depth += 1,
                                '}' if depth == 0 => break,
                                '}' => depth -= 1,
                                ',' if depth == 0 => at_start = true,
                                c if depth == 0 && at_start => {
                                    if c.is_ascii_alphanumeric() || c == '_' {
                                        name.push(c);
                                    } else if !name.is_empty() {
                                        names.push(std::mem::take(&mut name));
                                        at_start = false;
                                    }
                                }
                                _ => {}
                            }
                        }
                        names.extend((!name.is_empty()).then_some(name));
                        names
                    }
                    None => vec![rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect()],
                };
                out.extend(names.into_iter().filter(|n| siblings.contains(n)));
            }
        }
        out
    }

    /// A loop in `edges` (file → files it uses), as the files around it, if there is one.
    fn find_loop(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
        fn visit(
            node: &str,
            edges: &BTreeMap<String, BTreeSet<String>>,
            path: &mut Vec<String>,
            done: &mut BTreeSet<String>,
        ) -> Option<Vec<String>> {
            if let Some(at) = path.iter().position(|n| n == node) {
                let mut cycle = path[at..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            if !done.insert(node.to_string()) {
                return None;
            }
            path.push(node.to_string());
            for next in edges.get(node).into_iter().flatten() {
                if let Some(cycle) = visit(next, edges, path, done) {
                    return Some(cycle);
                }
            }
            path.pop();
            None
        }
        let mut done = BTreeSet::new();
        edges
            .keys()
            .find_map(|n| visit(n, edges, &mut Vec::new(), &mut done))
    }

    /// Inside a folder (`answers/`, `detect/`), the files use each other one way only: no loop.
    #[test]
    fn files_of_a_folder_import_without_a_loop() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut folders = 0;
        for dir in std::fs::read_dir(&src).unwrap() {
            let dir = dir.unwrap().path();
            if !dir.is_dir() {
                continue;
            }
            folders += 1;
            let folder = dir.file_name().unwrap().to_str().unwrap().to_string();
            let files: BTreeMap<String, String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .map(|p| {
                    let name = p.file_stem().unwrap().to_str().unwrap().to_string();
                    (name, std::fs::read_to_string(&p).unwrap())
                })
                .filter(|(name, _)| name != "mod")
                .collect();
            let siblings: Vec<String> = files.keys().cloned().collect();
            let edges: BTreeMap<String, BTreeSet<String>> = files
                .iter()
                .map(|(name, text)| {
                    let uses = sibling_uses(text, &folder, &siblings)
                        .into_iter()
                        .filter(|u| u != name)
                        .collect();
                    (name.clone(), uses)
                })
                .collect();
            if let Some(cycle) = find_loop(&edges) {
                panic!(
                    "src/{folder}/: {} use each other in a loop",
                    cycle.join(" → ")
                );
            }
        }
        assert!(folders >= 2, "only {folders} folders read");
        // The check itself can fail: grouped paths are read, and a loop is found.
        let siblings = ["rules".to_string(), "table".to_string()];
        assert_eq!(
            sibling_uses(
                "use super::{rules::{self, Fallback}, Raw};\nuse super::super::table;\nx(crate::answers::table::P)",
                "answers",
                &siblings
            ),
            ["rules", "table"]
        );
        let edges: BTreeMap<String, BTreeSet<String>> = [
            ("a".to_string(), ["b".to_string()].into()),
            ("b".to_string(), ["a".to_string()].into()),
        ]
        .into();
        assert_eq!(find_loop(&edges).unwrap(), ["a", "b", "a"]);
    }

    #[test]
    fn modules_import_only_downstream() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&src).unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let first = rel.components().next().unwrap().as_os_str();
            let module = first.to_str().unwrap().trim_end_matches(".rs");
            if matches!(module, "lib" | "main") {
                continue;
            }
            seen += 1;
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for used in uses(&text) {
                if used == module {
                    continue;
                }
                assert!(
                    layer(&used) < layer(module),
                    "{} uses crate::{used}, which is not upstream of `{module}`",
                    rel.display()
                );
            }
        }
        assert!(seen >= 14, "only {seen} module files read");
        // The check itself can fail: an import back up is caught.
        assert!(uses("use crate::render::Renders;") == ["render"]);
        assert!(layer("render") >= layer("context"));
    }
}

#[cfg(test)]
mod catalogue_tests {
    use crate::answers::{resolve, Field, Layers, Raw};
    use crate::catalogue::{Output, Role, CATALOGUE};
    use crate::facts::Facts;
    use crate::model::{Kind, MARKER};
    use crate::render::Scope;

    /// An entry that says it carries the ownership marker does, for every kind; one that says it
    /// does not, does not (the marker is how a justfile is told apart from the user's own).
    #[test]
    fn the_marker_is_where_the_catalogue_says() {
        for kind in Kind::NAMES {
            let mut layers = Layers::default();
            layers
                .flags
                .insert(Field::Kind, Raw::Text(kind.to_string()));
            // Every opt-in artifact on that the kind allows, so each entry is checked (the
            // cluster files are for the HTTP kinds; `new` serves MCP over HTTP).
            layers.flags.insert(Field::Ci, Raw::Text("github".into()));
            if Kind::parse(kind).is_some_and(Kind::serves_http) {
                layers.flags.insert(
                    Field::Deploy,
                    Raw::List(vec!["kubernetes".into(), "swarm".into()]),
                );
            }
            // A uv workspace member, so the workspace's ignore files are rendered too.
            layers
                .flags
                .insert(Field::Installer, Raw::Text("uv".into()));
            let layout = Facts {
                workspace: Some(crate::facts::Workspace {
                    root: "../..".into(),
                    member: "packages/api".into(),
                    package: "api".into(),
                    dependencies: vec!["packages/lib".into()],
                }),
                ..Facts::new_project()
            };
            let answers = resolve(&layers).unwrap();
            let rendered = crate::render_all(&answers, layout, Scope::Project).unwrap();
            for entry in CATALOGUE {
                let Role::Artifact { output, .. } = entry.role else {
                    continue;
                };
                let path = match output {
                    Output::Path(p) => p,
                    Output::JustFile => "justfile",
                    Output::Compose => crate::model::COMPOSE_FILE,
                };
                let Some(text) = rendered.get(std::path::Path::new(path)) else {
                    // Switched off for this kind: the cluster files of cli and library.
                    assert!(path.starts_with("deploy/"), "{path} of a {kind} project");
                    continue;
                };
                assert_eq!(
                    text.contains(MARKER),
                    entry.marker,
                    "{path} of a {kind} project"
                );
            }
        }
    }
}
