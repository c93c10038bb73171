//! Lock files and requirements files: what pins the dependencies.

use std::path::Path;

use crate::answers::{Field, Raw};

use super::{Detection, Lock};

/// `uv.lock` (then uv installs exactly it), else `poetry.lock`, `pdm.lock` or `pylock.toml`
/// (pip installs their pinned versions as constraints), and `requirements*.txt` files.
pub(super) fn detect_locks(target: &Path, d: &mut Detection) {
    d.facts.requirements = list_requirements(target);
    // A requirements.txt that pins with hashes (`pip-compile --generate-hashes`, `uv export`)
    // is the truth for pip: installed as is, with --require-hashes.
    d.facts.hashed_requirements = d
        .facts
        .requirements
        .iter()
        .find(|r| *r == HASHED)
        .filter(|r| {
            super::read(target, &target.join(r)).is_ok_and(|t| t.contains("--hash=sha256:"))
        })
        .cloned();
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

/// The requirements file read for hashes (a fixed name: it is pasted into the Dockerfiles).
const HASHED: &str = "requirements.txt";

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
