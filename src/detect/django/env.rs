//! The environment variables the settings read without a default, each with a throw-away value
//! the `collectstatic` step alone gets.

use crate::detect::identifier;

use super::quoted_literal;

/// The value every variable the settings require gets in the `collectstatic` step alone.
pub const THROW_AWAY: &str = "collectstatic-only";

/// The environment variables the settings read without a default (`os.environ["NAME"]`,
/// `env("NAME")`, `env.str("NAME")`, `config("NAME")`), each with a throw-away value of the
/// shape its reader parses, sorted by name.
pub(super) fn required_env(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let code = line.split('#').next().unwrap_or_default();
        for (at, _) in code.match_indices("environ[") {
            let rest = &code[at + "environ[".len()..];
            let Some(name) = quoted_literal(rest) else {
                continue;
            };
            // `os.environ["X"] = …` sets it, it does not read it.
            let after = rest.split_once(']').map_or("", |(_, a)| a).trim_start();
            let assigned = after.starts_with('=') && !after.starts_with("==");
            if !assigned {
                push(&mut out, name, None);
            }
        }
        for (at, _) in code.match_indices('(') {
            let Some((reader, kind)) = reader_before(&code[..at]) else {
                continue;
            };
            let Some(args) = call_args(&code[at + 1..]) else {
                continue;
            };
            let has_default = args.len() > 1 || args.iter().any(|a| a.contains("default"));
            if has_default {
                continue;
            }
            match args.first().map(|a| a.trim()).filter(|a| !a.is_empty()) {
                Some(first) => {
                    if let Some(name) = quoted_literal(first).filter(|n| n.len() + 2 == first.len())
                    {
                        push(&mut out, name, kind);
                    }
                }
                // `env.db()` reads DATABASE_URL.
                None if reader == "env" && kind == Some("db") => {
                    push(&mut out, "DATABASE_URL".into(), kind)
                }
                None => {}
            }
        }
    }
    out.sort();
    out
}

fn push(out: &mut Vec<(String, String)>, name: String, kind: Option<&str>) {
    if identifier(&name)
        && name.len() <= 64
        && name != "DJANGO_SETTINGS_MODULE"
        && !out.iter().any(|(n, _)| *n == name)
    {
        let value = throw_away(&name, kind);
        out.push((name, value.to_string()));
    }
}

/// A value the reader accepts and that connects nowhere: `collectstatic` reads no database.
fn throw_away(name: &str, kind: Option<&str>) -> &'static str {
    match kind {
        Some("int" | "float") => "0",
        Some("bool") => "false",
        Some("db" | "db_url") => "sqlite:///:memory:",
        Some("cache" | "cache_url") => "locmemcache://",
        Some("email" | "email_url") => "consolemail://",
        _ if name.ends_with("DATABASE_URL") => "sqlite:///:memory:",
        _ if name.ends_with("CACHE_URL") => "locmemcache://",
        _ if name.ends_with("_URL") => "http://localhost/",
        _ => THROW_AWAY,
    }
}

/// `env`, `env.int`, `config` (python-decouple) right before a `(`: the reader and its kind.
fn reader_before(code: &str) -> Option<(&'static str, Option<&str>)> {
    let ident_end = code.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let word = &code[ident_end.len()..];
    let standalone = |before: &str| {
        !before
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    };
    match word {
        "env" | "config" if standalone(ident_end) => {
            Some((if word == "env" { "env" } else { "config" }, None))
        }
        kind if !kind.is_empty() => {
            let before = ident_end.strip_suffix("env.")?;
            standalone(before).then_some(("env", Some(kind)))
        }
        _ => None,
    }
}

/// The top-level arguments of a call whose `(` came just before `s`, up to its `)` on the
/// same line; `None` when the call spans lines.
fn call_args(s: &str) -> Option<Vec<&str>> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut args = Vec::new();
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')') if depth == 0 => {
                args.push(&s[start..i]);
                return Some(args);
            }
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                args.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_the_settings_require_get_throw_away_build_values() {
        let text = r#"
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = env.bool("DJANGO_DEBUG", False)
DATABASES = {"default": env.db("DATABASE_URL")}
CACHES = {"default": env.cache()}
PORT = env.int('WORKER_PORT')
API = config("API_TOKEN")  # python-decouple
HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["x"])
OPTIONAL = os.environ.get("SENTRY_DSN")
ALSO = os.getenv("OTHER")
MAIL = env("EMAIL_HOST", default="localhost")
os.environ["HTTPS"] = "on"
os.environ['DJANGO_SETTINGS_MODULE']
app_config("NOT_A_READER")
BAD = os.environ["X; curl evil | sh"]
BAD2 = env("A" + "B")
# SECRET = os.environ["COMMENTED_OUT"]
REDIS = env("REDIS_URL")
"#;
        assert_eq!(
            required_env(text),
            [
                ("API_TOKEN", THROW_AWAY),
                ("DATABASE_URL", "sqlite:///:memory:"),
                ("DJANGO_SECRET_KEY", THROW_AWAY),
                ("REDIS_URL", "http://localhost/"),
                ("WORKER_PORT", "0"),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
    }
}
