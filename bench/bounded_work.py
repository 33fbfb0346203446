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
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hostile_text import PROSE_EN, fill, hostile_pairs  # noqa: E402

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
    for name, (source, target, src, tgt) in hostile_pairs(LONG).items():
        seconds, flags = cpu(qa.check_segment, source, target, src, tgt)
        codes = ",".join(f.code for f in flags) or "-"
        longest = max((len(f.message) for f in flags), default=0)
        print(f"  {name:24} {seconds:6.3f} s  flags {codes} (longest message {longest})")
    prose_en = fill(PROSE_EN, LONG)
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
