-- Login throttling counts in the database (they were in the server's memory: a
-- restart cleared them and two server processes each kept their own). One row per
-- account name or client address with failures in the last hour; rows older than
-- that are deleted by the next login attempt (hence the index on "last").
CREATE TABLE "login_failures" (
   "kind" TEXT NOT NULL,
   "key" TEXT NOT NULL,
   "count" INTEGER NOT NULL,
   "last" REAL NOT NULL,
   PRIMARY KEY ("kind", "key")
) WITHOUT ROWID;
CREATE INDEX "login_failures_last" ON "login_failures" ("last");
-- The session key lives in <db>.key or WORKBENCH_SECRET_KEY since migration 5; a
-- key left in the database would let whoever reads a copy of it forge cookies
-- signed by an older version.
DELETE FROM "settings" WHERE "key" = 'secret_key';
