"""Pairwise sentence evidence inside a band, summed into block (bead) scores.

A bead's lexical score is a coverage F-measure: how much of the source block's
weighted content finds a counterpart key in the target block, and vice versa.
Coverage of a block is approximated by summing per-sentence-pair matched weight,
so one band of pairwise sums serves every bead shape (1-1 … 4-1) through
cumulative sums: nothing ever needs the full N×M matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.features import SentenceFeatures


@dataclass(frozen=True)
class WeightedSide:
    """Sentences of one side as (weight, keys) units, with each sentence's total weight."""

    units: list[list[tuple[float, frozenset[str]]]]
    keys: list[frozenset[str]]
    totals: np.ndarray  # float64, one per sentence

    @classmethod
    def build(cls, features: Sequence[SentenceFeatures], weights: dict[str, float]) -> WeightedSide:
        units = [
            [(weights.get(unit, 1.0), keys) for unit, keys in sentence.units]
            for sentence in features
        ]
        totals = np.array([sum(w for w, _ in sentence) for sentence in units], dtype=np.float64)
        return cls(units=units, keys=[sentence.keys for sentence in features], totals=totals)


@dataclass(frozen=True)
class PairBand:
    """Matched weights for sentence pairs (s, t) with ``start[s] <= t < start[s] + width``.

    ``source_cum[s, k]`` is the matched source weight summed over targets
    ``start[s] .. start[s]+k-1`` (a cumulative sum with a leading zero), likewise
    ``target_cum`` for the target side's matched weight.
    """

    start: np.ndarray
    width: int
    source_cum: np.ndarray
    target_cum: np.ndarray

    def block_sums(
        self, first_source: int, last_source: int, target_from: np.ndarray, target_to: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Matched (source, target) weight of source rows [first, last) × targets [from, to)."""
        source_total = np.zeros(len(target_from))
        target_total = np.zeros(len(target_from))
        for row in range(first_source, last_source):
            offset = self.start[row]
            upper = np.minimum(np.maximum(target_to - offset, 0), self.width)
            lower = np.minimum(np.maximum(target_from - offset, 0), self.width)
            source_total += self.source_cum[row, upper] - self.source_cum[row, lower]
            target_total += self.target_cum[row, upper] - self.target_cum[row, lower]
        return source_total, target_total


def matched_weight(units: list[tuple[float, frozenset[str]]], other_keys: frozenset[str]) -> float:
    """Weight of the units that have at least one key in ``other_keys``."""
    return sum(weight for weight, keys in units if not keys.isdisjoint(other_keys))


def pair_band(
    source: WeightedSide, target: WeightedSide, start: np.ndarray, stop: np.ndarray
) -> PairBand:
    """Score every pair (s, t) with start[s] <= t < stop[s]: the only pairs beads may use."""
    width = int(max(1, (stop - start).max(initial=1)))
    rows = len(source.units)
    source_matched = np.zeros((rows, width + 1))
    target_matched = np.zeros((rows, width + 1))
    target_units = target.units
    target_keys = target.keys
    for row in range(rows):
        units = source.units[row]
        keys = source.keys[row]
        first = int(start[row])
        source_row = source_matched[row]
        target_row = target_matched[row]
        for column in range(first, int(stop[row])):
            offset = column - first + 1
            source_row[offset] = matched_weight(units, target_keys[column])
            target_row[offset] = matched_weight(target_units[column], keys)
    return PairBand(
        start=start.astype(np.int64),
        width=width,
        source_cum=np.cumsum(source_matched, axis=1),
        target_cum=np.cumsum(target_matched, axis=1),
    )
