"""`workbench align` and `workbench import --translation`: an article with its human translation."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from lxml import etree

from workbench.cli import cli
from workbench.store.db import connect

ZH_ARTICLE = """沈阳工学院举办国际学术会议

发布时间:2024-05-10 09:30 来源:新闻中心

5月9日,沈阳工学院举办第三届智能制造国际学术会议。来自俄罗斯、白俄罗斯和韩国的120多名专家学者参加了会议。

会议由校长王明主持。他说:“国际合作是学校发展的重要动力。”学校与明斯克国立大学签署了合作协议,双方将在激光加工技术领域开展联合研究。

会议期间,专家们参观了学校的中白联合实验中心。该中心于2019年建成,投资1500万元。

上一条:学校召开2024年工作会议
"""

EN_ARTICLE = "\n\n".join(
    [
        ("SIT Hosts International Academic Conference"),
        (
            "On May 9, Shenyang Institute of Technology held the third International Academic"
            " Conference on Intelligent Manufacturing. More than 120 experts and scholars "
            "from Russia, Belarus and South Korea attended."
        ),
        (
            'The conference was chaired by President Wang Ming. He said, "International '
            'cooperation is an important driving force for the development of the school." '
            "The school signed a cooperation agreement with Minsk State University. The two "
            "sides will carry out joint research in the field of laser processing technology."
        ),
        (
            "During the conference, the experts visited the school's China-Belarus Joint "
            "Experimental Center, which was completed in 2019 with an investment of 15 "
            "million yuan."
        ),
    ]
)


@pytest.fixture
def article_pair(tmp_path):
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text(ZH_ARTICLE, "utf-8")
    en.write_text(EN_ARTICLE, "utf-8")
    return zh, en


def test_align_prints_beads_with_confidence(article_pair, db_path):
    zh, en = article_pair
    result = CliRunner().invoke(
        cli, ["align", str(zh), str(en), "--format", "jsonl", "--no-mt", "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    beads = [json.loads(line) for line in result.stdout.splitlines()]
    by_source = {b["source"]: b for b in beads}
    assert (
        by_source["沈阳工学院举办国际学术会议"]["target"]
        == "SIT Hosts International Academic Conference"
    )
    signing = by_source["学校与明斯克国立大学签署了合作协议,双方将在激光加工技术领域开展联合研究。"]
    assert signing["bead"] == "1-2"
    assert signing["target"].startswith("The school signed a cooperation agreement")
    merged = [b for b in beads if b["bead"] == "2-1"]
    assert merged and merged[0]["target"].startswith("During the conference")
    assert all(0 <= b["confidence"] <= 1 for b in beads)
    # nothing of either side is lost or repeated
    assert sorted(i for b in beads for i in b["target_ids"]) == list(range(8))


def test_align_tsv_and_tmx_outputs(article_pair, db_path, tmp_path):
    zh, en = article_pair
    tsv = CliRunner().invoke(cli, ["align", str(zh), str(en), "--no-mt", "--db", str(db_path)])
    assert tsv.exit_code == 0
    rows = [line.split("\t") for line in tsv.stdout.splitlines()]
    assert all(len(row) == 4 for row in rows)
    out = tmp_path / "aligned.tmx"
    result = CliRunner().invoke(
        cli, ["align", str(zh), str(en), "--format", "tmx", "-o", str(out), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(out))
    assert tree.getroot().find("header").get("srclang") == "zh-CN"
    assert len(tree.findall(".//tu")) == len(rows)


def test_import_with_translation_stores_aligned_drafts(article_pair, db_path, installed_models):
    zh, en = article_pair
    result = CliRunner().invoke(
        cli, ["import", str(zh), "--translation", str(en), "--db", str(db_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    (imported,) = json.loads(result.stdout)["imported"]
    db = connect(db_path)
    document = db["documents"].get(imported["document_id"])
    assert (document["kind"], document["source_lang"], document["target_lang"]) == (
        "aligned",
        "zh",
        "en",
    )
    segments = list(
        db["segments"].rows_where("document_id = ?", [document["id"]], order_by="position")
    )
    pairs = [s for s in segments if s["translate"]]
    assert all(s["status"] == "draft" and 0 <= s["confidence"] <= 1 for s in pairs)
    assert all(s["mt"] for s in pairs), "MT from the installed package is the bridge"
    # Both packages are installed, so the English side was machine-translated too.
    backward = installed_models[("en", "zh")].key
    english_translated = {
        row["source"] for row in db["mt_cache"].rows_where("model = ?", [backward])
    }
    targets = " ".join(s["target"] for s in pairs)
    assert english_translated and all(sentence in targets for sentence in english_translated)
    assert "".join(s["target"] for s in pairs).replace(" ", "") == "".join(
        EN_ARTICLE.split()
    ).replace(" ", "")
    furniture = [s["furniture"] for s in segments if not s["translate"]]
    assert "prev-next" in furniture and "header" in furniture


@pytest.mark.parametrize(
    "second, message",
    [("zh", "both texts are in zh"), ("empty", "empty")],
)
def test_align_refuses_bad_pairs_clearly(article_pair, db_path, tmp_path, second, message):
    zh, _ = article_pair
    other = tmp_path / "other.txt"
    other.write_text(ZH_ARTICLE if second == "zh" else "", "utf-8")
    result = CliRunner().invoke(cli, ["align", str(zh), str(other), "--db", str(db_path)])
    assert result.exit_code == 1
    assert message in result.output


def test_translation_needs_exactly_one_file(article_pair, db_path):
    zh, en = article_pair
    result = CliRunner().invoke(
        cli, ["import", str(zh), str(zh), "--translation", str(en), "--db", str(db_path)]
    )
    assert result.exit_code == 2
    assert "exactly one FILE" in result.output


def test_importing_the_same_pair_twice_stores_it_once(article_pair, db_path):
    zh, en = article_pair
    args = ["import", str(zh), "--translation", str(en), "--no-mt", "--db", str(db_path), "--json"]
    first = json.loads(CliRunner().invoke(cli, args).stdout)["imported"][0]
    second = json.loads(CliRunner().invoke(cli, args).stdout)["imported"][0]
    assert second["already_imported"] and second["document_id"] == first["document_id"]
    assert connect(db_path)["documents"].count == 1
