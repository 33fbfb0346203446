"""Word pairs learned from the document's own first-pass alignment.

Translations render recurring names and terms in ways no dictionary lists
(韦小宝 → "Trinket", 海老公 → "Old Hai"). After a first alignment, a Chinese word
and an English stem that keep turning up in the same beads are very likely
translations of each other (Moore's aligner and Hunalign bootstrap their
dictionaries the same way), so they become extra lexicon keys and the text is
aligned again: the recurring names turn into anchors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from aligner.features import SentenceFeatures

# A pair must share at least this many beads, with a Dice coefficient of at least
# MIN_DICE: chance co-occurrence of two content words rarely passes both.
MIN_SHARED_BEADS = 3
MIN_DICE = 0.5


def _chinese_words(features: SentenceFeatures) -> set[str]:
    """Words of two or more characters: single characters are mostly function words."""
    return {
        unit for unit, _ in features.units if len(unit) >= 2 and not unit.startswith(("#", "lat:"))
    }


def _english_stems(features: SentenceFeatures) -> set[str]:
    return {unit for unit, _ in features.units if not unit.startswith("#")}


def learn_pairs(
    chinese: Sequence[SentenceFeatures],
    english: Sequence[SentenceFeatures],
    beads: Iterable[tuple[range, range]],
) -> dict[str, frozenset[str]]:
    """English stems each Chinese word keeps meeting in (Chinese, English) beads."""
    words: Counter[str] = Counter()
    stems: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    for chinese_range, english_range in beads:
        if not chinese_range or not english_range:
            continue
        bead_words = set().union(*(_chinese_words(chinese[i]) for i in chinese_range))
        bead_stems = set().union(*(_english_stems(english[j]) for j in english_range))
        words.update(bead_words)
        stems.update(bead_stems)
        together.update((word, stem) for word in bead_words for stem in bead_stems)
    learned: dict[str, set[str]] = {}
    for (word, stem), count in together.items():
        if count >= MIN_SHARED_BEADS and 2 * count / (words[word] + stems[stem]) >= MIN_DICE:
            learned.setdefault(word, set()).add(stem)
    return {word: frozenset(found) for word, found in learned.items()}


def with_learned_keys(
    features: Sequence[SentenceFeatures], pairs: dict[str, frozenset[str]]
) -> list[SentenceFeatures]:
    """Chinese sentence features whose words also accept their learned English stems."""
    out = []
    for sentence in features:
        if all(unit not in pairs for unit, _ in sentence.units):
            out.append(sentence)
            continue
        units = tuple((unit, keys | pairs.get(unit, frozenset())) for unit, keys in sentence.units)
        out.append(
            SentenceFeatures(
                units=units,
                keys=sentence.keys.union(*(keys for _, keys in units)),
                length=sentence.length,
                punctuation=sentence.punctuation,
            )
        )
    return out
