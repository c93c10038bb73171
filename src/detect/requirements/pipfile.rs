//! `Pipfile` with its `Pipfile.lock`, the other dependency files an application may keep.

use std::path::Path;

use crate::error::{Error, Result};
use crate::facts::AppRequirements;
use crate::fsread;

use super::super::metadata::requirement_name;

/// `Pipfile` with its `Pipfile.lock`: pipenv's exporter writes the lock as requirements at
/// build time; the names come from the Pipfile's `[packages]`.
pub(super) fn pipfile_app(target: &Path) -> Result<(AppRequirements, Vec<String>)> {
    let path = target.join("Pipfile");
    if !target.join("Pipfile.lock").is_file() {
        return Err(Error::Project {
            path,
            reason: "it has no Pipfile.lock beside it: the image installs the locked versions with their hashes, never a fresh resolution; run `pipenv lock` and commit Pipfile.lock, then run dockwright again".into(),
        });
    }
    let text = fsread::read_in(target, &path, fsread::FILE_MAX).map_err(|e| e.into_error(&path))?;
    let doc: toml::Table = toml::from_str(&text).map_err(|e| Error::Project {
        path: path.clone(),
        reason: format!(
            "it is not valid TOML: {}",
            crate::safety::shown_lines(&e.to_string())
        ),
    })?;
    let names = doc
        .get("packages")
        .and_then(|p| p.as_table())
        .map(|t| t.keys().map(|k| requirement_name(k)).collect())
        .unwrap_or_default();
    let dev = doc
        .get("dev-packages")
        .and_then(|p| p.as_table())
        .is_some_and(|t| !t.is_empty());
    let why = if dev {
        "dependencies from Pipfile.lock [default]; tests add its [develop] packages"
    } else {
        "dependencies from Pipfile.lock [default]"
    };
    Ok((
        AppRequirements {
            files: vec!["Pipfile".into(), "Pipfile.lock".into()],
            hashes: true,
            test_hashes: true,
            pipfile: true,
            why: why.into(),
            ..AppRequirements::default()
        },
        names,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{found, refused};

    #[test]
    fn pipfile_needs_its_lock() {
        let said = refused(&[("Pipfile", "[packages]\nflask = \"*\"\n"), ("app.py", "")]);
        assert!(said.contains("pipenv lock"), "{said}");
        let (app, names) = found(&[
            (
                "Pipfile",
                "[packages]\nFlask = \"*\"\n[dev-packages]\npytest = \"*\"\n",
            ),
            ("Pipfile.lock", "{}"),
        ])
        .unwrap()
        .unwrap();
        assert!(app.pipfile && app.hashes);
        assert_eq!(names, ["flask"]);
        assert!(app.why.contains("[develop]"), "{}", app.why);
    }
}
