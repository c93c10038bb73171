//! The names of a project: the distribution name (PEP 508), the import package (a dotted one
//! for a namespace package), their defaults, PEP 503 normalisation, and the command a fresh
//! project of a kind runs under its name.

use super::check::{broken, slug, text, Checked, Fallback, Rule};
use super::raw::Raw;
use super::{Earlier, Layers};
use crate::model::{Kind, Origin};

pub fn default_name(layers: &Layers, _: &dyn Earlier) -> Fallback {
    let fallback = layers.fallback_name.as_deref().unwrap_or("app");
    Fallback::Value(
        Raw::Text(fallback.into()),
        Origin::Default("the target directory's name".into()),
    )
}

pub fn default_package(_: &Layers, p: &dyn Earlier) -> Fallback {
    match p.name() {
        Some(n) => Fallback::Value(
            Raw::Text(package_from_name(&n.value)),
            Origin::Default("derived from the name".into()),
        ),
        None => Fallback::Missing,
    }
}

/// The command a fresh project of this kind runs.
pub fn kind_command(kind: Kind, name: &str, package: &str) -> Vec<String> {
    match kind {
        Kind::Web | Kind::Mcp | Kind::Cli => vec![normalize_name(name)],
        Kind::Library => vec![
            "python".into(),
            "-c".into(),
            format!(
                "import importlib.metadata, {package}; print({:?}, importlib.metadata.version({:?}))",
                normalize_name(name),
                name
            ),
        ],
    }
}

/// PEP 508 distribution name: letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit.
pub fn name(s: &str) -> Rule<String> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-'))
        && s.starts_with(|ch: char| ch.is_ascii_alphanumeric())
        && s.ends_with(|ch: char| ch.is_ascii_alphanumeric());
    if ok {
        Ok(s.to_string())
    } else {
        let rule = "must be a Python distribution name: ASCII letters, digits, `.`, `_` or `-`, starting and ending with a letter or digit (it also names the Docker image)";
        match slug(s, '-') {
            Some(fixed) => Err((format!("{rule}; did you mean `{fixed}`?"), fixed)),
            None => Err((rule.into(), "my-app".into())),
        }
    }
}

const PY_KEYWORDS: &[&str] = &[
    "false", "none", "true", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The import package: a lowercase identifier, or a dotted import path of them for a
/// namespace package (`pdm.backend`: `src/pdm/backend/`, no `src/pdm/__init__.py`). The first
/// part must not be a standard-library module (the package would shadow it), no part a dunder.
pub fn package(s: &str) -> Rule<String> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts
        .iter()
        .enumerate()
        .any(|(i, p)| (i == 0 && crate::safety::shadows_stdlib(p)) || is_dunder(p))
    {
        return Err((
            "must not be the name of a Python standard-library module (or a dunder name): the package would shadow it".into(),
            "my_app".into(),
        ));
    }
    if s.len() <= 100 && parts.iter().all(|p| identifier(p)) {
        return Ok(s.to_string());
    }
    let rule = "must be a lowercase Python import name of at most 100 characters: an identifier (letters, digits, `_`; not a keyword), or identifiers joined by `.` for a namespace package (`pdm.backend`)";
    // A dotted value keeps its dots: each part is made an identifier on its own.
    let fixed = if s.contains('.') {
        let parts: Vec<String> = s.split('.').filter_map(|p| slug(p, '_')).collect();
        (!parts.is_empty()).then(|| parts.join("."))
    } else {
        slug(s, '_')
    };
    match fixed.filter(|f| f != s && package(f).is_ok()) {
        Some(fixed) => Err((format!("{rule}; did you mean `{fixed}`?"), fixed)),
        None => Err((rule.into(), "my_app".into())),
    }
}

/// The package answer: [`package`], and a dotted one only for `init` (the package `new`
/// writes is a regular one, `src/<package>/`).
pub fn package_answer(raw: &Raw, layers: &Layers) -> Checked<String> {
    let value = text(raw, package)?;
    if value.contains('.') && !layers.retrofit {
        let example = value.replace('.', "_");
        return Err(vec![broken(
            value,
            "is a namespace package, which `dockwright init` retrofits; `new` writes a regular package: give an identifier without `.`",
            &example,
        )]);
    }
    Ok(value)
}

/// One part of an import name: a lowercase identifier that is not a keyword.
fn identifier(s: &str) -> bool {
    s.starts_with(|ch: char| ch.is_ascii_lowercase() || ch == '_')
        && s.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        && !PY_KEYWORDS.contains(&s)
}

fn is_dunder(s: &str) -> bool {
    s.starts_with("__") && s.ends_with("__")
}

/// PEP 503 normalisation: lowercase, runs of `-_.` become one `-`; always a valid Docker repository name.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(ch.to_ascii_lowercase());
        }
    }
    out
}

/// The import package a distribution name suggests: `My-App.core` → `my_app_core`.
pub fn package_from_name(name: &str) -> String {
    normalize_name(name).replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_name_gets_a_valid_suggestion() {
        let (rule, example) = name("Bad Name!").unwrap_err();
        assert!(rule.contains("did you mean `bad-name`?"), "{rule}");
        assert!(name(&example).is_ok());
        let (rule, _) = package("My-App").unwrap_err();
        assert!(rule.contains("did you mean `my_app`?"), "{rule}");
    }

    #[test]
    fn packages_may_be_dotted_namespace_packages() {
        for ok in [
            "my_app",
            "pdm.backend",
            "jaraco.functools",
            "a.b.c",
            "_private.x2",
        ] {
            assert_eq!(package(ok).as_deref(), Ok(ok));
        }
        for (bad, fix) in [
            ("pdm..backend", Some("pdm.backend")),
            (".pdm.backend", Some("pdm.backend")),
            ("pdm.backend.", Some("pdm.backend")),
            ("Pdm.Backend", Some("pdm.backend")),
            ("pdm.back-end", Some("pdm.back_end")),
            ("pdm.class", None),
            ("pdm.2x", None),
            ("pdm/backend", Some("pdm_backend")),
        ] {
            let (rule, example) = package(bad).unwrap_err();
            assert!(rule.contains("joined by `.`"), "{bad}: {rule}");
            match fix {
                Some(fix) => {
                    assert!(
                        rule.ends_with(&format!("did you mean `{fix}`?")),
                        "{bad}: {rule}"
                    );
                    assert_eq!(example, fix);
                }
                None => assert!(!rule.contains("did you mean"), "{bad}: {rule}"),
            }
        }
        // The first part must not shadow the standard library; no part may be a dunder.
        for bad in ["email.extra", "os.path", "pdm.__init__", "__main__.x"] {
            let (rule, _) = package(bad).unwrap_err();
            assert!(rule.contains("standard-library"), "{bad}: {rule}");
        }
        assert!(package("mypkg.email").is_ok());
        assert!(package(&format!("a.{}", "b".repeat(99))).is_err());

        // `init` retrofits a namespace package; `new` writes a regular one.
        let raw = Raw::Text("pdm.backend".into());
        let init = Layers {
            retrofit: true,
            ..Layers::default()
        };
        assert_eq!(package_answer(&raw, &init), Ok("pdm.backend".into()));
        let refused = package_answer(&raw, &Layers::default()).unwrap_err();
        assert_eq!(refused[0].value, "pdm.backend");
        assert_eq!(refused[0].example, "pdm_backend");
        assert!(
            refused[0].rule.contains("dockwright init"),
            "{:?}",
            refused[0]
        );
        assert!(package_answer(&Raw::Text("my_app".into()), &Layers::default()).is_ok());
    }
}
