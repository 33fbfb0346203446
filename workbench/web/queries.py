"""Read queries shared by the HTML views and the JSON API."""

from __future__ import annotations

import json

SEGMENT_FIELDS = (
    "id, document_id, position, paragraph, translate, furniture, source, mt, target, status,"
    " confidence, version, updated_at, updated_by"
)


def documents(db) -> list[dict]:
    """Every document with its segment counts per status."""
    rows = list(
        db.query(
            "SELECT d.id, d.title, d.filename, d.source_lang, d.target_lang, d.kind, d.mt_model,"
            " d.mt_tiny, d.created_at,"
            " COUNT(s.id) AS segments,"
            " SUM(s.translate) AS for_translation,"
            " SUM(s.translate AND s.status = 'approved') AS approved,"
            " SUM(s.translate AND s.status = 'rejected') AS rejected,"
            " SUM(s.translate AND s.status IN ('draft', 'translated')) AS in_progress"
            " FROM documents d LEFT JOIN segments s ON s.document_id = d.id"
            " GROUP BY d.id ORDER BY d.id"
        )
    )
    return rows


def document(db, document_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
    if not rows:
        return None
    row = rows[0]
    row["metadata"] = json.loads(row["metadata"] or "{}")
    return row


def segments(db, document_id: int) -> list[dict]:
    return list(
        db.query(
            f"SELECT {SEGMENT_FIELDS} FROM segments WHERE document_id = ? ORDER BY position",
            [document_id],
        )
    )


def segment(db, segment_id: int) -> dict | None:
    rows = list(db.query(f"SELECT {SEGMENT_FIELDS} FROM segments WHERE id = ?", [segment_id]))
    return rows[0] if rows else None
