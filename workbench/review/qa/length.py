"""The length ratio: a target far shorter or longer than the source suggests."""

from __future__ import annotations

from workbench.review.qa.base import QaFlag, register

#: Expected English letters/digits per Chinese character (the aligner uses the same figure).
EN_PER_ZH_CHARS = 3.0
#: Outside expected ÷ this … expected × this, a pair is reported.
LENGTH_TOLERANCE = 2.5
#: Below this many characters on the shorter side, ratios are too noisy to report.
MIN_LENGTH = 8


def _length(text: str) -> int:
    return sum(1 for char in text if char.isalnum())


def _expected_ratio(src: str, tgt: str) -> float:
    if src == tgt:
        return 1.0
    if src == "zh" and tgt == "en":
        return EN_PER_ZH_CHARS
    if src == "en" and tgt == "zh":
        return 1 / EN_PER_ZH_CHARS
    return 1.0


@register("length-ratio", "Suspicious length")
def _check_length_ratio(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    source_len, target_len = _length(source), _length(target)
    expected = _expected_ratio(src, tgt)
    if source_len == 0:
        return None
    # Short pairs: compare on the scale of the longer side, so "是。" → "Yes." passes.
    if (
        min(source_len * expected, target_len) < MIN_LENGTH
        and max(source_len * expected, target_len) < MIN_LENGTH * LENGTH_TOLERANCE
    ):
        return None
    ratio = target_len / source_len
    if expected / LENGTH_TOLERANCE <= ratio <= expected * LENGTH_TOLERANCE:
        return None
    what = "short" if ratio < expected else "long"
    return QaFlag(
        "length-ratio",
        f"The target looks too {what}: {target_len} characters for {source_len} in the source "
        f"(about {round(source_len * expected)} expected).",
    )
