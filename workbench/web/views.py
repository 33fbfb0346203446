"""HTML pages of the review UI."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from workbench.web import get_db, queries

bp = Blueprint("views", __name__)


@bp.get("/")
def index():
    return render_template("index.html", documents=queries.documents(get_db()))


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    db = get_db()
    doc = queries.document(db, document_id)
    if doc is None:
        abort(404)
    return render_template("document.html", doc=doc, segments=queries.segments(db, document_id))
