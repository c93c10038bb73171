//! The three-way merge of a generated file the user edited: base = the file as dockwright
//! rendered it last time, ours = the file now, theirs = what this run renders. The merge is
//! `diffy`'s diff3 (a maintained crate, not one of our own); conflicts are marked as
//! `git merge-file --diff3 -L ours -L original -L theirs` marks them.

use diffy::{ConflictStyle, IncompleteHunkStyle, MergeOptions};

/// The largest file merged (bytes, of each of the three inputs): the diff is quadratic in
/// the worst case, and a generated file is a few kilobytes. A larger one stays a conflict.
pub const MERGE_MAX: usize = 1024 * 1024;

/// The outcome of merging one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// Every change of both sides applied.
    Clean(String),
    /// Overlapping changes: the text holds git-style conflict blocks.
    Conflicts(String),
}

/// Merges `ours` and `theirs` from their common `base`; `None` when an input is larger than
/// [`MERGE_MAX`].
pub fn three_way(base: &str, ours: &str, theirs: &str) -> Option<Merged> {
    if [base, ours, theirs].iter().any(|t| t.len() > MERGE_MAX) {
        return None;
    }
    let mut options = MergeOptions::new();
    options
        .set_conflict_style(ConflictStyle::Diff3)
        .set_incomplete_hunk_style(IncompleteHunkStyle::Git);
    Some(match options.merge(base, ours, theirs) {
        Ok(text) => Merged::Clean(text),
        Err(text) => Merged::Conflicts(text),
    })
}

/// Whether `text` still holds a conflict block a merge wrote (a `<<<<<<< ` line followed by a
/// `>>>>>>> ` line): such a file is unresolved, however it compares.
pub fn has_conflict_markers(text: &str) -> bool {
    let mut open = false;
    for line in text.lines() {
        if line.starts_with("<<<<<<< ") {
            open = true;
        } else if open && line.starts_with(">>>>>>> ") {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separate_edits_merge_and_overlapping_ones_are_marked() {
        let base = "FROM python:3.14\nRUN a\nCMD x\n";
        let ours = "FROM python:3.14\nRUN a\nRUN mine\nCMD x\n";
        let theirs = "FROM python:3.11\nRUN a\nCMD x\n";
        assert_eq!(
            three_way(base, ours, theirs),
            Some(Merged::Clean(
                "FROM python:3.11\nRUN a\nRUN mine\nCMD x\n".into()
            ))
        );
        let ours = "FROM python:3.12\nRUN a\nCMD x\n";
        let Some(Merged::Conflicts(text)) = three_way(base, ours, theirs) else {
            panic!("not a conflict")
        };
        assert!(text.starts_with("<<<<<<< ours\nFROM python:3.12\n||||||| original\nFROM python:3.14\n=======\nFROM python:3.11\n>>>>>>> theirs\n"), "{text}");
        assert!(has_conflict_markers(&text));
        assert!(!has_conflict_markers(base));
        assert_eq!(three_way(&"x".repeat(MERGE_MAX + 1), "", ""), None);
    }
}
