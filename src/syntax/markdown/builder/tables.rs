//! GFM tables: `table` › `tgroup` (with a `colspec` per column) › `thead`
//! / `tbody` › `row` › `entry`, each cell classed with its column's
//! alignment as docutils' `align-*` classes.

use crate::ast::Attr;
use pulldown_cmark::Alignment;

use crate::ast::{Element, Span, Tag};

use super::{Builder, Kind};

impl Builder<'_> {
    pub(super) fn start_table(&mut self, aligns: &[Alignment], span: Span) {
        self.block_start();
        let mut table = Element::new(Tag::Table, span);
        table.classes.push("colwidths-auto".into());
        self.push(table, Kind::Block);
        let mut tgroup = Element::new(Tag::Tgroup, span);
        tgroup.set(Attr::Cols, aligns.len().to_string());
        for _ in aligns {
            let mut colspec = Element::new(Tag::Colspec, span);
            colspec.set(Attr::Colwidth, "1");
            tgroup.push(colspec);
        }
        let classes = aligns.iter().map(|a| alignment_class(*a)).collect();
        self.push(tgroup, Kind::Tgroup(classes));
    }

    pub(super) fn start_table_head(&mut self, span: Span) {
        self.push(Element::new(Tag::Thead, span), Kind::Block);
        self.push(Element::new(Tag::Row, span), Kind::Row(0));
    }

    /// A body row; the first one opens the `tbody`.
    pub(super) fn start_table_row(&mut self, span: Span) {
        if matches!(self.top_kind(), Kind::Tgroup(_)) {
            self.push(Element::new(Tag::Tbody, span), Kind::Block);
        }
        self.push(Element::new(Tag::Row, span), Kind::Row(0));
    }

    pub(super) fn start_table_cell(&mut self, span: Span) {
        let align = self.next_cell_alignment();
        let mut entry = Element::new(Tag::Entry, span);
        if let Some(class) = align {
            entry.classes.push(class.into());
        }
        self.push(entry, Kind::Block);
    }

    /// Counts the cell in its row and returns its column's alignment class.
    fn next_cell_alignment(&mut self) -> Option<&'static str> {
        let column = match self.stack.last_mut().map(|f| &mut f.kind) {
            Some(Kind::Row(cells)) => {
                *cells += 1;
                *cells - 1
            }
            _ => return None,
        };
        self.stack
            .iter()
            .rev()
            .find_map(|f| match &f.kind {
                Kind::Tgroup(classes) => Some(classes.get(column).copied().flatten()),
                _ => None,
            })
            .flatten()
    }
}

fn alignment_class(align: Alignment) -> Option<&'static str> {
    match align {
        Alignment::None => None,
        Alignment::Left => Some("align-left"),
        Alignment::Center => Some("align-center"),
        Alignment::Right => Some("align-right"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RawHtml;

    fn cells(text: &str) -> Vec<(String, crate::ast::Names)> {
        let doc = super::super::fed(text, RawHtml::Escape).finish().0;
        let mut out = Vec::new();
        doc.walk(&mut |e| {
            if e.tag == Tag::Entry {
                out.push((e.astext(), e.classes.clone()));
            }
        });
        out
    }

    #[test]
    fn cells_carry_their_column_alignment() {
        let found = cells("| a | b | c |\n|:--|:-:|--:|\n| d | e | f |\n");
        let classes: Vec<&str> = found
            .iter()
            .map(|(_, c)| c.first().map_or("", String::as_str))
            .collect();
        assert_eq!(
            classes,
            [
                "align-left",
                "align-center",
                "align-right",
                "align-left",
                "align-center",
                "align-right"
            ]
        );
    }

    #[test]
    fn a_row_with_extra_cells_gets_no_alignment_for_them() {
        let found = cells("| a |\n|--:|\n| b | c |\n");
        assert!(found.iter().all(|(text, _)| text != "c"), "{found:?}");
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|(_, c)| c == &["align-right"]));
    }
}
