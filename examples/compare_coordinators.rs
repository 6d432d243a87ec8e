//! Compares a territory with and without a coordinator in one MSP, using pluri as a library.
//!
//! `cargo run --release --example compare_coordinators`

fn main() -> Result<(), pluri::ScenarioError> {
    let base = pluri::Scenario::from_file(std::path::Path::new("scenarios/small.toml"))?;
    println!("{:>34} {:>10} {:>10}", "indicator", "no coord.", "1 FTE");
    let without = pluri::simulate(&base.with_sets(&["structures.msp_a.coordinator_fte=0"])?);
    let with = pluri::simulate(&base.with_sets(&["structures.msp_a.coordinator_fte=1.0"])?);
    for ((name, a), (_, b)) in without.headline().into_iter().zip(with.headline()) {
        println!("{name:>34} {a:>10.3} {b:>10.3}");
    }
    Ok(())
}
