//! An MCP server in the code: the transport it passes to `run()`, and a module-level FastMCP
//! object.

use crate::detect::identifier;
use crate::model::Transport;

use super::code::Module;
use super::first_string;

/// The MCP transport the code passes to `run()` (`mcp.run(transport="streamable-http")`).
pub(in crate::detect) fn mcp_transport(modules: &[Module]) -> Option<(Transport, String)> {
    for m in modules {
        for line in m.text.lines() {
            let Some(at) = line.find("transport=") else {
                continue;
            };
            let Some(value) = first_string(&line[at + "transport=".len()..]) else {
                continue;
            };
            let t = match value.as_str() {
                "stdio" => Transport::Stdio,
                "streamable-http" | "http" | "streamable_http" => Transport::StreamableHttp,
                "sse" => Transport::Sse,
                _ => continue,
            };
            return Some((t, format!("transport=\"{}\" in {}", t.as_str(), m.rel)));
        }
    }
    None
}

/// A module-level MCP SDK server object (`mcp = FastMCP("notes")`): `module:var` and where.
/// Over HTTP it is served by uvicorn through its ASGI app (`var.streamable_http_app()`), since
/// `run()` binds 127.0.0.1 unless the code says otherwise.
pub(in crate::detect) fn mcp_app(modules: &[Module]) -> Option<(String, String)> {
    for m in modules {
        for line in m
            .text
            .lines()
            .filter(|l| !l.starts_with(char::is_whitespace))
        {
            let Some((var, call)) = line.split_once('=') else {
                continue;
            };
            let var = var.split(':').next().unwrap_or(var).trim();
            if identifier(var) && call.trim_start().starts_with("FastMCP(") {
                return Some((
                    format!("{}:{var}", m.name),
                    format!("the FastMCP server `{var}` in {}", m.rel),
                ));
            }
        }
    }
    None
}
