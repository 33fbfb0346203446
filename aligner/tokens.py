"""Language-level token normalisation shared by the lexicon and the aligner.

English words are reduced to crude stems so that a dictionary gloss ("to beat")
and a running-text form ("beaten", "beats") meet on the same key; Chinese is
segmented with jieba. Both are deliberately cheap: they run on every sentence.
"""

from __future__ import annotations

import functools
import logging
import re

ENGLISH_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# One Han character: the BMP blocks and the supplementary ideograph planes.
HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"  # a regex class body
HAN_RE = re.compile(f"[{HAN_CHARS}]")

# Function words carry no translation evidence; glosses are full of them too.
_STOPWORD_TEXT = """
    a an the and or but if then than so as of to in on at by for from with without into onto
    upon about over under up down out off is am are was were be been being do does did done
    have has had having i me my mine myself you your yours yourself he him his himself she
    her hers herself it its itself we us our ours ourselves they them their theirs
    themselves this that these those there here what which who whom whose when where why how
    not no nor all any each both some such very too just can could will would shall should
    may might must also only own same other again once s t d ll m re ve sb sth sb's sth's
    one's oneself etc e g i.e eg ie lit fig esp used cl abbr variant old surname pr kind
    something someone somebody thing things classifier particle radical modal
"""
ENGLISH_STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

# Irregular forms of frequent English words, so "went" meets the gloss "to go".
IRREGULAR_FORMS: dict[str, str] = {
    "went": "go",
    "gone": "go",
    "goes": "go",
    "said": "say",
    "says": "say",
    "saw": "see",
    "seen": "see",
    "came": "come",
    "took": "take",
    "taken": "take",
    "got": "get",
    "gotten": "get",
    "made": "make",
    "knew": "know",
    "known": "know",
    "thought": "think",
    "told": "tell",
    "found": "find",
    "gave": "give",
    "given": "give",
    "left": "leave",
    "felt": "feel",
    "kept": "keep",
    "held": "hold",
    "stood": "stand",
    "sat": "sit",
    "ran": "run",
    "ate": "eat",
    "eaten": "eat",
    "drank": "drink",
    "drunk": "drink",
    "slept": "sleep",
    "spoke": "speak",
    "spoken": "speak",
    "wrote": "write",
    "written": "write",
    "brought": "bring",
    "bought": "buy",
    "began": "begin",
    "begun": "begin",
    "fell": "fall",
    "fallen": "fall",
    "heard": "hear",
    "met": "meet",
    "paid": "pay",
    "sent": "send",
    "spent": "spend",
    "built": "build",
    "lost": "lose",
    "led": "lead",
    "lay": "lie",
    "lain": "lie",
    "laid": "lay",
    "rose": "rise",
    "risen": "rise",
    "won": "win",
    "wore": "wear",
    "worn": "wear",
    "threw": "throw",
    "thrown": "throw",
    "flew": "fly",
    "flown": "fly",
    "drove": "drive",
    "driven": "drive",
    "rode": "ride",
    "ridden": "ride",
    "broke": "break",
    "broken": "break",
    "chose": "choose",
    "chosen": "choose",
    "forgot": "forget",
    "forgotten": "forget",
    "hid": "hide",
    "hidden": "hide",
    "struck": "strike",
    "fought": "fight",
    "caught": "catch",
    "taught": "teach",
    "sought": "seek",
    "sold": "sell",
    "understood": "understand",
    "became": "become",
    "men": "man",
    "women": "woman",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
    "people": "person",
    "mice": "mouse",
    "better": "good",
    "best": "good",
    "worse": "bad",
    "worst": "bad",
    "died": "die",
    "dying": "die",
    "lying": "lie",
    "wives": "wife",
    "lives": "life",
    "knives": "knife",
    "leaves": "leaf",
    "thieves": "thief",
}

_LONG_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "ments",
    "ment",
    "ness",
    "ingly",
    "edly",
    "ities",
    "ity",
    "ings",
    "ing",
    "ies",
    "ied",
    "ly",
    "ed",
    "es",
    "s",
)


@functools.lru_cache(maxsize=200_000)
def stem_english(word: str) -> str:
    """Crude suffix-stripping stem; the same function runs on glosses and text so they agree."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[word]
    if len(word) <= 4:
        return word.rstrip("s") if len(word) > 3 and not word.endswith("ss") else word
    for suffix in _LONG_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "ly" and word.endswith("ily"):
                continue  # "family", "daily": not an adverb suffix worth stripping
            stem = word[: -len(suffix)]
            if suffix in ("ies", "ied", "ities", "ity"):
                stem += "y" if suffix in ("ies", "ied") else ""
            elif suffix == "s" and stem.endswith("s"):
                return word  # "glass", "class"
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]  # "stopped" -> "stop"
            if stem.endswith("e") and len(stem) > 4:
                stem = stem[:-1]  # "believe"/"believing" -> "believ"
            return stem
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


def english_words(text: str) -> list[str]:
    """Surface English word tokens (letters and internal apostrophes)."""
    return ENGLISH_WORD_RE.findall(text)


def english_content_stems(text: str) -> list[str]:
    """Stems of the non-stopword English words in ``text``."""
    stems = []
    for word in ENGLISH_WORD_RE.findall(text):
        lowered = word.lower()
        if lowered in ENGLISH_STOPWORDS or len(lowered) < 2:
            continue
        stem = stem_english(lowered)
        if stem not in ENGLISH_STOPWORDS:
            stems.append(stem)
    return stems


@functools.lru_cache(maxsize=1)
def jieba_module():  # noqa: ANN201 - jieba has no type information
    """jieba, imported and initialised once per process (its dictionary takes about a
    second to load); everything that segments Chinese shares this one."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


#: jieba cuts text in blocks of Han characters, letters, digits and a few marks; its
#: HMM pass over a block of characters it has no words for grows with the square of
#: the block (20,000 of "的" took 3 s). Real text breaks far more often than this.
MAX_JIEBA_BLOCK = 200
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")  # jieba's own re_han_default


def jieba_words(text: str, hmm: bool = True) -> list[str]:
    """``jieba.lcut(text, HMM=hmm)`` in time linear in the text: a block longer than
    ``MAX_JIEBA_BLOCK`` (jieba would cut it alone anyway) is cut in pieces of that
    length. Text whose blocks are all shorter gives exactly jieba's words."""
    jieba = jieba_module()
    if len(text) <= MAX_JIEBA_BLOCK:
        return jieba.lcut(text, HMM=hmm)
    words: list[str] = []
    start = 0
    for block in _JIEBA_BLOCK.finditer(text):
        if block.end() - block.start() <= MAX_JIEBA_BLOCK:
            continue
        if start < block.start():
            words += jieba.lcut(text[start : block.start()], HMM=hmm)
        for piece in range(block.start(), block.end(), MAX_JIEBA_BLOCK):
            words += jieba.lcut(text[piece : min(piece + MAX_JIEBA_BLOCK, block.end())], HMM=hmm)
        start = block.end()
    if start < len(text):
        words += jieba.lcut(text[start:], HMM=hmm)
    return words


def segment_chinese(text: str) -> list[str]:
    """jieba words of ``text`` that contain at least one Han character."""
    return [word for word in jieba_words(text) if HAN_RE.search(word)]


def han_count(text: str) -> int:
    """Number of Han characters, the natural length unit for Chinese."""
    return len(HAN_RE.findall(text))


_WORD_CHAR = re.compile(r"\w")
_ENGLISH_WORD = re.compile(r"\w+(?:['’-]\w+)*")


@functools.lru_cache(maxsize=65536)
def word_count(text: str, lang: str) -> int:
    """Words as translators count them: jieba words for Chinese, words otherwise.

    Cached per sentence: a document's count after an edit re-segments only the
    edited sentence.
    """
    if not text:
        return 0
    if lang.startswith("zh"):
        return sum(1 for token in jieba_words(text) if _WORD_CHAR.search(token))
    return len(_ENGLISH_WORD.findall(text))
