//! The layering of the modules, as tests: a module uses only modules of an earlier layer
//! (`modules_import_only_downstream`), and the files of a folder, at any depth, use each other
//! without a loop (`files_of_a_folder_import_without_a_loop`). `docs/architecture.md` draws the
//! same.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules in layers: a module may use only modules of an earlier layer, so data flows
/// one way and no two modules import each other. `docs/architecture.md` draws the same.
const LAYERS: &[&[&str]] = &[
    &["random", "safety", "secrets"],
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

/// The module path of the file `rel` (relative to `src/`): `detect/pins/files.rs` is
/// `detect::pins::files`, `detect/pins/mod.rs` is `detect::pins`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_str().unwrap().to_string())
        .collect();
    let file = parts.pop().unwrap();
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The inline modules (`mod tests {`) open on each line of `text`, outermost first. rustfmt puts
/// a module's closing brace alone on a line, at the indentation of its `mod`.
fn inline_modules(text: &str) -> Vec<Vec<String>> {
    let mut open: Vec<(String, String)> = Vec::new();
    text.lines()
        .map(|line| {
            let here = open.iter().map(|(_, name)| name.clone()).collect();
            let body = line.trim_start();
            let indent = &line[..line.len() - body.len()];
            let declared = body
                .strip_prefix("pub")
                .map(|v| match v.strip_prefix('(') {
                    Some(v) => v.split_once(')').map_or("", |(_, v)| v),
                    None => v,
                })
                .map_or(body, str::trim_start)
                .strip_prefix("mod ")
                .and_then(|v| v.strip_suffix(" {"))
                .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
            if open.last().is_some_and(|(i, _)| line == format!("{i}}}")) {
                open.pop();
            } else if let Some(name) = declared {
                open.push((indent.to_string(), name.to_string()));
            }
            here
        })
        .collect()
}

/// The top-level names of a `{…}` group (the text after its `{`): `{rules::{self, X}, Raw}` →
/// rules, Raw.
fn group_names(group: &str) -> Vec<String> {
    let (mut depth, mut names, mut at_start) = (0, Vec::new(), true);
    let mut name = String::new();
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.extend((!name.is_empty()).then(|| std::mem::take(&mut name)));
                at_start = true;
            }
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

/// Every `crate::…`, `super::…` and `self::…` path of `text` (the file of module `module`),
/// made absolute: `super::` is the parent of the module it is written in, an inline module
/// (`mod tests {`) included; a `{…}` group gives one path per top-level name.
fn paths_used(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let inline = inline_modules(text);
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut starts: Vec<usize> = ["crate::", "super::", "self::"]
        .iter()
        .flat_map(|prefix| text.match_indices(prefix).map(|(i, _)| i))
        .collect();
    starts.sort_unstable();
    let mut out = Vec::new();
    for i in starts {
        // Not the tail of a longer path (`super::super::`) or of a name (`mycrate::`).
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c == ':' || c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        let line = text[..i].matches('\n').count();
        let mut here: Vec<String> = module.to_vec();
        here.extend(inline[line].iter().cloned());
        let mut rest = &text[i..];
        let mut path = match rest.strip_prefix("crate::") {
            Some(r) => {
                rest = r;
                Vec::new()
            }
            None => here,
        };
        if let Some(r) = rest.strip_prefix("self::") {
            rest = r;
        }
        let mut outside = false;
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
            outside |= path.pop().is_none();
        }
        if outside {
            continue;
        }
        loop {
            if let Some(group) = rest.strip_prefix('{') {
                for name in group_names(group) {
                    let mut p = path.clone();
                    if name != "self" {
                        p.push(name);
                    }
                    out.push(p);
                }
                break;
            }
            let name = ident(rest);
            if name.is_empty() {
                out.push(path);
                break;
            }
            rest = &rest[name.len()..];
            path.push(name);
            match rest.strip_prefix("::") {
                Some(r) => rest = r,
                None => {
                    out.push(path);
                    break;
                }
            }
        }
    }
    out
}

/// The modules directly inside `folder` that the paths of `text` (the file of module `module`)
/// reach: `detect::pins::version::Version` used in `detect/pins/files.rs` is `version` for the
/// folder `detect::pins`, and `pins` for `detect`.
fn children_used(text: &str, module: &[String], folder: &[String]) -> Vec<String> {
    paths_used(text, module)
        .into_iter()
        .filter(|p| p.len() > folder.len() && p.starts_with(folder))
        .map(|p| p[folder.len()].clone())
        .collect()
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

/// Inside a folder at any depth (`answers/`, `detect/`, `detect/requirements/`), the files and
/// the folders it holds use each other one way only: no loop. A folder inside counts as one
/// node of its parent (`detect/requirements/read.rs` using `super::super::metadata` is
/// `requirements/` using `metadata` in `detect/`); the folder's `mod.rs` is its glue.
#[test]
fn files_of_a_folder_import_without_a_loop() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // Every file under `src/`: its path, its module path and its text.
    let sources: Vec<(std::path::PathBuf, Vec<String>, String)> = walkdir::WalkDir::new(&src)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap().to_path_buf();
            let module = module_of(&rel);
            (rel, module, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    let (mut folders, mut nested) = (0, 0);
    for dir in walkdir::WalkDir::new(&src).min_depth(1) {
        let dir = dir.unwrap();
        if !dir.file_type().is_dir() {
            continue;
        }
        let rel_dir = dir.path().strip_prefix(&src).unwrap();
        let folder: Vec<String> = module_of(&rel_dir.join("mod.rs"));
        folders += 1;
        nested += usize::from(folder.len() > 1);
        // The nodes: each file but `mod.rs` (`read`), each folder inside (`requirements/`).
        let mut node_of: BTreeMap<String, String> = BTreeMap::new();
        for (rel, _, _) in &sources {
            let Ok(inside) = rel.strip_prefix(rel_dir) else {
                continue;
            };
            let mut parts = inside.components();
            let first = parts.next().unwrap().as_os_str().to_str().unwrap();
            match (first.strip_suffix(".rs"), parts.next()) {
                (Some("mod"), None) => {}
                (Some(stem), None) => {
                    node_of.insert(stem.to_string(), stem.to_string());
                }
                _ => {
                    node_of.insert(first.to_string(), format!("{first}/"));
                }
            }
        }
        let mut edges: BTreeMap<String, BTreeSet<String>> = node_of
            .values()
            .map(|n| (n.clone(), BTreeSet::new()))
            .collect();
        for (rel, module, text) in &sources {
            let Ok(inside) = rel.strip_prefix(rel_dir) else {
                continue;
            };
            let first = inside.components().next().unwrap().as_os_str();
            let Some(from) = node_of.get(first.to_str().unwrap().trim_end_matches(".rs")) else {
                continue;
            };
            for used in children_used(text, module, &folder) {
                if let Some(to) = node_of.get(&used).filter(|to| *to != from) {
                    edges.get_mut(from).unwrap().insert(to.clone());
                }
            }
        }
        if let Some(cycle) = find_loop(&edges) {
            panic!(
                "src/{}/: {} use each other in a loop",
                rel_dir.display(),
                cycle.join(" → ")
            );
        }
    }
    assert!(folders >= 10, "only {folders} folders read");
    assert!(nested >= 5, "only {nested} folders inside folders read");
    // The check itself can fail: grouped paths are read, `super::` is resolved from the module
    // it is written in (an inline `mod tests` included), and a loop is found.
    let module = |m: &[&str]| -> Vec<String> { m.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        children_used(
            "use super::{rules::{self, Fallback}, Raw};\nuse super::super::table;\nx(crate::answers::table::P)",
            &module(&["answers", "check"]),
            &module(&["answers"]),
        ),
        ["rules", "Raw", "table"]
    );
    let files = "use super::version::Version;\nuse super::super::read;\n\n#[cfg(test)]\nmod tests {\n    use super::super::bounds;\n    use super::parse;\n}\nuse crate::detect::requirements::{read, lines};\n";
    let pins_files = module(&["detect", "pins", "files"]);
    assert_eq!(
        children_used(files, &pins_files, &module(&["detect", "pins"])),
        ["version", "bounds", "files"]
    );
    assert_eq!(
        children_used(files, &pins_files, &module(&["detect"])),
        [
            "pins",
            "read",
            "pins",
            "pins",
            "requirements",
            "requirements"
        ]
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

/// Issue 16: small modules named after what they own; no file under `src/` over 420 lines
/// (tests included), so a reader sees one concern at a time. A file that grows past it is
/// split by responsibility (a folder with a `mod.rs`, as `detect/requirements/`).
#[test]
fn no_module_is_over_420_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "rs") {
            files += 1;
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            if lines > 420 {
                long.push(format!("{} has {lines} lines", path.display()));
            }
        }
    }
    assert!(files > 100, "only {files} files under {}", src.display());
    assert!(
        long.is_empty(),
        "split by responsibility:\n{}",
        long.join("\n")
    );
}
