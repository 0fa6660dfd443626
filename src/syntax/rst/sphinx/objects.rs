//! Object descriptions of the standard domain (`option` with `program`,
//! `envvar`) and the generic `describe` / `object`, as Sphinx's
//! `ObjectDescription.run` builds them: an `index` node, then `desc` with
//! one `desc_signature` per signature line and the `desc_content`.

use crate::ast::{Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::block::Parser;
use super::super::directives::Ctx;
use super::index::{IndexEntry, index_node};
use super::{el, flag, set};

/// `.. program:: NAME`: options and `:option:` roles after it belong to
/// NAME (whitespace becomes `-`; `None` resets).
pub fn program(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let arg = ctx.args.first().map(|a| a.trim()).unwrap_or("");
    let name = arg.split_whitespace().collect::<Vec<_>>().join("-");
    if let Some(sx) = p.doc.sphinx.as_deref_mut() {
        sx.program = (name != "None").then_some(name);
    }
    Vec::new()
}

/// A `desc_name` / `desc_addname` leaf.
fn sig_part(tag: Tag, text: &str, span: Span) -> Element {
    let mut e = Element::new(tag, span);
    e.classes.extend(
        match tag {
            Tag::DescName => ["sig-name", "descname"],
            _ => ["sig-prename", "descclassname"],
        }
        .map(String::from),
    );
    e.set(crate::ast::Attr::XmlSpace, "preserve");
    e.push_text(text, span);
    e
}

/// Sphinx's `option_desc_re` split: `(-o|--long|/x|+x)(=?\s*.*)`.
fn split_option(s: &str) -> Option<(String, String)> {
    let prefix_len = ["--", "-", "/", "+"]
        .iter()
        .find(|p| s.starts_with(**p) && s.len() > p.len())
        .map_or(0, |p| p.len());
    let rest = &s[prefix_len..];
    let name_len = rest
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(rest.len());
    let (name_len, prefix_len) = if name_len == 0 {
        // The prefix itself is the name (`-` or `--` alone, or `-=x`).
        let whole = s
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(s.len());
        if whole == 0 {
            return None;
        }
        (whole, 0)
    } else {
        (name_len, prefix_len)
    };
    let mut name = s[..prefix_len + name_len].to_string();
    let mut args = s[prefix_len + name_len..].to_string();
    if name.ends_with('[') && args.ends_with(']') {
        name.pop();
        args.insert(0, '[');
    }
    Some((name, args))
}

/// The signature nodes of one `.. option::` line and its option names.
fn option_signature(
    p: &Parser,
    ctx: &Ctx,
    sig: &str,
    node: &mut Element,
) -> (Vec<String>, Vec<Element>) {
    let mut names = Vec::new();
    let mut warnings = Vec::new();
    for potential in sig.split(", ") {
        let potential = potential.trim();
        let Some((name, args)) = split_option(potential) else {
            warnings.push(p.doc.message(crate::diag::Severity::Warning, &format!("Malformed option description {}, should look like \"opt\", \"-opt args\", \"--opt args\", \"/opt args\" or \"+opt args\"", super::code::py_str(potential)), Some(ctx.lineno), ctx.span));
            continue;
        };
        if !names.is_empty() {
            node.push(sig_part(
                Tag::Sphinx(SphinxTag::DescAddname),
                ", ",
                ctx.span,
            ));
        }
        node.push(sig_part(Tag::DescName, &name, ctx.span));
        node.push(sig_part(
            Tag::Sphinx(SphinxTag::DescAddname),
            &args,
            ctx.span,
        ));
        names.push(name);
    }
    (names, warnings)
}

/// `option`, `envvar`, `describe`, `object`.
pub fn std_object(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let objtype = ctx.name.as_str();
    let domain = match objtype {
        "option" | "envvar" => "std",
        _ => "",
    };
    let mut desc = Element::new(Tag::Desc, ctx.span);
    set(&mut desc, SphinxAttr::Domain, domain);
    set(&mut desc, SphinxAttr::Objtype, objtype);
    set(&mut desc, SphinxAttr::Desctype, objtype);
    let no_index = ctx.has("no-index") || ctx.has("noindex");
    let no_entry = ctx.has("no-index-entry") || ctx.has("noindexentry");
    let no_contents = ctx.has("no-contents-entry") || ctx.has("nocontentsentry");
    set(&mut desc, SphinxAttr::NoIndex, flag(no_index));
    set(&mut desc, SphinxAttr::Noindex, flag(no_index));
    set(&mut desc, SphinxAttr::NoIndexEntry, flag(no_entry));
    set(&mut desc, SphinxAttr::Noindexentry, flag(no_entry));
    set(&mut desc, SphinxAttr::NoContentsEntry, flag(no_contents));
    set(&mut desc, SphinxAttr::Nocontentsentry, flag(no_contents));
    set(
        &mut desc,
        SphinxAttr::NoTypesetting,
        flag(ctx.has("no-typesetting")),
    );
    if !domain.is_empty() {
        desc.classes.push(domain.into());
    }
    desc.classes.push(objtype.into());
    let mut entries: Vec<IndexEntry> = Vec::new();
    let mut messages: Vec<Node> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let arg = ctx.joined_argument();
    let program = p.doc.sphinx.as_deref().and_then(|s| s.program.clone());
    for sig in arg.split('\n').map(str::trim) {
        let mut signode = Element::new(Tag::DescSignature, ctx.span);
        signode
            .classes
            .extend(["sig".to_string(), "sig-object".to_string()]);
        if !domain.is_empty() {
            signode.classes.push(domain.into());
        }
        set(&mut signode, SphinxAttr::TocParts, "");
        set(&mut signode, SphinxAttr::TocName, "");
        let name = match objtype {
            "option" => {
                let (names, warnings) = option_signature(p, ctx, sig, &mut signode);
                messages.extend(warnings.into_iter().map(Node::from));
                if names.is_empty() {
                    signode.children.clear();
                    signode.push(sig_part(Tag::DescName, sig, ctx.span));
                    desc.push(signode);
                    continue;
                }
                set(&mut signode, SphinxAttr::Allnames, names.join(" "));
                Some((names[0].clone(), names))
            }
            "envvar" => {
                signode.push(sig_part(Tag::DescName, sig, ctx.span));
                let name = sig.split_whitespace().collect::<Vec<_>>().join(" ");
                Some((name.clone(), vec![name]))
            }
            _ => {
                signode.push(sig_part(Tag::DescName, sig, ctx.span));
                None
            }
        };
        if let Some((first, names)) = name
            && !seen.contains(&first)
        {
            seen.push(first.clone());
            if !no_index {
                add_target_and_index(
                    p,
                    objtype,
                    &program,
                    &first,
                    &names,
                    &mut signode,
                    &mut entries,
                );
            }
        }
        desc.push(signode);
    }
    let content = p.nested(el(SphinxTag::DescContent, ctx.span), &ctx.content);
    desc.push(content);
    let index = index_node(&entries, ctx.span);
    let mut out: Vec<Node> = vec![index.into()];
    if ctx.has("no-typesetting") {
        let mut ids = Vec::new();
        desc.walk(&mut |e| ids.extend(e.ids.iter().cloned()));
        if !ids.is_empty() {
            let mut t = Element::new(crate::ast::Tag::Target, ctx.span);
            t.ids.extend(ids);
            out.push(t.into());
        }
    } else {
        out.push(desc.into());
    }
    out.extend(messages);
    out
}

/// Ids, target registration and index entries of one signature.
fn add_target_and_index(
    p: &mut Parser,
    objtype: &str,
    program: &Option<String>,
    first: &str,
    names: &[String],
    signode: &mut Element,
    entries: &mut Vec<IndexEntry>,
) {
    match objtype {
        "option" => {
            if let Some(prog) = program {
                signode.set(crate::ast::Attr::KbgenProgram, prog.clone());
            }
            for name in names {
                let mut prefix = String::from("cmdoption");
                if let Some(prog) = program {
                    prefix.push('-');
                    prefix.push_str(prog);
                }
                if !name.starts_with(['-', '/']) {
                    prefix.push_str("-arg");
                }
                let id = super::ids::make_object_id(&mut p.doc, &prefix, Some(name));
                signode.ids.push(id);
            }
            let _ = p.doc.note_explicit_target(signode, None);
            let descr = match program {
                Some(prog) => format!("{prog} command line option"),
                None => "command line option".to_string(),
            };
            let id = signode.ids.first().cloned().unwrap_or_default();
            for name in names {
                entries.push(IndexEntry {
                    kind: "pair",
                    value: format!("{descr}; {name}"),
                    target: id.clone(),
                    main: false,
                    key: None,
                });
            }
        }
        "envvar" => {
            let id = super::ids::make_object_id(&mut p.doc, "envvar", Some(first));
            signode.ids.push(id.clone());
            let _ = p.doc.note_explicit_target(signode, None);
            entries.push(IndexEntry::single(
                format!("environment variable; {first}"),
                &id,
                false,
            ));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::split_option;

    #[test]
    fn options_split_like_sphinx() {
        let s = split_option;
        assert_eq!(s("-x <foo>"), Some(("-x".into(), " <foo>".into())));
        assert_eq!(s("--xx=bar"), Some(("--xx".into(), "=bar".into())));
        assert_eq!(s("--opt[=val]"), Some(("--opt".into(), "[=val]".into())));
        assert_eq!(s("arg"), Some(("arg".into(), String::new())));
        assert_eq!(s(""), None);
    }
}
