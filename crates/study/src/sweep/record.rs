//! What one finished run leaves on disk (`runs/NNNNNN.json`) and prints with `--jsonl`.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map that keeps its keys in the order given (parameter order, headline order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Ordered<T>, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = m.next_entry()? {
                    v.push(entry);
                }
                Ok(Ordered(v))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// One finished run. Non-finite indicators are stored as `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// Run index, `point * replicates + replicate`.
    pub run: u64,
    /// Point index.
    pub point: u64,
    /// Replicate, from 0.
    pub replicate: u32,
    /// The run's seed.
    pub seed: u64,
    /// Parameter values, in parameter order.
    pub parameters: Ordered<serde_json::Value>,
    /// Headline indicators, in [`pluri_core::RunResults::headline`] order.
    pub indicators: Ordered<Option<f64>>,
    /// The command that re-runs it alone from the sweep's output directory.
    pub command: String,
    /// Seconds spent simulating (not part of the tables).
    pub simulate_seconds: f64,
}

/// A parameter value as JSON (integers stay integers, floats stay floats).
pub fn json_value(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        other => serde_json::Value::String(other.to_string()),
    }
}

/// A parameter value as a CSV cell: numbers in shortest round-trip form, strings bare.
pub fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A number as a CSV cell: shortest round-trip form, empty when not finite.
pub fn num(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => x.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keeps_key_order_and_exact_values_through_json() {
        let r = RunRecord {
            run: 5,
            point: 2,
            replicate: 1,
            seed: u64::MAX,
            parameters: Ordered(vec![
                ("z.b".into(), serde_json::json!(0.1)),
                ("a.c".into(), serde_json::json!(3)),
            ]),
            indicators: Ordered(vec![
                ("zeta".into(), Some(0.1 + 0.2)),
                ("alpha".into(), None),
            ]),
            command: "pluri run base.toml --seed 1".into(),
            simulate_seconds: 0.5,
        };
        let text = serde_json::to_string(&r).unwrap_or_default();
        assert!(text.find("z.b") < text.find("a.c"), "{text}");
        let back: RunRecord = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, r);
    }
}
