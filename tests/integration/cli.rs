//! Command-line behaviour: validation, safety (conflicts, force, dry run, atomicity),
//! determinism, answers files, never prompting without a terminal.

use crate::test::{tree, Test};

#[test]
fn all_invalid_answers_are_listed_at_once_and_nothing_is_written() {
    let test = Test::new().args([
        "new",
        "x",
        "--yes",
        "--name",
        "My App!",
        "--python",
        "2.7",
        "--port",
        "70000",
        "--arch",
        "sparc",
        "--uid",
        "0",
        "--coverage-min",
        "101",
    ]);
    let run = test.run();
    run.expect_code(2);
    let err = run.stderr();
    for needle in [
        "6 problems",
        "`My App!`",
        "`2.7`",
        "`70000`",
        "`sparc`",
        "--uid `0`",
        "`101`",
        "for example",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert!(!test.path().join("x").exists(), "nothing may be written");
}

#[test]
fn new_creates_the_project_and_every_artifact() {
    let test = Test::new().args(["new", "shop", "--yes", "--kind", "web"]);
    test.run().expect_code(0);
    let files = tree(&test.path().join("shop"));
    for expected in [
        "Dockerfile",
        "Dockerfile.test",
        "compose.yaml",
        "compose.watch.yaml",
        ".dockerignore",
        "DOCKER_BEST_PRACTICES.md",
        "justfile",
        ".env.example",
        ".dockwright.toml",
        "pyproject.toml",
        "README.md",
        "src/shop/__init__.py",
        "ephemeral/.gitignore",
        "logs/.gitignore",
        "data/.gitignore",
    ] {
        assert!(
            files.contains_key(expected),
            "{expected} missing; got {:?}",
            files.keys().collect::<Vec<_>>()
        );
    }
    assert!(
        files.keys().any(|k| k.starts_with("tests/test_")),
        "a smoke test"
    );
    assert!(
        files.keys().any(|k| k.starts_with("configs/")),
        "the tier-1 config dir"
    );
    assert!(files["src/shop/__init__.py"].contains("__version__"));
}

#[test]
fn same_answers_give_byte_identical_output() {
    let args = [
        "new",
        "p",
        "--yes",
        "--name",
        "same",
        "--kind",
        "mcp",
        "--arch",
        "amd64,arm64,arm/v7",
    ];
    let a = Test::new().args(args);
    let b = Test::new().args(args);
    a.run().expect_code(0);
    b.run().expect_code(0);
    assert_eq!(tree(&a.path().join("p")), tree(&b.path().join("p")));
}

#[test]
fn rerun_reports_unchanged() {
    let test = Test::new().args(["new", "p", "--yes"]);
    test.run().expect_code(0);
    let before = tree(&test.path().join("p"));
    let run = test.run();
    run.expect_code(0);
    assert!(run.stdout().contains("0 to create"), "{}", run.stdout());
    assert!(!run.stdout().contains("  create "), "{}", run.stdout());
    assert_eq!(before, tree(&test.path().join("p")));
}

#[test]
fn a_conflict_writes_nothing_and_exits_3() {
    let test = Test::new()
        .file("p/Dockerfile", "FROM scratch\n")
        .args(["new", "p", "--yes"]);
    let run = test.run();
    run.expect_code(3);
    assert!(run.stderr().contains("Dockerfile"), "{}", run.stderr());
    assert!(run.stderr().contains("--force"), "{}", run.stderr());
    let files = tree(&test.path().join("p"));
    assert_eq!(
        files.len(),
        1,
        "only the user's file is there: {:?}",
        files.keys().collect::<Vec<_>>()
    );
    assert_eq!(files["Dockerfile"], "FROM scratch\n");
}

#[test]
fn force_overwrites_a_conflict() {
    let test = Test::new()
        .file("p/Dockerfile", "FROM scratch\n")
        .args(["new", "p", "--yes", "--force"]);
    let run = test.run();
    run.expect_code(0);
    assert!(run.stdout().contains("overwrite"), "{}", run.stdout());
    let dockerfile = std::fs::read_to_string(test.path().join("p/Dockerfile")).unwrap();
    assert!(dockerfile.contains("AS build"), "{dockerfile}");
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let test =
        Test::new()
            .file("p/Dockerfile", "FROM scratch\n")
            .args(["new", "p", "--yes", "--dry-run"]);
    let run = test.run();
    // A dry run exits as the run would: 3, the Dockerfile is in conflict.
    run.expect_code(3);
    assert!(
        run.stderr().contains("  - Dockerfile\n"),
        "{}",
        run.stderr()
    );
    let out = run.stdout();
    assert!(out.contains("dry run"), "{out}");
    // Each answer with where it came from, before the plan.
    let rows: Vec<String> = out
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(
        rows.contains(&"--name p (default, the target directory's name)".to_string()),
        "{out}"
    );
    assert!(rows.contains(&"--uid 1000 (default)".to_string()), "{out}");
    assert!(out.contains("conflict   Dockerfile"), "{out}");
    assert!(out.contains("create     compose.yaml"), "{out}");
    assert_eq!(tree(&test.path().join("p")).len(), 1);
}

#[test]
fn without_a_terminal_it_never_prompts() {
    // No --yes and stdin is not a terminal: it must finish on its own (the harness times out at 30 s).
    let test = Test::new().args(["new", "p", "--kind", "cli"]).stdin("");
    test.run().expect_code(0);
    assert!(test.path().join("p/Dockerfile").is_file());
}

#[test]
fn answers_file_is_used_and_flags_override_it() {
    let test = Test::new()
        .file(
            "answers.toml",
            "[answers]\nname = \"from-file\"\nkind = \"cli\"\npython = \"3.11\"\nuid = 2000\ncommand = [\"from-file\", \"--verbose\"]\n",
        )
        .args(["new", "p", "--yes", "--answers", "answers.toml", "--python", "3.13"]);
    test.run().expect_code(0);
    let record = std::fs::read_to_string(test.path().join("p/.dockwright.toml")).unwrap();
    assert!(record.contains("name = \"from-file\""), "{record}");
    assert!(
        record.contains("python = \"3.13\""),
        "flag beats file: {record}"
    );
    assert!(record.contains("uid = 2000"), "{record}");
    let dockerfile = std::fs::read_to_string(test.path().join("p/Dockerfile")).unwrap();
    assert!(
        dockerfile.contains(r#"ENTRYPOINT ["from-file", "--verbose"]"#),
        "{dockerfile}"
    );
}

#[test]
fn a_bad_answers_file_is_refused_with_its_name() {
    let test = Test::new()
        .file("a.toml", "[answers]\ncolour = \"blue\"\n")
        .args(["new", "p", "--yes", "--answers", "a.toml"]);
    let run = test.run();
    run.expect_code(2);
    assert!(
        run.stderr().contains("a.toml") && run.stderr().contains("colour"),
        "{}",
        run.stderr()
    );
}

#[test]
fn answers_file_values_go_through_the_same_validator() {
    let test = Test::new()
        .file("a.toml", "[answers]\nuid = 0\npython = \"3.8\"\n")
        .args(["new", "p", "--yes", "--answers", "a.toml"]);
    let run = test.run();
    run.expect_code(2);
    assert!(
        run.stderr().contains("--uid `0`") && run.stderr().contains("--python `3.8`"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("a.toml"),
        "the origin is named: {}",
        run.stderr()
    );
}

#[test]
fn an_unknown_installer_is_refused() {
    let run = Test::new()
        .args(["new", "p", "--yes", "--installer", "conda"])
        .run();
    run.expect_code(2);
    assert!(
        run.stderr()
            .contains("--installer `conda`: must be one of `pip`, `uv` (for example `pip`)"),
        "{}",
        run.stderr()
    );
}

#[test]
fn rerunning_init_reads_the_recorded_answers() {
    let test = Test::new().args(["new", "p", "--yes", "--kind", "cli", "--uid", "1234"]);
    test.run().expect_code(0);
    let before = tree(&test.path().join("p"));
    let test = test.then_args(["init", "p", "--yes"]);
    let run = test.run();
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("0 to create") && out.contains("0 to overwrite, 0 in conflict"),
        "all unchanged: {out}"
    );
    assert!(out.contains("unchanged  Dockerfile"), "{out}");
    assert_eq!(
        before,
        tree(&test.path().join("p")),
        "the re-run changed nothing"
    );
    assert!(
        before["Dockerfile"].contains("1234"),
        "the recorded uid was used"
    );
}

#[test]
fn init_retrofits_a_flat_layout_project() {
    let test = Test::new()
        .file(
            "proj/pyproject.toml",
            "[project]\nname = \"flat\"\nversion = \"1.0\"\n",
        )
        .file("proj/flat/__init__.py", "")
        .file("proj/README.rst", "flat\n")
        .args([
            "init",
            "proj",
            "--yes",
            "--kind",
            "cli",
            "--command",
            "python -m flat",
        ]);
    test.run().expect_code(0);
    let files = tree(&test.path().join("proj"));
    assert!(
        !files.contains_key("src/flat/__init__.py"),
        "init adds no skeleton"
    );
    assert_eq!(
        files["pyproject.toml"], "[project]\nname = \"flat\"\nversion = \"1.0\"\n",
        "user files untouched"
    );
    // The builder sees the whole project, bounded by .dockerignore, which keeps the declared
    // readme and the package.
    let dockerfile = &files["Dockerfile"];
    assert!(dockerfile.contains("\nCOPY . .\n"), "{dockerfile}");
    let ignore = &files[".dockerignore"];
    assert!(
        ignore.contains("\n!README.rst\n"),
        "the declared readme is kept: {ignore}"
    );
    assert!(
        !ignore
            .lines()
            .any(|l| l.trim_start_matches("**/") == "flat"),
        "{ignore}"
    );
}

#[test]
fn init_needs_an_existing_directory() {
    let run = Test::new().args(["init", "nowhere", "--yes"]).run();
    run.expect_code(2);
    assert!(
        run.stderr().contains("dockwright new nowhere"),
        "{}",
        run.stderr()
    );
}

#[cfg(unix)]
#[test]
fn writes_through_a_symlink_out_of_the_target_are_refused() {
    let test = Test::new().args(["new", "p", "--yes"]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir(test.path().join("p")).unwrap();
    std::os::unix::fs::symlink(outside.path(), test.path().join("p/src")).unwrap();
    let run = test.run();
    run.expect_code(2);
    assert!(run.stderr().contains("escape"), "{}", run.stderr());
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    assert!(!test.path().join("p/Dockerfile").exists());
}

#[test]
fn flags_override_the_record_and_untouched_files_are_regenerated() {
    let test = Test::new().args(["new", "p", "--yes", "--kind", "cli", "--uid", "1234"]);
    test.run().expect_code(0);
    let test = test.then_args(["init", "p", "--yes", "--uid", "2000"]);
    let run = test.run();
    run.expect_code(0);
    assert!(
        run.stdout().contains("overwrite  Dockerfile"),
        "{}",
        run.stdout()
    );
    let dockerfile = std::fs::read_to_string(test.path().join("p/Dockerfile")).unwrap();
    assert!(dockerfile.contains("USER 2000:2000"), "{dockerfile}");
    let record = std::fs::read_to_string(test.path().join("p/.dockwright.toml")).unwrap();
    assert!(record.contains("uid = 2000"), "{record}");

    // A file the user edited since is theirs: changing an answer merges the change into it
    // (issue 20), the edit kept.
    std::fs::write(
        test.path().join("p/Dockerfile"),
        format!("{dockerfile}# mine\n"),
    )
    .unwrap();
    let test = test.then_args(["init", "p", "--yes", "--uid", "3000"]);
    let run = test.run();
    run.expect_code(0);
    assert!(
        run.stdout().contains("merge      Dockerfile"),
        "{}",
        run.stdout()
    );
    let dockerfile = std::fs::read_to_string(test.path().join("p/Dockerfile")).unwrap();
    assert!(
        dockerfile.contains("USER 3000:3000") && dockerfile.ends_with("# mine\n"),
        "{dockerfile}"
    );
}

/// Issue 19 item 10: README's first command installs with the lock file's versions.
#[test]
fn readme_first_command_installs_locked() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let first = readme
        .lines()
        .skip_while(|l| !l.starts_with("```"))
        .nth(1)
        .unwrap();
    assert!(
        first.starts_with("cargo install --locked --path . "),
        "README's first command: {first}"
    );
}

/// README's flag table and `--help` cannot drift: the same flags, and for every flag with a
/// default in `--help`, README's default column says the same (backticks aside).
#[test]
fn readme_flag_table_matches_help() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let strip = |s: &str| s.replace('`', "").replace("\\|", "|").trim().to_string();
    let mut table = std::collections::BTreeMap::new();
    for line in readme.lines().filter(|l| l.starts_with("| `--")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
        assert_eq!(cells.len(), 3, "a README flag row has 3 cells: {line}");
        let flag = cells[0]
            .trim()
            .trim_start_matches('`')
            .trim_start_matches("--");
        let flag: String = flag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        table.insert(flag, strip(cells[2]));
    }
    for sub in ["init", "new", "update"] {
        let out = Test::new().args([sub, "--help"]).run();
        out.expect_code(0);
        let help = out.stdout();
        let mut flags = std::collections::BTreeMap::new();
        for line in help.lines().map(str::trim_start) {
            let line = line
                .strip_prefix("-y, ")
                .or(line.strip_prefix("-h, "))
                .unwrap_or(line);
            let Some(rest) = line.strip_prefix("--") else {
                continue;
            };
            let flag: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let default = line
                .rsplit_once("[default: ")
                .map(|(_, d)| strip(d.trim_end_matches(']')));
            flags.insert(flag, default);
        }
        flags.remove("help");
        assert_eq!(
            flags.keys().collect::<Vec<_>>(),
            table.keys().collect::<Vec<_>>(),
            "flags of `dockwright {sub} --help` and README's table"
        );
        for (flag, default) in flags {
            if let Some(default) = default {
                assert_eq!(
                    table[&flag], default,
                    "default of --{flag}: README vs --help"
                );
            }
        }
    }
}

#[test]
fn python_outside_requires_python_exits_2_with_the_range() {
    let pyproject = "[project]\nname = \"newish\"\nversion = \"1.0\"\nrequires-python = \">=3.12,<3.14\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n";
    let test = Test::new()
        .file("pyproject.toml", pyproject)
        .file("newish/__init__.py", "")
        .args(["init", ".", "--yes", "--python", "3.11"]);
    let run = test.run();
    run.expect_code(2);
    let err = run.stderr();
    for needle in ["`3.11`", "requires-python `>=3.12,<3.14`", "3.12, 3.13"] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert!(
        !test.path().join("Dockerfile").exists(),
        "nothing may be written"
    );
    // Inside the range it is accepted; the detected default is the highest allowed.
    Test::new()
        .file("pyproject.toml", pyproject)
        .file("newish/__init__.py", "")
        .args(["init", ".", "--yes", "--python", "3.12"])
        .run()
        .expect_code(0);
}

#[test]
fn requires_python_above_every_supported_version_exits_2() {
    let test = Test::new()
        .file(
            "pyproject.toml",
            "[project]\nname = \"future\"\nversion = \"1.0\"\nrequires-python = \">=3.15\"\n",
        )
        .file("future/__init__.py", "")
        .args(["init", ".", "--yes"]);
    let run = test.run();
    run.expect_code(2);
    assert!(
        run.stderr()
            .contains("allows none of the supported versions"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_test_image_follows_the_projects_tests_and_its_own_coverage_gate() {
    let pyproject = "[project]\nname = \"tidy\"\nversion = \"1.0\"\n";
    // Tests in test/, the gate in setup.cfg.
    let test = Test::new()
        .file("pyproject.toml", pyproject)
        .file("tidy/__init__.py", "")
        .file("test/test_tidy.py", "def test_x():\n    pass\n")
        .file("setup.cfg", "[coverage:report]\nfail_under = 91.5\n")
        .args(["init", ".", "--yes"]);
    test.run().expect_code(0);
    let files = tree(test.path());
    let docker_test = &files["Dockerfile.test"];
    for needle in [
        // The tree (setup.cfg and test/ with it) without the package's sources; test/ named
        // to pytest, since no testpaths says where the tests are.
        "\nCOPY --chown=1000:1000 . ./\n",
        "\nRUN rm -rf tidy\n",
        "\"--cov-fail-under=91\", \"test\"]",
        // The runtime image, then the test tools held to the versions it holds.
        "\nFROM ${IMAGE}\n",
        "freeze > /tmp/runtime-versions.txt",
        "install --constraint /tmp/runtime-versions.txt pytest pytest-cov\n",
    ] {
        assert!(docker_test.contains(needle), "{needle:?}:\n{docker_test}");
    }
    assert!(!docker_test.contains("\"tests\""), "{docker_test}");

    // pyproject's [tool.coverage.report] and testpaths (pytest itself skips one that does not exist).
    let test = Test::new()
        .file(
            "pyproject.toml",
            &format!("{pyproject}[tool.coverage.report]\nfail_under = 70\n[tool.pytest.ini_options]\ntestpaths = [\"checks\", \"missing\"]\n"),
        )
        .file("tidy/__init__.py", "")
        .file("checks/test_tidy.py", "def test_x():\n    pass\n")
        .args(["init", ".", "--yes"]);
    test.run().expect_code(0);
    let docker_test = &tree(test.path())["Dockerfile.test"];
    // testpaths decides: pytest gets no paths.
    assert!(
        docker_test.contains("\"--cov-fail-under=70\"]"),
        "{docker_test}"
    );

    // Tests inside the package, no fail_under: --pyargs, no gate.
    let test = Test::new()
        .file("pyproject.toml", pyproject)
        .file("tidy/__init__.py", "")
        .file("tidy/tests/__init__.py", "")
        .file("tidy/tests/test_tidy.py", "def test_x():\n    pass\n")
        .args(["init", ".", "--yes"]);
    test.run().expect_code(0);
    let docker_test = &tree(test.path())["Dockerfile.test"];
    assert!(
        docker_test.contains(
            "CMD [\"pytest\", \"--cov=tidy\", \"--cov-report=term-missing\", \"--pyargs\", \"tidy\"]"
        ),
        "{docker_test}"
    );

    // No tests at all: a message, not a COPY of a missing directory.
    let test = Test::new()
        .file("pyproject.toml", pyproject)
        .file("tidy/__init__.py", "")
        .args(["init", ".", "--yes"]);
    test.run().expect_code(0);
    let docker_test = &tree(test.path())["Dockerfile.test"];
    assert!(!docker_test.contains("COPY test"), "{docker_test}");
    assert!(docker_test.contains("no tests: "), "{docker_test}");

    // `new` keeps its 85 % gate.
    let test = Test::new().args(["new", "fresh", "--yes", "--kind", "library"]);
    test.run().expect_code(0);
    let docker_test = &tree(&test.path().join("fresh"))["Dockerfile.test"];
    assert!(docker_test.contains("--cov-fail-under=85"), "{docker_test}");
}

#[test]
fn a_c_extension_and_a_git_version_shape_the_build() {
    let pyproject = "[project]\nname = \"fast\"\ndynamic = [\"version\"]\n[build-system]\nrequires = [\"setuptools>=64\", \"setuptools-scm>=8\"]\nbuild-backend = \"setuptools.build_meta\"\n";
    let test = Test::new()
        .file("pyproject.toml", pyproject)
        .file("setup.py", "from setuptools import Extension, setup\nsetup(ext_modules=[Extension(\"fast._speed\", [\"src/fast/_speed.c\"])])\n")
        .file("src/fast/__init__.py", "")
        .file("src/fast/_speed.c", "")
        .args(["init", ".", "--yes"]);
    let run = test.run();
    run.expect_code(0);
    assert!(
        run.stdout()
            .contains("note: the wheel needs a C compiler (setup.py declares ext_modules)"),
        "{}",
        run.stdout()
    );
    let files = tree(test.path());
    let dockerfile = &files["Dockerfile"];
    assert!(
        dockerfile.contains("FROM ${BASE_IMAGE} AS builder\n"),
        "{dockerfile}"
    );
    assert!(!dockerfile.contains("$BUILDPLATFORM"), "{dockerfile}");
    assert!(
        dockerfile.contains("install --yes --no-install-recommends gcc"),
        "{dockerfile}"
    );
    assert!(
        dockerfile.contains("\nARG SETUPTOOLS_SCM_PRETEND_VERSION\n"),
        "{dockerfile}"
    );
    let justfile = &files["justfile"];
    assert!(
        justfile.contains("--build-arg SETUPTOOLS_SCM_PRETEND_VERSION=\"$v\""),
        "{justfile}"
    );
    assert!(justfile.contains("_scm-version:"), "{justfile}");

    // Pure Python: the builder stays on the build platform, no compiler, no git version.
    let test = Test::new()
        .file(
            "pyproject.toml",
            "[project]\nname = \"pure\"\nversion = \"1\"\n",
        )
        .file("pure/__init__.py", "")
        .args(["init", ".", "--yes"]);
    let run = test.run();
    run.expect_code(0);
    assert!(!run.stdout().contains("C compiler"), "{}", run.stdout());
    let files = tree(test.path());
    assert!(files["Dockerfile"].contains("--platform=$BUILDPLATFORM"));
    assert!(!files["Dockerfile"].contains("gcc"));
    assert!(!files["justfile"].contains("SETUPTOOLS_SCM_PRETEND_VERSION"));
}

/// `new` writes an MCP server for stdio or streamable HTTP; SSE is refused (exit 2, nothing
/// written) instead of a skeleton without an SSE endpoint.
#[test]
fn new_refuses_an_sse_skeleton() {
    let test = Test::new().args(["new", "m", "--yes", "--kind", "mcp", "--transport", "sse"]);
    let run = test.run();
    run.expect_code(2);
    assert!(
        run.stderr().contains("--transport `sse`"),
        "{}",
        run.stderr()
    );
    assert!(!test.path().join("m").exists(), "nothing may be written");
    Test::new()
        .args(["new", "m", "--yes", "--kind", "mcp", "--transport", "stdio"])
        .run()
        .expect_code(0);
}

/// Issue 16 item 1: for the common case (a new pure-Python package, pip or uv, a web service or
/// a command-line tool) the `Dockerfile` reads in one screen: at most 70 lines, comments included.
#[test]
fn the_common_case_dockerfile_is_at_most_70_lines() {
    for kind in ["web", "cli"] {
        for installer in ["pip", "uv"] {
            let test = Test::new().args([
                "new",
                "shop",
                "--yes",
                "--kind",
                kind,
                "--installer",
                installer,
            ]);
            test.run().expect_code(0);
            let dockerfile = &tree(&test.path().join("shop"))["Dockerfile"];
            let lines = dockerfile.lines().count();
            assert!(
                lines <= 70,
                "{kind} with {installer}: the Dockerfile has {lines} lines, more than 70:\n{dockerfile}"
            );
        }
    }
}
