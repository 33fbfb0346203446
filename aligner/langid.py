"""Tell Chinese from English, and refuse text that is neither or is damaged.

The product only handles zh and en, so the useful question is not "which of
200 languages" but "is this plausibly readable zh or en text at all?". Wrongly
decoded uploads are the common failure: a GBK file read as Latin-1 or UTF-8
looks like text to Python but is garbage to a translator, so we say so early
and clearly instead of aligning noise.
"""

from __future__ import annotations

import re

from aligner.tokens import HAN_RE

__all__ = ["detect_language"]


def _words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string, for readability."""
    return frozenset(text.split())


# Large inputs are judged on a sample; damage is searched for everywhere.
_SAMPLE_CHARS = 200_000

_LATIN_LETTER = re.compile(r"[A-Za-z]")
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")  # excludes ・ and ー, which Chinese uses
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_OTHER_LETTER = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0900-\u0dff\u0e00-\u0e7f\u10a0-\u10ff]"
)
# Control characters that never occur in text (tab, newlines, form feed are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_REPLACEMENT = re.compile(r"[\ufffd\ud800-\udfff]")  # U+FFFD and lone surrogates
# Characters from Latin-1 Supplement/cp1252 punctuation, in runs of two or
# more: what multi-byte GBK or UTF-8 looks like when read as a single-byte code page.
_HIGH_LATIN_RUN = re.compile(
    r"[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{2,}"
)
_HIGH_LATIN = re.compile(r"[\u00c0-\u00ff]")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f']+")

# Frequent function words, to tell English from other Latin-script languages.
_ENGLISH_WORDS = _words(
    """the of and to in a is that for it as with was on by be are this at from or an have not
    has were which but they his he she their its been will would there can we you more also
    than who one all had about into said after new two other over when"""
)
_OTHER_LATIN_WORDS = _words(
    """le la les des du et est une dans pour qui que pas sur avec sont au aux ces cette der die
    das und ist nicht ein eine mit den dem von zu sich auf für ich el los las del en y que por
    con una para es lo al se il di che non della per sono gli nel het een van dat zijn ook niet
    och att det som på är og er ikke jeg de em um uma não os do da ao às são"""
)

# One Han character carries roughly as much text as three to four Latin letters.
_HAN_WEIGHT = 3.0


def _mojibake_reason(text: str) -> str | None:
    """Explain why ``text`` looks like bytes decoded with the wrong codec, else None."""
    runs = _HIGH_LATIN_RUN.findall(text)
    run_chars = sum(len(run) for run in runs)
    visible = sum(1 for char in text if not char.isspace()) or 1
    if run_chars >= 4 and run_chars / visible > 0.15:
        sample = "".join(runs)[:400]
        for single_byte in ("latin-1", "cp1252"):
            try:
                raw = sample.encode(single_byte)
            except UnicodeEncodeError:
                continue
            for codec in ("utf-8", "gb18030"):
                try:
                    decoded = raw.decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(HAN_RE.findall(decoded)) >= max(2, len(decoded) // 4):
                    return f"it looks like {codec.upper()} text that was decoded as {single_byte}"
        return "it is full of accented Latin-1 characters in runs, typical of a wrong encoding"
    # UTF-8 read as GBK turns every three bytes into rare Han characters; the
    # damage is reversible, which ordinary Chinese text almost never is.
    han_runs = re.findall(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]{6,}", text[:_SAMPLE_CHARS])
    reversible = 0
    for run in han_runs[:200]:
        try:
            decoded = run.encode("gbk").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if HAN_RE.search(decoded):
            reversible += 1
    if han_runs and reversible >= max(2, len(han_runs[:200]) // 2):
        return "it looks like UTF-8 text that was decoded as GBK"
    return None


def detect_language(text: str) -> str:
    """Return "zh" or "en" for ``text``.

    Raises ValueError, with a message a user can act on, when the text is
    empty, looks binary or wrongly decoded, or is neither Chinese nor English.
    """
    if not text or not text.strip():
        raise ValueError("cannot detect the language of empty text")
    length = len(text)
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(2, length // 1000):
        raise ValueError(
            f"text contains {controls} control characters: it looks like a binary file, not text"
        )
    replacements = len(_REPLACEMENT.findall(text))
    if replacements > max(2, length // 1000):
        raise ValueError(
            f"text contains {replacements} U+FFFD replacement characters: it was decoded with "
            "the wrong encoding (try GBK/GB18030 or UTF-8)"
        )
    sample = text if length <= _SAMPLE_CHARS else _spread_sample(text)
    reason = _mojibake_reason(sample)
    if reason:
        raise ValueError(f"text looks garbled: {reason}; re-open the file with the right encoding")

    han = len(HAN_RE.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    kana = len(_KANA.findall(sample))
    hangul = len(_HANGUL.findall(sample))
    other = len(_OTHER_LETTER.findall(sample)) + len(_HIGH_LATIN.findall(sample))
    if kana > max(2, 0.05 * (han + kana)):
        raise ValueError("text looks Japanese (kana), but only Chinese and English are supported")
    if hangul > 0.2 * (han + latin + hangul):
        raise ValueError("text looks Korean, but only Chinese and English are supported")
    if han == 0 and latin == 0:
        raise ValueError("text has no Chinese or English letters")
    if other > 0.3 * (han + latin + other):
        raise ValueError("text is in neither Chinese nor English (other script dominates)")
    if han * _HAN_WEIGHT >= latin:
        return "zh"
    words = [word.lower() for word in _WORD.findall(sample[:50_000])]
    english = sum(1 for word in words if word in _ENGLISH_WORDS)
    foreign = sum(1 for word in words if word in _OTHER_LATIN_WORDS and word not in _ENGLISH_WORDS)
    accented = len(_HIGH_LATIN.findall(sample))
    if foreign >= 3 and foreign > 2 * english:
        raise ValueError("text looks like a Latin-script language other than English")
    if latin >= 200 and accented > 0.03 * latin and english < 0.02 * len(words):
        raise ValueError("text looks like a Latin-script language other than English")
    return "en"


def _spread_sample(text: str, pieces: int = 8) -> str:
    """Take evenly spaced slices so a long file is judged on all of its parts."""
    size = _SAMPLE_CHARS // pieces
    step = max(size, (len(text) - size) // (pieces - 1))
    return "".join(text[start : start + size] for start in range(0, len(text), step)[:pieces])
