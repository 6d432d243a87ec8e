//! What delegating a task to a support professional does to the tie, the professional and
//! the GP (the MSMA study: control, friction and negotiated order). Delegations inside a
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

/// Effects of a delegation the professional has accepted: joint work strengthens the tie;
/// control above the professional's tolerance (1 - autonomy demand) may cause friction, which
/// costs trust and satisfaction but not the work; a good outcome strengthens trust and lowers
/// the GP's control orientation (negotiated order).
///
/// The professional's side is read through `autonomy` alone; the caller applies the cost of
/// friction to the professional's satisfaction ([`crate::model::Prof::suffer_friction`]), so
/// that referrals across zones can be worked out zone by zone and their costs applied in a
/// fixed order.
pub fn delegate_to_prof<R: Rng>(
    rng: &mut R,
    p: &Params,
    gp: &mut Gp,
    pref: ProfRef,
    autonomy: f32,
    success_bonus: f64,
) -> Delegated {
    let t = &p.ties;
    let c = &p.control;
    // One search for the three changes: the tie exists from the first on.
    let i = gp.strengthen_index(
        pref,
        t.joint_work_gain.get() as f32,
        t.first_contact.get() as f32,
    );
    let tolerance = 1.0 - autonomy;
    let excess = gp.control - tolerance;
    let friction =
        excess > 0.0 && rng.random::<f64>() < f64::from(excess) * c.friction_sensitivity.get();
    if friction {
        gp.ties[i].lower(c.friction_trust_loss.get() as f32);
    }
    let success = rng.random::<f64>() < p.delegation.delegated_success.get() + success_bonus;
    if success {
        gp.ties[i].raise(c.success_trust_gain.get() as f32);
        let floor = c.control_floor.get() as f32;
        if gp.control > floor {
            gp.control = (gp.control - c.negotiated_order_rate.get() as f32).max(floor);
        }
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
    fn good_outcomes_lower_control_orientation() {
        let p = Params::default();
        let mut rng = stream(4, Purpose::Consult, 0, 0);
        let mut g = gp(0.8);
        let prof = new_prof(&mut rng, &p, Profession::Nurse, None);
        let n = 400;
        for _ in 0..n {
            delegate_to_prof(&mut rng, &p, &mut g, ProfRef::new(0, 0), prof.autonomy, 0.0);
        }
        let expected =
            n as f64 * p.delegation.delegated_success.get() * p.control.negotiated_order_rate.get();
        let drop = 0.8 - f64::from(g.control);
        assert!(
            drop > 0.8 * expected && drop < 1.2 * expected,
            "{drop} vs {expected}"
        );
    }
}
