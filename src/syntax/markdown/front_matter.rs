//! Front matter of a Markdown page: TOML between `+++` lines or YAML
//! between `---` lines. Only the keys kbgen understands are read (title,
//! category, short title, description), so a small hand-written
//! `key: value` reader is enough for YAML and no YAML crate is pulled in.
//! Unknown keys are ignored: front matter written for other tools (Hugo,
//! Jekyll) keeps working.

use crate::ast::Span;

/// One recognised key with its value and the span of its line, so the
/// fields built from it point into the `.md` file.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontField {
    /// Normalised key: `title`, `category`, `short-title` or `description`.
    pub key: &'static str,
    pub value: String,
    pub span: Span,
}

/// Problems found while reading front matter: message and span.
pub type Problem = (String, Span);

/// Which syntax the block uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Toml,
    Yaml,
}

/// A front matter block at the start of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub style: Style,
    /// Byte range of the content between the delimiter lines.
    pub content: std::ops::Range<usize>,
    /// Where the page's Markdown starts: after the closing line.
    pub end: usize,
}

/// Finds front matter at the very start of the page: a `+++` or `---`
/// line (trailing spaces allowed), content that does not start with a
/// blank line, and a closing `+++` (or `---` / `...` for YAML) line.
/// Only there: pulldown-cmark would also take such a block after any
/// blank line, where CommonMark reads a thematic break and a setext
/// heading.
pub fn split(text: &str) -> Option<Block> {
    let first = text.split_inclusive('\n').next()?;
    let style = match first.trim_end_matches([' ', '\t', '\n']) {
        "+++" => Style::Toml,
        "---" => Style::Yaml,
        _ => return None,
    };
    if !first.ends_with('\n') {
        return None;
    }
    let start = first.len();
    let mut pos = start;
    for line in text[start..].split_inclusive('\n') {
        let bare = line.trim_end_matches([' ', '\t', '\n']);
        if pos == start && bare.trim().is_empty() {
            return None;
        }
        let closes = match style {
            Style::Toml => bare == "+++",
            Style::Yaml => bare == "---" || bare == "...",
        };
        if closes {
            return (pos > start).then(|| Block {
                style,
                content: start..pos,
                end: pos + line.len(),
            });
        }
        pos += line.len();
    }
    None
}

/// Reads the block whose content (between the delimiter lines) is
/// `text`, starting at byte `offset` of the page.
pub fn parse(text: &str, offset: usize, style: Style) -> (Vec<FrontField>, Vec<Problem>) {
    match style {
        Style::Toml => parse_toml(text, offset),
        Style::Yaml => (parse_yaml(text, offset), Vec::new()),
    }
}

/// Maps the spellings people use (`short_title`, `shortTitle`) to kbgen's key.
fn known_key(key: &str) -> Option<&'static str> {
    match key
        .trim()
        .to_ascii_lowercase()
        .replace(['_', ' '], "-")
        .as_str()
    {
        "title" => Some("title"),
        "category" => Some("category"),
        "short-title" | "shorttitle" => Some("short-title"),
        "description" => Some("description"),
        _ => None,
    }
}

/// Span of the first line of `text` that starts with `key` (the value's line).
fn key_line_span(text: &str, offset: usize, key: &str) -> Span {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches(['"', '\'']);
        if trimmed.starts_with(key) {
            let lead = line.len() - line.trim_start().len();
            let end = pos + line.trim_end().len();
            return Span::new(offset + pos + lead, offset + end);
        }
        pos += line.len();
    }
    Span::new(offset, offset + text.len())
}

fn parse_toml(text: &str, offset: usize) -> (Vec<FrontField>, Vec<Problem>) {
    let table = match text.parse::<toml::Table>() {
        Ok(t) => t,
        Err(e) => {
            let span = e
                .span()
                .map(|r| Span::new(offset + r.start, offset + r.end))
                .unwrap_or_else(|| Span::new(offset, offset + text.len()));
            return (
                Vec::new(),
                vec![(format!("invalid TOML front matter: {}", e.message()), span)],
            );
        }
    };
    let mut fields = Vec::new();
    let mut problems = Vec::new();
    for (key, value) in &table {
        let Some(known) = known_key(key) else {
            continue;
        };
        let span = key_line_span(text, offset, key);
        match value.as_str() {
            Some(s) => fields.push(FrontField {
                key: known,
                value: s.to_string(),
                span,
            }),
            None => problems.push((format!("front matter key `{key}` must be a string"), span)),
        }
    }
    fields.sort_by_key(|f| f.span.start);
    (fields, problems)
}

/// The YAML subset kbgen reads: `key: value` lines, values optionally
/// quoted, `#` comments, and `|` / `>` block scalars whose indented lines
/// follow. Lists and nested maps are skipped.
fn parse_yaml(text: &str, offset: usize) -> Vec<FrontField> {
    let lines: Vec<(usize, &str)> = {
        let mut pos = 0;
        text.split_inclusive('\n')
            .map(|l| {
                let start = pos;
                pos += l.len();
                (start, l.trim_end_matches(['\n', '\r']))
            })
            .collect()
    };
    let mut fields = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        i += 1;
        if line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        let Some(colon) = line.find(':') else {
            continue;
        };
        let (key, rest) = (&line[..colon], line[colon + 1..].trim());
        let key = key.trim().trim_matches(['"', '\'']);
        let Some(known) = known_key(key) else {
            continue;
        };
        let mut end = start + line.len();
        let value = if rest.starts_with('|') || rest.starts_with('>') {
            let folded = rest.starts_with('>');
            let mut parts = Vec::new();
            while i < lines.len()
                && (lines[i].1.starts_with([' ', '\t']) || lines[i].1.trim().is_empty())
            {
                parts.push(lines[i].1.trim());
                end = lines[i].0 + lines[i].1.len();
                i += 1;
            }
            while parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
            parts.join(if folded { " " } else { "\n" })
        } else {
            yaml_scalar(rest)
        };
        fields.push(FrontField {
            key: known,
            value,
            span: Span::new(offset + start, offset + end),
        });
    }
    fields
}

/// A one-line YAML scalar: quoted (with `''` / `\"` escapes) or plain
/// (a ` #` starts a comment).
fn yaml_scalar(raw: &str) -> String {
    if let Some(inner) = raw.strip_prefix('\'') {
        let body = inner.strip_suffix('\'').unwrap_or(inner);
        return body.replace("''", "'");
    }
    if let Some(inner) = raw.strip_prefix('"') {
        let body = inner.strip_suffix('"').unwrap_or(inner);
        let mut out = String::with_capacity(body.len());
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    let without_comment = match raw.find(" #") {
        Some(i) => &raw[..i],
        None => raw,
    };
    without_comment.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_front_matter_only_at_the_start() {
        let toml = split("+++\ntitle = \"T\"\n+++\nbody\n").unwrap();
        assert_eq!(
            (toml.style, toml.content, toml.end),
            (Style::Toml, 4..16, 20)
        );
        let yaml = split("---  \ntitle: T\n...\n").unwrap();
        assert_eq!(
            (yaml.style, yaml.content, yaml.end),
            (Style::Yaml, 6..15, 19)
        );
        assert_eq!(split("---\ntitle: T\n---").map(|b| b.end), Some(16));
        for not_front in [
            "text\n\n---\ntitle: T\n---\n",
            "---\n---\n",
            "---\n\ntitle: T\n---\n",
            "---\ntitle: T\n",
            "--- -\ntitle: T\n---\n",
            "+++\ntitle = 1\n---\n",
            "---",
        ] {
            assert_eq!(split(not_front), None, "{not_front:?}");
        }
    }

    #[test]
    fn yaml_keys_quotes_comments_and_blocks() {
        let text = "title: \"Hello: world\"\ncategory: Virtualization # note\nshort_title: 'It''s'\ndescription: >\n  one\n  two\ntags:\n  - a\n";
        let fields = parse_yaml(text, 4);
        let got: Vec<_> = fields.iter().map(|f| (f.key, f.value.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("title", "Hello: world"),
                ("category", "Virtualization"),
                ("short-title", "It's"),
                ("description", "one two"),
            ]
        );
        assert_eq!(fields[1].span, Span::new(4 + 22, 4 + 22 + 31));
    }

    #[test]
    fn toml_reads_strings_and_reports_errors() {
        let (fields, problems) = parse_toml("title = \"T\"\nweight = 3\ncategory = \"C\"\n", 0);
        assert!(problems.is_empty());
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[1].span, Span::new(23, 37));
        let (_, problems) = parse_toml("title = \n", 10);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].1.start >= 10);
        let (_, problems) = parse_toml("title = 3\n", 0);
        assert!(problems[0].0.contains("string"));
    }
}
