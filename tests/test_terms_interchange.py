"""Glossaries in and out: TBX-Basic, TBX v3, OmegaT TSV, MateCat CSV, UTF-8 and UTF-16."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.terms import entries as glossary
from workbench.terms.tabular import read_table, write_table
from workbench.terms.tbx import read_tbx, write_tbx

FIXTURES = Path(__file__).parent / "fixtures" / "terms"


def run(db_path, *args: str):
    return CliRunner().invoke(cli, ["terms", *args, "--db", str(db_path)])


def comparable(entries):
    keys = ("source", "target", "source_lang", "target_lang", "source_variants")
    keys += ("target_variants", "forbidden", "pos", "note", "case_sensitive")
    return sorted(tuple(str(getattr(e, k)) for k in keys) for e in entries)


def test_tbx_basic_reads_every_data_category():
    entries, warnings = read_tbx(FIXTURES / "tbx_basic.tbx")
    assert warnings == ["concept c3 lacks one of zh-CN/en-US"]
    dut, secretary = entries
    assert (dut.source, dut.target) == ("大连理工大学", "Dalian University of Technology")
    assert (dut.source_lang, dut.target_lang) == ("zh-CN", "en-US")
    assert dut.source_variants == ["大工"]
    assert dut.target_variants == ["DUT"]
    assert dut.forbidden == ["Dalian Technology University"]
    assert dut.pos == "properNoun"
    assert "Official English name." in dut.note and "public university" in dut.note
    assert (dut.created_at, dut.created_by) == ("2024-03-01", "lihua")
    assert (secretary.source, secretary.target, secretary.pos) == (
        "党委书记",
        "Party Secretary",
        "noun",
    )


def test_tbx_v3_core_keeps_zh_tw_and_direction():
    (entry,), _ = read_tbx(FIXTURES / "tbx_v3_core.tbx")
    assert (entry.source_lang, entry.target_lang) == ("en", "zh-TW")
    assert (entry.source, entry.target, entry.forbidden) == ("university", "大學", ["大学"])


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_tbx_round_trip(tmp_path, version, encoding):
    original, _ = read_tbx(FIXTURES / "tbx_basic.tbx")
    original[1].case_sensitive = True
    out = tmp_path / "out.tbx"
    write_tbx(out, original, version=version, encoding=encoding)
    data = out.read_bytes()
    if encoding == "utf-16":
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
        assert "大连理工大学".encode() not in data
    again, warnings = read_tbx(out)
    assert warnings == []
    assert comparable(again) == comparable(original)


def test_tbx_written_is_read_by_translate_toolkit(tmp_path):
    """Another implementation reads our TBX-Basic: the terms are where the standard puts them."""
    from translate.storage.tbx import tbxfile

    original, _ = read_tbx(FIXTURES / "tbx_basic.tbx")
    out = tmp_path / "out.tbx"
    write_tbx(out, original)
    store = tbxfile(out.read_bytes())
    sources = {unit.source for unit in store.units}
    assert {"大连理工大学", "党委书记"} <= sources


def test_bad_tbx_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.tbx"
    bad.write_text("<martif><text><body><termEntry>", encoding="utf-8")
    with pytest.raises(glossary.GlossaryError, match="not well-formed"):
        read_tbx(bad)
    bomb = tmp_path / "bomb.tbx"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<martif><text><body><termEntry><langSet xml:lang="zh"><tig><term>&b;</term></tig>'
        '</langSet><langSet xml:lang="en"><tig><term>x</term></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    entries, _ = read_tbx(bomb)
    assert "aaaaaaaaaa" not in entries[0].source if entries else True


def test_omegat_tsv_reads_and_round_trips(tmp_path):
    entries = read_table(FIXTURES / "omegat.txt", None, "zh-CN", "en-US")
    by_source = {e.source: e for e in entries}
    assert by_source["党委书记"].target == "Party Secretary"
    assert by_source["党委书记"].target_variants == ["Party committee secretary"]
    assert by_source["大连理工大学"].note == "official name"
    assert by_source["双一流"].target == "Double First-Class"
    for encoding in ("utf-8", "utf-16"):
        out = tmp_path / f"out-{encoding}.txt"
        write_table(out, entries, "omegat", encoding)
        assert comparable(read_table(out, "omegat", "zh-CN", "en-US")) == comparable(entries)


def test_omegat_needs_languages():
    with pytest.raises(glossary.GlossaryError, match="--from and --to"):
        read_table(FIXTURES / "omegat.txt")


def test_matecat_csv_forbidden_row_and_round_trip(tmp_path):
    entries = read_table(FIXTURES / "matecat.csv")
    by_source = {e.source: e for e in entries}
    dut = by_source["大连理工大学"]
    assert (dut.source_lang, dut.target_lang) == ("zh-CN", "en-US")
    assert dut.target == "Dalian University of Technology"
    assert dut.forbidden == ["Dalian Technology University"]
    out = tmp_path / "out.csv"
    write_table(out, entries, "matecat", "utf-16")
    assert out.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert comparable(read_table(out)) == comparable(entries)


def test_cli_import_list_add_export(db_path, tmp_path):
    result = run(db_path, "import", str(FIXTURES / "tbx_basic.tbx"), "--project", "News", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["added"] == 2
    again = run(db_path, "import", str(FIXTURES / "tbx_basic.tbx"), "--project", "News", "--json")
    assert json.loads(again.stdout)[0] == {**json.loads(again.stdout)[0], "added": 0, "updated": 2}
    shared = run(db_path, "add", "双一流", "Double First-Class", "--from", "zh-CN", "--to", "en-US")
    assert shared.exit_code == 0, shared.output
    listed = json.loads(run(db_path, "list", "--project", "News", "--json").stdout)
    assert {e["source"] for e in listed} == {"大连理工大学", "党委书记", "双一流"}
    assert {e["source"] for e in listed if e["project_id"] is None} == {"双一流"}
    only = json.loads(run(db_path, "list", "--project", "News", "--only-project", "--json").stdout)
    assert len(only) == 2
    out = tmp_path / "news.tbx"
    exported = run(db_path, "export", "-o", str(out), "--project", "News", "--encoding", "utf-16")
    assert exported.exit_code == 0, exported.output
    entries, _ = read_tbx(out)
    assert {e.source for e in entries} == {"大连理工大学", "党委书记", "双一流"}
    missing = run(db_path, "list", "--project", "Nope")
    assert missing.exit_code == 2 and "no project named" in missing.output


def test_cli_import_is_all_or_nothing(db_path, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("大学\tuniversity\nonly-one-column\n", encoding="utf-8")
    result = run(db_path, "import", str(bad), "--from", "zh", "--to", "en", "--project", "P")
    assert result.exit_code == 1 and "expected source, target" in result.output
    assert json.loads(run(db_path, "list", "--project", "P", "--json").stdout) == []
