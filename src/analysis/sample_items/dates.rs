//! Dates for timestamp generators: ISO-8601 parsing and formatting on the
//! proleptic Gregorian calendar, without a date crate.

use crate::model::TimestampFormat;

/// 2024-01-01T00:00:00Z and 2025-12-31T00:00:00Z, the range a timestamp without
/// readable bounds spans.
pub const DEFAULT_FROM: i64 = 1_704_067_200;
pub const DEFAULT_TO: i64 = 1_767_139_200;

/// Seconds since the epoch of `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS][Z]`.
pub fn parse_instant(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('Z');
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(y, m, day) * 86_400;
    if let Some(time) = time {
        let mut t = time
            .split(':')
            .map(|p| p.split('.').next().and_then(|s| s.parse::<i64>().ok()));
        let h = t.next().flatten()?;
        let min = t.next().flatten().unwrap_or(0);
        let s = t.next().flatten().unwrap_or(0);
        seconds += h * 3600 + min * 60 + s;
    }
    Some(seconds)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

pub fn format_instant(seconds: i64, format: &TimestampFormat) -> String {
    let (y, mo, d) = civil_from_days(seconds.div_euclid(86_400));
    let rem = seconds.rem_euclid(86_400);
    let (h, mi, s) = (rem / 3600, rem / 60 % 60, rem % 60);
    match format {
        TimestampFormat::Iso8601 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        TimestampFormat::IsoDate => format!("{y:04}-{mo:02}-{d:02}"),
        TimestampFormat::EpochSeconds => seconds.to_string(),
        TimestampFormat::EpochMillis => (seconds * 1000).to_string(),
        TimestampFormat::Custom(pattern) => {
            let mut out = String::new();
            let mut chars = pattern.chars();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('Y') => out.push_str(&format!("{y:04}")),
                    Some('y') => out.push_str(&format!("{:02}", y.rem_euclid(100))),
                    Some('m') => out.push_str(&format!("{mo:02}")),
                    Some('d') => out.push_str(&format!("{d:02}")),
                    Some('H') => out.push_str(&format!("{h:02}")),
                    Some('M') => out.push_str(&format!("{mi:02}")),
                    Some('S') => out.push_str(&format!("{s:02}")),
                    Some('s') => out.push_str(&seconds.to_string()),
                    Some('%') => out.push('%'),
                    Some(other) => {
                        out.push('%');
                        out.push(other);
                    }
                    None => out.push('%'),
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(parse_instant("1970-01-01"), Some(0));
        assert_eq!(parse_instant("2024-01-01"), Some(DEFAULT_FROM));
        assert_eq!(parse_instant("2025-12-31"), Some(DEFAULT_TO));
        assert_eq!(parse_instant("2024-02-29T12:30:05Z"), Some(1_709_209_805));
        assert_eq!(parse_instant("not a date"), None);
        let t = 1_709_209_805;
        assert_eq!(
            format_instant(t, &TimestampFormat::Iso8601),
            "2024-02-29T12:30:05Z"
        );
        assert_eq!(format_instant(t, &TimestampFormat::IsoDate), "2024-02-29");
        assert_eq!(
            format_instant(t, &TimestampFormat::EpochMillis),
            "1709209805000"
        );
        assert_eq!(
            format_instant(t, &TimestampFormat::Custom("%d/%m/%Y %H:%M %%".into())),
            "29/02/2024 12:30 %"
        );
        assert_eq!(
            format_instant(-86_400, &TimestampFormat::IsoDate),
            "1969-12-31"
        );
    }
}
