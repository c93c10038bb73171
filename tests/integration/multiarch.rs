//! `just docker-build-multiarch` on a machine whose buildx builder uses the docker driver (the
//! default one, which builds a single platform per build): the recipe creates, once, a builder
//! that can build several (`dockwright-multiarch`, docker-container driver) and builds on it,
//! saying so; a single platform, or a current builder that can already do it, is left alone.
//! A stub `docker` first on PATH records every call, so no engine is touched (creating a
//! docker-container builder pulls moby/buildkit, which no registry here serves).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::answer_sets::ANSWER_SETS;
use crate::tools::tool;

/// A `docker` that appends its arguments to `calls.log` and answers `buildx inspect` like a
/// builder with the driver in `driver` (and `buildx inspect dockwright-multiarch` like a missing
/// builder until `buildx create` made it).
fn stub_docker(dir: &Path) {
    let script = r#"#!/bin/sh
dir="$(dirname "$0")"
echo "$*" >> "$dir/calls.log"
case "$*" in
  "buildx inspect dockwright-multiarch") test -f "$dir/created" || exit 1; echo "Driver: docker-container" ;;
  "buildx inspect") echo "Name:          default"; echo "Driver:        $(cat "$dir/driver")" ;;
  "buildx create "*) touch "$dir/created"; echo dockwright-multiarch ;;
esac
exit 0
"#;
    let path = dir.join("docker");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

struct Run {
    calls: Vec<String>,
    stderr: String,
}

fn run(just: &Path, root: &Path, bin: &Path, driver: &str, args: &[&str]) -> Run {
    std::fs::write(bin.join("driver"), driver).unwrap();
    let _ = std::fs::remove_file(bin.join("calls.log"));
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new(just)
        .current_dir(root)
        .env("PATH", path)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "just {args:?}: {stderr}");
    let calls = std::fs::read_to_string(bin.join("calls.log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    Run { calls, stderr }
}

/// The `buildx build` call of a run.
fn build_call(r: &Run) -> &str {
    r.calls
        .iter()
        .find(|c| c.starts_with("buildx build "))
        .unwrap_or_else(|| panic!("no buildx build in {:?}", r.calls))
}

#[test]
fn multiarch_recipe_creates_a_builder_that_can_build_several_platforms() {
    let Some(just) = tool("just", "pip install rust-just") else {
        return;
    };
    // One answer set per layout the recipe line differs in (scm version or not).
    let mut seen = 0;
    for set in ANSWER_SETS.iter().filter(|s| !s.args.contains(&"--arch")) {
        let (_test, root) = set.generate();
        let justfile = if root.join("justfile").is_file() {
            "justfile"
        } else {
            continue;
        };
        let bin = tempfile::tempdir().unwrap();
        stub_docker(bin.path());
        let just_args = |extra: &[&'static str]| -> Vec<&'static str> {
            let mut a = vec!["--justfile", justfile];
            a.extend_from_slice(extra);
            a
        };
        // The default builder (docker driver), two platforms: created once, then used.
        let first = run(
            &just,
            &root,
            bin.path(),
            "docker",
            &just_args(&["docker-build-multiarch"]),
        );
        assert!(
            first.calls.iter().any(|c| c
                == "buildx create --name dockwright-multiarch --driver docker-container"),
            "{}: no builder created: {:?}",
            set.id,
            first.calls
        );
        assert!(
            first
                .stderr
                .contains("creating the builder dockwright-multiarch (docker-container driver)"),
            "{}: the recipe did not say it creates a builder: {}",
            set.id,
            first.stderr
        );
        let build = build_call(&first);
        assert!(
            build.contains("--builder dockwright-multiarch --platform linux/amd64,linux/arm64"),
            "{}: {build}",
            set.id
        );
        let again = run(
            &just,
            &root,
            bin.path(),
            "docker",
            &just_args(&["docker-build-multiarch"]),
        );
        assert!(
            !again.calls.iter().any(|c| c.starts_with("buildx create")),
            "{}: created twice: {:?}",
            set.id,
            again.calls
        );
        assert!(build_call(&again).contains("--builder dockwright-multiarch"));
        // A current builder that builds several platforms, or a single platform: no --builder.
        let container = run(
            &just,
            &root,
            bin.path(),
            "docker-container",
            &just_args(&["docker-build-multiarch"]),
        );
        assert!(!build_call(&container).contains("--builder"), "{}", set.id);
        let var = std::fs::read_to_string(root.join(justfile))
            .unwrap()
            .lines()
            .find_map(|l| {
                l.split_once(" := \"linux/")
                    .map(|(v, _)| v.trim().to_string())
            })
            .unwrap();
        let one = format!("{var}=linux/amd64");
        let single = run(
            &just,
            &root,
            bin.path(),
            "docker",
            &["--justfile", justfile, &one, "docker-build-multiarch"],
        );
        let build = build_call(&single);
        assert!(
            !build.contains("--builder") && build.contains("--platform linux/amd64 "),
            "{}: {build}",
            set.id
        );
        seen += 1;
        if seen == 3 {
            break;
        }
    }
    assert!(seen >= 1, "no answer set with a justfile");
}
