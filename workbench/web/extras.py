"""Segment annotations for the editor: QA flags, TM matches, post-edit effort."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.review import postedit, qa
from workbench.tm import memory as tm


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
        for f in qa.check_segment(row["source"], target, source_lang, target_lang)
    ]


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
