"""Measure sentence-boundary precision/recall of aligner.split on FLORES-200 devtest.

FLORES gives one sentence (occasionally two) per line and, in the metadata, the
source article of each line. Consecutive lines of one article are joined into
one paragraph (English with a space, Chinese with nothing), split again, and
the boundaries we produce are compared with the original line boundaries.

The data stays outside the repository (it is licensed evaluation data):
by default it is read from ``../shared/eval/mt-dev/flores200-devtest`` next to
the repo; use ``--eval-dir`` to point elsewhere.

A boundary is a place between two words, so one that only punctuation separates
from a line end (a stray "." that FLORES put at the start of the next line) is
scored at that line end (``snapped``). The main figure is strict: only FLORES
line boundaries count as correct. But
some FLORES lines hold two sentences, so a correct split inside such a line is
scored as an error. ``--adjudicated`` adds a supplementary, clearly separate
precision, "xP", that also credits an extra boundary when the TRANSLATOR also
wrote two sentences there. This uses an independent criterion, without our
splitter: the parallel line in the other language has a sentence end at a
non-final position. For Chinese that is 。！？ (then any closing quotes)
followed by more text; for English it is . ! ? (then closing quotes or
brackets), whitespace and a capital letter or digit, unless the word before is
a single capital letter, a capitalised word of at most three letters or a
dotted acronym ("N.", "Dr.", "Mrs.", "U.S."). Ends inside quotes or brackets
count too: a multi-sentence quotation is several sentences for the splitter
(the SRX convention CAT tools follow), so it is for the judge. Each such end
confirms at most one of our extra boundaries in the line, and only one at
about the same relative position (within 0.25 of the line's length, counted in
non-space characters).

Where the translator joined two sentences into one ("他对此持怀疑态度。他指出，……"
became "he is skeptical ..., noting that ..."), a real boundary stays
unconfirmed by the parallel text; "unconf." counts those. Each of them was then
read by a person and judged in ``bench/split_adjudication.tsv`` (FLORES line
number, the boundary's offset in non-space characters from the line start, its
context, the verdict ``correct`` or ``wrong`` and a one-line reason). xP also
credits the boundaries judged ``correct`` there: "judged" counts them. An
unconfirmed boundary the file does not list (or lists with other context: the
text or the splitter changed) counts as wrong until someone reads it, and the
bench says how many such cases and stale entries there are. xP does not replace
the strict figure; the JSON output also gives the parallel-only figure.

    .venv/bin/python bench/split_eval.py [--eval-dir DIR] [--json] [--show-errors N]
        [--adjudicated [--adjudication FILE]] [--pysbd] [--mac-dev]

``--pysbd`` scores pysbd (if installed) in the same harness, for comparison.
``--mac-dev`` adds strict rows for the mac-dev novel excerpts of the
alignment gold (one author-split sentence per line), a check of generality on
dialogue-heavy literary text.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligner.split import split_sentences  # noqa: E402

DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval"
FLORES_SUBDIR = Path("mt-dev") / "flores200-devtest"
LANGUAGES = {"eng_Latn": ("en", " "), "zho_Hans": ("zh", "")}
PARALLEL = {"eng_Latn": "zho_Hans", "zho_Hans": "eng_Latn"}

# Supplementary cross-lingual criterion (see the module docstring).
_EN_SENTENCE_END = re.compile(r"(\S*?)([.!?]+[\"'”’)\]]*)\s+[\"'“‘(\[]*(?=[A-Z0-9])")
_EN_NOT_SENTENCE_WORD = re.compile(r"^(?:[A-Z][a-z]{0,2}|(?:[A-Za-z]\.)+[A-Za-z])$")
_ZH_SENTENCE_END = re.compile(r"[。！？]+[”’」』）)\"]*(?=\s*[^”’」』）)\"\s])")
POSITION_TOLERANCE = 0.25
ADJUDICATION_FILE = Path(__file__).resolve().parent / "split_adjudication.tsv"
ADJUDICATION_COLUMNS = ("language", "line", "offset", "context", "verdict", "reason")
VERDICTS = ("correct", "wrong")
CONTEXT_CHARS = 12


@dataclass
class Score:
    """Boundary counts and derived scores for one language."""

    language: str
    articles: int
    gold: int
    predicted: int
    correct: int
    seconds: float
    confirmed: int = 0  # extra boundaries the parallel line confirms (supplementary)
    judged: int = 0  # unconfirmed ones a person judged correct (split_adjudication.tsv)
    unjudged: int = 0  # unconfirmed ones nobody has judged yet: counted wrong

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def extra(self) -> int:
        return self.predicted - self.correct

    @property
    def parallel_precision(self) -> float:
        """Supplementary: line boundaries plus translator-confirmed extras."""
        return (self.correct + self.confirmed) / self.predicted if self.predicted else 1.0

    @property
    def cross_precision(self) -> float:
        """xP: line boundaries, translator-confirmed extras and extras judged correct."""
        good = self.correct + self.confirmed + self.judged
        return good / self.predicted if self.predicted else 1.0

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


def snapped(predicted: set[int], gold: set[int], text: str) -> set[int]:
    """``predicted`` with each boundary that only punctuation separates from a gold one
    moved onto it.

    A boundary is a place between two words: which side of it a stray mark falls on
    (FLORES has a line that starts ". Scientists…" after a line without its full
    stop) changes no sentence's words, so it is not a boundary error.
    """
    compact = "".join(char for char in text if not char.isspace())
    result = set(predicted)
    for place in sorted(gold - predicted):
        for candidate in sorted(result - gold, key=lambda p: abs(p - place)):
            low, high = sorted((candidate, place))
            if high - low > 3:
                break
            if not any(char.isalnum() for char in compact[low:high]):
                result.discard(candidate)
                result.add(place)
                break
    return result


def _compact_length(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


def internal_sentence_ends(line: str, lang: str) -> list[float]:
    """Relative positions (0-1, by non-space characters) of sentence ends inside ``line``.

    Independent of aligner.split on purpose: it is the judge of our extra
    boundaries, so it must not share our splitter's mistakes.
    """
    total = _compact_length(line)
    if not total:
        return []
    positions: list[float] = []
    if lang == "en":
        for match in _EN_SENTENCE_END.finditer(line):
            word = match.group(1).lstrip("\"'“‘([")
            if _EN_NOT_SENTENCE_WORD.match(word):
                continue
            positions.append(_compact_length(line[: match.end(2)]) / total)
    else:
        for match in _ZH_SENTENCE_END.finditer(line):
            positions.append(_compact_length(line[: match.end()]) / total)
    return positions


def confirmed_count(extras: list[float], ends: list[float]) -> int:
    """Match extra boundaries to parallel sentence ends one-to-one by relative position."""
    return sum(confirmed_flags(extras, ends))


def confirmed_flags(extras: list[float], ends: list[float]) -> list[bool]:
    """For each of ``extras`` (in sorted order), whether a parallel sentence end confirms it."""
    flags = []
    pending = sorted(ends)
    for position in sorted(extras):
        while pending and pending[0] < position - POSITION_TOLERANCE:
            pending.pop(0)
        matched = bool(pending) and pending[0] <= position + POSITION_TOLERANCE
        if matched:
            pending.pop(0)
        flags.append(matched)
    return flags


def cross_confirmed(
    extra: set[int], lines: list[str], parallel_lines: list[str], parallel_lang: str
) -> set[int]:
    """The ``extra`` offsets (compact, in the joined article) that the parallel lines confirm."""
    starts: list[int] = []
    position = 0
    for line in lines:
        starts.append(position)
        position += _compact_length(line)
    by_line: dict[int, list[int]] = {}
    for offset in sorted(extra):
        index = max(i for i, start in enumerate(starts) if start <= offset)
        by_line.setdefault(index, []).append(offset)
    confirmed: set[int] = set()
    for index, offsets in by_line.items():
        length = _compact_length(lines[index]) or 1
        positions = [(offset - starts[index]) / length for offset in offsets]
        ends = internal_sentence_ends(parallel_lines[index], parallel_lang)
        flags = confirmed_flags(positions, ends)
        confirmed.update(offset for offset, flag in zip(offsets, flags, strict=True) if flag)
    return confirmed


@dataclass(frozen=True)
class Case:
    """One extra boundary the parallel text does not confirm, located for a reader."""

    language: str  # FLORES code, e.g. zho_Hans
    line: int  # FLORES devtest line number, from 1
    offset: int  # non-space characters from the line start to the boundary
    context: str  # CONTEXT_CHARS non-space characters either side, joined by "|"


@dataclass
class Verdict:
    verdict: str  # "correct" or "wrong"
    context: str
    reason: str


def read_adjudication(path: Path) -> dict[tuple[str, int, int], Verdict]:
    """The judged cases of ``path`` (a TSV with ADJUDICATION_COLUMNS); {} when absent."""
    if not path.is_file():
        return {}
    table: dict[tuple[str, int, int], Verdict] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(
            (line for line in handle if not line.startswith("#")),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
        if tuple(rows.fieldnames or ()) != ADJUDICATION_COLUMNS:
            raise SystemExit(f"{path}: expected the columns {', '.join(ADJUDICATION_COLUMNS)}")
        for number, row in enumerate(rows, start=2):
            if row["verdict"] not in VERDICTS or not row["reason"].strip():
                raise SystemExit(f"{path}:{number}: verdict must be correct/wrong, with a reason")
            key = (row["language"], int(row["line"]), int(row["offset"]))
            table[key] = Verdict(row["verdict"], row["context"], row["reason"])
    return table


def locate(code: str, first_line: int, lines: list[str], offset: int) -> Case:
    """The line (numbered from ``first_line``) and in-line offset of an article offset."""
    start = 0
    for index, line in enumerate(lines):
        length = _compact_length(line)
        if offset < start + length or index == len(lines) - 1:
            compact = "".join(line.split())
            local = offset - start
            context = compact[max(0, local - CONTEXT_CHARS) : local]
            context += "|" + compact[local : local + CONTEXT_CHARS]
            return Case(code, first_line + index, local, context)
        start += length
    raise ValueError("empty article")


def evaluate(
    flores_dir: Path,
    code: str,
    show_errors: int = 0,
    adjudicated: bool = False,
    splitter: Callable[[str, str], list[str]] | None = None,
    adjudication: dict[tuple[str, int, int], Verdict] | None = None,
) -> tuple[Score, list[tuple[str, str]], list[Case]]:
    """Score one language; optionally collect (kind, context) for misses and false splits.

    With ``adjudicated``, also returns the unconfirmed extra boundaries that
    ``adjudication`` does not judge (counted wrong), and marks the entries it
    used by removing them from ``adjudication`` (what is left there is stale).
    """
    lang, joiner = LANGUAGES[code]
    articles = read_articles(flores_dir, code)
    parallel_code = PARALLEL[code]
    parallel = read_articles(flores_dir, parallel_code) if adjudicated else []
    judgements = adjudication if adjudication is not None else {}
    gold = predicted = correct = confirmed = judged = 0
    errors: list[tuple[str, str]] = []
    unjudged: list[Case] = []
    elapsed = 0.0
    first_line = 1
    for article_index, lines in enumerate(articles):
        paragraph = joiner.join(lines)
        started = time.perf_counter()
        if splitter is not None:
            sentences = splitter(paragraph, lang)
        else:
            sentences = split_sentences(paragraph, lang)
        elapsed += time.perf_counter() - started
        gold_set = boundary_offsets(lines, paragraph)
        predicted_set = snapped(boundary_offsets(sentences, paragraph), gold_set, paragraph)
        gold += len(gold_set)
        predicted += len(predicted_set)
        correct += len(gold_set & predicted_set)
        confirmed_here: set[int] = set()
        verdicts: dict[int, str] = {}
        if adjudicated:
            confirmed_here = cross_confirmed(
                predicted_set - gold_set,
                lines,
                parallel[article_index],
                LANGUAGES[parallel_code][0],
            )
            confirmed += len(confirmed_here)
            for offset in sorted(predicted_set - gold_set - confirmed_here):
                case = locate(code, first_line, lines, offset)
                found = judgements.get((code, case.line, case.offset))
                if found is not None and found.context == case.context:
                    del judgements[(code, case.line, case.offset)]
                    judged += found.verdict == "correct"
                    verdicts[offset] = found.verdict
                else:
                    unjudged.append(case)
                    verdicts[offset] = "unjudged"
        if show_errors and len(errors) < show_errors:
            # With --adjudicated, only the extras the parallel text does not confirm,
            # located by line and offset as split_adjudication.tsv lists them.
            for offset in sorted(gold_set - predicted_set):
                case = locate(code, first_line, lines, offset)
                errors.append(("miss", f"{case.line}\t{case.offset}\t{case.context}"))
            for offset in sorted(predicted_set - gold_set - confirmed_here):
                case = locate(code, first_line, lines, offset)
                where = f"{case.line}\t{case.offset}\t{case.context}"
                errors.append(
                    (f"unconf {verdicts[offset]}", where) if adjudicated else ("extra", where)
                )
        first_line += len(lines)
    score = Score(
        code, len(articles), gold, predicted, correct, elapsed, confirmed, judged, len(unjudged)
    )
    return score, errors[:show_errors], unjudged


def evaluate_mac_dev(
    eval_dir: Path, lang: str, splitter: Callable[[str, str], list[str]] | None = None
) -> Score:
    """Strict P/R on the mac-dev novel excerpts, whose authors wrote one sentence per line.

    Literary dialogue, full of multi-sentence quotations: a check of generality
    beside the news of FLORES. The authors also end lines at colons, semicolons
    and dashes, which no sentence splitter should follow, so recall is capped.
    """
    folder = eval_dir / "align-dev" / "mac-dev" / lang
    files = sorted(path for path in folder.glob("[0-9][0-9][0-9]") if path.is_file())
    if not files:
        raise SystemExit(f"mac-dev not found under {folder}")
    joiner = LANGUAGES["zho_Hans" if lang == "zh" else "eng_Latn"][1]
    gold = predicted = correct = 0
    elapsed = 0.0
    for path in files:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
        paragraph = joiner.join(lines)
        started = time.perf_counter()
        sentences = (splitter or split_sentences)(paragraph, lang)
        elapsed += time.perf_counter() - started
        gold_set = boundary_offsets(lines, paragraph)
        predicted_set = snapped(boundary_offsets(sentences, paragraph), gold_set, paragraph)
        gold += len(gold_set)
        predicted += len(predicted_set)
        correct += len(gold_set & predicted_set)
    return Score(f"mac-dev/{lang}", len(files), gold, predicted, correct, elapsed)


def pysbd_splitter() -> Callable[[str, str], list[str]]:
    """pysbd (a rule-based splitter, not a dependency of ours) in the same harness."""
    try:
        import pysbd
    except ImportError:
        raise SystemExit("--pysbd needs pysbd: .venv/bin/pip install pysbd") from None
    segmenters = {lang: pysbd.Segmenter(language=lang, clean=False) for lang in ("en", "zh")}

    def split(text: str, lang: str) -> list[str]:
        return [s.strip() for s in segmenters[lang].segment(text) if s.strip()]

    return split


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help=(
            "print up to N errors per language (local debugging only); with --adjudicated, "
            "the extra boundaries the parallel text does not confirm"
        ),
    )
    parser.add_argument(
        "--adjudicated",
        action="store_true",
        help=(
            "also report the SUPPLEMENTARY xP: precision that credits an extra boundary when "
            "the parallel line in the other language has a sentence end (zh 。！？, en . ! ? "
            "+ space + capital, not after an initial/short abbreviation) at "
            "about the same relative position (±0.25), or when a person judged it correct "
            "in the adjudication file; the strict P stays the main figure"
        ),
    )
    parser.add_argument(
        "--adjudication",
        type=Path,
        default=ADJUDICATION_FILE,
        metavar="FILE",
        help="the judged cases (default: bench/split_adjudication.tsv)",
    )
    parser.add_argument(
        "--mac-dev",
        action="store_true",
        help="also score the mac-dev novel excerpts (strict only; see evaluate_mac_dev)",
    )
    parser.add_argument(
        "--pysbd",
        action="store_true",
        help="score pysbd instead of our splitter, for comparison (pip install pysbd first)",
    )
    args = parser.parse_args(argv)
    flores_dir = resolve_flores_dir(args.eval_dir)
    splitter = pysbd_splitter() if args.pysbd else None
    adjudication = read_adjudication(args.adjudication) if args.adjudicated else {}
    results: list[tuple[Score, list[tuple[str, str]]]] = []
    unjudged: list[Case] = []
    for code in LANGUAGES:
        score, errors, open_cases = evaluate(
            flores_dir, code, args.show_errors, args.adjudicated, splitter, adjudication
        )
        results.append((score, errors))
        unjudged += open_cases
    if args.mac_dev:
        eval_root = args.eval_dir if (args.eval_dir / "align-dev").is_dir() else DEFAULT_EVAL_DIR
        results += [(evaluate_mac_dev(eval_root, lang, splitter), []) for lang in ("zh", "en")]
    if args.adjudicated and (unjudged or adjudication):
        # adjudication now holds only the entries no current boundary matched
        print(
            f"note: {len(unjudged)} unconfirmed boundaries nobody has judged (counted wrong; "
            f"list them with --show-errors); {len(adjudication)} stale entries in "
            f"{args.adjudication.name}",
            file=sys.stderr,
        )
    if args.json:
        payload = []
        for score, _ in results:
            row = {
                **asdict(score),
                "precision": score.precision,
                "recall": score.recall,
                "f1": score.f1,
            }
            if args.adjudicated and not score.language.startswith("mac-dev"):
                row["supplementary_parallel_precision"] = score.parallel_precision
                row["supplementary_cross_precision"] = score.cross_precision
            else:
                for key in ("confirmed", "judged", "unjudged"):
                    del row[key]
            payload.append(row)
        print(json.dumps(payload, indent=2))
        return 0
    header = f"{'language':<10} {'articles':>8} {'gold':>6} {'pred':>6} "
    header += f"{'P':>7} {'R':>7} {'F1':>7} {'seconds':>8}"
    if args.adjudicated:
        header += f"   | supplementary: {'extra':>5} {'unconf.':>7} {'judged':>6} {'xP':>7}"
    print(header)
    for score, errors in results:
        row = (
            f"{score.language:<10} {score.articles:>8} {score.gold:>6} {score.predicted:>6} "
            f"{score.precision:>7.4f} {score.recall:>7.4f} {score.f1:>7.4f} {score.seconds:>8.3f}"
        )
        if args.adjudicated and not score.language.startswith("mac-dev"):
            unconfirmed = score.extra - score.confirmed
            row += (
                f"   | {'':>14} {score.extra:>5} {unconfirmed:>7} {score.judged:>6}"
                f" {score.cross_precision:>7.4f}"
            )
        print(row)
        for kind, context in errors:
            print(f"  {kind:<6} {context}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
