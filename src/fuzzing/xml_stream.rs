//! The streaming XML reader against the whole-buffer reader: the same events (pieces of
//! content joined), the same node count, or the same error at the same place.

use core::ops::ControlFlow;

use crate::limits::XmlLimits;
use crate::xml::{Event, Reader, XmlError, XmlStream};

/// What a reader reported on a whole document, in a form that can be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted: every event (offsets included) and the node count.
    Accepted(Vec<String>, usize),
    /// Rejected: code, offset, line, column and element path of the error.
    Rejected(&'static str, usize, usize, usize, String),
}

fn rejected(error: &XmlError) -> Outcome {
    Outcome::Rejected(
        error.kind().code(),
        error.offset(),
        error.line(),
        error.column(),
        error.element_path().to_owned(),
    )
}

/// One event as a string; content pieces (`is_continuation`) are appended to the previous.
fn record(events: &mut Vec<String>, event: &Event<'_, '_>) {
    let line = match event {
        Event::Declaration(d) => format!(
            "decl {} {:?} {:?} {:?}",
            d.version, d.encoding, d.declared_encoding, d.standalone
        ),
        Event::StartTag(tag) => {
            let attributes: Vec<String> = tag
                .attributes()
                .iter()
                .map(|a| {
                    format!(
                        "{}{{{}}}={:?}/{:?}@{}/{}",
                        a.name().as_str(),
                        tag.attribute_namespace(a).unwrap_or(""),
                        a.value(),
                        a.raw_value(),
                        a.offset(),
                        a.value_offset()
                    )
                })
                .collect();
            let declarations: Vec<String> = tag
                .namespace_declarations()
                .iter()
                .map(|b| {
                    format!(
                        "{}={}",
                        b.prefix,
                        b.namespace.map_or("", |id| tag.namespaces().name(id))
                    )
                })
                .collect();
            format!(
                "<{}{{{}}} {} [{}] empty={} @{}",
                tag.name().as_str(),
                tag.namespace().unwrap_or(""),
                attributes.join(" "),
                declarations.join(" "),
                tag.is_empty_element(),
                tag.offset()
            )
        }
        Event::EndTag(tag) => format!(
            "</{}{{{}}} @{}",
            tag.name().as_str(),
            tag.namespace().unwrap_or(""),
            tag.offset()
        ),
        Event::Text(t) | Event::CData(t) | Event::Comment(t) => {
            let kind = match event {
                Event::Text(_) => "text",
                Event::CData(_) => "cdata",
                _ => "comment",
            };
            if t.is_continuation() {
                if let Some(last) = events.last_mut() {
                    // The raw and the content are recorded as `kind @offset content|raw`:
                    // a piece extends both.
                    if let Some((content, raw)) = last.split_once('\u{0}') {
                        *last = format!("{content}{}\u{0}{raw}{}", t.content(), t.raw());
                        return;
                    }
                }
                "continuation without a first piece".to_owned()
            } else {
                format!("{kind} @{} {}\u{0}{}", t.offset(), t.content(), t.raw())
            }
        }
        Event::ProcessingInstruction(pi) => {
            format!("pi {} {:?} @{}", pi.target(), pi.data(), pi.offset())
        }
    };
    events.push(line);
}

/// The whole-buffer reader's outcome.
pub fn whole_outcome(data: &[u8], limits: XmlLimits) -> Outcome {
    let mut reader = Reader::with_limits(data, limits);
    let mut events = Vec::new();
    loop {
        match reader.next_event() {
            Ok(Some(event)) => record(&mut events, &event),
            Ok(None) => return Outcome::Accepted(events, reader.node_count()),
            Err(e) => return rejected(&e),
        }
    }
}

/// The stream's outcome, fed `data` cut at `cuts` (offsets, in any order; out-of-range and
/// repeated cuts are ignored).
pub fn streamed_outcome(data: &[u8], limits: XmlLimits, cuts: &[usize]) -> Outcome {
    let mut cuts: Vec<usize> = cuts.iter().copied().filter(|&c| c < data.len()).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut stream = XmlStream::new(limits);
    let mut events = Vec::new();
    let mut visit = |event: Event<'_, '_>| {
        record(&mut events, &event);
        ControlFlow::Continue(())
    };
    let mut from = 0;
    for cut in cuts.into_iter().chain(core::iter::once(data.len())) {
        let chunk = data.get(from..cut).unwrap_or_default();
        from = cut;
        if let Err(e) = stream.feed_with(chunk, &mut visit) {
            return rejected(&e);
        }
    }
    match stream.finish_with(&mut visit) {
        Ok(stats) => Outcome::Accepted(events, stats.nodes),
        Err(e) => rejected(&e),
    }
}

/// Fuzz entry: the first byte chooses a chunk length (1 to 64), or, when above 64, a single
/// cut after the second byte's worth of bytes; the rest is the document. The streamed
/// outcome must equal the whole-buffer outcome, under the default limits and under small
/// ones that the fuzzer can reach.
pub fn xml_stream(data: &[u8]) {
    let Some((&choice, document)) = data.split_first() else {
        return;
    };
    let cuts: Vec<usize> = if choice < 64 {
        let step = usize::from(choice).saturating_add(1);
        let count = document.len().checked_div(step).unwrap_or(0);
        (1..=count).map(|i| i.saturating_mul(step)).collect()
    } else {
        let at = usize::from(choice).saturating_sub(64).saturating_mul(13);
        vec![at.checked_rem(document.len()).unwrap_or(0)]
    };
    let small = XmlLimits {
        max_depth: 8,
        max_attributes: 8,
        max_name_bytes: 16,
        max_namespace_declarations: 4,
        max_nodes: 64,
        max_markup_bytes: 48,
        max_input_bytes: 4096,
    };
    for limits in [XmlLimits::default(), small] {
        let whole = whole_outcome(document, limits);
        let streamed = streamed_outcome(document, limits, &cuts);
        assert!(
            whole == streamed,
            "stream and reader disagree on {:?} cut at {cuts:?}:\nwhole    {whole:?}\nstreamed {streamed:?}",
            String::from_utf8_lossy(document)
        );
    }
}
