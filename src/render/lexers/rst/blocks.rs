//! The rules of Pygments' `RstLexer` that start a line (tried in its
//! order), and the literal block after `::`.

use super::super::pyg::{char_at, is_space, is_word, run_end};
use super::{Emitter, Rst, State};

/// A list marker rule: what the marker is, whether continuation lines
/// start with the item's indentation (else with `|`), whether one is
/// required, and the marker's token type.
struct ListRule {
    marker: fn(&[u8], usize) -> Option<usize>,
    indented: bool,
    needs_more: bool,
    class: &'static str,
}

const LISTS: [ListRule; 6] = [
    ListRule {
        marker: bullet,
        indented: true,
        needs_more: false,
        class: "m",
    },
    ListRule {
        marker: numbered,
        indented: true,
        needs_more: false,
        class: "m",
    },
    ListRule {
        marker: numbered_paren,
        indented: true,
        needs_more: false,
        class: "m",
    },
    ListRule {
        marker: capital,
        indented: true,
        needs_more: true,
        class: "m",
    },
    ListRule {
        marker: lettered_paren,
        indented: true,
        needs_more: true,
        class: "m",
    },
    ListRule {
        marker: line_block,
        indented: false,
        needs_more: false,
        class: "o",
    },
];

fn bullet(b: &[u8], i: usize) -> Option<usize> {
    matches!(b.get(i), Some(b'-' | b'*' | b'+')).then_some(i + 1)
}

fn run(b: &[u8], i: usize, f: impl Fn(u8) -> bool) -> usize {
    b[i.min(b.len())..]
        .iter()
        .position(|&c| !f(c))
        .map_or(b.len(), |k| i + k)
}

fn roman_or_digit(c: u8) -> bool {
    c.is_ascii_digit() || b"#ivxlcmIVXLCM".contains(&c)
}

/// `[0-9#ivxlcmIVXLCM]+\.`
fn numbered(b: &[u8], i: usize) -> Option<usize> {
    let j = run(b, i, roman_or_digit);
    (j > i && b.get(j) == Some(&b'.')).then_some(j + 1)
}

/// `\(?[0-9#ivxlcmIVXLCM]+\)`
fn numbered_paren(b: &[u8], i: usize) -> Option<usize> {
    let i = if b.get(i) == Some(&b'(') { i + 1 } else { i };
    let j = run(b, i, roman_or_digit);
    (j > i && b.get(j) == Some(&b')')).then_some(j + 1)
}

/// `[A-Z]+\.`
fn capital(b: &[u8], i: usize) -> Option<usize> {
    let j = run(b, i, |c| c.is_ascii_uppercase());
    (j > i && b.get(j) == Some(&b'.')).then_some(j + 1)
}

/// `\(?[A-Za-z]+\)`
fn lettered_paren(b: &[u8], i: usize) -> Option<usize> {
    let i = if b.get(i) == Some(&b'(') { i + 1 } else { i };
    let j = run(b, i, |c| c.is_ascii_alphabetic());
    (j > i && b.get(j) == Some(&b')')).then_some(j + 1)
}

fn line_block(b: &[u8], i: usize) -> Option<usize> {
    (b.get(i) == Some(&b'|')).then_some(i + 1)
}

/// `[\w:.+-]` (directive names), `[\w:-]` (substitution directives).
fn directive_char(c: char) -> bool {
    is_word(c) || matches!(c, ':' | '.' | '+' | '-')
}

fn substitution_char(c: char) -> bool {
    is_word(c) || matches!(c, ':' | '-')
}

impl Rst<'_> {
    /// Pygments' line-start rules at the cursor, in order.
    pub(super) fn block(&mut self, e: &mut Emitter) -> bool {
        self.overlined_heading(e)
            || self.heading(e)
            || LISTS.iter().any(|rule| self.list_item(e, rule))
            || self.explicit(e)
            || self.field_marker(e)
            || self.definition(e)
    }

    /// End of `.+\n` at `i` (a non-empty line and its newline).
    fn full_line(&mut self, i: usize) -> Option<usize> {
        let le = self.line_end(i);
        (le > i && le < self.hi).then_some(le + 1)
    }

    fn overlined_heading(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let c = self.at(p);
        if !b"=-`:.'\"~^_*+#".contains(&c) || c == 0 {
            return false;
        }
        let r = run(&self.b[..self.hi], p, |x| x == c);
        let nl = run(&self.b[..self.hi], r, |x| x == b' ' || x == b'\t');
        if self.at(nl) != b'\n' {
            return false;
        }
        let Some(title_end) = self.full_line(nl + 1) else {
            return false;
        };
        let under = title_end;
        let len = r - p;
        if !(self.b[under..self.hi].starts_with(&self.b[p..r]) && self.at(under + len) == b'\n') {
            return false;
        }
        self.put(e, r, Some("gh"));
        self.put(e, nl + 1, None);
        self.put(e, title_end - 1, Some("gh"));
        self.put(e, title_end, None);
        self.put(e, under + len, Some("gh"));
        self.put(e, under + len + 1, None);
        true
    }

    fn heading(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        if char_at(self.s, p).is_none_or(is_space) {
            return false;
        }
        let le = self.line_end(p);
        if le >= self.hi {
            return false;
        }
        let u = le + 1;
        let c = self.at(u);
        if c == 0 || !b"=-`:.'\"~^_*+#".contains(&c) {
            return false;
        }
        let r = run(&self.b[..self.hi], u, |x| x == c);
        if r - u < 3 || self.at(r) != b'\n' {
            return false;
        }
        self.put(e, le, Some("gh"));
        self.put(e, u, None);
        self.put(e, r, Some("gh"));
        self.put(e, r + 1, None);
        true
    }

    /// `^(\s*)(MARKER)( .+\n(?:PREFIX  .+\n)*)`, the item lexed inline.
    fn list_item(&mut self, e: &mut Emitter, rule: &ListRule) -> bool {
        let p = self.pos;
        let ws = run_end(self.s, p, self.hi, is_space);
        let Some(m) = (rule.marker)(&self.b[..self.hi], ws) else {
            return false;
        };
        if self.at(m) != b' ' {
            return false;
        }
        let Some(mut end) = self.full_line(m + 1) else {
            return false;
        };
        let mut more = 0;
        loop {
            let prefix_end = if rule.indented {
                let indent = &self.b[p..ws];
                if !self.b[end..self.hi].starts_with(indent)
                    || !self.starts(end + indent.len(), "  ")
                {
                    break;
                }
                end + indent.len() + 2
            } else {
                if !self.starts(end, "|  ") {
                    break;
                }
                end + 3
            };
            match self.full_line(prefix_end) {
                Some(next) => end = next,
                None => break,
            }
            more += 1;
        }
        if rule.needs_more && more == 0 {
            return false;
        }
        self.put(e, ws, None);
        self.put(e, m, Some(rule.class));
        self.nested(e, m, end, State::Inline);
        true
    }

    /// `^( *\.\.)(\s*)`: the end of the dots and of the blanks after them.
    fn dots(&self) -> Option<(usize, usize)> {
        let d = run(&self.b[..self.hi], self.pos, |c| c == b' ');
        if !self.starts(d, "..") {
            return None;
        }
        Some((d + 2, run_end(self.s, d + 2, self.hi, is_space)))
    }

    /// The rules for lines starting with `..`: code blocks, directives,
    /// targets, substitution definitions, comments.
    fn explicit(&mut self, e: &mut Emitter) -> bool {
        let Some((dots, ws)) = self.dots() else {
            return false;
        };
        self.source_code(e, dots, ws)
            || self.directive(e, dots, ws)
            || self.reference_target(e, dots, ws)
            || self.footnote_target(e, dots, ws)
            || self.substitution(e, dots, ws)
            || self.comment(e, dots)
    }

    /// `([ \t]*)(.*)` after a directive's `::`, the rest lexed inline.
    fn directive_rest(&mut self, e: &mut Emitter, from: usize) {
        let t = run(&self.b[..self.hi], from, |c| c == b' ' || c == b'\t');
        let le = self.line_end(t);
        self.put(e, t, None);
        self.nested(e, t, le, State::Inline);
    }

    /// The lazy `[class]+?::` at `i`: where the `::` is.
    fn name_before_colons(&self, i: usize, class: fn(char) -> bool) -> Option<usize> {
        let mut j = i;
        loop {
            if j > i && self.starts(j, "::") {
                return Some(j);
            }
            let c = char_at(self.s, j).filter(|&c| j < self.hi && class(c))?;
            j += c.len_utf8();
        }
    }

    fn directive(&mut self, e: &mut Emitter, dots: usize, ws: usize) -> bool {
        let Some(k) = self.name_before_colons(ws, directive_char) else {
            return false;
        };
        self.put(e, dots, Some("p"));
        self.put(e, ws, None);
        self.put(e, k, Some("ow"));
        self.put(e, k + 2, Some("p"));
        self.directive_rest(e, k + 2);
        true
    }

    /// `(_(?:[^:\\]|\\.)+:)(.*?)$`
    fn reference_target(&mut self, e: &mut Emitter, dots: usize, ws: usize) -> bool {
        if self.at(ws) != b'_' {
            return false;
        }
        let (from, stop) = self.target_fail;
        if from <= ws && ws <= stop {
            return false;
        }
        let mut j = ws + 1;
        let colon = loop {
            match self.at(j) {
                _ if j >= self.hi => break None,
                b':' => break (j > ws + 1).then_some(j),
                b'\\' => match char_at(self.s, j + 1) {
                    Some(c) if c != '\n' && j + 1 < self.hi => j += 1 + c.len_utf8(),
                    _ => break None,
                },
                _ => j += char_at(self.s, j).map_or(1, char::len_utf8),
            }
        };
        let Some(colon) = colon else {
            if j > ws + 1 {
                self.target_fail = (ws, j);
            }
            return false;
        };
        let le = self.line_end(colon + 1);
        self.put(e, dots, Some("p"));
        self.put(e, ws, None);
        self.put(e, colon + 1, Some("nt"));
        self.nested(e, colon + 1, le, State::Inline);
        true
    }

    /// `(\[.+\])(.*?)$`
    fn footnote_target(&mut self, e: &mut Emitter, dots: usize, ws: usize) -> bool {
        if self.at(ws) != b'[' {
            return false;
        }
        let le = self.line_end(ws);
        let Some(close) = self.b[(ws + 2).min(le)..le]
            .iter()
            .rposition(|&c| c == b']')
        else {
            return false;
        };
        let close = ws + 2 + close;
        self.put(e, dots, Some("p"));
        self.put(e, ws, None);
        self.put(e, close + 1, Some("nt"));
        self.nested(e, close + 1, le, State::Inline);
        true
    }

    /// `(\|.+\|)(\s*)([\w:-]+?)(::)(?:([ \t]*)(.*))`
    fn substitution(&mut self, e: &mut Emitter, dots: usize, ws: usize) -> bool {
        if self.at(ws) != b'|' {
            return false;
        }
        let le = self.line_end(ws);
        // the last `|` first, as the greedy `.+` gives them back
        let bars = self.b[(ws + 2).min(le)..le]
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, c)| **c == b'|')
            .map(|(k, _)| ws + 2 + k);
        for bar in bars.take(64).collect::<Vec<_>>() {
            let name = run_end(self.s, bar + 1, self.hi, is_space);
            if let Some(k) = self.name_before_colons(name, substitution_char) {
                self.put(e, dots, Some("p"));
                self.put(e, ws, None);
                self.put(e, bar + 1, Some("nt"));
                self.put(e, name, None);
                self.put(e, k, Some("ow"));
                self.put(e, k + 2, Some("p"));
                self.directive_rest(e, k + 2);
                return true;
            }
        }
        false
    }

    /// `^ *\.\..*(\n( +.*\n|\n)+)?`
    fn comment(&mut self, e: &mut Emitter, dots: usize) -> bool {
        let mut end = self.line_end(dots);
        if self.at(end) == b'\n' {
            let mut j = end + 1;
            loop {
                match self.at(j) {
                    b' ' if j < self.hi => match self.full_line(j) {
                        Some(next) => j = next,
                        None => break,
                    },
                    b'\n' if j < self.hi => j += 1,
                    _ => break,
                }
            }
            if j > end + 1 {
                end = j;
            }
        }
        self.put(e, end, Some("c"));
        true
    }

    /// `^( *)(:(?:\\\\|\\:|[^:\n])+:(?=\s))([ \t]*)`
    fn field_marker(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let d = run(&self.b[..self.hi], p, |c| c == b' ');
        if self.at(d) != b':' {
            return false;
        }
        let Some(colon) = self.field_end(d + 1) else {
            return false;
        };
        let t = run(&self.b[..self.hi], colon + 1, |c| c == b' ' || c == b'\t');
        self.put(e, d, None);
        self.put(e, colon + 1, Some("nc"));
        self.put(e, t, None);
        true
    }

    /// Where the regex engine would close a field name whose first unit
    /// starts at `start`: each position's outcome (more units first, in
    /// the alternatives' order, then the closing colon) computed from the
    /// line end backwards.
    fn field_end(&mut self, start: usize) -> Option<usize> {
        let le = self.line_end(start);
        let n = le - start + 1;
        let mut outcome: Vec<Option<usize>> = vec![None; n + 2];
        let at = |i: usize| self.at(i);
        for pos in (start..=le).rev() {
            if pos < le && !self.s.is_char_boundary(pos) {
                continue;
            }
            let units = self.units_at(pos, le);
            let mut result = units
                .into_iter()
                .flatten()
                .find_map(|next| outcome[next - start]);
            if result.is_none()
                && at(pos) == b':'
                && char_at(self.s, pos + 1).is_some_and(|c| pos + 1 < self.hi && is_space(c))
            {
                result = Some(pos);
            }
            outcome[pos - start] = result;
        }
        self.units_at(start, le)
            .into_iter()
            .flatten()
            .find_map(|next| outcome[next - start])
    }

    /// Ends of the units `\\\\`, `\\:`, `[^:\n]` at `pos`, in that order.
    fn units_at(&self, pos: usize, le: usize) -> [Option<usize>; 3] {
        if pos >= le {
            return [None; 3];
        }
        let c = self.b[pos];
        let next = self.at(pos + 1);
        [
            (c == b'\\' && next == b'\\' && pos + 2 <= le).then_some(pos + 2),
            (c == b'\\' && next == b':' && pos + 2 <= le).then_some(pos + 2),
            (c != b':').then(|| pos + char_at(self.s, pos).map_or(1, char::len_utf8)),
        ]
    }

    /// `^(\S.*(?<!::)\n)((?:(?: +.*)\n)+)`: a term and its indented lines,
    /// each lexed inline.
    fn definition(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        if char_at(self.s, p).is_none_or(is_space) {
            return false;
        }
        let le = self.line_end(p);
        if le >= self.hi || (le >= self.lo + 2 && &self.b[le - 2..le] == b"::") {
            return false;
        }
        let mut end = le + 1;
        while self.at(end) == b' ' && end < self.hi {
            let l = self.line_end(end);
            if l >= self.hi {
                break;
            }
            end = l + 1;
        }
        if end == le + 1 {
            return false;
        }
        self.nested(e, p, le + 1, State::Inline);
        self.nested(e, le + 1, end, State::Inline);
        true
    }

    /// `(\n[ \t]*\n)([ \t]+)(.*)(\n)((?:(?:\N.*)?\n)+)` at `nl` (the newline
    /// ending a `::` line): the end of the blank line, the indentation
    /// length `\N` kept, the end of the first code line, the block's end.
    fn indented_block(&mut self, nl: usize) -> Option<(usize, usize, usize, usize)> {
        if self.at(nl) != b'\n' || nl >= self.hi {
            return None;
        }
        let blank = run(&self.b[..self.hi], nl + 1, |c| c == b' ' || c == b'\t');
        if self.at(blank) != b'\n' || blank >= self.hi {
            return None;
        }
        let c0 = blank + 1;
        let indent = run(&self.b[..self.hi], c0, |c| c == b' ' || c == b'\t') - c0;
        if indent == 0 {
            return None;
        }
        let first = self.line_end(c0);
        if first >= self.hi {
            return None;
        }
        for len in (1..=indent).rev() {
            let prefix = &self.b[c0..c0 + len];
            let mut end = first + 1;
            loop {
                if self.at(end) == b'\n' && end < self.hi {
                    end += 1;
                } else if self.b[end..self.hi].starts_with(prefix) {
                    let l = self.line_end(end);
                    if l >= self.hi {
                        break;
                    }
                    end = l + 1;
                } else {
                    break;
                }
            }
            if end > first + 1 {
                return Some((c0, len, first, end));
            }
        }
        None
    }

    /// `(::)(\n[ \t]*\n)…`: a literal block.
    pub(super) fn literal_block(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let Some((c0, _, first, end)) = self.indented_block(p + 2) else {
            return false;
        };
        self.put(e, p + 2, Some("se"));
        self.put(e, c0, None);
        self.put(e, first, Some("s"));
        self.put(e, first + 1, None);
        self.put(e, end, Some("s"));
        true
    }

    /// `( *\.\.)(\s*)((?:source)?code(?:-block)?)(::)([ \t]*)([^\n]+)` and
    /// an indented block: the code lexed in its language when kbgen lexes
    /// it exactly, else one string.
    fn source_code(&mut self, e: &mut Emitter, dots: usize, ws: usize) -> bool {
        let mut k = ws;
        if self.starts(k, "source") {
            k += 6;
        }
        if !self.starts(k, "code") {
            return false;
        }
        k += 4;
        if self.starts(k, "-block::") {
            k += 6;
        }
        if !self.starts(k, "::") {
            return false;
        }
        let colons = k;
        let le = self.line_end(colons + 2);
        if le == colons + 2 {
            return false;
        }
        let t = run(&self.b[..le], colons + 2, |c| c == b' ' || c == b'\t');
        let lang = if t == le { le - 1 } else { t };
        let Some((c0, indent, _, end)) = self.indented_block(le) else {
            return false;
        };
        self.put(e, dots, Some("p"));
        self.put(e, ws, None);
        self.put(e, colons, Some("ow"));
        self.put(e, colons + 2, Some("p"));
        self.put(e, lang, None);
        self.put(e, le, Some("k"));
        self.put(e, c0, None);
        let name = self.s[lang..le].trim().to_ascii_lowercase();
        match super::super::pygments_lexer_for(&name) {
            Some(lexer) if self.depth < super::MAX_DEPTH => {
                self.delegate(e, lexer, c0, indent, end)
            }
            _ => self.put(e, end, Some("s")),
        }
        true
    }

    /// Lexes `[c0, end)` with its first `indent` bytes of each line longer
    /// than that removed, then puts those back as text (Pygments'
    /// `do_insertions`).
    fn delegate(
        &mut self,
        e: &mut Emitter,
        lexer: super::super::Lexer,
        c0: usize,
        indent: usize,
        end: usize,
    ) {
        let mut code = String::with_capacity(end - c0);
        // (position in `code`, position in the text) of each cut indentation
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        for line in self.s[c0..end].split_inclusive('\n') {
            let at = c0 + (line.as_ptr() as usize - self.s[c0..].as_ptr() as usize);
            if line.chars().count() > indent {
                cuts.push((code.len(), at));
                code.push_str(&line[indent..]);
            } else {
                code.push_str(line);
            }
        }
        let mut pieces: Vec<(usize, Option<&'static str>)> = Vec::new();
        lexer(&code, &mut |t: &str, c| pieces.push((t.len(), c)));
        let mut done = 0;
        let mut cut = cuts.iter().peekable();
        for (len, class) in pieces {
            let token_end = done + len;
            while done < token_end {
                if let Some(&&(at, orig)) = cut.peek()
                    && at == done
                {
                    self.pos = orig;
                    self.put(e, orig + indent, None);
                    cut.next();
                }
                let next_cut = cut.peek().map_or(token_end, |&&(at, _)| at.min(token_end));
                let step = next_cut.max(done + 1).min(token_end) - done;
                let orig = self.pos;
                self.put(e, orig + step, class);
                done += step;
            }
        }
        for &(_, orig) in cut {
            self.pos = orig;
            self.put(e, orig + indent, None);
        }
        self.pos = end;
    }
}
