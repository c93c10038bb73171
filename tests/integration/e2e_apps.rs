//! Issue 8, end to end: real-shaped projects (`tests/fixtures/`) retrofitted with `init --yes`,
//! built, run and tested through their generated recipes. Each runs as its chosen UID and
//! passes its own tests in `docker-test`; the web ones become healthy under `docker run` and
//! under `just docker-up` + `just docker-health`, and stop cleanly on SIGTERM; the stdio MCP
//! server answers `initialize` through `just docker-run`; the CLI takes arguments after the
//! image; the library prints its distribution version.
//!
//! A child of `e2e` (it shares its engine, cleanup and polling helpers); the dependencies come
//! from PyPI inside the builds. The tests run in parallel threads and share BuildKit's cache
//! (the same base images and builder steps).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{engine, free_port, Cleanup, Engine, BUILD, HEALTHY, SHORT};
use crate::test::Test;

/// A fixture retrofitted in a temporary directory: the e2e suite's `Project`, made by `init`.
type App = super::Project;

impl super::Project {
    /// Copies `tests/fixtures/<fixture>` and runs `dockwright init --yes --python 3.11 ARGS`.
    pub(super) fn init(engine: &Engine, fixture: &str, image: &str, args: &[&str]) -> App {
        Self::init_said(engine, fixture, image, args).0
    }

    /// `init`, and what `dockwright init` printed.
    pub(super) fn init_said(
        engine: &Engine,
        fixture: &str,
        image: &str,
        args: &[&str],
    ) -> (App, String) {
        let flat: String = fixture
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let cleanup = Cleanup::new(
            engine,
            &[image],
            &[&format!("{image}-run")],
            &[fixture, &flat],
        );
        let test = Test::new()
            .fixture(fixture, fixture)
            .args(["init", fixture, "--yes", "--python", "3.11"])
            .args(args);
        let out = test.run();
        out.expect_code(0);
        let said = out.stdout();
        eprintln!("[e2e] {fixture}: init said\n{said}");
        let app = App {
            cleanup,
            engine: engine.clone(),
            root: test.path().join(fixture),
            image: image.to_string(),
            test,
        };
        (app, said)
    }

    fn record(&self) -> String {
        std::fs::read_to_string(self.root.join(".dockwright.toml")).unwrap()
    }

    /// The record and the Dockerfile: detected answers such as the command are not recorded
    /// (they are detected again on every run), so they are checked where they land.
    fn generated(&self) -> String {
        let dockerfile = std::fs::read_to_string(self.root.join("Dockerfile")).unwrap();
        format!("{}\n{dockerfile}", self.record())
    }

    /// Where the Dockerfile copies the package's code over site-packages instead of installing
    /// the wheel, the image holds exactly what the wheel installs: the same files under the
    /// package (bytecode aside; package data included), the wheel's version through
    /// `importlib.metadata`, and none of them writable by the image's user. The wheel is built
    /// on the host by the project's own backend (`pip wheel`).
    pub(super) fn overlay_matches_wheel(&self) {
        match overlay_matches_wheel(&self.engine, &self.root, &self.image) {
            Ok(Some(said)) => eprintln!("[e2e] {}: {said}", self.image),
            Ok(None) => {}
            Err(e) => panic!("{}: {e}", self.image),
        }
    }

    /// `just docker-build-test` + `just docker-test`: the project's own tests pass.
    fn tests_pass(&self) {
        self.just(&["docker-build-test"]).expect_ok();
        self.cleanup.remember_image(&format!("{}:test", self.image));
        self.overlay_matches_wheel();
        let done = self.just(&["docker-test"]).expect_ok();
        let out = done.all();
        assert!(
            out.contains(" passed") && !out.contains(" failed"),
            "{}",
            done.report()
        );
    }

    /// `docker stop` (SIGTERM) ends the server by itself, exit code 0, well before the 10 s
    /// after which Docker would SIGKILL it.
    fn stops_cleanly(&self, container: &str) {
        let started = Instant::now();
        self.engine
            .docker(&["stop", "--time", "20", container])
            .expect_ok();
        let secs = started.elapsed().as_secs_f64();
        let code = self.engine.inspect("{{.State.ExitCode}}", container);
        assert_eq!(code, "0", "{container} on SIGTERM");
        assert!(secs < 15.0, "{container} took {secs:.1}s to stop");
        self.engine.docker(&["rm", "-f", container]).expect_ok();
    }

    /// `just docker-up` on a free host port, `just docker-health` polled until it passes, then
    /// `just docker-down`. Compose v2 when it answers, else docker-compose 1.29.
    fn compose_healthy(&self) {
        let port = free_port().to_string();
        let mut env = vec![("PORT", port.as_str())];
        if !self.engine.compose_v2 {
            env.push(("COMPOSE", "docker-compose"));
        }
        self.compose_healthy_with(&env);
    }

    /// `compose_healthy` with `env` (which sets PORT, and COMPOSE for docker-compose 1.29).
    fn compose_healthy_with(&self, env: &[(&str, &str)]) {
        self.just_env(&["docker-up"], env, BUILD).expect_ok();
        let started = Instant::now();
        loop {
            let health = self.just_env(&["docker-health"], env, SHORT);
            if health.ok() {
                assert!(health.all().contains(&format!("{}: healthy", self.image)));
                break;
            }
            if started.elapsed() > HEALTHY + Duration::from_secs(30) {
                let logs = self.just_env(&["docker-down"], env, SHORT);
                panic!(
                    "docker-health never passed: {}\n{}",
                    health.report(),
                    logs.report()
                );
            }
            std::thread::sleep(Duration::from_secs(1));
        }
        eprintln!(
            "[e2e] {}: compose healthy {:.1}s after docker-up",
            self.image,
            started.elapsed().as_secs_f64()
        );
        self.just_env(&["docker-down"], env, SHORT).expect_ok();
    }

    /// `python -c CODE` inside `container`, as the image's user.
    fn python(&self, container: &str, code: &str) -> String {
        self.engine
            .docker(&["exec", container, "python", "-c", code])
            .expect_ok()
            .stdout
    }

    /// The body the app in `container` answers for `path` on its port 8000, fetched from inside.
    fn get(&self, container: &str, path: &str) -> String {
        self.python(
            container,
            &format!(
                "import urllib.request as u; \
                 print(u.urlopen('http://127.0.0.1:8000{path}', timeout=10).read().decode())"
            ),
        )
    }
}

#[test]
fn flask_factory_with_instance_folder_runs_under_gunicorn() {
    let Some(engine) = engine() else { return };
    let app = App::init(
        &engine,
        "flask-factory",
        "flask-journal",
        &["--uid", "1234"],
    );
    let record = app.generated();
    for expected in [
        r#"CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "journal:create_app()"]"#,
        r#"server = ["gunicorn==23.0.0"]"#,
    ] {
        assert!(record.contains(expected), "{expected} not in\n{record}");
    }
    // No health route: the record leaves the answer out (an absent key means none).
    assert!(!record.contains("health_path ="), "{record}");
    let image = app.build(1234);
    let c = engine.run_until_healthy(&image, "flask-journal-run");
    // The factory made its instance folder; sqlite writes there as UID 1234.
    let entry = app.python(
        &c,
        "import json, urllib.request as u; print(u.urlopen(u.Request('http://127.0.0.1:8000/entries', \
         data=json.dumps({'body': 'kept'}).encode(), headers={'Content-Type': 'application/json'}), timeout=10).read().decode())",
    );
    assert!(entry.contains("\"kept\""), "{entry}");
    let owner = app.python(
        &c,
        "import os, sys; print(os.stat(os.path.join(sys.prefix, 'var', 'journal-instance')).st_uid)",
    );
    assert_eq!(owner.trim(), "1234");
    // Code and venv stay read-only for the app's user.
    let denied = engine.docker(&[
        "exec",
        &c,
        "sh",
        "-c",
        "touch /opt/venv/x || touch /opt/venv/lib/x",
    ]);
    assert!(!denied.ok(), "the venv is writable: {}", denied.report());
    let logs = engine.docker(&["logs", &c]).all();
    assert!(
        logs.contains("Booting worker") && !logs.contains("development server"),
        "{logs}"
    );
    app.stops_cleanly(&c);
    app.compose_healthy();
    app.tests_pass();
}

#[test]
fn flask_module_app_runs_under_gunicorn() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "flask-flat", "flask-notes", &[]);
    assert!(app.record().contains(r#"health_path = "/health""#));
    let image = app.build(1000);
    let c = engine.run_until_healthy(&image, "flask-notes-run");
    let notes = app.get(&c, "/notes");
    assert!(notes.contains("\"notes\""), "{notes}");
    app.stops_cleanly(&c);
    app.compose_healthy();
    app.tests_pass();
}

#[test]
fn fastapi_factory_runs_under_uvicorn_with_its_own_health_route() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "fastapi-factory", "shop-api", &["--uid", "2345"]);
    let record = app.generated();
    for expected in [
        r#"CMD ["uvicorn", "shop_api.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]"#,
        r#"server = ["uvicorn==0.34.0"]"#,
        r#"health_path = "/api/v1/utils/health-check/""#,
    ] {
        assert!(record.contains(expected), "{expected} not in\n{record}");
    }
    let image = app.build(2345);
    let c = engine.run_until_healthy(&image, "shop-api-run");
    let items = app.get(&c, "/api/v1/items/");
    assert!(items.contains("kettle"), "{items}");
    app.stops_cleanly(&c);
    app.compose_healthy();
    app.tests_pass();
}

#[test]
fn mcp_streamable_http_server_binds_every_interface_and_passes_its_mcp_check() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "mcp-http", "clock-mcp", &[]);
    let record = app.generated();
    for expected in [
        r#"transport = "streamable-http""#,
        r#"health_path = "/mcp""#,
        r#"CMD ["uvicorn", "clock_mcp.server:mcp.streamable_http_app", "--factory", "--host", "0.0.0.0""#,
    ] {
        assert!(record.contains(expected), "{expected} not in\n{record}");
    }
    let image = app.build(1000);
    let c = engine.run_until_healthy(&image, "clock-mcp-run");
    // From another container on the same network: it listens on every interface.
    let ip = engine.inspect("{{.NetworkSettings.IPAddress}}", &c);
    let reply = engine
        .docker(&[
            "run", "--rm", "--entrypoint", "python", &image, "-c",
            "import sys, urllib.request as u; print(u.urlopen(u.Request(f'http://{sys.argv[1]}:8000/mcp', \
             data=b'{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\": \"2025-03-26\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"e2e\", \"version\": \"0\"}}}', \
             headers={'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream', 'Host': '127.0.0.1:8000'}), timeout=10).read().decode())",
            &ip,
        ])
        .expect_ok();
    assert!(
        reply.stdout.contains("\"serverInfo\""),
        "{}",
        reply.report()
    );
    app.stops_cleanly(&c);
    app.compose_healthy();
    app.tests_pass();
}

#[test]
fn mcp_stdio_server_answers_initialize_through_docker_run_i() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "mcp-stdio", "notes-mcp", &["--uid", "4321"]);
    assert!(app.record().contains(r#"transport = "stdio""#));
    assert!(
        !app.generated().contains("\nEXPOSE "),
        "a stdio server publishes no port"
    );
    let image = app.build(4321);
    assert_eq!(
        engine.inspect("{{json .Config.Healthcheck}}", &image),
        "null"
    );
    assert_eq!(
        engine.inspect("{{json .Config.ExposedPorts}}", &image),
        "null"
    );
    assert_eq!(
        engine.inspect("{{json .Config.Entrypoint}}", &image),
        r#"["notes-mcp"]"#
    );
    // What an MCP client does: `just docker-run` is `docker run -i --rm IMAGE`; JSON-RPC on stdin.
    let mut child = Command::new("timeout")
        .args(["120"])
        .arg(&engine.just)
        .arg("docker-run")
        .current_dir(&app.root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let messages = [
        r#"{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "0"}}}"#,
        r#"{"jsonrpc": "2.0", "method": "notifications/initialized"}"#,
        r#"{"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "add_note", "arguments": {"text": "milk"}}}"#,
    ];
    let mut stdin = child.stdin.take().unwrap();
    for m in messages {
        writeln!(stdin, "{m}").unwrap();
    }
    // The server answers, then ends at EOF, like a client closing the session.
    std::thread::sleep(Duration::from_secs(3));
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(r#""id":1,"result""#) && stdout.contains("\"serverInfo\""),
        "initialize: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 notes"), "tools/call: {stdout}");
    app.tests_pass();
}

#[test]
fn typer_cli_is_the_entrypoint() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "typer-cli", "tally", &["--uid", "3456"]);
    let image = app.build(3456);
    let help = engine
        .docker(&["run", "--rm", &image, "--help"])
        .expect_ok();
    assert!(help.stdout.contains("Usage: tally"), "{}", help.report());
    let sum = engine
        .docker(&["run", "--rm", &image, "sum", "1", "2.5", "--precision", "1"])
        .expect_ok();
    assert_eq!(sum.stdout.trim(), "3.5");
    let words = app.just(&["docker-run", "tally", "words", "one two", "three"]);
    // just splits *ARGS on spaces: "one two" arrives as two words, 3 in all either way.
    assert_eq!(words.expect_ok().stdout.trim(), "3");
    app.tests_pass();
}

#[test]
fn library_without_version_prints_its_distribution_version() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "lib-noversion", "textstats", &[]);
    let image = app.build(1000);
    let out = engine.docker(&["run", "--rm", &image]).expect_ok();
    assert_eq!(out.stdout.trim(), "textstats 0.9.2", "{}", out.report());
    app.tests_pass();
}

#[test]
fn django_site_runs_under_gunicorn_with_static_files_and_migrations() {
    let Some(engine) = engine() else { return };
    let uid = data_uid();
    let uid_text = uid.to_string();
    let app = App::init(&engine, "django-site", "mysite", &["--uid", &uid_text]);
    let record = app.generated();
    for expected in [
        r#"CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "mysite.wsgi:application"]"#,
        r#"health_path = "/healthz/""#,
    ] {
        assert!(record.contains(expected), "{expected} not in\n{record}");
    }
    let env_example = std::fs::read_to_string(app.root.join(".env.example")).unwrap();
    for var in [
        "DJANGO_SETTINGS_MODULE=",
        "SECRET_KEY=",
        "ALLOWED_HOSTS=",
        "DEBUG=",
    ] {
        assert!(env_example.contains(var), "{var} not in .env.example");
    }
    let image = app.build(uid);
    django_site_listing(&engine, &image);
    migrate_and_serve(&app, &engine, uid);
}

/// The compose volumes are host directories: the container's user must own `data/`, where the
/// Django settings keep sqlite. Run as our own UID, or, as root, as 1000 with `data/` given to it.
fn data_uid() -> u32 {
    if super::is_root() {
        1000
    } else {
        super::own_uid()
    }
}

/// `manage.py` and the site are in /app, static files were collected at build time; the
/// listing of /app and the collected static files.
fn django_site_listing(engine: &Engine, image: &str) -> String {
    let listing = engine
        .docker(&[
            "run",
            "--rm",
            "--entrypoint",
            "ls",
            image,
            "/app",
            "/app/staticfiles/polls",
        ])
        .expect_ok()
        .stdout;
    for expected in ["manage.py", "mysite", "style.css"] {
        assert!(listing.contains(expected), "{expected} not in {listing}");
    }
    listing
}

/// Migrations run once, by their recipe, in a one-shot container with the data volume; then
/// the site comes up healthy under Compose and its own tests pass.
fn migrate_and_serve(app: &App, engine: &Engine, uid: u32) {
    if super::is_root() {
        let data = app.root.join("data");
        std::os::unix::fs::chown(&data, Some(uid), Some(uid)).unwrap();
    }
    let port = free_port().to_string();
    let mut env = vec![("PORT", port.as_str()), ("SECRET_KEY", "e2e-secret")];
    if !engine.compose_v2 {
        env.push(("COMPOSE", "docker-compose"));
    }
    let migrated = app.just_env(&["docker-migrate"], &env, BUILD).expect_ok();
    assert!(
        migrated.all().contains("Applying polls.0001_initial"),
        "{}",
        migrated.report()
    );
    app.compose_healthy_with(&env);
    app.tests_pass();
}

/// Issue 17, Django without packaging (`tests/fixtures/django-requirements`, cookiecutter-django's
/// shape): the image runs the settings package's production module, which requires
/// `DJANGO_SECRET_KEY`; collectstatic ran at build time with a throw-away value the image does
/// not keep; `just docker-migrate` runs the Procfile's `release:` line in the compose `migrate`
/// one-shot (the data migration posts a notice); `docker-up` starts only the app, healthy; the
/// page lists the notice from the database; the pytest-django suite passes in the test image.
#[test]
fn django_requirements_site_migrates_by_its_release_line_and_lists_its_notices() {
    let Some(engine) = engine() else { return };
    let uid = data_uid();
    let uid_text = uid.to_string();
    let (app, said) = App::init_said(
        &engine,
        "django-requirements",
        "noticeboard",
        &["--uid", &uid_text, "--name", "noticeboard"],
    );
    assert!(
        said.contains("django:  settings config.settings.production"),
        "{said}"
    );
    let image = app.build(uid);
    let env = engine.inspect("{{json .Config.Env}}", &image);
    assert!(
        env.contains("DJANGO_SETTINGS_MODULE=config.settings.production")
            && !env.contains("DJANGO_SECRET_KEY")
            && !env.contains("collectstatic-only"),
        "{env}"
    );
    let statics = engine
        .docker(&[
            "run",
            "--rm",
            "--entrypoint",
            "ls",
            &image,
            "/app/staticfiles/admin/css",
        ])
        .expect_ok()
        .stdout;
    assert!(statics.contains("base.css"), "{statics}");
    // Without the variable production requires, the settings refuse to load: nothing was baked in.
    let refused = engine.docker(&[
        "run",
        "--rm",
        "--entrypoint",
        "python",
        &image,
        "manage.py",
        "check",
    ]);
    assert!(
        !refused.ok() && refused.all().contains("DJANGO_SECRET_KEY"),
        "{}",
        refused.report()
    );

    if super::is_root() {
        std::os::unix::fs::chown(app.root.join("data"), Some(uid), Some(uid)).unwrap();
    }
    let port = free_port().to_string();
    let mut env = vec![
        ("PORT", port.as_str()),
        ("DJANGO_SECRET_KEY", "e2e-secret-not-for-production"),
    ];
    if !engine.compose_v2 {
        env.push(("COMPOSE", "docker-compose"));
    }
    let migrated = app.just_env(&["docker-migrate"], &env, BUILD).expect_ok();
    assert!(
        migrated
            .all()
            .contains("Applying board.0002_welcome_notice... OK"),
        "{}",
        migrated.report()
    );
    app.just_env(&["docker-up"], &env, BUILD).expect_ok();
    let started = Instant::now();
    while !app.just_env(&["docker-health"], &env, SHORT).ok() {
        assert!(started.elapsed() < HEALTHY, "never healthy");
        std::thread::sleep(Duration::from_secs(1));
    }
    let running = engine
        .docker(&[
            "ps",
            "--format",
            "{{.Names}}",
            "--filter",
            "label=com.docker.compose.service=noticeboard",
        ])
        .expect_ok()
        .stdout;
    let container = running
        .lines()
        .next()
        .expect("the app's container")
        .to_string();
    // `up` started the app alone: the migrate one-shot (profile) never runs with it. Only
    // this project's: another e2e test's Django site may be running its own migrate now.
    let project = engine.inspect(
        "{{index .Config.Labels \"com.docker.compose.project\"}}",
        &container,
    );
    let oneshots = engine
        .docker(&[
            "ps",
            "-a",
            "--format",
            "{{.Names}}",
            "--filter",
            "label=com.docker.compose.service=migrate",
            "--filter",
            &format!("label=com.docker.compose.project={}", project.trim()),
        ])
        .expect_ok()
        .stdout;
    assert_eq!(oneshots.trim(), "", "a migrate container outlived its run");
    let page = app.get(&container, "/");
    assert!(
        page.contains("<strong>Welcome to the notice board</strong>"),
        "{page}"
    );
    app.just_env(&["docker-down"], &env, SHORT).expect_ok();
    app.tests_pass();
}

/// The tree of an application without a build system is in /app, owned by root: the app's
/// user cannot change a file of it nor add one (only the volume directories are its own).
fn tree_is_read_only(engine: &Engine, image: &str, file: &str) {
    let script = format!(
        "stat -c '%U %a' /app/{file}; touch /app/{file} 2>/dev/null && echo WROTE-FILE; \
         touch /app/new 2>/dev/null && echo WROTE-DIR; touch /app/data/probe && echo data-ok"
    );
    let out = engine
        .docker(&["run", "--rm", "--entrypoint", "sh", image, "-c", &script])
        .expect_ok()
        .stdout;
    assert!(out.starts_with("root "), "{file} is not root's: {out}");
    assert!(
        !out.contains("WROTE"),
        "the app's user wrote into /app: {out}"
    );
    assert!(out.contains("data-ok"), "data/ is not the app's: {out}");
}

#[test]
fn uv_app_without_build_system_runs_main_py_from_its_tree() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "uv-app", "weather-report", &["--uid", "2345"]);
    let dockerfile = app.generated();
    for expected in [
        r#"ENTRYPOINT ["python", "main.py"]"#,
        "COPY . /app",
        "uv sync --locked --no-install-project",
    ] {
        assert!(
            dockerfile.contains(expected),
            "{expected} not in\n{dockerfile}"
        );
    }
    assert!(
        !dockerfile.contains("AS builder"),
        "a wheel build:\n{dockerfile}"
    );
    let image = app.build(2345);
    let out = engine
        .docker(&["run", "--rm", &image, "Bergen", "Oslo"])
        .expect_ok();
    // tabulate (from uv.lock) formats the report main.py prints.
    assert!(
        out.stdout.contains("city") && out.stdout.contains("Bergen") && out.stdout.contains("---"),
        "{}",
        out.report()
    );
    let locked = engine
        .docker(&[
            "run",
            "--rm",
            "--entrypoint",
            "python",
            &image,
            "-c",
            "import importlib.metadata as m; print(m.version('tabulate'))",
        ])
        .expect_ok();
    let lock = std::fs::read_to_string(app.root.join("uv.lock")).unwrap();
    let pinned = format!(
        "name = \"tabulate\"\nversion = \"{}\"",
        locked.stdout.trim()
    );
    assert!(
        lock.contains(&pinned),
        "not the locked tabulate: {}",
        locked.report()
    );
    // The health check (the image's own) passes: main.py is there and compiles.
    let check = engine
        .docker(&[
            "image",
            "inspect",
            "--format",
            "{{json .Config.Healthcheck.Test}}",
            &image,
        ])
        .expect_ok()
        .stdout;
    let check: Vec<String> = serde_json::from_str(check.trim()).unwrap();
    assert_eq!(check[..2], ["CMD", "python"], "{check:?}");
    let mut args = vec!["run", "--rm", "--entrypoint", "python", &image];
    args.extend(check[2..].iter().map(String::as_str));
    engine.docker(&args).expect_ok();
    tree_is_read_only(&engine, &image, "main.py");
    app.tests_pass();
}

#[test]
fn django_site_without_packaging_runs_from_its_tree() {
    let Some(engine) = engine() else { return };
    let uid = data_uid();
    let uid_text = uid.to_string();
    let app = App::init(&engine, "django-app", "polls-app", &["--uid", &uid_text]);
    let dockerfile = app.generated();
    for expected in [
        r#"CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "mysite.wsgi:application"]"#,
        "COPY . /app",
        "collectstatic",
    ] {
        assert!(
            dockerfile.contains(expected),
            "{expected} not in\n{dockerfile}"
        );
    }
    assert!(
        !dockerfile.contains("AS builder"),
        "a wheel build:\n{dockerfile}"
    );
    let image = app.build(uid);
    let listing = django_site_listing(&engine, &image);
    for absent in ["justfile", "Dockerfile", ".dockwright.toml"] {
        assert!(
            !listing.lines().any(|l| l == absent),
            "{absent} in /app: {listing}"
        );
    }
    // No wheel of the site: it is imported from /app only.
    let site = engine
        .docker(&[
            "run",
            "--rm",
            "--entrypoint",
            "python",
            &image,
            "-c",
            "import mysite; print(mysite.__file__)",
        ])
        .expect_ok();
    assert_eq!(
        site.stdout.trim(),
        "/app/mysite/__init__.py",
        "{}",
        site.report()
    );
    tree_is_read_only(&engine, &image, "mysite/settings.py");
    migrate_and_serve(&app, &engine, uid);
}

#[test]
fn hashed_requirements_are_installed_as_pinned_with_require_hashes() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "hashed-cli", "tabver", &[]);
    let dockerfile = app.generated();
    assert!(
        dockerfile.contains("install --require-hashes --requirement requirements.txt"),
        "{dockerfile}"
    );
    let image = app.build(1000);
    // pyproject.toml allows any tabulate>=0.8; requirements.txt pins 0.8.10 (0.9.0 and 0.10.0 are newer).
    let out = engine.docker(&["run", "--rm", &image]).expect_ok();
    assert!(out.stdout.contains("tabulate   0.8.10"), "{}", out.report());
    // The project's tests assert the pinned version in the test image too.
    app.tests_pass();
    // Hashes that do not match fail the build: the file is installed with its hashes. Both
    // (wheel and sdist): pip takes whichever file one of the listed hashes allows.
    let path = app.root.join("requirements.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let tampered = text
        .replace(
            "0ba055423dbaa164b9e456abe7920c5e8ed33fcc16f6d1b2f2d152c8e1e8b4fc",
            &"0".repeat(64),
        )
        .replace(
            "6c57f3f3dd7ac2782770155f3adb2db0b1a269637e42f27599925e64b114f519",
            &"1".repeat(64),
        );
    assert_ne!(text, tampered);
    std::fs::write(&path, tampered).unwrap();
    let failed = app.just(&["docker-build", "tabver", "tampered"]);
    assert!(
        !failed.ok() && failed.all().contains("DO NOT MATCH THE HASHES"),
        "{}",
        failed.report()
    );
}

/// `name==version` of every distribution installed in `image`'s /opt/venv.
fn installed(engine: &Engine, image: &str) -> Vec<String> {
    let code = "import importlib.metadata as m; \
                print(*sorted(f'{d.metadata[\"Name\"].lower()}=={d.version}' for d in m.distributions(path=__import__('glob').glob('/opt/venv/lib/python3*/site-packages'))), sep='\\n')";
    engine
        .docker(&["run", "--rm", "--entrypoint", "python", image, "-c", code])
        .expect_ok()
        .stdout
        .lines()
        .map(str::to_string)
        .collect()
}

/// pip path: the test image has the runtime image's dependency versions. Where the test tools
/// would pull another version of a runtime dependency, `docker-build-test` fails, naming it,
/// instead of testing code production never runs.
#[test]
fn the_test_image_has_the_runtime_images_dependency_versions() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "test-pins", "tabpin", &[]);
    let image = app.build(1000);
    let runtime = installed(&engine, &image);
    // The runtime resolves the newest tabulate, which the test extra's tabulate<0.9 excludes.
    assert!(
        runtime
            .iter()
            .any(|d| d.starts_with("tabulate==") && !d.starts_with("tabulate==0.8")),
        "{runtime:?}"
    );
    let failed = app.just(&["docker-build-test"]);
    let out = failed.all();
    assert!(
        // pip says "conflict", uv "unsatisfiable".
        !failed.ok()
            && out.contains("tabulate")
            && (out.contains("conflict") || out.contains("unsatisfiable")),
        "{}",
        failed.report()
    );
    // Without the conflicting pin the test image builds, with the runtime's versions.
    let pyproject = app.root.join("pyproject.toml");
    let text = std::fs::read_to_string(&pyproject).unwrap();
    std::fs::write(&pyproject, text.replace(", \"tabulate<0.9\"", "")).unwrap();
    app.build(1000);
    app.tests_pass();
    let tested = installed(&engine, &format!("{}:test", app.image));
    for dist in &runtime {
        assert!(
            tested.contains(dist),
            "{dist} not in the test image: {tested:?}"
        );
    }
}

/// Issue 7, acceptance 5: a member of a uv workspace (`tests/fixtures/uv-workspace`,
/// `packages/api`) whose `uv.lock` is at the workspace root and pins click 8.1.7, older than
/// the newest release, and which depends on the workspace member `packages/lib`. `init` writes
/// only into the member; `just docker-build` builds from the root; the image runs the locked
/// click and the workspace lib; secrets and VCS of the workspace never reach the build; the
/// member's own tests pass in `docker-test`.
#[test]
fn uv_workspace_member_builds_from_the_root_with_the_locked_versions_and_its_lib() {
    let Some(engine) = engine() else { return };
    let image = "dwe2e-ws-acme-api";
    let cleanup = Cleanup::new(&engine, &[image], &[], &[]);
    let test = Test::new()
        .fixture("uv-workspace", "ws")
        .file("ws/.env", "TOKEN=root-secret\n")
        .file("ws/packages/api/.env", "TOKEN=member-secret\n")
        .file("ws/.git/HEAD", "ref: refs/heads/main\n")
        .file("ws/packages/other/notes.txt", "another member's files\n");
    let ws = test.path().join("ws");
    let outside = |t: &std::collections::BTreeMap<String, String>| {
        t.iter()
            .filter(|(p, _)| !p.starts_with("packages/api/"))
            .map(|(p, c)| (p.clone(), c.clone()))
            .collect::<Vec<_>>()
    };
    let before = outside(&crate::test::tree(&ws));
    let test = test.args(["init", "ws/packages/api", "--yes", "--python", "3.11"]);
    test.run().expect_code(0);
    assert_eq!(
        outside(&crate::test::tree(&ws)),
        before,
        "init wrote outside the member"
    );
    let root = ws.join("packages/api");
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    assert!(
        dockerfile.contains("--frozen --package acme-api --no-install-workspace"),
        "{dockerfile}"
    );

    let reference = super::build_named(&engine, &root, image, &cleanup);
    let out = engine
        .docker(&["run", "--rm", &reference, "ada"])
        .expect_ok();
    assert_eq!(
        out.stdout.trim(),
        "hello ada from acme-lib 0.2.0\nclick 8.1.7",
        "{}",
        out.report()
    );
    let dists = installed(&engine, &reference);
    for want in ["acme-api==0.1.0", "acme-lib==0.2.0", "click==8.1.7"] {
        assert!(dists.iter().any(|d| d == want), "{want} not in {dists:?}");
    }

    // What the builder received from the workspace root (Dockerfile.dockerignore).
    let context = format!("{image}:context");
    super::run(
        Command::new(&engine.docker)
            .current_dir(&root)
            .env("DOCKER_BUILDKIT", "1")
            .args(["build", "--target", "builder", "--file", "Dockerfile"])
            .args(["--tag", &context, "../.."]),
        BUILD,
    )
    .expect_ok();
    cleanup.remember_image(&context);
    let listing = engine
        .docker(&["run", "--rm", &context, "find", "/src", "-maxdepth", "3"])
        .expect_ok()
        .stdout;
    for present in [
        "/src/uv.lock",
        "/src/packages/api/src",
        "/src/packages/lib/src",
    ] {
        assert!(
            listing.lines().any(|l| l == present),
            "{present}: {listing}"
        );
    }
    for absent in [".env", ".git", "packages/other", "Dockerfile"] {
        assert!(
            !listing.lines().any(|l| l.ends_with(&format!("/{absent}"))),
            "{absent} reached the build: {listing}"
        );
    }

    let done = run_just(&engine, &root, &["docker-test", image]);
    cleanup.remember_image(&format!("{image}:test"));
    let all = done.all();
    assert!(
        done.ok() && all.contains("1 passed") && all.contains("acme_api"),
        "{}",
        done.report()
    );
}

/// `just ARGS` in `root`.
fn run_just(engine: &Engine, root: &std::path::Path, args: &[&str]) -> super::Done {
    super::run(
        Command::new(&engine.just).current_dir(root).args(args),
        BUILD,
    )
}

/// Where the Dockerfile at `root` copies the package's code over site-packages instead of
/// installing the wheel, `image` holds exactly what the wheel installs: the same files under
/// the package (bytecode aside; package data included), the wheel's version through
/// `importlib.metadata`, none of them writable by the image's user. The wheel is built on the
/// host by the project's own backend (`pip wheel`). `Ok(None)`: the image installs the wheel.
pub(crate) fn overlay_matches_wheel(
    engine: &Engine,
    root: &std::path::Path,
    image: &str,
) -> Result<Option<String>, String> {
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).map_err(|e| e.to_string())?;
    let Some(dir) = dockerfile
        .lines()
        .filter(|l| l.starts_with("COPY "))
        .find_map(|l| {
            l.split_once("${SITE_PACKAGES}/")
                .map(|(_, d)| d.trim().to_string())
        })
    else {
        return Ok(None);
    };
    let dist = tempfile::tempdir().map_err(|e| e.to_string())?;
    let built = std::process::Command::new("python3")
        .args(["-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir"])
        .arg(dist.path())
        .arg(root)
        .output()
        .map_err(|e| e.to_string())?;
    if !built.status.success() {
        return Err(format!(
            "pip wheel: {}",
            String::from_utf8_lossy(&built.stderr)
        ));
    }
    const LIST: &str = "import sys, zipfile\n\
        w = zipfile.ZipFile(sys.argv[1])\n\
        print(*sorted(n for n in w.namelist() if n.startswith(sys.argv[2] + '/') and '__pycache__' not in n and not n.endswith('/')), sep='\\n')";
    let wheel = std::fs::read_dir(dist.path())
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or("pip wheel made no wheel")?;
    let listed = std::process::Command::new("python3")
        .args(["-c", LIST])
        .arg(&wheel)
        .arg(&dir)
        .output()
        .map_err(|e| e.to_string())?;
    let expected = String::from_utf8_lossy(&listed.stdout).into_owned();
    let stem = wheel.file_name().unwrap().to_string_lossy().into_owned();
    let mut parts = stem.split('-');
    let (name, version) = (parts.next().unwrap(), parts.next().unwrap_or_default());
    let probe = format!(
        "import importlib.metadata as m, os, sysconfig\n\
         site = sysconfig.get_paths()['purelib']\n\
         files = sorted(os.path.relpath(os.path.join(d, f), site) for d, _, fs in os.walk(os.path.join(site, '{dir}')) for f in fs if '__pycache__' not in d)\n\
         print(*files, sep='\\n')\n\
         print('version', m.version('{name}'))\n\
         print('writable', [f for f in files if os.access(os.path.join(site, f), os.W_OK)])"
    );
    let out = engine.docker(&["run", "--rm", "--entrypoint", "python", image, "-c", &probe]);
    if !out.ok() {
        return Err(out.report());
    }
    let stdout = out.stdout;
    let (files, rest) = stdout.split_once("version ").ok_or("no version printed")?;
    if files.trim() != expected.trim() {
        return Err(format!(
            "the copied {dir} is not its wheel:\nimage:\n{files}\nwheel:\n{expected}"
        ));
    }
    if !rest.starts_with(&format!("{version}\n")) {
        return Err(format!("version {rest}, the wheel's is {version}"));
    }
    if !rest.contains("writable []") {
        return Err(format!("the app's user can change its code: {rest}"));
    }
    Ok(Some(format!(
        "the copied {dir} is its wheel ({} files, version {version})",
        expected.lines().count()
    )))
}

/// `python -c` inside `container` fetching `path` on `port`: the body (the status must be 2xx).
fn body_on(app: &App, container: &str, port: u16, path: &str) -> String {
    app.python(
        container,
        &format!(
            "import urllib.request as u; \
             print(u.urlopen('http://127.0.0.1:{port}{path}', timeout=10).read().decode())"
        ),
    )
}

/// Issue 17: a Streamlit app (one script at the root, no build system) runs as `streamlit run`
/// on every interface, port 8501, headless, checked at Streamlit's own health endpoint; its
/// page and its script's tests (Streamlit's AppTest) work in the images.
#[test]
fn streamlit_app_runs_headless_on_8501_with_its_own_health_endpoint() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "streamlit-app", "spiral-explorer", &[]);
    let record = app.generated();
    for expected in [
        r#"CMD ["streamlit", "run", "streamlit_app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]"#,
        "EXPOSE 8501",
        "http://127.0.0.1:8501/_stcore/health",
    ] {
        assert!(record.contains(expected), "{expected} not in\n{record}");
    }
    let image = app.build(1000);
    let c = engine.run_until_healthy(&image, "spiral-explorer-run");
    assert_eq!(body_on(&app, &c, 8501, "/_stcore/health").trim(), "ok");
    // The page itself (Streamlit's front end), and the script as the server runs it.
    let page = body_on(&app, &c, 8501, "/");
    assert!(page.contains("<title>Streamlit</title>"), "{page}");
    let logs = engine.docker(&["logs", &c]).all();
    assert!(
        logs.contains("0.0.0.0:8501") || logs.contains("URL: http://0.0.0.0:8501"),
        "{logs}"
    );
    app.stops_cleanly(&c);
    app.compose_healthy();
    app.tests_pass();
}

/// Issue 17: a Flask factory with only `requirements.txt` (no pyproject.toml). The venv comes
/// from the requirements file, the tree runs read-only from /app, SQLite writes to the data
/// volume directory, and the suite from `requirements-dev.txt` passes in the test image.
#[test]
fn flask_requirements_app_runs_from_its_tree_with_sqlite_in_data() {
    let Some(engine) = engine() else { return };
    let uid = data_uid();
    let uid_text = uid.to_string();
    let (app, said) = App::init_said(
        &engine,
        "flask-requirements",
        "flask-board",
        &["--uid", &uid_text, "--name", "flask-board"],
    );
    assert!(
        said.contains("dependencies from requirements.txt; tests add requirements-dev.txt"),
        "{said}"
    );
    let dockerfile = app.generated();
    for expected in [
        "--requirement requirements.txt",
        "COPY . /app",
        r#""wsgi:app"]"#,
    ] {
        assert!(
            dockerfile.contains(expected),
            "{expected} not in\n{dockerfile}"
        );
    }
    let image = app.build(uid);
    let c = engine.run_until_healthy(&image, "flask-board-run");
    // A real page: a message posted is stored in /app/data/board.db and listed back.
    let posted = app.python(
        &c,
        "import json, urllib.request as u; print(u.urlopen(u.Request('http://127.0.0.1:8000/messages', \
         data=json.dumps({'body': 'kept'}).encode(), headers={'Content-Type': 'application/json'}), timeout=10).read().decode())",
    );
    assert!(posted.contains("\"kept\""), "{posted}");
    let listed = app.get(&c, "/messages");
    assert!(listed.contains("\"kept\""), "{listed}");
    let owner = app.python(&c, "import os; print(os.stat('/app/data/board.db').st_uid)");
    assert_eq!(owner.trim(), uid_text);
    let flask = app.python(
        &c,
        "import importlib.metadata as m; print(m.version('flask'))",
    );
    assert_eq!(flask.trim(), "3.0.3", "not the pinned Flask");
    app.stops_cleanly(&c);
    tree_is_read_only(&engine, &image, "config.py");
    // Under compose, data/ is the host's directory: writable by the UID, as compose.yaml says.
    if super::is_root() {
        std::os::unix::fs::chown(app.root.join("data"), Some(uid), Some(uid)).unwrap();
    }
    app.compose_healthy();
    app.tests_pass();
}

/// Issue 17: a Quart app whose object is built by its factory at module level
/// (`app = create_app()`) is served as ASGI by uvicorn, never by its `app.run(debug=True)`.
#[test]
fn quart_app_built_by_its_factory_runs_under_uvicorn() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "quart-app", "todo-board", &[]);
    let record = app.generated();
    for expected in [
        r#"CMD ["uvicorn", "todo_board.asgi:app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]"#,
        r#"server = ["uvicorn==0.34.0"]"#,
        r#"health_path = "/healthz""#,
    ] {
        assert!(record.contains(expected), "{expected} not in\n{record}");
    }
    let image = app.build(1000);
    let c = engine.run_until_healthy(&image, "todo-board-run");
    let page = app.get(&c, "/");
    assert!(
        page.contains("<h1>To do</h1>") && page.contains("water the plants"),
        "{page}"
    );
    let logs = engine.docker(&["logs", &c]).all();
    assert!(
        logs.contains("Uvicorn running on http://0.0.0.0:8000") && !logs.contains("Debug mode"),
        "{logs}"
    );
    app.stops_cleanly(&c);
    app.compose_healthy();
    app.tests_pass();
}

/// Issue 17: an MCP server behind a Typer CLI runs its `serve` subcommand over streamable
/// HTTP, on every interface and the app port, and answers `initialize` from another container.
#[test]
fn mcp_server_behind_a_typer_subcommand_serves_streamable_http() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "mcp-typer", "memo-mcp", &[]);
    let record = app.generated();
    for expected in [
        r#"transport = "streamable-http""#,
        r#"health_path = "/mcp""#,
        r#"CMD ["memo-mcp", "serve", "--transport", "streamable-http", "--host", "0.0.0.0", "--port", "8000"]"#,
    ] {
        assert!(record.contains(expected), "{expected} not in\n{record}");
    }
    let image = app.build(1000);
    let c = engine.run_until_healthy(&image, "memo-mcp-run");
    let ip = engine.inspect("{{.NetworkSettings.IPAddress}}", &c);
    let reply = engine
        .docker(&[
            "run", "--rm", "--entrypoint", "python", &image, "-c",
            "import sys, urllib.request as u; print(u.urlopen(u.Request(f'http://{sys.argv[1]}:8000/mcp', \
             data=b'{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\": \"2025-03-26\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"e2e\", \"version\": \"0\"}}}', \
             headers={'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream', 'Host': '127.0.0.1:8000'}), timeout=10).read().decode())",
            &ip,
        ])
        .expect_ok();
    assert!(
        reply.stdout.contains("\"serverInfo\"") && reply.stdout.contains("\"notes\""),
        "{}",
        reply.report()
    );
    app.stops_cleanly(&c);
    app.compose_healthy();
    app.tests_pass();
}

/// Issue 17: a Pipfile app. pipenv's exporter turns Pipfile.lock into hashed requirements in
/// the deps stage; the image holds the locked versions and no pipenv; the [dev-packages]
/// pytest runs the suite in the test image.
#[test]
fn pipfile_app_installs_its_lock_with_hashes() {
    let Some(engine) = engine() else { return };
    let (app, said) = App::init_said(
        &engine,
        "pipfile-app",
        "pipfile-echo",
        &["--name", "pipfile-echo"],
    );
    assert!(said.contains("dependencies from Pipfile.lock"), "{said}");
    let image = app.build(1000);
    let c = engine.run_until_healthy(&image, "pipfile-echo-run");
    let page = app.get(&c, "/get?name=dockwright");
    assert!(page.contains("\"dockwright\""), "{page}");
    let lock = std::fs::read_to_string(app.root.join("Pipfile.lock")).unwrap();
    let lock: serde_json::Value = serde_json::from_str(&lock).unwrap();
    let versions = app.python(
        &c,
        "import importlib.metadata as m; print(m.version('flask'), m.version('werkzeug'))",
    );
    let locked = format!(
        "{} {}",
        lock["default"]["flask"]["version"]
            .as_str()
            .unwrap()
            .trim_start_matches("=="),
        lock["default"]["werkzeug"]["version"]
            .as_str()
            .unwrap()
            .trim_start_matches("==")
    );
    assert_eq!(versions.trim(), locked, "not the locked versions");
    // pipenv stayed in the deps stage.
    let pipenv = engine.docker(&[
        "exec",
        &c,
        "sh",
        "-c",
        "ls /opt/pipenv || command -v pipenv",
    ]);
    assert!(!pipenv.ok(), "pipenv shipped: {}", pipenv.report());
    app.stops_cleanly(&c);
    app.tests_pass();
}

/// Issue 17 item 3: a setuptools build system that is a token (its wheel could not hold the
/// `app.py` and `config.py` the command imports) runs as the tree in /app.
#[test]
fn token_build_system_runs_its_tree() {
    let Some(engine) = engine() else { return };
    let (app, said) = App::init_said(&engine, "token-build", "linkbox", &[]);
    assert!(said.contains("the build system is a token"), "{said}");
    let image = app.build(1000);
    let c = engine.run_until_healthy(&image, "linkbox-run");
    let page = app.get(&c, "/links");
    assert!(
        page.contains("\"Flask\"") && page.contains("linkbox"),
        "{page}"
    );
    app.stops_cleanly(&c);
    tree_is_read_only(&engine, &image, "app.py");
    app.compose_healthy();
    app.tests_pass();
}

/// Issue 17: FastAPI with its code and requirements under `src/` (no pyproject.toml, nothing
/// at the root but the folder): `src/requirements.txt` is installed, the app runs from
/// /app/src where `from routers import items` imports, the health check probes the router's
/// `/healthz`, a page of the items router answers, and the suite in `src/tests/` (importing
/// `main`) passes in the test image, run from `src/` as the project runs it.
#[test]
fn fastapi_app_under_src_runs_from_its_folder() {
    let Some(engine) = engine() else { return };
    let (app, said) = App::init_said(
        &engine,
        "fastapi-src",
        "pantry-api",
        &["--name", "pantry-api"],
    );
    assert!(
        said.contains("dependencies from src/requirements.txt")
            && said.contains("the app runs from src/ (src/main.py"),
        "{said}"
    );
    let dockerfile = app.generated();
    for expected in [
        "--requirement src/requirements.txt",
        "WORKDIR /app/src\n",
        r#"CMD ["uvicorn", "main:app", "#,
        "http://127.0.0.1:8000/healthz",
    ] {
        assert!(
            dockerfile.contains(expected),
            "{expected} not in\n{dockerfile}"
        );
    }
    let image = app.build(1000);
    let c = engine.run_until_healthy(&image, "pantry-api-run");
    // Real pages of the routers module imported as `routers`, beyond the health path.
    let items = app.get(&c, "/items/");
    assert!(items.contains(r#"["flour","rice","tea"]"#), "{items}");
    let tea = app.get(&c, "/items/tea");
    assert!(tea.contains(r#""count":12"#), "{tea}");
    let fastapi = app.python(
        &c,
        "import importlib.metadata as m; print(m.version('fastapi'))",
    );
    assert_eq!(fastapi.trim(), "0.115.4", "not the pinned FastAPI");
    app.stops_cleanly(&c);
    tree_is_read_only(&engine, &image, "src/main.py");
    app.compose_healthy();
    app.tests_pass();
}
