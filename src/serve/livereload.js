// kbgen serve: live reload and the build error overlay. Injected into HTML
// pages by the preview server only, never written to the output folder.
(function () {
  "use strict";
  var cfg = KBGEN_CONFIG;
  var events = new URL(cfg.prefix + "__kbgen/events", location.href).href;
  var delay = 500;
  var box = null;
  var scrollKey = "kbgen-scroll:" + location.pathname;

  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) {}
    location.reload();
  }

  function restoreScroll() {
    try {
      var y = sessionStorage.getItem(scrollKey);
      if (y !== null) { sessionStorage.removeItem(scrollKey); window.scrollTo(0, Number(y) || 0); }
    } catch (e) {}
  }

  function el(tag, text, css) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (css) e.style.cssText = css;
    return e;
  }

  function clear() {
    if (box) { box.remove(); box = null; }
  }

  function show(errors) {
    clear();
    if (!errors || !errors.length) return;
    box = el("div", undefined, "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(24,24,27,.94);color:#f4f4f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2em");
    box.id = "kbgen-overlay";
    box.setAttribute("role", "alert");
    var close = el("button", "\u00d7", "float:right;font-size:1.5em;background:none;color:inherit;border:0;cursor:pointer");
    close.title = "Hide (the next good build removes it)";
    close.onclick = clear;
    box.appendChild(close);
    box.appendChild(el("h2", "Build failed: " + errors.length + " error(s). Showing the last good build.",
      "margin:0 0 1em;font-size:1.2em;color:#fca5a5"));
    errors.forEach(function (d) {
      var item = el("section", undefined, "margin:0 0 1.5em");
      item.className = "kbgen-error";
      var where = (d.file || "") + (d.line ? ":" + d.line + ":" + d.column : "");
      item.appendChild(el("div", where, "color:#93c5fd"));
      item.appendChild(el("div", d.severity + "[" + d.code + "]: " + d.message, "white-space:pre-wrap"));
      if (d.source_line && d.line) {
        var gutter = String(d.line);
        var caret = new Array(Math.max(d.column || 1, 1)).join(" ") + "^";
        item.appendChild(el("pre", gutter + " | " + d.source_line + "\n" +
          gutter.replace(/./g, " ") + " | " + caret, "margin:.4em 0;padding:.5em;background:#000;overflow:auto"));
      }
      if (d.help) item.appendChild(el("div", "help: " + d.help, "color:#a1a1aa"));
      box.appendChild(item);
    });
    (document.body || document.documentElement).appendChild(box);
  }

  function parse(data) {
    try { return JSON.parse(data); } catch (e) { return null; }
  }

  function connect() {
    var source = new EventSource(events);
    source.addEventListener("hello", function (e) {
      var s = parse(e.data);
      if (!s) return;
      delay = 500;
      // A restarted server, or builds missed while disconnected: reload.
      if (s.server !== cfg.server || (s.ok && s.generation !== cfg.generation)) { reload(); return; }
      show(s.ok ? [] : s.errors);
    });
    source.addEventListener("reload", reload);
    source.addEventListener("errors", function (e) { show(parse(e.data)); });
    source.onerror = function () {
      source.close();
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
  }

  restoreScroll();
  connect();
})();
