//! Reads the target project: `pyproject.toml` (PEP 621 or Poetry), lock files, layout, and the
//! ports an existing Dockerfile or compose file declares. Produces a detected answers layer
//! (each value with the reason it was detected) and the layout facts the blueprints need.
//! Nothing is guessed silently: every detected value says where it came from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::answers::rules::PYTHON_MINORS;
use crate::answers::{normalize_name, package_from_name, Field, Partial, Raw};
use crate::error::{Error, Result};
use crate::fsread;
use crate::model::{
    DependencyTable, DetectedApp, DetectedCommand, Layout, Server, DOCKER_JUST, MARKER,
    USER_JUSTFILES,
};

/// Readme names a Python project commonly declares, in the order they are preferred.
const READMES: &[&str] = &["README.md", "README.rst", "README.txt", "README"];
/// Dependencies that make a project a web service.
const WEB: &[&str] = &[
    "fastapi",
    "starlette",
    "flask",
    "django",
    "uvicorn",
    "gunicorn",
    "aiohttp",
    "litestar",
    "quart",
    "sanic",
    "hypercorn",
    "falcon",
    "bottle",
    "tornado",
    "granian",
];
/// Dependencies that make a project an MCP server.
const MCP: &[&str] = &["mcp", "fastmcp"];

/// Which build backend the project uses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Hatchling,
    Setuptools,
    Poetry,
    Flit,
    Pdm,
    Other,
}

/// The lock file the project keeps, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lock {
    Uv,
    Poetry,
}

/// Everything read from the project.
#[derive(Debug, Clone, Default)]
pub struct Detection {
    /// Answers the project implies.
    pub answers: Partial,
    /// Why each detected answer was detected (`Field::Python` → `requires-python >=3.10`).
    pub origins: BTreeMap<Field, String>,
    /// What the container should run, and why; `Unknown` when nothing says (the wizard asks;
    /// `--yes` stops).
    pub command: Option<(DetectedCommand, String)>,
    /// Facts for the blueprints.
    pub facts: Facts,
}

/// Project facts that are not questions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub has_pyproject: bool,
    pub version: Option<String>,
    pub description: Option<String>,
    pub readme: Option<String>,
    pub backend: Option<Backend>,
    pub lock: Option<Lock>,
    /// `requirements*.txt` files at the root, sorted.
    pub requirements: Vec<String>,
    /// The optional-dependencies extra that holds the test tools (`dev`, `test`, …).
    pub test_extra: Option<String>,
    /// The PEP 735 dependency group (or Poetry group) that holds the test tools.
    pub test_group: Option<String>,
    /// Packages found under `src/` (`true`) or the root (`false`).
    pub src_layout: Option<bool>,
    pub packages: Vec<String>,
    /// Dependencies are declared in `[tool.poetry]`, not `[project]`.
    pub poetry_dependencies: bool,
    /// The user has a justfile of their own (not one dockwright wrote).
    pub has_justfile: bool,
}

impl Facts {
    /// The layout the blueprints render for, given the resolved package.
    pub fn layout(&self, target: &Path, package: &str) -> Layout {
        let src_layout = self
            .src_layout
            .unwrap_or_else(|| target.join("src").is_dir() || !target.join(package).is_dir());
        Layout {
            src_layout,
            readme: self.readme.clone(),
            dependency_table: if self.poetry_dependencies {
                DependencyTable::Poetry
            } else {
                DependencyTable::Project
            },
            test_extra: self.test_extra.clone(),
            test_group: self.test_group.clone(),
            just_file: if self.has_justfile {
                DOCKER_JUST.into()
            } else {
                USER_JUSTFILES[0].into()
            },
        }
    }
}

/// Reads everything dockwright can know about the project at `target`.
pub fn detect(target: &Path) -> Result<Detection> {
    let mut d = Detection::default();
    d.facts.readme = READMES
        .iter()
        .find(|r| target.join(r).is_file())
        .map(|r| r.to_string());
    // A justfile dockwright wrote itself (it says so) is ours to re-create, not the user's.
    d.facts.has_justfile = USER_JUSTFILES
        .iter()
        .any(|j| read(target, &target.join(j)).is_ok_and(|text| !text.contains(MARKER)));
    d.facts.requirements = list_requirements(target);
    if target.join("uv.lock").is_file() {
        d.facts.lock = Some(Lock::Uv);
        d.answers.insert(Field::Installer, Raw::Text("uv".into()));
        d.origins.insert(Field::Installer, "uv.lock".into());
    } else if target.join("poetry.lock").is_file() {
        d.facts.lock = Some(Lock::Poetry);
    }
    detect_ports(target, &mut d);

    let pyproject_path = target.join("pyproject.toml");
    let text = match fsread::read_in(target, &pyproject_path, fsread::PYPROJECT_MAX) {
        Ok(t) => t,
        Err(e) if e.is_not_found() => {
            detect_layout(target, None, &mut d);
            return Ok(d);
        }
        Err(e) => return Err(e.into_error(&pyproject_path)),
    };
    let doc: toml::Table = toml::from_str(&text).map_err(|e| Error::Project {
        path: pyproject_path.clone(),
        reason: format!("it is not valid TOML: {}", e.to_string().trim_end()),
    })?;
    d.facts.has_pyproject = true;
    let meta = Metadata::read(&doc);

    if let Some(name) = &meta.name {
        d.answers.insert(Field::Name, Raw::Text(name.clone()));
        d.origins
            .insert(Field::Name, format!("pyproject.toml {}", meta.table));
    }
    d.facts.version = meta.version.clone();
    d.facts.description = meta.description.clone();
    if let Some(readme) = &meta.readme {
        // The Dockerfiles `COPY` it and .dockerignore names it: a path, never structure.
        if !crate::safety::is_safe_relative_path(readme) {
            return Err(refused(
                &pyproject_path,
                &format!("{} readme", meta.table),
                readme,
                crate::safety::RELATIVE_PATH_RULE,
                "README.md",
            ));
        }
        d.facts.readme = Some(readme.clone());
    }
    d.facts.backend = meta.backend.clone();
    d.facts.poetry_dependencies = meta.poetry_dependencies;
    if let Some(spec) = &meta.requires_python {
        if let Some(minor) = highest_minor(spec) {
            d.answers
                .insert(Field::Python, Raw::Text(format!("3.{minor}")));
            d.origins
                .insert(Field::Python, format!("{} {spec}", meta.python_key));
        }
    }
    detect_layout(target, meta.name.as_deref(), &mut d);

    // Kind and command from dependencies and scripts.
    let deps: Vec<String> = meta
        .dependencies
        .iter()
        .map(|d| requirement_name(d))
        .collect();
    let web = deps.iter().find(|d| WEB.contains(&d.as_str()));
    let mcp = deps.iter().find(|d| MCP.contains(&d.as_str()));
    let kind = match (mcp, web, pick_script(&meta.scripts, meta.name.as_deref())) {
        (Some(m), _, _) => Some(("mcp", format!("dependency {m}"))),
        (None, Some(w), _) => Some(("web", format!("dependency {w}"))),
        (None, None, Some((script, _))) => Some(("cli", format!("console script {script}"))),
        (None, None, None) => Some((
            "library",
            "no console script and no web or MCP dependency".into(),
        )),
    };
    if let Some((kind, why)) = &kind {
        d.answers.insert(Field::Kind, Raw::Text(kind.to_string()));
        d.origins.insert(Field::Kind, why.clone());
    }
    let package = d.facts.packages.first().cloned();
    if let Some((script, _)) = pick_script(&meta.scripts, meta.name.as_deref()) {
        d.command = Some((
            DetectedCommand::Script(script.clone()),
            format!("console script {script}"),
        ));
    } else if let Some((app, why)) = package
        .as_deref()
        .and_then(|p| framework_app(target, p, d.facts.src_layout.unwrap_or(false), &deps))
    {
        d.command = Some((DetectedCommand::Framework(app), why));
    } else if kind.is_some_and(|(k, _)| k != "library") {
        let why = "pyproject.toml declares no console script and no framework app was found";
        d.command = Some((DetectedCommand::Unknown(why.into()), why.into()));
    }

    // Test tools: an extra or a dependency group that mentions pytest.
    d.facts.test_extra = meta
        .extras
        .iter()
        .find(|(_, reqs)| mentions_pytest(reqs))
        .map(|(n, _)| n.clone());
    d.facts.test_group = meta
        .groups
        .iter()
        .find(|(_, reqs)| mentions_pytest(reqs))
        .map(|(n, _)| n.clone());
    // Pasted into Python strings and shell words in Dockerfile.test: a name, never code.
    for (what, name) in [
        ("[project.optional-dependencies] extra", &d.facts.test_extra),
        ("dependency group", &d.facts.test_group),
    ] {
        if let Some(name) = name
            .as_deref()
            .filter(|n| !crate::safety::is_valid_extra_name(n))
        {
            return Err(refused(
                &pyproject_path,
                what,
                name,
                crate::safety::EXTRA_NAME_RULE,
                "dev",
            ));
        }
    }
    Ok(d)
}

/// A project file other than `pyproject.toml`: regular, inside the project, at most 1 MB.
fn read(target: &Path, path: &Path) -> std::result::Result<String, fsread::ReadError> {
    fsread::read_in(target, path, fsread::FILE_MAX)
}

/// A value of the project's own files that cannot be used: names the value (escaped), the rule
/// and an example (exit 2).
fn refused(path: &Path, what: &str, value: &str, rule: &str, example: &str) -> Error {
    Error::Project {
        path: path.to_path_buf(),
        reason: format!(
            "{what} `{}` {rule} (for example `{example}`); rename it in the project, then run dockwright again",
            crate::safety::shown(value)
        ),
    }
}

/// The `[project]` / `[tool.poetry]` fields dockwright reads, from either style.
#[derive(Debug, Default)]
struct Metadata {
    table: &'static str,
    python_key: &'static str,
    name: Option<String>,
    version: Option<String>,
    description: Option<String>,
    readme: Option<String>,
    requires_python: Option<String>,
    dependencies: Vec<String>,
    scripts: Vec<(String, String)>,
    extras: Vec<(String, Vec<String>)>,
    groups: Vec<(String, Vec<String>)>,
    backend: Option<Backend>,
    /// The dependencies come from `[tool.poetry.dependencies]`.
    poetry_dependencies: bool,
}

impl Metadata {
    fn read(doc: &toml::Table) -> Metadata {
        let mut m = Metadata::default();
        let project = doc.get("project").and_then(|v| v.as_table());
        let poetry = doc
            .get("tool")
            .and_then(|t| t.get("poetry"))
            .and_then(|v| v.as_table());
        let s = |t: Option<&toml::Table>, k: &str| {
            t.and_then(|t| t.get(k))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let list = |v: Option<&toml::Value>| -> Vec<String> {
            v.and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let table_pairs = |v: Option<&toml::Value>| -> Vec<(String, String)> {
            v.and_then(|v| v.as_table())
                .map(|t| {
                    t.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default()
        };

        if project.is_some() {
            m.table = "[project]";
            m.python_key = "requires-python";
            m.name = s(project, "name");
            m.version = s(project, "version");
            m.description = s(project, "description");
            m.readme = match project.and_then(|p| p.get("readme")) {
                Some(toml::Value::String(r)) => Some(r.clone()),
                Some(toml::Value::Table(t)) => {
                    t.get("file").and_then(|f| f.as_str()).map(str::to_string)
                }
                _ => None,
            };
            m.requires_python = s(project, "requires-python");
            m.dependencies = list(project.and_then(|p| p.get("dependencies")));
            m.scripts = table_pairs(project.and_then(|p| p.get("scripts")));
            if let Some(extras) = project
                .and_then(|p| p.get("optional-dependencies"))
                .and_then(|v| v.as_table())
            {
                m.extras = extras
                    .iter()
                    .map(|(k, v)| (k.clone(), list(Some(v))))
                    .collect();
            }
            if let Some(groups) = doc.get("dependency-groups").and_then(|v| v.as_table()) {
                m.groups = groups
                    .iter()
                    .map(|(k, v)| (k.clone(), list(Some(v))))
                    .collect();
            }
        }
        if let Some(poetry) = poetry {
            let pget = |k: &str| s(Some(poetry), k);
            if m.name.is_none() {
                m.table = "[tool.poetry]";
                m.name = pget("name");
                m.version = pget("version");
                m.description = pget("description");
                m.readme = pget("readme");
            }
            let pdeps = poetry.get("dependencies").and_then(|v| v.as_table());
            if m.requires_python.is_none() {
                if let Some(py) = pdeps.and_then(|t| t.get("python")).and_then(|v| v.as_str()) {
                    m.python_key = "[tool.poetry.dependencies] python";
                    m.requires_python = Some(py.to_string());
                }
            }
            let declares_pep621 = project.is_some_and(|p| p.contains_key("dependencies"));
            if !declares_pep621 {
                m.poetry_dependencies = true;
                m.dependencies = pdeps
                    .map(|t| t.keys().filter(|k| *k != "python").cloned().collect())
                    .unwrap_or_default();
            }
            if m.scripts.is_empty() {
                m.scripts = table_pairs(poetry.get("scripts"));
            }
            let mut groups: Vec<(String, Vec<String>)> = poetry
                .get("group")
                .and_then(|v| v.as_table())
                .map(|g| {
                    g.iter()
                        .map(|(name, grp)| {
                            let deps = grp
                                .get("dependencies")
                                .and_then(|v| v.as_table())
                                .map(|t| t.keys().cloned().collect())
                                .unwrap_or_default();
                            (name.clone(), deps)
                        })
                        .collect()
                })
                .unwrap_or_default();
            if let Some(dev) = poetry.get("dev-dependencies").and_then(|v| v.as_table()) {
                groups.push(("dev".into(), dev.keys().cloned().collect()));
            }
            m.groups.extend(groups);
        }
        let backend = doc
            .get("build-system")
            .and_then(|b| b.get("build-backend"))
            .and_then(|v| v.as_str())
            .unwrap_or("");
        m.backend = Some(match backend {
            b if b.starts_with("hatchling") => Backend::Hatchling,
            b if b.starts_with("setuptools") || b.is_empty() => Backend::Setuptools,
            b if b.starts_with("poetry") => Backend::Poetry,
            b if b.starts_with("flit") => Backend::Flit,
            b if b.starts_with("pdm") => Backend::Pdm,
            _ => Backend::Other,
        });
        m
    }
}

/// The normalised distribution name of a PEP 508 requirement (`Flask[async]>=3` → `flask`).
fn requirement_name(req: &str) -> String {
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    normalize_name(&req[..end])
}

fn mentions_pytest(reqs: &[String]) -> bool {
    reqs.iter().any(|r| requirement_name(r) == "pytest")
}

/// The console script to run: the one named like the project, else the first.
fn pick_script<'a>(
    scripts: &'a [(String, String)],
    name: Option<&str>,
) -> Option<&'a (String, String)> {
    let wanted = name.map(normalize_name);
    scripts
        .iter()
        .find(|(s, _)| Some(normalize_name(s)) == wanted)
        .or_else(|| scripts.first())
}

/// Packages under `src/` or the root, and which layout they imply.
fn detect_layout(target: &Path, name: Option<&str>, d: &mut Detection) {
    let find = |dir: PathBuf| -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut found: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("__init__.py").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                !matches!(
                    n.as_str(),
                    "tests" | "test" | "docs" | "scripts" | "examples" | "benchmarks"
                ) && !n.starts_with('.')
            })
            .collect();
        found.sort();
        found
    };
    let (src_layout, mut packages) = match find(target.join("src")) {
        p if !p.is_empty() => (Some(true), p),
        _ => match find(target.to_path_buf()) {
            p if !p.is_empty() => (Some(false), p),
            _ => (None, Vec::new()),
        },
    };
    // Prefer the package named like the project.
    if let Some(wanted) = name.map(package_from_name) {
        if let Some(i) = packages.iter().position(|p| *p == wanted) {
            let p = packages.remove(i);
            packages.insert(0, p);
        }
    }
    if let Some(first) = packages.first() {
        d.answers.insert(Field::Package, Raw::Text(first.clone()));
        let place = if src_layout == Some(true) {
            format!("src/{first}/")
        } else {
            format!("{first}/")
        };
        d.origins.insert(Field::Package, place);
    }
    d.facts.src_layout = src_layout;
    d.facts.packages = packages;
}

/// A framework app at module level, and the server for it, when no console script exists.
fn framework_app(
    target: &Path,
    package: &str,
    src_layout: bool,
    deps: &[String],
) -> Option<(DetectedApp, String)> {
    let root = if src_layout {
        target.join("src")
    } else {
        target.to_path_buf()
    };
    let has = |d: &str| deps.iter().any(|x| x == d);
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join(package))
        .max_depth(3)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for file in files {
        let Ok(text) = read(target, &file) else {
            continue;
        };
        let module = module_name(&root, &file)?;
        for line in text.lines() {
            // Only a module-level assignment is an attribute `module:var` can name; an indented
            // one (`app = Flask(__name__)` inside `create_app()`) is a function's local.
            if line.starts_with(char::is_whitespace) {
                continue;
            }
            let Some((var, call)) = line.split_once('=') else {
                continue;
            };
            let var = var.trim();
            if !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || var.is_empty() {
                continue;
            }
            let call = call.trim_start();
            let target_app = format!("{module}:{var}");
            let rel = file
                .strip_prefix(target)
                .unwrap_or(&file)
                .display()
                .to_string();
            let why = format!("the app `{var}` in {rel}");
            let server = if call.starts_with("Flask(") {
                if has("gunicorn") {
                    Server::Gunicorn
                } else {
                    Server::FlaskRun
                }
            } else if ["FastAPI(", "Starlette(", "Litestar(", "Quart("]
                .iter()
                .any(|c| call.starts_with(c))
            {
                Server::Uvicorn
            } else {
                continue;
            };
            let app = DetectedApp {
                server,
                target: target_app,
            };
            return Some((app, why));
        }
    }
    None
}

fn module_name(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?.with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let parts: Vec<&str> = match parts.last().map(String::as_str) {
        Some("__init__") => parts[..parts.len() - 1]
            .iter()
            .map(String::as_str)
            .collect(),
        _ => parts.iter().map(String::as_str).collect(),
    };
    Some(parts.join("."))
}

fn list_requirements(target: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(target) else {
        return Vec::new();
    };
    let mut reqs: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("requirements") && n.ends_with(".txt"))
        .collect();
    reqs.sort();
    reqs
}

/// Ports from `EXPOSE` lines of an existing Dockerfile, else the container side of compose `ports:`.
fn detect_ports(target: &Path, d: &mut Detection) {
    if let Ok(text) = read(target, &target.join("Dockerfile")) {
        let ports: Vec<String> = text
            .lines()
            .filter_map(|l| {
                l.trim()
                    .strip_prefix("EXPOSE ")
                    .or_else(|| l.trim().strip_prefix("expose "))
            })
            .flat_map(|rest| rest.split_whitespace())
            .map(|p| p.split('/').next().unwrap_or(p).to_string())
            .filter(|p| p.parse::<u16>().is_ok())
            .collect();
        if !ports.is_empty() {
            d.answers.insert(Field::Ports, Raw::List(ports));
            d.origins
                .insert(Field::Ports, "EXPOSE in the existing Dockerfile".into());
            return;
        }
    }
    for compose in [
        "docker-compose.yml",
        "docker-compose.yaml",
        "compose.yml",
        "compose.yaml",
    ] {
        let Ok(text) = read(target, &target.join(compose)) else {
            continue;
        };
        let mut in_ports = false;
        let mut ports = Vec::new();
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with("ports:") {
                in_ports = true;
                continue;
            }
            if in_ports {
                if let Some(item) = trimmed.strip_prefix("- ") {
                    let item = item.trim_matches(|c| c == '"' || c == '\'');
                    let container = item.rsplit(':').next().unwrap_or(item);
                    let container = container.split('/').next().unwrap_or(container);
                    if container.parse::<u16>().is_ok() {
                        ports.push(container.to_string());
                    }
                } else if !trimmed.is_empty() {
                    in_ports = false;
                }
            }
        }
        if !ports.is_empty() {
            d.answers.insert(Field::Ports, Raw::List(ports));
            d.origins
                .insert(Field::Ports, format!("ports in the existing {compose}"));
            return;
        }
    }
}

/// The highest supported Python minor version that satisfies a PEP 440 specifier set or a Poetry
/// constraint (`>=3.10,<3.13`, `~=3.11`, `^3.10`, `3.11.*`, `>=3.9 || >=3.11`).
pub fn highest_minor(spec: &str) -> Option<u8> {
    PYTHON_MINORS
        .rev()
        .find(|&minor| spec.split("||").any(|alt| satisfies(alt, minor)))
}

/// Whether some 3.`minor`.patch release satisfies every clause of `spec`.
fn satisfies(spec: &str, minor: u8) -> bool {
    let clauses: Vec<&str> = spec
        .split([',', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    (0..=30u32).any(|patch| {
        let v = [3, minor as u32, patch];
        clauses.iter().all(|c| clause(c, v))
    })
}

fn parse_version(s: &str) -> Option<(Vec<u32>, bool)> {
    let s = s.trim();
    let (s, wildcard) = match s.strip_suffix(".*") {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    let parts: Option<Vec<u32>> = s.split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty()).map(|p| (p, wildcard))
}

fn cmp(v: [u32; 3], other: &[u32]) -> std::cmp::Ordering {
    let mut o = [0u32; 3];
    for (i, x) in other.iter().take(3).enumerate() {
        o[i] = *x;
    }
    v.cmp(&o)
}

fn prefix_eq(v: [u32; 3], prefix: &[u32]) -> bool {
    prefix.iter().take(3).enumerate().all(|(i, p)| v[i] == *p)
}

fn clause(c: &str, v: [u32; 3]) -> bool {
    use std::cmp::Ordering::*;
    let ops = ["===", "~=", "==", "!=", ">=", "<=", ">", "<", "^", "~", "="];
    let (op, rest) = ops
        .iter()
        .find_map(|op| c.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("==", c));
    if rest.trim() == "*" {
        return true;
    }
    let Some((ver, wildcard)) = parse_version(rest) else {
        return true;
    };
    match op {
        "==" | "=" | "===" if wildcard => prefix_eq(v, &ver),
        "==" | "=" | "===" => {
            if ver.len() < 3 {
                prefix_eq(v, &ver)
            } else {
                cmp(v, &ver) == Equal
            }
        }
        "!=" if wildcard => !prefix_eq(v, &ver),
        "!=" => cmp(v, &ver) != Equal,
        ">=" => cmp(v, &ver) != Less,
        "<=" => cmp(v, &ver) != Greater || prefix_eq(v, &ver),
        ">" => cmp(v, &ver) == Greater && !(ver.len() < 3 && prefix_eq(v, &ver)),
        "<" => cmp(v, &ver) == Less,
        // ~=X.Y means >=X.Y, ==X.*; ~=X.Y.Z means >=X.Y.Z, ==X.Y.*
        "~=" => cmp(v, &ver) != Less && prefix_eq(v, &ver[..ver.len().saturating_sub(1).max(1)]),
        // Poetry: ^3.10 → >=3.10,<4; ~3.10 → >=3.10,<3.11
        "^" => cmp(v, &ver) != Less && v[0] == ver[0],
        "~" => cmp(v, &ver) != Less && prefix_eq(v, &ver[..ver.len().min(2)]),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_constraints() {
        assert_eq!(highest_minor(">=3.10"), Some(14));
        assert_eq!(highest_minor(">=3.9,<3.13"), Some(12));
        assert_eq!(highest_minor(">=3.9, <=3.12"), Some(12));
        assert_eq!(highest_minor("~=3.11"), Some(14));
        assert_eq!(highest_minor("~=3.11.2"), Some(11));
        assert_eq!(highest_minor("^3.10"), Some(14));
        assert_eq!(highest_minor("~3.10"), Some(10));
        assert_eq!(highest_minor("3.11.*"), Some(11));
        assert_eq!(highest_minor("==3.11.*"), Some(11));
        assert_eq!(highest_minor(">=3.8,!=3.14.*"), Some(13));
        assert_eq!(highest_minor(">3.12"), Some(14));
        assert_eq!(highest_minor("<3.9"), None);
        assert_eq!(highest_minor(">=3.10.4,<3.11"), Some(10));
        assert_eq!(highest_minor(">=3.9 <3.12"), Some(11));
    }

    #[test]
    fn framework_apps_are_module_level_assignments_only() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("src/svc");
        std::fs::create_dir_all(&pkg).unwrap();
        let deps = ["flask".to_string()];
        // An app factory: `app` is a local of create_app(), so `svc:app` would not import.
        std::fs::write(
            pkg.join("__init__.py"),
            "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n",
        )
        .unwrap();
        assert_eq!(framework_app(dir.path(), "svc", true, &deps), None);
        // A module-level app further down the package is found.
        std::fs::write(
            pkg.join("wsgi.py"),
            "from flask import Flask\n\napplication = Flask(__name__)\n",
        )
        .unwrap();
        let (app, why) = framework_app(dir.path(), "svc", true, &deps).unwrap();
        assert_eq!(
            app,
            DetectedApp {
                server: Server::FlaskRun,
                target: "svc.wsgi:application".into()
            }
        );
        assert_eq!(why, "the app `application` in src/svc/wsgi.py");
    }

    #[test]
    fn requirement_names() {
        assert_eq!(requirement_name("Flask[async]>=3"), "flask");
        assert_eq!(
            requirement_name("uvicorn[standard] ; python_version>'3.8'"),
            "uvicorn"
        );
        assert_eq!(requirement_name("Django"), "django");
    }
}
