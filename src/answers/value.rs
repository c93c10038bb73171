//! How each answer's typed value displays (wizard defaults, `--dry-run`) and is recorded
//! (`.dockwright.toml`): one implementation per value type, so every answer of that type
//! shows and records the same way.

use crate::model::{Ci, DeployTarget, HealthCheck, Installer, Kind, Server};
use crate::shell;

/// The container command: an exact argument list (exec form), and the production server
/// its program is, when it is one (workers then come from `WEB_CONCURRENCY`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerCommand {
    pub argv: Vec<String>,
    pub server: Option<Server>,
}

impl ContainerCommand {
    /// The command of `argv`; its server is read from the program's name, once.
    pub fn new(argv: Vec<String>) -> ContainerCommand {
        let server = argv.first().and_then(|p| Server::of_program(p));
        ContainerCommand { argv, server }
    }
}

impl std::ops::Deref for ContainerCommand {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.argv
    }
}

/// A typed answer value.
pub trait AnswerValue {
    /// The value as the user would type it (and as the wizard offers it).
    fn show(&self) -> String;
    /// The value in natural TOML types, as `.dockwright.toml` records it: the shown text,
    /// unless the value is a number or a list.
    fn to_toml(&self) -> toml::Value {
        toml::Value::String(self.show())
    }
    /// Whether the value is its answer's "none" (not an MCP server, no CI workflow, no
    /// deployment, no health route), which the record leaves out: an absent key means none.
    fn means_none(&self) -> bool {
        false
    }
}

impl AnswerValue for String {
    fn show(&self) -> String {
        self.clone()
    }
}

/// A Python `MAJOR.MINOR` version.
impl AnswerValue for (u8, u8) {
    fn show(&self) -> String {
        format!("{}.{}", self.0, self.1)
    }
}

impl AnswerValue for Kind {
    fn show(&self) -> String {
        self.as_str().to_string()
    }
}

impl AnswerValue for crate::model::Transport {
    fn show(&self) -> String {
        self.as_str().to_string()
    }
    fn means_none(&self) -> bool {
        *self == crate::model::Transport::None
    }
}

impl AnswerValue for Ci {
    fn show(&self) -> String {
        self.as_str().to_string()
    }
    fn means_none(&self) -> bool {
        *self == Ci::None
    }
}

impl AnswerValue for Vec<DeployTarget> {
    fn show(&self) -> String {
        self.iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
    fn to_toml(&self) -> toml::Value {
        toml::Value::Array(
            self.iter()
                .map(|t| toml::Value::String(t.as_str().into()))
                .collect(),
        )
    }
    fn means_none(&self) -> bool {
        self.is_empty()
    }
}

impl AnswerValue for HealthCheck {
    fn show(&self) -> String {
        self.as_str().to_string()
    }
    fn means_none(&self) -> bool {
        *self == HealthCheck::AnyAnswer
    }
}

impl AnswerValue for Installer {
    fn show(&self) -> String {
        self.as_str().to_string()
    }
}

impl AnswerValue for u8 {
    fn show(&self) -> String {
        self.to_string()
    }
    fn to_toml(&self) -> toml::Value {
        toml::Value::Integer(i64::from(*self))
    }
}

impl AnswerValue for u32 {
    fn show(&self) -> String {
        self.to_string()
    }
    fn to_toml(&self) -> toml::Value {
        toml::Value::Integer(i64::from(*self))
    }
}

impl AnswerValue for Vec<u16> {
    fn show(&self) -> String {
        self.iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
    fn to_toml(&self) -> toml::Value {
        toml::Value::Array(
            self.iter()
                .map(|p| toml::Value::Integer(i64::from(*p)))
                .collect(),
        )
    }
}

impl AnswerValue for Vec<String> {
    fn show(&self) -> String {
        self.join(",")
    }
    fn to_toml(&self) -> toml::Value {
        toml::Value::Array(self.iter().cloned().map(toml::Value::String).collect())
    }
}

impl AnswerValue for ContainerCommand {
    fn show(&self) -> String {
        shell::line(&self.argv)
    }
    fn to_toml(&self) -> toml::Value {
        self.argv.to_toml()
    }
}
