"""Review: saving segments, post-editing effort, QA, alignment repair, users and roles, scores.

What happens to a segment after import and before export.
May import: aligner, formats, store, mt, tm."""
