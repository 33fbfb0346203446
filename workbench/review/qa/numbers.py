"""The ``numbers`` check: numbers and dates found on one side and not the other.

Numbers written with digits must be found on the other side. Numbers written
in words must be found too when they are above 2 (1 and 2 double as articles
and idioms: 一些, "a", 两国 = "both countries") and, in Chinese, when they count
something or are ordinals (三位, 第三); a numeral inside a word (三角洲, 十字军,
路易十六) may match but is not required.
"""

from __future__ import annotations

from collections import Counter

from workbench.review.qa.base import QaFlag, register, shortened
from workbench.review.qa.numerals import Quantity, quantities, show_date, show_number


def _compatible(a: tuple, b: tuple) -> bool:
    """Dates agree where both say something: "September 21" matches 2023年9月21日."""
    if a[0] != "d" or b[0] != "d":
        return False
    return (
        all(x is None or y is None or x == y for x, y in zip(a[1:], b[1:], strict=True))
        and a[2] == b[2]
    )


#: Lenient date comparisons allowed per check: a long segment full of dates of one month
#: would otherwise compare every leftover date with every other (quadratic).
MAX_DATE_COMPARISONS = 100_000


def _unmatched(mine: list[Quantity], theirs: list[Quantity]) -> list[Quantity]:
    """Quantities of ``mine`` with no counterpart in ``theirs`` (multiset, dates leniently)."""
    available = Counter(q.key for q in theirs)
    left: list[Quantity] = []
    # Required quantities first: the digit 1 must not lose its partner to the 一 of 一些.
    for quantity in sorted(mine, key=lambda q: not q.required):
        if available[quantity.key] > 0:
            available[quantity.key] -= 1
        else:
            left.append(quantity)
    # Only dates match leniently, and only dates of the same month.
    dates_by_month: dict[int, list[tuple]] = {}
    for key in available:
        if key[0] == "d":
            dates_by_month.setdefault(key[2], []).append(key)
    budget = MAX_DATE_COMPARISONS
    still: list[Quantity] = []
    for quantity in left:
        partner = None
        if quantity.key[0] == "d" and budget > 0:
            candidates = dates_by_month.get(quantity.key[2], [])
            budget -= len(candidates)
            partner = next(
                (k for k in candidates if available[k] > 0 and _compatible(quantity.key, k)),
                None,
            )
        if partner is not None:
            available[partner] -= 1
        elif quantity.required:
            still.append(quantity)
    return still


def _describe(quantity: Quantity) -> str:
    if quantity.key[0] == "d":
        return f"{quantity.text.strip()} ({show_date(quantity.key)})"
    shown = show_number(quantity.key[1])
    text = quantity.text.strip()
    return text if text.replace(",", "") == shown.replace(",", "") else f"{text} (= {shown})"


@register("numbers", "Numbers or dates differ")
def _check_numbers(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    source_q = quantities(source, src)
    target_q = quantities(target, tgt)
    missing = _unmatched(source_q, target_q)
    extra = _unmatched(target_q, source_q)
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append("in the source but not the target: " + shortened(missing, ", ", _describe))
    if extra:
        parts.append("in the target but not the source: " + shortened(extra, ", ", _describe))
    return QaFlag("numbers", "Numbers differ; " + "; ".join(parts) + ".")
