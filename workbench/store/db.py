"""The SQLite connection and the document writes that must stay consistent.

Everything is one SQLite file opened through sqlite-utils, in WAL mode so the
review UI can read while an import writes. Callers use the sqlite-utils API
directly; the tables are owned by ``migrations``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from workbench.store import migrations

DEFAULT_DB = "workbench.db"
#: One document is one unit of review: beyond these it is refused with a message
#: (split the file) rather than stored as millions of rows no page can show.
MAX_SEGMENTS = 50_000
MAX_SEGMENT_CHARS = 20_000
STATUSES = ("new", "draft", "translated", "approved", "rejected")


class ConflictError(Exception):
    """A save was based on a version of the segment that is no longer current."""

    def __init__(self, current: dict):
        super().__init__(f"segment {current['id']} changed since you loaded it")
        self.current = current


class DuplicateDocument(Exception):
    """The same content (``content_sha256``) of the same kind is already a document of
    the project: two imports of one file that ran at the same time."""

    def __init__(self, document_id: int):
        super().__init__(f"already imported as document {document_id}")
        self.document_id = document_id


def now() -> str:
    """UTC timestamp in ISO 8601 with seconds, the one format stored everywhere."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def select_rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    """``db.query`` for plain SELECTs on the hot paths (every request looks up its user):
    sqlite-utils wraps each query in a savepoint, which outside a transaction begins and
    commits one, two more statements than the SELECT."""
    cursor = db.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, values, strict=True)) for values in cursor.fetchall()]


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the write lock first (``BEGIN IMMEDIATE``).

    Why not ``db.atomic()``: its deferred ``BEGIN`` starts as a reader; under WAL a
    reader whose snapshot another connection has since committed over cannot
    become a writer, and SQLite fails at once with "database is locked" instead of
    waiting out the busy timeout. Taking the lock up front makes the busy timeout
    apply. Inside an open transaction this is a savepoint (``atomic``).
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        raise
    else:
        db.execute("COMMIT")


def db_path(path: str | os.PathLike | None = None) -> Path:
    """Resolve ``--db``, then ``WORKBENCH_DB``, then ``workbench.db`` in the cwd."""
    return Path(path or os.environ.get("WORKBENCH_DB") or DEFAULT_DB)


def connect(path: str | os.PathLike | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the database, its schema upgraded (``migrations``)."""
    conn = sqlite3.connect(str(db_path(path)), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA busy_timeout = 30000")
    db.execute("PRAGMA foreign_keys = ON")
    if db.journal_mode != "wal":
        db.enable_wal()
    migrations.upgrade(db, db_path(path))
    return db


def default_project(db: sqlite_utils.Database, name: str = "Default") -> int:
    """The id of the named project, created on first use."""
    with write_transaction(db):
        rows = list(db["projects"].rows_where("name = ?", [name]))
        if rows:
            return rows[0]["id"]
        return db["projects"].insert({"name": name, "created_at": now()}).last_pk


def insert_document(
    db: sqlite_utils.Database, document: dict, segments: list[dict], author: str
) -> int:
    """Store a document and its segments in one transaction; returns the document id.

    Raises ValueError (a message for the user) beyond MAX_SEGMENTS segments or
    MAX_SEGMENT_CHARS characters in one segment's source or target, and
    DuplicateDocument when a document of the same ``content_sha256``, kind and
    project exists: checked inside the write transaction, so imports of one file
    running at the same time store it once (their callers' own check is outside)."""
    if len(segments) > MAX_SEGMENTS:
        raise ValueError(
            f"the document has {len(segments):,} segments; at most {MAX_SEGMENTS:,} fit in one"
            " document: split the file"
        )
    for number, segment in enumerate(segments, 1):
        longest = max(len(segment.get("source") or ""), len(segment.get("target") or ""))
        if longest > MAX_SEGMENT_CHARS:
            raise ValueError(
                f"segment {number} has {longest:,} characters; at most {MAX_SEGMENT_CHARS:,}"
                " fit in one segment: check the file's sentence breaks"
            )
    stamp = now()
    with write_transaction(db):
        document = {"created_at": stamp, **document}
        document.setdefault("project_id", default_project(db))
        if document.get("content_sha256"):
            found = db.execute(
                "SELECT id FROM documents WHERE content_sha256 = ? AND kind IS ?"
                " AND project_id = ?",
                [document["content_sha256"], document.get("kind"), document["project_id"]],
            ).fetchone()
            if found:
                raise DuplicateDocument(found[0])
        doc_id = db["documents"].insert(document).last_pk
        rows = [
            {
                "document_id": doc_id,
                "position": position,
                "version": 1,
                "updated_at": stamp,
                "updated_by": author,
                "target": "",
                "status": "new",
                "translate": 1,
                **segment,
            }
            for position, segment in enumerate(segments)
        ]
        db["segments"].insert_all(rows)
        db.execute(
            "INSERT INTO revisions"
            " (segment_id, version, target, status, author, action, created_at)"
            " SELECT id, version, target, status, ?, 'import', ? FROM segments"
            " WHERE document_id = ?",
            [author, stamp, doc_id],
        )
    return doc_id
