//! `crossguard validate --format xml|json FILE...`

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use crossguard::json::{JsonError, JsonValidator};
use crossguard::limits::{JsonLimits, XmlLimits};
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
    /// Largest accepted file, in bytes [default: 64 MiB for XML, 16 MiB for JSON].
    #[arg(long)]
    max_input_bytes: Option<usize>,
    /// Deepest accepted nesting of elements (XML) or containers (JSON) [default: 256 for XML,
    /// 128 for JSON].
    #[arg(long)]
    max_depth: Option<usize>,
    /// Most nodes accepted in one XML document.
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
    /// JSON: RFC 8259 and I-JSON (RFC 7493), read in chunks (the file is never held whole).
    Json,
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Self::Xml => "xml",
            Self::Json => "json",
        }
    }
}

/// A refusal, whichever the format.
struct Rejection {
    code: &'static str,
    fault: String,
    message: String,
    offset: u64,
    line: u64,
    column: u64,
    /// `("element_path", …)` for XML, `("pointer", …)` for JSON.
    place: (&'static str, String),
}

impl From<XmlError> for Rejection {
    fn from(e: XmlError) -> Self {
        Self {
            code: e.kind().code(),
            fault: e.fault().to_string(),
            message: e.kind().to_string(),
            offset: u64::try_from(e.offset()).unwrap_or(u64::MAX),
            line: u64::try_from(e.line()).unwrap_or(u64::MAX),
            column: u64::try_from(e.column()).unwrap_or(u64::MAX),
            place: ("element_path", e.element_path().to_owned()),
        }
    }
}

impl From<JsonError> for Rejection {
    fn from(e: JsonError) -> Self {
        Self {
            code: e.code(),
            fault: e.fault().to_string(),
            message: e.kind().to_string(),
            offset: e.offset(),
            line: e.line(),
            column: e.column(),
            place: ("pointer", e.pointer().to_owned()),
        }
    }
}

enum Verdict {
    /// `units`: nodes (XML) or values (JSON).
    Valid {
        units: u64,
    },
    Rejected(Rejection),
    Unreadable(io::Error),
}

/// Bytes read from a file per JSON chunk.
const JSON_CHUNK_BYTES: usize = 64 * 1024;

fn check_xml(file: &Path, args: &Args) -> Verdict {
    let limits = XmlLimits {
        max_input_bytes: args
            .max_input_bytes
            .unwrap_or(crossguard::limits::MAX_XML_INPUT_BYTES),
        max_depth: args.max_depth.unwrap_or(crossguard::limits::MAX_XML_DEPTH),
        max_nodes: args.max_nodes,
        ..XmlLimits::default()
    };
    match read_bounded(file, limits.max_input_bytes) {
        Ok(bytes) => match Reader::with_limits(&bytes, limits).validate() {
            Ok(nodes) => Verdict::Valid {
                units: u64::try_from(nodes).unwrap_or(u64::MAX),
            },
            Err(e) => Verdict::Rejected(e.into()),
        },
        Err(e) => Verdict::Unreadable(e),
    }
}

/// JSON is read in chunks: memory stays bounded by the limits whatever the file's size.
fn check_json(file: &Path, args: &Args) -> Verdict {
    let limits = JsonLimits {
        max_input_bytes: args
            .max_input_bytes
            .map_or(crossguard::limits::MAX_JSON_INPUT_BYTES, |n| {
                u64::try_from(n).unwrap_or(u64::MAX)
            }),
        max_depth: args.max_depth.unwrap_or(crossguard::limits::MAX_JSON_DEPTH),
        ..JsonLimits::default()
    };
    let mut reader: Box<dyn Read> = if file == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        match std::fs::File::open(file) {
            Ok(f) => Box::new(f),
            Err(e) => return Verdict::Unreadable(e),
        }
    };
    let mut validator = JsonValidator::new(limits);
    let mut buffer = vec![0u8; JSON_CHUNK_BYTES];
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Verdict::Unreadable(e),
        };
        if let Err(e) = validator.feed(buffer.get(..n).unwrap_or_default()) {
            return Verdict::Rejected(e.into());
        }
    }
    match validator.finish() {
        Ok(stats) => Verdict::Valid {
            units: stats.values,
        },
        Err(e) => Verdict::Rejected(e.into()),
    }
}

pub(crate) fn run(args: &Args) -> Outcome {
    let mut outcome = Outcome::Valid;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for file in &args.files {
        let verdict = match args.format {
            Format::Xml => check_xml(file, args),
            Format::Json => check_json(file, args),
        };
        outcome = outcome.max(match verdict {
            Verdict::Valid { .. } => Outcome::Valid,
            Verdict::Rejected(_) => Outcome::Rejected,
            Verdict::Unreadable(_) => Outcome::Error,
        });
        let written = if args.json {
            write_json(&mut out, file, args.format, &verdict)
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
                e.message, e.line, e.column
            )?;
            if !e.place.1.is_empty() {
                write!(out, " in {}", e.place.1)?;
            }
            writeln!(out)
        }
        Verdict::Unreadable(e) => writeln!(out, "{name}: error: {e}"),
    }
}

fn write_json(
    out: &mut impl Write,
    file: &Path,
    format: Format,
    verdict: &Verdict,
) -> io::Result<()> {
    let name = file.display().to_string();
    let format = format.as_str();
    let value = match verdict {
        Verdict::Valid { units } => {
            let unit = if format == "xml" { "nodes" } else { "values" };
            json!({ "file": name, "format": format, "valid": true, unit: units })
        }
        Verdict::Rejected(e) => {
            let mut error = json!({
                "code": e.code,
                "fault": e.fault,
                "message": e.message,
                "offset": e.offset,
                "line": e.line,
                "column": e.column,
            });
            if let Some(map) = error.as_object_mut() {
                map.insert(e.place.0.to_owned(), e.place.1.clone().into());
            }
            json!({ "file": name, "format": format, "valid": false, "error": error })
        }
        Verdict::Unreadable(e) => {
            json!({ "file": name, "format": format, "valid": false, "io_error": e.to_string() })
        }
    };
    writeln!(out, "{value}")
}
