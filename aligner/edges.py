"""Clause-order evidence: which bead a sentence at a bead's edge belongs to.

Translators keep the order of clauses far more often than not, so the first clause
of a source block's translation should reappear in the first target sentence of
its bead, and the last clause in the last one. This decides the most common
alignment error, a short target sentence between two source sentences attached to
the wrong one: "Old Hai scowled at him." resembles the *opening* clause of the
next source sentence's translation ("Old Hai's face sank, he said: …") more than
the *closing* clause of the previous one, even when both mention Old Hai.

Each translation (MT) sentence is cut at clause punctuation; its first clause (the
head) and its last clause (the tail) are compared with every target sentence of
the band as TF-IDF n-gram cosines (see :mod:`aligner.ngrams`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.features import SentenceFeatures, unit_weights
from aligner.ngrams import SparseRows, band_dots, neighbour_dots, vectorise
from aligner.similarity import PairIndex, WeightedSide, pair_values

# A clause ends at a comma, semicolon, colon or sentence mark (both scripts).
_CLAUSE_RE = {
    "en": re.compile(r"[^,;:!?.]+[,;:!?.]*"),
    "zh": re.compile(r"[^，,；;：:、。！？!?]+[，,；;：:、。！？!?]*"),
}
_CONTENT_RE = re.compile(r"\w")


def clause_ends(text: str, lang: str) -> list[int]:
    """Offsets in ``text`` right after each clause (its punctuation included), last excluded."""
    pattern = _CLAUSE_RE["zh" if lang.startswith("zh") else "en"]
    ends = [m.end() for m in pattern.finditer(text or "")]
    return [end for end in ends if 0 < end < len((text or "").rstrip())]


def head_and_tail(text: str, lang: str) -> tuple[str, str]:
    """The first and the last clause of ``text`` (the whole text when it has one clause)."""
    clauses = [c.strip() for c in _CLAUSE_RE[lang].findall(text or "") if _CONTENT_RE.search(c)]
    if not clauses:
        return text or "", text or ""
    return clauses[0], clauses[-1]


def _band_layout(start: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of every band pair, row by row (the layout of ``pair_values``)."""
    length = stop - start
    rows = np.repeat(np.arange(len(start)), length)
    first = np.cumsum(length) - length
    columns = start[rows] + np.arange(int(length.sum())) - first[rows]
    return rows, columns


@dataclass(frozen=True)
class _Vectors:
    """Two same-language texts as TF-IDF rows with their norms, vectorised once."""

    rows: SparseRows
    columns: SparseRows
    row_norms: np.ndarray
    column_norms: np.ndarray

    @classmethod
    def build(cls, row_texts: Sequence[str], column_texts: Sequence[str], lang: str) -> _Vectors:
        rows, columns = vectorise(row_texts, column_texts, lang)
        return cls(rows, columns, neighbour_dots(rows, 0)[0], neighbour_dots(columns, 0)[0])

    def band_cosines(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """Cosine of every band pair, flat and row by row."""
        width = int(max(1, (stop - start).max(initial=1)))
        dots = band_dots(self.rows, self.columns, start, stop, width)
        rows, columns = _band_layout(start, stop)
        flat = dots[rows, columns - start[rows]]
        return flat / np.sqrt(self.row_norms[rows] * self.column_norms[columns] + 1e-9)


def _band_coverage(
    pieces: WeightedSide,
    targets: WeightedSide,
    index: PairIndex,
    start: np.ndarray,
    stop: np.ndarray,
) -> np.ndarray:
    """Harmonic mean of both sides' matched weight share for every band pair, flat."""
    source, target = pair_values(pieces, targets, start, stop, index)
    rows, columns = _band_layout(start, stop)
    source_share = source / np.maximum(pieces.totals[rows], 1e-9)
    target_share = target / np.maximum(targets.totals[columns], 1e-9)
    return 2 * source_share * target_share / (source_share + target_share + 1e-9)


@dataclass(frozen=True)
class ClauseVectors:
    """MT clauses against the other text, vectorised once per search (monolingual variant).

    Forward, the clauses are those of the source's MT, compared with target sentences;
    backward, those of the target's MT, compared with source sentences (rows always
    stay source sentences).
    """

    head: _Vectors
    tail: _Vectors
    backward: bool

    @classmethod
    def build(
        cls,
        translations: Sequence[str],
        others: Sequence[str],
        lang: str,
        *,
        backward: bool = False,
    ) -> ClauseVectors:
        heads, tails = zip(*(head_and_tail(t, lang) for t in translations), strict=True)

        def vectors(clauses: Sequence[str]) -> _Vectors:
            if backward:
                return _Vectors.build(others, clauses, lang)
            return _Vectors.build(clauses, others, lang)

        return cls(vectors(heads), vectors(tails), backward)

    def in_band(self, start: np.ndarray, stop: np.ndarray) -> ClauseEdges:
        return ClauseEdges(
            start,
            stop,
            self.head.band_cosines(start, stop),
            self.tail.band_cosines(start, stop),
            clauses_of_target=self.backward,
        )


@dataclass(frozen=True)
class ClauseSides:
    """Source clauses (first and last of each sentence) as dictionary units, indexed once
    per search (bilingual variant: coverage F of dictionary keys, clause vs. target)."""

    heads: WeightedSide
    tails: WeightedSide
    targets: WeightedSide
    head_index: PairIndex
    tail_index: PairIndex

    @classmethod
    def build(
        cls,
        heads: Sequence[SentenceFeatures],
        tails: Sequence[SentenceFeatures],
        targets: WeightedSide,
    ) -> ClauseSides:
        weights = unit_weights([*heads, *tails])
        head_side = WeightedSide.build(heads, weights)
        tail_side = WeightedSide.build(tails, weights)
        return cls(
            head_side,
            tail_side,
            targets,
            PairIndex.build(head_side, targets),
            PairIndex.build(tail_side, targets),
        )

    def in_band(self, start: np.ndarray, stop: np.ndarray) -> ClauseEdges:
        return ClauseEdges(
            start,
            stop,
            _band_coverage(self.heads, self.targets, self.head_index, start, stop),
            _band_coverage(self.tails, self.targets, self.tail_index, start, stop),
        )


@dataclass(frozen=True)
class ClauseEdges:
    """Head and tail clause similarity of band pairs, flat per source row.

    Forward, the clauses are those of each source sentence (or of its MT) and are
    compared with target sentences; backward (``clauses_of_target``), they are those of
    each target sentence's MT and are compared with source sentences.
    """

    start: np.ndarray
    stop: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    clauses_of_target: bool = False

    @functools.cached_property
    def _row_offsets(self) -> np.ndarray:
        """Where each row starts in the flat arrays (computed once, read per bead block)."""
        length = self.stop - self.start
        return np.cumsum(length) - length

    def _lookup(self, values: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """The value of pair (row, column); zero outside the text or the band."""
        n = len(self.start)
        safe_rows = np.clip(rows, 0, n - 1)
        offset = columns - self.start[safe_rows]
        inside = (rows >= 0) & (rows < n) & (offset >= 0) & (columns < self.stop[safe_rows])
        flat = np.where(inside, self._row_offsets[safe_rows] + offset, 0)
        return np.where(inside, values[flat], 0.0) if len(values) else np.zeros(len(rows))

    def bead_edges(
        self, first_row: np.ndarray, end_row: np.ndarray, first_col: np.ndarray, end_col: np.ndarray
    ) -> np.ndarray:
        """How much better a bead's edge sentences fit its own edge clauses.

        The last target sentence is compared with the tail of the bead's last source
        sentence and with the head of the next source sentence; the first target
        sentence with the bead's own head and the previous source sentence's tail.
        Backward, the roles of the two sides are swapped.
        """
        last_col, first_source, last_source = end_col - 1, first_row, end_row - 1
        if self.clauses_of_target:
            closing = self._lookup(self.tail, last_source, last_col) - self._lookup(
                self.head, last_source, end_col
            )
            opening = self._lookup(self.head, first_source, first_col) - self._lookup(
                self.tail, first_source, first_col - 1
            )
            return closing + opening
        closing = self._lookup(self.tail, last_source, last_col) - self._lookup(
            self.head, end_row, last_col
        )
        opening = self._lookup(self.head, first_source, first_col) - self._lookup(
            self.tail, first_row - 1, first_col
        )
        return closing + opening
