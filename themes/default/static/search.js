/* kbgen search: the search box in the header.
 *
 * The index (search-index.js, written by the build) is a script assigning
 * window.KBGEN_SEARCH_INDEX, loaded with a <script> tag on first use: that
 * works from file:// as well as from a server, where fetch() would not.
 * Results are built with textContent only; page text never reaches
 * innerHTML, so nothing in a page can inject markup here.
 *
 * Matching: the query is folded (per character lower-case, NFKD, marks
 * dropped, final sigma → sigma; the same as `fold` in src/site/search.rs)
 * and split into words; every word must match (AND) the page title, the
 * section title or the text, at a word start (so prefixes work) or, for
 * scripts without spaces, anywhere. Title and section-title matches rank
 * first.
 */
(function () {
  'use strict';

  var MARKS = /\p{M}/gu;
  var NON_WORD = /[^\p{L}\p{N}]/gu;
  var MAX_RESULTS = 12;
  var SNIPPET = 140;

  function foldChar(c) {
    var code = c.charCodeAt(0);
    if (code < 128) {
      return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
    }
    return c.toLowerCase().normalize('NFKD').replace(MARKS, '').replace(/ς/g, 'σ');
  }

  /* Folds `s`; `map[i]` is the index in `s` of the character that gave
   * folded unit i, so matches found in folded text can be shown in `s`. */
  function foldMap(s) {
    var out = '';
    var map = [];
    for (var i = 0; i < s.length; ) {
      var cp = s.codePointAt(i);
      var ch = String.fromCodePoint(cp);
      var f = foldChar(ch);
      out += f;
      for (var k = 0; k < f.length; k++) map.push(i);
      i += ch.length;
    }
    map.push(s.length);
    return { text: out, map: map };
  }

  var ASCII = /^[\x00-\x7f]*$/;

  function fold(s) {
    // Most text is ASCII: one native call instead of a loop per character.
    if (ASCII.test(s)) return s.toLowerCase();
    var out = '';
    for (var i = 0; i < s.length; ) {
      var cp = s.codePointAt(i);
      var ch = String.fromCodePoint(cp);
      out += foldChar(ch);
      i += ch.length;
    }
    return out;
  }

  /* Folded text with every non-word character a space, and a leading
   * space, so " " + word finds word starts. Same length as fold(s) + 1. */
  function hay(folded) {
    return ' ' + folded.replace(NON_WORD, function (m) { return ' '.repeat(m.length); });
  }

  function terms(query) {
    return fold(query).split(NON_WORD).filter(function (t) { return t.length > 0; });
  }

  /* Prepares the raw index once: folded haystacks per entry. */
  function prepare(raw) {
    var pages = raw.p.map(function (p) { return { href: p[0], title: p[1], hay: hay(fold(p[1])) }; });
    var entries = raw.e.map(function (e) {
      return { page: pages[e[0]] || pages[0], id: e[1], title: e[2], text: e[3],
               titleHay: hay(fold(e[2])), textHay: hay(fold(e[3])) };
    });
    return { pages: pages, entries: entries };
  }

  /* How well `term` matches `h`: 3 whole word, 2 word prefix, 1 inside a word, 0 none. */
  function quality(h, term) {
    var needle = ' ' + term;
    var best = 0;
    for (var at = h.indexOf(needle); at >= 0; at = h.indexOf(needle, at + 1)) {
      var end = at + needle.length;
      if (end >= h.length || h.charAt(end) === ' ') return 3;
      best = 2;
    }
    return best || (h.indexOf(term) >= 0 ? 1 : 0);
  }

  /* Ranked matches of `query`: [{entry, score}], best first. */
  function search(index, query, limit) {
    var ts = terms(query);
    if (ts.length === 0) return [];
    var results = [];
    for (var i = 0; i < index.entries.length; i++) {
      var e = index.entries[i];
      var score = 0;
      var ok = true;
      for (var j = 0; j < ts.length && ok; j++) {
        var t = ts[j];
        var pageQ = quality(e.page.hay, t);
        var titleQ = quality(e.titleHay, t);
        var textQ = quality(e.textHay, t);
        if (!pageQ && !titleQ && !textQ) { ok = false; break; }
        // The page title counts fully for the page's own entry only, so a
        // title match does not drown the page's sections in the results.
        score += (e.id === '' ? 10 : 1) * pageQ + 6 * titleQ + textQ;
      }
      if (ok) results.push({ entry: e, score: score, order: i });
    }
    results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return results.slice(0, limit || MAX_RESULTS);
  }

  /* A window of `text` around the first match, as [{text, mark}] pieces. */
  function snippet(text, query) {
    var ts = terms(query);
    var fm = foldMap(text);
    var h = hay(fm.text);
    var ranges = [];
    ts.forEach(function (t) {
      var from = 0;
      var found = false;
      for (var at = h.indexOf(' ' + t, from); at >= 0; at = h.indexOf(' ' + t, from)) {
        ranges.push([at, at + t.length]);
        found = true;
        from = at + 1;
      }
      if (!found) {
        var inside = h.indexOf(t);
        if (inside >= 0) ranges.push([inside - 1, inside - 1 + t.length]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    // Folded positions → original positions.
    var orig = ranges.map(function (r) { return [fm.map[Math.max(r[0], 0)], fm.map[Math.min(r[1], fm.map.length - 1)]]; });
    var first = orig.length ? orig[0][0] : 0;
    var start = Math.max(0, first - 40);
    if (start > 0) {
      var space = text.indexOf(' ', start);
      if (space >= 0 && space < first) start = space + 1;
    }
    var end = Math.min(text.length, start + SNIPPET);
    var pieces = [];
    if (start > 0) pieces.push({ text: '…', mark: false });
    var pos = start;
    orig.forEach(function (r) {
      if (r[0] < pos || r[0] >= end) return;
      if (r[0] > pos) pieces.push({ text: text.slice(pos, r[0]), mark: false });
      var stop = Math.min(r[1], end);
      pieces.push({ text: text.slice(r[0], stop), mark: true });
      pos = stop;
    });
    if (pos < end) pieces.push({ text: text.slice(pos, end), mark: false });
    if (end < text.length) pieces.push({ text: '…', mark: false });
    return pieces;
  }

  // The index's hrefs are relative paths kbgen already made safe; an index
  // from elsewhere must still not turn a result into a script link (a
  // scheme) or a link to another host (`//host`).
  function safeHref(href) {
    href = String(href);
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || /^[\\/]{2}/.test(href)) return './' + href;
    return href;
  }

  var api = { safeHref: safeHref, fold: fold, foldMap: foldMap, terms: terms, prepare: prepare, search: search, snippet: snippet };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;

  /* ---- the search box ---- */

  var box = document.querySelector('.kb-search');
  if (!box) return;
  var input = box.querySelector('input');
  var list = box.querySelector('.kb-search-results');
  var root = box.getAttribute('data-root') || '';
  var index = null;
  var loading = false;
  var selected = -1;
  box.hidden = false;

  function load() {
    if (index || loading) return;
    if (window.KBGEN_SEARCH_INDEX) { index = prepare(window.KBGEN_SEARCH_INDEX); return; }
    loading = true;
    var s = document.createElement('script');
    s.src = root + 'search-index.js';
    s.onload = function () {
      loading = false;
      if (window.KBGEN_SEARCH_INDEX) index = prepare(window.KBGEN_SEARCH_INDEX);
      update();
    };
    s.onerror = function () { loading = false; message('The search index could not be loaded.'); };
    document.head.appendChild(s);
  }

  function target(e) {
    return root + safeHref(e.page.href) + (e.id ? '#' + e.id : '');
  }

  function message(text) {
    list.textContent = '';
    var li = document.createElement('li');
    li.className = 'kb-search-message';
    li.textContent = text;
    list.appendChild(li);
    show(true);
  }

  function show(on) {
    list.hidden = !on;
    input.setAttribute('aria-expanded', on ? 'true' : 'false');
  }

  function update() {
    var q = input.value;
    selected = -1;
    if (!q.trim()) { list.textContent = ''; show(false); return; }
    if (!index) { load(); message('Loading…'); return; }
    var results = search(index, q);
    list.textContent = '';
    if (!results.length) { message('No results'); return; }
    results.forEach(function (r, i) {
      var e = r.entry;
      var li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.id = 'kb-search-result-' + i;
      var a = document.createElement('a');
      a.href = target(e);
      var title = document.createElement('span');
      title.className = 'kb-search-title';
      title.textContent = e.page.title;
      a.appendChild(title);
      if (e.title) {
        var sec = document.createElement('span');
        sec.className = 'kb-search-section';
        sec.textContent = e.title;
        a.appendChild(sec);
      }
      var snip = document.createElement('span');
      snip.className = 'kb-search-snippet';
      snippet(e.text, q).forEach(function (p) {
        if (p.mark) {
          var m = document.createElement('mark');
          m.textContent = p.text;
          snip.appendChild(m);
        } else {
          snip.appendChild(document.createTextNode(p.text));
        }
      });
      a.appendChild(snip);
      a.addEventListener('click', function () { show(false); });
      li.appendChild(a);
      list.appendChild(li);
    });
    select(0);
    show(true);
  }

  function select(i) {
    var items = list.querySelectorAll('li[role=option]');
    if (!items.length) return;
    selected = (i + items.length) % items.length;
    items.forEach(function (li, k) { li.setAttribute('aria-selected', k === selected ? 'true' : 'false'); });
    input.setAttribute('aria-activedescendant', items[selected].id);
    items[selected].scrollIntoView({ block: 'nearest' });
  }

  function go() {
    var items = list.querySelectorAll('li[role=option] a');
    var a = items[selected >= 0 ? selected : 0];
    if (!a) return;
    show(false);
    input.blur();
    window.location.href = a.href;
  }

  input.addEventListener('focus', load);
  input.addEventListener('input', update);
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'ArrowDown') { ev.preventDefault(); select(selected + 1); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); select(selected - 1); }
    else if (ev.key === 'Enter') { ev.preventDefault(); go(); }
    else if (ev.key === 'Escape') { input.value = ''; update(); input.blur(); }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    var tag = t && t.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
    ev.preventDefault();
    input.focus();
    input.select(); // typing replaces the previous query
  });
  document.addEventListener('click', function (ev) {
    if (!box.contains(ev.target)) show(false);
  });
})();
