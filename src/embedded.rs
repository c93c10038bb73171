//! The built-in blueprints, embedded at compile time (`include_dir`; `build.rs` makes cargo
//! rebuild when `blueprints/` changes). `render` reads them through its loader, `overrides`
//! to tell a replacement from an added blueprint and to show or eject the built-in text.

use include_dir::{include_dir, Dir, DirEntry};

pub static BLUEPRINTS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/blueprints");

/// The text of the built-in blueprint at `name` (its path under `blueprints/`).
pub fn text(name: &str) -> Option<&'static str> {
    BLUEPRINTS.get_file(name).and_then(|f| f.contents_utf8())
}

/// Every embedded file under `dir` (all of them for `""`), by its path under `blueprints/`.
pub fn files_under(dir: &str) -> Vec<String> {
    fn collect(dir: &Dir<'_>, out: &mut Vec<String>) {
        for e in dir.entries() {
            match e {
                DirEntry::Dir(d) => collect(d, out),
                DirEntry::File(f) => out.extend(f.path().to_str().map(str::to_string)),
            }
        }
    }
    let mut out = Vec::new();
    if dir.is_empty() {
        collect(&BLUEPRINTS, &mut out);
    } else if let Some(d) = BLUEPRINTS.get_dir(dir) {
        collect(d, &mut out);
    }
    out.sort();
    out
}
