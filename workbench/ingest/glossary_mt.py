"""MT that follows the glossary: check each MT output against the source's glossary terms
and fix the ones it misses.

Method, per segment, only for the terms whose accepted translations the MT
lacks (the others are left alone), in order until every term is present:

1. **Forbidden forms**: a forbidden translation in the output is replaced by
   the preferred one.
2. **The MT's own rendering**: the term is translated alone; where that
   rendering occurs in the output, it is replaced by the glossary's
   translation (the model tends to render a name the same way in and out of
   context).
3. **Placeholder substitution**: the source term is replaced by its glossary
   translation written inline (a code-switched source; NMT copies a span in the
   other script as it copies names) and the sentence is translated again; the
   result is kept when it holds more glossary terms than the output so far.

Inflection and word order around an inserted term are left to the translator.
A segment changed by any step is marked ``glossary_corrected``; its MT is the
corrected text (that is the MT the translator sees and the scores measure).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.mt.translator import Translator
from workbench.terms.entries import Term
from workbench.terms.recognise import Hit, contains, find_terms


@dataclass(frozen=True)
class Followed:
    text: str
    corrected: bool
    terms: int  # glossary terms in the source
    present: int  # of them, with an accepted translation in ``text``


def _missing(hits: Sequence[Hit], text: str, tgt: str) -> list[Hit]:
    return [h for h in hits if not contains(text, tgt, h.term.translations, h.term)]


def _replace(text: str, old: str, new: str) -> str:
    """Replace ``old`` (case-insensitively for Latin text) by ``new``, once."""
    if not old:
        return text
    pattern = re.escape(old)
    if re.search(r"[A-Za-z]", old):
        pattern = r"(?<![A-Za-z])" + pattern + r"(?![A-Za-z])"
    return re.sub(pattern, lambda _: new, text, count=1, flags=re.IGNORECASE)


def _unique(hits: list[Hit]) -> list[Hit]:
    seen, out = set(), []
    for hit in hits:
        if hit.term.entry_id not in seen and hit.term.translations:
            seen.add(hit.term.entry_id)
            out.append(hit)
    return out


def follow(
    translator: Translator,
    sources: Sequence[str],
    outputs: Sequence[str],
    terms: Sequence[Term],
    source_lang: str,
    target_lang: str,
) -> list[Followed]:
    """The outputs fixed to follow the glossary (same order); MT calls are batched."""
    hits = [_unique(find_terms(s, source_lang, terms)) for s in sources]
    texts = list(outputs)
    changed = [False] * len(texts)
    # 1. forbidden forms
    for i, found in enumerate(hits):
        for hit in _missing(found, texts[i], target_lang):
            wrong = contains(texts[i], target_lang, hit.term.forbidden, hit.term)
            if wrong:
                texts[i] = _replace(texts[i], wrong, hit.term.translations[0])
                changed[i] = True
    # 2. the MT's rendering of the term alone
    alone = sorted({h.text for i, f in enumerate(hits) for h in _missing(f, texts[i], target_lang)})
    rendering = dict(zip(alone, translator.translate(alone), strict=True)) if alone else {}
    for i, found in enumerate(hits):
        for hit in _missing(found, texts[i], target_lang):
            own = (rendering.get(hit.text) or "").strip().rstrip(".。")
            if own and own.lower() in texts[i].lower():
                texts[i] = _replace(texts[i], own, hit.term.translations[0])
                changed[i] = True
    # 3. placeholder substitution: the translation inline in the source
    todo = [i for i, found in enumerate(hits) if _missing(found, texts[i], target_lang)]
    if todo:
        inline = []
        for i in todo:
            source = sources[i]
            for hit in sorted(_missing(hits[i], texts[i], target_lang), key=lambda h: -h.start):
                source = source[: hit.start] + hit.term.translations[0] + source[hit.end :]
            inline.append(source)
        for i, again in zip(todo, translator.translate(inline), strict=True):
            if len(_missing(hits[i], again, target_lang)) < len(
                _missing(hits[i], texts[i], target_lang)
            ):
                texts[i], changed[i] = again, True
    return [
        Followed(text, change, len(found), len(found) - len(_missing(found, text, target_lang)))
        for text, change, found in zip(texts, changed, hits, strict=True)
    ]


def apply(
    translator: Translator,
    segments: list[dict],
    terms: Sequence[Term],
    source_lang: str,
    target_lang: str,
) -> int:
    """Fix the ``mt`` of segments (dicts) in place; returns how many were corrected."""
    todo = [s for s in segments if s.get("mt") and terms]
    if not todo:
        return 0
    results = follow(
        translator,
        [s["source"] for s in todo],
        [s["mt"] for s in todo],
        terms,
        source_lang,
        target_lang,
    )
    for segment, result in zip(todo, results, strict=True):
        if result.corrected:
            segment["mt"] = result.text
            segment["glossary_corrected"] = 1
    return sum(r.corrected for r in results)
