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
    // An edit that overlaps the change a new answer makes (the `USER` line) conflicts; a
    // directory where a file goes is a conflict no merge resolves.
    let path = dry.path().join("p/Dockerfile");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("USER 1000:1000"), "{text}");
    std::fs::write(&path, text.replace("USER 1000:1000", "USER 1500:1500")).unwrap();
    let dry = dry.then_args(["init", "p", "--yes", "--dry-run", "--uid", "2000"]);
    let run = dry.run();
    run.expect_code(3);
    assert!(run.stdout().contains("1 unmerged"), "{}", run.stdout());
    assert!(
        run.stderr().contains("nothing was written"),
        "{}",
        run.stderr()
    );
    std::fs::remove_file(dry.path().join("p/justfile")).unwrap();
    std::fs::create_dir(dry.path().join("p/justfile")).unwrap();
    let run = dry.run();
    run.expect_code(3);
    assert!(run.stdout().contains("1 in conflict"), "{}", run.stdout());
    let real = dry.then_args(["init", "p", "--yes", "--uid", "2000"]);
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
    // A directory where the Dockerfile goes: a conflict no merge resolves.
    std::fs::remove_file(test.path().join("shop/Dockerfile")).unwrap();
    std::fs::create_dir(test.path().join("shop/Dockerfile")).unwrap();
    let run = test.then_args(["init", "shop", "--json"]).run();
    run.expect_code(3);
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["counts"]["conflict"], 1);
    assert_eq!(v["answers"]["name"]["source"], "answers-file");
    assert_eq!(v["written"], false);
}

/// Issue 19 item 9: with `--json`, a failed run prints one JSON object on stdout too: the
/// schema version, the exit code, the error and each broken answer (field, value, rule,
/// suggestion); a conflict is the plan's object carrying the error.
#[test]
fn json_on_errors_is_one_object_with_the_problems_and_the_exit_code() {
    let one_object = |run: &crate::test::Run| -> serde_json::Value {
        serde_json::from_str(&run.stdout())
            .unwrap_or_else(|e| panic!("one JSON object on stdout ({e}): {}", run.stdout()))
    };
    let test = Test::new().args([
        "new", "shop", "--json", "--kind", "webb", "--python", "2.7", "--uid", "0",
    ]);
    let run = test.run();
    run.expect_code(2);
    let v = one_object(&run);
    assert_eq!(v["schema"], 1);
    assert_eq!(v["exit_code"], 2);
    assert_eq!(v["error"]["kind"], "invalid-answers");
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 3, "{v:#}");
    let kind = problems.iter().find(|p| p["field"] == "kind").unwrap();
    assert_eq!(kind["flag"], "--kind");
    assert_eq!(kind["value"], "webb");
    assert_eq!(kind["suggestion"], "web");
    assert!(
        kind["rule"].as_str().unwrap().starts_with("must be one of"),
        "{kind}"
    );
    let python = problems.iter().find(|p| p["field"] == "python").unwrap();
    assert_eq!(python["value"], "2.7");
    assert_eq!(python["suggestion"], "3.12");
    assert!(problems
        .iter()
        .any(|p| p["field"] == "uid" && p["value"] == "0"));
    assert!(!test.path().join("shop").exists());

    // An unreadable answers file is a problem of `--answers`.
    let run = Test::new()
        .args(["new", "shop", "--json", "--answers", "missing.toml"])
        .run();
    run.expect_code(2);
    let v = one_object(&run);
    assert_eq!(v["problems"][0]["flag"], "--answers");
    assert_eq!(v["problems"][0]["value"], "missing.toml");

    // Not an answer: the error's kind and message, no problems.
    let run = Test::new().args(["init", "nowhere", "--json"]).run();
    run.expect_code(2);
    let v = one_object(&run);
    assert_eq!(
        (v["schema"].clone(), v["exit_code"].clone()),
        (1.into(), 2.into())
    );
    assert_eq!(v["error"]["kind"], "unsupported");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("nowhere"),
        "{v}"
    );
    assert_eq!(v["problems"], serde_json::json!([]));

    // A command line clap refuses.
    let run = Test::new().args(["init", "--json", "--diff"]).run();
    run.expect_code(2);
    let v = one_object(&run);
    assert_eq!(v["error"]["kind"], "usage");
    assert_eq!(v["exit_code"], 2);

    // Success carries the schema and exit code; a conflict is the plan's object with the error.
    let test = Test::new().args(["new", "shop", "--yes", "--json"]);
    let v = one_object(test.run().expect_code(0));
    assert_eq!(
        (v["schema"].clone(), v["exit_code"].clone()),
        (1.into(), 0.into())
    );
    // A directory where the Dockerfile goes: a conflict no merge resolves.
    std::fs::remove_file(test.path().join("shop/Dockerfile")).unwrap();
    std::fs::create_dir(test.path().join("shop/Dockerfile")).unwrap();
    let run = test.then_args(["init", "shop", "--json"]).run();
    run.expect_code(3);
    let v = one_object(&run);
    assert_eq!(v["schema"], 1);
    assert_eq!(v["exit_code"], 3);
    assert_eq!(v["error"]["kind"], "conflicts");
    assert_eq!(v["counts"]["conflict"], 1);
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

/// The enum flags' values, as completion offers them (issue 19 item 8).
const ENUM_FLAGS: &[(&str, &[&str])] = &[
    ("kind", &["web", "mcp", "cli", "library"]),
    ("installer", &["pip", "uv"]),
    ("ci", &["none", "github"]),
    ("deploy", &["kubernetes", "swarm"]),
    ("transport", &["stdio", "streamable-http", "sse"]),
    ("python", &["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]),
    (
        "arch",
        &[
            "amd64", "arm64", "arm/v7", "arm/v6", "386", "ppc64le", "s390x", "riscv64",
        ],
    ),
];

/// Issue 19 item 8: completing the value of an enum flag in a real bash offers its values, not
/// the file names of the directory; a free-text answer offers no file names either.
#[test]
fn completion_offers_the_values_of_enum_flags_in_a_real_bash() {
    let bin = env!("CARGO_BIN_EXE_dockwright");
    let dir = tempfile::tempdir().unwrap();
    for file in ["webapp.txt", "pyproject.toml"] {
        std::fs::write(dir.path().join(file), "").unwrap();
    }
    // Sources the script and calls its function as bash's `complete -F` would, on the words
    // given as arguments (the last one is the word being completed).
    let complete = format!(
        "source <({bin} completions bash) && COMP_WORDS=(\"$@\") && \
         COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )) && COMP_LINE=\"${{COMP_WORDS[*]}}\" && \
         COMP_POINT=${{#COMP_LINE}} && \
         _dockwright dockwright \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\" && \
         printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let bash = |words: &[&str]| -> Vec<String> {
        let out = Command::new("bash")
            .current_dir(dir.path())
            .args(["-c", &complete, "bash"])
            .args(words)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{words:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    for sub in ["new", "init"] {
        for (flag, values) in ENUM_FLAGS {
            let flag = format!("--{flag}");
            assert_eq!(
                bash(&["dockwright", sub, &flag, ""]),
                values.to_vec(),
                "dockwright {sub} {flag} <TAB>"
            );
        }
    }
    assert_eq!(bash(&["dockwright", "init", "--kind", "w"]), ["web"]);
    assert_eq!(bash(&["dockwright", "init", "--installer", "u"]), ["uv"]);
    // A free-text answer: nothing but the word typed (no file names); `--answers` is a file.
    assert_eq!(bash(&["dockwright", "init", "--name", ""]), [""]);
    assert_eq!(bash(&["dockwright", "init", "--base-image", "py"]), ["py"]);
    assert_eq!(
        bash(&["dockwright", "init", "--answers", "py"]),
        ["pyproject.toml"]
    );
}

/// The zsh and fish scripts carry the same values; fish completes them for real, zsh's
/// `_arguments` specs are checked as text (driving zsh's completion needs a terminal).
#[test]
fn zsh_and_fish_completion_offer_the_values_of_enum_flags() {
    let bin = env!("CARGO_BIN_EXE_dockwright");
    let script = |shell: &str| {
        let out = Command::new(bin)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let zsh = script("zsh");
    for (flag, values) in ENUM_FLAGS {
        let spec = format!(":({})'", values.join(" "));
        assert!(
            zsh.lines()
                .any(|l| l.contains(&format!("--{flag}=[")) && l.ends_with(&format!("{spec} \\"))),
            "zsh: --{flag} offers {spec}"
        );
    }
    let name = zsh.lines().find(|l| l.contains("'--name=[")).unwrap();
    assert!(
        name.ends_with(":NAME:' \\"),
        "zsh: --name offers no files: {name}"
    );

    let fish_script = script("fish");
    for (flag, values) in ENUM_FLAGS {
        // `-a "web\t''\nmcp\t''…"`: one value per line, each with its (empty) description.
        let at = fish_script
            .find(&format!(" -l {flag} "))
            .unwrap_or_else(|| panic!("fish: no --{flag}"));
        let args = fish_script[at..].split_once("-r -f -a \"").map(|(_, a)| a);
        let args = args.and_then(|a| a.split_once('"')).map(|(a, _)| a);
        let offered: Vec<&str> = args
            .unwrap_or_default()
            .lines()
            .map(|l| l.split("\\t").next().unwrap_or_default())
            .collect();
        assert_eq!(offered, values.to_vec(), "fish: --{flag}");
    }
    let Some(fish) = tool("fish", "apt-get install fish") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dockwright.fish"), &fish_script).unwrap();
    std::fs::write(dir.path().join("webapp.txt"), "").unwrap();
    for (flag, values) in ENUM_FLAGS {
        let out = Command::new(&fish)
            .current_dir(dir.path())
            .args([
                "--no-config",
                "-c",
                &format!("source dockwright.fish; complete -C 'dockwright init --{flag} '"),
            ])
            .output()
            .unwrap();
        let mut got: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string())
            .collect();
        got.sort();
        let mut want: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "fish: dockwright init --{flag} <TAB>");
    }
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

/// Issue 19 item 10: `init` ends with a `next:` line as `new` does, fitting the project: each
/// `just` command in it is a recipe of the project's justfile.
#[test]
fn init_ends_with_the_next_step_fitting_the_kind() {
    for (fixture, next) in [
        (
            "fastapi-uv",
            "just docker-build && just docker-test && just docker-up",
        ),
        (
            "typer-cli",
            "just docker-build && just docker-test && just docker-run tally --help",
        ),
        ("plain-lib", "just docker-build && just docker-test"),
        (
            "django-site",
            "just docker-build && just docker-test && just docker-migrate && just docker-up",
        ),
        ("mcp-stdio", "just docker-build && just docker-test"),
        (
            "existing-just-docker",
            "just docker-build && just docker-test && just docker-up",
        ),
    ] {
        let mut args = vec!["init", "proj", "--yes"];
        if fixture == "existing-just-docker" {
            args.push("--force");
        }
        let test = Test::new().fixture(fixture, "proj").args(&args);
        let run = test.run();
        run.expect_code(0);
        let out = run.stdout();
        assert_eq!(
            out.lines().last(),
            Some(format!("next: cd proj && {next}").as_str()),
            "{fixture}: {out}"
        );
        if let Some(just) = tool("just", "pip install rust-just") {
            let root = test.path().join("proj");
            let summary = String::from_utf8(
                Command::new(&just)
                    .current_dir(&root)
                    .arg("--summary")
                    .output()
                    .unwrap()
                    .stdout,
            )
            .unwrap();
            let recipes: Vec<&str> = summary.split_whitespace().collect();
            for step in next.split(" && ") {
                let recipe = step.split_whitespace().nth(1).unwrap();
                assert!(
                    recipes.contains(&recipe),
                    "{fixture}: `{step}` in {summary}"
                );
            }
        }
    }
    // In the project itself: no `cd`; a project without tests is not told to run them.
    let test = Test::new()
        .file(
            "proj/pyproject.toml",
            "[project]\nname = \"bare\"\nversion = \"1.0\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
        )
        .file("proj/bare/__init__.py", "");
    let run = Command::new(env!("CARGO_BIN_EXE_dockwright"))
        .current_dir(test.path().join("proj"))
        .args(["init", "--yes"])
        .output()
        .unwrap();
    assert!(run.status.success());
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(out.ends_with("\nnext: just docker-build\n"), "{out}");
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
    // (In place of the base store `new` wrote there.)
    std::fs::remove_dir_all(root.join(".dockwright")).unwrap();
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
