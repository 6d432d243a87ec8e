//! A run directory whose file hits a full device (`/dev/full`: every write fails with
//! ENOSPC) names the file at its destination and leaves nothing behind.

use pluri_core::output::RunDir;
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
fn a_run_file_that_hits_a_full_device_names_its_destination_and_leaves_nothing() {
    let Some(full) = dev_full() else { return };
    let d = tmp();
    let dest = d.path().join("run");
    let dir = RunDir::create(&dest, false).unwrap_or_else(|e| panic!("{e}"));
    dir.write("scenario.toml", b"name = \"x\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(full, dir.staging().join("weekly.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    let e = dir
        .write_with("weekly.csv", |w| w.write_all(&[b'x'; 100_000]))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains(&dest.join("weekly.csv").display().to_string()) && e.contains("No space"),
        "{e}"
    );
    drop(dir);
    assert_eq!(
        fs::read_dir(d.path()).map_or(0, |r| r.count()),
        0,
        "neither the destination nor the staging directory is left"
    );
}
