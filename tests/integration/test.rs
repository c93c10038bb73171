//! A small builder for running `dockwright` in a temporary directory (after just's `Test`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// One run of the binary: a temp dir, arguments, optional files placed beforehand.
pub struct Test {
    pub dir: TempDir,
    args: Vec<String>,
    stdin: Option<String>,
    envs: Vec<(String, String)>,
}

/// What a run left behind.
pub struct Run {
    pub output: Output,
}

impl Test {
    pub fn new() -> Test {
        Test {
            dir: tempfile::tempdir().expect("temp dir"),
            args: Vec::new(),
            stdin: None,
            envs: Vec::new(),
        }
    }

    pub fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args
            .extend(args.into_iter().map(|s| s.as_ref().to_string()));
        self
    }

    /// Places a file (creating parents) in the temp dir before the run.
    pub fn file(self, rel: &str, contents: &str) -> Test {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Copies the fixture project `tests/fixtures/<name>` to `rel` in the temp dir before the run.
    pub fn fixture(self, name: &str, rel: &str) -> Test {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        assert!(from.is_dir(), "no fixture `{}`", from.display());
        let to = self.dir.path().join(rel);
        // Caches a local pytest or uv run may leave in the fixture are not part of it.
        let walk = walkdir::WalkDir::new(&from).into_iter().filter_entry(|e| {
            !matches!(
                e.file_name().to_str(),
                Some("__pycache__" | ".pytest_cache" | ".venv" | ".coverage")
            )
        });
        for entry in walk {
            let entry = entry.expect("walk fixture");
            let dest = to.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
        self
    }

    /// Keeps the directory, replaces the arguments: for a second run on the same files.
    pub fn then_args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args.clear();
        self.args(args)
    }

    /// Sets an environment variable for the runs (e.g. `HOME` to a folder of the test's own).
    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.envs.push((key.to_string(), value.to_string()));
        self
    }

    pub fn stdin(mut self, text: &str) -> Test {
        self.stdin = Some(text.to_string());
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the binary with the temp dir as its working directory.
    pub fn run(&self) -> Run {
        let mut cmd = Command::cargo_bin("dockwright").expect("binary built");
        cmd.current_dir(self.dir.path())
            .args(&self.args)
            .envs(self.envs.iter().map(|(k, v)| (k, v)))
            .timeout(std::time::Duration::from_secs(30))
            .write_stdin(self.stdin.clone().unwrap_or_default());
        let output = cmd.output().expect("dockwright runs");
        Run { output }
    }
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code(),
            code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// Every file under `root` (relative path → contents), sorted.
pub fn tree(root: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).expect("utf-8 file"))
        })
        .collect()
}
