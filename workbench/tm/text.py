"""TM text forms: the normalised key two sources share, scoring tokens, index keys,
and the token edit distance behind fuzzy scores."""

from __future__ import annotations

import math
import re
import unicodedata

from aligner.tokens import HAN_RE, jieba_words

#: Index keys carry the language so that zh and en tokens never meet.
SEP = ":"


_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_EN_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
_WORDLIKE = re.compile(r"\w")


def normalise(text: str) -> str:
    """The form two sources must share to be the same unit: NFKC, one space, no controls
    (nor lone surrogates, which SQLite cannot even take as a query)."""
    text = unicodedata.normalize("NFKC", _CONTROL.sub(" ", text or ""))
    return " ".join(text.split())


def tokens(text: str, lang: str) -> list[str]:
    """Scoring tokens: jieba words for Chinese, words and punctuation marks otherwise;
    lower-cased, whitespace dropped."""
    text = normalise(text).lower()
    if not text:
        return []
    if lang.startswith("zh") and HAN_RE.search(text):
        return [t for t in (w.strip() for w in jieba_words(text)) if t]
    return _EN_TOKEN.findall(text)


def index_keys(token_list: list[str], lang: str) -> set[str]:
    """Keys a unit is indexed under: its distinct word tokens (punctuation is not selective)."""
    base = lang.split("-")[0]
    return {f"{base}{SEP}{t}" for t in token_list if _WORDLIKE.search(t)}


def edit_distance(a: list[str], b: list[str]) -> int:
    """Levenshtein distance between token lists (Myers/Hyyrö bit-parallel: one pass over b).

    Why: lookup scores dozens of candidates per call; a bit-vector per token
    makes each comparison a few big-integer operations per token instead of a
    Python-level dynamic-programming table.
    """
    if not a:
        return len(b)
    if not b:
        return len(a)
    m = len(a)
    full = (1 << m) - 1
    last = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, token in enumerate(a):
        peq[token] = peq.get(token, 0) | (1 << i)
    pv, mv, score = full, 0, m
    for token in b:
        eq = peq.get(token, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score


def fuzzy_score(query_tokens: list[str], unit_tokens: list[str], identical: bool) -> int:
    """100 − edits/longer length, as CAT tools do; 100 is reserved for an identical source."""
    longest = max(len(query_tokens), len(unit_tokens))
    if longest == 0:
        return 100 if identical else 0
    score = math.floor(100 * (1 - edit_distance(query_tokens, unit_tokens) / longest))
    if identical:
        return 100
    return max(0, min(score, 99))
