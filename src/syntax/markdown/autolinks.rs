//! GitHub's extended autolinks: `www.example.com`, `https://…`, `http://…`,
//! `ftp://…` and `user@example.com` written as plain text become links, as
//! GitHub shows them (GFM spec 0.28, "Autolinks (extension)").
//! pulldown-cmark has no such extension, so this runs on the text the
//! builder collected: text inside links, code, raw HTML and front matter
//! is left alone.

use crate::ast::Attr;
use crate::ast::{Element, Node, Span, Tag};

/// Turns the bare URLs and e-mail addresses in the text children of `e`
/// into `reference` elements. The builder calls it when it closes an
/// element it gave text with a mark in it ([`has_mark`]), never for link
/// text, code, raw HTML or front matter, so no walk over the tree is needed.
pub fn link_children(e: &mut Element) {
    let children = std::mem::take(&mut e.children);
    let mut after_delimiter = true; // start of the element
    for child in children {
        match child {
            Node::Text(t) if has_mark(&t.text) => {
                split_text(&t.text, t.span, after_delimiter, &mut e.children);
                after_delimiter = false;
            }
            Node::Element(el) => {
                // Emphasis, strikethrough and breaks end with `*`, `_`, `~`
                // or a line end, after which a link may start.
                after_delimiter = matches!(
                    el.tag,
                    Tag::Emphasis | Tag::Strong | Tag::Inline | Tag::LineBreak
                );
                e.children.push(Node::Element(el));
            }
            other => {
                after_delimiter = false;
                e.children.push(other);
            }
        }
    }
}

/// Cheap test before the scan: every autolink holds one of these marks.
/// Called on every piece of text the builder receives, so it is one
/// SIMD scan (memchr) for the marks' telltale bytes.
pub fn has_mark(text: &str) -> bool {
    next_mark(text, 0).is_some()
}

/// What kind of link starts at a position, and where it ends.
struct Found {
    start: usize,
    end: usize,
    href: String,
}

/// Splits `text` into text and `reference` nodes, appended to `out`.
/// Only the marks every link holds (`www.`, `://`, `@`) are looked at.
fn split_text(text: &str, span: Span, at_boundary: bool, out: &mut Vec<Node>) {
    let mut done = 0;
    let mut pos = 0;
    while let Some(mark) = next_mark(text, pos) {
        match link_at_mark(text, mark, done, at_boundary) {
            Some(f) => {
                if f.start > done {
                    out.push(Node::text(&text[done..f.start], span));
                }
                let mut link = Element::new(Tag::Reference, span);
                link.set(Attr::Refuri, f.href);
                link.push_text(&text[f.start..f.end], span);
                out.push(link.into());
                done = f.end;
                pos = f.end;
            }
            // Every mark starts with an ASCII byte: `mark + 1` is a boundary.
            None => pos = mark + 1,
        }
    }
    if done < text.len() {
        out.push(Node::text(&text[done..], span));
    }
}

/// The first `www.`, `://` or `@` at or after `from`: each has an `@`,
/// `:` or `.` byte, found with memchr and then checked.
fn next_mark(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'@', b':', b'.', &bytes[from..])
        .map(|i| from + i)
        .find_map(|i| match bytes[i] {
            b'@' => Some(i),
            b':' if bytes[i + 1..].starts_with(b"//") => Some(i),
            b'.' if i >= from + 3 && &bytes[i - 3..i] == b"www" => Some(i - 3),
            _ => None,
        })
}

/// The link a mark belongs to: a www link starting at it, a URL whose
/// `://` it is, or an e-mail address around its `@` (starting after
/// `floor`, the end of the previous link).
fn link_at_mark(text: &str, mark: usize, floor: usize, at_boundary: bool) -> Option<Found> {
    let boundary = |at: usize| {
        if at == 0 {
            return at_boundary;
        }
        text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_whitespace() || matches!(c, '*' | '_' | '~' | '('))
    };
    let rest = &text[mark..];
    if rest.starts_with('@') {
        return email_at(text, mark, floor);
    }
    if rest.starts_with("www.") {
        if !boundary(mark) {
            return None;
        }
        let end = mark + link_length(rest)?;
        return Some(Found {
            start: mark,
            end,
            href: format!("http://{}", &text[mark..end]),
        });
    }
    let scheme = ["https", "http", "ftp"]
        .into_iter()
        .find(|s| text[floor..mark].ends_with(s))?;
    let start = mark - scheme.len();
    if !boundary(start) {
        return None;
    }
    let end = mark + 3 + link_length(&rest[3..])?;
    Some(Found {
        start,
        end,
        href: text[start..end].to_string(),
    })
}

/// Length of a www or URL link's domain and path at the start of `text`
/// (`None` when the domain is not valid), after GFM's trimming of trailing
/// punctuation, unbalanced `)` and entity-like `&name;`.
fn link_length(text: &str) -> Option<usize> {
    let domain = text
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(text.len());
    let mut end = text[domain..]
        .find(|c: char| c.is_whitespace() || c == '<')
        .map_or(text.len(), |i| domain + i);
    loop {
        let link = &text[..end];
        let trimmed = link.trim_end_matches(['?', '!', '.', ',', ':', '*', '_', '~']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches(')').count() > trimmed.matches('(').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else if trimmed.ends_with(';') {
            entity_like_start(trimmed).map_or(trimmed, |i| &trimmed[..i])
        } else {
            trimmed
        };
        if trimmed.len() == end {
            break;
        }
        end = trimmed.len();
    }
    valid_domain(&text[..domain.min(end)]).then_some(end)
}

/// Start of a trailing `&name;` (alphanumeric name).
fn entity_like_start(text: &str) -> Option<usize> {
    let body = text.strip_suffix(';')?;
    let amp = body.rfind('&')?;
    let name = &body[amp + 1..];
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())).then_some(amp)
}

/// Segments of alphanumerics, `-` and `_` separated by `.`: at least one
/// period, no underscore in the last two segments.
fn valid_domain(domain: &str) -> bool {
    let segments: Vec<&str> = domain
        .strip_suffix('.')
        .unwrap_or(domain)
        .split('.')
        .collect();
    segments.len() >= 2
        && segments.iter().all(|s| !s.is_empty())
        && segments.iter().rev().take(2).all(|s| !s.contains('_'))
}

/// `local@domain` around the `@` at `at`: the local part of ASCII
/// alphanumerics and `.-_+` (as long as it goes back, not before
/// `floor`), the domain of alphanumerics and `-_` with at least one
/// period, not ending in `-` or `_` (a final `.` is not part of it).
fn email_at(text: &str, at: usize, floor: usize) -> Option<Found> {
    let is_local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+');
    let start = text[floor..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_local(*c))
        .last()
        .map(|(i, _)| floor + i)?;
    let after = &text[at + 1..];
    let mut len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(after.len());
    if after[..len].ends_with('.') {
        len -= 1;
    }
    let domain = &after[..len];
    if !domain.contains('.') || domain.ends_with(['-', '_']) || domain.starts_with('.') {
        return None;
    }
    let end = at + 1 + len;
    Some(Found {
        start,
        end,
        href: format!("mailto:{}", &text[start..end]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::to_pseudoxml;

    /// The text and links of one paragraph holding `text`.
    fn linked(text: &str) -> Vec<(String, Option<String>)> {
        let mut para = Element::new(Tag::Paragraph, Span::new(0, text.len()));
        para.push_text(text, Span::new(0, text.len()));
        link_children(&mut para);
        para.children
            .iter()
            .map(|c| match c {
                Node::Text(t) => (t.text.clone(), None),
                Node::Element(e) => (e.astext(), e.get(Attr::Refuri).map(str::to_string)),
            })
            .collect()
    }

    fn links(text: &str) -> Vec<String> {
        linked(text).into_iter().filter_map(|(_, l)| l).collect()
    }

    #[test]
    fn www_links_get_http_and_lose_trailing_punctuation() {
        assert_eq!(links("www.commonmark.org"), ["http://www.commonmark.org"]);
        assert_eq!(
            links("Visit www.commonmark.org/a.b."),
            ["http://www.commonmark.org/a.b"]
        );
        assert_eq!(
            linked("Visit www.commonmark.org."),
            [
                ("Visit ".to_string(), None),
                (
                    "www.commonmark.org".to_string(),
                    Some("http://www.commonmark.org".to_string())
                ),
                (".".to_string(), None)
            ]
        );
    }

    #[test]
    fn parentheses_and_entities_are_balanced_off() {
        assert_eq!(
            links("(www.google.com/search?q=Markup+(business))"),
            ["http://www.google.com/search?q=Markup+(business)"]
        );
        assert_eq!(
            links("www.google.com/search?q=(business))+ok"),
            ["http://www.google.com/search?q=(business))+ok"]
        );
        assert_eq!(
            links("www.google.com/search?q=commonmark&hl;"),
            ["http://www.google.com/search?q=commonmark"]
        );
        assert_eq!(
            links("www.commonmark.org/he<lp"),
            ["http://www.commonmark.org/he"]
        );
    }

    #[test]
    fn schemes_and_domains() {
        assert_eq!(links("ftp://foo.bar.baz."), ["ftp://foo.bar.baz"]);
        assert_eq!(links("see https://a.b/c"), ["https://a.b/c"]);
        assert!(links("http://localhost").is_empty());
        assert!(links("www.a_b.c_d").is_empty());
        assert!(links("xwww.a.b").is_empty(), "not after a letter");
    }

    #[test]
    fn email_addresses() {
        assert_eq!(links("foo@bar.baz"), ["mailto:foo@bar.baz"]);
        assert_eq!(
            links("hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is."),
            ["mailto:hello+xyz@mail.example"]
        );
        assert_eq!(links("a.b-c_d@a.b."), ["mailto:a.b-c_d@a.b"]);
        assert!(links("a.b-c_d@a.b-").is_empty());
        assert!(links("a.b-c_d@a.b_").is_empty());
        assert!(links("@a.b").is_empty());
    }

    #[test]
    fn multibyte_text_around_links_is_kept() {
        let mut para = Element::new(Tag::Paragraph, Span::new(0, 10));
        para.push_text(" ünï www.ä.org ö@x", Span::new(0, 10));
        link_children(&mut para);
        let dump = to_pseudoxml(&para);
        assert!(dump.contains("refuri=\"http://www.ä.org\""), "{dump}");
        assert!(dump.contains("ö@x"), "{dump}");
    }
}
