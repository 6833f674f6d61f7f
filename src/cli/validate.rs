//! `crossguard validate --format xml FILE...`

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use crossguard::limits::XmlLimits;
use crossguard::xml::{Reader, XmlError};
use serde_json::json;

use super::common::read_bounded;
use super::Outcome;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The format the files must be in.
    #[arg(long, value_enum)]
    format: Format,
    /// Print one JSON object per file instead of one line of text.
    #[arg(long)]
    json: bool,
    /// Largest accepted file, in bytes.
    #[arg(long, default_value_t = crossguard::limits::MAX_XML_INPUT_BYTES)]
    max_input_bytes: usize,
    /// Deepest accepted element nesting.
    #[arg(long, default_value_t = crossguard::limits::MAX_XML_DEPTH)]
    max_depth: usize,
    /// Most nodes accepted in one document.
    #[arg(long, default_value_t = crossguard::limits::MAX_XML_NODES)]
    max_nodes: usize,
    /// Files to check (`-` reads standard input).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// XML 1.0 + Namespaces, no DTD, UTF-8.
    Xml,
}

enum Verdict {
    Valid { nodes: usize },
    Rejected(XmlError),
    Unreadable(io::Error),
}

pub(crate) fn run(args: &Args) -> Outcome {
    let limits = XmlLimits {
        max_input_bytes: args.max_input_bytes,
        max_depth: args.max_depth,
        max_nodes: args.max_nodes,
        ..XmlLimits::default()
    };
    let mut outcome = Outcome::Valid;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for file in &args.files {
        let verdict = match read_bounded(file, limits.max_input_bytes) {
            Ok(bytes) => match args.format {
                Format::Xml => match Reader::with_limits(&bytes, limits).validate() {
                    Ok(nodes) => Verdict::Valid { nodes },
                    Err(e) => Verdict::Rejected(e),
                },
            },
            Err(e) => Verdict::Unreadable(e),
        };
        outcome = outcome.max(match verdict {
            Verdict::Valid { .. } => Outcome::Valid,
            Verdict::Rejected(_) => Outcome::Rejected,
            Verdict::Unreadable(_) => Outcome::Error,
        });
        let written = if args.json {
            write_json(&mut out, file, &verdict)
        } else {
            write_line(&mut out, file, &verdict)
        };
        if written.is_err() {
            return Outcome::Error;
        }
    }
    outcome
}

fn write_line(out: &mut impl Write, file: &Path, verdict: &Verdict) -> io::Result<()> {
    let name = file.display();
    match verdict {
        Verdict::Valid { .. } => writeln!(out, "{name}: ok"),
        Verdict::Rejected(e) => {
            write!(
                out,
                "{name}: rejected: {} at line {}, column {}",
                e.kind(),
                e.line(),
                e.column()
            )?;
            if !e.element_path().is_empty() {
                write!(out, " in {}", e.element_path())?;
            }
            writeln!(out)
        }
        Verdict::Unreadable(e) => writeln!(out, "{name}: error: {e}"),
    }
}

fn write_json(out: &mut impl Write, file: &Path, verdict: &Verdict) -> io::Result<()> {
    let name = file.display().to_string();
    let value = match verdict {
        Verdict::Valid { nodes } => {
            json!({ "file": name, "format": "xml", "valid": true, "nodes": nodes })
        }
        Verdict::Rejected(e) => json!({
            "file": name,
            "format": "xml",
            "valid": false,
            "error": {
                "code": e.kind().code(),
                "fault": e.fault().to_string(),
                "message": e.kind().to_string(),
                "offset": e.offset(),
                "line": e.line(),
                "column": e.column(),
                "element_path": e.element_path(),
            }
        }),
        Verdict::Unreadable(e) => {
            json!({ "file": name, "format": "xml", "valid": false, "io_error": e.to_string() })
        }
    };
    writeln!(out, "{value}")
}
