"""`workbench export --format tmx`: approved pairs, valid TMX 1.4b, read by translate-toolkit."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from lxml import etree
from translate.storage.tmx import tmxfile

from workbench.cli import cli
from workbench.db import connect, save_segment

DTD = Path(__file__).parent / "fixtures" / "interchange" / "tmx14.dtd"


def approve_some(db_path) -> list[dict]:
    """Approve every other segment of each direction, with awkward characters in the text."""
    db = connect(db_path)
    approved = []
    rows = list(
        db.query(
            "SELECT s.*, d.source_lang FROM segments s JOIN documents d ON d.id = s.document_id"
            " WHERE s.translate ORDER BY s.id"
        )
    )
    for i, row in enumerate(rows[::2]):
        target = f"{row['mt']} <&> “引号” \x07#{i}"
        save_segment(
            db,
            row["id"],
            base_version=row["version"],
            author="rev",
            target=target,
            status="approved",
        )
        approved.append({**row, "target": target.replace("\x07", "")})
    return approved


def test_export_writes_only_approved_pairs_and_round_trips(seeded_db, tmp_path):
    approved = approve_some(seeded_db)
    out = tmp_path / "out.tmx"
    result = CliRunner().invoke(
        cli, ["export", "--format", "tmx", "--db", str(seeded_db), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {len(approved)} translation units" in result.output

    raw = out.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    tree = etree.fromstring(raw)
    assert etree.DTD(str(DTD)).validate(tree), "export must validate against the TMX 1.4 DTD"
    header = tree.find("header")
    for attribute in (
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
        "datatype",
    ):
        assert header.get(attribute)
    for tu in tree.iter("tu"):
        assert len(tu.get("creationdate")) == 16 and tu.get("changedate").endswith("Z")

    store = tmxfile(raw)
    assert {r["source_lang"] for r in approved} == {"en", "zh"}
    pairs = set()
    for unit in store.units:
        tuvs = {
            tuv.get("{http://www.w3.org/XML/1998/namespace}lang"): tuv.findtext("seg")
            for tuv in unit.xmlelement.iter("tuv")
        }
        assert set(tuvs) == {"en-US", "zh-CN"}
        pairs.add((tuvs["en-US"], tuvs["zh-CN"]))
    expected = {
        (r["source"], r["target"]) if r["source_lang"] == "en" else (r["target"], r["source"])
        for r in approved
    }
    assert pairs == expected


def test_export_with_nothing_approved_writes_an_empty_valid_file(seeded_db, tmp_path):
    out = tmp_path / "empty.tmx"
    result = CliRunner().invoke(cli, ["export", "--db", str(seeded_db), "-o", str(out)])
    assert result.exit_code == 0
    assert etree.DTD(str(DTD)).validate(etree.parse(str(out)))
    assert len(tmxfile(out.read_bytes()).units) == 0
