//! The human-readable report of a run: the answers with their origins (`--dry-run`), the plan
//! (dry run, the wizard's plan, written, or one line after the wizard), the diffs, what `init`
//! tells about how the container serves, the compiler note and `new`'s next step; and `--json`.
//! Only text is made here: `lib.rs` and `apply` decide what is shown when, `output` writes files.
//!
//! `plan.rs` the plan, its diffs and `check`'s report; `json.rs` `--json`; `notes.rs` what
//! follows the plan (how the container serves, the compiler, the code and the tests, and
//! `AfterRun`, which says which of them a run shows); `next_step.rs` what to run next.

mod json;
mod next_step;
mod notes;
mod plan;

pub use json::{add_error, error_json, json, usage_error_json, JSON_SCHEMA};
pub use next_step::{init_next_step, next_steps};
pub use notes::{
    base_image_note, code_note, compiler_note, django_note, serving_notes, test_note, AfterRun,
};
pub use plan::{check, describe, diff, file_diff, kept_warning, Mode};

use crate::answers::{Answers, Field};
use crate::plan::{Entry, Plan};

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

/// The entries a report shows: all but the base store (`.dockwright/base/`), which is
/// written with the files it copies and would only repeat them.
fn shown_entries(plan: &Plan) -> impl Iterator<Item = &Entry> {
    plan.entries
        .iter()
        .filter(|e| !e.path.starts_with(crate::model::BASE_DIR))
}
