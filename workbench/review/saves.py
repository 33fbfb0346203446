"""Saving a segment (the version check, the revision row and the TM entry, in one write),
and undoing a batch of saves (a bulk approval, a propagation) the same way for every batch."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class BatchUndo:
    """What undoing a batch did: segments put back, and segments changed since (left alone)."""

    restored: list[int]
    changed_since: list[int]


def undo_batch(
    db: sqlite_utils.Database,
    action: str,
    author: str,
    *,
    document_id: int | None = None,
    restore_target: bool = True,
    fallback_status: str = "new",
) -> BatchUndo | None:
    """Put every segment a batch changed (its revisions carry ``action``) back as it was.

    A batch (a bulk approval, a propagation) is many saves sharing one action name, so
    one helper serves every undo: each segment gets its previous revision's status (and
    target, unless ``restore_target`` is off) in a save of its own, ``undo <action>``,
    based on the version the batch wrote. A segment somebody saved since is left alone
    and reported. ``fallback_status`` (and an empty target) stand in for a segment
    without an earlier revision. Returns None when no revision carries ``action``.
    """
    query = "SELECT r.segment_id, r.version FROM revisions r"
    params: list = [action]
    if document_id is not None:
        query += " JOIN segments s ON s.id = r.segment_id WHERE r.action = ? AND s.document_id = ?"
        params.append(document_id)
    else:
        query += " WHERE r.action = ?"
    done = db.execute(query, params).fetchall()
    if not done:
        return None
    restored, kept = [], []
    with write_transaction(db):
        for segment_id, version in done:
            before = db.execute(
                "SELECT target, status FROM revisions WHERE segment_id = ? AND version < ?"
                " ORDER BY version DESC, id DESC LIMIT 1",
                [segment_id, version],
            ).fetchone()
            target = (before[0] if before else "") if restore_target else None
            try:
                save_segment(
                    db,
                    segment_id,
                    base_version=version,
                    author=author,
                    target=target,
                    status=before[1] if before else fallback_status,
                    action=f"undo {action}",
                )
                restored.append(segment_id)
            except ConflictError:
                kept.append(segment_id)
    return BatchUndo(restored, kept)
