//! The writer's tests: journals, temporary files, recovery.
use super::*;
use crate::model::Rendered;

fn rendered(files: &[(&str, &str)]) -> Rendered {
    files
        .iter()
        .map(|(p, c)| (PathBuf::from(p), c.to_string()))
        .collect()
}

#[test]
fn conflicts_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b"), "mine").unwrap();
    let plan = Plan::new(
        dir.path(),
        rendered(&[("a/x", "1"), ("b", "theirs")]),
        false,
    )
    .unwrap();
    assert!(matches!(write(&plan), Err(Error::Conflicts(_))));
    assert!(!dir.path().join("a").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b")).unwrap(),
        "mine"
    );
}

#[test]
fn writes_everything_and_leaves_no_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let plan = Plan::new(dir.path(), rendered(&[("a/b/x", "1"), ("y", "2")]), false).unwrap();
    write(&plan).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a/b/x")).unwrap(),
        "1"
    );
    let names: Vec<_> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_failed_write_rolls_back() {
    let dir = tempfile::tempdir().unwrap();
    // A name that fits, whose temporary name is too long: the second write fails, even as root.
    let long = format!("d/{}", "y".repeat(240));
    let plan = Plan::new(dir.path(), rendered(&[("a/x", "1"), (&long, "2")]), false).unwrap();
    assert!(matches!(write(&plan), Err(Error::Io { .. })));
    assert!(
        !dir.path().join("a").exists() && !dir.path().join("d").exists(),
        "the directories created are removed again"
    );
    assert!(!dir.path().join(JOURNAL).exists());
}

#[test]
fn planted_files_and_symlinks_at_temporary_names_are_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    // Old-style PID names, and names with a few hex digits.
    for id in (1..2000)
        .map(|p| p.to_string())
        .chain(["0".repeat(32), "f".repeat(32)])
    {
        std::os::unix::fs::symlink(&victim, dir.path().join(format!(".x.dockwright-{id}.tmp")))
            .unwrap();
    }
    let plan = Plan::new(dir.path(), rendered(&[("x", "generated")]), false).unwrap();
    write(&plan).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("x")).unwrap(),
        "generated"
    );
    // The planted names are dockwright's temporary names: removed as stale, links only.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("x")]);
}

#[test]
fn temporary_names_are_random() {
    let a = temp_path(Path::new("/t/Dockerfile")).unwrap();
    let b = temp_path(Path::new("/t/Dockerfile")).unwrap();
    assert_ne!(a, b);
    let name = a.file_name().unwrap().to_str().unwrap();
    assert!(is_temp_name_for(name, "Dockerfile"), "{name}");
    assert_eq!(name.len(), ".Dockerfile.dockwright-.tmp".len() + 32);
}

/// A journal as `write` makes it, for `a` (renamed already) and `b` (not yet).
fn killed_run(t: &Path) -> (String, String) {
    std::fs::write(t.join("a"), "new a").unwrap(); // already renamed
    std::fs::write(t.join("b"), "old b").unwrap();
    let tmp_b = format!(".b.dockwright-{}.tmp", "1".repeat(32));
    std::fs::write(t.join(&tmp_b), "new b").unwrap();
    let tmp_a = format!(".a.dockwright-{}.tmp", "2".repeat(32));
    let rename = |tmp: &str, dest: &str, text: &str| Rename {
        tmp: tmp.into(),
        dest: dest.into(),
        hash: crate::answers::file::hash(text),
    };
    let renames = [rename(&tmp_a, "a", "new a"), rename(&tmp_b, "b", "new b")];
    let text = crate::journal::compose(t, &"3".repeat(32), &renames);
    assert!(text.contains("\nmac "), "signed: {text}");
    (text, tmp_b)
}

#[test]
fn a_journal_is_rolled_forward_and_a_hostile_one_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path();
    let any = |_: &Path| true;
    let (journal, tmp_b) = killed_run(t);
    std::fs::write(t.join(JOURNAL), &journal).unwrap();
    assert_eq!(recover(t, &any).unwrap(), None);
    assert_eq!(std::fs::read_to_string(t.join("b")).unwrap(), "new b");
    assert!(!t.join(&tmp_b).exists() && !t.join(JOURNAL).exists());

    // Shapes no run makes, a forged or missing signature, a temporary file that does not
    // hold what the journal says, a destination dockwright does not generate: discarded,
    // nothing renamed, the temporary file removed.
    let mac_line = journal.lines().last().unwrap().to_string();
    let unsigned = journal.replace(&format!("{mac_line}\n"), "");
    let forged = journal.replace(&mac_line, &format!("mac {}", "0".repeat(64)));
    let extended = format!(
        "{unsigned}.c.dockwright-{}.tmp\tc\tsha256:{}\n{mac_line}\n",
        "4".repeat(32),
        "5".repeat(64)
    );
    let v1 = format!("dockwright journal v1\n{tmp_b}\tb\n");
    let foreign = [
        (v1, "first line", &any as &dyn Fn(&Path) -> bool),
        (unsigned, "no signature", &any),
        (forged, "signature is not", &any),
        (extended, "signature is not", &any),
        (journal.clone(), "does not hold", &any),
        (
            journal.clone(),
            "not a rename dockwright makes",
            &|p: &Path| p != Path::new("b"),
        ),
        (
            journal.replace(&tmp_b, &format!("../{tmp_b}")),
            "not a rename",
            &any,
        ),
        (
            journal.replace("\tb\t", "\t.git/hooks/pre-commit\t"),
            "not a rename",
            &any,
        ),
    ];
    for (i, (text, why, allowed)) in foreign.into_iter().enumerate() {
        std::fs::write(t.join("b"), "kept b").unwrap();
        let content = if why == "does not hold" {
            "tampered"
        } else {
            "new b"
        };
        std::fs::write(t.join(&tmp_b), content).unwrap();
        std::fs::write(t.join(JOURNAL), &text).unwrap();
        let notice = recover(t, allowed).unwrap().unwrap_or_default();
        assert!(notice.contains(why), "case {i}: {notice}");
        assert_eq!(
            std::fs::read_to_string(t.join("b")).unwrap(),
            "kept b",
            "case {i}"
        );
        assert!(!t.join(JOURNAL).exists(), "case {i}");
        let tmp_left = t.join(&tmp_b).exists();
        assert_eq!(tmp_left, why == "not a rename", "case {i}: {notice}");
        let _ = std::fs::remove_file(t.join(&tmp_b));
    }

    // A temporary file that is a symlink is never followed, only removed.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("v"), "new b").unwrap();
    std::os::unix::fs::symlink(outside.path().join("v"), t.join(&tmp_b)).unwrap();
    std::fs::write(t.join(JOURNAL), &journal).unwrap();
    let notice = recover(t, &any).unwrap().unwrap_or_default();
    assert!(notice.contains("not a regular file"), "{notice}");
    assert_eq!(std::fs::read_to_string(t.join("b")).unwrap(), "kept b");
    assert!(std::fs::symlink_metadata(t.join(&tmp_b)).is_err());
    assert_eq!(
        std::fs::read_to_string(outside.path().join("v")).unwrap(),
        "new b"
    );
}

#[test]
fn a_journal_moved_to_another_project_is_discarded() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (journal, tmp_b) = killed_run(a.path());
    killed_run(b.path());
    std::fs::write(b.path().join(JOURNAL), &journal).unwrap();
    let notice = recover(b.path(), &|_| true).unwrap().unwrap_or_default();
    assert!(notice.contains("signature is not"), "{notice}");
    assert_eq!(
        std::fs::read_to_string(b.path().join("b")).unwrap(),
        "old b"
    );
    assert!(!b.path().join(&tmp_b).exists());
}

#[test]
fn a_second_run_waits_for_the_lock_then_stops() {
    let dir = tempfile::tempdir().unwrap();
    let held = File::open(dir.path()).unwrap();
    held.lock().unwrap();
    std::env::set_var("DOCKWRIGHT_LOCK_WAIT_MS", "200");
    let plan = Plan::new(dir.path(), rendered(&[("x", "1")]), false).unwrap();
    let started = Instant::now();
    assert!(matches!(write(&plan), Err(Error::Locked { .. })));
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert!(!dir.path().join("x").exists());
    drop(held);
    write(&plan).unwrap();
    assert!(dir.path().join("x").exists());
}

#[test]
fn a_plan_made_stale_by_another_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plan = Plan::new(dir.path(), rendered(&[("x", "mine"), ("y", "mine")]), false).unwrap();
    std::fs::write(dir.path().join("y"), "theirs").unwrap();
    assert!(matches!(write(&plan), Err(Error::Changed { .. })));
    assert!(!dir.path().join("x").exists());
}
