//! The documentation names every parameter, output column and headline indicator.

use pluri::scenario::params::SECTION_DOCS;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect(path)
}

#[test]
fn model_doc_lists_every_parameter() {
    let doc = read("docs/MODEL.md");
    for (section, fields) in SECTION_DOCS {
        for (field, _) in *fields {
            assert!(
                doc.contains(&format!("`{section}.{field}`")),
                "docs/MODEL.md lacks {section}.{field}"
            );
        }
    }
}

#[test]
fn outputs_doc_lists_every_column_and_headline_indicator() {
    let doc = read("docs/OUTPUTS.md");
    let header = String::from_utf8(
        pluri::output::serialize::csv_bytes(&[pluri::results::WeeklyRecord::default()])
            .expect("csv"),
    )
    .expect("utf8");
    for col in header.lines().next().expect("header").split(',') {
        assert!(
            doc.contains(&format!("`{col}`")),
            "docs/OUTPUTS.md lacks weekly column {col}"
        );
    }
    let s = pluri::Scenario::from_toml_str(
        "name = \"t\"\nweeks = 3\nwarmup_weeks = 0\n[[zones]]\nname = \"a\"\npopulation = 500\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n",
        "t",
    )
    .expect("valid");
    for (name, _) in pluri::simulate(&s).headline() {
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
    for f in pluri::output::RUN_FILES {
        assert!(readme.contains(f), "README lacks {f}");
    }
}
