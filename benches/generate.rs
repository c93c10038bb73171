//! Generation benchmark: median wall time of `dockwright new <tmp> --yes ...` (the whole
//! process: start, parse, render, plan, write) over many runs, plus the in-process
//! render + plan + write for comparison. Prints figures; asserts nothing.
//!
//! Run with `cargo bench --bench generate` (release build). `RUNS=50` changes the count.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use clap::Parser;

const ARGS: &[&str] = &[
    "--yes",
    "--name",
    "bench-app",
    "--kind",
    "web",
    "--port",
    "8000",
    "--arch",
    "amd64,arm64",
];

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_dockwright"));
    let scratch = tempfile::tempdir().expect("temp dir");

    // Warm the page cache and the binary once.
    run_process(&bin, &scratch.path().join("warm"));

    let process: Vec<Duration> = (0..runs)
        .map(|i| {
            let target = scratch.path().join(format!("p{i}"));
            let start = Instant::now();
            run_process(&bin, &target);
            start.elapsed()
        })
        .collect();

    let in_process: Vec<Duration> = (0..runs)
        .map(|i| {
            let target = scratch.path().join(format!("q{i}"));
            let mut argv = vec![
                "dockwright".to_string(),
                "new".into(),
                target.display().to_string(),
            ];
            argv.extend(ARGS.iter().map(|s| s.to_string()));
            let cli = dockwright::cli::Cli::parse_from(argv);
            let start = Instant::now();
            dockwright::run(cli, &mut std::io::sink()).expect("generation succeeds");
            start.elapsed()
        })
        .collect();

    let files = walkdir::WalkDir::new(scratch.path().join("p0"))
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_file()))
        .count();
    println!(
        "dockwright new <tmp> {} ({files} files), {runs} runs each",
        ARGS.join(" ")
    );
    report("whole process (spawn + render + write)", process);
    report("in process (render + plan + write)    ", in_process);
}

fn run_process(bin: &PathBuf, target: &std::path::Path) {
    let status = Command::new(bin)
        .arg("new")
        .arg(target)
        .args(ARGS)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("dockwright runs");
    assert!(status.success(), "dockwright failed");
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    println!(
        "{label}: median {median:.2} ms, min {:.2} ms, max {:.2} ms",
        ms(times[0]),
        ms(*times.last().unwrap())
    );
}
