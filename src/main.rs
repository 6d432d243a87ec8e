//! The `pluri` command: parses arguments, calls the library, prints the error chain.

fn main() {
    if let Err(e) = pluri::cli::main() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
