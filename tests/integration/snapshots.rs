//! Snapshots, and the one helper every snapshot test uses. Generated files are snapshotted as
//! one readable joined file per answer set (`==> path <==` headers), except
//! `DOCKER_BEST_PRACTICES.md`, which gets a snapshot of its own (`<id>-best-practices`), so a
//! change to the Dockerfile is not buried in 350 lines of prose.
//! Re-bless with `INSTA_UPDATE=always cargo test` (or `cargo insta review`) and read the diff.

use std::collections::BTreeMap;

use crate::answer_sets::ANSWER_SETS;
use crate::test::tree;

/// The generated file that is snapshotted on its own.
const OWN_SNAPSHOT: &str = "DOCKER_BEST_PRACTICES.md";

pub(crate) fn joined(files: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (path, contents) in files {
        out.push_str(&format!("==> {path} <==\n{contents}"));
        if !contents.ends_with('\n') {
            out.push_str("\n<no newline at end of file>\n");
        }
        out.push('\n');
    }
    out
}

/// Settings shared by every snapshot: stored in `snapshots/`, named by id alone, described by
/// the command that produced it.
pub(crate) fn settings(description: String) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(description);
    settings
}

/// Snapshots `text` as `id`.
#[track_caller]
pub(crate) fn assert_text(id: &str, description: String, text: &str) {
    settings(description).bind(|| insta::assert_snapshot!(id.to_string(), text));
}

/// Snapshots generated `files`: the joined files as `id`, and `DOCKER_BEST_PRACTICES.md` (when
/// present) as `id-best-practices`.
#[track_caller]
pub(crate) fn assert_files(id: &str, description: String, files: &BTreeMap<String, String>) {
    let mut files = files.clone();
    let doc = files.remove(OWN_SNAPSHOT);
    assert_text(id, description.clone(), &joined(&files));
    if let Some(doc) = doc {
        assert_text(
            &format!("{id}-best-practices"),
            format!("{OWN_SNAPSHOT} of: {description}"),
            &doc,
        );
    }
}

#[test]
fn generated_projects_match_their_snapshots() {
    for set in ANSWER_SETS {
        let (_test, root) = set.generate();
        assert_files(
            set.id,
            format!("dockwright new proj --yes {}", set.args.join(" ")),
            &tree(&root),
        );
    }
}
