use clap::Parser;

fn main() {
    let cli = dockwright::cli::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = dockwright::run(cli, &mut stdout) {
        if matches!(err, dockwright::error::Error::Interrupted) {
            dockwright::wizard::report_interrupt();
        } else {
            eprintln!("error: {err}");
        }
        std::process::exit(err.exit_code());
    }
}
