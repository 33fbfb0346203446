"""Translation memory in the workbench database: approved segments and imported TMX.

Storage: ``tm_units`` holds one unit per normalised source and language pair
(re-approving or re-importing a sentence updates it; the replaced target goes
to ``tm_history``). Fuzzy lookup must stay fast as the memory grows, so it
never scans: ``tm_index`` is an inverted index (token → unit ids, a clustered
WITHOUT ROWID table) and ``tm_tokens`` counts in how many units each token
occurs.

Lookup picks candidates with *prefix filtering*: a unit scoring at least
``min_score`` shares at least ``t`` tokens with the query, so it contains one
of the query's ``n - t + 1`` rarest tokens. Only those tokens' posting lists
are read (frequent words like "the" or 的 are usually not among them), units
are ranked by how many they contain, and only the best few are scored with a
token edit distance (CAT-tool style: 100 − normalised edits, 100 only for
an identical source).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import sqlite_utils

from aligner.tokens import HAN_RE, jieba_module
from workbench.formats.units import TranslationUnit, to_utc
from workbench.store.db import now, write_transaction

#: How many units with the most rare tokens in common are considered. Among them the
#: scoring is exact: a bag-of-tokens bound orders them and edit distances are computed
#: only while the bound can still beat the matches found.
CANDIDATES = 250
#: Prefix tokens are dropped, most frequent first, while their postings exceed this budget;
#: it bounds lookup time for queries made only of very common words.
POSTINGS_BUDGET = 20_000
#: Index keys carry the language so that zh and en tokens never meet.
_SEP = ":"


@dataclass(frozen=True)
class TmMatch:
    """A TM unit proposed for a segment, with its fuzzy score (100 = identical source)."""

    source: str
    target: str
    score: int
    origin: str
    unit_id: int
    changed_at: str | None = None
    changed_by: str | None = None


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


# --------------------------------------------------------------------------- schema


# --------------------------------------------------------------------------- tokens


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EN_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
_WORDLIKE = re.compile(r"\w")


def normalise(text: str) -> str:
    """The form two sources must share to be the same unit: NFKC, one space, no controls."""
    text = unicodedata.normalize("NFKC", _CONTROL.sub(" ", text or ""))
    return " ".join(text.split())


def tokens(text: str, lang: str) -> list[str]:
    """Scoring tokens: jieba words for Chinese, words and punctuation marks otherwise;
    lower-cased, whitespace dropped."""
    text = normalise(text).lower()
    if not text:
        return []
    if lang.startswith("zh") and HAN_RE.search(text):
        return [t for t in (w.strip() for w in jieba_module().lcut(text, HMM=True)) if t]
    return _EN_TOKEN.findall(text)


def _index_keys(token_list: list[str], lang: str) -> set[str]:
    """Keys a unit is indexed under: its distinct word tokens (punctuation is not selective)."""
    base = lang.split("-")[0]
    return {f"{base}{_SEP}{t}" for t in token_list if _WORDLIKE.search(t)}


def edit_distance(a: list[str], b: list[str]) -> int:
    """Levenshtein distance between token lists (Myers/Hyyrö bit-parallel: one pass over b).

    Why: lookup scores dozens of candidates per call; a bit-vector per token
    makes each comparison a few big-integer operations per token instead of a
    Python-level dynamic-programming table.
    """
    if not a:
        return len(b)
    if not b:
        return len(a)
    m = len(a)
    full = (1 << m) - 1
    last = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, token in enumerate(a):
        peq[token] = peq.get(token, 0) | (1 << i)
    pv, mv, score = full, 0, m
    for token in b:
        eq = peq.get(token, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score


def fuzzy_score(query_tokens: list[str], unit_tokens: list[str], identical: bool) -> int:
    """100 − edits/longer length, as CAT tools do; 100 is reserved for an identical source."""
    longest = max(len(query_tokens), len(unit_tokens))
    if longest == 0:
        return 100 if identical else 0
    score = math.floor(100 * (1 - edit_distance(query_tokens, unit_tokens) / longest))
    if identical:
        return 100
    return max(0, min(score, 99))


# --------------------------------------------------------------------------- writes


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
            for index_key in _index_keys(token_list, source_lang):
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
    with write_transaction(db):
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


# --------------------------------------------------------------------------- reads


def _candidates(
    db: sqlite_utils.Database, query_tokens: list[str], lang: str, min_score: int
) -> list[int]:
    """Unit ids that may reach ``min_score``, best first, by the prefix filter."""
    keys = sorted(_index_keys(query_tokens, lang))
    if not keys:
        return []
    placeholders = ",".join("?" * len(keys))
    frequency = dict(
        db.execute(
            f"SELECT token, df FROM tm_tokens WHERE token IN ({placeholders})", keys
        ).fetchall()
    )
    present = sorted((k for k in keys if k in frequency), key=lambda k: (frequency[k], k))
    if not present:
        return []
    # A unit scoring >= min_score matches >= need query tokens in the edit alignment.
    # Repeated and punctuation tokens may account for some of those; the rest are
    # distinct indexed tokens, all of them among ``present``. So the unit holds at
    # least one of the ``len(present) - shared + 1`` rarest present tokens.
    need = math.ceil(min_score / 100 * len(query_tokens))
    shared = max(1, need - (len(query_tokens) - len(keys)))
    prefix = present[: max(1, len(present) - shared + 1)]
    while len(prefix) > 1 and sum(frequency[k] for k in prefix) > POSTINGS_BUDGET:
        prefix.pop()
    placeholders = ",".join("?" * len(prefix))
    rows = db.execute(
        f"SELECT unit_id FROM tm_index WHERE token IN ({placeholders})"
        " GROUP BY unit_id ORDER BY COUNT(*) DESC, unit_id DESC LIMIT ?",
        [*prefix, CANDIDATES],
    ).fetchall()
    return [r[0] for r in rows]


def lookup(
    db: sqlite_utils.Database,
    text: str,
    source_lang: str,
    target_lang: str,
    limit: int = 5,
    min_score: int = 50,
) -> list[TmMatch]:
    """The best TM matches for ``text``: score ≥ ``min_score``, best first, at most ``limit``.

    Identical sources score 100 (also found when the text has no indexable
    word, e.g. "2023"). Ties go to the most recently changed unit.
    """
    key = normalise(text)
    if not key or limit <= 0:
        return []
    query_tokens = tokens(text, source_lang)
    found: dict[int, TmMatch] = {}
    exact = db.execute(
        "SELECT id, source, target, origin, changed_at, changed_by FROM tm_units"
        " WHERE source_lang = ? AND target_lang = ? AND source_key = ?",
        [source_lang, target_lang, key],
    ).fetchone()
    if exact is not None:
        found[exact[0]] = TmMatch(exact[1], exact[2], 100, exact[3], exact[0], exact[4], exact[5])
    ids = _candidates(db, query_tokens, source_lang, min_score)
    if ids:
        lo = math.ceil(len(query_tokens) * min_score / 100)
        hi = math.floor(len(query_tokens) * 100 / max(min_score, 1)) if min_score > 0 else 10**9
        placeholders = ",".join("?" * len(ids))
        rows = db.execute(
            "SELECT id, source, target, origin, changed_at, changed_by, tokens, source_key"
            # "+" keeps the planner on the rowid lookup instead of the language index scan
            f" FROM tm_units WHERE id IN ({placeholders}) AND +source_lang = ?"
            " AND +target_lang = ? AND n_tokens BETWEEN ? AND ?",
            [*ids, source_lang, target_lang, lo, hi],
        ).fetchall()
        query_set = set(query_tokens)
        bounded = []
        for row in rows:
            if row[0] in found:
                continue
            unit_tokens = row[6].split()
            common = min(len(query_tokens), sum(t in query_set for t in unit_tokens))
            longest = max(len(unit_tokens), len(query_tokens), 1)
            # Edits >= longest - shared tokens, so this bounds the score from above.
            bounded.append((math.floor(100 * common / longest), unit_tokens, row))
        bounded.sort(key=lambda b: b[0], reverse=True)
        scores: list[int] = sorted((m.score for m in found.values()), reverse=True)
        for bound, unit_tokens, row in bounded:
            bar = scores[limit - 1] if len(scores) >= limit else min_score
            if bound < max(bar, min_score):
                break
            unit_id, source, target, origin, changed_at, changed_by, _, source_key = row
            score = fuzzy_score(query_tokens, unit_tokens, source_key == key)
            if score >= min_score:
                found[unit_id] = TmMatch(
                    source, target, score, origin, unit_id, changed_at, changed_by
                )
                scores.append(score)
                scores.sort(reverse=True)
    matches = sorted(found.values(), key=lambda m: (m.changed_at or "", m.unit_id), reverse=True)
    matches.sort(key=lambda m: m.score, reverse=True)  # stable: newest first among equal scores
    return matches[:limit]


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
