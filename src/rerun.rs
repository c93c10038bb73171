//! What a previous run left, read back for `init` and `update`: the merge base (the hash of
//! every file the record lists, the base store's texts, or a re-render of the recorded
//! answers), and `PreviousRun`, which names the changed answers a file the user keeps
//! contradicts.

use std::path::{Path, PathBuf};

use crate::answers::file::AnswersFile;
use crate::answers::{self, Answers, Layers};
use crate::artifacts::render_all;
use crate::detect;
use crate::error::Result;
use crate::facts::Facts;
use crate::model::{Rendered, RECORD_FILE};
use crate::plan::Base;
use crate::render::Scope;
use crate::safety;
use crate::store;

/// What a previous run left, for `init` and `update` of a project with a record: the merge
/// base, and the answers changed since, which a file the user keeps may contradict. A run
/// without a record (or `new`) has neither.
pub(crate) fn previous_run(
    target: &Path,
    layers: &Layers,
    detection: Option<&detect::Detection>,
    record: Option<AnswersFile>,
    answers: &Answers,
    rendered: &Rendered,
) -> Result<(Base, Option<PreviousRun>)> {
    let (Some(detection), Some(record)) = (detection, record) else {
        return Ok((Base::default(), None));
    };
    let earlier = PreviousRun::of(target, layers, detection, &record.answers, answers);
    let base = merge_base(target, layers, detection, record, rendered)?;
    Ok((base, earlier))
}

/// What dockwright wrote last time, from the project's record: the hash of every file it
/// wrote; for a record without hashes, what its answers render to today.
fn merge_base(
    target: &Path,
    layers: &Layers,
    detection: &detect::Detection,
    record: AnswersFile,
    rendered: &Rendered,
) -> Result<Base> {
    let mut base = Base {
        consumed: [PathBuf::from(RECORD_FILE)].into(),
        ..Base::default()
    };
    if !record.files.is_empty() {
        base.hashes = record.files;
        // The base of each file: the store's copy; else, for a record written before the store
        // (or a store not committed), today's render of the recorded answers when it is exactly
        // what was written. Either only when its hash is the recorded one.
        base.texts = store::load(target, &base.hashes, rendered.keys());
        if rendered
            .keys()
            .any(|p| base.hashes.contains_key(p) && !base.texts.contains_key(p))
        {
            let recorded = Layers {
                flags: answers::Partial::default(),
                typed: Default::default(),
                file: Some((target.join(RECORD_FILE), record.answers)),
                ..layers.clone()
            };
            if let Ok(old) = answers::resolve(&recorded) {
                let layout = detection.facts.for_package(target, &old.package.value);
                let again = render_all(&old, layout, Scope::Artifacts)?;
                for (path, text) in store::verified(&base.hashes, &again) {
                    base.texts.entry(path).or_insert(text);
                }
            }
        }
        return Ok(base);
    }
    let recorded = Layers {
        flags: answers::Partial::default(),
        file: Some((target.join(RECORD_FILE), record.answers)),
        ..layers.clone()
    };
    if let Ok(old) = answers::resolve(&recorded) {
        let layout = detection.facts.for_package(target, &old.package.value);
        base.pristine = render_all(&old, layout, Scope::Artifacts)?;
    }
    Ok(base)
}

/// The answers of the previous run (from the record) and what they rendered, to name the
/// answers a file the user keeps contradicts: an answer whose change alone changes that file.
/// Re-rendering is exact where parsing the kept file (`ARG PYTHON_VERSION=`) would cover one
/// answer of one file: the record says what the kept file was generated with, and each changed
/// answer is tried alone on top of it.
pub(crate) struct PreviousRun {
    target: PathBuf,
    layers: Layers,
    facts: Facts,
    old_files: Rendered,
    /// The answers that changed: field, old shown value, new shown value.
    changed: Vec<(answers::Field, String, String)>,
}

impl PreviousRun {
    fn of(
        target: &Path,
        layers: &Layers,
        detection: &detect::Detection,
        recorded: &answers::Partial,
        now: &Answers,
    ) -> Option<PreviousRun> {
        let layers = Layers {
            flags: answers::Partial::default(),
            typed: Default::default(),
            file: Some((target.join(RECORD_FILE), recorded.clone())),
            ..layers.clone()
        };
        let old = answers::resolve(&layers).ok()?;
        let (was, is) = (old.preview(), now.preview());
        let changed: Vec<_> = answers::Field::ALL
            .iter()
            .filter_map(|f| {
                let (a, _) = was.shown(*f)?;
                let (b, _) = is.shown(*f)?;
                (a != b).then_some((*f, a, b))
            })
            .collect();
        if changed.is_empty() {
            return None;
        }
        let facts = detection.facts.clone();
        let layout = facts.for_package(target, &old.package.value);
        let old_files = render_all(&old, layout, Scope::Artifacts).ok()?;
        Some(PreviousRun {
            target: target.to_path_buf(),
            layers,
            facts,
            old_files,
            changed,
        })
    }

    /// The changed answers that, each alone, change the file at `path`.
    pub(crate) fn contradicted(&self, path: &Path) -> Vec<String> {
        let Some(before) = self.old_files.get(path) else {
            return Vec::new();
        };
        self.changed
            .iter()
            .filter(|(field, _, now)| {
                let mut one = self.layers.clone();
                one.flags
                    .insert(*field, field.spec().shape.from_text(vec![now.clone()]));
                let Ok(a) = answers::resolve(&one) else {
                    // Not valid alone (it moves with another answer): it changed all the same.
                    return true;
                };
                let layout = self.facts.for_package(&self.target, &a.package.value);
                render_all(&a, layout, Scope::Artifacts)
                    .map(|files| files.get(path) != Some(before))
                    .unwrap_or(true)
            })
            .map(|(field, was, now)| {
                format!("{} {} (now {})", field.spec().key, show(was), show(now))
            })
            .collect()
    }
}

/// An answer's value in a warning: shown escaped and cut, `(none)` when empty.
fn show(value: &str) -> String {
    if value.is_empty() {
        "(none)".into()
    } else {
        safety::shown(value)
    }
}
