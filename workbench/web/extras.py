"""Segment annotations for the editor: QA flags, TM matches, post-edit effort."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_app_context

from workbench.review import postedit, qa
from workbench.terms import entries as glossary
from workbench.tm import memory as tm
from workbench.web.database import get_db


@dataclass
class Flag:
    code: str
    message: str


def qa_flags(row: dict, source_lang: str, target_lang: str) -> list[Flag]:
    """QA flags of a segment's current target (none for page furniture)."""
    if not row.get("translate", 1):
        return []
    target = row.get("target") or ""
    return [
        Flag(f.code, f.message)
        for f in qa.check_segment(
            row["source"], target, source_lang, target_lang, glossary_terms(row.get("document_id"))
        )
    ]


def glossary_terms(document_id: int | None) -> list[glossary.Term]:
    """The glossary terms of a segment's document, read once per request."""
    if document_id is None or not has_app_context():
        return []
    cache = g.setdefault("glossary_terms", {})
    if document_id not in cache:
        db = get_db()
        doc = db.execute(
            "SELECT project_id, source_lang, target_lang FROM documents WHERE id = ?",
            [document_id],
        ).fetchone()
        cache[document_id] = (
            glossary.for_document(
                db, {"project_id": doc[0], "source_lang": doc[1], "target_lang": doc[2]}
            )
            if doc
            else []
        )
    return cache[document_id]


def tm_matches(db, text: str, source_lang: str, target_lang: str, limit: int = 5) -> list[dict]:
    return [
        {"source": m.source, "target": m.target, "score": round(m.score), "origin": m.origin}
        for m in tm.lookup(db, text, source_lang, target_lang, limit=limit)
    ]


def effort(row: dict, target_lang: str) -> dict | None:
    """Diff against the MT, HTER and editing time of an edited segment; None if untouched."""
    mt, target = row.get("mt") or "", row.get("target") or ""
    if not mt or not target.strip():
        return None
    return {
        "hter": round(postedit.hter(mt, target, target_lang), 3),
        "diff": postedit.diff_html(mt, target, target_lang),
        "edit_ms": row.get("edit_ms") or 0,
    }
