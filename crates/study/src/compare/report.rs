//! `report.html`: one self-contained page an analyst can send. The question, the arms and
//! what differs between them, the verdicts, the difference tables, the banded curves
//! (inlined SVG), each arm's effective scenario, the seeds and the commands that reproduce
//! it. No network: no external script, style sheet, font or image.
//!
//! The page is well-formed XML as well as HTML, so tests can parse it; a few lines of
//! inline script record any error the browser meets into the `data-errors` attribute of
//! the root element (the page reads the same without script).

use super::arms::Arm;
use super::error::{write_error, CompareError};
use super::exec::Outcome;
use super::settings::Settings;
use super::tables::{run_command, scenario_file, Tables, TAIL_WEEKS};
use pluri_schema::compare::{
    DifferenceRecord, ARMS_FILE, DIFFERENCES_FILE, DIFFERS, MANIFEST_FILE, REPORT_FILE, RUNS_FILE,
    WEEKLY_FILE, WEEKLY_INDICATOR_PREFIX,
};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A figure to inline: its SVG file and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFigure {
    /// The SVG file.
    pub svg: PathBuf,
    /// Caption under the figure.
    pub caption: String,
}

/// Records errors into the root element's attributes, and marks the page loaded with the
/// number of figures shown. Free of `<` and `&`, so the page stays well-formed XML.
const SCRIPT: &str = r#"(function () {
  var root = document.documentElement;
  var errors = [];
  root.setAttribute("data-errors", "0");
  function record(message) {
    errors.push(String(message));
    root.setAttribute("data-errors", String(errors.length));
    root.setAttribute("data-error-messages", errors.join(" | "));
  }
  window.addEventListener("error", function (e) {
    record(e.message || ("cannot load " + ((e.target || {}).src || (e.target || {}).href || "a resource")));
  }, true);
  window.addEventListener("unhandledrejection", function (e) { record(e.reason); });
  var original = console.error;
  console.error = function () {
    record(Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
  window.addEventListener("load", function () {
    root.setAttribute("data-figures-shown", String(document.querySelectorAll("figure svg").length));
    root.setAttribute("data-loaded", "yes");
  });
})();"#;

const STYLE: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  max-width: 1180px; margin: 2em auto; padding: 0 1em; color: #1e1e1e; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.question { font-size: 1.2em; font-style: italic; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 0.25em 0.6em; text-align: right; vertical-align: top; }
th { background: #f4f4f4; }
td { white-space: nowrap; }
td.name, th.name { text-align: left; white-space: normal; }
tr.differs td { background: #fff4e0; }
td.verdict { text-align: left; white-space: normal; }
tr.differs td.verdict { font-weight: bold; color: #a04000; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; white-space: pre; }
figure { margin: 1.5em 0; }
figure svg { max-width: 100%; height: auto; display: block; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.92em; margin-top: 0.3em; }
details { margin: 0.6em 0; }
summary { cursor: pointer; }
.muted { color: #666; }
ul.differs { margin: 0.2em 0; padding-left: 1.2em; }
"#;

/// Escapes text for HTML (and XML).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number with four significant digits (up to eight decimals), `n/a` when undefined.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 8) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        let t = s.trim_end_matches('0').trim_end_matches('.');
        if t == "-0" {
            "0".into()
        } else {
            t.to_string()
        }
    } else {
        s
    }
}

/// A difference with its sign.
fn signed(v: f64) -> String {
    let s = num(v);
    if v > 0.0 && s != "0" {
        format!("+{s}")
    } else {
        s
    }
}

/// The difference as a share of the first arm's mean, when that is not zero.
fn relative(d: &DifferenceRecord) -> String {
    if d.mean_first != 0.0 && d.mean_first.is_finite() && d.difference.is_finite() {
        let p = 100.0 * d.difference / d.mean_first.abs();
        let s = if p.abs() >= 10.0 {
            format!("{p:+.0}%")
        } else {
            format!("{p:+.1}%")
        };
        if s == "+0.0%" || s == "-0.0%" {
            "0%".into()
        } else {
            s
        }
    } else {
        String::new()
    }
}

fn percent_level(level: f64) -> String {
    let p = 100.0 * level;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p}%")
    }
}

/// An inlined SVG: the file's text without an XML declaration, labelled for screen readers.
fn inline_svg(figure: &ReportFigure) -> Result<String, CompareError> {
    let text = std::fs::read_to_string(&figure.svg).map_err(|source| CompareError::Figure {
        path: figure.svg.clone(),
        source,
    })?;
    let body = match text.find("<svg") {
        Some(i) => &text[i..],
        None => text.as_str(),
    };
    Ok(body.replacen(
        "<svg",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\"",
            escape(&figure.caption)
        ),
        1,
    ))
}

/// Writes `report.html` into `dir`, inlining `figures`.
pub fn write_report(
    dir: &Path,
    arms: &[Arm],
    settings: &Settings,
    outcome: &Outcome,
    tables: &Tables,
    figures: &[ReportFigure],
) -> Result<(), CompareError> {
    let html = render(arms, settings, outcome, tables, figures)?;
    let path = dir.join(REPORT_FILE);
    std::fs::write(&path, html).map_err(write_error(&path))
}

/// The page.
pub fn render(
    arms: &[Arm],
    settings: &Settings,
    outcome: &Outcome,
    tables: &Tables,
    figures: &[ReportFigure],
) -> Result<String, CompareError> {
    let m = &tables.manifest;
    let level = percent_level(m.level);
    let first = arms.first().map(|a| a.name.as_str()).unwrap_or_default();
    let names: Vec<&str> = arms.iter().map(|a| a.name.as_str()).collect();
    let mut h = String::new();
    // Writing to a String cannot fail: results of write! are ignored below.
    let _ = writeln!(h, "<!DOCTYPE html>");
    let _ = writeln!(
        h,
        "<html lang=\"en\" data-figures=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <meta name=\"generator\" content=\"pluri {}\"/>\n<title>{}</title>",
        figures.len(),
        escape(&m.pluri_version),
        escape(&format!("pluri compare: {}", names.join(" vs "))),
    );
    let _ = writeln!(
        h,
        "<script>\n{SCRIPT}\n</script>\n<style>{STYLE}</style>\n</head>\n<body>"
    );

    // Title, question, and how it was done.
    let _ = writeln!(
        h,
        "<header>\n<h1>{}</h1>\n<p class=\"question\">{}</p>",
        escape(&format!("Comparison: {}", names.join(" vs "))),
        escape(&m.question)
    );
    let _ = writeln!(
        h,
        "<p>Each arm was simulated <strong>{} times</strong>; {}. Every interval below is a \
         {level} confidence interval (Student's t); differences are those of each arm from \
         <strong>{}</strong>, the reference.</p>\n</header>",
        m.replicates,
        if m.paired {
            "replicate <em>r</em> of every arm ran on the same seed (common random numbers), \
             so each difference is taken replicate by replicate"
                .to_string()
        } else {
            "every run had its own seed (independent arms, not paired)".to_string()
        },
        escape(first)
    );

    summary(&mut h, arms, tables, &level);
    arms_section(&mut h, arms);
    differences_section(&mut h, arms, tables, &level, settings);

    let _ = writeln!(
        h,
        "<section id=\"figures\">\n<h2>Curves</h2>\n<p>Each line is an arm's mean over its \
         replicates, week by week; the band around it is the {level} confidence interval of \
         that mean (cut at zero, or at 100% for shares, where a t interval of few replicates \
         would leave the possible range; <code>weekly.csv</code> keeps it whole). Weekly flows \
         are shown as 4-week means.</p>"
    );
    for f in figures {
        let _ = writeln!(
            h,
            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
            inline_svg(f)?,
            escape(&f.caption)
        );
    }
    let _ = writeln!(h, "</section>");

    means_section(&mut h, arms, tables, &level);
    scenarios_section(&mut h, arms);
    reproduce_section(&mut h, arms, settings, outcome);
    method_section(&mut h, &level, settings);

    let _ = writeln!(
        h,
        "<footer>\n<p class=\"muted\">Written by pluri {}. The directory also holds {}, the \
         figures in PNG and SVG, and <code>scenarios/</code>.</p>\n</footer>\n</body>\n</html>",
        escape(&m.pluri_version),
        [
            DIFFERENCES_FILE,
            ARMS_FILE,
            WEEKLY_FILE,
            RUNS_FILE,
            MANIFEST_FILE
        ]
        .iter()
        .map(|f| format!("<code>{f}</code>"))
        .collect::<Vec<_>>()
        .join(", ")
    );
    Ok(h)
}

fn headline_rows<'a>(tables: &'a Tables, arm: &str) -> Vec<&'a DifferenceRecord> {
    tables
        .differences
        .iter()
        .filter(|d| d.arm == arm && !d.indicator.starts_with(WEEKLY_INDICATOR_PREFIX))
        .collect()
}

fn summary(h: &mut String, arms: &[Arm], tables: &Tables, level: &str) {
    let _ = writeln!(h, "<section id=\"summary\">\n<h2>Answer</h2>");
    for arm in arms.iter().skip(1) {
        let rows = headline_rows(tables, &arm.name);
        let differ: Vec<&&DifferenceRecord> =
            rows.iter().filter(|d| d.verdict == DIFFERS).collect();
        let _ = writeln!(
            h,
            "<p><strong>{}</strong>: {} of the {} headline indicators differ from {} at {level}{}</p>",
            escape(&arm.name),
            differ.len(),
            rows.len(),
            escape(&arms[0].name),
            if differ.is_empty() {
                ": no difference is distinguishable from the simulation's noise.".to_string()
            } else {
                ":".to_string()
            }
        );
        if !differ.is_empty() {
            let _ = writeln!(h, "<ul>");
            for d in differ {
                let _ = writeln!(
                    h,
                    "<li><code>{}</code>: {} → {} ({} {}, interval {} to {})</li>",
                    escape(&d.indicator),
                    num(d.mean_first),
                    num(d.mean_arm),
                    signed(d.difference),
                    relative(d),
                    signed(d.ci_low),
                    signed(d.ci_high)
                );
            }
            let _ = writeln!(h, "</ul>");
        }
    }
    let _ = writeln!(h, "</section>");
}

fn arms_section(h: &mut String, arms: &[Arm]) {
    let _ = writeln!(
        h,
        "<section id=\"arms\">\n<h2>Arms</h2>\n<table>\n<tr><th class=\"name\">arm</th>\
         <th class=\"name\">from</th><th class=\"name\">what differs from {}</th>\
         <th class=\"name\">scenario hash</th></tr>",
        escape(arms.first().map(|a| a.name.as_str()).unwrap_or_default())
    );
    for (i, arm) in arms.iter().enumerate() {
        let differs = if i == 0 {
            "(the reference)".to_string()
        } else if arm.differs.is_empty() {
            "nothing: the same effective scenario".to_string()
        } else {
            format!(
                "<ul class=\"differs\">{}</ul>",
                arm.differs
                    .iter()
                    .map(|d| format!("<li><code>{}</code></li>", escape(d)))
                    .collect::<String>()
            )
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"name\"><strong>{}</strong></td><td class=\"name\">{}</td>\
             <td class=\"name\">{differs}</td><td class=\"name\"><code>{}</code></td></tr>",
            escape(&arm.name),
            escape(&arm.source),
            escape(&arm.scenario.hash())
        );
    }
    let _ = writeln!(h, "</table>\n</section>");
}

fn difference_table(
    h: &mut String,
    rows: &[&DifferenceRecord],
    first: &str,
    arm: &str,
    level: &str,
) {
    let _ = writeln!(
        h,
        "<table>\n<tr><th class=\"name\">indicator</th><th>{}</th><th>{}</th><th>difference</th>\
         <th>relative</th><th>{level} interval</th><th class=\"name\">verdict</th>\
         <th>replicates needed</th></tr>",
        escape(first),
        escape(arm)
    );
    for d in rows {
        let class = if d.verdict == DIFFERS {
            " class=\"differs\""
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<tr{class}><td class=\"name\"><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{} to {}</td><td class=\"verdict\">{}</td><td>{}</td></tr>",
            escape(&d.indicator),
            num(d.mean_first),
            num(d.mean_arm),
            signed(d.difference),
            relative(d),
            signed(d.ci_low),
            signed(d.ci_high),
            escape(&d.verdict),
            d.replicates_needed
                .map(|n| n.to_string())
                .unwrap_or_default()
        );
    }
    let _ = writeln!(h, "</table>");
}

fn differences_section(
    h: &mut String,
    arms: &[Arm],
    tables: &Tables,
    level: &str,
    settings: &Settings,
) {
    let first = arms.first().map(|a| a.name.as_str()).unwrap_or_default();
    let _ = writeln!(
        h,
        "<section id=\"differences\">\n<h2>Differences from {}</h2>\n<p>Means over replicates; \
         the difference is the mean of the paired differences (arm minus {}), its interval a \
         {level} t interval on them. <em>Replicates needed</em>: replicates that would bring \
         the interval's half-width under {} (formula in <code>docs/COMPARE.md</code>); a \
         very large number says the difference is tiny against the noise. Rates are means \
         over the last {TAIL_WEEKS} weeks, stocks are end values.</p>",
        escape(first),
        escape(first),
        if settings.precision.is_empty() {
            format!(
                "{}% of the difference",
                num(100.0 * settings.relative_precision)
            )
        } else {
            format!(
                "{}% of the difference, or the absolute target given for {}",
                num(100.0 * settings.relative_precision),
                settings
                    .precision
                    .iter()
                    .map(|(n, v)| format!("{} ({})", escape(n), num(*v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    for arm in arms.iter().skip(1) {
        let _ = writeln!(
            h,
            "<h3>{} vs {}: headline indicators</h3>",
            escape(&arm.name),
            escape(first)
        );
        difference_table(
            h,
            &headline_rows(tables, &arm.name),
            first,
            &arm.name,
            level,
        );
        let weekly: Vec<&DifferenceRecord> = tables
            .differences
            .iter()
            .filter(|d| d.arm == arm.name && d.indicator.starts_with(WEEKLY_INDICATOR_PREFIX))
            .collect();
        let differ = weekly.iter().filter(|d| d.verdict == DIFFERS).count();
        let _ = writeln!(
            h,
            "<details>\n<summary>{} vs {}: every weekly column, as its weekly mean over the last \
             {TAIL_WEEKS} weeks ({differ} of {} differ)</summary>",
            escape(&arm.name),
            escape(first),
            weekly.len()
        );
        difference_table(h, &weekly, first, &arm.name, level);
        let _ = writeln!(h, "</details>");
    }
    let _ = writeln!(h, "</section>");
}

fn means_section(h: &mut String, arms: &[Arm], tables: &Tables, level: &str) {
    let _ = writeln!(
        h,
        "<section id=\"means\">\n<h2>Each arm</h2>\n<details>\n<summary>Mean and {level} \
         interval of every headline indicator, arm by arm</summary>\n<table>\n<tr>\
         <th class=\"name\">indicator</th>{}</tr>",
        arms.iter()
            .map(|a| format!("<th>{}</th>", escape(&a.name)))
            .collect::<String>()
    );
    for name in tables
        .indicators
        .iter()
        .filter(|n| !n.starts_with(WEEKLY_INDICATOR_PREFIX))
    {
        let cells: String = arms
            .iter()
            .map(|a| {
                tables
                    .arms
                    .iter()
                    .find(|r| r.arm == a.name && &r.indicator == name)
                    .map(|r| {
                        format!(
                            "<td>{} <span class=\"muted\">[{} to {}]</span></td>",
                            num(r.mean),
                            num(r.ci_low),
                            num(r.ci_high)
                        )
                    })
                    .unwrap_or_else(|| "<td></td>".to_string())
            })
            .collect();
        let _ = writeln!(
            h,
            "<tr><td class=\"name\"><code>{}</code></td>{cells}</tr>",
            escape(name)
        );
    }
    let _ = writeln!(h, "</table>\n</details>\n</section>");
}

fn scenarios_section(h: &mut String, arms: &[Arm]) {
    let _ = writeln!(
        h,
        "<section id=\"scenarios\">\n<h2>Scenario files</h2>\n<p>Each arm's effective \
         scenario, every default filled in, as written in the directory (its seed is replaced \
         run by run).</p>"
    );
    for arm in arms {
        let _ = writeln!(
            h,
            "<details>\n<summary><code>{}</code>: {}</summary>\n<pre>{}</pre>\n</details>",
            escape(&scenario_file(arm)),
            escape(&arm.source),
            escape(&arm.scenario.to_commented_toml())
        );
    }
    let _ = writeln!(h, "</section>");
}

fn reproduce_section(h: &mut String, arms: &[Arm], settings: &Settings, outcome: &Outcome) {
    let _ = writeln!(
        h,
        "<section id=\"reproduce\">\n<h2>Reproduce</h2>\n<p>The whole comparison \
         (byte-identical tables at any thread count):</p>\n<pre>{}</pre>",
        escape(&settings.command)
    );
    let _ = writeln!(
        h,
        "<p>Seeds, derived from the comparison seed <code>{}</code> and the replicate alone \
         (<code>{}</code>):</p>\n<table>\n<tr><th>replicate</th>{}</tr>",
        settings.seed,
        escape(super::seed::FORMULA),
        arms.iter()
            .map(|a| format!("<th>{}</th>", escape(&a.name)))
            .collect::<String>()
    );
    for r in 0..settings.replicates as usize {
        let cells: String = outcome
            .runs
            .iter()
            .map(|runs| {
                runs.get(r)
                    .map(|run| format!("<td><code>{}</code></td>", run.seed))
                    .unwrap_or_default()
            })
            .collect();
        let _ = writeln!(h, "<tr><td>{r}</td>{cells}</tr>");
    }
    let _ = writeln!(h, "</table>");
    let mut commands = String::new();
    for (arm, runs) in arms.iter().zip(&outcome.runs) {
        for (r, run) in runs.iter().enumerate() {
            commands.push_str(&run_command(settings, arm, run.seed, r as u32));
            commands.push('\n');
        }
    }
    let _ = writeln!(
        h,
        "<details open=\"open\">\n<summary>Each run alone, with its full result directory \
         (its headline is its row of <code>{RUNS_FILE}</code>)</summary>\n<pre>{}</pre>\n\
         </details>\n</section>",
        escape(&commands)
    );
}

fn method_section(h: &mut String, level: &str, settings: &Settings) {
    let _ = writeln!(
        h,
        "<section id=\"method\">\n<h2>How to read this</h2>\n<ul>\n\
         <li>One run of a policy is one draw: two runs of the same scenario with different seeds \
         differ too. A difference means something only against that noise, which the replicates \
         measure.</li>\n\
         <li>The {level} interval of a difference is the mean of the {} paired differences ± \
         t × their standard deviation / √{}. Had the comparison been repeated with fresh seeds, \
         intervals built this way would contain the true mean difference (the one infinitely \
         many replicates would give) {level} of the time. It is about the model, not about \
         the world.</li>\n\
         <li><em>differs</em>: the interval excludes zero. <em>not distinguishable from zero</em>: \
         it contains zero, which is not proof of no effect; the replicates needed say how many \
         runs a sharper answer would take.</li>\n\
         <li>Many indicators are tested at once: among indicators a policy does not really move, \
         about one in {} would be flagged by chance. With paired seeds, an indicator the arms \
         do not touch at all differs by exactly zero.</li>\n</ul>\n</section>",
        settings.replicates,
        settings.replicates,
        num(1.0 / (1.0 - settings.level)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_four_significant_digits() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(205.83), "205.8");
        assert_eq!(num(0.123456), "0.1235");
        assert_eq!(num(12345.6), "12346");
        assert_eq!(num(f64::NAN), "n/a");
        assert_eq!(num(-0.00001), "-0.00001");
        assert_eq!(signed(2.5), "+2.5");
        assert_eq!(signed(-2.5), "-2.5");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
