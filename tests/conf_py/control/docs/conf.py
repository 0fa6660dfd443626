# A conf.py written for kbgen's tests: control flow, containers and
# conversions a settings file may use. Goldens: tests/conf_py/record-goldens.
import os
import sys
import time
from os import path

pages = ["intro", "usage", "api"]
patterns = []
for i, page in enumerate(pages, start=1):
    if page == "api":
        continue
    patterns.append("%02d-%s" % (i, page))
else:
    patterns += ("tail",)
exclude_patterns = patterns + [p for p in pages if p.startswith("u")]

n = 0
while True:
    n += 1
    if n >= 3:
        break
numfig_secnum_depth = n

a, (b, c) = 1, (2, 3)
version = "%d.%d.%d" % (a, b, c)
release = version + ("-linux" if sys.platform.startswith("linux") else "")

settings = {"lang": "de"}
settings["lang"] = "fr"
settings.update(role="code")
settings.setdefault("lang", "ignored")
language = settings["lang"]
default_role = settings.get("role", "x")
primary_domain = settings.get("missing")

conf_dir = path.dirname(path.abspath(__file__))
if path.exists(path.join(conf_dir, "static")) and not path.isfile(path.join(conf_dir, "static")):
    html_static_path = ["static"]
else:
    html_static_path = ["nothing"]

words = "  alpha, beta ,gamma  ".strip().split(",")
project = "-".join(w.strip().title() for w in words)
i = "unchanged by the comprehension"
title_words = [i.upper() for i in words]
rst_prolog = "\n".join(sorted({"b": 1, "a": 2}.keys())) + "\n" + i + "\n"
highlight_language = "python3" if len(pages) > 2 and "x" not in pages else "none"
numfig = bool(os.environ.get("KBGEN_TEST_NUMFIG"))
manpages_url = "https://man.example.org/{}/{}".format("{page}", "{section}")
today_fmt = "%d %B %Y"
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
extensions = [e for e in ("sphinx.ext.githubpages", "sphinx.ext.todo") if isinstance(e, str)]
rst_epilog = ":".join([
    str(3 * 7), repr(1.5), str([1, "x", None, True]), str(10 // 3) + str(-7 % 3),
    "%r" % ("q",), str(2 ** 10), str(7 / 2), str(any([0, 1])) + str(all([1, ""])),
    "{0}{1}{0}".format("ab", "-"), "%(k)s=%(v)05.1f" % {"k": "x", "v": 2.25},
    str(list(zip("ab", [1, 2]))), "{:>6}|{:<4}|{:^5}|".format("r", "l", "c"),
    "tab\there".expandtabs(4) if False else "x".zfill(3), "a,b,,c".split(",", 2)[2],
    " ".join(reversed(["1", "2"])) if False else "/".join(path.splitext("a/b.tar.gz")),
])
today = time.strftime("%Y")
