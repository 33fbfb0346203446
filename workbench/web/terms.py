"""Glossary in the review UI: terms found in a document's sources, adding a term from the
editor, and term candidates grown from the work, reviewed one key at a time."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from workbench.terms import candidates, recognise
from workbench.terms import entries as glossary
from workbench.web.auth import require
from workbench.web.database import get_db, writing

bp = Blueprint("terms", __name__)


@bp.get("/terms/candidates")
def candidates_page():
    """Candidates waiting for review; ``refresh=1`` extracts again first (reviewers)."""
    db = get_db()
    projects = [r[0] for r in db.execute("SELECT name FROM projects ORDER BY name")]
    name = request.args.get("project") or (projects[0] if projects else None)
    try:
        pid = glossary.project_id(db, name)
    except glossary.GlossaryError as problem:
        return render_template("message.html", message=str(problem)), 404
    if request.args.get("refresh"):
        with writing(db):
            found = candidates.refresh(db, pid)
    else:
        found = candidates.pending(db, pid)
    return render_template(
        "term_candidates.html", candidates=found, project=name, projects=projects
    )


@bp.post("/api/term-candidates/<int:candidate_id>")
@require("approve")
def decide(candidate_id: int):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify({"error": "a JSON object with action is required"}), 400
    try:
        with writing(get_db()) as db:
            result = candidates.decide(
                db,
                candidate_id,
                str(body.get("action")),
                g.user["name"],
                source=body.get("source") or None,
                target=body.get("target") or None,
            )
    except glossary.GlossaryError as problem:
        return jsonify({"error": str(problem)}), 400
    return jsonify(result)


def _document(db, document_id: int) -> dict | None:
    found = list(
        db.query(
            "SELECT id, project_id, source_lang, target_lang FROM documents WHERE id = ?",
            [document_id],
        )
    )
    return found[0] if found else None


@bp.get("/api/documents/<int:document_id>/terms")
def document_terms(document_id: int):
    """Glossary terms found in the sources of the given segments (``ids=1,2``; default all)."""
    db = get_db()
    doc = _document(db, document_id)
    if doc is None:
        return jsonify({"error": f"no document {document_id}"}), 404
    try:
        ids = {int(i) for i in request.args.get("ids", "").split(",") if i.strip()}
    except ValueError:
        return jsonify({"error": "ids must be integers"}), 400
    terms = current_app.extensions["workbench.terms"].for_document(db, doc)
    found: dict[int, list] = {}
    if terms:
        rows = db.execute(
            "SELECT id, source FROM segments WHERE document_id = ? AND translate", [document_id]
        ).fetchall()
        for segment_id, source in rows:
            if ids and segment_id not in ids:
                continue
            hits = recognise.find_terms(source, doc["source_lang"], terms)
            if hits:
                found[segment_id] = [
                    {
                        "start": h.start,
                        "end": h.end,
                        "text": h.text,
                        "entry_id": h.term.entry_id,
                        "source": h.term.source,
                        "translations": list(h.term.translations),
                        "forbidden": list(h.term.forbidden),
                        "note": h.term.note,
                    }
                    for h in hits
                ]
    return jsonify(found)


@bp.post("/api/terms")
@require("edit")
def add_term():
    """Add a term (from a selection in the editor) to the document's project glossary."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("document_id"), int):
        return jsonify({"error": "document_id, source and target are required"}), 400
    db = get_db()
    doc = _document(db, body["document_id"])
    if doc is None:
        return jsonify({"error": f"no document {body['document_id']}"}), 404
    source, target = str(body.get("source") or "").strip(), str(body.get("target") or "").strip()
    if not source or not target:
        return jsonify(
            {"error": "select the term in the source and its translation in the target"}
        ), 400
    entry = glossary.Entry(
        source, target, doc["source_lang"], doc["target_lang"],
        project_id=doc["project_id"], origin=f"editor:{doc['id']}",
    )  # fmt: skip
    try:
        with writing(db):
            term_id, action = glossary.save(db, entry, g.user["name"])
    except glossary.GlossaryError as problem:
        return jsonify({"error": str(problem)}), 400
    return jsonify({"id": term_id, "action": action, "source": source, "target": target})
