"""Measure translation-memory build time and fuzzy-lookup latency at 1k, 10k, 100k units.

The memory is synthetic but made of real sentences: FLORES-200 devtest lines
(read at run time from ``../shared/eval``, never copied into the repository)
and the seed articles are cut into clauses at commas, and new sentences are
recombined from two or three clauses of different lines. Queries are a mix of
units in the memory (exact: must score 100), units with one word changed
(fuzzy) and new recombinations (mostly no match), as a translator's document
would give.

    .venv/bin/python bench/tm_bench.py [--sizes 1000,10000,100000] [--lang zh|en]
        [--queries 300] [--eval-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligner import split_sentences  # noqa: E402
from workbench.formats.units import TranslationUnit  # noqa: E402
from workbench.store.db import connect  # noqa: E402
from workbench.tm import memory as tm  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EVAL_DIR = REPO.parent / "shared" / "eval"
FLORES = Path("mt-dev") / "flores200-devtest"
FILES = {"zh": "zho_Hans.devtest", "en": "eng_Latn.devtest"}
CLAUSE_SPLIT = {"zh": re.compile(r"(?<=[，；：,])"), "en": re.compile(r"(?<=[,;:])\s+")}
JOIN = {"zh": "", "en": " "}
END = {"zh": "。", "en": "."}


def sentences(eval_dir: Path, lang: str) -> list[str]:
    """FLORES lines of ``lang`` plus the seed articles' sentences in that language."""
    lines = (eval_dir / FLORES / FILES[lang]).read_text("utf-8").splitlines()
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        text = seed.read_text("utf-8")
        han = len(re.findall(r"[\u4e00-\u9fff]", text))
        if (han > len(text) / 4) == (lang == "zh"):
            lines += [s for s in split_sentences(text, lang) if len(s) > 20]
    return [line.strip() for line in lines if line.strip()]


def clauses(lines: list[str], lang: str) -> list[str]:
    out = []
    for line in lines:
        for piece in CLAUSE_SPLIT[lang].split(line.rstrip("。.!?！？")):
            piece = piece.strip().rstrip("，；：,;:")
            if len(piece) >= (6 if lang == "zh" else 15):
                out.append(piece)
    return out


def synthetic_units(size: int, source_lang: str, eval_dir: Path, rng: random.Random):
    """``size`` distinct units, each source recombined from 2-3 clauses."""
    target_lang = "en" if source_lang == "zh" else "zh"
    source_clauses = clauses(sentences(eval_dir, source_lang), source_lang)
    target_clauses = clauses(sentences(eval_dir, target_lang), target_lang)
    seen: set[str] = set()
    units: list[TranslationUnit] = []
    while len(units) < size:
        picked = rng.sample(source_clauses, rng.choice((2, 2, 3)))
        separator = "，" if source_lang == "zh" else ", "
        source = separator.join(picked) + END[source_lang]
        if source in seen:
            continue
        seen.add(source)
        target = (", " if target_lang == "en" else "，").join(rng.sample(target_clauses, 2)) + END[
            target_lang
        ]
        units.append(TranslationUnit(source, target, source_lang, target_lang))
    return units, source_clauses


def change_one_word(text: str, lang: str, rng: random.Random) -> str:
    words = tm.tokens(text, lang)
    candidates = [w for w in words if re.search(r"\w", w)]
    if not candidates:
        return text
    word = rng.choice(candidates)
    replacement = "变化" if lang == "zh" else "changed"
    return text.replace(word, replacement, 1) if word in text else text + replacement


def queries(units, source_clauses, lang: str, count: int, rng: random.Random):
    out = []
    for i in range(count):
        kind = ("exact", "fuzzy", "new")[i % 3]
        if kind == "exact":
            out.append((kind, rng.choice(units).source))
        elif kind == "fuzzy":
            out.append((kind, change_one_word(rng.choice(units).source, lang, rng)))
        else:
            separator = "，" if lang == "zh" else ", "
            out.append((kind, separator.join(rng.sample(source_clauses, 2)) + END[lang]))
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def run(size: int, lang: str, n_queries: int, eval_dir: Path, seed: int = 7) -> dict:
    rng = random.Random(seed + size)
    units, source_clauses = synthetic_units(size, lang, eval_dir, rng)
    target_lang = "en" if lang == "zh" else "zh"
    with tempfile.TemporaryDirectory() as tmp:
        db = connect(Path(tmp) / "tm.db")
        tm.tokens("预热", "zh")  # jieba's dictionary load is not build time
        started = time.perf_counter()
        stats = tm.import_units(db, units, origin="tmx:bench")
        build = time.perf_counter() - started
        times, exact_hits, fuzzy_scores = [], 0, []
        for kind, text in queries(units, source_clauses, lang, n_queries, rng):
            started = time.perf_counter()
            matches = tm.lookup(db, text, lang, target_lang)
            times.append((time.perf_counter() - started) * 1000)
            if kind == "exact":
                exact_hits += bool(matches and matches[0].score == 100)
            elif kind == "fuzzy" and matches:
                fuzzy_scores.append(matches[0].score)
        concordance_times, scan_times, same = [], [], 0
        concordance_queries = [u.source[2:6] for u in rng.sample(units, 20)]
        for text in concordance_queries:
            started = time.perf_counter()
            found = tm.concordance(db, text, limit=50)
            concordance_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            scanned = tm.concordance(db, text, limit=50, indexed=False)
            scan_times.append((time.perf_counter() - started) * 1000)
            same += found == scanned
        db.close()
    exact_queries = len([i for i in range(n_queries) if i % 3 == 0])
    return {
        "units": size,
        "stored": stats.added,
        "build_s": round(build, 2),
        "lookup_ms_p50": round(statistics.median(times), 2),
        "lookup_ms_p95": round(p95(times), 2),
        "lookup_ms_max": round(max(times), 2),
        "exact_found": f"{exact_hits}/{exact_queries}",
        "fuzzy_median_score": statistics.median(fuzzy_scores) if fuzzy_scores else None,
        "concordance_ms_p50": round(statistics.median(concordance_times), 2),
        "concordance_ms_p95": round(p95(concordance_times), 2),
        "scan_ms_p50": round(statistics.median(scan_times), 2),
        "same_as_scan": f"{same}/{len(concordance_queries)}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="source language")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.eval_dir / FLORES).is_dir():
        print(f"{args.eval_dir / FLORES} is missing (see ../shared/eval)", file=sys.stderr)
        return 2
    results = [
        run(int(size), args.lang, args.queries, args.eval_dir) for size in args.sizes.split(",")
    ]
    if args.json:
        print(json.dumps({"source_lang": args.lang, "results": results}, indent=2))
        return 0
    columns = list(results[0])
    print(f"TM lookup benchmark, source {args.lang}, {args.queries} queries per size")
    print(" | ".join(columns))
    print(" | ".join("---" for _ in columns))
    for row in results:
        print(" | ".join(str(row[c]) for c in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
