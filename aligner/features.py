"""Per-sentence evidence for alignment: lexical keys, anchors, punctuation, length.

Every sentence becomes a :class:`SentenceFeatures`. Chinese sentences carry, per
content word, the set of English keys it may translate to (CC-CEDICT stems,
pinyin spellings for names, numbers, Latin-script tokens); English sentences carry
their own keys in the same space. Pairwise scores in :mod:`aligner.similarity`
are intersections in that shared key space.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.lexicon import Lexicon, load_lexicon
from aligner.tokens import (
    ENGLISH_STOPWORDS,
    ENGLISH_WORD_RE,
    HAN_RE,
    segment_chinese,
    stem_english,
)

_ARABIC_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_CHINESE_NUMBER_RE = re.compile(r"[零〇一二两三四五六七八九十百千万亿]{2,}|[十百千万]")
_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                   "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_ENGLISH_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "million": 1_000_000,
}  # fmt: skip
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'.-]*")

# Punctuation whose presence is usually preserved by translators: counted per sentence.
PUNCTUATION_CLASSES: dict[str, str] = {
    "question": "?？",
    "exclamation": "!！",
    "quote": '“”"「」『』',
    "colon": ":：",
    "ellipsis": "…",
}
_QUOTE_CLASS = list(PUNCTUATION_CLASSES).index("quote")
# British-style single quotation marks ('Hello!' he said): an apostrophe-like mark opening a
# word after a space or line start, or closing after sentence punctuation. Apostrophes
# inside words (don't, Trinket's) and plural possessives (the boys' room) do not count.
_SINGLE_QUOTE_RE = re.compile(
    r"(?:^|(?<=[\s(\[—-]))['‘](?=[A-Za-z0-9])|(?<=[.!?,;:…—-])['’](?=\s|$|[)\]])"
)
# Numbers and names are rarer and far more reliable than ordinary vocabulary.
ANCHOR_WEIGHT_BOOST = 2.0


@dataclass(frozen=True)
class SentenceFeatures:
    """What the aligner knows about one sentence, language-independently shaped.

    ``units`` are the counted content units: for Chinese, (word, its English keys);
    for English, (stem, {stem}). ``keys`` is the union of all keys (the sentence's
    footprint in the shared English key space).
    """

    units: tuple[tuple[str, frozenset[str]], ...]
    keys: frozenset[str]
    length: int
    punctuation: tuple[int, ...]


def chinese_numeral_value(text: str) -> int | None:
    """Value of a Chinese numeral such as 三十五 or 一九八四 (digit-by-digit years)."""
    if all(char in _CHINESE_DIGITS for char in text):
        return int("".join(str(_CHINESE_DIGITS[char]) for char in text)) if len(text) > 1 else None
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[char]
        elif char in ("万", "亿"):
            section = (section + digit) * _CHINESE_UNITS[char]
            total, section, digit = total + section, 0, 0
        else:
            section += (digit or 1) * _CHINESE_UNITS[char]
            digit = 0
    return total + section + digit


def number_keys_zh(text: str) -> set[str]:
    keys = {"#" + n.replace(",", "") for n in _ARABIC_NUMBER_RE.findall(text)}
    for match in _CHINESE_NUMBER_RE.findall(text):
        value = chinese_numeral_value(match)
        if value is not None and value >= 2:
            keys.add(f"#{value}")
    return keys


def number_keys_en(text: str) -> set[str]:
    keys = {"#" + n.replace(",", "") for n in _ARABIC_NUMBER_RE.findall(text)}
    for word in ENGLISH_WORD_RE.findall(text):
        value = _ENGLISH_NUMBERS.get(word.lower())
        if value is not None:
            keys.add(f"#{value}")
    return keys


def punctuation_counts(text: str) -> tuple[int, ...]:
    counts = [sum(text.count(char) for char in chars) for chars in PUNCTUATION_CLASSES.values()]
    counts[_QUOTE_CLASS] += len(_SINGLE_QUOTE_RE.findall(text))
    return tuple(counts)


def chinese_length(text: str) -> int:
    """Han characters plus Latin letters/digits: the unit Gale–Church counts for Chinese."""
    return sum(1 for char in text if not char.isspace() and char.isalnum())


def english_length(text: str) -> int:
    return sum(1 for char in text if char.isalnum())


def _name_keys_zh(word: str, lexicon: Lexicon) -> set[str]:
    """Pinyin keys for a possible transliterated name (whole word, surname, given name)."""
    if not 2 <= len(word) <= 4:
        return set()
    keys: set[str] = set()
    for spelling in lexicon.pinyin_spellings(word):
        keys.add("py:" + spelling)
    if len(word) == 3:
        for spelling in lexicon.pinyin_spellings(word[1:]):
            keys.add("py:" + spelling)
    return keys


def _english_units(text: str) -> dict[str, set[str]]:
    """Content stems as units; a capitalised word also offers pinyin-like name keys.

    Adjacent capitalised words add their concatenation ("Chen Qingyang" → chenqingyang).
    """
    units: dict[str, set[str]] = {}
    previous = ""
    for word in ENGLISH_WORD_RE.findall(text):
        lowered = word.lower()
        if lowered in ENGLISH_STOPWORDS or len(lowered) < 2:
            previous = ""
            continue
        stem = stem_english(lowered)
        if stem in ENGLISH_STOPWORDS:
            previous = ""
            continue
        keys = units.setdefault(stem, {stem})
        if word[0].isupper():
            flat = lowered.replace("'", "").replace("’", "")
            keys.add("py:" + flat)
            if previous:
                keys.add("py:" + previous + flat)
            previous = flat
        else:
            previous = ""
    for number in number_keys_en(text):
        units[number] = {number}
    return units


@functools.lru_cache(maxsize=100_000)
def chinese_word_keys(word: str) -> frozenset[str]:
    """English keys a Chinese word may meet: gloss stems and pinyin name spellings."""
    lexicon = load_lexicon()
    return lexicon.translations(word) | _name_keys_zh(word, lexicon)


def chinese_features(text: str) -> SentenceFeatures:
    """Features of a Chinese sentence: each content word with its possible English keys."""
    units: dict[str, frozenset[str]] = {}
    for word in segment_chinese(text):
        if word in units:
            continue
        keys = chinese_word_keys(word)
        if keys:
            units[word] = keys
    for number in number_keys_zh(text):
        units[number] = frozenset({number})
    for token in _LATIN_TOKEN_RE.findall(text):
        lowered = token.lower()
        if lowered not in ENGLISH_STOPWORDS:
            units["lat:" + lowered] = frozenset({stem_english(lowered), "py:" + lowered})
    all_keys: set[str] = set()
    for keys in units.values():
        all_keys.update(keys)
    return SentenceFeatures(
        units=tuple(units.items()),
        keys=frozenset(all_keys),
        length=chinese_length(text),
        punctuation=punctuation_counts(text),
    )


def english_features(text: str) -> SentenceFeatures:
    """Features of an English sentence: content stems, name keys and numbers."""
    units = _english_units(text)
    all_keys: set[str] = set()
    for keys in units.values():
        all_keys.update(keys)
    return SentenceFeatures(
        units=tuple((unit, frozenset(keys)) for unit, keys in sorted(units.items())),
        keys=frozenset(all_keys),
        length=english_length(text),
        punctuation=punctuation_counts(text),
    )


def chinese_mt_features(text: str) -> SentenceFeatures:
    """Monolingual Chinese features for comparing an MT output with a Chinese sentence.

    Han character unigrams and bigrams: robust to segmentation differences, like chrF.
    """
    chars = [char for char in text if HAN_RE.match(char)]
    keys = set(chars) | {a + b for a, b in zip(chars, chars[1:], strict=False)}
    keys |= number_keys_zh(text)
    return SentenceFeatures(
        units=tuple((key, frozenset({key})) for key in sorted(keys)),
        keys=frozenset(keys),
        length=chinese_length(text),
        punctuation=punctuation_counts(text),
    )


def unit_weights(features: Sequence[SentenceFeatures]) -> dict[str, float]:
    """Inverse document frequency of each unit over the sentences of one text.

    Estimated from the input itself, so it adapts to the document's vocabulary.
    """
    document_frequency: Counter[str] = Counter()
    for sentence in features:
        document_frequency.update(unit for unit, _ in sentence.units)
    total = len(features) + 1
    weights = {}
    for unit, frequency in document_frequency.items():
        weight = math.log(total / frequency) + 0.5
        if unit.startswith(("#", "lat:")) or unit.startswith("py:"):
            weight *= ANCHOR_WEIGHT_BOOST
        weights[unit] = weight
    return weights
