//! Designs: the points of a sweep (grid, uniform random, Latin hypercube), deterministic from the seed.

use super::raw::DesignKind;
use super::seed::design_seed;
use super::spec::{Domain, Param};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use toml::Value;

/// The points of a design: one value per parameter, in parameter order.
///
/// A grid runs every combination, the last parameter varying fastest. Random and Latin
/// hypercube designs draw `samples` points with a ChaCha8 generator seeded from the sweep
/// seed ([`design_seed`]); a Latin hypercube cuts each range into `samples` equal strata and
/// uses each stratum exactly once per parameter.
pub fn points(params: &[Param], kind: DesignKind, samples: u64, seed: u64) -> Vec<Vec<Value>> {
    match kind {
        DesignKind::Grid => grid(params),
        DesignKind::Random | DesignKind::Lhs => {
            let n = usize::try_from(samples).unwrap_or(usize::MAX);
            let mut rng = ChaCha8Rng::seed_from_u64(design_seed(seed));
            let unit = if kind == DesignKind::Lhs {
                latin_hypercube(n, params.len(), &mut rng)
            } else {
                (0..n)
                    .map(|_| (0..params.len()).map(|_| rng.random::<f64>()).collect())
                    .collect()
            };
            unit.into_iter()
                .map(|u| {
                    params
                        .iter()
                        .zip(u)
                        .map(|(p, x)| scale(&p.domain, x))
                        .collect()
                })
                .collect()
        }
    }
}

fn grid(params: &[Param]) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for p in params {
        let values = match &p.domain {
            Domain::Values(v) => v.as_slice(),
            Domain::Range { .. } => &[],
        };
        out = out
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut row = prefix.clone();
                    row.push(v.clone());
                    row
                })
            })
            .collect();
    }
    out
}

/// `n` points in the unit hypercube of dimension `k`, one per stratum of every axis.
pub fn latin_hypercube(n: usize, k: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    let mut cols: Vec<Vec<f64>> = Vec::with_capacity(k);
    for _ in 0..k {
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            strata.swap(i, rng.random_range(0..=i));
        }
        cols.push(
            strata
                .into_iter()
                .map(|s| (s as f64 + rng.random::<f64>()) / n as f64)
                .collect(),
        );
    }
    (0..n)
        .map(|i| cols.iter().map(|c| c[i]).collect())
        .collect()
}

/// The value at position `x` in `[0, 1)` of a domain.
pub fn scale(domain: &Domain, x: f64) -> Value {
    match domain {
        Domain::Range {
            min,
            max,
            integer: false,
        } => Value::Float(min + x * (max - min)),
        Domain::Range {
            min,
            max,
            integer: true,
        } => {
            let v = (min + x * (max - min + 1.0)).floor().min(*max);
            Value::Integer(v as i64)
        }
        Domain::Values(v) => {
            let i = ((x * v.len() as f64) as usize).min(v.len().saturating_sub(1));
            v.get(i).cloned().unwrap_or(Value::Float(x))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(path: &str, min: f64, max: f64) -> Param {
        Param {
            path: path.into(),
            domain: Domain::Range {
                min,
                max,
                integer: false,
            },
        }
    }

    #[test]
    fn grid_runs_every_combination_with_the_last_parameter_fastest() {
        let p = |path: &str, v: &[i64]| Param {
            path: path.into(),
            domain: Domain::Values(v.iter().map(|&i| Value::Integer(i)).collect()),
        };
        let pts = points(
            &[p("a", &[1, 2]), p("b", &[10, 20, 30])],
            DesignKind::Grid,
            0,
            1,
        );
        assert_eq!(pts.len(), 6);
        assert_eq!(pts[1], vec![Value::Integer(1), Value::Integer(20)]);
        assert_eq!(pts[3], vec![Value::Integer(2), Value::Integer(10)]);
    }

    #[test]
    fn latin_hypercube_uses_every_stratum_once_per_parameter() {
        let params = [range("a", 0.0, 10.0), range("b", -1.0, 1.0)];
        let pts = points(&params, DesignKind::Lhs, 10, 3);
        for (j, p) in params.iter().enumerate() {
            let Domain::Range { min, max, .. } = p.domain else {
                unreachable!()
            };
            let mut strata: Vec<usize> = pts
                .iter()
                .map(|row| {
                    let x = row[j].as_float().unwrap_or(f64::NAN);
                    ((x - min) / (max - min) * 10.0) as usize
                })
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn random_design_is_reproducible_from_the_seed_and_stays_in_range() {
        let params = [range("a", 2.0, 3.0)];
        let a = points(&params, DesignKind::Random, 50, 9);
        assert_eq!(a, points(&params, DesignKind::Random, 50, 9));
        assert_ne!(a, points(&params, DesignKind::Random, 50, 10));
        assert!(a
            .iter()
            .all(|r| (2.0..3.0).contains(&r[0].as_float().unwrap_or(-1.0))));
    }

    #[test]
    fn integer_ranges_draw_every_integer_including_both_ends() {
        let d = Domain::Range {
            min: 1.0,
            max: 3.0,
            integer: true,
        };
        let got: Vec<Value> = [0.0, 0.34, 0.99].iter().map(|&x| scale(&d, x)).collect();
        assert_eq!(
            got,
            vec![Value::Integer(1), Value::Integer(2), Value::Integer(3)]
        );
    }
}
