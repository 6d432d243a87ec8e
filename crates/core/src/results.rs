//! What a run produces, in memory: weekly indicators, per-structure-type rows, final ties
//! and the territory. Serializers in `output` turn these into files; nothing here does I/O.

use pluri_schema::run::{single_precision, ORGANISATIONAL_TIE, PROFESSIONAL_TIE};
pub use pluri_schema::run::{
    InterventionRecord, StructureRecord, StructureTypeRecord, TieRecord, WeeklyRecord, ZoneRecord,
};

/// One row of [`Ties`]: indices into its names. 24 bytes, where a row of owned or shared
/// names took 88: a national run ends with about 9 million ties among far fewer GPs,
/// professionals and structures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct TieRow {
    pub(crate) source: u32,
    pub(crate) target: u32,
    pub(crate) source_structure: u32,
    pub(crate) target_structure: u32,
    pub(crate) strength: f32,
    pub(crate) professional: bool,
}

/// The final ties: each name once, each tie as indices into the names.
#[derive(Debug, Clone, Default)]
pub struct Ties {
    names: Vec<Box<str>>,
    rows: Vec<TieRow>,
}

impl Ties {
    /// A table of `rows` whose indices point into `names`.
    pub(crate) fn from_parts(names: Vec<Box<str>>, rows: Vec<TieRow>) -> Ties {
        debug_assert!(rows.iter().all(|r| {
            [r.source, r.target, r.source_structure, r.target_structure]
                .iter()
                .all(|&i| (i as usize) < names.len())
        }));
        Ties { names, rows }
    }

    /// Number of ties.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is no tie.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The `i`th tie.
    pub fn get(&self, i: usize) -> Option<TieRecord<'_>> {
        self.rows.get(i).map(|r| self.record(r))
    }

    /// The `i`th tie, for `i` under [`Ties::len`].
    pub(crate) fn at(&self, i: usize) -> TieRecord<'_> {
        self.record(&self.rows[i])
    }

    /// The ties in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = TieRecord<'_>> + '_ {
        self.rows.iter().map(|r| self.record(r))
    }

    fn record(&self, r: &TieRow) -> TieRecord<'_> {
        let name = |i: u32| &*self.names[i as usize];
        TieRecord {
            kind: if r.professional {
                PROFESSIONAL_TIE
            } else {
                ORGANISATIONAL_TIE
            },
            source: name(r.source),
            target: name(r.target),
            source_structure: name(r.source_structure),
            target_structure: name(r.target_structure),
            strength: f64::from(r.strength),
        }
    }
}

/// Equal when they list the same ties in the same order, however the names are held.
impl PartialEq for Ties {
    fn eq(&self, other: &Ties) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// A table of the given ties (kinds other than `professional` are organisational; strengths
/// are held in single precision, as the engine holds them).
impl<'a> FromIterator<TieRecord<'a>> for Ties {
    fn from_iter<I: IntoIterator<Item = TieRecord<'a>>>(iter: I) -> Ties {
        let mut index: std::collections::BTreeMap<&'a str, u32> = Default::default();
        let mut names: Vec<Box<str>> = Vec::new();
        let mut id = |s: &'a str| {
            *index.entry(s).or_insert_with(|| {
                names.push(s.into());
                (names.len() - 1) as u32
            })
        };
        let rows = iter
            .into_iter()
            .map(|t| TieRow {
                source: id(t.source),
                target: id(t.target),
                source_structure: id(t.source_structure),
                target_structure: id(t.target_structure),
                strength: t.strength as f32,
                professional: t.kind == PROFESSIONAL_TIE,
            })
            .collect();
        Ties { names, rows }
    }
}

/// Everything one run produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunResults {
    /// One row per week.
    pub weekly: Vec<WeeklyRecord>,
    /// One row per week and structure type.
    pub by_structure_type: Vec<StructureTypeRecord>,
    /// Final ties.
    pub ties: Ties,
    /// Final zones.
    pub zones: Vec<ZoneRecord>,
    /// Final structures.
    pub structures: Vec<StructureRecord>,
    /// Interventions applied.
    pub interventions: Vec<InterventionRecord>,
}

impl RunResults {
    /// The first and last weekly rows, if the run had any week.
    pub fn first_last(&self) -> Option<(&WeeklyRecord, &WeeklyRecord)> {
        Some((self.weekly.first()?, self.weekly.last()?))
    }
}

impl RunResults {
    /// Headline indicators, in a fixed order: rates are means over the last 52 weeks (or
    /// the whole run if shorter), stocks are end values. Sweeps and summaries use these names.
    pub fn headline(&self) -> Vec<(&'static str, f64)> {
        let w = &self.weekly;
        let Some((first, last)) = self.first_last() else {
            return Vec::new();
        };
        let tail = &w[w.len().saturating_sub(52)..];
        let n = tail.len() as f64;
        let sum = |f: fn(&WeeklyRecord) -> f64| tail.iter().map(f).sum::<f64>();
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let per_year = 52.0 / n;
        let residents = last.residents as f64;
        let tasks = sum(|r| r.tasks as f64);
        let delegations = sum(|r| (r.tasks_inside + r.tasks_outside + r.tasks_platform) as f64);
        let platform = sum(|r| r.tasks_platform as f64);
        let needs = sum(|r| (r.needs_met + r.needs_unmet) as f64);
        fn seen(r: &WeeklyRecord) -> f64 {
            (r.consultations + r.covered_consultations + r.walk_in_consultations) as f64
        }
        let consultations = sum(seen);
        vec![
            ("mean_tie_strength_start", first.mean_tie_strength),
            ("mean_tie_strength_end", last.mean_tie_strength),
            ("tie_density_end", last.tie_density),
            ("org_active_ties_end", last.org_active_ties as f64),
            ("complex_multi_share_end", last.complex_multi_share),
            ("delegated_share", ratio(delegations, tasks)),
            (
                "interorg_referral_share",
                ratio(
                    sum(|r| {
                        r.interorg_referral_share
                            * (r.tasks_inside + r.tasks_outside + r.tasks_platform) as f64
                    }),
                    delegations,
                ),
            ),
            (
                "platform_ad_hoc_share",
                ratio(sum(|r| r.platform_ad_hoc as f64), platform),
            ),
            (
                "friction_per_100_delegations",
                100.0 * ratio(sum(|r| r.friction_events as f64), delegations),
            ),
            (
                "unmet_need_share",
                ratio(
                    sum(|r| r.needs_unmet as f64),
                    sum(|r| (r.needs_met + r.needs_unmet) as f64),
                ),
            ),
            ("without_gp_share_end", last.without_gp_share),
            (
                "forgone_per_1000_per_year",
                1000.0 * ratio(sum(|r| r.forgone as f64) * per_year, residents),
            ),
            ("waiting_mean", sum(|r| r.waiting as f64) / n),
            (
                "avoidable_hosp_per_100k_per_year",
                100_000.0
                    * ratio(
                        sum(|r| r.avoidable_hospitalisations as f64) * per_year,
                        residents,
                    ),
            ),
            ("gp_utilisation", sum(|r| r.gp_utilisation) / n),
            ("mean_satisfaction_end", last.mean_satisfaction),
            (
                "departures_per_year",
                sum(|r| f64::from(r.departures)) * per_year,
            ),
            (
                "meetings_per_year",
                sum(|r| f64::from(r.meetings)) * per_year,
            ),
            ("msps_end", f64::from(last.msps)),
            ("gps_in_msp_end", f64::from(last.gps_in_msp)),
            ("gps_end", f64::from(last.gps)),
            (
                "coordinator_fte_end",
                single_precision(last.coordinator_fte),
            ),
            (
                "mean_control_orientation_end",
                last.mean_control_orientation,
            ),
            (
                "unmet_dropped_share",
                ratio(sum(|r| r.tasks_dropped as f64), needs),
            ),
            (
                "unmet_refused_share",
                ratio(sum(|r| r.tasks_refused as f64), needs),
            ),
            (
                "unmet_failed_share",
                ratio(sum(|r| r.needs_unmet_failed as f64), needs),
            ),
            (
                "consultations_per_resident_per_year",
                ratio(consultations * per_year, residents),
            ),
            (
                "consultations_per_gp_per_year",
                ratio(consultations * per_year, sum(|r| f64::from(r.gps)) / n),
            ),
            (
                "time_to_appointment_days",
                ratio(sum(|r| r.time_to_appointment_days * seen(r)), consultations),
            ),
            ("waiting_per_1000", sum(|r| r.waiting_per_1000) / n),
            ("gps_refusing_new_share_end", last.gps_refusing_new_share),
            (
                "gps_fully_booked_share",
                sum(|r| r.gps_fully_booked_share) / n,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tie<'a>(kind: &'static str, names: [&'a str; 4], strength: f64) -> TieRecord<'a> {
        let [source, target, source_structure, target_structure] = names;
        TieRecord {
            kind,
            source,
            target,
            source_structure,
            target_structure,
            strength,
        }
    }

    /// The budget `docs/PERFORMANCE.md` states: a final tie costs 24 bytes however long the
    /// names (9.2 million of them nationally).
    /// The headline's names are the schema's, in its order: the tables and figures read them
    /// by those names.
    #[test]
    fn headline_names_are_the_schemas() {
        let mut r = RunResults::default();
        r.weekly.push(WeeklyRecord::default());
        let names: Vec<&str> = r.headline().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, pluri_schema::run::HEADLINE);
    }

    #[test]
    fn a_final_tie_takes_24_bytes() {
        assert_eq!(std::mem::size_of::<TieRow>(), 24);
    }

    /// A table gives back the ties it was made of, in order, each name held once; two tables
    /// of the same ties are equal however their names were numbered.
    #[test]
    fn a_table_of_ties_gives_back_its_ties_with_each_name_once() {
        let ties = [
            tie("professional", ["gp:a:0", "nurse:a:1", "msp-a", ""], 0.5),
            tie(
                "organisational",
                ["msp-a", "hospital", "msp-a", "hospital"],
                0.25,
            ),
            tie(
                "professional",
                ["gp:a:0", "nurse:b:0", "msp-a", "msp-b"],
                0.75,
            ),
        ];
        let table: Ties = ties.iter().copied().collect();
        assert_eq!(table.len(), 3);
        assert_eq!(table.iter().collect::<Vec<_>>(), ties);
        assert_eq!(table.get(1), Some(ties[1]));
        assert_eq!(table.get(3), None);
        assert_eq!(table.names.len(), 7, "{:?}", table.names);
        let reversed: Ties = ties.iter().rev().copied().collect();
        assert_ne!(reversed, table);
        // The same rows with the names numbered backwards.
        let last = table.names.len() as u32 - 1;
        let back = |i: u32| last - i;
        let rows = table.rows.iter().map(|r| TieRow {
            source: back(r.source),
            target: back(r.target),
            source_structure: back(r.source_structure),
            target_structure: back(r.target_structure),
            ..*r
        });
        let names = table.names.iter().rev().cloned().collect();
        let again = Ties::from_parts(names, rows.collect());
        assert_ne!(again.names, table.names);
        assert_eq!(again, table);
        assert!(Ties::default().is_empty() && Ties::default() != table);
    }
}
