//! The documentation names every output column, headline indicator, command and output
//! file. (That `docs/MODEL.md` names every parameter is checked where the parameters are
//! listed, in `pluri-core`'s `scenario::params`.)

mod common;

fn read(path: &str) -> String {
    std::fs::read_to_string(common::root().join(path)).expect(path)
}

#[test]
fn outputs_doc_lists_every_column_and_headline_indicator() {
    let doc = read("docs/OUTPUTS.md");
    let s = pluri::Scenario::from_toml_str(
        "name = \"t\"\nweeks = 3\nwarmup_weeks = 0\n[[zones]]\nname = \"a\"\npopulation = 500\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n",
        "t",
    )
    .expect("valid");
    let results = pluri::simulate(&s);
    let d = common::tmp();
    let dir = pluri::write_run(&d.path().join("t"), &s, &results, false).expect("written");
    let weekly = std::fs::read_to_string(dir.join(pluri::results::WEEKLY_FILE)).expect("weekly");
    for col in weekly.lines().next().expect("header").split(',') {
        assert!(
            doc.contains(&format!("`{col}`")),
            "docs/OUTPUTS.md lacks weekly column {col}"
        );
    }
    for (name, _) in results.headline() {
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/OUTPUTS.md lacks headline {name}"
        );
    }
}

#[test]
fn readme_names_every_command_and_output_file() {
    let readme = read("README.md");
    for cmd in [
        "pluri run",
        "pluri check",
        "pluri show",
        "pluri plot",
        "pluri sweep",
        "pluri merge",
        "pluri sensitivity",
    ] {
        assert!(readme.contains(cmd), "README lacks {cmd}");
    }
    for f in pluri::results::RUN_FILES {
        assert!(readme.contains(f), "README lacks {f}");
    }
}
