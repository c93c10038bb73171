//! What the project is and what its container runs, each with why: the kind (MCP server, web
//! service, command line or library), the command (a console script or its serving subcommand,
//! a `Procfile` `web:` line, a UI script, a framework app, the application's own start script),
//! and what the kind reads from the code (a health route, the MCP transport) or the UI
//! framework serves itself (its port and health path).

use std::path::Path;

use crate::answers::{Field, Raw};
use crate::model::{DetectedApp, DetectedCommand};

use super::entry::{CliServe, Ui};
use super::frameworks::{self, Module};
use super::{servers, Detection};

/// An application's own start script, run with `python` from the folder it runs from
/// (`app_dir`): `main.py` in an application without a build system (uv's `uv init` app), or,
/// without pyproject.toml, `app.py`; the file and why.
pub(super) fn start_script(
    target: &Path,
    app_dir: Option<&str>,
    d: &Detection,
) -> Option<(&'static str, String)> {
    let entry_dir = app_dir.map_or(target.to_path_buf(), |dir| target.join(dir));
    let in_dir = |file: &str| match app_dir {
        Some(dir) => format!("{dir}/{file}"),
        None => file.to_string(),
    };
    if d.facts.app_tree && entry_dir.join("main.py").is_file() {
        Some((
            "main.py",
            format!(
                "{} in an application without a build system",
                in_dir("main.py")
            ),
        ))
    } else if d.facts.app_requirements.is_some() && entry_dir.join("app.py").is_file() {
        Some((
            "app.py",
            format!(
                "{} in an application without pyproject.toml",
                in_dir("app.py")
            ),
        ))
    } else {
        None
    }
}

/// The kind and why: an MCP or web dependency, else a console script or a start script makes a
/// command line, else a library.
pub(super) fn kind(
    mcp: Option<&String>,
    web: Option<&String>,
    script: Option<&(String, String)>,
    start: Option<&(&str, String)>,
) -> (&'static str, String) {
    match (mcp, web, script, start) {
        (Some(m), _, _, _) => ("mcp", format!("dependency {m}")),
        (None, Some(w), _, _) => ("web", format!("dependency {w}")),
        (None, None, Some((script, _)), _) => ("cli", format!("console script {script}")),
        (None, None, None, Some((_, why))) => ("cli", why.clone()),
        (None, None, None, None) => (
            "library",
            "no console script and no web or MCP dependency".into(),
        ),
    }
}

/// What the container runs, and why, the first that applies: the console script's serving
/// subcommand (`serve`), the console script, the `Procfile` `web:` line, the UI script, the
/// framework app, the start script; else, for all but a library, `Unknown`.
pub(super) fn command(
    target: &Path,
    script: Option<&(String, String)>,
    serve: Option<&CliServe>,
    ui: Option<&(Ui, String, String)>,
    app: Option<&(DetectedApp, String)>,
    start: Option<&(&str, String)>,
    kind: &str,
) -> Option<(DetectedCommand, String)> {
    if let (Some((script, _)), Some(serve)) = (script, serve) {
        Some((
            DetectedCommand::Configured(serve.words(script)),
            format!("console script {script}: {}", serve.why),
        ))
    } else if let Some((script, _)) = script {
        Some((
            DetectedCommand::Script(script.clone()),
            format!("console script {script}"),
        ))
    } else if let Some((words, why)) = servers::procfile(target) {
        Some((DetectedCommand::Configured(words), why))
    } else if let Some((ui, file, why)) = ui {
        Some((DetectedCommand::Configured(ui.command(file)), why.clone()))
    } else if let Some((app, why)) = app {
        Some((DetectedCommand::Framework(app.clone()), why.clone()))
    } else if let Some((file, why)) = start {
        Some((
            DetectedCommand::Configured(vec!["python".into(), file.to_string()]),
            why.clone(),
        ))
    } else if kind != "library" {
        let why = "pyproject.toml declares no console script and no framework app was found";
        Some((DetectedCommand::Unknown(why.into()), why.into()))
    } else {
        None
    }
}

/// What the kind reads from the code: a web service's Flask instance folder and health route
/// (none found is a fact too); an MCP server's SDK object and transport, unless a subcommand
/// (`serve`) serves it, over the transport it is given.
pub(super) fn read_served(
    kind: &str,
    code: &[Module],
    serve: Option<&CliServe>,
    d: &mut Detection,
) {
    match kind {
        "web" => {
            d.facts.flask_instance = frameworks::flask_instance(code);
            match frameworks::health_route(code) {
                Some((path, why)) => {
                    d.answers.insert(Field::HealthPath, Raw::Text(path));
                    d.origins.insert(Field::HealthPath, why);
                }
                None => d.facts.no_health_route = true,
            }
        }
        "mcp" => {
            d.mcp_app = frameworks::mcp_app(code);
            if let Some((transport, why)) = frameworks::mcp_transport(code) {
                d.answers
                    .insert(Field::Transport, Raw::Text(transport.as_str().into()));
                d.origins.insert(Field::Transport, why);
            }
            // The subcommand serves it, over the transport it is given.
            if let Some(serve) = serve {
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
}

/// The UI framework serves the app when the command is its script (`ui`): its port (unless an
/// existing setup names one), and a path it serves itself for the health check (the app's code
/// declares no routes).
pub(super) fn ui_served(ui: Option<&(Ui, String, String)>, d: &mut Detection) {
    let ui_serves = matches!(&d.command, Some((DetectedCommand::Configured(_), why))
        if ui.is_some_and(|(_, _, w)| w == why));
    if let (Some((ui, _, _)), true) = (ui, ui_serves) {
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
}
