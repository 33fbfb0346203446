"""The SQLite schema and the few writes that must stay consistent.

Everything is one SQLite file opened through sqlite-utils, in WAL mode so the
review UI can read while an import writes. Callers use the sqlite-utils API
directly; this module only owns the schema and the multi-row writes.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

DEFAULT_DB = "workbench.db"
STATUSES = ("new", "draft", "translated", "approved", "rejected")


class ConflictError(Exception):
    """A save was based on a version of the segment that is no longer current."""

    def __init__(self, current: dict):
        super().__init__(f"segment {current['id']} changed since you loaded it")
        self.current = current


def now() -> str:
    """UTC timestamp in ISO 8601 with seconds, the one format stored everywhere."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def db_path(path: str | os.PathLike | None = None) -> Path:
    """Resolve ``--db``, then ``WORKBENCH_DB``, then ``workbench.db`` in the cwd."""
    return Path(path or os.environ.get("WORKBENCH_DB") or DEFAULT_DB)


def connect(path: str | os.PathLike | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the database with the schema in place."""
    conn = sqlite3.connect(str(db_path(path)), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA busy_timeout = 30000")
    db.execute("PRAGMA foreign_keys = ON")
    if db.journal_mode != "wal":
        db.enable_wal()
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables and indexes; existing data is never touched."""
    with db.atomic():
        if "projects" not in db.table_names():
            db["projects"].create({"id": int, "name": str, "created_at": str}, pk="id")
            db["projects"].create_index(["name"], unique=True)
        if "documents" not in db.table_names():
            db["documents"].create(
                {
                    "id": int,
                    "project_id": int,
                    "title": str,
                    "filename": str,
                    "content_sha256": str,
                    "source_lang": str,
                    "target_lang": str,
                    "kind": str,  # "mt" (sentences + MT) or "aligned" (with a human translation)
                    "metadata": str,  # JSON: date, author, … read from the page furniture
                    "mt_model": str,
                    "mt_tiny": int,
                    "source_words": int,  # counted at import (jieba words for Chinese)
                    "created_at": str,
                },
                pk="id",
                foreign_keys=[("project_id", "projects", "id")],
                not_null={"title", "source_lang", "target_lang", "created_at"},
            )
            db["documents"].create_index(["content_sha256"])
        if "source_words" not in db["documents"].columns_dict:  # databases from 0.1.0 betas
            db["documents"].add_column("source_words", int)
        if "segments" not in db.table_names():
            db["segments"].create(
                {
                    "id": int,
                    "document_id": int,
                    "position": int,
                    "paragraph": int,
                    "translate": int,  # 0: page furniture, kept but not for translation
                    "furniture": str,  # why it is furniture ("share", "byline", …)
                    "source": str,
                    "mt": str,
                    "target": str,
                    "status": str,
                    "confidence": float,
                    "version": int,
                    "updated_at": str,
                    "updated_by": str,
                    "note": str,  # e.g. the reason of a rejection
                    "edit_ms": int,  # editing time spent on the target, summed over saves
                },
                pk="id",
                foreign_keys=[("document_id", "documents", "id")],
                not_null={"document_id", "position", "source", "status", "version"},
                defaults={"translate": 1, "status": "new", "version": 1, "target": ""},
            )
            db["segments"].create_index(["document_id", "position"], unique=True)
            db["segments"].create_index(["status"])
        if "revisions" not in db.table_names():
            db["revisions"].create(
                {
                    "id": int,
                    "segment_id": int,
                    "version": int,
                    "target": str,
                    "status": str,
                    "author": str,
                    "action": str,
                    "note": str,
                    "created_at": str,
                },
                pk="id",
                foreign_keys=[("segment_id", "segments", "id")],
            )
            db["revisions"].create_index(["segment_id", "version"])
        if "mt_cache" not in db.table_names():
            db["mt_cache"].create(
                {"model": str, "source": str, "translation": str, "created_at": str},
                pk=("model", "source"),
            )
        if "users" not in db.table_names():
            db["users"].create(
                {
                    "id": int,
                    "name": str,
                    "role": str,  # translator, reviewer or admin
                    "password_hash": str,  # werkzeug scrypt/pbkdf2 hash, never the password
                    "token_hash": str,  # sha256 of the API token; the token itself is shown once
                    "created_at": str,
                },
                pk="id",
                not_null={"name", "role", "created_at"},
            )
            db["users"].create_index(["name"], unique=True)
            db["users"].create_index(["token_hash"])
        if "settings" not in db.table_names():
            db["settings"].create({"key": str, "value": str}, pk="key")
        # Feature modules own their tables (lazy import: they import this module).
        from workbench import repair, tm

        tm.create_tables(db)
        repair.create_tables(db)


def default_project(db: sqlite_utils.Database, name: str = "Default") -> int:
    """The id of the named project, created on first use."""
    rows = list(db["projects"].rows_where("name = ?", [name]))
    if rows:
        return rows[0]["id"]
    return db["projects"].insert({"name": name, "created_at": now()}).last_pk


def insert_document(
    db: sqlite_utils.Database, document: dict, segments: list[dict], author: str
) -> int:
    """Store a document and its segments in one transaction; returns the document id."""
    stamp = now()
    with db.atomic():
        document = {"created_at": stamp, **document}
        document.setdefault("project_id", default_project(db))
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


def save_segment(
    db: sqlite_utils.Database,
    segment_id: int,
    *,
    base_version: int,
    author: str,
    target: str | None = None,
    status: str | None = None,
    action: str = "save",
) -> dict:
    """Save a target and/or status if nobody saved since ``base_version``.

    The version check and the write are one UPDATE, so two editors racing on
    the same segment cannot both win: the loser gets ConflictError with the
    current row, and a revision row records every successful save. An
    approved segment enters the translation memory in the same transaction.
    """
    from workbench import tm

    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    stamp = now()
    # Plain statements rather than Table.get/Table.insert: those look up the
    # table's columns and keys (several sqlite_master/table_info queries) on
    # every call, inside the write transaction that every other save waits for.
    with db.atomic():
        updated = db.execute(
            "UPDATE segments SET target = COALESCE(?, target), status = COALESCE(?, status),"
            " version = version + 1, updated_at = ?, updated_by = ?"
            " WHERE id = ? AND version = ?",
            [target, status, stamp, author, segment_id, base_version],
        ).rowcount
        cursor = db.execute("SELECT * FROM segments WHERE id = ?", [segment_id])
        values = cursor.fetchone()
        if values is None:
            raise sqlite_utils.db.NotFoundError
        row = dict(zip([column[0] for column in cursor.description], values, strict=True))
        if updated == 0:
            raise ConflictError(row)
        db.execute(
            "INSERT INTO revisions"
            " (segment_id, version, target, status, author, action, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [segment_id, row["version"], row["target"], row["status"], author, action, stamp],
        )
        if row["status"] == "approved":
            tm.add_approved(db, row["id"])
    return row
