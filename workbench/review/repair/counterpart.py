"""Mark a source sentence as having no translation (1-0 plus a 0-1 segment)."""

from __future__ import annotations

import sqlite_utils

from workbench.review.repair.common import (
    RepairError,
    check_base,
    document_positions,
    get_segment,
    insert,
    record,
    shift,
    update,
)
from workbench.store.db import now, write_transaction


def mark_no_counterpart(
    db: sqlite_utils.Database, segment_id: int, author: str, *, base_version: int | None = None
) -> tuple[dict, dict]:
    """The source sentence has no translation: make this segment 1-0 (empty target) and
    put its target into a new 0-1 segment (empty source) right after it.

    Why a new segment rather than the neighbour: the target text stays visible
    exactly where it was, nothing is silently appended to a sentence the
    translator did not look at, and if it belongs to a neighbour one
    ``move_target``/``merge`` puts it there. Returns (this segment, the new one).
    """
    with write_transaction(db):
        segment = get_segment(db, segment_id)
        check_base(segment, base_version)
        if not (segment["target"] or "").strip():
            if segment["mt"] and segment["status"] == "new":
                raise RepairError(
                    "this segment has only its machine translation, no target of its own"
                    " to move out; edit or clear the text instead"
                )
            raise RepairError("this segment already has no target")
        if not (segment["source"] or "").strip():
            raise RepairError("this segment has no source: it already has no counterpart")
        stamp = now()
        positions = document_positions(db, segment["document_id"])
        shift(db, segment["document_id"], segment["position"], 1)
        emptied = update(
            db, segment, {"target": "", "status": "draft"}, author, "no-counterpart", stamp
        )
        orphan = insert(
            db,
            {
                "document_id": segment["document_id"],
                "position": segment["position"] + 1,
                "paragraph": segment["paragraph"],
                "translate": 1,
                "source": "",
                "mt": None,
                "target": segment["target"],
                "status": "draft",
                "confidence": None,
                "version": 1,
            },
            author,
            "no-counterpart",
            stamp,
        )
        record(
            db,
            segment["document_id"],
            "no-counterpart",
            author,
            stamp,
            [segment],
            [emptied, orphan],
            positions,
        )
    return emptied, orphan
