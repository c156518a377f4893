//! Numbers as people read them, in one place for the workbench, the command
//! line and the model document: `1,000,000`, `0.00025`, `$14,929.68`, `1.2 KB`,
//! `1 warning` / `2 warnings`.

pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", count(n as f64))
    }
}

/// A whole number with thousands separators: `1,000,000`.
pub fn count(value: f64) -> String {
    let n = value.round() as i128;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A rate or small quantity: whole numbers grouped, fractions to two
/// significant digits (`0.00025`), no trailing zeros.
pub fn number(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".to_string();
    }
    if value.abs() >= 100.0 {
        return count(value);
    }
    let decimals = if value.abs() >= 1.0 {
        2
    } else {
        (-value.abs().log10()).floor() as usize + 2
    };
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if value.abs() >= 1.0 {
        match text.split_once('.') {
            Some((int, frac)) => format!("{}.{frac}", count(int.parse().unwrap_or(0.0))),
            None => count(value),
        }
    } else {
        text
    }
}

/// A change of money with its sign: `+$12.50`, `-$3.00`, `$0.00`.
pub fn money_delta(value: f64) -> String {
    let shown = money(value.abs());
    if shown == "$0.00" {
        shown
    } else if value > 0.0 {
        format!("+{shown}")
    } else {
        format!("-{shown}")
    }
}

/// A duration as people read it: `45 s`, `12 min`, `3 h 20 min`, `2 d 4 h`.
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds <= 0.0 {
        return "0 s".to_string();
    }
    if seconds < 60.0 {
        return format!("{} s", number(seconds.ceil()));
    }
    let minutes = (seconds / 60.0).ceil();
    if minutes < 60.0 {
        return format!("{minutes} min");
    }
    let (hours, minutes) = ((minutes / 60.0).floor(), minutes % 60.0);
    if hours < 24.0 {
        return if minutes == 0.0 {
            format!("{hours} h")
        } else {
            format!("{hours} h {minutes} min")
        };
    }
    let (days, hours) = ((hours / 24.0).floor(), hours % 24.0);
    if hours == 0.0 {
        format!("{} d", count(days))
    } else {
        format!("{} d {hours} h", count(days))
    }
}

/// `$1,234.56`.
pub fn money(value: f64) -> String {
    let cents = (value * 100.0).round();
    format!(
        "${}.{:02}",
        count((cents / 100.0).trunc()),
        (cents % 100.0).abs() as u64
    )
}

/// `262 B`, `1.2 KB`.
pub fn bytes(value: f64) -> String {
    if value < 1024.0 {
        format!("{} B", count(value))
    } else {
        format!("{} KB", number((value / 102.4).round() / 10.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_the_document() {
        assert_eq!(count(1_000_000.0), "1,000,000");
        assert_eq!(count(-1234.4), "-1,234");
        assert_eq!(number(739_746.5), "739,747");
        assert_eq!(number(0.00025), "0.00025");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(money(14_929.68), "$14,929.68");
        assert_eq!(bytes(262.0), "262 B");
        assert_eq!(bytes(1229.0), "1.2 KB");
        assert_eq!(plural(1, "warning", "warnings"), "1 warning");
        assert_eq!(plural(1200, "item", "items"), "1,200 items");
        assert_eq!(money_delta(-3.0), "-$3.00");
        assert_eq!(money_delta(12.5), "+$12.50");
        assert_eq!(money_delta(0.001), "$0.00");
        assert_eq!(duration(0.2), "1 s");
        assert_eq!(duration(90.0), "2 min");
        assert_eq!(duration(3600.0 * 3.0 + 1200.0), "3 h 20 min");
        assert_eq!(duration(86_400.0 * 2.0 + 3600.0 * 4.0), "2 d 4 h");
    }
}
