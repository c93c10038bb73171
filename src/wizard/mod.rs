//! The interactive wizard: the only user of dialoguer.
//!
//! It asks only what flags and the answers file left open, offers each current default with its
//! origin (`3.12 (from requires-python >=3.10)`), checks every reply with the same validator as
//! every other source, and asks again on a bad value. Prompting goes through the [`Prompter`]
//! trait, so tests drive the wizard with scripted replies and non-interactive runs cannot prompt.
//! The terminal's prompter is `terminal.rs`; the per-file conflict prompt over a plan is
//! `conflicts.rs`.

mod conflicts;
mod terminal;

use crate::answers::{self, Answers, AnswersError, Ask, Field, Layers, Partial};
use crate::error::Result;
use crate::model::Origin;

pub use conflicts::{resolve_conflicts, Contradicted};
pub use terminal::{report_interrupt, Terminal};

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
        trial.typed.insert(field);
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

#[cfg(test)]
pub mod tests;
