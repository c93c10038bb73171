//! Answers that each pass their own rule but contradict each other: a command that starts a
//! server the image does not install, an official `python:X.Y` base image whose Python the
//! project's `requires-python` does not allow. Each is refused like a broken rule (the value,
//! the rule, an example), so the run stops before anything is written.

use super::python;
use super::serving::needed_server;
use super::table::{Field, Preview};
use super::{Layers, Problem};
use crate::model::Origin;

/// Every contradiction between the resolved answers.
pub fn contradictions(p: &Preview, layers: &Layers) -> Vec<Problem> {
    let mut problems = Vec::new();
    problems.extend(server_of_the_command(p, layers));
    problems.extend(base_image_python(p, layers));
    problems
}

/// A server answer given (a flag, the answers file) that leaves out the server the command
/// starts: the container could not start. The default never does (it is `needed_server`).
fn server_of_the_command(p: &Preview, layers: &Layers) -> Option<Problem> {
    let server = p.server.as_ref()?;
    if matches!(server.origin, Origin::Default(_)) {
        return None;
    }
    let (pin, why) = needed_server(layers, p)?;
    let dist = pin.split("==").next().unwrap_or(&pin).to_string();
    let has = server
        .value
        .iter()
        .any(|r| super::normalize_name(r.split("==").next().unwrap_or(r)) == dist);
    if has {
        return None;
    }
    let mut with = server.value.clone();
    with.push(pin.clone());
    let rule = format!(
        "must install {dist}: the command starts it and the image would not have it ({why}); add it, or declare it in the project's dependencies"
    );
    let rule = match &server.origin {
        Origin::Flag | Origin::Typed => rule,
        other => format!("{rule}; the value came {other}"),
    };
    Some(Problem {
        field: Field::Server,
        value: server.value.join(","),
        rule,
        example: with.join(","),
    })
}

/// The Python minor version of an official Python image (`python:3.11-slim`,
/// `docker.io/library/python:3.12.4-bookworm`); `None` for any other image, or a tag that does
/// not name the minor version (`python:3-slim`, `python:latest`, a digest).
pub fn official_python_minor(image: &str) -> Option<u8> {
    let image = image.strip_prefix("docker.io/").unwrap_or(image);
    let image = image.strip_prefix("library/").unwrap_or(image);
    let tag = image.strip_prefix("python:")?;
    let tag = tag.split('@').next().unwrap_or(tag);
    let rest = tag.strip_prefix("3.")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[digits.len()..];
    if digits.is_empty() || !(after.is_empty() || after.starts_with(['.', '-'])) {
        return None;
    }
    digits.parse().ok()
}

/// An official `python:3.Y` base image must run a Python that `requires-python` allows.
fn base_image_python(p: &Preview, layers: &Layers) -> Option<Problem> {
    // The default follows the Python answer, which has its own check against requires-python.
    let image = p
        .base_image
        .as_ref()
        .filter(|i| !matches!(i.origin, Origin::Default(_)))?;
    let (spec, place) = layers.requires_python.as_ref()?;
    let minor = official_python_minor(&image.value)?;
    if python::allows(spec, minor) {
        return None;
    }
    let range = python::allowed_minors(spec);
    // Read from the project: shown escaped and cut.
    let (place, spec) = (crate::safety::shown(place), crate::safety::shown(spec));
    let fix = if range.is_empty() {
        "it allows none of the supported versions 3.9 to 3.14; change requires-python".to_string()
    } else {
        format!(
            "use an image of Python {} (or change requires-python)",
            range.join(", ")
        )
    };
    let rule = format!("runs Python 3.{minor}, which {place} `{spec}` does not allow: {fix}");
    let rule = match &image.origin {
        Origin::Flag | Origin::Typed => rule,
        other => format!("{rule}; the value came {other}"),
    };
    let example = match range.last() {
        Some(v) => format!("python:{v}-slim"),
        None => "python:3.12-slim".into(),
    };
    Some(Problem {
        field: Field::BaseImage,
        value: image.value.clone(),
        rule,
        example,
    })
}

/// A base image that is not an official `python:3.Y` one: its Python version cannot be
/// checked against `requires-python` and the Python answer (a note, not a refusal).
pub fn unchecked_base_image(image: &str) -> bool {
    official_python_minor(image).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_python_images_name_their_minor_version() {
        for (image, minor) in [
            ("python:3.11-slim", Some(11)),
            ("python:3.12", Some(12)),
            ("python:3.13.1-bookworm", Some(13)),
            ("docker.io/library/python:3.9-alpine", Some(9)),
            ("library/python:3.10-slim", Some(10)),
            ("python:3-slim", None),
            ("python:latest", None),
            ("python@sha256:0123", None),
            ("ghcr.io/org/python:3.12", None),
            ("pypy:3.10", None),
            ("python:3.1x", None),
        ] {
            assert_eq!(official_python_minor(image), minor, "{image}");
        }
    }
}
