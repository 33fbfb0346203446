"""TM leverage in the review UI: repetitions offered after a confirm, their undo, and the
document's match analysis (words per band)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from workbench.review import propagate as repetition
from workbench.tm import leverage
from workbench.web.auth import require
from workbench.web.database import get_db, writing

bp = Blueprint("leverage", __name__, url_prefix="/api")


def _error(status: int, message: str):
    return jsonify({"error": message}), status


@bp.get("/segments/<int:segment_id>/repetitions")
def repetitions(segment_id: int):
    """How many segments a propagation would change (the editor's offer after a confirm)."""
    scope = request.args.get("scope", "document")
    try:
        rows = repetition.repetitions(get_db(), segment_id, scope)
    except repetition.PropagationError as problem:
        return _error(400, str(problem))
    return jsonify({"scope": scope, "count": len(rows), "ids": [r["id"] for r in rows]})


@bp.post("/segments/<int:segment_id>/propagate")
@require("edit")
def propagate(segment_id: int):
    body = request.get_json(silent=True) or {}
    scope = body.get("scope", "document") if isinstance(body, dict) else "document"
    try:
        with writing(get_db()) as db:
            done = repetition.propagate(db, segment_id, g.user["name"], scope)
    except repetition.PropagationError as problem:
        return _error(400, str(problem))
    return jsonify(done)


@bp.post("/propagations/<batch>/undo")
@require("edit")
def undo(batch: str):
    try:
        with writing(get_db()) as db:
            done = repetition.undo(db, batch, g.user["name"])
    except repetition.PropagationError as problem:
        return _error(400, str(problem))
    return jsonify(done)


@bp.get("/documents/<int:document_id>/analysis")
def analysis(document_id: int):
    """Words per match band (ICE, 100%, repetitions, fuzzy bands, no match)."""
    result = leverage.analyse_document(get_db(), document_id)
    if result is None:
        return _error(404, f"no document {document_id}")
    return jsonify(result)
