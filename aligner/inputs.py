"""What ``align`` is given: validation, and warnings about suspicious but alignable input.

MT that does not follow the other text (a wrong file, another language, a broken model)
is detected here by the rank agreement of each MT line with its best-matching sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.ngrams import best_matches, vectorise
from aligner.tokens import HAN_RE

SUPPORTED_LANGUAGES = ("zh", "en")
# Typical English letters per Chinese character (alnum only); the input's own ratio
# is used when plausible, this is the fallback and the yardstick for warnings.
TYPICAL_EN_PER_ZH_CHARS = 3.0


class AlignmentError(ValueError):
    """Input that cannot be aligned (empty side, unsupported language, bad translations)."""


def expected_length_ratio(source_lang: str, target_lang: str) -> float:
    """Target characters per source character we expect for this direction."""
    if source_lang == target_lang:
        return 1.0
    return TYPICAL_EN_PER_ZH_CHARS if source_lang == "zh" else 1.0 / TYPICAL_EN_PER_ZH_CHARS


def validate(
    source_sentences: Sequence[str],
    target_sentences: Sequence[str],
    source_lang: str,
    target_lang: str,
    translations: Sequence[str] | None,
    target_translations: Sequence[str] | None = None,
) -> None:
    for name, lang in (("source_lang", source_lang), ("target_lang", target_lang)):
        if lang not in SUPPORTED_LANGUAGES:
            raise AlignmentError(f"{name} must be one of {SUPPORTED_LANGUAGES}, got {lang!r}")
    if not source_sentences or not target_sentences:
        raise AlignmentError(
            f"cannot align: source has {len(source_sentences)} sentences and target has "
            f"{len(target_sentences)}; both sides need at least one sentence"
        )
    for name, sentences in (("source", source_sentences), ("target", target_sentences)):
        for index, sentence in enumerate(sentences):
            if not isinstance(sentence, str):
                raise AlignmentError(
                    f"{name} sentence {index} is {type(sentence).__name__}, not str"
                )
    if translations is not None and len(translations) != len(source_sentences):
        raise AlignmentError(
            f"translations has {len(translations)} lines but there are "
            f"{len(source_sentences)} source sentences; pass one translation per source sentence"
        )
    if target_translations is not None and len(target_translations) != len(target_sentences):
        raise AlignmentError(
            f"target_translations has {len(target_translations)} lines but there are "
            f"{len(target_sentences)} target sentences; pass one translation per target sentence"
        )


# Below this rank agreement the translations do not follow the target text (a wrong
# file, another language, a broken model): real MT scores 0.4–0.9 on the dev novels,
# shuffled or random lines about 0 (bench/align_eval.py prints both).
MIN_TRANSLATION_AGREEMENT = 0.25
_AGREEMENT_SAMPLE = 300
_AGREEMENT_MIN_ROWS = 8


def translation_agreement(
    translations: Sequence[str], target_sentences: Sequence[str], target_lang: str
) -> float | None:
    """How well the translations follow the target: rank correlation of each translated
    sentence's position with the position of its most similar target sentence.

    None when too few translations resemble any target sentence to tell.
    """
    if len(translations) < _AGREEMENT_MIN_ROWS or not target_sentences:
        return None
    mt_vectors, target_vectors = vectorise(
        [t or "" for t in translations], list(target_sentences), target_lang
    )
    rows = np.unique(np.linspace(0, len(translations) - 1, _AGREEMENT_SAMPLE).astype(np.int64))
    best, score = best_matches(mt_vectors, target_vectors, rows)
    matched = score > 0
    if matched.sum() < _AGREEMENT_MIN_ROWS:
        return 0.0 if len(rows) >= 2 * _AGREEMENT_MIN_ROWS else None
    source_rank = np.argsort(np.argsort(rows[matched]))
    target_rank = np.argsort(np.argsort(best[matched], kind="stable"))
    if np.ptp(target_rank) == 0:
        return 0.0
    return float(np.corrcoef(source_rank, target_rank)[0, 1])


def unfollowed_translations(
    source_sentences: Sequence[str],
    target_sentences: Sequence[str],
    source_lang: str,
    target_lang: str,
    translations: Sequence[str] | None,
    target_translations: Sequence[str] | None,
) -> dict[str, float]:
    """The MT directions that do not follow the other text, with their agreement.

    Keys are the argument names, ``translations`` and ``target_translations``: what
    ``align`` ignores and ``check_alignment_input`` warns about.
    """
    directions = {
        "translations": (translations, source_sentences, target_sentences, target_lang),
        "target_translations": (target_translations, target_sentences, source_sentences,
                                source_lang),
    }  # fmt: skip
    unfollowed = {}
    for name, (lines, translated, other, lang) in directions.items():
        if lines is None or len(lines) != len(translated):
            continue
        agreement = translation_agreement(lines, other, lang)
        if agreement is not None and agreement < MIN_TRANSLATION_AGREEMENT:
            unfollowed[name] = agreement
    return unfollowed


def _han_share(sentences: Sequence[str]) -> float | None:
    """Fraction of letters that are Han characters, or None when there are no letters."""
    han = letters = 0
    for sentence in sentences:
        for char in sentence:
            if char.isalpha():
                letters += 1
                han += bool(HAN_RE.match(char))
    return None if letters == 0 else han / letters


def check_alignment_input(
    source_sentences: Sequence[str],
    target_sentences: Sequence[str],
    source_lang: str,
    target_lang: str,
    translations: Sequence[str] | None = None,
    target_translations: Sequence[str] | None = None,
) -> list[str]:
    """Cheap, human-readable warnings about input that would align badly (empty if fine).

    With ``translations`` (MT of the source) or ``target_translations`` (MT of the
    target), also warns when they do not follow the other text: ``align`` ignores them.
    """
    warnings: list[str] = []
    for name, lang in (("source_lang", source_lang), ("target_lang", target_lang)):
        if lang not in SUPPORTED_LANGUAGES:
            warnings.append(f"{name} {lang!r} is not supported (use 'zh' or 'en')")
    sides = (("source", source_sentences, source_lang), ("target", target_sentences, target_lang))
    for name, sentences, lang in sides:
        if not sentences:
            warnings.append(f"{name} has no sentences")
            continue
        text_like = [s for s in sentences if isinstance(s, str)]
        if len(text_like) < len(sentences):
            warnings.append(f"{name} contains {len(sentences) - len(text_like)} non-text items")
        joined = "".join(text_like)
        if "\x00" in joined or "\ufffd" in joined:
            warnings.append(f"{name} looks like binary or badly decoded text (NUL or U+FFFD)")
        printable = sum(ch.isprintable() or ch.isspace() for ch in joined)
        if joined and printable / len(joined) < 0.95:
            warnings.append(f"{name} has many control characters; is it binary data?")
        han_share = _han_share(text_like)
        if han_share is None:
            if joined.strip():
                warnings.append(f"{name} contains no letters at all")
        elif lang == "zh" and han_share < 0.3:
            warnings.append(f"{name} looks like English/Latin text but {name}_lang is zh")
        elif lang == "en" and han_share > 0.3:
            warnings.append(f"{name} looks like Chinese but {name}_lang is en")
        empty = sum(1 for s in text_like if not s.strip())
        if empty:
            warnings.append(f"{name} has {empty} empty sentence(s); they will align as 1-0/0-1")
    if warnings or source_lang not in SUPPORTED_LANGUAGES or target_lang not in SUPPORTED_LANGUAGES:
        return warnings
    source_chars = sum(s.length for s in _cheap_lengths(source_sentences, source_lang))
    target_chars = sum(t.length for t in _cheap_lengths(target_sentences, target_lang))
    expected = expected_length_ratio(source_lang, target_lang)
    if source_chars and target_chars:
        factor = target_chars / (expected * source_chars)
        direction = f"{source_lang}→{target_lang}"
        if factor > 2.0:
            warnings.append(
                f"target has {factor:.1f}× as many characters as expected for {direction}; "
                "is part of the source missing?"
            )
        elif factor < 0.5:
            warnings.append(
                f"target has only {factor:.2f}× the characters expected for {direction}; "
                "is part of the target missing?"
            )
    count_ratio = len(target_sentences) / len(source_sentences)
    if count_ratio > 4 or count_ratio < 0.25:
        warnings.append(
            f"target has {len(target_sentences)} sentences for {len(source_sentences)} source "
            "sentences; check that both sides are the same text"
        )
    labels = {"translations": "machine translation",
              "target_translations": "target's machine translation"}  # fmt: skip
    unfollowed = unfollowed_translations(
        source_sentences,
        target_sentences,
        source_lang,
        target_lang,
        translations,
        target_translations,
    )
    for name, agreement in unfollowed.items():
        warnings.append(
            f"the {labels[name]} does not follow the other text (order agreement "
            f"{agreement:.2f} < {MIN_TRANSLATION_AGREEMENT}); aligned without it"
        )
    return warnings


@dataclass(frozen=True)
class _Length:
    length: int


def _cheap_lengths(sentences: Sequence[str], lang: str) -> list[_Length]:
    """Length units without segmentation (no jieba): alnum characters."""
    return [_Length(sum(1 for ch in s if ch.isalnum())) for s in sentences]
