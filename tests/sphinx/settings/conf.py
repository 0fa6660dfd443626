# Settings of the golden pages (kbgen's tests/sphinx_goldens.rs uses the same).
extensions = []
version = '2.0'
release = '2.0.1rc1'
today = 'Jan 01, 2000'
rst_prolog = """
.. |proj| replace:: ProjectName
"""
rst_epilog = """
.. |ep| replace:: EpilogText

Epilog paragraph.
"""
