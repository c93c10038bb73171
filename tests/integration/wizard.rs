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

#[test]
fn a_whole_session_asks_what_is_open_and_writes_after_confirming() {
    let test = Test::new();
    let mut p = spawn(&test, &["new", "shop", "--kind", "cli", "--uid", "1234"]);
    answer(&mut p, "Project name", "");
    answer(&mut p, "Import package", "");
    // A bad value is explained and asked again.
    answer(&mut p, "Python version", "2.7");
    p.exp_string("--python `2.7`").unwrap();
    answer(&mut p, "Python version", "3.13");
    answer(&mut p, "Ports", "");
    answer(&mut p, "Command the container runs", "shop --verbose");
    answer(&mut p, "Architectures", "amd64");
    // --uid was given: no UID question. Next comes the base image, with its origin shown.
    p.exp_string("Base image: python:3.13-slim (default, for the Python version)")
        .unwrap();
    p.send_line("").unwrap();
    answer(&mut p, "Installer", "");
    answer(&mut p, "Minimum test coverage", "90");
    // cli serves no HTTP: no health path question; the plan comes next.
    p.exp_string("create     Dockerfile").unwrap();
    answer(&mut p, "Write these files?", "y");
    p.exp_eof().unwrap();
    let dockerfile = std::fs::read_to_string(test.path().join("shop/Dockerfile")).expect("written");
    assert!(
        dockerfile.contains("ARG PYTHON_VERSION=3.13"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains(r#"ENTRYPOINT ["shop", "--verbose"]"#),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("USER 1234:1234"), "{dockerfile}");
    let record = std::fs::read_to_string(test.path().join("shop/.dockwright.toml")).unwrap();
    assert!(
        record.contains("coverage_min = 90") && record.contains("arch = [\"amd64\"]"),
        "{record}"
    );
}

#[test]
fn declining_the_plan_writes_nothing() {
    let test = Test::new();
    let mut p = spawn(
        &test,
        &[
            "new", "shop", "--kind", "library", "--python", "3.11", "--arch", "amd64",
        ],
    );
    for q in [
        "Project name",
        "Import package",
        "Ports",
        "Command the container runs",
        "Numeric user ID",
        "Base image",
        "Installer",
        "Minimum test coverage",
    ] {
        answer(&mut p, q, "");
    }
    answer(&mut p, "Write these files?", "n");
    p.exp_string("nothing written").unwrap();
    p.exp_eof().unwrap();
    assert!(!test.path().join("shop").exists());
}

#[test]
fn ctrl_c_restores_the_terminal_and_writes_nothing() {
    let test = Test::new();
    let mut p = spawn(&test, &["new", "shop"]);
    answer(&mut p, "Project name", "");
    answer(&mut p, "Import package", "");
    answer(&mut p, "Python version", "");
    // A select prompt hides the cursor: interrupting there must show it again.
    p.exp_string("Kind").unwrap();
    p.send_control('c').unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(rest.contains("nothing was written"), "{rest:?}");
    assert!(rest.contains("\u{1b}[?25h"), "cursor shown again: {rest:?}");
    // nix's WaitStatus is not re-exported by rexpect; its Debug form says how the process ended.
    let status = format!("{:?}", p.process().wait().unwrap());
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 130)"),
        "{status}"
    );
    assert!(!test.path().join("shop").exists());
}
