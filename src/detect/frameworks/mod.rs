//! Framework apps in the project's code, found by reading (never importing) its modules:
//! module-level apps and application factories of Flask, FastAPI, Starlette, Litestar and
//! Quart; health routes; the MCP transport; Flask's instance folder.

mod apps;
mod code;
mod health;
mod mcp;

pub(super) use apps::{flask_instance, framework_app};
pub(super) use code::{modules, Module};
pub(super) use health::health_route;
pub(super) use mcp::{mcp_app, mcp_transport};

/// The first string literal at the start of `s` (`"…"` or `'…'`), without escapes.
fn first_string(s: &str) -> Option<String> {
    let s = s.trim_start();
    let quote = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &s[1..];
    let end = body.find(quote)?;
    let lit = &body[..end];
    (!lit.contains('\\')).then(|| lit.to_string())
}
