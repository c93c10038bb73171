//! Reads the target project: `pyproject.toml` (PEP 621 or Poetry), lock files, layout, and the
//! ports an existing Dockerfile or compose file declares. Produces a detected answers layer
//! (each value with the reason it was detected) and the layout facts the blueprints need.
//! Nothing is guessed silently: every detected value says where it came from.

mod building;
mod django;
mod entry;
mod frameworks;
mod layout;
mod locks;
mod metadata;
mod pins;
mod ports;
mod provided;
mod requirements;
mod routes;
mod servers;
mod stub;
mod suite;
mod testing;
mod workspace;

use std::collections::BTreeMap;
use std::path::Path;

use crate::answers::{Field, Partial, Raw};
use crate::error::{Error, Result};
use crate::fsread;
use crate::model::{
    DetectedCommand, COMPOSE_FILE, DOCKER_JUST, LEGACY_COMPOSE_FILES, MARKER, USER_JUSTFILES,
};

pub use crate::facts::{Backend, Facts, Lock};

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
    "streamlit",
    "gradio",
];
/// Dependencies that make a project an MCP server.
const MCP: &[&str] = &["mcp", "fastmcp"];

/// Everything read from the project.
#[derive(Debug, Clone, Default)]
pub struct Detection {
    /// Answers the project implies.
    pub answers: Partial,
    /// Why each detected answer was detected (`Field::Python` → `requires-python >=3.10`).
    pub origins: BTreeMap<Field, String>,
    /// A module-level MCP SDK server object (`module:var`) and where it was found.
    pub mcp_app: Option<(String, String)>,
    /// What the container should run, and why; `Unknown` when nothing says (the wizard asks;
    /// `--yes` stops).
    pub command: Option<(DetectedCommand, String)>,
    /// Facts for the blueprints.
    pub facts: Facts,
    /// The detected app's server as a lock or requirements file pins it (`uvicorn==0.49.0`),
    /// and why: the `server` answer installs that version, never dockwright's own pin.
    pub locked_server: Option<(String, String)>,
    /// How the project provides each production server a command may start (by distribution):
    /// a command typed or configured that starts one the project does not install gets it added.
    pub servers_provided: BTreeMap<String, crate::answers::serving::Provision>,
}

/// Reads everything dockwright can know about the project at `target`.
pub fn detect(target: &Path) -> Result<Detection> {
    let mut d = Detection::default();
    d.facts.readme = READMES
        .iter()
        .find(|r| target.join(r).is_file())
        .map(|r| r.to_string());
    // A justfile dockwright wrote itself (it says so) is ours to re-create, not the user's.
    let has_justfile = USER_JUSTFILES
        .iter()
        .any(|j| read(target, &target.join(j)).is_ok_and(|text| !text.contains(MARKER)));
    d.facts.just_file = if has_justfile {
        DOCKER_JUST.into()
    } else {
        USER_JUSTFILES[0].into()
    };
    // `init` keeps the name of an existing `docker-compose.yml`.
    d.facts.compose_file = LEGACY_COMPOSE_FILES
        .iter()
        .find(|f| target.join(f).is_file() && !target.join(COMPOSE_FILE).is_file())
        .map_or(COMPOSE_FILE, |f| *f)
        .into();
    locks::detect_locks(target, &mut d);
    if d.facts.lock.is_none() {
        workspace::detect_workspace(target, &mut d)?;
    }

    let pyproject_path = target.join("pyproject.toml");
    // An application without pyproject.toml (requirements files, a Pipfile, or a bare tree)
    // reads as a project with no metadata whose dependencies are the requirements' names.
    let mut app_requirements = None;
    let text = match fsread::read_in(target, &pyproject_path, fsread::PYPROJECT_MAX) {
        Ok(t) => t,
        Err(e) if e.is_not_found() => {
            let setup = ["setup.py", "setup.cfg"]
                .iter()
                .any(|f| target.join(f).is_file());
            match requirements::detect_app(target)?.filter(|_| !setup) {
                Some(found) => {
                    app_requirements = Some(found);
                    String::new()
                }
                None => {
                    detect_layout(target, None, &mut d);
                    detect_tests(target, None, &mut d);
                    building::detect_building(target, None, &mut d);
                    setup_cfg_metadata(target, &mut d);
                    pins::detect_python(target, None, &mut d);
                    detect_ports(target, &mut d);
                    return Ok(d);
                }
            }
        }
        Err(e) => return Err(e.into_error(&pyproject_path)),
    };
    let doc: toml::Table = toml::from_str(&text).map_err(|e| Error::Project {
        path: pyproject_path.clone(),
        // The excerpt quotes the file: each of its lines escaped and cut.
        reason: format!(
            "it is not valid TOML: {}",
            crate::safety::shown_lines(&e.to_string())
        ),
    })?;
    d.facts.has_pyproject = app_requirements.is_none();
    let mut meta = Metadata::read(&doc);
    if let Some((_, names)) = &app_requirements {
        meta.dependencies = names.clone();
    }

    // A pyproject.toml that only names the build system (setuptools with setup.cfg metadata)
    // leaves the name where setuptools keeps it; an application without one is named after
    // its directory.
    let name = match &meta.name {
        Some(name) => Some((name.clone(), format!("pyproject.toml {}", meta.table))),
        None if app_requirements.is_some() => {
            requirements::directory_name(target).map(|n| (n, "the directory's name".to_string()))
        }
        None => legacy_name(target).map(|(n, why)| (n, why.to_string())),
    };
    if let Some((name, why)) = &name {
        d.answers.insert(Field::Name, Raw::Text(name.clone()));
        d.origins.insert(Field::Name, why.clone());
    }
    // After the name: a compose service named like the project is the app's.
    detect_ports(target, &mut d);
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
        // The build reads it (the wheel's METADATA; /app without a build system) and
        // .dockerignore re-includes it: a path the secret patterns exclude is never one.
        if let Some(pattern) = crate::secrets::secret_pattern(readme) {
            return Err(refused(
                &pyproject_path,
                &format!("{} readme", meta.table),
                readme,
                &secret_rule(pattern),
                "README.md",
            ));
        }
        d.facts.readme = Some(readme.clone());
    }
    d.facts.backend = meta.backend.clone();
    d.facts.poetry_dependencies = meta.poetry_dependencies;
    d.facts.static_dependencies = meta.poetry_dependencies
        || doc
            .get("project")
            .and_then(|p| p.as_table())
            .is_some_and(|p| {
                !p.get("dynamic")
                    .and_then(|v| v.as_array())
                    .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("dependencies")))
            });
    // A Streamlit or Gradio script at the root: the app is that file, run from /app.
    let ui = entry::ui_app(
        target,
        &meta
            .dependencies
            .iter()
            .map(|d| requirement_name(d))
            .collect::<Vec<_>>(),
    );
    d.facts.app_tree = app_requirements.is_some()
        || !doc.contains_key("build-system")
        && !meta.poetry_dependencies
        && doc.get("project").is_some_and(|p| p.is_table())
        && d.facts.static_dependencies
        && !target.join("setup.py").exists()
        && !target.join("setup.cfg").exists()
        && meta.scripts.is_empty()
        // Without these, PEP 517's setuptools fallback still builds a wheel of the package.
        && (target.join("main.py").is_file()
            || target.join("manage.py").is_file()
            || ui.is_some()
            || d.facts.lock == Some(Lock::Uv));
    if d.facts.app_tree {
        // Nothing is built: setuptools' legacy default does not apply.
        d.facts.backend = None;
    }
    if let Some(spec) = &meta.requires_python {
        d.facts.requires_python =
            Some((spec.clone(), format!("pyproject.toml {}", meta.python_key)));
        if let Some(minor) = highest_minor(spec) {
            d.answers
                .insert(Field::Python, Raw::Text(format!("3.{minor}")));
            d.origins
                .insert(Field::Python, format!("{} {spec}", meta.python_key));
        }
    }
    pins::detect_python(target, Some(&doc), &mut d);
    detect_layout(target, name.as_ref().map(|(n, _)| n.as_str()), &mut d);
    layout::prefer_declared(target, &doc, &mut d);
    detect_tests(target, Some(&doc), &mut d);
    building::detect_building(target, Some(&doc), &mut d);
    if let Some((found, _)) = app_requirements.take() {
        // The test tools come from the app's own requirements files (copied at their paths,
        // so their includes resolve), not the flat test-requirements copy.
        d.facts.test_requirements = None;
        // An app run from its folder (`src`) runs its tests from there too, unless a pytest
        // configuration says otherwise.
        if let Some(dir) = &found.app_dir {
            suite::from_app_dir(target, dir, &mut d.facts.suite);
        }
        d.facts.app_requirements = Some(found);
    }

    // Kind and command from dependencies and scripts.
    let deps: Vec<String> = meta
        .dependencies
        .iter()
        .map(|d| requirement_name(d))
        .collect();
    let web = deps.iter().find(|d| WEB.contains(&d.as_str()));
    let mcp = deps.iter().find(|d| MCP.contains(&d.as_str()));
    d.servers_provided = servers_provided(target, &meta.dependencies, &deps, mcp, &d);
    // An application without a build system that keeps its entry point in `main.py` (uv's
    // `uv init` app) runs it from /app.
    // The folder the app runs from (`src`), where its entry module is.
    let app_dir = d
        .facts
        .app_requirements
        .as_ref()
        .and_then(|r| r.app_dir.clone());
    let entry_dir = app_dir
        .as_ref()
        .map_or(target.to_path_buf(), |dir| target.join(dir));
    let in_dir = |file: &str| match &app_dir {
        Some(dir) => format!("{dir}/{file}"),
        None => file.to_string(),
    };
    let main_py = d.facts.app_tree && entry_dir.join("main.py").is_file();
    // Without pyproject.toml an `app.py` script is such an entry point too.
    let app_py =
        d.facts.app_requirements.is_some() && !main_py && entry_dir.join("app.py").is_file();
    let kind = match (mcp, web, pick_script(&meta.scripts, meta.name.as_deref())) {
        (Some(m), _, _) => Some(("mcp", format!("dependency {m}"))),
        (None, Some(w), _) => Some(("web", format!("dependency {w}"))),
        (None, None, Some((script, _))) => Some(("cli", format!("console script {script}"))),
        (None, None, None) if main_py => Some((
            "cli",
            format!(
                "{} in an application without a build system",
                in_dir("main.py")
            ),
        )),
        (None, None, None) if app_py => Some((
            "cli",
            format!(
                "{} in an application without pyproject.toml",
                in_dir("app.py")
            ),
        )),
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
    if let Some(package) = &package {
        let stub = stub::stub_build(target, &doc, package, d.facts.src_layout.unwrap_or(false))
            .map(|mut s| {
                if let Some(readme) = &meta.readme {
                    s.files.insert(1, readme.clone());
                }
                s
            });
        d.facts.stub_package = Some(package.clone());
        match stub {
            Ok(stub) => d.facts.stub_build = Some(stub),
            Err(why) => d.facts.stub_refusal = Some(why),
        }
    }
    // An app run from its folder is read there: its modules are named from it (`main:app`),
    // with the packages found there (a package at the root is not what it imports).
    let mut code = match (&app_dir, d.facts.src_layout) {
        (Some(_), Some(true)) | (None, _) => frameworks::modules(
            target,
            package.as_deref(),
            d.facts.src_layout.unwrap_or(false),
        ),
        (Some(_), _) => frameworks::modules(target, None, true),
    };
    d.facts.gunicorn_conf = servers::gunicorn_conf(target);
    let django = servers::django(target, &deps);
    // A Django site's routes are in its site package (`config/urls.py`), beside the apps.
    for site_package in django.iter().flat_map(|(site, _, _)| &site.packages) {
        if package.as_deref() != Some(site_package.as_str()) {
            code.extend(frameworks::modules(target, Some(site_package), false));
        }
    }
    let app = servers::gunicorn_app(target)
        .or_else(|| {
            django
                .as_ref()
                .map(|(_, app, why)| (app.clone(), why.clone()))
        })
        .or_else(|| frameworks::framework_app(&code, &deps))
        .map(|(app, why)| {
            let app = server_provided(target, &meta.dependencies, app, &mut d);
            (app, why)
        });
    // A build system that is a token: the wheel would not hold the module the command
    // imports, so the tree runs from /app as an application without one does.
    if let Some((found, _)) = app.as_ref().filter(|_| {
        !d.facts.app_tree
            && meta.scripts.is_empty()
            && !meta.poetry_dependencies
            && d.facts.static_dependencies
            && d.facts.src_layout != Some(true)
    }) {
        let module = found.target.split(':').next().unwrap_or_default();
        if let Some(why) = stub::token_build(target, &doc, &d.facts.packages, module) {
            d.facts.app_tree = true;
            d.facts.backend = None;
            d.facts.stub_build = None;
            d.facts.stub_refusal = Some(why.clone());
            d.facts.token_build = Some(why);
        }
    }
    if let Some((site, _, _)) = django {
        d.facts.django = Some(site);
    }
    let script = pick_script(&meta.scripts, meta.name.as_deref());
    // A console script whose server is one of its subcommands: that subcommand, on every
    // interface and the app port (an MCP server's over HTTP).
    let serve = script.and(entry::cli_serve(
        &code,
        kind.as_ref().is_some_and(|(k, _)| *k == "mcp"),
    ));
    if let (Some((script, _)), Some(serve)) = (script, &serve) {
        d.command = Some((
            DetectedCommand::Configured(serve.words(script)),
            format!("console script {script}: {}", serve.why),
        ));
    } else if let Some((script, _)) = script {
        d.command = Some((
            DetectedCommand::Script(script.clone()),
            format!("console script {script}"),
        ));
    } else if let Some((words, why)) = servers::procfile(target) {
        d.command = Some((DetectedCommand::Configured(words), why));
    } else if let Some((ui, file, why)) = &ui {
        d.command = Some((DetectedCommand::Configured(ui.command(file)), why.clone()));
    } else if let Some((app, why)) = app.clone() {
        d.command = Some((DetectedCommand::Framework(app), why));
    } else if main_py {
        d.command = Some((
            DetectedCommand::Configured(vec!["python".into(), "main.py".into()]),
            format!(
                "{} in an application without a build system",
                in_dir("main.py")
            ),
        ));
    } else if app_py {
        d.command = Some((
            DetectedCommand::Configured(vec!["python".into(), "app.py".into()]),
            format!(
                "{} in an application without pyproject.toml",
                in_dir("app.py")
            ),
        ));
    } else if kind.as_ref().is_some_and(|(k, _)| *k != "library") {
        let why = "pyproject.toml declares no console script and no framework app was found";
        d.command = Some((DetectedCommand::Unknown(why.into()), why.into()));
    }
    match kind.as_ref().map(|(k, _)| *k) {
        Some("web") => {
            d.facts.flask_instance = frameworks::flask_instance(&code);
            match frameworks::health_route(&code) {
                Some((path, why)) => {
                    d.answers.insert(Field::HealthPath, Raw::Text(path));
                    d.origins.insert(Field::HealthPath, why);
                }
                None => d.facts.no_health_route = true,
            }
        }
        Some("mcp") => {
            d.mcp_app = frameworks::mcp_app(&code);
            if let Some((transport, why)) = frameworks::mcp_transport(&code) {
                d.answers
                    .insert(Field::Transport, Raw::Text(transport.as_str().into()));
                d.origins.insert(Field::Transport, why);
            }
            // The subcommand serves it, over the transport it is given.
            if let Some(serve) = &serve {
                d.mcp_app = None;
                if let Some(t) = serve.mcp_transport() {
                    d.answers
                        .insert(Field::Transport, Raw::Text(t.as_str().into()));
                    d.origins.insert(
                        Field::Transport,
                        format!("the {} option of {}", serve.transport_option(), serve.why),
                    );
                }
            }
        }
        _ => {}
    }
    // The UI framework serves the app: its port (unless an existing setup names one), and a
    // path it serves itself for the health check (the app's code declares no routes).
    let ui_serves = matches!(&d.command, Some((DetectedCommand::Configured(_), why))
        if ui.as_ref().is_some_and(|(_, _, w)| w == why));
    if let (Some((ui, _, _)), true) = (&ui, ui_serves) {
        d.facts.ui = Some(ui.name().to_string());
        d.facts.no_health_route = false;
        d.answers.remove(&Field::HealthPath);
        d.origins.remove(&Field::HealthPath);
        if let std::collections::btree_map::Entry::Vacant(ports) = d.answers.entry(Field::Ports) {
            ports.insert(Raw::List(vec![ui.port().to_string()]));
            d.origins
                .insert(Field::Ports, format!("{}'s default port", ui.name()));
        }
        d.answers
            .insert(Field::HealthPath, Raw::Text(ui.health_path().into()));
        d.origins.insert(
            Field::HealthPath,
            format!("the health endpoint {} serves itself", ui.name()),
        );
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

/// An app whose server the dependencies do not name may still have it: from an extra
/// (`fastapi[standard]`), the lock's runtime dependencies (then it is declared), or a lock's or
/// requirements file's pin (then that version is the one added).
fn server_provided(
    target: &Path,
    requirements: &[String],
    mut app: crate::model::DetectedApp,
    d: &mut Detection,
) -> crate::model::DetectedApp {
    if app.server_declared {
        return app;
    }
    match provided::provided(
        target,
        requirements,
        d.facts.lock,
        &d.facts.requirements,
        app.server,
    ) {
        Some(provided::Provided::Declared(_)) => app.server_declared = true,
        Some(provided::Provided::Locked { pin, why }) => d.locked_server = Some((pin, why)),
        None => {}
    }
    app
}

/// How the project provides each server a command may start: a dependency names it, the MCP
/// SDK brings uvicorn, or an extra, a lock or a requirements file provides it (see `provided`).
fn servers_provided(
    target: &Path,
    requirements: &[String],
    deps: &[String],
    mcp: Option<&String>,
    d: &Detection,
) -> BTreeMap<String, crate::answers::serving::Provision> {
    use crate::answers::serving::Provision;
    let mut out = BTreeMap::new();
    for server in crate::model::Server::ALL {
        let dist = server.distribution();
        let found = if deps.iter().any(|d| d == dist) {
            Some(Provision::Declared(format!("the dependency {dist}")))
        } else if let Some(m) = mcp.filter(|_| server == crate::model::Server::Uvicorn) {
            Some(Provision::Declared(format!(
                "the dependency {m} brings uvicorn"
            )))
        } else {
            match provided::provided(
                target,
                requirements,
                d.facts.lock,
                &d.facts.requirements,
                server,
            ) {
                Some(provided::Provided::Declared(why)) => Some(Provision::Declared(why)),
                Some(provided::Provided::Locked { pin, why }) => {
                    Some(Provision::Locked { pin, why })
                }
                None => None,
            }
        };
        if let Some(found) = found {
            out.insert(dist.to_string(), found);
        }
    }
    out
}

/// A project without `pyproject.toml`: name and Python constraint from `setup.cfg` when it has
/// them; a library unless the flags say otherwise (setup.py's code is never run here).
fn setup_cfg_metadata(target: &Path, d: &mut Detection) {
    let cfg = read(target, &target.join("setup.cfg")).unwrap_or_default();
    if let Some((name, why)) = legacy_name(target) {
        d.answers.insert(Field::Name, Raw::Text(name));
        d.origins.insert(Field::Name, why.into());
    }
    if let Some(spec) = testing::ini_value(&cfg, "options", "python_requires") {
        d.facts.requires_python = Some((spec.clone(), "setup.cfg python_requires".into()));
        if let Some(minor) = highest_minor(&spec) {
            d.answers
                .insert(Field::Python, Raw::Text(format!("3.{minor}")));
            d.origins
                .insert(Field::Python, format!("setup.cfg python_requires {spec}"));
        }
    }
    d.answers.insert(Field::Kind, Raw::Text("library".into()));
    d.origins.insert(
        Field::Kind,
        "setup.py project: its code is not run, so no console script or framework is read".into(),
    );
}

/// The distribution name where setuptools keeps it outside `pyproject.toml`: `setup.cfg`
/// `[metadata] name`, an sdist's `PKG-INFO`, or a literal `name=` in `setup.py`.
fn legacy_name(target: &Path) -> Option<(String, &'static str)> {
    let cfg = read(target, &target.join("setup.cfg")).unwrap_or_default();
    let pkg_info = read(target, &target.join("PKG-INFO")).unwrap_or_default();
    let setup_py = read(target, &target.join("setup.py")).unwrap_or_default();
    testing::ini_value(&cfg, "metadata", "name")
        .map(|n| (n, "setup.cfg [metadata] name"))
        .or_else(|| {
            pkg_info
                .lines()
                .find_map(|l| l.strip_prefix("Name: "))
                .map(|n| (n.trim().to_string(), "PKG-INFO Name"))
        })
        .or_else(|| setup_py_name(&setup_py).map(|n| (n, "setup.py name=")))
        .filter(|(n, _)| !n.is_empty())
}

/// `name="…"` in a `setup(…)` call, when it is a literal.
fn setup_py_name(text: &str) -> Option<String> {
    let at = text.find("name=").or_else(|| text.find("name ="))?;
    let rest = text[at..].split_once('=')?.1.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value: String = rest[1..].chars().take_while(|c| *c != quote).collect();
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .then_some(value)
}

/// A project file other than `pyproject.toml`: regular, inside the project, at most 1 MB.
/// Where the tests are and the coverage gate (`testing`), then how the project runs its suite
/// (`suite`); `doc` is the parsed `pyproject.toml`, when there is one (every path calls this).
fn detect_tests(target: &Path, doc: Option<&toml::Table>, d: &mut Detection) {
    testing::detect_tests(target, doc, d);
    d.facts.suite = suite::detect_suite(target, doc);
}

fn read(target: &Path, path: &Path) -> std::result::Result<String, fsread::ReadError> {
    fsread::read_in(target, path, fsread::FILE_MAX)
}

/// A value of the project's own files that cannot be used: names the value (escaped), the rule
/// and an example (exit 2).
/// A Python identifier of ASCII letters, digits and `_` (`app`, `create_app`, a package
/// directory): what the detect files accept from code and layout before a name reaches a file.
pub(super) fn identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// A dotted Python name (`mysite.settings`).
pub(super) fn dotted(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(identifier)
}

/// A temporary project holding `files` (path, text), for the detect files' tests.
#[cfg(test)]
pub(super) fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

pub(super) fn refused(path: &Path, what: &str, value: &str, rule: &str, example: &str) -> Error {
    Error::Project {
        path: path.to_path_buf(),
        reason: format!(
            "{what} `{}` {rule} (for example `{example}`); rename it in the project, then run dockwright again",
            crate::safety::shown(value)
        ),
    }
}

/// Rule text for a path refused because the secret pattern `pattern` leaves it out of the
/// build context.
pub(super) fn secret_rule(pattern: &str) -> String {
    format!(
        "matches the secret pattern `{pattern}` the generated ignore files keep out of the build context, so the build must not read it (it would put the secret into the image)"
    )
}

pub use crate::answers::python::highest_minor;
use layout::detect_layout;
use metadata::{mentions_pytest, pick_script, requirement_name, Metadata};
use ports::detect_ports;
