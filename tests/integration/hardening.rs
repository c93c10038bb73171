//! Issue 18: a rename journal a repository ships is never applied, and every value a message
//! echoes is escaped and cut.

use std::path::Path;

use crate::test::Test;

const PYPROJECT: &str = "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = []\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n";

/// `.{name}.dockwright-{hex}.tmp` next to `dest`, as dockwright names its temporary files.
fn temp_for(dest: &str, hex: &str) -> String {
    let p = Path::new(dest);
    let name = p.file_name().unwrap().to_string_lossy();
    p.with_file_name(format!(".{name}.dockwright-{hex}.tmp"))
        .to_string_lossy()
        .into_owned()
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A repository that ships a journal and the temporary files it names, for the user's `.env`,
/// an edited `Dockerfile`, `.venv/bin/python` and `compose.yaml`: in the old format (v1) and
/// in the current one (v2, with the right content hashes but no key of this machine).
#[test]
fn a_journal_the_repository_ships_is_discarded_never_applied() {
    let hex = "0123456789abcdef".repeat(2);
    let victims = [
        (".env", "SECRET=mine\n"),
        ("Dockerfile", "FROM python:3.12-slim\n# my own edits\n"),
        (".venv/bin/python", "#!/bin/sh\necho the real python\n"),
    ];
    let pwned = "pwned by the repository\n";
    let v1 = {
        let mut j = String::from("dockwright journal v1\n");
        for (dest, _) in victims
            .iter()
            .map(|v| (v.0, ()))
            .chain([("compose.yaml", ())])
        {
            j.push_str(&format!("{}\t{dest}\n", temp_for(dest, &hex)));
        }
        j
    };
    let v2 = {
        let mut j = format!("dockwright journal v2\nrun {hex}\n");
        for (dest, _) in victims
            .iter()
            .map(|v| (v.0, ()))
            .chain([("compose.yaml", ())])
        {
            j.push_str(&format!(
                "{}\t{dest}\t{}\n",
                temp_for(dest, &hex),
                sha256_hex(pwned)
            ));
        }
        j.push_str(&format!("mac {}\n", "0".repeat(64)));
        j
    };
    for journal in [v1, v2] {
        let mut t = Test::new()
            .file("pyproject.toml", PYPROJECT)
            .file("src/demo/__init__.py", "")
            .file(".dockwright.journal", &journal)
            .args(["init", "--yes"]);
        for (dest, text) in victims {
            t = t.file(dest, text);
        }
        for dest in [".env", "Dockerfile", ".venv/bin/python", "compose.yaml"] {
            t = t.file(&temp_for(dest, &hex), pwned);
        }
        // The edited Dockerfile is a conflict as it always was: exit 3, nothing written.
        let run = t.run();
        run.expect_code(3);
        for (dest, text) in victims {
            assert_eq!(
                std::fs::read_to_string(t.path().join(dest)).unwrap(),
                text,
                "{dest} was replaced by the shipped journal\n{}",
                run.stderr()
            );
        }
        let notice: Vec<_> = run
            .stderr()
            .lines()
            .filter(|l| l.contains(".dockwright.journal"))
            .map(str::to_string)
            .collect();
        assert!(
            notice.len() == 1 && notice[0].contains("ignored"),
            "one line saying the journal was ignored: {}",
            run.stderr()
        );
        assert!(!t.path().join(".dockwright.journal").exists());
        for dest in [".env", "Dockerfile", ".venv/bin/python", "compose.yaml"] {
            assert!(
                !t.path().join(temp_for(dest, &hex)).exists(),
                "the shipped temporary file for {dest} is removed"
            );
        }
        // With --force the run proceeds normally: the Dockerfile is replaced with a backup of
        // the user's edits, and .env and .venv are untouched.
        let t = t.then_args(["init", "--yes", "--force"]);
        t.run().expect_code(0);
        let dockerfile = std::fs::read_to_string(t.path().join("Dockerfile")).unwrap();
        assert!(dockerfile.contains("dockwright"), "{dockerfile}");
        assert_eq!(
            std::fs::read_to_string(t.path().join(".dockwright/backup/Dockerfile")).unwrap(),
            victims[1].1
        );
        assert_eq!(
            std::fs::read_to_string(t.path().join(".env")).unwrap(),
            victims[0].1
        );
        assert_eq!(
            std::fs::read_to_string(t.path().join(".venv/bin/python")).unwrap(),
            victims[2].1
        );
    }
}

/// What makes a message unsafe for a terminal: a control character but the line feed, a line
/// longer than `max` characters, or no message at all.
fn untamed(stderr: &str, max: usize) -> Option<String> {
    let bad: Vec<char> = stderr
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    let longest = stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let start = stderr.chars().take(300).collect::<String>();
    if stderr.is_empty() {
        Some("no message".into())
    } else if !bad.is_empty() {
        Some(format!(
            "raw control characters {bad:?} in: {}",
            start.escape_debug()
        ))
    } else if longest > max {
        Some(format!(
            "a message line of {longest} characters: {}…",
            start.escape_debug()
        ))
    } else {
        None
    }
}

fn pyproject_with(line: &str) -> String {
    format!("[project]\nname = \"demo\"\nversion = \"0.1.0\"\n{line}\ndependencies = []\n")
}

#[test]
fn every_value_a_message_echoes_is_escaped_and_cut() {
    let esc = "\u{1b}]0;pwned\u{7}\u{1b}[31m";
    let huge = "x".repeat(5_000_000);
    let mut cases: Vec<(&str, Test)> = Vec::new();
    // The requires-python rule text, with ESC/BEL and with 5 MB.
    for (what, spec) in [
        ("requires-python with ESC", format!(">=3.11 {esc}")),
        ("requires-python of 5 MB", format!(">=3.11 {huge}")),
    ] {
        let spec = toml::Value::String(spec).to_string();
        cases.push((
            what,
            Test::new()
                .file(
                    "pyproject.toml",
                    &pyproject_with(&format!("requires-python = {spec}")),
                )
                .args(["init", "--yes", "--python", "3.9"]),
        ));
    }
    // A TOML parse error whose excerpt quotes the line, in pyproject.toml and an answers file.
    cases.push((
        "pyproject.toml excerpt with ESC",
        Test::new()
            .file(
                "pyproject.toml",
                &format!("[project]\nname = \"demo{esc}\n"),
            )
            .args(["init", "--yes"]),
    ));
    cases.push((
        "pyproject.toml excerpt of 5 MB",
        Test::new()
            .file(
                "pyproject.toml",
                &format!("[project]\nname = \"demo{huge}\n"),
            )
            .args(["init", "--yes"]),
    ));
    cases.push((
        "answers file excerpt of 5 MB",
        Test::new()
            .file("pyproject.toml", PYPROJECT)
            .file(
                "a.toml",
                &format!("[answers]\nname = \"{}\n", "y".repeat(900_000)),
            )
            .args(["init", "--yes", "--answers", "a.toml"]),
    ));
    // A file name: the project directory and an answers file named with ESC/BEL.
    let dir = format!("p{esc}");
    cases.push((
        "a directory name",
        Test::new()
            .file(&format!("{dir}/README.md"), "")
            .args(["init", "--yes", &dir]),
    ));
    cases.push((
        "an answers file name",
        Test::new().file("pyproject.toml", PYPROJECT).args([
            "init",
            "--yes",
            "--answers",
            &format!("{esc}.toml"),
        ]),
    ));
    // A journal line.
    cases.push((
        "a journal line",
        Test::new()
            .file("pyproject.toml", PYPROJECT)
            .file(
                ".dockwright.journal",
                &format!("dockwright journal v1\n.x{esc}.tmp\tDockerfile{esc}\n"),
            )
            .args(["init", "--yes"]),
    ));
    let mut failures = Vec::new();
    for (what, t) in &cases {
        let stderr = t.run().stderr();
        // 120 characters of the value, its escapes and the words around it.
        if let Some(why) = untamed(&stderr, 600) {
            failures.push(format!("{what}: {why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
