# Golden project for kbgen's project-wide dump (tests/sphinx_goldens.rs).
project = 'Golden'
extensions = []
