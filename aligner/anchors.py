"""First pass for long texts: confident 1-1 anchor pairs and the band around them.

Candidate pairs come from an inverted index over rare keys (names, numbers, rare
content words) within a generous window around the length-proportional diagonal;
the heaviest monotone chain of candidates (weighted longest increasing
subsequence) becomes the skeleton. The exact search then runs only in a band
around the skeleton, which keeps time and memory near-linear.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict

import numpy as np

from aligner.similarity import WeightedSide

# Texts smaller than this many sentence pairs are searched exhaustively.
FULL_SEARCH_PAIRS = 400_000
BAND_HALF_WIDTH = 12
_MAX_KEY_DOCUMENT_FREQUENCY = 12
_MIN_ANCHOR_SCORE = 6.0


def candidate_pairs(source: WeightedSide, target: WeightedSide) -> list[tuple[int, int, float]]:
    """Best target per source sentence by shared rare keys, kept if clearly ahead."""
    n, m = len(source.keys), len(target.keys)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, keys in enumerate(target.keys):
        for key in keys:
            postings[key].append(index)
    max_frequency = max(_MAX_KEY_DOCUMENT_FREQUENCY, m // 500)
    rare = {key: ids for key, ids in postings.items() if len(ids) <= max_frequency}
    idf = {key: math.log((m + 1) / len(ids)) for key, ids in rare.items()}
    window = max(200, int(0.12 * max(n, m)))
    pairs: list[tuple[int, int, float]] = []
    for row, keys in enumerate(source.keys):
        expected = row * m / max(n, 1)
        low, high = expected - window, expected + window
        votes: dict[int, float] = defaultdict(float)
        for key in keys:
            ids = rare.get(key)
            if ids is None:
                continue
            begin = bisect.bisect_left(ids, low)
            end = bisect.bisect_right(ids, high)
            for column in ids[begin:end]:
                votes[column] += idf[key]
        if not votes:
            continue
        ranked = sorted(votes.items(), key=lambda item: -item[1])
        best_column, best = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best >= _MIN_ANCHOR_SCORE and best >= 1.5 * runner_up:
            pairs.append((row, best_column, best - runner_up))
    return pairs


def heaviest_chain(pairs: list[tuple[int, int, float]], columns: int) -> list[tuple[int, int]]:
    """Weighted longest chain strictly increasing in both coordinates (Fenwick tree, n log n)."""
    tree_value = [0.0] * (columns + 1)
    tree_index = [-1] * (columns + 1)
    best_value = [0.0] * len(pairs)
    previous = [-1] * len(pairs)
    order = sorted(range(len(pairs)), key=lambda k: (pairs[k][0], -pairs[k][1]))
    for k in order:  # rows ascend; within a row columns descend, so one row never chains itself
        row, column, weight = pairs[k]
        value, argmax, position = 0.0, -1, column  # prefix max over columns < column
        while position > 0:
            if tree_value[position] > value:
                value, argmax = tree_value[position], tree_index[position]
            position -= position & -position
        best_value[k] = value + weight
        previous[k] = argmax
        position = column + 1
        while position <= columns:
            if best_value[k] > tree_value[position]:
                tree_value[position], tree_index[position] = best_value[k], k
            position += position & -position
    if not pairs:
        return []
    k = max(range(len(pairs)), key=best_value.__getitem__)
    chain = []
    while k >= 0:
        chain.append((pairs[k][0], pairs[k][1]))
        k = previous[k]
    return chain[::-1]


def band_from_anchors(
    anchors: list[tuple[int, int]], n: int, m: int, half_width: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per source state i (0..n), the allowed target states [lo[i], hi[i]] around the skeleton.

    The centre line interpolates between anchors; the band widens with the gap between
    anchors, since an interpolation over a long unanchored stretch is less certain.
    ``half_width`` is one number or one per state (wider where the search was unsure).
    """
    points = [(0.0, 0.0)] + [(i + 0.5, j + 0.5) for i, j in anchors] + [(float(n), float(m))]
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    states = np.arange(n + 1, dtype=np.float64)
    centre = np.interp(states, xs, ys)
    segment = np.clip(np.searchsorted(xs, states, side="right") - 1, 0, len(xs) - 2)
    gap = np.maximum(xs[segment + 1] - xs[segment], ys[segment + 1] - ys[segment])
    width = np.asarray(half_width, dtype=np.float64) + 0.15 * gap
    lo = np.floor(centre - width).clip(0, m).astype(np.int64)
    hi = np.ceil(centre + width).clip(0, m).astype(np.int64)
    return monotone_band(lo, hi, m)


def monotone_band(lo: np.ndarray, hi: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Make a band usable by the search: non-decreasing bounds that start at 0 and end at m."""
    lo = np.maximum.accumulate(lo)
    hi = np.minimum.accumulate(hi[::-1])[::-1]
    hi = np.maximum.accumulate(np.maximum(hi, lo))
    lo[0] = 0
    hi[-1] = m
    hi = np.maximum.accumulate(hi)
    lo = np.minimum(lo, hi)
    lo[1:] = np.minimum(lo[1:], hi[:-1])  # every row reachable from the previous by a 1-0 bead
    return lo, hi


def full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def initial_band(
    source: WeightedSide, target: WeightedSide, half_width: int = BAND_HALF_WIDTH
) -> tuple[np.ndarray, np.ndarray]:
    """Whole matrix for small inputs, otherwise the band around the anchor skeleton."""
    n, m = len(source.keys), len(target.keys)
    if n * m <= FULL_SEARCH_PAIRS:
        return full_band(n, m)
    chain = heaviest_chain(candidate_pairs(source, target), m)
    return band_from_anchors(chain, n, m, half_width)
