#!/bin/sh
# Records xmllint's verdict on the passthrough parts of every case under
# tests/xml/cases/ into tests/xml/golden/NAME.txt, so `cargo test` can check
# that kbgen agrees without needing xmllint.
#
# The extraction is independent of kbgen's (Python's expat, stdlib only):
# for `.block` cases elision lines (`...`, `[...]`, `....`) and `...` in
# attribute position are blanked, elements left open are closed and
# several top-level elements are wrapped; `.xml` cases are parsed as is.
# Every outermost element in a shipped passthrough namespace is written
# out with its namespace declarations and checked with
# `xmllint --noout --relaxng schemas/<ns>.rng` when the schema starts with
# it; any other element of the namespace (a lone `<qemu:property>`) is
# checked against a schema derived here, with ElementTree, as kbgen
# derives it (src/passes/xml_examples/lone.rs): the original grammar
# whose start is a choice of every `element` pattern in it.
#
# Golden format: `wellformed yes|no`, then one `subtree <local-name> valid|invalid` per subtree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$here/golden"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for case in "$here"/cases/*; do
    name=$(basename "$case")
    python3 - "$case" "$tmp" "$root" <<'PY' > "$tmp/list"
import copy, re, sys, xml.etree.ElementTree as ET
path, tmp, repo = sys.argv[1], sys.argv[2], sys.argv[3]
RNG = "{http://relaxng.org/ns/structure/1.0}"
def schema_for(prefix, local):
    """The original schema when its start names `local`, else the derived one."""
    grammar = ET.parse("%s/schemas/%s.rng" % (repo, prefix)).getroot()
    defines = {d.get("name"): d for d in grammar.findall(RNG + "define")}
    names, pending = [], list(grammar.find(RNG + "start"))
    while pending:
        n = pending.pop()
        if n.tag == RNG + "element":
            names.append(n.get("name"))
        elif n.tag == RNG + "ref":
            pending.extend(defines[n.get("name")])
        elif n.tag in (RNG + "choice", RNG + "group", RNG + "interleave"):
            pending.extend(n)
    if local in names:
        return "%s/schemas/%s.rng" % (repo, prefix)
    derived = ET.Element(grammar.tag, grammar.attrib)
    start = ET.SubElement(derived, RNG + "start")
    choice = ET.SubElement(start, RNG + "choice")
    elements = list(grammar.iter(RNG + "element"))
    for k, e in enumerate(elements):
        ET.SubElement(choice, RNG + "ref", name="lone%d" % k)
    for k, e in enumerate(elements):
        d = ET.SubElement(derived, RNG + "define", name="lone%d" % k)
        d.append(copy.deepcopy(e))
    for child in grammar:
        if child.tag != RNG + "start":
            derived.append(copy.deepcopy(child))
    out = "%s/%s-lone.rng" % (tmp, prefix)
    ET.ElementTree(derived).write(out, encoding="utf-8")
    return out
NS = {
    "http://libvirt.org/schemas/domain/qemu/1.0": "qemu",
    "http://libvirt.org/schemas/domain/bhyve/1.0": "bhyve",
    "http://libvirt.org/schemas/domain/xen/1.0": "xen",
    "http://libvirt.org/schemas/domain/lxc/1.0": "lxc",
}
text = open(path, encoding="utf-8").read()
if path.endswith(".block"):
    text = "\n".join(" " * len(l) if l.strip() in ("...", "[...]", "....") else l for l in text.split("\n"))
    text = re.sub(r"(<[A-Za-z][^<>]*?\s)\.\.\.(?=\s|/?>)", r"\1   ", text)
    stack, roots = [], 0
    for m in re.finditer(r"<!--.*?-->|<\?.*?\?>|<!.*?>|<(/?)([^\s/>!?]+)[^>]*?(/?)>", text, re.S):
        if not m.group(2):
            continue
        if m.group(1):
            if stack and stack[-1] == m.group(2):
                stack.pop()
        elif not m.group(3):
            if not stack:
                roots += 1
            stack.append(m.group(2))
        elif not stack:
            roots += 1
    text += "".join("</%s>" % n for n in reversed(stack))
    if roots > 1:
        m = re.match(r"\s*(<\?.*?\?>)?\s*(<!DOCTYPE[^>]*>)?", text, re.S)
        text = text[: m.end()] + "<kbgen-fragment>" + text[m.end():] + "</kbgen-fragment>"
try:
    root = ET.fromstring(text)
except Exception:
    print("wellformed no")
    sys.exit(0)
print("wellformed yes")
def ns_of(el):
    return el.tag[1:].split("}")[0] if el.tag.startswith("{") else None
n = 0
def walk(el, parent_ns):
    global n
    ns = ns_of(el)
    if ns in NS and ns != parent_ns:
        n += 1
        f = "%s/sub%d.xml" % (tmp, n)
        open(f, "w", encoding="utf-8").write(ET.tostring(el, encoding="unicode"))
        local = el.tag.split("}")[1]
        print("subtree %s %s %s" % (local, schema_for(NS[ns], local), f))
    for c in el:
        walk(c, ns)
walk(root, None)
PY
    {
        while read -r kind a b c; do
            if [ "$kind" = wellformed ]; then
                echo "wellformed $a"
            elif xmllint --noout --relaxng "$b" "$c" >/dev/null 2>&1; then
                echo "subtree $a valid"
            else
                echo "subtree $a invalid"
            fi
        done < "$tmp/list"
    } > "$here/golden/${name%.*}.txt"
done
echo "blessed $(ls "$here"/cases | wc -l) cases"
