//! Captions of figures, tables and code blocks on Sphinx pages, as
//! Sphinx's HTML writer writes them: the number when `numfig` gave one
//! (`<span class="caption-number">Fig. 1 </span>`), the caption text in
//! `<span class="caption-text">`, then the permalink to the element.

use super::Writer;
use crate::ast::{Attr, Element};

impl Writer<'_, '_> {
    /// The inside of the caption `caption` of `owner` (the figure, table
    /// or code-block wrapper the permalink points at).
    pub(super) fn sphinx_caption(&mut self, caption: &Element, owner: &Element, link_title: &str) {
        if let Some(number) = owner.get(Attr::KbgenCaptionNumber) {
            self.push("<span class=\"caption-number\">");
            self.text(number);
            self.push(" </span>");
        }
        self.sphinx_open_plain("span", caption, super::sphinx::CAPTION_TEXT);
        self.children(caption);
        self.push("</span>");
        self.permalink(owner, link_title);
    }
}
