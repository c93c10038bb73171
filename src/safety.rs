//! Rules and escapes for values that reach a generated file, so that no value — from a flag, an
//! answers file or a cloned repository's `pyproject.toml` — can change a file's structure (add
//! a Dockerfile instruction, a just recipe, a compose key, a Markdown table cell).
//!
//! Where a value goes decides its rule: a readme path is copied by a Dockerfile `COPY` line, an
//! extra or group name is pasted into Python and shell code, a base image into `ARG`, a command
//! into exec-form JSON and Markdown. Each is either validated against a grammar that cannot
//! express structure (no whitespace, quote, `$` or newline), or escaped for the file's syntax.

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

/// Rule text for [`is_valid_extra_name`].
pub const EXTRA_NAME_RULE: &str = "must be a valid extra or dependency-group name (PEP 685): ASCII letters and digits, with `.`, `_` or `-` inside";

/// Whether `s` is a Docker / OCI image reference, by the grammar of the reference
/// implementation (distribution/reference) and the OCI image spec's digests:
///
/// ```text
/// reference  := name [ ":" tag ] [ "@" digest ]
/// name       := [ domain "/" ] path-component ( "/" path-component )*
/// domain     := host [ ":" port ]            host := label ( "." label )* | "[" ipv6 "]"
/// label      := [a-zA-Z0-9] ( [a-zA-Z0-9-]* [a-zA-Z0-9] )?
/// path-component := [a-z0-9]+ ( ( [_.] | "__" | "-"+ ) [a-z0-9]+ )*
/// tag        := [a-zA-Z0-9_] [a-zA-Z0-9_.-]{0,127}
/// digest     := algorithm ":" encoded
/// algorithm  := [a-z0-9]+ ( [+._-] [a-z0-9]+ )*
/// encoded    := [a-zA-Z0-9=_-]+  (sha256: 64 lowercase hex, sha512: 128 lowercase hex)
/// ```
///
/// The first component is a domain when it holds a `.` or `:`, or is `localhost`. The name is
/// at most 255 characters.
pub fn is_image_reference(s: &str) -> bool {
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        if !is_digest(d) {
            return false;
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) || name.is_empty() || name.len() > 255 {
        return false;
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1
        && (parts[0].contains(['.', ':']) || parts[0] == "localhost")
        && !is_domain(parts.remove(0))
    {
        return false;
    }
    parts.iter().all(|p| is_path_component(p))
}

fn is_digest(d: &str) -> bool {
    let Some((alg, encoded)) = d.split_once(':') else {
        return false;
    };
    let alg_ok = split_keep_ok(
        alg,
        |c| matches!(c, '+' | '.' | '_' | '-'),
        |part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        },
    );
    let lower_hex = |n: usize| {
        encoded.len() == n
            && encoded
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    };
    let encoded_ok = match alg {
        "sha256" => lower_hex(64),
        "sha512" => lower_hex(128),
        _ => {
            !encoded.is_empty()
                && encoded
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | '_' | '-'))
        }
    };
    alg_ok && encoded_ok
}

/// Splits `s` at every separator and checks each part (so separators are never leading,
/// trailing or doubled when `part_ok` refuses empty parts).
fn split_keep_ok(s: &str, sep: impl Fn(char) -> bool, part_ok: impl Fn(&str) -> bool) -> bool {
    s.split(sep).all(part_ok)
}

fn is_tag(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 128
        && t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn is_domain(d: &str) -> bool {
    let (host, port) = if let Some(v6) = d.strip_prefix('[') {
        let Some((addr, after)) = v6.split_once(']') else {
            return false;
        };
        if addr.is_empty() || !addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return false;
        }
        match after {
            "" => return true,
            p => return p.strip_prefix(':').is_some_and(is_port),
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (d, None),
        }
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    host.split('.').all(label_ok) && port.is_none_or(is_port)
}

fn is_port(p: &str) -> bool {
    !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit())
}

fn is_path_component(p: &str) -> bool {
    // [a-z0-9]+ ( ( [_.] | "__" | "-"+ ) [a-z0-9]+ )*
    let bytes = p.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &p[start..i];
        let ok = matches!(sep, "_" | "." | "__") || sep.chars().all(|c| c == '-');
        if !ok {
            return false;
        }
    }
    true
}

/// Top-level modules of the Python standard library, 3.9 to 3.14 (`sys.stdlib_module_names`
/// plus the modules removed or added across those versions). A package with one of these names
/// would shadow the standard library module, or be shadowed by it.
pub const STDLIB_MODULES: &[&str] = &[
    "__future__",
    "__main__",
    "_abc",
    "_aix_support",
    "_android_support",
    "_apple_support",
    "_ast",
    "_asyncio",
    "_bisect",
    "_blake2",
    "_bootsubprocess",
    "_bz2",
    "_codecs",
    "_codecs_cn",
    "_codecs_hk",
    "_codecs_iso2022",
    "_codecs_jp",
    "_codecs_kr",
    "_codecs_tw",
    "_collections",
    "_collections_abc",
    "_colorize",
    "_compat_pickle",
    "_compression",
    "_contextvars",
    "_crypt",
    "_csv",
    "_ctypes",
    "_curses",
    "_curses_panel",
    "_datetime",
    "_dbm",
    "_decimal",
    "_elementtree",
    "_frozen_importlib",
    "_frozen_importlib_external",
    "_functools",
    "_gdbm",
    "_hashlib",
    "_heapq",
    "_imp",
    "_interpchannels",
    "_interpqueues",
    "_interpreters",
    "_io",
    "_ios_support",
    "_json",
    "_locale",
    "_lsprof",
    "_lzma",
    "_markupbase",
    "_md5",
    "_msi",
    "_multibytecodec",
    "_multiprocessing",
    "_opcode",
    "_opcode_metadata",
    "_operator",
    "_osx_support",
    "_overlapped",
    "_pickle",
    "_posixshmem",
    "_posixsubprocess",
    "_py_abc",
    "_pydecimal",
    "_pyio",
    "_pyrepl",
    "_queue",
    "_random",
    "_remote_debugging",
    "_scproxy",
    "_sha1",
    "_sha256",
    "_sha3",
    "_sha512",
    "_signal",
    "_sitebuiltins",
    "_socket",
    "_sqlite3",
    "_sre",
    "_ssl",
    "_stat",
    "_statistics",
    "_string",
    "_strptime",
    "_struct",
    "_suggestions",
    "_symtable",
    "_sysconfig",
    "_thread",
    "_threading_local",
    "_tkinter",
    "_tokenize",
    "_tracemalloc",
    "_typing",
    "_uuid",
    "_warnings",
    "_weakref",
    "_weakrefset",
    "_winapi",
    "_zoneinfo",
    "_zstd",
    "abc",
    "aifc",
    "annotationlib",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "binhex",
    "bisect",
    "builtins",
    "bz2",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "compression",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "formatter",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "macpath",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "parser",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symbol",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "test",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

/// Whether `package` is a standard-library module name, or a dunder name such as `__init__`.
pub fn shadows_stdlib(package: &str) -> bool {
    STDLIB_MODULES.binary_search(&package).is_ok()
        || (package.starts_with("__") && package.ends_with("__"))
}

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

/// The longest Kubernetes name of a namespace, Service, container or label value (a DNS label).
pub const KUBERNETES_NAME_MAX: usize = 63;
/// The longest stack (and service) name of the Swarm stack: Swarm names a service
/// `<stack>_<service>` and a network `<stack>_<service>-net`, each at most 63 characters, and the
/// stack file suggests the name itself as the stack's: 29 + 1 + 29 + 4 = 63.
pub const SWARM_NAME_MAX: usize = 29;

/// A Kubernetes name made of the image name (`[a-z0-9-]`, a letter or digit at both ends): a
/// DNS-1035 label, as a Service needs (a letter first, at most 63). `app-` goes before a name
/// that starts with a digit (`123` → `app-123`); a longer one is [`shortened`].
pub fn kubernetes_name(image: &str) -> String {
    let name = if image.starts_with(|c: char| c.is_ascii_digit()) {
        format!("app-{image}")
    } else {
        image.to_string()
    };
    shortened(&name, KUBERNETES_NAME_MAX)
}

/// The Swarm stack's name for the image name: the name itself up to [`SWARM_NAME_MAX`], else
/// [`shortened`] to it.
pub fn swarm_name(image: &str) -> String {
    shortened(image, SWARM_NAME_MAX)
}

/// `name` when it has at most `max` characters; else its first characters and `-` and the
/// first 8 hex digits of its sha256, `max` in all, so that two long names that share a
/// beginning still differ, and the same name always gives the same result.
pub fn shortened(name: &str, max: usize) -> String {
    use sha2::{Digest, Sha256};
    if name.len() <= max {
        return name.to_string();
    }
    let hash: String = Sha256::digest(name.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    // ASCII only (an image name), so any byte index is a character boundary.
    let head = name[..max - hash.len() - 1].trim_end_matches(['-', '_', '.']);
    format!("{head}-{hash}")
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
