"""JSON API used by the review UI; scripts can use it too (with a bearer token)."""

from __future__ import annotations

import secrets

from flask import Blueprint, current_app, g, jsonify, request

from workbench.review import permissions, saves
from workbench.review import repair as repair_ops
from workbench.store import db as storage
from workbench.tm import memory as tm
from workbench.web import errors, extras, queries
from workbench.web.auth import require
from workbench.web.database import get_db, writing

bp = Blueprint("api", __name__, url_prefix="/api")
REPAIRS = ("merge", "split", "move-up", "move-down", "no-counterpart")


def error(status: int, message: str, **extra):
    return jsonify({"error": message, **extra}), status


def author() -> str:
    return g.user["name"]


def load(segment_id: int) -> tuple[dict | None, dict | None]:
    db = get_db()
    row = queries.segment(db, segment_id)
    return row, (queries.document(db, row["document_id"]) if row else None)


def full(segment_id: int) -> dict:
    row, doc = load(segment_id)
    return queries.as_json(queries.decorate(row, doc))


def json_body() -> dict | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def integer(value) -> bool:
    """A JSON integer SQLite can store (ids and versions ≥ 2^63 are bad input, not a 500)."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


@bp.get("/documents")
def documents():
    return jsonify(queries.documents(get_db()))


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    db = get_db()
    doc = queries.document(db, document_id)
    if doc is None:
        return error(404, f"no document {document_id}")
    return jsonify({**doc, "counts": queries.status_counts(db, document_id)})


@bp.get("/documents/<int:document_id>/stats")
def document_stats(document_id: int):
    """Segments per status and word counts; ``words=0`` skips the words (jieba is slow)."""
    db = get_db()
    doc = queries.document(db, document_id)
    if doc is None:
        return error(404, f"no document {document_id}")
    counts = queries.status_counts(db, document_id)
    if request.args.get("words") == "0":  # the editor's refresh after a save: counts only
        return jsonify({"counts": counts})
    return jsonify({"counts": counts, "words": queries.word_counts(db, doc)})


@bp.get("/documents/<int:document_id>/segments")
def document_segments(document_id: int):
    """Segments in order; filters as in the editor (status, qa, below, q), offset and limit.

    ``ids=1,2,3`` instead gives just those segments: the editor re-reads the rows it
    shows after a bulk action, which may no longer pass its filters.
    The total before offset/limit is in the X-Total-Count header.
    """
    db = get_db()
    doc = queries.document(db, document_id)
    if doc is None:
        return error(404, f"no document {document_id}")
    try:
        filters = queries.Filters.parse(request.args)
    except ValueError as problem:
        return error(400, str(problem))
    try:
        offset = int(request.args.get("offset", 0))
        limit = int(request.args.get("limit", 0)) or None
        ids = {int(i) for i in request.args.get("ids", "").split(",") if i.strip()}
    except ValueError:
        return error(400, "offset, limit and ids must be integers")
    if ids:
        rows = [r for r in queries.filtered(db, doc, queries.Filters()) if r["id"] in ids]
    else:
        rows = queries.filtered(db, doc, filters)
    page = rows[offset : offset + limit if limit else None]
    for row in page:
        row.pop("qa", None)
    response = jsonify(page)
    response.headers["X-Total-Count"] = str(len(rows))
    return response


@bp.get("/documents/<int:document_id>/next")
def next_unfinished(document_id: int):
    """The next segment still to do after ``after`` (a position), wrapping around."""
    db = get_db()
    after = request.args.get("after", -1, type=int)
    todo = queries.UNFINISHED.get(g.user["role"], queries.UNFINISHED_DEFAULT)
    marks = ",".join("?" * len(todo))
    base = (
        "SELECT id, position FROM segments WHERE document_id = ? AND translate"
        f" AND status IN ({marks})"
    )
    for clause, params in ((" AND position > ?", [after]), ("", [])):
        row = db.execute(
            base + clause + " ORDER BY position LIMIT 1", [document_id, *todo, *params]
        ).fetchone()
        if row:
            return jsonify({"id": row[0], "position": row[1]})
    return jsonify({"id": None, "message": "every segment is done"})


@bp.get("/segments/<int:segment_id>")
def segment(segment_id: int):
    row, _ = load(segment_id)
    return jsonify(full(segment_id)) if row else error(404, f"no segment {segment_id}")


STALE = "someone else saved this segment since you loaded it"


@bp.put("/segments/<int:segment_id>")
def save_segment(segment_id: int):
    """Save target and/or status, based on the version the client loaded."""
    body = json_body()
    if body is None:
        return error(400, "expected a JSON object with target, status and version")
    version = body.get("version")
    if not integer(version):
        return error(400, "version (an integer: the version you loaded) is required")
    target = body.get("target")
    if target is not None and not isinstance(target, str):
        return error(400, "target must be a string")
    if target is not None and not errors.valid_text(target):
        return error(400, "target is not valid Unicode (it holds a lone surrogate)")
    status = body.get("status")
    if status is not None and status not in storage.STATUSES:
        return error(400, f"status must be one of {', '.join(storage.STATUSES)}")
    edit_ms = body.get("edit_ms", 0)
    if not integer(edit_ms) or not 0 <= edit_ms <= 86_400_000:
        return error(400, "edit_ms must be an integer number of milliseconds (0 to one day)")
    note = body.get("note")
    if note is not None and (not isinstance(note, str) or not errors.valid_text(note)):
        return error(400, "note must be a string of valid Unicode")
    if note is not None and len(note) > errors.MIN_TARGET_LIMIT:
        return error(413, f"a note may have at most {errors.MIN_TARGET_LIMIT} characters")
    db = get_db()
    current = queries.segment(db, segment_id)
    if current is None:
        return error(404, f"no segment {segment_id}")
    if not current["translate"]:
        return error(400, "this segment is page furniture, not for translation")
    limit = errors.target_limit(current["source"])
    if target is not None and len(target) > limit:
        return error(
            413,
            f"the target has {len(target):,} characters; a segment's target may have at most"
            f" {limit:,} (its source has {len(current['source'] or ''):,}): split the segment",
        )
    if status == "rejected" and not (note or "").strip():
        return error(400, "a rejection needs a reason (note)")
    if current["version"] != version:
        # Stale: the editor shows the other version (and its status) before any lock
        # applies; a translator's "keep mine" on an approved segment then gets the 403.
        return error(409, STALE, current=queries.as_json(current))
    try:
        permissions.save(g.user, current, status)
    except permissions.Forbidden as refused:
        return error(403, str(refused))
    if status is None and target is not None and current["status"] == "new":
        status = "draft"  # a target saved is a draft: "new" is the untouched, MT-prefilled state
    if status == "approved" and not (target if target is not None else current["target"]).strip():
        return error(400, "an empty target cannot be approved")
    try:
        with writing(db):
            row = saves.save_segment(
                db, segment_id, base_version=version, author=author(), target=target, status=status
            )
            if edit_ms:
                db.execute(
                    "UPDATE segments SET edit_ms = COALESCE(edit_ms, 0) + ? WHERE id = ?",
                    [edit_ms, segment_id],
                )
            if status == "rejected":
                db.execute("UPDATE segments SET note = ? WHERE id = ?", [note, segment_id])
                db.execute(
                    "UPDATE revisions SET note = ? WHERE segment_id = ? AND version = ?",
                    [note, segment_id, row["version"]],
                )
    except storage.ConflictError as conflict:
        # The row the failed UPDATE saw, read in its transaction: no second query.
        return error(409, STALE, current=queries.as_json(queries.segment_fields(conflict.current)))
    if request.args.get("lean"):
        return jsonify({"id": segment_id, "version": row["version"], "status": row["status"]})
    # The reply is the row as this save left it (read in its transaction, with the
    # two follow-up UPDATEs applied) rather than a re-read, which could already
    # show a later save by someone else.
    saved = queries.segment_fields(row)
    if edit_ms:
        saved["edit_ms"] = (saved["edit_ms"] or 0) + edit_ms
    if status == "rejected":
        saved["note"] = note
    doc = queries.languages(db, saved["document_id"])
    return jsonify(queries.as_json(queries.decorate(saved, doc)))


@bp.get("/segments/<int:segment_id>/history")
def history(segment_id: int):
    if queries.segment(get_db(), segment_id) is None:
        return error(404, f"no segment {segment_id}")
    return jsonify(queries.history(get_db(), segment_id))


@bp.post("/segments/<int:segment_id>/revert")
@require("edit")
def revert(segment_id: int):
    """Bring back the target and status of an earlier revision, as a new revision."""
    body = json_body() or {}
    to_version, version = body.get("to_version"), body.get("version")
    if not integer(to_version) or not integer(version):
        return error(400, "to_version (the revision to restore) and version are required")
    db = get_db()
    current = queries.segment(db, segment_id)
    if current is None:
        return error(404, f"no segment {segment_id}")
    old = db.execute(
        "SELECT target, status FROM revisions WHERE segment_id = ? AND version = ?"
        " ORDER BY id DESC LIMIT 1",
        [segment_id, to_version],
    ).fetchone()
    if old is None:
        return error(400, f"segment {segment_id} has no version {to_version}")
    target = old[0]
    try:
        status = permissions.revert_status(g.user, current, old[1])
    except permissions.Forbidden as refused:
        return error(403, str(refused))
    try:
        with writing(db):
            saves.save_segment(
                db,
                segment_id,
                base_version=version,
                author=author(),
                target=target,
                status=status,
                action=f"revert to {to_version}",
            )
    except storage.ConflictError:
        return error(
            409,
            STALE,
            current=queries.as_json(queries.segment(db, segment_id)),
        )
    return jsonify(full(segment_id))


@bp.get("/segments/<int:segment_id>/tm")
def tm_matches(segment_id: int):
    row, doc = load(segment_id)
    if row is None:
        return error(404, f"no segment {segment_id}")
    matches = extras.tm_matches(get_db(), row, doc["source_lang"], doc["target_lang"])
    return jsonify({"matches": matches})


@bp.get("/concordance")
def concordance():
    query = (request.args.get("q") or "").strip()
    if not query:
        return error(400, "q (the text to look for) is required")
    if len(query) > errors.MAX_QUERY_CHARS:
        return error(400, f"q may have at most {errors.MAX_QUERY_CHARS} characters")
    limit = min(max(request.args.get("limit", 50, int), 1), 500)
    return jsonify(list(tm.concordance(get_db(), query, limit=limit)))


@bp.post("/segments/<int:segment_id>/repair")
@require("repair")
def repair(segment_id: int):
    """Merge, split, move a target or mark a source without counterpart; undoable."""
    body = json_body() or {}
    op = body.get("op")
    if op not in REPAIRS:
        return error(400, f"op must be one of {', '.join(REPAIRS)}")
    row = queries.segment(get_db(), segment_id)
    if row is None:
        return error(404, f"no segment {segment_id}")
    db, who = get_db(), author()
    s_off, t_off = body.get("source_offset"), body.get("target_offset")
    if op == "split" and not (integer(s_off) and integer(t_off)):
        return error(400, "split needs source_offset and target_offset (integers)")
    # The version the user looked at, when sent: a repair must not act on text they never saw.
    base = body.get("version")
    if base is not None and not integer(base):
        return error(400, "version must be an integer (the version you loaded)")
    try:
        permissions.may_change(g.user, row)
        with writing(db):
            if op == "merge":
                repair_ops.merge(db, segment_id, who, base_version=base)
            elif op == "split":
                repair_ops.split(db, segment_id, s_off, t_off, who, base_version=base)
            elif op in ("move-up", "move-down"):
                repair_ops.move_target(
                    db, segment_id, op.removeprefix("move-"), who, base_version=base
                )
            else:
                repair_ops.mark_no_counterpart(db, segment_id, who, base_version=base)
            latest = repair_ops.last_repair(db, row["document_id"])
            # Every row the repair changed, not only the one clicked (a merge or a move
            # changes the neighbour too): rolled back if one of them was locked.
            permissions.repair(g.user, permissions.repair_record(db, latest["id"]))
    except permissions.Forbidden as refused:
        return error(403, str(refused))
    except repair_ops.RepairError as problem:
        return error(400, str(problem))
    except storage.ConflictError:
        return error(
            409,
            "someone else saved this segment since you loaded it; reload before repairing",
            current=queries.as_json(queries.segment(db, segment_id)),
        )
    return jsonify({"ok": True, "document_id": row["document_id"], "op": op})


@bp.post("/documents/<int:document_id>/undo")
@require("repair")
def undo_repair(document_id: int):
    try:
        with writing(get_db()) as db:
            permissions.undo(db, g.user, document_id)
            repair_ops.undo(db, document_id, author())
    except permissions.Forbidden as refused:
        return error(403, str(refused))
    except repair_ops.RepairError as problem:
        return error(400, str(problem))
    return jsonify({"ok": True, "document_id": document_id})


@bp.post("/documents/<int:document_id>/bulk-approve")
@require("approve")
def bulk_approve(document_id: int):
    """Approve the filtered segments that have a target and no QA flag, as one batch."""
    db = get_db()
    doc = queries.document(db, document_id)
    if doc is None:
        return error(404, f"no document {document_id}")
    try:
        filters = queries.Filters.parse(json_body() or {})
    except ValueError as problem:
        return error(400, str(problem))
    batch = secrets.token_hex(6)
    approved, skipped = [], 0
    with writing(db):
        for row in queries.filtered(db, doc, filters):
            if not row["translate"] or row["status"] == "approved":
                continue
            flags = row.get("qa")
            if flags is None:
                flags = extras.qa_flags(row, doc["source_lang"], doc["target_lang"])
            if flags or not (row["target"] or "").strip():
                skipped += 1
                continue
            saved = saves.save_segment(
                db,
                row["id"],
                base_version=row["version"],
                author=author(),
                status="approved",
                action=f"bulk-approve {batch}",
            )
            approved.append(saved)
    current_app.logger.info("bulk-approved %d segments (batch %s)", len(approved), batch)
    return jsonify({"batch": batch, "approved": len(approved), "skipped": skipped})


@bp.post("/documents/<int:document_id>/bulk-undo")
@require("approve")
def bulk_undo(document_id: int):
    """Undo one bulk approval; segments changed since then are left alone and counted."""
    batch = (json_body() or {}).get("batch")
    if not isinstance(batch, str) or not batch:
        return error(400, "batch (from the bulk approval) is required")
    db = get_db()
    with writing(db):
        done = saves.undo_batch(
            db,
            f"bulk-approve {batch}",
            author(),
            document_id=document_id,
            restore_target=False,  # an approval changed the status only
            fallback_status="translated",
        )
    if done is None:
        return error(400, f"no bulk approval {batch} in document {document_id}")
    return jsonify({"restored": len(done.restored), "changed_since": len(done.changed_since)})
