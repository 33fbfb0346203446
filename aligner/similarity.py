"""Pairwise sentence evidence inside a band, summed into block (bead) scores.

A bead's lexical score is a coverage F-measure: how much of the source block's
weighted content finds a counterpart key in the target block, and vice versa.
Coverage of a block is approximated by summing per-sentence-pair matched weight,
so one band of pairwise sums serves every bead shape (1-1 … 4-1) through
cumulative sums: nothing ever needs the full N×M matrix.

The band is computed with numpy as a join on shared keys: every (unit, key) entry of
one side is looked up in the other side's sorted (key, sentence) postings restricted
to the band's columns, duplicates (a unit meeting a sentence through two keys) are
removed, and the unit weights are summed per sentence pair. Pairs are stored row by
row in a ragged (CSR-like) layout, so memory is proportional to the band's area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.features import SentenceFeatures

# Source rows (or target columns) joined per numpy batch: bounds temporary memory.
_CHUNK = 512


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
class _SideIndex:
    """One side as flat arrays over shared key ids.

    Entry e is (unit entry_unit[e] of sentence unit_sentence[entry_unit[e]], key
    entry_key[e]); ``postings`` are the sorted codes key * sentences + sentence of every
    (sentence, key) membership.
    """

    entry_unit: np.ndarray
    entry_key: np.ndarray
    entry_indptr: np.ndarray  # entries of sentence s: entry_indptr[s] .. entry_indptr[s+1]
    unit_sentence: np.ndarray
    unit_weight: np.ndarray
    postings: np.ndarray
    sentences: int


def _index_side(side: WeightedSide, key_ids: dict[str, int]) -> _SideIndex:
    entry_unit: list[int] = []
    entry_key: list[int] = []
    entry_indptr = [0]
    unit_sentence: list[int] = []
    unit_weight: list[float] = []
    postings: list[int] = []
    count = len(side.units)
    for sentence, units in enumerate(side.units):
        for weight, keys in units:
            unit = len(unit_weight)
            unit_sentence.append(sentence)
            unit_weight.append(weight)
            for key in keys:
                entry_unit.append(unit)
                entry_key.append(key_ids.setdefault(key, len(key_ids)))
        entry_indptr.append(len(entry_unit))
        postings.extend(
            key_ids.setdefault(key, len(key_ids)) * count + sentence for key in side.keys[sentence]
        )
    return _SideIndex(
        entry_unit=np.array(entry_unit, dtype=np.int64),
        entry_key=np.array(entry_key, dtype=np.int64),
        entry_indptr=np.array(entry_indptr, dtype=np.int64),
        unit_sentence=np.array(unit_sentence, dtype=np.int64),
        unit_weight=np.array(unit_weight, dtype=np.float64),
        postings=np.sort(np.array(postings, dtype=np.int64)),
        sentences=count,
    )


@dataclass(frozen=True)
class PairIndex:
    """Both sides of a comparison indexed over one key vocabulary (built once per search)."""

    source: _SideIndex
    target: _SideIndex

    @classmethod
    def build(cls, source: WeightedSide, target: WeightedSide) -> PairIndex:
        key_ids: dict[str, int] = {}
        return cls(_index_side(source, key_ids), _index_side(target, key_ids))


@dataclass(frozen=True)
class PairBand:
    """Per-pair values for (s, t) with ``start[s] <= t < start[s] + length[s]``, ragged rows.

    Row s occupies ``offset[s] .. offset[s] + length[s]`` (inclusive) of the flat cumulative
    arrays: ``source_cum[offset[s] + k]`` is the matched source weight summed over targets
    ``start[s] .. start[s]+k-1`` (leading zero), likewise ``target_cum``.
    """

    start: np.ndarray
    length: np.ndarray
    offset: np.ndarray
    source_cum: np.ndarray
    target_cum: np.ndarray

    @classmethod
    def from_values(
        cls, start: np.ndarray, stop: np.ndarray, source: np.ndarray, target: np.ndarray
    ) -> PairBand:
        """From flat per-pair values laid out row by row (row s has stop[s]-start[s] values)."""
        start = np.asarray(start, dtype=np.int64)
        length = np.maximum(np.asarray(stop, dtype=np.int64) - start, 0)
        return cls(start, length, _offsets(length), _row_cumsum(source, length),
                   _row_cumsum(target, length))  # fmt: skip

    @classmethod
    def from_dense(cls, start: np.ndarray, stop: np.ndarray, values: np.ndarray) -> PairBand:
        """From ``values[s, k]`` for target start[s]+k (the same values on both sides)."""
        start = np.asarray(start, dtype=np.int64)
        length = np.maximum(np.asarray(stop, dtype=np.int64) - start, 0)
        mask = np.arange(values.shape[1])[None, :] < length[:, None]
        flat = values[mask]
        cum = _row_cumsum(flat, length)
        return cls(start, length, _offsets(length), cum, cum)

    def block_sums(
        self, rows_end: np.ndarray, rows: int, target_from: np.ndarray, target_to: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Matched (source, target) weight of source rows [end-rows, end) × targets [from, to).

        ``rows_end``, ``target_from`` and ``target_to`` are aligned arrays (one bead each).
        """
        source_total = np.zeros(len(target_from))
        target_total = np.zeros(len(target_from))
        for k in range(rows):
            row = rows_end - rows + k
            start, length, offset = self.start[row], self.length[row], self.offset[row]
            upper = np.clip(target_to - start, 0, length) + offset
            lower = np.clip(target_from - start, 0, length) + offset
            source_total += self.source_cum[upper] - self.source_cum[lower]
            target_total += self.target_cum[upper] - self.target_cum[lower]
        return source_total, target_total


def prefix_sums(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Cumulative sums with a leading zero: block [a, b) sums to out[b] - out[a]."""
    return np.concatenate([[0.0], np.cumsum(np.asarray(values, dtype=np.float64))])


def _offsets(length: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(length + 1)[:-1]]).astype(np.int64)


def _row_cumsum(values: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Per-row cumulative sums with a leading zero per row, in the ragged layout."""
    rows = len(length)
    padded = np.zeros(int(length.sum()) + rows, dtype=np.float64)
    row_of_value = np.repeat(np.arange(rows), length)
    padded[np.arange(len(values)) + row_of_value + 1] = values
    cum = np.cumsum(padded)
    offsets = _offsets(length)
    return cum - np.repeat(cum[offsets], length + 1)


def _expand(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [low[k], high[k]): (k, position) of every member."""
    counts = np.maximum(high - low, 0)
    owner = np.repeat(np.arange(len(low)), counts)
    first = np.cumsum(counts) - counts
    position = np.arange(int(counts.sum())) - first[owner] + low[owner]
    return owner, position


def pair_band(
    source: WeightedSide,
    target: WeightedSide,
    start: np.ndarray,
    stop: np.ndarray,
    index: PairIndex | None = None,
) -> PairBand:
    """Score every pair (s, t) with start[s] <= t < stop[s]: the only pairs beads may use.

    ``start`` and ``stop`` must be non-decreasing (a monotone band).
    """
    source_values, target_values = pair_values(source, target, start, stop, index)
    return PairBand.from_values(start, stop, source_values, target_values)


def pair_values(
    source: WeightedSide,
    target: WeightedSide,
    start: np.ndarray,
    stop: np.ndarray,
    index: PairIndex | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Matched (source, target) weight of every band pair, flat and row by row."""
    index = index or PairIndex.build(source, target)
    src, tgt = index.source, index.target
    n, m = src.sentences, tgt.sentences
    start = np.asarray(start, dtype=np.int64)
    stop = np.maximum(np.asarray(stop, dtype=np.int64), start)
    length = stop - start
    value_offset = np.concatenate([[0], np.cumsum(length)]).astype(np.int64)
    source_values = np.zeros(int(value_offset[-1]))
    target_values = np.zeros(int(value_offset[-1]))
    # Source units: which band targets contain one of the unit's keys.
    for first in range(0, n, _CHUNK):
        last = min(n, first + _CHUNK)
        a, b = src.entry_indptr[first], src.entry_indptr[last]
        units, keys = src.entry_unit[a:b], src.entry_key[a:b]
        rows = src.unit_sentence[units]
        low = np.searchsorted(tgt.postings, keys * m + start[rows])
        high = np.searchsorted(tgt.postings, keys * m + stop[rows])
        owner, position = _expand(low, high)
        columns = tgt.postings[position] % m
        pairs = np.unique(units[owner] * m + columns)
        pair_units, pair_columns = pairs // m, pairs % m
        pair_rows = src.unit_sentence[pair_units]
        flat = value_offset[pair_rows] + pair_columns - start[pair_rows]
        base = value_offset[first]
        source_values[base : value_offset[last]] = np.bincount(
            flat - base, src.unit_weight[pair_units], minlength=int(value_offset[last] - base)
        )
    # Target units: which band sources contain one of the unit's keys.
    row_low = np.searchsorted(stop, np.arange(m), side="right")  # first s with stop[s] > t
    row_high = np.searchsorted(start, np.arange(m), side="right")  # s < this: start[s] <= t
    for first in range(0, m, _CHUNK):
        last = min(m, first + _CHUNK)
        a, b = tgt.entry_indptr[first], tgt.entry_indptr[last]
        units, keys = tgt.entry_unit[a:b], tgt.entry_key[a:b]
        columns = tgt.unit_sentence[units]
        low = np.searchsorted(src.postings, keys * n + row_low[columns])
        high = np.searchsorted(src.postings, keys * n + row_high[columns])
        owner, position = _expand(low, high)
        pair_rows = src.postings[position] % n
        pairs = np.unique(units[owner] * n + pair_rows)
        pair_units, pair_rows = pairs // n, pairs % n
        pair_columns = tgt.unit_sentence[pair_units]
        flat = value_offset[pair_rows] + pair_columns - start[pair_rows]
        order = np.argsort(flat, kind="stable")
        flat, weights = flat[order], tgt.unit_weight[pair_units][order]
        if len(flat):
            boundaries = np.flatnonzero(np.diff(flat)) + 1
            heads = np.concatenate([[0], boundaries])
            target_values[flat[heads]] += np.add.reduceat(weights, heads)
    return source_values, target_values


def matched_weight(units: list[tuple[float, frozenset[str]]], other_keys: frozenset[str]) -> float:
    """Weight of the units that have at least one key in ``other_keys``."""
    return sum(weight for weight, keys in units if not keys.isdisjoint(other_keys))


def pair_band_reference(
    source: WeightedSide, target: WeightedSide, start: np.ndarray, stop: np.ndarray
) -> PairBand:
    """Plain-Python ``pair_band`` (slow; the specification the vectorised one is tested on)."""
    source_values: list[float] = []
    target_values: list[float] = []
    for row, units in enumerate(source.units):
        for column in range(int(start[row]), int(stop[row])):
            source_values.append(matched_weight(units, target.keys[column]))
            target_values.append(matched_weight(target.units[column], source.keys[row]))
    return PairBand.from_values(start, stop, np.array(source_values), np.array(target_values))
