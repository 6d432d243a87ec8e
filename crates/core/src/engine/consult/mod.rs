//! Phase 3 ([`super::Phase::Consult`]) inside one zone: demand (due patients found in memory
//! order), consultations up to GP capacity, the tasks they reveal, and the GP's choice for
//! each task ([`choice`]).
//!
//! Everything here touches only its own zone cell, with its own random stream; what crosses
//! zones (referrals outside the GP's structure, patients looking for a GP elsewhere) goes to
//! the zone's [`ZoneOut`] and is applied afterwards in zone order (phase 4).

mod choice;
mod logit;
mod work;

use super::tasks::{Job, Task};
use super::zone::{ZoneCtx, ZoneOut};
use crate::model::{follow, profile, Gp, OrgTies, Structure, ZoneCell, NONE16};
use crate::rng::{stream, Purpose};
use rand::Rng;
use work::ZoneWork;

/// Runs the consultations of zone `z` for the week.
pub fn consult_zone(z: usize, cell: &mut ZoneCell, ctx: &ZoneCtx, out: &mut ZoneOut) {
    let n = cell.patients.len();
    if n == 0 {
        return;
    }
    let mut rng = stream(ctx.seed, Purpose::Consult, z as u32, ctx.week);
    // A random starting point each week: no patient is always last in the queue.
    let start = rng.random_range(0..n);
    let week = ctx.week as u16;
    out.dir_trust.reset(cell.gps.len());
    crate::model::prefetch_ties(&cell.gps);
    prefetch_structures(&cell.gps, ctx.structures, ctx.org);
    let mut work = ZoneWork::new(z, cell, ctx, out, rng);
    scan(&mut work, start, n, week);
    scan(&mut work, 0, start, week);
}

/// Reads each GP's structure and the structure's organisational ties ahead of the GPs'
/// choices, in a loop whose reads do not wait for one another, so that the choices find them
/// in the cache (as [`crate::model::prefetch_lines`] does for the GPs' ties). Changes nothing.
fn prefetch_structures(gps: &[Gp], structures: &[Structure], org: &OrgTies) {
    let mut x = 0u32;
    for gp in gps {
        let sid = gp.structure;
        x ^= structures.get(sid.idx()).map_or(0, |s| u32::from(s.slot));
        x ^= org.prefetch(sid);
    }
    std::hint::black_box(x);
}

/// Patients tested at once for being due: one vector comparison gives the mask of those due in
/// the block (about 5 of 64, as about 8% of patients have an episode in a week), and only they
/// are visited, without a branch per patient.
pub(crate) const SCAN_BLOCK: usize = 64;

/// Handles, in memory order, the patients in `lo..hi` whose episode falls this week.
///
/// A block's mask is taken before its episodes run: an episode only moves its own
/// patient's next week, and never to this week, so the mask stays true.
fn scan(w: &mut ZoneWork<'_, '_>, lo: usize, hi: usize, week: u16) {
    let mut i = lo;
    while i < hi {
        let end = (i + SCAN_BLOCK).min(hi);
        let mut due = due_mask(&w.cell.patients.next[i..end], week);
        while due != 0 {
            let k = i + due.trailing_zeros() as usize;
            due &= due - 1;
            episode(w, k);
        }
        i = end;
    }
}

/// Bit j set when `next[j] == week` (at most 64 entries).
#[inline]
pub(crate) fn due_mask(next: &[u16], week: u16) -> u64 {
    match <&[u16; SCAN_BLOCK]>::try_from(next) {
        Ok(block) => due_mask_block(block, week),
        // The last block of a range.
        Err(_) => next
            .iter()
            .enumerate()
            .fold(0, |m, (j, &w)| m | u64::from(w == week) << j),
    }
}

/// [`due_mask`] of a whole block, in a form the compiler turns into vector comparisons
/// packed to bytes (`pcmpeqw`, `packsswb`): each byte is all ones where the patient is due,
/// and the bytes' top bits are gathered eight at a time by a multiplication (no two of its
/// partial products meet, so nothing carries). A loop of `mask |= due << j` compiled to
/// about 35 instructions of shuffles and scalar comparisons per 16 patients; this is
/// about 80 per 64 (`docs/PERFORMANCE.md`).
#[inline]
fn due_mask_block(next: &[u16; SCAN_BLOCK], week: u16) -> u64 {
    const TOP_BITS: u64 = 0x8080_8080_8080_8080;
    // Moves bit 8k + 7 to bit 56 + k, for k in 0..8.
    const GATHER: u64 = 0x0002_0408_1020_4081;
    let mut bytes = [0u8; SCAN_BLOCK];
    for (b, &w) in bytes.iter_mut().zip(next) {
        *b = if w == week { 0xFF } else { 0 };
    }
    let mut mask = 0u64;
    for (k, eight) in bytes.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(eight);
        let top = u64::from_le_bytes(word) & TOP_BITS;
        mask |= (top.wrapping_mul(GATHER) >> 56) << (8 * k);
    }
    mask
}

/// Patient `i`'s episode this week: a consultation by the declared GP (found first for a
/// patient without one, if a GP has room), by a walk-in GP, or none (the patient waits, is
/// cared for elsewhere or forgoes care); then the week of the next episode.
fn episode(w: &mut ZoneWork<'_, '_>, i: usize) {
    let p = w.ctx.p;
    let f = w.cell.patients.profile[i];
    let complex = w.ctx.tables.complex[f as usize];
    if w.cell.patients.waited(i) == 0 {
        w.out.counters.episodes += 1;
    }
    let mut g = w.cell.patients.gp[i];
    if g == NONE16 {
        g = attach(w, i);
    }
    if g != NONE16 {
        let own = &w.cell.gps[g as usize];
        let by = if own.used + 1.0 <= own.capacity {
            Some(g as usize)
        } else {
            colleague_with_time(w, g as usize)
        };
        if let Some(by) = by {
            w.cell.gps[by].used += 1.0;
            w.out.counters.waited_weeks += u64::from(w.cell.patients.waited(i));
            stop_waiting(w, i);
            if by == g as usize {
                w.out.counters.consultations += 1;
            } else {
                w.out.counters.covered += 1;
            }
            consult(w, i, by, f, complex);
        } else {
            let waited = w.cell.patients.waited(i);
            if u32::from(waited) < p.outcomes.max_wait_weeks {
                if waited == 0 {
                    w.cell.waiting += 1;
                }
                w.cell.patients.set_waited(i, waited + 1);
                w.cell.patients.next[i] = w.ctx.week as u16 + 1;
                return;
            }
            stop_waiting(w, i);
            elsewhere_or_forgo(w, complex);
        }
    } else if let Some(walk_in) = walk_in_gp(w) {
        w.cell.gps[walk_in].used += 1.0;
        w.out.counters.walk_in += 1;
        consult(w, i, walk_in, f, complex);
    } else {
        elsewhere_or_forgo(w, complex);
    }
    let d = w.ctx.tables.delays.draw(f, &mut w.rng);
    let next = w.ctx.week.saturating_add(d);
    w.cell.patients.next[i] = if next >= u32::from(NONE16) {
        NONE16
    } else {
        next as u16
    };
}

/// When GP `g` is fully booked, a colleague of its practice who sees its patient (with
/// probability `workforce.colleague_cover`): the one with the most time left this week (the
/// first of them in the practice's order), if any has a consultation's time.
fn colleague_with_time(w: &mut ZoneWork<'_, '_>, g: usize) -> Option<usize> {
    let s = &w.ctx.structures[w.cell.gps[g].structure.idx()];
    if s.gps.len() < 2 || !w.coin(w.ctx.p.workforce.colleague_cover.get()) {
        return None;
    }
    let gps = &w.cell.gps;
    let mut best: Option<(usize, f32)> = None;
    for r in &s.gps {
        let c = usize::from(r.idx);
        let spare = gps[c].capacity - gps[c].used;
        if usize::from(r.zone) == w.z
            && c != g
            && spare >= 1.0
            && best.is_none_or(|(_, b)| spare > b)
        {
            best = Some((c, spare));
        }
    }
    best.map(|(c, _)| c)
}

/// Patient `i` is no longer waiting.
fn stop_waiting(w: &mut ZoneWork<'_, '_>, i: usize) {
    if w.cell.patients.waited(i) > 0 {
        w.cell.patients.set_waited(i, 0);
        w.cell.waiting -= 1;
    }
}

/// A patient without a declared GP may ask the zone's GPs with room; if none has room,
/// may look in a linked zone (applied later).
fn attach(w: &mut ZoneWork<'_, '_>, i: usize) -> u16 {
    if !w.coin(w.ctx.p.population.declare_prob.get()) {
        return NONE16;
    }
    if w.cell.open_gps.is_empty() {
        let seek = w.ctx.p.outcomes.seek_elsewhere_prob.get();
        if let Some(l) = w.ctx.links[w.z].first() {
            if w.coin(seek * f64::from(l.attraction)) {
                w.out.movers.push(i as u32);
            }
        }
        return NONE16;
    }
    let k = w.rng.random_range(0..w.cell.open_gps.len());
    let g = w.cell.open_gps[k];
    let gp = &mut w.cell.gps[g as usize];
    gp.list_size += 1;
    if gp.list_size >= w.ctx.p.workforce.gp_list_max {
        w.cell.open_gps.swap_remove(k);
    }
    w.cell.patients.gp[i] = g;
    w.cell.without_gp -= 1;
    g
}

/// A GP of the zone with time left for a walk-in patient, asked in turn.
fn walk_in_gp(w: &mut ZoneWork<'_, '_>) -> Option<usize> {
    let n = w.cell.gps.len();
    if w.walk_full || n == 0 {
        return None;
    }
    for _ in 0..n {
        let g = w.walk_cursor;
        w.walk_cursor = (w.walk_cursor + 1) % n;
        let gp = &w.cell.gps[g];
        if gp.used + 1.0 <= gp.capacity {
            return Some(g);
        }
    }
    w.walk_full = true;
    None
}

/// An episode without a consultation: cared for elsewhere, or forgone.
fn elsewhere_or_forgo(w: &mut ZoneWork<'_, '_>, complex: bool) {
    let p = w.ctx.p;
    let attraction = w.ctx.links[w.z]
        .first()
        .map_or(0.0, |l| f64::from(l.attraction));
    if w.coin(p.outcomes.seek_elsewhere_prob.get() * attraction) {
        w.out.counters.care_elsewhere += 1;
    } else {
        w.out.counters.forgone += 1;
        if complex && w.coin(p.outcomes.avoidable_hosp_per_forgone.get()) {
            w.out.counters.avoidable_hosp += 1;
        }
    }
}

/// A consultation by GP `g` of patient `i` (profile `f`): the follow-up mark, then the
/// task coins the profile calls for, each task weighed as it arises.
///
/// Always inlined into the due scan: as a call from each episode it cost about 37
/// instructions a consultation (`docs/PERFORMANCE.md`).
#[inline(always)]
fn consult(w: &mut ZoneWork<'_, '_>, i: usize, g: usize, f: u8, complex: bool) {
    let t = &w.ctx.p.tasks;
    let kind = usize::from(w.cell.gp_kind[g]);
    w.out.counters.by_kind[kind].consultations += 1;
    w.follow(i, follow::GP, complex);
    let job = move |task, coordinated| Job {
        patient: i,
        gp: g,
        task,
        complex,
        coordinated,
    };
    let mut coordinated = false;
    if complex && w.coin(t.coordination_task_prob.get()) {
        coordinated = choice::choose(w, job(Task::Coordination, false));
    }
    if f & (profile::PSYCH | profile::ADDICTION) != 0 && w.coin(t.psych_task_prob.get()) {
        choice::choose(w, job(Task::Psych, coordinated));
    }
    if f & profile::SOCIAL != 0 && w.coin(t.social_task_prob.get()) {
        choice::choose(w, job(Task::Social, coordinated));
    }
    if f & profile::CHRONIC != 0 && w.coin(t.education_task_prob.get()) {
        choice::choose(w, job(Task::Education, coordinated));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Purpose};
    use rand::Rng;

    #[test]
    fn the_due_mask_marks_exactly_the_patients_due_this_week() {
        let mut rng = stream(3, Purpose::Consult, 0, 0);
        for len in 0..=SCAN_BLOCK {
            for _ in 0..20 {
                // Weeks at both ends of the range and at the sign bit too, and "never".
                let values = [0, 1, 2, 3, 0x7FFF, 0x8000, 0xFFFE, NONE16];
                let week = values[rng.random_range(0..values.len())];
                let next: Vec<u16> = (0..len)
                    .map(|_| values[rng.random_range(0..values.len())])
                    .collect();
                let naive = next
                    .iter()
                    .enumerate()
                    .filter(|(_, &w)| w == week)
                    .fold(0u64, |m, (j, _)| m | 1 << j);
                assert_eq!(due_mask(&next, week), naive, "{next:?} at week {week}");
            }
        }
    }
}
