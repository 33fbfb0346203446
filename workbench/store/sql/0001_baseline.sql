-- Migration 1: the schema of Workbench 0.1.0, the first released one.
-- IF NOT EXISTS adopts databases made before the schema had a version.
CREATE TABLE IF NOT EXISTS "projects" (
   "id" INTEGER PRIMARY KEY,
   "name" TEXT,
   "created_at" TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS "idx_projects_name"
    ON "projects" ("name");
CREATE TABLE IF NOT EXISTS "documents" (
   "id" INTEGER PRIMARY KEY,
   "project_id" INTEGER REFERENCES "projects"("id"),
   "title" TEXT NOT NULL,
   "filename" TEXT,
   "content_sha256" TEXT,
   "source_lang" TEXT NOT NULL,
   "target_lang" TEXT NOT NULL,
   "kind" TEXT,
   "metadata" TEXT,
   "mt_model" TEXT,
   "mt_tiny" INTEGER,
   "source_words" INTEGER,
   "created_at" TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_documents_content_sha256"
    ON "documents" ("content_sha256");
CREATE TABLE IF NOT EXISTS "segments" (
   "id" INTEGER PRIMARY KEY,
   "document_id" INTEGER NOT NULL REFERENCES "documents"("id"),
   "position" INTEGER NOT NULL,
   "paragraph" INTEGER,
   "translate" INTEGER DEFAULT 1,
   "furniture" TEXT,
   "source" TEXT NOT NULL,
   "mt" TEXT,
   "target" TEXT DEFAULT '',
   "status" TEXT NOT NULL DEFAULT 'new',
   "confidence" REAL,
   "version" INTEGER NOT NULL DEFAULT 1,
   "updated_at" TEXT,
   "updated_by" TEXT,
   "note" TEXT,
   "edit_ms" INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS "idx_segments_document_id_position"
    ON "segments" ("document_id", "position");
CREATE INDEX IF NOT EXISTS "idx_segments_status"
    ON "segments" ("status");
CREATE TABLE IF NOT EXISTS "revisions" (
   "id" INTEGER PRIMARY KEY,
   "segment_id" INTEGER REFERENCES "segments"("id"),
   "version" INTEGER,
   "target" TEXT,
   "status" TEXT,
   "author" TEXT,
   "action" TEXT,
   "note" TEXT,
   "created_at" TEXT
);
CREATE INDEX IF NOT EXISTS "idx_revisions_segment_id_version"
    ON "revisions" ("segment_id", "version");
CREATE TABLE IF NOT EXISTS "mt_cache" (
   "model" TEXT,
   "source" TEXT,
   "translation" TEXT,
   "created_at" TEXT,
   PRIMARY KEY ("model", "source")
);
CREATE TABLE IF NOT EXISTS "users" (
   "id" INTEGER PRIMARY KEY,
   "name" TEXT NOT NULL,
   "role" TEXT NOT NULL,
   "password_hash" TEXT,
   "token_hash" TEXT,
   "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "idx_users_name"
    ON "users" ("name");
CREATE INDEX IF NOT EXISTS "idx_users_token_hash"
    ON "users" ("token_hash");
CREATE TABLE IF NOT EXISTS "settings" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
);
CREATE TABLE IF NOT EXISTS tm_units ( id INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, source_key TEXT NOT NULL, tokens TEXT NOT NULL, n_tokens INTEGER NOT NULL, origin TEXT NOT NULL, created_at TEXT NOT NULL, changed_at TEXT NOT NULL, changed_by TEXT, props TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS tm_units_key ON tm_units (source_lang, target_lang, source_key);
CREATE TABLE IF NOT EXISTS tm_history ( id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES tm_units(id), target TEXT NOT NULL, origin TEXT, changed_at TEXT, changed_by TEXT, props TEXT, replaced_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tm_history_unit ON tm_history (unit_id);
CREATE TABLE IF NOT EXISTS tm_index ( token TEXT NOT NULL, unit_id INTEGER NOT NULL, PRIMARY KEY (token, unit_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tm_tokens ( token TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS repairs ( id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id), action TEXT NOT NULL, author TEXT, created_at TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, positions TEXT, repointed TEXT, undone_at TEXT, undone_by TEXT);
CREATE INDEX IF NOT EXISTS repairs_document ON repairs (document_id, id);
