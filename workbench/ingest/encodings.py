"""Which encoding a text or HTML file is in, by evidence strongest first.

A byte-order mark beats a charset the file declares (``<meta charset>``, the XML
declaration), which beats strict UTF-8 validity; only then are the legacy
encodings Chinese and Western users meet (GB18030, a superset of GBK and GB2312,
Big5, UTF-16 without a BOM, Windows-1252) weighed against each other. Every
candidate that decodes strictly is scored by how plausible its text is: for the
Chinese ones the share of *common* Han characters (GB2312 level 1 and Big5 level
1, both lists of frequent characters), because a wrong double-byte decoding
yields rare characters, kana, Cyrillic or private-use code points instead. When
no candidate clearly wins (a few characters that read as well in GB18030 as in
Big5), the file is refused with that reason rather than guessed at.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Names a user or a page may give, mapped to the decoder that reads them fully.
ALIASES = {
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb-2312": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "iso-8859-1": "windows-1252",  # as browsers read it (the WHATWG encoding standard)
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "utf-8",
    "big5": "big5",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5",
    "utf8": "utf-8",
    "unicode": "utf-16",
}
# The choices offered where a user picks one (the upload form); "auto" detects.
CHOICES = (
    "auto",
    "utf-8",
    "gb18030",
    "gbk",
    "big5",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "windows-1252",
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = (
    re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I),
    re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I),
)
SAMPLE_BYTES = 256 * 1024  # enough evidence; keeps detection bounded on large files
MIN_SCORE = 0.85  # the winner's share of plausible characters (real text: over 0.95)
# UTF-16 counts every character, and any two ASCII letters make a Han character there
MIN_WIDE_SCORE = 0.9
# ... and its lead over the runner-up: at least MARGIN_CHARS characters' worth of
# plausibility (a wrong double-byte decoding reads ~60% of characters as common,
# so three clear characters of a short text already decide) and MIN_MARGIN overall
MARGIN_CHARS = 3
MIN_MARGIN = 0.05
MIN_EVIDENCE = 4  # non-ASCII characters needed to tell candidates apart


class EncodingUnknown(ValueError):
    """The bytes' encoding cannot be decided; the message says why."""


@dataclass(frozen=True)
class Detection:
    """The encoding used and how it was decided, for the user and the document."""

    encoding: str
    how: str  # "given", "BOM", "declared", "UTF-8", "detected"
    detail: str = ""

    def describe(self) -> str:
        said = {
            "given": "as given",
            "BOM": "byte-order mark",
            "declared": "declared in the file",
            "UTF-8": "valid UTF-8",
            "detected": "detected",
        }[self.how]
        return f"{self.encoding} ({said}{': ' + self.detail if self.detail else ''})"

    def as_metadata(self) -> dict:
        return {"encoding": self.encoding, "encoding_how": self.how}


def canonical(name: str) -> str:
    """The decoder for an encoding name, GBK and GB2312 read as GB18030; LookupError if none."""
    key = name.strip().lower().replace("_", "-")
    key = ALIASES.get(key, ALIASES.get(key.replace("-", ""), key))
    codec = codecs.lookup(key).name
    return {"gbk": "gb18030", "gb2312": "gb18030", "cp1252": "windows-1252"}.get(codec, key)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or an XML declaration names near the top, if any."""
    head = data[:4096]
    for pattern in _DECLARED:
        match = pattern.search(head)
        if match:
            return match.group(1).decode("ascii")
    return None


def detect(data: bytes, *, markup: bool = False) -> Detection:
    """The encoding of ``data``; EncodingUnknown when it stays ambiguous or is not text.

    ``markup``: the bytes are HTML or XML, so a declared charset counts.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Detection(name, "BOM")
    sample = _sample(data)
    if markup:
        declared = declared_charset(data)
        if declared:
            found = _declared(data, declared)
            if found:
                return found
    if b"\x00" in sample:
        return _utf16(sample)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Detection("utf-8", "UTF-8")
    return _legacy(data, sample)


def _sample(data: bytes) -> bytes:
    """The first SAMPLE_BYTES, cut back so no multi-byte character is split (roughly)."""
    if len(data) <= SAMPLE_BYTES:
        return data
    cut = data[:SAMPLE_BYTES]
    newline = cut.rfind(b"\n", SAMPLE_BYTES // 2)
    return cut[: newline + 1] if newline > 0 else cut


def _declared(data: bytes, declared: str) -> Detection | None:
    """The declared charset when it reads the bytes; a wrong declaration is ignored."""
    try:
        name = canonical(declared)
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # a declaration readable as ASCII cannot be in UTF-16 (the HTML rule)
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return None
    return Detection(name, "declared", f"charset={declared}")


def _utf16(sample: bytes) -> Detection:
    """NUL bytes: UTF-16 without a BOM when one byte order reads as text, else binary."""
    scores = {
        name: _score(text, name)
        for name in ("utf-16-le", "utf-16-be")
        if (text := _strict(sample[: len(sample) // 2 * 2], name)) is not None
    }
    best = max(scores, key=scores.get, default=None)
    if best is None or scores[best] < MIN_WIDE_SCORE:
        raise EncodingUnknown("looks like a binary file (it contains NUL bytes and is not UTF-16)")
    return Detection(best, "detected", f"no BOM; {_percent(scores[best])} plausible characters")


def _legacy(data: bytes, sample: bytes) -> Detection:
    """Weigh GB18030, Big5, Windows-1252, UTF-16 (for an even length) and
    charset-normalizer's guess on ``sample``, the start of ``data``."""
    candidates = ["gb18030", "big5", "windows-1252"]
    if len(data) % 2 == 0:
        candidates += ["utf-16-le", "utf-16-be"]
    guess = _normalizer_guess(sample)
    if guess and guess not in candidates:
        candidates.append(guess)
    scores: dict[str, float] = {}
    evidence: dict[str, int] = {}
    for name in candidates:
        text = _decode_family(sample, name)
        if text is None:
            continue
        scores[name] = _score(text, name)
        evidence[name] = sum(1 for ch in text if ord(ch) > 127)
    if not scores:
        raise EncodingUnknown(
            "not UTF-8, and it does not decode as GB18030, Big5, UTF-16 or Windows-1252:"
            " is it a text file? If so, pass its encoding (--encoding, or the upload"
            " form's Encoding)"
        )
    ranked = sorted(scores, key=scores.get, reverse=True)
    best = ranked[0]
    second = ranked[1] if len(ranked) > 1 else None
    margin = scores[best] - (scores[second] if second else 0.0)
    if scores[best] < (MIN_WIDE_SCORE if best.startswith("utf-16") else MIN_SCORE):
        raise EncodingUnknown(
            f"not UTF-8, and no encoding reads it as text (best: {best},"
            f" {_percent(scores[best])} plausible characters); is it a text file?"
            " If so, pass its encoding"
        )
    needed = max(MIN_MARGIN, MARGIN_CHARS / max(evidence[best], 1))
    if second and (margin < needed or evidence[best] < MIN_EVIDENCE):
        raise EncodingUnknown(
            f"cannot tell its encoding: it reads as {best} ({_percent(scores[best])} plausible)"
            f" and as {second} ({_percent(scores[second])}); too little text to decide."
            f" Pass the encoding (e.g. --encoding {best})"
        )
    detail = f"{_percent(scores[best])} plausible characters"
    if second:
        detail += f"; {second} {_percent(scores[second])}"
    return Detection(_decoder(data, best), "detected", detail)


def _normalizer_guess(sample: bytes) -> str | None:
    """charset-normalizer's best guess, mapped to our decoder names (None if it has none)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(sample[:65536]).best()
    if best is None:
        return None
    try:
        name = canonical(best.encoding)
    except LookupError:
        return None
    if name in ("big5hkscs", "cp950"):
        return "big5"
    return name


def _strict(data: bytes, name: str) -> str | None:
    try:
        return data.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_family(data: bytes, name: str) -> str | None:
    """Big5 as written by Windows (cp950) or with the Hong Kong set when plain Big5 fails."""
    if name.startswith("utf-16"):
        return _strict(data[: len(data) // 2 * 2], name)
    if name != "big5":
        return _strict(data, name)
    for variant in ("big5", "cp950", "big5hkscs"):
        text = _strict(data, variant)
        if text is not None:
            return text
    return None


def _decoder(data: bytes, name: str) -> str:
    if name != "big5":
        return name
    variants = ("big5", "cp950", "big5hkscs")
    return next((v for v in variants if _strict(data, v) is not None), "big5")


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


@lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """Frequent Han characters: GB2312 level 1 (3755 simplified) and Big5 level 1
    (5401 traditional), both ordered lists of the characters in daily use."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            if (text := _strict(bytes((lead, trail)), "gb2312")) is not None:
                chars.add(text)
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            if (lead, trail) >= (0xC6, 0x7F):
                break
            if (text := _strict(bytes((lead, trail)), "big5")) is not None:
                chars.add(text)
    return frozenset(chars)


_TYPOGRAPHY = set("“”‘’–—…€•©®°±×£§¶·«»¿¡™")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


def _cjk_punctuation(ch: str) -> bool:
    return "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or ch in _TYPOGRAPHY


def _score(text: str, name: str) -> float:
    """The share of characters that a real text in this encoding would hold.

    Windows-1252: non-ASCII letters inside Latin words and typographic marks.
    The others: common Han characters and CJK punctuation count fully, rare Han
    characters half, and anything else (kana, Cyrillic, private use, unassigned,
    controls) not at all. UTF-16 decodings count their ASCII too, since there it
    is evidence rather than the bytes every candidate shares.
    """
    wide = name.startswith("utf-16")
    common = common_han()
    total = good = 0.0
    for index, ch in enumerate(text):
        code = ord(ch)
        if code < 128:
            if not wide:
                continue
            total += 1
            good += ch.isprintable() or ch in "\n\r\t"
            continue
        total += 1
        if name == "windows-1252":
            if ch in _TYPOGRAPHY or ch.isalpha() and _latin_neighbour(text, index):
                good += 1
        elif ch in common or _cjk_punctuation(ch):
            good += 1
        elif _is_han(ch):
            good += 0.5
        elif wide:
            good += "\u00c0" <= ch <= "\u00ff" and ch.isalpha()  # accented Latin-1 letters
        elif unicodedata.category(ch) not in ("Cn", "Co", "Cs", "Cc") and name not in (
            "gb18030",
            "big5",
        ):
            good += 0.5  # another script charset-normalizer proposed: no Han evidence either way
    return good / total if total else 0.0


def _latin_neighbour(text: str, index: int) -> bool:
    """An accented letter in a Western text has an ASCII letter next to it."""
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
