//! What a broken answer is reported as: a `Problem` (the answer, the value, the rule, an
//! example), in the flags' words or the wizard's, and `AnswersError`.

use std::fmt;
use std::path::PathBuf;

use super::table::Field;

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
