//! The document tree, modelled on docutils' doctree.
//!
//! Element kinds keep docutils' names ([`Tag`]) so kbgen's pseudo-XML dump and
//! docutils' can be diffed line by line, and so people who know docutils find
//! their way. Every node carries a [`Span`]: byte offsets into the page's
//! normalised source text, which diagnostics and the preview use to point
//! back into the page.

mod attr;
pub mod ids;
mod pending_details;
mod pseudoxml;
pub mod sphinx;
mod tag;

pub use attr::{Attr, AttrName};
pub use pseudoxml::to_pseudoxml;
pub use sphinx::{SphinxAttr, SphinxTag};
pub use tag::Tag;

/// Byte range `start..end` in the page's normalised source text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// The smallest span covering both. The empty `0..0` span is
    /// [`Span::default`], "no position" (an empty block, a generated node):
    /// it is ignored, so covering it never stretches a span back to the
    /// start of the file.
    pub fn cover(self, other: Span) -> Span {
        if other == Span::default() {
            return self;
        }
        if self == Span::default() {
            return other;
        }
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Box<Element>),
    Text(Text),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub span: Span,
}

pub use thin_vec::{ThinVec, thin_vec};

/// One of an element's list attributes (`ids`, `names`, `classes`...). A
/// [`ThinVec`] is one pointer wide, and empty without allocating: most
/// elements have none of these lists, and five 24-byte `Vec`s made up two
/// thirds of an element (184 bytes with `Vec`, 88 with `ThinVec`).
pub type Names = ThinVec<String>;

/// An element of the doctree. The five list attributes every docutils
/// element has are fields; everything else lives in `attrs` as typed
/// `(name, value)` pairs ([`Attr`]), values stored exactly as pseudo-XML
/// prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub tag: Tag,
    pub ids: Names,
    pub names: Names,
    pub dupnames: Names,
    pub classes: Names,
    pub backrefs: Names,
    pub attrs: ThinVec<(AttrName, String)>,
    pub children: Vec<Node>,
    pub span: Span,
}

impl Element {
    /// The element reached from `self` by child indexes (`[2, 0]`: the
    /// first child of the third child). Transforms record such paths while
    /// walking and come back to them once the walk's borrow has ended.
    pub fn descendant(&self, path: &[usize]) -> Option<&Element> {
        let mut e = self;
        for &i in path {
            e = e.children.get(i)?.as_element()?;
        }
        Some(e)
    }

    /// [`Element::descendant`], mutable.
    pub fn descendant_mut(&mut self, path: &[usize]) -> Option<&mut Element> {
        let mut e = self;
        for &i in path {
            e = e.children.get_mut(i)?.as_element_mut()?;
        }
        Some(e)
    }

    pub fn new(tag: Tag, span: Span) -> Element {
        Element {
            tag,
            ids: Names::new(),
            names: Names::new(),
            dupnames: Names::new(),
            classes: Names::new(),
            backrefs: Names::new(),
            attrs: ThinVec::new(),
            children: Vec::new(),
            span,
        }
    }

    pub fn with_children(tag: Tag, span: Span, children: Vec<Node>) -> Element {
        let mut e = Element::new(tag, span);
        e.children = children;
        e
    }

    /// Value of a non-list attribute.
    pub fn get(&self, key: Attr) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == AttrName::Known(key))
            .map(|(_, v)| v.as_str())
    }

    /// Sets (or replaces) a non-list attribute.
    pub fn set(&mut self, key: Attr, value: impl Into<String>) {
        self.set_name(AttrName::Known(key), value.into());
    }

    pub fn remove(&mut self, key: Attr) -> Option<String> {
        let i = self
            .attrs
            .iter()
            .position(|(k, _)| *k == AttrName::Known(key))?;
        Some(self.attrs.remove(i).1)
    }

    /// Value of an attribute whose name comes from the input.
    pub fn get_named(&self, name: &str) -> Option<&str> {
        let key = AttrName::of(name);
        self.attrs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets an attribute whose name comes from the input (a directive
    /// option passed through, a `meta` field); a name kbgen knows is
    /// stored as its [`Attr`].
    pub fn set_named(&mut self, name: &str, value: impl Into<String>) {
        self.set_name(AttrName::of(name), value.into());
    }

    fn set_name(&mut self, key: AttrName, value: String) {
        match self.attrs.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((key, value)),
        }
    }

    pub fn push(&mut self, node: impl Into<Node>) {
        self.children.push(node.into());
    }

    pub fn push_text(&mut self, text: impl Into<String>, span: Span) {
        self.children.push(Node::Text(Text {
            text: text.into(),
            span,
        }));
    }

    /// docutils' `astext()`: the concatenated text of all descendants.
    pub fn astext(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    /// [`Element::astext`], borrowed when the element holds just one text
    /// without escape markers (a code block, most titles): no copy.
    pub fn text_cow(&self) -> std::borrow::Cow<'_, str> {
        match self.children.as_slice() {
            [Node::Text(t)] if memchr::memchr(0, t.text.as_bytes()).is_none() => {
                std::borrow::Cow::Borrowed(&t.text)
            }
            _ => std::borrow::Cow::Owned(self.astext()),
        }
    }

    fn collect_text(&self, out: &mut String) {
        // docutils joins the text of paragraphs etc. with blank lines in
        // astext() only for some containers; for titles and inline content a
        // plain concatenation is what matters.
        for child in &self.children {
            match child {
                Node::Text(t) => push_unescaped(out, &t.text),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// Child elements, skipping text.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(Node::as_element)
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(Node::as_element_mut)
    }

    /// First child element with the given tag.
    pub fn first(&self, tag: Tag) -> Option<&Element> {
        self.elements().find(|e| e.tag == tag)
    }

    /// Calls `f` on this element and every descendant element, depth-first, in document order.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Element)) {
        f(self);
        for child in self.elements() {
            child.walk(f);
        }
    }

    /// Mutable depth-first walk in document order.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut Element)) {
        f(self);
        for child in self.elements_mut() {
            child.walk_mut(f);
        }
    }
}

impl Node {
    pub fn text(text: impl Into<String>, span: Span) -> Node {
        Node::Text(Text {
            text: text.into(),
            span,
        })
    }

    pub fn as_element(&self) -> Option<&Element> {
        match self {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        }
    }

    pub fn as_element_mut(&mut self) -> Option<&mut Element> {
        match self {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Node::Element(e) => e.span,
            Node::Text(t) => t.span,
        }
    }

    pub fn astext(&self) -> String {
        match self {
            Node::Element(e) => e.astext(),
            Node::Text(t) => unescape_nul(&t.text),
        }
    }
}

/// docutils' `nodes.unescape`: its text nodes mark a backslash escape as
/// a NUL before the escaped character; the text drops the markers and
/// escaped whitespace entirely. kbgen's RST parser keeps such markers only
/// while a transform needs them (smart quotes), so text is usually
/// returned unchanged.
pub fn unescape_nul(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_unescaped(&mut out, s);
    out
}

fn push_unescaped(out: &mut String, s: &str) {
    // SIMD memchr: this runs over the text of every `astext()`.
    if memchr::memchr(0, s.as_bytes()).is_none() {
        out.push_str(s);
        return;
    }
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\0' {
            if matches!(chars.peek(), Some(' ') | Some('\n')) {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
}

impl From<Element> for Node {
    fn from(e: Element) -> Node {
        Node::Element(Box::new(e))
    }
}

impl From<Text> for Node {
    fn from(t: Text) -> Node {
        Node::Text(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_stays_small() {
        // Nodes are stored by the million in big sites; keep them compact.
        assert!(
            std::mem::size_of::<Node>() <= 40,
            "{}",
            std::mem::size_of::<Node>()
        );
    }

    #[test]
    fn element_stays_small() {
        // 184 bytes with five `Vec` lists; see [`Names`].
        let size = std::mem::size_of::<Element>();
        assert!(size <= 88, "Element is {size} bytes");
    }

    #[test]
    fn attributes_set_and_replace() {
        let mut e = Element::new(Tag::Reference, Span::default());
        e.set(Attr::Refuri, "a");
        e.set(Attr::Refuri, "b");
        assert_eq!(e.get(Attr::Refuri), Some("b"));
        assert_eq!(e.attrs.len(), 1);
    }
}
