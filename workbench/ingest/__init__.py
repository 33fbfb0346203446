"""Ingest: reading input files, cleaning and splitting articles, importing them with MT,
aligning human translations. Web pages are read by their markup (html.py, html_rules.py),
Markdown by markdown-it-py with a work budget (markdown.py).

Where a document enters the database.
May import: aligner, formats, store, mt, tm, review."""
