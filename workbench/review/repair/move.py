"""Move one target sentence to the neighbouring segment."""

from __future__ import annotations

import sqlite_utils

from workbench.review.repair.common import (
    RepairError,
    adjacent,
    check_base,
    get_segment,
    join_text,
    languages,
    record,
    sentences_of,
    update,
)
from workbench.store.db import now, write_transaction


def move_target(
    db: sqlite_utils.Database,
    segment_id: int,
    direction: str,
    author: str,
    *,
    base_version: int | None = None,
) -> tuple[dict, dict]:
    """Move one target sentence to the neighbouring segment.

    "up": the FIRST target sentence goes to the END of the previous segment's
    target; "down": the LAST target sentence goes to the START of the next
    one's. Page furniture in between is skipped (its text is not aligned).
    Returns (this segment, the neighbour), both with status "draft".
    """
    if direction not in ("up", "down"):
        raise RepairError(f"direction must be 'up' or 'down', not {direction!r}")
    with write_transaction(db):
        segment = get_segment(db, segment_id)
        check_base(segment, base_version)
        neighbour = adjacent(db, segment, direction, translatable_only=True)
        if neighbour is None:
            where = "previous" if direction == "up" else "next"
            raise RepairError(f"there is no {where} segment to move the sentence to")
        _, target_lang = languages(db, segment["document_id"])
        target = segment["target"] or ""
        sentences = sentences_of(target, target_lang)
        if not sentences:
            raise RepairError("this segment has no target text to move")
        if direction == "up":
            moving = sentences[0]
            start = target.find(moving)
            rest = target[start + len(moving) :].strip()
            neighbour_target = join_text(neighbour["target"], moving, target_lang)
        else:
            moving = sentences[-1]
            start = target.rfind(moving)
            rest = target[:start].strip()
            neighbour_target = join_text(moving, neighbour["target"], target_lang)
        stamp = now()
        action = f"move-{direction}"
        moved_from = update(db, segment, {"target": rest, "status": "draft"}, author, action, stamp)
        moved_to = update(
            db, neighbour, {"target": neighbour_target, "status": "draft"}, author, action, stamp
        )
        record(
            db,
            segment["document_id"],
            action,
            author,
            stamp,
            [segment, neighbour],
            [moved_from, moved_to],
        )
    return moved_from, moved_to
