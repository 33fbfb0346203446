"""Latin-script names (acronyms, product names) the target should keep as they are."""

from __future__ import annotations

import re
import unicodedata

from workbench.review.qa.base import QaFlag, register, shortened

_LATIN_TOKEN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9&.'’-]*[A-Za-z0-9]|(?<![A-Za-z])[A-Z]\b"
)
_EN_NAME_LIKE = re.compile(r"^(?:[A-Z0-9&]{2,}|[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z]*[A-Z][A-Za-z]*)$")
_IGNORED_NAMES = frozenset({"AM", "PM", "OK", "I", "A"})
# Acronyms a Chinese translation normally renders in Chinese (美国, 联合国, 国内生产总值).
_COMMONLY_TRANSLATED = frozenset(
    {
        "USA", "US", "UK", "UN", "EU", "GDP", "FBI", "CIA", "NASA", "WHO", "NATO", "MP", "MPS",
        "ISIS", "GMT", "UNESCO", "WTO", "IMF", "AIDS", "HIV", "COVID", "CEO", "TV", "DNA", "USD",
        "AUD", "EUR", "GBP", "RMB", "CPC", "PRC", "NPC", "CPPCC", "UAE", "USSR", "BC", "BCE",
        "AD", "CE", "WWI", "WWII",
    }
)  # fmt: skip
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_SURNAME_PREFIX = re.compile(r"^(?:Mc|Mac|O'|O’|De|Di|La|Le|Van|Von)[A-Z]")


def _latin_names(source: str, src: str) -> list[str]:
    """Latin-script tokens a translation normally keeps as they are.

    A Chinese source keeps every Latin word (SYIIT, iPhone, Python). In an
    English source only acronyms and camel-case names of three letters or more
    (NEU, WAITRO, iPhone) count, minus those a translation normally renders in
    Chinese (UN, GDP, NASA …): ordinary capitalised words get translated.
    """
    names: dict[str, None] = {}  # in order, each once (a list lookup was quadratic)
    for match in _LATIN_TOKEN.finditer(unicodedata.normalize("NFKC", source)):
        token = match.group().strip(".'’-")
        if len(token) < 2 or token.upper() in _IGNORED_NAMES:
            continue
        if token in names:
            continue
        if src == "zh" or (
            _EN_NAME_LIKE.match(token)
            and len(token) > 2
            and token.upper() not in _COMMONLY_TRANSLATED
            and not _ROMAN.match(token)
            and not _SURNAME_PREFIX.match(token)
        ):
            names[token] = None
    return list(names)


@register("latin-names", "Latin-script name missing")
def _check_latin_names(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    if src == tgt:
        return None
    haystack = unicodedata.normalize("NFKC", target).casefold()
    missing = [name for name in _latin_names(source, src) if name.casefold() not in haystack]
    if not missing:
        return None
    return QaFlag("latin-names", "Missing from the target: " + shortened(missing, ", ") + ".")
