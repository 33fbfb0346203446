"""JSON API used by the review UI; scripts can use it too."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from workbench import db as storage
from workbench.web import get_db, queries

bp = Blueprint("api", __name__, url_prefix="/api")


def error(status: int, message: str, **extra):
    return jsonify({"error": message, **extra}), status


@bp.get("/documents")
def documents():
    return jsonify(queries.documents(get_db()))


@bp.get("/documents/<int:document_id>/segments")
def document_segments(document_id: int):
    db = get_db()
    if queries.document(db, document_id) is None:
        return error(404, f"no document {document_id}")
    return jsonify(queries.segments(db, document_id))


@bp.get("/segments/<int:segment_id>")
def segment(segment_id: int):
    row = queries.segment(get_db(), segment_id)
    return jsonify(row) if row else error(404, f"no segment {segment_id}")


@bp.put("/segments/<int:segment_id>")
def save_segment(segment_id: int):
    """Save target and/or status, based on the version the client loaded."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, "expected a JSON object with target, status and version")
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        return error(400, "version (an integer: the version you loaded) is required")
    target = body.get("target")
    if target is not None and not isinstance(target, str):
        return error(400, "target must be a string")
    status = body.get("status")
    if status is not None and status not in storage.STATUSES:
        return error(400, f"status must be one of {', '.join(storage.STATUSES)}")
    if status == "approved" and not (target if target is not None else "").strip():
        current = queries.segment(get_db(), segment_id)
        if current and not current["target"].strip():
            return error(400, "an empty target cannot be approved")
    db = get_db()
    if queries.segment(db, segment_id) is None:
        return error(404, f"no segment {segment_id}")
    try:
        storage.save_segment(
            db,
            segment_id,
            base_version=version,
            author=request.headers.get("X-Workbench-User", "reviewer"),
            target=target,
            status=status,
        )
    except storage.ConflictError as conflict:
        return error(409, str(conflict), current=queries.segment(db, segment_id))
    return jsonify(queries.segment(db, segment_id))
