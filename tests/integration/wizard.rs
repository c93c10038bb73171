//! The wizard, driven through a real pseudo-terminal: the binary believes a person is typing.

use std::process::Command;

use rexpect::session::{spawn_command, PtySession};

use crate::test::Test;

fn spawn(test: &Test, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockwright"));
    cmd.current_dir(test.path()).args(args).env("TERM", "xterm");
    spawn_command(cmd, Some(20_000)).expect("spawn in a pty")
}

/// Waits for a question and answers it; an empty answer takes the default.
fn answer(p: &mut PtySession, question: &str, reply: &str) {
    p.exp_string(question)
        .unwrap_or_else(|e| panic!("waiting for {question:?}: {e}"));
    p.send_line(reply).unwrap();
}

const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";

/// Picks items of a multi-select by their positions (0-based, ascending), then confirms.
fn pick(p: &mut PtySession, positions: &[usize]) {
    let mut at = 0;
    for &i in positions {
        while at < i {
            p.send(DOWN).unwrap();
            at += 1;
        }
        p.send(" ").unwrap();
    }
    p.send("\r").unwrap();
    p.flush().unwrap();
}

/// `init` of a project whose pyproject and uv.lock settle everything: one summary with the
/// detected answers and where each came from, "accept all", the plan once, and no question.
#[test]
fn init_shows_the_detected_answers_and_accepting_all_asks_nothing() {
    let test = Test::new().fixture("fastapi-uv", "proj");
    let mut p = spawn(&test, &["init", "proj"]);
    p.exp_string("answers (flags, the answers file, the project and defaults):")
        .unwrap();
    p.exp_string("Installer").unwrap();
    p.exp_string("from uv.lock").unwrap();
    answer(&mut p, "Use these answers?", "");
    p.exp_string("create     Dockerfile").unwrap();
    answer(&mut p, "Write these files?", "y");
    let rest = p.exp_eof().unwrap();
    // The plan is not printed again after confirming: one line says what was done.
    assert!(!rest.contains("create     Dockerfile"), "{rest:?}");
    assert!(rest.contains("files for proj"), "{rest:?}");
    let root = test.path().join("proj");
    assert!(root.join("Dockerfile").is_file());
    // Nothing was asked: the replies would be recorded as given answers.
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    assert!(!record.contains("base_image"), "{record}");
}

#[test]
fn change_some_asks_only_the_picked_answers_and_refuses_bad_ones_inline() {
    let test = Test::new();
    let mut p = spawn(&test, &["new", "shop", "--kind", "cli", "--uid", "1234"]);
    p.exp_string("Use these answers?").unwrap();
    p.send(DOWN).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    // Offered for change: what no flag settled (not the kind, not the UID), in table order:
    // name, package, python, ports, command, arch, base image, installer, coverage, health.
    p.exp_string("Which answers to change?").unwrap();
    pick(&mut p, &[0, 2, 4]);
    // A bad name is refused inline, in the prompt's words, with a suggestion.
    answer(&mut p, "Project name", "Bad Name!");
    let before = p.exp_string("did you mean `bad-name`?").unwrap();
    assert!(before.contains("Project name `Bad Name!`"), "{before:?}");
    assert!(
        !before.contains("--name"),
        "a flag the user never typed: {before:?}"
    );
    assert!(
        !before.contains('✔'),
        "the refused reply got a check mark: {before:?}"
    );
    p.send_line("bad-name").unwrap();
    answer(&mut p, "Python version", "2.7");
    p.exp_string("Python version `2.7`: must be a supported Python version")
        .unwrap();
    p.send_line("3.13").unwrap();
    answer(&mut p, "Command the container runs", "shop --verbose");
    // The summary again, with what changed, then the choice again.
    p.exp_string("answers now").unwrap();
    answer(&mut p, "Use these answers?", "");
    p.exp_string("create     Dockerfile").unwrap();
    answer(&mut p, "Write these files?", "y");
    p.exp_eof().unwrap();
    let root = test.path().join("shop");
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).expect("written");
    assert!(
        dockerfile.contains("ARG PYTHON_VERSION=3.13"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains(r#"ENTRYPOINT ["shop", "--verbose"]"#),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("USER 1234:1234"), "{dockerfile}");
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    assert!(record.contains("name = \"bad-name\""), "{record}");
    // Not picked, so not recorded: the base image keeps following the Python version.
    assert!(!record.contains("base_image"), "{record}");
}

/// With `--dry-run` the wizard still settles the answers, then prints the plan and exits as the
/// run would, without offering to write.
#[test]
fn a_dry_run_asks_the_answers_but_never_offers_to_write() {
    let test = Test::new();
    let mut p = spawn(&test, &["new", "shop", "--kind", "cli", "--dry-run"]);
    answer(&mut p, "Use these answers?", "");
    p.exp_string("plan (dry run, nothing written)").unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(!rest.contains("Write these files?"), "{rest:?}");
    assert!(!test.path().join("shop").exists());
}

#[test]
fn declining_the_plan_writes_nothing() {
    let test = Test::new();
    let mut p = spawn(&test, &["new", "shop", "--kind", "library"]);
    answer(&mut p, "Use these answers?", "");
    answer(&mut p, "Write these files?", "n");
    p.exp_string("nothing written").unwrap();
    p.exp_eof().unwrap();
    assert!(!test.path().join("shop").exists());
}

/// A file the user edited: the wizard offers overwrite / keep mine / show diff for it.
#[test]
fn a_conflicting_file_can_be_diffed_then_overwritten_with_a_copy_kept() {
    let test = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes"]);
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let mine = format!(
        "{}# my edit\n",
        std::fs::read_to_string(root.join("Dockerfile")).unwrap()
    );
    std::fs::write(root.join("Dockerfile"), &mine).unwrap();
    // A record without the base of its files (as an older dockwright wrote it): the edit cannot
    // be merged, so the run asks.
    forget_the_bases(&root);
    let mut p = spawn(&test, &["init", "proj", "--uid", "2000"]);
    answer(&mut p, "Use these answers?", "");
    p.exp_string("Dockerfile differs from what dockwright would write")
        .unwrap();
    p.send(DOWN).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("-# my edit").unwrap();
    p.exp_string("Dockerfile differs from what dockwright would write")
        .unwrap();
    p.send(UP).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    answer(&mut p, "Write these files?", "y");
    p.exp_eof().unwrap();
    let now = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    assert!(
        now.contains("USER 2000:2000") && !now.contains("# my edit"),
        "{now}"
    );
    let kept = std::fs::read_to_string(root.join(".dockwright/backup/Dockerfile")).unwrap();
    assert_eq!(kept, mine);
}

#[test]
fn ctrl_c_prints_one_line_restores_the_terminal_and_writes_nothing() {
    let test = Test::new();
    let mut p = spawn(&test, &["new", "shop"]);
    // A select prompt hides the cursor: interrupting there must show it again.
    p.exp_string("Use these answers?").unwrap();
    p.send_control('c').unwrap();
    let rest = p.exp_eof().unwrap();
    assert_eq!(rest.matches("nothing was written").count(), 1, "{rest:?}");
    assert!(!rest.contains("error"), "{rest:?}");
    assert!(rest.contains("\u{1b}[?25h"), "cursor shown again: {rest:?}");
    // nix's WaitStatus is not re-exported by rexpect; its Debug form says how the process ended.
    let status = format!("{:?}", p.process().wait().unwrap());
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 130)"),
        "{status}"
    );
    assert!(!test.path().join("shop").exists());
}

/// Issue 19: "keep mine" on the Dockerfile while the other files follow a changed Python: the
/// run warns, naming the answers the kept file contradicts, before it asks to write.
#[test]
fn keeping_a_file_while_the_answers_change_names_what_it_contradicts() {
    let test = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes", "--python", "3.14"]);
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let mine = format!(
        "{}# my edit\n",
        std::fs::read_to_string(root.join("Dockerfile")).unwrap()
    );
    std::fs::write(root.join("Dockerfile"), &mine).unwrap();
    // A record without the base of its files (as an older dockwright wrote it): the edit cannot
    // be merged, so the run asks.
    forget_the_bases(&root);
    let mut p = spawn(&test, &["init", "proj", "--python", "3.11"]);
    answer(&mut p, "Use these answers?", "");
    p.exp_string("Dockerfile differs from what dockwright would write")
        .unwrap();
    // The default is "keep mine".
    p.send("\r").unwrap();
    p.flush().unwrap();
    let said = p
        .exp_string("Write these files?")
        .unwrap_or_else(|e| panic!("no question after keeping: {e}"));
    assert!(
        said.contains("warning: Dockerfile is kept as you edited it")
            && said.contains("python 3.14 (now 3.11)"),
        "{said:?}"
    );
    // The other files are not named: only the kept one contradicts.
    assert!(!said.contains("Dockerfile.test is kept"), "{said:?}");
    p.send_line("y").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(
        std::fs::read_to_string(root.join("Dockerfile")).unwrap(),
        mine
    );
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    assert!(record.contains("python = \"3.11\""), "{record}");
}

const ESC: &str = "\x1b";

/// Issue 19: a default that breaks a rule (requires-python >=3.15 allows no supported Python,
/// so the default 3.12) is shown with its problem in the summary, before "accept all"; a
/// refused accept keeps the answers and asks again; Esc goes back to the previous question.
#[test]
fn the_summary_shows_a_broken_default_before_accept_and_esc_goes_back() {
    let test = Test::new().file(
        "proj/pyproject.toml",
        "[project]\nname = \"future\"\nversion = \"1.0\"\nrequires-python = \">=3.15\"\n",
    );
    std::fs::create_dir_all(test.path().join("proj/future")).unwrap();
    std::fs::write(test.path().join("proj/future/__init__.py"), "").unwrap();
    let mut p = spawn(&test, &["init", "proj"]);
    let summary = p
        .exp_string("Use these answers?")
        .unwrap_or_else(|e| panic!("no choice: {e}"));
    assert!(
        summary.contains(
            "Python version `3.12`: must satisfy pyproject.toml requires-python `>=3.15`"
        ),
        "{summary:?}"
    );
    // Accept all: refused with the problem, the choice is offered again.
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("cannot accept these answers:").unwrap();
    p.exp_string("Use these answers?").unwrap();
    // Change some: the name, then the Python version; Esc on the Python version goes back to
    // the name, which offers the reply typed before.
    p.send(DOWN).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("Which answers to change?").unwrap();
    pick(&mut p, &[0, 2]);
    answer(&mut p, "Project name", "shop");
    p.exp_string("Python version").unwrap();
    p.send(ESC).unwrap();
    p.flush().unwrap();
    p.exp_string("Project name: shop (typed)").unwrap();
    // Esc again: no earlier question in this turn, back to the choice.
    p.send(ESC).unwrap();
    p.flush().unwrap();
    p.exp_string("Use these answers?").unwrap();
    p.send_control('c').unwrap();
    let rest = p.exp_eof().unwrap();
    assert_eq!(rest.matches("nothing was written").count(), 1, "{rest:?}");
    assert!(!test.path().join("proj/Dockerfile").exists());
}

/// Makes the project at `root` look as an older dockwright left it: no `.dockwright/base/`
/// copies and a record cut before its list of each file as dockwright wrote it, so no edit can
/// be merged.
fn forget_the_bases(root: &std::path::Path) {
    std::fs::remove_dir_all(root.join(".dockwright/base")).unwrap();
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    let record = record
        .split("\n# Each file as dockwright wrote it")
        .next()
        .unwrap();
    std::fs::write(root.join(".dockwright.toml"), record).unwrap();
}
