//! The container's health check: the Python code the `HEALTHCHECK` runs.

use crate::model::{HealthCheck, Transport};

/// The Python code of the HTTP health check: an MCP initialize request for streamable HTTP
/// (and, when the server opened a session for it, a DELETE that ends the session again),
/// the first bytes of the event stream for SSE, any answer below 500 at `/` without a health
/// route, else a 2xx of the health path (urllib raises on 4xx and 5xx).
pub(super) fn health_check(port: u16, health: &HealthCheck, transport: Transport) -> String {
    let path = match health {
        HealthCheck::Path(path) => path.as_str(),
        HealthCheck::AnyAnswer => {
            return format!(
                "import http.client as h; c = h.HTTPConnection('127.0.0.1', {port}, timeout=4); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"
            )
        }
    };
    match transport {
        Transport::StreamableHttp if mcp_endpoint(path, transport) => format!(
            "import urllib.request as u; r = u.urlopen(u.Request('http://127.0.0.1:{port}{path}', data=b'{{\"jsonrpc\": \"2.0\", \"id\": 0, \"method\": \"initialize\", \"params\": {{\"protocolVersion\": \"2025-03-26\", \"capabilities\": {{}}, \"clientInfo\": {{\"name\": \"healthcheck\", \"version\": \"0\"}}}}}}', headers={{'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream'}}), timeout=4); s = r.headers.get('mcp-session-id'); r.read(1); s and u.urlopen(u.Request('http://127.0.0.1:{port}{path}', method='DELETE', headers={{'mcp-session-id': s}}), timeout=4)"
        ),
        Transport::Sse if mcp_endpoint(path, transport) => format!(
            "import urllib.request as u; u.urlopen('http://127.0.0.1:{port}{path}', timeout=4).readline()"
        ),
        _ => format!(
            "import urllib.request; urllib.request.urlopen('http://127.0.0.1:{port}{path}', timeout=4)"
        ),
    }
}

/// Whether the health path is the transport's MCP endpoint (`…/mcp`, `…/sse`) rather than a
/// health route of its own (the skeleton's `/health`), which gets a plain GET.
pub(super) fn mcp_endpoint(path: &str, transport: Transport) -> bool {
    let path = path.trim_end_matches('/');
    match transport {
        Transport::StreamableHttp => path.ends_with("/mcp"),
        Transport::Sse => path.ends_with("/sse"),
        _ => false,
    }
}

/// An application without a build system run as `python FILE.py` has no package to import: its
/// health check compiles that file (in memory: /app is read-only), proving the tree and the
/// interpreter are in place. Only plain relative paths are pasted into the Python string.
pub(super) fn app_tree_check(app_tree: bool, command: &[String]) -> Option<String> {
    let [python, file, ..] = command else {
        return None;
    };
    let plain = file.ends_with(".py")
        && !file.starts_with('/')
        && !file.contains("..")
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    (app_tree && plain && python.starts_with("python"))
        .then(|| format!("compile(open('{file}').read(), '{file}', 'exec')"))
}
