//! Rules and escapes for values that reach a generated file, so that no value — from a flag, an
//! answers file or a cloned repository's `pyproject.toml` — can change a file's structure (add
//! a Dockerfile instruction, a just recipe, a compose key, a Markdown table cell).
//!
//! Where a value goes decides its rule: a readme path is copied by a Dockerfile `COPY` line, an
//! extra or group name is pasted into Python and shell code, a base image into `ARG`, a command
//! into exec-form JSON and Markdown. Each is either validated against a grammar that cannot
//! express structure (no whitespace, quote, `$` or newline), or escaped for the file's syntax.

mod cluster;
mod image;
mod stdlib;

pub use cluster::{kubernetes_name, shortened, swarm_name, KUBERNETES_NAME_MAX, SWARM_NAME_MAX};
pub use image::is_image_reference;
pub use stdlib::{shadows_stdlib, STDLIB_MODULES};

/// Whether `c` must never appear in a value that reaches a generated file: control characters
/// (NUL, newline, tab, escape, DEL, C1) and invisible formatting characters that make text read
/// differently from what it is (bidirectional overrides and isolates, zero-width characters,
/// the byte-order mark, line and paragraph separators).
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// The first forbidden character of `s`, as `U+XXXX` for a message.
pub fn forbidden_char(s: &str) -> Option<String> {
    s.chars()
        .find(|c| is_forbidden_char(*c))
        .map(|c| format!("U+{:04X}", c as u32))
}

/// A value as shown in a message: control and invisible characters escaped (`\n`, `\u{202e}`),
/// cut after 120 characters, so a hostile value can neither drive the terminal nor flood it.
pub fn shown(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 120 {
            out.push_str(&format!("… ({} characters in all)", s.chars().count()));
            break;
        }
        if is_forbidden_char(c) || c == '\\' {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// A path as shown in a message: [`shown`] of its text (lossy for non-UTF-8 names).
pub fn shown_path(path: &std::path::Path) -> String {
    shown(&path.to_string_lossy())
}

/// A quoted multi-line text (a TOML parse error's excerpt of the file) as shown in a message:
/// each line through [`shown`], so the lines stay lines but none drives the terminal or runs
/// past 120 characters of the file.
pub fn shown_lines(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(shown)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rule text for [`forbidden_char`] refusals.
pub const NO_CONTROL_RULE: &str =
    "must not contain control characters (NUL, newline, tab, escape) or invisible Unicode formatting characters (bidirectional controls, zero-width characters)";

/// A path a Dockerfile may `COPY` and `.dockerignore` may name: relative, inside the project,
/// made of ASCII letters, digits, `.`, `_`, `-`, `+` and `/` separators, no `.` or `..`
/// component, not starting with `-`.
pub fn is_safe_relative_path(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && !s.starts_with('-')
        && s.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        })
}

/// Rule text for [`is_safe_relative_path`].
pub const RELATIVE_PATH_RULE: &str = "must be a relative path inside the project made of ASCII letters, digits, `.`, `_`, `-`, `+` and `/` (no `..`), because the Dockerfiles copy it";

/// A valid extra or dependency-group name (PEP 508 / PEP 685 / PEP 735): ASCII letters and
/// digits, with `.`, `_`, `-` inside. Safe inside Python quotes and in a shell word.
pub fn is_valid_extra_name(s: &str) -> bool {
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    s.len() <= 128
        && ends_ok(s.chars().next())
        && ends_ok(s.chars().last())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A plain PEP 508 requirement without markers or URLs (`hatchling`, `setuptools>=61,<80`,
/// `pdm-backend[x]==2.4`): ASCII letters, digits, spaces and `.`, `_`, `-`, `<`, `>`, `=`, `!`,
/// `~`, `,`, `[`, `]`, starting with a letter or digit. Safe inside double quotes in a shell
/// word and a Dockerfile `RUN`.
pub fn is_plain_requirement(s: &str) -> bool {
    s.len() <= 100
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    ' ' | '.' | '_' | '-' | '<' | '>' | '=' | '!' | '~' | ',' | '[' | ']'
                )
        })
}

/// Rule text for [`is_valid_extra_name`].
pub const EXTRA_NAME_RULE: &str = "must be a valid extra or dependency-group name (PEP 685): ASCII letters and digits, with `.`, `_` or `-` inside";

/// A Markdown code span holding `s` exactly: fenced with one more backtick than the longest
/// run inside, padded with a space when `s` starts or ends with a backtick.
pub fn md_code(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Text for a Markdown table cell: `|` escaped (GitHub-flavoured Markdown splits cells at an
/// unescaped `|`, even inside a code span).
pub fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_names_fit_their_platform() {
        assert_eq!(kubernetes_name("demo-web"), "demo-web");
        assert_eq!(kubernetes_name("null"), "null");
        assert_eq!(kubernetes_name("123"), "app-123");
        assert_eq!(kubernetes_name("0x1f"), "app-0x1f");
        let long = "a".repeat(128);
        let k = kubernetes_name(&long);
        assert_eq!(k.len(), 63);
        assert_eq!(k, kubernetes_name(&long), "deterministic");
        assert!(
            k.starts_with(&"a".repeat(54)) && k.as_bytes()[54] == b'-',
            "{k}"
        );
        // Two long names that share their beginning stay apart.
        assert_ne!(k, kubernetes_name(&format!("{}b", "a".repeat(127))));
        // No `--` where the cut falls after a separator.
        let dashed = format!("{}-{}", "a".repeat(19), "b".repeat(20));
        let s = swarm_name(&dashed);
        assert_eq!(s.len(), 28, "{s}");
        assert!(!s.contains("--"), "{s}");
        assert_eq!(swarm_name(&"c".repeat(29)), "c".repeat(29));
        assert_eq!(swarm_name(&"c".repeat(30)).len(), 29);
        assert_eq!(swarm_name("123"), "123");
    }

    #[test]
    fn image_references() {
        for ok in [
            "python:3.12-slim",
            "python",
            "ghcr.io/org/py:3.12",
            "localhost:5000/py",
            "localhost/py",
            "[::1]:5000/py:1",
            "registry.example.com:443/a/b__c/d-e--f.g:v1_2",
            "Registry.Example.com/x",
            &format!("python@sha256:{}", "a".repeat(64)),
            &format!("python:3.12@sha512:{}", "0".repeat(128)),
            "python@multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
        ] {
            assert!(is_image_reference(ok), "{ok}");
        }
        for bad in [
            "",
            "Python:3",
            "python:",
            "a b",
            "python:3.12-slim@md5",
            "python:3.11-slim@x\nRUN id\n#:0123456789abcdef0123456789abcdef",
            "python@sha256:0123456789abcdef0123456789abcdef",
            &format!("python@sha256:{}", "A".repeat(64)),
            "python@SHA256:abc",
            "python@sha256+:abc",
            "python:-x",
            "a//b",
            "a/_b",
            "a/b_",
            "a/b___c",
            "-a.io/b",
            "a.io:x/b",
            "py\u{0}thon",
            "python:3.12\u{202E}",
            "$(id)/x",
            "python:${PYTHON_VERSION}-slim",
        ] {
            assert!(!is_image_reference(bad), "{bad:?}");
        }
    }

    #[test]
    fn relative_paths_and_extra_names() {
        for ok in ["README.md", "docs/README.rst", "README", "a+b/c-d_e.txt"] {
            assert!(is_safe_relative_path(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "./README.md",
            "README.md ./\nRUN id",
            "READ ME.md",
            "-rf",
            "a//b",
            "$(id)",
            "R\u{200B}EADME",
        ] {
            assert!(!is_safe_relative_path(bad), "{bad:?}");
        }
        for ok in ["dev", "Test_Tools", "a.b-c", "x"] {
            assert!(is_valid_extra_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-dev",
            "dev-",
            "a b",
            "x'y",
            "x\"); import os #",
            "$(id)",
            "a\nb",
        ] {
            assert!(!is_valid_extra_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn forbidden_characters() {
        for bad in [
            "a\0b",
            "a\nb",
            "a\tb",
            "\u{1b}[31m",
            "\u{202E}x",
            "x\u{200B}",
            "\u{FEFF}",
        ] {
            assert!(forbidden_char(bad).is_some(), "{bad:?}");
        }
        assert_eq!(forbidden_char("uvicorn app:app --port 8000 é ü 日本"), None);
    }

    #[test]
    fn shown_values_are_escaped_and_short() {
        assert_eq!(shown("a\nb\u{1b}[0m"), "a\\nb\\u{1b}[0m");
        let long = shown(&"x".repeat(100_000));
        assert!(
            long.len() < 200 && long.ends_with("(100000 characters in all)"),
            "{long}"
        );
    }

    #[test]
    fn shown_lines_keep_lines_and_cut_each() {
        let text = format!(
            "line 2\n  |\n2 | a = \"\u{1b}[31m{}\n  |    ^\n",
            "x".repeat(5000)
        );
        let out = shown_lines(&text);
        assert_eq!(out.lines().count(), 4, "{out}");
        assert!(out.chars().all(|c| c == '\n' || !c.is_control()), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 160), "{out}");
        assert!(out.contains("\\u{1b}[31m"), "{out}");
        assert_eq!(shown_path(std::path::Path::new("a\u{7}/b")), "a\\u{7}/b");
    }

    #[test]
    fn stdlib_names_are_sorted_and_found() {
        assert!(STDLIB_MODULES.windows(2).all(|w| w[0] < w[1]));
        for name in [
            "os",
            "sys",
            "json",
            "asyncio",
            "tomllib",
            "distutils",
            "test",
            "__init__",
            "__main__",
        ] {
            assert!(shadows_stdlib(name), "{name}");
        }
        for name in ["my_app", "requests", "flask", "_private", "osx"] {
            assert!(!shadows_stdlib(name), "{name}");
        }
    }

    #[test]
    fn markdown_escapes() {
        assert_eq!(md_code("a b"), "`a b`");
        assert_eq!(md_code("a `b` c"), "``a `b` c``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_cell("a | b"), "a \\| b");
    }
}
