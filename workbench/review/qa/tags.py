"""Inline codes (shown as tag text ``<g1>…</g1>``, ``<x2/>``): missing, extra, wrong order.

Why: a target that loses a code loses formatting or a placeholder in the file
that goes back to the customer's tool; one with codes in the wrong nesting
cannot be written back as valid markup.
"""

from __future__ import annotations

from collections import Counter

from workbench.formats.inline import OMEGAT_TAG
from workbench.review.qa.base import QaFlag, register, shortened


def _tags(text: str) -> list[str]:
    return [m.group() for m in OMEGAT_TAG.finditer(text)]


def tag_problems(source: str, target: str) -> list[str]:
    """What differs between the source's and the target's tags, as short phrases."""
    expected, found = _tags(source), _tags(target)
    problems = []
    # Counted once (a count per tag was quadratic in the number of tags).
    have, want = Counter(found), Counter(expected)
    missing = [t for t in want if have[t] < want[t]]
    extra = [t for t in have if want[t] < have[t]]
    if missing:
        problems.append("missing " + shortened(missing))
    if extra:
        problems.append("extra " + shortened(extra))
    if not problems and not _well_nested(found):
        problems.append("tags in the wrong order: " + shortened(found))
    return problems


def _well_nested(tags: list[str]) -> bool:
    stack: list[str] = []
    for tag in tags:
        m = OMEGAT_TAG.fullmatch(tag)
        closing, name, number, empty = m.groups()
        if empty:
            continue
        if not closing:
            stack.append(name + number)
        elif not stack or stack.pop() != name + number:
            return False
    return not stack


@register("tags", "Inline codes")
def _check_tags(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    if not OMEGAT_TAG.search(source) and not OMEGAT_TAG.search(target):
        return None
    problems = tag_problems(source, target)
    if not problems:
        return None
    return QaFlag("tags", "Inline codes: " + "; ".join(problems) + ".")
