//! Full disks and unwritable output: a clear error naming the path, nothing
//! finished lost. Faults are injected two ways here: an output path under a regular file
//! (ENOTDIR, works everywhere) and a tiny tmpfs that really fills up (needs root; skipped
//! with a printed reason where `mount` is not permitted). The writers' own tests redirect
//! files to `/dev/full` (ENOSPC): `crates/core/tests/full_device.rs` (run directories) and
//! `crates/study/tests/full_device.rs` (sweep run files).

mod common;

use common::{small_file, tmp};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `pluri ARGS PATHS` to its end.
fn output_of(args: &[&str], paths: &[&Path]) -> Output {
    common::pluri_process()
        .args(args)
        .args(paths)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Fails the test unless `o` is a clean refusal (exit code 1, no panic) mentioning `says`.
fn refused(o: &Output, says: &[&str]) -> String {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    for s in says {
        assert!(e.contains(s), "missing {s:?} in: {e}");
    }
    e
}

#[test]
fn an_output_path_under_a_regular_file_is_refused_naming_the_file() {
    let d = tmp();
    let file = d.path().join("afile");
    fs::write(&file, b"not a directory").unwrap_or_else(|e| panic!("{e}"));
    let shown = file.display().to_string();
    for out in [file.join("sub"), file.clone()] {
        let o = output_of(
            &["-q", "run", "--no-plots", "--force"],
            &[Path::new(&small_file()), Path::new("--out"), &out],
        );
        refused(&o, &[&shown, "is a file, not a directory"]);
        let sweep = common::root().join("scenarios/sweeps/small.toml");
        let o = output_of(
            &["-q", "sweep", "--force"],
            &[&sweep, Path::new("--out"), &out],
        );
        refused(&o, &[&shown, "is a file, not a directory"]);
    }
    assert_eq!(
        fs::read(&file).unwrap_or_default(),
        b"not a directory",
        "the file is untouched"
    );
}

/// A tmpfs of a given size, unmounted on drop.
struct Tmpfs {
    mnt: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts one, or says why it cannot and returns `None`.
    fn mount(size: u64) -> Option<Tmpfs> {
        let dir = tmp();
        let mnt = dir.path().join("mnt");
        fs::create_dir(&mnt).unwrap_or_else(|e| panic!("{e}"));
        let o = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&mnt)
            .output();
        match o {
            Ok(o) if o.status.success() => Some(Tmpfs { mnt, _dir: dir }),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {}",
                    stderr(&o).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }

    fn resize(&self, size: u64) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.mnt)
            .status()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(ok.success(), "remount");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.mnt).status();
    }
}

/// Fills the file system of `dir` with a file of zeros until it refuses more.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut f = fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    let chunk = [0u8; 4096];
    while f.write_all(&chunk).is_ok() {}
    let _ = f.sync_all();
    path
}

#[test]
fn a_run_on_a_full_disk_names_the_file_and_keeps_the_older_result() {
    let Some(fs_) = Tmpfs::mount(4 << 20) else {
        return;
    };
    let out = fs_.mnt.join("r");
    let args = ["-q", "run", "--no-plots", "--force"];
    let o = output_of(&args, &[Path::new(&small_file()), Path::new("--out"), &out]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = fs::read(out.join("weekly.csv")).unwrap_or_else(|e| panic!("{e}"));
    let filler = fill(&fs_.mnt);
    for dest in [&out, &fs_.mnt.join("other")] {
        let o = output_of(
            &["-q", "run", "--no-plots", "--force", "--seed", "99"],
            &[Path::new(&small_file()), Path::new("--out"), dest],
        );
        refused(
            &o,
            &[
                &dest.display().to_string(),
                "No space left on device",
                "the disk is full",
            ],
        );
    }
    assert!(!fs_.mnt.join("other").exists());
    assert_eq!(
        fs::read(out.join("weekly.csv")).unwrap_or_default(),
        before,
        "the finished result is untouched"
    );
    let names: Vec<String> = fs::read_dir(&fs_.mnt)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "only the result and the filler: {names:?}");
    fs::remove_file(filler).unwrap_or_else(|e| panic!("{e}"));
    let o = output_of(
        &["-q", "run", "--no-plots", "--force", "--seed", "99"],
        &[Path::new(&small_file()), Path::new("--out"), &out],
    );
    assert!(o.status.success(), "after freeing space: {}", stderr(&o));
}

fn sweep_file(dir: &Path) -> PathBuf {
    let text = format!(
        "name = \"full\"\nbase = \"{}\"\nseed = 5\nreplicates = 6\nset = [\"weeks=20\", \"warmup_weeks=2\"]\n\
         [design]\nkind = \"grid\"\n\
         [[param]]\npath = \"structures.msp_a.coordinator_fte\"\nvalues = [0.0, 0.5, 1.5]\n",
        small_file()
    );
    let path = dir.join("sweep.toml");
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// Bytes a file occupies on a tmpfs (whole pages).
fn pages(len: u64) -> u64 {
    len.div_ceil(4096).max(1) * 4096
}

#[test]
fn a_sweep_on_a_full_disk_keeps_its_finished_runs_and_resumes_once_space_is_freed() {
    let d = tmp();
    let file = sweep_file(d.path());
    let whole = d.path().join("whole");
    let o = output_of(
        &["-q", "sweep", "--no-plots"],
        &[&file, Path::new("--out"), &whole],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Room for the sweep's own files and about half of its 18 run files.
    let fixed: u64 = ["sweep.toml", "base.toml", "manifest.json"]
        .iter()
        .map(|n| pages(fs::metadata(whole.join(n)).map_or(0, |m| m.len())))
        .sum::<u64>()
        * 2;
    let run = pages(fs::metadata(whole.join("runs/000000.json")).map_or(0, |m| m.len()));
    let Some(fs_) = Tmpfs::mount(fixed + 9 * run) else {
        return;
    };
    let out = fs_.mnt.join("o");
    let o = output_of(
        &["-q", "sweep", "--no-plots"],
        &[&file, Path::new("--out"), &out],
    );
    let e = refused(&o, &["No space left on device", "--resume", "kept in"]);
    assert!(e.contains(&out.display().to_string()), "{e}");
    assert!(!out.join("runs.csv").exists() && !out.join("points.csv").exists());
    let mut kept = 0;
    for entry in fs::read_dir(out.join("runs"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(name.ends_with(".json"), "left behind: {name}");
        let v: serde_json::Value =
            serde_json::from_slice(&fs::read(entry.path()).unwrap_or_default())
                .unwrap_or_else(|e| panic!("{name} is not whole: {e}"));
        assert!(v["run"].is_u64());
        kept += 1;
    }
    assert!((1..18).contains(&kept), "{kept} runs kept of 18");
    fs_.resize(16 << 20);
    let o = output_of(
        &["-q", "sweep", "--no-plots", "--resume"],
        &[&file, Path::new("--out"), &out],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for t in ["runs.csv", "points.csv"] {
        assert_eq!(
            fs::read(out.join(t)).unwrap_or_default(),
            fs::read(whole.join(t)).unwrap_or_default(),
            "{t}"
        );
    }
}
