//! Real third-party projects (issue 7): sdists downloaded at test time from the package index
//! (`name==version`, checked against a sha256 here; nothing third-party is committed), each
//! retrofitted with `init --yes` and taken through its own recipes: build, run the default
//! command, import the compiled module, `docker-build-test` + `docker-test` with the project's
//! own suite where the sdist ships one.
//!
//! A step a project cannot pass yet is listed in `known` with the reason: it is not run, and the
//! table printed at the end says so. Every step that runs must pass. `CORPUS_ONLY=markupsafe`
//! runs the projects whose `name==version` starts with it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::e2e::{engine, run, Cleanup, Done, Engine, BUILD, SHORT};
use crate::test::Test;

/// One project of the corpus.
struct Case {
    /// `name==version` on the package index.
    spec: &'static str,
    /// sha256 of the sdist.
    sha256: &'static str,
    /// What it covers.
    covers: &'static str,
    /// `git init` + this tag before `init` (a VCS-versioned project built as from a clone).
    tag: Option<&'static str>,
    /// Python to import in the built image (a compiled module where there is one). With a
    /// `tag`, the installed version must be the tag's (it came from git through the recipe).
    import: &'static str,
    /// The sdist ships a test suite the test image should run.
    suite: bool,
    /// Steps not run yet, with the reason (`run`, `tests`).
    known: &'static [(&'static str, &'static str)],
}

const PDM_SUITE: &str = "its suite runs (46 pass) but 14 tests build fixture projects that import setuptools, which no test extra or requirements file of the sdist declares";

const CORPUS: &[Case] = &[
    Case {
        spec: "markupsafe==3.0.2",
        sha256: "ee55d3edf80167e48ea11a923c7386f4669df67d7994554387f84e7d8b0a2bf0",
        covers: "setuptools + C extension (setup.py), src layout, tests/",
        tag: None,
        import: "markupsafe._speedups",
        suite: true,
        known: &[],
    },
    Case {
        spec: "simplejson==3.19.3",
        sha256: "8e086896c36210ab6050f2f9f095a5f1e03c83fa0e7f296d6cba425411364680",
        covers: "setup.py only, C extension, flat, tests inside the package",
        tag: None,
        import: "simplejson._speedups",
        suite: true,
        known: &[],
    },
    Case {
        spec: "bottle==0.13.2",
        sha256: "e53803b9d298c7d343d00ba7d27b0059415f04b9f6f40b8d58b5bf914ba9d348",
        covers: "setup.py only, single module, tests in test/",
        tag: None,
        import: "bottle",
        suite: true,
        known: &[],
    },
    Case {
        spec: "six==1.17.0",
        sha256: "ff70335d468e7eb6ec65b95b99d3a2836546063f63acc5171de367e834932a81",
        covers: "setup.py + setup.cfg, single module, test_six.py at the root (in the tree the test image copies)",
        tag: None,
        import: "six",
        suite: true,
        known: &[],
    },
    Case {
        spec: "iniconfig==2.0.0",
        sha256: "2d91e135bf72d31a410b17c16da610a82cb55f6b0477d1a902134b24a455b8b3",
        covers: "hatchling + hatch-vcs (git init + tag), src layout; the sdist has no tests",
        tag: Some("v2.0.0"),
        import: "iniconfig",
        suite: false,
        known: &[],
    },
    Case {
        spec: "idna==3.10",
        sha256: "12f65c9b470abda6dc35cf8e63cc574b1c52b11df2c86030af0ac09b01b13ea9",
        covers: "flit_core with a license file (LICENSE.md), flat layout, tests/",
        tag: None,
        import: "idna",
        suite: true,
        known: &[],
    },
    Case {
        spec: "tomli==2.0.1",
        sha256: "de526c12914f0c550d15924c62d72abc48d6fe7364aa87328337a31007fe8a4f",
        covers: "flit_core with a license file, src layout; the sdist has no tests",
        tag: None,
        import: "tomli",
        suite: false,
        known: &[],
    },
    Case {
        spec: "packaging==24.2",
        sha256: "c228a6dc5e932d346bc5739379109d49e8853dd8223571c7c5b55260edc0b97f",
        covers: "flit_core, src layout, several license files, tests/",
        tag: None,
        import: "packaging.version",
        suite: true,
        known: &[],
    },
    Case {
        spec: "crashtest==0.4.1",
        sha256: "80d7b1f316ebfbd429f648076d6275c877ba30ba48979de4191714a75266f0ce",
        covers: "poetry-core, flat layout; the sdist has no tests",
        tag: None,
        import: "crashtest",
        suite: false,
        known: &[],
    },
    Case {
        spec: "pdm-backend==2.4.3",
        sha256: "dbd9047a7ac10d11a5227e97163b617ad5d665050476ff63867d971758200728",
        covers: "pdm-backend (in-tree, backend-path), src layout with the namespace package `pdm.backend`, tests/",
        tag: None,
        import: "pdm.backend",
        suite: true,
        known: &[("tests", PDM_SUITE)],
    },
    Case {
        spec: "colorama==0.4.6",
        sha256: "08695f5cb7ed6e0531a20572697297273c47b8cae5a63ffc6d6ed5c201be6e44",
        covers: "hatchling, flat layout, tests inside the package",
        tag: None,
        import: "colorama",
        suite: true,
        known: &[],
    },
    Case {
        spec: "cachetools==5.5.0",
        sha256: "2cc24fb4cbe39633fb7badd9db9ca6295d766d9c2995f245725a46715d050f2a",
        covers: "setuptools with setup.cfg metadata, src layout, tests/",
        tag: None,
        import: "cachetools",
        suite: true,
        known: &[],
    },
    Case {
        spec: "typing_extensions==4.12.2",
        sha256: "1a7ead55c7e559dd4dee8856e3a88b41225abfe1ce8df57b7c13915fe121ffb8",
        covers: "flit_core, single module under src/ (tests beside it are not found)",
        tag: None,
        import: "typing_extensions",
        suite: false,
        known: &[],
    },
];

/// One step's outcome.
enum Step {
    Passed(f64),
    Failed(String),
    Known(&'static str),
}

struct Row {
    spec: &'static str,
    covers: &'static str,
    steps: Vec<(&'static str, Step)>,
}

/// The sdist of `spec`, from a cache under the target directory or the index, checked.
fn sdist(spec: &str, sha256: &str) -> Result<PathBuf, String> {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-sdists");
    let dir = cache.join(spec.replace("==", "-"));
    let found = |dir: &Path| {
        std::fs::read_dir(dir).ok().and_then(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        })
    };
    let path = match found(&dir) {
        Some(p) => p,
        None => {
            let done = run(
                Command::new("python3")
                    .args([
                        "-m",
                        "pip",
                        "download",
                        "--quiet",
                        "--no-deps",
                        "--no-binary",
                        ":all:",
                        "--dest",
                    ])
                    .arg(&dir)
                    .arg(spec),
                SHORT,
            );
            if !done.ok() {
                return Err(format!("pip download: {}", done.report()));
            }
            found(&dir).ok_or("pip download saved no sdist")?
        }
    };
    let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
    let digest = format!("{:x}", Sha256::digest(&bytes));
    if digest != sha256 {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(format!(
            "sha256 of {} is {digest}, not {sha256}",
            path.display()
        ));
    }
    Ok(path)
}

fn check(done: Done) -> Result<f64, String> {
    if done.ok() {
        Ok(done.secs)
    } else {
        Err(done.report())
    }
}

/// One step of a project: its seconds, or why it failed.
type StepFn<'a> = Box<dyn Fn() -> Result<f64, String> + 'a>;

/// Takes one project through every step; the first failure ends it.
fn take(engine: &Engine, case: &Case) -> Row {
    let mut row = Row {
        spec: case.spec,
        covers: case.covers,
        steps: Vec::new(),
    };
    let name = case.spec.split("==").next().unwrap();
    // The process id keeps concurrent runs on one engine (other worktrees) apart.
    let image = format!(
        "dwcorpus-{}-{}",
        name.replace('_', "-").to_lowercase(),
        std::process::id()
    );
    let cleanup = Cleanup::new(engine, &[&image], &[], &[]);
    let known = |step: &str| case.known.iter().find(|(s, _)| *s == step).map(|(_, r)| *r);
    let tmp = Test::new();
    let started = Instant::now();
    let prepared = (|| -> Result<PathBuf, String> {
        let archive = sdist(case.spec, case.sha256)?;
        check(run(
            Command::new("tar")
                .arg("-xzf")
                .arg(&archive)
                .arg("-C")
                .arg(tmp.path()),
            SHORT,
        ))?;
        let root = std::fs::read_dir(tmp.path())
            .map_err(|e| e.to_string())?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.is_dir())
            .ok_or("the sdist holds no directory")?;
        if let Some(tag) = case.tag {
            let git = |args: &[&str]| {
                check(run(
                    Command::new("git")
                        .current_dir(&root)
                        .args([
                            "-c",
                            "user.name=corpus",
                            "-c",
                            "user.email=corpus@example.com",
                        ])
                        .args(args),
                    SHORT,
                ))
            };
            git(&["init", "--quiet"])?;
            git(&["add", "--all"])?;
            git(&["commit", "--quiet", "--message", "sdist"])?;
            git(&["tag", tag])?;
        }
        let out = assert_cmd::Command::cargo_bin("dockwright")
            .unwrap()
            .current_dir(&root)
            .args(["init", "--yes", "--python", "3.11"])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "init: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(root)
    })();
    let root = match prepared {
        Ok(root) => {
            row.steps
                .push(("init", Step::Passed(started.elapsed().as_secs_f64())));
            root
        }
        Err(e) => {
            row.steps.push(("init", Step::Failed(e)));
            return row;
        }
    };
    let just = |args: &[&str]| {
        run(
            Command::new(&engine.just).current_dir(&root).args(args),
            BUILD,
        )
    };
    let reference = format!("{image}:latest");
    let steps: Vec<(&'static str, StepFn)> = vec![
        (
            "build",
            Box::new(|| {
                let r = check(just(&["docker-build", &image, "latest"]));
                cleanup.remember_image(&reference);
                r
            }),
        ),
        (
            "run",
            Box::new(|| check(engine.docker(&["run", "--rm", &reference]))),
        ),
        (
            "import",
            Box::new(|| {
                check(engine.docker(&[
                    "run",
                    "--rm",
                    &reference,
                    "python",
                    "-c",
                    &match case.tag {
                        None => format!("import {0}; print({0}.__file__)", case.import),
                        Some(tag) => format!(
                            "import {0}, importlib.metadata as m; v = m.version({1:?}); assert v == {2:?}, v; print({0}.__file__, v)",
                            case.import,
                            name,
                            tag.trim_start_matches('v')
                        ),
                    },
                ]))
            }),
        ),
        (
            // Where the image copies the code instead of installing the wheel: exactly the
            // wheel's files and version, read-only for the image's user.
            "copy = wheel",
            Box::new(|| {
                let started = Instant::now();
                // NaN: the image installs the wheel itself, there is no copy to compare.
                crate::e2e::apps::overlay_matches_wheel(engine, &root, &reference)
                    .map(|said| said.map_or(f64::NAN, |_| started.elapsed().as_secs_f64()))
            }),
        ),
        (
            "tests",
            Box::new(|| {
                let build = check(just(&["docker-build-test", &image, "test"]));
                cleanup.remember_image(&format!("{image}:test"));
                let built = build?;
                let done = run(
                    Command::new(&engine.docker).args(["run", "--rm", &format!("{image}:test")]),
                    BUILD,
                );
                if case.suite {
                    let out = done.all();
                    if !(done.ok() && out.contains(" passed") && out.contains("TOTAL")) {
                        return Err(done.report());
                    }
                } else if done.ok() || !done.all().contains("no tests") {
                    // Without tests the image says so (exit 5), whatever pytest would do.
                    return Err(format!("expected the no-tests message: {}", done.report()));
                }
                Ok(built + done.secs)
            }),
        ),
    ];
    for (step, f) in steps {
        if let Some(reason) = known(step) {
            row.steps.push((step, Step::Known(reason)));
            continue;
        }
        match f() {
            Ok(secs) => row.steps.push((step, Step::Passed(secs))),
            Err(e) => {
                row.steps.push((step, Step::Failed(e)));
                break;
            }
        }
    }
    row
}

#[test]
fn real_projects_build_run_and_pass_their_own_tests() {
    let Some(engine) = engine() else { return };
    let started = Instant::now();
    let only = std::env::var("CORPUS_ONLY").unwrap_or_default();
    let queue = Mutex::new(
        CORPUS
            .iter()
            .filter(|c| only.is_empty() || c.spec.starts_with(only.as_str()))
            .collect::<Vec<_>>(),
    );
    let rows = Mutex::new(Vec::new());
    // Builds share the engine's BuildKit cache (backends, pip cache mounts); three at a time.
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| loop {
                let Some(case) = queue.lock().unwrap().pop() else {
                    break;
                };
                let row = take(&engine, case);
                rows.lock().unwrap().push(row);
            });
        }
    });
    let mut rows = rows.into_inner().unwrap();
    assert!(!rows.is_empty(), "CORPUS_ONLY={only:?} names no project");
    rows.sort_by_key(|r| r.spec);
    let mut table = String::from("| project | covers | init | build | run | import | copy = wheel | tests |\n|---|---|---|---|---|---|---|---|\n");
    let mut failures = Vec::new();
    for row in &rows {
        let mut cells = Vec::new();
        for step in ["init", "build", "run", "import", "copy = wheel", "tests"] {
            cells.push(match row.steps.iter().find(|(s, _)| *s == step) {
                Some((_, Step::Passed(secs))) if secs.is_nan() => "wheel installed".to_string(),
                Some((_, Step::Passed(secs))) => format!("ok {secs:.0}s"),
                Some((_, Step::Failed(e))) => {
                    failures.push(format!("{} {step}: {e}", row.spec));
                    "FAILED".to_string()
                }
                Some((_, Step::Known(reason))) => format!("not yet: {reason}"),
                None => "-".to_string(),
            });
        }
        table.push_str(&format!(
            "| {} | {} | {} |\n",
            row.spec,
            row.covers,
            cells.join(" | ")
        ));
    }
    eprintln!(
        "[corpus] {} projects in {:.0}s\n{table}",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}\n\n{table}", failures.join("\n\n"));
}
