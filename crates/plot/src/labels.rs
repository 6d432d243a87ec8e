//! Readable labels for varied parameters: figures name a parameter in words on their axes,
//! legends and ticks, and give its dotted path (what `--set` and the tables use) in a note.

use super::style::{self, size};

/// A readable label for each dotted path: its last segment in words, with the named entry
/// it belongs to when there is one (`gp_traits.delegation_propensity_mean` → `delegation
/// propensity mean`, `structures.dac.active` → `active (dac)`). Paths that would share a
/// label keep their whole path.
pub(crate) fn param_labels(paths: &[&str]) -> Vec<String> {
    let labels: Vec<String> = paths.iter().map(|p| label(p)).collect();
    labels
        .iter()
        .zip(paths)
        .map(|(l, p)| {
            if labels.iter().filter(|m| *m == l).count() > 1 {
                p.to_string()
            } else {
                l.clone()
            }
        })
        .collect()
}

fn label(path: &str) -> String {
    let segments: Vec<&str> = path.split('.').collect();
    let words = |s: &str| s.replace('_', " ");
    match segments.as_slice() {
        [.., entry, field] if segments.len() >= 3 => format!("{} ({entry})", words(field)),
        [.., field] => words(field),
        [] => path.to_string(),
    }
}

/// Note lines naming the path of each label that is not its path, `label: path`, as many
/// to a line as fit `width` pixels (none when every label is its path).
pub(crate) fn path_notes(paths: &[&str], labels: &[String], width: i32) -> Vec<String> {
    let font = style::text(size::NOTE, style::MUTED);
    let entries: Vec<String> = paths
        .iter()
        .zip(labels)
        .filter(|(p, l)| *p != l)
        .map(|(p, l)| format!("{l}: {p}"))
        .collect();
    let mut lines: Vec<String> = Vec::new();
    for e in entries {
        match lines.last_mut() {
            Some(line) if (style::text_size(&format!("{line}; {e}"), &font).0 as i32) < width => {
                line.push_str("; ");
                line.push_str(&e);
            }
            _ => lines.push(e),
        }
    }
    if let Some(first) = lines.first_mut() {
        *first = format!("Parameters (as in --set) — {first}");
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_reads_as_its_last_segment_with_the_entry_it_belongs_to() {
        let labels = param_labels(&[
            "gp_traits.delegation_propensity_mean",
            "structures.dac.active",
            "seed",
        ]);
        assert_eq!(
            labels,
            ["delegation propensity mean", "active (dac)", "seed"]
        );
    }

    #[test]
    fn paths_that_would_read_alike_keep_their_path() {
        let labels = param_labels(&[
            "gp_traits.openness_mean",
            "prof_traits.openness_mean",
            "delegation.outside_cost",
        ]);
        assert_eq!(
            labels,
            [
                "gp_traits.openness_mean",
                "prof_traits.openness_mean",
                "outside cost"
            ]
        );
    }

    #[test]
    fn the_note_names_each_relabelled_path_and_wraps() {
        style::ensure_font().expect("font");
        let paths = [
            "gp_traits.delegation_propensity_mean",
            "structures.msp_a.coordinator_fte",
            "seed",
        ];
        let labels = param_labels(&paths);
        let one = path_notes(&paths, &labels, 2000);
        assert_eq!(one.len(), 1);
        assert!(one[0].contains("delegation propensity mean: gp_traits.delegation_propensity_mean"));
        assert!(one[0].contains("coordinator fte (msp_a): structures.msp_a.coordinator_fte"));
        assert!(
            !one[0].contains("seed"),
            "a label that is its path needs no note"
        );
        assert_eq!(path_notes(&paths, &labels, 400).len(), 2);
    }
}
