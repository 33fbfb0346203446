-- A change counter for the glossary. The server keeps each project's terms, with
-- their matching index, between requests (a glossary of thousands of terms took
-- 170 ms to load and index on every save); one read of this row tells it whether
-- anything changed, whichever process changed it (the CLI's `terms import` too).
CREATE TABLE "glossary_version" ("version" INTEGER NOT NULL);
INSERT INTO "glossary_version" ("version") VALUES (0);
CREATE TRIGGER "terms_inserted" AFTER INSERT ON "terms"
BEGIN UPDATE "glossary_version" SET "version" = "version" + 1; END;
CREATE TRIGGER "terms_updated" AFTER UPDATE ON "terms"
BEGIN UPDATE "glossary_version" SET "version" = "version" + 1; END;
CREATE TRIGGER "terms_deleted" AFTER DELETE ON "terms"
BEGIN UPDATE "glossary_version" SET "version" = "version" + 1; END;
CREATE TRIGGER "term_forms_inserted" AFTER INSERT ON "term_forms"
BEGIN UPDATE "glossary_version" SET "version" = "version" + 1; END;
CREATE TRIGGER "term_forms_updated" AFTER UPDATE ON "term_forms"
BEGIN UPDATE "glossary_version" SET "version" = "version" + 1; END;
CREATE TRIGGER "term_forms_deleted" AFTER DELETE ON "term_forms"
BEGIN UPDATE "glossary_version" SET "version" = "version" + 1; END;
