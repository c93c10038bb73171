//! The answers file format, `.dockwright.toml`: the dockwright version that wrote it, the
//! recorded answers (`[answers]`, keys and TOML types from the answers table) and the content
//! hash of every file it wrote (`[files]`), which is the merge base of the next run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Answers, AnswersError, Field, Partial};
use crate::safety::shown;

/// What an answers file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswersFile {
    /// The `[answers]` table as a layer.
    pub answers: Partial,
    /// `[files]`: path → `sha256:…` of each file as dockwright last wrote it.
    pub files: BTreeMap<PathBuf, String>,
    /// `[blueprints]`: the blueprints of the user's own the files were rendered with
    /// (`overrides::Overrides::record_section`), as written.
    pub blueprints: Option<BTreeMap<String, String>>,
}

/// Reads an answers file (`.dockwright.toml` format); every problem in it is listed at once.
pub fn read_answers_file(path: &Path) -> Result<AnswersFile, AnswersError> {
    let fail = |reason: String| AnswersError::File {
        path: path.to_path_buf(),
        reason,
    };
    let text =
        crate::fsread::read_named(path, crate::fsread::FILE_MAX).map_err(|e| fail(e.reason()))?;
    parse(&text).map_err(fail)
}

const FORMAT_HINT: &str = "expected the `.dockwright.toml` format: an `[answers]` table with keys such as `name = \"demo\"`, `ports = [8000]`";

fn parse(text: &str) -> Result<AnswersFile, String> {
    // The TOML error's excerpt quotes the file: each of its lines escaped and cut.
    let doc: toml::Table = toml::from_str(text).map_err(|e| {
        format!(
            "{}; {FORMAT_HINT}",
            crate::safety::shown_lines(&e.to_string())
        )
    })?;
    let mut problems = Vec::new();
    let mut out = AnswersFile::default();
    for (key, value) in &doc {
        match (key.as_str(), value) {
            ("dockwright_version", toml::Value::String(_)) => {}
            ("answers", toml::Value::Table(t)) => {
                for (key, value) in t {
                    let Some(field) = Field::ALL.iter().find(|f| f.spec().key == key) else {
                        let keys: Vec<_> = Field::ALL.iter().map(|f| f.spec().key).collect();
                        problems.push(format!(
                            "unknown key `answers.{}` (the keys are {})",
                            shown(key),
                            keys.join(", ")
                        ));
                        continue;
                    };
                    match field.spec().shape.from_toml(value) {
                        Ok(raw) => {
                            out.answers.insert(*field, raw);
                        }
                        Err(expected) => problems.push(format!(
                            "`answers.{}` must be {expected}, not `{}`",
                            shown(key),
                            shown(&value.to_string())
                        )),
                    }
                }
            }
            ("files", toml::Value::Table(t)) => {
                for (path, hash) in t {
                    match hash.as_str() {
                        Some(h) => {
                            out.files.insert(PathBuf::from(path), h.to_string());
                        }
                        None => {
                            problems.push(format!("`files.\"{}\"` must be a string", shown(path)))
                        }
                    }
                }
            }
            ("blueprints", toml::Value::Table(t)) => {
                let mut section = BTreeMap::new();
                for (key, value) in t {
                    match value.as_str() {
                        Some(v) => {
                            section.insert(key.clone(), v.to_string());
                        }
                        None => {
                            problems.push(format!("`blueprints.{}` must be a string", shown(key)))
                        }
                    }
                }
                out.blueprints = Some(section);
            }
            (other, _) => problems.push(format!(
                "unexpected `{}` at the top level (or of the wrong type)",
                shown(other)
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(format!("{}; {FORMAT_HINT}", problems.join("; ")))
    }
}

/// The content hash recorded for a written file.
pub fn hash(contents: &str) -> String {
    let digest = Sha256::digest(contents.as_bytes());
    let mut out = String::from("sha256:");
    for byte in digest {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// `.dockwright.toml`: the answers that produced the files, so the same run can be repeated,
/// and the hash of each of `files` (the artifacts as written), so a later run knows which
/// files are still exactly as dockwright wrote them.
pub fn record(answers: &Answers, files: &BTreeMap<PathBuf, String>) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::from(
        "# The answers that produced this project's Docker files.\n\
         # Re-create the files with `dockwright init --yes`; change an answer with its flag.\n",
    );
    let _ = writeln!(
        out,
        "dockwright_version = {}\n\n[answers]",
        quote(env!("CARGO_PKG_VERSION"))
    );
    for (field, value) in answers.recorded() {
        let _ = writeln!(out, "{} = {value}", field.spec().key);
    }
    if !files.is_empty() {
        out.push_str(
            "\n# Each file as dockwright wrote it. A file that still matches is dockwright's to\n\
             # update (also after an upgrade); into a file you edited, `dockwright update` merges\n\
             # dockwright's changes (from the copy in .dockwright/base/); --force replaces it.\n\
             [files]\n",
        );
        for (path, contents) in files {
            let _ = writeln!(
                out,
                "{} = {}",
                quote(&path.to_string_lossy()),
                quote(&hash(contents))
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{resolve, Layers, Raw};

    #[test]
    fn a_record_reads_back_as_the_same_answers() {
        let mut layers = Layers::default();
        layers.flags.insert(
            Field::Command,
            Raw::Text(r#"python -c "print('hi there')""#.into()),
        );
        layers
            .flags
            .insert(Field::Ports, Raw::List(vec!["8080".into(), "9090".into()]));
        let answers = resolve(&layers).unwrap();
        let files: BTreeMap<PathBuf, String> =
            [(PathBuf::from(".dockerignore"), "x\n".to_string())].into();
        let text = record(&answers, &files);
        let back = parse(&text).unwrap();
        assert_eq!(back.files[Path::new(".dockerignore")], hash("x\n"));
        let again = resolve(&Layers {
            file: Some((PathBuf::from("r.toml"), back.answers)),
            ..Layers::default()
        })
        .unwrap();
        assert_eq!(again.preview().shown(Field::Command), {
            let (text, _) = answers.preview().shown(Field::Command).unwrap();
            Some((text, crate::model::Origin::AnswersFile("r.toml".into())))
        });
        assert_eq!(again.ports.value, [8080, 9090]);
    }

    #[test]
    fn none_is_left_out_of_the_record_and_an_old_record_with_none_still_reads() {
        let mut layers = Layers::default();
        for (field, value) in [
            (Field::Ci, "none"),
            (Field::Deploy, "none"),
            (Field::HealthPath, "none"),
        ] {
            layers.flags.insert(field, Raw::Text(value.into()));
        }
        let answers = resolve(&layers).unwrap();
        let text = record(&answers, &BTreeMap::new());
        for key in ["transport", "ci", "deploy", "health_path"] {
            assert!(!text.contains(&format!("\n{key} =")), "{key} in\n{text}");
        }
        assert!(!text.contains("\"none\""), "{text}");
        // What an earlier version wrote reads as the same answers.
        let old = "[answers]\nname = \"app\"\ntransport = \"none\"\nci = \"none\"\ndeploy = [\"none\"]\nhealth_path = \"none\"\n";
        let again = resolve(&Layers {
            file: Some((PathBuf::from("old.toml"), parse(old).unwrap().answers)),
            ..Layers::default()
        })
        .unwrap();
        assert_eq!(again.ci.value, crate::model::Ci::None);
        assert!(again.deploy.value.is_empty());
        assert_eq!(
            again.health_path.value,
            crate::model::HealthCheck::AnyAnswer
        );
        assert_eq!(record(&again, &BTreeMap::new()), text);
    }

    #[test]
    fn every_problem_of_a_file_is_listed() {
        let err = parse("[answers]\nuid = \"x\"\nports = 8000\ncolour = \"red\"\n").unwrap_err();
        for needle in [
            "`answers.uid` must be a whole number",
            "`answers.ports` must be an array",
            "`answers.colour`",
        ] {
            assert!(err.contains(needle), "{needle} in {err}");
        }
    }
}
