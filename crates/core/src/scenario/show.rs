//! The effective scenario as commented TOML (`pluri show`): every field, its value, its meaning.

use super::params::SECTION_DOCS;
use super::raw::RawScenario;

const TOP_DOCS: &[(&str, &str)] = &[
    (
        "name",
        "Scenario name; the default output directory is output/<name>.",
    ),
    ("description", "What the scenario represents."),
    (
        "seed",
        "Seed of every random stream: same scenario and seed, same results.",
    ),
    ("weeks", "Weeks simulated and recorded (52 a year)."),
    ("warmup_weeks", "Weeks simulated before week 0 and not recorded, so that ties, caseloads and follow-ups start settled; no structural change or intervention happens in them."),
    ("start_date", "First day of week 0, \"YYYY-MM-DD\" (optional; the warm-up weeks come before it): week w is the seven days from start_date + 7w. Rows then carry the date their week ends, figures show years, and interventions may be given a date instead of a week."),
];

const ZONE_DOCS: &[(&str, &str)] = &[
    ("name", "Unique zone name (a bassin de vie)."),
    ("population", "Residents."),
    ("rurality", "urban, periurban or rural."),
    ("deprivation", "Share of precarious residents."),
    ("x_km", "East position (km)."),
    ("y_km", "North position (km)."),
];

const STRUCTURE_DOCS: &[(&str, &str)] = &[
    ("name", "Unique structure name."),
    ("kind", "solo, group_practice, msp, health_centre, msma, dac, hospital or social_services."),
    ("zone", "Zone where it stands."),
    ("gps", "GPs practising in it."),
    ("psychologists", "Psychologists in it."),
    ("social_workers", "Social workers in it."),
    ("nurses", "Nurses in it."),
    ("coordinator_fte", "Coordinator full-time equivalents (a dac: its case managers)."),
    ("coordinator_trained", "Whether the coordinator is trained (Pacte programme)."),
    ("shared_info_system", "Whether members share an information system."),
    ("protocols", "Agreed protocols at the start."),
    ("age_years", "Age at the start (years)."),
    ("active", "Operating at the start (a dac may open later)."),
    ("capacity_per_week", "dac, hospital, social_services: tasks accepted per week."),
    ("reach_minutes", "dac, hospital, social_services: zones within this travel time are served (0: own and linked zones)."),
];

const INTERVENTION_DOCS: &[(&str, &str)] = &[
    ("name", "Unique name, the label in figures."),
    ("week", "Week at which it applies, before that week's step."),
    ("date", "Date at which it applies, \"YYYY-MM-DD\", instead of a week (the scenario has a start_date): the week whose first day is nearest the date, at most three days off."),
    ("action", "fund_coordinator, train_coordinators, open_platform, close_platform, deploy_msma, add_professionals, sign_protocols, introduce_info_system or set_parameter."),
    ("structures", "Target structures by name."),
    ("target_kind", "Target every active structure of this kind at that week."),
    ("fte", "Coordinator full-time equivalents."),
    ("zone", "Zone of independent newcomers."),
    ("profession", "gp, psychologist, social_worker or nurse."),
    ("count", "How many."),
    ("psychologists", "Psychologists added to each new MSMA."),
    ("social_workers", "Social workers added to each new MSMA."),
    ("path", "Parameter path, as for --set."),
    ("value", "Parameter value."),
];

fn section_docs(section: &str) -> &'static [(&'static str, &'static str)] {
    match section {
        "" => TOP_DOCS,
        "zones" => ZONE_DOCS,
        "structures" => STRUCTURE_DOCS,
        "interventions" => INTERVENTION_DOCS,
        "regions" => super::raw::RawRegion::DOCS,
        s => SECTION_DOCS
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, d)| *d)
            .unwrap_or(&[]),
    }
}

/// The documentation of `field` in `section` ("" for top-level fields), if any.
pub fn field_doc(section: &str, field: &str) -> Option<&'static str> {
    section_docs(section)
        .iter()
        .find(|(k, _)| *k == field)
        .map(|(_, d)| *d)
}

fn wrap_comment(out: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() + word.len() + 1 > 92 && line.len() > 1 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}

/// Renders `raw` as TOML with a comment above each field. Only the first entry of a list of
/// zones, structures or interventions carries the comments, to keep long lists readable.
pub fn commented_toml(raw: &RawScenario) -> String {
    let plain = toml::to_string(raw).unwrap_or_default();
    let mut out = String::from(
        "# Effective pluri scenario: every field with its value in force; `pluri run` accepts this file as it is.\n\n",
    );
    let mut section = String::new();
    let mut seen_entries: Vec<String> = Vec::new();
    let mut comment_entry = true;
    for line in plain.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|s| s.strip_suffix("]]")) {
            comment_entry = !seen_entries.iter().any(|s| s == name);
            if comment_entry {
                seen_entries.push(name.to_string());
            }
            section = name.to_string();
        } else if let Some(name) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = name.to_string();
            comment_entry = true;
        } else if let Some((key, _)) = t.split_once(" = ") {
            if comment_entry && !line.starts_with(' ') {
                if let Some(doc) = field_doc(&section, key.trim()) {
                    wrap_comment(&mut out, doc);
                }
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;

    #[test]
    fn shown_scenario_is_accepted_back_unchanged() {
        let s = Scenario::default_scenario().expect("valid default");
        let shown = s.to_commented_toml();
        let again = Scenario::from_toml_str(&shown, "shown").expect("show output parses");
        assert_eq!(again.to_commented_toml(), shown);
        assert_eq!(again.hash(), s.hash());
    }

    #[test]
    fn every_parameter_is_documented_in_show() {
        let s = Scenario::default_scenario().expect("valid default");
        let shown = s.to_commented_toml();
        for (section, docs) in super::SECTION_DOCS {
            assert!(
                shown.contains(&format!("[{section}]")),
                "section {section} missing"
            );
            for (_, doc) in *docs {
                let first: String = doc.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
                assert!(
                    shown.contains(&first),
                    "doc of a field of {section} missing: {first}"
                );
            }
        }
    }
}
