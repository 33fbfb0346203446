"""Traditional or Simplified Chinese: which one a text is written in, and a Simplified copy.

The MT models and the aligner's dictionary know Simplified Chinese, so a
Traditional text is converted with OpenCC (phrase-aware, e.g. 資料→资料 and
軟體→软件 stay words) for them only; what is stored and exported stays exactly
as written, tagged zh-Hant (or the region tag the user gave: zh-TW, zh-HK).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

TRADITIONAL_TAGS = ("zh-Hant", "zh-TW", "zh-HK", "zh-MO")
MIN_SIGNS = 3  # characters only one script has, needed to call a text Traditional
TRADITIONAL_SHARE = 0.8  # of those characters, the share that must be Traditional


@lru_cache(maxsize=1)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


@lru_cache(maxsize=65536)
def _script(ch: str) -> str:
    """ "Hant" for a character only Big5 has (灣, 經), "Hans" for one only GB2312 has
    (湾, 经), "" for the many both share (的, 台) or neither."""
    in_gb = _encodable(ch, "gb2312")
    in_big5 = _encodable(ch, "big5") or _encodable(ch, "cp950")
    return "Hant" if in_big5 and not in_gb else "Hans" if in_gb and not in_big5 else ""


def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def is_traditional(text: str) -> bool:
    """True when the text's script-specific characters are mostly Traditional.

    The two national character sets decide: a character Big5 has and GB2312 has
    not is Traditional (灣, 經), the reverse Simplified (湾, 经); the many both
    share (的, 台, 后) count for neither. A share, not an absence, decides, since
    a Traditional text may quote a Simplified name.
    """
    traditional = simplified = 0
    for ch in text:
        if _is_han(ch):
            script = _script(ch)
            traditional += script == "Hant"
            simplified += script == "Hans"
    signs = traditional + simplified
    return traditional >= MIN_SIGNS and traditional >= TRADITIONAL_SHARE * signs


def to_simplified(texts: Sequence[str]) -> list[str]:
    """Simplified copies of Traditional texts (one conversion call per text)."""
    converter = _converter("t2s")
    return [converter.convert(text) for text in texts]


def language_tag(
    language: str, text: str, given: str | None = None, declared: str | None = None
) -> str:
    """The tag a document's side carries: ``given`` (by the user) when it names the
    same language (zh-TW for a zh text); else ``declared`` (by the file, e.g.
    ``<html lang="zh-HK">``, ``en-GB``) when it fits the text's language and script;
    else zh-Hant for Traditional Chinese, else the code.

    Raises ValueError when ``given`` names another language than the text's; a
    declaration that does not fit is ignored (pages often declare a template's).
    """
    if given:
        primary = given.split("-")[0].lower()
        if primary != language:
            raise ValueError(f"language tag {given} does not fit the text, which is in {language}")
        return given
    traditional = language == "zh" and is_traditional(text)
    fits = declared and declared.split("-")[0].lower() == language
    if fits and (language != "zh" or needs_simplified(declared) == traditional):
        return declared
    return "zh-Hant" if traditional else language


def declared_language(html: str) -> str | None:
    """The language an HTML or XHTML page declares on its root element, if any."""
    match = _HTML_LANG.search(html[:8192])
    return match.group(1) if match else None


_HTML_LANG = re.compile(
    r"""<html\b[^>]*?\b(?:xml:)?lang\s*=\s*["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)""", re.I
)


def needs_simplified(tag: str) -> bool:
    """A side whose MT and dictionary look-ups go through a Simplified copy."""
    return tag in TRADITIONAL_TAGS or tag.lower().startswith("zh-hant")


def machine_copy(texts: list[str], tags: dict[str, str], side: str = "source") -> list[str]:
    """What MT reads for a side: a Simplified copy when it is written in Traditional."""
    tag = tags.get(f"{side}_tag")
    return to_simplified(texts) if tag and needs_simplified(tag) else texts
