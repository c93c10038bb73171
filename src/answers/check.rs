//! The vocabulary of the defaults and rules: what an answer falls back on (`Fallback`), a
//! broken rule (`Broken`), how a raw value reaches a rule (`text`, `items`), and the "did you
//! mean" of a near miss (`choice`, `closest`, `slug`).

use super::raw::Raw;
use crate::model::Origin;

/// What an answer falls back on when no layer gives it.
pub enum Fallback {
    /// This value, from this origin (a default, or something derived from the project).
    Value(Raw, Origin),
    /// An answer this default derives from did not resolve; its problem is listed already.
    Missing,
    /// There is no default: the answer must be given.
    Required { rule: String, example: String },
}

impl Fallback {
    /// A plain built-in default.
    pub fn fixed(value: &str) -> Fallback {
        Fallback::Value(Raw::Text(value.into()), Origin::Default(String::new()))
    }

    /// A plain built-in default list.
    pub fn fixed_list(values: &[&str]) -> Fallback {
        Fallback::Value(
            Raw::List(values.iter().map(|s| s.to_string()).collect()),
            Origin::Default(String::new()),
        )
    }
}

/// One broken rule, before it is attached to its answer and origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub value: String,
    pub rule: String,
    pub example: String,
}

pub(super) fn broken(value: impl Into<String>, rule: impl Into<String>, example: &str) -> Broken {
    Broken {
        value: value.into(),
        rule: rule.into(),
        example: example.into(),
    }
}

/// A value checked against its rule: every problem with it, or the typed value.
pub type Checked<T> = Result<T, Vec<Broken>>;
/// A single-text rule: the typed value, or (rule, example).
pub type Rule<T> = Result<T, (String, String)>;

/// Applies a single-text rule to a raw value.
pub fn text<T>(raw: &Raw, rule: fn(&str) -> Rule<T>) -> Checked<T> {
    let s = match raw {
        Raw::Text(s) => s.clone(),
        Raw::List(items) | Raw::Argv(items) => items.join(","),
    };
    rule(&s).map_err(|(r, example)| vec![broken(s, r, &example)])
}

/// The items of a list answer, trimmed: each value (a flag may be repeated, a file gives an
/// array) split at commas. Empty items are kept; each rule decides what they mean.
pub(super) fn items(raw: &Raw) -> Vec<String> {
    let values = match raw {
        Raw::Text(s) => std::slice::from_ref(s),
        Raw::List(v) | Raw::Argv(v) => v.as_slice(),
    };
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|i| i.trim().to_string())
        .collect()
}

/// A valid name made of a bad one: lowercase ASCII letters and digits, every other run of
/// characters one `sep` (`Bad Name!` → `bad-name`); `None` when nothing is left.
pub fn slug(s: &str, sep: char) -> Option<String> {
    let mut out = String::new();
    let mut pending = false;
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push(sep);
            }
            pending = false;
            out.push(ch.to_ascii_lowercase());
        } else {
            pending = true;
        }
        if out.len() >= 100 {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The choice closest to `s` by edit distance, when it is close enough to be a typo.
pub fn closest<'a>(s: &str, choices: &[&'a str]) -> Option<&'a str> {
    let s = s.to_ascii_lowercase();
    choices
        .iter()
        .map(|c| (distance(&s, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance between two short strings.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The rule of a fixed list of choices, with a "did you mean" for a near miss.
pub(super) fn choice<T>(s: &str, choices: &[&str], parse: fn(&str) -> Option<T>) -> Rule<T> {
    parse(s).ok_or_else(|| {
        let listed: Vec<String> = choices.iter().map(|c| format!("`{c}`")).collect();
        let rule = format!("must be one of {}", listed.join(", "));
        match closest(s, choices) {
            Some(near) => (format!("{rule}; did you mean `{near}`?"), near.to_string()),
            None => (rule, choices[0].to_string()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Installer, Kind};

    #[test]
    fn near_misses_get_a_suggestion_and_far_ones_do_not() {
        assert_eq!(closest("webb", Kind::NAMES), Some("web"));
        assert_eq!(closest("WEB", Kind::NAMES), Some("web"));
        assert_eq!(closest("libary", Kind::NAMES), Some("library"));
        assert_eq!(closest("pipp", Installer::NAMES), Some("pip"));
        assert_eq!(closest("database", Kind::NAMES), None);
        assert_eq!(closest("x", Installer::NAMES), None);
        let (rule, example) = choice("webb", Kind::NAMES, Kind::parse).unwrap_err();
        assert!(rule.ends_with("; did you mean `web`?"), "{rule}");
        assert_eq!(example, "web");
        assert_eq!(slug("Bad Name!", '-').as_deref(), Some("bad-name"));
        assert_eq!(slug("  My__App 2 ", '_').as_deref(), Some("my_app_2"));
        assert_eq!(slug("!!!", '-'), None);
    }
}
