//! The interactive wizard: the only user of dialoguer.
//!
//! It asks only what flags and the answers file left open, offers each current default with its
//! origin (`3.12 (from requires-python >=3.10)`), checks every reply with the same validator as
//! every other source, and asks again on a bad value. Prompting goes through the [`Prompter`]
//! trait, so tests drive the wizard with scripted replies and non-interactive runs cannot prompt.

use crate::answers::{self, Answers, AnswersError, Ask, Field, Layers, Partial};
use crate::error::{Error, Result};
use crate::model::Origin;
use crate::plan::{Action, Plan};

/// Checks a typed reply before the prompt accepts it: `Err` is shown under the prompt, in the
/// prompt's words, and the question stays open.
pub type Check<'a> = &'a dyn Fn(&str) -> std::result::Result<(), String>;

/// One way of asking questions; the terminal one is [`Terminal`], tests script their own.
pub trait Prompter {
    /// Asks for text; `default` is offered and returned on an empty reply; a reply `check`
    /// refuses is not accepted (the terminal shows why and asks again).
    fn input(&mut self, prompt: &str, default: &str, check: Check) -> Result<String>;
    /// Asks for one of `items`; returns its index.
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize>;
    /// Asks for any number of `items`; returns their indexes.
    fn multi_select(&mut self, prompt: &str, items: &[String]) -> Result<Vec<usize>>;
    /// Asks yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool>;
    /// Shows a line (the summary, the plan).
    fn say(&mut self, line: &str);
}

/// The question's words without its hint: `Python version (3.9-3.14)` → `Python version`.
fn words(field: Field) -> &'static str {
    let prompt = field.spec().prompt;
    prompt.split(" (").next().unwrap_or(prompt)
}

/// Whether the wizard has anything to ask about `field` given the answers so far: the row's
/// `ask` column, against the kind (and, for MCP, the transport) chosen before.
fn applies(field: Field, layers: &Layers) -> bool {
    let (preview, _) = answers::preview(layers);
    let kind = preview.kind.as_ref().map(|k| k.value);
    let mcp_over_http = preview
        .transport
        .as_ref()
        .is_some_and(|t| t.value.serves_http());
    let serving_http = match kind {
        Some(crate::model::Kind::Mcp) => mcp_over_http,
        Some(k) => k.serves_http(),
        None => true,
    };
    match field.spec().ask {
        Ask::Always => true,
        Ask::WhenServingHttp => serving_http,
        Ask::WhenMcp => kind.is_none_or(|k| k == crate::model::Kind::Mcp),
        Ask::WhenGithubWorkflows => !layers.retrofit || layers.github_workflows,
        Ask::Never => false,
    }
}

/// Shows what flags, the answers file, the project and the defaults settled as one summary,
/// asks what is still open (an answer with no valid value), then offers "accept all" or
/// "change some": only the answers picked are asked. Replies are the user's own answers, kept
/// like flags; accepted defaults stay defaults (so a derived default keeps following its answer).
pub fn ask(layers: &Layers, prompter: &mut dyn Prompter) -> Result<Answers> {
    let mut layers = layers.clone();
    let mut settled: Partial = layers.flags.clone();
    if let Some((_, file)) = &layers.file {
        for (field, raw) in file {
            settled.entry(*field).or_insert_with(|| raw.clone());
        }
    }
    // Open: what has no valid value yet (nothing detected and no default, or a bad detected one).
    let (preview, _) = answers::preview(&layers);
    let open: Vec<Field> = Field::ALL
        .iter()
        .copied()
        .filter(|f| preview.shown(*f).is_none() && applies(*f, &layers))
        .collect();
    prompter.say("answers (flags, the answers file, the project and defaults):");
    for field in Field::ALL.iter().copied().filter(|f| applies(*f, &layers)) {
        let line = match preview.shown(field) {
            Some((text, origin)) => {
                let text = if text.is_empty() {
                    "(none)".into()
                } else {
                    text
                };
                format!("  {:<28} {text}  ({origin})", words(field))
            }
            None => format!("  {:<28} (open: asked next)", words(field)),
        };
        prompter.say(&line);
    }
    for field in open {
        ask_one(field, &mut layers, prompter)?;
    }
    let changeable: Vec<Field> = Field::ALL
        .iter()
        .copied()
        .filter(|f| {
            !settled.contains_key(f) && !layers.flags.contains_key(f) && applies(*f, &layers)
        })
        .collect();
    if changeable.is_empty() {
        return Ok(answers::resolve(&layers)?);
    }
    let choices = ["accept all".to_string(), "change some".to_string()];
    if prompter.select("Use these answers?", &choices, 0)? == 1 {
        let items: Vec<String> = changeable.iter().map(|f| words(*f).to_string()).collect();
        let picked = prompter.multi_select(
            "Which answers to change? (space picks, enter goes on)",
            &items,
        )?;
        for i in picked {
            let field = changeable[i];
            // An answer picked may no longer apply (the kind changed to one without HTTP).
            if applies(field, &layers) {
                ask_one(field, &mut layers, prompter)?;
            }
        }
    }
    Ok(answers::resolve(&layers)?)
}

/// Asks one question until its reply passes the answer's rule; the reply joins the flags layer.
fn ask_one(field: Field, layers: &mut Layers, prompter: &mut dyn Prompter) -> Result<()> {
    let spec = field.spec();
    let (preview, _) = answers::preview(layers);
    let (default, origin) = match preview.shown(field) {
        Some((text, origin)) => (text, Some(origin)),
        None => (String::new(), None),
    };
    let prompt = prompt_line(spec.prompt, &default, origin.as_ref());
    let trial = |reply: &str| {
        let mut trial = layers.clone();
        trial
            .flags
            .insert(field, spec.shape.from_text(vec![reply.trim().to_string()]));
        trial
    };
    let check = |reply: &str| match answers::resolve(&trial(reply)) {
        Err(AnswersError::Invalid(problems)) if problems.iter().any(|p| p.field == field) => {
            Err(problems
                .iter()
                .filter(|p| p.field == field)
                .map(|p| p.in_prompt())
                .collect::<Vec<_>>()
                .join("; "))
        }
        _ => Ok(()),
    };
    let reply = if spec.choices.is_empty() {
        prompter.input(&prompt, &default, &check)?
    } else {
        let items: Vec<String> = spec.choices.iter().map(|s| s.to_string()).collect();
        let at = items.iter().position(|i| *i == default).unwrap_or(0);
        items[prompter.select(&prompt, &items, at)?].clone()
    };
    *layers = trial(&reply);
    Ok(())
}

/// `Python version (3.9-3.14): 3.12 (from requires-python >=3.10)`; Enter keeps the default.
fn prompt_line(prompt: &str, default: &str, origin: Option<&Origin>) -> String {
    match origin {
        Some(o) if default.is_empty() => format!("{prompt} ({o})"),
        Some(o) => format!("{prompt}: {default} ({o})"),
        None => prompt.to_string(),
    }
}

/// The conflict prompt: the per-file choice for each file that differs: overwrite (a copy is kept in
/// `.dockwright/backup/`), keep mine (that file is not written), or show the diff and ask again.
pub fn resolve_conflicts(plan: &mut Plan, p: &mut dyn Prompter) -> Result<()> {
    let choices = [
        "overwrite (keep a copy in .dockwright/backup/)".to_string(),
        "keep mine".to_string(),
        "show diff".to_string(),
    ];
    let mut kept = Vec::new();
    for (i, e) in plan.entries.iter_mut().enumerate() {
        if e.action != Action::Conflict || e.existing.is_none() {
            continue;
        }
        loop {
            let prompt = format!(
                "{} differs from what dockwright would write",
                e.path.display()
            );
            match p.select(&prompt, &choices, 1)? {
                0 => {
                    e.action = Action::Overwrite;
                    break;
                }
                1 => {
                    kept.push(i);
                    break;
                }
                _ => {
                    let diff = crate::report::file_diff(e);
                    for line in diff.lines() {
                        p.say(line);
                    }
                }
            }
        }
    }
    for i in kept.into_iter().rev() {
        let e = plan.entries.remove(i);
        p.say(&format!("  keep       {}", e.path.display()));
    }
    Ok(())
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
            let _ = console::Term::stderr().show_cursor();
            report_interrupt();
            std::process::exit(130);
        });
        Terminal {
            term: console::Term::stderr(),
            theme: dialoguer::theme::ColorfulTheme::default(),
        }
    }
}

static INTERRUPT_REPORTED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Prints the one line an interrupted run ends with, once, however the Ctrl-C arrived (as a
/// signal, or as a key a prompt read in raw mode).
pub fn report_interrupt() {
    if !INTERRUPT_REPORTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
        let _ = console::Term::stderr().write_line("\ninterrupted: nothing was written");
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
    fn input(&mut self, prompt: &str, default: &str, check: Check) -> Result<String> {
        dialoguer::Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default.to_string())
            // The prompt already shows the default with its origin.
            .show_default(false)
            .allow_empty(true)
            // A refused reply is shown with ✘ and the reason, and the question stays open.
            .validate_with(|reply: &String| check(reply))
            .interact_text_on(&self.term)
            .map_err(interrupted)
    }

    fn multi_select(&mut self, prompt: &str, items: &[String]) -> Result<Vec<usize>> {
        dialoguer::MultiSelect::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .interact_on(&self.term)
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
        fn input(&mut self, prompt: &str, default: &str, check: Check) -> Result<String> {
            loop {
                let r = self.next(prompt);
                let r = if r.is_empty() { default.to_string() } else { r };
                match check(&r) {
                    Ok(()) => return Ok(r),
                    Err(why) => self.said.push(why),
                }
            }
        }
        fn multi_select(&mut self, prompt: &str, items: &[String]) -> Result<Vec<usize>> {
            let r = self.next(prompt);
            Ok(r.split(',')
                .filter(|s| !s.is_empty())
                .map(|s| items.iter().position(|i| i == s).expect("a listed item"))
                .collect())
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
    fn accept_all_asks_nothing_but_what_is_open() {
        let mut layers = Layers::default();
        layers.flags.insert(Field::Name, Raw::Text("shop".into()));
        layers
            .detected
            .insert(Field::Python, Raw::Text("3.11".into()));
        layers
            .detected_origin
            .insert(Field::Python, "requires-python >=3.11,<3.12".into());
        // The command cannot be detected: it is the one open question.
        layers.detected_command = Some((
            crate::model::DetectedCommand::Unknown("no console script".into()),
            String::new(),
        ));
        let mut p = Scripted::new(&["shop serve", "accept all"]);
        let a = ask(&layers, &mut p).unwrap();
        assert_eq!(p.asked.len(), 2, "{:?}", p.asked);
        assert!(p.asked[0].starts_with("Command the container runs"));
        assert_eq!(p.asked[1], "Use these answers?");
        assert_eq!(a.python.value, (3, 11));
        assert_eq!(a.command.value.argv, ["shop", "serve"]);
        let summary = p.said.join("\n");
        assert!(
            summary.contains("Python version")
                && summary.contains("from requires-python >=3.11,<3.12"),
            "{summary}"
        );
        assert!(summary.contains("(open: asked next)"), "{summary}");
        // Accepted defaults stay defaults: the base image is not recorded, it follows Python.
        assert!(matches!(a.base_image.origin, Origin::Default(_)));
        assert!(!a.recorded().iter().any(|(f, _)| *f == Field::BaseImage));
    }

    #[test]
    fn change_some_asks_only_the_picked_answers() {
        let mut layers = Layers::default();
        layers.flags.insert(Field::Uid, Raw::Text("1500".into()));
        let mut p = Scripted::new(&[
            "change some",
            "Python version,Minimum test coverage",
            "3.13",
            "90",
        ]);
        let a = ask(&layers, &mut p).unwrap();
        assert_eq!(a.python.value, (3, 13));
        assert_eq!(a.coverage_min.value, 90);
        assert_eq!(a.base_image.value, "python:3.13-slim");
        assert_eq!(p.asked.len(), 4, "{:?}", p.asked);
        // --uid was given: it is not offered for change.
        assert!(!p.asked.iter().any(|q| q.starts_with("Numeric user")));
    }

    #[test]
    fn ci_is_offered_for_new_and_for_init_on_a_project_with_github_workflows() {
        let mut layers = Layers::default();
        assert!(applies(Field::Ci, &layers), "new");
        layers.retrofit = true;
        assert!(
            !applies(Field::Ci, &layers),
            "init without .github/workflows/"
        );
        layers.github_workflows = true;
        assert!(applies(Field::Ci, &layers), "init with .github/workflows/");
        let mut p = Scripted::new(&["change some", "CI workflow", "github"]);
        let a = ask(&layers, &mut p).unwrap();
        assert_eq!(a.ci.value, crate::model::Ci::Github);
        assert_eq!(a.ci.origin, crate::model::Origin::Flag);
    }

    #[test]
    fn a_bad_reply_is_refused_in_the_prompts_words_with_a_suggestion() {
        let layers = Layers::default();
        let mut p = Scripted::new(&[
            "change some",
            "Project name,Python version",
            "Bad Name!",
            "bad-name",
            "2.7",
            "3.13",
        ]);
        let a = ask(&layers, &mut p).unwrap();
        assert_eq!(a.name.value, "bad-name");
        assert_eq!(a.python.value, (3, 13));
        let said = p.said.join("\n");
        assert!(
            said.contains("Project name `Bad Name!`: ")
                && said.contains("did you mean `bad-name`?"),
            "{said}"
        );
        assert!(said.contains("Python version `2.7`: must be"), "{said}");
        assert!(
            !said.contains("--name") && !said.contains("--python"),
            "{said}"
        );
    }
}
