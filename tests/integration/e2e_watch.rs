//! Issue 21, end to end, through the recipes: `just docker-watch` on a WSGI fixture (Flask
//! under gunicorn) and an ASGI one (FastAPI under uvicorn). A saved route answers its new body
//! from the same container (the server's reloader on the bind-mounted code; the time is a
//! figure of `scripts/bench-watch.sh`, not asserted here), a file created on the host appears
//! where the app imports the package from and, deleted, is gone there, a change to
//! pyproject.toml rebuilds (a new container), and Ctrl-C — SIGINT to the recipe's process
//! group, as a terminal sends it — leaves no container of the project running. The message
//! of the kinds that serve nothing needs no engine: `watch.rs`.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{engine, free_port, is_root, own_uid, tail, BUILD, SHORT};

type App = super::Project;

/// A UID the Docker host has (the engine looks it up when Compose Watch copies a file).
fn host_uid() -> u32 {
    if !is_root() {
        return own_uid();
    }
    std::fs::read_to_string("/etc/passwd")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split(':').nth(2)?.parse::<u32>().ok())
        .find(|u| (1000..65534).contains(u))
        .expect("docker-watch: no regular user (UID >= 1000) on this host")
}

fn get(port: &str, path: &str) -> String {
    let out = Command::new("curl")
        .args([
            "-fs",
            "--max-time",
            "2",
            &format!("http://127.0.0.1:{port}{path}"),
        ])
        .output()
        .expect("curl");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn until(what: &str, limit: Duration, log: &std::path::Path, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        if started.elapsed() > limit {
            let said = std::fs::read_to_string(log).unwrap_or_default();
            panic!(
                "docker-watch: {what} within {limit:?}; it said:\n{}",
                tail(&said, 4000)
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `dependency`: the file whose change must rebuild the image (`pyproject.toml`,
/// `requirements.txt`).
fn watch_round_trip(
    fixture: &str,
    image: &str,
    module: &str,
    decorator: &str,
    path: &str,
    dependency: &str,
) {
    let Some(engine) = engine() else { return };
    let host_uid = host_uid();
    let uid = host_uid.to_string();
    let app = App::init(&engine, fixture, image, &["--uid", &uid]);
    app.cleanup.remember_image(&format!("{image}:watch"));
    // Under compose the volume directories are the host's: writable by the app's UID, as
    // compose.yaml says (an app tree's SQLite database is in data/).
    if is_root() {
        for dir in ["data", "logs", "ephemeral"] {
            let _ = std::os::unix::fs::chown(app.root.join(dir), Some(host_uid), Some(host_uid));
        }
    }
    let source = app.root.join(module);
    let original = std::fs::read_to_string(&source).unwrap();
    let route = |body: &str| {
        std::fs::write(
            &source,
            format!("{original}\n\n{decorator}\ndef e2e_watch():\n    return \"{body}\"\n"),
        )
        .unwrap()
    };
    route("before-the-save");

    let project = format!("{}watch", image.replace('-', ""));
    let port = free_port().to_string();
    let log = app.test.path().join("docker-watch.log");
    let log_file = std::fs::File::create(&log).unwrap();
    let mut child = Command::new(&engine.just)
        .current_dir(&app.root)
        .arg("docker-watch")
        .env("COMPOSE_PROJECT_NAME", &project)
        .env("PORT", &port)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file)
        .process_group(0)
        .spawn()
        .expect("just docker-watch");
    let pgid = child.id();
    let compose = |args: &[&str]| {
        let mut cmd = Command::new(&engine.docker);
        cmd.current_dir(&app.root)
            .args(["compose", "-f", "compose.yaml", "-f", "compose.watch.yaml"])
            .args(args)
            .env("COMPOSE_PROJECT_NAME", &project)
            .env("PORT", &port);
        super::run(&mut cmd, SHORT)
    };
    let running = || {
        engine
            .docker(&[
                "ps",
                "-q",
                "--filter",
                &format!("label=com.docker.compose.project={project}"),
            ])
            .stdout
            .trim()
            .to_string()
    };

    until("the service never answered", BUILD, &log, || {
        get(&port, path).contains("before-the-save")
    });
    until("the watcher never armed", SHORT, &log, || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("Watch enabled")
    });
    std::thread::sleep(Duration::from_secs(1));

    // 1. A saved file: the new body, from the same container (reloaded, not restarted).
    let before = running();
    route("after-the-save");
    until(
        "the saved route never answered its new body",
        Duration::from_secs(30),
        &log,
        || get(&port, path).contains("after-the-save"),
    );
    assert_eq!(
        running(),
        before,
        "{fixture}: the container was replaced, not reloaded"
    );

    // 2. A file created, then deleted on the host: gone in the container too.
    // Where the watch override puts the code: its read-only bind mount (`- "./src/pkg:
    // /opt/venv/...:ro"`, `- ".:/app:ro"` for an app tree), or a sync rule's target.
    let overlay = std::fs::read_to_string(app.root.join("compose.watch.yaml")).unwrap();
    let (source, target) = overlay
        .lines()
        .find_map(|l| {
            let l = l.trim();
            let pkg = std::path::Path::new(module).parent().unwrap();
            l.strip_prefix("target: ")
                .map(|t| (pkg.to_path_buf(), t.to_string()))
                .or_else(|| {
                    let mount = l.strip_prefix("- \"")?.strip_suffix(":ro\"")?;
                    let (source, target) = mount.split_once(':')?;
                    source
                        .starts_with('.')
                        .then(|| (source.into(), target.to_string()))
                })
        })
        .expect("a bind mount or a sync target in compose.watch.yaml");
    let extra = app.root.join(source).join("e2e_extra.py");
    std::fs::write(&extra, "EXTRA = 1\n").unwrap();
    let in_container = format!("{target}/e2e_extra.py");
    let exists = || compose(&["exec", "-T", image, "test", "-e", &in_container]).ok();
    until(
        "the new file never reached the container",
        Duration::from_secs(30),
        &log,
        exists,
    );
    std::fs::remove_file(&extra).unwrap();
    until(
        "the deleted file stayed in the container",
        Duration::from_secs(30),
        &log,
        || !exists(),
    );

    // The app's user cannot change the code it runs (root's in the production image; the
    // host's, mounted read-only, under docker-watch).
    let written = format!("{target}/e2e_written_by_the_app.py");
    let touch = compose(&["exec", "-T", image, "touch", &written]);
    assert!(
        !touch.ok() && touch.all().contains("Read-only file system"),
        "{fixture}: the app's user could write {written}, or failed for another reason: {}",
        touch.report()
    );

    // 3. A dependency change rebuilds the image: a new container.
    let dependencies = app.root.join(dependency);
    let text = std::fs::read_to_string(&dependencies).unwrap();
    std::fs::write(
        &dependencies,
        format!("{text}\n# e2e: a change that rebuilds\n"),
    )
    .unwrap();
    until(
        &format!("{dependency}'s change never rebuilt"),
        BUILD,
        &log,
        || {
            let now = running();
            !now.is_empty() && now != before
        },
    );

    // 4. Ctrl-C: SIGINT to the recipe's process group; nothing of the project keeps running.
    Command::new("kill")
        .args(["-INT", "--", &format!("-{pgid}")])
        .status()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            super::kill_group(pgid);
            panic!("docker-watch did not end within 60 s of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let left = running();
    if !left.is_empty() {
        compose(&["down"]);
    }
    assert!(
        left.is_empty(),
        "{fixture}: still running after Ctrl-C: {left}"
    );
}

#[test]
fn watch_flask_factory_reloads_deletes_rebuilds_and_stops() {
    watch_round_trip(
        "flask-factory",
        "flask-journal",
        "src/journal/views.py",
        "@bp.get(\"/e2e-watch\")",
        "/e2e-watch",
        "pyproject.toml",
    );
}

#[test]
fn watch_fastapi_factory_reloads_deletes_rebuilds_and_stops() {
    watch_round_trip(
        "fastapi-factory",
        "shop-api",
        "src/shop_api/items.py",
        "@router.get(\"/e2e/watch\")",
        "/api/v1/items/e2e/watch",
        "pyproject.toml",
    );
}

/// An application tree (issue 21 for the projects without a build system): Flask under
/// gunicorn from `requirements.txt`, its whole tree bind-mounted read-only over /app, with
/// compose.yaml's volumes (its SQLite database in /app/data) mounted inside it; a change to
/// requirements.txt rebuilds.
#[test]
fn watch_flask_requirements_app_tree_reloads_deletes_rebuilds_and_stops() {
    watch_round_trip(
        "flask-requirements",
        "flask-requirements",
        "app/routes.py",
        "@bp.get(\"/e2e-watch\")",
        "/e2e-watch",
        "requirements.txt",
    );
}
