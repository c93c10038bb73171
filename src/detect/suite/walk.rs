//! The bounded walk of the tree for what the suite reads: test modules, Django settings,
//! `conftest.py` and requirements files.

use std::path::Path;

/// Directories the walk for test modules never enters.
pub(super) const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "venv",
    "env",
    "site-packages",
    "__pycache__",
    "build",
    "dist",
];

/// How deep the walk for test modules and settings goes, and how many entries it reads.
const MAX_DEPTH: usize = 4;
pub(super) const MAX_ENTRIES: usize = 5000;

/// What the walk of the tree found (paths relative to the project, `/`-separated, sorted).
#[derive(Default)]
pub(super) struct Walk {
    pub(super) test_modules: Vec<String>,
    pub(super) settings: Vec<String>,
    pub(super) conftests: Vec<String>,
    pub(super) requirement_files: Vec<String>,
}

/// A bounded walk (depth, entries; no symbolic links, no hidden or virtual-environment
/// directories) for test modules, Django settings, `conftest.py` and requirements files.
pub(super) fn walk(target: &Path) -> Walk {
    let mut found = Walk::default();
    let mut queue: Vec<(std::path::PathBuf, String, usize)> =
        vec![(target.to_path_buf(), String::new(), 0)];
    let mut seen = 0;
    while let Some((dir, rel, depth)) = queue.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_ENTRIES {
                break;
            }
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if kind.is_dir() {
                if depth + 1 < MAX_DEPTH
                    && !name.starts_with('.')
                    && !SKIP_DIRS.contains(&name.as_str())
                    && !name.ends_with(".egg-info")
                {
                    queue.push((entry.path(), path, depth + 1));
                }
                continue;
            }
            if !kind.is_file() || !name.ends_with(".py") && !name.ends_with(".txt") {
                continue;
            }
            if name == "tests.py"
                || (name.starts_with("test_") || name.ends_with("_test.py"))
                    && name.ends_with(".py")
            {
                found.test_modules.push(path);
            } else if name == "conftest.py" && depth <= 1 {
                found.conftests.push(path);
            } else if name.ends_with(".py")
                && (name.starts_with("settings") || rel.rsplit('/').next() == Some("settings"))
            {
                found.settings.push(path);
            } else if name.ends_with(".txt") && rel.rsplit('/').next() == Some("requirements") {
                found.requirement_files.push(path);
            }
        }
    }
    found.test_modules.sort();
    found.settings.sort();
    found.conftests.sort();
    found.requirement_files.sort();
    found
}
