//! `pluri show`: the complete effective scenario as commented TOML.

use super::common::ScenarioArgs;

/// Arguments of `pluri show`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  pluri show > my.toml\n  pluri show scenarios/msma.toml --set weeks=104"
)]
pub struct ShowArgs {
    /// The scenario and overrides to show.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
}

/// Prints the effective scenario.
pub fn run(args: &ShowArgs) -> anyhow::Result<()> {
    let text = args.scenario.load()?.to_commented_toml();
    super::common::ignore_broken_pipe(std::io::Write::write_all(
        &mut std::io::stdout().lock(),
        text.as_bytes(),
    ))
}
