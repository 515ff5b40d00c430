//! Dates as found in frontmatter, parsed only far enough to compare them.
//!
//! ```text
//! 2025-07-25                      YYYY-MM-DD (YAML timestamp, Hugo, Jekyll)
//! 2025-07-25T20:24:28.496Z        ISO 8601 / RFC 3339, any fraction
//! 2025-07-25 20:24:28 +03:00      YAML's space-separated form, zone optional
//! 07/25/2025                      MM/DD/YYYY (Microsoft Docs `ms.date`)
//! Jul 25 2025, July 25, 2025      month names, as JavaScript's Date reads them
//! 25 Jul 2025, Fri, 25 Jul 2025   (Astro's blog template: `'Jul 08 2022'`),
//! Jul 25 2025 20:24:28 +0300      time and zone optional
//! ```
//!
//! A date without a zone is taken as UTC: both sides of one article use the
//! same convention, and only their order matters.

use std::cmp::Ordering;

/// Modification-date keys, the one list: each is `newest` by default (both
/// sides bumped it: the later date wins), and `--prefer newest` looks at them,
/// in this order, before the publication dates. Astro's `updatedDate`, Hugo's
/// `lastmod`, Jekyll's `last_modified_at`, Microsoft Docs' `ms.date`,
/// Starlight's `lastUpdated`, schema.org's `dateModified`, and their kin.
pub const MODIFIED_KEYS: &[&str] = &[
    "updatedDate",
    "updated",
    "lastmod",
    "modified",
    "ms.date",
    "last_modified_at",
    "last_modified",
    "lastUpdated",
    "updatedAt",
    "updated_at",
    "dateModified",
];

/// Publication-date keys: `--prefer newest` looks at them after
/// [`MODIFIED_KEYS`]. No rule by default (which one is right depends on the site).
pub const PUBLISHED_KEYS: &[&str] = &["pubDate", "date", "publishDate", "published"];

/// A point in time, comparable; seconds since 1970 UTC plus nanoseconds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    secs: i64,
    nanos: u32,
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    // Howard Hinnant's algorithm: exact for the proleptic Gregorian calendar.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn num(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    (s.len() >= min_len && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn date(y: &str, m: &str, d: &str) -> Option<i64> {
    let (y, m, d) = (i64::from(num(y, 4, 4)?), num(m, 1, 2)?, num(d, 1, 2)?);
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then(|| days_from_civil(y, m, d))
}

fn zone(s: &str) -> Option<i64> {
    if s.is_empty() || s == "Z" || s == "z" {
        return Some(0);
    }
    let sign = match s.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &s[1..];
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (num(h, 1, 2)?, num(m, 2, 2)?),
        None if rest.len() == 4 => (num(&rest[..2], 2, 2)?, num(&rest[2..], 2, 2)?),
        None => (num(rest, 1, 2)?, 0),
    };
    (h <= 23 && m <= 59).then_some(sign * i64::from(h * 3600 + m * 60))
}

fn time(s: &str) -> Option<(i64, u32)> {
    let s = s.trim();
    // Split the zone off: `Z`, `+hh:mm`, `-hhmm`, possibly after a space.
    let zone_at = s
        .char_indices()
        .skip(1)
        .find(|&(_, c)| matches!(c, 'Z' | 'z' | '+' | '-'))
        .map_or(s.len(), |(i, _)| i);
    let (clock, zone_text) = s.split_at(zone_at);
    let offset = zone(zone_text.trim())?;
    let clock = clock.trim();
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let h = num(parts.next()?, 1, 2)?;
    let mi = num(parts.next()?, 2, 2)?;
    let se = parts.next().map_or(Some(0), |x| num(x, 2, 2))?;
    if parts.next().is_some() || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let nanos = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(9).collect();
        num(&digits, 1, 9)? * 10u32.pow(9 - digits.len() as u32)
    };
    Some((i64::from(h * 3600 + mi * 60 + se) - offset, nanos))
}

impl Instant {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(self) -> i64 {
        self.secs
    }
}

/// The month an English month name (or its first three letters) names.
fn month(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let at = NAMES.iter().position(|n| {
        *n == w || (w.len() == 3 && n.starts_with(w.as_str())) || w == "sept" && *n == "september"
    })?;
    Some(at as u32 + 1)
}

/// `Jul 08 2022`, `July 8, 2022`, `8 July 2022`, `Fri, 08 Jul 2022`, each
/// with an optional time and zone after it.
fn with_month_name(t: &str) -> Option<Instant> {
    let mut words = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .peekable();
    // A weekday first (RFC 2822): skipped, it says nothing `date` does not.
    if words
        .peek()
        .is_some_and(|w| w.len() >= 3 && month(w).is_none() && w.chars().all(char::is_alphabetic))
    {
        words.next();
    }
    let (a, b, y) = (words.next()?, words.next()?, words.next()?);
    let (m, d) = match (month(a), month(b)) {
        (Some(m), None) => (m, b),
        (None, Some(m)) => (m, a),
        _ => return None,
    };
    let d = d.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let days = date(y, &m.to_string(), d)?;
    let clock: Vec<&str> = words.collect();
    let (secs, nanos) = if clock.is_empty() {
        (0, 0)
    } else {
        time(&clock.join(" "))?
    };
    Some(Instant {
        secs: days * 86_400 + secs,
        nanos,
    })
}

/// Parses a frontmatter date; `None` when the text is not one of the forms above.
pub fn parse(text: &str) -> Option<Instant> {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
    // A weekday or a month name first, or a month name second (`8 July 2022`).
    let named = t.starts_with(|c: char| c.is_ascii_alphabetic())
        || t.split_whitespace()
            .nth(1)
            .is_some_and(|w| month(w.trim_end_matches(',')).is_some());
    if named {
        return with_month_name(t);
    }
    if let Some((m, rest)) = t.split_once('/') {
        let (d, y) = rest.split_once('/')?;
        let (y, clock) = y.split_once(' ').unwrap_or((y, ""));
        let days = date(y, m, d)?;
        let (secs, nanos) = if clock.trim().is_empty() {
            (0, 0)
        } else {
            time(clock)?
        };
        return Some(Instant {
            secs: days * 86_400 + secs,
            nanos,
        });
    }
    if t.len() < 8 {
        return None;
    }
    let (day, clock) = match t.find(['T', 't', ' ']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    let mut ymd = day.splitn(3, '-');
    let days = date(ymd.next()?, ymd.next()?, ymd.next()?)?;
    let (secs, nanos) = if clock.trim().is_empty() {
        (0, 0)
    } else {
        time(clock)?
    };
    Some(Instant {
        secs: days * 86_400 + secs,
        nanos,
    })
}

/// Compares two date texts; `None` when either is not a date.
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(parse(a)?.cmp(&parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_parse_and_order() {
        let order = [
            "2024-12-31",
            "01/01/2025",
            "2025-01-01T00:00:01Z",
            "2025-07-25T20:20:29.748Z",
            "2025-07-25T20:24:28.496Z",
            "2025-07-25 23:30:00 +03:00",
            "2025-07-25T20:31:00",
        ];
        for w in order.windows(2) {
            assert_eq!(
                compare(w[0], w[1]),
                Some(Ordering::Less),
                "{} < {}",
                w[0],
                w[1]
            );
        }
    }

    #[test]
    fn zones_normalise() {
        assert_eq!(
            parse("2025-01-01T03:00:00+03:00"),
            parse("2025-01-01T00:00:00Z")
        );
        assert_eq!(
            parse("2025-01-01T00:00:00-0130"),
            parse("2025-01-01 01:30:00")
        );
        assert_eq!(parse("2025-01-01"), parse("1/1/2025"));
        assert_eq!(parse("\"2025-01-01\""), parse("2025-01-01"));
    }

    #[test]
    fn month_names_read_as_javascript_reads_them() {
        // Astro's blog template writes `pubDate: 'Jul 08 2022'`.
        for s in [
            "Jul 08 2022",
            "'Jul 08 2022'",
            "July 8, 2022",
            "8 July 2022",
            "08 Jul 2022",
            "Fri, 08 Jul 2022",
            "jul 8th 2022",
        ] {
            assert_eq!(parse(s), parse("2022-07-08"), "{s}");
        }
        assert_eq!(
            parse("Fri, 08 Jul 2022 10:00:00 +0200"),
            parse("2022-07-08T08:00:00Z")
        );
        assert_eq!(parse("Sept 1 2022"), parse("2022-09-01"));
        assert_eq!(compare("Jul 12 2022", "Jul 15 2022"), Some(Ordering::Less));
        for s in [
            "Jul 32 2022",
            "Foo 1 2022",
            "Jul 2022",
            "1 2 2022 x",
            "Feb 29 2023",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn non_dates_are_none() {
        for s in [
            "",
            "soon",
            "2025-13-01",
            "2025-02-30",
            "13/01/2025",
            "2025-01-01T25:00",
            "v1.2.3",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
        assert!(parse("2024-02-29").is_some());
        assert_eq!(parse("2023-02-29"), None);
    }
}
