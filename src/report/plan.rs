//! The plan as text: one line a file (`describe`, in each `Mode`), the diffs of `--dry-run
//! --diff` and of the wizard, `check`'s report, and the warning for a file kept against
//! changed answers.

use std::path::{Path, PathBuf};

use super::shown_entries;
use crate::plan::{Action, Entry, Plan};

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

/// A file the user kept while the others follow changed answers: the answers it was written
/// for, which the files written now contradict, and the two ways out.
pub fn kept_warning(path: &Path, answers: &[String]) -> String {
    format!(
        "warning: {} is kept as you edited it, but it was written for answers this run changes: {}; the files written now follow the new answers, so they contradict it: edit it to match, or run again and overwrite it (a copy is kept)",
        path.display(),
        answers.join(", ")
    )
}
