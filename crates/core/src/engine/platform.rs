//! What GPs hand support platforms (DAC) and what a platform does with it (the platform
//! study): the GP's choice, case by case, between handing over a coordination task
//! alone and the whole pathway (phase 3, [`super::consult`]), and the patient's pathway once a
//! platform has taken the task (phase 4, [`super::referral`]). A platform's queue and waiting
//! time are its structure's ([`crate::model::Structure::has_room`],
//! [`crate::model::Structure::waiting_weeks`]).

use super::counters::Counters;
use super::tasks::PlatformTask;
use crate::model::ZoneCell;
use crate::scenario::Params;
use rand::Rng;

/// Log-odds that a GP hands a platform the whole pathway of a coordination task rather than
/// the task alone: `handover_base` + `handover_load_weight` × the share of the GP's week
/// already used (`load`) + `handover_complexity_weight` × the patient's needs beyond
/// `population.complex_threshold` (`needs` in all) + `handover_trust_weight` × the tie
/// between the GP's structure and the platform (`trust`) − `handover_pivot_weight` × the GP's
/// pivot attachment (`pivot`).
pub fn handover_log_odds(p: &Params, load: f64, needs: u32, trust: f64, pivot: f64) -> f64 {
    let pl = &p.platform;
    let beyond = needs.saturating_sub(p.population.complex_threshold);
    pl.handover_base.get()
        + pl.handover_load_weight.get() * load
        + pl.handover_complexity_weight.get() * f64::from(beyond)
        + pl.handover_trust_weight.get() * trust
        - pl.handover_pivot_weight.get() * pivot
}

/// A task a platform took for patient `patient` of `cell`, counted by what the GP handed
/// over. A pathway handed over is the platform's from now on: the patient's later
/// coordination tasks go to it ([`PlatformTask::FollowUp`]); after each, the platform hands
/// the pathway back to the GP with probability `case_closure`.
pub fn taken<R: Rng>(
    rng: &mut R,
    p: &Params,
    cell: &mut ZoneCell,
    c: &mut Counters,
    patient: usize,
    handover: PlatformTask,
) {
    c.platform += 1;
    match handover {
        PlatformTask::AdHoc => c.platform_ad_hoc += 1,
        PlatformTask::Pathway => {
            c.platform_pathway += 1;
            cell.hold_pathway(patient, true);
        }
        PlatformTask::FollowUp => {
            c.platform_followups += 1;
            if rng.random::<f64>() < p.platform.case_closure.get() {
                cell.hold_pathway(patient, false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logistic(x: f64) -> f64 {
        1.0 / (1.0 + (-x).exp())
    }

    /// Busier GPs, more complex patients and more trust make a handover likelier; a stronger
    /// pivot attachment makes it rarer; with every weight at 0 it is the base alone.
    #[test]
    fn each_term_moves_the_odds_of_a_pathway_handover_its_own_way() {
        let p = Params::default();
        let x = |load, needs, trust, pivot| handover_log_odds(&p, load, needs, trust, pivot);
        let at = x(0.5, 2, 0.3, 0.7);
        assert!(x(0.9, 2, 0.3, 0.7) > at);
        assert!(x(0.5, 4, 0.3, 0.7) > at);
        assert_eq!(
            x(0.5, 1, 0.3, 0.7),
            at,
            "needs below the threshold add nothing"
        );
        assert!(x(0.5, 2, 0.8, 0.7) > at);
        assert!(x(0.5, 2, 0.3, 0.9) < at);
        // A GP attached to its pivot role keeps most pathways; one detached from it hands
        // most over.
        assert!(logistic(x(0.6, 2, 0.2, 0.75)) < 0.25);
        assert!(logistic(x(0.6, 2, 0.2, 0.0)) > 0.6);
        let mut neutral = Params::default();
        let pl = &mut neutral.platform;
        for w in [
            &mut pl.handover_load_weight,
            &mut pl.handover_complexity_weight,
            &mut pl.handover_trust_weight,
            &mut pl.handover_pivot_weight,
        ] {
            *w = crate::scenario::units::NonNeg(0.0);
        }
        assert_eq!(
            handover_log_odds(&neutral, 0.9, 5, 0.9, 0.9),
            neutral.platform.handover_base.get()
        );
    }

    /// A pathway handed over is held; a follow-up hands it back at `case_closure`; an ad hoc
    /// task changes nothing but its count.
    #[test]
    fn a_handed_over_pathway_is_held_until_the_platform_hands_it_back() {
        let mut p = Params::default();
        let mut cell = ZoneCell::default();
        cell.patients.push(0, 0, 0);
        let mut c = Counters::default();
        let mut rng = crate::rng::stream(1, crate::rng::Purpose::Referral, 0, 0);
        taken(&mut rng, &p, &mut cell, &mut c, 0, PlatformTask::AdHoc);
        assert!(!cell.patients.held(0));
        taken(&mut rng, &p, &mut cell, &mut c, 0, PlatformTask::Pathway);
        assert!(cell.patients.held(0) && cell.held_pathways == 1);
        p.platform.case_closure = crate::scenario::units::Share(0.0);
        taken(&mut rng, &p, &mut cell, &mut c, 0, PlatformTask::FollowUp);
        assert!(cell.patients.held(0), "never closed");
        p.platform.case_closure = crate::scenario::units::Share(1.0);
        taken(&mut rng, &p, &mut cell, &mut c, 0, PlatformTask::FollowUp);
        assert!(!cell.patients.held(0) && cell.held_pathways == 0);
        assert_eq!(
            (
                c.platform,
                c.platform_ad_hoc,
                c.platform_pathway,
                c.platform_followups
            ),
            (4, 1, 1, 2)
        );
    }
}
