//! Phase 2 ([`super::Phase::Prepare`]): the week's bookkeeping before the consultations.
//! Ended follow-ups are released, GP time is reset, GP lists and coordinators' case budgets
//! open, referral services' believed use moves toward last week's, and the referral
//! directory is taken; each patient's follow window moves on a half-year in turn
//! ([`rotate_follow`], run by each zone just before its consultations). Each zone's function
//! touches that zone only.

use super::counters::kind_index;
use super::directory::Directory;
use super::parallel::ZONES_PER_JOB;
use crate::model::{profile, CoordWeek, Patients, Structure, World, ZoneCell};
use crate::scenario::Params;
use rayon::prelude::*;

/// Weeks between rotations of a patient's follow window (a patient counts as followed by a
/// profession seen in the last 26 to 52 weeks). Patients rotate in turn, one in 26 each
/// week, so the population share moves smoothly.
pub const FOLLOW_HALF_WINDOW: u32 = 26;

/// The start of the week everywhere: each zone in parallel, then the referral services'
/// weeks closed in structure order; returns the week's referral directory.
pub fn prepare(world: &mut World, p: &Params, week: u32) -> Directory {
    {
        let World {
            cells, structures, ..
        } = &mut *world;
        let structures = &*structures;
        cells
            .par_iter_mut()
            .with_max_len(ZONES_PER_JOB)
            .for_each(|c| prepare_zone(c, structures, p, week));
        let memory = p.delegation.availability_memory.get() as f32;
        for s in world.structures.iter_mut() {
            s.close_week(memory);
        }
    }
    Directory::build(world)
}

/// Start of the week in one zone.
pub fn prepare_zone(cell: &mut ZoneCell, structures: &[Structure], p: &Params, week: u32) {
    for (prof, releases) in cell.profs.iter_mut().zip(cell.releases.iter_mut()) {
        prof.release(releases, week);
    }
    cell.open_gps.clear();
    cell.gp_kind.clear();
    for (g, gp) in cell.gps.iter_mut().enumerate() {
        gp.remember_week();
        cell.gp_kind
            .push(kind_index(structures[gp.structure.idx()].kind) as u8);
        if gp.takes_new_patients(p) {
            cell.open_gps.push(g as u16);
        }
    }
    let c = &p.coordination;
    let case_slots_per_fte = c.hours_per_fte.get() * c.case_share.get() / c.hours_per_case.get();
    for (k, sid) in cell.structures.iter().enumerate() {
        let s = &structures[sid.idx()];
        let slots = if s.active {
            f64::from(s.coordinator_fte) * case_slots_per_fte
        } else {
            0.0
        };
        cell.coord[k] = CoordWeek {
            case_slots: slots as f32,
            cases: 0,
        };
    }
}

/// Starts a new half-year of the follow window for one patient in 26 (those whose index is
/// the week modulo 26), keeping the count of complex patients followed by two or more
/// professions exact.
///
/// Part of preparing the week, but run by each zone just before its consultations, so that
/// the patients' arrays come into the cache once for both (nothing in between reads them).
/// `complex` tells each profile's complexity (`Tables::complex`: counting a profile's needs
/// here cost about 12 instructions a patient, the processors pluri is built for having no
/// instruction for it).
pub fn rotate_follow(cell: &mut ZoneCell, complex: &[bool; profile::COUNT], week: u32) {
    let pts = &mut cell.patients;
    let offset = (week % FOLLOW_HALF_WINDOW) as usize;
    let mut lost = 0u64;
    for i in (offset..pts.len()).step_by(FOLLOW_HALF_WINDOW as usize) {
        let old = pts.follow[i];
        let new = (old & 0x0F) << 4;
        pts.follow[i] = new;
        // Without a branch (its outcome is as good as random).
        lost += u64::from(
            complex[usize::from(pts.profile[i])] & Patients::multi(old) & !Patients::multi(new),
        );
    }
    cell.complex_multi -= lost;
}
