//! Numbers: the RFC 8259 §6 grammar (with nom, on the complete lexeme) and the I-JSON
//! interoperability checks of RFC 7493 §2.2.
//!
//! RFC 7493 says a message SHOULD NOT hold numbers with more magnitude or precision than an
//! IEEE 754 double gives, and that integers outside [-(2^53)+1, 2^53-1] are not interoperable.
//! A guard takes the safe reading and refuses them:
//! - a literal whose value overflows a double (`1E400`), or a non-zero literal that rounds to
//!   zero (`1E-400`): [`JsonErrorKind::NumberOutOfRange`];
//! - an integer literal (no fraction, no exponent) outside that range:
//!   [`JsonErrorKind::IntegerOutOfRange`];
//! - more than 17 significant digits (leading and trailing zeros of the digit string aside),
//!   more than any double needs to be written exactly: [`JsonErrorKind::NumberTooPrecise`].

use nom::bytes::complete::{tag, take_while, take_while1};
use nom::combinator::opt;
use nom::IResult;

use super::error::JsonErrorKind;

/// Most significant digits a double needs (17).
const MAX_SIGNIFICANT_DIGITS: usize = 17;
/// The largest integer a double holds together with all smaller ones: 2^53 - 1.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The parts of a number lexeme.
struct Parts<'a> {
    negative: bool,
    int: &'a [u8],
    frac: Option<&'a [u8]>,
    exp: Option<&'a [u8]>,
}

fn grammar(input: &[u8]) -> IResult<&[u8], Parts<'_>> {
    let (rest, minus) = opt(tag(&b"-"[..])).parse_complete(input)?;
    let (rest, int) = take_while1(|b: u8| b.is_ascii_digit())(rest)?;
    let (rest, frac) = match tag::<_, _, nom::error::Error<&[u8]>>(&b"."[..])(rest) {
        Ok((after, _)) => {
            let (after, digits) = take_while1(|b: u8| b.is_ascii_digit())(after)?;
            (after, Some(digits))
        }
        Err(_) => (rest, None),
    };
    let (rest, exp) = match rest.first() {
        Some(b'e' | b'E') => {
            let after = rest.get(1..).unwrap_or_default();
            let (after, _) = take_while(|b: u8| b == b'+' || b == b'-')(after)?;
            let signs = rest.len().saturating_sub(1).saturating_sub(after.len());
            if signs > 1 {
                return Err(nom::Err::Error(nom::error::Error::new(
                    rest,
                    nom::error::ErrorKind::Tag,
                )));
            }
            let (after, digits) = take_while1(|b: u8| b.is_ascii_digit())(after)?;
            (after, Some(digits))
        }
        _ => (rest, None),
    };
    Ok((
        rest,
        Parts {
            negative: minus.is_some(),
            int,
            frac,
            exp,
        },
    ))
}

use nom::Parser as _;

/// Checks a complete number lexeme (the run of `-+.eE0-9` bytes that started with `-` or a
/// digit): grammar first, then the I-JSON range and precision rules.
pub(crate) fn check(lexeme: &[u8]) -> Result<(), JsonErrorKind> {
    if is_plain(lexeme) {
        return Ok(());
    }
    check_fully(lexeme)
}

/// [`check`] without the fast path.
fn check_fully(lexeme: &[u8]) -> Result<(), JsonErrorKind> {
    let parts = match grammar(lexeme) {
        Ok((b"", parts)) => parts,
        _ => return Err(JsonErrorKind::InvalidNumber),
    };
    // RFC 8259: no leading zeros in the integer part.
    if parts.int.len() > 1 && parts.int.first() == Some(&b'0') {
        return Err(JsonErrorKind::InvalidNumber);
    }
    let frac = parts.frac.unwrap_or_default();
    // Significant digits: the integer and fraction digits without leading and trailing zeros.
    let all = parts.int.iter().chain(frac.iter());
    let leading = all.clone().take_while(|&&d| d == b'0').count();
    let total = parts.int.len().saturating_add(frac.len());
    let trailing = parts
        .int
        .iter()
        .chain(frac.iter())
        .rev()
        .take_while(|&&d| d == b'0')
        .count();
    let significant = total.saturating_sub(leading).saturating_sub(trailing);
    if significant > MAX_SIGNIFICANT_DIGITS {
        return Err(JsonErrorKind::NumberTooPrecise);
    }
    if parts.frac.is_none() && parts.exp.is_none() {
        // An integer literal: exact range check (at most 17 significant digits here, but
        // trailing zeros can make it long: `100000000000000000000`).
        let in_range = parts.int.len() <= 16
            && parts
                .int
                .iter()
                .try_fold(0u64, |v, &d| {
                    v.checked_mul(10)?
                        .checked_add(u64::from(d.wrapping_sub(b'0')))
                })
                .is_some_and(|v| v <= MAX_SAFE_INTEGER);
        return if in_range {
            Ok(())
        } else {
            Err(JsonErrorKind::IntegerOutOfRange)
        };
    }
    if significant == 0 {
        // Zero, however written (`0.000e999` is zero, not an overflow).
        return Ok(());
    }
    // A cheap bound first: with at most 17 significant digits, a decimal exponent well inside
    // ±300 cannot leave the double range. Only the rest is parsed exactly.
    let exponent = parts.exp.map_or(Some(0i64), |e| {
        let negative = lexeme.iter().rev().nth(e.len()).is_some_and(|&s| s == b'-');
        let digits = e.iter().skip_while(|&&d| d == b'0');
        let magnitude = digits.clone().count();
        if magnitude > 6 {
            return None;
        }
        let value = digits.fold(0i64, |v, &d| {
            v.saturating_mul(10)
                .saturating_add(i64::from(d.wrapping_sub(b'0')))
        });
        Some(if negative {
            value.saturating_neg()
        } else {
            value
        })
    });
    // The decimal position of the first significant digit: the integer part's length, or
    // minus the fraction's leading zeros when the integer part is `0`.
    let position = if parts.int == b"0" {
        let zeros = frac.iter().take_while(|&&d| d == b'0').count();
        i64::try_from(zeros).unwrap_or(i64::MAX).saturating_neg()
    } else {
        i64::try_from(parts.int.len()).unwrap_or(i64::MAX)
    };
    if let Some(e) = exponent {
        let magnitude = e.saturating_add(position);
        if (-280..=280).contains(&magnitude) {
            return Ok(());
        }
    }
    let text = core::str::from_utf8(lexeme).map_err(|_| JsonErrorKind::InvalidNumber)?;
    let value: f64 = text.parse().map_err(|_| JsonErrorKind::InvalidNumber)?;
    if value.is_infinite() || value == 0.0 {
        // `significant > 0` above: a zero here is an underflow.
        return Err(JsonErrorKind::NumberOutOfRange);
    }
    let _ = parts.negative;
    Ok(())
}

/// The common case settled in one pass without the full grammar:
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?` with at most 15 digits before the
/// exponent and an exponent of at most 280 — valid, and within every I-JSON bound (15
/// significant digits; an integer below 2^53; a magnitude between 1e-295 and 1e296, inside
/// the double range without underflow). Anything else takes the full path.
#[inline]
fn is_plain(lexeme: &[u8]) -> bool {
    plain_prefix(lexeme) == Some(lexeme.len())
}

/// The length of the [`is_plain`] number at the start of `bytes`, when one is there and is
/// followed by a byte that cannot continue a number (so the lexeme is complete and plain).
#[inline(always)]
pub(crate) fn plain_len(bytes: &[u8]) -> Option<usize> {
    let len = plain_prefix(bytes)?;
    match bytes.get(len) {
        Some(&b) if !is_number_byte(b) => Some(len),
        _ => None,
    }
}

/// The length of the longest prefix of `bytes` that [`is_plain`] grammar reads, if any: one
/// pass, byte by byte (numbers are short; a word-wide digit test measured slower). Indices
/// advance with `wrapping_add`: each is at most one past a byte just read, so below
/// `isize::MAX`, and cannot wrap (saturating additions cost a compare each, in the hottest
/// loop).
#[inline(always)]
fn plain_prefix(lexeme: &[u8]) -> Option<usize> {
    let digits_from = |mut i: usize| {
        while let Some(b'0'..=b'9') = lexeme.get(i) {
            i = i.wrapping_add(1);
        }
        i
    };
    let sign = usize::from(lexeme.first() == Some(&b'-'));
    // The integer part: `0`, or a digit 1-9 and more digits.
    let mut i = match lexeme.get(sign) {
        Some(b'0') => sign.wrapping_add(1),
        Some(b'1'..=b'9') => digits_from(sign.wrapping_add(1)),
        _ => return None,
    };
    let mut total = i.saturating_sub(sign);
    if lexeme.get(i) == Some(&b'.') {
        let frac = i.wrapping_add(1);
        i = digits_from(frac);
        if i == frac {
            return None;
        }
        total = total.wrapping_add(i.saturating_sub(frac));
    }
    if total > 15 {
        return None;
    }
    if let Some(b'e' | b'E') = lexeme.get(i) {
        i = i.wrapping_add(1);
        if let Some(b'+' | b'-') = lexeme.get(i) {
            i = i.wrapping_add(1);
        }
        let mut value = 0u32;
        let mut exp = 0usize;
        while let Some(&d @ b'0'..=b'9') = lexeme.get(i) {
            value = value
                .saturating_mul(10)
                .saturating_add(u32::from(d.wrapping_sub(b'0')));
            exp = exp.wrapping_add(1);
            i = i.wrapping_add(1);
        }
        if exp == 0 || exp > 3 || value > 280 {
            return None;
        }
    }
    Some(i)
}

/// Whether `b` can continue a number lexeme (the scanner collects this run, then [`check`]s).
#[inline]
pub(crate) fn is_number_byte(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn grammar_and_ranges() {
        for ok in [
            "0",
            "-0",
            "1",
            "-1",
            "10",
            "0.5",
            "-0.5e10",
            "1E5",
            "1e+5",
            "1e-5",
            "9007199254740991",
            "-9007199254740991",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "2.2250738585072014e-308",
            "5e-324",
            "0.000e999",
            "123456789.12345678",
            "100000000000000000000e0",
            "1e308",
        ] {
            assert_eq!(check(ok.as_bytes()), Ok(()), "{ok}");
        }
        for (bad, kind) in [
            ("01", JsonErrorKind::InvalidNumber),
            ("-", JsonErrorKind::InvalidNumber),
            ("1.", JsonErrorKind::InvalidNumber),
            (".5", JsonErrorKind::InvalidNumber),
            ("1e", JsonErrorKind::InvalidNumber),
            ("1e+-5", JsonErrorKind::InvalidNumber),
            ("+1", JsonErrorKind::InvalidNumber),
            ("1-2", JsonErrorKind::InvalidNumber),
            ("1.2.3", JsonErrorKind::InvalidNumber),
            ("--1", JsonErrorKind::InvalidNumber),
            ("9007199254740992", JsonErrorKind::IntegerOutOfRange),
            ("-9007199254740992", JsonErrorKind::IntegerOutOfRange),
            ("100000000000000000000", JsonErrorKind::IntegerOutOfRange),
            ("1e400", JsonErrorKind::NumberOutOfRange),
            ("-1e400", JsonErrorKind::NumberOutOfRange),
            ("1e-400", JsonErrorKind::NumberOutOfRange),
            ("1.7976931348623159e308", JsonErrorKind::NumberOutOfRange),
            ("1e99999999999", JsonErrorKind::NumberOutOfRange),
            ("3.141592653589793238", JsonErrorKind::NumberTooPrecise),
        ] {
            assert_eq!(check(bad.as_bytes()), Err(kind), "{bad}");
        }
    }

    /// The plain fast path agrees with the full rules on every short lexeme over `-0.1e+9`.
    #[test]
    fn the_plain_path_agrees_with_the_grammar() {
        let alphabet = [b'-', b'0', b'1', b'.', b'9', b'e', b'+'];
        let mut lexeme = Vec::new();
        for len in 1..=6u32 {
            for mut n in 0..7usize.pow(len) {
                lexeme.clear();
                for _ in 0..len {
                    lexeme.push(alphabet[n % 7]);
                    n /= 7;
                }
                if is_plain(&lexeme) {
                    assert_eq!(check_fully(&lexeme), Ok(()), "{lexeme:?}");
                }
                // Followed by a byte that ends a number, the prefix reader finds the same.
                let mut followed = lexeme.clone();
                followed.push(b',');
                let expected = is_plain(&lexeme).then_some(lexeme.len());
                assert_eq!(plain_len(&followed), expected, "{lexeme:?}");
                assert_eq!(plain_len(&lexeme), None, "{lexeme:?} may go on");
            }
        }
        for long in [
            "123456789012345",
            "1234567890.12345",
            "-0.00000000000001",
            "1e5",
            "12.3e1",
            "-9.99999999999999E+280",
            "0.00000000000001e-280",
            "1e007",
        ] {
            assert!(is_plain(long.as_bytes()), "{long}");
            assert_eq!(check_fully(long.as_bytes()), Ok(()), "{long}");
        }
        for not in [
            "1234567890123456",
            "1e281",
            "1e-281",
            "1e0001",
            "1e",
            "1e+",
            "1.5e5e5",
            "1ee5",
            "01",
            "1.",
            ".1",
            "-",
            "--1",
            "1.2.3",
        ] {
            assert!(!is_plain(not.as_bytes()), "{not}");
        }
    }

    #[test]
    fn the_exponent_shortcut_agrees_with_parsing() {
        // Around the shortcut's bounds, the answer must be what an exact parse says.
        for e in -330i32..=330 {
            for mantissa in [
                "1",
                "9.99999999999999",
                "0.001",
                "12345",
                "0.000000000000000000000000000000000000000000001",
            ] {
                let text = format!("{mantissa}e{e}");
                let value: f64 = text.parse().unwrap();
                let expected = if value.is_infinite() || value == 0.0 {
                    Err(JsonErrorKind::NumberOutOfRange)
                } else {
                    Ok(())
                };
                assert_eq!(check(text.as_bytes()), expected, "{text}");
            }
        }
    }
}
