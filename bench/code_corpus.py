"""The code-heavy corpus of bench/run (issue 17): pages that are mostly code
blocks, as the manuals of C, shell and Python projects are.

Page n has a title, a paragraph, and ten sections, each a paragraph and one
code block; the blocks cycle through the fifteen languages of
tests/highlight/samples (console, bash, C, C++, Python, JSON, YAML, INI,
TOML, diff, Makefile, Rust, XML, Go, JavaScript), so every language appears
on every page and a half. Each block is that language's sample with the page
and block numbers put into its names (`guest1` -> `guest<n>_<k>`), so no two
blocks are the same. The RST pages use `.. code-block:: LANG` (which kbgen,
docutils and Sphinx read), the Markdown twins fenced blocks (which Hugo
highlights with Chroma). Deterministic: the same bytes every run.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "highlight" / "samples"
# Order of the languages on the pages; names Pygments, Chroma and kbgen all know.
LANGUAGES = ["console", "bash", "c", "cpp", "python", "json", "yaml", "ini", "toml",
             "diff", "makefile", "rust", "xml", "go", "javascript"]
BLOCKS_PER_PAGE = 10


def samples() -> dict[str, str]:
    by_stem = {p.stem: p for p in SAMPLES.iterdir()}
    return {lang: by_stem[lang].read_text(encoding="utf-8") for lang in LANGUAGES}


def key() -> str:
    """Hash of everything the corpus is made from."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for lang, text in samples().items():
        h.update(lang.encode() + b"\0" + text.encode())
    return h.hexdigest()


def page(n: int, count: int, fmt: str, code: dict[str, str]) -> str:
    title = f"Code page {n}: {LANGUAGES[n % len(LANGUAGES)]} and friends"
    nxt = (n + 1) % count
    out = []
    if fmt == "rst":
        out += ["=" * len(title), title, "=" * len(title), "",
                f"Examples for page {n}; the next page is `page {nxt} <code-{nxt}.html>`_.", ""]
    else:
        out += [f"# {title}", "", f"Examples for page {n}; the next page is [page {nxt}](code-{nxt}.md).", ""]
    for k in range(BLOCKS_PER_PAGE):
        lang = LANGUAGES[(n * BLOCKS_PER_PAGE + k) % len(LANGUAGES)]
        body = code[lang].replace("guest1", f"guest{n}_{k}")
        heading = f"Example {k + 1} ({lang})"
        text = f"Block {k + 1} of page {n} shows a {lang} example with {body.count(chr(10))} lines."
        if fmt == "rst":
            out += [heading, "-" * len(heading), "", text, "", f".. code-block:: {lang}", ""]
            out += [("   " + line) if line.strip() else "" for line in body.splitlines()]
            out.append("")
        else:
            out += [f"## {heading}", "", text, "", f"```{lang}"]
            out += body.splitlines()
            out += ["```", ""]
    return "\n".join(out) + "\n"


def generate(dest: Path, count: int, fmt: str) -> None:
    """Writes dest/content/code-<n>.<fmt> for n < count (dest must exist and be empty)."""
    code = samples()
    content = dest / "content"
    content.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (content / f"code-{n}.{fmt}").write_text(page(n, count, fmt, code), encoding="utf-8")
