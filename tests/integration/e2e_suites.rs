//! Issue 17, item 7, end to end: the suites of `ledger-svc` (pytest configured in `svc/`, run
//! from there with pytest-xdist, reading `samples/` and importing `scripts/`) and
//! `django-notes` (`notes/tests.py` under `manage.py test`, `.env.test` passed at run time) pass
//! through `just docker-test`, in test images that hold the tree they need and no env file.

type App = super::Project;
use super::engine;

/// `ls -A DIR` in IMAGE.
fn listing(app: &App, image: &str, dir: &str) -> Vec<String> {
    let done = app
        .engine
        .docker(&["run", "--rm", "--entrypoint", "ls", image, "-A", dir])
        .expect_ok();
    done.stdout.lines().map(str::to_string).collect()
}

#[test]
fn ledger_suite_runs_from_svc_with_xdist_reading_samples_and_scripts() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "ledger-svc", "ledger", &[]);
    let done = app.build_and_run_tests();
    let out = done.all();
    eprintln!("[e2e] {}: docker-test said\n{out}", app.image);
    assert!(done.ok(), "{}", done.report());
    assert!(out.contains("2 passed"), "{}", done.report());
    // addopts' -n 2: the tests ran in two xdist workers.
    assert!(out.contains("2 workers"), "{}", done.report());
    let image = "ledger:test";
    let tree = listing(&app, image, "/app");
    for present in ["scripts", "samples", "svc", "pyproject.toml"] {
        assert!(
            tree.iter().any(|f| f == present),
            "{present} not in {tree:?}"
        );
    }
    assert!(
        !tree.iter().any(|f| f == "src"),
        "the sources in /app: {tree:?}"
    );
}

#[test]
fn django_notes_suite_runs_under_manage_py_test_with_its_env_file() {
    let Some(engine) = engine() else { return };
    let app = App::init(&engine, "django-notes", "notes", &[]);
    let done = app.build_and_run_tests();
    let out = done.all();
    eprintln!("[e2e] {}: docker-test said\n{out}", app.image);
    assert!(done.ok(), "{}", done.report());
    assert!(out.contains("Ran 3 tests"), "{}", done.report());
    let tree = listing(&app, "notes:test", "/app");
    assert!(tree.iter().any(|f| f == "manage.py"), "{tree:?}");
    // The suite's env file stays out (dockwright's own .env.example, no secret, may be there).
    assert!(
        !tree.iter().any(|f| f == ".env.test"),
        "the env file in the image: {tree:?}"
    );
}
