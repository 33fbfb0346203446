"""Dynamic-programming search for the best monotone bead sequence inside a band.

State (i, j) means "the first i source and j target sentences are aligned".
Bead scores are computed for blocks of rows at once (one vectorised pass per bead
shape over every band state of the block); the recurrence then runs row by row with
numpy over the band's columns, and target-only (0-1) beads inside a row are a running
maximum, so the whole search is linear in the band area with little per-row overhead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.scoring import BEAD_SHAPES, Evidence, ScoreWeights, bead_scores

_SOURCE_ONLY = len(BEAD_SHAPES)  # backpointer code for a 1-0 bead
_START = -1
NEG_INF = -1e18


@dataclass(frozen=True)
class PathBead:
    """One bead on the best path: half-open sentence ranges and its score."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    score: float


# Rows whose bead scores are computed together (one vectorised pass per shape).
_BLOCK_ROWS = 256


def _block_scores(
    evidence: Evidence, lo: np.ndarray, hi: np.ndarray, first: int, last: int, weights: ScoreWeights
) -> list[np.ndarray]:
    """Per shape, the score of the bead ending at every band state of rows [first, last).

    States are laid out row by row (row r has hi[r] - lo[r] + 1 of them); a bead whose
    start state lies outside the band scores NEG_INF.
    """
    widths = hi[first:last] - lo[first:last] + 1
    rows = np.repeat(np.arange(first, last), widths)
    columns = lo[rows] + (np.arange(len(rows)) - np.repeat(np.cumsum(widths) - widths, widths))
    out = []
    for a, b in BEAD_SHAPES:
        scores = np.full(len(rows), NEG_INF)
        previous = np.maximum(rows - a, 0)
        valid = (rows >= a) & (columns - b >= lo[previous]) & (columns - b <= hi[previous])
        if valid.any():
            scores[valid] = bead_scores(evidence, (a, b), rows[valid], columns[valid], weights)
        out.append(scores)
    return out


def best_path(
    evidence: Evidence,
    lo: np.ndarray,
    hi: np.ndarray,
    weights: ScoreWeights,
) -> list[PathBead]:
    """Highest-scoring bead sequence from (0, 0) to (n, m) within lo[i] <= j <= hi[i]."""
    n = len(lo) - 1
    null_score = weights.null_bead
    values: list[np.ndarray] = []
    choices: list[np.ndarray] = []  # shape index per state, or _SOURCE_ONLY / _START
    origins: list[np.ndarray] = []  # column where this row's run of 0-1 beads began
    bead_values: list[np.ndarray] = []  # score of the bead chosen by `choices`
    block: list[np.ndarray] = []
    for row in range(n + 1):
        if row % _BLOCK_ROWS == 0:
            block = _block_scores(evidence, lo, hi, row, min(n + 1, row + _BLOCK_ROWS), weights)
            block_offset = 0
        width = int(hi[row] - lo[row] + 1)
        columns = np.arange(lo[row], hi[row] + 1)
        best = np.full(width, NEG_INF)
        choice = np.full(width, _START, dtype=np.int16)
        chosen_score = np.zeros(width)
        if row == 0:
            best[columns == 0] = 0.0
        for shape_index, (a, b) in enumerate(BEAD_SHAPES):
            if row < a:
                continue
            scores = block[shape_index][block_offset : block_offset + width]
            target = np.flatnonzero(scores > NEG_INF / 2)
            if len(target) == 0:
                continue
            previous_row = row - a
            candidate = values[previous_row][columns[target] - b - lo[previous_row]]
            candidate = candidate + scores[target]
            better = candidate > best[target]
            chosen = target[better]
            best[chosen] = candidate[better]
            choice[chosen] = shape_index
            chosen_score[chosen] = scores[chosen]
        block_offset += width
        if row > 0:
            valid = (columns >= lo[row - 1]) & (columns <= hi[row - 1])
            candidate = values[row - 1][columns[valid] - lo[row - 1]] + null_score
            target = np.flatnonzero(valid)
            better = candidate > best[target]
            best[target[better]] = candidate[better]
            choice[target[better]] = _SOURCE_ONLY
            chosen_score[target[better]] = null_score
        # 0-1 beads: value[j] = max over j' <= j of best[j'] + (j - j') * null_score.
        offsets = np.arange(width) * null_score
        shifted = best - offsets
        running = np.maximum.accumulate(shifted)
        at = np.where(shifted >= running, np.arange(width), 0)
        origin = np.maximum.accumulate(at)
        values.append(running + offsets)
        choices.append(choice)
        origins.append(origin)
        bead_values.append(chosen_score)
    return _trace_back(lo, choices, origins, bead_values, null_score, n, int(hi[n]))


def _trace_back(
    lo: np.ndarray,
    choices: list[np.ndarray],
    origins: list[np.ndarray],
    bead_values: list[np.ndarray],
    null_score: float,
    row: int,
    column: int,
) -> list[PathBead]:
    path: list[PathBead] = []
    while row > 0 or column > 0:
        k = column - lo[row]
        origin_column = int(origins[row][k]) + int(lo[row])
        for skipped in range(column - 1, origin_column - 1, -1):
            path.append(PathBead(row, row, skipped, skipped + 1, null_score))
        column = origin_column
        k = column - lo[row]
        choice = int(choices[row][k])
        score = float(bead_values[row][k])
        if choice == _START:
            if row == 0 and column == 0:
                break
            raise RuntimeError(f"search band is disconnected at state ({row}, {column})")
        a, b = (1, 0) if choice == _SOURCE_ONLY else BEAD_SHAPES[choice]
        path.append(PathBead(row - a, row, column - b, column, score))
        row, column = row - a, column - b
    return path[::-1]
