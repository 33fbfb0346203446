"""What every QA check shares: the flag, the registry of checks, language helpers.

A check is a pure function ``(source, target, src, tgt) -> QaFlag | None`` over
base language codes ("zh", "en"); it joins the registry with :func:`register`,
which also gives the code its label. The registry's order is the display order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QaFlag:
    """One problem found in a segment: a code from ``QA_CODES`` and a readable message."""

    code: str
    message: str


Check = Callable[[str, str, str, str], "QaFlag | None"]

#: Every check's code with the label the UI shows, in display order.
QA_CODES: dict[str, str] = {"empty": "Empty target"}
#: The registered checks, in the order they run (and their flags are shown).
CHECKS: list[tuple[str, Check]] = []


def register(code: str, label: str) -> Callable[[Check], Check]:
    """Add a check to the registry under ``code``; the label is what the UI shows."""

    def add(check: Check) -> Check:
        if code in QA_CODES:
            raise ValueError(f"QA code {code!r} registered twice")
        QA_CODES[code] = label
        CHECKS.append((code, check))
        return check

    return add


def base_lang(lang: str) -> str:
    """ "zh-Hant" and "zh" are both Chinese for these checks; "en-GB" is English."""
    return (lang or "").split("-")[0].lower()


def normalise_space(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


#: Items a message lists at most: a 20,000-character segment can hold thousands of
#: unmatched names or tags, and the message is shown in the editor and stored in reports.
MAX_LISTED = 10
#: Characters of one listed item shown at most (a 20,000-digit "number", a name as long
#: as the segment).
MAX_ITEM_CHARS = 60


def shortened(items: Sequence, sep: str = " ", show: Callable[[Any], str] = str) -> str:
    """The first ``MAX_LISTED`` of ``items`` (each through ``show``) joined by ``sep``,
    then how many more."""
    shown = sep.join(_clip(show(item)) for item in items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return f"{shown} … and {more:,} more" if more > 0 else shown


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ITEM_CHARS else text[: MAX_ITEM_CHARS - 1] + "…"
