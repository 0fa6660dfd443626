//! Oracles the fuzz targets apply to every input, beyond "no panic".
//!
//! This file is shared: the fuzz crate compiles it as a module, and the
//! regression tests include it with `#[path = "../fuzz/src/checks.rs"]`,
//! so a crash input replayed in `cargo test` meets exactly the assertions
//! that found it. It therefore depends on nothing but `kbgen` and `std`.

#![allow(dead_code)]
// `Config::parse` returns the crate's large `Diagnostic` by design (see lib.rs).
#![allow(clippy::result_large_err)]

use kbgen::ast::{Element, Node, Span};

/// Every span lies inside the input, on character boundaries, and a child's
/// span lies inside its parent's. Returns the first violation, described
/// with the path of tags from the root, so a minimised input explains itself.
///
/// Exempt from the nesting rule (not from the bounds rule): nodes with an
/// empty `0..0` span, which transforms generate with no source position;
/// nodes copied from a substitution definition, which keep the
/// definition's span so a problem inside points at the definition; and
/// system messages (with their children), which docutils places away from
/// the text they report on.
pub fn check_spans(doc: &Element, text: &str) -> Result<(), String> {
    let mut copied_from: Vec<Span> = Vec::new();
    doc.walk(&mut |e| {
        if e.tag == kbgen::ast::Tag::SubstitutionDefinition {
            copied_from.push(e.span);
        }
    });
    let copied = |s: Span| copied_from.iter().any(|d| span_inside(s, *d));
    walk_spans(doc, text, &mut Vec::new(), &copied)
}

fn span_in_bounds(span: Span, text: &str) -> bool {
    let (s, e) = (span.start as usize, span.end as usize);
    s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
}

fn span_inside(child: Span, parent: Span) -> bool {
    child.start >= parent.start && child.end <= parent.end
}

fn is_generated(span: Span) -> bool {
    span.start == 0 && span.end == 0
}

fn walk_spans(
    e: &Element,
    text: &str,
    path: &mut Vec<String>,
    copied: &dyn Fn(Span) -> bool,
) -> Result<(), String> {
    path.push(format!("{}@{}..{}", e.tag.name(), e.span.start, e.span.end));
    if !span_in_bounds(e.span, text) {
        return Err(format!(
            "span out of bounds (input is {} bytes): {}",
            text.len(),
            path.join(" > ")
        ));
    }
    for child in &e.children {
        let span = child.span();
        if !span_in_bounds(span, text) {
            return Err(format!(
                "child span {}..{} out of bounds (input is {} bytes) in {}",
                span.start,
                span.end,
                text.len(),
                path.join(" > ")
            ));
        }
        // docutils places system messages away from what they report on
        // (after the paragraph, in the definition for a term, in the
        // "Docutils System Messages" section); their span points at the
        // problem, which is what diagnostics need.
        let relocated = matches!(child, Node::Element(c) if c.tag == kbgen::ast::Tag::SystemMessage)
            || e.tag == kbgen::ast::Tag::SystemMessage;
        if !is_generated(span)
            && !is_generated(e.span)
            && !span_inside(span, e.span)
            && !copied(span)
            && !relocated
        {
            return Err(format!(
                "child span {}..{} not inside parent: {}",
                span.start,
                span.end,
                path.join(" > ")
            ));
        }
        if let Node::Element(c) = child {
            walk_spans(c, text, path, copied)?;
        }
    }
    path.pop();
    Ok(())
}

/// Elements that never have a closing tag in HTML5.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements that run code or change how the page loads; the writer never
/// produces them for content when raw HTML is off, so seeing one means page
/// text leaked into markup.
const ACTIVE: &[&str] = &[
    "script", "iframe", "object", "embed", "style", "base", "meta", "link", "form", "frame",
    "frameset", "applet",
];

/// What [`check_html`] forbids beyond well-formedness.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlPolicy {
    /// Raw HTML was allowed for this render, so active elements may appear.
    pub allow_active: bool,
    /// A whole page from the theme: `<!DOCTYPE>`, `<head>` elements and the
    /// theme's own `<script>`/`<style>` are expected (their contents are
    /// skipped as raw text), but event attributes and dangerous URLs are
    /// still refused.
    pub full_page: bool,
}

impl HtmlPolicy {
    /// For whole pages written by `kbgen build`.
    pub fn page() -> Self {
        HtmlPolicy {
            allow_active: false,
            full_page: true,
        }
    }
}

/// Checks that an HTML fragment from the writer is well-formed and inert:
/// tags balance (void elements excepted), attribute values are quoted and
/// contain no `<` or `"`, every `&` starts a character reference, no bare
/// `>` in text (the writer escapes it, so one means unescaped content), no
/// `on…=` event attributes, no active elements, and no `href`/`src` with a
/// `javascript:`, `vbscript:` or `data:` URL.
pub fn check_html(html: &str, policy: HtmlPolicy) -> Result<(), String> {
    let b = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    let ctx = |at: usize| {
        let mut s = at.saturating_sub(60);
        while !html.is_char_boundary(s) {
            s -= 1;
        }
        let mut e = (at + 60).min(html.len());
        while !html.is_char_boundary(e) {
            e += 1;
        }
        format!("at byte {at}: …{}…", &html[s..e])
    };
    while i < b.len() {
        match b[i] {
            b'<' => {
                if policy.full_page && html[i..].to_ascii_lowercase().starts_with("<!doctype") {
                    i += html[i..].find('>').map_or(html.len() - i, |e| e + 1);
                    continue;
                }
                if html[i..].starts_with("<!--") {
                    let end = html[i..]
                        .find("-->")
                        .ok_or_else(|| format!("unterminated comment {}", ctx(i)))?;
                    i += end + 3;
                    continue;
                }
                let closing = b.get(i + 1) == Some(&b'/');
                let name_start = i + 1 + closing as usize;
                let mut j = name_start;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
                    j += 1;
                }
                if j == name_start || !b[name_start].is_ascii_alphabetic() {
                    return Err(format!("bare '<' in text {}", ctx(i)));
                }
                let name = html[name_start..j].to_ascii_lowercase();
                if !policy.allow_active && !policy.full_page && ACTIVE.contains(&name.as_str()) {
                    return Err(format!("active element <{name}> {}", ctx(i)));
                }
                // Attributes.
                let mut self_closing = false;
                loop {
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    match b.get(j) {
                        None => return Err(format!("unterminated tag {}", ctx(i))),
                        Some(b'>') => {
                            j += 1;
                            break;
                        }
                        Some(b'/') if b.get(j + 1) == Some(&b'>') => {
                            self_closing = true;
                            j += 2;
                            break;
                        }
                        Some(_) if closing => {
                            return Err(format!("attributes on a closing tag {}", ctx(i)));
                        }
                        Some(_) => {}
                    }
                    let a = j;
                    while j < b.len()
                        && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'-' | b'_' | b':'))
                    {
                        j += 1;
                    }
                    if a == j {
                        return Err(format!("bad attribute name {}", ctx(j)));
                    }
                    let attr = html[a..j].to_ascii_lowercase();
                    if attr.starts_with("on") && attr.len() > 2 && !policy.allow_active {
                        return Err(format!("event handler attribute {attr} {}", ctx(a)));
                    }
                    if b.get(j) == Some(&b'=') {
                        if b.get(j + 1) != Some(&b'"') {
                            return Err(format!("unquoted attribute value {}", ctx(j)));
                        }
                        let v = j + 2;
                        let end = html[v..]
                            .find('"')
                            .ok_or_else(|| format!("unterminated attribute {}", ctx(j)))?;
                        let value = &html[v..v + end];
                        if value.contains('<') {
                            return Err(format!("'<' inside attribute value {}", ctx(v)));
                        }
                        check_entities(value)
                            .map_err(|at| format!("bare '&' in attribute value {}", ctx(v + at)))?;
                        if matches!(attr.as_str(), "href" | "src" | "action" | "formaction")
                            && kbgen::urls::is_dangerous_uri(&decode_entities(value))
                        {
                            return Err(format!("dangerous URL in {attr} {}", ctx(v)));
                        }
                        j = v + end + 1;
                    }
                }
                if closing {
                    match stack.pop() {
                        Some(open) if open == name => {}
                        Some(open) => {
                            return Err(format!("</{name}> closes <{open}> {}", ctx(i)));
                        }
                        None => return Err(format!("</{name}> with nothing open {}", ctx(i))),
                    }
                } else if !self_closing && !VOID.contains(&name.as_str()) {
                    if matches!(name.as_str(), "script" | "style") && policy.full_page {
                        // Raw text element of the theme: skip to its end tag.
                        let close = format!("</{name}");
                        let end = html[j..]
                            .to_ascii_lowercase()
                            .find(&close)
                            .ok_or_else(|| format!("<{name}> never closed {}", ctx(i)))?;
                        if html[j..j + end].contains("alert(") {
                            return Err(format!("page payload inside <{name}> {}", ctx(j)));
                        }
                        j += end;
                    }
                    stack.push(name);
                }
                i = j;
            }
            b'>' => return Err(format!("bare '>' in text {}", ctx(i))),
            b'&' => {
                let rest = &html[i..];
                let n = entity_len(rest).ok_or_else(|| format!("bare '&' {}", ctx(i)))?;
                i += n;
            }
            _ => i += 1,
        }
    }
    match stack.last() {
        Some(open) => Err(format!("<{open}> never closed ({} open)", stack.len())),
        None => Ok(()),
    }
}

/// Length of the character reference at the start of `s` (`&amp;`, `&#39;`, `&#x27;`).
fn entity_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut j = 1;
    if b.get(1) == Some(&b'#') {
        j = 2;
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        if hex {
            j = 3;
        }
        let start = j;
        while j < b.len()
            && (if hex {
                b[j].is_ascii_hexdigit()
            } else {
                b[j].is_ascii_digit()
            })
        {
            j += 1;
        }
        if j == start {
            return None;
        }
    } else {
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == 1 {
            return None;
        }
    }
    (b.get(j) == Some(&b';')).then_some(j + 1)
}

fn check_entities(value: &str) -> Result<(), usize> {
    let mut i = 0;
    while let Some(p) = value[i..].find('&') {
        let at = i + p;
        match entity_len(&value[at..]) {
            Some(n) => i = at + n,
            None => return Err(at),
        }
    }
    Ok(())
}

/// Decodes the references the writer produces (and numeric ones), so a URL
/// hidden as `&#106;avascript:` is still recognised.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('&')
            && let Some(n) = entity_len(rest)
        {
            let body = &rest[1..n - 1];
            let c = match body {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if body.starts_with("#x") || body.starts_with("#X") => {
                    u32::from_str_radix(&body[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if body.starts_with('#') => body[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            if let Some(c) = c {
                out.push(c);
                i += n;
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or('\0');
        out.push(c);
        i += c.len_utf8().max(1);
    }
    out
}

/// Runs `f` twice and demands identical results: parsing and rendering
/// must not depend on hash-map order, addresses or time.
pub fn check_deterministic<T: PartialEq + std::fmt::Debug>(
    what: &str,
    mut f: impl FnMut() -> T,
) -> Result<T, String> {
    let a = f();
    let b = f();
    if a != b {
        return Err(format!("{what} differs between two runs on the same input"));
    }
    Ok(a)
}

/// The highlighter is expensive to load (syntect's syntax set); load it once
/// per process.
pub fn highlighter() -> &'static kbgen::render::highlight::Highlighter {
    static H: std::sync::OnceLock<kbgen::render::highlight::Highlighter> =
        std::sync::OnceLock::new();
    H.get_or_init(kbgen::render::highlight::Highlighter::new)
}

/// Renders a tree's body with the default context.
pub fn render(doc: &Element) -> String {
    let ctx = kbgen::render::html::HtmlContext {
        highlighter: highlighter(),
    };
    kbgen::render::html::render_body(doc, &ctx)
}

/// Text planted next to the fuzzing content folder: if it ever appears in
/// a parsed tree or a diagnostic, a path escaped the content folder.
pub const SECRET: &str = "KBGEN-FUZZ-SECRET-OUTSIDE-CONTENT";

/// A throw-away site for the per-page pipeline: an empty config (raw HTML
/// off, the defaults contributors get), a content folder holding one
/// includable file, and a secret file just outside it.
pub fn fuzz_site(allow_raw: bool) -> kbgen::site::Site {
    static ROOT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let root = ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("kbgen-fuzz-site-{}", std::process::id()));
        let _ = std::fs::create_dir_all(root.join("content/sub"));
        let _ = std::fs::write(root.join("content/inc.rst"), "Included *text*.\n");
        let _ = std::fs::write(root.join("content/sub/inc.txt"), "Sub text.\n");
        let _ = std::fs::write(root.join("secret.txt"), format!("{SECRET}\n"));
        let _ = std::fs::write(root.join("secret.png"), SECRET);
        root
    });
    let mut config = kbgen::config::Config::default();
    config.rst.allow_raw = allow_raw;
    kbgen::site::Site::new(config, &root.join("book.toml"))
}

/// Everything the per-page pipeline produced for one input.
#[derive(Debug, PartialEq)]
pub struct PageResult {
    pub doc: Element,
    pub pseudoxml: String,
    pub html: String,
    pub diagnostics: Vec<kbgen::diag::Diagnostic>,
}

/// One page through the build's own per-page path: parse (RST or
/// Markdown), passes (XML examples, metadata, system messages), pseudo-XML
/// and the HTML writer.
pub fn run_page(site: &kbgen::site::Site, rel: &str, text: &str) -> PageResult {
    let kind = kbgen::source::discover::page_kind(std::path::Path::new(rel))
        .unwrap_or(kbgen::source::PageKind::Rst);
    let page = kbgen::source::PageSource {
        path: site.source_dir.join(rel),
        rel: rel.to_string(),
        kind,
    };
    let source = kbgen::source::SourceFile::new(format!("content/{rel}"), text);
    let (doc, diagnostics) = kbgen::site::parse_page(site, &page, &source);
    PageResult {
        pseudoxml: kbgen::ast::to_pseudoxml(&doc),
        html: render(&doc),
        doc,
        diagnostics,
    }
}

/// All oracles on one page: deterministic, spans sound, HTML well-formed
/// and inert, nothing from outside the content folder, diagnostics inside
/// the file.
pub fn page_oracles(rel: &str, text: &str) -> Result<(), String> {
    let site = fuzz_site(false);
    let source = kbgen::source::SourceFile::new(rel, text);
    let r = check_deterministic("page tree, pseudo-XML, HTML and diagnostics", || {
        run_page(&site, rel, text)
    })?;
    check_spans(&r.doc, &source.text)?;
    if !r.pseudoxml.starts_with("<document") {
        return Err(format!(
            "pseudo-XML does not start with <document: {:?}",
            &r.pseudoxml.get(..40)
        ));
    }
    check_html(&r.html, HtmlPolicy::default())?;
    let leaked = r.pseudoxml.contains(SECRET)
        || r.html.contains(SECRET)
        || r.diagnostics
            .iter()
            .any(|d| format!("{d:?}").contains(SECRET));
    if leaked && !text.contains(SECRET) {
        return Err("a file outside the content folder was read".into());
    }
    for d in &r.diagnostics {
        if let Some(loc) = &d.location
            && loc.file.ends_with(rel)
            && (loc.line as usize) > source.line_count()
        {
            return Err(format!(
                "diagnostic at line {} past the end ({} lines): {}",
                loc.line,
                source.line_count(),
                d.message
            ));
        }
    }
    Ok(())
}

/// The RST path: text → AST → pseudo-XML → HTML, with every oracle.
pub fn rst_pipeline(text: &str) -> Result<(), String> {
    page_oracles("fuzz.rst", text)
}

/// The Markdown path, with the same oracles.
pub fn markdown_pipeline(text: &str) -> Result<(), String> {
    page_oracles("fuzz.md", text)
}

/// XML example extraction and validation: the input becomes an XML example
/// in a page (the way examples reach the validator), and is also parsed on
/// its own with roxmltree's limits. Either way: a result (valid, invalid,
/// not well-formed) or a diagnostic, never a panic, a hang or an
/// entity-expansion blow-up, twice the same.
pub fn xml_pipeline(text: &str) -> Result<(), String> {
    let mut page = String::from("XML\n===\n\n.. code:: xml\n\n");
    for line in text.lines() {
        page.push_str("   ");
        page.push_str(line);
        page.push('\n');
    }
    page.push_str("\nAnd as a literal block::\n\n");
    for line in text.lines() {
        page.push_str("   ");
        page.push_str(line);
        page.push('\n');
    }
    page_oracles("xml.rst", &page)?;
    let _ = check_deterministic("XML parse result", || {
        let opts = roxmltree_options();
        roxmltree::Document::parse_with_options(text, opts)
            .map(|d| d.descendants().count())
            .map_err(|e| e.to_string())
    })?;
    Ok(())
}

fn roxmltree_options<'a>() -> roxmltree::ParsingOptions<'a> {
    roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: 1_000_000,
        ..Default::default()
    }
}

/// `book.toml` loading: any text gives a config or a diagnostic with a
/// location inside the file; the result is the same twice.
pub fn config_pipeline(text: &str) -> Result<(), String> {
    let source = kbgen::source::SourceFile::new("book.toml", text);
    let r = check_deterministic("config parse", || kbgen::config::Config::parse(&source))?;
    match r {
        Ok(c) => {
            let _ = c.base_path();
        }
        Err(d) => {
            if let Some(loc) = &d.location
                && (loc.line as usize) > source.line_count()
            {
                return Err(format!(
                    "diagnostic line {} past the end ({} lines)",
                    loc.line,
                    source.line_count()
                ));
            }
            if d.message.is_empty() {
                return Err("config error without a message".into());
            }
        }
    }
    Ok(())
}
