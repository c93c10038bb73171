//! The pin files that exist and the value each pins: `.python-version`, `runtime.txt`,
//! `.tool-versions`, `Pipfile` `[requires]`, and the project's own Dockerfile (not one
//! dockwright wrote).

use std::path::Path;

use crate::model::MARKER;

use super::super::read;

/// The pin files that exist, in order, each with the value it pins (first line, comments out).
pub(super) fn pins(target: &Path) -> Vec<(String, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dockerfile_pins_the_version_of_its_first_python_image() {
        // A Dockerfile whose tag has no version pins nothing.
        assert_eq!(dockerfile_python("FROM python:slim\n"), None);
        assert_eq!(
            dockerfile_python("FROM node:20\nFROM docker.io/library/python:3.11.9-alpine\n")
                .as_deref(),
            Some("3.11.9")
        );
    }
}
