use std::io::Write;

use clap::Parser;
use dockwright::report;

fn main() {
    let cli = match dockwright::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // A refused command line with `--json`: the usage error as JSON too (help and
        // version, which clap also reports as errors, print as usual).
        Err(e) if e.use_stderr() && std::env::args_os().any(|a| a == "--json") => {
            eprint!("{}", e.render());
            print_json(&report::usage_error_json(
                &e.render().to_string(),
                e.exit_code(),
            ));
            std::process::exit(e.exit_code());
        }
        Err(e) => e.exit(),
    };
    let json = cli.json();
    let mut stdout = Counting {
        inner: std::io::stdout().lock(),
        written: 0,
    };
    if let Err(err) = dockwright::run(cli, &mut stdout) {
        if matches!(err, dockwright::error::Error::Interrupted) {
            dockwright::wizard::report_interrupt();
        } else {
            eprintln!("error: {err}");
        }
        // With `--json`, stdout holds one object: the plan's (which then carries the error),
        // or, when the run stopped before it, the error's.
        if json && stdout.written == 0 {
            drop(stdout);
            print_json(&report::error_json(&err));
        }
        std::process::exit(err.exit_code());
    }
}

fn print_json(json: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(json).unwrap_or_default());
}

/// Stdout, counting the bytes written through it.
struct Counting<W> {
    inner: W,
    written: usize,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
