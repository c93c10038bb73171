//! The rename journal: `.dockwright.journal`, written when every temporary file of a run is
//! complete and removed when its renames are done. A run killed in between leaves it, and the
//! next run finishes the renames (roll forward).
//!
//! A repository can ship a journal and the temporary files it names, so a journal is honoured
//! only when all of this holds (else it is discarded, see [`Verdict::Foreign`]):
//!
//! 1. **It was written on this machine by dockwright.** It ends with an HMAC-SHA256 of its
//!    text and of the project's canonical path, keyed with a random per-user key kept outside
//!    every project (`$XDG_STATE_HOME/dockwright/journal.key`, else
//!    `~/.local/state/dockwright/journal.key`, mode 0600, owned by the user). A repository
//!    cannot compute it offline; a journal moved to another project does not match either.
//! 2. **Every destination is a file dockwright generates** (the caller's `allowed`: the
//!    catalogue's outputs, the record, backups of those; never `.env` or `.venv/…`), inside
//!    the project, outside `.git`, without a symlinked directory on the way.
//! 3. **Every temporary file is the one the run wrote**: named `.{dest}.dockwright-{32 hex}.tmp`
//!    in the destination's directory, a regular file (not a symlink) whose sha256 is the one
//!    the journal lists for it; or absent (renamed before the kill).

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::safety::shown;

/// The journal of the renames in progress, in the target directory.
pub const JOURNAL: &str = ".dockwright.journal";
const HEADER: &str = "dockwright journal v2";
/// The largest journal read back (far above the few dozen lines a run writes).
const JOURNAL_MAX: u64 = 1024 * 1024;
/// The largest temporary file hashed (the cap of a generated file the plan compares).
const TEMP_MAX: u64 = crate::fsread::PYPROJECT_MAX;
const KEY_FILE: &str = "journal.key";

/// One rename of a run: paths relative to the target, and the temporary file's content hash
/// (as the record writes hashes: `sha256:` and 64 hex digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub tmp: PathBuf,
    pub dest: PathBuf,
    pub hash: String,
}

/// What a run found in the target's journal.
#[derive(Debug)]
pub enum Verdict {
    /// No journal.
    Absent,
    /// A journal this machine's dockwright wrote: these renames are to be finished.
    RollForward(Vec<Rename>),
    /// A journal that cannot be shown to be ours: never applied. `temps` are the temporary
    /// files it names that have dockwright's temporary names (to remove, never followed).
    Foreign { reason: String, temps: Vec<PathBuf> },
}

/// The journal's text for `renames` of run `run` (32 hex digits) in `target`, with its MAC;
/// without a MAC when no key can be kept (such a journal is never rolled forward).
pub fn compose(target: &Path, run: &str, renames: &[Rename]) -> String {
    let mut text = format!("{HEADER}\nrun {run}\n");
    for r in renames {
        text.push_str(&format!(
            "{}\t{}\t{}\n",
            r.tmp.display(),
            r.dest.display(),
            r.hash
        ));
    }
    if let Ok(key) = key(target, true) {
        if let Some(mac) = mac(&key, target, &text) {
            text.push_str(&format!("mac {mac}\n"));
        }
    }
    text
}

/// Reads and checks the journal in `target`; `allowed` says which relative paths dockwright
/// may generate there.
pub fn check(target: &Path, allowed: &dyn Fn(&Path) -> bool) -> Result<Verdict> {
    let path = target.join(JOURNAL);
    let text = match crate::fsread::read_regular(&path, JOURNAL_MAX) {
        Ok(t) => t,
        Err(e) if e.is_not_found() => return Ok(Verdict::Absent),
        // Not a regular file, too large, not UTF-8: not ours either.
        Err(crate::fsread::ReadError::Io(e)) => return Err(Error::io("cannot read", &path, e)),
        Err(e) => {
            return Ok(Verdict::Foreign {
                reason: e.reason(),
                temps: Vec::new(),
            })
        }
    };
    Ok(match verify(target, &text, allowed) {
        Ok(renames) => Verdict::RollForward(renames),
        Err(reason) => Verdict::Foreign {
            reason,
            temps: named_temps(target, &text),
        },
    })
}

/// The renames of `text` when every check of the module's documentation holds; else why not.
fn verify(
    target: &Path,
    text: &str,
    allowed: &dyn Fn(&Path) -> bool,
) -> std::result::Result<Vec<Rename>, String> {
    // The MAC covers everything before its line, and its line is the last.
    let (signed, signature) = match text.find("\nmac ") {
        Some(i) => (
            &text[..i + 1],
            Some(text[i + 1 + "mac ".len()..].trim_end_matches('\n')),
        ),
        None => (text, None),
    };
    let mut lines = signed.lines();
    if lines.next() != Some(HEADER) {
        return Err(format!("its first line is not `{HEADER}`"));
    }
    let run_ok = lines
        .next()
        .and_then(|l| l.strip_prefix("run "))
        .is_some_and(|id| is_hex(id, 32));
    if !run_ok {
        return Err("its second line is not `run` and 32 hex digits".into());
    }
    let mut renames = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let [tmp, dest, hash] = fields[..] else {
            return Err(format!(
                "the line `{}` is not `temporary<TAB>destination<TAB>sha256:…`",
                shown(line)
            ));
        };
        let (tmp, dest) = (Path::new(tmp), Path::new(dest));
        if !is_rename_shape(target, tmp, dest) || !allowed(dest) {
            return Err(format!(
                "it lists `{}` -> `{}`, which is not a rename dockwright makes",
                shown(&tmp.to_string_lossy()),
                shown(&dest.to_string_lossy())
            ));
        }
        if !hash.strip_prefix("sha256:").is_some_and(|h| is_hex(h, 64)) {
            return Err(format!("`{}` is not a sha256 hash", shown(hash)));
        }
        renames.push(Rename {
            tmp: tmp.to_path_buf(),
            dest: dest.to_path_buf(),
            hash: hash.to_string(),
        });
    }
    let Some(signature) = signature else {
        return Err("it carries no signature of this machine's dockwright".into());
    };
    let key = key(target, false).map_err(|why| {
        format!(
            "its signature cannot be checked: {why}, so no dockwright run on this machine wrote it"
        )
    })?;
    let expected = mac(&key, target, signed).ok_or("the project's path cannot be resolved")?;
    if !same(expected.as_bytes(), signature.as_bytes()) {
        return Err("its signature is not this machine's dockwright's".into());
    }
    for r in &renames {
        let tmp = target.join(&r.tmp);
        match std::fs::symlink_metadata(&tmp) {
            // Renamed before the kill.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Ok(m) if m.is_file() => {
                let content = crate::fsread::read_regular(&tmp, TEMP_MAX)
                    .map_err(|e| format!("`{}` cannot be read: {}", r.tmp.display(), e.reason()))?;
                if crate::answers::file::hash(&content) != r.hash {
                    return Err(format!(
                        "`{}` does not hold what the journal says",
                        shown(&r.tmp.to_string_lossy())
                    ));
                }
            }
            _ => {
                return Err(format!(
                    "`{}` is not a regular file",
                    shown(&r.tmp.to_string_lossy())
                ))
            }
        }
    }
    Ok(renames)
}

/// Whether `tmp` → `dest` has the shape of a rename dockwright makes: plain relative paths
/// outside `.git`, the temporary file named for its destination in the same directory, no
/// symlinked directory on the way.
fn is_rename_shape(target: &Path, tmp: &Path, dest: &Path) -> bool {
    let plain = |p: &Path| {
        !p.as_os_str().is_empty()
            && p.components().all(|c| match c {
                Component::Normal(n) => !n.eq_ignore_ascii_case(".git"),
                _ => false,
            })
    };
    let named = match (tmp.file_name(), dest.file_name()) {
        (Some(t), Some(d)) => is_temp_name(&t.to_string_lossy(), &d.to_string_lossy()),
        _ => false,
    };
    plain(tmp)
        && plain(dest)
        && tmp.parent() == dest.parent()
        && named
        && !symlinked_parent(target, dest)
}

/// Whether `file` is the name this version gives a temporary file for `dest_name`:
/// `.{dest_name}.dockwright-{32 hex}.tmp`.
fn is_temp_name(file: &str, dest_name: &str) -> bool {
    file.strip_prefix('.')
        .and_then(|f| f.strip_prefix(dest_name))
        .and_then(|f| f.strip_prefix(".dockwright-"))
        .and_then(|f| f.strip_suffix(".tmp"))
        .is_some_and(|id| is_hex(id, 32))
}

/// The temporary files a journal names that have the shape of dockwright's (any version of the
/// journal, signed or not): what discarding it may remove. Never anything else.
fn named_temps(target: &Path, text: &str) -> Vec<PathBuf> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (tmp, dest) = (Path::new(fields.next()?), Path::new(fields.next()?));
            is_rename_shape(target, tmp, dest).then(|| target.join(tmp))
        })
        .collect()
}

/// Whether a directory between `target` and `rel` is a symlink.
fn symlinked_parent(target: &Path, rel: &Path) -> bool {
    let mut dir = target.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    parts[..parts.len().saturating_sub(1)].iter().any(|c| {
        dir.push(c);
        std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink())
    })
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// HMAC-SHA256 (RFC 2104) of the project's canonical path, a newline and `text`, as hex.
fn mac(key: &[u8], target: &Path, text: &str) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    let target = std::fs::canonicalize(target).ok()?;
    let mut message = target.as_os_str().as_bytes().to_vec();
    message.push(b'\n');
    message.extend_from_slice(text.as_bytes());
    Some(hex(&hmac_sha256(key, &message)))
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let inner = Sha256::new()
        .chain_update(block.map(|b| b ^ 0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(block.map(|b| b ^ 0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the key is kept: `$XDG_STATE_HOME/dockwright`, else `~/.local/state/dockwright`
/// (absolute paths only, as the XDG specification asks).
fn key_dir() -> Option<PathBuf> {
    let absolute = |v: Option<std::ffi::OsString>| v.map(PathBuf::from).filter(|p| p.is_absolute());
    absolute(std::env::var_os("XDG_STATE_HOME"))
        .or_else(|| absolute(std::env::var_os("HOME")).map(|h| h.join(".local/state")))
        .map(|d| d.join("dockwright"))
}

/// This user's journal key (64 hex digits), created when `create` and missing. `Err` says why
/// there is none. A key inside `target` is never used: a repository could have shipped it.
fn key(target: &Path, create: bool) -> std::result::Result<Vec<u8>, String> {
    let dir = key_dir().ok_or("neither XDG_STATE_HOME nor HOME is set to an absolute path")?;
    let path = dir.join(KEY_FILE);
    if create {
        create_key(&dir, &path)?;
    }
    let key = read_key(&path)?;
    let inside = match (std::fs::canonicalize(&dir), std::fs::canonicalize(target)) {
        (Ok(d), Ok(t)) => d.starts_with(t),
        _ => true,
    };
    if inside {
        return Err(format!(
            "the key `{}` is inside the project",
            shown(&path.to_string_lossy())
        ));
    }
    Ok(key)
}

/// Reads the key: a regular file (not a symlink) of this user, readable by nobody else,
/// holding 64 hex digits.
fn read_key(path: &Path) -> std::result::Result<Vec<u8>, String> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let shown_path = || shown(&path.to_string_lossy());
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| format!("no key `{}` ({e})", shown_path()))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("the key `{}` cannot be read ({e})", shown_path()))?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    if !meta.is_file() || meta.uid() != uid || meta.mode() & 0o077 != 0 || meta.len() != 64 {
        return Err(format!(
            "the key `{}` is not a 64-byte file of this user readable by nobody else",
            shown_path()
        ));
    }
    let mut key = Vec::with_capacity(64);
    file.take(64)
        .read_to_end(&mut key)
        .map_err(|e| format!("the key `{}` cannot be read ({e})", shown_path()))?;
    if !is_hex(&String::from_utf8_lossy(&key), 64) {
        return Err(format!("the key `{}` is not 64 hex digits", shown_path()));
    }
    Ok(key)
}

/// Creates the key when it is missing: written to a private temporary file, then linked into
/// place (a link never replaces a file, so two runs creating it at once agree on one key).
fn create_key(dir: &Path, path: &Path) -> std::result::Result<(), String> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(());
    }
    let fail = |e: std::io::Error| {
        format!(
            "cannot create the key `{}` ({e})",
            shown(&path.to_string_lossy())
        )
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(fail)?;
    let key = crate::random::hex(32).map_err(fail)?;
    let tmp = dir.join(format!(
        ".{KEY_FILE}.{}.tmp",
        crate::random::hex(16).map_err(fail)?
    ));
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(&tmp)
        .and_then(|mut f: File| f.write_all(key.as_bytes()))
        .and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(fail(e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
