# Settings of the golden pages (kbgen's tests/sphinx_goldens.rs uses the same).
extensions = []
