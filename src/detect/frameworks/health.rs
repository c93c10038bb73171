//! A health route the code declares, under its routers' and blueprints' prefixes.

use super::code::Module;
use super::first_string;

/// Last path segments of a health endpoint, in order of preference.
pub(super) const HEALTH: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "livez",
    "readyz",
    "ping",
    "status",
];

/// A health route the code declares (`@app.get("/healthz")`, `@bp.route("/ping")`,
/// `path("health/", …)`, `Route("/status", …)`): the path and where it was found.
pub(in crate::detect) fn health_route(modules: &[Module]) -> Option<(String, String)> {
    let mut found: Vec<(usize, String, String)> = Vec::new();
    let code: Vec<crate::detect::routes::Module> = modules
        .iter()
        .map(|m| crate::detect::routes::Module {
            name: &m.name,
            text: &m.text,
        })
        .collect();
    for m in modules {
        for line in m.text.lines() {
            let l = line.trim_start();
            let routes = [
                ".get(",
                ".route(",
                ".api_route(",
                "path(",
                "Route(",
                "@get(",
                ".head(",
            ];
            let Some(at) = routes
                .iter()
                .filter_map(|r| l.find(r).map(|i| i + r.len()))
                .min()
            else {
                continue;
            };
            let Some(path) = first_string(&l[at..]) else {
                continue;
            };
            let path = if path.starts_with('/') {
                path
            } else {
                format!("/{path}")
            };
            // Served under its router's and blueprint's prefixes; unknown ones: not used.
            let here = crate::detect::routes::Module {
                name: &m.name,
                text: &m.text,
            };
            let Some(path) = crate::detect::routes::served_path(&code, &here, l, &path) else {
                continue;
            };
            if crate::answers::rules::health_path(&path).is_err() {
                continue;
            }
            let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if let Some(rank) = HEALTH.iter().position(|h| *h == last) {
                found.push((
                    rank,
                    path.clone(),
                    format!("the route `{path}` in {}", m.rel),
                ));
            }
        }
    }
    found.sort_by_key(|(rank, path, _)| (*rank, path.len()));
    found.into_iter().next().map(|(_, p, why)| (p, why))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::frameworks::{mcp_transport, modules};
    use crate::detect::project;
    use crate::model::Transport;

    #[test]
    fn health_routes_and_transports_are_read_from_the_code() {
        let dir = project(&[
            (
                "src/svc/api.py",
                "@router.get(\"/api/v1/items\")\n@app.get('/healthz')\ndef h(): ...\n",
            ),
            (
                "src/svc/urls.py",
                "urlpatterns = [path(\"ping/\", views.ping)]\n",
            ),
            (
                "src/svc/server.py",
                "mcp.run(transport=\"streamable-http\")\n",
            ),
        ]);
        let m = modules(dir.path(), Some("svc"), true);
        assert_eq!(
            health_route(&m),
            Some((
                "/healthz".into(),
                "the route `/healthz` in src/svc/api.py".into()
            ))
        );
        assert_eq!(mcp_transport(&m).unwrap().0, Transport::StreamableHttp);
        let none = project(&[("src/svc/api.py", "@app.get(\"/\")\n")]);
        assert_eq!(health_route(&modules(none.path(), Some("svc"), true)), None);
    }
}
