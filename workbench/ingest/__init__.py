"""Ingest: reading input files, cleaning and splitting articles, importing them with MT,
aligning human translations.

Where a document enters the database.
May import: aligner, formats, store, mt, tm, review."""
