"""QA of whole documents: flags per segment and per code, with the glossary, and the
document's terminology consistency; what ``workbench qa`` prints."""

from __future__ import annotations

from collections import Counter

import sqlite_utils

from workbench.review.qa import check_segment
from workbench.review.qa.base import base_lang
from workbench.review.qa.terminology import consistency
from workbench.terms.entries import for_document


def document_report(db: sqlite_utils.Database, document_id: int, code: str | None = None) -> dict:
    """Flags of the document's segments for translation (only ``code`` when given)."""
    found = list(db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
    if not found:
        raise LookupError(f"no document {document_id}")
    doc = found[0]
    terms = for_document(db, doc)
    rows = list(
        db.query(
            "SELECT id, position, source, target, status FROM segments"
            " WHERE document_id = ? AND translate ORDER BY position",
            [document_id],
        )
    )
    counts: Counter[str] = Counter()
    flagged = []
    for row in rows:
        flags = check_segment(
            row["source"], row["target"] or "", doc["source_lang"], doc["target_lang"], terms
        )
        if code:
            flags = [f for f in flags if f.code == code]
        counts.update(f.code for f in flags)
        if flags:
            flagged.append(
                {
                    "id": row["id"],
                    "position": row["position"],
                    "status": row["status"],
                    "flags": [{"code": f.code, "message": f.message} for f in flags],
                }
            )
    return {
        "document_id": document_id,
        "title": doc["title"],
        "segments": len(rows),
        "counts": dict(counts),
        "flagged": flagged,
        "consistency": consistency(
            rows, base_lang(doc["source_lang"]), base_lang(doc["target_lang"]), terms
        ),
    }
