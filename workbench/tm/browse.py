"""Reading the TM other than by fuzzy match: concordance, a unit's history, export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import sqlite_utils

from workbench.formats.inline import Coded
from workbench.formats.units import TranslationUnit
from workbench.tm.text import normalise
from workbench.tm.writes import UDE_KEY


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def concordance(
    db: sqlite_utils.Database,
    query: str,
    source_lang: str | None = None,
    limit: int = 50,
    indexed: bool = True,
) -> list[dict]:
    """TM units whose source or target contains ``query`` (case-insensitive for Latin
    letters), newest first: the translator's "how did we translate this before?".

    ``source_lang`` restricts to units with that source language. Each row says
    which side matched in ``matched`` ("source", "target" or "both").

    A needle of three characters or more is looked up in the trigram index
    ``tm_fts`` first (no scan); the LIKE test then runs on those candidates
    only, so the results are exactly the scan's (``indexed=False`` scans, for
    the benchmark's comparison).
    """
    needle = normalise(query)
    if not needle or limit <= 0:
        return []
    pattern = f"%{_like_escape(needle)}%"
    where = "(source LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\')"
    params: list = [pattern, pattern]
    if indexed and len(needle) >= 3:
        where += " AND id IN (SELECT rowid FROM tm_fts WHERE tm_fts MATCH ?)"
        params.append('"' + needle.replace('"', '""') + '"')
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
        markup = json.loads(row["markup"] or "{}")
        props = json.loads(row["props"] or "{}")
        props["origin"] = row["origin"]
        yield TranslationUnit(
            source=row["source"],
            target=row["target"],
            source_lang=row["source_lang"],
            target_lang=row["target_lang"],
            created=datetime.fromisoformat(row["created_at"]),
            changed=datetime.fromisoformat(row["changed_at"]),
            creator=row["created_by"],
            changer=row["changed_by"],
            props={str(k): str(v) for k, v in props.items()},
            tuid=row["tuid"],
            notes=json.loads(row["notes"] or "[]"),
            prop_list=[tuple(p) for p in json.loads(row["prop_list"] or "[]")],
            attrs=json.loads(row["attrs"] or "{}"),
            source_tag=row["source_tag"],
            target_tag=row["target_tag"],
            source_coded=Coded.from_json(markup.get("source")),
            target_coded=Coded.from_json(markup.get("target")),
        )


def headers(db: sqlite_utils.Database) -> dict:
    """What the imported files' ``<header>`` elements said, merged for an export.

    An attribute (``segtype`` …) is kept when every file that gave it agrees;
    props, notes and ``<ude>`` elements are kept once each, in import order.
    """
    attrs: dict[str, set[str]] = {}
    prop_list: list[tuple[str, str]] = []
    notes: list[str] = []
    udes: list[str] = []
    for row in db.query("SELECT * FROM tm_headers ORDER BY imported_at, origin"):
        for key, value in json.loads(row["attrs"]).items():
            if key == UDE_KEY:
                udes.extend(u for u in value if u not in udes)
                continue
            attrs.setdefault(key, set()).add(value)
        for prop in json.loads(row["prop_list"]):
            if tuple(prop) not in prop_list:
                prop_list.append(tuple(prop))
        for note in json.loads(row["notes"]):
            if note not in notes:
                notes.append(note)
    agreed = {k: next(iter(v)) for k, v in attrs.items() if len(v) == 1}
    return {"attrs": agreed, "prop_list": prop_list, "notes": notes, "udes": udes}


def source_tag(db: sqlite_utils.Database, source_lang: str) -> str | None:
    """The header ``srclang`` an export may claim: the one tag every unit's source has,
    ``"*all*"`` when the units start from several languages or tags, None when
    the stored units all start from ``source_lang`` without a recorded tag."""
    rows = db.execute("SELECT DISTINCT source_lang, source_tag FROM tm_units LIMIT 3").fetchall()
    langs = {r[0] for r in rows}
    tags = {r[1] for r in rows}
    if langs != {source_lang}:
        return "*all*"
    if len(tags) == 1:
        return next(iter(tags))
    return "*all*"
