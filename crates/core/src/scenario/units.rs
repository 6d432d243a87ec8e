//! Range-checked numbers for scenario fields.
//!
//! Each type checks its range while it is deserialized, so a bad value is reported by
//! `toml` with the file's line and column and the key, before any semantic check runs.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! checked_f64 {
    ($(#[$m:meta])* $name:ident, $expect:literal, |$v:ident| $ok:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
        pub struct $name(pub f64);

        impl $name {
            /// What the type accepts, as said in error messages.
            pub const EXPECTED: &'static str = $expect;

            /// Whether `v` is in range.
            pub fn accepts($v: f64) -> bool {
                $ok
            }

            /// The number.
            #[inline]
            pub fn get(self) -> f64 {
                self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_f64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expect)
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$name, E> {
                        if $name::accepts(v) {
                            Ok($name(v))
                        } else {
                            Err(E::invalid_value(de::Unexpected::Float(v), &self))
                        }
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        if $name::accepts(v as f64) {
                            Ok($name(v as f64))
                        } else {
                            Err(E::invalid_value(de::Unexpected::Signed(v), &self))
                        }
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        self.visit_f64(v as f64)
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

checked_f64!(
    /// A share or probability: a finite number from 0 to 1.
    Share,
    "a share between 0 and 1 (for example 0.25)",
    |v| v.is_finite() && (0.0..=1.0).contains(&v)
);

checked_f64!(
    /// A finite number of 0 or more.
    NonNeg,
    "a finite number of 0 or more",
    |v| v.is_finite() && v >= 0.0
);

checked_f64!(
    /// A finite number above 0.
    Pos,
    "a finite number above 0",
    |v| v.is_finite() && v > 0.0
);

checked_f64!(
    /// Any finite number (utility weights may be negative).
    Real,
    "a finite number",
    |v| v.is_finite()
);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        #[allow(dead_code)]
        x: Share,
    }

    #[test]
    fn share_above_one_is_refused_with_line_and_expected_range() {
        let err = toml::from_str::<T>("\nx = 1.5\n")
            .err()
            .map(|e| e.to_string());
        let msg = err.unwrap_or_default();
        assert!(msg.contains("line 2"), "{msg}");
        assert!(msg.contains("between 0 and 1"), "{msg}");
    }

    #[test]
    fn nan_and_infinity_are_refused() {
        assert!(toml::from_str::<T>("x = nan").is_err());
        assert!(toml::from_str::<T>("x = inf").is_err());
    }

    #[test]
    fn integers_are_accepted_where_in_range() {
        let t: T = toml::from_str("x = 1").expect("1 is a share");
        assert_eq!(t.x.get(), 1.0);
        assert!(toml::from_str::<T>("x = -1").is_err());
    }
}
