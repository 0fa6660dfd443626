#!/usr/bin/env python3
"""Build every .rst page under SRC into DEST with docutils' html5 writer, in
one Python process (bench/run's "docutils (1 process)" peer).

Usage: docutils_batch.py SRC DEST

Settings are those libvirt's build passes to rst2html5 (`--stylesheet=`),
without reading docutils config files. Exits 1 if any page fails.
"""
import os
import sys
import warnings

warnings.simplefilter("ignore")  # publish_file's pending-deprecation notice

from docutils.core import publish_file  # noqa: E402


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dest = sys.argv[1], sys.argv[2]
    settings = {
        "stylesheet_path": "",
        "stylesheet": "",
        "_disable_config": True,
        "report_level": 3,  # print errors only, as a quiet build would
    }
    failed = 0
    pages = []
    for root, dirs, files in os.walk(src, followlinks=True):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".rst") and not name.startswith("."):
                pages.append(os.path.join(root, name))
    for path in pages:
        rel = os.path.relpath(path, src)
        out = os.path.join(dest, rel[: -len(".rst")] + ".html")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        try:
            publish_file(
                source_path=path,
                destination_path=out,
                writer_name="html5",
                settings_overrides=settings,
            )
        except Exception as e:  # a page docutils rejects (SystemMessage)
            failed += 1
            print(f"docutils_batch: {rel}: {e}", file=sys.stderr)
    print(f"docutils_batch: {len(pages) - failed}/{len(pages)} pages built", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
