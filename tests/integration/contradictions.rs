//! Issue 19, answers that contradict each other: a command whose server the image would not
//! have, a base image whose Python the project does not allow, the recovery hint after `new`,
//! and a file kept while the others change.

use crate::test::Test;

fn read(test: &Test, rel: &str) -> String {
    std::fs::read_to_string(test.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A typed command that starts gunicorn in a project that does not declare it: gunicorn is
/// pinned in the record and installed by the Dockerfile, like a detected app's server.
#[test]
fn a_typed_command_gets_its_server_installed() {
    let test = Test::new().fixture("flask-flat", "proj").args([
        "init",
        "proj",
        "--yes",
        "--command",
        "gunicorn --bind 0.0.0.0:8000 notes:app",
    ]);
    test.run().expect_code(0);
    let record = read(&test, "proj/.dockwright.toml");
    assert!(
        record.contains("server = [\"gunicorn==23.0.0\"]"),
        "{record}"
    );
    let dockerfile = read(&test, "proj/Dockerfile");
    assert!(dockerfile.contains(" gunicorn==23.0.0"), "{dockerfile}");

    // A record written before (`server = []`) does not hold a command given now: the server
    // follows the new command.
    let test = Test::new().fixture("flask-flat", "proj").args([
        "init",
        "proj",
        "--yes",
        "--command",
        "python -m notes",
    ]);
    test.run().expect_code(0);
    assert!(read(&test, "proj/.dockwright.toml").contains("server = []"));
    let test = test.then_args([
        "init",
        "proj",
        "--yes",
        "--command",
        "gunicorn --bind 0.0.0.0:8000 notes:app",
    ]);
    test.run().expect_code(0);
    assert!(read(&test, "proj/Dockerfile").contains(" gunicorn==23.0.0"));

    // A server answer that leaves it out is refused, naming the rule and the fix.
    let run = Test::new()
        .fixture("flask-flat", "proj")
        .args([
            "init",
            "proj",
            "--yes",
            "--server",
            "",
            "--command",
            "uvicorn notes:app --host 0.0.0.0",
        ])
        .run();
    run.expect_code(2);
    let err = run.stderr();
    assert!(
        err.contains("--server ``: must install uvicorn") && err.contains("uvicorn==0.34.0"),
        "{err}"
    );
}

/// `new`'s web skeleton declares uvicorn: a typed uvicorn command adds nothing; gunicorn is
/// added.
#[test]
fn a_new_projects_typed_command_adds_only_what_the_skeleton_lacks() {
    let test = Test::new().args([
        "new",
        "shop",
        "--yes",
        "--command",
        "uvicorn shop.app:app --host 0.0.0.0 --port 8000",
    ]);
    test.run().expect_code(0);
    assert!(read(&test, "shop/.dockwright.toml").contains("server = []"));
    let test = Test::new().args([
        "new",
        "shop",
        "--yes",
        "--command",
        "gunicorn --bind 0.0.0.0:8000 shop.app:app",
    ]);
    test.run().expect_code(0);
    assert!(read(&test, "shop/.dockwright.toml").contains("server = [\"gunicorn==23.0.0\"]"));
}

/// An official `python:3.Y` base image must run a Python `requires-python` allows; any other
/// image gets a note that its Python cannot be checked.
#[test]
fn a_base_image_must_satisfy_requires_python() {
    // flask-flat: requires-python >=3.9,<3.13.
    let run = Test::new()
        .fixture("flask-flat", "proj")
        .args(["init", "proj", "--yes", "--base-image", "python:3.13-slim"])
        .run();
    run.expect_code(2);
    let err = run.stderr();
    assert!(
        err.contains("--base-image `python:3.13-slim`: runs Python 3.13, which pyproject.toml requires-python `>=3.9,<3.13` does not allow")
            && err.contains("python:3.12-slim"),
        "{err}"
    );
    let run = Test::new()
        .fixture("flask-flat", "proj")
        .args(["init", "proj", "--yes", "--base-image", "python:3.11-slim"])
        .run();
    run.expect_code(0);
    assert!(
        !run.stdout().contains("cannot be checked"),
        "{}",
        run.stdout()
    );
    let run = Test::new()
        .fixture("flask-flat", "proj")
        .args([
            "init",
            "proj",
            "--yes",
            "--base-image",
            "registry.example.com/python-base:2024",
        ])
        .run();
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("`registry.example.com/python-base:2024` is not an official python:X.Y image, so its Python version cannot be checked against pyproject.toml requires-python `>=3.9,<3.13`"),
        "{out}"
    );
}

/// The recovery hint after `new` works as printed: run through a shell, with `dockwright` on
/// the PATH, it moves the images to another Python without `--force`, because the skeleton's
/// `requires-python` is its real floor (3.9), not the Python the image was first built for.
#[test]
fn the_hint_after_new_works_as_printed() {
    for kind in ["web", "mcp", "cli", "library"] {
        let test = Test::new().args(["new", "shop", "--yes", "--kind", kind]);
        let run = test.run();
        run.expect_code(0);
        let out = run.stdout();
        let hint = out
            .split("move them to another: `")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
            .unwrap_or_else(|| panic!("no hint: {out}"));
        assert_eq!(hint, "cd shop && dockwright init --python 3.11");
        let pyproject = read(&test, "shop/pyproject.toml");
        assert!(
            pyproject.contains("requires-python = \">=3.9\""),
            "{pyproject}"
        );
        let bin = std::path::Path::new(env!("CARGO_BIN_EXE_dockwright"))
            .parent()
            .unwrap()
            .to_path_buf();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let done = std::process::Command::new("sh")
            .args(["-c", hint])
            .current_dir(test.path())
            .env("PATH", path)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(
            done.status.success(),
            "{kind}: {}{}",
            String::from_utf8_lossy(&done.stdout),
            String::from_utf8_lossy(&done.stderr)
        );
        let dockerfile = read(&test, "shop/Dockerfile");
        assert!(
            dockerfile.contains("ARG PYTHON_VERSION=3.11"),
            "{kind}: {dockerfile}"
        );
        assert!(read(&test, "shop/.dockwright.toml").contains("python = \"3.11\""));
    }
}
