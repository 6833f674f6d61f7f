//! The `crossguard` command-line tool.
//!
//! Exit codes: 0 when every input is valid, 1 when any input is rejected, 2 on a usage or I/O
//! error.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
