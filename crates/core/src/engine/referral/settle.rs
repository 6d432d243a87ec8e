//! The end of phase 4: patients without a GP who looked for one elsewhere during the
//! consultations settle in a linked zone, zone by zone in order.

use crate::model::{World, NONE16};
use crate::scenario::Params;
use rand::Rng;

/// Two distinct elements of a slice, mutably.
fn pair_mut<T>(v: &mut [T], a: usize, b: usize) -> (&mut T, &mut T) {
    debug_assert_ne!(a, b);
    if a < b {
        let (x, y) = v.split_at_mut(b);
        (&mut x[a], &mut y[0])
    } else {
        let (x, y) = v.split_at_mut(a);
        (&mut y[0], &mut x[b])
    }
}

/// A patient without a GP settles with a GP with room in the nearest linked zone that has one.
pub(super) fn settle_elsewhere<R: Rng>(
    world: &mut World,
    p: &Params,
    rng: &mut R,
    z: usize,
    i: usize,
) {
    if world.cells[z].patients.gp[i] != NONE16 {
        return;
    }
    let Some(to) = world.links[z]
        .iter()
        .map(|l| l.to as usize)
        .find(|&l| !world.cells[l].open_gps.is_empty())
    else {
        return;
    };
    let (from, dest) = pair_mut(&mut world.cells, z, to);
    let k = rng.random_range(0..dest.open_gps.len());
    let g = dest.open_gps[k];
    let gp = &mut dest.gps[g as usize];
    gp.list_size += 1;
    if gp.list_size >= p.workforce.gp_list_max {
        dest.open_gps.swap_remove(k);
    }
    let (next, f, fol, wait) = from.patients.swap_remove(i);
    from.without_gp -= 1;
    let complex = crate::model::profile::is_complex(f, p.population.complex_threshold);
    let multi = complex && crate::model::Patients::multi(fol);
    if complex {
        from.complex_total -= 1;
        dest.complex_total += 1;
    }
    if multi {
        from.complex_multi -= 1;
        dest.complex_multi += 1;
    }
    dest.patients.push(next, g, f);
    let j = dest.patients.len() - 1;
    dest.patients.follow[j] = fol;
    // A patient without a GP waits for none; a platform that holds its pathway keeps it.
    if dest
        .patients
        .set_held(j, wait & crate::model::Patients::HELD != 0)
        > 0
    {
        from.held_pathways -= 1;
        dest.held_pathways += 1;
    }
}
