//! Writer tests on hand-built trees shaped like docutils' doctree.

use super::*;
use crate::ast::Attr;
use crate::ast::Span;

fn el(tag: Tag, children: Vec<Node>) -> Element {
    Element::with_children(tag, Span::default(), children)
}

fn n(e: Element) -> Node {
    e.into()
}

fn t(s: &str) -> Node {
    Node::text(s, Span::default())
}

fn with(mut e: Element, attrs: &[(&str, &str)]) -> Element {
    for (k, v) in attrs {
        e.set_named(k, *v);
    }
    e
}

fn ids(mut e: Element, id: &str) -> Element {
    e.ids.push(id.into());
    e
}

fn classes(mut e: Element, c: &[&str]) -> Element {
    e.classes.extend(c.iter().map(|s| s.to_string()));
    e
}

fn render(children: Vec<Node>) -> String {
    let h = Highlighter::new();
    render_body(
        &el(Tag::Document, children),
        &HtmlContext { highlighter: &h },
    )
}

fn section(id: &str, title: &str, refid: Option<&str>, mut body: Vec<Node>) -> Node {
    let mut title = el(Tag::Title, vec![t(title)]);
    if let Some(r) = refid {
        title.set(Attr::Refid, r);
    }
    body.insert(0, n(title));
    n(ids(el(Tag::Section, body), id))
}

#[test]
fn sections_get_depth_headings_permalinks_and_toc_backlinks() {
    let html = render(vec![section(
        "outer",
        "Outer <x>",
        Some("toc-entry-1"),
        vec![section(
            "inner",
            "Inner",
            None,
            vec![n(el(Tag::Paragraph, vec![t("p")]))],
        )],
    )]);
    assert!(html.contains("<section id=\"outer\">"), "{html}");
    assert!(
        html.contains("<h2><a class=\"toc-backref\" href=\"#toc-entry-1\" role=\"doc-backlink\">Outer &lt;x&gt;</a><a class=\"headerlink\" href=\"#outer\""),
        "{html}"
    );
    assert!(
        html.contains("<h3>Inner<a class=\"headerlink\" href=\"#inner\""),
        "{html}"
    );
    assert!(html.contains("<p>p</p>"), "{html}");
}

#[test]
fn contents_topic_is_a_nav_and_toc_copy_has_no_ids() {
    let entry = |id: &str, text: &str| {
        n(el(
            Tag::ListItem,
            vec![n(el(
                Tag::Paragraph,
                vec![n(ids(
                    with(el(Tag::Reference, vec![t(text)]), &[("refid", id)]),
                    &format!("toc-{id}"),
                ))],
            ))],
        ))
    };
    let topic = ids(
        classes(
            el(
                Tag::Topic,
                vec![
                    n(el(Tag::Title, vec![t("Contents")])),
                    n(el(Tag::BulletList, vec![entry("a", "A"), entry("b", "B")])),
                ],
            ),
            &["contents"],
        ),
        "contents",
    );
    let doc = el(Tag::Document, vec![n(topic)]);
    let h = Highlighter::new();
    let ctx = HtmlContext { highlighter: &h };
    let html = render_body(&doc, &ctx);
    assert!(html.starts_with("<nav id=\"contents\" class=\"contents\" role=\"doc-toc\" aria-labelledby=\"contents-title\">"), "{html}");
    assert!(
        html.contains("<p class=\"topic-title\" id=\"contents-title\">Contents</p>"),
        "{html}"
    );
    assert!(
        html.contains("<li><a id=\"toc-a\" class=\"reference internal\" href=\"#a\">A</a></li>"),
        "{html}"
    );
    let toc = render_toc(&doc, &ctx).unwrap();
    assert_eq!(
        toc,
        "<ul>\n<li><a href=\"#a\">A</a></li>\n<li><a href=\"#b\">B</a></li>\n</ul>\n"
    );
}

#[test]
fn dangerous_links_are_not_live() {
    for uri in [
        "javascript:alert(1)",
        " JAVASCRIPT:x",
        "vbscript:x",
        "data:text/html;base64,xx",
    ] {
        let html = render(vec![n(el(
            Tag::Paragraph,
            vec![n(with(
                el(Tag::Reference, vec![t("click")]),
                &[("refuri", uri)],
            ))],
        ))]);
        assert_eq!(html, "<p>click</p>\n", "{uri}");
    }
    let html = render(vec![n(with(
        el(Tag::Reference, vec![t("x")]),
        &[("refuri", "https://a.org/?q=\"><script>")],
    ))]);
    assert_eq!(
        html,
        "<a class=\"reference external\" href=\"https://a.org/?q=&quot;&gt;&lt;script&gt;\">x</a>"
    );
}

#[test]
fn text_and_attributes_are_escaped() {
    let p = classes(
        ids(el(Tag::Paragraph, vec![t("<script>&")]), "a\"b"),
        &["x\"y"],
    );
    assert_eq!(
        render(vec![n(p)]),
        "<p id=\"a&quot;b\" class=\"x&quot;y\">&lt;script&gt;&amp;</p>\n"
    );
}

#[test]
fn admonitions_are_asides_with_titles() {
    let note = el(Tag::Note, vec![n(el(Tag::Paragraph, vec![t("Hi")]))]);
    let generic = classes(
        el(
            Tag::Admonition,
            vec![
                n(el(Tag::Title, vec![t("Custom")])),
                n(el(Tag::Paragraph, vec![t("x")])),
            ],
        ),
        &["admonition-custom"],
    );
    let html = render(vec![n(note), n(generic)]);
    assert!(html.contains("<aside class=\"admonition note\">\n<p class=\"admonition-title\">Note</p>\n<p>Hi</p>\n</aside>"), "{html}");
    assert!(html.contains("<aside class=\"admonition admonition-custom\">\n<p class=\"admonition-title\">Custom</p>"), "{html}");
}

#[test]
fn simple_lists_drop_paragraphs_and_enumerations_keep_start() {
    let item = |s: &str| n(el(Tag::ListItem, vec![n(el(Tag::Paragraph, vec![t(s)]))]));
    let ol = with(
        el(Tag::EnumeratedList, vec![item("a"), item("b")]),
        &[("enumtype", "loweralpha"), ("start", "3")],
    );
    let html = render(vec![n(ol)]);
    assert_eq!(
        html,
        "<ol class=\"loweralpha simple\" start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>\n"
    );
    let complex = el(
        Tag::BulletList,
        vec![n(el(
            Tag::ListItem,
            vec![
                n(el(Tag::Paragraph, vec![t("a")])),
                n(el(Tag::Paragraph, vec![t("b")])),
            ],
        ))],
    );
    assert_eq!(
        render(vec![n(complex)]),
        "<ul>\n<li><p>a</p>\n<p>b</p>\n</li>\n</ul>\n"
    );
}

#[test]
fn field_lists_and_definition_lists() {
    let field = el(
        Tag::Field,
        vec![
            n(el(Tag::FieldName, vec![t("Key")])),
            n(el(
                Tag::FieldBody,
                vec![n(el(Tag::Paragraph, vec![t("v")]))],
            )),
        ],
    );
    let dl = el(
        Tag::DefinitionList,
        vec![n(el(
            Tag::DefinitionListItem,
            vec![
                n(el(Tag::Term, vec![t("term")])),
                n(el(Tag::Classifier, vec![t("str")])),
                n(el(
                    Tag::Definition,
                    vec![n(el(Tag::Paragraph, vec![t("d")]))],
                )),
            ],
        ))],
    );
    let html = render(vec![n(el(Tag::FieldList, vec![n(field)])), n(dl)]);
    assert!(html.contains("<dl class=\"field-list simple\">\n<dt>Key<span class=\"colon\">:</span></dt>\n<dd>v</dd>\n</dl>"), "{html}");
    assert!(html.contains("<dt>term <span class=\"classifier-delimiter\">:</span> <span class=\"classifier\">str</span></dt>\n<dd>"), "{html}");
    assert!(html.contains("<dd><p>d</p>\n</dd>"), "{html}");
}

#[test]
fn docinfo_hides_kbgen_metadata_fields() {
    let field = |name: &str, value: &str| {
        n(el(
            Tag::Field,
            vec![
                n(el(Tag::FieldName, vec![t(name)])),
                n(el(
                    Tag::FieldBody,
                    vec![n(el(Tag::Paragraph, vec![t(value)]))],
                )),
            ],
        ))
    };
    let only_meta = el(
        Tag::Docinfo,
        vec![field("category", "X"), field("description", "Y")],
    );
    assert_eq!(render(vec![n(only_meta)]), "");
    let mixed = el(
        Tag::Docinfo,
        vec![field("category", "X"), n(el(Tag::Author, vec![t("Ann")]))],
    );
    let html = render(vec![n(mixed)]);
    assert!(html.contains("<dt class=\"author\">Author<span class=\"colon\">:</span></dt>\n<dd class=\"author\">Ann</dd>"), "{html}");
    assert!(!html.contains("category"), "{html}");
}

#[test]
fn tables_have_colgroups_spans_and_scroll_wrappers() {
    let entry = |s: &str, attrs: &[(&str, &str)]| {
        n(with(
            el(Tag::Entry, vec![n(el(Tag::Paragraph, vec![t(s)]))]),
            attrs,
        ))
    };
    let tgroup = with(
        el(
            Tag::Tgroup,
            vec![
                n(with(el(Tag::Colspec, vec![]), &[("colwidth", "10")])),
                n(with(el(Tag::Colspec, vec![]), &[("colwidth", "30")])),
                n(el(
                    Tag::Thead,
                    vec![n(el(Tag::Row, vec![entry("H", &[("morecols", "1")])]))],
                )),
                n(el(
                    Tag::Tbody,
                    vec![n(el(
                        Tag::Row,
                        vec![entry("a", &[("morerows", "1")]), entry("b", &[])],
                    ))],
                )),
            ],
        ),
        &[("cols", "2")],
    );
    let table = el(
        Tag::Table,
        vec![n(el(Tag::Title, vec![t("Cap")])), n(tgroup)],
    );
    let html = render(vec![n(table)]);
    assert!(html.starts_with("<div class=\"table-wrapper\" tabindex=\"0\">\n<table class=\"docutils\">\n<caption>Cap</caption>"), "{html}");
    assert!(
        html.contains("<col style=\"width: 25%\">\n<col style=\"width: 75%\">"),
        "{html}"
    );
    assert!(html.contains("<th colspan=\"2\">H</th>"), "{html}");
    assert!(
        html.contains("<td rowspan=\"2\">a</td><td>b</td>"),
        "{html}"
    );
}

#[test]
fn footnotes_are_grouped_asides_with_backlinks() {
    let mut fn1 = ids(
        el(
            Tag::Footnote,
            vec![
                n(el(Tag::Label, vec![t("1")])),
                n(el(Tag::Paragraph, vec![t("note")])),
            ],
        ),
        "f1",
    );
    fn1.backrefs.push("r1".into());
    let fref = ids(
        with(el(Tag::FootnoteReference, vec![t("1")]), &[("refid", "f1")]),
        "r1",
    );
    let html = render(vec![n(el(Tag::Paragraph, vec![t("x"), n(fref)])), n(fn1)]);
    assert!(
        html.contains(
            "<a id=\"r1\" class=\"footnote-reference brackets\" href=\"#f1\" role=\"doc-noteref\">"
        ),
        "{html}"
    );
    assert!(html.contains("<div class=\"footnote-list\">\n<aside id=\"f1\" class=\"footnote brackets\" role=\"doc-footnote\">"), "{html}");
    assert!(
        html.contains("<a role=\"doc-backlink\" href=\"#r1\">1</a>"),
        "{html}"
    );
    assert!(html.trim_end().ends_with("</aside>\n</div>"), "{html}");
}

#[test]
fn raw_html_only_when_format_is_html() {
    let html = with(el(Tag::Raw, vec![t("<b>x</b>")]), &[("format", "html")]);
    let latex = with(el(Tag::Raw, vec![t("\\x")]), &[("format", "latex")]);
    assert_eq!(render(vec![n(html), n(latex)]), "<b>x</b>");
}

#[test]
fn literal_blocks_are_highlighted_and_badged() {
    let guessed = el(Tag::LiteralBlock, vec![t("<domain type='kvm'/>\n")]);
    let html = render(vec![n(guessed)]);
    assert!(
        html.starts_with("<pre class=\"code xml literal-block\" tabindex=\"0\"><code>"),
        "{html}"
    );
    assert!(html.contains("<span class=\"nt\">&lt;domain "), "{html}");
    let plain = el(Tag::LiteralBlock, vec![t("virsh <start>\n")]);
    assert_eq!(
        render(vec![n(plain)]),
        "<pre class=\"literal-block\" tabindex=\"0\"><code>virsh &lt;start&gt;\n</code></pre>\n"
    );
    let declared = classes(el(Tag::LiteralBlock, vec![t("echo hi\n")]), &["code", "sh"]);
    assert!(render(vec![n(declared)]).starts_with("<pre class=\"code sh literal-block\""));
    let badged = with(
        el(Tag::LiteralBlock, vec![t("<a/>\n")]),
        &[("kbgen-schema", "QEMU <passthrough>")],
    );
    let html = render(vec![n(badged)]);
    assert!(
        html.starts_with("<div class=\"code-block validated\">\n<p class=\"code-badge\""),
        "{html}"
    );
    assert!(
        html.contains("✓ validated: QEMU &lt;passthrough&gt;</p>"),
        "{html}"
    );
}

#[test]
fn inline_elements_and_targets() {
    let p = el(
        Tag::Paragraph,
        vec![
            n(el(Tag::Literal, vec![t("svirt_image_t:s0:MCS")])),
            n(el(Tag::Emphasis, vec![t("e")])),
            n(el(Tag::Strong, vec![t("s")])),
            n(el(Tag::TitleReference, vec![t("c")])),
            n(el(Tag::Superscript, vec![t("2")])),
            n(classes(el(Tag::Inline, vec![t("i")]), &["red"])),
            n(ids(el(Tag::Target, vec![t("tgt")]), "tgt")),
            n(with(
                el(Tag::Reference, vec![t("int")]),
                &[("refid", "tgt")],
            )),
            n(with(
                el(Tag::Reference, vec![t("unresolved")]),
                &[("refname", "nowhere")],
            )),
        ],
    );
    assert_eq!(
        render(vec![n(p)]),
        "<p><code>svirt_image_t:s0:MCS</code><em>e</em><strong>s</strong><cite>c</cite><sup>2</sup><span class=\"red\">i</span><span id=\"tgt\" class=\"target\">tgt</span><a class=\"reference internal\" href=\"#tgt\">int</a>unresolved</p>\n"
    );
}

#[test]
fn invisible_and_diagnostic_elements_write_nothing() {
    let html = render(vec![
        n(el(Tag::Comment, vec![t("--> <script>")])),
        n(el(
            Tag::SystemMessage,
            vec![n(el(Tag::Paragraph, vec![t("bad")]))],
        )),
        n(el(Tag::SubstitutionDefinition, vec![t("x")])),
        n(with(el(Tag::Target, vec![]), &[("refuri", "https://x")])),
    ]);
    assert_eq!(html, "");
}

#[test]
fn images_figures_and_line_blocks() {
    let img = with(
        el(Tag::Image, vec![]),
        &[("uri", "a.png"), ("alt", "A \"pic\""), ("width", "20")],
    );
    let evil = with(el(Tag::Image, vec![]), &[("uri", "javascript:x")]);
    let fig = el(
        Tag::Figure,
        vec![n(img), n(el(Tag::Caption, vec![t("Cap")]))],
    );
    let lb = el(
        Tag::LineBlock,
        vec![n(el(Tag::Line, vec![t("one")])), n(el(Tag::Line, vec![]))],
    );
    let html = render(vec![n(fig), n(evil), n(lb)]);
    assert!(html.contains("<figure>\n<img src=\"a.png\" alt=\"A &quot;pic&quot;\" width=\"20\" loading=\"lazy\"><figcaption>\n<p class=\"caption\">Cap</p>\n</figcaption>\n</figure>"), "{html}");
    assert!(
        html.contains("<img alt=\"javascript:x\" loading=\"lazy\">"),
        "{html}"
    );
    assert!(html.contains("<div class=\"line-block\">\n<div class=\"line\">one</div>\n<div class=\"line\"><br></div>\n</div>"), "{html}");
}

#[test]
fn deep_nesting_and_odd_attributes_do_not_panic() {
    let mut e = el(Tag::Paragraph, vec![t("x")]);
    for _ in 0..200 {
        e = el(Tag::Section, vec![n(e)]);
    }
    let odd = with(
        el(Tag::Entry, vec![]),
        &[("morecols", "-3"), ("morerows", "99999999999")],
    );
    let html = render(vec![
        n(e),
        n(odd),
        n(el(Tag::Title, vec![])),
        n(el(Tag::Table, vec![n(el(Tag::Tgroup, vec![]))])),
    ]);
    assert!(html.contains("<p>x</p>"));
}

#[test]
fn line_breaks_rubric_levels_and_strike() {
    let para = el(
        Tag::Paragraph,
        vec![
            t("a"),
            n(el(Tag::LineBreak, vec![])),
            t("\nb "),
            n(classes(el(Tag::Inline, vec![t("gone")]), &["strike"])),
        ],
    );
    let heading = with(el(Tag::Rubric, vec![t("H")]), &[("level", "3")]);
    let informal = with(el(Tag::Rubric, vec![t("R")]), &[("level", "9")]);
    let html = render(vec![n(para), n(heading), n(informal)]);
    assert_eq!(
        html,
        "<p>a<br>\nb <del class=\"strike\">gone</del></p>\n<h3>H</h3>\n<p class=\"rubric\">R</p>\n"
    );
}

#[test]
fn explicit_compact_and_open_classes_decide_paragraphs() {
    let item = |paras: &[&str]| {
        n(el(
            Tag::ListItem,
            paras
                .iter()
                .map(|s| n(el(Tag::Paragraph, vec![t(s)])))
                .collect(),
        ))
    };
    let open = classes(el(Tag::BulletList, vec![item(&["a"])]), &["open"]);
    let compact = classes(el(Tag::BulletList, vec![item(&["c", "d"])]), &["compact"]);
    let html = render(vec![n(open), n(compact)]);
    assert_eq!(
        html,
        "<ul class=\"open\">\n<li><p>a</p>\n</li>\n</ul>\n<ul class=\"simple compact\">\n<li>c<p>d</p>\n</li>\n</ul>\n"
    );
}

#[test]
fn task_items_start_with_a_disabled_checkbox_and_titles_are_kept() {
    let done = classes(
        el(Tag::ListItem, vec![n(el(Tag::Paragraph, vec![t("x")]))]),
        &["task", "task-done"],
    );
    let todo = classes(
        el(Tag::ListItem, vec![n(el(Tag::Paragraph, vec![t("y")]))]),
        &["task", "task-todo"],
    );
    let loose = classes(el(Tag::BulletList, vec![n(todo.clone())]), &["open"]);
    let tight = el(Tag::BulletList, vec![n(done)]);
    let link = with(
        el(Tag::Reference, vec![t("l")]),
        &[("refuri", "https://x.org"), ("reftitle", "T \"q\"")],
    );
    let image = with(el(Tag::Image, vec![]), &[("uri", "i.png"), ("title", "I")]);
    let html = render(vec![
        n(tight),
        n(loose),
        n(el(Tag::Paragraph, vec![n(link), n(image)])),
    ]);
    assert!(
        html.contains(
            "<li class=\"task task-done\"><input type=\"checkbox\" disabled checked> x</li>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<li class=\"task task-todo\"><p><input type=\"checkbox\" disabled> y</p>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://x.org\" title=\"T &quot;q&quot;\">l</a>"),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"i.png\" alt=\"i.png\" title=\"I\" loading=\"lazy\">"),
        "{html}"
    );
}
