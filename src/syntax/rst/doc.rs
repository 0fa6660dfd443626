//! Document-wide bookkeeping shared by the parser and the transforms:
//! the id and name registries (`document.ids`, `names`, `nametypes`,
//! `id_counter`), the reporter that builds `system_message` elements, and
//! the registries of roles, substitutions and references.

use crate::ast::Attr;
use crate::diag::Severity;
// Fx hashing: the registries are keyed by short names and ids made from
// the page, hashed several times per title, target and reference (SipHash
// was a percent of the parse).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::ast::ids::make_id;
use crate::ast::{Element, Span, Tag};

/// What the name registry remembers about a registered element, standing
/// in for docutils' reference to the node itself.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    pub id: String,
    pub refuri: Option<String>,
    pub refname: Option<String>,
}

/// Appends `n` in decimal (what `format!("{n}")` gives, without the
/// formatting machinery).
fn push_decimal(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// docutils' `document` bookkeeping.
#[derive(Debug, Default)]
pub struct Doc {
    pub source_name: String,
    pub ids: HashSet<String>,
    id_counter: HashMap<String, usize>,
    /// `document.names`: `None` marks a name that became a dupname.
    pub names: HashMap<String, Option<NodeInfo>>,
    pub nametypes: HashMap<String, bool>,
    /// Names to move to `dupnames` on the element with the given id, applied after parsing.
    pub dup_fixups: Vec<(String, String)>,
    /// Custom roles from `.. role::`: name → (base role, classes).
    pub roles: HashMap<String, (String, Vec<String>)>,
    /// Role for `` `text` `` without a role (`.. default-role::`).
    pub default_role: Option<String>,
    /// Messages to insert into the current parent before the next element
    /// (docutils' `msgnode` for inline targets).
    pub parent_messages: Vec<Element>,
    /// Whether `raw` (and roles derived from it) may be used.
    pub allow_raw: bool,
    /// See [`super::RstOptions::code_tokens`].
    pub code_tokens: bool,
    /// docutils' `syntax_highlight`, for the `code` role's tokens.
    pub syntax_highlight: super::SyntaxHighlight,
    /// Text nodes keep docutils' NUL escape markers (a NUL before each
    /// backslash-escaped character) until the smart quotes transform has
    /// seen them: an escaped quote stays straight. Removed after the
    /// transforms ([`crate::ast::unescape_nul`]).
    pub keep_escapes: bool,
    /// See [`super::RstOptions::matching_ids`].
    pub matching_ids: bool,
    /// The included file whose lines are being parsed, as messages name
    /// it (`None`: the page itself).
    pub current_source: Option<String>,
    /// See [`super::RstOptions::recognition`].
    pub recognition: super::chars::Recognition,
    /// Keys given so far to implicit targets without ids ([`Attr::InternalKey`]).
    keys: usize,
    /// Ids to give, after parsing, to the implicit target with the key
    /// (docutils sets an old duplicate's id when the duplicate appears).
    pub key_ids: Vec<(String, String)>,
    /// Title styles in order of first use.
    pub title_styles: Vec<String>,
    /// Inline markup problems (unclosed start-strings etc.) reported so far;
    /// past [`MAX_INLINE_PROBLEMS`] they become plain text.
    pub inline_problems: usize,
    /// Span of the first inline problem not reported because of the cap.
    pub inline_problems_capped: Option<Span>,
    /// Unknown or duplicate reference names reported so far (by the
    /// references transform), capped like inline problems.
    pub reference_problems: usize,
    /// Span of the first reference problem not reported because of the cap.
    pub reference_problems_capped: Option<Span>,
    /// What `include` directives have brought into this page so far, in
    /// bytes plus [`INCLUDE_COST`] per inclusion; see [`MAX_INCLUDED_BYTES`].
    pub included_bytes: u64,
    /// Whether the include limit was reported: later inclusions are
    /// skipped without one message each.
    pub include_limit_reported: bool,
    /// Ids of the footnotes `TargetNotes` made: docutils numbers them
    /// after every footnote the parser made, wherever they stand.
    pub target_note_footnotes: Vec<String>,
    /// The lowest level of any system message made so far (`None`: none
    /// yet): FilterMessages has nothing to remove when it is at or above
    /// the report level. A `Cell` because messages are made through `&self`.
    lowest_message: std::cell::Cell<Option<u8>>,
    /// Messages the parser made but attached nowhere (a duplicate `:name:`
    /// on a `rubric`): docutils' Messages transform reports them.
    pub dangling_messages: Vec<Element>,
    /// docutils' `auto_id_prefix` when it is not the default `%` (Sphinx
    /// sets `id`: automatic ids are `id1`, `id2`, … from one counter).
    pub auto_id_prefix: Option<&'static str>,
    /// docutils' `language_code` (empty: English).
    pub language_code: String,
    /// Directive and role names a language lookup found (docutils reports
    /// each once).
    pub found_names: super::languages::NameCache,
    /// The page's Sphinx state; `None` for plain docutils pages.
    pub sphinx: Option<Box<super::sphinx::SphinxDoc>>,
}

/// Most a page may include, all `include` directives together: the
/// file-size limit. Files that include the next file several times, a few
/// levels deep, multiply (32 KB of sources took 34 s and 1.1 GB).
pub const MAX_INCLUDED_BYTES: u64 = crate::source::MAX_FILE_BYTES;
/// Budget charged per inclusion on top of its size, so a tiny file
/// included millions of times is stopped too.
pub const INCLUDE_COST: u64 = 1024;

/// Most inline markup problems reported per page. Each costs a
/// `problematic` node and a system message (a few KiB), so without a cap
/// a 16 MiB page of lone backquotes would need gigabytes; past the cap the
/// start-strings stay plain text and one error says so.
pub const MAX_INLINE_PROBLEMS: usize = 1_000;

impl Doc {
    pub fn new(source_name: String, allow_raw: bool) -> Doc {
        Doc {
            source_name,
            allow_raw,
            ..Default::default()
        }
    }

    /// The lowest level of any system message made so far.
    pub fn lowest_message_level(&self) -> Option<u8> {
        self.lowest_message.get()
    }

    /// `document.create_id`.
    pub fn create_id(&mut self, el: &Element, suggested_prefix: &str) -> String {
        let mut base_id = String::new();
        for name in &el.names {
            base_id = make_id(name);
            if !base_id.is_empty() && !self.ids.contains(&base_id) {
                return base_id;
            }
        }
        // Built with `push_str` rather than `format!`: a table of contents
        // makes an id per entry, and formatting was half of the cost.
        let mut prefix = String::new();
        if let Some(auto) = self.auto_id_prefix {
            prefix.push_str(auto);
        } else if !base_id.is_empty() {
            prefix = base_id;
            prefix.push('-');
        } else if let Some(d) = el
            .dupnames
            .first()
            .map(|d| make_id(d))
            .filter(|d| !d.is_empty())
        {
            prefix = d;
            prefix.push('-');
        } else if !suggested_prefix.is_empty() {
            prefix.push_str(suggested_prefix);
            prefix.push('-');
        } else {
            prefix = make_id(el.tag.name());
            prefix.push('-');
        }
        let counter = match self.id_counter.get_mut(&prefix) {
            Some(n) => n,
            None => self.id_counter.entry(prefix.clone()).or_insert(0),
        };
        loop {
            *counter += 1;
            let mut id = String::with_capacity(prefix.len() + 4);
            id.push_str(&prefix);
            push_decimal(&mut id, *counter);
            if !self.ids.contains(&id) {
                return id;
            }
        }
    }

    /// `document.set_id`: gives the element an id if it has none, registers its ids.
    pub fn set_id(&mut self, el: &mut Element, suggested_prefix: &str) -> String {
        self.register_ids(el, suggested_prefix);
        el.ids.last().cloned().unwrap_or_default()
    }

    /// [`Doc::set_id`] for a caller that does not need the id back (no
    /// copy of it made); an id already registered is not copied again.
    pub fn register_ids(&mut self, el: &mut Element, suggested_prefix: &str) {
        if el.ids.is_empty() {
            let id = self.create_id(el, suggested_prefix);
            el.ids.push(id);
        }
        for id in &el.ids {
            if !self.ids.contains(id) {
                self.ids.insert(id.clone());
            }
        }
    }

    /// `document.note_names` + `set_duplicate_name`; returns a message to insert, if any.
    pub fn note_names(
        &mut self,
        el: &mut Element,
        explicit: bool,
        line: Option<usize>,
        span: Span,
    ) -> Vec<Element> {
        let mut msgs = Vec::new();
        for name in el.names.clone() {
            if let Some(old) = self.names.get(&name).cloned() {
                // `self.names[name] != node`: a node is never registered twice here
                let old_explicit = self.nametypes.get(&name).copied().unwrap_or(false);
                self.nametypes
                    .insert(name.clone(), old_explicit || explicit);
                let refuri = el.get(Attr::Refuri).map(str::to_string);
                let refname = el.get(Attr::Refname).map(str::to_string);
                let mut level = None;
                let mut text = String::new();
                let same_target = old.as_ref().is_some_and(|o| {
                    (refname.is_some() && refname == o.refname)
                        || (refuri.is_some() && refuri == o.refuri)
                });
                if same_target {
                    level = Some(Severity::Info);
                    let r = refuri
                        .clone()
                        .filter(|s| !s.is_empty())
                        .or(refname.clone())
                        .unwrap_or_default();
                    text = format!("Duplicate name \"{name}\" for external target \"{r}\".");
                    dupname(el, &name);
                } else if explicit {
                    if old_explicit {
                        level = Some(Severity::Warning);
                        text = format!("Duplicate explicit target name: \"{name}\".");
                        dupname(el, &name);
                        if let Some(o) = &old {
                            self.dup_fixups.push((o.id.clone(), name.clone()));
                            self.names.insert(name.clone(), None);
                        }
                    } else {
                        self.names.insert(name.clone(), Some(self.info_of(el)));
                        if let Some(o) = &old {
                            level = Some(Severity::Info);
                            text =
                                format!("Target name overrides implicit target name \"{name}\".");
                            self.dup_fixups.push((o.id.clone(), name.clone()));
                        }
                    }
                } else {
                    level = Some(Severity::Info);
                    text = format!("Duplicate implicit target name: \"{name}\".");
                    dupname(el, &name);
                    if let Some(o) = &old
                        && !old_explicit
                    {
                        self.dup_fixups.push((o.id.clone(), name.clone()));
                        self.names.insert(name.clone(), None);
                        if o.id.starts_with('\0') {
                            // `set_id(old_node)` "to get running numbers
                            // right": the old node, now without the name.
                            let mut old_node = Element::new(Tag::Section, Span::default());
                            old_node.dupnames.push(name.clone());
                            let id = self.set_id(&mut old_node, "");
                            self.key_ids.push((o.id.clone(), id));
                        }
                    }
                }
                if let Some(level) = level {
                    let backrefs = if el.tag == Tag::Target && el.children.is_empty() {
                        Vec::new()
                    } else {
                        vec![self.set_id(el, "")]
                    };
                    let mut m = self.message(level, &text, line, span);
                    m.backrefs = backrefs.into();
                    msgs.push(m);
                }
            } else {
                let info = self.info_of(el);
                self.names.insert(name.clone(), Some(info));
                self.nametypes.entry(name).or_insert(explicit);
            }
        }
        msgs
    }

    /// Registry entry for an element whose id may not be assigned yet:
    /// the id is patched by [`Doc::finish_registration`].
    fn info_of(&self, el: &Element) -> NodeInfo {
        NodeInfo {
            id: el
                .ids
                .first()
                .map(|id| id.to_string())
                .or_else(|| el.get(Attr::InternalKey).map(str::to_string))
                .unwrap_or_default(),
            refuri: el.get(Attr::Refuri).map(str::to_string),
            refname: el.get(Attr::Refname).map(str::to_string),
        }
    }

    /// An implicit target's key has become the id `id` (SectionIDs, the
    /// contents transform): the names registered for it now point there.
    pub fn resolve_key(&mut self, key: &str, id: &str) {
        for info in self.names.values_mut().flatten() {
            if info.id == key {
                info.id = id.to_string();
            }
        }
    }

    /// After `set_id`, records the element's id for each of its names.
    fn finish_registration(&mut self, el: &Element) {
        let id = el.ids.first().cloned().unwrap_or_default();
        for name in &el.names {
            if let Some(Some(info)) = self.names.get_mut(name)
                && info.id.is_empty()
            {
                info.id = id.clone();
            }
        }
    }

    pub fn note_implicit_target(&mut self, el: &mut Element, line: Option<usize>) -> Vec<Element> {
        if self.matching_ids && el.ids.is_empty() {
            self.keys += 1;
            el.set(Attr::InternalKey, format!("\u{0}key{}", self.keys));
            return self.note_names(el, false, line, el.span);
        }
        let msgs = self.note_names(el, false, line, el.span);
        self.register_ids(el, "");
        self.finish_registration(el);
        msgs
    }

    pub fn note_explicit_target(&mut self, el: &mut Element, line: Option<usize>) -> Vec<Element> {
        let msgs = self.note_names(el, true, line, el.span);
        self.register_ids(el, "");
        self.finish_registration(el);
        msgs
    }

    /// Builds a `system_message` (`reporter.system_message`).
    pub fn message(&self, level: Severity, text: &str, line: Option<usize>, span: Span) -> Element {
        self.message_in(level, text, line, None, span)
    }

    /// Marks `e` with its source line (and included file, if any) for
    /// messages later transforms make about it.
    pub fn mark_line(&self, e: &mut Element, line: usize) {
        e.set(Attr::InternalLine, line.to_string());
        if let Some(source) = &self.current_source {
            e.set(Attr::InternalSource, source.clone());
        }
    }

    /// A message about a node [`Doc::mark_line`] marked: its line and the
    /// file it comes from.
    pub fn message_about(
        &self,
        level: Severity,
        text: &str,
        node: &Element,
        span: Span,
    ) -> Element {
        let line = node.get(Attr::InternalLine).and_then(|l| l.parse().ok());
        self.message_in(level, text, line, node.get(Attr::InternalSource), span)
    }

    /// A message located in `source` (an included file), else in the file
    /// being parsed.
    pub fn message_in(
        &self,
        level: Severity,
        text: &str,
        line: Option<usize>,
        source: Option<&str>,
        span: Span,
    ) -> Element {
        let mut m = Element::new(Tag::SystemMessage, span);
        let lowest = self
            .lowest_message
            .get()
            .map_or(level as u8, |l| l.min(level as u8));
        self.lowest_message.set(Some(lowest));
        m.set(Attr::Level, (level as u8).to_string());
        if let Some(l) = line {
            m.set(Attr::Line, l.to_string());
        }
        let source = source
            .or(self.current_source.as_deref())
            .unwrap_or(&self.source_name);
        m.set(Attr::Source, source.to_string());
        m.set(Attr::Type, level.docutils_name());
        let mut p = Element::new(Tag::Paragraph, span);
        p.push_text(text, span);
        m.push(p);
        m
    }

    /// The INFO docutils gives before an unknown role or directive
    /// (`kind`): its English language module has no entry for the name.
    pub fn unknown_name_info(
        &self,
        kind: &str,
        name: &str,
        line: Option<usize>,
        span: Span,
    ) -> Element {
        self.message(Severity::Info, &unknown_name_text(kind, name), line, span)
    }

    /// A message with a literal block quoting the offending source.
    pub fn message_with_block(
        &self,
        level: Severity,
        text: &str,
        block: &str,
        line: Option<usize>,
        span: Span,
    ) -> Element {
        let mut m = self.message(level, text, line, span);
        m.push(literal_block(block, span));
        m
    }
}

/// The text of [`Doc::unknown_name_info`].
pub fn unknown_name_text(kind: &str, name: &str) -> String {
    format!(
        "No {kind} entry for \"{name}\" in module \"docutils.parsers.rst.languages.en\".\nTrying \"{name}\" as canonical {kind} name."
    )
}

/// `nodes.dupname`: moves a name to `dupnames`.
pub fn dupname(el: &mut Element, name: &str) {
    el.dupnames.push(name.to_string());
    el.names.retain(|n| n != name);
}

pub fn literal_block(text: &str, span: Span) -> Element {
    let mut lb = Element::new(Tag::LiteralBlock, span);
    lb.set(Attr::XmlSpace, "preserve");
    lb.push_text(text, span);
    lb
}

/// Applies the recorded dupname fixups to the tree.
pub fn apply_dup_fixups(
    root: &mut Element,
    fixups: &[(String, String)],
    key_ids: &[(String, String)],
) {
    if fixups.is_empty() && key_ids.is_empty() {
        return;
    }
    let mut by_id: HashMap<&str, Vec<&str>> = HashMap::default();
    for (id, name) in fixups {
        by_id.entry(id.as_str()).or_default().push(name.as_str());
    }
    let ids_by_key: HashMap<&str, &str> = key_ids
        .iter()
        .map(|(k, id)| (k.as_str(), id.as_str()))
        .collect();
    root.walk_mut(&mut |e| {
        let key = e.get(Attr::InternalKey).map(str::to_string);
        let mut hits = Vec::new();
        for id in e.ids.iter().map(String::as_str).chain(key.as_deref()) {
            if let Some(names) = by_id.get(id) {
                hits.extend(names.iter().map(|s| s.to_string()));
            }
        }
        for name in hits {
            if e.names.contains(&name) {
                dupname(e, &name);
            }
        }
        if let Some(id) = key.as_deref().and_then(|k| ids_by_key.get(k))
            && e.ids.is_empty()
        {
            e.ids.push(id.to_string());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_format_writes_them() {
        for n in [0, 7, 10, 99, 100, 12_345, usize::MAX] {
            let mut s = String::from("id-");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("id-{n}"));
        }
    }
}
