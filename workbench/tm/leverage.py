"""TM leverage before any MT: exact and in-context matches, fuzzy pre-fill, match analysis.

An *exact* match is a TM unit of the same direction whose source equals the
segment's once whitespace and full/half-width punctuation are normalised
(NFKC, then the CJK marks NFKC leaves alone: 。、「」 …, and no space next to
punctuation or Han characters, where the two scripts differ). Case, words and
digits must be identical: "举行了" for "举行" is a 9x% fuzzy match, not 100%.
An *in-context exact* (ICE) match is an exact match whose neighbouring
segments (previous and next for translation, where they exist) are exact
matches too: the whole passage was translated before.

Analysis counts words per band the way CAT tools quote (MateCat, Trados,
memoQ): ICE, 100%, repetitions within the file (a source seen earlier in the
same file and not already a TM match), 95–99, 85–94, 75–84, 50–74, no match;
words are jieba words for Chinese (``aligner.tokens.word_count``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from aligner.tokens import word_count
from workbench.tm import memory as tm

_CJK_MARKS = str.maketrans(
    {
        "。": ".", "、": ",", "「": '"', "」": '"', "『": '"', "』": '"', "“": '"', "”": '"',
        "‘": "'", "’": "'", "【": "[", "】": "]", "〔": "(", "〕": ")", "《": "<", "》": ">",
        "〈": "<", "〉": ">", "—": "-", "–": "-", "…": "...",
    }
)  # fmt: skip
_SPACE_NEAR = re.compile(r"\s+(?=[^\w\s]|[\u3400-\u9fff])|(?<=[^\w\s])\s+|(?<=[\u3400-\u9fff])\s+")

BANDS = ("ICE", "100%", "repetitions", "95-99", "85-94", "75-84", "50-74", "no match")


def fold(text: str) -> str:
    """The form two sources share when they differ only by spacing or punctuation width."""
    text = unicodedata.normalize("NFKC", text or "").translate(_CJK_MARKS)
    return " ".join(_SPACE_NEAR.sub("", text).split())


@dataclass(frozen=True)
class Leverage:
    """What the TM offers a segment: the best match, and whether it is exact."""

    target: str
    score: int
    origin: str
    exact: bool


def best_match(
    db: sqlite_utils.Database, source: str, source_lang: str, target_lang: str, min_score: int = 50
) -> Leverage | None:
    """The TM's best offer for ``source``; exact when the folded sources are equal."""
    matches = tm.lookup(db, source, source_lang, target_lang, limit=5, min_score=min_score)
    if not matches:
        return None
    key = fold(source)
    for match in matches:
        if fold(match.source) == key:
            return Leverage(match.target, 100, match.origin, True)
    top = matches[0]
    return Leverage(top.target, min(top.score, 99), top.origin, False)


def _lang(lang: str) -> str:
    return (lang or "").split("-")[0].lower()


def leverage_all(
    db: sqlite_utils.Database, sources: Sequence[str], source_lang: str, target_lang: str
) -> list[Leverage | None]:
    src, tgt = _lang(source_lang), _lang(target_lang)
    return [best_match(db, s, src, tgt) if s.strip() else None for s in sources]


def in_context(found: Sequence[Leverage | None], index: int) -> bool:
    """ICE: exact here and at both neighbours that exist (a lone segment has no context)."""
    if not (found[index] and found[index].exact):
        return False
    neighbours = [found[i] for i in (index - 1, index + 1) if 0 <= i < len(found)]
    return bool(neighbours) and all(n is not None and n.exact for n in neighbours)


def pretranslate(
    db: sqlite_utils.Database,
    segments: list[dict],
    source_lang: str,
    target_lang: str,
    *,
    ice_auto_confirm: bool = False,
    fuzzy_prefill: int | None = None,
) -> dict[str, int]:
    """Fill the targets of segments for translation (dicts with ``source``) from the TM.

    Exact → target, status "draft", ``tm_match`` "TM 100%"; ICE → "ICE", status
    "translated" when ``ice_auto_confirm``; a fuzzy match ≥ ``fuzzy_prefill`` →
    "TM NN%". The MT, if any, stays in ``mt``. Returns counts per mark.
    """
    todo = [s for s in segments if s.get("translate", 1)]
    found = leverage_all(db, [s["source"] for s in todo], source_lang, target_lang)
    counts = {"ICE": 0, "TM 100%": 0, "fuzzy": 0}
    for index, (segment, match) in enumerate(zip(todo, found, strict=True)):
        if match is None or segment.get("target"):
            continue
        if match.exact:
            mark = "ICE" if in_context(found, index) else "TM 100%"
            status = "translated" if mark == "ICE" and ice_auto_confirm else "draft"
            counts[mark] += 1
        elif fuzzy_prefill is not None and match.score >= fuzzy_prefill:
            mark, status = f"TM {match.score}%", "draft"
            counts["fuzzy"] += 1
        else:
            continue
        segment.update(target=match.target, status=status, tm_match=mark, tm_origin=match.origin)
    return counts


def project_settings(db: sqlite_utils.Database, project_id: int | None) -> dict:
    row = db.execute(
        "SELECT ice_auto_confirm, fuzzy_prefill FROM projects WHERE id = ?", [project_id]
    ).fetchone()
    return {"ice_auto_confirm": bool(row and row[0]), "fuzzy_prefill": row[1] if row else None}


def _band(match: Leverage | None) -> str:
    if match is None:
        return "no match"
    if match.exact:
        return "100%"
    for low, name in ((95, "95-99"), (85, "85-94"), (75, "75-84"), (50, "50-74")):
        if match.score >= low:
            return name
    return "no match"


def analyse(
    db: sqlite_utils.Database, sources: Sequence[str], source_lang: str, target_lang: str
) -> dict:
    """Segments and words per band for one file's sources (for translation), in order."""
    found = leverage_all(db, sources, source_lang, target_lang)
    bands = {band: {"segments": 0, "words": 0} for band in BANDS}
    seen: set[str] = set()
    for index, (source, match) in enumerate(zip(sources, found, strict=True)):
        if not source.strip():
            continue
        key = fold(source)
        if in_context(found, index):
            band = "ICE"
        elif match is not None and match.exact:
            band = "100%"
        elif key in seen:
            band = "repetitions"
        else:
            band = _band(match)
        seen.add(key)
        bands[band]["segments"] += 1
        bands[band]["words"] += word_count(source, _lang(source_lang))
    total = {
        "segments": sum(b["segments"] for b in bands.values()),
        "words": sum(b["words"] for b in bands.values()),
    }
    return {"bands": bands, "total": total}


def analyse_document(db: sqlite_utils.Database, document_id: int) -> dict | None:
    """``analyse`` over a stored document's segments for translation; None if no such document."""
    doc = db.execute(
        "SELECT source_lang, target_lang FROM documents WHERE id = ?", [document_id]
    ).fetchone()
    if doc is None:
        return None
    sources = [
        r[0]
        for r in db.execute(
            "SELECT source FROM segments WHERE document_id = ? AND translate ORDER BY position",
            [document_id],
        )
    ]
    return analyse(db, sources, doc[0], doc[1])
