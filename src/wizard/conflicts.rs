//! The conflict prompt: for each file that differs from what dockwright would write,
//! overwrite (keeping a copy), keep mine, or show the diff and ask again.

use super::Prompter;
use crate::error::Result;
use crate::plan::{Action, Plan};

/// What a kept file contradicts: the answers it was written for that this run changes, as
/// `python 3.14 (now 3.11)`; empty when it contradicts none.
pub type Contradicted<'a> = &'a dyn Fn(&std::path::Path) -> Vec<String>;

/// The conflict prompt: the per-file choice for each file that differs: overwrite (a copy is kept in
/// `.dockwright/backup/`), keep mine (that file is not written), or show the diff and ask again.
/// A file kept while the others are written for changed answers gets a warning that names the
/// answers it contradicts (`contradicted`), before the run asks to write.
pub fn resolve_conflicts(
    plan: &mut Plan,
    p: &mut dyn Prompter,
    contradicted: Contradicted,
) -> Result<()> {
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
            // Esc has no earlier question here: the choice is asked again.
            match p.select(&prompt, &choices, 1)? {
                None => {}
                Some(0) => {
                    e.action = Action::Overwrite;
                    break;
                }
                Some(1) => {
                    kept.push(i);
                    break;
                }
                Some(_) => {
                    let diff = crate::report::file_diff(e);
                    for line in diff.lines() {
                        p.say(line);
                    }
                }
            }
        }
    }
    let mut warnings = Vec::new();
    for i in kept.into_iter().rev() {
        let e = plan.entries.remove(i);
        p.say(&format!("  keep       {}", e.path.display()));
        let answers = contradicted(&e.path);
        if !answers.is_empty() {
            warnings.push(crate::report::kept_warning(&e.path, &answers));
        }
    }
    for w in warnings.iter().rev() {
        p.say(w);
    }
    Ok(())
}
