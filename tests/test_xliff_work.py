"""Other tools' XLIFF 1.2/2.0 as work: import to post-edit, export the same file back.

Fixtures in fixtures/interchange/xliff follow each tool's documented structure
(Xcode, Symfony, Okapi/Rainbow, MateCat, Trados SDLXLIFF, memoQ, XLIFF 2.0).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from workbench.cli import cli
from workbench.review.saves import save_segment
from workbench.store.db import connect

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"
FILES = sorted((FIXTURES / "xliff").iterdir()) + [FIXTURES / "memoq_export.mqxliff"]
TARGET = re.compile(
    r"\s*<(?:[\w.-]+:)?target(?=[\s>/])[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?target\s*>)", re.S
)
STATE = re.compile(r'\sstate="[^"]*"')


def _cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _import(db_path: Path, path: Path) -> int:
    result = _cli("import-xliff", str(path), "--db", str(db_path), "--json")
    assert result.exit_code == 0, result.output
    import json

    return json.loads(result.stdout)["document_id"]


def _export(db_path: Path, document_id: int, out: Path) -> bytes:
    result = _cli(
        "export",
        "--format",
        "xliff",
        "--document",
        str(document_id),
        "-o",
        str(out),
        "--db",
        str(db_path),
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _outside_targets(data: bytes) -> str:
    text = data.decode("utf-8")
    return STATE.sub("", TARGET.sub("", text))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_unchanged_round_trip_is_byte_identical(path, db_path, tmp_path, installed_models):
    document_id = _import(db_path, path)
    assert _export(db_path, document_id, tmp_path / path.name) == path.read_bytes()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_post_edit_changes_only_targets_and_states(path, db_path, tmp_path, installed_models):
    document_id = _import(db_path, path)
    db = connect(db_path)
    rows = list(
        db.query(
            "SELECT * FROM segments WHERE document_id = ? AND translate ORDER BY position",
            [document_id],
        )
    )
    empty = [r for r in rows if not r["target"]]
    # MT is filled in for every unit the file left untranslated.
    assert all(r["mt"] for r in empty if re.sub(r"<[^>]+>", "", r["source"]).strip())
    if any(r["mt"] for r in rows):  # by a tiny test package: the page and scores say so
        assert db["documents"].get(document_id)["mt_tiny"] == 1
    for row in rows:
        save_segment(
            db,
            row["id"],
            base_version=row["version"],
            author="t",
            target=row["mt"] or row["target"] or "译文",
            status="translated",
        )
    data = _export(db_path, document_id, tmp_path / path.name)
    assert _outside_targets(data) == _outside_targets(path.read_bytes())
    root = etree.fromstring(data)  # still well-formed, every namespace intact
    assert root.nsmap == etree.fromstring(path.read_bytes()).nsmap


def test_codes_come_back_in_the_targets(db_path, tmp_path, installed_models):
    path = FIXTURES / "xliff" / "okapi_rainbow.xlf"
    document_id = _import(db_path, path)
    db = connect(db_path)
    rows = list(
        db.query("SELECT * FROM segments WHERE document_id = ? ORDER BY position", [document_id])
    )
    assert rows[0]["source"].count("<g") == 2  # the seg <mrk> and the link
    assert "<x" in rows[0]["source"]
    assert rows[1]["mt"].count("<g") == 1 and rows[1]["mt"].count("</g") == 1  # bx/ex as a pair
    assert rows[2]["translate"] == 0
    save_segment(
        db,
        rows[1]["id"],
        base_version=rows[1]["version"],
        author="t",
        target=rows[1]["source"].replace("Press", "按").replace("to begin.", "开始。"),
        status="translated",
    )
    data = _export(db_path, document_id, tmp_path / "out.xlf").decode()
    assert (
        '<target xml:lang="zh-cn" state="translated">'
        '按 <bx id="3" ctype="bold"/>Start<ex id="4"/> 开始。</target>' in data
    )


def test_xliff20_states_and_codes(db_path, tmp_path, installed_models):
    path = FIXTURES / "xliff" / "xliff20_okapi.xlf"
    document_id = _import(db_path, path)
    db = connect(db_path)
    first = next(
        iter(
            db.query(
                "SELECT * FROM segments WHERE document_id = ? ORDER BY position", [document_id]
            )
        )
    )
    assert db["documents"].get(document_id)["target_lang"] == "zh-Hant"
    save_segment(
        db,
        first["id"],
        base_version=first["version"],
        author="t",
        target="請先閱讀<g1>安全說明</g1>。<x3/>",
        status="approved",
    )
    data = _export(db_path, document_id, tmp_path / "out.xlf").decode()
    assert '<segment id="s1" state="final">' in data
    assert (
        '<target>請先閱讀<pc id="1" dataRefStart="d1" dataRefEnd="d2">安全說明</pc>。'
        '<ph id="2" dataRef="d3"/></target>' in data
    )


def test_own_export_still_goes_back_through_reimport(db_path, tmp_path, installed_models):
    path = FIXTURES / "omegat_translated.xlf"
    result = _cli("import-xliff", str(path), "--db", str(db_path))
    assert "no wb: resname" not in result.output


def test_approved_segment_enters_the_tm_with_its_codes(db_path, tmp_path, installed_models):
    from workbench.tm import memory as tm

    document_id = _import(db_path, FIXTURES / "xliff" / "okapi_rainbow.xlf")
    db = connect(db_path)
    row = next(iter(db.query("SELECT * FROM segments WHERE document_id = ?", [document_id])))
    save_segment(
        db,
        row["id"],
        base_version=row["version"],
        author="t",
        target=row["target"],
        status="approved",
    )
    tm.add_approved(db, row["id"])
    # The TM unit is plain text (codes out of scoring) and a tagged query finds it.
    best = tm.lookup(db, row["source"], "en", "zh")[0]
    assert best.score == 100 and best.source == "Read the safety notes before use. Keep them."
    out = tmp_path / "tm.tmx"
    assert _cli("tm", "export", "-o", str(out), "--db", str(db_path)).exit_code == 0
    seg = etree.parse(str(out)).find("body/tu/tuv/seg")
    assert [c.tag for c in seg] == ["bpt", "bpt", "ept", "ph", "ept"]


def test_the_source_copy_for_omegat_is_the_default_and_reads_back_as_untranslated(tmp_path):
    import io

    from workbench.formats.xliff import XliffDocument, XliffSegment, read_xliff, write_xliff

    doc = XliffDocument("a.txt", "en", "zh", [XliffSegment("1", "Contact support.", "", "new")])
    plain, copied = io.BytesIO(), io.BytesIO()
    write_xliff(doc, plain, copy_source=False)
    write_xliff(doc, copied)
    assert b"<target" not in plain.getvalue()
    assert b'state="needs-translation">Contact support.</target>' in copied.getvalue()
    assert read_xliff(copied.getvalue()).segments == doc.segments


def test_foreign_xliff_with_other_languages_is_refused(db_path, tmp_path):
    path = tmp_path / "fr.xlf"
    path.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
        '<file original="a" source-language="en" target-language="fr" datatype="plaintext">'
        '<body><trans-unit id="1"><source>Tea</source></trans-unit></body></file></xliff>',
        encoding="utf-8",
    )
    result = _cli("import-xliff", str(path), "--db", str(db_path))
    assert result.exit_code != 0 and "translates en into fr" in result.output


def test_tmx_export_of_a_worked_document_keeps_its_codes(db_path, tmp_path, installed_models):
    document_id = _import(db_path, FIXTURES / "xliff" / "xliff20_okapi.xlf")
    db = connect(db_path)
    row = list(db.query("SELECT * FROM segments WHERE document_id = ?", [document_id]))[1]
    save_segment(
        db,
        row["id"],
        base_version=row["version"],
        author="t",
        target=row["target"],
        status="approved",
    )
    out = tmp_path / "doc.tmx"
    _cli(
        "export",
        "--format",
        "tmx",
        "--document",
        str(document_id),
        "-o",
        str(out),
        "--db",
        str(db_path),
    )
    segs = etree.parse(str(out)).findall("body/tu/tuv/seg")
    assert "".join(segs[0].itertext()).startswith("Keep them")
    assert [c.tag for c in segs[1]] == ["bpt", "ept"]
    assert segs[1][0].text == '<sc id="3" dataRef="d1"/>'
