"""Ingest: reading input files, cleaning and splitting articles, importing them with MT,
aligning human translations. Web pages are read by their markup (html.py, html_rules.py).

Where a document enters the database.
May import: aligner, formats, store, mt, tm, review."""
