//! Replay and learn: how frontmerge would have done on a repository's own
//! past merge conflicts ([`replay`]), and the `.frontmerge.toml` rules that
//! would reproduce what its people committed ([`learn`]).

pub(crate) mod check;
pub(crate) mod cochange;
pub(crate) mod engine;
pub(crate) mod groups;
pub(crate) mod history;
// ARCHITECTURE.md names the proposing step learn/learn.rs, beside replay.rs.
#[allow(clippy::module_inception)]
pub(crate) mod learn;
pub(crate) mod replay;
pub(crate) mod thresholds;
pub(crate) mod write;

/// Parses an ISO 8601 date or date-time (`2025-06-01`,
/// `2025-06-01T12:00:00Z`, `2025-06-01T14:00:00+02:00`) into seconds since
/// the epoch; a date alone is midnight UTC.
pub(crate) fn parse_date(text: &str) -> Result<i64, NotADate> {
    crate::decide::dates::parse(text)
        .map(crate::decide::dates::Instant::unix_seconds)
        .filter(|_| text.trim().len() >= 10 && text.as_bytes().get(4) == Some(&b'-'))
        .ok_or_else(|| NotADate(text.to_owned()))
}

/// A `--since`/`--until` value that is not an ISO 8601 date: the text given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}`: expected an ISO 8601 date, e.g. 2025-06-01 or 2025-06-01T12:00:00Z")]
pub(crate) struct NotADate(pub(crate) String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_8601() {
        assert_eq!(parse_date("1970-01-02"), Ok(86_400));
        assert_eq!(parse_date("2025-06-01T12:00:00Z"), Ok(1_748_779_200));
        assert_eq!(parse_date("2025-06-01T14:00:00+02:00"), Ok(1_748_779_200));
        assert!(parse_date("06/01/2025").is_err());
        assert!(parse_date("yesterday")
            .unwrap_err()
            .to_string()
            .contains("ISO 8601"));
    }
}
