//! What to run next: after `new`, and after `init` wrote the files.

use std::path::Path;

use crate::answers::Answers;
use crate::model::{Kind, Origin, Transport};
use crate::shell;

/// What to do after `new`, like `docker init` ends: the commands to run, and, for when the
/// base image cannot be pulled, the one command that moves the images to another: the
/// skeleton's `requires-python` is its real floor (3.9), so any supported Python is accepted,
/// and every file `init` rewrites is still dockwright's, so no `--force` is needed.
pub fn next_steps(target: &Path, answers: &Answers) -> String {
    let serve = if answers.kind.value.serves_http() {
        " && just docker-up"
    } else {
        ""
    };
    let dir = shell::line(&[target.display().to_string()]);
    let (_, minor) = answers.python.value;
    let other = if minor > *crate::answers::rules::PYTHON_MINORS.start() {
        minor - 1
    } else {
        minor + 1
    };
    // A base image the user gave is recorded and kept when Python changes: name another image.
    let retry = if matches!(answers.base_image.origin, Origin::Default(_)) {
        format!("`cd {dir} && dockwright init --python 3.{other}` (or `--base-image IMAGE`)")
    } else {
        format!("`cd {dir} && dockwright init --base-image IMAGE`")
    };
    format!(
        "next: cd {dir} && just docker-build && just docker-test{serve}\n\
         (the images build FROM `{}`; if it cannot be pulled here, move them to another: {retry})\n",
        answers.base_image.value
    )
}

/// What to run after `init` wrote the files, fitting the project: build, the tests when it has
/// some, Django's migrations, then start a service, or run a command-line tool's `--help`.
/// `cd` first unless the project is the current directory.
pub fn init_next_step(target: &Path, answers: &Answers, has_tests: bool, django: bool) -> String {
    let mut steps = vec!["just docker-build".to_string()];
    if has_tests {
        steps.push("just docker-test".into());
    }
    let serves = answers.kind.value.serves_http() && answers.transport.value != Transport::Stdio;
    if serves && django {
        steps.push("just docker-migrate".into());
    }
    if serves {
        steps.push("just docker-up".into());
    } else if answers.kind.value == Kind::Cli {
        steps.push(format!("just docker-run {} --help", answers.image()));
    }
    let here = target.as_os_str().is_empty() || target == Path::new(".");
    let cd = if here {
        String::new()
    } else {
        format!("cd {} && ", shell::line(&[target.display().to_string()]))
    };
    format!("next: {cd}{}\n", steps.join(" && "))
}
