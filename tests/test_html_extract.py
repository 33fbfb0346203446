"""Saved news pages: the article for translation, the page furniture kept and marked
with its reason, the headline as the document's title (workbench.ingest.html).

The pages are written here in the shapes real news sites use; none is copied
from the evaluation set.
"""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.ingest.html import extract_article, page_article

HEADLINE = "City council approves new flood barrier for the river district"
STORY = [
    "The city council voted on Tuesday to build a two-kilometre flood barrier along the"
    " eastern bank of the river, ending a debate that has lasted almost ten years.",
    "Engineers expect the barrier to protect about 4,000 homes that flooded twice in the"
    " last decade, when heavy spring rain pushed the water over the old embankment.",
    "Construction will start in the autumn and should take three years, the council said,"
    " and the work will be paid for by a regional grant and a small local levy.",
    "Residents who spoke at the meeting welcomed the decision, although some asked why"
    " the plan had taken so long and whether the levy would rise again next year.",
    "The mayor said the first section, near the old market bridge, would be finished"
    " before the next flood season begins.",
]


def page(furniture: str = "", *, head: str = "", title: str = HEADLINE, lead: str = "") -> str:
    """A news page: header and navigation, the article, and ``furniture`` in it."""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in STORY)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}
<script>window.dataLayer = [{{"page": "article"}}];</script></head>
<body>
<header class="site-header"><a class="logo" href="/">The River Gazette</a></header>
<main id="content">
<article class="post">
<h1 class="entry-title">{HEADLINE}</h1>
{lead}
<div class="entry-content">
{paragraphs}
</div>
{furniture}
</article>
</main>
</body></html>"""


FURNITURE = {
    "nav": (
        """<nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a>
        </li><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul>
        </nav>""",
        "About us",
    ),
    "share": (
        """<div class="share-bar">Share: <a href="#">Facebook</a> <a href="#">Twitter</a>
        <a href="#">WeChat</a></div>""",
        "Share: Facebook Twitter WeChat",
    ),
    "related": (
        """<aside class="related-articles"><h3>Related articles</h3><ul>
        <li><a href="/a">Storm damage repairs finished on the harbour wall</a></li>
        <li><a href="/b">Residents asked to clear drains before the winter</a></li>
        <li><a href="/c">River levels expected to rise after a week of rain</a></li>
        </ul></aside>""",
        "Storm damage repairs finished on the harbour wall",
    ),
    "comments": (
        """<section id="comments" class="comments-area"><h3>2 comments</h3>
        <div class="comment"><p class="comment-author">Mark T.</p>
        <p>Finally! My street has flooded three times since I moved here, it is about time
        the council did something about it.</p></div>
        <div class="comment"><p>Who is going to pay for the maintenance once it is built?</p>
        </div></section>""",
        "My street has flooded three times since I moved here",
    ),
    "cookie-banner": (
        """<div id="cookie-notice" class="cookie-consent"><p>We use cookies to improve your
        experience on our site. By continuing to browse you agree to our use of cookies.</p>
        <a href="/privacy">Read our privacy policy</a></div>""",
        "We use cookies to improve your experience",
    ),
    "byline": (
        """<p class="byline">By Jane Smith | 12 March 2024</p>""",
        "By Jane Smith | 12 March 2024",
    ),
    "footer": (
        """<footer class="article-footer"><p>© 2024 The River Gazette. All rights reserved.</p>
        <p><a href="/privacy">Privacy</a> · <a href="/terms">Terms of use</a></p></footer>""",
        "All rights reserved",
    ),
}


def main_text(html: str) -> str:
    return extract_article(html).main_text


@pytest.mark.parametrize("reason", sorted(FURNITURE))
def test_each_kind_of_furniture_is_kept_and_marked_with_its_reason(reason):
    markup, text = FURNITURE[reason]
    extracted = extract_article(page(markup))
    for paragraph in STORY:
        assert paragraph in extracted.main_text
    assert text not in extracted.main_text
    marked = [b for b in extracted.blocks if text in b.text]
    assert marked, "the furniture is kept"
    assert {b.furniture for b in marked} == {reason}
    texts = [b.text for b in extracted.blocks]
    assert texts.index(marked[0].text) > texts.index(STORY[-1]) or reason == "nav"


def test_blocks_come_in_reading_order_with_their_kinds():
    html = page(
        FURNITURE["share"][0] + FURNITURE["footer"][0],
        lead=(
            '<figure><img src="barrier.jpg" alt=""><figcaption>An artist\'s impression of the'
            " barrier at the market bridge.</figcaption></figure>"
        ),
    )
    blocks = extract_article(html).blocks
    kinds = {b.text: b.kind for b in blocks}
    assert kinds[HEADLINE] == "title"
    assert kinds["An artist's impression of the barrier at the market bridge."] == "caption"
    assert all(kinds[p] == "paragraph" for p in STORY)
    order = [b.text for b in blocks]
    assert order.index("The River Gazette") < order.index(HEADLINE) < order.index(STORY[0])
    assert [b.text for b in blocks if b.text in STORY] == STORY
    assert order.index(STORY[-1]) < order.index("Share: Facebook Twitter WeChat")


def test_a_lead_paragraph_and_caption_before_the_text_are_article():
    lead = (
        '<p class="standfirst">After a decade of floods, work on the barrier starts this autumn'
        " and should be finished in three years.</p>"
        '<figure><img src="x.jpg" alt=""><figcaption>The eastern bank after the flood of'
        " 2021.</figcaption></figure>"
    )
    text = main_text(page(lead=lead))
    assert "After a decade of floods" in text
    assert "The eastern bank after the flood of 2021." in text


def test_the_articles_own_header_is_article_but_the_sites_is_not():
    html = page().replace(
        f'<h1 class="entry-title">{HEADLINE}</h1>',
        f'<header class="entry-header"><h1>{HEADLINE}</h1><p class="dek">Work on the'
        " two-kilometre barrier starts in the autumn and takes three years.</p></header>",
    )
    extracted = extract_article(html)
    assert HEADLINE in extracted.main_text
    assert "Work on the two-kilometre barrier starts" in extracted.main_text
    site = [b for b in extracted.blocks if b.text == "The River Gazette"]
    assert site and site[0].furniture == "header"


@pytest.mark.parametrize(
    ("title", "head"),
    [
        ("Home", ""),
        (f"{HEADLINE} | The River Gazette", ""),
        ("Home", f'<meta property="og:title" content="{HEADLINE}">'),
    ],
)
def test_the_document_title_is_the_headline_not_home(title, head):
    assert extract_article(page(title=title, head=head)).title == HEADLINE


def test_without_a_headline_the_title_comes_from_og_title():
    html = page(title="Home", head='<meta property="og:title" content="Flood barrier approved">')
    html = html.replace(f'<h1 class="entry-title">{HEADLINE}</h1>', "")
    assert extract_article(html).title == "Flood barrier approved"


ZH_TITLE = "我市启动老旧小区改造工程"
ZH_STORY = [
    "记者从市住房和城乡建设局获悉，今年我市将对全市一百二十个老旧小区进行改造，涉及居民三万余户。",
    "改造内容包括更换供水管网、加装电梯、整治外墙和增加停车位，预计年底前全部完工。",
    "市住建局负责人表示，改造方案将充分听取居民意见，施工期间尽量减少对居民生活的影响。",
    "据介绍，去年我市已完成八十个小区的改造，居民满意度超过九成。",
]
ZH_PAGE = f"""<!DOCTYPE html><html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{ZH_TITLE}_新闻中心_江城日报网</title></head>
<body>
<div class="top-nav"><a href="/">首页</a> | <a href="/news">新闻</a> |
<a href="/city">城市</a></div>
<div class="location">当前位置：<a href="/">首页</a> &gt;
<a href="/news">新闻中心</a> &gt; 正文</div>
<div class="article">
<h1>{ZH_TITLE}</h1>
<div class="info">来源：江城日报　发布时间：2024-03-12 09:30</div>
<div class="content">{"".join(f"<p>{p}</p>" for p in ZH_STORY)}</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
</div>
<div class="footer"><p>版权所有 江城日报社 未经授权禁止转载</p><p>备案号：12345678号</p></div>
</body></html>"""


def test_chinese_page():
    extracted = extract_article(ZH_PAGE.encode("gb18030"))
    assert extracted.title == ZH_TITLE
    for paragraph in ZH_STORY:
        assert paragraph in extracted.main_text
    reasons = {b.text: b.furniture for b in extracted.blocks}
    assert reasons["分享到：微信 微博 QQ空间"] == "share"
    assert reasons["版权所有 江城日报社 未经授权禁止转载"] == "footer"
    assert reasons["来源：江城日报 发布时间：2024-03-12 09:30"] is not None
    assert "首页" not in extracted.main_text
    article = page_article(extracted)
    assert (article.language, article.title) == ("zh", ZH_TITLE)


def test_workbench_import_stores_the_article_and_marks_the_furniture(
    tmp_path, db_path, installed_models
):
    furniture = "".join(FURNITURE[k][0] for k in ("share", "byline", "related", "comments"))
    html = page(furniture, title="Home").replace(
        "<main", FURNITURE["cookie-banner"][0] + FURNITURE["nav"][0] + "<main"
    )
    source = tmp_path / "flood-barrier.html"
    source.write_text(html, "utf-8")
    result = CliRunner().invoke(cli, ["import", str(source), "--db", str(db_path), "--json"])
    assert result.exit_code == 0, result.output
    doc_id = json.loads(result.stdout)["imported"][0]["document_id"]
    db = sqlite3.connect(db_path)
    title, metadata = db.execute(
        "SELECT title, metadata FROM documents WHERE id = ?", [doc_id]
    ).fetchone()
    assert title == HEADLINE
    rows = db.execute(
        "SELECT source, translate, furniture, mt FROM segments WHERE document_id = ?"
        " ORDER BY position",
        [doc_id],
    ).fetchall()
    translated = " ".join(source for source, translate, _, _ in rows if translate)
    assert all(p in translated for p in STORY) and HEADLINE in translated
    assert all(mt for _, translate, _, mt in rows if translate)
    furniture_rows = {source: reason for source, translate, reason, _ in rows if not translate}
    assert furniture_rows["Share: Facebook Twitter WeChat"] == "share"
    assert furniture_rows["By Jane Smith | 12 March 2024"] == "byline"
    assert furniture_rows["About us"] == "nav"
    assert furniture_rows["Storm damage repairs finished on the harbour wall"] == "related"
    assert any(r == "comments" for r in furniture_rows.values())
    assert any(r == "cookie-banner" for r in furniture_rows.values())
    for text in ("Home", "About us", "Facebook", "Jane Smith", "cookies", "Storm damage"):
        assert text not in translated


def test_deeply_nested_text_is_kept_with_a_warning():
    depth = 3000
    html = (
        f"<html><body><h1>{HEADLINE}</h1>"
        + "<div>" * depth
        + f"<p>{STORY[0]}</p>"
        + "</div>" * depth
        + "".join(f"<p>{p}</p>" for p in STORY[1:])
        + "</body></html>"
    )
    extracted = extract_article(html)
    everything = " ".join(b.text for b in extracted.blocks)
    assert all(p in everything for p in STORY), "nothing is silently dropped"
    assert all(p in extracted.main_text for p in STORY[1:])
    assert any("levels deep" in w for w in extracted.warnings)


def test_a_huge_page_is_read_in_bounded_time():
    paragraphs = "".join(
        f"<p>Paragraph {i} of the council's long report on the river, with plain words.</p>"
        for i in range(8000)
    )
    html = f"<html><body><nav><a href='/'>Home</a></nav><h1>Report</h1>{paragraphs}</body></html>"
    start = time.perf_counter()
    extracted = extract_article(html)
    assert time.perf_counter() - start < 120  # ~10 s on an idle core
    assert sum(b.furniture is None for b in extracted.blocks) >= 8000


def test_a_page_with_too_many_blocks_is_refused_with_a_reason(tmp_path):
    from workbench.ingest.readers import InputError, read_input

    source = tmp_path / "list.html"
    source.write_text("<html><body>" + "<p>x y z.</p>" * 50_001 + "</body></html>", "utf-8")
    with pytest.raises(InputError, match="more than the 50,000"):
        read_input(source)
