// Copy buttons on code blocks. Loaded as a file (no inline script, so a
// strict Content-Security-Policy holds); without JavaScript the blocks are
// unchanged, since the buttons exist only once this script has run.
// The copied text is the code without its line numbers.
(function () {
  "use strict";

  function codeText(pre) {
    var copy = pre.cloneNode(true);
    var numbers = copy.querySelectorAll(".linenos");
    for (var i = 0; i < numbers.length; i++) {
      numbers[i].remove();
    }
    return copy.textContent.replace(/\n$/, "");
  }

  function copyFallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    area.remove();
    return ok;
  }

  function show(button, label) {
    button.textContent = label;
    window.setTimeout(function () {
      button.textContent = "Copy";
    }, 1500);
  }

  function addButton(pre) {
    var holder = pre.parentElement;
    if (!holder || holder.querySelector(":scope > .copy-button")) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    button.addEventListener("click", function () {
      var text = codeText(pre);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { show(button, "Copied"); },
          function () { show(button, copyFallback(text) ? "Copied" : "Failed"); }
        );
      } else {
        show(button, copyFallback(text) ? "Copied" : "Failed");
      }
    });
    holder.classList.add("has-copy-button");
    holder.insertBefore(button, pre);
  }

  function init() {
    var blocks = document.querySelectorAll("div.highlight > pre, pre.literal-block");
    for (var i = 0; i < blocks.length; i++) {
      var pre = blocks[i];
      if (pre.matches("pre.literal-block")) {
        // A docutils block: wrap it so the button can sit in its corner.
        var wrap = document.createElement("div");
        wrap.className = "copy-wrap";
        pre.parentNode.insertBefore(wrap, pre);
        wrap.appendChild(pre);
      }
      addButton(pre);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
