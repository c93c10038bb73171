//! The Python version the maintainers pin, first found wins: `.python-version` (pyenv, uv),
//! `runtime.txt` (Heroku), `.tool-versions` (asdf, mise), `Pipfile` `[requires]`, then the
//! `FROM python:X.Y…` of the project's own Dockerfile (not one dockwright wrote). A pin is used
//! only inside the bounds: `requires-python` (or `setup.cfg`'s `python_requires`) and the lock's
//! own (`uv.lock` `requires-python`, `poetry.lock` `python-versions`), and only a version
//! dockwright supports. A pin outside them is ignored, and the origin says so: the bounds are what
//! the installers enforce (pip refuses a wheel whose `requires-python` excludes the interpreter,
//! `uv sync --locked` a lock resolved for other versions), so such a pin names an interpreter the
//! image could not install the project on; a local pin file going stale is the common cause.
//! Without a pin, the trove classifiers (`Programming Language :: Python :: 3.13`) cap the
//! highest version the bounds allow: a project tested up to 3.13 does not get 3.14.

mod bounds;
mod files;
mod version;

use std::path::Path;

use crate::answers::{python, rules::PYTHON_MINORS, Field, Raw};
use crate::safety::shown;

use super::Detection;
use bounds::{classifier_minors, lock_bound};
use files::pins;
use version::{allows, parse};

/// Reads the pins and the bounds and sets the `python` answer with its origin. Runs after
/// `requires-python` (when there is one) is in `d.facts`; works without `pyproject.toml`.
pub(super) fn detect_python(target: &Path, doc: Option<&toml::Table>, d: &mut Detection) {
    let mut bounds: Vec<(String, String)> = d.facts.requires_python.iter().cloned().collect();
    if let Some(lock) = lock_bound(target) {
        if d.facts.requires_python.is_none() {
            // The lock's bound is the project's when nothing else states one: `--python` is
            // checked against it too.
            d.facts.requires_python = Some(lock.clone());
        }
        bounds.push(lock);
    }
    let mut ignored: Vec<String> = Vec::new();
    for (place, value) in pins(target) {
        let seen = format!("{place} `{}`", shown(&value));
        let Some(v) = parse(&value) else {
            ignored.push(format!("{seen} ignored: not a CPython version 3.X[.Y]"));
            continue;
        };
        if !PYTHON_MINORS.contains(&v.minor) {
            ignored.push(format!(
                "{seen} ignored: dockwright supports 3.{} to 3.{}",
                PYTHON_MINORS.start(),
                PYTHON_MINORS.end()
            ));
            continue;
        }
        if let Some((spec, bound)) = bounds.iter().find(|(spec, _)| !allows(spec, &v)) {
            ignored.push(format!(
                "{seen} ignored: outside {} `{}`",
                shown(bound),
                shown(spec)
            ));
            continue;
        }
        set(d, v.minor, format!("{place} {}", v.text), &ignored);
        return;
    }
    let allowed = |minor: u8| bounds.iter().all(|(spec, _)| python::allows(spec, minor));
    let highest = PYTHON_MINORS.rev().find(|&m| allowed(m));
    let tested = doc.map(classifier_minors).unwrap_or_default();
    let capped = PYTHON_MINORS
        .rev()
        .find(|m| allowed(*m) && tested.contains(m));
    match (capped, highest) {
        (Some(minor), Some(high)) if minor < high => {
            let range = match bounds.first() {
                Some((spec, place)) => format!(", within {} `{}`", shown(place), shown(spec)),
                None => String::new(),
            };
            set(
                d,
                minor,
                format!("the highest Python the classifiers list{range}"),
                &ignored,
            );
        }
        (_, Some(minor)) if !bounds.is_empty() => {
            let (spec, place) = &bounds[0];
            let why = if place.starts_with("pyproject.toml ") {
                // The wording `init` has always used for `requires-python`.
                format!("{} {spec}", place.trim_start_matches("pyproject.toml "))
            } else {
                format!("{place} {spec}")
            };
            set(d, minor, why, &ignored);
        }
        (_, None) if !bounds.is_empty() => {
            // No supported version satisfies the bounds: the answer's check says so, naming them.
            let _ = d.answers.remove(&Field::Python);
            let _ = d.origins.remove(&Field::Python);
        }
        _ if !ignored.is_empty() => {
            // Nothing usable pins it: the default, and why the pins were not used.
            let default = crate::answers::DEFAULT_PYTHON;
            let minor = default
                .split_once('.')
                .and_then(|(_, m)| m.parse().ok())
                .unwrap_or(12);
            set(d, minor, "dockwright's default".into(), &ignored);
        }
        _ => {}
    }
}

fn set(d: &mut Detection, minor: u8, why: String, ignored: &[String]) {
    d.answers
        .insert(Field::Python, Raw::Text(format!("3.{minor}")));
    let why = if ignored.is_empty() {
        why
    } else {
        format!("{why}; {}", ignored.join("; "))
    };
    d.origins.insert(Field::Python, why);
}

#[cfg(test)]
mod tests {
    use super::super::project;
    use super::*;
    use crate::model::MARKER;

    /// The detected Python answer and its origin.
    fn python(files: &[(&str, &str)]) -> (Option<String>, String) {
        let dir = project(files);
        let d = super::super::detect(dir.path()).unwrap();
        let answer = match d.answers.get(&Field::Python) {
            Some(Raw::Text(t)) => Some(t.clone()),
            None => None,
            other => panic!("{other:?}"),
        };
        (
            answer,
            d.origins.get(&Field::Python).cloned().unwrap_or_default(),
        )
    }

    const PYPROJECT: &str = "[project]\nname = \"svc\"\nversion = \"1\"\nrequires-python = \">=3.9\"\nclassifiers = [\"Programming Language :: Python :: 3.9\", \"Programming Language :: Python :: 3.13\"]\n";

    #[test]
    fn pin_files_are_read_in_order_and_the_first_wins() {
        let (v, why) = python(&[
            ("pyproject.toml", PYPROJECT),
            (".python-version", "# pyenv\n3.11.9\n3.12\n"),
            ("runtime.txt", "python-3.10.4\n"),
        ]);
        assert_eq!(
            (v.as_deref(), why.as_str()),
            (Some("3.11"), ".python-version 3.11.9")
        );
        for (files, want, origin) in [
            (vec![("runtime.txt", "python-3.10.4\n")], "3.10", "runtime.txt 3.10.4"),
            (
                vec![(".tool-versions", "nodejs 20.1.0\npython 3.12.3 3.11.0\n")],
                "3.12",
                ".tool-versions python 3.12.3",
            ),
            (
                vec![("Pipfile", "[packages]\nflask = \"*\"\n\n[requires]\npython_version = \"3.10\"\n")],
                "3.10",
                "Pipfile [requires] python_version 3.10",
            ),
            (
                vec![(".python-version", "cpython-3.12.4-linux-x86_64-gnu\n")],
                "3.12",
                ".python-version 3.12.4",
            ),
            (
                vec![("Dockerfile", "ARG PY=3.10\nFROM --platform=$BUILDPLATFORM python:${PY}-slim-bookworm AS base\n")],
                "3.10",
                "the Dockerfile's FROM python: 3.10",
            ),
        ] {
            let mut files = files;
            files.push(("pyproject.toml", PYPROJECT));
            let (v, why) = python(&files);
            assert_eq!((v.as_deref(), why.as_str()), (Some(want), origin));
        }
    }

    #[test]
    fn a_project_that_pins_nothing_past_3_13_never_gets_3_14() {
        // requires-python >=3.9 alone would give 3.14; the classifiers stop at 3.13.
        let (v, why) = python(&[("pyproject.toml", PYPROJECT)]);
        assert_eq!(v.as_deref(), Some("3.13"));
        assert_eq!(
            why,
            "the highest Python the classifiers list, within pyproject.toml requires-python `>=3.9`"
        );
        // A Dockerfile dockwright wrote is not the maintainers' pin.
        let ours = format!("FROM python:3.9-slim\n# {MARKER}\n");
        let (v, _) = python(&[("pyproject.toml", PYPROJECT), ("Dockerfile", &ours)]);
        assert_eq!(v.as_deref(), Some("3.13"));
    }

    #[test]
    fn a_pin_outside_the_bounds_is_ignored_and_said() {
        let strict = "[project]\nname = \"svc\"\nversion = \"1\"\nrequires-python = \">=3.11.4\"\n";
        let (v, why) = python(&[("pyproject.toml", strict), (".python-version", "3.10\n")]);
        assert_eq!(v.as_deref(), Some("3.14"));
        assert_eq!(
            why,
            "requires-python >=3.11.4; .python-version `3.10` ignored: outside pyproject.toml requires-python `>=3.11.4`"
        );
        // The exact release counts: 3.11.2 is below 3.11.4; the next pin is used.
        let (v, why) = python(&[
            ("pyproject.toml", strict),
            (".python-version", "3.11.2\n"),
            ("runtime.txt", "python-3.12.1"),
        ]);
        assert_eq!(v.as_deref(), Some("3.12"));
        assert!(
            why.starts_with("runtime.txt 3.12.1; .python-version `3.11.2` ignored"),
            "{why}"
        );
        // Without pyproject.toml, uv.lock's own bound holds.
        let (v, why) = python(&[
            ("uv.lock", "version = 1\nrequires-python = \">=3.12\"\n"),
            (".python-version", "3.11\n"),
        ]);
        assert_eq!(v.as_deref(), Some("3.14"));
        assert!(
            why.starts_with("uv.lock requires-python >=3.12; .python-version `3.11` ignored"),
            "{why}"
        );
    }

    #[test]
    fn unsupported_and_hostile_pins_are_ignored_with_the_value_escaped() {
        let (v, why) = python(&[
            (".python-version", "3.8.18\n"),
            ("runtime.txt", "python-3.11\n"),
        ]);
        assert_eq!(v.as_deref(), Some("3.11"));
        assert_eq!(
            why,
            "runtime.txt 3.11; .python-version `3.8.18` ignored: dockwright supports 3.9 to 3.14"
        );
        let (v, why) = python(&[(".python-version", "3.12\u{1b}[2J; rm -rf /\n")]);
        assert_eq!(v.as_deref(), Some(crate::answers::DEFAULT_PYTHON));
        assert!(
            why.contains("\\u{1b}") && why.contains("ignored: not a CPython version"),
            "{why}"
        );
    }
}
