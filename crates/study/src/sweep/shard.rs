//! `--shard K/N`: which runs a shard owns (`run % N == K - 1`).

use super::error::SweepError;
use std::fmt;
use std::str::FromStr;

/// One of `n` shards, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 1-based.
    pub k: u64,
    /// Shards in all.
    pub n: u64,
}

impl Shard {
    /// The whole sweep as one shard.
    pub const ALL: Shard = Shard { k: 1, n: 1 };

    /// Whether run `run` belongs to this shard.
    pub fn owns(&self, run: u64) -> bool {
        run % self.n == self.k - 1
    }

    /// Whether this is the whole sweep.
    pub fn is_all(&self) -> bool {
        self.n == 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl FromStr for Shard {
    type Err = SweepError;

    fn from_str(s: &str) -> Result<Shard, SweepError> {
        let fail = |message: String| SweepError::Shard {
            given: s.to_string(),
            message,
        };
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| fail("expected K/N, for example 2/8 (shard 2 of 8)".into()))?;
        let parse = |x: &str, what: &str| {
            x.trim().parse::<u64>().map_err(|_| {
                fail(format!(
                    "{what} {x:?} is not a whole number: expected K/N, for example 2/8"
                ))
            })
        };
        let (k, n) = (parse(k, "K")?, parse(n, "N")?);
        if n == 0 {
            return Err(fail("N must be at least 1".into()));
        }
        if k == 0 || k > n {
            return Err(fail(format!(
                "K must be between 1 and {n} (shards are numbered from 1)"
            )));
        }
        Ok(Shard { k, n })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        s.parse::<Shard>()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn rejects_a_shard_beyond_the_count_zero_and_words() {
        assert!(err("3/2").contains("between 1 and 2"), "{}", err("3/2"));
        assert!(err("0/2").contains("numbered from 1"), "{}", err("0/2"));
        assert!(err("a/b").contains("not a whole number"), "{}", err("a/b"));
        assert!(err("2").contains("expected K/N"), "{}", err("2"));
        assert!(err("1/0").contains("at least 1"), "{}", err("1/0"));
    }

    #[test]
    fn shards_cover_every_run_exactly_once() {
        let shards: Vec<Shard> = (1..=3).map(|k| Shard { k, n: 3 }).collect();
        for run in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.owns(run)).count(), 1);
        }
    }
}
