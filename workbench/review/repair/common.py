"""Shared helpers of the repair operations: reading segments, conditional versioned
writes with a revision row, position shifts and the undo record (``repairs``)."""

from __future__ import annotations

import json
import re

import sqlite_utils

from workbench.store.db import ConflictError

#: Segment columns a snapshot restores (id, document_id and version are handled apart).
CONTENT_COLUMNS = (
    "position",
    "paragraph",
    "translate",
    "furniture",
    "source",
    "mt",
    "target",
    "status",
    "confidence",
    "updated_at",
    "updated_by",
    "note",
    "edit_ms",
)


class RepairError(ValueError):
    """A repair that cannot be done as asked; the message says why, for the user."""


# --------------------------------------------------------------------------- helpers


def get_segment(db: sqlite_utils.Database, segment_id: int) -> dict:
    rows = list(db.query("SELECT * FROM segments WHERE id = ?", [segment_id]))
    if not rows:
        raise RepairError(f"segment {segment_id} does not exist")
    return rows[0]


def languages(db: sqlite_utils.Database, document_id: int) -> tuple[str, str]:
    row = db.execute(
        "SELECT source_lang, target_lang FROM documents WHERE id = ?", [document_id]
    ).fetchone()
    if row is None:
        raise RepairError(f"document {document_id} does not exist")
    return row[0], row[1]


def check_base(segment: dict, base_version: int | None) -> None:
    if base_version is not None and segment["version"] != base_version:
        raise ConflictError(segment)


def adjacent(
    db: sqlite_utils.Database, segment: dict, direction: str, translatable_only: bool = False
) -> dict | None:
    """The segment right before/after in position order (optionally skipping furniture)."""
    op, order = (">", "ASC") if direction == "down" else ("<", "DESC")
    extra = " AND translate" if translatable_only else ""
    rows = list(
        db.query(
            f"SELECT * FROM segments WHERE document_id = ? AND position {op} ?{extra}"
            f" ORDER BY position {order} LIMIT 1",
            [segment["document_id"], segment["position"]],
        )
    )
    return rows[0] if rows else None


_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def join_text(first: str | None, second: str | None, lang: str) -> str:
    """Join two pieces of one language: a space for English, nothing for Chinese
    (except between two Latin words/numbers, which Chinese text also spaces)."""
    first, second = (first or "").strip(), (second or "").strip()
    if not first or not second:
        return first or second
    if lang.startswith("zh") and not (
        _ASCII_ALNUM.match(first[-1]) and _ASCII_ALNUM.match(second[0])
    ):
        return first + second
    return f"{first} {second}"


def sentences_of(text: str, lang: str) -> list[str]:
    from aligner import split_sentences

    base = "zh" if lang.startswith("zh") else "en"
    return split_sentences(text or "", base)


def update(
    db: sqlite_utils.Database, before: dict, changes: dict, author: str, action: str, stamp: str
) -> dict:
    """Write ``changes`` if the row is still at the version read; bump it; add a revision."""
    columns = {**changes, "updated_at": stamp, "updated_by": author}
    assignments = ", ".join(f"{name} = ?" for name in columns)
    cursor = db.execute(
        f"UPDATE segments SET {assignments}, version = version + 1 WHERE id = ? AND version = ?",
        [*columns.values(), before["id"], before["version"]],
    )
    if cursor.rowcount == 0:
        raise ConflictError(get_segment(db, before["id"]))
    row = get_segment(db, before["id"])
    revision(db, row, author, action, stamp)
    return row


def revision(db: sqlite_utils.Database, row: dict, author: str, action: str, stamp: str) -> None:
    db.execute(
        "INSERT INTO revisions (segment_id, version, target, status, author, action, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [row["id"], row["version"], row["target"], row["status"], author, action, stamp],
    )


def insert(db: sqlite_utils.Database, row: dict, author: str, action: str, stamp: str) -> dict:
    values = {"updated_at": stamp, "updated_by": author, **row}
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cursor = db.execute(f"INSERT INTO segments ({names}) VALUES ({marks})", list(values.values()))
    new = get_segment(db, cursor.lastrowid)
    revision(db, new, author, action, stamp)
    return new


def referencing_columns(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(table, column) pairs with a foreign key to segments.id (revisions and any other)."""
    found = []
    for (table,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        for fk in db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall():
            # (id, seq, table, from, to, on_update, on_delete, match)
            if fk[2] == "segments" and fk[4] in (None, "id"):
                found.append((table, fk[3]))
    return found


def remove(db: sqlite_utils.Database, segment: dict, heir_id: int) -> list:
    """Delete a segment, handing rows that reference it to ``heir_id`` first."""
    moved = []
    for table, column in referencing_columns(db):
        rowids = [
            r[0]
            for r in db.execute(
                f"SELECT rowid FROM [{table}] WHERE [{column}] = ?", [segment["id"]]
            ).fetchall()
        ]
        if rowids:
            db.execute(
                f"UPDATE [{table}] SET [{column}] = ? WHERE [{column}] = ?",
                [heir_id, segment["id"]],
            )
            moved.append([table, column, rowids])
    cursor = db.execute(
        "DELETE FROM segments WHERE id = ? AND version = ?", [segment["id"], segment["version"]]
    )
    if cursor.rowcount == 0:
        raise ConflictError(get_segment(db, segment["id"]))
    return moved


def document_positions(db: sqlite_utils.Database, document_id: int) -> dict[str, int]:
    return {
        str(i): p
        for i, p in db.execute(
            "SELECT id, position FROM segments WHERE document_id = ?", [document_id]
        ).fetchall()
    }


def shift(db: sqlite_utils.Database, document_id: int, after: int, delta: int) -> None:
    """Move every position > ``after`` by ``delta`` without ever repeating a position:
    first into the negative range, then back."""
    db.execute(
        "UPDATE segments SET position = -position - 1 WHERE document_id = ? AND position > ?",
        [document_id, after],
    )
    db.execute(
        "UPDATE segments SET position = -position - 1 + ? WHERE document_id = ? AND position < 0",
        [delta, document_id],
    )


def record(
    db: sqlite_utils.Database,
    document_id: int,
    action: str,
    author: str,
    stamp: str,
    before: list[dict],
    after: list[dict],
    positions: dict | None = None,
    repointed: list | None = None,
) -> int:
    cursor = db.execute(
        "INSERT INTO repairs (document_id, action, author, created_at, before, after, positions,"
        " repointed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            action,
            author,
            stamp,
            json.dumps(before, ensure_ascii=False),
            json.dumps(after, ensure_ascii=False),
            json.dumps(positions) if positions is not None else None,
            json.dumps(repointed) if repointed else None,
        ],
    )
    return cursor.lastrowid
