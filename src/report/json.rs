//! `--json`: the answers with their origins, the plan and whether it was written, or the error
//! a run ends in, with each broken answer.

use std::path::Path;

use super::shown_entries;
use crate::answers::{Answers, Field, Problem};
use crate::error::Error;
use crate::model::Origin;
use crate::plan::{Action, Plan};

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
