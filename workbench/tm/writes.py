"""Writing the TM: the merge rule (one unit per normalised source and language pair,
the newest target wins, the replaced one goes to ``tm_history``), approvals and imports."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlite_utils

from workbench.formats.inline import segment_codes
from workbench.formats.units import TranslationUnit, to_utc, xml_safe
from workbench.store.db import now, write_transaction
from workbench.tm.text import index_keys, normalise, tokens


@dataclass
class ImportStats:
    """What an import did: new units, units updated or kept, units skipped as unusable."""

    added: int = 0
    updated: int = 0  # an existing unit got a newer target (old one kept in history)
    unchanged: int = 0  # same target, or an older target (kept in history)
    skipped: int = 0  # empty source or target
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + self.skipped

    def as_dict(self) -> dict:
        return {**self.__dict__, "total": self.total}


def _stamp(value: str | datetime | None) -> str:
    """Store every date as ``db.now()`` does, so string order is time order."""
    if value is None:
        return now()
    if isinstance(value, datetime):
        return to_utc(value).replace(microsecond=0).isoformat()
    try:
        return to_utc(datetime.fromisoformat(value)).replace(microsecond=0).isoformat()
    except ValueError:
        return value


#: ``tm_units`` columns filled from ``meta`` (what interchange files carry besides texts).
META_COLUMNS = (
    "tuid",
    "created_by",
    "notes",
    "prop_list",
    "attrs",
    "source_tag",
    "target_tag",
    "markup",
)

#: Prop types (as OmegaT writes them) that bind a translation to a context.
CONTEXT_PROPS = ("file", "x-file", "id", "x-id", "prev", "x-prev", "next", "x-next", "x-context")
_CONTEXT_KEYS = frozenset({"id", "x-id", "prev", "x-prev", "next", "x-next", "x-context"})


def context_of(prop_list: list[tuple[str, str]]) -> str:
    """The context an alternative translation is bound to ("" for a default one).

    OmegaT stores an alternative with ``file`` and ``id`` props (or ``prev``/
    ``next`` neighbours, or ``x-context``); Trados' ``x-Context`` hashes are
    not alternatives and are not read here.
    """
    found = [(t, v) for t, v in prop_list if t in CONTEXT_PROPS]
    if not any(t in _CONTEXT_KEYS for t, _ in found):
        return ""
    return ";".join(f"{t.removeprefix('x-')}={v}" for t, v in found)


def unit_meta(unit: TranslationUnit) -> dict:
    """What ``_Writer.add`` stores besides the texts, from an interchange unit."""
    markup = None
    if unit.source_coded or unit.target_coded:
        markup = json.dumps(
            {
                "source": unit.source_coded.to_json() if unit.source_coded else None,
                "target": unit.target_coded.to_json() if unit.target_coded else None,
            },
            ensure_ascii=False,
        )

    def dumped(value: object) -> str | None:
        return json.dumps(value, ensure_ascii=False) if value else None

    return {
        "tuid": unit.tuid,
        "created_by": unit.creator,
        "notes": dumped(unit.notes),
        "prop_list": dumped([list(p) for p in unit.prop_list]),
        "attrs": dumped(unit.attrs),
        "source_tag": unit.source_tag,
        "target_tag": unit.target_tag,
        "markup": markup,
        "context": context_of(unit.prop_list),
    }


class _Writer:
    """Adds units with the merge rule; postings and counts are written in batches."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.postings: list[tuple[str, int]] = []
        self.df: Counter[str] = Counter()

    def add(
        self,
        source: str,
        target: str,
        source_lang: str,
        target_lang: str,
        origin: str,
        changed_at: str | datetime | None,
        changed_by: str | None,
        props: dict | None,
        created_at: str | datetime | None = None,
        meta: dict | None = None,
    ) -> tuple[int | None, str]:
        """Returns (unit id, "added" | "updated" | "unchanged" | "skipped").

        ``meta`` holds what interchange files carry besides the texts (see
        ``unit_meta``); its ``context`` makes a context-bound alternative, a
        unit of its own beside the default translation of the same source.
        """
        meta = meta or {}
        context = meta.get("context") or ""
        meta_values = [meta.get(c) for c in META_COLUMNS]
        # What XML cannot carry (a NUL pasted from a PDF) never enters the TM: SQLite's
        # LIKE and the trigram index stop at a NUL, and TMX/XLIFF exports would drop it.
        source = xml_safe(source or "").strip()
        target = xml_safe(target or "").strip()
        key = normalise(source)
        if not key or not target:
            return None, "skipped"
        changed = _stamp(changed_at)
        props_json = json.dumps(props or {}, ensure_ascii=False, sort_keys=True)
        row = self.db.execute(
            "SELECT id, target, origin, changed_at, changed_by, props, markup FROM tm_units"
            " WHERE source_lang = ? AND target_lang = ? AND source_key = ? AND context = ?",
            [source_lang, target_lang, key, context],
        ).fetchone()
        if row is None:
            token_list = tokens(source, source_lang)
            cursor = self.db.execute(
                "INSERT INTO tm_units (source, target, source_lang, target_lang, source_key,"
                " tokens, n_tokens, origin, created_at, changed_at, changed_by, props, context, "
                + ", ".join(META_COLUMNS)
                + ") VALUES ("
                + ", ".join("?" * (13 + len(META_COLUMNS)))
                + ")",
                [
                    source,
                    target,
                    source_lang,
                    target_lang,
                    key,
                    " ".join(token_list),
                    len(token_list),
                    origin,
                    _stamp(created_at) if created_at else changed,
                    changed,
                    changed_by,
                    props_json,
                    context,
                    *meta_values,
                ],
            )
            unit_id = cursor.lastrowid
            for index_key in index_keys(token_list, source_lang):
                self.postings.append((index_key, unit_id))
                self.df[index_key] += 1
            if len(self.postings) > 50_000:
                self.flush()
            return unit_id, "added"
        unit_id, old_target, old_origin, old_changed, old_by, old_props, old_markup = row
        stamp = now()
        if old_target == target:
            if changed > old_changed:  # the same translation confirmed again: newer metadata
                self.db.execute(
                    "UPDATE tm_units SET changed_at = ?, changed_by = ?, origin = ? WHERE id = ?",
                    [changed, changed_by, origin, unit_id],
                )
            return unit_id, "unchanged"
        if changed >= old_changed:  # the newcomer wins; the old target becomes history
            self._archive(
                unit_id, old_target, old_origin, old_changed, old_by, old_props, stamp, old_markup
            )
            self.db.execute(
                "UPDATE tm_units SET source = ?, target = ?, origin = ?, changed_at = ?,"
                " changed_by = ?, props = ?, "
                + ", ".join(f"{c} = ?" for c in META_COLUMNS)
                + " WHERE id = ?",
                [source, target, origin, changed, changed_by, props_json, *meta_values, unit_id],
            )
            return unit_id, "updated"
        # An older translation arriving late (an old TMX): keep it, but only as history.
        self._archive(
            unit_id, target, origin, changed, changed_by, props_json, stamp, meta.get("markup")
        )
        return unit_id, "unchanged"

    def _archive(self, unit_id: int, target: str, *rest: str | None) -> None:
        """Keep a replaced target once (re-importing the same file adds nothing)."""
        if self.db.execute(
            "SELECT 1 FROM tm_history WHERE unit_id = ? AND target = ?", [unit_id, target]
        ).fetchone():
            return
        self.db.execute(
            "INSERT INTO tm_history (unit_id, target, origin, changed_at, changed_by, props,"
            " replaced_at, markup) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [unit_id, target, *rest],
        )

    def flush(self) -> None:
        if self.postings:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO tm_index (token, unit_id) VALUES (?, ?)", self.postings
            )
            self.postings = []
        if self.df:
            self.db.conn.executemany(
                "INSERT INTO tm_tokens (token, df) VALUES (?, ?)"
                " ON CONFLICT (token) DO UPDATE SET df = df + excluded.df",
                list(self.df.items()),
            )
            self.df = Counter()


def add_unit(
    db: sqlite_utils.Database,
    source: str,
    target: str,
    source_lang: str,
    target_lang: str,
    origin: str,
    changed_at: str | datetime | None = None,
    changed_by: str | None = None,
    props: dict | None = None,
) -> int | None:
    """Add one unit, merging with an existing unit of the same normalised source and langs.

    The newest target (by ``changed_at``, default now) is kept in ``tm_units``;
    the other one goes to ``tm_history``. Returns the unit id, or None when the
    source or target is empty (such a unit is useless for lookup).
    """
    with write_transaction(db):
        writer = _Writer(db)
        unit_id, _ = writer.add(
            source, target, source_lang, target_lang, origin, changed_at, changed_by, props
        )
        writer.flush()
    return unit_id


def add_approved(db: sqlite_utils.Database, segment: int | dict) -> int | None:
    """Put an approved segment into the TM; call it whenever a segment is approved.

    ``segment`` is a segment id, or a segments row (with ``source_lang`` and
    ``target_lang`` from its document if the caller joined them; otherwise
    they are looked up). Page furniture and empty targets are not added
    (returns None). The unit's origin is "approved"; props keep the document
    and segment ids so the UI can link back.
    """
    row = _segment_row(db, segment) if isinstance(segment, int) else dict(segment)
    if not row.get("source_lang") or not row.get("target_lang"):
        document = db["documents"].get(row["document_id"])
        row["source_lang"] = document["source_lang"]
        row["target_lang"] = document["target_lang"]
    if not row.get("translate", 1) or not (row.get("target") or "").strip():
        return None
    source, target, meta = row["source"], row["target"], None
    codes = segment_codes(row.get("markup"), row["source"], row["target"])
    if codes is not None:  # inline codes: the unit keeps them, its texts are plain
        source_coded, target_coded = codes
        source, target = source_coded.plain(), target_coded.plain()
        meta = {
            "markup": json.dumps(
                {"source": source_coded.to_json(), "target": target_coded.to_json()},
                ensure_ascii=False,
            )
        }
    with write_transaction(db):
        writer = _Writer(db)
        unit_id, _ = writer.add(
            source,
            target,
            row["source_lang"],
            row["target_lang"],
            "approved",
            row.get("updated_at"),
            row.get("updated_by"),
            {"document_id": str(row["document_id"]), "segment_id": str(row["id"])},
            meta=meta,
        )
        writer.flush()
    return unit_id


def _segment_row(db: sqlite_utils.Database, segment_id: int) -> dict:
    rows = list(
        db.query(
            "SELECT s.*, d.source_lang, d.target_lang FROM segments s"
            " JOIN documents d ON d.id = s.document_id WHERE s.id = ?",
            [segment_id],
        )
    )
    if not rows:
        raise ValueError(f"segment {segment_id} does not exist")
    return rows[0]


class PairError(ValueError):
    """A file whose language pairs the TM cannot look up (only Chinese and English)."""


def check_pairs(units: list[TranslationUnit]) -> None:
    """Refuse units pairing languages other than Chinese and English, listing the pairs."""
    pairs: Counter[str] = Counter()
    for unit in units:
        bases = {unit.source_lang.split("-")[0], unit.target_lang.split("-")[0]}
        if bases != {"zh", "en"}:
            pairs[
                f"{unit.source_tag or unit.source_lang}→{unit.target_tag or unit.target_lang}"
            ] += 1
    if pairs:
        found = ", ".join(f"{pair} ({n} unit(s))" for pair, n in pairs.most_common())
        raise PairError(
            f"the translation memory pairs Chinese with English; this file has {found};"
            " nothing was imported"
        )


#: Where a file's ``<ude>`` elements are kept in ``tm_headers.attrs`` (no XML attribute
#: can have this name, so it never meets a header attribute).
UDE_KEY = "<ude>"


def _udes(header: dict) -> dict:
    return {UDE_KEY: list(header["udes"])} if header.get("udes") else {}


def import_units(
    db: sqlite_utils.Database,
    units: Iterable[TranslationUnit],
    origin: str = "tmx",
    header: dict | None = None,
) -> ImportStats:
    """Import units (from ``read_tmx``) in one transaction: all of them or none.

    ``origin`` is stored on every unit, e.g. ``"tmx:memory.tmx"``. Duplicates
    follow the ``add_unit`` rule, also within one file (the newest
    ``changed`` date, else ``created``, wins). Units whose language pair is
    not stored anywhere else are imported as they are (zh-Hant stays zh-Hant);
    pairs other than Chinese–English raise ``PairError`` before anything is
    written. ``header`` (``attrs``, ``prop_list``, ``notes`` and ``udes`` of the
    file's ``<header>``) is kept in ``tm_headers`` for the export (the ``<ude>``
    elements inside the attrs JSON under ``UDE_KEY``, no attribute's name).
    """
    stats = ImportStats()
    units = list(units)
    check_pairs(units)
    with write_transaction(db):
        if header is not None:
            db.execute(
                "INSERT OR REPLACE INTO tm_headers (origin, attrs, prop_list, notes, imported_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    origin,
                    json.dumps(
                        {**(header.get("attrs") or {}), **_udes(header)}, ensure_ascii=False
                    ),
                    json.dumps(
                        [list(p) for p in header.get("prop_list") or []], ensure_ascii=False
                    ),
                    json.dumps(header.get("notes") or [], ensure_ascii=False),
                    now(),
                ],
            )
        writer = _Writer(db)
        for unit in units:
            _, what = writer.add(
                unit.source,
                unit.target,
                unit.source_lang,
                unit.target_lang,
                origin,
                unit.changed or unit.created,
                unit.changer or unit.creator,
                unit.props or None,
                created_at=unit.created,
                meta=unit_meta(unit),
            )
            setattr(stats, what, getattr(stats, what) + 1)
        writer.flush()
    if stats.skipped:
        stats.warnings.append(f"{stats.skipped} unit(s) with an empty source or target skipped")
    return stats
