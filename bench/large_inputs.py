"""How long the splitter and the text cleaner take on very large inputs.

    .venv/bin/python bench/large_inputs.py [--repeat 3]

Three inputs, the ones the suite checks for the right result (tests/test_split.py,
tests/test_clean.py; the timing lived there as asserts and moved here, where a busy
machine does not fail a build):

* split: one 1.1 MB mixed zh/en paragraph (20,000 repetitions of three sentences),
  ``aligner.split.split_sentences(text, "zh")``; the old limit was 5 s;
* clean: a 5.1 MB English article of 15,000 paragraphs with a title and a date
  line, and a 6.8 MB Chinese article on one line (UTF-8 sizes),
  ``aligner.clean.clean_article``; the old limit was 4 s for both.

Prints the best and the worst of ``--repeat`` runs of each.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from test_clean import LONG_EN, LONG_ZH  # noqa: E402  (the suite's sentences)

from aligner.clean import clean_article  # noqa: E402
from aligner.split import split_sentences  # noqa: E402

PARAGRAPH = "他说：“好。”我们走吧。The U.S. team won. " * 20000
ARTICLE = "Big Title\n\nDate: 2023-09-21\n\n" + "\n\n".join([LONG_EN + " " + LONG_EN] * 15000)
ONE_LINE = LONG_ZH * 40000


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = [
        (
            f"split_sentences, {len(PARAGRAPH.encode()) // 1000} KB zh/en paragraph",
            lambda: split_sentences(PARAGRAPH, "zh"),
        ),
        (
            f"clean_article, {len(ARTICLE.encode()) / 1e6:.1f} MB English article",
            lambda: clean_article(ARTICLE),
        ),
        (
            f"clean_article, {len(ONE_LINE.encode()) / 1e6:.1f} MB Chinese line",
            lambda: clean_article(ONE_LINE),
        ),
    ]
    for name, work in cases:
        best, worst = timed(work, args.repeat)
        print(f"{name}: best {best:.2f} s, worst {worst:.2f} s ({args.repeat} runs)")


if __name__ == "__main__":
    main()
