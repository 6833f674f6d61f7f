//! `crossguard validate --format xml|json|text FILE...`

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use crossguard::inspect::text::{TextError, TextValidator};
use crossguard::json::{JsonError, JsonValidator};
use crossguard::limits::{JsonLimits, TextLimits, XmlLimits};
use crossguard::xml::{XmlError, XmlStream};
use serde_json::json;

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
    /// XML 1.0 + Namespaces, no DTD, UTF-8; read in chunks (the file is never held whole).
    Xml,
    /// JSON: RFC 8259 and I-JSON (RFC 7493), read in chunks (the file is never held whole).
    Json,
    /// Text: UTF-8, no control characters but tab/CR/LF, no bidirectional controls, lines of
    /// at most 64 KiB; read in chunks.
    Text,
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Self::Xml => "xml",
            Self::Json => "json",
            Self::Text => "text",
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
    /// `("element_path", …)` for XML, `("pointer", …)` for JSON, none for text.
    place: Option<(&'static str, String)>,
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
            place: Some(("element_path", e.element_path().to_owned())),
        }
    }
}

impl From<TextError> for Rejection {
    fn from(e: TextError) -> Self {
        Self {
            code: e.code(),
            fault: e.fault().to_string(),
            message: e.kind().to_string(),
            offset: e.offset(),
            line: e.line(),
            column: e.column(),
            place: None,
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
            place: Some(("pointer", e.pointer().to_owned())),
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

/// Bytes read from a file per chunk (every format).
const CHUNK_BYTES: usize = 64 * 1024;

fn check_xml(file: &Path, args: &Args) -> Verdict {
    let limits = XmlLimits {
        max_input_bytes: args
            .max_input_bytes
            .unwrap_or(crossguard::limits::MAX_XML_INPUT_BYTES),
        max_depth: args.max_depth.unwrap_or(crossguard::limits::MAX_XML_DEPTH),
        max_nodes: args.max_nodes,
        ..XmlLimits::default()
    };
    // Read in chunks through the stream: memory stays bounded by the limits whatever the
    // file's size, and the verdict is the whole-buffer reader's.
    let mut stream = XmlStream::new(limits);
    let read = open(file).and_then(|mut r| read_chunks(&mut *r, |c| stream.feed(c)));
    match read {
        Err(e) => Verdict::Unreadable(e),
        Ok(Err(e)) => Verdict::Rejected(e.into()),
        Ok(Ok(())) => match stream.finish() {
            Ok(stats) => Verdict::Valid {
                units: u64::try_from(stats.nodes).unwrap_or(u64::MAX),
            },
            Err(e) => Verdict::Rejected(e.into()),
        },
    }
}

/// Opens `file` (`-`: standard input) for reading in chunks.
fn open(file: &Path) -> io::Result<Box<dyn Read>> {
    if file == Path::new("-") {
        Ok(Box::new(io::stdin().lock()))
    } else {
        Ok(Box::new(std::fs::File::open(file)?))
    }
}

/// Feeds `reader` to `feed` in chunks; `Ok(Err(e))` is the feed's refusal.
fn read_chunks<E>(
    reader: &mut dyn Read,
    mut feed: impl FnMut(&[u8]) -> Result<(), E>,
) -> io::Result<Result<(), E>> {
    let mut buffer = vec![0u8; CHUNK_BYTES];
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => return Ok(Ok(())),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if let Err(e) = feed(buffer.get(..n).unwrap_or_default()) {
            return Ok(Err(e));
        }
    }
}

/// Text is read in chunks, like JSON.
fn check_text(file: &Path, args: &Args) -> Verdict {
    let limits = TextLimits {
        max_input_bytes: args
            .max_input_bytes
            .map_or(crossguard::limits::MAX_TEXT_INPUT_BYTES, |n| {
                u64::try_from(n).unwrap_or(u64::MAX)
            }),
        ..TextLimits::default()
    };
    let mut validator = TextValidator::new(limits);
    let read = open(file).and_then(|mut r| read_chunks(&mut *r, |c| validator.feed(c)));
    match read {
        Err(e) => Verdict::Unreadable(e),
        Ok(Err(e)) => Verdict::Rejected(e.into()),
        Ok(Ok(())) => match validator.finish() {
            Ok(stats) => Verdict::Valid { units: stats.lines },
            Err(e) => Verdict::Rejected(e.into()),
        },
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
    let mut validator = JsonValidator::new(limits);
    let read = open(file).and_then(|mut r| read_chunks(&mut *r, |c| validator.feed(c)));
    match read {
        Err(e) => return Verdict::Unreadable(e),
        Ok(Err(e)) => return Verdict::Rejected(e.into()),
        Ok(Ok(())) => {}
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
            Format::Text => check_text(file, args),
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
            if let Some((_, place)) = e.place.as_ref().filter(|(_, p)| !p.is_empty()) {
                write!(out, " in {place}")?;
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
            let unit = match format {
                "xml" => "nodes",
                "json" => "values",
                _ => "lines",
            };
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
            if let (Some(map), Some((key, place))) = (error.as_object_mut(), &e.place) {
                map.insert((*key).to_owned(), place.clone().into());
            }
            json!({ "file": name, "format": format, "valid": false, "error": error })
        }
        Verdict::Unreadable(e) => {
            json!({ "file": name, "format": format, "valid": false, "io_error": e.to_string() })
        }
    };
    writeln!(out, "{value}")
}
