//! The wizard driven by scripted replies.

use super::*;
use crate::answers::Raw;
use std::collections::VecDeque;

/// The scripted reply that presses Esc.
pub const ESC: &str = "<esc>";

/// Replies from a script; records every prompt it was asked.
#[derive(Default)]
pub struct Scripted {
    pub replies: VecDeque<String>,
    pub asked: Vec<String>,
    pub said: Vec<String>,
    /// Questions (`? prompt`) and lines said, in the order they came.
    pub log: Vec<String>,
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
        self.log.push(format!("? {prompt}"));
        self.replies
            .pop_front()
            .unwrap_or_else(|| panic!("unscripted question: {prompt}"))
    }
}

impl Prompter for Scripted {
    fn input(&mut self, prompt: &str, default: &str, check: Check) -> Result<Option<String>> {
        loop {
            let r = self.next(prompt);
            if r == ESC {
                return Ok(None);
            }
            let r = if r.is_empty() { default.to_string() } else { r };
            match check(&r) {
                Ok(()) => return Ok(Some(r)),
                Err(why) => self.said.push(why),
            }
        }
    }
    fn multi_select(&mut self, prompt: &str, items: &[String]) -> Result<Option<Vec<usize>>> {
        let r = self.next(prompt);
        if r == ESC {
            return Ok(None);
        }
        Ok(Some(
            r.split(',')
                .filter(|s| !s.is_empty())
                .map(|s| items.iter().position(|i| i == s).expect("a listed item"))
                .collect(),
        ))
    }
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<Option<usize>> {
        let r = self.next(prompt);
        Ok(if r == ESC {
            None
        } else if r.is_empty() {
            Some(default)
        } else {
            Some(items.iter().position(|i| *i == r).expect("a listed item"))
        })
    }
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool> {
        let r = self.next(prompt);
        Ok(if r.is_empty() { default } else { r == "y" })
    }
    fn say(&mut self, line: &str) {
        self.said.push(line.to_string());
        self.log.push(line.to_string());
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
        summary.contains("Python version") && summary.contains("from requires-python >=3.11,<3.12"),
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
        "accept all",
    ]);
    let a = ask(&layers, &mut p).unwrap();
    assert_eq!(a.python.value, (3, 13));
    assert_eq!(a.coverage_min.value, 90);
    assert_eq!(a.base_image.value, "python:3.13-slim");
    assert_eq!(p.asked.len(), 5, "{:?}", p.asked);
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
    let mut p = Scripted::new(&["change some", "CI workflow", "github", "accept all"]);
    let a = ask(&layers, &mut p).unwrap();
    assert_eq!(a.ci.value, crate::model::Ci::Github);
    assert_eq!(a.ci.origin, crate::model::Origin::Typed);
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
        "accept all",
    ]);
    let a = ask(&layers, &mut p).unwrap();
    assert_eq!(a.name.value, "bad-name");
    assert_eq!(a.python.value, (3, 13));
    let said = p.said.join("\n");
    assert!(
        said.contains("Project name `Bad Name!`: ") && said.contains("did you mean `bad-name`?"),
        "{said}"
    );
    assert!(said.contains("Python version `2.7`: must be"), "{said}");
    assert!(
        !said.contains("--name") && !said.contains("--python"),
        "{said}"
    );
}

/// Issue 19: a command typed in the wizard that starts gunicorn gets gunicorn installed, and
/// the reply shows as typed, not as a flag.
#[test]
fn a_typed_command_gets_its_server_and_shows_as_typed() {
    let layers = Layers {
        retrofit: true,
        detected_command: Some((
            crate::model::DetectedCommand::Unknown("no console script".into()),
            String::new(),
        )),
        ..Layers::default()
    };
    let mut p = Scripted::new(&["gunicorn --bind 0.0.0.0:8000 openapp:app", "accept all"]);
    let a = ask(&layers, &mut p).unwrap();
    assert_eq!(a.server.value, ["gunicorn==23.0.0"]);
    assert_eq!(a.command.origin, Origin::Typed);
    let summary = crate::report::summary(&a);
    assert!(
        summary.contains("openapp:app  (typed)") && !summary.contains("from flag"),
        "{summary}"
    );
}

/// Issue 19: a default that breaks a rule (requires-python >=3.13, nothing detected, so the
/// default 3.12) shows its problem in the summary before "accept all"; accepting is refused
/// with the problem and every answer typed so far stays.
#[test]
fn a_broken_default_shows_before_accept_and_a_refused_accept_keeps_the_answers() {
    let layers = Layers {
        requires_python: Some((">=3.13".into(), "pyproject.toml requires-python".into())),
        ..Layers::default()
    };
    let mut p = Scripted::new(&[
        "change some",
        "Project name",
        "shop",
        "accept all",
        "change some",
        "Python version",
        "3.13",
        "accept all",
    ]);
    let a = ask(&layers, &mut p).unwrap();
    assert_eq!((a.name.value.as_str(), a.python.value), ("shop", (3, 13)));
    let log = p.log.join("\n");
    let first_question = log.find("? Use these answers?").unwrap();
    let problem = log
        .find("✘ Python version `3.12`: must satisfy pyproject.toml requires-python `>=3.13`")
        .unwrap_or_else(|| panic!("{log}"));
    assert!(problem < first_question, "{log}");
    // The refused accept says why, and the name typed before it is still there.
    let refused = log.find("cannot accept these answers:").expect("refused");
    let after = &log[refused..];
    assert!(after.contains("shop  (typed)"), "{log}");
}

/// Issue 19: after "change some" the summary is shown again, with what moved as a consequence.
#[test]
fn after_a_change_the_summary_shows_what_moved_with_it() {
    let mut p = Scripted::new(&[
        "change some",
        "Project name,Kind",
        "shop-two",
        "mcp",
        "accept all",
    ]);
    let layers = Layers {
        fallback_name: Some("shop".into()),
        ..Layers::default()
    };
    let a = ask(&layers, &mut p).unwrap();
    assert_eq!(a.package.value, "shop_two");
    let log = p.log.join("\n");
    let again = log.find("answers now").unwrap_or_else(|| panic!("{log}"));
    let after = &log[again..];
    assert!(
        after.contains("shop_two  (default") && after.contains("← was shop"),
        "{after}"
    );
    assert!(after.contains("streamable-http"), "{after}");
    assert!(after.contains("← was none"), "{after}");
}

/// Issue 19: Esc goes back to the previous question, whose reply is offered again.
#[test]
fn esc_goes_back_to_the_previous_question() {
    let mut p = Scripted::new(&[
        "change some",
        "Project name,Python version",
        "shop",
        ESC,
        "shop-two",
        "3.13",
        "accept all",
    ]);
    let a = ask(&Layers::default(), &mut p).unwrap();
    assert_eq!(
        (a.name.value.as_str(), a.python.value),
        ("shop-two", (3, 13))
    );
    let names = p
        .asked
        .iter()
        .filter(|q| q.starts_with("Project name"))
        .count();
    assert_eq!(names, 2, "{:?}", p.asked);
    // Asked again, the name offers the reply given before Esc.
    assert!(
        p.asked
            .iter()
            .any(|q| q.starts_with("Project name: shop (typed)")),
        "{:?}",
        p.asked
    );
    // Esc on the first picked question goes back to the choice.
    let mut p = Scripted::new(&["change some", "Project name", ESC, "accept all"]);
    ask(&Layers::default(), &mut p).unwrap();
    assert_eq!(
        p.asked
            .iter()
            .filter(|q| *q == "Use these answers?")
            .count(),
        2,
        "{:?}",
        p.asked
    );
}
