"""Bilingual term candidates from aligned sentence pairs (approved segments, aligned documents).

The aligner learns single-word pairs from one document (aligner/learned.py:
Dice over beads). Terms are often several words (党委书记 → "Party Secretary",
大连理工大学 → "Dalian University of Technology"), so here both sides offer
n-grams: runs of one to three jieba words on the Chinese side, of one to six
words on the English side (names run long: "National Natural Science
Foundation of China"), neither starting nor ending with a function word
(stop lists) or punctuation. Each pair of a source and a target n-gram that
occur in the same sentence pair is scored by the Dice coefficient and Dunning's
log-likelihood ratio (G², which, unlike Dice, discounts pairs of frequent
words); pairs below a frequency threshold are dropped. Then competitive
linking: best scores first, each source and each target n-gram used once, and
an n-gram nested in an already linked longer one with the same frequency is
skipped (it is only a piece of that term).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aligner.tokens import ENGLISH_STOPWORDS, HAN_RE, stem_english
from workbench.terms.recognise import zh_tokens

MIN_FREQUENCY = 2
MIN_DICE = 0.3
MAX_ZH_WORDS = 3
MAX_EN_WORDS = 6
#: Chinese function words and very general words that never start or end a term.
ZH_STOPWORDS = frozenset(
    [
        "的", "了", "在", "是", "和", "与", "及", "或", "也", "都", "就",
        "而", "又", "被", "把", "对", "从", "向", "将", "为", "以", "于",
        "这", "那", "其", "之", "着", "过", "等", "上", "下", "中", "我",
        "你", "他", "她", "它", "我们", "你们", "他们", "她们", "它们", "自己",
        "这个", "那个", "这些", "那些", "一个", "一些", "没有", "不是", "什么",
        "怎么", "可以", "因为", "所以", "但是", "如果", "虽然", "已经", "还是",
        "就是", "这样", "那样", "说", "道", "要", "会", "能", "有", "去",
        "来", "到", "让", "给", "很", "不", "没", "一", "个", "人", "时",
        "后", "里", "地", "得", "吗", "呢", "吧", "啊", "呀", "么", "便",
        "却", "只", "再", "还", "更", "最", "已", "并", "同时", "以及",
        "进行", "表示",
    ]
)  # fmt: skip
_EN_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")


@dataclass(frozen=True)
class Candidate:
    source: str
    target: str
    frequency: int  # sentence pairs holding both
    dice: float
    log_likelihood: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _zh_ngrams(text: str) -> dict[str, str]:
    words = [w for w, _, _ in zh_tokens(text)]
    grams: dict[str, str] = {}
    for i in range(len(words)):
        for n in range(1, MAX_ZH_WORDS + 1):
            piece = words[i : i + n]
            if len(piece) < n or not all(HAN_RE.search(w) for w in piece):
                break
            if piece[0] in ZH_STOPWORDS or piece[-1] in ZH_STOPWORDS:
                continue
            gram = "".join(piece)
            if len(gram) >= 2:
                grams[gram] = gram
    return grams


def _en_ngrams(text: str) -> dict[str, str]:
    """Stem keys (so "universities" and "university" count together) → surface form;
    a sentence-initial surface is marked with a leading "^" (its capital may be the
    sentence's, not the term's)."""
    words = _EN_TOKEN.findall(text)
    grams: dict[str, str] = {}
    for i in range(len(words)):
        for n in range(1, MAX_EN_WORDS + 1):
            piece = words[i : i + n]
            if len(piece) < n:
                break
            lowered = [w.lower() for w in piece]
            if lowered[0] in ENGLISH_STOPWORDS or lowered[-1] in ENGLISH_STOPWORDS:
                continue
            if n == 1 and (len(lowered[0]) < 3 or piece[0].isdigit()):
                continue
            key = " ".join(stem_english(w) for w in lowered)
            grams.setdefault(key, ("^" if i == 0 else "") + " ".join(piece))
    return grams


def _ngrams(text: str, lang: str) -> dict[str, str]:
    return _zh_ngrams(text) if lang.startswith("zh") else _en_ngrams(text)


def _g2(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's log-likelihood ratio of a 2×2 contingency table."""

    def h(*counts: int) -> float:
        total = sum(counts)
        return sum(c * math.log(c / total) for c in counts if c > 0)

    return 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))


def extract(
    pairs: Iterable[tuple[str, str]],
    source_lang: str,
    target_lang: str,
    *,
    min_frequency: int = MIN_FREQUENCY,
    min_dice: float = MIN_DICE,
    known: Sequence[str] = (),
) -> list[Candidate]:
    """Term candidates, best first; sources in ``known`` (already in the glossary) are left out."""
    source_count: Counter[str] = Counter()
    target_count: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    surfaces: dict[str, Counter[str]] = {}  # target key → surface forms, weighted
    n_pairs = 0
    for source, target in pairs:
        if not source.strip() or not target.strip():
            continue
        n_pairs += 1
        src = set(_ngrams(source, source_lang))
        tgt_map = _ngrams(target, target_lang)
        for key, surface in tgt_map.items():
            initial = surface.startswith("^")
            surfaces.setdefault(key, Counter())[surface.lstrip("^")] += 0.01 if initial else 1
        src = {s for s in src if s not in known}
        source_count.update(src)
        target_count.update(tgt_map.keys())
        together.update((s, t) for s in src for t in tgt_map)
    scored = []
    for (s, t), both in together.items():
        if both < min_frequency:
            continue
        dice = 2 * both / (source_count[s] + target_count[t])
        if dice < min_dice:
            continue
        g2 = _g2(
            both,
            source_count[s] - both,
            target_count[t] - both,
            n_pairs - source_count[s] - target_count[t] + both,
        )
        scored.append((dice, g2, both, s, t))
    # Ties go to the longest n-grams: "Dalian University of Technology" over "Dalian".
    scored.sort(key=lambda x: (-x[0], -x[1], -len(x[4].split()), -len(x[3])))
    linked_src: dict[str, int] = {}
    linked_tgt: dict[str, int] = {}
    out: list[Candidate] = []
    for dice, g2, both, s, t in scored:
        if s in linked_src or t in linked_tgt:
            continue
        if any(s in other and s != other and n == both for other, n in linked_src.items()):
            continue
        if any(_nested(t, other) and n == both for other, n in linked_tgt.items()):
            continue
        linked_src[s], linked_tgt[t] = both, both
        surface = surfaces[t].most_common(1)[0][0]
        out.append(Candidate(s, surface, both, round(dice, 3), round(g2, 1)))
    return out


def _nested(short: str, long: str) -> bool:
    return short != long and f" {short} " in f" {long} "
