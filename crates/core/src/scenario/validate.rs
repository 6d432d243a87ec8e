//! Semantic checks: [`RawScenario`] → [`Scenario`]. Range checks already ran during parsing.

use super::error::ScenarioError;
use super::limits::{MAX_WEEKS, MAX_ZONES, MAX_ZONE_POPULATION};
use super::params::Params;
use super::raw::{RawIntervention, RawScenario, RawStructure, StructureKind};
use super::spec::{Action, Intervention, Scenario, StructureSpec, ZoneSpec};
use crate::input::{self, InputError};
use pluri_schema::date::Date;
use std::collections::BTreeMap;

mod actions;
mod ctx;
use actions::build_action;
use ctx::{key_line, Ctx};

fn check_name(
    ctx: &Ctx,
    span: std::ops::Range<usize>,
    field: &str,
    name: &str,
) -> Result<(), ScenarioError> {
    let ok = !name.is_empty()
        && name.len() <= 80
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        return Ok(());
    }
    let message = format!(
        "{} is not a valid name: use 1 to 80 letters, digits, `_` or `-`",
        input::quoted(name)
    );
    Err(if field == "name" {
        ctx.err_key(field, message)
    } else {
        ctx.err(Some(span), field, message)
    })
}

pub(super) fn validate(
    raw: RawScenario,
    src: Option<&str>,
    origin: &str,
) -> Result<Scenario, ScenarioError> {
    let ctx = Ctx { src, origin };
    check_name(&ctx, 0..0, "name", &raw.name)?;
    if raw.weeks == 0 || raw.weeks > MAX_WEEKS {
        return Err(ctx.err_key(
            "weeks",
            format!("{} weeks: use 1 to {MAX_WEEKS}", raw.weeks),
        ));
    }
    if raw.warmup_weeks > MAX_WEEKS - raw.weeks {
        return Err(ctx.err_key(
            "warmup_weeks",
            format!(
                "{} warm-up weeks before {} simulated weeks: the two together may be at most {MAX_WEEKS}",
                raw.warmup_weeks, raw.weeks
            ),
        ));
    }
    let start_date = match &raw.start_date {
        None => None,
        Some(text) => {
            let err = |m: String| ctx.err(Some(text.span()), "start_date", m);
            let date = text.get_ref().date().map_err(&err)?;
            if date
                .week_end(raw.weeks - 1)
                .is_none_or(|end| end.year > 9999)
            {
                return Err(err(format!(
                    "{weeks} weeks from {date} end after the year 9999: start earlier or run fewer weeks",
                    weeks = raw.weeks
                )));
            }
            Some(date)
        }
    };
    {
        let p = Params {
            coordination: raw.coordination.clone(),
            ..Params::default()
        };
        super::limits::shares(&p).map_err(|(f, m)| ctx.err_key(&f, m))?;
    }
    let generated = super::regions::expand(&raw, MAX_ZONES)
        .map_err(|e| ctx.err(Some(e.span), &e.field, e.message))?;
    let listed_zones = raw.zones.iter().map(|z| (z.span(), z.get_ref()));
    let generated_zones = generated.zones.iter().map(|(span, z)| (span.clone(), z));
    let all_zones: Vec<_> = listed_zones.chain(generated_zones).collect();
    if all_zones.is_empty() {
        return Err(ctx.err(
            None,
            "zones",
            "no zone: add at least one [[zones]] or [[regions]] entry".into(),
        ));
    }
    if all_zones.len() > MAX_ZONES {
        return Err(ctx.err(
            None,
            "zones",
            format!("{} zones: at most {MAX_ZONES}", all_zones.len()),
        ));
    }
    let mut zone_index = BTreeMap::new();
    let mut zones = Vec::with_capacity(all_zones.len());
    let mut zone_spans = Vec::with_capacity(all_zones.len());
    for (span, z) in all_zones {
        zone_spans.push(span.clone());
        check_name(&ctx, span.clone(), "zones.name", &z.name)?;
        if z.population > MAX_ZONE_POPULATION {
            return Err(ctx.err(
                Some(span.clone()),
                &format!("zones.{}.population", z.name),
                format!("{} residents: a zone holds at most {MAX_ZONE_POPULATION}; split it into several zones", z.population),
            ));
        }
        if zone_index.insert(z.name.clone(), zones.len()).is_some() {
            return Err(ctx.err(
                Some(span),
                "zones.name",
                format!("zone {:?} is defined twice: names must be unique", z.name),
            ));
        }
        zones.push(ZoneSpec {
            name: z.name.clone(),
            population: z.population,
            rurality: z.rurality,
            deprivation: z.deprivation.get(),
            x_km: z.x_km.get(),
            y_km: z.y_km.get(),
        });
    }
    let zone_names = || {
        zone_index
            .keys()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    };

    let listed_structures = raw.structures.iter().map(|s| (s.span(), s.get_ref()));
    let generated_structures = generated
        .structures
        .iter()
        .map(|(span, s)| (span.clone(), s));
    let all_structures: Vec<_> = listed_structures.chain(generated_structures).collect();
    let mut structure_index = BTreeMap::new();
    let mut structures = Vec::with_capacity(all_structures.len());
    for (span, s) in all_structures {
        check_name(&ctx, span.clone(), "structures.name", &s.name)?;
        let field = |f: &str| format!("structures.{}.{f}", s.name);
        if structure_index
            .insert(s.name.clone(), structures.len())
            .is_some()
        {
            return Err(ctx.err(
                Some(span),
                "structures.name",
                format!(
                    "structure {:?} is defined twice: names must be unique",
                    s.name
                ),
            ));
        }
        let Some(&zone) = zone_index.get(s.zone.get_ref()) else {
            return Err(ctx.err(
                Some(s.zone.span()),
                &field("zone"),
                format!(
                    "no zone named {:?}; zones are: {}",
                    s.zone.get_ref(),
                    zone_names()
                ),
            ));
        };
        check_structure(&ctx, span, s, &field)?;
        structures.push(StructureSpec {
            name: s.name.clone(),
            kind: s.kind,
            zone,
            gps: s.gps,
            psychologists: s.psychologists,
            social_workers: s.social_workers,
            nurses: s.nurses,
            coordinator_fte: s.coordinator_fte.get(),
            coordinator_trained: s.coordinator_trained,
            shared_info_system: s.shared_info_system,
            protocols: s.protocols,
            age_years: s.age_years.get(),
            active: s.active,
            capacity_per_week: s.capacity_per_week.get(),
            reach_minutes: s.reach_minutes.get(),
        });
    }

    let params = raw.params();

    super::limits::params(&params).map_err(|(f, m)| ctx.err_key(&f, m))?;
    let mut listed = vec![[0u64; 4]; zones.len()];
    for st in &structures {
        let l = &mut listed[st.zone];
        for (i, n) in [st.gps, st.psychologists, st.social_workers, st.nurses]
            .into_iter()
            .enumerate()
        {
            l[i] += u64::from(n);
        }
    }
    for ((z, l), span) in zones.iter().zip(&listed).zip(&zone_spans) {
        super::limits::zone_staff(&params, z, *l).map_err(|(f, m)| {
            let line = if f.starts_with("zones.") {
                ctx.line(span.clone())
            } else {
                // The density or factor that was set, else (a default) the zone's own line.
                src_key_line(&ctx, &f).or_else(|| ctx.line(span.clone()))
            };
            InputError::Invalid {
                origin: ctx.origin.to_string(),
                line,
                field: f,
                message: m,
            }
        })?;
    }

    let mut names = BTreeMap::new();
    let weeks = raw
        .interventions
        .iter()
        .map(|iv| intervention_week(&ctx, iv, start_date, raw.weeks))
        .collect::<Result<Vec<u32>, _>>()?;
    let mut order: Vec<usize> = (0..raw.interventions.len()).collect();
    order.sort_by_key(|&i| weeks[i]);
    let mut current = params.clone();
    let mut interventions = Vec::with_capacity(order.len());
    for i in order {
        let spanned = &raw.interventions[i];
        let span = spanned.span();
        let iv = spanned.get_ref();
        check_name(&ctx, span.clone(), "interventions.name", &iv.name)?;
        if names.insert(iv.name.clone(), ()).is_some() {
            return Err(ctx.err(
                Some(span),
                "interventions.name",
                format!(
                    "intervention {:?} is defined twice: names must be unique",
                    iv.name
                ),
            ));
        }
        let action = build_action(
            &ctx,
            span.clone(),
            iv,
            &structures,
            &structure_index,
            &zone_index,
            &mut current,
        )?;
        if let Action::SetParameter { params, .. } = &action {
            // Densities raised mid-run: the structural phase fills the zones up to them.
            for (z, l) in zones.iter().zip(&listed) {
                super::limits::zone_staff(params, z, *l).map_err(|(f, m)| {
                    ctx.err(
                        Some(span.clone()),
                        &format!("interventions.{}.value", iv.name),
                        format!("sets `{f}`: {m}"),
                    )
                })?;
            }
        }
        interventions.push(Intervention {
            name: iv.name.clone(),
            week: weeks[i],
            action,
        });
    }

    check_week_shares(&ctx, &raw, &interventions)?;

    Ok(Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        seed: raw.seed,
        weeks: raw.weeks,
        warmup_weeks: raw.warmup_weeks,
        start_date,
        params,
        zones,
        structures,
        interventions,
        raw,
    })
}

/// The week at which an intervention applies: its `week`, or the week its `date` falls in
/// (rounded to the nearest week's start), which needs the scenario's `start_date`.
fn intervention_week(
    ctx: &Ctx,
    spanned: &toml::Spanned<RawIntervention>,
    start: Option<Date>,
    weeks: u32,
) -> Result<u32, ScenarioError> {
    let iv = spanned.get_ref();
    let field = |f: &str| format!("interventions.{}.{f}", iv.name);
    match (&iv.week, &iv.date) {
        (Some(week), None) if *week.get_ref() < weeks => Ok(*week.get_ref()),
        (Some(week), None) => Err(ctx.err(
            Some(week.span()),
            &field("week"),
            format!(
                "week {} is after the last simulated week ({}): use 0 to {}",
                week.get_ref(),
                weeks - 1,
                weeks - 1
            ),
        )),
        (None, Some(date)) => {
            let err = |m: String| ctx.err(Some(date.span()), &field("date"), m);
            let Some(start) = start else {
                return Err(err(format!(
                    "date {:?} needs the scenario's start_date, the first day of week 0: add start_date = \"YYYY-MM-DD\" at the top of the file, or give week = N instead",
                    date.get_ref().0
                )));
            };
            let day = date.get_ref().date().map_err(err)?;
            super::dates::intervention_week(day, start, weeks).map_err(err)
        }
        (Some(_), Some(date)) => Err(ctx.err(
            Some(date.span()),
            &field("date"),
            "both week and date are given: keep one".into(),
        )),
        (None, None) => Err(ctx.err(
            Some(spanned.span()),
            &field("week"),
            format!(
                "no week or date: give week = N (0 to {}){}",
                weeks - 1,
                if start.is_some() {
                    " or date = \"YYYY-MM-DD\""
                } else {
                    ", or date = \"YYYY-MM-DD\" with the scenario's start_date"
                }
            ),
        )),
    }
}

fn src_key_line(ctx: &Ctx, field: &str) -> Option<usize> {
    ctx.src.and_then(|s| key_line(s, field))
}

/// The coordination shares in force after each week's `set_parameter` interventions add up
/// to 1, as in the file: interventions of one week may change them together, one at a time.
fn check_week_shares(
    ctx: &Ctx,
    raw: &RawScenario,
    interventions: &[Intervention],
) -> Result<(), ScenarioError> {
    for (i, iv) in interventions.iter().enumerate() {
        let Action::SetParameter { params, .. } = &iv.action else {
            continue;
        };
        let last_of_week = interventions[i + 1..]
            .iter()
            .filter(|n| n.week == iv.week)
            .all(|n| !matches!(n.action, Action::SetParameter { .. }));
        if !last_of_week {
            continue;
        }
        if let Err((f, m)) = super::limits::shares(params) {
            let span = raw
                .interventions
                .iter()
                .find(|r| r.get_ref().name == iv.name)
                .map(|r| r.span());
            return Err(ctx.err(
                span,
                &format!("interventions.{}.value", iv.name),
                format!(
                    "from week {} on, `{f}`: {m}; change the four shares together, with set_parameter interventions of the same week",
                    iv.week
                ),
            ));
        }
    }
    Ok(())
}

fn check_structure(
    ctx: &Ctx,
    span: std::ops::Range<usize>,
    s: &RawStructure,
    field: &dyn Fn(&str) -> String,
) -> Result<(), ScenarioError> {
    use super::limits;
    for (name, n) in [
        ("gps", s.gps),
        ("psychologists", s.psychologists),
        ("social_workers", s.social_workers),
        ("nurses", s.nurses),
    ] {
        limits::staff(n).map_err(|m| ctx.err(Some(span.clone()), &field(name), m))?;
    }
    limits::fte(s.coordinator_fte.get())
        .map_err(|m| ctx.err(Some(span.clone()), &field("coordinator_fte"), m))?;
    limits::protocols(s.protocols)
        .map_err(|m| ctx.err(Some(span.clone()), &field("protocols"), m))?;
    let members = s.psychologists + s.social_workers + s.nurses;
    if s.kind.is_referral_service() {
        if s.coordinator_fte.get() > 0.0 || s.coordinator_trained || s.protocols > 0 {
            return Err(ctx.err(
                Some(span),
                &field("coordinator_fte"),
                format!(
                    "a {} takes tasks as a whole: its case managers' work is capacity_per_week; \
                     remove coordinator_fte, coordinator_trained and protocols",
                    s.kind.as_str()
                ),
            ));
        }
        if s.gps > 0 {
            return Err(ctx.err(
                Some(span),
                &field("gps"),
                format!("a {} has no GPs of its own: set gps = 0", s.kind.as_str()),
            ));
        }
        if s.capacity_per_week.get() <= 0.0 {
            return Err(ctx.err(
                Some(span),
                &field("capacity_per_week"),
                format!(
                    "a {} must accept some tasks: set capacity_per_week above 0",
                    s.kind.as_str()
                ),
            ));
        }
        if members > 0 {
            return Err(ctx.err(
                Some(span),
                &field("psychologists"),
                format!("a {} takes referrals as a whole through capacity_per_week: set psychologists, social_workers and nurses to 0", s.kind.as_str()),
            ));
        }
    } else {
        if s.gps == 0 {
            return Err(ctx.err(
                Some(span),
                &field("gps"),
                format!("a {} needs at least one GP", s.kind.as_str()),
            ));
        }
        if s.kind == StructureKind::Solo && s.gps != 1 {
            return Err(ctx.err(
                Some(span),
                &field("gps"),
                "a solo practice has exactly one GP".into(),
            ));
        }
        if s.capacity_per_week.get() > 0.0 || s.reach_minutes.get() > 0.0 {
            return Err(ctx.err(
                Some(span),
                &field("capacity_per_week"),
                "capacity_per_week and reach_minutes are for dac, hospital and social_services only: remove them".into(),
            ));
        }
    }
    if !s.active && s.kind != StructureKind::Dac {
        return Err(ctx.err(
            Some(span),
            &field("active"),
            "only a dac can start closed (active = false)".into(),
        ));
    }
    Ok(())
}
