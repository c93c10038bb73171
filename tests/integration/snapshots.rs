//! Snapshots, and the helpers every snapshot test uses (`assert_text`, `assert_files`).
//!
//! Generated files are stored once per distinct output, in a content-addressed store:
//!
//! - Every *producer* (an answer set of `answer_sets.rs`, or a fixture `init` retrofits in
//!   `fixtures.rs`) gets one small index snapshot named by its id (`web-default`,
//!   `fixture-flask-flat-files`): its project's name, image and package, then one line a
//!   generated file, `path -> snapshot`.
//! - Every distinct file output is one snapshot named after the file and the first producer that
//!   wrote it: `Dockerfile@web-default`, `src-package-app.py@web-ci-github` (the path without
//!   a leading dot, `/` as `-`; a fixture by its name: `Dockerfile@fixture-flask-flat`).
//!   Producers are ordered answer sets first, then fixtures, each by id, so names do not depend
//!   on which test runs first. Before comparing, the project's identity is replaced by placeholders (`«name»`,
//!   `«image»`, `«package»`, `«package-path»`, listed in each index) and the hashes in
//!   `.dockwright.toml` are checked against the files and replaced by `«sha256 of the file»`: two
//!   projects that differ only by name share their outputs.
//! - The first distinct output of a file is stored as plain content. The others are joined to it
//!   as a tree by their smallest diffs (Prim's algorithm): each is stored as a diff from the output
//!   it differs least from among those the tree already holds, earlier or later in producer order
//!   (`diff from Dockerfile@fixture-flask-flat`, then zero-context hunks anchored on the line they
//!   follow, no line numbers), unless the diff would be longer than the file. So a blueprint line shared by all
//!   outputs changes the plain snapshots only, and a line inserted elsewhere renumbers nothing.
//!
//! The store is computed once per test run from every producer (`catalog()`); each producer's
//! test asserts its index and the outputs it was the first to write. `no_orphan_snapshots` fails
//! on a file in `snapshots/` that no test produces any more (insta never deletes one), and
//! `snapshots_stay_within_three_lines_per_blueprint_line` on a store grown past issue 16's bound.
//! Re-bless with `INSTA_UPDATE=always cargo test --test integration -- snapshots:: fixtures::` and read the diff.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use dockwright::answers::file::hash;
use dockwright::answers::{normalize_name, package_from_name, Field, Raw};
use similar::{DiffOp, TextDiff};

use crate::answer_sets::ANSWER_SETS;
use crate::test::tree;

/// One answer set or fixture run: what it wrote and the identity its outputs are normalized by.
pub(crate) struct Producer {
    /// The index snapshot's name.
    pub id: String,
    /// The command that produced the files.
    pub description: String,
    pub files: BTreeMap<String, String>,
    /// `(placeholder, value)`, longest value first.
    pub identity: Vec<(&'static str, String)>,
}

impl Producer {
    /// The producer of `files`, generated in `root`: the identity comes from the recorded
    /// answers, else from detection, else from the name.
    pub(crate) fn new(
        id: String,
        description: String,
        root: &Path,
        files: BTreeMap<String, String>,
    ) -> Producer {
        let files = without_base_store(&id, files);
        let record = files
            .get(".dockwright.toml")
            .map(|r| toml::from_str::<toml::Value>(r).expect("the record is TOML"));
        let answer = |key: &str| {
            record
                .as_ref()
                .and_then(|r| r.get("answers")?.get(key)?.as_str().map(String::from))
        };
        let name = answer("name").unwrap_or_else(|| panic!("{id}: no name in .dockwright.toml"));
        let package = answer("package")
            .or_else(|| {
                let detection = dockwright::detect::detect(root).ok()?;
                match detection.answers.get(&Field::Package) {
                    Some(Raw::Text(p)) => Some(p.clone()),
                    _ => None,
                }
            })
            .unwrap_or_else(|| package_from_name(&name));
        let mut identity: Vec<(&'static str, String)> = Vec::new();
        // Where two are the same text, the first here names it: the package is the most used.
        for (placeholder, value) in [
            ("«package»", package.clone()),
            ("«package-path»", package.replace('.', "/")),
            ("«image»", normalize_name(&name)),
            ("«name»", name.clone()),
        ] {
            if !identity.iter().any(|(_, v)| *v == value) {
                identity.push((placeholder, value));
            }
        }
        identity.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        Producer {
            id,
            description,
            files,
            identity,
        }
    }

    /// The producer in the names of the outputs it wrote first: its id without `-files`.
    fn label(&self) -> &str {
        self.id.strip_suffix("-files").unwrap_or(&self.id)
    }

    /// `text` with every identity value that stands alone (no letter, digit or `_` on either
    /// side) replaced by its placeholder, longest value first.
    fn normalize(&self, text: &str) -> String {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        'scan: while let Some(c) = rest.chars().next() {
            for (placeholder, value) in &self.identity {
                if rest.starts_with(value.as_str())
                    && !word(out.chars().next_back())
                    && !word(rest[value.len()..].chars().next())
                {
                    out.push_str(placeholder);
                    rest = &rest[value.len()..];
                    continue 'scan;
                }
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
        out
    }

    /// The file at `path` as stored: `.dockwright.toml`'s hashes checked and replaced, the
    /// identity replaced, and a missing final newline spelled out.
    fn stored_form(&self, path: &str, contents: &str) -> String {
        assert!(
            !contents.contains('«') && !path.contains('«'),
            "{}: `{path}` contains `«`, the placeholder mark: choose another mark in \
             tests/integration/snapshots.rs",
            self.id
        );
        let mut text = if path == ".dockwright.toml" {
            self.record_without_hashes(contents)
        } else {
            contents.to_string()
        };
        if !text.is_empty() && !text.ends_with('\n') {
            text.push_str("\n<no newline at end of file>\n");
        }
        self.normalize(&text)
    }

    /// `.dockwright.toml` with each `"path" = "sha256:…"` checked against the file written and
    /// replaced by a placeholder, so a change to any file does not change every record.
    fn record_without_hashes(&self, record: &str) -> String {
        let mut out = String::new();
        for line in record.split_inclusive('\n') {
            let entry = line
                .trim_end()
                .strip_prefix('"')
                .and_then(|l| l.split_once("\" = \"sha256:"));
            match entry {
                Some((file, _)) => {
                    let recorded = line.trim_end().rsplit_once(" = ").unwrap().1;
                    let written = self.files.get(file).unwrap_or_else(|| {
                        panic!(
                            "{}: .dockwright.toml records `{file}`, not written",
                            self.id
                        )
                    });
                    assert_eq!(
                        recorded.trim_matches('"'),
                        hash(written),
                        "{}: the recorded hash of `{file}` is not the file's",
                        self.id
                    );
                    out.push_str(&format!("\"{file}\" = \"«sha256 of the file»\"\n"));
                }
                None => out.push_str(line),
            }
        }
        out
    }
}

/// `files` without the base store: each `.dockwright/base/<path>` is checked to be exactly the
/// `<path>` written beside it (and recorded), then left out, so no output is stored twice.
fn without_base_store(id: &str, files: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let (store, rest): (BTreeMap<_, _>, BTreeMap<_, _>) = files
        .into_iter()
        .partition(|(p, _)| p.starts_with(".dockwright/base/"));
    for (path, text) in &store {
        let file = &path[".dockwright/base/".len()..];
        assert_eq!(
            rest.get(file),
            Some(text),
            "{id}: `{path}` is not the `{file}` written"
        );
    }
    rest
}

/// A distinct output, stored once.
struct Stored {
    /// The producer that wrote it first: its test asserts this snapshot.
    owner: String,
    /// Plain content, or a diff from an earlier output.
    text: String,
}

/// Every producer, and the store of distinct outputs they share.
struct Catalog {
    producers: Vec<Producer>,
    /// Per producer id: `(path, snapshot name)` for each file it wrote.
    indexes: BTreeMap<String, Vec<(String, String)>>,
    stored: BTreeMap<String, Stored>,
}

/// A snapshot name for the normalized `path`: no leading dot, `/` as `-`, no placeholder marks.
fn slug(path: &str) -> String {
    path.trim_start_matches('.')
        .replace('/', "-")
        .replace(['«', '»'], "")
}

/// `new` as a diff from `old`: zero-context hunks, each anchored on the nearest non-blank line
/// of `old` before it (line numbers would change with any line inserted above).
fn diff(old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let old_lines: Vec<&str> = old.lines().collect();
    let mut out = String::new();
    for group in diff.grouped_ops(0) {
        let start = group[0].old_range().start;
        let anchor = old_lines[..start]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty());
        match anchor {
            Some(line) => out.push_str(&format!("@@ after: {}\n", line.trim())),
            None => out.push_str("@@ at the start\n"),
        }
        for op in &group {
            if matches!(op, DiffOp::Equal { .. }) {
                continue;
            }
            for change in diff.iter_changes(op) {
                out.push_str(&format!("{}{}", change.tag(), change.value()));
                if change.missing_newline() {
                    out.push('\n');
                }
            }
        }
    }
    out
}

impl Catalog {
    fn build(producers: Vec<Producer>) -> Catalog {
        // Per normalized path: (stored form, snapshot name) of each distinct output so far.
        let mut seen: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        let mut slugs: BTreeMap<String, String> = BTreeMap::new();
        let mut stored = BTreeMap::new();
        let mut owners: BTreeMap<String, String> = BTreeMap::new();
        let mut indexes = BTreeMap::new();
        for producer in &producers {
            let mut index = Vec::new();
            for (path, contents) in &producer.files {
                let norm_path = producer.normalize(path);
                let text = producer.stored_form(path, contents);
                let slug = slug(&norm_path);
                if let Some(other) = slugs.insert(slug.clone(), norm_path.clone()) {
                    assert_eq!(
                        other, norm_path,
                        "two files share the snapshot name {slug}: change slug()"
                    );
                }
                let outputs = seen.entry(norm_path).or_default();
                let name = match outputs.iter().find(|(t, _)| *t == text) {
                    Some((_, name)) => name.clone(),
                    None => {
                        let name = format!("{slug}@{}", producer.label());
                        owners.insert(name.clone(), producer.id.clone());
                        outputs.push((text, name.clone()));
                        name
                    }
                };
                index.push((path.clone(), name));
            }
            indexes.insert(producer.id.clone(), index);
        }
        // Per file, the outputs joined as a tree by their smallest diffs (Prim's algorithm):
        // the first output is stored plain, and each further one, in the order the tree reaches
        // it, as a diff from the output already stored that it differs least from (the first
        // on a tie), or plain when that diff would be longer than the file.
        for outputs in seen.values() {
            let sizes: Vec<Vec<usize>> = outputs
                .iter()
                .map(|(old, _)| {
                    outputs
                        .iter()
                        .map(|(new, _)| diff(old, new).lines().count() + 1)
                        .collect()
                })
                .collect();
            let mut done = vec![false; outputs.len()];
            for _ in 0..outputs.len() {
                // The output not stored yet that is closest to one stored (or the first).
                let next = (0..outputs.len())
                    .filter(|&j| !done[j])
                    .map(|j| {
                        let base = (0..outputs.len())
                            .filter(|&i| done[i])
                            .min_by_key(|&i| (sizes[i][j], i));
                        (base.map_or(usize::MAX, |i| sizes[i][j]), j, base)
                    })
                    .min_by_key(|&(size, j, _)| (size, j))
                    .expect("an output left");
                let (size, j, base) = next;
                let (text, name) = &outputs[j];
                let text = match base {
                    Some(i) if size < text.lines().count() => {
                        let (old, old_name) = &outputs[i];
                        format!("diff from {old_name}\n{}", diff(old, text))
                    }
                    _ => text.clone(),
                };
                done[j] = true;
                let owner = owners[name].clone();
                stored.insert(name.clone(), Stored { owner, text });
            }
        }
        Catalog {
            producers,
            indexes,
            stored,
        }
    }

    fn producer(&self, id: &str) -> &Producer {
        self.producers
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| {
                panic!("no producer {id} in the snapshot catalog: add it to catalog()")
            })
    }

    /// The index snapshot of `producer`: its identity, then `path -> snapshot` a line.
    fn index(&self, producer: &Producer) -> String {
        let mut out = String::new();
        for (placeholder, value) in &producer.identity {
            out.push_str(&format!("{placeholder} = {value}\n"));
        }
        let index = &self.indexes[&producer.id];
        let width = index.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
        for (path, name) in index {
            out.push_str(&format!("{path:<width$} -> {name}\n"));
        }
        out
    }
}

/// Every producer, in naming order (answer sets, then fixtures, each by id), generated once per
/// test run.
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut sets: Vec<Producer> = ANSWER_SETS
            .iter()
            .map(|set| {
                let (_test, root) = set.generate();
                Producer::new(
                    set.id.to_string(),
                    format!("dockwright new proj --yes {}", set.args.join(" ")),
                    &root,
                    tree(&root),
                )
            })
            .collect();
        let mut fixtures: Vec<Producer> = crate::fixtures::SNAPSHOTTED
            .iter()
            .map(|(name, member)| crate::fixtures::init_fixture(name, member))
            .collect();
        sets.sort_by(|a, b| a.id.cmp(&b.id));
        fixtures.sort_by(|a, b| a.id.cmp(&b.id));
        sets.extend(fixtures);
        Catalog::build(sets)
    })
}

/// Settings shared by every snapshot: stored in `snapshots/`, named by id alone, described by
/// the command that produced it (when there is one).
pub(crate) fn settings(description: Option<String>) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    if let Some(description) = description {
        settings.set_description(description);
    }
    settings
}

/// Snapshots `text` as `id`.
#[track_caller]
pub(crate) fn assert_text(id: &str, description: String, text: &str) {
    settings(Some(description)).bind(|| insta::assert_snapshot!(id.to_string(), text));
}

/// Snapshots the `files` producer `id` generated: its index, and each distinct output it was
/// the first to write. `files` must be what the catalog's own run of `id` wrote (generation is
/// deterministic).
#[track_caller]
pub(crate) fn assert_files(id: &str, files: &BTreeMap<String, String>) {
    let catalog = catalog();
    let producer = catalog.producer(id);
    let files = &without_base_store(id, files.clone());
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        producer.files.keys().collect::<Vec<_>>(),
        "{id}: two runs wrote different files"
    );
    for (path, contents) in files {
        assert_eq!(
            contents, &producer.files[path],
            "{id}: two runs wrote different `{path}`"
        );
    }
    assert_text(id, producer.description.clone(), &catalog.index(producer));
    for (name, stored) in &catalog.stored {
        if stored.owner == id {
            settings(None).bind(|| insta::assert_snapshot!(name.clone(), &stored.text));
        }
    }
}

#[test]
fn generated_projects_match_their_snapshots() {
    for set in ANSWER_SETS {
        let (_test, root) = set.generate();
        assert_files(set.id, &tree(&root));
    }
}

/// Every `.snap` file in `snapshots/` is one a test asserts: an index, a stored output, or a
/// fixture's detection. insta never deletes a snapshot whose test is gone.
#[test]
fn no_orphan_snapshots() {
    let catalog = catalog();
    let mut expected: BTreeSet<String> = catalog.stored.keys().cloned().collect();
    expected.extend(catalog.indexes.keys().cloned());
    expected.extend(
        crate::fixtures::SNAPSHOTTED
            .iter()
            .map(|(name, _)| format!("fixture-{name}-detect")),
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let orphans: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|f| f.strip_suffix(".snap").map(String::from))
        .filter(|name| !expected.contains(name))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots no test produces any more; delete them:\n{}",
        orphans
            .iter()
            .map(|o| format!("  snapshots/{o}.snap\n"))
            .collect::<String>()
    );
}

/// Lines of every file under `dir` (recursively) whose name ends with `suffix`.
fn lines_under(dir: &Path, suffix: &str) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(suffix))
        .map(|e| std::fs::read_to_string(e.path()).unwrap().lines().count())
        .sum()
}

/// Issue 16: the snapshots stay a reviewable size, at most three lines per blueprint line.
#[test]
fn snapshots_stay_within_three_lines_per_blueprint_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let snapshots = lines_under(&root.join("snapshots"), ".snap");
    let blueprints = lines_under(&root.join("blueprints"), ".j2");
    assert!(
        snapshots <= 3 * blueprints,
        "snapshots/ holds {snapshots} lines, more than 3 x {blueprints} blueprint lines: \
         are identical outputs stored twice, or a snapshot no longer needed?"
    );
}

#[test]
fn diffs_are_anchored_on_the_line_before_without_line_numbers() {
    let old = "a\n\nb\nc\n";
    assert_eq!(diff(old, "a\n\nb\nC\nd\n"), "@@ after: b\n-c\n+C\n+d\n");
    assert_eq!(diff(old, "z\na\n\nb\nc\n"), "@@ at the start\n+z\n");
    assert_eq!(diff(old, old), "");
}

#[test]
fn identity_is_replaced_only_where_it_stands_alone() {
    let producer = Producer {
        id: "t".into(),
        description: String::new(),
        files: BTreeMap::new(),
        identity: vec![
            ("«name»", "flask-notes".into()),
            ("«package»", "notes".into()),
        ],
    };
    assert_eq!(
        producer.normalize("flask-notes: notes.app, notes_x, keynotes, src/notes/\n"),
        "«name»: «package».app, notes_x, keynotes, src/«package»/\n"
    );
}

/// Issue 16 item 4: every generated `Dockerfile.test` (each answer set and fixture) starts from
/// the production image, `FROM ${IMAGE}` as its only `FROM`, so the tests run in the venv and
/// code that ship, and stays short: at most 40 lines that are neither comments nor blank.
#[test]
fn every_test_image_starts_from_the_runtime_image_in_at_most_40_lines() {
    let mut checked = 0;
    for producer in &catalog().producers {
        for (path, text) in &producer.files {
            if !path.ends_with("Dockerfile.test") {
                continue;
            }
            checked += 1;
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect();
            let froms: Vec<&&str> = lines.iter().filter(|l| l.starts_with("FROM ")).collect();
            assert_eq!(
                froms,
                [&"FROM ${IMAGE}"],
                "{}: {path} must start from the runtime image alone:\n{text}",
                producer.id
            );
            assert!(
                lines.len() <= 40,
                "{}: {path} has {} lines besides comments, more than 40:\n{text}",
                producer.id,
                lines.len()
            );
        }
    }
    assert!(
        checked > 20,
        "only {checked} Dockerfile.test files generated"
    );
}
