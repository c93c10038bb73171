//! The layering of the modules, as tests: a module uses only modules of an earlier layer
//! (`modules_import_only_downstream`), and the files of a folder use each other without a
//! loop (`files_of_a_folder_import_without_a_loop`). `docs/architecture.md` draws the same.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules in layers: a module may use only modules of an earlier layer, so data flows
/// one way and no two modules import each other. `docs/architecture.md` draws the same.
const LAYERS: &[&[&str]] = &[
    &["safety", "secrets"],
    &["embedded", "fsread", "merge", "model", "shell"],
    &["answers", "catalogue", "facts"],
    &["error"],
    &[
        "cli",
        "detect",
        "context",
        "journal",
        "justfile",
        "overrides",
        "plan",
        "store",
    ],
    &["render", "output", "report"],
    &["artifacts", "wizard"],
    &["apply", "blueprints", "inputs", "rerun"],
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` is in no layer of LAYERS"))
}

/// `crate::x` paths used anywhere in `text`.
fn uses(text: &str) -> Vec<String> {
    text.match_indices("crate::")
        .map(|(i, m)| {
            text[i + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

/// The files of the same folder that `text` uses: `super::x` and `crate::folder::x` paths
/// (also inside `{…}` groups) whose `x` is one of `siblings`. An item of the folder's
/// `mod.rs` (`super::Layers`) is the folder's own glue, not a sibling.
fn sibling_uses(text: &str, folder: &str, siblings: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let crate_path = format!("crate::{folder}::");
    for prefix in ["super::", crate_path.as_str()] {
        for (i, _) in text.match_indices(prefix) {
            if text[..i].ends_with("super::") {
                continue;
            }
            let rest = &text[i + prefix.len()..];
            let names: Vec<String> = match rest.strip_prefix('{') {
                // The top-level names of a group: `{rules::{self, X}, Raw}` → rules, Raw.
                Some(group) => {
                    let (mut depth, mut names, mut at_start) = (0, Vec::new(), true);
                    let mut name = String::new();
                    for c in group.chars() {
                        match c {
                            '{' => depth += 1,
                            '}' if depth == 0 => break,
                            '}' => depth -= 1,
                            ',' if depth == 0 => at_start = true,
                            c if depth == 0 && at_start => {
                                if c.is_ascii_alphanumeric() || c == '_' {
                                    name.push(c);
                                } else if !name.is_empty() {
                                    names.push(std::mem::take(&mut name));
                                    at_start = false;
                                }
                            }
                            _ => {}
                        }
                    }
                    names.extend((!name.is_empty()).then_some(name));
                    names
                }
                None => vec![rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect()],
            };
            out.extend(names.into_iter().filter(|n| siblings.contains(n)));
        }
    }
    out
}

/// A loop in `edges` (file → files it uses), as the files around it, if there is one.
fn find_loop(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|n| visit(n, edges, &mut Vec::new(), &mut done))
}

/// Inside a folder (`answers/`, `detect/`), the files use each other one way only: no loop.
#[test]
fn files_of_a_folder_import_without_a_loop() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut folders = 0;
    for dir in std::fs::read_dir(&src).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        folders += 1;
        let folder = dir.file_name().unwrap().to_str().unwrap().to_string();
        let files: BTreeMap<String, String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .map(|p| {
                let name = p.file_stem().unwrap().to_str().unwrap().to_string();
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .filter(|(name, _)| name != "mod")
            .collect();
        let siblings: Vec<String> = files.keys().cloned().collect();
        let edges: BTreeMap<String, BTreeSet<String>> = files
            .iter()
            .map(|(name, text)| {
                let uses = sibling_uses(text, &folder, &siblings)
                    .into_iter()
                    .filter(|u| u != name)
                    .collect();
                (name.clone(), uses)
            })
            .collect();
        if let Some(cycle) = find_loop(&edges) {
            panic!(
                "src/{folder}/: {} use each other in a loop",
                cycle.join(" → ")
            );
        }
    }
    assert!(folders >= 2, "only {folders} folders read");
    // The check itself can fail: grouped paths are read, and a loop is found.
    let siblings = ["rules".to_string(), "table".to_string()];
    assert_eq!(
        sibling_uses(
            "use super::{rules::{self, Fallback}, Raw};\nuse super::super::table;\nx(crate::answers::table::P)",
            "answers",
            &siblings
        ),
        ["rules", "table"]
    );
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), ["b".to_string()].into()),
        ("b".to_string(), ["a".to_string()].into()),
    ]
    .into();
    assert_eq!(find_loop(&edges).unwrap(), ["a", "b", "a"]);
}

#[test]
fn modules_import_only_downstream() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let first = rel.components().next().unwrap().as_os_str();
        let module = first.to_str().unwrap().trim_end_matches(".rs");
        // The crate root glues every step; this file is the check itself.
        if matches!(module, "lib" | "main" | "layering") {
            continue;
        }
        seen += 1;
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for used in uses(&text) {
            if used == module {
                continue;
            }
            assert!(
                layer(&used) < layer(module),
                "{} uses crate::{used}, which is not upstream of `{module}`",
                rel.display()
            );
        }
    }
    assert!(seen >= 14, "only {seen} module files read");
    // The check itself can fail: an import back up is caught.
    assert!(uses("use crate::render::Renders;") == ["render"]);
    assert!(layer("render") >= layer("context"));
}
