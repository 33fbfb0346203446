"""Glossary pages: term candidates grown from the work, reviewed one key at a time."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, request

from workbench.terms import candidates
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
