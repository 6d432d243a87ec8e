//! A sweep's run file that hits a full device (`/dev/full`: every write fails with ENOSPC)
//! names the file and keeps the runs already written.

use pluri_study::sweep::Store;
use std::fs;
use std::path::Path;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

/// `/dev/full`, if this system has it: every write to it fails with ENOSPC.
fn dev_full() -> Option<&'static Path> {
    let p = Path::new("/dev/full");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: no /dev/full on this system");
        None
    }
}

#[test]
fn a_sweep_run_file_that_hits_a_full_device_keeps_the_runs_already_written() {
    let Some(full) = dev_full() else { return };
    let d = tmp();
    let store = Store::new(d.path());
    store.create().unwrap_or_else(|e| panic!("{e}"));
    store
        .write_run(0, "{\"run\":0}")
        .unwrap_or_else(|e| panic!("{e}"));
    // The temporary name write_run uses for run 1 in this process.
    let tmp_name = format!(".000001.json.{}.tmp", std::process::id());
    let tmp_path = d.path().join("runs").join(&tmp_name);
    std::os::unix::fs::symlink(full, &tmp_path).unwrap_or_else(|e| panic!("{e}"));
    let e = store
        .write_run(1, "{\"run\":1}")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains(&store.run_path(1).display().to_string()) && e.contains("No space"),
        "{e}"
    );
    assert!(!tmp_path.exists(), "the failed temporary file is removed");
    assert_eq!(store.finished().unwrap_or_default(), vec![0]);
    assert_eq!(
        fs::read_to_string(store.run_path(0)).unwrap_or_default(),
        "{\"run\":0}\n"
    );
    store
        .write_run(1, "{\"run\":1}")
        .unwrap_or_else(|e| panic!("once space is back: {e}"));
    assert_eq!(store.finished().unwrap_or_default(), vec![0, 1]);
}
