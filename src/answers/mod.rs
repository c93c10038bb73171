//! `Answers`: the one typed, validated set of answers a run renders from.
//!
//! Answers arrive in layers — flags, an answers file, detection, defaults — as raw text
//! ([`Partial`]). [`resolve`] merges them (flag > answers file > detected > default), remembers
//! where each value came from ([`Origin`]) and validates every value through the same rules
//! whatever its source, listing every problem at once. What the answers are is one table,
//! [`table`]; everything else here is generic over its [`Field`]s.

pub mod agree;
mod check;
pub mod command;
pub mod file;
mod names;
mod problem;
pub mod python;
mod raw;
pub mod rules;
pub mod serving;
mod spec;
pub mod table;
pub mod value;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::model::{DetectedCommand, Kind, Origin, Sourced, Transport};

pub use check::{Checked, Fallback};
pub use file::{read_answers_file, record};
pub use names::{normalize_name, package_from_name};
pub use problem::{AnswersError, Problem};
pub use raw::{Raw, Shape};
pub use spec::{Ask, Record, Spec};
pub use table::{Answers, Field, Preview};
pub use value::{AnswerValue, ContainerCommand};

/// The Python version used when nothing else says which.
pub const DEFAULT_PYTHON: &str = "3.12";
/// Default architectures: the two that cover servers, laptops and Apple Silicon.
pub const DEFAULT_ARCHES: &[&str] = &["amd64", "arm64"];
/// Default app port for HTTP kinds.
pub const DEFAULT_PORT: u16 = 8000;

/// One layer of unvalidated answers.
pub type Partial = BTreeMap<Field, Raw>;

/// The sources of answers, highest precedence first.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    pub flags: Partial,
    pub file: Option<(PathBuf, Partial)>,
    pub detected: Partial,
    /// Org-wide defaults (`defaults.toml`), highest first: below detection, above the
    /// built-in defaults.
    pub org: Vec<(PathBuf, Partial)>,
    /// Why each detected value was detected; shown as its origin.
    pub detected_origin: BTreeMap<Field, String>,
    /// What detection found the container should run, and why (the command's fallback).
    pub detected_command: Option<(DetectedCommand, String)>,
    /// Name to fall back on when nothing names the project (the target directory's name).
    pub fallback_name: Option<String>,
    /// A module-level MCP SDK server (`module:var`, why): served by uvicorn over HTTP.
    pub mcp_app: Option<(String, String)>,
    /// The answers are for an existing project (`init`), not a skeleton dockwright writes.
    pub retrofit: bool,
    /// Detection found no health route in the project's code.
    pub no_health_route: bool,
    /// The project's Python constraint and where it is written (`pyproject.toml
    /// requires-python`): the Python answer must satisfy it, whatever its source.
    pub requires_python: Option<(String, String)>,
    /// The project keeps GitHub workflows (`.github/workflows/`): the wizard offers CI.
    pub github_workflows: bool,
    /// The server a lock or requirements file pins (`uvicorn==0.49.0`) and why, for a detected
    /// app whose runtime dependencies may not install it: added at that version, never another.
    pub locked_server: Option<(String, String)>,
    /// How the project provides each production server a command may start, by distribution
    /// (`gunicorn`, `uvicorn`): a server absent here is not installed by the project.
    pub servers_provided: BTreeMap<String, serving::Provision>,
    /// The answers of the flags layer that are replies typed in the wizard (shown as typed).
    pub typed: std::collections::BTreeSet<Field>,
}

impl Layers {
    /// The first layer that answers `field`, with its origin.
    fn pick(&self, field: Field) -> Option<(Raw, Origin)> {
        if let Some(v) = self.flags.get(&field) {
            let origin = if self.typed.contains(&field) {
                Origin::Typed
            } else {
                Origin::Flag
            };
            return Some((v.clone(), origin));
        }
        // The server a record pins was derived from the command it was recorded with: a
        // command given now (a flag, a wizard reply) derives its server again.
        let follows_command = field == Field::Server
            && self.flags.contains_key(&Field::Command)
            && !self.flags.contains_key(&Field::Server);
        if let Some((path, file)) = self.file.as_ref().filter(|_| !follows_command) {
            if let Some(v) = file.get(&field) {
                return Some((v.clone(), Origin::AnswersFile(path.clone())));
            }
        }
        if let Some(v) = self.detected.get(&field) {
            let why = self
                .detected_origin
                .get(&field)
                .cloned()
                .unwrap_or_else(|| "the project".to_string());
            return Some((v.clone(), Origin::Detected(why)));
        }
        self.org.iter().find_map(|(path, layer)| {
            layer
                .get(&field)
                .map(|v| (v.clone(), Origin::AnswersFile(path.clone())))
        })
    }
}

/// The answers resolved before the one a default or rule is for (the rows above it in the
/// table), as the defaults and rules see them: they read this, not the table's `Preview`, so
/// the table uses the rules and the rules never use the table.
pub trait Earlier {
    fn name(&self) -> Option<&Sourced<String>> {
        None
    }
    fn package(&self) -> Option<&Sourced<String>> {
        None
    }
    fn python(&self) -> Option<&Sourced<(u8, u8)>> {
        None
    }
    fn kind(&self) -> Option<&Sourced<Kind>> {
        None
    }
    fn transport(&self) -> Option<&Sourced<Transport>> {
        None
    }
    fn ports(&self) -> Option<&Sourced<Vec<u16>>> {
        None
    }
    fn command(&self) -> Option<&Sourced<ContainerCommand>> {
        None
    }
}

/// Nothing resolved yet.
impl Earlier for () {}

/// Walks the table, collecting every problem.
pub struct Resolver<'a> {
    pub(crate) layers: &'a Layers,
    problems: Vec<Problem>,
}

impl Resolver<'_> {
    /// Resolves one answer: its layer value or fallback, checked by its rule.
    fn answer<T>(
        &mut self,
        field: Field,
        preview: &Preview,
        default: fn(&Layers, &Preview) -> Fallback,
        parse: fn(&Raw, &Preview, &Layers) -> Checked<T>,
    ) -> Option<Sourced<T>> {
        let (raw, origin) = match self.layers.pick(field) {
            Some(found) => found,
            None => match default(self.layers, preview) {
                Fallback::Value(raw, origin) => (raw, origin),
                Fallback::Missing => return None,
                Fallback::Required { rule, example } => {
                    self.problems.push(Problem {
                        field,
                        value: String::new(),
                        rule,
                        example,
                    });
                    return None;
                }
            },
        };
        match parse(&raw, preview, self.layers) {
            Ok(value) => Some(Sourced { value, origin }),
            Err(broken) => {
                for b in broken {
                    let rule = match &origin {
                        Origin::Flag | Origin::Typed => b.rule,
                        other => format!("{}; the value came {other}", b.rule),
                    };
                    self.problems.push(Problem {
                        field,
                        value: b.value,
                        rule,
                        example: b.example,
                    });
                }
                None
            }
        }
    }
}

/// Resolves every answer it can and lists every problem.
pub fn preview(layers: &Layers) -> (Preview, Vec<Problem>) {
    let mut r = Resolver {
        layers,
        problems: Vec::new(),
    };
    let p = Preview::resolve(&mut r);
    let mut problems = r.problems;
    if let (Some(py), Some((spec, place))) = (&p.python, &layers.requires_python) {
        let (major, minor) = py.value;
        if !python::allows(spec, minor) {
            let range = python::allowed_minors(spec);
            // Read from the project: shown escaped and cut.
            let (place, spec) = (crate::safety::shown(place), crate::safety::shown(spec));
            problems.push(Problem {
                field: Field::Python,
                value: format!("{major}.{minor}"),
                rule: if range.is_empty() {
                    format!("must satisfy {place} `{spec}`, which allows none of the supported versions 3.9 to 3.14; change requires-python")
                } else {
                    format!("must satisfy {place} `{spec}`: one of {}", range.join(", "))
                },
                example: range.last().cloned().unwrap_or_else(|| "3.12".into()),
            });
        }
    }
    problems.extend(agree::contradictions(&p, layers));
    (p, problems)
}

/// Drops from the answers-file layer every answer recorded only when given (`Record::WhenGiven`)
/// whose recorded value is exactly what its default gives for the file's other answers: a
/// record written before such answers were left out (dockwright 0.1.0 recorded
/// `base_image = "python:3.14-slim"` next to `python = "3.14"`) then follows its answer again.
pub fn forget_derived(layers: &mut Layers) {
    let Some((_, file)) = &layers.file else {
        return;
    };
    let mut drop = Vec::new();
    for (field, _) in file.iter() {
        if field.spec().recorded != Record::WhenGiven {
            continue;
        }
        let mut without_flags = layers.clone();
        without_flags.flags.clear();
        let recorded = preview(&without_flags)
            .0
            .shown(*field)
            .map(|(text, _)| text);
        if let Some((_, f)) = &mut without_flags.file {
            f.remove(field);
        }
        let derived = preview(&without_flags)
            .0
            .shown(*field)
            .map(|(text, _)| text);
        if recorded.is_some() && recorded == derived {
            drop.push(*field);
        }
    }
    if let Some((_, file)) = &mut layers.file {
        for field in drop {
            file.remove(&field);
        }
    }
}

/// Merges the layers, fills defaults and validates everything; all problems are listed at once.
pub fn resolve(layers: &Layers) -> Result<Answers, AnswersError> {
    let (p, problems) = preview(layers);
    if !problems.is_empty() {
        return Err(AnswersError::Invalid(problems));
    }
    // Every answer that did not resolve came with a recorded problem.
    p.complete().ok_or(AnswersError::Invalid(Vec::new()))
}

impl Answers {
    /// The Docker image name: the PEP 503 normalised distribution name, always a valid repository.
    pub fn image(&self) -> String {
        normalize_name(&self.name.value)
    }
}

#[cfg(test)]
mod tests;
