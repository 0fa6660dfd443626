# A conf.py written for kbgen's tests: the idioms real Sphinx projects use
# to compute their settings. Goldens: tests/conf_py/record-goldens.
import os
import sys
import re
import sphinx
from sphinx.errors import ConfigError
from os.path import join as pjoin

sys.path.insert(0, os.path.abspath("ext"))
sys.path.append(os.path.join(os.path.dirname(__file__), "..", "scripts"))

if sys.version_info < (3, 6):
    raise ConfigError("too old")

try:
    docdir
except NameError:
    docdir = os.path.abspath(".")

try:
    import kbgen_missing_theme_module
    html_theme = "missing"
except ImportError:
    html_theme = "alabaster"

project = u"Idioms" + " " + "Test"
author = "The %s Authors" % project
copyright = "2024-{}, {}".format(2025, author)

try:
    found = None
    with open(os.path.join(docdir, "../VERSION")) as f:
        found = f.readline().strip()
except:
    pass
finally:
    if found:
        version = release = found
    else:
        version = release = "unknown"

major, minor, patch = release.split(".")
version = f"{major}.{minor}"
release = "%s.%s.%s" % (major, minor, patch)

extensions = ["sphinx.ext.mathjax", "kbgen_custom_ext"]
if sphinx.version_info[:3] > (4, 0, 0):
    tags.add("modern")
    extensions += ["later_ext"]
else:
    extensions += ["old_ext"]
extensions.append("appended_ext")

master_doc = "contents"
source_suffix = [".rst", ".txt"]
exclude_patterns = ["_build", "**/.*"] + [p + ".rst" for p in ("draft", "old") if p != "old"]
default_role = "any" if "modern" in tags else None
primary_domain = "c"
highlight_language = "none"
numfig = True
numfig_format = {"figure": "Figure %s", **{"table": "Table %s"}}
numfig_secnum_depth = 2
language = None
today_fmt = "%Y-%m-%d"
manpages_url = "https://man.example.org/{page}.{section}"
html_static_path = [pjoin(docdir, "static"), "_static"]

confdir = os.getenv("KBGEN_TEST_CONFDIR", "/etc/kbgen")
prefix = os.environ.get("KBGEN_TEST_PREFIX", "/usr")
rst_epilog = ".. |CONFDIR| replace:: ``" + confdir + "``\n"
rst_epilog += ".. |PREFIX| replace:: %s\n" % prefix
with open(os.path.join(docdir, "substitutions.rst.inc")) as f:
    rst_epilog += f.read()
rst_epilog += open(os.path.join(docdir, "..", "shared", "extra.txt")).read()

names = ", ".join(sorted(["b", "a", "c"])).upper()
title_parts = {"name": project, "ver": version}
rst_prolog = """
.. |names| replace:: %s
.. |title| replace:: {name} {ver}
""".strip() % names
rst_prolog = rst_prolog.replace("{name}", title_parts["name"]).replace("{ver}", title_parts["ver"])
rst_prolog += "\n.. |padded| replace:: [%5s|%-4d|%.2f]\n" % ("ab", 7, 2.5)
rst_prolog += f".. |fmt| replace:: {project!r:>20} {len(extensions):03d} {numfig_secnum_depth * 1.5}\n"


def setup(app):
    app.add_css_file("custom.css")


def make_title():
    return project + " manual"


html_title = make_title()
