//! The prefixes a route's path is served under: a FastAPI router's own
//! (`APIRouter(prefix="/api")`) and the one it is included with (`app.include_router(router,
//! prefix="/v1")`, through routers included in routers), a Flask blueprint's
//! (`Blueprint(…, url_prefix="/api")`, which `register_blueprint(bp, url_prefix=…)` replaces).
//! Read from the code as text, never imported; a prefix that is not a string literal is not
//! known, and the route is then not used (the health check must never probe a 404).

use super::identifier;

/// A module's dotted name and text, as the route finder read them.
#[derive(Clone, Copy)]
pub(super) struct Module<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// How many routers deep an inclusion is followed (`app` → `api` → `v1` → `health`).
const DEPTH: usize = 4;

/// `path` as served, for a route declared on `line` of `module` (`@router.get("/health")`):
/// the prefixes of the router (or blueprint) and of each inclusion, joined; `None` when a
/// prefix cannot be read.
pub(super) fn served_path(
    modules: &[Module],
    module: &Module,
    line: &str,
    path: &str,
) -> Option<String> {
    let Some(var) = decorated_object(line) else {
        return Some(path.to_string());
    };
    let prefix = prefix_of(modules, module, &var, 0)?;
    Some(join(&prefix, path))
}

/// `router` of `@router.get(…)`, `bp` of `@bp.route(…)`.
fn decorated_object(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix('@')?;
    let var = rest.split('.').next()?;
    identifier(var).then(|| var.to_string())
}

/// The prefix everything declared on `var` (an object of `module`) is served under.
fn prefix_of(modules: &[Module], module: &Module, var: &str, depth: usize) -> Option<String> {
    if depth > DEPTH {
        return None;
    }
    let (own, flask) = match constructor_args(module.text, var) {
        Some((args, "APIRouter")) => (keyword(&args, "prefix")?, false),
        Some((args, _)) => (keyword(&args, "url_prefix")?, true),
        // An app, or an object not built in this module: no prefix of its own.
        None => (Some(String::new()), false),
    };
    let own = own.unwrap_or_default();
    let mut inclusion: Option<String> = None;
    for m in modules {
        for (call, parent) in calls(
            m.text,
            if flask {
                "register_blueprint("
            } else {
                "include_router("
            },
        ) {
            let args = split_args(&call);
            let Some(first) = args.first() else { continue };
            if !refers_to(first, m, module, var) {
                continue;
            }
            let kw = if flask { "url_prefix" } else { "prefix" };
            let given = keyword(&args, kw)?;
            let outer = match &parent {
                Some(p) if p != var || m.name != module.name => {
                    prefix_of(modules, m, p, depth + 1)?
                }
                _ => String::new(),
            };
            let here = match (flask, given) {
                // Flask: the registration's url_prefix replaces the blueprint's.
                (true, Some(g)) => g,
                (true, None) => own.clone(),
                (false, g) => join(&g.unwrap_or_default(), &own),
            };
            inclusion = Some(join(&outer, &here));
            break;
        }
        if inclusion.is_some() {
            break;
        }
    }
    Some(inclusion.unwrap_or(own))
}

/// Whether the first argument of an inclusion in `caller` names `var` of `module`: `router`
/// itself (same module or imported by that name), `health.router`, or an import alias
/// (`from .health import router as health_router`).
fn refers_to(arg: &str, caller: &Module, module: &Module, var: &str) -> bool {
    let arg = arg.trim();
    if arg == var {
        return caller.name == module.name || imports(caller, module, var, var);
    }
    if let Some((qualifier, last)) = arg.rsplit_once('.') {
        let module_last = module.name.rsplit('.').next().unwrap_or(module.name);
        return last == var && qualifier.rsplit('.').next() == Some(module_last);
    }
    identifier(arg) && imports(caller, module, var, arg)
}

/// `caller` imports `var` from `module` as `alias` (`from .health import router as alias`).
fn imports(caller: &Module, module: &Module, var: &str, alias: &str) -> bool {
    let module_last = module.name.rsplit('.').next().unwrap_or(module.name);
    caller.text.lines().any(|l| {
        let Some(rest) = l.trim().strip_prefix("from ") else {
            return false;
        };
        let Some((from, names)) = rest.split_once(" import ") else {
            return false;
        };
        let from_last = from.trim().rsplit('.').next().unwrap_or("");
        from_last == module_last
            && names
                .trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace())
                .split(',')
                .any(|n| {
                    let mut words = n.split_whitespace();
                    match (words.next(), words.next(), words.next()) {
                        (Some(name), None, None) => name == var && alias == var,
                        (Some(name), Some("as"), Some(a)) => name == var && a == alias,
                        _ => false,
                    }
                })
    })
}

/// The arguments of `var = APIRouter(…)` / `var = Blueprint(…)` at module level, and which.
fn constructor_args(text: &str, var: &str) -> Option<(Vec<String>, &'static str)> {
    for (at, line) in line_starts(text) {
        if line.starts_with(char::is_whitespace) {
            continue;
        }
        let Some((lhs, rhs)) = line.split_once('=') else {
            continue;
        };
        let lhs = lhs.split(':').next().unwrap_or(lhs).trim();
        if lhs != var {
            continue;
        }
        let rhs = rhs.trim_start();
        for ctor in ["APIRouter", "Blueprint"] {
            let Some(after) = rhs.strip_prefix(ctor).and_then(|r| r.strip_prefix('(')) else {
                continue;
            };
            let start = at + (line.len() - after.len());
            let body = balanced(&text[start..])?;
            return Some((split_args(&body), ctor));
        }
    }
    None
}

/// Each call of `name(…)` in `text`: its argument text and the object it is called on
/// (`app` of `app.include_router(…)`).
fn calls(text: &str, name: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before = &text[..at];
        let object = before
            .strip_suffix('.')
            .map(|b| {
                let start = b
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                    .map_or(0, |s| s + 1);
                b[start..].to_string()
            })
            .filter(|o| identifier(o));
        if let Some(body) = balanced(&text[from..]) {
            out.push((body, object));
        }
    }
    out
}

/// The text up to the `)` that closes an already opened `(`, quotes respected; at most 2000
/// characters.
fn balanced(s: &str) -> Option<String> {
    let mut depth = 1;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().take(2000) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(s[..i].to_string());
                    }
                }
                _ => {}
            },
        }
    }
    None
}

/// Top-level comma-separated arguments, trimmed.
fn split_args(body: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in body.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    args.push(current.trim().to_string());
                    current.clear();
                    continue;
                }
                _ => {}
            },
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        args.push(current.trim().to_string());
    }
    args
}

/// The keyword argument `key=`: `Some(None)` when absent, `Some(Some(literal))` when a string
/// literal, `None` when given as anything else (a variable, an f-string: not known).
fn keyword(args: &[String], key: &str) -> Option<Option<String>> {
    let Some(value) = args.iter().find_map(|a| {
        let (k, v) = a.split_once('=')?;
        (k.trim() == key).then(|| v.trim().to_string())
    }) else {
        return Some(None);
    };
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = value[1..].strip_suffix(quote)?;
    (!body.contains(['\\', '"', '\'', '{'])).then(|| Some(body.to_string()))
}

fn join(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        return path.to_string();
    }
    let prefix = if prefix.starts_with('/') {
        prefix.to_string()
    } else {
        format!("/{prefix}")
    };
    if path.is_empty() || path == "/" {
        prefix
    } else if path.starts_with('/') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}/{path}")
    }
}

/// Lines with the byte offset each starts at.
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l.trim_end_matches(['\n', '\r']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(files: &[(&str, &str)], module: &str, line: &str) -> Option<String> {
        let code: Vec<Module> = files
            .iter()
            .map(|(name, text)| Module { name, text })
            .collect();
        let here = *code.iter().find(|m| m.name == module).unwrap();
        served_path(&code, &here, line, "/health")
    }

    #[test]
    fn fastapi_router_and_inclusion_prefixes_are_joined() {
        let health = "from fastapi import APIRouter\n\nrouter = APIRouter(\n    prefix=\"/status\",\n    tags=[\"ops\"],\n)\n\n@router.get(\"/health\")\ndef health(): ...\n";
        let api = "from fastapi import APIRouter\nfrom app.routes import health\n\napi_router = APIRouter()\napi_router.include_router(health.router, prefix=\"/v1\")\n";
        let main = "from fastapi import FastAPI\nfrom app.api import api_router as routes\n\napp = FastAPI()\napp.include_router(routes, prefix='/api')\n";
        let files = [
            ("app.routes.health", health),
            ("app.api", api),
            ("app.main", main),
        ];
        assert_eq!(
            served(&files, "app.routes.health", "@router.get(\"/health\")").as_deref(),
            Some("/api/v1/status/health")
        );
        // A route on the app itself has no prefix.
        assert_eq!(
            served(&files, "app.main", "@app.get(\"/health\")").as_deref(),
            Some("/health")
        );
        // A prefix that is not a literal is not known: the route is not used.
        let dynamic = [("svc", "router = APIRouter(prefix=settings.API_PREFIX)\n")];
        assert_eq!(served(&dynamic, "svc", "@router.get(\"/health\")"), None);
    }

    #[test]
    fn a_blueprints_url_prefix_is_replaced_by_its_registration() {
        let bp = "from flask import Blueprint\n\nbp = Blueprint('ops', __name__, url_prefix='/ops')\n\n@bp.route('/health')\ndef health(): ...\n";
        let alone = [("svc.ops", bp)];
        assert_eq!(
            served(&alone, "svc.ops", "@bp.route('/health')").as_deref(),
            Some("/ops/health")
        );
        let app = "from flask import Flask\nfrom .ops import bp\n\ndef create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp, url_prefix=\"/internal\")\n    return app\n";
        let both = [("svc.ops", bp), ("svc", app)];
        assert_eq!(
            served(&both, "svc.ops", "@bp.route('/health')").as_deref(),
            Some("/internal/health")
        );
    }
}
