//! The inline constructs once their start is found: emphasis, strong,
//! literals, interpreted text and roles, phrase references with embedded
//! URIs or aliases, targets, substitution and footnote references.

use crate::ast::Attr;
use crate::ast::ids::{fully_normalize_name, whitespace_normalize_name};
use crate::ast::{Element, Node, Span, Tag};
use crate::diag::Severity;

use super::super::chars::*;
use super::super::directives::code::{code_pieces, push_pieces};
use super::super::languages::{self, NameKind};
use super::reference_roles::unimplemented_role;
use super::uri::{adjust_uri, embedded_link, split_escaped_whitespace, uri_at_start};
use super::*;

impl Inliner<'_, '_> {
    /// Returns (end of the text before the new nodes, nodes, where remaining text starts).
    pub(super) fn dispatch(&mut self, p: usize, start: Start) -> (usize, Made, usize) {
        match start {
            Start::Strong => self.inline_obj(p, 2, EndKind::Strong, Tag::Strong, "strong"),
            Start::Emphasis => self.inline_obj(p, 1, EndKind::Emphasis, Tag::Emphasis, "emphasis"),
            Start::Literal => self.inline_obj(p, 2, EndKind::Literal, Tag::Literal, "literal"),
            Start::Target => self.inline_obj(p, 2, EndKind::Target, Tag::Target, "target"),
            Start::Subst => self.inline_obj(
                p,
                1,
                EndKind::Subst,
                Tag::SubstitutionReference,
                "substitution_reference",
            ),
            Start::Refname(e, r) => {
                let name = self.s[p..e].to_string();
                let span = self.span(p, r);
                let mut rn = Element::new(Tag::Reference, span);
                rn.set(Attr::Name, whitespace_normalize_name(&name));
                if r - e == 2 {
                    rn.set(Attr::Anonymous, "1");
                } else {
                    rn.set(Attr::Refname, fully_normalize_name(&name));
                }
                rn.push_text(name, span);
                rn.set(RAW, restore(&self.s[p..r]));
                self.mark_line(&mut rn);
                (p, Made::One(rn.into()), r)
            }
            Start::Footnote(ls, le, end) => {
                let label = self.s[ls..le].to_string();
                let span = self.span(p, end);
                let refname = fully_normalize_name(&label);
                let is_citation = !(label.bytes().all(|b| b.is_ascii_digit())
                    || label.starts_with('#')
                    || label == "*");
                let mut n;
                if is_citation {
                    n = Element::new(Tag::CitationReference, span);
                    n.set(Attr::Refname, refname);
                    n.push_text(label, span);
                } else {
                    n = Element::new(Tag::FootnoteReference, span);
                    let mut rn = refname;
                    if let Some(r) = rn.strip_prefix('#') {
                        rn = r.to_string();
                        n.set(Attr::Auto, "1");
                    } else if rn == "*" {
                        rn.clear();
                        n.set(Attr::Auto, "*");
                    } else {
                        n.push_text(label, span);
                    }
                    if !rn.is_empty() {
                        n.set(Attr::Refname, rn);
                    }
                }
                n.set(RAW, restore(&self.s[p..end]));
                self.mark_line(&mut n);
                self.doc.register_ids(&mut n, "");
                (p, Made::One(n.into()), end)
            }
            Start::Backquote(role, q) => self.interpreted_or_phrase_ref(p, role, q),
        }
    }

    pub(super) fn problematic(&mut self, text: &str, span: Span, mut msg: Element) -> Node {
        self.doc.inline_problems += 1;
        if self.doc.inline_problems > super::super::doc::MAX_INLINE_PROBLEMS {
            self.doc.inline_problems_capped.get_or_insert(span);
            return Node::text(text, span);
        }
        let msgid = self.doc.set_id(&mut msg, "");
        let mut prb = Element::new(Tag::Problematic, span);
        prb.set(Attr::Refid, msgid);
        prb.push_text(text, span);
        let prbid = self.doc.set_id(&mut prb, "");
        msg.backrefs.push(prbid);
        self.messages.push(msg);
        prb.into()
    }

    /// The line docutils' state machine is on while this text is parsed,
    /// which messages without a line of their own report: a paragraph of
    /// several lines is made on its last line; one of a single line on
    /// the next (the blank line or the end that closed it).
    fn state_machine_line(&self) -> Option<usize> {
        let breaks = self.s.trim_end_matches('\n').matches('\n').count();
        self.lineno.map(|l| l + breaks.max(1))
    }

    pub(super) fn mark_line(&self, e: &mut Element) {
        if let Some(l) = self.lineno {
            self.doc.mark_line(e, l);
        }
    }

    pub(super) fn warn(&self, level: Severity, text: &str, span: Span) -> Element {
        self.doc.message(level, text, self.lineno, span)
    }

    pub(super) fn quoted_start(&self, p: usize, end: usize) -> bool {
        if p == 0 {
            return false;
        }
        let Some(post) = self.ch(end) else {
            return true;
        };
        match self.prev(p) {
            Some(pre) => match_chars(pre, post),
            None => false,
        }
    }

    pub(super) fn inline_obj(
        &mut self,
        p: usize,
        len: usize,
        kind: EndKind,
        tag: Tag,
        what: &str,
    ) -> (usize, Made, usize) {
        let mend = p + len;
        if self.quoted_start(p, mend) {
            return (mend, Made::Nothing, mend);
        }
        if let Some(m) = self.find_end(kind, mend) {
            let source = self.s;
            let inner = &source[mend..m.start];
            let span = self.span(p, m.end);
            let tspan = self.span(mend, m.start);
            let mut node = Element::new(tag, span);
            // The one text child, in a vector made for it (growing an
            // empty one costs twice the allocation).
            let text = if kind == EndKind::Literal {
                restore(inner)
            } else {
                self.text_of(inner)
            };
            node.children = vec![Node::text(text, tspan)];
            match kind {
                EndKind::Target => {
                    let text = unescape(inner);
                    node.names.push(fully_normalize_name(&text));
                    // docutils reports at the state machine's line and puts
                    // the message into the parent, before this text's
                    // element. A paragraph of several lines is made on its
                    // last line; one of a single line on the next (the
                    // blank line or the end that closed it).
                    let line = self.state_machine_line();
                    let msgs = self.doc.note_explicit_target(&mut node, line);
                    self.doc.parent_messages.extend(msgs);
                }
                EndKind::Subst => {
                    let text = unescape(inner);
                    let refname = fully_normalize_name(&text);
                    node.set(Attr::Refname, whitespace_normalize_name(&text));
                    node.set(RAW, restore(&self.s[p..m.end]));
                    self.mark_line(&mut node);
                    let endstring = &self.s[m.start..m.end];
                    if endstring.ends_with('_') {
                        let mut r = Element::new(Tag::Reference, span);
                        if endstring.ends_with("__") {
                            r.set(Attr::Anonymous, "1");
                        } else {
                            r.set(Attr::Refname, refname);
                        }
                        r.set(RAW, restore(&self.s[p..m.end]));
                        self.mark_line(&mut r);
                        r.push(node);
                        return (p, Made::One(r.into()), m.end);
                    }
                }
                _ => {}
            }
            return (p, Made::One(node.into()), m.end);
        }
        let span = self.span(p, mend);
        let msg = self.warn(
            Severity::Warning,
            &format!("Inline {what} start-string without end-string."),
            span,
        );
        let text = restore(&self.s[p..mend]);
        let prb = self.problematic(&text, span, msg);
        (p, Made::One(prb), mend)
    }

    pub(super) fn interpreted_or_phrase_ref(
        &mut self,
        p: usize,
        role: Option<(usize, usize)>,
        q: usize,
    ) -> (usize, Made, usize) {
        let mend = q + 1;
        let rolestart = p;
        if role.is_none() && self.quoted_start(q, mend) {
            return (mend, Made::Nothing, mend);
        }
        let Some(m) = self.find_end(EndKind::Interp, mend) else {
            let span = self.span(q, mend);
            let msg = self.warn(
                Severity::Warning,
                "Inline interpreted text or phrase reference start-string without end-string.",
                span,
            );
            let text = restore(&self.s[q..mend]);
            let prb = self.problematic(&text, span, msg);
            return (q, Made::One(prb), mend);
        };
        let textend = m.end;
        let span = self.span(rolestart, textend);
        let mut role_name = role.map(|(a, b)| self.s[a + 1..b - 1].to_string());
        let mut position = if role.is_some() { "prefix" } else { "" };
        if let Some((a, b)) = m.role {
            if role_name.is_some() {
                let msg = self.warn(Severity::Warning, "Multiple roles in interpreted text (both prefix and suffix present; only one allowed).", span);
                let text = restore(&self.s[rolestart..textend]);
                let prb = self.problematic(&text, span, msg);
                return (rolestart, Made::One(prb), textend);
            }
            role_name = Some(self.s[a + 1..b - 1].to_string());
            position = "suffix";
        }
        let escaped = self.s[mend..m.start].to_string();
        if m.refend > 0 {
            if role_name.is_some() {
                let msg = self.warn(
                    Severity::Warning,
                    &format!(
                        "Mismatch: both interpreted text role {position} and reference suffix."
                    ),
                    span,
                );
                let text = restore(&self.s[rolestart..textend]);
                let prb = self.problematic(&text, span, msg);
                return (rolestart, Made::One(prb), textend);
            }
            let span = self.span(q, textend);
            let raw = restore(&self.s[q..textend]);
            let mut nodes = self.phrase_ref(&escaped, m.refend == 2, span, mend);
            if let Some(Node::Element(r)) = nodes.first_mut() {
                r.set(RAW, raw);
                let l = self.lineno.unwrap_or(0);
                self.doc.mark_line(r, l);
            }
            return (q, nodes.into(), textend);
        }
        let rawsource = restore(&self.s[rolestart..textend]);
        let tspan = self.span(mend, m.start);
        let nodes = self.interpreted(
            &rawsource,
            &escaped,
            role_name.as_deref().unwrap_or(""),
            span,
            tspan,
        );
        (rolestart, nodes.into(), textend)
    }

    pub(super) fn interpreted(
        &mut self,
        rawsource: &str,
        escaped: &str,
        role: &str,
        span: Span,
        tspan: Span,
    ) -> Vec<Node> {
        let mut role_l = role.to_lowercase();
        // A page in another language: the localized role's canonical
        // name, with docutils' INFO when it took English or the name itself.
        let mut info_given = false;
        if !role_l.is_empty()
            && !self.doc.roles.contains_key(&role_l)
            && !languages::is_english(&self.doc.language_code)
        {
            let found = languages::resolve(
                &self.doc.found_names,
                NameKind::Role,
                &self.doc.language_code,
                role,
            );
            if let Some(text) = found.info {
                let info = self.doc.message(Severity::Info, &text, self.lineno, span);
                self.messages.push(info);
                info_given = true;
            }
            self.doc
                .found_names
                .remember(NameKind::Role, role, &found.canonical);
            role_l = found.canonical;
        }
        let text = unescape(escaped);
        let mut classes = Vec::new();
        let mut base = if role_l.is_empty() {
            self.doc
                .default_role
                .clone()
                .unwrap_or_else(|| "title-reference".to_string())
        } else {
            role_l.clone()
        };
        if let Some((b, cls)) = self.doc.roles.get(&base).cloned() {
            classes = cls;
            base = b;
        }
        // a custom role derived from `code` with its own `:language:`
        let mut code_language_option = None;
        if let Some(language) = base.strip_prefix("code\0") {
            code_language_option = Some(language.to_string());
            base = "code".to_string();
        }
        if self.doc.sphinx.is_some()
            && let Some(result) =
                super::super::sphinx::roles::role(self.doc, &base, &classes, escaped, span, tspan)
        {
            return match result {
                Ok(nodes) => nodes,
                Err((level, text)) => {
                    let msg = self.warn(level, &text, span);
                    vec![self.problematic(rawsource, span, msg)]
                }
            };
        }
        // the `code` role's language, for its tokens
        let mut code_language: Option<String> = None;
        let tag = match base.as_str() {
            "" => Some(Tag::Inline),
            "emphasis" => Some(Tag::Emphasis),
            "strong" => Some(Tag::Strong),
            "literal" => Some(Tag::Literal),
            "code" => {
                // docutils' `code_role`: the language is the option, else
                // the role's own name; "none" disables highlighting
                let language = code_language_option.clone().unwrap_or_else(|| {
                    if role_l == "code" {
                        String::new()
                    } else {
                        role_l.clone()
                    }
                });
                let language = if language.eq_ignore_ascii_case("none") {
                    String::new()
                } else {
                    language
                };
                classes.insert(0, "code".to_string());
                if !language.is_empty() && !classes.contains(&language) {
                    classes.push(language.clone());
                }
                code_language = Some(language);
                Some(Tag::Literal)
            }
            "subscript" | "sub" => Some(Tag::Subscript),
            "superscript" | "sup" => Some(Tag::Superscript),
            "title-reference" | "title" | "t" => Some(Tag::TitleReference),
            "abbreviation" | "ab" => Some(Tag::Abbreviation),
            "acronym" | "ac" => Some(Tag::Acronym),
            "math" => Some(Tag::Math),
            _ => None,
        };
        if let Some(tag) = tag {
            let mut n = Element::new(tag, span);
            n.classes = classes.into();
            if let Some(language) = code_language.filter(|_| self.doc.code_tokens) {
                // docutils' `code_role`: Pygments' tokens of the code
                // (backslashes kept, `unescape(text, True)`)
                let pieces = code_pieces(&restore(escaped), &language, self.doc.syntax_highlight);
                push_pieces(
                    &mut n,
                    pieces
                        .into_iter()
                        .filter(|(c, t)| c.is_some() || !t.is_empty())
                        .collect(),
                );
            } else if tag == Tag::Math || base == "code" {
                // LaTeX and code keep their backslashes (docutils'
                // `unescape(text, True)`).
                n.push_text(restore(escaped), tspan);
            } else if tag == Tag::Literal {
                n.push_text(text, tspan);
            } else {
                n.push_text(self.text_of(escaped), tspan);
            }
            return vec![n.into()];
        }
        if base == "pep-reference" || base == "pep" {
            return self.pep_reference(rawsource, escaped, &text, &classes, span, tspan);
        }
        if base == "rfc-reference" || base == "rfc" {
            return self.rfc_reference(rawsource, &text, &classes, span, tspan);
        }
        if let Some(fmt) = base.strip_prefix("raw\0") {
            if !self.doc.allow_raw {
                let msg = self.warn(Severity::Error, "raw (and derived) roles disabled", span);
                return vec![self.problematic(rawsource, span, msg)];
            }
            let mut n = Element::new(Tag::Raw, span);
            n.classes = classes.into();
            n.set(Attr::Format, fmt.to_string());
            n.set(Attr::XmlSpace, "preserve");
            n.push_text(restore(escaped), tspan);
            return vec![n.into()];
        }
        if base == "raw" {
            let msg = self.warn(Severity::Error, "No format (Writer name) is associated with this role: \"raw\".\nThe \"raw\" role cannot be used directly.\nInstead, use the \"role\" directive to create a new role with an associated format.", span);
            return vec![self.problematic(rawsource, span, msg)];
        }
        if let Some(canonical) = unimplemented_role(&base) {
            return self.unimplemented(rawsource, role, canonical, info_given, span);
        }
        // docutils remembers found names only
        self.doc.found_names.forget(NameKind::Role, role);
        if !info_given && self.doc.inline_problems < super::super::doc::MAX_INLINE_PROBLEMS {
            let info = self.doc.unknown_name_info("role", role, self.lineno, span);
            self.messages.push(info);
        }
        let msg = self.warn(
            Severity::Error,
            &format!("Unknown interpreted text role \"{role}\"."),
            span,
        );
        vec![self.problematic(rawsource, span, msg)]
    }

    pub(super) fn phrase_ref(
        &mut self,
        escaped: &str,
        anonymous: bool,
        span: Span,
        text_start: usize,
    ) -> Vec<Node> {
        let mut text = escaped.to_string();
        let mut target: Option<Element> = None;
        let mut alias = String::new();
        let mut alias_is_name = false;
        if let Some((ms, lt)) = embedded_link(escaped) {
            let aliastext = &escaped[lt + 1..escaped.len() - 1];
            let rawalias = restore(aliastext);
            let underscore_escaped = rawalias.ends_with("\\_");
            text = escaped[..ms].to_string();
            let tspan = self.span(text_start + ms, text_start + escaped.len());
            if aliastext.ends_with('_')
                && !(underscore_escaped || uri_at_start(aliastext, self.doc.recognition))
            {
                alias_is_name = true;
                alias = fully_normalize_name(&unescape(&aliastext[..aliastext.len() - 1]));
                let mut t = Element::new(Tag::Target, tspan);
                t.set(Attr::Refname, alias.clone());
                target = Some(t);
            } else {
                let joined: Vec<String> = split_escaped_whitespace(aliastext)
                    .iter()
                    .map(|part| part.split(is_space).collect::<String>())
                    .collect();
                let mut a = adjust_uri(&unescape(&joined.join(" ")));
                if a.ends_with("\\_") {
                    a.truncate(a.len() - 2);
                    a.push('_');
                }
                alias = a;
                let mut t = Element::new(Tag::Target, tspan);
                t.set(Attr::Refuri, alias.clone());
                target = Some(t);
            }
            // no text before `<...>`: the reference shows the alias, a
            // name alias normalized (lower case, no trailing underscore)
            if text.is_empty() {
                text = alias.clone();
            }
        }
        let unescaped = unescape(&text);
        let refname = fully_normalize_name(&unescaped);
        let mut reference = Element::new(Tag::Reference, span);
        reference.set(Attr::Name, whitespace_normalize_name(&unescaped));
        reference.push_text(self.text_of(&text), span);
        let mut out = Vec::new();
        if anonymous {
            match (&target, alias_is_name) {
                (Some(_), true) => reference.set(Attr::Refname, alias),
                (Some(_), false) => reference.set(Attr::Refuri, alias),
                (None, _) => reference.set(Attr::Anonymous, "1"),
            }
            out.push(reference.into());
        } else if let Some(mut t) = target {
            t.names.push(refname);
            if alias_is_name {
                reference.set(Attr::Refname, alias);
                out.push(reference.into());
                t.set(Attr::IndirectReferenceName, "");
                t.remove(Attr::IndirectReferenceName);
            } else {
                reference.set(Attr::Refuri, alias);
                out.push(reference.into());
            }
            // docutils notes the target of `text <alias_>`_ and `text
            // <uri>`_ as implicit (a section of the same name and the
            // target both become `dupnames`); its message goes into the
            // parent before this text's element, at the state machine's line
            let line = self.state_machine_line();
            let msgs = self.doc.note_implicit_target(&mut t, line);
            self.doc.parent_messages.extend(msgs);
            out.push(t.into());
        } else {
            reference.set(Attr::Refname, refname);
            out.push(reference.into());
        }
        out
    }
}
