//! The phases of a week, in the order they run: the one numbering of phases the engine's
//! modules use ("phase 3" is [`Phase::Consult`] everywhere), each with why it comes where it
//! does.

/// The phases of a week, in the order they run; each is one module of the engine.
///
/// Parallel phases work zone by zone, each zone with its own random stream; what crosses
/// zones is applied in zone order. Results are therefore identical whatever the number of
/// threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// 1. Scheduled policy changes ([`super::interventions`]). First, so that a policy
    ///    scheduled for week *w* shapes all of week *w*.
    Interventions,
    /// 2. Start-of-week bookkeeping ([`super::prepare`]): ended follow-ups are released and
    ///    GP time is reset before anyone asks for them; GP lists and coordinators' case
    ///    budgets open for the week; the referral directory is taken, so that every zone's
    ///    GPs refer on the same start-of-week knowledge.
    Prepare,
    /// 3. Demand, consultations, tasks and the GP's choice for each ([`super::consult`]),
    ///    in parallel by zone. Choices see the referral targets' room as it was at the start
    ///    of the week (the directory): GPs refer on what they know, not on what other zones
    ///    are doing at the same moment.
    Consult,
    /// 4. Referrals outside the GP's structure ([`super::referral`]), after every zone's
    ///    consultations: targets take them while they have room, in zone order, so the
    ///    first zones do not win by thread timing; then patients without a GP settle in a
    ///    linked zone.
    Refer,
    /// 5. Coordinators' meetings, protocols and networking ([`super::coordination`]), after
    ///    the week's work, whose complex cases add to their legitimacy.
    Coordinate,
    /// 6. Satisfaction, departures and tie decay ([`super::upkeep`]): this week's friction
    ///    weighs on satisfaction before departures are decided, and ties decay after this
    ///    week's joint work strengthened them.
    Upkeep,
    /// 7. Retirements, arrivals and MSP moves ([`super::structural`]), last of the week's
    ///    changes, so that a week's flows are counted in the structures where they happened.
    Structural,
    /// 8. The week's indicators ([`super::record`]), from the week's flows and the state it
    ///    leaves.
    Record,
}

impl Phase {
    /// Every phase, in the order they run.
    pub const ALL: [Phase; 8] = [
        Phase::Interventions,
        Phase::Prepare,
        Phase::Consult,
        Phase::Refer,
        Phase::Coordinate,
        Phase::Upkeep,
        Phase::Structural,
        Phase::Record,
    ];

    /// The phase's name in lower case, as in `timings.json`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Interventions => "interventions",
            Phase::Prepare => "prepare",
            Phase::Consult => "consult",
            Phase::Refer => "refer",
            Phase::Coordinate => "coordinate",
            Phase::Upkeep => "upkeep",
            Phase::Structural => "structural",
            Phase::Record => "record",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_listed_and_numbered_in_the_order_they_run() {
        for (i, phase) in Phase::ALL.iter().enumerate() {
            assert_eq!(*phase as usize, i, "{}", phase.name());
        }
    }
}
