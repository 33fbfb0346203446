"""Monolingual similarity of merged blocks: MT output vs. target, as sparse n-gram vectors.

Each sentence becomes a TF-IDF vector of character n-grams (English: 3–5-grams of the
lower-cased word sequence, plus stemmed content words; Chinese: Han character 1–2-grams
plus numbers). The similarity of a candidate bead is the cosine of the *summed* vectors
of its source-side MT sentences and its target sentences, i.e. the similarity of the
concatenated blocks (as Bertalign/Vecalign embed concatenations). Because a dot product
is bilinear, a block's dot product is the sum of its sentence-pair dot products and its
squared norm is the sum of its within-side pair products, so one band of pairwise dots
serves every bead shape and nothing needs the full N×M matrix.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.features import number_keys_en, number_keys_zh
from aligner.tokens import ENGLISH_STOPWORDS, ENGLISH_WORD_RE, HAN_RE, stem_english

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
CHAR_ORDERS = (3, 4, 5)
# Rows of the band processed per dense block: bounds memory to a few MB.
_CHUNK_ROWS = 64


def english_terms(text: str) -> Counter[str]:
    """Character 3–5-grams of the normalised word sequence, plus content-word stems."""
    lowered = text.lower().replace("’", "'")
    words = _WORD_RE.findall(lowered)
    joined = " " + " ".join(words) + " "
    terms: Counter[str] = Counter()
    for n in CHAR_ORDERS:
        terms.update(joined[k : k + n] for k in range(len(joined) - n + 1))
    for word in ENGLISH_WORD_RE.findall(text):
        lower = word.lower()
        if lower not in ENGLISH_STOPWORDS and len(lower) > 1:
            terms["w:" + stem_english(lower)] += 1
    for number in number_keys_en(text):
        terms[number] += 1
    return terms


def chinese_terms(text: str) -> Counter[str]:
    """Han character unigrams and bigrams, plus numbers (segmentation-free, like chrF)."""
    chars = [char for char in text if HAN_RE.match(char)]
    terms: Counter[str] = Counter(chars)
    terms.update(a + b for a, b in zip(chars, chars[1:], strict=False))
    for number in number_keys_zh(text):
        terms[number] += 1
    return terms


@dataclass(frozen=True)
class SparseRows:
    """CSR-like rows: sentence k has features indices[indptr[k]:indptr[k+1]] (sorted)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def row(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = self.indptr[k], self.indptr[k + 1]
        return self.indices[a:b], self.data[a:b]


def vectorise(
    first: Sequence[str], second: Sequence[str], lang: str
) -> tuple[SparseRows, SparseRows]:
    """TF-IDF vectors (sublinear tf) of both texts over a shared vocabulary and IDF."""
    extract = chinese_terms if lang == "zh" else english_terms
    bags = [extract(text or "") for text in first] + [extract(text or "") for text in second]
    document_frequency: Counter[str] = Counter()
    for bag in bags:
        document_frequency.update(bag.keys())
    total = len(bags) + 1
    vocabulary = {term: k for k, term in enumerate(document_frequency)}
    idf = np.array([math.log(total / document_frequency[t]) for t in vocabulary])

    def rows(part: list[Counter[str]]) -> SparseRows:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for bag in part:
            ids = sorted(vocabulary[term] for term in bag)
            inverse = {vocabulary[term]: term for term in bag}
            indices.extend(ids)
            data.extend((1.0 + math.log(bag[inverse[i]])) * idf[i] for i in ids)
            indptr.append(len(indices))
        return SparseRows(
            np.array(indptr, dtype=np.int64),
            np.array(indices, dtype=np.int64),
            np.array(data, dtype=np.float32),
        )

    return rows(bags[: len(first)]), rows(bags[len(first) :])


def _dense(rows: SparseRows, ids: range | np.ndarray, vocab: np.ndarray) -> np.ndarray:
    """Rows ``ids`` as dense vectors over the sorted local vocabulary ``vocab`` (others dropped)."""
    out = np.zeros((len(ids), len(vocab)), dtype=np.float32)
    for position, k in enumerate(ids):
        indices, data = rows.row(int(k))
        if len(indices) == 0 or len(vocab) == 0:
            continue
        where = np.searchsorted(vocab, indices)
        where = np.minimum(where, len(vocab) - 1)
        keep = vocab[where] == indices
        out[position, where[keep]] = data[keep]
    return out


def band_dots(
    source: SparseRows, target: SparseRows, start: np.ndarray, stop: np.ndarray, width: int
) -> np.ndarray:
    """``dots[s, k]`` = <source_s, target_{start[s]+k}> for start[s] <= t < stop[s], else 0."""
    rows = len(source)
    dots = np.zeros((rows, width), dtype=np.float64)
    for chunk in range(0, rows, _CHUNK_ROWS):
        chunk_rows = range(chunk, min(rows, chunk + _CHUNK_ROWS))
        first = int(start[chunk_rows.start : chunk_rows.stop].min())
        last = int(stop[chunk_rows.start : chunk_rows.stop].max())
        if last <= first:
            continue
        a, b = source.indptr[chunk_rows.start], source.indptr[chunk_rows.stop]
        vocab = np.unique(source.indices[a:b])
        left = _dense(source, chunk_rows, vocab)
        right = _dense(target, range(first, last), vocab)
        product = left @ right.T  # (chunk rows, last - first)
        for position, row in enumerate(chunk_rows):
            lo, hi = int(start[row]), int(stop[row])
            if hi > lo:
                dots[row, : hi - lo] = product[position, lo - first : hi - first]
    return dots


def best_matches(
    first: SparseRows, second: SparseRows, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``rows`` of ``first``: the row of ``second`` with the largest dot product,
    and that dot product, over the whole of ``second`` (postings, no dense matrix)."""
    second_rows = np.repeat(np.arange(len(second)), np.diff(second.indptr))
    order = np.argsort(second.indices, kind="stable")
    terms, owners, values = second.indices[order], second_rows[order], second.data[order]
    best = np.zeros(len(rows), dtype=np.int64)
    score = np.zeros(len(rows))
    for position, row in enumerate(rows):
        indices, data = first.row(int(row))
        low = np.searchsorted(terms, indices)
        high = np.searchsorted(terms, indices, side="right")
        counts = high - low
        if counts.sum() == 0:
            continue
        members = np.concatenate([np.arange(a, b) for a, b in zip(low, high, strict=True)])
        weights = np.repeat(data, counts) * values[members]
        dots = np.bincount(owners[members], weights, minlength=len(second))
        best[position] = int(dots.argmax())
        score[position] = float(dots[best[position]])
    return best, score


def neighbour_dots(rows: SparseRows, max_offset: int) -> np.ndarray:
    """``out[d, k]`` = <row_k, row_{k+d}> for d = 0..max_offset (zero past the end)."""
    count = len(rows)
    out = np.zeros((max_offset + 1, count), dtype=np.float64)
    for k in range(count):
        indices, data = rows.row(k)
        out[0, k] = float(np.dot(data, data))
        if len(indices) == 0:
            continue
        for d in range(1, max_offset + 1):
            if k + d >= count:
                break
            other_indices, other_data = rows.row(k + d)
            _, here, there = np.intersect1d(indices, other_indices, return_indices=True)
            out[d, k] = float(np.dot(data[here], other_data[there]))
    return out


def neighbour_cums(neighbours: np.ndarray) -> np.ndarray:
    """Prefix sums of :func:`neighbour_dots` along the sentences (leading zero column)."""
    return np.concatenate([np.zeros((neighbours.shape[0], 1)), np.cumsum(neighbours, 1)], axis=1)


def block_norms_from_cums(cums: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    """Squared norm of the summed vectors of rows [start, start+length), from ``neighbour_cums``."""
    total = cums[0, starts + length] - cums[0, starts]
    for d in range(1, min(length, cums.shape[0])):
        total = total + 2 * (cums[d, starts + length - d] - cums[d, starts])
    return total


def block_norms_squared(neighbours: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    """Squared norm of the summed vectors of rows [start, start+length) for each start."""
    return block_norms_from_cums(neighbour_cums(neighbours), starts, length)


def neighbourhood_baselines(
    dots: np.ndarray,
    start: np.ndarray,
    stop: np.ndarray,
    source_norms: np.ndarray,
    target_norms: np.ndarray,
    k: int = 4,
) -> tuple[np.ndarray, np.ndarray]:
    """Mean of each sentence's ``k`` best sentence-level cosines within the band, both sides.

    The margin (similarity minus this neighbourhood average, as in Bertalign/LASER mining)
    discounts sentences that resemble everything, e.g. short generic lines.
    """
    rows, width = dots.shape
    offsets = np.arange(width)
    columns = start[:, None] + offsets[None, :]
    valid = offsets[None, :] < (stop - start)[:, None]
    safe_columns = np.where(valid, columns, 0)
    cosine = dots / np.sqrt(source_norms[:, None] * target_norms[safe_columns] + 1e-9)
    cosine = np.where(valid, cosine, -1.0)
    top = -np.sort(-cosine, axis=1)[:, :k]
    source_base = np.where(top > -1.0, top, 0.0).sum(1) / np.maximum((top > -1.0).sum(1), 1)
    m = len(target_norms)
    flat_columns = safe_columns[valid]
    flat_cosine = cosine[valid]
    order = np.lexsort((-flat_cosine, flat_columns))
    sorted_columns = flat_columns[order]
    sorted_cosine = flat_cosine[order]
    first_of_column = np.searchsorted(sorted_columns, np.arange(m))
    rank = np.arange(len(sorted_columns)) - first_of_column[sorted_columns]
    keep = rank < k
    sums = np.bincount(sorted_columns[keep], sorted_cosine[keep], minlength=m)
    counts = np.bincount(sorted_columns[keep], minlength=m)
    target_base = sums / np.maximum(counts, 1)
    return source_base, target_base
