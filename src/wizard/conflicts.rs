//! The conflict prompt: for each file that differs from what dockwright would write,
//! overwrite (keeping a copy), keep mine, or show the diff and ask again.

use super::Prompter;
use crate::error::Result;
use crate::plan::{Action, Plan};

/// The conflict prompt: the per-file choice for each file that differs: overwrite (a copy is kept in
/// `.dockwright/backup/`), keep mine (that file is not written), or show the diff and ask again.
pub fn resolve_conflicts(plan: &mut Plan, p: &mut dyn Prompter) -> Result<()> {
    let choices = [
        "overwrite (keep a copy in .dockwright/backup/)".to_string(),
        "keep mine".to_string(),
        "show diff".to_string(),
    ];
    let mut kept = Vec::new();
    for (i, e) in plan.entries.iter_mut().enumerate() {
        if e.action != Action::Conflict || e.existing.is_none() {
            continue;
        }
        loop {
            let prompt = format!(
                "{} differs from what dockwright would write",
                e.path.display()
            );
            match p.select(&prompt, &choices, 1)? {
                0 => {
                    e.action = Action::Overwrite;
                    break;
                }
                1 => {
                    kept.push(i);
                    break;
                }
                _ => {
                    let diff = crate::report::file_diff(e);
                    for line in diff.lines() {
                        p.say(line);
                    }
                }
            }
        }
    }
    for i in kept.into_iter().rev() {
        let e = plan.entries.remove(i);
        p.say(&format!("  keep       {}", e.path.display()));
    }
    Ok(())
}
