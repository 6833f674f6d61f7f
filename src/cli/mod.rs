//! Command-line parsing and dispatch.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `println!` that ends the process with status 2 instead of panicking when standard output
/// is closed (a pipe into `head`, say).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_line(format_args!($($arg)*))
    };
}

mod access;
mod audit;
mod common;
mod demo;
mod guard;
mod inspect;
mod label;
mod policy;
mod validate;

/// Guard transfers between security domains.
#[derive(Debug, Parser)]
#[command(name = "crossguard", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the scripted multi-domain-laptop scenario on the embedded defaults.
    Demo(demo::DemoArgs),
    /// Decide one transfer: exit 0 released, 1 denied, 2 error.
    Check(guard::CheckArgs),
    /// Run a flow's content checks on files (size, declared type, true type, format); exit 0
    /// all passed, 1 one refused, 2 error. Nothing is released or audited.
    Inspect(inspect::InspectArgs),
    /// Audit logs: verify, create keys.
    #[command(subcommand)]
    Audit(audit::Command),
    /// Check that files are well-formed under crossguard's strict parsers.
    Validate(validate::Args),
    /// Security policies (Open XML SPIF).
    #[command(subcommand)]
    Policy(policy::Command),
    /// Confidentiality labels (STANAG 4774 XML, ESS DER).
    #[command(subcommand)]
    Label(label::Command),
    /// Clearances (4774 XML, X.509 Clearance attribute, certificates).
    #[command(subcommand)]
    Clearance(access::ClearanceCommand),
    /// The access decision (ACDF) of a label against a clearance.
    Access(access::AccessArgs),
}

/// What a command concluded, mapped to the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    /// Everything valid (exit 0).
    Valid,
    /// Something rejected (exit 1).
    Rejected,
    /// A usage or I/O error (exit 2).
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Valid => ExitCode::SUCCESS,
            Outcome::Rejected => ExitCode::from(1),
            Outcome::Error => ExitCode::from(2),
        }
    }
}

pub(crate) fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let usage_error = e.use_stderr();
            // clap prints help and version to stdout and usage errors to stderr.
            let _ = e.print();
            return if usage_error {
                Outcome::Error.into()
            } else {
                Outcome::Valid.into()
            };
        }
    };
    let outcome = match cli.command {
        Command::Demo(args) => demo::run(&args),
        Command::Check(args) => guard::run_check(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Audit(command) => audit::run(&command),
        Command::Validate(args) => validate::run(&args),
        Command::Policy(command) => policy::run(&command),
        Command::Label(command) => label::run(&command),
        Command::Clearance(command) => access::run_clearance(&command),
        Command::Access(args) => access::run_access(&args),
    };
    outcome.into()
}

pub(crate) fn write_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{args}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        std::process::exit(2);
    }
}
