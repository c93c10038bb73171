//! One readable snapshot per answer set: every generated file, joined with `==> path <==` headers.
//! Re-bless with `INSTA_UPDATE=always cargo test` (or `cargo insta review`) and read the diff.

use crate::answer_sets::ANSWER_SETS;
use crate::test::tree;

pub(crate) fn joined(files: &std::collections::BTreeMap<String, String>) -> String {
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

#[test]
fn generated_projects_match_their_snapshots() {
    for set in ANSWER_SETS {
        let (_test, root) = set.generate();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(format!("dockwright new proj --yes {}", set.args.join(" ")));
        let _guard = settings.bind_to_scope();
        insta::assert_snapshot!(set.id, joined(&tree(&root)));
    }
}
