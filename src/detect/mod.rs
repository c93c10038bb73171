//! Reads the target project: `pyproject.toml` (PEP 621 or Poetry), lock files, layout, and the
//! ports an existing Dockerfile or compose file declares. Produces a detected answers layer
//! (each value with the reason it was detected) and the layout facts the blueprints need.
//! Nothing is guessed silently: every detected value says where it came from.

mod building;
mod command;
mod django;
mod entry;
mod frameworks;
mod layout;
mod legacy;
mod locks;
mod metadata;
mod pins;
mod ports;
mod provided;
mod provision;
mod pyproject;
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
                    legacy::detect_legacy(target, &mut d);
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

    let name = pyproject::name(target, &meta, app_requirements.is_some());
    if let Some((name, why)) = &name {
        d.answers.insert(Field::Name, Raw::Text(name.clone()));
        d.origins.insert(Field::Name, why.clone());
    }
    // After the name: a compose service named like the project is the app's.
    detect_ports(target, &mut d);
    pyproject::describe(&pyproject_path, &doc, &meta, &mut d)?;
    // A Streamlit or Gradio script at the root: the app is that file, run from /app.
    let ui = entry::ui_app(
        target,
        &meta
            .dependencies
            .iter()
            .map(|d| requirement_name(d))
            .collect::<Vec<_>>(),
    );
    d.facts.app_tree =
        app_requirements.is_some() || pyproject::is_app_tree(target, &doc, &meta, ui.is_some(), &d);
    if d.facts.app_tree {
        // Nothing is built: setuptools' legacy default does not apply.
        d.facts.backend = None;
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
    d.servers_provided = provision::servers_provided(target, &meta.dependencies, &deps, mcp, &d);
    // The folder the app runs from (`src`), where its entry module is.
    let app_dir = d
        .facts
        .app_requirements
        .as_ref()
        .and_then(|r| r.app_dir.clone());
    let start = command::start_script(target, app_dir.as_deref(), &d);
    let script = pick_script(&meta.scripts, meta.name.as_deref());
    let (kind, why) = command::kind(mcp, web, script, start.as_ref());
    d.answers.insert(Field::Kind, Raw::Text(kind.to_string()));
    d.origins.insert(Field::Kind, why);
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
            let app = provision::server_provided(target, &meta.dependencies, app, &mut d);
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
    // A console script whose server is one of its subcommands: that subcommand, on every
    // interface and the app port (an MCP server's over HTTP).
    let serve = script.and(entry::cli_serve(&code, kind == "mcp"));
    if let Some(found) = command::command(
        target,
        script,
        serve.as_ref(),
        ui.as_ref(),
        app.as_ref(),
        start.as_ref(),
        kind,
    ) {
        d.command = Some(found);
    }
    command::read_served(kind, &code, serve.as_ref(), &mut d);
    command::ui_served(ui.as_ref(), &mut d);
    pyproject::test_tools(&pyproject_path, &meta, &mut d)?;
    Ok(d)
}

/// Where the tests are and the coverage gate (`testing`), then how the project runs its suite
/// (`suite`); `doc` is the parsed `pyproject.toml`, when there is one (every path calls this).
fn detect_tests(target: &Path, doc: Option<&toml::Table>, d: &mut Detection) {
    testing::detect_tests(target, doc, d);
    d.facts.suite = suite::detect_suite(target, doc);
}

/// A project file other than `pyproject.toml`: regular, inside the project, at most 1 MB.
fn read(target: &Path, path: &Path) -> std::result::Result<String, fsread::ReadError> {
    fsread::read_in(target, path, fsread::FILE_MAX)
}

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

/// A value of the project's own files that cannot be used: names the value (escaped), the rule
/// and an example (exit 2).
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
use metadata::{pick_script, requirement_name, Metadata};
use ports::detect_ports;
