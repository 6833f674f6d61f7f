//! Date-times in labels and policies: `xs:dateTime` (4774 `CreationDateTime`,
//! `ReviewDateTime`, `SuccessionDateTime`) and the SPIF `genTime` form
//! `YYYYMMDDHH[MM[SS[.fff]]][Z|±HHMM]`.
//!
//! Values are checked field by field (month lengths, leap years, offsets) and turned into
//! seconds since the Unix epoch, UTC. A value without a time zone is read as UTC — the safe
//! reading for comparisons that decide succession: a guard must not let a local clock make a
//! label succeed early, and ±14 h is the most that reading can be off. Documented in
//! `docs/labels.md`.

use core::fmt;

/// A point in time, seconds since 1970-01-01T00:00:00Z (fractions dropped).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current system time (the epoch if the clock is before it).
    pub fn now() -> Self {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Self(seconds)
    }

    /// Parses `xs:dateTime`: `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?`.
    pub fn parse_xs_datetime(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        let (negative, b) = match b.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, b),
        };
        let dash = b.iter().position(|c| *c == b'-')?;
        let year_digits = b.get(..dash)?;
        if year_digits.len() < 4 || (year_digits.len() > 4 && year_digits.first() == Some(&b'0')) {
            return None;
        }
        let year = digits(year_digits)?;
        let year = if negative { year.checked_neg()? } else { year };
        let rest = b.get(dash..)?;
        if rest.len() < 15 || rest.first() != Some(&b'-') || rest.get(3) != Some(&b'-') {
            return None;
        }
        if rest.get(6) != Some(&b'T') || rest.get(9) != Some(&b':') || rest.get(12) != Some(&b':') {
            return None;
        }
        let month = digits(rest.get(1..3)?)?;
        let day = digits(rest.get(4..6)?)?;
        let hour = digits(rest.get(7..9)?)?;
        let minute = digits(rest.get(10..12)?)?;
        let second = digits(rest.get(13..15)?)?;
        let mut tail = rest.get(15..)?;
        if let Some((b'.', fraction)) = tail.split_first() {
            let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            tail = fraction.get(n..)?;
        }
        let offset = zone(tail, true)?;
        Self::from_fields(year, month, day, hour, minute, second, offset)
    }

    /// Parses the SPIF `genTime` form, `YYYYMMDDHH[MM[SS[.fff]]][Z|±HHMM]`; it also accepts
    /// `xs:dateTime` since published SPIFs use both in `notBefore` / `notAfter`.
    pub fn parse_spif_time(s: &str) -> Option<Self> {
        if s.contains('-') && s.contains('T') {
            return Self::parse_xs_datetime(s);
        }
        let b = s.as_bytes();
        let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if !matches!(n, 10 | 12 | 14) {
            return None;
        }
        let field = |at: usize| b.get(at..at.checked_add(2)?).and_then(digits);
        let year = digits(b.get(..4)?)?;
        let month = field(4)?;
        let day = field(6)?;
        let hour = field(8)?;
        let minute = if n >= 12 { field(10)? } else { 0 };
        let second = if n >= 14 { field(12)? } else { 0 };
        let mut tail = b.get(n..)?;
        if n == 14 {
            if let Some((b'.', fraction)) = tail.split_first() {
                let k = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
                if k == 0 {
                    return None;
                }
                tail = fraction.get(k..)?;
            }
        }
        let offset = zone(tail, false)?;
        Self::from_fields(year, month, day, hour, minute, second, offset)
    }

    fn from_fields(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        minute: i64,
        second: i64,
        offset_minutes: i64,
    ) -> Option<Self> {
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let end_of_day = hour == 24 && minute == 0 && second == 0;
        if !(hour < 24 || end_of_day) || minute > 59 || second > 59 {
            return None;
        }
        let days = days_from_civil(year, month, day)?;
        let seconds = days
            .checked_mul(86_400)?
            .checked_add(hour.checked_mul(3600)?)?
            .checked_add(minute.checked_mul(60)?)?
            .checked_add(second)?
            .checked_sub(offset_minutes.checked_mul(60)?)?;
        Some(Self(seconds))
    }
}

impl fmt::Display for Timestamp {
    /// `YYYY-MM-DDThh:mm:ssZ` (years 0..=9999; others as seconds).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        match civil_from_days(days) {
            Some((y, m, d)) if (0..=9999).contains(&y) => write!(
                f,
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                secs / 3600,
                (secs % 3600) / 60,
                secs % 60
            ),
            _ => write!(f, "@{}", self.0),
        }
    }
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 12 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0i64, |acc, d| {
        acc.checked_mul(10)?
            .checked_add(i64::from(d.checked_sub(b'0')?))
    })
}

/// `Z`, `±hh:mm` (with colon) or `±hhmm` (without); empty = UTC. Minutes east of UTC.
fn zone(tail: &[u8], colon: bool) -> Option<i64> {
    match tail {
        [] | [b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (hh, mm) = match (colon, rest) {
                (true, [h1, h2, b':', m1, m2]) | (false, [h1, h2, m1, m2]) => {
                    (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?)
                }
                _ => return None,
            };
            if hh > 14 || mm > 59 || (hh == 14 && mm != 0) {
                return None;
            }
            let minutes = hh.checked_mul(60)?.checked_add(mm)?;
            Some(if *sign == b'-' {
                minutes.checked_neg()?
            } else {
                minutes
            })
        }
        _ => None,
    }
}

fn is_leap(year: i64) -> bool {
    (year.rem_euclid(4) == 0 && year.rem_euclid(100) != 0) || year.rem_euclid(400) == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let y = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if month > 2 {
        month.checked_sub(3)?
    } else {
        month.checked_add(9)?
    };
    let doy = (153i64.checked_mul(mp)?.checked_add(2)? / 5)
        .checked_add(day)?
        .checked_sub(1)?;
    let doe = yoe
        .checked_mul(365)?
        .checked_add(yoe / 4)?
        .checked_sub(yoe / 100)?
        .checked_add(doy)?;
    era.checked_mul(146_097)?
        .checked_add(doe)?
        .checked_sub(719_468)
}

fn civil_from_days(days: i64) -> Option<(i64, i64, i64)> {
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = doe
        .checked_sub(doe / 1460)?
        .checked_add(doe / 36_524)?
        .checked_sub(doe / 146_096)?
        / 365;
    let doy = doe.checked_sub(
        yoe.checked_mul(365)?
            .checked_add(yoe / 4)?
            .checked_sub(yoe / 100)?,
    )?;
    let mp = doy.checked_mul(5)?.checked_add(2)? / 153;
    let d = doy
        .checked_sub(153i64.checked_mul(mp)?.checked_add(2)? / 5)?
        .checked_add(1)?;
    let m = if mp < 10 {
        mp.checked_add(3)?
    } else {
        mp.checked_sub(9)?
    };
    let y = yoe.checked_add(era.checked_mul(400)?)?;
    Some((if m <= 2 { y.checked_add(1)? } else { y }, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xs_datetime_forms() {
        assert_eq!(
            Timestamp::parse_xs_datetime("1970-01-01T00:00:00Z"),
            Some(Timestamp(0))
        );
        assert_eq!(
            Timestamp::parse_xs_datetime("2025-01-01T12:00:00Z"),
            Some(Timestamp(1_735_732_800))
        );
        assert_eq!(
            Timestamp::parse_xs_datetime("2025-01-01T13:30:00.25+01:30"),
            Some(Timestamp(1_735_732_800))
        );
        assert_eq!(
            Timestamp::parse_xs_datetime("2024-02-29T00:00:00"),
            Some(Timestamp(1_709_164_800))
        );
        for bad in [
            "2023-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-01-01 00:00:00Z",
            "2025-01-01T24:00:01Z",
            "2025-01-01T00:00:00+15:00",
            "2025-01-01T00:00:00.Z",
            "yesterday",
            "",
            "02025-01-01T00:00:00Z",
        ] {
            assert_eq!(Timestamp::parse_xs_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn spif_gentime_forms() {
        assert_eq!(
            Timestamp::parse_spif_time("20250101000000Z"),
            Timestamp::parse_xs_datetime("2025-01-01T00:00:00Z")
        );
        assert_eq!(
            Timestamp::parse_spif_time("2025010112"),
            Timestamp::parse_xs_datetime("2025-01-01T12:00:00Z")
        );
        assert_eq!(
            Timestamp::parse_spif_time("202501011230+0100"),
            Timestamp::parse_xs_datetime("2025-01-01T11:30:00Z")
        );
        assert_eq!(Timestamp::parse_spif_time("20250101"), None);
    }

    #[test]
    fn display_round_trips() {
        let t = Timestamp::parse_xs_datetime("2035-01-01T00:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2035-01-01T00:00:00Z");
        assert_eq!(Timestamp::parse_xs_datetime(&t.to_string()), Some(t));
    }
}
