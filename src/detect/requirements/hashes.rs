//! pip's hash-checking mode (`--require-hashes`), from the `--hash` pins of the files read.

use std::path::Path;

use crate::error::{Error, Result};

use super::read::Read;

/// pip's hash-checking mode: on when every requirement line carries `--hash`; a file that
/// hashes only some would fail pip, so it is refused here with the fix.
pub(super) fn hash_mode(target: &Path, file: &str, read: &Read) -> Result<bool> {
    if read.hashed == 0 {
        return Ok(false);
    }
    if read.hashed == read.lines {
        return Ok(true);
    }
    Err(Error::Project {
        path: target.join(file),
        reason: format!(
            "{} of its {} requirements (with the files it includes) carry `--hash` and the others do not, so pip refuses to install it; pin every requirement with its hashes (`pip-compile --generate-hashes`, `uv pip compile --generate-hashes`) or none, then run dockwright again",
            read.hashed, read.lines
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{found, refused};

    #[test]
    fn hashes_all_or_none() {
        let hashed = "flask==3.0.3 \\\n    --hash=sha256:aa\nwerkzeug==3.1.3 --hash=sha256:bb\n";
        let (app, _) = found(&[("requirements.txt", hashed)]).unwrap().unwrap();
        assert!(app.hashes);
        let mixed = format!("{hashed}requests\n");
        let said = refused(&[("requirements.txt", &mixed)]);
        assert!(said.contains("2 of its 3 requirements"), "{said}");
        assert!(said.contains("--generate-hashes"), "{said}");
    }
}
