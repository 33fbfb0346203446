"""Evaluate the sentence aligner on the shared dev gold standards (strict bead F1).

Reads ../shared/eval/align-dev beside the repository (never copied into it):
mac-dev (6 literary documents, zh→en, with Google MT ``*.trans``; also mirrored,
en→zh, where that MT of the Chinese side is the backward MT ``target_translations``) and bible
(en→zh, verse-derived gold: consecutive output beads inside one verse are merged
before scoring). Out of domain, the 281 FLORES-200 devtest articles of
../shared/eval/mt-dev, joined and split by our own splitter on both sides, then
aligned and scored per FLORES line (beads within one line merged, as for the bible):
splitter and aligner end to end on news text. Also times a synthetic
10,000 × 10,000 alignment built by repeating the dev documents, reporting seconds
and peak RSS.

    .venv/bin/python bench/align_eval.py [--eval-dir DIR] [--json] [--skip-speed]
        [--only mac-dev|bible|flores] [--loo] [--calibration]

``--loo`` refits the MT weights (a small grid) leave-one-document-out on mac-dev and
reports each document's figure with weights chosen on the other five only.
``--calibration`` prints a reliability table: output beads bucketed by confidence
decile, with the fraction that exactly match a gold bead, and refits the two-parameter
logistic (confidence = sigmoid(a·score + b)) that ``aligner.align`` ships.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import json
import math
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval"

Alignment = list[tuple[tuple[int, ...], tuple[int, ...]]]


def _import_align() -> Callable[..., list]:
    """The public ``align``; falls back to the submodule if sibling modules are missing."""
    try:
        from aligner import align
    except ImportError:  # other aligner modules not written yet: load align.py directly
        import types

        for name in [
            name for name in sys.modules if name == "aligner" or name.startswith("aligner.")
        ]:
            del sys.modules[name]
        package = types.ModuleType("aligner")
        package.__path__ = [str(Path(__file__).resolve().parents[1] / "aligner")]
        sys.modules["aligner"] = package
        from aligner.align import align
    return align


@dataclass(frozen=True)
class Document:
    name: str
    source: list[str]
    target: list[str]
    translations: list[str] | None
    gold: Alignment
    source_verses: list[str] | None = None
    target_verses: list[str] | None = None
    target_translations: list[str] | None = None  # MT of the target into the source language


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def parse_alignment(lines: Sequence[str]) -> Alignment:
    beads = []
    for line in lines:
        if not line.strip():
            continue
        left, right = line.strip().split(":")
        source = tuple(int(x) for x in left.strip("[]").split(",") if x.strip())
        target = tuple(int(x) for x in right.strip("[]").split(",") if x.strip())
        beads.append((source, target))
    return beads


def load_mac(eval_dir: Path) -> list[Document]:
    root = eval_dir / "align-dev" / "mac-dev"
    documents = []
    for gold in sorted((root / "gold").glob("*.align")):
        name = gold.stem
        trans = root / "zh" / f"{name}.trans"
        documents.append(
            Document(
                name=name,
                source=read_lines(root / "zh" / name),
                target=read_lines(root / "en" / name),
                translations=read_lines(trans) if trans.exists() else None,
                gold=parse_alignment(read_lines(gold)),
            )
        )
    return documents


def load_bible(eval_dir: Path) -> list[Document]:
    root = eval_dir / "align-dev" / "bible"
    source_verses_all = read_lines(root / "src.verse")
    target_verses_all = read_lines(root / "tgt.verse")
    documents = []
    for gold in sorted((root / "gold").glob("*.align")):
        name = gold.stem
        source = read_lines(root / "src" / name)
        target = read_lines(root / "tgt" / name)
        trans = root / "src" / f"{name}.trans"
        documents.append(
            Document(
                name=name,
                source=source,
                target=target,
                translations=read_lines(trans) if trans.exists() else None,
                gold=parse_alignment(read_lines(gold)),
                # The verse files list the whole corpus; the document is its first lines.
                source_verses=source_verses_all[: len(source)],
                target_verses=target_verses_all[: len(target)],
            )
        )
    return documents


def _sentences_by_line(lines: list[str], lang: str) -> tuple[list[str], list[str]]:
    """Split an article joined into one paragraph; each sentence's line is where it starts."""
    from aligner import split_sentences

    joiner = "" if lang == "zh" else " "
    paragraph = joiner.join(lines)
    line_starts = list(
        itertools.accumulate((len(line) + len(joiner) for line in lines[:-1]), initial=0)
    )
    sentences, line_ids, position = [], [], 0
    for sentence in split_sentences(paragraph, lang):
        found = paragraph.find(sentence, position)
        position = found + len(sentence)
        sentences.append(sentence)
        line_ids.append(str(bisect.bisect_right(line_starts, found) - 1))
    return sentences, line_ids


def load_flores(eval_dir: Path, source_lang: str) -> list[Document]:
    """FLORES-200 devtest articles, split by our splitter on both sides, line-level gold.

    Line i of one language translates line i of the other; like the bible verses,
    output beads within one line are merged before scoring, so this measures the
    splitter and the aligner end to end on news text.
    """
    root = eval_dir / "mt-dev" / "flores200-devtest"
    with open(root / "metadata_devtest.tsv", encoding="utf-8", newline="") as handle:
        urls = [row["URL"] for row in csv.DictReader(handle, delimiter="\t")]
    texts = {
        "zh": read_lines(root / "zho_Hans.devtest"),
        "en": read_lines(root / "eng_Latn.devtest"),
    }
    target_lang = "en" if source_lang == "zh" else "zh"
    documents = []
    for url, group in itertools.groupby(range(len(urls)), key=urls.__getitem__):
        rows = list(group)
        source, source_lines = _sentences_by_line(
            [texts[source_lang][k] for k in rows], source_lang
        )
        target, target_lines = _sentences_by_line(
            [texts[target_lang][k] for k in rows], target_lang
        )
        gold = [
            (
                tuple(k for k, line in enumerate(source_lines) if line == str(i)),
                tuple(k for k, line in enumerate(target_lines) if line == str(i)),
            )
            for i in range(len(rows))
        ]
        documents.append(
            Document(
                name=url,
                source=source,
                target=target,
                translations=None,
                gold=[bead for bead in gold if bead != ((), ())],
                source_verses=source_lines,
                target_verses=target_lines,
            )
        )
    return documents


def merge_within_verses(
    beads: Alignment, source_verses: Sequence[str], target_verses: Sequence[str]
) -> Alignment:
    """Merge consecutive output beads that share a verse (the bible gold is verse-level)."""
    merged: Alignment = []
    previous_verses: set[str] = set()
    for source, target in beads:
        verses = {source_verses[i] for i in source} | {target_verses[j] for j in target}
        if merged and verses & previous_verses:
            last_source, last_target = merged[-1]
            merged[-1] = (last_source + source, last_target + target)
            previous_verses |= verses
        else:
            merged.append((source, target))
            previous_verses = verses
    return merged


def strict_scores(output: Alignment, gold: Alignment) -> tuple[int, int, int]:
    """(matched, output beads, gold beads) under exact bead match, null beads included."""
    gold_set = set(gold)
    matched = sum(1 for bead in output if bead in gold_set)
    return matched, len(output), len(gold)


def prf(matched: int, produced: int, expected: int) -> tuple[float, float, float]:
    precision = matched / produced if produced else 0.0
    recall = matched / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_set(
    align: Callable[..., list],
    documents: list[Document],
    source_lang: str,
    target_lang: str,
    use_mt: bool,
) -> dict:
    totals = [0, 0, 0]
    per_document = {}
    started = time.perf_counter()
    for document in documents:
        translations = document.translations if use_mt else None
        backward = document.target_translations if use_mt else None
        doc_start = time.perf_counter()
        beads = align(
            document.source,
            document.target,
            source_lang,
            target_lang,
            translations,
            target_translations=backward,
        )
        seconds = time.perf_counter() - doc_start
        output = [(bead.source, bead.target) for bead in beads]
        if document.source_verses is not None:
            output = merge_within_verses(output, document.source_verses, document.target_verses)
        counts = strict_scores(output, document.gold)
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        p, r, f = prf(*counts)
        per_document[document.name] = {"P": p, "R": r, "F1": f, "seconds": seconds}
    p, r, f = prf(*totals)
    return {
        "P": p,
        "R": r,
        "F1": f,
        "seconds": time.perf_counter() - started,
        "documents": per_document,
    }


def translation_agreements(documents: list[Document]) -> dict[str, list[float]]:
    """The MT guard's statistic on real MT and on the same lines shuffled, per document."""
    import random

    from aligner.inputs import translation_agreement

    shuffle = random.Random(0)
    real, shuffled = [], []
    for document in documents:
        if not document.translations:
            continue
        lines = list(document.translations)
        real.append(translation_agreement(lines, document.target, "en"))
        shuffle.shuffle(lines)
        shuffled.append(translation_agreement(lines, document.target, "en"))
    return {"real": real, "shuffled": shuffled}


def synthetic_speed(align: Callable[..., list], documents: list[Document], size: int) -> dict:
    """Align ``size`` × ``size`` sentences made by concatenating dev documents repeatedly."""
    source: list[str] = []
    target: list[str] = []
    while len(source) < size or len(target) < size:
        for document in documents:
            source.extend(document.source)
            target.extend(document.target)
    source, target = source[:size], target[:size]
    started = time.perf_counter()
    beads = align(source, target, "zh", "en", None)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "sentences": size,
        "beads": len(beads),
        "seconds": seconds,
        "peak_rss_mb": peak_kib / 1024,
    }


# Weights fitted by --loo: the three MT evidence weights (the shipped defaults are the
# grid point best on all six documents).
LOO_GRID: dict[str, list[float]] = {
    "mt_cosine": [0.5, 1.0, 1.5],
    "mt_edge": [0.5, 0.7, 1.0],
    "mt_margin": [0.0, 0.5],
}


def _path_beads(path: list) -> Alignment:
    return [
        (tuple(range(b.source_start, b.source_end)), tuple(range(b.target_start, b.target_end)))
        for b in path
    ]


def leave_one_out(documents: list[Document]) -> dict:
    """Per held-out document: the grid point best on the other documents, and its F1 there."""
    from aligner.align import search
    from aligner.scoring import ScoreWeights

    keys = list(LOO_GRID)
    configs = [
        dict(zip(keys, values, strict=True)) for values in itertools.product(*LOO_GRID.values())
    ]
    counts = []
    for config in configs:
        weights = ScoreWeights(**config)
        row = []
        for document in documents:
            path = search(
                document.source, document.target, "zh", "en", document.translations, weights
            )
            row.append(strict_scores(_path_beads(path), document.gold))
        counts.append(row)

    def pooled_f1(rows: list[tuple[int, int, int]]) -> float:
        return prf(*[sum(column) for column in zip(*rows, strict=True)])[2]

    held_out = {}
    totals = []
    for k, document in enumerate(documents):
        scores = [pooled_f1([c for j, c in enumerate(row) if j != k]) for row in counts]
        best = max(range(len(configs)), key=scores.__getitem__)
        held_out[document.name] = {"weights": configs[best], "F1": prf(*counts[best][k])[2]}
        totals.append(counts[best][k])
    everything = [pooled_f1(row) for row in counts]
    best_all = max(range(len(configs)), key=everything.__getitem__)
    return {
        "F1": pooled_f1(totals),
        "documents": held_out,
        "best_on_all": {"weights": configs[best_all], "F1": everything[best_all]},
    }


def _logistic_fit(scores: list[float], labels: list[int]) -> tuple[float, float]:
    """Two-parameter logistic regression (Newton's method, tiny ridge)."""
    import numpy as np

    x = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=float)
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * x + b)))
        w = p * (1 - p) + 1e-9
        gradient = np.array([((p - y) * x).sum() + 1e-3 * a, (p - y).sum()])
        hessian = np.array([[(w * x * x).sum() + 1e-3, (w * x).sum()], [(w * x).sum(), w.sum()]])
        step = np.linalg.solve(hessian, gradient)
        a, b = a - step[0], b - step[1]
        if abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def calibration(documents: list[Document]) -> dict:
    """Reliability of the shipped confidences on mac-dev, with and without MT."""
    from aligner.align import align, search

    report = {}
    for use_mt in (True, False):
        confidences, correct, scores, real = [], [], [], []
        for document in documents:
            translations = document.translations if use_mt else None
            gold = set(document.gold)
            beads = align(document.source, document.target, "zh", "en", translations)
            path = search(document.source, document.target, "zh", "en", translations)
            for bead, step in zip(beads, path, strict=True):
                hit = int((bead.source, bead.target) in gold)
                confidences.append(bead.confidence)
                correct.append(hit)
                if bead.source and bead.target:
                    scores.append(step.score)
                    real.append(hit)
        buckets = []
        for decile in range(10):
            low, high = decile / 10, (decile + 1) / 10
            members = [
                k for k, c in enumerate(confidences) if low <= c < high or (decile == 9 and c == 1)
            ]
            if members:
                buckets.append(
                    {
                        "range": f"{low:.1f}-{high:.1f}",
                        "beads": len(members),
                        "mean_confidence": sum(confidences[k] for k in members) / len(members),
                        "correct": sum(correct[k] for k in members) / len(members),
                    }
                )
        brier = sum((c - y) ** 2 for c, y in zip(confidences, correct, strict=True)) / len(correct)
        log_loss = -sum(
            math.log(max(c if y else 1 - c, 1e-6))
            for c, y in zip(confidences, correct, strict=True)
        ) / len(correct)
        report["+MT" if use_mt else "no MT"] = {
            "buckets": buckets,
            "brier": brier,
            "log_loss": log_loss,
            "fit": _logistic_fit(scores, real),
            "null_beads_correct": (
                sum(correct) - sum(real),
                len(correct) - len(real),
            ),
        }
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--skip-speed", action="store_true", help="skip the 10k×10k timing")
    parser.add_argument("--speed-size", type=int, default=10_000)
    parser.add_argument("--only", choices=["mac-dev", "bible", "flores"], help="evaluate one set")
    parser.add_argument("--loo", action="store_true", help="leave-one-document-out weight fit")
    parser.add_argument("--calibration", action="store_true", help="confidence reliability")
    args = parser.parse_args(argv)
    if not (args.eval_dir / "align-dev").is_dir():
        parser.error(f"no align-dev under {args.eval_dir}; pass --eval-dir")
    align = _import_align()
    mac = load_mac(args.eval_dir)
    bible = load_bible(args.eval_dir)
    results: dict = {}
    if args.only in (None, "mac-dev"):
        results["mac-dev zh→en +MT"] = run_set(align, mac, "zh", "en", use_mt=True)
        results["mac-dev zh→en no MT"] = run_set(align, mac, "zh", "en", use_mt=False)
        mirrored = [
            Document(
                name=d.name,
                source=d.target,
                target=d.source,
                translations=None,
                gold=[(target, source) for source, target in d.gold],
                target_translations=d.translations,
            )
            for d in mac
        ]
        results["mac-dev en→zh backward MT"] = run_set(align, mirrored, "en", "zh", use_mt=True)
        results["mac-dev en→zh no MT"] = run_set(align, mirrored, "en", "zh", use_mt=False)
    if args.only in (None, "bible"):
        if any(d.translations for d in bible):
            results["bible en→zh +MT"] = run_set(align, bible, "en", "zh", use_mt=True)
        results["bible en→zh no MT"] = run_set(align, bible, "en", "zh", use_mt=False)
    if args.only in (None, "flores") and (args.eval_dir / "mt-dev").is_dir():
        for source_lang, target_lang in (("zh", "en"), ("en", "zh")):
            flores = load_flores(args.eval_dir, source_lang)
            name = f"flores {source_lang}→{target_lang} no MT"
            results[name] = run_set(align, flores, source_lang, target_lang, use_mt=False)
    agreements = translation_agreements(mac) if args.only in (None, "mac-dev") else None
    speed = None if args.skip_speed else synthetic_speed(align, mac, args.speed_size)
    loo = leave_one_out(mac) if args.loo else None
    reliability = calibration(mac) if args.calibration else None
    if args.json:
        print(
            json.dumps(
                {
                    "sets": results,
                    "mt_agreement": agreements,
                    "speed": speed,
                    "loo": loo,
                    "calibration": reliability,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{'set':<27}{'P':>7}{'R':>7}{'F1':>7}{'sec':>8}")
    for name, result in results.items():
        print(
            f"{name:<27}{result['P']:>7.3f}{result['R']:>7.3f}{result['F1']:>7.3f}"
            f"{result['seconds']:>8.1f}"
        )
        if name.startswith("mac-dev"):
            for doc, figures in result["documents"].items():
                print(
                    f"  {doc:<25}{figures['P']:>7.3f}{figures['R']:>7.3f}{figures['F1']:>7.3f}"
                    f"{figures['seconds']:>8.1f}"
                )
    if agreements:
        from aligner.inputs import MIN_TRANSLATION_AGREEMENT as MIN_AGREEMENT

        print(
            "mac-dev MT order agreement (align ignores MT below "
            f"{MIN_AGREEMENT}): real "
            + " ".join(f"{a:.2f}" for a in agreements["real"])
            + "; same lines shuffled "
            + " ".join(f"{a:.2f}" for a in agreements["shuffled"])
        )
    if "bible en→zh no MT" in results and any(not d.translations for d in bible):
        print("(bible has no *.trans MT files: only the no-MT figure is reported)")
    if any(name.startswith("flores") for name in results):
        print(
            "(flores: 281 FLORES-200 devtest articles joined, split by aligner.split on both "
            "sides, aligned, beads merged within each FLORES line, strict match per line)"
        )
    if loo:
        print(f"mac-dev zh→en +MT leave-one-document-out F1 {loo['F1']:.3f} (grid {LOO_GRID})")
        for doc, figures in loo["documents"].items():
            print(f"  held out {doc}: F1 {figures['F1']:.3f} with weights {figures['weights']}")
        best = loo["best_on_all"]
        print(f"  best on all six (optimistic): F1 {best['F1']:.3f} with {best['weights']}")
    if reliability:
        for mode, figures in reliability.items():
            print(
                f"calibration mac-dev {mode}: Brier {figures['brier']:.3f}, "
                f"log loss {figures['log_loss']:.3f}; refit a, b = "
                f"{figures['fit'][0]:.3f}, {figures['fit'][1]:.3f}; null beads correct "
                f"{figures['null_beads_correct'][0]}/{figures['null_beads_correct'][1]}"
            )
            print(f"  {'confidence':<12}{'beads':>7}{'mean conf':>11}{'correct':>9}")
            for bucket in figures["buckets"]:
                print(
                    f"  {bucket['range']:<12}{bucket['beads']:>7}"
                    f"{bucket['mean_confidence']:>11.3f}{bucket['correct']:>9.3f}"
                )
    if speed:
        print(
            f"synthetic {speed['sentences']}×{speed['sentences']} zh→en no MT: "
            f"{speed['seconds']:.1f} s, peak RSS {speed['peak_rss_mb']:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
