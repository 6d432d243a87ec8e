//! Invariants of the world, checked after every week in debug builds: every count the engine
//! keeps incrementally equals a recount, capacities hold, ties and shares stay within 0..1,
//! and structure membership agrees with each member's own record.

use super::counters::Counters;
use crate::model::{Patients, World, NONE16};
use crate::scenario::Params;

/// What is wrong with the world, if anything (the first broken invariant found).
pub fn check(world: &World, p: &Params) -> Result<(), String> {
    let threshold = p.population.complex_threshold;
    for (z, cell) in world.cells.iter().enumerate() {
        let pts = &cell.patients;
        let n = pts.len();
        if [
            pts.gp.len(),
            pts.profile.len(),
            pts.wait.len(),
            pts.follow.len(),
        ]
        .iter()
        .any(|&l| l != n)
        {
            return Err(format!("zone {z}: patient arrays of different lengths"));
        }
        let waiting = (0..n).filter(|&i| pts.waited(i) > 0).count() as u64;
        let held = (0..n).filter(|&i| pts.held(i)).count() as u64;
        let without = pts.gp.iter().filter(|&&g| g == NONE16).count() as u64;
        let complex = pts
            .profile
            .iter()
            .filter(|f| f.count_ones() >= threshold)
            .count() as u64;
        let multi = (0..n)
            .filter(|&i| pts.profile[i].count_ones() >= threshold && Patients::multi(pts.follow[i]))
            .count() as u64;
        for (name, kept, counted) in [
            ("waiting", cell.waiting, waiting),
            ("held_pathways", cell.held_pathways, held),
            ("without_gp", cell.without_gp, without),
            ("complex_total", cell.complex_total, complex),
            ("complex_multi", cell.complex_multi, multi),
        ] {
            if kept != counted {
                return Err(format!(
                    "zone {z}: {name} kept as {kept} but {counted} patients"
                ));
            }
        }
        let mut lists = vec![0u32; cell.gps.len()];
        for &g in &pts.gp {
            if g != NONE16 {
                let Some(slot) = lists.get_mut(g as usize) else {
                    return Err(format!("zone {z}: a patient's GP {g} does not exist"));
                };
                *slot += 1;
            }
        }
        for (g, gp) in cell.gps.iter().enumerate() {
            if gp.list_size != lists[g] {
                return Err(format!(
                    "zone {z}: GP {g} lists {} patients but {} name it",
                    gp.list_size, lists[g]
                ));
            }
            if !gp.active && lists[g] > 0 {
                return Err(format!("zone {z}: retired GP {g} still has patients"));
            }
            if gp.used > gp.capacity + 1e-3 {
                return Err(format!(
                    "zone {z}: GP {g} worked {} for a capacity of {}",
                    gp.used, gp.capacity
                ));
            }
            if !(0.0..=1.0).contains(&gp.control)
                || gp.ties.windows(2).any(|w| w[0].prof >= w[1].prof)
            {
                return Err(format!(
                    "zone {z}: GP {g} has control out of 0..1 or unsorted ties"
                ));
            }
            if gp.ties.iter().any(|t| !(0.0..=1.0).contains(&t.trust)) {
                return Err(format!("zone {z}: GP {g} has a trust out of 0..1"));
            }
            let s = &world.structures[gp.structure.idx()];
            if gp.active
                && !s
                    .gps
                    .iter()
                    .any(|r| r.zone as usize == z && r.idx as usize == g)
            {
                return Err(format!(
                    "zone {z}: GP {g} is not among the members of {}",
                    s.name
                ));
            }
        }
        if cell.releases.len() != cell.profs.len() {
            return Err(format!(
                "zone {z}: {} rings of releases for {} professionals",
                cell.releases.len(),
                cell.profs.len()
            ));
        }
        for (i, (pr, releases)) in cell.profs.iter().zip(&cell.releases).enumerate() {
            let pending: u32 = releases.iter().map(|&r| u32::from(r)).sum();
            if pr.active_cases > pr.caseload || u32::from(pr.active_cases) != pending {
                return Err(format!(
                    "zone {z}: professional {i} carries {} of {} with {pending} pending",
                    pr.active_cases, pr.caseload
                ));
            }
            if !(0.0..=1.0).contains(&pr.satisfaction) {
                return Err(format!(
                    "zone {z}: professional {i} satisfaction {}",
                    pr.satisfaction
                ));
            }
        }
    }
    for s in &world.structures {
        if s.gps.iter().any(|g| {
            world.cells[g.zone as usize].gps[g.idx as usize]
                .structure
                .idx()
                >= world.structures.len()
        }) {
            return Err(format!("{}: a member GP points nowhere", s.name));
        }
        if !(0.0..=1.0).contains(&s.legitimacy) {
            return Err(format!("{}: legitimacy {}", s.name, s.legitimacy));
        }
        let cell = &world.cells[s.zone as usize];
        if s.profs.iter().any(|&i| {
            cell.profs
                .get(i as usize)
                .and_then(|p| p.structure)
                .map(|x| &world.structures[x.idx()].name)
                != Some(&s.name)
        }) {
            return Err(format!(
                "{}: a member professional does not record it",
                s.name
            ));
        }
    }
    if world.org.iter().any(|(_, _, t)| !(0.0..=1.0).contains(&t)) {
        return Err("an inter-organisational tie is out of 0..1".into());
    }
    Ok(())
}

/// Every task of the week ended exactly once: done alone, delegated inside, accepted outside
/// or by a platform, dropped, or refused; and each is either a need met or a need unmet,
/// the unmet being exactly the dropped, the refused and the done whose outcome failed.
pub fn check_flows(c: &Counters) -> Result<(), String> {
    let ended = c.alone + c.inside + c.outside + c.platform + c.dropped + c.refused;
    if ended != c.tasks {
        return Err(format!(
            "{} tasks but {ended} ended (alone, inside, outside, platform, dropped, refused)",
            c.tasks
        ));
    }
    if c.met + c.unmet != c.tasks {
        return Err(format!(
            "{} tasks but {} met and {} unmet",
            c.tasks, c.met, c.unmet
        ));
    }
    if c.dropped + c.refused + c.failed != c.unmet
        || c.failed_alone > c.failed
        || c.failed_alone > c.alone
    {
        return Err(format!(
            "{} unmet needs but {} dropped, {} refused and {} failed ({} of them alone, of {} alone)",
            c.unmet, c.dropped, c.refused, c.failed, c.failed_alone, c.alone
        ));
    }
    if c.friction > c.prof_delegations
        || c.platform_ad_hoc + c.platform_pathway + c.platform_followups != c.platform
    {
        return Err(
            "friction beyond delegations, or platform tasks neither ad hoc, pathway nor follow-up"
                .into(),
        );
    }
    for (k, f) in c.by_kind.iter().enumerate() {
        if f.to_independents + f.to_organisations != f.referred {
            return Err(format!(
                "structure kind {k}: {} referrals accepted but {} by independents and {} by organisations",
                f.referred, f.to_independents, f.to_organisations
            ));
        }
    }
    Ok(())
}
