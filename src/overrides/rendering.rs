//! What rendering asks of the blueprints of the user's own: their templates by name, a render
//! error as the user's file and line, and the names an include may use.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::{embedded_name, name_of, Overrides};
use crate::error::Error;
use crate::safety::{is_safe_relative_path, shown};

impl Overrides {
    /// The template texts that differ from the built-in ones, by template name: a replacement
    /// under its built-in path (`python/Dockerfile.j2`), an own file under its own name.
    pub fn templates(&self) -> Arc<BTreeMap<String, String>> {
        Arc::new(
            self.files
                .iter()
                .map(|(name, f)| {
                    let key = embedded_name(name).unwrap_or_else(|| name.clone());
                    (key, f.text.clone())
                })
                .collect(),
        )
    }

    /// The own blueprint behind a template name, when there is one.
    pub fn own_name(&self, template: &str) -> Option<&str> {
        let name = name_of(template);
        self.files
            .get_key_value(name)
            .filter(|(n, _)| embedded_name(n).as_deref() == Some(template) || *n == template)
            .map(|(n, _)| n.as_str())
    }
}

/// A render error as the user's: the own blueprint's file and line when the error is in one.
pub fn render_error(overrides: &Overrides, err: minijinja::Error) -> Error {
    if overrides.is_empty() {
        return Error::Template(err);
    }
    let template = err.name().unwrap_or_default().to_string();
    let path = match overrides.own_name(&template) {
        Some(name) => overrides.shown_path(name).unwrap_or_default(),
        // A built-in partial an own blueprint included: named as the built-in one.
        None => PathBuf::from(format!("(built-in) {}", name_of(&template))),
    };
    let mut reason = err.kind().to_string();
    if let Some(detail) = err.detail() {
        reason = format!("{reason}: {detail}");
    }
    Error::Blueprint {
        path,
        line: err.line(),
        reason: format!(
            "{}; nothing was written: fix the blueprint (the fields it may use are in docs/context.md), or delete it to use the built-in one",
            escaped(&reason)
        ),
    }
}

/// A render error's text as shown: control and invisible characters escaped as `shown` does,
/// cut after 400 characters (the error quotes names from the blueprint).
fn escaped(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 400 {
            out.push('…');
            break;
        }
        if crate::safety::is_forbidden_char(c) || c == '\\' {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// A template name an own blueprint may `include` or `import`: a safe relative path, so that
/// nothing outside the blueprints folders is read.
pub fn check_include(name: &str) -> std::result::Result<(), minijinja::Error> {
    if is_safe_relative_path(name) {
        Ok(())
    } else {
        Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!(
                "`{}` is not a blueprint name: an include or import names a file inside the blueprints folder (no `..`, no absolute path)",
                shown(name)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_stay_inside() {
        assert!(check_include("partials/builder.Dockerfile.j2").is_ok());
        for bad in ["../x.j2", "/etc/passwd", "a/../../b", ""] {
            assert!(check_include(bad).is_err(), "{bad}");
        }
    }
}
