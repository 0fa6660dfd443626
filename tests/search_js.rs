//! The theme's `search.js` run under node (no browser needed): folding
//! agrees with the index builder's [`kbgen::site::search::fold`], and
//! ranking, AND, prefixes and snippets behave as documented. Skipped with
//! a notice when node is not installed.

use std::path::Path;
use std::process::Command;

use kbgen::site::search::{SearchIndex, fold};

fn node() -> Option<&'static str> {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("notice: node not found; search.js tests skipped");
        return None;
    }
    Some("node")
}

/// Runs `script` with `S` bound to search.js's exports and `INPUT` to `input`; returns stdout.
fn run(script: &str, input: &serde_json::Value) -> Option<String> {
    let node = node()?;
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let prelude = format!(
        "const S = require({}); const INPUT = {}; const assert = require('assert');\n",
        serde_json::to_string(&js.display().to_string()).unwrap(),
        input
    );
    let out = Command::new(node)
        .arg("-e")
        .arg(prelude + script)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "node failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn js_and_rust_fold_alike() {
    let samples = [
        "Éclair ÜBER straße",
        "ﬁle Ω ΟΔΟΣ Σίσυφος",
        "Łódź Ærø naïve café",
        "ＦＵＬＬ width ①",
        "İstanbul ǅemal",
        "日本語のテキスト",
        "emoji 🙂 x",
    ];
    let expected: Vec<String> = samples.iter().map(|s| fold(s)).collect();
    let input = serde_json::json!({ "samples": samples, "expected": expected });
    let Some(out) = run(
        "INPUT.samples.forEach((s, i) => assert.strictEqual(S.fold(s), INPUT.expected[i], s)); console.log('ok');",
        &input,
    ) else {
        return;
    };
    assert_eq!(out.trim(), "ok");
}

fn index() -> serde_json::Value {
    let index = SearchIndex {
        v: 1,
        p: vec![
            ("a.html".into(), "Seccomp sandbox".into()),
            ("b.html".into(), "QEMU passthrough".into()),
        ],
        e: vec![
            (0, "".into(), "".into(), "About the sandbox.".into()),
            (
                1,
                "".into(),
                "".into(),
                "Intro text mentioning seccomp once.".into(),
            ),
            (
                1,
                "seccomp".into(),
                "Seccomp".into(),
                "libvirt launches QEMU with its seccomp policy".into(),
            ),
            (
                1,
                "cgroups".into(),
                "Cgroups".into(),
                "Café déjà vu: the device ACL of QEMU.".into(),
            ),
        ],
    };
    serde_json::to_value(&index).unwrap()
}

#[test]
fn ranking_and_prefix_and_and() {
    let script = r#"
        const idx = S.prepare(INPUT);
        const ids = q => S.search(idx, q).map(r => r.entry.page.href + '#' + r.entry.id);
        // Title and section-title matches first, plain text last.
        assert.deepStrictEqual(ids('seccomp'), ['a.html#', 'b.html#seccomp', 'b.html#']);
        // Prefixes match at word starts.
        assert.deepStrictEqual(ids('secc'), ids('seccomp'));
        // AND: every word must match (page title counts for its sections).
        assert.deepStrictEqual(ids('qemu policy'), ['b.html#seccomp']);
        assert.deepStrictEqual(ids('seccomp nomatchword'), []);
        // Diacritics and case are folded on both sides.
        assert.deepStrictEqual(ids('DEJA cafe'), ['b.html#cgroups']);
        assert.deepStrictEqual(ids('café'), ['b.html#cgroups']);
        assert.deepStrictEqual(ids('  '), []);
        // Snippets: the match is marked in the original text.
        const pieces = S.snippet('Café déjà vu: the device', 'deja');
        assert.deepStrictEqual(pieces.filter(p => p.mark).map(p => p.text), ['déjà']);
        assert.strictEqual(pieces.map(p => p.text).join(''), 'Café déjà vu: the device');
        const long = 'word '.repeat(60) + 'Seccomp ' + 'tail '.repeat(60);
        const p2 = S.snippet(long, 'seccomp');
        assert.ok(p2[0].text === '…' && p2[p2.length - 1].text === '…');
        assert.deepStrictEqual(p2.filter(p => p.mark).map(p => p.text), ['Seccomp']);
        console.log('ok');
    "#;
    if let Some(out) = run(script, &index()) {
        assert_eq!(out.trim(), "ok");
    }
}

#[test]
fn result_links_are_never_a_scheme_or_another_host() {
    let input = serde_json::json!({ "cases": [
        ["javascript:alert(1).html", "./javascript:alert(1).html"],
        ["JAVASCRIPT:x.html", "./JAVASCRIPT:x.html"],
        ["data:text/html,x", "./data:text/html,x"],
        ["//evil.example/x.html", "./"],
        ["./javascript:x.html", "./javascript:x.html"],
        ["kbase/a.html", "kbase/a.html"]
    ]});
    let Some(out) = run(
        "INPUT.cases.forEach(([href, want]) => { const got = S.safeHref(href); \
         assert.ok(got.startsWith(want), href + ' -> ' + got); \
         assert.ok(!/^[a-z][a-z0-9+.-]*:/i.test(got) && !got.startsWith('//'), got); }); console.log('ok');",
        &input,
    ) else {
        return;
    };
    assert_eq!(out.trim(), "ok");
}
