"""Bilingual (Chinese⇄English) sentence alignment: the public entry point.

``align`` turns two sentence lists into monotone beads (1-1, 1-2, 2-1, 1-3, 3-1,
2-2, 1-4, 4-1, 2-3, 3-2, 1-5, 5-1, 1-6, 6-1, 1-0, 0-1) by combining evidence per
candidate bead:
CC-CEDICT translation overlap, optional MT similarity (word-stem coverage plus the
TF-IDF character n-gram cosine of the merged MT block vs. the merged target block, and
its margin over the sentences' neighbourhood, see ``aligner.ngrams``),
numbers/names/punctuation anchors, a Gale–Church style length ratio estimated
from the texts themselves, and clause order: a bead's first and last target sentences
should match the first and last clause of its source block (``aligner.edges``).
Chinese–English texts are aligned twice: word pairs that keep meeting in the first
path's beads (names and terms no dictionary lists) join the lexicon for the second
(``aligner.learned``).
Long inputs are searched in a band around confident anchors (near-linear time,
no N×M matrix); where the best path runs along the band's edge the band is re-centred
on that path and widened only around those places. See ``bench/align_eval.py`` for
measured accuracy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.anchors import (
    BAND_HALF_WIDTH,
    band_from_anchors,
    initial_band,
)
from aligner.edges import ClauseSides, ClauseVectors, head_and_tail
from aligner.features import (
    SentenceFeatures,
    chinese_features,
    english_features,
    unit_weights,
)
from aligner.inputs import (
    expected_length_ratio,
    unfollowed_translations,
    validate,
)
from aligner.learned import learn_pairs, with_learned_keys
from aligner.mtview import MtComparison
from aligner.scoring import BEAD_SHAPES, Evidence, ScoreWeights
from aligner.search import PathBead, best_path
from aligner.similarity import PairIndex, WeightedSide, pair_band, prefix_sums

_MAX_SHAPE_ROWS = max(shape[0] for shape in BEAD_SHAPES)
_MAX_SHAPE = max(max(shape) for shape in BEAD_SHAPES)
# Searches per alignment: the first band, then at most two locally widened ones.
_BAND_ATTEMPTS = 3


@dataclass(frozen=True)
class Bead:
    """One alignment unit: source and target sentence indices, and how sure we are."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float


def _language_features(sentences: Sequence[str], lang: str) -> list[SentenceFeatures]:
    if lang == "zh":
        return [chinese_features(sentence) for sentence in sentences]
    return [english_features(sentence) for sentence in sentences]


def _length_ratio(
    source: list[SentenceFeatures], target: list[SentenceFeatures], expected: float
) -> float:
    """The texts' own length ratio, trusted within a factor of two of the typical one."""
    source_total = sum(s.length for s in source)
    target_total = sum(t.length for t in target)
    if source_total == 0 or target_total == 0:
        return expected
    return float(np.clip(target_total / source_total, expected / 2, expected * 2))


def build_evidence(
    source: list[SentenceFeatures],
    target: list[SentenceFeatures],
    source_lang: str,
    target_lang: str,
) -> tuple[Evidence, WeightedSide, WeightedSide]:
    """Per-sentence evidence and the dictionary sides (no pairwise work yet)."""
    source_side = WeightedSide.build(source, unit_weights(source))
    target_side = WeightedSide.build(target, unit_weights(target))
    expected = expected_length_ratio(source_lang, target_lang)
    evidence = Evidence(
        lexical=None,  # type: ignore[arg-type]  # filled per band
        source_weight_cum=prefix_sums(source_side.totals),
        target_weight_cum=prefix_sums(target_side.totals),
        source_length_cum=prefix_sums([s.length for s in source]),
        target_length_cum=prefix_sums([t.length for t in target]),
        length_ratio=_length_ratio(source, target, expected),
        source_punct_cum=np.vstack([np.zeros(5), np.cumsum([s.punctuation for s in source], 0)]),
        target_punct_cum=np.vstack([np.zeros(5), np.cumsum([t.punctuation for t in target], 0)]),
    )
    return evidence, source_side, target_side


def _clause_features(
    sentences: Sequence[str], lang: str
) -> tuple[list[SentenceFeatures], list[SentenceFeatures]]:
    """Features of each sentence's first and of its last clause."""
    heads, tails = zip(*(head_and_tail(sentence, lang) for sentence in sentences), strict=True)
    return _language_features(heads, lang), _language_features(tails, lang)


def _pair_range(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Target columns each source sentence can meet in some bead whose states lie in the band."""
    n = len(lo) - 1
    rows = np.arange(n)
    start = lo[np.maximum(rows - (_MAX_SHAPE_ROWS - 1), 0)]
    stop = hi[np.minimum(rows + _MAX_SHAPE_ROWS, n)]
    return start, stop


def _band_edge_rows(path: list[PathBead], lo: np.ndarray, hi: np.ndarray, m: int) -> np.ndarray:
    """Source states where the path runs along the band's edge (the skeleton may be off)."""
    rows = [
        bead.source_end
        for bead in path
        if (bead.target_end == lo[bead.source_end] and lo[bead.source_end] > 0)
        or (bead.target_end == hi[bead.source_end] and hi[bead.source_end] < m)
    ]
    return np.array(rows, dtype=np.int64)


def _widened(half_width: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Triple the band's half width around the given source states only."""
    wider = half_width.copy()
    for row in rows:
        radius = int(6 * half_width[row])
        low, high = max(0, row - radius), min(len(half_width), row + radius + 1)
        wider[low:high] = np.maximum(wider[low:high], 3 * half_width[row])
    return wider


def search(
    source_sentences: Sequence[str],
    target_sentences: Sequence[str],
    source_lang: str,
    target_lang: str,
    translations: Sequence[str] | None = None,
    weights: ScoreWeights | None = None,
    target_translations: Sequence[str] | None = None,
) -> list[PathBead]:
    """Best bead path with scores; ``align`` adds confidences. Exposed for evaluation.

    ``translations`` is MT of the source into the target language, ``target_translations``
    MT of the target into the source language; each is compared with the other text.
    Chinese–English texts are aligned twice: the first path teaches word pairs the
    dictionary lacks (:mod:`aligner.learned`), the second uses them.
    """
    weights = weights or ScoreWeights()
    texts = _Texts(source_lang, target_lang)
    if translations is not None:
        texts.comparisons.append(
            MtComparison.build(translations, target_sentences, target_lang, _MAX_SHAPE)
        )
        texts.clauses.append(ClauseVectors.build(translations, target_sentences, target_lang))
    if target_translations is not None:
        texts.comparisons.append(
            MtComparison.build(source_sentences, target_translations, source_lang, _MAX_SHAPE)
        )
        texts.clauses.append(
            ClauseVectors.build(target_translations, source_sentences, source_lang, backward=True)
        )
    source = _language_features(source_sentences, source_lang)
    target = _language_features(target_sentences, target_lang)
    clauses = None if texts.comparisons else _clause_features(source_sentences, source_lang)
    path, band = _search_once(source, target, clauses, texts, weights)
    if not weights.learn_pairs or {source_lang, target_lang} != {"zh", "en"}:
        return path
    spans = [
        (range(b.source_start, b.source_end), range(b.target_start, b.target_end)) for b in path
    ]
    if source_lang == "zh":
        pairs = learn_pairs(source, target, spans)
        source = with_learned_keys(source, pairs)
        if clauses is not None:
            clauses = (with_learned_keys(clauses[0], pairs), with_learned_keys(clauses[1], pairs))
    else:
        pairs = learn_pairs(target, source, [(t, s) for s, t in spans])
        target = with_learned_keys(target, pairs)
    return _search_once(source, target, clauses, texts, weights, band)[0] if pairs else path


@dataclass(frozen=True)
class _Texts:
    """What stays the same between the two passes of a search: the MT, prepared once."""

    source_lang: str
    target_lang: str
    comparisons: list[MtComparison] = field(default_factory=list)  # one per MT direction
    clauses: list[ClauseVectors] = field(default_factory=list)  # their clause-order evidence


def _search_once(
    source: list[SentenceFeatures],
    target: list[SentenceFeatures],
    clauses: tuple[list[SentenceFeatures], list[SentenceFeatures]] | None,
    texts: _Texts,
    weights: ScoreWeights,
    band: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[list[PathBead], tuple[np.ndarray, np.ndarray]]:
    """The best path for given sentence features and the band it was found in.

    Without ``band`` the search starts from the anchor band and re-centres it where the
    path runs along its edge; with ``band`` (an earlier search's) it searches that once.
    """
    evidence, source_side, target_side = build_evidence(
        source, target, texts.source_lang, texts.target_lang
    )
    n, m = len(source), len(target)
    anchors = texts.comparisons[0] if texts.comparisons else None
    lexical_index = PairIndex.build(source_side, target_side)
    clause_sides = ClauseSides.build(*clauses, target_side) if clauses is not None else None
    half_width = np.full(n + 1, float(BAND_HALF_WIDTH))
    lo, hi = band or initial_band(
        anchors.rows if anchors else source_side,
        anchors.columns if anchors else target_side,
        BAND_HALF_WIDTH,
    )
    attempts = 1 if band else _BAND_ATTEMPTS
    for attempt in range(attempts):
        start, stop = _pair_range(lo, hi)
        extra: dict = {
            "mt_views": tuple(c.in_band(start, stop) for c in texts.comparisons),
            "mt_edges": tuple(c.in_band(start, stop) for c in texts.clauses),
        }
        if clause_sides is not None:
            extra["lexical_edges"] = clause_sides.in_band(start, stop)
        banded = Evidence(
            **{
                **evidence.__dict__,
                "lexical": pair_band(source_side, target_side, start, stop, lexical_index),
                **extra,
            }
        )
        path = best_path(banded, lo, hi, weights)
        edge_rows = _band_edge_rows(path, lo, hi, m)
        if attempt == attempts - 1 or len(edge_rows) == 0:
            return path, (lo, hi)
        # The path ran along the band's edge: the skeleton was off there. Re-centre the band
        # on the path found and search again, tripling the width only around those places.
        half_width = _widened(half_width, edge_rows)
        skeleton = [
            (bead.source_start, bead.target_start)
            for bead in path
            if bead.source_end > bead.source_start and bead.target_end > bead.target_start
        ]
        lo, hi = band_from_anchors(skeleton, n, m, half_width)
    raise AssertionError("unreachable")


# Confidence = estimated probability that the bead is exactly right (strict match),
# a two-parameter logistic of the bead score fitted on mac-dev (bench/align_eval.py
# --calibration prints the reliability table and refits these). Scores with MT have a
# different scale, hence two fits. Null beads get the observed rate of correct null beads.
CALIBRATION_WITH_MT = (1.254, 1.125)
CALIBRATION_WITHOUT_MT = (2.787, 0.397)
NULL_BEAD_CONFIDENCE = 0.2


def bead_confidence(bead: PathBead, with_mt: bool) -> float:
    """Estimated probability that ``bead`` exactly matches a human alignment."""
    if bead.source_start == bead.source_end or bead.target_start == bead.target_end:
        return NULL_BEAD_CONFIDENCE
    a, b = CALIBRATION_WITH_MT if with_mt else CALIBRATION_WITHOUT_MT
    return float(1.0 / (1.0 + math.exp(-(a * bead.score + b))))


def align(
    source_sentences: Sequence[str],
    target_sentences: Sequence[str],
    source_lang: str,
    target_lang: str,
    translations: Sequence[str] | None = None,
    target_translations: Sequence[str] | None = None,
) -> list[Bead]:
    """Align two sentence lists into monotone beads covering every index exactly once.

    ``translations`` (optional) is a machine translation of each source sentence into
    the target language, ``target_translations`` one of each target sentence into the
    source language; they add evidence (both directions when both are given) but are
    never required, and are ignored when they do not follow the other text.
    Raises :class:`AlignmentError` when a side is empty, a language is unsupported, or
    the translations do not match their text. Use :func:`check_alignment_input` first
    to get warnings about suspicious (but alignable) input.
    """
    texts = (source_sentences, target_sentences, source_lang, target_lang)
    validate(*texts, translations, target_translations)
    # MT that does not follow the other text is noise: it would only blur the rest.
    unfollowed = unfollowed_translations(*texts, translations, target_translations)
    if "translations" in unfollowed:
        translations = None
    if "target_translations" in unfollowed:
        target_translations = None
    path = search(*texts, translations, target_translations=target_translations)
    with_mt = translations is not None or target_translations is not None
    return [
        Bead(
            source=tuple(range(bead.source_start, bead.source_end)),
            target=tuple(range(bead.target_start, bead.target_end)),
            confidence=bead_confidence(bead, with_mt),
        )
        for bead in path
    ]
