"""Batch translation of whole corpora: read, split, translate in token-sorted batches, write.

No review database: only the MT cache is stored.
May import: aligner, formats, store, mt, ingest."""
