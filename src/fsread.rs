//! The one way dockwright reads a file: only a regular file, only up to a size cap, and — for
//! the project's own files — only when it resolves to a place inside the project.
//!
//! A repository may ship a FIFO, a symlink to `/dev/zero` or to a file outside it under any
//! name dockwright reads. Each file is opened with `O_NONBLOCK` (opening a FIFO never waits
//! for a writer), checked with `fstat` on the open descriptor (a FIFO, device or directory is
//! refused before a byte is read), and read through a limit one byte above its cap.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Cap for `pyproject.toml`.
pub const PYPROJECT_MAX: u64 = 10 * 1024 * 1024;
/// Cap for every other file read: a scanned source module, a justfile, a Dockerfile, a compose
/// file, an answers file, a generated file compared with the plan.
pub const FILE_MAX: u64 = 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing at that path.
    NotFound,
    /// Not a regular file: what it is instead (`a FIFO`, `a directory`, …).
    NotRegular(&'static str),
    /// Larger than the cap (bytes).
    TooLarge(u64),
    /// A symlink that resolves outside the project (the place it resolves to).
    Outside(PathBuf),
    /// Not UTF-8 text.
    NotUtf8,
    /// Any other I/O failure.
    Io(std::io::Error),
}

impl ReadError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::NotFound)
    }

    /// The rule the file broke, lowercase, for an error message; never any of its content.
    pub fn reason(&self) -> String {
        match self {
            ReadError::NotFound => "it does not exist".into(),
            ReadError::NotRegular(what) => {
                format!("it is {what}, not a regular file; dockwright reads only regular files")
            }
            ReadError::TooLarge(cap) => format!(
                "it is larger than {} MB, the most dockwright reads from such a file",
                cap / (1024 * 1024)
            ),
            ReadError::Outside(to) => format!(
                "it is a symlink to `{}`, outside the project; dockwright reads only files inside the project",
                crate::safety::shown_path(to)
            ),
            ReadError::NotUtf8 => "it is not UTF-8 text".into(),
            ReadError::Io(e) => e.to_string().to_lowercase(),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(e),
        }
    }
}

/// Reads the project file `path` (inside `root`): a symlink is followed only when it resolves
/// inside `root`; the result must be a regular UTF-8 file of at most `cap` bytes.
pub fn read_in(root: &Path, path: &Path, cap: u64) -> Result<String, ReadError> {
    let resolved = resolve_inside(root, path)?;
    text(read_bytes(&resolved, cap, false)?)
}

/// Like [`read_in`], but the bytes (for files that need not be UTF-8).
pub fn read_bytes_in(root: &Path, path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let resolved = resolve_inside(root, path)?;
    read_bytes(&resolved, cap, false)
}

/// Reads a file the user named (it may be anywhere, through symlinks): a regular UTF-8 file
/// of at most `cap` bytes.
pub fn read_named(path: &Path, cap: u64) -> Result<String, ReadError> {
    text(read_bytes(path, cap, false)?)
}

/// Reads a file that must not be a symlink at all (dockwright's own journal).
pub fn read_regular(path: &Path, cap: u64) -> Result<String, ReadError> {
    text(read_bytes(path, cap, true)?)
}

/// Where `path` resolves, when that is inside `root`.
pub fn resolve_inside(root: &Path, path: &Path) -> Result<PathBuf, ReadError> {
    let resolved = std::fs::canonicalize(path)?;
    let root = std::fs::canonicalize(root)?;
    if resolved.starts_with(&root) {
        Ok(resolved)
    } else {
        Err(ReadError::Outside(resolved))
    }
}

fn text(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
}

fn read_bytes(path: &Path, cap: u64, nofollow: bool) -> Result<Vec<u8>, ReadError> {
    let file = open(path, nofollow)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(cap));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(cap));
    }
    Ok(bytes)
}

fn open(path: &Path, nofollow: bool) -> Result<File, ReadError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NONBLOCK | libc::O_CLOEXEC;
        if nofollow {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    match options.open(path) {
        Ok(f) => Ok(f),
        // O_NOFOLLOW on a symlink.
        #[cfg(unix)]
        Err(e) if nofollow && e.raw_os_error() == Some(libc::ELOOP) => {
            Err(ReadError::NotRegular("a symlink"))
        }
        Err(e) => Err(e.into()),
    }
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_small_regular_file_inside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("ok"), "hi").unwrap();
        assert_eq!(read_in(root, &root.join("ok"), 10).unwrap(), "hi");
        assert!(matches!(
            read_in(root, &root.join("ok"), 1),
            Err(ReadError::TooLarge(1))
        ));
        std::fs::create_dir(root.join("d")).unwrap();
        assert!(matches!(
            read_in(root, &root.join("d"), 10),
            Err(ReadError::NotRegular("a directory"))
        ));
        assert!(read_in(root, &root.join("missing"), 10)
            .unwrap_err()
            .is_not_found());
        std::fs::write(root.join("bin"), [0xff, 0xfe]).unwrap();
        assert!(matches!(
            read_in(root, &root.join("bin"), 10),
            Err(ReadError::NotUtf8)
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/dev/zero", root.join("zero")).unwrap();
            assert!(matches!(
                read_in(root, &root.join("zero"), 10),
                Err(ReadError::Outside(_))
            ));
            assert!(matches!(
                read_named(&root.join("zero"), 10),
                Err(ReadError::NotRegular("a device"))
            ));
            std::os::unix::fs::symlink("ok", root.join("inside")).unwrap();
            assert_eq!(read_in(root, &root.join("inside"), 10).unwrap(), "hi");
            assert!(matches!(
                read_regular(&root.join("inside"), 10),
                Err(ReadError::NotRegular("a symlink"))
            ));
            let fifo = root.join("fifo");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            assert!(matches!(
                read_in(root, &fifo, 10),
                Err(ReadError::NotRegular("a FIFO"))
            ));
        }
    }
}
