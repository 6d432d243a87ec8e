//! The README's sample output is what the README's first command prints: the default run,
//! from a fresh directory, with its figures.

use std::process::Command;

/// The fenced block that follows "terminal summary such as:" in the README.
fn readme_sample() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let after = readme
        .split_once("terminal summary such as:")
        .expect("the README introduces its sample output with \"terminal summary such as:\"")
        .1;
    let block = after.split_once("```\n").expect("a fenced block follows").1;
    block
        .split_once("```")
        .expect("the fenced block ends")
        .0
        .to_string()
}

/// The run's wall time is the one figure that differs from run to run.
fn without_time(text: &str) -> String {
    text.lines()
        .map(|line| match line.split_once(" simulated in ") {
            Some((head, tail)) => {
                let unit = tail.split_once(' ').map_or("", |(_, u)| u);
                format!("{head} simulated in T {unit}")
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn readme_sample_output_is_what_the_default_run_prints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_pluri"))
        .arg("run")
        .current_dir(dir.path())
        .output()
        .expect("pluri runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        without_time(&readme_sample()),
        without_time(&printed),
        "the README's sample output (above) differs from what `pluri run` prints (below): \
         paste the run's output into the README"
    );
    assert!(dir.path().join("output/default/weekly.csv").is_file());
}
