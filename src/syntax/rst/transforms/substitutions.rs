//! `references.Substitutions`: every substitution reference is replaced by
//! a copy of its definition, exactly in docutils' order and with its
//! side effects, and within a budget.
//!
//! docutils walks a list of references in document order (references
//! inside definitions included); a copy's own references are appended to
//! the list, and a definition whose references were replaced holds the
//! replacement from then on, so later copies of it are expanded. The same
//! bookkeeping gives its cycle errors ("Circular substitution definition
//! detected" on the definition, "... referenced" on the reference) and its
//! `line-length-limit` check. Here references become numbered placeholders
//! ("tickets") whose resolutions are recorded and spliced in at the end,
//! so no child list is re-spliced per reference (100,000 references were
//! quadratic), and the case-insensitive lookup is one map, not a scan.
//!
//! Docutils itself expands without bound (a 2 KB page of definitions that
//! each use the next four times passes 10 GB); kbgen stops copying when a
//! page's copies would exceed [`expansion_budget`] and says so at the
//! reference that crossed it.

use crate::ast::Attr;
use crate::diag::Severity;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::ast::{Element, Node, Span, Tag};
use crate::syntax::rst::block::Parser;

use super::references::{LINE, RAW, end_line};

/// Attribute of a placeholder: the number of the reference it stands for.
const TICKET: Attr = Attr::InternalSubstTicket;
/// Attribute of a definition whose children moved to [`Definition`].
const SLOT: Attr = Attr::InternalSubstDef;

/// Cost of one element and of one text node in the budget, in bytes of
/// text: roughly what they take in memory.
const ELEMENT_COST: usize = 128;
const TEXT_NODE_COST: usize = 48;
/// Deepest nesting of copies inside copies; past it the reference stays
/// unexpanded with an error (docutils has no such limit, but reaching it
/// takes a definition chain far beyond any document).
const MAX_COPY_DEPTH: usize = 512;

/// What a page's substitutions may produce, in bytes of text plus
/// [`ELEMENT_COST`] per element and [`TEXT_NODE_COST`] per text node:
/// 4 MiB, plus 64 times the page's own size.
/// A document that uses substitutions as intended stays far below.
pub fn expansion_budget(source_len: usize) -> usize {
    4 * 1024 * 1024 + 64 * source_len
}

struct Definition {
    children: Vec<Node>,
    /// The definition element, children removed; `None` once docutils'
    /// `replace_self` put a message in its place.
    element: Option<Element>,
    message: Option<Element>,
}

enum Resolution {
    Pending,
    /// The copy, whose own references are newer tickets.
    Expanded(Vec<Node>),
    /// A `problematic` element (undefined, too long, circular, budget).
    Problem(Element),
    /// Stays a `substitution_reference` (its definition was circular).
    Stays,
}

struct Ticket {
    reference: Element,
    /// Index of the definition this reference is a direct child of.
    parent_def: Option<usize>,
    /// The reference in the document whose expansion made this one.
    origin: usize,
    depth: usize,
    resolution: Resolution,
    /// The definition's `ltrim` and `rtrim` (`unicode :trim:`): the text
    /// before and after the reference loses its whitespace.
    trim: (bool, bool),
}

struct State {
    defs: Vec<Definition>,
    tickets: Vec<Ticket>,
    /// docutils' `substitution_defs`: name → the last definition.
    by_name: FxHashMap<String, usize>,
    /// docutils' `substitution_names`: lower-cased name → name.
    normed: FxHashMap<String, String>,
    budget: usize,
    budget_left: usize,
    budget_message_made: bool,
    /// docutils' `line_length_limit`: a definition whose text is longer
    /// is not expanded.
    line_length_limit: usize,
    /// Transform messages, in the order docutils reports them.
    msgs: Vec<Element>,
}

fn placeholder(n: usize, span: Span) -> Node {
    let mut e = Element::new(Tag::SubstitutionReference, span);
    e.set(TICKET, n.to_string());
    e.into()
}

fn ticket_of(e: &Element) -> Option<usize> {
    if e.tag != Tag::SubstitutionReference {
        return None;
    }
    e.get(TICKET)?.parse().ok()
}

/// Moves references out of `nodes` into tickets (document order, like
/// docutils' `findall`) and definitions' children into `st.defs`.
fn extract(nodes: &mut [Node], parent_def: Option<usize>, st: &mut State, depth: usize) {
    for node in nodes.iter_mut() {
        let Node::Element(e) = node else { continue };
        if e.tag == Tag::SubstitutionReference {
            let n = st.tickets.len();
            let span = e.span;
            let reference = std::mem::replace(&mut **e, Element::new(Tag::Inline, span));
            let span = reference.span;
            st.tickets.push(Ticket {
                reference,
                parent_def,
                origin: n,
                depth: 0,
                resolution: Resolution::Pending,
                trim: (false, false),
            });
            *node = placeholder(n, span);
            continue;
        }
        if e.tag == Tag::SubstitutionDefinition {
            let idx = st.defs.len();
            let mut children = std::mem::take(&mut e.children);
            e.set(SLOT, idx.to_string());
            st.defs.push(Definition {
                children: Vec::new(),
                element: None,
                message: None,
            });
            extract(&mut children, Some(idx), st, depth + 1);
            st.defs[idx].children = children;
            continue;
        }
        if depth < 1_000 {
            extract(&mut e.children, None, st, depth + 1);
        }
    }
}

/// Text length (docutils counts characters) and budget cost of what a copy
/// of `nodes` would be, stopping once the cost passes `limit`.
fn measure(nodes: &[Node], st: &State, limit: usize, acc: &mut (usize, usize), depth: usize) {
    for node in nodes {
        // Past the budget or the line-length limit the answer is known.
        if acc.1 > limit || acc.0 > st.line_length_limit {
            return;
        }
        match node {
            Node::Text(t) => {
                acc.0 += t.text.chars().count();
                acc.1 += TEXT_NODE_COST + t.text.len();
            }
            Node::Element(e) => {
                acc.1 += ELEMENT_COST;
                match ticket_of(e).map(|n| &st.tickets[n]) {
                    Some(Ticket {
                        resolution: Resolution::Expanded(content),
                        ..
                    }) if depth < MAX_COPY_DEPTH => measure(content, st, limit, acc, depth + 1),
                    Some(Ticket {
                        resolution: Resolution::Problem(p),
                        ..
                    }) => acc.0 += p.astext().chars().count(),
                    Some(t) => acc.0 += t.reference.astext().chars().count(),
                    None => measure(&e.children, st, limit, acc, depth + 1),
                }
            }
        }
    }
}

/// A copy of `nodes` with resolved references replaced by their
/// resolutions; references still to be resolved become new tickets
/// (returned in document order, for the cycle check).
fn copy(nodes: &[Node], st: &mut State, out: &mut Vec<Node>, new: &mut Vec<usize>, depth: usize) {
    for node in nodes {
        let Node::Element(e) = node else {
            out.push(node.clone());
            continue;
        };
        let Some(n) = ticket_of(e) else {
            let mut c = Element::new(e.tag, e.span);
            c.attrs = e.attrs.clone();
            c.ids = e.ids.clone();
            c.names = e.names.clone();
            c.dupnames = e.dupnames.clone();
            c.classes = e.classes.clone();
            c.backrefs = e.backrefs.clone();
            let mut kids = Vec::new();
            copy(&e.children, st, &mut kids, new, depth + 1);
            c.children = kids;
            out.push(c.into());
            continue;
        };
        match &st.tickets[n].resolution {
            Resolution::Expanded(content) if depth < MAX_COPY_DEPTH => {
                let content = content.clone();
                copy(&content, st, out, new, depth + 1);
            }
            Resolution::Problem(p) => out.push(p.clone().into()),
            _ => {
                let reference = st.tickets[n].reference.clone();
                let m = st.tickets.len();
                let span = reference.span;
                st.tickets.push(Ticket {
                    reference,
                    parent_def: None,
                    origin: 0,
                    depth: 0,
                    resolution: Resolution::Pending,
                    trim: (false, false),
                });
                new.push(m);
                out.push(placeholder(m, span));
            }
        }
    }
}

fn lookup(st: &State, refname: &str) -> Option<String> {
    if st.by_name.contains_key(refname) {
        return Some(refname.to_string());
    }
    st.normed.get(&refname.to_lowercase()).cloned()
}

/// The message and `problematic` for a reference docutils could not
/// replace, placed where the reference is.
fn problem(p: &mut Parser, st: &mut State, n: usize, text: &str, at: (Option<usize>, Span)) {
    let t = &st.tickets[n];
    let source = t.reference.get(Attr::InternalSource);
    let mut msg = p.doc.message_in(Severity::Error, text, at.0, source, at.1);
    let msgid = p.doc.set_id(&mut msg, "");
    let raw = t
        .reference
        .get(RAW)
        .map(str::to_string)
        .unwrap_or_else(|| t.reference.astext());
    let mut prb = Element::new(Tag::Problematic, t.reference.span);
    prb.set(Attr::Refid, msgid);
    prb.push_text(raw, t.reference.span);
    let prbid = match t.reference.ids.first() {
        Some(id) => {
            prb.ids.push(id.clone());
            id.clone()
        }
        None => p.doc.set_id(&mut prb, ""),
    };
    msg.backrefs.push(prbid);
    st.tickets[n].resolution = Resolution::Problem(prb);
    st.msgs.push(msg);
}

fn line_of(e: &Element) -> Option<usize> {
    e.get(LINE).and_then(|l| l.parse().ok())
}

/// Resolves ticket `n` as docutils' loop body does for one reference.
fn resolve(
    p: &mut Parser,
    st: &mut State,
    n: usize,
    nested: &mut FxHashMap<String, FxHashSet<String>>,
) {
    let refname = st.tickets[n]
        .reference
        .get(Attr::Refname)
        .unwrap_or("")
        .to_string();
    let own = {
        let r = &st.tickets[n].reference;
        (line_of(r), r.span)
    };
    let origin = {
        let r = &st.tickets[st.tickets[n].origin].reference;
        (line_of(r), r.span)
    };
    let Some(key) = lookup(st, &refname) else {
        let text = format!("Undefined substitution referenced: \"{refname}\".");
        problem(p, st, n, &text, own);
        return;
    };
    if st.budget_message_made {
        over_budget(p, st, n, origin);
        return;
    }
    let d = st.by_name[&key];
    let children = std::mem::take(&mut st.defs[d].children);
    let mut acc = (0, 0);
    measure(&children, st, st.budget_left, &mut acc, 0);
    if acc.0 > st.line_length_limit {
        st.defs[d].children = children;
        let text = format!("Substitution definition \"{key}\" exceeds the line-length-limit.");
        // docutils gives this message no node: it gets the line the
        // reporter was left at after parsing.
        problem(p, st, n, &text, (end_line(p), own.1));
        return;
    }
    if acc.1 > st.budget_left || st.tickets[n].depth >= MAX_COPY_DEPTH {
        st.defs[d].children = children;
        over_budget(p, st, n, origin);
        return;
    }
    st.budget_left -= acc.1;
    let mut copied = Vec::new();
    let mut new = Vec::new();
    copy(&children, st, &mut copied, &mut new, 0);
    st.defs[d].children = children;
    let span = st.tickets[n].reference.span;
    for node in copied.iter_mut() {
        if let Node::Element(x) = node {
            x.span = span;
        }
    }
    // New tickets at the copy's top level end up where this reference is.
    let top: FxHashSet<usize> = copied
        .iter()
        .filter_map(|c| c.as_element().and_then(ticket_of))
        .collect();
    let (origin_ticket, depth, parent_def) = {
        let t = &st.tickets[n];
        (t.origin, t.depth + 1, t.parent_def)
    };
    for &m in &new {
        let t = &mut st.tickets[m];
        t.origin = origin_ticket;
        t.depth = depth;
        t.parent_def = if top.contains(&m) { parent_def } else { None };
    }
    for (j, &m) in new.iter().enumerate() {
        let nested_ref = st.tickets[m].reference.get(Attr::Refname).unwrap_or("");
        // docutils raises KeyError here for an undefined name; the
        // reference is reported as undefined when its turn comes instead.
        let Some(nested_name) = st.normed.get(&nested_ref.to_lowercase()).cloned() else {
            continue;
        };
        let seen = nested.entry(nested_name.clone()).or_default();
        if seen.contains(&nested_name) {
            // docutils appended the copy's references up to here to its
            // list (they are still processed); the rest never existed.
            for &dead in &new[j..] {
                st.tickets[dead].resolution = Resolution::Stays;
            }
            circular(p, st, n, &refname, origin);
            return;
        }
        seen.insert(key.clone());
    }
    if let Some(def) = &st.defs[d].element {
        st.tickets[n].trim = (
            def.get_named("ltrim").is_some(),
            def.get_named("rtrim").is_some(),
        );
    }
    st.tickets[n].resolution = Resolution::Expanded(copied);
}

/// docutils' `CircularSubstitutionDefinitionError` handler.
fn circular(
    p: &mut Parser,
    st: &mut State,
    n: usize,
    refname: &str,
    origin: (Option<usize>, Span),
) {
    match st.tickets[n].parent_def {
        Some(d) if st.defs[d].message.is_none() => {
            let Some(def) = st.defs[d].element.as_ref() else {
                return;
            };
            let raw = def.get(RAW).unwrap_or("").to_string();
            let mut msg = p.doc.message_with_block(
                Severity::Error,
                "Circular substitution definition detected:",
                &raw,
                line_of(def),
                def.span,
            );
            // `replace_self` copies the basic attributes to the message.
            msg.ids = def.ids.clone();
            msg.classes = def.classes.clone();
            msg.names = def.names.clone();
            msg.dupnames = def.dupnames.clone();
            st.defs[d].message = Some(msg);
            st.tickets[n].resolution = Resolution::Stays;
        }
        Some(_) => st.tickets[n].resolution = Resolution::Stays,
        None => {
            let text = format!("Circular substitution definition referenced: \"{refname}\".");
            problem(p, st, n, &text, origin);
        }
    }
}

/// The first reference past the budget gets an error; later ones stay
/// plain text, so a hostile page costs one message.
fn over_budget(p: &mut Parser, st: &mut State, n: usize, at: (Option<usize>, Span)) {
    if st.budget_message_made {
        let r = &st.tickets[n].reference;
        let mut text = Element::new(Tag::Inline, r.span);
        text.push_text(
            r.get(RAW).map_or_else(|| r.astext(), str::to_string),
            r.span,
        );
        st.tickets[n].resolution = Resolution::Expanded(text.children);
        return;
    }
    st.budget_message_made = true;
    let text = format!(
        "Substitution expansion limit exceeded: this page's substitutions would produce more than {} bytes; \"{}\" and later references are not expanded.",
        st.budget,
        st.tickets[n].reference.get(Attr::Refname).unwrap_or("")
    );
    problem(p, st, n, &text, at);
}

/// Gives the copies of a definition's nodes the line (and file) of the
/// reference they replace: docutils' inline nodes have no line of their
/// own and report the block they are in, so a copy reports the block it
/// was copied into (a nested copy takes the outermost reference's line,
/// as this runs after the nested ones are assembled).
fn relabel_lines(nodes: &mut [Node], reference: &Element) {
    let Some(line) = reference.get(Attr::InternalLine) else {
        return;
    };
    let source = reference.get(Attr::InternalSource);
    for node in nodes {
        let Node::Element(e) = node else { continue };
        if e.get(Attr::InternalLine).is_some() {
            e.set(Attr::InternalLine, line.to_string());
            match source {
                Some(s) => e.set(Attr::InternalSource, s.to_string()),
                None => {
                    e.remove(Attr::InternalSource);
                }
            }
        }
        relabel_lines(&mut e.children, reference);
    }
}

/// Puts resolutions and definitions back into the tree.
fn assemble(nodes: Vec<Node>, st: &mut State, depth: usize) -> Vec<Node> {
    let mut out = Vec::with_capacity(nodes.len());
    let mut strip_next = false;
    for node in nodes {
        let Node::Element(mut e) = node else {
            let mut node = node;
            if std::mem::take(&mut strip_next)
                && let Node::Text(t) = &mut node
            {
                t.text = t.text.trim_start().to_string();
            }
            out.push(node);
            continue;
        };
        strip_next = false;
        if let Some(n) = ticket_of(&e) {
            let (ltrim, rtrim) = st.tickets[n].trim;
            match std::mem::replace(&mut st.tickets[n].resolution, Resolution::Stays) {
                Resolution::Expanded(content) if depth < MAX_COPY_DEPTH + 8 => {
                    if ltrim && let Some(Node::Text(t)) = out.last_mut() {
                        t.text.truncate(t.text.trim_end().len());
                    }
                    strip_next = rtrim;
                    let mut expanded = assemble(content, st, depth + 1);
                    relabel_lines(&mut expanded, &st.tickets[n].reference);
                    out.extend(expanded);
                }
                Resolution::Problem(prb) => out.push(prb.into()),
                _ => out.push(st.tickets[n].reference.clone().into()),
            }
            continue;
        }
        if let Some(d) = e.get(SLOT).and_then(|s| s.parse::<usize>().ok()) {
            e.remove(SLOT);
            let children = std::mem::take(&mut st.defs[d].children);
            if let Some(msg) = st.defs[d].message.take() {
                out.push(msg.into());
                continue;
            }
            if let Some(def) = &st.defs[d].element {
                e.names = def.names.clone();
                e.dupnames = def.dupnames.clone();
            }
            e.children = assemble(children, st, depth + 1);
            out.push(Node::Element(e));
            continue;
        }
        let children = std::mem::take(&mut e.children);
        e.children = assemble(children, st, depth + 1);
        out.push(Node::Element(e));
    }
    out
}

pub fn substitutions(p: &mut Parser, doc: &mut Element, msgs: &mut Vec<Element>) {
    let source_len = doc.span.end as usize;
    let budget = expansion_budget(source_len);
    let mut st = State {
        defs: Vec::new(),
        tickets: Vec::new(),
        by_name: FxHashMap::default(),
        normed: FxHashMap::default(),
        budget,
        budget_left: budget,
        budget_message_made: false,
        line_length_limit: p.opts.line_length_limit(),
        msgs: Vec::new(),
    };
    extract(&mut doc.children, None, &mut st, 0);
    if st.tickets.is_empty() && st.defs.is_empty() {
        return;
    }
    let mut slots: Vec<&mut Element> = Vec::new();
    collect_slots(doc, &mut slots);
    for e in slots {
        let Some(d) = e.get(SLOT).and_then(|s| s.parse::<usize>().ok()) else {
            continue;
        };
        // docutils keeps only the last definition of a name; earlier ones
        // lose it to `dupnames` (written back by `assemble`).
        for name in e.names.clone() {
            if let Some(&old) = st.by_name.get(&name)
                && let Some(old_el) = st.defs[old].element.as_mut()
            {
                crate::syntax::rst::doc::dupname(old_el, &name);
            }
            st.by_name.insert(name.clone(), d);
            st.normed.insert(name.to_lowercase(), name);
        }
        st.defs[d].element = Some(e.clone());
    }
    // docutils' `nested`: name → the definitions whose copies used it.
    // Only membership is asked, so a set (a list was quadratic).
    let mut nested: FxHashMap<String, FxHashSet<String>> = FxHashMap::default();
    let mut k = 0;
    while k < st.tickets.len() {
        if matches!(st.tickets[k].resolution, Resolution::Pending) {
            resolve(p, &mut st, k, &mut nested);
        }
        k += 1;
    }
    msgs.append(&mut st.msgs);
    let children = std::mem::take(&mut doc.children);
    doc.children = assemble(children, &mut st, 0);
}

fn collect_slots<'a>(e: &'a mut Element, out: &mut Vec<&'a mut Element>) {
    for c in e.children.iter_mut() {
        if let Node::Element(c) = c {
            if c.get(SLOT).is_some() {
                out.push(c);
            } else {
                collect_slots(c, out);
            }
        }
    }
}
