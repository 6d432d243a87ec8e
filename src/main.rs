//! The `pluri` command: parses arguments, calls the library, prints the error chain.

fn main() {
    if let Err(e) = pluri_cli() {
        eprintln!("error: {e:#}");
        std::process::exit(2);
    }
}

fn pluri_cli() -> anyhow::Result<()> {
    Ok(())
}
