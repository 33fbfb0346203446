"""Numbered schema migrations: the one owner of every table in the database.

The database's ``PRAGMA user_version`` is the number of migrations applied.
Opening a database applies the missing ones in order, in one transaction,
after copying the file to ``<db>.bak-v<N>``; a database whose version is newer
than this code is refused rather than guessed at. A new table or column is a
new migration appended to ``MIGRATIONS``: a SQL file in ``store/sql/`` or a
small function; a migration that has been released is never edited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

SQL_DIR = Path(__file__).resolve().parent / "sql"


class SchemaError(Exception):
    """The database cannot be opened by this version of Workbench."""


@dataclass(frozen=True)
class Migration:
    number: int
    description: str
    apply: Callable[[sqlite_utils.Database], None]


def _sql_file(name: str) -> Callable[[sqlite_utils.Database], None]:
    def apply(db: sqlite_utils.Database) -> None:
        script = (SQL_DIR / name).read_text(encoding="utf-8")
        # executescript would COMMIT first; run statement by statement instead.
        for statement in _statements(script):
            db.execute(statement)

    return apply


def _statements(script: str) -> list[str]:
    """Split a migration script on semicolons that end a complete statement."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise SchemaError(f"incomplete SQL statement in a migration: {buffer.strip()[:60]}")
    return statements


def _baseline(db: sqlite_utils.Database) -> None:
    _sql_file("0001_baseline.sql")(db)
    # Databases from the 0.1.0 betas lack the word count column.
    if "source_words" not in db["documents"].columns_dict:
        db.execute('ALTER TABLE "documents" ADD COLUMN "source_words" INTEGER')


MIGRATIONS: list[Migration] = [
    Migration(1, "the 0.1.0 schema", _baseline),
    Migration(
        2,
        "interchange without loss: TM metadata, inline codes, contexts, FTS, foreign XLIFF",
        _sql_file("0002_interchange.sql"),
    ),
    Migration(
        3, "glossaries: terms, their forms, extracted candidates", _sql_file("0003_terms.sql")
    ),
    Migration(
        4, "TM leverage: match marks on segments, project settings", _sql_file("0004_leverage.sql")
    ),
    Migration(5, "server-side sessions; user ids never reused", _sql_file("0005_sessions.sql")),
    Migration(
        6,
        "login throttling counts in the database; the old secret_key setting dropped",
        _sql_file("0006_login_failures.sql"),
    ),
    Migration(
        7,
        "a glossary change counter, so the server keeps terms between requests",
        _sql_file("0007_glossary_version.sql"),
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)


def version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def check_version(current: int) -> None:
    if current > SCHEMA_VERSION:
        raise SchemaError(
            f"the database has schema version {current}, newer than this Workbench"
            f" understands ({SCHEMA_VERSION}): it was written by a newer Workbench;"
            " upgrade Workbench instead of opening it with this one"
        )


def backup_path(path: Path, current: int) -> Path:
    return path.with_name(f"{path.name}.bak-v{current}")


def upgrade(db: sqlite_utils.Database, path: Path | None = None) -> list[Migration]:
    """Apply the pending migrations in one transaction; returns those applied.

    With ``path``, a database that already holds tables is first copied to
    ``backup_path`` (SQLite's online backup: a consistent copy even in WAL mode).
    """
    current = version(db)
    check_version(current)
    pending = MIGRATIONS[current:]
    if not pending:
        return []
    if path is not None and db.table_names():
        target = backup_path(path, current)
        with sqlite3.connect(str(target)) as copy:
            db.conn.backup(copy)
        copy.close()
    db.execute("BEGIN IMMEDIATE")
    try:
        if version(db) != current:  # another process upgraded it while we waited
            db.conn.rollback()
            return upgrade(db)
        for migration in pending:
            migration.apply(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.conn.rollback()
        raise
    db.execute("COMMIT")
    return pending
