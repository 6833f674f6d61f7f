//! RFC 3339 timestamps for audit entries: UTC, millisecond precision, from the system clock,
//! without a date crate (days since the epoch to a civil date, H. Hinnant's algorithm).

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds per day.
const MILLIS_PER_DAY: u64 = 86_400_000;
/// `9999-12-31T23:59:59.999Z`, the last instant RFC 3339 can write (four-digit years).
const MAX_MILLIS: u64 = 253_402_300_799_999;
/// What a clamped or (unreachably) failed conversion writes.
const MAX_TEXT: &str = "9999-12-31T23:59:59.999Z";

/// The current system time as `YYYY-MM-DDThh:mm:ss.mmmZ`.
///
/// A clock before 1970 writes the epoch; a clock after the year 9999 writes
/// `9999-12-31T23:59:59.999Z` (both mean the clock is wrong; the audit log keeps order by its
/// sequence numbers, not by time).
pub fn now_rfc3339() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    rfc3339_from_unix_millis(millis)
}

/// Milliseconds since 1970-01-01T00:00:00Z as `YYYY-MM-DDThh:mm:ss.mmmZ` (UTC).
///
/// Times after `9999-12-31T23:59:59.999Z` are written as that instant.
///
/// ```
/// use crossguard::audit::rfc3339_from_unix_millis;
/// assert_eq!(rfc3339_from_unix_millis(0), "1970-01-01T00:00:00.000Z");
/// assert_eq!(rfc3339_from_unix_millis(1_795_859_875_123), "2026-11-28T09:57:55.123Z");
/// ```
pub fn rfc3339_from_unix_millis(millis: u64) -> String {
    let millis = millis.min(MAX_MILLIS);
    let days = millis / MILLIS_PER_DAY;
    let of_day = millis % MILLIS_PER_DAY;
    let Some((year, month, day)) = civil_from_days(days) else {
        return MAX_TEXT.to_owned();
    };
    let seconds = of_day / 1000;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        seconds / 3600,
        (seconds % 3600) / 60,
        seconds % 60,
        of_day % 1000
    )
}

/// Whether `text` has the exact form [`rfc3339_from_unix_millis`] writes (digits in place;
/// field ranges are not checked).
pub(crate) fn is_rfc3339_millis(text: &str) -> bool {
    const FORM: &[u8; 24] = b"dddd-dd-ddTdd:dd:dd.dddZ";
    text.len() == FORM.len()
        && text.bytes().zip(FORM).all(|(c, f)| match f {
            b'd' => c.is_ascii_digit(),
            other => c == *other,
        })
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01.
fn civil_from_days(days: u64) -> Option<(u64, u64, u64)> {
    // Shift the epoch to 0000-03-01 so that leap days fall at the end of a year.
    let z = days.checked_add(719_468)?;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era = day_of_era
        .checked_sub(day_of_era / 1460)?
        .checked_add(day_of_era / 36_524)?
        .checked_sub(day_of_era / 146_096)?
        / 365;
    let day_of_year = day_of_era.checked_sub(
        year_of_era
            .checked_mul(365)?
            .checked_add(year_of_era / 4)?
            .checked_sub(year_of_era / 100)?,
    )?;
    let month_from_march = day_of_year.checked_mul(5)?.checked_add(2)? / 153;
    let day = day_of_year
        .checked_sub(month_from_march.checked_mul(153)?.checked_add(2)? / 5)?
        .checked_add(1)?;
    let month = if month_from_march < 10 {
        month_from_march.checked_add(3)?
    } else {
        month_from_march.checked_sub(9)?
    };
    let year = year_of_era.checked_add(era.checked_mul(400)?)?;
    let year = if month <= 2 {
        year.checked_add(1)?
    } else {
        year
    };
    Some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::arithmetic_side_effects)]
    fn known_instants() {
        for (millis, text) in [
            (0, "1970-01-01T00:00:00.000Z"),
            (1, "1970-01-01T00:00:00.001Z"),
            (86_399_999, "1970-01-01T23:59:59.999Z"),
            (86_400_000, "1970-01-02T00:00:00.000Z"),
            // 2000-03-01: the day after a 400-year leap day.
            (951_868_800_000, "2000-03-01T00:00:00.000Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (951_696_000_000, "2000-02-28T00:00:00.000Z"),
            // 2024-02-29 (leap day) and the day after.
            (1_709_164_800_000, "2024-02-29T00:00:00.000Z"),
            (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
            (1_709_251_200_000, "2024-03-01T00:00:00.000Z"),
            // 2100 is not a leap year.
            (4_107_456_000_000, "2100-02-28T00:00:00.000Z"),
            (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
            (1_795_859_875_123, "2026-11-28T09:57:55.123Z"),
            // Far future: the last representable instant, then clamping.
            (MAX_MILLIS, "9999-12-31T23:59:59.999Z"),
            (MAX_MILLIS + 1, "9999-12-31T23:59:59.999Z"),
            (u64::MAX, "9999-12-31T23:59:59.999Z"),
        ] {
            assert_eq!(rfc3339_from_unix_millis(millis), text, "{millis}");
            assert!(is_rfc3339_millis(text));
        }
    }

    #[test]
    #[allow(clippy::arithmetic_side_effects)]
    fn agrees_with_the_label_parser_every_day() {
        // Every 97th day from the epoch to 9999, against the independent parser of
        // `label::datetime` (Timestamp counts seconds).
        let mut days = 0u64;
        while days <= MAX_MILLIS / MILLIS_PER_DAY {
            let millis = days * MILLIS_PER_DAY + 45_296_789;
            let text = rfc3339_from_unix_millis(millis);
            let parsed = crate::label::Timestamp::parse_xs_datetime(&text).unwrap();
            assert_eq!(parsed.0, i64::try_from(millis / 1000).unwrap(), "{text}");
            days += 97;
        }
    }

    #[test]
    fn now_has_the_form() {
        let now = now_rfc3339();
        assert!(is_rfc3339_millis(&now), "{now}");
        assert!(now.as_str() > "2024-01-01");
        assert!(!is_rfc3339_millis("2024-01-01T00:00:00Z"));
        assert!(!is_rfc3339_millis("2024-01-01T00:00:00.000+"));
    }
}
