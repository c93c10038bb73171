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
