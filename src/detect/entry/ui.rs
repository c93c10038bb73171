//! A Streamlit or Gradio script at the root (`streamlit run app.py`, `python app.py`): the UI
//! framework serves it, on its own port and health path.

use std::path::Path;

use crate::detect::read;

/// A UI framework that runs a script rather than serving an app object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::detect) enum Ui {
    /// `streamlit run FILE`, port 8501, health `/_stcore/health`.
    Streamlit,
    /// `python FILE`; `launch()` reads `GRADIO_SERVER_NAME`/`GRADIO_SERVER_PORT`, port 7860.
    Gradio,
}

impl Ui {
    /// The distribution the project declares, and the name `layout.ui` gives the blueprints.
    pub fn name(self) -> &'static str {
        match self {
            Ui::Streamlit => "streamlit",
            Ui::Gradio => "gradio",
        }
    }

    /// The port the framework serves on by default.
    pub fn port(self) -> u16 {
        match self {
            Ui::Streamlit => 8501,
            Ui::Gradio => 7860,
        }
    }

    /// A path the framework itself serves with 200 once the app is up: Streamlit's own health
    /// endpoint; Gradio's page at `/`, which answers 200 even when the app asks for a login
    /// (its `/config` answers 401 then).
    pub fn health_path(self) -> &'static str {
        match self {
            Ui::Streamlit => "/_stcore/health",
            Ui::Gradio => "/",
        }
    }

    /// The exec-form command for `file`; `$PORT` is replaced by the app port.
    pub fn command(self, file: &str) -> Vec<String> {
        match self {
            // Flags rather than STREAMLIT_SERVER_* variables: the command says all of it.
            // Headless: no browser to open, no e-mail prompt on first start.
            Ui::Streamlit => [
                "streamlit",
                "run",
                file,
                "--server.address=0.0.0.0",
                "--server.port=$PORT",
                "--server.headless=true",
            ]
            .map(String::from)
            .to_vec(),
            // Address and port come from GRADIO_SERVER_NAME/GRADIO_SERVER_PORT (the Dockerfile
            // sets them): `launch()` reads them unless the code passes its own.
            Ui::Gradio => vec!["python".into(), file.into()],
        }
    }
}

/// Script names a Streamlit or Gradio app conventionally has, in order of preference; after
/// them, any other root `*.py` that imports the framework.
const UI_FILES: &[&str] = &[
    "streamlit_app.py",
    "app.py",
    "Home.py",
    "Hello.py",
    "main.py",
    "gradio_app.py",
    "demo.py",
];

/// A root-level script that imports the UI framework the project depends on (Streamlit first):
/// the framework, the file name and why.
pub(in crate::detect) fn ui_app(target: &Path, deps: &[String]) -> Option<(Ui, String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(target)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py") && plain_file(n))
        .collect();
    names.sort_by_key(|n| {
        (
            UI_FILES
                .iter()
                .position(|u| u == n)
                .unwrap_or(UI_FILES.len()),
            n.clone(),
        )
    });
    for ui in [Ui::Streamlit, Ui::Gradio] {
        if !deps.iter().any(|d| d == ui.name()) {
            continue;
        }
        for name in names.iter().take(200) {
            let Ok(text) = read(target, &target.join(name)) else {
                continue;
            };
            let imports = text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with(&format!("import {}", ui.name()))
                    || l.starts_with(&format!("from {} ", ui.name()))
                    || l.starts_with(&format!("from {}.", ui.name()))
            });
            // A Gradio script serves only if it calls `launch()`; a Streamlit script is the app.
            if imports && (ui == Ui::Streamlit || text.contains(".launch(")) {
                return Some((
                    ui,
                    name.clone(),
                    format!("dependency {} and {name}, which imports it", ui.name()),
                ));
            }
        }
    }
    None
}

/// A file name that is safe in a Dockerfile, a shell word and a Python string: letters, digits,
/// `_`, `-` and `.`, not starting with `-` or `.`.
fn plain_file(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with(['-', '.'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::project;

    #[test]
    fn streamlit_and_gradio_scripts_are_found_by_import_and_dependency() {
        let st = "import streamlit as st\nst.title('x')\n";
        let dir = project(&[
            ("helpers.py", "import streamlit as st\n"),
            ("streamlit_app.py", st),
            ("app.py", "print('not it')\n"),
        ]);
        let (ui, file, why) = ui_app(dir.path(), &["streamlit".into()]).unwrap();
        assert_eq!((ui, file.as_str()), (Ui::Streamlit, "streamlit_app.py"));
        assert_eq!(
            why,
            "dependency streamlit and streamlit_app.py, which imports it"
        );
        assert_eq!(
            ui.command(&file),
            [
                "streamlit",
                "run",
                "streamlit_app.py",
                "--server.address=0.0.0.0",
                "--server.port=$PORT",
                "--server.headless=true"
            ]
        );
        // Without the dependency, nothing.
        assert_eq!(ui_app(dir.path(), &["flask".into()]), None);
        // Gradio: the script that launches.
        let dir = project(&[
            ("blocks.py", "import gradio as gr\n"),
            (
                "app.py",
                "import gradio as gr\n\ndemo = gr.Interface(f, 'text', 'text')\ndemo.launch()\n",
            ),
            ("x y.py", "import gradio as gr\ndemo.launch()\n"),
        ]);
        let (ui, file, _) = ui_app(dir.path(), &["gradio".into()]).unwrap();
        assert_eq!((ui, file.as_str()), (Ui::Gradio, "app.py"));
        assert_eq!((ui.port(), ui.health_path()), (7860, "/"));
        let dir = project(&[("x y.py", "import gradio as gr\ndemo.launch()\n")]);
        assert_eq!(ui_app(dir.path(), &["gradio".into()]), None);
    }
}
