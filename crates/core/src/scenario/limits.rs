//! Bounds beyond which a scenario stops describing primary care and a run would loop or
//! allocate without end (a week of 10^300 meetings, 4 billion GPs in one practice): checked
//! during validation, each refusal naming the field and the largest or smallest value allowed.

use super::Params;

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
/// listed members where they are more, as the model builds them): `Err` says how many and
/// what to do.
pub fn zone_staff(p: &Params, zone: &super::Zone, listed: [u64; 4]) -> Result<(), String> {
    use super::raw::Rurality;
    let w = &p.workforce;
    let factor = match zone.rurality {
        Rurality::Urban => w.urban_gp_factor.get(),
        Rurality::Periurban => w.periurban_gp_factor.get(),
        Rurality::Rural => w.rural_gp_factor.get(),
    };
    let per = |d: f64| (zone.population as f64 * d / 1e5).round();
    let gps = per(w.gps_per_100k.get() * factor).max(listed[0] as f64);
    let profs = per(w.psychologists_per_100k.get()).max(listed[1] as f64)
        + per(w.social_workers_per_100k.get()).max(listed[2] as f64)
        + per(w.nurses_per_100k.get()).max(listed[3] as f64);
    for (what, n) in [("GPs", gps), ("other professionals", profs)] {
        if n > MAX_PER_ZONE {
            return Err(format!(
                "{} residents and the densities of [workforce] give {n:.0} {what} in this zone: \
                 at most {MAX_PER_ZONE} per zone; split it into several zones or lower the densities",
                zone.population
            ));
        }
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
    if delay > super::validate::MAX_WEEKS {
        return Err((
            "professionals.replacement_delay_weeks".into(),
            format!(
                "{delay} weeks: at most {} (longer than any run: the post is never filled again)",
                super::validate::MAX_WEEKS
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
