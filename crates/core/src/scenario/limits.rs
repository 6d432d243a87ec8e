//! Bounds beyond which a scenario stops describing primary care and a run would loop or
//! allocate without end (a week of 10^300 meetings, 4 billion GPs in one practice): checked
//! during validation, each refusal naming the field and the largest or smallest value allowed.

use super::params::Params;
use super::raw::Rurality;
use super::spec::{Action, Scenario, Target, ZoneSpec};

/// Largest number of weeks: next-event weeks are stored in 16 bits.
pub const MAX_WEEKS: u32 = 60_000;
/// Largest number of zones: zone indices are stored in 16 bits.
pub const MAX_ZONES: usize = 65_000;
/// Largest population of one zone: patient indices are stored in 32 bits.
pub const MAX_ZONE_POPULATION: u64 = 2_000_000_000;

/// Most GPs, psychologists, social workers or nurses listed in one structure or added at
/// once to one structure or zone by an intervention.
pub const MAX_STAFF: u32 = 10_000;
/// Most coordinator full-time equivalents in one structure.
pub const MAX_FTE: f64 = 100.0;
/// Most agreed protocols in one structure (`coordination.max_protocols` included).
pub const MAX_PROTOCOLS: u32 = 1_000;
/// Longest follow-up, in weeks: the end of each is kept in a ring of 64 weeks
/// (`model::RELEASE_RING`), and longer ones would silently end after 63.
pub const MAX_TASK_WEEKS: u32 = 63;
/// Hours in a week: no one works more.
pub const HOURS_PER_WEEK: f64 = 168.0;
/// Fewest coordinator hours a meeting or a protocol takes.
pub const MIN_TASK_HOURS: f64 = 0.5;

/// Most GPs, and most other professionals, in one zone at the start: they are numbered in
/// 16 bits inside their zone.
pub const MAX_PER_ZONE: f64 = 65_535.0;

/// The GPs and the other professionals a zone starts with (the density targets, or the
/// listed members where they are more, as the model builds them): `Err((field, message))`
/// names the field that makes them too many (the `[workforce]` density or factor, or
/// `zones.NAME` when the structures listed there are too large) and what to do.
pub fn zone_staff(p: &Params, zone: &ZoneSpec, listed: [u64; 4]) -> Result<(), (String, String)> {
    let w = &p.workforce;
    let d = Params::default().workforce;
    let (factor, default_factor, factor_field) = match zone.rurality {
        Rurality::Urban => (
            w.urban_gp_factor.get(),
            d.urban_gp_factor.get(),
            "urban_gp_factor",
        ),
        Rurality::Periurban => (
            w.periurban_gp_factor.get(),
            d.periurban_gp_factor.get(),
            "periurban_gp_factor",
        ),
        Rurality::Rural => (
            w.rural_gp_factor.get(),
            d.rural_gp_factor.get(),
            "rural_gp_factor",
        ),
    };
    let per = |density: f64| (zone.population as f64 * density / 1e5).round();
    let listed_field = || format!("zones.{}", zone.name);
    let population_field = || format!("zones.{}.population", zone.name);
    // How far a density was raised above its default (the field to blame when above 1).
    let ratio = |v: f64, def: f64| if def > 0.0 { v / def } else { v };
    let fail = |field: String, n: f64, what: &str, cause: &str| {
        Err((
            field,
            format!(
                "{} residents and {cause} give {} {what} in zone {}: at most {MAX_PER_ZONE} per zone; \
                 split it into several zones or lower the densities",
                zone.population,
                count(n),
                zone.name
            ),
        ))
    };
    // GPs: the density, its rurality factor, or the listed structures.
    let by_density = per(w.gps_per_100k.get() * factor);
    let gps = by_density.max(listed[0] as f64);
    if gps > MAX_PER_ZONE {
        if listed[0] as f64 >= by_density {
            return fail(listed_field(), gps, "GPs", "the structures listed in it");
        }
        let (rf, rd) = (
            ratio(factor, default_factor),
            ratio(w.gps_per_100k.get(), d.gps_per_100k.get()),
        );
        if rf.max(rd) <= 1.0 {
            return fail(
                population_field(),
                gps,
                "GPs",
                "the densities of [workforce]",
            );
        }
        let field = if rf > rd {
            factor_field
        } else {
            "gps_per_100k"
        };
        return fail(
            format!("workforce.{field}"),
            gps,
            "GPs",
            &format!("workforce.gps_per_100k x workforce.{factor_field}"),
        );
    }
    // Other professionals: the largest of the three contributions is blamed.
    let parts = [
        (
            "psychologists_per_100k",
            per(w.psychologists_per_100k.get()),
            listed[1],
        ),
        (
            "social_workers_per_100k",
            per(w.social_workers_per_100k.get()),
            listed[2],
        ),
        ("nurses_per_100k", per(w.nurses_per_100k.get()), listed[3]),
    ];
    let profs: f64 = parts.iter().map(|(_, n, l)| n.max(*l as f64)).sum();
    if profs > MAX_PER_ZONE {
        let (name, by, l) = parts
            .iter()
            .copied()
            .max_by(|a, b| a.1.max(a.2 as f64).total_cmp(&b.1.max(b.2 as f64)))
            .unwrap_or(parts[0]);
        if l as f64 >= by {
            return fail(
                listed_field(),
                profs,
                "other professionals",
                "the structures listed in it",
            );
        }
        let raised = [
            (
                w.psychologists_per_100k.get(),
                d.psychologists_per_100k.get(),
            ),
            (
                w.social_workers_per_100k.get(),
                d.social_workers_per_100k.get(),
            ),
            (w.nurses_per_100k.get(), d.nurses_per_100k.get()),
        ];
        if raised.iter().all(|&(v, def)| ratio(v, def) <= 1.0) {
            return fail(
                population_field(),
                profs,
                "other professionals",
                "the densities of [workforce]",
            );
        }
        return fail(
            format!("workforce.{name}"),
            profs,
            "other professionals",
            &format!("the densities of [workforce] (above all workforce.{name})"),
        );
    }
    Ok(())
}

/// An upper estimate of the memory a run of `s` needs, in bytes: 12 bytes per resident at the
/// peak of building (7 kept, 4 while profiles are drawn, 1 of slack), 1 KiB per professional
/// (traits, caseload ring, ties) and 64 bytes per zone pair for the network. Professionals
/// are those of the densities (the highest that any `set_parameter` intervention sets) and
/// every one that `add_professionals` and `deploy_msma` interventions add (a `target_kind`
/// counted with the structures of that kind at the start), at most
/// [`MAX_PER_ZONE`] GPs and as many others per zone.
pub fn estimated_memory_bytes(s: &Scenario) -> u64 {
    let residents = s.population();
    let by_density = |p: &Params| {
        let w = &p.workforce;
        let per_100k = w.gps_per_100k.get() * 1.2
            + w.psychologists_per_100k.get()
            + w.social_workers_per_100k.get()
            + w.nurses_per_100k.get();
        (residents as f64 * per_100k / 1e5) as u64
    };
    let mut professionals = by_density(&s.params);
    let targets = |t: &Target| -> u64 {
        match t {
            Target::Named(ids) => ids.len() as u64,
            Target::Kind(k) => s.structures.iter().filter(|x| x.kind == *k).count().max(1) as u64,
        }
    };
    let mut added: u64 = 0;
    for iv in &s.interventions {
        let n = match &iv.action {
            Action::SetParameter { params, .. } => {
                professionals = professionals.max(by_density(params));
                0
            }
            Action::AddProfessionals { target, count, .. } => {
                u64::from(*count).saturating_mul(target.as_ref().map_or(1, targets))
            }
            Action::DeployMsma {
                target,
                psychologists,
                social_workers,
                ..
            } => (u64::from(*psychologists) + u64::from(*social_workers))
                .saturating_mul(targets(target)),
            _ => 0,
        };
        added = added.saturating_add(n);
    }
    let zones = s.zones.len() as u64;
    let most = zones.saturating_mul(2 * MAX_PER_ZONE as u64);
    let professionals = professionals.saturating_add(added.min(most));
    residents
        .saturating_mul(12)
        .saturating_add(professionals.saturating_mul(1024))
        .saturating_add(zones.saturating_mul(zones).saturating_mul(64))
}

/// A count as a message shows it: whole below 10^15, in scientific notation above (never a
/// number of 300 digits).
pub fn count(n: f64) -> String {
    if n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n:.3e}")
    }
}

/// The four coordination shares (meeting, case, protocol, networking) add up to 1:
/// `Err((field, message))` otherwise.
pub fn shares(p: &Params) -> Result<(), (String, String)> {
    let c = &p.coordination;
    let sum = c.meeting_share.get()
        + c.case_share.get()
        + c.protocol_share.get()
        + c.networking_share.get();
    if (sum - 1.0).abs() > 1e-6 {
        return Err((
            "coordination.meeting_share".into(),
            format!("the four coordination shares (meeting, case, protocol, networking) add up to {sum}; they must add up to 1"),
        ));
    }
    Ok(())
}

/// A count of people: `Err` says the limit.
pub fn staff(count: u32) -> Result<(), String> {
    if count <= MAX_STAFF {
        Ok(())
    } else {
        Err(format!(
            "{count} people: at most {MAX_STAFF} in one structure or one intervention; split them"
        ))
    }
}

/// Coordinator time: `Err` says the limit.
pub fn fte(fte: f64) -> Result<(), String> {
    if fte <= MAX_FTE {
        Ok(())
    } else {
        Err(format!(
            "{fte} coordinator full-time equivalents: at most {MAX_FTE} in one structure"
        ))
    }
}

/// A count of protocols: `Err` says the limit.
pub fn protocols(count: u32) -> Result<(), String> {
    if count <= MAX_PROTOCOLS {
        Ok(())
    } else {
        Err(format!("{count} protocols: at most {MAX_PROTOCOLS}"))
    }
}

/// The behavioural parameters: `Err((field, message))` names the first out of bounds.
pub fn params(p: &Params) -> Result<(), (String, String)> {
    let c = &p.coordination;
    let field = |f: &str| format!("coordination.{f}");
    if c.hours_per_fte.get() > HOURS_PER_WEEK {
        return Err((
            field("hours_per_fte"),
            format!(
                "{} hours a week: a week has {HOURS_PER_WEEK}",
                c.hours_per_fte.get()
            ),
        ));
    }
    for (name, v) in [
        ("hours_per_meeting", c.hours_per_meeting.get()),
        ("hours_per_protocol", c.hours_per_protocol.get()),
    ] {
        if v < MIN_TASK_HOURS {
            return Err((
                field(name),
                format!("{v} hours: use at least {MIN_TASK_HOURS}"),
            ));
        }
    }
    protocols(c.max_protocols).map_err(|m| (field("max_protocols"), m))?;
    for (name, weeks) in [
        ("psych_weeks", p.tasks.psych_weeks),
        ("social_weeks", p.tasks.social_weeks),
        ("education_weeks", p.tasks.education_weeks),
    ] {
        if !(1..=MAX_TASK_WEEKS).contains(&weeks) {
            return Err((
                format!("tasks.{name}"),
                format!(
                    "{weeks} weeks: use 1 to {MAX_TASK_WEEKS} (the end of each follow-up is kept in a ring of {} weeks)",
                    MAX_TASK_WEEKS + 1
                ),
            ));
        }
    }
    let delay = p.professionals.replacement_delay_weeks;
    if delay > MAX_WEEKS {
        return Err((
            "professionals.replacement_delay_weeks".into(),
            format!(
                "{delay} weeks: at most {} (longer than any run: the post is never filled again)",
                MAX_WEEKS
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_parameters_are_within_bounds() {
        assert!(params(&Params::default()).is_ok());
    }

    #[test]
    fn a_week_longer_than_168_hours_is_refused_naming_the_field() {
        let mut p = Params::default();
        p.coordination.hours_per_fte = crate::scenario::units::Pos(169.0);
        let (f, m) = params(&p).err().unwrap_or_default();
        assert_eq!(f, "coordination.hours_per_fte");
        assert!(m.contains("168"), "{m}");
    }
}
