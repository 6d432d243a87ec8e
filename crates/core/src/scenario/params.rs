//! The behavioural parameter sections of a scenario, each field with its default and meaning.
//!
//! The `sections!` macro writes, from one list, the serde struct (unknown fields refused,
//! missing fields defaulted), its `Default`, and the documentation `pluri show` prints above
//! each field. `param_sections!` lists the sections once, for `Params`, `SECTION_DOCS` and
//! the scenario file (`RawScenario`). Sources of defaults are in `docs/MODEL.md`;
//! "assumption" marks a value no public figure gives.

use super::units::{NonNeg, Pos, Real, Share};
use serde::{Deserialize, Serialize};

macro_rules! sections {
    ($(
        $(#[$m:meta])* $name:ident {
            $( $field:ident : $ty:ty = $default:expr, $doc:literal; )*
        }
    )*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct $name { $( #[doc = $doc] pub $field: $ty, )* }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }

        impl $name {
            /// Field names and their documentation, in file order.
            pub const DOCS: &'static [(&'static str, &'static str)] =
                &[ $( (stringify!($field), $doc), )* ];
        }
    )*};
}

sections! {
    /// How zones are linked into a territorial network.
    Territory {
        road_speed_kmh: Pos = Pos(60.0),
            "Average road speed turning straight-line distance into travel time (km/h). Assumption.";
        max_link_minutes: Pos = Pos(40.0),
            "Zones within this travel time are linked; patients and referrals move only along links (minutes). Assumption.";
        distance_decay_minutes: Pos = Pos(20.0),
            "Travel time over which a zone's attraction for patients and referrals falls by a factor e (minutes). Assumption.";
    }

    /// Who the residents are: the profile shares that drive demand and tasks.
    Population {
        declared_gp_share: Share = Share(0.89),
            "Share of residents with a declared GP (médecin traitant) at the start. CNAM 2023: about 11% had none.";
        elderly_share: Share = Share(0.21),
            "Share of residents aged 65 or more. INSEE 2023: 21%.";
        chronic_share_elderly: Share = Share(0.45),
            "Share of elderly residents with a long-term condition (ALD). Assumption, consistent with CNAM ALD counts.";
        chronic_share_other: Share = Share(0.11),
            "Share of residents under 65 with a long-term condition. Assumption; together about 17% as CNAM's 12 million ALD.";
        addiction_share: Share = Share(0.02),
            "Share of residents with an addiction followed in primary care. Assumption.";
        psych_need_share: Share = Share(0.08),
            "Share of residents with a psychological need. Assumption.";
        social_need_base: Share = Share(0.04),
            "Share of non-precarious residents with a social need (rights, housing). Assumption.";
        social_need_if_precarious: Share = Share(0.45),
            "Share of precarious residents with a social need; a zone's deprivation is its precarious share. Assumption.";
        addiction_if_precarious: Share = Share(0.08),
            "Share of precarious residents with an addiction (replaces addiction_share for them). Assumption.";
        declare_prob: Share = Share(0.05),
            "Probability that a patient without a declared GP asks a GP with room to become it, at an episode. Assumption: with retirements it keeps the share without one near CNAM's 11%.";
        complex_threshold: u32 = 2,
            "A patient is complex with at least this many of: chronic, elderly, addiction, psychological, social need, precarious.";
    }

    /// How often patients need care.
    Demand {
        base_episodes_per_year: NonNeg = NonNeg(2.8),
            "Care episodes (GP consultations) per resident per year with no particular profile. Assumption; the mix gives about 4.5, close to DREES figures.";
        extra_chronic: NonNeg = NonNeg(4.0),
            "Extra episodes per year for a long-term condition.";
        extra_elderly: NonNeg = NonNeg(2.0),
            "Extra episodes per year for residents aged 65 or more.";
        extra_addiction: NonNeg = NonNeg(4.0),
            "Extra episodes per year for an addiction.";
        extra_psych: NonNeg = NonNeg(1.5),
            "Extra episodes per year for a psychological need.";
        extra_social: NonNeg = NonNeg(1.0),
            "Extra episodes per year for a social need.";
    }

    /// How many professionals there are and how much they can do.
    Workforce {
        gps_per_100k: NonNeg = NonNeg(149.0),
            "GPs per 100,000 residents. DREES 2022: 149 in France, about 50 to 290 across départements.";
        urban_gp_factor: NonNeg = NonNeg(1.15),
            "Multiplier of GP density in urban zones. Assumption.";
        periurban_gp_factor: NonNeg = NonNeg(0.9),
            "Multiplier of GP density in periurban zones. Assumption.";
        rural_gp_factor: NonNeg = NonNeg(0.7),
            "Multiplier of GP density in rural zones. Assumption.";
        gp_consultations_per_week: Pos = Pos(100.0),
            "Consultations a full-time GP can give in a week. About 4,600 a year over 46 weeks (CNAM activity figures, rounded).";
        gp_list_max: u32 = 1400,
            "Most patients a GP accepts as declared GP; above it new patients are refused. Assumption.";
        accept_new_below: Share = Share(0.9),
            "A GP takes new declared patients only while the share of its consultation time used in recent weeks (an average over about eight) is below this: a GP whose weeks are full closes its list. Assumption.";
        group_practice_share: Share = Share(0.6),
            "Share of GPs outside the listed structures who work in group practice, the rest solo. DREES 2019: 61%.";
        group_practice_size: u32 = 3,
            "GPs per generated group practice.";
        colleague_cover: Share = Share(0.8),
            "Probability that a patient whose declared GP is fully booked that week is seen by a colleague of the same practice with time left (group practice, MSP, health centre), rather than waiting. Assumption.";
        psychologists_per_100k: NonNeg = NonNeg(20.0),
            "Independent psychologists reachable by primary care, per 100,000 residents. Assumption.";
        social_workers_per_100k: NonNeg = NonNeg(12.0),
            "Social workers reachable by primary care, per 100,000 residents. Assumption.";
        nurses_per_100k: NonNeg = NonNeg(140.0),
            "Independent nurses per 100,000 residents. DREES 2021: about 100,000 in France.";
        psychologist_caseload: u32 = 30,
            "Follow-ups a full-time psychologist carries at once.";
        social_worker_caseload: u32 = 40,
            "Follow-ups a full-time social worker carries at once.";
        nurse_caseload: u32 = 60,
            "Follow-ups a full-time nurse carries at once.";
        gp_age_mean: Pos = Pos(50.0),
            "Mean GP age at the start (years). DREES 2021: about 50.";
        gp_age_sd: NonNeg = NonNeg(11.0),
            "Standard deviation of GP age at the start (years). Assumption.";
    }

    /// How GPs differ in their wish to delegate and to control.
    GpTraits {
        delegation_propensity_mean: Share = Share(0.4),
            "Mean willingness to hand tasks to others (0 never, 1 always). Assumption after seeds 000 and 003.";
        control_orientation_mean: Share = Share(0.6),
            "Mean wish to set others' timing and scope of work. Assumption after the MSMA study.";
        pivot_attachment_mean: Share = Share(0.7),
            "Mean wish to stay the one who decides the pathway. Assumption after the platform study.";
        trait_sd: NonNeg = NonNeg(0.15),
            "Spread of each trait across GPs (normal, cut to 0..1).";
    }

    /// Support professionals' autonomy, satisfaction and turnover.
    Professionals {
        autonomy_psychologist: Share = Share(0.75),
            "Mean autonomy demand of psychologists: control above 1 minus this creates friction. Assumption after the MSMA study.";
        autonomy_social_worker: Share = Share(0.7),
            "Mean autonomy demand of social workers. Assumption after the MSMA study.";
        autonomy_nurse: Share = Share(0.45),
            "Mean autonomy demand of nurses. Assumption.";
        autonomy_sd: NonNeg = NonNeg(0.1),
            "Spread of autonomy demand (normal, cut to 0..1).";
        satisfaction_initial: Share = Share(0.7),
            "Satisfaction of every professional at the start and of newcomers.";
        satisfaction_recovery: Share = Share(0.1),
            "Weekly share of the gap to satisfaction_initial that satisfaction recovers.";
        leave_threshold: Share = Share(0.3),
            "Satisfaction under which a professional considers leaving.";
        leave_after_weeks: u32 = 8,
            "Weeks in a row under leave_threshold after which the professional leaves.";
        replacement_delay_weeks: u32 = 26,
            "Weeks before a departed professional's post is filled again.";
        turnover_per_year: Share = Share(0.08),
            "Yearly probability that a professional in post at satisfaction_initial leaves for reasons of its own (a move, a career); dissatisfaction raises it. Assumption.";
        dissatisfaction_effect: NonNeg = NonNeg(3.0),
            "Added multiplier of turnover_per_year per unit of satisfaction lost below satisfaction_initial, as a share of it: a professional at half its initial satisfaction leaves 1 + 3/2 times as often. Assumption.";
    }

    /// Which tasks beyond the medical one an episode reveals, and for how long they occupy a professional.
    Tasks {
        psych_task_prob: Share = Share(0.1),
            "Probability that an episode of a patient with a psychological need or addiction reveals a psychological follow-up task.";
        social_task_prob: Share = Share(0.12),
            "Probability that an episode of a patient with a social need reveals a social task (rights, housing).";
        education_task_prob: Share = Share(0.12),
            "Probability that an episode of a chronic patient reveals a therapeutic education task.";
        coordination_task_prob: Share = Share(0.06),
            "Probability that an episode of a complex patient reveals a pathway coordination task.";
        psych_weeks: u32 = 8,
            "Weeks a psychological follow-up occupies a psychologist's caseload.";
        social_weeks: u32 = 6,
            "Weeks a social task occupies a social worker's caseload.";
        education_weeks: u32 = 6,
            "Weeks a therapeutic education task occupies a nurse's caseload.";
    }

    /// The GP's choice for each task: alone, inside the structure, outside, or dropped (a logit choice).
    Delegation {
        alone_base: Real = Real(0.0),
            "Utility of doing the task alone before the pivot attachment term.";
        pivot_weight: Real = Real(1.0),
            "Utility of doing it alone per unit of pivot attachment.";
        delegate_base: Real = Real(-0.3),
            "Utility of any delegation before the terms below.";
        propensity_weight: Real = Real(2.5),
            "Utility of delegating per unit of delegation propensity.";
        trust_weight: Real = Real(2.0),
            "Utility of delegating per unit of trust in the chosen candidate.";
        capacity_weight: Real = Real(1.0),
            "Utility per unit of the candidate's free share of capacity.";
        inside_cost: NonNeg = NonNeg(0.8),
            "Transaction cost of delegating inside the structure, before coordination lowers it.";
        outside_cost: NonNeg = NonNeg(1.6),
            "Transaction cost of referring outside (independent professional, hospital, social services).";
        platform_cost: NonNeg = NonNeg(1.0),
            "Transaction cost of handing a task to a support platform (DAC).";
        coordinator_cost_reduction: Share = Share(0.6),
            "Largest share of the transaction cost a full-time, fully legitimate coordinator removes.";
        info_system_cost_reduction: Share = Share(0.3),
            "Share of the cost of delegating inside the structure that a shared information system removes.";
        protocol_weight: NonNeg = NonNeg(0.12),
            "Utility of delegating inside per agreed protocol of the structure.";
        org_tie_weight: NonNeg = NonNeg(1.5),
            "Utility of referring to a structure per unit of inter-organisational tie with it.";
        distance_weight: NonNeg = NonNeg(1.0),
            "Disutility of referring per hour of travel to the target.";
        availability_memory: Share = Share(0.8),
            "Weight of the past in what GPs believe of a service's room: each week belief = memory x belief + (1 - memory) x last week's use.";
        drop_base: Real = Real(-1.8),
            "Utility of dropping the task (unmet need) before overload.";
        overload_weight: NonNeg = NonNeg(2.5),
            "Utility of dropping per unit of the GP's share of capacity already used this week.";
        alone_gp_time: NonNeg = NonNeg(0.5),
            "Consultations of GP time a task done alone costs; a GP without that time left cannot do it alone.";
        alone_success: Share = Share(0.5),
            "Probability a task done alone meets the need.";
        delegated_success: Share = Share(0.85),
            "Probability a delegated or referred task meets the need.";
        coordinated_success_bonus: Share = Share(0.1),
            "Added success probability for tasks of a complex patient whose case a coordinator followed.";
    }

    /// Support platforms (DAC): their queue, and what GPs hand them (the platform study).
    Platform {
        max_queue_weeks: NonNeg = NonNeg(6.0),
            "A platform takes tasks beyond its weekly capacity into a queue until the queue holds this many weeks of its capacity; only then does it refuse new tasks. Assumption.";
        wait_weight: NonNeg = NonNeg(0.4),
            "Disutility, for a GP, of handing a task to a platform per week of its waiting time (its queue over its weekly capacity at the start of the week). Assumption.";
        handover_base: Real = Real(0.0),
            "Log-odds that a GP hands a platform the whole pathway of a coordination task the platform takes (rather than the task alone), before the terms below. Assumption.";
        handover_load_weight: NonNeg = NonNeg(1.0),
            "Log-odds of a pathway handover per unit of the GP's share of its week already used (handing over the pathway spares its time later). Assumption.";
        handover_complexity_weight: NonNeg = NonNeg(0.5),
            "Log-odds of a pathway handover per need of the patient beyond population.complex_threshold. Assumption.";
        handover_trust_weight: NonNeg = NonNeg(2.0),
            "Log-odds of a pathway handover per unit of the inter-organisational tie between the GP's structure and the platform (trust in the platform). Assumption.";
        handover_pivot_weight: NonNeg = NonNeg(4.0),
            "Log-odds against a pathway handover per unit of the GP's pivot attachment (its wish to stay the one who decides the pathway). Assumption after the platform study.";
        case_closure: Share = Share(0.5),
            "Probability that a platform holding a patient's pathway hands it back to the GP after each coordination task it does for that patient (it holds a pathway for 1 / case_closure such tasks on average). Assumption.";
    }

    /// Control imposed by a delegating GP and the professional's friction (the MSMA study).
    Control {
        friction_sensitivity: NonNeg = NonNeg(1.0),
            "Friction probability per unit of control above the professional's tolerance (1 - autonomy demand).";
        friction_trust_loss: Share = Share(0.08),
            "Trust lost by the tie at a friction event.";
        friction_satisfaction_loss: Share = Share(0.02),
            "Satisfaction the professional loses at a friction event.";
        success_trust_gain: Share = Share(0.05),
            "Share of the gap to 1 that trust gains at a good outcome.";
        friction_refusal: Share = Share(0.3),
            "Probability that a professional of the GP's own structure refuses a task whose terms caused friction (it defends the timing and scope of its work); the need is then unmet. Assumption.";
        concession_rate: Share = Share(0.01),
            "Share of the gap between its control orientation and a professional's tolerance that a GP concedes at each friction event with that professional (negotiated order, GP side). Assumption.";
        accommodation_rate: Share = Share(0.005),
            "Share of the gap between its tolerance and the GP's control orientation that a professional of the GP's structure concedes at each good outcome of a delegation without friction (negotiated order, professional side). Assumption.";
        control_floor: Share = Share(0.1),
            "Control orientation below which a GP concedes no more.";
    }

    /// What coordinators do with their time (the Pacte study).
    Coordination {
        coordinator_turnover_per_year: Share = Share(0.15),
            "Yearly probability that a structure's coordinator leaves; the post is filled at once by a newcomer, untrained and with the initial legitimacy. Assumption.";
        hours_per_fte: Pos = Pos(35.0),
            "Working hours of one full-time coordinator per week.";
        meeting_share: Share = Share(0.3),
            "Share of coordinator time spent on concertation meetings.";
        case_share: Share = Share(0.4),
            "Share of coordinator time spent coordinating complex cases.";
        protocol_share: Share = Share(0.15),
            "Share of coordinator time spent writing protocols.";
        networking_share: Share = Share(0.15),
            "Share of coordinator time spent networking with other organisations. The four shares must add up to 1.";
        hours_per_meeting: Pos = Pos(6.0),
            "Coordinator hours a meeting takes, preparation included.";
        meeting_tie_gain: Share = Share(0.04),
            "Share of the gap to 1 that each GP-professional tie among participants gains per meeting.";
        hours_per_case: Pos = Pos(2.0),
            "Coordinator hours to follow one complex case in a week.";
        hours_per_protocol: Pos = Pos(120.0),
            "Coordinator hours to agree one protocol.";
        max_protocols: u32 = 10,
            "Most protocols a structure holds.";
        networking_tie_gain: Share = Share(0.004),
            "Share of the gap to 1 an inter-organisational tie gains per networking hour.";
        training_multiplier: Pos = Pos(1.5),
            "Multiplier of a trained (Pacte) coordinator's effect on meetings, protocols, networking and legitimacy gains.";
        refusal_base: Share = Share(0.4),
            "Probability that a fully closed member refuses a meeting before results and peers lower it; closedness is the control orientation of a GP and the autonomy demand of a professional (what taking part would make it give up). Assumption.";
        results_weight: Share = Share(0.6),
            "How much the results a member has seen lower its resistance to meetings: refusal is multiplied by 1 - results_weight x the coordinator's legitimacy (earned by useful work). Assumption.";
        peer_weight: Share = Share(0.5),
            "How much its peers' example lowers a member's resistance to meetings: refusal is multiplied by 1 - peer_weight x the share of members who took part in the structure's last meeting. Assumption.";
        legitimacy_initial: Share = Share(0.4),
            "Legitimacy of a new coordinator.";
        legitimacy_gain: Share = Share(0.01),
            "Share of the gap to 1 that legitimacy gains per useful act (a meeting held, a case followed, a protocol signed).";
        legitimacy_loss: Share = Share(0.005),
            "Legitimacy lost per refusal to take part.";
        protocol_resistance: NonNeg = NonNeg(1.0),
            "Multiplier of a member's refusal probability when it weighs a protocol its coordinator wrote: each objects with this times its probability of refusing a meeting, and the protocol is adopted with the share of members who agree as probability (0: protocols meet no resistance). Assumption after the Pacte study.";
        legitimacy_decay: Share = Share(0.03),
            "Share of legitimacy lost each week: recognition must be renewed by useful work.";
    }

    /// Trust ties between GPs and support professionals.
    Ties {
        initial_in_structure: Share = Share(0.3),
            "Trust between members of the same structure at the start.";
        first_contact: Share = Share(0.1),
            "Trust of a tie created by a first delegation.";
        joint_work_gain: Share = Share(0.05),
            "Share of the gap to 1 trust gains with each accepted delegation.";
        decay_per_week: Share = Share(0.006),
            "Share of trust lost each week (ties without use fade).";
        active_threshold: Share = Share(0.2),
            "Trust from which a tie counts in network density.";
        prune_below: Share = Share(0.01),
            "Trust under which a tie is forgotten.";
    }

    /// Structure-to-structure cooperation (the MSP study).
    Interorg {
        referral_gain: Share = Share(0.03),
            "Share of the gap to 1 an inter-organisational tie gains per referral.";
        decay_per_week: Share = Share(0.008),
            "Share of an inter-organisational tie lost each week.";
        size_effect: NonNeg = NonNeg(0.15),
            "Gain multiplier per log of members of the referring structure.";
        age_effect: NonNeg = NonNeg(0.3),
            "Gain multiplier at 10 years of age of the referring structure (linear up to 10).";
        coordinator_effect: NonNeg = NonNeg(0.5),
            "Gain multiplier for a referring structure with a coordinator.";
        info_system_effect: NonNeg = NonNeg(0.3),
            "Gain multiplier for a referring structure with a shared information system.";
        rural_effect: Real = Real(0.2),
            "Gain multiplier in rural zones (fewer partners, closer ties). Assumption after the MSP study.";
        active_threshold: Share = Share(0.15),
            "Tie strength from which two structures count as cooperating.";
    }

    /// MSP formation, retirements and arrivals.
    Structural {
        msp_join_rate_per_year: NonNeg = NonNeg(0.02),
            "Yearly rate at which a GP outside an MSP joins or founds one, before the terms below. Assumption fitted to MSP growth.";
        msp_incentive: NonNeg = NonNeg(1.0),
            "Multiplier of the joining rate from financial incentives (1 = today's).";
        peer_effect: NonNeg = NonNeg(2.0),
            "Added multiplier per unit share of the zone's GPs already in an MSP.";
        support_programme: NonNeg = NonNeg(0.0),
            "Added multiplier from regional support programmes for MSP projects.";
        workload_effect: NonNeg = NonNeg(1.0),
            "Added multiplier of a GP's joining rate per unit of its share of the week's consultation time used: GPs with full weeks look for a team to share them with. Assumption.";
        msp_min_gps: u32 = 2,
            "GPs needed to found an MSP.";
        msp_max_gps: u32 = 12,
            "Most GPs an MSP takes.";
        agreement_uptake: Share = Share(0.75),
            "Probability that an MSP founded during a run signs the MSP agreement (ACI), which funds a coordinator and requires a shared information system. CNAM: 1,731 of 2,251 MSPs paid under the agreement for 2022.";
        agreement_coordinator_fte: NonNeg = NonNeg(0.3),
            "Coordinator FTE the agreement funds in an MSP that signs it. Assumption.";
        retirement_age: Pos = Pos(66.0),
            "Age from which GPs retire. Assumption.";
        retirement_rate_per_year: Share = Share(0.3),
            "Yearly probability a GP past retirement_age retires.";
        arrivals_per_100k_per_year: NonNeg = NonNeg(4.0),
            "New GPs settling per 100,000 residents per year, scaled by the zone's density factor. Assumption.";
        newcomer_age: Pos = Pos(33.0),
            "Age of a newly settled GP.";
        newcomer_msp_preference: Share = Share(0.5),
            "Probability a newcomer joins an MSP of the zone that has room; otherwise group practice.";
    }

    /// Access and health consequences.
    Outcomes {
        max_wait_weeks: u32 = 3,
            "Weeks a patient waits for a consultation before looking elsewhere or giving up.";
        seek_elsewhere_prob: Share = Share(0.6),
            "Probability a patient who waited too long consults in a linked zone, times the attraction of the nearest one; otherwise care is forgone.";
        avoidable_hosp_per_unmet: Share = Share(0.02),
            "Probability an unmet task of a complex patient leads to an avoidable hospitalisation.";
        avoidable_hosp_per_forgone: Share = Share(0.03),
            "Probability a forgone episode of a complex patient leads to an avoidable hospitalisation.";
    }
}

/// Calls the macro `$then` with every parameter section as `field: Type,`, in the order of
/// the scenario file: the one list from which `Params`, `SECTION_DOCS` and the sections of
/// `RawScenario` are written.
macro_rules! param_sections {
    ($then:ident) => {
        $then! {
            territory: Territory,
            population: Population,
            demand: Demand,
            workforce: Workforce,
            gp_traits: GpTraits,
            professionals: Professionals,
            tasks: Tasks,
            delegation: Delegation,
            platform: Platform,
            control: Control,
            coordination: Coordination,
            ties: Ties,
            interorg: Interorg,
            structural: Structural,
            outcomes: Outcomes,
        }
    };
}
pub(crate) use param_sections;

/// Writes `SECTION_DOCS` and `Params` from the list of `param_sections!`.
macro_rules! params_and_docs {
    ($( $field:ident : $ty:ident, )*) => {
        /// Every section's name and its field documentation, in the order `pluri show`
        /// prints them.
        pub const SECTION_DOCS: &[(&str, &[(&str, &str)])] =
            &[ $( (stringify!($field), $ty::DOCS), )* ];

        /// All parameter sections of a scenario.
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Params {
            $(
                #[doc = concat!("See [`", stringify!($ty), "`].")]
                #[serde(default)]
                pub $field: $ty,
            )*
        }
    };
}

param_sections!(params_and_docs);

#[cfg(test)]
mod tests {
    use super::SECTION_DOCS;

    #[test]
    fn model_doc_lists_every_parameter() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/MODEL.md");
        let doc = std::fs::read_to_string(path).expect("docs/MODEL.md");
        for (section, fields) in SECTION_DOCS {
            for (field, _) in *fields {
                assert!(
                    doc.contains(&format!("`{section}.{field}`")),
                    "docs/MODEL.md lacks {section}.{field}"
                );
            }
        }
    }

    /// A parameter row of `docs/MODEL.md` (`` | `section.field` | default | meaning | ``)
    /// that neither cites a source ("Source:") nor says it is an assumption.
    fn unsourced(line: &str) -> Option<&str> {
        let rest = line.strip_prefix("| `")?;
        let (name, after) = rest.split_once('`')?;
        let is_param = name.contains('.') && after.starts_with(" |");
        let marked = line.contains("Source:") || line.contains("Assumption");
        (is_param && !marked).then_some(name)
    }

    #[test]
    fn every_parameter_default_is_sourced_or_marked_an_assumption() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/MODEL.md");
        let doc = std::fs::read_to_string(path).expect("docs/MODEL.md");
        let rows = doc.lines().filter(|l| l.starts_with("| `")).count();
        let bare: Vec<&str> = doc.lines().filter_map(unsourced).collect();
        assert!(
            rows >= 130,
            "only {rows} parameter rows found in docs/MODEL.md"
        );
        assert!(
            bare.is_empty(),
            "docs/MODEL.md: these parameters' rows say neither \"Source:\" nor \"Assumption\": {bare:?}"
        );
        assert_eq!(unsourced("| `a.b` | 1 | Meaning. |"), Some("a.b"));
        assert_eq!(unsourced("| `a.b` | 1 | Meaning. Assumption: why. |"), None);
        assert_eq!(unsourced("| `a.b` | 1 | Meaning. Source: who. |"), None);
    }
}
