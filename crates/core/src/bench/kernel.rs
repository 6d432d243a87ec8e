//! The simplified weekly kernel of pluri's design notes, rebuilt as a reference measured in
//! the same run as pluri: what the design pluri stands on does on this machine, with none of
//! the model's detail.
//!
//! The notes measured such a kernel (patients with sampled next-episode weeks, GP capacity,
//! task delegation with trust ties and friction, a weekly tie decay, per-zone counters
//! reduced in zone order) at 0.31 s for 300,000 patients × 260 weeks on one core, about
//! 2.5 × 10⁸ patient-weeks per second, and pluri's throughput target (France in 120 s on two cores)
//! refer to it. Hosts of one kind differ, so the kernel is measured beside pluri and pluri's
//! throughput is reported as a share of it.
//!
//! The kernel keeps the notes' choices: patients by zone as small arrays (9 bytes each), the
//! due patients found in memory order, ChaCha8 streams keyed by zone and week, geometric
//! delays from one logarithm. It is not pluri's model and its results mean nothing.

use crate::engine::consult::{due_mask, SCAN_BLOCK};
use crate::rng::{stream, Purpose};
use rand::Rng;

/// Patients per zone (a French zone holds about 40,000).
const ZONE_PATIENTS: usize = 40_000;
/// Patients per GP (France: about 67.7 million residents, 100,000 GPs and professionals).
const PATIENTS_PER_GP: usize = 1_000;
/// Patients per support professional.
const PATIENTS_PER_PROF: usize = 1_000;
/// Consultations a GP gives a week (about 96 are asked for: some weeks are full).
const GP_CAPACITY: u16 = 110;
/// New cases a support professional takes a week.
const PROF_CAPACITY: u16 = 8;
/// Support professionals each GP is tied to.
const TIES: usize = 6;
/// Weeks a patient waits for a full GP before going without.
const MAX_WAIT: u8 = 3;
/// Weekly decay of trust.
const DECAY: f32 = 0.995;
/// Score a professional loses per case already taken this week.
const TAKEN_PENALTY: f32 = 0.1;
/// Chance of friction at full trust, and the extra chance at no trust.
const FRICTION: (f32, f32) = (0.05, 0.2);
/// Trust lost to friction.
const TRUST_LOSS: f32 = 0.1;
/// Share of the way to full trust gained by a delegation without friction.
const TRUST_GAIN: f32 = 0.05;
/// Profiles: share of patients and episodes a year (5 a year on average, as in the notes),
/// and the chance that an episode brings a task to delegate.
const PROFILES: [(f64, f64, f64); 4] = [
    (0.50, 2.0, 0.04),
    (0.30, 5.0, 0.08),
    (0.15, 10.0, 0.15),
    (0.05, 20.0, 0.30),
];

/// What the kernel counted, summed over zones in zone order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KernelCounts {
    /// Episodes (a patient due in a week).
    pub episodes: u64,
    /// Consultations given.
    pub consultations: u64,
    /// Weeks waited for a full GP.
    pub waits: u64,
    /// Episodes without care after the longest wait.
    pub forgone: u64,
    /// Tasks found in consultations.
    pub tasks: u64,
    /// Tasks delegated to a tied professional.
    pub delegated: u64,
    /// Delegations that went badly (trust falls).
    pub friction: u64,
    /// At the end: consultations counted on the patients themselves.
    pub visits: u64,
    /// At the end: patients who have had a task delegated.
    pub followed: u64,
}

impl KernelCounts {
    fn add(&mut self, o: &KernelCounts) {
        self.episodes += o.episodes;
        self.consultations += o.consultations;
        self.waits += o.waits;
        self.forgone += o.forgone;
        self.tasks += o.tasks;
        self.delegated += o.delegated;
        self.friction += o.friction;
    }
}

/// One zone of the reference kernel: patients as arrays (9 bytes each), GPs, professionals, ties.
struct KernelZone {
    next: Vec<u16>,
    gp: Vec<u16>,
    profile: Vec<u8>,
    wait: Vec<u8>,
    /// Per patient: consultations so far.
    visits: Vec<u16>,
    /// Per patient, bit 0: a task of the patient's was delegated.
    flags: Vec<u8>,
    gp_used: Vec<u16>,
    prof_taken: Vec<u16>,
    /// Per GP, [`TIES`] professionals (index in the zone) and the GP's trust in each.
    tie_prof: Vec<[u16; TIES]>,
    tie_trust: Vec<[f32; TIES]>,
}

/// Per profile: 1 / ln(1 - p) of the weekly episode probability p, and the task chance.
struct Table {
    inv_ln_q: [f64; PROFILES.len()],
    task: [f64; PROFILES.len()],
}

impl Table {
    fn new() -> Table {
        let mut t = Table {
            inv_ln_q: [0.0; PROFILES.len()],
            task: [0.0; PROFILES.len()],
        };
        for (k, &(_, per_year, task)) in PROFILES.iter().enumerate() {
            let p = per_year / 52.0;
            t.inv_ln_q[k] = 1.0 / (1.0 - p).ln();
            t.task[k] = task;
        }
        t
    }

    /// Weeks after this one to the next episode: geometric, from one logarithm.
    #[inline]
    fn delay<R: Rng>(&self, profile: u8, rng: &mut R) -> u32 {
        let u = rng.random::<f64>().max(f64::MIN_POSITIVE);
        let d = u.ln() * self.inv_ln_q[usize::from(profile)];
        1 + d.min(60_000.0) as u32
    }
}

impl KernelZone {
    fn new(seed: u64, z: u32, patients: usize, table: &Table) -> KernelZone {
        let mut rng = stream(seed, Purpose::BuildZone, z, 0);
        let gps = patients.div_ceil(PATIENTS_PER_GP).max(1);
        let profs = patients.div_ceil(PATIENTS_PER_PROF).max(1);
        let mut zone = KernelZone {
            next: Vec::with_capacity(patients),
            gp: Vec::with_capacity(patients),
            profile: Vec::with_capacity(patients),
            wait: vec![0; patients],
            visits: vec![0; patients],
            flags: vec![0; patients],
            gp_used: vec![0; gps],
            prof_taken: vec![0; profs],
            tie_prof: Vec::with_capacity(gps),
            tie_trust: Vec::with_capacity(gps),
        };
        for _ in 0..patients {
            let u: f64 = rng.random();
            let mut f = PROFILES.len() - 1;
            let mut acc = 0.0;
            for (k, &(share, _, _)) in PROFILES.iter().enumerate() {
                acc += share;
                if u < acc {
                    f = k;
                    break;
                }
            }
            zone.profile.push(f as u8);
            zone.gp.push(rng.random_range(0..gps) as u16);
            let first = table.delay(f as u8, &mut rng) - 1;
            zone.next.push(first.min(u32::from(u16::MAX)) as u16);
        }
        for _ in 0..gps {
            zone.tie_prof
                .push(std::array::from_fn(|_| rng.random_range(0..profs) as u16));
            zone.tie_trust.push(std::array::from_fn(|_| rng.random()));
        }
        zone
    }

    /// One week of the zone.
    fn week(&mut self, seed: u64, z: u32, week: u32, table: &Table) -> KernelCounts {
        let mut c = KernelCounts::default();
        let mut rng = stream(seed, Purpose::Consult, z, week);
        self.gp_used.fill(0);
        self.prof_taken.fill(0);
        let w = week as u16;
        let n = self.next.len();
        let mut i = 0;
        while i < n {
            let end = (i + SCAN_BLOCK).min(n);
            let mut due = due_mask(&self.next[i..end], w);
            while due != 0 {
                let k = i + due.trailing_zeros() as usize;
                due &= due - 1;
                self.episode(k, week, &mut rng, table, &mut c);
            }
            i = end;
        }
        for t in &mut self.tie_trust {
            for x in t.iter_mut() {
                *x *= DECAY;
            }
        }
        c
    }

    #[inline]
    fn episode<R: Rng>(
        &mut self,
        i: usize,
        week: u32,
        rng: &mut R,
        table: &Table,
        c: &mut KernelCounts,
    ) {
        let f = self.profile[i];
        if self.wait[i] == 0 {
            c.episodes += 1;
        }
        let g = usize::from(self.gp[i]);
        if self.gp_used[g] >= GP_CAPACITY {
            if self.wait[i] < MAX_WAIT {
                self.wait[i] += 1;
                c.waits += 1;
                self.next[i] = (week + 1).min(u32::from(u16::MAX)) as u16;
                return;
            }
            self.wait[i] = 0;
            c.forgone += 1;
        } else {
            self.wait[i] = 0;
            self.gp_used[g] += 1;
            self.visits[i] = self.visits[i].saturating_add(1);
            c.consultations += 1;
            if rng.random::<f64>() < table.task[usize::from(f)] {
                c.tasks += 1;
                self.delegate(i, g, rng, c);
            }
        }
        let next = week + table.delay(f, rng);
        self.next[i] = next.min(u32::from(u16::MAX)) as u16;
    }

    /// The GP delegates to the tied professional with the most trust and room, if any; the
    /// delegation goes badly more often where trust is low.
    #[inline]
    fn delegate<R: Rng>(&mut self, i: usize, g: usize, rng: &mut R, c: &mut KernelCounts) {
        let (profs, trust) = (&self.tie_prof[g], &mut self.tie_trust[g]);
        let mut best = None;
        let mut best_score = f32::NEG_INFINITY;
        for k in 0..TIES {
            let taken = self.prof_taken[usize::from(profs[k])];
            let score = trust[k] - TAKEN_PENALTY * f32::from(taken);
            if taken < PROF_CAPACITY && score > best_score {
                best = Some(k);
                best_score = score;
            }
        }
        let Some(k) = best else { return };
        self.prof_taken[usize::from(profs[k])] += 1;
        self.flags[i] |= 1;
        c.delegated += 1;
        if rng.random::<f32>() < FRICTION.0 + FRICTION.1 * (1.0 - trust[k]) {
            c.friction += 1;
            trust[k] = (trust[k] - TRUST_LOSS).max(0.0);
        } else {
            trust[k] += TRUST_GAIN * (1.0 - trust[k]);
        }
    }
}

/// Runs the kernel on one core: `patients` in zones of [`ZONE_PATIENTS`], for `weeks` weeks.
pub fn run(patients: usize, weeks: u32, seed: u64) -> KernelCounts {
    let table = Table::new();
    let zones = patients.div_ceil(ZONE_PATIENTS).max(1);
    let mut world: Vec<KernelZone> = (0..zones)
        .map(|z| {
            let lo = z * patients / zones;
            let hi = (z + 1) * patients / zones;
            KernelZone::new(seed, z as u32, hi - lo, &table)
        })
        .collect();
    let mut total = KernelCounts::default();
    for week in 0..weeks {
        for (z, zone) in world.iter_mut().enumerate() {
            total.add(&zone.week(seed, z as u32, week, &table));
        }
    }
    for zone in &world {
        total.visits += zone.visits.iter().map(|&v| u64::from(v)).sum::<u64>();
        total.followed += zone.flags.iter().filter(|&&f| f & 1 != 0).count() as u64;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_is_deterministic_and_its_episodes_follow_the_profiles_rates() {
        let (patients, weeks) = (50_000, 104);
        let a = run(patients, weeks, 7);
        assert_eq!(a, run(patients, weeks, 7));
        assert_ne!(a, run(patients, weeks, 8));
        // 5 episodes a patient-year on average (a wait repeats no episode).
        let per_year = a.episodes as f64 / patients as f64 / (f64::from(weeks) / 52.0);
        assert!((per_year - 5.0).abs() < 0.25, "{per_year} episodes a year");
        // GP capacity binds in some weeks, delegation happens, trust sometimes falls.
        assert!(a.waits > 0 && a.forgone <= a.waits, "{a:?}");
        // Each episode ends in a consultation or without care, but for those still waiting.
        let open = a.episodes - a.consultations - a.forgone;
        assert!(open <= patients as u64 / 50, "{a:?}");
        assert_eq!(a.visits, a.consultations, "{a:?}");
        assert!(a.delegated > 0 && a.delegated <= a.tasks, "{a:?}");
        assert!(a.followed > 0 && a.followed <= a.delegated, "{a:?}");
        assert!(a.friction > 0 && a.friction < a.delegated, "{a:?}");
    }
}
