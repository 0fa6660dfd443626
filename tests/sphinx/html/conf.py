# Settings of the HTML goldens (tests/sphinx_html.rs uses the same).
extensions = []
manpages_url = "https://man.example.org/{page}.{section}"
