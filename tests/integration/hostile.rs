//! Hostile repositories: files a cloned repository can ship to make `dockwright init` write
//! outside the project, inject instructions, hang, or print what is not the project's.

use crate::test::Test;

const PYPROJECT: &str = "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = []\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n";

/// The PID the kernel hands out next (Linux: the 5th field of /proc/loadavg is the last one).
fn last_pid() -> u32 {
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap();
    loadavg.split_whitespace().nth(4).unwrap().parse().unwrap()
}

#[test]
fn symlinks_at_guessable_temporary_names_are_never_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.sh");
    std::fs::write(&victim, "precious\n").unwrap();
    let t = Test::new()
        .file("pyproject.toml", PYPROJECT)
        .file("src/demo/__init__.py", "")
        .args(["init", "--yes", "--force"]);
    // Every name a run of the old naming scheme (`.{name}.dockwright-{pid}.tmp`) could use over
    // the next 3000 PIDs, and all-zero / all-f random digits, for every file init writes.
    let first = last_pid();
    let names = [
        ".dockerignore",
        ".dockwright.toml",
        ".env.example",
        "DOCKER_BEST_PRACTICES.md",
        "Dockerfile",
        "Dockerfile.test",
        "docker-compose.yml",
        "justfile",
        ".dockwright.journal",
    ];
    for name in names {
        let ids = (first..first + 3000)
            .map(|p| p.to_string())
            .chain(["0".repeat(32), "f".repeat(32)]);
        for id in ids {
            std::os::unix::fs::symlink(
                &victim,
                t.path().join(format!(".{name}.dockwright-{id}.tmp")),
            )
            .unwrap();
        }
    }
    let mut planted = 0;
    for (dir, name) in [
        ("configs", "README.md"),
        ("data", ".gitignore"),
        ("ephemeral", ".gitignore"),
        ("logs", ".gitignore"),
    ] {
        std::fs::create_dir_all(t.path().join(dir)).unwrap();
        for id in first..first + 300 {
            {
                std::os::unix::fs::symlink(
                    &victim,
                    t.path()
                        .join(dir)
                        .join(format!(".{name}.dockwright-{id}.tmp")),
                )
                .unwrap();
                planted += 1;
            }
        }
    }
    assert!(planted > 0);
    t.run().expect_code(0);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(t.path().join("Dockerfile").is_file());
    assert!(!std::fs::symlink_metadata(t.path().join("Dockerfile"))
        .unwrap()
        .file_type()
        .is_symlink());
    // And nothing of dockwright's temporary names is left behind.
    let left: Vec<String> = walkdir::WalkDir::new(t.path())
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".dockwright-"))
        .collect();
    assert!(
        left.is_empty(),
        "{} left, e.g. {:?}",
        left.len(),
        left.first()
    );
}
