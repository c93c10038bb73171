//! `Answers`: the one typed, validated set of answers a run renders from.
//!
//! Answers arrive in layers — flags, an answers file, detection, defaults — as raw text
//! ([`Partial`]). [`resolve`] merges them (flag > answers file > detected > default), remembers
//! where each value came from ([`Origin`]) and validates every value through the same rules
//! whatever its source, listing every problem at once. What the answers are is one table,
//! [`table`]; everything else here is generic over its [`Field`]s.

pub mod file;
pub mod python;
pub mod rules;
pub mod serving;
pub mod table;
pub mod value;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::model::{DetectedCommand, Kind, Origin, Sourced, Transport};

pub use file::{read_answers_file, record};
pub use table::{Answers, Ask, Field, Preview, Record, Spec};
pub use value::{AnswerValue, ContainerCommand};

/// The Python version used when nothing else says which.
pub const DEFAULT_PYTHON: &str = "3.12";
/// Default architectures: the two that cover servers, laptops and Apple Silicon.
pub const DEFAULT_ARCHES: &[&str] = &["amd64", "arm64"];
/// Default app port for HTTP kinds.
pub const DEFAULT_PORT: u16 = 8000;

/// How an answer's raw value is written: on the command line, in the answers file, in the
/// record and in a wizard reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One string (`--name x`, `name = "x"`).
    Text,
    /// One whole number (`--uid 1000`, `uid = 1000`).
    Integer,
    /// Strings, comma-separated or repeated on the command line (`arch = ["amd64"]`).
    Texts,
    /// Whole numbers, comma-separated or repeated on the command line (`ports = [8000]`).
    Integers,
    /// A shell-like line on the command line; a line or an exact argument list in a file.
    Command,
}

impl Shape {
    /// Whether the flag may be repeated.
    pub fn repeatable(self) -> bool {
        matches!(self, Shape::Texts | Shape::Integers)
    }

    /// The values of a flag (or a wizard reply) as a raw value.
    pub fn from_text(self, values: Vec<String>) -> Raw {
        if self.repeatable() {
            Raw::List(
                values
                    .iter()
                    .flat_map(|v| v.split(','))
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect(),
            )
        } else {
            Raw::Text(values.into_iter().last().unwrap_or_default())
        }
    }

    /// A value of the answers file as a raw value; `Err` names the TOML type expected.
    pub fn from_toml(self, v: &toml::Value) -> Result<Raw, &'static str> {
        let int = |v: &toml::Value| v.as_integer().map(|i| i.to_string());
        let text = |v: &toml::Value| v.as_str().map(str::to_string);
        let list = |f: &dyn Fn(&toml::Value) -> Option<String>| -> Option<Vec<String>> {
            v.as_array()?.iter().map(f).collect()
        };
        match self {
            Shape::Text => text(v).map(Raw::Text).ok_or("a string"),
            Shape::Integer => int(v).map(Raw::Text).ok_or("a whole number"),
            Shape::Texts => list(&text).map(Raw::List).ok_or("an array of strings"),
            Shape::Integers => list(&int).map(Raw::List).ok_or("an array of whole numbers"),
            Shape::Command => text(v)
                .map(Raw::Text)
                .or_else(|| list(&text).map(Raw::Argv))
                .ok_or("a string (a shell-like line) or an array of strings"),
        }
    }
}

/// One unvalidated value, as a layer holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raw {
    /// One value as typed (a command line is split later).
    Text(String),
    /// Several values (ports, architectures).
    List(Vec<String>),
    /// An exact argument list (a command from a file, a detection or a default).
    Argv(Vec<String>),
}

/// One layer of unvalidated answers.
pub type Partial = BTreeMap<Field, Raw>;

/// The sources of answers, highest precedence first.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    pub flags: Partial,
    pub file: Option<(PathBuf, Partial)>,
    pub detected: Partial,
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
}

impl Layers {
    /// The first layer that answers `field`, with its origin.
    fn pick(&self, field: Field) -> Option<(Raw, Origin)> {
        if let Some(v) = self.flags.get(&field) {
            return Some((v.clone(), Origin::Flag));
        }
        if let Some((path, file)) = &self.file {
            if let Some(v) = file.get(&field) {
                return Some((v.clone(), Origin::AnswersFile(path.clone())));
            }
        }
        let v = self.detected.get(&field)?;
        let why = self
            .detected_origin
            .get(&field)
            .cloned()
            .unwrap_or_else(|| "the project".to_string());
        Some((v.clone(), Origin::Detected(why)))
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

/// One broken rule: which answer, the value given, the rule, and a valid value to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    /// The value as it was given.
    pub value: String,
    /// The rule it broke, lowercase, e.g. `must be a supported Python version (3.9 to 3.14)`.
    pub rule: String,
    /// A valid value to copy, e.g. `3.12`.
    pub example: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--{} `{}`: {}",
            self.field.spec().flag,
            crate::safety::shown(&self.value),
            self.rule,
        )?;
        if self.rule.contains("did you mean") {
            Ok(())
        } else {
            write!(f, " (for example `{}`)", self.example)
        }
    }
}

impl Problem {
    /// The problem in the wizard's words: its question, never a flag the user did not type
    /// (`Project name \`Bad Name!\`: must be …; did you mean \`bad-name\`?`).
    pub fn in_prompt(&self) -> String {
        let words = self.field.spec().prompt;
        let words = words.split(" (").next().unwrap_or(words);
        let suggestion = if self.rule.contains("did you mean") {
            String::new()
        } else {
            format!(" (for example `{}`)", self.example)
        };
        format!(
            "{words} `{}`: {}{suggestion}",
            crate::safety::shown(&self.value),
            self.rule
        )
    }
}

/// Why answers could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswersError {
    /// One or more answers broke a rule; every problem is listed.
    Invalid(Vec<Problem>),
    /// The answers file could not be read or parsed.
    File { path: PathBuf, reason: String },
}

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
        default: fn(&Layers, &Preview) -> rules::Fallback,
        parse: fn(&Raw, &Preview, &Layers) -> rules::Checked<T>,
    ) -> Option<Sourced<T>> {
        let (raw, origin) = match self.layers.pick(field) {
            Some(found) => found,
            None => match default(self.layers, preview) {
                rules::Fallback::Value(raw, origin) => (raw, origin),
                rules::Fallback::Missing => return None,
                rules::Fallback::Required { rule, example } => {
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
                        Origin::Flag => b.rule,
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

/// PEP 503 normalisation: lowercase, runs of `-_.` become one `-`; always a valid Docker repository name.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(ch.to_ascii_lowercase());
        }
    }
    out
}

/// The import package a distribution name suggests: `My-App.core` → `my_app_core`.
pub fn package_from_name(name: &str) -> String {
    normalize_name(name).replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ci, DeployTarget, Kind};

    fn flags(values: &[(Field, &str)]) -> Layers {
        let mut layers = Layers::default();
        for (f, v) in values {
            layers
                .flags
                .insert(*f, f.spec().shape.from_text(vec![v.to_string()]));
        }
        layers
    }

    #[test]
    fn defaults_fill_everything_from_a_name() {
        let a = resolve(&flags(&[(Field::Name, "My.Cool_App")])).unwrap();
        assert_eq!(a.package.value, "my_cool_app");
        assert_eq!(a.image(), "my-cool-app");
        assert_eq!(a.python.value, (3, 12));
        assert_eq!(a.ports.value, vec![8000]);
        assert_eq!(a.command.value.argv, vec!["my-cool-app"]);
        assert_eq!(a.base_image.value, "python:3.12-slim");
        assert_eq!(a.arch.value, vec!["amd64", "arm64"]);
        assert!(matches!(a.package.origin, Origin::Default(_)));
        assert_eq!(a.name.origin, Origin::Flag);
    }

    #[test]
    fn ci_and_deploy_are_opt_in_and_recorded_only_when_given() {
        let a = resolve(&flags(&[(Field::Name, "app")])).unwrap();
        assert_eq!(a.ci.value, Ci::None);
        assert!(a.deploy.value.is_empty());
        let recorded: Vec<Field> = a.recorded().into_iter().map(|(f, _)| f).collect();
        assert!(!recorded.contains(&Field::Ci) && !recorded.contains(&Field::Deploy));
        let mut l = flags(&[(Field::Name, "app"), (Field::Ci, "github")]);
        l.flags.insert(
            Field::Deploy,
            Raw::List(vec!["swarm,kubernetes".into(), "swarm".into()]),
        );
        let a = resolve(&l).unwrap();
        assert_eq!(a.ci.value, Ci::Github);
        assert_eq!(
            a.deploy.value,
            [DeployTarget::Kubernetes, DeployTarget::Swarm]
        );
        let recorded: Vec<Field> = a.recorded().into_iter().map(|(f, _)| f).collect();
        assert!(recorded.contains(&Field::Ci) && recorded.contains(&Field::Deploy));
        let err = resolve(&flags(&[(Field::Ci, "gitlab"), (Field::Deploy, "nomad")])).unwrap_err();
        let AnswersError::Invalid(problems) = err else {
            panic!("{err:?}")
        };
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, [Field::Ci, Field::Deploy]);
    }

    #[test]
    fn every_problem_is_listed() {
        let err = resolve(&flags(&[
            (Field::Name, "My App!"),
            (Field::Python, "2.7"),
            (Field::Ports, "70000"),
            (Field::Arch, "sparc"),
            (Field::Uid, "0"),
            (Field::CoverageMin, "101"),
        ]))
        .unwrap_err();
        let AnswersError::Invalid(problems) = err else {
            panic!("{err:?}")
        };
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                Field::Name,
                Field::Python,
                Field::Ports,
                Field::Arch,
                Field::Uid,
                Field::CoverageMin
            ]
        );
        assert!(problems[0].to_string().starts_with("--name `My App!`: "));
    }

    #[test]
    fn flag_beats_file_beats_detected() {
        let mut layers = flags(&[(Field::Python, "3.13")]);
        layers.file = Some((
            PathBuf::from("a.toml"),
            [
                (Field::Python, Raw::Text("3.10".into())),
                (Field::Kind, Raw::Text("cli".into())),
            ]
            .into_iter()
            .collect(),
        ));
        layers.detected = [
            (Field::Kind, Raw::Text("mcp".into())),
            (Field::Uid, Raw::Text("2000".into())),
        ]
        .into_iter()
        .collect();
        layers
            .detected_origin
            .insert(Field::Uid, "Dockerfile USER".into());
        let a = resolve(&layers).unwrap();
        assert_eq!(a.python.value, (3, 13));
        assert_eq!(a.kind.value, Kind::Cli);
        assert_eq!(a.uid.value, 2000);
        assert_eq!(a.uid.origin.to_string(), "from Dockerfile USER");
        assert_eq!(a.ports.value, Vec::<u16>::new());
    }

    #[test]
    fn a_detected_app_is_served_on_the_resolved_port() {
        let mut layers = flags(&[(Field::Ports, "9000")]);
        layers.detected_command = Some((
            DetectedCommand::Framework(crate::model::DetectedApp {
                server: crate::model::Server::Uvicorn,
                target: "svc.main:app".into(),
                factory: false,
                server_declared: false,
            }),
            "the app `app` in src/svc/main.py".into(),
        ));
        let a = resolve(&layers).unwrap();
        assert_eq!(
            a.command.value.argv,
            [
                "uvicorn",
                "svc.main:app",
                "--host",
                "0.0.0.0",
                "--port",
                "9000",
                "--proxy-headers"
            ]
        );
        assert_eq!(a.server.value, ["uvicorn==0.34.0"]);
        assert_eq!(
            a.command.origin.to_string(),
            "from the app `app` in src/svc/main.py"
        );
        // A literal `{port}` in a given command is the user's text, never substituted.
        let layers = flags(&[(Field::Command, "serve --port {port}")]);
        assert_eq!(
            resolve(&layers).unwrap().command.value.argv,
            ["serve", "--port", "{port}"]
        );
    }

    #[test]
    fn every_answer_has_a_distinct_key_and_flag() {
        let mut keys: Vec<_> = Field::ALL.iter().map(|f| f.spec().key).collect();
        let mut flags: Vec<_> = Field::ALL.iter().map(|f| f.spec().flag).collect();
        keys.sort_unstable();
        keys.dedup();
        flags.sort_unstable();
        flags.dedup();
        assert_eq!(keys.len(), Field::ALL.len());
        assert_eq!(flags.len(), Field::ALL.len());
    }
}
