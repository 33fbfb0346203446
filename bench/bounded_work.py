"""CPU time of the parsers and checks on hostile long input: every line must stay under
one second (a request may not hold the server longer).

    .venv/bin/python bench/bounded_work.py

Markdown: 60 KB of runs that made markdown-it-py quadratic (``![``, ``[``, ``*``, ``_``,
backticks, ``<``), through ``readers.markdown_text`` (what `workbench import` and the
upload run). QA, diff and HTER: a 20,000-character source against a 20,000-character
target (the longest segment an import accepts), shaped to hit each check's worst
case. Prints CPU seconds (``time.process_time``, so other processes on a shared
machine count less than in wall time) and, for Markdown, the link-label steps
markdown-it took (the operation that was quadratic; capped at 8 per character).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligner.tokens import jieba_module  # noqa: E402
from workbench.ingest import markdown  # noqa: E402
from workbench.review import postedit, qa  # noqa: E402

MARKDOWN_UNITS = ["![", "[", "[a](", "*", "_", "*a", "`", "<", "<a ", "![a", "[]("]
SIZE = 60_000
LONG = 20_000


def cpu(function, *args) -> tuple[float, object]:
    start = time.process_time()
    result = function(*args)
    return time.process_time() - start, result


def qa_cases() -> dict[str, tuple[str, str, str, str]]:
    """Source/target pairs of LONG characters, each aimed at one check's worst case."""

    def fill(unit: str) -> str:
        return (unit * (LONG // len(unit) + 1))[:LONG]

    prose_zh = fill("港口于星期五重新开放，市长在开幕式上发表了讲话。")
    prose_en = fill("The harbour reopened on Friday and the mayor gave a speech. ")
    return {
        "prose zh→en": (prose_zh, prose_en, "zh", "en"),
        "brackets (((…)))": (prose_zh, fill("(") + "", "zh", "en"),
        "brackets ( then ]": (
            prose_zh,
            fill("(")[: LONG // 2] + fill("]")[: LONG // 2],
            "zh",
            "en",
        ),
        "brackets ( then ’": (
            prose_zh,
            fill("(")[: LONG // 2] + fill("’")[: LONG // 2],
            "zh",
            "en",
        ),
        "numbers 1 2 3 …": (
            fill("".join(f"{i}、" for i in range(1000))),
            fill("".join(f"{i + 5}, " for i in range(1000))),
            "zh",
            "en",
        ),
        "dates of one month": (
            fill("9月1日，"),
            fill("".join(f"September {d % 27 + 2}, 20{d % 90 + 10}. " for d in range(2500))),
            "zh",
            "en",
        ),
        "Chinese numeral runs": (fill("一二三四五六七八九十百千万亿"), prose_en, "zh", "en"),
        "万万万…": (fill("万"), prose_en, "zh", "en"),
        "二二二…": (fill("二"), prose_en, "zh", "en"),
        "English number words": (prose_zh, fill("one hundred hundred "), "zh", "en"),
        "Latin names": (
            fill("".join(f"ABC{i} " for i in range(4000))),
            fill("".join(f"XYZ{i} " for i in range(4000))),
            "zh",
            "en",
        ),
        "inline codes": (fill("<x1/>文字"), fill("<x2/>word"), "zh", "en"),
    }


def main() -> None:
    jieba_module()  # its dictionary loads once per process (the server does it at start)
    md = markdown.parser()
    print(f"Markdown, {SIZE:,} characters (CPU s, link-label steps):")
    for unit in MARKDOWN_UNITS:
        text = (unit * (SIZE // len(unit) + 1))[:SIZE]
        md.inline.steps = 0
        seconds, _ = cpu(markdown.markdown_text, text, md)
        print(f"  {unit!r:8} {seconds:6.3f} s  {md.inline.steps:>9,} steps")
    print(f"QA of {LONG:,} against {LONG:,} characters (CPU s):")
    for name, (source, target, src, tgt) in qa_cases().items():
        seconds, flags = cpu(qa.check_segment, source, target, src, tgt)
        codes = ",".join(f.code for f in flags) or "-"
        longest = max((len(f.message) for f in flags), default=0)
        print(f"  {name:24} {seconds:6.3f} s  flags {codes} (longest message {longest})")
    prose_en = qa_cases()["prose zh→en"][1]
    pairs = {
        "en, one word changed": (prose_en, prose_en.replace("Friday", "Saturday"), "en"),
        "zh, rewritten": (
            ("港口于星期五重新开放。" * 2000)[:LONG],
            ("星期五港口重新开放了。" * 2000)[:LONG],
            "zh",
        ),
        "zh, 150 characters rewritten": (
            "港口于星期五重新开放。" * 14,
            "星期五港口重新开放了。" * 14,
            "zh",
        ),
        "zh, one character run": ("的" * LONG, "的了" * (LONG // 2), "zh"),
    }
    for label, (mt, target, lang) in pairs.items():
        for name, function in (("HTER", postedit.hter_exact), ("diff", postedit.diff_ops)):
            seconds, result = cpu(function, mt, target, lang)
            exact = f"  exact {result[1]}" if name == "HTER" else ""
            print(f"  {name} {label:28} {seconds:6.3f} s{exact}")


if __name__ == "__main__":
    main()
