//! Where a region's generated structures stand and what they hold.
//!
//! Practices (MSPs, health centres, MSMAs) go to zones drawn in proportion to population
//! among zones with GPs to spare; referral services (DACs, hospitals, social services) are
//! spread out from the most populous zone and serve the zones nearest to them.

use crate::rng::{stream, Purpose};
use crate::scenario::raw::{
    RawRegion, RawScenario, RawStructure, RawZone, Rurality, StructureKind,
};
use crate::scenario::units::NonNeg;
use rand::Rng;
use toml::Spanned;

/// A field and a message, for the caller to place.
type Failure = (&'static str, String);

/// GPs the zone should have from the density parameters; the same rule as the world
/// builder's `gp_target`, so generated practices never take more GPs than the zone holds.
fn gp_slots(raw: &RawScenario, zone: &RawZone) -> u32 {
    let w = &raw.workforce;
    let factor = match zone.rurality {
        Rurality::Urban => w.urban_gp_factor.get(),
        Rurality::Periurban => w.periurban_gp_factor.get(),
        Rurality::Rural => w.rural_gp_factor.get(),
    };
    (zone.population as f64 * w.gps_per_100k.get() * factor / 1e5).round() as u32
}

fn blank(name: String, kind: StructureKind, zone: &RawZone) -> RawStructure {
    RawStructure {
        name,
        kind,
        zone: Spanned::new(0..0, zone.name.clone()),
        gps: 0,
        psychologists: 0,
        social_workers: 0,
        nurses: 0,
        coordinator_fte: NonNeg(0.0),
        coordinator_trained: false,
        shared_info_system: false,
        protocols: 0,
        age_years: NonNeg(0.0),
        active: true,
        capacity_per_week: NonNeg(0.0),
        reach_minutes: NonNeg(0.0),
    }
}

/// Every structure of region `r` (number `index`) over its generated `zones`.
pub(super) fn structures(
    raw: &RawScenario,
    r: &RawRegion,
    index: u32,
    zones: &[RawZone],
) -> Result<Vec<RawStructure>, Failure> {
    let mut out = practices(raw, r, index, zones)?;
    for (kind, count, per_100k) in [
        (StructureKind::Dac, r.dacs, r.dac_capacity_per_100k.get()),
        (
            StructureKind::Hospital,
            r.hospitals,
            r.hospital_capacity_per_100k.get(),
        ),
        (
            StructureKind::SocialServices,
            r.social_services,
            r.social_capacity_per_100k.get(),
        ),
    ] {
        out.extend(services(raw, r, zones, kind, count, per_100k));
    }
    Ok(out)
}

fn practices(
    raw: &RawScenario,
    r: &RawRegion,
    index: u32,
    zones: &[RawZone],
) -> Result<Vec<RawStructure>, Failure> {
    let mut slots: Vec<u32> = zones.iter().map(|z| gp_slots(raw, z)).collect();
    let total_slots: u64 = slots.iter().map(|&s| u64::from(s)).sum();
    let mut place_rng = stream(r.layout_seed, Purpose::Layout, index, 1);
    let mut make_rng = stream(r.layout_seed, Purpose::Layout, index, 2);
    let mut out = Vec::new();
    let kinds = [
        (
            StructureKind::Msp,
            r.msps,
            r.msp_gps_min,
            "msps",
            "msp_gps_min",
        ),
        (
            StructureKind::HealthCentre,
            r.health_centres,
            r.health_centre_gps,
            "health_centres",
            "health_centre_gps",
        ),
        (StructureKind::Msma, r.msmas, 3, "msmas", "msmas"),
    ];
    for (kind, count, min_gps, field, min_field) in kinds {
        let spare: u64 = slots.iter().map(|&s| u64::from(s)).sum();
        if u64::from(count) * u64::from(min_gps) > spare {
            return Err((field, format!(
                "region {:?} cannot take {count} {field} of at least {min_gps} GPs: its zones have only {spare} GPs to spare (a zone gives at most its GP density target, workforce.gps_per_100k times its rurality factor; {total_slots} GPs in the region): lower {field} or {min_field}, or raise population",
                r.name
            )));
        }
        for k in 0..count {
            let total: f64 = zones
                .iter()
                .zip(&slots)
                .filter(|(_, &s)| s >= min_gps)
                .map(|(z, _)| z.population as f64)
                .sum();
            if total <= 0.0 {
                return Err((field, format!(
                    "region {:?} cannot take {count} {field}: after {k}, no zone has {min_gps} GPs to spare. A zone gives at most its GP density target (workforce.gps_per_100k times its rurality factor; {total_slots} GPs in the region): lower {field} or {min_field}, or raise population",
                    r.name
                )));
            }
            let mut u = place_rng.random::<f64>() * total;
            let mut zone = 0;
            for (i, (z, &s)) in zones.iter().zip(&slots).enumerate() {
                if s >= min_gps {
                    zone = i;
                    u -= z.population as f64;
                    if u < 0.0 {
                        break;
                    }
                }
            }
            slots[zone] -= min_gps;
            let mut s = blank(
                format!("{}-{}-{}", r.name, kind.as_str(), k + 1),
                kind,
                &zones[zone],
            );
            s.gps = min_gps;
            out.push((zone, s));
        }
    }
    // Grow MSPs toward their drawn size with the GPs their zone still has, then give every
    // practice its make-up.
    for (z, s) in &mut out {
        let z = *z;
        match s.kind {
            StructureKind::Msp => {
                let wanted = make_rng.random_range(r.msp_gps_min..=r.msp_gps_max);
                let extra = (wanted - s.gps).min(slots[z]);
                slots[z] -= extra;
                s.gps += extra;
                s.nurses = (f64::from(s.gps) * r.msp_nurses_per_gp.get()).round() as u32;
                s.psychologists =
                    u32::from(make_rng.random::<f64>() < r.msp_psychologist_share.get());
                if make_rng.random::<f64>() < r.msp_coordinator_share.get() {
                    s.coordinator_fte = r.msp_coordinator_fte;
                    s.coordinator_trained = make_rng.random::<f64>() < r.msp_trained_share.get();
                }
                s.shared_info_system = make_rng.random::<f64>() < r.msp_info_system_share.get();
            }
            StructureKind::HealthCentre => {
                s.nurses = (f64::from(s.gps) * r.msp_nurses_per_gp.get()).round() as u32;
                s.social_workers = 1;
                s.coordinator_fte = NonNeg(0.5);
                s.shared_info_system = true;
            }
            _ => {
                s.psychologists = 1;
                s.social_workers = 1;
                s.coordinator_fte = NonNeg(0.3);
            }
        }
        let age = make_rng.random::<f64>() * r.msp_age_max_years.get();
        s.age_years = NonNeg((age * 10.0).round() / 10.0);
    }
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

fn km(a: &RawZone, b: &RawZone) -> f64 {
    (a.x_km.get() - b.x_km.get()).hypot(a.y_km.get() - b.y_km.get())
}

/// `count` referral services of `kind`: the most populous zone first, then each time the
/// zone with the largest population times distance to the nearest one already placed.
fn services(
    raw: &RawScenario,
    r: &RawRegion,
    zones: &[RawZone],
    kind: StructureKind,
    count: u32,
    per_100k: f64,
) -> Vec<RawStructure> {
    let mut chosen: Vec<usize> = Vec::new();
    let mut nearest = vec![f64::INFINITY; zones.len()];
    for _ in 0..count {
        let score = |i: usize| {
            let d = if nearest[i].is_finite() {
                nearest[i]
            } else {
                1.0
            };
            zones[i].population as f64 * d
        };
        let best = (0..zones.len()).filter(|i| !chosen.contains(i)).fold(
            None,
            |best: Option<usize>, i| match best {
                Some(b) if score(b) >= score(i) => Some(b),
                _ => Some(i),
            },
        );
        let Some(best) = best else { break };
        chosen.push(best);
        for (i, z) in zones.iter().enumerate() {
            nearest[i] = nearest[i].min(km(z, &zones[best]));
        }
    }
    // Each zone is served by the nearest chosen one (ties: the first placed).
    let mut served = vec![(0u64, 0.0f64); chosen.len()];
    for z in zones {
        let home = (0..chosen.len()).fold(0, |b, c| {
            if km(z, &zones[chosen[c]]) < km(z, &zones[chosen[b]]) {
                c
            } else {
                b
            }
        });
        if let Some(slot) = served.get_mut(home) {
            slot.0 += z.population;
            slot.1 = slot.1.max(km(z, &zones[chosen[home]]));
        }
    }
    let t = &raw.territory;
    chosen
        .iter()
        .zip(served)
        .enumerate()
        .map(|(k, (&zone, (population, far_km)))| {
            let mut s = blank(
                format!("{}-{}-{}", r.name, kind.as_str(), k + 1),
                kind,
                &zones[zone],
            );
            let capacity = (per_100k * population as f64 / 1e5 * 10.0).round() / 10.0;
            s.capacity_per_week = NonNeg(capacity.max(0.1));
            let minutes = (far_km / t.road_speed_kmh.get() * 60.0).ceil();
            s.reach_minutes = NonNeg(minutes.max(t.max_link_minutes.get().ceil()));
            s
        })
        .collect()
}
