//! Semantic checks of one intervention's action: its targets, counts and parameters.

use super::ctx::Ctx;
use crate::scenario::error::ScenarioError;
use crate::scenario::params::Params;
use crate::scenario::raw::{ActionKind, RawIntervention, StructureKind};
use crate::scenario::spec::{Action, StructureSpec, Target};
use std::collections::BTreeMap;

pub(super) fn build_action(
    ctx: &Ctx,
    span: std::ops::Range<usize>,
    iv: &RawIntervention,
    structures: &[StructureSpec],
    structure_index: &BTreeMap<String, usize>,
    zone_index: &BTreeMap<String, usize>,
    current: &mut Params,
) -> Result<Action, ScenarioError> {
    let f = |name: &str| format!("interventions.{}.{name}", iv.name);
    let err = |name: &str, msg: String| ctx.err(Some(span.clone()), &f(name), msg);
    let target = |required: bool| -> Result<Option<Target>, ScenarioError> {
        match (iv.structures.is_empty(), iv.target_kind) {
            (false, Some(_)) => Err(err(
                "target_kind",
                "give either structures or target_kind, not both".into(),
            )),
            (false, None) => {
                let mut ids = Vec::new();
                for name in &iv.structures {
                    let Some(&i) = structure_index.get(name.get_ref()) else {
                        return Err(ctx.err(
                            Some(name.span()),
                            &f("structures"),
                            format!("no structure named {:?} in [[structures]]", name.get_ref()),
                        ));
                    };
                    ids.push(i);
                }
                Ok(Some(Target::Named(ids)))
            }
            (true, Some(k)) => Ok(Some(Target::Kind(k))),
            (true, None) if required => Err(err(
                "structures",
                format!(
                    "{:?} needs targets: structures = [\"name\", ...] or target_kind = \"msp\"",
                    iv.action
                ),
            )),
            (true, None) => Ok(None),
        }
    };
    let only_practices = |t: &Target| -> Result<(), ScenarioError> {
        let ok = match t {
            Target::Kind(k) => k.is_practice(),
            Target::Named(ids) => ids.iter().all(|&i| structures[i].kind.is_practice()),
        };
        if ok {
            Ok(())
        } else {
            Err(err(
                "structures",
                format!("{:?} acts on practices (solo, group_practice, msp, health_centre, msma), not on dac, hospital or social_services", iv.action),
            ))
        }
    };
    let need_target = || -> Result<Target, ScenarioError> {
        target(true).map(|t| t.unwrap_or(Target::Named(Vec::new())))
    };
    let only_dacs = |t: &Target| -> Result<(), ScenarioError> {
        let ok = match t {
            Target::Kind(k) => *k == StructureKind::Dac,
            Target::Named(ids) => ids
                .iter()
                .all(|&i| structures[i].kind == StructureKind::Dac),
        };
        if ok {
            Ok(())
        } else {
            Err(err(
                "structures",
                "platforms are opened and closed: target structures of kind dac".into(),
            ))
        }
    };
    use crate::scenario::limits;
    if let Some(fte) = iv.fte {
        limits::fte(fte.get()).map_err(|m| err("fte", m))?;
    }
    for (name, n) in [
        ("psychologists", iv.psychologists),
        ("social_workers", iv.social_workers),
    ] {
        limits::staff(n.unwrap_or(0)).map_err(|m| err(name, m))?;
    }
    if let Some(n) = iv.count {
        match iv.action {
            ActionKind::SignProtocols => limits::protocols(n),
            _ => limits::staff(n),
        }
        .map_err(|m| err("count", m))?;
    }
    Ok(match iv.action {
        ActionKind::FundCoordinator => {
            let fte = iv.fte.ok_or_else(|| err("fte", "fund_coordinator needs fte (coordinator full-time equivalents, for example 1.0)".into()))?;
            let target = need_target()?;
            only_practices(&target)?;
            Action::FundCoordinator {
                target,
                fte: fte.get(),
            }
        }
        ActionKind::TrainCoordinators => {
            let target = need_target()?;
            only_practices(&target)?;
            Action::TrainCoordinators { target }
        }
        ActionKind::OpenPlatform => {
            let t = need_target()?;
            only_dacs(&t)?;
            Action::OpenPlatform { target: t }
        }
        ActionKind::ClosePlatform => {
            let t = need_target()?;
            only_dacs(&t)?;
            Action::ClosePlatform { target: t }
        }
        ActionKind::DeployMsma => Action::DeployMsma {
            target: need_target().and_then(|t| only_practices(&t).map(|()| t))?,
            fte: iv.fte.map(|v| v.get()).unwrap_or(0.5),
            psychologists: iv.psychologists.unwrap_or(1),
            social_workers: iv.social_workers.unwrap_or(1),
        },
        ActionKind::AddProfessionals => {
            let profession = iv.profession.ok_or_else(|| {
                err(
                    "profession",
                    "add_professionals needs profession: gp, psychologist, social_worker or nurse"
                        .into(),
                )
            })?;
            let count = iv.count.ok_or_else(|| {
                err(
                    "count",
                    "add_professionals needs count (a whole number)".into(),
                )
            })?;
            let t = target(false)?;
            if let Some(t) = &t {
                only_practices(t)?;
            }
            let zone =
                match (&t, &iv.zone) {
                    (Some(_), Some(_)) => return Err(err(
                        "zone",
                        "give either zone (independent newcomers) or target structures, not both"
                            .into(),
                    )),
                    (Some(_), None) => 0,
                    (None, Some(z)) => *zone_index
                        .get(z)
                        .ok_or_else(|| err("zone", format!("no zone named {z:?}")))?,
                    (None, None) => return Err(err(
                        "zone",
                        "add_professionals needs zone (independent newcomers) or target structures"
                            .into(),
                    )),
                };
            Action::AddProfessionals {
                target: t,
                zone,
                profession,
                count,
            }
        }
        ActionKind::SignProtocols => Action::SignProtocols {
            target: need_target().and_then(|t| only_practices(&t).map(|()| t))?,
            count: iv.count.ok_or_else(|| {
                err(
                    "count",
                    "sign_protocols needs count (protocols added to each target)".into(),
                )
            })?,
        },
        ActionKind::IntroduceInfoSystem => Action::IntroduceInfoSystem {
            target: need_target()?,
        },
        ActionKind::SetParameter => {
            let path = iv.path.clone().ok_or_else(|| {
                err(
                    "path",
                    "set_parameter needs path, for example \"structural.msp_incentive\"".into(),
                )
            })?;
            let value = iv
                .value
                .clone()
                .ok_or_else(|| err("value", "set_parameter needs value".into()))?;
            let next = crate::scenario::set::set_param(current, &path, value)
                .map_err(|m| err("path", m))?;
            crate::scenario::limits::params(&next)
                .map_err(|(f, m)| err("value", format!("`{f}`: {m}")))?;
            *current = next.clone();
            Action::SetParameter {
                path,
                params: Box::new(next),
            }
        }
    })
}
