//! A folder of blueprints in a git repository: `--blueprints URL#REF`, fetched with the system
//! `git` at that ref only (depth 1) into the user's cache, and the commit it resolved to.
//!
//! The URL may come from a project's record, so it is hostile: only `https://`, `ssh://`
//! (and `user@host:path`), `file://` and local paths are accepted — never `ext::`, `fd::` or
//! any other `TRANSPORT::` form, nor `http://` or `git://` —, git runs with `protocol.allow=never`
//! but for those, without the user's or the system's git configuration, without hooks (an
//! empty hooks path and template folder), without prompting, with the URL and the ref after
//! `--`, and is killed after `TIMEOUT`. Symlinks are checked out as plain files.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::safety::shown;

/// The longest a fetch may take.
const TIMEOUT: Duration = Duration::from_secs(120);
/// The largest checkout accepted (bytes of files, `.git` included).
const MAX_CHECKOUT_BYTES: u64 = 64 * 1024 * 1024;

/// A git source: where and which ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub url: String,
    pub reference: String,
}

fn refused(spec: &str, reason: String) -> Error {
    Error::Blueprint {
        path: PathBuf::from(shown(spec)),
        line: None,
        reason,
    }
}

impl Remote {
    /// `None` for a plain folder; a remote for `URL#REF` (or a URL without a ref, refused).
    pub fn parse(spec: &str) -> Result<Option<Remote>> {
        let (url, reference) = match spec.rsplit_once('#') {
            Some((u, r)) => (u, Some(r)),
            None => (spec, None),
        };
        let scheme = url.split_once("://").map(|(s, _)| s);
        if url.contains("::") && scheme.is_none() || scheme.is_some_and(|s| s.contains("::")) {
            return Err(refused(
                spec,
                "git's `TRANSPORT::ADDRESS` form (such as `ext::`) runs programs; give an `https://`, `ssh://` or `file://` URL or a local path".into(),
            ));
        }
        let scp = scheme.is_none() && is_scp_like(url);
        let is_url = scheme.is_some() || scp;
        if let Some(s) = scheme {
            if !matches!(s, "https" | "ssh" | "file") {
                return Err(refused(
                    spec,
                    format!(
                        "the `{}://` transport is not accepted; use `https://`, `ssh://` or `file://`",
                        shown(s)
                    ),
                ));
            }
        }
        if url.starts_with('-') || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(refused(
                spec,
                "a blueprints URL must not start with `-` or hold spaces or control characters"
                    .into(),
            ));
        }
        let Some(reference) = reference else {
            if is_url {
                return Err(refused(
                    spec,
                    format!(
                        "a git URL needs the ref to render from: `{}#v1` (a tag, a branch or a commit)",
                        shown(url)
                    ),
                ));
            }
            return Ok(None);
        };
        let ref_ok = !reference.is_empty()
            && reference.len() <= 200
            && !reference.starts_with('-')
            && !reference.contains("..")
            && reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '+'));
        if !ref_ok {
            return Err(refused(
                spec,
                "the ref after `#` must be a tag, branch or commit made of ASCII letters, digits, `.`, `_`, `-`, `+` and `/`".into(),
            ));
        }
        Ok(Some(Remote {
            url: url.to_string(),
            reference: reference.to_string(),
        }))
    }

    /// Fetches the ref into a fresh folder of the cache, checks it out, and keeps it under the
    /// commit's id (`$XDG_CACHE_HOME/dockwright/blueprints/<commit>`): the folder and the commit.
    pub fn checkout(&self) -> Result<(PathBuf, String)> {
        let spec = format!("{}#{}", self.url, self.reference);
        let cache = cache_dir().ok_or_else(|| {
            refused(
                &spec,
                "there is no cache folder to clone into: set HOME or XDG_CACHE_HOME".into(),
            )
        })?;
        std::fs::create_dir_all(&cache).map_err(|e| Error::io("cannot create", &cache, e))?;
        let fresh = Fresh::new(&cache)?;
        let dir = fresh.0.as_path();
        let git = |args: &[&str]| run_git(dir, args, &spec);
        git(&["init", "--quiet", "--template=", "."])?;
        git(&[
            "fetch",
            "--quiet",
            "--depth=1",
            "--no-tags",
            "--no-recurse-submodules",
            "--",
            &self.url,
            &self.reference,
        ])?;
        let commit = git(&["rev-parse", "--verify", "FETCH_HEAD^{commit}"])?
            .trim()
            .to_string();
        if commit.len() < 40 || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(refused(&spec, "git did not name the fetched commit".into()));
        }
        git(&["checkout", "--quiet", "--detach", &commit, "--"])?;
        let size = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum::<u64>();
        if size > MAX_CHECKOUT_BYTES {
            return Err(refused(
                &spec,
                format!(
                    "its checkout is larger than {} MB; keep the blueprints in a small repository",
                    MAX_CHECKOUT_BYTES / (1024 * 1024)
                ),
            ));
        }
        let keep = cache.join(&commit);
        if !keep.is_dir() {
            // Another run may keep the same commit first: then this copy goes with `fresh`.
            let _ = std::fs::rename(dir, &keep);
        }
        Ok((keep, commit))
    }
}

/// A fetch's own folder in the cache, removed when dropped (after a failure, or when the
/// commit was kept already).
struct Fresh(PathBuf);

impl Fresh {
    fn new(cache: &Path) -> Result<Fresh> {
        let name =
            crate::random::hex(8).map_err(|e| Error::io("cannot name a folder in", cache, e))?;
        let dir = cache.join(format!("fetch-{name}"));
        std::fs::create_dir(&dir).map_err(|e| Error::io("cannot create", &dir, e))?;
        Ok(Fresh(dir))
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Remote {
    /// A repository on this machine named by its path, not a URL.
    pub fn is_local_path(&self) -> bool {
        !self.url.contains("://") && !is_scp_like(&self.url)
    }
}

/// `user@host:path` (git's scp-like ssh syntax): a `:` before any `/`.
fn is_scp_like(url: &str) -> bool {
    match (url.find(':'), url.find('/')) {
        (Some(colon), Some(slash)) => colon < slash && colon > 0,
        (Some(colon), None) => colon > 0,
        _ => false,
    }
}

/// `$XDG_CACHE_HOME/dockwright/blueprints`, else `$HOME/.cache/dockwright/blueprints`.
fn cache_dir() -> Option<PathBuf> {
    Some(super::xdg_dir("XDG_CACHE_HOME", ".cache")?.join("blueprints"))
}

/// Runs git in `dir` with the safe configuration; its stdout, or the error naming the spec.
fn run_git(dir: &Path, args: &[&str], spec: &str) -> Result<String> {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args([
            "-c",
            "protocol.allow=never",
            "-c",
            "protocol.https.allow=always",
            "-c",
            "protocol.ssh.allow=always",
            "-c",
            "protocol.file.allow=always",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "core.symlinks=false",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "submodule.recurse=false",
            "-c",
            "advice.detachedHead=false",
        ])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_PROTOCOL_FROM_USER", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_CONFIG_PARAMETERS")
        .env_remove("GIT_ALLOW_PROTOCOL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| {
        refused(
            spec,
            format!("cannot run `git` ({e}); install git to use a git URL as --blueprints"),
        )
    })?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(refused(
                    spec,
                    format!("git did not finish within {} s", TIMEOUT.as_secs()),
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(Error::io("cannot wait for git in", dir, e)),
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|e| Error::io("cannot read git's output in", dir, e))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(refused(
            spec,
            format!(
                "`git {}` failed: {}; check the URL and that the ref exists",
                args.first().unwrap_or(&""),
                shown(last.trim())
            ),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transports_other_than_https_ssh_file_and_paths_are_refused() {
        for bad in [
            "ext::sh -c touch% /tmp/pwned#main",
            "fd::3#main",
            "http://example.com/b.git#v1",
            "git://example.com/b.git#v1",
            "https://example.com/b.git",
            "https://example.com/b.git#-v1",
            "https://example.com/b.git#a..b",
            "-uhttps://x#v1",
        ] {
            assert!(Remote::parse(bad).is_err(), "{bad}");
        }
        for (good, url) in [
            ("https://example.com/b.git#v1", "https://example.com/b.git"),
            (
                "ssh://git@example.com/b.git#main",
                "ssh://git@example.com/b.git",
            ),
            ("git@example.com:org/b.git#v1", "git@example.com:org/b.git"),
            ("file:///srv/b.git#v1", "file:///srv/b.git"),
            ("../b.git#v1", "../b.git"),
        ] {
            assert_eq!(Remote::parse(good).unwrap().unwrap().url, url, "{good}");
        }
        assert_eq!(Remote::parse("house-blueprints").unwrap(), None);
    }
}
