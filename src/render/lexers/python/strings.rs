//! The string states of [`super`]: escapes, `%` and `{}` formatting,
//! f-string expressions.

use super::super::pyg::{Emitter, char_at, is_space, line_end, run_end, word_end};
use super::{Lx, Quoted, Quoting, State};

impl Lx<'_> {
    pub(super) fn string(&mut self, e: &mut Emitter, q: Quoted) -> bool {
        let p = self.pos;
        let c = self.b[p];
        let format = matches!(q.quoting, Quoting::Format | Quoting::RawFormat);
        if format && (self.starts(p, "{{") || self.starts(p, "}}")) {
            self.put(e, p + 2, Some("se"));
            return true;
        }
        if c == b'\\'
            && q.quoting != Quoting::Raw
            && q.quoting != Quoting::RawFormat
            && let Some(end) = self.escape_end(p, q.quoting != Quoting::Bytes)
        {
            self.put(e, end, Some("se"));
            return true;
        }
        if q.triple {
            if self.at(p + 1) == q.quote && self.at(p + 2) == q.quote && c == q.quote {
                self.put(e, p + 3, Some(q.class));
                self.pop();
                return true;
            }
        } else {
            if c == q.quote {
                self.put(e, p + 1, Some(q.class));
                self.pop();
                return true;
            }
            let next = self.at(p + 1);
            if c == b'\\' && (next == b'\\' || next == b'\n' || next == q.quote) {
                self.put(e, p + 2, Some("se"));
                return true;
            }
        }
        if format {
            match c {
                b'}' => self.put(e, p + 1, Some("si")),
                b'{' => {
                    self.put(e, p + 1, Some("si"));
                    self.stack.push(State::FormatExpr);
                }
                b'\\' | b'\'' | b'"' => self.put(e, p + 1, Some(q.class)),
                b'\n' if q.triple => self.put(e, p + 1, Some(q.class)),
                b'\n' => return false,
                _ => {
                    let end = self.plain_end(p, b"\\'\"{}\n");
                    self.put(e, end, Some(q.class));
                }
            }
            return true;
        }
        match c {
            b'%' => {
                let end = self.percent_format(p);
                self.put(e, end.unwrap_or(p + 1), Some(end.map_or(q.class, |_| "si")));
            }
            b'{' => match self.brace_format(p) {
                Some(end) => self.put(e, end, Some("si")),
                None => {
                    let n = if self.at(p + 1) == b'{' { 2 } else { 1 };
                    self.put(e, p + n, Some(q.class));
                }
            },
            b'\\' | b'\'' | b'"' => self.put(e, p + 1, Some(q.class)),
            b'\n' if q.triple => self.put(e, p + 1, Some(q.class)),
            b'\n' => return false,
            _ => {
                let end = self.plain_end(p, b"\\'\"%{\n");
                self.put(e, end, Some(q.class));
            }
        }
        true
    }

    /// End of the run at `p` of bytes not in `stops`.
    fn plain_end(&self, p: usize, stops: &[u8]) -> usize {
        self.b[p..self.hi]
            .iter()
            .position(|b| stops.contains(b))
            .map_or(self.hi, |k| p + k)
    }

    /// End of a backslash escape at `p`: `\N{…}`, `\uXXXX`, `\UXXXXXXXX`
    /// when `unicode`, then the byte escapes.
    fn escape_end(&self, p: usize, unicode: bool) -> Option<usize> {
        let hex = |from: usize, n: usize| (from..from + n).all(|i| self.at(i).is_ascii_hexdigit());
        let next = self.at(p + 1);
        if unicode {
            match next {
                b'N' if self.at(p + 2) == b'{' => {
                    let close = self.b[p + 3..line_end(self.s, p + 3, self.hi)]
                        .iter()
                        .position(|&b| b == b'}');
                    if let Some(k) = close {
                        return Some(p + 3 + k + 1);
                    }
                }
                b'u' if hex(p + 2, 4) => return Some(p + 6),
                b'U' if hex(p + 2, 8) => return Some(p + 10),
                _ => {}
            }
        }
        match next {
            b'\\' | b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'"' | b'\'' | b'\n' => {
                Some(p + 2)
            }
            b'x' if hex(p + 2, 2) => Some(p + 4),
            b'0'..=b'7' => {
                let mut j = p + 2;
                while j < p + 4 && (b'0'..=b'7').contains(&self.at(j)) {
                    j += 1;
                }
                Some(j)
            }
            _ => None,
        }
    }

    /// `%(name)-08.3lf`: old-style formatting at `p`, its end.
    fn percent_format(&self, p: usize) -> Option<usize> {
        let mut j = p + 1;
        if self.at(j) == b'(' {
            let w = word_end(self.s, j + 1, self.hi);
            if w > j + 1 && self.at(w) == b')' {
                j = w + 1;
            }
        }
        while matches!(self.at(j), b'-' | b'#' | b'0' | b' ' | b'+') {
            j += 1;
        }
        j = self.count(j);
        if self.at(j) == b'.' && (self.at(j + 1) == b'*' || self.at(j + 1).is_ascii_digit()) {
            j = self.count(j + 1);
        }
        if matches!(self.at(j), b'h' | b'l' | b'L') {
            j += 1;
        }
        matches!(
            self.at(j),
            b'E'..=b'G' | b'X' | b'c'..=b'g' | b'i' | b'o' | b'r' | b's' | b'a' | b'u' | b'x' | b'%'
        )
        .then_some(j + 1)
    }

    /// `[0-9]+|[*]`, optional, at `j`.
    fn count(&self, j: usize) -> usize {
        if self.at(j) == b'*' {
            return j + 1;
        }
        let mut j = j;
        while self.at(j).is_ascii_digit() {
            j += 1;
        }
        j
    }

    /// `{name.attr[key]!r:>10}`: new-style formatting at `p`, its end.
    fn brace_format(&self, p: usize) -> Option<usize> {
        let mut j = p + 1;
        let w = word_end(self.s, j, self.hi);
        if w > j {
            j = w;
            loop {
                if self.at(j) == b'.' && word_end(self.s, j + 1, self.hi) > j + 1 {
                    j = word_end(self.s, j + 1, self.hi);
                } else if self.at(j) == b'[' && self.at(j + 1) != b']' && j + 1 < self.hi {
                    match memchr::memchr(b']', &self.b[j + 1..self.hi]) {
                        Some(k) => j = j + 1 + k + 1,
                        None => break,
                    }
                } else {
                    break;
                }
            }
        }
        if self.at(j) == b'!' && matches!(self.at(j + 1), b's' | b'r' | b'a') {
            j += 2;
        }
        if self.at(j) == b':' {
            let k = j + 1;
            let align = |i: usize| matches!(self.at(i), b'<' | b'>' | b'=' | b'^');
            let mut starts = Vec::with_capacity(3);
            if let Some(c) = char_at(self.s, k).filter(|&c| c != '\n' && k < self.hi)
                && align(k + c.len_utf8())
            {
                starts.push(k + c.len_utf8() + 1);
            }
            if align(k) {
                starts.push(k + 1);
            }
            starts.push(k);
            for start in starts {
                let end = self.format_spec_end(start);
                if self.at(end) == b'}' {
                    return Some(end + 1);
                }
            }
        }
        (self.at(j) == b'}').then_some(j + 1)
    }

    /// `[-+ ]?#?0?(\d+)?,?(\.\d+)?[E-GXb-gnosx%]?` at `j`.
    fn format_spec_end(&self, mut j: usize) -> usize {
        if matches!(self.at(j), b'-' | b'+' | b' ') {
            j += 1;
        }
        if self.at(j) == b'#' {
            j += 1;
        }
        while self.at(j).is_ascii_digit() {
            j += 1;
        }
        if self.at(j) == b',' {
            j += 1;
        }
        if self.at(j) == b'.' && self.at(j + 1).is_ascii_digit() {
            j += 1;
            while self.at(j).is_ascii_digit() {
                j += 1;
            }
        }
        if matches!(
            self.at(j),
            b'E'..=b'G' | b'X' | b'b'..=b'g' | b'n' | b'o' | b's' | b'x' | b'%'
        ) {
            j += 1;
        }
        j
    }

    /// `(=\s*)?(\![sraf])?` then `}` (or, second, `:`) closes the
    /// expression of an f-string.
    pub(super) fn format_expr(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        if matches!(self.at(p), b'{' | b'(' | b'[') {
            self.put(e, p + 1, Some("p"));
            self.stack.push(State::FormatInner);
            return true;
        }
        let conversion = |j: usize| {
            if self.at(j) == b'!' && matches!(self.at(j + 1), b's' | b'r' | b'a' | b'f') {
                j + 2
            } else {
                j
            }
        };
        for close in [b'}', b':'] {
            let mut starts = Vec::with_capacity(2);
            if self.at(p) == b'=' {
                starts.push(run_end(self.s, p + 1, self.hi, is_space));
            }
            starts.push(p);
            for start in starts {
                let j = conversion(start);
                if self.at(j) == close {
                    self.put(e, j + 1, Some("si"));
                    self.pop();
                    return true;
                }
            }
        }
        self.blank_or_expr(e)
    }

    pub(super) fn format_inner(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        match self.at(p) {
            b'{' | b'(' | b'[' => {
                self.put(e, p + 1, Some("p"));
                self.stack.push(State::FormatInner);
                true
            }
            b'}' | b')' | b']' => {
                self.put(e, p + 1, Some("p"));
                self.pop();
                true
            }
            _ => self.blank_or_expr(e),
        }
    }

    /// `\s+` as `w`, else `expr`.
    fn blank_or_expr(&mut self, e: &mut Emitter) -> bool {
        let end = run_end(self.s, self.pos, self.hi, is_space);
        if end > self.pos {
            self.put(e, end, Some("w"));
            return true;
        }
        self.expr(e)
    }
}
