//! The `pluri` command: parses arguments, calls the library, prints the error chain.

mod cli;

fn main() {
    if let Err(e) = cli::main() {
        eprintln!("error: {}", chain(&e));
        std::process::exit(1);
    }
}

/// The error and its causes joined by `: `, each said once: library errors that already
/// print their cause (`cannot write PATH: No space left on device`) would repeat it.
fn chain(e: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !msg.contains(&text) {
            if !msg.is_empty() {
                msg.push_str(": ");
            }
            msg.push_str(&text);
        }
    }
    msg
}
