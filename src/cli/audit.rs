//! `crossguard audit verify FILE --key KEYFILE` and `crossguard audit keygen FILE`.

use std::path::PathBuf;

use crossguard::audit::{parse_head_hex, verify_file, AuditErrorKind, AuditKey, VerifyOptions};
use serde_json::json;

use super::Outcome;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Verify an audit log: every entry's MAC, the chain, the sequence, the checkpoints, and
    /// that the log is sealed (closed).
    Verify(VerifyArgs),
    /// Create a new random audit key file (32 bytes, hex, mode 0600; never overwrites).
    Keygen(KeygenArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The JSON Lines audit log.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The HMAC key file the log was written with.
    #[arg(long, value_name = "KEYFILE")]
    key: PathBuf,
    /// Accept a log that is not closed (a live log, or a writer that crashed). Truncation at
    /// a line boundary can then only be detected with --head.
    #[arg(long)]
    open: bool,
    /// The final MAC kept elsewhere (64 hex digits): the log must end exactly there.
    #[arg(long, value_name = "HEX")]
    head: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct KeygenArgs {
    /// Where to write the key (must not exist).
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

pub(crate) fn run(command: &Command) -> Outcome {
    match command {
        Command::Verify(args) => run_verify(args),
        Command::Keygen(args) => {
            let written = AuditKey::generate().and_then(|key| key.write_new(&args.file));
            match written {
                Ok(()) => {
                    out!("{}: new audit key written", args.file.display());
                    Outcome::Valid
                }
                Err(e) => {
                    eprintln!("{}: {e}", args.file.display());
                    Outcome::Error
                }
            }
        }
    }
}

fn run_verify(args: &VerifyArgs) -> Outcome {
    let name = args.file.display().to_string();
    let key = match AuditKey::from_file(&args.key) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("{}: {e}", args.key.display());
            return Outcome::Error;
        }
    };
    let expect_head = match args.head.as_deref().map(parse_head_hex).transpose() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("--head: {e}");
            return Outcome::Error;
        }
    };
    let options = VerifyOptions {
        allow_unsealed: args.open,
        expect_head,
        ..VerifyOptions::default()
    };
    match verify_file(&args.file, &key, options) {
        Ok(summary) => {
            if args.json {
                out!(
                    "{}",
                    json!({
                        "file": name,
                        "valid": true,
                        "entries": summary.entries,
                        "records": summary.records,
                        "checkpoints": summary.checkpoints,
                        "opens": summary.opens,
                        "sealed": summary.sealed,
                        "last_seq": summary.last_seq,
                        "head": summary.head_hex,
                        "log_id": summary.log_id,
                        "errors": [],
                    })
                );
            } else {
                let state = if summary.sealed {
                    "sealed"
                } else {
                    "open (not closed)"
                };
                out!(
                    "{name}: intact — {} records in {} entries, {} checkpoints, {state}",
                    summary.records,
                    summary.entries,
                    summary.checkpoints
                );
                out!("  head: {} (entry {})", summary.head_hex, summary.last_seq);
            }
            Outcome::Valid
        }
        Err(e) => {
            // An unreadable file is a usage or I/O error; anything found in the log is a
            // verification failure.
            // A wrong key is not evidence of tampering: this key cannot judge the log.
            let io = matches!(
                e.kind(),
                AuditErrorKind::Io { .. } | AuditErrorKind::WrongKey { .. }
            );
            if args.json {
                out!(
                    "{}",
                    json!({
                        "file": name,
                        "valid": false,
                        "errors": [{
                            "message": e.to_string(),
                            "line": e.line(),
                            "offset": e.offset(),
                        }],
                    })
                );
            } else {
                out!("{name}: NOT INTACT — {e}");
            }
            if io {
                Outcome::Error
            } else {
                Outcome::Rejected
            }
        }
    }
}
