//! The wizard driven by scripted replies.

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
