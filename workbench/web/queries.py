"""Read queries shared by the HTML views and the JSON API."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from aligner.tokens import word_count
from workbench.store.db import select_rows
from workbench.web import extras

SEGMENT_FIELDS = (
    "id, document_id, position, paragraph, translate, furniture, source, mt, target, status,"
    " confidence, version, updated_at, updated_by, note, edit_ms, tm_match, tm_origin,"
    " glossary_corrected"
)
SEGMENT_KEYS = tuple(key.strip() for key in SEGMENT_FIELDS.split(","))
#: Statuses a translator still has to work on; reviewers also review "translated".
UNFINISHED = {"translator": ("new", "draft", "rejected")}
UNFINISHED_DEFAULT = ("new", "draft", "rejected", "translated")


def documents(db) -> list[dict]:
    """Every document with its project and segment counts per status."""
    return list(
        db.query(
            "SELECT d.id, d.title, d.filename, d.source_lang, d.target_lang, d.kind, d.mt_model,"
            " d.mt_tiny, d.created_at, d.project_id, p.name AS project,"
            " COUNT(s.id) AS segments,"
            " SUM(s.translate) AS for_translation,"
            " SUM(s.translate AND s.status = 'approved') AS approved,"
            " SUM(s.translate AND s.status = 'rejected') AS rejected,"
            " SUM(s.translate AND s.status = 'translated') AS translated,"
            " SUM(s.translate AND s.status = 'draft') AS draft,"
            " SUM(s.translate AND s.status IN ('draft', 'translated')) AS in_progress"
            " FROM documents d LEFT JOIN segments s ON s.document_id = d.id"
            " LEFT JOIN projects p ON p.id = d.project_id"
            " GROUP BY d.id ORDER BY p.name, d.id"
        )
    )


def document(db, document_id: int) -> dict | None:
    found = select_rows(
        db,
        "SELECT d.*, p.name AS project FROM documents d"
        " LEFT JOIN projects p ON p.id = d.project_id WHERE d.id = ?",
        [document_id],
    )
    if not found:
        return None
    row = found[0]
    row["metadata"] = json.loads(row["metadata"] or "{}")
    return row


def status_counts(db, document_id: int) -> dict[str, int]:
    counts = dict.fromkeys(("new", "draft", "translated", "approved", "rejected"), 0)
    for status, n in db.execute(
        "SELECT status, COUNT(*) FROM segments WHERE document_id = ? AND translate GROUP BY status",
        [document_id],
    ):
        counts[status] = n
    return counts


def segments(db, document_id: int) -> list[dict]:
    return list(
        db.query(
            f"SELECT {SEGMENT_FIELDS} FROM segments WHERE document_id = ? ORDER BY position",
            [document_id],
        )
    )


def segment(db, segment_id: int) -> dict | None:
    found = select_rows(db, f"SELECT {SEGMENT_FIELDS} FROM segments WHERE id = ?", [segment_id])
    return found[0] if found else None


def languages(db, document_id: int) -> dict | None:
    """Just what ``decorate`` needs of a document."""
    found = select_rows(
        db, "SELECT source_lang, target_lang FROM documents WHERE id = ?", [document_id]
    )
    return found[0] if found else None


def segment_fields(row: dict) -> dict:
    """A full segments row cut to the fields ``segment`` reads."""
    return {key: row[key] for key in SEGMENT_KEYS}


@dataclass
class Filters:
    """The editor's filters, read from a query string or a JSON body."""

    status: str = ""
    qa: str = ""
    below: float | None = None
    q: str = ""

    @classmethod
    def parse(cls, args) -> Filters:
        below = args.get("below") or None
        try:
            below = float(below) if below is not None else None
        except (TypeError, ValueError):
            raise ValueError("below must be a number between 0 and 1") from None
        return cls(
            status=(args.get("status") or "").strip(),
            qa=(args.get("qa") or "").strip(),
            below=below,
            q=(args.get("q") or "").strip(),
        )

    def active(self) -> bool:
        return bool(self.status or self.qa or self.below is not None or self.q)

    def query_args(self) -> dict:
        args = {"status": self.status, "qa": self.qa, "q": self.q}
        if self.below is not None:
            args["below"] = self.below
        return {k: v for k, v in args.items() if v not in ("", None)}


def like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filtered(db, doc: dict, filters: Filters) -> list[dict]:
    """The document's segments that pass the filters, in order, each with its QA flags
    when a QA filter needs them (furniture only when no filter is set)."""
    where, params = ["document_id = ?"], [doc["id"]]
    if filters.active():
        where.append("translate")
    if filters.status:
        where.append("status = ?")
        params.append(filters.status)
    if filters.below is not None:
        where.append("confidence < ?")
        params.append(filters.below)
    if filters.q:
        where.append(
            "(source LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\' OR mt LIKE ? ESCAPE '\\')"
        )
        params += [like(filters.q)] * 3
    rows = list(
        db.query(
            f"SELECT {SEGMENT_FIELDS} FROM segments WHERE {' AND '.join(where)} ORDER BY position",
            params,
        )
    )
    if filters.qa:
        kept = []
        for row in rows:
            row["qa"] = extras.qa_flags(row, doc["source_lang"], doc["target_lang"])
            codes = {f.code for f in row["qa"]}
            if codes if filters.qa == "any" else filters.qa in codes:
                kept.append(row)
        rows = kept
    return rows


def decorate(row: dict, doc: dict, measure: bool = True) -> dict:
    """Add what the editor shows beside the stored fields: QA flags and post-edit effort
    (``measure=False``: only an effort already measured, see ``extras.effort``)."""
    if "qa" not in row:
        row["qa"] = extras.qa_flags(row, doc["source_lang"], doc["target_lang"])
    row["effort"] = (
        extras.effort(row, doc["target_lang"], measure) if row.get("translate") else None
    )
    row["prefilled"] = extras.prefilled_mt(row) if row.get("translate") else None
    return row


#: CPU seconds an editor page may spend measuring edits (HTER and diff: tens of
#: milliseconds for a heavily rewritten sentence); the rows left then are measured when
#: the browser asks for them, one request each, so no page holds the server for long.
PAGE_MEASURE_SECONDS = 0.25


def decorate_page(rows: list[dict], doc: dict) -> list[dict]:
    """``decorate`` for the rows of an editor page, within PAGE_MEASURE_SECONDS."""
    deadline = time.thread_time() + PAGE_MEASURE_SECONDS
    return [decorate(row, doc, time.thread_time() < deadline) for row in rows]


def mark_furniture_runs(rows: list[dict]) -> list[dict]:
    """Label the first row of each run of page furniture ("22 related lines, not for
    translation"): the editor shows a run as one collapsed row."""
    first = None
    for row in rows:
        if row.get("translate", 1):
            first = None
            continue
        if first is None:
            first = row
            first["run"] = {"n": 0, "kinds": []}
        first["run"]["n"] += 1
        if row.get("furniture") and row["furniture"] not in first["run"]["kinds"]:
            first["run"]["kinds"].append(row["furniture"])
    for row in rows:
        run = row.get("run")
        if run:
            kinds = "/".join(run["kinds"]) if 0 < len(run["kinds"]) <= 2 else "page-furniture"
            plural = "s" if run["n"] != 1 else ""
            run["label"] = f"{run['n']} {kinds} line{plural}, not for translation"
    return rows


def as_json(row: dict) -> dict:
    row = dict(row)
    row["qa"] = [{"code": f.code, "message": f.message} for f in row.get("qa", [])]
    return row


def history(db, segment_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT id, version, target, status, author, action, note, created_at"
            " FROM revisions WHERE segment_id = ? ORDER BY version DESC, id DESC",
            [segment_id],
        )
    )


def word_counts(db, doc: dict) -> dict[str, int]:
    """Source and target words of the text for translation.

    The source count is stored at import; targets are counted sentence by
    sentence with a cache, so only edited sentences cost anything.
    """
    rows = db.execute(
        "SELECT source, target FROM segments WHERE document_id = ? AND translate"
        " AND (target != '' OR ? IS NULL)",
        [doc["id"], doc.get("source_words")],
    ).fetchall()
    source = doc.get("source_words")
    if source is None:  # a document imported before the count was stored
        source = sum(word_count(r[0], doc["source_lang"]) for r in rows)
    return {
        "source": source,
        "target": sum(word_count(r[1] or "", doc["target_lang"]) for r in rows),
    }
