//! Links between zones for the territory map: the strongest organisational tie between
//! their structures, gathered from a run's ties.

use pluri_schema::run::{StructureRecord, TieRecord, ORGANISATIONAL_TIE};
use std::collections::BTreeMap;

/// Links between zones drawn: the strongest this many.
pub(crate) const TOP_LINKS: usize = 30;

/// Cooperation between two zones: the strongest organisational tie between their structures.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    /// One zone (the first by name).
    pub a: String,
    /// The other zone.
    pub b: String,
    /// Strength of the strongest tie between them, 0 to 1.
    pub strength: f64,
    /// Ties between their structures.
    pub ties: usize,
}

/// Links between distinct zones, gathered a tie at a time (ties inside a zone cannot be
/// drawn as lines and are left out; professional ties are not between structures).
pub(crate) struct ZoneLinks<'s> {
    zone_of: BTreeMap<&'s str, &'s str>,
    links: BTreeMap<(&'s str, &'s str), Link>,
}

impl<'s> ZoneLinks<'s> {
    /// No link yet, between the zones of `structures`.
    pub(crate) fn new(structures: &'s [StructureRecord]) -> ZoneLinks<'s> {
        ZoneLinks {
            zone_of: structures
                .iter()
                .map(|s| (s.structure.as_str(), s.zone.as_str()))
                .collect(),
            links: BTreeMap::new(),
        }
    }

    /// Counts `tie` in the link between its structures' zones, if it is organisational.
    pub(crate) fn add(&mut self, tie: &TieRecord<'_>) {
        if tie.kind != ORGANISATIONAL_TIE {
            return;
        }
        let (Some(&za), Some(&zb)) = (self.zone_of.get(tie.source), self.zone_of.get(tie.target))
        else {
            return;
        };
        if za == zb {
            return;
        }
        let key = if za < zb { (za, zb) } else { (zb, za) };
        let link = self.links.entry(key).or_insert_with(|| Link {
            a: key.0.to_string(),
            b: key.1.to_string(),
            strength: 0.0,
            ties: 0,
        });
        link.strength = link.strength.max(tie.strength);
        link.ties += 1;
    }

    /// The `top` strongest links, strongest first.
    pub(crate) fn strongest(self, top: usize) -> Vec<Link> {
        let mut links: Vec<Link> = self.links.into_values().collect();
        links.sort_by(|x, y| {
            y.strength
                .total_cmp(&x.strength)
                .then(y.ties.cmp(&x.ties))
                .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
        });
        links.truncate(top);
        links
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structure(name: &str, zone: &str) -> StructureRecord {
        StructureRecord {
            structure: name.to_string(),
            kind: "msp".into(),
            zone: zone.to_string(),
            active: true,
            ..StructureRecord::default()
        }
    }

    fn tie<'a>(a: &'a str, b: &'a str, strength: f64) -> TieRecord<'a> {
        TieRecord {
            kind: ORGANISATIONAL_TIE,
            source: a,
            target: b,
            source_structure: a,
            target_structure: b,
            strength,
        }
    }

    fn links(structures: &[StructureRecord], ties: &[TieRecord], top: usize) -> Vec<Link> {
        let mut links = ZoneLinks::new(structures);
        for t in ties {
            links.add(t);
        }
        links.strongest(top)
    }

    #[test]
    fn links_join_zones_by_their_strongest_tie_and_skip_ties_inside_a_zone() {
        let structures = [
            structure("a1", "north"),
            structure("a2", "north"),
            structure("b1", "south"),
            structure("c1", "east"),
        ];
        let ties = [
            tie("a1", "a2", 0.99),
            tie("a1", "b1", 0.4),
            tie("b1", "a2", 0.7),
            tie("c1", "a1", 0.5),
            tie("c1", "unknown", 0.9),
        ];
        let all = links(&structures, &ties, 10);
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].a.as_str(), all[0].b.as_str()), ("north", "south"));
        assert_eq!((all[0].strength, all[0].ties), (0.7, 2));
        assert_eq!((all[1].a.as_str(), all[1].b.as_str()), ("east", "north"));
        assert_eq!(links(&structures, &ties, 1).len(), 1);
    }

    #[test]
    fn professional_ties_make_no_link_between_zones() {
        let structures = [structure("a1", "north"), structure("b1", "south")];
        let mut t = tie("a1", "b1", 0.8);
        t.kind = pluri_schema::run::PROFESSIONAL_TIE;
        assert!(links(&structures, &[t], 10).is_empty());
    }
}
