"""Set the status of many segments at once, undoable in one step per document."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from workbench.review.repair.common import (
    RepairError,
    record,
    update,
)
from workbench.store.db import STATUSES, now, write_transaction
from workbench.tm import memory as tm


def bulk_set_status(
    db: sqlite_utils.Database, segment_ids: Iterable[int], status: str, author: str
) -> int:
    """Set the status of many segments at once (e.g. approve the QA-clean ones).

    Each changed segment gets a version bump and a revision ("bulk-status");
    segments already at ``status`` are left alone. One undo record per
    document, so a bulk action in one document is undone in one step. Unknown
    ids change nothing and raise RepairError. Returns the number changed.

    Approved segments enter the translation memory, as with every approval.
    """
    if status not in STATUSES:
        raise RepairError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    ids = list(dict.fromkeys(int(i) for i in segment_ids))
    if not ids:
        return 0
    with write_transaction(db):
        rows: list[dict] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows += db.query(
                f"SELECT * FROM segments WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        missing = sorted(set(ids) - {r["id"] for r in rows})
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" …" if len(missing) > 10 else "")
            raise RepairError(f"no such segment(s): {shown}")
        stamp = now()
        by_document: dict[int, tuple[list[dict], list[dict]]] = {}
        for row in sorted(rows, key=lambda r: (r["document_id"], r["position"])):
            if row["status"] == status:
                continue
            after = update(db, row, {"status": status}, author, "bulk-status", stamp)
            if status == "approved":
                tm.add_approved(db, after["id"])
            before_rows, after_rows = by_document.setdefault(row["document_id"], ([], []))
            before_rows.append(row)
            after_rows.append(after)
        for document_id, (before_rows, after_rows) in by_document.items():
            record(db, document_id, "bulk-status", author, stamp, before_rows, after_rows)
    return sum(len(after) for _, after in by_document.values())
