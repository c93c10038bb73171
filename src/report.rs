//! The human-readable report of a run: the answers with their origins (`--dry-run`), the plan
//! (dry run, the wizard's plan, written, or one line after the wizard), the diffs, what `init`
//! tells about how the container serves, the compiler note and `new`'s next step; and `--json`.
//! Only text is made here: `lib.rs` and `apply` decide what is shown when, `output` writes files.

use std::path::{Path, PathBuf};

use crate::answers::{Answers, Field, Problem};
use crate::error::Error;
use crate::facts::{DjangoSite, StubBuild};
use crate::model::{HealthCheck, Kind, Origin, Transport};
use crate::plan::{Action, Entry, Plan};
use crate::safety;
use crate::shell;

/// The answers, one per line with where each came from, for `--dry-run`:
/// `  --python        3.12  (from requires-python >=3.10)`.
pub fn summary(answers: &Answers) -> String {
    let preview = answers.preview();
    let mut out = String::from("answers:\n");
    for field in Field::ALL {
        if let Some((text, origin)) = preview.shown(*field) {
            let text = if text.is_empty() {
                "(none)".to_string()
            } else {
                text
            };
            let flag = format!("--{}", field.spec().flag);
            out.push_str(&format!("  {flag:<15} {text}  ({origin})\n"));
        }
    }
    out
}

/// The plan as text, one line per file: `  create     Dockerfile`.
pub fn describe(plan: &Plan, mode: Mode) -> String {
    let mut out = String::new();
    let changes = shown_entries(plan)
        .filter(|e| e.action != Action::Unchanged)
        .count();
    let target = plan.target.display();
    let header = match mode {
        Mode::DryRun => format!("plan (dry run, nothing written) for {target}:"),
        Mode::Plan => format!("plan for {target}:"),
        Mode::Wrote | Mode::Done if changes == 0 => {
            format!("nothing to write for {target}: every file is up to date")
        }
        Mode::Wrote => format!("wrote for {target}:"),
        Mode::Done => format!(
            "wrote {changes} file{} for {target}",
            if changes == 1 { "" } else { "s" }
        ),
    };
    out.push_str(&header);
    out.push('\n');
    // After the wizard showed the plan, a finished run says only what it did.
    if mode == Mode::Done {
        return out;
    }
    for e in shown_entries(plan) {
        let note = match e.action {
            Action::Conflict => "  (differs; --force overwrites)",
            Action::Merge => "  (your edits merged with dockwright's)",
            Action::Unmerged if e.path.extension().is_some_and(|x| x == "rej") => {
                "  (dockwright's change that conflicts with your edits; the file is untouched)"
            }
            Action::Unmerged => "  (your edits and dockwright's conflict: markers written)",
            Action::Overwrite if plan.backs_up(&e.path) => {
                "  (the old file is kept in .dockwright/backup/)"
            }
            _ => "",
        };
        out.push_str(&format!(
            "  {:<10} {}{note}\n",
            e.action.to_string(),
            e.path.display()
        ));
    }
    let updates = plan.count(Action::Update);
    let updated = if updates > 0 {
        format!(", {updates} to update")
    } else {
        String::new()
    };
    let merges = match (plan.count(Action::Merge), plan.count(Action::Unmerged)) {
        (0, 0) => String::new(),
        (m, u) => format!(", {m} to merge, {u} unmerged"),
    };
    out.push_str(&format!(
        "{} to create, {} unchanged{updated}, {} to overwrite{merges}, {} in conflict\n",
        plan.count(Action::Create),
        plan.count(Action::Unchanged),
        plan.count(Action::Overwrite),
        plan.count(Action::Conflict)
    ));
    out
}

/// The entries a report shows: all but the base store (`.dockwright/base/`), which is
/// written with the files it copies and would only repeat them.
fn shown_entries(plan: &Plan) -> impl Iterator<Item = &Entry> {
    plan.entries
        .iter()
        .filter(|e| !e.path.starts_with(crate::model::BASE_DIR))
}

/// How a plan is described.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `--dry-run`: the plan, nothing written.
    DryRun,
    /// The wizard's plan, before asking to write.
    Plan,
    /// After writing: the plan as done.
    Wrote,
    /// After writing, when the wizard has shown the plan already: one line.
    Done,
}

/// The version of every JSON object `--json` prints (its `schema` field): raised when a field
/// changes meaning or goes away, not when one is added.
pub const JSON_SCHEMA: u32 = 1;

/// `--json` when the run fails before a plan: the exit code, the kind of failure, the message
/// stderr shows, and each broken answer as `field`, `flag`, `value`, `rule`, `suggestion`.
pub fn error_json(err: &Error) -> serde_json::Value {
    let mut json = serde_json::json!({ "schema": JSON_SCHEMA });
    add_error(&mut json, err);
    json
}

/// Adds `exit_code`, `error` (`kind`, `message`) and `problems` for `err` to a JSON object.
pub fn add_error(json: &mut serde_json::Value, err: &Error) {
    let problem = |p: &Problem| {
        serde_json::json!({
            "field": p.field.spec().key,
            "flag": format!("--{}", p.field.spec().flag),
            "value": p.value,
            "rule": p.rule,
            "suggestion": p.example,
        })
    };
    let unreadable = |path: &Path, reason: &str| {
        serde_json::json!({
            "field": "answers_file",
            "flag": "--answers",
            "value": path.to_string_lossy(),
            "rule": format!("cannot be read: {reason}"),
            "suggestion": serde_json::Value::Null,
        })
    };
    let problems: Vec<serde_json::Value> = match err {
        Error::Invalid(problems) => problems.iter().map(problem).collect(),
        Error::InvalidWithFile {
            path,
            reason,
            problems,
        } => std::iter::once(unreadable(path, reason))
            .chain(problems.iter().map(problem))
            .collect(),
        Error::AnswersFile { path, reason } => vec![unreadable(path, reason)],
        _ => Vec::new(),
    };
    let kind = match err {
        Error::Invalid(_) | Error::InvalidWithFile { .. } => "invalid-answers",
        Error::AnswersFile { .. } => "answers-file",
        Error::Conflicts(_) => "conflicts",
        Error::Unmerged { .. } => "unmerged",
        Error::Stale(_) => "stale",
        Error::Unsupported { .. } => "unsupported",
        Error::Escape { .. } => "escape",
        Error::Project { .. } => "project",
        Error::Locked { .. } => "locked",
        Error::Changed { .. } => "changed",
        Error::Interrupted => "interrupted",
        Error::Io { .. } => "io",
        Error::Template(_) => "bug",
        Error::Blueprint { .. } => "blueprint",
    };
    json["exit_code"] = err.exit_code().into();
    json["error"] = serde_json::json!({ "kind": kind, "message": err.to_string() });
    json["problems"] = problems.into();
}

/// `--json` for a command line clap refused (a usage error): exit code 2 and clap's message.
pub fn usage_error_json(message: &str, exit_code: i32) -> serde_json::Value {
    serde_json::json!({
        "schema": JSON_SCHEMA,
        "exit_code": exit_code,
        "error": { "kind": "usage", "message": message.trim_end() },
        "problems": [],
    })
}

/// `--json`: the answers with their origins, the plan, and whether it was written.
pub fn json(answers: &Answers, plan: &Plan, written: bool) -> serde_json::Value {
    let preview = answers.preview();
    let mut values = serde_json::Map::new();
    for field in Field::ALL {
        let Some((_, origin)) = preview.shown(*field) else {
            continue;
        };
        let value =
            serde_json::to_value(answers.value_toml(*field)).unwrap_or(serde_json::Value::Null);
        let source = match &origin {
            Origin::Flag => "flag",
            Origin::Typed => "typed",
            Origin::AnswersFile(_) => "answers-file",
            Origin::Detected(_) => "detected",
            Origin::Default(_) => "default",
        };
        values.insert(
            field.spec().key.to_string(),
            serde_json::json!({ "value": value, "source": source, "origin": origin.to_string() }),
        );
    }
    let files: Vec<serde_json::Value> = shown_entries(plan)
        .map(|e| serde_json::json!({ "path": e.path.to_string_lossy(), "action": e.action.to_string() }))
        .collect();
    serde_json::json!({
        "schema": JSON_SCHEMA,
        "exit_code": 0,
        "target": plan.target.to_string_lossy(),
        "answers": values,
        "plan": files,
        "counts": {
            "create": plan.count(Action::Create),
            "unchanged": plan.count(Action::Unchanged),
            "update": plan.count(Action::Update),
            "overwrite": plan.count(Action::Overwrite),
            "conflict": plan.count(Action::Conflict),
            "merge": plan.count(Action::Merge),
            "unmerged": plan.count(Action::Unmerged),
        },
        "written": written,
    })
}

/// Unified diffs of every file the plan would change (`--dry-run --diff`).
pub fn diff(plan: &Plan) -> String {
    shown_entries(plan)
        .filter(|e| e.action != Action::Unchanged)
        .map(file_diff)
        .collect()
}

/// `check`'s report: the generated files that are not what `update` would leave (each with
/// why), then their diffs; or one line saying every file is current. The record and the base
/// store are dockwright's bookkeeping, not compared.
pub fn check(plan: &Plan, stale: &[PathBuf]) -> String {
    let target = plan.target.display();
    let mut out = String::new();
    if stale.is_empty() {
        out.push_str(&format!(
            "every generated file in {target} is current (or holds edits of yours that merge cleanly)\n"
        ));
        return out;
    }
    out.push_str(&format!(
        "not current in {target} (what `dockwright update` would do):\n"
    ));
    let stale_entries: Vec<&Entry> = plan
        .entries
        .iter()
        .filter(|e| stale.contains(&e.path))
        .collect();
    for e in &stale_entries {
        let why = match e.action {
            Action::Create => "missing",
            Action::Overwrite | Action::Update => "out of date",
            Action::Merge => "edited; the update merges cleanly",
            Action::Unmerged => "edited; the update conflicts with the edit",
            Action::Conflict => "edited, with no recorded base to merge from (--force overwrites)",
            Action::Unchanged => "holds unresolved conflict markers",
        };
        out.push_str(&format!("  {}  ({why})\n", e.path.display()));
    }
    for e in stale_entries {
        if e.action != Action::Unchanged {
            out.push_str(&file_diff(e));
        }
    }
    out
}

/// The unified diff of one planned file against what is on disk (`/dev/null` for a new file).
pub fn file_diff(e: &Entry) -> String {
    let old = e.existing.as_deref().unwrap_or("");
    let path = e.path.display().to_string();
    let (from, to) = match e.action {
        Action::Create => ("/dev/null".to_string(), format!("b/{path}")),
        Action::Unmerged if e.existing.is_none() => ("/dev/null".to_string(), format!("b/{path}")),
        _ => (format!("a/{path}"), format!("b/{path}")),
    };
    similar::TextDiff::from_lines(old, e.contents.as_str())
        .unified_diff()
        .context_radius(3)
        .header(&from, &to)
        .to_string()
}

/// What to do after `new`, like `docker init` ends: the commands to run, and, for when the
/// base image cannot be pulled, the one command that moves the images to another: the
/// skeleton's `requires-python` is its real floor (3.9), so any supported Python is accepted,
/// and every file `init` rewrites is still dockwright's, so no `--force` is needed.
pub fn next_steps(target: &Path, answers: &Answers) -> String {
    let serve = if answers.kind.value.serves_http() {
        " && just docker-up"
    } else {
        ""
    };
    let dir = shell::line(&[target.display().to_string()]);
    let (_, minor) = answers.python.value;
    let other = if minor > *crate::answers::rules::PYTHON_MINORS.start() {
        minor - 1
    } else {
        minor + 1
    };
    // A base image the user gave is recorded and kept when Python changes: name another image.
    let retry = if matches!(answers.base_image.origin, Origin::Default(_)) {
        format!("`cd {dir} && dockwright init --python 3.{other}` (or `--base-image IMAGE`)")
    } else {
        format!("`cd {dir} && dockwright init --base-image IMAGE`")
    };
    format!(
        "next: cd {dir} && just docker-build && just docker-test{serve}\n\
         (the images build FROM `{}`; if it cannot be pulled here, move them to another: {retry})\n",
        answers.base_image.value
    )
}

/// What `init` tells about how the container serves: the command, the server it adds and the
/// health check, each with where it came from (`--dry-run` shows every answer instead).
pub fn serving_notes(answers: &Answers) -> String {
    let mut out = format!(
        "command: {}  ({})\n",
        shell::line(&answers.command.value),
        answers.command.origin
    );
    if answers.kind.value == Kind::Mcp {
        out.push_str(&format!(
            "transport: {}  ({})\n",
            answers.transport.value.as_str(),
            answers.transport.origin
        ));
    }
    if !answers.server.value.is_empty() {
        out.push_str(&format!(
            "server:  {} added to the image  ({})\n",
            answers.server.value.join(" "),
            answers.server.origin
        ));
    }
    if answers.kind.value.serves_http() && answers.transport.value != Transport::Stdio {
        if let HealthCheck::Path(path) = &answers.health_path.value {
            out.push_str(&format!(
                "health:  {path} must answer 2xx  ({})\n",
                answers.health_path.origin
            ));
        } else {
            out.push_str(&format!(
                "health:  any HTTP answer below 500 at /  ({})\n",
                answers.health_path.origin
            ));
        }
    }
    out
}

/// What `init` read from a Django site and assumed for it: the settings module and why, the
/// variables given throw-away values for `collectstatic` at build time, and the migration
/// command with where it came from. Every name is the project's, shown escaped.
pub fn django_note(site: &DjangoSite) -> String {
    let why: Vec<String> = site.settings_why.split("; ").map(safety::shown).collect();
    let mut out = format!(
        "django:  settings {}  ({})\n",
        safety::shown(&site.settings),
        why.join("; ")
    );
    if site.static_root {
        let required = site.required_env.join(", ");
        let assumed = if required.is_empty() {
            "SECRET_KEY".to_string()
        } else if site.required_env.iter().any(|n| n == "SECRET_KEY") {
            format!("{required} (the settings read them without a default)")
        } else {
            format!("{required} (the settings read them without a default) and SECRET_KEY")
        };
        out.push_str(&format!(
            "         collectstatic at build time; assumed: throw-away values of {} in that step only, never in the image\n",
            safety::shown(&assumed)
        ));
        if !site.whitenoise {
            out.push_str("         nothing serves STATIC_ROOT yet (no WhiteNoise): see DOCKER_BEST_PRACTICES.md\n");
        }
    }
    if !site.required_env.is_empty() {
        out.push_str(&format!(
            "         the container needs {} at run time (compose passes it from .env)\n",
            safety::shown(&site.required_env.join(", "))
        ));
    }
    out.push_str(&format!(
        "         migrations: `just docker-migrate` runs {}  ({})\n",
        safety::shown(&shell::line(&site.migrate)),
        safety::shown(&site.migrate_why)
    ));
    out
}

/// A wheel that compiles C code: said after the plan, or with the dry run's.
pub fn compiler_note(why: &str) -> String {
    format!(
        "note: the wheel needs a C compiler ({}): the builder installs gcc and runs on each target platform; the runtime image has no compiler\n",
        safety::shown(why)
    )
}

/// How the image gets the project's code (`context::code_install`): copied last over the
/// installed package, the wheel after the dependency layer, or what builds it instead; and why.
pub fn code_note(code: &Result<StubBuild, String>) -> String {
    match code {
        Ok(s) if s.overlay => format!(
            "code: {} is copied over the installed package last, so a source change rebuilds in one step ({})\n",
            safety::shown(&s.code),
            safety::shown(&s.why)
        ),
        Ok(s) => format!(
            "code: the wheel, built after the dependency layer ({})\n",
            safety::shown(&s.why)
        ),
        // Each clause escaped and cut on its own: a reason names several files.
        Err(why) => format!(
            "code: {}\n",
            why.split("; ")
                .map(safety::shown)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// How the test image runs the project's suite and why, or that no tests were found.
pub fn test_note(run: &crate::context::TestRun, suite: &crate::facts::Suite) -> String {
    if !run.has_tests {
        return "tests: none found (no test_*.py, *_test.py or tests.py module, no tests/ or test/ directory, no pytest testpaths): `just docker-test` says so and fails until there are some\n".into();
    }
    let dir = match &run.workdir {
        Some(w) => format!("/app/{}", safety::shown(w)),
        None => "/app".into(),
    };
    let mut why = Vec::new();
    if run.django_runner {
        why.push("Django's own runner: no requirement names pytest-django".to_string());
    }
    if let Some(config) = &suite.config {
        why.push(format!(
            "pytest's configuration {}{}",
            safety::shown(config),
            if suite.testpaths {
                " sets testpaths"
            } else {
                ""
            }
        ));
    }
    if !suite.plugins.is_empty() {
        why.push(format!(
            "its addopts need {}, installed",
            safety::shown(&suite.plugins.join(", "))
        ));
    }
    if let Some(env) = &suite.env_file {
        why.push(format!(
            "{} passed with --env-file at run time",
            safety::shown(env)
        ));
    }
    let why = if why.is_empty() {
        String::new()
    } else {
        format!(" ({})", why.join("; "))
    };
    format!(
        "tests: {} in {dir}{why}\n",
        safety::shown(&crate::shell::line(&run.command))
    )
}

/// What to run after `init` wrote the files, fitting the project: build, the tests when it has
/// some, Django's migrations, then start a service, or run a command-line tool's `--help`.
/// `cd` first unless the project is the current directory.
pub fn init_next_step(target: &Path, answers: &Answers, has_tests: bool, django: bool) -> String {
    let mut steps = vec!["just docker-build".to_string()];
    if has_tests {
        steps.push("just docker-test".into());
    }
    let serves = answers.kind.value.serves_http() && answers.transport.value != Transport::Stdio;
    if serves && django {
        steps.push("just docker-migrate".into());
    }
    if serves {
        steps.push("just docker-up".into());
    } else if answers.kind.value == Kind::Cli {
        steps.push(format!("just docker-run {} --help", answers.image()));
    }
    let here = target.as_os_str().is_empty() || target == Path::new(".");
    let cd = if here {
        String::new()
    } else {
        format!("cd {} && ", shell::line(&[target.display().to_string()]))
    };
    format!("next: {cd}{}\n", steps.join(" && "))
}

/// A base image given that is not an official `python:3.Y` one: nothing here can read its
/// Python version, so it is said once, with what it must match.
pub fn base_image_note(answers: &Answers, requires_python: Option<&(String, String)>) -> String {
    let image = &answers.base_image;
    if matches!(image.origin, Origin::Default(_))
        || !crate::answers::agree::unchecked_base_image(&image.value)
    {
        return String::new();
    }
    let (major, minor) = answers.python.value;
    let against = match requires_python {
        // Read from the project: shown escaped and cut.
        Some((spec, place)) => format!(
            " against {} `{}`",
            safety::shown(place),
            safety::shown(spec)
        ),
        None => String::new(),
    };
    format!(
        "note: the base image `{}` is not an official python:X.Y image, so its Python version cannot be checked{against}: make sure it runs Python {major}.{minor} (ARG PYTHON_VERSION and the virtual environment's path follow that answer)\n",
        safety::shown(&image.value)
    )
}

/// A file the user kept while the others follow changed answers: the answers it was written
/// for, which the files written now contradict, and the two ways out.
pub fn kept_warning(path: &Path, answers: &[String]) -> String {
    format!(
        "warning: {} is kept as you edited it, but it was written for answers this run changes: {}; the files written now follow the new answers, so they contradict it: edit it to match, or run again and overwrite it (a copy is kept)",
        path.display(),
        answers.join(", ")
    )
}
