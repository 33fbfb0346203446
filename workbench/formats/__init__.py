"""Interchange file formats: TMX, XLIFF, CSV/TSV, the translation unit they share, atomic writes.

Pure readers and writers of files; they know nothing of the database.
May import: aligner. Never: any other workbench package."""
