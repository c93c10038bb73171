//! The real terminal, through dialoguer (the only user of it), and the one line an
//! interrupted run ends with.

use super::{Check, Prompter};
use crate::error::{Error, Result};

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
    /// A line editor of its own: dialoguer's text input has no Esc. Enter takes the reply (the
    /// default when empty) if `check` accepts it, else shows `✘ why` and asks again; Esc goes
    /// back; Ctrl-C interrupts (the handler set in `new`).
    fn input(&mut self, prompt: &str, default: &str, check: Check) -> Result<Option<String>> {
        use console::{style, Key};
        let io = |e: std::io::Error| interrupted(dialoguer::Error::IO(e));
        loop {
            self.term
                .write_str(&format!(
                    "{} {} › ",
                    style("?").yellow(),
                    style(prompt).bold()
                ))
                .map_err(io)?;
            let mut reply = String::new();
            loop {
                match self.term.read_key().map_err(io)? {
                    Key::Enter => break,
                    Key::Escape => {
                        self.term.write_line("").map_err(io)?;
                        return Ok(None);
                    }
                    Key::Backspace if reply.pop().is_some() => {
                        self.term.clear_chars(1).map_err(io)?;
                    }
                    Key::Char(c) if !c.is_control() => {
                        reply.push(c);
                        self.term.write_str(&c.to_string()).map_err(io)?;
                    }
                    _ => {}
                }
            }
            self.term.write_line("").map_err(io)?;
            let reply = if reply.trim().is_empty() {
                default.to_string()
            } else {
                reply
            };
            match check(&reply) {
                Ok(()) => return Ok(Some(reply)),
                Err(why) => self
                    .term
                    .write_line(&format!("{} {why}", style("✘").red()))
                    .map_err(io)?,
            }
        }
    }

    fn multi_select(&mut self, prompt: &str, items: &[String]) -> Result<Option<Vec<usize>>> {
        dialoguer::MultiSelect::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .interact_on_opt(&self.term)
            .map_err(interrupted)
    }

    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<Option<usize>> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on_opt(&self.term)
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
