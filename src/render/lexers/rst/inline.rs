//! Pygments' `RstLexer` inline rules and its state inside inline literals.

use super::super::pyg::char_at;
use super::{Emitter, Needle, Rst, State};

/// `[a-zA-Z0-9:.+-]`: a role name's characters.
fn role_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b':' | b'.' | b'+' | b'-')
}

/// What may follow the closing ``` `` ``` of an inline literal (docutils'
/// end-string suffix as Pygments copies it).
fn ends_literal(c: char) -> bool {
    "-/:.,; \n\0\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{a0}'\")]}>\u{2019}\u{201d}\u{bb}!?"
        .contains(c)
}

impl Rst<'_> {
    /// The inline rules at the cursor; `false` at a newline (no rule).
    pub(super) fn inline(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let c = self.b[p];
        match c {
            b'\n' => return false,
            b'\\' => {
                if let Some(n) = char_at(self.s, p + 1).filter(|&n| n != '\n' && p + 1 < self.hi) {
                    self.put(e, p + 1 + n.len_utf8(), None);
                    return true;
                }
            }
            b'`' if self.at(p + 1) == b'`' => {
                self.put(e, p + 2, Some("s"));
                self.stack.push(State::Literal);
                return true;
            }
            b'`' if self.backtick(e) => return true,
            b':' if self.role_first(e) => return true,
            b'*' => {
                if self.at(p + 1) == b'*'
                    && let Some(k) = self.find(Needle::TwoStars, p + 3)
                {
                    self.put(e, k + 2, Some("gs"));
                    return true;
                }
                if let Some(k) = self.find(Needle::Star, p + 2) {
                    self.put(e, k + 1, Some("ge"));
                    return true;
                }
            }
            b'[' => {
                if let Some(k) = self.find(Needle::BracketUnderscore, p + 1) {
                    self.put(e, k + 2, Some("s"));
                    return true;
                }
            }
            b'<' => {
                if let Some(k) = self.find(Needle::Gt, p + 2) {
                    self.put(e, k + 1, Some("nt"));
                    return true;
                }
            }
            _ => {}
        }
        // `[^\\\n\[*`:]+`, else any one character
        let stop = self.b[p..self.hi]
            .iter()
            .position(|c| matches!(c, b'\\' | b'\n' | b'[' | b'*' | b'`' | b':'))
            .map_or(self.hi, |k| p + k);
        let end = if stop > p {
            stop
        } else {
            p + char_at(self.s, p).map_or(1, char::len_utf8)
        };
        self.put(e, end, None);
        true
    }

    /// The rules starting with one backtick: a reference with a target,
    /// a reference, interpreted text with an optional role after it.
    fn backtick(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        if let Some(lt) = self.find(Needle::Lt, p + 2)
            && let Some(gt) = self.find(Needle::GtBacktickUnderscore, lt + 2)
        {
            self.put(e, lt, Some("s"));
            self.put(e, gt + 1, Some("si"));
            let end = if self.at(gt + 3) == b'_' {
                gt + 4
            } else {
                gt + 3
            };
            self.put(e, end, Some("s"));
            return true;
        }
        if let Some(k) = self.find(Needle::BacktickUnderscore, p + 2) {
            let end = if self.at(k + 2) == b'_' { k + 3 } else { k + 2 };
            self.put(e, end, Some("s"));
            return true;
        }
        let Some(close) = self.find(Needle::Backtick, p + 2) else {
            return false;
        };
        self.put(e, close + 1, Some("nv"));
        if self.at(close + 1) == b':' {
            let mut j = close + 2;
            while j < self.hi && role_char(self.b[j]) {
                if self.b[j] == b':' && j > close + 2 {
                    self.put(e, j + 1, Some("na"));
                    break;
                }
                j += 1;
            }
        }
        true
    }

    /// `(:[a-zA-Z0-9:.+-]+?:)(`.+?`)`: a role before its text.
    fn role_first(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let mut j = p + 1;
        while j < self.hi && role_char(self.b[j]) {
            if self.b[j] == b':'
                && j > p + 1
                && self.at(j + 1) == b'`'
                && let Some(close) = self.find(Needle::Backtick, j + 3)
            {
                self.put(e, j + 1, Some("na"));
                self.put(e, close + 1, Some("nv"));
                return true;
            }
            j += 1;
        }
        false
    }

    /// Inside an inline literal: text up to a closing ``` `` ``` that
    /// ends the literal.
    pub(super) fn literal(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        if self.b[p] != b'`' {
            let end = memchr::memchr(b'`', &self.b[p..self.hi]).map_or(self.hi, |k| p + k);
            self.put(e, end, Some("s"));
            return true;
        }
        if self.at(p + 1) == b'`'
            && (p + 2 >= self.hi || char_at(self.s, p + 2).is_some_and(ends_literal))
        {
            self.put(e, p + 2, Some("s"));
            self.stack.pop();
            return true;
        }
        self.put(e, p + 1, Some("s"));
        true
    }
}
