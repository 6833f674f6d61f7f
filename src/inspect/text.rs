//! Text: valid UTF-8, no control characters other than tab, CR and LF, no bidirectional
//! override or isolate controls (the "Trojan Source" attack, CVE-2021-42574), lines of bounded
//! length — checked over chunks of any size with the state carried across their boundaries.
//!
//! The rule for controls is Unicode's `Cc` category: the C0 controls U+0000..U+001F other than
//! tab, LF and CR, DEL (U+007F) and the C1 controls U+0080..U+009F (a C1 CSI is a terminal
//! escape) are refused. The bidirectional controls refused are the embeddings and overrides
//! U+202A..U+202E and the isolates U+2066..U+2069, which reorder how text is displayed
//! without changing what it says. The implicit marks (U+200E, U+200F, U+061C) reorder nothing
//! by themselves and are accepted.
//!
//! ```
//! use crossguard::inspect::text::{TextLimits, TextValidator};
//! let mut v = TextValidator::new(TextLimits::default());
//! v.feed("line one\r\nline two: caf".as_bytes())?;
//! v.feed("é\n".as_bytes())?;
//! assert_eq!(v.finish()?.lines, 2);
//!
//! let mut v = TextValidator::new(TextLimits::default());
//! let err = v.feed("if access != \u{202E}\u{2066}admin\u{2069}\u{2066}".as_bytes()).unwrap_err();
//! assert_eq!(err.code(), "bidi-control");
//! assert_eq!((err.offset(), err.line(), err.column()), (13, 1, 14));
//! # Ok::<(), crossguard::inspect::text::TextError>(())
//! ```

use core::fmt;

use crate::error::Fault;

pub use crate::limits::{TextLimits, MAX_TEXT_INPUT_BYTES, MAX_TEXT_LINE_BYTES};

/// What was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextErrorKind {
    /// Bytes that are not UTF-8 (a sequence cut by the end of the text included).
    InvalidUtf8,
    /// A control character other than tab, LF and CR.
    ControlCharacter {
        /// The code point.
        code_point: u32,
    },
    /// A bidirectional embedding, override or isolate control.
    BidiControl {
        /// The code point.
        code_point: u32,
    },
    /// A tag character (U+E0000–U+E007F): invisible, yet it spells ASCII text a program
    /// reads ("ASCII smuggling").
    TagCharacter {
        /// The code point.
        code_point: u32,
    },
    /// A line longer than `max_line_bytes`.
    LineTooLong {
        /// The limit.
        max: u64,
    },
    /// More than `max_input_bytes`.
    InputTooLarge {
        /// The limit.
        max: u64,
    },
}

impl TextErrorKind {
    /// A stable code, one per kind.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidUtf8 => "invalid-utf8",
            Self::ControlCharacter { .. } => "control-character",
            Self::BidiControl { .. } => "bidi-control",
            Self::TagCharacter { .. } => "tag-character",
            Self::LineTooLong { .. } => "line-too-long",
            Self::InputTooLarge { .. } => "input-too-large",
        }
    }
}

impl fmt::Display for TextErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUtf8 => f.write_str("invalid UTF-8"),
            Self::ControlCharacter { code_point } => {
                write!(f, "control character U+{code_point:04X}")
            }
            Self::BidiControl { code_point } => write!(
                f,
                "bidirectional control U+{code_point:04X} (it reorders how the text is shown)"
            ),
            Self::TagCharacter { code_point } => write!(
                f,
                "tag character U+{code_point:04X} (invisible, it can spell hidden text)"
            ),
            Self::LineTooLong { max } => write!(f, "line longer than {max} bytes"),
            Self::InputTooLarge { max } => write!(f, "text larger than {max} bytes"),
        }
    }
}

/// A text error: its kind, the byte offset of the fault, and its 1-based line and column
/// (columns count characters; LF, CR LF and a lone CR end a line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextError(Box<(TextErrorKind, u64, u64, u64)>);

impl TextError {
    /// What was wrong.
    pub fn kind(&self) -> &TextErrorKind {
        &self.0 .0
    }
    /// Its stable code.
    pub fn code(&self) -> &'static str {
        self.0 .0.code()
    }
    /// Byte offset of the fault.
    pub fn offset(&self) -> u64 {
        self.0 .1
    }
    /// 1-based line.
    pub fn line(&self) -> u64 {
        self.0 .2
    }
    /// 1-based column, in characters.
    pub fn column(&self) -> u64 {
        self.0 .3
    }
    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match self.0 .0 {
            TextErrorKind::LineTooLong { .. } | TextErrorKind::InputTooLarge { .. } => {
                Fault::LimitExceeded
            }
            _ => Fault::Malformed,
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {} (byte {})",
            self.0 .0, self.0 .2, self.0 .3, self.0 .1
        )
    }
}

impl std::error::Error for TextError {}

/// What a valid text held.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextStats {
    /// Bytes.
    pub bytes: u64,
    /// Lines (a final line without a line break counts; an empty text has none).
    pub lines: u64,
    /// Characters.
    pub chars: u64,
}

/// A streaming text validator.
#[derive(Clone, Debug)]
pub struct TextValidator {
    limits: TextLimits,
    /// Bytes before the current chunk.
    base: u64,
    line: u64,
    line_start: u64,
    /// Characters of the current line before the current position's chunk.
    line_chars: u64,
    chars: u64,
    after_cr: bool,
    /// A multi-byte sequence in progress: bytes still needed, the range of the next byte, the
    /// code point so far, and the offset of its lead byte.
    need: u8,
    lower: u8,
    upper: u8,
    code_point: u32,
    lead_at: u64,
    failed: Option<TextError>,
}

impl TextValidator {
    /// A validator for one text.
    pub fn new(limits: TextLimits) -> Self {
        Self {
            limits,
            base: 0,
            line: 1,
            line_start: 0,
            line_chars: 0,
            chars: 0,
            after_cr: false,
            need: 0,
            lower: 0x80,
            upper: 0xBF,
            code_point: 0,
            lead_at: 0,
            failed: None,
        }
    }

    /// Reads the next chunk; after an error, every call returns it.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), TextError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let result = self.run(chunk);
        if let Err(e) = &result {
            self.failed = Some(e.clone());
        }
        result
    }

    /// Ends the text.
    pub fn finish(&mut self) -> Result<TextStats, TextError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.need > 0 {
            let e = self.error(TextErrorKind::InvalidUtf8, self.lead_at, 0);
            self.failed = Some(e.clone());
            return Err(e);
        }
        let open_line = self.base > self.line_start;
        Ok(TextStats {
            bytes: self.base,
            lines: self
                .line
                .saturating_sub(1)
                .saturating_add(u64::from(open_line)),
            chars: self.chars,
        })
    }

    /// An error at `at`, `chars_before` characters into the current line (counted by the
    /// caller up to `at`).
    #[cold]
    fn error(&self, kind: TextErrorKind, at: u64, chars_before: u64) -> TextError {
        TextError(Box::new((
            kind,
            at,
            self.line,
            self.line_chars
                .saturating_add(chars_before)
                .saturating_add(1),
        )))
    }

    fn run(&mut self, chunk: &[u8]) -> Result<(), TextError> {
        let room = self.limits.max_input_bytes.saturating_sub(self.base);
        let allowed = usize::try_from(room).map_or(chunk.len(), |r| r.min(chunk.len()));
        let (head, over) = chunk.split_at(allowed);
        self.read(head)?;
        if over.is_empty() {
            return Ok(());
        }
        Err(self.error(
            TextErrorKind::InputTooLarge {
                max: self.limits.max_input_bytes,
            },
            self.base,
            0,
        ))
    }

    fn read(&mut self, chunk: &[u8]) -> Result<(), TextError> {
        let mut i = 0usize;
        // Characters of the current line seen in this chunk so far.
        let mut chars = 0u64;
        while i < chunk.len() {
            if self.need == 0 {
                // Fast path: eight bytes of printable ASCII at a time.
                let run = printable_run(chunk.get(i..).unwrap_or_default());
                if run > 0 {
                    self.after_cr = false;
                    i = i.saturating_add(run);
                    let run = u64::try_from(run).unwrap_or(0);
                    chars = chars.saturating_add(run);
                    self.chars = self.chars.saturating_add(run);
                    self.check_line(i)?;
                    continue;
                }
            }
            let Some(&b) = chunk.get(i) else { break };
            let at = self.abs(i);
            if self.need > 0 {
                if b < self.lower || b > self.upper {
                    // Reported at the sequence's first byte, like `str::from_utf8`.
                    let lead = self.lead_at;
                    return Err(self.error(TextErrorKind::InvalidUtf8, lead, chars));
                }
                self.code_point = (self.code_point << 6) | u32::from(b & 0x3F);
                self.need = self.need.saturating_sub(1);
                self.lower = 0x80;
                self.upper = 0xBF;
                i = i.saturating_add(1);
                if self.need == 0 {
                    let cp = self.code_point;
                    let lead = self.lead_at;
                    let before = chars;
                    if let Some(kind) = forbidden_code_point(cp) {
                        return Err(self.error(kind, lead, before));
                    }
                    chars = chars.saturating_add(1);
                    self.chars = self.chars.saturating_add(1);
                    self.check_line(i)?;
                }
                continue;
            }
            match b {
                b'\n' | b'\r' => {
                    if !(b == b'\n' && self.after_cr) {
                        self.line = self.line.saturating_add(1);
                    }
                    self.after_cr = b == b'\r';
                    i = i.saturating_add(1);
                    self.line_start = self.abs(i);
                    self.line_chars = 0;
                    chars = 0;
                    self.chars = self.chars.saturating_add(1);
                    continue;
                }
                b'\t' => {
                    chars = chars.saturating_add(1);
                    self.chars = self.chars.saturating_add(1);
                    i = i.saturating_add(1);
                }
                0x00..=0x1F | 0x7F => {
                    return Err(self.error(
                        TextErrorKind::ControlCharacter {
                            code_point: u32::from(b),
                        },
                        at,
                        chars,
                    ))
                }
                0x80..=0xFF => {
                    let Some((need, lower, upper, bits)) = crate::swar::utf8_lead(b) else {
                        return Err(self.error(TextErrorKind::InvalidUtf8, at, chars));
                    };
                    self.need = need;
                    self.lower = lower;
                    self.upper = upper;
                    self.code_point = u32::from(bits);
                    self.lead_at = at;
                    i = i.saturating_add(1);
                }
                // Printable ASCII is taken by the fast path; a stray one lands here.
                _ => {
                    chars = chars.saturating_add(1);
                    self.chars = self.chars.saturating_add(1);
                    i = i.saturating_add(1);
                }
            }
            self.after_cr = false;
            // A character counts toward its line once complete (a lead byte waits).
            if self.need == 0 {
                self.check_line(i)?;
            }
        }
        self.base = self.abs(chunk.len());
        self.line_chars = self.line_chars.saturating_add(chars);
        Ok(())
    }

    /// The current line, up to chunk index `i`, must fit `max_line_bytes`; a longer line is
    /// reported at its start (column 1).
    #[inline]
    fn check_line(&mut self, i: usize) -> Result<(), TextError> {
        let length = self.abs(i).saturating_sub(self.line_start);
        if length <= self.limits.max_line_bytes {
            return Ok(());
        }
        Err(TextError(Box::new((
            TextErrorKind::LineTooLong {
                max: self.limits.max_line_bytes,
            },
            self.line_start,
            self.line,
            1,
        ))))
    }

    fn abs(&self, i: usize) -> u64 {
        self.base
            .saturating_add(u64::try_from(i).unwrap_or(u64::MAX))
    }
}

/// Leading bytes of `bytes` in 0x20..=0x7E (printable ASCII).
#[inline]
fn printable_run(bytes: &[u8]) -> usize {
    use crate::swar::{below_space, lanes_equal, HIGHS};
    crate::swar::run_until(
        bytes,
        |w| below_space(w) | lanes_equal(w, 0x7F) | (w & HIGHS),
        |b| (0x20..0x7F).contains(&b),
    )
}

/// The rule a character breaks, if any: a control other than tab, LF and CR (C0, DEL, C1), a
/// bidirectional control, or a tag character. The text inspector applies it to every
/// character of a text; the guard's format inspector to what a consumer of JSON or XML
/// decodes, and to the label that travels with an object.
pub fn forbidden_character(c: char) -> Option<TextErrorKind> {
    forbidden_code_point(u32::from(c))
}

fn forbidden_code_point(code_point: u32) -> Option<TextErrorKind> {
    match code_point {
        0x09 | 0x0A | 0x0D => None,
        0x00..=0x1F | 0x7F..=0x9F => Some(TextErrorKind::ControlCharacter { code_point }),
        _ if is_bidi_control(code_point) => Some(TextErrorKind::BidiControl { code_point }),
        _ if is_tag_character(code_point) => Some(TextErrorKind::TagCharacter { code_point }),
        _ => None,
    }
}

/// The first character of UTF-8 `bytes` that breaks [`forbidden_character`]'s rules, with its
/// byte offset in `bytes` (printable ASCII is skipped eight bytes at a time). Bytes that are
/// not UTF-8 are skipped: callers pass validated text.
pub fn first_forbidden(bytes: &[u8]) -> Option<(usize, TextErrorKind)> {
    let mut i = 0usize;
    loop {
        i = i.saturating_add(printable_run(bytes.get(i..)?));
        // The next character, from at most four bytes (an invalid byte reads as U+FFFD).
        let rest = bytes.get(i..)?;
        let window = rest.get(..rest.len().min(4))?;
        let valid = match core::str::from_utf8(window) {
            Ok(valid) => valid,
            Err(e) => core::str::from_utf8(window.get(..e.valid_up_to())?).ok()?,
        };
        let (c, len) = valid
            .chars()
            .next()
            .map_or(('\u{FFFD}', 1), |c| (c, c.len_utf8()));
        if let Some(kind) = forbidden_character(c) {
            return Some((i, kind));
        }
        i = i.saturating_add(len);
    }
}

/// Tag characters (U+E0000–U+E007F).
pub fn is_tag_character(code_point: u32) -> bool {
    (0xE0000..=0xE007F).contains(&code_point)
}

/// Bidirectional embeddings, overrides and isolates.
pub fn is_bidi_control(code_point: u32) -> bool {
    (0x202A..=0x202E).contains(&code_point) || (0x2066..=0x2069).contains(&code_point)
}

/// Validates a whole text.
pub fn validate_text(bytes: &[u8], limits: TextLimits) -> Result<TextStats, TextError> {
    let mut v = TextValidator::new(limits);
    v.feed(bytes)?;
    v.finish()
}

/// The text rebuild of content disarm and reconstruction (CDR): Unicode NFC, and every line
/// break (CR LF, lone CR) written as LF. `Err` if `bytes` is not UTF-8 (the format inspector
/// refuses such a text first).
///
/// ```
/// use crossguard::inspect::text::normalize_text;
/// assert_eq!(normalize_text("Cafe\u{301}\r\nline\rend".as_bytes())?, "Café\nline\nend".as_bytes());
/// # Ok::<(), String>(())
/// ```
pub fn normalize_text(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use unicode_normalization::UnicodeNormalization;
    let text = core::str::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 at byte {}", e.valid_up_to()))?;
    let mut out = String::with_capacity(text.len());
    let mut chars = text.nfc().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            chars.next_if_eq(&'\n');
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Ok(out.into_bytes())
}
