//! What bounds or caps the pinned version: the lock's own Python bound, and the versions the
//! trove classifiers list.

use std::path::Path;

use crate::fsread;

/// The lock's own Python bound: `uv.lock` `requires-python`, `poetry.lock`
/// `[metadata] python-versions`.
pub(super) fn lock_bound(target: &Path) -> Option<(String, String)> {
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
pub(super) fn classifier_minors(doc: &toml::Table) -> Vec<u8> {
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
