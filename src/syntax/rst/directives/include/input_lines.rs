//! docutils' input lines as one list: the page's lines with every
//! included file's lines inserted after the directive that included them
//! (between two padding lines). docutils reads a line number against this
//! list where it should not: the INFO before a directive it does not
//! know by name takes the directive's line in its own file
//! (`document.current_line`) as a line of the whole list, so after an
//! include it names another line, often of another file. kbgen keeps the
//! list's outline to give the same line and file.

/// A run of the list: consecutive lines of one file, or a padding line.
#[derive(Debug, Clone)]
struct Run {
    /// The file (`None`: the page), or a padding line's source text.
    source: Option<String>,
    /// The line of the run's first entry in its file (0 for the padding
    /// before an inclusion, whose offset docutils sets to -1).
    first_line: usize,
    len: usize,
}

/// The outline of docutils' input lines; empty until the first
/// inclusion, while the list is the page's own lines.
#[derive(Debug, Default)]
pub struct InputLines {
    runs: Vec<Run>,
}

impl InputLines {
    /// Records the inclusion of `count` lines of `included` after line
    /// `after` of `file` (`None`: the page, which has `page_lines`).
    pub fn insert(
        &mut self,
        file: Option<&str>,
        after: usize,
        included: &str,
        count: usize,
        page_lines: usize,
    ) {
        if self.runs.is_empty() {
            self.runs.push(Run {
                source: None,
                first_line: 1,
                len: page_lines,
            });
        }
        // the latest run of `file` holding the line: includes are read in
        // order, so a file included twice is at its later copy
        let Some(at) = self.runs.iter().rposition(|r| {
            r.source.as_deref() == file && r.first_line <= after && after < r.first_line + r.len
        }) else {
            return;
        };
        let run = self.runs[at].clone();
        let head = after + 1 - run.first_line;
        let mut inserted = vec![
            Run {
                len: head,
                ..run.clone()
            },
            Run {
                source: Some(format!("internal padding before {included}")),
                first_line: 0,
                len: 1,
            },
            Run {
                source: Some(included.to_string()),
                first_line: 1,
                len: count,
            },
            Run {
                source: Some(format!("internal padding after {included}")),
                first_line: count + 1,
                len: 1,
            },
        ];
        if run.len > head {
            inserted.push(Run {
                source: run.source.clone(),
                first_line: after + 1,
                len: run.len - head,
            });
        }
        self.runs.splice(at..=at, inserted);
    }

    /// The file (`None`: the page) and line docutils names for `line`
    /// read as a line of the whole list; `None` past its end, and
    /// `Some((None, line))` while nothing was included.
    pub fn lookup(&self, line: usize) -> Option<(Option<&str>, usize)> {
        if self.runs.is_empty() {
            return Some((None, line));
        }
        let mut index = line.checked_sub(1)?;
        for run in &self.runs {
            if index < run.len {
                return Some((run.source.as_deref(), run.first_line + index));
            }
            index -= run.len;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_line_after_an_include_names_the_included_file() {
        let mut lines = InputLines::default();
        // `.. include:: inc.rst` (5 lines) on page line 3 of 7
        lines.insert(None, 3, "inc.rst", 5, 7);
        assert_eq!(lines.lookup(2), Some((None, 2)));
        assert_eq!(
            lines.lookup(4),
            Some((Some("internal padding before inc.rst"), 0))
        );
        assert_eq!(lines.lookup(7), Some((Some("inc.rst"), 3)));
        assert_eq!(
            lines.lookup(10),
            Some((Some("internal padding after inc.rst"), 6))
        );
        assert_eq!(lines.lookup(11), Some((None, 4)));
        assert_eq!(lines.lookup(15), None);
    }

    #[test]
    fn nested_inclusions_split_the_included_run() {
        let mut lines = InputLines::default();
        lines.insert(None, 1, "a.rst", 4, 2);
        lines.insert(Some("a.rst"), 2, "b.rst", 2, 0);
        // page 1, pad, a1, a2, pad, b1, b2, pad, a3, a4, pad, page 2
        assert_eq!(lines.lookup(6), Some((Some("b.rst"), 1)));
        assert_eq!(lines.lookup(9), Some((Some("a.rst"), 3)));
        assert_eq!(lines.lookup(12), Some((None, 2)));
    }
}
