//! Issue 12 on the command line: derived defaults that keep following their answer, exit codes
//! of `--dry-run`, `--json`, shell completions, typo suggestions and honest reports.

use std::process::Command;

use crate::test::{tree, Test};
use crate::tools::tool;

/// A base image that was only the default for the Python version is not recorded, so a re-run
/// with another `--python` changes it too; a base image that was given stays.
#[test]
fn a_derived_default_keeps_following_its_answer_on_a_rerun() {
    let test = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes", "--python", "3.14"]);
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    assert!(record.contains("python = \"3.14\""), "{record}");
    assert!(!record.contains("base_image"), "{record}");

    let test = test.then_args(["init", "proj", "--yes", "--python", "3.11"]);
    test.run().expect_code(0);
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    assert!(
        dockerfile.contains("ARG PYTHON_VERSION=3.11"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("3.14"), "{dockerfile}");

    // A base image the user gave is theirs: recorded, and kept when Python changes.
    let test = Test::new().fixture("plain-lib", "proj").args([
        "init",
        "proj",
        "--yes",
        "--base-image",
        "python:3.13-slim",
    ]);
    test.run().expect_code(0);
    let test = test.then_args(["init", "proj", "--yes", "--python", "3.11"]);
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("python:3.13-slim"), "{dockerfile}");
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    assert!(
        record.contains("base_image = \"python:3.13-slim\""),
        "{record}"
    );
}

/// A record written before derived answers were left out (dockwright 0.1.0 recorded the
/// default base image next to the Python version): the base image follows again.
#[test]
fn an_older_record_with_the_default_base_image_follows_python_too() {
    let test = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes", "--python", "3.14"]);
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    let old = record.replace(
        "python = \"3.14\"\n",
        "python = \"3.14\"\nbase_image = \"python:3.14-slim\"\n",
    );
    assert_ne!(old, record);
    std::fs::write(root.join(".dockwright.toml"), old).unwrap();
    let test = test.then_args(["init", "proj", "--yes", "--python", "3.11"]);
    test.run().expect_code(0);
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    assert!(
        dockerfile.contains("ARG PYTHON_VERSION=3.11"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("3.14"), "{dockerfile}");
    // A recorded base image that is not the default stays the user's choice.
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    std::fs::write(
        root.join(".dockwright.toml"),
        record.replace(
            "python = \"3.11\"\n",
            "python = \"3.11\"\nbase_image = \"python:3.13-slim\"\n",
        ),
    )
    .unwrap();
    let test = test.then_args(["init", "proj", "--yes", "--python", "3.12"]);
    test.run().expect_code(0);
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("python:3.13-slim"), "{dockerfile}");
}

#[test]
fn dry_run_exits_as_the_run_would() {
    let test = Test::new().args(["new", "p", "--yes"]);
    test.run().expect_code(0);
    let dry = test.then_args(["init", "p", "--yes", "--dry-run"]);
    dry.run().expect_code(0);
    for file in ["Dockerfile", "justfile"] {
        let path = dry.path().join("p").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}# mine\n")).unwrap();
    }
    let run = dry.run();
    run.expect_code(3);
    assert!(run.stdout().contains("2 in conflict"), "{}", run.stdout());
    let real = dry.then_args(["init", "p", "--yes"]);
    real.run().expect_code(3);
}

#[test]
fn json_prints_the_answers_with_origins_and_the_plan() {
    let test = Test::new().args([
        "new",
        "shop",
        "--yes",
        "--json",
        "--dry-run",
        "--port",
        "9000",
    ]);
    let run = test.run();
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON on stdout");
    assert_eq!(v["answers"]["ports"]["value"], serde_json::json!([9000]));
    assert_eq!(v["answers"]["ports"]["source"], "flag");
    assert_eq!(v["answers"]["python"]["value"], "3.12");
    assert_eq!(v["answers"]["python"]["source"], "default");
    assert_eq!(
        v["answers"]["base_image"]["origin"],
        "default, for the Python version"
    );
    assert_eq!(
        v["answers"]["name"]["origin"],
        "default, the target directory's name"
    );
    assert_eq!(v["written"], false);
    let plan = v["plan"].as_array().unwrap();
    assert!(plan
        .iter()
        .any(|f| f["path"] == "compose.yaml" && f["action"] == "create"));
    assert_eq!(v["counts"]["create"].as_u64(), Some(plan.len() as u64));
    assert!(!test.path().join("shop").exists());

    // Without --dry-run it writes, and says so; a conflict is exit 3 with the JSON still printed.
    let test = test.then_args(["new", "shop", "--yes", "--json"]);
    let run = test.run();
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["written"], true);
    assert!(test.path().join("shop/compose.yaml").is_file());
    std::fs::write(test.path().join("shop/Dockerfile"), "FROM scratch\n").unwrap();
    let run = test.then_args(["init", "shop", "--json"]).run();
    run.expect_code(3);
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["counts"]["conflict"], 1);
    assert_eq!(v["answers"]["name"]["source"], "answers-file");
    assert_eq!(v["written"], false);
}

#[test]
fn completions_for_every_shell_and_bash_sources_them() {
    let bin = env!("CARGO_BIN_EXE_dockwright");
    for (shell, needle) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef dockwright"),
        ("fish", "complete -c dockwright"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = Command::new(bin)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(needle), "{shell}: {script}");
        assert!(
            script.contains("base-image"),
            "{shell} completes the answer flags"
        );
    }
    // Sourced by a real bash, the script registers a completion for `dockwright` that offers
    // the subcommands.
    let check = format!(
        "source <({bin} completions bash) && complete -p dockwright && \
         COMP_WORDS=(dockwright i) COMP_CWORD=1 COMP_LINE='dockwright i' COMP_POINT=12 && \
         _dockwright dockwright i dockwright && printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let out = Command::new("bash").args(["-c", &check]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("-F _dockwright dockwright"), "{stdout}");
    assert!(stdout.lines().any(|l| l == "init"), "{stdout}");
}

#[test]
fn a_near_miss_gets_a_did_you_mean() {
    let run = Test::new()
        .args([
            "new",
            "p",
            "--yes",
            "--kind",
            "webb",
            "--installer",
            "pipp",
            "--name",
            "Bad Name!",
        ])
        .run();
    run.expect_code(2);
    let err = run.stderr();
    for line in [
        "--kind `webb`: must be one of `web`, `mcp`, `cli`, `library`; did you mean `web`?",
        "--installer `pipp`: must be one of `pip`, `uv`; did you mean `pip`?",
        "did you mean `bad-name`?",
    ] {
        assert!(err.contains(line), "{line} in {err}");
    }
    // Far from every choice: no guess, the example instead.
    let run = Test::new()
        .args(["new", "p", "--yes", "--kind", "database"])
        .run();
    assert!(!run.stderr().contains("did you mean"), "{}", run.stderr());
    assert!(
        run.stderr().contains("(for example `web`)"),
        "{}",
        run.stderr()
    );
}

#[test]
fn reports_say_what_happened_and_new_ends_with_the_next_step() {
    let test = Test::new().args(["new", "shop", "--yes"]);
    let run = test.run();
    run.expect_code(0);
    let out = run.stdout();
    assert!(out.starts_with("wrote for shop:\n"), "{out}");
    assert!(
        out.contains("next: cd shop && just docker-build && just docker-test && just docker-up\n"),
        "{out}"
    );
    assert!(
        out.contains("`cd shop && dockwright init --python 3.11`")
            && out.contains("--base-image IMAGE"),
        "{out}"
    );
    let before = tree(&test.path().join("shop"));
    let test = test.then_args(["init", "shop", "--yes"]);
    let run = test.run();
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.starts_with("nothing to write for shop: every file is up to date\n"),
        "{out}"
    );
    assert!(!out.contains("wrote"), "{out}");
    assert_eq!(before, tree(&test.path().join("shop")));
}

/// `--force` keeps the file it replaces in `.dockwright/backup/`, which the build never sees.
#[test]
fn force_keeps_a_copy_of_each_replaced_file() {
    let test = Test::new().args(["new", "p", "--yes"]);
    test.run().expect_code(0);
    let root = test.path().join("p");
    std::fs::write(root.join("Dockerfile"), "FROM scratch\n# mine\n").unwrap();
    let test = test.then_args(["init", "p", "--yes", "--force"]);
    let run = test.run();
    run.expect_code(0);
    assert!(
        run.stdout()
            .contains("  overwrite  Dockerfile  (the old file is kept in .dockwright/backup/)\n"),
        "{}",
        run.stdout()
    );
    let kept = std::fs::read_to_string(root.join(".dockwright/backup/Dockerfile")).unwrap();
    assert_eq!(kept, "FROM scratch\n# mine\n");
    // Files dockwright wrote and nobody edited get no copy.
    assert!(!root.join(".dockwright/backup/justfile").exists());
    let ignore = std::fs::read_to_string(root.join(".dockerignore")).unwrap();
    assert!(ignore.lines().any(|l| l == ".dockwright"), "{ignore}");
}

/// `just docker-scan` without a `trivy` command says how to install it and runs Trivy's image
/// instead (here one that cannot be pulled, so the recipe fails after saying so).
#[test]
fn docker_scan_without_trivy_says_how_to_install_it_and_uses_the_image() {
    let Some(just) = tool("just", "pip install rust-just") else {
        return;
    };
    let test = Test::new().args(["new", "p", "--yes"]);
    test.run().expect_code(0);
    // The PATH without any directory that holds a trivy.
    let path = std::env::join_paths(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .filter(|d| !d.join("trivy").exists()),
    )
    .unwrap();
    let out = Command::new(just)
        .current_dir(test.path().join("p"))
        .arg("docker-scan")
        .env("PATH", &path)
        .env("TRIVY_IMAGE", "dockwright.invalid/trivy:none")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("trivy is not installed (install it: https://trivy.dev/latest/getting-started/installation/); running dockwright.invalid/trivy:none instead"),
        "{stderr}"
    );
    assert!(!stderr.contains("trivy: not found"), "{stderr}");
}

/// A repository that ships `.dockwright` as a symlink out of the project cannot have a backup
/// written through it: refused, exit 2, nothing written.
#[test]
fn a_backup_is_never_written_through_a_planted_symlink() {
    let test = Test::new().args(["new", "p", "--yes"]);
    test.run().expect_code(0);
    let outside = tempfile::tempdir().unwrap();
    let root = test.path().join("p");
    std::os::unix::fs::symlink(outside.path(), root.join(".dockwright")).unwrap();
    std::fs::write(root.join("Dockerfile"), "FROM scratch\n").unwrap();
    let test = test.then_args(["init", "p", "--yes", "--force"]);
    let run = test.run();
    run.expect_code(2);
    assert!(run.stderr().contains("would escape"), "{}", run.stderr());
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    assert_eq!(
        std::fs::read_to_string(root.join("Dockerfile")).unwrap(),
        "FROM scratch\n"
    );
}
