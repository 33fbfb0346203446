"""OmegaT 3.6 (Debian's ``omegat``) reads Workbench's TMX and XLIFF: does it give every target back?

Builds a TM from the interchange fixtures, exports it (``workbench tm export``),
makes a document whose segments are partly translated, partly the TM's
sources left untranslated and partly untranslated sentences no memory holds,
exports it (``workbench export --format xliff``: the default, which copies the
source into an untranslated unit's target with ``state="needs-translation"``,
and ``--untranslated omit``, which writes no target), runs OmegaT in console
mode (``--mode=console-translate``) on a project holding that XLIFF as source
and the TMX in ``tm/auto`` (exact matches applied automatically), compares the
targets OmegaT writes with Workbench's, and brings OmegaT's file back with
``workbench import-xliff``: the TM targets arrive as drafts, the units nobody
translated stay untranslated (a copied source is no translation).

    .venv/bin/python bench/omegat_check.py
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.cli import cli  # noqa: E402
from workbench.store.db import connect, insert_document  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "interchange"
TMX_FILES = sorted(p.name for p in FIXTURES.glob("*.tmx"))
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <source_dir_excludes><mask>**/.svn/**</mask></source_dir_excludes>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>en-US</source_lang>
        <target_lang>zh-CN</target_lang>
        <source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""

TRANSLATED = [
    ("Welcome to the guide.", "欢迎阅读本指南。", "translated"),
    ("Keep the receipt.", "保留收据。", "approved"),
    ("Read the notes first.", "请先阅读说明。", "draft"),
]
#: Untranslated sentences that no memory holds: OmegaT leaves them for the translator.
NO_MATCH = ["This sentence is in no memory.", "Nor is this one, with a number 42."]


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"workbench {' '.join(args)} failed: {result.output}")
    return result.output


def omegat(project: Path, home: Path) -> str:
    java = shutil.which("java")
    if java is None or not OMEGAT_JAR.exists():
        raise SystemExit("OmegaT is not installed: apt-get install -y omegat")
    result = subprocess.run(
        [
            java,
            "-Djava.awt.headless=true",
            "-jar",
            str(OMEGAT_JAR),
            str(project),
            "--mode=console-translate",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    if result.returncode != 0:
        raise SystemExit(f"OmegaT failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


def targets(path: Path) -> dict[str, str | None]:
    root = etree.parse(str(path)).getroot()
    out = {}
    for tu in root.iterfind(".//x:trans-unit", NS):
        source = tu.find("x:source", NS)
        target = tu.find("x:target", NS)
        out["".join(source.itertext())] = None if target is None else "".join(target.itertext())
    return out


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="omegat-check-") as tmp:
        tmp_path = Path(tmp)
        db_path = str(tmp_path / "wb.db")
        run("tm", "import", *(str(FIXTURES / n) for n in TMX_FILES), "--db", db_path)
        db = connect(db_path)
        plain_units = {
            row["source"]: row["target"]
            for row in db.query(
                "SELECT source, target FROM tm_units WHERE source_lang = 'en' AND markup IS NULL"
                " AND context = ''"
            )
        }
        segments = (
            [{"source": s, "target": t, "status": st} for s, t, st in TRANSLATED]
            + [{"source": s, "target": "", "status": "new"} for s in plain_units]
            + [{"source": s, "target": "", "status": "new"} for s in NO_MATCH]
        )
        doc_id = insert_document(
            db,
            {
                "title": "guide",
                "filename": "guide.txt",
                "source_lang": "en",
                "target_lang": "zh",
                "kind": "mt",
            },
            segments,
            "check",
        )
        db.close()
        print(f"TM: {len(plain_units)} plain en→zh units to be applied from the exported TMX")
        print(
            f"document: {len(TRANSLATED)} translated segments, {len(plain_units)} untranslated"
            f" with a TM match, {len(NO_MATCH)} untranslated without one"
        )
        rows = []
        for label, flags in (("default", []), ("--untranslated omit", ["--untranslated", "omit"])):
            project = tmp_path / f"project{len(rows)}"
            for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
                (project / sub).mkdir(parents=True)
            (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
            run(
                "tm",
                "export",
                "-o",
                str(project / "tm" / "auto" / "workbench.tmx"),
                "--db",
                db_path,
            )
            run(
                "export",
                "--format",
                "xliff",
                "--document",
                str(doc_id),
                "-o",
                str(project / "source" / "guide.xlf"),
                "--db",
                db_path,
                *flags,
            )
            omegat(project, tmp_path / "home")
            back = targets(project / "target" / "guide.xlf")
            kept = sum(back.get(s) == t for s, t, _ in TRANSLATED)
            filled = sum(back.get(s) == t for s, t in plain_units.items())
            offered = sum(back.get(s) == s for s in NO_MATCH)  # left as the source, to do
            for source, target in plain_units.items():
                if back.get(source) != target:
                    wrote = back.get(source)
                    print(f"  [{label}] {source!r}: OmegaT wrote {wrote!r}, TM has {target!r}")
            if not rows:  # what OmegaT writes for a unit it filled and for one left to do
                for source in (next(iter(plain_units)), NO_MATCH[0]):
                    print(f"  [{label}] OmegaT wrote: {written(project, source)}")
            came_back = reimport(project / "target" / "guide.xlf", db_path, doc_id, plain_units)
            rows.append((label, kept, filled, offered, came_back))
        print()
        print(
            "XLIFF export | Workbench targets given back | TM targets applied from TMX"
            " | no-match units left to translate | import-xliff of OmegaT's file"
        )
        print("--- | --- | --- | --- | ---")
        for label, kept, filled, offered, came_back in rows:
            print(
                f"{label} | {kept}/{len(TRANSLATED)} | {filled}/{len(plain_units)}"
                f" | {offered}/{len(NO_MATCH)} | {came_back}"
            )
    return 0


def written(project: Path, source: str) -> str:
    root = etree.parse(str(project / "target" / "guide.xlf")).getroot()
    for tu in root.iterfind(".//x:trans-unit", NS):
        if "".join(tu.find("x:source", NS).itertext()) == source:
            target = tu.find("x:target", NS)
            return etree.tostring(target, encoding="unicode", with_tail=False).replace(
                f' xmlns="{NS["x"]}"', ""
            )
    return "(no unit)"


def reimport(path: Path, db_path: str, doc_id: int, plain_units: dict[str, str]) -> str:
    """Bring OmegaT's file back into a copy of the database: what became of each kind."""
    copy = Path(db_path).with_name(f"reimport-{path.parent.parent.name}.db")
    with sqlite3.connect(db_path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)  # the WAL's pages too, which a file copy would miss
    result = CliRunner().invoke(cli, ["import-xliff", str(path), "--db", str(copy), "--json"])
    if result.exit_code != 0:
        return f"exit {result.exit_code}: {result.output.strip()[:200]}"
    db = connect(str(copy))
    rows = list(
        db.query("SELECT source, target, status FROM segments WHERE document_id = ?", [doc_id])
    )
    db.close()
    tm_drafts = sum(
        r["target"] == plain_units.get(r["source"]) and r["status"] == "draft" for r in rows
    )
    untouched = sum(
        r["source"] in NO_MATCH and r["target"] == "" and r["status"] == "new" for r in rows
    )
    return (
        f"{tm_drafts}/{len(plain_units)} TM targets in as drafts, {untouched}/{len(NO_MATCH)}"
        " no-match units still untranslated (new, empty)"
    )


if __name__ == "__main__":
    sys.exit(main())
