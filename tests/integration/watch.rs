//! Issue 21, without Docker: `just docker-watch`'s files. The server's own reloader runs in
//! `compose.watch.yaml` and nowhere else (the production image and `compose.yaml` never reload),
//! a package's code is bind-mounted read-only (not synced, not restarted) where a known server
//! reloads it, and the kinds that serve nothing get a recipe that says why instead of a watch
//! override.
//! The Docker side (a saved file served, a deleted one gone, Ctrl-C) is `e2e_watch.rs`.

use std::process::Command;

use crate::fixtures::SNAPSHOTTED;
use crate::test::{tree, Test};
use crate::tools::tool;

/// Words that turn a reloader on: uvicorn's and gunicorn's flag, Streamlit's option, Django's
/// development server (which reloads by default).
const RELOADERS: &[&str] = &["--reload", "runOnSave", "runserver"];

/// Every fixture, `init --yes`: its files (the project's own left out).
fn generated(name: &str) -> (Test, std::collections::BTreeMap<String, String>) {
    let test = Test::new().fixture(name, "proj");
    let before = tree(&test.path().join("proj"));
    let mut args = vec!["init", "proj", "--yes"];
    if name == "existing-just-docker" {
        args.push("--force");
    }
    let test = test.args(args);
    test.run().expect_code(0);
    let after = tree(&test.path().join("proj"));
    let written = after
        .into_iter()
        .filter(|(p, c)| before.get(p) != Some(c) && !p.starts_with(".dockwright/"))
        .collect();
    (test, written)
}

/// The watch override's bind mounts, `- "./src/shop:/opt/venv/.../shop:ro"`: (source, target).
fn mounts(watch: &str) -> Vec<(String, String)> {
    watch
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- \""))
        .filter_map(|l| l.strip_suffix(":ro\""))
        .filter_map(|l| l.split_once(':'))
        .filter(|(source, _)| *source == "." || source.starts_with("./"))
        .map(|(source, target)| (source.to_string(), target.to_string()))
        .collect()
}

#[test]
fn watch_no_reloader_outside_the_watch_override() {
    for (name, member) in SNAPSHOTTED {
        if !member.is_empty() {
            continue;
        }
        let (_test, files) = generated(name);
        for (path, text) in &files {
            // The watch override runs the reloader; Markdown documents it and runs nothing.
            if path == "compose.watch.yaml" || path.ends_with(".md") {
                continue;
            }
            // What runs: every line but comments (which may name the watch override's reloader).
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n");
            for word in RELOADERS {
                assert!(
                    !code.contains(word),
                    "{name}: {path} runs a reloader ({word}); only compose.watch.yaml may:\n{text}"
                );
            }
        }
        let Some(watch) = files.get("compose.watch.yaml") else {
            continue;
        };
        let dockerfile = &files["Dockerfile"];
        let server = ["gunicorn", "uvicorn"]
            .into_iter()
            .find(|s| dockerfile.contains(&format!("CMD [\"{s}\"")));
        // An application tree whose whole tree rebuilds the image (its server has no reloader
        // dockwright knows); a Django site's tree also rebuilds, around its mounted packages.
        let app_tree =
            watch.contains("action: rebuild\n          path: .\n") && mounts(watch).is_empty();
        match server {
            Some(_) if !app_tree => {
                assert!(
                    watch.contains("--reload\"") || watch.contains("\"--reload\","),
                    "{name}: the watch override runs no reloader:\n{watch}"
                );
                assert!(
                    !mounts(watch).is_empty()
                        && !watch.contains("- action: sync")
                        && !watch.contains("sync+restart"),
                    "{name}: the code is mounted and reloaded, not synced or restarted:\n{watch}"
                );
                // The image the watcher builds is not the production tag; the mounted code is
                // the host's, so neither image hands the code to the app's user.
                assert!(watch.contains(":watch\""), "{name}: {watch}");
                assert!(!watch.contains("CODE_OWNER"), "{name}: {watch}");
                assert!(
                    !dockerfile.contains("CODE_OWNER"),
                    "{name}: the production image's code is root's:\n{dockerfile}"
                );
            }
            _ => assert!(!watch.contains("\"--reload\""), "{name}: {watch}"),
        }
        if dockerfile.contains("CMD [\"uvicorn\"") && !app_tree {
            // uvicorn watches its working directory unless told: the mounted code is elsewhere.
            let (_, target) = mounts(watch).into_iter().next().expect("a mount");
            assert!(
                watch.contains(&format!("\"--reload-dir\", \"{target}\"")),
                "{name}: uvicorn must watch {target}:\n{watch}"
            );
            // uvicorn's polling reloader looks every 0.25 s unless told: 0.05 s here.
            assert!(
                watch.contains(&format!(
                    "\"--reload-dir\", \"{target}\", \"--reload-delay\", \"0.05\"]"
                )),
                "{name}: uvicorn polls every 0.25 s:\n{watch}"
            );
        }
    }
}

#[test]
fn watch_the_sync_target_is_where_the_image_puts_the_code() {
    for (name, member) in SNAPSHOTTED {
        if !member.is_empty() {
            continue;
        }
        let (_test, files) = generated(name);
        let (Some(watch), Some(dockerfile)) =
            (files.get("compose.watch.yaml"), files.get("Dockerfile"))
        else {
            continue;
        };
        let synced = watch
            .lines()
            .filter_map(|l| l.trim().strip_prefix("target: "))
            .map(String::from);
        let mounted = mounts(watch).into_iter().map(|(_, target)| target);
        for target in synced.chain(mounted) {
            let target = target.as_str();
            let python = dockerfile
                .lines()
                .find_map(|l| l.strip_prefix("ARG PYTHON_VERSION="))
                .unwrap();
            // An application tree runs from /app: its code is mounted there, or in the folder
            // the image runs from (`WORKDIR /app/src`), or a Django site's package there.
            if dockerfile.contains(" . /app\n") && !watch.contains("- action: sync") {
                let dir = target.strip_prefix("/app/");
                assert!(
                    target == "/app"
                        || dockerfile.contains(&format!("WORKDIR {target}\n"))
                        || dir.is_some_and(|d| watch.contains(&format!("\"./{d}:{target}:ro\""))),
                    "{name}: {target} is not where the app tree runs from:\n{dockerfile}"
                );
                continue;
            }
            // A Streamlit script's app tree is /app itself, owned by the app's user here.
            if target == "/app" {
                assert!(
                    dockerfile.contains("COPY --chown=${CODE_OWNER} . /app\n"),
                    "{name}: {dockerfile}"
                );
                continue;
            }
            // gunicorn imports a Django site from its working directory, /app, not the venv.
            let django = dockerfile.contains("manage.py ./\n");
            assert_eq!(
                target.starts_with("/app/"),
                django,
                "{name}: {target} is not where the running app imports the code from"
            );
            let in_app = target
                .strip_prefix("/app/")
                .map(|p| format!("COPY {p}/ {p}/"));
            match in_app {
                Some(copy) => assert!(
                    dockerfile.contains(&copy),
                    "{name}: {target}:\n{dockerfile}"
                ),
                None => assert!(
                    target.starts_with(&format!("/opt/venv/lib/python{python}/site-packages/")),
                    "{name}: {target} is not in the venv of Python {python}"
                ),
            }
        }
    }
}

#[test]
fn watch_kinds_that_serve_nothing_say_why() {
    let Some(just) = tool("just", "pip install rust-just") else {
        return;
    };
    for (name, why) in [
        ("typer-cli", "a command-line tool runs once and exits"),
        ("lib-noversion", "runs nothing by itself"),
        ("mcp-stdio", "a stdio MCP server is not a running service"),
    ] {
        let (test, files) = generated(name);
        assert!(
            !files.contains_key("compose.watch.yaml"),
            "{name}: no watch override for a kind that serves nothing"
        );
        let out = Command::new(&just)
            .arg("docker-watch")
            .current_dir(test.path().join("proj"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains("docker-watch does not apply to ") && stderr.contains(why),
            "{name}: {stderr}"
        );
    }
}

/// gunicorn's default reload engine polls once a second (the bench's 0.98 s median was mostly
/// that wait): the watch override asks for its inotify engine and one worker, and the `inotify`
/// package it needs is installed by a stage that only the `:watch` image is built from
/// (`VENV_STAGE`, passed by compose.watch.yaml); the production build's default stage has none.
#[test]
fn watch_gunicorn_reloads_on_inotify_installed_in_the_watch_image_only() {
    let mut seen = 0;
    for (name, member) in SNAPSHOTTED {
        if !member.is_empty() {
            continue;
        }
        let (_test, files) = generated(name);
        let (Some(watch), Some(dockerfile)) =
            (files.get("compose.watch.yaml"), files.get("Dockerfile"))
        else {
            continue;
        };
        if !dockerfile.contains("CMD [\"gunicorn\"") || !watch.contains("\"--reload\"") {
            continue;
        }
        seen += 1;
        assert!(
            watch.contains("\"--reload\", \"--reload-engine\", \"inotify\", \"--workers\", \"1\"]"),
            "{name}: gunicorn's reloader polls unless told to use inotify:\n{watch}"
        );
        let default = dockerfile
            .lines()
            .find_map(|l| l.strip_prefix("ARG VENV_STAGE="))
            .unwrap_or_else(|| panic!("{name}: no VENV_STAGE:\n{dockerfile}"));
        assert!(
            watch.contains(&format!("VENV_STAGE: \"{default}-watch\"")),
            "{name}: the watch image is not built from {default}-watch:\n{watch}"
        );
        // The stage the production build uses (the default) installs no inotify: only the
        // -watch stage, which the production build never reaches.
        let stage = |s: &str| {
            let from = format!(" AS {s}\n");
            let start = dockerfile
                .find(&from)
                .unwrap_or_else(|| panic!("{name}: no stage {s}"));
            let rest = &dockerfile[start + from.len()..];
            // Its instructions, not the comments (the next stage's heading names inotify).
            rest[..rest.find("\nFROM ").unwrap_or(rest.len())]
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert!(!stage(default).contains("inotify"), "{name}: {dockerfile}");
        assert!(
            stage(&format!("{default}-watch")).contains("install inotify=="),
            "{name}: {dockerfile}"
        );
        assert!(
            dockerfile.contains("FROM ${VENV_STAGE} AS venv\n"),
            "{name}"
        );
        assert!(
            dockerfile.contains("COPY --from=venv"),
            "{name}: {dockerfile}"
        );
        for (path, text) in &files {
            assert!(
                path == "compose.watch.yaml"
                    || path == "Dockerfile"
                    || !text.contains("VENV_STAGE"),
                "{name}: {path} names VENV_STAGE; only the watch override may"
            );
        }
    }
    assert!(
        seen >= 3,
        "only {seen} gunicorn fixtures with a watch override"
    );
}

/// A Streamlit script runs from the app tree, /app: docker-watch syncs the tree there (not a
/// rebuild of the image per save, as for the other app trees) and Streamlit re-runs it on save
/// (`runOnSave`, in the watch override only); the app's user owns /app in the :watch image only.
#[test]
fn watch_streamlit_syncs_the_app_tree_and_runs_on_save() {
    let (_test, files) = generated("streamlit-app");
    let watch = &files["compose.watch.yaml"];
    let dockerfile = &files["Dockerfile"];
    let command = watch
        .lines()
        .find_map(|l| l.trim().strip_prefix("command: "))
        .unwrap_or_else(|| panic!("no command in the watch override:\n{watch}"));
    assert!(
        command.starts_with("[\"streamlit\", \"run\", ")
            && command.ends_with(", \"--server.runOnSave=true\"]"),
        "{command}"
    );
    assert!(
        watch.contains("- action: sync\n          path: .\n          target: /app\n"),
        "{watch}"
    );
    for ignored in ["configs/", "data/", "logs/", "ephemeral/", "pyproject.toml"] {
        assert!(
            watch.contains(&format!("            - {ignored}\n")),
            "{watch}"
        );
    }
    assert!(watch.contains("- action: rebuild\n          path: ./pyproject.toml"));
    assert!(!watch.contains("path: .\n          ignore:"), "{watch}");
    assert!(
        watch.contains("image: \"spiral-explorer:watch\""),
        "{watch}"
    );
    assert!(
        dockerfile.contains("ARG CODE_OWNER=0\n")
            && dockerfile.contains("COPY --chown=${CODE_OWNER} . /app\n"),
        "{dockerfile}"
    );
    // Compose deletes a file as the app's user: it needs /app itself, not only its files
    // (seen: "rm: cannot remove '/app/extra_mod.py': Permission denied").
    assert!(
        dockerfile.contains(" && install -d -o ${CODE_OWNER} /app \\\n"),
        "{dockerfile}"
    );
}

/// Where a server's own reloader serves the code, the code is a read-only bind mount of the
/// project's package directory, not Compose Watch's `sync`: `sync` waits for 0.5 s of quiet
/// before it copies (Compose 2.26, fixed), which with uvicorn's fresh interpreter put
/// fastapi-factory at 1.29 s median, over the one-second target (docs/bench-watch.md). The
/// dependency files still rebuild, through Compose Watch; nothing is copied as the host's UID,
/// so no `user:` override is needed; the kinds without a reloader keep `sync+restart`.
#[test]
fn watch_reloaded_code_is_bind_mounted_read_only_not_synced() {
    let mut seen = Vec::new();
    for (name, member) in SNAPSHOTTED {
        if !member.is_empty() {
            continue;
        }
        let (test, files) = generated(name);
        let Some(watch) = files.get("compose.watch.yaml") else {
            continue;
        };
        let reloads = watch.contains("\"--reload\"");
        let mounted = mounts(watch);
        if !reloads {
            assert!(
                mounted.is_empty(),
                "{name}: a mount without a reloader:\n{watch}"
            );
            continue;
        }
        seen.push(*name);
        assert!(
            !mounted.is_empty(),
            "{name}: the reloaded code is not mounted:\n{watch}"
        );
        for (source, target) in &mounted {
            assert!(
                test.path().join("proj").join(source).is_dir(),
                "{name}: {source} is not a directory of the project"
            );
            assert!(target.starts_with('/'), "{name}: {target}");
            // In the service's `volumes:` list (the mounts follow each other there).
            let volumes = &watch[watch.find("\n    volumes:\n").expect("volumes")..];
            let list = &volumes[..=volumes.find("\n    develop:").expect("develop")];
            assert!(
                list.contains(&format!("\n      - \"{source}:{target}:ro\"\n")),
                "{name}: {source} is not the service's read-only volume:\n{watch}"
            );
        }
        assert!(!watch.contains("action: sync"), "{name}: {watch}");
        assert!(!watch.contains("\n    user: "), "{name}: {watch}");
        let dependencies = if test.path().join("proj/pyproject.toml").is_file() {
            "./pyproject.toml"
        } else {
            "./requirements.txt"
        };
        assert!(
            test.path().join("proj/Pipfile").is_file()
                || test.path().join("proj/src/requirements.txt").is_file()
                || watch.contains(&format!(
                    "- action: rebuild\n          path: {dependencies}\n"
                )),
            "{name}: a dependency change must still rebuild:\n{watch}"
        );
    }
    for kind in [
        "flask-factory",
        "fastapi-factory",
        "django-site",
        "mcp-http",
    ] {
        assert!(seen.contains(&kind), "{kind} is not mounted: {seen:?}");
    }
    // A command of no known server has no reloader: Compose Watch copies and restarts.
    let (_test, files) = generated("mcp-typer");
    let watch = &files["compose.watch.yaml"];
    assert!(watch.contains("- action: sync+restart\n"), "{watch}");
    assert!(mounts(watch).is_empty(), "{watch}");
}

/// An application tree of top-level modules only (no package to mount: `app.py`): a save
/// rebuilds the image, and the override runs no reloader it could not feed.
#[test]
fn watch_app_tree_without_a_package_rebuilds_on_each_change() {
    let (_test, files) = generated("pipfile-app");
    let watch = &files["compose.watch.yaml"];
    assert!(mounts(watch).is_empty(), "{watch}");
    assert!(!watch.contains("--reload"), "{watch}");
    assert!(!watch.contains("action: sync"), "{watch}");
    assert!(
        watch.contains("- action: rebuild\n          path: .\n"),
        "{watch}"
    );
}

/// Issue 21 for an application tree (no build system: the tree runs from `/app`): its import
/// packages are bind-mounted read-only where the image holds them (never the tree or `src/`:
/// Compose Watch does not watch a path a bind mount covers, and the dependency files are
/// there; a Django site's packages also keep `collectstatic`'s output in the image's `/app`
/// visible), the server reloads them as for a package, each file the dependency stage copies
/// keeps a rebuild rule, and the rest of the tree rebuilds.
#[test]
fn watch_app_tree_mounts_its_code_read_only_and_rebuilds_on_each_dependency_file() {
    for (name, expected, reloader) in [
        (
            "flask-requirements",
            &[("./app", "/app/app")][..],
            "\"--reload\", \"--reload-engine\", \"inotify\"",
        ),
        (
            "token-build",
            &[("./links", "/app/links")][..],
            "\"--reload\", \"--reload-engine\", \"inotify\"",
        ),
        (
            "fastapi-src",
            &[("./src/routers", "/app/src/routers")][..],
            "\"--reload\", \"--reload-dir\", \"/app/src/routers\", \"--reload-delay\", \"0.05\"]",
        ),
        (
            "django-requirements",
            &[("./board", "/app/board"), ("./config", "/app/config")][..],
            "\"--reload\", \"--reload-engine\", \"inotify\"",
        ),
        (
            "django-app",
            &[("./mysite", "/app/mysite")][..],
            "\"--reload\", \"--reload-engine\", \"inotify\"",
        ),
    ] {
        let (_test, files) = generated(name);
        let watch = &files["compose.watch.yaml"];
        let dockerfile = &files["Dockerfile"];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(s, t)| (s.to_string(), t.to_string()))
            .collect();
        assert_eq!(mounts(watch), expected, "{name}:\n{watch}");
        assert!(watch.contains(reloader), "{name}: no reloader:\n{watch}");
        assert!(!watch.contains("action: sync"), "{name}: {watch}");
        // Every file the dependency stage copies rebuilds the image (COPY lines before the
        // runtime stage), and nothing that does not exist.
        let deps = &dockerfile[..dockerfile.find(" AS runtime\n").unwrap()];
        let copied: Vec<&str> = deps
            .lines()
            .filter_map(|l| l.strip_prefix("COPY "))
            .filter(|l| !l.starts_with("--from") && !l.starts_with("docker/"))
            .flat_map(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words[..words.len() - 1].to_vec()
            })
            .collect();
        assert!(!copied.is_empty(), "{name}: {dockerfile}");
        for file in copied {
            assert!(
                watch.contains(&format!("- action: rebuild\n          path: ./{file}\n")),
                "{name}: a change to {file} does not rebuild:\n{watch}"
            );
        }
        assert!(
            files.contains_key("pyproject.toml")
                || _test.path().join("proj/pyproject.toml").is_file()
                || !watch.contains("path: ./pyproject.toml"),
            "{name}: a rule for a file the project does not have:\n{watch}"
        );
        // The tree keeps a rebuild rule around its mounted packages (a top-level module,
        // manage.py, a top-level folder are in the image only): never a mount of the tree or
        // of a folder holding a dependency file, which Compose Watch would then not watch.
        let tree_rebuild = watch.contains("- action: rebuild\n          path: .\n");
        assert!(tree_rebuild, "{name}:\n{watch}");
        {
            for (source, _) in &expected {
                let dir = source.trim_start_matches("./");
                assert!(
                    watch.contains(&format!("            - {dir}/\n")),
                    "{name}:\n{watch}"
                );
            }
        }
        // The image's static files stay where collectstatic put them: nothing is mounted over
        // /app itself for a Django site.
        if dockerfile.contains("collectstatic") {
            assert!(
                expected.iter().all(|(_, t)| t != "/app"),
                "{name}: a mount over /app hides the collected static files"
            );
        }
        // The .dockerignore does not bound a mount: the override says so.
        assert!(
            watch.contains("not bounded by .dockerignore"),
            "{name}:\n{watch}"
        );
        // The production image runs no reloader and the app's user owns no code.
        assert!(!dockerfile.contains("CODE_OWNER"), "{name}: {dockerfile}");
    }
}
