//! The run files, named once: each file of a run directory, its row type and so its
//! columns (a row type's fields, in order, are the CSV's columns).
//!
//! The engine fills these rows; the serializers write them; the figures read them back.
//! Units of every column are in `docs/OUTPUTS.md`.
//!
//! Rows deserialize as they serialize: a file read back with its row type gives the rows
//! written. Names the engine holds once (a zone's rurality, a structure's kind, the names in
//! a tie) are borrowed when written, so that writing a row allocates nothing.

use crate::date::Date;
use serde::de::{Error as _, Unexpected};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;

/// A quantity the engine holds in single precision (or a sum of such, as coordinator FTEs),
/// as the nearest double to its shortest single-precision decimal: `0.4`, not the
/// `0.4000000059604645` that widening gives. Headline indicators use it.
pub fn single_precision(v: f64) -> f64 {
    let single = v as f32;
    if single.is_finite() {
        single.to_string().parse().unwrap_or(v)
    } else {
        v
    }
}

/// Writes a column held in single precision (see [`single_precision`]) in its shortest
/// single-precision form, so that files show `0.4` and `0.8771839`, not the digits of a
/// widened float. Read back, the value is that decimal.
fn single<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f32(*v as f32)
}

/// Files of a run directory, in the order they are written.
pub const RUN_FILES: &[&str] = &[
    SCENARIO_FILE,
    WEEKLY_FILE,
    BY_STRUCTURE_TYPE_FILE,
    TIES_FILE,
    ZONES_FILE,
    STRUCTURES_FILE,
    INTERVENTIONS_FILE,
    SUMMARY_FILE,
];

/// The effective scenario, commented TOML that `pluri run` accepts back.
pub const SCENARIO_FILE: &str = "scenario.toml";
/// One [`WeeklyRecord`] a week.
pub const WEEKLY_FILE: &str = "weekly.csv";
/// One [`StructureTypeRecord`] a week and kind of structure.
pub const BY_STRUCTURE_TYPE_FILE: &str = "by_structure_type.csv";
/// One [`TieRecord`] per final tie.
pub const TIES_FILE: &str = "ties.csv";
/// One [`ZoneRecord`] per zone, at the end.
pub const ZONES_FILE: &str = "zones.csv";
/// One [`StructureRecord`] per structure, at the end.
pub const STRUCTURES_FILE: &str = "structures.csv";
/// One [`InterventionRecord`] per intervention applied.
pub const INTERVENTIONS_FILE: &str = "interventions.csv";
/// The run's identity (scenario, hash, seed, version) and headline indicators.
pub const SUMMARY_FILE: &str = "summary.json";

/// The Parquet tables of a run (`pluri run --tables parquet`), each with the columns of the
/// CSV file of the same stem: `weekly.parquet` has those of [`WEEKLY_FILE`], and so on.
pub const PARQUET_FILES: &[&str] = &[
    "weekly.parquet",
    "by_structure_type.parquet",
    "ties.parquet",
    "zones.parquet",
    "structures.parquet",
    "interventions.parquet",
];

/// The Parquet table of a run's CSV table (`weekly.csv` → `weekly.parquet`), if it has one.
pub fn parquet_file(csv_file: &str) -> Option<&'static str> {
    let stem = csv_file.strip_suffix(".csv")?;
    PARQUET_FILES
        .iter()
        .copied()
        .find(|p| p.strip_suffix(".parquet") == Some(stem))
}
/// Headline indicators of a run, in the order `summary.json`, `runs.csv` and `points.csv`
/// give them: rates are means over the last 52 weeks (or the whole run if shorter), stocks
/// are end values. Units in `docs/OUTPUTS.md`.
pub const HEADLINE: &[&str] = &[
    "mean_tie_strength_start",
    "mean_tie_strength_end",
    "tie_density_end",
    "org_active_ties_end",
    "complex_multi_share_end",
    "delegated_share",
    "interorg_referral_share",
    "platform_ad_hoc_share",
    "friction_per_100_delegations",
    "unmet_need_share",
    "without_gp_share_end",
    "forgone_per_1000_per_year",
    "waiting_mean",
    "avoidable_hosp_per_100k_per_year",
    "gp_utilisation",
    "mean_satisfaction_end",
    "departures_per_year",
    "meetings_per_year",
    "msps_end",
    "gps_in_msp_end",
    "gps_end",
    "coordinator_fte_end",
    "mean_control_orientation_end",
    "unmet_dropped_share",
    "unmet_refused_share",
    "unmet_failed_share",
    "consultations_per_resident_per_year",
    "consultations_per_gp_per_year",
    "time_to_appointment_days",
    "waiting_per_1000",
    "gps_refusing_new_share_end",
    "gps_fully_booked_share",
];

/// Wall time of each phase (differs from run to run; not part of the results).
pub const TIMINGS_FILE: &str = "timings.json";

/// One week of the whole territory. Column order is the CSV's; units in `docs/OUTPUTS.md`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeeklyRecord {
    /// Week index, from 0.
    pub week: u32,
    /// The week's last day, when the scenario has a `start_date` (the column is absent
    /// otherwise): the row is the state at the end of that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Residents simulated (patients).
    pub residents: u64,
    /// Active GPs.
    pub gps: u32,
    /// Psychologists in post.
    pub psychologists: u32,
    /// Social workers in post.
    pub social_workers: u32,
    /// Nurses in post.
    pub nurses: u32,
    /// Posts of support professionals left vacant.
    pub vacant_posts: u32,
    /// MSPs in operation.
    pub msps: u32,
    /// GPs practising in an MSP.
    pub gps_in_msp: u32,
    /// Coordinator full-time equivalents in practices (MSP, health centre, MSMA).
    #[serde(serialize_with = "single")]
    pub coordinator_fte: f64,
    /// Practices with a trained coordinator.
    pub trained_coordinators: u32,
    /// Support platforms open.
    pub platforms_open: u32,
    /// Care episodes that arose this week (new demand, retries excluded).
    pub episodes: u64,
    /// Consultations given by the patient's own GP.
    pub consultations: u64,
    /// Consultations of patients without a declared GP, by any GP with time left.
    pub walk_in_consultations: u64,
    /// Consultations of a fully booked GP's patients by a colleague of the same practice.
    pub covered_consultations: u64,
    /// Episodes cared for in a linked zone after a long wait.
    pub care_elsewhere: u64,
    /// Episodes given up (no care).
    pub forgone: u64,
    /// Patients waiting for a consultation at the end of the week.
    pub waiting: u64,
    /// Patients without a declared GP at the end of the week.
    pub without_gp: u64,
    /// Share of residents without a declared GP.
    pub without_gp_share: f64,
    /// Share of GP consultation capacity used.
    pub gp_utilisation: f64,
    /// Share of support professionals' caseload used.
    pub prof_utilisation: f64,
    /// Tasks revealed beyond the medical one.
    pub tasks: u64,
    /// Tasks the GP did alone.
    pub tasks_alone: u64,
    /// Tasks delegated inside the GP's structure.
    pub tasks_inside: u64,
    /// Tasks referred to an independent professional, hospital or social services (accepted).
    pub tasks_outside: u64,
    /// Tasks accepted by a support platform.
    pub tasks_platform: u64,
    /// Of `tasks_outside`, those accepted by independent professionals (outside the practice,
    /// in no organisation).
    pub tasks_to_independents: u64,
    /// Of `tasks_outside` and `tasks_platform`, those accepted by other organisations (a
    /// professional of another structure, a hospital, social services, a platform).
    pub tasks_to_organisations: u64,
    /// Tasks the GP dropped.
    pub tasks_dropped: u64,
    /// Tasks refused: referrals whose target was full, and delegations a professional of the
    /// GP's own structure refused after friction (`tasks_resisted`).
    pub tasks_refused: u64,
    /// Share of tasks delegated or referred and accepted.
    pub delegated_share: f64,
    /// Needs met (tasks done with a good outcome).
    pub needs_met: u64,
    /// Needs unmet (dropped, refused, or a failed outcome).
    pub needs_unmet: u64,
    /// Platform tasks that were ad hoc (the GP kept the pathway).
    pub platform_ad_hoc: u64,
    /// Platform tasks where the GP handed over the whole pathway.
    pub platform_pathway: u64,
    /// Platform tasks that were coordination of a pathway the platform already held: they
    /// went to it without the GP's choice or time.
    pub platform_followups: u64,
    /// Patients whose pathway a support platform holds at the end of the week.
    pub pathways_held: u64,
    /// Support platforms' waiting time at the end of the week: their queues over their weekly
    /// capacities (weeks), what GPs see next week.
    pub platform_waiting_weeks: f64,
    /// Friction events (control above autonomy demand).
    pub friction_events: u64,
    /// Friction events per 100 delegations to professionals.
    pub friction_per_100_delegations: f64,
    /// Delegations a professional of the GP's own structure refused after friction (it
    /// defended the timing and scope of its work); counted in `tasks_refused` too.
    pub tasks_resisted: u64,
    /// Mean satisfaction of support professionals in post.
    pub mean_satisfaction: f64,
    /// Support professionals who left this week.
    pub departures: u32,
    /// Coordinators who left this week (each post filled at once by an untrained newcomer).
    pub coordinator_departures: u32,
    /// Mean trust over existing GP-professional ties.
    pub mean_tie_strength: f64,
    /// GP-professional ties at or above the activity threshold.
    pub active_ties: u64,
    /// Active ties over possible GP-professional pairs.
    pub tie_density: f64,
    /// Mean strength over existing inter-organisational ties.
    pub org_mean_tie: f64,
    /// Pairs of structures cooperating (tie at or above threshold).
    pub org_active_ties: u64,
    /// Share of accepted delegations that left the practice (to independents, other
    /// organisations or platforms).
    pub interorg_referral_share: f64,
    /// Concertation meetings held.
    pub meetings: u32,
    /// Refusals to take part in meetings.
    pub meeting_refusals: u32,
    /// Protocols coordinators wrote this week that their structure's members did not adopt.
    pub protocols_rejected: u32,
    /// Mean legitimacy of coordinators in practices.
    pub mean_legitimacy: f64,
    /// Agreed protocols in all structures.
    pub protocols: u32,
    /// Complex patients.
    pub complex_patients: u64,
    /// Share of complex patients followed by two or more professions in the last 26 to 52 weeks.
    pub complex_multi_share: f64,
    /// Avoidable hospitalisations.
    pub avoidable_hospitalisations: u64,
    /// Mean control orientation of active GPs.
    pub mean_control_orientation: f64,
    /// MSPs founded this week.
    pub msps_founded: u32,
    /// GPs who retired this week.
    pub gp_retirements: u32,
    /// GPs who settled this week.
    pub gp_arrivals: u32,
    /// Needs unmet although the task was done (alone, delegated inside, or referred and
    /// accepted): the outcome drawn failed. `needs_unmet` is `tasks_dropped` +
    /// `tasks_refused` + this.
    pub needs_unmet_failed: u64,
    /// Of `needs_unmet_failed`, tasks the GP did alone.
    pub needs_unmet_failed_alone: u64,
    /// Mean days from an episode to its consultation, over the week's consultations (own GP
    /// and walk-in): 7 x the whole weeks the patient waited; 0 when seen in the week the
    /// episode arose (the model has no time within a week). Episodes cared for elsewhere or
    /// forgone are not counted.
    pub time_to_appointment_days: f64,
    /// Patients waiting for a consultation at the end of the week, per 1,000 residents.
    pub waiting_per_1000: f64,
    /// Active GPs whose list is full (`workforce.gp_list_max`): they refuse new patients.
    pub gps_refusing_new: u32,
    /// Share of active GPs refusing new patients.
    pub gps_refusing_new_share: f64,
    /// Active GPs with no consultation left at the end of the week (their patients wait).
    pub gps_fully_booked: u32,
    /// Share of active GPs fully booked.
    pub gps_fully_booked_share: f64,
}

/// One week of one structure type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StructureTypeRecord {
    /// Week index.
    pub week: u32,
    /// The week's last day, as in [`WeeklyRecord::date`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Structure kind (solo, group_practice, msp, ...).
    pub structure_type: String,
    /// Structures of this kind in operation.
    pub structures: u32,
    /// GPs in them.
    pub gps: u32,
    /// Support professionals in post in them.
    pub professionals: u32,
    /// Coordinator FTE in them.
    #[serde(serialize_with = "single")]
    pub coordinator_fte: f64,
    /// Consultations by their GPs.
    pub consultations: u64,
    /// Tasks revealed in their consultations.
    pub tasks: u64,
    /// Tasks their GPs delegated inside.
    pub tasks_inside: u64,
    /// Tasks their GPs referred outside (accepted, platform included).
    pub tasks_referred: u64,
    /// Of them, tasks accepted by independent professionals: delegation outside the
    /// practice, to no organisation.
    pub tasks_to_independents: u64,
    /// Of them, tasks accepted by other organisations (a professional of another structure,
    /// a hospital, social services, a platform): cooperation between organisations.
    pub tasks_to_organisations: u64,
    /// Tasks they received from other organisations (accepted).
    pub tasks_received: u64,
    /// Friction events in delegations by their GPs.
    pub friction_events: u64,
    /// Meetings held.
    pub meetings: u32,
    /// Protocols held.
    pub protocols: u32,
}

/// A final tie, professional or inter-organisational, as `ties.csv` gives it: held by the
/// engine as a compact table whose names are held once, and viewed a row at a time through
/// this type. Read back, its names borrow from the CSV record and its kind is one of the two.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TieRecord<'a> {
    /// [`PROFESSIONAL_TIE`] (GP → support professional) or [`ORGANISATIONAL_TIE`]
    /// (structure ↔ structure).
    #[serde(deserialize_with = "tie_kind")]
    pub kind: TieKind,
    /// Source: a GP id (`gp:<zone>:<n>`) or a structure name.
    pub source: &'a str,
    /// Target: a professional id (`psychologist:<zone>:<n>`...) or a structure name.
    pub target: &'a str,
    /// Structure of the source.
    pub source_structure: &'a str,
    /// Structure of the target (empty for an independent professional).
    pub target_structure: &'a str,
    /// Trust or cooperation strength, 0 to 1.
    #[serde(serialize_with = "single")]
    pub strength: f64,
}

/// [`TieRecord::kind`] of a GP's tie to a support professional.
pub const PROFESSIONAL_TIE: &str = "professional";
/// [`TieRecord::kind`] of a tie between two structures.
pub const ORGANISATIONAL_TIE: &str = "organisational";

/// The kind of a tie: [`PROFESSIONAL_TIE`] or [`ORGANISATIONAL_TIE`] (a name, not a reference
/// into the file, so that a tie read back borrows only its names from the record).
pub type TieKind = &'static str;

/// Reads a tie's kind as the constant of that name, so that a tie read back is a tie written.
fn tie_kind<'de, D: Deserializer<'de>>(d: D) -> Result<TieKind, D::Error> {
    let kind = Cow::<'de, str>::deserialize(d)?;
    [PROFESSIONAL_TIE, ORGANISATIONAL_TIE]
        .into_iter()
        .find(|k| *k == kind)
        .ok_or_else(|| {
            D::Error::invalid_value(
                Unexpected::Str(&kind),
                &"`professional` or `organisational`",
            )
        })
}

/// A zone as it stands at the end, for maps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ZoneRecord {
    /// Zone name.
    pub zone: String,
    /// urban, periurban or rural.
    pub rurality: Cow<'static, str>,
    /// East position (km).
    pub x_km: f64,
    /// North position (km).
    pub y_km: f64,
    /// Residents.
    pub population: u64,
    /// Share of precarious residents.
    pub deprivation: f64,
    /// Active GPs practising there at the end.
    pub gps: u32,
    /// Patients without a declared GP at the end.
    pub without_gp: u64,
}

/// A structure as it stands at the end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StructureRecord {
    /// Name (generated practices: `<zone>/<kind>-<n>`).
    pub structure: String,
    /// Kind.
    pub kind: Cow<'static, str>,
    /// Zone.
    pub zone: String,
    /// In operation at the end.
    pub active: bool,
    /// GPs.
    pub gps: u32,
    /// Support professionals in post.
    pub professionals: u32,
    /// Coordinator FTE.
    #[serde(serialize_with = "single")]
    pub coordinator_fte: f64,
    /// Trained coordinator.
    pub coordinator_trained: bool,
    /// Coordinator legitimacy.
    #[serde(serialize_with = "single")]
    pub legitimacy: f64,
    /// Protocols.
    pub protocols: u32,
    /// Shared information system.
    pub shared_info_system: bool,
    /// Week it was founded (0 for structures of the start).
    pub founded_week: u32,
}

/// An intervention as applied, for marking figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InterventionRecord {
    /// Week applied.
    pub week: u32,
    /// The first day of that week (it applies before the week's step), when the scenario
    /// has a `start_date` (the column is absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Its name.
    pub name: String,
    /// Its action.
    pub action: String,
    /// Structures it touched.
    pub structures_touched: u32,
    /// Professionals it could not add because their zone was full (65,535 GPs, or 65,535
    /// other professionals, numbered in 16 bits): 0 but in extreme scenarios.
    pub members_refused: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write<T: Serialize>(rows: &[T]) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in rows {
            w.serialize(r).expect("in memory");
        }
        String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8")
    }

    fn read<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
        csv::Reader::from_reader(text.as_bytes())
            .deserialize()
            .collect::<Result<_, _>>()
            .expect("rows read back")
    }

    #[test]
    fn rows_read_back_are_the_rows_written() {
        let zones = vec![ZoneRecord {
            zone: "ville, centre".to_string(),
            rurality: "urban".into(),
            x_km: -1.5,
            y_km: 2.25,
            population: 40_000,
            deprivation: 0.15,
            gps: 30,
            without_gp: 800,
        }];
        assert_eq!(read::<ZoneRecord>(&write(&zones)), zones);
        let structures = vec![StructureRecord {
            structure: "ville/msp-1".to_string(),
            kind: "msp".into(),
            zone: "ville".to_string(),
            active: true,
            legitimacy: 0.75,
            ..StructureRecord::default()
        }];
        assert_eq!(read::<StructureRecord>(&write(&structures)), structures);
        let weekly = vec![WeeklyRecord {
            week: 3,
            avoidable_hospitalisations: 7,
            mean_legitimacy: 0.5,
            ..WeeklyRecord::default()
        }];
        assert_eq!(read::<WeeklyRecord>(&write(&weekly)), weekly);
        let interventions = vec![InterventionRecord {
            week: 52,
            date: None,
            name: "pacte".to_string(),
            action: "train_coordinators".to_string(),
            structures_touched: 8,
            members_refused: 0,
        }];
        assert_eq!(
            read::<InterventionRecord>(&write(&interventions)),
            interventions
        );
    }

    #[test]
    fn the_date_column_follows_the_week_when_rows_are_dated_and_is_absent_otherwise() {
        let undated = vec![WeeklyRecord {
            week: 3,
            ..WeeklyRecord::default()
        }];
        let text = write(&undated);
        assert!(text.starts_with("week,residents,"), "{text}");
        assert!(!text.contains("date"), "{text}");
        let dated = vec![WeeklyRecord {
            week: 0,
            date: Date::parse("2012-01-07"),
            ..WeeklyRecord::default()
        }];
        let text = write(&dated);
        assert!(text.starts_with("week,date,residents,"), "{text}");
        assert!(text.contains("\n0,2012-01-07,0,"), "{text}");
        assert_eq!(read::<WeeklyRecord>(&text), dated);
        let interventions = vec![InterventionRecord {
            week: 261,
            date: Date::parse("2017-01-01"),
            name: "pta-2017".to_string(),
            ..InterventionRecord::default()
        }];
        let text = write(&interventions);
        assert!(text.starts_with("week,date,name,"), "{text}");
        assert_eq!(read::<InterventionRecord>(&text), interventions);
    }

    #[test]
    fn a_tie_read_back_borrows_its_names_from_the_record() {
        let tie = TieRecord {
            kind: ORGANISATIONAL_TIE,
            source: "msp \"nord\"",
            target: "dac",
            source_structure: "msp \"nord\"",
            target_structure: "dac",
            strength: 0.25,
        };
        let text = write(&[tie]);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().expect("header").clone();
        let record = reader.records().next().expect("a row").expect("a record");
        let back: TieRecord = record.deserialize(Some(&headers)).expect("a tie");
        assert_eq!(back, tie);
    }

    #[test]
    fn single_precision_columns_are_written_in_their_shortest_form() {
        let tie = TieRecord {
            kind: PROFESSIONAL_TIE,
            strength: f64::from(0.4f32),
            ..TieRecord::default()
        };
        assert_eq!(f64::from(0.4f32), 0.4000000059604645);
        let text = write(&[tie]);
        assert!(text.ends_with(",0.4\n"), "{text}");
        let structure = StructureRecord {
            coordinator_fte: f64::from(0.3f32) + f64::from(0.7f32),
            legitimacy: f64::from(0.877_183_9_f32),
            ..StructureRecord::default()
        };
        let text = write(&[structure]);
        assert!(text.contains(",1.0,"), "{text}");
        assert!(text.contains(",0.8771839,"), "{text}");
        // Read back, each is the single-precision value it was.
        let back: Vec<StructureRecord> = read(&text);
        assert_eq!(back[0].legitimacy as f32, 0.877_183_9_f32);
        assert_eq!(single_precision(f64::from(0.4f32)), 0.4);
        assert_eq!(single_precision(2.5), 2.5);
    }

    #[test]
    fn a_tie_of_an_unknown_kind_is_refused() {
        let text =
            "kind,source,target,source_structure,target_structure,strength\nfriendly,a,b,a,b,0.5\n";
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().expect("header").clone();
        let record = reader.records().next().expect("a row").expect("a record");
        let err = record
            .deserialize::<TieRecord>(Some(&headers))
            .expect_err("unknown kind");
        assert!(err.to_string().contains("friendly"), "{err}");
    }
}
