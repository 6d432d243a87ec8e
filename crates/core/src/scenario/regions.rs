//! Generated territories: each `[[regions]]` entry expands, during validation, into ordinary
//! zones and structures appended after the listed ones, so the engine sees no difference.
//!
//! Generation draws from its own ChaCha8 streams keyed by the region's `layout_seed` and
//! index ([`Purpose::Layout`]), never from the run seed: replicates share one territory.

mod lognormal;
mod place;

use super::raw::{RawRegion, RawScenario, RawStructure, RawZone, Rurality};
use super::units::{Real, Share};
use crate::rng::{normal, stream, Purpose};
use rand::Rng;
use std::collections::BTreeSet;
use std::ops::Range;

/// Longest region name: generated names add `-<kind>-<k>` and must stay within 80 characters.
pub const MAX_REGION_NAME: usize = 50;

/// A region that cannot be generated: where (the entry's span), which field and why.
#[derive(Debug)]
pub(super) struct RegionError {
    pub span: Range<usize>,
    pub field: String,
    pub message: String,
}

/// Zones and structures generated from every region, in region order, with the span of
/// the region entry each comes from (errors about them point there).
#[derive(Debug, Default)]
pub(super) struct Generated {
    pub zones: Vec<(Range<usize>, RawZone)>,
    pub structures: Vec<(Range<usize>, RawStructure)>,
}

/// Expands every region of `raw`; `max_zones` bounds the zones of the whole scenario.
pub(super) fn expand(raw: &RawScenario, max_zones: usize) -> Result<Generated, RegionError> {
    let mut out = Generated::default();
    let mut region_names = BTreeSet::new();
    let listed_zones: BTreeSet<&str> = raw
        .zones
        .iter()
        .map(|z| z.get_ref().name.as_str())
        .collect();
    let listed_structures: BTreeSet<&str> = raw
        .structures
        .iter()
        .map(|s| s.get_ref().name.as_str())
        .collect();
    let mut total_zones = raw.zones.len() as u64;
    for (index, spanned) in raw.regions.iter().enumerate() {
        let span = spanned.span();
        let r = spanned.get_ref();
        let fail = |field: &str, message: String| RegionError {
            span: span.clone(),
            field: format!("regions.{}.{field}", r.name),
            message,
        };
        check(r, &fail)?;
        if !region_names.insert(r.name.as_str()) {
            return Err(fail(
                "name",
                format!("region {:?} is defined twice: names must be unique", r.name),
            ));
        }
        total_zones += u64::from(r.zones);
        if total_zones > max_zones as u64 {
            return Err(fail(
                "zones",
                format!("the scenario would have {total_zones} zones: at most {max_zones} in all"),
            ));
        }
        let zones = zones(r, index as u32);
        let structures =
            place::structures(raw, r, index as u32, &zones).map_err(|(f, m)| fail(f, m))?;
        for z in &zones {
            if listed_zones.contains(z.name.as_str()) {
                return Err(fail("name", format!("region {:?} generates zone {:?}, which a [[zones]] entry already names: rename the region or that zone", r.name, z.name)));
            }
        }
        for s in &structures {
            if listed_structures.contains(s.name.as_str()) {
                return Err(fail("name", format!("region {:?} generates structure {:?}, which a [[structures]] entry already names: rename the region or that structure", r.name, s.name)));
            }
        }
        out.zones
            .extend(zones.into_iter().map(|z| (span.clone(), z)));
        out.structures
            .extend(structures.into_iter().map(|s| (span.clone(), s)));
    }
    Ok(out)
}

fn check(r: &RawRegion, fail: &dyn Fn(&str, String) -> RegionError) -> Result<(), RegionError> {
    let valid_name = !r.name.is_empty()
        && r.name.len() <= MAX_REGION_NAME
        && r.name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid_name {
        return Err(fail("name", format!("{:?} is not a valid region name: use 1 to {MAX_REGION_NAME} letters, digits, `_` or `-`", r.name)));
    }
    if r.zones == 0 && r.population > 0 {
        return Err(fail(
            "zones",
            format!(
                "{} residents in no zone: set zones to 1 or more",
                r.population
            ),
        ));
    }
    let shares = r.urban_share.get() + r.periurban_share.get();
    if shares > 1.0 + 1e-9 {
        return Err(fail("periurban_share", format!("urban_share + periurban_share = {shares}: they must add up to at most 1 (the rest is rural)")));
    }
    if r.msp_gps_min == 0 || r.msp_gps_min > r.msp_gps_max {
        return Err(fail(
            "msp_gps_min",
            format!(
                "msp_gps_min = {} and msp_gps_max = {}: use 1 <= msp_gps_min <= msp_gps_max",
                r.msp_gps_min, r.msp_gps_max
            ),
        ));
    }
    if r.health_centres > 0 && r.health_centre_gps == 0 {
        return Err(fail(
            "health_centre_gps",
            "a health centre needs at least one GP: set health_centre_gps to 1 or more".into(),
        ));
    }
    for (field, count, cap_field, cap) in [
        (
            "dacs",
            r.dacs,
            "dac_capacity_per_100k",
            r.dac_capacity_per_100k,
        ),
        (
            "hospitals",
            r.hospitals,
            "hospital_capacity_per_100k",
            r.hospital_capacity_per_100k,
        ),
        (
            "social_services",
            r.social_services,
            "social_capacity_per_100k",
            r.social_capacity_per_100k,
        ),
    ] {
        if count > r.zones {
            return Err(fail(
                field,
                format!("{count} {field} in {} zones: at most one per zone", r.zones),
            ));
        }
        if count > 0 && cap.get() <= 0.0 {
            return Err(fail(
                cap_field,
                format!("{field} must accept some tasks: set {cap_field} above 0"),
            ));
        }
    }
    Ok(())
}

/// The region's zones, most populous first: sizes, rurality, deprivation and places.
fn zones(r: &RawRegion, index: u32) -> Vec<RawZone> {
    let n = r.zones as usize;
    let mut rng = stream(r.layout_seed, Purpose::Layout, index, 0);
    let weights = lognormal::stratified_weights(n, r.population_spread.get());
    let mut populations = split(r.population, &weights);
    populations.sort_by(|a, b| b.cmp(a));
    let urban = ((r.urban_share.get() * n as f64).round() as usize).min(n);
    let periurban = ((r.periurban_share.get() * n as f64).round() as usize).min(n - urban);
    populations
        .into_iter()
        .enumerate()
        .map(|(k, population)| {
            let rurality = if k < urban {
                Rurality::Urban
            } else if k < urban + periurban {
                Rurality::Periurban
            } else {
                Rurality::Rural
            };
            let deprivation = (r.deprivation_mean.get()
                + r.deprivation_sd.get() * normal(&mut rng))
            .clamp(0.0, 1.0);
            // Equal-area rings by rank: the k-th most populous zone lies at sqrt(k/n) of the radius.
            let distance = r.radius_km.get() * ((k as f64 + rng.random::<f64>()) / n as f64).sqrt();
            let angle = std::f64::consts::TAU * rng.random::<f64>();
            RawZone {
                name: format!("{}-{}", r.name, k + 1),
                population,
                rurality,
                deprivation: Share(round_to(deprivation, 1000.0)),
                x_km: Real(round_to(r.x_km.get() + distance * angle.cos(), 100.0)),
                y_km: Real(round_to(r.y_km.get() + distance * angle.sin(), 100.0)),
            }
        })
        .collect()
}

/// Splits `total` in proportion to `weights` so that the parts add up to `total` exactly
/// (largest remainders get the units left over; ties go to the earlier part).
pub fn split(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut parts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let given: u64 = parts.iter().sum();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let mut left = total.saturating_sub(given);
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    // Float rounding can overshoot by a unit or two: take it back from the largest parts.
    let mut over = parts.iter().sum::<u64>().saturating_sub(total);
    while over > 0 {
        if let Some(max) = parts.iter_mut().max() {
            *max -= 1;
        }
        over -= 1;
    }
    parts
}

fn round_to(v: f64, per_unit: f64) -> f64 {
    (v * per_unit).round() / per_unit
}

#[cfg(test)]
mod tests {
    use super::{split, RawRegion};
    use crate::Scenario;

    #[test]
    fn split_adds_up_exactly_and_follows_the_weights() {
        assert_eq!(split(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(split(7, &[0.0, 2.0]), vec![0, 7]);
        assert_eq!(split(5, &[]), Vec::<u64>::new());
        let parts = split(67_717_000, &[0.3, 1e-9, 2.5, 7.1]);
        assert_eq!(parts.iter().sum::<u64>(), 67_717_000);
    }

    #[test]
    fn model_doc_lists_every_region_field() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/MODEL.md");
        let doc = std::fs::read_to_string(path).expect("docs/MODEL.md");
        for (field, _) in RawRegion::DOCS {
            assert!(
                doc.contains(&format!("`regions.{field}`")),
                "docs/MODEL.md lacks regions.{field}"
            );
        }
    }

    #[test]
    fn a_shown_region_carries_every_field_with_its_documentation() {
        let s = Scenario::from_toml_str("name = \"t\"\n[[regions]]\nname = \"r\"\n", "t")
            .expect("valid");
        let shown = s.to_commented_toml();
        for (field, doc) in RawRegion::DOCS {
            let first: String = doc.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
            assert!(shown.contains(&first), "no doc of regions.{field} shown");
            assert!(
                shown.contains(&format!("\n{field} = ")),
                "regions.{field} not shown"
            );
        }
    }
}
