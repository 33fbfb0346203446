"""The neutral translation record shared by every interchange format.

TMX, XLIFF and CSV/TSV writers and readers all speak ``TranslationUnit`` so that
storage and the CLI never need to know a file format's quirks.  Language codes
are kept in the short form the database stores ("en", "zh", "zh-Hant"); the
writers map them to full tags on the way out and ``normalize_lang`` maps the
many spellings other tools use back on the way in.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from workbench.formats.inline import Coded

#: How stored codes are written as ``xml:lang`` unless the caller says otherwise.
DEFAULT_LANG_TAGS: dict[str, str] = {"en": "en-US", "zh": "zh-CN"}

#: Our review statuses, in workflow order.
STATUSES: tuple[str, ...] = ("new", "draft", "translated", "approved", "rejected")


@dataclass
class TranslationUnit:
    """One source/target pair with the metadata other CAT tools exchange."""

    source: str
    target: str
    source_lang: str  # stored short code: "en", "zh" (or "zh-Hant" from imports)
    target_lang: str
    tuid: str | None = None
    created: datetime | None = None  # timezone-aware UTC
    changed: datetime | None = None
    creator: str | None = None
    changer: str | None = None
    props: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: Props as the file wrote them (type kept verbatim, repeats kept); written back as they are.
    #: (How a file spelled things does not make two units different: not compared.)
    prop_list: list[tuple[str, str]] = field(default_factory=list, compare=False)
    #: Other ``<tu>`` attributes as written (segtype, usagecount, o-tmf …).
    attrs: dict[str, str] = field(default_factory=dict)
    #: ``xml:lang`` as written (``en-GB``, ``zh-TW``); None: write the default tag.
    source_tag: str | None = field(default=None, compare=False)
    target_tag: str | None = field(default=None, compare=False)
    #: The texts with inline codes (``formats.inline``); ``source``/``target`` are plain.
    source_coded: Coded | None = None
    target_coded: Coded | None = None


class InterchangeError(ValueError):
    """A file that cannot be imported; carries the position so the user can fix it."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        where = ""
        if line is not None:
            where = f"line {line}" + (f", column {column}" if column is not None else "") + ": "
        super().__init__(where + message)


# Chinese tags that mean Traditional script (region or script subtag).
_HANT_SUBTAGS = {"hant", "tw", "hk", "mo", "cht", "zh-hant"}
_HANS_SUBTAGS = {"hans", "cn", "sg", "my", "chs"}
_CHINESE_PRIMARY = {"zh", "cmn", "chi", "zho"}


@functools.lru_cache(maxsize=512)
def normalize_lang(tag: str | None) -> str:
    """Map a language tag as other tools write it to the code we store.

    Why: TMX/XLIFF files in the wild spell the same language many ways
    (``ZH-CN``, ``zh_CN``, ``zh-Hans``, ``zh-CHS``, ``EN-GB``); storage must see
    one code per language.  Rules: any English variant → ``"en"``; Chinese in
    Simplified script or a Simplified region (CN, SG, MY) or with no subtag →
    ``"zh"``; Chinese with ``Hant`` or a Traditional region (TW, HK, MO) or the
    legacy ``zh-CHT`` → ``"zh-Hant"`` (kept apart, never silently merged);
    anything else → lower-case language, title-case script, upper-case region.
    """
    if not tag:
        return ""
    parts = [p for p in re.split(r"[-_]", tag.strip()) if p]
    if not parts:
        return ""
    primary = parts[0].lower()
    rest = [p.lower() for p in parts[1:]]
    if primary == "en" or primary == "eng":
        return "en"
    if primary in _CHINESE_PRIMARY:
        # Script subtag wins over region: zh-Hant-CN is still Traditional script.
        if "hant" in rest or "cht" in rest:
            return "zh-Hant"
        if "hans" in rest or "chs" in rest:
            return "zh"
        if any(p in _HANT_SUBTAGS for p in rest):
            return "zh-Hant"
        return "zh"
    out = [primary]
    for p in parts[1:]:
        if len(p) == 4 and p.isalpha():
            out.append(p.title())
        elif (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit()):
            out.append(p.upper())
        else:
            out.append(p.lower())
    return "-".join(out)


def to_utc(value: datetime) -> datetime:
    """Return an aware UTC datetime; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Remove characters XML 1.0 cannot carry at all, even as character references.

    Why: one stray control character (common in text pasted from PDFs or old
    Word files) makes the whole TMX/XLIFF unreadable for every other tool.
    Removed: C0 controls except tab/LF/CR, lone surrogates, U+FFFE and U+FFFF.
    """
    return _XML_ILLEGAL.sub("", text)
