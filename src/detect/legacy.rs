//! A setuptools project without `pyproject.toml` (`setup.py`, `setup.cfg`): its code is never
//! run, so it reads as a library named and bounded by what `setup.cfg`, `PKG-INFO` or a literal
//! `name=` in `setup.py` say.

use std::path::Path;

use crate::answers::{Field, Raw};

use super::building::detect_building;
use super::layout::detect_layout;
use super::pins::detect_python;
use super::ports::detect_ports;
use super::testing::ini_value;
use super::{detect_tests, highest_minor, read, Detection};

/// Everything read of a project without `pyproject.toml` that is not an application.
pub(super) fn detect_legacy(target: &Path, d: &mut Detection) {
    detect_layout(target, None, d);
    detect_tests(target, None, d);
    detect_building(target, None, d);
    setup_cfg_metadata(target, d);
    detect_python(target, None, d);
    detect_ports(target, d);
}

/// A project without `pyproject.toml`: name and Python constraint from `setup.cfg` when it has
/// them; a library unless the flags say otherwise (setup.py's code is never run here).
fn setup_cfg_metadata(target: &Path, d: &mut Detection) {
    let cfg = read(target, &target.join("setup.cfg")).unwrap_or_default();
    if let Some((name, why)) = legacy_name(target) {
        d.answers.insert(Field::Name, Raw::Text(name));
        d.origins.insert(Field::Name, why.into());
    }
    if let Some(spec) = ini_value(&cfg, "options", "python_requires") {
        d.facts.requires_python = Some((spec.clone(), "setup.cfg python_requires".into()));
        if let Some(minor) = highest_minor(&spec) {
            d.answers
                .insert(Field::Python, Raw::Text(format!("3.{minor}")));
            d.origins
                .insert(Field::Python, format!("setup.cfg python_requires {spec}"));
        }
    }
    d.answers.insert(Field::Kind, Raw::Text("library".into()));
    d.origins.insert(
        Field::Kind,
        "setup.py project: its code is not run, so no console script or framework is read".into(),
    );
}

/// The distribution name where setuptools keeps it outside `pyproject.toml`: `setup.cfg`
/// `[metadata] name`, an sdist's `PKG-INFO`, or a literal `name=` in `setup.py`.
pub(super) fn legacy_name(target: &Path) -> Option<(String, &'static str)> {
    let cfg = read(target, &target.join("setup.cfg")).unwrap_or_default();
    let pkg_info = read(target, &target.join("PKG-INFO")).unwrap_or_default();
    let setup_py = read(target, &target.join("setup.py")).unwrap_or_default();
    ini_value(&cfg, "metadata", "name")
        .map(|n| (n, "setup.cfg [metadata] name"))
        .or_else(|| {
            pkg_info
                .lines()
                .find_map(|l| l.strip_prefix("Name: "))
                .map(|n| (n.trim().to_string(), "PKG-INFO Name"))
        })
        .or_else(|| setup_py_name(&setup_py).map(|n| (n, "setup.py name=")))
        .filter(|(n, _)| !n.is_empty())
}

/// `name="…"` in a `setup(…)` call, when it is a literal.
fn setup_py_name(text: &str) -> Option<String> {
    let at = text.find("name=").or_else(|| text.find("name ="))?;
    let rest = text[at..].split_once('=')?.1.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value: String = rest[1..].chars().take_while(|c| *c != quote).collect();
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .then_some(value)
}
