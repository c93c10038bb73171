//! Writes a plan: all files or none, safe against hostile repositories, kills and concurrent runs.
//!
//! - Every new content goes to a temporary file next to its destination, named
//!   `.{name}.dockwright-{32 random hex digits}.tmp` and created exclusively without following
//!   symlinks (`O_CREAT|O_EXCL|O_NOFOLLOW`): a file or symlink planted at any name is never
//!   written through, and the name cannot be guessed.
//! - A run holds an exclusive `flock` on the target directory itself (no lock file) while it
//!   recovers, checks and writes; a second run waits up to [`LOCK_WAIT`] and then stops (exit 1).
//! - After the lock is taken the plan is checked against the disk again: if another run changed
//!   a file meanwhile, nothing is written (exit 1) rather than mixing two runs' files.
//! - When every temporary file is complete, a journal (`.dockwright.journal`, itself written to a
//!   temporary file and renamed) lists the renames; then the renames are done and the journal is
//!   removed. A run killed during the renames leaves the journal: the next run finishes the
//!   renames (roll forward) before anything else, when `journal` shows this machine's
//!   dockwright wrote it; a journal it cannot show to be ours is discarded, never applied. A run
//!   killed earlier leaves only temporary files, which the next run removes (the files on disk
//!   are then all the old ones).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::journal::{Rename, Verdict};
use crate::plan::{Action, Plan};

pub use crate::journal::JOURNAL;
/// How long a run waits for another run on the same target (`DOCKWRIGHT_LOCK_WAIT_MS` overrides).
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Writes every `create`, `overwrite`, `update`, `merge` and `unmerged` entry of `plan`, or
/// nothing at all.
///
/// Refuses (exit 3, nothing written) when the plan has conflicts.
pub fn write(plan: &Plan) -> Result<()> {
    let conflicts = plan.conflicts();
    if !conflicts.is_empty() {
        return Err(Error::Conflicts(conflicts));
    }
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<(PathBuf, PathBuf, Action)> = Vec::new();

    // The target first (for `new`), so that it can be locked.
    create_dirs(&plan.target, &mut created_dirs)?;
    let lock = match TargetLock::acquire(&plan.target) {
        Ok(lock) => lock,
        Err(e) => {
            cleanup(&staged, 0, &created_dirs);
            return Err(e);
        }
    };

    let result = (|| {
        // Only a journal for files this plan writes too is finished here (`recover`, before the
        // run read anything, knows every file dockwright may generate).
        let in_plan = |p: &Path| plan.entries.iter().any(|e| e.path == p);
        if let Some(notice) = recover_locked(&plan.target, &in_plan)? {
            eprintln!("warning: {notice}");
        }
        remove_stale_temps(plan);
        verify_unchanged(plan)?;
        for entry in plan.entries.iter().filter(|e| {
            matches!(
                e.action,
                Action::Create
                    | Action::Overwrite
                    | Action::Update
                    | Action::Merge
                    | Action::Unmerged
            )
        }) {
            let dest = plan.target.join(&entry.path);
            let parent = dest.parent().unwrap_or(&plan.target).to_path_buf();
            create_dirs(&parent, &mut created_dirs)?;
            let (tmp, mut file) = create_temp(&dest)?;
            // Staged as soon as it exists (it is ours: created exclusively), so that a
            // half-written temporary file is cleaned up too.
            staged.push((tmp.clone(), dest, entry.action));
            file.write_all(entry.contents.as_bytes())
                .map_err(|e| Error::io("cannot write", &tmp, e))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        cleanup(&staged, 0, &created_dirs);
        return Err(e);
    }

    // Every temporary file is complete: record the renames, then do them.
    let journal = match write_journal(plan, &staged) {
        Ok(j) => j,
        Err(e) => {
            cleanup(&staged, 0, &created_dirs);
            return Err(e);
        }
    };
    for (i, (tmp, dest, _)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, dest) {
            cleanup(&staged, i, &created_dirs);
            let _ = std::fs::remove_file(&journal);
            return Err(Error::io("cannot move into place", dest, e));
        }
    }
    std::fs::remove_file(&journal).map_err(|e| Error::io("cannot remove", &journal, e))?;
    drop(lock);
    Ok(())
}

/// Finishes the renames of a run that was killed (roll forward), under the target's lock.
/// Called before a run reads the project, so that it never sees a half-renamed state.
/// Does nothing when `target` is not a directory or holds no journal. `allowed` says which
/// relative paths dockwright may generate (`render::may_write`). A journal that cannot be
/// shown to be this machine's dockwright's is discarded: `Some` is the one line to tell.
pub fn recover(target: &Path, allowed: &dyn Fn(&Path) -> bool) -> Result<Option<String>> {
    if !target.is_dir()
        || std::fs::symlink_metadata(target.join(JOURNAL))
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        return Ok(None);
    }
    let _lock = TargetLock::acquire(target)?;
    recover_locked(target, allowed)
}

/// An exclusive `flock` on the target directory; released when dropped (or when the process
/// dies, so a killed run never leaves a stale lock behind).
struct TargetLock(#[allow(dead_code)] File);

impl TargetLock {
    fn acquire(dir: &Path) -> Result<TargetLock> {
        let file = File::open(dir).map_err(|e| Error::io("cannot open", dir, e))?;
        let wait = std::env::var("DOCKWRIGHT_LOCK_WAIT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(LOCK_WAIT, Duration::from_millis);
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(TargetLock(file)),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::Locked {
                        path: dir.to_path_buf(),
                        waited: wait,
                    })
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::io("cannot lock", dir, e))
                }
            }
        }
    }
}

/// Creates `dir` and its missing parents, remembering which ones were new (for rollback).
/// A directory another process created meanwhile is used, not reported as an error.
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        // An empty path is the current directory of a relative target: it exists.
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    for d in missing.into_iter().rev() {
        match std::fs::create_dir(&d) {
            Ok(()) => created.push(d),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(Error::io("cannot create directory", &d, e)),
        }
    }
    Ok(())
}

/// 128 bits from the operating system's random source, as 32 lowercase hex digits.
fn random_hex() -> Result<String> {
    crate::random::hex(16).map_err(|e| {
        Error::io(
            "cannot get random bytes for a temporary file name",
            PathBuf::new(),
            e,
        )
    })
}

/// The temporary file's name for `dest`: `.{name}.dockwright-{32 hex}.tmp` in the same directory.
fn temp_path(dest: &Path) -> Result<PathBuf> {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(dest.with_file_name(format!(".{name}.dockwright-{}.tmp", random_hex()?)))
}

/// Whether `file` is a temporary file name dockwright makes (or made, in older versions with a
/// PID instead of random digits) for a destination named `dest_name`.
fn is_temp_name_for(file: &str, dest_name: &str) -> bool {
    file.strip_prefix('.')
        .and_then(|f| f.strip_prefix(dest_name))
        .and_then(|f| f.strip_prefix(".dockwright-"))
        .and_then(|f| f.strip_suffix(".tmp"))
        .is_some_and(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Creates a new temporary file for `dest` exclusively, never through a symlink.
///
/// No fsync: the guarantee is against a failed, killed or concurrent run, not against power
/// loss, and an fsync per file would cost more than the whole render.
fn create_temp(dest: &Path) -> Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..4 {
        let tmp = temp_path(dest)?;
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                .mode(0o666);
        }
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some((tmp, e)),
            Err(e) => return Err(Error::io("cannot create", tmp, e)),
        }
    }
    let (tmp, e) = last.expect("the loop ran");
    Err(Error::io("cannot create", tmp, e))
}

/// Writes the journal (through a temporary file and a rename, so it is complete or absent):
/// a random run id, each rename with the sha256 of what the temporary file holds, and the MAC
/// of this machine's key (`journal`).
fn write_journal(plan: &Plan, staged: &[(PathBuf, PathBuf, Action)]) -> Result<PathBuf> {
    let target = &plan.target;
    let rel = |p: &Path| p.strip_prefix(target).unwrap_or(p).to_path_buf();
    let renames: Vec<Rename> = staged
        .iter()
        .map(|(tmp, dest, _)| {
            let contents = plan
                .entries
                .iter()
                .find(|e| e.path == rel(dest))
                .map_or("", |e| e.contents.as_str());
            Rename {
                tmp: rel(tmp),
                dest: rel(dest),
                hash: crate::answers::file::hash(contents),
            }
        })
        .collect();
    let text = crate::journal::compose(target, &random_hex()?, &renames);
    let journal = target.join(JOURNAL);
    let (tmp, mut file) = create_temp(&journal)?;
    let written = file
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("cannot write", &tmp, e))
        .and_then(|()| {
            std::fs::rename(&tmp, &journal).map_err(|e| Error::io("cannot write", &journal, e))
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(journal)
}

/// Rolls a killed run forward when `journal::check` shows the journal is this machine's
/// dockwright's, for files `allowed`, with temporary files holding what it says: every rename
/// whose temporary file is still there is done, then the journal is removed. Any other journal
/// is removed with the temporary files it names (only names of dockwright's shape, a symlink
/// removed itself), nothing in it applied; the notice says so.
fn recover_locked(target: &Path, allowed: &dyn Fn(&Path) -> bool) -> Result<Option<String>> {
    let path = target.join(JOURNAL);
    match crate::journal::check(target, allowed)? {
        Verdict::Absent => return Ok(None),
        Verdict::RollForward(renames) => {
            for r in &renames {
                let (tmp, dest) = (target.join(&r.tmp), target.join(&r.dest));
                match std::fs::rename(&tmp, &dest) {
                    // Already renamed before the kill.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    other => other.map_err(|e| Error::io("cannot move into place", &dest, e))?,
                }
            }
        }
        Verdict::Foreign { reason, temps } => {
            for tmp in temps {
                if std::fs::symlink_metadata(&tmp).is_ok_and(|m| !m.is_dir()) {
                    let _ = std::fs::remove_file(&tmp);
                }
            }
            // A directory at the journal's name is left to the user.
            let removed = if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                "it is left in place"
            } else {
                std::fs::remove_file(&path).map_err(|e| Error::io("cannot remove", &path, e))?;
                "it was removed with the temporary files it names"
            };
            return Ok(Some(format!(
                "ignored {JOURNAL}: {reason}; nothing in it was applied, {removed}"
            )));
        }
    };
    std::fs::remove_file(&path).map_err(|e| Error::io("cannot remove", &path, e))?;
    Ok(None)
}

/// Removes temporary files earlier runs left (killed before their journal was written), and
/// anything planted at such a name: only names dockwright makes for the plan's files (and the
/// journal) are touched, and a symlink is removed itself, never followed.
fn remove_stale_temps(plan: &Plan) {
    let mut dirs: std::collections::BTreeMap<PathBuf, Vec<String>> = Default::default();
    dirs.entry(plan.target.clone())
        .or_default()
        .push(JOURNAL.to_string());
    for e in &plan.entries {
        let dest = plan.target.join(&e.path);
        if let (Some(parent), Some(name)) = (dest.parent(), dest.file_name()) {
            dirs.entry(parent.to_path_buf())
                .or_default()
                .push(name.to_string_lossy().into_owned());
        }
    }
    for (dir, names) in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if names.iter().any(|n| is_temp_name_for(&file, n))
                && entry.file_type().is_ok_and(|t| !t.is_dir())
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Checks, under the lock, that the disk is still what the plan was made from; another run
/// may have written in between. Nothing is written when it is not.
fn verify_unchanged(plan: &Plan) -> Result<()> {
    for e in &plan.entries {
        let full = plan.target.join(&e.path);
        let same = match e.action {
            Action::Create => std::fs::symlink_metadata(&full)
                .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound),
            Action::Unchanged => std::fs::read(&full).is_ok_and(|b| b == e.contents.as_bytes()),
            Action::Overwrite | Action::Update | Action::Merge => std::fs::read(&full)
                .is_ok_and(|b| e.existing.as_deref() == Some(String::from_utf8_lossy(&b).as_ref())),
            // A `FILE.rej` may be new.
            Action::Unmerged => match (&e.existing, std::fs::read(&full)) {
                (None, Err(err)) => err.kind() == std::io::ErrorKind::NotFound,
                (Some(old), Ok(b)) => old.as_bytes() == b.as_slice(),
                _ => false,
            },
            Action::Conflict => false,
        };
        if !same {
            return Err(Error::Changed {
                path: e.path.clone(),
                target: plan.target.clone(),
            });
        }
    }
    Ok(())
}

/// Undoes a failed write: removes temporaries not yet renamed, files created by the renames
/// already done, and the directories this run created (overwritten files cannot be restored
/// once renamed, which is why the renames come last and are the only step that can leave a trace).
fn cleanup(staged: &[(PathBuf, PathBuf, Action)], renamed: usize, created_dirs: &[PathBuf]) {
    for (i, (tmp, dest, action)) in staged.iter().enumerate() {
        if i < renamed {
            if *action == Action::Create {
                let _ = std::fs::remove_file(dest);
            }
        } else {
            let _ = std::fs::remove_file(tmp);
        }
    }
    for d in created_dirs.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
}

#[cfg(test)]
mod tests;
