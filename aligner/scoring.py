"""Combine the evidence for one bead shape into a single additive score.

The search maximises the sum of bead scores, so a score is a log-odds-like
quantity: positive evidence (translation overlap, MT similarity, plausible length
ratio, agreeing punctuation) minus a prior cost for rarer bead shapes. Weights are
few and hand-set on language grounds, then checked on the dev sets (see
``bench/align_eval.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aligner.edges import ClauseEdges
from aligner.mtview import MtView
from aligner.ngrams import block_norms_from_cums
from aligner.similarity import PairBand

# Bead shapes searched (source sentences, target sentences). Null beads are handled apart.
# A long Chinese sentence is often rendered as five or six English ones, hence 1-5 and 1-6;
# their prior costs continue the 1-2 … 1-4 progression (+0.04 per extra sentence).
BEAD_SHAPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2),
    (1, 5), (5, 1), (1, 6), (6, 1),
)  # fmt: skip


@dataclass(frozen=True)
class ScoreWeights:
    """Tunable weights; defaults are the values reported by the dev-set evaluation."""

    lexical: float = 1.0
    lexical_with_mt: float = 0.5
    mt: float = 0.5  # word-stem coverage F of MT vs. target
    mt_cosine: float = 1.0  # n-gram TF-IDF cosine of the merged blocks (aligner.ngrams)
    mt_margin: float = 0.5  # the same cosine minus its neighbourhood average
    mt_edge: float = 0.7  # edge target sentences fit the bead's own edge clauses (aligner.edges)
    lexical_edge: float = 0.3  # the same with dictionary coverage (no MT)
    learn_pairs: bool = True  # second pass with word pairs learned from the first (zh⇄en)
    length: float = 0.1
    punctuation: float = 0.1
    bead_bonus: float = 0.25
    null_bead: float = -0.4
    length_sigma: float = 0.35
    coverage_prior: float = 0.15
    coverage_smoothing: float = 2.0
    shape_cost: dict[tuple[int, int], float] = field(
        default_factory=lambda: {
            (1, 1): 0.0,
            (1, 2): 0.02,
            (2, 1): 0.02,
            (1, 3): 0.06,
            (3, 1): 0.06,
            (2, 2): 0.15,
            (1, 4): 0.1,
            (4, 1): 0.1,
            (2, 3): 0.2,
            (3, 2): 0.2,
            (1, 5): 0.14,
            (5, 1): 0.14,
            (1, 6): 0.18,
            (6, 1): 0.18,
        }  # fmt: skip
    )


@dataclass(frozen=True)
class Evidence:
    """Everything the scorer needs, as prefix sums over sentences and pair bands."""

    lexical: PairBand
    source_weight_cum: np.ndarray
    target_weight_cum: np.ndarray
    source_length_cum: np.ndarray
    target_length_cum: np.ndarray
    length_ratio: float
    source_punct_cum: np.ndarray  # (n + 1, classes)
    target_punct_cum: np.ndarray  # (m + 1, classes)
    mt_views: tuple[MtView, ...] = ()  # forward and/or backward MT (aligner.mtview)
    lexical_edges: ClauseEdges | None = None  # head/tail clauses of the source, dictionary
    mt_edges: tuple[ClauseEdges, ...] = ()  # head/tail clause cosines of the MT, in the band


def _coverage_f(
    source_matched: np.ndarray,
    target_matched: np.ndarray,
    source_total: np.ndarray,
    target_total: np.ndarray,
    weights: ScoreWeights,
) -> np.ndarray:
    """Harmonic mean of both sides' smoothed coverage; empty blocks fall back to the prior."""
    alpha = weights.coverage_smoothing
    prior = weights.coverage_prior * alpha
    source_cov = np.minimum((source_matched + prior) / (source_total + alpha), 1.0)
    target_cov = np.minimum((target_matched + prior) / (target_total + alpha), 1.0)
    return 2 * source_cov * target_cov / (source_cov + target_cov + 1e-9)


def _mt_parts(
    view: MtView,
    shape: tuple[int, int],
    row: np.ndarray,
    targets_start: np.ndarray,
    targets_end: np.ndarray,
    weights: ScoreWeights,
) -> dict[str, np.ndarray]:
    """Word coverage, block cosine and its margin for one MT direction."""
    a, b = shape
    first = row - a
    matched_rows, matched_columns = view.words.block_sums(row, a, targets_start, targets_end)
    row_total = view.row_weight_cum[row] - view.row_weight_cum[first]
    column_total = view.column_weight_cum[targets_end] - view.column_weight_cum[targets_start]
    dots, _ = view.dots.block_sums(row, a, targets_start, targets_end)
    row_norm = block_norms_from_cums(view.row_neighbour_cums, first, a)
    column_norm = block_norms_from_cums(view.column_neighbour_cums, targets_start, b)
    cosine = dots / np.sqrt(row_norm * column_norm + 1e-9)
    row_base = (view.row_baseline_cum[row] - view.row_baseline_cum[first]) / a
    column_base = (
        view.column_baseline_cum[targets_end] - view.column_baseline_cum[targets_start]
    ) / b
    return {
        "mt": _coverage_f(matched_rows, matched_columns, row_total, column_total, weights),
        "mt_cosine": cosine,
        "mt_margin": cosine - (row_base + column_base) / 2,
    }


def bead_components(
    evidence: Evidence,
    shape: tuple[int, int],
    rows: np.ndarray,
    targets_end: np.ndarray,
    weights: ScoreWeights,
) -> dict[str, np.ndarray]:
    """Separate evidence values for beads of ``shape`` ending at states (rows, targets_end)."""
    a, b = shape
    row = np.broadcast_to(np.asarray(rows, dtype=np.int64), np.shape(targets_end))
    first = row - a
    targets_start = targets_end - b
    src_matched, tgt_matched = evidence.lexical.block_sums(row, a, targets_start, targets_end)
    source_total = evidence.source_weight_cum[row] - evidence.source_weight_cum[first]
    target_total = (
        evidence.target_weight_cum[targets_end] - evidence.target_weight_cum[targets_start]
    )
    parts: dict[str, np.ndarray] = {}
    parts["lexical"] = _coverage_f(src_matched, tgt_matched, source_total, target_total, weights)
    if evidence.mt_views:
        views = [
            _mt_parts(view, shape, row, targets_start, targets_end, weights)
            for view in evidence.mt_views
        ]
        for name in views[0]:
            parts[name] = sum(view[name] for view in views) / len(views)
    if evidence.lexical_edges is not None:
        parts["lexical_edge"] = evidence.lexical_edges.bead_edges(
            first, row, targets_start, targets_end
        )
    if evidence.mt_edges:
        parts["mt_edge"] = sum(
            edges.bead_edges(first, row, targets_start, targets_end) for edges in evidence.mt_edges
        ) / len(evidence.mt_edges)
    source_length = evidence.source_length_cum[row] - evidence.source_length_cum[first]
    target_length = (
        evidence.target_length_cum[targets_end] - evidence.target_length_cum[targets_start]
    )
    parts["log_length_ratio"] = np.log(
        (target_length + 8.0) / (evidence.length_ratio * source_length + 8.0)
    )
    source_punct = evidence.source_punct_cum[row] - evidence.source_punct_cum[first]
    target_punct = evidence.target_punct_cum[targets_end] - evidence.target_punct_cum[targets_start]
    parts["punctuation_mismatch"] = np.minimum(np.abs(target_punct - source_punct), 2).sum(axis=1)
    return parts


def bead_scores(
    evidence: Evidence,
    shape: tuple[int, int],
    rows: np.ndarray,
    targets_end: np.ndarray,
    weights: ScoreWeights,
) -> np.ndarray:
    """Additive score of each bead of ``shape`` ending at states (rows, targets_end)."""
    parts = bead_components(evidence, shape, rows, targets_end, weights)
    if "mt" in parts:
        score = weights.lexical_with_mt * parts["lexical"] + weights.mt * parts["mt"]
        score = score + weights.mt_cosine * parts["mt_cosine"]
        score = score + weights.mt_margin * parts["mt_margin"]
    else:
        score = weights.lexical * parts["lexical"]
    if "mt_edge" in parts:
        score = score + weights.mt_edge * parts["mt_edge"]
    elif "lexical_edge" in parts:
        score = score + weights.lexical_edge * parts["lexical_edge"]
    score = score - weights.length * (parts["log_length_ratio"] / weights.length_sigma) ** 2 / 2
    score = score - weights.punctuation * parts["punctuation_mismatch"]
    return score + weights.bead_bonus - weights.shape_cost[shape]
