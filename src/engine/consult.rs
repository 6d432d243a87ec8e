//! Steps 1–5 of the week inside one zone: demand (due patients found in memory order),
//! consultation up to GP capacity, task discovery, and the GP's choice for each task.
//!
//! Everything here touches only its own zone cell, with its own random stream; what crosses
//! zones (referrals outside the GP's structure, patients looking for a GP elsewhere) goes to
//! the zone's [`ZoneOut`] and is applied afterwards in zone order.

use super::counters::{kind_index, Counters};
use super::tasks::{delegate_to_prof, Dest, Referral, Task};
use super::Tables;
use crate::model::{
    follow, profile, Link, OrgTies, ProfRef, Reach, StructId, Structure, ZoneCell, NONE16,
};
use crate::rng::{stream, Purpose};
use crate::scenario::{Params, StructureKind};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A candidate independent professional for referrals from a zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cand {
    /// The professional.
    pub prof: ProfRef,
    /// Travel time (minutes).
    pub minutes: f32,
    /// Free share of caseload at the start of the week.
    pub free: f32,
}

/// For each zone, the few independent psychologists, social workers and nurses with the most
/// room nearby, as known at the start of the week (GPs refer on last week's knowledge).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Per zone: candidates by directory slot (psychologist, social worker, nurse).
    pub zones: Vec<[Vec<Cand>; 3]>,
}

/// Read-only context of a zone's week.
pub struct ZoneCtx<'a> {
    /// Week.
    pub week: u32,
    /// Scenario seed.
    pub seed: u64,
    /// Parameters in force.
    pub p: &'a Params,
    /// Precomputed tables.
    pub tables: &'a Tables,
    /// Structures (read-only during this phase).
    pub structures: &'a [Structure],
    /// Inter-organisational ties (read-only during this phase).
    pub org: &'a OrgTies,
    /// Network links.
    pub links: &'a [Vec<Link>],
    /// Referral services by zone.
    pub services: &'a [Vec<Reach>],
    /// Referral directory.
    pub directory: &'a Directory,
}

/// What a zone's week sends out.
#[derive(Debug, Clone, Default)]
pub struct ZoneOut {
    /// Flows counted.
    pub counters: Counters,
    /// Referrals to apply, in the order made.
    pub referrals: Vec<Referral>,
    /// Patients without a GP who look for one in a linked zone.
    pub movers: Vec<u32>,
}

/// Most options a GP weighs for one task: alone, drop, inside, the directory's candidates,
/// a service and a platform.
const MAX_OPTIONS: usize = 5 + super::upkeep::DIRECTORY_SIZE;

#[derive(Clone, Copy)]
enum Choice {
    Alone,
    Drop,
    InsideProf(u16),
    InsideCoordinator,
    Out(Dest),
    Platform(StructId),
}

struct Zone<'a, 'b> {
    z: usize,
    cell: &'b mut ZoneCell,
    ctx: &'b ZoneCtx<'a>,
    out: &'b mut ZoneOut,
    rng: ChaCha8Rng,
    walk_cursor: usize,
    walk_full: bool,
}

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
    let mut zone = Zone {
        z,
        cell,
        ctx,
        out,
        rng,
        walk_cursor: 0,
        walk_full: false,
    };
    zone.scan(start, n, week);
    zone.scan(0, start, week);
}

/// Patients tested at once for being due: a block with nobody due (most of them, as about 2%
/// of patients have an episode in a week) costs one branch-free pass.
const SCAN_BLOCK: usize = 16;

impl Zone<'_, '_> {
    /// Handles, in memory order, the patients in `lo..hi` whose episode falls this week.
    fn scan(&mut self, lo: usize, hi: usize, week: u16) {
        let mut i = lo;
        while i + SCAN_BLOCK <= hi {
            let block = &self.cell.patients.next[i..i + SCAN_BLOCK];
            if block.iter().fold(false, |any, &w| any | (w == week)) {
                for k in i..i + SCAN_BLOCK {
                    if self.cell.patients.next[k] == week {
                        self.episode(k);
                    }
                }
            }
            i += SCAN_BLOCK;
        }
        for k in i..hi {
            if self.cell.patients.next[k] == week {
                self.episode(k);
            }
        }
    }
}

impl Zone<'_, '_> {
    #[inline]
    fn coin(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    fn episode(&mut self, i: usize) {
        let p = self.ctx.p;
        let f = self.cell.patients.profile[i];
        let complex = self.ctx.tables.complex[f as usize];
        if self.cell.patients.wait[i] == 0 {
            self.out.counters.episodes += 1;
        }
        let mut g = self.cell.patients.gp[i];
        if g == NONE16 {
            g = self.attach(i);
        }
        if g != NONE16 {
            let gp = &mut self.cell.gps[g as usize];
            if gp.used + 1.0 <= gp.capacity {
                gp.used += 1.0;
                self.stop_waiting(i);
                self.out.counters.consultations += 1;
                self.consult(i, g as usize, f, complex);
            } else {
                let w = self.cell.patients.wait[i];
                if u32::from(w) < p.outcomes.max_wait_weeks {
                    if w == 0 {
                        self.cell.waiting += 1;
                    }
                    self.cell.patients.wait[i] = w + 1;
                    self.cell.patients.next[i] = self.ctx.week as u16 + 1;
                    return;
                }
                self.stop_waiting(i);
                self.elsewhere_or_forgo(complex);
            }
        } else if let Some(w) = self.walk_in_gp() {
            self.cell.gps[w].used += 1.0;
            self.out.counters.walk_in += 1;
            self.consult(i, w, f, complex);
        } else {
            self.elsewhere_or_forgo(complex);
        }
        let d = self.ctx.tables.delays.weeks(f, self.rng.random());
        let next = self.ctx.week.saturating_add(d);
        self.cell.patients.next[i] = if next >= u32::from(NONE16) {
            NONE16
        } else {
            next as u16
        };
    }

    fn stop_waiting(&mut self, i: usize) {
        if self.cell.patients.wait[i] > 0 {
            self.cell.patients.wait[i] = 0;
            self.cell.waiting -= 1;
        }
    }

    /// A patient without a declared GP may ask the zone's GPs with room; if none has room,
    /// may look in a linked zone (applied later).
    fn attach(&mut self, i: usize) -> u16 {
        if !self.coin(self.ctx.p.population.declare_prob.get()) {
            return NONE16;
        }
        if self.cell.open_gps.is_empty() {
            let seek = self.ctx.p.outcomes.seek_elsewhere_prob.get();
            if let Some(l) = self.ctx.links[self.z].first() {
                if self.coin(seek * f64::from(l.attraction)) {
                    self.out.movers.push(i as u32);
                }
            }
            return NONE16;
        }
        let k = self.rng.random_range(0..self.cell.open_gps.len());
        let g = self.cell.open_gps[k];
        let gp = &mut self.cell.gps[g as usize];
        gp.list_size += 1;
        if gp.list_size >= self.ctx.p.workforce.gp_list_max {
            self.cell.open_gps.swap_remove(k);
        }
        self.cell.patients.gp[i] = g;
        self.cell.without_gp -= 1;
        g
    }

    fn walk_in_gp(&mut self) -> Option<usize> {
        let n = self.cell.gps.len();
        if self.walk_full || n == 0 {
            return None;
        }
        for _ in 0..n {
            let g = self.walk_cursor;
            self.walk_cursor = (self.walk_cursor + 1) % n;
            let gp = &self.cell.gps[g];
            if gp.used + 1.0 <= gp.capacity {
                return Some(g);
            }
        }
        self.walk_full = true;
        None
    }

    fn elsewhere_or_forgo(&mut self, complex: bool) {
        let p = self.ctx.p;
        let attraction = self.ctx.links[self.z]
            .first()
            .map_or(0.0, |l| f64::from(l.attraction));
        if self.coin(p.outcomes.seek_elsewhere_prob.get() * attraction) {
            self.out.counters.care_elsewhere += 1;
        } else {
            self.out.counters.forgone += 1;
            if complex && self.coin(p.outcomes.avoidable_hosp_per_forgone.get()) {
                self.out.counters.avoidable_hosp += 1;
            }
        }
    }

    fn follow(&mut self, i: usize, bit: u8, complex: bool) {
        if self.cell.patients.add_follow(i, bit, complex) {
            self.cell.complex_multi += 1;
        }
    }

    fn consult(&mut self, i: usize, g: usize, f: u8, complex: bool) {
        let t = &self.ctx.p.tasks;
        let kind = self.ctx.structures[self.cell.gps[g].structure.idx()].kind;
        self.out.counters.by_kind[kind_index(kind)].consultations += 1;
        self.follow(i, follow::GP, complex);
        let mut coordinated = false;
        if complex && self.coin(t.coordination_task_prob.get()) {
            coordinated = self.task(i, g, Task::Coordination, complex, false);
        }
        if f & (profile::PSYCH | profile::ADDICTION) != 0 && self.coin(t.psych_task_prob.get()) {
            self.task(i, g, Task::Psych, complex, coordinated);
        }
        if f & profile::SOCIAL != 0 && self.coin(t.social_task_prob.get()) {
            self.task(i, g, Task::Social, complex, coordinated);
        }
        if f & profile::CHRONIC != 0 && self.coin(t.education_task_prob.get()) {
            self.task(i, g, Task::Education, complex, coordinated);
        }
    }

    fn unmet(&mut self, complex: bool) {
        self.out.counters.unmet += 1;
        if complex && self.coin(self.ctx.p.outcomes.avoidable_hosp_per_unmet.get()) {
            self.out.counters.avoidable_hosp += 1;
        }
    }

    /// The GP's choice for one task (a logit over the options at hand), and its local effects.
    /// Returns true if a coordinator of the structure took the patient's case.
    fn task(&mut self, i: usize, g: usize, task: Task, complex: bool, coordinated: bool) -> bool {
        let ctx = self.ctx;
        let p = ctx.p;
        let d = &p.delegation;
        let gp = &self.cell.gps[g];
        let sid = gp.structure;
        let s = &ctx.structures[sid.idx()];
        let kind = kind_index(s.kind);
        self.out.counters.tasks += 1;
        self.out.counters.by_kind[kind].tasks += 1;

        let ce = f64::from(s.coordination_effect(p.coordination.training_multiplier.get() as f32));
        // A coordinator lowers the cost of delegating inside and of referring outside; a
        // shared information system only inside the structure.
        let cost_factor = 1.0 - d.coordinator_cost_reduction.get() * ce;
        let inside_factor = if s.info_system {
            cost_factor * (1.0 - d.info_system_cost_reduction.get())
        } else {
            cost_factor
        };
        let base = d.delegate_base.get() + d.propensity_weight.get() * f64::from(gp.delegation);
        let (tw, cw, dw) = (
            d.trust_weight.get(),
            d.capacity_weight.get(),
            d.distance_weight.get(),
        );
        let load = f64::from(gp.used / gp.capacity.max(1.0));
        let mut opts: [(Choice, f64); MAX_OPTIONS] = [(Choice::Drop, 0.0); MAX_OPTIONS];
        opts[0] = (
            Choice::Drop,
            d.drop_base.get() + d.overload_weight.get() * load,
        );
        let mut n = 1;
        // Doing it alone takes GP time: only a GP with that time left can.
        if gp.used + d.alone_gp_time.get() as f32 <= gp.capacity {
            opts[n] = (
                Choice::Alone,
                d.alone_base.get() + d.pivot_weight.get() * f64::from(gp.pivot),
            );
            n += 1;
        }

        // Inside the structure.
        match task.profession() {
            Some(prof) => {
                let mut best: Option<(u16, f64)> = None;
                for &pi in &s.profs {
                    let pr = &self.cell.profs[pi as usize];
                    let free = pr.free_share();
                    if pr.profession != prof || free <= 0.0 {
                        continue;
                    }
                    let score = tw * f64::from(gp.trust(ProfRef::new(self.z as u16, pi)))
                        + cw * f64::from(free);
                    if best.is_none_or(|(_, b)| score > b) {
                        best = Some((pi, score));
                    }
                }
                if let Some((pi, score)) = best {
                    let u = base + score - d.inside_cost.get() * inside_factor
                        + d.protocol_weight.get() * f64::from(s.protocols);
                    opts[n] = (Choice::InsideProf(pi), u);
                    n += 1;
                }
            }
            None => {
                if s.coordinator_fte > 0.0 && self.cell.coord[s.slot as usize].case_slots >= 1.0 {
                    let u = base + tw * f64::from(s.legitimacy) + cw
                        - d.inside_cost.get() * inside_factor;
                    opts[n] = (Choice::InsideCoordinator, u);
                    n += 1;
                }
            }
        }
        // Independent professionals nearby: each candidate is an option of its own.
        if let Some(slot) = task.directory_slot() {
            for c in &ctx.directory.zones[self.z][slot] {
                let score = tw * f64::from(gp.trust(c.prof)) + cw * f64::from(c.free)
                    - dw * f64::from(c.minutes) / 60.0;
                opts[n] = (
                    Choice::Out(Dest::Prof(c.prof)),
                    base + score - d.outside_cost.get() * cost_factor,
                );
                n += 1;
            }
        }
        // A hospital or social services, and a support platform.
        let service = |k: StructureKind| {
            ctx.services[self.z].iter().find(|r| {
                let st = &ctx.structures[r.structure.idx()];
                st.kind == k && st.active
            })
        };
        let org_term = |r: &Reach| {
            let st = &ctx.structures[r.structure.idx()];
            cw * f64::from(st.free_share())
                + d.org_tie_weight.get() * f64::from(ctx.org.get(sid, r.structure))
                - dw * f64::from(r.minutes) / 60.0
        };
        if let Some(r) = task.service_kind().and_then(service) {
            opts[n] = (
                Choice::Out(Dest::Service(r.structure)),
                base + org_term(r) - d.outside_cost.get() * cost_factor,
            );
            n += 1;
        }
        if task.platform_takes() {
            if let Some(r) = service(StructureKind::Dac) {
                opts[n] = (
                    Choice::Platform(r.structure),
                    base + org_term(r) - d.platform_cost.get(),
                );
                n += 1;
            }
        }

        let max = opts[..n]
            .iter()
            .map(|o| o.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let mut weights = [0.0f64; MAX_OPTIONS];
        let mut total = 0.0;
        for (w, o) in weights.iter_mut().zip(&opts[..n]) {
            *w = (o.1 - max).exp();
            total += *w;
        }
        let mut u = self.rng.random::<f64>() * total;
        let mut choice = opts[0].0;
        for (w, o) in weights.iter().zip(&opts[..n]) {
            choice = o.0;
            if u < *w {
                break;
            }
            u -= *w;
        }
        self.apply(i, g, task, complex, coordinated, choice)
    }

    fn apply(
        &mut self,
        i: usize,
        g: usize,
        task: Task,
        complex: bool,
        coordinated: bool,
        choice: Choice,
    ) -> bool {
        let p = self.ctx.p;
        let bonus = if coordinated && complex {
            p.delegation.coordinated_success_bonus.get()
        } else {
            0.0
        };
        let kind = kind_index(self.ctx.structures[self.cell.gps[g].structure.idx()].kind);
        match choice {
            Choice::Alone => {
                self.out.counters.alone += 1;
                self.cell.gps[g].used += p.delegation.alone_gp_time.get() as f32;
                if self.coin(p.delegation.alone_success.get() + bonus) {
                    self.out.counters.met += 1;
                } else {
                    self.unmet(complex);
                }
            }
            Choice::Drop => {
                self.out.counters.dropped += 1;
                self.unmet(complex);
            }
            Choice::InsideProf(pi) => {
                let week = self.ctx.week;
                let cell = &mut *self.cell;
                let prof = &mut cell.profs[pi as usize];
                prof.take(week, task.weeks(p));
                let r = delegate_to_prof(
                    &mut self.rng,
                    p,
                    &mut cell.gps[g],
                    ProfRef::new(self.z as u16, pi),
                    prof,
                    bonus,
                );
                let c = &mut self.out.counters;
                c.inside += 1;
                c.prof_delegations += 1;
                c.by_kind[kind].inside += 1;
                if r.friction {
                    c.friction += 1;
                    c.by_kind[kind].friction += 1;
                }
                self.follow(i, task.follow_bit(), complex);
                if r.success {
                    self.out.counters.met += 1;
                } else {
                    self.unmet(complex);
                }
            }
            Choice::InsideCoordinator => {
                let slot = self.ctx.structures[self.cell.gps[g].structure.idx()].slot as usize;
                let cw = &mut self.cell.coord[slot];
                cw.case_slots -= 1.0;
                cw.cases += 1;
                self.out.counters.inside += 1;
                self.out.counters.by_kind[kind].inside += 1;
                if self.coin(p.delegation.delegated_success.get()) {
                    self.out.counters.met += 1;
                } else {
                    self.unmet(complex);
                }
                return true;
            }
            Choice::Out(dest) => self.refer(i, g, task, complex, coordinated, dest),
            Choice::Platform(sid) => {
                self.refer(i, g, task, complex, coordinated, Dest::Service(sid))
            }
        }
        false
    }

    fn refer(
        &mut self,
        i: usize,
        g: usize,
        task: Task,
        complex: bool,
        coordinated: bool,
        dest: Dest,
    ) {
        self.out.referrals.push(Referral {
            dest,
            task,
            gp: g as u16,
            patient: i as u32,
            complex,
            coordinated,
        });
    }
}
