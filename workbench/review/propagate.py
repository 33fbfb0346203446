"""Repetitions: a confirmed target copied to the segments with the same source, undoable.

As in OmegaT, a sentence repeated in a document (datelines, titles, boilerplate)
is translated once: confirming it offers to copy its target to every other
segment of the document, or of the project, whose source is the same once
whitespace and punctuation width are normalised (``tm.leverage.fold``) and
whose direction is the same. Approved segments and segments already holding
that target are left alone. Every copy is a normal save (a revision row with
the action ``propagate <batch>``), so one call to :func:`undo` restores them
all, except segments someone changed since.
"""

from __future__ import annotations

import secrets

import sqlite_utils

from workbench.review import saves
from workbench.store.db import write_transaction
from workbench.tm.leverage import fold

SCOPES = ("document", "project")


class PropagationError(ValueError):
    pass


def repetitions(db: sqlite_utils.Database, segment_id: int, scope: str = "document") -> list[dict]:
    """Segments a propagation from ``segment_id`` would change, in document order."""
    if scope not in SCOPES:
        raise PropagationError(f"scope must be one of {', '.join(SCOPES)}")
    found = list(
        db.query(
            "SELECT s.id, s.source, s.target, s.document_id, d.project_id, d.source_lang,"
            " d.target_lang FROM segments s JOIN documents d ON d.id = s.document_id"
            " WHERE s.id = ?",
            [segment_id],
        )
    )
    if not found:
        raise PropagationError(f"no segment {segment_id}")
    origin = found[0]
    target = (origin["target"] or "").strip()
    if not target:
        raise PropagationError("the segment has no target to propagate")
    if scope == "document":
        where, params = "s.document_id = ?", [origin["document_id"]]
    else:
        where, params = "ifnull(d.project_id, 0) = ifnull(?, 0)", [origin["project_id"]]
    rows = db.query(
        "SELECT s.id, s.document_id, s.position, s.source, s.target, s.status, s.version"
        " FROM segments s JOIN documents d ON d.id = s.document_id"
        f" WHERE {where} AND s.translate AND s.id != ? AND d.source_lang = ?"
        " AND d.target_lang = ? AND s.status != 'approved' ORDER BY s.document_id, s.position",
        [*params, segment_id, origin["source_lang"], origin["target_lang"]],
    )
    key = fold(origin["source"])
    return [r for r in rows if fold(r["source"]) == key and (r["target"] or "").strip() != target]


def propagate(
    db: sqlite_utils.Database, segment_id: int, author: str, scope: str = "document"
) -> dict:
    """Copy the segment's target to its repetitions (status "translated"), as one batch."""
    batch = secrets.token_hex(6)
    changed = []
    with write_transaction(db):
        target = db.execute("SELECT target FROM segments WHERE id = ?", [segment_id]).fetchone()
        for row in repetitions(db, segment_id, scope):
            saves.save_segment(
                db,
                row["id"],
                base_version=row["version"],
                author=author,
                target=target[0],
                status="translated",
                action=f"propagate {batch}",
            )
            changed.append(row["id"])
    return {"batch": batch, "changed": changed}


def undo(db: sqlite_utils.Database, batch: str, author: str) -> dict:
    """Put every segment of a propagation back as it was, unless it changed since."""
    done = saves.undo_batch(db, f"propagate {batch}", author)
    if done is None:
        raise PropagationError(f"no propagation {batch}")
    return {"restored": done.restored, "changed_since": done.changed_since}
