"""Measure sentence-boundary precision/recall of aligner.split on FLORES-200 devtest.

FLORES gives one sentence (occasionally two) per line and, in the metadata, the
source article of each line. Consecutive lines of one article are joined into
one paragraph (English with a space, Chinese with nothing), split again, and
the boundaries we produce are compared with the original line boundaries.

The data stays outside the repository (it is licensed evaluation data):
by default it is read from ``../shared/eval/mt-dev/flores200-devtest`` next to
the repo; use ``--eval-dir`` to point elsewhere.

    .venv/bin/python bench/split_eval.py [--eval-dir DIR] [--json] [--show-errors N]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligner.split import split_sentences  # noqa: E402

DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval"
FLORES_SUBDIR = Path("mt-dev") / "flores200-devtest"
LANGUAGES = {"eng_Latn": ("en", " "), "zho_Hans": ("zh", "")}


@dataclass
class Score:
    """Boundary counts and derived scores for one language."""

    language: str
    articles: int
    gold: int
    predicted: int
    correct: int
    seconds: float

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def resolve_flores_dir(eval_dir: Path) -> Path:
    """Accept either the eval root or the FLORES folder itself."""
    for candidate in (eval_dir / FLORES_SUBDIR, eval_dir / FLORES_SUBDIR.name, eval_dir):
        if (candidate / "metadata_devtest.tsv").is_file():
            return candidate
    raise SystemExit(f"FLORES devtest not found under {eval_dir} (expected metadata_devtest.tsv)")


def read_articles(flores_dir: Path, code: str) -> list[list[str]]:
    """Group the lines of one language into articles by consecutive source URL."""
    with open(flores_dir / "metadata_devtest.tsv", encoding="utf-8", newline="") as handle:
        urls = [row["URL"] for row in csv.DictReader(handle, delimiter="\t")]
    lines = (flores_dir / f"{code}.devtest").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(urls):
        raise SystemExit(f"{code}: {len(lines)} lines but {len(urls)} metadata rows")
    articles: list[list[str]] = []
    previous_url = None
    for url, line in zip(urls, lines, strict=True):
        if url != previous_url:
            articles.append([])
            previous_url = url
        articles[-1].append(line.strip())
    return articles


def boundary_offsets(pieces: list[str], text: str) -> set[int]:
    """Offsets in ``text`` (ignoring spaces) where each piece after the first starts."""
    offsets: set[int] = set()
    position = 0
    compact_position = 0
    for index, piece in enumerate(pieces):
        found = text.find(piece, position)
        if found < 0:
            raise AssertionError(f"split lost text near {piece[:40]!r}")
        compact_position += sum(1 for char in text[position:found] if not char.isspace())
        if index:
            offsets.add(compact_position)
        compact_position += sum(1 for char in piece if not char.isspace())
        position = found + len(piece)
    return offsets


def evaluate(
    flores_dir: Path, code: str, show_errors: int = 0
) -> tuple[Score, list[tuple[str, str]]]:
    """Score one language; optionally collect (kind, context) for misses and false splits."""
    lang, joiner = LANGUAGES[code]
    articles = read_articles(flores_dir, code)
    gold = predicted = correct = 0
    errors: list[tuple[str, str]] = []
    elapsed = 0.0
    for lines in articles:
        paragraph = joiner.join(lines)
        started = time.perf_counter()
        sentences = split_sentences(paragraph, lang)
        elapsed += time.perf_counter() - started
        gold_set = boundary_offsets(lines, paragraph)
        predicted_set = boundary_offsets(sentences, paragraph)
        gold += len(gold_set)
        predicted += len(predicted_set)
        correct += len(gold_set & predicted_set)
        if show_errors and len(errors) < show_errors:
            compact = "".join(paragraph.split())
            for kind, offsets in (
                ("miss", gold_set - predicted_set),
                ("extra", predicted_set - gold_set),
            ):
                for offset in sorted(offsets):
                    errors.append(
                        (
                            kind,
                            compact[max(0, offset - 30) : offset]
                            + " | "
                            + compact[offset : offset + 20],
                        )
                    )
    score = Score(code, len(articles), gold, predicted, correct, elapsed)
    return score, errors[:show_errors]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help="print up to N errors per language (local debugging only)",
    )
    args = parser.parse_args(argv)
    flores_dir = resolve_flores_dir(args.eval_dir)
    results = [evaluate(flores_dir, code, args.show_errors) for code in LANGUAGES]
    if args.json:
        payload = [
            {**asdict(score), "precision": score.precision, "recall": score.recall, "f1": score.f1}
            for score, _ in results
        ]
        print(json.dumps(payload, indent=2))
        return 0
    header = f"{'language':<10} {'articles':>8} {'gold':>6} {'pred':>6} "
    print(header + f"{'P':>7} {'R':>7} {'F1':>7} {'seconds':>8}")
    for score, errors in results:
        print(
            f"{score.language:<10} {score.articles:>8} {score.gold:>6} {score.predicted:>6} "
            f"{score.precision:>7.4f} {score.recall:>7.4f} {score.f1:>7.4f} {score.seconds:>8.3f}"
        )
        for kind, context in errors:
            print(f"  {kind:<5} {context}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
