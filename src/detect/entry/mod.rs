//! Entry points that are not a framework app object: a Streamlit or Gradio script at the root
//! (`streamlit run app.py`, `python app.py`), and a Typer/Click command line whose server is one
//! of its subcommands (`notes-mcp serve --transport streamable-http --port 8000`). The code is
//! read as text, never imported; every name taken from it is checked before it reaches a
//! command.

mod cli;
mod parse;
mod ui;

pub(super) use cli::{cli_serve, CliServe};
pub(super) use ui::{ui_app, Ui};
