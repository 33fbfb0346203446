"""TMX through the TM without loss: inline codes, notes, props, contexts, language tags.

Files in fixtures/interchange follow each tool's documented structure (OmegaT
project_save.tmx, Okapi, the TMX compliance kit, Trados TW4Win UTF-16, memoQ).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from workbench.cli import cli
from workbench.formats import inline
from workbench.formats.tmx import TmxError, read_tmx
from workbench.store.db import connect
from workbench.tm import memory as tm

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"
DTD = etree.DTD(str(FIXTURES / "tmx14.dtd"))


def _cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _export(db_path: Path, out: Path) -> etree._Element:
    result = _cli("tm", "export", "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    root = etree.parse(str(out)).getroot()
    assert DTD.validate(root), DTD.error_log.filter_from_errors()
    return root


def _import(db_path: Path, *names: str):
    return _cli("tm", "import", *(str(FIXTURES / n) for n in names), "--db", str(db_path))


def test_okapi_tab_and_newline_codes_keep_sentences_apart_and_come_back(tmp_path):
    unit = read_tmx(FIXTURES / "okapi_tabs.tmx").units[0]
    assert unit.source == "Clean the fluid detector. 2. Touch Retry."
    assert "detector.2." not in unit.source
    db_path = tmp_path / "wb.db"
    assert _import(db_path, "okapi_tabs.tmx").exit_code == 0
    root = _export(db_path, tmp_path / "out.tmx")
    segs = [etree.tostring(s, encoding="unicode", with_tail=False) for s in root.iter("seg")]
    assert (
        '<seg>Clean the fluid detector.<ph x="1">\\t</ph>2.<ph x="2">\\n</ph>Touch Retry.</seg>'
        in segs
    )
    assert (
        '<seg>单击<bpt i="1">&lt;b&gt;</bpt>开始<ept i="1">&lt;/b&gt;</ept>以开始。</seg>' in segs
    )


def test_compliance_kit_codes_notes_props_and_header_survive(tmp_path):
    db_path = tmp_path / "wb.db"
    assert _import(db_path, "compliance_2c.tmx").exit_code == 0
    root = _export(db_path, tmp_path / "out.tmx")
    header = root.find("header")
    assert header.get("segtype") == "sentence" and header.get("o-tmf") == "ABCTransMem"
    assert [n.text for n in header.findall("note")] == ["Compliance kit, level 2: content markup."]
    assert [(p.get("type"), p.text) for p in header.findall("prop")] == [("x-level", "2")]
    tu = root.find("body/tu[@tuid='2C']")
    assert tu.get("creationid") == "TK" and tu.get("usagecount") == "3"
    assert tu.get("datatype") == "html"
    assert [n.text for n in tu.findall("note")] == ["Placeholder for an image."]
    assert ("x-Domain", "UI") in [(p.get("type"), p.text) for p in tu.findall("prop")]
    seg = etree.tostring(tu.find("tuv/seg"), encoding="unicode", with_tail=False)
    assert (
        seg == '<seg>Click <ph x="1" type="image">&lt;img src="start.gif"&gt;</ph> to start.</seg>'
    )
    tags = root.find("body/tu[@tuid='2D']")
    # Words inside <it> (Catalyst keeps "tags" there) and <hi> come back with their markup.
    assert etree.tostring(tags.findall("tuv/seg")[1], encoding="unicode", with_tail=False) == (
        '<seg>按<hi type="b">回车</hi>或<it pos="begin" x="1">&lt;A HREF="a.htm"&gt;</it>'
        "参见标记</seg>"
    )


def test_omegat_tag_text_is_codes_and_alternatives_stay_alternatives(tmp_path):
    db_path = tmp_path / "wb.db"
    result = _import(db_path, "omegat_zh_alternatives.tmx")
    assert result.exit_code == 0, result.output
    db = connect(db_path)
    # <g1>…</g1> is OmegaT's tag text: the plain source finds the unit at 100%.
    best = tm.lookup(db, "TiDB cluster upgrade", "en", "zh")[0]
    assert (best.score, best.target) == (100, "TiDB 集群升级")
    # The default translation wins a plain lookup; the alternative is shown as such.
    matches = tm.lookup(db, "Other", "en", "zh")
    assert [(m.target, m.context) for m in matches] == [
        ("其他", ""),
        ("其他人的", "file=src/main/resources/Bundle.properties;id=OTHER_USERS"),
    ]
    shown = _cli("tm", "lookup", "Other", "--from", "en", "--to", "zh", "--db", str(db_path))
    assert shown.output.index("其他 ") < shown.output.index("alternative for file=")
    root = _export(db_path, tmp_path / "out.tmx")
    by_target = {tu.findall("tuv/seg")[1].text: tu for tu in root.iter("tu")}
    alt = by_target["其他人的"]
    assert [(p.get("type"), p.text) for p in alt.findall("prop")][:2] == [
        ("file", "src/main/resources/Bundle.properties"),
        ("id", "OTHER_USERS"),
    ]
    assert not any(p.get("type") in ("file", "id") for p in by_target["其他"].findall("prop"))
    # Tag text goes back as OmegaT wrote it; note, creator and changer are kept.
    tag_tu = next(tu for tu in root.iter("tu") if tu.findall("note"))
    assert tag_tu.findall("tuv/seg")[1].text == "<g1>TiDB 集群升级</g1>"
    assert tag_tu.findall("note")[0].text == "Use the product name as in the glossary."
    assert (tag_tu.get("creationid"), tag_tu.get("changeid")) == ("bob", "alice")
    assert root.find("header").get("segtype") == "paragraph"


def test_trados_tw4win_utf16_keeps_tags_as_written_and_ut_codes(tmp_path):
    db_path = tmp_path / "wb.db"
    result = _import(db_path, "trados_tw4win_utf16.tmx")
    assert result.exit_code == 0, result.output
    root = _export(db_path, tmp_path / "out.tmx")
    assert root.find("header").get("srclang") == "EN-GB"  # not en-US
    assert [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in root.iter("tuv")] == [
        "EN-GB",
        "ZH-TW",
    ]
    tu = root.find("body/tu")
    assert tu.get("usagecount") == "4" and tu.get("creationid") == "TRANSLATOR1"
    assert ("Att::Client", "Acme") in [(p.get("type"), p.text) for p in tu.findall("prop")]
    header_props = [p.get("type") for p in root.find("header").findall("prop")]
    assert header_props == ["RTFFontTable", "TuAttrInfo"]
    seg = etree.tostring(tu.findall("tuv/seg")[0], encoding="unicode", with_tail=False)
    assert seg == "<seg>The colour of the <ut>{\\b </ut>lid<ut>}</ut> is grey.</seg>"


def test_export_without_english_source_does_not_claim_en_us(tmp_path):
    db_path = tmp_path / "wb.db"
    db = connect(db_path)
    tm.add_unit(db, "这是中文。", "This is Chinese.", "zh", "en", "approved")
    root = _export(db_path, tmp_path / "out.tmx")
    assert root.find("header").get("srclang") != "en-US"


def test_two_variants_of_one_language_are_refused_with_the_tags(tmp_path):
    result = _import(tmp_path / "wb.db", "refused/en_us_en_gb.tmx")
    assert result.exit_code != 0
    assert "two variants of one language" in result.output
    assert "en-GB and en-US" in result.output
    assert connect(tmp_path / "wb.db")["tm_units"].count == 0


def test_pairs_other_than_zh_en_are_refused_listing_the_pairs(tmp_path):
    result = _import(tmp_path / "wb.db", "refused/en_fr_de.tmx")
    assert result.exit_code != 0
    assert "en-US→fr-FR (1 unit(s))" in result.output and "en-US→de-DE" in result.output
    assert connect(tmp_path / "wb.db")["tm_units"].count == 0


def test_memoq_file_declaring_utf16_in_utf8_says_so():
    with pytest.raises(TmxError) as error:
        read_tmx(FIXTURES / "refused" / "memoq_declares_utf16.tmx")
    assert 'encoding="utf-16"' in str(error.value) and "bytes are UTF-8" in str(error.value)
    assert "Blank needed" not in str(error.value)


def test_codes_are_out_of_fuzzy_scoring(tmp_path):
    db = connect(tmp_path / "wb.db")
    tm.import_units(db, read_tmx(FIXTURES / "okapi_tabs.tmx").units)
    best = tm.lookup(db, "Click Start to begin.", "en", "zh")[0]
    assert best.score == 100 and best.target == "单击开始以开始。"


def test_reinsert_and_code_problems():
    source = inline.read_element(
        etree.fromstring(
            '<seg>Click <bpt i="1">&lt;b&gt;</bpt>Start<ept i="1">&lt;/b&gt;</ept>'
            " now<ph>&lt;br/&gt;</ph></seg>"
        ),
        ValueError,
    )
    assert source.plain() == "Click Start now"
    placed = inline.reinsert(source, "Klicken Sie jetzt auf Start")
    assert inline.markers(placed) == [0, 1, 2] and placed.endswith(inline.marker(2))
    assert inline.code_problems(source, placed) == []
    missing = placed.replace(inline.marker(2), "")
    assert inline.code_problems(source, missing)[0].startswith("missing standalone code")
    swapped = f"{inline.marker(1)}x{inline.marker(0)}{inline.marker(2)}"
    assert any("closes before it opens" in p for p in inline.code_problems(source, swapped))


def test_concordance_through_the_trigram_index_equals_the_scan(tmp_path):
    db = connect(tmp_path / "wb.db")
    for i, (source, target) in enumerate(
        [
            ("Open the Workspace settings.", "打开工作区设置。"),
            ("The workspace is shared.", "工作区是共享的。"),
            ("Save 100% of the file_name.", "保存文件名的100%。"),
            ("Ärger im Workspace", "工作区里的麻烦"),
        ]
    ):
        tm.add_unit(db, source, target, "en", "zh", "approved", changed_at=f"2024-01-0{i + 1}")
    for query in ("workspace", "WORKSPACE", "工作区", "作区设", "100%", "file_name", "ärger", "区"):
        indexed = tm.concordance(db, query)
        assert indexed == tm.concordance(db, query, indexed=False), query
    assert len(tm.concordance(db, "workspace")) == 3
    # The index follows updates: the replaced target is no longer found.
    tm.add_unit(db, "The workspace is shared.", "工作空间是共享的。", "en", "zh", "approved")
    assert tm.concordance(db, "工作空间")[0]["target"] == "工作空间是共享的。"
    assert tm.concordance(db, "工作区是共享") == []


def test_user_defined_characters_and_their_ude_survive(tmp_path):
    """TMX `<ude>`: the header's mapping is written back as it was, and the private-use
    characters it maps stay in the segments, also beside inline codes (whose placeholders
    are private-use characters too)."""
    parsed = read_tmx(FIXTURES / "ude_macroman.tmx")
    assert [u.source for u in parsed.units][0] == "Choose \uf8ff then About This Mac."
    assert len(parsed.header_udes) == 2
    db_path = tmp_path / "wb.db"
    assert _import(db_path, "ude_macroman.tmx").exit_code == 0
    root = _export(db_path, tmp_path / "out.tmx")
    source = etree.parse(str(FIXTURES / "ude_macroman.tmx")).getroot()

    def xml(el):
        return etree.tostring(el, encoding="unicode", with_tail=False)

    assert [xml(u) for u in root.iterfind("header/ude")] == [
        xml(u) for u in source.iterfind("header/ude")
    ]
    assert root.find("header").get("o-encoding") == "macintosh"
    assert sorted(map(xml, root.iter("seg"))) == sorted(map(xml, source.iter("seg")))
    # The character is text where the segment has no codes, a code of its own beside codes.
    best = tm.lookup(connect(db_path), "Choose \uf8ff then About This Mac.", "en", "zh")[0]
    assert best.score == 100 and best.target == "选择 \uf8ff 然后选择“关于本机”。"
    coded = parsed.units[1].source_coded
    assert [c.element for c in coded.codes] == ["bpt", inline.CHAR, "ept", inline.CHAR]
    assert inline.to_xml(coded).endswith("menu \ue001")
