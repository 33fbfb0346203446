"""Article cleaner: the five real seed pages, generic CMS rules, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.clean import Article, Block, clean_article

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _seed(prefix: str) -> tuple[str, Article]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    return text, clean_article(text)


def _furniture(article: Article) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for block in article.blocks:
        if block.kind == "furniture":
            found.setdefault(block.reason, []).append(block.text)
    return found


def _body(article: Article) -> list[Block]:
    return [block for block in article.blocks if block.kind == "body"]


def _assert_nothing_lost(text: str, article: Article) -> None:
    assert "".join(text.split()) == "".join("".join(b.text for b in article.blocks).split())


def _assert_paragraph_order(article: Article) -> None:
    indexes = [block.paragraph for block in article.blocks]
    assert indexes == sorted(indexes)


# ------------------------------------------------------------------- seeds


def test_seed_000_english_release_header_and_prev_next() -> None:
    text, article = _seed("000")
    assert article.language == "en"
    assert article.title and article.title.startswith("SIT has been approved")
    furniture = _furniture(article)
    assert furniture["header"] == ["Release time:2023-09-21Source of articles:Browse times:"]
    assert furniture["credit"] == ["Translated by Basic Courses Department"]
    assert [line[:4] for line in furniture["prev-next"]] == ["上一条:", "下一条:"]
    assert article.metadata["date"] == "2023-09-21"
    assert article.metadata["translator"] == "Basic Courses Department"
    body = _body(article)
    assert len(body) == 4
    assert body[0].text.startswith("Recently,") and body[-1].text.startswith("SIT will grasp")
    _assert_nothing_lost(text, article)
    _assert_paragraph_order(article)


def test_seed_001_glued_date_by_share_and_author() -> None:
    text, article = _seed("001")
    assert article.title == "Shenyang Institute of Industrial Technology (SYIIT) Joins WAITRO"
    furniture = _furniture(article)
    assert furniture["header"] == ["Date: 13 September 2023By"]
    assert furniture["credit"] == ["About the Author: Jerin Saviour"]
    assert furniture["share"] == ["waitro icon ipad", "Share this on Social Media!"]
    assert article.metadata["date"] == "2023-09-13"
    assert article.metadata["author"] == "Jerin Saviour"
    body = _body(article)
    assert len(body) == 5 and body[-1].text.startswith("WAITRO’s inclusion")
    _assert_nothing_lost(text, article)
    _assert_paragraph_order(article)


def test_seed_002_chinese_glued_header_title_and_related_list() -> None:
    text, article = _seed("002")
    assert article.language == "zh"
    assert article.title == "西部985,去东北!"
    first, second = article.blocks[:2]
    assert first.kind == "furniture" and first.reason == "header" and first.paragraph == 0
    assert first.text.startswith("发布时间:2024-02-04 17:51")
    assert second.kind == "title" and second.paragraph == 0
    assert article.metadata["date"].startswith("2024-02-04")
    furniture = _furniture(article)
    related = furniture["related"]
    assert related[0] == "相关文章"
    assert any(teaser.endswith("......") for teaser in related)
    assert "西湖大学与上海交通大学签订战略合作协议" in related
    body = _body(article)
    assert len(body) == 4
    assert body[0].text.startswith("1月31日") and body[-1].text.startswith("会见后")
    _assert_nothing_lost(text, article)
    _assert_paragraph_order(article)


def test_seed_003_single_newlines_no_title_bracketed_credit() -> None:
    text, article = _seed("003")
    assert article.title is None
    assert len(_body(article)) == 6
    furniture = _furniture(article)
    assert furniture["credit"][0].startswith("(Written by/Photo by Kong Dewei")
    assert article.metadata["photographer"] == "Kong Dewei"
    assert article.metadata["reviewer"] == "Zhang Qian"
    assert "date" not in article.metadata  # "On November 14th" in the body is not a dateline
    _assert_nothing_lost(text, article)
    _assert_paragraph_order(article)


def test_seed_004_byline_update_and_browser_notice() -> None:
    text, article = _seed("004")
    assert article.title and article.title.endswith("Held at NEU")
    furniture = _furniture(article)
    assert furniture["byline"] == ["Written By: Edited By:Lei Chang, Yuhui WangResource: 新闻网"]
    assert furniture["header"] == ["Update: 2022-12-02"]
    assert len(furniture["browser-notice"]) == 2
    assert article.metadata["date"] == "2022-12-02"
    assert article.metadata["editor"] == "Lei Chang, Yuhui Wang"
    assert article.metadata["source"] == "新闻网"
    assert len(_body(article)) == 3
    _assert_nothing_lost(text, article)


# ----------------------------------------------------------- generic rules


def _kinds(text: str) -> list[tuple[str, str, str]]:
    return [(block.kind, block.reason, block.text) for block in clean_article(text).blocks]


LONG_EN = (
    "The university signed an agreement with the provincial government on Monday, "
    "and both sides said the cooperation would cover research, training and technology transfer."
)
LONG_ZH = (
    "1月31日，西北工业大学与辽宁省人民政府签署战略合作框架协议，"
    "双方将在科学研究、成果转化、人才培养等方面开展深入合作。"
)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Copyright © 2023 Example University. All rights reserved.", "copyright"),
        ("版权所有 © 某某大学 辽ICP备05001234号", "copyright"),
        ("Home > News > Campus", "nav"),
        ("首页 > 新闻中心 > 正文", "nav"),
        ("当前位置：首页 > 学校新闻", "nav"),
        ("【打印】【关闭】", "nav"),
        ("Print", "nav"),
        ("Back to top", "nav"),
        ("阅读次数：1024", "header"),
        ("点击：56次", "header"),
        ("来源：新华社", "header"),
        ("2023年9月21日 星期四", "header"),
        ("Share", "share"),
        ("Facebook Twitter LinkedIn", "share"),
        ("分享到：微信 微博", "share"),
        ("Previous: Campus opens new lab", "prev-next"),
        ("Next article: Students win award", "prev-next"),
        ("上一篇：学校召开大会", "prev-next"),
        ("Related news", "related"),
        ("You are using an older version of your browser.", "browser-notice"),
        ("您的浏览器版本过低，请升级浏览器", "browser-notice"),
        ("Photo by Li Ming", "credit"),
        ("（文/张三  图/李四）", "credit"),
        ("责任编辑：王五", "credit"),
        ("Translated by Zhao Liu", "credit"),
    ],
)
def test_generic_furniture_after_body(line: str, reason: str) -> None:
    body = LONG_ZH if any("\u4e00" <= char <= "\u9fff" for char in line) else LONG_EN
    blocks = _kinds(f"{body}\n\n{line}")
    assert blocks[0][0] == "body"
    assert blocks[1][:2] == ("furniture", reason)


@pytest.mark.parametrize(
    "line",
    [
        "记者 张三 摄",
        "通讯员 李四",
        "记者张三 通讯员李四",
        "记者 张三、李四",
        "文/张三 图/李四",
        "图片来源：视觉中国",
        "记者 阿不都热依木·买买提",
    ],
)
def test_chinese_credit_lines_are_furniture(line: str) -> None:
    """A credit is role words and names only; it leaves the text to translate."""
    blocks = _kinds(f"{LONG_ZH}\n\n{line}")
    assert blocks[1] == ("furniture", "credit", line)


@pytest.mark.parametrize(
    "opening",
    [
        "记者从市住房和城乡建设局获悉，今年我市将改造一百二十个老旧小区。",
        "记者近日从市教育局了解到，全市中小学将在九月一日开学。",
        "记者获悉，新建的跨江大桥将于下月通车。",
        "编辑部日前收到读者来信，反映小区停车难的问题。",
        "作者认为，这一说法站不住脚。",
        "翻译是一门艺术。",
    ],
)
def test_chinese_sentence_opening_with_a_role_word_is_body(opening: str) -> None:
    """ "记者从…获悉，…" is how Chinese news opens: a sentence with a predicate, not a byline."""
    blocks = _kinds(f"我市启动老旧小区改造工程\n\n{opening}\n\n{LONG_ZH}\n\n记者 张三 摄")
    assert [kind for kind, _, _ in blocks] == ["title", "body", "body", "furniture"]
    assert blocks[1][2] == opening
    assert blocks[3][1] == "credit"


def test_body_mentioning_dates_and_names_stays_body() -> None:
    text = (
        "Title Line\n\nSource: the ministry said on 2023-09-21 that Editor: John Smith, who was "
        "named by the board, will lead the project, and the date was set for 13 September 2023 "
        "after a long debate among the members of the committee.\n\n"
        "2023年9月21日，编辑：张三表示，学校将在未来三年内继续加强与企业的合作，并推动科研成果转化，为地方经济发展作出更大贡献。"
    )
    article = clean_article(text)
    assert [block.kind for block in article.blocks] == ["title", "body", "body"]
    assert "date" not in article.metadata


def test_glued_source_line_is_split_into_furniture_and_body() -> None:
    text = "来源：新华社 " + LONG_ZH
    blocks = _kinds(text)
    assert blocks[0] == ("furniture", "header", "来源：新华社")
    assert blocks[1][0] == "body" and blocks[1][2] == LONG_ZH
    assert clean_article(text).metadata["source"] == "新华社"


def test_chinese_byline_and_views_metadata() -> None:
    text = (
        f"标题在这里\n作者：张三 编辑：李四 发布时间：2023年9月21日 10:30 浏览次数：88\n{LONG_ZH}"
    )
    article = clean_article(text)
    assert article.title == "标题在这里"
    assert article.blocks[1].reason == "byline"
    assert article.metadata == {
        "author": "张三",
        "editor": "李四",
        "date": "2023-09-21T10:30",
        "views": "88",
    }


def test_english_related_teasers_end_with_ellipsis() -> None:
    text = (
        f"{LONG_EN}\n\nRelated articles\n\nCampus opens new lab\n\n"
        "The new laboratory will host students from three departments and…\n\n"
        "Students win award\n\nA team of five students won the national prize for ..."
    )
    reasons = [block.reason for block in clean_article(text).blocks]
    assert reasons == ["", "related", "related", "related", "related", "related"]


def test_hard_wrapped_english_paragraph_is_rejoined() -> None:
    text = (
        "The university signed an agreement with the provincial government on\n"
        "Monday, and both sides praised it.\n\nSecond paragraph here."
    )
    article = clean_article(text)
    assert len(article.blocks) == 3
    assert [block.paragraph for block in article.blocks] == [0, 1, 2]


def test_wrapped_lowercase_continuation_is_joined() -> None:
    text = (
        "The university signed an agreement with the provincial government\n"
        "and both sides praised it."
    )
    article = clean_article(text)
    assert len(article.blocks) == 1 and article.blocks[0].kind == "body"


# ---------------------------------------------------------------- hostile


def test_empty_article_raises() -> None:
    with pytest.raises(ValueError, match="empty"):
        clean_article("")
    with pytest.raises(ValueError, match="empty"):
        clean_article(" \n\n ")


def test_only_furniture() -> None:
    text = "Share\n\nPrint\n\nCopyright © 2023 Example University"
    article = clean_article(text)
    assert all(block.kind == "furniture" for block in article.blocks)
    assert article.title is None
    assert article.language == "en"


def test_binary_article_raises() -> None:
    with pytest.raises(ValueError, match="500 control characters: it looks like a binary file"):
        clean_article("\x00\x01\x02binary\x03\x04" * 100)


def test_five_megabyte_articles_keep_every_paragraph() -> None:
    """5 MB of English in 15,000 paragraphs, and 5 MB of Chinese on one line: the title,
    the date and every paragraph come out as body text (bench/large_inputs.py times it)."""
    paragraph = LONG_EN + " " + LONG_EN
    text = "Big Title\n\nDate: 2023-09-21\n\n" + "\n\n".join([paragraph] * 15000)
    one_line = LONG_ZH * 40000
    assert len(text.encode()) > 5_000_000 and len(one_line.encode()) > 5_000_000
    article = clean_article(text)
    assert article.title == "Big Title" and article.metadata["date"] == "2023-09-21"
    assert [b.text for b in article.blocks if b.kind == "body"] == [paragraph] * 15000
    chinese = clean_article(one_line)
    assert chinese.language == "zh"
    assert [(b.kind, b.text) for b in chinese.blocks] == [("body", one_line)]
