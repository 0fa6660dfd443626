//! Grid and simple tables (docutils' `tableparser`).

use super::block::{LRef, Parser};

/// `\+-[-+]+-\+ *$`
pub fn is_grid_top(l: &str) -> bool {
    let t = l.trim_end_matches(' ');
    t.len() >= 4 && t.starts_with("+-") && t.ends_with("-+") && t.bytes().all(|c| c == b'-' || c == b'+')
}

/// `=+( +=+)+ *$`
pub fn is_simple_top(l: &str) -> bool {
    let t = l.trim_end_matches(' ');
    t.starts_with('=') && t.contains(' ') && t.bytes().all(|c| c == b'=' || c == b' ')
}

pub fn try_grid_table(_p: &mut Parser, _b: &[LRef], _i: usize, line: &str) -> Option<usize> {
    if !is_grid_top(line) {
        return None;
    }
    None
}

pub fn try_simple_table(_p: &mut Parser, _b: &[LRef], _i: usize, line: &str) -> Option<usize> {
    if !is_simple_top(line) {
        return None;
    }
    None
}
