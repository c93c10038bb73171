//! Issue 18, items 2 and 7: what the generated ignore files (`.dockerignore`,
//! `Dockerfile.dockerignore`, `Dockerfile.test.dockerignore`) keep out of the build context.
//! Each rendered file is evaluated line by line as Docker evaluates it
//! (`dockwright::secrets::excluded`: the last matching line wins, a parent directory's match
//! counts), so a `!` re-include that takes a secret back in is seen.

use std::path::Path;

use dockwright::secrets::{excluded, SECRET_PATTERNS};

use crate::test::Test;

const PACKAGED: &str = "[project]\nname = \"acme\"\nversion = \"0.1.0\"\ndependencies = []\nREADME\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n";
const APP: &str =
    "[project]\nname = \"acme\"\nversion = \"0.1.0\"\nrequires-python = \">=3.12\"\ndependencies = []\nREADME\n";

/// A packaged project (`src/acme`) or an app without a build system (`main.py`) whose
/// `pyproject.toml` has the `readme` line given.
fn project(packaged: bool, readme: &str) -> Test {
    let pyproject = if packaged { PACKAGED } else { APP }.replace("README", readme);
    let test = Test::new().file("proj/pyproject.toml", &pyproject);
    if packaged {
        test.file("proj/src/acme/__init__.py", "")
            .file("proj/src/acme/__main__.py", "print('hi')\n")
    } else {
        test.file("proj/main.py", "print('hi')\n")
    }
}

/// The uv workspace fixture inside a git work tree, `init` run for its member `packages/api`.
fn workspace() -> Test {
    Test::new()
        .fixture("uv-workspace", "proj")
        .file("proj/.git/HEAD", "ref: refs/heads/main\n")
}

fn ignore_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

/// The generated ignore files of a project (and of a workspace member, relative to the
/// workspace root: the paths they are matched against are the context's).
fn generated_ignore_files(test: &Test, member: &str) -> Vec<(String, Vec<String>)> {
    let root = test.path().join("proj").join(member);
    let mut files = vec![(
        ".dockerignore".to_string(),
        ignore_lines(&root.join(".dockerignore")),
    )];
    if !member.is_empty() {
        for name in ["Dockerfile.dockerignore", "Dockerfile.test.dockerignore"] {
            files.push((name.to_string(), ignore_lines(&root.join(name))));
        }
    }
    files
}

/// Item 2: a readme path the secret patterns exclude is refused, naming it, the pattern and
/// the fix; nothing is written. With a build system the `.env` would go into the wheel's
/// METADATA; without one, `!.ssh` put the private key into /app.
#[test]
fn ignore_a_readme_that_is_a_secret_is_refused() {
    let cases = [
        (
            true,
            "readme = {file = \".env\", content-type = \"text/markdown\"}",
            ".env",
            "**/.env*",
        ),
        (
            true,
            "readme = \"deploy/secrets/README.md\"",
            "deploy/secrets/README.md",
            "**/secrets",
        ),
        (false, "readme = \".ssh\"", ".ssh", "**/.ssh"),
        (
            false,
            "readme = \"conf/.aws/credentials\"",
            "conf/.aws/credentials",
            "**/.aws",
        ),
    ];
    for (packaged, line, path, pattern) in cases {
        let test = project(packaged, line)
            .file("proj/.env", "TOKEN=s3cr3t\n")
            .file("proj/.ssh/id_ed25519", "PRIVATE KEY\n")
            .args(["init", "proj", "--yes"]);
        let run = test.run();
        run.expect_code(2);
        let err = run.stderr();
        assert!(
            err.contains(&format!("`{path}`")) && err.contains(pattern) && err.contains("readme"),
            "{line}: {err}"
        );
        assert!(!test.path().join("proj/Dockerfile").exists(), "{line}");
        assert!(!test.path().join("proj/.dockerignore").exists(), "{line}");
    }
    // A readme the patterns leave alone is fine.
    let ok = project(true, "readme = \"docs/README.md\"")
        .file("proj/docs/README.md", "# acme\n")
        .args(["init", "proj", "--yes"]);
    ok.run().expect_code(0);
}

/// Item 2: no `!` line of a generated ignore file takes back what the secret patterns leave
/// out — not even a readme that is a directory holding secrets — and every ignore file ends
/// with the secret patterns, in the order of `SECRET_PATTERNS`.
#[test]
fn ignore_no_reinclude_readmits_a_secret() {
    let dir_readme = project(false, "readme = \"config\"")
        .file("proj/config/settings.toml", "x = 1\n")
        .args(["init", "proj", "--yes"]);
    dir_readme.run().expect_code(0);
    let ws = workspace().args(["init", "proj/packages/api", "--yes"]);
    ws.run().expect_code(0);
    let secrets = [
        "config/.env",
        "config/id_rsa",
        "config/.ssh/id_ed25519",
        "config/secrets/token",
        ".env",
        "packages/api/.env",
        "packages/api/src/acme_api/.env.local",
        "packages/lib/.aws/credentials",
        "packages/api/key.pem",
    ];
    let files = generated_ignore_files(&dir_readme, "")
        .into_iter()
        .chain(generated_ignore_files(&ws, "packages/api"));
    for (name, lines) in files {
        for path in secrets {
            assert!(
                excluded(&lines, path),
                "{name} sends {path}:\n{}",
                lines.join("\n")
            );
        }
        // The secret patterns are the file's last `!`-bearing block: after the first of them,
        // a `!` line is only the list's own.
        let start = lines
            .iter()
            .position(|l| l == SECRET_PATTERNS[0])
            .unwrap_or_else(|| panic!("{name} lacks the secret patterns"));
        assert_eq!(
            &lines[start..start + SECRET_PATTERNS.len()],
            SECRET_PATTERNS,
            "{name}"
        );
        let late_reincludes: Vec<&String> = lines[start + SECRET_PATTERNS.len()..]
            .iter()
            .filter(|l| l.trim_start().starts_with('!'))
            .collect();
        assert!(late_reincludes.is_empty(), "{name}: {late_reincludes:?}");
        // What the builds read is still there.
        assert!(!excluded(&lines, "pyproject.toml"), "{name}");
        assert!(!excluded(&lines, ".env.example"), "{name}");
    }
}

/// Item 7: the secret names added in issue 18 stay out at the root and at any depth, in every
/// generated ignore file (a project's `.dockerignore` and a workspace member's three).
#[test]
fn ignore_files_keep_every_secret_name_out_at_any_depth() {
    let names = [
        ".gnupg/private-keys-v1.d/key",
        ".config/gh/hosts.yml",
        ".vault-token",
        ".pgpass",
        ".my.cnf",
        ".s3cfg",
        ".boto",
        "terraform.tfstate",
        "terraform.tfstate.backup",
        "prod.tfvars",
        "credentials.json",
        "service-account.json",
        "service-account-prod.json",
        "keystore.jks",
        "cert.p12",
        ".htpasswd",
        // The older ones, still there.
        ".env",
        "id_ed25519",
        ".docker/config.json",
        ".config/gcloud/credentials.db",
    ];
    let plain = project(true, "readme = \"README.md\"")
        .file("proj/README.md", "# acme\n")
        .args(["init", "proj", "--yes"]);
    plain.run().expect_code(0);
    let ws = workspace().args(["init", "proj/packages/api", "--yes"]);
    ws.run().expect_code(0);
    let files = generated_ignore_files(&plain, "")
        .into_iter()
        .chain(generated_ignore_files(&ws, "packages/api"));
    for (name, lines) in files {
        for secret in names {
            for at in [
                "",
                "deploy/",
                "packages/api/",
                "packages/api/src/acme_api/x/",
            ] {
                let path = format!("{at}{secret}");
                assert!(excluded(&lines, &path), "{name} sends {path}");
            }
        }
        // Near misses and what the builds read are still sent.
        let fine: &[&str] = if name == ".dockerignore" && lines.iter().any(|l| l == "src") {
            &[]
        } else if name == ".dockerignore" {
            &[
                "pyproject.toml",
                "src/acme/__init__.py",
                ".config/app.toml",
                "terraform.tfvars.example",
                "credentials.py",
                "prod-credentials.json.example",
            ]
        } else {
            &[
                "pyproject.toml",
                "packages/api/pyproject.toml",
                "packages/api/src/acme_api/cli.py",
                "packages/api/.config/app.toml",
                "packages/api/terraform.tfvars.example",
            ]
        };
        for path in fine {
            assert!(!excluded(&lines, path), "{name} drops {path}");
        }
    }
}
