//! Issue 20: `dockwright update` (and `init` on a re-run) merges the edits a user made to a
//! generated file with what dockwright renders now, three-way from the copy it kept in
//! `.dockwright/base/`; `dockwright check` says, writing nothing, whether the files are current.

use std::collections::BTreeMap;
use std::path::Path;

use crate::test::{tree, Run, Test};

/// Runs `dockwright args` in the test's directory, keeping the test (and its files).
fn dw(test: &Test, args: &[&str]) -> Run {
    let output = assert_cmd::Command::cargo_bin("dockwright")
        .unwrap()
        .current_dir(test.path())
        .args(args)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    Run { output }
}

/// `plain-lib` initialised for Python 3.14, its Dockerfile then edited by the user: a line of
/// their own after `WORKDIR /src`.
fn edited_project() -> (Test, String) {
    let test = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes", "--python", "3.14"]);
    test.run().expect_code(0);
    let path = test.path().join("proj/Dockerfile");
    let mine = std::fs::read_to_string(&path).unwrap().replacen(
        "WORKDIR /src\n",
        "WORKDIR /src\nRUN echo my-own-step\n",
        1,
    );
    assert!(mine.contains("my-own-step"));
    std::fs::write(&path, &mine).unwrap();
    (test, mine)
}

fn read(test: &Test, rel: &str) -> String {
    std::fs::read_to_string(test.path().join("proj").join(rel)).unwrap()
}

/// An edit that overlaps dockwright's change to Python 3.11: the Dockerfile's
/// `ARG PYTHON_VERSION` set to 3.12 by hand. Returns the file's new text.
fn edit_the_python_line(test: &Test) -> String {
    let path = test.path().join("proj/Dockerfile");
    let ours = std::fs::read_to_string(&path)
        .unwrap()
        .replace("ARG PYTHON_VERSION=3.14", "ARG PYTHON_VERSION=3.12");
    std::fs::write(&path, &ours).unwrap();
    ours
}

/// The Python version each file that names one says.
fn pythons(test: &Test) -> Vec<String> {
    super::hostile::versions(&test.path().join("proj"))
}

/// The drift: a kept Dockerfile stayed on 3.14 beside files regenerated for 3.11. Now
/// the edit survives and the Python version follows, through `update` and through `init`.
#[test]
fn update_keeps_an_edited_dockerfile_and_moves_its_python() {
    for command in ["init", "update"] {
        let (test, _) = edited_project();
        let run = dw(&test, &[command, "proj", "--yes", "--python", "3.11"]);
        run.expect_code(0);
        assert!(
            run.stdout().contains("merge      Dockerfile"),
            "{}",
            run.stdout()
        );
        let dockerfile = read(&test, "Dockerfile");
        assert!(
            dockerfile.contains("WORKDIR /src\nRUN echo my-own-step\n"),
            "{command}: {dockerfile}"
        );
        assert_eq!(pythons(&test), ["3.11", "3.11", "3.11"], "{command}");
        // The base moved with it: nothing more to merge, and the edit is still current.
        dw(&test, &["check", "proj"]).expect_code(0);
        assert!(!test.path().join("proj/.dockwright/backup").exists());
    }
}

/// Overlapping edits: the file gets the blocks `git merge-file --diff3` writes for the same
/// three texts with the same labels, the other files are written, and the run exits 3 naming it.
#[test]
fn a_conflict_is_marked_as_git_merge_file_marks_it() {
    let (test, _) = edited_project();
    let ours = edit_the_python_line(&test);
    let base = read(&test, ".dockwright/base/Dockerfile");
    // What dockwright renders for 3.11, from a fresh copy of the project.
    let fresh = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes", "--python", "3.11"]);
    fresh.run().expect_code(0);
    let theirs = read(&fresh, "Dockerfile");

    let run = dw(&test, &["update", "proj", "--python", "3.11"]);
    run.expect_code(3);
    assert!(
        run.stderr()
            .contains("1 file merges with conflicts (written so")
            && run.stderr().contains("  - Dockerfile"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stdout().contains("unmerged   Dockerfile"),
        "{}",
        run.stdout()
    );
    // The other files followed the answers.
    assert_eq!(pythons(&test)[0], "3.11");

    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("ours", &ours), ("original", &base), ("theirs", &theirs)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let git = std::process::Command::new("git")
        .current_dir(dir.path())
        .args([
            "merge-file",
            "-p",
            "--diff3",
            "-L",
            "ours",
            "-L",
            "original",
            "-L",
            "theirs",
        ])
        .args(["ours", "original", "theirs"])
        .output()
        .expect("git runs");
    assert_eq!(git.status.code(), Some(1), "one conflict");
    let merged = read(&test, "Dockerfile");
    assert_eq!(merged, String::from_utf8(git.stdout).unwrap());
    assert!(merged.contains("<<<<<<< ours\nARG PYTHON_VERSION=3.12\n||||||| original\nARG PYTHON_VERSION=3.14\n=======\nARG PYTHON_VERSION=3.11\n>>>>>>> theirs\n"), "{merged}");
    assert!(merged.contains("RUN echo my-own-step"), "{merged}");
    // Unresolved markers are not current.
    let check = dw(&test, &["check", "proj"]);
    check.expect_code(1);
    assert!(
        check
            .stdout()
            .contains("Dockerfile  (holds unresolved conflict markers)"),
        "{}",
        check.stdout()
    );
}

/// `--conflict rej`: the edited file is left as it is, and `Dockerfile.rej` beside it holds
/// dockwright's change as a unified diff.
#[test]
fn conflict_rej_leaves_the_file_and_writes_the_change_beside_it() {
    let (test, _) = edited_project();
    let ours = edit_the_python_line(&test);
    let run = dw(
        &test,
        &["update", "proj", "--python", "3.11", "--conflict", "rej"],
    );
    run.expect_code(3);
    assert!(
        run.stderr().contains("  - Dockerfile.rej"),
        "{}",
        run.stderr()
    );
    assert_eq!(read(&test, "Dockerfile"), ours);
    let rej = read(&test, "Dockerfile.rej");
    assert!(
        rej.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n")
            && rej.contains("\n-ARG PYTHON_VERSION=3.14\n+ARG PYTHON_VERSION=3.11\n"),
        "{rej}"
    );
}

/// `update --dry-run --diff` prints the merged file's diff (the Python line moves, the edit
/// stays) and writes nothing.
#[test]
fn a_dry_run_shows_the_merge_and_writes_nothing() {
    let (test, _) = edited_project();
    let before = tree(test.path());
    let run = dw(
        &test,
        &["update", "proj", "--python", "3.11", "--dry-run", "--diff"],
    );
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("merge      Dockerfile  (your edits merged"),
        "{out}"
    );
    let diff = out
        .split("--- a/Dockerfile\n+++ b/Dockerfile\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no diff of the Dockerfile: {out}"));
    let diff = diff.split("\n--- ").next().unwrap();
    assert!(
        diff.contains("\n-ARG PYTHON_VERSION=3.14\n+ARG PYTHON_VERSION=3.11\n"),
        "{diff}"
    );
    assert!(!diff.contains("-RUN echo my-own-step"), "{diff}");
    // The base store is bookkeeping: not listed, not diffed.
    assert!(!out.contains(".dockwright/base"), "{out}");
    assert_eq!(tree(test.path()), before);
}

/// The files `update` may change: the record, the base store, and the files it lists.
fn generated(root: &Path) -> Vec<String> {
    let record: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join(".dockwright.toml")).unwrap()).unwrap();
    let files = record["files"].as_table().unwrap();
    let mut out = vec![".dockwright.toml".to_string()];
    for f in files.keys() {
        out.push(f.clone());
        out.push(format!(".dockwright/base/{f}"));
    }
    out
}

/// Every file of the project but the generated ones keeps its bytes, and no other file
/// appears, through a merge.
#[test]
fn no_file_outside_the_generated_set_is_touched() {
    let (test, _) = edited_project();
    let root = test.path().join("proj");
    std::fs::write(root.join("notes.txt"), "mine\n").unwrap();
    std::fs::write(root.join("Dockerfile.orig"), "mine too\n").unwrap();
    let allowed = generated(&root);
    let before = tree(&root);
    dw(&test, &["update", "proj", "--python", "3.11"]).expect_code(0);
    let after = tree(&root);
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .collect();
    assert!(changed.contains(&&"Dockerfile".to_string()), "{changed:?}");
    for path in changed {
        assert!(allowed.contains(path), "{path} changed");
    }
    assert_eq!(after["notes.txt"], "mine\n");
}

/// A store file that does not hash to what the record says is never a base: the edited file is
/// a conflict as before the store (exit 3, nothing written), and `--force` replaces it keeping
/// a copy. The same holds for a record that has no base at all.
#[test]
fn a_base_that_is_not_the_recorded_one_is_never_merged_from() {
    let (test, mine) = edited_project();
    let root = test.path().join("proj");
    // As if an older dockwright had written the Dockerfile (another hash) and the store were
    // altered: neither the store nor today's render of the answers is the recorded base.
    std::fs::write(root.join(".dockwright/base/Dockerfile"), "FROM evil\n").unwrap();
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    let line = record
        .lines()
        .find(|l| l.starts_with("\"Dockerfile\" = "))
        .unwrap();
    let record = record.replace(
        line,
        &format!("\"Dockerfile\" = \"sha256:{}\"", "0".repeat(64)),
    );
    std::fs::write(root.join(".dockwright.toml"), record).unwrap();
    let before = tree(&root);
    let run = dw(&test, &["update", "proj", "--python", "3.11"]);
    run.expect_code(3);
    assert!(
        run.stderr().contains("nothing was written"),
        "{}",
        run.stderr()
    );
    assert_eq!(tree(&root), before);
    dw(&test, &["update", "proj", "--python", "3.11", "--force"]).expect_code(0);
    assert_eq!(
        std::fs::read_to_string(root.join(".dockwright/backup/Dockerfile")).unwrap(),
        mine
    );
    assert!(!read(&test, "Dockerfile").contains("my-own-step"));
}

/// `check`: 0 on files as rendered, 0 on an edit that merges with nothing to bring, 1 with the
/// list and a diff when an answer changed (or a file is missing); never writes; no record: 2.
#[test]
fn check_passes_current_files_and_edits_and_fails_drift_with_a_diff() {
    let test = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes", "--python", "3.14"]);
    test.run().expect_code(0);
    let run = dw(&test, &["check", "proj"]);
    run.expect_code(0);
    assert!(
        run.stdout()
            .contains("every generated file in proj is current"),
        "{}",
        run.stdout()
    );

    let (test, _) = edited_project();
    dw(&test, &["check", "proj"]).expect_code(0);

    // The recorded answer moves (by hand, or a teammate's run): the files are behind.
    let root = test.path().join("proj");
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    std::fs::write(
        root.join(".dockwright.toml"),
        record.replace("python = \"3.14\"", "python = \"3.11\""),
    )
    .unwrap();
    std::fs::remove_file(root.join("compose.yaml")).unwrap();
    let before = tree(&root);
    let run = dw(&test, &["check", "proj"]);
    run.expect_code(1);
    let out = run.stdout();
    for needle in [
        "  Dockerfile  (edited; the update merges cleanly)",
        "  DOCKER_BEST_PRACTICES.md  (out of date)",
        "  compose.yaml  (missing)",
        "-ARG PYTHON_VERSION=3.14\n+ARG PYTHON_VERSION=3.11\n",
    ] {
        assert!(out.contains(needle), "{needle} in {out}");
    }
    assert!(!out.contains("Dockerfile.test"), "{out}");
    assert!(
        run.stderr().contains("3 generated files are not current"),
        "{}",
        run.stderr()
    );
    assert_eq!(tree(&root), before);

    let bare = Test::new()
        .fixture("plain-lib", "proj")
        .args(["check", "proj"]);
    let run = bare.run();
    run.expect_code(2);
    assert!(
        run.stderr().contains("run `dockwright init` first"),
        "{}",
        run.stderr()
    );
    let run = dw(&bare, &["update", "proj"]);
    run.expect_code(2);
    let _: BTreeMap<String, String> = tree(bare.path());
}

/// A killed `update` leaves the old files or the new ones (the rename journal, rolled forward by
/// the next run), never a merged file beside a base it was not merged from: the next `update`
/// finds nothing to merge and `check` passes.
#[test]
fn a_killed_update_leaves_old_or_new() {
    let (test, _) = edited_project();
    let root = test.path().join("proj");
    let (mut journals, mut moved) = (0, 0);
    for i in 0..60u64 {
        let py = if i % 2 == 0 { "3.13" } else { "3.12" };
        let was = pythons(&test)[0].clone();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dockwright"))
            .current_dir(&root)
            .args(["update", "--python", py])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        use std::hash::BuildHasher;
        let micros = 10_000 + std::collections::hash_map::RandomState::new().hash_one(i) % 50_000;
        std::thread::sleep(std::time::Duration::from_micros(micros));
        let _ = child.kill();
        let _ = child.wait();
        journals += usize::from(root.join(".dockwright.journal").exists());
        let out =
            crate::hostile::run_with_deadline(&root, &["update"], 30).expect("re-run finishes");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = pythons(&test);
        assert!(v.iter().all(|x| *x == v[0]), "mixed: {v:?}");
        moved += usize::from(v[0] != was);
        assert!(read(&test, "Dockerfile").contains("RUN echo my-own-step"));
        let check = crate::hostile::run_with_deadline(&root, &["check"], 30).unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
    eprintln!(
        "killed updates: {moved} of 60 had merged (new), {journals} left a journal rolled forward"
    );
}

/// The shipped pre-commit hook: pre-commit's documented keys, and an entry that is a real
/// subcommand run on the whole project.
#[test]
fn the_pre_commit_hook_runs_dockwright_check() {
    if !crate::tools::yaml_available() {
        return;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let docs = crate::tools::yaml_docs(&manifest);
    let hooks = docs[0].as_array().expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "dockwright-check")
        .expect("the dockwright-check hook");
    const KEYS: &[&str] = &[
        "id",
        "name",
        "entry",
        "language",
        "files",
        "exclude",
        "types",
        "types_or",
        "exclude_types",
        "always_run",
        "fail_fast",
        "verbose",
        "pass_filenames",
        "require_serial",
        "description",
        "language_version",
        "minimum_pre_commit_version",
        "args",
        "stages",
    ];
    for key in hook.as_object().unwrap().keys() {
        assert!(
            KEYS.contains(&key.as_str()),
            "`{key}` is not a pre-commit hook key"
        );
    }
    assert!(["rust", "system"].contains(&hook["language"].as_str().unwrap()));
    assert_eq!(hook["pass_filenames"], false);
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split(' ').collect();
    assert_eq!(entry, ["dockwright", "check"]);
    // As pre-commit runs it: from the repository's root.
    let (test, _) = edited_project();
    let run = assert_cmd::Command::cargo_bin("dockwright")
        .unwrap()
        .current_dir(test.path().join("proj"))
        .args(&entry[1..])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// `--ci github`: the workflow says how to run the drift check.
#[test]
fn the_generated_workflow_shows_the_check() {
    let test = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes", "--ci", "github"]);
    test.run().expect_code(0);
    let workflow = read(&test, ".github/workflows/docker.yml");
    assert!(workflow.contains("`run: dockwright check`"), "{workflow}");
}
