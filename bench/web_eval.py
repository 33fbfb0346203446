"""Main text of real web pages: our HTML import against trafilatura's own extract().

Reads ``../shared/eval/web-dev`` (35 saved pages and ``gold.json``, see
``../shared/eval/README.md``). Each page goes through the real import path,
``workbench import PAGE.html --db TMP.db``, into a fresh SQLite database (the
tiny Argos test packages do the MT, in a private package directory); the text
scored is that of the page's segments stored for translation, i.e. everything
not marked furniture. trafilatura's ``extract()`` (default settings) is scored
on the same pages in the same run.

Metric, as in the corpus's evaluation: per gold snippet, a ``with`` snippet
found in the text is a true positive (else a false negative), a ``without``
snippet found is a false positive; compared with whitespace removed and case
folded; precision, recall and F1 over all snippets.

    .venv/bin/python bench/web_eval.py [--eval-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO.parent / "shared" / "eval" / "web-dev"
FIXTURE_MODELS = REPO / "tests" / "fixtures" / "models"
_SPACE = re.compile(r"\s+")


def _isolate_argos(home: Path) -> None:
    """A private Argos package directory (set before argostranslate is imported)."""
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
    for name in ("DATA", "CONFIG", "CACHE"):
        os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())
    os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"  # never download


def _norm(text: str) -> str:
    return _SPACE.sub("", text).casefold()


class Score:
    def __init__(self) -> None:
        self.tp = self.fn = self.fp = 0

    def add(self, text: str, gold: dict) -> None:
        flat = _norm(text)
        found = sum(_norm(snippet) in flat for snippet in gold["with"])
        self.tp += found
        self.fn += len(gold["with"]) - found
        self.fp += sum(_norm(snippet) in flat for snippet in gold["without"])

    def figures(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _imported_text(runner, cli, db_path: Path, page: Path) -> tuple[str, str | None]:
    """The page's segments for translation after `workbench import`, and any error."""
    from workbench.store.db import connect

    result = runner.invoke(cli, ["import", str(page), "--db", str(db_path), "--json"])
    report = json.loads(result.stdout or "{}")
    if not report.get("imported"):
        failed = report.get("failed") or [{"error": result.output.strip()[-300:]}]
        return "", failed[0]["error"]
    doc_id = report["imported"][0]["document_id"]
    db = connect(str(db_path))
    rows = db.execute(
        "SELECT source FROM segments WHERE document_id = ? AND translate ORDER BY position",
        [doc_id],
    ).fetchall()
    db.close()
    return "\n".join(row[0] for row in rows), None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    gold_path = args.eval_dir / "gold.json"
    if not gold_path.is_file():
        parser.error(f"{gold_path} not found: the eval data lives in ../shared/eval")
    gold = json.loads(gold_path.read_text("utf-8"))

    with tempfile.TemporaryDirectory(prefix="web-eval-") as tmp:
        _isolate_argos(Path(tmp) / "argos")
        import trafilatura
        from click.testing import CliRunner

        from workbench.cli import cli
        from workbench.ingest.html import extract_article
        from workbench.mt.packages import install_archive

        for model in sorted(FIXTURE_MODELS.glob("*.argosmodel")):
            install_archive(model)
        runner = CliRunner()
        extract_article("<html><body><p>Warm up the imports first.</p></body></html>")
        ours, theirs = Score(), Score()
        our_seconds = their_seconds = import_seconds = 0.0
        failures: list[dict[str, str]] = []
        for url, page_gold in gold.items():
            page = args.eval_dir / "html" / page_gold["file"]
            data = page.read_bytes()
            start = time.perf_counter()
            extract_article(data, url)
            our_seconds += time.perf_counter() - start
            start = time.perf_counter()
            text, error = _imported_text(runner, cli, Path(tmp) / "eval.db", page)
            import_seconds += time.perf_counter() - start
            if error:
                failures.append({"file": page_gold["file"], "error": error.split(": ", 1)[-1]})
            ours.add(text, page_gold)
            start = time.perf_counter()
            extracted = trafilatura.extract(data, url=url) or ""
            their_seconds += time.perf_counter() - start
            theirs.add(extracted, page_gold)

    pages = len(gold)
    report = {
        "pages": pages,
        "snippets": ours.tp + ours.fn + sum(len(g["without"]) for g in gold.values()),
        "workbench_import": {
            **ours.figures(),
            "extract_s_per_page": round(our_seconds / pages, 3),
            "import_s_per_page": round(import_seconds / pages, 3),
        },
        f"trafilatura_{trafilatura.__version__}_extract": {
            **theirs.figures(),
            "s_per_page": round(their_seconds / pages, 3),
        },
        "failed_imports": failures,
    }
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(f"{pages} pages, {report['snippets']} gold snippets ({args.eval_dir})")
    print(f"{'':34} {'P':>6} {'R':>6} {'F1':>6}  time per page")
    row = report["workbench_import"]
    print(
        f"{'workbench import (segments for MT)':34} {row['precision']:6.3f} {row['recall']:6.3f}"
        f" {row['f1']:6.3f}  extract {row['extract_s_per_page']:.2f} s,"
        f" whole import with MT {row['import_s_per_page']:.2f} s"
    )
    row = report[f"trafilatura_{trafilatura.__version__}_extract"]
    name = f"trafilatura {trafilatura.__version__} extract()"
    print(
        f"{name:34} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}"
        f"  {row['s_per_page']:.2f} s"
    )
    for failure in failures:
        print(f"import failed: {failure['file']}: {failure['error']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
