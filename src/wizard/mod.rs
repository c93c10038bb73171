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

use std::collections::BTreeMap;

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
    /// refuses is not accepted (the terminal shows why and asks again). `None`: Esc, back to
    /// the previous question.
    fn input(&mut self, prompt: &str, default: &str, check: Check) -> Result<Option<String>>;
    /// Asks for one of `items`; returns its index, or `None` on Esc (back).
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<Option<usize>>;
    /// Asks for any number of `items`; returns their indexes, or `None` on Esc (back).
    fn multi_select(&mut self, prompt: &str, items: &[String]) -> Result<Option<Vec<usize>>>;
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
/// with the problem of any answer that breaks a rule (a default `requires-python` does not
/// allow), asks what is still open (an answer with no valid value), then offers "accept all"
/// or "change some": only the answers picked are asked, and the summary is shown again with
/// what changed as a consequence (the transport of a new kind, the package of a new name).
/// "accept all" with a problem left is refused with the problem, and the answers stay. Esc
/// goes back to the previous question. Replies are the user's own answers, kept like flags;
/// accepted defaults stay defaults (so a derived default keeps following its answer).
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
    summary(&layers, None, prompter);
    // Esc on the first open question has nowhere to go back to: it is asked again.
    while !ask_in_turn(&open, &mut layers, prompter)? {}
    let choices = ["accept all".to_string(), "change some".to_string()];
    loop {
        // What no flag or answers file settled, and what was typed here (changed again).
        let changeable: Vec<Field> = Field::ALL
            .iter()
            .copied()
            .filter(|f| {
                applies(*f, &layers)
                    && (layers.typed.contains(f)
                        || (!settled.contains_key(f) && !layers.flags.contains_key(f)))
            })
            .collect();
        if changeable.is_empty() {
            return Ok(answers::resolve(&layers)?);
        }
        match prompter.select("Use these answers?", &choices, 0)? {
            Some(0) => match answers::resolve(&layers) {
                Ok(a) => return Ok(a),
                // Refused: the problems are said, every answer so far is kept, and the
                // choice is offered again.
                Err(AnswersError::Invalid(problems)) => {
                    prompter.say("cannot accept these answers:");
                    for p in &problems {
                        prompter.say(&format!("  ✘ {}", p.in_prompt()));
                    }
                }
                Err(e) => return Err(e.into()),
            },
            Some(_) => {
                let items: Vec<String> = changeable.iter().map(|f| words(*f).to_string()).collect();
                let Some(picked) = prompter.multi_select(
                    "Which answers to change? (space picks, enter goes on, Esc goes back)",
                    &items,
                )?
                else {
                    continue;
                };
                let before = shown_values(&layers);
                let fields: Vec<Field> = picked.into_iter().map(|i| changeable[i]).collect();
                if ask_in_turn(&fields, &mut layers, prompter)? {
                    summary(&layers, Some(&before), prompter);
                }
            }
            None => {}
        }
    }
}

/// Every answer's shown value, to tell what a change moved.
fn shown_values(layers: &Layers) -> BTreeMap<Field, String> {
    let (preview, _) = answers::preview(layers);
    Field::ALL
        .iter()
        .filter_map(|f| preview.shown(*f).map(|(text, _)| (*f, text)))
        .collect()
}

/// The summary: each answer that applies with its origin, the problem of one that breaks a
/// rule under it; after a change, `← was OLD` on each answer that moved.
fn summary(layers: &Layers, before: Option<&BTreeMap<Field, String>>, prompter: &mut dyn Prompter) {
    let (preview, problems) = answers::preview(layers);
    prompter.say(match before {
        None => "answers (flags, the answers file, the project and defaults):",
        Some(_) => "answers now (← marks what changed):",
    });
    for field in Field::ALL.iter().copied().filter(|f| applies(*f, layers)) {
        let line = match preview.shown(field) {
            Some((text, origin)) => {
                let moved = match before.map(|b| b.get(&field)) {
                    Some(Some(old)) if *old != text => format!("  ← was {}", shown_text(old)),
                    Some(None) => "  ← new".to_string(),
                    _ => String::new(),
                };
                format!(
                    "  {:<28} {}  ({origin}){moved}",
                    words(field),
                    shown_text(&text)
                )
            }
            None => format!("  {:<28} (open: asked next)", words(field)),
        };
        prompter.say(&line);
        for p in problems.iter().filter(|p| p.field == field) {
            prompter.say(&format!("      ✘ {}", p.in_prompt()));
        }
    }
}

fn shown_text(text: &str) -> String {
    if text.is_empty() {
        "(none)".into()
    } else {
        text.to_string()
    }
}

/// Asks `fields` in turn (those that still apply); Esc goes back one question. Returns false
/// when Esc was pressed on the first one (back to where the questions were chosen).
fn ask_in_turn(fields: &[Field], layers: &mut Layers, prompter: &mut dyn Prompter) -> Result<bool> {
    let mut asked: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < fields.len() {
        // An answer picked may no longer apply (the kind changed to one without HTTP).
        if !applies(fields[i], layers) {
            i += 1;
            continue;
        }
        if ask_one(fields[i], layers, prompter)? {
            asked.push(i);
            i += 1;
        } else {
            match asked.pop() {
                Some(previous) => i = previous,
                None => return Ok(false),
            }
        }
    }
    Ok(true)
}

/// Asks one question until its reply passes the answer's rule; the reply joins the flags layer.
/// Returns false on Esc (nothing changes).
fn ask_one(field: Field, layers: &mut Layers, prompter: &mut dyn Prompter) -> Result<bool> {
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
        prompter
            .select(&prompt, &items, at)?
            .map(|i| items[i].clone())
    };
    let Some(reply) = reply else {
        return Ok(false);
    };
    *layers = trial(&reply);
    Ok(true)
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
