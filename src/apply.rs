//! The end of a run: the plan against the project, then written, shown (`--dry-run`, `--json`)
//! or walked through with the wizard, and the exit that says what is left (conflicts, unmerged
//! files); and `check`, the same plan compared and never written.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::answers::Answers;
use crate::cli::{self, RunFlags};
use crate::error::{self, Error, Result};
use crate::merge;
use crate::model::{Rendered, RECORD_FILE, USER_JUSTFILES};
use crate::output;
use crate::plan::{self, Base, Plan};
use crate::report;
use crate::store;
use crate::wizard;

/// Plans and writes (or, with `--dry-run`, only shows, after every answer with its origin);
/// returns whether files were written. A dry run exits as the real run would: conflicts are
/// an error (exit 3) after the plan.
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply(
    target: &Path,
    rendered: Rendered,
    base: &Base,
    run: &RunFlags,
    answers: &Answers,
    out: &mut dyn Write,
    prompter: Option<&mut dyn wizard::Prompter>,
    contradicted: wizard::Contradicted,
) -> Result<bool> {
    if run.dry_run && !run.json {
        let _ = out.write_all(report::summary(answers).as_bytes());
    }
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
pub(crate) fn check(
    target: &Path,
    rendered: Rendered,
    base: &Base,
    out: &mut dyn Write,
) -> Result<()> {
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
