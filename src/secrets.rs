//! The secret deny-list every generated ignore file (`.dockerignore`, `Dockerfile.dockerignore`,
//! `Dockerfile.test.dockerignore`) ends with, and `.dockerignore` matching as Docker does it.
//!
//! [`SECRET_PATTERNS`] is the one list: the blueprints render it from the context
//! (`secret_patterns`), and detection refuses a path it would put into an ignore file (a
//! readme, a workspace member) that the list excludes. The blueprints place the list after every
//! `!` re-include of their own, so the last matching line for a secret is always one of these.

/// The secret patterns, in `.dockerignore` syntax, in the order the ignore files list them:
/// environment files (not the example); private keys, keystores and certificates; SSH and GnuPG
/// homes; cloud (AWS, Azure, Google Cloud, GitHub CLI, service-account files), cluster,
/// registry, Vault and Terraform state and variables; database (`.pgpass`, `.my.cnf`), S3
/// (`.s3cfg`, `.boto`), web-server (`.htpasswd`) and package-index credentials; `secrets`
/// folders. All at any depth.
pub const SECRET_PATTERNS: &[&str] = &[
    "**/.env*",
    "!**/.env.example",
    "**/*.pem",
    "**/*.key",
    "**/id_rsa*",
    "**/id_ecdsa*",
    "**/id_ed25519*",
    "**/id_dsa*",
    "**/*.p12",
    "**/*.pfx",
    "**/*.jks",
    "**/.ssh",
    "**/.gnupg",
    "**/.aws",
    "**/.azure",
    "**/.config/gcloud",
    "**/.config/gh",
    "**/credentials.json",
    "**/service-account*.json",
    "**/.kube",
    "**/.docker/config.json",
    "**/.vault-token",
    "**/terraform.tfstate*",
    "**/*.tfvars",
    "**/.pgpass",
    "**/.my.cnf",
    "**/.s3cfg",
    "**/.boto",
    "**/.htpasswd",
    "**/.npmrc",
    "**/.pypirc",
    "**/.netrc",
    "**/.git-credentials",
    "**/secrets",
];

/// Whether the ignore-file `lines` (patterns, `!` re-includes, comments and blank lines) leave
/// `path` (relative, `/`-separated) out of the build context, as Docker decides it: the last
/// pattern that matches the path or one of its parent directories wins, and a `!` pattern
/// takes the path back in.
pub fn excluded<S: AsRef<str>>(lines: &[S], path: &str) -> bool {
    deciding_pattern(lines, path).is_some_and(|p| !p.starts_with('!'))
}

/// The pattern of [`SECRET_PATTERNS`] that leaves `path` out of the build context, if any.
pub fn secret_pattern(path: &str) -> Option<&'static str> {
    deciding_pattern(SECRET_PATTERNS, path)
        .filter(|p| !p.starts_with('!'))
        .and_then(|p| SECRET_PATTERNS.iter().copied().find(|s| *s == p))
}

/// The last line of `lines` that matches `path` or a parent directory of it.
fn deciding_pattern<'a, S: AsRef<str>>(lines: &'a [S], path: &str) -> Option<&'a str> {
    let path: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    lines
        .iter()
        .map(|l| l.as_ref().trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| {
            let pattern = l.strip_prefix('!').unwrap_or(l);
            let pattern: Vec<&str> = pattern
                .split('/')
                .filter(|c| !c.is_empty() && *c != ".")
                .collect();
            (1..=path.len()).any(|n| match_parts(&pattern, &path[..n]))
        })
        .last()
}

/// Component-wise match: `**` is any number of components, `*`, `?` and `[…]` work within one.
fn match_parts(pattern: &[&str], path: &[&str]) -> bool {
    match (pattern.first(), path.first()) {
        (None, None) => true,
        (Some(&"**"), _) => {
            match_parts(&pattern[1..], path)
                || (!path.is_empty() && match_parts(pattern, &path[1..]))
        }
        (Some(p), Some(s)) => {
            let p: Vec<char> = p.chars().collect();
            let s: Vec<char> = s.chars().collect();
            match_component(&p, &s) && match_parts(&pattern[1..], &path[1..])
        }
        _ => false,
    }
}

fn match_component(pattern: &[char], name: &[char]) -> bool {
    match (pattern.first(), name.first()) {
        (None, None) => true,
        (Some('*'), _) => {
            match_component(&pattern[1..], name)
                || (!name.is_empty() && match_component(pattern, &name[1..]))
        }
        (Some('?'), Some(_)) => match_component(&pattern[1..], &name[1..]),
        (Some('['), Some(c)) => match class(&pattern[1..], *c) {
            Some((true, rest)) => match_component(rest, &name[1..]),
            Some((false, _)) => false,
            // An unclosed `[` is a literal.
            None => *c == '[' && match_component(&pattern[1..], &name[1..]),
        },
        (Some('\\'), Some(c)) if pattern.len() > 1 => {
            pattern[1] == *c && match_component(&pattern[2..], &name[1..])
        }
        (Some(p), Some(n)) => p == n && match_component(&pattern[1..], &name[1..]),
        _ => false,
    }
}

/// A character class after its `[`: whether `c` is in it, and the pattern after its `]`.
fn class(pattern: &[char], c: char) -> Option<(bool, &[char])> {
    let (negated, mut rest) = match pattern.first() {
        Some('^' | '!') => (true, &pattern[1..]),
        _ => (false, pattern),
    };
    let mut hit = false;
    let mut first = true;
    loop {
        match rest {
            [']', after @ ..] if !first => return Some((hit != negated, after)),
            [lo, '-', hi, after @ ..] if *hi != ']' => {
                hit |= (*lo..=*hi).contains(&c);
                rest = after;
            }
            [x, after @ ..] => {
                hit |= *x == c;
                rest = after;
            }
            [] => return None,
        }
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_as_docker_matches_them() {
        let lines = [
            "**/.env*",
            "!**/.env.example",
            "dist",
            "**/*.py[cod]",
            "a/*/c",
        ];
        for path in [
            ".env",
            "x/y/.env.prod",
            "dist",
            "dist/x.whl",
            "m.pyc",
            "p/m.pyo",
        ] {
            assert!(excluded(&lines, path), "{path}");
        }
        for path in [
            ".env.example",
            "x/.env.example",
            "sub/dist",
            "m.py",
            "m.pyx",
        ] {
            assert!(!excluded(&lines, path), "{path}");
        }
        // `*` stays within one component; a parent directory that matches excludes its files.
        assert!(excluded(&lines, "a/b/c/d"));
        assert!(!excluded(&lines, "a/b/x/c"));
        // Comments and blank lines are no patterns.
        assert!(!excluded(&["# .env", "", "  "], ".env"));
    }

    #[test]
    fn the_last_matching_line_wins_and_a_reinclude_of_a_directory_takes_its_files_back() {
        let before = ["**/.ssh", "!.ssh"];
        assert!(!excluded(&before, ".ssh/id_ed25519"));
        let after = ["!.ssh", "**/.ssh"];
        assert!(excluded(&after, ".ssh/id_ed25519"));
        assert!(!excluded(&["**/.env*", "!config"], "config/.env"));
    }

    #[test]
    fn secret_paths_name_their_pattern() {
        assert_eq!(secret_pattern(".env"), Some("**/.env*"));
        assert_eq!(secret_pattern("deploy/.ssh/config"), Some("**/.ssh"));
        assert_eq!(
            secret_pattern("a/.docker/config.json"),
            Some("**/.docker/config.json")
        );
        assert_eq!(secret_pattern(".env.example"), None);
        assert_eq!(secret_pattern("README.md"), None);
        assert_eq!(secret_pattern(".docker/daemon.json"), None);
    }

    #[test]
    fn classes_ranges_and_escapes() {
        let c = |p: &str, n: &str| {
            match_component(
                &p.chars().collect::<Vec<_>>(),
                &n.chars().collect::<Vec<_>>(),
            )
        };
        assert!(c("[a-c]x", "bx"));
        assert!(!c("[a-c]x", "dx"));
        assert!(c("[^a-c]x", "dx"));
        assert!(c("[]]", "]"));
        assert!(c("\\*", "*"));
        assert!(!c("\\*", "a"));
        assert!(c("[ab", "[ab"));
    }
}
