"""Fuzzy lookup without scanning.

``tm_index`` is an inverted index (token → unit ids, a clustered WITHOUT ROWID
table) and ``tm_tokens`` counts in how many units each token occurs. Lookup
picks candidates with *prefix filtering*: a unit scoring at least
``min_score`` shares at least ``t`` tokens with the query, so it contains one
of the query's ``n - t + 1`` rarest tokens. Only those tokens' posting lists
are read, units are ranked by how many they contain, and only the best few are
scored with a token edit distance (100 only for an identical source).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import sqlite_utils

from workbench.formats.inline import from_omegat, has_omegat_tags
from workbench.tm.text import fuzzy_score, index_keys, normalise, tokens

_BREAK_AFTER_SENTENCE = re.compile(r"(?<=[.!?;:])<[a-zA-Z]{1,3}\d+/>(?=\S)")

#: How many units with the most rare tokens in common are considered. Among them the
#: scoring is exact: a bag-of-tokens bound orders them and edit distances are computed
#: only while the bound can still beat the matches found.
CANDIDATES = 250
#: Prefix tokens are dropped, most frequent first, while their postings exceed this budget;
#: it bounds lookup time for queries made only of very common words.
POSTINGS_BUDGET = 20_000


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
    #: "" for the default translation; else the context an alternative is bound to.
    context: str = ""


def _candidates(
    db: sqlite_utils.Database, query_tokens: list[str], lang: str, min_score: int
) -> list[int]:
    """Unit ids that may reach ``min_score``, best first, by the prefix filter."""
    keys = sorted(index_keys(query_tokens, lang))
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
    word, e.g. "2023"). Ties go to the default translation, then to the most
    recently changed unit; context-bound alternatives carry their ``context``.
    """
    if has_omegat_tags(text):  # a segment with inline codes: codes are not scored
        # A standalone code right after a sentence's end is a break (Okapi's line break).
        text = from_omegat(_BREAK_AFTER_SENTENCE.sub(" ", text)).plain()
    key = normalise(text)
    if not key or limit <= 0:
        return []
    query_tokens = tokens(text, source_lang)
    found: dict[int, TmMatch] = {}
    for exact in db.execute(
        "SELECT id, source, target, origin, changed_at, changed_by, context FROM tm_units"
        " WHERE source_lang = ? AND target_lang = ? AND source_key = ?",
        [source_lang, target_lang, key],
    ).fetchall():
        found[exact[0]] = TmMatch(
            exact[1], exact[2], 100, exact[3], exact[0], exact[4], exact[5], exact[6]
        )
    ids = _candidates(db, query_tokens, source_lang, min_score)
    if ids:
        lo = math.ceil(len(query_tokens) * min_score / 100)
        hi = math.floor(len(query_tokens) * 100 / max(min_score, 1)) if min_score > 0 else 10**9
        placeholders = ",".join("?" * len(ids))
        rows = db.execute(
            "SELECT id, source, target, origin, changed_at, changed_by, tokens, source_key, context"
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
            unit_id, source, target, origin, changed_at, changed_by, _, source_key, ctx = row
            score = fuzzy_score(query_tokens, unit_tokens, source_key == key)
            if score >= min_score:
                found[unit_id] = TmMatch(
                    source, target, score, origin, unit_id, changed_at, changed_by, ctx
                )
                scores.append(score)
                scores.sort(reverse=True)
    matches = sorted(found.values(), key=lambda m: (m.changed_at or "", m.unit_id), reverse=True)
    # Stable: among equal scores the default translation, then the newest, comes first.
    matches.sort(key=lambda m: (m.score, not m.context), reverse=True)
    return matches[:limit]
