//! Entry points that are not a framework app object: a Streamlit or Gradio script at the root
//! (`streamlit run app.py`, `python app.py`), and a Typer/Click command line whose server is one
//! of its subcommands (`notes-mcp serve --transport streamable-http --port 8000`). The code is
//! read as text, never imported; every name taken from it is checked before it reaches a
//! command.

use std::path::Path;

use crate::model::Transport;

use super::frameworks::Module;
use super::read;

/// A UI framework that runs a script rather than serving an app object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ui {
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
pub(super) fn ui_app(target: &Path, deps: &[String]) -> Option<(Ui, String, String)> {
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

/// Subcommand names that start a server.
const SERVE: &[&str] = &["serve", "run", "server", "http", "start", "mcp", "web"];

/// A subcommand of the project's command line that starts its server, with the options it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CliServe {
    /// The subcommand's name (`serve`), or `None` when the CLI is that one command (a Typer app
    /// with a single command and no callback runs it without a subcommand word).
    pub subcommand: Option<String>,
    /// `--transport` and the HTTP transport value its code names (`streamable-http`, `http`,
    /// `sse`).
    pub transport: Option<(String, String)>,
    /// `--host`, given `0.0.0.0`.
    pub host: String,
    /// `--port`, given the app port.
    pub port: String,
    /// Where it was found (`the Typer command serve in src/notes_mcp/cli.py`).
    pub why: String,
}

impl CliServe {
    /// The command words after the console script; `$PORT` is replaced by the app port.
    pub fn words(&self, script: &str) -> Vec<String> {
        let mut w = vec![script.to_string()];
        w.extend(self.subcommand.clone());
        if let Some((option, value)) = &self.transport {
            w.extend([option.clone(), value.clone()]);
        }
        w.extend([
            self.host.clone(),
            "0.0.0.0".into(),
            self.port.clone(),
            "$PORT".into(),
        ]);
        w
    }

    /// The transport option's name (`--transport`), or "".
    pub fn transport_option(&self) -> &str {
        self.transport.as_ref().map_or("", |(o, _)| o.as_str())
    }

    /// The MCP transport the command line is given, if it takes one.
    pub fn mcp_transport(&self) -> Option<Transport> {
        match self.transport.as_ref()?.1.as_str() {
            "sse" => Some(Transport::Sse),
            _ => Some(Transport::StreamableHttp),
        }
    }
}

/// A Typer (`@app.command()`) or Click (`@cli.command()` on a group) subcommand named like a
/// server (`serve`, `run`, …) whose options include a host and a port, in a module that imports
/// Typer or Click. An MCP server's must also take a transport.
pub(super) fn cli_serve(modules: &[Module], mcp: bool) -> Option<CliServe> {
    for m in modules {
        let typer = m.text.contains("import typer") || m.text.contains("from typer ");
        let click = m.text.contains("import click") || m.text.contains("from click ");
        if !typer && !click {
            continue;
        }
        let lines: Vec<&str> = m.text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some((group, args)) = command_decorator(line) else {
                continue;
            };
            let Some(def_at) = (i..lines.len().min(i + 40))
                .find(|j| lines[*j].starts_with("def ") || lines[*j].starts_with("async def "))
            else {
                continue;
            };
            let decorators = lines[i..def_at].join("\n");
            let Some((function, params, body)) = function_at(&lines, def_at) else {
                continue;
            };
            // The name the decorator gives (used only if it is a plain word), else the
            // function's, `_` as `-` as Typer and Click do.
            let name = first_literal(args)
                .or_else(|| keyword_literal(args, "name"))
                .unwrap_or_else(|| function.replace('_', "-"));
            if !command_name(&name) || !SERVE.contains(&name.as_str()) {
                continue;
            }
            let options = if typer && !decorators.contains("click.option") {
                typer_options(&params)
            } else {
                click_options(&decorators)
            };
            let find = |names: &[&str]| {
                options
                    .iter()
                    .find(|o| names.contains(&o.trim_start_matches('-')))
                    .cloned()
            };
            let (Some(host), Some(port)) = (find(&["host", "bind", "address"]), find(&["port"]))
            else {
                continue;
            };
            let transport = find(&["transport"]).map(|o| {
                let text = format!("{params}\n{body}");
                let value = [
                    "streamable-http",
                    "streamable_http",
                    "\"http\"",
                    "'http'",
                    "sse",
                ]
                .into_iter()
                .find(|v| text.contains(v))
                .unwrap_or("streamable-http")
                .trim_matches(['"', '\'']);
                (o, value.to_string())
            });
            if mcp && transport.is_none() {
                continue;
            }
            // Typer runs the only command of an app without a callback as the app itself.
            let commands = modules
                .iter()
                .map(|m| {
                    m.text
                        .lines()
                        .filter(|l| command_decorator(l).is_some_and(|(g, _)| g == group))
                        .count()
                })
                .sum::<usize>();
            let callback = format!("@{group}.callback(");
            let single =
                typer && commands == 1 && !modules.iter().any(|m| m.text.contains(&callback));
            let standalone = group == "click";
            let framework = if typer { "Typer" } else { "Click" };
            return Some(CliServe {
                subcommand: (!single && !standalone).then(|| name.clone()),
                transport,
                host,
                port,
                why: format!("the {framework} command `{name}` in {}", m.rel),
            });
        }
    }
    None
}

/// `@group.command(ARGS)` (or `@group.command` without parentheses): the group and ARGS.
fn command_decorator(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('@')?;
    let (group, rest) = rest.split_once(".command")?;
    if !group.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || group.is_empty() {
        return None;
    }
    let args = rest.trim_end();
    let args = args
        .strip_prefix('(')
        .and_then(|a| a.strip_suffix(')'))
        .unwrap_or("");
    Some((group, args))
}

/// The function whose `def` is at line `at`: its name, its parameter text and its body (the
/// following indented lines).
fn function_at(lines: &[&str], at: usize) -> Option<(String, String, String)> {
    let def = lines[at]
        .trim_start_matches("async ")
        .strip_prefix("def ")?;
    let name: String = def
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let mut params = String::new();
    let mut depth = 0usize;
    let mut end = at;
    'outer: for (j, line) in lines.iter().enumerate().skip(at).take(60) {
        let text = if j == at { &def[name.len()..] } else { line };
        for c in text.chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = j;
                        break 'outer;
                    }
                }
                _ => {}
            }
            if depth > 0 {
                params.push(c);
            }
        }
        params.push('\n');
    }
    let body: Vec<&str> = lines
        .iter()
        .skip(end + 1)
        .take(200)
        .take_while(|l| l.is_empty() || l.starts_with(char::is_whitespace))
        .copied()
        .collect();
    (!name.is_empty()).then(|| (name, params, body.join("\n")))
}

/// The options of a Typer command from its parameters: the `--long` names its `typer.Option`
/// gives, else the parameter's name with `_` as `-`.
fn typer_options(params: &str) -> Vec<String> {
    split_top(params.trim_start_matches('('))
        .into_iter()
        .filter_map(|p| {
            let p = p.trim();
            let name: String = p
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() || p.contains("typer.Argument") || p.contains("Argument(") {
                return None;
            }
            let explicit = literals(p).into_iter().find(|l| l.starts_with("--"));
            Some(explicit.unwrap_or_else(|| format!("--{}", name.replace('_', "-"))))
        })
        .filter(|o| option_name(o))
        .collect()
}

/// The options of a Click command: the `--long` name of each `@click.option(…)` decorator.
fn click_options(decorators: &str) -> Vec<String> {
    decorators
        .split("option(")
        .skip(1)
        .filter_map(|d| literals(d).into_iter().find(|l| l.starts_with("--")))
        .filter(|o| option_name(o))
        .collect()
}

/// An option name safe to put in a command: `--` and lowercase letters, digits and `-`.
fn option_name(o: &str) -> bool {
    o.strip_prefix("--").is_some_and(|n| {
        !n.is_empty()
            && n.len() <= 40
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    })
}

/// `s` split at the commas outside brackets.
fn split_top(s: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().unwrap().push(c);
    }
    parts
}

/// The string literals in `s`, in order (without escapes).
fn literals(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        let body = &rest[start + 1..];
        let Some(end) = body.find(quote) else { break };
        out.push(body[..end].to_string());
        rest = &body[end + 1..];
    }
    out
}

/// The first argument of a decorator when it is a literal (`"serve"`).
fn first_literal(args: &str) -> Option<String> {
    let first = split_top(args).into_iter().next()?;
    let first = first.trim();
    let lit = first.strip_prefix(['"', '\''])?.strip_suffix(['"', '\''])?;
    Some(lit.to_string())
}

/// `key="value"` among a decorator's arguments.
fn keyword_literal(args: &str, key: &str) -> Option<String> {
    split_top(args).into_iter().find_map(|a| {
        let (k, v) = a.split_once('=')?;
        let v = v
            .trim()
            .strip_prefix(['"', '\''])?
            .strip_suffix(['"', '\''])?;
        (k.trim() == key).then(|| v.to_string())
    })
}

/// A subcommand name safe in a command: lowercase letters, digits, `-` and `_`.
fn command_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::super::frameworks::modules;
    use super::super::project;
    use super::*;

    fn serve(files: &[(&str, &str)], mcp: bool) -> Option<CliServe> {
        let dir = project(files);
        cli_serve(&modules(dir.path(), Some("srv"), true), mcp)
    }

    const TYPER: &str =
        "import typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef tools():\n    ...\n\n\n";

    #[test]
    fn a_typer_serve_subcommand_gets_transport_host_and_port() {
        let cli = format!(
            "{TYPER}@app.command()\ndef serve(\n    transport: str = typer.Option(\"stdio\", help=\"stdio or streamable-http\"),\n    bind_host: Annotated[str, typer.Option(\"--host\", \"-h\")] = \"127.0.0.1\",\n    port: int = typer.Option(8000),\n) -> None:\n    mcp.run(transport=transport)\n"
        );
        let s = serve(&[("src/srv/cli.py", &cli)], true).unwrap();
        assert_eq!(
            s.words("srv"),
            [
                "srv",
                "serve",
                "--transport",
                "streamable-http",
                "--host",
                "0.0.0.0",
                "--port",
                "$PORT"
            ]
        );
        assert_eq!(s.mcp_transport(), Some(Transport::StreamableHttp));
        assert_eq!(s.why, "the Typer command `serve` in src/srv/cli.py");
        // Named in the decorator (basic-memory's `mcp`), an SSE-only server.
        let cli = format!(
            "{TYPER}@app.command(name=\"mcp\")\ndef run_server(transport: str = \"stdio\", host: str = \"x\", port: int = 1):\n    if transport == \"sse\":\n        ...\n"
        );
        let s = serve(&[("src/srv/cli.py", &cli)], true).unwrap();
        assert_eq!(s.subcommand.as_deref(), Some("mcp"));
        assert_eq!(s.mcp_transport(), Some(Transport::Sse));
        // A web server started by `serve --host --port`: no transport needed.
        let cli = format!("{TYPER}@app.command()\ndef serve(host: str = \"127.0.0.1\", port: int = 8000):\n    uvicorn.run(api, host=host, port=port)\n");
        let s = serve(&[("src/srv/cli.py", &cli)], false).unwrap();
        assert_eq!(s.words("srv")[1..3], ["serve", "--host"]);
        // ...but an MCP server's must take a transport.
        assert_eq!(serve(&[("src/srv/cli.py", &cli)], true), None);
    }

    #[test]
    fn a_single_typer_command_has_no_subcommand_word_and_click_groups_do() {
        let cli = "import typer\n\napp = typer.Typer()\n\n@app.command()\ndef serve(host: str = \"\", port: int = 1):\n    ...\n";
        let s = serve(&[("src/srv/cli.py", cli)], false).unwrap();
        assert_eq!(s.subcommand, None);
        let with_callback = format!("{cli}\n@app.callback()\ndef main():\n    ...\n");
        let s = serve(&[("src/srv/cli.py", &with_callback)], false).unwrap();
        assert_eq!(s.subcommand.as_deref(), Some("serve"));
        let click = "import click\n\n@click.group()\ndef cli():\n    pass\n\n@cli.command(\"http\")\n@click.option(\"--port\", \"-p\", default=8000)\n@click.option(\"-H\", \"--host\", default=\"127.0.0.1\")\ndef http_server(port, host):\n    ...\n";
        let s = serve(&[("src/srv/cli.py", click)], false).unwrap();
        assert_eq!(
            s.words("srv")[..6],
            ["srv", "http", "--host", "0.0.0.0", "--port", "$PORT"]
        );
        assert_eq!(s.why, "the Click command `http` in src/srv/cli.py");
    }

    #[test]
    fn hostile_or_unrelated_names_are_not_used() {
        for cli in [
            // Not a server's name.
            format!("{TYPER}@app.command()\ndef export(host: str = \"\", port: int = 1):\n    ...\n"),
            // A name that is not a plain word, an option that is not a plain option.
            format!("{TYPER}@app.command(\"serve;rm -rf /\")\ndef serve(host: str = \"\", port: int = 1):\n    ...\n"),
            format!("{TYPER}@app.command()\ndef serve(h: str = typer.Option(\"--host=$(id)\"), port: int = 1):\n    ...\n"),
            // No port option.
            format!("{TYPER}@app.command()\ndef serve(host: str = \"\"):\n    ...\n"),
        ] {
            let s = serve(&[("src/srv/cli.py", &cli)], false);
            assert!(
                s.as_ref().is_none_or(|s| s.subcommand.as_deref() != Some("serve;rm -rf /")
                    && s.words("x").iter().all(|w| !w.contains('$') || w == "$PORT")),
                "{cli}: {s:?}"
            );
            assert_eq!(s, None, "{cli}");
        }
        // Not Typer or Click at all.
        let plain = "@app.command()\ndef serve(host='', port=1):\n    ...\n";
        assert_eq!(serve(&[("src/srv/cli.py", plain)], false), None);
    }

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
