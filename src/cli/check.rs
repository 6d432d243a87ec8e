//! `pluri check`: validate a scenario.

use super::common::ScenarioArgs;

/// Arguments of `pluri check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  pluri check scenarios/msma.toml --set weeks=520")]
pub struct CheckArgs {
    /// The scenario and overrides to check.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
}

/// Validates and prints a one-line description.
pub fn run(args: &CheckArgs, quiet: bool) -> anyhow::Result<()> {
    let s = args.scenario.load()?;
    if !quiet {
        let line = format!(
            "{}: valid ({} zones, {} residents, {} named structures, {} interventions, {} weeks)",
            args.scenario
                .scenario
                .as_ref()
                .map_or("default scenario".into(), |p| p.display().to_string()),
            s.zones().len(),
            s.population(),
            s.structures().len(),
            s.interventions().len(),
            s.weeks()
        );
        super::common::ignore_broken_pipe(std::io::Write::write_all(
            &mut std::io::stdout().lock(),
            format!("{line}\n").as_bytes(),
        ))?;
    }
    Ok(())
}
