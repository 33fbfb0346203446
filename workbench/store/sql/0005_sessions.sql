-- Server-side sessions (the cookie holds only a random id; the row is keyed by its
-- HMAC) and user ids that are never reused: AUTOINCREMENT, so the cookie or token
-- of a removed user can never name a user created later. The users table is
-- rebuilt keeping every row and id.
CREATE TABLE "users_new" (
   "id" INTEGER PRIMARY KEY AUTOINCREMENT,
   "name" TEXT NOT NULL,
   "role" TEXT NOT NULL,
   "password_hash" TEXT,
   "token_hash" TEXT,
   "created_at" TEXT NOT NULL
);
INSERT INTO "users_new" ("id", "name", "role", "password_hash", "token_hash", "created_at")
    SELECT "id", "name", "role", "password_hash", "token_hash", "created_at" FROM "users";
DROP TABLE "users";
ALTER TABLE "users_new" RENAME TO "users";
CREATE UNIQUE INDEX "idx_users_name" ON "users" ("name");
CREATE INDEX "idx_users_token_hash" ON "users" ("token_hash");
CREATE TABLE "sessions" (
   "id" TEXT PRIMARY KEY,
   "user_id" INTEGER,
   "data" TEXT NOT NULL,
   "created_at" REAL NOT NULL,
   "last_seen" REAL NOT NULL
);
CREATE INDEX "sessions_user" ON "sessions" ("user_id");
