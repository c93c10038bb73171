//! Which production servers the project provides, over `provided`: the detected app's own
//! (declared, or the version a lock pins), and every server a command may start.

use std::collections::BTreeMap;
use std::path::Path;

use crate::answers::serving::Provision;
use crate::model::{DetectedApp, Server};

use super::provided::{provided, Provided};
use super::Detection;

/// An app whose server the dependencies do not name may still have it: from an extra
/// (`fastapi[standard]`), the lock's runtime dependencies (then it is declared), or a lock's or
/// requirements file's pin (then that version is the one added).
pub(super) fn server_provided(
    target: &Path,
    requirements: &[String],
    mut app: DetectedApp,
    d: &mut Detection,
) -> DetectedApp {
    if app.server_declared {
        return app;
    }
    match provided(
        target,
        requirements,
        d.facts.lock,
        &d.facts.requirements,
        app.server,
    ) {
        Some(Provided::Declared(_)) => app.server_declared = true,
        Some(Provided::Locked { pin, why }) => d.locked_server = Some((pin, why)),
        None => {}
    }
    app
}

/// How the project provides each server a command may start: a dependency names it, the MCP
/// SDK brings uvicorn, or an extra, a lock or a requirements file provides it (see `provided`).
pub(super) fn servers_provided(
    target: &Path,
    requirements: &[String],
    deps: &[String],
    mcp: Option<&String>,
    d: &Detection,
) -> BTreeMap<String, Provision> {
    let mut out = BTreeMap::new();
    for server in Server::ALL {
        let dist = server.distribution();
        let found = if deps.iter().any(|d| d == dist) {
            Some(Provision::Declared(format!("the dependency {dist}")))
        } else if let Some(m) = mcp.filter(|_| server == Server::Uvicorn) {
            Some(Provision::Declared(format!(
                "the dependency {m} brings uvicorn"
            )))
        } else {
            match provided(
                target,
                requirements,
                d.facts.lock,
                &d.facts.requirements,
                server,
            ) {
                Some(Provided::Declared(why)) => Some(Provision::Declared(why)),
                Some(Provided::Locked { pin, why }) => Some(Provision::Locked { pin, why }),
                None => None,
            }
        };
        if let Some(found) = found {
            out.insert(dist.to_string(), found);
        }
    }
    out
}
