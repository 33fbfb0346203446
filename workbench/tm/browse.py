"""Reading the TM other than by fuzzy match: concordance, a unit's history, export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import sqlite_utils

from workbench.formats.units import TranslationUnit
from workbench.tm.text import normalise


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def concordance(
    db: sqlite_utils.Database, query: str, source_lang: str | None = None, limit: int = 50
) -> list[dict]:
    """TM units whose source or target contains ``query`` (case-insensitive for Latin
    letters), newest first: the translator's "how did we translate this before?".

    ``source_lang`` restricts to units with that source language. Each row says
    which side matched in ``matched`` ("source", "target" or "both").
    """
    needle = normalise(query)
    if not needle or limit <= 0:
        return []
    pattern = f"%{_like_escape(needle)}%"
    where = "(source LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\')"
    params: list = [pattern, pattern]
    if source_lang:
        where += " AND source_lang = ?"
        params.append(source_lang)
    rows = db.execute(
        "SELECT id, source, target, source_lang, target_lang, origin, changed_at, changed_by"
        f" FROM tm_units WHERE {where} ORDER BY changed_at DESC, id DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    lowered = needle.casefold()
    out = []
    for unit_id, source, target, s_lang, t_lang, origin, changed_at, changed_by in rows:
        in_source = lowered in normalise(source).casefold()
        in_target = lowered in normalise(target).casefold()
        out.append(
            {
                "unit_id": unit_id,
                "source": source,
                "target": target,
                "source_lang": s_lang,
                "target_lang": t_lang,
                "origin": origin,
                "changed_at": changed_at,
                "changed_by": changed_by,
                "matched": "both"
                if in_source and in_target
                else "source"
                if in_source
                else "target",
            }
        )
    return out


def history(db: sqlite_utils.Database, unit_id: int) -> list[dict]:
    """Targets a unit had before, newest replacement first."""
    return list(
        db.query(
            "SELECT target, origin, changed_at, changed_by, replaced_at FROM tm_history"
            " WHERE unit_id = ? ORDER BY replaced_at DESC, id DESC",
            [unit_id],
        )
    )


def iter_units(
    db: sqlite_utils.Database, source_lang: str | None = None
) -> Iterator[TranslationUnit]:
    """Every unit as a ``TranslationUnit`` (for TMX export of the memory)."""
    where, params = ("WHERE source_lang = ?", [source_lang]) if source_lang else ("", [])
    for row in db.query(f"SELECT * FROM tm_units {where} ORDER BY id", params):
        props = json.loads(row["props"] or "{}")
        props["origin"] = row["origin"]
        yield TranslationUnit(
            source=row["source"],
            target=row["target"],
            source_lang=row["source_lang"],
            target_lang=row["target_lang"],
            created=datetime.fromisoformat(row["created_at"]),
            changed=datetime.fromisoformat(row["changed_at"]),
            changer=row["changed_by"],
            props={str(k): str(v) for k, v in props.items()},
        )
