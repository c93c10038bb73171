//! Lock files and requirements files: what pins the dependencies.

use std::path::Path;

use crate::answers::{Field, Raw};

use super::{Detection, Lock};

/// `uv.lock` (then uv installs exactly it), else `poetry.lock`, `pdm.lock` or `pylock.toml`
/// (pip installs their pinned versions as constraints), and `requirements*.txt` files.
pub(super) fn detect_locks(target: &Path, d: &mut Detection) {
    d.facts.requirements = list_requirements(target);
    if target.join("uv.lock").is_file() {
        d.facts.lock = Some(Lock::Uv);
        d.answers.insert(Field::Installer, Raw::Text("uv".into()));
        d.origins.insert(Field::Installer, "uv.lock".into());
    } else {
        d.facts.lock = [Lock::Poetry, Lock::Pdm, Lock::Pylock]
            .into_iter()
            .find(|l| target.join(l.file()).is_file());
    }
}

fn list_requirements(target: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(target) else {
        return Vec::new();
    };
    let mut reqs: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("requirements") && n.ends_with(".txt"))
        .collect();
    reqs.sort();
    reqs
}
