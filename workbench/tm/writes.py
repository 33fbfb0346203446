"""Writing the TM: the merge rule (one unit per normalised source and language pair,
the newest target wins, the replaced one goes to ``tm_history``), approvals and imports."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlite_utils

from workbench.formats.units import TranslationUnit, to_utc
from workbench.store.db import now
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
    ) -> tuple[int | None, str]:
        """Returns (unit id, "added" | "updated" | "unchanged" | "skipped")."""
        source = (source or "").strip()
        target = (target or "").strip()
        key = normalise(source)
        if not key or not target:
            return None, "skipped"
        changed = _stamp(changed_at)
        props_json = json.dumps(props or {}, ensure_ascii=False, sort_keys=True)
        row = self.db.execute(
            "SELECT id, target, origin, changed_at, changed_by, props FROM tm_units"
            " WHERE source_lang = ? AND target_lang = ? AND source_key = ?",
            [source_lang, target_lang, key],
        ).fetchone()
        if row is None:
            token_list = tokens(source, source_lang)
            cursor = self.db.execute(
                "INSERT INTO tm_units (source, target, source_lang, target_lang, source_key,"
                " tokens, n_tokens, origin, created_at, changed_at, changed_by, props)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                ],
            )
            unit_id = cursor.lastrowid
            for index_key in index_keys(token_list, source_lang):
                self.postings.append((index_key, unit_id))
                self.df[index_key] += 1
            if len(self.postings) > 50_000:
                self.flush()
            return unit_id, "added"
        unit_id, old_target, old_origin, old_changed, old_by, old_props = row
        stamp = now()
        if old_target == target:
            if changed > old_changed:  # the same translation confirmed again: newer metadata
                self.db.execute(
                    "UPDATE tm_units SET changed_at = ?, changed_by = ?, origin = ? WHERE id = ?",
                    [changed, changed_by, origin, unit_id],
                )
            return unit_id, "unchanged"
        if changed >= old_changed:  # the newcomer wins; the old target becomes history
            self._archive(unit_id, old_target, old_origin, old_changed, old_by, old_props, stamp)
            self.db.execute(
                "UPDATE tm_units SET source = ?, target = ?, origin = ?, changed_at = ?,"
                " changed_by = ?, props = ? WHERE id = ?",
                [source, target, origin, changed, changed_by, props_json, unit_id],
            )
            return unit_id, "updated"
        # An older translation arriving late (an old TMX): keep it, but only as history.
        self._archive(unit_id, target, origin, changed, changed_by, props_json, stamp)
        return unit_id, "unchanged"

    def _archive(self, unit_id: int, target: str, *rest: str | None) -> None:
        """Keep a replaced target once (re-importing the same file adds nothing)."""
        if self.db.execute(
            "SELECT 1 FROM tm_history WHERE unit_id = ? AND target = ?", [unit_id, target]
        ).fetchone():
            return
        self.db.execute(
            "INSERT INTO tm_history (unit_id, target, origin, changed_at, changed_by, props,"
            " replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
    with db.atomic():
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
    return add_unit(
        db,
        row["source"],
        row["target"],
        row["source_lang"],
        row["target_lang"],
        "approved",
        changed_at=row.get("updated_at"),
        changed_by=row.get("updated_by"),
        props={"document_id": str(row["document_id"]), "segment_id": str(row["id"])},
    )


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


def import_units(
    db: sqlite_utils.Database, units: Iterable[TranslationUnit], origin: str = "tmx"
) -> ImportStats:
    """Import units (from ``read_tmx``) in one transaction: all of them or none.

    ``origin`` is stored on every unit, e.g. ``"tmx:memory.tmx"``. Duplicates
    follow the ``add_unit`` rule, also within one file (the newest
    ``changed`` date, else ``created``, wins). Units whose language pair is
    not stored anywhere else are imported as they are (zh-Hant stays zh-Hant).
    """
    stats = ImportStats()
    with db.atomic():
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
            )
            setattr(stats, what, getattr(stats, what) + 1)
        writer.flush()
    if stats.skipped:
        stats.warnings.append(f"{stats.skipped} unit(s) with an empty source or target skipped")
    return stats
