"""`workbench export --format tmx`: approved pairs, valid TMX 1.4b, read by translate-toolkit."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from translate.storage.tmx import tmxfile

from workbench.cli import cli
from workbench.review.saves import save_segment
from workbench.store.db import connect

DTD = Path(__file__).parent / "fixtures" / "interchange" / "tmx14.dtd"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


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


def export(db_path, *args: str):
    return CliRunner().invoke(cli, ["export", "--db", str(db_path), *args])


def test_filters_select_documents_statuses_and_dates(seeded_db, tmp_path):
    approve_some(seeded_db)
    db = connect(seeded_db)
    out = tmp_path / "doc1.tmx"
    assert export(seeded_db, "-o", str(out), "--document", "1").exit_code == 0
    doc1 = db.execute(
        "SELECT COUNT(*) FROM segments WHERE document_id = 1 AND status = 'approved'"
    ).fetchone()[0]
    assert len(etree.parse(str(out)).findall(".//tu")) == doc1 > 0
    new = tmp_path / "new.tmx"
    assert export(seeded_db, "-o", str(new), "--status", "new").exit_code == 0
    assert len(etree.parse(str(new)).findall(".//tu")) == 0  # new segments have no target yet
    future = tmp_path / "future.tmx"
    assert export(seeded_db, "-o", str(future), "--since", "2999-01-01").exit_code == 0
    assert len(etree.parse(str(future)).findall(".//tu")) == 0
    assert export(seeded_db, "-o", str(future), "--project", "Default").exit_code == 0
    assert len(etree.parse(str(future)).findall(".//tu")) == db["segments"].count_where(
        "status = 'approved'"
    )


def test_lang_tags_are_configurable(seeded_db, tmp_path):
    approve_some(seeded_db)
    out = tmp_path / "hans.tmx"
    result = export(seeded_db, "-o", str(out), "--lang-tag", "zh=zh-Hans", "--source-lang", "zh")
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(out))
    assert tree.find("header").get("srclang") == "zh-Hans"
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tree.iter("tuv")}
    assert langs == {"en-US", "zh-Hans"}


def test_csv_export_reads_back(seeded_db, tmp_path):
    import csv

    approved = approve_some(seeded_db)
    out = tmp_path / "pairs.csv"
    assert export(seeded_db, "--format", "csv", "-o", str(out), "--bom").exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == len(approved)
    assert {r["status"] for r in rows} == {"approved"}


def test_xliff_round_trip_through_a_cat_tool(seeded_db, tmp_path):
    """Export a document, 'finish it in a CAT tool' (edit the XLIFF), bring it back."""
    from workbench.formats.xliff import read_xliff, write_xliff

    out = tmp_path / "doc.xlf"
    assert export(seeded_db, "--format", "xliff", "--document", "2", "-o", str(out)).exit_code == 0
    doc = read_xliff(out)
    assert doc.source_lang == "en" and doc.target_lang == "zh"
    first, second, third = doc.segments[:3]
    first.target, first.status = "译文一。", "approved"
    second.target, second.status = "译文二。", "translated"
    db = connect(seeded_db)
    # meanwhile somebody edits the third segment in Workbench
    row = db["segments"].get(int(third.id))
    from workbench.review.saves import save_segment

    save_segment(db, row["id"], base_version=row["version"], author="web", target="网页里改的。")
    third.target, third.status = "CAT 工具里改的。", "translated"
    write_xliff(doc, out)

    result = CliRunner().invoke(cli, ["import-xliff", str(out), "--db", str(seeded_db), "--json"])
    assert result.exit_code == 1  # a conflict is reported
    report = json.loads(result.stdout)
    assert report["updated"] == 2 and len(report["conflicts"]) == 1
    assert (
        db["segments"].get(int(first.id))["target"],
        db["segments"].get(int(first.id))["status"],
    ) == (
        "译文一。",
        "approved",
    )
    assert db["segments"].get(int(second.id))["status"] == "translated"
    assert db["segments"].get(int(third.id))["target"] == "网页里改的。"


def test_xliff_export_carries_each_segments_work(seeded_db, tmp_path):
    """What a CAT tool receives for a document: every segment's current target, status,
    MT suggestion and reviewer note, and its version (to spot edits made meanwhile)."""
    from workbench.formats.xliff import read_xliff

    db = connect(seeded_db)
    document = next(db.query("SELECT * FROM documents WHERE source_lang = 'zh' ORDER BY id"))
    rows = list(
        db.query(
            "SELECT * FROM segments WHERE document_id = ? AND translate ORDER BY position",
            [document["id"]],
        )
    )
    first, second = rows[0], rows[1]
    save_segment(db, first["id"], base_version=first["version"], author="rev", target="译文。",
                 status="rejected")  # fmt: skip
    db.execute("UPDATE segments SET note = 'check the name' WHERE id = ?", [first["id"]])
    db.conn.commit()
    out = tmp_path / "doc.xlf"
    command = ("--format", "xliff", "--document", str(document["id"]), "-o", str(out))
    assert export(seeded_db, *command).exit_code == 0
    sent = read_xliff(out)
    assert (sent.source_lang, sent.target_lang) == ("zh", "en")
    assert sent.original == document["filename"] and document["filename"]
    by_id = {int(segment.id): segment for segment in sent.segments}
    assert list(by_id) == [row["id"] for row in rows]
    sent_back = by_id[first["id"]]
    assert (sent_back.target, sent_back.status, sent_back.note) == (
        "译文。",
        "rejected",
        "check the name",
    )
    assert sent_back.mt == first["mt"] and first["mt"]
    assert sent_back.resname == f"wb:{document['id']}:{first['id']}:v{first['version'] + 1}"
    untouched = by_id[second["id"]]
    assert (untouched.target, untouched.status, untouched.mt, untouched.note) == (
        second["target"] or "",
        second["status"],
        second["mt"],
        None,
    )


def test_xliff_needs_a_document(seeded_db, tmp_path):
    result = export(seeded_db, "--format", "xliff", "-o", str(tmp_path / "x.xlf"))
    assert result.exit_code == 2
    assert "--document" in result.output


def test_interrupted_export_keeps_the_previous_file(seeded_db, tmp_path, monkeypatch):
    approve_some(seeded_db)
    out = tmp_path / "keep.tmx"
    out.write_bytes(b"previous export")
    import workbench.exchange.export

    original = workbench.exchange.export.units

    def failing(db, selection):
        for i, unit in enumerate(original(db, selection)):
            if i == 2:
                raise RuntimeError("disk on fire")
            yield unit

    monkeypatch.setattr(workbench.exchange.export, "units", failing)
    result = export(seeded_db, "-o", str(out))
    assert result.exit_code != 0
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("keep")] == ["keep.tmx"]


def test_units_carry_status_document_hter_and_rejection_reason(seeded_db):
    from workbench.exchange.export import Selection, units

    db = connect(seeded_db)
    row = next(iter(db.query("SELECT * FROM segments WHERE translate ORDER BY id LIMIT 1")))
    save_segment(
        db,
        row["id"],
        base_version=row["version"],
        author="rev",
        target=row["mt"],
        status="rejected",
    )
    db.execute("UPDATE segments SET note = 'Wrong term' WHERE id = ?", [row["id"]])
    (unit,) = units(db, Selection(statuses=("rejected",)))
    assert unit.props["status"] == "rejected" and unit.props["hter"] == "0.000"
    assert unit.props["document"] and unit.notes == ["Wrong term"]


def _document_of_every_kind(db) -> int:
    """Segments as a user leaves them: untouched, pre-filled but untouched, a draft equal to
    its source, texts with a control character XML cannot carry, every review status."""
    from workbench.store.db import insert_document

    segments = [
        {"source": "Untouched.", "target": "", "status": "new"},
        {"source": "Pre-filled.", "target": "预填。", "status": "new"},
        {"source": "iPhone 15", "target": "iPhone 15", "status": "draft"},
        {"source": "Bell\x07 here.", "target": "铃\x07在这里。", "status": "translated"},
        {"source": "Done.", "target": "完成。", "status": "approved"},
        {"source": "Wrong.", "target": "错。", "status": "rejected", "note": "term"},
        {"source": "Being edited.", "target": "编辑中", "status": "draft"},
    ]
    return insert_document(
        db,
        {"title": "kinds", "filename": "kinds.txt", "source_lang": "en", "target_lang": "zh"},
        segments,
        "test",
    )


def _state(db, document_id: int) -> tuple[list, int]:
    rows = list(
        db.query(
            "SELECT target, status, version FROM segments WHERE document_id = ? ORDER BY position",
            [document_id],
        )
    )
    revisions = db.execute(
        "SELECT COUNT(*) FROM revisions r JOIN segments s ON s.id = r.segment_id"
        " WHERE s.document_id = ?",
        [document_id],
    ).fetchone()[0]
    return rows, revisions


def test_unchanged_xliff_round_trip_rewrites_nothing(db_path, tmp_path):
    """Issue 12: `new` comes back `new`, a control character dropped on export is no edit,
    a source copy is no translation; for both forms of untranslated units."""
    db = connect(db_path)
    document_id = _document_of_every_kind(db)
    before = _state(db, document_id)
    for form in ("copy", "omit"):
        out = tmp_path / f"{form}.xlf"
        args = ("--format", "xliff", "--document", str(document_id), "-o", str(out))
        assert export(db_path, *args, "--untranslated", form).exit_code == 0
        result = CliRunner().invoke(cli, ["import-xliff", str(out), "--db", str(db_path), "--json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert (report["updated"], report["unchanged"]) == (0, 7), report
        assert _state(db, document_id) == before


def test_a_cat_tools_edits_of_our_default_xliff_come_back(db_path, tmp_path):
    """What OmegaT does to our default export: it translates a copied source and leaves the
    state as it was; an edited `new` text is a draft; a draft equal to its source stays."""
    db = connect(db_path)
    document_id = _document_of_every_kind(db)
    out = tmp_path / "doc.xlf"
    args = ("--format", "xliff", "--document", str(document_id), "-o", str(out))
    assert export(db_path, *args).exit_code == 0
    text = out.read_text("utf-8")
    assert 'state="needs-translation">Untouched.</target>' in text  # the default form
    text = text.replace('state="new">预填。<', 'state="new">预先填好。<')
    text = text.replace(">Untouched.</target>", ">未动。</target>")
    out.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["import-xliff", str(out), "--db", str(db_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["updated"] == 2
    rows, _ = _state(db, document_id)
    assert [(r["target"], r["status"]) for r in rows[:3]] == [
        ("未动。", "draft"),  # translated over the copy, state left needs-translation
        ("预先填好。", "draft"),  # edited, state left "new"
        ("iPhone 15", "draft"),  # a draft equal to its source is kept
    ]


# ------------------------------------------------------------ MT from a tiny test model

XLIFF_NS = "{urn:oasis:names:tc:xliff:document:1.2}"
#: XLIFF 1.2's content model of <header> (xliff-core-1.2-strict.xsd), as element names.
XLIFF_HEADER = re.compile(
    r"(skl )?(phase-group )?((glossary|reference|count-group|prop-group|note|tool) )*"
)


def xliff_header_is_valid(tree) -> bool:
    header = tree.find(f"{XLIFF_NS}file/{XLIFF_NS}header")
    names = "".join(etree.QName(child).localname + " " for child in header)
    return XLIFF_HEADER.fullmatch(names) is not None


def exported_files(db_path, tmp_path) -> dict[str, Path]:
    """The database exported as TMX, CSV, TSV and XLIFF (document 1, any status)."""
    files = {fmt: tmp_path / f"out.{fmt}" for fmt in ("tmx", "csv", "tsv", "xliff")}
    for fmt, path in files.items():
        extra = ("--document", "1") if fmt == "xliff" else ()
        result = export(db_path, "--format", fmt, "-o", str(path), *extra)
        assert result.exit_code == 0, result.output
    return files


def test_tiny_model_mt_is_marked_in_every_export_format(seeded_db, installed_models, tmp_path):
    import csv

    from translate.storage.xliff import xlifffile

    from workbench.formats.xliff import read_xliff

    approved = approve_some(seeded_db)
    keys = sorted(m.key for m in installed_models.values())
    result = export(seeded_db, "-o", str(tmp_path / "check.tmx"))
    assert "tiny test model" in result.stderr  # said on the terminal too
    files = exported_files(seeded_db, tmp_path)

    tree = etree.parse(str(files["tmx"]))
    assert etree.DTD(str(DTD)).validate(tree), "export must validate against the TMX 1.4 DTD"
    (header_note,) = tree.findall("header/prop[@type='x-workbench-mt-note']")
    assert "tiny test model" in header_note.text and all(k in header_note.text for k in keys)
    tus = tree.findall(".//tu")
    assert len(tus) == len(approved)
    for tu in tus:
        (note,) = tu.findall("prop[@type='x-mt-note']")
        assert "tiny test model" in note.text

    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        rows = list(csv.DictReader(files[fmt].read_text("utf-8").splitlines(), delimiter=delimiter))
        assert len(rows) == len(approved)
        assert all("tiny test model" in row["mt-note"] for row in rows), fmt

    xliff = etree.parse(str(files["xliff"]))
    (note,) = xliff.findall(f"{XLIFF_NS}file/{XLIFF_NS}header/{XLIFF_NS}note")
    assert "tiny test model" in note.text
    assert xliff_header_is_valid(xliff)
    segments = read_xliff(files["xliff"]).segments  # the header note is no unit's note
    assert segments and all(s.note is None for s in segments)
    assert len(xlifffile(files["xliff"].read_bytes()).units) == len(segments)


@pytest.fixture
def real_model_db(tmp_path, installed_models, monkeypatch) -> Path:
    """The seeds imported with MT from packages without the tiny-test flag, as a real
    Argos package has none: the tiny packages' files under other names, the flag taken
    out of their metadata, in a package directory of their own."""
    from workbench.mt.packages import EXTRA_DIRS_ENV

    packages = tmp_path / "real-packages"
    for model in installed_models.values():
        plain = packages / model.name.replace("-tiny", "-plain")
        shutil.copytree(model.path, plain)
        meta = json.loads((plain / "metadata.json").read_text("utf-8"))
        meta.pop("x-workbench", None)
        (plain / "metadata.json").write_text(json.dumps(meta), "utf-8")
    monkeypatch.setenv(EXTRA_DIRS_ENV, str(packages))
    db_path = tmp_path / "real.db"
    result = CliRunner().invoke(
        cli, ["import", *sorted(map(str, SEEDS.glob("*.txt"))), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    assert "tiny" not in result.output
    return db_path


def test_real_model_mt_is_not_marked(real_model_db, tmp_path):
    approve_some(real_model_db)
    db = connect(real_model_db)
    assert {r["mt_model"].split(":")[1] for r in db["documents"].rows} == {  # used, not tiny
        "translate-en_zh-plain",
        "translate-zh_en-plain",
    }
    for fmt, path in exported_files(real_model_db, tmp_path).items():
        text = path.read_text("utf-8")
        assert "tiny" not in text and "mt-note" not in text, fmt
        assert text.strip(), fmt
    assert etree.DTD(str(DTD)).validate(etree.parse(str(tmp_path / "out.tmx")))
    assert xliff_header_is_valid(etree.parse(str(tmp_path / "out.xliff")))
