"""Glossary figures: terms kept by the MT before/after glossary correction, and the
precision/recall of term-candidate extraction.

1. MT that follows the glossary. For each set (the mac-dev alignment gold, zh→en,
   sentence pairs from its beads; FLORES-200 devtest zh→en, line pairs), a glossary
   is extracted from the *references* (``workbench.terms.extract``, frequency ≥ 3),
   the source sentences holding a glossary term are translated with the installed
   Argos package (default: the tiny fixture packages of tests/fixtures/models,
   installed into a temporary ARGOS_PACKAGES_DIR), and the share of (sentence,
   term) occurrences whose glossary translation is in the final MT is printed before
   and after ``workbench.ingest.glossary_mt.follow``, with the share of corrected
   sentences. The reference's own share is the ceiling.
2. Extraction precision/recall on a small aligned corpus with known terms
   (tests/fixtures/terms/aligned_news.tsv, known_terms.tsv): exact (source, target).

    .venv/bin/python bench/term_eval.py [--limit 300] [--eval-dir DIR] [--real-models] [--json]

The tiny packages were trained on about forty FLORES sentences: their output is not
meaningful translation, so set 1 on them measures the mechanism, not MT quality;
``--real-models`` uses the packages installed on the machine instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_EVAL_DIR = REPO.parent / "shared" / "eval"
FIXTURE_MODELS = REPO / "tests" / "fixtures" / "models"
TERMS = REPO / "tests" / "fixtures" / "terms"


def use_fixture_models() -> None:
    """Point argostranslate at a fresh directory before it is imported, install the tiny ones."""
    home = Path(tempfile.mkdtemp(prefix="term-eval-argos-"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var.lower())
    os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
    from workbench.mt.packages import install_archive

    install_archive(FIXTURE_MODELS / "translate-zh_en-tiny.argosmodel")


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def mac_pairs(eval_dir: Path) -> list[tuple[str, str]]:
    root = eval_dir / "align-dev" / "mac-dev"
    pairs = []
    for gold in sorted((root / "gold").glob("*.align")):
        zh, en = read_lines(root / "zh" / gold.stem), read_lines(root / "en" / gold.stem)
        for line in read_lines(gold):
            left, right = line.split(":")
            src, tgt = json.loads(left), json.loads(right)
            if src and tgt:
                pairs.append(("".join(zh[i] for i in src), " ".join(en[j] for j in tgt)))
    return pairs


def flores_pairs(eval_dir: Path) -> list[tuple[str, str]]:
    root = eval_dir / "mt-dev" / "flores200-devtest"
    zh, en = read_lines(root / "zho_Hans.devtest"), read_lines(root / "eng_Latn.devtest")
    return list(zip(zh, en, strict=True))


def term_share(name: str, pairs, limit: int) -> dict:
    from workbench.ingest.glossary_mt import follow
    from workbench.mt.translator import get_translator
    from workbench.terms.entries import Term
    from workbench.terms.extract import extract
    from workbench.terms.recognise import contains, find_terms

    started = time.perf_counter()
    print(f"{name}: extracting the glossary from {len(pairs)} reference pairs", file=sys.stderr)
    candidates = extract(pairs, "zh", "en", min_frequency=3)
    terms = [
        Term(i, c.source, (c.source,), (c.target,), (), False) for i, c in enumerate(candidates, 1)
    ]
    with_terms = [(s, r) for s, r in pairs if find_terms(s, "zh", terms)][:limit]
    sources = [s for s, _ in with_terms]
    translator = get_translator("zh", "en")
    print(f"{name}: {len(terms)} terms; translating {len(sources)} sentences", file=sys.stderr)
    before = translator.translate(sources)
    after = follow(translator, sources, before, terms, "zh", "en")

    def share(texts: list[str]) -> float:
        found = total = 0
        for source, text in zip(sources, texts, strict=True):
            for hit in {h.term.entry_id: h for h in find_terms(source, "zh", terms)}.values():
                total += 1
                found += bool(contains(text, "en", hit.term.translations, hit.term))
        return found / total if total else 0.0

    occurrences = sum(r.terms for r in after)
    return {
        "set": name,
        "glossary_terms": len(terms),
        "sentences": len(sources),
        "term_occurrences": occurrences,
        "share_reference": round(share([r for _, r in with_terms]), 3),
        "share_before": round(share(before), 3),
        "share_after": round(share([r.text for r in after]), 3),
        "corrected_sentences": sum(r.corrected for r in after),
        "model": translator.model.key,
        "seconds": round(time.perf_counter() - started, 1),
    }


def extraction_figures() -> dict:
    from workbench.terms.extract import extract

    def tsv(name: str) -> list[tuple[str, str]]:
        lines = (TERMS / name).read_text(encoding="utf-8").splitlines()
        return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]

    known = set(tsv("known_terms.tsv"))
    found = {(c.source, c.target) for c in extract(tsv("aligned_news.tsv"), "zh", "en")}
    right = len(found & known)
    return {
        "corpus": "tests/fixtures/terms/aligned_news.tsv",
        "known": len(known),
        "proposed": len(found),
        "precision": round(right / len(found), 3) if found else 0.0,
        "recall": round(right / len(known), 3),
        "wrong": sorted(found - known),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--limit", type=int, default=300, help="sentences per set")
    parser.add_argument("--real-models", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.eval_dir / "mt-dev").is_dir():
        parser.error(f"no mt-dev under {args.eval_dir}; pass --eval-dir")
    if not args.real_models:
        use_fixture_models()
    results = {
        "mt": [
            term_share("mac-dev zh→en", mac_pairs(args.eval_dir), args.limit),
            term_share("FLORES devtest zh→en", flores_pairs(args.eval_dir), args.limit),
        ],
        "extraction": extraction_figures(),
    }
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results["mt"]:
        print(
            f"{r['set']}: glossary {r['glossary_terms']} terms from the references; "
            f"{r['sentences']} sentences, {r['term_occurrences']} term occurrences; "
            f"terms in MT before {r['share_before']:.1%}, after {r['share_after']:.1%} "
            f"(reference {r['share_reference']:.1%}); {r['corrected_sentences']} corrected; "
            f"model {r['model']}; {r['seconds']} s"
        )
    e = results["extraction"]
    print(
        f"extraction on {e['corpus']}: precision {e['precision']:.3f}, recall {e['recall']:.3f}"
        f" ({e['proposed']} proposed, {e['known']} known); wrong: {e['wrong']}"
    )


if __name__ == "__main__":
    main()
