//! The interactive wizard: the only user of dialoguer.
//!
//! It asks only what flags and the answers file left open, offers each current default with its
//! origin (`3.12 (from requires-python >=3.10)`), checks every reply with the same validator as
//! every other source, and asks again on a bad value. Prompting goes through the [`Prompter`]
//! trait, so tests drive the wizard with scripted replies and non-interactive runs cannot prompt.

use crate::answers::{self, Answers, AnswersError, Ask, Field, Layers, Partial};
use crate::error::{Error, Result};
use crate::model::Origin;

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

/// The answers, one per line with where each came from, for `--dry-run`:
/// `  --python        3.12  (from requires-python >=3.10)`.
pub fn summary(answers: &Answers) -> String {
    let preview = answers.preview();
    let mut out = String::from("answers:\n");
    for field in Field::ALL {
        if let Some((text, origin)) = preview.shown(*field) {
            let text = if text.is_empty() {
                "(none)".to_string()
            } else {
                text
            };
            let flag = format!("--{}", field.spec().flag);
            out.push_str(&format!("  {flag:<15} {text}  ({origin})\n"));
        }
    }
    out
}

/// Asks every open question, in the table's order; returns the answers to render. A question
/// whose row says `Ask::WhenServingHttp` is asked only when the kind chosen before serves HTTP.
pub fn ask(layers: &Layers, prompter: &mut dyn Prompter) -> Result<Answers> {
    // Replies sit in the flags layer: they are the user's own answers, like flags.
    let mut layers = layers.clone();
    let mut settled: Partial = layers.flags.clone();
    if let Some((_, file)) = &layers.file {
        for (field, raw) in file {
            settled.entry(*field).or_insert_with(|| raw.clone());
        }
    }
    for field in Field::ALL.iter().copied() {
        if settled.contains_key(&field) {
            continue;
        }
        let spec = field.spec();
        if spec.ask == Ask::Never {
            continue;
        }
        let (preview, _) = answers::preview(&layers);
        if spec.ask == Ask::WhenServingHttp
            && preview
                .kind
                .as_ref()
                .is_some_and(|k| !k.value.serves_http())
        {
            continue;
        }
        loop {
            let (default, origin) = match preview.shown(field) {
                Some((text, origin)) => (text, Some(origin)),
                None => (String::new(), None),
            };
            let prompt = prompt_line(spec.prompt, &default, origin.as_ref());
            let reply = if spec.choices.is_empty() {
                prompter.input(&prompt, &default)?
            } else {
                let items: Vec<String> = spec.choices.iter().map(|s| s.to_string()).collect();
                let at = items.iter().position(|i| *i == default).unwrap_or(0);
                items[prompter.select(&prompt, &items, at)?].clone()
            };
            let mut trial = layers.clone();
            trial
                .flags
                .insert(field, spec.shape.from_text(vec![reply.trim().to_string()]));
            match answers::resolve(&trial) {
                Err(AnswersError::Invalid(problems))
                    if problems.iter().any(|p| p.field == field) =>
                {
                    for p in problems.iter().filter(|p| p.field == field) {
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
    Ok(answers::resolve(&layers)?)
}

/// `Python version (3.9-3.14): 3.12 (from requires-python >=3.10)`; Enter keeps the default.
fn prompt_line(prompt: &str, default: &str, origin: Option<&Origin>) -> String {
    match origin {
        Some(o) if default.is_empty() => format!("{prompt} ({o})"),
        Some(o) => format!("{prompt}: {default} ({o})"),
        None => prompt.to_string(),
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
    use crate::answers::Raw;
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
        layers.flags.insert(Field::Name, Raw::Text("shop".into()));
        layers.flags.insert(Field::Uid, Raw::Text("1500".into()));
        layers
            .detected
            .insert(Field::Python, Raw::Text("3.11".into()));
        layers
            .detected_origin
            .insert(Field::Python, "requires-python >=3.11,<3.12".into());
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
            flags: [
                (Field::Name, Raw::Text("x".into())),
                (Field::Package, Raw::Text("x".into())),
            ]
            .into(),
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
