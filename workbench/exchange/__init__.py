"""Exchange with CAT tools: approved segments out as translation units, finished XLIFF back in.

Between the database and ``formats``.
May import: aligner, formats, store, mt, tm, review."""
