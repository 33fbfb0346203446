"""Terminology: the glossary's terms in the source must be rendered as the glossary says.

Unlike the other families this one needs context (the document's glossary
terms), so it is not in the pure registry: ``check_segment`` runs it when it is
given terms, under the code registered here. Two problems are flagged: the
source holds a term and the target holds none of its translations, or the
target holds one of its forbidden translations. :func:`consistency` reports,
across a document's approved segments, a term rendered in more than one way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from workbench.review.qa.base import QA_CODES, QaFlag
from workbench.terms.entries import Term
from workbench.terms.recognise import contains, find_terms

CODE = "terminology"
QA_CODES[CODE] = "Glossary term not followed"


def _quoted(forms: Iterable[str]) -> str:
    return " or ".join(f"“{f}”" for f in forms)


def check_terms(
    source: str, target: str, src: str, tgt: str, terms: Sequence[Term]
) -> QaFlag | None:
    """One flag listing every term the target misses or renders with a forbidden form."""
    problems: list[str] = []
    seen: set[int] = set()
    for hit in find_terms(source, src, terms):
        term = hit.term
        if term.entry_id in seen:
            continue
        seen.add(term.entry_id)
        wrong = contains(target, tgt, term.forbidden, term)
        if wrong:
            right = f"; use {_quoted(term.translations[:1])}" if term.translations else ""
            problems.append(f"“{wrong}” is a forbidden translation of {hit.text}{right}")
        elif term.translations and not contains(target, tgt, term.translations, term):
            problems.append(f"{hit.text} → expected {_quoted(term.translations[:3])}")
    if not problems:
        return None
    return QaFlag(CODE, "Glossary: " + "; ".join(problems) + ".")


def consistency(rows: Iterable[dict], src: str, tgt: str, terms: Sequence[Term]) -> list[dict]:
    """Terms rendered more than one way in approved segments (a missing rendering counts).

    Each report: the term, and per rendering (a glossary form, or "" for none of
    them) the segment ids that use it.
    """
    renderings: dict[int, dict[str, list[int]]] = {}
    by_id: dict[int, Term] = {}
    for row in rows:
        if row.get("status") != "approved" or not (row.get("target") or "").strip():
            continue
        for hit in find_terms(row["source"], src, terms):
            term = hit.term
            by_id[term.entry_id] = term
            form = contains(row["target"], tgt, term.translations, term) or ""
            ids = renderings.setdefault(term.entry_id, {}).setdefault(form, [])
            if row["id"] not in ids:
                ids.append(row["id"])
    return [
        {"term": by_id[entry].source, "entry_id": entry, "renderings": found}
        for entry, found in renderings.items()
        if len(found) > 1
    ]
