//! What each headline indicator means on a figure: caption, unit, how its values read, and
//! the subset the sweep figures show.

use super::style;
use super::timeseries::Axis;

/// A headline indicator as figures show it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Indicator {
    /// Headline name (the column stem in `points.csv`, `runs.csv`, `morris.csv`, `sobol.csv`).
    pub name: &'static str,
    /// What it is, in words.
    pub caption: &'static str,
    /// Its unit, short.
    pub unit: &'static str,
    /// How its values read.
    pub axis: Axis,
}

const fn ind(
    name: &'static str,
    caption: &'static str,
    unit: &'static str,
    axis: Axis,
) -> Indicator {
    Indicator {
        name,
        caption,
        unit,
        axis,
    }
}

/// Every headline indicator (docs/OUTPUTS.md), in headline order.
const ALL: &[Indicator] = &[
    ind(
        "mean_tie_strength_start",
        "GP–professional trust, first week",
        "trust 0–1",
        Axis::Fraction,
    ),
    ind(
        "mean_tie_strength_end",
        "GP–professional trust, last week",
        "trust 0–1",
        Axis::Fraction,
    ),
    ind(
        "tie_density_end",
        "Network density, last week",
        "% of pairs",
        Axis::Percent,
    ),
    ind(
        "org_active_ties_end",
        "Structures cooperating, last week",
        "pairs",
        Axis::Count,
    ),
    ind(
        "complex_multi_share_end",
        "Complex patients followed by several professions",
        "% of complex",
        Axis::Percent,
    ),
    ind(
        "delegated_share",
        "Tasks delegated (inside, outside, platform)",
        "% of tasks",
        Axis::Percent,
    ),
    ind(
        "interorg_referral_share",
        "Delegations to another organisation",
        "% of delegations",
        Axis::Percent,
    ),
    ind(
        "platform_ad_hoc_share",
        "Platform tasks taken ad hoc",
        "% of platform tasks",
        Axis::Percent,
    ),
    ind(
        "friction_per_100_delegations",
        "Friction in delegations",
        "per 100 delegations",
        Axis::Number,
    ),
    ind(
        "unmet_need_share",
        "Unmet needs",
        "% of needs",
        Axis::Percent,
    ),
    ind(
        "without_gp_share_end",
        "Residents without a declared GP, last week",
        "% of residents",
        Axis::Percent,
    ),
    ind(
        "forgone_per_1000_per_year",
        "Care episodes given up",
        "per 1,000 residents a year",
        Axis::Number,
    ),
    ind(
        "waiting_mean",
        "Patients waiting at the end of a week",
        "patients",
        Axis::Number,
    ),
    ind(
        "avoidable_hosp_per_100k_per_year",
        "Avoidable hospitalisations",
        "per 100,000 a year",
        Axis::Number,
    ),
    ind(
        "gp_utilisation",
        "GP workload",
        "% of capacity",
        Axis::Percent,
    ),
    ind(
        "mean_satisfaction_end",
        "Satisfaction of support professionals",
        "0–1",
        Axis::Fraction,
    ),
    ind(
        "departures_per_year",
        "Support professionals leaving",
        "per year",
        Axis::Number,
    ),
    ind(
        "meetings_per_year",
        "Concertation meetings",
        "per year",
        Axis::Number,
    ),
    ind(
        "msps_end",
        "MSPs in operation, last week",
        "MSPs",
        Axis::Count,
    ),
    ind(
        "gps_in_msp_end",
        "GPs practising in an MSP, last week",
        "GPs",
        Axis::Count,
    ),
    ind("gps_end", "GPs, last week", "GPs", Axis::Count),
    ind(
        "coordinator_fte_end",
        "Coordination in practices, last week",
        "FTE",
        Axis::Number,
    ),
    ind(
        "mean_control_orientation_end",
        "GPs' control orientation, last week",
        "0–1",
        Axis::Fraction,
    ),
    ind(
        "unmet_dropped_share",
        "Unmet needs: tasks dropped by the GP",
        "% of needs",
        Axis::Percent,
    ),
    ind(
        "unmet_refused_share",
        "Unmet needs: tasks refused (full target or resisting professional)",
        "% of needs",
        Axis::Percent,
    ),
    ind(
        "unmet_failed_share",
        "Unmet needs: tasks done, outcome failed",
        "% of needs",
        Axis::Percent,
    ),
    ind(
        "consultations_per_resident_per_year",
        "GP consultations per resident",
        "per resident a year",
        Axis::Number,
    ),
    ind(
        "consultations_per_gp_per_year",
        "Consultations per GP",
        "per GP a year",
        Axis::Number,
    ),
    ind(
        "time_to_appointment_days",
        "Time to appointment",
        "days",
        Axis::Number,
    ),
    ind(
        "waiting_per_1000",
        "Patients waiting at the end of a week",
        "per 1,000 residents",
        Axis::Number,
    ),
    ind(
        "gps_refusing_new_share_end",
        "GPs refusing new patients, last week",
        "% of GPs",
        Axis::Percent,
    ),
    ind(
        "gps_fully_booked_share",
        "GPs fully booked at the end of a week",
        "% of GPs",
        Axis::Percent,
    ),
];

/// Indicators the sweep figures show, one panel each: cooperation (trust, delegation,
/// inter-organisational delegation, multi-professional follow-up), access (unmet needs,
/// residents without a GP) and structures (GPs in MSPs, coordinator FTE).
pub const SWEEP_INDICATORS: &[&str] = &[
    "mean_tie_strength_end",
    "delegated_share",
    "interorg_referral_share",
    "complex_multi_share_end",
    "unmet_need_share",
    "without_gp_share_end",
    "gps_in_msp_end",
    "coordinator_fte_end",
];

/// How `name` is shown; an unknown name (a newer indicator) is shown as a plain number.
pub(crate) fn lookup(name: &str) -> Indicator {
    ALL.iter()
        .find(|i| i.name == name)
        .copied()
        .unwrap_or(Indicator {
            name: "",
            caption: "",
            unit: "value",
            axis: Axis::Number,
        })
}

/// Caption of `name`: its words, or the name itself when unknown.
pub(crate) fn caption(name: &str) -> String {
    let i = lookup(name);
    if i.caption.is_empty() {
        name.to_string()
    } else {
        i.caption.to_string()
    }
}

/// Axis description: the indicator name with its unit, `delegated_share (% of tasks)`.
pub(crate) fn axis_label(name: &str) -> String {
    format!("{name} ({})", lookup(name).unit)
}

/// A value of `name` as text: percentages for shares, round numbers otherwise.
pub(crate) fn format_value(name: &str, v: f64) -> String {
    match lookup(name).axis {
        Axis::Percent => style::percent(v),
        _ => style::tick(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sweep_indicator_has_a_caption_and_a_unit() {
        for name in SWEEP_INDICATORS {
            let i = lookup(name);
            assert_eq!(i.name, *name);
            assert!(!i.caption.is_empty() && !i.unit.is_empty(), "{name}");
        }
    }

    #[test]
    fn every_headline_indicator_has_a_caption_and_a_unit() {
        for name in pluri_schema::run::HEADLINE {
            assert_eq!(lookup(name).name, *name, "{name} is not in the catalogue");
        }
    }

    #[test]
    fn unknown_indicators_read_as_plain_numbers() {
        assert_eq!(caption("new_thing"), "new_thing");
        assert_eq!(axis_label("new_thing"), "new_thing (value)");
        assert_eq!(format_value("delegated_share", 0.25), "25%");
    }
}
