"""Segments from the database as neutral records for the interchange writers.

MT from a tiny test package (``documents.mt_tiny``, set at import from the package's
metadata) is no real translation: every exported unit carrying it says so in an
``mt-note`` prop, and :func:`file_mt_note` gives the writers one note for the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from workbench.formats.inline import segment_codes
from workbench.formats.units import TranslationUnit
from workbench.formats.xliff import XliffDocument, XliffSegment
from workbench.mt.packages import tiny_note
from workbench.review.postedit import hter


@dataclass(frozen=True)
class Selection:
    """Which segments an export takes: statuses, and optionally project, document, dates."""

    statuses: tuple[str, ...] = ("approved",)
    document_id: int | None = None
    project: str | None = None
    since: str | None = None  # ISO date or timestamp, compared with the last change
    until: str | None = None

    def where(self) -> tuple[str, list]:
        clauses = ["s.translate", "s.target != ''"]
        params: list = []
        if self.statuses:
            clauses.append(f"s.status IN ({','.join('?' * len(self.statuses))})")
            params.extend(self.statuses)
        if self.document_id is not None:
            clauses.append("d.id = ?")
            params.append(self.document_id)
        if self.project is not None:
            clauses.append("d.project_id IN (SELECT id FROM projects WHERE name = ?)")
            params.append(self.project)
        if self.since:
            clauses.append("s.updated_at >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("s.updated_at < ?")
            params.append(self.until)
        return " AND ".join(clauses), params


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def language_tags(document: dict) -> tuple[str, str]:
    """The document's source and target tags: the ones import stored in its metadata
    (zh-Hant, zh-TW …, written as they are) or the language codes (mapped by the writers)."""
    metadata = json.loads(document["metadata"] or "{}") if document["metadata"] else {}
    return (
        metadata.get("source_tag") or document["source_lang"],
        metadata.get("target_tag") or document["target_lang"],
    )


#: The file-level property (TMX header) naming the tiny test models of the file's MT.
MT_NOTE_PROP = "x-workbench-mt-note"
#: The unit property (``x-mt-note`` in TMX, a column in CSV/TSV) on units with tiny-model MT.
UNIT_MT_NOTE = "mt-note"


def tiny_models(db, selection: Selection = Selection()) -> list[str]:
    """The tiny test models whose MT the selected segments carry (none for real models)."""
    where, params = selection.where()
    return [
        row[0] or "unknown model"
        for row in db.execute(
            "SELECT DISTINCT d.mt_model FROM segments s JOIN documents d ON d.id = s.document_id"
            f" WHERE {where} AND d.mt_tiny AND s.mt != '' ORDER BY d.mt_model",
            params,
        )
    ]


def file_mt_note(models: list[str]) -> str | None:
    """The note a whole exported file carries when some of its MT is a tiny model's."""
    return tiny_note(", ".join(models)) if models else None


def units(db, selection: Selection = Selection()) -> Iterator[TranslationUnit]:
    """One unit per selected segment, with its status, document and confidence as props
    (and ``mt-note`` where its MT came from a tiny test model)."""
    where, params = selection.where()
    for row in db.query(
        "SELECT s.id, s.source, s.target, s.mt, s.status, s.confidence, s.note, s.updated_at,"
        " s.markup,"
        " s.updated_by, d.id AS document_id, d.title, d.source_lang, d.target_lang, d.metadata,"
        " d.mt_model, d.mt_tiny,"
        " (SELECT MIN(created_at) FROM revisions r WHERE r.segment_id = s.id) AS created_at,"
        " (SELECT author FROM revisions r WHERE r.segment_id = s.id ORDER BY r.id LIMIT 1)"
        " AS creator"
        f" FROM segments s JOIN documents d ON d.id = s.document_id WHERE {where}"
        " ORDER BY d.id, s.position",
        params,
    ):
        props = {"status": row["status"], "document": row["title"]}
        if row["confidence"] is not None:
            props["confidence"] = f"{row['confidence']:.3f}"
        if row["mt"]:
            props["hter"] = f"{hter(row['mt'], row['target'], row['target_lang']):.3f}"
            if row["mt_tiny"]:
                props[UNIT_MT_NOTE] = tiny_note(row["mt_model"])
        source_tag, target_tag = language_tags(row)
        source, target, source_coded, target_coded = row["source"], row["target"], None, None
        codes = segment_codes(row["markup"], source, target)
        if codes is not None:  # inline codes: plain texts, codes written as TMX markup
            source_coded, target_coded = codes
            source, target = source_coded.plain(), target_coded.plain()
        yield TranslationUnit(
            source=source,
            target=target,
            source_coded=source_coded,
            target_coded=target_coded,
            source_lang=source_tag,
            target_lang=target_tag,
            tuid=f"wb-{row['document_id']}-{row['id']}",
            created=parse_time(row["created_at"]),
            changed=parse_time(row["updated_at"]),
            creator=row["creator"],
            changer=row["updated_by"],
            props=props,
            notes=[row["note"]] if row["note"] else [],
        )


def xliff_document(db, document_id: int) -> XliffDocument:
    """A whole document for a CAT tool: every segment for translation, any status.

    ``resname`` carries the segment's version, so a re-import can tell whether
    somebody changed the segment in Workbench meanwhile.
    """
    document = db["documents"].get(document_id)
    segments = [
        XliffSegment(
            id=str(row["id"]),
            source=row["source"],
            target=row["target"] or "",
            status=row["status"],
            mt=row["mt"] or None,
            note=row["note"] or None,
            resname=f"wb:{document_id}:{row['id']}:v{row['version']}",
        )
        for row in db.query(
            "SELECT * FROM segments WHERE document_id = ? AND translate ORDER BY position",
            [document_id],
        )
    ]
    source_tag, target_tag = language_tags(document)
    tiny = document["mt_tiny"] and any(s.mt for s in segments)  # alt-trans carries it
    note = file_mt_note([document["mt_model"] or "unknown model"] if tiny else [])
    return XliffDocument(
        original=document["filename"] or document["title"],
        source_lang=source_tag,
        target_lang=target_tag,
        segments=segments,
        notes=[note] if note else [],
    )
