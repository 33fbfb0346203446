"""Segments from the database as neutral translation units for the writers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from workbench.units import TranslationUnit


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def units(db, statuses: tuple[str, ...] = ("approved",)) -> Iterator[TranslationUnit]:
    """One unit per segment for translation whose status is in ``statuses``."""
    marks = ",".join("?" * len(statuses))
    for row in db.query(
        "SELECT s.id, s.source, s.target, s.status, s.confidence, s.updated_at, s.updated_by,"
        " d.id AS document_id, d.title, d.source_lang, d.target_lang,"
        " (SELECT MIN(created_at) FROM revisions r WHERE r.segment_id = s.id) AS created_at,"
        " (SELECT author FROM revisions r WHERE r.segment_id = s.id ORDER BY r.id LIMIT 1)"
        " AS creator"
        " FROM segments s JOIN documents d ON d.id = s.document_id"
        f" WHERE s.translate AND s.target != '' AND s.status IN ({marks})"
        " ORDER BY d.id, s.position",
        list(statuses),
    ):
        props = {"status": row["status"], "document": row["title"]}
        if row["confidence"] is not None:
            props["confidence"] = f"{row['confidence']:.3f}"
        yield TranslationUnit(
            source=row["source"],
            target=row["target"],
            source_lang=row["source_lang"],
            target_lang=row["target_lang"],
            tuid=f"wb-{row['document_id']}-{row['id']}",
            created=parse_time(row["created_at"]),
            changed=parse_time(row["updated_at"]),
            creator=row["creator"],
            changer=row["updated_by"],
            props=props,
        )
