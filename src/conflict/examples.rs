//! `Examples`: the lines of a text that are content whatever they look like
//! (marker lines of fenced examples), as the scanner reads them. Finding
//! them is `fences`' job.

/// Lines of a text that are content whatever they look like: marker lines
/// of fenced examples.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Examples {
    /// 0-based lines, sorted.
    lines: Vec<usize>,
}

impl Examples {
    /// No examples: every marker line is a marker.
    pub fn none() -> Examples {
        Examples::default()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// How many lines are examples.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when 0-based line `line` is an example.
    pub fn contains(&self, line: usize) -> bool {
        self.lines.binary_search(&line).is_ok()
    }

    /// The 0-based example lines, in order.
    pub fn lines(&self) -> &[usize] {
        &self.lines
    }

    /// These 0-based lines (sorted and without repeats).
    pub(crate) fn from_lines(lines: Vec<usize>) -> Examples {
        debug_assert!(lines.windows(2).all(|w| w[0] < w[1]));
        Examples { lines }
    }
}
