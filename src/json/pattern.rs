//! A bit-parallel matcher for the simple patterns schemas mostly use (`^[A-Z]+-[0-9]{3}$`),
//! equal to regex-lite's `is_match` on them and several times faster; any other pattern is
//! left to regex-lite.
//!
//! **The subset.** An optional `^`, a sequence of atoms each with an optional quantifier, an
//! optional `$`. An atom is a literal character (anything but `\ . + * ? ( ) | [ ] { } ^ $`),
//! `.` (any character but a line terminator: LF, CR, U+2028, U+2029, as in ECMA-262), `\d`
//! (`[0-9]`), an escaped metacharacter (`\.`, `\-`…), or a class `[…]` / `[^…]` of literal
//! characters, escaped metacharacters, `\d` and ranges `a-z`. A quantifier is `?`, `*`, `+`,
//! `{n}`, `{n,}` or `{n,m}` (greedy; counts up to [`MAX_POSITIONS`]). Groups, alternation,
//! other escapes (`\w`, `\s`, `\b`, `\<`…), flags, lazy quantifiers, nested classes and class
//! set operations are outside it: such a pattern is matched by regex-lite (its source
//! rewritten by [`ecma_pattern`]). Every pattern is compiled by regex-lite first, so the subset
//! never accepts a pattern regex-lite refuses.
//!
//! **The machine.** Each atom occurrence after expanding the quantifiers is a position (a
//! Glushkov automaton, at most 64 positions, one bit each). A position may be optional (can
//! be skipped) and may loop (can repeat). The set of positions just matched is one `u64`;
//! reading a character unions the followers of each active position (and the first positions,
//! where a match may start), then keeps those whose class holds the character. Time is linear
//! in the text; memory is fixed.

/// Positions after expanding quantifiers (one bit each in a `u64`).
pub(crate) const MAX_POSITIONS: usize = 64;

/// ECMA-262's white space and line terminators (`\s`), as members of a regex-lite class.
const ECMA_SPACE: &str =
    "\\t\\n\\x0B\\x0C\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

/// ECMA-262's `.`: any character but a line terminator.
const ECMA_DOT: &str = "[^\\n\\r\\x{2028}\\x{2029}]";

/// A schema's `pattern` (ECMA-262, as JSON Schema says) rewritten for regex-lite where the two
/// read the same syntax differently in a way that would let more through: `.` also excludes
/// CR, U+2028 and U+2029, and `\s` / `\S` are ECMA's white space (NBSP, the Unicode spaces,
/// U+FEFF) rather than ASCII's. Refused (`Err`, the reason): what ECMA-262 does not have and
/// would change the rewriting's meaning — inline flags (`(?s)`, `(?x)`…) and POSIX classes
/// (`[[:space:]]`) — and `\S` inside a class or `\s` as a range's end, which a class of
/// ranges cannot spell. Every other construct is passed to regex-lite as written, which
/// refuses what it does not know.
pub(crate) fn ecma_pattern(source: &str) -> Result<String, &'static str> {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    // Inside a class: the number of items read so far (a `]` first is literal).
    let mut class: Option<usize> = None;
    // The last item of the class was a bare `-` after another item: a range's dash.
    let mut dash = false;
    while let Some(c) = chars.next() {
        match (class, c) {
            (_, '\\') => {
                let Some(e) = chars.next() else {
                    // regex-lite refuses the dangling escape.
                    out.push('\\');
                    break;
                };
                match (class, e) {
                    (None, 's') => {
                        out.push('[');
                        out.push_str(ECMA_SPACE);
                        out.push(']');
                    }
                    (None, 'S') => {
                        out.push_str("[^");
                        out.push_str(ECMA_SPACE);
                        out.push(']');
                    }
                    (Some(_), 's') => {
                        // `\s-` then anything but `]` is a range from `\s`.
                        let mut ahead = chars.clone();
                        if dash || (ahead.next() == Some('-') && ahead.next() != Some(']')) {
                            return Err("\\s as an end of a range in a class");
                        }
                        out.push_str(ECMA_SPACE);
                    }
                    (Some(_), 'S') => return Err("\\S inside a class"),
                    (_, e) => {
                        out.push('\\');
                        out.push(e);
                    }
                }
                class = class.map(|n| n.saturating_add(1));
                dash = false;
            }
            (None, '.') => out.push_str(ECMA_DOT),
            (None, '[') => {
                out.push('[');
                if chars.next_if_eq(&'^').is_some() {
                    out.push('^');
                }
                class = Some(0);
                dash = false;
            }
            (None, '(') if chars.peek() == Some(&'?') => {
                out.push('(');
                out.push('?');
                chars.next();
                // `(?:`, `(?P<name>` and `(?<name>` are groups; anything else sets flags.
                match chars.peek() {
                    Some(':' | 'P' | '<') => {}
                    _ => return Err("inline flags, which ECMA-262 does not have"),
                }
            }
            (Some(n), ']') if n > 0 => {
                out.push(']');
                class = None;
            }
            (Some(_), '[') if chars.peek() == Some(&':') => {
                return Err("a POSIX class, which ECMA-262 does not have");
            }
            (Some(n), c) => {
                out.push(c);
                dash = c == '-' && n > 0;
                class = Some(n.saturating_add(1));
            }
            (None, c) => out.push(c),
        }
    }
    Ok(out)
}

/// One class of characters.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Class {
    negated: bool,
    /// Inclusive ranges.
    ranges: Vec<(char, char)>,
}

impl Class {
    fn single(c: char) -> Self {
        Self {
            negated: false,
            ranges: vec![(c, c)],
        }
    }

    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

#[derive(Clone, Debug)]
struct Position {
    class: Class,
    optional: bool,
    repeats: bool,
}

/// A pattern of the subset, compiled.
#[derive(Clone, Debug)]
pub(crate) struct SimplePattern {
    start_anchored: bool,
    end_anchored: bool,
    /// Every position is optional: the empty text matches.
    nullable: bool,
    /// Positions a match may begin with.
    first: u64,
    /// Per position: the positions that may follow it.
    follow: Vec<u64>,
    /// Positions after which every remaining position is optional.
    accept: u64,
    /// Per ASCII character: the positions whose class holds it.
    ascii: [u64; 128],
    /// Per position: its class (for characters beyond ASCII).
    classes: Vec<Class>,
}

/// Characters that must be escaped to be literal.
const META: &str = "\\.+*?()|[]{}^$";

impl SimplePattern {
    /// The compiled pattern when `source` is in the subset (see the module); `None` otherwise.
    pub(crate) fn compile(source: &str) -> Option<Self> {
        let mut chars = source.chars().peekable();
        let start_anchored = chars.next_if_eq(&'^').is_some();
        let mut end_anchored = false;
        let mut positions: Vec<Position> = Vec::new();
        while let Some(c) = chars.next() {
            let class = match c {
                '$' if chars.peek().is_none() => {
                    end_anchored = true;
                    break;
                }
                // ECMA-262's `.` ([`ecma_pattern`]).
                '.' => Class {
                    negated: true,
                    ranges: vec![('\n', '\n'), ('\r', '\r'), ('\u{2028}', '\u{2029}')],
                },
                '\\' => escape(chars.next()?)?,
                '[' => class(&mut chars)?,
                c if META.contains(c) => return None,
                c => Class::single(c),
            };
            let (min, max) = match chars.peek() {
                Some('?') => (0, Some(1)),
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('{') => {
                    chars.next();
                    let (min, max) = counted(&mut chars)?;
                    // Consumed up to and including `}`; nothing more to skip.
                    if chars
                        .peek()
                        .is_some_and(|&c| matches!(c, '?' | '*' | '+' | '{'))
                    {
                        return None;
                    }
                    push(&mut positions, &class, min, max)?;
                    continue;
                }
                _ => (1, Some(1)),
            };
            if min != 1 || max != Some(1) {
                chars.next();
                if chars
                    .peek()
                    .is_some_and(|&c| matches!(c, '?' | '*' | '+' | '{'))
                {
                    return None;
                }
            }
            push(&mut positions, &class, min, max)?;
        }
        Some(Self::build(start_anchored, end_anchored, positions))
    }

    fn build(start_anchored: bool, end_anchored: bool, positions: Vec<Position>) -> Self {
        let k = positions.len();
        // optional_from[j]: positions j.. are all optional.
        let mut optional_from = vec![true; k.saturating_add(1)];
        for j in (0..k).rev() {
            let rest = optional_from
                .get(j.saturating_add(1))
                .copied()
                .unwrap_or(true);
            let here = positions.get(j).is_some_and(|p| p.optional);
            if let Some(slot) = optional_from.get_mut(j) {
                *slot = rest && here;
            }
        }
        let bit = |j: usize| {
            1u64.checked_shl(u32::try_from(j).unwrap_or(64))
                .unwrap_or(0)
        };
        // The positions reachable from just before position `from`, skipping optional ones.
        let reach = |from: usize| {
            let mut mask = 0u64;
            for (j, p) in positions.iter().enumerate().skip(from) {
                mask |= bit(j);
                if !p.optional {
                    break;
                }
            }
            mask
        };
        let mut follow = Vec::with_capacity(k);
        let mut accept = 0u64;
        let mut ascii = [0u64; 128];
        for (i, p) in positions.iter().enumerate() {
            let mut next = reach(i.saturating_add(1));
            if p.repeats {
                next |= bit(i);
            }
            follow.push(next);
            if optional_from
                .get(i.saturating_add(1))
                .copied()
                .unwrap_or(true)
            {
                accept |= bit(i);
            }
            for (c, slot) in (0u8..128).zip(ascii.iter_mut()) {
                if p.class.contains(char::from(c)) {
                    *slot |= bit(i);
                }
            }
        }
        Self {
            start_anchored,
            end_anchored,
            nullable: optional_from.first().copied().unwrap_or(true),
            first: reach(0),
            follow,
            accept,
            ascii,
            classes: positions.into_iter().map(|p| p.class).collect(),
        }
    }

    /// Whether the pattern matches somewhere in `text` (valid UTF-8; a byte sequence that is
    /// not is matched by nothing, failing closed).
    pub(crate) fn is_match(&self, text: &[u8]) -> bool {
        let mut active = 0u64;
        let mut i = 0usize;
        loop {
            let start = i == 0 || !self.start_anchored;
            let matched = active & self.accept != 0 || (start && self.nullable);
            if matched && !self.end_anchored {
                return true;
            }
            let Some(&b) = text.get(i) else {
                return matched;
            };
            let (holds, width) = if b < 0x80 {
                (self.ascii.get(usize::from(b)).copied().unwrap_or(0), 1)
            } else {
                let Some((c, width)) = decode(text.get(i..).unwrap_or_default()) else {
                    return false;
                };
                (self.holding(c), width)
            };
            let mut next = if start { self.first } else { 0 };
            let mut bits = active;
            while bits != 0 {
                let p = usize::try_from(bits.trailing_zeros()).unwrap_or(0);
                next |= self.follow.get(p).copied().unwrap_or(0);
                bits &= bits.wrapping_sub(1);
            }
            active = next & holds;
            i = i.saturating_add(width);
            if active == 0 && self.start_anchored {
                // No match can begin later, and none is in progress.
                return false;
            }
        }
    }

    /// The positions whose class holds `c`.
    fn holding(&self, c: char) -> u64 {
        self.classes
            .iter()
            .enumerate()
            .filter(|(_, class)| class.contains(c))
            .fold(0u64, |mask, (j, _)| {
                mask | 1u64
                    .checked_shl(u32::try_from(j).unwrap_or(64))
                    .unwrap_or(0)
            })
    }
}

/// Adds `min` mandatory copies of `class` and then `max - min` optional ones (or one optional
/// looping copy when `max` is unbounded); `None` past [`MAX_POSITIONS`].
fn push(positions: &mut Vec<Position>, class: &Class, min: u32, max: Option<u32>) -> Option<()> {
    let copy = |optional, repeats| Position {
        class: class.clone(),
        optional,
        repeats,
    };
    match max {
        Some(max) => {
            if max < min {
                return None;
            }
            for _ in 0..min {
                positions.push(copy(false, false));
                (positions.len() <= MAX_POSITIONS).then_some(())?;
            }
            for _ in min..max {
                positions.push(copy(true, false));
                (positions.len() <= MAX_POSITIONS).then_some(())?;
            }
        }
        None => {
            for _ in 1..min {
                positions.push(copy(false, false));
                (positions.len() <= MAX_POSITIONS).then_some(())?;
            }
            positions.push(copy(min == 0, true));
        }
    }
    (positions.len() <= MAX_POSITIONS).then_some(())
}

/// `{n}`, `{n,}` or `{n,m}` after its `{`: the bounds, counts at most [`MAX_POSITIONS`].
fn counted(chars: &mut core::iter::Peekable<core::str::Chars<'_>>) -> Option<(u32, Option<u32>)> {
    let number = |chars: &mut core::iter::Peekable<core::str::Chars<'_>>| {
        let mut value: Option<u32> = None;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            chars.next();
            let v = value.unwrap_or(0).checked_mul(10)?.checked_add(d)?;
            if usize::try_from(v).ok()? > MAX_POSITIONS {
                return None;
            }
            value = Some(v);
        }
        value
    };
    let min = number(chars)?;
    match chars.next()? {
        '}' => Some((min, Some(min))),
        ',' => {
            if chars.next_if_eq(&'}').is_some() {
                return Some((min, None));
            }
            let max = number(chars)?;
            (chars.next()? == '}').then_some((min, Some(max)))
        }
        _ => None,
    }
}

/// The class of `\c` outside a class.
fn escape(c: char) -> Option<Class> {
    match c {
        'd' => Some(Class {
            negated: false,
            ranges: vec![('0', '9')],
        }),
        c if META.contains(c) || c == '-' || c == '/' => Some(Class::single(c)),
        _ => None,
    }
}

/// A class after its `[`, through its `]`.
fn class(chars: &mut core::iter::Peekable<core::str::Chars<'_>>) -> Option<Class> {
    let negated = chars.next_if_eq(&'^').is_some();
    let mut ranges = Vec::new();
    // One member: a literal character, an escaped metacharacter or `\d` (a range).
    let member = |chars: &mut core::iter::Peekable<core::str::Chars<'_>>| -> Option<Result<char, (char, char)>> {
        match chars.next()? {
            '\\' => match chars.next()? {
                'd' => Some(Err(('0', '9'))),
                c if META.contains(c) || c == '-' || c == '/' => Some(Ok(c)),
                _ => None,
            },
            // Nested classes, set operations and a bare `-` are left to regex-lite.
            '[' | ']' | '-' | '&' | '~' => None,
            c => Some(Ok(c)),
        }
    };
    loop {
        if chars.next_if_eq(&']').is_some() {
            return (!ranges.is_empty()).then_some(Class { negated, ranges });
        }
        match member(chars)? {
            Err(range) => ranges.push(range),
            Ok(lo) => {
                if chars.next_if_eq(&'-').is_some() {
                    let Ok(hi) = member(chars)? else {
                        return None;
                    };
                    if hi < lo {
                        return None;
                    }
                    ranges.push((lo, hi));
                } else {
                    ranges.push((lo, lo));
                }
            }
        }
    }
}

/// The character at the start of `bytes` (valid UTF-8) and its width.
fn decode(bytes: &[u8]) -> Option<(char, usize)> {
    let width = match bytes.first()? {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    let c = core::str::from_utf8(bytes.get(..width)?)
        .ok()?
        .chars()
        .next()?;
    Some((c, width))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lite(source: &str) -> regex_lite::Regex {
        regex_lite::Regex::new(&ecma_pattern(source).unwrap()).unwrap()
    }

    /// What the rewriting changes (`.`, `\s`, `\S` outside classes, `\s` inside), what it
    /// passes as written, and what it refuses.
    #[test]
    fn patterns_are_rewritten_to_ecma_262() {
        let space = format!("[{ECMA_SPACE}]");
        let not_space = format!("[^{ECMA_SPACE}]");
        for (source, rewritten) in [
            ("a.b", format!("a{ECMA_DOT}b")),
            ("^\\s+$", format!("^{space}+$")),
            ("\\S", not_space.clone()),
            ("[\\sa]", format!("[{ECMA_SPACE}a]")),
            ("[^\\s]", format!("[^{ECMA_SPACE}]")),
            ("[\\s-]", format!("[{ECMA_SPACE}-]")),
            ("[-\\s]", format!("[-{ECMA_SPACE}]")),
            ("[\\-\\s]", format!("[\\-{ECMA_SPACE}]")),
        ] {
            assert_eq!(ecma_pattern(source).unwrap(), rewritten, "{source:?}");
        }
        for (source, rewritten) in [
            ("\\[.", format!("\\[{ECMA_DOT}")),
            ("(?:a.)", format!("(?:a{ECMA_DOT})")),
        ] {
            assert_eq!(ecma_pattern(source).unwrap(), rewritten, "{source:?}");
        }
        // No `.` outside a class, no `\s`: as written.
        for unchanged in [
            "\\.",
            "[.]",
            "[]a.]",
            "[^].]",
            "(?:a)",
            "(?P<n>x)",
            "(?<n>x)",
            "\\d\\w\\b",
            "\\x{2E}",
            "a\\",
        ] {
            assert_eq!(ecma_pattern(unchanged).unwrap(), unchanged);
        }
        for refused in [
            "(?i)a",
            "(?s).",
            "(?x) a",
            "(?-u)a",
            "(?i:a)",
            "[[:space:]]",
            "[a[:alpha:]]",
            "[\\S]",
            "[a-\\s]",
            "[\\s-z]",
        ] {
            assert!(ecma_pattern(refused).is_err(), "{refused:?}");
        }
        // What the rewritten patterns match: ECMA's line terminators and white space.
        for (source, yes, no) in [
            (
                ".",
                &["a", "\t", "\u{85}", "é"][..],
                &["\n", "\r", "\u{2028}", "\u{2029}"][..],
            ),
            (
                "\\s",
                &[
                    " ", "\t", "\u{B}", "\u{C}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}",
                    "\u{2028}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}",
                ],
                &["a", "\u{85}", "\u{180E}", "\u{200B}"],
            ),
        ] {
            let regex = lite(source);
            for text in yes {
                assert!(regex.is_match(text), "{source:?} {text:?}");
            }
            for text in no {
                assert!(!regex.is_match(text), "{source:?} {text:?}");
            }
        }
    }

    /// `\S` is everything `\s` is not.
    #[test]
    fn not_space_is_the_complement() {
        let (space, not_space) = (lite("^\\s$"), lite("^\\S$"));
        for c in (0u32..0x3100)
            .chain(0xFE00..0xFF00)
            .filter_map(char::from_u32)
        {
            let text = c.to_string();
            assert_ne!(space.is_match(&text), not_space.is_match(&text), "{c:?}");
        }
    }

    #[test]
    fn the_subset_is_recognised() {
        for inside in [
            "",
            "^$",
            "^[A-Z]+-[0-9]{3}$",
            "a.b*c?d+",
            "\\d{2,4}\\.\\-",
            "[^a-z\\]]{0,}x{3,}",
            "é[à-ÿ]",
            "$",
            "^",
        ] {
            assert!(SimplePattern::compile(inside).is_some(), "{inside:?}");
        }
        for outside in [
            "a|b",
            "(ab)",
            "\\w",
            "\\s",
            "\\b",
            "\\<",
            "(?i)a",
            "a*?",
            "a{2}?",
            "a$b",
            "a^",
            "[[:alpha:]]",
            "[a&&b]",
            "[a-]",
            "[]a]",
            "a{65}",
            "[a-z]{40}[0-9]{30}",
            "a**",
        ] {
            assert!(SimplePattern::compile(outside).is_none(), "{outside:?}");
        }
    }

    /// A pattern of the subset, as source.
    fn pattern() -> impl Strategy<Value = String> {
        let atom = prop_oneof![
            Just("a".to_owned()),
            Just("b".to_owned()),
            Just("-".to_owned()),
            Just("é".to_owned()),
            Just(".".to_owned()),
            Just("\\d".to_owned()),
            Just("\\.".to_owned()),
            Just("\\$".to_owned()),
            Just("[a-c]".to_owned()),
            Just("[^a\\-]".to_owned()),
            Just("[0-9A-Z]".to_owned()),
            Just("[^\\d]".to_owned()),
            Just("[é-€]".to_owned()),
        ];
        let quantifier = prop_oneof![
            Just(""),
            Just(""),
            Just("?"),
            Just("*"),
            Just("+"),
            Just("{2}"),
            Just("{0,2}"),
            Just("{1,}"),
            Just("{0}"),
            Just("{0,}"),
        ];
        (
            any::<bool>(),
            proptest::collection::vec((atom, quantifier), 0..6),
            any::<bool>(),
        )
            .prop_map(|(start, atoms, end)| {
                let mut s = String::new();
                if start {
                    s.push('^');
                }
                for (a, q) in atoms {
                    s.push_str(&a);
                    s.push_str(q);
                }
                if end {
                    s.push('$');
                }
                s
            })
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('a'),
                Just('b'),
                Just('c'),
                Just('-'),
                Just('.'),
                Just('$'),
                Just('0'),
                Just('7'),
                Just('Z'),
                Just('\n'),
                Just('é'),
                Just('€'),
                Just('😀'),
            ],
            0..10,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// On every pattern of the subset and text, the same answer as regex-lite.
        #[test]
        fn matches_like_regex_lite(source in pattern(), texts in proptest::collection::vec(text(), 1..8)) {
            let simple = SimplePattern::compile(&source).unwrap();
            let reference = lite(&source);
            for t in texts {
                prop_assert_eq!(
                    simple.is_match(t.as_bytes()),
                    reference.is_match(&t),
                    "pattern {:?} on {:?}", source, t
                );
            }
        }
    }
}
