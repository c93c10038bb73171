//! The interactive wizard: the only user of dialoguer.
//!
//! It asks only what flags and the answers file left open, offers each current default with its
//! origin (`3.12 (from requires-python >=3.10)`), checks every reply with the same validator as
//! every other source, and asks again on a bad value. Prompting goes through the [`Prompter`]
//! trait, so tests drive the wizard with scripted replies and non-interactive runs cannot prompt.

use crate::answers::{self, Answers, Layers, Origin, Partial, Preview, RawCommand};
use crate::error::{Error, Result};

/// One way of asking questions; the terminal one is [`Terminal`], tests script their own.
pub trait Prompter {
    /// Asks for text; `default` is offered and returned on an empty reply.
    fn input(&mut self, prompt: &str, default: &str) -> Result<String>;
    /// Asks for one of `items`; returns its index.
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize>;
    /// Asks yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool>;
    /// Shows a line (a problem with the last reply, the plan).
    fn say(&mut self, line: &str);
}

/// Which answers exist, in the order the wizard asks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Package,
    Python,
    Kind,
    Ports,
    Command,
    Arch,
    Uid,
    BaseImage,
    Installer,
    CoverageMin,
    HealthPath,
}

const FIELDS: [Field; 12] = [
    Field::Name,
    Field::Package,
    Field::Python,
    Field::Kind,
    Field::Ports,
    Field::Command,
    Field::Arch,
    Field::Uid,
    Field::BaseImage,
    Field::Installer,
    Field::CoverageMin,
    Field::HealthPath,
];

impl Field {
    fn flag(self) -> &'static str {
        match self {
            Field::Name => "--name",
            Field::Package => "--package",
            Field::Python => "--python",
            Field::Kind => "--kind",
            Field::Ports => "--port",
            Field::Command => "--command",
            Field::Arch => "--arch",
            Field::Uid => "--uid",
            Field::BaseImage => "--base-image",
            Field::Installer => "--installer",
            Field::CoverageMin => "--coverage-min",
            Field::HealthPath => "--health-path",
        }
    }

    fn prompt(self) -> &'static str {
        match self {
            Field::Name => "Project name",
            Field::Package => "Import package",
            Field::Python => "Python version (3.9-3.14)",
            Field::Kind => "Kind",
            Field::Ports => "Ports (comma-separated; the first is the app port)",
            Field::Command => "Command the container runs",
            Field::Arch => "Architectures (comma-separated)",
            Field::Uid => "Numeric user ID the image runs as",
            Field::BaseImage => "Base image",
            Field::Installer => "Installer",
            Field::CoverageMin => "Minimum test coverage (%)",
            Field::HealthPath => "Health check path",
        }
    }

    /// Whether flags or the answers file already settled this field.
    fn settled(self, p: &Partial) -> bool {
        match self {
            Field::Name => p.name.is_some(),
            Field::Package => p.package.is_some(),
            Field::Python => p.python.is_some(),
            Field::Kind => p.kind.is_some(),
            Field::Ports => p.ports.is_some(),
            Field::Command => p.command.is_some(),
            Field::Arch => p.arch.is_some(),
            Field::Uid => p.uid.is_some(),
            Field::BaseImage => p.base_image.is_some(),
            Field::Installer => p.installer.is_some(),
            Field::CoverageMin => p.coverage_min.is_some(),
            Field::HealthPath => p.health_path.is_some(),
        }
    }

    /// Stores a reply in the layer the wizard fills.
    fn store(self, p: &mut Partial, reply: String) {
        let list = |s: &str| {
            s.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
        };
        match self {
            Field::Name => p.name = Some(reply),
            Field::Package => p.package = Some(reply),
            Field::Python => p.python = Some(reply),
            Field::Kind => p.kind = Some(reply),
            Field::Ports => p.ports = Some(list(&reply)),
            Field::Command => p.command = Some(RawCommand::Line(reply)),
            Field::Arch => p.arch = Some(list(&reply)),
            Field::Uid => p.uid = Some(reply),
            Field::BaseImage => p.base_image = Some(reply),
            Field::Installer => p.installer = Some(reply),
            Field::CoverageMin => p.coverage_min = Some(reply),
            Field::HealthPath => p.health_path = Some(reply),
        }
    }

    /// The current value of this field as text, with its origin, if it resolved.
    fn current(self, a: &Preview) -> Option<(String, Origin)> {
        fn s<T>(
            v: &Option<answers::Sourced<T>>,
            text: impl FnOnce(&T) -> String,
        ) -> Option<(String, Origin)> {
            v.as_ref().map(|v| (text(&v.value), v.origin.clone()))
        }
        match self {
            Field::Name => s(&a.name, |v| v.clone()),
            Field::Package => s(&a.package, |v| v.clone()),
            Field::Python => s(&a.python, |v| format!("{}.{}", v.0, v.1)),
            Field::Kind => s(&a.kind, |v| v.to_string()),
            Field::Ports => s(&a.ports, |v| {
                v.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
            }),
            Field::Command => s(&a.command, |v| crate::context::shell_line(v)),
            Field::Arch => s(&a.arch, |v| v.join(",")),
            Field::Uid => s(&a.uid, |v| v.to_string()),
            Field::BaseImage => s(&a.base_image, |v| v.clone()),
            Field::Installer => s(&a.installer, |v| v.as_str().to_string()),
            Field::CoverageMin => s(&a.coverage_min, |v| v.to_string()),
            Field::HealthPath => s(&a.health_path, |v| v.clone()),
        }
    }

    /// Fixed choices, for fields that have them.
    fn choices(self) -> Option<&'static [&'static str]> {
        match self {
            Field::Kind => Some(&["web", "mcp", "cli", "library"]),
            Field::Installer => Some(&["pip", "uv"]),
            _ => None,
        }
    }
}

/// The answers, one per line with where each came from, for `--dry-run`:
/// `  --python        3.12  (from requires-python >=3.10)`.
pub fn summary(answers: &Answers) -> String {
    let preview = Preview::from(answers);
    let mut out = String::from("answers:\n");
    for field in FIELDS {
        if let Some((text, origin)) = field.current(&preview) {
            let text = if text.is_empty() {
                "(none)".to_string()
            } else {
                text
            };
            out.push_str(&format!("  {:<15} {text}  ({origin})\n", field.flag()));
        }
    }
    out
}

/// Asks every open question; returns the answers to render. Health path is asked only for kinds
/// that serve HTTP; ports and command follow the kind chosen before them.
pub fn ask(layers: &Layers, prompter: &mut dyn Prompter) -> Result<Answers> {
    // Replies sit in the flags layer: they are the user's own answers, like flags.
    let mut layers = layers.clone();
    let mut settled = layers.flags.clone();
    if let Some((_, file)) = &layers.file {
        merge_settled(&mut settled, file);
    }
    for field in FIELDS {
        if field.settled(&settled) {
            continue;
        }
        let (preview, _) = answers::preview(&layers);
        if field == Field::HealthPath
            && preview
                .kind
                .as_ref()
                .is_some_and(|k| !k.value.serves_http())
        {
            continue;
        }
        loop {
            let (default, origin) = field.current(&preview).unwrap_or_default_text();
            // `Python version (3.9-3.14): 3.12 (from requires-python >=3.10)`; Enter keeps it.
            let prompt = match &origin {
                Some(o) if default.is_empty() => format!("{} ({o})", field.prompt()),
                Some(o) => format!("{}: {default} ({o})", field.prompt()),
                None => field.prompt().to_string(),
            };
            let reply = match field.choices() {
                Some(items) => {
                    let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
                    let at = items.iter().position(|i| *i == default).unwrap_or(0);
                    items[prompter.select(&prompt, &items, at)?].clone()
                }
                None => prompter.input(&prompt, &default)?,
            };
            let mut trial = layers.clone();
            field.store(&mut trial.flags, reply.trim().to_string());
            match answers::resolve(&trial) {
                Err(Error::Invalid(problems))
                    if problems.iter().any(|p| p.field == field.flag()) =>
                {
                    for p in problems.iter().filter(|p| p.field == field.flag()) {
                        prompter.say(&format!("  {p}"));
                    }
                }
                _ => {
                    layers = trial;
                    break;
                }
            }
        }
    }
    answers::resolve(&layers)
}

fn merge_settled(into: &mut Partial, from: &Partial) {
    macro_rules! take {
        ($($f:ident),*) => { $( if into.$f.is_none() { into.$f = from.$f.clone(); } )* };
    }
    take!(
        name,
        package,
        python,
        kind,
        ports,
        command,
        arch,
        uid,
        base_image,
        installer,
        coverage_min,
        health_path
    );
}

trait DefaultText {
    fn unwrap_or_default_text(self) -> (String, Option<Origin>);
}

impl DefaultText for Option<(String, Origin)> {
    fn unwrap_or_default_text(self) -> (String, Option<Origin>) {
        match self {
            Some((text, origin)) => (text, Some(origin)),
            None => (String::new(), None),
        }
    }
}

/// The real terminal, through dialoguer. Ctrl-C restores the cursor and exits 130 before
/// anything is written (writing happens only after the final confirmation).
pub struct Terminal {
    term: console::Term,
    theme: dialoguer::theme::ColorfulTheme,
}

impl Terminal {
    pub fn new() -> Terminal {
        let _ = ctrlc::set_handler(|| {
            let term = console::Term::stderr();
            let _ = term.show_cursor();
            let _ = term.write_line("\ninterrupted: nothing was written");
            std::process::exit(130);
        });
        Terminal {
            term: console::Term::stderr(),
            theme: dialoguer::theme::ColorfulTheme::default(),
        }
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal::new()
    }
}

/// Ctrl-C inside a prompt comes back as an interrupted read: show the cursor a select prompt
/// hid, and stop before anything is written.
fn interrupted(e: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(io) = e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        let _ = console::Term::stderr().show_cursor();
        let _ = console::Term::stdout().show_cursor();
        return Error::Interrupted;
    }
    Error::io("cannot prompt on", "the terminal", io)
}

impl Prompter for Terminal {
    fn input(&mut self, prompt: &str, default: &str) -> Result<String> {
        dialoguer::Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default.to_string())
            // The prompt already shows the default with its origin.
            .show_default(false)
            .allow_empty(true)
            .interact_text_on(&self.term)
            .map_err(interrupted)
    }

    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on(&self.term)
            .map_err(interrupted)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool> {
        dialoguer::Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_on(&self.term)
            .map_err(interrupted)
    }

    fn say(&mut self, line: &str) {
        let _ = self.term.write_line(line);
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// Replies from a script; records every prompt it was asked.
    #[derive(Default)]
    pub struct Scripted {
        pub replies: VecDeque<String>,
        pub asked: Vec<String>,
        pub said: Vec<String>,
    }

    impl Scripted {
        pub fn new(replies: &[&str]) -> Scripted {
            Scripted {
                replies: replies.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            }
        }
        fn next(&mut self, prompt: &str) -> String {
            self.asked.push(prompt.to_string());
            self.replies
                .pop_front()
                .unwrap_or_else(|| panic!("unscripted question: {prompt}"))
        }
    }

    impl Prompter for Scripted {
        fn input(&mut self, prompt: &str, default: &str) -> Result<String> {
            let r = self.next(prompt);
            Ok(if r.is_empty() { default.to_string() } else { r })
        }
        fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
            let r = self.next(prompt);
            Ok(if r.is_empty() {
                default
            } else {
                items.iter().position(|i| *i == r).expect("a listed item")
            })
        }
        fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool> {
            let r = self.next(prompt);
            Ok(if r.is_empty() { default } else { r == "y" })
        }
        fn say(&mut self, line: &str) {
            self.said.push(line.to_string());
        }
    }

    #[test]
    fn asks_only_what_is_open_and_shows_origins() {
        let mut layers = Layers::default();
        layers.flags.name = Some("shop".into());
        layers.flags.uid = Some("1500".into());
        layers.detected.python = Some("3.11".into());
        layers
            .detected_origin
            .insert("python", "requires-python >=3.11,<3.12".into());
        // package, python, kind, ports, command, arch, base image, installer, coverage, health path
        let mut p = Scripted::new(&["", "", "web", "8080", "", "", "", "", "90", ""]);
        let a = ask(&layers, &mut p).unwrap();
        assert_eq!(a.name.value, "shop");
        assert_eq!(a.uid.value, 1500);
        assert_eq!(a.python.value, (3, 11));
        assert_eq!(a.ports.value, vec![8080]);
        assert_eq!(a.coverage_min.value, 90);
        assert!(
            p.asked
                .iter()
                .all(|q| !q.starts_with("Project name") && !q.starts_with("Numeric user")),
            "{:?}",
            p.asked
        );
        assert!(
            p.asked[1].contains("from requires-python >=3.11,<3.12"),
            "{:?}",
            p.asked
        );
        assert_eq!(p.asked.len(), 10);
    }

    #[test]
    fn a_bad_reply_is_explained_and_asked_again() {
        let layers = Layers {
            flags: Partial {
                name: Some("x".into()),
                package: Some("x".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut p = Scripted::new(&["2.7", "3.13", "cli", "", "", "", "", "", "", ""]);
        let a = ask(&layers, &mut p).unwrap();
        assert_eq!(a.python.value, (3, 13));
        assert!(
            p.said.iter().any(|s| s.contains("--python `2.7`")),
            "{:?}",
            p.said
        );
        assert!(
            !p.asked.iter().any(|q| q.starts_with("Health")),
            "cli has no health path question"
        );
    }
}
