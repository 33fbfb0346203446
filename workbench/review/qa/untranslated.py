"""Untranslated targets: a copy of the source, or no text of the target language."""

from __future__ import annotations

import re

from aligner.tokens import HAN_RE
from workbench.review.qa.base import QaFlag, normalise_space, register

_LATIN_LETTER = re.compile(r"[A-Za-z]")
_LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")


def _has_language_text(text: str, lang: str) -> bool:
    """Whether ``text`` holds real words of ``lang`` (names/acronyms alone do not count
    for English: "WAITRO" copied into a Chinese target is fine)."""
    if lang == "zh":
        return bool(HAN_RE.search(text))
    if lang == "en":
        return bool(_LOWER_WORD.search(text))
    return bool(re.search(r"\w", text))


@register("untranslated", "Untranslated")
def _check_untranslated(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    if not _has_language_text(source, src):
        return None  # numbers, names, codes: copying them is the translation
    if normalise_space(target) == normalise_space(source) and src != tgt:
        return QaFlag("untranslated", "The target is the same as the source.")
    if tgt == "zh" and not HAN_RE.search(target):
        return QaFlag("untranslated", "The target has no Chinese characters.")
    if tgt == "en" and not _LATIN_LETTER.search(target):
        return QaFlag("untranslated", "The target has no English letters.")
    return None
