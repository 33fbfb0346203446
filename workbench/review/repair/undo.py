"""Undo the most recent repair of a document, unless its segments were edited since."""

from __future__ import annotations

import json

import sqlite_utils

from workbench.review.repair.common import (
    CONTENT_COLUMNS,
    RepairError,
    insert,
    update,
)
from workbench.store.db import now, write_transaction


def last_repair(db: sqlite_utils.Database, document_id: int) -> dict | None:
    """The repair ``undo`` would revert (id, action, author, created_at), or None."""
    rows = list(
        db.query(
            "SELECT id, action, author, created_at FROM repairs"
            " WHERE document_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            [document_id],
        )
    )
    return rows[0] if rows else None


#: What "nobody edited it since" compares: versions would not do, since undoing a later
#: repair bumps them too, and positions move with repairs elsewhere in the document.
_COMPARED = (
    "source",
    "target",
    "mt",
    "status",
    "translate",
    "paragraph",
    "furniture",
    "confidence",
    "note",
)


def _content(row: dict) -> tuple:
    return tuple(row.get(name) for name in _COMPARED)


def undo(db: sqlite_utils.Database, document_id: int, author: str) -> dict:
    """Revert the document's most recent not-yet-undone repair.

    Refused (RepairError) when a segment it touched was edited since (its
    content differs from what the repair left): undo would throw that edit
    away. Restored segments get a version bump and an "undo" revision;
    segments the repair created are deleted with their revisions. Returns
    {"repair_id", "action", "segment_ids"} (the restored ids, in position order).
    """
    with write_transaction(db):
        record = db.execute(
            "SELECT id, action, before, after, positions, repointed FROM repairs"
            " WHERE document_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            [document_id],
        ).fetchone()
        if record is None:
            raise RepairError("there is nothing to undo in this document")
        repair_id, action, before_json, after_json, positions_json, repointed_json = record
        before = {r["id"]: r for r in json.loads(before_json)}
        after = {r["id"]: r for r in json.loads(after_json)}
        current: dict[int, dict] = {}
        for segment_id, snapshot in after.items():
            rows = list(db.query("SELECT * FROM segments WHERE id = ?", [segment_id]))
            if not rows or _content(rows[0]) != _content(snapshot):
                who = f" by {rows[0]['updated_by']}" if rows and rows[0]["updated_by"] else ""
                raise RepairError(
                    f"cannot undo the {action}: segment {segment_id} was changed{who} since; "
                    "undo would overwrite that change"
                )
            current[segment_id] = rows[0]
        stamp = now()
        positions = json.loads(positions_json) if positions_json else None
        if positions is not None:  # free every position first: restored ones may collide
            db.execute(
                "UPDATE segments SET position = -position - 1"
                " WHERE document_id = ? AND position >= 0",
                [document_id],
            )
        for segment_id in after.keys() - before.keys():  # created by the repair
            db.execute("DELETE FROM revisions WHERE segment_id = ?", [segment_id])
            db.execute("DELETE FROM segments WHERE id = ?", [segment_id])
        restored: list[dict] = []
        for segment_id, snapshot in before.items():
            restore = {name: snapshot[name] for name in CONTENT_COLUMNS}
            restore["updated_at"], restore["updated_by"] = stamp, author
            if segment_id in current:
                restored.append(update(db, current[segment_id], restore, author, "undo", stamp))
            else:  # removed by the repair (merge): back with its id and references
                restore_id = segment_id
                if db.execute("SELECT 1 FROM segments WHERE id = ?", [segment_id]).fetchone():
                    restore_id = None  # the id was reused meanwhile: take a new one
                row = {
                    **restore,
                    "document_id": snapshot["document_id"],
                    "version": snapshot["version"] + 1,
                }
                if restore_id is not None:
                    row["id"] = restore_id
                new = insert(db, row, author, "undo", stamp)
                restored.append(new)
                for table, column, rowids in json.loads(repointed_json or "[]"):
                    for chunk in range(0, len(rowids), 500):
                        part = rowids[chunk : chunk + 500]
                        db.execute(
                            f"UPDATE [{table}] SET [{column}] = ?"
                            f" WHERE rowid IN ({','.join('?' * len(part))})",
                            [new["id"], *part],
                        )
        if positions is not None:
            db.conn.executemany(
                "UPDATE segments SET position = ? WHERE id = ? AND document_id = ?",
                [(p, int(i), document_id) for i, p in positions.items()],
            )
            stray = db.execute(
                "SELECT COUNT(*) FROM segments WHERE document_id = ? AND position < 0",
                [document_id],
            ).fetchone()[0]
            if stray:
                raise RepairError(
                    f"cannot undo the {action}: the document's segments changed since"
                )
        db.execute(
            "UPDATE repairs SET undone_at = ?, undone_by = ? WHERE id = ?",
            [stamp, author, repair_id],
        )
        marks = ",".join("?" * len(restored))
        ids = [
            r[0]
            for r in db.execute(
                f"SELECT id FROM segments WHERE id IN ({marks}) ORDER BY position",
                [row["id"] for row in restored],
            ).fetchall()
        ]
    return {"repair_id": repair_id, "action": action, "segment_ids": ids}
