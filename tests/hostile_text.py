"""Source/target pairs shaped to hit each QA check's worst case, at any length.

Shared by ``tests/test_limits.py`` (QA time grows linearly: 5,000 against 20,000
characters) and ``bench/bounded_work.py`` (CPU seconds at 20,000 characters, the
longest segment an import accepts). Each of these took seconds (brackets "(" then
"]": 16 s) or crashed (a 20,000-digit numeral, "one hundred hundred …": the save
answered 500) before the checks were bounded.
"""

from __future__ import annotations

PROSE_ZH = "港口于星期五重新开放，市长在开幕式上发表了讲话。"
PROSE_EN = "The harbour reopened on Friday and the mayor gave a speech. "


def fill(unit: str, n: int) -> str:
    """``unit`` repeated to exactly ``n`` characters."""
    return (unit * (n // len(unit) + 1))[:n]


def hostile_pairs(size: int) -> dict[str, tuple[str, str, str, str]]:
    """Name → (source, target, source language, target language), each ``size`` long."""
    prose_zh, prose_en, half = fill(PROSE_ZH, size), fill(PROSE_EN, size), size // 2
    return {
        "prose zh→en": (prose_zh, prose_en, "zh", "en"),
        "brackets (((…)))": (prose_zh, fill("(", size), "zh", "en"),
        "brackets ( then ]": (prose_zh, fill("(", half) + fill("]", half), "zh", "en"),
        "brackets ( then ’": (prose_zh, fill("(", half) + fill("’", half), "zh", "en"),
        "numbers 1 2 3 …": (
            fill("".join(f"{i}、" for i in range(1000)), size),
            fill("".join(f"{i + 5}, " for i in range(1000)), size),
            "zh",
            "en",
        ),
        "dates of one month": (
            fill("9月1日，", size),
            fill("".join(f"September {d % 27 + 2}, 20{d % 90 + 10}. " for d in range(2500)), size),
            "zh",
            "en",
        ),
        "Chinese numeral runs": (fill("一二三四五六七八九十百千万亿", size), prose_en, "zh", "en"),
        "二二二…": (fill("二", size), prose_zh, "zh", "en"),
        "万万万…": (fill("万", size), prose_zh, "zh", "en"),
        "一二一二…": (fill("一二", size), prose_zh, "zh", "en"),
        "1 and spaces": ("1" + " " * size, prose_zh, "zh", "en"),
        "English number words": (prose_zh, fill("one hundred hundred ", size), "zh", "en"),
        "Latin names": (
            fill("".join(f"ABC{i} " for i in range(4000)), size),
            fill("".join(f"XYZ{i} " for i in range(4000)), size),
            "zh",
            "en",
        ),
        "inline codes": (fill("<x1/>文字", size), fill("<x2/>word", size), "zh", "en"),
    }
