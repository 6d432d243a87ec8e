//! What delegating a task to a support professional does to the tie, the professional and
//! the GP (the MSMA study: control over the timing and scope of work, friction, refusals and a
//! negotiated order that forms from both sides' experience). Delegations inside a
//! structure (phase 3, [`super::consult`]) and referrals to professionals outside it (phase
//! 4, [`super::referral`]) both go through it.

use crate::model::{Gp, ProfRef};
use crate::scenario::Params;
use rand::Rng;

/// What delegating a task to a support professional did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delegated {
    /// Control above the professional's tolerance caused friction.
    pub friction: bool,
    /// The need was met.
    pub success: bool,
}

/// Whether the GP's control over the timing and scope of the work (`control`) causes friction
/// with a professional of autonomy demand `autonomy` this time: with probability
/// `friction_sensitivity` x (control - tolerance), tolerance being 1 - autonomy; never when
/// the control is within the tolerance (no random number is drawn then).
pub fn draws_friction<R: Rng>(rng: &mut R, p: &Params, control: f32, autonomy: f32) -> bool {
    let excess = control - (1.0 - autonomy);
    excess > 0.0 && rng.random::<f64>() < f64::from(excess) * p.control.friction_sensitivity.get()
}

/// The GP's side of a friction event (negotiated order): it loses trust in the professional
/// (`ties[i]`) and concedes `concession_rate` of the gap between its control and the
/// professional's tolerance, not below `control_floor`. Where there is no resistance there is
/// no friction, so control stays as it is.
fn feel_friction(p: &Params, gp: &mut Gp, i: usize, autonomy: f32) {
    let c = &p.control;
    gp.ties[i].lower(c.friction_trust_loss.get() as f32);
    let gap = gp.control - (1.0 - autonomy);
    let floor = c.control_floor.get() as f32;
    if gap > 0.0 && gp.control > floor {
        gp.control = (gp.control - c.concession_rate.get() as f32 * gap).max(floor);
    }
}

/// The professional's side of a good outcome of joint work without friction, inside a
/// structure (negotiated order): its tolerance moves `accommodation_rate` of the way toward the
/// GP's control, when that control is above it. Returns the new autonomy demand.
pub fn accommodate(p: &Params, control: f32, autonomy: f32) -> f32 {
    let gap = control - (1.0 - autonomy);
    if gap > 0.0 {
        (autonomy - p.control.accommodation_rate.get() as f32 * gap).max(0.0)
    } else {
        autonomy
    }
}

/// A delegation a professional of the GP's own structure refused after friction (it defends
/// the timing and scope of its work): there is no joint work, the GP feels the friction
/// ([`feel_friction`]) and the need is left unmet by the caller.
pub fn refused_by_prof(p: &Params, gp: &mut Gp, pref: ProfRef, autonomy: f32) {
    let i = gp.strengthen_index(pref, 0.0, p.ties.first_contact.get() as f32);
    feel_friction(p, gp, i, autonomy);
}

/// Effects of a delegation the professional has accepted, friction drawn here: see
/// [`work_with_prof`].
pub fn delegate_to_prof<R: Rng>(
    rng: &mut R,
    p: &Params,
    gp: &mut Gp,
    pref: ProfRef,
    autonomy: f32,
    success_bonus: f64,
) -> Delegated {
    let friction = draws_friction(rng, p, gp.control, autonomy);
    work_with_prof(rng, p, gp, pref, autonomy, success_bonus, friction)
}

/// Effects of a delegation the professional has accepted, with or without `friction`: joint
/// work strengthens the tie; friction costs trust and makes the GP concede some control
/// ([`feel_friction`]); a good outcome strengthens trust.
///
/// The professional's side is read through `autonomy` alone; the caller applies the cost of
/// friction to the professional's satisfaction ([`crate::model::Prof::suffer_friction`]) and,
/// inside a structure, its accommodation ([`accommodate`]), so that referrals across zones
/// can be worked out zone by zone and their costs applied in a fixed order.
pub fn work_with_prof<R: Rng>(
    rng: &mut R,
    p: &Params,
    gp: &mut Gp,
    pref: ProfRef,
    autonomy: f32,
    success_bonus: f64,
    friction: bool,
) -> Delegated {
    let t = &p.ties;
    // One search for the three changes: the tie exists from the first on.
    let i = gp.strengthen_index(
        pref,
        t.joint_work_gain.get() as f32,
        t.first_contact.get() as f32,
    );
    if friction {
        feel_friction(p, gp, i, autonomy);
    }
    let success = rng.random::<f64>() < p.delegation.delegated_success.get() + success_bonus;
    if success {
        gp.ties[i].raise(p.control.success_trust_gain.get() as f32);
    }
    Delegated { friction, success }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::members::new_prof;
    use crate::rng::{stream, Purpose};
    use crate::scenario::Profession;

    fn gp(control: f32) -> Gp {
        Gp {
            control,
            ..Gp::with_ties(Vec::new())
        }
    }

    fn run(control: f32, autonomy: f32, n: usize) -> (usize, f32, f32) {
        let p = Params::default();
        let mut rng = stream(3, Purpose::Consult, 0, 0);
        let mut g = gp(control);
        let mut prof = new_prof(&mut rng, &p, Profession::Psychologist, None);
        prof.autonomy = autonomy;
        let r = ProfRef::new(0, 0);
        let frictions = (0..n)
            .filter(|_| {
                let d = delegate_to_prof(&mut rng, &p, &mut g, r, prof.autonomy, 0.0);
                if d.friction {
                    prof.suffer_friction(&p);
                }
                d.friction
            })
            .count();
        (frictions, prof.satisfaction, g.trust(r))
    }

    #[test]
    fn control_above_autonomy_demand_creates_friction_and_lowers_satisfaction() {
        let (f_high, sat_high, trust_high) = run(0.9, 0.8, 20);
        let (f_low, sat_low, trust_low) = run(0.1, 0.8, 20);
        assert!(f_high > 0 && f_low == 0, "{f_high} {f_low}");
        assert!(sat_high < sat_low, "{sat_high} {sat_low}");
        assert!(trust_high < trust_low, "{trust_high} {trust_low}");
    }

    #[test]
    fn friction_makes_the_gp_concede_control_toward_the_professionals_tolerance() {
        let p = Params::default();
        let mut rng = stream(4, Purpose::Consult, 0, 0);
        let mut g = gp(0.9);
        let r = ProfRef::new(0, 0);
        let (mut frictions, mut before) = (0, g.control);
        for _ in 0..400 {
            let d = delegate_to_prof(&mut rng, &p, &mut g, r, 0.8, 0.0);
            if d.friction {
                frictions += 1;
                // Each friction event concedes a share of the gap to the tolerance (0.2).
                let expected = before - p.control.concession_rate.get() as f32 * (before - 0.2);
                assert!(
                    (g.control - expected.max(0.1)).abs() < 1e-6,
                    "{}",
                    g.control
                );
            } else {
                assert_eq!(g.control, before, "no friction, no concession");
            }
            before = g.control;
        }
        assert!(
            frictions > 0 && g.control < 0.9,
            "{frictions} {}",
            g.control
        );
    }

    #[test]
    fn without_resistance_control_does_not_change() {
        let p = Params::default();
        let mut rng = stream(5, Purpose::Consult, 0, 0);
        let mut g = gp(0.9);
        for _ in 0..400 {
            let d = delegate_to_prof(&mut rng, &p, &mut g, ProfRef::new(0, 0), 0.05, 0.0);
            assert!(!d.friction);
        }
        assert_eq!(g.control, 0.9);
        assert_eq!(accommodate(&p, 0.9, 0.05), 0.05);
    }

    #[test]
    fn accommodation_moves_the_tolerance_toward_the_gps_control() {
        let p = Params::default();
        let a = accommodate(&p, 0.9, 0.8);
        let rate = p.control.accommodation_rate.get() as f32;
        assert!((a - (0.8 - rate * 0.7)).abs() < 1e-6, "{a}");
        assert!(a < 0.8 && 1.0 - a <= 0.9);
    }

    #[test]
    fn a_refusal_costs_the_gp_trust_and_control_without_joint_work() {
        let p = Params::default();
        let mut g = gp(0.9);
        let r = ProfRef::new(0, 3);
        refused_by_prof(&p, &mut g, r, 0.8);
        let first = p.ties.first_contact.get() as f32;
        let loss = p.control.friction_trust_loss.get() as f32;
        assert!((g.trust(r) - (first - loss).max(0.0)).abs() < 1e-6);
        assert!(g.control < 0.9);
    }
}
