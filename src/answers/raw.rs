//! An answer's raw text as a layer holds it (`Raw`), and how each answer's raw value is written
//! on the command line, in the answers file and in the record (`Shape`).

/// How an answer's raw value is written: on the command line, in the answers file, in the
/// record and in a wizard reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One string (`--name x`, `name = "x"`).
    Text,
    /// One whole number (`--uid 1000`, `uid = 1000`).
    Integer,
    /// Strings, comma-separated or repeated on the command line (`arch = ["amd64"]`).
    Texts,
    /// Whole numbers, comma-separated or repeated on the command line (`ports = [8000]`).
    Integers,
    /// A shell-like line on the command line; a line or an exact argument list in a file.
    Command,
}

impl Shape {
    /// Whether the flag may be repeated.
    pub fn repeatable(self) -> bool {
        matches!(self, Shape::Texts | Shape::Integers)
    }

    /// The values of a flag (or a wizard reply) as a raw value.
    pub fn from_text(self, values: Vec<String>) -> Raw {
        if self.repeatable() {
            Raw::List(
                values
                    .iter()
                    .flat_map(|v| v.split(','))
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect(),
            )
        } else {
            Raw::Text(values.into_iter().last().unwrap_or_default())
        }
    }

    /// A value of the answers file as a raw value; `Err` names the TOML type expected.
    pub fn from_toml(self, v: &toml::Value) -> Result<Raw, &'static str> {
        let int = |v: &toml::Value| v.as_integer().map(|i| i.to_string());
        let text = |v: &toml::Value| v.as_str().map(str::to_string);
        let list = |f: &dyn Fn(&toml::Value) -> Option<String>| -> Option<Vec<String>> {
            v.as_array()?.iter().map(f).collect()
        };
        match self {
            Shape::Text => text(v).map(Raw::Text).ok_or("a string"),
            Shape::Integer => int(v).map(Raw::Text).ok_or("a whole number"),
            Shape::Texts => list(&text).map(Raw::List).ok_or("an array of strings"),
            Shape::Integers => list(&int).map(Raw::List).ok_or("an array of whole numbers"),
            Shape::Command => text(v)
                .map(Raw::Text)
                .or_else(|| list(&text).map(Raw::Argv))
                .ok_or("a string (a shell-like line) or an array of strings"),
        }
    }
}

/// One unvalidated value, as a layer holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raw {
    /// One value as typed (a command line is split later).
    Text(String),
    /// Several values (ports, architectures).
    List(Vec<String>),
    /// An exact argument list (a command from a file, a detection or a default).
    Argv(Vec<String>),
}
