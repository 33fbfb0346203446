"""Uploads through the review UI (Flask's test client): .html, .docx and .md articles,
and an article with its human translation, aligned sentence by sentence."""

from __future__ import annotations

import io

import pytest
from review_support import (
    EN_SENTENCES,
    EN_TEXT,
    EN_TITLE,
    ZH_SENTENCES,
    ZH_TEXT,
    ZH_TITLE,
    add_users,
    docx_bytes,
    login,
)

from workbench.store.db import connect
from workbench.web import create_app

HTML = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>港口日报</title>
<style>p {{ color: red }}</style><script>var hidden = "脚本里的字";</script></head>
<body><nav><a href="/">首页</a> | <a href="/news">新闻</a></nav>
<article><h1>{ZH_TITLE}</h1>
<p>{"".join(ZH_SENTENCES[:3])}</p>
<p>{"".join(ZH_SENTENCES[3:])}</p></article>
<footer>版权所有 © 2024 港口日报</footer></body></html>"""

MARKDOWN = f"""---
author: Desk
---
# {EN_TITLE}

*{EN_SENTENCES[0]}* {EN_SENTENCES[1]} [{EN_SENTENCES[2][:-1]}](https://example.org/jobs).

```
print("code is not article text")
```

- {" ".join(EN_SENTENCES[3:])}
"""


@pytest.fixture
def app(db_path, installed_models):
    """An empty workbench with a reviewer and a translator (and the tiny MT models)."""
    connect(db_path).close()
    add_users(db_path)
    return create_app(str(db_path), TESTING=True)


@pytest.fixture
def client(app):
    return login(app.test_client(), "rita")


def upload(client, files: dict[str, tuple[bytes, str]], project: str = "Harbour"):
    data = {field: (io.BytesIO(content), name) for field, (content, name) in files.items()}
    return client.post(
        "/upload", data={**data, "project": project}, content_type="multipart/form-data"
    )


def imported(client, response) -> tuple[dict, list[dict]]:
    """The document an upload redirected to, and its segments."""
    assert response.status_code == 302, response.get_data(as_text=True)
    doc_id = int(response.headers["Location"].rsplit("/", 1)[1])
    doc = client.get(f"/api/documents/{doc_id}").get_json()
    rows = client.get(f"/api/documents/{doc_id}/segments").get_json()
    return doc, rows


def test_html_article_keeps_the_text_and_drops_markup_scripts_and_furniture(client):
    doc, rows = imported(client, upload(client, {"file": (HTML.encode(), "harbour.html")}))
    assert (doc["title"], doc["source_lang"], doc["kind"]) == (ZH_TITLE, "zh", "mt")
    assert doc["project"] == "Harbour"
    sources = [r["source"] for r in rows if r["translate"]]
    assert sources == [ZH_TITLE, *ZH_SENTENCES]
    assert all(r["mt"] and r["status"] == "new" for r in rows if r["translate"])
    furniture = [r["source"] for r in rows if not r["translate"]]
    assert furniture == ["首页 | 新闻", "版权所有 © 2024 港口日报"]  # kept, not for translation
    everything = " ".join(r["source"] for r in rows)
    assert "脚本" not in everything and "color" not in everything and "<" not in everything


def test_docx_article_is_read_paragraph_by_paragraph(client):
    paragraphs = [EN_TITLE, " ".join(EN_SENTENCES[:3]), " ".join(EN_SENTENCES[3:])]
    doc, rows = imported(client, upload(client, {"file": (docx_bytes(paragraphs), "port.docx")}))
    assert (doc["title"], doc["source_lang"], doc["target_lang"]) == (EN_TITLE, "en", "zh")
    assert [r["source"] for r in rows] == [EN_TITLE, *EN_SENTENCES]
    assert [r["paragraph"] for r in rows] == [0, 1, 1, 1, 2, 2, 2]
    page = client.get(f"/documents/{doc['id']}").get_data(as_text=True)
    assert page.count("<textarea lang=") == 7


def test_markdown_article_loses_its_markup_front_matter_and_code(client):
    doc, rows = imported(client, upload(client, {"file": (MARKDOWN.encode(), "port.md")}))
    assert doc["title"] == EN_TITLE
    assert [r["source"] for r in rows if r["translate"]] == [EN_TITLE, *EN_SENTENCES]
    everything = " ".join(r["source"] for r in rows)
    assert not any(mark in everything for mark in ("*", "](", "```", "print(", "author:"))


def test_the_same_article_twice_is_stored_once(client):
    first = upload(client, {"file": (HTML.encode(), "harbour.html")})
    again = upload(client, {"file": (HTML.encode(), "copy.html")})
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "was already imported" in page
    assert len(client.get("/api/documents").get_json()) == 1


@pytest.mark.parametrize(
    "translation",
    [
        (EN_TEXT.encode(), "harbour-en.txt"),
        (
            docx_bytes([EN_TITLE, " ".join(EN_SENTENCES[:3]), " ".join(EN_SENTENCES[3:])]),
            "harbour-en.docx",
        ),
    ],
    ids=["txt", "docx"],
)
def test_upload_with_a_human_translation_is_aligned(client, translation):
    response = upload(
        client, {"file": (ZH_TEXT.encode(), "harbour.txt"), "translation": translation}
    )
    doc, rows = imported(client, response)
    assert doc["kind"] == "aligned" and doc["project"] == "Harbour"
    assert (doc["source_lang"], doc["target_lang"]) == ("zh", "en")
    pairs = [(r["source"], r["target"]) for r in rows if r["translate"]]
    assert pairs == list(zip([ZH_TITLE, *ZH_SENTENCES], [EN_TITLE, *EN_SENTENCES], strict=True))
    assert all(r["status"] == "draft" and r["confidence"] is not None for r in rows)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"with its translation {translation[1]}" in page and "7 aligned segments" in page
    assert "aligned with a human translation" in client.get("/").get_data(as_text=True)


def test_upload_with_a_translation_in_html_and_the_article_in_markdown(client):
    english = (
        f"<html><body><h1>{EN_TITLE}</h1><p>{' '.join(EN_SENTENCES[:3])}</p>"
        f"<p>{' '.join(EN_SENTENCES[3:])}</p></body></html>"
    )
    chinese = f"# {ZH_TITLE}\n\n{''.join(ZH_SENTENCES[:3])}\n\n**{''.join(ZH_SENTENCES[3:])}**\n"
    response = upload(
        client,
        {"file": (chinese.encode(), "harbour.md"), "translation": (english.encode(), "en.html")},
    )
    doc, rows = imported(client, response)
    assert doc["kind"] == "aligned"
    assert [r["target"] for r in rows] == [EN_TITLE, *EN_SENTENCES]


@pytest.mark.parametrize(
    "files, status, message",
    [
        (
            {"file": (ZH_TEXT.encode(), "a.txt"), "translation": (ZH_TEXT.encode(), "b.txt")},
            400,
            "both texts are in zh",
        ),
        (
            {"file": (ZH_TEXT.encode(), "a.txt"), "translation": (b"<tmx/>", "memory.tmx")},
            400,
            "the translation must be an article file",
        ),
        (
            {"file": (ZH_TEXT.encode(), "a.txt"), "translation": (b"", "empty.txt")},
            400,
            "empty.txt: the file is empty",
        ),
        ({"file": (b"PK\x03\x04 broken", "broken.docx")}, 400, "not a valid .docx file"),
        ({"file": (b"<html><body></body></html>", "blank.html")}, 400, "blank.html"),
        ({"file": (b"\xb8\xdb\xbf\xda", "gbk.txt")}, 400, "GBK"),
    ],
    ids=["same-language", "tmx-translation", "empty-translation", "bad-docx", "no-text", "gbk"],
)
def test_refused_uploads_say_why_and_store_nothing(client, files, status, message):
    response = upload(client, files)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert client.get("/api/documents").get_json() == []


def test_translators_may_not_upload_articles(app):
    translator = login(app.test_client(), "tom")
    response = upload(translator, {"file": (ZH_TEXT.encode(), "a.txt")})
    assert response.status_code == 403
    page = translator.get("/upload")
    assert page.status_code == 403
    assert "translators may not upload documents" in page.get_data(as_text=True)
    assert "is needed" not in page.get_data(as_text=True)


def test_the_aligners_warnings_are_shown_after_the_upload(client, no_models):
    """Without an MT model the pair is still aligned, and the user is told so."""
    response = upload(
        client, {"file": (ZH_TEXT.encode(), "a.txt"), "translation": (EN_TEXT.encode(), "b.txt")}
    )
    doc, rows = imported(client, response)
    assert doc["kind"] == "aligned" and [r["target"] for r in rows][1:] == EN_SENTENCES
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="flash flash-warning"' in page and "Warning: aligned without MT" in page


def test_one_article_per_upload_a_second_file_part_is_refused(client):
    """The form takes one article (and its translation): a request with two articles in
    'file', or a file under another field name, is refused whole with 400 and a message,
    and nothing of it is imported (no silent first-file-wins)."""
    second = ZH_TEXT.replace(ZH_TITLE, "第二篇")
    two = client.post(
        "/upload",
        data={
            "file": [
                (io.BytesIO(ZH_TEXT.encode()), "one.txt"),
                (io.BytesIO(second.encode()), "two.txt"),
            ],
            "project": "Harbour",
        },
        content_type="multipart/form-data",
    )
    assert two.status_code == 400
    assert "one article per upload" in two.get_data(as_text=True)
    other = upload(client, {"file": (ZH_TEXT.encode(), "one.txt"), "extra": (b"x", "x.txt")})
    assert other.status_code == 400
    assert "unexpected file field" in other.get_data(as_text=True)
    assert client.get("/api/documents").get_json() == []
    # One article with its translation is still one upload.
    doc, _ = imported(
        client,
        upload(
            client,
            {
                "file": (ZH_TEXT.encode(), "one.txt"),
                "translation": (EN_TEXT.encode(), "one.en.txt"),
            },
        ),
    )
    assert doc["kind"] == "aligned"
