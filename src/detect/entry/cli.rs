//! A Typer/Click command line whose server is one of its subcommands
//! (`notes-mcp serve --transport streamable-http --port 8000`): the subcommand, and the host,
//! port and transport options it takes.

use crate::detect::frameworks::Module;
use crate::model::Transport;

use super::parse::{
    click_options, command_decorator, command_name, first_literal, function_at, keyword_literal,
    typer_options,
};

/// Subcommand names that start a server.
const SERVE: &[&str] = &["serve", "run", "server", "http", "start", "mcp", "web"];

/// A subcommand of the project's command line that starts its server, with the options it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::detect) struct CliServe {
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
pub(in crate::detect) fn cli_serve(modules: &[Module], mcp: bool) -> Option<CliServe> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::frameworks::modules;
    use crate::detect::project;

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
}
