//! Step 4 of the week for one task: the GP weighs doing it alone, dropping it, delegating it
//! inside the structure, or referring it to an independent, a hospital, social services or a
//! platform (a multinomial logit over utilities; `docs/MODEL.md` gives the formulas), and the
//! local effects of the choice. Referrals outside go to the zone's outbox.

use super::consult::{Zone, SERVICE_KINDS};
use super::counters::kind_index;
use super::tasks::{delegate_to_prof, Dest, Referral, Task};
use crate::model::{ProfRef, Reach, StructId};
use crate::scenario::StructureKind;
use rand::Rng;

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

/// The options a GP weighs for one task, with their utilities.
struct Options {
    choices: [Choice; MAX_OPTIONS],
    utility: [f64; MAX_OPTIONS],
    len: usize,
    /// The largest utility: what `f64::max` over them gives (a NaN is never the largest),
    /// kept as they come, since a fold over the options after them cost about 100
    /// instructions a task (`docs/PERFORMANCE.md`). Where `f64::max` might pick the other
    /// zero of two, every weight is the same (`x - 0.0 == x - -0.0`, and `exp` of either
    /// zero is 1).
    max: f64,
}

impl Options {
    fn new() -> Options {
        Options {
            choices: [Choice::Drop; MAX_OPTIONS],
            utility: [0.0; MAX_OPTIONS],
            len: 0,
            max: f64::NEG_INFINITY,
        }
    }

    #[inline]
    fn push(&mut self, choice: Choice, utility: f64) {
        self.choices[self.len] = choice;
        self.utility[self.len] = utility;
        self.len += 1;
        self.max = if utility > self.max {
            utility
        } else {
            self.max
        };
    }
}

/// One task of one consultation.
#[derive(Debug, Clone, Copy)]
pub(super) struct Job {
    /// The patient (index in the zone).
    pub(super) patient: usize,
    /// The GP who found the task (index in the zone).
    pub(super) gp: usize,
    /// The task.
    pub(super) task: Task,
    /// Whether the patient is complex.
    pub(super) complex: bool,
    /// Whether a coordinator took the patient's case this week.
    pub(super) coordinated: bool,
}

/// `2^(j / 64)` for `j` in `0..64`, each the nearest double (computed to 60 digits).
const EXP2_64THS: [u64; 64] = [
    0x3ff0000000000000,
    0x3ff02c9a3e778061,
    0x3ff059b0d3158574,
    0x3ff0874518759bc8,
    0x3ff0b5586cf9890f,
    0x3ff0e3ec32d3d1a2,
    0x3ff11301d0125b51,
    0x3ff1429aaea92de0,
    0x3ff172b83c7d517b,
    0x3ff1a35beb6fcb75,
    0x3ff1d4873168b9aa,
    0x3ff2063b88628cd6,
    0x3ff2387a6e756238,
    0x3ff26b4565e27cdd,
    0x3ff29e9df51fdee1,
    0x3ff2d285a6e4030b,
    0x3ff306fe0a31b715,
    0x3ff33c08b26416ff,
    0x3ff371a7373aa9cb,
    0x3ff3a7db34e59ff7,
    0x3ff3dea64c123422,
    0x3ff4160a21f72e2a,
    0x3ff44e086061892d,
    0x3ff486a2b5c13cd0,
    0x3ff4bfdad5362a27,
    0x3ff4f9b2769d2ca7,
    0x3ff5342b569d4f82,
    0x3ff56f4736b527da,
    0x3ff5ab07dd485429,
    0x3ff5e76f15ad2148,
    0x3ff6247eb03a5585,
    0x3ff6623882552225,
    0x3ff6a09e667f3bcd,
    0x3ff6dfb23c651a2f,
    0x3ff71f75e8ec5f74,
    0x3ff75feb564267c9,
    0x3ff7a11473eb0187,
    0x3ff7e2f336cf4e62,
    0x3ff82589994cce13,
    0x3ff868d99b4492ed,
    0x3ff8ace5422aa0db,
    0x3ff8f1ae99157736,
    0x3ff93737b0cdc5e5,
    0x3ff97d829fde4e50,
    0x3ff9c49182a3f090,
    0x3ffa0c667b5de565,
    0x3ffa5503b23e255d,
    0x3ffa9e6b5579fdbf,
    0x3ffae89f995ad3ad,
    0x3ffb33a2b84f15fb,
    0x3ffb7f76f2fb5e47,
    0x3ffbcc1e904bc1d2,
    0x3ffc199bdd85529c,
    0x3ffc67f12e57d14b,
    0x3ffcb720dcef9069,
    0x3ffd072d4a07897c,
    0x3ffd5818dcfba487,
    0x3ffda9e603db3285,
    0x3ffdfc97337b9b5f,
    0x3ffe502ee78b3ff6,
    0x3ffea4afa2a490da,
    0x3ffefa1bee615a27,
    0x3fff50765b6e4540,
    0x3fffa7c1819e90d8,
];

/// `e^x`, within two units in the last place of the standard library's (a test checks),
/// for the logit's weights: inlined, with no call into the C library, whose `exp` (and its
/// wrapper) cost about 60 instructions a weight, 7.8% of a run's instructions
/// (`docs/PERFORMANCE.md`). Its result depends on nothing but `x`, where the C library's
/// depends on the processor (glibc picks a variant built for fused multiply-add where there
/// is one).
///
/// `x = (k + f) ln 2 / 64` with `k` whole and `|f| <= 1/2`: `e^x = 2^(k / 64) e^r` where
/// `r = f ln 2 / 64` is under 0.0055 in size, so five terms of `e^r`'s series leave an
/// error under 4e-17 of it. `2^(k / 64)` is `2^(j / 64)` from a table, `j = k mod 64`,
/// scaled by a power of two. Outside about (-708, 709), where the result would not be a
/// normal double, and for a NaN, it is the standard library's `exp`.
#[inline]
fn exp(x: f64) -> f64 {
    if !(x > -708.0 && x < 709.0) {
        return x.exp();
    }
    // 64 / ln 2; ln 2 / 64 split so that `k * LN2_64_HI` is exact (32 bits and 17).
    const INV_LN2_64: f64 = 92.332_482_616_893_66;
    const LN2_64_HI: f64 = f64::from_bits(0x3f86_2e42_fee0_0000);
    const LN2_64_LO: f64 = f64::from_bits(0x3d8a_39ef_3579_3c76);
    // 1.5 * 2^52: adding it rounds to a whole number, which its low bits then hold.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let z = x * INV_LN2_64 + SHIFT;
    let bits = z.to_bits();
    let k = z - SHIFT;
    let r = (x - k * LN2_64_HI) - k * LN2_64_LO;
    // The series in pairs of terms (Estrin's scheme): fewer steps wait on one another.
    let r2 = r * r;
    let p = (r + r2 * (0.5 + r * (1.0 / 6.0))) + (r2 * r2) * (1.0 / 24.0 + r * (1.0 / 120.0));
    let t = f64::from_bits(EXP2_64THS[(bits & 63) as usize]);
    // k / 64 rounded down, as the exponent of a power of two (biased by 1023).
    let e = (bits.wrapping_sub(SHIFT.to_bits()) as i64) >> 6;
    let scale = f64::from_bits(((e + 1023) as u64) << 52);
    (t + t * p) * scale
}

/// The option a draw `u` (in [0, total of `weights`)) picks: the first whose weight is over
/// what is left of the draw after the weights before it, or the last if none is. Found
/// without a branch on which it is, since the choice is as good as random.
fn pick(weights: &[f64], mut u: f64) -> usize {
    let mut picked = weights.len().saturating_sub(1);
    let mut found = false;
    for (k, w) in weights.iter().enumerate() {
        let hit = !found & (u < *w);
        picked = std::hint::select_unpredictable(hit, k, picked);
        found |= hit;
        u -= *w;
    }
    picked
}

impl Zone<'_, '_> {
    /// The GP's choice for one task (a logit over the options at hand), and its local effects.
    /// Returns true if a coordinator of the structure took the patient's case.
    pub(super) fn task(&mut self, job: Job) -> bool {
        let Job { gp: g, task, .. } = job;
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
        let mut opts = Options::new();
        opts.push(
            Choice::Drop,
            d.drop_base.get() + d.overload_weight.get() * load,
        );
        // Doing it alone takes GP time: only a GP with that time left can.
        if gp.used + d.alone_gp_time.get() as f32 <= gp.capacity {
            opts.push(
                Choice::Alone,
                d.alone_base.get() + d.pivot_weight.get() * f64::from(gp.pivot),
            );
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
                    opts.push(Choice::InsideProf(pi), u);
                }
            }
            None => {
                if s.coordinator_fte > 0.0 && self.cell.coord[s.slot as usize].case_slots >= 1.0 {
                    let u = base + tw * f64::from(s.legitimacy) + cw
                        - d.inside_cost.get() * inside_factor;
                    opts.push(Choice::InsideCoordinator, u);
                }
            }
        }
        // Independent professionals nearby: each candidate is an option of its own.
        if let Some(slot) = task.directory_slot() {
            let cands = &ctx.directory.zones[self.z][slot];
            let trust = self.out.dir_trust.get(g, gp, slot, cands);
            for (c, &trust) in cands.iter().zip(trust) {
                let score = tw * f64::from(trust) + cw * f64::from(c.free)
                    - dw * f64::from(c.minutes) / 60.0;
                opts.push(
                    Choice::Out(Dest::Prof(c.prof)),
                    base + score - d.outside_cost.get() * cost_factor,
                );
            }
        }
        // A hospital or social services, and a support platform.
        let at_hand = self.at_hand;
        let service = |k: StructureKind| {
            SERVICE_KINDS
                .iter()
                .position(|&s| s == k)
                .and_then(|i| at_hand[i])
        };
        let org_term = |r: Reach| {
            let st = &ctx.structures[r.structure.idx()];
            cw * f64::from(st.free_share())
                + d.org_tie_weight.get() * f64::from(ctx.org.get(sid, r.structure))
                - dw * f64::from(r.minutes) / 60.0
        };
        if let Some(r) = task.service_kind().and_then(service) {
            opts.push(
                Choice::Out(Dest::Service(r.structure)),
                base + org_term(r) - d.outside_cost.get() * cost_factor,
            );
        }
        if task.platform_takes() {
            if let Some(r) = service(StructureKind::Dac) {
                opts.push(
                    Choice::Platform(r.structure),
                    base + org_term(r) - d.platform_cost.get(),
                );
            }
        }

        let n = opts.len;
        let mut weights = [0.0f64; MAX_OPTIONS];
        let mut total = 0.0;
        for (w, &utility) in weights.iter_mut().zip(&opts.utility[..n]) {
            *w = exp(utility - opts.max);
            total += *w;
        }
        let u = self.rng.random::<f64>() * total;
        self.apply(job, opts.choices[pick(&weights[..n], u)])
    }

    fn apply(&mut self, job: Job, choice: Choice) -> bool {
        let Job {
            patient: i,
            gp: g,
            task,
            complex,
            coordinated,
        } = job;
        let p = self.ctx.p;
        let bonus = if coordinated && complex {
            p.delegation.coordinated_success_bonus.get()
        } else {
            0.0
        };
        let kind = usize::from(self.cell.gp_kind[g]);
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
                prof.take(&mut cell.releases[pi as usize], week, task.weeks(p));
                self.out.dir_trust.forget(g);
                let r = delegate_to_prof(
                    &mut self.rng,
                    p,
                    &mut cell.gps[g],
                    ProfRef::new(self.z as u16, pi),
                    prof.autonomy,
                    bonus,
                );
                if r.friction {
                    prof.suffer_friction(p);
                }
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
            Choice::Out(dest) => self.refer(job, dest),
            Choice::Platform(sid) => self.refer(job, Dest::Service(sid)),
        }
        false
    }

    fn refer(&mut self, job: Job, dest: Dest) {
        self.out.referrals.push(Referral {
            dest,
            task: job.task,
            gp: job.gp as u16,
            patient: job.patient as u32,
            complex: job.complex,
            coordinated: job.coordinated,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// The loop that stops at the first weight over what is left of the draw.
    fn first_over(weights: &[f64], mut u: f64) -> usize {
        for (k, w) in weights.iter().enumerate() {
            if u < *w {
                return k;
            }
            u -= *w;
        }
        weights.len() - 1
    }

    #[test]
    fn weights_from_the_running_maximum_are_those_from_f64_max_over_the_options() {
        let mut rng = crate::rng::stream(9, crate::rng::Purpose::Consult, 0, 0);
        let special = [0.0, -0.0, f64::NAN, 3.5, -700.0, 1e-300];
        for _ in 0..2000 {
            let mut opts = Options::new();
            let n = rng.random_range(1..=MAX_OPTIONS);
            for _ in 0..n {
                let u = if rng.random::<f64>() < 0.4 {
                    special[rng.random_range(0..special.len())]
                } else {
                    rng.random_range(-8.0..8.0)
                };
                opts.push(Choice::Drop, u);
            }
            let utility = &opts.utility[..opts.len];
            let max = utility.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            for &u in utility {
                let (a, b) = (exp(u - opts.max), exp(u - max));
                assert!(
                    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                    "{utility:?}"
                );
            }
        }
    }

    #[test]
    fn the_pick_is_the_first_weight_over_the_rest_of_the_draw() {
        let mut rng = crate::rng::stream(8, crate::rng::Purpose::Consult, 0, 0);
        for n in 1..=MAX_OPTIONS {
            for _ in 0..500 {
                // Some weights exactly 0 or 1, as the logit gives for the best option.
                let weights: Vec<f64> = (0..n)
                    .map(|_| match rng.random_range(0..4) {
                        0 => 0.0,
                        1 => 1.0,
                        _ => rng.random::<f64>(),
                    })
                    .collect();
                let total: f64 = weights.iter().sum();
                for u in [
                    rng.random::<f64>() * total,
                    0.0,
                    total,
                    total * 2.0,
                    f64::NAN,
                ] {
                    assert_eq!(
                        pick(&weights, u),
                        first_over(&weights, u),
                        "{weights:?} {u}"
                    );
                }
            }
        }
    }

    /// Within two units in the last place of the standard library's `exp` (itself within
    /// about one of the truth) over the whole range, exactly 1 at 0, and the standard
    /// library's outside the range and for a NaN.
    #[test]
    fn the_weights_exp_is_the_standard_exp_to_the_last_place_or_two() {
        let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
        let mut rng = crate::rng::stream(10, crate::rng::Purpose::Consult, 0, 0);
        let mut worst = 0;
        for i in 0..400_000 {
            let x = match i % 4 {
                0 => rng.random_range(-1.0..0.0),
                1 => rng.random_range(-40.0..0.0),
                2 => rng.random_range(-708.0..709.0),
                _ => -rng.random::<f64>() * 1e-6,
            };
            worst = worst.max(ulps(exp(x), x.exp()));
            assert!(ulps(exp(x), x.exp()) <= 2, "{x}: {} vs {}", exp(x), x.exp());
        }
        assert!(
            worst >= 1,
            "not even one result differs: is it the standard exp?"
        );
        // Where k changes (halfway between multiples of ln 2 / 64) and the ends.
        for k in -65_000..65_000 {
            let x = (f64::from(k) + 0.5) * std::f64::consts::LN_2 / 64.0;
            if x > -708.0 && x < 709.0 {
                assert!(ulps(exp(x), x.exp()) <= 2, "{x}");
            }
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        for x in [
            -708.0,
            709.0,
            -745.0,
            -800.0,
            710.0,
            f64::NEG_INFINITY,
            f64::INFINITY,
        ] {
            assert_eq!(exp(x).to_bits(), x.exp().to_bits(), "{x}");
        }
        assert!(exp(f64::NAN).is_nan());
        assert!((exp(1.0) - std::f64::consts::E).abs() <= f64::EPSILON * 3.0);
    }
}
