//! The answer sets every generated-file check runs over: the snapshot tests and the real-tool
//! checks use the same table, so whatever is snapshotted is also linted and parsed.

use std::path::PathBuf;

use crate::test::Test;

pub struct AnswerSet {
    /// Snapshot name.
    pub id: &'static str,
    /// Arguments after `dockwright new <dir>`.
    pub args: &'static [&'static str],
}

pub const ANSWER_SETS: &[AnswerSet] = &[
    AnswerSet {
        id: "web-system-packages",
        args: &[
            "--name",
            "pg-web",
            "--kind",
            "web",
            "--system-packages",
            "build:libpq-dev,run:libpq5",
        ],
    },
    AnswerSet {
        id: "web-default",
        args: &["--name", "demo-web", "--kind", "web"],
    },
    AnswerSet {
        id: "web-two-ports",
        args: &[
            "--name",
            "Two.Ports",
            "--kind",
            "web",
            "--port",
            "8080",
            "--port",
            "9090",
            "--health-path",
            "/healthz",
        ],
    },
    AnswerSet {
        id: "web-three-arches",
        args: &[
            "--name",
            "tri-arch",
            "--kind",
            "web",
            "--arch",
            "amd64,arm64,arm/v7",
        ],
    },
    AnswerSet {
        id: "web-python-3-14",
        args: &[
            "--name",
            "newest",
            "--kind",
            "web",
            "--python",
            "3.14",
            "--coverage-min",
            "90",
        ],
    },
    AnswerSet {
        id: "mcp",
        args: &[
            "--name",
            "tool-server",
            "--package",
            "tools",
            "--kind",
            "mcp",
            "--port",
            "3000",
        ],
    },
    AnswerSet {
        id: "mcp-stdio",
        args: &[
            "--name",
            "stdio-server",
            "--kind",
            "mcp",
            "--transport",
            "stdio",
        ],
    },
    AnswerSet {
        id: "cli",
        args: &["--name", "greeter", "--kind", "cli", "--arch", "amd64"],
    },
    AnswerSet {
        id: "cli-custom-uid-base",
        args: &[
            "--name",
            "acme-cli",
            "--kind",
            "cli",
            "--uid",
            "4242",
            "--base-image",
            "ghcr.io/acme/python:3.12-slim",
        ],
    },
    AnswerSet {
        id: "web-ci-github",
        args: &[
            "--name",
            "ci-web",
            "--kind",
            "web",
            "--arch",
            "amd64,arm64,arm/v7",
            "--ci",
            "github",
        ],
    },
    AnswerSet {
        id: "cli-ci-github",
        args: &[
            "--name",
            "ci-cli",
            "--kind",
            "cli",
            "--installer",
            "uv",
            "--ci",
            "github",
        ],
    },
    AnswerSet {
        id: "web-deploy",
        args: &[
            "--name",
            "dep-web",
            "--kind",
            "web",
            "--port",
            "8080",
            "--port",
            "9090",
            "--uid",
            "10001",
            "--deploy",
            "kubernetes,swarm",
        ],
    },
    AnswerSet {
        id: "mcp-http-deploy",
        args: &[
            "--name",
            "dep-mcp",
            "--kind",
            "mcp",
            "--deploy",
            "kubernetes",
            "--deploy",
            "swarm",
            "--ci",
            "github",
        ],
    },
    AnswerSet {
        id: "library-python-3-9",
        args: &["--name", "old-lib", "--kind", "library", "--python", "3.9"],
    },
];

impl AnswerSet {
    /// Runs `dockwright new proj --yes <args>` and returns the test (kept alive) and the project dir.
    pub fn generate(&self) -> (Test, PathBuf) {
        let test = Test::new()
            .args(["new", "proj", "--yes"])
            .args(self.args.iter().copied());
        test.run().expect_code(0);
        let root = test.path().join("proj");
        (test, root)
    }
}
