//! What `just docker-watch` runs (`compose.watch.yaml`): where each source directory is bind-mounted
//! (or, where that cannot serve, synced) in the container, and the server's own reloader, which
//! picks a saved file up in a fraction of the time a container restart takes (issue 21: 1.8 s
//! with `sync+restart`, most of it the server's start-up). The reloader is in the watch override
//! only: the production image and `compose.yaml` never run one.
//!
//! Why a bind mount rather than Compose Watch's `sync` where a reloader serves the code: Compose
//! Watch waits for 0.5 s of quiet before it copies a change (fixed in Compose 2.26, not a
//! setting), and uvicorn's reload then starts a fresh interpreter (0.4-0.7 s): 1.29 s median on
//! fastapi-factory, over the 1.0 s target. A read-only bind mount shows the saved file at once
//! (0.72 s median by hand with the same reloader). gunicorn with uvicorn's worker class was tried
//! instead and does not reload at all: its reloader only ends its own thread in that worker.
//!
//! An application tree (no build system: the tree runs from `/app`) mounts its import packages
//! the same way (`app_tree_watch`), never the whole tree: Compose Watch does not watch a path a
//! bind mount covers, so the dependency files must stay outside every mount (seen in the e2e
//! run: "also declared by a bind mount volume, this path won't be monitored"); the rest of the
//! tree and the dependency files rebuild the image.

use serde::Serialize;

use crate::answers::Answers;
use crate::facts::Facts;
use crate::model::{package_dir, Server};
use crate::shell::json_array;

/// The watch override of a project that serves (`RenderContext::watch`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Watch {
    /// Each source directory (`./src/shop`) Compose Watch copies to where the running app
    /// imports it from: a Streamlit app tree, or a package whose server has no reloader
    /// dockwright knows (`sync+restart`); empty otherwise.
    pub syncs: Vec<WatchSync>,
    /// Each source directory bind-mounted read-only where the running app imports it from,
    /// for a server whose own reloader serves it (`command_json`); empty otherwise (a change
    /// to an application tree then rebuilds the image).
    pub mounts: Vec<WatchSync>,
    /// The container command with the server's own reloader, as a JSON array; `None` when the
    /// server has no reloader dockwright knows (the container restarts after a sync instead).
    pub command_json: Option<String>,
    /// The server's reloader, in words, for the override's comment (`gunicorn --reload`).
    pub reloader: Option<String>,
    /// The pinned package the reloader's file watcher needs, installed in the `:watch` image
    /// only (the Dockerfile's `<venv_stage>-watch` stage): `inotify` for gunicorn's inotify
    /// engine. `None` when the reloader needs nothing the image lacks.
    pub reload_package: Option<&'static str>,
    /// The stage whose `/opt/venv` the runtime copies: `build` (the stand-in build) or `deps`.
    pub venv_stage: &'static str,
    /// An application tree whose import packages are mounted, never the tree (Compose Watch
    /// does not watch what a bind mount covers; a Django site's static files in `/app` stay
    /// visible): a change elsewhere in the tree (a top-level module, `manage.py`, a top-level
    /// `templates/`) still rebuilds the image, the mounted directories left out of that rule.
    pub rebuild_tree: bool,
}

/// gunicorn's inotify reload engine needs the `inotify` distribution (gunicorn's settings,
/// `reload_engine`); pinned like every package dockwright adds.
pub const INOTIFY: &str = "inotify==0.2.12";

/// One `sync` rule or bind mount: a host directory and its place in the container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchSync {
    /// Relative to the Compose file, `./`-prefixed: `./src/shop`, `./mysite`.
    pub path: String,
    /// Absolute in the container: `/opt/venv/lib/python3.12/site-packages/shop`, `/app/mysite`.
    pub target: String,
}

/// The watch override of a project that serves over HTTP; `None` for the kinds that do not
/// (a CLI, a library, a stdio MCP server), where `just docker-watch` says why it does not apply.
///
/// The sync target is where the image's Python imports the package from: the venv's
/// site-packages of the answered Python (the Dockerfile's `SITE_PACKAGES`, which follows the
/// same `PYTHON_VERSION` default), or `/app/<package>` for a Django site, which gunicorn
/// imports from its working directory.
pub fn watch(
    answers: &Answers,
    layout: &Facts,
    serves_http: bool,
    venv_stage: &'static str,
) -> Option<Watch> {
    if !serves_http {
        return None;
    }
    let command = &answers.command.value;
    if layout.app_tree && layout.ui.as_deref() == Some("streamlit") {
        // A Streamlit script runs from the app tree, /app, and Streamlit re-runs it when a file
        // it reads there changes (runOnSave): the tree is synced there, its volume directories
        // (mounted over /app/...) and the files that rebuild left out.
        let flags = streamlit_flags();
        let mut argv = command.argv.clone();
        argv.extend(flags.iter().cloned());
        return Some(Watch {
            syncs: vec![WatchSync {
                path: ".".into(),
                target: "/app".into(),
            }],
            mounts: Vec::new(),
            command_json: Some(json_array(&argv)),
            reloader: Some(format!("streamlit run {}", flags[0])),
            reload_package: None,
            venv_stage,
            rebuild_tree: false,
        });
    }
    if layout.app_tree {
        return Some(app_tree_watch(answers, layout, venv_stage));
    }
    let (major, minor) = answers.python.value;
    let dirs: Vec<WatchSync> = match &layout.django {
        Some(site) => site
            .packages
            .iter()
            .map(|p| WatchSync {
                path: format!("./{p}"),
                target: format!("/app/{p}"),
            })
            .collect(),
        None => {
            let dir = package_dir(&answers.package.value);
            let src = if layout.src_layout == Some(true) {
                "src/"
            } else {
                ""
            };
            vec![WatchSync {
                path: format!("./{src}{dir}"),
                target: format!("/opt/venv/lib/python{major}.{minor}/site-packages/{dir}"),
            }]
        }
    };
    let reload = reload_flags(command.server, &dirs);
    let reload_package = match (command.server, &reload) {
        (Some(Server::Gunicorn | Server::AiohttpGunicorn), Some(_)) => Some(INOTIFY),
        _ => None,
    };
    Some(Watch {
        reload_package,
        venv_stage,
        rebuild_tree: false,
        command_json: reload.as_ref().map(|flags| {
            let mut argv = command.argv.clone();
            argv.extend(flags.iter().cloned());
            json_array(&argv)
        }),
        reloader: reload.as_ref().map(|flags| {
            let program = command.argv.first().cloned().unwrap_or_default();
            format!("{program} {}", flags[0])
        }),
        // A reloader serves the mounted code; without one the container must restart, which
        // only Compose Watch's sync+restart does (and the restart dwarfs the sync's wait).
        syncs: if reload.is_some() {
            Vec::new()
        } else {
            dirs.clone()
        },
        mounts: if reload.is_some() { dirs } else { Vec::new() },
    })
}

/// The watch override of an application tree (no build system: the tree runs from `/app`).
/// Where the server has a reloader dockwright knows, the tree's import packages are
/// bind-mounted read-only where the image holds them (`/app/<package>`, or
/// `/app/src/<package>` for an app kept in `src/`), a Django site's packages likewise (a mount
/// of `/app` would also hide `collectstatic`'s `STATIC_ROOT`). Never the tree or `src/`:
/// Compose Watch does not watch a path a bind mount covers, and the requirements are there.
/// The rest of the tree rebuilds the image; a tree without a package, or a server without a
/// known reloader, rebuilds on every change.
fn app_tree_watch(answers: &Answers, layout: &Facts, venv_stage: &'static str) -> Watch {
    let command = &answers.command.value;
    let app_dir = layout
        .app_requirements
        .as_ref()
        .and_then(|r| r.app_dir.as_deref());
    let (dirs, rebuild_tree): (Vec<WatchSync>, bool) = match (&layout.django, app_dir) {
        (Some(site), None) if !site.packages.is_empty() => (
            site.packages
                .iter()
                .map(|p| WatchSync {
                    path: format!("./{p}"),
                    target: format!("/app/{p}"),
                })
                .collect(),
            true,
        ),
        // Any other tree: its import packages, not the tree. Compose Watch does not watch a
        // path a bind mount covers, so a mount of the tree (or of `src/`, which holds the
        // requirements) would stop a dependency change from rebuilding; a change outside the
        // packages (a top-level module such as `wsgi.py`) rebuilds the image.
        (_, dir) => (
            layout
                .packages
                .iter()
                .map(|p| {
                    let path = dir.map_or_else(|| p.clone(), |d| format!("{d}/{p}"));
                    WatchSync {
                        path: format!("./{path}"),
                        target: format!("/app/{path}"),
                    }
                })
                .collect(),
            true,
        ),
    };
    // No package to mount (the app is top-level modules), or no reloader dockwright knows:
    // every change rebuilds.
    let flags = reload_flags(command.server, &dirs).filter(|_| !dirs.is_empty());
    let Some(flags) = flags else {
        return Watch {
            syncs: Vec::new(),
            mounts: Vec::new(),
            command_json: None,
            reloader: None,
            reload_package: None,
            venv_stage,
            rebuild_tree: false,
        };
    };
    let reload_package = match command.server {
        Some(Server::Gunicorn | Server::AiohttpGunicorn) => Some(INOTIFY),
        _ => None,
    };
    let mut argv = command.argv.clone();
    argv.extend(flags.iter().cloned());
    let program = command.argv.first().cloned().unwrap_or_default();
    Watch {
        syncs: Vec::new(),
        mounts: dirs,
        command_json: Some(json_array(&argv)),
        reloader: Some(format!("{program} {}", flags[0])),
        reload_package,
        venv_stage,
        rebuild_tree,
    }
}

/// Streamlit's own reloader: a changed file of the app re-runs the script for every open
/// session (its file watcher polls unless watchdog is installed).
fn streamlit_flags() -> Vec<String> {
    vec!["--server.runOnSave=true".into()]
}

/// The flags that turn on a server's own reloader. A server added to `Server` gets its arm
/// here; a command of no known server restarts instead.
fn reload_flags(server: Option<Server>, dirs: &[WatchSync]) -> Option<Vec<String>> {
    match server? {
        // gunicorn's reloader watches the files of every imported module and restarts the
        // workers (the master stays up: no start-up of the container or the arbiter). Its
        // default engine polls once a second; inotify (in the :watch image only) restarts the
        // worker as the saved file lands. One worker: a request never meets a worker still on
        // the old code, and one process re-imports the app, not WEB_CONCURRENCY of them.
        // aiohttp's worker is a gunicorn worker: the same reloader (its loop notices the
        // worker's end within its one-second notify tick).
        Server::Gunicorn | Server::AiohttpGunicorn => Some(
            ["--reload", "--reload-engine", "inotify", "--workers", "1"]
                .map(String::from)
                .to_vec(),
        ),
        // uvicorn watches only what --reload-dir names (the working directory otherwise,
        // which is not where the code is). Without watchfiles it polls the files' mtimes,
        // every 0.25 s by default: every 0.05 s (a stat of the package's files, cheap) took
        // 0.1 s off the median save-to-answer on fastapi-factory (0.65 s to 0.55 s by hand).
        Server::Uvicorn => {
            let mut flags = vec!["--reload".to_string()];
            for dir in dirs {
                flags.extend(["--reload-dir".to_string(), dir.target.clone()]);
            }
            flags.extend(["--reload-delay".to_string(), "0.05".to_string()]);
            Some(flags)
        }
    }
}
