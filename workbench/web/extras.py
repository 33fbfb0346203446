"""Segment annotations for the editor: QA flags, TM matches, post-edit effort."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from threading import Lock

from flask import current_app, g, has_app_context

from workbench.review import postedit, qa
from workbench.review.qa import terminology
from workbench.review.qa.base import base_lang
from workbench.terms import entries as glossary
from workbench.tm import memory as tm
from workbench.web.database import get_db


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


def qa_flags(row: dict, source_lang: str, target_lang: str) -> list[Flag]:
    """QA flags of the text the editor shows as the target (none for page furniture):
    the target, or on a segment nobody has worked on yet the MT pre-filled in its
    place, which is not "empty"."""
    if not row.get("translate", 1):
        return []
    target = row.get("target") or (prefilled_mt(row) or "")
    flags = list(_checked(row["source"], target, source_lang, target_lang))
    terms = glossary_terms(row.get("document_id"))
    if terms and target.strip() and row["source"].strip():
        found = terminology.check_terms(
            row["source"], target, base_lang(source_lang), base_lang(target_lang), terms
        )
        if found is not None:
            flags.append(Flag(found.code, found.message))
    return flags


@lru_cache(maxsize=20_000)
def _checked(source: str, target: str, source_lang: str, target_lang: str) -> tuple[Flag, ...]:
    """QA of one pair, remembered: the MT of untouched segments is checked again on every
    page load otherwise (a page of 100 is ~100 ms of checks)."""
    return tuple(
        Flag(f.code, f.message) for f in qa.check_segment(source, target, source_lang, target_lang)
    )


def glossary_terms(document_id: int | None) -> glossary.Terms:
    """The glossary terms of a segment's document: kept by the app between requests
    (``KeptTerms``), looked up once per request."""
    if document_id is None or not has_app_context():
        return glossary.Terms()
    cache = g.setdefault("glossary_terms", {})
    if document_id not in cache:
        db = get_db()
        doc = db.execute(
            "SELECT project_id, source_lang, target_lang FROM documents WHERE id = ?",
            [document_id],
        ).fetchone()
        cache[document_id] = (
            current_app.extensions["workbench.terms"].for_document(
                db, {"project_id": doc[0], "source_lang": doc[1], "target_lang": doc[2]}
            )
            if doc
            else glossary.Terms()
        )
    return cache[document_id]


def prefilled_mt(row: dict) -> str | None:
    """The MT the editor pre-fills as the target: only while the segment is "new" (never
    saved, or reverted to its imported state) with no target of its own."""
    if row.get("target") or row.get("status", "new") != "new":
        return None
    return row.get("mt") or None


def tm_matches(db, row: dict, source_lang: str, target_lang: str, limit: int = 5) -> list[dict]:
    """TM matches for a segment, each with a diff of its source against the segment's
    (<del>: only in the TM source, <ins>: only in this one). The segment's own
    translation (its approval in the TM, or the very text it has) is no suggestion."""
    text = row["source"]
    found = tm.lookup(db, text, source_lang, target_lang, limit=limit + 2)
    own = _own_units(db, [m.unit_id for m in found], row["id"])
    current = (row.get("target") or "").strip()
    return [
        {
            "source": m.source,
            "target": m.target,
            "score": round(m.score),
            "origin": m.origin,
            "diff": postedit.diff_html(m.source, text, source_lang),
        }
        for m in found
        if m.unit_id not in own and not (current and m.target.strip() == current)
    ][:limit]


def _own_units(db, unit_ids: list[int], segment_id: int) -> set[int]:
    """The units among ``unit_ids`` that came from approving this segment."""
    if not unit_ids:
        return set()
    marks = ",".join("?" * len(unit_ids))
    return {
        unit_id
        for (unit_id,) in db.execute(
            f"SELECT id FROM tm_units WHERE id IN ({marks})"
            " AND json_extract(props, '$.segment_id') = ?",
            [*unit_ids, str(segment_id)],
        )
    }


def effort(row: dict, target_lang: str, compute: bool = True) -> dict | None:
    """Diff against the MT, HTER and editing time of an edited segment; None if untouched.

    ``compute=False``: only what is already known; an edit never measured yet is
    ``{"pending": True}`` (the editor page's time budget ran out: the browser asks).
    """
    mt, target = row.get("mt") or "", row.get("target") or ""
    if not mt or not target.strip():
        return None
    measured = _measured(mt, target, target_lang, compute)
    if measured is None:
        return {"pending": True, "edit_ms": row.get("edit_ms") or 0}
    value, exact, diff = measured
    return {
        # A long segment's HTER is bounded work, not TER's full search: shown as "≈".
        "hter": round(value, 3),
        "hter_exact": exact,
        "diff": diff,
        "edit_ms": row.get("edit_ms") or 0,
    }


_MEASURED: dict[tuple[str, str, str], tuple[float, bool, str]] = {}
_MEASURED_SIZE = 4096
_measured_lock = Lock()


def _measured(
    mt: str, target: str, target_lang: str, compute: bool = True
) -> tuple[float, bool, str] | None:
    """HTER and diff of one edit, remembered: a heavy rewrite's TER search takes tens of
    milliseconds, and the editor page shows it for each of its 100 rows on every load
    (a page of rewritten sentences took 6 s); the save's reply computes it first."""
    key = (mt, target, target_lang)
    found = _MEASURED.get(key)
    if found is not None or not compute:
        return found
    value, exact = postedit.hter_exact(mt, target, target_lang)
    found = value, exact, postedit.diff_html(mt, target, target_lang)
    with _measured_lock:
        _MEASURED[key] = found
        while len(_MEASURED) > _MEASURED_SIZE:
            _MEASURED.pop(next(iter(_MEASURED)))
    return found
