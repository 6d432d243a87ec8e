//! A scenario without one of its interventions: the counterfactual of a policy, validated
//! again, its effective text and hash those of the scenario as if the intervention had never
//! been written.

use super::{validate, Scenario, ScenarioError};
use crate::input::InputError;

impl Scenario {
    /// A copy without the intervention named `name`, validated again (later `set_parameter`
    /// interventions then apply to the parameters in force without it). Its effective text
    /// ([`Scenario::to_commented_toml`]) and [`Scenario::hash`] are those of the same file with
    /// that `[[interventions]]` entry deleted. An unknown name is an error listing the names
    /// there are.
    pub fn without_intervention(&self, name: &str) -> Result<Scenario, ScenarioError> {
        let mut raw = self.raw.clone();
        let before = raw.interventions.len();
        raw.interventions.retain(|iv| iv.get_ref().name != name);
        if raw.interventions.len() == before {
            let names: Vec<&str> = self
                .raw
                .interventions
                .iter()
                .map(|iv| iv.get_ref().name.as_str())
                .collect();
            let have = if names.is_empty() {
                "it has none".to_string()
            } else {
                format!("its interventions are: {}", names.join(", "))
            };
            return Err(InputError::Invalid {
                origin: format!("scenario {}", self.raw.name),
                line: None,
                field: "interventions".to_string(),
                message: format!("no intervention named {name:?} to leave out; {have}"),
            }
            .into());
        }
        validate::validate(
            raw,
            None,
            &format!("{} without intervention {name}", self.raw.name),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;

    const TEXT: &str = r#"
        name = "two-policies"
        weeks = 20
        [[zones]]
        name = "town"
        population = 3000
        rurality = "rural"
        x_km = 0.0
        y_km = 0.0
        [[structures]]
        name = "msp"
        kind = "msp"
        zone = "town"
        gps = 2
        [[interventions]]
        name = "fund"
        week = 5
        action = "fund_coordinator"
        structures = ["msp"]
        fte = 0.5
        [[interventions]]
        name = "train"
        week = 8
        action = "train_coordinators"
        structures = ["msp"]
    "#;

    fn with_both() -> Scenario {
        Scenario::from_toml_str(TEXT, "two.toml").expect("valid scenario")
    }

    #[test]
    fn leaving_out_an_intervention_keeps_the_others_and_matches_the_file_without_it() {
        let s = with_both()
            .without_intervention("fund")
            .expect("known name");
        let names: Vec<&str> = s.interventions.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["train"]);
        // The same file with the entry deleted: the same effective text and hash.
        let start = TEXT.find("[[interventions]]").expect("entry");
        let end = TEXT[start + 1..].find("[[interventions]]").expect("second") + start + 1;
        let edited = format!("{}{}", &TEXT[..start], &TEXT[end..]);
        let by_hand = Scenario::from_toml_str(&edited, "edited.toml").expect("valid");
        assert_eq!(s.hash(), by_hand.hash());
        assert_eq!(s.to_commented_toml(), by_hand.to_commented_toml());
        assert_ne!(s.hash(), with_both().hash());
        // The text reads back as the same scenario.
        let back = Scenario::from_toml_str(&s.to_commented_toml(), "back.toml").expect("valid");
        assert_eq!(back.hash(), s.hash());
    }

    #[test]
    fn an_unknown_intervention_is_an_error_naming_those_there_are() {
        let e = with_both()
            .without_intervention("platform")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("\"platform\"") && e.contains("fund, train"),
            "{e}"
        );
    }
}
