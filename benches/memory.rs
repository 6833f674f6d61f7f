//! Peak memory of the streaming validators against input size: each run happens in a fresh
//! process (peak RSS never goes down within one), feeds generated input in 64 KiB chunks (the
//! input is never held whole), and reports the process's peak resident set (`VmHWM`).
//!
//! `cargo bench --bench memory` prints a table for JSON, text, text with one scanner for the
//! forbidden words and the markings, XML (the streaming reader), and XML with the forbidden-word scan, at
//! 1 MiB, 16 MiB, 256 MiB and 1 GiB. Not a criterion benchmark: it measures memory, not time (it prints the time too).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    missing_docs
)]

mod inputs;

use std::process::Command;
use std::time::Instant;

use crossguard::inspect::markings::MarkingPhrases;
use crossguard::inspect::scan::scan_xml_stream;
use crossguard::inspect::text::TextValidator;
use crossguard::inspect::words::{Phrase, WordMatcher};
use crossguard::json::JsonValidator;
use crossguard::limits::{JsonLimits, TextLimits, XmlLimits};
use crossguard::policy::PolicySet;
use crossguard::xml::XmlStream;

const SIZES_MIB: [u64; 4] = [1, 16, 256, 1024];

/// Peak resident set of this process, in KiB (Linux `/proc/self/status`).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// One record of the XML input: elements, attributes, a reference, a comment, CDATA.
const XML_RECORD: &[u8] = b"  <track id='T-0042' class=\"friendly\">\n    <position lat='51.5007' lon='-0.1246'/>\n    <callsign>ALPHA &amp; BRAVO</callsign>\n    <!-- relayed -->\n    <remarks><![CDATA[speed < 20 kn]]></remarks>\n  </track>\n";

/// A record of the XML input for the word scan: a long paragraph of text (the scan's default
/// node limit, 8 Mi, must hold 1 GiB of records).
fn xml_report() -> &'static [u8] {
    let text = String::from_utf8(inputs::text_reports(4096))
        .unwrap()
        .replace(['<', '&'], " ");
    let record = format!("  <report id='R-7' lang=\"en\">{text}</report>\n");
    Box::leak(record.into_bytes().into_boxed_slice())
}

/// The chunks of an XML document of about `total` bytes: `<tracks>`, `record` repeated, and
/// `</tracks>`, cut every 64 KiB wherever that falls in a record.
fn xml_chunks(total: u64, record: &'static [u8]) -> impl Iterator<Item = &'static [u8]> {
    const CHUNK: usize = 64 * 1024;
    let ring: &'static [u8] = Box::leak(record.repeat(CHUNK / record.len() + 2).into_boxed_slice());
    let mut fed = 0u64;
    let mut phase = 0usize;
    let mut state = 0u8;
    std::iter::from_fn(move || match state {
        0 => {
            state = 1;
            Some(&b"<?xml version='1.0'?>\n<tracks>\n"[..])
        }
        1 if fed < total => {
            // The records go on where the last chunk left off.
            let chunk = &ring[phase..phase + CHUNK];
            phase = (phase + CHUNK) % record.len();
            fed += CHUNK as u64;
            Some(chunk)
        }
        1 => {
            state = 2;
            // Complete the last record, then close the root.
            let rest = &record[phase..];
            phase = 0;
            Some(rest)
        }
        2 => {
            state = 3;
            Some(&b"</tracks>\n"[..])
        }
        _ => None,
    })
}

/// One run in this process: `format` of `mib` MiB through its streaming validator.
fn child(format: &str, mib: u64) {
    let total = mib << 20;
    let started = Instant::now();
    let mut fed = 0u64;
    match format {
        "json" => {
            // A 64 KiB block of comma-separated records, repeated inside one array.
            let records = inputs::json_records(64 * 1024);
            let block = &records[1..records.len() - 3]; // without "[" and "\n]\n"
            let mut v = JsonValidator::new(JsonLimits {
                max_input_bytes: u64::MAX,
                ..JsonLimits::default()
            });
            v.feed(b"[").unwrap();
            while fed < total {
                v.feed(block).unwrap();
                v.feed(b",").unwrap();
                fed += block.len() as u64 + 1;
            }
            v.feed(b"null]").unwrap();
            v.finish().unwrap();
        }
        "xml" => {
            let mut stream = XmlStream::new(XmlLimits {
                max_input_bytes: usize::MAX,
                max_nodes: usize::MAX,
                ..XmlLimits::default()
            });
            for chunk in xml_chunks(total, XML_RECORD) {
                stream.feed(chunk).unwrap();
                fed += chunk.len() as u64;
            }
            let stats = stream.finish().unwrap();
            std::hint::black_box(stats);
        }
        "xml+words" => {
            // The guard's forbidden-word scan of XML (content, joined text and names), streamed.
            let phrases = ["EYES ONLY", "NOT RELEASABLE", "ORCON"].map(Phrase::plain);
            let words = WordMatcher::new(&phrases).unwrap();
            let found = scan_xml_stream(
                &[(&words, 1000)],
                xml_chunks(total, xml_report()).inspect(|c| fed += c.len() as u64),
            )
            .unwrap();
            std::hint::black_box(found);
        }
        "text+words" => {
            // The text validator and one scanner for the forbidden words (one of them spaced)
            // and the markings of the embedded policies, fed every chunk (the guard's text
            // inspection, streamed, reading words and markings once).
            let block = inputs::text_reports(64 * 1024);
            let phrases = [
                Phrase::plain("EYES ONLY"),
                Phrase::plain("NOT RELEASABLE"),
                Phrase::plain("ORCON"),
                Phrase::spaced("NOFORN"),
            ];
            let words = WordMatcher::new(&phrases).unwrap();
            let policies = PolicySet::embedded().unwrap();
            let markings = MarkingPhrases::new(&policies).unwrap();
            let both = WordMatcher::combined(&[&words, markings.matcher()]).unwrap();
            let mut v = TextValidator::new(TextLimits {
                max_input_bytes: u64::MAX,
                ..TextLimits::default()
            });
            let mut w = both.scanner();
            let mut found = 0u64;
            while fed < total {
                v.feed(&block).unwrap();
                w.feed(&block, &mut |_| {
                    found += 1;
                    true
                });
                fed += block.len() as u64;
            }
            v.finish().unwrap();
            w.finish(&mut |_| true);
            std::hint::black_box(found);
        }
        _ => {
            let block = inputs::text_reports(64 * 1024);
            let mut v = TextValidator::new(TextLimits {
                max_input_bytes: u64::MAX,
                ..TextLimits::default()
            });
            while fed < total {
                v.feed(&block).unwrap();
                fed += block.len() as u64;
            }
            v.finish().unwrap();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("{fed} {} {seconds:.3}", peak_rss_kib());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1], args[i + 2].parse().unwrap());
        return;
    }
    let me = std::env::current_exe().unwrap();
    println!("| format | input | peak RSS | time | throughput |");
    println!("|---|---|---|---|---|");
    let only: Vec<&str> = args
        .iter()
        .skip(1)
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    for format in ["json", "text", "text+words", "xml", "xml+words"] {
        if !only.is_empty() && !only.contains(&format) {
            continue;
        }
        for mib in SIZES_MIB {
            let out = Command::new(&me)
                .args(["--child", format, &mib.to_string()])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let line = String::from_utf8(out.stdout).unwrap();
            let mut parts = line.split_whitespace();
            let bytes: f64 = parts.next().unwrap().parse().unwrap();
            let rss: u64 = parts.next().unwrap().parse().unwrap();
            let secs: f64 = parts.next().unwrap().parse().unwrap();
            println!(
                "| {format} | {:.0} MiB | {:.1} MiB | {secs:.2} s | {:.0} MiB/s |",
                bytes / 1048576.0,
                rss as f64 / 1024.0,
                bytes / 1048576.0 / secs
            );
        }
    }
}
