//! Plain-words hints read from a `.rng` file.
//!
//! The relax-ng validator says *that* an element is incomplete or a value is
//! wrong, not *what* was expected. Writers need "`<qemu:arg>` needs the
//! attribute `value`", so kbgen reads the schema's XML once more and keeps,
//! per element name, its attributes (required or not, allowed values, the
//! rule in words from an `a:documentation` annotation) and allowed children.
//! This is best-effort: a construct it does not understand only makes a
//! message less specific, never changes a verdict.

use std::collections::{BTreeMap, BTreeSet};

const RNG: &str = "http://relaxng.org/ns/structure/1.0";
const ANNOTATIONS: &str = "http://relaxng.org/ns/compatibility/annotations/1.0";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttrHint {
    pub name: String,
    pub required: bool,
    /// Allowed values when the attribute is a choice of `<value>`s.
    pub values: Vec<String>,
    /// The rule in words (`a:documentation`), e.g. "letters, digits and `_` only".
    pub rule: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ElementHint {
    pub attrs: Vec<AttrHint>,
    /// Local names of the elements allowed as children.
    pub children: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    /// The grammar's own `a:documentation`: the badge label.
    pub label: Option<String>,
    /// Local names of the elements the schema starts with.
    pub top: Vec<String>,
    pub elements: BTreeMap<String, ElementHint>,
}

impl Hints {
    pub fn from_rng(text: &str) -> Hints {
        let Ok(doc) = roxmltree::Document::parse(text) else {
            return Hints::default();
        };
        let root = doc.root_element();
        let mut defines = BTreeMap::new();
        for n in root.descendants().filter(|n| is_rng(n, "define")) {
            if let Some(name) = n.attribute("name") {
                defines
                    .entry(name.to_string())
                    .or_insert_with(Vec::new)
                    .push(n);
            }
        }
        let mut hints = Hints {
            label: root
                .children()
                .find(|n| {
                    n.tag_name().namespace() == Some(ANNOTATIONS)
                        && n.tag_name().name() == "documentation"
                })
                .and_then(|n| n.text())
                .map(|t| t.trim().to_string()),
            ..Hints::default()
        };
        if let Some(start) = root.descendants().find(|n| is_rng(n, "start")) {
            let mut eh = ElementHint::default();
            walk(start, false, &defines, &mut BTreeSet::new(), &mut eh);
            hints.top = eh.children;
        }
        for el in root.descendants().filter(|n| is_rng(n, "element")) {
            let Some(name) = el.attribute("name").map(local) else {
                continue;
            };
            let mut eh = ElementHint::default();
            walk(el, false, &defines, &mut BTreeSet::new(), &mut eh);
            hints.elements.entry(name.to_string()).or_insert(eh);
        }
        hints
    }

    pub fn element(&self, local: &str) -> Option<&ElementHint> {
        self.elements.get(local)
    }
}

fn is_rng(n: &roxmltree::Node, name: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(RNG) && n.tag_name().name() == name
}

fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

type Defines<'a, 'i> = BTreeMap<String, Vec<roxmltree::Node<'a, 'i>>>;

/// Collects the attributes and child elements of one pattern, without
/// entering child elements. Iterative over an explicit stack so a deeply
/// nested user schema cannot overflow.
fn walk<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    optional: bool,
    defines: &Defines<'a, 'i>,
    seen: &mut BTreeSet<String>,
    out: &mut ElementHint,
) {
    let mut stack: Vec<(roxmltree::Node, bool)> = node
        .children()
        .filter(|c| c.is_element())
        .map(|c| (c, optional))
        .collect();
    stack.reverse();
    while let Some((n, opt)) = stack.pop() {
        if n.tag_name().namespace() != Some(RNG) {
            continue;
        }
        let push_children =
            |n: roxmltree::Node<'a, 'i>,
             opt: bool,
             stack: &mut Vec<(roxmltree::Node<'a, 'i>, bool)>| {
                let mut kids: Vec<_> = n
                    .children()
                    .filter(|c| c.is_element())
                    .map(|c| (c, opt))
                    .collect();
                kids.reverse();
                stack.extend(kids);
            };
        match n.tag_name().name() {
            "element" => {
                if let Some(name) = n.attribute("name")
                    && !out.children.iter().any(|c| c == local(name))
                {
                    out.children.push(local(name).to_string());
                }
            }
            "attribute" => {
                if let Some(name) = n.attribute("name") {
                    out.attrs.push(attr_hint(n, local(name), !opt));
                }
            }
            "ref" => {
                if let Some(name) = n.attribute("name")
                    && seen.insert(name.to_string())
                {
                    for d in defines.get(name).into_iter().flatten() {
                        push_children(*d, opt, &mut stack);
                    }
                }
            }
            "optional" | "zeroOrMore" | "choice" => push_children(n, true, &mut stack),
            "group" | "interleave" | "oneOrMore" | "mixed" | "div" => {
                push_children(n, opt, &mut stack)
            }
            _ => {}
        }
    }
}

fn attr_hint(n: roxmltree::Node, name: &str, required: bool) -> AttrHint {
    let mut hint = AttrHint {
        name: name.to_string(),
        required,
        ..AttrHint::default()
    };
    for d in n.descendants() {
        if is_rng(&d, "value") {
            hint.values.push(d.text().unwrap_or("").to_string());
        } else if d.tag_name().namespace() == Some(ANNOTATIONS)
            && d.tag_name().name() == "documentation"
        {
            hint.rule = d.text().map(|t| t.trim().to_string());
        }
    }
    hint
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qemu_hints_know_required_attributes_and_rules() {
        let h = Hints::from_rng(include_str!("../../../schemas/qemu.rng"));
        assert_eq!(h.label.as_deref(), Some("QEMU passthrough"));
        assert_eq!(
            h.top,
            ["commandline", "capabilities", "deprecation", "override"]
        );
        let env = h.element("env").unwrap();
        assert_eq!(env.attrs[0].name, "name");
        assert!(env.attrs[0].required);
        assert_eq!(
            env.attrs[0].rule.as_deref(),
            Some("letters, digits and `_` only")
        );
        assert!(!env.attrs[1].required);
        let dep = h.element("deprecation").unwrap();
        assert_eq!(dep.attrs[0].values, ["none", "omit", "reject", "crash"]);
        assert_eq!(h.element("commandline").unwrap().children, ["arg", "env"]);
    }
}
