-- Migration 3: glossaries (issue 16). A term belongs to a project, or to every
-- project when project_id is NULL (the shared glossary). Language tags are kept
-- as written (zh-CN, zh-TW, en-US); matching compares the base language.
CREATE TABLE "terms" (
   "id" INTEGER PRIMARY KEY,
   "project_id" INTEGER REFERENCES "projects"("id"),
   "source_lang" TEXT NOT NULL,
   "target_lang" TEXT NOT NULL,
   "source" TEXT NOT NULL,
   "target" TEXT NOT NULL DEFAULT '',
   "pos" TEXT,
   "note" TEXT,
   "case_sensitive" INTEGER NOT NULL DEFAULT 0,
   "origin" TEXT,
   "created_by" TEXT,
   "created_at" TEXT NOT NULL,
   "updated_by" TEXT,
   "updated_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "idx_terms_entry"
    ON "terms" (ifnull("project_id", 0), "source_lang", "target_lang", "source", "target");
CREATE INDEX "idx_terms_project" ON "terms" ("project_id");
-- Other forms of an entry: side 'source' or 'target'; kind 'variant' (also right)
-- or 'forbidden' (a translation that must not be used; target side only).
CREATE TABLE "term_forms" (
   "id" INTEGER PRIMARY KEY,
   "term_id" INTEGER NOT NULL REFERENCES "terms"("id") ON DELETE CASCADE,
   "side" TEXT NOT NULL CHECK ("side" IN ('source', 'target')),
   "kind" TEXT NOT NULL CHECK ("kind" IN ('variant', 'forbidden')),
   "text" TEXT NOT NULL
);
CREATE UNIQUE INDEX "idx_term_forms" ON "term_forms" ("term_id", "side", "kind", "text");
-- Candidates proposed from the work (approved pairs, aligned documents), waiting
-- for a reviewer: status 'new', 'accepted' (then a term exists) or 'rejected'.
CREATE TABLE "term_candidates" (
   "id" INTEGER PRIMARY KEY,
   "project_id" INTEGER REFERENCES "projects"("id"),
   "source_lang" TEXT NOT NULL,
   "target_lang" TEXT NOT NULL,
   "source" TEXT NOT NULL,
   "target" TEXT NOT NULL,
   "frequency" INTEGER NOT NULL,
   "score" REAL NOT NULL,
   "status" TEXT NOT NULL DEFAULT 'new',
   "decided_by" TEXT,
   "decided_at" TEXT,
   "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "idx_term_candidates"
    ON "term_candidates" (ifnull("project_id", 0), "source_lang", "target_lang", "source", "target");
