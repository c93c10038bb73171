//! What follows the plan: how the container serves, a Django site's assumptions, the C
//! compiler, how the image gets the code, how the test image runs the suite, a base image whose
//! Python cannot be checked; and `AfterRun`, which says which of them a run shows.

use std::path::Path;

use super::next_step::{init_next_step, next_steps};
use crate::answers::Answers;
use crate::context::{self, TestRun};
use crate::facts::{DjangoSite, Facts, StubBuild, Suite};
use crate::model::{HealthCheck, Kind, Origin, Transport};
use crate::safety;
use crate::shell;

/// The notes after the plan, and when each is said. Gathered before the run renders (the
/// code and the tests are read from the project's facts, which rendering takes), said once it
/// is known whether files were written; `--json` says none of them.
pub struct AfterRun<'a> {
    pub target: &'a Path,
    pub answers: &'a Answers,
    /// What `init` detected (`None` for `new`).
    pub detected: Option<&'a Facts>,
    /// Where `requires-python` was read, for a base image whose Python cannot be checked.
    pub requires_python: Option<&'a (String, String)>,
    /// The blueprints of the user's own in effect (`Overrides::note`).
    pub blueprints: String,
    /// How the image gets the code (`context::code_install`).
    pub code: Result<StubBuild, String>,
    /// How the test image runs the suite (`context::test_run`).
    pub tests: TestRun,
    /// The suite as detected, for the tests' note.
    pub suite: Suite,
}

impl<'a> AfterRun<'a> {
    /// The notes of a run with these answers, over the project's facts as they render
    /// (`layout`) and, for `init`, as detected.
    pub fn new(
        target: &'a Path,
        answers: &'a Answers,
        layout: &Facts,
        detected: Option<&'a Facts>,
        requires_python: Option<&'a (String, String)>,
        blueprints: String,
    ) -> AfterRun<'a> {
        AfterRun {
            target,
            answers,
            detected,
            requires_python,
            blueprints,
            code: context::code_install(answers, layout),
            tests: context::test_run(answers, layout),
            suite: layout.suite.clone(),
        }
    }

    /// The notes in the order they are said: how the container serves (after `init` wrote the
    /// files; `--dry-run` lists every answer with its origin above instead); then, when files
    /// were written or with the dry run's plan, a base image whose Python nothing here can read,
    /// a Django site (the settings, what collectstatic assumed, the migration command), a wheel
    /// that compiles C code, the blueprints of the user's own (a project's folder is a file the
    /// repository ships), and for `init` how the image gets the code and how the test image
    /// runs the suite; last, after files were written, what to run next.
    pub fn text(&self, written: bool, dry_run: bool) -> String {
        let mut out = String::new();
        if written && self.detected.is_some() {
            out.push_str(&serving_notes(self.answers));
        }
        if written || dry_run {
            out.push_str(&base_image_note(self.answers, self.requires_python));
            if let Some(site) = self.detected.and_then(|f| f.django.as_ref()) {
                out.push_str(&django_note(site));
            }
            if let Some(why) = self.detected.and_then(|f| f.needs_compiler.as_ref()) {
                out.push_str(&compiler_note(why));
            }
            out.push_str(&self.blueprints);
            if self.detected.is_some() {
                out.push_str(&code_note(&self.code));
                out.push_str(&test_note(&self.tests, &self.suite));
            }
        }
        if written {
            // `init` ends with what to run next as `new` does.
            out.push_str(&match self.detected {
                Some(facts) => init_next_step(
                    self.target,
                    self.answers,
                    self.tests.has_tests,
                    facts.django.is_some(),
                ),
                None => next_steps(self.target, self.answers),
            });
        }
        out
    }
}
/// What `init` tells about how the container serves: the command, the server it adds and the
/// health check, each with where it came from (`--dry-run` shows every answer instead).
pub fn serving_notes(answers: &Answers) -> String {
    let mut out = format!(
        "command: {}  ({})\n",
        shell::line(&answers.command.value),
        answers.command.origin
    );
    if answers.kind.value == Kind::Mcp {
        out.push_str(&format!(
            "transport: {}  ({})\n",
            answers.transport.value.as_str(),
            answers.transport.origin
        ));
    }
    if !answers.server.value.is_empty() {
        out.push_str(&format!(
            "server:  {} added to the image  ({})\n",
            answers.server.value.join(" "),
            answers.server.origin
        ));
    }
    if answers.kind.value.serves_http() && answers.transport.value != Transport::Stdio {
        if let HealthCheck::Path(path) = &answers.health_path.value {
            out.push_str(&format!(
                "health:  {path} must answer 2xx  ({})\n",
                answers.health_path.origin
            ));
        } else {
            out.push_str(&format!(
                "health:  any HTTP answer below 500 at /  ({})\n",
                answers.health_path.origin
            ));
        }
    }
    out
}

/// What `init` read from a Django site and assumed for it: the settings module and why, the
/// variables given throw-away values for `collectstatic` at build time, and the migration
/// command with where it came from. Every name is the project's, shown escaped.
pub fn django_note(site: &DjangoSite) -> String {
    let why: Vec<String> = site.settings_why.split("; ").map(safety::shown).collect();
    let mut out = format!(
        "django:  settings {}  ({})\n",
        safety::shown(&site.settings),
        why.join("; ")
    );
    if site.static_root {
        let required = site.required_env.join(", ");
        let assumed = if required.is_empty() {
            "SECRET_KEY".to_string()
        } else if site.required_env.iter().any(|n| n == "SECRET_KEY") {
            format!("{required} (the settings read them without a default)")
        } else {
            format!("{required} (the settings read them without a default) and SECRET_KEY")
        };
        out.push_str(&format!(
            "         collectstatic at build time; assumed: throw-away values of {} in that step only, never in the image\n",
            safety::shown(&assumed)
        ));
        if !site.whitenoise {
            out.push_str("         nothing serves STATIC_ROOT yet (no WhiteNoise): see DOCKER_BEST_PRACTICES.md\n");
        }
    }
    if !site.required_env.is_empty() {
        out.push_str(&format!(
            "         the container needs {} at run time (compose passes it from .env)\n",
            safety::shown(&site.required_env.join(", "))
        ));
    }
    out.push_str(&format!(
        "         migrations: `just docker-migrate` runs {}  ({})\n",
        safety::shown(&shell::line(&site.migrate)),
        safety::shown(&site.migrate_why)
    ));
    out
}

/// A wheel that compiles C code: said after the plan, or with the dry run's.
pub fn compiler_note(why: &str) -> String {
    format!(
        "note: the wheel needs a C compiler ({}): the builder installs gcc and runs on each target platform; the runtime image has no compiler\n",
        safety::shown(why)
    )
}

/// How the image gets the project's code (`context::code_install`): copied last over the
/// installed package, the wheel after the dependency layer, or what builds it instead; and why.
pub fn code_note(code: &Result<StubBuild, String>) -> String {
    match code {
        Ok(s) if s.overlay => format!(
            "code: {} is copied over the installed package last, so a source change rebuilds in one step ({})\n",
            safety::shown(&s.code),
            safety::shown(&s.why)
        ),
        Ok(s) => format!(
            "code: the wheel, built after the dependency layer ({})\n",
            safety::shown(&s.why)
        ),
        // Each clause escaped and cut on its own: a reason names several files.
        Err(why) => format!(
            "code: {}\n",
            why.split("; ")
                .map(safety::shown)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// How the test image runs the project's suite and why, or that no tests were found.
pub fn test_note(run: &TestRun, suite: &Suite) -> String {
    if !run.has_tests {
        return "tests: none found (no test_*.py, *_test.py or tests.py module, no tests/ or test/ directory, no pytest testpaths): `just docker-test` says so and fails until there are some\n".into();
    }
    let dir = match &run.workdir {
        Some(w) => format!("/app/{}", safety::shown(w)),
        None => "/app".into(),
    };
    let mut why = Vec::new();
    if run.django_runner {
        why.push("Django's own runner: no requirement names pytest-django".to_string());
    }
    if let Some(config) = &suite.config {
        why.push(format!(
            "pytest's configuration {}{}",
            safety::shown(config),
            if suite.testpaths {
                " sets testpaths"
            } else {
                ""
            }
        ));
    }
    if !suite.plugins.is_empty() {
        why.push(format!(
            "its addopts need {}, installed",
            safety::shown(&suite.plugins.join(", "))
        ));
    }
    if let Some(env) = &suite.env_file {
        why.push(format!(
            "{} passed with --env-file at run time",
            safety::shown(env)
        ));
    }
    let why = if why.is_empty() {
        String::new()
    } else {
        format!(" ({})", why.join("; "))
    };
    format!(
        "tests: {} in {dir}{why}\n",
        safety::shown(&crate::shell::line(&run.command))
    )
}

/// A base image given that is not an official `python:3.Y` one: nothing here can read its
/// Python version, so it is said once, with what it must match.
pub fn base_image_note(answers: &Answers, requires_python: Option<&(String, String)>) -> String {
    let image = &answers.base_image;
    if matches!(image.origin, Origin::Default(_))
        || !crate::answers::agree::unchecked_base_image(&image.value)
    {
        return String::new();
    }
    let (major, minor) = answers.python.value;
    let against = match requires_python {
        // Read from the project: shown escaped and cut.
        Some((spec, place)) => format!(
            " against {} `{}`",
            safety::shown(place),
            safety::shown(spec)
        ),
        None => String::new(),
    };
    format!(
        "note: the base image `{}` is not an official python:X.Y image, so its Python version cannot be checked{against}: make sure it runs Python {major}.{minor} (ARG PYTHON_VERSION and the virtual environment's path follow that answer)\n",
        safety::shown(&image.value)
    )
}
