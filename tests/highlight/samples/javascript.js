// Search box: load the index on first use.
'use strict';

const MIN_LENGTH = 2;
let index = null;

/**
 * Loads search-index.js once.
 */
async function loadIndex(root) {
  if (index !== null) return index;
  const response = await fetch(`${root}search-index.js`);
  index = JSON.parse(await response.text());
  return index;
}

class Results {
  constructor(list) {
    this.list = list;
  }

  render(query) {
    const words = query.toLowerCase().split(/\s+/);
    return this.list
      .filter((entry) => words.every((w) => entry.text.includes(w)))
      .map((entry) => `<li>${entry.title}</li>`)
      .join("");
  }
}

document.addEventListener('keydown', (e) => {
  if (e.key === '/' && e.target.tagName !== "INPUT") {
    e.preventDefault();
    console.log("focus", 0x1f, 3.5, true, undefined);
  }
});
export { loadIndex, Results };
