"""Traditional Chinese: MT and the aligner's dictionary read a Simplified copy (OpenCC),
while the stored and exported text stays as written, tagged zh-Hant (or zh-TW / zh-HK
as the user says) through TMX and XLIFF. Article written for these tests."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from lxml import etree
from review_support import EN_SENTENCES, EN_TEXT, EN_TITLE, ZH_SENTENCES, ZH_TITLE

from workbench.cli import cli
from workbench.ingest.script import is_traditional, language_tag, to_simplified
from workbench.review.saves import save_segment
from workbench.store.db import connect

TW_TITLE = "港口重新開放"
TW_SENTENCES = [
    "經過兩年的施工，老港口於星期五重新開放。",
    "市長在開幕式上發表了講話。",
    "她說，港口將為城市帶來新的就業機會。",
    "第一艘貨船於上午十點抵達。",
    "船上裝載了三百個集裝箱。",
    "工人們花了六個小時卸貨。",
]
TW_TEXT = f"{TW_TITLE}\n\n{''.join(TW_SENTENCES[:3])}\n\n{''.join(TW_SENTENCES[3:])}\n"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_script_detection_and_the_simplified_copy():
    assert is_traditional(TW_TEXT)
    assert not is_traditional("".join(ZH_SENTENCES))
    assert not is_traditional(EN_TEXT)
    # the copy MT and the dictionary read is the Simplified article
    assert to_simplified([TW_TITLE, *TW_SENTENCES]) == [ZH_TITLE, *ZH_SENTENCES]
    assert language_tag("zh", TW_TEXT) == "zh-Hant"
    assert language_tag("zh", TW_TEXT, "zh-TW") == "zh-TW"
    assert language_tag("zh", "".join(ZH_SENTENCES)) == "zh"
    with pytest.raises(ValueError, match="does not fit"):
        language_tag("zh", TW_TEXT, "en-GB")


@pytest.fixture
def tw_file(tmp_path):
    path = tmp_path / "harbour-tw.txt"
    path.write_text(TW_TEXT, "utf-8")
    return path


def mt_cache(db_path) -> dict[str, str]:
    return {r["source"]: r["translation"] for r in connect(db_path)["mt_cache"].rows}


def test_import_stores_traditional_and_translates_the_simplified_copy(
    db_path, installed_models, tw_file, tmp_path
):
    result = run("import", str(tw_file), "--db", str(db_path), "--json")
    assert result.exit_code == 0, result.output
    db = connect(db_path)
    document = next(db["documents"].rows)
    assert (document["source_lang"], document["target_lang"]) == ("zh", "en")
    assert json.loads(document["metadata"])["source_tag"] == "zh-Hant"
    segments = list(db["segments"].rows_where("translate", order_by="position"))
    assert [s["source"] for s in segments] == [TW_TITLE, *TW_SENTENCES]  # as written
    cache = mt_cache(db_path)
    assert set(cache) == {ZH_TITLE, *ZH_SENTENCES}  # MT saw only the Simplified copy
    assert [s["mt"] for s in segments] == [cache[s] for s in [ZH_TITLE, *ZH_SENTENCES]]
    # the same article in Simplified gets the very same MT, from the cache
    simplified = tmp_path / "harbour-cn.txt"
    simplified.write_text("\n\n".join(to_simplified(TW_TEXT.split("\n\n"))), "utf-8")
    assert run("import", str(simplified), "--db", str(db_path)).exit_code == 0
    assert mt_cache(db_path) == cache


def test_region_tag_given_on_import_goes_into_the_xliff(
    db_path, installed_models, tw_file, tmp_path
):
    result = run("import", str(tw_file), "--db", str(db_path), "--source-tag", "zh-TW")
    assert result.exit_code == 0, result.output
    out = tmp_path / "doc.xlf"
    result = run(
        "export", "--db", str(db_path), "--format", "xliff", "--document", "1", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    file_element = etree.parse(str(out)).getroot()[0]
    assert (file_element.get("source-language"), file_element.get("target-language")) == (
        "zh-TW",
        "en-US",
    )
    sources = [el.text for el in etree.parse(str(out)).iter("{*}source")]
    assert sources == [TW_TITLE, *TW_SENTENCES]


def test_a_tag_of_another_language_is_refused(db_path, installed_models, tw_file):
    result = run("import", str(tw_file), "--db", str(db_path), "--source-tag", "en-GB")
    assert result.exit_code == 1
    assert "language tag en-GB does not fit the text" in result.output


def test_alignment_uses_the_simplified_copy_and_tmx_keeps_the_text_and_tag(
    db_path, installed_models, tw_file, tmp_path
):
    en = tmp_path / "harbour-en.txt"
    en.write_text(EN_TEXT, "utf-8")
    # the dictionary alone (no MT) scores the Traditional article as it scores the Simplified
    cn = tmp_path / "harbour-cn.txt"
    cn.write_text("\n\n".join(to_simplified(TW_TEXT.split("\n\n"))), "utf-8")
    aligned = {}
    for name, path in (("tw", tw_file), ("cn", cn)):
        result = run(
            "align", str(path), str(en), "--no-mt", "--format", "jsonl", "--db", str(db_path)
        )
        assert result.exit_code == 0, result.output
        aligned[name] = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in aligned["tw"]] == [TW_TITLE, *TW_SENTENCES]
    assert [(r["target"], r["confidence"]) for r in aligned["tw"]] == [
        (r["target"], r["confidence"]) for r in aligned["cn"]
    ]

    result = run("import", str(tw_file), "--translation", str(en), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    db = connect(db_path)
    document = next(db["documents"].rows)
    assert json.loads(document["metadata"])["source_tag"] == "zh-Hant"
    rows = list(db["segments"].rows_where("translate", order_by="position"))
    assert [(r["source"], r["target"]) for r in rows] == list(
        zip([TW_TITLE, *TW_SENTENCES], [EN_TITLE, *EN_SENTENCES], strict=True)
    )
    assert set(mt_cache(db_path)) >= {ZH_TITLE, *ZH_SENTENCES}
    assert not set(mt_cache(db_path)) & {TW_TITLE, *TW_SENTENCES}
    for row in rows:
        save_segment(db, row["id"], base_version=row["version"], author="rev", status="approved")
    out = tmp_path / "tw.tmx"
    result = run("export", "--db", str(db_path), "--format", "tmx", "-o", str(out))
    assert result.exit_code == 0, result.output
    units = etree.parse(str(out)).getroot().iter("tu")
    pairs = [{tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.iter("tuv")} for tu in units]
    assert pairs == [
        {"zh-Hant": zh, "en-US": en}
        for zh, en in zip([TW_TITLE, *TW_SENTENCES], [EN_TITLE, *EN_SENTENCES], strict=True)
    ]


def test_align_command_writes_the_region_tag_into_tmx(db_path, installed_models, tw_file, tmp_path):
    en = tmp_path / "harbour-en.txt"
    en.write_text(EN_TEXT, "utf-8")
    result = run(
        "align", str(tw_file), str(en), "--format", "tmx", "--source-tag", "zh-HK",
        "--db", str(db_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    root = etree.fromstring(result.stdout_bytes)
    assert root.find("header").get("srclang") == "zh-HK"
    zh = [tuv.findtext("seg") for tuv in root.iter("tuv") if tuv.get(XML_LANG) == "zh-HK"]
    assert zh == [TW_TITLE, *TW_SENTENCES]


def test_batch_translate_reads_the_simplified_copy_too(db_path, installed_models, tw_file):
    result = run("translate", str(tw_file), "--db", str(db_path), "-q")
    assert result.exit_code == 0, result.output
    cache = mt_cache(db_path)
    assert set(cache) == {ZH_TITLE, *ZH_SENTENCES}
    assert all(cache[zh] in result.stdout for zh in ZH_SENTENCES)


def test_batch_translate_tmx_and_xliff_carry_the_traditional_tag(
    db_path, installed_models, tw_file, tmp_path
):
    """`translate`'s interchange files say zh-Hant for a Traditional source, as `export` does."""
    cn = tmp_path / "harbour-cn.txt"
    cn.write_text("\n\n".join(to_simplified(TW_TEXT.split("\n\n"))), "utf-8")
    out = tmp_path / "corpus.tmx"
    result = run("translate", str(tw_file), str(cn), "--format", "tmx", "-o", str(out),
                 "--db", str(db_path), "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == "zh-Hant"
    units = list(root.iter("tu"))
    sides = [{tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.iter("tuv")} for tu in units]
    traditional = [side["zh-Hant"] for side in sides if "zh-Hant" in side]
    simplified = [side["zh-CN"] for side in sides if "zh-CN" in side]
    assert traditional == [TW_TITLE, *TW_SENTENCES]  # the text exactly as written
    assert simplified == [ZH_TITLE, *ZH_SENTENCES]
    # a Simplified unit under a zh-Hant header names its own source language
    assert {tu.get("srclang") for tu in units[len(traditional) :]} == {"zh-CN"}
    assert all(len(side) == 2 and "en-US" in side for side in sides)

    xlf = tmp_path / "harbour.xlf"
    result = run("translate", str(tw_file), "--format", "xliff", "-o", str(xlf),
                 "--db", str(db_path), "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    file_element = etree.parse(str(xlf)).getroot()[0]
    assert file_element.get("source-language") == "zh-Hant"
    assert file_element.get("target-language") == "en-US"


def test_batch_translate_keeps_the_region_a_page_declares(db_path, installed_models, tmp_path):
    page = tmp_path / "harbour.html"
    paragraphs = "".join(f"<p>{s}</p>" for s in TW_SENTENCES)
    page.write_text(
        f'<!doctype html><html lang="zh-HK"><head><meta charset="utf-8"><title>{TW_TITLE}'
        f"</title></head><body><h1>{TW_TITLE}</h1>{paragraphs}</body></html>",
        "utf-8",
    )
    out = tmp_path / "harbour.tmx"
    result = run("translate", str(page), "--format", "tmx", "-o", str(out),
                 "--db", str(db_path), "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == "zh-HK"
    zh = [tuv.findtext("seg") for tuv in root.iter("tuv") if tuv.get(XML_LANG) == "zh-HK"]
    assert zh[-len(TW_SENTENCES) :] == TW_SENTENCES


def test_upload_keeps_the_text_and_the_tag(db_path, installed_models):
    import io

    from review_support import add_users, login

    from workbench.web import create_app

    add_users(db_path)
    client = login(create_app(str(db_path), TESTING=True).test_client(), "rita")
    for name, tag, expected in (("a.txt", "", "zh-Hant"), ("b.txt", "zh-HK", "zh-HK")):
        text = TW_TEXT if name == "a.txt" else TW_TEXT.replace("老港口", "舊港口")
        form = {"file": (io.BytesIO(text.encode("big5")), name), "source_tag": tag}
        response = client.post("/upload", data=form, content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert f"source_tag: {expected}" in page and "encoding: big5" in page
        assert TW_SENTENCES[1] in page


def test_a_declared_page_language_is_kept_when_it_fits_the_text():
    assert language_tag("zh", TW_TEXT, declared="zh-TW") == "zh-TW"
    assert language_tag("zh", TW_TEXT, declared="zh-Hant-HK") == "zh-Hant-HK"
    assert language_tag("zh", TW_TEXT, declared="zh-CN") == "zh-Hant"  # a template's tag
    assert language_tag("zh", TW_TEXT, declared="en") == "zh-Hant"
    assert language_tag("zh", "".join(ZH_SENTENCES), declared="zh-TW") == "zh"
    assert language_tag("en", EN_TEXT, declared="en-GB") == "en-GB"
    assert language_tag("zh", TW_TEXT, given="zh-MO", declared="zh-TW") == "zh-MO"


def test_import_of_a_page_declaring_zh_tw_exports_zh_tw(db_path, installed_models, tmp_path):
    page = tmp_path / "harbour.html"
    paragraphs = "".join(f"<p>{s}</p>" for s in TW_SENTENCES)
    page.write_text(
        f'<!doctype html><html lang="zh-TW"><head><meta charset="big5"><title>{TW_TITLE}'
        f"</title></head><body><h1>{TW_TITLE}</h1>{paragraphs}</body></html>",
        "big5",
    )
    result = run("import", str(page), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "read as big5 (declared in the file: charset=big5)" in result.output
    metadata = json.loads(next(connect(db_path)["documents"].rows)["metadata"])
    assert metadata["source_tag"] == "zh-TW" and metadata["declared_language"] == "zh-TW"
    out = tmp_path / "doc.xlf"
    result = run(
        "export", "--db", str(db_path), "--format", "xliff", "--document", "1", "-o", str(out)
    )
    assert etree.parse(str(out)).getroot()[0].get("source-language") == "zh-TW"
