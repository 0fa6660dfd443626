//! relax-ng's [`relax_ng::Element`] over roxmltree nodes. The location of
//! each element is its roxmltree [`NodeId`], so a validation error leads
//! back to the node, its attributes and their byte ranges.

use relax_ng::{Content, ExpandedName};
use roxmltree::{Node, NodeId};

#[derive(Clone, Copy)]
pub struct XNode<'a, 'i>(pub Node<'a, 'i>);

impl relax_ng::Element for XNode<'_, '_> {
    type Location = NodeId;

    fn name(&self) -> ExpandedName {
        let t = self.0.tag_name();
        ExpandedName::new(t.namespace(), t.name())
    }

    fn attributes(&self) -> impl Iterator<Item = (ExpandedName, String)> {
        // roxmltree keeps `xmlns` declarations out of `attributes()`, as
        // RELAX NG requires.
        self.0.attributes().map(|a| {
            (
                ExpandedName::new(a.namespace(), a.name()),
                a.value().to_string(),
            )
        })
    }

    fn children(&self) -> impl Iterator<Item = Content<Self>> {
        // Comments and PIs are dropped; text around them is merged.
        let mut out = Vec::new();
        let mut text: Option<String> = None;
        for c in self.0.children() {
            if c.is_element() {
                if let Some(t) = text.take() {
                    out.push(Content::Text(t));
                }
                out.push(Content::Element(XNode(c)));
            } else if c.is_text() {
                let t = c.text().unwrap_or("");
                if !t.is_empty() {
                    text.get_or_insert_with(String::new).push_str(t);
                }
            }
        }
        if let Some(t) = text {
            out.push(Content::Text(t));
        }
        out.into_iter()
    }

    fn location(&self) -> Option<NodeId> {
        Some(self.0.id())
    }

    fn namespace_bindings(&self) -> impl Iterator<Item = (String, String)> {
        self.0
            .namespaces()
            .map(|ns| (ns.name().unwrap_or("").to_string(), ns.uri().to_string()))
    }
}
