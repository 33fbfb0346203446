"""Machine-translation evidence in one direction, laid out source-major.

MT turns the bilingual question into a monolingual one: compare the MT of the
source with the target (forward), or the source with the MT of the target
(backward, when a model for the other direction exists). Either way there is one
text per source sentence (the rows) and one per target sentence (the columns),
in the same language, so one band of pairwise values serves every bead shape
(see :mod:`aligner.similarity` and :mod:`aligner.ngrams`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.features import (
    SentenceFeatures,
    chinese_mt_features,
    english_features,
    unit_weights,
)
from aligner.ngrams import (
    SparseRows,
    band_dots,
    neighbour_cums,
    neighbour_dots,
    neighbourhood_baselines,
    vectorise,
)
from aligner.similarity import PairBand, PairIndex, WeightedSide, pair_band, prefix_sums


def monolingual_features(sentences: Sequence[str], lang: str) -> list[SentenceFeatures]:
    """Features for comparing two texts in the same language (MT output vs. human text)."""
    if lang == "zh":
        return [chinese_mt_features(sentence or "") for sentence in sentences]
    return [english_features(sentence or "") for sentence in sentences]


@dataclass(frozen=True)
class MtView:
    """One direction's MT evidence inside a band: what the scorer reads."""

    words: PairBand  # matched word weight per pair (coverage F)
    row_weight_cum: np.ndarray
    column_weight_cum: np.ndarray
    dots: PairBand  # n-gram TF-IDF dot products per pair (block cosines)
    row_neighbour_cums: np.ndarray
    column_neighbour_cums: np.ndarray
    row_baseline_cum: np.ndarray  # prefix sums of each sentence's neighbourhood cosine
    column_baseline_cum: np.ndarray


@dataclass(frozen=True)
class MtComparison:
    """Rows (one text per source sentence) against columns (one per target sentence)."""

    rows: WeightedSide
    columns: WeightedSide
    index: PairIndex
    row_vectors: SparseRows
    column_vectors: SparseRows
    row_neighbours: np.ndarray  # (offsets, rows) within-side dot products
    column_neighbours: np.ndarray

    @classmethod
    def build(
        cls, row_texts: Sequence[str], column_texts: Sequence[str], lang: str, max_shape: int
    ) -> MtComparison:
        row_features = monolingual_features(row_texts, lang)
        column_features = monolingual_features(column_texts, lang)
        weights = unit_weights(row_features + column_features)
        rows = WeightedSide.build(row_features, weights)
        columns = WeightedSide.build(column_features, weights)
        row_vectors, column_vectors = vectorise(
            [t or "" for t in row_texts], [t or "" for t in column_texts], lang
        )
        return cls(
            rows=rows,
            columns=columns,
            index=PairIndex.build(rows, columns),
            row_vectors=row_vectors,
            column_vectors=column_vectors,
            row_neighbours=neighbour_dots(row_vectors, max_shape),
            column_neighbours=neighbour_dots(column_vectors, max_shape),
        )

    @functools.cached_property
    def _band_independent(self) -> dict[str, np.ndarray]:
        """The prefix sums every band shares (computed once, not per band attempt)."""
        return {
            "row_weight_cum": prefix_sums(self.rows.totals),
            "column_weight_cum": prefix_sums(self.columns.totals),
            "row_neighbour_cums": neighbour_cums(self.row_neighbours),
            "column_neighbour_cums": neighbour_cums(self.column_neighbours),
        }

    def in_band(self, start: np.ndarray, stop: np.ndarray) -> MtView:
        """The pairwise evidence for source s and target t with start[s] <= t < stop[s]."""
        width = int(max(1, (stop - start).max(initial=1)))
        dots = band_dots(self.row_vectors, self.column_vectors, start, stop, width)
        row_base, column_base = neighbourhood_baselines(
            dots, start, stop, self.row_neighbours[0], self.column_neighbours[0]
        )
        return MtView(
            words=pair_band(self.rows, self.columns, start, stop, self.index),
            dots=PairBand.from_dense(start, stop, dots),
            **self._band_independent,
            row_baseline_cum=prefix_sums(row_base),
            column_baseline_cum=prefix_sums(column_base),
        )
