"""Machine translation: Argos packages (install, list), the CTranslate2 translator, its cache.

One loaded model per direction; translations cached in SQLite.
May import: aligner, store."""
