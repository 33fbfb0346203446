"""Saving a segment: the version check, the revision row and the TM entry, in one write."""

from __future__ import annotations

import sqlite_utils

from workbench.store.db import STATUSES, ConflictError, now, write_transaction
from workbench.tm import memory as tm


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
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    stamp = now()
    # Plain statements rather than Table.get/Table.insert: those look up the
    # table's columns and keys (several sqlite_master/table_info queries) on
    # every call, inside the write transaction that every other save waits for.
    with write_transaction(db):
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
