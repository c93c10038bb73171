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

use std::path::Path;

use crate::answers::{python, rules::PYTHON_MINORS, Field, Raw};
use crate::fsread;
use crate::model::MARKER;
use crate::safety::shown;

use super::{read, Detection};

/// A version read from a pin file: `3.11` or `3.11.9`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    minor: u8,
    text: String,
}

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

/// Whether `spec` allows the pin: that release when the pin names one (`3.11.2` is outside
/// `>=3.11.4`), else some release of the minor version.
fn allows(spec: &str, v: &Version) -> bool {
    if v.text.matches('.').count() == 2 {
        spec.split("||")
            .any(|alt| python::allows(&format!("{alt},=={}", v.text), v.minor))
    } else {
        python::allows(spec, v.minor)
    }
}

/// The pin files that exist, in order, each with the value it pins (first line, comments out).
fn pins(target: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let first_value = |text: &str| {
        text.lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .find(|l| !l.is_empty())
            .map(str::to_string)
    };
    for file in [".python-version", "runtime.txt"] {
        if let Some(v) = read(target, &target.join(file))
            .ok()
            .and_then(|t| first_value(&t))
        {
            found.push((file.to_string(), v));
        }
    }
    if let Ok(text) = read(target, &target.join(".tool-versions")) {
        let python = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .find_map(|l| l.strip_prefix("python ").or(l.strip_prefix("python\t")))
            .and_then(|rest| rest.split_whitespace().next());
        if let Some(v) = python {
            found.push((".tool-versions python".to_string(), v.to_string()));
        }
    }
    if let Some(requires) = read(target, &target.join("Pipfile"))
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .and_then(|t| t.get("requires").and_then(|r| r.as_table()).cloned())
    {
        for key in ["python_full_version", "python_version"] {
            if let Some(v) = requires.get(key).and_then(|v| v.as_str()) {
                found.push((format!("Pipfile [requires] {key}"), v.to_string()));
                break;
            }
        }
    }
    if let Some(v) = read(target, &target.join("Dockerfile"))
        .ok()
        .filter(|t| !t.contains(MARKER))
        .and_then(|t| dockerfile_python(&t))
    {
        found.push(("the Dockerfile's FROM python:".to_string(), v));
    }
    found
}

/// The Python version of the first `FROM python:TAG` (or `…/library/python:TAG`) of a
/// Dockerfile, an `ARG` default standing in for `${NAME}`.
fn dockerfile_python(text: &str) -> Option<String> {
    let arg = |name: &str| {
        text.lines().find_map(|l| {
            let rest = l.trim().strip_prefix("ARG ")?.trim();
            let (k, v) = rest.split_once('=')?;
            (k.trim() == name).then(|| v.trim().trim_matches(['"', '\'']).to_string())
        })
    };
    text.lines().find_map(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        if !words.first()?.eq_ignore_ascii_case("FROM") {
            return None;
        }
        let image = words[1..].iter().find(|w| !w.starts_with("--"))?;
        let (repo, tag) = image.split_once(':')?;
        if repo != "python" && !repo.ends_with("/library/python") && repo != "library/python" {
            return None;
        }
        let tag = tag.split('@').next().unwrap_or(tag);
        let tag = match tag
            .strip_prefix("${")
            .and_then(|t| t.split_once('}'))
            .or_else(|| {
                let t = tag.strip_prefix('$')?;
                let end = t
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(t.len());
                Some((&t[..end], &t[end..]))
            }) {
            Some((name, rest)) => format!("{}{rest}", arg(name)?),
            None => tag.to_string(),
        };
        // `3.11-slim-bookworm` → `3.11`; a tag without a version (`slim`, `latest`) pins nothing.
        let version: String = tag
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        (!version.is_empty()).then_some(version)
    })
}

/// `3.11`, `3.11.9`, `python-3.11.9`, `cpython-3.11.9`, `cpython@3.11`, `3.11.9-linux-x86_64`
/// (uv); not `pypy3.10`, `system`, `3.13t` (free-threaded) or `3.12.0rc1`.
fn parse(value: &str) -> Option<Version> {
    let v = value.trim();
    let v = ["cpython-", "cpython@", "python-", "python@", "python"]
        .iter()
        .find_map(|p| v.strip_prefix(p))
        .unwrap_or(v);
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (number, rest) = v.split_at(end);
    if !(rest.is_empty() || rest.starts_with('-')) {
        return None;
    }
    let parts: Vec<&str> = number.split('.').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || p.len() > 3) {
        return None;
    }
    let major: u32 = parts[0].parse().ok()?;
    let minor: u32 = parts[1].parse().ok()?;
    if major != 3 {
        return None;
    }
    Some(Version {
        minor: u8::try_from(minor).ok()?,
        text: number.to_string(),
    })
}

/// The lock's own Python bound: `uv.lock` `requires-python`, `poetry.lock`
/// `[metadata] python-versions`.
fn lock_bound(target: &Path) -> Option<(String, String)> {
    let table = |file: &str| {
        fsread::read_in(target, &target.join(file), fsread::PYPROJECT_MAX)
            .ok()
            .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
    };
    let spec = |s: &str| {
        (!s.is_empty() && crate::safety::forbidden_char(s).is_none()).then(|| s.to_string())
    };
    if let Some(s) =
        table("uv.lock").and_then(|t| t.get("requires-python")?.as_str().and_then(spec))
    {
        return Some((s, "uv.lock requires-python".into()));
    }
    table("poetry.lock")
        .and_then(|t| {
            t.get("metadata")?
                .get("python-versions")?
                .as_str()
                .and_then(spec)
        })
        .filter(|s| s != "*")
        .map(|s| (s, "poetry.lock python-versions".into()))
}

/// The 3.X minors `Programming Language :: Python :: 3.X` classifiers list.
fn classifier_minors(doc: &toml::Table) -> Vec<u8> {
    let classifiers = doc
        .get("project")
        .and_then(|p| p.get("classifiers"))
        .or_else(|| doc.get("tool")?.get("poetry")?.get("classifiers"))
        .and_then(|c| c.as_array());
    classifiers
        .into_iter()
        .flatten()
        .filter_map(|c| {
            c.as_str()?
                .strip_prefix("Programming Language :: Python :: 3.")
        })
        .filter_map(|m| m.trim().parse::<u8>().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::project;
    use super::*;

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
        for bad in [
            "pypy3.10",
            "system",
            "3.13t",
            "3.12.0rc1",
            "3",
            "2.7.18",
            "3.1234",
            "3.300",
        ] {
            assert!(
                parse(bad).is_none_or(|v| !PYTHON_MINORS.contains(&v.minor)),
                "{bad}"
            );
        }
        assert_eq!(parse("python-3.11.9").unwrap().text, "3.11.9");
        assert_eq!(parse("cpython@3.13").unwrap().minor, 13);
        // A Dockerfile whose tag has no version pins nothing.
        assert_eq!(dockerfile_python("FROM python:slim\n"), None);
        assert_eq!(
            dockerfile_python("FROM node:20\nFROM docker.io/library/python:3.11.9-alpine\n")
                .as_deref(),
            Some("3.11.9")
        );
    }
}
